"""company letterhead: the header and logo an administrator sets, printed on every quote

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-30 12:00:00

Quotes printed as PDF carry the company's name, address, phone, email, website, tax number and
logo. Every device must print the same, so they live on the server, in `crm_company`, one row
(id 1) that always exists: setting the letterhead is an UPDATE, never an INSERT or a DELETE, like
the pool's rules (0005). The row starts with an empty name, which the devices read as "no
letterhead set yet". Each sync reads the row whole (it is not in the change log: one row).

- Every signed-in CRM user reads it; only an administrator (`crm_is_admin()`: a CRM user whose
  role is admin, or the tables' owner) updates it (a policy). CRM roles hold UPDATE on the
  letterhead's own columns alone, and no INSERT, DELETE or TRUNCATE at all; the owner's plain
  SQL meets the same policies (FORCE), which have no INSERT or DELETE policy.
- Who changed it and when is the server's to say: `crm_stamp_company` (caller's rights, like
  `crm_stamp_rule`) sets `updated_at` and `updated_by` on every update, the owner's too.
- What a device will print is held to what a quote can take: one-line text (no control
  characters) of bounded length, and a logo of at most 512 KiB that is a PNG or a JPEG by its
  own first bytes, with its type stated, or no logo and no type.

Like every migration, it carries its own statements: the values below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

GROUP_ROLE = "crm_users"
# C0 controls, DEL and C1 controls: nothing a person types into a one-line field (0003).
ONE_LINE_CONTROLS = r"[\u0001-\u001f\u007f-\u009f]"
SIGNED_IN = (
    "coalesce((SELECT r.rolcanlogin FROM pg_catalog.pg_roles r WHERE r.rolname = session_user),"
    " false)"
)
ADMIN = "(SELECT crm_is_admin())"
# The letterhead's text columns and the most characters each may hold (a copy of
# sync/server/admin.py's LETTERHEAD_LIMITS at this revision).
TEXTS = {
    "name": 200,
    "address": 300,
    "phone": 64,
    "email": 254,
    "website": 300,
    "tax_id": 64,
}
MAX_LOGO_BYTES = 512 * 1024
# Each image type by the first bytes of its file: PNG's 8-byte signature, JPEG's SOI marker and
# the first byte of the next marker. A logo labelled PNG that is something else (an SVG, a
# program) never reaches the image decoders of every device.
MAGIC = {
    "image/png": "89504e470d0a1a0a",
    "image/jpeg": "ffd8ff",
}


def _text_checks() -> str:
    return ",\n".join(
        f"    CONSTRAINT ck_crm_company_{column}_length CHECK (char_length({column}) <= {limit}),\n"
        f"    CONSTRAINT ck_crm_company_{column}_text CHECK ({column} !~ '{ONE_LINE_CONTROLS}')"
        for column, limit in TEXTS.items()
    )


def _logo_checks() -> str:
    types = ", ".join(f"'{kind}'" for kind in MAGIC)
    signatures = " ".join(
        f"WHEN '{kind}' THEN substring(logo FROM 1 FOR {len(signature) // 2})"
        f" = decode('{signature}', 'hex')"
        for kind, signature in MAGIC.items()
    )
    return f"""
    CONSTRAINT ck_crm_company_logo_size CHECK (octet_length(logo) <= {MAX_LOGO_BYTES}),
    CONSTRAINT ck_crm_company_logo_type CHECK (logo_type IN ({types})),
    CONSTRAINT ck_crm_company_logo_typed CHECK ((logo IS NULL) = (logo_type IS NULL)),
    CONSTRAINT ck_crm_company_logo_signature CHECK (
        logo IS NULL OR CASE logo_type {signatures} ELSE false END)"""


def upgrade() -> None:
    optional = "\n".join(f"    {column} text," for column in TEXTS if column != "name")
    op.execute(f"""
CREATE TABLE crm_company (
    id smallint PRIMARY KEY DEFAULT 1 CHECK (id = 1),
    name text NOT NULL DEFAULT '',
{optional}
    logo bytea,
    logo_type text,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT session_user,
{_text_checks()},{_logo_checks()}
);
""")
    # Filled before row-level security is forced: no role, not even the owner, inserts later.
    op.execute("INSERT INTO crm_company (id, name) VALUES (1, '')")
    text_columns = ", ".join(TEXTS)
    op.execute(f"""
ALTER TABLE crm_company ENABLE ROW LEVEL SECURITY;
ALTER TABLE crm_company FORCE ROW LEVEL SECURITY;
CREATE POLICY crm_company_read ON crm_company FOR SELECT USING ({SIGNED_IN});
CREATE POLICY crm_company_change ON crm_company FOR UPDATE USING ({ADMIN}) WITH CHECK ({ADMIN});

-- Who changed the letterhead and when is the server's to say, for the owner's plain SQL too.
-- Caller's rights: it only writes the row being updated, which the caller may already change.
CREATE FUNCTION crm_stamp_company() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    NEW.updated_at := now();
    NEW.updated_by := session_user;
    RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_stamp_company() FROM PUBLIC;
CREATE TRIGGER crm_stamp_company BEFORE UPDATE ON crm_company
    FOR EACH ROW EXECUTE FUNCTION crm_stamp_company();

REVOKE ALL ON crm_company FROM PUBLIC;
GRANT SELECT, UPDATE ({text_columns}, logo, logo_type) ON crm_company TO {GROUP_ROLE};
""")


def downgrade() -> None:
    raise NotImplementedError("the hardening of the server schema is not undone")
