"""New records pushed many to a statement keep every rule of one-by-one pushing: each gets its
receipt and the server's stamp, and one the server refuses is refused alone. A push of many
records gives them the server's times with the indexes on those times off, and always puts the
indexes back."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from psycopg import sql

from crm_desktop.storage import suspended_indexes
from crm_desktop.storage.store import STORE_FILE, sqlite_connection
from crm_desktop.sync import push
from crm_desktop.sync.engine import CrashPoints
from tests.sync.conftest import Fleet

COUNT = 30
ROOT = Path(__file__).resolve().parents[2]


class Calls:
    """How push sent its entries: runs (and what came back) and single entries."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.runs: list[tuple[int, bool]] = []
        self.single: list[str] = []
        real_run, real_apply = push._apply_run, push._apply

        def apply_run(connection: Any, run: list) -> Any:
            results = real_run(connection, run)
            self.runs.append((len(run), results is not None))
            return results

        def apply(connection: Any, entry: Any, *args: Any) -> Any:
            self.single.append(entry.op)
            return real_apply(connection, entry, *args)

        monkeypatch.setattr(push, "_apply_run", apply_run)
        monkeypatch.setattr(push, "_apply", apply)


NEXT_FOLLOWUP = datetime(2026, 12, 5, 9, 30)  # as the device keeps times: naive UTC


def make_customers(fleet: Fleet, device: Any, owners: list[str]) -> list[str]:
    with device.writer.transaction() as unit:
        return [
            unit.create(
                "customers",
                {"name": f"批量 {n}", "owner_id": owner, "next_followup_at": NEXT_FOLLOWUP},
            )
            for n, owner in enumerate(owners)
        ]


def receipts(fleet: Fleet, login: str) -> int:
    return fleet.admin(
        "SELECT count(*) FROM sync_pushes WHERE pushed_by = "
        "(SELECT id FROM users WHERE login = %s)",
        (login,),
    )[0][0]


