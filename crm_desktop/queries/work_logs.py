"""Daily work logs and team activity, read from the user's own store.

A work log (entities.WorkLog) is one user's page for one day: what he did, tomorrow's plan, his
problems. The device holds the logs the server lets its user read (his own; for a manager his
team's, up the manager chain and by office; for an administrator everyone's) and their
comments. Two of one author's devices may each hold a log of the same day until the server
refuses the second (it keeps one per author and day): the latest changed is the one shown.

`day_summary` is what pre-fills a new log: the day's follow-ups the user logged, customers he
added and tasks he finished. `team_activity` counts the same, per person, over a day or a week,
plus the opportunities each person changed. Both count only what this device holds: a
manager's device holds his team's customers and what hangs off them, nothing else. Neither can
say when someone last synced (only the server knows that); `ActivityRow.latest` is the latest
of the counted changes the device holds, and the view labels it so.

Which person did what: a follow-up is his when he logged it (`created_by`) and it happened in
the range (`happened_at`, what the day was spent on, rather than when it was typed in); a
customer when he entered it (`created_by`, `created_at`); a task when it is assigned to him and
was marked done in the range (`done_at`); an opportunity when he was the last to change it in
the range (`updated_by`, `updated_at`): the device keeps no history of stage changes, so this
counts opportunities changed, not stages moved.

Times are naive UTC, as stored; ranges are half-open, [start, end).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from crm_desktop.models.entities import (
    SCOPE_KEY,
    Customer,
    FollowUp,
    LocalSetting,
    Opportunity,
    Scope,
    Task,
    User,
    UserSync,
    WorkLog,
    WorkLogComment,
)
from crm_desktop.models.pinyin import sort_key
from crm_desktop.queries.people import user_labels

LIMIT = 20  # lines per part of a day's summary
TEXT_CUT = 60  # characters of a follow-up's text in the summary


@dataclass(frozen=True)
class FollowUpLine:
    customer_name: str
    kind: str  # a choice code: "call", "visit"...
    text: str  # what was said, cut to TEXT_CUT characters ("…" when cut)
    happened_at: datetime


@dataclass(frozen=True)
class TaskLine:
    title: str
    customer_name: str | None


@dataclass(frozen=True)
class DaySummary:
    """What one user did in a range, for a view to word in the user's language. Each list holds
    the first LIMIT, in time order; `*_total` says how many there are in all."""

    followups: list[FollowUpLine] = field(default_factory=list)
    followups_total: int = 0
    new_customers: list[str] = field(default_factory=list)
    new_customers_total: int = 0
    tasks_done: list[TaskLine] = field(default_factory=list)
    tasks_done_total: int = 0

    def is_empty(self) -> bool:
        return not (self.followups_total or self.new_customers_total or self.tasks_done_total)


@dataclass(frozen=True)
class Comment:
    id: str
    author_id: str
    author_name: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class TeamLog:
    """One person's log of a day, or `log` None when he wrote none (that the device holds)."""

    author_id: str
    author_name: str
    log: dict[str, Any] | None
    comments: list[Comment] = field(default_factory=list)


@dataclass(frozen=True)
class MyDay:
    """What the "My log" page shows for a day: the log (None: not written yet), its comments,
    and the summary that pre-fills a new one (None when the log exists)."""

    log: dict[str, Any] | None
    comments: list[Comment]
    summary: DaySummary | None


@dataclass(frozen=True)
class Team:
    """The user's role and the people whose logs and activity he reads, (id, name), himself
    first, then by name."""

    role: str | None
    members: list[tuple[str, str]]
    # An administrator's users switched off (people who left): not to choose, but their work
    # in a period counts where the period's activity is shown.
    departed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def departed_ids(self) -> frozenset[str]:
        return frozenset(user_id for user_id, _name in self.departed)

    @property
    def leads(self) -> bool:
        """A manager or an administrator: he has a team to read."""
        return self.role in ("manager", "admin")


