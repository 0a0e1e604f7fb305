"""Realistic sample records, made fast: rows are plain dicts from a seeded `random.Random`, written
with bulk Core inserts in one transaction rather than one ORM object (and outbox entry) per row.

Demo data is local sample data and writes NO outbox entries, so it never syncs to a server.
Derived columns (a customer's `search_text`, `last_followup_at`, `next_followup_at`, each
identifier's `value_key`, an opportunity's amount from its quote lines, the sort keys of names
and titles) are computed with the same functions the writer uses, so the demo rows are
indistinguishable from rows typed in by hand.

About a fifth of the customers have contracts (from their won deal where they have one): sales,
services, yearly policies and memberships, some renewed term after term, some ended, some ending
soon; most with a plan of instalments summing to the amount exactly, most instalments paid around
their due date, some overdue. A few customers paid on account, without a contract.

Times are those of an office on the user's clock (the machine's time zone, as the app shows
them), stored as naive UTC like every time the app writes: things happen between 09:00 and
18:00, and tasks and next steps fall on a working day, at :00 or :30 or on the day alone
(stored at its local midnight, as models/dates.is_day_only reads it).
"""

from __future__ import annotations

import multiprocessing
import os
import random
import uuid
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, insert, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session
from sqlalchemy.sql import sqltypes

from crm_desktop.demo import words
from crm_desktop.grading.local import grade_changes
from crm_desktop.models.base import utcnow
from crm_desktop.models.choices import (
    CLOSED_STAGES,
    ContractKind,
    ContractStatus,
    CustomerKind,
    FollowUpKind,
    Grade,
    IdentifierKind,
    PaymentMethod,
    Priority,
    RenewalStatus,
    Role,
    Stage,
)
from crm_desktop.models.contracts import add_months, next_term
from crm_desktop.models.dates import local_to_utc
from crm_desktop.models.entities import (
    CUSTOMER_CHILDREN,
    ENTITIES,
    SORT_KEYS,
    SORTED_BY_CUSTOMER,
    Product,
    User,
    sort_keys_of,
)
from crm_desktop.models.identifiers import CREDIT_CODE_CHARS, credit_code_check, id_card_check
from crm_desktop.models.money import line_total_cents
from crm_desktop.models.search_keys import identifier_key, search_key, search_text_of
from crm_desktop.profile import Profile
from crm_desktop.storage import search_index
from crm_desktop.storage.bulk import bulk_load
from crm_desktop.storage.store import sqlite_connection
from crm_desktop.storage.values import in_lists

# Rows per bulk insert: big enough that SQLite's executemany dominates, small enough to keep
# memory flat for 100,000 customers.
CUSTOMERS_PER_BATCH = 5000
# Below these sizes worker processes and index rebuilds cost more than they save.
PARALLEL_FROM_BATCHES = 4
BULK_LOAD_FROM = 20_000

# Extra sales reps the demo adds so ownership is spread like in a real team: (login, name).
DEMO_REPS = (
    ("demo.zhangwei", "张伟"),
    ("demo.lina", "李娜"),
    ("demo.chenjie", "陈杰"),
    ("demo.emily", "Emily Carter"),
)

MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
    "155", "156", "157", "158", "159", "166", "177", "180", "181", "182", "185", "186",
    "187", "188", "189", "198", "199",
)  # fmt: skip

STAGE_PROBABILITY = {
    Stage.LEAD: 10,
    Stage.QUALIFIED: 25,
    Stage.PROPOSAL: 50,
    Stage.NEGOTIATION: 75,
    Stage.WON: 100,
    Stage.LOST: 0,
}
STAGES = tuple(Stage)

# Quote lines: most at the list price, some at a whole percentage off, a few at a price agreed
# apart (the rep typed another unit price).
DISCOUNTED_LINES = 0.3
DISCOUNTS = (5, 5, 10, 10, 10, 15, 20, 25)
AGREED_PRICE_LINES = 0.1

# Contracts: of the customers with a deal won in the last CONTRACT_DAYS, this share signed one
# for it; of the rest, this share has one anyway (an old customer, a policy bought over the
# phone). Together about a fifth of all customers.
WON_CONTRACT_SHARE = 0.85
OTHER_CONTRACT_SHARE = 0.16
# Every payment falls in the last two years: the first term of a contract starts no earlier.
CONTRACT_DAYS = 700
CONTRACT_KINDS = tuple(ContractKind)
CONTRACT_KIND_WEIGHTS = (30, 25, 25, 15, 5)  # sale, service, policy, membership, other
# A deal won becomes a sale or a service contract.
WON_KINDS = (ContractKind.SALE, ContractKind.SALE, ContractKind.SERVICE)
TERM_MONTHS = {
    ContractKind.SALE: (6, 12),
    ContractKind.SERVICE: (12, 12, 24),
    ContractKind.POLICY: (12,),  # a policy runs a year, then is renewed or lapses
    ContractKind.MEMBERSHIP: (12,),
    ContractKind.OTHER: (6, 12, 24),
}
# Yuan, from-to, of a contract not made from a deal.
AMOUNT_YUAN = {
    ContractKind.SALE: (5_000, 200_000),
    ContractKind.SERVICE: (6_000, 60_000),
    ContractKind.POLICY: (800, 20_000),
    ContractKind.MEMBERSHIP: (500, 5_000),
    ContractKind.OTHER: (1_000, 20_000),
}
RENEWS = {  # the chance an ended term is followed by another
    ContractKind.SALE: 0.2,
    ContractKind.SERVICE: 0.6,
    ContractKind.POLICY: 0.7,
    ContractKind.MEMBERSHIP: 0.6,
    ContractKind.OTHER: 0.3,
}
NUMBER_PREFIXES = {
    ContractKind.SALE: "HT",  # 合同
    ContractKind.SERVICE: "FW",  # 服务
    ContractKind.POLICY: "BD",  # 保单
    ContractKind.MEMBERSHIP: "HY",  # 会员
    ContractKind.OTHER: "QT",  # 其他
}
RENEWAL_WINDOW_DAYS = 90  # a term ending this soon has a renewal decision under way
TERMINATED_SHARE = 0.03
PLANNED_SHARE = 0.75  # contracts with a plan of instalments; the rest fall due whole on signing
INSTALMENT_COUNTS = (1, 2, 3, 4, 6, 12)
INSTALMENT_WEIGHTS = (20, 15, 10, 25, 10, 20)
DEPOSIT_PERCENT = 30
# How a customer pays: on time, on time until he stops, or always weeks late.
PAYERS = ("prompt", "stops", "late")
PAYER_WEIGHTS = (78, 14, 8)
SPLIT_PAYMENTS = 0.05  # an instalment paid in two transfers
ON_ACCOUNT_SHARE = 0.02  # customers who paid something without a contract
METHODS = tuple(PaymentMethod)
METHOD_WEIGHTS = (55, 8, 7, 15, 10, 3, 2)  # transfer, cash, card, wechat, alipay, cheque, other
GRADE_FIXED_SHARE = 0.01
EXTERNAL_REF_SHARE = 0.6  # of customers with a contract: known to the finance system
# The office's day on the user's clock, in minutes after midnight: 09:00 to 18:00. The demo is
# made as it opens, so nothing of today's office hours has happened yet.
OFFICE_OPENS, OFFICE_MINUTES = 9 * 60, 9 * 60
SLOTS = 17  # what is arranged for a time: 09:00, 09:30, … 17:00
DAY_ONLY_TASKS = 0.3  # tasks due on a day, at no time of it
DAY_ONLY_NEXT_STEPS = 0.4

