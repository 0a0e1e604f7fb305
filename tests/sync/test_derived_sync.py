"""A deal's amount (the sum of its quote lines) and a customer's last and next follow-up (its
latest follow-up's) are taken from other rows. Two devices that each add a line or a follow-up
offline send two totals, each right on its own device: the server computes the total from
the rows it then holds, every device ends with it, and nobody gets a conflict about it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crm_desktop.models.base import utcnow
from crm_desktop.services import writer as writer_module
from tests.sync.conftest import Fleet


def test_quote_lines_added_on_two_devices_sum_on_the_server(fleet: Fleet) -> None:
    laptop, desktop = fleet.device("rob", "laptop"), fleet.device("rob", "desktop")
    product = fleet.admin(
        "INSERT INTO products (code, name, list_price_cents) VALUES ('P-1', 'Pump', 10000)"
        " RETURNING id::text"
    )[0][0]
    laptop.sync()
    customer = laptop.writer.create("customers", {"name": "Acme"}).primary_id
    deal = laptop.writer.create(
        "opportunities", {"customer_id": customer, "title": "Pumps", "stage": "proposal"}
    ).primary_id
    line = {"opportunity_id": deal, "product_id": product}
    laptop.writer.create("opportunity_lines", {**line, "quantity": 1})
    laptop.sync()
    desktop.sync()

    laptop.writer.create("opportunity_lines", {**line, "quantity": 2})  # offline, both
    desktop.writer.create("opportunity_lines", {**line, "quantity": 3})
    assert laptop.row("opportunities", deal).amount_cents == 30_000
    assert desktop.row("opportunities", deal).amount_cents == 40_000
    laptop.sync()
    desktop.sync()
    laptop.sync()

    assert fleet.server_row("opportunities", deal)["amount_cents"] == 60_000
    assert laptop.row("opportunities", deal).amount_cents == 60_000
    assert desktop.row("opportunities", deal).amount_cents == 60_000
    assert laptop.conflicts() == [] and desktop.conflicts() == []


def test_follow_ups_logged_on_two_devices_leave_the_latest_on_the_customer(fleet: Fleet) -> None:
    laptop, desktop = fleet.device("rob", "laptop"), fleet.device("rob", "desktop")
    laptop.sync()
    customer = laptop.writer.create("customers", {"name": "Acme"}).primary_id
    laptop.sync()
    desktop.sync()
    now = utcnow().replace(microsecond=0)
    earlier, later, next_step = (
        now - timedelta(hours=3),
        now - timedelta(hours=1),
        now + timedelta(days=2),
    )
    call = {"customer_id": customer, "kind": "call"}
    laptop.writer.create("followups", {**call, "happened_at": earlier, "text": "first"})
    desktop.writer.create(
        "followups", {**call, "happened_at": later, "text": "second", "next_step_at": next_step}
    )
    laptop.sync()  # the earlier one reaches the server first
    desktop.sync()
    laptop.sync()

    server = fleet.server_row("customers", customer)
    assert server["last_followup_at"].replace(tzinfo=None) == later
    assert server["next_followup_at"].replace(tzinfo=None) == next_step
    for device in (laptop, desktop):
        row = device.row("customers", customer)
        assert (row.last_followup_at, row.next_followup_at) == (later, next_step)
        assert device.conflicts() == []


def test_a_typed_amount_of_a_deal_without_lines_is_still_merged_as_typed(fleet: Fleet) -> None:
    """Without quote lines the amount is the user's: a change made meanwhile is a conflict."""
    laptop, desktop = fleet.device("rob", "laptop"), fleet.device("rob", "desktop")
    laptop.sync()
    customer = laptop.writer.create("customers", {"name": "Acme"}).primary_id
    deal = laptop.writer.create(
        "opportunities",
        {"customer_id": customer, "title": "Service", "stage": "proposal", "amount_cents": 100},
    ).primary_id
    laptop.sync()
    desktop.sync()
    laptop.writer.update("opportunities", deal, {"amount_cents": 200})
    desktop.writer.update("opportunities", deal, {"amount_cents": 300})
    laptop.sync()
    desktop.sync()
    assert fleet.server_row("opportunities", deal)["amount_cents"] == 200
    assert [(c.field, c.lost_value) for c in desktop.conflicts()] == [("amount_cents", 300)]


def test_a_next_follow_up_the_user_chose_stands(fleet: Fleet) -> None:
    """A follow-up's next step sets the customer's next follow-up, but the user may postpone
    it (Today) or type it (the customer's form): that value is his, and the sync keeps it."""
    rob = fleet.device("rob")
    rob.sync()
    customer = rob.writer.create("customers", {"name": "Acme"}).primary_id
    now = utcnow().replace(microsecond=0)
    rob.writer.create(
        "followups",
        {
            "customer_id": customer,
            "kind": "call",
            "happened_at": now - timedelta(hours=1),
            "text": "call",
            "next_step_at": now + timedelta(days=1),
        },
    )
    rob.sync()
    postponed = now + timedelta(days=20)
    rob.writer.update("customers", customer, {"next_followup_at": postponed})
    rob.sync()
    assert (
        fleet.server_row("customers", customer)["next_followup_at"].replace(tzinfo=None)
        == postponed
    )
    assert rob.row("customers", customer).next_followup_at == postponed
    assert rob.conflicts() == []


def test_a_follow_up_dated_ahead_of_the_server_is_not_the_last_one_yet(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A laptop whose clock ran 40 days fast dated its follow-up 40 days ahead: every device
    showed that day as the customer's last follow-up, while the server's pool rules, which
    count follow-ups up to now, went by the earlier one (and the devices' return dates with
    them). The last follow-up is the latest up to the server's now."""
    laptop, desktop = fleet.device("rob", "laptop"), fleet.device("rob", "desktop")
    laptop.sync()
    customer = laptop.writer.create("customers", {"name": "Acme"}).primary_id
    now = utcnow().replace(microsecond=0)
    call = {"customer_id": customer, "kind": "call", "text": "called"}
    laptop.writer.create("followups", {**call, "happened_at": now - timedelta(days=2)})
    with monkeypatch.context() as fast:  # the laptop's clock (its writer's)
        fast.setattr(writer_module, "utcnow", lambda: now + timedelta(days=40))
        laptop.writer.create("followups", {**call, "happened_at": now + timedelta(days=40)})
    laptop.sync()
    desktop.sync()
    server = fleet.server_row("customers", customer)
    assert server["last_followup_at"].replace(tzinfo=None) == now - timedelta(days=2)
    for device in (laptop, desktop):
        assert device.row("customers", customer).last_followup_at == now - timedelta(days=2)
