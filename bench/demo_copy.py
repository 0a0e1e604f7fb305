"""A throwaway copy of a demo profile for one bench run, the demo built once and kept.

    measure_on_demo_copy("today", measure)  # measure(directory, customers) -> exit code

`--customers N` (default 100,000) and `--profile DIR` come from the command line; the demo
profile is made in the temporary folder (`crm-bench-N`) the first time and reused after.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from crm_desktop.storage.store import STORE_FILE


def measure_on_demo_copy(name: str, measure: Callable[[Path, int], int]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    source = args.profile or Path(tempfile.gettempdir()) / f"crm-bench-{args.customers}"
    if not (source / STORE_FILE).exists():
        demo = [sys.executable, "-m", "crm_desktop", "--profile", str(source), "demo"]
        subprocess.run([*demo, "--customers", str(args.customers)], check=True)
    work = Path(tempfile.mkdtemp(prefix=f"crm-bench-{name}-"))
    try:
        shutil.copy(source / STORE_FILE, work / STORE_FILE)
        return measure(work, args.customers)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def date_pool_returns(profile) -> None:
    """Give every customer the pool's dates (rules 30/3 days, each owned since it was made),
    so the figures about the pool have work to do."""
    from crm_desktop.storage import pool_due
    from crm_desktop.storage.store import sqlite_connection

    with profile.store.write() as session:
        driver = sqlite_connection(session)
        driver.execute("UPDATE customers SET owned_since = created_at, owner_id = owner_id")
        pool_due.adopt_rules(driver, {"pool_return_days": 30, "pool_warning_days": 3})
