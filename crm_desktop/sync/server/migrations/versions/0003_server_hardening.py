"""server hardening: every CRM user has psql and his own password

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 12:00:00

What a CRM user can do with plain SQL is what the server allows, so the server now decides it
all (docs/security.md is the threat model):

- No function that runs as the owner can be called, or attached to a table, by a CRM role:
  EXECUTE is revoked from PUBLIC on every function, granted back only on the invoker-rights
  helpers the policies call; the owner-rights trigger functions check what they fire on.
- Who asks is the login (session_user), and nobody after SET ROLE; a deactivated user's open
  session reads nothing at all; only this database's users may connect to it (CONNECT is
  granted per user, not to PUBLIC), so a CRM user of another database on the server may not.
  CRM roles cannot create temporary objects (so no table, type, cast or function of their own).
- References stay within one customer: a contact, opportunity or line another row points at
  belongs to that row's customer (composite foreign keys), so no device receives a row pointing
  at something its user may not see.
- No hard deletes by CRM roles; a pool customer must be claimed before it is changed or
  deleted; rows hanging off a customer are written only by those who may change the customer.
- CHECK constraints on every coded and numeric column and on control characters in text.
- created_by/created_at/updated_by/updated_at are set by the server for CRM roles.
- Push receipts are keyed by the pushing user as well as device and seq; the change log no
  longer shows CRM roles who owns what; clerk assignments only for clerks, and finite; a
  deactivated user's login is disabled.

Existing rows that break a new rule are repaired first, and each repaired value is kept in
`server_repairs` (readable by administrators) so nothing is lost.

Like every migration, it carries its own statements: the values below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

GROUP_ROLE = "crm_users"
SYNCED_TABLES = (
    "users",
    "customers",
    "customer_identifiers",
    "contacts",
    "products",
    "opportunities",
    "opportunity_lines",
    "tasks",
    "followups",
)
# Rows whose customer_id never changes once written (tasks may move between customers).
FIXED_CUSTOMER_TABLES = (
    "customer_identifiers",
    "contacts",
    "opportunities",
    "opportunity_lines",
    "followups",
)
MAX_MONEY_CENTS = 10**14  # one trillion yuan, in fen (models/limits.py)
MAX_QUANTITY = 10**9
# C0 controls, DEL and C1 controls: nothing a person types into a one-line field.
ONE_LINE_CONTROLS = r"[\u0001-\u001f\u007f-\u009f]"
# Long text keeps tab, newline and carriage return (other systems write Windows line ends; the
# devices turn them into newlines).
LONG_TEXT_CONTROLS = r"[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]"
MAX_LONG_TEXT = 100_000  # characters (models/limits.py)

# (table, column, allowed values, value an existing bad row is repaired to)
CODED = [
    ("customers", "kind", ("company", "person"), "'company'"),
    ("customers", "grade", ("A", "B", "C"), "NULL"),
    (
        "customer_identifiers",
        "kind",
        ("tax_number", "id_card", "policy_number", "licence_plate", "member_number", "other"),
        "'other'",
    ),
    (
        "opportunities",
        "stage",
        ("lead", "qualified", "proposal", "negotiation", "won", "lost"),
        "'lead'",
    ),
    ("tasks", "priority", ("low", "normal", "high"), "'normal'"),
    ("followups", "kind", ("call", "visit", "email", "message", "note"), "'note'"),
]
# (table, column, lowest, highest); a repaired value is clamped into the range (NaN -> lowest).
RANGES = [
    ("products", "list_price_cents", 0, MAX_MONEY_CENTS),
    ("opportunities", "amount_cents", 0, MAX_MONEY_CENTS),
    ("opportunities", "probability", 0, 100),
    ("opportunity_lines", "quantity", 0, MAX_QUANTITY),
    ("opportunity_lines", "unit_price_cents", 0, MAX_MONEY_CENTS),
]
ONE_LINE_TEXT = {
    "users": ("name",),
    "customers": (
        "name",
        "short_name",
        "industry",
        "source",
        "address",
        "phone",
        "phone2",
        "email",
        "website",
    ),
    "customer_identifiers": ("value", "value_key"),
    "contacts": ("name", "title", "phone", "mobile", "email", "messaging_id"),
    "products": ("code", "name", "unit"),
    "opportunities": ("title", "close_reason"),
    "tasks": ("title",),
}
LONG_TEXT = {
    "customers": ("notes",),
    "contacts": ("notes",),
    "opportunities": ("notes",),
    "tasks": ("notes",),
    "followups": ("text", "promise", "next_step"),
}

# Every time a device must be able to hold: no infinity, no year past 9999 (a Python datetime
# and the pull's text form both end there). (table, column, NOT NULL)
TIMES = [
    *[
        (table, column, column != "deleted_at")
        for table in SYNCED_TABLES
        for column in ("created_at", "updated_at", "deleted_at")
    ],
    ("customers", "last_followup_at", False),
    ("customers", "next_followup_at", False),
    ("opportunities", "expected_close", False),
    ("opportunities", "closed_at", False),
    ("tasks", "due_at", False),
    ("tasks", "done_at", False),
    ("followups", "happened_at", True),
    ("followups", "next_step_at", False),
]
EARLIEST, LATEST = "1900-01-01", "9999-12-31"

REPAIRS_TABLE = """
CREATE TABLE server_repairs (
    id bigserial PRIMARY KEY,
    table_name text NOT NULL,
    row_id uuid NOT NULL,
    column_name text NOT NULL,
    old_value text,
    new_value text,
    reason text NOT NULL,
    repaired_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE server_repairs ENABLE ROW LEVEL SECURITY;
ALTER TABLE server_repairs FORCE ROW LEVEL SECURITY;
CREATE POLICY server_repairs_admin ON server_repairs USING ((SELECT crm_is_admin()));
"""


def _repair(table: str, column: str, bad: str, fixed: str, reason: str) -> None:
    """Keep each bad value in server_repairs, then set the repaired one."""
    op.execute(
        "INSERT INTO server_repairs"
        " (table_name, row_id, column_name, old_value, new_value, reason)"
        f" SELECT '{table}', id, '{column}', {column}::text, ({fixed})::text, '{reason}'"
        f" FROM {table} WHERE {bad}"
    )
    op.execute(f"UPDATE {table} SET {column} = {fixed} WHERE {bad}")


def _constrain(table: str, name: str, check: str, bad: str, column: str, fixed: str) -> None:
    _repair(table, column, bad, fixed, name)
    op.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({check})")


def _checks() -> None:
    for table, column, allowed, fixed in CODED:
        values = ", ".join(f"'{value}'" for value in allowed)
        check = f"{column} IN ({values})"
        _constrain(table, f"ck_{table}_{column}", check, f"NOT ({check})", column, fixed)
    for table, column, low, high in RANGES:
        check = f"{column} BETWEEN {low} AND {high}"
        fixed = f"CASE WHEN {column} = 'NaN' OR {column} < {low} THEN {low} ELSE {high} END"
        if column != "quantity":  # integers have no NaN
            fixed = f"CASE WHEN {column} < {low} THEN {low} ELSE {high} END"
        _constrain(table, f"ck_{table}_{column}", check, f"NOT ({check})", column, fixed)
    for table, column, required in TIMES:
        check = f"{column} BETWEEN '{EARLIEST}' AND '{LATEST}'"
        fixed = f"CASE WHEN {column} < '{EARLIEST}' THEN '{EARLIEST}' ELSE now() END"
        if not required:
            fixed = "NULL"
        _constrain(table, f"ck_{table}_{column}_range", check, f"NOT ({check})", column, fixed)
    for table, names in LONG_TEXT.items():
        for column in names:
            check = f"char_length({column}) <= {MAX_LONG_TEXT}"
            fixed = f"left({column}, {MAX_LONG_TEXT})"
            _constrain(table, f"ck_{table}_{column}_length", check, f"NOT ({check})", column, fixed)
    for columns, pattern, kind in (
        (ONE_LINE_TEXT, ONE_LINE_CONTROLS, "text"),
        (LONG_TEXT, LONG_TEXT_CONTROLS, "long_text"),
    ):
        for table, names in columns.items():
            for column in names:
                check = f"{column} !~ '{pattern}'"
                fixed = f"regexp_replace({column}, '{pattern}', ' ', 'g')"
                name = f"ck_{table}_{column}_{kind}"
                _constrain(table, name, check, f"NOT ({check})", column, fixed)


def _same_customer_references() -> None:
    """A row may point only at a contact/opportunity of its own customer."""
    for table, column in (("opportunities", "contact_id"), ("followups", "contact_id")):
        bad = (
            f"{column} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM contacts c"
            f" WHERE c.id = {table}.{column} AND c.customer_id = {table}.customer_id)"
        )
        _repair(table, column, bad, "NULL", "contact of another customer")
    bad = (
        "opportunity_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM opportunities o"
        " WHERE o.id = tasks.opportunity_id AND o.customer_id = tasks.customer_id)"
    )
    _repair("tasks", "opportunity_id", bad, "NULL", "opportunity of another customer")
    fixed = (
        "(SELECT o.customer_id FROM opportunities o WHERE o.id = opportunity_lines.opportunity_id)"
    )
    _repair(
        "opportunity_lines",
        "customer_id",
        f"customer_id IS DISTINCT FROM {fixed}",
        fixed,
        "line of another customer opportunity",
    )
    op.execute("""
ALTER TABLE contacts ADD CONSTRAINT uq_contacts_id_customer UNIQUE (id, customer_id);
ALTER TABLE opportunities ADD CONSTRAINT uq_opportunities_id_customer UNIQUE (id, customer_id);
ALTER TABLE opportunities ADD CONSTRAINT fk_opportunities_contact_same_customer
    FOREIGN KEY (contact_id, customer_id) REFERENCES contacts (id, customer_id)
    DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE followups ADD CONSTRAINT fk_followups_contact_same_customer
    FOREIGN KEY (contact_id, customer_id) REFERENCES contacts (id, customer_id)
    DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE opportunity_lines ADD CONSTRAINT fk_opportunity_lines_same_customer
    FOREIGN KEY (opportunity_id, customer_id) REFERENCES opportunities (id, customer_id)
    DEFERRABLE INITIALLY DEFERRED;
-- MATCH SIMPLE skips a reference with a NULL part: a task's opportunity needs its customer.
ALTER TABLE tasks ADD CONSTRAINT ck_tasks_opportunity_has_customer
    CHECK (opportunity_id IS NULL OR customer_id IS NOT NULL);
ALTER TABLE tasks ADD CONSTRAINT fk_tasks_opportunity_same_customer
    FOREIGN KEY (opportunity_id, customer_id) REFERENCES opportunities (id, customer_id)
    DEFERRABLE INITIALLY DEFERRED;
""")


# Owner-rights trigger functions, replaced with versions that refuse to run on anything but
# our own tables. Nobody but the owner may execute them (revoked below); a trigger fires its
# function without checking EXECUTE, so our own tables keep capturing changes.
CAPTURE = f"""
CREATE OR REPLACE FUNCTION crm_capture_change() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    new_row jsonb;
    old_row jsonb;
    row_data jsonb;
    fields text[];
    scope uuid;
    owner uuid;
    previous_owner uuid;
BEGIN
    -- Checked before NEW or OLD is touched: to_jsonb() of a row of someone else's table
    -- could run his code (a cast on his own type) with the owner's rights.
    IF TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' OR TG_TABLE_SCHEMA <> 'public'
       OR NOT TG_TABLE_NAME = ANY (ARRAY{list(SYNCED_TABLES)!r}::text[])
       OR TG_RELID <> to_regclass('public.' || quote_ident(TG_TABLE_NAME)) THEN
        RAISE EXCEPTION 'crm_capture_change fires only on the CRM tables'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    new_row := CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW) END;
    old_row := CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD) END;
    row_data := coalesce(new_row, old_row);
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

