"""Query functions bound to one store: what the views hand to the storage thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from crm_desktop.models.choices import Role
from crm_desktop.models.entities import SCOPE_KEY, Scope
from crm_desktop.queries import calendar, figures, money, records, tables, work_logs
from crm_desktop.queries import today as today_list
from crm_desktop.queries.tables import ListQuery, TableSpec
from crm_desktop.storage.store import Store, cancel_when


def _never() -> bool:
    return False


class Reader:
    """Each method opens its own read session; call them on the storage thread."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def ids(
        self,
        spec: TableSpec,
        query: ListQuery,
        limit: int | None = None,
        stop: Callable[[], bool] = _never,
    ) -> list[str]:
        """The query's ids (the first `limit` of them); raises Cancelled once `stop()` is true."""
        with self.store.read() as session, cancel_when(session, stop):
            return tables.list_ids(session, spec, query, limit)

    def rows(self, spec: TableSpec, ids: Sequence[str]) -> dict[str, tuple]:
        with self.store.read() as session:
            return tables.fetch_rows(session, spec, ids)

    def total(
        self, spec: TableSpec, query: ListQuery, key: str, after: tuple[str, Any] | None = None
    ) -> tuple[int, int, int]:
        """How many rows the query shows, the sum of their `key` (an amount), and the part
        of it whose `after` (column key, value) is later (tables.list_total)."""
        with self.store.read() as session:
            return tables.list_total(session, spec, query, key, after)

    def record(self, entity: str, row_id: str) -> dict[str, Any] | None:
        with self.store.read() as session:
            return records.record_values(session, entity, row_id)

    def taken_along(self, entity: str, ids: list[str]) -> records.TakenAlong:
        with self.store.read() as session:
            return records.taken_along(session, entity, ids)

    def customer_detail(self, customer_id: str) -> records.CustomerDetail | None:
        with self.store.read() as session:
            return records.customer_detail(session, customer_id)

    def possible_duplicates(
        self, name: str, phone: str | None, exclude_id: str | None = None
    ) -> list[records.Match]:
        with self.store.read() as session:
            return records.possible_duplicates(session, name, phone, exclude_id)

    def find_customers(self, search: str, limit: int) -> list[tables.FoundCustomer]:
        """Customers to choose from by typing (tables.found_customers); the public pool's only
        for an administrator, or on a profile that never synced (it has no pool)."""
        pool = Scope.parse(self.store.setting(SCOPE_KEY)).role in (None, Role.ADMIN.value)
        with self.store.read() as session:
            return tables.found_customers(session, search, limit, pool=pool)

    def choices(
        self,
        entity: str,
        customer_id: str | None = None,
        roles: tuple[str, ...] = (),
        user_id: str | None = None,
        active_only: bool = False,
    ) -> list[tuple]:
        with self.store.read() as session:
            return records.choices_for(session, entity, customer_id, roles, user_id, active_only)

    def delegates(self, task_id: str, user_id: str) -> list[tuple[str, str]]:
        with self.store.read() as session:
            return records.delegates(session, task_id, user_id)

    def today(self, user_id: str, now: datetime, day_ends: datetime) -> today_list.Today:
        with self.store.read() as session:
            return today_list.today(session, user_id, now, day_ends)

    def calendar_items(
        self, owner_ids: Sequence[str], start: datetime, end: datetime
    ) -> list[calendar.CalendarItem]:
        with self.store.read() as session:
            return calendar.calendar_items(session, owner_ids, start, end)

    def work_log_day(
        self, author_id: str, day: date, start: datetime, end: datetime
    ) -> work_logs.MyDay:
        with self.store.read() as session:
            return work_logs.my_day(session, author_id, day, start, end)

    def team_of(self, user_id: str, logs: bool = False) -> work_logs.Team:
        with self.store.read() as session:
            return work_logs.team_of(session, user_id, logs)

    def team_logs(self, author_ids: Sequence[str], day: date) -> list[work_logs.TeamLog]:
        with self.store.read() as session:
            return work_logs.team_logs(session, author_ids, day)

    def work_log_comments(self, log_id: str) -> list[work_logs.Comment]:
        with self.store.read() as session:
            return work_logs.comments_of(session, log_id)

    def team_activity(
        self,
        user_ids: Sequence[str],
        start: datetime,
        end: datetime,
        departed: frozenset[str] = frozenset(),
    ) -> list[work_logs.ActivityRow]:
        with self.store.read() as session:
            return work_logs.team_activity(session, user_ids, start, end, departed)

    def log_comments_for(
        self, author_id: str, since: datetime
    ) -> list[tuple[date, work_logs.Comment]]:
        with self.store.read() as session:
            return work_logs.comments_for_author(session, author_id, since)

    # -- money ----------------------------------------------------------------------------------

    def renewals(
        self,
        start: date,
        end: date,
        owner_id: str | None = None,
        kind: str | None = None,
        renewal_status: str | None = None,
    ) -> list[money.RenewalLine]:
        with self.store.read() as session:
            return money.renewals(
                session, start, end, owner_id=owner_id, kind=kind, renewal_status=renewal_status
            )

    def receivables(
        self, today: date, owner_ids: Sequence[str] | None = None
    ) -> list[money.Receivable]:
        with self.store.read() as session:
            return money.receivables(session, today, owner_ids)

    def customer_money(self, customer_id: str, today: date) -> money.CustomerMoney:
        with self.store.read() as session:
            return money.customer_money(session, customer_id, today)

    def contract_sheet(self, contract_id: str, today: date) -> money.ContractSheet | None:
        with self.store.read() as session:
            return money.contract_sheet(session, contract_id, today)

    def left_to_pay(self, contract_id: str, payment_id: str | None, today: date) -> int | None:
        with self.store.read() as session:
            return money.left_to_pay(session, contract_id, payment_id, today)

    def quote_lines(self, opportunity_id: str) -> list[money.QuoteLine]:
        with self.store.read() as session:
            return money.quote_lines(session, opportunity_id)

    def dashboard_part(self, ask: figures.DashboardAsk, part: str) -> Any:
        with self.store.read() as session:
            return figures.dashboard_part(session, ask, part)

    def industries(self) -> list[str]:
        with self.store.read() as session:
            return figures.industries(session)

    def read(self, query: Callable[..., Any], *args: Any) -> Any:
        """Any query function of the queries package, `query(session, *args)`."""
        with self.store.read() as session:
            return query(session, *args)
