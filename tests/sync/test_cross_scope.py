"""A row on the server pointing at something its reader may not see never stops a device's sync.

The server refuses such rows now (tests/server/test_attack_*.py); here they are put there the way
a restore from an old dump or a replication tool would, with foreign keys and triggers off, so
the device meets what an older server could have sent it.
"""

from __future__ import annotations

import psycopg
import pytest

from tests.sync.conftest import Fleet


@pytest.fixture
def setting(fleet: Fleet) -> dict[str, str]:
    """rob's customer with a contact and an opportunity; a customer in the pool; a product."""
    rob = fleet.user_ids["rob"]
    ids: dict[str, str] = {}
    ids["rob_customer"] = fleet.admin(
        "INSERT INTO customers (name, owner_id) VALUES ('Rob Steel', %s) RETURNING id::text",
        (rob,),
    )[0][0]
    ids["rob_contact"] = fleet.admin(
        "INSERT INTO contacts (customer_id, name) VALUES (%s, 'Wang') RETURNING id::text",
        (ids["rob_customer"],),
    )[0][0]
    ids["rob_opportunity"] = fleet.admin(
        "INSERT INTO opportunities (customer_id, title) VALUES (%s, 'Pumps') RETURNING id::text",
        (ids["rob_customer"],),
    )[0][0]
    ids["pool"] = fleet.admin(
        "INSERT INTO customers (name) VALUES ('Pool Paper') RETURNING id::text"
    )[0][0]
    ids["product"] = fleet.admin(
        "INSERT INTO products (code, name) VALUES ('P1', 'Pump') RETURNING id::text"
    )[0][0]
    return ids


def plant_cross_scope_rows(fleet: Fleet, ids: dict[str, str]) -> tuple[str, str]:
    """On the pool customer: an opportunity linked to rob's contact, and a line of rob's
    opportunity. Returns their ids."""
    with fleet.db.server.connect(fleet.db.name) as superuser:
        superuser.execute("SET session_replication_role = replica")  # no FK checks, no triggers
        opportunity = superuser.execute(
            "INSERT INTO opportunities (customer_id, contact_id, title)"
            " VALUES (%s, %s, 'Linked across') RETURNING id::text",
            (ids["pool"], ids["rob_contact"]),
        ).fetchone()[0]
        line = superuser.execute(
            "INSERT INTO opportunity_lines (opportunity_id, customer_id, product_id)"
            " VALUES (%s, %s, %s) RETURNING id::text",
            (ids["rob_opportunity"], ids["pool"], ids["product"]),
        ).fetchone()[0]
    # An ordinary change to each, so the change log carries them to the devices.
    fleet.admin("UPDATE opportunities SET notes = 'touched' WHERE id = %s", (opportunity,))
    fleet.admin("UPDATE opportunity_lines SET quantity = 2 WHERE id = %s", (line,))
    return opportunity, line


def test_the_server_itself_refuses_such_rows(fleet: Fleet, setting: dict[str, str]) -> None:
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        fleet.admin(
            "INSERT INTO opportunities (customer_id, contact_id, title) VALUES (%s, %s, 'x')",
            (setting["pool"], setting["rob_contact"]),
        )


def test_a_device_keeps_syncing_after_a_cross_scope_row_appears(
    fleet: Fleet, setting: dict[str, str]
) -> None:
    rae = fleet.device("rae")
    rae.sync()
    assert setting["pool"] in rae.ids("customers")
    opportunity, line = plant_cross_scope_rows(fleet, setting)

    report = rae.sync()  # incremental: the changed rows only

    assert report.pulled.full is False
    held = rae.row("opportunities", opportunity)
    assert held is not None and held.title == "Linked across"
    assert held.contact_id is None  # the link she may not follow is left out here
    assert line not in rae.ids("opportunity_lines")  # a line of an opportunity she can't see
    conflicts = {(c.entity, c.row_id): c for c in rae.conflicts()}
    assert set(conflicts) == {("opportunities", opportunity), ("opportunity_lines", line)}
    cleared = conflicts[("opportunities", opportunity)]
    assert cleared.kind == "unreachable"
    assert cleared.lost_value["points_at"] == setting["rob_contact"]
    assert cleared.lost_value["cleared"] is True
    assert conflicts[("opportunity_lines", line)].lost_value["cleared"] is False
    # The server keeps the rows as they are.
    assert fleet.server_row("opportunities", opportunity)["contact_id"] is not None

    # The next change to them arrives as well, with no new conflict and no failure.
    fleet.admin("UPDATE opportunities SET notes = 'again' WHERE id = %s", (opportunity,))
    rae.writer.update("customers", setting["pool"], {"industry": "Paper"})
    rae.sync()
    assert rae.row("opportunities", opportunity).notes == "again"
    assert len(rae.conflicts()) == 3  # plus her refused edit of a pool customer
    assert rae.outbox() == 0


def test_a_first_sync_settles_them_too(fleet: Fleet, setting: dict[str, str]) -> None:
    opportunity, line = plant_cross_scope_rows(fleet, setting)
    mia = fleet.device("mia")  # rob's manager: she sees the pool and rob's customers
    rae = fleet.device("rae")
    for device in (mia, rae):
        report = device.sync()
        assert report.pulled.full is True
    # mia manages rob: she may see both ends, so nothing is left out for her.
    assert mia.row("opportunities", opportunity).contact_id == setting["rob_contact"]
    assert line in mia.ids("opportunity_lines")
    assert mia.conflicts() == []
    assert rae.row("opportunities", opportunity).contact_id is None
    assert line not in rae.ids("opportunity_lines")
    assert {c.kind for c in rae.conflicts()} == {"unreachable"}
