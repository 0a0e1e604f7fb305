"""three ways past the rules closed: a merge into a customer one may not change, a restore past
max_owned, and a sum too large for the finance views

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01 11:30:00

A security review tried the rules with plain SQL as each role:

- **A merge into a pool customer.** 0017 let a customer be merged into any live customer its
  writer sees, and a rep sees the pool. Merging a record of his own into a pool customer (and
  taking the merge back, and again) wrote as many `merged` lines into that customer's history,
  which every rep reads, each reading what he named his record. Such a line also hid the
  `returned` line that 0008's late follow-up looks for, so a rep whose customer had just
  returned to the pool could no longer keep it with the follow-up he logged offline. A
  customer is now merged only into one its writer may change as the owner's side (his own, his
  team's, his rep's for a clerk; an administrator's or the deployment owner's any), and
  `crm_followup_keeps` looks past `merged` lines as it does past `graded` ones.
- **A restore past `max_owned`.** The cap was checked when a customer's owner changed. A rep at
  the cap deleted one of his customers, claimed a pool customer, and restored the deleted one:
  he owned one more than the cap. Restoring an owned customer is now held to `max_owned` as a
  claim or an assignment is (administrators excepted, as there).
- **A sum too large for the finance views.** `erp_contracts` summed a contract's payments as
  a bigint. A rep recording payments of 10^14 fen ninety thousand times on a contract of his
  made the sum overflow, and the view failed for every reader. The sum is now taken as a
  numeric; a contract whose figures do not fit a bigint shows no paid or outstanding figure
  (NULL), and the view goes on for the others.

Like every migration, it carries its own statements: the functions replaced below are whole
copies of 0017's, 0015's and 0016's with the changes above.
"""

from __future__ import annotations

from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

GRADED = "graded"
MERGED = "merged"
GROUP_ROLE = "crm_users"
READER = (
    "coalesce((SELECT r.rolcanlogin FROM pg_catalog.pg_roles r WHERE r.rolname = session_user),"
    f" false) AND NOT pg_has_role(session_user, '{GROUP_ROLE}', 'MEMBER')"
)
SEARCH_PATH = "SET search_path = pg_catalog, public, pg_temp"

CHECK_TARGET = """
CREATE OR REPLACE FUNCTION crm_check_merge_target() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NEW.merged_into_id IS NULL THEN
        RETURN NEW;
    END IF;
    -- Run with the writer's rights: what he cannot see does not exist for him.
    IF TG_TABLE_NAME = 'customers' THEN
        IF NOT EXISTS (
            SELECT FROM public.customers c
            WHERE c.id = NEW.merged_into_id AND c.deleted_at IS NULL
              -- one he may change as its owner's side: not a pool customer he only sees
              AND (c.owner_id = ANY (public.crm_visible_owner_ids()) OR public.crm_is_admin()
                   OR pg_has_role(session_user,
                                  (SELECT relowner FROM pg_class WHERE oid = TG_RELID),
                                  'MEMBER'))) THEN
            RAISE EXCEPTION 'a customer can only be merged into a live customer you may change'
                USING ERRCODE = 'check_violation';
        END IF;
    -- Nested: a customer's row has no customer_id to compare.
    ELSIF NOT EXISTS (
        SELECT FROM public.contacts c
        WHERE c.id = NEW.merged_into_id AND c.deleted_at IS NULL
          AND c.customer_id = NEW.customer_id) THEN
        RAISE EXCEPTION 'a contact can only be merged into a live contact of the same customer'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_check_merge_target() FROM PUBLIC;
"""

FOLLOWUP_KEEPS = f"""
CREATE OR REPLACE FUNCTION crm_followup_keeps(customer uuid, happened timestamptz, author uuid)
RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce(bool_and(
        happened <= now()
        AND happened < last.changed_at
        AND happened + make_interval(days => coalesce(
            (SELECT r.value FROM public.crm_rules r WHERE r.key = 'pool_return_days_' || c.grade),
            (SELECT r.value FROM public.crm_rules r WHERE r.key = 'pool_return_days')))
            > last.changed_at
        AND happened >= coalesce(
            (SELECT max(p.pushed_at) FROM public.sync_pushes p
             WHERE p.pushed_by = author AND p.pushed_at < now() - interval '1 hour'),
            '-infinity'::timestamptz) - interval '1 day'), false)
    FROM public.customers c
    JOIN LATERAL (
        SELECT h.kind, h.previous_owner_id, h.changed_at FROM public.customer_ownership h
        WHERE h.customer_id = c.id AND h.kind NOT IN ('{GRADED}', '{MERGED}')
        ORDER BY h.id DESC LIMIT 1
    ) last ON true
    WHERE c.id = customer AND c.owner_id IS NULL AND c.deleted_at IS NULL
      AND last.kind = 'returned' AND last.previous_owner_id = author AND author IS NOT NULL
$$;
"""

