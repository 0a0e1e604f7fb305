"""a read-only finance role and the views it reads: erp_customers, erp_contracts, erp_payments

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02 11:00:00

A finance or ERP system reads customers, contracts and what was paid on them, and matches them
with its own records by `external_ref` (0014, unique per table when set). Its logins are members
of the group role `crm_finance` (NOLOGIN, and not a member of `crm_users`: a finance login is
no CRM user and no CRM rule names it). The group holds SELECT on three views and EXECUTE on the
three functions under them, and nothing else: no table, no other function, no write.

- `erp_customers`: id, external_ref, name, kind, phone, email, address, grade, grade_fixed,
  owner_login, owner_name, created_at, updated_at.
- `erp_contracts`: id, external_ref, number, customer_id, customer_external_ref, kind,
  start_on, end_on, amount_cents, paid_cents (its live payments, whenever paid),
  outstanding_cents (amount_cents - paid_cents; below zero when overpaid), status,
  renewal_status, owner_login, owner_name, created_at, updated_at.
- `erp_payments`: id, external_ref, customer_id, customer_external_ref, contract_id,
  contract_external_ref, contract_number, paid_on, amount_cents, method, reference, created_at,
  updated_at.

Live rows only: a soft-deleted row, or a row of a soft-deleted customer, is not there.

**Why owner-rights functions under the views.** The tables force row-level security, and their
policies ask who the caller is (`crm_is_admin()`, `crm_visible_owner_ids()`...), reading
`users` and `offices` with the caller's rights. A plain view owned by the deployment owner
reads the tables with the owner's privileges, but its policies still run as the finance login,
which may neither execute those helpers nor read `users`: the view fails ("permission denied
for function crm_is_admin"); granting them would open `users` to him. So each view reads a
function that runs as the owner (`crm_erp_customers()`, `crm_erp_contracts()`,
`crm_erp_payments()`): inside it the owner counts as an administrator and sees every row. These
are the only owner-rights functions that are not triggers; EXECUTE on them is granted to
`crm_finance` alone (never to PUBLIC or `crm_users`). They take no argument, pin their
`search_path`, return fixed columns, and return nothing at all to a session whose login no
longer works (a finance login switched off while connected) or to a CRM user who was made a
member of `crm_finance` by mistake. Each query of a view reads its function whole (a function
that runs as someone else is never inlined, so a filter applies after it).

Finance logins are made by `crm-desktop server add-finance-user NAME`, which grants CONNECT on
this database to the login itself (not to the group: roles are shared by every database on the
server, and a finance login of another CRM database must not read this one).

Payments from the ERP are written as the deployment owner (or a login that is a member of it),
whose plain SQL keeps what it sets (crm_stamp_row) and reaches the devices through the change
log like any other change.

Like every migration, it carries its own statements: the values below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

FINANCE_ROLE = "crm_finance"
GROUP_ROLE = "crm_users"
# Whom the functions answer: a login that works (a finance login switched off in an open
# session reads nothing) and that is no CRM user.
READER = (
    "coalesce((SELECT r.rolcanlogin FROM pg_catalog.pg_roles r WHERE r.rolname = session_user),"
    f" false) AND NOT pg_has_role(session_user, '{GROUP_ROLE}', 'MEMBER')"
)
SEARCH_PATH = "SET search_path = pg_catalog, public, pg_temp"

ROLE = f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{FINANCE_ROLE}') THEN
        CREATE ROLE {FINANCE_ROLE} NOLOGIN;
    END IF;
END
$$;
"""

