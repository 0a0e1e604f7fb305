"""The status bar's sync area: where sync stands, in one line, and the *Sync now* button.

What it shows is read on the storage thread (`read_sync_status`) and arrives by signal, after
every write and every sync; the GUI thread never reads the store for it. While a sync runs, the
line says how far it has got, at most a few times a second however fast the sync reports.

Its strings keep the main window's translation context: they were the window's before it was
split into parts, and a translator sees the status bar as part of that window. (lupdate reads a
plural only from a tr() call, under the class it is written in: the plurals translated here
with QCoreApplication.translate are listed for it in resources/translations/extra_sources.py.)
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from crm_desktop.duplicates.arrived import CHECKED_AT_MOST, doubles_of_arrived
from crm_desktop.duplicates.model import DuplicateGroup
from crm_desktop.profile import Profile
from crm_desktop.queries.pool import returning_soon
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import Writer
from crm_desktop.storage.store import Store
from crm_desktop.sync import link as links
from crm_desktop.sync.conflicts import count_open_conflicts
from crm_desktop.sync.engine import LAST_SYNC_KEY, SyncReport
from crm_desktop.sync.errors import SyncError, SyncProblem
from crm_desktop.views.display import local_datetime
from crm_desktop.views.runner import Runner, describe_error
from crm_desktop.views.sync_controller import SyncController, is_offline

T = QT_TRANSLATE_NOOP
PROGRESS_EVERY_MS = 250  # the progress line changes at most this often

SENDING = T("MainWindow", "Sending changes")
SYNCING = T("MainWindow", "Syncing…")  # a stage without a name of its own
# "pull:search": a first sync making the received customers searchable.
INDEXING = T("MainWindow", "Preparing search")
# "pull:<entity>": the rows of one table arriving from the server.
RECEIVING: dict[str, str] = {
    "users": T("MainWindow", "Receiving users"),
    "customers": T("MainWindow", "Receiving customers"),
    "customer_identifiers": T("MainWindow", "Receiving ID numbers"),
    "contacts": T("MainWindow", "Receiving contacts"),
    "products": T("MainWindow", "Receiving products"),
    "opportunities": T("MainWindow", "Receiving opportunities"),
    "opportunity_lines": T("MainWindow", "Receiving opportunity lines"),
    "tasks": T("MainWindow", "Receiving tasks"),
    "followups": T("MainWindow", "Receiving follow-ups"),
    "work_logs": T("MainWindow", "Receiving work logs"),
    "work_log_comments": T("MainWindow", "Receiving comments on work logs"),
    "notes": T("MainWindow", "Receiving notes"),
    "contracts": T("MainWindow", "Receiving contracts"),
    "contract_instalments": T("MainWindow", "Receiving payment plans"),
    "payments": T("MainWindow", "Receiving payments"),
    "ownership_history": T("MainWindow", "Receiving ownership history"),
}
DONE_OF_TOTAL = T("MainWindow", "{stage}: {done} of {total}")
DONE_SO_FAR = T("MainWindow", "{stage}: {done}")  # how many there are is not known yet


def progress_text(stage: str, done: int, total: int) -> str:
    """A sync stage's progress as the status line says it: "Sending changes: 1,200 of 100,000",
    or with `total` 0 (not known yet) "Receiving customers: 35,000".

    A stage this program has no words for (the sync may learn new ones) reads "Syncing…: n of
    m". Numbers are grouped the way the language in use groups them.
    """
    entity = stage.removeprefix("pull:") if stage.startswith("pull:") else ""
    if stage == "push":
        name = SENDING
    elif stage == "pull:search":
        name = INDEXING
    else:
        name = RECEIVING.get(entity, SYNCING)
    locale = QLocale()
    template = DONE_OF_TOTAL if total > 0 else DONE_SO_FAR
    return QCoreApplication.translate("MainWindow", template).format(
        stage=QCoreApplication.translate("MainWindow", name),
        done=locale.toString(done),
        total=locale.toString(total),
    )


@dataclass(frozen=True)
class SyncStatus:
    """What the sync area shows, read in one trip to the storage thread."""

    link: links.ServerLink | None
    last_success: datetime | None
    pending: int  # changes in the outbox
    conflicts: int  # open conflicts
    # The user's customers returning to the pool within the rules' warning days (0: none, or
    # no rules known).
    returning_soon: int = 0
    warning_days: int = 0

    @property
    def connected(self) -> bool:
        return self.link is not None

    @property
    def unencrypted(self) -> bool:
        """Linked to another computer without TLS (the user chose no encryption)."""
        return self.link is not None and self.link.unencrypted


def read_sync_status(profile: Profile, writer: Writer) -> SyncStatus:
    """On the storage thread."""
    store = profile.store
    stamp = store.setting(LAST_SYNC_KEY)
    warning_days = profile.pool_warning_days() or 0
    returning = 0
    if warning_days:
        with store.read() as session:
            returning = returning_soon(session, profile.user_id, timedelta(days=warning_days))
    return SyncStatus(
        link=links.link_of(store),
        last_success=datetime.fromisoformat(stamp) if stamp else None,
        pending=writer.pending_changes(),
        conflicts=count_open_conflicts(store),
        returning_soon=returning,
        warning_days=warning_days,
    )


def _doubles_of_arrived(store: Store, customer_ids: list[str]) -> list[DuplicateGroup]:
    """On the storage thread: the likely duplicates of customers a sync brought."""
    with store.read() as session:
        return doubles_of_arrived(session, customer_ids)


class SyncStatusArea(QWidget):
    """One line saying where sync stands, and the *Sync now* button."""

    connect_requested = Signal()  # no server yet, or the server refused the password
    returning_requested = Signal()  # the user asked to see his customers returning soon
    # list[DuplicateGroup]: the user asked to review the likely duplicates of customers a
    # sync brought (duplicates/arrived.py)
    doubles_requested = Signal(object)
    status_read = Signal(object)  # SyncStatus, after every refresh

    def __init__(
        self,
        profile: Profile,
        writer: Writer,
        runner: Runner,
        sync: SyncController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._read = partial(read_sync_status, profile, writer)
        self._store = profile.store
        # Customers syncs brought that may have doubles here, not reviewed yet (with those of
        # a look under way), and the latest look's number: an older one's answer is not used.
        self._arrived: set[str] = set()
        self._look_number = 0
        self._runner, self._sync = runner, sync
        self.status: SyncStatus | None = None  # until the first read arrives
        self._error: BaseException | None = None  # of the last sync; None when it went well
        self._stage = ""  # while a sync runs: how far it has got
        self._waiting: tuple[str, int, int] | None = None  # progress not shown yet
        self._progress_timer = QTimer(self, singleShot=True, interval=PROGRESS_EVERY_MS)
        self._progress_timer.timeout.connect(self._show_waiting_progress)

        self.label = QLabel()
        self.label.setObjectName("syncStatus")
        self.label.setAccessibleName(QCoreApplication.translate("MainWindow", "Sync status"))
        self.button = QPushButton(QCoreApplication.translate("MainWindow", "Sync now"))
        self.button.setObjectName("syncButton")
        self.button.setAccessibleName(QCoreApplication.translate("MainWindow", "Sync now"))
        self.button.clicked.connect(self._button_clicked)
        # The owner's warning of customers about to return to the pool; a click lists them.
        self.pool_warning = QLabel()
        self.pool_warning.setObjectName("poolWarning")
        self.pool_warning.setTextFormat(Qt.TextFormat.RichText)
        self.pool_warning.linkActivated.connect(lambda _link: self.returning_requested.emit())
        self.pool_warning.hide()
        # Customers the last syncs brought that may be duplicates; a click lists them.
        self.doubles_notice = QLabel()
        self.doubles_notice.setObjectName("doublesNotice")
        self.doubles_notice.setTextFormat(Qt.TextFormat.RichText)
        self.doubles_notice.linkActivated.connect(lambda _link: self.review_doubles())
        self.doubles_notice.hide()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.doubles_notice)
        layout.addWidget(self.pool_warning)
        layout.addWidget(self.label)
        layout.addWidget(self.button)

        sync.started.connect(self._started)
        sync.progressed.connect(self._progressed)
        sync.finished.connect(self._finished)
        sync.failed.connect(self._failed)
        runner.changed.connect(self._changed)

    def refresh(self) -> None:
        """Read the status again (on the storage thread) and show it when it arrives."""
        self._runner.submit(self._read, self._status_arrived)

    def _changed(self, changes: ChangeSet) -> None:
        self.refresh()
        if self._arrived and changes.deleted.get("customers"):
            self._look()  # one of a pair deleted or merged away: the notice may be out of date

    def _status_arrived(self, status: SyncStatus) -> None:
        self.status = status
        self._show()
        self.status_read.emit(status)

    def _button_clicked(self) -> None:
        if self.status is None or not self.status.connected:
            self.connect_requested.emit()
        else:
            self._sync.sync_now()

    # -- a sync round ------------------------------------------------------------------------

    def _started(self) -> None:
        self._stage = QCoreApplication.translate("MainWindow", SYNCING)
        self.button.setEnabled(False)
        self._show()

    def _progressed(self, stage: str, done: int, total: int) -> None:
        self._waiting = (stage, done, total)
        if not self._progress_timer.isActive():
            self._show_waiting_progress()

    def _show_waiting_progress(self) -> None:
        """Shows the latest progress, then waits a moment; what arrives meanwhile is kept
        (only the latest) and shown when the moment is over."""
        if self._waiting is None:
            return
        self._stage = progress_text(*self._waiting)
        self._waiting = None
        self._show()
        self._progress_timer.start()

    def _ended(self, error: BaseException | None) -> None:
        self._error = error
        self._stage = ""
        self._waiting = None
        self._progress_timer.stop()
        self.button.setEnabled(True)

    def _finished(self, report: object) -> None:
        self._ended(None)
        self.refresh()
        arrived = report.pulled.arrived_customers if isinstance(report, SyncReport) else []
        # Customers arriving by the hundred (a clerk's import, a team newly seen) are left to
        # Find duplicates: looking would take as long as a search of the whole store.
        if arrived and len(arrived) <= CHECKED_AT_MOST:
            self._arrived.update(arrived)
            self._look()

    # -- customers that may already be here -------------------------------------------------

    def _look(self, then: Callable[[list[DuplicateGroup]], None] | None = None) -> None:
        """Look (on the storage thread) for doubles of the customers syncs brought that wait
        for review; what is found replaces what the notice said, and goes to `then`."""
        self._look_number += 1
        look = partial(_doubles_of_arrived, self._store, sorted(self._arrived))
        self._runner.submit(look, partial(self._doubles_found, self._look_number, then))

    def _doubles_found(
        self,
        number: int,
        then: Callable[[list[DuplicateGroup]], None] | None,
        groups: list[DuplicateGroup],
    ) -> None:
        if then is not None:
            then(groups)  # the user's click is answered, whatever looks came after it
        if number != self._look_number:
            return  # a later look, which asked about these customers too, will answer
        newcomers = {
            (member.id, member.name)
            for group in groups
            for member in group.members
            if member.id in self._arrived
        }
        self._arrived = {customer_id for customer_id, _ in newcomers}
        if newcomers:
            text = QCoreApplication.translate(
                "MainWindow", "%n customer(s) just received may be duplicates", "", len(newcomers)
            )
            self.doubles_notice.setText(f'<a href="doubles">{html.escape(text)}</a>')
            self.doubles_notice.setToolTip("\n".join(sorted(name for _, name in newcomers)))
        self.doubles_notice.setVisible(bool(newcomers))

    def review_doubles(self) -> None:
        """Look once more (a pair may have been merged meanwhile), hand what is found to
        whoever lists it, and take the notice down."""
        self._look(self._reviewed)

    def _reviewed(self, groups: list[DuplicateGroup]) -> None:
        self._arrived = set()
        self.doubles_requested.emit(groups)

    def _failed(self, error: BaseException) -> None:
        self._ended(error)
        if isinstance(error, SyncError) and error.problem is SyncProblem.AUTH:
            self.connect_requested.emit()
        self.refresh()

    # -- the line ----------------------------------------------------------------------------

    def _show(self) -> None:
        status = self.status
        if status is None:
            return
        if not status.connected:
            text = QCoreApplication.translate(
                "MainWindow", "Working on this computer only (not connected to a server)"
            )
        elif self._stage:
            text = self._stage
        else:
            text = " · ".join(self._parts(status))
        self.label.setText(text)
        warning = QCoreApplication.translate(
            "MainWindow",
            "The connection to the server is not encrypted: use it only on a trusted network.",
        )
        self.label.setToolTip(warning if status.unencrypted else "")
        self._show_pool_warning(status)

    def _show_pool_warning(self, status: SyncStatus) -> None:
        if not status.returning_soon:
            self.pool_warning.hide()
            return
        text = QCoreApplication.translate(
            "MainWindow",
            "%n of your customers return(s) to the pool within %1 days",
            "",
            status.returning_soon,
        ).replace("%1", str(status.warning_days))
        self.pool_warning.setText(f'<a href="returning">{html.escape(text)}</a>')
        self.pool_warning.show()

    def _parts(self, status: SyncStatus) -> list[str]:
        error = self._error
        if error is None:
            parts = [QCoreApplication.translate("MainWindow", "Online")]
        elif is_offline(error):
            parts = [QCoreApplication.translate("MainWindow", "Offline")]
        else:
            parts = [describe_error(error)]
        if status.unencrypted:
            parts.append(QCoreApplication.translate("MainWindow", "not encrypted"))
        if status.last_success is not None:
            when = local_datetime(status.last_success).strftime("%m-%d %H:%M")
            parts.append(
                QCoreApplication.translate("MainWindow", "last synced %1").replace("%1", when)
            )
        parts.append(
            QCoreApplication.translate("MainWindow", "%n change(s) waiting", "", status.pending)
        )
        if status.conflicts:
            parts.append(
                QCoreApplication.translate("MainWindow", "%n conflict(s)", "", status.conflicts)
            )
        return parts
