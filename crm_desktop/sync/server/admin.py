"""CRM users are PostgreSQL login roles: adding one creates the role, makes it a member of the
group role holding the table privileges, and writes its `users` row, in one transaction.

Role names and passwords go into DDL, which takes no bind parameters: they are passed only as
psycopg.sql.Identifier / Literal, and the password is sent already SCRAM-hashed so it never
appears in clear in the server's statement log.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg import sql

from crm_desktop.models.choices import CLOSED_STAGES, Role
from crm_desktop.models.entities import ENTITIES
from crm_desktop.sync.server.errors import ServerAdminError
from crm_desktop.sync.server.schema import GROUP_ROLE, connect

# Lower case only: PostgreSQL folds unquoted names, so "Alice" typed in psql would be "alice".
LOGIN_PATTERN = re.compile(r"[a-z_][a-z0-9_.-]{0,62}")
# Names PostgreSQL gives a meaning of their own in role commands (GRANT ... TO public), and
# our group role: none of them can be a person.
RESERVED_LOGINS = frozenset(
    {"public", "none", "current_user", "current_role", "session_user", "user", GROUP_ROLE}
)
# Who may lead a team: a rep's or clerk's manager must be one of these.
MANAGER_ROLES = (Role.MANAGER, Role.ADMIN)


def check_login(login: str) -> None:
    if not LOGIN_PATTERN.fullmatch(login) or login.startswith("pg_") or login in RESERVED_LOGINS:
        raise ServerAdminError(
            f"“{login}” can't be a user name; use up to 63 lower-case letters, digits, "
            "'_', '.' or '-', starting with a letter."
        )


def check_role(role: str) -> Role:
    try:
        return Role(role)
    except ValueError:
        choices = ", ".join(member.value for member in Role)
        raise ServerAdminError(f"“{role}” is not a role; choose one of {choices}.") from None


def add_user(
    dsn: str,
    login: str,
    role: str,
    password: str,
    *,
    manager: str | None = None,
    name: str | None = None,
) -> str:
    """Create the user `login`; returns the new users.id. Run by the deployment admin role."""
    check_login(login)
    crm_role = check_role(role)
    if not password:
        raise ServerAdminError("The password is empty; give the user a password.")
    with connect(dsn) as connection:
        try:
            with connection.transaction():
                user_id = _add_user(connection, login, crm_role, password, manager, name)
        except psycopg.errors.InsufficientPrivilege as error:
            raise ServerAdminError(
                "The role in the connection string may not add users (it needs CREATEROLE "
                f"and must own the CRM tables): {error.diag.message_primary}"
            ) from None
        except psycopg.errors.UndefinedTable:
            raise ServerAdminError(
                "The database has no CRM schema yet; run server init first."
            ) from None
    return user_id


def _add_user(
    connection: psycopg.Connection,
    login: str,
    role: Role,
    password: str,
    manager: str | None,
    name: str | None,
) -> str:
    taken = connection.execute(
        "SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = %(login)s)"
        " OR EXISTS (SELECT FROM users WHERE login = %(login)s)",
        {"login": login},
    ).fetchone()
    if taken and taken[0]:
        raise ServerAdminError(f"A user or database role named “{login}” already exists.")
    manager_id = _manager_id(connection, manager) if manager else None

    verifier = connection.pgconn.encrypt_password(
        password.encode(), login.encode(), b"scram-sha-256"
    ).decode()
    connection.execute(
        sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(login), sql.Literal(verifier)
        )
    )
    connection.execute(
        sql.SQL("GRANT {} TO {}").format(sql.Identifier(GROUP_ROLE), sql.Identifier(login))
    )
    # Only this database's users may connect to it (server init revokes it from PUBLIC).
    database = connection.execute("SELECT current_database()").fetchone()[0]
    connection.execute(
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(database), sql.Identifier(login)
        )
    )
    user_id = str(uuid.uuid4())
    now = datetime.now().astimezone()
    connection.execute(
        "INSERT INTO users (id, login, name, role, manager_id, created_at, updated_at)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (user_id, login, name or login, role.value, manager_id, now, now),
    )
    return user_id


def _manager_id(connection: psycopg.Connection, manager: str) -> str:
    row = connection.execute(
        "SELECT id, role FROM users WHERE login = %s AND deleted_at IS NULL", (manager,)
    ).fetchone()
    if row is None:
        raise ServerAdminError(f"There is no user named “{manager}” to be the manager.")
    if row[1] not in MANAGER_ROLES:
        raise ServerAdminError(f"“{manager}” is a {row[1]}, not a manager.")
    return str(row[0])


def set_active(dsn: str, login: str, active: bool) -> None:
    """Deactivate or reactivate a user. The server's trigger disables or enables his login in
    the same transaction; his records stay, owned by him, until they are handed over."""
    with connect(dsn) as connection, connection.transaction():
        found = connection.execute(
            "UPDATE users SET active = %s WHERE login = %s AND deleted_at IS NULL RETURNING id",
            (active, login),
        ).fetchone()
        if found is None:
            raise ServerAdminError(f"There is no user named “{login}”.")


def assign_clerk(dsn: str, clerk: str, rep: str, valid_until: datetime) -> None:
    """Let `clerk` work on `rep`'s customers until `valid_until` (replacing an earlier date)."""
    with connect(dsn) as connection, connection.transaction():
        ids = {}
        for login, wanted in ((clerk, Role.CLERK), (rep, Role.REP)):
            row = connection.execute(
                "SELECT id, role FROM users WHERE login = %s AND deleted_at IS NULL", (login,)
            ).fetchone()
            if row is None or row[1] != wanted:
                raise ServerAdminError(f"There is no {wanted.value} named “{login}”.")
            ids[wanted] = row[0]
        connection.execute(
            "INSERT INTO clerk_assignments (clerk_id, rep_id, valid_until) VALUES (%s, %s, %s)"
            " ON CONFLICT (clerk_id, rep_id) DO UPDATE SET valid_until = EXCLUDED.valid_until",
            (ids[Role.CLERK], ids[Role.REP], valid_until),
        )


