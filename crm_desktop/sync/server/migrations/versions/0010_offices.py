"""offices: users belong to an office, offices form a tree, and each office goes live in turn

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 10:00:00

A company rolls the CRM out one office (服务处, 分公司) at a time. `offices` holds the tree
(each office may sit under another) and whether each office is live; `users.office_id` says
where a user works. A user without an office belongs to the head office, which is always live,
so a server that never adds an office works exactly as before.

- A manager sees, besides himself and his direct reports (`manager_id`, as before), every user
  whose office is his own office or one under it, at any depth: their customers, and the
  clerks he may assign to them (`crm_team_ids()`, which both the customers' rules and the clerk
  assignments' policies now read).
- A user whose own office is not live (its own flag only: an office under one that is not live
  may be live itself) logs in but is nobody: `crm_current_user_id()`, `crm_current_role()` and
  `crm_visible_owner_ids()` give him nothing, so every policy shows and accepts nothing, and
  neither the products nor the change log are read. He still reads the user and office lists,
  which say nothing about customers, and `crm_office_waiting()` tells the program why he sees
  nothing. Administrators (a CRM user whose role is admin, the owner of the tables) are never
  held back by an office.
- Only administrators add, rename, move or switch offices, and only they set a user's office
  (the users table's own policies already say so); nobody deletes an office. An office is never
  placed under itself or under one of its own offices (a trigger).

Like every migration, it carries its own statements: the values below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

GROUP_ROLE = "crm_users"
# C0 controls, DEL and C1 controls: nothing a person types into a one-line field (0003).
ONE_LINE_CONTROLS = r"[\u0001-\u001f\u007f-\u009f]"
SIGNED_IN = (
    "coalesce((SELECT r.rolcanlogin FROM pg_catalog.pg_roles r WHERE r.rolname = session_user),"
    " false)"
)
ADMIN = "(SELECT crm_is_admin())"
ME = "(SELECT crm_current_user_id())"
TEAM = "CAST((SELECT crm_team_ids()) AS uuid[])"
VISIBLE_OWNERS = "CAST((SELECT crm_visible_owner_ids()) AS uuid[])"
POOL = "(SELECT crm_sees_pool())"
# Not a user whose office has not started: he reads no products and no change log.
NOT_WAITING = "(SELECT crm_office_waiting()) IS NULL"

# Audit columns name the login, like crm_rules (0005): offices are mostly kept by the
# deployment admin role, which has no users row a uuid could point at.
OFFICES = rf"""
CREATE TABLE offices (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name varchar(100) NOT NULL UNIQUE,
    parent_id uuid REFERENCES offices (id) DEFERRABLE INITIALLY DEFERRED,
    live boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text NOT NULL DEFAULT session_user,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by text NOT NULL DEFAULT session_user,
    CONSTRAINT ck_offices_name_text CHECK (name !~ '{ONE_LINE_CONTROLS}'),
    -- Named on the command line: no blank name, no spaces around it to mistype.
    CONSTRAINT ck_offices_name_blank CHECK (name ~ '\S' AND name = btrim(name)),
    CONSTRAINT ck_offices_not_own_parent CHECK (parent_id <> id)
);
CREATE INDEX ix_offices_parent_id ON offices (parent_id);

