"""The demo generator: counts, valid phones, and derived columns equal to what the writer makes."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import phonenumbers
import pytest
from sqlalchemy import func, select, text

from crm_desktop.cli import main
from crm_desktop.demo import generator, make_demo
from crm_desktop.models.choices import Stage
from crm_desktop.models.entities import (
    Contact,
    Customer,
    CustomerIdentifier,
    FollowUp,
    Opportunity,
    OpportunityLine,
    OutboxEntry,
    Product,
    Task,
    User,
)
from crm_desktop.models.phones import phone_search_keys
from crm_desktop.models.search_keys import SEPARATOR, identifier_key
from crm_desktop.profile import Profile, open_profile
from crm_desktop.queries.tables import TABLES, ListQuery, list_ids
from crm_desktop.storage import search_index
from crm_desktop.storage.store import CACHE_KIB

TODAY = date(2025, 6, 2)


@pytest.fixture
def demo(profile: Profile) -> Profile:
    make_demo(profile, 200, seed=7, today=TODAY)
    return profile


def count(profile: Profile, model: type) -> int:
    with profile.store.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_counts(demo: Profile) -> None:
    assert count(demo, Customer) == 200
    assert 200 <= count(demo, Contact) <= 400
    assert count(demo, Product) == 20
    assert count(demo, User) == 1 + len(generator.DEMO_REPS)
    assert count(demo, FollowUp) > 200
    with demo.store.read() as session:
        stages = set(session.scalars(select(Opportunity.stage)))
        lines = session.scalar(select(func.count()).select_from(OpportunityLine))
        grades = Counter(session.scalars(select(Customer.grade)))
        owners = set(session.scalars(select(Customer.owner_id)))
        tasks = session.execute(select(Task.done, Task.due_at)).all()
    assert stages == set(Stage)
    assert lines and lines >= count(demo, Opportunity)
    assert grades["C"] > grades["B"] > grades["A"] > 0
    assert len(owners) == 1 + len(generator.DEMO_REPS)
    now = datetime(2025, 6, 2, 9)
    assert any(done for done, _ in tasks)
    assert any(not done and due < now for done, due in tasks)  # overdue


def test_demo_writes_no_outbox_entries(demo: Profile) -> None:
    assert count(demo, OutboxEntry) == 1  # only the profile's own user, made by open_profile


def test_every_phone_is_valid_e164_with_the_writers_search_keys(demo: Profile) -> None:
    with demo.store.read() as session:
        phones = [
            *session.scalars(select(Customer.phone)),
            *session.scalars(select(Customer.phone2)),
            *session.scalars(select(Contact.phone)),
            *session.scalars(select(Contact.mobile)),
        ]
    phones = [phone for phone in phones if phone]
    assert len(phones) > 400
    landlines = 0
    for phone in phones:
        number = phonenumbers.parse(phone, None)
        assert phonenumbers.is_valid_number(number), phone
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == phone
        assert generator.demo_phone_keys(phone) == phone_search_keys(phone), phone
        landlines += phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.FIXED_LINE
    assert landlines > 20


def test_derived_columns_match_the_writer(demo: Profile) -> None:
    with demo.store.write() as session:
        customers = session.scalars(select(Customer)).all()
        stored = {customer.id: customer.search_text for customer in customers}
        # The writer's and the pull's composition, over every customer the demo made: not one
        # stored text differs from it (refresh rewrites and counts only those that do).
        assert search_index.refresh_customers(session, list(stored)) == 0
        recomposed = dict(session.execute(select(Customer.id, Customer.search_text)).all())
        for customer in customers:
            assert recomposed[customer.id].split(SEPARATOR) == stored[customer.id].split(SEPARATOR)
            latest = session.execute(
                select(FollowUp.happened_at, FollowUp.next_step_at)
                .where(FollowUp.customer_id == customer.id)
                .order_by(FollowUp.happened_at.desc())
                .limit(1)
            ).first()
            assert customer.last_followup_at == (latest[0] if latest else None)
            assert customer.next_followup_at == (latest[1] if latest else None)
        for identifier in session.scalars(select(CustomerIdentifier)):
            assert identifier.value_key == identifier_key(identifier.value)
        session.rollback()


def test_search_finds_customers_by_name_phone_and_identifier(demo: Profile) -> None:
    with demo.store.read() as session:
        customer = session.scalars(
            select(Customer).where(Customer.phone.is_not(None)).order_by(Customer.id)
        ).first()
        identifier = session.scalars(
            select(CustomerIdentifier).where(CustomerIdentifier.kind == "licence_plate")
        ).first()
        assert customer is not None and identifier is not None
        national = phonenumbers.national_significant_number(phonenumbers.parse(customer.phone))
        spec = TABLES["customers"]
        assert customer.id in list_ids(session, spec, ListQuery(search=customer.name))
        assert customer.id in list_ids(session, spec, ListQuery(search=national))
        plate = identifier.value[:3] + " " + identifier.value[3:].lower()  # "粤B 1234k"
        found = list_ids(session, spec, ListQuery(search=plate))
        assert identifier.customer_id in found


def test_same_seed_same_data_even_in_worker_processes(
    profile: Profile, profile_dir: Path, tmp_path: Path
) -> None:
    make_demo(profile, 120, seed=3, today=TODAY, batch_size=40, workers=0)
    other = open_profile(tmp_path / "other")
    try:
        make_demo(other, 120, seed=3, today=TODAY, batch_size=40, workers=2)
        rows = []
        for opened in (profile, other):
            with opened.store.read() as session:
                rows.append(
                    session.execute(
                        select(
                            Customer.id, Customer.name, Customer.phone, Customer.search_text
                        ).order_by(Customer.id)
                    ).all()
                )
    finally:
        other.close()
    assert rows[0] == rows[1]
    assert all(uuid.UUID(row.id).version == 4 for row in rows[0])


def test_bulk_load_keeps_the_schema(profile: Profile, monkeypatch: pytest.MonkeyPatch) -> None:
    def schema() -> list[tuple]:
        with profile.store.read() as session:
            return session.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
            ).all()

    before = schema()
    monkeypatch.setattr(generator, "BULK_LOAD_FROM", 0)
    make_demo(profile, 30, today=TODAY)
    assert schema() == before
    with profile.store.read() as session:
        # The pooled connection is given back its usual cache.
        assert session.execute(text("PRAGMA cache_size")).scalar() == -CACHE_KIB
        plan = session.execute(
            text(
                "EXPLAIN QUERY PLAN SELECT id FROM customers "
                "WHERE deleted_at IS NULL ORDER BY name, id"
            )
        ).all()
    assert "ix_customers_live_name" in str(plan)


def test_command_prints_a_summary(profile_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--profile", str(profile_dir), "demo", "--customers", "25"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Added demo data: 25 customers,")
    assert out.count("\n") == 1


def test_command_refuses_zero_customers(
    profile_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--profile", str(profile_dir), "demo", "--customers", "0"])
    assert exit_info.value.code == 2
    assert "at least 1" in capsys.readouterr().err
