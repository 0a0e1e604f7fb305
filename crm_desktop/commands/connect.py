"""`crm-desktop connect`: link a profile to the shared server, password into the keyring."""

from __future__ import annotations

import argparse
import getpass
import sys

from crm_desktop.profile import open_profile
from crm_desktop.sync.connecting import connect_profile


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help="link this profile to the shared server",
        description="Check the server and the user's password, then remember both: the address "
        "in the profile, the password in the system keyring (never in a file). The password is "
        "read from standard input, or asked for.",
    )
    parser.add_argument("--server", required=True, help="postgresql://HOST:PORT/DB")
    parser.add_argument("--user", required=True, help="your user name on the server")
    return parser


def read_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    return getpass.getpass("Password: ")


def run(args: argparse.Namespace) -> int:
    password = read_password() or None
    profile = open_profile(args.profile)
    try:
        connected = connect_profile(profile.store, args.server, args.user, password)
    finally:
        profile.close()
    print(f"Connected as {args.user}. Run `crm-desktop sync` to bring the data.")
    if password is not None and not connected.password_saved:
        print(
            "No system keyring here: the password was not saved. Set PGPASSWORD or put it in "
            "~/.pgpass (libpq's own password file) for later syncs.",
            file=sys.stderr,
        )
    return 0
