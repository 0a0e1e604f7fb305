"""A full sync makes what it brought searchable in two passes (the texts in the table's order,
then the index in its own): every customer is found by what its contacts and ID numbers add,
once in the index; the progress goes forward to its end; and a sync killed between the passes
leaves nothing out of the index for good, on a new device or on one resyncing."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from crm_desktop.queries.tables import TABLES, ListQuery, list_ids
from crm_desktop.storage import search_index
from crm_desktop.storage.store import STORE_FILE
from crm_desktop.sync import pull
from tests.sync.conftest import Device, Fleet


def search(device: Device, typed: str) -> list[str]:
    with device.profile.store.read() as session:
        return list_ids(session, TABLES["customers"], ListQuery(search=typed))


def count(device: Device, table: str) -> int:
    with closing(sqlite3.connect(device.profile.directory / STORE_FILE)) as store:
        return store.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def waiting_for_the_index(device: Device) -> bool:
    return device.profile.store.setting(search_index.UNINDEXED_KEY) is not None


def server_customers(fleet: Fleet, how_many: int) -> None:
    fleet.admin(
        "INSERT INTO customers (id, name, owner_id) "
        "SELECT gen_random_uuid(), '客户' || g || '号', %s FROM generate_series(1, %s) g",
        (fleet.user_ids["rob"], how_many),
    )


def id_of(fleet: Fleet, name: str) -> str:
    [(found,)] = fleet.admin("SELECT id::text FROM customers WHERE name = %s", (name,))
    return found


def test_a_first_sync_makes_every_customer_findable_batch_by_batch(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    server_customers(fleet, 60)
    fleet.admin(
        "INSERT INTO customer_identifiers (id, customer_id, kind, value, value_key) "
        "SELECT gen_random_uuid(), id, 'licence_plate', plate, plate FROM ("
        "  SELECT id, '粤B' || lpad(substring(name from '[0-9]+'), 5, '0') AS plate"
        "  FROM customers) c"
    )
    fleet.admin(
        "INSERT INTO contacts (id, customer_id, name) "
        "SELECT gen_random_uuid(), id, 'Contact' || substring(name from '[0-9]+') || 'x' "
        "FROM customers"
    )
    monkeypatch.setattr(pull, "SEARCH_BATCH", 7)
    monkeypatch.setattr(pull, "INDEX_BATCH", 25)
    steps: list[tuple[int, int]] = []

    def watching(stage: str, done: int, total: int) -> None:
        if stage == "pull:search":
            steps.append((done, total))

    laptop = fleet.device("rob")
    laptop.sync(progress=watching)
    for number in (1, 17, 60):
        wanted = id_of(fleet, f"客户{number}号")
        assert search(laptop, f"粤B{number:05d}") == [wanted]
        assert search(laptop, f"Contact{number}x") == [wanted]
    assert count(laptop, "customer_trigrams") == count(laptop, "customer_grams") == 60
    dones = [done for done, _ in steps]
    assert dones == sorted(set(dones)) and steps[-1] == (120, 120)
    assert not waiting_for_the_index(laptop)


def test_the_progress_of_a_resync_whose_texts_stay_the_same_ends_at_its_total(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    server_customers(fleet, 60)
    laptop = fleet.device("rob")
    laptop.sync()
    fleet.admin("UPDATE customers SET industry = 'Retail'")  # nothing the search text holds
    monkeypatch.setattr(pull, "DELTA_LIMIT", 0)  # read as a full resync
    steps: list[tuple[int, int]] = []

    def watching(stage: str, done: int, total: int) -> None:
        if stage == "pull:search":
            steps.append((done, total))

    assert laptop.sync(progress=watching).pulled.full
    assert steps and steps[-1] == (60, 60)


def killed_after_the_texts(stage: str, done: int, total: int) -> None:
    """A sync dies (or the computer is switched off) once every text is stored, before the
    index has any of them."""
    if stage == "pull:search" and 2 * done == total:
        raise OSError("the power went")


def test_a_first_sync_killed_between_the_passes_is_made_good_by_the_next(
    fleet: Fleet,
) -> None:
    server_customers(fleet, 30)
    laptop = fleet.device("rob")
    with pytest.raises(OSError):
        laptop.sync(progress=killed_after_the_texts)
    assert waiting_for_the_index(laptop) and count(laptop, "customer_trigrams") == 0
    laptop.sync()  # full again (no cursor was kept): the texts are there, the index is not
    assert search(laptop, "客户7号") == [id_of(fleet, "客户7号")]
    assert count(laptop, "customer_trigrams") == count(laptop, "customer_grams") == 30
    assert not waiting_for_the_index(laptop)


def test_a_resync_killed_between_the_passes_leaves_no_old_name_in_the_index(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop = fleet.device("rob")
    customer = laptop.writer.create("customers", {"name": "华强电子"}).primary_id
    laptop.sync()
    fleet.admin("UPDATE customers SET name = '远航环保' WHERE id = %s", (customer,))
    monkeypatch.setattr(pull, "DELTA_LIMIT", 0)  # a full resync (a change of scope, say)
    with pytest.raises(OSError):
        laptop.sync(progress=killed_after_the_texts)
    laptop.sync()  # the renamed row now arrives as the device has it: only the mark tells
    assert search(laptop, "远航环保") == [customer]
    assert search(laptop, "华强电子") == []
    assert not waiting_for_the_index(laptop)
