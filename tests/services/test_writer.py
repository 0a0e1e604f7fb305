"""The write service: validation, outbox entries in the same transaction, soft delete and undo."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from crm_desktop.models.base import utcnow
from crm_desktop.models.dates import end_of_local_day, local_date
from crm_desktop.models.entities import (
    Contact,
    Customer,
    CustomerIdentifier,
    FollowUp,
    Opportunity,
    OutboxEntry,
    Task,
)
from crm_desktop.models.limits import MAX_MONEY_CENTS
from crm_desktop.models.validation import InvalidInput
from crm_desktop.profile import Profile


def outbox(profile: Profile) -> list[OutboxEntry]:
    with profile.store.read() as session:
        return list(session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)))


def test_create_normalises_and_writes_outbox_entry(profile: Profile) -> None:
    changes = profile.writer().create(
        "customers", {"name": " 华为技术有限公司 ", "phone": "138-0013-8000", "email": "A@B.CN"}
    )
    with profile.store.read() as session:
        customer = session.get(Customer, changes.primary_id)
    assert customer is not None
    assert (customer.name, customer.phone, customer.email) == (
        "华为技术有限公司",
        "+8613800138000",
        "a@b.cn",
    )
    assert customer.owner_id == profile.user_id
    entries = [e for e in outbox(profile) if e.entity == "customers"]
    assert [(e.op, e.row_id) for e in entries] == [("insert", customer.id)]
    assert entries[0].changes["phone"] == "+8613800138000"


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"name": ""}, "name", "Name is required."),
        ({"name": "X", "phone": "12"}, "phone", "“12” is not a phone number."),
        ({"name": "X", "email": "nobody-at-example"}, "email", "is not an email address"),
        ({"name": "X", "grade": "Z"}, "grade", "Grade cannot be “Z”"),
        ({"name": "华强\x00电子"}, "name", "Name contains a control character (U+0000)"),
        ({"name": "Acme\nLtd"}, "name", "Name contains a control character (U+000A)"),
        ({"name": "X", "notes": "ok\x00"}, "notes", "Notes contains a control character (U+0000)"),
        # Identifiers are written by a second create inside the same transaction: it rolls back too.
        (
            {"name": "X", "identifiers": [("tax_number", "9144\x000300")]},
            "value",
            "Number contains a control character (U+0000); remove it.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_sentence_and_changes_nothing(
    profile: Profile, values: dict, field: str, words: str
) -> None:
    before = len(outbox(profile))
    with pytest.raises(InvalidInput) as caught:
        profile.writer().create("customers", values)
    assert caught.value.field == field
    assert words in caught.value.text()
    with profile.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 0
    assert len(outbox(profile)) == before


def test_update_records_only_changed_fields_with_their_base(profile: Profile) -> None:
    writer = profile.writer()
    customer_id = writer.create("customers", {"name": "Acme", "industry": "Steel"}).primary_id
    assert customer_id
    changes = writer.update("customers", customer_id, {"name": "Acme", "industry": "Glass"})
    assert changes.updated == {"customers": {customer_id}}
    last = outbox(profile)[-1]
    assert (last.op, last.changes, last.base) == (
        "update",
        {"industry": "Glass"},
        {"industry": "Steel"},
    )
    nothing = writer.update("customers", customer_id, {"industry": "Glass"})
    assert nothing.is_empty()


def test_delete_takes_children_and_undo_brings_back_exactly_them(profile: Profile) -> None:
    writer = profile.writer()
    customer_id = writer.create("customers", {"name": "Acme"}).primary_id
    kept = writer.create("contacts", {"customer_id": customer_id, "name": "Li Lei"}).primary_id
    earlier = writer.create("contacts", {"customer_id": customer_id, "name": "Han Mei"}).primary_id
    writer.delete(
        "contacts", [earlier]
    )  # deleted before: undoing the customer's delete keeps it gone
    deleted = writer.delete("customers", [customer_id])
    assert deleted.undo is not None
    with profile.store.read() as session:
        assert session.get(Contact, kept).deleted_at is not None
    writer.restore(deleted.undo)
    with profile.store.read() as session:
        assert session.get(Customer, customer_id).deleted_at is None
        assert session.get(Contact, kept).deleted_at is None
        assert session.get(Contact, earlier).deleted_at is not None


def test_followup_sets_customers_last_and_next_followup(profile: Profile) -> None:
    writer = profile.writer()
    customer_id = writer.create("customers", {"name": "Acme"}).primary_id
    writer.create(
        "followups",
        {
            "customer_id": customer_id,
            "kind": "visit",
            "text": "Met the buyer",
            "promise": "Send a quote",
            "happened_at": "2026-11-20 09:30",
            "next_step_at": "2026-11-27 10:00",
        },
    )
    with profile.store.read() as session:
        customer = session.get(Customer, customer_id)
        assert str(customer.last_followup_at) == "2026-11-20 09:30:00"
        assert str(customer.next_followup_at) == "2026-11-27 10:00:00"
        assert session.scalar(select(func.count()).select_from(FollowUp)) == 1


def test_a_follow_up_dated_ahead_is_not_the_last_one_yet(profile: Profile) -> None:
    """As the server counts it (tests/sync/test_derived_sync.py): the latest up to now, so the
    device shows, before any sync, what every device shows after one. Its next step still
    counts: it is the latest plan. (Later today: a time after today is refused.)"""
    writer, now = profile.writer(), utcnow().replace(microsecond=0)
    customer_id = writer.create("customers", {"name": "Acme"}).primary_id
    call = {"customer_id": customer_id, "kind": "call", "text": "called"}
    writer.create("followups", {**call, "happened_at": now - timedelta(days=2)})
    later = min(now + timedelta(hours=1), end_of_local_day(now) - timedelta(seconds=1))
    ahead = writer.create(
        "followups", {**call, "happened_at": later, "next_step_at": later + timedelta(days=5)}
    ).primary_id
    with profile.store.read() as session:
        customer = session.get(Customer, customer_id)
        assert customer.last_followup_at == now - timedelta(days=2)
        assert customer.next_followup_at == later + timedelta(days=5)
    writer.delete("followups", [ahead])
    writer.create("followups", {**call, "happened_at": now - timedelta(hours=1)})
    with profile.store.read() as session:
        assert session.get(Customer, customer_id).last_followup_at == now - timedelta(hours=1)


def test_a_failed_call_inside_a_transaction_leaves_nothing(profile: Profile) -> None:
    writer = profile.writer()
    with pytest.raises(InvalidInput), writer.transaction() as unit:
        unit.create("customers", {"name": "First, fine"})
        unit.create("customers", {"name": "Second", "phone": "not a phone"})
    with profile.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 0
    assert [e for e in outbox(profile) if e.entity == "customers"] == []


def test_control_characters_are_refused_in_contacts_updates_and_identifier_edges(
    profile: Profile,
) -> None:
    writer = profile.writer()
    customer_id = writer.create(
        "customers", {"name": "Acme", "identifiers": [("tax_number", "91440300")]}
    ).primary_id
    before = len(outbox(profile))
    with pytest.raises(InvalidInput, match=r"^Name contains a control character \(U\+0000\)"):
        writer.create("contacts", {"customer_id": customer_id, "name": "张\x00伟"})
    with pytest.raises(InvalidInput, match=r"^Name contains a control character \(U\+0009\)"):
        writer.update("customers", customer_id, {"name": "Acme\tLtd"})
    # Inside a number: refused, the old number kept (a line break around it, as a pasted
    # cell brings, is taken off instead: models/rules._checked_text).
    with pytest.raises(InvalidInput) as caught:
        writer.update("customers", customer_id, {"identifiers": [("tax_number", "9144\n0301")]})
    assert (caught.value.field, caught.value.params["code"]) == ("value", "U+000A")
    with profile.store.read() as session:
        assert session.get(Customer, customer_id).name == "Acme"
        assert session.scalars(select(CustomerIdentifier.value)).all() == ["91440300"]
        assert session.scalar(select(func.count()).select_from(Contact)) == 0
    assert len(outbox(profile)) == before


def test_notes_keep_tabs_and_line_breaks_with_carriage_returns_normalised(
    profile: Profile,
) -> None:
    writer = profile.writer()
    typed = "Called:\tno answer\r\nEmailed\rwill call back\n"
    customer_id = writer.create("customers", {"name": "Acme", "notes": typed}).primary_id
    stored = "Called:\tno answer\nEmailed\nwill call back"
    with profile.store.read() as session:
        assert session.get(Customer, customer_id).notes == stored
    assert outbox(profile)[-1].changes["notes"] == stored  # the server gets what the device has


def test_money_is_held_to_its_limit(profile: Profile) -> None:
    writer = profile.writer()
    customer_id = writer.create("customers", {"name": "Acme"}).primary_id
    deal = {"customer_id": customer_id, "title": "Big", "stage": "lead"}
    biggest = writer.create("opportunities", {**deal, "amount_cents": MAX_MONEY_CENTS})
    with profile.store.read() as session:
        assert session.get(Opportunity, biggest.primary_id).amount_cents == MAX_MONEY_CENTS
    for too_big in (MAX_MONEY_CENTS + 1, "1000000000000.01", "1e30", "99999999999999999999"):
        with pytest.raises(InvalidInput) as caught:
            writer.create("opportunities", {**deal, "amount_cents": too_big})
        assert caught.value.text() == "Amount must be between 0 and 1,000,000,000,000."
    with profile.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Opportunity)) == 1


def test_a_deal_made_already_won_is_closed_and_a_task_made_done_is_done(profile) -> None:
    """Made closed (a form set to Won, a sheet of old deals): closed now, as an update to Won
    would say, so the won and lost figures count it; a task made done has its done time."""
    writer = profile.writer()
    customer = writer.create("customers", {"name": "Acme"}).primary_id
    won = writer.create(
        "opportunities", {"customer_id": customer, "title": "Pumps", "stage": "won"}
    ).primary_id
    open_ = writer.create(
        "opportunities", {"customer_id": customer, "title": "Valves", "stage": "lead"}
    ).primary_id
    done = writer.create("tasks", {"title": "Called", "done": True}).primary_id
    with profile.store.read() as session:
        assert session.get(Opportunity, won).closed_at is not None
        assert session.get(Opportunity, open_).closed_at is None
        assert session.get(Task, done).done_at is not None


def test_times_that_cannot_be_meant_are_refused_with_a_sentence(profile: Profile) -> None:
    """A follow-up after today, a next step planned for a day before its follow-up, a work log
    of a day still ahead. Later today, or a step for the follow-up's own day (00:00, before the
    call), are fine; an old follow-up with such dates can still have its words changed."""
    writer, now = profile.writer(), utcnow()
    customer = writer.create("customers", {"name": "Acme"}).primary_id
    call = {"customer_id": customer, "kind": "call", "text": "called"}
    tomorrow = end_of_local_day(now)
    with pytest.raises(InvalidInput, match="can't be later than today") as refused:
        writer.create("followups", {**call, "happened_at": tomorrow})
    assert refused.value.field == "happened_at"
    with pytest.raises(InvalidInput, match="before the follow-up itself") as refused:
        writer.create(
            "followups",
            {**call, "happened_at": now, "next_step_at": now - timedelta(days=1, hours=1)},
        )
    assert refused.value.field == "next_step_at"
    later_today = tomorrow - timedelta(minutes=1)
    today_as_a_day = end_of_local_day(now, -1)
    kept = writer.create(
        "followups", {**call, "happened_at": later_today, "next_step_at": today_as_a_day}
    ).primary_id
    with pytest.raises(InvalidInput, match="before the follow-up itself"):
        writer.update("followups", kept, {"next_step_at": today_as_a_day - timedelta(days=1)})
    assert writer.update("followups", kept, {"text": "called twice"})

    today = local_date(now)
    with pytest.raises(InvalidInput, match="still ahead") as refused:
        writer.create("work_logs", {"day": today + timedelta(days=1), "done": "plans"})
    assert refused.value.field == "day"
    assert writer.create("work_logs", {"day": today, "done": "visited two customers"}).primary_id
