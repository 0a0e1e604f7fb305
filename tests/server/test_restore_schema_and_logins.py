"""A backup holds the CRM's schema and nothing else of the database (not pgbouncer-login's,
which is the superuser's), so it restores in place and into an empty database after
pgbouncer-login ran; after a restore the status does not say the log was trimmed; and a login
left from a user added after the backup is named, and taken back by add-user when it is nothing
but that user's login."""

from __future__ import annotations

import subprocess
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from crm_desktop.sync.server.admin import add_crm_user
from crm_desktop.sync.server.errors import ServerAdminError
from crm_desktop.sync.server.maintenance import find_tools, target_of
from crm_desktop.sync.server.pooler import POOLER_LOGIN, SCHEMA, set_up_pooler_login
from tests.postgres import CRM_ADMIN, CrmDatabase, unique_name
from tests.server.conftest import World
from tests.server.test_server_command import crm  # noqa: F401  (the fixture)

POOLER_PASSWORD = "pooler-Secret-2"


def listed(path: Path) -> str:
    tools = find_tools(15)
    return subprocess.run(
        [tools["pg_restore"], "--list", str(path)], capture_output=True, text=True, check=True
    ).stdout


def schema_owner(db: CrmDatabase, name: str) -> str | None:
    with db.server.connect(db.name) as connection:
        row = connection.execute(
            "SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = %s", (name,)
        ).fetchone()
    return row[0] if row else None


def security_definers_of(db: CrmDatabase, owner: str) -> list[str]:
    with db.server.connect(db.name) as connection:
        rows = connection.execute(
            "SELECT p.oid::regprocedure::text FROM pg_proc p"
            " WHERE p.prosecdef AND p.proowner = to_regrole(%s)"
            " AND p.pronamespace <> 'public'::regnamespace",
            (owner,),
        ).fetchall()
    return [row[0] for row in rows]


def pooler_finds(db: CrmDatabase, login: str) -> bool:
    with psycopg.connect(
        db.server.dsn(POOLER_LOGIN, POOLER_PASSWORD, db.name), autocommit=True
    ) as connection:
        rows = connection.execute(f"SELECT * FROM {SCHEMA}.get_auth(%s)", (login,)).fetchall()
    return bool(rows)


def empty_database(db: CrmDatabase) -> CrmDatabase:
    name = db.server.create_database(unique_name("crm_empty"), owner=CRM_ADMIN)
    return CrmDatabase(db.server, name, dict(db.passwords))


def test_a_backup_after_pgbouncer_login_restores_in_place_and_into_an_empty_database(
    crm,  # noqa: F811
    world: World,
    tmp_path: Path,
) -> None:
    db = world.db
    set_up_pooler_login(db.server.dsn(dbname=db.name), POOLER_PASSWORD)
    file = tmp_path / "crm.dump"
    code, _, err = crm("server", "backup", "--out", str(file), "--dsn", db.admin_dsn)
    assert (code, err) == (0, "")
    assert f" {SCHEMA} " not in listed(file)

    code, out, err = crm("server", "restore", str(file), "--yes", "--dsn", db.admin_dsn)
    assert (code, err) == (0, ""), err
    assert "Restored" in out
    # pgbouncer's lookup is the superuser's still, and still works.
    assert schema_owner(db, SCHEMA) == db.server.superuser
    assert pooler_finds(db, "rob")

    empty = empty_database(db)
    code, _, err = crm("server", "restore", str(file), "--dsn", empty.admin_dsn)
    assert (code, err) == (0, ""), err
    assert schema_owner(empty, SCHEMA) is None
    assert security_definers_of(empty, CRM_ADMIN) == []
    for restored in (db, empty):
        with restored.connect_as("rob") as connection:
            names = connection.execute("SELECT name FROM customers ORDER BY 1").fetchall()
        assert names == [("pool Ltd",), ("rob Ltd",)]


