"""owner changes by statement: a customer's new owner or grade recorded once per statement

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 11:00:00

A change of owner to nobody is either a release (the owner let his customer go before it was
due) or a return (it was due, or someone else took it away). Telling them apart needs the
customer's due date, and the row trigger `crm_record_ownership` asked `crm_pool_due_at` for it
once per customer: 1 to 1.7 ms each, because the follow-ups policy in that call builds the set
of visible customers anew. When a rep's first sync returned 90,000 overdue customers at once,
that alone took minutes.

`crm_record_owner_changes` replaces it: an AFTER UPDATE statement trigger with the statement's
old and new rows (transition tables), which writes the same history lines with two
INSERT … SELECT, the due date computed in the same query for the rows that need it (a rep
releasing his own customer). Transition tables are not allowed on a trigger with a column list,
so it fires on every UPDATE of customers and writes nothing when neither owner nor grade
changed. What is written is what the row trigger wrote, line for line:
- a new owner: kind `returned` when nobody owns it now and it was due, or when nobody owns it
  now and its owner did not let it go himself; `claimed` when the writer took it from the
  pool; `released` when its owner let it go before it was due; `handed_over` when an
  administrator (the tables' owner, or a CRM admin) named his assignment a handover
  (`crm.owner_change_kind`); `assigned` otherwise. The reason is `crm.owner_change_reason`.
- a new grade: kind `graded`, the owner on both sides, the reason `old → new` with a fixed
  grade's note.

Three corrections:
- **Two devices returning at once.** When two devices of one rep asked for the return at the
  same moment, the second waited on the rows the first was returning, then set them to nobody
  once more, which `crm_guard_customer` refuses for a customer already in the pool: that
  device's whole sync failed with "a customer in the public pool must be claimed before it is
  changed" (seen in bench_sync.py's 20 devices). `crm_return_due_customers` now checks each
  row again as it reaches it: still the owner it was found due with, not locked, not deleted.
- **Claims per day in one statement.** `crm_check_claim` counted a user's claims of the last
  24 hours from the history, whose lines are written when a statement ends. One UPDATE that
  claimed many pool customers at once (plain SQL; the app claims one at a time) was therefore
  held to `claim_per_day` as if it were a single claim. It now counts the claims made earlier
  in the same statement too: rows he owns since now that have no history line of his at now
  yet and were in the pool before (their last line names no owner).
- **A locked customer let go.** Whether a customer was due is read from the row as it was. The
  row trigger read the lock from the table after the change, which a release has already
  cleared (0009), so a rep letting go a customer his manager had locked was recorded as
  `returned` once its days had passed; a locked customer is never due, and that is now a
  release.

The function runs with the owner's rights, pins its search_path, is executable by nobody, and
refuses to run for any trigger but its own (an AFTER UPDATE statement trigger on customers)
before it reads a row. `crm_record_ownership` is dropped with its trigger.

Like every migration, it carries its own statements.
"""

from __future__ import annotations

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

GRADED = "graded"
NO_GRADE = "–"  # 0015's: what the history's reason shows for a customer without a grade

RECORD_OWNER_CHANGES = f"""
CREATE FUNCTION crm_record_owner_changes() RETURNS trigger
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
    WHERE n.owner_id IS DISTINCT FROM o.owner_id OR n.grade IS DISTINCT FROM o.grade
    LIMIT 1;
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
               WHEN n.owner_id IS NULL AND o.owner_id = n.updated_by
                    AND NOT coalesce(due.at <= now(), false) THEN 'released'
               WHEN n.owner_id IS NULL THEN 'returned'
               WHEN o.owner_id IS NULL AND n.owner_id = n.updated_by THEN 'claimed'
               WHEN handover THEN 'handed_over'
               ELSE 'assigned'
           END,
           reason, n.updated_by
    FROM crm_old_rows o
    JOIN crm_new_rows n ON n.id = o.id
    -- 0015's crm_pool_due_at, asked only where it decides: an owner letting his own go.
    LEFT JOIN LATERAL (
        SELECT greatest(
            (SELECT max(f.happened_at) FROM public.followups f
             WHERE f.customer_id = o.id AND f.deleted_at IS NULL AND f.happened_at <= now()),
            (SELECT max(h.changed_at) FROM public.customer_ownership h
             WHERE h.customer_id = o.id AND h.owner_id = o.owner_id AND h.kind <> '{GRADED}')
        ) + make_interval(days => coalesce(
            (SELECT r.value FROM public.crm_rules r
             WHERE r.key = 'pool_return_days_' || o.grade),
            (SELECT r.value FROM public.crm_rules r WHERE r.key = 'pool_return_days'))) AS at
        WHERE NOT o.pool_locked
    ) due ON n.owner_id IS NULL AND o.owner_id = n.updated_by
    WHERE n.owner_id IS DISTINCT FROM o.owner_id;
    INSERT INTO public.customer_ownership
        (customer_id, previous_owner_id, owner_id, kind, reason, changed_by)
    SELECT n.id, n.owner_id, n.owner_id, '{GRADED}',
           left(coalesce(o.grade, '{NO_GRADE}') || ' → ' || coalesce(n.grade, '{NO_GRADE}')
                || coalesce(': ' || CASE WHEN n.grade_fixed
                                         THEN nullif(btrim(n.grade_note), '') END, ''), 500),
           n.updated_by
    FROM crm_old_rows o
    JOIN crm_new_rows n ON n.id = o.id
    WHERE n.grade IS DISTINCT FROM o.grade;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_record_owner_changes() FROM PUBLIC;
DROP TRIGGER crm_record_ownership ON customers;
DROP FUNCTION crm_record_ownership();
CREATE TRIGGER crm_record_owner_changes AFTER UPDATE ON customers
    REFERENCING OLD TABLE AS crm_old_rows NEW TABLE AS crm_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm_record_owner_changes();
"""

