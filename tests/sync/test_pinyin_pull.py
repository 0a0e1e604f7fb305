"""Names that arrive by sync sort and are found by pinyin like names typed in: a new device's
first sync, a name changed on the server, and a rename not yet pushed on top of a pull."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import pytest

from crm_desktop.models.entities import SORTED_BY_CUSTOMER, Contact, Customer
from crm_desktop.models.pinyin import sort_key
from crm_desktop.queries.tables import TABLES, ListQuery, list_ids
from crm_desktop.storage.store import STORE_FILE
from tests.sync.conftest import Device, Fleet, typing_during_the_sync


def search(device: Device, typed: str, entity: str = "customers") -> list[str]:
    with device.profile.store.read() as session:
        return list_ids(session, TABLES[entity], ListQuery(search=typed))


def by_name(device: Device) -> list[str]:
    with device.profile.store.read() as session:
        return list_ids(session, TABLES["customers"], ListQuery(sort="name"))


def test_pulled_names_sort_and_are_found_by_pinyin(fleet: Fleet) -> None:
    laptop = fleet.device("rob")
    huawei = laptop.writer.create("customers", {"name": "华为技术"}).primary_id
    baidu = laptop.writer.create("customers", {"name": "Baidu"}).primary_id
    contact = laptop.writer.create("contacts", {"customer_id": baidu, "name": "张伟"}).primary_id
    laptop.sync()

    desktop = fleet.device("rob")
    desktop.sync()  # its first: the server's copy, streamed
    assert desktop.row("customers", huawei).name_sort == sort_key("华为技术")
    assert desktop.row("contacts", contact).name_sort == sort_key("张伟")
    assert search(desktop, "hwjs") == [huawei]
    assert search(desktop, "zhangwei") == [baidu]
    assert by_name(desktop) == [baidu, huawei]  # bai < hua

    # Renamed on the server (by another device, or plain SQL): the next pull brings it.
    fleet.admin("UPDATE customers SET name = '阿里巴巴' WHERE id = %s", (huawei,))
    fleet.admin("UPDATE contacts SET name = '李娜' WHERE id = %s", (contact,))
    desktop.sync()
    arrived = desktop.row("customers", huawei)
    assert isinstance(arrived, Customer) and arrived.name == "阿里巴巴"
    assert arrived.name_sort == sort_key("阿里巴巴")
    assert by_name(desktop) == [huawei, baidu]  # a < bai
    assert search(desktop, "alibaba") == [huawei]
    assert search(desktop, "huawei") == []
    moved = desktop.row("contacts", contact)
    assert isinstance(moved, Contact) and moved.name_sort == sort_key("李娜")
    assert search(desktop, "lina") == [baidu]
    assert search(desktop, "zhangwei") == []


def test_a_rename_not_yet_pushed_keeps_its_sort_key_through_a_pull(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    laptop = fleet.device("rob")
    customer_id = laptop.writer.create("customers", {"name": "华为技术"}).primary_id
    laptop.sync()
    # The server changes the row (so the pull brings it back) while the user renames it here
    # after the push: the pull puts the unpushed name back on top of the server's row.
    fleet.admin("UPDATE customers SET industry = 'Telecom' WHERE id = %s", (customer_id,))
    typing_during_the_sync(
        monkeypatch, lambda: laptop.writer.update("customers", customer_id, {"name": "中兴通讯"})
    )
    laptop.sync()
    row = laptop.row("customers", customer_id)
    assert isinstance(row, Customer)
    assert (row.name, row.industry) == ("中兴通讯", "Telecom")
    assert row.name_sort == sort_key("中兴通讯")
    assert search(laptop, "zhongxing") == [customer_id]


def test_pulled_rows_carry_their_customers_sort_key_as_they_go_in(fleet: Fleet) -> None:
    """The pull sets each contact's, deal's and task's customer key in its own insert (no
    trigger writes it a second time: here there is none), and a customer renamed on the server
    hands its new key to its rows on the device."""
    laptop = fleet.device("rob")
    huawei = laptop.writer.create("customers", {"name": "华为技术"}).primary_id
    baidu = laptop.writer.create("customers", {"name": "Baidu"}).primary_id
    contacts = {
        customer: laptop.writer.create("contacts", {"customer_id": customer, "name": "Li"})
        for customer in (huawei, baidu)
    }
    laptop.writer.create("tasks", {"customer_id": huawei, "title": "Call"})
    laptop.sync()

    desktop = fleet.device("rob")
    with closing(sqlite3.connect(desktop.directory / STORE_FILE)) as raw, raw:
        for table in SORTED_BY_CUSTOMER:
            raw.execute(f"DROP TRIGGER {table}_customer_sort_on_insert")
    desktop.sync()
    with closing(sqlite3.connect(desktop.directory / STORE_FILE)) as raw:
        keys = raw.execute(
            "SELECT c.customer_id, c.customer_sort FROM contacts c"
            " UNION ALL SELECT t.customer_id, t.customer_sort FROM tasks t"
        ).fetchall()
    huawei_key, baidu_key = (huawei, sort_key("华为技术")), (baidu, sort_key("Baidu"))
    assert sorted(keys) == sorted([huawei_key, baidu_key, huawei_key])  # two contacts, a task
    with desktop.profile.store.read() as session:
        by_customer = list_ids(session, TABLES["contacts"], ListQuery(sort="customer"))
    assert by_customer == [contacts[baidu].primary_id, contacts[huawei].primary_id]

    fleet.admin("UPDATE customers SET name = '阿里巴巴' WHERE id = %s", (huawei,))
    desktop.sync()
    with desktop.profile.store.read() as session:
        by_customer = list_ids(session, TABLES["contacts"], ListQuery(sort="customer"))
    assert by_customer == [contacts[huawei].primary_id, contacts[baidu].primary_id]  # a < bai
