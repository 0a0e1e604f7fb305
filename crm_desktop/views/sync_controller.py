"""Sync in the background: every few minutes while connected, and when asked.

Sync runs on its own thread, not the storage thread, so a long first download never holds up
the tables; SQLite's WAL lets the window read while sync writes. Results come back by signal.
"""

from __future__ import annotations

import logging
import traceback
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from crm_desktop.profile import Profile
from crm_desktop.services.changes import ChangeSet
from crm_desktop.sync import link as links
from crm_desktop.sync.engine import LAST_SYNC_KEY, SyncReport, sync_once
from crm_desktop.sync.errors import SyncError, SyncProblem
from crm_desktop.views.runner import Runner

log = logging.getLogger(__name__)
SYNC_EVERY_MS = 5 * 60 * 1000
# Tables a pull can change, which the views requery after a sync that moved anything.
SYNCED_ENTITIES = {"customers", "contacts", "opportunities", "tasks", "users", "followups"}


class SyncController(QObject):
    started = Signal()
    progressed = Signal(str, int, int)  # stage, done, total
    finished = Signal(object)  # SyncReport
    failed = Signal(object)  # SyncError (or another exception: a bug, logged)

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
        self._finished_internal.connect(self._done)

    _finished_internal = Signal(object, object)

    def connected(self) -> bool:
        return links.link_of(self.profile.store) is not None

    def unencrypted(self) -> bool:
        """Linked to another computer without TLS (the user chose no encryption)."""
        link = links.link_of(self.profile.store)
        return link is not None and link.unencrypted

    def last_success(self) -> datetime | None:
        stamp = self.profile.store.setting(LAST_SYNC_KEY)
        return datetime.fromisoformat(stamp) if stamp else None

    def start(self) -> None:
        """Sync now and every few minutes, if the profile is connected."""
        if self.connected():
            self.timer.start()
            self.sync_now()

    def sync_now(self) -> bool:
        """Start a sync unless one is running or the profile has no server. True if started."""
        if self.running or not self.connected():
            return False
        self.running = True
        self.started.emit()
        self._executor.submit(self._run)
        return True

    def _run(self) -> None:
        try:
            report = sync_once(self.profile, self._progress, password=self.password)
        except SyncError as error:
            self._finished_internal.emit(None, error)
        except Exception as error:  # a bug: logged with its traceback, reported in plain words
            log.error("sync failed:\n%s", traceback.format_exc())
            self._finished_internal.emit(None, error)
        else:
            self._finished_internal.emit(report, None)

    def _progress(self, stage: str, done: int, total: int) -> None:
        self.progressed.emit(stage, done, total)

    def _done(self, report: SyncReport | None, error: BaseException | None) -> None:
        self.running = False
        if error is not None:
            self.failed.emit(error)
            return
        assert report is not None
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
