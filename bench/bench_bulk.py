"""A company's first day at 100,000 customers, step by step, beside raw baselines from the same run.

    .venv/bin/python bench/bench_bulk.py [--customers 100000] [--followups 100000]

Starts its own throwaway PostgreSQL (tests/postgres.py, as bench_sync.py does) and measures:

1. `import` of a CSV of --customers customers (an old system's list: names, phones, emails,
   addresses, some ID numbers and licence plates) into a fresh profile;
2. the first sync of that profile, which pushes them all;
3. a new device's first sync of them, beside the raw baseline the issue asks for: `COPY` of
   the same server tables out, then one `executemany` into bare SQLite tables (same columns,
   no indexes, no constraints); the same rows as the device receives, the customers'
   ownership history included;
4. `export --format xlsx` of the imported customers;
5. the peak memory of `crm-desktop sync` taking --customers customers and --followups
   follow-ups to a new profile: the command line itself, in a process of its own (max RSS is
   per process).

Every step goes through the same functions the command line calls. Timings are printed as a
table, never asserted.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
if str(BENCH) not in sys.path:
    sys.path.insert(0, str(BENCH))

import bench_sync  # noqa: E402  (puts the checkout on sys.path too)
import psycopg  # noqa: E402

from crm_desktop.models.identifiers import id_card_check  # noqa: E402
from crm_desktop.sync import history  # noqa: E402
from crm_desktop.sync.codec import synced_columns  # noqa: E402
from crm_desktop.transfer.exporting import export_xlsx  # noqa: E402
from crm_desktop.transfer.importing import import_file  # noqa: E402
from tests.postgres import CRM_ADMIN, CRM_ADMIN_PASSWORD  # noqa: E402

# The columns of the old system's list, as a clerk would map them.
CSV_COLUMNS = (
    "name",
    "short_name",
    "kind",
    "grade",
    "industry",
    "source",
    "address",
    "phone",
    "phone2",
    "email",
    "notes",
    "identifiers",
)
ID_NUMBER_SHARE = 0.3
PLATE_SHARE = 0.2
PROVINCES = "粤京沪浙苏川鲁豫鄂湘"
# What a new device holds after a first sync of the imported list.
SYNCED_TABLES = ("users", "customers", "customer_identifiers")
HISTORY = "ownership_history"
HISTORY_COLUMNS = (
    "id",
    "customer_id",
    "previous_owner_id",
    "owner_id",
    "kind",
    "reason",
    "changed_at",
    "changed_by",
)


def timed(action: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def write_csv(path: Path, customers: int, seed: int = 7) -> None:
    """An old system's customer list: like the demo's customers, with spellings as people type
    them (+86 phones, plates with a space)."""
    maker = bench_sync.Maker(seed)
    columns = synced_columns("customers")
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        out = csv.writer(file)
        out.writerow(CSV_COLUMNS)
        for _ in range(customers):
            row = dict(zip(columns, maker.customer(None), strict=True))
            rng = maker.rng
            identifiers = []
            if rng.random() < ID_NUMBER_SHARE:
                # A real number's shape: an area, a birth date, a serial, its check character.
                born = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 45))
                body = f"4403{rng.randrange(100):02d}{born:%Y%m%d}{rng.randrange(1000):03d}"
                identifiers.append(f"id_card: {body}{id_card_check(body)}")
            if rng.random() < PLATE_SHARE:
                plate = f"{rng.choice(PROVINCES)}{rng.choice('ABCDE')} {rng.randrange(10**5):05d}"
                identifiers.append(f"licence_plate: {plate}")
            row["identifiers"] = "; ".join(identifiers)
            out.writerow(["" if row.get(name) is None else row[name] for name in CSV_COLUMNS])


def raw_copy(db: bench_sync.CrmDb, login: str, target: Path) -> tuple[float, int]:
    """The issue's raw baseline: COPY the tables out, one executemany into bare SQLite tables."""
    started = time.perf_counter()
    connection = sqlite3.connect(target, isolation_level=None)
    rows = 0
    try:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        fetched: dict[str, list[tuple]] = {}
        with psycopg.connect(db.dsn_for(login)) as server:
            for entity in SYNCED_TABLES:
                statement = (
                    f"COPY (SELECT {bench_sync._select_list(entity)} FROM {entity}) TO STDOUT"
                )
                with server.cursor().copy(statement) as copy:
                    fetched[entity] = list(copy.rows())
            # The customers' ownership history, which the device downloads with them (the
            # pull's own query: the rows in the form the store keeps them).
            with server.cursor().copy(f"COPY ({history.SELECT}) TO STDOUT") as copy:
                fetched[HISTORY] = list(copy.rows())
        connection.execute("BEGIN")
        for entity, table_rows in fetched.items():
            columns = HISTORY_COLUMNS if entity == HISTORY else synced_columns(entity)
            connection.execute(f"CREATE TABLE {entity} ({', '.join(columns)})")
            connection.executemany(
                f"INSERT INTO {entity} VALUES ({', '.join('?' * len(columns))})", table_rows
            )
            rows += len(table_rows)
        connection.execute("COMMIT")
    finally:
        connection.close()
    return time.perf_counter() - started, rows


