"""Trimming the change log: old entries go, and devices behind the trim resync in full."""

from __future__ import annotations

import pytest

from crm_desktop.sync.server.admin import trim_change_log
from crm_desktop.sync.server.errors import ServerAdminError
from tests.postgres import CrmDatabase


def test_old_entries_go_and_the_floor_moves_past_them(crm_db: CrmDatabase) -> None:
    with crm_db.connect_admin() as connection:
        connection.execute("INSERT INTO customers (name) VALUES ('Old Ltd')")
        connection.execute("INSERT INTO customers (name) VALUES ('Also old')")
        connection.execute("UPDATE sync_changes SET changed_at = now() - interval '200 days'")
        connection.execute("INSERT INTO customers (name) VALUES ('New Ltd')")
        newest_old = connection.execute(
            "SELECT max(txid)::text FROM sync_changes WHERE changed_at < now() - interval '1 day'"
        ).fetchone()[0]

    assert trim_change_log(crm_db.admin_dsn, 90) == 2

    with crm_db.connect_admin() as connection:
        left = connection.execute("SELECT count(*) FROM sync_changes").fetchone()[0]
        floor = connection.execute("SELECT log_floor::text FROM sync_meta").fetchone()[0]
    assert left == 1
    assert int(floor) == int(newest_old) + 1
    assert trim_change_log(crm_db.admin_dsn, 90) == 0  # nothing older left; floor kept


def test_keeping_less_than_a_day_is_refused(crm_db: CrmDatabase) -> None:
    with pytest.raises(ServerAdminError, match="at least one day"):
        trim_change_log(crm_db.admin_dsn, 0)
