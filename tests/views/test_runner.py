"""The storage thread bridge: every job's result comes back on the GUI thread, in order."""

from __future__ import annotations

import sys
import threading

from PySide6.QtCore import QObject, Signal
from pytestqt.qtbot import QtBot

from crm_desktop.services.changes import ChangeSet
from crm_desktop.transfer.errors import TransferError
from crm_desktop.views.runner import Runner, describe_error


class Emitter(QObject):
    fired = Signal(object)


def test_signal_emission_keeps_reference_counts(qapp) -> None:
    """PySide6 6.12.0 dropped a reference to the emit() result each call until Python aborted."""
    emitter = Emitter()
    emitter.fired.connect(lambda _value: None)
    before = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(2000):
        emitter.fired.emit(None)
    assert (sys.getrefcount(True), sys.getrefcount(None)) == before


def test_results_arrive_on_the_gui_thread_in_submission_order(qtbot: QtBot) -> None:
    runner = Runner()
    arrived: list[tuple[int, bool]] = []
    gui = threading.get_ident()
    for number in range(3000):
        runner.submit(
            lambda n=number: n, lambda n: arrived.append((n, threading.get_ident() == gui))
        )
    qtbot.waitUntil(lambda: len(arrived) == 3000, timeout=20000)
    assert arrived == [(n, True) for n in range(3000)]
    runner.shutdown()


def test_errors_go_to_the_error_callback_and_writes_announce_changes(qtbot: QtBot) -> None:
    runner = Runner()
    errors: list[BaseException] = []

    def broken() -> None:
        raise ValueError("boom")

    with qtbot.waitSignal(runner.failed, timeout=5000) as unhandled:
        runner.submit(broken)
    assert "Something went wrong" in unhandled.args[0]
    runner.submit(broken, on_error=errors.append)
    changes = ChangeSet()
    changes.add("created", "customers", "c1")
    with qtbot.waitSignal(runner.changed, timeout=5000) as announced:
        runner.write(lambda: changes)
    qtbot.waitUntil(lambda: len(errors) == 1)
    assert isinstance(errors[0], ValueError)
    assert announced.args[0] is changes
    runner.shutdown()


def test_a_corrupt_store_names_its_backups_folder(qtbot, tmp_path) -> None:
    import sqlite3

    from crm_desktop.storage.errors import StoreError
    from crm_desktop.views.runner import Runner

    store = tmp_path / "crm.sqlite3"
    store.write_bytes(b"this is not a database" * 100)
    runner = Runner(str(store))
    failures: list[BaseException] = []

    def read() -> None:
        with sqlite3.connect(store) as connection:
            connection.execute("SELECT * FROM sqlite_master").fetchall()

    runner.submit(read, lambda _r: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures))
    runner.shutdown()
    assert isinstance(failures[0], StoreError)
    assert str(tmp_path / "backups") in str(failures[0])


