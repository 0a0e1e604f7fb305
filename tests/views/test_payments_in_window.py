"""The Payments list in the real window, offscreen: what came in, newest first, a period chosen
in the filter bar, and the total of what is shown beside it."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

from pytestqt.qtbot import QtBot

from crm_desktop.models.contracts import add_months
from crm_desktop.views.list_filters import LAST_MONTH, LAST_YEAR, THIS_MONTH, THIS_YEAR, period_days
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.record_form import RecordForm
from tests.views.helpers import cell, rows_loaded, wait_idle


def test_what_came_in_by_period_with_its_total(qtbot: QtBot, window: MainWindow) -> None:
    writer = window.writer
    acme = writer.create("customers", {"name": "Acme"}).primary_id
    contract = writer.create(
        "contracts",
        {
            "customer_id": acme,
            "number": "HT-9",
            "start_on": date.today(),
            "end_on": date.today().replace(year=date.today().year + 1),
            "amount_cents": 500_000,
        },
    ).primary_id
    this_month = date.today().replace(day=1)
    last_month = add_months(this_month, -1)
    for day, cents, extra in (
        (last_month, 20_000, {}),
        (this_month, 123_450, {"contract_id": contract, "reference": "BANK-1"}),
    ):
        values = {"customer_id": acme, "paid_on": day, "amount_cents": cents, **extra}
        writer.create("payments", values)

    window.go("payments")
    payments = window.models["payments"]
    qtbot.waitUntil(lambda: payments.rowCount() == 2, timeout=5000)
    rows_loaded(qtbot, window, payments)
    # Newest first, with the contract it was for.
    assert [cell(payments, row, "paid_on") for row in (0, 1)] == [
        this_month.isoformat(),
        last_month.isoformat(),
    ]
    assert cell(payments, 0, "contract") == "HT-9"
    assert cell(payments, 0, "amount_cents") == "¥1,234.50"
    total = window.payments_total
    qtbot.waitUntil(lambda: total.text() == "2 payments, ¥1,434.50 in all", timeout=5000)
    assert window.paid_in_filter.isVisibleTo(window) and total.isVisibleTo(window)

    window.paid_in_filter.choose(THIS_MONTH)
    qtbot.waitUntil(lambda: payments.rowCount() == 1, timeout=5000)
    qtbot.waitUntil(lambda: total.text() == "1 payment, ¥1,234.50 in all", timeout=5000)
    window.paid_in_filter.choose(LAST_YEAR if this_month.month == 1 else THIS_YEAR)
    qtbot.waitUntil(lambda: payments.rowCount() == 2 - (this_month.month == 1), timeout=5000)

    # A payment recorded meanwhile joins the list and its total.
    window.paid_in_filter.choose(THIS_MONTH)
    qtbot.waitUntil(lambda: payments.rowCount() == 1, timeout=5000)
    values = {"customer_id": acme, "paid_on": date.today(), "amount_cents": 50}
    window.runner.write(partial(writer.create, "payments", values))
    qtbot.waitUntil(lambda: total.text() == "2 payments, ¥1,235.00 in all", timeout=5000)

    # A transfer booked ahead is listed and summed, and the sum says how much of it that is.
    window.paid_in_filter.choose("")
    ahead = {"customer_id": acme, "paid_on": date.today() + timedelta(days=10), "amount_cents": 700}
    window.runner.write(partial(writer.create, "payments", ahead))
    qtbot.waitUntil(
        lambda: total.text() == "4 payments, ¥1,442.00 in all (of which ¥7.00 dated after today)",
        timeout=5000,
    )

    # Opened, a payment is its form.
    rows_loaded(qtbot, window, payments)
    window.views["payments"].selectRow(0)
    window.records.open_selected()
    forms = window.findChildren(RecordForm)
    assert [form.entity for form in forms] == ["payments"]

    # Over another list the period and the total are not offered.
    window.go("customers")
    wait_idle(qtbot, window)
    assert not window.paid_in_filter.isVisibleTo(window)
    assert not total.isVisibleTo(window)


def test_periods_are_whole_months_and_years() -> None:
    assert period_days(THIS_MONTH, date(2026, 12, 2)) == (date(2026, 12, 1), date(2027, 1, 1))
    assert period_days(LAST_MONTH, date(2026, 1, 31)) == (date(2025, 12, 1), date(2026, 1, 1))
    assert period_days(THIS_YEAR, date(2026, 3, 2)) == (date(2026, 1, 1), date(2027, 1, 1))
    assert period_days(LAST_YEAR, date(2026, 3, 2)) == (date(2025, 1, 1), date(2026, 1, 1))


def test_a_period_left_chosen_past_midnight_is_counted_again(qapp, monkeypatch) -> None:
    """This month chosen on 30 November, the window left open: on 1 December it shows
    December, not November still."""
    from crm_desktop.views import list_filters
    from crm_desktop.views.list_filters import PaidInFilter

    class Clock(date):
        today_is = date(2026, 11, 30)

        @classmethod
        def today(cls) -> date:
            return cls.today_is

    monkeypatch.setattr(list_filters, "date", Clock)
    chooser = PaidInFilter()
    said: list[object] = []
    chooser.changed.connect(lambda _key, value: said.append(value))
    chooser.choose(THIS_MONTH)
    Clock.today_is = date(2026, 12, 1)
    chooser._day_changed()  # what its midnight timer runs
    assert [(v.low, v.high) for v in said] == [
        (date(2026, 11, 1), date(2026, 12, 1)),
        (date(2026, 12, 1), date(2027, 1, 1)),
    ]
    assert chooser._midnight.isActive()  # and waits for the next one
