"""The administrator's commands check what they are given before it reaches the server, and say
a refusal in one sentence that names the option: a `--dsn` goes to the database it names, a
value out of range or a name the server cannot store changes nothing, customers go only to a
rep or a manager, a clerk's access ends between today and a year ahead, and a CRM user's own
login is told that only an administrator may do what he asked."""

from __future__ import annotations

import argparse
from datetime import date, datetime, timedelta

import pytest

from crm_desktop.commands.server import add_parser
from crm_desktop.sync.server import admin
from crm_desktop.sync.server.errors import ServerAdminError
from tests.postgres import CRM_ADMIN, CRM_ADMIN_PASSWORD, CrmDatabase, unique_name
from tests.server.conftest import World
from tests.server.test_server_command import crm  # noqa: F401  (the fixture)


def refused(code: int, out: str, err: str, sentence: str) -> None:
    """One sentence on standard error, naming what is wrong; never the apology for a bug."""
    assert (code, out) == (1, "")
    assert sentence in err, err
    assert err.count("\n") == 1 and "Something went wrong" not in err


def one(db: CrmDatabase, query: str, *params: object) -> object:
    with db.server.connect(db.name) as connection:  # the superuser: every row, no policy
        return connection.execute(query, params).fetchone()[0]


# -- 1. a --dsn before `set` ---------------------------------------------------------------------


def server_parser() -> argparse.ArgumentParser:
    return add_parser(argparse.ArgumentParser().add_subparsers(), "server")


def test_no_subcommand_overwrites_the_dsn_its_parent_was_given() -> None:
    """A --dsn both on a command and on its subcommand: the subcommand's must not default to
    anything, or it replaces the one given before it (and PG* variables pick the database)."""

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...], inherited: bool) -> None:
        for action in parser._actions:
            if not isinstance(action, argparse._SubParsersAction):
                continue
            for name, sub in action.choices.items():
                dsn = [a for a in sub._actions if "--dsn" in a.option_strings]
                if inherited and dsn:
                    assert dsn[0].default is argparse.SUPPRESS, (*path, name)
                walk(sub, (*path, name), inherited or bool(dsn))

    walk(server_parser(), ("server",), False)
    parser = server_parser()
    for command in (["rules"], ["company"]):
        change = ["set", "max_owned", "9"] if command == ["rules"] else ["set", "--name", "N"]
        assert parser.parse_args([*command, "--dsn", "before", *change]).dsn == "before"
        assert parser.parse_args([*command, *change, "--dsn", "after"]).dsn == "after"
        assert parser.parse_args([*command, *change]).dsn == ""


@pytest.mark.parametrize(
    ("argv", "query", "changed"),
    [
        (
            ("rules", "--dsn", "{dsn}", "set", "max_owned", "900"),
            "SELECT value FROM crm_rules WHERE key = 'max_owned'",
            900,
        ),
        (
            ("company", "--dsn", "{dsn}", "set", "--name", "Acme Trading"),
            "SELECT name FROM crm_company",
            "Acme Trading",
        ),
    ],
)
def test_a_dsn_before_set_is_the_database_changed(
    crm,  # noqa: F811
    crm_db: CrmDatabase,
    crm_template: str,
    monkeypatch: pytest.MonkeyPatch,
    argv: tuple[str, ...],
    query: str,
    changed: object,
) -> None:
    server = crm_db.server
    other = server.create_database(unique_name("crm_other"), crm_template, owner=CRM_ADMIN)
    other_db = CrmDatabase(server, other)
    before = one(other_db, query)
    # The environment names the other database, as a shell's PG* variables might.
    for name, value in (
        ("PGHOST", server.host),
        ("PGPORT", str(server.port)),
        ("PGUSER", CRM_ADMIN),
        ("PGPASSWORD", CRM_ADMIN_PASSWORD),
        ("PGDATABASE", other),
    ):
        monkeypatch.setenv(name, value)

    code, _, err = crm("server", *(arg.format(dsn=crm_db.admin_dsn) for arg in argv))

    assert (code, err) == (0, "")
    assert one(crm_db, query) == changed
    assert one(other_db, query) == before


# -- 3. a handover only to a rep or a manager -----------------------------------------------------


def owned(world: World) -> dict[str, str | None]:
    with world.db.server.connect(world.db.name) as connection:
        rows = connection.execute(
            "SELECT c.name, u.login FROM customers c LEFT JOIN users u ON u.id = c.owner_id"
        ).fetchall()
    return dict(rows)


