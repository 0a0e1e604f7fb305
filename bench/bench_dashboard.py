"""How fast the dashboard shows at 100,000 customers, beside a raw SQLite baseline on the same
store.

    .venv/bin/python bench/bench_dashboard.py [--customers 100000] [--profile DIR]

Uses (building it once, like bench_window.py) a demo profile whose user owns every customer,
then, in a copy, gives its customers the pool's dates so every chart has work. Measures, in
this one process, for an administrator (every record) and for a rep owning 1,000 of them: the
figures (`queries.figures.dashboard`), and the real dashboard from its making to its first
chart drawn and to every chart drawn (the team read before them; each chart is a job of its own
on the storage thread, the cheap ones first). The baseline is the two plain GROUP BY statements a
hand-written dashboard would start from (opportunities by stage, customers by grade), run with
the sqlite3 module.
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

BASELINE = (
    "SELECT stage, count(*), sum(amount_cents) FROM opportunities WHERE deleted_at IS NULL"
    " GROUP BY stage",
    "SELECT grade, count(*) FROM customers WHERE deleted_at IS NULL GROUP BY grade",
)


def main() -> int:
    from demo_copy import measure_on_demo_copy

    return measure_on_demo_copy("dashboard", measure)


def measure(directory: Path, customers: int) -> int:
    from demo_copy import date_pool_returns

    from crm_desktop.models.entities import SCOPE_KEY
    from crm_desktop.profile import open_profile
    from crm_desktop.storage.store import sqlite_connection

    profile = open_profile(directory)
    date_pool_returns(profile)
    app = QApplication(sys.argv)
    print(
        "| whose dashboard | raw GROUP BY (2 statements) | every figure, one after another"
        " | view: first chart drawn | view: every chart drawn |"
    )
    print("| --- | --- | --- | --- | --- |")
    profile.store.set_setting(SCOPE_KEY, f"admin {{{profile.user_id}}}")
    measure_one(app, profile, f"an administrator, {customers:,} customers")
    with profile.store.write() as session:
        driver = sqlite_connection(session)
        driver.execute(
            "INSERT INTO users (id, login, name, role, active, created_at, updated_at)"
            " VALUES ('bench-colleague', 'colleague', 'Colleague', 'rep', 1, '2026-01-01',"
            " '2026-01-01')"
        )
        for table in ("customers", "opportunities", "contracts"):
            owner = "customer_id" if table != "customers" else "id"
            driver.execute(
                f"UPDATE {table} SET owner_id = 'bench-colleague' WHERE {owner} IN"
                " (SELECT id FROM customers WHERE rowid % ? <> 0)",
                (max(1, customers // 1000),),
            )
    profile.store.set_setting(SCOPE_KEY, f"rep {{{profile.user_id}}}")
    measure_one(app, profile, f"a rep owning 1,000 of {customers:,}")
    profile.close()
    return 0


def measure_one(app: QApplication, profile, whose: str) -> None:
    from bench_today import median_ms
    from bench_window import wait_until

    from crm_desktop.queries import figures
    from crm_desktop.queries.reader import Reader
    from crm_desktop.queries.work_logs import team_of
    from crm_desktop.views.dashboard_view import DashboardView
    from crm_desktop.views.runner import Runner

    with profile.store.read() as session:
        team = team_of(session, profile.user_id)
    owners = None if team.role == "admin" else (profile.user_id,)
    period = figures.Period.quarter_of(utcnow().date())

    def query() -> object:
        ask = figures.DashboardAsk(figures.Filters(owners), period, tuple(team.members), utcnow())
        with profile.store.read() as session:
            return figures.dashboard(session, ask)

    query()
    query_ms = median_ms(query)
    raw = sqlite3.connect(profile.store.path)
    baseline_ms = median_ms(lambda: [raw.execute(sql).fetchall() for sql in BASELINE])
    raw.close()

    runner = Runner(str(profile.store.path))
    firsts: list[float] = []
    alls: list[float] = []

    def draw() -> None:
        started = time.perf_counter()
        view = DashboardView(profile, runner, Reader(profile.store), profile.writer())
        view.resize(1366, 768)
        view.show()
        view.first_drawn.connect(lambda: firsts.append(time.perf_counter() - started))
        view.shown.connect(lambda: alls.append(time.perf_counter() - started))
        before = len(alls)
        wait_until(app, lambda: len(alls) > before)
        view.deleteLater()

    draw()  # warm
    firsts.clear()
    alls.clear()
    for _ in range(5):
        draw()
    first_ms = statistics.median(firsts) * 1000
    all_ms = statistics.median(alls) * 1000
    runner.shutdown()
    print(
        f"| {whose} | {baseline_ms:.1f} ms | {query_ms:.0f} ms | {first_ms:.0f} ms"
        f" | {all_ms:.0f} ms |"
    )


if __name__ == "__main__":
    sys.exit(main())
