"""Sentences for the dialogs that read and write the server directly (Pool rules…, Company
letterhead…): as any error's (runner.describe_error), except that a computer not yet connected
is told where it connects, by the menu item's own words."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication

from crm_desktop.sync.errors import SyncError, SyncProblem
from crm_desktop.views.runner import describe_error


def menu_text(text: str) -> str:
    """A menu's text as the user reads it: without its shortcut mark ("&File", "文件(&F)")."""
    return re.sub(r"\(&[^&]\)", "", text).replace("&&", "\0").replace("&", "").replace("\0", "&")


def connect_menu_path() -> str:
    """Server → Connect to a server…, in the user's language (the texts are the Server menu's,
    server_menu.ServerMenu, in its translation context)."""
    words = (
        QCoreApplication.translate("MainWindow", "S&erver"),
        QCoreApplication.translate("MainWindow", "Connect to a server…"),
    )
    return " → ".join(menu_text(word) for word in words)


def describe_server_error(error: BaseException) -> str:
    if isinstance(error, SyncError) and error.problem is SyncProblem.NOT_CONNECTED:
        return QCoreApplication.translate(
            "ServerErrors",
            "This computer is not connected to a server yet. To connect it, choose "
            "{menu_item} in the menu bar.",
        ).format(menu_item=connect_menu_path())
    return describe_error(error)
