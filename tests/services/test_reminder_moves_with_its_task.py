"""A task's reminder keeps its distance from the due time wherever the task is moved from:
Today's Postpone, its form, the calendar."""

from __future__ import annotations

from datetime import datetime, timedelta

from crm_desktop.models.entities import Task
from crm_desktop.profile import Profile

FRIDAY_3PM = datetime(2026, 12, 4, 7)  # naive UTC: 15:00 in Shanghai


def task_times(profile: Profile, task_id: str) -> tuple[datetime | None, datetime | None]:
    with profile.store.read() as session:
        task = session.get(Task, task_id)
        return task.due_at, task.remind_at


def make_task(profile: Profile, due: datetime | None, remind: datetime | None) -> str:
    values = {"title": "送样品", "due_at": due, "remind_at": remind}
    return profile.writer().create("tasks", values).primary_id


def test_a_new_due_time_takes_the_reminder_along(profile: Profile) -> None:
    task = make_task(profile, FRIDAY_3PM, FRIDAY_3PM - timedelta(hours=1))
    monday = FRIDAY_3PM + timedelta(days=3)
    profile.writer().update("tasks", task, {"due_at": monday}, move_reminder=True)
    assert task_times(profile, task) == (monday, monday - timedelta(hours=1))


def test_a_reminder_changed_with_the_due_time_is_as_typed(profile: Profile) -> None:
    task = make_task(profile, FRIDAY_3PM, FRIDAY_3PM - timedelta(hours=1))
    monday, sunday = FRIDAY_3PM + timedelta(days=3), FRIDAY_3PM + timedelta(days=2)
    profile.writer().update(
        "tasks", task, {"due_at": monday, "remind_at": sunday}, move_reminder=True
    )
    assert task_times(profile, task) == (monday, sunday)


def test_without_a_due_time_before_or_after_the_reminder_stays(profile: Profile) -> None:
    reminder = FRIDAY_3PM - timedelta(hours=1)
    undated = make_task(profile, None, reminder)
    profile.writer().update(
        "tasks", undated, {"due_at": FRIDAY_3PM + timedelta(days=1)}, move_reminder=True
    )
    assert task_times(profile, undated) == (FRIDAY_3PM + timedelta(days=1), reminder)
    dated = make_task(profile, FRIDAY_3PM, reminder)
    profile.writer().update("tasks", dated, {"due_at": None}, move_reminder=True)
    assert task_times(profile, dated) == (None, reminder)


def test_postpone_moves_both(profile: Profile) -> None:
    task = make_task(profile, FRIDAY_3PM, FRIDAY_3PM - timedelta(minutes=30))
    later = FRIDAY_3PM + timedelta(days=1, hours=2)
    profile.writer().postpone_task(task, later)
    assert task_times(profile, task) == (later, later - timedelta(minutes=30))


def test_a_due_time_put_back_moves_nothing_else(profile: Profile) -> None:
    """A conflict re-applied puts back the value that was lost, and only it: the reminder,
    put back or kept by its own conflict, is not moved a second time."""
    task = make_task(profile, FRIDAY_3PM, FRIDAY_3PM - timedelta(hours=1))
    monday = FRIDAY_3PM + timedelta(days=3)
    profile.writer().update("tasks", task, {"due_at": monday})
    assert task_times(profile, task) == (monday, FRIDAY_3PM - timedelta(hours=1))
