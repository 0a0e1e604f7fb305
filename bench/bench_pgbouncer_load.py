"""Many devices syncing at once through pgbouncer (transaction pooling) against a big server.

    .venv/bin/python bench/bench_pgbouncer_load.py [--customers 100000] [--devices 50]
        [--managers 4] [--per-rep 2000] [--edits 10] [--rounds 3] [--pool-size 1]

Starts its own throwaway PostgreSQL (the suite's harness, tests/postgres.py) and a real
pgbouncer in front of it (tests/pgbouncer.py), bulk-loads --customers customers (COPY as the
admin, capture triggers on, like bench/bench_sync.py), --per-rep to each rep, a few to each
manager and 1% in the public pool, with reps beyond the devices' own owning the rest. Then
--devices devices, each a separate process and its own user (--managers managers, the rest
reps), linked through pgbouncer:

1. first syncs, all at once (each device's profile is made by a real first sync);
2. --rounds rounds: every device makes --edits random edits offline (names, phones,
   industries, deletes, claims from and releases to the pool, over its own customers and the
   pool's, which every rep shares), then all sync at the same moment; plus a round with no
   edits (the periodic sync that is most of a day's traffic), the same one device at a time
   (a quiet server), and an edit round and a no-edit round linked straight to PostgreSQL;
3. rounds with no edits until nothing moves, then every device is compared with what its
   user sees on the server;
4. baselines in the same run, as many processes at once: a bare connection + `SELECT 1`
   through pgbouncer and straight to PostgreSQL, and the same edits as plain SQL (one
   transaction of --edits UPDATEs through pgbouncer, then a SELECT of the user's rows).

For each: sync time p50/p95/max, server CPU per sync (utime+stime of every process of the
cluster from /proc: the postmaster's own and reaped children's, plus live backends; and
pgbouncer's), the change log's (sync_changes) growth in rows and bytes, and a day of such
traffic extrapolated (--edits-per-day per user, --syncs-per-day per device). The devices run
on the same machine as the server, so their own CPU competes with it: their CPU per sync is
printed too. Timings are printed, never asserted. --waits samples what busy server sessions
wait for; --statements lists each step's costliest statements (pg_stat_statements).
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import math
import multiprocessing
import os
import random
import resource
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
for path in (ROOT, BENCH):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import bench_sync  # noqa: E402
import psycopg  # noqa: E402

from crm_desktop.profile import open_profile  # noqa: E402
from crm_desktop.storage.store import STORE_FILE  # noqa: E402
from crm_desktop.sync import link  # noqa: E402
from crm_desktop.sync.engine import SyncReport  # noqa: E402
from crm_desktop.sync.server.admin import set_rule  # noqa: E402
from tests.pgbouncer import Pgbouncer, start_pgbouncer, stop_pgbouncer  # noqa: E402
from tests.postgres import CRM_ADMIN, CRM_ADMIN_PASSWORD, PostgresServer  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")
POOL_SHARE = 0.01  # of the customers, in the public pool (every rep sees them)
MANAGER_OWNS = 200  # customers each manager owns himself
SETTLE_ROUNDS = 4
DBNAME = "crm_load"


# -- measuring ----------------------------------------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as file:
            text = file.read()
    except OSError:  # gone meanwhile
        return None
    return text[text.rindex(")") + 2 :].split()  # after "pid (comm) ": state is field 0


def process_cpu(pid: int, children: bool = False) -> float:
    """Seconds of CPU of one process (utime+stime), with its reaped children's if asked."""
    fields = _stat(pid)
    if fields is None:
        return 0.0
    # /proc/PID/stat fields 14-17 (utime, stime, cutime, cstime) are 11-14 here.
    ticks = int(fields[11]) + int(fields[12])
    if children:
        ticks += int(fields[13]) + int(fields[14])
    return ticks / TICKS


def cluster_cpu(server: PostgresServer) -> float:
    """CPU seconds the whole cluster has used: the postmaster with every backend it has reaped
    (the kernel adds a reaped child's time to its parent's cutime/cstime), plus the live ones."""
    postmaster = int((server.data_dir / "postmaster.pid").read_text().split()[0])
    total = process_cpu(postmaster, children=True)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            fields = _stat(int(entry))
            if fields is not None and int(fields[1]) == postmaster:
                total += (int(fields[11]) + int(fields[12])) / TICKS
    return total


