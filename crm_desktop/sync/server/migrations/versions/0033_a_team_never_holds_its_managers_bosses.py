"""a manager's team never holds the managers above him

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-02 04:00:00

0010's `crm_team_ids()` gives a manager, besides his direct reports, every user of his office
and the offices under it. A manager's own manager (a director of the same office) is such a
user, so a manager read his boss's customers, could take them (`UPDATE customers SET owner_id`,
which the customers' policies allow within one's team), and read his boss's work logs
(`crm_log_author_ids()` holds the team). What a manager sees flows down: the managers above
him, along `manager_id` at any depth, are never in his team, and neither is an administrator
(of his office, or set as reporting to him). Everyone else of his offices stays in it, as before.

Like every migration, it carries its own statements: the values below are copies, not imports.
"""

from __future__ import annotations

from alembic import op

revision = "0033"
down_revision = "0032"
branch_labels = None
depends_on = None

TEAM = """
CREATE OR REPLACE FUNCTION crm_team_ids() RETURNS uuid[]
LANGUAGE sql STABLE SET search_path = pg_catalog, public, pg_temp AS $$
    WITH RECURSIVE me AS (
        SELECT u.id, u.office_id FROM public.users u
        WHERE u.id = public.crm_current_user_id() AND u.role = 'manager'
    ),
    below (id) AS (
        SELECT me.office_id FROM me WHERE me.office_id IS NOT NULL
        UNION
        SELECT o.id FROM public.offices o JOIN below ON o.parent_id = below.id
    ),
    -- His manager, that one's manager, and so on (UNION: a loop of managers ends).
    above (id) AS (
        SELECT u.manager_id FROM public.users u JOIN me ON u.id = me.id
        WHERE u.manager_id IS NOT NULL
        UNION
        SELECT u.manager_id FROM public.users u JOIN above ON u.id = above.id
        WHERE u.manager_id IS NOT NULL
    )
    SELECT ARRAY(
        SELECT u.id FROM public.users u JOIN me ON u.manager_id = me.id
        WHERE u.role <> 'admin'
        UNION
        SELECT u.id FROM public.users u
        WHERE u.office_id IN (SELECT below.id FROM below) AND u.role <> 'admin'
        EXCEPT
        SELECT me.id FROM me
        EXCEPT
        SELECT above.id FROM above
        ORDER BY 1)
$$;
"""

# 0010's, for a downgrade.
OLD_TEAM = """
CREATE OR REPLACE FUNCTION crm_team_ids() RETURNS uuid[]
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
"""


def upgrade() -> None:
    op.execute(TEAM)


def downgrade() -> None:
    op.execute(OLD_TEAM)
