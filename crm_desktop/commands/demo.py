"""`crm-desktop demo`: fill a profile with realistic sample data (local only, never synced)."""

from __future__ import annotations

import argparse
import sqlite3

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from sqlalchemy.exc import IntegrityError

from crm_desktop.commands.errors import UserError
from crm_desktop.commands.values import whole_number
from crm_desktop.demo import DemoCounts, make_demo
from crm_desktop.profile import Profile, open_profile
from crm_desktop.sync import link as links

DEFAULT_SEED = 1
# Seeds tried after the default before a clash is taken for what it is: not an earlier demo's
# (its rows would clash with every seed's).
SEEDS_TRIED = 100
# The first-run wizard's sentence (views/first_run_wizard.DEMO_ON_SERVER), written again here so
# that the command line need not import the window's modules; the same context and text are
# one message, translated once.
DEMO_ON_SERVER = QT_TRANSLATE_NOOP(
    "Validation",
    "Demo data is only for a profile that works on this computer: it must never reach a "
    "company server.",
)
translate = QCoreApplication.translate


def _positive(text: str) -> int:
    number = whole_number(text)
    if number < 1:
        raise argparse.ArgumentTypeError(
            translate("CommandLine", "the number of customers must be at least 1")
        )
    return number


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help=translate(
            "CommandLine", "fill the profile with sample customers (local only, never synced)"
        ),
        description=translate(
            "CommandLine",
            "Add realistic sample customers, contacts, deals, tasks and follow-ups, "
            "and for about a fifth of the customers contracts with their payment plans and "
            "payments. Demo data writes no outbox entries, so it never reaches a server; a profile "
            "connected to a server is refused.",
        ),
    )
    parser.add_argument(
        "--customers",
        type=_positive,
        required=True,
        metavar="N",
        help=translate("CommandLine", "customers to add"),
    )
    parser.add_argument(
        "--seed",
        type=whole_number,
        help=translate(
            "CommandLine",
            "the same seed makes the same data (default: 1, or for a profile holding its "
            "demo already the next seed whose demo it does not hold)",
        ),
    )
    return parser


def run(args: argparse.Namespace) -> int:
    if args.customers > 1_000_000:
        raise UserError(
            translate("DemoCommand", "The demo makes at most 1,000,000 customers at a time.")
        )
    profile = open_profile(args.profile)
    try:
        # As the first-run wizard: demo rows write no outbox entries, but edited later they
        # would, and the company's server must never see made-up customers.
        if links.link_of(profile.store) is not None:
            raise UserError(translate("Validation", DEMO_ON_SERVER))
        counts, seed = _make(profile, args.customers, args.seed)
    finally:
        profile.close()
    print(summary(counts))
    if args.seed is None and seed != DEFAULT_SEED:
        print(
            translate(
                "DemoCommand",
                "Made with --seed {seed}: this profile holds the demo data of the seeds "
                "before it already.",
            ).format(seed=seed)
        )
    return 0


def _make(profile: Profile, customers: int, chosen: int | None) -> tuple[DemoCounts, int]:
    """The demo of the seed chosen, or of the first seed whose records (their ids come from
    the seed) this profile does not hold yet. A demo whose ids are here already fails at its
    first rows and its one transaction leaves nothing behind."""
    seed = DEFAULT_SEED if chosen is None else chosen
    while True:
        try:
            return make_demo(profile, customers, seed=seed), seed
        except IntegrityError as error:
            if not _ids_taken(error) or seed >= DEFAULT_SEED + SEEDS_TRIED:
                raise
            if chosen is not None:
                raise UserError(
                    translate(
                        "DemoCommand",
                        "This profile holds the demo data of --seed {seed} already; give "
                        "another --seed, or leave it out for the next one it does not hold.",
                    ).format(seed=seed)
                ) from None
            seed += 1


def _ids_taken(error: IntegrityError) -> bool:
    """Whether a row's id is taken (by SQLite's extended result code, not its message)."""
    code = getattr(error.orig, "sqlite_errorcode", None)
    return code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY


def summary(counts: DemoCounts) -> str:
    """What the demo added (DemoCounts.summary in the user's language)."""
    rows = {table: f"{count:,}" for table, count in counts.rows.items()}
    return translate(
        "DemoCommand",
        "Added demo data: {customers} customers, {contacts} contacts, {opportunities} "
        "opportunities, {tasks} tasks, {followups} followups, {contracts} contracts, "
        "{instalments} instalments, {payments} payments, {products} products.",
    ).format(
        customers=rows.get("customers", "0"),
        contacts=rows.get("contacts", "0"),
        opportunities=rows.get("opportunities", "0"),
        tasks=rows.get("tasks", "0"),
        followups=rows.get("followups", "0"),
        contracts=rows.get("contracts", "0"),
        instalments=rows.get("contract_instalments", "0"),
        payments=rows.get("payments", "0"),
        products=rows.get("products", "0"),
    )
