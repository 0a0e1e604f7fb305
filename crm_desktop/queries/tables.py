"""The lists the window shows: which columns, how each sorts, and how a search filters.

Sorting and searching happen in SQL. `list_ids` returns only ids in order (cheap even for
100,000 rows thanks to the partial `live_index`es); `fetch_rows` then reads one page of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from PySide6.QtCore import QT_TRANSLATE_NOOP
from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    and_,
    bindparam,
    case,
    false,
    func,
    inspect,
    literal,
    or_,
    select,
    table,
    text,
    union,
)
from sqlalchemy import (
    column as sql_column,
)
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import operators
from sqlalchemy.sql.expression import UnaryExpression

from crm_desktop.models.choices import OPEN_STAGES, ContractStatus
from crm_desktop.models.entities import (
    Contact,
    Contract,
    Customer,
    Opportunity,
    Payment,
    Product,
    Task,
    User,
)
from crm_desktop.models.fields import Kind
from crm_desktop.models.search_keys import query_terms
from crm_desktop.queries.calendar import step_taken
from crm_desktop.storage import search_index
from crm_desktop.storage.store import sqlite_connection
from crm_desktop.storage.values import to_sqlite

T = QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # marked for translation, in `context`
    expr: Any  # SQL expression giving the raw value
    kind: Kind = Kind.TEXT
    visible: bool = True  # shown until the user chooses otherwise
    # For a user's name shown through a reference (owner, assignee): the referencing column.
    # Sorting by it then walks users in name order and each one's rows by index (see list_ids).
    via: Any = None
    # What the column sorts by when not its value: a name's or title's pinyin sort key
    # (models/entities.SORT_KEYS), so Chinese names sort as a Chinese user expects.
    sort: Any = None
    # The header's translation context: "Person" for a person's name (姓名, not 名称).
    context: str = "Columns"
    # Its width in pixels until the user drags it; None: the list's first column is wide (a
    # name or title), the others of one width (views/record_tabs.py).
    width: int | None = None

    @property
    def sort_expr(self) -> Any:
        return self.expr if self.sort is None else self.sort


@dataclass(frozen=True)
class TableSpec:
    entity: str
    model: Any
    columns: tuple[Column, ...]
    joins: tuple[tuple[Any, Any], ...] = ()  # (target, on-clause) outer joins for display columns
    default_sort: str = "name"
    default_descending: bool = False  # newest first, say, for a list of what happened
    # Columns a search matches by their text (besides the customer, for lists that have one).
    searched: tuple[str, ...] = ("title",)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)

    def column_keys(self) -> list[str]:
        return [column.key for column in self.columns]


@dataclass(frozen=True)
class OneOf:
    """A filter's value: any of these (the owners of a manager's team, say)."""

    values: tuple[Any, ...]


@dataclass(frozen=True)
class AtMost:
    """A filter's value: this or less (customers returning to the pool by a date, say)."""

    value: Any


@dataclass(frozen=True)
class Between:
    """A filter's value: from `low` up to, not including, `high` (a month's days, say)."""

    low: Any
    high: Any


@dataclass(frozen=True)
class CustomersWhere:
    """A filter's value on a customer reference: its customer has this grade (NO_GRADE: none)
    and industry (None: any). What a dashboard's grade and industry choice carry to a list."""

    grade: str | None = None
    industry: str | None = None

    def condition(self) -> ColumnElement[bool]:
        wanted = [Customer.deleted_at.is_(None)]
        if self.grade is not None:
            wanted.append(
                Customer.grade.is_(None) if self.grade == NO_GRADE else Customer.grade == self.grade
            )
        if self.industry is not None:
            wanted.append(Customer.industry == self.industry)
        return and_(*wanted)


NO_GRADE = "none"  # a grade filter's value for customers without a grade


