"""File → Backups…: the profile's backups, Back up now, and Restore…; and what the program does
about backups as it starts and quits.

A restore needs the store closed, and the window holds it open (its storage, network and sync
threads). So Restore… notes the chosen copy (storage/backups.schedule_restore, after checking
it), and the window closes; once it has closed and the store with it, `after_window_closed`
puts the copy back and says what it did, and the user starts the program again. A process
killed before that finds the note at the next start (`check_at_start`), so the restore the user
chose is never half done nor forgotten.

At start, before the store is opened: translations from a best-effort read of the language
setting, a noted restore done, then the check when it is due (storage/backups.check_due: after
a session that did not end cleanly, weekly, or when the file cannot be opened), in a busy
window; a damaged store is recovered (storage/backups.recover) and the user told what
happened. On quit, the daily backup runs in a busy window, then the clean close is noted. The
window that opens next syncs at once (MainWindow starts its sync controller), so a linked
profile fills from the server and sends the changes saved from the damaged store.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDateTime, QEventLoop, QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.validation import run_on
from crm_desktop.storage import backups
from crm_desktop.storage.backups import Backup, RestoreReport
from crm_desktop.storage.errors import StoreError
from crm_desktop.storage.store import Store
from crm_desktop.views.runner import Runner, describe_error

log = logging.getLogger(__name__)

CONTEXT = "Backups"
KIND_NAMES = {
    backups.DAILY: QT_TRANSLATE_NOOP("Backups", "daily"),
    backups.MANUAL: QT_TRANSLATE_NOOP("Backups", "manual"),
    backups.BEFORE_UPDATE: QT_TRANSLATE_NOOP("Backups", "before update"),
    backups.BEFORE_RESTORE: QT_TRANSLATE_NOOP("Backups", "before restore"),
    backups.DAMAGED: QT_TRANSLATE_NOOP("Backups", "damaged"),
}
PathRole = Qt.ItemDataRole.UserRole


def when_text(made_at: Any) -> str:
    """A backup's time as the user's locale writes it (the names hold local time)."""
    moment = QDateTime(made_at.date(), made_at.time())
    return QLocale().toString(moment, QLocale.FormatType.ShortFormat)


def describe(report: RestoreReport, restart: bool = False) -> str:
    """What a restore or a recovery did, in plain sentences for a message box."""
    parts = []
    recovered = report.damaged
    if recovered:
        parts.append(
            QCoreApplication.translate(
                "Backups", "The data file was damaged and has been replaced."
            )
        )
        if report.restored_from is not None and report.made_at is not None:
            parts.append(
                QCoreApplication.translate(
                    "Backups", "It was rebuilt from the backup of {when}."
                ).format(when=when_text(report.made_at))
            )
    elif report.made_at is not None:
        parts.append(
            QCoreApplication.translate("Backups", "The copy of {when} was restored.").format(
                when=when_text(report.made_at)
            )
        )
    if report.kept_aside is not None:
        parts.append(
            QCoreApplication.translate("Backups", "The data it replaced is kept in {path}.").format(
                path=report.kept_aside
            )
        )
    if report.another_users:
        parts.append(
            QCoreApplication.translate(
                "Backups",
                "The copy was made by another user's CRM Desktop: you stay the user here, and"
                " the next sync replaces its records with yours.",
            )
        )
    if report.linked:
        parts.append(
            QCoreApplication.translate(
                "Backups",
                "%n change(s) not yet sent to the server are kept; the next sync sends them"
                " and downloads everything again.",
                "",
                report.unsynced,
            )
        )
    elif recovered and report.restored_from is None and report.records_kept:
        # A profile on this computer only: its outbox holds every change, and the records
        # they make were carried over as far as they could be read.
        parts.append(
            QCoreApplication.translate(
                "Backups",
                "%n record(s) were saved from the damaged file. No server is linked, so"
                " records that could not be read are not back; an older backup may hold them.",
                "",
                report.records_kept,
            )
        )
    elif recovered and report.restored_from is None:
        parts.append(
            QCoreApplication.translate(
                "Backups",
                "No server is linked, so the records could not be brought back; an older"
                " backup may hold them.",
            )
        )
    if recovered and report.incomplete:
        parts.append(
            QCoreApplication.translate("Backups", "Parts of the damaged file could not be read.")
        )
    if restart:
        parts.append(
            QCoreApplication.translate(
                "Backups", "Start CRM Desktop again to work with the restored data."
            )
        )
    return run_on(*parts)


class BackupsDialog(QDialog):
    """The profile's backups, newest first, with Back up now and Restore…."""

    def __init__(self, profile_dir: Path, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("backupsDialog")
        self.setWindowTitle(self.tr("Backups"))
        self.profile_dir = Path(profile_dir)
        self.runner = runner
        # Copies and checks take seconds on a big store: a thread of the dialog's own, so the
        # window's storage thread stays free for its lists and syncs meanwhile (SQLite's
        # online backup and the check need no storage thread).
        self.worker = Runner(str(backups.store_path(self.profile_dir)), self, name="backups")
        # Set when the user chose a copy to restore: the window closes to let it happen.
        self.restore_chosen: Path | None = None

        explanation = QLabel(
            self.tr(
                "A copy of your data is made each day when you quit; the last 7 days and 4"
                " weeks before are kept, in {folder}."
            ).format(folder=backups.backup_dir(self.profile_dir))
        )
        explanation.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setObjectName("backupsTable")
        self.table.setHorizontalHeaderLabels([self.tr("Made"), self.tr("Kind"), self.tr("Size")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.status = QLabel()
        self.status.setObjectName("backupsStatus")
        self.status.setWordWrap(True)
        self.back_up_button = QPushButton(self.tr("Back up now"))
        self.back_up_button.setObjectName("backUpNowButton")
        self.back_up_button.clicked.connect(self.back_up_now)
        self.restore_button = QPushButton(self.tr("Restore…"))
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.clicked.connect(self.restore_selected)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_up_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.table)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.resize(620, 380)
        self._busy = False
        self._update_buttons()
        self.reload()

    # -- the list ----------------------------------------------------------------------------

    def reload(self) -> None:
        folder = self.profile_dir
        self.runner.submit(lambda: backups.list_backups(folder), self._show, self._failed)

    def _show(self, found: list[Backup]) -> None:
        self.table.setRowCount(len(found))
        locale = QLocale()
        for row, backup in enumerate(found):
            made = QTableWidgetItem(when_text(backup.made_at))
            made.setData(PathRole, str(backup.path))
            made.setToolTip(str(backup.path))
            kind = QTableWidgetItem(QCoreApplication.translate(CONTEXT, KIND_NAMES[backup.kind]))
            # KB and MB as people know them (QLocale's default writes KiB and MiB).
            shown = locale.formattedDataSize(
                backup.size, 1, QLocale.DataSizeFormat.DataSizeTraditionalFormat
            )
            size = QTableWidgetItem(shown)
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            for column, item in enumerate((made, kind, size)):
                self.table.setItem(row, column, item)
        self._update_buttons()

    def selected(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return Path(item.data(PathRole)) if item is not None else None

    def _update_buttons(self) -> None:
        self.back_up_button.setEnabled(not self._busy)
        self.restore_button.setEnabled(not self._busy and self.selected() is not None)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self.status.setText(text)
        self._update_buttons()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False, describe_error(error))

    # -- back up now -------------------------------------------------------------------------

    def back_up_now(self) -> None:
        folder = self.profile_dir
        self._set_busy(True, self.tr("Making a copy of your data…"))
        self.worker.submit(
            lambda: backups.back_up(folder, backups.MANUAL), self._backed_up, self._failed
        )

    def _backed_up(self, path: Path) -> None:
        self._set_busy(False, self.tr("Backed up to {path}.").format(path=path))
        self.reload()

    # -- restore -----------------------------------------------------------------------------

    def restore_selected(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        item = self.table.item(self.table.currentRow(), 0)
        when = item.text() if item is not None else chosen.name
        answer = QMessageBox.question(
            self,
            self.tr("Restore a backup"),
            self.tr(
                "Restore the copy of {when}?\n\nCRM Desktop closes, puts that copy in place of"
                " your data and keeps your current data aside in the backups folder. Linked to"
                " a server, changes not yet sent to it are kept and sent at the next sync."
                " Working on this computer only, what you entered after the copy was made is"
                " not in it: only in the data kept aside. Then start the program again."
            ).format(when=when),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        folder = self.profile_dir
        self._set_busy(True, self.tr("Checking the copy…"))
        self.worker.submit(
            lambda: backups.schedule_restore(folder, chosen),
            lambda _none: self._restore_noted(chosen),
            self._failed,
        )

    def done(self, result: int) -> None:
        """Closed only once a copy in the making is finished (its thread ends with the
        dialog); the status line says what it waits for."""
        if self._busy:
            return
        self.worker.shutdown()
        super().done(result)

    def _restore_noted(self, chosen: Path) -> None:
        self.restore_chosen = chosen
        self._set_busy(False)
        self.accept()


def open_backups(window: QMainWindow, profile_dir: Path, runner: Runner) -> BackupsDialog:
    """Show the dialog; when a restore was chosen, close the window so it can be done (a
    window that keeps an unsaved form open stays, and the restore is called off)."""
    dialog = BackupsDialog(profile_dir, runner, window)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished(_result: int) -> None:
        if dialog.restore_chosen is None:
            return
        if not window.close():
            backups.cancel_pending_restore(profile_dir)
            QMessageBox.information(
                window,
                QCoreApplication.translate("Backups", "Restore a backup"),
                QCoreApplication.translate(
                    "Backups", "The backup was not restored: save or close your open forms first."
                ),
            )

    dialog.finished.connect(finished)
    dialog.open()
    return dialog


# -- as the program starts and quits -----------------------------------------------------------


class BusyWindow(QWidget):
    """A small window saying what the program is doing while a restore or recovery runs."""

    def __init__(self, text: str) -> None:
        super().__init__(None, Qt.WindowType.Dialog)
        self.setObjectName("backupBusyWindow")
        self.setWindowTitle(QCoreApplication.translate("Backups", "CRM Desktop"))
        message = QLabel(text)
        message.setWordWrap(True)
        bar = QProgressBar()
        bar.setRange(0, 0)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(bar)
        self.setMinimumWidth(420)


def run_with_progress(text: str, store_path: Path, work: Callable[[], Any]) -> Any:
    """Run `work` on a storage thread while BusyWindow shows `text`; its result, or raise."""
    window = BusyWindow(text)
    window.show()
    runner = Runner(str(store_path))
    loop = QEventLoop()
    outcome: list[tuple[Any, BaseException | None]] = []

    def finished(result: Any, error: BaseException | None) -> None:
        outcome.append((result, error))
        loop.quit()

    runner.submit(work, lambda result: finished(result, None), lambda error: finished(None, error))
    if not outcome:
        loop.exec()
    runner.shutdown()
    window.close()
    window.deleteLater()
    result, error = outcome[0]
    if error is not None:
        raise error
    return result


def check_at_start(profile_dir: Path, prepare: Callable[[Store], None] | None = None) -> bool:
    """Before the store opens: a restore noted and not done, then the quick check and, for a
    damaged store, recovery; each said in a message. False when the program cannot go on.

    `prepare(store)` installs the translations the profile chose (app.prepare_application);
    it is called once a sound store can tell which, so the messages are in that language."""
    profile_dir = Path(profile_dir)
    store_path = backups.store_path(profile_dir)
    # Translations first, from a best-effort read of the language setting (the system's
    # language when the store cannot tell): every window and message below is in it.
    _prepare(profile_dir, prepare)
    if backups.restore_in_progress(profile_dir):
        # Another CRM Desktop is replacing the store: opening it now would lose what is typed.
        QMessageBox.warning(
            None,
            QCoreApplication.translate("Backups", "CRM Desktop"),
            describe_error(StoreError(backups.BUSY_RESTORING, path=str(profile_dir))),
        )
        return False
    if backups.pending_restore(profile_dir) is not None:
        _pending(profile_dir, restart=False)
    try:
        due = backups.check_due(profile_dir)
        damaged = due is not None and run_with_progress(
            QCoreApplication.translate("Backups", "Checking your data file…"),
            store_path,
            lambda: backups.check(profile_dir, full=due == "full"),
        )
    except Exception as error:  # a store another program holds: opening it will say so
        log.warning("check of %s not possible: %s", store_path, error)
        return True
    if not damaged:
        _note_started(profile_dir, checked=due is not None)
        return True
    log.error("the store %s failed its check", store_path)
    try:
        report = run_with_progress(
            QCoreApplication.translate(
                "Backups", "Your data file is damaged. Repairing it from what can be read…"
            ),
            store_path,
            lambda: backups.recover(profile_dir),
        )
    except Exception as error:
        log.error("recovery of %s failed", store_path, exc_info=True)
        QMessageBox.critical(
            None, QCoreApplication.translate("Backups", "CRM Desktop"), describe_error(error)
        )
        return False
    _note_started(profile_dir, checked=True)
    QMessageBox.warning(
        None, QCoreApplication.translate("Backups", "CRM Desktop"), describe(report)
    )
    return True


def _note_started(profile_dir: Path, checked: bool) -> None:
    try:
        backups.note_started(profile_dir, checked)
    except OSError:  # only costs a check at the next start
        log.warning("could not note the start in %s", profile_dir, exc_info=True)


def _prepare(profile_dir: Path, prepare: Callable[[Store], None] | None) -> None:
    """`prepare` on the profile's store; on a store that cannot say (damaged, say), on an empty
    one, so the system's language is used."""
    if prepare is None:
        return
    try:
        _prepare_from(profile_dir, prepare)
        return
    except Exception:  # the language is a nicety; the messages are shown either way
        log.warning("the language of %s could not be read", profile_dir, exc_info=True)
    with tempfile.TemporaryDirectory() as empty:
        try:
            _prepare_from(Path(empty), prepare)
        except Exception:
            log.warning("translations not installed", exc_info=True)


def _prepare_from(profile_dir: Path, prepare: Callable[[Store], None]) -> None:
    store = Store(profile_dir)
    try:
        prepare(store)
    finally:
        store.close()


def after_window_closed(profile_dir: Path) -> None:
    """Once the window and its store are closed: the restore the user chose, else the daily
    backup (a failure is logged and said: a copy that fails its check may mean a damaged
    store)."""
    if backups.pending_restore(profile_dir) is not None:
        _pending(profile_dir, restart=True)
    else:
        _daily_backup(profile_dir)
    try:
        backups.note_closed_cleanly(profile_dir)
    except OSError:  # only costs a check at the next start
        log.warning("could not note the clean close of %s", profile_dir, exc_info=True)


def _daily_backup(profile_dir: Path) -> None:
    """The daily backup, with a small window saying why the program is still there."""
    if not backups.daily_due(profile_dir):
        return
    try:
        run_with_progress(
            QCoreApplication.translate("Backups", "Making today's backup…"),
            backups.store_path(profile_dir),
            lambda: backups.backup_on_quit(profile_dir),
        )
    except Exception as error:
        log.error("the daily backup of %s failed", profile_dir, exc_info=True)
        QMessageBox.warning(
            None,
            QCoreApplication.translate("Backups", "CRM Desktop"),
            QCoreApplication.translate(
                "Backups", "Today's backup could not be made: {reason}"
            ).format(reason=describe_error(error)),
        )


def _pending(profile_dir: Path, restart: bool) -> None:
    try:
        report = run_with_progress(
            QCoreApplication.translate("Backups", "Restoring your data from the backup you chose…"),
            backups.store_path(profile_dir),
            lambda: backups.run_pending_restore(profile_dir),
        )
    except Exception as error:
        log.error("the restore chosen in the window failed", exc_info=True)
        QMessageBox.warning(
            None,
            QCoreApplication.translate("Backups", "CRM Desktop"),
            QCoreApplication.translate("Backups", "The backup was not restored: {reason}").format(
                reason=describe_error(error)
            ),
        )
        return
    if report is not None:
        QMessageBox.information(
            None,
            QCoreApplication.translate("Backups", "CRM Desktop"),
            describe(report, restart=restart),
        )
