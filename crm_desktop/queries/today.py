"""What a rep has to do today, read from his own store (so it is right offline too).

Today lists, for one user: unread notes from colleagues and comments on his recent work logs;
his open tasks whose reminder time has come; his open tasks that
are overdue or due by the end of his day; his customers whose next step (the latest
follow-up's) is due and not yet taken by a later follow-up; his customers that return to the
public pool within the rules' warning days; his running contracts ending within RENEWAL_DAYS
(or already past their end) whose renewal is not settled. Each part holds its first `LIMIT`
lines, soonest first, and how many there are in all: a rep back from a month away sees what
matters first and how much waits, not ten thousand lines.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from crm_desktop.models.choices import ContractStatus, RenewalStatus
from crm_desktop.models.dates import is_late, local_date
from crm_desktop.models.entities import (
    COMMENTS_READ_KEY,
    Contract,
    Customer,
    FollowUp,
    LocalSetting,
    Note,
    Task,
    User,
    WorkLog,
    WorkLogComment,
    listed_ids,
)
from crm_desktop.queries.calendar import planned_step, step_taken
from crm_desktop.storage import pool_due
from crm_desktop.storage.store import sqlite_connection

LIMIT = 100  # lines shown per part
COMMENT_DAYS = 7  # comments on one's work log stay on Today this long
RENEWAL_DAYS = 30  # a contract shows on Today this long before it ends
# Renewal statuses still waiting for the rep: renewed or not renewing is settled.
UNSETTLED = (RenewalStatus.UNDECIDED.value, RenewalStatus.RENEWING.value)


@dataclass(frozen=True)
class TodayLine:
    kind: str  # "task", "next_step" or "pool_return"
    entity: str  # the record the line opens and acts on: "tasks" or "customers"
    id: str
    # The task's title, a next step's promised words (or its customer's name when there are
    # none), a customer's name when it returns to the pool.
    title: str
    when: datetime | None  # due, next step, or return to the pool (naive UTC)
    overdue: bool
    customer_id: str | None = None
    customer_name: str | None = None
    by: str | None = None  # who sent the note or wrote the comment
    log_day: date | None = None  # a comment's: the day of the work log it is on
    planned_by: str | None = None  # a next step's: the follow-up that planned it, if one did

    def about(self) -> str | None:
        """The customer the line is for, when its title does not already say so."""
        return self.customer_name if self.customer_name != self.title else None

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "entity": self.entity,
            "id": self.id,
            "title": self.title,
            "when": self._when_json(),
            "overdue": self.overdue,
            "customer_id": self.customer_id,
            "customer_name": self.customer_name,
            "by": self.by,
            "log_day": self.log_day.isoformat() if self.log_day else None,
        }

    def _when_json(self) -> str | None:
        """A renewal's day as a date ("2026-12-31"); any other time as UTC ("…Z")."""
        if self.when is None:
            return None
        if self.kind == "renewal":
            return self.when.date().isoformat()
        return self.when.isoformat() + "Z"


@dataclass(frozen=True)
class TodayPart:
    lines: list[TodayLine] = field(default_factory=list)
    total: int = 0  # all there are; `lines` holds the first LIMIT


@dataclass(frozen=True)
class Today:
    tasks: TodayPart
    next_steps: TodayPart
    returning: TodayPart
    warning_days: int | None  # None: no pool rules on this device
    reminders: TodayPart = field(default_factory=TodayPart)  # tasks whose reminder time came
    notes: TodayPart = field(default_factory=TodayPart)  # unread notes from colleagues
    comments: TodayPart = field(default_factory=TodayPart)  # on the user's recent work logs
    renewals: TodayPart = field(default_factory=TodayPart)  # his contracts ending soon
    # Tasks both reminded of and due: a line in each part, one thing to do.
    reminded_and_due: int = 0

    @property
    def count(self) -> int:
        """Things to do: each record once, though a task may be on two lines."""
        return sum(part.total for part in self.parts()) - self.reminded_and_due

    def parts(self) -> list[TodayPart]:
        return [
            self.notes,
            self.comments,
            self.reminders,
            self.tasks,
            self.next_steps,
            self.returning,
            self.renewals,
        ]


