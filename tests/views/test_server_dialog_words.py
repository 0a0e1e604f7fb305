"""Server → Pool rules… and Company letterhead… in plain words: the rules by their names in the
user's language (the server's keys only in tooltips), the 0-or-1 rule chosen by its meaning, and
a computer not yet connected told which menu item connects it."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from crm_desktop.sync.server.admin import RULE_HELP, Rule
from crm_desktop.views.letterhead_dialog import LetterheadDialog
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.menu_words import menu_text
from crm_desktop.views.rules_dialog import RulesDialog

KEY = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")  # pool_return_days, grade_by_won_opportunities


def rules_dialog(qtbot: QtBot, window: MainWindow) -> RulesDialog:
    with qtbot.waitSignal(window.server_menu.show_rules().failed, timeout=10000) as failed:
        pass
    dialog = window.findChild(RulesDialog)
    assert dialog is not None and failed.args == [dialog.status.text()]
    return dialog


def connect_words(window: MainWindow) -> str:
    """Server → Connect to a server…, as the menu bar shows them."""
    connect = next(a for a in window.server_menu.actions() if a.objectName() == "connectAction")
    return f"{menu_text(window.server_menu.title())} → {menu_text(connect.text())}"


def test_not_connected_names_the_menu_item_that_connects(qtbot: QtBot, window: MainWindow) -> None:
    dialog = rules_dialog(qtbot, window)
    assert connect_words(window) == "Server → Connect to a server…"
    assert dialog.status.text() == (
        "This computer is not connected to a server yet. To connect it, choose "
        "Server → Connect to a server… in the menu bar."
    )
    dialog.reject()

    letterhead = window.server_menu.show_letterhead()
    qtbot.waitUntil(lambda: "not connected" in letterhead.status.text(), timeout=10000)
    assert connect_words(window) in letterhead.status.text()
    assert isinstance(letterhead, LetterheadDialog)
    letterhead.reject()


def test_menu_text_drops_the_shortcut_mark() -> None:
    assert menu_text("S&erver") == "Server"
    assert menu_text("服务器(&E)") == "服务器"
    assert menu_text("Save && close") == "Save & close"


def test_rules_are_named_in_words_with_the_key_in_a_tooltip(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = rules_dialog(qtbot, window)
    for key in RULE_HELP:
        name = dialog.findChild(QLabel, f"ruleName_{key}")
        help_text = dialog.findChild(QLabel, f"ruleHelp_{key}")
        assert name is not None and help_text is not None
        assert not KEY.search(name.text()), name.text()
        assert not KEY.search(help_text.text()), help_text.text()
        assert name.toolTip() == key
        assert dialog.value_input(key).accessibleName() == name.text()
    assert dialog.findChild(QLabel, "ruleName_pool_return_days").text() == (
        "Days before return to the pool"
    )
    assert dialog.findChild(QLabel, "ruleName_pool_return_days_A").text() == (
        "Days before return to the pool, grade A"
    )
    # An override not set follows the general rule, named as the dialog names it.
    assert "“Days before return to the pool”" in (
        dialog.findChild(QLabel, "ruleHelp_pool_return_days_B").text()
    )
    dialog.reject()


def test_the_grading_value_is_chosen_by_its_meaning_and_stored_as_0_or_1(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = rules_dialog(qtbot, window)
    when = datetime(2026, 11, 2, 9, 30, tzinfo=UTC)
    dialog._show(
        [
            Rule("claim_per_day", 5, when, "crm_admin"),
            Rule("pool_return_days_A", None, when, "crm_admin"),
            Rule("grade_by_won_opportunities", 1, when, "crm_admin"),
        ]
    )
    combo = dialog.choices["grade_by_won_opportunities"]
    assert "grade_by_won_opportunities" not in dialog.spins
    assert [combo.itemText(i) for i in range(combo.count())] == ["Payments received", "Deals won"]
    assert combo.currentText() == "Deals won" and combo.isEnabled()
    assert dialog.changes() == {}
    combo.setCurrentIndex(combo.findText("Payments received"))
    assert dialog.changes() == {"grade_by_won_opportunities": 0}
    dialog.spins["pool_return_days_A"].setValue(60)
    assert dialog.changes() == {"grade_by_won_opportunities": 0, "pool_return_days_A": 60}
    dialog.reject()
