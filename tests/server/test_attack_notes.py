"""Notes to a colleague, tried with plain SQL by each role with his own password: only the sender,
the recipient and administrators read a note; the sender writes it (about a customer he sees),
may correct it until it is read and may soft-delete it; the recipient only marks it read;
nobody else writes it and nobody hard-deletes it."""

from __future__ import annotations

from datetime import timedelta

import psycopg
import pytest

from tests.server import attack_helpers
from tests.server.attack_helpers import RLS_VIOLATION

shared_world = attack_helpers.shared_world
world = attack_helpers.world

SEND = (
    "INSERT INTO notes (sender_id, recipient_id, text, customer_id, opportunity_id)"
    " VALUES (crm_current_user_id(), %s, %s, %s, %s) RETURNING id::text"
)


def send(world, sender: str, recipient: str, about: str | None = None, deal: bool = False) -> str:
    customer = world.customers[about] if about else None
    opportunity = world.opportunities[about] if about and deal else None
    with world.session(sender) as connection:
        return connection.execute(
            SEND, (world.users[recipient], "please call Li", customer, opportunity)
        ).fetchone()[0]


def seen(world, login: str) -> set[str]:
    with world.session(login) as connection:
        return {row[0] for row in connection.execute("SELECT id::text FROM notes")}


def logged(world, login: str, row_id: str) -> int:
    with world.session(login) as connection:
        return connection.execute(
            "SELECT count(*) FROM sync_changes WHERE row_id = %s", (row_id,)
        ).fetchone()[0]


def test_only_sender_recipient_and_admins_read_a_note(world) -> None:
    note = send(world, "rob", "rae", about="rob", deal=True)
    for login in ("rob", "rae", "ada"):
        assert note in seen(world, login), login
        assert logged(world, login, note) == 1, login
    # mia sees rob's customer but not his notes; the log gives the note no customer scope.
    for login in ("mia", "cal"):
        assert seen(world, login) == set(), login
        assert logged(world, login, note) == 0, login
    row = world.row("notes", note)
    assert str(row["sender_id"]) == str(row["created_by"]) == world.users["rob"]


def test_a_note_is_sent_only_in_ones_own_name(world) -> None:
    with (
        world.session("rob") as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION),
    ):
        connection.execute(
            "INSERT INTO notes (sender_id, recipient_id, text) VALUES (%s, %s, 'x')",
            (world.users["mia"], world.users["rae"]),
        )
    world.assert_unchanged()


@pytest.mark.parametrize("about", ["rae", "mia"])
def test_a_note_is_only_about_a_customer_the_sender_sees(world, about: str) -> None:
    with (
        world.session("rob") as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION),
    ):
        connection.execute(SEND, (world.users["rae"], "look", world.customers[about], None))
    world.assert_unchanged()


def test_a_notes_opportunity_belongs_to_its_customer(world) -> None:
    with world.session("mia") as connection:
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            connection.execute(
                SEND,
                (world.users["rae"], "x", world.customers["mia"], world.opportunities["rob"]),
            )
        with pytest.raises(psycopg.errors.CheckViolation):
            connection.execute(SEND, (world.users["rae"], "x", None, world.opportunities["mia"]))
    world.assert_unchanged()


