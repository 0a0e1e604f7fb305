"""A shared sales team for the attack suite (tests/server/test_attack_*.py).

Every attack is refused and leaves the data as it was, so one database can serve a whole test
module: the world is built once per module into a template database, and a test works on a copy
of it that is replaced only when a test left it different (a contrast test that writes for real,
or an attack that got through). Each test ends with `world.assert_unchanged()`, which compares,
as the owner, every row of every table, the catalog objects and the role flags with the world
as built; that also tells the next test it may skip the check.

The team is the one of tests/server/conftest.py: ada admin, mia manager of rob, rob rep, rae rep
without manager, cal clerk (assigned to rae here, until tomorrow). rob, rae and mia own one
customer each and one customer sits in the pool; each customer has a contact, a follow-up, an
identifier, an opportunity (with that contact) and its line, a task on that opportunity, and a
contract from that opportunity with one instalment and one payment.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import psycopg
import pytest
from psycopg import sql

from crm_desktop.models.entities import CUSTOMER_CHILDREN, ENTITIES
from tests.postgres import CRM_ADMIN, CrmDatabase, PostgresServer, unique_name

LOGINS = ("ada", "mia", "rob", "rae", "cal")
CUSTOMER_KEYS = ("rob", "rae", "mia", "pool")
# Every table a device syncs, and those hanging off one customer: the program's own lists.
SYNCED_TABLES = tuple(ENTITIES)
CHILD_TABLES = CUSTOMER_CHILDREN
RLS_VIOLATION = "row-level security"

# What "the data as it was" means: every row of every table in public, plus the catalog objects
# and role flags an attack could have changed. Read as the owner, who sees every row.
CATALOG_STATE = r"""
SELECT
    (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')),
    (SELECT count(*) FROM pg_proc
     WHERE pronamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)),
    (SELECT string_agg(p.oid::regprocedure::text || ':' || p.prosecdef || ':'
                       || coalesce(p.proacl::text, '') || ':' || md5(p.prosrc), ','
                       ORDER BY p.oid::regprocedure::text)
     FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace),
    (SELECT count(*) FROM pg_trigger),
    (SELECT string_agg(tgrelid::regclass::text || '.' || tgname || ':' || tgenabled::text, ','
                       ORDER BY tgrelid::regclass::text, tgname)
     FROM pg_trigger WHERE NOT tgisinternal),
    (SELECT count(*) FROM pg_type
     WHERE typnamespace NOT IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)),
    (SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace),
    (SELECT string_agg(polrelid::regclass::text || '.' || polname, ','
                       ORDER BY polrelid::regclass::text, polname) FROM pg_policy),
    (SELECT string_agg(relname || ':' || relrowsecurity || relforcerowsecurity || ':'
                       || coalesce(relacl::text, ''), ',' ORDER BY relname)
     FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'S')),
    (SELECT datacl::text FROM pg_database WHERE datname = current_database()),
    -- Cluster-wide: a role or a database an attack made (ours are all named crm_...).
    (SELECT count(*) FROM pg_roles),
    (SELECT string_agg(datname, ',' ORDER BY datname) FROM pg_database
     WHERE datname NOT LIKE 'crm\_%%'),
    (SELECT string_agg(rolname || ':' || rolcanlogin || rolsuper || rolcreaterole
                       || rolcreatedb || rolinherit || rolbypassrls || ':'
                       || coalesce(rolvaliduntil::text, ''), ',' ORDER BY rolname)
     FROM pg_roles WHERE rolname = ANY (%(roles)s)),
    (SELECT string_agg(r.rolname || '>' || m.rolname, ',' ORDER BY r.rolname, m.rolname)
     FROM pg_auth_members a JOIN pg_roles r ON r.oid = a.roleid JOIN pg_roles m ON m.oid = a.member
     WHERE r.rolname = ANY (%(roles)s) OR m.rolname = ANY (%(roles)s))
