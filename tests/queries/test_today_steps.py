"""Today says what a due next step is: the words of the follow-up that planned it, with its
customer beside them, as the calendar does; a date typed on the customer itself has no words,
and the line says the customer's name alone."""

from __future__ import annotations

from datetime import timedelta

from crm_desktop.models.base import utcnow
from crm_desktop.models.dates import end_of_local_day
from crm_desktop.profile import Profile
from crm_desktop.queries.calendar import calendar_items
from crm_desktop.queries.today import TodayLine, today


def steps_due(profile: Profile) -> dict[str, TodayLine]:
    now = utcnow()
    with profile.store.read() as session:
        found = today(session, profile.user_id, now, end_of_local_day(now))
    return {line.customer_name or "": line for line in found.next_steps.lines}


def test_a_next_step_says_what_was_promised_and_for_whom(profile: Profile) -> None:
    writer, now = profile.writer(), utcnow()
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
