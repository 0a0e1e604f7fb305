"""`crm-desktop server upgrade`, and devices whose program is newer or older than the server's
schema: each is told what to do, and nothing waiting in its outbox is lost."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from alembic.script import ScriptDirectory
from psycopg.conninfo import make_conninfo
from sqlalchemy import func, select

from crm_desktop.cli import main
from crm_desktop.models.entities import ENTITIES, OutboxEntry
from crm_desktop.profile import Profile, open_profile
from crm_desktop.sync import link
from crm_desktop.sync.codec import synced_columns
from crm_desktop.sync.engine import OLDEST_SERVER_REVISION, sync_once
from crm_desktop.sync.errors import SyncError, SyncProblem
from crm_desktop.sync.server import schema
from crm_desktop.sync.server.admin import add_user
from crm_desktop.sync.server.maintenance import find_tools, read_archive
from crm_desktop.sync.server.schema import head_revision, init_server
from tests.postgres import CRM_ADMIN, CRM_ADMIN_PASSWORD, PostgresServer, unique_name
from tests.sync import conftest as sync_fixtures
from tests.sync.conftest import Fleet

fleet = sync_fixtures.fleet
# The newest revision before the oldest one this program syncs with.
TOO_OLD = (
    ScriptDirectory.from_config(schema._alembic_config(None))
    .get_revision(OLDEST_SERVER_REVISION)
    .down_revision
)


@dataclass
class OldServer:
    server: PostgresServer
    name: str
    dsn: str  # the deployment admin's


def old_server(server: PostgresServer, revision: str) -> OldServer:
    """A CRM database left at `revision`, made by the deployment admin like any other."""
    name = server.create_database(unique_name("crm_old"), owner=CRM_ADMIN)
    dsn = server.dsn(CRM_ADMIN, CRM_ADMIN_PASSWORD, name)
    init_server(dsn, target=revision)
    return OldServer(server, name, dsn)


@pytest.fixture
def profile_for(tmp_path: Path) -> Iterator:
    opened: list[Profile] = []

    def make(server: OldServer, login: str) -> Profile:
        profile = open_profile(tmp_path / login)
        address = make_conninfo(
            host=server.server.host, port=server.server.port, dbname=server.name
        )
        profile.store.set_setting(link.SERVER_KEY, address)
        profile.store.set_setting(link.LOGIN_KEY, login)
        opened.append(profile)
        return profile

    yield make
    for profile in opened:
        profile.close()


def outbox(profile: Profile) -> list[tuple[int, str, str, str]]:
    with profile.store.read() as session:
        return [
            (entry.seq, entry.entity, entry.row_id, entry.op)
            for entry in session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq))
        ]


def columns_at(server: PostgresServer, revision: str) -> dict[str, set[str]]:
    """Each synced table's columns on a server schema at `revision`."""
    made = old_server(server, revision)
    with psycopg.connect(made.dsn) as connection:
        rows = connection.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = 'public'"
        ).fetchall()
    found: dict[str, set[str]] = {}
    for table, column in rows:
        found.setdefault(table, set()).add(column)
    return found


def missing_columns(found: dict[str, set[str]]) -> list[str]:
    return [
        f"{entity}.{column}"
        for entity in ENTITIES
        for column in synced_columns(entity)
        if column not in found.get(entity, set())
    ]


def test_the_oldest_server_a_device_syncs_with_has_every_synced_column(
    pg_cleanup: PostgresServer, crm_template: str
) -> None:
    # If a migration adds a column devices sync, OLDEST_SERVER_REVISION must move up to it.
    assert missing_columns(columns_at(pg_cleanup, OLDEST_SERVER_REVISION)) == []
    assert missing_columns(columns_at(pg_cleanup, TOO_OLD)) != []


def test_upgrade_backs_the_server_up_then_migrates_it(
    pg_cleanup: PostgresServer,
    crm_template: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    old = old_server(pg_cleanup, TOO_OLD)
    add_user(old.dsn, "uma_old", "rep", "pw-uma-old")
    with psycopg.connect(old.dsn, autocommit=True) as connection:
        connection.execute("INSERT INTO customers (name) VALUES ('Old Ltd')")

    assert main(["server", "upgrade", "--dsn", old.dsn, "--backup-dir", str(tmp_path)]) == 0

    said = capsys.readouterr().out
    assert f"upgraded from revision {TOO_OLD} to {head_revision()}" in said
    files = list(tmp_path.glob("*.dump"))
    assert len(files) == 1 and f"Backed up the server to {files[0]}" in said
    with pg_cleanup.connect() as connection:
        major = int(connection.execute("SHOW server_version_num").fetchone()[0]) // 10000
    assert read_archive(find_tools(major), files[0]).revision == TOO_OLD  # taken before
    with psycopg.connect(old.dsn) as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
            head_revision(),
        )
        assert connection.execute("SELECT name FROM customers").fetchall() == [("Old Ltd",)]

    # Again: already there, no backup.
    assert main(["server", "upgrade", "--dsn", old.dsn, "--backup-dir", str(tmp_path)]) == 0
    assert "already at revision" in capsys.readouterr().out
    assert len(list(tmp_path.glob("*.dump"))) == 1


