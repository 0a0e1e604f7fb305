"""The throwaway server itself: reachable over TCP, and only with the right password."""

from __future__ import annotations

import os

import psycopg
import pytest


def test_server_answers_as_superuser(pg_server) -> None:
    with pg_server.connect() as connection:
        version = connection.execute("SHOW server_version_num").fetchone()[0]
        is_super = connection.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        assert is_super.fetchone()[0] is True
    assert int(version) >= 130000  # xid8, pg_current_xact_id and gen_random_uuid need 13+


def test_passwords_are_checked(pg_server, pg_cleanup) -> None:
    pg_server.create_role("harness_probe", "right-password")
    with psycopg.connect(pg_server.dsn("harness_probe", "right-password")) as connection:
        assert connection.execute("SELECT current_user").fetchone()[0] == "harness_probe"
    with pytest.raises(psycopg.OperationalError, match="password authentication failed"):
        psycopg.connect(pg_server.dsn("harness_probe", "wrong-password")).close()


def test_server_process_is_not_root(pg_server) -> None:
    data_owner = os.stat(pg_server.data_dir).st_uid
    assert data_owner != 0 or os.geteuid() != 0


def test_missing_binaries_fail_loudly_instead_of_skipping(pg_server, monkeypatch) -> None:
    # The harness module's globals, reached through its own class: two conftest.py files share
    # the module name "conftest", so importing it by name may give the other one.
    harness = type(pg_server).start.__globals__
    monkeypatch.setattr(harness["glob"], "glob", lambda pattern: [])
    monkeypatch.setattr(harness["shutil"], "which", lambda name: None)
    with pytest.raises(pytest.fail.Exception, match="initdb, pg_ctl"):
        harness["find_postgres_bin"]()
