"""What customers owe and pay, and which contracts come up for renewal: one definition of
"outstanding", "overdue" and "renewal list" for the pages, the command line and (later) the
reports.

A contract's **plan** is its instalments; a contract without instalments is due whole on its
start date (on signing). A draft contract is not signed: nothing of it is due. Payments on a
contract pay its plan from the earliest instalment on.

- **owed**: the contract's amount; its plan's sum only when it has no amount (a contract
  entered as its instalments alone). A plan that adds up to more or less than the amount (a
  typo, instalments not all entered yet) schedules the money, and never changes what is owed;
  what it leaves unscheduled falls due on the end date;
- **paid**: the live payments on the contract;
- **received**: those dated today or before (a payment dated later, promised, settles
  nothing yet);
- **outstanding**: what is owed beyond what was received, never below zero;
- **overdue**: what fell due before today (instalments dated before today, or the whole amount
  of a contract without a plan that started before today, or ended before today when it has
  no start date) beyond what was received, and never more than the outstanding;
- **unpaid**: what is owed beyond every payment recorded, promised ones too: what a new
  payment is proposed for, so a promise is not booked twice;
- **overdue since**: the due date of the earliest instalment not yet covered by the payments
  received.

A **terminated** contract stopped on its end date (the writer requires one): its instalments
due after that day never fall due, and what it owes is what fell due by then (at most its
amount). A contract without a plan fell due whole on signing, so it owes its amount still.

Payments without a contract are "on account": they count in a customer's value and its total
paid, not against any contract. Money is integer fen throughout; SQLite sums integers exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from crm_desktop.models.base import column_values
from crm_desktop.models.choices import ContractStatus
from crm_desktop.models.contracts import add_months
from crm_desktop.models.entities import (
    Contract,
    ContractInstalment,
    Customer,
    OpportunityLine,
    Payment,
    Product,
    User,
)
from crm_desktop.models.money import line_total_cents, yuan_text
from crm_desktop.storage.store import sqlite_connection
from crm_desktop.storage.values import in_lists

# Contracts whose money is counted: signed ones (a draft may never be).
COUNTED_STATUSES = tuple(s.value for s in ContractStatus if s is not ContractStatus.DRAFT)
# Contracts a renewal list shows: those that run or ran, not drafts nor terminated ones.
RENEWABLE_STATUSES = (ContractStatus.ACTIVE.value, ContractStatus.ENDED.value)
VALUE_MONTHS = 12  # a customer's value: what it paid in the last twelve months


def value_counted(paid_on: Any, today: date) -> ColumnElement[bool]:
    """Whether a payment counts towards its customer's value on `today`: paid in the twelve
    calendar months up to today, not dated later (a payment promised for next week is not yet
    received), as the server's grading counts (migration 0015: after current_date - 12 months,
    not after current_date)."""
    since, until = value_window(today)
    return and_(paid_on > since, paid_on <= until)


def value_window(today: date) -> tuple[date, date]:
    """The payments that count towards a customer's value on `today`: paid after the first,
    up to and including the second (see value_counted)."""
    return add_months(today, -VALUE_MONTHS), today


@dataclass(frozen=True)
class ContractMoney:
    contract_id: str
    planned: int  # fen: the instalments' sum, or the amount when there is no plan
    paid: int
    outstanding: int
    overdue: int
    overdue_since: date | None = None
    has_plan: bool = False
    unpaid: int = 0
    owed: int = 0

    @property
    def proposed_payment(self) -> int:
        """What a payment on it is proposed at: what no payment covers yet (one booked ahead,
        promised, counts: proposed again, it would be paid twice), the overdue part first."""
        return min(self.overdue, self.unpaid) or self.unpaid


@dataclass(frozen=True)
class CustomerMoney:
    contracts: int  # live contracts, drafts included
    contracted: int  # fen: what the counted contracts owe (their amounts, but for terminated)
    paid: int  # every live payment, on account too
    paid_last_year: int  # the customer's value
    on_account: int  # payments without a contract
    outstanding: int
    overdue: int
    # (contract id, its proposed payment) of each signed contract a payment is still due on.
    owing: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Receivable:
    """One customer with money overdue."""

    customer_id: str
    customer: str
    owner_id: str | None
    owner: str | None
    overdue: int
    outstanding: int
    overdue_since: date | None
    contracts: int  # its contracts with money overdue


@dataclass(frozen=True)
class RenewalLine:
    id: str
    number: str
    customer_id: str
    customer: str
    kind: str
    start_on: date | None
    end_on: date
    amount: int
    status: str
    renewal_status: str
    renewal_note: str | None
    owner_id: str | None
    owner: str | None
    renewed_by: str | None  # the number of the contract that renews it, if one does

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "customer_id": self.customer_id,
            "customer": self.customer,
            "kind": self.kind,
            "start_on": self.start_on.isoformat() if self.start_on else None,
            "end_on": self.end_on.isoformat(),
            "amount": yuan_text(self.amount),
            "status": self.status,
            "renewal_status": self.renewal_status,
            "renewal_note": self.renewal_note,
            "owner": self.owner,
            "renewed_by": self.renewed_by,
        }


# -- contracts ------------------------------------------------------------------------------


class _ContractRow(NamedTuple):
    id: str
    amount_cents: int
    start_on: date | None
    end_on: date | None
    status: str


# From this many contracts on, a pass over each table beats looking each contract up: the
# receivables of a large store hold most of its contracts.
WHOLE_TABLES = 2_000


def contract_money(
    session: Session, contract_ids: Iterable[str], today: date
) -> dict[str, ContractMoney]:
    """The money of each of these contracts (live ones; a draft's dues are zero).

    Read with the driver itself: for the thousands of contracts of a large store's
    receivables, SQLAlchemy's statement building and row handling cost three times the reads.
    """
    ids = sorted(set(contract_ids))
    if not ids:
        return {}
    driver = sqlite_connection(session)
    statements = (
        "SELECT id, amount_cents, start_on, end_on, status FROM contracts WHERE deleted_at IS NULL",
        "SELECT contract_id, due_on, amount_cents FROM contract_instalments"
        " WHERE deleted_at IS NULL",
        # Paid in all, and received by today: a payment dated later is not overdue money paid.
        "SELECT contract_id, sum(amount_cents), sum(iif(paid_on <= ?, amount_cents, 0))"
        " FROM payments WHERE deleted_at IS NULL AND contract_id IS NOT NULL",
    )
    # The parameters each statement takes before any contract ids.
    leading: tuple[list[str], ...] = ([], [], [today.isoformat()])
    keys = ("id", "contract_id", "contract_id")
    # Each plan by due date, then id (payments pay the earliest instalments first): the order
    # of ix_contract_instalments_live_contract, which carries the amounts, so it alone is read.
    endings = ("", " ORDER BY contract_id, due_on, id", " GROUP BY contract_id")
    if len(ids) >= WHOLE_TABLES:
        wanted = set(ids)
        parts = [
            [row for row in driver.execute(statement + ending, first) if row[0] in wanted]
            for statement, ending, first in zip(statements, endings, leading, strict=True)
        ]
    else:
        parts = [[], [], []]
        for chunk, marks in in_lists(ids):
            for number, (statement, key) in enumerate(zip(statements, keys, strict=True)):
                sql = f"{statement} AND {key} IN ({marks}){endings[number]}"
                parts[number].extend(driver.execute(sql, [*leading[number], *chunk]))
    contracts = {
        row[0]: _ContractRow(row[0], row[1], _day(row[2]), _day(row[3]), row[4]) for row in parts[0]
    }
    plans: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for contract_id, due_on, amount in parts[1]:
        plans[contract_id].append((date.fromisoformat(due_on), amount))
    paid = {contract_id: (total, received) for contract_id, total, received in parts[2]}
    return {
        contract_id: _contract_money(
            row, plans.get(contract_id, []), *paid.get(contract_id, (0, 0)), today
        )
        for contract_id, row in contracts.items()
    }


def _day(stored: str | None) -> date | None:
    return date.fromisoformat(stored) if stored else None


def _contract_money(
    row: _ContractRow, plan: list[tuple[date, int]], paid: int, received: int, today: date
) -> ContractMoney:
    """`paid`: every live payment on the contract; `received`: those dated today or before,
    the ones that settle what fell due."""
    counted = row.status in COUNTED_STATUSES
    if not plan:
        # No plan: the whole amount falls due on the start date (on signing), or on the end
        # date for a contract entered without its start, at the latest.
        due = row.start_on or row.end_on
        plan = [(due, row.amount_cents)] if due is not None else []
        planned = row.amount_cents
        has_plan = False
    else:
        planned = sum(amount for _due, amount in plan)
        has_plan = True
    if not counted:
        return ContractMoney(row.id, planned, paid, 0, 0, None, has_plan)
    owed = row.amount_cents if row.amount_cents > 0 or not has_plan else planned
    if row.status == ContractStatus.TERMINATED and row.end_on is not None and has_plan:
        # Stopped early: what would have fallen due after its end date never does.
        plan = [(due, amount) for due, amount in plan if due <= row.end_on]
        owed = min(owed, sum(amount for _due, amount in plan))
    scheduled = sum(amount for _due, amount in plan)
    if has_plan and owed > scheduled and row.end_on is not None:
        # What the plan leaves out (instalments not all entered) is due by the end at the latest.
        plan = sorted([*plan, (row.end_on, owed - scheduled)], key=lambda step: step[0])
    outstanding = max(0, owed - received)
    due_before_today = sum(amount for due, amount in plan if due < today)
    covered = received
    since = None
    for due, amount in plan:  # payments pay the earliest instalments first
        if covered >= amount:
            covered -= amount
            continue
        if due < today:
            since = due
        break
    overdue = min(outstanding, max(0, due_before_today - received))
    return ContractMoney(
        row.id,
        planned,
        paid,
        outstanding,
        overdue,
        # A plan summing to more than the amount leaves an instalment open when the whole
        # amount is paid: nothing is overdue, so it is not overdue since any day.
        since if overdue else None,
        has_plan,
        max(0, owed - paid),
        owed,
    )


def left_to_pay(
    session: Session, contract_id: str, payment_id: str | None, today: date
) -> int | None:
    """What a payment on this contract can be before the contract is paid more than it owes:
    its unpaid money, with the payment itself (`payment_id`, one being edited) not counted.
    None for a contract whose money is not counted (a draft, a deleted one)."""
    money = contract_money(session, [contract_id], today).get(contract_id)
    driver = sqlite_connection(session)
    status = driver.execute("SELECT status FROM contracts WHERE id = ?", (contract_id,)).fetchone()
    if money is None or status is None or status[0] not in COUNTED_STATUSES:
        return None
    own = driver.execute(
        "SELECT amount_cents FROM payments WHERE id = ? AND contract_id = ? AND deleted_at IS NULL",
        (payment_id, contract_id),
    ).fetchone()
    return max(0, money.owed - money.paid + (own[0] if own else 0))


def instalments_of(session: Session, contract_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(ContractInstalment)
        .where(
            ContractInstalment.contract_id == contract_id, ContractInstalment.deleted_at.is_(None)
        )
        .order_by(ContractInstalment.due_on, ContractInstalment.id)
    )
    return [column_values(row) for row in rows]


def payments_of(session: Session, contract_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Payment)
        .where(Payment.contract_id == contract_id, Payment.deleted_at.is_(None))
        .order_by(Payment.paid_on, Payment.id)
    )
    return [column_values(row) for row in rows]


@dataclass(frozen=True)
class ContractSheet:
    """One contract whole, for its page: its values, its customer's name, its plan, its
    payments, its money, and the contracts it renews and that renew it."""

    contract: dict[str, Any]
    customer: str
    instalments: list[dict[str, Any]]
    payments: list[dict[str, Any]]
    money: ContractMoney
    renews: str | None  # the number of the contract this one renews
    renewed_by: list[str]  # numbers of the contracts that renew this one


def contract_sheet(session: Session, contract_id: str, today: date) -> ContractSheet | None:
    contract = session.get(Contract, contract_id)
    if contract is None or contract.deleted_at is not None:
        return None
    customer = session.get(Customer, contract.customer_id)
    renews = (
        session.scalar(select(Contract.number).where(Contract.id == contract.renewed_from_id))
        if contract.renewed_from_id
        else None
    )
    renewed_by = list(
        session.scalars(
            select(Contract.number)
            .where(Contract.renewed_from_id == contract_id, Contract.deleted_at.is_(None))
            .order_by(Contract.number)
        )
    )
    return ContractSheet(
        column_values(contract),
        customer.name if customer is not None else "",
        instalments_of(session, contract_id),
        payments_of(session, contract_id),
        contract_money(session, [contract_id], today)[contract_id],
        renews,
        renewed_by,
    )


# -- quotes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuoteLine:
    id: str
    product: str  # code · name
    quantity: float
    unit_price: int
    discount_percent: int
    total: int  # fen, models/money.line_total_cents


def quote_lines(session: Session, opportunity_id: str) -> list[QuoteLine]:
    """An opportunity's live lines in the order they were added, each with its total."""
    rows = session.execute(
        select(
            OpportunityLine.id,
            Product.code + " · " + Product.name,
            OpportunityLine.quantity,
            OpportunityLine.unit_price_cents,
            OpportunityLine.discount_percent,
        )
        .join(Product, Product.id == OpportunityLine.product_id)
        .where(
            OpportunityLine.opportunity_id == opportunity_id,
            OpportunityLine.deleted_at.is_(None),
        )
        .order_by(OpportunityLine.created_at, OpportunityLine.id)
    )
    return [
        QuoteLine(
            row_id, product, quantity, price, discount, line_total_cents(quantity, price, discount)
        )
        for row_id, product, quantity, price, discount in rows
    ]


# -- customers ------------------------------------------------------------------------------


def customer_money(session: Session, customer_id: str, today: date) -> CustomerMoney:
    contracts = session.execute(
        select(Contract.id, Contract.amount_cents, Contract.status).where(
            Contract.customer_id == customer_id, Contract.deleted_at.is_(None)
        )
    ).all()
    money = contract_money(session, [row.id for row in contracts], today)
    live_payment = and_(Payment.customer_id == customer_id, Payment.deleted_at.is_(None))
    paid, on_account, last_year = session.execute(
        select(
            func.coalesce(func.sum(Payment.amount_cents), 0),
            func.coalesce(
                func.sum(case((Payment.contract_id.is_(None), Payment.amount_cents), else_=0)), 0
            ),
            func.coalesce(
                func.sum(
                    case(
                        (value_counted(Payment.paid_on, today), Payment.amount_cents),
                        else_=0,
                    )
                ),
                0,
            ),
        ).where(live_payment)
    ).one()
    return CustomerMoney(
        contracts=len(contracts),
        # What the signed contracts owe: a terminated one's what fell due by the day it stopped.
        contracted=sum(m.owed for m in money.values()),
        paid=int(paid),
        paid_last_year=int(last_year),
        on_account=int(on_account),
        outstanding=sum(m.outstanding for m in money.values()),
        overdue=sum(m.overdue for m in money.values()),
        owing=tuple(
            (contract_id, m.proposed_payment)
            for contract_id, m in money.items()
            if m.proposed_payment > 0
        ),
    )


def contracts_of(session: Session, customer_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(Contract)
        .where(Contract.customer_id == customer_id, Contract.deleted_at.is_(None))
        .order_by(Contract.end_on.desc(), Contract.number)
    )
    return [column_values(row) for row in rows]


def customer_payments(session: Session, customer_id: str) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Payment, Contract.number)
        .outerjoin(Contract, Contract.id == Payment.contract_id)
        .where(Payment.customer_id == customer_id, Payment.deleted_at.is_(None))
        .order_by(Payment.paid_on.desc(), Payment.id)
    )
    return [{**column_values(payment), "contract_number": number} for payment, number in rows]


