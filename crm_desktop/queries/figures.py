"""The business in figures: what the dashboard draws and the reports print, defined once.

- **Pipeline**: the live opportunities at an open stage (lead to negotiation), whenever they
  are expected to close; a snapshot of now, not of a period.
- **Weighted** amount: an opportunity's amount times its probability, to the nearest fen, per
  opportunity (so a total is the sum of its lines, as printed).
- **Forecast**: the open opportunities expected to close in the period's months, weighted.
- **Won and lost**: opportunities closed (`closed_at`, the user's local month) in the period.
- **Grade mix**: customers per grade with their value, what they paid in the last twelve
  months (queries/money.value_counted, the grading's own measure).
- **Quiet** customers: owned ones whose last follow-up (or, never followed up, their taking
  over, else their entry) is 30, 60 or 90 days old or more.
- **Activity**: queries/work_logs.ACTIVITY_MEASURES per person and local week (from Monday).
- **Renewals** and **receivables**: queries/money's renewal list and overdue money.

Every figure takes `Filters` (whose records, which customers) and, where it is about a span of
time, a `Period` of local days. Each figure also says which list shows the records behind it
(`Drill`): the table and its filters, for a click on a bar.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.orm import Session

from crm_desktop.models.choices import OPEN_STAGES, Grade, Stage
from crm_desktop.models.contracts import add_months
from crm_desktop.models.entities import (
    Customer,
    FollowUp,
    Opportunity,
    Payment,
    User,
)
from crm_desktop.queries.money import RENEWABLE_STATUSES, receivables, renewals, value_counted
from crm_desktop.queries.tables import (
    NO_GRADE,
    QUIET,
    QUIET_SINCE,
    AtMost,
    Between,
    CustomersWhere,
    OneOf,
)
from crm_desktop.queries.work_logs import ACTIVITY_MEASURES
from crm_desktop.storage import pool_due
from crm_desktop.storage.store import sqlite_connection

OPEN = tuple(stage.value for stage in OPEN_STAGES)
QUIET_DAYS = (30, 60, 90)  # the age buckets of quiet customers: 30-59, 60-89, 90 and more
LOSS_REASONS = 5  # the main loss reasons shown
DEFAULT_POOL_WARNING_DAYS = 7  # "returns to the pool soon" on a device without the rules


@dataclass(frozen=True)
class Filters:
    """Whose records and which customers a figure counts."""

    owners: tuple[str, ...] | None = None  # None: every record this device holds
    grade: str | None = None  # "A", "B", "C"; NO_GRADE: customers without a grade
    industry: str | None = None

    @property
    def customers(self) -> CustomersWhere | None:
        """The customer condition for records hanging off customers (None: all of them)."""
        if self.grade is None and self.industry is None:
            return None
        return CustomersWhere(self.grade, self.industry)

    def on_customers(self) -> list[ColumnElement[bool]]:
        wanted = [Customer.deleted_at.is_(None)]
        if self.owners is not None:
            wanted.append(Customer.owner_id.in_(self.owners))
        if self.customers is not None:
            wanted.append(self.customers.condition())
        return wanted

    def on(self, model: Any) -> list[ColumnElement[bool]]:
        """Conditions for live rows of a model with `owner_id` and `customer_id`."""
        wanted = [model.deleted_at.is_(None)]
        if self.owners is not None:
            wanted.append(model.owner_id.in_(self.owners))
        if self.customers is not None:
            wanted.append(
                model.customer_id.in_(select(Customer.id).where(self.customers.condition()))
            )
        return wanted

    def drill(self, customer_key: str | None = "customer_id") -> tuple:
        """The same filters as a list's (ListQuery) filters: on the rows' `owner_id`, and on
        `customer_key` (None: the customers list itself, by its own columns)."""
        filters: list[tuple[str, Any]] = []
        if self.owners is not None:
            filters.append(("owner_id", OneOf(self.owners)))
        if self.customers is not None:
            if customer_key is None:  # the customers list itself
                if self.grade is not None:
                    filters.append(("grade", None if self.grade == NO_GRADE else self.grade))
                if self.industry is not None:
                    filters.append(("industry", self.industry))
            else:
                filters.append((customer_key, self.customers))
        return tuple(filters)


@dataclass(frozen=True)
class Period:
    """Local days, both ends included."""

    start: date
    end: date

    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        first = self.start.replace(day=1)
        months = []
        while first <= self.end:
            months.append(first)
            first = add_months(first, 1)
        return months

    def weeks(self) -> list[date]:
        """The Monday of every week the period touches."""
        monday = self.start - timedelta(days=self.start.weekday())
        return [monday + timedelta(weeks=n) for n in range((self.end - monday).days // 7 + 1)]

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as naive UTC, as times are stored: the first local midnight and the
        one after the last day."""
        return local_midnight_utc(self.start), local_midnight_utc(self.end + timedelta(days=1))

    @classmethod
    def month_of(cls, day: date) -> Period:
        first = day.replace(day=1)
        return cls(first, add_months(first, 1) - timedelta(days=1))

    @classmethod
    def quarter_of(cls, day: date) -> Period:
        first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return cls(first, add_months(first, 3) - timedelta(days=1))

    @classmethod
    def year_of(cls, day: date) -> Period:
        return cls(date(day.year, 1, 1), date(day.year, 12, 31))