@dataclass(frozen=True)
class OwnedCustomers:
    """A filter's value on a customer reference: its customer is owned by one of `owners`
    (None among them: in the public pool). What the scope filter carries to the lists that hang
    off customers: the pool's contacts are its customers' contacts, not rows without an owner
    of their own."""

    owners: tuple[str | None, ...]

    def condition(self) -> ColumnElement[bool]:
        named = [owner for owner in self.owners if owner is not None]
        wanted = [Customer.owner_id.in_(named)] if named else []
        if None in self.owners:
            wanted.append(Customer.owner_id.is_(None))
        return and_(Customer.deleted_at.is_(None), or_(false(), *wanted))


@dataclass(frozen=True)
class ListQuery:
    search: str = ""
    sort: str | None = None
    descending: bool = False
    # Filters on column keys or model columns, e.g. (("grade", "A"),): a value is matched
    # equal, None matches NULL, OneOf and AtMost as they say.
    filters: tuple[tuple[str, Any], ...] = field(default_factory=tuple)


# A list's rows that are overdue (the tables mark them and filter on it): a hidden column,
# worked out by SQLite at read time against its own clock (UTC, as times are stored).
OVERDUE = "overdue"
NOW = func.datetime("now")
# The user's date: a deal's expected close and a contract's end are days of his calendar.
TODAY = func.date("now", "localtime")


def late_sql(due: Any) -> ColumnElement[bool]:
    """models.dates.is_late in SQL: past its time, or (a day given without a time, stored at
    local midnight) past the end of its day. SQLite's 'localtime' is the process's own zone, the
    one Python's astimezone() uses. `due < NOW` first, which either way it must be, keeps an
    index on the time usable."""
    day_only = func.time(due, "localtime") == "00:00:00"
    day_over = func.datetime(due, "localtime", "+1 day", "utc")
    return and_(due < NOW, or_(~day_only, day_over <= NOW))


# When a customer was last looked after: its last follow-up or since its owner took it over,
# whichever is later (a customer claimed two days ago is not its new owner's neglect of 90
# days, as the pool's rule gives him his days too), else since it was entered. The dashboard
# counts customers left quiet by it.
QUIET = "quiet_since"
QUIET_SINCE = func.coalesce(
    func.max(Customer.last_followup_at, Customer.owned_since),
    Customer.last_followup_at,
    Customer.owned_since,
    Customer.created_at,
)


def overdue_column(condition: ColumnElement[bool], header: str = T("Columns", "Overdue")) -> Column:
    """The hidden column of a list's overdue rule; `header` says what overdue means there (the
    red row's tooltip)."""
    return Column(
        OVERDUE,
        header,
        case((condition, True), else_=False),
        Kind.BOOL,
        visible=False,
    )


def customer_grade(customer: Any) -> Column:
    """The grade of a row's customer, under the key the customers list uses for its own: the
    grade filter then applies to every list that hangs off customers."""
    return Column("grade", T("Columns", "Customer grade"), customer.grade, Kind.CHOICE, False)


def person_column(key: str, header: str, person: Any, via: Any) -> Column:
    """A user's name through the reference `via` (owner, assignee...): sorted by the name's
    pinyin, and by walking users in that order when it is the only sort (list_ids)."""
    return Column(key, header, person.name, via=via, sort=person.name_sort)


Owner = aliased(User, name="owner")
Maker = aliased(User, name="maker")
Assignee = aliased(User, name="assignee")
TaskCustomer = aliased(Customer, name="task_customer")
OpportunityCustomer = aliased(Customer, name="opportunity_customer")
ContactCustomer = aliased(Customer, name="contact_customer")
ContractCustomer = aliased(Customer, name="contract_customer")
PaymentCustomer = aliased(Customer, name="payment_customer")
PaymentContract = aliased(Contract, name="payment_contract")
Recorder = aliased(User, name="recorder")

