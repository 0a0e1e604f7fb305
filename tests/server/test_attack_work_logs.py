"""Daily work logs and their comments, tried with plain SQL by each role with his own password:
the author writes his own log alone (one a day), his managers (up the manager chain and by
office) and administrators read it and comment, nobody else reads or writes either, and nothing
is hard-deleted."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest

from crm_desktop.sync.server import admin
from tests.server import attack_helpers
from tests.server.attack_helpers import RLS_VIOLATION

shared_world = attack_helpers.shared_world
world = attack_helpers.world

DAY = date(2026, 12, 1)
WRITE_OWN = (
    "INSERT INTO work_logs (author_id, day, done) VALUES (crm_current_user_id(), %s, %s)"
    " RETURNING id::text"
)
COMMENT = (
    "INSERT INTO work_log_comments (log_id, author_id, text)"
    " VALUES (%s, crm_current_user_id(), %s) RETURNING id::text"
)


def log_of(world, login: str, day: date = DAY, done: str = "visited two customers") -> str:
    """A log written as `login`, with his own password."""
    with world.session(login) as connection:
        return connection.execute(WRITE_OWN, (day, done)).fetchone()[0]


def seen(world, login: str, table: str) -> set[str]:
    with world.session(login) as connection:
        return {row[0] for row in connection.execute(f"SELECT id::text FROM {table}")}


def logged_changes(world, login: str, row_id: str) -> int:
    with world.session(login) as connection:
        return connection.execute(
            "SELECT count(*) FROM sync_changes WHERE row_id = %s", (row_id,)
        ).fetchone()[0]


def test_the_author_writes_and_corrects_his_own_log_and_the_server_signs_it(world) -> None:
    log = log_of(world, "rob")
    with world.session("rob") as connection:
        changed = connection.execute(
            "UPDATE work_logs SET plan = 'call Li', created_by = %s WHERE id = %s",
            (world.users["rae"], log),
        )
        assert changed.rowcount == 1
    row = world.row("work_logs", log)
    assert row["plan"] == "call Li"
    assert str(row["author_id"]) == str(row["created_by"]) == world.users["rob"]
    assert str(row["updated_by"]) == world.users["rob"]


def test_one_log_per_user_per_day_among_live_ones(world) -> None:
    first = log_of(world, "rob")
    with world.session("rob") as connection:
        with pytest.raises(psycopg.errors.UniqueViolation):
            connection.execute(WRITE_OWN, (DAY, "again"))
        # Another day is another log; a deleted log leaves its day free.
        connection.execute(WRITE_OWN, (date(2026, 12, 2), "next day"))
        connection.execute("UPDATE work_logs SET deleted_at = now() WHERE id = %s", (first,))
        connection.execute(WRITE_OWN, (DAY, "written again"))
    # Another user's log on the same day is his own.
    log_of(world, "rae")


@pytest.mark.parametrize("login", ["rob", "mia", "cal", "ada"])
def test_nobody_writes_a_log_in_someone_elses_name(world, login: str) -> None:
    # rob for rae, his manager for rob, a clerk for the rep he serves, an admin for anyone.
    victim = {"rob": "rae", "mia": "rob", "cal": "rae", "ada": "rob"}[login]
    with (
        world.session(login) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION),
    ):
        connection.execute(
            "INSERT INTO work_logs (author_id, day, done) VALUES (%s, %s, 'forged')",
            (world.users[victim], DAY),
        )
    world.assert_unchanged()


def test_the_log_is_read_by_its_author_his_manager_and_admins_only(world) -> None:
    log = log_of(world, "rob")
    for login in ("rob", "mia", "ada"):
        assert log in seen(world, login, "work_logs"), login
    for login in ("rae", "cal"):
        assert seen(world, login, "work_logs") == set(), login
        assert logged_changes(world, login, log) == 0, login
    assert logged_changes(world, "mia", log) == 1


def test_managers_up_the_chain_and_through_offices_read_it_others_do_not(crm_db) -> None:
    # A database and a team of their own (roles are cluster-wide: not the shared world's names):
    # lin manages tom and reports to kai; bea manages South, and tom works in Shenzhen under
    # it; max leads nobody; amy is a rep without a manager.
    dsn = crm_db.admin_dsn
    admin.add_office(dsn, "South", live=True)
    admin.add_office(dsn, "Shenzhen", parent="South", live=True)
    for login in ("kai", "bea", "max"):
        crm_db.add_user(login, "manager")
    crm_db.add_user("lin", "manager", manager="kai")
    crm_db.add_user("tom", "rep", manager="lin")
    crm_db.add_user("amy", "rep")
    admin.move_user(dsn, "bea", "South")
    admin.move_user(dsn, "tom", "Shenzhen")

    def write(login: str) -> str:
        with crm_db.connect_as(login) as connection:
            return connection.execute(WRITE_OWN, (DAY, "work")).fetchone()[0]

    def read(login: str) -> tuple[set[str], set[str]]:
        with crm_db.connect_as(login) as connection:
            logs = {r[0] for r in connection.execute("SELECT id::text FROM work_logs")}
            changes = connection.execute(
                "SELECT row_id::text FROM sync_changes WHERE entity = 'work_logs'"
            )
            return logs, {r[0] for r in changes}

    tom_log, amy_log = write("tom"), write("amy")
    # His manager, the manager above her, the manager of the office above his.
    for login in ("lin", "kai", "bea"):
        assert read(login) == ({tom_log}, {tom_log}), login
    assert read("max") == (set(), set())
    assert read("amy") == ({amy_log}, {amy_log})


@pytest.mark.parametrize("login", ["mia", "rae", "cal", "ada"])
def test_nobody_but_the_author_changes_a_log(world, login: str) -> None:
    log = log_of(world, "rob")
    before = world.row("work_logs", log)
    with world.session(login) as connection:
        changed = connection.execute(
            "UPDATE work_logs SET done = 'rewritten', deleted_at = now() WHERE id = %s", (log,)
        )
        assert changed.rowcount == 0
    assert world.row("work_logs", log) == before


@pytest.mark.parametrize("login", ["rob", "mia", "ada"])
def test_nobody_hard_deletes_a_log_or_its_comments(world, login: str) -> None:
    log = log_of(world, "rob")
    with world.session("mia") as connection:
        comment = connection.execute(COMMENT, (log, "good work")).fetchone()[0]
    with world.session(login) as connection:
        for statement in (
            "DELETE FROM work_logs",
            "DELETE FROM work_log_comments",
            "TRUNCATE work_logs CASCADE",
            "TRUNCATE work_log_comments",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)
    world.row("work_logs", log)
    world.row("work_log_comments", comment)


def test_the_author_and_log_of_a_row_never_change(world) -> None:
    log = log_of(world, "rob")
    other = log_of(world, "rob", date(2026, 12, 2))
    with world.session("mia") as connection:
        comment = connection.execute(COMMENT, (log, "good work")).fetchone()[0]
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="cannot change"):
            connection.execute(
                "UPDATE work_log_comments SET log_id = %s WHERE id = %s", (other, comment)
            )
    with (
        world.session("rob") as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="cannot change"),
    ):
        connection.execute(
            "UPDATE work_logs SET author_id = %s WHERE id = %s", (world.users["rae"], log)
        )


def test_the_logs_readers_comment_and_read_the_comments(world) -> None:
    log = log_of(world, "rob")
    with world.session("mia") as connection:
        mine = connection.execute(COMMENT, (log, "call Li first")).fetchone()[0]
    with world.session("rob") as connection:
        reply = connection.execute(COMMENT, (log, "done")).fetchone()[0]
    with world.session("ada") as connection:
        connection.execute(COMMENT, (log, "noted"))
    for login in ("rob", "mia", "ada"):
        assert {mine, reply} <= seen(world, login, "work_log_comments"), login
    for login in ("rae", "cal"):
        assert seen(world, login, "work_log_comments") == set(), login
        assert logged_changes(world, login, mine) == 0, login
    assert logged_changes(world, "rob", mine) == 1
    assert str(world.row("work_log_comments", mine)["author_id"]) == world.users["mia"]


@pytest.mark.parametrize("login", ["rae", "cal"])
def test_who_cannot_read_a_log_cannot_comment_on_it(world, login: str) -> None:
    log = log_of(world, "rob")
    with (
        world.session(login) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION),
    ):
        connection.execute(COMMENT, (log, "spam"))


def test_nobody_comments_in_someone_elses_name_or_changes_his_comment(world) -> None:
    log = log_of(world, "rob")
    with world.session("mia") as connection:
        comment = connection.execute(COMMENT, (log, "call Li first")).fetchone()[0]
    with world.session("rob") as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION):
            connection.execute(
                "INSERT INTO work_log_comments (log_id, author_id, text) VALUES (%s, %s, 'x')",
                (log, world.users["mia"]),
            )
        # The log's author reads his manager's comment but does not rewrite it.
        changed = connection.execute(
            "UPDATE work_log_comments SET text = 'never mind' WHERE id = %s", (comment,)
        )
        assert changed.rowcount == 0
    assert world.row("work_log_comments", comment)["text"] == "call Li first"


@pytest.mark.parametrize(
    ("column", "value"),
    [("done", "bell\x07"), ("plan", "x" * 100_001), ("problems", "esc\x1b[31m")],
)
def test_a_log_holds_no_control_characters_nor_a_book(world, column: str, value: str) -> None:
    with world.session("rob") as connection:
        with pytest.raises(psycopg.errors.CheckViolation):
            connection.execute(
                f"INSERT INTO work_logs (author_id, day, {column}) VALUES"
                " (crm_current_user_id(), %s, %s)",
                (DAY, value),
            )
        # Line ends and tabs are text.
        connection.execute(WRITE_OWN, (DAY, "one\r\ntwo\tthree"))
    with world.session("rob") as connection, pytest.raises(psycopg.errors.CheckViolation):
        connection.execute(WRITE_OWN, (date(1899, 12, 31), "too old"))
