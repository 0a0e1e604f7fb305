"""Attacks on the company letterhead (crm_company, migration 0018): everyone signed in reads it,
nobody but an administrator changes it, nobody adds or removes a row or signs a change with
another name, and nobody at all stores a letterhead a device could not print (a logo too large,
of another type, untyped, or not what its type says). Each role logs in with its own password,
as psql would."""

from __future__ import annotations

import psycopg
import pytest

from tests.server import attack_helpers
from tests.server.attack_helpers import LOGINS, RLS_VIOLATION

shared_world = attack_helpers.shared_world
world = attack_helpers.world

NOT_ADMINS = [login for login in LOGINS if login != "ada"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
LIMIT = 512 * 1024
LETTERHEAD = "SELECT id, name, logo, logo_type, updated_by FROM crm_company"


@pytest.mark.parametrize("login", LOGINS)
def test_everyone_signed_in_reads_the_one_letterhead(world, login) -> None:
    with world.session(login) as connection:
        rows = connection.execute(LETTERHEAD).fetchall()
    # Seeded by the migration with an empty name: "no letterhead set yet".
    assert rows == [(1, "", None, None, world.db.admin_login)]
    world.assert_unchanged()


@pytest.mark.parametrize(
    ("statement", "values"),
    [
        ("UPDATE crm_company SET name = %s", ("Evil Ltd",)),
        ("UPDATE crm_company SET address = %s, phone = %s", ("nowhere", "110")),
        ("UPDATE crm_company SET logo = %s, logo_type = 'image/png' WHERE id = 1", (PNG,)),
        ("UPDATE crm_company SET tax_id = tax_id", ()),
    ],
)
@pytest.mark.parametrize("login", NOT_ADMINS)
def test_only_an_admin_changes_the_letterhead(world, login, statement, values) -> None:
    with world.session(login) as connection:
        # The policy hides the row from the change: nothing is updated, nothing is signed.
        assert connection.execute(statement, values).rowcount == 0
    world.assert_unchanged()


def test_an_admin_who_sets_role_to_the_group_is_nobody(world) -> None:
    with world.session("ada") as connection:
        connection.execute("SET ROLE crm_users")
        assert connection.execute("UPDATE crm_company SET name = 'Evil Ltd'").rowcount == 0
    world.assert_unchanged()


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO crm_company (id, name) VALUES (2, 'Second Ltd')",
        "INSERT INTO crm_company (id, name) VALUES (1, 'Again Ltd')"
        " ON CONFLICT (id) DO UPDATE SET name = excluded.name",
        "DELETE FROM crm_company",
        "TRUNCATE crm_company",
        "UPDATE crm_company SET id = 2",
        "UPDATE crm_company SET updated_by = 'mia'",
        "UPDATE crm_company SET updated_at = '1970-01-01'",
        "UPDATE crm_company SET name = 'Acme', updated_by = 'rob'",
        "ALTER TABLE crm_company DISABLE ROW LEVEL SECURITY",
        "ALTER TABLE crm_company DISABLE TRIGGER crm_stamp_company",
        "DROP POLICY crm_company_change ON crm_company",
        "CREATE POLICY mine ON crm_company FOR UPDATE USING (true)",
        "SELECT crm_stamp_company()",
    ],
)
@pytest.mark.parametrize("login", LOGINS)
def test_nobody_adds_removes_or_signs_for_another(world, login, statement) -> None:
    with world.session(login) as connection, pytest.raises(psycopg.errors.InsufficientPrivilege):
        connection.execute(statement)
    world.assert_unchanged()


def test_not_even_the_owner_adds_or_removes_a_row(world) -> None:
    owner = world.owner()
    # No INSERT policy: the owner's own plain SQL meets the forced row-level security.
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match=RLS_VIOLATION):
        owner.execute("INSERT INTO crm_company (id, name) VALUES (2, 'Second Ltd')")
    owner.rollback()
    with pytest.raises(psycopg.errors.CheckViolation):
        owner.execute("UPDATE crm_company SET id = 2")
    owner.rollback()
    assert owner.execute("DELETE FROM crm_company").rowcount == 0  # no DELETE policy
    owner.commit()
    world.assert_unchanged()


