"""Empty values sort last in both directions, still walked along the lists' sort indexes
(issue 8, defect 9)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Select

from crm_desktop.profile import Profile
from crm_desktop.queries import tables
from crm_desktop.queries.tables import TABLES, ListQuery, list_ids
from crm_desktop.storage.store import sqlite_connection


@pytest.fixture
def titles(profile: Profile) -> dict[str, str]:
    writer = profile.writer()
    customer = writer.create("customers", {"name": "Acme"}).primary_id
    ids = {}
    for title, due, close in (
        ("none", None, None),
        ("early", datetime(2027, 1, 1, 9), date(2027, 1, 1)),
        ("late", datetime(2027, 6, 1, 9), date(2027, 6, 1)),
    ):
        ids[writer.create("tasks", {"title": title, "due_at": due}).primary_id] = title
        deal = {"customer_id": customer, "title": title, "stage": "lead", "expected_close": close}
        ids[writer.create("opportunities", deal).primary_id] = title
    return ids


@pytest.mark.parametrize(
    ("entity", "key"), [("tasks", "due_at"), ("opportunities", "expected_close")]
)
@pytest.mark.parametrize(
    ("descending", "order"), [(False, ["early", "late", "none"]), (True, ["late", "early", "none"])]
)
def test_empty_values_come_last_both_ways(
    profile: Profile,
    titles: dict[str, str],
    entity: str,
    key: str,
    descending: bool,
    order: list[str],
) -> None:
    query = ListQuery(sort=key, descending=descending)
    with profile.store.read() as session:
        whole = list_ids(session, TABLES[entity], query)
        assert [titles[i] for i in whole] == order
        for limit in (1, 2, 3):
            assert list_ids(session, TABLES[entity], query, limit) == whole[:limit]


def test_a_customer_without_owner_comes_last_both_ways(profile: Profile) -> None:
    writer = profile.writer()
    pool = writer.create("customers", {"name": "Pool"}).primary_id
    assert pool
    writer.update("customers", pool, {"owner_id": None})
    mine = writer.create("customers", {"name": "Mine"}).primary_id
    with profile.store.read() as session:
        for descending in (False, True):
            query = ListQuery(sort="owner", descending=descending)
            assert list_ids(session, TABLES["customers"], query) == [mine, pool]


@pytest.mark.parametrize(
    ("entity", "key", "index"),
    [
        ("tasks", "due_at", "ix_tasks_live_due"),
        ("opportunities", "expected_close", "ix_opportunities_live_close"),
        ("customers", "phone", "ix_customers_live_phone"),
    ],
)
@pytest.mark.parametrize("descending", [False, True])
def test_the_sort_index_still_serves_the_order(
    profile: Profile,
    monkeypatch: pytest.MonkeyPatch,
    entity: str,
    key: str,
    index: str,
    descending: bool,
) -> None:
    seen: list[Select] = []
    original = tables.fetch_column

    def spy(session, statement):  # type: ignore[no-untyped-def]
        seen.append(statement)
        return original(session, statement)

    monkeypatch.setattr(tables, "fetch_column", spy)
    with profile.store.read() as session:
        list_ids(session, TABLES[entity], ListQuery(sort=key, descending=descending), 200)
        compiled = seen[-1].compile(dialect=session.get_bind().dialect)
        parameters = compiled.construct_params()
        positional = tuple(parameters[name] for name in compiled.positiontup or ())
        plan = " ".join(
            row[3]
            for row in sqlite_connection(session).execute(
                f"EXPLAIN QUERY PLAN {compiled}", positional
            )
        )
    assert index in plan
    assert "TEMP B-TREE" not in plan