@dataclass
class Meter:
    """Server CPU and change-log size, before and after one step."""

    server: PostgresServer
    bouncer: Pgbouncer
    dbname: str
    cpu: float = 0.0
    bouncer_cpu: float = 0.0
    log_rows: int = 0
    log_bytes: int = 0
    waits: bool = False
    statements: bool = False

    def row_size(self, after_seq: int) -> tuple[int, float]:
        """(rows, average bytes of a row's data) of the change log after `after_seq`."""
        with self.server.connect(self.dbname) as connection:
            rows, size = connection.execute(
                "SELECT count(*), coalesce(avg(pg_column_size(s.*)), 0) FROM sync_changes s"
                " WHERE seq > %s",
                (after_seq,),
            ).fetchone()
        return rows, float(size)

    def last_seq(self) -> int:
        with self.server.connect(self.dbname) as connection:
            return connection.execute("SELECT coalesce(max(seq), 0) FROM sync_changes").fetchone()[
                0
            ]

    def read(self) -> tuple[float, float, int, int]:
        with self.server.connect(self.dbname) as connection:
            rows, size = connection.execute(
                "SELECT count(*), pg_total_relation_size('sync_changes') FROM sync_changes"
            ).fetchone()
        assert self.bouncer.process is not None
        return cluster_cpu(self.server), process_cpu(self.bouncer.process.pid), rows, size

    def start(self) -> None:
        self.cpu, self.bouncer_cpu, self.log_rows, self.log_bytes = self.read()

    def stop(self) -> tuple[float, float, int, int]:
        """(server CPU s, pgbouncer CPU s, change-log rows, change-log bytes) since start."""
        cpu, bouncer_cpu, rows, size = self.read()
        return (
            cpu - self.cpu,
            bouncer_cpu - self.bouncer_cpu,
            rows - self.log_rows,
            size - self.log_bytes,
        )


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 50 values is the 48th)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


# -- the devices, one process each ----------------------------------------------------------------


@dataclass
class Result:
    """What one device reports for one step."""

    seconds: float = 0.0
    client_cpu: float = 0.0
    pushed: int = 0
    conflicts: int = 0
    refused: int = 0
    received: int = 0
    edits: int = 0
    error: str | None = None


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed(action: Callable[[], Any]) -> tuple[float, float, Any]:
    cpu, started = _cpu_self(), time.perf_counter()
    value = action()
    return time.perf_counter() - started, _cpu_self() - cpu, value


