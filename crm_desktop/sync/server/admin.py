"""CRM users are PostgreSQL login roles: adding one creates the role, makes it a member of the
group role holding the table privileges, and writes its `users` row, in one transaction.

Role names and passwords go into DDL, which takes no bind parameters: they are passed only as
psycopg.sql.Identifier / Literal, and the password is sent already SCRAM-hashed so it never
appears in clear in the server's statement log.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

import psycopg
from psycopg import sql
from PySide6.QtCore import QT_TRANSLATE_NOOP

from crm_desktop.models.choices import CLOSED_STAGES, ContractStatus, RenewalStatus, Role
from crm_desktop.models.entities import ENTITIES
from crm_desktop.models.rules import INVISIBLE_IN_ONE_LINE
from crm_desktop.sync.server.errors import ServerAdminError
from crm_desktop.sync.server.grades import GradeChange, apply_grades, proposed_changes
from crm_desktop.sync.server.schema import GROUP_ROLE, connect, has_object

# Lower case only: PostgreSQL folds unquoted names, so "Alice" typed in psql would be "alice".
LOGIN_PATTERN = re.compile(r"[a-z_][a-z0-9_.-]{0,62}")
# The group role of finance and ERP logins (server migration 0016): it reads the erp_ views.
FINANCE_ROLE = "crm_finance"
# Names PostgreSQL gives a meaning of their own in role commands (GRANT ... TO public), and
# our group roles: none of them can be a person.
RESERVED_LOGINS = frozenset(
    {
        "public",
        "none",
        "current_user",
        "current_role",
        "session_user",
        "user",
        GROUP_ROLE,
        FINANCE_ROLE,
    }
)
# Who may lead a team: a rep's or clerk's manager must be one of these.
MANAGER_ROLES = (Role.MANAGER, Role.ADMIN)
# Who may own customers, and so receive them in a handover (the window offers the same:
# sync/ownership.py's OWNERS).
OWNER_ROLES = (Role.REP, Role.MANAGER)
# What the server's CHECKs on one-line text refuse (users.name, offices.name, the letterhead):
# control characters (C0, DEL, C1). The invisible ones it refuses too are taken out, as the
# app takes them out of what a user types (models/rules.py).
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_USER_NAME = 200  # users.name is varchar(200) (server migration 0001)
# The shortest password a login gets: every user can reach the server with psql, so a login's
# password is all that stands between a guess and his customers. PostgreSQL itself sets none.
MIN_PASSWORD = 8


def _one_line(text: str) -> str:
    """Text as a one-line value is stored: without invisible characters, trimmed."""
    return INVISIBLE_IN_ONE_LINE.sub("", text).strip()


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


def check_new_password(password: str, holder: str = "user") -> None:
    """Refuse, in one sentence, a password too short to give a login (`holder`: the user, or
    the login for one that is not a CRM user)."""
    if not password:
        raise ServerAdminError(f"The password is empty; give the {holder} a password.")
    if len(password) < MIN_PASSWORD:
        raise ServerAdminError(
            f"The password is {len(password)} characters long; give the {holder} one of at "
            f"least {MIN_PASSWORD}. Nothing was changed."
        )


def check_user_name(name: str | None, login: str) -> str:
    """The display name as it is stored: without spaces around it, the login when none is
    given; one sentence when the server would refuse it (it is not echoed: it may be long, or
    hold a line break)."""
    cleaned = _one_line(name or "")
    if len(cleaned) > MAX_USER_NAME or _CONTROLS.search(cleaned):
        raise ServerAdminError(
            f"The name given with --name must be one line of at most {MAX_USER_NAME} "
            "characters, without control characters; nothing was changed."
        )
    return cleaned or login


@dataclass(frozen=True)
class AddedUser:
    id: str  # users.id
    # The login role was there already, left from a user added after the backup a restore put
    # back (see leftover_logins), and now has the new password.
    took_over_login: bool = False


def add_user(
    dsn: str,
    login: str,
    role: str,
    password: str,
    *,
    manager: str | None = None,
    name: str | None = None,
    office: str | None = None,
) -> str:
    """Create the user `login` (in `office`, or the head office); returns the new users.id.
    Run by the deployment admin role."""
    return add_crm_user(dsn, login, role, password, manager=manager, name=name, office=office).id


def add_crm_user(
    dsn: str,
    login: str,
    role: str,
    password: str,
    *,
    manager: str | None = None,
    name: str | None = None,
    office: str | None = None,
) -> AddedUser:
    """add_user, saying also whether a leftover login role was taken over."""
    check_login(login)
    crm_role = check_role(role)
    shown_name = check_user_name(name, login)
    check_new_password(password)
    with connect(dsn) as connection:
        try:
            with connection.transaction():
                added = _add_user(
                    connection, login, crm_role, password, manager, shown_name, office
                )
        except psycopg.errors.InsufficientPrivilege as error:
            raise ServerAdminError(
                "The role in the connection string may not add users (it needs CREATEROLE "
                f"and must own the CRM tables): {error.diag.message_primary}"
            ) from None
        except psycopg.errors.UndefinedTable:
            raise ServerAdminError(NO_SCHEMA) from None
        except (psycopg.errors.CheckViolation, psycopg.errors.StringDataRightTruncation):
            # A server newer than this program, stricter than check_user_name.
            raise ServerAdminError(
                f"The server refused the user “{login}” as given (his name or role); "
                "nothing was changed."
            ) from None
    return added


def _add_user(
    connection: psycopg.Connection,
    login: str,
    role: Role,
    password: str,
    manager: str | None,
    name: str,
    office: str | None = None,
) -> AddedUser:
    take_over = _is_leftover_login(connection, login)
    if not take_over:
        _check_login_free(connection, login)
    manager_id = _manager_id(connection, manager) if manager else None
    office_id = _office_id(connection, office) if office else None

    if take_over:
        _take_over_login(connection, login, password)
    else:
        _create_login(connection, login, password, GROUP_ROLE)
    user_id = str(uuid.uuid4())
    now = datetime.now().astimezone()
    values = {
        "id": user_id,
        "login": login,
        "name": name,
        "role": role.value,
        "manager_id": manager_id,
        "created_at": now,
        "updated_at": now,
    }
    if office_id is not None:  # named only when given: a server not yet upgraded has no column
        values["office_id"] = office_id
    connection.execute(
        sql.SQL("INSERT INTO users ({}) VALUES ({})").format(
            sql.SQL(", ").join(map(sql.Identifier, values)),
            sql.SQL(", ").join(map(sql.Placeholder, values)),
        ),
        values,
    )
    return AddedUser(user_id, take_over)


def add_finance_user(dsn: str, login: str, password: str) -> None:
    """Create a finance or ERP login (server migration 0016): a member of `crm_finance`, which
    reads the views erp_customers, erp_contracts and erp_payments and nothing else. It is no
    CRM user (no `users` row, not a member of crm_users). Run by the deployment admin role."""
    check_login(login)
    check_new_password(password, "login")
    with connect(dsn) as connection:
        try:
            with connection.transaction():
                _add_finance_user(connection, login, password)
        except psycopg.errors.InsufficientPrivilege as error:
            raise ServerAdminError(
                "The role in the connection string may not add finance logins (it needs "
                f"CREATEROLE and must own the CRM tables): {error.diag.message_primary}"
            ) from None
        except psycopg.errors.UndefinedTable:
            raise ServerAdminError(
                "The database has no CRM schema yet; run server init first."
            ) from None


def _add_finance_user(connection: psycopg.Connection, login: str, password: str) -> None:
    ready = connection.execute(
        "SELECT to_regclass('public.erp_customers') IS NOT NULL"
        " AND EXISTS (SELECT FROM pg_roles WHERE rolname = %s)",
        (FINANCE_ROLE,),
    ).fetchone()
    if not (ready and ready[0]):
        raise ServerAdminError(
            "The server's schema has no finance views yet; run server init to upgrade it."
        )
    _check_login_free(connection, login)
    _create_login(connection, login, password, FINANCE_ROLE)


def _check_login_free(connection: psycopg.Connection, login: str) -> None:
    taken = connection.execute(
        "SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = %(login)s)"
        " OR EXISTS (SELECT FROM users WHERE login = %(login)s)",
        {"login": login},
    ).fetchone()
    if taken and taken[0]:
        raise ServerAdminError(f"A user or database role named “{login}” already exists.")


def _create_login(connection: psycopg.Connection, login: str, password: str, group: str) -> None:
    """A login role with a SCRAM verifier (the password itself never reaches the server's log),
    a member of `group`, allowed to connect to this database."""
    connection.execute(
        sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(login), sql.Literal(scram_verifier(connection, login, password))
        )
    )
    connection.execute(
        sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(login))
    )
    # To the login, not the group: group roles are shared by every database on the server,
    # and only this database's users may connect to it (server init revokes it from PUBLIC).
    grant_connect(connection, login)
    record_login(connection, login, "finance" if group == FINANCE_ROLE else "user")


# Logins this database's CRM has lost the user of: direct members of the CRM's group, allowed
# to connect to this database by a grant of their own (add-user makes one; the group role is the
# cluster's, shared with other CRM databases), without a users row here. A user added after a
# backup keeps his login role when that backup is restored: roles are not in the file.
_LEFTOVER = f"""
    SELECT r.oid, r.rolname FROM pg_catalog.pg_roles r
    WHERE NOT r.rolsuper
      AND EXISTS (SELECT FROM pg_catalog.pg_auth_members m
                  JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
                  WHERE m.member = r.oid AND g.rolname = '{GROUP_ROLE}')
      AND EXISTS (SELECT FROM pg_catalog.pg_database d, pg_catalog.aclexplode(d.datacl) a
                  WHERE d.datname = pg_catalog.current_database() AND a.grantee = r.oid
                    AND a.privilege_type = 'CONNECT')
      AND NOT EXISTS (SELECT FROM public.users u WHERE u.login = r.rolname)
"""


def leftover_logins(connection: psycopg.Connection) -> list[str]:
    """The logins of this database without a CRM user (see _LEFTOVER), by name."""
    with connection.transaction():
        rows = connection.execute(_LEFTOVER + " ORDER BY r.rolname").fetchall()
    return [row[1] for row in rows]


def _is_leftover_login(connection: psycopg.Connection, login: str) -> bool:
    """Whether add-user may take the existing role `login` over as the new user's login: one
    the CRM lost the user of (_LEFTOVER) that looks exactly like what add-user makes, so taking
    it over gives nobody anything he did not have. It may do nothing but be a CRM login here:
    no special right; a member of the CRM's group alone, without passing it on; nobody able to
    act as it (from PostgreSQL 16 its creator holds it with ADMIN OPTION only, which lets him
    manage it, not use it); no settings of its own; and nothing in any database owned by it or
    granted to it but its right to connect here. Any other role of that name is refused
    (a role of another database on this server, the server's own, one someone made to be
    handed a CRM login)."""
    # Before PostgreSQL 16 any member may act as the role.
    acting = ""
    if connection.info.server_version >= 160000:
        acting = " AND (m.inherit_option OR m.set_option)"
    found = connection.execute(
        f"""
        SELECT EXISTS (SELECT FROM ({_LEFTOVER}) l WHERE l.rolname = %(login)s),
               EXISTS (
            SELECT FROM ({_LEFTOVER}) l JOIN pg_catalog.pg_roles r ON r.oid = l.oid
            WHERE r.rolname = %(login)s
              AND NOT (r.rolcreaterole OR r.rolcreatedb OR r.rolreplication OR r.rolbypassrls)
              AND (SELECT count(*) FROM pg_catalog.pg_auth_members m
                   WHERE m.member = r.oid) = 1
              AND NOT EXISTS (SELECT FROM pg_catalog.pg_auth_members m
                              WHERE m.member = r.oid AND m.admin_option)
              AND NOT EXISTS (SELECT FROM pg_catalog.pg_auth_members m
                              WHERE m.roleid = r.oid{acting})
              AND NOT EXISTS (SELECT FROM pg_catalog.pg_db_role_setting s
                              WHERE s.setrole = r.oid)
              AND NOT EXISTS (
                  SELECT FROM pg_catalog.pg_shdepend d
                  WHERE d.refclassid = 'pg_catalog.pg_authid'::pg_catalog.regclass
                    AND d.refobjid = r.oid
                    AND NOT (d.deptype = 'a' AND d.dbid = 0
                             AND d.classid = 'pg_catalog.pg_database'::pg_catalog.regclass
                             AND d.objid = (SELECT oid FROM pg_catalog.pg_database
                                            WHERE datname = pg_catalog.current_database()))))
        """,
        {"login": login},
    ).fetchone()
    lost_user, safe = found
    if lost_user and not safe:
        raise ServerAdminError(
            f"The login “{login}” is left from a user this database no longer has, but it has "
            "more than a new user's login may (special rights, another role, members, settings "
            "or objects of its own); have the database administrator drop it, then add the "
            "user again."
        )
    return bool(safe)


def _take_over_login(connection: psycopg.Connection, login: str, password: str) -> None:
    """A leftover login (_is_leftover_login) made the new user's, with his new password."""
    connection.execute(
        sql.SQL("ALTER ROLE {} LOGIN INHERIT PASSWORD {} VALID UNTIL 'infinity'").format(
            sql.Identifier(login), sql.Literal(scram_verifier(connection, login, password))
        )
    )
    grant_connect(connection, login)
    record_login(connection, login, "user")


def scram_verifier(connection: psycopg.Connection, login: str, password: str) -> str:
    """What the server keeps of a password, made here: the password itself never reaches the
    server, nor its log."""
    return connection.pgconn.encrypt_password(
        password.encode(), login.encode(), b"scram-sha-256"
    ).decode()


def record_login(connection: psycopg.Connection, login: str, kind: str) -> None:
    """Note `login` as made for this database, a CRM user's (`kind` "user") or a finance
    login: server init gives CONNECT to the logins noted, and a users row deactivates only a
    noted user's login (crm_logins, server revision 0023; an older schema has no such note)."""
    if has_object(connection, "crm_logins"):
        connection.execute(
            "INSERT INTO crm_logins (login, kind) VALUES (%s, %s)"
            " ON CONFLICT (login) DO UPDATE SET kind = excluded.kind, added_at = now()",
            (login, kind),
        )


def grant_connect(connection: psycopg.Connection, login: str) -> None:
    """Let `login` connect to the connection's database."""
    database = connection.execute("SELECT current_database()").fetchone()[0]
    connection.execute(
        sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(database), sql.Identifier(login)
        )
    )


