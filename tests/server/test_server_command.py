"""`crm-desktop server init` and `server add-user`, through the real command line."""

from __future__ import annotations

import io

import psycopg
import pytest

from crm_desktop import cli


@pytest.fixture
def crm(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run `crm-desktop ...`; returns (exit code, stdout, stderr). Password lines go to stdin."""
    monkeypatch.setitem(cli.COMMANDS, "server", "server")

    def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_init_twice_succeeds(crm, pg_cleanup) -> None:
    pg_cleanup.create_role("crm_cli_owner", "cli-owner-pw", "LOGIN CREATEROLE")
    pg_cleanup.create_database("crm_cli", owner="crm_cli_owner")
    dsn = pg_cleanup.dsn("crm_cli_owner", "cli-owner-pw", "crm_cli")
    code, out, err = crm("server", "init", "--dsn", dsn)
    assert (code, err) == (0, "")
    assert "upgraded from empty" in out
    code, out, err = crm("server", "init", "--dsn", dsn)
    assert (code, err) == (0, "")
    assert "nothing to do" in out
    assert "cli-owner-pw" not in out


def test_add_user_creates_a_login_role_with_his_password(crm, crm_db) -> None:
    code, out, err = crm(
        "server", "add-user", "mia", "--role", "manager", "--name", "Mia Chen",
        "--dsn", crm_db.admin_dsn, stdin="Mia's pw 1\n",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == "Added manager “mia”.\n"
    code, _, err = crm(
        "server", "add-user", "rob", "--role", "rep", "--manager", "mia",
        "--dsn", crm_db.admin_dsn, stdin="rob-pw-2026\n",
    )  # fmt: skip
    assert (code, err) == (0, "")

    dsn = crm_db.server.dsn("rob", "rob-pw-2026", crm_db.name)
    with psycopg.connect(dsn) as connection:
        row = connection.execute(
            "SELECT u.role, m.login, crm_current_user_id() = u.id"
            " FROM users u JOIN users m ON m.id = u.manager_id WHERE u.login = current_user"
        ).fetchone()
    assert row == ("rep", "mia", True)
    with crm_db.server.connect(crm_db.name) as connection:
        stored = connection.execute(
            "SELECT rolpassword, pg_has_role(oid, 'crm_users', 'MEMBER'), rolcreaterole"
            " FROM pg_authid WHERE rolname = 'mia'"
        ).fetchone()
        name = connection.execute("SELECT name FROM users WHERE login = 'mia'").fetchone()[0]
    assert stored[0].startswith("SCRAM-SHA-256$")  # sent hashed, never in clear
    assert stored[1:] == (True, False)
    assert name == "Mia Chen"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["zed", "--role", "boss"], "“boss” is not a role; choose one of admin, manager"),
        (["Robert'); DROP TABLE users;--", "--role", "rep"], "can't be a user name"),
        (["zed", "--role", "rep", "--manager", "nobody"], "There is no user named “nobody”"),
        (["zed", "--role", "rep", "--manager", "rob"], "“rob” is a rep, not a manager."),
        (["rob", "--role", "clerk"], "A user or database role named “rob” already exists."),
        (["postgres", "--role", "admin"], "named “postgres” already exists."),
        (["public", "--role", "rep"], "“public” can't be a user name"),
        (["crm_users", "--role", "rep"], "“crm_users” can't be a user name"),
        (["current_user", "--role", "rep"], "can't be a user name"),
    ],
)
def test_add_user_mistakes_are_one_sentence(crm, crm_db, argv, message) -> None:
    crm_db.add_user("rob", "rep")
    code, out, err = crm(
        "server", "add-user", *argv, "--dsn", crm_db.admin_dsn, stdin="pw-2026-x\n"
    )
    assert code == 1
    assert out == ""
    assert message in err
    assert err.count("\n") == 1  # one line, no traceback
    with crm_db.connect_admin() as connection:
        assert connection.execute("SELECT count(*) FROM users").fetchone()[0] == 1


def test_a_deactivated_user_cannot_log_in_until_activated(crm, crm_db) -> None:
    crm_db.add_user("rob", "rep")
    code, out, _ = crm("server", "deactivate-user", "rob", "--dsn", crm_db.admin_dsn)
    assert (code, out) == (0, "“rob” can no longer log in.\n")
    with pytest.raises(psycopg.OperationalError):
        crm_db.connect_as("rob").close()
    with crm_db.connect_admin() as connection:
        assert not connection.execute("SELECT active FROM users WHERE login = 'rob'").fetchone()[0]
    code, _, _ = crm("server", "activate-user", "rob", "--dsn", crm_db.admin_dsn)
    assert code == 0
    with crm_db.connect_as("rob") as connection:
        assert connection.execute("SELECT crm_current_user_id()").fetchone()[0] is not None


def test_deactivating_a_user_who_still_owns_customers_says_to_hand_them_over(crm, crm_db) -> None:
    """His customers stay his (his manager still sees them), but nobody follows them up: the
    administrator is told how many, and how to hand them over."""
    rob = crm_db.add_user("rob", "rep")
    with crm_db.connect_admin() as connection:
        for name in ("甲", "乙"):
            connection.execute(
                "INSERT INTO customers (name, owner_id) VALUES (%s, %s)", (name, rob)
            )
        connection.execute(
            "INSERT INTO customers (name, owner_id, deleted_at) VALUES ('丙', %s, now())", (rob,)
        )
    code, out, _ = crm("server", "deactivate-user", "rob", "--dsn", crm_db.admin_dsn)
    assert code == 0
    assert out.splitlines() == [
        "“rob” can no longer log in.",
        "“rob” still owns 2 customers: hand them over with "
        "`crm-desktop server handover --from rob --to LOGIN`.",
    ]
    code, out, _ = crm("server", "activate-user", "rob", "--dsn", crm_db.admin_dsn)
    assert (code, out) == (0, "“rob” can now log in.\n")


def test_deactivating_nobody_is_one_sentence(crm, crm_db) -> None:
    code, _, err = crm("server", "deactivate-user", "ghost", "--dsn", crm_db.admin_dsn)
    assert code == 1
    assert err == "crm-desktop: There is no user named “ghost”.\n"


def test_an_empty_password_is_refused(crm, crm_db) -> None:
    code, _, err = crm("server", "add-user", "zed", "--role", "rep", "--dsn", crm_db.admin_dsn)
    assert code == 1
    assert "password is empty" in err


@pytest.mark.parametrize("action", ["add-user", "set-password"])
def test_a_password_shorter_than_eight_characters_is_refused(crm, crm_db, action: str) -> None:
    crm_db.add_user("rob", "rep")
    rob = crm_db.server.dsn("rob", crm_db.passwords["rob"], crm_db.name)
    login = "zed" if action == "add-user" else "rob"
    role = ["--role", "rep"] if action == "add-user" else []
    code, out, err = crm(
        "server", action, login, *role, "--dsn", crm_db.admin_dsn, stdin="1234567\n"
    )
    assert (code, out) == (1, "")
    assert err == (
        "crm-desktop: The password is 7 characters long; give the user one of at least 8. "
        "Nothing was changed.\n"
    )
    with crm_db.server.connect(crm_db.name) as connection:
        users = connection.execute("SELECT login FROM users ORDER BY login").fetchall()
        logins = connection.execute("SELECT 1 FROM pg_roles WHERE rolname = 'zed'").fetchall()
    assert (users, logins) == ([("rob",)], [])
    with psycopg.connect(rob) as connection:  # his password is the one he had
        assert connection.execute("SELECT current_user").fetchone() == ("rob",)
    code, _, err = crm(
        "server", action, login, *role, "--dsn", crm_db.admin_dsn, stdin="12345678\n"
    )
    assert (code, err) == (0, "")


def test_a_rep_cannot_add_users(crm, crm_db) -> None:
    crm_db.add_user("rob", "rep", password="rob-pw-2026")
    dsn = crm_db.server.dsn("rob", "rob-pw-2026", crm_db.name)
    code, _, err = crm(
        "server", "add-user", "zed", "--role", "rep", "--dsn", dsn, stdin="pw-2026-x\n"
    )
    assert code == 1
    assert "may not add users" in err
    assert "rob-pw-2026" not in err


def test_a_bad_password_in_the_dsn_is_not_echoed(crm, crm_db) -> None:
    dsn = crm_db.server.dsn(crm_db.admin_login, "Wr0ng-Secret", crm_db.name)
    code, _, err = crm("server", "init", "--dsn", dsn)
    assert code == 1
    assert "Could not connect to the server" in err
    assert "Wr0ng-Secret" not in err


def test_init_by_a_role_without_rights_is_one_sentence(crm, crm_db) -> None:
    crm_db.server.create_role("crm_nobody", "nobody-pw")
    dsn = crm_db.server.dsn("crm_nobody", "nobody-pw", "postgres")
    code, _, err = crm("server", "init", "--dsn", dsn)
    assert code == 1
    assert "lacks a right server init needs" in err
    assert err.count("\n") == 1


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_at_a_terminal_the_password_is_asked_twice(monkeypatch) -> None:
    from crm_desktop.commands.server import read_password

    answers = iter(["first", "first", "one", "two"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    assert read_password("rob", FakeTerminal()) == "first"
    with pytest.raises(cli.UserError, match="differ"):
        read_password("rob", FakeTerminal())


def test_admin_commands_before_init_or_as_a_crm_user_are_one_sentence(
    crm, crm_db, pg_cleanup
) -> None:
    pg_cleanup.create_role("crm_bare_owner", "bare-owner-pw", "LOGIN CREATEROLE")
    pg_cleanup.create_database("crm_bare", owner="crm_bare_owner")
    bare = pg_cleanup.dsn("crm_bare_owner", "bare-owner-pw", "crm_bare")
    for argv in (
        ("rules",),
        ("trim-log",),
        ("deactivate-user", "rob"),
        ("unassign-clerk", "cal", "--rep", "rob"),
        ("handover", "--from", "rob", "--to", "rae"),
    ):
        code, out, err = crm("server", *argv, "--dsn", bare)
        assert (code, out) == (1, ""), argv
        assert err == "crm-desktop: The database has no CRM schema yet; run server init first.\n"
    crm_db.add_user("rob", "rep")
    rob = crm_db.dsn_for("rob")
    code, out, err = crm("server", "trim-log", "--dsn", rob)
    assert (code, out) == (1, "")
    assert err == (
        "crm-desktop: The role in the connection string may not trim the change log; "
        "use the administrator's.\n"
    )


@pytest.mark.parametrize(
    ("dsn", "secret"),
    [
        ("postgresql://admin:S3cr3t%zz@db.example.com/crm", "S3cr3t"),
        ("host=db.example.com password=my s3cret-word dbname=crm", "s3cret-word"),
    ],
)
@pytest.mark.parametrize("command", [("init",), ("backup", "--out", "unused.dump")])
def test_a_malformed_connection_string_is_not_echoed(crm, dsn, secret, command) -> None:
    """psycopg quotes what it cannot read of the string: a cron job's mail must not carry the
    password."""
    code, _, err = crm("server", *command, "--dsn", dsn)
    assert code == 1
    assert "The connection string is not valid" in err
    assert secret not in err and "Traceback" not in err


def test_init_on_a_database_that_cannot_hold_chinese_is_one_sentence(crm, pg_cleanup) -> None:
    """A cluster made in the C locale gives new databases SQL_ASCII: the schema's statements
    failed half-way with a bug's apology."""
    pg_cleanup.create_role("crm_ascii_owner", "ascii-owner-pw", "LOGIN CREATEROLE")
    pg_cleanup.execute(
        "CREATE DATABASE crm_ascii OWNER crm_ascii_owner ENCODING 'SQL_ASCII' LC_COLLATE 'C'"
        " LC_CTYPE 'C' TEMPLATE template0"
    )
    dsn = pg_cleanup.dsn("crm_ascii_owner", "ascii-owner-pw", "crm_ascii")
    code, _, err = crm("server", "init", "--dsn", dsn)
    assert code == 1
    assert "SQL_ASCII encoding, which cannot hold Chinese text" in err
    assert err.count("\n") == 1
    with psycopg.connect(dsn) as connection:  # nothing was made
        tables = connection.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
        ).fetchone()
    assert tables == (0,)


