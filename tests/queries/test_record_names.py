"""What a user calls a record in a sentence about it (a conflict, a refusal): a name, a title,
a contract's number, or, for a record with none of its own, its customer and its day."""

from __future__ import annotations

from datetime import date, datetime

from crm_desktop.models.dates import local_to_utc
from crm_desktop.profile import Profile
from crm_desktop.queries.records import record_names


def test_records_without_a_name_are_called_by_their_customer_and_day(profile: Profile) -> None:
    writer = profile.writer()
    customer = writer.create("customers", {"name": "华强电子"}).primary_id
    contract = writer.create(
        "contracts", {"customer_id": customer, "number": "HT-9", "amount_cents": 100_000}
    ).primary_id
    paid = writer.create(
        "payments",
        {
            "customer_id": customer,
            "contract_id": contract,
            "amount_cents": 100,
            "paid_on": date(2026, 11, 20),
        },
    ).primary_id
    # Logged at 07:30 on the user's clock: the local day, whatever the UTC one.
    call = writer.create(
        "followups",
        {
            "customer_id": customer,
            "kind": "call",
            "text": "报价",
            "happened_at": local_to_utc(datetime(2026, 11, 21, 7, 30)),
        },
    ).primary_id
    identifier = writer.create(
        "customer_identifiers",
        {"customer_id": customer, "kind": "licence_plate", "value": "粤B12345"},
    ).primary_id
    with profile.store.read() as session:
        names = record_names(
            session,
            [
                ("contracts", contract),
                ("payments", paid),
                ("followups", call),
                ("customer_identifiers", identifier),
                ("payments", "no-such-id"),
            ],
        )
    assert names == {
        ("contracts", contract): "HT-9",
        ("payments", paid): "华强电子 2026-11-20",
        ("followups", call): "华强电子 2026-11-21",
        ("customer_identifiers", identifier): "粤B12345",
    }
