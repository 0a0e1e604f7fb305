"""`crm-desktop server status`: what the administrator needs to know about the server at a
glance, and one sentence for anyone else."""

from __future__ import annotations

import re

import pytest

from crm_desktop.cli import main
from crm_desktop.sync.server.admin import set_rule, trim_change_log
from crm_desktop.sync.server.schema import head_revision, init_server
from tests.postgres import CRM_ADMIN, CRM_ADMIN_PASSWORD, PostgresServer, unique_name
from tests.sync import conftest as sync_fixtures
from tests.sync.conftest import Fleet

fleet = sync_fixtures.fleet


def status(dsn: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["server", "status", "--dsn", dsn]) == 0
    return capsys.readouterr().out


def test_status_shows_schema_users_devices_log_and_rules(
    fleet: Fleet, capsys: pytest.CaptureFixture[str]
) -> None:
    rob, mia = fleet.device("rob"), fleet.device("mia")
    rob.writer.create("customers", {"name": "Acme"})
    rob.sync()
    mia.sync()
    fleet.admin("UPDATE users SET active = false WHERE login = 'rae'")
    set_rule(fleet.db.admin_dsn, "pool_return_days", "45")
    # A users row whose login role this cluster lacks, as after a restore onto another server.
    fleet.admin("INSERT INTO users (login, name, role) VALUES ('ghost', 'Ghost', 'rep')")

    said = status(fleet.db.admin_dsn, capsys)

    assert f"Database:     {fleet.db.name}" in said
    [database] = [line for line in said.splitlines() if line.startswith("Database:")]
    size = fleet.admin("SELECT pg_database_size(current_database())")[0][0]
    assert database.endswith(" MiB on disk") and size > 1024 * 1024
    assert f"revision {head_revision()}, the newest this program knows" in said
    assert "Users:        admin 1, manager 1, rep 2; deactivated 1" in said
    assert "no login on this server: ghost" in said
    assert "Devices:      2" in said
    lines = said.splitlines()
    devices = [line.split()[0] for line in lines if "last synced" in line]
    assert devices == ["mia", "rob"]  # the latest sync first
    log = next(line for line in lines if line.startswith("Change log:"))
    entries = fleet.admin("SELECT count(*) FROM sync_changes")[0][0]
    assert f"{entries} entries" in log and "never trimmed" in log
    assert "Oldest cursor: " in said and "the last sync of rob's device" in said
    assert re.search(r"^  pool_return_days +45$", said, re.MULTILINE)
    assert re.search(r"^  pool_return_days_A +not set$", said, re.MULTILINE)


def test_status_of_a_server_nobody_synced_with_and_a_trimmed_log(
    fleet: Fleet, capsys: pytest.CaptureFixture[str]
) -> None:
    fleet.admin("INSERT INTO customers (name) VALUES ('Old Ltd')")
    fleet.admin("UPDATE sync_changes SET changed_at = now() - interval '200 days'")
    assert trim_change_log(fleet.db.admin_dsn, 90) > 0
    said = status(fleet.db.admin_dsn, capsys)
    assert "Devices:      0" in said
    assert "Oldest cursor: unknown (no device has synced yet)" in said
    assert "older entries gone (trim-log or a restore)" in said


def test_an_older_server_is_told_to_upgrade(
    pg_cleanup: PostgresServer, crm_template: str, capsys: pytest.CaptureFixture[str]
) -> None:
    name = pg_cleanup.create_database(unique_name("crm_old"), owner=CRM_ADMIN)
    dsn = pg_cleanup.dsn(CRM_ADMIN, CRM_ADMIN_PASSWORD, name)
    init_server(dsn, target="0012")  # before user_syncs: no devices known
    said = status(dsn, capsys)
    assert "revision 0012, older than this program's" in said
    assert "run `crm-desktop server upgrade`" in said
    assert "Devices:      0" in said


def test_a_crm_user_gets_one_sentence(fleet: Fleet, capsys: pytest.CaptureFixture[str]) -> None:
    for login in ("rob", "ada"):
        assert main(["server", "status", "--dsn", fleet.db.dsn_for(login)]) == 1
        said = capsys.readouterr()
        assert said.out == ""
        assert said.err.count("\n") == 1 and "Traceback" not in said.err
        assert "Only the admin role that owns the database" in said.err
