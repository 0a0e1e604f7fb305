"""`crm-desktop server backup | restore | status | upgrade`: keeping the shared server.

    crm-desktop server backup --out FILE [--dsn DSN]
    crm-desktop server restore FILE [--yes] [--backup-dir DIR] [--dsn DSN]
    crm-desktop server status [--dsn DSN]
    crm-desktop server upgrade [--backup-dir DIR] [--dsn DSN]

Registered by commands/server.py; the work is done in sync/server/maintenance.py.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TextIO

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from crm_desktop.commands.errors import UserError
from crm_desktop.sync.server.maintenance import (
    Database,
    ServerStatus,
    backup,
    restore,
    status,
    upgrade,
)

translate = QCoreApplication.translate
ROLES_NOTE = QT_TRANSLATE_NOOP(
    "CommandLine",
    "Roles (users' logins and passwords) are not in the file: pg_dump never carries them. "
    "Keep them apart with `pg_dumpall --roles-only` (run by the database administrator), or "
    "add the users again with `server add-user` after restoring onto another server.",
)

ACTIONS = ("backup", "restore", "status", "upgrade")


def _with_roles_note(description: str) -> str:
    # "{what} {roles}": two sentences, as the language joins them (Chinese: no space).
    return translate("CommandLine", "{what} {roles}").format(
        what=description, roles=translate("CommandLine", ROLES_NOTE)
    )


def add_parsers(actions: argparse._SubParsersAction, dsn_help: str) -> None:
    dump = actions.add_parser(
        "backup",
        help=translate("CommandLine", "back the CRM database up into one file (pg_dump)"),
        description=_with_roles_note(
            translate(
                "CommandLine",
                "Write the whole CRM database into one file in pg_dump's custom format, as the "
                "admin role that owns it.",
            ),
        ),
    )
    dump.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="FILE",
        help=translate("CommandLine", "the file (or a folder for it)"),
    )
    dump.add_argument("--dsn", default="", help=translate("CommandLine", dsn_help))

    load = actions.add_parser(
        "restore",
        help=translate("CommandLine", "put a backup in place of the CRM database"),
        description=_with_roles_note(
            translate(
                "CommandLine",
                "Restore a file made by `server backup` into an empty database, or in place of the "
                "CRM database (backed up first; asked at a terminal, --yes otherwise), in one "
                "transaction. Database privileges and the group roles are applied again and the "
                "schema upgraded to this program's. Every device downloads everything again at its "
                "next sync, after sending the changes it still holds.",
            ),
        ),
    )
    load.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help=translate("CommandLine", "a file made by server backup"),
    )
    load.add_argument(
        "--yes",
        action="store_true",
        help=translate("CommandLine", "replace a database holding a CRM without asking"),
    )
    load.add_argument(
        "--backup-dir",
        type=Path,
        metavar="DIR",
        help=translate(
            "CommandLine", "where the copy of the replaced database goes (default: FILE's folder)"
        ),
    )
    load.add_argument("--dsn", default="", help=translate("CommandLine", dsn_help))

    state = actions.add_parser(
        "status",
        help=translate(
            "CommandLine", "schema version, users, devices and their last sync, change log, rules"
        ),
        description=translate(
            "CommandLine",
            "Show the server's schema version, its users by role, each device and "
            "when it last synced, the change log's size and the rules in force.",
        ),
    )
    state.add_argument("--dsn", default="", help=translate("CommandLine", dsn_help))

    migrate = actions.add_parser(
        "upgrade",
        help=translate(
            "CommandLine", "back the server up, then upgrade its schema to this program's"
        ),
        description=translate(
            "CommandLine",
            "Back the CRM database up (as `server backup`), then upgrade its schema "
            "to this version of the program, in one transaction. A server already up to date is "
            "left alone. Devices of an older version are told to update; what they hold is kept.",
        ),
    )
    migrate.add_argument(
        "--backup-dir",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help=translate("CommandLine", "where the backup goes (default: the current folder)"),
    )
    migrate.add_argument("--dsn", default="", help=translate("CommandLine", dsn_help))


def run(args: argparse.Namespace, stdin: TextIO | None = None) -> int:
    if args.server_action == "backup":
        made = backup(args.dsn, args.out)
        print(
            f"Backed up “{made.database}” (schema {made.revision}, {_size(made.size)}) "
            f"to {made.path}."
        )
        print("Users' logins and passwords are not in it; see `server backup --help`.")
        return 0
    if args.server_action == "restore":
        return run_restore(args, stdin or sys.stdin)
    if args.server_action == "status":
        print_status(status(args.dsn))
        return 0
    done = upgrade(args.dsn, args.backup_dir)
    if done.backup is None:
        print(f"The server schema is already at revision {done.current}; nothing to do.")
        return 0
    print(f"Backed up the server to {done.backup.path}.")
    print(f"Server schema upgraded from revision {done.previous} to {done.current}.")
    return 0


def run_restore(args: argparse.Namespace, stdin: TextIO) -> int:
    def confirm(database: Database) -> bool:
        if args.yes:
            return True
        if not stdin.isatty():
            raise UserError(
                f"The database “{database.name}” holds a CRM (schema {database.revision}) "
                "and nothing was changed; run again with --yes to replace it (it is backed "
                "up first)."
            )
        print(
            f"The database “{database.name}” holds a CRM (schema {database.revision}). "
            "Replace it with the backup? It is backed up first. [y/N] ",
            end="",
            flush=True,
        )
        return stdin.readline().strip().lower() in ("y", "yes")

    done = restore(args.dsn, args.file, confirm, args.backup_dir)
    if done.replaced is not None:
        print(f"Backed up what the database held to {done.replaced.path}.")
    upgraded = f", upgraded to {done.current}" if done.current != done.restored else ""
    print(f"Restored {args.file} (schema {done.restored}{upgraded}).")
    print("Every device downloads everything again at its next sync; changes waiting on a")
    print("device are sent first. Changes that reached the server after this backup are gone.")
    if done.missing_logins:
        print(
            f"{len(done.missing_logins)} user(s) have no login on this server: "
            + ", ".join(done.missing_logins)
        )
        print("Have the database administrator restore the roles (pg_dumpall --roles-only),")
        print("then run `crm-desktop server init` so they may connect.")
    if done.leftover_logins:
        print(
            f"{len(done.leftover_logins)} login(s) of this database have no user in the backup "
            "(added after it): " + ", ".join(done.leftover_logins)
        )
        print("They log in but see nothing. `crm-desktop server add-user NAME --role ROLE` makes")
        print("one a user again, with a new password; or the database administrator drops it.")
    return 0


def print_status(state: ServerStatus) -> None:
    if state.revision == state.head:
        schema = "the newest this program knows"
    elif state.known:
        schema = f"older than this program's {state.head}: run `crm-desktop server upgrade`"
    else:
        schema = f"newer than this program's {state.head}: upgrade this program"
    print(
        f"Database:     {state.database} (PostgreSQL {state.postgres}), "
        f"{_size(state.database_bytes)} on disk"
    )
    print(f"Schema:       revision {state.revision}, {schema}")
    roles = ", ".join(f"{role} {count}" for role, count in sorted(state.users.items()))
    print(f"Users:        {roles or 'none'}; deactivated {state.inactive}")
    if state.missing_logins:
        print(f"              no login on this server: {', '.join(state.missing_logins)}")
    if state.leftover_logins:
        print(f"              logins without a user here: {', '.join(state.leftover_logins)}")
    print(f"Devices:      {len(state.devices)}")
    for device in state.devices:
        when = _when(device.synced_at)
        print(f"  {device.login:<20} device {device.device[:8]}  last synced {when}")
    oldest = f", oldest entry {_when(state.log_oldest)}" if state.log_oldest else ""
    # The server keeps no record of which moved the log's floor: say both.
    trimmed = "older entries gone (trim-log or a restore)" if state.log_trimmed else "never trimmed"
    print(f"Change log:   {state.log_rows} entries, {_size(state.log_bytes)}{oldest}; {trimmed}")
    if state.devices:
        last = state.devices[-1]
        print(
            f"Oldest cursor: {_when(last.synced_at)}, the last sync of {last.login}'s device "
            f"{last.device[:8]}"
        )
        print("              (trimming the log past it makes that device download everything)")
    else:
        print("Oldest cursor: unknown (no device has synced yet)")
    print("Rules:")
    for rule in state.rules:
        value = "not set" if rule.value is None else str(rule.value)
        print(f"  {rule.key:<26} {value}")


def _when(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    value = float(size)
    for unit in ("KiB", "MiB"):
        value /= 1024
        if value < 1024:
            return f"{value:.1f} {unit}"
    return f"{value / 1024:.1f} GiB"
