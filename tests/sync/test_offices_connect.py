"""A user whose office is not live yet: connecting links him and says plainly why he will see
nothing yet; a sync stops before sending or bringing anything, with the same sentence, and his
work stays on the device; once the office is live, the next sync just works."""

from __future__ import annotations

import io
from pathlib import Path

import psycopg
import pytest
from keyrings.alt.file import PlaintextKeyring

from crm_desktop import cli
from crm_desktop.profile import open_profile
from crm_desktop.sync import link
from crm_desktop.sync.connecting import connect_profile
from crm_desktop.sync.engine import check_server, office_waiting, sync_once
from crm_desktop.sync.errors import SyncError, SyncProblem
from crm_desktop.sync.server import admin
from crm_desktop.sync.server.schema import init_server
from crm_desktop.views.runner import describe_error
from tests.postgres import CRM_ADMIN, CRM_ADMIN_PASSWORD, PostgresServer, unique_name
from tests.sync import tls_server
from tests.sync.conftest import Device, Fleet
from tests.sync.tls_server import local_address

file_keyring = tls_server.file_keyring

OFFICE = "杭州服务处"
WAITING = (
    f"Your office “{OFFICE}” is not using the CRM yet; your administrator will tell you when it "
    "starts. Your work stays on this computer."
)


def rob_in_an_office(fleet: Fleet, live: bool) -> None:
    admin.add_office(fleet.db.admin_dsn, OFFICE, live=live)
    admin.move_user(fleet.db.admin_dsn, "rob", OFFICE)


def refused_for_the_office(device: Device) -> SyncError:
    with pytest.raises(SyncError) as caught:
        device.sync()
    assert caught.value.problem is SyncProblem.OFFICE_NOT_LIVE
    return caught.value


def test_a_sync_waits_for_the_office_and_keeps_the_work(fleet: Fleet) -> None:
    rob_in_an_office(fleet, live=False)
    rob = fleet.device("rob")
    made = rob.writer.create("customers", {"name": "西湖茶业"}).primary_id
    waiting = rob.outbox()
    assert waiting > 0

    error = refused_for_the_office(rob)
    assert str(error) == WAITING
    assert describe_error(error) == WAITING  # what the window's status line shows
    # Nothing went either way: the outbox waits, the record is here and not on the server.
    assert rob.outbox() == waiting
    assert rob.row("customers", made).name == "西湖茶业"
    assert fleet.server_row("customers", made) is None
    assert rob.ids("users") == {rob.profile.user_id}  # nothing pulled: only the local user

    admin.change_office(fleet.db.admin_dsn, OFFICE, live=True)
    report = rob.sync()
    assert report.pushed.applied == 1  # the customer; the local user gives way to the server's
    assert rob.outbox() == 0
    on_server = fleet.server_row("customers", made)
    assert on_server is not None
    assert (on_server["name"], str(on_server["owner_id"])) == ("西湖茶业", fleet.user_ids["rob"])


def test_an_office_switched_back_keeps_what_the_device_has(fleet: Fleet) -> None:
    rob_in_an_office(fleet, live=True)
    rob = fleet.device("rob")
    customer = rob.writer.create("customers", {"name": "钱塘物流"}).primary_id
    rob.sync()
    admin.change_office(fleet.db.admin_dsn, OFFICE, live=False)
    rob.writer.update("customers", customer, {"phone": "+8613800138000"})

    refused_for_the_office(rob)
    assert rob.row("customers", customer).phone == "+8613800138000"  # not wiped by a pull
    assert rob.outbox() == 1
    assert fleet.server_row("customers", customer)["phone"] is None

    admin.change_office(fleet.db.admin_dsn, OFFICE, live=True)
    rob.sync()
    assert rob.outbox() == 0
    assert fleet.server_row("customers", customer)["phone"] == "+8613800138000"


def test_other_offices_sync_while_one_waits(fleet: Fleet) -> None:
    rob_in_an_office(fleet, live=False)
    rae = fleet.device("rae")
    made = rae.writer.create("customers", {"name": "Pilot Ltd"}).primary_id
    rae.sync()
    assert fleet.server_row("customers", made) is not None
    refused_for_the_office(fleet.device("rob"))


def test_connect_links_a_waiting_user_and_says_why(
    fleet: Fleet,
    file_keyring: PlaintextKeyring,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    rob_in_an_office(fleet, live=False)
    directory = tmp_path / "rob"
    monkeypatch.setattr("sys.stdin", io.StringIO(fleet.db.passwords["rob"] + "\n"))
    code = cli.main(
        ["--profile", str(directory), "connect", "--server", local_address(fleet.db),
         "--user", "rob"]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out == f"Connected as rob. {WAITING}\n"

    # Linked, password kept: once the office is live, the next sync needs nothing more.
    profile = open_profile(directory)
    try:
        assert link.link_of(profile.store) is not None
        device = Device(profile, "rob", fleet.db.passwords["rob"])
        refused_for_the_office(device)
        admin.change_office(fleet.db.admin_dsn, OFFICE, live=True)
        assert profile.user_id != fleet.user_ids["rob"]
        sync_once(profile)  # the password from the keyring
        assert profile.user_id == fleet.user_ids["rob"]
    finally:
        profile.close()


def test_connect_in_the_window_returns_the_waiting_office(
    fleet: Fleet, file_keyring: PlaintextKeyring, tmp_path: Path
) -> None:
    rob_in_an_office(fleet, live=False)
    profile = open_profile(tmp_path / "rob")
    try:
        connected = connect_profile(
            profile.store, local_address(fleet.db), "rob", fleet.db.passwords["rob"]
        )
        assert connected.office_waiting == OFFICE
        assert connected.password_saved
        # A wrong password is still a wrong password, office or not.
        with pytest.raises(SyncError) as caught:
            connect_profile(profile.store, local_address(fleet.db), "rob", "typo")
        assert caught.value.problem is SyncProblem.AUTH
        # Someone of a live office is told nothing of the kind.
        rae = connect_profile(
            profile.store, local_address(fleet.db), "rae", fleet.db.passwords["rae"]
        )
        assert rae.office_waiting is None
    finally:
        profile.close()


def test_a_server_without_offices_has_nobody_waiting_and_asks_for_an_upgrade(
    pg_cleanup: PostgresServer, crm_template: str
) -> None:
    """A server not yet upgraded to offices (0009) has no crm_office_waiting(): nobody waits
    there, not a failure. It is older than any server this program syncs with
    (engine.OLDEST_SERVER_REVISION), so the program asks for `server upgrade` first."""
    name = pg_cleanup.create_database(unique_name("crm_old"), owner=CRM_ADMIN)
    dsn = pg_cleanup.dsn(CRM_ADMIN, CRM_ADMIN_PASSWORD, name)
    init_server(dsn, "0009")
    admin.add_user(dsn, "rob", "rep", "rob-pw-2026")
    with psycopg.connect(pg_cleanup.dsn("rob", "rob-pw-2026", name), autocommit=True) as connection:
        assert office_waiting(connection) is None
        with pytest.raises(SyncError) as caught:
            check_server(connection)
    assert caught.value.problem is SyncProblem.SERVER_OUTDATED
