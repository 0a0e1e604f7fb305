"""The daily work log on a real profile, offscreen: a rep's new log starts with what he did that
day, he edits and saves it in his own name; a manager reads his team's logs of a day, sees who
wrote none and comments; a rep has no Team tab."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from crm_desktop.models.entities import SCOPE_KEY, User, WorkLog, WorkLogComment
from crm_desktop.profile import Profile
from crm_desktop.queries.reader import Reader
from crm_desktop.services.writer import Writer
from crm_desktop.views.runner import Runner
from crm_desktop.views.work_log_view import WorkLogView
from tests.views.helpers import idle

ROB = "00000000-0000-4000-8000-0000000000b0"
RAE = "00000000-0000-4000-8000-0000000000aa"


def open_view(qtbot: QtBot, profile: Profile, runner: Runner) -> WorkLogView:
    view = WorkLogView(profile, runner, Reader(profile.store), profile.writer())
    qtbot.addWidget(view)
    view.resize(1000, 700)
    view.show()
    idle(qtbot, runner)
    return view


def add_people(profile: Profile) -> None:
    with profile.store.write() as session:
        session.add_all(
            [User(id=ROB, login="rob", name="Rob"), User(id=RAE, login="rae", name="Rae")]
        )


def stored_logs(profile: Profile) -> list[WorkLog]:
    with profile.store.read() as session:
        return list(session.scalars(select(WorkLog).where(WorkLog.deleted_at.is_(None))))


def test_a_reps_new_log_is_prefilled_then_saved_and_shown_again(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> None:
    profile.store.set_setting(SCOPE_KEY, f"rep {{{profile.user_id}}}")
    writer = profile.writer()
    acme = writer.create("customers", {"name": "华强电子", "owner_id": profile.user_id}).primary_id
    other = writer.create("customers", {"name": "Delta Trading"}).primary_id
    writer.create("followups", {"customer_id": other, "kind": "visit", "text": "Met the buyer"})
    task = writer.create("tasks", {"title": "Send the quote", "customer_id": acme}).primary_id
    writer.update("tasks", task, {"done": True})

    view = open_view(qtbot, profile, runner)
    assert view.tabs.count() == 1 and view.team_tab is None  # a rep: no Team tab
    done = view.done_edit.toPlainText()
    assert "华强电子" in done and "Delta Trading" in done
    assert "Met the buyer" in done and "Send the quote" in done
    # Lines in the language's own brackets and colons (Chinese: - Delta Trading（拜访）：…).
    assert "- Delta Trading (Visit): Met the buyer" in done.splitlines()
    assert "- Send the quote (华强电子)" in done.splitlines()
    assert not view.has_unsaved_input()  # the pre-fill is not typing

    view.done_edit.setPlainText(done + "\nAlso: price list for 华强")
    view.plan_edit.setPlainText("Call Delta again")
    with qtbot.waitSignal(view.saved, timeout=10000):
        view.save_button.click()
    idle(qtbot, runner)
    (log,) = stored_logs(profile)
    assert log.author_id == profile.user_id and log.day == datetime.now().date()
    assert log.done.endswith("Also: price list for 华强") and log.plan == "Call Delta again"
    assert log.problems is None
    assert not view.has_unsaved_input()

    # Another day starts empty (nothing done then), and coming back shows the saved log.
    view.previous_button.click()
    idle(qtbot, runner)
    assert view.day == datetime.now().date() - timedelta(days=1)
    assert view.done_edit.toPlainText() == "" and view.log is None
    view.next_button.click()
    idle(qtbot, runner)
    assert view.log is not None and view.log["id"] == log.id
    assert view.plan_edit.toPlainText() == "Call Delta again"

    # An edit changes only what was changed, on the same log.
    view.problems_edit.setPlainText("Delta wants 60 days' credit")
    view.save_button.click()
    idle(qtbot, runner)
    (log,) = stored_logs(profile)
    assert log.problems == "Delta wants 60 days' credit" and log.plan == "Call Delta again"


def test_leaving_a_day_with_typing_asks_first(
    qtbot: QtBot, profile: Profile, runner: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = open_view(qtbot, profile, runner)
    today = view.day
    view.plan_edit.setPlainText("not saved")
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *args: next(answers))
    view.previous_button.click()
    idle(qtbot, runner)
    assert view.day == today and view.plan_edit.toPlainText() == "not saved"
    view.previous_button.click()
    idle(qtbot, runner)
    assert view.day == today - timedelta(days=1) and view.plan_edit.toPlainText() == ""


def test_a_manager_reads_his_teams_logs_and_comments(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> None:
    add_people(profile)
    me = profile.user_id
    profile.store.set_setting(SCOPE_KEY, f"manager {{{me},{ROB}}} {{{me},{RAE},{ROB}}}")
    today = datetime.now().date()
    log = Writer(profile.store, ROB).create(
        "work_logs",
        {"author_id": ROB, "day": today, "done": "Visited Acme", "problems": "No samples left"},
    )

    view = open_view(qtbot, profile, runner)
    assert view.team_tab is not None and view.tabs.count() == 2
    view.tabs.setCurrentWidget(view.team_tab)
    rows = [
        (view.members.topLevelItem(n).text(0), view.members.topLevelItem(n).text(1))
        for n in range(view.members.topLevelItemCount())
    ]
    assert rows == [("Rae", "No log yet"), ("Rob", "Written")]
    assert "Rae" in view.missing.text() and "Rob" not in view.missing.text()

    assert view.choose_member(RAE)
    assert not view.comment_button.isEnabled()
    assert view.choose_member(ROB)
    shown = view.member_log.toPlainText()
    assert "Visited Acme" in shown and "No samples left" in shown
    view.comment_edit.setPlainText("Ask the factory for samples")
    view.comment_button.click()
    idle(qtbot, runner)

    with profile.store.read() as session:
        (comment,) = session.scalars(select(WorkLogComment))
        assert (comment.log_id, comment.author_id) == (log.primary_id, me)
        assert comment.text == "Ask the factory for samples"
    assert view.current_member() == ROB
    first_comment = view.member_comments.item(0).text()
    assert first_comment.endswith("Ask the factory for samples")
    assert view.members.topLevelItem(1).text(1).startswith("Written")


def test_a_day_still_ahead_has_no_log_to_write(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> None:
    """Tomorrow is not offered: neither the next-day button nor the calendar goes past today
    (the writer refuses such a log with a sentence besides)."""
    view = open_view(qtbot, profile, runner)
    today = datetime.now().date()
    view.next_button.click()
    idle(qtbot, runner)
    assert view.day == today
    assert view.day_edit.maximumDate().toPython() == today
    view.set_day(today + timedelta(days=3))
    assert view.day == today
