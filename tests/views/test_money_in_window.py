"""Money in the real window, offscreen: products in their list, quote lines on an opportunity
(priced from the list, summed into its amount), a won opportunity's contract, a contract with
its instalments and a payment, the customer page's totals, and a manager fixing a grade."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial

import pytest
from PySide6.QtWidgets import QDoubleSpinBox, QMessageBox, QSpinBox
from pytestqt.qtbot import QtBot

from crm_desktop.models.entities import Contract, Customer, Opportunity
from crm_desktop.views.contract_page import ContractPage
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.record_form import RecordForm
from tests.views.helpers import cell, rows_loaded, wait_idle
from tests.views.test_main_window import fill


def choose(form: RecordForm, field: str, value: str) -> None:
    """Pick a list's option by its stored value, as a click on it would."""
    combo = form.editors[field].input
    index = combo.findData(value)
    assert index >= 0, f"{field} offers no {value}"
    combo.setCurrentIndex(index)


def set_number(form: RecordForm, field: str, value: float) -> None:
    spin = form.editors[field].input
    assert isinstance(spin, QDoubleSpinBox | QSpinBox)
    spin.setValue(value)


def save(qtbot: QtBot, window: MainWindow, form: RecordForm) -> None:
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.save()
    wait_idle(qtbot, window)


def test_a_product_added_from_its_list_is_quoted_at_its_price(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.go("products")
    assert window.records.new_action.text() == "New product"
    form = window.records.new_record()
    assert form.entity == "products"
    fill(qtbot, form, "code", "P-100")
    fill(qtbot, form, "name", "Pump")
    set_number(form, "list_price_cents", 123.45)
    save(qtbot, window, form)
    products = window.models["products"]
    qtbot.waitUntil(lambda: products.rowCount() == 1, timeout=5000)
    rows_loaded(qtbot, window, products)
    assert cell(products, 0, "list_price_cents") == "¥123.45"

    customer = window.writer.create("customers", {"name": "Acme"}).primary_id
    opportunity = window.writer.create(
        "opportunities",
        {"customer_id": customer, "title": "Pumps", "stage": "proposal", "amount_cents": 5000},
    ).primary_id
    deal = RecordForm("opportunities", window.runner, window.reader, window.writer, opportunity)
    qtbot.addWidget(deal)
    wait_idle(qtbot, window)
    assert deal.quote is not None and deal.quote.lines == []
    assert deal.editors["amount_cents"].isEnabled()  # no lines: typed by hand

    line = deal.quote.add_line()
    qtbot.addWidget(line)
    wait_idle(qtbot, window)
    # The only product shows in the list without a click: its list price is there already.
    assert line.editors["product_id"].value() == window.reader.choices("products")[0][0]
    assert line.editors["unit_price_cents"].value() == 12_345
    assert line.editors["quantity"].value() == 1
    assert not line.has_unsaved_changes()
    set_number(line, "quantity", 3)
    set_number(line, "discount_percent", 10)
    save(qtbot, window, line)
    qtbot.waitUntil(lambda: len(deal.quote.lines) == 1, timeout=5000)
    assert deal.quote.total.text() == "Total: ¥333.32"
    assert not deal.editors["amount_cents"].isEnabled()
    assert deal.editors["amount_cents"].value() == 33_332
    assert not deal.has_unsaved_changes()
    with window.profile.store.read() as session:
        assert session.get(Opportunity, opportunity).amount_cents == 33_332
    # A large or fractional quantity is shown as it was typed (and as the PDF prints it).
    many = {
        "opportunity_id": opportunity,
        "product_id": window.reader.choices("products")[0][0],
        "quantity": 1_000_000,
        "unit_price_cents": 1,
    }
    window.runner.write(partial(window.writer.create, "opportunity_lines", many))
    qtbot.waitUntil(lambda: len(deal.quote.lines) == 2, timeout=5000)
    shown = sorted(deal.quote.table.item(row, 1).text() for row in range(2))
    assert shown == ["1000000", "3"]

    # Removing a line asks first, and the quote offers to bring it back.
    deal.quote.table.selectRow(0)
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: next(answers))
    deal.quote.remove_selected()  # declined
    wait_idle(qtbot, window)
    assert len(deal.quote.lines) == 2
    deal.quote.remove_selected()
    qtbot.waitUntil(lambda: len(deal.quote.lines) == 1, timeout=5000)
    assert not deal.quote.undo_button.isHidden()
    deal.quote.undo_button.click()
    qtbot.waitUntil(lambda: len(deal.quote.lines) == 2, timeout=5000)

    # Save and new: the next line starts as the first did, one of the product at its price.
    more = deal.quote.add_line()
    qtbot.addWidget(more)
    wait_idle(qtbot, window)
    with qtbot.waitSignal(more.saved, timeout=5000):
        more.save(and_new=True)
    wait_idle(qtbot, window)
    assert more.isVisible()
    assert more.editors["quantity"].value() == 1
    assert more.editors["unit_price_cents"].value() == 12_345
    qtbot.waitUntil(lambda: len(deal.quote.lines) == 3, timeout=5000)
    assert [line.unit_price for line in deal.quote.lines].count(12_345) == 2
    more.done(0)


