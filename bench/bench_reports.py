"""How fast PDF reports build at 100,000 customers, beside a raw SQLite baseline on the same store.

    .venv/bin/python bench/bench_reports.py [--customers 100000] [--profile DIR] [--runs 3]

Uses (building it once, like bench_window.py) a demo profile, and measures in this one process,
for the pipeline (every open opportunity of the store: tens of thousands of lines, hundreds of
pages), the receivables and the renewals of the next thirty days: the report's reads (the query
functions it is built from), and the whole report from its reads to the PDF's bytes; the
baseline is one plain SELECT of the same lines with the sqlite3 module. The first build of a
process also loads the font (a fifth of a second); it is shown apart, then the median of the
runs. The pipeline is measured again for one rep's share (his customers' opportunities).
"""

from __future__ import annotations

import argparse
import io
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pypdf import PdfReader

from crm_desktop.storage.store import STORE_FILE

PIPELINE_SQL = """
SELECT o.id, o.title, o.customer_id, c.name, o.stage, o.amount_cents, o.probability,
       (o.amount_cents * o.probability + 50) / 100, o.expected_close, o.owner_id, u.name
FROM opportunities o
JOIN customers c ON c.id = o.customer_id
LEFT JOIN users u ON u.id = o.owner_id
WHERE o.deleted_at IS NULL AND o.stage IN ('lead', 'qualified', 'proposal', 'negotiation')
  {owner}
ORDER BY o.expected_close IS NULL, o.expected_close, o.title_sort, o.id
"""
RENEWALS_SQL = """
SELECT k.id, k.number, c.name, k.end_on, k.amount_cents FROM contracts k
JOIN customers c ON c.id = k.customer_id
WHERE k.deleted_at IS NULL AND k.end_on BETWEEN ? AND ? AND k.status IN ('active', 'ended')
ORDER BY k.end_on, k.number
"""
RECEIVABLES_SQL = """
SELECT k.id, k.customer_id, k.amount_cents FROM contracts k
WHERE k.deleted_at IS NULL AND k.status <> 'draft' AND k.start_on < ?
"""


def timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def median_s(work: Callable[[], object], runs: int) -> float:
    return statistics.median(timed(work) for _ in range(runs))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--profile", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    directory = args.profile or Path(tempfile.gettempdir()) / f"crm-bench-{args.customers}"
    if not (directory / STORE_FILE).exists():
        started = time.perf_counter()
        demo = [sys.executable, "-m", "crm_desktop", "--profile", str(directory), "demo"]
        subprocess.run([*demo, "--customers", str(args.customers)], check=True)
        print(f"demo data, {args.customers} customers: {time.perf_counter() - started:.1f} s")

    from crm_desktop.profile import open_profile
    from crm_desktop.queries import figures, money
    from crm_desktop.reports import ReportOptions, build_report, default_period

    profile = open_profile(directory)
    today = date.today()
    raw = sqlite3.connect(profile.store.path)
    # The rep owning the most customers, as a manager's "one person" filter would pick.
    rep = raw.execute(
        "SELECT owner_id, count(*) FROM customers WHERE deleted_at IS NULL"
        " AND owner_id IS NOT NULL GROUP BY owner_id ORDER BY 2 DESC LIMIT 1"
    ).fetchone()[0]
    customers = raw.execute("SELECT count(*) FROM customers").fetchone()[0]
    start, end = default_period("pipeline", today)
    renew_start, renew_end = default_period("renewals", today)

    def pdf(kind: str, **options: object) -> bytes:
        out = io.BytesIO()
        with profile.store.read() as session:
            chosen = ReportOptions(today=today, printed_by="bench", **options)
            build_report(kind, session, chosen, out)
        return out.getvalue()

    def pipeline_reads(owners: tuple[str, ...] | None) -> Callable[[], list]:
        def read() -> list:
            filters = figures.Filters(owners=owners)
            with profile.store.read() as session:
                figures.pipeline_by_stage(session, filters)
                figures.forecast_by_month(session, filters, figures.Period(start, end))
                return figures.open_opportunities(session, filters)

        return read

    def money_reads(kind: str) -> Callable[[], list]:
        def read() -> list:
            with profile.store.read() as session:
                if kind == "renewals":
                    return money.renewals(session, renew_start, renew_end)
                return money.receivables(session, today)

        return read

    cases = [
        (
            "pipeline, the whole store",
            lambda: raw.execute(PIPELINE_SQL.format(owner="")).fetchall(),
            pipeline_reads(None),
            lambda: pdf("pipeline"),
        ),
        (
            "pipeline, one rep's customers",
            lambda: raw.execute(PIPELINE_SQL.format(owner="AND o.owner_id = ?"), (rep,)).fetchall(),
            pipeline_reads((rep,)),
            lambda: pdf("pipeline", owner_ids=(rep,)),
        ),
        (
            "renewals, next 30 days",
            lambda: raw.execute(
                RENEWALS_SQL, (renew_start.isoformat(), renew_end.isoformat())
            ).fetchall(),
            money_reads("renewals"),
            lambda: pdf("renewals"),
        ),
        (
            "receivables",
            lambda: raw.execute(RECEIVABLES_SQL, (today.isoformat(),)).fetchall(),
            money_reads("receivables"),
            lambda: pdf("receivables"),
        ),
    ]
    print(f"{customers:,} customers; median of {args.runs} runs after a first one")
    print("| report | lines | pages | raw SELECT | reads | PDF, reads to bytes | first PDF |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, baseline, reads, build in cases:
        first = timed(build)  # the font is loaded by the first report of the process
        document = build()
        pages = len(PdfReader(io.BytesIO(document)).pages)
        lines = len(reads())
        raw_s = median_s(baseline, args.runs)
        reads_s = median_s(reads, args.runs)
        build_s = median_s(build, args.runs)
        print(
            f"| {name} | {lines:,} | {pages:,} ({len(document) / 1e6:.1f} MB) "
            f"| {raw_s * 1000:.0f} ms | {reads_s * 1000:.0f} ms | {build_s:.2f} s | {first:.2f} s |"
        )
    raw.close()
    profile.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