def test_the_recipient_marks_it_read_and_nothing_else(world) -> None:
    note = send(world, "rob", "rae", about="rob")
    with world.session("rae") as connection:
        for change in ("text = 'edited'", "deleted_at = now()", "customer_id = NULL"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only mark it read"):
                connection.execute(f"UPDATE notes SET {change} WHERE id = %s", (note,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only mark it read"):
            connection.execute(
                "UPDATE notes SET recipient_id = %s WHERE id = %s", (world.users["cal"], note)
            )
        # Dated in the future: the server dates it now.
        changed = connection.execute(
            "UPDATE notes SET read_at = now() + interval '1 year' WHERE id = %s", (note,)
        )
        assert changed.rowcount == 1
    row = world.row("notes", note)
    assert row["read_at"] is not None and row["read_at"] <= world.server_now()
    assert row["text"] == "please call Li" and row["deleted_at"] is None


def test_the_recipient_cannot_say_he_read_it_before_it_was_sent(world) -> None:
    """Server 0028: read offline, a note keeps the time the device read it, but never a time
    before the server had it."""
    note = send(world, "rob", "rae", about="rob")
    sent = world.row("notes", note)["created_at"]
    with world.session("rae") as connection:
        connection.execute(
            "UPDATE notes SET read_at = now() - interval '1 year' WHERE id = %s", (note,)
        )
    assert world.row("notes", note)["read_at"] == sent
    # Sent two days ago (as the deployment owner may date it), read offline yesterday: kept.
    world.owner().execute(
        "UPDATE notes SET created_at = created_at - interval '2 days', read_at = NULL"
        " WHERE id = %s",
        (note,),
    )
    with world.session("rae") as connection:
        connection.execute(
            "UPDATE notes SET read_at = created_at + interval '1 day' WHERE id = %s", (note,)
        )
    row = world.row("notes", note)
    assert row["read_at"] - row["created_at"] == timedelta(days=1)


def test_the_sender_corrects_it_until_it_is_read_and_never_marks_it_read(world) -> None:
    note = send(world, "rob", "rae")
    with world.session("rob") as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only the recipient"):
            connection.execute(
                SEND.replace("opportunity_id)", "opportunity_id, read_at)").replace(
                    "%s)", "%s, now())"
                ),
                (world.users["rae"], "x", None, None),
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only the recipient"):
            connection.execute("UPDATE notes SET read_at = now() WHERE id = %s", (note,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="cannot change"):
            connection.execute(
                "UPDATE notes SET recipient_id = %s WHERE id = %s", (world.users["cal"], note)
            )
        connection.execute("UPDATE notes SET text = 'call Li today' WHERE id = %s", (note,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="a customer you see"):
            connection.execute(
                "UPDATE notes SET customer_id = %s WHERE id = %s", (world.customers["rae"], note)
            )
    with world.session("rae") as connection:
        connection.execute("UPDATE notes SET read_at = now() WHERE id = %s", (note,))
    with world.session("rob") as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="only deleted"):
            connection.execute("UPDATE notes SET text = 'changed my mind' WHERE id = %s", (note,))
        connection.execute("UPDATE notes SET deleted_at = now() WHERE id = %s", (note,))
    row = world.row("notes", note)
    assert row["text"] == "call Li today" and row["deleted_at"] is not None


@pytest.mark.parametrize("login", ["mia", "cal", "ada"])
def test_nobody_else_changes_a_note(world, login: str) -> None:
    note = send(world, "rob", "rae", about="rob")
    before = world.row("notes", note)
    with world.session(login) as connection:
        changed = connection.execute(
            "UPDATE notes SET text = 'x', read_at = now(), deleted_at = now() WHERE id = %s",
            (note,),
        )
        assert changed.rowcount == 0
    assert world.row("notes", note) == before


@pytest.mark.parametrize("login", ["rob", "rae", "ada"])
def test_nobody_hard_deletes_a_note(world, login: str) -> None:
    note = send(world, "rob", "rae")
    with world.session(login) as connection:
        for statement in ("DELETE FROM notes", "TRUNCATE notes"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)
    world.row("notes", note)


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("x" * 2001, psycopg.errors.CheckViolation),
        ("bell\x07", psycopg.errors.CheckViolation),
    ],
)
def test_a_note_is_short_plain_text(world, text: str, error: type) -> None:
    with world.session("rob") as connection:
        with pytest.raises(error):
            connection.execute(SEND, (world.users["rae"], text, None, None))
        with pytest.raises(psycopg.errors.CheckViolation):
            connection.execute(SEND, (world.users["rob"], "to myself", None, None))
        connection.execute(
            SEND, (world.users["rae"], "line one\nline two\t" + "x" * 1980, None, None)
        )
