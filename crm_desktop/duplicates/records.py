"""The live customers or contacts of a store, or an import row's values, reduced to what
duplicates are found by: phone, email and identifier keys, the city, and the name as compared.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from crm_desktop.duplicates.names import address_key, name_core, person_key
from crm_desktop.duplicates.places import city_of
from crm_desktop.models.phones import DEFAULT_REGION, EXTENSION_MARK, normalize_phone
from crm_desktop.models.search_keys import identifier_key
from crm_desktop.models.validation import InvalidInput
from crm_desktop.storage.store import sqlite_connection
from crm_desktop.storage.values import in_lists

ENTITIES = ("customers", "contacts")
# A value more records than this share is a placeholder, not a sign of one record entered
# twice: "0000", "none@none.com", a name such as 散客 (walk-in customer). True duplicates come
# two to five at a time; a head office's number on twenty branches is still shown.
MAX_SHARED = 20
# Rows between two looks at `stop` and `step` while reading (a fraction of a second).
CHECK_EVERY = 5000

Executor = Session | Connection


class Record:
    """One customer or contact (or import row) as compared. Plain slots: 100,000 of them are
    made per search."""

    __slots__ = (
        "address_key",
        "city",
        "company",
        "customer",
        "customer_id",
        "email",
        "email_key",
        "id",
        "identifiers",
        "name",
        "name_key",
        "owner",
        "phone",
        "phone_keys",
    )

    def __init__(self, record_id: str, name: str) -> None:
        self.id = record_id
        self.name = name
        self.phone: str | None = None
        self.email: str | None = None
        self.owner: str | None = None
        self.city: str | None = None
        self.customer_id: str | None = None
        self.customer: str | None = None
        self.phone_keys: tuple[str, ...] = ()
        self.email_key: str | None = None
        # (kind, key, value as stored); most have none
        self.identifiers: Sequence[tuple[str, str, str]] = ()
        self.company = True
        self.name_key = ""  # a company's name_core; a person's or contact's person_key
        self.address_key = ""  # a person's (customers only)


def phone_key(e164: str | None) -> str | None:
    """A customer's number as compared: without its extension (a switchboard is the
    company's, whichever extension a list gave)."""
    if not e164:
        return None
    return e164.split(EXTENSION_MARK, 1)[0]


def contact_phone_key(e164: str | None) -> str | None:
    """A contact's number as compared, extension included; None for a mainland landline
    without one, which is an office's switchboard that all its people share."""
    if not e164:
        return None
    if e164.startswith("+86") and not e164.startswith("+861") and EXTENSION_MARK not in e164:
        return None
    return e164


def email_key(email: str | None) -> str | None:
    if not email:
        return None
    key = email.strip().casefold()
    # The writer stores emails in lower case: the same string then serves as both.
    return email if key == email else key or None


def _phones(
    numbers: Iterable[str | None], key: Callable[[str | None], str | None]
) -> tuple[str, ...]:
    keys: list[str] = []
    for number in numbers:
        found = key(number)
        if found is not None and found not in keys:
            keys.append(found)
    return tuple(keys)


def describe_customer(record: Record, kind: str | None, address: str | None) -> None:
    """Fill in a customer's city and name keys (its phones, email and identifiers are set)."""
    record.company = kind != "person"
    if record.company:
        record.city = city_of(address, record.name)
        record.name_key = name_core(record.name, record.city)
    else:
        # A person's name says nothing of where he lives ("张伟" is no place).
        record.city = city_of(address)
        record.name_key = person_key(record.name)
        record.address_key = address_key(address)


