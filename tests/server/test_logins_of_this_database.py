"""Server revision 0023: the logins made for a database are recorded in it (crm_logins), and
an upgrade records those an older server held, so every user and finance login still gets in."""

from __future__ import annotations

import psycopg
import pytest

from crm_desktop.sync.server.admin import add_finance_user, add_user
from crm_desktop.sync.server.schema import init_server
from tests.postgres import CRM_ADMIN, CRM_ADMIN_PASSWORD, PostgresServer, unique_name


# The template is made first: it makes the deployment owner this database needs.
@pytest.mark.usefixtures("crm_template")
def test_an_upgrade_records_the_logins_the_database_held(pg_cleanup: PostgresServer) -> None:
    name = pg_cleanup.create_database(unique_name("crm_logins"), owner=CRM_ADMIN)
    dsn = pg_cleanup.dsn(CRM_ADMIN, CRM_ADMIN_PASSWORD, name)
    init_server(dsn, target="0022")
    add_user(dsn, "rob_l", "rep", "pw-rob-2026")
    add_finance_user(dsn, "fin_l", "pw-fin-2026")
    # A role that is nobody's here: no CRM user, no finance login of this database.
    pg_cleanup.create_role("stranger_l", "pw-stranger")

    init_server(dsn)
    with psycopg.connect(dsn) as connection:
        recorded = connection.execute("SELECT login, kind FROM crm_logins ORDER BY 1").fetchall()
    assert recorded == [("fin_l", "finance"), ("rob_l", "user")]
    for login, password in (("rob_l", "pw-rob-2026"), ("fin_l", "pw-fin-2026")):
        psycopg.connect(pg_cleanup.dsn(login, password, name)).close()

    # A user added after the upgrade is recorded as he is made.
    add_user(dsn, "rae_l", "rep", "pw-rae-2026")
    with psycopg.connect(dsn) as connection:
        kind = connection.execute("SELECT kind FROM crm_logins WHERE login = 'rae_l'").fetchone()
    assert kind == ("user",)