CUSTOMERS = TableSpec(
    "customers",
    Customer,
    (
        Column("name", T("Columns", "Name"), Customer.name, sort=Customer.name_sort),
        Column("short_name", T("Columns", "Short name"), Customer.short_name, visible=False),
        Column("grade", T("Columns", "Grade"), Customer.grade, Kind.CHOICE),
        Column("phone", T("Columns", "Phone"), Customer.phone, Kind.PHONE),
        Column("email", T("Columns", "Email"), Customer.email),
        Column("industry", T("Columns", "Industry"), Customer.industry),
        Column("address", T("Columns", "Address"), Customer.address, visible=False),
        person_column("owner", T("Columns", "Owner"), Owner, Customer.owner_id),
        Column(
            "pool_due_at",
            T("Columns", "Returns to pool"),
            Customer.pool_due_at,
            Kind.DATETIME,
        ),
        Column(
            "last_followup_at",
            T("Columns", "Last follow-up"),
            Customer.last_followup_at,
            Kind.DATETIME,
        ),
        Column(
            "next_followup_at",
            T("Columns", "Next follow-up"),
            Customer.next_followup_at,
            Kind.DATETIME,
        ),
        Column("created_at", T("Columns", "Created"), Customer.created_at, Kind.DATETIME, False),
        Column(
            "entered_by",
            T("Columns", "Entered by"),
            Maker.name,
            visible=False,
            sort=Maker.name_sort,
        ),
        Column(QUIET, T("Columns", "Quiet since"), QUIET_SINCE, Kind.DATETIME, visible=False),
        # The next step is past and no follow-up since took it (as Today says).
        overdue_column(and_(late_sql(Customer.next_followup_at), ~step_taken())),
    ),
    joins=((Owner, Owner.id == Customer.owner_id), (Maker, Maker.id == Customer.created_by)),
)

CONTACTS = TableSpec(
    "contacts",
    Contact,
    (
        Column("name", T("Person", "Name"), Contact.name, sort=Contact.name_sort, context="Person"),
        Column(
            "customer",
            T("Columns", "Customer"),
            ContactCustomer.name,
            sort=Contact.customer_sort,
        ),
        Column("title", T("Columns", "Job title"), Contact.title),
        Column("mobile", T("Columns", "Mobile"), Contact.mobile, Kind.PHONE),
        Column("phone", T("Columns", "Phone"), Contact.phone, Kind.PHONE),
        Column("email", T("Columns", "Email"), Contact.email),
        customer_grade(ContactCustomer),
    ),
    joins=((ContactCustomer, ContactCustomer.id == Contact.customer_id),),
    searched=("name",),
)

OPPORTUNITIES = TableSpec(
    "opportunities",
    Opportunity,
    (
        Column("title", T("Columns", "Title"), Opportunity.title, sort=Opportunity.title_sort),
        Column(
            "customer",
            T("Columns", "Customer"),
            OpportunityCustomer.name,
            sort=Opportunity.customer_sort,
        ),
        Column("stage", T("Columns", "Stage"), Opportunity.stage, Kind.CHOICE),
        Column("amount_cents", T("Columns", "Amount"), Opportunity.amount_cents, Kind.MONEY),
        Column(
            "expected_close", T("Columns", "Expected close"), Opportunity.expected_close, Kind.DATE
        ),
        Column("probability", T("Columns", "Probability %"), Opportunity.probability, Kind.INTEGER),
        person_column("owner", T("Columns", "Owner"), Owner, Opportunity.owner_id),
        customer_grade(OpportunityCustomer),
        overdue_column(
            and_(
                Opportunity.expected_close < TODAY,
                Opportunity.stage.in_([stage.value for stage in OPEN_STAGES]),
            )
        ),
    ),
    joins=(
        (OpportunityCustomer, OpportunityCustomer.id == Opportunity.customer_id),
        (Owner, Owner.id == Opportunity.owner_id),
    ),
    default_sort="expected_close",
)

TASKS = TableSpec(
    "tasks",
    Task,
    (
        Column("title", T("Columns", "Title"), Task.title, sort=Task.title_sort),
        Column("due_at", T("Columns", "Due"), Task.due_at, Kind.DATETIME),
        Column("priority", T("Columns", "Priority"), Task.priority, Kind.CHOICE),
        Column("done", T("Columns", "Done"), Task.done, Kind.BOOL),
        Column("customer", T("Columns", "Customer"), TaskCustomer.name, sort=Task.customer_sort),
        person_column("assignee", T("Columns", "Assigned to"), Assignee, Task.assignee_id),
        customer_grade(TaskCustomer),
        overdue_column(and_(Task.done.is_(False), late_sql(Task.due_at))),
    ),
    joins=(
        (TaskCustomer, TaskCustomer.id == Task.customer_id),
        (Assignee, Assignee.id == Task.assignee_id),
    ),
    default_sort="due_at",
)

