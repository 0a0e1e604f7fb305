"""daily work logs, comments on them, notes to a colleague, and a task's reminder time

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 10:00:00

Three synced tables whose rows hang off no customer, so the server decides who reads them by
the people involved:

- `work_logs`: one per user and day among live rows (a partial unique index). Read by its
  author, his managers and administrators; a manager reads the logs of everyone below him by
  `manager_id` (at any depth) and of his team by office (`crm_team_ids()`, 0010): that set is
  `crm_log_author_ids()`, which always holds the reader himself. Only the author writes his own
  log (never a clerk for his reps, never an administrator for someone else).
- `work_log_comments`: read by whoever reads the log, the log's author included; written by a
  reader of the log in his own name.
- `notes`: from a sender to a recipient, read by the two of them and administrators. The sender
  writes it, about a customer he sees (or none) and an opportunity of that customer, may correct
  it until it is read, and may soft-delete it; the recipient may only set `read_at`; nobody
  else writes it (`crm_guard_note`).

Each table has the audit columns, CHECKs (lengths, times, no control characters but tab and
line ends), crm_stamp_row (its author, sender and recipient, log never change, for the owner
too: the change log names a row by id and its readers follow them), change capture, RLS
enabled and forced, and no DELETE or TRUNCATE for CRM roles. The change log shows each user the
changes of the rows of these tables he may read (through the tables' own policies), and capture
gives a note no customer scope: a note's readers are its sender and recipient, not the people
who see its customer.

`tasks.remind_at` is a plain column the task's writers set.

Like every migration, it carries its own statements: the values below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

GROUP_ROLE = "crm_users"
DEFERRED = "DEFERRABLE INITIALLY DEFERRED"
TRACKED = """
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by uuid,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by uuid,
    deleted_at timestamptz"""
# 0003's lists, now with the new tables.
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
    "work_logs",
    "work_log_comments",
    "notes",
)
NEW_TABLES = ("work_logs", "work_log_comments", "notes")
# Long text keeps tab, newline and carriage return (0003).
LONG_TEXT_CONTROLS = r"[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]"
MAX_LONG_TEXT = 100_000  # characters (models/limits.py)
MAX_NOTE_TEXT = 2000  # characters (models/fields.py)
EARLIEST, LATEST = "1900-01-01", "9999-12-31"
SIGNED_IN = (
    "coalesce((SELECT r.rolcanlogin FROM pg_catalog.pg_roles r WHERE r.rolname = session_user),"
    " false)"
)
NOT_WAITING = "(SELECT crm_office_waiting()) IS NULL"


def _times(table: str, *columns: str) -> str:
    return ",\n".join(
        f"    CONSTRAINT ck_{table}_{column}_range CHECK ({column} BETWEEN '{EARLIEST}' AND"
        f" '{LATEST}')"
        for column in ("created_at", "updated_at", "deleted_at", *columns)
    )


def _long_text(table: str, column: str, limit: int = MAX_LONG_TEXT) -> str:
    return (
        f"    CONSTRAINT ck_{table}_{column}_length CHECK (char_length({column}) <= {limit}),\n"
        f"    CONSTRAINT ck_{table}_{column}_long_text CHECK ({column} !~ '{LONG_TEXT_CONTROLS}')"
    )


TABLES = f"""
CREATE TABLE work_logs ({TRACKED},
    author_id uuid NOT NULL REFERENCES users (id) {DEFERRED},
    day date NOT NULL,
    done text NOT NULL DEFAULT '',
    plan text,
    problems text,
{_times("work_logs", "day")},
{_long_text("work_logs", "done")},
{_long_text("work_logs", "plan")},
{_long_text("work_logs", "problems")}
);
CREATE UNIQUE INDEX uq_work_logs_live_author_day ON work_logs (author_id, day)
    WHERE deleted_at IS NULL;
CREATE INDEX ix_work_logs_day ON work_logs (day);

CREATE TABLE work_log_comments ({TRACKED},
    log_id uuid NOT NULL REFERENCES work_logs (id) {DEFERRED},
    author_id uuid NOT NULL REFERENCES users (id) {DEFERRED},
    text text NOT NULL DEFAULT '',
{_times("work_log_comments")},
{_long_text("work_log_comments", "text")}
);
CREATE INDEX ix_work_log_comments_log_id ON work_log_comments (log_id);