def test_a_won_opportunity_offers_its_contract(qtbot: QtBot, window: MainWindow) -> None:
    customer = window.writer.create("customers", {"name": "Acme"}).primary_id
    opportunity = window.writer.create(
        "opportunities",
        {"customer_id": customer, "title": "Pumps", "stage": "proposal", "amount_cents": 99_900},
    ).primary_id
    form = RecordForm(
        "opportunities", window.runner, window.reader, window.writer, opportunity, parent=window
    )
    qtbot.addWidget(form)
    wait_idle(qtbot, window)
    choose(form, "stage", "won")
    save(qtbot, window, form)
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "offerContract") is not None)
    offer = window.findChild(QMessageBox, "offerContract")
    create = next(b for b in offer.buttons() if b.text() == "Create the contract")
    create.click()
    contract_form = next(f for f in window.findChildren(RecordForm) if f.entity == "contracts")
    wait_idle(qtbot, window)
    assert contract_form.editors["amount_cents"].value() == 99_900
    assert contract_form.editors["opportunity_id"].value() == opportunity
    fill(qtbot, contract_form, "number", "HT-2031-001")
    save(qtbot, window, contract_form)
    with window.profile.store.read() as session:
        contract = session.query(Contract).one()
    assert (contract.number, contract.customer_id, contract.opportunity_id) == (
        "HT-2031-001",
        customer,
        opportunity,
    )
    assert (contract.status, contract.start_on) == ("active", date.today())