def test_damage_met_while_running_asks_the_next_start_for_the_full_check(
    qtbot, profile_dir
) -> None:
    """A read that runs into a damaged page gives the sentence, and the next start runs the
    full check (which repairs the store) although the session may still close cleanly."""
    from sqlalchemy import select

    from crm_desktop.models.entities import Customer
    from crm_desktop.profile import open_profile
    from crm_desktop.storage import backups
    from crm_desktop.storage.errors import StoreError
    from crm_desktop.storage.store import STORE_FILE
    from crm_desktop.views.runner import Runner
    from tests.storage.test_backups import damage, pages_of, settle

    profile = open_profile(profile_dir)
    for number in range(400):
        profile.writer().create(
            "customers", {"name": f"Customer {number}", "notes": "a note " * 40}
        )
    profile.close()
    settle(profile_dir)
    backups.note_started(profile_dir, checked=True)
    backups.note_closed_cleanly(profile_dir)
    assert backups.check_due(profile_dir) is None
    customer_pages = pages_of(profile_dir / STORE_FILE, "customers")
    damage(profile_dir / STORE_FILE, [customer_pages[len(customer_pages) // 2]])

    profile = open_profile(profile_dir)
    runner = Runner(str(profile.store.path))
    failures: list[BaseException] = []

    def read_every_customer() -> int:
        with profile.store.read() as session:
            return len(session.scalars(select(Customer.notes)).all())

    runner.submit(read_every_customer, lambda _count: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures))
    runner.shutdown()
    profile.close()
    backups.note_closed_cleanly(profile_dir)
    assert isinstance(failures[0], StoreError)
    assert "damaged" in failures[0].text()
    assert backups.check_due(profile_dir) == "full"


def test_an_answer_for_a_widget_closed_meanwhile_is_dropped(qtbot) -> None:
    """A dialog closed (and deleted) while its read ran: the answer finds nobody to show it
    to, instead of raising on a deleted widget; the runner is idle again after it."""
    import threading

    import shiboken6
    from PySide6.QtWidgets import QLabel

    from crm_desktop.views.runner import Runner

    class Page(QLabel):
        def show_count(self, count: int) -> None:
            self.setText(str(count))

    runner = Runner()
    page = Page()
    release = threading.Event()
    runner.submit(lambda: release.wait(5) and 3, page.show_count)
    shown = Page()
    runner.submit(lambda: 4, shown.show_count)  # a receiver still there gets its answer
    page.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(page))
    release.set()
    qtbot.waitUntil(lambda: runner.pending() == 0)
    runner.shutdown()
    assert shown.text() == "4"


def test_an_answer_bound_with_partial_for_a_deleted_widget_is_dropped(qtbot) -> None:
    """A form asks for a list's choices with partial(self._choices_arrived, editor); closed
    before they came, the answer must find nobody rather than raise on the deleted form (or
    on its deleted editor, handed over as an argument)."""
    import threading
    from functools import partial

    import shiboken6
    from PySide6.QtWidgets import QLabel, QLineEdit

    from crm_desktop.views.runner import Runner

    answered: list[str] = []

    class Form(QLabel):
        def __init__(self) -> None:
            super().__init__()
            self.editor = QLineEdit(self)

        def choices_arrived(self, editor: QLineEdit, options: list[str]) -> None:
            editor.setText(options[0])
            answered.append(editor.text())

    runner = Runner()
    gone, kept = Form(), Form()
    release = threading.Event()
    runner.submit(lambda: release.wait(5) and ["x"], partial(gone.choices_arrived, gone.editor))
    outside = Form()  # a method of one object, given another's widget that is then deleted
    runner.submit(lambda: release.wait(5) and ["z"], partial(outside.choices_arrived, gone.editor))
    runner.submit(lambda: release.wait(5) and ["y"], partial(kept.choices_arrived, kept.editor))
    gone.deleteLater()
    qtbot.waitUntil(lambda: not shiboken6.isValid(gone))
    release.set()
    qtbot.waitUntil(lambda: runner.pending() == 0)
    runner.shutdown()
    assert answered == ["y"]


def test_a_widget_only_a_job_held_is_let_go_once_its_answer_is_delivered(qtbot) -> None:
    """The job's callable is dropped on the GUI thread, after its answer: a page only the job
    still held is deleted there and then, never at a random moment after the storage thread
    let go of it."""
    import threading

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from crm_desktop.views.runner import Runner

    events: list[str] = []
    runner = Runner()
    page = QLabel()
    page.destroyed.connect(lambda: events.append("destroyed"), Qt.ConnectionType.DirectConnection)
    release = threading.Event()

    def work(held: QLabel = page) -> str:
        release.wait(5)
        return held.objectName() or "read"

    runner.submit(work, lambda answer: events.append(answer))
    del work, page  # only the job holds the page now
    release.set()
    qtbot.waitUntil(lambda: runner.pending() == 0)
    runner.shutdown()
    assert events == ["read", "destroyed"]


def test_a_file_problem_is_a_known_error_said_in_its_own_sentence(qtbot: QtBot, caplog) -> None:
    """A file the user can fix (an unclosed quote, a wrong encoding, a sheet not there) is
    said in its sentence, not as a bug pointing at the log."""
    runner = Runner()
    error = TransferError("Line {line}: a quoted value is never closed.", line=2)
    assert describe_error(error) == "Line 2: a quoted value is never closed."

    def unreadable() -> None:
        raise error

    with qtbot.waitSignal(runner.failed, timeout=5000) as unhandled:
        runner.submit(unreadable)
    assert unhandled.args == ["Line 2: a quoted value is never closed."]
    assert "storage job failed" not in caplog.text  # no traceback: it is no bug
    runner.shutdown()
