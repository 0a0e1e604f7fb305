"""A clerk's entries name the rep he entered them for, the customer's owner then, not the one
it was handed to since (the ownership history the pull brings says who that was)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import update

from crm_desktop.models.entities import Customer, FollowUp, OwnershipChange, User
from crm_desktop.profile import Profile
from crm_desktop.queries.records import customer_detail

MONDAY = datetime(2026, 11, 23, 2)


def test_a_clerks_entries_name_the_rep_they_were_for_after_a_handover(profile: Profile) -> None:
    writer = profile.writer()
    with profile.store.write() as session:
        people = {
            login: User(login=login, name=name, role=role)
            for login, name, role in (
                ("cal", "卡尔", "clerk"),
                ("rob", "罗波", "rep"),
                ("rae", "芮伊", "rep"),
            )
        }
        session.add_all(people.values())
    ids = {login: user.id for login, user in people.items()}
    customer_id = writer.create(
        "customers", {"name": "文员录入1", "owner_id": ids["rae"]}
    ).primary_id
    logged = {}
    for text, at in (
        ("替罗波录的", MONDAY + timedelta(days=1)),
        ("替芮伊录的", MONDAY + timedelta(days=4)),
    ):
        values = {"customer_id": customer_id, "kind": "call", "text": text, "happened_at": at}
        logged[writer.create("followups", values).primary_id] = at
    # As the pull leaves them: entered by the clerk for Rob, handed to Rae on Thursday.
    with profile.store.write() as session:
        session.execute(
            update(Customer)
            .where(Customer.id == customer_id)
            .values(created_by=ids["cal"], created_at=MONDAY)
        )
        for followup_id, at in logged.items():
            session.execute(
                update(FollowUp)
                .where(FollowUp.id == followup_id)
                .values(created_by=ids["cal"], created_at=at)
            )
        for number, (at, owner, kind) in enumerate(
            ((MONDAY, ids["rob"], "entered"), (MONDAY + timedelta(days=3), ids["rae"], "assigned")),
            start=1,
        ):
            session.add(
                OwnershipChange(
                    id=number, customer_id=customer_id, owner_id=owner, kind=kind, changed_at=at
                )
            )
    with profile.store.read() as session:
        detail = customer_detail(session, customer_id)
    assert detail is not None
    assert (detail.entered_by, detail.entered_for, detail.owner_name) == ("卡尔", "罗波", "芮伊")
    assert {item["text"]: item["logged_for"] for item in detail.followups} == {
        "替罗波录的": "罗波",
        "替芮伊录的": "芮伊",
    }


def test_before_the_first_change_held_here_the_owner_is_the_one_it_started_from(
    profile: Profile,
) -> None:
    """This device's history of the customer starts with its handover from Rob to Rae: an
    entry of the Tuesday before was Rob's."""
    writer = profile.writer()
    with profile.store.write() as session:
        people = {
            login: User(login=login, name=name, role=role)
            for login, name, role in (
                ("cal", "卡尔", "clerk"),
                ("rob", "罗波", "rep"),
                ("rae", "芮伊", "rep"),
            )
        }
        session.add_all(people.values())
    ids = {login: user.id for login, user in people.items()}
    customer_id = writer.create(
        "customers", {"name": "移交的客户", "owner_id": ids["rae"]}
    ).primary_id
    tuesday = MONDAY + timedelta(days=1)
    values = {
        "customer_id": customer_id,
        "kind": "call",
        "text": "周二录的",
        "happened_at": tuesday,
    }
    followup_id = writer.create("followups", values).primary_id
    with profile.store.write() as session:
        session.execute(
            update(FollowUp)
            .where(FollowUp.id == followup_id)
            .values(created_by=ids["cal"], created_at=tuesday)
        )
        session.add(
            OwnershipChange(
                id=7,
                customer_id=customer_id,
                previous_owner_id=ids["rob"],
                owner_id=ids["rae"],
                kind="handed_over",
                changed_at=MONDAY + timedelta(days=3),
            )
        )
    with profile.store.read() as session:
        detail = customer_detail(session, customer_id)
    assert detail is not None
    assert [item["logged_for"] for item in detail.followups] == ["罗波"]
