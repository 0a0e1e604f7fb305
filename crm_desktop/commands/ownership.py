"""`crm-desktop claim | release | assign`: who owns a customer, decided by the server at once.

    crm-desktop claim CUSTOMER_ID [--profile DIR]
    crm-desktop release CUSTOMER_ID --reason TEXT [--profile DIR]
    crm-desktop assign CUSTOMER_ID --to NAME [--reason TEXT] [--profile DIR]

Each needs the server (the public pool is first come, first served); a refusal exits 1 with the
rule's sentence.
"""

from __future__ import annotations

import argparse
import uuid

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from crm_desktop.commands.errors import UserError
from crm_desktop.models.entities import Customer
from crm_desktop.profile import Profile, open_profile
from crm_desktop.sync import ownership

translate = QCoreApplication.translate

T = QT_TRANSLATE_NOOP
HELP = {
    "claim": T("CommandLine", "make a customer of the public pool your own"),
    "release": T("CommandLine", "give one of your customers back to the public pool"),
    "assign": T("CommandLine", "give a customer to a member of your team (managers)"),
}
DESCRIPTION = {
    "claim": T(
        "CommandLine",
        "Make a customer of the public pool your own. The server decides at once, by the "
        "rules its administrator set; a refusal says which rule and until when.",
    ),
    "release": T(
        "CommandLine",
        "Give one of your customers back to the public pool. The server decides at once, by "
        "the rules its administrator set; a refusal says which rule and until when.",
    ),
    "assign": T(
        "CommandLine",
        "Give a customer to a member of your team (managers). The server decides at once, by "
        "the rules its administrator set; a refusal says which rule and until when.",
    ),
}
DONE = {
    "claim": T("Ownership", "The customer is yours now."),
    "release": T("Ownership", "The customer is back in the public pool."),
    "assign": T("Ownership", "The customer now belongs to “{to}”."),
}
NOT_AN_ID = T(
    "Ownership", "“{id}” is not a customer's id; copy it from the customer's page or an export."
)
NO_SUCH_CUSTOMER = T(
    "Ownership",
    "There is no customer with the id “{id}”; copy it from the customer's page or an export.",
)
NO_REASON = T("Ownership", "Say why the customer goes back to the public pool: --reason TEXT.")


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help=translate("CommandLine", HELP[name]),
        description=translate("CommandLine", DESCRIPTION[name]),
    )
    parser.add_argument(
        "customer", metavar="CUSTOMER_ID", help=translate("CommandLine", "the customer's id")
    )
    if name == "assign":
        parser.add_argument(
            "--to",
            required=True,
            metavar="NAME",
            help=translate("CommandLine", "login of the receiver"),
        )
    if name in ("release", "assign"):
        parser.add_argument(
            "--reason",
            required=name == "release",
            default="",
            help=translate("CommandLine", "why, for the history"),
        )
    return parser


def run(args: argparse.Namespace) -> int:
    translate = QCoreApplication.translate
    try:
        uuid.UUID(args.customer)  # before asking the server, which would only say it failed
    except ValueError:
        raise UserError(translate("Ownership", NOT_AN_ID).format(id=args.customer)) from None
    reason = args.reason.strip() if args.command in ("release", "assign") else ""
    if args.command == "release" and not reason:  # as the window asks for one
        raise UserError(translate("Ownership", NO_REASON))
    profile = open_profile(args.profile)
    try:
        known = _on_device(profile, args.customer)
        try:
            if args.command == "claim":
                ownership.claim(profile, args.customer)
            elif args.command == "release":
                ownership.release(profile, args.customer, reason)
            else:
                ownership.assign(profile, args.customer, args.to, reason)
        except ownership.OwnershipRefused as refused:
            # Not here before the server was asked, nor after the sync that came first: no
            # customer (the user may see) has that id, whatever the rule's sentence would say.
            if not known and not _on_device(profile, args.customer):
                raise UserError(
                    translate("Ownership", NO_SUCH_CUSTOMER).format(id=args.customer)
                ) from None
            raise UserError(refused.text()) from None
    finally:
        profile.close()
    print(translate("Ownership", DONE[args.command]).format(to=getattr(args, "to", "")))
    return 0


def _on_device(profile: Profile, customer_id: str) -> bool:
    with profile.store.read() as session:
        customer = session.get(Customer, customer_id)
        return customer is not None and customer.deleted_at is None
