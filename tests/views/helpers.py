"""Waiting on the storage thread and reading cells, for the window tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pytestqt.qtbot import QtBot

from crm_desktop.app import build_main_window
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.record_form import RecordForm
from crm_desktop.views.table_model import RecordTableModel


def wait_idle(qtbot: QtBot, main: MainWindow) -> None:
    """Until the storage thread has answered everything asked of it."""
    qtbot.waitUntil(lambda: main.runner.pending() == 0, timeout=10000)


def cell(model: RecordTableModel, row: int, key: str) -> str | None:
    return model.data(model.index(row, model.spec.column_keys().index(key)))


def rows_loaded(qtbot: QtBot, main: MainWindow, model: RecordTableModel) -> None:
    """Touch every row so pages are requested, then wait for them to arrive."""
    for row in range(model.rowCount()):
        model.data(model.index(row, 0))
    wait_idle(qtbot, main)


def shown_window(qtbot: QtBot, profile_dir: Path) -> Iterator[MainWindow]:
    """The real main window on a profile, shown and idle; closed with its forms afterwards."""
    window = build_main_window(profile_dir)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, window)
    yield window
    for form in window.findChildren(RecordForm):
        form.done(0)
    window.close()
    window.profile.close()
