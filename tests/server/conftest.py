"""The small sales team the server access tests work on."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tests.postgres import CrmDatabase


@dataclass
class World:
    """A small sales team with customers, for the access-rule tests.

    mia manages rob; rae is a rep in no team; cal is a clerk (assigned to nobody yet);
    ada is an admin. Each rep owns one customer with a contact and a follow-up; one customer
    sits in the public pool.
    """

    db: CrmDatabase
    users: dict[str, str]  # login -> users.id
    customers: dict[str, str]  # "rob" | "rae" | "mia" | "pool" -> customers.id
    contacts: dict[str, str]  # same keys -> contacts.id

    def add_customer(self, key: str, owner: str | None, name: str | None = None) -> str:
        owner_id = self.users[owner] if owner else None
        with self.db.connect_admin() as connection:
            customer_id = connection.execute(
                "INSERT INTO customers (name, owner_id) VALUES (%s, %s) RETURNING id",
                (name or f"{key} Ltd", owner_id),
            ).fetchone()[0]
            contact_id = connection.execute(
                "INSERT INTO contacts (customer_id, name) VALUES (%s, %s) RETURNING id",
                (customer_id, f"{key} contact"),
            ).fetchone()[0]
            connection.execute(
                "INSERT INTO followups (customer_id, contact_id, text) VALUES (%s, %s, %s)",
                (customer_id, contact_id, f"called {key}"),
            )
        self.customers[key] = str(customer_id)
        self.contacts[key] = str(contact_id)
        return str(customer_id)


@pytest.fixture
def world(crm_db: CrmDatabase) -> World:
    users = {
        "ada": crm_db.add_user("ada", "admin"),
        "mia": crm_db.add_user("mia", "manager"),
    }
    users["rob"] = crm_db.add_user("rob", "rep", manager="mia")
    users["rae"] = crm_db.add_user("rae", "rep")
    users["cal"] = crm_db.add_user("cal", "clerk")
    built = World(crm_db, users, {}, {})
    for key, owner in (("rob", "rob"), ("rae", "rae"), ("mia", "mia"), ("pool", None)):
        built.add_customer(key, owner)
    return built