def test_a_run_of_new_records_goes_as_one_statement(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A time sent without its offset would be read in the session's zone.
    fleet.admin("ALTER ROLE rob SET timezone = 'Asia/Shanghai'")
    rob = fleet.device("rob")
    rob.sync()
    ids = make_customers(fleet, rob, [fleet.user_ids["rob"]] * COUNT)
    calls = Calls(monkeypatch)
    report = rob.sync()
    assert calls.runs == [(COUNT, True)] and "insert" not in calls.single
    assert (report.pushed.applied, report.pushed.refused, rob.outbox()) == (COUNT, 0, 0)
    assert receipts(fleet, "rob") == COUNT
    for row_id in ids:
        on_server = fleet.server_row("customers", row_id)
        assert on_server is not None
        # The run named its author; the server took the name as the caller's (0032's policy).
        assert str(on_server["created_by"]) == str(on_server["updated_by"]) == fleet.user_ids["rob"]
        assert on_server["next_followup_at"] == NEXT_FOLLOWUP.replace(tzinfo=UTC)
        # The device adopted the server's stamp of each row.
        assert rob.row("customers", row_id).updated_at == on_server["updated_at"].replace(
            tzinfo=None
        )


def test_a_run_asks_who_its_author_is_once_not_for_each_record(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Server 0032: the run names its author, so the server looks up the caller once for the
    statement instead of once a row (a third of its time for a thousand records). Counted by
    PostgreSQL's own function statistics, in the run's transaction."""
    with fleet.db.server.connect(fleet.db.name) as superuser:
        superuser.execute(
            sql.SQL("ALTER ROLE rob IN DATABASE {} SET track_functions = 'all'").format(
                sql.Identifier(fleet.db.name)
            )
        )
    rob = fleet.device("rob")
    rob.sync()
    make_customers(fleet, rob, [fleet.user_ids["rob"]] * COUNT)
    lookups: list[int] = []
    real_run = push._apply_run

    def counted(connection: Any) -> int:
        row = connection.execute(
            "SELECT coalesce(sum(calls), 0) FROM pg_stat_xact_user_functions"
            " WHERE funcname = 'crm_current_user_id'"
        ).fetchone()
        return int(row[0])

    def apply_run(connection: Any, run: list) -> Any:
        before = counted(connection)
        results = real_run(connection, run)
        lookups.append(counted(connection) - before)
        return results

    monkeypatch.setattr(push, "_apply_run", apply_run)
    report = rob.sync()
    assert (report.pushed.applied, report.pushed.refused) == (COUNT, 0)
    (asked,) = lookups
    # The statement's own two, the policies' and the statement triggers': a handful, not 30.
    assert 0 < asked < COUNT // 3


def test_one_refused_record_is_refused_alone(fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    rob = fleet.device("rob")
    rob.sync()
    owners = [fleet.user_ids["rob"]] * COUNT
    owners[17] = fleet.user_ids["rae"]  # a rep may not make a customer for another rep
    ids = make_customers(fleet, rob, owners)
    calls = Calls(monkeypatch)
    report = rob.sync()
    assert calls.runs[0] == (COUNT, False)  # refused as a statement, then one by one
    assert (report.pushed.applied, report.pushed.refused) == (COUNT - 1, 1)
    assert [fleet.server_row("customers", i) is not None for i in ids] == [
        n != 17 for n in range(COUNT)
    ]
    (conflict,) = rob.conflicts()
    assert (conflict.kind, conflict.row_id) == ("refused", ids[17])
    assert conflict.lost_value["changes"]["owner_id"] == fleet.user_ids["rae"]
    # In words a rep understands, not PostgreSQL's "new row violates row-level security…".
    assert conflict.reason == push.NOT_ALLOWED
    assert receipts(fleet, "rob") == COUNT


def test_a_run_whose_answer_was_lost_is_not_applied_twice(fleet: Fleet) -> None:
    rob = fleet.device("rob")
    rob.sync()
    ids = make_customers(fleet, rob, [fleet.user_ids["rob"]] * COUNT)

    def crash() -> None:
        raise RuntimeError("killed before the device recorded the results")

    with pytest.raises(RuntimeError):
        rob.sync(crash=CrashPoints(after_push_sent=crash))
    assert rob.outbox() == COUNT  # the device never learned the results
    stamps = {i: fleet.server_row("customers", i)["updated_at"] for i in ids}
    report = rob.sync()
    assert (report.pushed.applied, report.pushed.refused, rob.outbox()) == (COUNT, 0, 0)
    # Answered from the receipts: the rows were not written again.
    assert {i: fleet.server_row("customers", i)["updated_at"] for i in ids} == stamps
    assert receipts(fleet, "rob") == COUNT
    assert not rob.conflicts()


@pytest.mark.parametrize("login", ["rob", "ada"])
def test_receipts_are_looked_up_by_the_tables_key(fleet: Fleet, login: str) -> None:
    """A batch's receipt lookup reads this user's receipts by key, not every receipt ever
    written (a scan per batch made an import's first push quadratic)."""
    statement = "EXPLAIN " + push.RECEIPTS_OF
    with fleet.db.connect_as(login) as connection:
        connection.execute("SET enable_seqscan = off")  # what it can do, not what it costs
        plan = "\n".join(
            row[0]
            for row in connection.execute(statement, (fleet.user_ids[login], 1, 2)).fetchall()
        )
    conditions = [line for line in plan.splitlines() if "Index Cond" in line]
    assert conditions, plan
    assert all("pushed_by" in line and "device_id" in line for line in conditions), plan


def _index_scans(node: dict[str, Any]) -> list[dict[str, Any]]:
    """The index scans of a JSON plan."""
    own = [node] if "Index" in node["Node Type"] else []
    return own + [scan for child in node.get("Plans", ()) for scan in _index_scans(child)]


def test_a_batchs_receipts_are_read_alone_not_all_the_devices(fleet: Fleet) -> None:
    """A device that has pushed 5,000 changes looks up the receipts of its next batch of 2,000
    by one range of the key: neither reading the 5,000 (a plan the server chose for
    `seq = ANY(...)` with no statistics yet, 57 ms a batch at 150,000) nor looking up each
    of the 2,000 (4.4 ms against 0.8 ms here)."""
    device = "11111111-2222-3333-4444-555555555555"
    with fleet.db.connect_as("rob") as connection:
        connection.execute(
            "INSERT INTO sync_pushes (device_id, seq, result, pushed_by)"
            " SELECT %s, g, '{}'::jsonb, crm_current_user_id()"
            " FROM generate_series(1::bigint, 5000::bigint) AS g",
            (device,),
        )
        (plan,) = connection.execute(
            "EXPLAIN (ANALYZE, FORMAT JSON) " + push.RECEIPTS_OF, (device, 5001, 7000)
        ).fetchone()
        earlier = connection.execute(push.RECEIPTS_OF, (device, 4001, 6000)).fetchall()
    scans = _index_scans(plan[0]["Plan"])
    assert scans and all(scan["Actual Rows"] == 0 for scan in scans)
    assert all("seq >=" in scan["Index Cond"] and "seq <=" in scan["Index Cond"] for scan in scans)
    # A range that holds earlier receipts finds them: a retried batch is answered from them.
    assert sorted(seq for seq, _ in earlier) == list(range(4001, 5001))


def test_a_first_sync_does_not_bring_back_what_it_sends(fleet: Fleet) -> None:
    """A first sync takes the server's copy first, then sends the device's records: they do
    not come straight back in the same sync (an import of 100,000 would)."""
    rob = fleet.device("rob")
    ids = make_customers(fleet, rob, [rob.profile.user_id] * COUNT)  # made before connecting
    users = fleet.admin("SELECT count(*) FROM users")[0][0]
    report = rob.sync()
    assert report.pushed.applied == COUNT and report.pulled.full
    assert report.pulled.received == users  # the server's copy: its users, none of ours
    assert all(fleet.server_row("customers", i) is not None for i in ids)
    assert all(rob.row("customers", i) is not None for i in ids)
    # Another device's first sync brings them all.
    assert fleet.device("rob").sync().pulled.received == users + COUNT


STAMP_INDEXES = {
    "ix_customers_live_created",
    "ix_customers_live_updated",
    "ix_customers_live_pool_due",
    "ix_customers_live_owner_pool_due",
}


def store_indexes(device: Any) -> dict[str, str]:
    """Name -> SQL of every index of the device's store, read as another program would."""
    with closing(sqlite3.connect(device.directory / STORE_FILE)) as raw:
        rows = raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'")
        return {name: sql for name, sql in rows if sql is not None}


def test_a_big_push_rewrites_the_stamps_with_their_indexes_off_and_puts_them_back(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Giving many rows the server's times changes indexed values row by row; the indexes on
    them are off meanwhile, the others stay, and all are back, as they were, when it ends."""
    monkeypatch.setattr(suspended_indexes, "REWRITE_IN_BULK", COUNT)
    rob = fleet.device("rob")
    rob.sync()
    ids = make_customers(fleet, rob, [fleet.user_ids["rob"]] * COUNT)
    before = store_indexes(rob)
    assert set(before) >= STAMP_INDEXES  # the test is about something
    during: list[set[str]] = []
    report = rob.sync(
        crash=CrashPoints(after_push_sent=lambda: during.append(set(store_indexes(rob))))
    )
    assert report.pushed.applied == COUNT
    assert during and all(STAMP_INDEXES.isdisjoint(names) for names in during)
    assert all("ix_customers_live_name" in names for names in during)  # not a stamp's
    assert store_indexes(rob) == before
    with closing(sqlite3.connect(rob.directory / STORE_FILE)) as raw:
        plan = raw.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM customers WHERE deleted_at IS NULL"
            " ORDER BY created_at, id LIMIT 50"
        ).fetchall()
    assert "ix_customers_live_created" in str(plan)
    for row_id in ids:
        on_server = fleet.server_row("customers", row_id)
        here = rob.row("customers", row_id)
        assert here.updated_at == on_server["updated_at"].replace(tzinfo=None)
        assert here.created_at == on_server["created_at"].replace(tzinfo=None)


@pytest.mark.parametrize("held_before", [0, 2 * COUNT])
def test_a_push_rewriting_few_or_a_small_part_keeps_every_index(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch, held_before: int
) -> None:
    """Fewer rows than REWRITE_IN_BULK, or fewer than half of what the table holds (a few
    thousand of a million customers): changed in place, every index stays."""
    rob = fleet.device("rob")
    rob.sync()
    make_customers(fleet, rob, [fleet.user_ids["rob"]] * held_before)
    rob.sync()
    monkeypatch.setattr(suspended_indexes, "REWRITE_IN_BULK", COUNT + 1 if not held_before else 1)
    make_customers(fleet, rob, [fleet.user_ids["rob"]] * COUNT)
    during: list[set[str]] = []
    rob.sync(crash=CrashPoints(after_push_sent=lambda: during.append(set(store_indexes(rob)))))
    assert during and all(names >= STAMP_INDEXES for names in during)


def test_indexes_a_push_could_not_put_back_come_back_with_the_next(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Putting them back failed (the store busy past its timeout, say): the push's outcome
    stands, and the next push puts them back before anything else."""
    monkeypatch.setattr(suspended_indexes, "REWRITE_IN_BULK", COUNT)
    rob = fleet.device("rob")
    rob.sync()
    make_customers(fleet, rob, [fleet.user_ids["rob"]] * COUNT)
    before = store_indexes(rob)
    real_restore = suspended_indexes.restore_indexes
    failures = ["database is locked"]

    def restore(driver: sqlite3.Connection, tables: Any = None) -> None:
        if failures:
            raise sqlite3.OperationalError(failures.pop())
        real_restore(driver, tables)

    monkeypatch.setattr(suspended_indexes, "restore_indexes", restore)
    report = rob.sync()
    assert (report.pushed.applied, rob.outbox()) == (COUNT, 0)
    assert STAMP_INDEXES.isdisjoint(store_indexes(rob))  # still off, and recorded
    with rob.profile.store.read() as session:
        assert suspended_indexes.any_suspended(sqlite_connection(session))
    rob.sync()  # nothing to push: it puts them back all the same
    assert store_indexes(rob) == before


def test_a_push_that_fails_half_way_puts_the_indexes_back(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(suspended_indexes, "REWRITE_IN_BULK", COUNT)
    rob = fleet.device("rob")
    rob.sync()
    make_customers(fleet, rob, [fleet.user_ids["rob"]] * COUNT)
    before = store_indexes(rob)

    def crash() -> None:
        raise RuntimeError("the disk went away")

    with pytest.raises(RuntimeError):
        rob.sync(crash=CrashPoints(after_push_sent=crash))
    assert store_indexes(rob) == before
    assert rob.outbox() == COUNT  # nothing recorded: answered from the receipts next time
    assert rob.sync().pushed.applied == COUNT


KILLED_PUSH = """
import os, signal, sys
from pathlib import Path
from crm_desktop.profile import open_profile
from crm_desktop.storage import suspended_indexes
from crm_desktop.sync.engine import CrashPoints, sync_once

suspended_indexes.REWRITE_IN_BULK = int(sys.argv[2])
profile = open_profile(Path(sys.argv[1]))
crash = CrashPoints(after_push_sent=lambda: os.kill(os.getpid(), signal.SIGKILL))
sync_once(profile, password=os.environ["CRM_TEST_PASSWORD"], crash=crash)
"""


def test_a_push_killed_with_its_indexes_off_has_them_back_at_the_next_start(
    fleet: Fleet,
) -> None:
    rob = fleet.device("rob")
    rob.sync()
    ids = make_customers(fleet, rob, [fleet.user_ids["rob"]] * COUNT)
    before = store_indexes(rob)
    rob.profile.close()
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_PUSH, str(rob.directory), str(COUNT)],
        env=dict(os.environ, CRM_TEST_PASSWORD=rob.password, PYTHONPATH=str(ROOT)),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert killed.returncode == -9, killed.stderr
    assert STAMP_INDEXES.isdisjoint(store_indexes(rob))  # killed with them off
    again = fleet.device("rob", name=rob.directory.name)  # the next start, same profile
    assert store_indexes(again) == before
    assert again.sync().pushed.applied == COUNT
    assert all(again.row("customers", i).updated_at is not None for i in ids)


def test_records_made_before_the_first_sync_are_handed_over_with_their_indexes_rebuilt(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import made before connecting is handed from the profile's own user to the server's
    at the first sync: the indexes on the user columns of a table that is mostly his are built
    again in the same transaction instead of changed row by row, and come back as they were."""
    monkeypatch.setattr(suspended_indexes, "REWRITE_IN_BULK", COUNT)
    taken_off: list[tuple[str, bool]] = []
    real_suspend = suspended_indexes.suspend_indexes_on

    def suspend(driver: sqlite3.Connection, table: str, columns: Any) -> bool:
        done = real_suspend(driver, table, columns)
        taken_off.append((table, done))
        return done

    monkeypatch.setattr(suspended_indexes, "suspend_indexes_on", suspend)
    rob = fleet.device("rob")
    local_user = rob.profile.user_id
    ids = make_customers(fleet, rob, [local_user] * COUNT)
    before = store_indexes(rob)
    rob.sync()
    assert ("customers", True) in taken_off
    assert all(table == "customers" for table, _ in taken_off)  # the only table mostly his
    assert store_indexes(rob) == before
    server_user = fleet.user_ids["rob"]
    for row_id in ids:
        row = rob.row("customers", row_id)
        assert (row.owner_id, row.created_by) == (server_user, server_user)
        assert str(fleet.server_row("customers", row_id)["owner_id"]) == server_user
    with closing(sqlite3.connect(rob.directory / STORE_FILE)) as raw:
        plan = raw.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM customers WHERE owner_id = ?"
            " AND deleted_at IS NULL ORDER BY id",
            (server_user,),
        ).fetchall()
        assert "ix_customers_live_owner" in str(plan)
        assert raw.execute(
            "SELECT count(*) FROM customers WHERE ? IN (owner_id, created_by, updated_by)",
            (local_user,),
        ).fetchone() == (0,)
