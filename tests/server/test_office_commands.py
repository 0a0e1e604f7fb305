"""`server add-office`, `office`, `offices`, `move-user` and `add-user --office`, through the real
command line against a real server: what they print, what they change, and their mistakes as
one sentence each."""

from __future__ import annotations

import psycopg
import pytest

from crm_desktop.sync.server.schema import init_server
from tests.postgres import CRM_ADMIN, CRM_ADMIN_PASSWORD, CrmDatabase, unique_name
from tests.server import test_server_command

crm = test_server_command.crm

OFFICE_ROWS = (
    "SELECT o.name, p.name, o.live FROM offices o LEFT JOIN offices p ON p.id = o.parent_id"
    " ORDER BY o.name"
)
OFFICE_OF = (
    "SELECT o.name FROM users u LEFT JOIN offices o ON o.id = u.office_id WHERE u.login = %s"
)


def owner_sql(db: CrmDatabase, statement: str, parameters: tuple = ()) -> list[tuple]:
    with db.connect_admin() as connection:
        return connection.execute(statement, parameters).fetchall()


def waiting_for(db: CrmDatabase, login: str) -> str | None:
    """What the server tells `login` at connect: the office he waits for, if any."""
    with db.connect_as(login) as connection:
        return connection.execute("SELECT crm_office_waiting()").fetchone()[0]


@pytest.fixture
def south(crm, crm_db: CrmDatabase) -> CrmDatabase:
    """South (live) with Shenzhen (not live) under it, and East (not live)."""
    for argv in (["South", "--live"], ["Shenzhen", "--parent", "South"], ["East"]):
        code, _, err = crm("server", "add-office", *argv, "--dsn", crm_db.admin_dsn)
        assert (code, err) == (0, "")
    return crm_db


def test_offices_are_added_as_a_tree_and_listed(crm, crm_db: CrmDatabase) -> None:
    dsn = crm_db.admin_dsn
    code, out, err = crm("server", "offices", "--dsn", dsn)
    assert (code, err) == (0, "")
    assert out == "No offices yet: every user is in the head office, which is always live.\n"

    assert crm("server", "add-office", "华南区", "--live", "--dsn", dsn) == (
        0, "Added office “华南区”, live.\n", "",
    )  # fmt: skip
    assert crm("server", "add-office", " 深圳 ", "--parent", "华南区", "--dsn", dsn) == (
        0, "Added office “深圳” under “华南区”, not live yet.\n", "",
    )  # fmt: skip
    assert crm("server", "add-office", "East", "--dsn", dsn)[0] == 0
    code, out, err = crm(
        "server", "add-user", "sid", "--role", "rep", "--office", "深圳", "--dsn", dsn,
        stdin="sid-pw-2026\n",
    )  # fmt: skip
    assert (code, out, err) == (0, "Added rep “sid” in “深圳”.\n", "")
    crm_db.add_user("ada", "admin")

    assert owner_sql(crm_db, OFFICE_ROWS) == [
        ("East", None, False),
        ("华南区", None, True),
        ("深圳", "华南区", False),
    ]
    assert owner_sql(crm_db, OFFICE_OF, ("sid",)) == [("深圳",)]
    code, out, err = crm("server", "offices", "--dsn", dsn)
    assert (code, err) == (0, "")
    assert out == (
        "East: not live yet, 0 users\n"
        "华南区: live, 0 users\n"
        "  深圳: not live yet, 1 user\n"
        "(head office, always live): 1 user\n"
    )


def test_an_office_is_switched_live_and_back(crm, south: CrmDatabase) -> None:
    south.add_user("sid", "rep")
    crm("server", "move-user", "sid", "--office", "Shenzhen", "--dsn", south.admin_dsn)
    assert waiting_for(south, "sid") == "Shenzhen"

    code, out, err = crm("server", "office", "Shenzhen", "--live", "--dsn", south.admin_dsn)
    assert (code, out, err) == (0, "“Shenzhen” is live: its users work from their next sync.\n", "")
    assert owner_sql(south, "SELECT live FROM offices WHERE name = 'Shenzhen'") == [(True,)]
    assert waiting_for(south, "sid") is None

    code, out, _ = crm("server", "office", "Shenzhen", "--not-live", "--dsn", south.admin_dsn)
    assert (code, out) == (0, "“Shenzhen” is not live: its users see nothing until it is.\n")
    assert waiting_for(south, "sid") == "Shenzhen"


def test_an_office_moves_under_another(crm, south: CrmDatabase) -> None:
    code, out, err = crm(
        "server", "office", "Shenzhen", "--parent", "East", "--live", "--dsn", south.admin_dsn
    )
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "“Shenzhen” is now under “East”.",
        "“Shenzhen” is live: its users work from their next sync.",
    ]
    assert owner_sql(south, OFFICE_ROWS) == [
        ("East", None, False),
        ("Shenzhen", "East", True),
        ("South", None, True),
    ]