# -- receivables ----------------------------------------------------------------------------


def receivables(
    session: Session, today: date, owner_ids: Sequence[str] | None = None
) -> list[Receivable]:
    """Customers with money overdue, most overdue first; `owner_ids`: only the customers of
    these owners (None: every customer this device holds)."""
    # The signed contracts (only they hold money due). Narrowing them further in SQL (to those
    # with something due before today) costs more than it saves: contract_money reads every
    # plan and payment of a large store in one pass anyway.
    candidates = select(Contract.id, Contract.customer_id).where(
        Contract.deleted_at.is_(None), Contract.status.in_(COUNTED_STATUSES)
    )
    if owner_ids is not None:
        owned = select(Customer.id).where(Customer.owner_id.in_(list(owner_ids)))
        candidates = candidates.where(Contract.customer_id.in_(owned))
    by_customer: dict[str, list[str]] = defaultdict(list)
    for contract_id, customer_id in session.execute(candidates):
        by_customer[customer_id].append(contract_id)
    money = contract_money(session, [c for ids in by_customer.values() for c in ids], today)
    totals: dict[str, tuple[int, int, date | None, int]] = {}
    for customer_id, ids in by_customer.items():
        overdue = [money[c] for c in ids if c in money and money[c].overdue > 0]
        if not overdue:
            continue
        since = min((m.overdue_since for m in overdue if m.overdue_since), default=None)
        totals[customer_id] = (
            sum(m.overdue for m in overdue),
            sum(money[c].outstanding for c in ids if c in money),
            since,
            len(overdue),
        )
    if not totals:
        return []
    owner = aliased(User)
    names = {
        row.id: row
        for row in session.execute(
            select(Customer.id, Customer.name, Customer.owner_id, owner.name.label("owner"))
            .outerjoin(owner, owner.id == Customer.owner_id)
            .where(Customer.id.in_(list(totals)))
        )
    }
    lines = [
        Receivable(
            customer_id,
            names[customer_id].name if customer_id in names else "",
            names[customer_id].owner_id if customer_id in names else None,
            names[customer_id].owner if customer_id in names else None,
            *totals[customer_id],
        )
        for customer_id in totals
    ]
    lines.sort(key=lambda line: (-line.overdue, line.customer, line.customer_id))
    return lines