@dataclass(frozen=True)
class ActivityRow:
    user_id: str
    name: str
    followups: int = 0  # follow-ups he logged that happened in the range
    customers_added: int = 0
    tasks_done: int = 0  # his tasks marked done in the range
    opportunities_changed: int = 0  # opportunities whose latest change in the range is his
    latest: datetime | None = None  # the latest of the counted changes
    last_sync: datetime | None = None  # by the server's clock, as of this device's last sync


@dataclass(frozen=True)
class ActivityMeasure:
    """One kind of work counted per person: whose it is (`who`) and when it was done."""

    model: Any
    who: Any
    when: Any
    where: tuple[Any, ...] = ()

    def conditions(self, start: datetime, end: datetime) -> tuple[Any, ...]:
        """The live rows of this kind done in [start, end)."""
        return (self.model.deleted_at.is_(None), self.when >= start, self.when < end, *self.where)


# What counts as a person's work (see the module's docstring), for the team's activity and the
# dashboard's activity per week alike. On ix_followups_live_time and ix_customers_live_created
# (the range, everyone's rows), ix_tasks_live_assignee (each person's tasks, done_at read from
# the rows); no index serves the opportunities: a scan of the live ones.
ACTIVITY_MEASURES: dict[str, ActivityMeasure] = {
    "followups": ActivityMeasure(FollowUp, FollowUp.created_by, FollowUp.happened_at),
    "customers_added": ActivityMeasure(Customer, Customer.created_by, Customer.created_at),
    "tasks_done": ActivityMeasure(Task, Task.assignee_id, Task.done_at, (Task.done.is_(True),)),
    "opportunities_changed": ActivityMeasure(
        Opportunity, Opportunity.updated_by, Opportunity.updated_at
    ),
}


def _cut(text: str | None) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= TEXT_CUT else flat[: TEXT_CUT - 1] + "…"


def day_summary(session: Session, user_id: str, start: datetime, end: datetime) -> DaySummary:
    """The follow-ups `user_id` logged, customers he added and tasks he finished in [start, end)."""
    # ix_followups_live_time walks the range (everyone's follow-ups of the day); who logged
    # each is read from its row.
    followups = (
        select(FollowUp.kind, FollowUp.text, FollowUp.happened_at, Customer.name)
        .join(Customer, Customer.id == FollowUp.customer_id)
        .where(
            FollowUp.deleted_at.is_(None),
            FollowUp.happened_at >= start,
            FollowUp.happened_at < end,
            FollowUp.created_by == user_id,
        )
        .order_by(FollowUp.happened_at, FollowUp.id)
    )
    # ix_customers_live_created walks the range.
    customers = (
        select(Customer.name)
        .where(
            Customer.deleted_at.is_(None),
            Customer.created_at >= start,
            Customer.created_at < end,
            Customer.created_by == user_id,
        )
        .order_by(Customer.created_at, Customer.id)
    )
    # ix_tasks_live_assignee walks the user's tasks; done_at has no index (see team_activity).
    tasks = (
        select(Task.title, Customer.name)
        .outerjoin(Customer, Customer.id == Task.customer_id)
        .where(
            Task.deleted_at.is_(None),
            Task.assignee_id == user_id,
            Task.done.is_(True),
            Task.done_at >= start,
            Task.done_at < end,
        )
        .order_by(Task.done_at, Task.id)
    )
    return DaySummary(
        followups=[
            FollowUpLine(name, kind, _cut(text), at)
            for kind, text, at, name in session.execute(followups.limit(LIMIT))
        ],
        followups_total=_count(session, followups),
        new_customers=list(session.scalars(customers.limit(LIMIT))),
        new_customers_total=_count(session, customers),
        tasks_done=[TaskLine(t, c) for t, c in session.execute(tasks.limit(LIMIT))],
        tasks_done_total=_count(session, tasks),
    )


def _count(session: Session, statement: Any) -> int:
    return (
        session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    )


