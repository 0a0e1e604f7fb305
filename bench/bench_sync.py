"""How fast devices sync with a big server, beside a raw COPY + SQLite baseline in the same run.

    .venv/bin/python bench/bench_sync.py [--customers 100000] [--followups 100000] [--devices 20]

Starts its own throwaway PostgreSQL (the test suite's harness, tests/postgres.py), builds the
CRM schema as a non-superuser admin, and measures in this one process:

1. the first sync of a new device whose rep owns --customers customers and --followups
   follow-ups, beside a raw baseline: `COPY (SELECT ...) TO STDOUT` of the same rows plus one
   `executemany` INSERT transaction into a fresh profile's SQLite store;
2. a sync with nothing to do at that size (median of 5);
3. 100 local edits and 100 server-side edits, then one sync;
4. --devices devices of --reps reps on a smaller data set making random edits to their
   customers and syncing all at once, for --rounds rounds, then sequentially; every device
   must end with exactly the customers its user sees on the server.

Timings are printed, never asserted. --cprofile adds profiled runs of 1-3 (cProfile's own
overhead inflates those, so they are separate from the timed runs).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import resource
import shutil
import signal
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # crm_desktop and tests.postgres from this checkout

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import psycopg  # noqa: E402
from psycopg import sql  # noqa: E402
from psycopg.conninfo import make_conninfo  # noqa: E402
from sqlalchemy import Boolean, DateTime  # noqa: E402

from crm_desktop.demo import words  # noqa: E402
from crm_desktop.models.entities import ENTITIES  # noqa: E402
from crm_desktop.profile import Profile, open_profile  # noqa: E402
from crm_desktop.storage.store import STORE_FILE  # noqa: E402
from crm_desktop.sync import link  # noqa: E402
from crm_desktop.sync.codec import synced_columns  # noqa: E402
from crm_desktop.sync.engine import SyncReport, sync_once  # noqa: E402
from crm_desktop.sync.server.admin import add_user  # noqa: E402
from crm_desktop.sync.server.schema import init_server  # noqa: E402
from tests.postgres import (  # noqa: E402
    CRM_ADMIN,
    CRM_ADMIN_PASSWORD,
    PostgresServer,
    _service_account,
    find_postgres_bin,
)

MOBILE_PREFIXES = ("130", "135", "138", "139", "150", "158", "177", "186", "188", "199")
FOLLOWUP_KINDS = ("call", "visit", "email", "message", "note")
SQLITE_TIME = "YYYY-MM-DD HH24:MI:SS.US"  # what SQLAlchemy's SQLite DateTime stores
NOOP_RUNS = 5
CHANGES_EACH_WAY = 100


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def peak_mb() -> float:
    """This process's peak resident memory. On Linux from VmHWM: ru_maxrss of a process started
    by fork and exec also counts the parent's memory at the fork (the kernel carries the old
    high-water mark over exec), which here is the whole bench's."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- the server -------------------------------------------------------------------------------


def make_server() -> PostgresServer:
    """A cluster not yet created; the caller starts it and must stop it (see main)."""
    base = Path(tempfile.mkdtemp(prefix="crm-bench-pg-"))
    run_as = _service_account().pw_name if os.geteuid() == 0 else None
    server = PostgresServer(bin_dir=find_postgres_bin(), base_dir=base, run_as=run_as)
    server._chown(base)
    return server


def stop_server(server: PostgresServer) -> None:
    try:
        server.stop()
    finally:
        shutil.rmtree(server.base_dir, ignore_errors=True)


@dataclass
class CrmDb:
    """One CRM database on the throwaway server, made the way `server init` makes it."""

    server: PostgresServer
    name: str
    passwords: dict[str, str] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)

    @property
    def admin_dsn(self) -> str:
        return self.server.dsn(CRM_ADMIN, CRM_ADMIN_PASSWORD, self.name)

    @property
    def conninfo(self) -> str:
        """What a device stores: no user, no password."""
        return make_conninfo(host=self.server.host, port=self.server.port, dbname=self.name)

    def dsn_for(self, login: str) -> str:
        return self.server.dsn(login, self.passwords[login], self.name)

    def add_user(self, login: str, role: str, manager: str | None = None) -> str:
        password = f"pw-{login}-{uuid.uuid4().hex[:8]}"
        self.ids[login] = add_user(self.admin_dsn, login, role, password, manager=manager)
        self.passwords[login] = password
        return self.ids[login]