ALTER TABLE users ADD COLUMN office_id uuid REFERENCES offices (id) DEFERRABLE INITIALLY DEFERRED;
CREATE INDEX ix_users_office_id ON users (office_id);
"""

# Invoker rights: only administrators write offices, and they read every office anyway.
CHECK_OFFICE = """
CREATE FUNCTION crm_check_office() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.id IS DISTINCT FROM OLD.id THEN
        RAISE EXCEPTION 'the id of an office cannot change'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.parent_id IS NOT NULL
       AND (TG_OP = 'INSERT' OR NEW.parent_id IS DISTINCT FROM OLD.parent_id) THEN
        -- One move in the tree at a time: two moves at once, each checked against the tree
        -- before the other, could close a loop between them. Each statement of a function
        -- reads what was committed when it starts, so the walk below sees the other's move.
        PERFORM pg_advisory_xact_lock(hashtextextended('crm_offices_tree', 0));
        -- Up from the new parent: reaching this office means the parent is inside it. UNION
        -- (not UNION ALL) ends the walk even on a loop that is already there.
        IF EXISTS (
            WITH RECURSIVE up (id, parent_id) AS (
                SELECT o.id, o.parent_id FROM public.offices o WHERE o.id = NEW.parent_id
                UNION
                SELECT o.id, o.parent_id FROM public.offices o JOIN up ON o.id = up.parent_id
            )
            SELECT FROM up WHERE up.id = NEW.id
        ) THEN
            RAISE EXCEPTION 'the office % cannot go under %, which is inside it',
                NEW.name, (SELECT o.name FROM public.offices o WHERE o.id = NEW.parent_id)
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    -- Who changed an office and when is the server's to say, for the owner's plain SQL too.
    IF TG_OP = 'INSERT' THEN
        NEW.created_at := now();
        NEW.created_by := session_user;
    ELSE
        NEW.created_at := OLD.created_at;
        NEW.created_by := OLD.created_by;
    END IF;
    NEW.updated_at := now();
    NEW.updated_by := session_user;
    RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_check_office() FROM PUBLIC;
CREATE TRIGGER crm_check_office BEFORE INSERT OR UPDATE ON offices
    FOR EACH ROW EXECUTE FUNCTION crm_check_office();
"""

# A users row may act when it has no office (the head office), its office is live, or it is an
# administrator's: a CRM admin, or a login that is a member of the tables' owner. Only the
# office's own flag counts. A hidden or missing office row counts as not live.
MAY_ACT = """(me.office_id IS NULL OR me.role = 'admin'
            OR pg_has_role((SELECT relowner FROM pg_class WHERE oid = 'public.users'::regclass),
                           'MEMBER')
            OR coalesce((SELECT o.live FROM public.offices o WHERE o.id = me.office_id), false))"""

# The helpers of 0003, whole, now holding back a user whose office has not started, plus the
# manager's team by office. Invoker rights; users and offices are readable by every signed-in
# CRM user, and the clerk branch reads only the caller's own assignments.
IDENTITY = f"""
CREATE OR REPLACE FUNCTION crm_current_user_id() RETURNS uuid
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT me.id FROM public.users me
    WHERE me.login = session_user AND current_user = session_user
      AND me.active AND me.deleted_at IS NULL
      AND {MAY_ACT}
$$;

CREATE OR REPLACE FUNCTION crm_current_role() RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT CASE
        WHEN pg_has_role((SELECT relowner FROM pg_class WHERE oid = 'public.users'::regclass),
                         'MEMBER') THEN 'admin'
        ELSE (SELECT me.role FROM public.users me
              WHERE me.login = session_user AND current_user = session_user
                AND me.active AND me.deleted_at IS NULL
                AND {MAY_ACT})
    END
$$;

-- The users a manager leads: his direct reports, and everyone in his office or an office under
-- it (any depth). Empty for anyone else. Sorted, so the list reads the same at every sync (a
-- device resyncs in full when what its user sees changes, compared as text).
CREATE FUNCTION crm_team_ids() RETURNS uuid[]
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    WITH RECURSIVE me AS (
        SELECT u.id, u.office_id FROM public.users u
        WHERE u.id = public.crm_current_user_id() AND u.role = 'manager'
    ),
    below (id) AS (
        SELECT me.office_id FROM me WHERE me.office_id IS NOT NULL
        UNION
        SELECT o.id FROM public.offices o JOIN below ON o.parent_id = below.id
    )
    SELECT ARRAY(
        SELECT u.id FROM public.users u JOIN me ON u.manager_id = me.id
        UNION
        SELECT u.id FROM public.users u WHERE u.office_id IN (SELECT below.id FROM below)
        EXCEPT
        SELECT me.id FROM me
        ORDER BY 1)
$$;

CREATE OR REPLACE FUNCTION crm_visible_owner_ids() RETURNS uuid[]
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT CASE me.role
        WHEN 'rep' THEN ARRAY[me.id]
        WHEN 'manager' THEN ARRAY[me.id] || public.crm_team_ids()
        WHEN 'clerk' THEN ARRAY(
            SELECT a.rep_id FROM public.clerk_assignments a
            WHERE a.clerk_id = me.id AND a.valid_until > now()
            ORDER BY a.rep_id)
        ELSE '{{}}'::uuid[]
    END
    FROM public.users me
    WHERE me.id = public.crm_current_user_id()
