"""The fairness rule of the public pool, with two reps' devices: a customer returns to the pool
while its rep travels offline; the follow-up he logged before the deadline reaches the server
late and gives the customer back to him, and to no one else."""

from __future__ import annotations

from datetime import timedelta

from crm_desktop.models.base import utcnow
from tests.postgres import backdate_ownership
from tests.sync.conftest import Fleet


def date_back(fleet: Fleet, customer: str, days: int) -> None:
    """As if the customer's owner had got it, and last followed it up, `days` ago."""
    with fleet.db.connect_admin() as connection:
        backdate_ownership(connection, days, customer)


def test_a_follow_up_made_offline_in_time_keeps_the_customer(fleet: Fleet) -> None:
    rob, rae = fleet.device("rob"), fleet.device("rae")
    rob.sync()
    rae.sync()
    customer = rob.writer.create("customers", {"name": "出差时跟进的客户"}).primary_id
    rob.sync()
    date_back(fleet, customer, 29)

    # rob travels: two days ago (day 28 of 30) he visits the customer, with no connection.
    happened = utcnow() - timedelta(days=2)
    rob.writer.create(
        "followups",
        {"customer_id": customer, "kind": "visit", "happened_at": happened, "text": "拜访"},
    )
    # Meanwhile the server's clock runs out: the customer is returned to the pool.
    date_back(fleet, customer, 31)
    assert fleet.admin("SELECT crm_return_due_customers()") == [(1,)]
    rae.sync()
    assert rae.row("customers", customer).owner_id is None  # rae sees it in the pool

    report = rob.sync()  # back online
    assert report.pushed.refused == 0 and not rob.conflicts()
    row = fleet.server_row("customers", customer)
    assert str(row["owner_id"]) == rob.profile.user_id
    assert rob.row("customers", customer).owner_id == rob.profile.user_id
    # Nobody else has it: rae's device loses it at her next sync.
    rae.sync()
    assert rae.row("customers", customer) is None
    kind, changed_by, reason = fleet.admin(
        "SELECT kind, changed_by, reason FROM customer_ownership WHERE customer_id = %s"
        " ORDER BY id DESC LIMIT 1",
        (customer,),
    )[0]
    assert (kind, changed_by) == ("assigned", None)
    assert reason.startswith("a follow-up of ") and reason.endswith("happened before the return")


def test_a_claim_made_meanwhile_stands(fleet: Fleet) -> None:
    rob, rae = fleet.device("rob"), fleet.device("rae")
    rob.sync()
    customer = rob.writer.create("customers", {"name": "被领走的客户"}).primary_id
    rob.sync()
    rob.writer.create(
        "followups",
        {
            "customer_id": customer,
            "kind": "call",
            "happened_at": utcnow() - timedelta(days=1),
            "text": "电话",
        },
    )
    date_back(fleet, customer, 31)
    fleet.admin("SELECT crm_return_due_customers()")
    rae.sync()
    rae.writer.update("customers", customer, {"owner_id": rae.profile.user_id})  # she claims it
    rae.sync()

    report = rob.sync()
    # The follow-up is refused and kept. The customer's last-follow-up time it moved is refused
    # too, and is no conflict of its own: the program keeps that value, nobody typed it.
    assert report.pushed.refused == 1
    assert {(c.kind, c.entity) for c in rob.conflicts()} == {("refused", "followups")}
    assert str(fleet.server_row("customers", customer)["owner_id"]) == rae.profile.user_id
    assert rob.row("customers", customer) is None


def test_a_follow_up_too_late_anyway_does_not_bring_it_back(fleet: Fleet) -> None:
    rob = fleet.device("rob")
    rob.sync()
    customer = rob.writer.create("customers", {"name": "早就过期"}).primary_id
    rob.sync()
    rob.writer.create(
        "followups",
        {
            "customer_id": customer,
            "kind": "call",
            "happened_at": utcnow() - timedelta(days=45),
            "text": "电话",
        },
    )
    date_back(fleet, customer, 80)
    fleet.admin("SELECT crm_return_due_customers()")
    report = rob.sync()
    # The follow-up is refused (and kept); the date it moved on the customer is computed
    # again from the server's follow-ups, so it stays as the server has it.
    assert report.pushed.refused == 1
    assert [(c.kind, c.entity) for c in rob.conflicts()] == [("refused", "followups")]
    assert fleet.server_row("customers", customer)["owner_id"] is None
    assert fleet.server_row("customers", customer)["last_followup_at"] is None


def test_a_follow_up_logged_after_the_return_was_seen_brings_it_back_on_the_device(
    fleet: Fleet,
) -> None:
    """rob's device has already seen the customer go to the pool when he logs the visit he
    made before the return: the server gives it back in the push's own transaction, and his
    device learns it at the same sync (not when someone next changes the customer)."""
    rob = fleet.device("rob")
    rob.sync()
    customer = rob.writer.create("customers", {"name": "忘了记的拜访"}).primary_id
    rob.sync()
    date_back(fleet, customer, 31)
    assert fleet.admin("SELECT crm_return_due_customers()") == [(1,)]
    rob.sync()
    assert rob.row("customers", customer).owner_id is None  # he sees it in the pool
    happened = utcnow() - timedelta(hours=1)  # before the return, when it was still his
    rob.writer.create(
        "followups",
        {"customer_id": customer, "kind": "visit", "happened_at": happened, "text": "拜访"},
    )

    report = rob.sync()
    assert report.pushed.refused == 0 and not rob.conflicts()
    assert str(fleet.server_row("customers", customer)["owner_id"]) == rob.profile.user_id
    assert rob.row("customers", customer).owner_id == rob.profile.user_id
