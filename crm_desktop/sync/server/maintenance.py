"""Keeping the server: backups (pg_dump), restoring one (pg_restore), its status, upgrading it.

A backup is pg_dump's custom format of the CRM's schema (`public`; no other schema of the
database, such as the superuser's `pgbouncer`), made as the deployment admin role that owns
it. The tables force row-level security on their owner too, so pg_dump reads them with
`--enable-row-security`: the owner counts as an administrator and sees every row.
Roles (users' logins and passwords) are cluster-wide and never in a pg_dump file: a user added
after a backup keeps his login when it is restored, without his users row (`leftover_logins`;
`server add-user` takes such a login back).

A restore puts a whole backup in place in one transaction (psql reading pg_restore's script,
after our own statements that empty the CRM schema when the database held one), so a failure
leaves the database as it was. The file comes from the past: the devices' cursors point past
its change log, and its `sync_meta` epoch is the one they already know, so without more they
would find "nothing changed" and keep rows the server no longer has. The restore therefore
gives the server a new epoch and moves the log's floor to now, in the same transaction: every
device resyncs in full at its next sync, after pushing what its outbox holds. The floor also
matters when the file comes from another cluster, whose transaction ids may be ahead of this
one's: a floor or a logged change "in the future" would make every pull a full one.

The password never goes on a command line (others see it in `ps`): it is taken out of the
DSN and handed to the client programs in PGPASSWORD.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import psycopg
from alembic.script import ScriptDirectory
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from crm_desktop.sync.server import schema
from crm_desktop.sync.server.admin import FINANCE_ROLE, Rule, leftover_logins, rules_on
from crm_desktop.sync.server.errors import ServerAdminError, invalid_connection_string
from crm_desktop.sync.server.schema import (
    GROUP_ROLE,
    connect,
    has_object,
    head_revision,
    init_server,
)

# Where Debian and Ubuntu keep each PostgreSQL version's programs side by side.
DEBIAN_BINARIES = "/usr/lib/postgresql/*/bin"
TOOLS = ("pg_dump", "pg_restore", "psql")
# How long a client program may run: a large database takes minutes, not hours.
TOOL_TIMEOUT = 6 * 3600
TOO_LONG = f"ran longer than {TOOL_TIMEOUT // 3600} hours and was stopped."
# Empties the CRM schema before a restore replaces it, in the restore's own transaction.
# Names are read into arrays first: dropping a table drops what hangs off it, and a loop over
# a live catalog query would then look up objects that are gone.
CLEAR_SCHEMA = """
DO $$
DECLARE
    names text[];
    name text;
BEGIN
    SELECT array_agg(format('%s public.%I',
               CASE relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                            WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, relname)
               ORDER BY relkind DESC)
        INTO names FROM pg_catalog.pg_class
        WHERE relnamespace = 'public'::regnamespace AND relkind IN ('r', 'p', 'v', 'm', 'f');
    FOREACH name IN ARRAY coalesce(names, '{}') LOOP
        EXECUTE 'DROP ' || replace(name, ' public.', ' IF EXISTS public.') || ' CASCADE';
    END LOOP;
    SELECT array_agg(format('SEQUENCE public.%I', relname)) INTO names FROM pg_catalog.pg_class
        WHERE relnamespace = 'public'::regnamespace AND relkind = 'S';
    FOREACH name IN ARRAY coalesce(names, '{}') LOOP
        EXECUTE 'DROP ' || replace(name, ' public.', ' IF EXISTS public.') || ' CASCADE';
    END LOOP;
    SELECT array_agg(format('ROUTINE IF EXISTS %s', p.oid::regprocedure)) INTO names
        FROM pg_catalog.pg_proc p WHERE p.pronamespace = 'public'::regnamespace;
    FOREACH name IN ARRAY coalesce(names, '{}') LOOP
        EXECUTE 'DROP ' || name || ' CASCADE';
    END LOOP;
    SELECT array_agg(format('TYPE IF EXISTS public.%I', t.typname)) INTO names
        FROM pg_catalog.pg_type t
        WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd', 'r', 'm')
            AND t.typelem = 0;
    FOREACH name IN ARRAY coalesce(names, '{}') LOOP
        EXECUTE 'DROP ' || name || ' CASCADE';
    END LOOP;
