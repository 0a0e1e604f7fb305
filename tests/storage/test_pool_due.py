"""A customer's return date follows its owner, its lock, its grade, its last follow-up and the
rules the device last read, whatever writes the row."""

from __future__ import annotations

from datetime import datetime, timedelta

from crm_desktop.models.base import utcnow
from crm_desktop.models.entities import Customer
from crm_desktop.profile import Profile
from crm_desktop.storage import pool_due
from crm_desktop.storage.store import sqlite_connection

RULES = {"pool_return_days": 30, "pool_return_days_A": 90, "pool_warning_days": 3}


def adopt(profile: Profile, rules: dict) -> bool:
    with profile.store.write() as session:
        return pool_due.adopt_rules(sqlite_connection(session), rules)


def set_columns(profile: Profile, customer_id: str, **values: object) -> None:
    """As a pull writes them: plain SQL on the row, setting every column (here the owner's
    too, unchanged when not given)."""
    assignments = ", ".join(f"{name} = ?" for name in values)
    if "owner_id" not in values:
        assignments += ", owner_id = owner_id"
    with profile.store.write() as session:
        sqlite_connection(session).execute(
            f"UPDATE customers SET {assignments} WHERE id = ?", [*values.values(), customer_id]
        )


def due_of(profile: Profile, customer_id: str) -> datetime | None:
    with profile.store.read() as session:
        return session.get(Customer, customer_id).pool_due_at


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def test_a_customer_is_due_its_grades_days_after_the_later_of_owning_and_following_up(
    profile: Profile,
) -> None:
    customer_id = profile.writer().create("customers", {"name": "华为"}).primary_id
    assert due_of(profile, customer_id) is None  # not on the server yet: no owned_since
    owned = (utcnow() - timedelta(days=10)).replace(microsecond=0)
    set_columns(profile, customer_id, owned_since=stamp(owned))
    assert due_of(profile, customer_id) is None  # no rules known on this device
    assert adopt(profile, RULES)
    assert due_of(profile, customer_id) == owned + timedelta(days=30)
    set_columns(profile, customer_id, grade="A")
    assert due_of(profile, customer_id) == owned + timedelta(days=90)
    followed = owned + timedelta(days=5)
    set_columns(profile, customer_id, last_followup_at=stamp(followed))
    assert due_of(profile, customer_id) == followed + timedelta(days=90)
    # A follow-up dated in the future does not count, as on the server.
    set_columns(profile, customer_id, last_followup_at=stamp(utcnow() + timedelta(days=2)))
    assert due_of(profile, customer_id) == owned + timedelta(days=90)


def test_a_locked_or_pooled_customer_has_no_date(profile: Profile) -> None:
    adopt(profile, RULES)
    customer_id = profile.writer().create("customers", {"name": "小米"}).primary_id
    set_columns(profile, customer_id, owned_since=stamp(utcnow()))
    assert due_of(profile, customer_id) is not None
    set_columns(profile, customer_id, pool_locked=1)
    assert due_of(profile, customer_id) is None
    set_columns(profile, customer_id, pool_locked=0)
    assert due_of(profile, customer_id) is not None
    set_columns(profile, customer_id, owner_id=None, owned_since=None)
    assert due_of(profile, customer_id) is None


def test_new_rules_date_every_customer_again_and_the_same_rules_change_nothing(
    profile: Profile,
) -> None:
    adopt(profile, RULES)
    owned = utcnow().replace(microsecond=0)
    ids = [profile.writer().create("customers", {"name": f"客户 {n}"}).primary_id for n in range(3)]
    for customer_id in ids:
        set_columns(profile, customer_id, owned_since=stamp(owned))
    assert not adopt(profile, dict(RULES))
    assert adopt(profile, {**RULES, "pool_return_days": 7, "pool_return_days_A": None})
    assert {due_of(profile, i) for i in ids} == {owned + timedelta(days=7)}
    with profile.store.read() as session:
        assert pool_due.warning_days(sqlite_connection(session)) == 3
    adopt(profile, {})  # a server without rules: nothing is dated
    assert {due_of(profile, i) for i in ids} == {None}