def test_upgrade_refuses_a_crm_user_and_an_empty_database(
    pg_cleanup: PostgresServer,
    crm_template: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    old = old_server(pg_cleanup, TOO_OLD)
    add_user(old.dsn, "ida_old", "admin", "pw-ida-old")
    ida = pg_cleanup.dsn("ida_old", "pw-ida-old", old.name)
    assert main(["server", "upgrade", "--dsn", ida, "--backup-dir", str(tmp_path)]) == 1
    assert "Only the admin role that owns the database" in capsys.readouterr().err
    empty = pg_cleanup.create_database(unique_name("crm_empty"), owner=CRM_ADMIN)
    dsn = pg_cleanup.dsn(CRM_ADMIN, CRM_ADMIN_PASSWORD, empty)
    assert main(["server", "upgrade", "--dsn", dsn, "--backup-dir", str(tmp_path)]) == 1
    assert "has no CRM schema yet; create it with server init" in capsys.readouterr().err
    assert list(tmp_path.glob("*.dump")) == []


def test_a_newer_program_against_an_older_server_names_the_command_and_keeps_the_outbox(
    pg_cleanup: PostgresServer, crm_template: str, tmp_path: Path, profile_for
) -> None:
    old = old_server(pg_cleanup, TOO_OLD)
    add_user(old.dsn, "lia_old", "rep", "pw-lia-old")
    lia = profile_for(old, "lia_old")
    customer = lia.writer().create("customers", {"name": "Waiting Ltd"}).primary_id
    waiting = outbox(lia)
    assert any(entry[1:] == ("customers", customer, "insert") for entry in waiting)

    with pytest.raises(SyncError) as raised:
        sync_once(lia, password="pw-lia-old")

    assert raised.value.problem is SyncProblem.SERVER_OUTDATED
    assert "ask your administrator to run “crm-desktop server upgrade”" in str(raised.value)
    assert "Your changes are kept." in str(raised.value)
    assert outbox(lia) == waiting
    with psycopg.connect(old.dsn) as connection:
        assert connection.execute("SELECT count(*) FROM customers").fetchone() == (0,)

    assert main(["server", "upgrade", "--dsn", old.dsn, "--backup-dir", str(tmp_path)]) == 0
    sync_once(lia, password="pw-lia-old")
    assert outbox(lia) == []
    with psycopg.connect(old.dsn) as connection:
        assert connection.execute(
            "SELECT name FROM customers WHERE id = %s", (customer,)
        ).fetchone() == ("Waiting Ltd",)


def test_a_server_between_the_oldest_and_the_newest_still_syncs(
    pg_cleanup: PostgresServer, crm_template: str, profile_for
) -> None:
    old = old_server(pg_cleanup, OLDEST_SERVER_REVISION)
    add_user(old.dsn, "max_old", "rep", "pw-max-old")
    max_ = profile_for(old, "max_old")
    max_.writer().create("customers", {"name": "Still Fine Ltd"})
    sync_once(max_, password="pw-max-old")
    assert outbox(max_) == []


FUTURE_MIGRATION = '''"""a later version's schema change (a test stand-in)

Revision ID: 0999
Revises: {head}
"""

from alembic import op

revision = "0999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("COMMENT ON TABLE sync_meta IS 'upgraded by a later version'")


def downgrade() -> None:
    op.execute("COMMENT ON TABLE sync_meta IS NULL")
'''


@pytest.fixture
def newer_program(tmp_path: Path) -> Path:
    """The migrations of a later version of the program: ours and one more. A program's
    knowledge of the server schema is its migrations folder (schema.MIGRATIONS)."""
    folder = tmp_path / "migrations"
    shutil.copytree(
        schema.MIGRATIONS, folder, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    (folder / "versions" / "0999_later_version.py").write_text(
        FUTURE_MIGRATION.format(head=head_revision())
    )
    return folder


def test_an_older_program_against_an_upgraded_server_keeps_its_outbox_until_upgraded(
    fleet: Fleet, newer_program: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    rob = fleet.device("rob")
    rob.sync()
    customer = rob.writer.create("customers", {"name": "Queued Ltd"}).primary_id
    rob.writer.update("customers", customer, {"industry": "Steel"})
    with rob.profile.store.read() as session:
        queued = session.scalar(select(func.count()).select_from(OutboxEntry))
    waiting = outbox(rob.profile)
    assert queued == 2

    # The administrator upgrades the server with a later version of the program.
    monkeypatch.setattr(schema, "MIGRATIONS", newer_program)
    assert init_server(fleet.db.admin_dsn).current == "0999"
    monkeypatch.undo()

    for _ in range(2):  # asked each time, nothing sent
        with pytest.raises(SyncError) as raised:
            rob.sync()
        assert raised.value.problem is SyncProblem.UPGRADE
        assert "please upgrade this program" in str(raised.value)
        assert outbox(rob.profile) == waiting
        assert fleet.server_row("customers", customer) is None
    assert main(["server", "status", "--dsn", fleet.db.admin_dsn]) == 0
    assert "newer than this program's" in capsys.readouterr().out

    # The device gets the later version too: what waited goes out.
    monkeypatch.setattr(schema, "MIGRATIONS", newer_program)
    rob.sync()
    assert rob.outbox() == 0
    row = fleet.server_row("customers", customer)
    assert row is not None and (row["name"], row["industry"]) == ("Queued Ltd", "Steel")
