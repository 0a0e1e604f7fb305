"""How fast the calendar fills a week on a big profile, beside a raw SQLite baseline.

    .venv/bin/python bench/bench_calendar.py [--customers 100000] [--profile DIR]

Builds (once, like bench_window.py, and into the same folder) a demo profile, then in this one
process measures, for this week: `calendar_items` for one rep and for a manager's whole team (the
demo's five users), the calendar widget until its week grid is filled for each, and beside them
the raw baseline: plain sqlite3 `SELECT`s of the week's tasks and customers' next follow-ups, with
no owner, join or done check (and, for comparison, of every follow-up's next step in the week,
which no index covers). Medians of several runs; SQLite's query plans are printed after.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import delete, func, select

from crm_desktop.storage.store import STORE_FILE

RUNS = 7
RAW_TASKS = (
    "SELECT id, title, due_at, assignee_id, customer_id FROM tasks"
    " WHERE deleted_at IS NULL AND due_at >= ? AND due_at < ?"
)
RAW_PLANNED = (
    "SELECT id, name, owner_id, next_followup_at FROM customers"
    " WHERE deleted_at IS NULL AND next_followup_at >= ? AND next_followup_at < ?"
)
# Every follow-up's next step in the week: no index covers next_step_at, so a whole-table scan.
RAW_NEXT_STEPS = (
    "SELECT id, next_step, next_step_at, customer_id FROM followups"
    " WHERE deleted_at IS NULL AND next_step_at >= ? AND next_step_at < ?"
)


def median_ms(work: Callable[[], Any], runs: int = RUNS) -> tuple[float, Any]:
    timings, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000, result


def raw(store: Path, statement: str, start: datetime, end: datetime) -> list:
    connection = sqlite3.connect(store)
    try:
        bounds = (start.isoformat(" ", "microseconds"), end.isoformat(" ", "microseconds"))
        return connection.execute(statement, bounds).fetchall()
    finally:
        connection.close()


def wait_until(done: Callable[[], bool], timeout: float = 60.0) -> float:
    """Run the real event loop until `done()`; seconds taken."""
    start = time.perf_counter()
    loop = QEventLoop()
    timer = QTimer(interval=1)
    timer.timeout.connect(lambda: (done() or time.perf_counter() - start > timeout) and loop.quit())
    timer.start()
    if not done():
        loop.exec()
    timer.stop()
    if not done():
        raise TimeoutError("the calendar did not fill in time")
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--profile", type=Path)
    args = parser.parse_args()
    directory = args.profile or Path(tempfile.gettempdir()) / f"crm-bench-{args.customers}"
    if not (directory / STORE_FILE).exists():
        started = time.perf_counter()
        demo = [sys.executable, "-m", "crm_desktop", "--profile", str(directory), "demo"]
        subprocess.run([*demo, "--customers", str(args.customers)], check=True)
        print(f"demo data, {args.customers} customers: {time.perf_counter() - started:.1f} s")

    app = QApplication(sys.argv)
    from crm_desktop.models.entities import SCOPE_KEY, Customer, FollowUp, LocalSetting, Task
    from crm_desktop.profile import open_profile
    from crm_desktop.queries.reader import Reader
    from crm_desktop.views.calendar_view import WEEK, CalendarView
    from crm_desktop.views.runner import Runner

    profile = open_profile(directory)
    store_file = directory / STORE_FILE
    reader = Reader(profile.store)
    with profile.store.read() as session:
        counts = {
            name: session.scalar(select(func.count()).select_from(model))
            for name, model in (("customers", Customer), ("tasks", Task), ("followups", FollowUp))
        }
        owners = [
            owner
            for (owner,) in session.execute(
                select(Customer.owner_id)
                .where(Customer.owner_id.is_not(None))
                .group_by(Customer.owner_id)
                .order_by(Customer.owner_id)
            )
        ]
    rep = next((o for o in owners if o != profile.user_id), profile.user_id)
    print(", ".join(f"{count:,} {name}" for name, count in counts.items()))

    today = datetime.now(UTC).date()
    monday = today - timedelta(days=today.weekday())
    start = datetime.combine(monday, datetime.min.time())
    end = start + timedelta(days=7)

    rows: list[tuple[str, int, float]] = []
    ms, found = median_ms(lambda: raw(store_file, RAW_TASKS, start, end))
    rows.append(("raw: the week's tasks, everyone's (sqlite3)", len(found), ms))
    ms, found = median_ms(lambda: raw(store_file, RAW_PLANNED, start, end))
    rows.append(("raw: customers' next follow-ups in the week, everyone's", len(found), ms))
    ms, found = median_ms(lambda: raw(store_file, RAW_NEXT_STEPS, start, end))
    rows.append(("raw: every follow-up's next step in the week (scan)", len(found), ms))
    for label, people in (("one rep", [rep]), (f"a manager's team ({len(owners)})", owners)):
        ms, found = median_ms(lambda people=people: reader.calendar_items(people, start, end))
        rows.append((f"calendar_items, {label}", len(found), ms))

    # The widget: from asking for the week until its grid is filled, on the storage thread
    # and back, as the user sees it.
    # The profile's user as the manager of the demo's reps (the setting put back at the end:
    # bench_window.py shares the profile).
    runner = Runner(str(profile.store.path))
    scope_before = profile.store.setting(SCOPE_KEY)
    profile.store.set_setting(SCOPE_KEY, "manager {" + ",".join(owners) + "}")
    view = CalendarView(profile, runner, reader, profile.writer())
    view.resize(1280, 800)
    view.show()
    wait_until(lambda: runner.pending() == 0)
    shown: list[float] = []
    view.shown.connect(lambda: shown.append(time.perf_counter()))
    for label, index in (("one rep", 1), ("the manager's team", view.person.count() - 1)):
        if label == "one rep":
            view.person.setCurrentIndex(index)
            wait_until(lambda: runner.pending() == 0)
        timings = []
        for _ in range(RUNS):
            shown.clear()
            begun = time.perf_counter()
            if label == "one rep":
                view.show_day(date.today(), WEEK)
            else:
                view.person.setCurrentIndex(0)
                wait_until(lambda: runner.pending() == 0)
                shown.clear()
                begun = time.perf_counter()
                view.person.setCurrentIndex(index)
            wait_until(lambda: bool(shown) and runner.pending() == 0)
            timings.append(shown[-1] - begun)
        rows.append(
            (f"week view filled, {label}", len(view.items), statistics.median(timings) * 1000)
        )
    runner.shutdown()

    width = max(len(label) for label, *_ in rows)
    print(f"\n{'what':{width}}  {'items':>6}  {'median ms':>9}")
    for label, count, ms in rows:
        print(f"{label:{width}}  {count:6}  {ms:9.1f}")

    print("\nquery plans (the team's week):")
    with profile.store.read() as session:
        connection = session.connection().connection.driver_connection
        from crm_desktop.queries import calendar

        dialect = session.get_bind().dialect
        compiled = [
            str(s.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
            for s in _statements(calendar, owners, start, end)
        ]
        for sql in compiled:
            for row in connection.execute("EXPLAIN QUERY PLAN " + sql):
                print("  ", row[-1])
            print()
    if scope_before is None:
        with profile.store.write() as session:
            session.execute(delete(LocalSetting).where(LocalSetting.key == SCOPE_KEY))
    else:
        profile.store.set_setting(SCOPE_KEY, scope_before)
    profile.close()
    app.quit()
    return 0


def _statements(calendar: Any, owners: list[str], start: datetime, end: datetime) -> list:
    """The two statements calendar_items runs, captured from a session that only records."""
    captured: list = []

    class Recorder:
        def execute(self, statement: Any) -> list:
            captured.append(statement)
            return []

    calendar_items_of = calendar.calendar_items
    calendar_items_of(Recorder(), owners, start, end)  # type: ignore[arg-type]
    return captured


if __name__ == "__main__":
    sys.exit(main())
