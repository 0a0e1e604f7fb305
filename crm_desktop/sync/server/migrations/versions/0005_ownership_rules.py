"""ownership rules: the public pool's time limits and the claim caps, kept on the server

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 17:00:00

The rules that decide when a customer nobody follows up returns to the public pool, and how
many customers a rep may claim or own, are the same for everyone, so they live on the server
(`crm_rules`, one row per rule) where every signed-in user may read them and only an
administrator may change them. Each rule has a fixed name and a range its value must stay in
(CHECK constraints, so not even the owner's plain SQL can store a rule the server would then
apply wrongly). The per-grade overrides of `pool_return_days` are empty until set.

The rows always exist: changing a rule is an UPDATE, never an INSERT or a DELETE, and who last
changed it and when are set by the server.

Like every migration, it carries its own statements: the values below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

GROUP_ROLE = "crm_users"
# name -> (default, lowest, highest); a default of None is an override that is not set.
RULES = {
    "pool_return_days": (30, 1, 3650),
    "pool_return_days_A": (None, 1, 3650),
    "pool_return_days_B": (None, 1, 3650),
    "pool_return_days_C": (None, 1, 3650),
    "pool_warning_days": (3, 0, 365),
    "claim_per_day": (5, 0, 1000),
    "max_owned": (1000, 0, 1_000_000),
    "reclaim_block_days": (30, 0, 3650),
}
SIGNED_IN = (
    "coalesce((SELECT r.rolcanlogin FROM pg_catalog.pg_roles r WHERE r.rolname = session_user),"
    " false)"
)
ADMIN = "(SELECT crm_is_admin())"


def _range_check() -> str:
    cases = " ".join(
        f"WHEN '{name}' THEN value BETWEEN {low} AND {high}"
        for name, (_, low, high) in RULES.items()
    )
    return f"value IS NULL OR CASE key {cases} ELSE false END"


def _required() -> str:
    required = [name for name, (default, _, _) in RULES.items() if default is not None]
    listed = ", ".join(f"'{name}'" for name in required)
    return f"value IS NOT NULL OR key NOT IN ({listed})"


def upgrade() -> None:
    known = ", ".join(f"'{name}'" for name in RULES)
    op.execute(f"""
CREATE TABLE crm_rules (
    key text PRIMARY KEY CHECK (key IN ({known})),
    value integer CHECK ({_range_check()}),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT session_user,
    CONSTRAINT crm_rules_value_required CHECK ({_required()})
);
""")
    # Filled before row-level security is forced: no role, not even the owner, inserts later.
    for name, (default, _, _) in RULES.items():
        value = "NULL" if default is None else str(default)
        op.execute(f"INSERT INTO crm_rules (key, value) VALUES ('{name}', {value})")
    op.execute(f"""
ALTER TABLE crm_rules ENABLE ROW LEVEL SECURITY;
ALTER TABLE crm_rules FORCE ROW LEVEL SECURITY;
CREATE POLICY crm_rules_read ON crm_rules FOR SELECT USING ({SIGNED_IN});
CREATE POLICY crm_rules_change ON crm_rules FOR UPDATE USING ({ADMIN}) WITH CHECK ({ADMIN});

-- Who changed a rule and when is the server's to say, for the owner's plain SQL too.
CREATE FUNCTION crm_stamp_rule() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NEW.key IS DISTINCT FROM OLD.key THEN
        RAISE EXCEPTION 'a rule cannot be renamed' USING ERRCODE = 'insufficient_privilege';
    END IF;
    NEW.updated_at := now();
    NEW.updated_by := session_user;
    RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_stamp_rule() FROM PUBLIC;
CREATE TRIGGER crm_stamp_rule BEFORE UPDATE ON crm_rules
    FOR EACH ROW EXECUTE FUNCTION crm_stamp_rule();

REVOKE ALL ON crm_rules FROM PUBLIC;
GRANT SELECT, UPDATE (value) ON crm_rules TO {GROUP_ROLE};
""")


def downgrade() -> None:
    raise NotImplementedError("the hardening of the server schema is not undone")
