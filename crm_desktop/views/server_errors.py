"""Sentences for the dialogs that read and write the server directly (Pool rules…, Company
letterhead…): as any error's (runner.describe_error), except that a computer not yet connected
is told where it connects, by the menu item's own words."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from crm_desktop.sync.errors import SyncError, SyncProblem
from crm_desktop.views.menu_words import menu_path
from crm_desktop.views.runner import describe_error


def connect_menu_path() -> str:
    """Server → Connect to a server…, in the user's language (the Server menu's own texts)."""
    return menu_path("S&erver", "Connect to a server…")


def describe_server_error(error: BaseException) -> str:
    if isinstance(error, SyncError) and error.problem is SyncProblem.NOT_CONNECTED:
        return QCoreApplication.translate(
            "ServerErrors",
            "This computer is not connected to a server yet. To connect it, choose "
            "{menu_item} in the menu bar.",
        ).format(menu_item=connect_menu_path())
    return describe_error(error)
