"""server schema: entity tables, change capture, row-level security

Revision ID: 0001
Revises:
Create Date: 2026-11-23 15:30:00

Plain tables mirroring the local store, so finance and ERP systems can use them with SQL; a
trigger on each records every change in sync_changes for the devices to pull; row-level security
decides, on the server, which rows each CRM user (a PostgreSQL login role) may see and change.

Nothing here needs a superuser, an extension or an untrusted language: it runs on managed
PostgreSQL as a role that owns the database and may create roles.
"""

from __future__ import annotations

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

GROUP_ROLE = "crm_users"

# Every synced row carries these; ids are made by the clients (offline), the default serves
# rows inserted with plain SQL.
TRACKED = """
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by uuid,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid,
    deleted_at timestamptz"""

# Foreign keys are checked at commit so a device's batch can be applied in any order.
DEFERRED = "DEFERRABLE INITIALLY DEFERRED"

TABLES = {
    "users": f"""
        login varchar(63) NOT NULL UNIQUE,
        name varchar(200) NOT NULL,
        role varchar(16) NOT NULL DEFAULT 'rep'
            CHECK (role IN ('admin', 'manager', 'rep', 'clerk')),
        manager_id uuid REFERENCES users (id) {DEFERRED},
        active boolean NOT NULL DEFAULT true""",
    "customers": f"""
        name varchar(200) NOT NULL,
        short_name varchar(100),
        kind varchar(16) NOT NULL DEFAULT 'company',
        grade varchar(1),
        industry varchar(100),
        source varchar(100),
        address varchar(300),
        phone varchar(32),
        phone2 varchar(32),
        email varchar(254),
        website varchar(300),
        notes text,
        owner_id uuid REFERENCES users (id) {DEFERRED},
        last_followup_at timestamptz,
        next_followup_at timestamptz""",
    "customer_identifiers": f"""
        customer_id uuid NOT NULL REFERENCES customers (id) {DEFERRED},
        kind varchar(32) NOT NULL,
        value varchar(100) NOT NULL,
        value_key varchar(100) NOT NULL""",
    "contacts": f"""
        customer_id uuid NOT NULL REFERENCES customers (id) {DEFERRED},
        name varchar(200) NOT NULL,
        title varchar(100),
        phone varchar(32),
        mobile varchar(32),
        email varchar(254),
        messaging_id varchar(100),
        notes text""",
    "products": """
        code varchar(64) NOT NULL UNIQUE,
        name varchar(200) NOT NULL,
        unit varchar(32),
        list_price_cents bigint NOT NULL DEFAULT 0,
        active boolean NOT NULL DEFAULT true""",
    "opportunities": f"""
        customer_id uuid NOT NULL REFERENCES customers (id) {DEFERRED},
        contact_id uuid REFERENCES contacts (id) {DEFERRED},
        title varchar(200) NOT NULL,
        stage varchar(16) NOT NULL DEFAULT 'lead',
        amount_cents bigint NOT NULL DEFAULT 0,
        expected_close date,
        probability integer NOT NULL DEFAULT 10,
        owner_id uuid REFERENCES users (id) {DEFERRED},
        close_reason varchar(300),
        closed_at timestamptz,
        notes text""",
    "opportunity_lines": f"""
        opportunity_id uuid NOT NULL REFERENCES opportunities (id) {DEFERRED},
        customer_id uuid NOT NULL REFERENCES customers (id) {DEFERRED},
        product_id uuid NOT NULL REFERENCES products (id) {DEFERRED},
        quantity double precision NOT NULL DEFAULT 1,
        unit_price_cents bigint NOT NULL DEFAULT 0""",
    "tasks": f"""
        title varchar(200) NOT NULL,
        due_at timestamptz,
        assignee_id uuid REFERENCES users (id) {DEFERRED},
        priority varchar(8) NOT NULL DEFAULT 'normal',
        done boolean NOT NULL DEFAULT false,
        done_at timestamptz,
        customer_id uuid REFERENCES customers (id) {DEFERRED},
        opportunity_id uuid REFERENCES opportunities (id) {DEFERRED},
        notes text""",
    "followups": f"""
        customer_id uuid NOT NULL REFERENCES customers (id) {DEFERRED},
        contact_id uuid REFERENCES contacts (id) {DEFERRED},
        kind varchar(16) NOT NULL DEFAULT 'call',
        happened_at timestamptz NOT NULL DEFAULT now(),
        text text NOT NULL DEFAULT '',
        promise text,
        next_step text,
        next_step_at timestamptz""",
}

