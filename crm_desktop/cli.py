"""`crm-desktop`: the window by default, and sub-commands for work without one.

Every failure ends with one plain sentence on stderr and a non-zero exit code, never a
traceback: a known one (user mistake, disk full, locked or damaged data file, server down,
wrong password) says what to do, the same sentence the window shows; a bug is logged with its
traceback to the profile's log file and the sentence says where that file is.
"""

from __future__ import annotations

import argparse
import importlib
import linecache
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from crm_desktop import __version__
from crm_desktop.commands.errors import UserError

__all__ = ["COMMANDS", "UserError", "main"]

log = logging.getLogger(__name__)

# Sub-command name -> module in crm_desktop.commands.
COMMANDS = {
    "demo": "demo",
    "export": "export",
    "import": "import_",
    "server": "server",
    "connect": "connect",
    "sync": "sync_",
    "conflicts": "conflicts",
    "today": "today",
    "renewals": "renewals",
    "report": "report",
    "claim": "ownership",
    "release": "ownership",
    "assign": "ownership",
    "backup": "backup",
    "restore": "backup",
}


# Commands that only read the profile: a folder that holds no data (a typo in --profile, say)
# is said at once rather than made into an empty profile that reports nothing.
READ_ONLY = frozenset({"export", "report", "today", "renewals", "conflicts"})
NO_DATA = (
    "There is no CRM data in {directory}; check the folder given with --profile, or open the "
    "program (or run `crm-desktop demo` or `import`) first."
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crm-desktop", description="Offline-first CRM for field sales teams."
    )
    parser.add_argument("--profile", type=Path, help="profile folder (default: the user's own)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(f"crm_desktop.commands.{module_name}")
        sub = module.add_parser(subparsers, name)
        sub.add_argument("--profile", type=Path, default=argparse.SUPPRESS, help="profile folder")
        sub.set_defaults(run=module.run)
    return parser


def _profile_dir(args: argparse.Namespace) -> Path:
    from crm_desktop.profile import default_profile_dir

    return args.profile or default_profile_dir()


def _known(error: Exception, directory: Path) -> Exception | None:
    """The error as one the user can act on, or None for a bug."""
    if isinstance(error, UserError):
        return error
    from crm_desktop.storage.store import BACKUP_DIR, STORE_FILE
    from crm_desktop.views.runner import known_error

    return known_error(error, str(directory / STORE_FILE), str(directory / BACKUP_DIR))


def _report_bug(error: Exception, directory: Path) -> str:
    """Log the traceback being handled to the profile's log file; the window's sentence for
    the user, which names that file."""
    from PySide6.QtCore import QCoreApplication

    from crm_desktop.views.runner import describe_error

    try:
        from crm_desktop.app import setup_logging

        directory.mkdir(parents=True, exist_ok=True)
        setup_logging(directory)
        log.exception("command failed")
    except Exception:  # no log file to be had (folder unwritable...): say so, no traceback
        return QCoreApplication.translate(
            "Runner", "Something went wrong and the log file could not be written."
        )
    return describe_error(error)


def _check_data(directory: Path) -> None:
    from crm_desktop.storage.store import STORE_FILE

    if not (directory / STORE_FILE).is_file():
        raise UserError(NO_DATA.format(directory=directory))


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # PySide6's import hook (shiboken's __feature__ support) reads the source of every module
    # imported after it into linecache, to look for "PySide6" in it: 12 MB of text by now, 30 MB
    # of a first sync's peak memory. Nothing reads it; a traceback reads its lines again.
    linecache.clearcache()
    try:
        if args.command is None:
            from crm_desktop.app import run_gui

            return run_gui(args.profile)
        if args.command in READ_ONLY:
            _check_data(_profile_dir(args))
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        directory = _profile_dir(args)
        known = _known(error, directory)
        sentence = str(known) if known is not None else _report_bug(error, directory)
        print(f"crm-desktop: {sentence}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