def device_process(
    pipe: Connection,
    barrier: Any,
    directory: Path,
    conninfo: str,
    login: str,
    password: str,
    direct_dsn: str,
    bounced_dsn: str,
    direct_conninfo: str,
    seed: int,
) -> None:
    """One laptop: waits for commands, does its part, and reports a Result."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles ^C and stops us
    profile = open_profile(directory)
    profile.store.set_setting(link.SERVER_KEY, conninfo)
    profile.store.set_setting(link.LOGIN_KEY, login)
    device = bench_sync.Device(profile, login, password)
    rng = random.Random(seed)
    maker = bench_sync.Maker(seed)
    try:
        while True:
            command, argument = pipe.recv()
            if command == "stop":
                break
            result = Result()
            action: Callable[[], Any] | None = None
            try:  # preparing: a failure here is reported, and the others still start
                if command in ("sync", "sync-direct", "sync-alone"):
                    # The same device straight to PostgreSQL for one sync, for comparison.
                    address = direct_conninfo if command == "sync-direct" else conninfo
                    profile.store.set_setting(link.SERVER_KEY, address)
                    if argument:
                        outcomes = bench_sync.random_edits(device, rng, maker, argument)
                        result.edits = sum(outcomes.values())
                    action = device.sync
                elif command in ("bare-bounced", "bare-direct"):
                    dsn = bounced_dsn if command == "bare-bounced" else direct_dsn
                    action = functools.partial(bare_select, dsn)
                elif command == "raw-edits":
                    ids = own_customers(device, argument)
                    result.edits = len(ids)
                    action = functools.partial(raw_edits, bounced_dsn, ids, maker)
            except Exception as failure:
                result.error = f"{login}: {type(failure).__name__}: {failure}"
            if not command.endswith("-alone"):
                barrier.wait()  # every device starts its step at the same moment
            if action is not None:
                try:
                    result.seconds, result.client_cpu, report = _timed(action)
                except Exception as failure:  # reported, not fatal: the next round retries
                    result.error = f"{login}: {type(failure).__name__}: {failure}"
                else:
                    if isinstance(report, SyncReport):
                        result.pushed = report.pushed.applied
                        result.conflicts = report.pushed.conflicts
                        result.refused = report.pushed.refused
                        result.received = report.pulled.received
            pipe.send(result)
    finally:
        profile.close()


def bare_select(dsn: str) -> None:
    with psycopg.connect(dsn, prepare_threshold=None) as connection:
        connection.execute("SELECT 1").fetchone()


def own_customers(device: bench_sync.Device, count: int) -> list[str]:
    me = device.profile.user_id
    rows = bench_sync.device_customers(device)
    return sorted(row_id for row_id, row in rows.items() if row[3] == me and row[4] is None)[:count]


def raw_edits(dsn: str, ids: list[str], maker: bench_sync.Maker) -> None:
    """The round's work as plain SQL: the edits in one transaction, then the user's rows
    changed since (what a pull would have to find)."""
    with psycopg.connect(dsn, prepare_threshold=None) as connection:
        with connection.transaction():
            started = connection.execute("SELECT now()").fetchone()[0]
            for row_id in ids:
                connection.execute(
                    "UPDATE customers SET phone = %s WHERE id = %s", (maker.mobile(), row_id)
                )
        connection.execute(
            "SELECT id, name, phone, industry, owner_id FROM customers WHERE updated_at >= %s",
            (started,),
        ).fetchall()


@dataclass
class Fleet:
    processes: list[multiprocessing.process.BaseProcess] = field(default_factory=list)
    pipes: list[Connection] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)

    def run(self, command: str, argument: int = 0) -> list[Result]:
        for pipe in self.pipes:
            pipe.send((command, argument))
        return [pipe.recv() for pipe in self.pipes]

    def one_by_one(self, command: str) -> list[Result]:
        results = []
        for pipe in self.pipes:
            pipe.send((command, 0))
            results.append(pipe.recv())
        return results

    def stop(self) -> None:
        for pipe in self.pipes:
            with contextlib.suppress(OSError):  # a process that died already
                pipe.send(("stop", 0))
        for process in self.processes:
            process.join(timeout=30)
            if process.is_alive():
                process.terminate()
                process.join()


def start_fleet(db: bench_sync.CrmDb, bouncer: Pgbouncer, logins: list[str], work: Path) -> Fleet:
    # Forked after every connection of ours is closed, so no child shares one.
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(logins))
    fleet = Fleet(logins=logins)
    for number, login in enumerate(logins):
        mine, theirs = context.Pipe()
        process = context.Process(
            target=device_process,
            args=(
                theirs,
                barrier,
                work / f"device-{number:02d}",
                bouncer.conninfo(db.name),
                login,
                db.passwords[login],
                db.dsn_for(login),
                bouncer.dsn(login, db.passwords[login], db.name),
                db.conninfo,
                1000 + number,
            ),
            daemon=True,
        )
        process.start()
        fleet.processes.append(process)
        fleet.pipes.append(mine)
    return fleet


# -- the server ---------------------------------------------------------------------------------


@dataclass
class Team:
    managers: list[str]
    reps: list[str]  # with a device
    others: list[str]  # reps without a device in this bench: they own the rest


def make_team(db: bench_sync.CrmDb, args: argparse.Namespace) -> Team:
    managers = [f"mgr{number:02d}" for number in range(1, args.managers + 1)]
    device_reps = args.devices - args.managers
    pooled = int(args.customers * POOL_SHARE)
    owned_by_reps = args.customers - pooled - MANAGER_OWNS * len(managers)
    needed = max(device_reps, math.ceil(owned_by_reps / args.per_rep))
    reps = [f"rep{number:03d}" for number in range(1, needed + 1)]
    for login in managers:
        db.add_user(login, "manager")
    for number, login in enumerate(reps):
        db.add_user(login, "rep", manager=managers[number % len(managers)] if managers else None)
    return Team(managers, reps[:device_reps], reps[device_reps:])


def load_server(db: bench_sync.CrmDb, team: Team, args: argparse.Namespace) -> None:
    maker = bench_sync.Maker(seed=14)
    owners: list[str | None] = []
    for login in team.managers:
        owners += [db.ids[login]] * MANAGER_OWNS
    reps = team.reps + team.others
    for number in range(args.customers - len(owners) - int(args.customers * POOL_SHARE)):
        owners.append(db.ids[reps[number % len(reps)]])
    owners += [None] * (args.customers - len(owners))
    maker.rng.shuffle(owners)

    def rows() -> Iterator[tuple]:
        for owner in owners:
            yield maker.customer(owner)

    bench_sync.load(db, "customers", rows())
    # Rules a company of this size would set: a rep owns --per-rep customers (over the default
    # cap of 1,000) and may claim from the pool through the rounds. Returns to the pool are
    # pushed out of the bench's reach: they are the daily job's work (`server apply-rules`),
    # and the random follow-up dates would send a third of everything back on the first sync.
    for key, value in (
        ("max_owned", str(max(1000, 3 * args.per_rep))),
        ("claim_per_day", "1000"),
        ("pool_return_days", "3650"),
    ):
        set_rule(db.admin_dsn, key, value)


def tune(server: PostgresServer, args: argparse.Namespace) -> None:
    """Room for every pool's connections, a cache that holds the data, and durable commits
    like a real server (the harness turns fsync off); applied by a restart."""
    settings = {
        "max_connections": str(max(100, 2 * args.devices * args.pool_size + 20)),
        "shared_buffers": args.shared_buffers,
    }
    if args.durable:
        settings.update(fsync="on", synchronous_commit="on", full_page_writes="on")
    if args.statements:
        settings["shared_preload_libraries"] = "pg_stat_statements"
    for name, value in settings.items():
        server.execute(f"ALTER SYSTEM SET {name} = '{value}'")
    server.stop()
    server.start()  # postgresql.auto.conf (ALTER SYSTEM) wins over the harness's lines
    if args.statements:
        server.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", DBNAME)


def top_statements(server: PostgresServer, label: str, count: int = 12) -> None:
    """The statements that took the server's time since the last call (--statements)."""
    with server.connect(DBNAME) as connection:
        # One entry per statement and user: summed over the users.
        rows = connection.execute(
            "SELECT sum(calls)::bigint, sum(total_exec_time), sum(rows)::bigint,"
            " regexp_replace(query, '\\s+', ' ', 'g') AS text FROM pg_stat_statements"
            " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " GROUP BY text ORDER BY 2 DESC LIMIT %s",
            (count,),
        ).fetchall()
        connection.execute("SELECT pg_stat_statements_reset()")
    if label:
        print(f"     statements by server time, {label}:")
        for calls, total, found, query in rows:
            print(
                f"       {total:8.0f} ms {calls:6} calls {total / calls:7.1f} ms each"
                f" {found:7} rows  {query[:80]}"
            )