"""


@dataclass
class World:
    """The shared team, its database and the ways to check nothing changed."""

    db: CrmDatabase
    users: dict[str, str] = field(default_factory=dict)  # login -> users.id
    customers: dict[str, str] = field(default_factory=dict)  # key -> customers.id
    contacts: dict[str, str] = field(default_factory=dict)
    followups: dict[str, str] = field(default_factory=dict)
    identifiers: dict[str, str] = field(default_factory=dict)
    opportunities: dict[str, str] = field(default_factory=dict)
    lines: dict[str, str] = field(default_factory=dict)
    tasks: dict[str, str] = field(default_factory=dict)
    contracts: dict[str, str] = field(default_factory=dict)
    instalments: dict[str, str] = field(default_factory=dict)
    payments: dict[str, str] = field(default_factory=dict)
    product: str = ""
    baseline: dict[str, object] = field(default_factory=dict)
    _owner: psycopg.Connection | None = field(default=None, repr=False)
    _sessions: dict[str, psycopg.Connection] = field(default_factory=dict, repr=False)
    _digest: sql.Composable | None = field(default=None, repr=False)
    # Set when a test's last step found the world as built: the next test needn't look again.
    verified: bool = False

    def rows(self, table: str) -> dict[str, str]:
        """Row ids of one child table, keyed like `customers`."""
        return {
            "customer_identifiers": self.identifiers,
            "contacts": self.contacts,
            "opportunities": self.opportunities,
            "opportunity_lines": self.lines,
            "tasks": self.tasks,
            "followups": self.followups,
            "contracts": self.contracts,
            "contract_instalments": self.instalments,
            "payments": self.payments,
            "customers": self.customers,
        }[table]

    # -- reading back as the owner ---------------------------------------------------------

    def owner(self) -> psycopg.Connection:
        """The deployment owner's connection (kept open: the suite reads back a lot)."""
        if self._owner is None or self._owner.closed:
            self._owner = self.db.connect_admin()
        return self._owner

    @contextmanager
    def session(self, login: str) -> Iterator[psycopg.Connection]:
        """`login`'s psql session: logged in with his own password (db.connect_as), autocommit.

        Kept open between tests, like a psql someone leaves running, and reset after each use
        (DISCARD ALL: role, settings, temporary objects), so an attack starts from a clean
        session without paying for a new login and a cold backend every time.
        """
        connection = self._sessions.get(login)
        if connection is None or connection.closed or connection.broken:
            connection = self._sessions[login] = self.db.connect_as(login)
            connection.prepare_threshold = None  # DISCARD ALL drops prepared statements
        try:
            yield connection
        finally:
            try:
                if connection.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
                    connection.rollback()
                connection.execute("DISCARD ALL")
            except psycopg.Error:
                connection.close()

    def close(self) -> None:
        for connection in self._sessions.values():
            connection.close()
        self._sessions.clear()
        if self._owner is not None:
            self._owner.close()
            self._owner = None
        self._digest = None

    def fingerprint(self) -> dict[str, object]:
        connection = self.owner()
        if self._digest is None:
            tables = [
                row[0]
                for row in connection.execute(
                    # A table someone else made (an attack that got through) counts in
                    # CATALOG_STATE; the owner may not be able to read it.
                    "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                    " AND relkind IN ('r', 'p') AND has_table_privilege(oid, 'SELECT')"
                    " ORDER BY 1"
                )
            ]
            self._digest = sql.SQL(" UNION ALL ").join(
                sql.SQL(
                    "SELECT {}, count(*), md5(coalesce(string_agg(t::text, E'\\n'"
                    " ORDER BY t::text), '')) FROM {} t"
                ).format(sql.Literal(table), sql.Identifier(table))
                for table in tables
            )
        state: dict[str, object] = {
            name: (count, md5)
            for name, count, md5 in connection.execute(self._digest, prepare=True)
        }
        state["catalog"] = connection.execute(
            CATALOG_STATE, {"roles": [*LOGINS, CRM_ADMIN, "crm_users"]}, prepare=True
        ).fetchone()
        return state

    def assert_unchanged(self) -> None:
        """Every row of every table, the catalog objects and the role flags are as built."""
        after = self.fingerprint()
        changed = sorted(
            key for key in {*after, *self.baseline} if after.get(key) != self.baseline.get(key)
        )
        assert changed == [], f"the attack changed {', '.join(changed)}"
        self.verified = True

    def row(self, table: str, row_id: str) -> dict[str, object]:
        """One row, every column, as the owner reads it."""
        cursor = self.owner().execute(
            sql.SQL("SELECT * FROM {} WHERE id = %s").format(sql.Identifier(table)), (row_id,)
        )
        values = cursor.fetchone()
        assert values is not None, f"{table} {row_id} is gone"
        return dict(zip([column.name for column in cursor.description], values, strict=True))

    def owner_login(self, customer: str) -> str | None:
        """The login of the customer's owner (None: the public pool)."""
        return (
            self.owner()
            .execute(
                "SELECT u.login FROM customers c LEFT JOIN users u ON u.id = c.owner_id"
                " WHERE c.id = %s",
                (customer,),
            )
            .fetchone()[0]
        )

    def count(self, table: str) -> int:
        return (
            self.owner()
            .execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
            .fetchone()[0]
        )

    def server_now(self) -> datetime:
        return self.owner().execute("SELECT now()").fetchone()[0]

    def can_log_in(self, login: str) -> bool:
        with self.db.server.connect() as connection:  # superuser: the role flags as they are
            row = connection.execute(
                "SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", (login,)
            ).fetchone()
        return bool(row and row[0])


