"""Pool rules…: an administrator sees and changes the public pool's rules and the grading
rules on the server.

The rules are read from the server when the dialog opens (nothing of them is edited offline),
each by its name in the user's language with what it means and who last changed it (the
server's key for it, as the command line takes it, in its tooltip); Save sends every changed
value in one transaction, so a value the server refuses keeps all of them as they were, and says
why. A rule that is one of two meanings stored as 0 or 1 is chosen by its meaning.
"""

from __future__ import annotations

import html
from functools import partial

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.profile import Profile
from crm_desktop.sync import rules
from crm_desktop.sync.server.admin import OPTIONAL_RULES, RULE_HELP, RULE_RANGES, Rule
from crm_desktop.views.runner import Runner
from crm_desktop.views.server_errors import describe_server_error
from crm_desktop.views.sync_controller import SyncController

# A per-grade override's spin box shows its lowest step as "not set" (its real range starts at 1).
NOT_SET = 0
# Refusals in the colour the connect dialog uses for them; progress in the usual one.
ERROR_STYLE = "color: #b00020;"
# The per-grade overrides of pool_return_days, by grade.
GRADE_OVERRIDES = {"pool_return_days_A": "A", "pool_return_days_B": "B", "pool_return_days_C": "C"}
# Rules whose value is one of two meanings: chosen by the meaning, stored as its number.
CHOICE_RULES = ("grade_by_won_opportunities",)


def rule_label(key: str) -> str:
    """A rule's name as the user reads it (the server's key is for the command line)."""
    if key in GRADE_OVERRIDES:
        return QCoreApplication.translate(
            "RulesDialog", "Days before return to the pool, grade {grade}"
        ).format(grade=GRADE_OVERRIDES[key])
    labels = {
        "pool_return_days": QCoreApplication.translate(
            "RulesDialog", "Days before return to the pool"
        ),
        "pool_warning_days": QCoreApplication.translate("RulesDialog", "Days of warning"),
        "claim_per_day": QCoreApplication.translate("RulesDialog", "Claims per day"),
        "max_owned": QCoreApplication.translate("RulesDialog", "Most customers per rep"),
        "reclaim_block_days": QCoreApplication.translate(
            "RulesDialog", "Days before claiming back"
        ),
        "grade_a_percent": QCoreApplication.translate("RulesDialog", "Grade A share (%)"),
        "grade_b_percent": QCoreApplication.translate("RulesDialog", "Grade B share (%)"),
        "grade_by_won_opportunities": QCoreApplication.translate(
            "RulesDialog", "Customer value for grading"
        ),
    }
    return labels.get(key, key)


def rule_help(key: str) -> str:
    """What a rule means, as the command line says it (RULE_HELP), but where that names another
    rule by its key or a meaning by its number: here they go by label and by word."""
    if key in GRADE_OVERRIDES:
        return QCoreApplication.translate(
            "RulesDialog",
            "The same for grade {grade} customers. Not set: “{rule}” applies to them.",
        ).format(grade=GRADE_OVERRIDES[key], rule=rule_label("pool_return_days"))
    if key == "grade_by_won_opportunities":
        return QCoreApplication.translate(
            "RulesDialog",
            "What a customer's value is when customers are graded: what it paid, or the deals "
            "won from it.",
        )
    return QCoreApplication.translate("Rules", RULE_HELP[key])


def rule_choices(key: str) -> tuple[tuple[int, str], ...]:
    """The meanings of a choice rule (CHOICE_RULES), with the numbers they are stored as."""
    assert key == "grade_by_won_opportunities"
    return (
        (0, QCoreApplication.translate("RulesDialog", "Payments received")),
        (1, QCoreApplication.translate("RulesDialog", "Deals won")),
    )


