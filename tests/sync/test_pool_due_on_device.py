"""A device shows when each customer returns to the pool, by the server's rules and dates: its
own new customers (dated by the push), others' (by the pull), after a follow-up, a lock, a
change of rules, and it warns the owner of those due within the warning days."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm_desktop import cli
from crm_desktop.models.base import utcnow
from crm_desktop.queries.pool import returning_soon
from tests.postgres import backdate_ownership
from tests.sync.conftest import Fleet


def server_due(fleet: Fleet, customer: str):
    return fleet.admin(
        "SELECT owned_since + make_interval(days => (SELECT value FROM crm_rules"
        " WHERE key = 'pool_return_days')) FROM customers WHERE id = %s",
        (customer,),
    )[0][0]


def same_moment(local, server) -> bool:
    return abs(local - server.replace(tzinfo=None) + server.utcoffset()) < timedelta(seconds=1)


def test_a_new_customer_is_dated_by_the_server_at_the_push_and_others_by_the_pull(
    fleet: Fleet,
) -> None:
    rob, mia = fleet.device("rob"), fleet.device("mia")
    customer = rob.writer.create("customers", {"name": "新客户"}).primary_id
    assert rob.row("customers", customer).pool_due_at is None  # not on the server yet
    rob.sync()
    due = rob.row("customers", customer).pool_due_at
    assert due is not None and same_moment(due, server_due(fleet, customer))
    mia.sync()  # his manager's device gets the same date from the pull
    assert mia.row("customers", customer).pool_due_at == due


def test_a_follow_up_a_lock_and_new_rules_move_the_date(fleet: Fleet) -> None:
    rob = fleet.device("rob")
    customer = rob.writer.create("customers", {"name": "老客户"}).primary_id
    rob.sync()
    with fleet.db.connect_admin() as connection:
        backdate_ownership(connection, 20, customer)
    rob.sync()
    owned = rob.row("customers", customer).owned_since.replace(microsecond=0)
    assert rob.row("customers", customer).pool_due_at == owned + timedelta(days=30)
    happened = (utcnow() - timedelta(days=2)).replace(microsecond=0)
    rob.writer.create(
        "followups",
        {"customer_id": customer, "kind": "call", "happened_at": happened, "text": "电话"},
    )
    assert rob.row("customers", customer).pool_due_at == happened + timedelta(days=30)
    fleet.admin("UPDATE crm_rules SET value = 45 WHERE key = 'pool_return_days'")
    rob.sync()
    assert rob.row("customers", customer).pool_due_at == happened + timedelta(days=45)
    fleet.admin("UPDATE customers SET pool_locked = true WHERE id = %s", (customer,))
    rob.sync()
    assert rob.row("customers", customer).pool_due_at is None


def test_the_owner_is_told_of_customers_returning_within_the_warning_days(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rob = fleet.device("rob")
    soon = rob.writer.create("customers", {"name": "快到期"}).primary_id
    rob.writer.create("customers", {"name": "还早"})
    rob.sync()
    with fleet.db.connect_admin() as connection:
        backdate_ownership(connection, 28, soon)
    monkeypatch.setenv("PGPASSWORD", rob.password)
    capsys.readouterr()
    assert cli.main(["--profile", str(rob.directory), "sync"]) == 0
    assert "1 of your customers return to the pool within 3 days." in capsys.readouterr().out
    with rob.profile.store.read() as session:
        assert returning_soon(session, rob.profile.user_id, timedelta(days=3)) == 1
        assert returning_soon(session, rob.profile.user_id, timedelta(days=31)) == 2