# -- report -------------------------------------------------------------------------------------


@dataclass
class Step:
    label: str
    results: list[Result]
    wall: float
    cpu: float
    bouncer_cpu: float
    log_rows: int
    log_bytes: int

    @property
    def ok(self) -> list[Result]:
        return [result for result in self.results if result.error is None]

    def line(self) -> str:
        times = [result.seconds for result in self.ok] or [0.0]
        count = max(1, len(self.ok))
        pushed = sum(result.pushed for result in self.ok)
        conflicts = sum(result.conflicts for result in self.ok)
        received = sum(result.received for result in self.ok)
        client = statistics.mean([result.client_cpu for result in self.ok] or [0.0])
        errors = len(self.results) - len(self.ok)
        return (
            f"   {self.label:26} p50 {ms(percentile(times, 0.5)):>8}  p95 "
            f"{ms(percentile(times, 0.95)):>8}  max {ms(max(times)):>8}  wall {self.wall:5.1f} s\n"
            f"   {'':26} server CPU {ms(self.cpu / count):>7}/op (pgbouncer "
            f"{ms(self.bouncer_cpu / count)}), device CPU {ms(client)}/op; "
            f"pushed {pushed}, conflicts {conflicts}, received {received}; change log "
            f"+{self.log_rows} rows, +{self.log_bytes / 1024:,.0f} kB; errors {errors}"
        )


class WaitSampler:
    """What the cluster's sessions are doing, sampled every 50 ms during a step (--waits):
    where sync time goes that is not CPU."""

    def __init__(self, server: PostgresServer, dbname: str) -> None:
        self.server, self.dbname = server, dbname
        self.seen: Counter[str] = Counter()
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        with self.server.connect(self.dbname) as connection:
            while not self._stop.wait(0.05):
                rows = connection.execute(
                    "SELECT state, wait_event_type, wait_event, left(query, 60)"
                    " FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
                    " AND state <> 'idle'",
                    (self.dbname,),
                ).fetchall()
                self.samples += 1
                for state, kind, event, query in rows:
                    where = f"{kind}:{event}" if kind else "on CPU"
                    self.seen[f"{state:19} {where:28} {query}"] += 1

    def __enter__(self) -> WaitSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        print(f"     busy sessions, average over {self.samples} samples:")
        for what, count in self.seen.most_common(8):
            print(f"       {count / max(1, self.samples):5.1f}  {' '.join(what.split())}")


