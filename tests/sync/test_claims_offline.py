"""A claim made on a device goes to the server like any edit, where the pool's rules decide it:
one the rules refuse is kept in the device's conflicts with the rule's sentence, and the
customer stays in the pool on every device."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import text

from crm_desktop import cli
from crm_desktop.models.validation import InvalidInput
from crm_desktop.sync.engine import POOL_CHECK_EVERY, POOL_CHECKED_KEY
from crm_desktop.sync.pull import CURSOR_KEY
from tests.postgres import backdate_ownership
from tests.sync.conftest import Device, Fleet


def assign_for_a_month(fleet: Fleet, clerk: str, rep: str) -> None:
    """The clerk enters records for the rep for the next 30 days (as `server assign-clerk`)."""
    fleet.admin(
        "INSERT INTO clerk_assignments (clerk_id, rep_id, valid_until)"
        " VALUES (%s, %s, now() + interval '30 days')",
        (fleet.user_ids[clerk], fleet.user_ids[rep]),
    )


def test_a_claim_over_the_cap_is_refused_and_kept_with_its_rule(fleet: Fleet) -> None:
    fleet.admin("UPDATE crm_rules SET value = 1 WHERE key = 'claim_per_day'")
    pool = [
        row[0]
        for row in fleet.admin(
            "INSERT INTO customers (id, name) SELECT gen_random_uuid(), '公海客户 ' || g"
            " FROM generate_series(1, 2) g RETURNING id::text"
        )
    ]
    rob = fleet.device("rob")
    rob.sync()
    me = rob.profile.user_id
    for customer in pool:  # claimed while offline
        rob.writer.update("customers", customer, {"owner_id": me})
    report = rob.sync()

    assert (report.pushed.applied, report.pushed.refused) == (1, 1)
    owners = [fleet.server_row("customers", c)["owner_id"] for c in pool]
    assert [str(owner) if owner else None for owner in owners] == [me, None]
    (refused,) = rob.conflicts()
    assert (refused.kind, refused.row_id) == ("refused", pool[1])
    assert refused.reason.startswith("claim_per_day: 1 claimed in the last 24 hours")
    assert refused.lost_value["changes"] == {"owner_id": me}
    # The device shows the server's answer: the second customer is still in the pool.
    assert rob.row("customers", pool[1]).owner_id is None
    # The server's history says who claimed what.
    claimed = fleet.admin(
        "SELECT customer_id::text FROM customer_ownership WHERE kind = 'claimed'"
        " AND changed_by = %s",
        (me,),
    )
    assert claimed == [(pool[0],)]


def two_days_without_follow_up(fleet: Fleet) -> tuple[Device, str, str]:
    """Rob's device and two customers of his, both synced: one nobody followed up for two
    days, one with a follow-up today; the pool's rule now returns a customer after one day."""
    rob = fleet.device("rob")
    rob.sync()
    overdue = rob.writer.create("customers", {"name": "久未跟进"}).primary_id
    fresh = rob.writer.create("customers", {"name": "刚跟进"}).primary_id
    rob.writer.create("followups", {"customer_id": fresh, "kind": "call", "text": "聊了报价"})
    rob.sync()
    fleet.admin("UPDATE crm_rules SET value = 1 WHERE key = 'pool_return_days'")
    with fleet.db.connect_admin() as connection:
        backdate_ownership(connection, 2)
    return rob, overdue, fresh


def test_a_reps_sync_returns_his_customers_nobody_followed_up(fleet: Fleet) -> None:
    rob, overdue, fresh = two_days_without_follow_up(fleet)

    # The pool's clock counts days: a sync within the hour of the last look does not ask.
    assert rob.sync().returned_to_pool == 0
    assert rob.row("customers", overdue).owner_id == rob.profile.user_id
    checked = datetime.fromisoformat(rob.profile.store.setting(POOL_CHECKED_KEY) or "")
    rob.profile.store.set_setting(POOL_CHECKED_KEY, (checked - POOL_CHECK_EVERY).isoformat())

    report = rob.sync()
    assert report.returned_to_pool == 1
    # The device shows it at once: in the pool (a rep sees the pool), and his other one kept.
    assert rob.row("customers", overdue).owner_id is None
    assert rob.row("customers", fresh).owner_id == rob.profile.user_id


def test_a_clerks_grace_period_ends_from_the_command_line(
    fleet: Fleet, capsys: pytest.CaptureFixture[str]
) -> None:
    """Granted with `server assign-clerk`, the clerk sees the rep's customers; ended with
    `server unassign-clerk`, his device loses them at the next sync and an edit he made
    offline afterwards is refused and kept in his conflicts."""
    fleet.user_ids["cal"] = fleet.db.add_user("cal", "clerk")
    rob = fleet.device("rob")
    rob.sync()
    customer = rob.writer.create("customers", {"name": "代录客户"}).primary_id
    rob.sync()

    admin = ("--dsn", fleet.db.admin_dsn)
    grant = ["server", "assign-clerk", "cal", "--rep", "rob", "--until"]
    assert cli.main([*grant, "2099-13-01", *admin]) == 1
    assert "“2099-13-01” is not a date" in capsys.readouterr().err
    until = (date.today() + timedelta(days=30)).isoformat()
    assert cli.main([*grant, until, *admin]) == 0
    assert f"until {until} inclusive" in capsys.readouterr().out
    cal = fleet.device("cal")
    cal.sync()
    assert cal.row("customers", customer) is not None

    cal.writer.update("customers", customer, {"industry": "物流"})  # offline
    assert cli.main(["server", "unassign-clerk", "cal", "--rep", "rob", *admin]) == 0
    report = cal.sync()
    assert report.pushed.refused == 1
    assert cal.row("customers", customer) is None
    assert [c.kind for c in cal.conflicts()] == ["refused"]
    assert fleet.server_row("customers", customer)["industry"] is None
    # Ending it again is one sentence.
    assert cli.main(["server", "unassign-clerk", "cal", "--rep", "rob", *admin]) == 1
    assert "does not enter records for" in capsys.readouterr().err