def _manager_id(connection: psycopg.Connection, manager: str) -> str:
    row = connection.execute(
        "SELECT id, role FROM users WHERE login = %s AND deleted_at IS NULL", (manager,)
    ).fetchone()
    if row is None:
        raise ServerAdminError(f"There is no user named “{manager}” to be the manager.")
    if row[1] not in MANAGER_ROLES:
        raise ServerAdminError(f"“{manager}” is a {row[1]}, not a manager.")
    return str(row[0])


NO_SCHEMA = "The database has no CRM schema yet; run server init first."


@contextmanager
def _admin_errors(what: str) -> Iterator[None]:
    """What any administrator's command may meet on a server, as one sentence each: a role
    that may not do `what` (a CRM user's own login, say), or a database before server init."""
    try:
        yield
    except psycopg.errors.InsufficientPrivilege:
        raise ServerAdminError(
            f"The role in the connection string may not {what}; use the administrator's."
        ) from None
    except psycopg.errors.UndefinedTable:
        raise ServerAdminError(NO_SCHEMA) from None


def _is_admin(connection: psycopg.Connection) -> bool:
    """Whether the connection's user is an administrator (a CRM admin, or the tables' owner)."""
    if not has_object(connection, "crm_is_admin()"):  # it came with the first revision
        raise ServerAdminError(NO_SCHEMA)
    row = connection.execute("SELECT public.crm_is_admin()").fetchone()
    return bool(row and row[0])