@pytest.mark.parametrize(
    ("receiver", "sentence"),
    [
        ("cal", "“cal” is a clerk; only a rep or a manager may own customers."),
        ("ada", "“ada” is an admin; only a rep or a manager may own customers."),
    ],
)
@pytest.mark.parametrize("dry_run", [(), ("--dry-run",)])
def test_customers_are_never_handed_to_a_clerk_or_an_administrator(
    crm,  # noqa: F811
    world: World,
    receiver: str,
    sentence: str,
    dry_run: tuple[str, ...],
) -> None:
    before = owned(world)
    code, out, err = crm(
        "server", "handover", "--from", "rob", "--to", receiver, *dry_run,
        "--dsn", world.db.admin_dsn,
    )  # fmt: skip
    refused(code, out, err, sentence)
    assert owned(world) == before
    # A manager takes them.
    code, out, _ = crm(
        "server", "handover", "--from", "rob", "--to", "mia", "--dsn", world.db.admin_dsn
    )
    assert code == 0 and "Handed 1 customer(s)" in out
    assert owned(world)["rob Ltd"] == "mia"


def test_a_handover_to_a_user_of_an_office_not_live_yet_says_so(
    crm,  # noqa: F811
    world: World,
) -> None:
    admin.add_office(world.db.admin_dsn, "广州分公司")
    admin.move_user(world.db.admin_dsn, "mia", "广州分公司")
    code, out, _ = crm(
        "server", "handover", "--from", "rob", "--to", "mia", "--dry-run",
        "--dsn", world.db.admin_dsn,
    )  # fmt: skip
    assert code == 0 and out.startswith("Would hand 1 customer(s)")
    note = (
        "Note: “mia” works at 广州分公司, which is not live yet: he can neither sync nor see "
        'what he receives until it is (`server office "广州分公司" --live`).'
    )
    assert note in out
    admin.change_office(world.db.admin_dsn, "广州分公司", live=True)
    code, out, _ = crm(
        "server", "handover", "--from", "rob", "--to", "mia", "--dsn", world.db.admin_dsn
    )
    assert code == 0 and "Handed 1 customer(s)" in out and "Note" not in out
    assert owned(world)["rob Ltd"] == "mia"


def test_the_window_is_refused_the_same(world: World) -> None:
    with (
        world.db.connect_as("mia") as connection,
        connection.transaction(),
        pytest.raises(admin.HandoverRefused) as refusal,
    ):
        admin.hand_over(connection, "rob", "cal")
    assert (refusal.value.reason, refusal.value.login) == ("role", "cal")


# -- 4. values the server cannot store ----------------------------------------------------------


def rule(db: CrmDatabase, key: str) -> object:
    return one(db, "SELECT value FROM crm_rules WHERE key = %s", key)


def test_a_rule_far_out_of_range_is_one_sentence(crm, crm_db: CrmDatabase) -> None:  # noqa: F811
    code, out, err = crm(
        "server", "rules", "set", "max_owned", "99999999999", "--dsn", crm_db.admin_dsn
    )
    refused(code, out, err, "99999999999 is out of range for max_owned, which takes 0 to 1000000.")
    assert rule(crm_db, "max_owned") == 1000