END
$$;
"""

# The group roles the file's privileges name; cluster-wide, so absent on another server.
ENSURE_ROLES = f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '{GROUP_ROLE}') THEN
        CREATE ROLE {GROUP_ROLE} NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '{FINANCE_ROLE}') THEN
        CREATE ROLE {FINANCE_ROLE} NOLOGIN;
    END IF;
END
$$;
"""

# After the file's contents, in the same transaction: every device resyncs in full (a new
# epoch), no cursor counts as covering the restored log (the floor is now), and no logged
# change carries a transaction id this cluster has not reached yet (a file from elsewhere).
NEW_EPOCH = """
SET row_security = on;  -- pg_restore's script turned it off; the owner's policies apply
DO $$
BEGIN
    IF to_regclass('public.sync_meta') IS NOT NULL THEN
        UPDATE public.sync_meta
            SET epoch = pg_catalog.gen_random_uuid(), log_floor = pg_catalog.pg_current_xact_id();
        DELETE FROM public.sync_changes WHERE txid >= pg_catalog.pg_current_xact_id();
    END IF;
END
$$;
"""


def known_revisions() -> set[str]:
    """Every server schema revision this program knows (its migrations)."""
    scripts = ScriptDirectory.from_config(schema._alembic_config(None))
    return {script.revision for script in scripts.walk_revisions()}


# -- the client programs -----------------------------------------------------------------------


@dataclass(frozen=True)
class ClientTools:
    """pg_dump, pg_restore and psql of one PostgreSQL version (`major`)."""

    directory: Path
    major: int

    def __getitem__(self, name: str) -> str:
        return str(self.directory / name)


def _major_of(directory: Path) -> int | None:
    """/usr/lib/postgresql/15/bin -> 15, or the version pg_dump there reports."""
    if directory.parent.name.isdigit():
        return int(directory.parent.name)
    try:
        reported = subprocess.run(
            [str(directory / "pg_dump"), "--version"], capture_output=True, text=True, timeout=30
        ).stdout
    except OSError:
        return None
    found = re.search(r"(\d+)(?:\.\d+)?", reported)
    return int(found.group(1)) if found else None


def find_tools(server_major: int) -> ClientTools:
    """The client programs for a server of `server_major`: pg_dump refuses a server newer than
    itself, and pg_restore a file from a newer pg_dump. Debian's directories first (that
    version exactly, else the oldest newer one), then PATH."""
    found: list[ClientTools] = []
    for directory in sorted(Path(path) for path in glob.glob(DEBIAN_BINARIES)):
        if all((directory / tool).exists() for tool in TOOLS):
            major = _major_of(directory)
            if major is not None:
                found.append(ClientTools(directory, major))
    on_path = shutil.which("pg_dump")
    if on_path:
        directory = Path(on_path).parent
        if all((directory / tool).exists() for tool in TOOLS):
            major = _major_of(directory)
            if major is not None:
                found.append(ClientTools(directory, major))
    usable = [tools for tools in found if tools.major >= server_major]
    exact = [tools for tools in usable if tools.major == server_major]
    if exact:
        return exact[0]
    if usable:
        return min(usable, key=lambda tools: tools.major)
    raise ServerAdminError(
        f"pg_dump, pg_restore and psql for PostgreSQL {server_major} or newer were not found "
        f"(looked in {DEBIAN_BINARIES} and on PATH); install the PostgreSQL {server_major} "
        f"client programs (Debian: apt-get install postgresql-client-{server_major})."
    )


@dataclass(frozen=True)
class Target:
    """How a client program reaches the database: a connection string without the password,
    and an environment that carries it."""

    conninfo: str
    env: dict[str, str]

    def dbname_args(self) -> list[str]:
        return ["--dbname", self.conninfo] if self.conninfo else []


