"""The likely duplicates of customers a sync has just brought.

Two reps who both meet 华强电子 while offline each add it on their laptop; the server takes both
(it cannot tell one company from another), and each laptop receives the other's at its next
sync. The form warned neither of them: when they typed it, the other one was not there yet.
After a sync, the customers it brought that the device did not hold are looked up among all
live customers as Find duplicates would look (the same phone, email or ID number, a person of
the same name at the same address, a company of the same name in the same city), but only the
records that share a value or the name with them are read: a sync costs what it brought.

A company name spelt otherwise ("华强电子" for "深圳市华强电子有限公司") is not looked for here
(only a whole-store search compares names that are alike), unless the two share a value. Nor
does the window ask about customers arriving by the hundred (CHECKED_AT_MOST), an import pushed
by a clerk or a team newly seen: Find duplicates is for those.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crm_desktop.duplicates.model import DuplicateGroup
from crm_desktop.duplicates.records import Executor, Record, read_records
from crm_desktop.duplicates.scan import groups_among
from crm_desktop.models.phones import EXTENSION_MARK
from crm_desktop.storage.store import sqlite_connection
from crm_desktop.storage.values import in_lists

# More customers than this arriving at once are left to Find duplicates (see above).
CHECKED_AT_MOST = 200


def doubles_of_arrived(executor: Executor, customer_ids: Sequence[str]) -> list[DuplicateGroup]:
    """The groups of likely duplicates that hold one of these customers, largest first (the
    caller leaves more than CHECKED_AT_MOST arriving at once to Find duplicates)."""
    if not customer_ids:
        return []
    arrived = read_records(executor, "customers", only=customer_ids)
    if not arrived:
        return []  # deleted or merged away since
    sharing = _sharing(sqlite_connection(executor), arrived)
    records = read_records(executor, "customers", only=sorted(sharing | set(customer_ids)))
    wanted = set(customer_ids)
    return [group for group in groups_among(records, "customers") if wanted & set(group.ids)]


def _sharing(driver: Any, arrived: list[Record]) -> set[str]:
    """The live customers sharing a phone, an email, an ID number or the name with one of
    these (they among them)."""
    live = "SELECT id FROM customers WHERE deleted_at IS NULL AND "
    # A number stored with an extension is compared without it (duplicates.records.phone_key).
    number = "substr({0}, 1, instr({0} || ?, ?) - 1)"
    marks_of_extension = (EXTENSION_MARK, EXTENSION_MARK)
    phones = {key for record in arrived for key in record.phone_keys}
    # (the statement up to its IN list, the parameters before the list's, the values)
    lookups = [
        (live + number.format("phone"), marks_of_extension, phones),
        (live + number.format("phone2"), marks_of_extension, phones),
        (live + "lower(email)", (), {r.email_key for r in arrived if r.email_key}),
        (live + "name", (), {record.name for record in arrived if record.name}),
        (
            "SELECT customer_id FROM customer_identifiers WHERE deleted_at IS NULL AND value_key",
            (),
            {key for record in arrived for _kind, key, _value in record.identifiers},
        ),
    ]
    found: set[str] = set()
    for select, first, values in lookups:
        for part, marks in in_lists(sorted(values)):
            rows = driver.execute(f"{select} IN ({marks})", (*first, *part))
            found.update(row_id for (row_id,) in rows)
    return found
