"""How fast Today fills at 100,000 customers, beside a raw SQLite baseline on the same store.

    .venv/bin/python bench/bench_today.py [--customers 100000] [--profile DIR]

Uses (building it once, like bench_window.py) a demo profile whose user owns every customer,
then, in a copy, gives its customers the pool's dates (rules 30/3 days, each owned since it was
made), so all three parts of Today have work to do. Measures, in this one process, for that
user and again for a rep who owns 1,000 of them (the rules' default cap): the query
(`queries.today.today`), and the real Today view from asking to showing its lines; the baseline
is one plain `SELECT … LIMIT 100` of the due tasks with the sqlite3 module.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from crm_desktop.models.base import utcnow
from crm_desktop.models.dates import end_of_local_day

RUNS = 7


def median_ms(work, runs: int = RUNS) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def main() -> int:
    from demo_copy import measure_on_demo_copy

    return measure_on_demo_copy("today", measure)


def measure(directory: Path, customers: int) -> int:
    from demo_copy import date_pool_returns

    from crm_desktop.profile import open_profile
    from crm_desktop.storage.store import sqlite_connection

    profile = open_profile(directory)
    date_pool_returns(profile)
    app = QApplication(sys.argv)
    print("| whose Today | things due | raw `SELECT … LIMIT 100` | query | view, asked to shown |")
    print("| --- | --- | --- | --- | --- |")
    measure_one(app, profile, f"one user owning all {customers:,} customers")
    # A rep as the pool's rules have him: at most 1,000 customers (max_owned), his tasks with
    # them; the rest belong to colleagues.
    with profile.store.write() as session:
        driver = sqlite_connection(session)
        driver.execute(
            "INSERT INTO users (id, login, name, role, active, created_at, updated_at)"
            " VALUES ('bench-colleague', 'colleague', 'Colleague', 'rep', 1, '2026-01-01',"
            " '2026-01-01')"
        )
        driver.execute(
            "UPDATE customers SET owner_id = 'bench-colleague' WHERE rowid % ? <> 0",
            (max(1, customers // 1000),),
        )
        driver.execute(
            "UPDATE tasks SET assignee_id = 'bench-colleague' WHERE customer_id IN"
            " (SELECT id FROM customers WHERE owner_id = 'bench-colleague')"
        )
    measure_one(app, profile, f"a rep owning 1,000 of {customers:,} (the default max_owned)")
    profile.close()
    return 0


def measure_one(app: QApplication, profile, whose: str) -> None:
    from bench_window import wait_until

    from crm_desktop.queries.reader import Reader
    from crm_desktop.queries.today import today
    from crm_desktop.views.runner import Runner
    from crm_desktop.views.today_view import TodayView

    user, now = profile.user_id, utcnow()
    day_ends = end_of_local_day(now)

    def query() -> object:
        with profile.store.read() as session:
            return today(session, user, now, day_ends)

    found = query()
    query_ms = median_ms(query)
    raw = sqlite3.connect(profile.store.path)
    baseline_sql = (
        "SELECT id, title, due_at FROM tasks WHERE assignee_id = ? AND done = 0"
        " AND deleted_at IS NULL AND due_at < ? ORDER BY due_at LIMIT 100"
    )
    stamp = day_ends.isoformat(" ")
    baseline_ms = median_ms(lambda: raw.execute(baseline_sql, (user, stamp)).fetchall())
    raw.close()

    runner = Runner(str(profile.store.path))
    view = TodayView(profile, runner, Reader(profile.store), profile.writer())
    view.show()
    shown: list[int] = []
    view.count_changed.connect(shown.append)

    def fill() -> None:
        # The real event loop, idle between checks as it is for a user (a busy loop here
        # would fight the storage thread for the interpreter lock).
        before = len(shown)
        view.reload()
        wait_until(app, lambda: len(shown) > before)

    fill()
    view_ms = median_ms(fill)
    runner.shutdown()
    view.deleteLater()
    due = (
        f"{found.count:,} ({found.tasks.total:,} tasks, {found.next_steps.total:,} next steps,"
        f" {found.returning.total:,} returning)"
    )
    print(f"| {whose} | {due} | {baseline_ms:.1f} ms | {query_ms:.1f} ms | {view_ms:.1f} ms |")


if __name__ == "__main__":
    sys.exit(main())
