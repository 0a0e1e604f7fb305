"""Six devices of four users editing at random, offline, in rounds: after everyone syncs, each
device holds exactly what the server shows its user, and every value that lost at the server is
kept as a conflict on the device that typed it."""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg.rows import dict_row
from sqlalchemy import select

from crm_desktop.models.base import AUDIT_COLUMNS
from crm_desktop.models.entities import ENTITIES, Contact, Customer, OutboxEntry, User
from crm_desktop.models.fields import FIELDS, Kind
from crm_desktop.storage.store import Store
from crm_desktop.sync import engine, push
from crm_desktop.sync.codec import canonical, from_json, synced_columns
from crm_desktop.sync.derived import DERIVED
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
        return self.live_on(self.device, model)

    @staticmethod
    def live_on(device: Device, model: Any) -> list[Any]:
        """In an order the seed decides (ids are random; names come from the seed)."""
        with device.profile.store.read() as session:
            rows = session.scalars(
                select(model).where(model.deleted_at.is_(None)).order_by(model.name, model.id)
            )
            return list(rows)

    def owners(self) -> list[str | None]:
        login = self.device.login
        if login == "ada":
            with self.device.profile.store.read() as session:
                known = set(session.scalars(select(User.id)))
            return [None, *(i for i in self.fleet.user_ids.values() if i in known)]
        if login == "mia":
            return [None, self.me, self.fleet.user_ids["rob"]]
        return [None, self.me]

    def contested(self, customers: list[Customer], odds: float) -> Customer:
        """With these odds the oldest customer this device holds, which the other devices that
        see it pick too: their offline edits and deletes meet at the server."""
        if self.rng.random() < odds:
            return min(customers, key=lambda customer: (customer.created_at, customer.name))
        return self.rng.choice(customers)

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
            target = self.contested(customers, 0.6)
            field = rng.choice(("name", "name", "phone", "industry"))
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
            writer.delete("customers", [self.contested(customers, 0.2).id])
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


def meet(first: Device, second: Device, rng: random.Random) -> None:
    """Two devices of one user make offline changes that must collide at the server, whichever
    syncs first: both rename one customer, and each deletes a customer the other edits."""
    me = first.profile.user_id
    held = [
        {c.id: c for c in Actor.live_on(device, Customer) if c.owner_id == me}
        for device in (first, second)
    ]
    common = sorted(
        (held[0][i] for i in held[0].keys() & held[1].keys()),
        key=lambda customer: (customer.created_at, customer.name),
    )
    if len(common) < 3:
        return
    renamed, gone_first, gone_second = common[:3]
    for device in (first, second):
        name = f"{renamed.name.split(' #')[0]} #{rng.randrange(100)}"
        device.writer.update("customers", renamed.id, {"name": name})
    first.writer.delete("customers", [gone_first.id])
    second.writer.update("customers", gone_first.id, {"phone": phone(rng)})
    second.writer.delete("customers", [gone_second.id])
    first.writer.update("customers", gone_second.id, {"phone": phone(rng)})


@dataclass
class Pushed:
    """One outbox entry as the server met it: its row just before and just after, under the
    pushing user's rights, in the push's own transaction."""

    device: Device
    entity: str
    row_id: str
    op: str
    changes: dict[str, Any]
    base: dict[str, Any]
    before: dict[str, Any] | None
    # What the record was called on the device as it pushed (a refused change keeps it).
    name_here: str | None
    # What the records it links to were called there ("entity:id"; its customer first).
    linked_here: dict[str, str]
    after: dict[str, Any] | None
    refused: bool


def server_row_now(connection: psycopg.Connection, entity: str, row_id: str) -> dict | None:
    cursor = connection.cursor(row_factory=dict_row)
    row = cursor.execute(
        sql.SQL("SELECT * FROM {} WHERE id = %s").format(sql.Identifier(entity)), (row_id,)
    ).fetchone()
    return None if row is None else {name: canonical(value) for name, value in row.items()}