PRODUCTS = TableSpec(
    "products",
    Product,
    (
        Column("code", T("Columns", "Code"), Product.code),
        Column("name", T("Columns", "Name"), Product.name, sort=Product.name_sort),
        Column("unit", T("Columns", "Unit"), Product.unit),
        Column(
            "list_price_cents", T("Columns", "List price"), Product.list_price_cents, Kind.MONEY
        ),
        Column("active", T("Columns", "Active"), Product.active, Kind.BOOL),
    ),
    default_sort="code",
    searched=("code", "name"),
)

CONTRACTS = TableSpec(
    "contracts",
    Contract,
    (
        Column("number", T("Columns", "Number"), Contract.number),
        Column(
            "customer",
            T("Columns", "Customer"),
            ContractCustomer.name,
            sort=Contract.customer_sort,
        ),
        Column("kind", T("Columns", "Kind"), Contract.kind, Kind.CHOICE),
        Column("start_on", T("Columns", "Starts"), Contract.start_on, Kind.DATE, False),
        Column("end_on", T("Columns", "Ends"), Contract.end_on, Kind.DATE),
        Column("amount_cents", T("Columns", "Amount"), Contract.amount_cents, Kind.MONEY),
        Column("status", T("Columns", "Status"), Contract.status, Kind.CHOICE),
        Column("renewal_status", T("Columns", "Renewal"), Contract.renewal_status, Kind.CHOICE),
        person_column("owner", T("Columns", "Owner"), Owner, Contract.owner_id),
        customer_grade(ContractCustomer),
        # Still running past its end: neither ended nor renewed in time. (Money overdue is the
        # Receivables page's, by queries/money.py's one definition.)
        overdue_column(
            and_(
                Contract.status == ContractStatus.ACTIVE.value,
                Contract.end_on < TODAY,
            ),
            T("Columns", "Running past its end, not renewed"),
        ),
    ),
    joins=(
        (ContractCustomer, ContractCustomer.id == Contract.customer_id),
        (Owner, Owner.id == Contract.owner_id),
    ),
    default_sort="end_on",
    searched=("number",),
)

# Money received: what finance reads across customers, newest first (a customer's own and a
# contract's own are on their pages).
PAYMENTS = TableSpec(
    "payments",
    Payment,
    (
        Column("paid_on", T("Columns", "Paid on"), Payment.paid_on, Kind.DATE, width=110),
        Column(
            "customer",
            T("Columns", "Customer"),
            PaymentCustomer.name,
            sort=PaymentCustomer.name_sort,
            width=260,
        ),
        Column("amount_cents", T("Columns", "Amount"), Payment.amount_cents, Kind.MONEY),
        Column("contract", T("Columns", "Contract"), PaymentContract.number),
        Column("method", T("Columns", "Method"), Payment.method, Kind.CHOICE),
        Column("reference", T("Columns", "Reference"), Payment.reference),
        Column("notes", T("Columns", "Notes"), Payment.notes, visible=False),
        # Sorted through a join, not by walking users (person_column): created_by has no
        # foreign key, and a payment another system recorded names a user this device may
        # not hold; walking users would leave it out.
        Column("recorded_by", T("Columns", "Recorded by"), Recorder.name, sort=Recorder.name_sort),
        customer_grade(PaymentCustomer),
    ),
    joins=(
        (PaymentCustomer, PaymentCustomer.id == Payment.customer_id),
        (PaymentContract, PaymentContract.id == Payment.contract_id),
        (Recorder, Recorder.id == Payment.created_by),
    ),
    default_sort="paid_on",
    default_descending=True,
    searched=("reference",),
)

TABLES: dict[str, TableSpec] = {
    spec.entity: spec
    for spec in (CUSTOMERS, CONTACTS, OPPORTUNITIES, TASKS, PRODUCTS, CONTRACTS, PAYMENTS)
}