def local_midnight_utc(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone(UTC).replace(tzinfo=None)


def _local_shift(when: date) -> str:
    """The SQLite modifier that moves a stored UTC time to the user's clock (the offset in
    force on `when`; China keeps one all year)."""
    offset = datetime.combine(when, time(12)).astimezone().utcoffset() or timedelta()
    return f"{int(offset.total_seconds()):+d} seconds"


def _month_text(day: date) -> str:
    return day.strftime("%Y-%m")


def weighted(amount: Any, probability: Any) -> Any:
    """An amount times a probability in percent, to the nearest fen: for Python's integers
    and as SQL alike (SQLAlchemy writes `//` of integers as SQLite's integer division)."""
    return (amount * probability + 50) // 100


# A list and its filters: what a click on a figure opens.
Drill = tuple[str, tuple[tuple[str, Any], ...]]


# -- pipeline -------------------------------------------------------------------------------


@dataclass(frozen=True)
class StageFigure:
    stage: str
    count: int
    amount: int  # fen
    weighted: int


@dataclass(frozen=True)
class MonthFigure:
    month: date  # its first day
    count: int
    amount: int  # fen
    weighted: int = 0


@dataclass(frozen=True)
class PipelineLine:
    id: str
    title: str
    customer_id: str
    customer: str
    stage: str
    amount: int
    probability: int
    weighted: int
    expected_close: date | None
    owner_id: str | None
    owner: str | None


def _weighted_sum() -> Any:
    return func.coalesce(func.sum(weighted(Opportunity.amount_cents, Opportunity.probability)), 0)


def pipeline_by_stage(session: Session, filters: Filters) -> list[StageFigure]:
    """Every open stage in order, with zeros, on ix_opportunities_live_stage."""
    statement = (
        select(
            Opportunity.stage,
            func.count(),
            func.coalesce(func.sum(Opportunity.amount_cents), 0),
            _weighted_sum(),
        )
        .where(Opportunity.stage.in_(OPEN), *filters.on(Opportunity))
        .group_by(Opportunity.stage)
    )
    found = {
        stage: (count, amount, weight)
        for stage, count, amount, weight in session.execute(statement)
    }
    return [StageFigure(stage, *found.get(stage, (0, 0, 0))) for stage in OPEN]


def pipeline_drill(filters: Filters, stage: str) -> Drill:
    return "opportunities", (("stage", stage), *filters.drill())


def forecast_by_month(session: Session, filters: Filters, period: Period) -> list[MonthFigure]:
    """Open opportunities expected to close in each month of the period, with zeros."""
    month = func.strftime("%Y-%m", Opportunity.expected_close)
    statement = (
        select(
            month,
            func.count(),
            func.coalesce(func.sum(Opportunity.amount_cents), 0),
            _weighted_sum(),
        )
        .where(
            Opportunity.stage.in_(OPEN),
            Opportunity.expected_close >= period.start,
            Opportunity.expected_close <= period.end,
            *filters.on(Opportunity),
        )
        .group_by(month)
    )
    found = {text: row for text, *row in session.execute(statement)}
    return [
        MonthFigure(first, *found.get(_month_text(first), (0, 0, 0))) for first in period.months()
    ]


def month_within(month: date, period: Period) -> tuple[date, date]:
    """The days of a month's bar, [first, after last): the month, within the period (a
    period from the 15th counts, and its bar's list shows, a first month from the 15th on)."""
    return max(month, period.start), min(add_months(month, 1), period.end + timedelta(days=1))


def forecast_drill(filters: Filters, month: date, period: Period) -> Drill:
    return "opportunities", (
        ("stage", OneOf(OPEN)),
        ("expected_close", Between(*month_within(month, period))),
        *filters.drill(),
    )


def open_opportunities(
    session: Session, filters: Filters, period: Period | None = None
) -> list[PipelineLine]:
    """The pipeline's lines: expected to close in the period when given (None: every open
    one), by expected close (undated last), then title."""
    owner = User.__table__.alias("owner")
    statement = (
        select(
            Opportunity.id,
            Opportunity.title,
            Opportunity.customer_id,
            Customer.name,
            Opportunity.stage,
            Opportunity.amount_cents,
            Opportunity.probability,
            weighted(Opportunity.amount_cents, Opportunity.probability),
            Opportunity.expected_close,
            Opportunity.owner_id,
            owner.c.name,
        )
        .join(Customer, Customer.id == Opportunity.customer_id)
        .outerjoin(owner, owner.c.id == Opportunity.owner_id)
        .where(Opportunity.stage.in_(OPEN), *filters.on(Opportunity))
        .order_by(
            Opportunity.expected_close.is_(None),
            Opportunity.expected_close,
            Opportunity.title_sort,
            Opportunity.id,
        )
    )
    if period is not None:
        statement = statement.where(
            Opportunity.expected_close >= period.start, Opportunity.expected_close <= period.end
        )
    return [PipelineLine(*row) for row in session.execute(statement)]


# -- won and lost ---------------------------------------------------------------------------


@dataclass(frozen=True)
class WonLostMonth:
    month: date
    won: int
    won_amount: int
    lost: int
    lost_amount: int


def _closed_in(filters: Filters, period: Period) -> list[ColumnElement[bool]]:
    start, end = period.utc_bounds()
    return [Opportunity.closed_at >= start, Opportunity.closed_at < end, *filters.on(Opportunity)]


def won_lost_by_month(session: Session, filters: Filters, period: Period) -> list[WonLostMonth]:
    """Opportunities won and lost in each local month of the period, with zeros."""
    month = func.strftime("%Y-%m", Opportunity.closed_at, _local_shift(period.start))
    won = Opportunity.stage == Stage.WON.value
    lost = Opportunity.stage == Stage.LOST.value
    statement = (
        select(
            month,
            func.count().filter(won),
            func.coalesce(func.sum(Opportunity.amount_cents).filter(won), 0),
            func.count().filter(lost),
            func.coalesce(func.sum(Opportunity.amount_cents).filter(lost), 0),
        )
        .where(
            Opportunity.stage.in_((Stage.WON.value, Stage.LOST.value)), *_closed_in(filters, period)
        )
        .group_by(month)
    )
    found = {text: row for text, *row in session.execute(statement)}
    return [
        WonLostMonth(first, *found.get(_month_text(first), (0, 0, 0, 0)))
        for first in period.months()
    ]


def won_lost_drill(filters: Filters, month: date, stage: str, period: Period) -> Drill:
    first, after = month_within(month, period)
    return "opportunities", (
        ("stage", stage),
        ("closed_at", Between(local_midnight_utc(first), local_midnight_utc(after))),
        *filters.drill(),
    )


def loss_reasons(
    session: Session, filters: Filters, period: Period, limit: int = LOSS_REASONS
) -> list[tuple[str, int]]:
    """The most given reasons of the period's losses, most often first; "" for losses
    without one. Reasons are compared as typed, without the spaces around them."""
    reason = func.coalesce(func.trim(Opportunity.close_reason), "")
    statement = (
        select(reason, func.count())
        .where(Opportunity.stage == Stage.LOST.value, *_closed_in(filters, period))
        .group_by(reason)
        .order_by(func.count().desc(), reason)
        .limit(limit)
    )
    return [(text, count) for text, count in session.execute(statement)]


# -- grades ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GradeFigure:
    grade: str  # "A", "B", "C" or NO_GRADE
    count: int
    value: int  # fen paid in the last twelve months


GRADES = (*(grade.value for grade in Grade), NO_GRADE)


def grade_mix(session: Session, filters: Filters, today: date) -> list[GradeFigure]:
    """Customers per grade (A, B, C, then those without) and what they paid in the twelve
    months to today: count and share of value."""
    # By the grade itself (not a coalesce of it): SQLite then counts along ix_customers_live_grade.
    counts = dict(
        session.execute(
            select(Customer.grade, func.count())
            .where(*filters.on_customers())
            .group_by(Customer.grade)
        ).all()
    )
    # Each customer's year first (on ix_payments_live_paid, which carries customer and
    # amount), then one look-up per paying customer rather than per payment.
    paid = (
        select(Payment.customer_id, func.sum(Payment.amount_cents).label("value"))
        .where(
            Payment.deleted_at.is_(None),
            value_counted(Payment.paid_on, today),
        )
        .group_by(Payment.customer_id)
        .subquery()
    )
    values = dict(
        session.execute(
            select(Customer.grade, func.sum(paid.c.value))
            .join(Customer, Customer.id == paid.c.customer_id)
            .where(*filters.on_customers())
            .group_by(Customer.grade)
        ).all()
    )
    stored = {grade: None if grade == NO_GRADE else grade for grade in GRADES}
    return [
        GradeFigure(grade, counts.get(stored[grade], 0), int(values.get(stored[grade]) or 0))
        for grade in GRADES
    ]


def grade_drill(filters: Filters, grade: str) -> Drill:
    chosen = Filters(filters.owners, grade, filters.industry)
    return "customers", chosen.drill(customer_key=None)


# -- activity -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityWeek:
    user_id: str
    week: date  # its Monday
    followups: int = 0
    customers_added: int = 0
    tasks_done: int = 0


WEEK_MEASURES = ("followups", "customers_added", "tasks_done")


def activity_by_week(session: Session, people: Sequence[str], period: Period) -> list[ActivityWeek]:
    """Per person (in the order given) and per local week of the period: follow-ups logged,
    customers added and tasks done, weeks without any left out."""
    start, end = period.utc_bounds()
    shift = _local_shift(period.start)
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for key in WEEK_MEASURES:
        measure = ACTIVITY_MEASURES[key]
        # The local day's Monday: SQLite's 'weekday 0' moves on to Sunday, six days back.
        week = func.date(measure.when, shift, "weekday 0", "-6 days")
        statement = (
            select(measure.who, week, func.count())
            .where(*measure.conditions(start, end), measure.who.in_(list(people)))
            .group_by(measure.who, week)
        )
        for person, monday, count in session.execute(statement):
            counts[(person, monday)][key] = count
    order = {person: n for n, person in enumerate(people)}
    return [
        ActivityWeek(person, date.fromisoformat(monday), **found)
        for (person, monday), found in sorted(
            counts.items(), key=lambda i: (order[i[0][0]], i[0][1])
        )
    ]


def activity_drill(session: Session, people: Sequence[str], measure: str, period: Period) -> Drill:
    """The records behind these people's count over the period: the customers they entered
    or followed up, the tasks they finished."""
    start, end = period.utc_bounds()
    who = OneOf(tuple(people))
    if measure == "customers_added":
        return "customers", (("created_by", who), ("created_at", Between(start, end)))
    if measure == "tasks_done":
        return "tasks", (("assignee_id", who), ("done", True), ("done_at", Between(start, end)))
    followed = ACTIVITY_MEASURES["followups"]
    customers = session.scalars(
        select(FollowUp.customer_id)
        .where(*followed.conditions(start, end), followed.who.in_(list(people)))
        .distinct()
    ).all()
    return "customers", (("id", OneOf(tuple(customers))),)


# -- customers left alone -------------------------------------------------------------------


@dataclass(frozen=True)
class QuietFigure:
    owner_id: str
    owner: str
    days_30: int  # quiet 30 to 59 days
    days_60: int  # 60 to 89
    days_90: int  # 90 and more

    @property
    def total(self) -> int:
        return self.days_30 + self.days_60 + self.days_90


def whole_percents(values: Sequence[int]) -> list[int]:
    """Each value's share of their sum in whole percents that add up to 100 (none when the sum
    is 0): the largest remainders get the points that rounding each share alone would lose or
    add (three equal thirds are 34, 33, 33, not 33, 33, 33); of equal remainders, the smaller
    share's first, so that a slice of half a percent is not shown as none."""
    total = sum(values)
    if total <= 0:
        return [0] * len(values)
    exact = [100 * value / total for value in values]
    shares = [int(share) for share in exact]
    by_remainder = sorted(
        range(len(values)), key=lambda at: (shares[at] - exact[at], shares[at], at)
    )
    for at in by_remainder[: 100 - sum(shares)]:
        shares[at] += 1
    return shares


def quiet_customers(session: Session, filters: Filters, now: datetime) -> list[QuietFigure]:
    """Per owner, his customers without a follow-up for 30, 60 or 90 days and more, the most
    neglected owner first. Customers in the public pool have no owner and are not counted."""
    first, second, third = (now - timedelta(days=days) for days in QUIET_DAYS)
    since = QUIET_SINCE
    statement = (
        select(
            Customer.owner_id,
            func.count().filter(and_(since <= first, since > second)),
            func.count().filter(and_(since <= second, since > third)),
            func.count().filter(since <= third),
        )
        .where(Customer.owner_id.is_not(None), since <= first, *filters.on_customers())
        .group_by(Customer.owner_id)
    )
    rows = session.execute(statement).all()
    names = _user_names(session, [row[0] for row in rows])
    figures = [QuietFigure(owner, names.get(owner, ""), *counts) for owner, *counts in rows]
    figures.sort(key=lambda f: (-f.total, f.owner, f.owner_id))
    return figures


def quiet_drill(filters: Filters, owner_id: str, bucket: int, now: datetime) -> Drill:
    """The owner's customers quiet for `bucket` (30, 60 or 90) days: those for 30 are quiet
    less than 60, and so on; 90 has no upper end."""
    # Quiet for N days: QUIET_SINCE <= now - N days, so below the instant after it.
    tick = timedelta(microseconds=1)
    later = {30: 60, 60: 90}.get(bucket)
    low = now - timedelta(days=later) + tick if later else datetime(1, 1, 1)
    return "customers", (
        ("owner_id", owner_id),
        (QUIET, Between(low, now - timedelta(days=bucket) + tick)),
        *Filters(None, filters.grade, filters.industry).drill(customer_key=None),
    )


@dataclass(frozen=True)
class OwnerCount:
    owner_id: str
    owner: str
    count: int
    amount: int = 0  # fen, where the figure is money


def pool_returns_due(
    session: Session, filters: Filters, now: datetime, within: timedelta
) -> list[OwnerCount]:
    """Per owner, his customers that return to the public pool within `within` (or are past
    due: the server returns them at the next sync), most first."""
    statement = (
        select(Customer.owner_id, func.count())
        .where(
            Customer.owner_id.is_not(None),
            Customer.pool_due_at <= now + within,
            *filters.on_customers(),
        )
        .group_by(Customer.owner_id)
    )
    rows = session.execute(statement).all()
    names = _user_names(session, [owner for owner, _ in rows])
    figures = [OwnerCount(owner, names.get(owner, ""), count) for owner, count in rows]
    figures.sort(key=lambda f: (-f.count, f.owner, f.owner_id))
    return figures


def pool_drill(filters: Filters, owner_id: str, now: datetime, within: timedelta) -> Drill:
    return "customers", (
        ("owner_id", owner_id),
        ("pool_due_at", AtMost(now + within)),
        *Filters(None, filters.grade, filters.industry).drill(customer_key=None),
    )


# -- money ----------------------------------------------------------------------------------


def renewals_by_month(session: Session, filters: Filters, period: Period) -> list[MonthFigure]:
    """Contracts of the renewal list (queries/money.renewals) ending in each month of the
    period, with their amounts, zeros included."""
    lines = renewals(session, period.start, period.end)
    kept = _customers_kept(session, filters, {line.customer_id for line in lines})
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for line in lines:
        if (filters.owners is None or line.owner_id in filters.owners) and line.customer_id in kept:
            figure = found[_month_text(line.end_on)]
            figure[0] += 1
            figure[1] += line.amount
    return [MonthFigure(first, *found.get(_month_text(first), (0, 0))) for first in period.months()]


def renewals_drill(filters: Filters, month: date, period: Period) -> Drill:
    return "contracts", (
        ("status", OneOf(RENEWABLE_STATUSES)),
        ("end_on", Between(*month_within(month, period))),
        *filters.drill(),
    )


def receivables_by_owner(session: Session, filters: Filters, today: date) -> list[OwnerCount]:
    """Per owner of the customers, money overdue (queries/money.receivables) and how many
    customers owe it, most first. Customers in the pool count under no owner ("")."""
    lines = receivables(session, today, filters.owners)
    kept = _customers_kept(session, filters, {line.customer_id for line in lines})
    totals: dict[str, list[Any]] = {}
    for line in lines:
        if line.customer_id not in kept:
            continue
        figure = totals.setdefault(line.owner_id or "", [line.owner or "", 0, 0])
        figure[1] += 1
        figure[2] += line.overdue
    figures = [
        OwnerCount(owner, name, count, amount) for owner, (name, count, amount) in totals.items()
    ]
    figures.sort(key=lambda f: (-f.amount, f.owner, f.owner_id))
    return figures


def receivables_drill(session: Session, filters: Filters, owner_id: str, today: date) -> Drill:
    """The customers of one owner ("" for the pool's) with money overdue."""
    owners = (owner_id,) if owner_id else None
    lines = receivables(session, today, owners)
    kept = _customers_kept(session, filters, {line.customer_id for line in lines})
    ids = tuple(
        line.customer_id
        for line in lines
        if line.customer_id in kept and (line.owner_id or "") == owner_id
    )
    return "customers", (("id", OneOf(ids)),)


# -- shared ---------------------------------------------------------------------------------


def _customers_kept(session: Session, filters: Filters, ids: Iterable[str]) -> set[str]:
    """Which of these customers the filters' grade and industry keep."""
    wanted = set(ids)
    if filters.customers is None or not wanted:
        return wanted
    kept: set[str] = set()
    listed = list(wanted)
    for start in range(0, len(listed), 500):
        kept.update(
            session.scalars(
                select(Customer.id).where(
                    Customer.id.in_(listed[start : start + 500]), filters.customers.condition()
                )
            )
        )
    return kept


def _user_names(session: Session, ids: Sequence[str]) -> dict[str, str]:
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(list(ids)))).all())