def set_password(dsn: str, login: str, password: str) -> None:
    """Give a CRM user a new password (he forgot his, or it leaked). Only the login of a CRM
    user of this database: a direct member of its group role, with a user row here. Roles are
    shared by every database on the server, so no other login (an administrator's, another
    database's user, a finance login) is touched. Run by the deployment admin role."""
    check_login(login)
    check_new_password(password)
    with connect(dsn) as connection:
        try:
            with connection.transaction():
                user = connection.execute(
                    "SELECT 1 FROM users WHERE login = %s AND deleted_at IS NULL", (login,)
                ).fetchone()
                member = connection.execute(
                    "SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member"
                    " JOIN pg_roles g ON g.oid = m.roleid WHERE r.rolname = %s AND g.rolname = %s",
                    (login, GROUP_ROLE),
                ).fetchone()
                if user is None or member is None:
                    raise ServerAdminError(f"There is no CRM user named “{login}” here.")
                connection.execute(
                    sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                        sql.Identifier(login),
                        sql.Literal(scram_verifier(connection, login, password)),
                    )
                )
        except psycopg.errors.InsufficientPrivilege as error:
            raise ServerAdminError(
                "The role in the connection string may not change passwords (it needs "
                f"CREATEROLE): {error.diag.message_primary}"
            ) from None
        except psycopg.errors.UndefinedTable:
            raise ServerAdminError(NO_SCHEMA) from None


def set_active(dsn: str, login: str, active: bool) -> int:
    """Deactivate or reactivate a user. The server's trigger disables or enables his login in
    the same transaction; his records stay, owned by him, until they are handed over. Returns
    how many live customers he owns, for the administrator to be told of those still to hand
    over."""
    with (
        _admin_errors("change users"),
        connect(dsn) as connection,
        connection.transaction(),
    ):
        # Asked first: to anyone else the policies hide every row from the change, and he
        # would be told there is no such user.
        if not _is_admin(connection):
            raise ServerAdminError("Only an administrator may deactivate or activate users.")
        found = connection.execute(
            "UPDATE users SET active = %s WHERE login = %s AND deleted_at IS NULL RETURNING id",
            (active, login),
        ).fetchone()
        if found is None:
            raise ServerAdminError(f"There is no user named “{login}”.")
        owned = connection.execute(
            "SELECT count(*) FROM customers WHERE owner_id = %s AND deleted_at IS NULL",
            (found[0],),
        ).fetchone()
        return int(owned[0]) if owned else 0


@dataclass(frozen=True)
class UserChange:
    """What `server change-user` changed: each of these (before, after), None where it stayed
    as it was. A manager is named by his login, None for none."""

    login: str
    name: tuple[str, str] | None = None
    role: tuple[Role, Role] | None = None
    manager: tuple[str | None, str | None] | None = None

    def nothing(self) -> bool:
        return self.name is None and self.role is None and self.manager is None


def change_user(
    dsn: str,
    login: str,
    *,
    name: str | None = None,
    role: str | None = None,
    manager: str | None = None,
    clear_manager: bool = False,
) -> UserChange:
    """Change a user's display name, CRM role and/or manager in one transaction; run by an
    administrator. What he sees follows from `users.role` and `manager_id` alone, read by the
    policies at each statement, and his devices resync in full at their next sync when it
    changes (pull compares his role and visible owners). Every login is a plain member of
    GROUP_ROLE whatever its CRM role, so no PostgreSQL role or grant changes with it.

    Refused, in one sentence and changing nothing: a role that would leave him owning
    customers he may not own, leading a team he may not lead, or in a clerk assignment that
    needs his old role; a manager who is not one, himself, or someone who reports to him."""
    if name is None and role is None and manager is None and not clear_manager:
        raise ServerAdminError(
            "Say what to change: --name, --role, --manager LOGIN or --no-manager."
        )
    if manager is not None and clear_manager:
        raise ServerAdminError("Give either --manager or --no-manager, not both.")
    if name is not None and not name.strip():
        # check_user_name reads blank as "the login"; here that would rename him by mistake.
        raise ServerAdminError(
            "--name is empty; give the name his colleagues know him by, or leave --name out "
            "to keep his."
        )
    new_name = check_user_name(name, login) if name is not None else None
    new_role = check_role(role) if role is not None else None
    if manager == login:
        raise ServerAdminError(f"“{login}” can't be his own manager.")
    with (
        _admin_errors("change users"),
        connect(dsn) as connection,
        connection.transaction(),
    ):
        # Asked first: to anyone else the policies hide every row from the change, and he
        # would be told there is no such user.
        if not _is_admin(connection):
            raise ServerAdminError("Only an administrator may change users.")
        # One change of who leads whom at a time: two at once, each checked before the other
        # committed, could close a loop or leave a team under a demoted manager.
        connection.execute("SELECT pg_advisory_xact_lock(hashtextextended('crm_users_tree', 0))")
        row = connection.execute(
            "SELECT u.id, u.name, u.role, m.login FROM users u"
            " LEFT JOIN users m ON m.id = u.manager_id"
            " WHERE u.login = %s AND u.deleted_at IS NULL",
            (login,),
        ).fetchone()
        if row is None:
            raise ServerAdminError(f"There is no user named “{login}”.")
        user_id, old_name, old_manager = str(row[0]), row[1], row[3]
        old_role = Role(row[2])
        changes: dict[str, object] = {}
        renamed: tuple[str, str] | None = None
        retitled: tuple[Role, Role] | None = None
        moved: tuple[str | None, str | None] | None = None
        if new_name is not None and new_name != old_name:
            changes["name"] = new_name
            renamed = (old_name, new_name)
        if new_role is not None and new_role != old_role:
            _check_role_change(connection, login, user_id, old_role, new_role)
            changes["role"] = new_role.value
            retitled = (old_role, new_role)
        if clear_manager or manager is not None:
            manager_id = None
            if manager is not None:
                manager_id = _manager_id(connection, manager)
                _check_no_loop(connection, login, user_id, manager, manager_id)
            if manager != old_manager:
                changes["manager_id"] = manager_id
                moved = (old_manager, manager)
        change = UserChange(login, renamed, retitled, moved)
        if not changes:
            return change
        statement = sql.SQL("UPDATE users SET {} WHERE id = {} RETURNING id").format(
            sql.SQL(", ").join(
                sql.SQL("{} = {}").format(sql.Identifier(column), sql.Placeholder(column))
                for column in changes
            ),
            sql.Placeholder("id"),
        )
        try:
            with connection.transaction():  # a savepoint: a refusal leaves a sentence to say
                updated = connection.execute(statement, {**changes, "id": user_id}).fetchone()
        except (psycopg.errors.CheckViolation, psycopg.errors.StringDataRightTruncation):
            # A server newer than this program, stricter than check_user_name or Role.
            raise ServerAdminError(
                f"The server refused the change to “{login}” as given (his name or role); "
                "nothing was changed."
            ) from None
        if updated is None:  # the policy hid the row: not an administrator after all
            raise ServerAdminError("Only an administrator may change users.")
    return change


