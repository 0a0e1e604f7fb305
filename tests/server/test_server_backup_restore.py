"""`crm-desktop server backup` and `server restore`: the data comes back whole, the access rules
still hold, and every device resyncs in full after a restore without losing what it had not
sent yet."""

from __future__ import annotations

import argparse
import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo

from crm_desktop.cli import main
from crm_desktop.commands import server_maintenance
from crm_desktop.commands.server import add_parser
from crm_desktop.sync import link
from crm_desktop.sync.server.admin import trim_change_log
from crm_desktop.sync.server.maintenance import target_of
from crm_desktop.sync.server.schema import head_revision
from tests.postgres import (
    CRM_ADMIN,
    CRM_ADMIN_PASSWORD,
    CrmDatabase,
    PostgresServer,
    running_cluster,
    unique_name,
)
from tests.sync import conftest as sync_fixtures
from tests.sync.conftest import Fleet

fleet = sync_fixtures.fleet


def superuser_counts(server: PostgresServer, database: str) -> dict[str, int]:
    """Every table's rows as the superuser counts them: row-level security does not apply to
    him, so a row the owner could not see (and pg_dump would leave out) still counts."""
    with server.connect(database) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                " AND relkind = 'r' ORDER BY 1"
            )
        ]
        return {
            table: connection.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }


def cli(*args: str) -> int:
    return main(["server", *args])


def test_the_password_stays_off_the_command_line() -> None:
    target = target_of("host=db.example.com user=crm_admin password=s3cret dbname=crm")
    assert "s3cret" not in target.conninfo
    assert "dbname=crm" in target.conninfo
    assert target.env["PGPASSWORD"] == "s3cret"
    url = target_of("postgresql://crm_admin:s3cret@db.example.com/crm?sslmode=require")
    assert "s3cret" not in url.conninfo and url.env["PGPASSWORD"] == "s3cret"


def test_a_restore_into_an_empty_database_needs_no_question(
    crm_db: CrmDatabase, tmp_path: Path
) -> None:
    crm_db.add_user("rob_b", "rep")
    with crm_db.connect_admin() as connection:
        connection.execute("INSERT INTO customers (name) VALUES ('Pool Ltd')")
    file = tmp_path / "crm.dump"
    assert cli("backup", "--dsn", crm_db.admin_dsn, "--out", str(file)) == 0
    server = crm_db.server
    empty = server.create_database(unique_name("crm_empty"), owner=CRM_ADMIN)
    restored = CrmDatabase(server, empty, dict(crm_db.passwords))

    assert cli("restore", str(file), "--dsn", restored.admin_dsn) == 0

    assert superuser_counts(server, empty) == superuser_counts(server, crm_db.name)
    with restored.connect_as("rob_b") as connection:  # CONNECT granted again by server init
        assert connection.execute("SELECT name FROM customers").fetchall() == [("Pool Ltd",)]
    with restored.connect_admin() as connection:
        epochs = connection.execute("SELECT epoch FROM sync_meta").fetchone()
    with crm_db.connect_admin() as connection:
        assert connection.execute("SELECT epoch FROM sync_meta").fetchone() != epochs


