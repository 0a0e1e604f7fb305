"""ownership history and claims: who had each customer, and the caps on claiming from the pool

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 17:30:00

Every change of a customer's owner is recorded in `customer_ownership`, by the server, whoever
makes it and however (the app, a device's pushed edit, plain SQL): entered, claimed from the
pool, released to it, assigned by a manager, returned to the pool, handed over. Nobody writes
that table but the server's trigger, so the history can be trusted by the rules below and by
the people reading it.

A claim (a pool customer taking an owner) is held to the rules of `crm_rules`, checked by the
server for everyone but administrators:

- `claim_per_day`: claims by one user in any 24 hours;
- `max_owned`: customers one user may own (also checked when a manager assigns one to him);
- `reclaim_block_days`: a customer that left a user (released or returned) is not claimed back
  by him within that many days.

A refusal names its rule and when the claim will be allowed (SQLSTATE 23514, check_violation,
which a device keeps as a refused change with that sentence); its DETAIL is that time in UTC
(ISO 8601), or the cap for `max_owned`, for the app to say it in the user's language. Claims
of one user are taken one at a time (a transaction-level advisory lock), so two at once cannot
both pass a cap.

Like every migration, it carries its own statements: the values below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

GROUP_ROLE = "crm_users"
SIGNED_IN = (
    "coalesce((SELECT r.rolcanlogin FROM pg_catalog.pg_roles r WHERE r.rolname = session_user),"
    " false)"
)
ADMIN = "(SELECT crm_is_admin())"
ME = "(SELECT crm_current_user_id())"
KINDS = ("entered", "claimed", "released", "assigned", "returned", "handed_over")
# Why an owner changed, as the person gave it (`SET LOCAL crm.owner_change_reason = '...'`).
REASON_SETTING = "crm.owner_change_reason"
# An administrator's own word for what his change is (`handed_over` for a handover).
KIND_SETTING = "crm.owner_change_kind"

HISTORY = f"""
CREATE TABLE customer_ownership (
    id bigserial PRIMARY KEY,
    customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,  -- erased with it
    previous_owner_id uuid REFERENCES users (id),
    owner_id uuid REFERENCES users (id),
    kind text NOT NULL CHECK (kind IN ({", ".join(f"'{kind}'" for kind in KINDS)})),
    reason text CHECK (length(reason) <= 500),
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by uuid  -- like created_by: who it was then, even if his row is gone
);
CREATE INDEX ix_customer_ownership_customer ON customer_ownership (customer_id, changed_at);
CREATE INDEX ix_customer_ownership_claims ON customer_ownership (changed_by, kind, changed_at);
CREATE INDEX ix_customer_ownership_left ON customer_ownership (previous_owner_id, customer_id);
-- Where each existing customer stands today, so the rules start from what is true now.
INSERT INTO customer_ownership (customer_id, owner_id, kind, changed_at, changed_by)
SELECT id, owner_id, 'entered', created_at, created_by FROM customers;
ALTER TABLE customer_ownership ENABLE ROW LEVEL SECURITY;
ALTER TABLE customer_ownership FORCE ROW LEVEL SECURITY;
-- A customer's history is read by those who see the customer, and a user's own part of it
-- (what he claimed, released or lost) by him.
CREATE POLICY customer_ownership_read ON customer_ownership FOR SELECT USING ({SIGNED_IN} AND (
    {ADMIN}
    OR customer_id IN (SELECT id FROM customers)
    OR changed_by = {ME}
    OR previous_owner_id = {ME}));
-- Only the owner holds INSERT (CRM roles hold SELECT alone): the trigger below writes as him.
CREATE POLICY customer_ownership_record ON customer_ownership FOR INSERT WITH CHECK (true);
REVOKE ALL ON customer_ownership FROM PUBLIC;
GRANT SELECT ON customer_ownership TO {GROUP_ROLE};
"""

# Owner rights, because no CRM role may write the history itself; it fires only on customers
# and checks so before it looks at the row (as the change-capture trigger does). Who made the
# change is the row's updated_by, which crm_stamp_row set from the login just before.
RECORD = f"""
CREATE FUNCTION crm_record_ownership() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    actor uuid;
    change text;
    asked text;