def make_db(server: PostgresServer, name: str) -> CrmDb:
    server.create_database(name, owner=CRM_ADMIN)
    init_server(server.dsn(CRM_ADMIN, CRM_ADMIN_PASSWORD, name))
    return CrmDb(server, name)


# -- sample data --------------------------------------------------------------------------------


class Maker:
    """Rows in synced_columns order, with names, phones and texts like the demo data's."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.now = datetime.now(UTC).replace(microsecond=0)

    def id(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def mobile(self) -> str:
        rng = self.rng
        return f"+86{rng.choice(MOBILE_PREFIXES)}{rng.randrange(10**8):08d}"

    def ago(self, days: float) -> datetime:
        return self.now - timedelta(minutes=int(self.rng.random() * days * 1440))

    def company(self) -> tuple[str, str, str]:
        """(name, short name, industry), e.g. 深圳市华强电子有限公司."""
        rng = self.rng
        city = rng.choice(words.CITIES)
        brand, _ = rng.choice(words.BRANDS)
        trade, industry, _ = rng.choice(words.TRADES)
        return f"{city[1]}{brand}{trade}{rng.choice(words.COMPANY_FORMS)}", brand, industry

    def person(self) -> str:
        rng = self.rng
        return rng.choice(words.SURNAMES)[0] + rng.choice(words.GIVEN_NAMES)[0]

    def customer(self, owner: str | None) -> tuple:
        rng = self.rng
        city = rng.choice(words.CITIES)
        if rng.random() < 0.75:
            name, short_name, industry = self.company()
            kind = "company"
            phone = (
                f"+86{city[3]}{rng.randint(5, 7)}{rng.randrange(10**7):07d}"
                if rng.random() < 0.5
                else self.mobile()
            )
        else:
            name, short_name, industry, kind = self.person(), None, None, "person"
            phone = self.mobile()
        created = self.ago(1095)
        last = self.ago(30) if rng.random() < 0.7 else None
        values = {
            "id": self.id(),
            "name": name,
            "short_name": short_name,
            "kind": kind,
            "grade": rng.choice("ABCCCCCCCC"),
            "industry": industry,
            "source": rng.choice(words.SOURCES),
            "address": f"{city[0]}{city[1]}{rng.choice(city[4])}{rng.choice(words.ROADS)}"
            f"{rng.randrange(1, 999)}号",
            "phone": phone,
            "phone2": self.mobile() if rng.random() < 0.25 else None,
            "email": f"info{rng.randrange(10**6)}@example.cn" if rng.random() < 0.6 else None,
            "website": None,
            "notes": rng.choice(words.CHINESE.notes) if rng.random() < 0.2 else None,
            "owner_id": owner,
            "last_followup_at": last,
            "next_followup_at": self.now + timedelta(days=rng.randrange(1, 30)) if last else None,
            "owned_since": created if owner else None,
            "pool_locked": False,
            "grade_fixed": False,
            "grade_note": None,
            "external_ref": None,
            "merged_into_id": None,
            "created_at": created,
            "created_by": owner,
            "updated_at": created,
            "updated_by": owner,
            "deleted_at": None,
        }
        return tuple(values[name] for name in synced_columns("customers"))

    def followup(self, customer_id: str, by: str | None) -> tuple:
        rng = self.rng
        happened = self.ago(365)
        promise = rng.random() < 0.3
        values = {
            "id": self.id(),
            "customer_id": customer_id,
            "contact_id": None,
            "kind": rng.choice(FOLLOWUP_KINDS),
            "happened_at": happened,
            "text": rng.choice(words.CHINESE.followup_texts),
            "promise": rng.choice(words.CHINESE.promises) if promise else None,
            "next_step": rng.choice(words.CHINESE.next_steps) if promise else None,
            "next_step_at": happened + timedelta(days=7) if promise else None,
            "created_at": happened,
            "created_by": by,
            "updated_at": happened,
            "updated_by": by,
            "deleted_at": None,
        }
        return tuple(values[name] for name in synced_columns("followups"))


def load(db: CrmDb, entity: str, rows: Iterator[tuple]) -> int:
    """Bulk-load rows as the admin: COPY into a staging table, then one INSERT ... SELECT.

    (COPY FROM straight into the table is refused: the admin is under FORCE ROW LEVEL
    SECURITY too.) The capture trigger still logs every row in sync_changes, as on a real
    server.
    """
    names = sql.SQL(", ").join(map(sql.Identifier, synced_columns(entity)))
    count = 0
    with psycopg.connect(db.admin_dsn) as connection:
        connection.execute(
            sql.SQL("CREATE TEMP TABLE stage (LIKE {} INCLUDING DEFAULTS) ON COMMIT DROP").format(
                sql.Identifier(entity)
            )
        )
        with connection.cursor().copy(sql.SQL("COPY stage ({}) FROM STDIN").format(names)) as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        connection.execute(
            sql.SQL("INSERT INTO {} ({}) SELECT {} FROM stage").format(
                sql.Identifier(entity), names, names
            )
        )
    with psycopg.connect(db.admin_dsn, autocommit=True) as connection:
        connection.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(entity)))
        connection.execute("ANALYZE sync_changes")
    return count


def load_customers(
    db: CrmDb, maker: Maker, customers: int, followups: int, owners: list[str | None]
) -> list[tuple[str, str | None]]:
    """Customers spread over `owners`, follow-ups over the customers; (id, owner) of each."""
    made: list[tuple[str, str | None]] = []

    def customer_rows() -> Iterator[tuple]:
        for _ in range(customers):
            row = maker.customer(maker.rng.choice(owners))
            made.append((row[0], row[13]))
            yield row

    load(db, "customers", customer_rows())
    load(
        db,
        "followups",
        (maker.followup(*maker.rng.choice(made)) for _ in range(followups if made else 0)),
    )
    return made


# -- devices ------------------------------------------------------------------------------------


@dataclass
class Device:
    profile: Profile
    login: str
    password: str

    def sync(self) -> SyncReport:
        return sync_once(self.profile, password=self.password)

    @property
    def store_path(self) -> Path:
        return self.profile.store.path


def new_device(db: CrmDb, login: str, directory: Path) -> Device:
    """A fresh profile linked to the server as `login`, as `connect` leaves it."""
    profile = open_profile(directory)
    profile.store.set_setting(link.SERVER_KEY, db.conninfo)
    profile.store.set_setting(link.LOGIN_KEY, login)
    return Device(profile, login, db.passwords[login])


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def describe(report: SyncReport) -> str:
    pushed, pulled = report.pushed, report.pulled
    return (
        f"pushed {pushed.applied} applied, {pushed.conflicts} conflicts, {pushed.refused} "
        f"refused; pulled {pulled.received} rows{' (full)' if pulled.full else ''}, "
        f"{pulled.removed} removed"
    )


# -- convergence --------------------------------------------------------------------------------

COMPARED = "id, name, phone, industry, owner_id, deleted_at"


def device_customers(device: Device) -> dict[str, tuple]:
    connection = sqlite3.connect(f"file:{device.store_path}?mode=ro", uri=True)
    try:
        rows = connection.execute(f"SELECT {COMPARED} FROM customers").fetchall()
    finally:
        connection.close()
    return {row[0]: row[1:] for row in rows}


def server_customers(db: CrmDb, login: str) -> dict[str, tuple]:
    """What `login` sees on the server, through his own connection (row-level security)."""
    with psycopg.connect(db.dsn_for(login)) as connection:
        rows = connection.execute(
            "SELECT id::text, name, phone, industry, owner_id::text,"
            f" to_char(deleted_at AT TIME ZONE 'UTC', '{SQLITE_TIME}') FROM customers"
        ).fetchall()
    return {row[0]: row[1:] for row in rows}


def differences(name: str, mine: dict[str, tuple], theirs: dict[str, tuple]) -> list[str]:
    found = []
    for row_id in sorted(mine.keys() | theirs.keys()):
        here, there = mine.get(row_id), theirs.get(row_id)
        if here != there:
            found.append(f"  {name} customer {row_id}: device {here} / server {there}")
    return found


# -- 1. first sync beside the raw baseline ------------------------------------------------------

BASELINE_TABLES = ("users", "customers", "followups")


def _select_list(entity: str) -> str:
    """Columns as text in the form the local store keeps them, formatted by the server."""
    table = ENTITIES[entity].__table__
    parts = []
    for name in synced_columns(entity):
        column_type = table.columns[name].type
        if isinstance(column_type, DateTime):
            parts.append(f"to_char({name} AT TIME ZONE 'UTC', '{SQLITE_TIME}')")
        elif isinstance(column_type, Boolean):
            parts.append(f"{name}::int")
        else:
            parts.append(name)
    return ", ".join(parts)


def raw_baseline(db: CrmDb, login: str, directory: Path) -> tuple[float, float, int]:
    """(seconds to COPY the rows out, seconds to insert them into SQLite, rows)."""
    open_profile(directory).close()  # a fresh store with the real schema and indexes
    started = time.perf_counter()
    fetched: dict[str, list[tuple]] = {}
    with psycopg.connect(db.dsn_for(login)) as connection:
        for entity in BASELINE_TABLES:
            statement = f"COPY (SELECT {_select_list(entity)} FROM {entity}) TO STDOUT"
            with connection.cursor().copy(statement) as copy:
                fetched[entity] = list(copy.rows())
    fetch_s = time.perf_counter() - started
    started = time.perf_counter()
    connection = sqlite3.connect(directory / STORE_FILE, isolation_level=None)
    try:
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute("PRAGMA foreign_keys=ON")
        # Raw rows only: the store's triggers derive each customer's return date, which is
        # the sync's work to measure, not the baseline's.
        for (trigger,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        ).fetchall():
            connection.execute(f"DROP TRIGGER {trigger}")
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("PRAGMA defer_foreign_keys=ON")
        for entity in BASELINE_TABLES:
            columns = synced_columns(entity)
            marks = ", ".join("?" * len(columns))
            if entity == "customers":
                statement = (
                    f"INSERT INTO customers ({', '.join(columns)}, search_text)"
                    f" VALUES ({marks}, '')"
                )
            else:
                statement = f"INSERT INTO {entity} ({', '.join(columns)}) VALUES ({marks})"
            connection.executemany(statement, fetched[entity])
        connection.execute("COMMIT")
    finally:
        connection.close()
    insert_s = time.perf_counter() - started
    return fetch_s, insert_s, sum(len(rows) for rows in fetched.values())


def profiled(label: str, action: Callable[[], Any], top: int) -> Any:
    profile = cProfile.Profile()
    profile.enable()
    try:
        return action()
    finally:
        profile.disable()
        for order in ("cumulative", "tottime"):
            stream = io.StringIO()
            pstats.Stats(profile, stream=stream).sort_stats(order).print_stats(top)
            text = stream.getvalue()
            text = text[text.find("   ncalls") :]
            print(f"\n--- cProfile: {label}, by {order} ---\n{text.rstrip()}")


def big_bench(server: PostgresServer, work: Path, args: argparse.Namespace) -> None:
    db = make_db(server, "crm_big")
    rep = "bigrep"
    db.add_user("bigmgr", "manager")
    rep_id = db.add_user(rep, "rep", manager="bigmgr")
    maker = Maker(seed=1)
    load_s, _made = timed(
        lambda: load_customers(db, maker, args.customers, args.followups, [rep_id])
    )
    print(
        f"server load, {args.customers:,} customers + {args.followups:,} follow-ups "
        f"(COPY as admin, capture triggers on): {load_s:.1f} s"
    )

    device = new_device(db, rep, work / "big-device")
    first_s, report = timed(device.sync)
    first_peak = peak_mb()
    fetch_s, insert_s, raw_rows = raw_baseline(db, rep, work / "big-baseline")
    baseline_s = fetch_s + insert_s
    print("\n1. first sync of a new device")
    print(f"   sync_once:                               {first_s:7.2f} s   ({describe(report)})")
    print(
        f"   baseline, COPY TO STDOUT + executemany:  {baseline_s:7.2f} s   "
        f"({raw_rows:,} rows: COPY {fetch_s:.2f} s, SQLite insert {insert_s:.2f} s)"
    )
    print(
        f"   ratio sync / baseline:                   {first_s / baseline_s:7.1f} x   "
        "(goal: < 30 s and within 3x)"
    )
    print(f"   peak memory after the first sync:        {first_peak:7.0f} MB")
    # The first sync returned the rep's overdue customers to the public pool (where his edits
    # would be refused): the edits below are of those he still owns.
    with psycopg.connect(db.admin_dsn) as connection:
        ids = [
            str(row_id)
            for (row_id,) in connection.execute(
                "SELECT id FROM customers WHERE owner_id = %s AND deleted_at IS NULL ORDER BY id",
                (rep_id,),
            )
        ]
    assert len(ids) >= 4 * CHANGES_EACH_WAY, f"the rep kept only {len(ids)} customers"

    noop = []
    for _ in range(NOOP_RUNS):
        seconds, report = timed(device.sync)
        noop.append(seconds)
    print("\n2. sync with nothing to do")
    print(
        f"   median of {NOOP_RUNS}:                             {ms(statistics.median(noop)):>9}"
        f"   (min {ms(min(noop))}, max {ms(max(noop))}; goal < 200 ms; {describe(report)})"
    )

    def changes_each_way(batch: int) -> tuple[float, float, float, SyncReport]:
        local_ids = ids[2 * batch * CHANGES_EACH_WAY : (2 * batch + 1) * CHANGES_EACH_WAY]
        remote_ids = ids[(2 * batch + 1) * CHANGES_EACH_WAY : (2 * batch + 2) * CHANGES_EACH_WAY]
        writer = device.profile.writer()

        def edit_locally() -> None:
            for number, row_id in enumerate(local_ids):
                values = {"name": maker.company()[0]} if number % 2 else {"phone": maker.mobile()}
                writer.update("customers", row_id, values)

        def edit_on_server() -> None:
            with psycopg.connect(db.admin_dsn) as connection, connection.cursor() as cursor:
                cursor.executemany(
                    "UPDATE customers SET industry = %s, phone = %s WHERE id = %s",
                    [(maker.company()[2], maker.mobile(), row_id) for row_id in remote_ids],
                )

        local_s, _ = timed(edit_locally)
        remote_s, _ = timed(edit_on_server)
        sync_s, report = timed(device.sync)
        return local_s, remote_s, sync_s, report

    local_s, remote_s, sync_s, report = changes_each_way(0)
    print(f"\n3. {CHANGES_EACH_WAY} changes each way")
    print(f"   {CHANGES_EACH_WAY} local edits through Writer.update:    {ms(local_s):>9}")
    print(f"   {CHANGES_EACH_WAY} server edits by SQL as admin:         {ms(remote_s):>9}")
    print(
        f"   sync_once:                               {ms(sync_s):>9}"
        f"   (goal < 1 s; {describe(report)})"
    )

    problems = differences(rep, device_customers(device), server_customers(db, rep))
    verdict = "converged" if not problems else f"{len(problems)} differences"
    print(f"   big device vs server after step 3:       {verdict}")
    for line in problems[:10]:
        print(line)

    if args.cprofile:
        fresh = new_device(db, rep, work / "big-device-profiled")
        profiled("first sync of a new device", fresh.sync, args.cprofile_top)
        fresh.profile.close()
        profiled("sync with nothing to do", device.sync, args.cprofile_top)
        profiled(
            f"{CHANGES_EACH_WAY} changes each way (edits + sync)",
            lambda: changes_each_way(1),
            args.cprofile_top,
        )
    device.profile.close()


# -- 4. many devices at once --------------------------------------------------------------------


@dataclass
class Round:
    wall_s: float
    each_s: list[float]
    reports: list[SyncReport | None]
    errors: list[str]


def sync_together(devices: list[Device]) -> Round:
    """Every device's sync_once in its own thread (and connection), started together."""
    barrier = threading.Barrier(len(devices))

    def one(device: Device) -> tuple[float, SyncReport | None, str | None]:
        barrier.wait()
        started = time.perf_counter()
        try:
            report, error = device.sync(), None
        except Exception as failure:  # reported, not fatal: the next round retries
            report, error = None, f"{device.login}: {type(failure).__name__}: {failure}"
        return time.perf_counter() - started, report, error

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(devices)) as pool:
        results = list(pool.map(one, devices))
    wall = time.perf_counter() - started
    return Round(
        wall,
        [seconds for seconds, _, _ in results],
        [report for _, report, _ in results],
        [error for _, _, error in results if error],
    )


