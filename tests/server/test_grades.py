"""Grades computed by the server from what customers paid (server migration 0015): a known set
of 1,000 customers is graded exactly by the documented rule, whatever order its rows were
written in; fixed grades stay and still count; ties at a boundary go to the older customer,
then the smaller id; only live customers and live payments of the last 12 months count."""

from __future__ import annotations

import random
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import psycopg
import pytest

from crm_desktop.grading.local import grade_customers
from crm_desktop.profile import Profile
from crm_desktop.storage.store import sqlite_connection
from crm_desktop.storage.values import to_sqlite
from crm_desktop.sync.server.admin import add_user, apply_rules
from crm_desktop.sync.server.errors import ServerAdminError
from crm_desktop.sync.server.grades import grade_on_sync
from crm_desktop.sync.server.schema import init_server
from tests.postgres import CRM_ADMIN, CRM_ADMIN_PASSWORD, CrmDatabase, unique_name

APPLY = "SELECT customer_id::text, old_grade, new_grade FROM crm_apply_grades()"
LIVE = 1000
# Customers 0-599 have a value; 7 in a row share each value, so ties straddle both the A
# boundary (rank 50 of ranks 50-56) and the B boundary (rank 200 of ranks 197-203).
VALUED = 600
TIED = 7


@dataclass
class Customer:
    key: int
    id: str
    created_at: datetime
    value: int  # fen paid in the last 12 months, as the rule counts it
    grade: str | None  # before grading
    fixed: bool = False
    deleted: bool = False


def ident(number: int) -> str:
    """A uuid whose order is the number's (the server sorts uuids byte by byte, as here)."""
    return str(uuid.UUID(int=number))


