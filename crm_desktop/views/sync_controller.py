"""Sync in the background: every few minutes while connected, and when asked.

Sync runs on its own thread, not the storage thread, so a long first download never holds up
the tables; SQLite's WAL lets the window read while sync writes. Whether the profile is linked
to a server is read there too, never on the GUI thread. Every signal below is emitted on the
GUI thread, so any slot may touch widgets.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QObject, QTimer, Signal

from crm_desktop.profile import Profile
from crm_desktop.services.changes import ChangeSet
from crm_desktop.sync import link as links
from crm_desktop.sync.engine import SyncReport, sync_once
from crm_desktop.sync.errors import SyncError, SyncProblem
from crm_desktop.views.runner import KNOWN_ERRORS, Runner

log = logging.getLogger(__name__)
SYNC_EVERY_MS = 5 * 60 * 1000
# Tables a pull can change, which the views requery after a sync that moved anything.
SYNCED_ENTITIES = {
    "customers",
    "contacts",
    "opportunities",
    "tasks",
    "users",
    "followups",
    "work_logs",
    "work_log_comments",
    "notes",
}


class SyncController(QObject):
    started = Signal()  # a linked profile's round has begun
    progressed = Signal(str, int, int)  # stage, done, total (0: not known)
    finished = Signal(object)  # SyncReport
    failed = Signal(object)  # SyncError (or another exception: a bug, logged)

    # From the sync thread; connected to this object's own slots, so delivered queued.
    _began = Signal()
    _progressed = Signal(str, int, int)
    _finished_internal = Signal(object, object)
    _answered = Signal(object, object)  # (the asker's callback, the error or None)

    def __init__(self, profile: Profile, runner: Runner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self._runner = runner
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync")
        self.running = False
        # Typed in the Connect dialog where no keyring could keep it: used by every sync of
        # this session, never written anywhere.
        self.password: str | None = None
        self.timer = QTimer(self, interval=SYNC_EVERY_MS)
        self.timer.timeout.connect(self.sync_now)
        self._began.connect(self._emit_started)
        self._progressed.connect(self._emit_progressed)
        self._finished_internal.connect(self._done)
        self._answered.connect(self._deliver_answer)

    def start(self) -> None:
        """Sync now and every few minutes (a profile with no server skips each round)."""
        self.timer.start()
        self.sync_now()

    def sync_now(self) -> bool:
        """Start a round unless one is running. True if started.

        A profile with no server finds that out on the sync thread and ends the round quietly:
        no `started`, no `finished`.
        """
        if self.running:
            return False
        self.running = True
        self._executor.submit(self._run)
        return True

    def ask_server(
        self,
        work: Callable[[str | None], object],
        on_done: Callable[[BaseException | None], None],
    ) -> None:
        """Run `work(password)` on the sync thread, after any round under way (a claim syncs
        itself), then `on_done(error or None)` here; the views requery what it brought."""

        def run() -> None:
            error: BaseException | None = None
            try:
                work(self.password)
            except Exception as failure:  # said to the user by on_done; a bug is logged too
                if not isinstance(failure, KNOWN_ERRORS):
                    log.error("server request failed:\n%s", traceback.format_exc())
                error = failure
            self._answered.emit(on_done, error)

        self._executor.submit(run)

    def _deliver_answer(
        self, on_done: Callable[[BaseException | None], None], error: object
    ) -> None:
        if error is None:
            self._runner.changed.emit(ChangeSet.everything(SYNCED_ENTITIES))
        on_done(error if isinstance(error, BaseException) else None)

    def _run(self) -> None:
        try:
            if links.link_of(self.profile.store) is None:
                self._finished_internal.emit(None, None)
                return
            self._began.emit()
            report = sync_once(self.profile, self._progress, password=self.password)
        except SyncError as error:
            self._finished_internal.emit(None, error)
        except Exception as error:  # a bug: logged with its traceback, reported in plain words
            log.error("sync failed:\n%s", traceback.format_exc())
            self._finished_internal.emit(None, error)
        else:
            self._finished_internal.emit(report, None)

    def _progress(self, stage: str, done: int, total: int) -> None:
        """The sync engine's progress callback, called on the sync thread."""
        self._progressed.emit(stage, done, total)

    def _emit_started(self) -> None:
        self.started.emit()

    def _emit_progressed(self, stage: str, done: int, total: int) -> None:
        self.progressed.emit(stage, done, total)

    def _done(self, report: SyncReport | None, error: BaseException | None) -> None:
        self.running = False
        if error is not None:
            self.failed.emit(error)
            return
        if report is None:  # not linked to a server: nothing was tried
            return
        moved = (
            report.pulled.received
            or report.pulled.removed
            or report.pushed.conflicts
            or report.pushed.refused
        )
        if moved:
            self._runner.changed.emit(ChangeSet.everything(SYNCED_ENTITIES))
        self.finished.emit(report)

    def shutdown(self) -> None:
        self.timer.stop()
        self._executor.shutdown(wait=True)


def is_offline(error: BaseException) -> bool:
    return isinstance(error, SyncError) and error.problem is SyncProblem.OFFLINE
