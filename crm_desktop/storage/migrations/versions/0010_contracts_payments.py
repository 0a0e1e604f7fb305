"""money: contracts, instalment plans, payments, discounts on quote lines, other systems' keys

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 21:50:00

Three synced tables hanging off a customer (the server's migration 0014 decides who reads and
writes them), `opportunity_lines.discount_percent`, and on customers the key of a finance
system's record (`external_ref`) and a manager's hand-set grade (`grade_fixed`, `grade_note`).
Money is integer fen. No unique index on a contract's number or an `external_ref` here: the
server keeps them unique, and a device holding its own would fail a pull when two devices
wrote the same number offline (the second push is refused and kept as a conflict instead).

Like every migration, it carries its own statements and never imports live code. Columns are
added to customers without rebuilding it (its triggers, 0006, stay).
"""

from __future__ import annotations

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

CURSOR_KEY = "sync_cursor"  # as in crm_desktop/sync/pull.py

# Each statement as SQLAlchemy writes it for the models at this revision.
STATEMENTS = (
    """CREATE TABLE contracts (
    number VARCHAR(64) NOT NULL,
    customer_id VARCHAR(36) NOT NULL,
    opportunity_id VARCHAR(36),
    kind VARCHAR(16) NOT NULL,
    start_on DATE,
    end_on DATE,
    amount_cents INTEGER NOT NULL,
    status VARCHAR(16) NOT NULL,
    renewal_status VARCHAR(16) NOT NULL,
    renewal_note VARCHAR(300),
    renewed_from_id VARCHAR(36),
    owner_id VARCHAR(36),
    external_ref VARCHAR(100),
    notes TEXT,
    id VARCHAR(36) NOT NULL,
    created_at DATETIME NOT NULL,
    created_by VARCHAR(36),
    updated_at DATETIME NOT NULL,
    updated_by VARCHAR(36),
    deleted_at DATETIME,
    CONSTRAINT pk_contracts PRIMARY KEY (id),
    CONSTRAINT fk_contracts_customer_id_customers FOREIGN KEY(customer_id) REFERENCES customers (id),
    CONSTRAINT fk_contracts_opportunity_id_opportunities FOREIGN KEY(opportunity_id) REFERENCES opportunities (id),
    CONSTRAINT fk_contracts_renewed_from_id_contracts FOREIGN KEY(renewed_from_id) REFERENCES contracts (id),
    CONSTRAINT fk_contracts_owner_id_users FOREIGN KEY(owner_id) REFERENCES users (id)
)""",
    "CREATE INDEX ix_contracts_live_customer ON contracts (customer_id, id) WHERE deleted_at IS NULL",
    "CREATE INDEX ix_contracts_live_end ON contracts (end_on, id, customer_id, number) WHERE deleted_at IS NULL",
    "CREATE INDEX ix_contracts_live_number ON contracts (number, id, customer_id) WHERE deleted_at IS NULL",
    "CREATE INDEX ix_contracts_live_owner ON contracts (owner_id, id, customer_id, number) WHERE deleted_at IS NULL",
    "CREATE INDEX ix_contracts_live_renewed_from ON contracts (renewed_from_id, id) WHERE deleted_at IS NULL",
    """CREATE TABLE contract_instalments (
    contract_id VARCHAR(36) NOT NULL,
    customer_id VARCHAR(36) NOT NULL,
    due_on DATE NOT NULL,
    amount_cents INTEGER NOT NULL,
    note VARCHAR(300),
    id VARCHAR(36) NOT NULL,
    created_at DATETIME NOT NULL,
    created_by VARCHAR(36),
    updated_at DATETIME NOT NULL,
    updated_by VARCHAR(36),
    deleted_at DATETIME,
    CONSTRAINT pk_contract_instalments PRIMARY KEY (id),
    CONSTRAINT fk_contract_instalments_contract_id_contracts FOREIGN KEY(contract_id) REFERENCES contracts (id),
    CONSTRAINT fk_contract_instalments_customer_id_customers FOREIGN KEY(customer_id) REFERENCES customers (id)
)""",
    "CREATE INDEX ix_contract_instalments_live_contract ON contract_instalments (contract_id, due_on, id) WHERE deleted_at IS NULL",
    "CREATE INDEX ix_contract_instalments_live_customer ON contract_instalments (customer_id, due_on, id) WHERE deleted_at IS NULL",
    "CREATE INDEX ix_contract_instalments_live_due ON contract_instalments (due_on, id) WHERE deleted_at IS NULL",
    """CREATE TABLE payments (
    customer_id VARCHAR(36) NOT NULL,
    contract_id VARCHAR(36),
    paid_on DATE NOT NULL,
    amount_cents INTEGER NOT NULL,
    method VARCHAR(16) NOT NULL,
    reference VARCHAR(100),
    external_ref VARCHAR(100),
    notes TEXT,
    id VARCHAR(36) NOT NULL,
    created_at DATETIME NOT NULL,
    created_by VARCHAR(36),
    updated_at DATETIME NOT NULL,
    updated_by VARCHAR(36),
    deleted_at DATETIME,
    CONSTRAINT pk_payments PRIMARY KEY (id),
    CONSTRAINT fk_payments_customer_id_customers FOREIGN KEY(customer_id) REFERENCES customers (id),
    CONSTRAINT fk_payments_contract_id_contracts FOREIGN KEY(contract_id) REFERENCES contracts (id)
)""",
    "CREATE INDEX ix_payments_live_contract ON payments (contract_id, paid_on, id) WHERE deleted_at IS NULL",
    "CREATE INDEX ix_payments_live_customer ON payments (customer_id, paid_on, id) WHERE deleted_at IS NULL",
    "CREATE INDEX ix_payments_live_paid ON payments (paid_on, id, customer_id, amount_cents) WHERE deleted_at IS NULL",
    # Plain added columns: no table is rebuilt.
    "ALTER TABLE opportunity_lines ADD COLUMN discount_percent INTEGER DEFAULT '0' NOT NULL",
    "ALTER TABLE customers ADD COLUMN grade_fixed BOOLEAN DEFAULT '0' NOT NULL",
    "ALTER TABLE customers ADD COLUMN grade_note VARCHAR(300)",
    "ALTER TABLE customers ADD COLUMN external_ref VARCHAR(100)",
)


def upgrade() -> None:
    connection = op.get_bind()
    for statement in STATEMENTS:
        connection.exec_driver_sql(statement)
    # Rows of the new tables and values of the new columns written before this device could
    # hold them were skipped by its pulls: the next sync reads everything once, outbox kept.
    connection.exec_driver_sql("DELETE FROM local_settings WHERE key = ?", (CURSOR_KEY,))


def downgrade() -> None:
    connection = op.get_bind()
    for table, column in (
        ("customers", "external_ref"),
        ("customers", "grade_note"),
        ("customers", "grade_fixed"),
        ("opportunity_lines", "discount_percent"),
    ):
        connection.exec_driver_sql(f"ALTER TABLE {table} DROP COLUMN {column}")
    for table in ("payments", "contract_instalments", "contracts"):
        connection.exec_driver_sql(f"DROP TABLE {table}")