# Policies are evaluated per row: the indexes below let "my customers" and "what hangs off a
# customer" be index lookups rather than scans.
INDEXES = [
    ("users", "manager_id"),
    ("customers", "owner_id"),
    ("customer_identifiers", "customer_id"),
    ("customer_identifiers", "value_key"),
    ("contacts", "customer_id"),
    ("opportunities", "customer_id"),
    ("opportunity_lines", "customer_id"),
    ("opportunity_lines", "opportunity_id"),
    ("tasks", "customer_id"),
    ("tasks", "assignee_id"),
    ("followups", "customer_id"),
]

# Tables hanging off one customer through a NOT NULL customer_id: the customer is the scope key.
CHILD_TABLES = [
    "customer_identifiers",
    "contacts",
    "opportunities",
    "opportunity_lines",
    "followups",
]

OTHER_TABLES = """
CREATE TABLE clerk_assignments (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    clerk_id uuid NOT NULL REFERENCES users (id),
    rep_id uuid NOT NULL REFERENCES users (id),
    valid_until timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (clerk_id, rep_id)
);

-- The change log the devices pull from. Pull reads it by transaction id against a snapshot
-- (pg_current_snapshot / pg_visible_in_snapshot), never by seq alone: seq values are handed
-- out in one order and committed in another.
CREATE TABLE sync_changes (
    seq bigserial PRIMARY KEY,
    txid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    entity text NOT NULL,
    row_id uuid,                 -- NULL for a 'truncate' marker
    customer_id uuid,            -- scope key: the customer the row hangs off
    owner_id uuid,               -- customers: owner after the change;
                                 -- tasks without a customer: the assignee
    previous_owner_id uuid,      -- customers: owner before, when the change moved it
    op text NOT NULL CHECK (op IN ('insert', 'update', 'delete', 'truncate')),
    changed_fields text[],       -- updates: the columns whose value changed
    changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX ix_sync_changes_txid ON sync_changes (txid);
"""

# Helpers the policies call. They are SECURITY INVOKER on purpose: inside a SECURITY DEFINER
# function current_user is the definer, so it could not tell who is asking; and the tables they
# read (users; a clerk's own assignments) are readable by every CRM user anyway. STABLE, and the
# policies call them as `(SELECT f())` so each runs once per statement (an InitPlan), not per row.
# search_path is pinned so a user's own objects can't stand in for ours.
HELPERS = """
CREATE FUNCTION crm_current_user_id() RETURNS uuid
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT id FROM public.users
    WHERE login = current_user AND active AND deleted_at IS NULL
$$;

-- The role that owns the tables (the deployment admin running `server init`) counts as admin:
-- with FORCE ROW LEVEL SECURITY the owner is bound by the policies too.
CREATE FUNCTION crm_current_role() RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT CASE
        WHEN pg_has_role((SELECT relowner FROM pg_class WHERE oid = 'public.users'::regclass),
                         'MEMBER') THEN 'admin'
        ELSE (SELECT role FROM public.users
              WHERE login = current_user AND active AND deleted_at IS NULL)
    END
$$;

CREATE FUNCTION crm_is_admin() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce(public.crm_current_role() = 'admin', false)
$$;

-- Managers and reps see the public pool (customers without owner); clerks don't.
CREATE FUNCTION crm_sees_pool() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT coalesce(public.crm_current_role() IN ('manager', 'rep'), false)
$$;

-- The owners whose customers the current user sees: a rep himself; a manager himself and his
-- team; a clerk the reps he is assigned to, while the assignment is valid.
CREATE FUNCTION crm_visible_owner_ids() RETURNS uuid[]
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT CASE me.role
        WHEN 'rep' THEN ARRAY[me.id]
        WHEN 'manager' THEN ARRAY[me.id]
            || ARRAY(SELECT u.id FROM public.users u WHERE u.manager_id = me.id)
        WHEN 'clerk' THEN ARRAY(
            SELECT a.rep_id FROM public.clerk_assignments a
            WHERE a.clerk_id = me.id AND a.valid_until > now())
        ELSE '{}'::uuid[]
    END
    FROM public.users me
    WHERE me.login = current_user AND me.active AND me.deleted_at IS NULL
$$;

-- A point check through the customers policy (the caller's own rights apply).
CREATE FUNCTION crm_can_see_customer(customer uuid) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM public.customers WHERE id = customer)
$$;
"""

