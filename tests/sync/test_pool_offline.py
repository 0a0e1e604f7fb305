"""The fairness rule of the public pool, with two reps' devices: a customer returns to the pool
while its rep travels offline; the follow-up he logged before the deadline reaches the server
late and gives the customer back to him, and to no one else."""

from __future__ import annotations

from datetime import UTC, timedelta

from crm_desktop.models.base import utcnow
from crm_desktop.sync.link import device_id
from tests.postgres import backdate_ownership
from tests.sync.conftest import Device, Fleet


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
    synced_days_ago(fleet, rob, 3)  # his last sync before he left

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
    # The customer page says it in the user's words and on his clock.
    from crm_desktop.views.customer_page import history_reason

    local = happened.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")
    assert history_reason(reason) == (
        f"a follow-up of {local} was logged before the customer returned to the pool"
    )


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


def synced_days_ago(fleet: Fleet, device: Device, days: float) -> None:
    """As if every sync of `device` so far, its pushes' receipts and its sync row, had been
    `days` ago: it has been offline since (receipts are append-only even for the owner: he
    lifts that for this one statement)."""
    ago = days * 86400
    with fleet.db.connect_admin() as connection, connection.transaction():
        connection.execute("ALTER TABLE sync_pushes NO FORCE ROW LEVEL SECURITY")
        connection.execute(
            "UPDATE sync_pushes SET pushed_at = now() - make_interval(secs => %s)"
            " WHERE device_id = %s",
            (ago, device_id(device.profile.store)),
        )
        connection.execute("ALTER TABLE sync_pushes FORCE ROW LEVEL SECURITY")
        connection.execute(
            "UPDATE user_syncs SET synced_at = now() - make_interval(secs => %s)"
            " WHERE device_id = %s",
            (ago, device_id(device.profile.store)),
        )


def test_a_laptop_offline_for_days_is_judged_by_its_own_previous_sync(fleet: Fleet) -> None:
    """rob's laptop last synced eight days ago; his office computer synced yesterday. The
    visit he logged on the laptop five days ago, before the customer's deadline, keeps it: the
    laptop's previous sync could not have sent it. Logged on the office computer with the same
    date, it would not have (its sync of yesterday would have sent it)."""
    laptop, office = fleet.device("rob", "laptop"), fleet.device("rob", "office")
    customer = laptop.writer.create("customers", {"name": "笔记本上跟进的客户"}).primary_id
    laptop.sync()
    office.sync()
    late = office.writer.create("customers", {"name": "办公室电脑上补记的客户"}).primary_id
    office.sync()
    synced_days_ago(fleet, laptop, 8)
    synced_days_ago(fleet, office, 1)
    five_days_ago = utcnow() - timedelta(days=5)
    for device, which in ((laptop, customer), (office, late)):
        device.writer.create(
            "followups",
            {"customer_id": which, "kind": "visit", "happened_at": five_days_ago, "text": "拜访"},
        )
    for which in (customer, late):
        date_back(fleet, which, 31)
    assert fleet.admin("SELECT crm_return_due_customers()") == [(2,)]

    assert laptop.sync().pushed.refused == 0
    assert str(fleet.server_row("customers", customer)["owner_id"]) == laptop.profile.user_id
    assert office.sync().pushed.refused == 1
    assert [(c.kind, c.entity) for c in office.conflicts()] == [("refused", "followups")]
    assert fleet.server_row("customers", late)["owner_id"] is None


