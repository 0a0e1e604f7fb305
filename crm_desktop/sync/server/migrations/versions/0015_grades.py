"""grades computed from what customers paid, on the server; a manager's fixed grade stays

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 10:00:00

A customer's grade (A, B, C) follows its value, so every device agrees on it and the pool's
per-grade return days (`pool_return_days_A` ...) follow too. The server computes it.

**Value.** What the customer paid in the last 12 months: the sum of its live payments
(`deleted_at IS NULL`) with `paid_on` after the same day a year ago and not after today (the
server session's `current_date`; a payment dated in the future has not been received yet).
With the rule `grade_by_won_opportunities` = 1, the value is instead the sum of the amounts of
its live won opportunities closed in the last 12 months (`closed_at`, or `updated_at` for a
won deal without one, after `now() - 12 months` and not after `now()`).

**Population and ranks.** Every live customer (`deleted_at IS NULL`) counts, owned or in the
pool, fixed or not: N of them. They are ranked by value, highest first; ties by `created_at`
(older first), then by `id`, so equal values are decided the same on every run and every
server. Rank r is A when r <= ceil(N × grade_a_percent / 100), else B when
r <= ceil(N × min(100, grade_a_percent + grade_b_percent) / 100), else C; a customer with no
value (nothing paid) is C whatever its rank. Integer arithmetic: ceil(N × p / 100) is
(N × p + 99) / 100. With the defaults (5 and 15) and 1,000 live customers: ranks 1-50 are A,
51-200 B, the rest C.

**Fixed grades.** `grade_fixed` (0014) is a grade a manager set by hand, with `grade_note`
saying why. The computation never changes a fixed customer's grade, but the customer still
counts in N and takes its rank: fixing one customer never regrades another. Only a manager
(for customers his policies let him change) or an administrator (a CRM admin, or the owner of
the tables and other systems writing as him) sets or clears `grade_fixed`, writes `grade_note`,
or changes a fixed grade (`crm_guard_grade`, caller's rights, like 0009's lock). A rep or a
clerk may still type a grade on a customer that is not fixed; the next grading overwrites it.

**Who grades.** `crm_proposed_grades()` returns every live customer with its value, rank, grade
and the grade the rule gives it (for a preview); `crm_apply_grades()` updates only the customers
that are not fixed and whose grade differs (so only those reach the devices through the change
log) and returns them (id, old grade, new grade). Both run with the caller's rights and refuse
anyone but an administrator: the ranking needs every customer, which only an administrator
sees; a rep's or manager's call would rank a part of them. One grading at a time (a
transaction-level advisory lock). `crm-desktop server apply-rules` (the daily job) and an
administrator's sync call it. The server's own grading leaves `updated_by` empty, as for a
customer the server gave back (0008); a CRM administrator's grading is stamped with his id.

**History.** Every change of a customer's grade, by the computation or by hand, adds a row of
kind `graded` to `customer_ownership` (previous and new owner both the current owner; reason
"B → A", "– → C" from no grade, and for a fixed grade ": " and the manager's note; `changed_by`
as for any change: empty for the server's own). `crm_record_ownership` now also fires on
updates of `grade`. The rules that read the history to find owner changes skip these rows:
`crm_pool_due_at` (when the owner got the customer) and `crm_followup_keeps` (its last change
of owner).

**Rules.** `crm_rules` gains `grade_a_percent` (5, 0-100), `grade_b_percent` (15, 0-100) and
`grade_by_won_opportunities` (0: payments received, 1: won opportunities), with the same
CHECKs, policies and stamps as the others (0005). A sum of percentages over 100 gives B what
is left.

Like every migration, it carries its own statements: the values below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

GROUP_ROLE = "crm_users"
# 0005's rules, now with the grades': name -> (default, lowest, highest); None: not set.
RULES = {
    "pool_return_days": (30, 1, 3650),
    "pool_return_days_A": (None, 1, 3650),
    "pool_return_days_B": (None, 1, 3650),
    "pool_return_days_C": (None, 1, 3650),
    "pool_warning_days": (3, 0, 365),
    "claim_per_day": (5, 0, 1000),
    "max_owned": (1000, 0, 1_000_000),
    "reclaim_block_days": (30, 0, 3650),
    "grade_a_percent": (5, 0, 100),
    "grade_b_percent": (15, 0, 100),
    "grade_by_won_opportunities": (0, 0, 1),
}
NEW_RULES = ("grade_a_percent", "grade_b_percent", "grade_by_won_opportunities")
# 0007's kinds of ownership history, and the grade's.
KINDS = ("entered", "claimed", "released", "assigned", "returned", "handed_over", "graded")
GRADED = "graded"
NO_GRADE = "–"  # what the history's reason shows for a customer without a grade


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


def _rules() -> str:
    known = ", ".join(f"'{name}'" for name in RULES)
    inserted = ", ".join(f"('{name}', {RULES[name][0]})" for name in NEW_RULES)
    # The checks of 0005 were named by the server (their names differ between versions): all
    # of them go, and come back named, with the new rules in them.
    return f"""
