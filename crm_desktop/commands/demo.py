"""`crm-desktop demo`: fill a profile with realistic sample data (local only, never synced)."""

from __future__ import annotations

import argparse

from crm_desktop.commands.errors import UserError
from crm_desktop.demo import make_demo
from crm_desktop.profile import open_profile


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("the number of customers must be at least 1")
    return number


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help="fill the profile with sample customers (local only, never synced)",
        description="Add realistic sample customers, contacts, deals, tasks and follow-ups, "
        "and for about a fifth of the customers contracts with their payment plans and "
        "payments. Demo data writes no outbox entries, so it never reaches a server.",
    )
    parser.add_argument(
        "--customers", type=_positive, required=True, metavar="N", help="customers to add"
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="the same seed makes the same data (default 1)"
    )
    return parser


def run(args: argparse.Namespace) -> int:
    if args.customers > 1_000_000:
        raise UserError("The demo makes at most 1,000,000 customers at a time.")
    profile = open_profile(args.profile)
    try:
        counts = make_demo(profile, args.customers, seed=args.seed)
    finally:
        profile.close()
    print(counts.summary())
    return 0
