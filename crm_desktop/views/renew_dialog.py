"""Renewing a contract: the follow-on contract's number, term and amount, proposed and
editable; OK makes it on the storage thread (services/writer.Writer.renew_contract), linked to
the old one, which is then marked renewed. A refusal is said in the dialog, which stays open."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import partial
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.contracts import next_term
from crm_desktop.models.fields import FIELDS_BY_NAME
from crm_desktop.queries.money import RenewalLine
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import Writer
from crm_desktop.views.date_edit import DateEdit
from crm_desktop.views.field_editors import AmountBox
from crm_desktop.views.runner import Runner, describe_error

NUMBER = FIELDS_BY_NAME["contracts"]["number"]
AMOUNT = FIELDS_BY_NAME["contracts"]["amount_cents"]
FEN = Decimal("0.01")
_RENEWAL_SUFFIX = re.compile(r"^(?P<base>.*)-R(?P<count>\d+)$")


def proposed_number(number: str) -> str:
    """The old number with "-R1" added, or its "-R<n>" counted on: C-7 → C-7-R1 → C-7-R2."""
    found = _RENEWAL_SUFFIX.match(number)
    if found:
        return f"{found['base']}-R{int(found['count']) + 1}"
    return f"{number}-R1"


def cents_of(yuan: float) -> int:
    """A spin box's yuan as fen, exactly: the box holds two decimals, and the shortest text of
    its float is those two decimals."""
    return int(Decimal(repr(yuan)).quantize(FEN).scaleb(2))


class RenewDialog(QDialog):
    renewed = Signal(str)  # the new contract's id

    def __init__(
        self, runner: Runner, writer: Writer, line: RenewalLine, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("renewDialog")
        self.setWindowTitle(self.tr("Renew a contract"))
        self._runner, self._writer, self.line = runner, writer, line

        intro = QLabel(
            self.tr("Renews %1 of %2, which ends %3.")
            .replace("%1", line.number)
            .replace("%2", line.customer)
            .replace("%3", line.end_on.isoformat())
        )
        intro.setObjectName("renewIntro")
        intro.setWordWrap(True)
        start, end = next_term(line.start_on, line.end_on)
        self.number = QLineEdit(proposed_number(line.number))
        self.number.setObjectName("renewNumber")
        self.number.setMaxLength(NUMBER.max_length or 64)
        self.start = DateEdit()
        self.start.setObjectName("renewStart")
        self.start.setValue(start)
        self.end = DateEdit()
        self.end.setObjectName("renewEnd")
        self.end.setValue(end)
        self.amount = AmountBox()
        self.amount.setObjectName("renewAmount")
        self.amount.setDecimals(2)
        self.amount.setRange(0, AMOUNT.maximum or 1e12)
        self.amount.setGroupSeparatorShown(True)
        self.amount.setPrefix("¥ ")
        self.amount.setValue(float(Decimal(line.amount).scaleb(-2)))
        for widget, name in (
            (self.number, self.tr("New contract number")),
            (self.start.line_edit, self.tr("Starts")),
            (self.end.line_edit, self.tr("Ends")),
            (self.amount, self.tr("Amount")),
        ):
            widget.setAccessibleName(name)
        form = QFormLayout()
        form.addRow(self.tr("New contract number"), self.number)
        form.addRow(self.tr("Starts"), self.start)
        form.addRow(self.tr("Ends"), self.end)
        form.addRow(self.tr("Amount"), self.amount)

        self.message = QLabel()
        self.message.setObjectName("renewMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Renew"))
        self.ok_button.setObjectName("renewOk")
        self.buttons.accepted.connect(self.renew)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.number.setFocus()
        self.number.selectAll()

    def values(self) -> dict[str, Any]:
        """What the new contract gets. A date typed wrong stays text: the writer says why."""
        return {
            "number": self.number.text().strip(),
            "start_on": self.start.value(),
            "end_on": self.end.value(),
            # Text the box cannot read (12,50) goes as typed, for the writer to refuse.
            "amount_cents": self.amount.typed() or cents_of(self.amount.value()),
        }

    def renew(self) -> None:
        if not self.ok_button.isEnabled():
            return  # a renewal is on its way
        for edit in (self.start, self.end):
            edit.commit()
        self.ok_button.setEnabled(False)
        self.message.hide()
        work = partial(self._writer.renew_contract, self.line.id, self.values())
        self._runner.write(work, self._done, self._refused)

    def _done(self, changes: ChangeSet) -> None:
        self.renewed.emit(changes.primary_id or "")
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.message.setText(describe_error(error))
        self.message.show()
        self.ok_button.setEnabled(True)