def test_a_refused_connection_names_the_address_it_tried(crm) -> None:
    code, _, err = crm("server", "status", "--dsn", "host=127.0.0.1 port=1 dbname=crm user=x")
    assert code == 1
    # libpq's whole message: its last line alone was "Is the server running on that host…".
    assert "127.0.0.1" in err and "port 1" in err


def test_set_password_gives_a_user_a_new_one_and_nobody_else(crm, crm_db) -> None:
    crm_db.add_user("rob", "rep")
    old = crm_db.passwords["rob"]
    code, out, err = crm(
        "server", "set-password", "rob", "--dsn", crm_db.admin_dsn, stdin="rob's new pw\n"
    )
    assert (code, err) == (0, "")
    assert "“rob” has a new password" in out
    with psycopg.connect(crm_db.server.dsn("rob", "rob's new pw", crm_db.name)) as connection:
        assert connection.execute("SELECT current_user").fetchone() == ("rob",)
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(crm_db.server.dsn("rob", old, crm_db.name))

    # Not a CRM user of this database: the admin role itself, the superuser, nobody.
    for login in (crm_db.admin_login, "postgres", "nobody"):
        code, _, err = crm(
            "server", "set-password", login, "--dsn", crm_db.admin_dsn, stdin="taken over\n"
        )
        assert code == 1
        assert f"There is no CRM user named “{login}” here." in err
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(crm_db.server.dsn(crm_db.admin_login, "taken over", crm_db.name))


def test_a_rep_cannot_set_passwords(crm, crm_db) -> None:
    crm_db.add_user("rob", "rep")
    crm_db.add_user("rae", "rep")
    rob = crm_db.server.dsn("rob", crm_db.passwords["rob"], crm_db.name)
    code, _, err = crm("server", "set-password", "rae", "--dsn", rob, stdin="rae's by rob\n")
    assert code == 1
    assert err.count("\n") == 1
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(crm_db.server.dsn("rae", "rae's by rob", crm_db.name))