def _check_role_change(
    connection: psycopg.Connection, login: str, user_id: str, old: Role, new: Role
) -> None:
    """Refuse a new role that what is already there depends on the old one for: customers only
    a rep or a manager may own, a team only a manager or an administrator may lead, and a
    clerk assignment, which joins a clerk to a rep (the server checks those roles only when an
    assignment is written, so a role changed under one would go unnoticed)."""
    if new not in OWNER_ROLES:
        owned = connection.execute(
            "SELECT count(*) FROM customers WHERE owner_id = %s AND deleted_at IS NULL",
            (user_id,),
        ).fetchone()[0]
        if owned:
            raise ServerAdminError(
                f"“{login}” still owns {_counted(owned, 'customer')}, and {_a(new)} may own "
                "none; hand them over first with server handover."
            )
    if new not in MANAGER_ROLES:
        team = connection.execute(
            "SELECT count(*) FROM users WHERE manager_id = %s AND deleted_at IS NULL",
            (user_id,),
        ).fetchone()[0]
        if team:
            reports = "still reports" if team == 1 else "still report"
            raise ServerAdminError(
                f"{_counted(team, 'user')} {reports} to “{login}”, and {_a(new)} may lead no team; "
                "give them another manager first with server change-user NAME --manager LOGIN."
            )
    for kept, side, other in ((Role.CLERK, "clerk_id", "rep_id"), (Role.REP, "rep_id", "clerk_id")):
        if old != kept or new == kept:
            continue
        # Ended ones stay for the history: the server never reads them again.
        pairs = connection.execute(
            sql.SQL(
                "SELECT o.login FROM clerk_assignments a JOIN users o ON o.id = a.{}"
                " WHERE a.{} = %s AND a.valid_until > now() ORDER BY o.login"
            ).format(sql.Identifier(other), sql.Identifier(side)),
            (user_id,),
        ).fetchall()
        if not pairs:
            continue
        first = pairs[0][0]
        more = f" (and {_counted(len(pairs) - 1, 'other assignment')})" if len(pairs) > 1 else ""
        if kept == Role.CLERK:
            clerk, rep, why = login, first, f"he enters records for “{first}”"
        else:
            clerk, rep, why = first, login, f"“{first}” enters records for him"
        raise ServerAdminError(
            f"“{login}” must stay a {kept} while {why}{more}; end that first with "
            f"server unassign-clerk {clerk} --rep {rep}."
        )


def _check_no_loop(
    connection: psycopg.Connection, login: str, user_id: str, manager: str, manager_id: str
) -> None:
    """Refuse a manager who reports to `login` at any depth: the chain of managers would loop,
    and the work logs' chain of managers (server migration 0012) would lead back to him."""
    loop = connection.execute(
        # UNION, not UNION ALL: the walk ends even on a loop that is already there.
        """
        WITH RECURSIVE up (id, manager_id) AS (
            SELECT id, manager_id FROM users WHERE id = %(manager)s
            UNION
            SELECT u.id, u.manager_id FROM users u JOIN up ON u.id = up.manager_id
        )
        SELECT EXISTS (SELECT FROM up WHERE id = %(user)s)
        """,
        {"manager": manager_id, "user": user_id},
    ).fetchone()[0]
    if loop:
        raise ServerAdminError(
            f"“{manager}” reports to “{login}”, directly or through others, so “{login}” "
            "can't report to him."
        )


def _counted(count: int, thing: str) -> str:
    return f"{count} {thing}" if count == 1 else f"{count} {thing}s"


def _a(role: Role) -> str:
    return f"an {role}" if role == Role.ADMIN else f"a {role}"


# How far ahead a clerk's assignment may end: the server's trigger refuses more than a year
# from now to anyone but the tables' owner (server migration 0003).
_CLERKS_ONLY = "Only an administrator, or the rep's manager, may assign clerks to a rep or end it."


def clerk_until(last_day: date, today: date | None = None) -> datetime:
    """When a clerk's access given until `last_day` inclusive ends (the next midnight, here),
    or one sentence when that day is past or more than a year ahead (the server holds every
    administrator but the tables' owner to a year; the command holds the owner to it too)."""
    today = today or date.today()
    try:
        in_a_year = today.replace(year=today.year + 1)
    except ValueError:  # 29 February: a year later is the 28th, as PostgreSQL counts it
        in_a_year = today.replace(year=today.year + 1, day=28)
    latest = in_a_year - timedelta(days=1)  # its access ends at the next midnight
    if last_day < today:
        raise ServerAdminError(
            f"--until {last_day} is past; give today or a later day (server unassign-clerk "
            "ends an assignment now)."
        )
    if last_day > latest:
        raise ServerAdminError(
            f"--until {last_day} is more than a year ahead; give {latest} or an earlier day."
        )
    return datetime.combine(last_day + timedelta(days=1), time()).astimezone()


def _may_assign_clerks(connection: psycopg.Connection, rep: str) -> bool:
    """Whether the connection's user may give `rep` a clerk or end one's assignment: an
    administrator, or a manager whose team `rep` is in (the policies' rule, migration 0010)."""
    if _is_admin(connection):
        return True
    if not has_object(connection, "crm_team_ids()"):  # before migration 0010: admins only
        return False
    row = connection.execute(
        "SELECT public.crm_current_role() = 'manager' AND EXISTS (SELECT FROM public.users"
        " WHERE login = %s AND deleted_at IS NULL AND id = ANY (public.crm_team_ids()))",
        (rep,),
    ).fetchone()
    return bool(row and row[0])


def assign_clerk(dsn: str, clerk: str, rep: str, valid_until: datetime) -> None:
    """Let `clerk` work on `rep`'s customers until `valid_until` (replacing an earlier date)."""
    with (
        _admin_errors("assign clerks"),
        connect(dsn) as connection,
        connection.transaction(),
    ):
        if not _may_assign_clerks(connection, rep):
            raise ServerAdminError(_CLERKS_ONLY)
        ids = {}
        for login, wanted in ((clerk, Role.CLERK), (rep, Role.REP)):
            row = connection.execute(
                "SELECT id, role FROM users WHERE login = %s AND deleted_at IS NULL", (login,)
            ).fetchone()
            if row is None or row[1] != wanted:
                raise ServerAdminError(f"There is no {wanted.value} named “{login}”.")
            ids[wanted] = row[0]
        try:
            with connection.transaction():  # a savepoint: a refusal leaves a sentence to say
                connection.execute(
                    "INSERT INTO clerk_assignments (clerk_id, rep_id, valid_until)"
                    " VALUES (%s, %s, %s) ON CONFLICT (clerk_id, rep_id)"
                    " DO UPDATE SET valid_until = EXCLUDED.valid_until",
                    (ids[Role.CLERK], ids[Role.REP], valid_until),
                )
        except psycopg.errors.CheckViolation:  # the server's trigger: at most a year ahead
            raise ServerAdminError(
                f"The server refused to let “{clerk}” enter records for “{rep}” that long: an "
                "assignment may last at most a year. Nothing was changed."
            ) from None