def test_a_contract_with_its_plan_and_a_payment(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer = window.writer.create("customers", {"name": "Acme"}).primary_id
    page = window.records.open_customer(customer)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    assert page.money_line.isHidden()  # no contract, no payment yet

    form = page.add("contracts")
    assert "customer_id" not in form.editors  # the page's customer
    fill(qtbot, form, "number", "C-1")
    set_number(form, "amount_cents", 1200)
    form.editors["start_on"].set_value(date.today() - timedelta(days=60))
    choose(form, "status", "active")
    save(qtbot, window, form)
    qtbot.waitUntil(lambda: page.lists["contracts"].rowCount() == 1, timeout=5000)
    assert page.lists["contracts"].item(0, 0).text() == "C-1"

    # Double-click on the contract opens its page.
    table = page.lists["contracts"]
    table.doubleClicked.emit(table.model().index(0, 0))
    contract_page = window.records.contracts[next(iter(window.records.contracts))]
    assert isinstance(contract_page, ContractPage)
    qtbot.addWidget(contract_page)
    qtbot.waitUntil(lambda: contract_page.sheet is not None, timeout=5000)
    # No plan: the whole amount was due when it started, two months ago.
    assert "Overdue: ¥1,200.00" in contract_page.money.text()

    for days_ago, amount in ((30, 400), (-30, 800)):
        instalment = contract_page.add_instalment()
        qtbot.addWidget(instalment)
        assert "contract_id" not in instalment.editors  # the page's contract
        instalment.editors["due_on"].set_value(date.today() - timedelta(days=days_ago))
        set_number(instalment, "amount_cents", amount)
        save(qtbot, window, instalment)
    qtbot.waitUntil(lambda: contract_page.lists["contract_instalments"].rowCount() == 2)
    wait_idle(qtbot, window)
    assert "Plan: ¥1,200.00" in contract_page.money.text()
    assert "Overdue: ¥400.00" in contract_page.money.text()

    payment = contract_page.record_payment()
    qtbot.addWidget(payment)
    wait_idle(qtbot, window)
    assert payment.editors["amount_cents"].value() == 40_000  # what is overdue
    assert payment.editors["contract_id"].value() == contract_page.contract_id
    save(qtbot, window, payment)
    qtbot.waitUntil(lambda: contract_page.lists["payments"].rowCount() == 1, timeout=5000)
    wait_idle(qtbot, window)
    assert "Paid: ¥400.00" in contract_page.money.text()
    assert "Overdue: ¥0.00" in contract_page.money.text()
    assert "Outstanding: ¥800.00" in contract_page.money.text()

    qtbot.waitUntil(lambda: page.lists["payments"].rowCount() == 1, timeout=5000)
    assert page.lists["payments"].item(0, 3).text() == "C-1"
    assert page.money_line.text() == (
        "Paid in the last 12 months: ¥400.00 · Outstanding: ¥800.00 · Overdue: ¥0.00"
    )

    # A payment deleted from the contract's page is asked about first, then no longer
    # counted, and the page offers to bring it back.
    contract_page.lists["payments"].selectRow(0)
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: next(answers))
    contract_page.delete_buttons["payments"].click()  # declined
    wait_idle(qtbot, window)
    assert contract_page.lists["payments"].rowCount() == 1
    assert contract_page.undo_button.isHidden()
    contract_page.delete_buttons["payments"].click()
    qtbot.waitUntil(lambda: contract_page.lists["payments"].rowCount() == 0, timeout=5000)
    wait_idle(qtbot, window)
    assert "Overdue: ¥400.00" in contract_page.money.text()
    assert not contract_page.undo_button.isHidden()
    contract_page.undo_button.click()
    qtbot.waitUntil(lambda: contract_page.lists["payments"].rowCount() == 1, timeout=5000)
    wait_idle(qtbot, window)
    assert "Paid: ¥400.00" in contract_page.money.text()
    assert contract_page.undo_button.isHidden()

    # A transfer promised for next week, booked now: still outstanding until it comes, and
    # no further payment is proposed for it (booked twice, the contract would be paid twice).
    promised = contract_page.record_payment()
    qtbot.addWidget(promised)
    wait_idle(qtbot, window)
    assert promised.editors["amount_cents"].value() == 80_000  # the rest, not yet due
    promised.editors["paid_on"].set_value(date.today() + timedelta(days=7))
    save(qtbot, window, promised)
    qtbot.waitUntil(lambda: contract_page.lists["payments"].rowCount() == 2, timeout=5000)
    wait_idle(qtbot, window)
    assert "Paid: ¥1,200.00" in contract_page.money.text()
    assert "Outstanding: ¥800.00" in contract_page.money.text()
    assert "¥800.00 of what is paid is dated after today." in contract_page.money.text()
    again = contract_page.record_payment()
    qtbot.addWidget(again)
    wait_idle(qtbot, window)
    assert not again.editors["amount_cents"].value()
    again.close()
    contract_page.close()
    page.close()