def test_edits_made_before_the_follow_up_that_keeps_the_customer_go_through(
    fleet: Fleet,
) -> None:
    """On the visit rob corrects the customer's phone and adds a contact, then logs the
    visit: in that order in his outbox. The customer returned to the pool meanwhile, so the
    server refuses the edits until the follow-up gives it back: the push sends that follow-up
    first and the edits once more after it. Nothing is left in conflict."""
    rob = fleet.device("rob")
    rob.sync()
    customer = rob.writer.create("customers", {"name": "拜访时更正电话的客户"}).primary_id
    rob.sync()
    date_back(fleet, customer, 29)
    synced_days_ago(fleet, rob, 3)  # his last sync before he left
    rob.writer.update("customers", customer, {"phone": "13812345678", "address": "青岛市"})
    contact = rob.writer.create("contacts", {"customer_id": customer, "name": "王经理"}).primary_id
    rob.writer.create(
        "followups",
        {
            "customer_id": customer,
            "kind": "visit",
            "happened_at": utcnow() - timedelta(days=2),
            "text": "拜访，电话已更正",
        },
    )
    date_back(fleet, customer, 31)
    assert fleet.admin("SELECT crm_return_due_customers()") == [(1,)]

    report = rob.sync()
    assert report.pushed.refused == 0 and not rob.conflicts()
    row = fleet.server_row("customers", customer)
    assert str(row["owner_id"]) == rob.profile.user_id
    assert (row["phone"], row["address"]) == ("+8613812345678", "青岛市")
    assert fleet.server_row("contacts", contact)["name"] == "王经理"
    assert rob.row("customers", customer).phone == "+8613812345678"


def test_edits_stay_refused_when_the_follow_up_does_not_keep_the_customer(
    fleet: Fleet,
) -> None:
    """The same, but the visit was too long ago to have kept it: the edit and the follow-up
    are refused and kept, each once, and the customer stays in the pool as it was."""
    rob = fleet.device("rob")
    rob.sync()
    customer = rob.writer.create("customers", {"name": "早已过期的客户"}).primary_id
    rob.sync()
    rob.writer.update("customers", customer, {"phone": "13812345678"})
    rob.writer.create(
        "followups",
        {
            "customer_id": customer,
            "kind": "visit",
            "happened_at": utcnow() - timedelta(days=45),
            "text": "拜访",
        },
    )
    date_back(fleet, customer, 80)
    fleet.admin("SELECT crm_return_due_customers()")

    report = rob.sync()
    assert report.pushed.refused == 2
    assert sorted((c.kind, c.entity) for c in rob.conflicts()) == [
        ("refused", "customers"),
        ("refused", "followups"),
    ]
    row = fleet.server_row("customers", customer)
    assert (row["owner_id"], row["phone"]) == (None, None)


def test_the_follow_up_that_keeps_the_customer_is_found_behind_one_that_does_not(
    fleet: Fleet,
) -> None:
    """rob's outbox: the phone corrected, a call of long ago logged late (too late to keep the
    customer), then the visit of two days ago (in time). The visit gives the customer back, the
    phone goes in after it, and the old call in its turn, on a customer that is his again."""
    rob = fleet.device("rob")
    rob.sync()
    customer = rob.writer.create("customers", {"name": "两次跟进的客户"}).primary_id
    rob.sync()
    date_back(fleet, customer, 29)
    synced_days_ago(fleet, rob, 3)  # his last sync before he left
    rob.writer.update("customers", customer, {"phone": "13812345678"})
    for days, text in ((45, "很久以前的电话"), (2, "前天的拜访")):
        rob.writer.create(
            "followups",
            {
                "customer_id": customer,
                "kind": "visit",
                "happened_at": utcnow() - timedelta(days=days),
                "text": text,
            },
        )
    date_back(fleet, customer, 31)
    assert fleet.admin("SELECT crm_return_due_customers()") == [(1,)]

    report = rob.sync()
    assert report.pushed.refused == 0 and not rob.conflicts()
    row = fleet.server_row("customers", customer)
    assert str(row["owner_id"]) == rob.profile.user_id and row["phone"] == "+8613812345678"
    texts = fleet.admin("SELECT text FROM followups WHERE customer_id = %s", (customer,))
    assert sorted(text for (text,) in texts) == sorted(["很久以前的电话", "前天的拜访"])
