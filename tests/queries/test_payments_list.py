"""The Payments list: every payment a user may see, newest first, by period, with its total."""

from __future__ import annotations

from datetime import date

import pytest

from crm_desktop.profile import Profile
from crm_desktop.queries.tables import TABLES, Between, ListQuery, list_ids, list_total

PAYMENTS = TABLES["payments"]


@pytest.fixture
def paid(profile: Profile) -> dict[str, str]:
    """Four payments of two customers over two years, one on a contract, one deleted."""
    writer = profile.writer()
    acme = writer.create("customers", {"name": "Acme"}).primary_id
    zeta = writer.create("customers", {"name": "Zeta Shipping"}).primary_id
    contract = writer.create(
        "contracts",
        {
            "customer_id": acme,
            "number": "HT-2026-007",
            "start_on": date(2026, 1, 1),
            "end_on": date(2026, 12, 31),
            "amount_cents": 900_000,
        },
    ).primary_id
    ids = {}
    for key, customer, day, cents, extra in (
        ("january", acme, date(2026, 1, 15), 100_000, {"contract_id": contract}),
        ("march", zeta, date(2026, 3, 2), 25_050, {"reference": "BANK-778"}),
        ("last_year", acme, date(2025, 12, 31), 7_000, {}),
        ("gone", zeta, date(2026, 3, 3), 99_999, {}),
    ):
        values = {"customer_id": customer, "paid_on": day, "amount_cents": cents, **extra}
        ids[key] = writer.create("payments", values).primary_id
    writer.delete("payments", [ids.pop("gone")])
    return ids


def listed(profile: Profile, query: ListQuery) -> list[str]:
    with profile.store.read() as session:
        return list_ids(session, PAYMENTS, query)


def total(profile: Profile, query: ListQuery) -> tuple[int, int]:
    with profile.store.read() as session:
        count, cents, ahead = list_total(session, PAYMENTS, query, "amount_cents")
    assert ahead == 0  # nothing asked after a day
    return count, cents


def test_money_dated_after_a_day_is_told_apart(profile: Profile, paid: dict) -> None:
    """A transfer booked ahead is in the list and its sum; the total says how much of it has
    not come in yet."""
    with profile.store.read() as session:
        after_march_1 = list_total(
            session, PAYMENTS, ListQuery(), "amount_cents", ("paid_on", date(2026, 3, 1))
        )
    assert after_march_1 == (3, 132_050, 25_050)


def test_newest_first_and_a_deleted_payment_is_not_listed(profile: Profile, paid: dict) -> None:
    default = ListQuery(sort=PAYMENTS.default_sort, descending=PAYMENTS.default_descending)
    assert listed(profile, default) == [paid["march"], paid["january"], paid["last_year"]]
    assert total(profile, default) == (3, 132_050)


def test_a_period_keeps_its_days_and_its_total(profile: Profile, paid: dict) -> None:
    year = ListQuery(filters=(("paid_on", Between(date(2026, 1, 1), date(2027, 1, 1))),))
    assert set(listed(profile, year)) == {paid["january"], paid["march"]}
    assert total(profile, year) == (2, 125_050)
    # The day after the period is not in it: 31 December is last year's.
    before = ListQuery(filters=(("paid_on", Between(date(2025, 1, 1), date(2026, 1, 1))),))
    assert listed(profile, before) == [paid["last_year"]]


def test_found_by_customer_and_by_reference_and_summed_as_found(
    profile: Profile, paid: dict
) -> None:
    assert set(listed(profile, ListQuery(search="acme"))) == {paid["january"], paid["last_year"]}
    assert total(profile, ListQuery(search="acme")) == (2, 107_000)
    assert listed(profile, ListQuery(search="bank-778")) == [paid["march"]]
    # By its contract's number, as the clerk reconciling the contract has it.
    assert listed(profile, ListQuery(search="HT-2026-007")) == [paid["january"]]
    assert listed(profile, ListQuery(search="2026-007")) == [paid["january"]]
    assert total(profile, ListQuery(search="nobody-pays")) == (0, 0)


def test_a_payment_shows_its_customer_and_contract(profile: Profile, paid: dict) -> None:
    from crm_desktop.queries.tables import fetch_rows

    with profile.store.read() as session:
        rows = fetch_rows(session, PAYMENTS, [paid["january"], paid["march"]])
    keys = PAYMENTS.column_keys()
    january = dict(zip(keys, rows[paid["january"]], strict=True))
    assert (january["customer"], january["contract"]) == ("Acme", "HT-2026-007")
    assert january["amount_cents"] == 100_000
    march = dict(zip(keys, rows[paid["march"]], strict=True))
    assert (march["customer"], march["contract"]) == ("Zeta Shipping", None)


def test_sorted_by_who_recorded_it_no_payment_is_left_out(profile: Profile, paid: dict) -> None:
    """A payment another system recorded names a user this device does not hold."""
    from sqlalchemy import update

    from crm_desktop.models.entities import Payment

    with profile.store.write() as session:
        session.execute(
            update(Payment)
            .where(Payment.id == paid["march"])
            .values(created_by="00000000-0000-4000-8000-0000000e4411")
        )
    for descending in (False, True):
        query = ListQuery(sort="recorded_by", descending=descending)
        assert set(listed(profile, query)) == set(paid.values())
    assert total(profile, ListQuery(sort="recorded_by")) == (3, 132_050)