DO $$
DECLARE
    name text;
BEGIN
    FOR name IN SELECT c.conname FROM pg_constraint c
                WHERE c.conrelid = 'public.crm_rules'::regclass AND c.contype = 'c' LOOP
        EXECUTE format('ALTER TABLE public.crm_rules DROP CONSTRAINT %I', name);
    END LOOP;
END
$$;
ALTER TABLE crm_rules
    ADD CONSTRAINT crm_rules_key CHECK (key IN ({known})),
    ADD CONSTRAINT crm_rules_value_range CHECK ({_range_check()}),
    ADD CONSTRAINT crm_rules_value_required CHECK ({_required()});
-- Nobody inserts rules, not even the owner under forced row-level security: lifted for this
-- one statement, as 0005 filled the table before forcing it.
ALTER TABLE crm_rules NO FORCE ROW LEVEL SECURITY;
INSERT INTO crm_rules (key, value) VALUES {inserted};
ALTER TABLE crm_rules FORCE ROW LEVEL SECURITY;
"""


def _kinds() -> str:
    listed = ", ".join(f"'{kind}'" for kind in KINDS)
    return f"""
ALTER TABLE customer_ownership DROP CONSTRAINT customer_ownership_kind_check,
    ADD CONSTRAINT customer_ownership_kind_check CHECK (kind IN ({listed}));
"""


# Caller's rights, like 0009's lock: it decides only within what the caller's own row-level
# rights let him change. Nested, so a bulk insert without a fixed grade looks nothing up.
GUARD = """
CREATE FUNCTION crm_guard_grade() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NOT NEW.grade_fixed AND NEW.grade_note IS NULL THEN
            RETURN NEW;
        END IF;
    ELSIF NEW.grade_fixed IS NOT DISTINCT FROM OLD.grade_fixed
          AND NEW.grade_note IS NOT DISTINCT FROM OLD.grade_note
          AND (NOT OLD.grade_fixed OR NEW.grade IS NOT DISTINCT FROM OLD.grade) THEN
        RETURN NEW;
    END IF;
    IF NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER')
       AND coalesce(public.crm_current_role(), '') NOT IN ('admin', 'manager') THEN
        RAISE EXCEPTION 'only a manager or an administrator may fix a customer''s grade'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_guard_grade() FROM PUBLIC;
CREATE TRIGGER crm_guard_grade BEFORE INSERT OR UPDATE ON customers
    FOR EACH ROW EXECUTE FUNCTION crm_guard_grade();
"""

# 0007's history trigger, whole, now also recording a change of grade (after the change of
# owner, when one statement makes both). Still owner rights, firing only on customers and
# checking so before it looks at the row.
RECORD = f"""
CREATE OR REPLACE FUNCTION crm_record_ownership() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    actor uuid;
    change text;
    asked text;
    note text;
BEGIN
    IF TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' OR TG_OP NOT IN ('INSERT', 'UPDATE')
       OR TG_TABLE_SCHEMA <> 'public' OR TG_TABLE_NAME <> 'customers'
       OR TG_RELID <> 'public.customers'::regclass THEN
        RAISE EXCEPTION 'crm_record_ownership fires only on customers'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.owner_id IS NOT DISTINCT FROM OLD.owner_id
       AND NEW.grade IS NOT DISTINCT FROM OLD.grade THEN
        RETURN NULL;
    END IF;
    actor := NEW.updated_by;
    IF TG_OP = 'INSERT' OR NEW.owner_id IS DISTINCT FROM OLD.owner_id THEN
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
            pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID),
                        'MEMBER')
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
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.grade IS DISTINCT FROM OLD.grade THEN
        note := CASE WHEN NEW.grade_fixed THEN nullif(btrim(NEW.grade_note), '') END;
        INSERT INTO public.customer_ownership
            (customer_id, previous_owner_id, owner_id, kind, reason, changed_by)
        VALUES (
            NEW.id,
            NEW.owner_id,
            NEW.owner_id,
            '{GRADED}',
            left(coalesce(OLD.grade, '{NO_GRADE}') || ' → ' || coalesce(NEW.grade, '{NO_GRADE}')
                 || coalesce(': ' || note, ''), 500),
            actor
        );
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_record_ownership() FROM PUBLIC;
DROP TRIGGER crm_record_ownership ON customers;
CREATE TRIGGER crm_record_ownership AFTER INSERT OR UPDATE OF owner_id, grade ON customers
    FOR EACH ROW EXECUTE FUNCTION crm_record_ownership();
