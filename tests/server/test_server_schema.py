"""`server init`: the schema, made and upgraded by a non-superuser admin, twice is a no-op."""

from __future__ import annotations

import psycopg
import pytest

from crm_desktop.models.entities import ENTITIES, LOCAL_ONLY_COLUMNS
from crm_desktop.sync.server.errors import ServerAdminError
from crm_desktop.sync.server.schema import current_revision, head_revision, init_server


def test_init_twice_is_a_no_op(crm_db) -> None:
    assert current_revision(crm_db.admin_dsn) == head_revision()
    result = init_server(crm_db.admin_dsn)
    assert not result.changed
    assert init_server(crm_db.admin_dsn).current == head_revision()


def test_tables_mirror_the_local_store(crm_db) -> None:
    with crm_db.connect_admin() as connection:
        rows = connection.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns"
            " WHERE table_schema = 'public'"
        ).fetchall()
    server = {(table, column): kind for table, column, kind in rows}
    for table, entity in ENTITIES.items():
        for column in entity.__table__.columns:
            if column.name in LOCAL_ONLY_COLUMNS.get(table, ()):
                assert (table, column.name) not in server
                continue
            assert (table, column.name) in server, f"{table}.{column.name} missing on the server"
            kind = server[(table, column.name)]
            if getattr(column.type, "length", None) == 36:  # local ids are 36-character text
                assert kind == "uuid", f"{table}.{column.name}"
            elif column.name.endswith("_cents"):
                assert kind == "bigint", f"{table}.{column.name}"
            elif column.name.endswith("_at"):
                assert kind == "timestamp with time zone", f"{table}.{column.name}"
    assert server[("users", "login")] == "character varying"


def test_init_runs_as_a_non_superuser_who_owns_the_database(pg_cleanup) -> None:
    pg_cleanup.create_role("crm_owner_2", "owner-pw-2", "LOGIN CREATEROLE CREATEDB")
    pg_cleanup.create_database("crm_fresh", owner="crm_owner_2")
    dsn = pg_cleanup.dsn("crm_owner_2", "owner-pw-2", "crm_fresh")
    with psycopg.connect(dsn) as connection:
        flags = connection.execute(
            "SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user"
        ).fetchone()
    assert flags == (False, True)

    first = init_server(dsn)
    assert first.previous is None
    assert first.current == head_revision()
    assert not init_server(dsn).changed
    with psycopg.connect(dsn) as connection:
        owners = connection.execute(
            "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'"
        ).fetchall()
    assert owners == [("crm_owner_2",)]


def test_wrong_password_is_one_sentence(crm_db) -> None:
    dsn = crm_db.server.dsn(crm_db.admin_login, "not-the-password", crm_db.name)
    with pytest.raises(ServerAdminError, match=r"^Could not connect to the server") as caught:
        init_server(dsn)
    assert "not-the-password" not in str(caught.value)