class RulesDialog(QDialog):
    loaded = Signal()  # the rules arrived from the server
    saved = Signal()  # the server took the changes
    previewed = Signal(object)  # RulesEffect: what the rules as shown would do now
    failed = Signal(str)  # the sentence shown

    def __init__(
        self,
        profile: Profile,
        network: Runner,
        sync: SyncController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile, self._network, self._sync = profile, network, sync
        self._read: dict[str, int | None] = {}
        self.setObjectName("rulesDialog")
        self.setWindowTitle(self.tr("Public pool and grading rules"))
        self.setModal(True)
        self.resize(960, 460)  # room for each meaning on one line (a wrapped one is clipped)

        intro = QLabel(
            self.tr(
                "These rules are the same for everybody and kept on the server; the server "
                "applies them to every claim and every return to the pool, and grades customers "
                "A, B and C by them."
            )
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        self.spins: dict[str, QSpinBox] = {}  # the rules that are numbers
        self.choices: dict[str, QComboBox] = {}  # the rules that are one of two meanings
        self.changed_by: dict[str, QLabel] = {}
        for column, title in enumerate(
            (self.tr("Rule"), self.tr("Value"), self.tr("What it means"), self.tr("Last changed"))
        ):
            heading = QLabel(f"<b>{html.escape(title)}</b>")
            grid.addWidget(heading, 0, column)
        for row, key in enumerate(RULE_HELP, start=1):
            label = rule_label(key)
            value_input = self._choice(key) if key in CHOICE_RULES else self._spin(key)
            value_input.setObjectName(f"rule_{key}")
            value_input.setAccessibleName(label)
            value_input.setEnabled(False)
            name = QLabel(label)
            name.setObjectName(f"ruleName_{key}")
            name.setToolTip(key)  # the name the command line and the administrator's guide use
            name.setBuddy(value_input)
            help_text = QLabel(rule_help(key))
            help_text.setObjectName(f"ruleHelp_{key}")
            help_text.setWordWrap(True)
            changed = QLabel()
            changed.setObjectName(f"ruleChanged_{key}")
            changed.setEnabled(False)  # drawn greyed: a note, not a field
            grid.addWidget(name, row, 0)
            grid.addWidget(value_input, row, 1)
            grid.addWidget(help_text, row, 2)
            grid.addWidget(changed, row, 3)
            self.changed_by[key] = changed

        self.status = QLabel(self.tr("Reading the rules from the server…"))
        self.status.setObjectName("rulesStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("rulesSave")
        self.save_button.setEnabled(False)
        self.preview_button = self.buttons.addButton(
            self.tr("Preview effect"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.preview_button.setObjectName("rulesPreview")
        self.preview_button.setToolTip(
            self.tr(
                "Ask the server what these values would do now: how many customers would go "
                "back to the public pool and how many would change grade. Nothing is saved."
            )
        )
        self.preview_button.setEnabled(False)
        self.preview_button.clicked.connect(self.preview)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        work = partial(rules.read_rules, profile, sync.password)
        network.submit(work, self._show, self._failed)

    def _spin(self, key: str) -> QSpinBox:
        low, high = RULE_RANGES[key]
        spin = QSpinBox()
        if key in OPTIONAL_RULES:
            spin.setRange(NOT_SET, high)
            spin.setSpecialValueText(self.tr("not set"))
        else:
            spin.setRange(low, high)
        spin.setGroupSeparatorShown(True)
        self.spins[key] = spin
        return spin

    def _choice(self, key: str) -> QComboBox:
        combo = QComboBox()
        for value, text in rule_choices(key):
            combo.addItem(text, value)
        self.choices[key] = combo
        return combo

    def value_input(self, key: str) -> QSpinBox | QComboBox:
        return self.choices[key] if key in self.choices else self.spins[key]

    def _show(self, read: list[Rule]) -> None:
        self._read = {rule.key: rule.value for rule in read}
        for rule in read:
            if rule.key in self.choices:
                combo = self.choices[rule.key]
                combo.setCurrentIndex(max(0, combo.findData(rule.value)))
            else:
                self.spins[rule.key].setValue(NOT_SET if rule.value is None else rule.value)
            self.value_input(rule.key).setEnabled(True)
            when = rule.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")  # the user's clock
            self.changed_by[rule.key].setText(
                self.tr("%1, %2").replace("%1", rule.updated_by).replace("%2", when)
            )
        self.status.setText("")
        self._enable(True)
        self.loaded.emit()

    def _enable(self, idle: bool) -> None:
        self.save_button.setEnabled(idle and bool(self._read))
        self.preview_button.setEnabled(idle and bool(self._read))

    def changes(self) -> dict[str, int | None]:
        """The values the user changed since the rules were read."""
        values: dict[str, int | None] = {}
        for key in RULE_HELP:
            value: int | None
            if key in self.choices:
                value = self.choices[key].currentData()
            else:
                value = self.spins[key].value()
                if key in OPTIONAL_RULES and value == NOT_SET:
                    value = None
            if key in self._read and value != self._read[key]:
                values[key] = value
        return values

    def save(self) -> None:
        values = self.changes()
        if not values:
            self.accept()
            return
        self._enable(False)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Saving…"))
        work = partial(rules.save_rules, self._profile, values, self._sync.password)
        self._network.submit(work, self._saved, self._failed)

    def preview(self) -> None:
        self._enable(False)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Asking the server…"))
        work = partial(rules.preview_rules, self._profile, self.changes(), self._sync.password)
        self._network.submit(work, self._effect, self._failed)

    def _effect(self, effect: rules.RulesEffect) -> None:
        returned = self.tr("%n customer(s) would go back to the public pool", "", effect.returned)
        regraded = self.tr("%n customer(s) would change grade", "", effect.regraded)
        if effect.graded:
            counts = ", ".join(
                self.tr("%1: %2")
                .replace("%1", grade or self.tr("no grade"))
                .replace("%2", f"{count:,}")
                for grade, count in sorted(effect.graded.items(), key=lambda item: item[0] or "")
            )
            regraded = self.tr("%1 (%2)").replace("%1", regraded).replace("%2", counts)
        self.status.setText(
            self.tr("With these values, now: %1, and %2. Nothing is saved until you click Save.")
            .replace("%1", returned)
            .replace("%2", regraded)
        )
        self._enable(True)
        self.previewed.emit(effect)

    def _saved(self, _rules: list[Rule]) -> None:
        self.status.setText("")
        self.saved.emit()
        # The device reads the rules at its syncs (when its customers return to the pool).
        self._sync.sync_now()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        sentence = describe_server_error(error)
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(sentence)
        self._enable(True)
        self.failed.emit(sentence)
