"""only a rep or a manager is given a customer

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-02 05:30:00

A customer's owner is a rep or a manager: the one who follows it up, whose Today and pool
countdown it is on. A manager could still give one of his team's customers to a clerk of his
office (`UPDATE customers SET owner_id`, as `crm-desktop assign --to` does), and an
administrator to anyone: a clerk "owning" a customer cannot even see it (he sees his reps'),
and nobody follows it up. The server's handover already refused such a receiver; now any
change of owner to a user whose role is neither is refused, by whoever makes it, with the
rule `owner_role` (check_violation, the receiver's login as its detail), in 0020's
`crm_check_claim`, which runs for each row whose owner changes. A customer entered for a clerk,
or for an administrator by anyone but that administrator, is refused too, once per statement
(an administrator's own customers, entered on a profile he used on its own before the server,
go in at his first sync). A user who owns customers does not become a clerk or an
administrator with them. The deployment owner's plain SQL keeps what it sets.

Like every migration, it carries its own statements: the values below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0035"
down_revision = "0034"
branch_labels = None
depends_on = None


def _changed(text: str, old: str, new: str) -> str:
    """`text` with its one `old` passage made `new` (refused where it is not there once)."""
    if text.count(old) != 1:
        raise ValueError(f"not once in the function: {old!r}")
    return text.replace(old, new)


DECLARED = """    until timestamptz;
BEGIN"""
DECLARED_TOO = """    until timestamptz;
    receiver text;
    receiver_role text;
BEGIN"""
ADMIN_FIRST = """    IF NEW.owner_id IS NULL OR NEW.owner_id IS NOT DISTINCT FROM OLD.owner_id
       OR public.crm_is_admin() THEN
        RETURN NEW;
    END IF;
"""
ROLE_FIRST = """    IF NEW.owner_id IS NULL OR NEW.owner_id IS NOT DISTINCT FROM OLD.owner_id THEN
        RETURN NEW;
    END IF;
    -- Whoever gives it, an administrator too: only a rep or a manager owns customers (the
    -- deployment owner's own SQL keeps what it sets, as for every rule of its kind).
    SELECT u.login, u.role INTO receiver, receiver_role FROM public.users u
    WHERE u.id = NEW.owner_id;
    IF receiver_role IS NOT NULL AND receiver_role NOT IN ('rep', 'manager')
       AND NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER')
       -- A clerk hands nothing to anyone: 0003's guard refuses him next, in its own words.
       AND coalesce(public.crm_current_role(), '') <> 'clerk' THEN
        RAISE EXCEPTION 'owner_role: % is a % and may not own customers', receiver, receiver_role
            USING ERRCODE = 'check_violation', DETAIL = receiver;
    END IF;
    IF public.crm_is_admin() THEN
        RETURN NEW;
    END IF;
"""

# 0020's crm_check_claim, whole (what a downgrade puts back).
OLD_CHECK_CLAIM = """
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

# The receiver's role checked first: the two changes to 0020's text.
CHECK_CLAIM = _changed(
    _changed(OLD_CHECK_CLAIM, DECLARED, DECLARED_TOO),
    ADMIN_FIRST,
    ROLE_FIRST,
)

# Caller's rights, once per statement over its new rows (a push inserts a thousand customers
# in one statement, and 0032 took the lookups per row out of it): a new customer's owner is a
# rep or a manager, or the administrator who enters it himself (a profile used on its own
# before the server, whose user was its administrator, sends his customers at his first sync).
CHECK_NEW_OWNERS = """
CREATE FUNCTION crm_check_new_owners() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    receiver text;
    receiver_role text;
BEGIN
    IF pg_has_role((SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN NULL;
    END IF;
    SELECT u.login, u.role INTO receiver, receiver_role
    FROM crm_new_rows n JOIN public.users u ON u.id = n.owner_id
    WHERE u.role NOT IN ('rep', 'manager')
      AND (u.role <> 'admin' OR u.id IS DISTINCT FROM public.crm_current_user_id());
    IF FOUND THEN
        RAISE EXCEPTION 'owner_role: % is a % and may not own customers', receiver, receiver_role
            USING ERRCODE = 'check_violation', DETAIL = receiver;
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_check_new_owners() FROM PUBLIC;
CREATE TRIGGER crm_check_new_owners AFTER INSERT ON customers
    REFERENCING NEW TABLE AS crm_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm_check_new_owners();
"""

# A rep or manager who owns customers does not become a clerk or an administrator with them
# (the command line's change-user refused it; an administrator's plain SQL did not).
CHECK_ROLE_CHANGE = """
CREATE FUNCTION crm_check_owner_role() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NEW.role IN ('rep', 'manager') OR OLD.role NOT IN ('rep', 'manager')
       OR pg_has_role((SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT FROM public.customers c
               WHERE c.owner_id = NEW.id AND c.deleted_at IS NULL) THEN
        RAISE EXCEPTION 'owner_role: % owns customers and may not become a %',
            NEW.login, NEW.role
            USING ERRCODE = 'check_violation', DETAIL = NEW.login;
    END IF;
    RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_check_owner_role() FROM PUBLIC;
CREATE TRIGGER crm_check_owner_role BEFORE UPDATE OF role ON users
    FOR EACH ROW EXECUTE FUNCTION crm_check_owner_role();
"""


def upgrade() -> None:
    op.execute(CHECK_CLAIM)
    op.execute(CHECK_NEW_OWNERS)
    op.execute(CHECK_ROLE_CHANGE)


def downgrade() -> None:
    op.execute("DROP TRIGGER crm_check_owner_role ON users")
    op.execute("DROP FUNCTION crm_check_owner_role()")
    op.execute("DROP TRIGGER crm_check_new_owners ON customers")
    op.execute("DROP FUNCTION crm_check_new_owners()")
    op.execute(OLD_CHECK_CLAIM)
