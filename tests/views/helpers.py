"""Waiting on the storage thread and reading cells, for the window tests."""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import event

from crm_desktop.app import build_main_window
from crm_desktop.profile import Profile
from crm_desktop.storage.store import Store
from crm_desktop.sync.engine import Progress, SyncReport
from crm_desktop.sync.errors import SyncError, SyncProblem
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.record_form import RecordForm
from crm_desktop.views.runner import Runner
from crm_desktop.views.table_model import RecordTableModel


def wait_idle(qtbot: QtBot, main: MainWindow) -> None:
    """Until the storage thread has answered everything asked of it."""
    qtbot.waitUntil(lambda: main.runner.pending() == 0, timeout=10000)


def idle(qtbot: QtBot, runner: Runner) -> None:
    """Until a page's own storage thread has answered everything asked of it."""
    qtbot.waitUntil(lambda: runner.pending() == 0, timeout=10000)


def cell(model: RecordTableModel, row: int, key: str) -> str | None:
    return model.data(model.index(row, model.spec.column_keys().index(key)))


def rows_loaded(qtbot: QtBot, main: MainWindow, model: RecordTableModel) -> None:
    """Touch every row so pages are requested, then wait for them to arrive."""
    for row in range(model.rowCount()):
        model.data(model.index(row, 0))
    wait_idle(qtbot, main)


def shown_window(
    qtbot: QtBot, profile_dir: Path, session_password: str | None = None
) -> Iterator[MainWindow]:
    """The real main window on a profile, shown and idle; closed with its forms afterwards.
    `session_password`: the server's, for a profile linked to one (as the first-run wizard
    hands it over)."""
    window = build_main_window(profile_dir, session_password)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, window)
    yield window
    for form in window.findChildren(RecordForm):
        form.done(0)  # a test may leave typed input behind; closing would ask about it
    window.close()
    window.profile.close()


Round = Callable[[Progress], SyncReport]


def offline(_progress: Progress) -> SyncReport:
    raise SyncError(SyncProblem.OFFLINE)


class FakeSync:
    """Stands in for `sync_once`, on the sync controller's own thread: each round runs the next
    script queued in `rounds`, or fails as offline when none is queued."""

    def __init__(self) -> None:
        self.rounds: queue.Queue[Round] = queue.Queue()

    def __call__(
        self, _profile: Profile, progress: Progress | None = None, password: str | None = None
    ) -> SyncReport:
        assert progress is not None
        try:
            script = self.rounds.get_nowait()
        except queue.Empty:
            script = offline
        return script(progress)


@contextmanager
def sqlite_statements(store: Store) -> Iterator[list[tuple[int, str]]]:
    """Every statement SQLite runs on the store meanwhile, with the thread that ran it.

    SQLite's own trace callback, set on every connection the store's engine makes; the pool is
    emptied first so that no connection made before goes untraced.
    """
    seen: list[tuple[int, str]] = []
    recording = True

    def trace(statement: str) -> None:
        if recording:
            seen.append((threading.get_ident(), statement))

    def connected(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.set_trace_callback(trace)

    event.listen(store.engine, "connect", connected)
    store.engine.dispose()
    try:
        yield seen
    finally:
        recording = False
        event.remove(store.engine, "connect", connected)
