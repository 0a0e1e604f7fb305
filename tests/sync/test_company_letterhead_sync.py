"""The company letterhead on the devices: every sync brings what an administrator set on the
server (server migration 0018), to every role, logo included, and the device prints nothing
until a name is set. A server older than the letterhead syncs as before."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from pathlib import Path

from psycopg.conninfo import make_conninfo
from sqlalchemy import text

from crm_desktop.models.entities import CompanyLetterhead
from crm_desktop.profile import open_profile
from crm_desktop.queries.company import Letterhead, letterhead
from crm_desktop.sync import link
from crm_desktop.sync.engine import sync_once
from crm_desktop.sync.server.admin import add_user, set_letterhead
from crm_desktop.sync.server.schema import init_server
from tests.postgres import CRM_ADMIN, CRM_ADMIN_PASSWORD, PostgresServer, unique_name
from tests.sync.conftest import Device, Fleet

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40  # the server checks only the signature
JPEG = b"\xff\xd8\xff\xe0" + b"\x01" * 300


def read(device: Device) -> Letterhead | None:
    with device.profile.store.read() as session:
        return letterhead(session)


def test_every_device_gets_the_letterhead_an_administrator_sets(fleet: Fleet) -> None:
    rob, mia, ada = fleet.device("rob"), fleet.device("mia"), fleet.device("ada")
    for device in (rob, mia, ada):
        device.sync()
        assert read(device) is None  # the server's row has no name yet

    set_letterhead(
        fleet.db.admin_dsn,
        {
            "name": " 华强电子有限公司 ",
            "address": "深圳市福田区华强北路 1 号",
            "phone": "0755-8888 8888",
            "email": "",
            "tax_id": "91440300MA5XXXXX1X",
            "logo": PNG,
        },
    )
    expected = Letterhead(
        name="华强电子有限公司",
        address="深圳市福田区华强北路 1 号",
        phone="0755-8888 8888",
        email=None,
        website=None,
        tax_id="91440300MA5XXXXX1X",
        logo=PNG,
    )
    for device in (rob, mia, ada):
        device.sync()
        assert read(device) == expected
        assert device.conflicts() == [] and device.outbox() == 0
    # Dated by the server's clock, kept as every time on the device: naive UTC.
    (changed_at,) = fleet.admin("SELECT updated_at FROM crm_company")[0]
    with rob.profile.store.read() as session:
        held = session.get(CompanyLetterhead, 1)
        assert held is not None and held.logo_type == "image/png"
        assert held.updated_at == changed_at.astimezone(UTC).replace(tzinfo=None)

    # A sync that finds it unchanged leaves the device's copy alone (the logo is not fetched
    # again): a copy spoiled by hand stays spoiled until the server's row changes.
    with rob.profile.store.write() as session:
        session.execute(text("UPDATE company_letterhead SET name = 'spoiled', logo = NULL"))
    rob.sync()
    assert read(rob) == replace(expected, name="spoiled", logo=None)

    # The administrator changes the logo to a JPEG, then takes it away.
    set_letterhead(fleet.db.admin_dsn, {"logo": JPEG, "website": "https://hq.example.cn"})
    rob.sync()
    changed = replace(expected, logo=JPEG, website="https://hq.example.cn")
    assert read(rob) == changed
    set_letterhead(fleet.db.admin_dsn, {"logo": None})
    rob.sync()
    assert read(rob) == replace(changed, logo=None)
    with rob.profile.store.read() as session:
        assert session.execute(
            text("SELECT logo, logo_type FROM company_letterhead")
        ).fetchall() == [(None, None)]

    # A name emptied again: quotes print without a letterhead.
    set_letterhead(fleet.db.admin_dsn, {"name": ""})
    mia.sync()
    assert read(mia) is None


def test_a_server_older_than_the_letterhead_syncs_as_before(
    pg_cleanup: PostgresServer, crm_template: str, tmp_path: Path
) -> None:
    name = pg_cleanup.create_database(unique_name("crm_old"), owner=CRM_ADMIN)
    dsn = pg_cleanup.dsn(CRM_ADMIN, CRM_ADMIN_PASSWORD, name)
    init_server(dsn, target="0017")
    add_user(dsn, "lia_old", "rep", "pw-lia-old")
    profile = open_profile(tmp_path / "lia")
    try:
        server = make_conninfo(host=pg_cleanup.host, port=pg_cleanup.port, dbname=name)
        profile.store.set_setting(link.SERVER_KEY, server)
        profile.store.set_setting(link.LOGIN_KEY, "lia_old")
        customer = profile.writer().create("customers", {"name": "老服务器客户"}).primary_id
        sync_once(profile, password="pw-lia-old")
        with profile.store.read() as session:
            assert letterhead(session) is None
        with pg_cleanup.connect(name) as connection:
            assert connection.execute(
                "SELECT name FROM customers WHERE id = %s", (customer,)
            ).fetchone() == ("老服务器客户",)

        # Upgraded (server init), and the letterhead set: the next sync brings it.
        init_server(dsn)
        set_letterhead(dsn, {"name": "老字号"})
        sync_once(profile, password="pw-lia-old")
        with profile.store.read() as session:
            assert letterhead(session) == Letterhead("老字号", None, None, None, None, None, None)
    finally:
        profile.close()
