"""two statement triggers read a large update in linear time

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-01 18:00:00

0025's `crm_refuse_under_deleted` looks, once per statement, for a record restored or moved
under a deleted customer, joining the statement's old and new rows with LIMIT 1. With the
LIMIT, the planner joins the two row sets by a nested loop, hoping for an early match; an update
of many records that restores or moves none (the usual case: a handover of a rep's deals, a
deleted customer's records taking its stamp) then pays rows times rows. Measured on 30,000 rows
of a test table: 74 s, against 0.4 s without the LIMIT, which lets it hash-join.

The function is 0025's, whole, with the LIMIT of its update branch taken off (the insert
branch joins the customers by their key, one look per row). 0021's `crm_record_owner_changes`
had the same first look, for a new owner or grade: an update of many customers that changes
neither (a repair of their names) paid rows times rows too; it is 0021's, whole, without that
LIMIT. Like every migration, it carries its own statements.
"""

from __future__ import annotations

from alembic import op

revision = "0031"
down_revision = "0030"
branch_labels = None
depends_on = None

FUNCTION = """
CREATE OR REPLACE FUNCTION crm_refuse_under_deleted() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    -- The deployment owner's plain SQL (an ERP booking a payment) is trusted, as everywhere.
    IF pg_has_role((SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        PERFORM FROM crm_new_rows n JOIN public.customers c ON c.id = n.customer_id
        WHERE n.deleted_at IS NULL AND c.deleted_at IS NOT NULL
        LIMIT 1;
    ELSE
        PERFORM FROM crm_new_rows n
        JOIN crm_old_rows o ON o.id = n.id
        JOIN public.customers c ON c.id = n.customer_id
        WHERE n.deleted_at IS NULL AND c.deleted_at IS NOT NULL
          AND (o.deleted_at IS NOT NULL OR o.customer_id IS DISTINCT FROM n.customer_id);
    END IF;
    IF FOUND THEN
        RAISE EXCEPTION 'its customer was deleted meanwhile' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END
$$;
"""


# 0021's, whole, without the LIMIT of its first look.
RECORD_OWNER_CHANGES = """
CREATE OR REPLACE FUNCTION crm_record_owner_changes() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    reason text;
    handover boolean;
BEGIN
    IF TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'STATEMENT' OR TG_OP <> 'UPDATE'
       OR TG_TABLE_SCHEMA <> 'public' OR TG_TABLE_NAME <> 'customers'
       OR TG_RELID <> 'public.customers'::regclass THEN
        RAISE EXCEPTION 'crm_record_owner_changes fires only on customers'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- Most updates change neither (an edited phone, a pushed name): one cheap look, and done.
    PERFORM FROM crm_old_rows o JOIN crm_new_rows n ON n.id = o.id
    WHERE n.owner_id IS DISTINCT FROM o.owner_id OR n.grade IS DISTINCT FROM o.grade;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    reason := left(nullif(current_setting('crm.owner_change_reason', true), ''), 500);
    -- A handover is an administrator's assignment, which he names as one.
    handover := coalesce(nullif(current_setting('crm.owner_change_kind', true), '')
                         = 'handed_over', false)
        AND (pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID),
                         'MEMBER')
             OR EXISTS (SELECT FROM public.users u
                        WHERE u.login = session_user AND u.role = 'admin' AND u.active
                          AND u.deleted_at IS NULL));
    INSERT INTO public.customer_ownership
        (customer_id, previous_owner_id, owner_id, kind, reason, changed_by)
    SELECT n.id, o.owner_id, n.owner_id,
           CASE
               -- Due (whoever moved it: a manager's device returns its team's due customers
               -- too): a return, which a follow-up dated before it may undo. Not due: let go,
               -- by its owner or taken from him by his manager, which none undoes.
               WHEN n.owner_id IS NULL AND coalesce(due.at <= now(), false) THEN 'returned'
               WHEN n.owner_id IS NULL THEN 'released'
               WHEN o.owner_id IS NULL AND n.owner_id = n.updated_by THEN 'claimed'
               WHEN handover THEN 'handed_over'
               ELSE 'assigned'
           END,
           reason, n.updated_by
    FROM crm_old_rows o
    JOIN crm_new_rows n ON n.id = o.id
    -- The rule crm_return_due_customers returns by (its last past follow-up, else since its
    -- owner got it: owned_since), asked only where it decides: a move to nobody. (0020 read
    -- the owner's start from the history, which a merge's line moves later: a due return
    -- could be named a release, and a late follow-up then refused.)
    LEFT JOIN LATERAL (
        SELECT greatest(
            (SELECT max(f.happened_at) FROM public.followups f
             WHERE f.customer_id = o.id AND f.deleted_at IS NULL AND f.happened_at <= now()),
            o.owned_since
        ) + make_interval(days => coalesce(
            (SELECT r.value FROM public.crm_rules r
             WHERE r.key = 'pool_return_days_' || o.grade),
            (SELECT r.value FROM public.crm_rules r WHERE r.key = 'pool_return_days'))) AS at
        WHERE NOT o.pool_locked
    ) due ON n.owner_id IS NULL AND o.owner_id IS NOT NULL
    WHERE n.owner_id IS DISTINCT FROM o.owner_id;
    INSERT INTO public.customer_ownership
        (customer_id, previous_owner_id, owner_id, kind, reason, changed_by)
    SELECT n.id, n.owner_id, n.owner_id, 'graded',
           left(coalesce(o.grade, '–') || ' → ' || coalesce(n.grade, '–')
                || coalesce(': ' || CASE WHEN n.grade_fixed
                                         THEN nullif(btrim(n.grade_note), '') END, ''), 500),
           n.updated_by
    FROM crm_old_rows o
    JOIN crm_new_rows n ON n.id = o.id
    WHERE n.grade IS DISTINCT FROM o.grade;
    RETURN NULL;
END
$$;
"""


def upgrade() -> None:
    op.execute(FUNCTION)
    op.execute(RECORD_OWNER_CHANGES)


def downgrade() -> None:
    raise NotImplementedError("the quadratic look is not put back")
