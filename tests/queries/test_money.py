"""Money on a small known store, against amounts worked out by hand: a contract's plan, what
was paid, what is outstanding and overdue (and since when), a customer's totals and value, the
receivables list and the renewal list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from crm_desktop.models.entities import User
from crm_desktop.models.validation import InvalidInput
from crm_desktop.profile import Profile
from crm_desktop.queries import money

TODAY = date(2031, 6, 15)
RAE = "00000000-0000-4000-8000-0000000000aa"


def make(profile: Profile, entity: str, **values) -> str:
    return profile.writer().create(entity, values).primary_id


@pytest.fixture
def shop(profile: Profile) -> dict[str, str]:
    """Acme: a contract of ¥12,000.00 in four quarterly instalments of ¥3,000.00 (two due
    before today), of which ¥4,500.00 was paid; a contract of ¥800.00 without a plan that
    started last month, unpaid; a draft of ¥99.00 due long ago; ¥50.00 on account (a year and
    a half ago). Bolt (rae's): an ¥1,000.00 contract paid in full."""
    with profile.store.write() as session:
        session.add(User(id=RAE, login="rae", name="Rae"))
    acme = make(profile, "customers", name="Acme")
    bolt = make(profile, "customers", name="Bolt", owner_id=RAE)
    big = make(
        profile,
        "contracts",
        number="C-1",
        customer_id=acme,
        kind="service",
        start_on=date(2031, 1, 1),
        end_on=date(2031, 12, 31),
        amount_cents=1_200_000,
        status="active",
    )
    for month in (1, 4, 7, 10):
        make(
            profile,
            "contract_instalments",
            contract_id=big,
            due_on=date(2031, month, 1),
            amount_cents=300_000,
        )
    for paid_on, cents in ((date(2031, 1, 3), 300_000), (date(2031, 4, 20), 150_000)):
        make(
            profile,
            "payments",
            customer_id=acme,
            contract_id=big,
            paid_on=paid_on,
            amount_cents=cents,
            method="transfer",
        )
    small = make(
        profile,
        "contracts",
        number="C-2",
        customer_id=acme,
        kind="sale",
        start_on=date(2031, 5, 10),
        end_on=date(2031, 7, 10),
        amount_cents=80_000,
        status="active",
    )
    make(
        profile,
        "contracts",
        number="C-3",
        customer_id=acme,
        kind="sale",
        start_on=date(2030, 1, 1),
        amount_cents=9_900,
        status="draft",
    )
    make(
        profile,
        "payments",
        customer_id=acme,
        paid_on=date(2029, 12, 1),
        amount_cents=5_000,
        method="cash",
    )
    paid_up = make(
        profile,
        "contracts",
        number="B-1",
        customer_id=bolt,
        kind="policy",
        start_on=date(2030, 7, 1),
        end_on=date(2031, 6, 30),
        amount_cents=100_000,
        status="active",
        owner_id=RAE,
    )
    make(
        profile,
        "payments",
        customer_id=bolt,
        contract_id=paid_up,
        paid_on=date(2030, 7, 2),
        amount_cents=100_000,
        method="wechat",
    )
    return {"acme": acme, "bolt": bolt, "big": big, "small": small, "paid_up": paid_up}


def test_a_contracts_plan_pays_the_earliest_instalment_first(profile, shop) -> None:
    with profile.store.read() as session:
        found = money.contract_money(session, [shop["big"], shop["small"]], TODAY)
    big = found[shop["big"]]
    # Due before today: 1 Jan and 1 Apr, 6,000.00; paid 4,500.00: 1,500.00 of April's open.
    assert (big.planned, big.paid, big.outstanding, big.overdue) == (
        1_200_000,
        450_000,
        750_000,
        150_000,
    )
    assert big.overdue_since == date(2031, 4, 1)
    assert big.has_plan
    small = found[shop["small"]]
    # No plan: due whole on its start date, 10 May.
    assert (small.planned, small.paid, small.outstanding, small.overdue) == (
        80_000,
        0,
        80_000,
        80_000,
    )
    assert small.overdue_since == date(2031, 5, 10)
    assert not small.has_plan


def test_a_customers_totals_and_value(profile, shop) -> None:
    with profile.store.read() as session:
        acme = money.customer_money(session, shop["acme"], TODAY)
    assert acme.contracts == 3
    assert acme.contracted == 1_280_000  # the draft does not count
    assert acme.paid == 455_000
    assert acme.on_account == 5_000
    assert acme.paid_last_year == 450_000  # the payment on account is older than a year
    assert acme.outstanding == 830_000
    assert acme.overdue == 230_000


def test_receivables_list_the_customers_with_money_overdue(profile, shop) -> None:
    with profile.store.read() as session:
        lines = money.receivables(session, TODAY)
        only_rae = money.receivables(session, TODAY, owner_ids=[RAE])
    assert [(line.customer, line.overdue, line.outstanding) for line in lines] == [
        ("Acme", 230_000, 830_000)
    ]
    assert lines[0].overdue_since == date(2031, 4, 1)
    assert lines[0].contracts == 2
    assert lines[0].owner_id == profile.user_id
    assert only_rae == []  # Bolt paid in full


def test_a_payment_clears_what_is_overdue(profile, shop) -> None:
    make(
        profile,
        "payments",
        customer_id=shop["acme"],
        contract_id=shop["big"],
        paid_on=TODAY,
        amount_cents=150_000,
        method="card",
    )
    with profile.store.read() as session:
        big = money.contract_money(session, [shop["big"]], TODAY)[shop["big"]]
        lines = money.receivables(session, TODAY)
    assert (big.overdue, big.overdue_since, big.outstanding) == (0, None, 600_000)
    assert [(line.customer, line.overdue, line.contracts) for line in lines] == [
        ("Acme", 80_000, 1)
    ]


def test_a_payment_dated_later_is_paid_but_settles_nothing_yet(profile, shop) -> None:
    """Recorded today for next week (a promised transfer): the contract shows it paid, but
    what is outstanding and overdue stays so until that day, and it is not yet part of the
    customer's value; a new payment is proposed only for what no payment covers (unpaid)."""
    make(
        profile,
        "payments",
        customer_id=shop["acme"],
        contract_id=shop["big"],
        paid_on=date(2031, 6, 22),
        amount_cents=150_000,
        method="transfer",
    )
    with profile.store.read() as session:
        big = money.contract_money(session, [shop["big"]], TODAY)[shop["big"]]
        acme = money.customer_money(session, shop["acme"], TODAY)
        lines = money.receivables(session, TODAY)
    assert (big.paid, big.outstanding, big.unpaid) == (600_000, 750_000, 600_000)
    assert (big.overdue, big.overdue_since) == (150_000, date(2031, 4, 1))
    assert acme.paid_last_year == 450_000
    assert [(line.customer, line.overdue) for line in lines] == [("Acme", 230_000)]


def test_a_customers_value_is_the_twelve_calendar_months_the_server_grades_by(
    profile: Profile,
) -> None:
    """After the same day a year before (28 February for 29 February), up to today: on
    29 February 2032 a payment of 1 March 2031 counts (365 days back would leave it out)."""
    customer = make(profile, "customers", name="Leap")
    for paid_on, cents in ((date(2031, 2, 28), 1), (date(2031, 3, 1), 10), (date(2032, 3, 1), 100)):
        make(
            profile,
            "payments",
            customer_id=customer,
            paid_on=paid_on,
            amount_cents=cents,
            method="cash",
        )
    with profile.store.read() as session:
        value = money.customer_money(session, customer, date(2032, 2, 29)).paid_last_year
    assert value == 10


def test_deleting_a_contract_takes_its_plan_and_payments_and_undo_brings_them_back(
    profile, shop
) -> None:
    writer = profile.writer()
    deleted = writer.delete("contracts", [shop["big"]])
    with profile.store.read() as session:
        acme = money.customer_money(session, shop["acme"], TODAY)
        lines = money.receivables(session, TODAY)
    # Only the small contract and the payment on account are left.
    assert (acme.contracts, acme.paid, acme.paid_last_year) == (2, 5_000, 0)
    assert [(line.customer, line.overdue) for line in lines] == [("Acme", 80_000)]
    writer.restore(deleted.undo)
    with profile.store.read() as session:
        acme = money.customer_money(session, shop["acme"], TODAY)
        big = money.contract_money(session, [shop["big"]], TODAY)[shop["big"]]
    assert (acme.paid, big.planned, big.paid, big.overdue) == (455_000, 1_200_000, 450_000, 150_000)


def test_the_renewal_list_of_a_period_and_its_filters(profile, shop) -> None:
    with profile.store.read() as session:
        summer = money.renewals(session, date(2031, 6, 1), date(2031, 7, 31))
        by_rae = money.renewals(session, date(2031, 6, 1), date(2031, 7, 31), owner_id=RAE)
        policies = money.renewals(session, date(2031, 1, 1), date(2031, 12, 31), kind="policy")
        decided = money.renewals(
            session, date(2031, 1, 1), date(2031, 12, 31), renewal_status="renewing"
        )
    # Soonest first; the draft (no end date) and contracts ending later are not listed.
    assert [line.number for line in summer] == ["B-1", "C-2"]
    assert summer[0].owner == "Rae" and summer[0].customer == "Bolt"
    assert [line.number for line in by_rae] == ["B-1"]
    assert [line.number for line in policies] == ["B-1"]
    assert decided == []
    assert summer[0].as_json()["amount"] == "1000.00"
    assert summer[0].as_json()["end_on"] == "2031-06-30"


def test_renewing_makes_the_next_term_and_marks_the_old_contract(profile, shop) -> None:
    changes = profile.writer().renew_contract(shop["paid_up"], {"number": "B-2"})
    with profile.store.read() as session:
        lines = money.renewals(session, date(2031, 6, 1), date(2032, 6, 30))
        new = {line.number: line for line in lines}
    assert new["B-1"].renewal_status == "renewed"
    assert new["B-1"].renewed_by == "B-2"
    assert (new["B-2"].start_on, new["B-2"].end_on) == (date(2031, 7, 1), date(2032, 6, 30))
    assert new["B-2"].amount == 100_000 and new["B-2"].owner_id == RAE
    assert new["B-2"].id == changes.primary_id
    # Renewed twice (the button pressed again before the list reloaded, another number typed):
    # refused in a sentence, nothing made.
    with pytest.raises(InvalidInput) as refused:
        profile.writer().renew_contract(shop["paid_up"], {"number": "B-3"})
    assert str(refused.value) == "Contract B-1 is already renewed by contract B-2."
    with profile.store.read() as session:
        numbers = {
            line.number for line in money.renewals(session, date(2031, 6, 1), date(2033, 1, 1))
        }
    assert "B-3" not in numbers


def test_today_lists_the_users_contracts_to_renew(profile) -> None:
    from datetime import datetime, timedelta

    from crm_desktop.models.base import utcnow
    from crm_desktop.models.dates import end_of_local_day, local_date
    from crm_desktop.queries.today import today

    with profile.store.write() as session:
        session.add(User(id=RAE, login="rae", name="Rae"))
    acme = make(profile, "customers", name="Acme")
    now = utcnow()
    day = local_date(now)

    def contract(number: str, ends_in: int, **more) -> str:
        values = {"status": "active", "renewal_status": "undecided", **more}
        return make(
            profile,
            "contracts",
            number=number,
            customer_id=acme,
            start_on=day - timedelta(days=300),
            end_on=day + timedelta(days=ends_in),
            **values,
        )

    late = contract("LATE", -3)
    soon = contract("SOON", 10, renewal_status="renewing")
    contract("SETTLED", 5, renewal_status="not_renewing")
    contract("RENEWED", 5, renewal_status="renewed")
    contract("LATER", 45)
    contract("DRAFT", 5, status="draft")
    contract("RAES", 5, owner_id=RAE)
    with profile.store.read() as session:
        found = today(session, profile.user_id, now, end_of_local_day(now))
    part = found.renewals
    assert [(line.id, line.title, line.overdue) for line in part.lines] == [
        (late, "LATE", True),
        (soon, "SOON", False),
    ]
    assert part.total == 2 and found.count >= 2
    assert part.lines[1].when == datetime.combine(day + timedelta(days=10), datetime.min.time())
    assert part.lines[0].customer_name == "Acme"


def test_a_plan_that_does_not_add_up_schedules_the_money_and_never_changes_what_is_owed(
    profile: Profile,
) -> None:
    """¥10,000 planned as ¥3,000 + ¥3,000 (the rest not entered yet) still owes ¥10,000; a
    ¥6,000 contract whose plan says ¥30,000 by a typo owes ¥6,000, and no more of it can be
    overdue. A plan alone (no amount) is what is owed."""
    customer = make(profile, "customers", name="Plans")
    under = make(profile, "contracts", customer_id=customer, number="U-1", status="active",
                 start_on=date(2031, 1, 1), amount_cents=1_000_000)  # fmt: skip
    over = make(profile, "contracts", customer_id=customer, number="O-1", status="active",
                start_on=date(2031, 1, 1), amount_cents=600_000)  # fmt: skip
    plan_only = make(profile, "contracts", customer_id=customer, number="P-1", status="active",
                     start_on=date(2031, 1, 1))  # fmt: skip
    for contract, amounts in ((under, (300_000, 300_000)), (over, (300_000, 3_000_000)),
                              (plan_only, (200_000, 200_000))):  # fmt: skip
        for month, cents in enumerate(amounts, start=2):
            make(profile, "contract_instalments", contract_id=contract,
                 due_on=date(2031, month, 1), amount_cents=cents)  # fmt: skip
    make(profile, "payments", customer_id=customer, contract_id=over,
         paid_on=date(2031, 2, 5), amount_cents=100_000)  # fmt: skip
    with profile.store.read() as session:
        figures = money.contract_money(session, [under, over, plan_only], TODAY)
    assert (figures[under].outstanding, figures[under].overdue) == (1_000_000, 600_000)
    assert (figures[over].outstanding, figures[over].overdue) == (500_000, 500_000)
    assert (figures[over].unpaid, figures[over].planned) == (500_000, 3_300_000)
    assert (figures[plan_only].outstanding, figures[plan_only].overdue) == (400_000, 400_000)


def test_a_payment_dated_later_never_makes_more_overdue_than_outstanding(profile) -> None:
    customer = make(profile, "customers", name="Later")
    contract = make(profile, "contracts", customer_id=customer, number="L-1", status="active",
                    start_on=TODAY - timedelta(days=10), amount_cents=100_000)  # fmt: skip
    make(profile, "payments", customer_id=customer, contract_id=contract,
         paid_on=TODAY + timedelta(days=7), amount_cents=100_000)  # fmt: skip
    with profile.store.read() as session:
        figures = money.contract_money(session, [contract], TODAY)[contract]
    # Not received yet: all of it outstanding and overdue; already booked: nothing unpaid.
    assert (figures.outstanding, figures.overdue, figures.unpaid) == (100_000, 100_000, 0)


def test_what_a_payment_can_be_before_it_pays_more_than_is_owed(profile, shop) -> None:
    with profile.store.read() as session:
        left = money.left_to_pay(session, shop["big"], None, TODAY)
        paid_up = money.left_to_pay(session, shop["paid_up"], None, TODAY)
        [bolt_payment] = money.payments_of(session, shop["paid_up"])
        editing = money.left_to_pay(session, shop["paid_up"], bolt_payment["id"], TODAY)
        [draft] = [c for c in money.contracts_of(session, shop["acme"]) if c["number"] == "C-3"]
        nothing_owed_yet = money.left_to_pay(session, draft["id"], None, TODAY)
    assert left == 1_200_000 - 450_000
    # Paid in full: a new payment is all more than owed; its own payment, edited, is not.
    assert (paid_up, editing) == (0, 100_000)
    assert nothing_owed_yet is None  # a draft owes nothing yet: no figure to compare with


def test_a_terminated_contract_owes_only_what_fell_due_by_the_day_it_stopped(profile, shop) -> None:
    """C-1 (four quarterly ¥3,000.00, ¥4,500.00 paid) terminated with its end date set to
    15 May: April's instalment is still owed, July's and October's never fall due."""
    writer = profile.writer()
    writer.update("contracts", shop["big"], {"status": "terminated", "end_on": date(2031, 5, 15)})
    later = date(2031, 12, 1)
    with profile.store.read() as session:
        big = money.contract_money(session, [shop["big"]], later)[shop["big"]]
        left = money.left_to_pay(session, shop["big"], None, later)
        receivables = money.receivables(session, later)
    assert (big.owed, big.outstanding, big.overdue, big.unpaid) == (
        600_000,
        150_000,
        150_000,
        150_000,
    )
    assert big.overdue_since == date(2031, 4, 1)
    assert left == 150_000
    with profile.store.read() as session:
        totals = money.customer_money(session, shop["acme"], later)
    # Contracted, paid and outstanding agree: C-1 now owes 6,000.00, C-2 800.00.
    assert (totals.contracted, totals.outstanding) == (680_000, 150_000 + 80_000)
    [acme] = [line for line in receivables if line.customer_id == shop["acme"]]
    assert acme.overdue == 150_000 + 80_000  # and C-2's, unpaid since 10 May


def test_a_terminated_contract_needs_the_day_it_stopped(profile, shop) -> None:
    with pytest.raises(InvalidInput) as refused:
        profile.writer().update("contracts", shop["big"], {"status": "terminated", "end_on": None})
    assert refused.value.field == "end_on"
    with profile.store.read() as session:
        [big] = [c for c in money.contracts_of(session, shop["acme"]) if c["number"] == "C-1"]
    assert big["status"] == "active"


def test_a_contract_without_a_plan_owes_its_amount_terminated_or_without_a_start(
    profile: Profile,
) -> None:
    """Found by a review: a terminated contract without a plan fell due whole on signing, and
    still owes it; one entered without its start date falls due on its end date at the
    latest (it had never fallen due, and never showed among the receivables)."""
    customer = make(profile, "customers", name="No plan")
    terminated = make(profile, "contracts", customer_id=customer, number="T-1",
                      status="terminated", end_on=TODAY - timedelta(days=30),
                      amount_cents=500_000)  # fmt: skip
    no_start = make(profile, "contracts", customer_id=customer, number="N-1", status="ended",
                    end_on=TODAY - timedelta(days=90), amount_cents=300_000)  # fmt: skip
    with profile.store.read() as session:
        figures = money.contract_money(session, [terminated, no_start], TODAY)
        receivables = money.receivables(session, TODAY)
    assert (figures[terminated].owed, figures[terminated].outstanding) == (500_000, 500_000)
    assert figures[no_start].overdue == 300_000
    assert figures[no_start].overdue_since == TODAY - timedelta(days=90)
    [line] = [line for line in receivables if line.customer_id == customer]
    assert line.overdue == 800_000  # the terminated one, without its start, by its end date


def test_what_a_plan_leaves_unscheduled_falls_due_by_the_end_date(profile: Profile) -> None:
    """Found by a review: ¥10,000 planned as ¥3,000 + ¥3,000 (the rest never entered) never
    had its last ¥4,000 fall due, even after the contract had ended."""
    customer = make(profile, "customers", name="Short plan")
    ended = make(profile, "contracts", customer_id=customer, number="E-1", status="ended",
                 start_on=date(2031, 1, 1), end_on=date(2031, 5, 31),
                 amount_cents=1_000_000)  # fmt: skip
    running = make(profile, "contracts", customer_id=customer, number="R-1", status="active",
                   start_on=date(2031, 1, 1), end_on=date(2031, 12, 31),
                   amount_cents=1_000_000)  # fmt: skip
    for contract in (ended, running):
        for month in (2, 3):
            make(profile, "contract_instalments", contract_id=contract,
                 due_on=date(2031, month, 1), amount_cents=300_000)  # fmt: skip
    with profile.store.read() as session:
        figures = money.contract_money(session, [ended, running], TODAY)
    assert (figures[ended].outstanding, figures[ended].overdue) == (1_000_000, 1_000_000)
    assert figures[ended].overdue_since == date(2031, 2, 1)
    assert (figures[running].outstanding, figures[running].overdue) == (1_000_000, 600_000)


def test_a_plan_worth_more_than_the_amount_is_not_overdue_once_the_amount_is_paid(
    profile: Profile,
) -> None:
    """¥1,000.00 in two past instalments of ¥600.00, ¥1,000.00 paid: the second instalment is
    not covered, but the contract owes nothing, so nothing is overdue and no day is named."""
    customer = make(profile, "customers", name="Acme")
    contract = make(
        profile,
        "contracts",
        number="C-9",
        customer_id=customer,
        kind="sale",
        start_on=date(2031, 1, 1),
        end_on=date(2031, 12, 31),
        amount_cents=100_000,
        status="active",
    )
    for month in (2, 3):
        make(
            profile,
            "contract_instalments",
            contract_id=contract,
            due_on=date(2031, month, 1),
            amount_cents=60_000,
        )
    make(
        profile,
        "payments",
        customer_id=customer,
        contract_id=contract,
        paid_on=date(2031, 3, 5),
        amount_cents=100_000,
        method="transfer",
    )
    with profile.store.read() as session:
        found = money.contract_money(session, [contract], TODAY)[contract]
    assert (found.outstanding, found.overdue, found.overdue_since) == (0, 0, None)
