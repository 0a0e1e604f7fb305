"""How many payments the Payments list shows and what they come to, beside its filters
("12 payments, ¥30,000.00 in all"): what a finance clerk reads off a month's takings. Money
booked ahead (a transfer promised for next week) is in the list, and the sentence says how much
of the sum it is, as the contract page does: it has not come in yet."""

from __future__ import annotations

from datetime import date
from functools import partial

from PySide6.QtWidgets import QLabel

from crm_desktop.queries.reader import Reader
from crm_desktop.views.display import format_money
from crm_desktop.views.runner import Runner
from crm_desktop.views.table_model import RecordTableModel


class PaymentsTotal(QLabel):
    """Read again on the storage thread each time the list has all its rows (after a search,
    a filter or a write), by the list's own query; an answer to an older one is dropped, and
    the figure of the list before is greyed out meanwhile (at 100,000 payments it takes a
    second to come)."""

    def __init__(self, model: RecordTableModel, runner: Runner, reader: Reader) -> None:
        super().__init__()
        self.setObjectName("paymentsTotal")
        self.setContentsMargins(12, 0, 0, 0)
        self._model, self._runner, self._reader = model, runner, reader
        self.spec = model.spec
        self._asked = 0
        model.modelAboutToBeReset.connect(lambda: self.setEnabled(False))
        model.loaded.connect(self.refresh)

    def refresh(self) -> None:
        self._asked += 1
        self.setEnabled(False)
        work = partial(
            self._reader.total,
            self.spec,
            self._model.query,
            "amount_cents",
            ("paid_on", date.today()),
        )
        self._runner.submit(work, partial(self._arrived, self._asked))

    def _arrived(self, asked: int, result: tuple[int, int, int]) -> None:
        if asked != self._asked:
            return
        count, cents, ahead = result
        # %Ln: the count in the user's digits and grouping (100,273), as amounts are.
        text = self.tr("%Ln payment(s), {amount} in all", "", count).format(
            amount=format_money(cents)
        )
        if ahead:
            text += " " + self.tr("(of which {amount} dated after today)").format(
                amount=format_money(ahead)
            )
        self.setText(text)
        self.setEnabled(True)