def test_a_backup_made_with_pgbouncers_schema_in_it_restores_without_it(
    crm,  # noqa: F811
    world: World,
    tmp_path: Path,
) -> None:
    """A file from before backups held the CRM's schema alone: the pgbouncer schema in it is
    left out, never made again as the admin's with its SECURITY DEFINER function."""
    db = world.db
    set_up_pooler_login(db.server.dsn(dbname=db.name), POOLER_PASSWORD)
    file = tmp_path / "old.dump"
    target = target_of(db.admin_dsn)
    subprocess.run(
        [
            find_tools(15)["pg_dump"], "--format=custom", "--no-password",
            "--enable-row-security", "--file", str(file), *target.dbname_args(),
        ],
        env=target.env, check=True, capture_output=True,
    )  # fmt: skip
    assert f" {SCHEMA} " in listed(file)

    code, _, err = crm("server", "restore", str(file), "--yes", "--dsn", db.admin_dsn)
    assert (code, err) == (0, ""), err
    assert pooler_finds(db, "rob")

    empty = empty_database(db)
    code, _, err = crm("server", "restore", str(file), "--dsn", empty.admin_dsn)
    assert (code, err) == (0, ""), err
    assert schema_owner(empty, SCHEMA) is None
    assert security_definers_of(empty, CRM_ADMIN) == []


def test_after_a_restore_the_status_does_not_say_trim_log_trimmed(
    crm,  # noqa: F811
    world: World,
    tmp_path: Path,
) -> None:
    db = world.db
    file = tmp_path / "crm.dump"
    assert crm("server", "backup", "--out", str(file), "--dsn", db.admin_dsn)[0] == 0
    assert crm("server", "restore", str(file), "--yes", "--dsn", db.admin_dsn)[0] == 0
    code, out, _ = crm("server", "status", "--dsn", db.admin_dsn)
    assert code == 0
    log = next(line for line in out.splitlines() if line.startswith("Change log:"))
    assert "trimmed by trim-log" not in log
    assert "older entries gone (trim-log or a restore)" in log


# -- logins left from users added after the backup ------------------------------------------------


def logs_in(db: CrmDatabase, login: str, password: str) -> bool:
    try:
        with psycopg.connect(db.server.dsn(login, password, db.name)) as connection:
            return connection.execute("SELECT crm_current_user_id()").fetchone()[0] is not None
    except psycopg.OperationalError:
        return False


def test_a_user_added_after_the_backup_is_named_and_added_again(
    crm,  # noqa: F811
    world: World,
    tmp_path: Path,
) -> None:
    db = world.db
    file = tmp_path / "crm.dump"
    assert crm("server", "backup", "--out", str(file), "--dsn", db.admin_dsn)[0] == 0
    code, _, _ = crm(
        "server", "add-user", "newbie", "--role", "rep", "--dsn", db.admin_dsn,
        stdin="newbie-old-pw\n",
    )  # fmt: skip
    assert code == 0

    code, out, err = crm("server", "restore", str(file), "--yes", "--dsn", db.admin_dsn)
    assert (code, err) == (0, "")
    assert "1 login(s) of this database have no user in the backup (added after it): newbie" in out
    assert "server add-user NAME --role ROLE" in out
    code, out, _ = crm("server", "status", "--dsn", db.admin_dsn)
    assert "logins without a user here: newbie" in out
    assert not logs_in(db, "newbie", "newbie-old-pw")  # he logs in, but is nobody

    code, out, err = crm(
        "server", "add-user", "newbie", "--role", "rep", "--manager", "mia", "--name", "New Bie",
        "--dsn", db.admin_dsn, stdin="newbie-new-pw\n",
    )  # fmt: skip
    assert (code, err) == (0, ""), err
    assert out.startswith("Added rep “newbie”.\n")
    assert "left from before a restore; it is his again, with the new password." in out
    assert logs_in(db, "newbie", "newbie-new-pw")
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(db.server.dsn("newbie", "newbie-old-pw", db.name)).close()
    code, out, _ = crm("server", "status", "--dsn", db.admin_dsn)
    assert "logins without a user here" not in out
    # Added once: a second time is refused as before.
    code, _, err = crm(
        "server", "add-user", "newbie", "--role", "rep", "--dsn", db.admin_dsn, stdin="pw-2026-x\n"
    )
    assert code == 1 and "A user or database role named “newbie” already exists." in err


