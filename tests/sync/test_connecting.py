"""Checking a server before linking a profile to it: whatever the server refuses is said as one
plain sentence, in the user's language, never as the apology for a bug."""

from __future__ import annotations

import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from psycopg import sql
from psycopg.conninfo import make_conninfo
from PySide6.QtCore import QCoreApplication, QTranslator

from crm_desktop.sync.connecting import check_connection
from crm_desktop.sync.errors import MESSAGES, SyncError, SyncProblem
from crm_desktop.views.runner import describe_error
from tests.postgres import CrmDatabase, PostgresServer, unique_name


def a_login_made_by_hand(server: PostgresServer, database: str) -> tuple[str, str]:
    """A login the database lets in that `server add-user` did not make: no right to the CRM's
    tables (as an administrator's own psql login, or one made for another program)."""
    login, password = unique_name("stranger"), secrets.token_urlsafe(12)
    server.create_role(login, password)
    server.execute(
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(database), sql.Identifier(login)
        )
    )
    return login, password


def address(server: PostgresServer, database: str) -> str:
    return make_conninfo(host=server.host, port=server.port, dbname=database)


def test_a_login_without_rights_to_the_crm_is_told_what_the_server_said(
    crm_db: CrmDatabase,
) -> None:
    login, password = a_login_made_by_hand(crm_db.server, crm_db.name)
    with pytest.raises(SyncError) as caught:
        check_connection(address(crm_db.server, crm_db.name), login, password)
    assert caught.value.problem is SyncProblem.SERVER
    assert "permission denied" in caught.value.detail
    # What the Connect dialog and the wizard show: the server's refusal, not a bug's apology.
    said = describe_error(caught.value)
    assert said == MESSAGES[SyncProblem.SERVER].format(detail=caught.value.detail)
    assert "Something went wrong" not in said


@pytest.fixture
def detail_in_chinese(tmp_path: Path) -> Iterator[str]:
    """A translation of the no-schema detail, installed over the program's own; its Chinese."""
    chinese = "数据库中没有 CRM 结构"
    ts = tmp_path / "detail_zh_CN.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n'
        '<TS version="2.1" language="zh_CN" sourcelanguage="en">\n'
        "<context><name>SyncError</name><message>"
        "<source>the database has no CRM schema</source>"
        f"<translation>{chinese}</translation>"
        "</message></context>\n</TS>\n",
        encoding="utf-8",
    )
    qm = tmp_path / "detail_zh_CN.qm"
    lrelease = Path(sys.executable).parent / "pyside6-lrelease"
    subprocess.run([str(lrelease), "-silent", str(ts), "-qm", str(qm)], check=True, timeout=60)
    translator = QTranslator()
    assert translator.load(str(qm))
    QCoreApplication.installTranslator(translator)
    try:
        yield chinese
    finally:
        QCoreApplication.removeTranslator(translator)


def test_a_database_without_the_crm_schema_is_said_in_the_users_language(
    pg_cleanup: PostgresServer, detail_in_chinese: str
) -> None:
    empty = pg_cleanup.create_database(unique_name("no_crm"))
    login, password = a_login_made_by_hand(pg_cleanup, empty)
    with pytest.raises(SyncError) as caught:
        check_connection(address(pg_cleanup, empty), login, password)
    assert caught.value.problem is SyncProblem.SERVER
    assert caught.value.detail == detail_in_chinese
    assert detail_in_chinese in describe_error(caught.value)
