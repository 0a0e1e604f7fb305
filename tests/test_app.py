"""The program's start (run_gui): what stops it is said in a window, not on a console nobody
sees."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from crm_desktop.app import run_gui
from crm_desktop.storage.errors import LOCKED
from crm_desktop.storage.store import STORE_FILE
from crm_desktop.views.main_window import MainWindow

T = TypeVar("T")


@pytest.fixture
def own_logging() -> Iterator[None]:
    """run_gui sets up the profile's log file on the root logger: taken off again afterwards,
    so later tests' sentences do not name this test's folder."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)


@pytest.fixture
def held_by_another_program(profile_dir: Path) -> Iterator[None]:
    """The profile's data file with its write lock held, as another program (a second copy of
    CRM Desktop, a backup tool, a database browser) holds it."""
    holder = sqlite3.connect(profile_dir / STORE_FILE, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def messages_shown_while(run: Callable[[], T]) -> tuple[T, list[tuple[QMessageBox.Icon, str]]]:
    """`run()`'s result, and every message box it showed (each closed as soon as read)."""
    said: list[tuple[QMessageBox.Icon, str]] = []
    running = True

    def answer() -> None:
        if not running:
            return
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            said.append((box.icon(), box.text()))
            box.accept()
        QTimer.singleShot(20, answer)

    QTimer.singleShot(0, answer)
    try:
        result = run()
    finally:
        running = False
    return result, said


def test_a_busy_data_file_at_start_is_said_in_a_message(
    qapp: QApplication, profile_dir: Path, own_logging: None, held_by_another_program: None
) -> None:
    def windows() -> set[int]:
        return {id(w) for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)}

    before = windows()
    code, said = messages_shown_while(lambda: run_gui(profile_dir))
    assert code == 1
    busy = QApplication.translate("StoreError", LOCKED)
    assert said == [(QMessageBox.Icon.Critical, busy)]
    assert windows() <= before  # no window was opened behind it