def test_the_servers_own_range_refusal_is_one_sentence(
    crm,  # noqa: F811
    crm_db: CrmDatabase,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A server stricter than this program's copy of the ranges: its "out of range" too."""
    monkeypatch.setitem(admin.RULE_RANGES, "max_owned", (0, 10**12))
    code, out, err = crm(
        "server", "rules", "set", "max_owned", "99999999999", "--dsn", crm_db.admin_dsn
    )
    refused(code, out, err, "99999999999 is out of range for max_owned.")
    assert rule(crm_db, "max_owned") == 1000


def log_rows(db: CrmDatabase) -> int:
    return int(one(db, "SELECT count(*) FROM sync_changes"))


def test_trimming_the_log_back_past_any_calendar_is_one_sentence(
    crm,  # noqa: F811
    world: World,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = log_rows(world.db)
    code, out, err = crm(
        "server", "trim-log", "--older-than-days", "1000000000", "--dsn", world.db.admin_dsn
    )
    refused(code, out, err, "--older-than-days 1000000000 reaches before any change log")
    assert "use at most 36500" in err
    # The server's own refusal, should a number get past the program.
    monkeypatch.setattr(admin, "MAX_TRIM_DAYS", 10**12)
    code, out, err = crm(
        "server", "trim-log", "--older-than-days", "1000000000", "--dsn", world.db.admin_dsn
    )
    refused(code, out, err, "--older-than-days 1000000000 is more than the server can count")
    assert log_rows(world.db) == before
    code, _, _ = crm(
        "server", "trim-log", "--older-than-days", "36500", "--dsn", world.db.admin_dsn
    )
    assert code == 0


def roles(db: CrmDatabase) -> set[str]:
    return db.server.names("SELECT rolname FROM pg_roles")


@pytest.mark.parametrize("name", ["Li\nLei", "Li\tLei", "x" * 500])
def test_a_name_the_server_cannot_store_is_one_sentence_before_the_password(
    crm,  # noqa: F811
    crm_db: CrmDatabase,
    name: str,
) -> None:
    before = roles(crm_db)
    code, out, err = crm(
        "server", "add-user", "zed", "--role", "rep", "--name", name,
        "--dsn", crm_db.admin_dsn, stdin="pw-zed-2026\n",
    )  # fmt: skip
    refused(code, out, err, "The name given with --name must be one line of at most 200")
    assert name not in err
    assert roles(crm_db) == before
    assert one(crm_db, "SELECT count(*) FROM users") == 0
    # Spaces around a name are not kept; 200 characters are.
    code, _, _ = crm(
        "server", "add-user", "zed", "--role", "rep", "--name", f"  {'y' * 200}  ",
        "--dsn", crm_db.admin_dsn, stdin="pw-zed-2026\n",
    )  # fmt: skip
    assert code == 0
    assert one(crm_db, "SELECT name FROM users WHERE login = 'zed'") == "y" * 200


def test_invisible_characters_in_a_name_are_taken_out_as_the_app_does(
    crm,  # noqa: F811
    crm_db: CrmDatabase,
) -> None:
    """The server refuses them in one-line text (0027); a name pasted with them is kept
    without them, as a name typed in the window is."""
    code, _, err = crm(
        "server", "add-user", "zed", "--role", "rep", "--name", "\u200b李\u202e雷\ufeff",
        "--dsn", crm_db.admin_dsn, stdin="pw-zed-2026\n",
    )  # fmt: skip
    assert code == 0, err
    assert one(crm_db, "SELECT name FROM users WHERE login = 'zed'") == "李雷"
    code, _, err = crm("server", "add-office", "\u2066深圳\u2069", "--dsn", crm_db.admin_dsn)
    assert code == 0, err
    assert one(crm_db, "SELECT name FROM offices") == "深圳"


@pytest.mark.parametrize("name", ["Li\nLei", "x" * 500])
def test_the_servers_own_refusal_of_a_name_is_one_sentence(
    crm_db: CrmDatabase, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A server stricter than this program: its CHECK or its column's length, said plainly."""
    monkeypatch.setattr(admin, "check_user_name", lambda name, login: name)
    before = roles(crm_db)
    with pytest.raises(ServerAdminError, match="The server refused the user “zed” as given"):
        admin.add_user(crm_db.admin_dsn, "zed", "rep", "pw-zed-2026", name=name)
    assert roles(crm_db) == before


# -- 5. a clerk's access: from today, at most a year ahead ---------------------------------------


def assignments(db: CrmDatabase) -> list[tuple[str, datetime]]:
    with db.server.connect(db.name) as connection:
        return connection.execute(
            "SELECT c.login, a.valid_until FROM clerk_assignments a"
            " JOIN users c ON c.id = a.clerk_id ORDER BY 1"
        ).fetchall()


def a_year_from(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


@pytest.mark.parametrize("login", [CRM_ADMIN, "ada"])
def test_a_clerks_last_day_is_between_today_and_a_year_ahead(
    crm,  # noqa: F811
    world: World,
    login: str,
) -> None:
    """The tables' owner is not held to a year by the server's trigger; the command holds him
    to it too, and says so for a CRM administrator before the server has to."""
    dsn = world.db.admin_dsn if login == CRM_ADMIN else world.db.dsn_for(login)
    today = date.today()
    latest = a_year_from(today) - timedelta(days=1)
    for until, sentence in (
        (a_year_from(today), f"is more than a year ahead; give {latest} or an earlier day."),
        (date(2030, 1, 1) if today < date(2029, 1, 1) else None, "more than a year ahead"),
        (date(9999, 12, 31), "--until 9999-12-31 is more than a year ahead"),
        (date(2020, 1, 1), "--until 2020-01-01 is past; give today or a later day"),
        (today - timedelta(days=1), "is past"),
    ):
        if until is None:
            continue
        code, out, err = crm(
            "server", "assign-clerk", "cal", "--rep", "rob", "--until", str(until), "--dsn", dsn
        )
        refused(code, out, err, sentence)
        assert assignments(world.db) == []
    for until in (latest, today):
        code, out, err = crm(
            "server", "assign-clerk", "cal", "--rep", "rob", "--until", str(until), "--dsn", dsn
        )
        assert (code, err) == (0, "")
        assert out == f"“cal” enters records for “rob” until {until} inclusive.\n"
    [(clerk, ends)] = assignments(world.db)
    assert clerk == "cal" and ends.astimezone().date() == today + timedelta(days=1)


def test_the_last_day_a_year_ahead_of_the_29th_of_february() -> None:
    ends = admin.clerk_until(date(2029, 2, 27), today=date(2028, 2, 29))
    assert ends.date() == date(2029, 2, 28)
    with pytest.raises(ServerAdminError, match="give 2029-02-27 or an earlier day"):
        admin.clerk_until(date(2029, 2, 28), today=date(2028, 2, 29))


def test_the_servers_year_is_one_sentence(world: World) -> None:
    """For a CRM administrator the server's trigger refuses more than a year: said plainly."""
    too_late = datetime.now().astimezone() + timedelta(days=400)
    with pytest.raises(ServerAdminError, match="an assignment may last at most a year"):
        admin.assign_clerk(world.db.dsn_for("ada"), "cal", "rob", too_late)
    assert assignments(world.db) == []


# -- 6. a CRM user's own login ---------------------------------------------------------------------


@pytest.mark.parametrize("login", ["rob", "mia", "cal"])
def test_only_an_administrator_deactivates_users(
    crm,  # noqa: F811
    world: World,
    login: str,
) -> None:
    for action in ("deactivate-user", "activate-user"):
        code, out, err = crm("server", action, "rob", "--dsn", world.db.dsn_for(login))
        refused(code, out, err, "Only an administrator may deactivate or activate users.")
    assert one(world.db, "SELECT active FROM users WHERE login = 'rob'") is True
    code, out, err = crm("server", "deactivate-user", "ghost", "--dsn", world.db.dsn_for("ada"))
    refused(code, out, err, "There is no user named “ghost”.")


CLERKS_ONLY = "Only an administrator, or the rep's manager, may assign clerks to a rep or end it."


def test_only_an_administrator_or_the_reps_manager_assigns_or_ends_a_clerk(
    crm,  # noqa: F811
    world: World,
) -> None:
    until = str(date.today() + timedelta(days=30))
    code, _, _ = crm(
        "server", "assign-clerk", "cal", "--rep", "rob", "--until", until,
        "--dsn", world.db.admin_dsn,
    )  # fmt: skip
    assert code == 0
    before = assignments(world.db)
    # rob sees his clerk's assignment, rae and cal do not (or may not change it).
    for login in ("rob", "rae", "cal"):
        dsn = world.db.dsn_for(login)
        code, out, err = crm("server", "unassign-clerk", "cal", "--rep", "rob", "--dsn", dsn)
        refused(code, out, err, CLERKS_ONLY)
        code, out, err = crm(
            "server", "assign-clerk", "cal", "--rep", "rob", "--until", until, "--dsn", dsn
        )
        refused(code, out, err, CLERKS_ONLY)
    assert assignments(world.db) == before
    # rob's manager may; and is told plainly when there is nothing to end.
    mia = world.db.dsn_for("mia")
    code, out, err = crm("server", "unassign-clerk", "cal", "--rep", "rob", "--dsn", mia)
    assert (code, err) == (0, "")
    code, out, err = crm("server", "unassign-clerk", "cal", "--rep", "rob", "--dsn", mia)
    refused(code, out, err, "“cal” does not enter records for “rob” now.")
    # rae is not in mia's team.
    code, out, err = crm(
        "server", "assign-clerk", "cal", "--rep", "rae", "--until", until, "--dsn", mia
    )
    refused(code, out, err, CLERKS_ONLY)


def test_a_finance_login_is_told_the_same(crm, world: World) -> None:  # noqa: F811
    """No CRM user at all (it may call none of the CRM's functions): one sentence too."""
    admin.add_finance_user(world.db.admin_dsn, "erp_reader", "erp-pw-2026")
    dsn = world.db.server.dsn("erp_reader", "erp-pw-2026", world.db.name)
    code, out, err = crm("server", "deactivate-user", "rob", "--dsn", dsn)
    refused(code, out, err, "may not change users; use the administrator's.")
    code, out, err = crm("server", "unassign-clerk", "cal", "--rep", "rob", "--dsn", dsn)
    refused(code, out, err, "may not assign clerks; use the administrator's.")
