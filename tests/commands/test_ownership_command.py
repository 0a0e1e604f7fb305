"""`crm-desktop release` asks for a reason as the window does, and `claim`, `release` and
`assign` of an id no customer has say so rather than give a rule's sentence."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crm_desktop import cli
from crm_desktop.models.entities import OutboxEntry
from crm_desktop.profile import open_profile
from crm_desktop.sync import link
from tests.postgres import CrmDatabase
from tests.sync.conftest import Fleet

CUSTOMER = "0b6e4a44-4ad4-4b4e-9d0e-0c6f3c1d2e3f"


@pytest.mark.parametrize("reason", ["", "   ", "\t\n"])
def test_a_release_without_a_reason_is_refused_before_anything(
    profile_dir: Path, capsys: pytest.CaptureFixture[str], reason: str
) -> None:
    profile = open_profile(profile_dir)
    try:
        # Linked to a server nobody could reach: the refusal comes before any attempt.
        profile.store.set_setting(link.SERVER_KEY, "host=127.0.0.1 port=9 dbname=crm")
        profile.store.set_setting(link.LOGIN_KEY, "rob")
    finally:
        profile.close()
    before = outbox(profile_dir)
    code = cli.main(["release", CUSTOMER, "--reason", reason, "--profile", str(profile_dir)])
    printed = capsys.readouterr()
    assert (code, printed.out) == (1, "")
    assert printed.err == (
        "crm-desktop: Say why the customer goes back to the public pool: --reason TEXT.\n"
    )
    assert outbox(profile_dir) == before


def outbox(directory: Path) -> int:
    profile = open_profile(directory)
    try:
        with profile.store.read() as session:
            return session.scalar(select(func.count()).select_from(OutboxEntry)) or 0
    finally:
        profile.close()


@pytest.fixture
def fleet(crm_db: CrmDatabase, tmp_path: Path) -> Iterator[Fleet]:
    """A rep and his manager (tests/sync's fleet, which this folder does not see)."""
    made = Fleet(crm_db, tmp_path)
    made.user_ids["mia"] = crm_db.add_user("mia", "manager")
    made.user_ids["rob"] = crm_db.add_user("rob", "rep", manager="mia")
    yield made
    made.close()


@pytest.fixture
def crm(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    def run(fleet: Fleet, login: str, *argv: str) -> tuple[int, str, str]:
        monkeypatch.setenv("PGPASSWORD", fleet.db.passwords[login])
        capsys.readouterr()
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_an_id_no_customer_has_is_said_so(fleet: Fleet, crm) -> None:
    rob, mia = fleet.device("rob"), fleet.device("mia")
    no_such = (
        f"crm-desktop: There is no customer with the id “{CUSTOMER}”; copy it from the "
        "customer's page or an export.\n"
    )
    for device, command in (
        (rob, ["claim"]),
        (rob, ["release", "--reason", "moved away"]),
        (mia, ["assign", "--to", "rob"]),
    ):
        code, out, err = crm(
            fleet,
            device.login,
            command[0],
            CUSTOMER,
            *command[1:],
            "--profile",
            str(device.directory),
        )
        assert (code, out, err) == (1, "", no_such), command[0]
