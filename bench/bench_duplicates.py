"""How long finding duplicates takes at 100,000 customers, beside a raw baseline in the same run.

    .venv/bin/python bench/bench_duplicates.py [--customers 100000] [--profile DIR] [--runs 3]

Uses (building it once, like bench_window.py) a demo profile of --customers customers, and
prints the best and the median of --runs runs of:

1. the raw baseline: the search's own `SELECT`s with the sqlite3 module (the live customers
   with their owner's name, and the identifiers), rows fetched and dropped;
2. `find_duplicate_groups` over the customers (the Find duplicates page's scan), and over
   the contacts;
3. an import's check: `DuplicateIndex.build` over the store, then `matches` and `add` for
   each of 4,700 rows, a third of them stored customers written another way (other phone
   spelling, email in capitals, another legal form), the rest new.

The demo's data is far more repetitive than a real customer list (512 Chinese company names
per city, emails drawn from a small pool), so it finds many more groups than real data would;
the time is what the aim is about. The process's peak memory (max RSS) is printed last: the
search's own, with SQLite's page cache. Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # crm_desktop from this checkout

from crm_desktop.duplicates import DuplicateIndex, find_duplicate_groups, records  # noqa: E402
from crm_desktop.storage.store import STORE_FILE, Store  # noqa: E402

CANDIDATES = 4700
# The statements the search itself runs (crm_desktop/duplicates/records.py), rows fetched and
# dropped.
BASELINE_STATEMENTS = (records.CUSTOMERS_SQL, records.IDENTIFIERS_SQL)
FORMS = ("有限公司", "股份有限公司", "有限责任公司", " Co., Ltd.", " Limited")


def timed(work: Callable[[], Any], runs: int) -> tuple[str, float, Any]:
    """("best–median s", median, the last run's result) of `runs` runs."""
    timings, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - started)
    median = statistics.median(timings)
    return f"{min(timings):5.2f}–{median:5.2f} s", median, result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    source = args.profile or Path(tempfile.gettempdir()) / f"crm-bench-{args.customers}"
    if not (source / STORE_FILE).exists():
        demo = [sys.executable, "-m", "crm_desktop", "--profile", str(source), "demo"]
        subprocess.run([*demo, "--customers", str(args.customers)], check=True)
    store = Store(source)  # read only: nothing here writes
    try:
        measure(store, args.runs)
    finally:
        store.close()
    return 0


def baseline(path: Path) -> int:
    with sqlite3.connect(path) as connection:
        return sum(len(connection.execute(sql).fetchall()) for sql in BASELINE_STATEMENTS)


def scan(store: Store, entity: str) -> list:
    with store.read() as session:
        return find_duplicate_groups(session, entity)


def candidates(path: Path, count: int) -> list[dict[str, Any]]:
    """`count` import rows: a third stored customers written another way, the rest new."""
    rng = random.Random(7)
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT name, phone, email, address FROM customers WHERE deleted_at IS NULL"
        ).fetchall()
    picked = rng.sample(rows, count)
    made = []
    for at, (name, phone, email, address) in enumerate(picked):
        if at % 3 == 0:
            # The same customer as an old list has it: +86 138-0013-8000 as 138 0013 8000.
            national = phone[3:] if phone and phone.startswith("+86") else phone
            spaced = f"{national[:3]} {national[3:7]} {national[7:]}" if national else ""
            stem = name.removesuffix("有限公司").removesuffix(" Ltd")
            made.append(
                {
                    "name": stem + rng.choice(FORMS),
                    "phone": spaced,
                    "email": (email or "").upper(),
                    "address": address or "",
                }
            )
        else:
            # A new company: a trade name of two characters any of the 20,000 common ones.
            trade = "".join(chr(rng.randrange(0x4E00, 0x9FA6)) for _ in range(2))
            made.append(
                {
                    "name": f"{trade}科技{rng.choice(FORMS)}",
                    "phone": f"139{rng.randrange(10**8):08d}",
                    "email": f"new{at}@example.cn",
                    "address": address or "",
                }
            )
    return made


def check_import(store: Store, rows: list[dict[str, Any]]) -> tuple[float, int]:
    """(seconds to build the index, rows that match something), checking every row."""
    started = time.perf_counter()
    with store.read() as session:
        index = DuplicateIndex.build(session, "customers")
    built = time.perf_counter() - started
    matched = 0
    for line, values in enumerate(rows, start=2):
        matched += bool(index.matches(values))
        index.add(values, line)
    return built, matched


def measure(store: Store, runs: int) -> None:
    path = store.path
    with sqlite3.connect(path) as connection:
        (customers,) = connection.execute(
            "SELECT count(*) FROM customers WHERE deleted_at IS NULL"
        ).fetchone()
        (contacts,) = connection.execute(
            "SELECT count(*) FROM contacts WHERE deleted_at IS NULL"
        ).fetchone()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"live customers: {customers:,}; contacts: {contacts:,}; {runs} runs, best–median")
    print(f"(the machine's load average before: {load})")
    text, raw, read = timed(lambda: baseline(path), runs)
    print(f"baseline, the search's own SELECTs ({read:,} rows):          {text}")
    text, took, groups = timed(lambda: scan(store, "customers"), runs)
    members = sum(len(group.members) for group in groups)
    print(
        f"find_duplicate_groups, customers:                          {text} "
        f"({len(groups):,} groups, {members:,} members; median {took / raw:.1f}x the baseline)"
    )
    text, _took, groups = timed(lambda: scan(store, "contacts"), runs)
    print(
        f"find_duplicate_groups, contacts:                           {text} "
        f"({len(groups):,} groups)"
    )
    rows = candidates(path, CANDIDATES)
    text, _took, (built, matched) = timed(lambda: check_import(store, rows), runs)
    print(
        f"import check, {CANDIDATES:,} rows against the store:                {text} "
        f"(the last index built in {built:.2f} s; {matched:,} rows match something)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory (max RSS):                                     {peak:6.0f} MB")


if __name__ == "__main__":
    raise SystemExit(main())
