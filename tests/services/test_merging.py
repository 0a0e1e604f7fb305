"""Merging two customers or two contacts on the device: what moves, what is kept, and undo."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm_desktop.models.entities import (
    Contact,
    Customer,
    CustomerIdentifier,
    FollowUp,
    Opportunity,
    OutboxEntry,
    Payment,
    Task,
)
from crm_desktop.models.validation import InvalidInput
from crm_desktop.profile import Profile
from crm_desktop.services.changes import MergedGroup, MergeUndo
from crm_desktop.services.merging import (
    merge_fields,
    merge_group,
    merge_records,
    unmerge_records,
)
from crm_desktop.storage import search_index


def _pair(profile: Profile) -> tuple[str, str, dict[str, str]]:
    """Two records of one company: the kept one sparse, the other with children."""
    writer = profile.writer()
    kept = writer.create(
        "customers",
        {
            "name": "深圳华强电子",
            "phone": "13800138000",
            "identifiers": [("tax_number", "91440300")],
        },
    ).primary_id
    other = writer.create(
        "customers",
        {
            "name": "华强电子有限公司",
            "email": "sales@hq.cn",
            "address": "深圳市福田区华强北路1号",
            "identifiers": [("tax_number", "91440300"), ("licence_plate", "粤B12345")],
        },
    ).primary_id
    contact = writer.create("contacts", {"customer_id": other, "name": "李雷"}).primary_id
    deal = writer.create(
        "opportunities",
        {"customer_id": other, "title": "Q3 订单", "stage": "lead", "contact_id": contact},
    ).primary_id
    followup = writer.create(
        "followups",
        {
            "customer_id": other,
            "contact_id": contact,
            "kind": "call",
            "text": "谈了价格",
            "happened_at": "2026-11-20",
        },
    ).primary_id
    task = writer.create("tasks", {"customer_id": other, "title": "回电话"}).primary_id
    contract = writer.create(
        "contracts",
        {"customer_id": other, "number": "HT-1", "amount_cents": "1000", "opportunity_id": deal},
    ).primary_id
    payment = writer.create(
        "payments",
        {
            "customer_id": other,
            "contract_id": contract,
            "amount_cents": "400",
            "paid_on": "2026-11-21",
        },
    ).primary_id
    ids = {
        "contact": contact,
        "deal": deal,
        "followup": followup,
        "task": task,
        "contract": contract,
        "payment": payment,
    }
    assert kept is not None and other is not None
    return kept, other, ids


def test_merge_moves_everything_and_leaves_a_pointer(profile: Profile) -> None:
    kept, other, ids = _pair(profile)
    changes = merge_records(
        profile.writer(), "customers", kept, other, {"email": "sales@hq.cn", "name": "深圳华强电子"}
    )
    assert isinstance(changes.undo, MergeUndo)
    with profile.store.read() as session:
        merged = session.get(Customer, other)
        customer = session.get(Customer, kept)
        assert merged.deleted_at is not None and merged.merged_into_id == kept
        assert customer.deleted_at is None and customer.email == "sales@hq.cn"
        assert customer.name == "深圳华强电子"
        assert customer.address is None  # not chosen: the kept record's own value stays
        for model, key in (
            (Contact, "contact"),
            (Opportunity, "deal"),
            (FollowUp, "followup"),
            (Task, "task"),
            (Payment, "payment"),
        ):
            row = session.get(model, ids[key])
            assert (row.customer_id, row.deleted_at) == (kept, None), key
        # The follow-up's date now counts for the kept customer.
        assert customer.last_followup_at is not None
        identifiers = session.execute(
            select(CustomerIdentifier.customer_id, CustomerIdentifier.value).where(
                CustomerIdentifier.deleted_at.is_(None)
            )
        ).all()
        # The tax number both had is kept once; the plate moved.
        assert sorted(identifiers) == [(kept, "91440300"), (kept, "粤B12345")]
        # The moves and the delete go to the server as one group.
        group = {
            entry.group_id
            for entry in session.scalars(select(OutboxEntry))
            if entry.op == "delete" or ("customer_id" in entry.changes and entry.op == "update")
        }
        assert len(group) == 1 and None not in group
        deleted = session.scalars(
            select(OutboxEntry).where(OutboxEntry.op == "delete", OutboxEntry.row_id == other)
        ).one()
        assert deleted.changes == {"merged_into_id": kept}
        # The kept customer is found by what only the other one had.
        hits = search_index.refresh_customers(session, None)
        assert hits == 0  # already up to date
        assert "粤b12345" in customer.search_text and "李雷" in customer.search_text


def test_undo_puts_both_back(profile: Profile) -> None:
    kept, other, ids = _pair(profile)
    writer = profile.writer()
    with profile.store.read() as session:
        before = session.get(Customer, kept).email
    undo = merge_records(writer, "customers", kept, other, {"email": "sales@hq.cn"}).undo
    assert isinstance(undo, MergeUndo)
    unmerge_records(writer, undo)
    with profile.store.read() as session:
        restored = session.get(Customer, other)
        assert restored.deleted_at is None and restored.merged_into_id is None
        assert session.get(Customer, kept).email == before
        for model, key in ((Contact, "contact"), (Opportunity, "deal"), (Payment, "payment")):
            assert session.get(model, ids[key]).customer_id == other, key
        plates = session.scalars(
            select(CustomerIdentifier.customer_id).where(
                CustomerIdentifier.deleted_at.is_(None), CustomerIdentifier.value == "91440300"
            )
        ).all()
        assert sorted(plates) == sorted([kept, other])


def test_merge_contacts_of_one_customer(profile: Profile) -> None:
    writer = profile.writer()
    customer = writer.create("customers", {"name": "Acme"}).primary_id
    first = writer.create(
        "contacts", {"customer_id": customer, "name": "Li Lei", "mobile": "13800138000"}
    ).primary_id
    second = writer.create(
        "contacts", {"customer_id": customer, "name": "李雷", "email": "li@acme.cn"}
    ).primary_id
    deal = writer.create(
        "opportunities",
        {"customer_id": customer, "title": "Deal", "stage": "lead", "contact_id": second},
    ).primary_id
    merge_records(writer, "contacts", first, second, {"email": "li@acme.cn"})
    with profile.store.read() as session:
        assert session.get(Opportunity, deal).contact_id == first
        assert session.get(Contact, first).email == "li@acme.cn"
        gone = session.get(Contact, second)
        assert gone.deleted_at is not None and gone.merged_into_id == first


def test_refused_merges_change_nothing(profile: Profile) -> None:
    writer = profile.writer()
    one = writer.create("customers", {"name": "One"}).primary_id
    two = writer.create("customers", {"name": "Two"}).primary_id
    a = writer.create("contacts", {"customer_id": one, "name": "A"}).primary_id
    b = writer.create("contacts", {"customer_id": two, "name": "B"}).primary_id
    before = writer.pending_changes()
    with pytest.raises(InvalidInput, match="same customer"):
        merge_records(writer, "contacts", a, b, {})
    with pytest.raises(InvalidInput, match="two different"):
        merge_records(writer, "customers", one, one, {})
    with pytest.raises(InvalidInput, match="not an email address"):
        merge_records(writer, "customers", one, two, {"email": "not an email"})
    assert writer.pending_changes() == before
    with profile.store.read() as session:
        assert session.get(Customer, two).deleted_at is None


def test_owner_is_not_chosen_in_a_merge() -> None:
    assert "owner_id" not in merge_fields("customers")
    assert "name" in merge_fields("customers") and "email" in merge_fields("contacts")


def test_undo_keeps_edits_made_to_the_kept_record_since(profile: Profile) -> None:
    """Undo puts back the fields the merge set only where they still hold its value: a phone
    typed into the kept customer after the merge is newer than the merge, and stays."""
    kept, other, _ids = _pair(profile)
    writer = profile.writer()
    chosen = {
        "phone": "13912345678",
        "email": "sales@hq.cn",
        "address": "深圳市福田区华强北路1号",
    }
    undo = merge_records(writer, "customers", kept, other, chosen).undo
    assert isinstance(undo, MergeUndo)
    writer.update("customers", kept, {"phone": "13700001111"})
    unmerge_records(writer, undo)
    with profile.store.read() as session:
        customer = session.get(Customer, kept)
        assert customer.phone == "+8613700001111"  # the edit since the merge
        assert (customer.email, customer.address) == (None, None)  # as before the merge
        assert session.get(Customer, other).deleted_at is None


def test_a_group_merges_in_one_transaction_each_value_given_up_by_its_record(
    profile: Profile,
) -> None:
    """Three records into one: the finance key taken from the third is given up by it before
    the kept one takes it (the server keeps it unique among deleted records too), and one undo
    puts all three back as they were."""
    writer = profile.writer()
    kept = writer.create("customers", {"name": "华强"}).primary_id
    second = writer.create("customers", {"name": "华强电子", "industry": "电子"}).primary_id
    third = writer.create("customers", {"name": "华强有限", "external_ref": "KH-7"}).primary_id
    task = writer.create("tasks", {"title": "Call", "customer_id": third}).primary_id
    changes = merge_group(
        writer,
        "customers",
        kept,
        {second: {"industry": "电子"}, third: {"external_ref": "KH-7"}},
    )
    assert isinstance(changes.undo, MergedGroup) and changes.undo.merged_ids == (second, third)
    with profile.store.read() as session:
        row = session.get(Customer, kept)
        assert (row.industry, row.external_ref) == ("电子", "KH-7")
        gone = [session.get(Customer, other) for other in (second, third)]
        assert [(g.merged_into_id, g.external_ref) for g in gone] == [(kept, None), (kept, None)]
        assert session.get(Task, task).customer_id == kept

    unmerge_records(writer, changes.undo)
    with profile.store.read() as session:
        row = session.get(Customer, kept)
        assert (row.industry, row.external_ref) == (None, None)
        back = [session.get(Customer, other) for other in (second, third)]
        assert [(b.deleted_at, b.external_ref) for b in back] == [(None, None), (None, "KH-7")]
        assert session.get(Task, task).customer_id == third


def test_a_group_refused_anywhere_changes_nothing(profile: Profile) -> None:
    writer = profile.writer()
    one = writer.create("customers", {"name": "One"}).primary_id
    two = writer.create("customers", {"name": "Two"}).primary_id
    a, b = (
        writer.create("contacts", {"customer_id": one, "name": name}).primary_id
        for name in ("A", "B")
    )
    elsewhere = writer.create("contacts", {"customer_id": two, "name": "C"}).primary_id
    before = writer.pending_changes()
    with pytest.raises(InvalidInput, match="same customer"):
        merge_group(writer, "contacts", a, {b: {}, elsewhere: {}})
    assert writer.pending_changes() == before
    with profile.store.read() as session:
        assert session.get(Contact, b).deleted_at is None
