"""Sync in the background: every few minutes while connected, and when asked.

Sync runs on its own thread, not the storage thread, so a long first download never holds up
the tables; SQLite's WAL lets the window read while sync writes. Whether the profile is linked
to a server is read there too, never on the GUI thread. Every signal below is emitted on the
GUI thread, so any slot may touch widgets.
"""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

from PySide6.QtCore import QObject, QTimer, Signal

from crm_desktop.profile import Profile
from crm_desktop.services.changes import ChangeSet
from crm_desktop.sync import link as links
from crm_desktop.sync.engine import SyncReport, sync_once
from crm_desktop.sync.errors import SyncError, SyncProblem
from crm_desktop.views.runner import Runner, known_error

log = logging.getLogger(__name__)
SYNC_EVERY_MS = 5 * 60 * 1000
# How long closing the window waits for the sync thread, once asked to stop, before it goes
# on without it (the thread then ends on its own, at worst when the keepalives of
# sync/link.py give up on a dead connection).
SHUTDOWN_WAIT_S = 5.0
SYNC_THREAD_PREFIX = "sync"
CANCEL_AGAIN_S = 0.5
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
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=SYNC_THREAD_PREFIX)
        # Work queued or running on the sync thread (each removes itself there when done).
        self._submitted: set[Future[None]] = set()
        self._submitted_lock = threading.Lock()
        self._thread: int | None = None  # the sync thread's id, once it has run something
        self._closed = False  # shut down: nothing more runs, nothing more is reported
        self.running = False
        # A round asked for while one was running (a dialog that saved something on the
        # server): run once that one is over, so what was saved comes home now.
        self._again = False
        # Typed in the Connect dialog where no keyring could keep it: used by every sync of
        # this session, never written anywhere.
        self.password: str | None = None
        self.timer = QTimer(self, interval=SYNC_EVERY_MS)
        self.timer.timeout.connect(self._scheduled)
        self._began.connect(self._emit_started)
        self._progressed.connect(self._emit_progressed)
        self._finished_internal.connect(self._done)
        self._answered.connect(self._deliver_answer)

    def start(self) -> None:
        """Sync now and every few minutes (a profile with no server skips each round)."""
        self.timer.start()
        self.sync_now()

    def sync_now(self) -> bool:
        """Start a round now; True if started. Asked while one is running, another round runs
        as soon as that one is over (once, however often it was asked meanwhile): the round
        under way may have read the server before what the asker saved there.

        A profile with no server finds that out on the sync thread and ends the round quietly:
        no `started`, no `finished`.
        """
        if self._closed:
            return False
        if self.running:
            self._again = True
            return False
        self.running = True
        self._submit(self._run)
        return True

    def _scheduled(self) -> None:
        """The timer's round: skipped while one runs (the next tick comes soon enough)."""
        if not self.running:
            self.sync_now()

    def _submit(self, work: Callable[[], None]) -> None:
        def run() -> None:
            self._thread = threading.get_ident()
            if not self._closed:
                work()

        future = self._executor.submit(run)
        with self._submitted_lock:
            self._submitted.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future[None]) -> None:
        with self._submitted_lock:
            self._submitted.discard(future)

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
                error = self._known(failure)
                if error is None:
                    self._log_bug("server request failed")
                error = error or failure
            if not self._closed:
                self._answered.emit(on_done, error)

        if self._closed:
            return
        self._submit(run)

    def _known(self, error: BaseException) -> BaseException | None:
        """The error as one the user can act on (offline, a locked or full data file...), or
        None for a bug. SQLite's errors are sorted as the storage thread sorts them."""
        store = self.profile.store
        return known_error(error, str(store.path), str(store.backup_dir))

    def _log_bug(self, what: str) -> None:
        if self._closed:  # stopped by the window closing (a cancelled statement): no bug
            log.info("%s while closing: %s", what, traceback.format_exc(limit=1))
        else:
            log.error("%s:\n%s", what, traceback.format_exc())

    def _deliver_answer(
        self, on_done: Callable[[BaseException | None], None], error: object
    ) -> None:
        if self._closed:
            return
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
            self._end(None, error)
        except Exception as error:
            # A local database error (disk full, data file locked or read-only) is said in its
            # plain sentence; anything else is a bug: logged with its traceback, reported in
            # plain words.
            known = self._known(error)
            if known is None:
                self._log_bug("sync failed")
            self._end(None, known or error)
        else:
            self._end(report, None)

    def _end(self, report: SyncReport | None, error: BaseException | None) -> None:
        if not self._closed:  # a window closed meanwhile has nobody to tell
            self._finished_internal.emit(report, error)

    def _progress(self, stage: str, done: int, total: int) -> None:
        """The sync engine's progress callback, called on the sync thread."""
        self._progressed.emit(stage, done, total)

    def _emit_started(self) -> None:
        self.started.emit()

    def _emit_progressed(self, stage: str, done: int, total: int) -> None:
        self.progressed.emit(stage, done, total)

    def _done(self, report: SyncReport | None, error: BaseException | None) -> None:
        self.running = False
        # A failed round is not repeated at once (it would fail the same way, and a refused
        # password would ask for it twice); the timer and the Sync now button try again.
        again, self._again = self._again and error is None, False
        if error is not None:
            self.failed.emit(error)
            return
        if report is not None:  # None: not linked to a server, nothing was tried
            self._report(report)
        if again:
            self.sync_now()

    def _report(self, report: SyncReport) -> None:
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
        """Stop syncing, without holding the window's closing up for long: work queued on the
        sync thread is dropped, what runs there is asked to stop (its server statement is
        cancelled, which rolls it back; the next sync starts again safely), and that is
        waited for SHUTDOWN_WAIT_S at most."""
        self.timer.stop()
        if self._closed:
            return
        self._closed = True
        self._executor.shutdown(wait=False, cancel_futures=True)
        with self._submitted_lock:
            still = {future for future in self._submitted if not future.done()}
        deadline = time.monotonic() + SHUTDOWN_WAIT_S
        while still and (left := deadline - time.monotonic()) > 0:
            # Asked again while it runs: a cancel that arrives between two statements (or
            # while the connection is still being made) stops nothing.
            if self._thread is not None:
                links.cancel_connections(self._thread, timeout=min(left, links.CANCEL_TIMEOUT_S))
            _done, still = wait(
                still, timeout=min(CANCEL_AGAIN_S, max(deadline - time.monotonic(), 0))
            )
        if still:
            log.warning("the sync did not stop within %s s; closing without it", SHUTDOWN_WAIT_S)


def syncs_still_running() -> list[threading.Thread]:
    """The sync threads still at work: one a shutdown gave up waiting for (a connection still
    being made, or a network gone silent, cannot be cancelled)."""
    return [
        thread
        for thread in threading.enumerate()
        if thread.name.startswith(SYNC_THREAD_PREFIX + "_") and thread.is_alive()
    ]


def is_offline(error: BaseException) -> bool:
    return isinstance(error, SyncError) and error.problem is SyncProblem.OFFLINE