_MINUTES = tuple(timedelta(minutes=minute) for minute in range(24 * 60))  # made once: _utc
_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O on Chinese plates


def demo_phone_keys(e164: str | None) -> list[str]:
    """`phone_search_keys` of a number this module made, without phonenumbers' parsing.

    Every demo number is +86: a mobile's national form is its 11 digits, a landline's has the
    trunk 0 in front. tests/demo checks this against phone_search_keys for every number made.
    """
    if not e164:
        return []
    digits = e164[1:]
    if len(digits) == 13 and digits[2] == "1":
        return [digits, digits[2:]]
    return [digits, "0" + digits[2:]]


@dataclass
class DemoCounts:
    """How many rows of each table the demo added."""

    rows: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, count: int) -> None:
        self.rows[table] = self.rows.get(table, 0) + count

    def summary(self) -> str:
        order = (
            ("customers", "customers"),
            ("contacts", "contacts"),
            ("opportunities", "opportunities"),
            ("tasks", "tasks"),
            ("followups", "followups"),
            ("contracts", "contracts"),
            ("contract_instalments", "instalments"),
            ("payments", "payments"),
            ("products", "products"),
        )
        parts = [f"{self.rows.get(table, 0):,} {name}" for table, name in order]
        return "Added demo data: " + ", ".join(parts) + "."


def make_demo(
    profile: Profile,
    customers: int,
    seed: int = 1,
    today: date | None = None,
    *,
    batch_size: int = CUSTOMERS_PER_BATCH,
    workers: int | None = None,
) -> DemoCounts:
    """Add `customers` customers with their contacts, deals, tasks and follow-ups to a profile.

    The same seed gives the same records whatever `workers` is (on one time zone); dates are
    relative to `today` (the user's, by default) so overdue tasks and upcoming follow-ups stay
    meaningful whenever the demo is made. Large demos make their rows in worker processes
    (started with this one's time zone) while this one inserts them.
    """
    today = today or date.today()
    batches = (customers + batch_size - 1) // batch_size
    if workers is None:
        # As many workers as cores: the inserting process mostly waits on SQLite.
        workers = min(os.cpu_count() or 1, 4) if batches >= PARALLEL_FROM_BATCHES else 0
    counts = DemoCounts()
    with profile.store.write() as session:
        owners = _ensure_reps(session, profile.user_id, today, counts)
        products = _ensure_products(session, profile.user_id, today, counts)
        plans = [
            _BatchPlan(
                seed=f"crm-demo:{seed}:{index}",
                index=index,
                customers=min(batch_size, customers - index * batch_size),
                today=today,
                made_at=utcnow().replace(second=0, microsecond=0),
                owners=owners,
                products=products,
            )
            for index in range(batches)
        ]
        searchable: list[tuple[str, str]] = []
        with bulk_load(session, _INSERT_ORDER, enabled=customers >= BULK_LOAD_FROM):
            for batch in _made(plans, workers):
                connection = session.connection()
                for table_name, rows in batch.items():
                    if rows:
                        connection.exec_driver_sql(_INSERT_SQL[table_name], rows)
                        counts.add(table_name, len(rows))
                searchable.extend(
                    (row[_CUSTOMER_ID], row[_SEARCH_TEXT]) for row in batch["customers"]
                )
        # One sorted load of the full-text index for all new customers (see search_index).
        search_index.add_customers(session, searchable)
        _grade_by_value(session, today, {customer_id for customer_id, _ in searchable})
    return counts


def _grade_by_value(session: Session, today: date, made: set[str]) -> None:
    """The demo's customers graded by what they paid, as a profile without a server grades
    its customers (grading.local): a grade drawn at random would put customers that paid
    little in "A (top 5%)". Like the demo's other rows, written without outbox entries; the
    profile's own customers are left to its daily grading."""
    by_grade: dict[str, list[str]] = {}
    for customer_id, _old, new in grade_changes(session, today):
        if customer_id in made:
            by_grade.setdefault(new, []).append(customer_id)
    driver = sqlite_connection(session)
    for grade, ids in by_grade.items():
        for part, marks in in_lists(ids):
            driver.execute(f"UPDATE customers SET grade = ? WHERE id IN ({marks})", [grade, *part])


@dataclass(frozen=True)
class _BatchPlan:
    """Everything one batch of customers is made from, small enough to send to a worker."""

    seed: str
    index: int  # the batch's place in the demo: contract numbers and finance keys carry it
    customers: int
    today: date
    made_at: datetime  # naive UTC: nothing made happens after it
    owners: list[str]
    products: list[tuple[str, int]]


Batch = dict[str, list[tuple[Any, ...]]]


