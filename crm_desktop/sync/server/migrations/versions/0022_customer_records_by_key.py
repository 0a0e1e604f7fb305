"""customer records' row-level security finds their customer by its key

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 02:30:00

The policies that let a user read (and, for an administrator's cleanup, delete) a customer's
records said `customer_id IN (SELECT id FROM customers)`, the customers' own policy applying
inside. PostgreSQL plans that as a hashed subplan: every statement on such a table first reads
every customer the user may see and hashes them, however few rows it touches. At 100,000
customers that is 60 to 110 ms of the server's time for each statement: each of a sync's
reads of three changed follow-ups, each edit of a task the push applies (its SELECT … FOR
UPDATE), each batch of identifiers the push inserts (their RETURNING is read under the SELECT
policy), and the change log's own read at every sync.

`EXISTS (SELECT FROM customers c WHERE c.id = <table>.customer_id)` admits exactly the same
rows (the customers' policy still applies inside, and a row without a customer matches neither
form), and asks the customers' primary key once for each row a statement touches. A full read
of 100,000 records pays about half a second for it; everything else costs what it touches.

The rewrite is made on the policies as the server holds them (pg_policies), so every policy of
every earlier revision that has the old form gets the new one, and only that part of it
changes. A test checks that no policy keeps the old form.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The old form as PostgreSQL prints a policy back (pg_get_expr), and the new one; %I is the
# policy's table.
OLD = "(customer_id IN ( SELECT customers.id\n   FROM customers))"
NEW = "(EXISTS ( SELECT FROM public.customers c WHERE c.id = %I.customer_id))"

REWRITE = """
DO $$
DECLARE
    policy record;
    old_form CONSTANT text := {old};
    new_form text;
BEGIN
    FOR policy IN
        SELECT tablename, policyname, qual, with_check FROM pg_policies
        WHERE schemaname = 'public'
          AND (position(old_form IN coalesce(qual, '')) > 0
               OR position(old_form IN coalesce(with_check, '')) > 0)
    LOOP
        new_form := format({new}, policy.tablename);
        IF position(old_form IN coalesce(policy.qual, '')) > 0 THEN
            EXECUTE format('ALTER POLICY %I ON public.%I USING (%s)', policy.policyname,
                           policy.tablename, replace(policy.qual, old_form, new_form));
        END IF;
        IF position(old_form IN coalesce(policy.with_check, '')) > 0 THEN
            EXECUTE format('ALTER POLICY %I ON public.%I WITH CHECK (%s)', policy.policyname,
                           policy.tablename, replace(policy.with_check, old_form, new_form));
        END IF;
    END LOOP;
END
$$;
"""


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def upgrade() -> None:
    op.execute(REWRITE.format(old=_quoted(OLD), new=_quoted(NEW)))


def downgrade() -> None:
    raise NotImplementedError("the policies' faster form is not taken back")
