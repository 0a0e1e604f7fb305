"""A task or next step given a day without a time ("tomorrow", 2026-01-05 typed) is stored at
the user's local midnight and is due by the end of that day: overdue only once the day is over,
alike on Today, in the calendar, in the tables' overdue mark and filter, and in
models.dates.is_late itself. Run on a clock eight hours ahead of UTC, so that a local midnight is
not a UTC one."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest

from crm_desktop.models.base import utcnow
from crm_desktop.models.dates import end_of_local_day, is_day_only, is_late, local_to_utc
from crm_desktop.profile import Profile
from crm_desktop.queries.calendar import calendar_items
from crm_desktop.queries.tables import (
    CONTRACTS,
    CUSTOMERS,
    OPPORTUNITIES,
    OVERDUE,
    TASKS,
    ListQuery,
    fetch_rows,
    list_ids,
)
from crm_desktop.queries.today import today

pytestmark = pytest.mark.usefixtures("shanghai")


def local_midnight(days_from_today: int) -> datetime:
    day = datetime.now().date() + timedelta(days=days_from_today)
    return local_to_utc(datetime.combine(day, time()))


def test_a_day_is_late_only_once_it_is_over_and_a_moment_as_soon_as_it_passes() -> None:
    now = utcnow()
    today_, yesterday = local_midnight(0), local_midnight(-1)
    assert is_day_only(today_) and is_day_only(yesterday)
    # Midnight in Shanghai is 16:00 UTC: as UTC it is not midnight, as local time it is.
    assert today_.time() == time(16, 0)
    assert not is_late(today_, now)
    assert is_late(yesterday, now)
    assert is_late(now - timedelta(minutes=1), now)
    assert not is_late(now + timedelta(minutes=1), now)
    # The end of the day itself is late, a microsecond before it is not.
    assert is_late(today_, end_of_local_day(now))
    assert not is_late(today_, end_of_local_day(now) - timedelta(microseconds=1))


def tasks_by_title(profile: Profile) -> dict[str, str]:
    writer, me = profile.writer(), profile.user_id
    due = {
        "today, no time": local_midnight(0),
        "yesterday, no time": local_midnight(-1),
        "a minute ago": utcnow() - timedelta(minutes=1),
    }
    return {
        title: writer.create("tasks", {"title": title, "due_at": at, "assignee_id": me}).primary_id
        for title, at in due.items()
    }


def test_today_and_the_calendar_mark_a_day_overdue_only_after_it(profile: Profile) -> None:
    made = tasks_by_title(profile)
    now = utcnow()
    with profile.store.read() as session:
        found = today(session, profile.user_id, now, end_of_local_day(now))
        calendar = calendar_items(
            session, [profile.user_id], local_midnight(-2), local_midnight(2), now=now
        )
    assert {line.title: line.overdue for line in found.tasks.lines} == {
        "yesterday, no time": True,
        "today, no time": False,
        "a minute ago": True,
    }
    assert {item.title: item.overdue for item in calendar} == {
        "yesterday, no time": True,
        "today, no time": False,
        "a minute ago": True,
    }
    assert set(made) == {line.title for line in found.tasks.lines}


def test_the_tables_overdue_mark_and_filter_follow_the_same_rule(profile: Profile) -> None:
    made = tasks_by_title(profile)
    column = TASKS.column_keys().index(OVERDUE)
    with profile.store.read() as session:
        rows = fetch_rows(session, TASKS, list(made.values()))
        overdue_only = list_ids(session, TASKS, ListQuery(filters=((OVERDUE, True),)))
    assert {title: bool(rows[task][column]) for title, task in made.items()} == {
        "today, no time": False,
        "yesterday, no time": True,
        "a minute ago": True,
    }
    assert set(overdue_only) == {made["yesterday, no time"], made["a minute ago"]}


def test_a_next_step_for_today_without_a_time_is_due_but_not_overdue(profile: Profile) -> None:
    writer = profile.writer()
    steps = {"Due today": local_midnight(0), "Due yesterday": local_midnight(-1)}
    ids = {}
    for name, at in steps.items():
        ids[name] = writer.create("customers", {"name": name}).primary_id
        writer.create(
            "followups",
            {
                "customer_id": ids[name],
                "kind": "call",
                "text": "Talked",
                "happened_at": utcnow() - timedelta(days=3),
                "next_step_at": at,
            },
        )
    now = utcnow()
    column = CUSTOMERS.column_keys().index(OVERDUE)
    with profile.store.read() as session:
        found = today(session, profile.user_id, now, end_of_local_day(now))
        rows = fetch_rows(session, CUSTOMERS, list(ids.values()))
    assert {line.title: line.overdue for line in found.next_steps.lines} == {
        "Due yesterday": True,
        "Due today": False,
    }
    assert {name: bool(rows[ids[name]][column]) for name in ids} == {
        "Due yesterday": True,
        "Due today": False,
    }


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Etc/GMT+12"])
def test_deals_and_contracts_are_late_by_the_users_date(
    profile: Profile, monkeypatch: pytest.MonkeyPatch, zone: str
) -> None:
    """An expected close or an end is a day of the user's calendar, not of UTC's. Fourteen
    hours ahead of UTC and twelve behind: at any hour one of the two has another date than
    UTC's, so a rule read in UTC shows in one of them."""
    from time import tzset

    monkeypatch.setenv("TZ", zone)
    tzset()
    today_here = datetime.now().date()
    writer = profile.writer()
    customer = writer.create("customers", {"name": "Acme"}).primary_id
    deals, contracts = {}, {}
    for name, day in (("yesterday", today_here - timedelta(days=1)), ("today", today_here)):
        deals[name] = writer.create(
            "opportunities",
            {"customer_id": customer, "title": name, "stage": "proposal", "expected_close": day},
        ).primary_id
        contracts[name] = writer.create(
            "contracts",
            {
                "customer_id": customer,
                "number": f"C-{name}",
                "status": "active",
                "start_on": day - timedelta(days=30),
                "end_on": day,
            },
        ).primary_id
    for spec, made in ((OPPORTUNITIES, deals), (CONTRACTS, contracts)):
        column = spec.column_keys().index(OVERDUE)
        with profile.store.read() as session:
            rows = fetch_rows(session, spec, list(made.values()))
        assert {name: bool(rows[row_id][column]) for name, row_id in made.items()} == {
            "yesterday": True,
            "today": False,
        }