def industries(session: Session) -> list[str]:
    """The industries the customers name, for the dashboard's filter."""
    return list(
        session.scalars(
            select(Customer.industry)
            .where(
                Customer.deleted_at.is_(None),
                Customer.industry.is_not(None),
                Customer.industry != "",
            )
            .distinct()
            .order_by(Customer.industry)
        )
    )


@dataclass(frozen=True)
class DashboardAsk:
    """What a dashboard shows: whose records, which period, whose activity (id, name), as of
    when (naive UTC)."""

    filters: Filters
    period: Period
    people: tuple[tuple[str, str], ...]
    now: datetime

    @property
    def today(self) -> date:
        """The user's own calendar day."""
        return self.now.replace(tzinfo=UTC).astimezone().date()


# The dashboard's parts, each read as a job of its own so the cheap ones draw at once.
PARTS = (
    "pipeline",
    "forecast",
    "won_lost",
    "pool_returns",
    "renewals",
    "activity",
    "quiet",
    "grades",
    "receivables",
)


# What each part reads (entities, as changes name them): a change re-reads only its parts.
# Nearly every write names its customer too (a child's write touches it), so "customers" is
# left to the parts that count customers themselves; the others take a customer's new owner
# at their next whole reading (the page shown again, a sync, another period or person).
_OPPORTUNITIES = frozenset({"opportunities", "users"})
_CUSTOMERS = frozenset({"customers", "followups", "users"})
PART_SOURCES: dict[str, frozenset[str]] = {
    "pipeline": _OPPORTUNITIES,
    "forecast": _OPPORTUNITIES,
    "won_lost": _OPPORTUNITIES,
    "pool_returns": _CUSTOMERS,
    "renewals": frozenset({"contracts", "users"}),
    "activity": frozenset({"followups", "customers", "tasks", "users"}),
    "quiet": _CUSTOMERS,
    "grades": frozenset({"customers", "payments"}),
    "receivables": frozenset({"contracts", "contract_instalments", "payments", "users"}),
}


