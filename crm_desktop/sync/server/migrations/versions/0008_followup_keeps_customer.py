"""a follow-up that happened in time keeps the customer, even when it reaches the server late

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 18:30:00

A rep travelling offline follows a customer up before its deadline; by the time his device
syncs, the server has returned the customer to the pool. When nobody has claimed it meanwhile,
his follow-up gives it back to him: had it arrived in time, the customer would never have left.
The history records that as an assignment by the server, with the reason. (When someone else
claimed it first, the claim stands and the follow-up is refused as any change to another rep's
customer is, kept in the rep's conflicts with the server's reason.)

The follow-ups' insert policy lets such a follow-up in (any other on a pool customer stays
refused), and a trigger with the owner's rights then gives the customer back: the rep may not
take a pool customer past the claim rules himself. Both ask `crm_followup_keeps`, which reads
only what the author may read.

Like every migration, it carries its own statements: the values below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# Whether a follow-up by `author` that happened at `happened` keeps `customer`: it is in the pool,
# it went there last by returning from him, and the follow-up happened in time (before the
# return, and late enough that the customer would not have been due had it arrived at once).
KEEPS = """
CREATE FUNCTION crm_followup_keeps(customer uuid, happened timestamptz, author uuid)
RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce(bool_and(
        happened <= now()
        AND happened < last.changed_at
        AND happened + make_interval(days => coalesce(
            (SELECT r.value FROM public.crm_rules r WHERE r.key = 'pool_return_days_' || c.grade),
            (SELECT r.value FROM public.crm_rules r WHERE r.key = 'pool_return_days')))
            > last.changed_at), false)
    FROM public.customers c
    JOIN LATERAL (
        SELECT h.kind, h.previous_owner_id, h.changed_at FROM public.customer_ownership h
        WHERE h.customer_id = c.id ORDER BY h.id DESC LIMIT 1
    ) last ON true
    WHERE c.id = customer AND c.owner_id IS NULL AND c.deleted_at IS NULL
      AND last.kind = 'returned' AND last.previous_owner_id = author AND author IS NOT NULL
$$;
REVOKE EXECUTE ON FUNCTION crm_followup_keeps(uuid, timestamptz, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crm_followup_keeps(uuid, timestamptz, uuid) TO crm_users;
"""

ADMIN = "(SELECT crm_is_admin())"
CHILD_WRITE = (
    f"{ADMIN} OR EXISTS (SELECT FROM customers c"
    " WHERE c.id = customer_id AND c.owner_id IS NOT NULL)"
)
# A follow-up on a pool customer is written only when it keeps the customer (0004 otherwise).
FOLLOWUP_INSERT = (
    f"{CHILD_WRITE} OR crm_followup_keeps(customer_id, happened_at, (SELECT crm_current_user_id()))"
)

# Owner rights, because the rep may not take a pool customer past the claim rules himself; it
# fires only after a follow-up is written, checks so first, and gives the customer only to the
# follow-up's author (the server set created_by from his login), only when it keeps it.
KEEP = """
CREATE FUNCTION crm_keep_followed_customer() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    reason text;
BEGIN
    IF TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' OR TG_OP <> 'INSERT'
       OR TG_TABLE_SCHEMA <> 'public' OR TG_TABLE_NAME <> 'followups'
       OR TG_RELID <> 'public.followups'::regclass THEN
        RAISE EXCEPTION 'crm_keep_followed_customer fires only on followups'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT public.crm_followup_keeps(NEW.customer_id, NEW.happened_at, NEW.created_by) THEN
        RETURN NULL;
    END IF;
    reason := current_setting('crm.owner_change_reason', true);
    PERFORM set_config('crm.owner_change_reason',
        'a follow-up of ' || to_char(NEW.happened_at, 'YYYY-MM-DD HH24:MI')
        || ' happened before the return', true);
    -- updated_by empty: the server gave it back, nobody claimed it (no claim is counted).
    UPDATE public.customers SET owner_id = NEW.created_by, updated_by = NULL
    WHERE id = NEW.customer_id AND owner_id IS NULL;
    PERFORM set_config('crm.owner_change_reason', coalesce(reason, ''), true);
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_keep_followed_customer() FROM PUBLIC;
CREATE TRIGGER crm_keep_followed_customer AFTER INSERT ON followups
    FOR EACH ROW EXECUTE FUNCTION crm_keep_followed_customer();
"""


def upgrade() -> None:
    op.execute(KEEPS)
    op.execute(f"ALTER POLICY followups_insert ON followups WITH CHECK ({FOLLOWUP_INSERT})")
    op.execute(KEEP)


def downgrade() -> None:
    raise NotImplementedError("the hardening of the server schema is not undone")