# -- building and rebuilding ------------------------------------------------------------------


def _populate(world: World) -> None:
    """The team and its customers, written the way `server add-user` and other systems do."""
    from crm_desktop.sync.server.admin import assign_clerk

    world.users["ada"] = world.db.add_user("ada", "admin")
    world.users["mia"] = world.db.add_user("mia", "manager")
    world.users["rob"] = world.db.add_user("rob", "rep", manager="mia")
    world.users["rae"] = world.db.add_user("rae", "rep")
    world.users["cal"] = world.db.add_user("cal", "clerk")
    with world.db.connect_admin() as connection:
        world.product = str(
            connection.execute(
                "INSERT INTO products (code, name, list_price_cents) VALUES ('P1', 'Pump', 1000)"
                " RETURNING id"
            ).fetchone()[0]
        )

        def insert(statement: str, values: tuple) -> str:
            return str(connection.execute(statement, values).fetchone()[0])

        for key in CUSTOMER_KEYS:
            owner = world.users.get(key)
            customer = insert(
                "INSERT INTO customers (name, owner_id) VALUES (%s, %s) RETURNING id",
                (f"{key} Ltd", owner),
            )
            contact = insert(
                "INSERT INTO contacts (customer_id, name) VALUES (%s, %s) RETURNING id",
                (customer, f"{key} contact"),
            )
            world.customers[key], world.contacts[key] = customer, contact
            world.followups[key] = insert(
                "INSERT INTO followups (customer_id, contact_id, text) VALUES (%s, %s, %s)"
                " RETURNING id",
                (customer, contact, f"called {key}"),
            )
            world.identifiers[key] = insert(
                "INSERT INTO customer_identifiers (customer_id, kind, value, value_key)"
                " VALUES (%s, 'tax_number', %s, %s) RETURNING id",
                (customer, f"TAX-{key}", f"tax-{key}"),
            )
            world.opportunities[key] = insert(
                "INSERT INTO opportunities (customer_id, contact_id, title, owner_id)"
                " VALUES (%s, %s, %s, %s) RETURNING id",
                (customer, contact, f"{key} deal", owner),
            )
            world.lines[key] = insert(
                "INSERT INTO opportunity_lines (opportunity_id, customer_id, product_id,"
                " quantity, unit_price_cents) VALUES (%s, %s, %s, 2, 1000) RETURNING id",
                (world.opportunities[key], customer, world.product),
            )
            world.tasks[key] = insert(
                "INSERT INTO tasks (title, customer_id, opportunity_id, assignee_id)"
                " VALUES (%s, %s, %s, %s) RETURNING id",
                (f"{key} task", customer, world.opportunities[key], owner),
            )
            world.contracts[key] = insert(
                "INSERT INTO contracts (number, customer_id, opportunity_id, amount_cents,"
                " status, owner_id) VALUES (%s, %s, %s, 200000, 'active', %s) RETURNING id",
                (f"HT-{key}", customer, world.opportunities[key], owner),
            )
            world.instalments[key] = insert(
                "INSERT INTO contract_instalments (contract_id, customer_id, due_on,"
                " amount_cents) VALUES (%s, %s, '2031-01-01', 200000) RETURNING id",
                (world.contracts[key], customer),
            )
            world.payments[key] = insert(
                "INSERT INTO payments (customer_id, contract_id, paid_on, amount_cents)"
                " VALUES (%s, %s, '2031-01-02', 50000) RETURNING id",
                (customer, world.contracts[key]),
            )
    assign_clerk(world.db.admin_dsn, "cal", "rae", datetime.now(UTC) + timedelta(days=1))