def test_a_payment_from_the_customers_page_is_for_the_one_contract_that_owes(
    qtbot: QtBot, window: MainWindow
) -> None:
    """With one contract owing, the payment is for it, of what it owes; with two, the user
    chooses, and money paid for no contract is said on the page's money line."""
    customer = window.writer.create("customers", {"name": "Acme"}).primary_id
    started = date.today() - timedelta(days=30)

    def contract(number: str, yuan: int) -> str:
        values = {"customer_id": customer, "number": number, "amount_cents": yuan * 100}
        values |= {"start_on": started, "status": "active"}
        made = window.writer.create("contracts", values).primary_id
        assert made is not None
        return made

    first = contract("HT-9", 1000)
    page = window.records.open_customer(customer)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    payment = page.record_payment()
    qtbot.addWidget(payment)
    wait_idle(qtbot, window)
    assert payment.editors["contract_id"].value() == first
    assert payment.editors["amount_cents"].value() == 100_000
    # Save and new: the same contract, not the amount just paid proposed again.
    with qtbot.waitSignal(payment.saved, timeout=5000):
        payment.save(and_new=True)
    wait_idle(qtbot, window)
    assert payment.isVisible() and payment.editors["contract_id"].value() == first
    assert payment.editors["amount_cents"].value() is None
    payment.done(0)
    qtbot.waitUntil(lambda: page.lists["payments"].rowCount() == 1, timeout=5000)
    wait_idle(qtbot, window)
    assert page.money_line.text() == (
        "Paid in the last 12 months: ¥1,000.00 · Outstanding: ¥0.00 · Overdue: ¥0.00"
    )

    contract("HT-10", 500)
    contract("HT-11", 300)
    page.reload()
    qtbot.waitUntil(lambda: page.lists["contracts"].rowCount() == 3, timeout=5000)
    wait_idle(qtbot, window)
    unsure = page.record_payment()
    qtbot.addWidget(unsure)
    wait_idle(qtbot, window)
    assert unsure.editors["contract_id"].value() is None  # two owe: the user's to choose
    assert not unsure.editors["amount_cents"].value()
    set_number(unsure, "amount_cents", 200)
    save(qtbot, window, unsure)
    qtbot.waitUntil(lambda: page.lists["payments"].rowCount() == 2, timeout=5000)
    wait_idle(qtbot, window)
    assert page.money_line.text() == (
        "Paid in the last 12 months: ¥1,200.00 · Outstanding: ¥800.00 · Overdue: ¥800.00"
        " · Paid for no contract: ¥200.00"
    )
    page.close()


def test_a_payment_booked_ahead_is_not_proposed_again_from_the_customers_page(
    qtbot: QtBot, window: MainWindow
) -> None:
    """The customer's page proposes what the contract's own page does: a transfer promised for
    next week and booked now leaves nothing to propose (proposed again, it is paid twice)."""
    customer = window.writer.create("customers", {"name": "Acme"}).primary_id
    values = {"customer_id": customer, "number": "HT-1", "amount_cents": 100_000}
    values |= {"start_on": date.today() - timedelta(days=30), "status": "active"}
    contract = window.writer.create("contracts", values).primary_id
    window.writer.create(
        "payments",
        {
            "customer_id": customer,
            "contract_id": contract,
            "amount_cents": 100_000,
            "paid_on": date.today() + timedelta(days=7),
        },
    )
    page = window.records.open_customer(customer)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    payment = page.record_payment()
    qtbot.addWidget(payment)
    wait_idle(qtbot, window)
    assert payment.editors["contract_id"].value() is None
    assert payment.editors["amount_cents"].value() is None
    payment.done(0)
    page.close()


