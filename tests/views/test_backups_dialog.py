"""File → Backups… on the real window, offscreen: the list, Back up now, Restore…; and what the
program does about backups as it starts and quits."""

from __future__ import annotations

import re
from datetime import datetime
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QLockFile, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from crm_desktop.app import build_main_window, prepare_application
from crm_desktop.profile import LANGUAGE_KEY, open_profile
from crm_desktop.storage import backups
from crm_desktop.storage.errors import StoreError
from crm_desktop.storage.store import STORE_FILE
from crm_desktop.views import backups_dialog
from crm_desktop.views.backups_dialog import BackupsDialog
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.runner import Runner
from tests.storage.test_backups import damage, names_in, page_count, pages_of, settle
from tests.views.helpers import wait_idle


class Messages:
    """QMessageBox's static functions, answered and recorded."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer: QMessageBox.StandardButton) -> None:
        self.said: list[tuple[str, str]] = []
        for kind in ("information", "warning", "critical"):
            monkeypatch.setattr(QMessageBox, kind, self._recorder(kind))

        def question(_parent: object, _title: str, text: str, *_args: object) -> object:
            self.said.append(("question", text))
            return answer

        monkeypatch.setattr(QMessageBox, "question", question)

    def _recorder(self, kind: str) -> object:
        def record(_parent: object, _title: str, text: str, *_args: object) -> object:
            self.said.append((kind, text))
            return QMessageBox.StandardButton.Ok

        return record


def open_dialog(qtbot: QtBot, window: MainWindow) -> BackupsDialog:
    window.backups_action.trigger()
    dialog = window.findChild(BackupsDialog, "backupsDialog")
    assert dialog is not None and dialog.isVisible()
    wait_idle(qtbot, window)
    return dialog


def test_the_list_and_back_up_now(qtbot: QtBot, window: MainWindow) -> None:
    directory = window.profile.directory
    backups.back_up(directory, backups.DAILY, now=datetime(2026, 5, 4, 9, 30))
    dialog = open_dialog(qtbot, window)
    assert dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "daily"
    assert "2026" in dialog.table.item(0, 0).text() or "26" in dialog.table.item(0, 0).text()
    assert not dialog.restore_button.isEnabled()  # nothing chosen yet

    dialog.back_up_button.click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=10000)
    assert dialog.table.item(0, 1).text() == "manual"
    assert dialog.status.text().startswith("Backed up to ")
    made = backups.list_backups(directory)[0]
    assert made.kind == backups.MANUAL and str(made.path) in dialog.status.text()
    dialog.table.selectRow(0)
    assert dialog.restore_button.isEnabled()
    dialog.reject()


def test_restore_from_the_window(
    qtbot: QtBot, profile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = build_main_window(profile_dir)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, window)
    window.writer.create("customers", {"name": "In The Copy"})
    copy = backups.back_up(profile_dir)
    window.writer.create("customers", {"name": "Made Later"})
    messages = Messages(monkeypatch, QMessageBox.StandardButton.Yes)

    dialog = open_dialog(qtbot, window)
    dialog.table.selectRow(0)
    dialog.restore_button.click()
    # The confirmation says the current data is kept aside, and what becomes of what was
    # entered since the copy: sent at the next sync when linked, only in the data kept aside
    # on this computer alone (as "Made Later" is here).
    asked = messages.said[0]
    assert asked[0] == "question"
    assert "keeps your current data aside" in asked[1]
    assert "Linked to a server, changes not yet sent to it are kept" in asked[1]
    assert "what you entered after the copy was made is not in it" in asked[1]
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=20000)
    assert backups.pending_restore(profile_dir) == copy

    # As run_gui does once the window has closed.
    window.profile.close()
    backups_dialog.after_window_closed(profile_dir)
    assert messages.said[-1][0] == "information"
    assert messages.said[-1][1].startswith("The copy of ")
    assert "Start CRM Desktop again" in messages.said[-1][1]
    assert backups.pending_restore(profile_dir) is None
    assert names_in(profile_dir) == {"In The Copy"}
    # Started again: the window opens on the restored data.
    again = build_main_window(profile_dir)
    qtbot.addWidget(again)
    again.show()
    wait_idle(qtbot, again)
    model = again.tabs.current_model()
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=10000)
    again.close()
    again.profile.close()


def test_a_declined_restore_changes_nothing(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    backups.back_up(window.profile.directory)
    Messages(monkeypatch, QMessageBox.StandardButton.No)
    dialog = open_dialog(qtbot, window)
    dialog.table.selectRow(0)
    dialog.restore_button.click()
    wait_idle(qtbot, window)
    assert dialog.isVisible() and window.isVisible()
    assert backups.pending_restore(window.profile.directory) is None
    dialog.reject()


def test_quit_makes_the_daily_backup_once(
    profile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages = Messages(monkeypatch, QMessageBox.StandardButton.Ok)
    backups_dialog.after_window_closed(profile_dir)
    backups_dialog.after_window_closed(profile_dir)
    assert [b.kind for b in backups.list_backups(profile_dir)] == [backups.DAILY]
    assert messages.said == []


def test_a_damaged_store_is_repaired_at_start(
    qtbot: QtBot, profile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    profile = open_profile(profile_dir)
    writer = profile.writer()
    for number in range(300):
        writer.create("customers", {"name": f"Firm {number:03}", "phone": "13800138000"})
    profile.close()
    settle(profile_dir)
    middle = page_count(profile_dir / STORE_FILE) // 2
    damage(profile_dir / STORE_FILE, [middle, middle + 1])
    messages = Messages(monkeypatch, QMessageBox.StandardButton.Ok)

    assert backups_dialog.check_at_start(profile_dir)

    kind, text = messages.said[-1]
    assert kind == "warning"
    assert text.startswith("The data file was damaged and has been replaced.")
    # A profile on this computer only: the records were carried from its outbox.
    saved = re.search(r"(\d+) records? (?:was|were) saved from the damaged file\. No server", text)
    assert saved and int(saved.group(1)) > 0, text
    assert "could not be brought back" not in text
    assert not backups.is_damaged(profile_dir)
    # The window opens on the repaired store.
    window = build_main_window(profile_dir)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, window)
    window.close()
    window.profile.close()


def test_a_sound_store_starts_without_a_word(
    profile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages = Messages(monkeypatch, QMessageBox.StandardButton.Ok)
    assert backups_dialog.check_at_start(profile_dir)
    assert messages.said == []


def test_the_dialog_alone(qtbot: QtBot, profile_dir: Path) -> None:
    runner = Runner(str(profile_dir / STORE_FILE))
    dialog = BackupsDialog(profile_dir, runner)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: runner.pending() == 0, timeout=10000)
    assert dialog.objectName() == "backupsDialog" and dialog.table.rowCount() == 0
    backups.back_up(profile_dir)
    dialog.reload()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10000)
    # Sizes as people know them (KB, MB), not QLocale's KiB and MiB.
    size = dialog.table.item(0, 2).text()
    assert size.endswith(("kB", "KB", "MB")) and "iB" not in size
    runner.shutdown()


def test_the_check_at_start_is_skipped_after_a_clean_close(
    qtbot: QtBot, profile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole file is read at start only after a session that did not end cleanly (or a
    week after the last check): a clean close is noted once the window and store are closed."""
    messages = Messages(monkeypatch, QMessageBox.StandardButton.Ok)
    assert backups.check_due(profile_dir) == "quick"
    assert backups_dialog.check_at_start(profile_dir)
    assert backups.check_due(profile_dir) == "quick"  # the session is running
    window = build_main_window(profile_dir)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, window)
    window.close()
    window.profile.close()
    backups_dialog.after_window_closed(profile_dir)  # as run_gui: the daily backup, then noted
    assert [b.kind for b in backups.list_backups(profile_dir)] == [backups.DAILY]
    assert backups.check_due(profile_dir) is None
    assert backups_dialog.check_at_start(profile_dir)
    assert backups.check_due(profile_dir) == "quick"  # a crash now means a check next time
    assert messages.said == []