# -- renewals -------------------------------------------------------------------------------


def renewals(
    session: Session,
    start: date,
    end: date,
    *,
    owner_id: str | None = None,
    kind: str | None = None,
    renewal_status: str | None = None,
) -> list[RenewalLine]:
    """Contracts (running or ended, not drafts nor terminated) whose end date falls in
    [start, end], soonest first, with who renews each where one does."""
    customer = aliased(Customer)
    owner = aliased(User)
    follower = aliased(Contract)
    statement = (
        select(
            Contract.id,
            Contract.number,
            Contract.customer_id,
            customer.name,
            Contract.kind,
            Contract.start_on,
            Contract.end_on,
            Contract.amount_cents,
            Contract.status,
            Contract.renewal_status,
            Contract.renewal_note,
            Contract.owner_id,
            owner.name,
            select(func.min(follower.number))
            .where(follower.renewed_from_id == Contract.id, follower.deleted_at.is_(None))
            .scalar_subquery(),
        )
        .join(customer, customer.id == Contract.customer_id)
        .outerjoin(owner, owner.id == Contract.owner_id)
        .where(
            Contract.deleted_at.is_(None),
            Contract.end_on >= start,
            Contract.end_on <= end,
            Contract.status.in_(RENEWABLE_STATUSES),
        )
        .order_by(Contract.end_on, Contract.number, Contract.id)
    )
    if owner_id is not None:
        statement = statement.where(Contract.owner_id == owner_id)
    if kind is not None:
        statement = statement.where(Contract.kind == kind)
    if renewal_status is not None:
        statement = statement.where(Contract.renewal_status == renewal_status)
    return [RenewalLine(*row) for row in session.execute(statement)]
