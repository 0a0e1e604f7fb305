"""The demo generator: counts, valid phones, derived columns equal to what the writer makes, and
contracts, plans and payments in integer fen that the writer's rules would take."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path

import phonenumbers
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.sql import sqltypes

from crm_desktop.cli import main
from crm_desktop.demo import generator, make_demo
from crm_desktop.grading.local import grade_changes
from crm_desktop.models.choices import (
    ContractKind,
    ContractStatus,
    PaymentMethod,
    RenewalStatus,
    Stage,
)
from crm_desktop.models.contracts import next_term
from crm_desktop.models.entities import (
    ENTITIES,
    Contact,
    Contract,
    ContractInstalment,
    Customer,
    CustomerIdentifier,
    FollowUp,
    Opportunity,
    OpportunityLine,
    OutboxEntry,
    Payment,
    Product,
    Task,
    User,
    user_columns,
)
from crm_desktop.models.money import line_total_cents
from crm_desktop.models.phones import phone_search_keys
from crm_desktop.models.search_keys import SEPARATOR, identifier_key
from crm_desktop.profile import Profile, open_profile
from crm_desktop.queries.money import receivables, renewals
from crm_desktop.queries.tables import TABLES, ListQuery, list_ids
from crm_desktop.storage import search_index
from crm_desktop.storage.store import CACHE_KIB

TODAY = date(2025, 6, 2)


@pytest.fixture
def demo(profile: Profile) -> Profile:
    make_demo(profile, 200, seed=7, today=TODAY)
    return profile


@pytest.fixture
def money_demo(profile: Profile) -> Profile:
    """Enough customers for every kind, status and renewal status of contract to turn up."""
    make_demo(profile, 1000, seed=7, today=TODAY)
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


def test_contracts_for_about_a_fifth_of_the_customers_of_every_kind(money_demo: Profile) -> None:
    with money_demo.store.read() as session:
        contracts = session.scalars(select(Contract)).all()
        won = dict(
            session.execute(
                select(Opportunity.id, Opportunity.stage).where(
                    Opportunity.id.in_([c.opportunity_id for c in contracts])
                )
            ).all()
        )
        customers = session.scalar(select(func.count()).select_from(Customer))
        fixed = session.execute(
            select(Customer.grade_fixed, Customer.grade_note, Customer.external_ref, Customer.grade)
        ).all()
    with_contracts = {contract.customer_id for contract in contracts}
    assert 0.12 * customers <= len(with_contracts) <= 0.3 * customers
    assert {c.kind for c in contracts} == set(ContractKind)
    assert {c.status for c in contracts} == set(ContractStatus)
    assert {c.renewal_status for c in contracts} == set(RenewalStatus)
    # Deals won became contracts; every one made from a deal was made from a won one.
    from_deals = [c for c in contracts if c.opportunity_id is not None]
    assert from_deals and set(won.values()) == {Stage.WON.value}
    numbers = [c.number for c in contracts]
    assert len(set(numbers)) == len(numbers)  # the server keeps numbers unique
    # A policy runs a year; the next term follows the day after, as models/contracts says.
    by_id = {c.id: c for c in contracts}
    policies = [c for c in contracts if c.kind == ContractKind.POLICY]
    assert policies and all(
        next_term(c.start_on, c.end_on)[0] == c.end_on + timedelta(days=1) for c in policies
    )
    # Unless terminated: stopped early, on a day of its term gone by.
    full_terms = [c for c in policies if c.status != ContractStatus.TERMINATED]
    assert all(c.end_on.toordinal() - c.start_on.toordinal() in (364, 365) for c in full_terms)
    terminated = [c for c in contracts if c.status == ContractStatus.TERMINATED]
    assert terminated and all(c.start_on <= c.end_on <= TODAY for c in terminated)
    assert any(c.end_on.toordinal() - c.start_on.toordinal() < 364 for c in terminated)
    renewals_made = [c for c in contracts if c.renewed_from_id is not None]
    assert renewals_made
    for renewal in renewals_made:
        previous = by_id[renewal.renewed_from_id]
        assert previous.customer_id == renewal.customer_id
        start, end = next_term(previous.start_on, previous.end_on)
        assert renewal.start_on == start
        if renewal.status != ContractStatus.TERMINATED:  # a renewed term may stop early too
            assert renewal.end_on == end
        assert previous.renewal_status in (RenewalStatus.RENEWED, RenewalStatus.RENEWING)
    # Ended terms, and terms ending in the next 90 days, so the renewal list has rows.
    assert any(c.end_on < TODAY and c.status == ContractStatus.ENDED for c in contracts)
    soon = [c for c in contracts if TODAY <= c.end_on <= TODAY + timedelta(days=90)]
    assert len(soon) >= 5
    grades_fixed = [(note, grade) for is_fixed, note, _ref, grade in fixed if is_fixed]
    assert all(note for note, _ in grades_fixed)
    # A note says why the grade was fixed at what it is: "keep at A" only on an A.
    for said, grade in (("A 级", "A"), ("keep at A", "A"), ("C 级", "C"), ("C for now", "C")):
        assert all(fixed_at == grade for note, fixed_at in grades_fixed if said in note)
    refs = [ref for _, _, ref, _grade in fixed if ref]
    assert refs and len(set(refs)) == len(refs)


def test_plans_sum_to_the_contract_amount_exactly_in_integer_fen(money_demo: Profile) -> None:
    with money_demo.store.read() as session:
        contracts = {c.id: c for c in session.scalars(select(Contract))}
        instalments = session.scalars(select(ContractInstalment)).all()
        stored_types = {
            table: set(session.scalars(text(f"SELECT DISTINCT typeof(amount_cents) FROM {table}")))
            for table in ("contracts", "contract_instalments", "payments", "opportunities")
        }
    assert stored_types == {table: {"integer"} for table in stored_types}
    plans: dict[str, list[ContractInstalment]] = defaultdict(list)
    for instalment in instalments:
        plans[instalment.contract_id].append(instalment)
    assert len(plans) >= 0.5 * len(contracts)
    assert {len(plan) for plan in plans.values()} <= set(range(1, 13))
    assert max(len(plan) for plan in plans.values()) == 12
    assert min(len(plan) for plan in plans.values()) == 1
    for contract_id, plan in plans.items():
        contract = contracts[contract_id]
        assert sum(i.amount_cents for i in plan) == contract.amount_cents
        assert all(type(i.amount_cents) is int and i.amount_cents > 0 for i in plan)
        assert all(i.customer_id == contract.customer_id for i in plan)
        assert all(contract.start_on <= i.due_on for i in plan)
        if contract.status != ContractStatus.TERMINATED:  # the rest of its plan never fell due
            assert all(i.due_on <= contract.end_on for i in plan)


def test_payments_as_customers_pay(money_demo: Profile) -> None:
    with money_demo.store.read() as session:
        payments = session.scalars(select(Payment)).all()
        contracts = {c.id: c for c in session.scalars(select(Contract))}
        overdue = receivables(session, TODAY)
        coming_up = renewals(session, TODAY, TODAY + timedelta(days=90))
    assert all(type(p.amount_cents) is int and p.amount_cents > 0 for p in payments)
    assert all(TODAY - timedelta(days=730) <= p.paid_on <= TODAY for p in payments)
    # Paid over the last two years, so a customer's value (its last twelve months) varies.
    last_year = [p for p in payments if p.paid_on > TODAY - timedelta(days=365)]
    assert 0.2 * len(payments) < len(last_year) < 0.9 * len(payments)
    assert {p.method for p in payments} == set(PaymentMethod)
    on_account = [p for p in payments if p.contract_id is None]
    assert 0 < len(on_account) < 0.1 * len(payments)
    for payment in payments:
        if payment.contract_id is not None:
            contract = contracts[payment.contract_id]
            assert contract.customer_id == payment.customer_id  # the writer's rule
            assert contract.status != ContractStatus.DRAFT
    # No contract is paid more than it is worth.
    paid: Counter[str] = Counter()
    for payment in payments:
        if payment.contract_id is not None:
            paid[payment.contract_id] += payment.amount_cents
    assert all(paid[cid] <= contracts[cid].amount_cents for cid in paid)
    # Most money due is paid, some is overdue: receivables and renewals both have rows.
    assert 0 < len(overdue) < 0.5 * len({c.customer_id for c in contracts.values()})
    assert coming_up


def test_grades_follow_what_customers_paid(money_demo: Profile) -> None:
    """The demo grades its customers by the rule a profile on its own grades by: the A of
    the dashboard's grade mix are the top payers, not a random 5%."""
    with money_demo.store.read() as session:
        assert grade_changes(session, TODAY) == []  # nothing the rule would change
        rows = session.execute(
            text(
                "SELECT c.grade, c.grade_fixed, coalesce(sum(p.amount_cents), 0) FROM customers c"
                " LEFT JOIN payments p ON p.customer_id = c.id AND p.deleted_at IS NULL"
                " AND p.paid_on > :since AND p.paid_on <= :today"
                " WHERE c.deleted_at IS NULL GROUP BY c.id"
            ),
            {"since": (TODAY - timedelta(days=365)).isoformat(), "today": TODAY.isoformat()},
        ).all()
    by_grade: dict[str, list[int]] = defaultdict(list)
    for grade, fixed, value in rows:
        if not fixed:
            by_grade[grade].append(value)
    assert len(by_grade["A"]) >= 40  # 5% of 1,000, less a few fixed by hand
    assert min(by_grade["A"]) >= max(by_grade["B"]) > 0
    assert min(by_grade["B"]) >= max(by_grade["C"])


