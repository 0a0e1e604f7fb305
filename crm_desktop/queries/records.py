"""Reads for forms and the customer page: one record whole, its children, lookups."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, literal, or_, select
from sqlalchemy.orm import Session

from crm_desktop.models.base import column_values, utcnow
from crm_desktop.models.choices import Role
from crm_desktop.models.dates import local_date
from crm_desktop.models.entities import (
    ENTITIES,
    SCOPE_KEY,
    Contact,
    Contract,
    Customer,
    CustomerIdentifier,
    FollowUp,
    LocalSetting,
    Opportunity,
    OwnershipChange,
    Payment,
    Product,
    Scope,
    Task,
    User,
    belongings,
)
from crm_desktop.models.fields import FIELDS
from crm_desktop.models.phones import phone_query_digits
from crm_desktop.queries import money
from crm_desktop.queries.people import labelled
from crm_desktop.storage import pool_due
from crm_desktop.storage.store import sqlite_connection
from crm_desktop.storage.values import in_parts


@dataclass
class CustomerDetail:
    customer: dict[str, Any]
    owner_name: str | None
    # The clerk who entered it, if a clerk did, and the rep he entered it for (its owner then).
    entered_by: str | None = None
    entered_for: str | None = None
    identifiers: list[dict[str, Any]] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    opportunities: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    followups: list[dict[str, Any]] = field(default_factory=list)
    ownership: list[OwnershipEvent] = field(default_factory=list)  # oldest first
    contracts: list[dict[str, Any]] = field(default_factory=list)  # latest ending first
    payments: list[dict[str, Any]] = field(default_factory=list)  # latest first
    money: money.CustomerMoney | None = None
    # Its return to the pool falls within the rules' warning days (or is overdue).
    returns_soon: bool = False


@dataclass(frozen=True)
class OwnershipEvent:
    """One change of hands, with the people named (None: the pool, or a user not known here)."""

    kind: str  # entered, claimed, released, assigned, returned, handed_over, graded, merged
    changed_at: datetime
    by: str | None
    previous_owner: str | None
    owner: str | None
    reason: str | None
    by_previous_owner: bool = False  # made by the one who owned it before (his own release)


def record_values(session: Session, entity: str, row_id: str) -> dict[str, Any] | None:
    """The editable fields of one live record (what a form shows) and when it was entered
    (`created_at`, which a merge keeps the elder of), or None if it's gone."""
    row = session.get(ENTITIES[entity], row_id)
    if row is None or row.deleted_at is not None:
        return None
    values = {f.name: getattr(row, f.name) for f in FIELDS[entity]}
    values["created_at"] = row.created_at
    if entity == "customers":
        values["identifiers"] = [
            (i.kind, i.value)
            for i in session.scalars(
                select(CustomerIdentifier)
                .where(
                    CustomerIdentifier.customer_id == row_id,
                    CustomerIdentifier.deleted_at.is_(None),
                )
                .order_by(CustomerIdentifier.created_at)
            )
        ]
    return values


def _live_children(session: Session, model: Any, customer_id: str, *order: Any) -> list[dict]:
    statement = (
        select(model)
        .where(model.customer_id == customer_id, model.deleted_at.is_(None))
        .order_by(*order)
    )
    return [column_values(row) for row in session.scalars(statement)]


