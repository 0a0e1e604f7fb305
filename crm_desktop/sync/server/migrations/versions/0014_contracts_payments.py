"""money: contracts, their instalment plans, payments, discounts on quote lines, other systems' keys

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 21:40:00

Three synced tables hanging off a customer, under the rules of the other customer children
(0001, 0003, 0004): read by whoever sees the customer, written by whoever may change it (a
customer he sees, not in the pool; anything for an administrator), stamped and logged for the
devices, never hard-deleted by a CRM role.

- `contracts`: a number (unique among live contracts), its customer, the opportunity it came
  from and the contract it renews (both of the same customer), kind, start and end dates,
  amount, status, renewal status with a note, owner.
- `contract_instalments`: a contract's payment plan, one row per due date and amount.
- `payments`: money received from a customer, on a contract or on account.

Money is integer fen (`bigint`), never a float. `opportunity_lines.discount_percent` is a whole
percentage off the line's price. `customers`, `contracts` and `payments` carry `external_ref`,
the key of a finance or ERP system's own record, unique per table when set (a finance system
inserting the same payment twice is refused the second time). `customers.grade_fixed` and
`grade_note` hold a manager's hand-set grade and why (computed grades come with 0015).

Like every migration, it carries its own statements: the values below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
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
# 0012's lists, now with the new tables.
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
NEW_TABLES = ("contracts", "contract_instalments", "payments")
# Tables whose rows name no customer in the change log (0012).
UNSCOPED_TABLES = ("work_logs", "work_log_comments", "notes")
ONE_LINE_CONTROLS = r"[\u0001-\u001f\u007f-\u009f]"
LONG_TEXT_CONTROLS = r"[\u0001-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]"
MAX_LONG_TEXT = 100_000  # characters (models/limits.py)
MAX_MONEY_CENTS = 10**14  # one trillion yuan, in fen (models/limits.py)
EARLIEST, LATEST = "1900-01-01", "9999-12-31"
# models/choices.py at this revision.
CONTRACT_KINDS = ("sale", "service", "policy", "membership", "other")
CONTRACT_STATUSES = ("draft", "active", "ended", "terminated")
RENEWAL_STATUSES = ("undecided", "renewing", "not_renewing", "renewed")
PAYMENT_METHODS = ("transfer", "cash", "card", "wechat", "alipay", "cheque", "other")


def _one_of(table: str, column: str, allowed: tuple[str, ...]) -> str:
    values = ", ".join(f"'{value}'" for value in allowed)
    return f"    CONSTRAINT ck_{table}_{column} CHECK ({column} IN ({values}))"


def _times(table: str, *columns: str) -> str:
    return ",\n".join(
        f"    CONSTRAINT ck_{table}_{column}_range CHECK ({column} BETWEEN '{EARLIEST}' AND"
        f" '{LATEST}')"
        for column in ("created_at", "updated_at", "deleted_at", *columns)
    )


def _text(table: str, *columns: str) -> str:
    return ",\n".join(
        f"    CONSTRAINT ck_{table}_{column}_text CHECK ({column} !~ '{ONE_LINE_CONTROLS}')"
        for column in columns
    )


def _long_text(table: str, column: str) -> str:
    return (
        f"    CONSTRAINT ck_{table}_{column}_length"
        f" CHECK (char_length({column}) <= {MAX_LONG_TEXT}),\n"
        f"    CONSTRAINT ck_{table}_{column}_long_text CHECK ({column} !~ '{LONG_TEXT_CONTROLS}')"
    )


def _money(table: str, column: str, low: int = 0) -> str:
    return (
        f"    CONSTRAINT ck_{table}_{column} CHECK ({column} BETWEEN {low} AND {MAX_MONEY_CENTS})"
    )


TABLES = f"""
CREATE TABLE contracts ({TRACKED},
    number varchar(64) NOT NULL,
    customer_id uuid NOT NULL REFERENCES customers (id) {DEFERRED},
    opportunity_id uuid,
    kind varchar(16) NOT NULL DEFAULT 'sale',
    start_on date,
    end_on date,
    amount_cents bigint NOT NULL DEFAULT 0,
    status varchar(16) NOT NULL DEFAULT 'draft',
    renewal_status varchar(16) NOT NULL DEFAULT 'undecided',
    renewal_note varchar(300),
    renewed_from_id uuid,
    owner_id uuid REFERENCES users (id) {DEFERRED},
    external_ref varchar(100),
    notes text,
{_times("contracts", "start_on", "end_on")},
{_one_of("contracts", "kind", CONTRACT_KINDS)},
{_one_of("contracts", "status", CONTRACT_STATUSES)},
{_one_of("contracts", "renewal_status", RENEWAL_STATUSES)},
{_money("contracts", "amount_cents")},
{_text("contracts", "number", "renewal_note", "external_ref")},
{_long_text("contracts", "notes")},
    CONSTRAINT ck_contracts_number_given CHECK (btrim(number) <> ''),
    CONSTRAINT ck_contracts_ends_after_start CHECK (end_on >= start_on),
    CONSTRAINT ck_contracts_not_own_renewal CHECK (renewed_from_id <> id),
    CONSTRAINT uq_contracts_id_customer UNIQUE (id, customer_id),
    -- MATCH SIMPLE: no opportunity, or one of the same customer; the same for the renewed one.
    CONSTRAINT fk_contracts_opportunity_same_customer FOREIGN KEY (opportunity_id, customer_id)
        REFERENCES opportunities (id, customer_id) {DEFERRED},
    CONSTRAINT fk_contracts_renewed_same_customer FOREIGN KEY (renewed_from_id, customer_id)
        REFERENCES contracts (id, customer_id) {DEFERRED}
);
CREATE UNIQUE INDEX uq_contracts_live_number ON contracts (number) WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX uq_contracts_external_ref ON contracts (external_ref)
    WHERE external_ref IS NOT NULL;