def test_a_draft_contract_says_why_it_owes_nothing(qtbot: QtBot, window: MainWindow) -> None:
    customer = window.writer.create("customers", {"name": "Acme"}).primary_id
    values = {"customer_id": customer, "number": "D-1", "amount_cents": 2_000_000}
    draft = window.writer.create("contracts", {**values, "start_on": date(2026, 1, 1)})
    assert draft.primary_id is not None
    page = window.records.open_contract(draft.primary_id)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.sheet is not None, timeout=5000)
    assert "Outstanding: ¥0.00" in page.money.text()
    assert "A draft: nothing of it is owed or overdue until its status is Active" in (
        page.money.text()
    )
    window.writer.update("contracts", draft.primary_id, {"status": "active"})
    page.reload()
    qtbot.waitUntil(lambda: "Outstanding: ¥20,000.00" in page.money.text(), timeout=5000)
    assert "A draft" not in page.money.text()
    page.close()


def test_a_manager_fixes_a_grade_with_a_reason(qtbot: QtBot, window: MainWindow) -> None:
    customer = window.writer.create("customers", {"name": "Acme", "grade": "C"}).primary_id
    page = window.records.open_customer(customer)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    assert page.fix_grade_button.isHidden()  # a rep (no role yet) cannot
    window.records._role_read("manager")
    assert not page.fix_grade_button.isHidden()
    dialog = page.fix_grade()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.grade.setCurrentIndex(dialog.grade.findData("A"))
    dialog.fix()  # no reason: refused, nothing written
    assert dialog.message.text().startswith("Say why the grade is fixed")
    dialog.reason.setText("Strategic account for 2032")
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        dialog.fix()
    wait_idle(qtbot, window)
    with window.profile.store.read() as session:
        stored = session.get(Customer, customer)
        assert (stored.grade, stored.grade_fixed, stored.grade_note) == (
            "A",
            True,
            "Strategic account for 2032",
        )
    qtbot.waitUntil(lambda: "fixed by hand" in page.subtitle.text(), timeout=5000)
    page.close()


def test_the_sidebar_leads_to_renewals_and_receivables(qtbot: QtBot, window: MainWindow) -> None:
    customer = window.writer.create("customers", {"name": "Acme"}).primary_id
    window.writer.create(
        "contracts",
        {
            "number": "P-7",
            "customer_id": customer,
            "start_on": date.today() - timedelta(days=350),
            "end_on": date.today() + timedelta(days=14),
            "amount_cents": 50_000,
            "status": "active",
        },
    )
    window.today.reload()
    wait_idle(qtbot, window)
    assert window.today.today.renewals.total == 1  # Today says it too
    window.go("renewals")
    renewals = window.renewals
    assert renewals is not None and window.pages.currentWidget() is renewals
    qtbot.waitUntil(lambda: [line.number for line in renewals.shown_lines()] == ["P-7"])
    window.go("receivables")
    receivables = window.receivables
    assert receivables is not None and window.pages.currentWidget() is receivables
    wait_idle(qtbot, window)
    # Due whole on its start date, nearly a year ago, and never paid.
    assert [line.customer for line in receivables.shown_lines()] == ["Acme"]
    assert receivables.sums() == (50_000, 50_000)
    # Opening the line opens the customer, inside the window.
    receivables.open_record.emit("customers", customer)
    assert window.pages.currentWidget() is window.records.pages[customer]


def test_a_rep_reads_the_product_list_but_does_not_change_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    product = window.writer.create(
        "products", {"code": "P-1", "name": "Pump", "active": True}
    ).primary_id
    window.go("products")
    assert window.records.new_action.isEnabled()  # before any sync: his own profile
    window.records._role_read("rep")
    assert not window.records.new_action.isEnabled()
    assert not window.records.delete_action.isEnabled()
    window.records.open_record("products", product)
    form = next(f for f in window.findChildren(RecordForm) if f.entity == "products")
    wait_idle(qtbot, window)
    assert form.editors["name"].value() == "Pump"
    assert not form.save_button.isEnabled() and not form.editors["name"].isEnabled()
    assert form.message.text() == "Only managers and administrators change the product list."
    window.go("customers")
    assert window.records.new_action.isEnabled()  # his customers are his to add
    window.records._role_read("manager")
    window.go("products")
    assert window.records.new_action.isEnabled()


