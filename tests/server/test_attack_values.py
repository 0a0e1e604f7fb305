"""Attacks with values no screen allows (grade Z, probability 1000, control characters) and with
the audit columns (pretending someone else made a change, or dating it to 1970)."""

from __future__ import annotations

from datetime import datetime, timedelta

import psycopg
import pytest
from psycopg import sql

from tests.server import attack_helpers

shared_world = attack_helpers.shared_world
world = attack_helpers.world

MAX_MONEY = 10**14
FORGED_CREATED_AT = datetime.fromisoformat("1970-01-01T00:00:00+00:00")
FORGED_UPDATED_AT = datetime.fromisoformat("2099-01-01T00:00:00+00:00")
CLOSE = timedelta(seconds=5)

# Who writes each table in these tests: the admin writes users, a manager products, the rep
# rob everything hanging off his own customer.
WRITER = {"users": "ada", "products": "mia"}
# A column each test may change for real.
SOME_CHANGE = {
    "users": ("name", "Robert"),
    "products": ("name", "Big pump"),
    "customers": ("name", "Rob & Co"),
    "customer_identifiers": ("value", "TAX-2"),
    "contacts": ("name", "Someone else"),
    "opportunities": ("title", "Bigger deal"),
    "opportunity_lines": ("quantity", 3),
    "tasks": ("title", "Call back"),
    "followups": ("text", "called again"),
    "contracts": ("renewal_status", "renewing"),
    "contract_instalments": ("amount_cents", 150000),
    "payments": ("reference", "ICBC 2"),
}


def writer(table: str) -> str:
    return WRITER.get(table, "rob")


def row_of(world, table: str) -> str:
    """The row of `table` the writer of it changes: rob's, or the product."""
    if table == "users":
        return world.users["rob"]
    if table == "products":
        return world.product
    return world.rows(table)["rob"]


def new_row(world, table: str) -> dict[str, object]:
    """The fewest columns a new row of `table` needs, hanging off rob's customer."""
    customer, deal = world.customers["rob"], world.opportunities["rob"]
    return {
        "users": {"login": "eve", "name": "Eve", "role": "rep"},
        "products": {"code": "P2", "name": "Valve"},
        "customers": {"name": "New Ltd", "owner_id": world.users["rob"]},
        "customer_identifiers": {
            "customer_id": customer,
            "kind": "other",
            "value": "X-1",
            "value_key": "x-1",
        },
        "contacts": {"customer_id": customer, "name": "New contact"},
        "opportunities": {"customer_id": customer, "title": "New deal"},
        "opportunity_lines": {
            "opportunity_id": deal,
            "customer_id": customer,
            "product_id": world.product,
        },
        "tasks": {"title": "New task", "customer_id": customer},
        "followups": {"customer_id": customer, "text": "New note"},
        "contracts": {"number": "HT-new", "customer_id": customer},
        "contract_instalments": {
            "contract_id": world.contracts["rob"],
            "customer_id": customer,
            "due_on": "2031-03-01",
        },
        "payments": {"customer_id": customer, "paid_on": "2031-03-01", "amount_cents": 100},
    }[table]


def insert(table: str, values: dict[str, object], returning: str = "id") -> sql.Composed:
    return sql.SQL("INSERT INTO {} ({}) VALUES ({}) RETURNING {}").format(
        sql.Identifier(table),
        sql.SQL(", ").join(map(sql.Identifier, values)),
        sql.SQL(", ").join(map(sql.Placeholder, values)),
        sql.SQL(returning),
    )


def update(table: str, values: dict[str, object], returning: str = "id") -> sql.Composed:
    return sql.SQL("UPDATE {} SET {} WHERE id = %(row)s RETURNING {}").format(
        sql.Identifier(table),
        sql.SQL(", ").join(
            sql.SQL("{} = {}").format(sql.Identifier(column), sql.Placeholder(column))
            for column in values
        ),
        sql.SQL(returning),
    )


# -- values out of range ----------------------------------------------------------------------