def random_edits(device: Device, rng: random.Random, maker: Maker, count: int) -> dict[str, int]:
    """Edits to the device's own live customers (its rep's and the pool's, which an edit
    claims): names, phones, industries, deletes, releasing to the pool and claiming from it."""
    connection = sqlite3.connect(f"file:{device.store_path}?mode=ro", uri=True)
    try:
        live = connection.execute(
            "SELECT id, owner_id FROM customers WHERE deleted_at IS NULL"
        ).fetchall()
    finally:
        connection.close()
    me = device.profile.user_id
    writer = device.profile.writer()
    outcomes: dict[str, int] = {}
    for _ in range(count):
        if not live:
            break
        position = rng.randrange(len(live))
        row_id, owner = live[position]
        roll = rng.random()
        # The server takes no change to a pool customer that does not claim it: a rep's edit
        # of one claims it in the same change, as the window does.
        claim = {"owner_id": me} if owner is None and roll < 0.85 else {}
        if claim:
            live[position] = (row_id, me)
        try:
            if roll < 0.35:
                kind = "name"
                writer.update("customers", row_id, {"name": maker.company()[0], **claim})
            elif roll < 0.6:
                kind = "phone"
                writer.update("customers", row_id, {"phone": maker.mobile(), **claim})
            elif roll < 0.8:
                kind = "industry"
                writer.update("customers", row_id, {"industry": maker.company()[2], **claim})
            elif roll < 0.85:
                kind = "delete"
                if claim:
                    writer.update("customers", row_id, claim)
                writer.delete("customers", [row_id])
                live.pop(position)
            elif owner == me:
                kind = "release"
                writer.update("customers", row_id, {"owner_id": None})
                live[position] = (row_id, None)
            else:
                kind = "claim"
                writer.update("customers", row_id, {"owner_id": me})
                live[position] = (row_id, me)
        except Exception as failure:  # a local refusal is an outcome, not a crash
            kind = f"{kind} refused locally ({type(failure).__name__}: {failure})"
        outcomes[kind] = outcomes.get(kind, 0) + 1
    return outcomes


