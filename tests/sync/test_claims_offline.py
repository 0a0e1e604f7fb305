"""A claim made on a device goes to the server like any edit, where the pool's rules decide it:
one the rules refuse is kept in the device's conflicts with the rule's sentence, and the
customer stays in the pool on every device."""

from __future__ import annotations

from tests.sync.conftest import Fleet


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


def test_a_reps_sync_returns_his_customers_nobody_followed_up(fleet: Fleet) -> None:
    rob = fleet.device("rob")
    rob.sync()
    overdue = rob.writer.create("customers", {"name": "久未跟进"}).primary_id
    fresh = rob.writer.create("customers", {"name": "刚跟进"}).primary_id
    rob.writer.create("followups", {"customer_id": fresh, "kind": "call", "text": "聊了报价"})
    rob.sync()
    fleet.admin("UPDATE crm_rules SET value = 1 WHERE key = 'pool_return_days'")
    fleet.admin("ALTER TABLE customer_ownership NO FORCE ROW LEVEL SECURITY")
    fleet.admin("UPDATE customer_ownership SET changed_at = now() - interval '2 days'")
    fleet.admin("ALTER TABLE customer_ownership FORCE ROW LEVEL SECURITY")

    report = rob.sync()
    assert report.returned_to_pool == 1
    # The device shows it at once: in the pool (a rep sees the pool), and his other one kept.
    assert rob.row("customers", overdue).owner_id is None
    assert rob.row("customers", fresh).owner_id == rob.profile.user_id