CREATE TABLE notes ({TRACKED},
    sender_id uuid NOT NULL REFERENCES users (id) {DEFERRED},
    recipient_id uuid NOT NULL REFERENCES users (id) {DEFERRED},
    text text NOT NULL,
    customer_id uuid REFERENCES customers (id) {DEFERRED},
    opportunity_id uuid,
    read_at timestamptz,
{_times("notes", "read_at")},
{_long_text("notes", "text", MAX_NOTE_TEXT)},
    CONSTRAINT ck_notes_not_to_self CHECK (sender_id <> recipient_id),
    -- MATCH SIMPLE skips a reference with a NULL part: an opportunity needs its customer.
    CONSTRAINT ck_notes_opportunity_has_customer
        CHECK (opportunity_id IS NULL OR customer_id IS NOT NULL),
    CONSTRAINT fk_notes_opportunity_same_customer FOREIGN KEY (opportunity_id, customer_id)
        REFERENCES opportunities (id, customer_id) {DEFERRED}
);
CREATE INDEX ix_notes_sender_id ON notes (sender_id);
CREATE INDEX ix_notes_recipient_id ON notes (recipient_id);
CREATE INDEX ix_notes_customer_id ON notes (customer_id);

ALTER TABLE tasks ADD COLUMN remind_at timestamptz,
    ADD CONSTRAINT ck_tasks_remind_at_range CHECK (remind_at BETWEEN '{EARLIEST}' AND '{LATEST}');
"""

# Invoker rights: it reads users and offices (readable by every signed-in CRM user) and
# crm_team_ids(), so it tells the caller nothing he could not find out. Sorted, like
# crm_team_ids(): the pull compares it as text to know when to resync in full.
HELPERS = f"""
CREATE FUNCTION crm_log_author_ids() RETURNS uuid[]
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    WITH RECURSIVE me AS (
        SELECT u.id, u.role FROM public.users u WHERE u.id = public.crm_current_user_id()
    ),
    below (id) AS (
        SELECT u.id FROM public.users u JOIN me ON u.manager_id = me.id
        WHERE me.role = 'manager'
        UNION
        SELECT u.id FROM public.users u JOIN below ON u.manager_id = below.id
    )
    SELECT ARRAY(
        SELECT me.id FROM me
        UNION
        SELECT below.id FROM below
        UNION
        SELECT unnest(public.crm_team_ids())
        ORDER BY 1)
$$;
REVOKE EXECUTE ON FUNCTION crm_log_author_ids() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crm_log_author_ids() TO {GROUP_ROLE};
"""

# Invoker rights, before crm_stamp_row (triggers fire in name order): what each side of a note
# may change. The deployment owner's plain SQL keeps what it sets, as for every table.
GUARD_NOTE = """
CREATE FUNCTION crm_guard_note() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    me uuid;
    changed text[];
    AUDIT CONSTANT text[] := ARRAY['created_at', 'created_by', 'updated_at', 'updated_by'];
