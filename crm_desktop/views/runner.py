"""Running storage work off the GUI thread, and bringing the results back to it.

All storage work goes through one worker thread, in submission order (Anki serialises its
collection the same way): reads never see half a write, and SQLite is never written from two
threads at once. Results and errors come back as a queued signal, so callbacks run on the GUI
thread and may touch widgets.

Work that waits on the network (connecting to a server) gets a Runner of its own, so a slow
server never holds up the tables' reads queued behind it.
"""

from __future__ import annotations

import itertools
import logging
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import shiboken6
from PySide6.QtCore import QObject, Signal

from crm_desktop.models.validation import InvalidInput
from crm_desktop.services.changes import ChangeSet
from crm_desktop.storage.errors import StoreError, classify
from crm_desktop.storage.store import BACKUP_DIR, Cancelled
from crm_desktop.sync.errors import SyncError
from crm_desktop.sync.ownership import OwnershipRefused
from crm_desktop.transfer.errors import TransferError

log = logging.getLogger(__name__)

Callback = Callable[[Any], None]
# Each has text(): one plain sentence saying what to do (a file the user can fix, for one).
KNOWN_ERRORS = (InvalidInput, StoreError, SyncError, OwnershipRefused, TransferError)


class _Job(NamedTuple):
    work: Callable[[], Any]
    on_done: Callback | None
    on_error: Callback | None


class Runner(QObject):
    """Submits callables to its worker thread (the storage thread unless `name` says otherwise);
    `changed` announces what every write changed."""

    changed = Signal(object)  # ChangeSet
    failed = Signal(str)  # a plain sentence for the status bar, for errors nobody handled
    busy_changed = Signal(bool)
    _finished = Signal(int, object, object)

    def __init__(
        self, store_path: str = "", parent: QObject | None = None, name: str = "storage"
    ) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        # Jobs not answered yet. A job's callable is held here, not by the storage thread,
        # until its answer is delivered, so that what it holds (a page, a dialog) is let go on
        # this thread: a widget whose last reference went on the storage thread would be
        # deleted at a random moment of this one.
        self._jobs: dict[int, _Job] = {}
        self._ids = itertools.count(1)
        self._store_path = store_path
        # Where a corrupt store's sentence sends the user: the backups beside the store.
        self._backups = str(Path(store_path).parent / BACKUP_DIR)
        self._closed = False
        self._finished.connect(self._deliver)

    def submit(
        self,
        work: Callable[[], Any],
        on_done: Callback | None = None,
        on_error: Callback | None = None,
    ) -> int:
        """Run `work()` on the storage thread; `on_done(result)` or `on_error(exc)` on this one.

        After shutdown (the window has closed) work is dropped: a late timer's lookup has
        nobody to show its answer to.
        """
        job = next(self._ids)
        if self._closed:
            log.debug("storage closed; job %d dropped", job)
            return job
        self._jobs[job] = _Job(work, on_done, on_error)
        if len(self._jobs) == 1:
            self.busy_changed.emit(True)
        self._executor.submit(self._run, job)
        return job

    def write(
        self,
        work: Callable[[], ChangeSet],
        on_done: Callback | None = None,
        on_error: Callback | None = None,
    ) -> int:
        """Like submit, for a service call returning a ChangeSet that every view should see."""

        def done(changes: ChangeSet) -> None:
            if on_done is not None:
                on_done(changes)
            if not changes.is_empty():
                self.changed.emit(changes)

        return self.submit(work, done, on_error)

    def pending(self) -> int:
        return len(self._jobs)

    def shutdown(self) -> None:
        """Finish queued work (a write in flight completes; nothing is cut off mid-transaction)."""
        self._closed = True
        self._executor.shutdown(wait=True)

    def _run(self, job: int) -> None:
        try:
            result = self._jobs[job].work()  # no reference stays on this thread (see _jobs)
        except Exception as error:  # every failure must reach the GUI thread
            known = known_error(error, self._store_path, self._backups)
            if isinstance(error, Cancelled):
                log.debug("storage job cancelled")  # the user's wish: no fault to log
            elif known is None:
                log.error("storage job failed:\n%s", traceback.format_exc())
            self._finished.emit(job, None, known or error)
            return
        self._finished.emit(job, result, None)

    def _deliver(self, job: int, result: Any, error: BaseException | None) -> None:
        # Held until this returns: the job's callable is let go here, after its answer.
        answered = self._jobs.pop(job, _Job(lambda: None, None, None))
        on_done, on_error = (
            callback if _receiver_alive(callback) else None
            for callback in (answered.on_done, answered.on_error)
        )
        if not self._jobs:
            self.busy_changed.emit(False)
        if error is None:
            if on_done is not None:
                on_done(result)
        elif on_error is not None:
            on_error(error)
        else:
            self.failed.emit(describe_error(error))


def _receiver_alive(callback: Callback | None) -> bool:
    """False for a method of a widget deleted while its job ran (a dialog closed, a page
    shut), also one bound with functools.partial, or handed a widget so deleted: there is
    nobody left to show the answer to, and touching it would raise."""
    widgets: list[object] = []
    while isinstance(callback, partial):
        widgets += [*callback.args, *callback.keywords.values()]
        callback = callback.func
    widgets.append(getattr(callback, "__self__", None))
    if any(isinstance(each, QObject) and not shiboken6.isValid(each) for each in widgets):
        log.debug("the receiver of a storage job's answer is gone; answer dropped")
        return False
    return True


def known_error(error: BaseException, store_path: str, backups: str) -> BaseException | None:
    """The error as one the user can act on (bad input, offline, a data file locked, full,
    read-only or corrupt...), or None for a bug: SQLite's own errors sorted by their codes
    against the profile's store file and its backups folder."""
    if isinstance(error, KNOWN_ERRORS):
        return error
    return classify(error, store_path, backups)


def describe_error(error: BaseException) -> str:
    """One plain sentence for any error: known ones say what to do, bugs point at the log."""
    if isinstance(error, KNOWN_ERRORS):
        return error.text()
    from logging.handlers import RotatingFileHandler

    from PySide6.QtCore import QCoreApplication

    files = [h for h in logging.getLogger().handlers if isinstance(h, RotatingFileHandler)]
    if not files:
        return QCoreApplication.translate(
            "Runner", "Something went wrong and was not saved; details are in the log file."
        )
    return QCoreApplication.translate(
        "Runner", "Something went wrong and was not saved; details are in the log file {path}."
    ).format(path=files[0].baseFilename)