def test_payments_recorded_one_after_another_are_each_dated_today(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Record a payment from the customer's page, Save and new: the next payment starts
    dated today too (it started without a date, and was refused as incomplete)."""
    customer = window.writer.create("customers", {"name": "Acme"}).primary_id
    page = window.records.open_customer(customer)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    payment = page.record_payment()
    wait_idle(qtbot, window)
    assert payment.editors["paid_on"].value() == date.today()
    assert not payment.has_unsaved_changes()
    set_number(payment, "amount_cents", 100)
    with qtbot.waitSignal(payment.saved, timeout=5000):
        payment.save(and_new=True)
    wait_idle(qtbot, window)
    assert payment.isVisible()
    assert payment.editors["paid_on"].value() == date.today()
    payment.done(0)
    page.close()


def test_a_payment_larger_than_what_is_owed_is_said_as_it_is_typed(
    qtbot: QtBot, window: MainWindow
) -> None:
    customer = window.writer.create("customers", {"name": "Acme"}).primary_id
    contract = window.writer.create(
        "contracts",
        {
            "customer_id": customer,
            "number": "C-9",
            "amount_cents": 100_000,
            "start_on": date.today() - timedelta(days=10),
            "status": "active",
        },
    ).primary_id
    paid = window.writer.create(
        "payments",
        {
            "customer_id": customer,
            "contract_id": contract,
            "amount_cents": 60_000,
            "paid_on": date.today(),
            "method": "transfer",
        },
    ).primary_id
    page = window.records.open_contract(contract)
    qtbot.waitUntil(lambda: page.sheet is not None, timeout=5000)

    form = page.record_payment()
    qtbot.addWidget(form)
    wait_idle(qtbot, window)
    hint = form.overpayment_hint
    assert hint is not None
    assert form.editors["amount_cents"].value() == 40_000  # proposed: what is left
    assert hint.isHidden()
    set_number(form, "amount_cents", 450)  # a digit slipped: ¥450 where ¥400 is owed
    wait_idle(qtbot, window)
    assert not hint.isHidden()
    assert hint.text() == "This is ¥50.00 more than the contract still owes (¥400.00)."
    set_number(form, "amount_cents", 400)
    wait_idle(qtbot, window)
    assert hint.isHidden()
    # A year slipped: dated before the contract starts, said the same way.
    starts = date.today() - timedelta(days=10)
    slipped = starts.replace(year=starts.year - 1)
    form.editors["paid_on"].set_value(slipped)
    form.editors["paid_on"].edited.emit()
    wait_idle(qtbot, window)
    assert hint.text() == (
        f"It is dated {slipped}, before the contract starts ({starts}): is the year right?"
    )
    form.editors["paid_on"].set_value(date.today())
    form.editors["paid_on"].edited.emit()
    wait_idle(qtbot, window)
    assert hint.isHidden()
    set_number(form, "amount_cents", 450)  # a deposit on purpose: it still saves
    wait_idle(qtbot, window)
    save(qtbot, window, form)

    # Editing the first payment counts what it was as its own, not as paid already.
    edit = RecordForm("payments", window.runner, window.reader, window.writer, row_id=paid)
    qtbot.addWidget(edit)
    qtbot.waitUntil(lambda: edit.editors["amount_cents"].value() == 60_000, timeout=5000)
    set_number(edit, "amount_cents", 550)
    wait_idle(qtbot, window)
    assert edit.overpayment_hint is not None and edit.overpayment_hint.isHidden()
    set_number(edit, "amount_cents", 600)
    wait_idle(qtbot, window)
    assert edit.overpayment_hint.text() == (
        "This is ¥50.00 more than the contract still owes (¥550.00)."
    )