class PushWatcher:
    """Sees every outbox entry the server applies, with the row before and after it.

    What the entry should have done is worked out from these alone by the conflict rule (see
    `rule_outcome`), never from what push says it did; only a refusal (a matter of the server's
    policies, not of the rule) is taken from the server's answer, and checked against the row.
    """

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.device: Device | None = None
        self.pushed: list[Pushed] = []
        self.waiting: Counter = Counter()  # the outbox as each push of this sync began
        real_apply, real_push = push._apply, engine.push
        real_apply_run = push._apply_run

        def watched_apply(connection: psycopg.Connection, entry: OutboxEntry, *args: Any) -> Any:
            assert self.device is not None
            seen = self.met(connection, entry)
            before = seen["before"]
            try:
                result = real_apply(connection, entry, *args)
            except psycopg.Error:  # the savepoint rolls back: the row is as it was
                self.pushed.append(Pushed(**seen, after=before, refused=True))
                raise
            after = server_row_now(connection, entry.entity, entry.row_id)
            self.pushed.append(Pushed(**seen, after=after, refused=result["status"] == "refused"))
            return result

        def watched_apply_run(connection: psycopg.Connection, run: list[OutboxEntry]) -> Any:
            # New records sent as one statement: each is met as if it came alone.
            assert self.device is not None
            seen = [self.met(connection, entry) for entry in run]
            results = real_apply_run(connection, run)
            if results is not None:  # else they come one by one through _apply
                for entry, each in zip(run, seen, strict=True):
                    after = server_row_now(connection, entry.entity, entry.row_id)
                    self.pushed.append(Pushed(**each, after=after, refused=False))
            return results

        def watched_push(store: Store, *args: Any) -> Any:
            with store.read() as session:
                self.waiting.update(
                    entry_key(e.entity, e.row_id, e.op, e.changes)
                    for e in session.scalars(select(OutboxEntry))
                )
            return real_push(store, *args)

        monkeypatch.setattr(push, "_apply", watched_apply)
        monkeypatch.setattr(push, "_apply_run", watched_apply_run)
        monkeypatch.setattr(engine, "push", watched_push)

    def met(self, connection: psycopg.Connection, entry: OutboxEntry) -> dict[str, Any]:
        """An entry as the server meets it, with its row just before."""
        return dict(
            device=self.device,
            entity=entry.entity,
            row_id=entry.row_id,
            op=entry.op,
            changes=dict(entry.changes),
            base=dict(entry.base),
            before=server_row_now(connection, entry.entity, entry.row_id),
            name_here=self.name_here(entry.entity, entry.row_id),
            linked_here=self.linked_here(entry.entity, entry.row_id, dict(entry.changes)),
        )

    def name_here(self, entity: str, row_id: str) -> str | None:
        """The record's name, else its title, on the pushing device (None: it has neither)."""
        assert self.device is not None
        local = self.device.row(entity, row_id)
        column = next((c for c in ("name", "title") if hasattr(ENTITIES[entity], c)), None)
        return getattr(local, column) if local is not None and column else None

    def linked_here(self, entity: str, row_id: str, changes: dict[str, Any]) -> dict[str, str]:
        """The names, on the pushing device, of the records the change links to and of the
        customer its record belongs to."""
        assert self.device is not None
        links = {
            (field.ref, value)
            for field in FIELDS.get(entity, ())
            if field.kind is Kind.REF
            and field.ref
            and isinstance(value := changes.get(field.name), str)
        }
        local = self.device.row(entity, row_id)
        parent = ENTITIES[entity].PARENT
        if local is not None and parent and getattr(local, parent) is not None:
            links.add(("customers", getattr(local, parent)))
        named = {f"{ref}:{key}": self.name_here(ref, key) for ref, key in links}
        return {key: name for key, name in named.items() if name}

    def sync(self, device: Device) -> None:
        """One sync of `device`: every entry in its outbox when the push starts must reach the
        server exactly once."""
        self.device, first = device, len(self.pushed)
        self.waiting.clear()
        try:
            device.sync()
        finally:
            self.device = None
        sent = Counter(entry_key(p.entity, p.row_id, p.op, p.changes) for p in self.pushed[first:])
        assert sent == self.waiting, f"{device.login}: the outbox and what the server met differ"


