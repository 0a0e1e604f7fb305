"""Which rows the tables show: overdue ones only, customers by grade and those about to return
to the public pool, payments by the period they were received in.

Each filter tells the tables a column and a value (views/record_tabs.RecordTabs.set_filter);
a table without that column ignores it, and the window shows a filter only over a table it
filters (`filters`, `scoped`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox

from crm_desktop.models.base import utcnow
from crm_desktop.models.choices import Grade
from crm_desktop.models.contracts import add_months
from crm_desktop.models.entities import ENTITIES
from crm_desktop.queries.tables import OVERDUE, AtMost, Between, TableSpec
from crm_desktop.views.display import choice_label
from crm_desktop.views.table_model import ANY, CUSTOMER_REFERENCE

NO_GRADE = "none"  # the item's data for "no grade" (None would read as no item data)
# "Returns to the pool within N days": the choices besides the rules' own warning days.
DUE_CHOICES = (7, 30)


def filters(spec: TableSpec, key: str) -> bool:
    """Whether a filter on `key` changes what the table of `spec` can show (the test
    RecordTableModel.set_filter makes: a table without the column ignores the filter)."""
    return key in spec.column_keys() or hasattr(spec.model, key)


def scoped(spec: TableSpec) -> bool:
    """Whether whose records (scope_filter.ScopeFilter) changes what the table can show: it
    goes by the record's owner or its customer's (RecordTableModel.set_scope)."""
    owner = ENTITIES[spec.entity].OWNER
    return any(filters(spec, key) for key in (owner, CUSTOMER_REFERENCE) if key)


class GradeFilter(QComboBox):
    changed = Signal(str, object)  # column, value
    key = "grade"

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("gradeFilter")
        self.setAccessibleName(self.tr("Grade"))
        self.addItem(self.tr("Any grade"), "")
        for grade in Grade:
            self.addItem(choice_label(grade.value), grade.value)
        self.addItem(self.tr("No grade"), NO_GRADE)
        self.currentIndexChanged.connect(lambda _: self.changed.emit(self.key, self.value()))

    def value(self) -> Any:
        data = self.currentData()
        if not data:
            return ANY
        return None if data == NO_GRADE else str(data)


class PoolDueFilter(QComboBox):
    """Customers whose return to the pool falls within N days (counted when chosen)."""

    changed = Signal(str, object)  # column, value
    key = "pool_due_at"

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("poolDueFilter")
        self.setAccessibleName(self.tr("Returns to the pool"))
        self.warning_days: int | None = None
        self.set_warning_days(None)
        self.currentIndexChanged.connect(lambda _: self.changed.emit(self.key, self.value()))

    def set_warning_days(self, warning: int | None) -> None:
        """Offer the rules' warning period first (when the device knows the rules)."""
        self.warning_days = warning
        chosen = self.currentData()
        self.blockSignals(True)
        self.clear()
        self.addItem(self.tr("Any return date"), 0)
        for days in sorted({warning, *DUE_CHOICES} - {None}):
            self.addItem(self.tr("Returns to the pool within %n day(s)", "", days), days)
        self.setCurrentIndex(max(0, self.findData(chosen)))
        self.blockSignals(False)
        if self.currentData() != chosen:
            self.changed.emit(self.key, self.value())

    def choose(self, days: int) -> None:
        self.setCurrentIndex(max(0, self.findData(days)))

    def value(self) -> Any:
        days = self.currentData()
        return AtMost(utcnow() + timedelta(days=days)) if days else ANY


class OverdueFilter(QCheckBox):
    """Overdue rows only, in every list that has them (tasks past due, customers whose next
    step is past, open deals past their close)."""

    changed = Signal(str, object)  # column, value
    key = OVERDUE

    def __init__(self) -> None:
        super().__init__(self.tr("Overdue only"))
        self.setObjectName("overdueFilter")
        self.setToolTip(
            self.tr(
                "Tasks past due, customers whose next step is past, open deals past their "
                "expected close, contracts still running past their end. Money overdue: "
                "Receivables."
            )
        )
        self.toggled.connect(lambda on: self.changed.emit(self.key, True if on else ANY))


# The periods a payment list offers, by key: what each covers, [first day, day after the last).
THIS_MONTH, LAST_MONTH, THIS_YEAR, LAST_YEAR = "this_month", "last_month", "this_year", "last_year"


def period_days(key: str, today: date) -> tuple[date, date]:
    month = today.replace(day=1)
    year = today.replace(month=1, day=1)
    return {
        THIS_MONTH: (month, add_months(month, 1)),
        LAST_MONTH: (add_months(month, -1), month),
        THIS_YEAR: (year, add_months(year, 12)),
        LAST_YEAR: (add_months(year, -12), year),
    }[key]


class PaidInFilter(QComboBox):
    """Payments received in a period: this month, last month, this year, last year (days of
    the user's calendar, counted when chosen and again at each midnight: a window left open
    into a new month shows the new one)."""

    changed = Signal(str, object)  # column, value
    new_day = Signal()  # midnight passed: what is "today" changed
    key = "paid_on"

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("paidInFilter")
        self.setAccessibleName(self.tr("Received in"))
        for key, text in (
            ("", self.tr("Any time")),
            (THIS_MONTH, self.tr("This month")),
            (LAST_MONTH, self.tr("Last month")),
            (THIS_YEAR, self.tr("This year")),
            (LAST_YEAR, self.tr("Last year")),
        ):
            self.addItem(text, key)
        self.currentIndexChanged.connect(lambda _: self.changed.emit(self.key, self.value()))
        self._midnight = QTimer(self, singleShot=True)
        self._midnight.timeout.connect(self._day_changed)
        self._wait_for_midnight()

    def _wait_for_midnight(self) -> None:
        now = datetime.now()
        midnight = datetime.combine(now.date() + timedelta(days=1), time())
        # A second past it: a timer may fire a little early.
        self._midnight.start(int((midnight - now).total_seconds() * 1000) + 1000)

    def _day_changed(self) -> None:
        self._wait_for_midnight()
        self.changed.emit(self.key, self.value())
        self.new_day.emit()

    def choose(self, key: str) -> None:
        self.setCurrentIndex(max(0, self.findData(key)))

    def value(self) -> Any:
        key = self.currentData()
        return Between(*period_days(key, date.today())) if key else ANY
