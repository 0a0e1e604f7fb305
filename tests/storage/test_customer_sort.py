"""Contacts, opportunities, tasks and contracts carry their customer's sort key (local migration
0017), so their lists sort by customer along an index: whatever writes a row or renames its
customer, the key is the customer's, and a store made before the column gets it filled."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from crm_desktop.models.entities import SORTED_BY_CUSTOMER
from crm_desktop.models.pinyin import sort_key
from crm_desktop.profile import Profile, open_profile
from crm_desktop.storage.store import STORE_FILE, Store

STAMP = "2024-01-01 08:00:00.000000"


def children_of(profile: Profile, customer_id: str) -> dict[str, str]:
    """One row of each table sorted by customer, made through the writer."""
    writer = profile.writer()
    deal = writer.create(
        "opportunities", {"customer_id": customer_id, "title": "Pumps", "stage": "lead"}
    ).primary_id
    return {
        "contacts": writer.create(
            "contacts", {"customer_id": customer_id, "name": "Li"}
        ).primary_id,
        "opportunities": deal,
        "tasks": writer.create("tasks", {"customer_id": customer_id, "title": "Call"}).primary_id,
        "contracts": writer.create(
            "contracts",
            {
                "customer_id": customer_id,
                "number": f"HT-{customer_id[:6]}",
                "amount_cents": 100000,
                "status": "active",
            },
        ).primary_id,
    }


def keys(profile: Profile, rows: dict[str, str]) -> dict[str, str | None]:
    with closing(sqlite3.connect(profile.directory / STORE_FILE)) as raw:
        return {
            table: raw.execute(
                f"SELECT customer_sort FROM {table} WHERE id = ?", (row_id,)
            ).fetchone()[0]
            for table, row_id in rows.items()
        }


def test_every_row_made_carries_its_customers_key(profile: Profile) -> None:
    customer = profile.writer().create("customers", {"name": "华为技术"}).primary_id
    rows = children_of(profile, customer)
    assert set(rows) == set(SORTED_BY_CUSTOMER)
    assert keys(profile, rows) == dict.fromkeys(rows, sort_key("华为技术"))
    loose = profile.writer().create("tasks", {"title": "Plan"}).primary_id
    assert keys(profile, {"tasks": loose}) == {"tasks": None}


def test_a_renamed_customer_hands_its_new_key_to_its_rows(profile: Profile) -> None:
    writer = profile.writer()
    customer = writer.create("customers", {"name": "Zebra"}).primary_id
    other = writer.create("customers", {"name": "Baidu"}).primary_id
    rows, others = children_of(profile, customer), children_of(profile, other)
    writer.update("customers", customer, {"name": "安徽"})
    assert keys(profile, rows) == dict.fromkeys(rows, sort_key("安徽"))
    assert keys(profile, others) == dict.fromkeys(others, sort_key("Baidu"))


def test_a_row_moved_or_written_with_a_wrong_key_gets_its_customers(profile: Profile) -> None:
    """Plain SQL, as a merge moving a contact or an undo restoring an old value would write."""
    writer = profile.writer()
    customer = writer.create("customers", {"name": "Zebra"}).primary_id
    other = writer.create("customers", {"name": "Baidu"}).primary_id
    rows = children_of(profile, customer)
    with closing(sqlite3.connect(profile.directory / STORE_FILE)) as raw, raw:
        raw.execute("UPDATE contacts SET customer_id = ? WHERE id = ?", (other, rows["contacts"]))
        raw.execute("UPDATE tasks SET customer_sort = 'zzz' WHERE id = ?", (rows["tasks"],))
        raw.execute(
            "INSERT INTO contacts (id, customer_id, name, customer_sort, created_at, updated_at)"
            " VALUES ('c-raw', ?, 'Wang', 'aaa', ?, ?)",
            (customer, STAMP, STAMP),
        )
    assert keys(profile, rows) == {
        **dict.fromkeys(rows, sort_key("Zebra")),
        "contacts": sort_key("Baidu"),
    }
    assert keys(profile, {"contacts": "c-raw"}) == {"contacts": sort_key("Zebra")}


def test_a_store_made_before_the_column_gets_it_filled(tmp_path: Path) -> None:
    made = Store(tmp_path)
    made.migrate("0016")
    made.close()
    with closing(sqlite3.connect(tmp_path / STORE_FILE)) as raw, raw:
        raw.execute(
            "INSERT INTO customers (id, name, name_sort, kind, search_text, search_key,"
            " created_at, updated_at) VALUES ('c1', '华强电子', ?, 'company', '', 1, ?, ?)",
            (sort_key("华强电子"), STAMP, STAMP),
        )
        raw.execute(
            "INSERT INTO contacts (id, customer_id, name, created_at, updated_at)"
            " VALUES ('p1', 'c1', '李娜', ?, ?)",
            (STAMP, STAMP),
        )
        raw.execute(
            "INSERT INTO tasks (id, title, priority, done, created_at, updated_at)"
            " VALUES ('t1', 'Plan', 'normal', 0, ?, ?)",
            (STAMP, STAMP),
        )
    profile = open_profile(tmp_path)
    try:
        assert keys(profile, {"contacts": "p1", "tasks": "t1"}) == {
            "contacts": sort_key("华强电子"),
            "tasks": None,
        }
    finally:
        profile.close()


def drop_insert_triggers(profile: Profile) -> None:
    with closing(sqlite3.connect(profile.directory / STORE_FILE)) as raw, raw:
        for table in SORTED_BY_CUSTOMER:
            raw.execute(f"DROP TRIGGER {table}_customer_sort_on_insert")


def test_the_writer_sets_the_key_as_the_row_goes_in(profile: Profile) -> None:
    """Not left to the trigger, which would write each new row a second time (an import of
    100,000 contacts): without it the keys are right all the same."""
    customer = profile.writer().create("customers", {"name": "华为技术"}).primary_id
    drop_insert_triggers(profile)
    rows = children_of(profile, customer)
    assert keys(profile, rows) == dict.fromkeys(rows, sort_key("华为技术"))


def test_a_deleted_row_catches_up_with_a_rename_when_restored(profile: Profile) -> None:
    writer = profile.writer()
    customer = writer.create("customers", {"name": "Zebra"}).primary_id
    contact = writer.create("contacts", {"customer_id": customer, "name": "Li"}).primary_id
    with closing(sqlite3.connect(profile.directory / STORE_FILE)) as raw, raw:
        raw.execute("UPDATE contacts SET deleted_at = ? WHERE id = ?", (STAMP, contact))
    writer.update("customers", customer, {"name": "安徽"})
    # A rename updates the live rows only, found along their index; this one waits.
    assert keys(profile, {"contacts": contact}) == {"contacts": sort_key("Zebra")}
    with closing(sqlite3.connect(profile.directory / STORE_FILE)) as raw, raw:
        raw.execute("UPDATE contacts SET deleted_at = NULL WHERE id = ?", (contact,))
    assert keys(profile, {"contacts": contact}) == {"contacts": sort_key("安徽")}


def test_a_rename_finds_the_rows_along_their_index(profile: Profile) -> None:
    """The trigger's update finds the customer's rows by an index over their customer, not by
    reading the whole table."""
    with closing(sqlite3.connect(profile.directory / STORE_FILE)) as raw:
        for table in SORTED_BY_CUSTOMER:
            (body,) = raw.execute(
                "SELECT sql FROM sqlite_master WHERE name = ?", (f"customers_name_sort_to_{table}",)
            ).fetchone()
            statement = body[body.index("UPDATE", body.index("BEGIN")) : body.rindex(";")]
            statement = statement.replace("NEW.", ":")
            plan = " ".join(
                str(row[-1])
                for row in raw.execute(
                    "EXPLAIN QUERY PLAN " + statement, {"name_sort": "x", "id": "c1"}
                )
            )
            assert f"SEARCH {table} USING INDEX ix_{table}_" in plan, plan
            assert "(customer_id=?)" in plan, plan


def test_every_table_has_its_triggers_at_the_newest_schema(profile: Profile) -> None:
    """A later migration that rebuilds one of these tables (or customers) must create them
    again: they are not part of the models' metadata, which the schema test compares."""
    with closing(sqlite3.connect(profile.directory / STORE_FILE)) as raw:
        triggers = {
            name for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
    for table in SORTED_BY_CUSTOMER:
        assert {
            f"{table}_customer_sort_on_insert",
            f"{table}_customer_sort_on_update",
            f"customers_name_sort_to_{table}",
        } <= triggers
