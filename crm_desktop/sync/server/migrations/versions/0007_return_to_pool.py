"""return to the pool: customers nobody followed up go back to the public pool, by the server

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 18:00:00

A customer is due back in the pool `pool_return_days` (or its grade's override) after the later
of its last follow-up and the day its owner got it. The time of a follow-up is when it
*happened*, as the rep logged it, not when it reached the server: a follow-up logged offline
before the deadline keeps the customer. A follow-up dated in the future does not count.

`crm_pool_due_at(customer, owner, grade)` says when; `crm_return_due_customers()` returns every
customer that is due among those the caller may change (a rep his own, a manager his team's,
an administrator all of them) and says how many. It runs with the caller's rights, so it can do
nothing the caller could not do with plain SQL; the ownership history records each as
`returned` (the server checks it is due; releasing a customer that is not due stays a release).

Like every migration, it carries its own statements: the values below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

GROUP_ROLE = "crm_users"

DUE = f"""
-- When a customer held by `owner` is due back in the pool (NULL: never, e.g. no owner).
CREATE FUNCTION crm_pool_due_at(customer uuid, owner uuid, grade text) RETURNS timestamptz
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT greatest(
        (SELECT max(f.happened_at) FROM public.followups f
         WHERE f.customer_id = customer AND f.deleted_at IS NULL AND f.happened_at <= now()),
        (SELECT max(h.changed_at) FROM public.customer_ownership h
         WHERE h.customer_id = customer AND h.owner_id = owner)
    ) + make_interval(days => coalesce(
        (SELECT r.value FROM public.crm_rules r WHERE r.key = 'pool_return_days_' || grade),
        (SELECT r.value FROM public.crm_rules r WHERE r.key = 'pool_return_days')))
    WHERE owner IS NOT NULL
$$;

CREATE FUNCTION crm_return_due_customers() RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    returned integer;
    days integer;
    days_a integer;
    days_b integer;
    days_c integer;
BEGIN
    -- A clerk hands no customer anywhere, the pool included.
    IF coalesce(public.crm_current_role(), 'clerk') = 'clerk' THEN
        RETURN 0;
    END IF;
    SELECT max(value) FILTER (WHERE key = 'pool_return_days'),
           max(value) FILTER (WHERE key = 'pool_return_days_A'),
           max(value) FILTER (WHERE key = 'pool_return_days_B'),
           max(value) FILTER (WHERE key = 'pool_return_days_C')
    INTO days, days_a, days_b, days_c
    FROM public.crm_rules;
    -- One statement over all of them (not crm_pool_due_at per customer), the last follow-up
    -- and the owner's start of every customer gathered in one pass each: the tables' policies
    -- are evaluated once, and the cost is a few hash joins, not lookups per customer.
    UPDATE public.customers c SET owner_id = NULL
    FROM (
        SELECT k.id
        FROM public.customers k
        LEFT JOIN (
            SELECT f.customer_id, max(f.happened_at) AS at FROM public.followups f
            WHERE f.deleted_at IS NULL AND f.happened_at <= now() GROUP BY f.customer_id
        ) followed ON followed.customer_id = k.id
        LEFT JOIN (
            SELECT h.customer_id, h.owner_id, max(h.changed_at) AS at
            FROM public.customer_ownership h GROUP BY h.customer_id, h.owner_id
        ) owned ON owned.customer_id = k.id AND owned.owner_id = k.owner_id
        WHERE k.owner_id IS NOT NULL AND k.deleted_at IS NULL
          AND greatest(followed.at, owned.at) + make_interval(days => CASE k.grade
              WHEN 'A' THEN coalesce(days_a, days) WHEN 'B' THEN coalesce(days_b, days)
              WHEN 'C' THEN coalesce(days_c, days) ELSE days END) <= now()
    ) due
    WHERE c.id = due.id;
    GET DIAGNOSTICS returned = ROW_COUNT;
    RETURN returned;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_pool_due_at(uuid, uuid, text), crm_return_due_customers()
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crm_pool_due_at(uuid, uuid, text), crm_return_due_customers()
    TO {GROUP_ROLE};
"""

# The history trigger of 0006, now telling a return (the customer was due) from a release.
RECORD = """
CREATE OR REPLACE FUNCTION crm_record_ownership() RETURNS trigger
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
    ELSIF NEW.owner_id IS NULL
          AND public.crm_pool_due_at(OLD.id, OLD.owner_id, OLD.grade) <= now() THEN
        change := 'returned';
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
    asked := nullif(current_setting('crm.owner_change_kind', true), '');
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
        left(nullif(current_setting('crm.owner_change_reason', true), ''), 500),
        actor
    );
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_record_ownership() FROM PUBLIC;
"""


def upgrade() -> None:
    op.execute(DUE)
    op.execute(RECORD)
    # Finding a customer's last follow-up and its owner's start is an index lookup each.
    op.execute(
        "CREATE INDEX ix_followups_customer_happened ON followups (customer_id, happened_at)"
        " WHERE deleted_at IS NULL"
    )


def downgrade() -> None:
    raise NotImplementedError("the hardening of the server schema is not undone")
