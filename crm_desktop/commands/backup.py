"""`crm-desktop backup` and `crm-desktop restore`: copies of the profile's data, and putting one
back (the current data kept aside first, changes not yet synced kept)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from crm_desktop.commands.errors import UserError
from crm_desktop.models.validation import run_on
from crm_desktop.profile import default_profile_dir
from crm_desktop.storage import backups

T = QT_TRANSLATE_NOOP
# The window's words (the backups dialog's), translated there already.
KIND_WORDS = {
    backups.DAILY: T("Backups", "daily"),
    backups.MANUAL: T("Backups", "manual"),
    backups.BEFORE_UPDATE: T("Backups", "before update"),
    backups.BEFORE_RESTORE: T("Backups", "before restore"),
    backups.DAMAGED: T("Backups", "damaged"),
}
translate = QCoreApplication.translate


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    if name == "backup":
        parser = subparsers.add_parser(
            name,
            help=translate("CommandLine", "make a checked copy of this profile's data"),
            description=translate(
                "CommandLine",
                "Copy the profile's data (safe while the window is open), check the "
                "copy, and say where it is: a new file in the profile's backups folder, or FILE.",
            ),
        )
        what = parser.add_mutually_exclusive_group()
        what.add_argument(
            "--out", type=Path, metavar="FILE", help=translate("CommandLine", "write the copy here")
        )
        what.add_argument(
            "--list",
            action="store_true",
            help=translate("CommandLine", "list the profile's backups"),
        )
        what.add_argument(
            "--check",
            action="store_true",
            help=translate("CommandLine", "check the data file, and recover it if it is damaged"),
        )
        return parser
    parser = subparsers.add_parser(
        name,
        help=translate("CommandLine", "put a backup copy back in place of this profile's data"),
        description=translate(
            "CommandLine",
            "Replace the profile's data with a backup copy. The current data is kept "
            "aside in the backups folder first. Linked to a server, changes not yet sent to it "
            "are kept and sent at the next sync, which downloads everything again; working on "
            "this computer only, what was entered after the copy was made is only in the data "
            "kept aside. Close the window first.",
        ),
    )
    parser.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help=translate("CommandLine", "the backup copy to restore"),
    )
    parser.add_argument(
        "--yes", action="store_true", help=translate("CommandLine", "do not ask for confirmation")
    )
    return parser


def run(args: argparse.Namespace) -> int:
    directory = Path(args.profile or default_profile_dir())
    if args.command == "restore":
        return _restore(directory, args.file, args.yes)
    if args.list:
        return _list(directory)
    if args.check:
        return _check(directory)
    made = backups.back_up(directory, backups.MANUAL, out=args.out)
    print(translate("BackupsDialog", "Backed up to {path}.").format(path=made))
    return 0


def _list(directory: Path) -> int:
    found = backups.list_backups(directory)
    if not found:
        print(
            translate("BackupCommand", "No backups in {folder}.").format(
                folder=backups.backup_dir(directory)
            )
        )
        return 0
    for backup in found:
        when = backup.made_at.strftime("%Y-%m-%d %H:%M")
        size = f"{backup.size / 1_000_000:.1f} MB"
        kind = translate("Backups", KIND_WORDS[backup.kind])
        print(f"{when}  {kind:<14}  {size:>10}  {backup.path}")
    return 0


def _restore(directory: Path, copy: Path, yes: bool) -> int:
    copy = copy.expanduser().resolve()
    backups.check_copy(copy)  # a plain sentence before any question
    if not yes and sys.stdin.isatty():
        print(
            translate(
                "BackupCommand",
                "This replaces the data in {folder} with the copy {copy}; the current data is "
                "kept aside in the backups folder. Linked to a server, changes not yet synced "
                "are kept; on this computer only, what was entered after the copy was made is "
                "only in the data kept aside.",
            ).format(folder=directory, copy=copy)
        )
        answer = input(translate("BackupCommand", "Restore? [y/N] ")).strip().lower()
        if answer not in ("y", "yes"):
            print(translate("BackupCommand", "Nothing was changed."))
            return 1
    report = backups.restore(directory, copy)
    print(summary(report))
    return 0


def _check(directory: Path) -> int:
    if not backups.store_path(directory).exists():
        raise UserError(
            translate("BackupCommand", "There is no data file in {folder}.").format(
                folder=directory
            )
        )
    # The full integrity check: the quick one at start does not compare indexes with tables.
    if not backups.is_damaged(directory, full=True):
        print(translate("BackupCommand", "The data file is sound."))
        return 0
    if backups.repair_indexes(directory):
        print(
            translate(
                "BackupCommand",
                "The data file's indexes were damaged and have been rebuilt; nothing was lost.",
            )
        )
        return 0
    report = backups.recover(directory)
    print(summary(report))
    return 0


def summary(report: backups.RestoreReport) -> str:
    """What a restore or a recovery did, in a few plain sentences (the backups dialog's words
    where it says the same)."""
    lines = []
    when = report.made_at.strftime("%Y-%m-%d %H:%M") if report.made_at else "?"
    if report.damaged:
        lines.append(translate("Backups", "The data file was damaged and has been replaced."))
        if report.restored_from is not None:
            lines.append(
                translate(
                    "BackupCommand", "It was rebuilt from the backup of {when} ({path})."
                ).format(when=when, path=report.restored_from)
            )
    else:
        lines.append(
            translate("BackupCommand", "Restored the copy of {when} ({path}).").format(
                when=when, path=report.restored_from
            )
        )
    if report.kept_aside is not None:
        lines.append(
            translate("Backups", "The data it replaced is kept in {path}.").format(
                path=report.kept_aside
            )
        )
    if report.another_users:
        lines.append(
            translate(
                "Backups",
                "The copy was made by another user's CRM Desktop: you stay the user here, and"
                " the next sync replaces its records with yours.",
            )
        )
    # Plurals: n by keyword, the messages marked for lupdate in extra_sources.py (Backups).
    if report.linked:
        lines.append(
            translate(
                "Backups",
                "%n change(s) not yet sent to the server are kept; the next sync sends them"
                " and downloads everything again.",
                "",
                n=report.unsynced,
            )
        )
    elif report.damaged and report.restored_from is None:
        lines.append(
            translate(
                "Backups",
                "%n record(s) were saved from the damaged file. No server is linked, so"
                " records that could not be read are not back; an older backup may hold them.",
                "",
                n=report.records_kept,
            )
        )
    if report.damaged and report.incomplete:
        lines.append(translate("Backups", "Parts of the damaged file could not be read."))
    return run_on(*lines)