# Caller's rights, as crm_check_claim: the caller sees every customer of the owner he restores
# one for (his own, his team's, his rep's).
CHECK_RESTORE = """
CREATE FUNCTION crm_check_restore() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    taken bigint;
    allowed bigint;
BEGIN
    IF OLD.deleted_at IS NULL OR NEW.deleted_at IS NOT NULL OR NEW.owner_id IS NULL
       OR public.crm_is_admin() THEN
        RETURN NEW;
    END IF;
    -- The lock claims and assignments of this owner take: no two can both slip under the cap.
    PERFORM pg_advisory_xact_lock(hashtextextended('crm_owner:' || NEW.owner_id::text, 0));
    SELECT value INTO allowed FROM public.crm_rules WHERE key = 'max_owned';
    SELECT count(*) INTO taken FROM public.customers
    WHERE owner_id = NEW.owner_id AND deleted_at IS NULL;
    IF taken >= allowed THEN
        RAISE EXCEPTION 'max_owned: % already owns % customers, the most one may own', (
            SELECT login FROM public.users WHERE id = NEW.owner_id), taken
            USING ERRCODE = 'check_violation', DETAIL = allowed::text;
    END IF;
    RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_check_restore() FROM PUBLIC;
CREATE TRIGGER crm_check_restore BEFORE UPDATE OF deleted_at ON customers
    FOR EACH ROW EXECUTE FUNCTION crm_check_restore();
"""

ERP_CONTRACTS = f"""
CREATE OR REPLACE FUNCTION crm_erp_contracts()
RETURNS TABLE (id uuid, external_ref varchar(100), number varchar(64), customer_id uuid,
               customer_external_ref varchar(100), kind varchar(16), start_on date,
               end_on date, amount_cents bigint, paid_cents bigint, outstanding_cents bigint,
               status varchar(16), renewal_status varchar(16), owner_login varchar(63),
               owner_name varchar(200), created_at timestamptz, updated_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER {SEARCH_PATH} AS $$
    SELECT k.id, k.external_ref, k.number, k.customer_id, c.external_ref, k.kind, k.start_on,
           k.end_on, k.amount_cents, figures.paid, figures.outstanding, k.status,
           k.renewal_status, u.login, u.name, k.created_at, k.updated_at
    FROM public.contracts k
    JOIN public.customers c ON c.id = k.customer_id AND c.deleted_at IS NULL
    LEFT JOIN public.users u ON u.id = k.owner_id
    LEFT JOIN (
        SELECT p.contract_id, sum(p.amount_cents::numeric) AS total FROM public.payments p
        WHERE p.deleted_at IS NULL AND p.contract_id IS NOT NULL
        GROUP BY p.contract_id
    ) paid ON paid.contract_id = k.id
    -- A figure past a bigint is shown as none, not a failure of the whole view.
    CROSS JOIN LATERAL (
        SELECT
            CASE WHEN coalesce(paid.total, 0) <= 9223372036854775807
                 THEN coalesce(paid.total, 0)::bigint END AS paid,
            CASE WHEN k.amount_cents - coalesce(paid.total, 0)
                      BETWEEN -9223372036854775808 AND 9223372036854775807
                 THEN (k.amount_cents - coalesce(paid.total, 0))::bigint END AS outstanding
    ) figures
    WHERE k.deleted_at IS NULL AND {READER}
$$;
"""


def upgrade() -> None:
    op.execute(CHECK_TARGET)
    op.execute(FOLLOWUP_KEEPS)
    op.execute(CHECK_RESTORE)
    op.execute(ERP_CONTRACTS)


def downgrade() -> None:
    raise NotImplementedError("the rules closed by this revision are not opened again")
