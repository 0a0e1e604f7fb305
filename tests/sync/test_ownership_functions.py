"""What the window asks the server about ownership (sync/ownership.py, sync/rules.py), called
as the window calls them, against the real server: assigning several customers at once, the
lock, the handover and the rules, each decided by the server under the user's own rights."""

from __future__ import annotations

import psycopg
import pytest

from crm_desktop.sync import ownership, rules
from crm_desktop.sync.ownership import OwnershipRefused
from crm_desktop.sync.server.admin import RULE_HELP, RULE_RANGES, Handover
from tests.postgres import backdate_ownership
from tests.sync.conftest import Device, Fleet


def customer(fleet: Fleet, name: str, owner: str | None = None) -> str:
    return fleet.admin(
        "INSERT INTO customers (id, name, owner_id) VALUES (gen_random_uuid(), %s, %s)"
        " RETURNING id::text",
        (name, fleet.user_ids[owner] if owner else None),
    )[0][0]


def owners(fleet: Fleet, *customers: str) -> list[str | None]:
    rows = dict(
        fleet.admin(
            "SELECT c.id::text, u.login FROM customers c LEFT JOIN users u ON u.id = c.owner_id"
            " WHERE c.id = ANY(%s::uuid[])",
            (list(customers),),
        )
    )
    return [rows[c] for c in customers]


def kinds(fleet: Fleet, customer_id: str) -> list[tuple[str, str | None]]:
    return fleet.admin(
        "SELECT kind, reason FROM customer_ownership WHERE customer_id = %s ORDER BY id",
        (customer_id,),
    )


def signed_in(fleet: Fleet, login: str) -> Device:
    device = fleet.device(login)
    device.sync()
    return device


def test_a_manager_assigns_several_customers_in_one_go(fleet: Fleet) -> None:
    first, second = customer(fleet, "甲公司"), customer(fleet, "乙公司", owner="mia")
    mia = signed_in(fleet, "mia")
    ownership.assign_many(mia.profile, [first, second], "rob", "新区域", mia.password)
    assert owners(fleet, first, second) == ["rob", "rob"]
    assert kinds(fleet, first)[-1] == ("assigned", "新区域")
    # The device shows the answer at once (a manager sees his team's customers).
    assert mia.row("customers", first).owner_id == fleet.user_ids["rob"]
    assert mia.row("customers", second).owner_id == fleet.user_ids["rob"]


def test_one_customer_the_manager_may_not_give_stops_them_all(fleet: Fleet) -> None:
    pool, raes = customer(fleet, "公海"), customer(fleet, "别人的", owner="rae")
    mia = signed_in(fleet, "mia")
    with pytest.raises(OwnershipRefused) as refused:
        ownership.assign_many(mia.profile, [pool, raes], "rob", password=mia.password)
    assert "None of them was given" in refused.value.text()
    assert owners(fleet, pool, raes) == [None, "rae"]
    # Nor to someone outside his team, even one at a time.
    with pytest.raises(OwnershipRefused) as refused:
        ownership.assign(mia.profile, pool, "rae", password=mia.password)
    assert "there is no such user in your team" in refused.value.text()
    assert owners(fleet, pool) == [None]


def test_assigning_beyond_what_the_receiver_may_own_is_the_rule_s_sentence(fleet: Fleet) -> None:
    fleet.admin("UPDATE crm_rules SET value = 1 WHERE key = 'max_owned'")
    first, second = customer(fleet, "一"), customer(fleet, "二")
    mia = signed_in(fleet, "mia")
    with pytest.raises(OwnershipRefused) as refused:
        ownership.assign_many(mia.profile, [first, second], "rob", password=mia.password)
    assert "rob already owns 1 customers" in refused.value.text()
    assert owners(fleet, first, second) == [None, None]


