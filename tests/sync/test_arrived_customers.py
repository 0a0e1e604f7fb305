"""A pull tells which customers it brought that the device did not hold, so that the window can
look for them among the device's own: two laptops that each added the same company offline."""

from __future__ import annotations

from crm_desktop.duplicates.arrived import doubles_of_arrived
from tests.sync.conftest import Device, Fleet


def doubles(device: Device, arrived: list[str]) -> list[set[str]]:
    with device.profile.store.read() as session:
        return [set(group.ids) for group in doubles_of_arrived(session, arrived)]


def test_each_laptop_learns_of_the_same_company_the_other_added_offline(fleet: Fleet) -> None:
    office, laptop = fleet.device("rob"), fleet.device("rob")
    office.sync()
    laptop.sync()
    mine = office.writer.create("customers", {"name": "华强电子", "phone": "0755-8888 1234"})
    theirs = laptop.writer.create(
        "customers", {"name": "深圳市华强电子有限公司", "phone": "+86 755 8888 1234"}
    )
    office.sync()

    report = laptop.sync()  # sends its own, brings the office's
    assert report.pulled.arrived_customers == [mine.primary_id]
    assert doubles(laptop, report.pulled.arrived_customers) == [
        {mine.primary_id, theirs.primary_id}
    ]
    report = office.sync()
    assert report.pulled.arrived_customers == [theirs.primary_id]
    assert doubles(office, report.pulled.arrived_customers) == [
        {mine.primary_id, theirs.primary_id}
    ]

    # A change to a customer the device holds is no arrival; nor is a new device's download.
    laptop.writer.update("customers", mine.primary_id, {"industry": "Electronics"})
    laptop.sync()
    assert office.sync().pulled.arrived_customers == []
    report = fleet.device("rob").sync()
    assert report.pulled.full and report.pulled.arrived_customers == []