@pytest.mark.parametrize(
    ("assignments", "values"),
    [
        ("logo = %s, logo_type = 'image/png'", (b"\x89PNG\r\n\x1a\n" + b"\x00" * LIMIT,)),
        ("logo = %s, logo_type = 'image/jpeg'", (b"\xff\xd8\xff" + b"\x00" * LIMIT,)),
        ("logo = %s, logo_type = 'image/svg+xml'", (b"<svg onload='alert(1)'/>",)),
        ("logo = %s, logo_type = 'image/gif'", (b"GIF89a" + b"\x00" * 16,)),
        ("logo = %s, logo_type = 'IMAGE/PNG'", (PNG,)),
        ("logo = %s, logo_type = NULL", (PNG,)),
        ("logo = NULL, logo_type = 'image/png'", ()),
        # What a type says the logo is, its own first bytes must say too.
        ("logo = %s, logo_type = 'image/png'", (JPEG,)),
        ("logo = %s, logo_type = 'image/jpeg'", (PNG,)),
        ("logo = %s, logo_type = 'image/png'", (b"#!/bin/sh\nrm -rf ~\n",)),
        ("logo = %s, logo_type = 'image/png'", (b"",)),
        ("name = %s", ("A" * 201,)),
        ("name = %s", ("Acme\nLtd",)),
        ("address = %s", ("x" * 301,)),
        ("phone = %s", ("1" * 65,)),
        ("email = %s", ("a\u0085@example.com",)),
        ("website = %s", ("w" * 301,)),
        ("tax_id = %s", ("9" * 65,)),
        ("tax_id = %s", ("91\t4403",)),
        ("name = NULL", ()),
    ],
)
def test_not_even_an_admin_stores_a_letterhead_no_quote_could_print(
    world, assignments, values
) -> None:
    statement = f"UPDATE crm_company SET {assignments}"
    with world.session("ada") as connection, pytest.raises(psycopg.errors.IntegrityError):
        connection.execute(statement, values)
    owner = world.owner()
    with pytest.raises(psycopg.errors.IntegrityError):  # a CHECK binds the owner's SQL too
        owner.execute(statement, values)
    owner.rollback()
    world.assert_unchanged()


def test_an_admins_change_is_signed_by_the_server(world) -> None:
    with world.session("ada") as connection:
        changed = connection.execute(
            "UPDATE crm_company SET name = %s, tax_id = %s, logo = %s, logo_type = 'image/png'"
            " RETURNING name, tax_id, logo, updated_by,"
            " updated_at > now() - interval '1 minute'",
            ("华强电子有限公司", "91440300MA5XXXXX1X", PNG),
        ).fetchone()
    assert changed == ("华强电子有限公司", "91440300MA5XXXXX1X", PNG, "ada", True)
    # Every other role reads it as changed, and who changed it.
    with world.session("rob") as connection:
        assert connection.execute(LETTERHEAD).fetchall() == [
            (1, "华强电子有限公司", PNG, "image/png", "ada")
        ]
    # A logo as large as allowed, a JPEG this time, and no logo again.
    largest = b"\xff\xd8\xff" + b"\x00" * (LIMIT - 3)
    with world.session("ada") as connection:
        connection.execute("UPDATE crm_company SET logo = %s, logo_type = 'image/jpeg'", (largest,))
        assert connection.execute(
            "UPDATE crm_company SET logo = NULL, logo_type = NULL RETURNING logo"
        ).fetchone() == (None,)


def test_the_owners_forged_signature_is_replaced(world) -> None:
    owner = world.owner()
    signed = owner.execute(
        "UPDATE crm_company SET name = 'Acme', updated_by = 'mia', updated_at = '1970-01-01'"
        " RETURNING updated_by, updated_at > now() - interval '1 minute'"
    ).fetchone()
    owner.commit()
    assert signed == (world.db.admin_login, True)
