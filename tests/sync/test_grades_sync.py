"""Grades on the devices: an administrator's sync grades every customer on the server (anyone
else's grades nothing), and every device gets the new grade, its `graded` history and the pool
date of the new grade at its next sync. A payment the ERP inserts with plain SQL counts."""

from __future__ import annotations

from datetime import timedelta

from crm_desktop.models.choices import choice_label
from crm_desktop.profile import open_profile
from crm_desktop.queries.records import ownership_events
from tests.postgres import backdate_ownership
from tests.sync.conftest import Device, Fleet


def history(device: Device, customer: str) -> list[tuple]:
    with device.profile.store.read() as session:
        return [
            (event.kind, event.reason)
            for event in ownership_events(session, customer)
            if event.kind == "graded"
        ]


def server_grade(fleet: Fleet, customer: str) -> str | None:
    return fleet.admin("SELECT grade FROM customers WHERE id = %s", (customer,))[0][0]


def test_an_administrators_sync_grades_and_every_device_follows(fleet: Fleet) -> None:
    rob, mia, ada = fleet.device("rob"), fleet.device("mia"), fleet.device("ada")
    big = rob.writer.create("customers", {"name": "大客户", "grade": "C"}).primary_id
    small = rob.writer.create("customers", {"name": "小客户", "grade": "A"}).primary_id
    rob.sync()
    fleet.admin("UPDATE crm_rules SET value = 90 WHERE key = 'pool_return_days_A'")
    fleet.admin("UPDATE crm_rules SET value = 10 WHERE key = 'pool_return_days_C'")
    with fleet.db.connect_admin() as connection:
        backdate_ownership(connection, 5)
    # The ERP books a payment with plain SQL, as the deployment owner.
    fleet.admin(
        "INSERT INTO payments (customer_id, paid_on, amount_cents, external_ref)"
        " VALUES (%s, current_date, 8000000, 'ERP-77')",
        (big,),
    )
    rob.sync()
    mia.sync()  # a rep's and a manager's syncs grade nothing
    assert (server_grade(fleet, big), server_grade(fleet, small)) == ("C", "A")

    ada.sync()  # an administrator's does, before his pull
    assert (server_grade(fleet, big), server_grade(fleet, small)) == ("A", "C")
    assert (ada.row("customers", big).grade, ada.row("customers", small).grade) == ("A", "C")

    rob.sync()
    owned = rob.row("customers", big).owned_since.replace(microsecond=0)
    assert rob.row("customers", big).grade == "A"
    assert rob.row("customers", big).pool_due_at == owned + timedelta(days=90)
    assert rob.row("customers", small).pool_due_at == owned + timedelta(days=10)
    assert history(rob, big) == [("graded", "C → A")]
    assert history(rob, small) == [("graded", "A → C")]
    assert rob.conflicts() == []

    ada.sync()  # nothing left to change: the change log gets nothing new
    before = fleet.admin("SELECT max(seq) FROM sync_changes")
    ada.sync()
    assert fleet.admin("SELECT max(seq) FROM sync_changes") == before


def test_a_grade_typed_offline_meets_the_servers_and_the_server_wins(fleet: Fleet) -> None:
    rob, ada = fleet.device("rob"), fleet.device("ada")
    customer = rob.writer.create("customers", {"name": "客户"}).primary_id
    rob.sync()
    ada.sync()  # nothing paid: C
    assert server_grade(fleet, customer) == "C"
    rob.writer.update("customers", customer, {"grade": "A"})  # offline, before he saw the C
    rob.sync()
    # The grade someone else changed first stays; his is kept as a conflict.
    assert server_grade(fleet, customer) == "C"
    assert [conflict.field for conflict in rob.conflicts()] == ["grade"]


def test_the_grades_labels_say_the_shares_the_server_grades_by(fleet: Fleet) -> None:
    """An administrator sets A to the top 10% and B to the next 20%: after its next sync a
    device labels the grades so, the profile opened again still does, and a profile that never
    synced says the defaults."""
    rob = fleet.device("rob")
    rob.sync()
    assert (choice_label("A"), choice_label("B")) == ("A (top 5%)", "B (next 15%)")
    fleet.admin("UPDATE crm_rules SET value = 10 WHERE key = 'grade_a_percent'")
    fleet.admin("UPDATE crm_rules SET value = 20 WHERE key = 'grade_b_percent'")
    rob.sync()
    assert (choice_label("A"), choice_label("B")) == ("A (top 10%)", "B (next 20%)")
    open_profile(fleet.base / "never-synced").close()
    assert choice_label("A") == "A (top 5%)"
    open_profile(rob.directory).close()
    assert (choice_label("A"), choice_label("B"), choice_label("C")) == (
        "A (top 10%)",
        "B (next 20%)",
        "C",
    )
