"""`server change-user` through the real command line against a real server: a user's display
name, role and manager change in one transaction, what his own login may see follows at once,
and every change that would leave something depending on his old role or a loop of managers is
one sentence that changes nothing.

A CRM user's own plain SQL against the users table (`UPDATE users SET role = 'admin'`, `SET
manager_id = NULL`, on himself or anyone) is tried in test_attack_users.py
(test_only_admins_change_users)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from crm_desktop.sync.server import admin
from crm_desktop.sync.server.errors import ServerAdminError
from crm_desktop.sync.server.maintenance import status
from tests.postgres import CrmDatabase
from tests.server.conftest import World
from tests.server.test_server_command import crm  # noqa: F401  (the fixture)

USERS = (
    "SELECT u.login, u.name, u.role, m.login, u.updated_at FROM users u"
    " LEFT JOIN users m ON m.id = u.manager_id ORDER BY u.login"
)
# Whatever a refusal says, it names what is wrong: never the apology for a bug.
BUG = "Something went wrong"


def users(db: CrmDatabase) -> list[tuple]:
    """Every user row as the superuser reads it (no policy in the way), with when it last
    changed: a refusal must leave all of them as they were."""
    with db.server.connect(db.name) as connection:
        return connection.execute(USERS).fetchall()


def user(db: CrmDatabase, login: str) -> tuple[str, str, str | None]:
    """(name, role, manager's login)."""
    [row] = [row[1:4] for row in users(db) if row[0] == login]
    return row


def change(crm, db: CrmDatabase, *argv: str, dsn: str | None = None) -> tuple[int, str, str]:  # noqa: F811
    return crm("server", "change-user", *argv, "--dsn", dsn or db.admin_dsn)


def refused(result: tuple[int, str, str], sentence: str) -> None:
    code, out, err = result
    assert (code, out) == (1, ""), result
    assert err == f"crm-desktop: {sentence}\n", err
    assert BUG not in err


def seen_by(db: CrmDatabase, login: str) -> set[str]:
    """The owned customers `login`'s own login reads, through row-level security."""
    with db.connect_as(login) as connection:
        rows = connection.execute("SELECT name FROM customers WHERE owner_id IS NOT NULL")
        return {row[0] for row in rows}


def groups_of(db: CrmDatabase, login: str) -> list[str]:
    with db.server.connect(db.name) as connection:
        rows = connection.execute(
            "SELECT g.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member"
            " JOIN pg_roles g ON g.oid = m.roleid WHERE r.rolname = %s ORDER BY 1",
            (login,),
        )
        return [row[0] for row in rows]


def assign(crm, db: CrmDatabase, clerk: str, rep: str) -> None:  # noqa: F811
    until = str(date.today() + timedelta(days=30))
    code, _, err = crm(
        "server", "assign-clerk", clerk, "--rep", rep, "--until", until, "--dsn", db.admin_dsn
    )
    assert (code, err) == (0, "")


# -- what it changes ------------------------------------------------------------------------------


def test_a_name_is_changed_and_the_same_again_changes_nothing(crm, world: World) -> None:  # noqa: F811
    code, out, err = change(crm, world.db, "rob", "--name", "  Rob Li  ")
    assert (code, out, err) == (0, "Changed “rob”: name “rob” → “Rob Li”.\n", "")
    assert user(world.db, "rob") == ("Rob Li", "rep", "mia")

    before = users(world.db)
    code, out, err = change(
        crm, world.db, "rob", "--name", "Rob Li", "--role", "rep", "--manager", "mia"
    )
    assert (code, out, err) == (0, "“rob” already is as asked; nothing was changed.\n", "")
    assert users(world.db) == before  # not even updated_at: no write at all


def test_a_rep_promoted_to_manager_reads_his_new_teams_customers(crm, world: World) -> None:  # noqa: F811
    assert seen_by(world.db, "rob") == {"rob Ltd"}
    groups = groups_of(world.db, "rob")
    with world.db.connect_as("rob") as session:
        code, out, err = change(crm, world.db, "rob", "--role", "manager")
        assert (code, out, err) == (0, "Changed “rob”: role rep → manager.\n", "")
        code, out, err = change(crm, world.db, "rae", "--manager", "rob")
        assert (code, out, err) == (0, "Changed “rae”: manager none → “rob”.\n", "")
        # A session he had open already: the policies read his role at each statement.
        assert session.execute("SELECT crm_current_role()").fetchone()[0] == "manager"
        rows = session.execute("SELECT name FROM customers WHERE owner_id IS NOT NULL")
        assert {row[0] for row in rows} == {"rob Ltd", "rae Ltd"}
    assert seen_by(world.db, "rob") == {"rob Ltd", "rae Ltd"}
    assert user(world.db, "rob") == ("rob", "manager", "mia")
    assert user(world.db, "rae") == ("rae", "rep", "rob")
    # His CRM role lives in users.role alone: his login is the same plain member of crm_users,
    # and `server status` finds no login out of place.
    assert groups_of(world.db, "rob") == groups == ["crm_users"]
    state = status(world.db.admin_dsn)
    assert (state.missing_logins, state.leftover_logins) == ([], [])
    assert state.users == {"admin": 1, "manager": 2, "rep": 1, "clerk": 1}


def test_a_user_gets_another_manager_or_none(crm, world: World) -> None:  # noqa: F811
    world.db.add_user("max", "manager")
    assert "rob Ltd" in seen_by(world.db, "mia")
    code, out, err = change(crm, world.db, "rob", "--manager", "max")
    assert (code, out, err) == (0, "Changed “rob”: manager “mia” → “max”.\n", "")
    assert user(world.db, "rob")[2] == "max"
    assert "rob Ltd" not in seen_by(world.db, "mia")
    assert seen_by(world.db, "max") == {"rob Ltd"}

    code, out, err = change(crm, world.db, "rob", "--no-manager")
    assert (code, out, err) == (0, "Changed “rob”: manager “max” → none.\n", "")
    assert user(world.db, "rob")[2] is None
    assert seen_by(world.db, "max") == set()
    # An administrator may lead a team too.
    code, out, _ = change(crm, world.db, "rob", "--manager", "ada")
    assert (code, out) == (0, "Changed “rob”: manager none → “ada”.\n")


def test_several_changes_at_once_by_a_crm_administrators_own_login(crm, world: World) -> None:  # noqa: F811
    code, out, err = change(
        crm, world.db, "rob", "--name", "Rob Li", "--role", "manager", "--no-manager",
        dsn=world.db.dsn_for("ada"),
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert (
        out == "Changed “rob”: name “rob” → “Rob Li”; role rep → manager; manager “mia” → none.\n"
    )
    assert user(world.db, "rob") == ("Rob Li", "manager", None)


def test_a_manager_demoted_once_his_team_has_another_manager(crm, world: World) -> None:  # noqa: F811
    refused(
        change(crm, world.db, "mia", "--role", "rep"),
        "1 user still reports to “mia”, and a rep may lead no team; give them another manager "
        "first with server change-user NAME --manager LOGIN.",
    )
    assert change(crm, world.db, "rob", "--manager", "ada")[0] == 0
    code, out, err = change(crm, world.db, "mia", "--role", "rep")
    assert (code, out, err) == (0, "Changed “mia”: role manager → rep.\n", "")
    # She keeps her own customer, and no longer reads rob's.
    assert seen_by(world.db, "mia") == {"mia Ltd"}


# -- what it refuses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        (
            ("rae", "--role", "clerk"),
            "“rae” still owns 1 customer, and a clerk may own none; hand them over first with "
            "server handover.",
        ),
        (
            ("rob", "--role", "admin"),
            "“rob” still owns 1 customer, and an admin may own none; hand them over first with "
            "server handover.",
        ),
        (
            ("mia", "--role", "clerk"),
            "“mia” still owns 1 customer, and a clerk may own none; hand them over first with "
            "server handover.",
        ),
        (("rob", "--manager", "rae"), "“rae” is a rep, not a manager."),
        (("rob", "--manager", "cal"), "“cal” is a clerk, not a manager."),
        (("rob", "--manager", "rob"), "“rob” can't be his own manager."),
        (("rob", "--manager", "ghost"), "There is no user named “ghost” to be the manager."),
        (("ghost", "--name", "Ghost"), "There is no user named “ghost”."),
        (("rob",), "Say what to change: --name, --role, --manager LOGIN or --no-manager."),
        (
            ("rob", "--name", ""),
            "--name is empty; give the name his colleagues know him by, or leave --name out "
            "to keep his.",
        ),
        (
            ("rob", "--name", "   ", "--role", "manager"),
            "--name is empty; give the name his colleagues know him by, or leave --name out "
            "to keep his.",
        ),
        (
            ("rob", "--role", "boss"),
            "“boss” is not a role; choose one of admin, manager, rep, clerk.",
        ),
        (
            ("rob", "--name", "Li\nLei"),
            "The name given with --name must be one line of at most 200 characters, without "
            "control characters; nothing was changed.",
        ),
        # One transaction: the name given with a refused manager is not kept either.
        (("rob", "--name", "Rob Li", "--manager", "rae"), "“rae” is a rep, not a manager."),
        (
            ("rae", "--name", "Rae Xu", "--role", "clerk"),
            "“rae” still owns 1 customer, and a clerk may own none; hand them over first with "
            "server handover.",
        ),
    ],
)
def test_a_refusal_is_one_sentence_and_changes_nothing(
    crm,  # noqa: F811
    world: World,
    argv: tuple[str, ...],
    sentence: str,
) -> None:
    before = users(world.db)
    refused(change(crm, world.db, *argv), sentence)
    assert users(world.db) == before


