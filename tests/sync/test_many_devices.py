"""Six devices of four users editing at random, offline, in rounds: after everyone syncs, each
device holds exactly what the server shows its user."""

from __future__ import annotations

import random
from typing import Any

import pytest
from sqlalchemy import select

from crm_desktop.models.entities import Contact, Customer, User
from crm_desktop.sync.codec import canonical
from tests.sync.conftest import Device, Fleet

CUSTOMER_FIELDS = ("name", "phone", "industry", "owner_id", "deleted_at")
CONTACT_FIELDS = ("customer_id", "name", "phone", "deleted_at")
INDUSTRIES = ("Steel", "Paper", "Glass", "Mining", None)


def snapshot(values: tuple) -> tuple:
    return tuple(canonical(value) for value in values)


def device_rows(device: Device) -> dict[str, dict[str, tuple]]:
    with device.profile.store.read() as session:
        customers = session.execute(
            select(Customer.id, *(getattr(Customer, f) for f in CUSTOMER_FIELDS))
        ).all()
        contacts = session.execute(
            select(Contact.id, *(getattr(Contact, f) for f in CONTACT_FIELDS))
        ).all()
    return {
        "customers": {row[0]: snapshot(row[1:]) for row in customers},
        "contacts": {row[0]: snapshot(row[1:]) for row in contacts},
    }


def server_rows(fleet: Fleet, login: str) -> dict[str, dict[str, tuple]]:
    found: dict[str, dict[str, tuple]] = {}
    with fleet.db.connect_as(login) as connection:
        for entity, fields in (("customers", CUSTOMER_FIELDS), ("contacts", CONTACT_FIELDS)):
            rows = connection.execute(f"SELECT id, {', '.join(fields)} FROM {entity}").fetchall()
            found[entity] = {str(row[0]): snapshot(row[1:]) for row in rows}
    return found


def phone(rng: random.Random) -> str:
    return "139" + "".join(rng.choice("0123456789") for _ in range(8))


class Actor:
    """Random work on one device, within what that device holds."""

    def __init__(self, device: Device, fleet: Fleet, rng: random.Random) -> None:
        self.device = device
        self.fleet = fleet
        self.rng = rng
        self.me = fleet.user_ids[device.login]

    def live(self, model: Any) -> list[Any]:
        with self.device.profile.store.read() as session:
            return list(session.scalars(select(model).where(model.deleted_at.is_(None))))

    def owners(self) -> list[str | None]:
        login = self.device.login
        if login == "ada":
            with self.device.profile.store.read() as session:
                known = set(session.scalars(select(User.id)))
            return [None, *(i for i in self.fleet.user_ids.values() if i in known)]
        if login == "mia":
            return [None, self.me, self.fleet.user_ids["rob"]]
        return [None, self.me]

    def act(self) -> None:
        rng, writer = self.rng, self.device.writer
        customers, contacts = self.live(Customer), self.live(Contact)
        choice = rng.random()
        if choice < 0.2 or not customers:
            writer.create(
                "customers",
                {
                    "name": f"{self.device.login} co {rng.randrange(10_000)}",
                    "phone": phone(rng),
                    "industry": rng.choice(INDUSTRIES),
                    "owner_id": rng.choice([self.me, self.me, *self.owners()]),
                },
            )
        elif choice < 0.45:
            target = rng.choice(customers)
            field = rng.choice(("name", "phone", "industry"))
            value = {
                "name": f"{target.name.split(' #')[0]} #{rng.randrange(100)}",
                "phone": phone(rng),
                "industry": rng.choice(INDUSTRIES),
            }[field]
            writer.update("customers", target.id, {field: value})
        elif choice < 0.55:
            target = rng.choice(customers)
            writer.update("customers", target.id, {"owner_id": rng.choice(self.owners())})
        elif choice < 0.62:
            writer.delete("customers", [rng.choice(customers).id])
        elif choice < 0.8:
            target = rng.choice(customers)
            writer.create(
                "contacts",
                {"customer_id": target.id, "name": f"person {rng.randrange(1000)}"},
            )
        elif choice < 0.93 and contacts:
            writer.update("contacts", rng.choice(contacts).id, {"phone": phone(rng)})
        elif contacts:
            writer.delete("contacts", [rng.choice(contacts).id])


@pytest.mark.parametrize("seed", [7, 2024])
def test_random_offline_work_converges_to_what_the_server_shows(fleet: Fleet, seed: int) -> None:
    rng = random.Random(seed)
    devices = [fleet.device(login) for login in ("rob", "rob", "rae", "rae", "mia", "ada")]
    for device in devices:
        device.sync()
    actors = [Actor(device, fleet, rng) for device in devices]
    for _round in range(5):
        for actor in actors:
            for _ in range(rng.randrange(1, 6)):
                actor.act()
        server_ids = [row[0] for row in fleet.admin("SELECT id FROM customers ORDER BY id")]
        if server_ids and rng.random() < 0.6:  # the admin moves a customer with plain SQL
            fleet.admin(
                "UPDATE customers SET owner_id = %s WHERE id = %s",
                (rng.choice([None, *fleet.user_ids.values()]), rng.choice(server_ids)),
            )
        for device in rng.sample(devices, len(devices)):
            device.sync()
    for _twice in range(2):
        for device in devices:
            device.sync()

    for device in devices:
        assert device.outbox() == 0
        held = device_rows(device)
        assert held == server_rows(fleet, device.login), device.login
        assert held["customers"], device.login  # nobody ends with an empty device by accident
    # Whatever lost at the server is kept on the device that typed it, never dropped.
    kinds = {c.kind for device in devices for c in device.conflicts()}
    assert kinds <= {"same_field", "edited_deleted", "deleted_over_edit", "refused"}
