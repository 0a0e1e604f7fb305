"""Reminders through the real window: what is due is told at start, a sync that brings a task
due now tells it, a reminder time that comes is told, and a snoozed reminder leaves Today until
its new time. (The sync's rounds are scripted here: the pull itself is tested in tests/sync.)"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from crm_desktop.models.base import utcnow
from crm_desktop.models.entities import Task
from crm_desktop.profile import open_profile
from crm_desktop.services.changes import ChangeSet
from crm_desktop.sync.engine import SyncReport
from crm_desktop.sync.link import LOGIN_KEY, SERVER_KEY
from crm_desktop.views.main_window import MainWindow
from tests.views.helpers import FakeSync, shown_window, wait_idle


def a_linked_profile(profile_dir: Path, **tasks: timedelta) -> None:
    profile = open_profile(profile_dir)
    profile.store.set_setting(SERVER_KEY, "host=crm.example.com dbname=crm sslmode=require")
    profile.store.set_setting(LOGIN_KEY, "rob")
    for title, due in tasks.items():
        profile.writer().create(
            "tasks", {"title": title, "due_at": utcnow() + due, "assignee_id": profile.user_id}
        )
    profile.close()


def banner_text(window: MainWindow) -> str:
    return window.reminder_banner.text.text()


def test_what_is_due_at_start_is_on_today_and_the_banner_leads_there_from_elsewhere(
    qtbot: QtBot, profile_dir: Path, fake_sync: FakeSync
) -> None:
    a_linked_profile(profile_dir, overdue=-timedelta(hours=3), later=timedelta(days=3))
    for window in shown_window(qtbot, profile_dir):
        # The window opens on Today, which lists it: no banner over it saying to look there.
        qtbot.waitUntil(lambda w=window: "1 thing to do became due." in banner_text(w))
        assert window.pages.currentWidget() is window.today
        assert not window.reminder_banner.isVisible()
        window.go("customers")
        assert not window.reminder_banner.isVisible()  # seen on Today already
        window.reminders.tell(1)  # as a reminder time coming now would
        assert window.reminder_banner.isVisible()
        window.reminder_banner.text.linkActivated.emit("today")
        assert window.pages.currentWidget() is window.today
        assert not window.reminder_banner.isVisible()


def test_the_banner_leaves_when_the_user_goes_to_today_himself(
    qtbot: QtBot, profile_dir: Path, fake_sync: FakeSync
) -> None:
    a_linked_profile(profile_dir)
    for window in shown_window(qtbot, profile_dir):
        window.go("customers")
        window.reminders.tell(2)
        assert window.reminder_banner.isVisible()
        window.navigation.go("today")  # the sidebar, not the banner's link
        assert window.pages.currentWidget() is window.today
        assert not window.reminder_banner.isVisible()
        window.reminders.tell(1)  # told while Today shows: Today lists it
        assert not window.reminder_banner.isVisible()
        window.go("tasks")
        assert not window.reminder_banner.isVisible()


def test_a_sync_that_brings_a_task_due_now_tells_it(
    qtbot: QtBot, profile_dir: Path, fake_sync: FakeSync
) -> None:
    a_linked_profile(profile_dir)
    for window in shown_window(qtbot, profile_dir):
        wait_idle(qtbot, window)
        qtbot.waitUntil(lambda w=window: w.today.today is not None)
        assert not window.reminder_banner.isVisible()  # nothing due at start
        # A typed task due now is the user's own doing: no message for it.
        window.runner.write(
            lambda w=window: w.writer.create(
                "tasks", {"title": "typed", "due_at": utcnow(), "assignee_id": w.profile.user_id}
            )
        )
        qtbot.waitUntil(lambda w=window: w.today.today.tasks.total == 1)
        assert not window.reminder_banner.isVisible()
        window.go("customers")  # away from Today, where the banner would point

        def pulled(_progress: object, w: MainWindow = window) -> SyncReport:
            # What a pull of a colleague's task for this user leaves in the store.
            with w.profile.store.write() as session:
                session.add(
                    Task(title="From the manager", due_at=utcnow(), assignee_id=w.profile.user_id)
                )
            return SyncReport()

        fake_sync.rounds.put(pulled)
        window.sync.start()
        qtbot.waitUntil(window.reminder_banner.isVisible, timeout=10000)
        assert "1 thing to do became due." in banner_text(window)


def the_visit(qtbot: QtBot, window: MainWindow) -> str:
    """The id of the one task a_linked_profile made, once Today has been read."""
    qtbot.waitUntil(lambda: window.today.today is not None)
    with window.profile.store.read() as session:
        return session.query(Task).one().id


def test_a_reminder_time_is_told_when_it_comes_and_snooze_puts_it_off(
    qtbot: QtBot, profile_dir: Path, fake_sync: FakeSync
) -> None:
    a_linked_profile(profile_dir, visit=timedelta(days=2))
    for window in shown_window(qtbot, profile_dir):
        task = the_visit(qtbot, window)
        soon = utcnow() + timedelta(seconds=1)
        window.runner.write(partial(window.writer.update, "tasks", task, {"remind_at": soon}))
        wait_idle(qtbot, window)
        qtbot.wait(1100)
        window.go("customers")  # away from Today, where the banner would point
        window.today.reload()  # what the minute's timer does
        qtbot.waitUntil(window.reminder_banner.isVisible, timeout=5000)
        view = window.today
        assert view.select_line("tasks", task) and view.current_line().kind == "reminder"
        assert view.buttons["todaySnooze"].isEnabled()
        view.snooze(view.current_line(), timedelta(hours=1))
        qtbot.waitUntil(lambda v=view: v.today.reminders.total == 0)
        with window.profile.store.read() as session:
            assert session.get(Task, task).remind_at > utcnow() + timedelta(minutes=59)


def test_a_snoozed_reminder_is_told_again_when_its_time_comes(
    qtbot: QtBot, profile_dir: Path, fake_sync: FakeSync
) -> None:
    a_linked_profile(profile_dir, visit=timedelta(days=2))
    for window in shown_window(qtbot, profile_dir):
        task = the_visit(qtbot, window)
        told: list[int] = []
        window.reminders.tell = told.append
        past = utcnow() - timedelta(seconds=1)
        window.runner.write(partial(window.writer.update, "tasks", task, {"remind_at": past}))
        qtbot.waitUntil(lambda w=window: w.today.today.reminders.total == 1)
        window.today.reload()
        wait_idle(qtbot, window)
        assert told == [1]  # told once, not at every reading
        view = window.today
        assert view.select_line("tasks", task)
        view.snooze(view.current_line(), timedelta(seconds=1))
        qtbot.waitUntil(lambda v=view: v.today.reminders.total == 0)
        qtbot.wait(1100)
        view.reload()  # what the minute's timer does
        qtbot.waitUntil(lambda t=told: t == [1, 1], timeout=5000)


def test_a_task_reminded_of_and_due_is_one_thing_to_do(
    qtbot: QtBot, profile_dir: Path, fake_sync: FakeSync
) -> None:
    a_linked_profile(profile_dir, visit=-timedelta(hours=1))
    profile = open_profile(profile_dir)
    with profile.store.write() as session:
        session.query(Task).update({"remind_at": utcnow() - timedelta(hours=2)})
    profile.close()
    for window in shown_window(qtbot, profile_dir):
        qtbot.waitUntil(lambda w=window: "became due" in banner_text(w))
        today = window.today.today
        assert (today.reminders.total, today.tasks.total) == (1, 1)  # on both lines
        assert today.count == 1
        assert "1 thing to do became due." in banner_text(window)
        assert window.navigation.item(0).text().endswith("(1)")


def test_a_reminder_pushed_out_of_a_full_list_and_back_is_not_told_again(
    qtbot: QtBot, profile_dir: Path, fake_sync: FakeSync, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Today shows the first LIMIT lines of a part: a reminder an older one pushes past them is
    not gone, and when it comes back it is no news."""
    monkeypatch.setattr("crm_desktop.queries.today.LIMIT", 1)
    a_linked_profile(profile_dir)
    for window in shown_window(qtbot, profile_dir):
        qtbot.waitUntil(lambda w=window: w.today.today is not None)
        assert pushed_out_and_back(qtbot, window) == [1, 1]


