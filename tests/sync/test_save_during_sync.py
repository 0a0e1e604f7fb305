"""A save never waits on a sync: a first sync commits what it receives a batch at a time, so the
user's writes go through while it runs, and its cursor is kept only once everything is in."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import func, select

from crm_desktop.models.entities import Customer, LocalSetting, OutboxEntry
from crm_desktop.storage.store import sqlite_connection
from crm_desktop.sync import history, pull
from crm_desktop.sync.pull import CURSOR_KEY
from tests.sync.conftest import Fleet

ON_SERVER = 2000


def test_a_save_goes_through_while_a_first_sync_streams_in(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    fleet.admin(
        "INSERT INTO customers (id, name, owner_id) "
        "SELECT gen_random_uuid(), 'server ' || g, %s FROM generate_series(1, %s) g",
        (fleet.user_ids["rob"], ON_SERVER),
    )
    laptop = fleet.device("rob")
    monkeypatch.setattr(pull, "FETCH_BATCH", 100)
    real_batch = pull._apply_batch

    def slow_batch(*args: Any) -> set[str]:
        arrived = real_batch(*args)
        time.sleep(0.02)  # a slow disk: the sync takes a while, as a big one does
        return arrived

    monkeypatch.setattr(pull, "_apply_batch", slow_batch)
    seen: dict[str, object] = {}
    syncing = threading.Event()

    def user_saves_meanwhile() -> None:
        syncing.wait()
        deadline = time.monotonic() + 60
        while "pulled" not in seen and time.monotonic() < deadline:
            with laptop.profile.store.read() as session:
                pulled = session.scalar(select(func.count()).select_from(Customer))
            if pulled:
                seen["pulled"] = pulled
            time.sleep(0.002)
        started = time.perf_counter()
        saved = laptop.writer.create("customers", {"name": "typed during the sync"})
        seen["waited"] = time.perf_counter() - started
        seen["id"] = saved.primary_id
        with laptop.profile.store.read() as session:
            seen["cursor"] = session.get(LocalSetting, CURSOR_KEY)
            seen["all"] = session.scalar(select(func.count()).select_from(Customer))

    user = threading.Thread(target=user_saves_meanwhile)
    user.start()
    syncing.set()
    report = laptop.sync()
    user.join(timeout=30)
    assert report.pulled.full and report.pulled.received >= ON_SERVER
    # The save landed while the sync was still bringing rows: some in, the cursor not yet kept.
    assert 0 < seen["pulled"] < ON_SERVER and seen["cursor"] is None
    assert seen["all"] < ON_SERVER + 1
    # Nothing lost on either side: the new customer survives the end of the download (which
    # replaces the device's copy with the server's) and is sent by the same first sync, and
    # every server customer is in.
    with laptop.profile.store.read() as session:
        assert session.get(Customer, seen["id"]).name == "typed during the sync"
        assert not session.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.row_id == seen["id"])
        )
        names = set(session.scalars(select(Customer.name)))
    assert {f"server {n}" for n in range(1, ON_SERVER + 1)} <= names
    assert fleet.server_row("customers", seen["id"])["name"] == "typed during the sync"


INDEXES = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"


def test_a_first_sync_loads_without_indexes_and_ends_with_all_of_them(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Secondary indexes are off while a new device's tables fill (they are rebuilt once at
    the end), and back when the sync ends, also when it fails part-way."""
    fleet.admin(
        "INSERT INTO customers (id, name, owner_id) "
        "SELECT gen_random_uuid(), 'server ' || g, %s FROM generate_series(1, %s) g",
        (fleet.user_ids["rob"], 300),
    )
    laptop = fleet.device("rob")
    with laptop.profile.store.read() as session:
        fresh = set(sqlite_connection(session).execute(INDEXES).fetchall())
    monkeypatch.setattr(pull, "FETCH_BATCH", 100)
    real_batch = pull._apply_batch
    during: list[set[str]] = []

    def watching_batch(store: Any, entity: str, rows: list, held: list) -> set[str]:
        with store.read() as session:
            names = sqlite_connection(session).execute(
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
                " AND sql IS NOT NULL",
                (entity,),
            )
            if entity == "customers":
                during.append({name for (name,) in names})
        return real_batch(store, entity, rows, held)

    monkeypatch.setattr(pull, "_apply_batch", watching_batch)
    laptop.sync()
    assert len(during) == 3 and during == [set()] * 3  # loaded without them
    with laptop.profile.store.read() as session:
        assert set(sqlite_connection(session).execute(INDEXES).fetchall()) == fresh

    # A first sync that breaks off part-way leaves every index in place too.
    second = fleet.device("rob")
    broken = {"batches": 0}

    def breaking_batch(store: Any, entity: str, rows: list, held: list) -> set[str]:
        broken["batches"] += 1
        if broken["batches"] == 3:
            raise OSError("the network went away")
        return real_batch(store, entity, rows, held)

    monkeypatch.setattr(pull, "_apply_batch", breaking_batch)
    with pytest.raises(OSError):
        second.sync()
    with second.profile.store.read() as session:
        assert set(sqlite_connection(session).execute(INDEXES).fetchall()) == fresh
        assert session.get(LocalSetting, CURSOR_KEY) is None


def test_the_ownership_history_loads_without_its_index_and_ends_with_it(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first sync reads every customer's ownership history in the server's order, not the
    customers': its index by customer is off while the batches go in, and back at the end, also
    when the download breaks off part-way."""
    fleet.admin(
        "INSERT INTO customers (id, name, owner_id) "
        "SELECT gen_random_uuid(), 'server ' || g, %s FROM generate_series(1, %s) g",
        (fleet.user_ids["rob"], 300),
    )
    monkeypatch.setattr(history, "FETCH_BATCH", 100)
    laptop = fleet.device("rob")
    with laptop.profile.store.read() as session:
        fresh = set(sqlite_connection(session).execute(INDEXES).fetchall())
    assert any(name == "ix_ownership_history_customer" for name, _ in fresh)
    during: list[set[str]] = []

    def watching(stage: str, done: int, total: int) -> None:
        if stage == "pull:ownership_history":
            with laptop.profile.store.read() as session:
                names = sqlite_connection(session).execute(
                    "SELECT name FROM sqlite_master WHERE type = 'index'"
                    " AND tbl_name = 'ownership_history' AND sql IS NOT NULL"
                )
                during.append({name for (name,) in names})

    laptop.sync(progress=watching)
    assert during == [set()] * 3
    with laptop.profile.store.read() as session:
        driver = sqlite_connection(session)
        assert set(driver.execute(INDEXES).fetchall()) == fresh
        assert driver.execute("SELECT count(*) FROM ownership_history").fetchone()[0] == 300

    second = fleet.device("rob")

    def breaking(stage: str, done: int, total: int) -> None:
        if stage == "pull:ownership_history" and done == 200:
            raise OSError("the network went away")

    with pytest.raises(OSError):
        second.sync(progress=breaking)
    with second.profile.store.read() as session:
        assert set(sqlite_connection(session).execute(INDEXES).fetchall()) == fresh
        assert session.get(LocalSetting, CURSOR_KEY) is None
