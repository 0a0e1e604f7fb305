"""A small known store for the dashboard's and the reports' figures (tests/queries/test_figures.py
works out every figure of it by hand)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import update

from crm_desktop.models.entities import Customer, FollowUp, Opportunity, Task, User
from crm_desktop.profile import Profile
from crm_desktop.queries.figures import Period
from crm_desktop.storage import pool_due
from crm_desktop.storage.store import sqlite_connection

TODAY = date(2031, 6, 15)
NOW = datetime(2031, 6, 15, 12, 0)  # naive UTC, as stored
PERIOD = Period(date(2031, 5, 1), date(2031, 8, 31))
RAE = "00000000-0000-4000-8000-0000000000aa"
BO = "00000000-0000-4000-8000-0000000000bb"


def make(profile: Profile, entity: str, **values) -> str:
    return profile.writer().create(entity, values).primary_id


def stamp(profile: Profile, model, row_id: str, **values) -> None:
    """Set times the write path stamps with the clock (the store is dated in 2031)."""
    with profile.store.write() as session:
        session.execute(update(model).where(model.id == row_id).values(**values))


def build_shop(profile: Profile) -> dict[str, str]:
    """Four customers of three owners (this device's user, Rae, Bo) with open, won and lost
    opportunities, follow-ups, tasks, contracts and payments, dated around 15 June 2031; the
    ids by name. What each figure of it comes to is worked out in tests/queries/test_figures.py.
    """
    me = profile.user_id
    with profile.store.write() as session:
        session.add(User(id=RAE, login="rae", name="Rae"))
        session.add(User(id=BO, login="bo", name="Bo"))
    ids = {
        "acme": make(profile, "customers", name="Acme", grade="A", industry="制造", owner_id=me),
        "bolt": make(profile, "customers", name="Bolt", grade="B", industry="零售", owner_id=RAE),
        "cole": make(profile, "customers", name="Cole", industry="制造", owner_id=RAE),
        "huawei": make(profile, "customers", name="华为", grade="C", owner_id=BO),
    }
    old = datetime(2030, 1, 1)
    for key in ("bolt", "cole", "huawei"):
        stamp(profile, Customer, ids[key], created_at=old)
    stamp(profile, Customer, ids["acme"], created_at=datetime(2031, 6, 3, 9))

    def opportunity(key: str, customer: str, stage: str, cents: int, chance: int, **more) -> None:
        ids[key] = make(
            profile,
            "opportunities",
            title=key,
            customer_id=ids[customer],
            stage=stage,
            amount_cents=cents,
            probability=chance,
            owner_id=more.pop("owner_id", me),
            **more,
        )

    opportunity("o1", "acme", "lead", 1_000_000, 10, expected_close=date(2031, 6, 20))
    # 3,333.33 at 33 %: 1,099.9989, to the nearest fen 1,100.00.
    opportunity("o2", "acme", "proposal", 333_333, 33, expected_close=date(2031, 6, 30))
    opportunity("o3", "bolt", "proposal", 50_000, 50, expected_close=date(2031, 8, 5), owner_id=RAE)
    opportunity("o4", "huawei", "negotiation", 200_000, 75, owner_id=BO)
    opportunity("gone", "acme", "lead", 9_999_900, 90, expected_close=date(2031, 6, 1))
    profile.writer().delete("opportunities", [ids["gone"]])
    opportunity("o5", "bolt", "won", 700_000, 100, owner_id=RAE)
    opportunity("o6", "cole", "lost", 40_000, 0, close_reason="价格太高", owner_id=RAE)
    opportunity("o7", "cole", "lost", 10_000, 0, close_reason=" 价格太高 ", owner_id=RAE)
    opportunity("o8", "acme", "lost", 5_000, 0)
    opportunity("o9", "acme", "won", 1_000, 100)  # closed before the period
    closed = {
        "o5": datetime(2031, 5, 10, 6),
        "o6": datetime(2031, 5, 14, 6),
        "o7": datetime(2031, 5, 20, 6),
        "o8": datetime(2031, 6, 2, 6),
        "o9": datetime(2031, 4, 2, 6),
    }
    for key, when in closed.items():
        stamp(profile, Opportunity, ids[key], closed_at=when)

    # Follow-ups by this device's user in the week of Monday 2 June, none by Rae.
    for day in (2, 4):
        followup = make(profile, "followups", customer_id=ids["acme"], kind="call", text="谈价格")
        stamp(profile, FollowUp, followup, happened_at=datetime(2031, 6, day, 3))
    # Rae finished a task on Monday 9 June; an unfinished one counts nothing.
    ids["task"] = make(profile, "tasks", title="送样品", assignee_id=RAE, customer_id=ids["bolt"])
    profile.writer().update("tasks", ids["task"], {"done": True})
    stamp(profile, Task, ids["task"], done_at=datetime(2031, 6, 9, 2))
    make(profile, "tasks", title="打电话", assignee_id=RAE)

    # Quiet: Acme followed up on 4 June; Bolt taken over 56 days ago and never followed up;
    # Cole last followed up 106 days ago; Huawei 75 days ago.
    stamp(profile, Customer, ids["acme"], last_followup_at=datetime(2031, 6, 4, 3))
    stamp(
        profile,
        Customer,
        ids["bolt"],
        last_followup_at=None,
        owned_since=NOW - timedelta(days=56),
    )
    stamp(profile, Customer, ids["cole"], last_followup_at=NOW - timedelta(days=106))
    stamp(
        profile,
        Customer,
        ids["huawei"],
        last_followup_at=NOW - timedelta(days=75),
        owned_since=NOW - timedelta(days=70),
    )
    # Back to the pool after 60 days, grade C after 90: Bolt on 19 June (its owner took it
    # over 56 days ago), Huawei on 5 July (the store's follow-up dates lie in the real clock's
    # future, so only the taking over counts). Cole and Acme were never taken over: no date.
    with profile.store.write() as session:
        pool_due.adopt_rules(
            sqlite_connection(session), {"pool_return_days": 60, "pool_return_days_C": 90}
        )

    # Money: Acme paid 1,000.00 on account in January; a payment exactly a year ago is not
    # in its value. Bolt paid 200.00 today on its ended contract; Huawei's is tomorrow.
    make(
        profile, "payments", customer_id=ids["acme"], paid_on=date(2031, 1, 1), amount_cents=100_000
    )
    make(profile, "payments", customer_id=ids["acme"], paid_on=date(2030, 6, 15), amount_cents=999)
    ids["c1"] = make(
        profile,
        "contracts",
        number="C-1",
        customer_id=ids["acme"],
        start_on=date(2031, 1, 1),
        end_on=date(2031, 7, 10),
        amount_cents=80_000,
        status="active",
        owner_id=me,
    )
    ids["c2"] = make(
        profile,
        "contracts",
        number="C-2",
        customer_id=ids["bolt"],
        start_on=date(2031, 1, 1),
        end_on=date(2031, 5, 31),
        amount_cents=30_000,
        status="ended",
        owner_id=RAE,
    )
    make(
        profile,
        "contracts",
        number="C-3",
        customer_id=ids["bolt"],
        start_on=date(2031, 1, 1),
        end_on=date(2031, 6, 1),
        amount_cents=7_000,
        status="draft",
        owner_id=RAE,
    )
    make(
        profile,
        "payments",
        customer_id=ids["bolt"],
        contract_id=ids["c2"],
        paid_on=TODAY,
        amount_cents=20_000,
    )
    make(
        profile,
        "payments",
        customer_id=ids["huawei"],
        paid_on=TODAY + timedelta(days=1),
        amount_cents=5_000,
    )
    return ids