def _log_values(row: WorkLog) -> dict[str, Any]:
    return {
        "id": row.id,
        "author_id": row.author_id,
        "day": row.day,
        "done": row.done,
        "plan": row.plan,
        "problems": row.problems,
        "updated_at": row.updated_at,
    }


def log_of(session: Session, author_id: str, day: date) -> dict[str, Any] | None:
    """The author's log of the day (id, author_id, day, done, plan, problems, updated_at), the
    latest changed if the device holds two; None when there is none."""
    row = session.scalars(
        select(WorkLog)
        .where(WorkLog.author_id == author_id, WorkLog.day == day, WorkLog.deleted_at.is_(None))
        .order_by(WorkLog.updated_at.desc(), WorkLog.id)
        .limit(1)
    ).first()
    return _log_values(row) if row is not None else None


def comments_of(session: Session, log_id: str) -> list[Comment]:
    """A log's live comments, oldest first (on ix_work_log_comments_live_log)."""
    return _comments(session, [log_id]).get(log_id, [])


def _comments(session: Session, log_ids: list[str]) -> dict[str, list[Comment]]:
    if not log_ids:
        return {}
    rows = session.execute(
        select(
            WorkLogComment.log_id,
            WorkLogComment.id,
            WorkLogComment.author_id,
            User.name,
            WorkLogComment.text,
            WorkLogComment.created_at,
        )
        .outerjoin(User, User.id == WorkLogComment.author_id)
        .where(WorkLogComment.log_id.in_(log_ids), WorkLogComment.deleted_at.is_(None))
        .order_by(WorkLogComment.log_id, WorkLogComment.created_at, WorkLogComment.id)
    )
    found: dict[str, list[Comment]] = {}
    for log_id, comment_id, author, name, text, created in rows:
        found.setdefault(log_id, []).append(Comment(comment_id, author, name or "", text, created))
    return found


def my_day(session: Session, author_id: str, day: date, start: datetime, end: datetime) -> MyDay:
    """The author's log of `day`, its comments, and when he wrote none the summary of
    [start, end) (the day on his clock, in UTC) that pre-fills it."""
    log = log_of(session, author_id, day)
    if log is None:
        return MyDay(None, [], day_summary(session, author_id, start, end))
    return MyDay(log, comments_of(session, log["id"]), None)


def team_logs(session: Session, author_ids: Sequence[str], day: date) -> list[TeamLog]:
    """Each author's log of the day with its comments, in the order given; an author who wrote
    none (as far as this device knows) has `log` None."""
    authors = list(dict.fromkeys(author_ids))
    if not authors:
        return []
    names = _names(session, authors)
    logs: dict[str, WorkLog] = {}
    # ix_work_logs_live_day walks the day; the latest changed wins if an author has two.
    for row in session.scalars(
        select(WorkLog)
        .where(WorkLog.day == day, WorkLog.deleted_at.is_(None), WorkLog.author_id.in_(authors))
        .order_by(WorkLog.updated_at)
    ):
        logs[row.author_id] = row
    comments = _comments(session, [row.id for row in logs.values()])
    return [
        TeamLog(
            author,
            names.get(author, ""),
            _log_values(logs[author]) if author in logs else None,
            comments.get(logs[author].id, []) if author in logs else [],
        )
        for author in authors
    ]


def _names(session: Session, user_ids: Sequence[str]) -> dict[str, str]:
    return user_labels(session, user_ids)