def unassign_clerk(dsn: str, clerk: str, rep: str) -> None:
    """End `clerk`'s grace period for `rep` now: his devices lose the rep's records at their
    next sync, and a change he makes after this is refused by the server."""
    with (
        _admin_errors("assign clerks"),
        connect(dsn) as connection,
        connection.transaction(),
    ):
        # Asked first: to anyone else the policies hide the assignment from the change, and
        # he would be told the clerk has none.
        if not _may_assign_clerks(connection, rep):
            raise ServerAdminError(_CLERKS_ONLY)
        ended = connection.execute(
            "UPDATE clerk_assignments a SET valid_until = now() FROM users c, users r"
            " WHERE a.clerk_id = c.id AND a.rep_id = r.id AND c.login = %s AND r.login = %s"
            " AND a.valid_until > now() RETURNING a.clerk_id",
            (clerk, rep),
        ).fetchone()
        if ended is None:
            raise ServerAdminError(f"“{clerk}” does not enter records for “{rep}” now.")


# The most days trim-log counts back: far more than any log is kept, and safe from overflowing
# the server's dates (a thousand million days are past its calendar).
MAX_TRIM_DAYS = 36_500


@contextmanager
def _out_of_range(sentence: str) -> Iterator[None]:
    """The server's "out of range" for a number or date the program let through (a server
    stricter than this program), as `sentence`."""
    try:
        yield
    except (
        psycopg.errors.NumericValueOutOfRange,
        psycopg.errors.DatetimeFieldOverflow,
        psycopg.errors.IntervalFieldOverflow,
    ):
        raise ServerAdminError(sentence) from None


def trim_change_log(dsn: str, older_than_days: int) -> int:
    """Delete change-log rows older than the given age; returns how many.

    Devices whose cursor is older than what was deleted notice it (sync_meta.log_floor) and
    download everything again instead of missing changes.
    """
    if older_than_days < 1:
        raise ServerAdminError("Keep at least one day of changes: use --older-than-days 1 or more.")
    if older_than_days > MAX_TRIM_DAYS:
        raise ServerAdminError(
            f"--older-than-days {older_than_days} reaches before any change log; use at most "
            f"{MAX_TRIM_DAYS} (a hundred years)."
        )
    with (
        _admin_errors("trim the change log"),
        _out_of_range(
            f"--older-than-days {older_than_days} is more than the server can count back; "
            f"use at most {MAX_TRIM_DAYS}."
        ),
        connect(dsn) as connection,
        connection.transaction(),
    ):
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


# What each rule means, for `server rules` (in English) and the window's rules dialog (in the
# user's language: marked here for translation, translated where it is shown).
RULE_HELP = {
    "pool_return_days": QT_TRANSLATE_NOOP(
        "Rules", "days without a follow-up before a customer returns to the pool"
    ),
    "pool_return_days_A": QT_TRANSLATE_NOOP(
        "Rules", "the same for grade A customers (not set: pool_return_days)"
    ),
    "pool_return_days_B": QT_TRANSLATE_NOOP(
        "Rules", "the same for grade B customers (not set: pool_return_days)"
    ),
    "pool_return_days_C": QT_TRANSLATE_NOOP(
        "Rules", "the same for grade C customers (not set: pool_return_days)"
    ),
    "pool_warning_days": QT_TRANSLATE_NOOP(
        "Rules", "days before the return that the owner is warned"
    ),
    "claim_per_day": QT_TRANSLATE_NOOP("Rules", "pool customers a rep may claim per day"),
    "max_owned": QT_TRANSLATE_NOOP("Rules", "customers a rep may own at most"),
    "reclaim_block_days": QT_TRANSLATE_NOOP(
        "Rules", "days before a rep may claim back a customer that returned from him"
    ),
    "grade_a_percent": QT_TRANSLATE_NOOP(
        "Rules", "percent of customers, by value in the last 12 months, graded A"
    ),
    "grade_b_percent": QT_TRANSLATE_NOOP(
        "Rules", "percent of customers graded B, next after the A ones"
    ),
    "grade_by_won_opportunities": QT_TRANSLATE_NOOP(
        "Rules", "a customer's value: 0 what it paid, 1 the deals won from it"
    ),
}
# The range the server's CHECK constraint holds each rule to (a copy of migration 0005's, which
# as history keeps its own), so a form can offer only values the server will take.
RULE_RANGES = {
    "pool_return_days": (1, 3650),
    "pool_return_days_A": (1, 3650),
    "pool_return_days_B": (1, 3650),
    "pool_return_days_C": (1, 3650),
    "pool_warning_days": (0, 365),
    "claim_per_day": (0, 1000),
    "max_owned": (0, 1_000_000),
    "reclaim_block_days": (0, 3650),
    "grade_a_percent": (0, 100),  # (a copy of migration 0015's)
    "grade_b_percent": (0, 100),
    "grade_by_won_opportunities": (0, 1),
}
# The per-grade overrides, which may be left unset (they then follow pool_return_days).
OPTIONAL_RULES = frozenset({"pool_return_days_A", "pool_return_days_B", "pool_return_days_C"})
# Words that clear a per-grade override (the rule then follows pool_return_days).
NOT_SET = frozenset({"", "none", "default", "-"})


def read_rules(dsn: str) -> list[Rule]:
    """Every ownership rule, in the order they are documented."""
    with _admin_errors("read the rules"), connect(dsn) as connection:
        return rules_on(connection)


def rules_on(connection: psycopg.Connection) -> list[Rule]:
    """The rules as `connection`'s user reads them (every signed-in user may)."""
    rows = connection.execute("SELECT key, value, updated_at, updated_by FROM crm_rules").fetchall()
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
    low, high = RULE_RANGES[key]
    out_of_range = f"{value} is out of range for {key}, which takes {low} to {high}."
    if value is None and key not in OPTIONAL_RULES:
        raise ServerAdminError(
            f"{key} must have a value; only the per-grade overrides may be empty."
        )
    if value is not None and not low <= value <= high:
        raise ServerAdminError(out_of_range)
    try:
        with connect(dsn) as connection, connection.transaction():
            rule = change_rule(connection, key, value)
    except (psycopg.errors.CheckViolation, psycopg.errors.NumericValueOutOfRange):
        # A server whose rules are stricter than this program's copy of them.
        if value is None:
            raise ServerAdminError(
                f"{key} must have a value; only the per-grade overrides may be empty."
            ) from None
        raise ServerAdminError(f"{value} is out of range for {key}.") from None
    except psycopg.errors.InsufficientPrivilege:
        raise ServerAdminError("Only an administrator may change the rules.") from None
    if rule is None:
        raise ServerAdminError("Only an administrator may change the rules.")
    return rule


def change_rule(connection: psycopg.Connection, key: str, value: int | None) -> Rule | None:
    """Set one rule within the caller's transaction; None when the policy hid the row (the
    user is not an administrator). A value out of range raises the server's CheckViolation."""
    row = connection.execute(
        "UPDATE crm_rules SET value = %s WHERE key = %s"
        " RETURNING key, value, updated_at, updated_by",
        (value, key),
    ).fetchone()
    return None if row is None else Rule(*row)


def _rule_value(key: str, typed: str) -> int | None:
    text = typed.strip().lower()
    if text in NOT_SET:
        return None
    try:
        return int(text)
    except ValueError:
        raise ServerAdminError(f"“{typed}” is not a number; {key} takes a whole number.") from None


@dataclass(frozen=True)
class RulesRun:
    """What `server apply-rules` did, or would do (a dry run)."""

    graded: dict[str, int]  # new grade -> how many customers took it
    changes: list[GradeChange]  # a dry run: each customer whose grade would change, by rank
    returned: int  # customers returned to the public pool

    @property
    def regraded(self) -> int:
        return sum(self.graded.values())


_ADMINS_APPLY = "Only an administrator may apply the rules (grades are ranked among all customers)."