def customer_detail(session: Session, customer_id: str) -> CustomerDetail | None:
    """Everything the customer page shows, read in one transaction so it is consistent."""
    customer = session.get(Customer, customer_id)
    if customer is None or customer.deleted_at is not None:
        return None
    owner = session.get(User, customer.owner_id) if customer.owner_id else None
    maker = session.get(User, customer.created_by) if customer.created_by else None
    owners = _owners_over_time(session, customer_id, customer.owner_id)
    people = {
        user_id: (name, role)
        for user_id, name, role in session.execute(select(User.id, User.name, User.role))
    }

    def owner_name_at(moment: datetime | None) -> str | None:
        return people.get(owners(moment) or "", (None, None))[0]

    return CustomerDetail(
        customer=column_values(customer),
        owner_name=owner.name if owner else None,
        entered_by=maker.name if maker is not None and maker.role == "clerk" else None,
        entered_for=owner_name_at(customer.created_at),
        identifiers=_live_children(
            session, CustomerIdentifier, customer_id, CustomerIdentifier.created_at
        ),
        contacts=_live_children(session, Contact, customer_id, Contact.name),
        opportunities=_live_children(
            session, Opportunity, customer_id, Opportunity.expected_close.desc()
        ),
        tasks=_live_children(session, Task, customer_id, Task.done, Task.due_at),
        followups=_with_authors(
            _live_children(session, FollowUp, customer_id, FollowUp.happened_at.desc()),
            people,
            owner_name_at,
        ),
        ownership=ownership_events(session, customer_id),
        returns_soon=_returns_soon(session, customer.pool_due_at),
        contracts=money.contracts_of(session, customer_id),
        payments=money.customer_payments(session, customer_id),
        money=money.customer_money(session, customer_id, date.today()),
    )


def _returns_soon(session: Session, due: datetime | None) -> bool:
    warning = pool_due.warning_days(sqlite_connection(session))
    return due is not None and warning is not None and due <= utcnow() + timedelta(days=warning)


def _with_authors(
    followups: list[dict[str, Any]],
    people: dict[str, tuple[str, str]],
    owner_name_at: Callable[[datetime | None], str | None],
) -> list[dict[str, Any]]:
    """Each follow-up with who logged it (`logged_by`, of `people`: id -> (name, role)) and,
    when a clerk did, for whom (`logged_for`: the customer's owner when he logged it, the rep
    he entered it for)."""
    for item in followups:
        name, role = people.get(item.get("created_by"), (None, None))
        item["logged_by"] = name
        item["logged_for"] = owner_name_at(item.get("created_at")) if role == "clerk" else None
    return followups


def _owners_over_time(
    session: Session, customer_id: str, owner_now: str | None
) -> Callable[[datetime | None], str | None]:
    """Who owned the customer at a moment, by its ownership history as the last sync brought
    it: a clerk's entry for one rep stays his after the customer is handed to another. Before
    its first recorded change, the owner that change started from; with no history here
    (never synced), its owner now."""
    changes = session.execute(
        select(
            OwnershipChange.changed_at,
            OwnershipChange.owner_id,
            OwnershipChange.previous_owner_id,
            OwnershipChange.kind,
        )
        .where(OwnershipChange.customer_id == customer_id)
        .order_by(OwnershipChange.changed_at, OwnershipChange.id)
    ).all()

    def owner_at(moment: datetime | None) -> str | None:
        if moment is None or not changes:
            return owner_now
        _at, first_owner, before_first, kind = changes[0]
        # Before its first line: the owner it entered with, or the one that line took it from.
        owner = first_owner if kind == "entered" else before_first
        for changed_at, owner_id, _previous, _kind in changes:
            if changed_at > moment:
                break
            owner = owner_id
        return owner

    return owner_at


def ownership_events(session: Session, customer_id: str) -> list[OwnershipEvent]:
    """The customer's ownership history as the last sync brought it, oldest first."""
    names = dict(session.execute(select(User.id, User.name)).all())
    statement = (
        select(OwnershipChange)
        .where(OwnershipChange.customer_id == customer_id)
        .order_by(OwnershipChange.changed_at, OwnershipChange.id)
    )
    return [
        OwnershipEvent(
            kind=change.kind,
            changed_at=change.changed_at,
            by=names.get(change.changed_by),
            previous_owner=names.get(change.previous_owner_id),
            owner=names.get(change.owner_id),
            reason=change.reason,
            by_previous_owner=change.changed_by is not None
            and change.changed_by == change.previous_owner_id,
        )
        for change in session.scalars(statement)
    ]


@dataclass(frozen=True)
class Match:
    id: str
    name: str
    phone: str | None