def leftover(db: CrmDatabase, login: str, password: str, database: str | None = None) -> None:
    """A login as add-user makes it for `database` (this one by default), without its users
    row: as a restore leaves a user added after the backup."""
    with db.connect_admin() as connection:
        connection.execute(
            sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
                sql.Identifier(login), sql.Literal(password)
            )
        )
        connection.execute(sql.SQL("GRANT crm_users TO {}").format(sql.Identifier(login)))
        connection.execute(
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(database or db.name), sql.Identifier(login)
            )
        )


ALREADY = "A user or database role named “zed” already exists."
LEFT_WITH_MORE = "is left from a user this database no longer has, but it has more"


def make_plain_login(db: CrmDatabase) -> None:
    db.server.create_role("zed", "zed-pw-2026")


def make_other_databases_user(db: CrmDatabase) -> None:
    other = db.server.create_database(unique_name("crm_elsewhere"), owner=CRM_ADMIN)
    leftover(db, "zed", "zed-pw-2026", database=other)


def make_finance_login(db: CrmDatabase) -> None:
    from crm_desktop.sync.server.admin import add_finance_user

    add_finance_user(db.admin_dsn, "zed", "zed-pw-2026")


def make_with(*statements: str):
    """A lost user's login, then `statements` run by the superuser; "{elsewhere}" names another
    database (dropped before the test's roles, so what it holds never keeps one alive)."""

    def make(db: CrmDatabase) -> None:
        leftover(db, "zed", "zed-pw-2026")
        elsewhere = db.server.create_database(unique_name("crm_elsewhere"))
        for statement in statements:
            db.server.execute(statement.format(elsewhere=elsewhere), elsewhere)

    return make


@pytest.mark.parametrize(
    ("make", "sentence"),
    [
        pytest.param(make_plain_login, ALREADY, id="not a CRM login"),
        pytest.param(make_other_databases_user, ALREADY, id="another database's user"),
        pytest.param(make_finance_login, ALREADY, id="a finance login"),
        pytest.param(make_with("CREATE ROLE zed_boss", "GRANT zed_boss TO zed"), LEFT_WITH_MORE,
                     id="a member of another role"),
        pytest.param(make_with("CREATE ROLE eve LOGIN", "GRANT zed TO eve"), LEFT_WITH_MORE,
                     id="someone may act as it"),
        pytest.param(make_with("ALTER ROLE zed CREATEDB"), LEFT_WITH_MORE, id="a special right"),
        pytest.param(make_with("ALTER ROLE zed SET work_mem = '1GB'"), LEFT_WITH_MORE,
                     id="a setting"),
        pytest.param(make_with("CREATE TABLE zed_things (id int)",
                               "ALTER TABLE zed_things OWNER TO zed"), LEFT_WITH_MORE,
                     id="objects elsewhere"),
        pytest.param(make_with("GRANT CONNECT ON DATABASE {elsewhere} TO zed"), LEFT_WITH_MORE,
                     id="a right elsewhere"),
        pytest.param(make_with("REVOKE crm_users FROM zed",
                               "GRANT crm_users TO zed WITH ADMIN OPTION"), LEFT_WITH_MORE,
                     id="passes the group on"),
    ],
)  # fmt: skip
def test_add_user_takes_over_no_role_but_a_lost_users_login(
    crm_db: CrmDatabase, make, sentence: str
) -> None:
    make(crm_db)
    with pytest.raises(ServerAdminError, match=sentence):
        add_crm_user(crm_db.admin_dsn, "zed", "rep", "new-pw-2026")
    with crm_db.server.connect(crm_db.name) as connection:
        assert connection.execute("SELECT count(*) FROM users").fetchone()[0] == 0
    # Its password is as it was.
    with psycopg.connect(crm_db.server.dsn("zed", "zed-pw-2026", "postgres")) as connection:
        connection.execute("SELECT 1")


def test_a_lost_users_login_is_taken_over_without_a_restore(crm_db: CrmDatabase) -> None:
    leftover(crm_db, "zed", "zed-pw-2026")
    added = add_crm_user(crm_db.admin_dsn, "zed", "manager", "new-pw-2026")
    assert added.took_over_login
    assert logs_in(crm_db, "zed", "new-pw-2026")
    assert not logs_in(crm_db, "zed", "zed-pw-2026")