BEGIN
    IF pg_has_role((SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN NEW;
    END IF;
    me := public.crm_current_user_id();
    IF TG_OP = 'INSERT' THEN
        IF NEW.read_at IS NOT NULL THEN
            RAISE EXCEPTION 'only the recipient of a note marks it read'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    SELECT coalesce(array_agg(n.key), '{}') INTO changed
    FROM jsonb_each(to_jsonb(NEW)) n
    WHERE n.value IS DISTINCT FROM to_jsonb(OLD) -> n.key AND NOT n.key = ANY (AUDIT);
    IF me IS NOT NULL AND me = OLD.recipient_id THEN
        IF NOT changed <@ ARRAY['read_at'] THEN
            RAISE EXCEPTION 'the recipient of a note may only mark it read'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.read_at > now() THEN
            NEW.read_at := now();
        END IF;
    ELSIF me IS NOT NULL AND me = OLD.sender_id THEN
        IF 'read_at' = ANY (changed) THEN
            RAISE EXCEPTION 'only the recipient of a note marks it read'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF OLD.read_at IS NOT NULL AND NOT changed <@ ARRAY['deleted_at'] THEN
            RAISE EXCEPTION 'a note that was read can no longer be changed, only deleted'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW.customer_id IS DISTINCT FROM OLD.customer_id AND NEW.customer_id IS NOT NULL
           AND NOT public.crm_can_see_customer(NEW.customer_id) THEN
            RAISE EXCEPTION 'a note can only be about a customer you see'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSE
        RAISE EXCEPTION 'only the sender and the recipient change a note'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_guard_note() FROM PUBLIC;
"""

# 0003's owner-rights capture functions, whole, with the new tables allowed; a note is about a
# customer but does not hang off it, so its change gets no customer scope (the customer's
# readers are not the note's).
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
    ELSIF TG_TABLE_NAME <> ALL (ARRAY{list(NEW_TABLES)!r}::text[]) THEN
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
REVOKE EXECUTE ON FUNCTION crm_capture_change(), crm_capture_truncate() FROM PUBLIC;
"""

ADMIN = "(SELECT crm_is_admin())"
ME = "(SELECT crm_current_user_id())"
LOG_AUTHORS = "CAST((SELECT crm_log_author_ids()) AS uuid[])"
# The deployment owner (and other systems writing as him): his plain SQL writes any row, as
# on every other table. A CRM administrator reads everything here but writes only his own.
OWNER = (
    "(SELECT pg_has_role((SELECT relowner FROM pg_class WHERE oid = 'public.users'::regclass),"
    " 'MEMBER'))"
)
# Through work_logs' own policy, once per statement and hashed.
READABLE_LOG = "log_id IN (SELECT id FROM work_logs)"
MY_LOG = f"({OWNER} OR author_id = {ME})"
MY_COMMENT = f"({OWNER} OR (author_id = {ME} AND {READABLE_LOG}))"
NOTE_PARTY = f"({OWNER} OR sender_id = {ME} OR recipient_id = {ME})"
NEW_NOTE = (
    f"({OWNER} OR (sender_id = {ME}"
    " AND (customer_id IS NULL OR crm_can_see_customer(customer_id))))"
)

POLICIES = f"""
CREATE POLICY work_logs_select ON work_logs FOR SELECT
    USING ({ADMIN} OR author_id = ANY ({LOG_AUTHORS}));
CREATE POLICY work_logs_insert ON work_logs FOR INSERT WITH CHECK {MY_LOG};
CREATE POLICY work_logs_update ON work_logs FOR UPDATE USING {MY_LOG} WITH CHECK {MY_LOG};

CREATE POLICY work_log_comments_select ON work_log_comments FOR SELECT
    USING ({ADMIN} OR {READABLE_LOG});
CREATE POLICY work_log_comments_insert ON work_log_comments FOR INSERT WITH CHECK {MY_COMMENT};
CREATE POLICY work_log_comments_update ON work_log_comments FOR UPDATE
    USING {MY_COMMENT} WITH CHECK {MY_COMMENT};

CREATE POLICY notes_select ON notes FOR SELECT
    USING ({ADMIN} OR sender_id = {ME} OR recipient_id = {ME});
CREATE POLICY notes_insert ON notes FOR INSERT WITH CHECK {NEW_NOTE};
CREATE POLICY notes_update ON notes FOR UPDATE USING {NOTE_PARTY} WITH CHECK {NOTE_PARTY};
"""

# 0010's change-log policy, whole, plus the rows of the new tables the reader may read, each
# asked of the table under his own rights (once per statement, hashed); none of them has a
# customer scope or an owner in the log, so no other branch shows them.
READ_LOG = f"""
ALTER POLICY sync_changes_select ON sync_changes USING ({SIGNED_IN} AND {NOT_WAITING} AND (
        {ADMIN}
        OR entity IN ('users', 'products')
        OR row_id IS NULL
        OR customer_id IN (SELECT id FROM customers)
        OR owner_id = ANY (CAST((SELECT crm_visible_owner_ids()) AS uuid[]))
        OR previous_owner_id = ANY (CAST((SELECT crm_visible_owner_ids()) AS uuid[]))
        OR (entity = 'customers' AND (SELECT crm_sees_pool()) AND (
            (op = 'delete' AND owner_id IS NULL)
            OR (previous_owner_id IS NULL AND 'owner_id' = ANY (changed_fields))))
        OR (entity = 'work_logs' AND row_id IN (SELECT id FROM work_logs))
        OR (entity = 'work_log_comments' AND row_id IN (SELECT id FROM work_log_comments))
        OR (entity = 'notes' AND row_id IN (SELECT id FROM notes))));
"""

# crm_stamp_row's arguments: columns that never change, for the owner too.
FIXED = {
    "work_logs": "'author_id'",
    "work_log_comments": "'log_id', 'author_id'",
    "notes": "'sender_id', 'recipient_id'",
}


def upgrade() -> None:
    op.execute(TABLES)
    op.execute(HELPERS)
    op.execute(GUARD_NOTE)
    op.execute(CAPTURE)
    for table in NEW_TABLES:
        op.execute(f"""
CREATE TRIGGER crm_stamp_row BEFORE INSERT OR UPDATE ON {table}
    FOR EACH ROW EXECUTE FUNCTION crm_stamp_row({FIXED[table]});
CREATE TRIGGER crm_capture_change AFTER INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION crm_capture_change();
CREATE TRIGGER crm_capture_truncate AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION crm_capture_truncate();
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
""")
    op.execute("""
CREATE TRIGGER crm_guard_note BEFORE INSERT OR UPDATE ON notes
    FOR EACH ROW EXECUTE FUNCTION crm_guard_note();
""")
    op.execute(POLICIES)
    op.execute(READ_LOG)
    tables = ", ".join(NEW_TABLES)
    # No DELETE policy and no DELETE or TRUNCATE privilege: deletes are soft.
    op.execute(f"""
REVOKE ALL ON {tables} FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON {tables} TO {GROUP_ROLE};
""")


def downgrade() -> None:
    raise NotImplementedError("the hardening of the server schema is not undone")