def _copy_database(server: PostgresServer, template: str) -> str:
    from crm_desktop.sync.server.schema import SECURE_DATABASE

    name = server.create_database(unique_name("crm_attack"), template, owner=CRM_ADMIN)
    # A copy does not inherit the template's database privileges: secure it as init would.
    server.execute(SECURE_DATABASE, name)
    return name


@dataclass
class SharedWorld:
    """One world per test module: built once into a template database, and copied afresh from
    it (roles reset) whenever a test left the working copy changed."""

    server: PostgresServer
    schema_template: str
    roles_before: set[str]
    databases_before: set[str]
    world: World | None = None
    world_template: str | None = None

    def fresh(self) -> World:
        world = self.world
        if world is not None and not world.verified and world.fingerprint() != world.baseline:
            self._restore()
        if self.world is None:
            self._build()
        assert self.world is not None
        self.world.verified = False
        return self.world

    def _build(self) -> None:
        self.clear()
        self.world_template = _copy_database(self.server, self.schema_template)
        built = World(CrmDatabase(self.server, self.world_template))
        _populate(built)
        built.close()
        self.world = built
        self._copy()

    def _copy(self) -> None:
        """A working copy of the world template; the baseline is the built world's state."""
        assert self.world is not None and self.world_template is not None
        self.world.close()
        self.world.db = CrmDatabase(
            self.server, _copy_database(self.server, self.world_template), self.world.db.passwords
        )
        if not self.world.baseline:
            self.world.baseline = self.world.fingerprint()

    def _restore(self) -> None:
        assert self.world is not None
        self.world.close()
        # The changed copy is left for clear(): CREATE DATABASE right after a DROP DATABASE
        # waits for a checkpoint, a new copy alone takes a tenth of a second.
        with self.server.connect() as connection:
            roles = {row[0] for row in connection.execute("SELECT rolname FROM pg_roles")}
            for name in roles - self.roles_before - set(LOGINS):
                connection.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))
            for login in LOGINS:
                connection.execute(
                    sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(
                        sql.Identifier(login), sql.Literal(self.world.db.passwords[login])
                    )
                )
        self._copy()
        if self.world.fingerprint() != self.world.baseline:
            self._build()  # something a copy does not undo (a role's membership): start over

    def clear(self) -> None:
        """Drop the databases and roles made since the module started (a failed build too)."""
        if self.world is not None:
            self.world.close()
        self.world = self.world_template = None
        for name in self.server.names("SELECT datname FROM pg_database") - self.databases_before:
            self.server.drop_database(name)
        for name in self.server.names("SELECT rolname FROM pg_roles") - self.roles_before:
            self.server.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


@pytest.fixture(scope="module")
def shared_world(pg_server: PostgresServer, crm_template: str) -> Iterator[SharedWorld]:
    shared = SharedWorld(
        pg_server,
        crm_template,
        pg_server.names("SELECT rolname FROM pg_roles"),
        pg_server.names("SELECT datname FROM pg_database"),
    )
    try:
        yield shared
    finally:
        shared.clear()


@pytest.fixture
def world(shared_world: SharedWorld) -> World:
    """The shared team as built (see the module docstring)."""
    return shared_world.fresh()
