"""`crm-desktop`: the window by default, and sub-commands for work without one.

Every failure ends with one plain sentence on stderr and a non-zero exit code, never a
traceback: a known one (user mistake, disk full, locked or damaged data file, server down,
wrong password) says what to do, the same sentence the window shows; a bug is logged with its
traceback to the profile's log file and the sentence says where that file is. What is said is
in the window's language. A reader that stops early (`| head`) ends a command quietly.
"""

from __future__ import annotations

import argparse
import importlib
import linecache
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

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
NO_DATA = QT_TRANSLATE_NOOP(
    "CommandLine",
    "There is no CRM data in {directory}; check the folder given with --profile, or open the "
    "program (or run `crm-desktop demo` or `import`) first.",
)
# Commands that work with the profile's server: a new empty profile has none to work with.
NEEDS_PROFILE = frozenset({"sync", "claim", "release", "assign"})
NO_PROFILE = QT_TRANSLATE_NOOP(
    "CommandLine",
    "There is no profile in {directory}; check the folder given with --profile, or run "
    "`crm-desktop connect` first.",
)
# A reader that stopped early (`| head`): the exit a shell gives a command killed by SIGPIPE.
BROKEN_PIPE_EXIT = 128 + 13


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


def _check_profile(command: str, directory: Path) -> None:
    from crm_desktop.storage.store import STORE_FILE

    if (directory / STORE_FILE).is_file():
        return
    if command in READ_ONLY:
        raise UserError(
            QCoreApplication.translate("CommandLine", NO_DATA).format(directory=directory)
        )
    if command in NEEDS_PROFILE:
        raise UserError(
            QCoreApplication.translate("CommandLine", NO_PROFILE).format(directory=directory)
        )


def _language(directory: Path) -> str:
    """The language the profile chose in the window, else the system's, read without opening
    the profile: no upgrade, no new profile made, a few milliseconds."""
    from crm_desktop.storage.store import STORE_FILE, Store
    from crm_desktop.translations import language_for, system_language

    if not (directory / STORE_FILE).is_file():
        return system_language()
    store = Store(directory)
    try:
        return language_for(store)
    except Exception:
        # Whatever keeps it from being read (a damaged, busy or foreign file), the command
        # opens the store next and says so, in the system's language.
        log.debug("the profile's language could not be read", exc_info=True)
        return system_language()
    finally:
        store.close()


def _run(args: argparse.Namespace, directory: Path) -> int:
    try:
        if args.command is None:
            from crm_desktop.app import exit_past_a_stuck_sync, run_gui

            return exit_past_a_stuck_sync(run_gui(args.profile))
        _check_profile(args.command, directory)
        code = int(args.run(args) or 0)
        sys.stdout.flush()  # here, where a reader gone (`| head`) is answered
        return code
    except BrokenPipeError:
        # The reader stopped early: as any command whose output nobody reads, quietly; what is
        # still buffered goes nowhere rather than into a second error at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return BROKEN_PIPE_EXIT
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        known = _known(error, directory)
        sentence = str(known) if known is not None else _report_bug(error, directory)
        print(f"crm-desktop: {sentence}", file=sys.stderr)
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # PySide6's import hook (shiboken's __feature__ support) reads the source of every module
    # imported after it into linecache, to look for "PySide6" in it: 12 MB of text by now, 30 MB
    # of a first sync's peak memory. Nothing reads it; a traceback reads its lines again.
    linecache.clearcache()
    directory = _profile_dir(args)
    if args.command is None:
        return _run(args, directory)  # the window installs its translators itself
    from crm_desktop.translations import translated

    # The window's language (the profile's choice, else the system's) for what is said here.
    with translated(_language(directory)):
        return _run(args, directory)


if __name__ == "__main__":
    sys.exit(main())
