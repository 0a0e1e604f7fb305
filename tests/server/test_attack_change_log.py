"""Attacks on the sync bookkeeping: forging or wiping the change log, the receipts, the
server's identity and its repairs, and reading from the log who owns what."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from psycopg.types.json import Jsonb

from tests.server import attack_helpers
from tests.server.attack_helpers import LOGINS, RLS_VIOLATION

shared_world = attack_helpers.shared_world
world = attack_helpers.world

FORGERIES = {
    "sync_changes": [
        "INSERT INTO sync_changes (entity, row_id, customer_id, op)"
        " SELECT 'customers', id, id, 'delete' FROM customers",
        "INSERT INTO sync_changes (entity, op) VALUES ('customers', 'truncate')",
        "UPDATE sync_changes SET op = 'delete'",
        "UPDATE sync_changes SET changed_at = now() + interval '1 day'",
        "DELETE FROM sync_changes",
        "TRUNCATE sync_changes",
    ],
    "sync_meta": [
        "INSERT INTO sync_meta DEFAULT VALUES",
        "UPDATE sync_meta SET epoch = gen_random_uuid()",
        "UPDATE sync_meta SET log_floor = '999999'",
        "DELETE FROM sync_meta",
        "TRUNCATE sync_meta",
    ],
    "server_repairs": [
        "INSERT INTO server_repairs (table_name, row_id, column_name, reason)"
        " VALUES ('customers', gen_random_uuid(), 'name', 'forged')",
        "UPDATE server_repairs SET old_value = 'forged'",
        "DELETE FROM server_repairs",
        "TRUNCATE server_repairs",
    ],
    "alembic_version": [
        "INSERT INTO alembic_version VALUES ('9999')",
        "UPDATE alembic_version SET version_num = '0001'",
        "DELETE FROM alembic_version",
        "TRUNCATE alembic_version",
    ],
    "sync_pushes": [
        "UPDATE sync_pushes SET result = '{}'",
        "DELETE FROM sync_pushes",
        "TRUNCATE sync_pushes",
    ],
    "sequences": [
        "SELECT setval('sync_changes_seq_seq', 1)",
        "SELECT nextval('sync_changes_seq_seq')",
        "SELECT setval('server_repairs_id_seq', 1)",
    ],
}
FORGERY_CASES = [
    (table, statement) for table, statements in FORGERIES.items() for statement in statements
]


@pytest.mark.parametrize("table, statement", FORGERY_CASES)
@pytest.mark.parametrize("login", LOGINS)
def test_bookkeeping_cannot_be_forged(world, login, table, statement) -> None:
    changes = world.count("sync_changes")
    with (
        world.session(login) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"),
    ):
        connection.execute(statement)
    assert world.count("sync_changes") == changes
    world.assert_unchanged()


COPY_IN = {
    "sync_changes": psycopg.errors.InsufficientPrivilege,
    "sync_meta": psycopg.errors.InsufficientPrivilege,
    "server_repairs": psycopg.errors.InsufficientPrivilege,
    "alembic_version": psycopg.errors.InsufficientPrivilege,
    # Users may insert their own receipts, but not their times (server 0037): a COPY of every
    # column is refused for that, and one of the columns they may write is refused because
    # COPY skips row-level security.
    "sync_pushes": psycopg.errors.InsufficientPrivilege,
    "sync_pushes (device_id, seq, result, pushed_by)": psycopg.errors.FeatureNotSupported,
}


@pytest.mark.parametrize("table, error", COPY_IN.items(), ids=COPY_IN)
@pytest.mark.parametrize("login", LOGINS)
def test_bookkeeping_cannot_be_copied_in(world, login, table, error) -> None:
    with (
        world.session(login) as connection,
        pytest.raises(error),
        connection.cursor().copy(f"COPY {table} FROM STDIN") as copy,
    ):
        copy.write("forged\n")
    world.assert_unchanged()


# An UPDATE that changes nothing (or only the audit columns, which the server keeps) must not
# add to the log: otherwise anyone could flood every device with fake changes.
NO_OP_UPDATES = {
    "customers": (
        "rob",
        "UPDATE customers SET name = name, notes = notes WHERE owner_id IS NOT NULL",
    ),
    "contacts": ("rob", "UPDATE contacts SET name = name"),
    "opportunities": ("rob", "UPDATE opportunities SET stage = stage"),
    "opportunity_lines": ("rob", "UPDATE opportunity_lines SET quantity = quantity"),
    "tasks": ("rob", "UPDATE tasks SET title = title"),
    "followups": ("rob", "UPDATE followups SET text = text"),
    "customer_identifiers": ("rob", "UPDATE customer_identifiers SET value = value"),
    "products": ("mia", "UPDATE products SET name = name"),
    "users": ("ada", "UPDATE users SET name = name"),
    "customers, audit only": (
        "cal",
        "UPDATE customers SET updated_at = '2099-01-01', updated_by = NULL,"
        " created_at = '1970-01-01'",
    ),
    "contacts, audit only": ("mia", "UPDATE contacts SET updated_at = '1970-01-01'"),
}


@pytest.mark.parametrize("login, statement", NO_OP_UPDATES.values(), ids=NO_OP_UPDATES)
def test_an_update_that_changes_nothing_logs_nothing(world, login, statement) -> None:
    changes = world.count("sync_changes")
    with world.session(login) as connection:
        assert connection.execute(statement).rowcount > 0  # rows he may change were touched
    assert world.count("sync_changes") == changes
    world.assert_unchanged()


# -- who owns what ----------------------------------------------------------------------------

OWNERSHIP_READS = [
    "SELECT owner_id FROM sync_changes",
    "SELECT previous_owner_id FROM sync_changes",
    "SELECT * FROM sync_changes",
    "TABLE sync_changes",
    "SELECT s FROM sync_changes s",
    "SELECT to_jsonb(s) FROM sync_changes s",
    "SELECT row_id FROM sync_changes WHERE owner_id IS NOT NULL",
    "SELECT row_id FROM sync_changes ORDER BY previous_owner_id",
    "SELECT count(*) FROM sync_changes GROUP BY owner_id",
    "SELECT row_id FROM sync_changes s WHERE s::text LIKE '%%-%%'",
]


@pytest.mark.parametrize("statement", OWNERSHIP_READS)
@pytest.mark.parametrize("login", LOGINS)
def test_the_change_log_does_not_say_who_owns_what(world, login, statement) -> None:
    with (
        world.session(login) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"),
    ):
        connection.execute(statement)
    world.assert_unchanged()


@pytest.mark.parametrize("login", LOGINS)
def test_the_change_log_cannot_be_copied_out_whole(world, login) -> None:
    with (
        world.session(login) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"),
        connection.cursor().copy("COPY sync_changes TO STDOUT") as copy,
    ):
        list(copy)
    world.assert_unchanged()


@pytest.mark.parametrize("login", LOGINS)
def test_statistics_do_not_show_the_hidden_columns(world, login) -> None:
    world.owner().execute("ANALYZE sync_changes, customers, clerk_assignments")
    with world.session(login) as connection:
        shown = connection.execute(
            "SELECT tablename, attname FROM pg_stats"
            " WHERE schemaname = 'public' AND (tablename IN ('customers', 'clerk_assignments')"
            " OR attname IN ('owner_id', 'previous_owner_id'))"
        ).fetchall()
    assert shown == []
    world.assert_unchanged()


@pytest.mark.parametrize("login", ["rob", "rae", "mia", "cal"])
def test_the_change_log_still_says_what_changed(world, login) -> None:
    key = {"rob": "rob", "rae": "rae", "mia": "mia", "cal": "rae"}[login]
    customer = world.customers[key]
    query = "SELECT entity, row_id, op FROM sync_changes WHERE customer_id = %s ORDER BY seq"
    expected = world.owner().execute(query, (customer,)).fetchall()
    # The customer, its contact, follow-up, identifier, deal, line, task, contract, instalment
    # and payment.
    assert len(expected) == 10
    with world.session(login) as connection:
        assert connection.execute(query, (customer,)).fetchall() == expected
    world.assert_unchanged()


# -- push receipts ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "login, other", [(login, other) for login in LOGINS for other in LOGINS if other != login]
)
def test_a_receipt_in_someone_elses_name_is_refused(world, login, other) -> None:
    with (
        world.session(login) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION),
    ):
        connection.execute(
            "INSERT INTO sync_pushes (device_id, seq, pushed_by, result) VALUES (%s, 1, %s, %s)",
            (uuid.uuid4(), world.users[other], Jsonb({"forged": True})),
        )
    assert world.count("sync_pushes") == 0
    world.assert_unchanged()


def test_two_users_may_push_the_same_device_and_number_and_see_only_their_own(world) -> None:
    device = uuid.uuid4()
    for login in ("rob", "rae"):
        with world.session(login) as connection:
            connection.execute(
                "INSERT INTO sync_pushes (device_id, seq, result) VALUES (%s, 7, %s)",
                (device, Jsonb({"by": login})),
            )
    for login in ("rob", "rae"):
        with world.session(login) as connection:
            seen = connection.execute(
                "SELECT pushed_by::text, result FROM sync_pushes WHERE device_id = %s", (device,)
            ).fetchall()
        assert seen == [(world.users[login], {"by": login})]
    stored = world.owner().execute(
        "SELECT pushed_by::text FROM sync_pushes WHERE device_id = %s AND seq = 7 ORDER BY 1",
        (device,),
    )
    assert [row[0] for row in stored] == sorted([world.users["rob"], world.users["rae"]])


# -- repairs ----------------------------------------------------------------------------------


@pytest.mark.parametrize("login", LOGINS)
def test_only_admins_read_what_an_upgrade_repaired(world, login) -> None:
    """Old values kept by an upgrade may be anyone's notes: an admin's to read, no one else's."""
    world.owner().execute(
        "INSERT INTO server_repairs (table_name, row_id, column_name, old_value, reason)"
        " VALUES ('customers', %s, 'notes', 'private words', 'test')",
        (world.customers["rob"],),
    )
    with world.session(login) as connection:
        seen = connection.execute("SELECT old_value FROM server_repairs").fetchall()
    assert seen == ([("private words",)] if login == "ada" else [])