def test_a_clerks_new_customer_belongs_to_the_rep_he_enters_for(fleet: Fleet) -> None:
    fleet.user_ids["cal"] = fleet.db.add_user("cal", "clerk")
    assign_for_a_month(fleet, "cal", "rob")
    cal = fleet.device("cal")
    cal.sync()
    customer = cal.writer.create("customers", {"name": "代客户录入"}).primary_id
    assert cal.row("customers", customer).owner_id == fleet.user_ids["rob"]
    report = cal.sync()
    assert (report.pushed.applied, report.pushed.refused) == (1, 0)
    row = fleet.server_row("customers", customer)
    assert (str(row["owner_id"]), str(row["created_by"])) == (
        fleet.user_ids["rob"],
        fleet.user_ids["cal"],
    )
    rob = fleet.device("rob")
    rob.sync()
    assert rob.row("customers", customer) is not None  # the rep has it

    # Serving two reps, the clerk says whose it is.
    assign_for_a_month(fleet, "cal", "rae")
    cal.sync()
    with pytest.raises(InvalidInput) as refused:
        cal.writer.create("customers", {"name": "谁的客户"})
    assert refused.value.field == "owner_id"
    assert "Choose the rep" in refused.value.text()
    chosen = cal.writer.create(
        "customers", {"name": "rae 的客户", "owner_id": fleet.user_ids["rae"]}
    ).primary_id
    assert cal.sync().pushed.refused == 0
    assert str(fleet.server_row("customers", chosen)["owner_id"]) == fleet.user_ids["rae"]


def test_the_customer_page_says_which_clerk_entered_it(fleet: Fleet) -> None:
    from crm_desktop.queries.records import customer_detail

    fleet.user_ids["cal"] = fleet.db.add_user("cal", "clerk")
    assign_for_a_month(fleet, "cal", "rob")
    cal = fleet.device("cal")
    cal.sync()
    customer = cal.writer.create("customers", {"name": "代录"}).primary_id
    own = fleet.device("rob")
    cal.sync()
    own.sync()
    mine = own.writer.create("customers", {"name": "自己录的"}).primary_id
    own.sync()
    with own.profile.store.read() as session:
        entered = customer_detail(session, customer)
        self_made = customer_detail(session, mine)
    assert (entered.entered_by, entered.owner_name) == ("cal", "rob")
    assert self_made.entered_by is None


def test_a_new_devices_first_sync_returns_the_overdue_before_taking_the_copy(
    fleet: Fleet,
) -> None:
    """So the copy has them in the pool already: the pull after the push brings nothing more
    (returned after the copy, they would come again, and thousands would mean the whole copy
    again)."""
    _rob, overdue, fresh = two_days_without_follow_up(fleet)

    laptop = fleet.device("rob", "laptop")
    report = laptop.sync()
    assert report.returned_to_pool == 1
    assert laptop.row("customers", overdue).owner_id is None
    assert laptop.row("customers", fresh).owner_id == laptop.profile.user_id
    # Exactly the copy a third device takes once nothing is left to return.
    tablet = fleet.device("rob", "tablet")
    copy = tablet.sync()
    assert copy.returned_to_pool == 0
    assert report.pulled.received == copy.pulled.received


def test_a_store_without_a_cursor_sends_its_follow_ups_before_the_return(fleet: Fleet) -> None:
    """A restored or upgraded store has no cursor, yet holds the server's customers and may
    hold changes to them: its first sync sends them before the pool's return, so a follow-up
    logged in time keeps its customer (it is never returned)."""
    rob, overdue, _fresh = two_days_without_follow_up(fleet)
    rob.writer.create("followups", {"customer_id": overdue, "kind": "call", "text": "刚打过电话"})
    with rob.profile.store.write() as session:  # as a restore leaves it: the next sync is full
        session.execute(text("DELETE FROM local_settings WHERE key = :key"), {"key": CURSOR_KEY})

    report = rob.sync()
    assert (report.pushed.refused, report.pushed.conflicts) == (0, 0)
    assert report.returned_to_pool == 0
    assert rob.row("customers", overdue).owner_id == rob.profile.user_id
    kinds = fleet.admin(
        "SELECT kind FROM customer_ownership WHERE customer_id = %s ORDER BY id", (overdue,)
    )
    assert kinds == [("entered",)]