def team_of(session: Session, user_id: str, logs: bool = False) -> Team:
    """The user's role and the people he leads, himself included, as of the last sync.

    A manager's are the owners whose customers he sees or, with `logs`, the authors whose logs
    he reads (the scope's third part: his reports down the manager chain and his offices'
    people; a profile last synced before work logs knows only the first). An administrator's
    are all active users the device knows. A clerk's are the reps he enters records for (not
    their logs, which he does not read). Anyone else leads nobody but himself.
    """
    stored = session.get(LocalSetting, SCOPE_KEY)
    scope = Scope.parse(stored.value if stored else None)
    role = scope.role
    if stored is None:
        # Never synced: a profile on its own, whose user is its administrator (the demo's
        # reps are his people too).
        role = session.scalar(select(User.role).where(User.id == user_id))
    ids: list[str] = []
    departed: list[str] = []
    if role == "admin":
        users = session.execute(select(User.id, User.active).where(User.deleted_at.is_(None)))
        for user, active in users:
            (ids if active else departed).append(user)
    elif scope.role == "manager":
        ids = list(scope.log_authors if logs and scope.log_authors else scope.team)
    elif scope.role == "clerk" and not logs:
        ids = list(scope.enters_for)  # the reps whose records he enters
    names = _names(session, [user_id, *ids, *departed])

    def by_name(people: Iterable[str]) -> list[tuple[str, str]]:
        # In pinyin order, as every list of names is (models/pinyin.py).
        ordered = sorted(
            (i for i in set(people) if i != user_id),
            key=lambda i: (sort_key(names.get(i, i)) or "", names.get(i, i), i),
        )
        return [(i, names.get(i, "")) for i in ordered]

    return Team(role, [(user_id, names.get(user_id, "")), *by_name(ids)], by_name(departed))


def team_activity(
    session: Session,
    user_ids: Sequence[str],
    start: datetime,
    end: datetime,
    departed: frozenset[str] = frozenset(),
) -> list[ActivityRow]:
    """Per person, in the order given: follow-ups logged, customers added, tasks done and
    opportunities changed in [start, end), the latest of those changes, and when he last
    synced (as the server told this device at its own last sync). A person of `departed`
    (Team.departed: switched off) has a row only if he did something in the range."""
    people = list(dict.fromkeys(user_ids))
    if not people or start >= end:
        return []
    counts: dict[str, dict[str, Any]] = {p: {} for p in people}
    for key, measure in ACTIVITY_MEASURES.items():
        statement = (
            select(measure.who, func.count(), func.max(measure.when))
            .where(*measure.conditions(start, end), measure.who.in_(people))
            .group_by(measure.who)
        )
        for person, count, latest in session.execute(statement):
            counts[person][key] = count
            if latest is not None:
                seen = counts[person].get("latest")
                counts[person]["latest"] = latest if seen is None else max(seen, latest)
    synced = dict(
        session.execute(
            select(UserSync.user_id, UserSync.synced_at).where(UserSync.user_id.in_(people))
        ).all()
    )
    names = _names(session, people)
    return [
        ActivityRow(p, names.get(p, ""), last_sync=synced.get(p), **counts[p])
        for p in people
        if p not in departed or counts[p]
    ]


def comments_for_author(
    session: Session, author_id: str, since: datetime
) -> list[tuple[date, Comment]]:
    """Comments others wrote on the author's logs since `since`, newest first, each with its
    log's day: what Today can show him. His logs on ix_work_logs_live_author_day, their
    comments on ix_work_log_comments_live_log."""
    rows = session.execute(
        select(
            WorkLog.day,
            WorkLogComment.id,
            WorkLogComment.author_id,
            User.name,
            WorkLogComment.text,
            WorkLogComment.created_at,
        )
        .join(WorkLog, WorkLog.id == WorkLogComment.log_id)
        .outerjoin(User, User.id == WorkLogComment.author_id)
        .where(
            WorkLog.author_id == author_id,
            WorkLog.deleted_at.is_(None),
            WorkLogComment.deleted_at.is_(None),
            WorkLogComment.author_id != author_id,
            WorkLogComment.created_at >= since,
        )
        .order_by(WorkLogComment.created_at.desc(), WorkLogComment.id)
        .limit(LIMIT)
    )
    return [
        (day, Comment(comment_id, author, name or "", text, created))
        for day, comment_id, author, name, text, created in rows
    ]
