"""Pool rules…: an administrator sees and changes the public pool's rules and the grading
rules on the server.

The rules are read from the server when the dialog opens (nothing of them is edited offline),
each with what it means and who last changed it; Save sends every changed value in one
transaction, so a value the server refuses keeps all of them as they were, and says why.
"""

from __future__ import annotations

import html
from functools import partial

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
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
from crm_desktop.views.runner import Runner, describe_error
from crm_desktop.views.sync_controller import SyncController

# A per-grade override's spin box shows its lowest step as "not set" (its real range starts at 1).
NOT_SET = 0
# Refusals in the colour the connect dialog uses for them; progress in the usual one.
ERROR_STYLE = "color: #b00020;"


class RulesDialog(QDialog):
    loaded = Signal()  # the rules arrived from the server
    saved = Signal()  # the server took the changes
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
        self.resize(760, 420)

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
        self.spins: dict[str, QSpinBox] = {}
        self.changed_by: dict[str, QLabel] = {}
        for column, title in enumerate(
            (self.tr("Rule"), self.tr("Value"), self.tr("What it means"), self.tr("Last changed"))
        ):
            heading = QLabel(f"<b>{html.escape(title)}</b>")
            grid.addWidget(heading, 0, column)
        for row, key in enumerate(RULE_HELP, start=1):
            low, high = RULE_RANGES[key]
            spin = QSpinBox()
            spin.setObjectName(f"rule_{key}")
            spin.setAccessibleName(key)
            if key in OPTIONAL_RULES:
                spin.setRange(NOT_SET, high)
                spin.setSpecialValueText(self.tr("not set"))
            else:
                spin.setRange(low, high)
            spin.setGroupSeparatorShown(True)
            spin.setEnabled(False)
            name = QLabel(key)
            name.setBuddy(spin)
            help_text = QLabel(QCoreApplication.translate("Rules", RULE_HELP[key]))
            help_text.setWordWrap(True)
            changed = QLabel()
            changed.setObjectName(f"ruleChanged_{key}")
            changed.setEnabled(False)  # drawn greyed: a note, not a field
            grid.addWidget(name, row, 0)
            grid.addWidget(spin, row, 1)
            grid.addWidget(help_text, row, 2)
            grid.addWidget(changed, row, 3)
            self.spins[key] = spin
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

    def _show(self, read: list[Rule]) -> None:
        self._read = {rule.key: rule.value for rule in read}
        for rule in read:
            spin = self.spins[rule.key]
            spin.setValue(NOT_SET if rule.value is None else rule.value)
            spin.setEnabled(True)
            when = rule.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")  # the user's clock
            self.changed_by[rule.key].setText(
                self.tr("%1, %2").replace("%1", rule.updated_by).replace("%2", when)
            )
        self.status.setText("")
        self.save_button.setEnabled(True)
        self.loaded.emit()

    def changes(self) -> dict[str, int | None]:
        """The values the user changed since the rules were read."""
        values: dict[str, int | None] = {}
        for key, spin in self.spins.items():
            value: int | None = spin.value()
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
        self.save_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Saving…"))
        work = partial(rules.save_rules, self._profile, values, self._sync.password)
        self._network.submit(work, self._saved, self._failed)

    def _saved(self, _rules: list[Rule]) -> None:
        self.status.setText("")
        self.saved.emit()
        # The device reads the rules at its syncs (when its customers return to the pool).
        self._sync.sync_now()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        sentence = describe_error(error)
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(sentence)
        self.save_button.setEnabled(bool(self._read))
        self.failed.emit(sentence)