CREATE OR REPLACE FUNCTION crm_capture_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF TG_LEVEL <> 'STATEMENT' OR TG_OP <> 'TRUNCATE' OR TG_TABLE_SCHEMA <> 'public'
       OR NOT TG_TABLE_NAME = ANY (ARRAY{list(SYNCED_TABLES)!r}::text[])
       OR TG_RELID <> to_regclass('public.' || quote_ident(TG_TABLE_NAME)) THEN
        RAISE EXCEPTION 'crm_capture_truncate fires only on the CRM tables'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO public.sync_changes (entity, row_id, op) VALUES (TG_TABLE_NAME, NULL, 'truncate');
    RETURN NULL;
END
$$;

-- Deactivating (or soft-deleting) a user disables his login; reactivating enables it. Runs as
-- the owner because only the owner may alter roles; fires only on public.users, and only
-- for login roles that are CRM users of this database.
CREATE FUNCTION crm_sync_login() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    enabled boolean;
BEGIN
    IF TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' OR TG_OP <> 'UPDATE'
       OR TG_RELID <> 'public.users'::regclass THEN
        RAISE EXCEPTION 'crm_sync_login fires only on public.users'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    enabled := NEW.active AND NEW.deleted_at IS NULL;
    IF enabled IS DISTINCT FROM (OLD.active AND OLD.deleted_at IS NULL)
       AND EXISTS (SELECT FROM pg_roles r WHERE r.rolname = NEW.login AND NOT r.rolsuper)
       AND pg_has_role(NEW.login, '{GROUP_ROLE}', 'MEMBER')
       -- a user of this database, not one of another CRM database on the same server
       AND has_database_privilege(NEW.login, current_database(), 'CONNECT')
       AND NOT pg_has_role(NEW.login, (SELECT relowner FROM pg_class WHERE oid = TG_RELID),
                           'MEMBER') THEN
        EXECUTE format('ALTER ROLE %I %s', NEW.login,
                       CASE WHEN enabled THEN 'LOGIN' ELSE 'NOLOGIN' END);
    END IF;
    RETURN NULL;
