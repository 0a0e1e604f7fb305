"""A save never waits on a sync: a first sync commits what it receives a batch at a time, so the
user's writes go through while it runs, and its cursor is kept only once everything is in."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from crm_desktop.models.entities import Customer, LocalSetting, OutboxEntry
from crm_desktop.sync import pull
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

    def slow_batch(*args: object) -> None:
        real_batch(*args)
        time.sleep(0.02)  # a slow disk: the sync takes a while, as a big one does

    monkeypatch.setattr(pull, "_apply_batch", slow_batch)
    seen: dict[str, object] = {}
    syncing = threading.Event()

    def user_saves_meanwhile() -> None:
        syncing.wait()
        while "pulled" not in seen:
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
    # Nothing lost on either side: the new customer and its outbox entry survive the sync's end,
    # and every server customer is in.
    with laptop.profile.store.read() as session:
        assert session.get(Customer, seen["id"]).name == "typed during the sync"
        assert session.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.row_id == seen["id"])
        )
        names = set(session.scalars(select(Customer.name)))
    assert {f"server {n}" for n in range(1, ON_SERVER + 1)} <= names
    laptop.sync()
    assert fleet.server_row("customers", seen["id"])["name"] == "typed during the sync"