# Contacts, opportunities and tasks are also found by what finds their customer.
SEARCH_VIA = {
    "contacts": ContactCustomer,
    "opportunities": OpportunityCustomer,
    "tasks": TaskCustomer,
    "contracts": ContractCustomer,
}


def _fts_phrase(variant: str) -> str:
    return '"' + variant.replace('"', '""') + '"'


def matching_search_keys(variants: set[str]) -> Any | None:
    """A subquery of the search keys (`customers.search_key`) of customers whose search text
    contains any of the variants, answered by the full-text indexes (storage/search_index.py);
    None if no variant can be searched.

    Terms of three characters or more match anywhere; shorter ones match Chinese anywhere and
    other words by their start. A single Latin letter or digit would match nearly everyone, so
    it is not searched at all.
    """
    long = sorted(v for v in variants if len(v) >= 3)
    short = sorted(v for v in variants if len(v) < 3 and search_index.is_short_searchable(v))
    parts = []
    for table_name, terms in ((search_index.TRIGRAM_TABLE, long), (search_index.GRAM_TABLE, short)):
        if terms:
            match = " OR ".join(_fts_phrase(v) for v in terms)
            parts.append(
                select(sql_column("rowid"))
                .select_from(table(table_name))
                .where(text(f"{table_name} MATCH :match").bindparams(_unique("match", match)))
            )
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else union(*parts)


def effective_search(search: str) -> tuple[tuple[str, ...], ...]:
    """The part of a search that filters anything: typing "n" then "no" changes the result,
    typing "" then "n" doesn't (a lone Latin letter isn't searched). Called on the window's
    thread: without the pinyin of a mixed word, which follows from the word anyway (and a word
    with a Chinese character in it is always searched)."""
    return tuple(
        tuple(sorted(variants))
        for variants in query_terms(search, spelled=False)
        if matching_search_keys(variants) is not None
    )


def _search_condition(session: Session, spec: TableSpec, search: str) -> ColumnElement[bool] | None:
    conditions = []
    for variants in query_terms(search):
        keys = matching_search_keys(variants)
        if keys is None:
            continue
        if spec.entity == "customers":
            if _matches_many(session, keys):
                # The unary + keeps SQLite off the search_key index: it walks the list's sort
                # index instead (which holds the key) and checks each row against the hits.
                # That costs at most one pass over the index however many customers match,
                # and finds the first page of a broad search ("13": half of all customers)
                # within a few hundred rows, where collecting and sorting every hit took
                # 200 ms.
                conditions.append(_unindexed(Customer.search_key).in_(keys))
            else:
                # A few hits: fetched by the key index and sorted, well under a millisecond.
                conditions.append(Customer.search_key.in_(keys))
            continue
        # Other lists: the record's own name, title or number, or its customer, matches.
        # Variants are lower-case and SQLite's LIKE ignores ASCII case (as far as its lower()
        # goes).
        matches = [
            spec.column(key).expr.contains(variant, autoescape=True)
            for key in spec.searched
            for variant in sorted(variants)
        ]
        if hasattr(spec.model, "customer_id"):
            customers = select(Customer.id).where(Customer.search_key.in_(keys))
            matches.append(spec.model.customer_id.in_(customers))
        if hasattr(spec.model, "contract_id"):
            # A payment is found by its contract's number too, as the clerk reconciling it
            # has it in hand.
            numbers = [
                Contract.number.contains(variant, autoescape=True) for variant in sorted(variants)
            ]
            contracts = select(Contract.id).where(or_(*numbers))
            matches.append(spec.model.contract_id.in_(contracts))
        conditions.append(or_(*matches))
    return and_(*conditions) if conditions else None


# Up to this many hits, sorting them beats walking the whole list in order.
FEW_HITS = 500


def _matches_many(session: Session, keys: Any) -> bool:
    """Whether a term's full-text hits are many; counting stops at FEW_HITS, so it is cheap."""
    capped = select(func.count()).select_from(keys.limit(FEW_HITS).subquery())
    return session.execute(capped).scalar_one() >= FEW_HITS


def _unique(name: str, value: str) -> BindParameter[str]:
    # A search of several words has several MATCH parameters in one statement.
    return bindparam(name, value, unique=True)