BAD_VALUES = [
    ("customers", "grade", "Z"),
    ("customers", "grade", "a"),
    ("customers", "grade", ""),
    ("customers", "kind", "alien"),
    ("customer_identifiers", "kind", "x"),
    ("opportunities", "stage", "hacked"),
    ("tasks", "priority", "urgent"),
    ("followups", "kind", "alien"),
    ("users", "role", "superadmin"),
    ("opportunities", "probability", 1000),
    ("opportunities", "probability", -1),
    ("opportunities", "amount_cents", -9200000000000000000),
    ("opportunities", "amount_cents", -1),
    ("opportunities", "amount_cents", MAX_MONEY + 1),
    ("opportunity_lines", "quantity", float("nan")),
    ("opportunity_lines", "quantity", float("inf")),
    ("opportunity_lines", "quantity", float("-inf")),
    ("opportunity_lines", "quantity", -1),
    ("opportunity_lines", "quantity", 1e10),
    ("opportunity_lines", "unit_price_cents", -1),
    ("opportunity_lines", "unit_price_cents", MAX_MONEY + 1),
    ("products", "list_price_cents", -1),
    ("products", "list_price_cents", MAX_MONEY + 1),
    ("opportunity_lines", "discount_percent", 101),
    ("opportunity_lines", "discount_percent", -5),
    ("contracts", "kind", "loan"),
    ("contracts", "status", "signed"),
    ("contracts", "renewal_status", "maybe"),
    ("contracts", "amount_cents", -1),
    ("contracts", "amount_cents", MAX_MONEY + 1),
    ("contracts", "number", " "),
    ("contracts", "end_on", "1899-12-31"),
    ("contract_instalments", "amount_cents", -100),
    ("contract_instalments", "due_on", "infinity"),
    ("payments", "amount_cents", 0),
    ("payments", "amount_cents", -100),
    ("payments", "amount_cents", MAX_MONEY + 1),
    ("payments", "method", "bitcoin"),
    ("payments", "paid_on", "-infinity"),
]
BAD_VALUE_IDS = [f"{table}.{column}={value!r}" for table, column, value in BAD_VALUES]


@pytest.mark.parametrize("table, column, value", BAD_VALUES, ids=BAD_VALUE_IDS)
def test_a_value_out_of_range_is_refused(world, table, column, value) -> None:
    row = row_of(world, table)
    before = world.row(table, row)
    with world.session(writer(table)) as connection:
        with pytest.raises(psycopg.errors.CheckViolation):
            connection.execute(update(table, {column: value}), {column: value, "row": row})
        values = {**new_row(world, table), column: value}
        with pytest.raises(psycopg.errors.CheckViolation):
            connection.execute(insert(table, values), values)
    assert world.row(table, row) == before
    world.assert_unchanged()


ONE_LINE_TEXT = {
    "users": ("name",),
    "customers": (
        "name",
        "short_name",
        "industry",
        "source",
        "address",
        "phone",
        "phone2",
        "email",
        "website",
    ),
    "customer_identifiers": ("value", "value_key"),
    "contacts": ("name", "title", "phone", "mobile", "email", "messaging_id"),
    "products": ("code", "name", "unit"),
    "opportunities": ("title", "close_reason"),
    "tasks": ("title",),
    "contracts": ("number", "renewal_note", "external_ref"),
    "contract_instalments": ("note",),
    "payments": ("reference", "external_ref"),
}
LONG_TEXT = {
    "customers": ("notes",),
    "contacts": ("notes",),
    "opportunities": ("notes",),
    "tasks": ("notes",),
    "followups": ("text", "promise", "next_step"),
    "contracts": ("notes",),
    "payments": ("notes",),
}
ONE_LINE_CASES = [
    *[(table, column, "\x1b[2J") for table, columns in ONE_LINE_TEXT.items() for column in columns],
    *[
        ("customers", "name", f"Rob{char}Ltd")
        for char in ("\x01", "\t", "\n", "\r", "\x7f", "\x85", "\x9f")
    ],
]
LONG_TEXT_CASES = [
    *[(table, column, "ring\x07") for table, columns in LONG_TEXT.items() for column in columns],
    *[("customers", "notes", f"a{char}b") for char in ("\x01", "\x0b", "\x0c", "\x7f", "\x85")],
]


@pytest.mark.parametrize(
    "table, column, text",
    [*ONE_LINE_CASES, *LONG_TEXT_CASES],
    ids=[
        f"{table}.{column}={text!r}" for table, column, text in [*ONE_LINE_CASES, *LONG_TEXT_CASES]
    ],
)
def test_a_control_character_is_refused(world, table, column, text) -> None:
    row = row_of(world, table)
    before = world.row(table, row)
    with (
        world.session(writer(table)) as connection,
        pytest.raises(psycopg.errors.CheckViolation, match=f"ck_{table}_{column}_"),
    ):
        connection.execute(update(table, {column: text}), {column: text, "row": row})
    assert world.row(table, row) == before
    world.assert_unchanged()