def today(session: Session, user_id: str, now: datetime, day_ends: datetime) -> Today:
    """`now` and `day_ends` (the end of the user's local day) are naive UTC, as stored."""
    warning = pool_due.warning_days(sqlite_connection(session))
    return Today(
        notes=_notes(session, user_id),
        comments=_comments(session, user_id, now),
        reminders=_reminders(session, user_id, now),
        tasks=_tasks(session, user_id, now, day_ends),
        next_steps=_next_steps(session, user_id, now, day_ends),
        returning=_returning(session, user_id, now, warning),
        warning_days=warning,
        renewals=_renewals(session, user_id, now),
        reminded_and_due=_reminded_and_due(session, user_id, now, day_ends),
    )


def _part(
    session: Session, statement: Select, make: Any, counted: Select | None = None
) -> TodayPart:
    """The first LIMIT lines of `statement`, and how many there are (counted on `counted`,
    when given: the same rows without columns that cost a lookup each)."""
    counting = (counted if counted is not None else statement).subquery()
    total = session.scalar(select(func.count()).select_from(counting)) or 0
    lines = [make(row) for row in session.execute(statement.limit(LIMIT))]
    return TodayPart(lines, total)


def _tasks(session: Session, user_id: str, now: datetime, day_ends: datetime) -> TodayPart:
    statement = (
        select(Task.id, Task.title, Task.due_at, Task.customer_id, Customer.name)
        .outerjoin(Customer, Customer.id == Task.customer_id)
        .where(*_open_tasks(user_id), Task.due_at < day_ends)
        .order_by(Task.due_at, Task.id)
    )
    return _part(
        session,
        statement,
        lambda row: TodayLine(
            "task", "tasks", row[0], row[1], row[2], is_late(row[2], now), row[3], row[4]
        ),
    )


def _open_tasks(user_id: str) -> tuple[Any, ...]:
    return (Task.assignee_id == user_id, Task.deleted_at.is_(None), Task.done.is_(False))


def _reminded_and_due(session: Session, user_id: str, now: datetime, day_ends: datetime) -> int:
    """The tasks on both the reminders and the tasks due (_reminders and _tasks)."""
    both = (*_open_tasks(user_id), Task.remind_at <= now, Task.due_at < day_ends)
    return session.scalar(select(func.count()).select_from(Task).where(*both)) or 0


def _notes(session: Session, user_id: str) -> TodayPart:
    statement = (
        select(Note.id, Note.text, Note.created_at, User.name, Note.customer_id, Customer.name)
        .outerjoin(User, User.id == Note.sender_id)
        .outerjoin(Customer, and_(Customer.id == Note.customer_id, Customer.deleted_at.is_(None)))
        .where(Note.recipient_id == user_id, Note.read_at.is_(None), Note.deleted_at.is_(None))
        .order_by(Note.created_at, Note.id)
    )

    def line(row: Any) -> TodayLine:
        note_id, text, sent, sender, customer_id, customer_name = row
        # A note about a customer this device does not hold, or one deleted since, still
        # arrives; it opens nothing (a deleted customer's page offers nothing to do).
        about = customer_id if customer_name is not None else None
        return TodayLine("note", "notes", note_id, text, sent, False, about, customer_name, sender)

    return _part(session, statement, line)


def _comments(session: Session, user_id: str, now: datetime) -> TodayPart:
    """Others' comments on the user's work logs of the last COMMENT_DAYS days, but those he
    read (opened, or marked read) on this device."""
    statement = (
        select(
            WorkLogComment.id,
            WorkLogComment.text,
            WorkLogComment.created_at,
            User.name,
            WorkLog.day,
        )
        .join(WorkLog, WorkLog.id == WorkLogComment.log_id)
        .outerjoin(User, User.id == WorkLogComment.author_id)
        .where(
            WorkLog.author_id == user_id,
            WorkLogComment.author_id != user_id,
            WorkLogComment.deleted_at.is_(None),
            WorkLog.deleted_at.is_(None),
            WorkLogComment.created_at >= now - timedelta(days=COMMENT_DAYS),
            WorkLogComment.id.not_in(_comments_read(session)),
        )
        .order_by(WorkLogComment.created_at.desc(), WorkLogComment.id)
    )

    def line(row: Any) -> TodayLine:
        comment_id, text, made, author, day = row
        return TodayLine(
            "comment", "work_log_comments", comment_id, text, made, False, by=author, log_day=day
        )

    return _part(session, statement, line)


