"""inserts by statement: a new row's change log line and ownership history written per statement

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 09:00:00

A device pushes an import's new records a thousand to a statement. Until now every new row ran
two owner-rights row triggers, each a function call and a one-row INSERT: the change log line
(`crm_capture_change`) and, for a customer, its first line of ownership history
(`crm_record_ownership`, kind `entered`). Together they were two thirds of the server's time
for such a statement (0.21 of 0.32 ms a customer).

For INSERT they now fire once per statement, over the statement's new rows (a transition
table), and write the same lines with one INSERT … SELECT each. UPDATE and DELETE keep their
row triggers, which compare each row's old and new values. What is written is what the row
triggers wrote, column for column:
- the change log: entity, row id, op `insert`, no changed fields, no previous owner; the
  customer is the row's own id for a customer, its `customer_id` for a table that has one
  (not for work logs, their comments and notes), and the owner is a customer's `owner_id` or
  a task's `assignee_id` when the task has no customer;
- the history: kind `entered`, the new owner, the row's `updated_by` (stamped by the server
  before), and the reason the writer named, if any.

The new functions run with the owner's rights, as the row triggers did, are executable by no
one, and refuse to run for any trigger but their own (an AFTER INSERT statement trigger on one
of the CRM's own tables), before they read a row.

Like every migration, it carries its own statements: the lists below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

# 0017's lists.
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
    "contracts",
    "contract_instalments",
    "payments",
)
UNSCOPED_TABLES = ("work_logs", "work_log_comments", "notes")
# Tables without a customer_id column: the row trigger's `row ->> 'customer_id'` was NULL.
NO_CUSTOMER_COLUMN = ("users", "products")

CAPTURE_INSERTS = f"""
CREATE FUNCTION crm_capture_inserts() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    scope text := 'NULL';
    owner text := 'NULL';
BEGIN
    -- Checked before a row is read, as crm_capture_change does.
    IF TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'STATEMENT' OR TG_OP <> 'INSERT'
       OR TG_TABLE_SCHEMA <> 'public'
       OR NOT TG_TABLE_NAME = ANY (ARRAY{list(SYNCED_TABLES)!r}::text[])
       OR TG_RELID <> to_regclass('public.' || quote_ident(TG_TABLE_NAME)) THEN
        RAISE EXCEPTION 'crm_capture_inserts fires only on the CRM tables'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_TABLE_NAME = 'customers' THEN
        scope := 'n.id';
        owner := 'n.owner_id';
    ELSIF TG_TABLE_NAME <> ALL (ARRAY{list(UNSCOPED_TABLES + NO_CUSTOMER_COLUMN)!r}::text[])
    THEN
        scope := 'n.customer_id';
        IF TG_TABLE_NAME = 'tasks' THEN
            owner := 'CASE WHEN n.customer_id IS NULL THEN n.assignee_id END';
        END IF;
    END IF;
    -- Only the constants above are put into the statement; crm_new_rows is the trigger's
    -- transition table, which a name in a schema cannot stand in for.
    EXECUTE format(
        'INSERT INTO public.sync_changes (entity, row_id, customer_id, owner_id, op)'
        ' SELECT %L, n.id, %s, %s, ''insert'' FROM crm_new_rows n',
        TG_TABLE_NAME, scope, owner);
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_capture_inserts() FROM PUBLIC;
"""

RECORD_ENTRIES = """
CREATE FUNCTION crm_record_entries() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'STATEMENT' OR TG_OP <> 'INSERT'
       OR TG_TABLE_SCHEMA <> 'public' OR TG_TABLE_NAME <> 'customers'
       OR TG_RELID <> 'public.customers'::regclass THEN
        RAISE EXCEPTION 'crm_record_entries fires only on customers'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO public.customer_ownership
        (customer_id, previous_owner_id, owner_id, kind, reason, changed_by)
    SELECT n.id, NULL, n.owner_id, 'entered',
           left(nullif(current_setting('crm.owner_change_reason', true), ''), 500),
           n.updated_by
    FROM crm_new_rows n;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_record_entries() FROM PUBLIC;
DROP TRIGGER crm_record_ownership ON customers;
-- 0015's events but INSERT: a new owner, a new grade.
CREATE TRIGGER crm_record_ownership AFTER UPDATE OF owner_id, grade ON customers
    FOR EACH ROW EXECUTE FUNCTION crm_record_ownership();
CREATE TRIGGER crm_record_entries AFTER INSERT ON customers
    REFERENCING NEW TABLE AS crm_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm_record_entries();
"""


def _capture_triggers() -> str:
    return "".join(
        f"""
DROP TRIGGER crm_capture_change ON {table};
CREATE TRIGGER crm_capture_change AFTER UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION crm_capture_change();
CREATE TRIGGER crm_capture_inserts AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS crm_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION crm_capture_inserts();
"""
        for table in SYNCED_TABLES
    )


def upgrade() -> None:
    op.execute(CAPTURE_INSERTS)
    op.execute(_capture_triggers())
    op.execute(RECORD_ENTRIES)


def downgrade() -> None:
    raise NotImplementedError("the row triggers for inserts are not put back")