def test_a_manager_locks_a_customer_with_its_owner_and_a_rep_may_not(fleet: Fleet) -> None:
    kept = customer(fleet, "老客户", owner="rob")
    mia, rob = signed_in(fleet, "mia"), signed_in(fleet, "rob")
    with pytest.raises(OwnershipRefused) as refused:
        ownership.lock(rob.profile, kept, True, rob.password)
    assert refused.value.text() == (
        "Only a manager or an administrator may keep a customer with its owner."
    )
    # The server itself refuses the rep, whatever the client.
    with (
        fleet.db.connect_as("rob") as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        connection.execute("UPDATE customers SET pool_locked = true WHERE id = %s", (kept,))
    assert fleet.server_row("customers", kept)["pool_locked"] is False

    ownership.lock(mia.profile, kept, True, mia.password)
    assert fleet.server_row("customers", kept)["pool_locked"] is True
    assert mia.row("customers", kept).pool_locked is True
    rob.sync()
    assert rob.row("customers", kept).pool_locked is True
    # Long overdue, it stays with rob.
    with fleet.db.connect_admin() as connection:
        backdate_ownership(connection, 400, kept)
        connection.execute(
            "UPDATE customers SET owned_since = now() - interval '400 days' WHERE id = %s",
            (kept,),
        )
        assert connection.execute("SELECT crm_return_due_customers()").fetchone()[0] == 0
    assert owners(fleet, kept) == ["rob"]
    # Nor can the rep unlock it.
    with (
        fleet.db.connect_as("rob") as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        connection.execute("UPDATE customers SET pool_locked = false WHERE id = %s", (kept,))

    # Unlocked, it is overdue: mia's own sync after the unlock returns it to the pool.
    ownership.lock(mia.profile, kept, False, mia.password)
    assert owners(fleet, kept) == [None]
    assert kinds(fleet, kept)[-1][0] == "returned"
    # A customer in the pool has no owner to be kept with.
    with pytest.raises(OwnershipRefused) as refused:
        ownership.lock(mia.profile, kept, True, mia.password)
    assert "no owner to keep it with" in refused.value.text()


def test_a_rep_is_told_why_he_cannot_release_a_locked_customer_or_one_just_returned(
    fleet: Fleet,
) -> None:
    """Locked by his manager, the customer is the manager's to let go, and the rep is told so;
    overdue and still his on his screen, the sync before the release returns it to the pool,
    and he is told that, not that it is not his."""
    kept = customer(fleet, "锁定的客户", owner="rob")
    overdue = customer(fleet, "过期的客户", owner="rob")
    mia, rob = signed_in(fleet, "mia"), signed_in(fleet, "rob")
    ownership.lock(mia.profile, kept, True, mia.password)
    rob.sync()
    with pytest.raises(OwnershipRefused) as refused:
        ownership.release(rob.profile, kept, "客户不需要了", rob.password)
    assert refused.value.text() == (
        "Your manager keeps this customer with you (locked): only a manager or an "
        "administrator may release it."
    )
    assert owners(fleet, kept) == ["rob"]
    assert fleet.server_row("customers", kept)["pool_locked"] is True

    with fleet.db.connect_admin() as connection:
        backdate_ownership(connection, 400, overdue)
    assert rob.row("customers", overdue).owner_id == fleet.user_ids["rob"]
    with pytest.raises(OwnershipRefused) as refused:
        ownership.release(rob.profile, overdue, "客户已倒闭", rob.password)
    assert refused.value.text().startswith("This customer has just gone back to the public pool")
    assert owners(fleet, overdue) == [None]
    assert kinds(fleet, overdue)[-1][0] == "returned"


def leaver_s_book(fleet: Fleet, leaver: str) -> list[str]:
    """Two customers of the leaver's, with an open and a won deal, an open and a done task, and
    a running contract, an ended one still to renew and an ended one renewed."""
    customers = [customer(fleet, f"{leaver}的客户{n}", owner=leaver) for n in (1, 2)]
    owner = fleet.user_ids[leaver]
    for stage in ("proposal", "won"):
        fleet.admin(
            "INSERT INTO opportunities (id, customer_id, title, stage, owner_id)"
            " VALUES (gen_random_uuid(), %s, %s, %s, %s)",
            (customers[0], f"deal {stage}", stage, owner),
        )
    for done in (False, True):
        fleet.admin(
            "INSERT INTO tasks (id, customer_id, title, done, assignee_id)"
            " VALUES (gen_random_uuid(), %s, %s, %s, %s)",
            (customers[1], f"task {done}", done, owner),
        )
    for status, renewal in (("active", "undecided"), ("ended", "renewing"), ("ended", "renewed")):
        fleet.admin(
            "INSERT INTO contracts (id, number, customer_id, amount_cents, status,"
            " renewal_status, owner_id) VALUES (gen_random_uuid(), %s, %s, 100000, %s, %s, %s)",
            (f"HT-{leaver}-{status}-{renewal}", customers[0], status, renewal, owner),
        )
    return customers


def test_an_administrator_hands_over_from_the_window(fleet: Fleet) -> None:
    book = leaver_s_book(fleet, "rob")
    ada = signed_in(fleet, "ada")
    preview = ownership.handover(ada.profile, "rob", "rae", True, ada.password)
    assert preview == Handover(customers=2, open_opportunities=1, open_tasks=1, running_contracts=2)
    assert owners(fleet, *book) == ["rob", "rob"]  # a preview moves nothing

    assert ownership.handover(ada.profile, "rob", "rae", False, ada.password) == preview
    assert owners(fleet, *book) == ["rae", "rae"]
    assert kinds(fleet, book[0])[-1] == ("handed_over", "handover from rob to rae")
    from crm_desktop.views.customer_page import history_reason

    assert history_reason(kinds(fleet, book[0])[-1][1]) == "handed over from rob to rae"
    stages = fleet.admin(
        "SELECT o.stage, u.login FROM opportunities o JOIN users u ON u.id = o.owner_id"
        " ORDER BY o.stage"
    )
    assert stages == [("proposal", "rae"), ("won", "rob")]
    tasks = fleet.admin(
        "SELECT t.done, u.login FROM tasks t JOIN users u ON u.id = t.assignee_id ORDER BY t.done"
    )
    assert tasks == [(False, "rae"), (True, "rob")]
    contracts = fleet.admin(
        "SELECT c.status, c.renewal_status, u.login FROM contracts c"
        " JOIN users u ON u.id = c.owner_id ORDER BY c.status, c.renewal_status"
    )
    # The renewals still to see to are rae's now; the settled one stays as it was.
    assert contracts == [
        ("active", "undecided", "rae"),
        ("ended", "renewed", "rob"),
        ("ended", "renewing", "rae"),
    ]
    assert ada.row("customers", book[0]).owner_id == fleet.user_ids["rae"]  # synced home


def test_a_managers_preview_counts_what_his_handover_moves(fleet: Fleet) -> None:
    """One of rob's customers went back to the pool with his open deal and task on it: mia's
    move leaves them (her rights stop at the pool), and her preview says so too."""
    fleet.user_ids["ron"] = fleet.db.add_user("ron", "rep", manager="mia")
    book = leaver_s_book(fleet, "rob")
    fleet.admin("UPDATE customers SET owner_id = NULL WHERE id = %s", (book[1],))
    mia = signed_in(fleet, "mia")
    preview = ownership.handover(mia.profile, "rob", "ron", True, mia.password)
    moved = ownership.handover(mia.profile, "rob", "ron", False, mia.password)
    assert preview == moved
    assert moved.customers == 1 and moved.open_tasks == 0  # the task is on the pool customer


def test_a_manager_hands_over_within_his_team_only(fleet: Fleet) -> None:
    fleet.user_ids["ron"] = fleet.db.add_user("ron", "rep", manager="mia")
    book = leaver_s_book(fleet, "rob")
    mia = signed_in(fleet, "mia")
    # rae is not in his team: the server refuses the whole move, in plain words.
    with pytest.raises(OwnershipRefused) as refused:
        ownership.handover(mia.profile, "rob", "rae", False, mia.password)
    assert refused.value.text() == (
        "You may not hand “rob”'s customers to “rae”: only an administrator, or the manager "
        "of both, may. Nothing was moved."
    )
    assert owners(fleet, *book) == ["rob", "rob"]

    moved = ownership.handover(mia.profile, "rob", "ron", False, mia.password)
    assert moved == Handover(customers=2, open_opportunities=1, open_tasks=1, running_contracts=2)
    assert owners(fleet, *book) == ["ron", "ron"]
    # Only an administrator's move is named a handover by the server; a manager's is an
    # assignment whose reason says it was one.
    assert kinds(fleet, book[0])[-1] == ("assigned", "handover from rob to ron")

    with pytest.raises(OwnershipRefused) as refused:
        ownership.handover(mia.profile, "ron", "ron", True, mia.password)
    assert refused.value.text() == "A handover needs two different users."
    fleet.admin("UPDATE users SET active = false WHERE login = 'rob'")
    with pytest.raises(OwnershipRefused) as refused:
        ownership.handover(mia.profile, "ron", "rob", True, mia.password)
    assert refused.value.text() == "“rob” is deactivated and cannot receive customers."


def test_the_window_s_team_is_the_scope_the_server_gave(fleet: Fleet) -> None:
    mia, ada, rob = signed_in(fleet, "mia"), signed_in(fleet, "ada"), signed_in(fleet, "rob")
    assert ownership.current_role(mia.profile.store) == "manager"
    assert [m.login for m in ownership.team(mia.profile.store)] == ["mia", "rob"]
    assert ownership.current_role(ada.profile.store) == "admin"
    assert [m.login for m in ownership.team(ada.profile.store)] == ["mia", "rae", "rob"]
    assert ownership.current_role(rob.profile.store) == "rep"
    assert ownership.team(rob.profile.store) == []


def test_rules_are_read_by_anyone_and_changed_by_an_administrator_all_at_once(
    fleet: Fleet,
) -> None:
    rob, ada = signed_in(fleet, "rob"), signed_in(fleet, "ada")
    read = rules.read_rules(rob.profile, rob.password)
    assert [rule.key for rule in read] == list(RULE_HELP)
    with pytest.raises(OwnershipRefused) as refused:
        rules.save_rules(rob.profile, {"max_owned": 5}, rob.password)
    assert refused.value.text() == "Only an administrator may change the rules."

    after = rules.save_rules(
        ada.profile, {"claim_per_day": 8, "pool_return_days_A": 60}, ada.password
    )
    values = {rule.key: rule.value for rule in after}
    assert values["claim_per_day"] == 8 and values["pool_return_days_A"] == 60
    assert all(rule.updated_by == "ada" for rule in after if rule.key == "claim_per_day")
    # One value out of range: nothing of the save is kept.
    with pytest.raises(OwnershipRefused) as refused:
        rules.save_rules(ada.profile, {"claim_per_day": 9, "pool_return_days": 0}, ada.password)
    assert refused.value.text() == "0 is out of range for pool_return_days."
    with pytest.raises(OwnershipRefused) as refused:
        rules.save_rules(ada.profile, {"pool_return_days_A": None, "max_owned": None}, ada.password)
    assert "max_owned must have a value" in refused.value.text()
    values = {rule.key: rule.value for rule in rules.read_rules(ada.profile, ada.password)}
    assert values["claim_per_day"] == 8 and values["pool_return_days_A"] == 60


def test_the_ranges_the_window_offers_are_the_server_s(fleet: Fleet) -> None:
    ada = signed_in(fleet, "ada")
    for key, (low, high) in RULE_RANGES.items():
        rules.save_rules(ada.profile, {key: low}, ada.password)
        rules.save_rules(ada.profile, {key: high}, ada.password)
        for outside in (low - 1, high + 1):
            with pytest.raises(OwnershipRefused):
                rules.save_rules(ada.profile, {key: outside}, ada.password)
    assert set(RULE_RANGES) == set(RULE_HELP)


def _work(fleet: Fleet, customer_id: str, owner: str) -> dict[str, str]:
    """An open and a won deal, a running and a settled contract, an open and a done task of
    `owner` on the customer: ids by name."""
    who = fleet.user_ids[owner]

    def insert(statement: str, *values: object) -> str:
        return fleet.admin(statement + " RETURNING id::text", values)[0][0]

    deal = "INSERT INTO opportunities (customer_id, title, stage, owner_id) VALUES (%s, %s, %s, %s)"
    contract = (
        "INSERT INTO contracts (customer_id, number, status, renewal_status, owner_id)"
        " VALUES (%s, %s, %s, %s, %s)"
    )
    task = "INSERT INTO tasks (customer_id, title, done, assignee_id) VALUES (%s, %s, %s, %s)"
    return {
        "open deal": insert(deal, customer_id, "open", "proposal", who),
        "won deal": insert(deal, customer_id, "won", "won", who),
        "running contract": insert(
            contract, customer_id, f"K-{customer_id[:8]}", "active", "undecided", who
        ),
        "settled contract": insert(
            contract, customer_id, f"S-{customer_id[:8]}", "ended", "not_renewing", who
        ),
        "open task": insert(task, customer_id, "call", False, who),
        "done task": insert(task, customer_id, "called", True, who),
    }


def _owners_of(fleet: Fleet, work: dict[str, str]) -> dict[str, str]:
    found = {}
    for name, row_id in work.items():
        table = {"deal": "opportunities", "contract": "contracts", "task": "tasks"}[
            name.split()[-1]
        ]
        column = "assignee_id" if table == "tasks" else "owner_id"
        [(login,)] = fleet.admin(
            f"SELECT u.login FROM {table} r JOIN users u ON u.id = r.{column} WHERE r.id = %s",
            (row_id,),
        )
        found[name] = login
    return found


def test_an_assigned_customer_takes_its_open_work_to_its_new_owner(fleet: Fleet) -> None:
    """Found by a review of the dashboard: after Assign to… a rep's pipeline and renewals left
    out the deals and contracts of his new customer, still counted under the previous owner
    who no longer saw it. Open work moves as a handover moves it; closed work keeps its
    history."""
    given = customer(fleet, "甲公司", owner="mia")
    work = _work(fleet, given, "mia")
    mia = signed_in(fleet, "mia")
    ownership.assign(mia.profile, given, "rob", "新区域", mia.password)
    assert _owners_of(fleet, work) == {
        "open deal": "rob",
        "won deal": "mia",
        "running contract": "rob",
        "settled contract": "mia",
        "open task": "rob",
        "done task": "mia",
    }
    assert mia.row("opportunities", work["open deal"]).owner_id == fleet.user_ids["rob"]


def test_a_customer_claimed_from_the_pool_takes_its_open_work_along(fleet: Fleet) -> None:
    pooled = customer(fleet, "乙公司")
    work = _work(fleet, pooled, "rae")  # left by a rep whose customer returned to the pool
    rob = signed_in(fleet, "rob")
    ownership.claim(rob.profile, pooled, rob.password)
    moved = _owners_of(fleet, work)
    # Its open task too (server 0034): rae no longer sees the customer, so it was nobody's.
    assert (moved["open deal"], moved["running contract"], moved["open task"]) == ("rob",) * 3
    assert (moved["won deal"], moved["done task"]) == ("rae", "rae")


def test_an_owner_set_offline_and_pushed_takes_the_open_work_too(fleet: Fleet) -> None:
    """The server moves the work with whatever gives the customer its new owner (0029): a
    manager's change of owner in the customer's form, made offline and pushed, as well."""
    given = customer(fleet, "丙公司", owner="mia")
    work = _work(fleet, given, "mia")
    mia = signed_in(fleet, "mia")
    mia.writer.update("customers", given, {"owner_id": fleet.user_ids["rob"]})
    report = mia.sync()
    assert report.pushed.refused == 0, [c.reason for c in mia.conflicts()]
    moved = _owners_of(fleet, work)
    assert (moved["open deal"], moved["running contract"], moved["open task"]) == ("rob",) * 3
    assert (moved["won deal"], moved["settled contract"], moved["done task"]) == ("mia",) * 3
    assert mia.row("tasks", work["open task"]).assignee_id == fleet.user_ids["rob"]