def round_line(label: str, result: Round) -> str:
    reports = [report for report in result.reports if report is not None]
    pushed = sum(report.pushed.applied for report in reports)
    conflicts = sum(report.pushed.conflicts for report in reports)
    refused = sum(report.pushed.refused for report in reports)
    received = sum(report.pulled.received for report in reports)
    return (
        f"   {label:22} {result.wall_s:6.2f} s wall; per device median "
        f"{ms(statistics.median(result.each_s))}, max {ms(max(result.each_s))}; "
        f"pushed {pushed}, conflicts {conflicts}, refused {refused}, received {received}, "
        f"errors {len(result.errors)}"
    )


FLEET_CLAIMS_PER_DAY = 1000


def fleet_bench(server: PostgresServer, work: Path, args: argparse.Namespace) -> bool:
    db = make_db(server, "crm_fleet")
    reps = [f"rep{number}" for number in range(1, args.reps + 1)]
    owners: list[str | None] = [db.add_user(rep, "rep") for rep in reps]
    # One customer in ten in the public pool, which every rep sees (and may claim).
    owners += [None] * max(1, len(owners) // 9)
    maker = Maker(seed=2)
    load_customers(db, maker, args.fleet_customers, args.fleet_customers, owners)
    # The loaded customers' owners got them long ago, so most return to the pool at the first
    # syncs, and a rep's edit of a pool customer claims it. With the default cap (5 claims a
    # day) nearly every edit would be refused; with this one, claims race each other instead.
    with psycopg.connect(db.admin_dsn) as connection:
        connection.execute(
            "UPDATE crm_rules SET value = %s WHERE key = 'claim_per_day'", (FLEET_CLAIMS_PER_DAY,)
        )
    devices = [
        new_device(db, reps[number % len(reps)], work / f"fleet-{number:02d}")
        for number in range(args.devices)
    ]
    print(
        f"\n4. {len(devices)} devices of {len(reps)} reps, {args.fleet_customers:,} customers "
        f"(+ as many follow-ups), {args.edits} random edits per device per round, "
        f"claim_per_day {FLEET_CLAIMS_PER_DAY}"
    )
    errors: list[str] = []
    result = sync_together(devices)
    print(round_line("first syncs, together", result))
    errors += result.errors
    rng = random.Random(3)
    for number in range(1, args.rounds + 1):
        outcomes: dict[str, int] = {}
        for device in devices:
            for kind, count in random_edits(device, rng, maker, args.edits).items():
                outcomes[kind] = outcomes.get(kind, 0) + count
        result = sync_together(devices)
        print(round_line(f"round {number}, together", result))
        print("     edits: " + ", ".join(f"{kind} {count}" for kind, count in outcomes.items()))
        errors += result.errors
    # Sequential rounds until one pushes nothing: a device whose concurrent sync failed pushes
    # late, and the devices that synced before it in that round need one more pull.
    for number in range(1, 4):
        each, reports = [], []
        started = time.perf_counter()
        for device in devices:
            seconds, report = timed(device.sync)
            each.append(seconds)
            reports.append(report)
        result = Round(time.perf_counter() - started, each, reports, [])
        print(round_line(f"sequential round {number}", result))
        if not any(report.pushed.applied or report.pushed.conflicts for report in reports):
            break
    for error in errors[:10]:
        print(f"     error: {error}")
    if len(errors) > 10:
        print(f"     ... and {len(errors) - 10} more errors")

    problems = []
    seen: dict[str, dict[str, tuple]] = {}
    for number, device in enumerate(devices):
        if device.login not in seen:
            seen[device.login] = server_customers(db, device.login)
        problems += differences(
            f"device {number} ({device.login})", device_customers(device), seen[device.login]
        )
    for device in devices:
        device.profile.close()
    if problems:
        print(f"   {len(problems)} differences between devices and the server:")
        for line in problems[:30]:
            print(line)
        return False
    print(f"   {len(devices)} devices converged")
    return True


# -- main ---------------------------------------------------------------------------------------


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through main's finally: the server is stopped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--followups", type=int, default=100_000)
    parser.add_argument("--devices", type=int, default=20)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--fleet-customers", type=int, default=2_000)
    parser.add_argument("--edits", type=int, default=10, help="per device per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--skip-big", action="store_true", help="only the many-devices part")
    parser.add_argument("--skip-fleet", action="store_true", help="only parts 1-3")
    parser.add_argument("--cprofile", action="store_true", help="add profiled runs of 1-3")
    parser.add_argument("--cprofile-top", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the device profiles")
    args = parser.parse_args()

    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGHUP, _exit_on_signal)
    work = Path(tempfile.mkdtemp(prefix="crm-bench-sync-"))
    server = make_server()
    converged = True
    try:
        server.initdb()
        server.start()
        server.create_role(CRM_ADMIN, CRM_ADMIN_PASSWORD, "LOGIN CREATEROLE CREATEDB")
        if not args.skip_big:
            big_bench(server, work, args)
        if not args.skip_fleet:
            converged = fleet_bench(server, work, args)
    finally:
        stop_server(server)
        if args.keep:
            print(f"device profiles kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\npeak memory (max RSS) of this process:      {peak_mb():7.0f} MB")
    return 0 if converged else 1


if __name__ == "__main__":
    sys.exit(main())