def possible_duplicates(
    session: Session, name: str, phone: str | None, exclude_id: str | None = None, limit: int = 5
) -> list[Match]:
    """Live customers a new record may duplicate: same phone digits, or a name containing or
    contained in the typed one (at least two characters, so one letter doesn't match all)."""
    conditions = []
    name = name.strip().lower()
    if len(name) >= 2:
        conditions.append(func.instr(Customer.search_text, name) > 0)
    digits = phone_query_digits(phone or "")
    if digits and len(digits) >= 7:
        conditions.append(func.instr(Customer.search_text, digits[-11:]) > 0)
    if not conditions:
        return []
    statement = select(Customer.id, Customer.name, Customer.phone).where(
        Customer.deleted_at.is_(None), or_(*conditions)
    )
    if exclude_id:
        statement = statement.where(Customer.id != exclude_id)
    statement = statement.order_by(func.length(Customer.name)).limit(limit)
    return [Match(*row) for row in session.execute(statement)]


def delegates(session: Session, task_id: str, user_id: str) -> list[tuple[str, str]]:
    """(id, label) of the users a task may be handed to so that it reaches them, the user
    himself left out: active ones the server will show it to (queries/people.py labels them).

    The server shows a task on a customer to those who see the customer: its owner, his
    manager, administrators (and, for a customer in the public pool, reps and managers). A task
    on no customer changes hands freely when the user made it, else only to himself and, for a
    manager, the reps who report to him. Managers and clerks who see a customer through an
    office or an assignment are not offered: this device cannot tell who they are."""
    task = session.get(Task, task_id)
    if task is None:
        return []
    me = session.get(User, user_id)
    live = select(User.id, User.name).where(
        User.deleted_at.is_(None), User.active.is_(True), User.id != user_id
    )
    if task.customer_id is not None:
        owner = session.scalar(select(Customer.owner_id).where(Customer.id == task.customer_id))
        if owner is None:
            live = live.where(User.role.in_((Role.ADMIN.value, Role.MANAGER.value, Role.REP.value)))
        else:
            manager = session.scalar(select(User.manager_id).where(User.id == owner))
            live = live.where(or_(User.role == Role.ADMIN.value, User.id.in_([owner, manager])))
    elif task.created_by != user_id and (me is None or me.role != Role.ADMIN.value):
        if me is None or me.role != Role.MANAGER.value:
            return []
        live = live.where(User.manager_id == user_id)
    statement = live.order_by(User.name_sort, User.name, User.login)
    return labelled(session, [row[0] for row in session.execute(statement)])


def _may_give_to(session: Session, user_id: str | None) -> tuple[str, ...] | None:
    """Whom the user may make a customer's owner, as the server said at the last sync: a rep
    himself, a clerk the reps he enters for, a manager his team (himself in it); None for no
    limit (an administrator, a profile never synced). The server decides anyway; the list
    only leaves out what it would refuse at the next sync."""
    stored = session.get(LocalSetting, SCOPE_KEY)
    scope = Scope.parse(stored.value if stored else None)
    if scope.role == Role.REP.value and user_id is not None:
        return (user_id,)
    if scope.role == Role.CLERK.value:
        return scope.enters_for
    if scope.role == Role.MANAGER.value:
        return scope.team
    return None


