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
import re
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from crm_desktop import __version__
from crm_desktop.commands.errors import UserError

translate = QCoreApplication.translate

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

# argparse's own messages for a command line it cannot read, in Python 3.11's words. argparse
# asks gettext for each before filling in its names and values (_argparse_in_words), so the
# translation, with the same placeholders, takes its place; a message not here stays English.
ARGPARSE_MESSAGES = (
    QT_TRANSLATE_NOOP("CommandLine", "%(prog)s: error: %(message)s\n"),
    QT_TRANSLATE_NOOP("CommandLine", "argument %(argument_name)s: %(message)s"),
    QT_TRANSLATE_NOOP("CommandLine", "the following arguments are required: %s"),
    QT_TRANSLATE_NOOP("CommandLine", "unrecognized arguments: %s"),
    QT_TRANSLATE_NOOP("CommandLine", "invalid choice: %(value)r (choose from %(choices)s)"),
    QT_TRANSLATE_NOOP("CommandLine", "invalid %(type)s value: %(value)r"),
    QT_TRANSLATE_NOOP("CommandLine", "expected one argument"),
    QT_TRANSLATE_NOOP("CommandLine", "expected at most one argument"),
    QT_TRANSLATE_NOOP("CommandLine", "expected at least one argument"),
    QT_TRANSLATE_NOOP("CommandLine", "expected %s argument"),
    QT_TRANSLATE_NOOP("CommandLine", "expected %s arguments"),
    QT_TRANSLATE_NOOP("CommandLine", "not allowed with argument %s"),
    QT_TRANSLATE_NOOP("CommandLine", "one of the arguments %s is required"),
    QT_TRANSLATE_NOOP("CommandLine", "ignored explicit argument %r"),
    QT_TRANSLATE_NOOP("CommandLine", "ambiguous option: %(option)s could match %(matches)s"),
    QT_TRANSLATE_NOOP("CommandLine", "unexpected option string: %s"),
    QT_TRANSLATE_NOOP("CommandLine", "unknown parser %(parser_name)r (choices: %(choices)s)"),
    QT_TRANSLATE_NOOP("CommandLine", "can't open '%(filename)s': %(error)s"),
)


