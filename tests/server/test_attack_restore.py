"""After `crm-desktop server restore`, the access rules hold as before: the restored database
has every row, policy, privilege and database right it had, and a rep still sees only his own."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from crm_desktop.cli import main
from crm_desktop.sync.server.schema import head_revision
from tests.postgres import CrmDatabase
from tests.server import attack_helpers
from tests.server.attack_helpers import World
from tests.server.test_server_backup_restore import superuser_counts

shared_world = attack_helpers.shared_world
world = attack_helpers.world

# Where CATALOG_STATE (attack_helpers) lists each table's row-security flags and privileges.
TABLE_FLAGS_AND_ACLS = 8
EFFECTIVE_PRIVILEGES = """
SELECT c.relname,
       coalesce(c.relacl, acldefault(
           CASE c.relkind WHEN 'S' THEN 's' ELSE 'r' END::"char", c.relowner))::text,
       (SELECT string_agg(a.attname || '=' || a.attacl::text, ',' ORDER BY a.attname)
        FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attacl IS NOT NULL)
FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace ORDER BY c.relname
"""


def privileges(db: CrmDatabase) -> list[tuple]:
    """Each relation's privileges, the owner's default ones spelled out, and its columns'."""
    with db.server.connect(db.name) as connection:
        return connection.execute(EFFECTIVE_PRIVILEGES).fetchall()


def cli(*args: str) -> int:
    return main(["server", *args])


def test_backup_then_restore_brings_everything_back_and_the_rules_still_hold(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = world.db
    counts = superuser_counts(db.server, db.name)
    granted = privileges(db)
    assert counts["customers"] == 4 and counts["payments"] == 4
    file = tmp_path / "crm.dump"

    assert cli("backup", "--dsn", db.admin_dsn, "--out", str(file)) == 0
    said = capsys.readouterr().out
    assert f"schema {head_revision()}" in said and str(file) in said
    assert file.stat().st_size > 0

    # Damage: rows deleted and changed, a rule switched off, a table dropped (as the superuser).
    world.close()
    with db.server.connect(db.name) as connection:
        connection.execute("DELETE FROM payments")
        connection.execute("UPDATE customers SET name = 'wrecked'")
        connection.execute("ALTER TABLE customers DISABLE ROW LEVEL SECURITY")
        connection.execute("DROP TABLE crm_company")

    assert cli("restore", str(file), "--yes", "--dsn", db.admin_dsn) == 0
    said = capsys.readouterr().out
    assert "Every device downloads everything again" in said
    safety = sorted(tmp_path.glob(f"crm-{db.name}-{head_revision()}-*.dump"))
    assert len(safety) == 1 and f"Backed up what the database held to {safety[0]}" in said

    assert superuser_counts(db.server, db.name) == counts
    after = world.fingerprint()
    changed = sorted(key for key in after if after[key] != world.baseline[key])
    # Every row, policy, grant, function and database privilege as before; only the epoch
    # moved on, which sends every device to a full resync.
    assert set(changed) <= {"catalog", "sync_meta"} and "sync_meta" in changed
    # pg_dump leaves out a privilege list equal to the default (the owner's own), so a table
    # whose list only ever named the owner comes back with none: the same rights.
    catalog = [
        number
        for number, (was, now) in enumerate(
            zip(world.baseline["catalog"], after["catalog"], strict=True)
        )
        if was != now
    ]
    assert catalog in ([], [TABLE_FLAGS_AND_ACLS])
    assert privileges(db) == granted
    with world.session("rob") as connection:
        seen = {row[0] for row in connection.execute("SELECT id::text FROM customers")}
        assert world.customers["rob"] in seen and world.customers["rae"] not in seen
        hidden = connection.execute(
            "UPDATE customers SET name = 'mine now' WHERE id = %s", (world.customers["rae"],)
        )
        assert hidden.rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("CREATE TEMP TABLE mine (x int)")
        connection.execute("SELECT seq, entity FROM sync_changes LIMIT 1")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            connection.execute("SELECT owner_id FROM sync_changes")
    assert world.row("customers", world.customers["rae"])["name"] == "rae Ltd"
