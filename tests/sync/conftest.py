"""Devices (real profiles on real SQLite files) syncing with the throwaway PostgreSQL server."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from psycopg.conninfo import make_conninfo
from psycopg.rows import dict_row
from sqlalchemy import func, select

from crm_desktop.models.entities import ENTITIES, Conflict, OutboxEntry
from crm_desktop.profile import Profile, open_profile
from crm_desktop.services.writer import Writer
from crm_desktop.sync import engine, link
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

    @property
    def directory(self) -> Path:
        return self.profile.directory

    def row(self, entity: str, row_id: str) -> Any:
        with self.profile.store.read() as session:
            return session.get(ENTITIES[entity], row_id)

    def ids(self, entity: str) -> set[str]:
        model = ENTITIES[entity]
        with self.profile.store.read() as session:
            return set(session.scalars(select(model.id)))

    def outbox(self) -> int:
        with self.profile.store.read() as session:
            return session.scalar(select(func.count()).select_from(OutboxEntry)) or 0

    def conflicts(self) -> list[Conflict]:
        with self.profile.store.read() as session:
            return list(
                session.scalars(
                    select(Conflict).where(Conflict.resolved_at.is_(None)).order_by(Conflict.id)
                )
            )


@dataclass
class Fleet:
    db: CrmDatabase
    base: Path
    devices: list[Device] = field(default_factory=list)
    user_ids: dict[str, str] = field(default_factory=dict)

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

    def admin(self, statement: str, parameters: Any = None) -> list[tuple]:
        """Plain SQL as the table owner (the deployment admin), committed at once."""
        with self.db.connect_admin() as connection:
            cursor = connection.execute(statement, parameters)
            return cursor.fetchall() if cursor.description else []

    def server_row(self, entity: str, row_id: str, login: str | None = None) -> dict | None:
        """One row as the server holds it (as the admin, or as `login` under his rights)."""
        connect = self.db.connect_admin if login is None else lambda: self.db.connect_as(login)
        with connect() as connection:
            cursor = connection.cursor(row_factory=dict_row)
            return cursor.execute(f"SELECT * FROM {entity} WHERE id = %s", (row_id,)).fetchone()

    def close(self) -> None:
        for device in self.devices:
            device.profile.close()


def typing_during_the_sync(
    monkeypatch: pytest.MonkeyPatch, type_something: Callable[[], None]
) -> None:
    """The user keeps working while the sync runs: a change lands between push and pull."""
    real_push = engine.push

    def push_then_type(*args: object, **kwargs: object) -> object:
        report = real_push(*args, **kwargs)
        type_something()
        return report

    monkeypatch.setattr(engine, "push", push_then_type)


@pytest.fixture
def fleet(crm_db: CrmDatabase, tmp_path: Path) -> Iterator[Fleet]:
    made = Fleet(crm_db, tmp_path)
    made.user_ids["ada"] = crm_db.add_user("ada", "admin")
    made.user_ids["mia"] = crm_db.add_user("mia", "manager")
    made.user_ids["rob"] = crm_db.add_user("rob", "rep", manager="mia")
    made.user_ids["rae"] = crm_db.add_user("rae", "rep")
    yield made
    made.close()