def entry_key(entity: str, row_id: str, op: str, changes: dict) -> tuple:
    return (entity, row_id, op, json.dumps(changes, sort_keys=True))


def edited_fields(pushed: Pushed) -> list[str]:
    """The fields an entry asks the server to set (the server stamps the audit columns)."""
    columns = set(synced_columns(pushed.entity)) - AUDIT_COLUMNS
    return [name for name in pushed.changes if name in columns]


def rule_outcome(pushed: Pushed) -> tuple[dict[str, Any], dict[str, Any], str]:
    """By the rule of sync/push.py, for an update the server let through: the fields that must
    now hold the typed value, the fields that must keep the server's (with it), and the kind of
    conflict the lost values are kept as.

    Per field: the server already holding the typed value loses nothing; a field nobody else
    changed since this device saw it (the server holds the base) takes the typed value; one
    someone else changed keeps theirs, and the typed value is a `same_field` conflict. An edit
    of a record deleted meanwhile takes nothing: every value it would have changed is an
    `edited_deleted` conflict.
    """
    assert pushed.before is not None
    deleted = pushed.before["deleted_at"] is not None
    taken: dict[str, Any] = {}
    kept: dict[str, Any] = {}
    for name in edited_fields(pushed):
        mine = canonical(from_json(pushed.entity, name, pushed.changes[name]))
        theirs = pushed.before[name]
        base = canonical(from_json(pushed.entity, name, pushed.base.get(name)))
        if theirs == mine:
            continue
        if not deleted and theirs == base:
            taken[name] = mine
        else:
            kept[name] = theirs
    return taken, kept, "edited_deleted" if deleted else "same_field"


def conflict_key(kind: str, entity: str, row_id: str, field: Any, kept: Any, lost: Any) -> tuple:
    return (kind, entity, row_id, field, json.dumps(kept), json.dumps(lost, sort_keys=True))


def expected_conflicts(pushed: Pushed) -> list[tuple]:
    """The conflict records the device must hold for one pushed entry, checking on the way
    that the server's row went where the rule sends it."""
    where = f"{pushed.device.login}: {pushed.op} {pushed.entity} {pushed.row_id}"
    if pushed.refused:
        # Refused whole: nothing of it reaches the row, and all of it is kept with the reason,
        # but for values the program keeps itself (a customer's last follow-up time, which
        # its refused follow-up's own conflict stands for).
        assert pushed.after == pushed.before, where
        automatic = DERIVED.get(pushed.entity, frozenset())
        if pushed.op == "update" and set(pushed.changes) <= automatic:
            return []
        lost = {"op": pushed.op, "changes": pushed.changes}
        if pushed.name_here:
            lost["name"] = pushed.name_here
        if pushed.linked_here:
            lost["linked"] = pushed.linked_here
        return [conflict_key("refused", pushed.entity, pushed.row_id, None, None, lost)]
    assert pushed.after is not None, where
    if pushed.op == "insert":  # a new row: nobody else can have changed it
        for name in edited_fields(pushed):
            mine = canonical(from_json(pushed.entity, name, pushed.changes[name]))
            assert pushed.after[name] == mine, f"{where}: {name}"
        return []
    if pushed.op == "delete":  # delete wins; whatever the row held stays in it
        assert pushed.after["deleted_at"] is not None, where
        return []
    taken, kept, kind = rule_outcome(pushed)
    for name, value in {**taken, **kept}.items():
        assert pushed.after[name] == value, f"{where}: {name}"
    return [
        conflict_key(kind, pushed.entity, pushed.row_id, name, theirs, pushed.changes[name])
        for name, theirs in kept.items()
    ]