def apply_rules(dsn: str, *, dry_run: bool = False) -> RulesRun:
    """Grade every customer by its value (server migration 0015), then return every customer
    that is due back in the public pool, by the new grades' days. Meant for a scheduled job run
    as the administrator; anyone else is refused.

    A dry run does both in a transaction it rolls back, so what it counts is exactly what a
    run would do, and lists each customer whose grade would change."""
    with connect(dsn) as connection:
        try:
            with connection.transaction(force_rollback=dry_run):
                admin = connection.execute("SELECT crm_is_admin()").fetchone()
                if not (admin and admin[0]):
                    raise ServerAdminError(_ADMINS_APPLY)
                changes = proposed_changes(connection) if dry_run else []
                graded = apply_grades(connection)
                returned = connection.execute("SELECT crm_return_due_customers()").fetchone()
        except psycopg.errors.InsufficientPrivilege:
            raise ServerAdminError(_ADMINS_APPLY) from None
        except psycopg.errors.UndefinedFunction:
            raise ServerAdminError(
                "The server's schema does not grade customers yet; run server init to upgrade it."
            ) from None
    return RulesRun(graded, changes, int(returned[0]))


# -- handover of a leaving rep -------------------------------------------------------------------


@dataclass(frozen=True)
class Handover:
    """What a handover moves (or would move, in a dry run) from one user to another."""

    customers: int
    open_opportunities: int
    open_tasks: int
    # Drafts, running contracts and ended ones whose renewal is not decided: their renewals
    # are the receiver's to see to from now on.
    running_contracts: int = 0
    # The receiver's office, when it is not live yet: he cannot sync, nor see what he receives,
    # until it goes live (meanwhile none of it returns to the pool). Empty otherwise.
    receiver_office_waiting: str = ""

    def nothing(self) -> bool:
        moved = (self.customers, self.open_opportunities, self.open_tasks, self.running_contracts)
        return not any(moved)


# What a handover moves, by each entity's owner column: (entity, what makes a row still open),
# in the order of Handover's fields.
_HANDED_OVER = (
    ("customers", ""),
    ("opportunities", " AND stage <> ALL(%(closed)s)"),
    ("tasks", " AND NOT done"),
    (
        "contracts",
        " AND (status = ANY(%(running)s)"
        " OR status = %(ended)s AND renewal_status = ANY(%(unsettled)s))",
    ),
)
# Contracts still someone's to see to: not ended yet, or ended with their renewal not decided.
_RUNNING_CONTRACTS = [str(ContractStatus.DRAFT), str(ContractStatus.ACTIVE)]
_UNSETTLED_RENEWALS = [str(RenewalStatus.UNDECIDED), str(RenewalStatus.RENEWING)]
# A handover recorded as such in each customer's ownership history (migration 0006).
_HANDOVER_SETTINGS = (
    "SELECT set_config('crm.owner_change_kind', 'handed_over', true),"
    " set_config('crm.owner_change_reason', %s, true)"
)


class HandoverRefused(ServerAdminError):
    """A handover that cannot be done as asked; `reason` ("same", "unknown", "role": a
    receiver who may not own customers, or "inactive") and `login` let the window say it in the
    user's language."""

    def __init__(self, message: str, reason: str, login: str = "") -> None:
        super().__init__(message)
        self.reason, self.login = reason, login


def handover(dsn: str, leaver: str, receiver: str, *, dry_run: bool = False) -> Handover:
    """Give everything `leaver` owns to `receiver` in one transaction: his customers, his open
    opportunities, the open tasks assigned to him and his contracts not yet ended or not yet
    decided on; with `dry_run`, only count them. Closed deals, done tasks and settled contracts
    keep their history as it was. Run by an administrator."""
    with (
        _admin_errors("hand customers over"),
        connect(dsn) as connection,
        connection.transaction(),
    ):
        return hand_over(connection, leaver, receiver, dry_run=dry_run)


def hand_over(
    connection: psycopg.Connection, leaver: str, receiver: str, *, dry_run: bool = False
) -> Handover:
    """The handover within the caller's transaction, under the connection user's own rights:
    the command line's administrator moves anyone's; a manager signed in from the window moves
    only what his row-level rights let him change (his team's), and a move outside them is
    refused by the server (InsufficientPrivilege) rather than done in part. The history names
    it a handover for an administrator; for anyone else the server records an assignment,
    with the reason saying it was a handover."""
    if leaver == receiver:
        raise HandoverRefused("A handover needs two different users.", "same")
    ids = {}
    for login in (leaver, receiver):
        row = connection.execute(
            "SELECT id, active, role FROM users WHERE login = %s AND deleted_at IS NULL", (login,)
        ).fetchone()
        if row is None:
            raise HandoverRefused(f"There is no user named “{login}”.", "unknown", login)
        ids[login] = row
    if ids[receiver][2] not in OWNER_ROLES:
        raise HandoverRefused(
            f"“{receiver}” is a{'n' if ids[receiver][2] == Role.ADMIN else ''} "
            f"{ids[receiver][2]}; only a rep or a manager may own customers. Nothing was moved.",
            "role",
            receiver,
        )
    if not ids[receiver][1]:
        raise HandoverRefused(
            f"“{receiver}” is deactivated; activate him first.", "inactive", receiver
        )
    source, target = ids[leaver][0], ids[receiver][0]
    if not dry_run:
        connection.execute(_HANDOVER_SETTINGS, (f"handover from {leaver} to {receiver}",))
    values = {
        "source": source,
        "target": target,
        "closed": [str(s) for s in CLOSED_STAGES],
        "running": _RUNNING_CONTRACTS,
        "ended": str(ContractStatus.ENDED),
        "unsettled": _UNSETTLED_RENEWALS,
    }
    counts: dict[str, int] = {}
    # The customers last: a customer's new owner takes its open work with it (server 0029),
    # which would otherwise leave the leaver's own deals and tasks uncounted here.
    for table, still_open in sorted(_HANDED_OVER, key=lambda step: step[0] == "customers"):
        column = ENTITIES[table].OWNER
        where = f"{column} = %(source)s AND deleted_at IS NULL{still_open}"
        # The preview counts the rows the move would change: FOR UPDATE applies the same
        # row-level rules as the UPDATE (a manager's plain count also took in the leaver's
        # open work on a customer gone back to the pool, which his move leaves).
        statement = (
            f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {where} FOR UPDATE) AS moving"
            if dry_run
            else f"UPDATE {table} SET {column} = %(target)s WHERE {where}"
        )
        cursor = connection.execute(statement, values)
        counts[table] = cursor.fetchone()[0] if dry_run else cursor.rowcount
    waiting = connection.execute(
        "SELECT o.name FROM users u JOIN offices o ON o.id = u.office_id"
        " WHERE u.id = %s AND NOT o.live",
        (target,),
    ).fetchone()
    return Handover(
        *(counts[table] for table, _still_open in _HANDED_OVER),
        receiver_office_waiting=waiting[0] if waiting else "",
    )


# -- offices ----------------------------------------------------------------------------------

MAX_OFFICE_NAME = 100  # offices.name is varchar(100) (server migration 0010)
_ADMINS_ONLY = "Only an administrator may add or change offices or move users between them."


@dataclass(frozen=True)
class Office:
    """One office as `server offices` shows it: how deep it sits in the tree (0: at the top),
    whether it is live, and how many active users work there."""

    name: str
    depth: int
    live: bool
    users: int


@dataclass(frozen=True)
class OfficeTree:
    offices: list[Office]  # each right after the office it sits under, siblings by name
    head_office_users: int  # active users without an office: the head office, always live


def check_office_name(name: str) -> str:
    """The name as it is stored, without spaces around it; one sentence if it can't be one."""
    cleaned = _one_line(name)
    if not cleaned or _CONTROLS.search(cleaned) or len(cleaned) > MAX_OFFICE_NAME:
        raise ServerAdminError(
            f"“{name}” can't be an office name; use 1 to {MAX_OFFICE_NAME} characters, "
            "without control characters."
        )
    return cleaned