END
$$;
"""

# Who is asking is the login (session_user), and only while he has not switched to another role:
# every CRM user may SET ROLE crm_users, and a users row of that name (an admin's slip) must not
# make him anybody. Policies call these with the caller's rights.
IDENTITY = """
CREATE OR REPLACE FUNCTION crm_current_user_id() RETURNS uuid
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT id FROM public.users
    WHERE login = session_user AND current_user = session_user AND active AND deleted_at IS NULL
$$;

CREATE OR REPLACE FUNCTION crm_current_role() RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT CASE
        WHEN pg_has_role((SELECT relowner FROM pg_class WHERE oid = 'public.users'::regclass),
                         'MEMBER') THEN 'admin'
        ELSE (SELECT role FROM public.users
              WHERE login = session_user AND current_user = session_user
                AND active AND deleted_at IS NULL)
    END
$$;

CREATE OR REPLACE FUNCTION crm_visible_owner_ids() RETURNS uuid[]
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
    WHERE me.login = session_user AND current_user = session_user
      AND me.active AND me.deleted_at IS NULL
$$;
"""

# What every user may read (users, products, the log's common entries) is read only while his
# login works: deactivation disables it (crm_sync_login), so a deactivated user's session that is
# still open reads nothing. pg_roles is readable by everyone; no function of ours is needed.
SIGNED_IN = (
    "coalesce((SELECT r.rolcanlogin FROM pg_catalog.pg_roles r WHERE r.rolname = session_user),"
    " false)"
)
READ_POLICIES = f"""
DROP POLICY users_select ON users;
CREATE POLICY users_select ON users FOR SELECT USING ({SIGNED_IN});
DROP POLICY products_select ON products;
CREATE POLICY products_select ON products FOR SELECT USING ({SIGNED_IN});
ALTER POLICY sync_changes_select ON sync_changes USING ({SIGNED_IN} AND (
        (SELECT crm_is_admin())
        OR entity IN ('users', 'products')
        OR row_id IS NULL
        OR customer_id IN (SELECT id FROM customers)
        OR owner_id = ANY (CAST((SELECT crm_visible_owner_ids()) AS uuid[]))
        OR previous_owner_id = ANY (CAST((SELECT crm_visible_owner_ids()) AS uuid[]))
        OR (entity = 'customers' AND (SELECT crm_sees_pool()) AND (
            (op = 'delete' AND owner_id IS NULL)
            OR (previous_owner_id IS NULL AND 'owner_id' = ANY (changed_fields))))));