$$;

-- The name of the caller's office while it is not live (he can log in but sees nothing), else
-- NULL: the program asks at connect and at every sync, to say so in plain words. Looked up by
-- the login alone, so a SET ROLE does not make him look live.
CREATE FUNCTION crm_office_waiting() RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT o.name::text FROM public.users me JOIN public.offices o ON o.id = me.office_id
    WHERE me.login = session_user AND me.active AND me.deleted_at IS NULL
      AND NOT {MAY_ACT}
$$;

REVOKE EXECUTE ON FUNCTION crm_team_ids(), crm_office_waiting() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crm_team_ids(), crm_office_waiting() TO {GROUP_ROLE};
"""

OFFICE_POLICIES = f"""
ALTER TABLE offices ENABLE ROW LEVEL SECURITY;
ALTER TABLE offices FORCE ROW LEVEL SECURITY;
-- Office names are not secret: every signed-in user reads them (a waiting one too, to be told
-- which office he is waiting for).
CREATE POLICY offices_select ON offices FOR SELECT USING ({SIGNED_IN});
CREATE POLICY offices_insert ON offices FOR INSERT WITH CHECK ({ADMIN});
CREATE POLICY offices_update ON offices FOR UPDATE USING ({ADMIN}) WITH CHECK ({ADMIN});
-- No delete policy and no DELETE or TRUNCATE privilege: an office is never removed (users and
-- their history point at it); one that closes is simply left without users.
REVOKE ALL ON offices FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE (name, parent_id, live) ON offices TO {GROUP_ROLE};
"""

# A manager assigns clerks to the reps of his team, now by office too (0001 and 0003 read
# "users whose manager I am"). Still not crm_visible_owner_ids(): for a clerk that reads this
# very table (endless recursion); crm_team_ids() reads only users and offices.
MANAGER_OF_REP = f"((SELECT crm_current_role()) = 'manager' AND rep_id = ANY ({TEAM}))"
CLERK_POLICIES = f"""
ALTER POLICY clerk_assignments_select ON clerk_assignments
    USING ({ADMIN} OR clerk_id = {ME} OR rep_id = {ME} OR rep_id = ANY ({TEAM}));
ALTER POLICY clerk_assignments_insert ON clerk_assignments
    WITH CHECK ({ADMIN} OR {MANAGER_OF_REP});
ALTER POLICY clerk_assignments_update ON clerk_assignments
    USING ({ADMIN} OR {MANAGER_OF_REP}) WITH CHECK ({ADMIN} OR {MANAGER_OF_REP});
ALTER POLICY clerk_assignments_delete ON clerk_assignments
    USING ({ADMIN} OR {MANAGER_OF_REP});
"""

# The read policies of 0003, whole, now closed to a user whose office has not started: the
# product list and the change log are the office's business once it is live. Users stay
# readable (who is who is no secret, and the program reads them to greet him).
READ_POLICIES = f"""
ALTER POLICY products_select ON products USING ({SIGNED_IN} AND {NOT_WAITING});
ALTER POLICY sync_changes_select ON sync_changes USING ({SIGNED_IN} AND {NOT_WAITING} AND (
        {ADMIN}
        OR entity IN ('users', 'products')
        OR row_id IS NULL
        OR customer_id IN (SELECT id FROM customers)
        OR owner_id = ANY ({VISIBLE_OWNERS})
        OR previous_owner_id = ANY ({VISIBLE_OWNERS})
        OR (entity = 'customers' AND {POOL} AND (
            (op = 'delete' AND owner_id IS NULL)
            OR (previous_owner_id IS NULL AND 'owner_id' = ANY (changed_fields))))));
"""


def upgrade() -> None:
    op.execute(OFFICES)
    op.execute(CHECK_OFFICE)
    op.execute(IDENTITY)
    op.execute(OFFICE_POLICIES)
    op.execute(CLERK_POLICIES)
    op.execute(READ_POLICIES)


def downgrade() -> None:
    raise NotImplementedError("the hardening of the server schema is not undone")
