"""Help → About in the real window: the version, and where the profile and its log are."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from crm_desktop import __version__
from crm_desktop.views.about_dialog import AboutDialog
from crm_desktop.views.main_window import MainWindow


def test_help_about_shows_the_version_and_where_the_files_are(
    qtbot: QtBot, window: MainWindow, profile_dir: Path
) -> None:
    menus = [action.menu() for action in window.menuBar().actions() if action.menu()]
    help_menu = next(menu for menu in menus if window.about_action in menu.actions())
    assert help_menu.title() == "&Help"
    window.about_action.trigger()
    dialog = window.findChild(AboutDialog, "aboutDialog")
    assert dialog is not None
    qtbot.waitExposed(dialog)
    assert __version__ in dialog.version.text()
    assert dialog.version.isVisible()
    assert dialog.profile_label.text() == str(profile_dir.resolve())
    assert dialog.log_label.text().endswith("crm-desktop.log")
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied.startswith(f"CRM Desktop {__version__}\n")
    assert str(profile_dir.resolve()) in copied
    dialog.close()