def test_quote_lines_have_discounts_and_make_the_deal_amount(money_demo: Profile) -> None:
    with money_demo.store.read() as session:
        lines = session.scalars(select(OpportunityLine)).all()
        amounts = dict(session.execute(select(Opportunity.id, Opportunity.amount_cents)).all())
    totals: Counter[str] = Counter()
    for line in lines:
        totals[line.opportunity_id] += line_total_cents(
            line.quantity, line.unit_price_cents, line.discount_percent
        )
    assert totals == Counter({key: value for key, value in amounts.items() if value})
    discounts = Counter(line.discount_percent for line in lines)
    assert 0.1 * len(lines) < len(lines) - discounts[0] < 0.5 * len(lines)
    assert all(0 <= percent <= 100 for percent in discounts)


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
            # As the writer derives them from follow-ups logged in turn: the latest one's
            # time, and the step of the latest one that planned one (Writer's
            # _refresh_followup_dates keeps the step planned before when a call plans none).
            times = session.execute(
                select(FollowUp.happened_at, FollowUp.next_step_at)
                .where(FollowUp.customer_id == customer.id)
                .order_by(FollowUp.happened_at)
            ).all()
            planned = [step for _, step in times if step is not None]
            assert customer.last_followup_at == (times[-1][0] if times else None)
            assert customer.next_followup_at == (planned[-1] if planned else None)
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
        money = []
        for opened in (profile, other):
            with opened.store.read() as session:
                rows.append(
                    session.execute(
                        select(
                            Customer.id, Customer.name, Customer.phone, Customer.search_text
                        ).order_by(Customer.id)
                    ).all()
                )
                # Every column but those naming users: each profile has a user of its own.
                money.append(
                    [
                        session.execute(
                            select(
                                *(
                                    column
                                    for column in model.__table__.columns
                                    if column.key not in user_columns(model.__tablename__)
                                )
                            ).order_by(model.id)
                        ).all()
                        for model in (Contract, ContractInstalment, Payment)
                    ]
                )
    finally:
        other.close()
    assert rows[0] == rows[1]
    assert all(uuid.UUID(row.id).version == 4 for row in rows[0])
    assert money[0] == money[1] and all(money[0])


