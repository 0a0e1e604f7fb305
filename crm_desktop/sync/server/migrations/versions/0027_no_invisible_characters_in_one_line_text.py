"""no invisible characters in one-line text

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-01 16:00:00

The CHECKs on one-line text (names, phones, numbers, codes) refused control characters only.
Characters that show nothing were let in: zero-width spaces and joiners, marks of direction,
the bidirectional embeddings, overrides and isolates, invisible operators, the byte order mark.
A name copied from a chat or a web page brings them along; two customers named 华为, one of
them with a zero-width space in it, then look the same and are not found as one; and a right-to-left
override makes a name read, in every list, as another one (a rep with psql could have named a
customer so that it showed as a colleague's).

The devices take these characters out of what a user types or imports (models/rules.py); the
server now refuses them in every one-line text column. Long text (notes, follow-ups) keeps them:
an emoji's joiner, right-to-left script in a note.

A value already holding one is repaired first and its old value kept in server_repairs, as
0003 did: the characters are taken out. Where that would leave the value blank, or where the
column is unique (a product's code, an office's name, a contract's number, the keys of other
systems) and taking them out could make two values one, each is replaced by U+FFFD (�)
instead, which shows where it was.

Like every migration, it carries its own statements: the columns are listed here, as they were.
"""

from __future__ import annotations

from alembic import op

revision = "0027"
down_revision = "0026"
branch_labels = None
depends_on = None

INVISIBLE = r"[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
SHOWN = "\ufffd"
# Every column with a one-line text CHECK (ck_<table>_<column>_text) at revision 0026.
ONE_LINE_TEXT = {
    "users": ("name",),
    "offices": ("name",),
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
        "external_ref",
        "grade_note",
    ),
    "customer_identifiers": ("value", "value_key"),
    "contacts": ("name", "title", "phone", "mobile", "email", "messaging_id"),
    "products": ("code", "name", "unit"),
    "opportunities": ("title", "close_reason"),
    "tasks": ("title",),
    "contracts": ("number", "renewal_note", "external_ref"),
    "contract_instalments": ("note",),
    "payments": ("reference", "external_ref"),
    "crm_company": ("name", "address", "phone", "email", "website", "tax_id"),
}
# The ones among them a unique index holds (0001, 0010, 0014).
UNIQUE = {
    ("offices", "name"),
    ("products", "code"),
    ("contracts", "number"),
    ("contracts", "external_ref"),
    ("payments", "external_ref"),
    ("customers", "external_ref"),
}
REASON = "ck_one_line_visible"
# server_repairs names a row by its uuid; the letterhead is the one row of crm_company (id 1),
# and an empty letterhead field is "not set", never blank by mistake.
LETTERHEAD = "crm_company"
LETTERHEAD_ROW = "'00000000-0000-0000-0000-000000000001'::uuid"


def _repaired(table: str, column: str) -> str:
    removed = f"btrim(regexp_replace({column}, '{INVISIBLE}', '', 'g'))"
    shown = f"regexp_replace({column}, '{INVISIBLE}', '{SHOWN}', 'g')"
    if (table, column) in UNIQUE:
        return shown
    if table == LETTERHEAD:
        return removed
    return f"CASE WHEN {removed} = '' THEN {shown} ELSE {removed} END"


def upgrade() -> None:
    for table, columns in ONE_LINE_TEXT.items():
        for column in columns:
            bad = f"{column} ~ '{INVISIBLE}'"
            fixed = _repaired(table, column)
            row_id = LETTERHEAD_ROW if table == LETTERHEAD else "id"
            op.execute(
                "INSERT INTO server_repairs"
                " (table_name, row_id, column_name, old_value, new_value, reason)"
                f" SELECT '{table}', {row_id}, '{column}', {column}::text, ({fixed})::text,"
                f" '{REASON}' FROM {table} WHERE {bad}"
            )
            op.execute(f"UPDATE {table} SET {column} = {fixed} WHERE {bad}")
            op.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT ck_{table}_{column}_visible"
                f" CHECK ({column} !~ '{INVISIBLE}')"
            )


def downgrade() -> None:
    for table, columns in ONE_LINE_TEXT.items():
        for column in columns:
            op.execute(f"ALTER TABLE {table} DROP CONSTRAINT ck_{table}_{column}_visible")