def dashboard_part(session: Session, ask: DashboardAsk, part: str) -> Any:
    """One part of the dashboard: the figures its chart draws."""
    filters, period = ask.filters, ask.period
    if part == "pipeline":
        return pipeline_by_stage(session, filters)
    if part == "forecast":
        return forecast_by_month(session, filters, period)
    if part == "won_lost":
        return won_lost_by_month(session, filters, period), loss_reasons(session, filters, period)
    if part == "grades":
        return grade_mix(session, filters, ask.today)
    if part == "activity":
        return activity_by_week(session, [person for person, _ in ask.people], period)
    if part == "quiet":
        return quiet_customers(session, filters, ask.now)
    if part == "pool_returns":
        # The rules' warning days (a week on a device that never read them).
        days = pool_due.warning_days(sqlite_connection(session)) or DEFAULT_POOL_WARNING_DAYS
        return days, pool_returns_due(session, filters, ask.now, timedelta(days=days))
    if part == "renewals":
        return renewals_by_month(session, filters, period)
    if part == "receivables":
        return receivables_by_owner(session, filters, ask.today)
    raise KeyError(part)


def dashboard(session: Session, ask: DashboardAsk) -> dict[str, Any]:
    """Every part at once (the reports and the tests; the window reads them one by one)."""
    return {part: dashboard_part(session, ask, part) for part in PARTS}