def measured(label: str, meter: Meter, action: Callable[[], list[Result]]) -> Step:
    meter.start()
    started = time.perf_counter()
    if meter.waits:
        with WaitSampler(meter.server, meter.dbname):
            results = action()
    else:
        results = action()
    wall = time.perf_counter() - started
    cpu, bouncer_cpu, rows, size = meter.stop()
    step = Step(label, results, wall, cpu, bouncer_cpu, rows, size)
    print(step.line(), flush=True)
    if meter.statements:
        top_statements(meter.server, label)
    for result in results:
        if result.error:
            print(f"     error: {result.error}")
    return step


def converged(db: bench_sync.CrmDb, fleet: Fleet, work: Path) -> bool:
    problems: list[str] = []
    for number, login in enumerate(fleet.logins):
        # Read-only, straight from the store file (the device's process still holds it open).
        store = SimpleNamespace(store_path=work / f"device-{number:02d}" / STORE_FILE)
        problems += bench_sync.differences(
            f"device {number} ({login})",
            bench_sync.device_customers(store),  # type: ignore[arg-type]
            bench_sync.server_customers(db, login),
        )
    if problems:
        print(f"   {len(problems)} differences between devices and the server:")
        for line in problems[:20]:
            print(line)
        return False
    print(f"   all {len(fleet.logins)} devices hold exactly what their user sees on the server")
    return True


def extrapolate(
    steps: list[Step], idle: Step, args: argparse.Namespace, users: int, row_data: float
) -> None:
    edits = sum(result.edits for step in steps for result in step.ok)
    rows = sum(step.log_rows for step in steps)
    size = sum(step.log_bytes for step in steps)
    syncs = sum(len(step.ok) for step in steps)
    if not edits or not rows:
        return
    rows_per_edit, bytes_per_row = rows / edits, size / rows if size else 0.0
    day_edits = users * args.edits_per_day
    day_syncs = args.devices * args.syncs_per_day
    day_rows = day_edits * rows_per_edit
    day_bytes = day_rows * bytes_per_row
    busy_cpu = sum(step.cpu for step in steps) / syncs
    idle_cpu = idle.cpu / max(1, len(idle.ok))
    day_cpu = day_edits / args.edits * busy_cpu + max(0, day_syncs - day_edits / args.edits) * (
        idle_cpu
    )
    print(
        f"\n5. a day of such traffic (assumed: {users} users x {args.edits_per_day} edits a "
        f"day, {args.devices} devices x {args.syncs_per_day} syncs a day)"
    )
    print(
        f"   change log per edit: {rows_per_edit:.2f} rows, {bytes_per_row:.0f} bytes a row "
        f"on disk (table + indexes, as grown; {row_data:.0f} of them the row's data), "
        f"{rows_per_edit * bytes_per_row:.0f} bytes an edit"
    )
    print(
        f"   change log per day:  {day_rows:,.0f} rows, {day_bytes / 2**20:,.1f} MB; kept 90 "
        f"days (server trim-log's default): {90 * day_rows:,.0f} rows, "
        f"{90 * day_bytes / 2**20:,.0f} MB"
    )
    print(
        f"   server CPU per day:  {day_cpu:,.0f} s, {day_cpu / 36_000:.1%} of one core over a "
        f"10-hour day ({busy_cpu * 1000:.0f} ms a sync with {args.edits} edits, "
        f"{idle_cpu * 1000:.0f} ms a sync with none)"
    )