def unassign_clerk(dsn: str, clerk: str, rep: str) -> None:
    """End `clerk`'s grace period for `rep` now: his devices lose the rep's records at their
    next sync, and a change he makes after this is refused by the server."""
    with connect(dsn) as connection, connection.transaction():
        ended = connection.execute(
            "UPDATE clerk_assignments a SET valid_until = now() FROM users c, users r"
            " WHERE a.clerk_id = c.id AND a.rep_id = r.id AND c.login = %s AND r.login = %s"
            " AND a.valid_until > now() RETURNING a.clerk_id",
            (clerk, rep),
        ).fetchone()
        if ended is None:
            raise ServerAdminError(f"“{clerk}” does not enter records for “{rep}” now.")


def trim_change_log(dsn: str, older_than_days: int) -> int:
    """Delete change-log rows older than the given age; returns how many.

    Devices whose cursor is older than what was deleted notice it (sync_meta.log_floor) and
    download everything again instead of missing changes.
    """
    if older_than_days < 1:
        raise ServerAdminError("Keep at least one day of changes: use --older-than-days 1 or more.")
    with connect(dsn) as connection, connection.transaction():
        row = connection.execute(
            """
            WITH gone AS (
                DELETE FROM sync_changes
                WHERE changed_at < now() - make_interval(days => %s)
                RETURNING txid
            )
            SELECT count(*), max(txid)::text FROM gone
            """,
            (older_than_days,),
        ).fetchone()
        count, newest = row
        if count:
            # Any cursor from before the newest deleted transaction may have missed something.
            floor = str(int(newest) + 1)
            connection.execute(
                "UPDATE sync_meta SET log_floor = greatest(log_floor, %s::text::xid8)", (floor,)
            )
    return int(count)