def _unindexed(expr: Any) -> ColumnElement[Any]:
    """`+expr`: the same value, which SQLite won't look up through an index."""
    return UnaryExpression(expr, operator=operators.custom_op("+"), type_=expr.type)


def _joined(spec: TableSpec, statement: Select, used: Sequence[Any] | None = None) -> Select:
    """Add the spec's outer joins; with `used`, only those that these expressions read from."""
    for target, on in spec.joins:
        selectable = inspect(target).selectable
        if used is None or any(getattr(expr, "table", None) is selectable for expr in used):
            statement = statement.outerjoin(target, on)
    return statement


def list_ids(
    session: Session, spec: TableSpec, query: ListQuery, limit: int | None = None
) -> list[str]:
    """Ids of the live rows matching the query in display order: all, or the first `limit`."""
    model = spec.model
    sort_column = spec.column(query.sort or spec.default_sort)
    sort = sort_column.sort_expr
    statement, used, searched = _filtered(session, spec, query, select(model.id))
    used.insert(0, sort)
    if sort_column.via is not None and not searched and len(used) == 1:
        return _ids_by_user_name(
            session, model, statement, sort_column.via, query.descending, limit
        )
    statement = _joined(spec, statement, used)
    # Empty values last either way. SQLite (3.30+) serves ASC NULLS LAST from the ascending
    # sort index too: it walks the non-NULL part of the index, then the NULL part.
    if query.descending:
        statement = statement.order_by(sort.desc().nulls_last(), model.id.desc())
    else:
        statement = statement.order_by(sort.asc().nulls_last(), model.id)
    if limit is not None:
        statement = statement.limit(limit)
    return fetch_column(session, statement)


def _filtered(
    session: Session, spec: TableSpec, query: ListQuery, statement: Select
) -> tuple[Select, list[Any], bool]:
    """The statement kept to the query's live rows: its search and filters. Also the filters'
    expressions (the joins they need) and whether a search applies."""
    model = spec.model
    statement = statement.where(model.deleted_at.is_(None))
    used = []
    condition = _search_condition(session, spec, query.search)
    if condition is not None:
        statement = statement.where(condition)
    for key, value in query.filters:
        expr = spec.column(key).expr if key in spec.column_keys() else getattr(model, key)
        statement = statement.where(_matching(expr, value))
        used.append(expr)
    return statement, used, condition is not None


def list_total(
    session: Session,
    spec: TableSpec,
    query: ListQuery,
    key: str,
    after: tuple[str, Any] | None = None,
) -> tuple[int, int, int]:
    """How many rows the query shows, the sum of their `key` column (an amount), and the part
    of that sum whose `after` column (key, value) is later than the value (0 without one):
    payments dated after today, which have not come in yet."""
    column = spec.column(key).expr
    later = literal(0)
    if after is not None:
        when = spec.column(after[0]).expr
        later = func.sum(case((when > to_sqlite(after[1]), column), else_=0))
    statement, used, _ = _filtered(
        session,
        spec,
        query,
        select(func.count(), func.coalesce(func.sum(column), 0), func.coalesce(later, 0)),
    )
    statement = _joined(spec, statement.select_from(spec.model), used)
    count, total, later_total = session.execute(statement).one()
    return int(count), int(total), int(later_total)


def _matching(expr: Any, value: Any) -> ColumnElement[bool]:
    if value is None:
        return expr.is_(None)
    if isinstance(value, OneOf):
        return expr.in_(value.values)
    if isinstance(value, AtMost):
        # fetch_column hands values to the driver as they are: a time goes as stored text.
        return expr <= to_sqlite(value.value)
    if isinstance(value, Between):
        return and_(expr >= to_sqlite(value.low), expr < to_sqlite(value.high))
    if isinstance(value, CustomersWhere | OwnedCustomers):
        return expr.in_(select(Customer.id).where(value.condition()))
    return expr == value


