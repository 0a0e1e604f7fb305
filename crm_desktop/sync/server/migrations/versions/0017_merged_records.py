"""merged records: a merged-away customer or contact points at the one it was merged into

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 00:30:00

Merging two customers (or two contacts of one customer) on a device moves everything of one to
the other and soft-deletes it with `merged_into_id` naming the kept one, in one group of
changes. Another device that edits the merged-away record offline follows the pointer at its
next sync, so its change lands on the kept record (the device's push does it, under the same
row-level security as any change).

The rules, whoever writes the row:
- only a deleted row points somewhere, and never at itself (CHECKs): restoring a merged-away
  record clears the pointer in the same statement;
- the record pointed at is a live one of the same table that the writer himself can see, and
  for a contact one of the same customer (a trigger running with the writer's own rights, so
  row-level security decides what he can see);
- a row of a customer (its contacts, deals, contracts, payments...) may now move to another
  customer, under the same row-level security as any change (written where the writer may
  write, both before and after); the change log then names the old customer as well, so a
  device that had the row under it looks at it again and lets it go when it no longer sees it;
- every customer merged away leaves a line in the kept customer's history, kind `merged`, with
  the merged-away name (the ownership history's trigger, owner rights, firing only on customers).

Like every migration, it carries its own statements: the values below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

DEFERRED = "DEFERRABLE INITIALLY DEFERRED"
# 0015's kinds of ownership history, and the merge's.
KINDS = (
    "entered",
    "claimed",
    "released",
    "assigned",
    "returned",
    "handed_over",
    "graded",
    "merged",
)
TABLES = ("customers", "contacts")
# 0014's lists.
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
# The tables whose rows' customer never changed (0003, 0014): a merge moves them now.
MOVABLE_TABLES = (
    "customer_identifiers",
    "contacts",
    "opportunities",
    "opportunity_lines",
    "followups",
    "contracts",
    "contract_instalments",
    "payments",
)


def _columns() -> str:
    return "\n".join(
        f"""
ALTER TABLE {table} ADD COLUMN merged_into_id uuid REFERENCES {table} (id) {DEFERRED},
    ADD CONSTRAINT ck_{table}_merged_is_deleted
        CHECK (merged_into_id IS NULL OR deleted_at IS NOT NULL),
    ADD CONSTRAINT ck_{table}_merged_elsewhere CHECK (merged_into_id <> id);
CREATE INDEX ix_{table}_merged_into ON {table} (merged_into_id)
    WHERE merged_into_id IS NOT NULL;
"""
        for table in TABLES
    )


CHECK_TARGET = """
CREATE FUNCTION crm_check_merge_target() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER SET search_path = pg_catalog, public, pg_temp AS $$
BEGIN
    IF NEW.merged_into_id IS NULL THEN
        RETURN NEW;
    END IF;
    -- Run with the writer's rights: what he cannot see does not exist for him.
    IF TG_TABLE_NAME = 'customers' THEN
        IF NOT EXISTS (
            SELECT FROM public.customers c
            WHERE c.id = NEW.merged_into_id AND c.deleted_at IS NULL) THEN
            RAISE EXCEPTION 'a customer can only be merged into a live customer you can see'
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
CREATE TRIGGER crm_check_merge_target BEFORE INSERT OR UPDATE OF merged_into_id
    ON customers FOR EACH ROW EXECUTE FUNCTION crm_check_merge_target();
CREATE TRIGGER crm_check_merge_target BEFORE INSERT OR UPDATE OF merged_into_id, customer_id
    ON contacts FOR EACH ROW EXECUTE FUNCTION crm_check_merge_target();
"""

# 0014's capture function, whole, telling the old customer's devices of a row that moved.
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
    ELSIF TG_TABLE_NAME <> ALL (ARRAY{list(UNSCOPED_TABLES)!r}::text[]) THEN
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
    -- A row moved to another customer (a merge) is news on the devices that had it under the
    -- old one too: told to look at it again, they drop it when it is out of their sight now.
    IF TG_OP = 'UPDATE' AND 'customer_id' = ANY (fields) AND TG_TABLE_NAME <> 'customers'
       AND old_row ->> 'customer_id' IS NOT NULL THEN
        INSERT INTO public.sync_changes
            (entity, row_id, customer_id, owner_id, previous_owner_id, op, changed_fields)
        VALUES
            (TG_TABLE_NAME, (row_data ->> 'id')::uuid, (old_row ->> 'customer_id')::uuid,
             NULL, NULL, 'update', fields);
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_capture_change() FROM PUBLIC;
"""


def _movable() -> str:
    return "".join(
        f"""
DROP TRIGGER crm_stamp_row ON {table};
CREATE TRIGGER crm_stamp_row BEFORE INSERT OR UPDATE ON {table}
    FOR EACH ROW EXECUTE FUNCTION crm_stamp_row();
"""
        for table in MOVABLE_TABLES
    )


RECORD_MERGE = """
CREATE FUNCTION crm_record_merge() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    kept_owner uuid;
BEGIN
    IF TG_WHEN <> 'AFTER' OR TG_LEVEL <> 'ROW' OR TG_OP <> 'UPDATE'
       OR TG_TABLE_SCHEMA <> 'public' OR TG_TABLE_NAME <> 'customers'
       OR TG_RELID <> 'public.customers'::regclass THEN
        RAISE EXCEPTION 'crm_record_merge fires only on customers'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NEW.merged_into_id IS NULL
       OR NEW.merged_into_id IS NOT DISTINCT FROM OLD.merged_into_id THEN
        RETURN NULL;
    END IF;
    SELECT c.owner_id INTO kept_owner FROM public.customers c WHERE c.id = NEW.merged_into_id;
    INSERT INTO public.customer_ownership
        (customer_id, previous_owner_id, owner_id, kind, reason, changed_by)
    VALUES (NEW.merged_into_id, NEW.owner_id, kept_owner, 'merged', left(NEW.name, 500),
            NEW.updated_by);
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_record_merge() FROM PUBLIC;
CREATE TRIGGER crm_record_merge AFTER UPDATE OF merged_into_id ON customers
    FOR EACH ROW EXECUTE FUNCTION crm_record_merge();
"""


def _kinds() -> str:
    listed = ", ".join(f"'{kind}'" for kind in KINDS)
    return f"""
ALTER TABLE customer_ownership DROP CONSTRAINT customer_ownership_kind_check,
    ADD CONSTRAINT customer_ownership_kind_check CHECK (kind IN ({listed}));
"""


def upgrade() -> None:
    op.execute(_columns())
    op.execute(_kinds())
    op.execute(CHECK_TARGET)
    op.execute(RECORD_MERGE)
    op.execute(CAPTURE)
    op.execute(_movable())


def downgrade() -> None:
    raise NotImplementedError("merged records are not taken out")