# -- ownership rules ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One of the server's ownership rules: its value (None: an override not set), who last
    changed it and when."""

    key: str
    value: int | None
    updated_at: datetime
    updated_by: str


# What each rule means, for `server rules` and the settings dialog.
RULE_HELP = {
    "pool_return_days": "days without a follow-up before a customer returns to the pool",
    "pool_return_days_A": "the same for grade A customers (empty: pool_return_days)",
    "pool_return_days_B": "the same for grade B customers (empty: pool_return_days)",
    "pool_return_days_C": "the same for grade C customers (empty: pool_return_days)",
    "pool_warning_days": "days before the return that the owner is warned",
    "claim_per_day": "pool customers a rep may claim per day",
    "max_owned": "customers a rep may own at most",
    "reclaim_block_days": "days before a rep may claim back a customer that returned from him",
}
# Words that clear a per-grade override (the rule then follows pool_return_days).
NOT_SET = frozenset({"", "none", "default", "-"})


def read_rules(dsn: str) -> list[Rule]:
    """Every ownership rule, in the order they are documented."""
    with connect(dsn) as connection:
        rows = connection.execute(
            "SELECT key, value, updated_at, updated_by FROM crm_rules"
        ).fetchall()
    found = {row[0]: Rule(*row) for row in rows}
    return [found[key] for key in RULE_HELP if key in found]


def set_rule(dsn: str, key: str, typed: str) -> Rule:
    """Change one rule; a value out of its range, or a rule that does not exist, is refused
    with a sentence naming it and nothing is changed."""
    if key not in RULE_HELP:
        raise ServerAdminError(
            f"There is no rule named “{key}”; the rules are {', '.join(RULE_HELP)}."
        )
    value = _rule_value(key, typed)
    try:
        with connect(dsn) as connection, connection.transaction():
            row = connection.execute(
                "UPDATE crm_rules SET value = %s WHERE key = %s"
                " RETURNING key, value, updated_at, updated_by",
                (value, key),
            ).fetchone()
    except psycopg.errors.CheckViolation:
        if value is None:
            raise ServerAdminError(
                f"{key} must have a value; only the per-grade overrides may be empty."
            ) from None
        raise ServerAdminError(f"{value} is out of range for {key}.") from None
    except psycopg.errors.InsufficientPrivilege:
        raise ServerAdminError("Only an administrator may change the rules.") from None
    if row is None:  # the policy hid the row: not an administrator
        raise ServerAdminError("Only an administrator may change the rules.")
    return Rule(*row)


def _rule_value(key: str, typed: str) -> int | None:
    text = typed.strip().lower()
    if text in NOT_SET:
        return None
    try:
        return int(text)
    except ValueError:
        raise ServerAdminError(
            f"“{typed}” is not a number of days or customers; {key} takes a whole number."
        ) from None


def apply_rules(dsn: str) -> int:
    """Return every customer that is due back in the public pool (by the server's rules);
    returns how many. Meant for a scheduled job run as the administrator."""
    with connect(dsn) as connection, connection.transaction():
        return int(connection.execute("SELECT crm_return_due_customers()").fetchone()[0])


# -- handover of a leaving rep -------------------------------------------------------------------


@dataclass(frozen=True)
class Handover:
    """What a handover moves (or would move, in a dry run) from one user to another."""

    customers: int
    open_opportunities: int
    open_tasks: int


# What a handover moves, by each entity's owner column: (entity, what makes a row still open).
_HANDED_OVER = (
    ("customers", ""),
    ("opportunities", " AND stage <> ALL(%(closed)s)"),
    ("tasks", " AND NOT done"),
)
# A handover recorded as such in each customer's ownership history (migration 0006).
_HANDOVER_SETTINGS = (
    "SELECT set_config('crm.owner_change_kind', 'handed_over', true),"
    " set_config('crm.owner_change_reason', %s, true)"
)


def handover(dsn: str, leaver: str, receiver: str, *, dry_run: bool = False) -> Handover:
    """Give everything `leaver` owns to `receiver` in one transaction: his customers, his open
    opportunities and the open tasks assigned to him; with `dry_run`, only count them. Closed
    deals and done tasks keep their history as it was. Run by an administrator."""
    if leaver == receiver:
        raise ServerAdminError("A handover needs two different users.")
    with connect(dsn) as connection, connection.transaction():
        ids = {}
        for login in (leaver, receiver):
            row = connection.execute(
                "SELECT id, active FROM users WHERE login = %s AND deleted_at IS NULL", (login,)
            ).fetchone()
            if row is None:
                raise ServerAdminError(f"There is no user named “{login}”.")
            ids[login] = row
        if not ids[receiver][1]:
            raise ServerAdminError(f"“{receiver}” is deactivated; activate him first.")
        source, target = ids[leaver][0], ids[receiver][0]
        if not dry_run:
            connection.execute(_HANDOVER_SETTINGS, (f"handover from {leaver} to {receiver}",))
        values = {"source": source, "target": target, "closed": [str(s) for s in CLOSED_STAGES]}
        counts = []
        for table, still_open in _HANDED_OVER:
            column = ENTITIES[table].OWNER
            where = f"{column} = %(source)s AND deleted_at IS NULL{still_open}"
            statement = (
                f"SELECT count(*) FROM {table} WHERE {where}"
                if dry_run
                else f"UPDATE {table} SET {column} = %(target)s WHERE {where}"
            )
            cursor = connection.execute(statement, values)
            counts.append(cursor.fetchone()[0] if dry_run else cursor.rowcount)
        return Handover(*counts)