# Change capture. The AFTER trigger is SECURITY DEFINER so CRM users need no right to write the
# log themselves; it only reads the row it fires for.
CAPTURE = """
CREATE FUNCTION crm_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- A plain-SQL UPDATE that did not set updated_at still counts as a change.
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at AND NEW IS DISTINCT FROM OLD THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION crm_capture_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    new_row jsonb := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    old_row jsonb := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    row_data jsonb := coalesce(new_row, old_row);
    fields text[];
    scope uuid;
    owner uuid;
    previous_owner uuid;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        SELECT array_agg(n.key ORDER BY n.key) INTO fields
        FROM jsonb_each(new_row) n JOIN jsonb_each(old_row) o ON o.key = n.key
        WHERE n.value IS DISTINCT FROM o.value;
        IF fields IS NULL THEN
            RETURN NULL;  -- an UPDATE that changed nothing has nothing to sync
        END IF;
    END IF;
    IF TG_TABLE_NAME = 'customers' THEN
        scope := (row_data ->> 'id')::uuid;
        owner := (row_data ->> 'owner_id')::uuid;
        IF TG_OP = 'UPDATE' AND 'owner_id' = ANY (fields) THEN
            previous_owner := (old_row ->> 'owner_id')::uuid;
        END IF;
    ELSE
        scope := (row_data ->> 'customer_id')::uuid;
        IF TG_TABLE_NAME = 'tasks' AND scope IS NULL THEN
            owner := (row_data ->> 'assignee_id')::uuid;
        END IF;
    END IF;
    INSERT INTO public.sync_changes
        (entity, row_id, customer_id, owner_id, previous_owner_id, op, changed_fields)
    VALUES
        (TG_TABLE_NAME, (row_data ->> 'id')::uuid, scope, owner, previous_owner, lower(TG_OP),
         fields);
    RETURN NULL;
END
$$;

-- TRUNCATE fires no row triggers: record that it happened so devices know to resync.
CREATE FUNCTION crm_capture_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    INSERT INTO public.sync_changes (entity, row_id, op) VALUES (TG_TABLE_NAME, NULL, 'truncate');
    RETURN NULL;
END
$$;
"""

ADMIN = "(SELECT crm_is_admin())"
ME = "(SELECT crm_current_user_id())"
# The cast keeps `= ANY (...)` reading an array, not a subquery's rows.
VISIBLE_OWNERS = "CAST((SELECT crm_visible_owner_ids()) AS uuid[])"
POOL = "(SELECT crm_sees_pool())"
# Run through the customers policy once per statement and hashed: cheap for thousands of rows.
VISIBLE_CUSTOMER = "customer_id IN (SELECT id FROM customers)"

CUSTOMER_READ = f"{ADMIN} OR owner_id = ANY ({VISIBLE_OWNERS}) OR (owner_id IS NULL AND {POOL})"
CHILD_READ = f"{ADMIN} OR {VISIBLE_CUSTOMER}"
CHILD_WRITE = f"{ADMIN} OR crm_can_see_customer(customer_id)"
OWN_TASK = f"assignee_id = ANY ({VISIBLE_OWNERS}) OR created_by = {ME}"
MY_TEAM = f"(SELECT id FROM users WHERE manager_id = {ME})"

