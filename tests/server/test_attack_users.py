"""Attacks on the users: renaming logins, keeping a login after being deactivated, deactivating
what is no CRM user, and login names that are not names."""

from __future__ import annotations

import contextlib

import psycopg
import pytest

from crm_desktop.sync.server.admin import add_user
from crm_desktop.sync.server.errors import ServerAdminError
from crm_desktop.sync.server.schema import init_server
from tests.postgres import CRM_ADMIN
from tests.server import attack_helpers
from tests.server.attack_helpers import LOGINS, RLS_VIOLATION

shared_world = attack_helpers.shared_world
world = attack_helpers.world


@pytest.mark.parametrize("target", LOGINS)
@pytest.mark.parametrize("login", ["mia", "rob", "rae", "cal"])
def test_only_admins_change_users(world, login, target) -> None:
    user = world.users[target]
    before = world.row("users", user)
    with world.session(login) as connection:
        for change in (
            "role = 'admin'",
            "active = false",
            "deleted_at = now()",
            "manager_id = NULL",
            "login = 'renamed'",
            "name = 'renamed'",
        ):
            updated = connection.execute(f"UPDATE users SET {change} WHERE id = %s", (user,))
            assert updated.rowcount == 0, change
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION):
            connection.execute(
                "INSERT INTO users (login, name, role) VALUES ('eve', 'Eve', 'admin')"
            )
    assert world.row("users", user) == before
    world.assert_unchanged()


@pytest.mark.parametrize("target", LOGINS)
def test_not_even_an_admin_renames_a_login(world, target) -> None:
    user = world.users[target]
    before = world.row("users", user)
    taken = "rae" if target != "rae" else "rob"
    for login in ("renamed", "crm_admin", taken):
        with (
            world.session("ada") as connection,
            pytest.raises(
                psycopg.errors.InsufficientPrivilege, match="login of a users cannot change"
            ),
        ):
            connection.execute("UPDATE users SET login = %s WHERE id = %s", (login, user))
    assert world.row("users", user) == before
    world.assert_unchanged()


def refused_login(world, login: str) -> None:
    with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
        world.db.connect_as(login).close()


@pytest.mark.parametrize("login", ["rob", "mia", "cal"])
@pytest.mark.parametrize("how", ["active = false", "deleted_at = now()"])
def test_a_deactivated_user_cannot_log_in_and_his_open_session_sees_nothing(
    world, login, how
) -> None:
    with world.db.connect_as(login) as session, world.db.connect_as("ada") as admin:
        assert session.execute("SELECT count(*) FROM customers").fetchone()[0] > 0
        admin.execute(f"UPDATE users SET {how} WHERE login = %s", (login,))
        assert not world.can_log_in(login)
        refused_login(world, login)
        # The session he had open stays open, but shows and takes nothing any more.
        for table in ("customers", "contacts", "followups", "tasks", "clerk_assignments"):
            assert session.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION):
            session.execute(
                "INSERT INTO customers (name, owner_id) VALUES ('after leaving', %s)",
                (world.users[login],),
            )
        undo = "active = true" if how.startswith("active") else "deleted_at = NULL"
        admin.execute(f"UPDATE users SET {undo} WHERE login = %s", (login,))
    assert world.can_log_in(login)
    with world.db.connect_as(login) as connection:
        assert connection.execute("SELECT count(*) FROM customers").fetchone()[0] > 0


@pytest.mark.parametrize("how", ["active = false", "deleted_at = now()"])
def test_a_deactivated_users_open_session_reads_no_users_products_or_log(world, how) -> None:
    """docs/security.md: his open session "sees nothing from then on"."""
    with world.db.connect_as("rob") as session, world.db.connect_as("ada") as admin:
        admin.execute(f"UPDATE users SET {how} WHERE login = 'rob'")
        seen = {
            table: session.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("users", "products", "sync_changes")
        }
    assert seen == dict.fromkeys(seen, 0)


NOT_CRM_USERS = {
    "the owner": CRM_ADMIN,
    "a superuser": "postgres",
}


@pytest.mark.parametrize("role", NOT_CRM_USERS.values(), ids=NOT_CRM_USERS)
def test_deactivating_a_users_row_never_disables_the_owner_or_a_superuser(world, role) -> None:
    with world.db.connect_as("ada") as connection:
        connection.execute(
            "INSERT INTO users (login, name, role) VALUES (%s, 'Not a CRM user', 'rep')", (role,)
        )
        connection.execute("UPDATE users SET active = false WHERE login = %s", (role,))
        connection.execute("UPDATE users SET deleted_at = now() WHERE login = %s", (role,))
    assert world.can_log_in(role)
    world.db.connect_admin().close()  # the owner still logs in


def test_an_admin_here_never_disables_a_user_of_another_database(world) -> None:
    """Roles are shared by the whole server; a CRM user of another database (a member of
    crm_users, allowed to connect only there) is no one this database may switch off."""
    world.db.server.create_role("elsewhere", "elsewhere-pw")
    world.db.server.execute("GRANT crm_users TO elsewhere")
    with world.db.server.connect(world.db.name) as connection:
        assert not connection.execute(
            "SELECT has_database_privilege('elsewhere', current_database(), 'CONNECT')"
        ).fetchone()[0]
    with world.db.connect_as("ada") as connection:
        connection.execute(
            "INSERT INTO users (login, name, role) VALUES ('elsewhere', 'Another office', 'rep')"
        )
        connection.execute("UPDATE users SET active = false WHERE login = 'elsewhere'")
    assert world.can_log_in("elsewhere")


