"""Contracts, their plans, payments and quote lines between devices and a finance system: each
reaches the devices of those who see its customer and no other, and a payment a finance
system inserts with plain SQL on the server reaches the rep's device and changes what it owes."""

from __future__ import annotations

from datetime import date, timedelta

from crm_desktop.models.entities import Opportunity
from crm_desktop.queries.money import customer_money, receivables
from tests.sync.conftest import Device, Fleet

TODAY = date.today()


def connected(fleet: Fleet, *logins: str) -> list[Device]:
    devices = [fleet.device(login) for login in logins]
    for device in devices:
        device.sync()
    return devices


def test_a_reps_contract_plan_and_payment_reach_his_manager_not_a_peer(fleet: Fleet) -> None:
    rob, mia, rae = connected(fleet, "rob", "mia", "rae")
    customer = rob.writer.create("customers", {"name": "Acme"}).primary_id
    contract = rob.writer.create(
        "contracts",
        {
            "number": "HT-1",
            "customer_id": customer,
            "start_on": TODAY - timedelta(days=90),
            "end_on": TODAY + timedelta(days=275),
            "amount_cents": 300_000,
            "status": "active",
        },
    ).primary_id
    plan = [
        rob.writer.create(
            "contract_instalments",
            {
                "contract_id": contract,
                "due_on": TODAY - timedelta(days=days),
                "amount_cents": 100_000,
            },
        ).primary_id
        for days in (80, 20, -40)
    ]
    payment = rob.writer.create(
        "payments",
        {
            "customer_id": customer,
            "contract_id": contract,
            "paid_on": TODAY - timedelta(days=79),
            "amount_cents": "1000.00",
            "method": "transfer",
            "reference": "ICBC 1",
        },
    ).primary_id
    rob.sync()
    mia.sync()
    rae.sync()
    assert rob.conflicts() == []
    assert mia.row("contracts", contract).number == "HT-1"
    assert mia.ids("contract_instalments") == set(plan)
    assert mia.row("payments", payment).amount_cents == 100_000
    assert contract not in rae.ids("contracts") and payment not in rae.ids("payments")
    server = fleet.server_row("payments", payment)
    assert server["amount_cents"] == 100_000
    assert str(server["created_by"]) == fleet.user_ids["rob"]
    with mia.profile.store.read() as session:
        money = customer_money(session, customer, TODAY)
    assert (money.paid, money.outstanding, money.overdue) == (100_000, 200_000, 100_000)


def test_a_payment_inserted_by_finance_reaches_the_rep_and_clears_what_he_is_owed(
    fleet: Fleet,
) -> None:
    (rob,) = connected(fleet, "rob")
    customer = rob.writer.create("customers", {"name": "Acme"}).primary_id
    contract = rob.writer.create(
        "contracts",
        {
            "number": "HT-2",
            "customer_id": customer,
            "start_on": TODAY - timedelta(days=30),
            "amount_cents": 250_075,
            "status": "active",
        },
    ).primary_id
    rob.sync()
    with rob.profile.store.read() as session:
        assert [line.overdue for line in receivables(session, TODAY)] == [250_075]
    # The finance system, as the deployment owner, with plain SQL and its own key.
    fleet.admin(
        "INSERT INTO payments (customer_id, contract_id, paid_on, amount_cents, method,"
        " external_ref) VALUES (%s, %s, %s, %s, 'transfer', 'ERP-PAY-0001')",
        (customer, contract, TODAY, 250_075),
    )
    report = rob.sync()
    assert report.pulled.received >= 1
    with rob.profile.store.read() as session:
        money = customer_money(session, customer, TODAY)
        assert receivables(session, TODAY) == []
    assert (money.paid, money.outstanding, money.overdue) == (250_075, 0, 0)


def test_quote_lines_and_their_sum_reach_the_other_device(fleet: Fleet) -> None:
    rob, mia = connected(fleet, "rob", "mia")
    product = fleet.admin(
        "INSERT INTO products (code, name, list_price_cents) VALUES ('P-1', 'Pump', 12345)"
        " RETURNING id::text"
    )[0][0]
    rob.sync()
    customer = rob.writer.create("customers", {"name": "Acme"}).primary_id
    opportunity = rob.writer.create(
        "opportunities", {"customer_id": customer, "title": "Pumps", "stage": "proposal"}
    ).primary_id
    rob.writer.create(
        "opportunity_lines",
        {
            "opportunity_id": opportunity,
            "product_id": product,
            "quantity": 2,
            "discount_percent": 50,
        },
    )
    rob.sync()
    mia.sync()
    assert rob.conflicts() == []
    with mia.profile.store.read() as session:
        assert session.get(Opportunity, opportunity).amount_cents == 12_345
    lines = fleet.admin(
        "SELECT unit_price_cents, discount_percent FROM opportunity_lines"
        " WHERE opportunity_id = %s",
        (opportunity,),
    )
    assert lines == [(12_345, 50)]
