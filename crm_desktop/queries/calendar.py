"""What the calendar shows for some people over some time: their tasks and planned next steps.

Two kinds of item:

- a **task** assigned to one of the people (`tasks.assignee_id`) whose `due_at` falls in the
  range, done or not;
- a customer's **next step**, on the customers one of the people owns (`customers.owner_id`):
  the customer's planned next follow-up (`customers.next_followup_at`), with the text of the
  follow-up that planned it (`followups.next_step` of the latest follow-up whose `next_step_at`
  it is; none when the date was typed on the customer itself). This is the writer's own idea
  of what is planned: a follow-up logged with a next step (a text, a date or both) replaces the
  one planned before; one logged without keeps it; deleting the follow-up that planned it takes
  it away. So a customer has one next step at a time, and an earlier step that a later one
  replaced is not shown. A follow-up has no owner or assignee of its own, and whoever logged it
  (a colleague, a clerk, the manager on a visit) the next step is the customer's owner's to
  take; a customer handed over takes its next step with it. A next step counts as done once a
  follow-up is logged on its day or later (`last_followup_at`), other than the one that
  planned it: a call that plans a step for later today, or for today as a day (00:00), has not
  taken it, and a later call that day has (`step_taken`).

An item is overdue when it is not done and its time has passed (models.dates.is_late: a day
given without a time passes at its end). Times are naive UTC, as stored;
the range is half-open, [start, end).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import UnaryExpression
from sqlalchemy.sql.operators import custom_op

from crm_desktop.models.base import utcnow
from crm_desktop.models.dates import is_late
from crm_desktop.models.entities import Customer, FollowUp, Task

TASK = "task"
NEXT_STEP = "next_step"


@dataclass(frozen=True)
class CalendarItem:
    kind: str  # TASK or NEXT_STEP
    # The task's id, or the follow-up's that planned the next step (None: its date was typed
    # on the customer).
    id: str | None
    title: str  # the task's title, or the next step's text ("" when only a date was given)
    when: datetime  # naive UTC, as stored
    customer_id: str | None
    customer_name: str | None
    person_id: str | None  # whose it is: the task's assignee, the customer's owner
    done: bool
    overdue: bool


def calendar_items(
    session: Session,
    owner_ids: Sequence[str],
    start: datetime,
    end: datetime,
    now: datetime | None = None,
) -> list[CalendarItem]:
    """The people's tasks and next steps in [start, end), in time order."""
    owners = list(dict.fromkeys(owner_ids))
    if not owners or start >= end:
        return []
    now = now or utcnow()
    items = [
        *_tasks(session, owners, start, end, now),
        *_next_steps(session, owners, start, end, now),
    ]
    return sorted(items, key=lambda item: (item.when, item.kind, item.id or ""))


def _tasks(
    session: Session, owners: list[str], start: datetime, end: datetime, now: datetime
) -> list[CalendarItem]:
    # The range walks ix_tasks_live_due (due_at, id, customer_id, title; live rows); the
    # assignee and done flag are read from each row in range (a week: about 6,000 tasks at
    # 100,000 customers, everyone's).
    statement = (
        select(
            Task.id,
            Task.title,
            Task.due_at,
            Task.customer_id,
            Customer.name,
            Task.assignee_id,
            Task.done,
        )
        .outerjoin(Customer, Customer.id == Task.customer_id)
        .where(
            Task.deleted_at.is_(None),
            Task.due_at >= start,
            Task.due_at < end,
            _unindexed(Task.__table__.c.assignee_id).in_(owners),
        )
    )
    return [
        CalendarItem(
            kind=TASK,
            id=row_id,
            title=title,
            when=due,
            customer_id=customer_id,
            customer_name=customer_name,
            person_id=assignee,
            done=bool(done),
            overdue=not done and is_late(due, now),
        )
        for row_id, title, due, customer_id, customer_name, assignee, done in session.execute(
            statement
        )
    ]