def target_of(dsn: str) -> Target:
    try:
        params = conninfo_to_dict(dsn)
    except psycopg.ProgrammingError as error:
        raise invalid_connection_string(error) from None
    password = params.pop("password", None)
    env = dict(os.environ)
    if password is not None:
        env["PGPASSWORD"] = str(password)
    return Target(make_conninfo(**{k: str(v) for k, v in params.items()}), env)


def _run(command: list[str], target: Target, what: str) -> subprocess.CompletedProcess[bytes]:
    try:
        result = subprocess.run(
            command, env=target.env, capture_output=True, timeout=TOOL_TIMEOUT, check=False
        )
    except OSError as error:
        raise ServerAdminError(f"{what} could not be started: {error.strerror}.") from None
    except subprocess.TimeoutExpired:
        raise ServerAdminError(f"{what} {TOO_LONG}") from None
    if result.returncode != 0:
        raise ServerAdminError(f"{what} failed: {_last_error(result.stderr)}")
    return result


def _last_error(stderr: bytes) -> str:
    """The line that says what went wrong (psql and pg_dump print context lines after it)."""
    lines = [line.strip() for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    for line in lines:
        if "ERROR:" in line or "error:" in line or "FATAL:" in line:
            return line
    return lines[-1] if lines else "no reason given"


# -- what the database holds -------------------------------------------------------------------


@dataclass(frozen=True)
class Database:
    """The connected database as a maintenance command needs to know it."""

    name: str
    major: int
    revision: str | None  # None: no CRM schema
    relations: int  # tables, views and sequences in the public schema
    owner: bool  # the login is (a member of) the role owning the CRM (or the empty database)
    can_create_roles: bool


def inspect(connection: psycopg.Connection) -> Database:
    with connection.transaction():
        name, version, relations, owner, create_role = connection.execute(
            """
            SELECT current_database(), current_setting('server_version_num')::int,
                   (SELECT count(*) FROM pg_class
                    WHERE relnamespace = 'public'::regnamespace
                      AND relkind IN ('r', 'p', 'v', 'm', 'f', 'S')),
                   -- The owner of the CRM's tables, or of the database while it has none.
                   pg_has_role(coalesce((SELECT relowner FROM pg_class
                                         WHERE oid = to_regclass('public.alembic_version')),
                                        d.datdba), 'MEMBER'),
                   (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user)
            FROM pg_database d WHERE d.datname = current_database()
            """
        ).fetchone()
        revision = None
        if has_object(connection, "alembic_version"):
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = row[0] if row else None
    return Database(name, version // 10000, revision, relations, owner, bool(create_role))


def _owner_only(database: Database, what: str) -> None:
    if not database.owner:
        raise ServerAdminError(
            f"Only the admin role that owns the database “{database.name}” can {what}; "
            "use its login in --dsn."
        )


# -- backup --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Backup:
    path: Path
    database: str
    revision: str
    size: int  # bytes


def default_backup_name(database: str, revision: str | None, moment: datetime | None = None) -> str:
    stamp = (moment or datetime.now()).strftime("%Y%m%d-%H%M%S")
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", database) or "crm"
    return f"crm-{safe}-{revision or 'empty'}-{stamp}.dump"


def backup(dsn: str, out: Path) -> Backup:
    """pg_dump's custom format of the CRM database into `out`, written beside it first and
    moved in place only when complete (a failed dump never passes for a backup)."""
    with connect(dsn) as connection:
        database = inspect(connection)
    if database.revision is None:
        raise ServerAdminError(f"The database “{database.name}” has no CRM schema to back up.")
    _owner_only(database, "back it up (it sees every row)")
    return _dump(dsn, database, out)


def _dump(dsn: str, database: Database, out: Path) -> Backup:
    assert database.revision is not None
    tools = find_tools(database.major)
    target = target_of(dsn)
    out = out.expanduser().absolute()
    if out.is_dir():
        out = out / default_backup_name(database.name, database.revision)
    if not out.parent.is_dir():
        raise ServerAdminError(f"The folder {out.parent} does not exist.")
    try:
        handle, partial = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    except OSError as error:
        # A read-only share, or a cron job's working folder (/): say where, not a traceback.
        raise ServerAdminError(
            f"A backup cannot be written in {out.parent} ({error.strerror}); "
            "choose a folder it can be written in."
        ) from None
    os.close(handle)
    try:
        _run(
            [
                tools["pg_dump"],
                "--format=custom",
                "--no-password",
                # The owner is held to row-level security too (FORCE); as an administrator
                # the policies show him every row. Without it pg_dump refuses the tables.
                "--enable-row-security",
                # The CRM's schema alone, the one a restore clears: not pgbouncer-login's
                # schema (the superuser's, which holds a SECURITY DEFINER function), nor any
                # other the database's administrator keeps beside it.
                "--schema=public",
                "--file",
                partial,
                *target.dbname_args(),
            ],
            target,
            "pg_dump",
        )
        _check_archive(tools, Path(partial))
        os.replace(partial, out)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    return Backup(out, database.name, database.revision, out.stat().st_size)


# -- restore -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Archive:
    """A backup file as pg_restore reads it."""

    path: Path
    revision: str


def _check_archive(tools: ClientTools, path: Path) -> str:
    """The file's list of contents, or one sentence saying it is no backup of ours."""
    try:
        listed = subprocess.run(
            [tools["pg_restore"], "--list", str(path)],
            capture_output=True,
            timeout=TOOL_TIMEOUT,
            check=False,
        )
    except OSError as error:
        raise ServerAdminError(f"pg_restore could not be started: {error.strerror}.") from None
    contents = listed.stdout.decode(errors="replace")
    if listed.returncode != 0 or not re.search(r"TABLE DATA public alembic_version ", contents):
        raise ServerAdminError(
            f"{path} is not a backup of a CRM server ({_last_error(listed.stderr)})."
            if listed.returncode != 0
            else f"{path} is not a backup of a CRM server (it has no CRM schema)."
        )
    return contents


def read_archive(tools: ClientTools, path: Path) -> Archive:
    """The file's schema revision, read from its copy of alembic_version."""
    path = path.expanduser().absolute()
    if not path.is_file():
        raise ServerAdminError(f"There is no file {path}.")
    _check_archive(tools, path)
    data = subprocess.run(
        [tools["pg_restore"], "--data-only", "--table=alembic_version", "--file=-", str(path)],
        capture_output=True,
        timeout=TOOL_TIMEOUT,
        check=False,
    ).stdout.decode(errors="replace")
    found = re.search(
        r"COPY public\.alembic_version \(version_num\) FROM stdin;\n([^\n\\]+)\n", data
    )
    if not found:
        raise ServerAdminError(f"{path} holds no schema revision; it is not a CRM backup.")
    return Archive(path, found.group(1).strip())


@dataclass(frozen=True)
class Restored:
    restored: str  # the file's revision
    current: str  # after `server init` ran over it
    replaced: Backup | None  # what the database held, backed up first
    missing_logins: list[str] = field(default_factory=list)  # users without a login role here
    # Logins of this database whose user the backup did not have (added after it).
    leftover_logins: list[str] = field(default_factory=list)


# Asked before a database holding a CRM is replaced; False keeps it as it is.
Confirm = Callable[[Database], bool]


def restore(dsn: str, file: Path, confirm: Confirm, backup_dir: Path | None = None) -> Restored:
    """Put the backup `file` in place of the database's contents. A database holding a CRM is
    replaced only when `confirm` agrees, and backed up first (into `backup_dir`, by default
    the file's folder); one holding anything else is refused. Then `server init` runs over it
    (database privileges, group role, migrations up to this program's schema)."""
    with connect(dsn) as connection:
        database = inspect(connection)
    _owner_only(database, "restore into it")
    if not database.can_create_roles:
        raise ServerAdminError(
            "The role in the connection string may not create roles (CREATEROLE), which a "
            "restore needs for the group roles crm_users and crm_finance."
        )
    tools = find_tools(database.major)
    archive = read_archive(tools, file)
    if archive.revision not in known_revisions():
        raise ServerAdminError(
            f"{archive.path} was made by a newer version of this program (schema "
            f"{archive.revision}); restore it with that version. Nothing was changed."
        )
    replaced = None
    if database.revision is None and database.relations:
        raise ServerAdminError(
            f"The database “{database.name}” holds tables that are not a CRM's; restore into "
            "an empty database. Nothing was changed."
        )
    if database.revision is not None:
        if not confirm(database):
            raise ServerAdminError("Nothing was changed.")
        where = (backup_dir or archive.path.parent).expanduser().absolute()
        replaced = _dump(
            dsn, database, where / default_backup_name(database.name, database.revision)
        )
    try:
        _load(tools, target_of(dsn), archive.path, clear=database.revision is not None)
    except subprocess.TimeoutExpired:
        # pg_restore was killed and psql's input ended without COMMIT: all rolled back.
        raise ServerAdminError(f"The restore {TOO_LONG} Nothing was changed.") from None
    try:
        current = init_server(dsn).current
    except Exception as error:
        # The data is in (its transaction committed); what is left is `server init`'s part.
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise ServerAdminError(
            f"The backup was restored, but the schema could not be finished ({reason}); run "
            "“crm-desktop server init” with the same --dsn to finish it."
        ) from error
    with connect(dsn) as connection:
        missing = missing_logins(connection)
        leftover = leftover_logins(connection)
    return Restored(archive.revision, current, replaced, missing, leftover)


def _load(tools: ClientTools, target: Target, path: Path, *, clear: bool) -> None:
    """One transaction: empty the CRM schema (when `clear`), create the group roles if this
    cluster lacks them, pg_restore's script, a new epoch. psql stops at the first error and
    the transaction is rolled back, so the database is left as it was."""
    prefix = "SET client_min_messages = warning;\nBEGIN;\n" + ENSURE_ROLES
    if clear:
        prefix += CLEAR_SCHEMA
    with tempfile.TemporaryFile() as errors:
        psql = subprocess.Popen(
            [
                tools["psql"],
                "--no-psqlrc",
                "--quiet",
                "--no-password",
                "--set",
                "ON_ERROR_STOP=1",
                "--file=-",
                *target.dbname_args(),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            env=target.env,
        )
        assert psql.stdin is not None
        loaded = False
        script: subprocess.CompletedProcess[bytes] | None = None
        try:
            psql.stdin.write(prefix.encode())
            psql.stdin.flush()
            # Owned by the role restoring: on another server the old owner may not exist.
            # The CRM's schema alone: a backup made before `--schema=public` may carry
            # pgbouncer-login's schema and function, which are the superuser's to make.
            script = subprocess.run(
                [tools["pg_restore"], "--no-owner", "--schema=public", "--file=-", str(path)],
                stdout=psql.stdin,
                stderr=subprocess.PIPE,
                timeout=TOOL_TIMEOUT,
                check=False,
            )
            if script.returncode == 0:
                psql.stdin.write((NEW_EPOCH + "COMMIT;\n").encode())
                loaded = True
        except BrokenPipeError:  # psql stopped at an error; its message says which
            pass
        finally:
            # Without COMMIT, the end of the input rolls everything back.
            with suppress(BrokenPipeError):
                psql.stdin.close()
            psql.wait(timeout=TOOL_TIMEOUT)
        errors.seek(0)
        said = errors.read()
    if psql.returncode != 0:
        raise ServerAdminError(f"The restore failed and nothing was changed: {_last_error(said)}")
    if not loaded:
        raise ServerAdminError(
            f"pg_restore could not read {path} and nothing was changed: "
            f"{_last_error(script.stderr if script is not None else b'')}"
        )


def missing_logins(connection: psycopg.Connection) -> list[str]:
    """CRM users whose login role this cluster lacks (a database restored onto another
    server: roles are not in a pg_dump file)."""
    with connection.transaction():
        rows = connection.execute(
            "SELECT u.login FROM users u WHERE NOT EXISTS"
            " (SELECT FROM pg_roles r WHERE r.rolname = u.login) ORDER BY u.login"
        ).fetchall()
    return [row[0] for row in rows]


# -- upgrade -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Upgrade:
    previous: str
    current: str
    backup: Backup | None  # None: already at this program's schema, nothing done


def upgrade(dsn: str, backup_dir: Path) -> Upgrade:
    """A backup first, then the migrations up to this program's schema (`server init`)."""
    with connect(dsn) as connection:
        database = inspect(connection)
    if database.revision is None:
        raise ServerAdminError(
            f"The database “{database.name}” has no CRM schema yet; create it with server init."
        )
    if database.revision not in known_revisions():
        raise ServerAdminError(
            "The server schema was made by a newer version of this program; upgrade this "
            "program instead."
        )
    head = head_revision()
    if database.revision == head:
        return Upgrade(head, head, None)
    _owner_only(database, "upgrade it")
    directory = backup_dir.expanduser().absolute()
    made = _dump(dsn, database, directory / default_backup_name(database.name, database.revision))
    result = init_server(dsn)
    return Upgrade(database.revision, result.current, made)


# -- status --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DeviceSync:
    login: str
    device: str
    synced_at: datetime


@dataclass(frozen=True)
class ServerStatus:
    database: str
    postgres: str  # the server's version, as it says it
    revision: str
    head: str  # the newest schema this program knows
    known: bool  # whether this program knows `revision` at all
    users: dict[str, int]  # role -> active users
    inactive: int
    missing_logins: list[str]
    devices: list[DeviceSync]  # newest sync first
    log_rows: int
    log_bytes: int
    log_oldest: datetime | None
    # Entries are gone from the log: trim-log deleted old ones, or a restore put an older log
    # in place (either moves the log's floor; which one did is not kept).
    log_trimmed: bool
    rules: list[Rule]
    leftover_logins: list[str] = field(default_factory=list)  # see admin.leftover_logins
    # The whole database on disk: PostgreSQL has no quota per role, so the disk is watched.
    database_bytes: int = 0


def status(dsn: str) -> ServerStatus:
    with connect(dsn) as connection:
        database = inspect(connection)
        if database.revision is None:
            raise ServerAdminError(f"The database “{database.name}” has no CRM schema yet.")
        _owner_only(database, "read its status")
        return _status(connection, database)


def _status(connection: psycopg.Connection, database: Database) -> ServerStatus:
    assert database.revision is not None
    with _read_only(connection):
        postgres = connection.execute("SHOW server_version").fetchone()[0]
        database_bytes = connection.execute(
            "SELECT pg_database_size(current_database())"
        ).fetchone()[0]
        users = dict(
            connection.execute(
                "SELECT role, count(*) FROM users WHERE active GROUP BY role"
            ).fetchall()
        )
        inactive = connection.execute("SELECT count(*) FROM users WHERE NOT active").fetchone()[0]
        devices: list[DeviceSync] = []
        if has_object(connection, "user_syncs"):
            devices = [
                DeviceSync(*row)
                for row in connection.execute(
                    "SELECT u.login, s.device_id::text, s.synced_at FROM user_syncs s"
                    " JOIN users u ON u.id = s.user_id ORDER BY s.synced_at DESC, u.login"
                )
            ]
        rows, size, oldest = connection.execute(
            "SELECT count(*), pg_total_relation_size('sync_changes'), min(changed_at)"
            " FROM sync_changes"
        ).fetchone()
        trimmed = connection.execute("SELECT log_floor <> '0'::xid8 FROM sync_meta").fetchone()
        rules = rules_on(connection) if has_object(connection, "crm_rules") else []
    missing = missing_logins(connection)
    leftover = leftover_logins(connection)
    return ServerStatus(
        database.name,
        postgres,
        database.revision,
        head_revision(),
        database.revision in known_revisions(),
        {str(role): int(count) for role, count in users.items()},
        int(inactive),
        missing,
        devices,
        int(rows),
        int(size),
        oldest,
        bool(trimmed and trimmed[0]),
        rules,
        leftover,
        int(database_bytes),
    )


@contextmanager
def _read_only(connection: psycopg.Connection) -> Iterator[None]:
    with connection.transaction():
        connection.execute("SET TRANSACTION READ ONLY")
        yield
