"""Notes to a colleague in the window: sent from the customer page or the File menu, kept as
the sender's own (a clerk's too), shown on the recipient's Today, read and marked read there,
and a comment on his work log shown to its author. (Who may read a note is the server's to say:
tests/server/test_attack_notes.py.)"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from crm_desktop import cli
from crm_desktop.models.base import utcnow
from crm_desktop.models.entities import Note, User, WorkLog, WorkLogComment
from crm_desktop.profile import open_profile
from crm_desktop.views.customer_page import CustomerPage
from crm_desktop.views.note_dialog import NoteDialog
from tests.views.helpers import shown_window, wait_idle

RAE = "00000000-0000-4000-8000-0000000000aa"


def colleague(profile_dir: Path) -> str:
    profile = open_profile(profile_dir)
    customer = profile.writer().create("customers", {"name": "Acme"}).primary_id
    with profile.store.write() as session:
        session.add(User(id=RAE, login="rae", name="Rae"))
    profile.close()
    return customer


def rae_writes(profile_dir: Path) -> str:
    """As a pull leaves them: Rae's note to this user about Acme (n1), and her comment (c1) on
    his work log of today (l1). Returns Acme's id."""
    customer = colleague(profile_dir)
    profile = open_profile(profile_dir)
    me = profile.user_id
    with profile.store.write() as session:
        session.add(
            Note(
                id="n1",
                sender_id=RAE,
                recipient_id=me,
                text="Call Acme\nsoon",
                customer_id=customer,
            )
        )
        session.add(WorkLog(id="l1", author_id=me, day=date.today(), done="visits"))
        session.add(WorkLogComment(id="c1", log_id="l1", author_id=RAE, text="Well done"))
    profile.close()
    return customer


def test_a_note_about_a_customer_is_sent_from_its_page(qtbot: QtBot, profile_dir: Path) -> None:
    customer = colleague(profile_dir)
    for window in shown_window(qtbot, profile_dir):
        page = window.records.open_customer(customer)
        qtbot.waitUntil(lambda p=page: p.detail is not None)
        page.findChild(QPushButton, "noteAboutCustomer").click()
        dialog = window.findChild(NoteDialog)
        qtbot.waitUntil(lambda d=dialog: d.recipient.count() == 1)
        assert not dialog.send_button.isEnabled()  # nothing written yet
        dialog.text.setPlainText("Acme wants a visit next week")
        with qtbot.waitSignal(dialog.sent, timeout=5000):
            dialog.send_button.click()
        with window.profile.store.read() as session:
            note = session.query(Note).one()
            assert (note.sender_id, note.recipient_id, note.customer_id) == (
                window.profile.user_id,
                RAE,
                customer,
            )
            assert note.text == "Acme wants a visit next week" and note.read_at is None
        page.close()


def test_a_note_that_is_too_long_says_so_and_is_not_sent(qtbot: QtBot, profile_dir: Path) -> None:
    colleague(profile_dir)
    for window in shown_window(qtbot, profile_dir):
        dialog = window.records.send_note()
        qtbot.waitUntil(lambda d=dialog: d.recipient.count() == 1)
        dialog.text.setPlainText("字" * 2001)
        dialog.send()
        assert "2000" in dialog.message.text() and dialog.isVisible()
        wait_idle(qtbot, window)
        with window.profile.store.read() as session:
            assert session.query(Note).count() == 0
        dialog.reject()


def test_notes_and_comments_to_the_user_show_on_today_and_are_read_there(
    qtbot: QtBot, profile_dir: Path, monkeypatch
) -> None:
    rae_writes(profile_dir)
    profile = open_profile(profile_dir)
    me = profile.user_id
    with profile.store.write() as session:
        # Not news to him: a note he read, his own note to her, his own reply.
        session.add(
            Note(id="n2", sender_id=RAE, recipient_id=me, text="Read already", read_at=utcnow())
        )
        session.add(Note(id="n3", sender_id=me, recipient_id=RAE, text="Mine to her"))
        session.add(WorkLogComment(id="c2", log_id="l1", author_id=me, text="My own reply"))
    profile.close()
    for window in shown_window(qtbot, profile_dir):
        view = window.today
        qtbot.waitUntil(lambda v=view: v.today is not None)
        assert [line.id for line in view.today.notes.lines] == ["n1"]
        assert [line.id for line in view.today.comments.lines] == ["c1"]
        texts = [
            view.list.topLevelItem(0).child(0).text(1),
            view.list.topLevelItem(1).child(0).text(1),
        ]
        assert texts == ["Rae: Call Acme", "Rae: Well done"]
        # Opening the note shows it whole and marks it read.
        shown: list[str] = []
        monkeypatch.setattr(
            QMessageBox, "exec", lambda box, shown=shown: shown.append(box.text()) or 0
        )
        assert view.select_line("notes", "n1")
        view.open_current()
        assert shown == ["Call Acme\nsoon"]
        qtbot.waitUntil(lambda v=view: v.today.notes.total == 0)
        with window.profile.store.read() as session:
            assert session.get(Note, "n1").read_at is not None
        assert window.findChild(CustomerPage) is None