def pushed_out_and_back(qtbot: QtBot, window: MainWindow) -> list[int]:
    """What is told as a reminder is due, an older one pushes it out, and the older one is
    done (it comes back)."""
    told: list[int] = []
    window.reminders.tell = told.append
    me, now = window.profile.user_id, utcnow()

    older: list[str] = []

    def remind(title: str, ago: timedelta) -> ChangeSet:
        values = {"title": title, "remind_at": now - ago, "assignee_id": me}
        changes = window.writer.create("tasks", values)
        older.append(changes.primary_id)
        return changes

    window.runner.write(partial(remind, "Call Acme", timedelta(minutes=1)))
    qtbot.waitUntil(lambda: told == [1], timeout=5000)
    older.clear()
    window.runner.write(partial(remind, "Older", timedelta(hours=2)))
    qtbot.waitUntil(lambda: window.today.today.reminders.total == 2, timeout=5000)
    qtbot.waitUntil(lambda: told == [1, 1], timeout=5000)  # the older one is news
    window.runner.write(partial(window.writer.update, "tasks", older[0], {"done": True}))
    qtbot.waitUntil(lambda: window.today.today.reminders.total == 1, timeout=5000)
    window.today.reload()
    wait_idle(qtbot, window)
    return told  # "Call Acme" is back on the list: told before, no news