# The memory step runs the command line itself, `connect` then `sync`, in a process of its own
# that imports what the command imports and nothing of this bench (max RSS is per process; read
# from VmHWM, see bench_sync.peak_mb). The password comes as PGPASSWORD, as a script's would.
MEMORY_CHILD = """
import sys
from crm_desktop.cli import main
profile, server, login = sys.argv[1:]
assert main(["--profile", profile, "connect", "--server", server, "--user", login]) == 0
assert main(["--profile", profile, "sync"]) == 0
with open("/proc/self/status", encoding="ascii") as status:
    print(next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmHWM:")))
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--followups", type=int, default=100_000)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="crm-bench-bulk-"))
    server = bench_sync.make_server()
    results: list[tuple[str, str, str]] = []
    try:
        server.initdb()
        server.start()
        server.create_role(CRM_ADMIN, CRM_ADMIN_PASSWORD, "LOGIN CREATEROLE CREATEDB")
        db = bench_sync.make_db(server, "crm_bulk")
        db.add_user("clerk", "rep")
        n = args.customers

        source = work / "customers.csv"
        write_csv(source, n)
        clerk = bench_sync.new_device(db, "clerk", work / "clerk")
        seconds, summary = timed(
            lambda: import_file(clerk.profile.writer(), "customers", source, update=False)
        )
        print(f"import: {seconds:.1f} s, {summary.text()}", flush=True)
        results.append((f"`import` of {n:,} customers", f"{seconds:.1f} s", "—"))

        seconds, report = timed(clerk.sync)
        print(f"first sync (push): {seconds:.1f} s, {bench_sync.describe(report)}", flush=True)
        results.append(("first `sync` pushing them", f"{seconds:.1f} s", "—"))

        raw_s, raw_rows = raw_copy(db, "clerk", work / "raw.sqlite3")
        device = bench_sync.new_device(db, "clerk", work / "device")
        seconds, report = timed(device.sync)
        print(
            f"new device: {seconds:.1f} s, {bench_sync.describe(report)}; raw copy of "
            f"{raw_rows:,} rows {raw_s:.2f} s ({seconds / raw_s:.1f}x)",
            flush=True,
        )
        results.append(
            (
                "a new device's first sync",
                f"{seconds:.1f} s ({seconds / raw_s:.1f}x)",
                f"{raw_s:.2f} s",
            )
        )
        device.profile.close()

        out = work / "customers.xlsx"
        seconds, count = timed(lambda: export_xlsx(clerk.profile.store, "customers", out))
        print(f"export xlsx: {seconds:.1f} s, {count:,} rows", flush=True)
        results.append(("`export --format xlsx`", f"{seconds:.1f} s", "—"))
        clerk.profile.close()

        memory_db = bench_sync.make_db(server, "crm_memory")
        rep = memory_db.add_user("rep", "rep")
        bench_sync.load_customers(memory_db, bench_sync.Maker(3), n, args.followups, [rep])
        host, port = server.host, server.port
        child = subprocess.run(
            [
                sys.executable,
                "-c",
                MEMORY_CHILD,
                str(work / "memory"),
                f"postgresql://{host}:{port}/crm_memory",
                "rep",
            ],
            capture_output=True,
            text=True,
            check=True,
            env={
                **os.environ,
                "QT_QPA_PLATFORM": "offscreen",
                "PGPASSWORD": memory_db.passwords["rep"],
            },
        )
        peak = child.stdout.split()[-1]
        print(f"`crm-desktop sync`, first sync: peak memory {peak} MB", flush=True)
        results.append(
            (
                f"peak memory, first sync of {n:,} customers + {args.followups:,} follow-ups",
                f"{peak} MB",
                "—",
            )
        )
    finally:
        bench_sync.stop_server(server)
        shutil.rmtree(work, ignore_errors=True)

    print("\n| Step | Measured | Raw copy of the same rows |\n|---|---|---|")
    for step, measured, raw in results:
        print(f"| {step} | {measured} | {raw} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