def _next_steps(
    session: Session, owners: list[str], start: datetime, end: datetime, now: datetime
) -> list[CalendarItem]:
    # The range walks ix_customers_live_next_followup (next_followup_at, id, search_key; live
    # rows), the owner is read from each customer in range; the step's text is found on
    # ix_followups_live_customer_time. (There is no index on followups.next_step_at: reading
    # every follow-up's next step would scan the whole table.)
    planned = planned_step()
    statement = select(
        Customer.id,
        Customer.name,
        Customer.owner_id,
        Customer.next_followup_at,
        planned.with_only_columns(FollowUp.id).scalar_subquery(),
        planned.with_only_columns(FollowUp.next_step).scalar_subquery(),
        step_taken(),
    ).where(
        Customer.deleted_at.is_(None),
        Customer.next_followup_at >= start,
        Customer.next_followup_at < end,
        _unindexed(Customer.__table__.c.owner_id).in_(owners),
    )
    items = []
    for customer_id, name, owner, when, followup_id, text, taken in session.execute(statement):
        done = bool(taken)
        items.append(
            CalendarItem(
                kind=NEXT_STEP,
                id=followup_id,
                title=(text or "").strip(),
                when=when,
                customer_id=customer_id,
                customer_name=name,
                person_id=owner,
                done=done,
                overdue=not done and is_late(when, now),
            )
        )
    return items


def planned_step() -> Select:
    """The follow-up that planned its customer's next step (the latest whose `next_step_at`
    the customer's `next_followup_at` is), correlated to the customer of an outer statement:
    take its `id` or `next_step` with `with_only_columns(...).scalar_subquery()`."""
    return (
        select(FollowUp.id, FollowUp.next_step)
        .where(
            FollowUp.customer_id == Customer.id,
            FollowUp.deleted_at.is_(None),
            FollowUp.next_step_at == Customer.next_followup_at,
        )
        .order_by(FollowUp.happened_at.desc())
        .limit(1)
        .correlate(Customer)
    )


def step_taken() -> ColumnElement[bool]:
    """Whether a follow-up took its customer's next step (false for a customer with none):
    one was logged on the step's day or later, and it is not the one that planned it (the
    follow-up that planned it is not the latest). A call at 19:00 takes the step a follow-up
    planned for 23:30 that day: the rep called as he planned, only sooner. A call days before
    leaves it: it was about something else, or the step would have been planned again. A step
    typed on the customer has no follow-up that planned it: a call earlier that day may be
    what made him type it, so only one at or after its time takes it. Correlated to the
    customer of an outer statement; the planner is looked up only for a customer followed up
    since its step's day began."""
    planner_is_latest = (
        exists()
        .where(
            FollowUp.customer_id == Customer.id,
            FollowUp.deleted_at.is_(None),
            FollowUp.next_step_at == Customer.next_followup_at,
            FollowUp.happened_at >= Customer.last_followup_at,
        )
        .correlate(Customer)
    )
    planned = (
        exists()
        .where(
            FollowUp.customer_id == Customer.id,
            FollowUp.deleted_at.is_(None),
            FollowUp.next_step_at == Customer.next_followup_at,
        )
        .correlate(Customer)
    )
    return and_(
        Customer.last_followup_at.is_not(None),
        Customer.next_followup_at.is_not(None),
        Customer.last_followup_at >= _start_of_local_day(Customer.next_followup_at),
        or_(Customer.last_followup_at >= Customer.next_followup_at, planned),
        ~planner_is_latest,
    )


def _start_of_local_day(moment: Any) -> Any:
    """The UTC time the user's day of `moment` (naive UTC) begins at, in SQL: SQLite's
    'localtime' is the process's own zone, as Python's astimezone() is."""
    return func.datetime(moment, "localtime", "start of day", "utc")


def _unindexed(column: Any) -> Any:
    """`+column`: SQLite then uses no index for this term. Without statistics it would rather
    walk a whole owner's (or team's) rows on the owner's index than the few of one week on the
    time's; with an (owner, time) index this should go."""
    return UnaryExpression(column, operator=custom_op("+"), type_=column.type)