def test_server_init_gives_another_databases_user_no_way_in(world) -> None:
    """A users row an administrator here adds for another database's user makes no login of
    this database's: `server init` (run at every upgrade) gives it no CONNECT, and switching
    the row off and on leaves the login as its own database set it (server revision 0023)."""
    world.db.server.create_role("elsewhere2", "elsewhere2-pw")
    world.db.server.execute("GRANT crm_users TO elsewhere2")
    with world.db.connect_as("ada") as connection:
        connection.execute(
            "INSERT INTO users (login, name, role) VALUES ('elsewhere2', 'Another office', 'rep')"
        )
    init_server(world.db.admin_dsn)
    with world.db.server.connect(world.db.name) as connection:
        assert not connection.execute(
            "SELECT has_database_privilege('elsewhere2', current_database(), 'CONNECT')"
        ).fetchone()[0]
    with world.db.connect_as("ada") as connection:
        connection.execute("UPDATE users SET active = false WHERE login = 'elsewhere2'")
    assert world.can_log_in("elsewhere2")
    world.db.server.execute("ALTER ROLE elsewhere2 NOLOGIN")  # its own database switched it off
    with world.db.connect_as("ada") as connection:
        connection.execute("UPDATE users SET active = true WHERE login = 'elsewhere2'")
    assert not world.can_log_in("elsewhere2")


@pytest.mark.parametrize("login", LOGINS)
def test_no_crm_user_reads_or_writes_the_record_of_logins(world, login) -> None:
    with world.session(login) as connection:
        for statement in (
            "SELECT count(*) FROM crm_logins",
            "INSERT INTO crm_logins (login, kind) VALUES ('eve', 'user')",
            "UPDATE crm_logins SET kind = 'finance'",
            "DELETE FROM crm_logins",
        ):
            with (
                pytest.raises(psycopg.errors.InsufficientPrivilege),
                connection.transaction(),
            ):
                connection.execute(statement)
    world.assert_unchanged()


def test_the_group_role_gives_nothing_even_with_a_users_row(world) -> None:
    """An admin making a users row named after the group role must not make every CRM user
    (all members of it, so all allowed to SET ROLE to it) an admin."""
    with (
        world.db.connect_as("ada") as connection,
        # Refused outright is fine too; what matters is what follows.
        contextlib.suppress(psycopg.errors.CheckViolation, psycopg.errors.InsufficientPrivilege),
    ):
        connection.execute(
            "INSERT INTO users (login, name, role) VALUES ('crm_users', 'Everyone', 'admin')"
        )
    with world.db.connect_as("rob") as connection:
        connection.execute("SET ROLE crm_users")
        assert connection.execute("SELECT crm_is_admin()").fetchone()[0] is False
        seen = connection.execute("SELECT count(*) FROM customers").fetchone()[0]
        assert seen == 0, f"rob, as crm_users, sees {seen} customers"


def test_a_member_of_the_group_who_is_no_user_here_sees_nothing(world) -> None:
    """Roles are shared by every database of the server: a CRM user of another database (a
    member of crm_users, no users row here) may connect to this one."""
    world.db.server.create_role("outsider", "outsider-pw")
    world.db.server.execute("GRANT crm_users TO outsider")
    try:
        connection = psycopg.connect(
            world.db.server.dsn("outsider", "outsider-pw", world.db.name), autocommit=True
        )
    except psycopg.OperationalError:
        return  # not even let in: nothing to see
    with connection:
        seen = {
            table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("users", "products", "customers", "contacts", "sync_changes")
        }
    assert seen == dict.fromkeys(seen, 0)


# -- login names --------------------------------------------------------------------------------

RESERVED = [
    "public",
    "crm_users",
    "current_user",
    "current_role",
    "session_user",
    "user",
    "none",
    "pg_x",
    "pg_read_all_data",
    CRM_ADMIN,
]


@pytest.mark.parametrize("login", RESERVED)
def test_a_reserved_name_is_refused_in_one_sentence(world, login) -> None:
    with pytest.raises(ServerAdminError) as refused:
        add_user(world.db.admin_dsn, login, "rep", "pw-long-enough")
    message = str(refused.value)
    assert "\n" not in message
    assert message.endswith(".")
    assert login in message
    world.assert_unchanged()


@pytest.mark.parametrize("login", ["rob", "Rob", 'r"b', "rob; DROP TABLE users", "x" * 64])
def test_an_existing_or_malformed_name_is_refused_in_one_sentence(world, login) -> None:
    with pytest.raises(ServerAdminError) as refused:
        add_user(world.db.admin_dsn, login, "rep", "pw-long-enough")
    message = str(refused.value)
    assert "\n" not in message
    assert message.endswith(".")
    world.assert_unchanged()
    with world.db.server.connect(world.db.name) as connection:
        assert connection.execute("SELECT to_regclass('users')").fetchone()[0] is not None
        found = connection.execute(
            "SELECT count(*) FROM pg_roles WHERE rolname = %s", (login,)
        ).fetchone()[0]
    assert found == (1 if login == "rob" else 0)