def test_the_command_line_lists_notes_and_comments_too(
    profile_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A day whose only news is a colleague's note: `crm-desktop today` says so."""
    rae_writes(profile_dir)
    assert cli.main(["--profile", str(profile_dir), "today"]) == 0
    text = capsys.readouterr().out
    assert "Nothing due today." not in text
    assert "Notes from colleagues (1):" in text
    assert "Call Acme soon · Acme — Rae  [notes n1]" in text
    assert "Comments on your work logs (1):" in text
    assert "Well done — Rae  [work_log_comments c1]" in text
    assert cli.main(["--profile", str(profile_dir), "today", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["count"] == 2
    assert [line["id"] for line in printed["notes"]["lines"]] == ["n1"]
    assert [line["id"] for line in printed["comments"]["lines"]] == ["c1"]


def test_a_comment_on_an_older_log_opens_that_day_of_the_work_log(
    qtbot: QtBot, profile_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    colleague(profile_dir)
    profile = open_profile(profile_dir)
    three_days_ago = date.today() - timedelta(days=3)
    with profile.store.write() as session:
        session.add(WorkLog(id="old", author_id=profile.user_id, day=three_days_ago, done="x"))
        session.add(WorkLogComment(id="c9", log_id="old", author_id=RAE, text="Why so few?"))
    profile.close()
    assert cli.main(["--profile", str(profile_dir), "today", "--json"]) == 0
    line = json.loads(capsys.readouterr().out)["comments"]["lines"][0]
    assert line["log_day"] == three_days_ago.isoformat()
    assert line["when"].endswith("Z")  # a moment, in UTC
    for window in shown_window(qtbot, profile_dir):
        view = window.today
        qtbot.waitUntil(lambda v=view: v.today is not None and v.today.comments.total == 1)
        assert view.select_line("work_log_comments", "c9")
        view.open_current()
        log = window.work_log
        assert window.pages.currentWidget() is log and log.day == three_days_ago
        qtbot.waitUntil(lambda g=log: g.log is not None and g.log["id"] == "old")
    # Opened, it is read: the command line lists it no more either.
    assert cli.main(["--profile", str(profile_dir), "today", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["comments"]["lines"] == []


def test_the_work_log_left_open_overnight_moves_to_the_new_day(
    qtbot: QtBot, profile_dir: Path
) -> None:
    colleague(profile_dir)
    for window in shown_window(qtbot, profile_dir):
        window.go("work_log")
        log = window.work_log
        yesterday = date.today() - timedelta(days=1)
        # As if opened yesterday and left on "today": the next showing is the new day.
        log.day = yesterday
        window.go("today")
        window.go("work_log")
        assert log.day == date.today()
        # A day the user chose himself is kept.
        assert log.set_day(yesterday)
        window.go("today")
        window.go("work_log")
        assert log.day == yesterday


def test_a_note_about_a_customer_deleted_since_opens_nothing(profile_dir: Path) -> None:
    """The note still reads, but offers no customer to open: a deleted customer's page has
    nothing left to do."""
    from crm_desktop.models.dates import end_of_local_day
    from crm_desktop.queries.today import today

    customer = rae_writes(profile_dir)
    profile = open_profile(profile_dir)
    profile.writer().delete("customers", [customer])
    now = utcnow()
    with profile.store.read() as session:
        notes = today(session, profile.user_id, now, end_of_local_day(now)).notes.lines
    profile.close()
    assert [(line.id, line.customer_id, line.customer_name) for line in notes] == [
        ("n1", None, None)
    ]


def test_a_comment_read_or_opened_leaves_today(qtbot: QtBot, profile_dir: Path) -> None:
    """A manager's comment counted on Today for a week whatever the rep did; marked read, or
    opened (it opens the work log it is on), it leaves Today's count, on this device."""
    rae_writes(profile_dir)
    profile = open_profile(profile_dir)
    with profile.store.write() as session:
        session.add(WorkLogComment(id="c3", log_id="l1", author_id=RAE, text="And the report?"))
    profile.close()
    for window in shown_window(qtbot, profile_dir):
        view = window.today
        qtbot.waitUntil(lambda v=view: v.today is not None and v.today.comments.total == 2)
        assert view.select_line("work_log_comments", "c1")
        assert view.buttons["todayMarkRead"].isEnabled()
        view.buttons["todayMarkRead"].click()
        qtbot.waitUntil(lambda v=view: v.today.comments.total == 1)
        assert view.select_line("work_log_comments", "c3")
        view.open_current()
        assert window.pages.currentWidget() is window.work_log
        qtbot.waitUntil(lambda v=view: v.today.comments.total == 0)
    # Still read when the program starts again.
    for window in shown_window(qtbot, profile_dir):
        qtbot.waitUntil(lambda w=window: w.today.today is not None)
        assert window.today.today.comments.total == 0


def test_a_long_note_shows_its_start_and_the_whole_in_its_details(
    qtbot: QtBot, profile_dir: Path, monkeypatch
) -> None:
    """79 lines in a box as tall put Close below the screen."""
    colleague(profile_dir)
    profile = open_profile(profile_dir)
    text = "\n".join(f"第 {n} 行：客户的要求" for n in range(1, 80))
    with profile.store.write() as session:
        session.add(Note(id="n9", sender_id=RAE, recipient_id=profile.user_id, text=text))
    profile.close()
    shown: list[tuple[str, str, str]] = []
    monkeypatch.setattr(
        QMessageBox,
        "exec",
        lambda box: shown.append((box.text(), box.detailedText(), box.informativeText())) or 0,
    )
    for window in shown_window(qtbot, profile_dir):
        view = window.today
        qtbot.waitUntil(lambda v=view: v.today is not None and v.today.notes.total == 1)
        assert view.select_line("notes", "n9")
        view.open_current()
    ((start, details, about),) = shown
    assert start.count("\n") == 11 and start.endswith("…")
    assert details == text
    assert "Show Details" in about


def test_a_short_note_is_never_shown_as_cut() -> None:
    from crm_desktop.views.today_view import _note_start

    for text in ("hello\n", "line one\r\nline two", "a\u2028b", "中" * 600):
        assert _note_start(text) == (text, False), repr(text)
    start, cut = _note_start("中" * 601)
    assert cut and start == "中" * 600 + "…"