def test_a_nul_cannot_even_be_sent(world) -> None:
    with world.session("rob") as connection:
        with pytest.raises(psycopg.DataError):
            connection.execute(
                "UPDATE customers SET name = %s WHERE id = %s",
                ("Rob\x00Ltd", world.customers["rob"]),
            )
        with pytest.raises(psycopg.errors.ProgramLimitExceeded):  # nor made on the server
            connection.execute(
                "UPDATE customers SET name = 'Rob' || chr(0) WHERE id = %s",
                (world.customers["rob"],),
            )
    world.assert_unchanged()


@pytest.mark.parametrize(
    "table, column", [(table, column) for table, columns in LONG_TEXT.items() for column in columns]
)
def test_tab_and_line_ends_are_fine_in_long_text(world, table, column) -> None:
    text = "first\tline\nsecond line\r\nthird, as Windows writes it"
    with world.session("rob") as connection, connection.transaction():
        stored = connection.execute(
            update(table, {column: text}, returning=column),
            {column: text, "row": row_of(world, table)},
        ).fetchone()
        assert stored == (text,)
        raise psycopg.Rollback
    world.assert_unchanged()


def test_a_note_cannot_fill_the_disk(world) -> None:
    from crm_desktop.models.limits import MAX_LONG_TEXT

    row = world.customers["rob"]
    with (
        world.session("rob") as connection,
        pytest.raises(psycopg.errors.CheckViolation, match="ck_customers_notes_length"),
    ):
        connection.execute(
            "UPDATE customers SET notes = repeat('x', %s) WHERE id = %s", (MAX_LONG_TEXT + 1, row)
        )
    world.assert_unchanged()


# -- the audit columns ------------------------------------------------------------------------


def forged_audit(world, someone: str) -> dict[str, object]:
    return {
        "created_by": world.users[someone],
        "created_at": FORGED_CREATED_AT,
        "updated_by": world.users[someone],
        "updated_at": FORGED_UPDATED_AT,
    }


AUDIT_RETURNING = (
    "created_by::text, updated_by::text, created_at = now(), updated_at = now(), deleted_at"
)

# (login, table, owner of the new customer)
INSERTERS = [
    ("rob", "customers"),
    ("mia", "customers"),
    ("cal", "customers"),
    ("ada", "customers"),
    *[("rob", table) for table in attack_helpers.CHILD_TABLES],
    ("ada", "users"),
    ("mia", "products"),
]
CUSTOMER_OWNER = {"rob": "rob", "mia": "mia", "cal": "rae", "ada": "rae"}


@pytest.mark.parametrize("login, table", INSERTERS)
def test_a_new_rows_audit_is_the_servers(world, login, table) -> None:
    values = {**new_row(world, table), **forged_audit(world, "ada" if login != "ada" else "rob")}
    values["deleted_at"] = FORGED_UPDATED_AT  # a delete dated later is dated now
    if table == "customers":
        values["owner_id"] = world.users[CUSTOMER_OWNER[login]]
    with world.session(login) as connection, connection.transaction():
        stored = connection.execute(insert(table, values, AUDIT_RETURNING), values).fetchone()
        now = connection.execute("SELECT now()").fetchone()[0]
        assert stored == (world.users[login], world.users[login], True, True, now)
        raise psycopg.Rollback
    world.assert_unchanged()


def named_author(world, login: str, table: str, author: str) -> dict[str, object]:
    """A new row of `table` by `login` that names `author` as its writer, with no times: the
    server's own times, as a push's batch sends it."""
    values = {**new_row(world, table), "created_by": author, "updated_by": author}
    if table == "customers":
        values["owner_id"] = world.users[CUSTOMER_OWNER[login]]
    return values


@pytest.mark.parametrize("login, table", INSERTERS)
def test_a_new_row_may_name_its_own_author(world, login, table) -> None:
    """Server 0032: a row that names its writer goes in as named, without a lookup per row."""
    me = world.users[login]
    values = named_author(world, login, table, me)
    with world.session(login) as connection, connection.transaction():
        stored = connection.execute(insert(table, values, AUDIT_RETURNING), values).fetchone()
        assert stored == (me, me, True, True, None)
        raise psycopg.Rollback
    world.assert_unchanged()


