"""A customer's page fits a 1024-pixel screen, a manager's buttons included, and its small
lists, a contract's and a quote's use their whole width."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton, QTableWidget
from pytestqt.qtbot import QtBot

from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.record_form import RecordForm
from tests.views.helpers import wait_idle

SMALL_SCREEN = 1024


def a_customer_with_a_contract(window: MainWindow) -> tuple[str, str]:
    writer = window.writer
    customer = writer.create("customers", {"name": "Acme"}).primary_id
    assert customer
    writer.create("contacts", {"customer_id": customer, "name": "Li", "mobile": "13800138000"})
    contract = writer.create(
        "contracts",
        {"customer_id": customer, "number": "HT-1", "amount_cents": 100000, "kind": "sale"},
    ).primary_id
    assert contract
    writer.create(
        "payments",
        {
            "customer_id": customer,
            "contract_id": contract,
            "paid_on": date(2026, 3, 1),
            "amount_cents": 40000,
        },
    )
    return customer, contract


def fills_its_width(table: QTableWidget) -> bool:
    return table.horizontalHeader().length() >= table.viewport().width()


def test_a_managers_customer_page_fits_a_1024_pixel_screen(
    qtbot: QtBot, linked_window: MainWindow
) -> None:
    window = linked_window
    customer, _contract = a_customer_with_a_contract(window)
    page = window.records.open_customer(customer)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    window.records._role_read("manager")
    buttons = page.ownership
    assert buttons is not None
    buttons.show_owner(window.profile.user_id)  # his own: Release, Assign and the lock
    shown = [
        page.fix_grade_button,
        buttons.release_button,
        buttons.assign_button,
        buttons.lock_button,
        *(
            page.findChild(QPushButton, name)
            for name in (
                "editCustomer",
                "addFollowUp",
                "addToCustomer",
                "recordCustomerPayment",
                "noteAboutCustomer",
                "customerPdf",
                "closeCustomer",
            )
        ),
    ]
    assert window.minimumSizeHint().width() <= SMALL_SCREEN
    assert all(button is not None and button.isVisible() for button in shown)
    window.resize(SMALL_SCREEN, 640)
    qtbot.waitUntil(lambda: window.width() == SMALL_SCREEN, timeout=5000)
    right = page.mapTo(window, page.rect().topRight()).x()
    for button in shown:
        assert button.mapTo(window, button.rect().topRight()).x() <= right, button.objectName()
    page.close()


def test_adding_to_a_customer_is_one_button_with_a_list(qtbot: QtBot, window: MainWindow) -> None:
    customer, _contract = a_customer_with_a_contract(window)
    page = window.records.open_customer(customer)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    add = page.findChild(QPushButton, "addToCustomer")
    assert add is not None and add.menu() is not None
    offered = {action.objectName(): action.text() for action in add.menu().actions()}
    assert offered == {
        "addContact": "Add contact",
        "addOpportunity": "Add opportunity",
        "addTask": "Add task",
        "addContract": "Add contract",
    }
    for name, entity in (("addContact", "contacts"), ("addTask", "tasks")):
        action = page.findChild(QAction, name)
        before = set(page.findChildren(RecordForm))
        action.trigger()
        (form,) = set(page.findChildren(RecordForm)) - before
        assert form.entity == entity
        wait_idle(qtbot, window)
        form.done(0)
    page.close()


def test_a_customers_lists_use_their_whole_width(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(1366, 768)
    customer, _contract = a_customer_with_a_contract(window)
    page = window.records.open_customer(customer)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    wait_idle(qtbot, window)
    contacts = page.lists["contacts"]
    assert contacts.rowCount() == 1
    assert fills_its_width(contacts)
    # The last column widens; the others keep the width of their contents.
    header = contacts.horizontalHeader()
    assert header.sectionSize(0) < header.sectionSize(header.count() - 1)
    page.list_tabs.setCurrentWidget(page.lists["payments"])
    qtbot.waitUntil(lambda: fills_its_width(page.lists["payments"]), timeout=5000)
    page.close()


def test_a_contracts_lists_and_a_quote_use_their_whole_width(
    qtbot: QtBot, window: MainWindow
) -> None:
    _customer, contract = a_customer_with_a_contract(window)
    contract_page = window.records.open_contract(contract)
    qtbot.waitUntil(lambda: contract_page.sheet is not None, timeout=5000)
    wait_idle(qtbot, window)
    payments = contract_page.lists["payments"]
    assert payments.rowCount() == 1
    assert fills_its_width(payments)
    assert fills_its_width(contract_page.lists["contract_instalments"])
    contract_page.close()

    customer = window.writer.create("customers", {"name": "Quoted"}).primary_id
    product = window.writer.create(
        "products", {"code": "P-1", "name": "Pump", "list_price_cents": 12000, "active": True}
    ).primary_id
    deal = window.writer.create(
        "opportunities", {"customer_id": customer, "title": "Pumps", "stage": "lead"}
    ).primary_id
    window.writer.create(
        "opportunity_lines",
        {"opportunity_id": deal, "product_id": product, "quantity": 2, "unit_price_cents": 12000},
    )
    assert deal
    form = RecordForm("opportunities", window.runner, window.reader, window.writer, deal)
    qtbot.addWidget(form)
    form.show()
    assert form.quote is not None
    qtbot.waitUntil(lambda: form.quote.table.rowCount() == 1, timeout=5000)
    wait_idle(qtbot, window)
    assert fills_its_width(form.quote.table)
    form.done(0)
