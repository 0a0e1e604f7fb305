"""The write path's money rules on a real store: quote lines price from the list and sum into
their opportunity, instalments and payments stay with their contract's customer, and bad
input is one sentence that changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from crm_desktop.models.entities import Contract, ContractInstalment, Opportunity
from crm_desktop.models.validation import InvalidInput
from crm_desktop.profile import Profile


def make(profile: Profile, entity: str, **values) -> str:
    return profile.writer().create(entity, values).primary_id


def amount_of(profile: Profile, opportunity_id: str) -> int:
    with profile.store.read() as session:
        return session.get(Opportunity, opportunity_id).amount_cents


@pytest.fixture
def deal(profile: Profile) -> dict[str, str]:
    customer = make(profile, "customers", name="Acme")
    pump = make(profile, "products", code="P-1", name="Pump", list_price_cents=12_345)
    valve = make(profile, "products", code="V-1", name="Valve", list_price_cents=999)
    opportunity = make(
        profile,
        "opportunities",
        customer_id=customer,
        title="Pumps",
        stage="proposal",
        amount_cents=1_000_000,
    )
    return {"customer": customer, "pump": pump, "valve": valve, "opportunity": opportunity}


def test_quote_lines_start_at_the_list_price_and_sum_into_the_opportunity(profile, deal) -> None:
    pump = make(
        profile,
        "opportunity_lines",
        opportunity_id=deal["opportunity"],
        product_id=deal["pump"],
        quantity=3,
        discount_percent=10,
    )
    # 3 × 123.45 less 10% = 333.315, half up to the fen: 333.32.
    assert amount_of(profile, deal["opportunity"]) == 33_332
    valve = make(
        profile,
        "opportunity_lines",
        opportunity_id=deal["opportunity"],
        product_id=deal["valve"],
        quantity=0.5,
        unit_price_cents=1_001,
    )
    assert amount_of(profile, deal["opportunity"]) == 33_332 + 501  # 5.005 rounds up
    profile.writer().update("opportunity_lines", pump, {"discount_percent": 0})
    assert amount_of(profile, deal["opportunity"]) == 37_035 + 501
    profile.writer().delete("opportunity_lines", [pump])
    assert amount_of(profile, deal["opportunity"]) == 501
    # With no line left, the amount typed by hand (or the last sum) stays.
    changes = profile.writer().delete("opportunity_lines", [valve])
    assert amount_of(profile, deal["opportunity"]) == 501
    profile.writer().restore(changes.undo)
    assert amount_of(profile, deal["opportunity"]) == 501


def test_the_sum_travels_in_the_outbox_like_any_change(profile, deal) -> None:
    from sqlalchemy import select

    from crm_desktop.models.entities import OutboxEntry

    make(
        profile,
        "opportunity_lines",
        opportunity_id=deal["opportunity"],
        product_id=deal["pump"],
        quantity=1,
    )
    with profile.store.read() as session:
        entries = session.scalars(
            select(OutboxEntry).where(
                OutboxEntry.entity == "opportunities", OutboxEntry.op == "update"
            )
        ).all()
    assert [(e.changes, e.base) for e in entries] == [
        ({"amount_cents": 12_345}, {"amount_cents": 1_000_000})
    ]


def test_an_instalment_belongs_to_its_contracts_customer(profile, deal) -> None:
    contract = make(profile, "contracts", number="C-1", customer_id=deal["customer"])
    instalment = make(
        profile, "contract_instalments", contract_id=contract, due_on=date(2031, 1, 1)
    )
    with profile.store.read() as session:
        assert session.get(ContractInstalment, instalment).customer_id == deal["customer"]
        made = session.get(Contract, contract)
    assert (made.kind, made.status, made.renewal_status) == ("sale", "draft", "undecided")
    assert made.owner_id == profile.user_id


@pytest.mark.parametrize(
    ("entity", "values", "field", "sentence"),
    [
        (
            "contracts",
            {"number": "C-9", "start_on": date(2031, 5, 1), "end_on": date(2031, 4, 30)},
            "end_on",
            "The end date is before the start date.",
        ),
        (
            "payments",
            {"paid_on": date(2031, 1, 1), "amount_cents": 0},
            "amount_cents",
            "Amount must be between 0.01 and 1,000,000,000,000.",
        ),
        (
            "payments",
            {"paid_on": date(2031, 1, 1), "amount_cents": "0.00"},
            "amount_cents",
            "Amount must be between 0.01 and 1,000,000,000,000.",
        ),
        (
            "payments",
            {"paid_on": date(2031, 1, 1), "amount_cents": "-5"},
            "amount_cents",
            "Amount must be between 0.01 and 1,000,000,000,000.",
        ),
    ],
)
def test_bad_money_input_is_one_sentence_and_writes_nothing(
    profile, deal, entity, values, field, sentence
) -> None:
    before = profile.writer().pending_changes()
    with pytest.raises(InvalidInput) as refused:
        profile.writer().create(entity, {"customer_id": deal["customer"], **values})
    assert refused.value.field == field
    assert refused.value.text() == sentence
    assert profile.writer().pending_changes() == before


def test_a_contract_or_payment_cannot_point_at_another_customers_records(profile, deal) -> None:
    other = make(profile, "customers", name="Bolt")
    theirs = make(profile, "contracts", number="B-1", customer_id=other)
    with pytest.raises(InvalidInput) as refused:
        make(
            profile,
            "payments",
            customer_id=deal["customer"],
            contract_id=theirs,
            paid_on=date(2031, 1, 1),
            amount_cents=100,
        )
    assert refused.value.field == "contract_id"
    assert "another customer" in refused.value.text()
    with pytest.raises(InvalidInput) as refused:
        make(
            profile,
            "contracts",
            number="B-2",
            customer_id=other,
            opportunity_id=deal["opportunity"],
        )
    assert refused.value.field == "opportunity_id"
    ours = make(profile, "contracts", number="C-1", customer_id=deal["customer"])
    with pytest.raises(InvalidInput) as refused:
        profile.writer().update("contracts", ours, {"renewed_from_id": theirs})
    assert refused.value.field == "renewed_from_id"
    with pytest.raises(InvalidInput) as refused:
        profile.writer().update("contracts", ours, {"renewed_from_id": ours})
    assert refused.value.text() == "A contract cannot renew itself."


def test_one_fen_is_a_payment(profile, deal) -> None:
    paid = make(
        profile,
        "payments",
        customer_id=deal["customer"],
        paid_on=date(2031, 1, 1),
        amount_cents="0.01",
    )
    assert paid


def test_a_code_or_number_in_use_is_refused_with_a_sentence(profile, deal) -> None:
    with pytest.raises(InvalidInput) as refused:
        make(profile, "products", code="P-1", name="Another pump")
    assert refused.value.field == "code"
    assert refused.value.text() == "Code “P-1” is already used by another product."
    first = make(profile, "contracts", number="C-7", customer_id=deal["customer"])
    with pytest.raises(InvalidInput) as refused:
        make(profile, "contracts", number="C-7", customer_id=deal["customer"])
    assert refused.value.text() == "Contract number “C-7” is already used by another contract."
    other = make(profile, "contracts", number="C-8", customer_id=deal["customer"])
    with pytest.raises(InvalidInput):
        profile.writer().update("contracts", other, {"number": "C-7"})
    profile.writer().update("contracts", first, {"number": "C-7", "notes": "same number"})
    # A deleted contract's number is free again (the server's unique index is on live rows).
    profile.writer().delete("contracts", [first])
    assert make(profile, "contracts", number="C-7", customer_id=deal["customer"])


def test_part_of_a_fen_is_refused_not_rounded_away(profile, deal) -> None:
    with pytest.raises(InvalidInput) as refused:
        make(profile, "products", code="P-9", name="Bolt", list_price_cents="1.005")
    assert refused.value.text() == (
        "List price “1.005” has more than two decimals; money is counted to the fen."
    )
    assert make(profile, "products", code="P-9", name="Bolt", list_price_cents="1.50")


def test_a_contract_with_money_or_a_renewal_stays_with_its_customer(profile, deal) -> None:
    """Its instalments and payments are its customer's (the server's foreign keys say so):
    moved alone, the old customer would keep paid money it has no contract for, and the
    server would refuse the move at the next sync."""
    writer = profile.writer()
    other = make(profile, "customers", name="Bolt")
    bare = make(profile, "contracts", customer_id=deal["customer"], number="K-0")
    assert writer.update("contracts", bare, {"customer_id": other}).primary_id == bare
    for held in ("contract_instalments", "payments", "contracts"):
        contract = make(profile, "contracts", customer_id=deal["customer"], number=f"K-{held}")
        if held == "contract_instalments":
            make(profile, held, contract_id=contract, due_on=date(2031, 1, 1), amount_cents=1)
        elif held == "payments":
            make(profile, held, customer_id=deal["customer"], contract_id=contract,
                 paid_on=date(2031, 1, 1), amount_cents=1)  # fmt: skip
        else:
            make(profile, held, customer_id=deal["customer"], number="K-renewal",
                 renewed_from_id=contract)  # fmt: skip
        with pytest.raises(InvalidInput, match="stays with that customer"):
            writer.update("contracts", contract, {"customer_id": other})
        with profile.store.read() as session:
            assert session.get(Contract, contract).customer_id == deal["customer"]


def test_a_contract_is_renewed_once_however_the_second_comes(profile, deal) -> None:
    writer = profile.writer()
    old = make(profile, "contracts", customer_id=deal["customer"], number="M-1")
    writer.renew_contract(old, {"number": "M-1-R1"})
    with pytest.raises(InvalidInput, match="already renewed by contract M-1-R1"):
        make(profile, "contracts", customer_id=deal["customer"], number="M-1-bis",
             renewed_from_id=old)  # fmt: skip
    other = make(profile, "contracts", customer_id=deal["customer"], number="M-2")
    with pytest.raises(InvalidInput, match="already renewed by contract M-1-R1"):
        writer.update("contracts", other, {"renewed_from_id": old})
    with profile.store.read() as session:
        renewals = session.query(Contract.number).filter(Contract.renewed_from_id == old).all()
    assert renewals == [("M-1-R1",)]


def test_a_contract_is_marked_renewed_while_a_live_contract_renews_it(profile, deal) -> None:
    """However the renewal came, and until it is deleted: a renewal deleted by mistake puts
    its contract back on the renewal lists; its undo marks it renewed again."""
    writer = profile.writer()

    def status(contract_id: str) -> str:
        with profile.store.read() as session:
            return session.get(Contract, contract_id).renewal_status

    old = make(profile, "contracts", customer_id=deal["customer"], number="S-1")
    # As a form's "Renews contract" makes it:
    renewal = make(
        profile, "contracts", customer_id=deal["customer"], number="S-1-R", renewed_from_id=old
    )
    assert status(old) == "renewed"
    deleted = writer.delete("contracts", [renewal])
    assert status(old) == "undecided"
    writer.restore(deleted.undo)
    assert status(old) == "renewed"
    # A renewal moved to renew another contract leaves the first one undecided.
    other = make(profile, "contracts", customer_id=deal["customer"], number="S-2")
    writer.update("contracts", renewal, {"renewed_from_id": other})
    assert (status(old), status(other)) == ("undecided", "renewed")