def choices_for(
    session: Session,
    entity: str,
    customer_id: str | None = None,
    roles: tuple[str, ...] = (),
    user_id: str | None = None,
    active_only: bool = False,
) -> list[tuple]:
    """(id, label) pairs for a reference field: users (of `roles` only, when given; switched
    off ones too unless `active_only`, as a record may still name one), active products, or a
    customer's contacts, opportunities or contracts.

    Users are in pinyin order of their names, labelled by queries/people.py (two 王伟 are
    told apart by their logins); an owner (`roles` given) only among those the user may give a
    customer to (_may_give_to). Of the roles left out, the user himself is still offered when
    he is an administrator: the records he enters himself may be his (a customer, server
    migration 0035)."""
    if entity == "users":
        users = select(User.id).where(User.deleted_at.is_(None))
        if roles:
            himself = (User.id == user_id) & (User.role == Role.ADMIN.value)
            users = users.where(or_(User.role.in_(roles), himself))
            given = _may_give_to(session, user_id)
            if given is not None:
                users = users.where(User.id.in_(given))
        if active_only:
            users = users.where(User.active.is_(True))
        ordered = users.order_by(User.name_sort, User.name, User.login)
        return labelled(session, list(session.scalars(ordered)))
    if entity == "contacts":
        statement = (
            select(Contact.id, Contact.name)
            .where(Contact.customer_id == customer_id, Contact.deleted_at.is_(None))
            .order_by(Contact.name)
        )
    elif entity == "opportunities":
        statement = (
            select(Opportunity.id, Opportunity.title)
            .where(Opportunity.customer_id == customer_id, Opportunity.deleted_at.is_(None))
            .order_by(Opportunity.title)
        )
    elif entity == "contracts":
        statement = (
            select(Contract.id, Contract.number)
            .where(Contract.customer_id == customer_id, Contract.deleted_at.is_(None))
            .order_by(Contract.number)
        )
    elif entity == "products":
        # Active products to quote from; a product made inactive later stays on old lines.
        statement = (
            select(Product.id, Product.code + " · " + Product.name)
            .where(Product.deleted_at.is_(None), Product.active.is_(True))
            .order_by(Product.code)
        )
    else:
        raise ValueError(entity)
    return [tuple(row) for row in session.execute(statement)]


# The day a record without a name of its own is told apart by, beside its customer's name.
_DAY_COLUMNS = ("happened_at", "paid_on", "due_on", "created_at")


def record_names(session: Session, keys: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """What a user calls each (entity, id): a customer's name, an opportunity's title, a
    contract's number; a record without one (a follow-up, a payment) by its customer's name
    and its day ("华强电子 2026-11-20"), an identifier by its value."""
    names: dict[tuple[str, str], str] = {}
    for entity, row_id in keys:
        model = ENTITIES.get(entity)
        if model is None:
            continue
        label_column = next(
            (getattr(model, c) for c in ("name", "title", "number", "value") if hasattr(model, c)),
            None,
        )
        if label_column is not None:
            value = session.scalar(select(label_column).where(model.id == row_id))
        elif model.PARENT == "customer_id":
            value = _by_customer_and_day(session, model, row_id)
        else:
            continue
        if value:
            names[(entity, row_id)] = value
    return names


def _by_customer_and_day(session: Session, model: Any, row_id: str) -> str | None:
    day_column = next(getattr(model, c) for c in _DAY_COLUMNS if hasattr(model, c))
    row = session.execute(
        select(Customer.name, day_column)
        .join(Customer, Customer.id == model.customer_id)
        .where(model.id == row_id)
    ).first()
    if row is None:
        return None
    customer, day = row
    when = local_date(day) if isinstance(day, datetime) else day  # stored UTC, read local
    return f"{customer} {when.isoformat()}" if when else customer


@dataclass(frozen=True)
class TakenAlong:
    """What deleting some records takes with them (models.entities.belongings): the live
    records of each kind, and the money received on the payments among them."""

    counts: dict[str, int]
    paid_cents: int = 0
    # Payments deleted themselves: the money they record.
    own_paid_cents: int = 0


def taken_along(session: Session, entity: str, ids: list[str]) -> TakenAlong:
    """The live records a delete of these `entity` records would delete with them, by kind
    (those it takes none of left out), for the question asked before it."""
    counts: dict[str, int] = {}
    paid = 0
    for child, column in belongings(entity):
        model = ENTITIES[child]
        found = 0
        # A payment's money is summed in the same look as the count.
        money = func.sum(model.amount_cents) if child == "payments" else literal(0)
        for part in in_parts(ids):
            count, cents = session.execute(
                select(func.count(), money)
                .select_from(model)
                .where(getattr(model, column).in_(part), model.deleted_at.is_(None))
            ).one()
            found += count
            paid += cents or 0
        if found:
            counts[child] = found
    own = 0
    if entity == "payments":
        for part in in_parts(ids):
            own += session.scalar(
                select(func.coalesce(func.sum(Payment.amount_cents), 0)).where(
                    Payment.id.in_(part), Payment.deleted_at.is_(None)
                )
            )
    return TakenAlong(counts, paid, own)