def _ids_by_user_name(
    session: Session,
    model: Any,
    statement: Select,
    via: Any,
    descending: bool,
    limit: int | None = None,
) -> list[str]:
    """All rows sorted by the name of the user `via` points at, without sorting them.

    Joining users and sorting 100,000 rows by name takes half a second; there are few users,
    so reading them in name order and each one's rows along the (via, id) index takes a quarter
    of that. Rows without a user (the public pool) come last either way, like every empty
    value.
    """
    order = (model.id.desc(),) if descending else (model.id,)
    users = select(User.id).order_by(
        *((User.name_sort.desc(), User.id.desc()) if descending else (User.name_sort, User.id))
    )
    # Every reference points at a user this store holds (foreign keys are enforced), so no
    # row is left out by walking the users.
    if limit is not None:
        statement = statement.limit(limit)
    ids: list[str] = []
    for user_id in session.scalars(users):
        if limit is not None and len(ids) >= limit:
            break
        ids.extend(fetch_column(session, statement.where(via == user_id).order_by(*order)))
    if limit is None or len(ids) < limit:
        ids.extend(fetch_column(session, statement.where(via.is_(None)).order_by(*order)))
    return ids if limit is None else ids[:limit]


def fetch_column(session: Session, statement: Select) -> list[Any]:
    """The first column of every row, read straight from the driver.

    For 100,000 ids SQLAlchemy's per-row result processing costs more than the query itself;
    ids are plain text, so nothing is lost by skipping it.
    """
    compiled = statement.compile(
        dialect=session.get_bind().dialect, compile_kwargs={"render_postcompile": True}
    )
    parameters = compiled.construct_params()
    positional = tuple(parameters[name] for name in compiled.positiontup or ())
    cursor = sqlite_connection(session).execute(str(compiled), positional)
    try:
        return [row[0] for row in cursor]
    finally:
        cursor.close()


def fetch_rows(session: Session, spec: TableSpec, ids: Sequence[str]) -> dict[str, tuple]:
    """Raw values of the given rows (in spec column order), by id. Missing ids are left out."""
    if not ids:
        return {}
    model = spec.model
    statement = select(model.id, *(column.expr for column in spec.columns)).where(
        model.id.in_(list(ids))
    )
    statement = _joined(spec, statement)
    return {row[0]: tuple(row[1:]) for row in session.execute(statement)}


# Above every character a name holds: `name < prefix + it` ends the range of names beginning
# with the prefix.
_LAST_CHARACTER = "\U0010ffff"


class FoundCustomer(NamedTuple):
    id: str
    name: str
    # What tells namesakes apart.
    phone: str | None
    address: str | None
    created_at: datetime


def found_customers(
    session: Session, search: str, limit: int, *, pool: bool = True
) -> list[FoundCustomer]:
    """The first `limit` live customers the customers list finds for `search` (a name, its
    pinyin, a phone, any identifier): for choosing one by typing part of what one knows of it.
    Those named exactly so first, then those whose names begin so, then the rest in the list's
    order (pinyin). `pool`: whether customers in the public pool are offered (a rep claims one
    before anything is written about it)."""
    columns = (Customer.id, Customer.name, Customer.phone, Customer.address, Customer.created_at)
    live = [Customer.deleted_at.is_(None)]
    if not pool:
        live.append(Customer.owner_id.is_not(None))
    typed = search.strip()
    # Names that begin so, from the name index: a customer named exactly 华为 is found however
    # many 安徽华为… sort before it by pinyin, where the list's first page would miss it.
    named = (
        select(*columns)
        .where(*live, Customer.name >= typed, Customer.name < typed + _LAST_CHARACTER)
        .order_by(
            (Customer.name == typed).desc(), Customer.name_sort.asc().nulls_last(), Customer.id
        )
        .limit(limit)
    )
    found = [FoundCustomer(*row) for row in session.execute(named)] if typed else []
    listed = select(*columns).where(*live)
    condition = _search_condition(session, CUSTOMERS, search)
    if condition is not None:
        listed = listed.where(condition)
    listed = listed.order_by(Customer.name_sort.asc().nulls_last(), Customer.id).limit(limit)
    seen = {customer.id for customer in found}
    found += [FoundCustomer(*row) for row in session.execute(listed) if row.id not in seen]
    return found[:limit]