FUNCTIONS = f"""
CREATE FUNCTION crm_erp_customers()
RETURNS TABLE (id uuid, external_ref varchar(100), name varchar(200), kind varchar(16),
               phone varchar(32), email varchar(254), address varchar(300), grade varchar(1),
               grade_fixed boolean, owner_login varchar(63), owner_name varchar(200),
               created_at timestamptz, updated_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER {SEARCH_PATH} AS $$
    SELECT c.id, c.external_ref, c.name, c.kind, c.phone, c.email, c.address, c.grade,
           c.grade_fixed, u.login, u.name, c.created_at, c.updated_at
    FROM public.customers c LEFT JOIN public.users u ON u.id = c.owner_id
    WHERE c.deleted_at IS NULL AND {READER}
$$;

CREATE FUNCTION crm_erp_contracts()
RETURNS TABLE (id uuid, external_ref varchar(100), number varchar(64), customer_id uuid,
               customer_external_ref varchar(100), kind varchar(16), start_on date,
               end_on date, amount_cents bigint, paid_cents bigint, outstanding_cents bigint,
               status varchar(16), renewal_status varchar(16), owner_login varchar(63),
               owner_name varchar(200), created_at timestamptz, updated_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER {SEARCH_PATH} AS $$
    SELECT k.id, k.external_ref, k.number, k.customer_id, c.external_ref, k.kind, k.start_on,
           k.end_on, k.amount_cents, coalesce(paid.total, 0)::bigint,
           (k.amount_cents - coalesce(paid.total, 0))::bigint, k.status, k.renewal_status,
           u.login, u.name, k.created_at, k.updated_at
    FROM public.contracts k
    JOIN public.customers c ON c.id = k.customer_id AND c.deleted_at IS NULL
    LEFT JOIN public.users u ON u.id = k.owner_id
    LEFT JOIN (
        SELECT p.contract_id, sum(p.amount_cents) AS total FROM public.payments p
        WHERE p.deleted_at IS NULL AND p.contract_id IS NOT NULL
        GROUP BY p.contract_id
    ) paid ON paid.contract_id = k.id
    WHERE k.deleted_at IS NULL AND {READER}
$$;

CREATE FUNCTION crm_erp_payments()
RETURNS TABLE (id uuid, external_ref varchar(100), customer_id uuid,
               customer_external_ref varchar(100), contract_id uuid,
               contract_external_ref varchar(100), contract_number varchar(64), paid_on date,
               amount_cents bigint, method varchar(16), reference varchar(100),
               created_at timestamptz, updated_at timestamptz)
LANGUAGE sql STABLE SECURITY DEFINER {SEARCH_PATH} AS $$
    SELECT p.id, p.external_ref, p.customer_id, c.external_ref, p.contract_id, k.external_ref,
           k.number, p.paid_on, p.amount_cents, p.method, p.reference, p.created_at,
           p.updated_at
    FROM public.payments p
    JOIN public.customers c ON c.id = p.customer_id AND c.deleted_at IS NULL
    LEFT JOIN public.contracts k ON k.id = p.contract_id
    WHERE p.deleted_at IS NULL AND {READER}
$$;
REVOKE EXECUTE ON FUNCTION crm_erp_customers(), crm_erp_contracts(), crm_erp_payments()
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION crm_erp_customers(), crm_erp_contracts(), crm_erp_payments()
    TO {FINANCE_ROLE};
"""

VIEWS = f"""
CREATE VIEW erp_customers AS SELECT * FROM crm_erp_customers();
CREATE VIEW erp_contracts AS SELECT * FROM crm_erp_contracts();
CREATE VIEW erp_payments AS SELECT * FROM crm_erp_payments();
REVOKE ALL ON erp_customers, erp_contracts, erp_payments FROM PUBLIC;
GRANT SELECT ON erp_customers, erp_contracts, erp_payments TO {FINANCE_ROLE};
"""


def upgrade() -> None:
    op.execute(ROLE)
    op.execute(FUNCTIONS)
    op.execute(VIEWS)


def downgrade() -> None:
    op.execute("DROP VIEW erp_payments, erp_contracts, erp_customers")
    op.execute("DROP FUNCTION crm_erp_payments(), crm_erp_contracts(), crm_erp_customers()")
