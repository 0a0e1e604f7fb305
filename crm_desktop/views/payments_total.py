"""How many payments the Payments list shows and what they come to, beside its filters
("12 payments, ¥30,000.00 in all"): what a finance clerk reads off a month's takings."""

from __future__ import annotations

from functools import partial

from PySide6.QtWidgets import QLabel

from crm_desktop.queries.reader import Reader
from crm_desktop.views.display import format_money
from crm_desktop.views.runner import Runner
from crm_desktop.views.table_model import RecordTableModel


class PaymentsTotal(QLabel):
    """Read again on the storage thread each time the list has all its rows (after a search,
    a filter or a write), by the list's own query; an answer to an older one is dropped."""

    def __init__(self, model: RecordTableModel, runner: Runner, reader: Reader) -> None:
        super().__init__()
        self.setObjectName("paymentsTotal")
        self.setContentsMargins(12, 0, 0, 0)
        self._model, self._runner, self._reader = model, runner, reader
        self.spec = model.spec
        self._asked = 0
        model.loaded.connect(self.refresh)

    def refresh(self) -> None:
        self._asked += 1
        work = partial(self._reader.total, self._model.spec, self._model.query, "amount_cents")
        self._runner.submit(work, partial(self._arrived, self._asked))

    def _arrived(self, asked: int, result: tuple[int, int]) -> None:
        if asked != self._asked:
            return
        count, cents = result
        self.setText(
            self.tr("%n payment(s), {amount} in all", "", count).format(amount=format_money(cents))
        )