# -- main ---------------------------------------------------------------------------------------


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through main's finally: everything is stopped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--managers", type=int, default=4, help="of the devices' users")
    parser.add_argument("--per-rep", type=int, default=2_000, help="customers each rep owns")
    parser.add_argument("--edits", type=int, default=10, help="per device per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pool-size", type=int, default=1, help="pgbouncer default_pool_size")
    parser.add_argument(
        "--max-db-connections", type=int, default=0, help="pgbouncer's cap (0: none)"
    )
    parser.add_argument("--shared-buffers", default="256MB")
    parser.add_argument(
        "--no-durable",
        dest="durable",
        action="store_false",
        help="keep the harness's fsync=off (default: fsync and synchronous_commit on)",
    )
    parser.add_argument("--edits-per-day", type=int, default=40, help="per user, extrapolation")
    parser.add_argument("--syncs-per-day", type=int, default=40, help="per device, extrapolation")
    parser.add_argument("--keep", action="store_true", help="keep the device profiles")
    parser.add_argument(
        "--waits", action="store_true", help="sample what busy server sessions wait for"
    )
    parser.add_argument(
        "--statements",
        action="store_true",
        help="the server's costliest statements per step (pg_stat_statements)",
    )
    args = parser.parse_args()
    if not 0 <= args.managers < args.devices:
        parser.error("--managers must be fewer than --devices")

    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGHUP, _exit_on_signal)
    work = Path(tempfile.mkdtemp(prefix="crm-bench-pgbouncer-"))
    server = bench_sync.make_server()
    bouncer: Pgbouncer | None = None
    fleet: Fleet | None = None
    ok = True
    began = time.perf_counter()
    try:
        server.initdb()
        server.start()
        server.create_role(CRM_ADMIN, CRM_ADMIN_PASSWORD, "LOGIN CREATEROLE CREATEDB")
        db = bench_sync.make_db(server, DBNAME)
        team = make_team(db, args)
        seconds, _ = bench_sync.timed(lambda: load_server(db, team, args))
        print(
            f"server: {args.customers:,} customers loaded in {seconds:.1f} s (COPY, capture "
            f"on); {len(team.managers)} managers, {len(team.reps)} reps with a device, "
            f"{len(team.others)} more reps; {args.per_rep:,} customers a rep, "
            f"{int(args.customers * POOL_SHARE):,} in the public pool"
        )
        tune(server, args)
        settings = {"default_pool_size": str(args.pool_size), "max_client_conn": "1000"}
        if args.max_db_connections:
            settings["max_db_connections"] = str(args.max_db_connections)
        bouncer = start_pgbouncer(server, **settings)
        bouncer.serve(DBNAME)
        print(
            f"pgbouncer: transaction pooling, default_pool_size {args.pool_size}, "
            f"max_db_connections {args.max_db_connections or 'unlimited'}; PostgreSQL "
            f"shared_buffers {args.shared_buffers}, "
            f"{'durable commits' if args.durable else 'fsync off'}; {os.cpu_count()} CPUs"
        )
        logins = team.managers + team.reps
        fleet = start_fleet(db, bouncer, logins, work)
        meter = Meter(server, bouncer, db.name, waits=args.waits, statements=args.statements)
        if args.statements:
            top_statements(server, "")  # from here on
        print(f"\n1. {len(logins)} devices (processes), each its own user, first syncs at once")
        measured("first syncs", meter, lambda: fleet.run("sync"))

        print(f"\n2. {args.rounds} rounds of {args.edits} offline edits per device, synced at once")
        first_seq = meter.last_seq()
        steps = [
            measured(f"round {number}", meter, lambda: fleet.run("sync", args.edits))
            for number in range(1, args.rounds + 1)
        ]
        _, row_data = meter.row_size(first_seq)
        idle = measured("round with no edits", meter, lambda: fleet.run("sync"))
        measured("no edits, one at a time", meter, lambda: fleet.one_by_one("sync-alone"))
        measured(
            "round, direct to PostgreSQL",
            meter,
            lambda: fleet.run("sync-direct", args.edits),
        )
        measured("no edits, direct", meter, lambda: fleet.run("sync-direct"))

        print("\n3. settling: rounds with no edits until nothing moves")
        for number in range(1, SETTLE_ROUNDS + 1):
            step = measured(f"settle {number}", meter, lambda: fleet.run("sync"))
            if not any(r.pushed or r.conflicts or r.received or r.error for r in step.results):
                break
        ok = converged(db, fleet, work)

        print(f"\n4. baselines, {len(logins)} processes at once")
        measured("connect + SELECT 1, bouncer", meter, lambda: fleet.run("bare-bounced"))
        measured("connect + SELECT 1, direct", meter, lambda: fleet.run("bare-direct"))
        measured(
            f"{args.edits} UPDATEs + SELECT, SQL", meter, lambda: fleet.run("raw-edits", args.edits)
        )
        extrapolate(steps, idle, args, len(logins), row_data)
    finally:
        if fleet is not None:
            fleet.stop()
        if bouncer is not None:
            stop_pgbouncer(bouncer)
        bench_sync.stop_server(server)
        if args.keep:
            print(f"device profiles kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nwhole bench: {time.perf_counter() - began:.0f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
