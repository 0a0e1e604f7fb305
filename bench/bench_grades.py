"""How long the server's grading (migration 0015) and the finance views (0016) take on a big
server, beside raw baselines in the same run.

    .venv/bin/python bench/bench_grades.py [--customers 100000] [--payments 100000] [--runs 5]

Starts its own throwaway PostgreSQL (the test suite's harness, tests/postgres.py), builds the
CRM schema as a non-superuser admin, fills it with plain SQL as that admin (customers spread
over ten reps and the pool, payments over the last 500 days on random customers), and prints
the median of --runs runs of:

1. the bare ranking SELECT (the same query the grading runs, written out), as the superuser,
   who bypasses row-level security: the raw baseline;
2. `crm_proposed_grades()` as the deployment admin (row-level security, the admin check);
3. `crm_apply_grades()` grading every customer (each starts without a grade), in a transaction
   rolled back after each run: every row updated, stamped, logged and recorded in the history;
   beside a plain UPDATE of as many customers' grades, which fires the same triggers;
4. `crm_apply_grades()` when nothing changes: what an administrator's sync pays each time;
5. `crm_apply_grades()` after 1,000 new payments, and the cost a statement-level trigger on
   payments would add to an ERP's one-row INSERT (a whole regrade each time) beside that
   INSERT alone;
6. `server apply-rules --dry-run` and a real run, through admin.apply_rules;
7. the finance views at that size (all rows, and one row by external_ref), as a finance login,
   beside the same SELECTs on the tables as the superuser.

Timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # crm_desktop and tests.postgres from this checkout

import psycopg  # noqa: E402

from crm_desktop.sync.server.admin import add_finance_user, add_user, apply_rules  # noqa: E402
from crm_desktop.sync.server.schema import init_server  # noqa: E402
from tests.postgres import (  # noqa: E402
    CRM_ADMIN,
    CRM_ADMIN_PASSWORD,
    PostgresServer,
    _service_account,
    find_postgres_bin,
)

DATABASE = "crm_bench_grades"
FINANCE = "bench_finance"
FINANCE_PASSWORD = "bench-finance-1"
REPS = 10

# The ranking of migration 0015, written out with its rules' defaults (5, 15, payments).
BARE_RANKING = """
WITH paid AS (
    SELECT p.customer_id AS id, sum(p.amount_cents) AS total FROM payments p
    WHERE p.deleted_at IS NULL AND p.paid_on > (current_date - interval '12 months')::date
      AND p.paid_on <= current_date
    GROUP BY p.customer_id
),
ranked AS (
    SELECT c.id, c.grade, coalesce(paid.total, 0) AS value,
           row_number() OVER (ORDER BY coalesce(paid.total, 0) DESC, c.created_at, c.id) AS place,
           count(*) OVER () AS population
    FROM customers c LEFT JOIN paid ON paid.id = c.id
    WHERE c.deleted_at IS NULL
)
SELECT count(*) FROM (
    SELECT id, CASE WHEN value > 0 AND place <= (population * 5 + 99) / 100 THEN 'A'
                    WHEN value > 0 AND place <= (population * 20 + 99) / 100 THEN 'B'
                    ELSE 'C' END AS proposed
    FROM ranked
) graded
"""


def ms(seconds: float) -> str:
    return f"{seconds * 1000:9,.0f} ms"


def median_of(runs: int, action: Callable[[], Any]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def line(label: str, seconds: float, note: str = "") -> None:
    print(f"  {label:<58} {ms(seconds)}{'  ' + note if note else ''}")


def fill(admin: psycopg.Connection, customers: int, payments: int) -> None:
    reps = [add_user_id for (add_user_id,) in admin.execute("SELECT id FROM users").fetchall()]
    with admin.transaction():
        admin.execute(
            "INSERT INTO customers (name, owner_id, created_at)"
            " SELECT '客户 ' || g, CASE WHEN g %% 10 = 0 THEN NULL"
            " ELSE (%(reps)s::uuid[])[1 + g %% %(count)s] END,"
            " now() - make_interval(mins => g)"
            " FROM generate_series(1, %(customers)s) g",
            {"reps": reps, "count": len(reps), "customers": customers},
        )
        admin.execute(
            "INSERT INTO payments (customer_id, paid_on, amount_cents, external_ref)"
            " SELECT a.ids[1 + floor(random() * a.n)::int], current_date - (g %% 500),"
            " 100 + floor(random() * 10000000)::bigint, 'ERP-' || g"
            " FROM generate_series(1, %(payments)s) g,"
            " (SELECT array_agg(id) AS ids, count(*) AS n FROM customers) a",
            {"payments": payments},
        )
        admin.execute(
            "UPDATE customers SET external_ref = 'K-' || substr(id::text, 1, 8)"
            " WHERE external_ref IS NULL"
        )
    for table in ("customers", "payments", "sync_changes", "customer_ownership"):
        admin.execute(f"ANALYZE {table}")


def rolled_back(connection: psycopg.Connection, statement: str) -> Callable[[], Any]:
    def run() -> Any:
        with connection.transaction(force_rollback=True):
            return connection.execute(statement).fetchall()

    return run


def bench(server: PostgresServer, args: argparse.Namespace) -> None:
    server.create_database(DATABASE, owner=CRM_ADMIN)
    admin_dsn = server.dsn(CRM_ADMIN, CRM_ADMIN_PASSWORD, DATABASE)
    init_server(admin_dsn)
    for number in range(REPS):
        add_user(admin_dsn, f"rep{number}", "rep", f"pw-rep-{number}")
    add_finance_user(admin_dsn, FINANCE, FINANCE_PASSWORD)
    runs = args.runs
    with (
        psycopg.connect(admin_dsn, autocommit=True) as admin,
        server.connect(DATABASE) as superuser,
        psycopg.connect(server.dsn(FINANCE, FINANCE_PASSWORD, DATABASE)) as finance,
    ):
        started = time.perf_counter()
        fill(admin, args.customers, args.payments)
        print(
            f"{args.customers:,} customers, {args.payments:,} payments, {REPS} reps"
            f" (filled in {time.perf_counter() - started:.1f} s)\n"
        )
        print("Grading:")
        bare = median_of(runs, lambda: superuser.execute(BARE_RANKING).fetchall())
        line("bare ranking SELECT, superuser (raw baseline)", bare)
        proposed = median_of(
            runs, lambda: admin.execute("SELECT count(*) FROM crm_proposed_grades()").fetchall()
        )
        line("crm_proposed_grades(), deployment admin", proposed, f"x{proposed / bare:.1f}")
        every = median_of(runs, rolled_back(admin, "SELECT count(*) FROM crm_apply_grades()"))
        changed = rolled_back(admin, "SELECT count(*) FROM crm_apply_grades()")()[0][0]
        line(f"crm_apply_grades(), {changed:,} customers change grade", every)
        plain = median_of(
            runs,
            rolled_back(
                admin, "UPDATE customers SET grade = 'C' WHERE deleted_at IS NULL RETURNING id"
            ),
        )
        line(
            "  plain UPDATE of as many grades, same triggers (baseline)",
            plain,
            f"grading x{every / plain:.2f}",
        )
        admin.execute("SELECT count(*) FROM crm_apply_grades()")
        admin.execute("ANALYZE customers")
        admin.execute("ANALYZE customer_ownership")
        none = median_of(
            runs, lambda: admin.execute("SELECT count(*) FROM crm_apply_grades()").fetchall()
        )
        line("crm_apply_grades(), nothing changes (an admin's sync)", none)
        admin.execute(
            "INSERT INTO payments (customer_id, paid_on, amount_cents)"
            " SELECT id, current_date, 50000000 FROM customers ORDER BY id LIMIT 1000"
        )
        after = rolled_back(admin, "SELECT count(*) FROM crm_apply_grades()")
        some = median_of(runs, after)
        line(f"crm_apply_grades() after 1,000 big payments ({after()[0][0]:,} change)", some)

        one_payment = (
            "INSERT INTO payments (customer_id, paid_on, amount_cents)"
            " SELECT id, current_date, 100 FROM customers ORDER BY id LIMIT 1"
        )
        insert = median_of(runs, rolled_back(admin, one_payment + " RETURNING id"))
        line("one-row payment INSERT by the ERP", insert)
        line(
            "  + a statement trigger regrading (a regrade per INSERT)",
            insert + none,
            f"x{(insert + none) / insert:,.0f}",
        )

        print("\napply-rules (grades, then the pool):")
        dry = median_of(runs, lambda: apply_rules(admin_dsn, dry_run=True))
        line("server apply-rules --dry-run", dry)
        real = median_of(runs, lambda: apply_rules(admin_dsn))
        line("server apply-rules (nothing left to grade)", real)

        print("\nFinance views:")
        raw_all = median_of(
            runs,
            lambda: superuser.execute(
                "SELECT c.id, c.external_ref, c.name, c.kind, c.phone, c.email, c.address,"
                " c.grade, c.grade_fixed, u.login, u.name, c.created_at, c.updated_at"
                " FROM customers c LEFT JOIN users u ON u.id = c.owner_id"
                " WHERE c.deleted_at IS NULL"
            ).fetchall(),
        )
        line("all customers with owners, superuser (raw baseline)", raw_all)
        view_all = median_of(
            runs, lambda: finance.execute("SELECT * FROM erp_customers").fetchall()
        )
        line("SELECT * FROM erp_customers, finance login", view_all, f"x{view_all / raw_all:.1f}")
        ref = superuser.execute("SELECT external_ref FROM customers LIMIT 1").fetchone()[0]
        raw_one = median_of(
            runs,
            lambda: superuser.execute(
                "SELECT c.id, c.external_ref, c.name, c.kind, c.phone, c.email, c.address,"
                " c.grade, c.grade_fixed, u.login, u.name, c.created_at, c.updated_at"
                " FROM customers c LEFT JOIN users u ON u.id = c.owner_id"
                " WHERE c.deleted_at IS NULL AND c.external_ref = %s",
                (ref,),
            ).fetchall(),
        )
        line("one customer by external_ref, superuser (raw baseline)", raw_one)
        view_one = median_of(
            runs,
            lambda: finance.execute(
                "SELECT * FROM erp_customers WHERE external_ref = %s", (ref,)
            ).fetchall(),
        )
        line("one customer by external_ref from erp_customers", view_one)
        contracts = median_of(
            runs, lambda: finance.execute("SELECT * FROM erp_contracts").fetchall()
        )
        line("SELECT * FROM erp_contracts (no contracts)", contracts)
        payments = median_of(runs, lambda: finance.execute("SELECT * FROM erp_payments").fetchall())
        line(f"SELECT * FROM erp_payments ({args.payments + 1000:,} rows)", payments)


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)  # unwinds through main's finally: the server is stopped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--payments", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGHUP, _exit_on_signal)
    base = Path(tempfile.mkdtemp(prefix="crm-bench-grades-"))
    run_as = _service_account().pw_name if os.geteuid() == 0 else None
    server = PostgresServer(bin_dir=find_postgres_bin(), base_dir=base, run_as=run_as)
    server._chown(base)
    try:
        server.initdb()
        server.start()
        server.create_role(CRM_ADMIN, CRM_ADMIN_PASSWORD, "LOGIN CREATEROLE CREATEDB")
        bench(server, args)
    finally:
        try:
            server.stop()
        finally:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