"""

# 0009's crm_pool_due_at and 0011's crm_followup_keeps, whole, reading only changes of owner:
# a change of grade is no new start with the owner, nor a customer's last change of hands.
HISTORY_READERS = f"""
CREATE OR REPLACE FUNCTION crm_pool_due_at(customer uuid, owner uuid, grade text)
RETURNS timestamptz
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT greatest(
        (SELECT max(f.happened_at) FROM public.followups f
         WHERE f.customer_id = customer AND f.deleted_at IS NULL AND f.happened_at <= now()),
        (SELECT max(h.changed_at) FROM public.customer_ownership h
         WHERE h.customer_id = customer AND h.owner_id = owner AND h.kind <> '{GRADED}')
    ) + make_interval(days => coalesce(
        (SELECT r.value FROM public.crm_rules r WHERE r.key = 'pool_return_days_' || grade),
        (SELECT r.value FROM public.crm_rules r WHERE r.key = 'pool_return_days')))
    WHERE owner IS NOT NULL
      AND NOT coalesce((SELECT c.pool_locked FROM public.customers c WHERE c.id = customer), false)
$$;

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
        WHERE h.customer_id = c.id AND h.kind <> '{GRADED}' ORDER BY h.id DESC LIMIT 1
    ) last ON true
    WHERE c.id = customer AND c.owner_id IS NULL AND c.deleted_at IS NULL
      AND last.kind = 'returned' AND last.previous_owner_id = author AND author IS NOT NULL
$$;
"""

# Caller's rights: an administrator sees every customer, payment and deal, which the ranking
# needs; anyone else is refused rather than given a ranking of his own part.
GRADING = f"""
CREATE FUNCTION crm_proposed_grades()
RETURNS TABLE (customer_id uuid, grade varchar(1), proposed varchar(1), value_cents numeric,
               rank bigint, fixed boolean)
LANGUAGE plpgsql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
#variable_conflict use_column
DECLARE
    a_percent integer;
    b_percent integer;
    by_won boolean;
BEGIN
    IF NOT public.crm_is_admin() THEN
        RAISE EXCEPTION 'only an administrator grades customers'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT max(r.value) FILTER (WHERE r.key = 'grade_a_percent'),
           max(r.value) FILTER (WHERE r.key = 'grade_b_percent'),
           max(r.value) FILTER (WHERE r.key = 'grade_by_won_opportunities') = 1
    INTO a_percent, b_percent, by_won
    FROM public.crm_rules r;
    RETURN QUERY
    WITH paid AS (
        SELECT p.customer_id AS id, sum(p.amount_cents) AS total FROM public.payments p
        WHERE NOT by_won AND p.deleted_at IS NULL
          AND p.paid_on > (current_date - interval '12 months')::date
          AND p.paid_on <= current_date
        GROUP BY p.customer_id
        UNION ALL
        SELECT o.customer_id, sum(o.amount_cents) FROM public.opportunities o
        WHERE by_won AND o.deleted_at IS NULL AND o.stage = 'won'
          AND coalesce(o.closed_at, o.updated_at) > now() - interval '12 months'
          AND coalesce(o.closed_at, o.updated_at) <= now()
        GROUP BY o.customer_id
    ),
    ranked AS (
        SELECT c.id, c.grade, c.grade_fixed, coalesce(paid.total, 0) AS value,
               row_number() OVER (ORDER BY coalesce(paid.total, 0) DESC, c.created_at, c.id)
                   AS place,
               count(*) OVER () AS population
        FROM public.customers c LEFT JOIN paid ON paid.id = c.id
        WHERE c.deleted_at IS NULL
    )
    SELECT ranked.id, ranked.grade,
           CAST(CASE
               WHEN ranked.value > 0
                    AND ranked.place <= (ranked.population * a_percent + 99) / 100 THEN 'A'
               WHEN ranked.value > 0
                    AND ranked.place <= (ranked.population * least(100, a_percent + b_percent)
                                         + 99) / 100 THEN 'B'
               ELSE 'C' END AS varchar(1)),
           ranked.value, ranked.place, ranked.grade_fixed
    FROM ranked;
END
$$;

CREATE FUNCTION crm_apply_grades()
RETURNS TABLE (customer_id uuid, old_grade varchar(1), new_grade varchar(1))
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
#variable_conflict use_column
BEGIN
    IF NOT public.crm_is_admin() THEN
        RAISE EXCEPTION 'only an administrator grades customers'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    -- One grading at a time: two would update the same customers in different orders.
    PERFORM pg_advisory_xact_lock(hashtextextended('crm_grading', 0));
    -- updated_by empty: the server graded it (a CRM administrator's is stamped with his id).
    FOR customer_id, old_grade, new_grade IN
        UPDATE public.customers c SET grade = g.proposed, updated_by = NULL
        FROM public.crm_proposed_grades() g
        WHERE c.id = g.customer_id AND NOT g.fixed AND NOT c.grade_fixed
          AND c.grade IS DISTINCT FROM g.proposed
        RETURNING c.id, g.grade, c.grade
    LOOP
        RETURN NEXT;
    END LOOP;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_proposed_grades(), crm_apply_grades() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crm_proposed_grades(), crm_apply_grades() TO {GROUP_ROLE};
"""


def upgrade() -> None:
    op.execute(_rules())
    op.execute(_kinds())
    op.execute(GUARD)
    op.execute(HISTORY_READERS)
    op.execute(RECORD)
    op.execute(GRADING)


def downgrade() -> None:
    raise NotImplementedError("the grades are not taken out")
