"""What the window says around the page shown describes that page: the title, the toolbar's
New, Open and Delete, the filter bar and the count in the status bar."""

from __future__ import annotations

from functools import partial

from pytestqt.qtbot import QtBot

from crm_desktop.views.main_window import MainWindow
from tests.views.helpers import wait_idle


def new(window: MainWindow) -> tuple[str, bool]:
    action = window.records.new_action
    return action.text(), action.isEnabled()


def shown_filters(window: MainWindow) -> set[str]:
    if not window.filter_bar.isVisible():
        return set()
    return {
        chooser.objectName()
        for chooser, action in window._filter_actions.items()
        if action.isVisible()
    }


def test_the_count_is_shown_over_a_record_list_only(qtbot: QtBot, window: MainWindow) -> None:
    for name in ("Acme", "Bolt"):
        window.writer.create("customers", {"name": name})
    window.go("customers")
    model = window.models["customers"]
    model.reload()
    qtbot.waitUntil(lambda: window.count_label.text() == "2 records", timeout=5000)
    assert window.count_label.isVisible()
    for page in ("today", "renewals", "dashboard", "work_log", "calendar"):
        window.go(page)
        wait_idle(qtbot, window)
        assert not window.count_label.isVisible(), page
    window.records.open_customer(model.row_id(0))
    wait_idle(qtbot, window)
    assert not window.count_label.isVisible()
    model.reload()  # a list arriving behind the page does not bring its count back
    wait_idle(qtbot, window)
    assert not window.count_label.isVisible()
    window.go("customers")
    assert window.count_label.isVisible() and window.count_label.text() == "2 records"


def test_new_names_what_the_page_shown_adds(qtbot: QtBot, window: MainWindow) -> None:
    assert new(window) == ("New customer", True)  # Today, where the user starts
    window.go("products")
    assert new(window) == ("New product", True)
    window.go("renewals")  # a list of contracts, renewed from their line: nothing to add
    assert new(window) == ("New", False)
    assert window.records.new_action.toolTip()
    for page in ("receivables", "dashboard", "work_log", "activity", "duplicates"):
        window.go(page)
        assert new(window) == ("New", False), page
    window.go("calendar")
    assert new(window) == ("New task", True)
    window.go("tasks")
    assert new(window) == ("New task", True)
    window.go("contacts")  # a contact is added on its customer's page
    assert new(window) == ("New customer", True)
    customer = window.writer.create("customers", {"name": "Acme"}).primary_id
    window.records.open_customer(customer)
    wait_idle(qtbot, window)
    assert new(window) == ("New", False)  # the page has its own Add buttons
    window.back()
    assert new(window) == ("New customer", True)


def test_open_and_delete_wait_for_a_selected_row(qtbot: QtBot, window: MainWindow) -> None:
    records = window.records
    window.go("customers")
    wait_idle(qtbot, window)
    assert window.models["customers"].rowCount() == 0
    assert not records.open_action.isEnabled() and not records.delete_action.isEnabled()
    window.writer.create("customers", {"name": "Acme"})
    model = window.models["customers"]
    model.reload()
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)
    assert not records.open_action.isEnabled() and not records.delete_action.isEnabled()
    view = window.views["customers"]
    view.selectRow(0)
    assert records.open_action.isEnabled() and records.delete_action.isEnabled()
    view.clearSelection()
    assert not records.open_action.isEnabled() and not records.delete_action.isEnabled()
    view.selectRow(0)
    window.go("contacts")  # the customers' selection is not this list's
    assert not records.open_action.isEnabled() and not records.delete_action.isEnabled()
    window.go("customers")
    assert records.open_action.isEnabled() and records.delete_action.isEnabled()
    # The selected row goes (deleted elsewhere, a sync): so do Open and Delete.
    window.runner.write(partial(window.writer.delete, "customers", [model.row_id(0)]))
    qtbot.waitUntil(lambda: model.rowCount() == 0, timeout=5000)
    assert not records.open_action.isEnabled() and not records.delete_action.isEnabled()


def test_the_filters_show_over_the_lists_they_filter(qtbot: QtBot, window: MainWindow) -> None:
    every = {"scopeFilter", "gradeFilter", "poolDueFilter", "overdueFilter"}
    assert shown_filters(window) == set()  # Today
    window.go("customers")
    assert shown_filters(window) == every
    window.go("contacts")  # whose, by their customer's owner; the customer's grade
    assert shown_filters(window) == {"scopeFilter", "gradeFilter"}
    window.go("tasks")
    assert shown_filters(window) == {"scopeFilter", "gradeFilter", "overdueFilter"}
    window.go("products")  # the company's list: none of them applies
    assert shown_filters(window) == set()
    for page in ("today", "renewals", "receivables", "dashboard", "calendar", "work_log"):
        window.go(page)
        wait_idle(qtbot, window)
        assert shown_filters(window) == set(), page
    window.go("customers")
    assert shown_filters(window) == every


def test_the_title_says_which_page_is_shown(qtbot: QtBot, window: MainWindow) -> None:
    assert window.windowTitle() == "Today — CRM Desktop"
    window.go("customers")
    assert window.windowTitle() == "Customers — CRM Desktop"
    window.go("tasks")
    assert window.windowTitle() == "Tasks — CRM Desktop"
    window.go("dashboard")
    assert window.windowTitle() == "Dashboard — CRM Desktop"
    customer = window.writer.create("customers", {"name": "Acme Steel"}).primary_id
    window.records.open_customer(customer)
    qtbot.waitUntil(lambda: window.windowTitle() == "Acme Steel — CRM Desktop", timeout=5000)
    window.back()
    assert window.windowTitle() == "Dashboard — CRM Desktop"