def test_a_deleted_user_is_no_user(crm, world: World) -> None:  # noqa: F811
    world.db.add_user("old", "rep")
    with world.db.connect_admin() as connection:
        connection.execute("UPDATE users SET deleted_at = now() WHERE login = 'old'")
    before = users(world.db)
    refused(change(crm, world.db, "old", "--name", "Old"), "There is no user named “old”.")
    refused(
        change(crm, world.db, "rob", "--manager", "old"),
        "There is no user named “old” to be the manager.",
    )
    assert users(world.db) == before


def test_a_clerk_assignment_keeps_both_roles_until_it_ends(crm, world: World) -> None:  # noqa: F811
    assign(crm, world.db, "cal", "rob")
    assign(crm, world.db, "cal", "rae")
    before = users(world.db)
    # rep -> manager keeps his customers, but the assignment needs a rep.
    refused(
        change(crm, world.db, "rob", "--role", "manager"),
        "“rob” must stay a rep while “cal” enters records for him; end that first with "
        "server unassign-clerk cal --rep rob.",
    )
    refused(
        change(crm, world.db, "cal", "--role", "rep"),
        "“cal” must stay a clerk while he enters records for “rae” (and 1 other assignment); "
        "end that first with server unassign-clerk cal --rep rae.",
    )
    assert users(world.db) == before

    code, _, _ = crm("server", "unassign-clerk", "cal", "--rep", "rob", "--dsn", world.db.admin_dsn)
    assert code == 0
    # An ended assignment is history: it holds nobody back.
    code, out, _ = change(crm, world.db, "rob", "--role", "manager")
    assert (code, out) == (0, "Changed “rob”: role rep → manager.\n")
    refused(
        change(crm, world.db, "cal", "--role", "rep"),
        "“cal” must stay a clerk while he enters records for “rae”; end that first with "
        "server unassign-clerk cal --rep rae.",
    )