def _make_batch(plan: _BatchPlan) -> Batch:
    """One plan's rows per table, as DBAPI parameter tuples in the table's column order."""
    maker = _RowMaker(
        _FastRandom(plan.seed),
        plan.today,
        plan.owners,
        plan.products,
        serial=plan.index,
        made_at=plan.made_at,
    )
    for _ in range(plan.customers):
        maker.customer()
    batch: Batch = {}
    customer_sort: dict[str, str | None] = {}
    # Customers come first (_INSERT_ORDER): the other tables' rows carry their sort key.
    for table_name, rows in maker.rows.items():
        # Inserting in key order keeps SQLite's primary-key index writes local; a contract goes
        # in after the one it renews (an earlier start), which its foreign key needs.
        rows.sort(key=_CONTRACT_ORDER if table_name == "contracts" else itemgetter("id"))
        if table_name in SORT_KEYS:  # names' and titles' sort keys, as the writer sets them
            for row in rows:
                row.update(sort_keys_of(table_name, row))
        if table_name == "customers":
            customer_sort = {row["id"]: row["name_sort"] for row in rows}
        elif table_name in SORTED_BY_CUSTOMER:  # as the store's triggers keep it
            for row in rows:
                row["customer_sort"] = customer_sort.get(row["customer_id"])
        batch[table_name] = [_parameters(table_name, row) for row in rows]
    return batch


def _datetime_text(value: datetime) -> str:
    return value.isoformat(" ", "microseconds")


def _date_text(value: date) -> str:
    return value.isoformat()


# The text SQLAlchemy's SQLite DateTime and Date store ("2026-01-05 09:30:00.000000",
# "2026-01-05"), made by C code instead of its Python formatting: most of a row's conversion.
# tests/demo checks they agree with SQLAlchemy's for every such column.
_FAST_PROCESSORS: dict[type, Callable[[Any], Any]] = {
    sqltypes.DateTime: _datetime_text,
    sqltypes.Date: _date_text,
}


def _bind_processors(table: Table) -> list[tuple[str, Callable[[Any], Any] | None]]:
    """Each column's key with SQLAlchemy's own SQLite conversion for it (datetimes to text)."""
    return [
        (column.key, column.type.dialect_impl(_DIALECT).bind_processor(_DIALECT))
        for column in table.columns
    ]


def _converter(table: Table) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """A row's parameters in column order, each as SQLAlchemy would convert it."""
    get = itemgetter(*(column.key for column in table.columns))
    converted = [
        (at, _FAST_PROCESSORS.get(type(column.type), process))
        for at, (column, (_, process)) in enumerate(
            zip(table.columns, _bind_processors(table), strict=True)
        )
        if process is not None
    ]

    def convert(row: dict[str, Any]) -> tuple[Any, ...]:
        values = list(get(row))
        for at, process in converted:
            value = values[at]
            if value is not None:
                values[at] = process(value)
        return tuple(values)

    return convert


def _parameters(table_name: str, row: dict[str, Any]) -> tuple[Any, ...]:
    # SQLAlchemy would apply these same conversions inside session.execute(insert(...), rows),
    # but on the inserting process, where they took three quarters of the insert time; here
    # they run in the workers.
    return _CONVERTERS[table_name](row)


def _made(plans: list[_BatchPlan], workers: int) -> Iterator[Batch]:
    """Each plan's rows, in order; made in `workers` processes, or here when it is 0."""
    if workers <= 0:
        yield from map(_make_batch, plans)
        return
    # "spawn" rather than fork: the parent holds an open SQLite connection and Qt state.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        pending: deque[Future[Batch]] = deque()
        for plan in plans:
            pending.append(pool.submit(_make_batch, plan))
            # A bounded queue: workers run ahead of the inserts, but not by the whole demo.
            if len(pending) > 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def _table(entity: str) -> Table:
    table = ENTITIES[entity].__table__
    assert isinstance(table, Table)
    return table


def _audit(row_id: str, at: datetime, by: str) -> dict[str, Any]:
    return {
        "id": row_id,
        "created_at": at,
        "created_by": by,
        "updated_at": at,
        "updated_by": by,
        "deleted_at": None,
    }


def _ensure_reps(session: Session, user_id: str, today: date, counts: DemoCounts) -> list[str]:
    """The profile's own user plus the demo reps (added once, reused on a second run)."""
    logins = [login for login, _ in DEMO_REPS]
    existing = dict(
        session.execute(select(User.login, User.id).where(User.login.in_(logins))).all()
    )
    # Ids made from the login, so the same demo makes the same rows on every machine.
    stamp = datetime.combine(today, time()) - timedelta(days=1200)
    new_rows = [
        {
            **_audit(str(uuid.uuid5(uuid.NAMESPACE_DNS, login)), stamp, user_id),
            "login": login,
            "name": name,
            "role": Role.REP.value,
            "manager_id": user_id,
            "active": True,
        }
        for login, name in DEMO_REPS
        if login not in existing
    ]
    if new_rows:
        session.execute(insert(_table("users")), new_rows)
        counts.add("users", len(new_rows))
    ids = dict(session.execute(select(User.login, User.id).where(User.login.in_(logins))).all())
    return [user_id, *(ids[login] for login in logins)]


def _ensure_products(
    session: Session, user_id: str, today: date, counts: DemoCounts
) -> list[tuple[str, int]]:
    """The demo price list as (product id, list price in fen)."""
    codes = [code for code, *_ in words.PRODUCTS]
    existing = set(session.scalars(select(Product.code).where(Product.code.in_(codes))))
    stamp = datetime.combine(today, time()) - timedelta(days=1100)
    new_rows = [
        {
            **_audit(
                str(uuid.uuid5(uuid.NAMESPACE_URL, f"crm-demo-product:{code}")), stamp, user_id
            ),
            "code": code,
            "name": name,
            "unit": unit,
            "list_price_cents": price * 100,
            "active": True,
        }
        for code, name, unit, price in words.PRODUCTS
        if code not in existing
    ]
    if new_rows:
        session.execute(insert(_table("products")), new_rows)
        counts.add("products", len(new_rows))
    rows = session.execute(
        select(Product.id, Product.list_price_cents).where(Product.code.in_(codes))
    ).all()
    return sorted((row[0], row[1]) for row in rows)


