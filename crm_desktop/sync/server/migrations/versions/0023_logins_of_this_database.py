"""the logins made for this database are recorded here, and only they may connect

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-01 11:00:00

Login roles are shared by every database of a PostgreSQL server, and a database's grants are
not carried by a dump, so `server init` gave CONNECT again, at every run, to whoever looked like
one of this database's logins. A review found that the look was wrong twice:

- **Finance logins of other databases.** Every login that was a member of `crm_finance` was
  given CONNECT: a finance login made for another CRM database on the same server read this
  one's customers, contracts and payments through the `erp_` views at the next `server init`.
- **Users of other databases.** Every `users` row whose login existed was given CONNECT. A CRM
  administrator here who added a row for another database's user could, after the next
  `server init`, switch that user's login off (and on again) for the whole server:
  `crm_sync_login` took the grant as proof that the login was this database's.

`crm_logins` now records the logins made for this database: by `server add-user`,
`add-finance-user` and the take-over of a leftover login, in the same transaction as the role.
It travels in a dump with the rest, so a restored database gives CONNECT back to exactly its own
logins. `server init` grants CONNECT to the recorded logins alone, and `crm_sync_login` changes
only a recorded user's login. No CRM role reads or writes the table (row-level security on, no
policy, no grant): only the owner's commands do.

What is recorded at this upgrade is what this database held: every user whose login is a member
of `crm_users`, and every finance login allowed to connect here now. On a server holding
several CRM databases, a finance login an earlier `server init` spread to them all is therefore
still recorded in each: `REVOKE CONNECT ON DATABASE … FROM <login>` and deleting its row of
`crm_logins`, as the owner, takes it out of a database it was not made for.

Like every migration, it carries its own statements: crm_sync_login below is 0003's, whole,
with the one condition added.
"""

from __future__ import annotations

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

GROUP_ROLE = "crm_users"
FINANCE_ROLE = "crm_finance"

LOGINS = """
CREATE TABLE crm_logins (
    login varchar(63) PRIMARY KEY CHECK (login <> ''),
    kind varchar(16) NOT NULL CHECK (kind IN ('user', 'finance')),
    added_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE crm_logins ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON crm_logins FROM PUBLIC;
"""

# Whom this database held as its own before the table existed.
RECORD_EXISTING = f"""
INSERT INTO crm_logins (login, kind)
SELECT u.login, 'user' FROM users u JOIN pg_roles r ON r.rolname = u.login
WHERE pg_has_role(r.oid, '{GROUP_ROLE}', 'MEMBER') AND NOT r.rolsuper
ON CONFLICT DO NOTHING;
INSERT INTO crm_logins (login, kind)
SELECT r.rolname, 'finance' FROM pg_roles r
WHERE to_regrole('{FINANCE_ROLE}') IS NOT NULL
  AND pg_has_role(r.oid, '{FINANCE_ROLE}', 'MEMBER') AND NOT r.rolsuper
  AND EXISTS (SELECT FROM pg_database d, aclexplode(d.datacl) a
              WHERE d.datname = current_database() AND a.grantee = r.oid
                AND a.privilege_type = 'CONNECT')
ON CONFLICT DO NOTHING;
"""

SYNC_LOGIN = f"""
CREATE OR REPLACE FUNCTION crm_sync_login() RETURNS trigger
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
       -- a login made for this database, not one of another CRM database on the same server
       AND EXISTS (SELECT FROM public.crm_logins l WHERE l.login = NEW.login AND l.kind = 'user')
       AND has_database_privilege(NEW.login, current_database(), 'CONNECT')
       AND NOT pg_has_role(NEW.login, (SELECT relowner FROM pg_class WHERE oid = TG_RELID),
                           'MEMBER') THEN
        EXECUTE format('ALTER ROLE %I %s', NEW.login,
                       CASE WHEN enabled THEN 'LOGIN' ELSE 'NOLOGIN' END);
    END IF;
    RETURN NULL;
END
$$;
REVOKE EXECUTE ON FUNCTION crm_sync_login() FROM PUBLIC;
"""


def upgrade() -> None:
    op.execute(LOGINS)
    op.execute(RECORD_EXISTING)
    op.execute(SYNC_LOGIN)


def downgrade() -> None:
    raise NotImplementedError("the record of this database's logins is not taken back")
