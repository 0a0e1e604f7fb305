"""Devices (real profiles on real SQLite files) syncing with the throwaway PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from psycopg.conninfo import make_conninfo

from crm_desktop.profile import Profile, open_profile
from crm_desktop.services.writer import Writer
from crm_desktop.sync import link
from crm_desktop.sync.engine import SyncReport, sync_once
from tests.postgres import CrmDatabase


@dataclass
class Device:
    """One laptop: a profile linked to the server as one user."""

    profile: Profile
    login: str
    password: str

    def sync(self, **kwargs: object) -> SyncReport:
        return sync_once(self.profile, password=self.password, **kwargs)

    @property
    def writer(self) -> Writer:
        return self.profile.writer()


class Fleet:
    def __init__(self, db: CrmDatabase, base: Path) -> None:
        self.db = db
        self.base = base
        self.devices: list[Device] = []

    @property
    def server(self) -> str:
        server = self.db.server
        return make_conninfo(host=server.host, port=server.port, dbname=self.db.name)

    def device(self, login: str, name: str | None = None) -> Device:
        directory = self.base / (name or f"{login}-{len(self.devices)}")
        profile = open_profile(directory)
        profile.store.set_setting(link.SERVER_KEY, self.server)
        profile.store.set_setting(link.LOGIN_KEY, login)
        made = Device(profile, login, self.db.passwords[login])
        self.devices.append(made)
        return made

    def close(self) -> None:
        for device in self.devices:
            device.profile.close()


@pytest.fixture
def fleet(crm_db: CrmDatabase, tmp_path: Path) -> Iterator[Fleet]:
    crm_db.add_user("ada", "admin")
    crm_db.add_user("mia", "manager")
    crm_db.add_user("rob", "rep", manager="mia")
    crm_db.add_user("rae", "rep")
    made = Fleet(crm_db, tmp_path)
    yield made
    made.close()