def the_thousand(epoch: datetime) -> list[Customer]:
    """1,000 live customers and 5 deleted ones; ids in an order unrelated to the values, and
    customers created on the same day in fours, so a tie needs the id as well."""
    rng = random.Random(15)
    numbers = rng.sample(range(1, 100_000), LIVE + 5)
    made = []
    for key in range(LIVE):
        value = 100 * ((VALUED - key - 1) // TIED + 1) if key < VALUED else 0
        made.append(
            Customer(
                key,
                ident(numbers[key]),
                epoch + timedelta(days=key % 97 // 4),
                value,
                rng.choice(["A", "B", "C", None]),
            )
        )
    # Fixed by a manager: a top customer kept at C, a middling one at A, one with nothing at B.
    for key, grade in ((9, "C"), (299, "A"), (800, "B")):
        made[key].grade, made[key].fixed = grade, True
    for extra in range(5):  # deleted: neither ranked nor counted, however much they paid
        made.append(
            Customer(LIVE + extra, ident(numbers[LIVE + extra]), epoch, 10**9, "C", deleted=True)
        )
    return made


def expected(customers: list[Customer], a_percent: int = 5, b_percent: int = 15) -> dict:
    """The documented rule, written out: rank live customers by value, then created_at, then
    id; A up to ceil(N × a%), B up to ceil(N × (a+b)%), the rest and the valueless C; fixed
    grades stay."""
    live = [c for c in customers if not c.deleted]
    ranked = sorted(live, key=lambda c: (-c.value, c.created_at, uuid.UUID(c.id)))
    a_cut = (len(live) * a_percent + 99) // 100
    b_cut = (len(live) * min(100, a_percent + b_percent) + 99) // 100
    grades = {}
    for rank, customer in enumerate(ranked, start=1):
        if customer.fixed:
            grades[customer.id] = customer.grade
        elif customer.value > 0 and rank <= a_cut:
            grades[customer.id] = "A"
        elif customer.value > 0 and rank <= b_cut:
            grades[customer.id] = "B"
        else:
            grades[customer.id] = "C"
    return grades


def write(connection: psycopg.Connection, customers: list[Customer], today: date) -> None:
    """As the deployment owner (an ERP's plain SQL), which keeps the created_at it sets. Each
    value is paid in two parts; payments that must not count go beside them."""
    recent = today - timedelta(days=30)
    with connection.transaction():
        for customer in customers:
            connection.execute(
                "INSERT INTO customers (id, name, grade, grade_fixed, grade_note, created_at,"
                " deleted_at) VALUES (%s, %s, %s, %s, %s, %s, %s)",
                (
                    customer.id,
                    f"客户 {customer.key:04d}",
                    customer.grade,
                    customer.fixed,
                    "经理定级" if customer.fixed else None,
                    customer.created_at,
                    customer.created_at if customer.deleted else None,
                ),
            )
            if customer.value:
                first = customer.value // 3
                for amount in (first, customer.value - first):
                    connection.execute(
                        "INSERT INTO payments (customer_id, paid_on, amount_cents)"
                        " VALUES (%s, %s, %s)",
                        (customer.id, recent, amount),
                    )
            if customer.key % 50 == 0:
                # A fortune that does not count: deleted, paid 13 months ago, or not yet paid.
                connection.execute(
                    "INSERT INTO payments (customer_id, paid_on, amount_cents, deleted_at)"
                    " VALUES (%(c)s, %(recent)s, 10000000, now()),"
                    " (%(c)s, %(old)s, 10000000, NULL), (%(c)s, %(future)s, 10000000, NULL)",
                    {
                        "c": customer.id,
                        "recent": recent,
                        "old": today - timedelta(days=400),
                        "future": today + timedelta(days=10),
                    },
                )


def grades(connection: psycopg.Connection) -> dict[str, str | None]:
    return dict(
        connection.execute(
            "SELECT id::text, grade FROM customers WHERE deleted_at IS NULL"
        ).fetchall()
    )


def today_and_now(connection: psycopg.Connection) -> tuple[date, datetime]:
    return connection.execute("SELECT current_date, now()").fetchone()


@pytest.mark.parametrize("order", ["forward", "reverse", "shuffled"])
def test_a_thousand_customers_are_graded_exactly_by_the_rule(crm_db: CrmDatabase, order) -> None:
    with crm_db.connect_admin() as connection:
        today, now = today_and_now(connection)
        customers = the_thousand(now - timedelta(days=500))
        written = {
            "forward": customers,
            "reverse": customers[::-1],
            "shuffled": random.Random(order).sample(customers, len(customers)),
        }[order]
        write(connection, written, today)
        want = expected(customers)

        changed = connection.execute(APPLY).fetchall()
        got = grades(connection)

        assert got == want
        counts = {grade: list(got.values()).count(grade) for grade in "ABC"}
        # 50 A less the top customer fixed at C, plus the one fixed at A; 150 B plus the one
        # fixed at B; the rest C.
        assert counts == {"A": 50, "B": 151, "C": 799}
        # Only the customers whose grade differed were written.
        before = {c.id: c.grade for c in customers if not c.deleted}
        assert {row[0] for row in changed} == {k for k in want if want[k] != before[k]}
        assert all(before[row[0]] == row[1] and want[row[0]] == row[2] for row in changed)
        # The fixed ones kept their grade although the rule says otherwise.
        for key, grade in ((9, "C"), (299, "A"), (800, "B")):
            assert got[customers[key].id] == grade
        # A second run changes nothing.
        assert connection.execute(APPLY).fetchall() == []


def test_ties_at_a_boundary_go_to_the_older_customer_then_the_smaller_id(
    crm_db: CrmDatabase,
) -> None:
    with crm_db.connect_admin() as connection:
        today, now = today_and_now(connection)
        customers = the_thousand(now - timedelta(days=500))
        write(connection, customers, today)
        connection.execute(APPLY)
        got = grades(connection)
    ranked = sorted(
        (c for c in customers if not c.deleted),
        key=lambda c: (-c.value, c.created_at, uuid.UUID(c.id)),
    )
    for boundary, above, below in ((50, "A", "B"), (200, "B", "C")):
        last_in, first_out = ranked[boundary - 1], ranked[boundary]
        assert last_in.value == first_out.value  # a real tie, decided by the rule alone
        assert (last_in.created_at, uuid.UUID(last_in.id)) < (
            first_out.created_at,
            uuid.UUID(first_out.id),
        )
        assert (got[last_in.id], got[first_out.id]) == (above, below)


def small_world(connection: psycopg.Connection, values: list[int]) -> list[str]:
    """One customer per value, oldest first, each paid its value a month ago."""
    ids = []
    for number, value in enumerate(values, start=1):
        customer = ident(number)
        connection.execute(
            "INSERT INTO customers (id, name, created_at)"
            " VALUES (%s, %s, now() - make_interval(days => %s))",
            (customer, f"c{number}", 100 - number),
        )
        if value:
            connection.execute(
                "INSERT INTO payments (customer_id, paid_on, amount_cents)"
                " VALUES (%s, current_date - 30, %s)",
                (customer, value),
            )
        ids.append(customer)
    return ids


def rule(connection: psycopg.Connection, key: str, value: int) -> None:
    connection.execute("UPDATE crm_rules SET value = %s WHERE key = %s", (value, key))


def test_percentages_round_up_and_a_customer_without_value_is_always_c(
    crm_db: CrmDatabase,
) -> None:
    with crm_db.connect_admin() as connection:
        ids = small_world(connection, [700, 600, 500, 400, 0, 0, 0])
        connection.execute(APPLY)
        # 7 customers: A up to ceil(0.35) = 1, B up to ceil(1.4) = 2.
        assert [grades(connection)[c] for c in ids] == ["A", "B", "C", "C", "C", "C", "C"]
        rule(connection, "grade_a_percent", 100)
        connection.execute(APPLY)
        assert [grades(connection)[c] for c in ids] == ["A"] * 4 + ["C"] * 3
        # A sum over 100 gives B what is left.
        rule(connection, "grade_a_percent", 30)
        rule(connection, "grade_b_percent", 90)
        connection.execute(APPLY)
        assert [grades(connection)[c] for c in ids] == ["A", "A", "A", "B", "C", "C", "C"]
        rule(connection, "grade_a_percent", 0)
        rule(connection, "grade_b_percent", 0)
        connection.execute(APPLY)
        assert set(grades(connection).values()) == {"C"}


def test_the_window_is_the_twelve_months_up_to_today(crm_db: CrmDatabase) -> None:
    with crm_db.connect_admin() as connection:
        inside, edge, outside = small_world(connection, [0, 0, 0])
        for customer, paid_on in (
            (inside, "(current_date - interval '12 months')::date + 1"),
            (edge, "(current_date - interval '12 months')::date"),
            (outside, "current_date + 1"),
        ):
            connection.execute(
                "INSERT INTO payments (customer_id, paid_on, amount_cents)"
                f" VALUES (%s, {paid_on}, 100)",
                (customer,),
            )
        proposed = dict(
            connection.execute(
                "SELECT customer_id::text, value_cents FROM crm_proposed_grades()"
            ).fetchall()
        )
    assert proposed == {inside: 100, edge: 0, outside: 0}


def test_won_opportunities_can_be_the_value_instead(crm_db: CrmDatabase) -> None:
    with crm_db.connect_admin() as connection:
        ids = small_world(connection, [900, 800, 700, 0, 0, 0, 0])
        won = ids[6]  # paid nothing, won the biggest deal
        for customer, stage, closed in (
            (won, "won", "now() - interval '2 months'"),
            (ids[5], "won", "now() - interval '13 months'"),  # too long ago
            (ids[4], "negotiation", "NULL"),  # not won
        ):
            connection.execute(
                "INSERT INTO opportunities (customer_id, title, stage, amount_cents, closed_at)"
                f" VALUES (%s, 'deal', %s, 5000000, {closed})",
                (customer, stage),
            )
        rule(connection, "grade_by_won_opportunities", 1)
        connection.execute(APPLY)
        got = grades(connection)
        assert (got[won], got[ids[0]]) == ("A", "C")
        assert [got[c] for c in ids[1:6]] == ["C"] * 5
        rule(connection, "grade_by_won_opportunities", 0)
        connection.execute(APPLY)
        assert grades(connection)[ids[0]] == "A"


def test_each_change_of_grade_is_in_the_history_and_moves_the_pool_date(
    crm_db: CrmDatabase,
) -> None:
    rob = crm_db.add_user("rob", "rep")
    with crm_db.connect_admin() as connection:
        customer = connection.execute(
            "INSERT INTO customers (name, owner_id, grade) VALUES ('大客户', %s, 'C') RETURNING id",
            (rob,),
        ).fetchone()[0]
        rule(connection, "pool_return_days_A", 90)
        rule(connection, "pool_return_days_C", 10)
        due = (
            "SELECT crm_pool_due_at(id, owner_id, grade) - owned_since FROM customers WHERE id = %s"
        )
        assert connection.execute(due, (customer,)).fetchone()[0] == timedelta(days=10)
        connection.execute(
            "INSERT INTO payments (customer_id, paid_on, amount_cents, external_ref)"
            " VALUES (%s, current_date, 100000, 'ERP-1')",
            (customer,),
        )
        assert connection.execute(APPLY).fetchall() == [(str(customer), "C", "A")]
        assert connection.execute(due, (customer,)).fetchone()[0] == timedelta(days=90)
        history = connection.execute(
            "SELECT kind, reason, previous_owner_id, owner_id, changed_by"
            " FROM customer_ownership WHERE customer_id = %s ORDER BY id",
            (customer,),
        ).fetchall()
        owner = uuid.UUID(rob)
        assert history == [
            ("entered", None, None, owner, None),
            ("graded", "C → A", owner, owner, None),
        ]
        # The change reached the change log, for the devices.
        logged = connection.execute(
            "SELECT changed_fields FROM sync_changes WHERE entity = 'customers' AND row_id = %s"
            " AND op = 'update' ORDER BY seq DESC LIMIT 1",
            (customer,),
        ).fetchone()[0]
        assert "grade" in logged and "grade_fixed" not in logged


def test_a_sync_grades_only_for_an_administrator(crm_db: CrmDatabase) -> None:
    crm_db.add_user("ada", "admin")
    crm_db.add_user("rob", "rep")
    with crm_db.connect_admin() as connection:
        small_world(connection, [500, 0])
    for login, graded in (("rob", 0), ("ada", 2), ("ada", 0)):
        with crm_db.connect_as(login) as connection:
            connection.autocommit = False
            assert grade_on_sync(connection) == graded
    with crm_db.connect_admin() as connection:
        assert sorted(grades(connection).values()) == ["A", "C"]


def test_a_server_older_than_grades_is_left_alone(pg_cleanup, crm_template) -> None:
    name = pg_cleanup.create_database(unique_name("crm_old"), owner=CRM_ADMIN)
    dsn = pg_cleanup.dsn(CRM_ADMIN, CRM_ADMIN_PASSWORD, name)
    init_server(dsn, target="0014")
    add_user(dsn, "ada_old", "admin", "pw-ada-old")
    with psycopg.connect(pg_cleanup.dsn("ada_old", "pw-ada-old", name)) as connection:
        assert grade_on_sync(connection) == 0  # the sync goes on as before
    with pytest.raises(ServerAdminError, match="does not grade customers yet"):
        apply_rules(dsn)


def test_a_profile_without_a_server_grades_as_the_server_does(
    crm_db: CrmDatabase, profile: Profile
) -> None:
    """grading.rule is the server's rule in Python: the same thousand customers and payments,
    graded by each, get the same grades."""
    with crm_db.connect_admin() as connection:
        today, now = today_and_now(connection)
        customers = the_thousand(now - timedelta(days=500))
        write(connection, customers, today)
        connection.execute(APPLY)
        on_server = grades(connection)
    with profile.store.write() as session:
        write_locally(sqlite_connection(session), customers, today)

    grade_customers(profile.writer(), today)

    with profile.store.read() as session:
        local = dict(
            sqlite_connection(session).execute(
                "SELECT id, grade FROM customers WHERE deleted_at IS NULL"
            )
        )
    assert local == on_server
    assert local == expected(customers)


def write_locally(driver: sqlite3.Connection, customers: list[Customer], today: date) -> None:
    """`write`'s rows in a profile's store: the same customers, values and payments that must
    not count."""
    recent = today - timedelta(days=30)
    for customer in customers:
        made = to_sqlite(customer.created_at.astimezone(UTC).replace(tzinfo=None))
        driver.execute(
            "INSERT INTO customers (id, name, kind, search_text, grade, grade_fixed, grade_note,"
            " created_at, updated_at, deleted_at) VALUES (?, ?, 'company', '', ?, ?, ?, ?, ?, ?)",
            (
                customer.id,
                f"客户 {customer.key:04d}",
                customer.grade,
                customer.fixed,
                "经理定级" if customer.fixed else None,
                made,
                made,
                made if customer.deleted else None,
            ),
        )
        payments = []
        if customer.value:
            first = customer.value // 3
            payments += [(recent, amount, None) for amount in (first, customer.value - first)]
        if customer.key % 50 == 0:
            payments += [
                (recent, 10_000_000, made),
                (today - timedelta(days=400), 10_000_000, None),
                (today + timedelta(days=10), 10_000_000, None),
            ]
        for paid_on, amount, deleted in payments:
            driver.execute(
                "INSERT INTO payments (id, customer_id, paid_on, amount_cents, method,"
                " created_at, updated_at, deleted_at) VALUES (?, ?, ?, ?, 'transfer', ?, ?, ?)",
                (str(uuid.uuid4()), customer.id, paid_on.isoformat(), amount, made, made, deleted),
            )
