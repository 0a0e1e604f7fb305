"""Today says what a due next step is: the words of the follow-up that planned it, with its
customer beside them, as the calendar does; a date typed on the customer itself has no words,
and the line says the customer's name alone."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from crm_desktop.models.dates import end_of_local_day, local_to_utc
from crm_desktop.models.entities import Customer
from crm_desktop.profile import Profile
from crm_desktop.queries.calendar import calendar_items
from crm_desktop.queries.today import TodayLine, today
from crm_desktop.services import writer as writer_module
from crm_desktop.services.changes import UndoToken


def noon_today() -> datetime:
    """Noon today by the user's clock, as naive UTC: the writer's clock in these tests, so a
    step an hour before "now" is on the same day at any hour the suite runs."""
    return local_to_utc(datetime.combine(date.today(), time(12)))


@pytest.fixture(autouse=True)
def writer_at_noon(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writer_module, "utcnow", noon_today)


def steps_due(profile: Profile) -> dict[str, TodayLine]:
    now = noon_today()
    with profile.store.read() as session:
        found = today(session, profile.user_id, now, end_of_local_day(now))
    return {line.customer_name or "": line for line in found.next_steps.lines}


def test_a_next_step_says_what_was_promised_and_for_whom(profile: Profile) -> None:
    writer, now = profile.writer(), noon_today()
    planned = writer.create("customers", {"name": "华强电子"}).primary_id
    typed = writer.create(
        "customers", {"name": "远航环保", "next_followup_at": now - timedelta(hours=2)}
    ).primary_id
    writer.create(
        "followups",
        {
            "customer_id": planned,
            "kind": "call",
            "text": "谈了价格",
            "happened_at": now - timedelta(days=3),
            "next_step": "  寄送报价单 ",
            "next_step_at": now - timedelta(hours=1),
        },
    )
    # A later call that plans nothing keeps the step the earlier one planned.
    writer.create(
        "followups",
        {
            "customer_id": planned,
            "kind": "call",
            "text": "没接",
            "happened_at": now - timedelta(days=2),
        },
    )

    lines = steps_due(profile)
    assert set(lines) == {"华强电子", "远航环保"}
    assert (lines["华强电子"].title, lines["华强电子"].about()) == ("寄送报价单", "华强电子")
    assert (lines["远航环保"].title, lines["远航环保"].about()) == ("远航环保", None)
    assert lines["远航环保"].id == typed

    # The calendar shows the same step with the same words.
    with profile.store.read() as session:
        items = calendar_items(
            session, [profile.user_id], now - timedelta(days=1), now + timedelta(days=1), now
        )
    assert {item.customer_name: item.title for item in items if item.kind == "next_step"} == {
        "华强电子": "寄送报价单",
        "远航环保": "",
    }


def next_followup(profile: Profile, customer: str) -> object:
    with profile.store.read() as session:
        return session.get(Customer, customer).next_followup_at


def step_done_in_calendar(profile: Profile, name: str) -> bool | None:
    now = noon_today()
    with profile.store.read() as session:
        items = calendar_items(
            session, [profile.user_id], now - timedelta(days=40), now + timedelta(days=40), now
        )
    found = [item.done for item in items if item.kind == "next_step" and item.customer_name == name]
    return found[0] if found else None


def test_a_call_that_plans_a_step_for_today_has_not_taken_it(profile: Profile) -> None:
    """A call logged now plans a step for today as a day (00:00, before the call) or for an
    hour already past: the step is still to do, on Today and in the calendar, until a later
    follow-up takes it."""
    writer, now = profile.writer(), noon_today()
    customer = writer.create("customers", {"name": "今天要回电"}).primary_id
    writer.create(
        "followups",
        {
            "customer_id": customer,
            "kind": "call",
            "text": "客户在开会",
            "happened_at": now - timedelta(minutes=5),
            "next_step": "下班前再打电话确认数量",
            "next_step_at": now - timedelta(hours=1),
        },
    )
    assert steps_due(profile)["今天要回电"].title == "下班前再打电话确认数量"
    assert step_done_in_calendar(profile, "今天要回电") is False
    writer.create(
        "followups",
        {"customer_id": customer, "kind": "call", "text": "数量已确认", "happened_at": now},
    )
    assert "今天要回电" not in steps_due(profile)
    assert step_done_in_calendar(profile, "今天要回电") is True


def test_a_call_on_the_steps_day_before_its_hour_takes_it(profile: Profile) -> None:
    """The rep planned to call back tonight and called this afternoon (Ctrl+L on the step's
    line): the step is done. A call the day before a step leaves it to do."""
    writer, now = profile.writer(), noon_today()
    tonight = writer.create("customers", {"name": "今晚回电"}).primary_id
    tomorrow = writer.create("customers", {"name": "明天回电"}).primary_id
    for customer, step_at in (
        (tonight, now + timedelta(hours=9)),
        (tomorrow, now + timedelta(days=1)),
    ):
        writer.create(
            "followups",
            {
                "customer_id": customer,
                "kind": "call",
                "text": "客户要考虑",
                "happened_at": now - timedelta(days=2),
                "next_step": "回电确认报价",
                "next_step_at": step_at,
            },
        )
    # Due in the calendar's eyes: neither is taken yet.
    assert step_done_in_calendar(profile, "今晚回电") is False
    for customer in (tonight, tomorrow):
        writer.create(
            "followups",
            {"customer_id": customer, "kind": "call", "text": "已回电", "happened_at": now},
        )
    assert step_done_in_calendar(profile, "今晚回电") is True
    assert step_done_in_calendar(profile, "明天回电") is False


def test_deleting_the_follow_up_that_planned_a_step_takes_the_step_away(profile: Profile) -> None:
    writer, now = profile.writer(), noon_today()
    customer = writer.create("customers", {"name": "删掉的跟进"}).primary_id
    writer.create(
        "followups",
        {
            "customer_id": customer,
            "kind": "call",
            "text": "第一次联系",
            "happened_at": now - timedelta(days=5),
        },
    )
    planner = writer.create(
        "followups",
        {
            "customer_id": customer,
            "kind": "call",
            "text": "记错了客户",
            "happened_at": now - timedelta(days=2),
            "next_step": "寄样品",
            "next_step_at": now - timedelta(days=1),
        },
    ).primary_id
    assert "删掉的跟进" in steps_due(profile)
    writer.delete("followups", [planner])
    assert "删掉的跟进" not in steps_due(profile)
    assert next_followup(profile, customer) is None
    # A date typed on the customer itself is no follow-up's: deleting one leaves it.
    typed = now - timedelta(hours=3)
    writer.update("customers", customer, {"next_followup_at": typed})
    other = writer.create(
        "followups",
        {
            "customer_id": customer,
            "kind": "note",
            "text": "备注",
            "happened_at": now - timedelta(days=9),
        },
    ).primary_id
    writer.delete("followups", [other])
    assert steps_due(profile)["删掉的跟进"].title == "删掉的跟进"


def test_a_new_step_without_a_date_replaces_the_one_planned_before(profile: Profile) -> None:
    writer, now = profile.writer(), noon_today()
    customer = writer.create("customers", {"name": "换了下一步"}).primary_id
    for text, step, at, happened in (
        ("谈了价格", "OLD: 回电话", now - timedelta(hours=1), now - timedelta(days=2)),
        ("拜访", "NEW: 下周寄样品", None, now - timedelta(days=1)),
    ):
        writer.create(
            "followups",
            {
                "customer_id": customer,
                "kind": "visit",
                "text": text,
                "happened_at": happened,
                "next_step": step,
                "next_step_at": at,
            },
        )
    assert "换了下一步" not in steps_due(profile)
    assert step_done_in_calendar(profile, "换了下一步") is None
    assert next_followup(profile, customer) is None


def test_undoing_the_delete_of_the_follow_up_that_planned_a_step_brings_the_step_back(
    profile: Profile,
) -> None:
    """A later call that planned nothing keeps the step; the planner deleted by mistake takes
    it away, and Undo puts it back."""
    writer, now = profile.writer(), noon_today()
    customer = writer.create("customers", {"name": "撤销删除"}).primary_id
    planner = writer.create(
        "followups",
        {
            "customer_id": customer,
            "kind": "call",
            "text": "谈了价格",
            "happened_at": now - timedelta(days=3),
            "next_step": "寄报价单",
            "next_step_at": now + timedelta(days=3),
        },
    ).primary_id
    writer.create(
        "followups",
        {
            "customer_id": customer,
            "kind": "call",
            "text": "没接",
            "happened_at": now - timedelta(days=1),
        },
    )
    undo = writer.delete("followups", [planner]).undo
    assert next_followup(profile, customer) is None
    assert isinstance(undo, UndoToken)
    writer.restore(undo)
    assert next_followup(profile, customer) == now + timedelta(days=3)


def test_a_step_typed_after_a_call_that_day_is_still_to_do(profile: Profile) -> None:
    """The rep called at nine (nothing planned), then typed "15:00 today" on the customer: the
    step stands until a follow-up at or after 15:00, though a call was logged that day."""
    writer, now = profile.writer(), noon_today()
    customer = writer.create("customers", {"name": "下午再联系"}).primary_id
    writer.create(
        "followups",
        {
            "customer_id": customer,
            "kind": "call",
            "text": "上午打过",
            "happened_at": now - timedelta(hours=3),
        },
    )
    writer.update("customers", customer, {"next_followup_at": now + timedelta(hours=3)})
    assert step_done_in_calendar(profile, "下午再联系") is False
