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


def test_a_profile_folder_that_cannot_be_made_is_said_in_a_message(
    qapp: QApplication, tmp_path: Path, own_logging: None
) -> None:
    """On a read-only share, or under a file: no window, and no silent exit either (the
    Windows program has no console to print on)."""
    in_the_way = tmp_path / "a file"
    in_the_way.write_text("not a folder")
    code, said = messages_shown_while(lambda: run_gui(in_the_way / "profile"))
    assert code == 1
    assert said == [
        (
            QMessageBox.Icon.Critical,
            f"{in_the_way / 'profile'} could not be used: part of the path is a file, not a "
            "folder.",
        )
    ]


def test_the_command_line_says_what_is_wrong_with_a_profile_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from crm_desktop import cli

    in_the_way = tmp_path / "customers.csv"
    in_the_way.write_text("name\n")
    assert cli.main(["--profile", str(in_the_way), "demo", "--customers", "3"]) == 1
    said = capsys.readouterr().err
    assert said.startswith(f"crm-desktop: {in_the_way}")
    assert "could not be used: " in said and "Something went wrong" not in said