@contextmanager
def _office_errors() -> Iterator[None]:
    """The server's refusals that any office command may meet, as one sentence each."""
    try:
        yield
    except psycopg.errors.InsufficientPrivilege:
        raise ServerAdminError(_ADMINS_ONLY) from None
    except (psycopg.errors.UndefinedTable, psycopg.errors.UndefinedColumn):
        raise ServerAdminError(
            "The server's schema has no offices yet; run server init to upgrade it."
        ) from None


def _office_id(connection: psycopg.Connection, name: str) -> str:
    row = connection.execute(
        "SELECT id FROM offices WHERE name = %s", (check_office_name(name),)
    ).fetchone()
    if row is None:
        raise ServerAdminError(f"There is no office named “{name}”; server offices lists them.")
    return str(row[0])


def add_office(dsn: str, name: str, *, parent: str | None = None, live: bool = False) -> str:
    """Add an office (under `parent`, or at the top); returns its id. It is not live unless
    `live`: its users can log in but see nothing until it is switched live."""
    name = check_office_name(name)
    with _office_errors(), connect(dsn) as connection, connection.transaction():
        parent_id = _office_id(connection, parent) if parent else None
        try:
            with connection.transaction():  # a savepoint: a refusal leaves a sentence to say
                row = connection.execute(
                    "INSERT INTO offices (name, parent_id, live) VALUES (%s, %s, %s) RETURNING id",
                    (name, parent_id, live),
                ).fetchone()
        except psycopg.errors.UniqueViolation:
            raise ServerAdminError(f"An office named “{name}” already exists.") from None
    return str(row[0])


def change_office(
    dsn: str, name: str, *, live: bool | None = None, parent: str | None = None
) -> None:
    """Switch an office live or not, and/or move it under another office. Switching it live
    lets its users work at their next sync; switching it back stops them (their devices keep
    what they have)."""
    if live is None and parent is None:
        raise ServerAdminError("Say what to change: --live, --not-live or --parent NAME.")
    if parent is not None and check_office_name(parent) == check_office_name(name):
        raise ServerAdminError(f"“{name}” can't go under itself.")
    with _office_errors(), connect(dsn) as connection, connection.transaction():
        office_id = _office_id(connection, name)
        changes: dict[str, object] = {}
        if live is not None:
            changes["live"] = live
        if parent is not None:
            changes["parent_id"] = _office_id(connection, parent)
        statement = sql.SQL("UPDATE offices SET {} WHERE id = {} RETURNING id").format(
            sql.SQL(", ").join(
                sql.SQL("{} = {}").format(sql.Identifier(column), sql.Placeholder(column))
                for column in changes
            ),
            sql.Placeholder("id"),
        )
        try:
            with connection.transaction():
                row = connection.execute(statement, {**changes, "id": office_id}).fetchone()
        except psycopg.errors.CheckViolation:  # the server's trigger: no loops in the tree
            raise ServerAdminError(
                f"“{name}” can't go under “{parent}”, which is one of its own offices."
            ) from None
        if row is None:  # the policy hid the row: not an administrator
            raise ServerAdminError(_ADMINS_ONLY)


def read_offices(dsn: str) -> OfficeTree:
    """Every office in tree order, with whether it is live and how many active users it has."""
    with _office_errors(), connect(dsn) as connection:
        rows = connection.execute(
            """
            WITH RECURSIVE tree (id, name, live, depth, path) AS (
                SELECT id, name, live, 0, ARRAY[name::text] FROM offices
                WHERE parent_id IS NULL
                UNION ALL
                SELECT o.id, o.name, o.live, t.depth + 1, t.path || o.name::text
                FROM offices o JOIN tree t ON o.parent_id = t.id
            ),
            staff AS (
                SELECT office_id, count(*) AS users FROM users
                WHERE active AND deleted_at IS NULL GROUP BY office_id
            )
            SELECT t.name, t.depth, t.live, coalesce(s.users, 0)
            FROM tree t LEFT JOIN staff s ON s.office_id = t.id
            ORDER BY t.path
            """
        ).fetchall()
        head = connection.execute(
            "SELECT count(*) FROM users WHERE office_id IS NULL AND active AND deleted_at IS NULL"
        ).fetchone()
    return OfficeTree([Office(*row) for row in rows], int(head[0]))


def move_user(dsn: str, login: str, office: str | None) -> None:
    """Put a user in `office` (None: the head office). His devices see what his new place
    shows him at their next sync."""
    with _office_errors(), connect(dsn) as connection, connection.transaction():
        found = connection.execute(
            "SELECT EXISTS (SELECT FROM users WHERE login = %s AND deleted_at IS NULL)", (login,)
        ).fetchone()
        if not found[0]:
            raise ServerAdminError(f"There is no user named “{login}”.")
        office_id = _office_id(connection, office) if office else None
        moved = connection.execute(
            "UPDATE users SET office_id = %s WHERE login = %s AND deleted_at IS NULL RETURNING id",
            (office_id, login),
        ).fetchone()
        if moved is None:  # the policy hid the row: not an administrator
            raise ServerAdminError(_ADMINS_ONLY)


# -- the company letterhead (server migration 0018) --------------------------------------------

# Its text fields, in the order a quote prints them, each with what the user calls it (for the
# command line in English, and the window in the user's language: marked here, translated where
# shown).
LETTERHEAD_LABELS: dict[str, str] = {
    key: str(label)  # QT_TRANSLATE_NOOP is typed to return object: it is the string it was given
    for key, label in (
        ("name", QT_TRANSLATE_NOOP("Letterhead", "Company name")),
        ("address", QT_TRANSLATE_NOOP("Letterhead", "Address")),
        ("phone", QT_TRANSLATE_NOOP("Letterhead", "Phone")),
        ("email", QT_TRANSLATE_NOOP("Letterhead", "Email")),
        ("website", QT_TRANSLATE_NOOP("Letterhead", "Website")),
        ("tax_id", QT_TRANSLATE_NOOP("Letterhead", "Tax number")),
    )
}
# The most characters each may hold: a copy of migration 0018's CHECKs (which, as history, keep
# their own), so the command and the dialog refuse before the server has to.
LETTERHEAD_LIMITS = {
    "name": 200,
    "address": 300,
    "phone": 64,
    "email": 254,
    "website": 300,
    "tax_id": 64,
}
MAX_LOGO_BYTES = 512 * 1024
PNG, JPEG = "image/png", "image/jpeg"
# An image's type by its first bytes, as the server's CHECK judges it: never by the file's name.
_SIGNATURES = ((PNG, b"\x89PNG\r\n\x1a\n"), (JPEG, b"\xff\xd8\xff"))

# The refusals, in the context the window's OwnershipRefused translates them in.
LETTERHEAD_ADMINS_ONLY = QT_TRANSLATE_NOOP(
    "Ownership", "Only an administrator may change the company letterhead."
)
LETTERHEAD_NOT_ON_SERVER = QT_TRANSLATE_NOOP(
    "Ownership",
    "The server does not keep a company letterhead yet; its schema must be upgraded first "
    "(server init).",
)
LETTERHEAD_TOO_LONG = QT_TRANSLATE_NOOP(
    "Ownership", "{field} may be at most {limit} characters long."
)
LETTERHEAD_NOT_ONE_LINE = QT_TRANSLATE_NOOP(
    "Ownership", "{field} must be one line of text, without control characters."
)
LETTERHEAD_REFUSED = QT_TRANSLATE_NOOP(
    "Ownership", "The server refused the company letterhead as given; nothing was changed."
)
LOGO_NOT_AN_IMAGE = QT_TRANSLATE_NOOP(
    "Ownership", "The logo must be a PNG or JPEG image, and “{file}” is neither."
)
LOGO_TOO_LARGE = QT_TRANSLATE_NOOP(
    "Ownership", "The logo “{file}” is {size} KiB; a logo may be at most {limit} KiB."
)
LOGO_UNREADABLE = QT_TRANSLATE_NOOP("Ownership", "The logo file “{file}” cannot be read.")
LOGO_INVALID = QT_TRANSLATE_NOOP(
    "Ownership", "The logo must be a PNG or JPEG image of at most {limit} KiB."
)