def latest_of_each_field(keys: Iterable[tuple]) -> Counter:
    """The conflicts a device keeps open, from every value of it that lost in push order: a
    later lost value of a field stands for an earlier one of the same kind (push._supersede);
    a refused change is each its own."""
    kept: dict[tuple, tuple] = {}
    for number, key in enumerate(keys):
        kind, entity, row_id, field = key[:4]
        slot = (kind, entity, row_id, field) if field is not None else (number,)
        kept.pop(slot, None)
        kept[slot] = key
    return Counter(kept.values())


def held_conflicts(device: Device) -> Counter:
    """The device's records of values that lost (a delete over someone's edit loses nothing:
    his values stay in the deleted record)."""
    return Counter(
        conflict_key(c.kind, c.entity, c.row_id, c.field, c.kept_value, c.lost_value)
        for c in device.conflicts()
        if c.kind in ("same_field", "edited_deleted", "refused")
    )


@pytest.mark.parametrize("seed", [7, 2024])
def test_random_offline_work_converges_and_every_lost_value_is_kept(
    fleet: Fleet, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    random_offline_work(fleet, seed, monkeypatch)


def random_offline_work(fleet: Fleet, seed: int, monkeypatch: pytest.MonkeyPatch) -> list[Device]:
    """Six devices (rob and rae twice, their manager, the admin) working offline at random in
    five rounds, meeting, syncing in random order, while the admin moves customers with plain
    SQL; then checked: every device holds what its user sees on the server, and whatever lost
    at the server is kept on the device that typed it. Returns the devices."""
    rng = random.Random(seed)
    watcher = PushWatcher(monkeypatch)
    devices = [fleet.device(login) for login in ("rob", "rob", "rae", "rae", "mia", "ada")]
    for device in devices:
        watcher.sync(device)
    actors = [Actor(device, fleet, rng) for device in devices]
    for _round in range(5):
        for actor in actors:
            for _ in range(rng.randrange(1, 6)):
                actor.act()
        meet(devices[0], devices[1], rng)
        meet(devices[2], devices[3], rng)
        server_ids = [row[0] for row in fleet.admin("SELECT id FROM customers ORDER BY id")]
        if server_ids and rng.random() < 0.6:  # the admin moves a customer with plain SQL
            fleet.admin(
                "UPDATE customers SET owner_id = %s WHERE id = %s",
                (rng.choice([None, *fleet.user_ids.values()]), rng.choice(server_ids)),
            )
        for device in rng.sample(devices, len(devices)):
            watcher.sync(device)
    for _twice in range(2):
        for device in devices:
            watcher.sync(device)

    for device in devices:
        assert device.outbox() == 0
        held = device_rows(device)
        assert held == server_rows(fleet, device.login), device.login
        assert held["customers"], device.login  # nobody ends with an empty device by accident

    # Whatever lost at the server is kept on the device that typed it, never dropped, and
    # nothing that did not lose is reported as lost.
    expected = {
        id(device): latest_of_each_field(
            key
            for pushed in watcher.pushed
            if pushed.device is device
            for key in expected_conflicts(pushed)
        )
        for device in devices
    }
    for device in devices:
        assert held_conflicts(device) == expected[id(device)], device.login
        assert all(c.reason for c in device.conflicts() if c.kind == "refused"), device.login
    lost = Counter(key[0] for found in expected.values() for key in found)
    assert min(lost[kind] for kind in ("same_field", "edited_deleted", "refused")) > 0, (
        f"the run must make a value lose in each way, not {lost}"
    )
    kinds = {c.kind for device in devices for c in device.conflicts()}
    assert kinds <= {"same_field", "edited_deleted", "deleted_over_edit", "refused"}
    return devices
