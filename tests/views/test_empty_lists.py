"""What an empty list says: the menu to import from (not a command to type), and an empty
public pool as such rather than as a search or filter to clear."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from crm_desktop.translations import translated
from crm_desktop.views import record_tabs
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.scope_filter import POOL, ScopeFilter
from tests.views.helpers import wait_idle


def empty_note(qtbot: QtBot, window: MainWindow, entity: str) -> QLabel:
    window.go(entity)
    wait_idle(qtbot, window)
    note = window.findChild(QLabel, f"{entity}TableEmpty")
    assert note is not None
    qtbot.waitUntil(note.isVisible, timeout=5000)
    return note


def test_no_customers_points_to_the_import_menu(qtbot: QtBot, window: MainWindow) -> None:
    note = empty_note(qtbot, window, "customers")
    assert "crm-desktop" not in note.text()
    assert "File → Import…" in note.text()
    # The menu's own words, as the window shows them.
    menu = [a.text() for a in window.menuBar().actions()]
    assert "&File" in menu
    assert window.import_action.text() == "Import…"


def test_the_menu_path_drops_the_underlined_letter(qtbot: QtBot) -> None:
    with translated("zh_CN"):  # the real Chinese menu texts: "文件(&F)", "导入…"
        assert record_tabs.import_menu_path() == "文件 → 导入…"
    assert record_tabs.import_menu_path() == "File → Import…"


def test_an_empty_public_pool_says_so(qtbot: QtBot, window: MainWindow) -> None:
    window.writer.create("customers", {"name": "Mine"})  # the user's: not in the pool
    scope = window.findChild(ScopeFilter, "scopeFilter")
    window.go("customers")
    scope.set_scope(POOL)
    note = empty_note(qtbot, window, "customers")
    assert note.text() == (
        "The public pool is empty: no customer is waiting for someone to claim it."
    )
    contacts = empty_note(qtbot, window, "contacts")
    assert contacts.text() == "The customers of the public pool have nothing here."
    # A search in the pool that finds nothing is still a search to clear.
    window.go("customers")
    window.search.searched.emit("nobody")
    wait_idle(qtbot, window)
    assert "Nothing matches" in note.text()
