"""The calendar's query: whose tasks and next steps, which times, done and overdue."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from crm_desktop.models.entities import User
from crm_desktop.profile import Profile
from crm_desktop.queries.calendar import NEXT_STEP, TASK, CalendarItem, calendar_items

RAE = "00000000-0000-4000-8000-0000000000aa"
SAM = "00000000-0000-4000-8000-0000000000bb"
MONDAY = datetime(2025, 3, 3)  # a Monday, UTC, in the past: follow-ups are dated up to now
NOW = MONDAY + timedelta(days=2, hours=12)  # Wednesday noon


@pytest.fixture
def people(profile: Profile) -> dict[str, str]:
    with profile.store.write() as session:
        session.add_all(
            [User(id=RAE, login="rae", name="Rae"), User(id=SAM, login="sam", name="Sam")]
        )
    return {"me": profile.user_id, "rae": RAE, "sam": SAM}


def task(profile: Profile, title: str, due: datetime | None, who: str, **more) -> str:
    values = {"title": title, "due_at": due, "assignee_id": who, **more}
    return profile.writer().create("tasks", values).primary_id


def items(profile: Profile, owners, start=MONDAY, end=MONDAY + timedelta(days=7)) -> list:
    with profile.store.read() as session:
        return calendar_items(session, owners, start, end, now=NOW)


def titles(found: list[CalendarItem]) -> list[str]:
    return [item.title for item in found]


def test_range_is_half_open_and_in_time_order(profile: Profile, people: dict) -> None:
    me = people["me"]
    task(profile, "before", MONDAY - timedelta(microseconds=1), me)
    task(profile, "at start", MONDAY, me)
    task(profile, "sunday night", MONDAY + timedelta(days=7, microseconds=-1), me)
    task(profile, "at end", MONDAY + timedelta(days=7), me)
    task(profile, "tuesday", MONDAY + timedelta(days=1, hours=9), me)
    task(profile, "no date", None, me)
    assert titles(items(profile, [me])) == ["at start", "tuesday", "sunday night"]


def test_only_the_chosen_peoples_tasks(profile: Profile, people: dict) -> None:
    when = MONDAY + timedelta(hours=10)
    task(profile, "mine", when, people["me"])
    task(profile, "rae's", when + timedelta(minutes=1), people["rae"])
    task(profile, "sam's", when + timedelta(minutes=2), people["sam"])
    assert titles(items(profile, [people["me"]])) == ["mine"]
    assert titles(items(profile, [people["rae"]])) == ["rae's"]
    assert titles(items(profile, [people["me"], people["rae"]])) == ["mine", "rae's"]
    assert items(profile, []) == []


def test_done_tasks_are_shown_and_never_overdue(profile: Profile, people: dict) -> None:
    me = people["me"]
    customer = profile.writer().create("customers", {"name": "华强电子"}).primary_id
    task(profile, "done late", MONDAY + timedelta(hours=9), me, done=True)
    task(profile, "late", MONDAY + timedelta(hours=10), me, customer_id=customer)
    task(profile, "later", NOW + timedelta(hours=1), me)
    found = {item.title: item for item in items(profile, [me])}
    assert (found["done late"].done, found["done late"].overdue) == (True, False)
    assert (found["late"].done, found["late"].overdue) == (False, True)
    assert (found["later"].done, found["later"].overdue) == (False, False)
    assert (found["late"].customer_id, found["late"].customer_name) == (customer, "华强电子")
    assert found["later"].customer_name is None
    assert {item.kind for item in found.values()} == {TASK}


def test_deleted_tasks_are_not_shown(profile: Profile, people: dict) -> None:
    gone = task(profile, "gone", MONDAY + timedelta(hours=9), people["me"])
    profile.writer().delete("tasks", [gone])
    assert items(profile, [people["me"]]) == []


def test_next_steps_of_the_peoples_customers(profile: Profile, people: dict) -> None:
    writer = profile.writer()
    mine = writer.create("customers", {"name": "我的客户", "owner_id": people["me"]}).primary_id
    raes = writer.create("customers", {"name": "Rae的客户", "owner_id": RAE}).primary_id
    kept = writer.create("customers", {"name": "Kept", "owner_id": people["me"]}).primary_id
    typed = writer.create(
        "customers",
        {"name": "Typed", "owner_id": people["me"], "next_followup_at": MONDAY + timedelta(1)},
    ).primary_id

    def follow_up(customer: str, step: str | None, at: datetime | None, happened: datetime):
        values = {
            "customer_id": customer,
            "kind": "call",
            "text": "talked",
            "happened_at": happened,
            "next_step": step,
            "next_step_at": at,
        }
        return writer.create("followups", values).primary_id

    earlier = MONDAY - timedelta(days=3)
    # Planned for Monday, then replaced by Tuesday's follow-up and its own next step.
    follow_up(mine, "send the quote", MONDAY + timedelta(hours=9), earlier)
    visit = follow_up(mine, "visit", MONDAY + timedelta(days=3, hours=15), MONDAY + timedelta(1))
    # Planned for Monday 09:00; the follow-up logged at 10:00 without a next step keeps it,
    # and answers it: done.
    sample = follow_up(kept, "send samples", MONDAY + timedelta(hours=9), earlier)
    follow_up(kept, None, None, MONDAY + timedelta(hours=10))
    # Rae's customer (logged by me: still Rae's step), overdue by Wednesday noon.
    follow_up(raes, "next month", MONDAY + timedelta(days=30), earlier - timedelta(days=1))
    call_back = follow_up(raes, "call back", MONDAY + timedelta(days=1, hours=8), earlier)

    found = {item.customer_id: item for item in items(profile, [people["me"]])}
    assert set(found) == {mine, kept, typed}
    assert {item.kind for item in found.values()} == {NEXT_STEP}
    step = found[mine]
    assert (step.id, step.title, step.when) == (visit, "visit", MONDAY + timedelta(3, hours=15))
    assert (step.done, step.overdue, step.customer_name) == (False, False, "我的客户")
    assert step.person_id == people["me"]
    assert (found[kept].id, found[kept].title, found[kept].done) == (sample, "send samples", True)
    assert not found[kept].overdue
    # A date typed on the customer: a next step without a text, overdue by Wednesday noon.
    assert (found[typed].id, found[typed].title, found[typed].overdue) == (None, "", True)

    (raes_step,) = items(profile, [RAE])
    assert (raes_step.id, raes_step.customer_id, raes_step.person_id) == (call_back, raes, RAE)
    assert (raes_step.done, raes_step.overdue) == (False, True)
    assert items(profile, [SAM]) == []


def test_next_steps_of_deleted_customers_are_not_shown(profile: Profile, people: dict) -> None:
    writer = profile.writer()
    customer = writer.create("customers", {"name": "Gone", "owner_id": people["me"]}).primary_id
    writer.create(
        "followups",
        {
            "customer_id": customer,
            "kind": "call",
            "text": "talked",
            "happened_at": MONDAY - timedelta(days=1),
            "next_step": "call",
            "next_step_at": MONDAY + timedelta(hours=9),
        },
    )
    assert len(items(profile, [people["me"]])) == 1
    writer.delete("customers", [customer])
    assert items(profile, [people["me"]]) == []