def _comments_read(session: Session) -> list[str]:
    """The comments the user marked read on this device (COMMENTS_READ_KEY)."""
    stored = session.get(LocalSetting, COMMENTS_READ_KEY)
    return listed_ids(stored.value if stored else None)


def _reminders(session: Session, user_id: str, now: datetime) -> TodayPart:
    statement = (
        select(Task.id, Task.title, Task.remind_at, Task.customer_id, Customer.name)
        .outerjoin(Customer, Customer.id == Task.customer_id)
        .where(*_open_tasks(user_id), Task.remind_at <= now)
        .order_by(Task.remind_at, Task.id)
    )

    def line(row: Any) -> TodayLine:
        task_id, title, at, customer_id, customer_name = row
        return TodayLine("reminder", "tasks", task_id, title, at, False, customer_id, customer_name)

    return _part(session, statement, line)


def _next_steps(session: Session, user_id: str, now: datetime, day_ends: datetime) -> TodayPart:
    """Each line says the step the follow-up that planned it promised (its customer beside
    it), or, for a date typed on the customer itself, the customer's name."""
    due = (
        select(Customer.id, Customer.name, Customer.next_followup_at)
        .where(
            Customer.owner_id == user_id,
            Customer.deleted_at.is_(None),
            Customer.next_followup_at < day_ends,
            ~step_taken(),
        )
        .order_by(Customer.next_followup_at, Customer.id)
    )
    planned = planned_step()
    statement = due.add_columns(
        planned.with_only_columns(FollowUp.id).scalar_subquery(),
        planned.with_only_columns(FollowUp.next_step).scalar_subquery(),
    )
    return _part(session, statement, partial(_step_line, now=now), counted=due)


def _step_line(row: Any, now: datetime) -> TodayLine:
    customer_id, name, when, planned_by, step = row
    line = _customer_line("next_step", (customer_id, name, when), now)
    return replace(line, title=(step or "").strip() or name, planned_by=planned_by)


def _returning(session: Session, user_id: str, now: datetime, warning: int | None) -> TodayPart:
    if warning is None:
        return TodayPart()
    statement = (
        select(Customer.id, Customer.name, Customer.pool_due_at)
        .where(
            Customer.owner_id == user_id,
            Customer.deleted_at.is_(None),
            Customer.pool_due_at <= now + timedelta(days=warning),
        )
        .order_by(Customer.pool_due_at, Customer.id)
    )
    return _part(session, statement, lambda row: _customer_line("pool_return", row, now))


def _renewals(session: Session, user_id: str, now: datetime) -> TodayPart:
    """`now` is UTC; the days are the user's own."""
    today = local_date(now)
    statement = (
        select(Contract.id, Contract.number, Contract.end_on, Contract.customer_id, Customer.name)
        .join(Customer, Customer.id == Contract.customer_id)
        .where(
            Contract.owner_id == user_id,
            Contract.deleted_at.is_(None),
            Contract.status == ContractStatus.ACTIVE.value,
            Contract.renewal_status.in_(UNSETTLED),
            Contract.end_on <= today + timedelta(days=RENEWAL_DAYS),
        )
        .order_by(Contract.end_on, Contract.id)
    )

    def line(row: Any) -> TodayLine:
        contract_id, number, end_on, customer_id, customer_name = row
        # A day, not a moment: kept at midnight and shown as the date it is (no time zone).
        ends = datetime.combine(end_on, time())
        return TodayLine(
            "renewal",
            "contracts",
            contract_id,
            number,
            ends,
            end_on < today,
            customer_id,
            customer_name,
        )

    return _part(session, statement, line)


def _customer_line(kind: str, row: Any, now: datetime) -> TodayLine:
    customer_id, name, when = row
    # A next step may be a day without a time; a return to the pool is a moment.
    late = is_late(when, now) if kind == "next_step" else when < now
    return TodayLine(kind, "customers", customer_id, name, when, late, customer_id, name)