class _HelpInWords(argparse.HelpFormatter):
    """argparse's help, with its own words ("usage:") in the user's language as well, and
    Chinese lines wrapped by the columns they take: a Chinese character takes two, where
    argparse's wrapping counts one and would run each line past the terminal's edge.
    (_split_lines and _fill_text are the methods argparse's own formatters override.)"""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        if prefix is None:
            prefix = translate("CommandLine", "usage: ")
        # argparse lines the usage up by the prefix's length: it gets a stand-in of as many
        # characters as the prefix takes columns, put back in format_help.
        self._usage_prefix = prefix
        super().add_usage(usage, actions, groups, _STAND_IN * _columns(prefix))

    def format_help(self) -> str:
        said = super().format_help()
        prefix = getattr(self, "_usage_prefix", None)
        if prefix is None:
            return said
        return said.replace(_STAND_IN * _columns(prefix), prefix, 1)

    def _split_lines(self, text: str, width: int) -> list[str]:
        if not _has_wide(text):
            return super()._split_lines(text, width)
        return _wrapped(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if not _has_wide(text):
            return super()._fill_text(text, width, indent)
        return "\n".join(indent + line for line in _wrapped(text, width - len(indent)))


_STAND_IN = "\x00"  # never in a help text
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
# A run of spaces, one wide (Chinese) character, or a run of anything else.
_PIECE = re.compile(rf"\s+|[{_WIDE}]|[^\s{_WIDE}]+")
# Closing marks a line does not start with (see _wrapped).
_NO_LINE_START = frozenset("，。、；：！？）」』》”’")


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _has_wide(text: str) -> bool:
    return _columns(text) > len(text)


def _wrapped(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns (a longer unbreakable word stands alone): Latin words
    whole, Chinese broken between any two characters, but never before a closing mark, which
    takes the character before it down to the next line instead."""
    pieces = re.findall(_PIECE, " ".join(text.split()))
    lines: list[str] = []
    line = ""
    for piece in pieces:
        if piece.isspace():
            if line:
                line += " "
            continue
        if line and _columns(line + piece) > width:
            carried = ""
            if piece in _NO_LINE_START and len(line) > 1 and _has_wide(line[-1]):
                line, carried = line[:-1], line[-1]
            lines.append(line.rstrip())
            line = carried
        line += piece
    if line:
        lines.append(line.rstrip())
    return lines


def _parser() -> argparse.ArgumentParser:
    """Every command and option, said in the language installed when this is called."""
    parser = argparse.ArgumentParser(
        prog="crm-desktop",
        description=translate("CommandLine", "Offline-first CRM for field sales teams."),
        formatter_class=_HelpInWords,
    )
    parser.add_argument(
        "--profile",
        type=Path,
        help=translate("CommandLine", "profile folder (default: the user's own)"),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        module = importlib.import_module(f"crm_desktop.commands.{module_name}")
        sub = module.add_parser(subparsers, name)
        sub.add_argument(
            "--profile",
            type=Path,
            default=argparse.SUPPRESS,
            help=translate("CommandLine", "profile folder"),
        )
        sub.set_defaults(run=module.run)
    _say_argparse_words(parser)
    return parser


def _say_argparse_words(parser: argparse.ArgumentParser) -> None:
    """The words argparse writes itself (its group titles, its -h and --version options) in
    the user's language, on this parser and each of its sub-commands. argparse keeps them in
    attributes of its own: there is no public way to give them."""
    parser.formatter_class = _HelpInWords
    parser._positionals.title = translate("CommandLine", "positional arguments")
    parser._optionals.title = translate("CommandLine", "options")
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            action.help = translate("CommandLine", "show this help and exit")
        elif isinstance(action, argparse._VersionAction):
            action.help = translate("CommandLine", "show the program's version and exit")
        elif isinstance(action, argparse._SubParsersAction):
            for sub in {id(p): p for p in action.choices.values()}.values():
                _say_argparse_words(sub)


def _profile_dir(profile: Path | None) -> Path:
    from crm_desktop.profile import default_profile_dir

    return profile or default_profile_dir()


def _known(error: Exception, directory: Path) -> Exception | None:
    """The error as one the user can act on, or None for a bug."""
    if isinstance(error, UserError):
        return error
    from crm_desktop.storage.errors import profile_folder_problem
    from crm_desktop.storage.store import BACKUP_DIR, STORE_FILE
    from crm_desktop.views.runner import known_error

    known = known_error(error, str(directory / STORE_FILE), str(directory / BACKUP_DIR))
    return known or profile_folder_problem(error, directory)


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
        # Every command stops whole: an import or an export leaves nothing of itself, a sync
        # keeps what it had sent and finishes at the next one.
        stopped = QCoreApplication.translate("CommandLine", "Stopped; nothing was left half-done.")
        print(f"crm-desktop: {stopped}", file=sys.stderr)
        return 130
    except Exception as error:
        known = _known(error, directory)
        sentence = str(known) if known is not None else _report_bug(error, directory)
        print(f"crm-desktop: {sentence}", file=sys.stderr)
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    # Only --profile first: the language the profile chose says the help and the usage errors.
    profile, rest = _early_profile(arguments)
    directory = _profile_dir(profile)
    if not rest:
        # The window: it installs its translators itself, on the application it makes.
        return _run(_parsed(arguments), directory)
    from crm_desktop.translations import translated

    # The window's language (the profile's choice, else the system's) for what is said here.
    with translated(_language(directory)):
        args = _parsed(arguments)
        if args.command is not None:
            return _run(args, directory)
    return _run(args, directory)  # the window, as above


class _ProfileOnly(argparse.ArgumentParser):
    """Reads --profile alone, before the language is known; a mistake in it (no folder after
    it) is left to the whole parser, which says it in the user's language."""

    def __init__(self) -> None:
        super().__init__(prog="crm-desktop", add_help=False)
        self.add_argument("--profile", type=Path)

    def error(self, message: str) -> NoReturn:
        raise _NotRead(message)


class _NotRead(Exception):
    pass


def _early_profile(arguments: list[str]) -> tuple[Path | None, list[str]]:
    """The --profile given (None: none, or none readable), and whether anything else was."""
    try:
        early, rest = _ProfileOnly().parse_known_args(arguments)
    except _NotRead:
        return None, arguments
    return early.profile, rest


@contextmanager
def _argparse_in_words() -> Iterator[None]:
    """argparse's own messages (ARGPARSE_MESSAGES) in the language installed, while it reads a
    command line. argparse takes them from gettext, through the two names it imported; they
    are handed back when it is done."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]

    def in_words(singular: str, many: str, count: int) -> str:
        return translate("CommandLine", singular if count == 1 else many)

    argparse._ = lambda message: translate("CommandLine", message)  # type: ignore[attr-defined]
    argparse.ngettext = in_words
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


def _parsed(arguments: list[str]) -> argparse.Namespace:
    with _argparse_in_words():
        args = _parser().parse_args(arguments)
    # PySide6's import hook (shiboken's __feature__ support) reads the source of every module
    # imported after it into linecache, to look for "PySide6" in it: 12 MB of text by now, 30 MB
    # of a first sync's peak memory. Nothing reads it; a traceback reads its lines again.
    linecache.clearcache()
    return args


if __name__ == "__main__":
    sys.exit(main())