def test_back_up_now_leaves_the_windows_storage_thread_free(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = open_dialog(qtbot, window)
    dialog.back_up_button.click()
    assert dialog.worker.pending() == 1 and window.runner.pending() == 0
    dialog.reject()  # refused while the copy is being made
    assert dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.status.text().startswith("Backed up to "), timeout=10000)
    dialog.reject()
    assert not dialog.isVisible()


def test_the_repair_at_start_speaks_the_profiles_language(
    qtbot: QtBot, profile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The translations are installed before the check, from the damaged store's setting."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    monkeypatch.setattr(app, "_crm_translators", None, raising=False)
    profile = open_profile(profile_dir)
    profile.store.set_setting(LANGUAGE_KEY, "zh_CN")
    writer = profile.writer()
    for number in range(300):
        writer.create("customers", {"name": f"Firm {number:03}", "phone": "13800138000"})
    profile.close()
    settle(profile_dir)
    damage(profile_dir / STORE_FILE, pages_of(profile_dir / STORE_FILE, "customers")[3:5])
    messages = Messages(monkeypatch, QMessageBox.StandardButton.Ok)
    locale = QLocale()
    shown: list[str] = []  # what the busy windows said while they were up

    def look() -> None:
        for widget in app.topLevelWidgets():
            if widget.objectName() == "backupBusyWindow" and widget.isVisible():
                shown.extend(label.text() for label in widget.findChildren(QLabel))

    timer = QTimer()
    timer.timeout.connect(look)
    timer.start(0)
    try:
        assert backups_dialog.check_at_start(profile_dir, partial(prepare_application, app))
    finally:
        timer.stop()
        for translator in getattr(app, "_crm_translators", None) or []:
            app.removeTranslator(translator)
        QLocale.setDefault(locale)
    kind, text = messages.said[-1]
    assert kind == "warning" and "damaged and has been replaced" not in text
    assert any("\u4e00" <= character <= "\u9fff" for character in text)
    # The repair's busy window too, shown before the repaired store could say the language.
    assert any("\u4e00" <= c <= "\u9fff" for said in shown for c in said), shown


def test_a_start_while_another_crm_desktop_restores_says_so_and_stops(
    profile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Started again while the first window restores (its "Restoring your data…" showing):
    the second start says why and does not open the store, whose file is about to change."""
    messages = Messages(monkeypatch, QMessageBox.StandardButton.Ok)
    backups.schedule_restore(profile_dir, backups.back_up(profile_dir))
    holder = QLockFile(str(profile_dir / backups.LOCK_FILE))  # the restoring process's lock
    assert holder.tryLock(0)
    try:
        assert not backups_dialog.check_at_start(profile_dir)
        with pytest.raises(StoreError) as refused:
            open_profile(profile_dir)  # the command line is refused alike
        assert refused.value.message == backups.BUSY_RESTORING
    finally:
        holder.unlock()
    assert messages.said == [
        (
            "warning",
            f"Another CRM Desktop is restoring or repairing the data in {profile_dir}; "
            "try again when it has finished.",
        )
    ]
    assert backups.pending_restore(profile_dir) is not None  # the first one's note is its own