def test_a_user_moves_between_offices_and_back_to_the_head_office(crm, south: CrmDatabase) -> None:
    south.add_user("sam", "rep")
    code, out, err = crm(
        "server", "move-user", "sam", "--office", "South", "--dsn", south.admin_dsn
    )
    assert (code, out, err) == (0, "“sam” now works in “South”.\n", "")
    assert owner_sql(south, OFFICE_OF, ("sam",)) == [("South",)]
    code, out, _ = crm("server", "move-user", "sam", "--office", "East", "--dsn", south.admin_dsn)
    assert owner_sql(south, OFFICE_OF, ("sam",)) == [("East",)]
    assert waiting_for(south, "sam") == "East"
    code, out, _ = crm("server", "move-user", "sam", "--no-office", "--dsn", south.admin_dsn)
    assert (code, out) == (0, "“sam” now works in the head office.\n")
    assert owner_sql(south, OFFICE_OF, ("sam",)) == [(None,)]
    assert waiting_for(south, "sam") is None


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add-office", "South"], "An office named “South” already exists."),
        (["add-office", "North", "--parent", "Nowhere"], "There is no office named “Nowhere”"),
        (["add-office", "   "], "can't be an office name"),
        (["add-office", "Bell\x07"], "can't be an office name"),
        (["add-office", "x" * 101], "can't be an office name"),
        (["office", "Nowhere", "--live"], "There is no office named “Nowhere”"),
        (["office", "South"], "Say what to change: --live, --not-live or --parent NAME."),
        (["office", "South", "--parent", "South"], "“South” can't go under itself."),
        (
            ["office", "South", "--parent", "Shenzhen"],
            "“South” can't go under “Shenzhen”, which is one of its own offices.",
        ),
        (["move-user", "ghost", "--office", "South"], "There is no user named “ghost”."),
        (["move-user", "sam", "--office", "Nowhere"], "There is no office named “Nowhere”"),
        (["add-user", "zed", "--role", "rep", "--office", "Nowhere"], "no office named “Nowhere”"),
    ],
)
def test_office_mistakes_are_one_sentence(crm, south: CrmDatabase, argv, message) -> None:
    south.add_user("sam", "rep")
    before = owner_sql(south, "SELECT * FROM offices ORDER BY name")
    users = owner_sql(south, "SELECT login, office_id FROM users ORDER BY login")
    code, out, err = crm("server", *argv, "--dsn", south.admin_dsn, stdin="pw-2026-x\n")
    assert (code, out) == (1, "")
    assert message in err
    assert err.count("\n") == 1  # one line, no traceback
    assert owner_sql(south, "SELECT * FROM offices ORDER BY name") == before
    assert owner_sql(south, "SELECT login, office_id FROM users ORDER BY login") == users
    with south.server.connect() as connection:  # no login role was left behind either
        found = connection.execute("SELECT count(*) FROM pg_roles WHERE rolname = 'zed'")
        assert found.fetchone() == (0,)


@pytest.mark.parametrize(
    "argv",
    [
        ["add-office", "North"],
        ["office", "East", "--live"],
        ["office", "Shenzhen", "--parent", "East"],
        ["move-user", "mia", "--office", "East"],
    ],
)
def test_a_manager_may_not_change_offices(crm, south: CrmDatabase, argv) -> None:
    south.add_user("mia", "manager", password="mia-pw-2026")
    before = owner_sql(south, "SELECT * FROM offices ORDER BY name")
    code, out, err = crm("server", *argv, "--dsn", south.dsn_for("mia"))
    assert (code, out) == (1, "")
    assert err == (
        "crm-desktop: Only an administrator may add or change offices or move users between them.\n"
    )
    assert owner_sql(south, "SELECT * FROM offices ORDER BY name") == before
    assert owner_sql(south, OFFICE_OF, ("mia",)) == [(None,)]
    assert "mia-pw-2026" not in err


def test_a_manager_may_list_the_offices(crm, south: CrmDatabase) -> None:
    south.add_user("mia", "manager")
    code, out, err = crm("server", "offices", "--dsn", south.dsn_for("mia"))
    assert (code, err) == (0, "")
    assert out.splitlines()[:3] == [
        "East: not live yet, 0 users",
        "South: live, 0 users",
        "  Shenzhen: not live yet, 0 users",
    ]


def test_an_administrator_user_may_change_offices(crm, south: CrmDatabase) -> None:
    """The contrast to the manager: a CRM user whose role is admin is an administrator."""
    south.add_user("ada", "admin")
    code, _, err = crm("server", "office", "East", "--live", "--dsn", south.dsn_for("ada"))
    assert (code, err) == (0, "")
    assert owner_sql(south, "SELECT updated_by, live FROM offices WHERE name = 'East'") == [
        ("ada", True)
    ]


def test_a_server_not_yet_upgraded_says_so(crm, pg_cleanup, crm_template: str) -> None:
    name = pg_cleanup.create_database(unique_name("crm_old"), owner=CRM_ADMIN)
    dsn = pg_cleanup.dsn(CRM_ADMIN, CRM_ADMIN_PASSWORD, name)
    init_server(dsn, "0009")  # the last schema without offices
    code, _, err = crm("server", "offices", "--dsn", dsn)
    assert (code, err) == (
        1,
        "crm-desktop: The server's schema has no offices yet; run server init to upgrade it.\n",
    )
    # Adding a user without an office works there as it did.
    code, _, err = crm(
        "server", "add-user", "sam", "--role", "rep", "--dsn", dsn, stdin="pw-2026-x\n"
    )
    assert (code, err) == (0, "")
    with psycopg.connect(dsn) as connection:
        assert connection.execute("SELECT role FROM users WHERE login = 'sam'").fetchone() == (
            "rep",
        )