def test_replacing_a_crm_is_asked_first_and_refused_unasked(
    crm_db: CrmDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with crm_db.connect_admin() as connection:
        connection.execute("INSERT INTO customers (name) VALUES ('Kept Ltd')")
    file = tmp_path / "crm.dump"
    assert cli("backup", "--dsn", crm_db.admin_dsn, "--out", str(file)) == 0
    with crm_db.connect_admin() as connection:
        connection.execute("INSERT INTO customers (name) VALUES ('Newer Ltd')")

    # Not at a terminal and no --yes: refused, nothing changed, no backup taken.
    assert cli("restore", str(file), "--dsn", crm_db.admin_dsn) == 1
    said = capsys.readouterr().err
    assert said.count("\n") == 1
    assert "nothing was changed; run again with --yes to replace it" in said

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    parser = add_parser(argparse.ArgumentParser().add_subparsers(), "server")
    args = parser.parse_args(["restore", str(file), "--dsn", crm_db.admin_dsn])
    with pytest.raises(Exception, match="Nothing was changed"):
        server_maintenance.run(args, stdin=Terminal("n\n"))
    assert "Replace it with the backup?" in capsys.readouterr().out
    with crm_db.connect_admin() as connection:
        names = {row[0] for row in connection.execute("SELECT name FROM customers")}
    assert names == {"Kept Ltd", "Newer Ltd"}
    assert list(tmp_path.glob("crm-*.dump")) == []

    assert server_maintenance.run(args, stdin=Terminal("y\n")) == 0
    with crm_db.connect_admin() as connection:
        names = {row[0] for row in connection.execute("SELECT name FROM customers")}
    assert names == {"Kept Ltd"}
    assert len(list(tmp_path.glob("crm-*.dump"))) == 1


def test_a_file_that_is_no_backup_changes_nothing(
    crm_db: CrmDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.dump"
    junk.write_bytes(b"PGDMP not really")
    assert cli("restore", str(junk), "--yes", "--dsn", crm_db.admin_dsn) == 1
    said = capsys.readouterr().err
    assert "is not a backup of a CRM server" in said and "Traceback" not in said
    assert cli("restore", str(tmp_path / "none.dump"), "--yes", "--dsn", crm_db.admin_dsn) == 1
    assert "There is no file" in capsys.readouterr().err
    with crm_db.connect_admin() as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchone() == (
            head_revision(),
        )


def test_a_crm_user_may_neither_back_up_nor_restore(
    crm_db: CrmDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    crm_db.add_user("ada_b", "admin")
    file = tmp_path / "crm.dump"
    assert cli("backup", "--dsn", crm_db.dsn_for("ada_b"), "--out", str(file)) == 1
    said = capsys.readouterr().err
    assert "Only the admin role that owns the database" in said
    assert not file.exists()
    assert cli("backup", "--dsn", crm_db.admin_dsn, "--out", str(file)) == 0
    assert cli("restore", str(file), "--yes", "--dsn", crm_db.dsn_for("ada_b")) == 1
    assert "Only the admin role that owns the database" in capsys.readouterr().err


def test_devices_resync_in_full_after_a_restore_and_keep_what_they_had_not_sent(
    fleet: Fleet, tmp_path: Path
) -> None:
    rob, mia = fleet.device("rob"), fleet.device("mia")
    first = rob.writer.create("customers", {"name": "Before Ltd"}).primary_id
    rob.sync()
    mia.sync()
    assert first in mia.ids("customers")
    file = tmp_path / "crm.dump"
    assert cli("backup", "--dsn", fleet.db.admin_dsn, "--out", str(file)) == 0

    # After the backup: a customer and an edit reach the server, both devices sync them...
    lost = rob.writer.create("customers", {"name": "After Ltd"}).primary_id
    rob.writer.update("customers", first, {"name": "Before Ltd (renamed)"})
    rob.sync()
    mia.sync()
    assert lost in mia.ids("customers")
    # ...and rob keeps working offline: a new customer and an edit wait in his outbox.
    waiting = rob.writer.create("customers", {"name": "Offline Ltd"}).primary_id
    rob.writer.update("customers", first, {"phone": "13912345678"})
    phone = rob.row("customers", first).phone  # as the device writes it down
    assert rob.outbox() == 2

    assert cli("restore", str(file), "--yes", "--dsn", fleet.db.admin_dsn) == 0

    rob_report, mia_report = rob.sync(), mia.sync()
    assert rob_report.pulled.full and mia_report.pulled.full
    assert rob.outbox() == 0 and rob.conflicts() == []
    on_server = {
        row[0]: (row[1], row[2])
        for row in fleet.admin(
            "SELECT id::text, name, phone FROM customers WHERE deleted_at IS NULL"
        )
    }
    # The server is the backup plus what rob had not sent yet; what reached it after the
    # backup and was sent is gone with it, from every device too.
    assert on_server == {
        first: ("Before Ltd", phone),
        waiting: ("Offline Ltd", None),
    }
    for device in (rob, mia):
        assert device.ids("customers") == set(on_server), device.login
        assert lost not in device.ids("customers")
        held = {}
        for row in on_server:
            held[row] = (device.row("customers", row).name, device.row("customers", row).phone)
        assert held == on_server, device.login

    # Afterwards the devices go on incrementally again.
    rob.writer.update("customers", waiting, {"name": "Offline Ltd (met)"})
    rob.sync()
    assert not mia.sync().pulled.full
    assert mia.row("customers", waiting).name == "Offline Ltd (met)"


@pytest.fixture
def second_server(pg_server: PostgresServer) -> Iterator[PostgresServer]:
    """Another PostgreSQL cluster on this machine: the server a company moves to."""
    with running_cluster(pg_server.bin_dir, pg_server.run_as, "crm-pg-moved-") as server:
        yield server


def current_xid(dsn: str) -> int:
    with psycopg.connect(dsn) as connection:
        return int(connection.execute("SELECT pg_current_xact_id()::text").fetchone()[0])


def test_moving_to_another_server_names_the_missing_logins_and_devices_follow(
    fleet: Fleet,
    second_server: PostgresServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The old server has been running a while: its transaction ids are well past where a new
    # cluster starts.
    with fleet.db.server.connect(fleet.db.name) as connection:
        for _ in range(2000):
            connection.execute("SELECT pg_current_xact_id()")
    rob = fleet.device("rob")
    kept = rob.writer.create("customers", {"name": "Moved Ltd"}).primary_id
    rob.sync()
    # It trimmed its log once, so its floor is a transaction id of its own.
    fleet.admin("UPDATE sync_changes SET changed_at = now() - interval '200 days'")
    assert trim_change_log(fleet.db.admin_dsn, 90) > 0
    file = tmp_path / "crm.dump"
    assert cli("backup", "--dsn", fleet.db.admin_dsn, "--out", str(file)) == 0
    offline = rob.writer.create("customers", {"name": "Made Offline Ltd"}).primary_id

    second_server.create_role(CRM_ADMIN, CRM_ADMIN_PASSWORD, "LOGIN CREATEROLE")
    second_server.create_database("crm", owner=CRM_ADMIN)
    moved = second_server.dsn(CRM_ADMIN, CRM_ADMIN_PASSWORD, "crm")
    assert fleet.admin("SELECT log_floor::text FROM sync_meta")[0][0] != "0"
    floor = int(fleet.admin("SELECT log_floor::text FROM sync_meta")[0][0])
    assert floor > current_xid(moved) + 1000
    capsys.readouterr()

    assert cli("restore", str(file), "--dsn", moved) == 0
    said = capsys.readouterr().out
    assert "4 user(s) have no login on this server: ada, mia, rae, rob" in said
    assert "pg_dumpall --roles-only" in said

    # The database administrator brings the roles over; server init lets them connect.
    roles = subprocess.run(
        [str(fleet.db.server.bin_dir / "pg_dumpall"), "--roles-only", "-d", fleet.db.server.dsn()],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(
        [str(second_server.bin_dir / "psql"), "-q", "-d", second_server.dsn()],
        input=roles,
        capture_output=True,  # "role already exists" for the ones made above: harmless
        check=False,
    )
    assert cli("init", "--dsn", moved) == 0

    rob.profile.store.set_setting(
        link.SERVER_KEY,
        make_conninfo(host=second_server.host, port=second_server.port, dbname="crm"),
    )
    assert rob.sync().pulled.full
    assert rob.outbox() == 0
    assert rob.ids("customers") == {kept, offline}
    # Incremental from now on: no floor or logged change ahead of this cluster's ids.
    rob.writer.update("customers", kept, {"industry": "Steel"})
    assert not rob.sync().pulled.full
    assert not rob.sync().pulled.full
    with psycopg.connect(moved) as connection:
        assert connection.execute(
            "SELECT name, industry FROM customers WHERE id = %s", (kept,)
        ).fetchone() == ("Moved Ltd", "Steel")


def test_a_backup_into_a_place_that_cannot_take_it_is_one_sentence(
    crm_db: CrmDatabase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # /proc takes no new files, even from root: as a read-only share, or a cron job's "/".
    assert cli("backup", "--dsn", crm_db.admin_dsn, "--out", "/proc") == 1
    said = capsys.readouterr().err
    assert "A backup cannot be written in /proc (" in said
    assert "choose a folder it can be written in." in said and "Traceback" not in said
