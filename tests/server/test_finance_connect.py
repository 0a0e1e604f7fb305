"""A database copied or restored loses its CONNECT grants; `server init`'s securing step gives
them back to finance logins (members of crm_finance that may log in) as to CRM users."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import sql

from crm_desktop.sync.server.admin import add_finance_user
from crm_desktop.sync.server.schema import SECURE_DATABASE


def test_securing_a_restored_database_lets_finance_logins_connect_again(crm_db) -> None:
    add_finance_user(crm_db.admin_dsn, "erp_connect", "pw-Finance-1")
    server = crm_db.server
    server.execute(
        sql.SQL("REVOKE CONNECT ON DATABASE {} FROM erp_connect").format(
            sql.Identifier(crm_db.name)
        )
    )
    dsn = server.dsn("erp_connect", "pw-Finance-1", crm_db.name)
    with pytest.raises(psycopg.OperationalError, match="permission denied"):
        psycopg.connect(dsn).close()
    server.execute(SECURE_DATABASE, crm_db.name)
    with psycopg.connect(dsn) as connection:
        assert connection.execute("SELECT count(*) FROM erp_customers").fetchone()[0] == 0