def test_rows_are_converted_as_sqlalchemy_converts_them() -> None:
    """The demo's own conversions of dates and times (made fast) store the text SQLAlchemy
    stores, so the store's queries compare them alike; every other column uses SQLAlchemy's."""
    samples = {
        sqltypes.DateTime: [
            datetime(2025, 6, 2, 9, 0),
            datetime(2025, 6, 2, 9, 30, 5, 123),
            datetime(1999, 12, 31, 23, 59, 59, 999999),
        ],
        sqltypes.Date: [date(2025, 6, 2), date(1970, 1, 1)],
    }
    checked = 0
    for name in generator._INSERT_ORDER:
        table = ENTITIES[name].__table__
        keys = table.columns.keys()
        for column, (key, process) in zip(
            table.columns, generator._bind_processors(table), strict=True
        ):
            for value in samples.get(type(column.type), []):
                row = {**dict.fromkeys(keys), key: value}
                assert generator._parameters(name, row)[keys.index(key)] == process(value)
                checked += 1
    assert checked > 50


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
    assert " contracts, " in out and " instalments, " in out and " payments, " in out
    assert out.count("\n") == 1


def test_command_refuses_zero_customers(
    profile_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--profile", str(profile_dir), "demo", "--customers", "0"])
    assert exit_info.value.code == 2
    assert "at least 1" in capsys.readouterr().err