# table -> (select, insert check, update using, update check, delete using)
POLICIES: dict[str, tuple[str, str, str, str, str]] = {
    "users": ("true", ADMIN, ADMIN, ADMIN, ADMIN),
    "products": (
        "true",
        *(["(SELECT crm_current_role()) IN ('admin', 'manager')"] * 4),
    ),
    # Reps and managers may move customers only within what they see: a rep can claim a pool
    # customer or release his own, never hand himself someone else's.
    "customers": (
        CUSTOMER_READ,
        CUSTOMER_READ,
        CUSTOMER_READ,
        CUSTOMER_READ,
        f"{ADMIN} OR owner_id = ANY ({VISIBLE_OWNERS})",
    ),
    **{
        table: (CHILD_READ, CHILD_WRITE, CHILD_READ, CHILD_WRITE, CHILD_READ)
        for table in CHILD_TABLES
    },
    "tasks": (
        f"{CHILD_READ} OR (customer_id IS NULL AND ({OWN_TASK}))",
        f"{CHILD_WRITE} OR (customer_id IS NULL AND ({OWN_TASK}))",
        f"{CHILD_READ} OR (customer_id IS NULL AND ({OWN_TASK}))",
        f"{CHILD_WRITE} OR (customer_id IS NULL AND ({OWN_TASK}))",
        f"{CHILD_READ} OR (customer_id IS NULL AND ({OWN_TASK}))",
    ),
    # Must not call crm_visible_owner_ids(): that function reads this table (endless recursion).
    "clerk_assignments": (
        f"{ADMIN} OR clerk_id = {ME} OR rep_id = {ME} OR rep_id IN {MY_TEAM}",
        *([f"{ADMIN} OR ((SELECT crm_current_role()) = 'manager' AND rep_id IN {MY_TEAM})"] * 4),
    ),
    # CRM users only read the log (they hold no other privilege on it); the capture trigger
    # writes as the owner. A change is visible when its customer is visible now, or when it
    # moved a customer out of the reader's view (so the device learns to drop it).
    "sync_changes": (
        f"""{ADMIN}
        OR entity IN ('users', 'products')
        OR row_id IS NULL
        OR {VISIBLE_CUSTOMER}
        OR owner_id = ANY ({VISIBLE_OWNERS})
        OR previous_owner_id = ANY ({VISIBLE_OWNERS})
        OR (entity = 'customers' AND {POOL} AND (
            (op = 'delete' AND owner_id IS NULL)
            OR (previous_owner_id IS NULL AND 'owner_id' = ANY (changed_fields))))""",
        # Writes are gated by privileges instead (only the owner holds them): a policy here
        # would be evaluated for every captured row and triple the cost of bulk loads.
        *(["true"] * 4),
    ),
}


def _policies(table: str) -> str:
    select, insert_check, update_using, update_check, delete_using = POLICIES[table]
    return f"""
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
CREATE POLICY {table}_select ON {table} FOR SELECT USING ({select});
CREATE POLICY {table}_insert ON {table} FOR INSERT WITH CHECK ({insert_check});
CREATE POLICY {table}_update ON {table} FOR UPDATE
    USING ({update_using}) WITH CHECK ({update_check});
CREATE POLICY {table}_delete ON {table} FOR DELETE USING ({delete_using});
"""


def upgrade() -> None:
    # Group role: table privileges go to it, each user role just becomes a member. Roles are
    # cluster-wide, so another CRM database on the same server may have made it already.
    op.execute(f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{GROUP_ROLE}') THEN
        CREATE ROLE {GROUP_ROLE} NOLOGIN;
    END IF;
END
$$;
""")
    for table, columns in TABLES.items():
        op.execute(f"CREATE TABLE {table} ({TRACKED},{columns}\n)")
    for table, column in INDEXES:
        op.execute(f"CREATE INDEX ix_{table}_{column} ON {table} ({column})")
    op.execute(OTHER_TABLES)
    op.execute("CREATE INDEX ix_clerk_assignments_rep_id ON clerk_assignments (rep_id)")
    op.execute(HELPERS)
    op.execute(CAPTURE)
    for table in TABLES:
        op.execute(f"""
CREATE TRIGGER crm_touch_updated_at BEFORE UPDATE ON {table}
    FOR EACH ROW EXECUTE FUNCTION crm_touch_updated_at();
CREATE TRIGGER crm_capture_change AFTER INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION crm_capture_change();
CREATE TRIGGER crm_capture_truncate AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION crm_capture_truncate();
""")
    for table in POLICIES:
        op.execute(_policies(table))
    writable = ", ".join([*TABLES, "clerk_assignments"])
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {writable} TO {GROUP_ROLE}")
    # alembic_version lets a client see the schema revision and ask the user to upgrade.
    op.execute(f"GRANT SELECT ON sync_changes, alembic_version TO {GROUP_ROLE}")


def downgrade() -> None:
    op.execute(
        "DROP TABLE IF EXISTS sync_changes, clerk_assignments, "
        + ", ".join(reversed(list(TABLES)))
        + " CASCADE"
    )
    for function in (
        "crm_capture_truncate()",
        "crm_capture_change()",
        "crm_touch_updated_at()",
        "crm_can_see_customer(uuid)",
        "crm_visible_owner_ids()",
        "crm_sees_pool()",
        "crm_is_admin()",
        "crm_current_role()",
        "crm_current_user_id()",
    ):
        op.execute(f"DROP FUNCTION IF EXISTS {function}")
