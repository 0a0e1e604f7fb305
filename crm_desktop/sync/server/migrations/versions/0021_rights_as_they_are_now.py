"""rights as they are now: no write under an old snapshot, a manager's move to the pool kept,
and no follow-up left on a customer someone else claimed

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 23:00:00

A review tried the pool's rules with plain SQL and found four ways past them (a fifth, a rep
at `max_owned` inserting a customer of his own, is the rule as documented: the cap holds claims
and assignments, and entering new business, his own or a clerk's for him, is never refused):

- **An old snapshot keeps old rights.** A REPEATABLE READ or SERIALIZABLE transaction sees the
  tables as they were when it began. A clerk who began one before his assignment ended (or
  before `server unassign-clerk`), or a rep before he was deactivated, kept writing as before
  until he committed, and a rep with N such transactions open could claim N times past
  `claim_per_day` and `max_owned` (each counted from its own old snapshot). Every write of a
  CRM role now needs READ COMMITTED (`crm_fresh_rights`, a statement trigger on every table
  CRM roles may write), where each statement reads the rights as they are. Reads under an old
  snapshot stay allowed (the program's own pull reads in one, READ ONLY): they show only what
  was there when the user was allowed to see it.
- **A clerk's assignment read against the transaction's start.** `now()` is the time the
  transaction began, so a transaction begun before `valid_until` kept a clerk's rights past it.
  `crm_visible_owner_ids` now compares with `statement_timestamp()`.
- **A manager's move to the pool undone by a back-dated follow-up.** A move to nobody by
  anyone but the owner was recorded as `returned`, and a follow-up the rep dated before a
  `returned` line gives the customer back to him (0008's late follow-up). A move to nobody is
  now `returned` only when the customer was due (whoever made it: a manager's device returns
  its team's due customers too), by the very rule `crm_return_due_customers` returns by;
  otherwise it is `released`, which no follow-up undoes.
- **A follow-up left on a customer someone else claimed.** A follow-up on a pool customer is
  admitted when it would keep the customer; if another rep's claim committed before the
  trigger gave the customer back, the follow-up stayed on that rep's customer (and restarted
  its return clock). Now `crm_followed_customer_writable` (caller's rights) asks 0004's write
  rule again once 0008's trigger has given the customer back, and refuses the follow-up when
  its customer is not an owned one its author sees.

Like every migration, it carries its own statements: the functions replaced below are whole
copies of 0010's and 0020's with the changes above.
"""

from __future__ import annotations

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

GROUP_ROLE = "crm_users"
GRADED = "graded"
NO_GRADE = "–"  # 0015's: what the history's reason shows for a customer without a grade

FRESH_RIGHTS = f"""
CREATE FUNCTION crm_fresh_rights() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    -- The tables' owner (migrations, restores, other systems) decides for himself.
    IF current_setting('transaction_isolation') NOT IN ('read committed', 'read uncommitted')
       AND NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RAISE EXCEPTION 'changes need a READ COMMITTED transaction: rights are checked as they '
                        'are now, not as an older snapshot saw them'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_fresh_rights() FROM PUBLIC;
DO $do$
DECLARE
    writable regclass;
BEGIN
    FOR writable IN
        SELECT c.oid::regclass FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
          -- Table or column privileges alike.
          AND (has_any_column_privilege('{GROUP_ROLE}', c.oid, 'INSERT')
               OR has_any_column_privilege('{GROUP_ROLE}', c.oid, 'UPDATE'))
        ORDER BY 1
    LOOP
        EXECUTE format('CREATE TRIGGER crm_fresh_rights BEFORE INSERT OR UPDATE ON %s '
                       'FOR EACH STATEMENT EXECUTE FUNCTION crm_fresh_rights()', writable);
    END LOOP;
END
$do$;
"""

# 0010's, with the assignment's end compared with the statement's time.
VISIBLE_OWNERS = """
CREATE OR REPLACE FUNCTION crm_visible_owner_ids() RETURNS uuid[]
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT CASE me.role
        WHEN 'rep' THEN ARRAY[me.id]
        WHEN 'manager' THEN ARRAY[me.id] || public.crm_team_ids()
        WHEN 'clerk' THEN ARRAY(
            SELECT a.rep_id FROM public.clerk_assignments a
            WHERE a.clerk_id = me.id AND a.valid_until > statement_timestamp()
            ORDER BY a.rep_id)
        ELSE '{}'::uuid[]
    END
    FROM public.users me
    WHERE me.id = public.crm_current_user_id()
$$;
"""

# 0020's, the due date now asked for every move to nobody.
RECORD_OWNER_CHANGES = f"""
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
"""

# Caller's rights, so that "may he write on it" is asked as him, after 0008's owner-rights
# crm_keep_followed_customer (triggers fire in the order of their names) gave the customer back.
STILL_WRITABLE = """
CREATE FUNCTION crm_followed_customer_writable() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF public.crm_is_admin()
       OR pg_has_role((SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN NULL;
    END IF;
    -- 0004's write rule on a customer's records, asked again now that the statement is done:
    -- an owned customer he sees. A follow-up admitted because it kept a pool customer that
    -- someone else claimed first would otherwise stay on that rep's customer.
    IF NOT EXISTS (SELECT FROM public.customers c
                   WHERE c.id = NEW.customer_id AND c.owner_id IS NOT NULL) THEN
        RAISE EXCEPTION 'the customer was claimed by someone else before this follow-up '
                        'reached it'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_followed_customer_writable() FROM PUBLIC;
CREATE TRIGGER crm_kept_customer_writable AFTER INSERT ON followups
    FOR EACH ROW EXECUTE FUNCTION crm_followed_customer_writable();
"""


def upgrade() -> None:
    op.execute(VISIBLE_OWNERS)
    op.execute(RECORD_OWNER_CHANGES)
    op.execute(STILL_WRITABLE)
    op.execute(FRESH_RIGHTS)


def downgrade() -> None:
    raise NotImplementedError("rights checked as they are now are not taken back")