@contextmanager
def without_cyclic_gc() -> Iterator[None]:
    """Python's cycle collector paused: a search makes a million small objects (records,
    keys, reasons), none of them cyclic garbage, and the collector would walk all of them
    again and again (a third of the time at 100,000 customers). Reference counting still
    frees what is dropped."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# -- the store ---------------------------------------------------------------------------------

CUSTOMERS_SQL = """
SELECT c.id, c.name, c.kind, c.phone, c.phone2, c.email, c.address, u.name
FROM customers c LEFT JOIN users u ON u.id = c.owner_id
WHERE c.deleted_at IS NULL
"""
# Without a join to customers: the live customers' are kept by id as they are read (a join
# looks up every customer's wide row again, three times the cost of the identifiers alone).
IDENTIFIERS_SQL = """
SELECT customer_id, kind, value_key, value FROM customer_identifiers WHERE deleted_at IS NULL
"""
CONTACTS_SQL = """
SELECT t.id, t.name, t.phone, t.mobile, t.email, t.customer_id, c.name, u.name
FROM contacts t JOIN customers c ON c.id = t.customer_id
LEFT JOIN users u ON u.id = c.owner_id
WHERE t.deleted_at IS NULL AND c.deleted_at IS NULL
"""


def read_records(
    executor: Executor,
    entity: str,
    stop: Callable[[], bool] | None = None,
    step: Callable[[int, int], None] | None = None,
    only: Sequence[str] | None = None,
) -> list[Record]:
    """Every live customer or contact, described (or, for customers, those of `only` that are
    live). `step(done, total)` follows the rows; `stop()` is asked now and then and, once
    true, the reading ends early (the caller, who asked for it, raises)."""
    if entity not in ENTITIES:
        raise ValueError(entity)
    if only is not None and entity != "customers":
        raise ValueError(entity)
    driver = sqlite_connection(executor)
    table = "customers" if entity == "customers" else "contacts"
    if only is None:
        (total,) = driver.execute(
            f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL"
        ).fetchone()
    else:
        total = len(only)
    records: list[Record] = []
    if entity == "customers":
        by_id: dict[str, Record] = {}
        # One string for each owner's name and each city, not one a record: 100,000 customers
        # have a handful of owners and a few hundred cities.
        shared: dict[str | None, str | None] = {}
        rows = _rows_of(driver, CUSTOMERS_SQL, "c.id", only)
        for done, (row_id, name, kind, phone, phone2, email, address, owner) in enumerate(rows):
            record = Record(row_id, name or "")
            record.phone, record.email = phone or phone2, email
            record.owner = shared.setdefault(owner, owner)
            record.phone_keys = _phones((phone, phone2), phone_key)
            record.email_key = email_key(email)
            describe_customer(record, kind, address)
            record.city = shared.setdefault(record.city, record.city)
            records.append(record)
            by_id[row_id] = record
            if done % CHECK_EVERY == 0 and _stopped(stop, step, done, total):
                return records
        identifiers: dict[str, list[tuple[str, str, str]]] = {}
        for customer_id, kind, key, value in _rows_of(driver, IDENTIFIERS_SQL, "customer_id", only):
            if key and customer_id in by_id:  # a deleted customer's are left out
                identifiers.setdefault(customer_id, []).append((kind, key, value))
        for customer_id, found in identifiers.items():
            by_id[customer_id].identifiers = found
        return records
    owners: dict[str | None, str | None] = {}
    # People's names repeat (145,000 contacts of the demo store have 1,500 names): each is
    # made a key once.
    name_keys: dict[str, str] = {}
    rows = driver.execute(CONTACTS_SQL)
    for done, (row_id, name, phone, mobile, email, customer_id, customer, owner) in enumerate(rows):
        record = Record(row_id, name or "")
        record.phone, record.email = mobile or phone, email
        record.owner = owners.setdefault(owner, owner)
        record.customer_id, record.customer = customer_id, customer
        record.phone_keys = _phones((mobile, phone), contact_phone_key)
        record.email_key = email_key(email)
        name_key = name_keys.get(record.name)
        if name_key is None:
            name_key = name_keys[record.name] = person_key(record.name)
        record.name_key = name_key
        records.append(record)
        if done % CHECK_EVERY == 0 and _stopped(stop, step, done, total):
            return records
    return records


def _rows_of(driver: Any, statement: str, key: str, only: Sequence[str] | None) -> Iterable[tuple]:
    """The rows of `statement` (whose WHERE clause ends it), or those whose `key` is in `only`."""
    if only is None:
        yield from driver.execute(statement)
        return
    for part, marks in in_lists(sorted(set(only))):
        yield from driver.execute(f"{statement} AND {key} IN ({marks})", part)


def _stopped(
    stop: Callable[[], bool] | None, step: Callable[[int, int], None] | None, done: int, total: int
) -> bool:
    if step is not None:
        step(done, total)
    return stop is not None and stop()


# -- an import row -----------------------------------------------------------------------------


def _text(values: Mapping[str, Any], name: str) -> str | None:
    value = values.get(name)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _stored_phone(raw: str | None, region: str) -> str | None:
    """A typed number as it would be stored; None for one the writer would refuse anyway."""
    try:
        return normalize_phone(raw, region)
    except InvalidInput:
        return None


def record_of_values(
    entity: str,
    values: Mapping[str, Any],
    region: str = DEFAULT_REGION,
    stored: Mapping[str, Any] | None = None,
) -> Record:
    """An import row's (or a form's) writer values as compared: customers' name, kind,
    phone, phone2, email, address, identifiers ([(kind, value), ...]); contacts'
    customer_id, name, phone, mobile, email. `stored`: the same values as the writer cleaned
    them, in `region` (their phones are then taken as they are, not parsed again)."""
    if entity not in ENTITIES:
        raise ValueError(entity)

    def number(name: str) -> str | None:
        if stored is not None:
            return stored.get(name)
        return _stored_phone(_text(values, name), region)

    record = Record("", _text(values, "name") or "")
    record.email = _text(values, "email")
    record.email_key = email_key(record.email)
    if entity == "contacts":
        phone = number("phone")
        mobile = number("mobile")
        record.phone = mobile or phone
        record.phone_keys = _phones((mobile, phone), contact_phone_key)
        record.customer_id = _text(values, "customer_id")
        record.name_key = person_key(record.name)
        return record
    phone = number("phone")
    phone2 = number("phone2")
    record.phone = phone or phone2
    record.phone_keys = _phones((phone, phone2), phone_key)
    identifiers = []
    for pair in values.get("identifiers") or ():
        kind, value = pair
        key = identifier_key(str(value or ""))
        if kind and key:
            identifiers.append((str(kind), key, str(value).strip()))
    record.identifiers = identifiers
    describe_customer(record, _text(values, "kind"), _text(values, "address"))
    return record