BEGIN
    IF TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' OR TG_OP NOT IN ('INSERT', 'UPDATE')
       OR TG_TABLE_SCHEMA <> 'public' OR TG_TABLE_NAME <> 'customers'
       OR TG_RELID <> 'public.customers'::regclass THEN
        RAISE EXCEPTION 'crm_record_ownership fires only on customers'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.owner_id IS NOT DISTINCT FROM OLD.owner_id THEN
        RETURN NULL;
    END IF;
    actor := NEW.updated_by;
    IF TG_OP = 'INSERT' THEN
        change := 'entered';
    ELSIF OLD.owner_id IS NULL AND NEW.owner_id = actor THEN
        change := 'claimed';
    ELSIF NEW.owner_id IS NULL AND OLD.owner_id = actor THEN
        change := 'released';
    ELSIF NEW.owner_id IS NULL THEN
        change := 'returned';
    ELSE
        change := 'assigned';
    END IF;
    -- A handover is an administrator's assignment, which he names as one.
    asked := nullif(current_setting('{KIND_SETTING}', true), '');
    IF asked = 'handed_over' AND change = 'assigned' AND (
        pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER')
        OR EXISTS (SELECT FROM public.users u
                   WHERE u.login = session_user AND u.role = 'admin' AND u.active
                     AND u.deleted_at IS NULL)) THEN
        change := 'handed_over';
    END IF;
    INSERT INTO public.customer_ownership
        (customer_id, previous_owner_id, owner_id, kind, reason, changed_by)
    VALUES (
        NEW.id,
        CASE WHEN TG_OP = 'UPDATE' THEN OLD.owner_id END,
        NEW.owner_id,
        change,
        left(nullif(current_setting('{REASON_SETTING}', true), ''), 500),
        actor
    );
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_record_ownership() FROM PUBLIC;
CREATE TRIGGER crm_record_ownership AFTER INSERT OR UPDATE OF owner_id ON customers
    FOR EACH ROW EXECUTE FUNCTION crm_record_ownership();
"""

# Invoker rights: it reads only what the caller may read (his own claims and losses, the rules,
# the customers he sees), which is all the rules need.
CLAIMS = """
CREATE FUNCTION crm_check_claim() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me uuid;
    taken bigint;
    allowed bigint;
    since timestamptz;
    left_at timestamptz;
    until timestamptz;
BEGIN
    IF NEW.owner_id IS NULL OR NEW.owner_id IS NOT DISTINCT FROM OLD.owner_id
       OR public.crm_is_admin() THEN
        RETURN NEW;
    END IF;
    me := public.crm_current_user_id();
    -- One claim or assignment of a user at a time, so no two can both slip under a cap.
    PERFORM pg_advisory_xact_lock(hashtextextended('crm_owner:' || NEW.owner_id::text, 0));
    SELECT value INTO allowed FROM public.crm_rules WHERE key = 'max_owned';
    SELECT count(*) INTO taken FROM public.customers
    WHERE owner_id = NEW.owner_id AND deleted_at IS NULL;
    IF taken >= allowed THEN
        RAISE EXCEPTION 'max_owned: % already owns % customers, the most one may own', (
            SELECT login FROM public.users WHERE id = NEW.owner_id), taken
            USING ERRCODE = 'check_violation', DETAIL = allowed::text;
    END IF;
    IF OLD.owner_id IS NOT NULL OR NEW.owner_id IS DISTINCT FROM me THEN
        RETURN NEW;  -- an assignment, not a claim: only the cap on owning applies
    END IF;
    SELECT value INTO allowed FROM public.crm_rules WHERE key = 'reclaim_block_days';
    SELECT max(changed_at) INTO left_at FROM public.customer_ownership
    WHERE customer_id = NEW.id AND previous_owner_id = me AND kind IN ('released', 'returned');
    until := left_at + make_interval(days => allowed::int);
    IF until > now() THEN
        RAISE EXCEPTION 'reclaim_block_days: it left you on %; you may claim it back from %',
            to_char(left_at, 'YYYY-MM-DD'), to_char(until, 'YYYY-MM-DD HH24:MI')
            USING ERRCODE = 'check_violation',
                  DETAIL = to_char(until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
    END IF;
    SELECT value INTO allowed FROM public.crm_rules WHERE key = 'claim_per_day';
    IF allowed = 0 THEN
        RAISE EXCEPTION 'claim_per_day: claiming customers from the pool is switched off'
            USING ERRCODE = 'check_violation', DETAIL = '';
    END IF;
    SELECT count(*), min(changed_at) INTO taken, since FROM (
        SELECT changed_at FROM public.customer_ownership
        WHERE changed_by = me AND kind = 'claimed' AND changed_at > now() - interval '1 day'
        ORDER BY changed_at DESC LIMIT allowed
    ) recent;
    IF taken >= allowed THEN
        until := coalesce(since, now()) + interval '1 day';
        RAISE EXCEPTION 'claim_per_day: % claimed in the last 24 hours; you may claim again from %',
            taken, to_char(until, 'YYYY-MM-DD HH24:MI')
            USING ERRCODE = 'check_violation',
                  DETAIL = to_char(until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
    END IF;
    RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_check_claim() FROM PUBLIC;
CREATE TRIGGER crm_check_claim BEFORE UPDATE OF owner_id ON customers
    FOR EACH ROW EXECUTE FUNCTION crm_check_claim();
"""


def upgrade() -> None:
    op.execute(HISTORY)
    op.execute(RECORD)
    op.execute(CLAIMS)


def downgrade() -> None:
    raise NotImplementedError("the hardening of the server schema is not undone")
