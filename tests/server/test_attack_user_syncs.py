"""When each user last synced (migration 0013), tried with plain SQL by each role with his own
password: a user records only his own sync, dated by the server's clock; those who read his
work logs (himself, his managers, administrators) read it and nobody else; nothing is changed
back or deleted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psycopg
import pytest

from tests.server import attack_helpers
from tests.server.attack_helpers import LOGINS

shared_world = attack_helpers.shared_world
world = attack_helpers.world

DEVICE = "7d3c1a52-1111-4c8e-9a55-000000000001"
RECORD = (
    "INSERT INTO user_syncs (user_id, device_id, synced_at) VALUES (%s, %s, %s)"
    " ON CONFLICT (user_id, device_id) DO UPDATE SET synced_at = EXCLUDED.synced_at"
)


def record(world, login: str, device: str = DEVICE) -> None:
    """`login`'s device records a sync, as the program does."""
    with world.session(login) as connection:
        connection.execute(
            "INSERT INTO user_syncs (user_id, device_id) VALUES (crm_current_user_id(), %s)"
            " ON CONFLICT (user_id, device_id) DO UPDATE SET synced_at = now()",
            (device,),
        )


def rows(world) -> list[tuple[str, str, datetime]]:
    return (
        world.owner()
        .execute(
            "SELECT u.login, s.device_id::text, s.synced_at FROM user_syncs s"
            " JOIN users u ON u.id = s.user_id ORDER BY 1, 2"
        )
        .fetchall()
    )


def seen_by(world, login: str) -> set[str]:
    with world.session(login) as connection:
        return {
            row[0]
            for row in connection.execute(
                "SELECT u.login FROM user_syncs s JOIN users u ON u.id = s.user_id"
            )
        }


@pytest.mark.parametrize("login", LOGINS)
def test_a_forged_user_or_time_is_replaced_by_the_callers_and_the_servers(
    world, login: str
) -> None:
    victim = "rae" if login != "rae" else "rob"
    started = world.server_now()
    future = datetime.now(UTC) + timedelta(days=30)
    with world.session(login) as connection:
        connection.execute(RECORD, (world.users[victim], DEVICE, future))
    [(who, device, at)] = rows(world)
    assert (who, device) == (login, DEVICE)
    assert started <= at <= world.server_now()
    # Again, with a time in the past: the server's clock wins again.
    with world.session(login) as connection:
        connection.execute(RECORD, (world.users[login], DEVICE, datetime(2001, 1, 1, tzinfo=UTC)))
    [(_, _, again)] = rows(world)
    assert again >= at


@pytest.mark.parametrize("login", LOGINS)
def test_nobody_moves_a_record_to_another_user_or_device(world, login: str) -> None:
    record(world, login)
    with world.session(login) as connection:
        for column, value in (("user_id", world.users["ada"]), ("device_id", DEVICE[:-1] + "2")):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(f"UPDATE user_syncs SET {column} = %s", (value,))
    [(who, device, _)] = rows(world)
    assert (who, device) == (login, DEVICE)


def test_only_those_who_read_a_users_day_read_when_he_synced(world) -> None:
    for login in LOGINS:
        record(world, login)
    assert seen_by(world, "rob") == {"rob"}
    assert seen_by(world, "rae") == {"rae"}
    assert seen_by(world, "cal") == {"cal"}  # not the rep he enters records for
    assert seen_by(world, "mia") == {"mia", "rob"}  # her team, not rae
    assert seen_by(world, "ada") == set(LOGINS)


@pytest.mark.parametrize("login", ["rae", "mia", "cal", "ada"])
def test_nobody_changes_anothers_record(world, login: str) -> None:
    record(world, "rob")
    before = rows(world)
    with world.session(login) as connection:
        changed = connection.execute(
            "UPDATE user_syncs SET synced_at = now() WHERE user_id = %s", (world.users["rob"],)
        )
        assert changed.rowcount == 0
    assert rows(world) == before


@pytest.mark.parametrize("login", LOGINS)
def test_nobody_turns_the_signing_trigger_off(world, login: str) -> None:
    with world.session(login) as connection:
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("SET session_replication_role = replica")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("ALTER TABLE user_syncs DISABLE TRIGGER crm_stamp_user_sync")
    world.assert_unchanged()


@pytest.mark.parametrize("login", LOGINS)
def test_nobody_deletes_a_record(world, login: str) -> None:
    record(world, login)
    before = rows(world)
    with world.session(login) as connection:
        for statement in ("DELETE FROM user_syncs", "TRUNCATE user_syncs"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                connection.execute(statement)
    assert rows(world) == before