CREATE INDEX ix_contracts_customer_id ON contracts (customer_id);
CREATE INDEX ix_contracts_end_on ON contracts (end_on) WHERE deleted_at IS NULL;
CREATE INDEX ix_contracts_renewed_from_id ON contracts (renewed_from_id);

CREATE TABLE contract_instalments ({TRACKED},
    contract_id uuid NOT NULL,
    customer_id uuid NOT NULL REFERENCES customers (id) {DEFERRED},
    due_on date NOT NULL,
    amount_cents bigint NOT NULL DEFAULT 0,
    note varchar(300),
{_times("contract_instalments", "due_on")},
{_money("contract_instalments", "amount_cents")},
{_text("contract_instalments", "note")},
    CONSTRAINT fk_contract_instalments_same_customer FOREIGN KEY (contract_id, customer_id)
        REFERENCES contracts (id, customer_id) {DEFERRED}
);
CREATE INDEX ix_contract_instalments_contract_id ON contract_instalments (contract_id);
CREATE INDEX ix_contract_instalments_customer_id ON contract_instalments (customer_id);

CREATE TABLE payments ({TRACKED},
    customer_id uuid NOT NULL REFERENCES customers (id) {DEFERRED},
    contract_id uuid,
    paid_on date NOT NULL,
    amount_cents bigint NOT NULL,
    method varchar(16) NOT NULL DEFAULT 'transfer',
    reference varchar(100),
    external_ref varchar(100),
    notes text,
{_times("payments", "paid_on")},
{_money("payments", "amount_cents", low=1)},
{_one_of("payments", "method", PAYMENT_METHODS)},
{_text("payments", "reference", "external_ref")},
{_long_text("payments", "notes")},
    CONSTRAINT fk_payments_contract_same_customer FOREIGN KEY (contract_id, customer_id)
        REFERENCES contracts (id, customer_id) {DEFERRED}
);
CREATE UNIQUE INDEX uq_payments_external_ref ON payments (external_ref)
    WHERE external_ref IS NOT NULL;
CREATE INDEX ix_payments_customer_id ON payments (customer_id);
CREATE INDEX ix_payments_contract_id ON payments (contract_id);
CREATE INDEX ix_payments_paid_on ON payments (paid_on) WHERE deleted_at IS NULL;

ALTER TABLE opportunity_lines ADD COLUMN discount_percent integer NOT NULL DEFAULT 0,
    ADD CONSTRAINT ck_opportunity_lines_discount_percent
        CHECK (discount_percent BETWEEN 0 AND 100);

ALTER TABLE customers ADD COLUMN external_ref varchar(100),
    ADD COLUMN grade_fixed boolean NOT NULL DEFAULT false,
    ADD COLUMN grade_note varchar(300),
    ADD CONSTRAINT ck_customers_external_ref_text CHECK (external_ref !~ '{ONE_LINE_CONTROLS}'),
    ADD CONSTRAINT ck_customers_grade_note_text CHECK (grade_note !~ '{ONE_LINE_CONTROLS}');
CREATE UNIQUE INDEX uq_customers_external_ref ON customers (external_ref)
    WHERE external_ref IS NOT NULL;
"""

# 0012's capture functions, whole, with the new tables in their lists (each names its customer).
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
# 0004's rule for customer children: the customers policy applies inside the sub-select, so
# only a customer the caller sees (and that is not in the pool) is found there.
CHILD_READ = f"{ADMIN} OR customer_id IN (SELECT id FROM customers)"
CHILD_WRITE = (
    f"{ADMIN} OR EXISTS (SELECT FROM customers c"
    " WHERE c.id = customer_id AND c.owner_id IS NOT NULL)"
)


def upgrade() -> None:
    op.execute(TABLES)
    op.execute(CAPTURE)
    for table in NEW_TABLES:
        op.execute(f"""
CREATE TRIGGER crm_stamp_row BEFORE INSERT OR UPDATE ON {table}
    FOR EACH ROW EXECUTE FUNCTION crm_stamp_row('customer_id');
CREATE TRIGGER crm_capture_change AFTER INSERT OR UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION crm_capture_change();
CREATE TRIGGER crm_capture_truncate AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION crm_capture_truncate();
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE {table} FORCE ROW LEVEL SECURITY;
CREATE POLICY {table}_select ON {table} FOR SELECT USING ({CHILD_READ});
CREATE POLICY {table}_insert ON {table} FOR INSERT WITH CHECK ({CHILD_WRITE});
CREATE POLICY {table}_update ON {table} FOR UPDATE USING ({CHILD_WRITE})
    WITH CHECK ({CHILD_WRITE});
""")
    tables = ", ".join(NEW_TABLES)
    # No DELETE policy and no DELETE or TRUNCATE privilege: deletes are soft.
    op.execute(f"""
REVOKE ALL ON {tables} FROM PUBLIC;
GRANT SELECT, INSERT, UPDATE ON {tables} TO {GROUP_ROLE};
""")


def downgrade() -> None:
    raise NotImplementedError("the money tables are not taken out")