# 0006's crm_check_claim, whole, counting the claims of its own statement towards the day's cap.
CHECK_CLAIM = """
CREATE OR REPLACE FUNCTION crm_check_claim() RETURNS trigger
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
    -- Claims made earlier in this same statement count too: their history lines are written
    -- when the statement ends, but their rows are visible here already: owned by him since
    -- now, with no line of his at now yet, and in the pool before (the last line names no
    -- owner; a manager's own team customer moved to him in the same statement is no claim).
    taken := taken + (
        SELECT count(*) FROM public.customers c
        WHERE c.owner_id = me AND c.owned_since = now()
          AND NOT EXISTS (SELECT FROM public.customer_ownership h
                          WHERE h.customer_id = c.id AND h.owner_id = me
                            AND h.changed_at = now())
          AND (SELECT h.owner_id FROM public.customer_ownership h
               WHERE h.customer_id = c.id ORDER BY h.changed_at DESC, h.id DESC LIMIT 1)
              IS NULL);
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
"""

# 0009's crm_return_due_customers, whole, checking each row again as the UPDATE reaches it.
RETURN_DUE = """
CREATE OR REPLACE FUNCTION crm_return_due_customers() RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    returned integer;
    days integer;
    days_a integer;
    days_b integer;
    days_c integer;
BEGIN
    IF coalesce(public.crm_current_role(), 'clerk') = 'clerk' THEN
        RETURN 0;
    END IF;
    SELECT max(value) FILTER (WHERE key = 'pool_return_days'),
           max(value) FILTER (WHERE key = 'pool_return_days_A'),
           max(value) FILTER (WHERE key = 'pool_return_days_B'),
           max(value) FILTER (WHERE key = 'pool_return_days_C')
    INTO days, days_a, days_b, days_c
    FROM public.crm_rules;
    UPDATE public.customers c SET owner_id = NULL
    FROM (
        SELECT k.id, k.owner_id
        FROM public.customers k
        LEFT JOIN (
            SELECT f.customer_id, max(f.happened_at) AS at FROM public.followups f
            WHERE f.deleted_at IS NULL AND f.happened_at <= now() GROUP BY f.customer_id
        ) followed ON followed.customer_id = k.id
        WHERE k.owner_id IS NOT NULL AND k.deleted_at IS NULL AND NOT k.pool_locked
          AND greatest(followed.at, k.owned_since) + make_interval(days => CASE k.grade
              WHEN 'A' THEN coalesce(days_a, days) WHEN 'B' THEN coalesce(days_b, days)
              WHEN 'C' THEN coalesce(days_c, days) ELSE days END) <= now()
    ) due
    -- Checked again on the row as it is when the UPDATE reaches it: another device of the
    -- same user, returning at the same moment, may have returned it first (or a manager locked
    -- it); a row changed since this statement began is re-read, not updated blindly.
    WHERE c.id = due.id AND c.owner_id = due.owner_id AND NOT c.pool_locked
      AND c.deleted_at IS NULL;
    GET DIAGNOSTICS returned = ROW_COUNT;
    RETURN returned;
END
$$;
"""


def upgrade() -> None:
    op.execute(RECORD_OWNER_CHANGES)
    op.execute(CHECK_CLAIM)
    op.execute(RETURN_DUE)


def downgrade() -> None:
    raise NotImplementedError("the row trigger for owner changes is not put back")