@pytest.mark.parametrize("login, table", INSERTERS)
def test_a_new_row_cannot_name_another_author(world, login, table) -> None:
    """The row the server would take as it is, but naming someone else: refused (a row with
    times of its own is stamped anew instead, see test_a_new_rows_audit_is_the_servers)."""
    values = named_author(world, login, table, world.users["ada" if login != "ada" else "rob"])
    with (
        world.session(login) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"),
    ):
        connection.execute(insert(table, values), values)
    world.assert_unchanged()


def test_one_row_naming_another_author_refuses_the_whole_statement(world) -> None:
    """A push's batch is one statement: a row in it naming someone else refuses all of it."""
    rob, ada = world.users["rob"], world.users["ada"]
    with (
        world.session("rob") as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"),
    ):
        connection.execute(
            "INSERT INTO customers (name, owner_id, created_by, updated_by) VALUES"
            " ('Mine Ltd', %(rob)s, %(rob)s, %(rob)s), ('Hers Ltd', %(rob)s, %(ada)s, %(ada)s)",
            {"rob": rob, "ada": ada},
        )
    world.assert_unchanged()


@pytest.mark.parametrize(
    "statement",
    [
        # MERGE inserts through the same check.
        "MERGE INTO customers t USING (SELECT gen_random_uuid() AS id) s ON t.id = s.id"
        " WHEN NOT MATCHED THEN INSERT (id, name, owner_id, created_by, updated_by)"
        " VALUES (s.id, 'Merged Ltd', %(rob)s, %(ada)s, %(ada)s)",
        # An upsert is checked as an insert before the conflict is found, row there or not.
        "INSERT INTO customers (id, name, owner_id, created_by, updated_by)"
        " VALUES (%(existing)s, 'Upsert Ltd', %(rob)s, %(ada)s, %(ada)s)"
        " ON CONFLICT (id) DO UPDATE SET name = 'Upsert Ltd'",
    ],
    ids=["merge", "upsert"],
)
def test_no_other_way_in_names_another_author(world, statement) -> None:
    values = {"rob": world.users["rob"], "ada": world.users["ada"]}
    values["existing"] = world.customers["rob"]
    with (
        world.session("rob") as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"),
    ):
        connection.execute(statement, values)
    world.assert_unchanged()


def test_the_owner_may_name_any_author(world) -> None:
    """Contrast: the deployment owner's plain SQL keeps the author it names."""
    ada = world.users["ada"]
    values = named_author(world, "rob", "customers", ada)
    with world.owner().transaction():
        stored = world.owner().execute(insert("customers", values, AUDIT_RETURNING), values)
        assert stored.fetchone() == (ada, ada, True, True, None)
        raise psycopg.Rollback
    world.assert_unchanged()


@pytest.mark.parametrize("table", SOME_CHANGE)
def test_an_updates_audit_is_the_servers(world, table) -> None:
    login = writer(table)
    row = row_of(world, table)
    before = world.row(table, row)
    column, value = SOME_CHANGE[table]
    values = {column: value, **forged_audit(world, "cal")}
    with world.session(login) as connection, connection.transaction():
        stored = connection.execute(
            update(table, values, "created_by, created_at, updated_by::text, updated_at = now()"),
            {**values, "row": row},
        ).fetchone()
        assert stored == (before["created_by"], before["created_at"], world.users[login], True)
        raise psycopg.Rollback
    world.assert_unchanged()


@pytest.mark.parametrize("table", SOME_CHANGE)
def test_a_rows_id_never_changes(world, table) -> None:
    row = row_of(world, table)
    with (
        world.session(writer(table)) as connection,
        pytest.raises(psycopg.errors.InsufficientPrivilege, match=r"id of a \w+ cannot change"),
    ):
        connection.execute(
            sql.SQL("UPDATE {} SET id = gen_random_uuid() WHERE id = %s").format(
                sql.Identifier(table)
            ),
            (row,),
        )
    assert world.row(table, row)["id"] is not None
    world.assert_unchanged()


@pytest.mark.parametrize("table", SOME_CHANGE)
def test_a_delete_dated_later_is_dated_now(world, table) -> None:
    with world.session(writer(table)) as connection, connection.transaction():
        stored = connection.execute(
            update(table, {"deleted_at": FORGED_UPDATED_AT}, "deleted_at = now()"),
            {"deleted_at": FORGED_UPDATED_AT, "row": row_of(world, table)},
        ).fetchone()
        assert stored == (True,)
        raise psycopg.Rollback
    world.assert_unchanged()