def test_nobody_reports_to_someone_who_reports_to_him(crm, world: World) -> None:  # noqa: F811
    # mia <- rob <- max: mia may report neither to rob (depth 1) nor to max (depth 2).
    assert change(crm, world.db, "rob", "--role", "manager")[0] == 0
    world.db.add_user("max", "manager", manager="rob")
    before = users(world.db)
    refused(
        change(crm, world.db, "mia", "--manager", "max"),
        "“max” reports to “mia”, directly or through others, so “mia” can't report to him.",
    )
    refused(
        change(crm, world.db, "mia", "--manager", "rob"),
        "“rob” reports to “mia”, directly or through others, so “mia” can't report to him.",
    )
    assert users(world.db) == before
    # The other way round is no loop.
    code, out, _ = change(crm, world.db, "max", "--manager", "mia")
    assert (code, out) == (0, "Changed “max”: manager “rob” → “mia”.\n")


@pytest.mark.parametrize("login", ["rob", "mia", "cal"])
def test_only_an_administrator_changes_users(crm, world: World, login: str) -> None:  # noqa: F811
    """Asked before anything else: a rep is not told there is no such user, even of one that
    does not exist."""
    before = users(world.db)
    dsn = world.db.dsn_for(login)
    for argv in (
        ("rae", "--name", "Someone else"),
        (login, "--role", "admin"),
        (login, "--no-manager"),
        ("ghost", "--role", "admin"),
    ):
        refused(change(crm, world.db, *argv, dsn=dsn), "Only an administrator may change users.")
    assert users(world.db) == before


def test_a_finance_login_is_told_it_may_not(crm, world: World) -> None:  # noqa: F811
    admin.add_finance_user(world.db.admin_dsn, "erp_reader", "erp-pw-2026")
    dsn = world.db.server.dsn("erp_reader", "erp-pw-2026", world.db.name)
    before = users(world.db)
    refused(
        change(crm, world.db, "rob", "--role", "admin", dsn=dsn),
        "The role in the connection string may not change users; use the administrator's.",
    )
    assert users(world.db) == before


def test_manager_and_no_manager_together_are_refused(crm, world: World) -> None:  # noqa: F811
    before = users(world.db)
    with pytest.raises(SystemExit) as stopped:
        change(crm, world.db, "rob", "--manager", "ada", "--no-manager")
    assert stopped.value.code == 2  # argparse: the options exclude each other
    with pytest.raises(ServerAdminError, match="Give either --manager or --no-manager"):
        admin.change_user(world.db.admin_dsn, "rob", manager="ada", clear_manager=True)
    assert users(world.db) == before


def test_the_servers_own_refusal_of_a_name_is_one_sentence(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server stricter than this program: its column's length, said plainly."""
    monkeypatch.setattr(admin, "check_user_name", lambda name, login: name)
    before = users(world.db)
    with pytest.raises(ServerAdminError, match="The server refused the change to “rob” as given"):
        admin.change_user(world.db.admin_dsn, "rob", name="x" * 500, role="manager")
    assert users(world.db) == before
