"""`crm-desktop connect`: link a profile to the shared server, password into the keyring."""

from __future__ import annotations

import argparse
import getpass
import sys

from PySide6.QtCore import QCoreApplication

from crm_desktop.profile import open_profile
from crm_desktop.sync import link as links
from crm_desktop.sync.connecting import connect_profile
from crm_desktop.sync.errors import SyncError, SyncProblem

translate = QCoreApplication.translate


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help=translate("CommandLine", "link this profile to the shared server"),
        description=translate(
            "CommandLine",
            "Check the server and the user's password, then remember both: the address "
            "in the profile, the password in the system keyring (never in a file). The "
            "password is read from standard input, or asked for; one inside the address is "
            "moved to the keyring. Another computer is reached only over TLS.",
        ),
    )
    parser.add_argument(
        "--server",
        required=True,
        metavar="ADDRESS",
        help=translate(
            "CommandLine",
            "HOST, HOST:PORT, [IPv6]:PORT, each with an optional /DB (database crm when none "
            "is named), or a postgresql://HOST:PORT/DB URL or libpq key=value string",
        ),
    )
    parser.add_argument(
        "--user", required=True, help=translate("CommandLine", "your user name on the server")
    )
    tls = parser.add_mutually_exclusive_group()
    tls.add_argument(
        "--ca",
        metavar="FILE",
        help=translate(
            "CommandLine",
            "the CA certificate that signed the server's: verify the server with it "
            "(sslmode=verify-full)",
        ),
    )
    tls.add_argument(
        "--no-tls",
        action="store_true",
        help=translate("CommandLine", "connect without encryption (only on a network you trust)"),
    )
    return parser


def read_password(ask: bool = True) -> str:
    """The password piped in (its first line), or typed at the terminal."""
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        # Only the line's end, "\r\n" from a file edited on Windows included: other spaces
        # may be part of the password.
        return line.removesuffix("\n").removesuffix("\r")
    return getpass.getpass(translate("ConnectCommand", "Password: ")) if ask else ""


def _has_password(server: str) -> bool:
    try:
        return links.parse_address(server)[1] is not None
    except SyncError:
        return False  # connect_profile says what is wrong with the address


def run(args: argparse.Namespace) -> int:
    # A password in the address is used unless another is typed; no need to ask for one.
    password = read_password(ask=not _has_password(args.server)) or None
    profile = open_profile(args.profile)
    try:
        connected = connect_profile(
            profile.store, args.server, args.user, password, ca=args.ca, no_tls=args.no_tls
        )
    finally:
        profile.close()
    if connected.office_waiting is not None:
        waiting = SyncError(SyncProblem.OFFICE_NOT_LIVE, connected.office_waiting)
        print(
            translate("ConnectCommand", "Connected as {user}. {waiting}").format(
                user=args.user, waiting=waiting.text()
            )
        )
    else:
        print(
            translate(
                "ConnectCommand", "Connected as {user}. Run `crm-desktop sync` to bring the data."
            ).format(user=args.user)
        )
    if args.no_tls:
        print(
            translate(
                "ConnectCommand",
                "The connection is not encrypted: use it only on a network you trust.",
            )
        )
    if connected.had_password and not connected.password_saved:
        print(
            translate(
                "ConnectCommand",
                "No system keyring here: the password was not saved. Set PGPASSWORD or put it "
                "in ~/.pgpass (libpq's own password file) for later syncs.",
            ),
            file=sys.stderr,
        )
    return 0
