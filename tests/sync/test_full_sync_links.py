"""A full sync streams each table a batch at a time, in id order: a row may point at a row
of its own table that comes in a later batch (a merged-away customer at the kept one). The
link is kept once the whole table is in; only a link to a row the user may not see is left
out, as a conflict he can read."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from crm_desktop.sync import pull
from crm_desktop.sync.pull import CURSOR_KEY
from crm_desktop.sync.references import KIND
from tests.sync.conftest import Fleet

KEPT = "ffffffff-0000-4000-8000-000000000001"  # last in id order
MERGED = "00000000-0000-4000-8000-000000000002"  # first: its kept customer comes later
HIDDEN = "eeeeeeee-0000-4000-8000-000000000003"  # another rep's
POINTS_AT_HIDDEN = "00000000-0000-4000-8000-000000000004"


def test_a_link_to_a_later_batch_survives_a_first_sync(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    rob, rae = fleet.user_ids["rob"], fleet.user_ids["rae"]
    for row_id, name, owner in (
        (KEPT, "Kept", rob),
        (MERGED, "Merged away", rob),
        (HIDDEN, "Rae's", rae),
        (POINTS_AT_HIDDEN, "Merged into Rae's", rob),
    ):
        fleet.admin(
            "INSERT INTO customers (id, name, owner_id) VALUES (%s, %s, %s)", (row_id, name, owner)
        )
    for merged, kept in ((MERGED, KEPT), (POINTS_AT_HIDDEN, HIDDEN)):
        fleet.admin(
            "UPDATE customers SET deleted_at = now(), merged_into_id = %s WHERE id = %s",
            (kept, merged),
        )
    monkeypatch.setattr(pull, "FETCH_BATCH", 1)  # as a table of more than one batch would

    device = fleet.device("rob")
    device.sync()

    assert device.row("customers", MERGED).merged_into_id == KEPT
    assert device.row("customers", POINTS_AT_HIDDEN).merged_into_id is None
    left_out = [(c.kind, c.row_id) for c in device.conflicts()]
    assert left_out == [(KIND, POINTS_AT_HIDDEN)]
    # A second full sync finds the same, and adds no second conflict.
    with device.profile.store.write() as session:
        session.execute(text("DELETE FROM local_settings WHERE key = :key"), {"key": CURSOR_KEY})
    device.sync()
    assert device.row("customers", MERGED).merged_into_id == KEPT
    assert [(c.kind, c.row_id) for c in device.conflicts()] == [(KIND, POINTS_AT_HIDDEN)]