class _FastRandom(random.Random):
    """`choice` and `randrange` without rejection sampling: a few times faster, still seeded.

    The tiny bias of scaling `random()` does not matter for sample data.
    """

    def choice(self, seq: Sequence[Any]) -> Any:
        return seq[int(self.random() * len(seq))]

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        assert step == 1, "only unit steps are used here"
        if stop is None:
            start, stop = 0, start
        return start + int(self.random() * (stop - start))


class _RowMaker:
    """Makes one customer's whole subtree at a time, as rows ready for a bulk insert."""

    def __init__(
        self,
        rng: random.Random,
        today: date,
        owners: list[str],
        products: list[tuple[str, int]],
        serial: int = 0,
        made_at: datetime | None = None,
    ) -> None:
        self.rng = rng
        self.today = today
        # A day's midnight on the user's clock, in UTC, for times in office hours by the
        # offset of its noon (_utc), and as it is (_day_only).
        self._day_starts: dict[date, datetime] = {}
        self._midnights: dict[date, datetime] = {}
        # The demo's "now": the day's office opening, or the moment it is made when that is
        # earlier (a demo made at six has no follow-up of nine o'clock yet).
        self.now = self._utc(today, OFFICE_OPENS)
        if made_at is not None:
            self.now = min(self.now, made_at)
        self.owners = owners
        # The language of what the rep writes about the customer being made.
        self.phrases = words.CHINESE
        self.products = products
        # Parents first: the tables are inserted in this order, and foreign keys are on.
        self.rows: dict[str, list[dict[str, Any]]] = {name: [] for name in _INSERT_ORDER}
        # Contract numbers and finance keys: unique within the demo, as the server wants them,
        # by the batch's number and a counter (never more than 10**5 a batch).
        self.serial = serial
        self.counter = 0

    # -- small random helpers ----------------------------------------------------------------

    def _id(self) -> str:
        """A version-4 UUID from the seeded generator (uuid.uuid4 can't be seeded)."""
        digits = f"{self.rng.getrandbits(128):032x}"
        variant = "89ab"[int(digits[16], 16) & 3]
        return (
            f"{digits[:8]}-{digits[8:12]}-4{digits[13:16]}-{variant}{digits[17:20]}-{digits[20:]}"
        )

    def _chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def _mobile(self) -> str:
        return f"+86{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10**8):08d}"

    def _landline(self, area_code: str) -> str:
        # Subscriber numbers starting 5-7 are valid in every demo city (8xx can be special).
        return f"+86{area_code}{self.rng.randint(5, 7)}{self.rng.randrange(10**7):07d}"

    def _utc(self, day: date, minutes: int) -> datetime:
        """`minutes` after midnight of `day` on the user's clock, as naive UTC as stored (by
        the offset of the day's noon: clocks change at night, outside office hours)."""
        start = self._day_starts.get(day)
        if start is None:
            noon = datetime.combine(day, time(12)).astimezone().utcoffset() or timedelta()
            start = self._day_starts[day] = datetime.combine(day, time()) - noon
        return start + _MINUTES[minutes]

    def _day_only(self, day: date) -> datetime:
        """`day` without a time: its local midnight in UTC, which reads back as a day alone."""
        midnight = self._midnights.get(day)
        if midnight is None:
            midnight = self._midnights[day] = local_to_utc(datetime.combine(day, time()))
        return midnight

    def _office_time(self, day: date) -> datetime:
        """A moment of `day`'s office hours, to the minute: when something happened."""
        return self._utc(day, OFFICE_OPENS + self.rng.randrange(OFFICE_MINUTES))

    @staticmethod
    def _working_day(day: date) -> date:
        """`day`, or the Monday after it when it is a Saturday or a Sunday."""
        weekday = day.weekday()
        return day + timedelta(days=7 - weekday) if weekday >= 5 else day

    def _arranged(self, day: date, day_only_share: float) -> datetime:
        """When something is arranged for on the working day `day`: the day alone, or a time
        on the hour or the half hour in office hours."""
        if self._chance(day_only_share):
            return self._day_only(day)
        return self._utc(day, OFFICE_OPENS + 30 * self.rng.randrange(SLOTS))

    def _unique(self) -> str:
        """A number no other row of this demo has: the batch's, then a counter."""
        self.counter += 1
        assert self.counter < 10**5, "a batch makes fewer than 100,000 numbered rows"
        return f"{self.serial:03d}{self.counter:05d}"

    def _at(self, day: date, not_before: datetime) -> datetime:
        """A time on `day` in office hours, never before `not_before` nor after now."""
        return min(max(self._office_time(day), not_before), self.now)

    # -- one customer ------------------------------------------------------------------------

    def customer(self) -> None:
        rng = self.rng
        customer_id = self._id()
        owner = rng.choice(self.owners)
        # Over a month ago: before any of its tasks (due from a month ago on).
        created_day = self.today - timedelta(days=rng.randrange(31, 1095))
        created = self._office_time(created_day)
        city = rng.choice(words.CITIES)
        chinese = self._chance(0.8)
        self.phrases = words.CHINESE if chinese else words.ENGLISH
        company = self._chance(0.75)
        if company:
            name, short_name, domain, industry = self._company_name(chinese, city)
            email = f"{rng.choice(('info', 'sales', 'service', 'hr'))}@{domain}"
            phone = self._landline(city[3]) if self._chance(0.5) else self._mobile()
            website = f"www.{domain}" if self._chance(0.4) else None
        else:
            name, latin = self._person_name(chinese)
            short_name, industry = None, None
            email = (
                f"{latin}{rng.randrange(1, 1000)}@{rng.choice(('qq.com', '163.com', 'gmail.com'))}"
            )
            phone = self._mobile()
            website = None
        email = email if self._chance(0.75) else None
        grade_roll = rng.random()
        grade = Grade.A if grade_roll < 0.05 else Grade.B if grade_roll < 0.20 else Grade.C
        identifiers = self._identifiers(customer_id, company, city, created, owner)
        contacts = self._contacts(customer_id, name if not company else None, city, created, owner)
        won = self._opportunities(
            customer_id, name, short_name, contacts, created, created_day, owner
        )
        has_contracts = self._contracts(customer_id, won, created, created_day, owner)
        if self._chance(ON_ACCOUNT_SHARE):
            self._on_account(customer_id, created, created_day, owner)
        grade_fixed = self._chance(GRADE_FIXED_SHARE)
        external_ref = (
            f"KH{self._unique()}" if has_contracts and self._chance(EXTERNAL_REF_SHARE) else None
        )
        self._tasks(customer_id, name, created, owner)
        last_followup, next_followup = self._followups(
            customer_id, contacts, created, created_day, owner
        )
        phone2 = self._mobile() if self._chance(0.25) else None
        search_text = search_text_of(
            name,
            short_name,
            email,
            [phone, phone2],
            [(c["name"], c["email"], c["phone"], c["mobile"]) for c in contacts],
            [row["value"] for row in identifiers],
            phone_keys=demo_phone_keys,  # phonenumbers' parsing would take half the time
        )
        self.rows["customers"].append(
            {
                **_audit(customer_id, created, owner),
                "name": name,
                "short_name": short_name,
                "kind": (CustomerKind.COMPANY if company else CustomerKind.PERSON).value,
                "grade": grade.value,
                "industry": industry,
                "source": rng.choice(words.SOURCES),
                "address": self._address(chinese, city),
                "phone": phone,
                "phone2": phone2,
                "email": email,
                "website": website,
                "notes": rng.choice(self.phrases.notes) if self._chance(0.2) else None,
                "owner_id": owner,
                "last_followup_at": last_followup,
                "next_followup_at": next_followup,
                # The server dates ownership and returns (migration 0009): not on it yet.
                "owned_since": None,
                "pool_locked": False,
                "grade_fixed": grade_fixed,
                "grade_note": (
                    rng.choice(self.phrases.grade_notes[grade.value]) if grade_fixed else None
                ),
                "external_ref": external_ref,
                "merged_into_id": None,
                "pool_due_at": None,
                "search_text": search_text,
                "search_key": search_key(customer_id),
            }
        )

    def _company_name(self, chinese: bool, city: tuple) -> tuple[str, str, str, str]:
        """(name, short name, email domain, industry), e.g. 深圳市华强电子有限公司."""
        rng = self.rng
        brand, pinyin = rng.choice(words.BRANDS)
        trade, industry, english_trade = rng.choice(words.TRADES)
        if chinese:
            name = f"{city[1]}{brand}{trade}{rng.choice(words.COMPANY_FORMS)}"
            return name, f"{brand}{trade}", f"{pinyin}{rng.randrange(100)}.com.cn", industry
        english = rng.choice(words.ENGLISH_BRANDS)
        name = f"{english} {english_trade} {rng.choice(words.ENGLISH_FORMS)}"
        domain = f"{english.lower().replace(' ', '')}{rng.randrange(100)}.com"
        return name, english, domain, industry

    def _person_name(self, chinese: bool) -> tuple[str, str]:
        """(name, latin letters for an email address), e.g. 张伟 / zhangwei."""
        rng = self.rng
        if chinese:
            surname, surname_pinyin = rng.choice(words.SURNAMES)
            given, given_pinyin = rng.choice(words.GIVEN_NAMES)
            return surname + given, surname_pinyin + given_pinyin
        first, last = rng.choice(words.FIRST_NAMES), rng.choice(words.LAST_NAMES)
        return f"{first} {last}", f"{first}.{last}".lower()

    def _address(self, chinese: bool, city: tuple) -> str | None:
        rng = self.rng
        if not self._chance(0.85):
            return None
        if not chinese:
            return rng.choice(words.ENGLISH_ADDRESSES).format(n=rng.randrange(1, 999))
        province, city_name, _, _, districts, _ = city
        return (
            f"{province}{city_name}{rng.choice(districts)}{rng.choice(words.ROADS)}"
            f"{rng.randrange(1, 3000)}号"
        )

    def _identifiers(
        self, customer_id: str, company: bool, city: tuple, created: datetime, owner: str
    ) -> list[dict[str, Any]]:
        rng = self.rng
        if not self._chance(0.35):
            return []
        city_code = words.CITY_ID_CODES[words.CITIES.index(city)]
        makers: list[tuple[IdentifierKind, Callable[[], str]]] = [
            (
                IdentifierKind.TAX_NUMBER if company else IdentifierKind.ID_CARD,
                (lambda: self._credit_code(city_code))
                if company
                else lambda: self._id_card(city_code),
            ),
            (IdentifierKind.LICENCE_PLATE, lambda: self._plate(city[5])),
            (
                IdentifierKind.POLICY_NUMBER,
                lambda: f"PDAA{rng.randrange(2019, 2026)}{city_code}{rng.randrange(10**6):06d}",
            ),
            (IdentifierKind.MEMBER_NUMBER, lambda: f"VIP{rng.randrange(10**8):08d}"),
        ]
        chosen = [makers[0], *rng.sample(makers[1:], rng.randrange(0, 3))]
        rows = []
        for kind, make in chosen:
            value = make()
            rows.append(
                {
                    **_audit(self._id(), created, owner),
                    "customer_id": customer_id,
                    "kind": kind.value,
                    "value": value,
                    "value_key": identifier_key(value),
                }
            )
        # Rows go in in id order, and the writer reads a customer's identifiers in that order.
        rows.sort(key=itemgetter("id"))
        self.rows["customer_identifiers"].extend(rows)
        return rows

    def _credit_code(self, city_code: str) -> str:
        """An 18-character unified social credit code with a correct check character."""
        body = "91" + city_code + "".join(self.rng.choices(CREDIT_CODE_CHARS, k=9))
        return body + credit_code_check(body)

    def _id_card(self, city_code: str) -> str:
        """An 18-digit resident ID number with a correct check digit."""
        born = date(1960, 1, 1) + timedelta(days=self.rng.randrange(365 * 45))
        body = f"{city_code}{born:%Y%m%d}{self.rng.randrange(1000):03d}"
        return body + id_card_check(body)

    def _plate(self, prefix: str) -> str:
        rng = self.rng
        tail = [str(rng.randrange(10)) for _ in range(5)]
        if self._chance(0.4):
            tail[rng.randrange(5)] = rng.choice(_PLATE_LETTERS)
        return prefix + "".join(tail)

    def _contacts(
        self,
        customer_id: str,
        person_name: str | None,
        city: tuple,
        created: datetime,
        owner: str,
    ) -> list[dict[str, Any]]:
        rng = self.rng
        rows = []
        for index in range(1 if self._chance(0.55) else 2):
            chinese = self._chance(0.85)
            name, latin = self._person_name(chinese)
            if person_name is not None and index == 0:
                name = person_name  # a private customer is usually their own first contact
            rows.append(
                {
                    **_audit(self._id(), created, owner),
                    "customer_id": customer_id,
                    "name": name,
                    "title": rng.choice(self.phrases.job_titles) if person_name is None else None,
                    "phone": self._landline(city[3]) if self._chance(0.2) else None,
                    "mobile": self._mobile() if self._chance(0.9) else None,
                    "email": f"{latin}@{rng.choice(('qq.com', '163.com', 'outlook.com'))}"
                    if self._chance(0.6)
                    else None,
                    "messaging_id": f"wxid_{rng.getrandbits(40):010x}"
                    if self._chance(0.4)
                    else None,
                    "notes": None,
                    "merged_into_id": None,
                }
            )
        # The writer reads a customer's contacts in id order when it builds the search text.
        rows.sort(key=itemgetter("id"))
        self.rows["contacts"].extend(rows)
        return rows

    def _opportunities(
        self,
        customer_id: str,
        name: str,
        short_name: str | None,
        contacts: list[dict[str, Any]],
        created: datetime,
        created_day: date,
        owner: str,
    ) -> list[tuple[str, int, date]]:
        """Add the customer's deals with their quote lines; returns the won ones as
        (id, amount in fen, the day won)."""
        rng = self.rng
        won: list[tuple[str, int, date]] = []
        count = rng.choices((0, 1, 2), weights=(55, 35, 10))[0]
        for _ in range(count):
            opportunity_id = self._id()
            stage = rng.choice(STAGES)
            opened_day = created_day + timedelta(days=rng.randrange(20))
            opened = max(self._office_time(opened_day), created)
            amount = 0
            for product_id, price in rng.sample(self.products, rng.randint(1, 3)):
                quantity = float(rng.choice((1, 1, 2, 3, 5, 10)))
                unit_price, discount = price, 0
                roll = rng.random()
                if roll < DISCOUNTED_LINES:
                    discount = rng.choice(DISCOUNTS)
                elif roll < DISCOUNTED_LINES + AGREED_PRICE_LINES:
                    unit_price = price * rng.choice((80, 85, 90, 95)) // 100
                # The writer's sum of the lines, so a line edited later keeps the total right.
                amount += line_total_cents(quantity, unit_price, discount)
                self.rows["opportunity_lines"].append(
                    {
                        **_audit(self._id(), opened, owner),
                        "opportunity_id": opportunity_id,
                        "customer_id": customer_id,
                        "product_id": product_id,
                        "quantity": quantity,
                        "unit_price_cents": unit_price,
                        "discount_percent": discount,
                    }
                )
            closed = stage in CLOSED_STAGES
            closed_at, closed_day = None, self.today + timedelta(days=rng.randrange(7, 120))
            if closed:  # the day it closed, or today at the latest (then as the office opens)
                closed_day = min(opened_day + timedelta(days=rng.randrange(5, 90)), self.today)
                closed_at = min(self._office_time(closed_day), self.now)
            reasons = words.WON_REASONS if stage is Stage.WON else words.LOST_REASONS
            self.rows["opportunities"].append(
                {
                    **_audit(opportunity_id, opened, owner),
                    "customer_id": customer_id,
                    "contact_id": rng.choice(contacts)["id"],
                    "title": rng.choice(self.phrases.opportunity_titles).format(
                        brand=short_name or name
                    ),
                    "stage": stage.value,
                    "amount_cents": amount,
                    "expected_close": closed_day,
                    "probability": STAGE_PROBABILITY[stage],
                    "owner_id": owner,
                    "close_reason": rng.choice(reasons) if closed else None,
                    "closed_at": closed_at,
                    "notes": None,
                }
            )
            if stage is Stage.WON:
                won.append((opportunity_id, amount, closed_day))
        return won

    def _contracts(
        self,
        customer_id: str,
        won: list[tuple[str, int, date]],
        created: datetime,
        created_day: date,
        owner: str,
    ) -> bool:
        """Add the customer's contracts, if it has any: one term, or several when renewed, each
        with its plan and payments. Returns whether it has any."""
        rng = self.rng
        earliest = max(created_day, self.today - timedelta(days=CONTRACT_DAYS))
        recent = [deal for deal in won if deal[2] >= earliest]
        if recent and self._chance(WON_CONTRACT_SHARE):
            opportunity_id, amount, won_on = recent[0]
            kind = rng.choice(WON_KINDS)
            start = won_on + timedelta(days=rng.randrange(15))
        elif self._chance(OTHER_CONTRACT_SHARE):
            opportunity_id = None
            kind = rng.choices(CONTRACT_KINDS, weights=CONTRACT_KIND_WEIGHTS)[0]
            low, high = AMOUNT_YUAN[kind]
            # Policies and memberships are priced to the fen; the rest in whole yuan.
            to_the_fen = kind in (ContractKind.POLICY, ContractKind.MEMBERSHIP)
            amount = rng.randrange(low, high) * 100 + (rng.randrange(100) if to_the_fen else 0)
            start = earliest + timedelta(days=rng.randrange((self.today - earliest).days + 31))
        else:
            return False
        payer = rng.choices(PAYERS, weights=PAYER_WEIGHTS)[0]
        method = rng.choices(METHODS, weights=METHOD_WEIGHTS)[0]
        months = rng.choice(TERM_MONTHS[kind])
        end = add_months(start, months) - timedelta(days=1)
        previous: str | None = None
        while True:
            contract_id = self._id()
            renewed = end < self.today and self._chance(RENEWS[kind])
            status, renewal, note = self._contract_state(start, end, renewed)
            if status is ContractStatus.TERMINATED:
                # Stopped early, on a day of its term gone by: the rest of its plan never falls due.
                end = start + timedelta(days=rng.randrange((min(end, self.today) - start).days + 1))
            signed = self._at(start - timedelta(days=rng.randrange(10)), created)
            self.rows["contracts"].append(
                {
                    **_audit(contract_id, signed, owner),
                    "number": f"{NUMBER_PREFIXES[kind]}-{start:%Y%m%d}-{self._unique()}",
                    "customer_id": customer_id,
                    "opportunity_id": opportunity_id,
                    "kind": kind.value,
                    "start_on": start,
                    "end_on": end,
                    "amount_cents": amount,
                    "status": status.value,
                    "renewal_status": renewal.value,
                    "renewal_note": note,
                    "renewed_from_id": previous,
                    "owner_id": owner,
                    "external_ref": None,
                    "notes": None,
                }
            )
            if status is not ContractStatus.DRAFT:
                plan = self._plan(contract_id, customer_id, start, months, amount, signed, owner)
                # A customer who renewed had paid the term up.
                paying = "prompt" if renewed and payer == "stops" else payer
                owed = [instalment for instalment in plan if instalment[0] <= end]
                self._payments(contract_id, customer_id, owed, paying, method, signed, owner)
            elif self._chance(0.5):  # a draft's plan is proposed, nothing of it due yet
                self._plan(contract_id, customer_id, start, months, amount, signed, owner)
            if renewal is RenewalStatus.RENEWING and self._chance(0.5):
                # The next term is drawn up already: a draft that renews this one.
                renewed = True
            if not renewed:
                return True
            previous, opportunity_id = contract_id, None
            start, end = next_term(start, end)
            # A renewal's price moves a little (5 % less to 10 % more), rounded down to the fen.
            amount = amount * rng.choice((95, 100, 100, 105, 110)) // 100

    def _contract_state(
        self, start: date, end: date, renewed: bool
    ) -> tuple[ContractStatus, RenewalStatus, str | None]:
        """(status, renewal status, renewal note) of a term from `start` to `end`."""
        rng = self.rng
        if start > self.today:
            return ContractStatus.DRAFT, RenewalStatus.UNDECIDED, None
        if renewed:
            return ContractStatus.ENDED, RenewalStatus.RENEWED, None
        if self._chance(TERMINATED_SHARE):
            note = rng.choice(self.phrases.termination_notes)
            return ContractStatus.TERMINATED, RenewalStatus.NOT_RENEWING, note
        if end < self.today:
            # Lapsed: some said no, of others nobody asked.
            renewal = rng.choices(
                (RenewalStatus.NOT_RENEWING, RenewalStatus.UNDECIDED), weights=(60, 40)
            )[0]
            note = rng.choice(self.phrases.renewal_notes) if self._chance(0.3) else None
            return ContractStatus.ENDED, renewal, note
        if (end - self.today).days <= RENEWAL_WINDOW_DAYS:
            renewal = rng.choices(
                (RenewalStatus.UNDECIDED, RenewalStatus.RENEWING, RenewalStatus.NOT_RENEWING),
                weights=(45, 35, 20),
            )[0]
            note = rng.choice(self.phrases.renewal_notes) if self._chance(0.5) else None
            return ContractStatus.ACTIVE, renewal, note
        return ContractStatus.ACTIVE, RenewalStatus.UNDECIDED, None

    def _plan(
        self,
        contract_id: str,
        customer_id: str,
        start: date,
        months: int,
        amount: int,
        signed: datetime,
        owner: str,
    ) -> list[tuple[date, int]]:
        """Add a plan of instalments (most contracts have one) summing to `amount` exactly,
        spread over the term; returns what falls due when: the plan, or the whole amount on
        the start date."""
        rng = self.rng
        if not self._chance(PLANNED_SHARE):
            return [(start, amount)]
        count = min(rng.choices(INSTALMENT_COUNTS, weights=INSTALMENT_WEIGHTS)[0], months)
        if count >= 3 and self._chance(0.3):
            # A deposit, then equal parts; the last takes what division leaves.
            deposit = amount * DEPOSIT_PERCENT // 100
            part = (amount - deposit) // (count - 1)
            amounts = [deposit, *[part] * (count - 2), amount - deposit - part * (count - 2)]
            notes = [self.phrases.deposit_note, *[None] * (count - 2), self.phrases.final_note]
        else:
            # Equal parts; the first takes the fen division leaves.
            part = amount // count
            amounts = [amount - part * (count - 1), *[part] * (count - 1)]
            notes = [None] * count
        plan = []
        for number, (part_amount, note) in enumerate(zip(amounts, notes, strict=True)):
            due = add_months(start, months * number // count)
            plan.append((due, part_amount))
            self.rows["contract_instalments"].append(
                {
                    **_audit(self._id(), signed, owner),
                    "contract_id": contract_id,
                    "customer_id": customer_id,
                    "due_on": due,
                    "amount_cents": part_amount,
                    "note": note,
                }
            )
        return plan

    def _payments(
        self,
        contract_id: str,
        customer_id: str,
        plan: list[tuple[date, int]],
        payer: str,
        method: PaymentMethod,
        signed: datetime,
        owner: str,
    ) -> None:
        """Pay what fell due as this customer pays: a prompt payer around the due date, a late
        one weeks after it, and one who stops leaves the rest unpaid (overdue)."""
        rng = self.rng
        stops_at = rng.randrange(len(plan)) if payer == "stops" else len(plan)
        for number, (due, amount) in enumerate(plan):
            if number >= stops_at:
                return
            delay = rng.randrange(15, 60) if payer == "late" else rng.randrange(-3, 10)
            paid_on = due + timedelta(days=delay)
            if paid_on > self.today:
                return  # not paid yet: overdue if it fell due already
            parts = [amount]
            if amount >= 200 and self._chance(SPLIT_PAYMENTS):
                first = amount // 2 + rng.randrange(amount // 4)
                parts = [first, amount - first]
            for offset, part in enumerate(parts):
                day = min(paid_on + timedelta(days=offset * rng.randrange(1, 8)), self.today)
                self._payment(customer_id, contract_id, day, part, method, signed, owner)

    def _on_account(
        self, customer_id: str, created: datetime, created_day: date, owner: str
    ) -> None:
        """A payment or two without a contract: an advance, a deposit, a service fee."""
        rng = self.rng
        earliest = max(created_day, self.today - timedelta(days=CONTRACT_DAYS))
        for _ in range(rng.randint(1, 2)):
            day = earliest + timedelta(days=rng.randrange((self.today - earliest).days + 1))
            amount = rng.randrange(200, 5000) * 100
            method = rng.choices(METHODS, weights=METHOD_WEIGHTS)[0]
            note = rng.choice(self.phrases.payment_notes)
            self._payment(customer_id, None, day, amount, method, created, owner, note)

    def _payment(
        self,
        customer_id: str,
        contract_id: str | None,
        day: date,
        amount: int,
        method: PaymentMethod,
        not_before: datetime,
        owner: str,
        note: str | None = None,
    ) -> None:
        rng = self.rng
        # Mostly the customer's usual way of paying; now and then another.
        if self._chance(0.15):
            method = rng.choices(METHODS, weights=METHOD_WEIGHTS)[0]
        self.rows["payments"].append(
            {
                **_audit(self._id(), self._at(day, not_before), owner),
                "customer_id": customer_id,
                "contract_id": contract_id,
                "paid_on": day,
                "amount_cents": amount,
                "method": method.value,
                "reference": self._payment_reference(method, day),
                "external_ref": None,
                "notes": note,
            }
        )

    def _payment_reference(self, method: PaymentMethod, day: date) -> str | None:
        """What the bank or the app calls the payment, as a clerk copies it."""
        rng = self.rng
        if method is PaymentMethod.TRANSFER:
            return f"{day:%Y%m%d}{rng.randrange(10**10):010d}"
        if method is PaymentMethod.WECHAT:
            return f"4200{rng.randrange(10**6):06d}{day:%Y%m%d}{rng.randrange(10**10):010d}"
        if method is PaymentMethod.ALIPAY:
            return f"{day:%Y%m%d}2200{rng.randrange(10**16):016d}"
        if method is PaymentMethod.CHEQUE:
            return f"{rng.randrange(10**8):08d}"
        if method is PaymentMethod.CARD:
            # The slip's reference number (参考号), one per payment: the card's masked number
            # would name every payment of one card alike.
            return f"{day:%m%d}{rng.randrange(10**8):08d}"
        return None

    def _tasks(self, customer_id: str, name: str, created: datetime, owner: str) -> None:
        rng = self.rng
        count = rng.choices((0, 1, 2), weights=(60, 30, 10))[0]
        for _ in range(count):
            # From a month overdue to a month ahead; roughly half of the past ones are done,
            # on their day or the one before.
            day = self._working_day(self.today + timedelta(days=rng.randrange(-30, 30)))
            due = self._arranged(day, DAY_ONLY_TASKS)
            done = due < self.now and self._chance(0.55)
            done_at = None
            if done:
                done_day = day - timedelta(days=rng.randrange(2))
                done_at = min(self._office_time(done_day), self.now)
            self.rows["tasks"].append(
                {
                    **_audit(self._id(), min(created, due), owner),
                    "title": rng.choice(self.phrases.task_titles).format(name=name),
                    "due_at": due,
                    "assignee_id": owner,
                    "priority": rng.choices(tuple(Priority), weights=(2, 6, 2))[0].value,
                    "done": done,
                    "done_at": done_at,
                    "remind_at": None,
                    "customer_id": customer_id,
                    "opportunity_id": None,
                    "notes": None,
                }
            )

    def _followups(
        self,
        customer_id: str,
        contacts: list[dict[str, Any]],
        created: datetime,
        created_day: date,
        owner: str,
    ) -> tuple[datetime | None, datetime | None]:
        """Add the customer's follow-ups, on days of their own since it was entered; returns
        (last follow-up, next follow-up) as the writer derives them, logging them in turn: the
        latest one's time, and the next step of the latest one that planned one (a follow-up
        that plans nothing keeps the step planned before)."""
        rng = self.rng
        count = rng.choices((0, 1, 2, 3, 4), weights=(20, 25, 25, 18, 12))[0]
        days = sorted(rng.sample(range((self.today - created_day).days + 1), count))
        phrases = self.phrases
        last: dict[str, Any] | None = None
        planned: datetime | None = None
        for offset in days:
            day = created_day + timedelta(days=offset)
            happened = min(max(self._office_time(day), created), self.now)
            next_step = rng.choice(phrases.next_steps) if self._chance(0.5) else None
            row = {
                **_audit(self._id(), happened, owner),
                "customer_id": customer_id,
                "contact_id": rng.choice(contacts)["id"],
                "kind": rng.choice(tuple(FollowUpKind)).value,
                "happened_at": happened,
                "text": rng.choice(phrases.followup_texts),
                "promise": rng.choice(phrases.promises) if self._chance(0.3) else None,
                "next_step": next_step,
                "next_step_at": self._arranged(
                    self._working_day(day + timedelta(days=rng.randrange(1, 21))),
                    DAY_ONLY_NEXT_STEPS,
                )
                if next_step
                else None,
            }
            self.rows["followups"].append(row)
            last = row
            planned = row["next_step_at"] or planned
        if last is None:
            return None, None
        return last["happened_at"], planned


_INSERT_ORDER = ("customers", *CUSTOMER_CHILDREN)

_DIALECT = sqlite.dialect()
_INSERT_SQL = {name: str(insert(_table(name)).compile(dialect=_DIALECT)) for name in _INSERT_ORDER}
_CONVERTERS = {name: _converter(_table(name)) for name in _INSERT_ORDER}
_CONTRACT_ORDER = itemgetter("start_on", "id")
_CUSTOMER_ID = _table("customers").columns.keys().index("id")
_SEARCH_TEXT = _table("customers").columns.keys().index("search_text")