@dataclass(frozen=True)
class ServerLetterhead:
    """The company letterhead as the server holds it; `name` is empty until one is set."""

    name: str
    address: str | None
    phone: str | None
    email: str | None
    website: str | None
    tax_id: str | None
    logo: bytes | None
    logo_type: str | None  # PNG or JPEG, None without a logo
    updated_at: datetime
    updated_by: str


class LetterheadRefused(ServerAdminError):
    """A letterhead the server would not take, or may not be set by this user. `template` is
    marked for translation ("Ownership") and takes `values`; `field` names the column a value
    was refused for, so the window can say its label in the user's language."""

    def __init__(self, template: object, field: str | None = None, **values: object) -> None:
        # `object`: what QT_TRANSLATE_NOOP is typed to return; it is the string it was given.
        self.template, self.field, self.values = str(template), field, values
        if field is not None:
            values = {**values, "field": LETTERHEAD_LABELS[field]}
        super().__init__(self.template.format(**values))


def logo_type_of(data: bytes) -> str | None:
    """PNG or JPEG by the data's own first bytes; None for anything else."""
    for kind, signature in _SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def check_logo(data: bytes, file: str | None = None, size: int | None = None) -> str:
    """The logo's type; one sentence (naming `file`, when it came from one) when it is not a
    logo the server takes. `size`: the file's whole size when only its start was read."""
    kind = logo_type_of(data)
    if kind is None:
        if file is None:
            raise LetterheadRefused(LOGO_INVALID, limit=MAX_LOGO_BYTES // 1024)
        raise LetterheadRefused(LOGO_NOT_AN_IMAGE, file=file)
    if len(data) > MAX_LOGO_BYTES:
        if file is None:
            raise LetterheadRefused(LOGO_INVALID, limit=MAX_LOGO_BYTES // 1024)
        kib = -(-max(len(data), size or 0) // 1024)  # rounded up: 512.1 KiB must not read 512
        raise LetterheadRefused(LOGO_TOO_LARGE, file=file, size=kib, limit=MAX_LOGO_BYTES // 1024)
    return kind


def read_logo(path: str | Path) -> bytes:
    """A logo file's bytes, checked as the server will check them. Reads at most one byte past
    the limit: a huge file picked by mistake is refused without being read whole."""
    name = Path(path).name
    try:
        with open(path, "rb") as file:
            data = file.read(MAX_LOGO_BYTES + 1)
            size = os.fstat(file.fileno()).st_size
    except OSError:
        raise LetterheadRefused(LOGO_UNREADABLE, file=name) from None
    check_logo(data, name, size)
    return data


def check_letterhead(changes: Mapping[str, object]) -> dict[str, object]:
    """The columns to write for `changes` (text fields by name, and "logo": bytes, or None to
    remove it): text without spaces around it, an emptied optional field NULL, the logo with its
    type. A value the server would refuse is one sentence, before anything is sent."""
    values: dict[str, object] = {}
    for key, value in changes.items():
        if key == "logo":
            if value is None:
                values["logo"] = values["logo_type"] = None
            elif isinstance(value, bytes | bytearray):
                data = bytes(value)
                values["logo"], values["logo_type"] = data, check_logo(data)
            else:
                raise TypeError(f"a logo is bytes, not {type(value).__name__}")
            continue
        if key not in LETTERHEAD_LIMITS:
            raise ValueError(f"the letterhead has no field {key!r}")
        text = _one_line(str(value) if value is not None else "")
        if len(text) > LETTERHEAD_LIMITS[key]:
            raise LetterheadRefused(LETTERHEAD_TOO_LONG, key, limit=LETTERHEAD_LIMITS[key])
        if _CONTROLS.search(text):
            raise LetterheadRefused(LETTERHEAD_NOT_ONE_LINE, key)
        # The name is never NULL: empty is "no letterhead set".
        values[key] = text if text or key == "name" else None
    return values


_LETTERHEAD_COLUMNS = (
    "name, address, phone, email, website, tax_id, logo, logo_type, updated_at, updated_by"
)


def _letterhead(row: tuple | None) -> ServerLetterhead | None:
    if row is None:
        return None
    name, address, phone, email, website, tax_id, logo, logo_type, updated_at, updated_by = row
    return ServerLetterhead(
        name,
        address,
        phone,
        email,
        website,
        tax_id,
        bytes(logo) if logo is not None else None,  # psycopg may give a memoryview
        logo_type,
        updated_at,
        updated_by,
    )


@contextmanager
def _letterhead_errors() -> Iterator[None]:
    """The server's refusals that any letterhead command may meet, as one sentence each."""
    try:
        yield
    except psycopg.errors.InsufficientPrivilege:
        raise LetterheadRefused(LETTERHEAD_ADMINS_ONLY) from None
    except psycopg.errors.UndefinedTable:
        raise LetterheadRefused(LETTERHEAD_NOT_ON_SERVER) from None
    except psycopg.errors.CheckViolation:  # a server newer than this program, stricter
        raise LetterheadRefused(LETTERHEAD_REFUSED) from None


def letterhead_on(connection: psycopg.Connection) -> ServerLetterhead:
    """The letterhead as `connection`'s user reads it (every signed-in user may)."""
    with _letterhead_errors():
        found = _letterhead(
            connection.execute(f"SELECT {_LETTERHEAD_COLUMNS} FROM crm_company").fetchone()
        )
    if found is None:  # the row always exists: only a login that no longer works reads none
        raise LetterheadRefused(LETTERHEAD_NOT_ON_SERVER)
    return found


def change_letterhead(
    connection: psycopg.Connection, changes: Mapping[str, object]
) -> ServerLetterhead:
    """Set the letterhead's fields in `changes` (see check_letterhead) within the caller's
    transaction, as the connection's user: the server lets only an administrator, and says who
    changed it and when. Returns the letterhead as it is after."""
    values = check_letterhead(changes)
    if not values:
        return letterhead_on(connection)
    statement = sql.SQL("UPDATE crm_company SET {} WHERE id = 1 RETURNING {}").format(
        sql.SQL(", ").join(
            sql.SQL("{} = {}").format(sql.Identifier(column), sql.Placeholder(column))
            for column in values
        ),
        sql.SQL(_LETTERHEAD_COLUMNS),
    )
    with _letterhead_errors():
        changed = _letterhead(connection.execute(statement, values).fetchone())
    if changed is None:  # the policy hid the row: not an administrator
        raise LetterheadRefused(LETTERHEAD_ADMINS_ONLY)
    return changed


def read_letterhead(dsn: str) -> ServerLetterhead:
    """The company letterhead, for `server company`."""
    with connect(dsn) as connection:
        return letterhead_on(connection)


def set_letterhead(dsn: str, changes: Mapping[str, object]) -> ServerLetterhead:
    """Change the letterhead in one transaction, for `server company set`: a value refused
    leaves it as it was."""
    check_letterhead(changes)  # before connecting: a value refused costs no login
    with connect(dsn) as connection, connection.transaction():
        return change_letterhead(connection, changes)