def test_forged_audit_of_a_rep_is_replaced_once_committed(world) -> None:
    """The same, committed, and read back as the owner."""
    values = {
        "name": "Forged Ltd",
        "owner_id": world.users["rob"],
        **forged_audit(world, "ada"),
        "deleted_at": FORGED_UPDATED_AT,
    }
    with world.session("rob") as connection:
        new_id = connection.execute(insert("customers", values), values).fetchone()[0]
    stored = world.row("customers", str(new_id))
    now = world.server_now()
    assert str(stored["created_by"]) == str(stored["updated_by"]) == world.users["rob"]
    for column in ("created_at", "updated_at", "deleted_at"):
        assert abs(stored[column] - now) < CLOSE, column

    existing = world.customers["rob"]
    before = world.row("customers", existing)
    with world.session("rob") as connection:
        connection.execute(
            update("customers", {"grade": "A", **forged_audit(world, "rae")}),
            {"grade": "A", **forged_audit(world, "rae"), "row": existing},
        )
    after = world.row("customers", existing)
    assert (after["grade"], after["created_by"], after["created_at"]) == (
        "A",
        before["created_by"],
        before["created_at"],
    )
    assert str(after["updated_by"]) == world.users["rob"]
    assert abs(after["updated_at"] - world.server_now()) < CLOSE


def test_the_owners_plain_sql_keeps_the_audit_it_sets(world) -> None:
    """Contrast: other systems write as the owner and keep their values."""
    values = {"name": "ERP Ltd", "owner_id": world.users["rob"], **forged_audit(world, "ada")}
    new_id = world.owner().execute(insert("customers", values), values).fetchone()[0]
    stored = world.row("customers", str(new_id))
    assert (stored["created_at"], stored["updated_at"]) == (FORGED_CREATED_AT, FORGED_UPDATED_AT)
    assert str(stored["created_by"]) == str(stored["updated_by"]) == world.users["ada"]

    later = {
        "grade": "B",
        "created_by": world.users["mia"],
        "created_at": FORGED_CREATED_AT + timedelta(days=1),
        "updated_by": world.users["mia"],
        "updated_at": FORGED_UPDATED_AT - timedelta(days=1),
    }
    world.owner().execute(update("customers", later), {**later, "row": str(new_id)})
    stored = world.row("customers", str(new_id))
    assert {column: stored[column] for column in later} == {
        **later,
        "created_by": stored["created_by"],
        "updated_by": stored["updated_by"],
    }
    assert str(stored["created_by"]) == str(stored["updated_by"]) == world.users["mia"]


# Times no device can hold: the pull reads them as text (to_char), where 'infinity' becomes
# NULL (a follow-up's NOT NULL happened_at on the device) and year 10000 is no Python datetime,
# so one such value from a rep would stop his manager's sync.
IMPOSSIBLE_TIMES = ("infinity", "-infinity", "10000-01-01 00:00:00+00")
TIME_COLUMNS = [
    ("customers", "last_followup_at"),
    ("customers", "next_followup_at"),
    ("customers", "deleted_at"),
    ("opportunities", "expected_close"),
    ("opportunities", "closed_at"),
    ("tasks", "due_at"),
    ("tasks", "done_at"),
    ("followups", "happened_at"),
    ("followups", "next_step_at"),
]


@pytest.mark.parametrize("table, column", TIME_COLUMNS)
def test_a_time_no_device_can_hold_is_refused(world, table, column) -> None:
    row = row_of(world, table)
    before = world.row(table, row)
    with world.session("rob") as connection:
        # A delete dated later is dated now (tested above): only the distant past is left.
        values = ("-infinity",) if column == "deleted_at" else IMPOSSIBLE_TIMES
        for value in values:
            if column == "expected_close":  # a date
                value = value.removesuffix(" 00:00:00+00")
            with pytest.raises(psycopg.errors.CheckViolation):
                connection.execute(
                    sql.SQL("UPDATE {} SET {} = %s WHERE id = %s").format(
                        sql.Identifier(table), sql.Identifier(column)
                    ),
                    (value, row),
                )
    assert world.row(table, row) == before
    world.assert_unchanged()
