"""The window's menu items as a sentence names them ("File → Import…", "文件 → 导入…"): in the
user's language, from the menus' own texts, without their shortcut marks."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication


def menu_text(text: str) -> str:
    """A menu's text as the user reads it: without its shortcut mark ("&File", "文件(&F)")."""
    return re.sub(r"\(&[^&]\)", "", text).replace("&&", "\0").replace("&", "").replace("\0", "&")


def menu_path(*items: str) -> str:
    """Menu items (their source texts, in the main window's translation context) joined by
    arrows, as the user sees them."""
    return " → ".join(
        menu_text(QCoreApplication.translate("MainWindow", item)).strip() for item in items
    )