"""

# Invoker-rights trigger functions: they decide nothing a CRM role could not see for himself.
GUARDS = """
-- The owner and other systems writing with plain SQL as the owner keep the audit values they
-- set (an UPDATE that set no updated_at still counts as a change); for a CRM role the server
-- says who and when. Ids, creation and fixed parents never change.
CREATE FUNCTION crm_stamp_row() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    fixed text;
    new_row jsonb;
    old_row jsonb;
    me uuid;
    AUDIT CONSTANT text[] := ARRAY['created_at', 'created_by', 'updated_at', 'updated_by'];
BEGIN
    IF TG_OP = 'UPDATE' THEN
        new_row := to_jsonb(NEW);
        old_row := to_jsonb(OLD);
        -- For the owner too: the change log names a row by id and customer, so a row moved
        -- under either would stay behind on the devices that had it.
        FOREACH fixed IN ARRAY array_prepend('id', TG_ARGV) LOOP
            IF new_row -> fixed IS DISTINCT FROM old_row -> fixed THEN
                RAISE EXCEPTION '% of a % cannot change', fixed, TG_TABLE_NAME
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
        END LOOP;
    END IF;
    IF pg_has_role((SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        IF TG_OP = 'UPDATE' AND NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at
           AND NEW IS DISTINCT FROM OLD THEN
            NEW.updated_at := now();
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE' AND new_row - AUDIT = old_row - AUDIT THEN
        RETURN OLD;  -- nothing changed but the audit columns: nothing to stamp or sync
    END IF;
    me := public.crm_current_user_id();
    IF TG_OP = 'INSERT' THEN
        NEW.created_at := now();
        NEW.created_by := me;
    ELSE
        NEW.created_at := OLD.created_at;
        NEW.created_by := OLD.created_by;
    END IF;
    NEW.updated_at := now();
    NEW.updated_by := me;
    -- A delete dated in the future would hide a row from a date that has not come yet.
    IF NEW.deleted_at > now() THEN
        NEW.deleted_at := now();
    END IF;
    RETURN NEW;
END
$$;

-- A customer in the public pool is claimed before anything else is done to it (by anyone but
-- an administrator): editing or deleting it in the pool would change other reps' data. A clerk
-- enters data for his reps; handing their customers around is not his to do.
CREATE FUNCTION crm_guard_customer() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    -- Nested, so the role is looked up only for the changes it decides.
    IF OLD.owner_id IS NULL AND NEW.owner_id IS NULL THEN
        IF NOT public.crm_is_admin() THEN
            RAISE EXCEPTION 'a customer in the public pool must be claimed before it is changed'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSIF NEW.owner_id IS DISTINCT FROM OLD.owner_id THEN
        IF public.crm_current_role() = 'clerk' THEN
            RAISE EXCEPTION 'a clerk cannot hand a customer to someone else'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION crm_check_clerk_assignment() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (NEW.clerk_id <> OLD.clerk_id OR NEW.rep_id <> OLD.rep_id) THEN
        RAISE EXCEPTION 'a clerk assignment cannot change its clerk or rep; end it instead'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (SELECT FROM public.users
                   WHERE id = NEW.clerk_id AND role = 'clerk' AND deleted_at IS NULL) THEN
        RAISE EXCEPTION 'only a user whose role is clerk can be assigned to a rep'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NOT EXISTS (SELECT FROM public.users
                   WHERE id = NEW.rep_id AND role = 'rep' AND deleted_at IS NULL) THEN
        RAISE EXCEPTION 'a clerk can be assigned only to a rep'
            USING ERRCODE = 'check_violation';
    END IF;
    IF NOT pg_has_role((SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        IF NEW.valid_until > now() + interval '1 year' THEN
            RAISE EXCEPTION 'a clerk assignment may last at most one year'
                USING ERRCODE = 'check_violation';
        END IF;
        IF TG_OP = 'INSERT' THEN
            NEW.created_at := now();
            NEW.created_by := public.crm_current_user_id();
        ELSE
            NEW.created_at := OLD.created_at;
            NEW.created_by := OLD.created_by;
        END IF;
        NEW.updated_at := now();
        NEW.updated_by := public.crm_current_user_id();
    END IF;
    RETURN NEW;
END
$$;

-- Rows hanging off a customer are written by those who may change the customer: its owner's
-- people, not everyone who sees it in the pool.
CREATE FUNCTION crm_can_write_customer(customer uuid) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    SELECT EXISTS (SELECT 1 FROM public.customers c
                   WHERE c.id = customer AND (c.owner_id IS NOT NULL OR public.crm_is_admin()))
$$;
"""

ADMIN = "(SELECT crm_is_admin())"
ME = "(SELECT crm_current_user_id())"
VISIBLE_OWNERS = "CAST((SELECT crm_visible_owner_ids()) AS uuid[])"
POOL = "(SELECT crm_sees_pool())"
CUSTOMER_READ = f"{ADMIN} OR owner_id = ANY ({VISIBLE_OWNERS}) OR (owner_id IS NULL AND {POOL})"
CHILD_READ = f"{ADMIN} OR customer_id IN (SELECT id FROM customers)"
CHILD_WRITE = f"{ADMIN} OR crm_can_write_customer(customer_id)"
OWN_TASK = f"assignee_id = ANY ({VISIBLE_OWNERS}) OR created_by = {ME}"
MY_TEAM = f"(SELECT id FROM users WHERE manager_id = {ME})"

# table -> (insert check, update using, update check); select and delete policies stay.
WRITE_POLICIES = {
    **{table: (CHILD_WRITE, CHILD_WRITE, CHILD_WRITE) for table in FIXED_CUSTOMER_TABLES},
    "tasks": (
        f"{CHILD_WRITE} OR (customer_id IS NULL AND ({OWN_TASK}))",
        f"{CHILD_WRITE} OR (customer_id IS NULL AND ({OWN_TASK}))",
        f"{CHILD_WRITE} OR (customer_id IS NULL AND ({OWN_TASK}))",
    ),
    "clerk_assignments": tuple(
        [f"{ADMIN} OR ((SELECT crm_current_role()) = 'manager' AND rep_id IN {MY_TEAM})"] * 3
    ),
}

# Functions the policies call: invoker rights, so the caller needs EXECUTE on them.
POLICY_HELPERS = (
    "crm_current_user_id()",
    "crm_current_role()",
    "crm_is_admin()",
    "crm_sees_pool()",
    "crm_visible_owner_ids()",
    "crm_can_see_customer(uuid)",
    "crm_can_write_customer(uuid)",
)
# What the change log shows a CRM role: never who owns a customer.
LOG_COLUMNS = "seq, txid, entity, row_id, customer_id, op, changed_fields, changed_at"


def _write_policies() -> None:
    for table, (insert_check, update_using, update_check) in WRITE_POLICIES.items():
        op.execute(f"""
DROP POLICY {table}_insert ON {table};
DROP POLICY {table}_update ON {table};
CREATE POLICY {table}_insert ON {table} FOR INSERT WITH CHECK ({insert_check});
CREATE POLICY {table}_update ON {table} FOR UPDATE
    USING ({update_using}) WITH CHECK ({update_check});
""")


def _triggers() -> None:
    for table in SYNCED_TABLES:
        fixed = "'customer_id'" if table in FIXED_CUSTOMER_TABLES else ""
        if table == "users":
            fixed = "'login'"
        op.execute(f"""
DROP TRIGGER crm_touch_updated_at ON {table};
CREATE TRIGGER crm_stamp_row BEFORE INSERT OR UPDATE ON {table}
    FOR EACH ROW EXECUTE FUNCTION crm_stamp_row({fixed});
""")
    op.execute("""
DROP FUNCTION crm_touch_updated_at();
CREATE TRIGGER crm_guard_customer BEFORE UPDATE ON customers
    FOR EACH ROW EXECUTE FUNCTION crm_guard_customer();
CREATE TRIGGER crm_sync_login AFTER UPDATE OF active, deleted_at ON users
    FOR EACH ROW EXECUTE FUNCTION crm_sync_login();
CREATE TRIGGER crm_check_clerk_assignment BEFORE INSERT OR UPDATE ON clerk_assignments
    FOR EACH ROW EXECUTE FUNCTION crm_check_clerk_assignment();
""")


def _clerk_assignments() -> None:
    _repair(
        "clerk_assignments",
        "valid_until",
        "NOT isfinite(valid_until) OR valid_until > now() + interval '1 year'"
        " OR clerk_id NOT IN (SELECT id FROM users WHERE role = 'clerk')"
        " OR rep_id NOT IN (SELECT id FROM users WHERE role = 'rep')",
        "least(valid_until, now())",
        "clerk assignment not allowed: ended",
    )
    op.execute("""
ALTER TABLE clerk_assignments
    ADD COLUMN created_by uuid,
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN updated_by uuid,
    ADD CONSTRAINT ck_clerk_assignments_finite CHECK (isfinite(valid_until)),
    ADD CONSTRAINT ck_clerk_assignments_not_self CHECK (clerk_id <> rep_id);
""")


def _push_receipts() -> None:
    op.execute("""
ALTER TABLE sync_pushes DROP CONSTRAINT sync_pushes_pkey;
ALTER TABLE sync_pushes ADD PRIMARY KEY (pushed_by, device_id, seq);
DROP POLICY sync_pushes_own ON sync_pushes;
CREATE POLICY sync_pushes_read ON sync_pushes FOR SELECT
    USING ((SELECT crm_is_admin()) OR pushed_by = (SELECT crm_current_user_id()));
CREATE POLICY sync_pushes_write ON sync_pushes FOR INSERT
    WITH CHECK (pushed_by = (SELECT crm_current_user_id()));
""")


def _disable_inactive_logins() -> None:
    op.execute(f"""
DO $$
DECLARE
    login text;
BEGIN
    FOR login IN
        SELECT u.login FROM users u JOIN pg_roles r ON r.rolname = u.login
        WHERE NOT (u.active AND u.deleted_at IS NULL) AND r.rolcanlogin AND NOT r.rolsuper
          AND pg_has_role(u.login, '{GROUP_ROLE}', 'MEMBER')
    LOOP
        EXECUTE format('ALTER ROLE %I NOLOGIN', login);
    END LOOP;
END
$$;
""")


def _privileges() -> None:
    tables = ", ".join([*SYNCED_TABLES, "clerk_assignments"])
    op.execute(f"""
REVOKE DELETE, TRUNCATE, REFERENCES, TRIGGER ON {tables} FROM {GROUP_ROLE}, PUBLIC;
REVOKE ALL ON sync_changes FROM {GROUP_ROLE}, PUBLIC;
GRANT SELECT ({LOG_COLUMNS}) ON sync_changes TO {GROUP_ROLE};
REVOKE ALL ON server_repairs, sync_meta, sync_pushes FROM PUBLIC;
GRANT SELECT ON server_repairs TO {GROUP_ROLE};
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
""")
    for function in POLICY_HELPERS:
        op.execute(f"GRANT EXECUTE ON FUNCTION {function} TO {GROUP_ROLE}")
    # Database-level: no temporary tables, types or functions of a CRM role's own, and only
    # this database's users may connect (roles are shared by every database on the server).
    # Not carried by pg_dump or CREATE DATABASE ... TEMPLATE: `server init` repeats it each run.
    op.execute("""
DO $$
DECLARE
    login text;
BEGIN
    EXECUTE 'REVOKE CONNECT, TEMPORARY ON DATABASE ' || quote_ident(current_database())
        || ' FROM PUBLIC';
    FOR login IN SELECT u.login FROM public.users u JOIN pg_roles r ON r.rolname = u.login LOOP
        EXECUTE 'GRANT CONNECT ON DATABASE ' || quote_ident(current_database())
            || ' TO ' || quote_ident(login);
    END LOOP;
END
$$;
""")


def upgrade() -> None:
    # Repairs update rows; deferred foreign-key checks queued by them would forbid the ALTER
    # TABLEs that follow in the same transaction ("pending trigger events").
    op.execute("SET CONSTRAINTS ALL IMMEDIATE")
    op.execute(REPAIRS_TABLE)
    _checks()
    _same_customer_references()
    _clerk_assignments()
    op.execute(CAPTURE)
    op.execute(IDENTITY)
    op.execute(GUARDS)
    _triggers()
    _write_policies()
    op.execute(READ_POLICIES)
    _push_receipts()
    _disable_inactive_logins()
    _privileges()


def downgrade() -> None:
    raise NotImplementedError("the hardening of the server schema is not undone")
