"""Waiting on the storage thread and reading cells, for the window tests."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from crm_desktop.views.main_window import MainWindow
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
