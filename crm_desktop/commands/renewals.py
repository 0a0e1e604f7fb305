"""`crm-desktop renewals`: the contracts ending in a period, as the window's renewal list
shows them."""

from __future__ import annotations

import argparse
import json
from datetime import date

from PySide6.QtCore import QCoreApplication

from crm_desktop.commands.errors import UserError
from crm_desktop.commands.report import TO_BEFORE_FROM, add_period_options, period, typed_day
from crm_desktop.models.choices import ContractKind, RenewalStatus, choice_label
from crm_desktop.profile import open_profile
from crm_desktop.queries.money import RenewalLine, renewals
from crm_desktop.reports import RENEWAL_DAYS

translate = QCoreApplication.translate


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help=translate(
            "CommandLine", "list the contracts ending in a period, with their renewal status"
        ),
        description=translate(
            "CommandLine",
            "List the running or ended contracts (not drafts nor terminated ones) whose end "
            "date falls from --from to --to inclusive, soonest first. Without dates: today and "
            "the next {days} days.",
        ).format(days=RENEWAL_DAYS),
    )
    add_period_options(parser)
    parser.add_argument(
        "--kind",
        choices=[k.value for k in ContractKind],
        help=translate("CommandLine", "only this kind"),
    )
    parser.add_argument(
        "--status",
        choices=[s.value for s in RenewalStatus],
        help=translate("CommandLine", "only this renewal status"),
    )
    parser.add_argument(
        "--json", action="store_true", help=translate("CommandLine", "a JSON list of objects")
    )
    return parser


def run(args: argparse.Namespace) -> int:
    # As `report renewals` reads them: --to alone means the days up to it.
    start, end = period(
        "renewals", date.today(), typed_day(args.start, "--from"), typed_day(args.end, "--to")
    )
    if end < start:
        raise UserError(translate("ReportCommand", TO_BEFORE_FROM).format(start=start, end=end))
    profile = open_profile(args.profile)
    try:
        with profile.store.read() as session:
            lines = renewals(session, start, end, kind=args.kind, renewal_status=args.status)
    finally:
        profile.close()
    if args.json:
        print(json.dumps([line.as_json() for line in lines], ensure_ascii=False, indent=2))
    else:
        _print(lines, start, end)
    return 0


def _print(lines: list[RenewalLine], start: date, end: date) -> None:
    if not lines:
        print(
            translate("RenewalsCommand", "No contract ends from {start} to {end}.").format(
                start=start, end=end
            )
        )
        return
    # A plural: n by keyword, the message marked for lupdate in extra_sources.py (see today.py).
    heading = translate(
        "RenewalsCommand", "%n contract(s) ending from {start} to {end}:", "", n=len(lines)
    )
    print(heading.format(start=start, end=end))
    # The number of the contract that renews it.
    by = translate("RenewalsCommand", "by {number}")
    for line in lines:
        amount = line.as_json()["amount"]
        owner = f"  ({line.owner})" if line.owner else ""
        renewed = " " + by.format(number=line.renewed_by) if line.renewed_by else ""
        # Kind and status in words, as the window and the PDF show them (--json keeps codes).
        kind, status = choice_label(line.kind), choice_label(line.renewal_status)
        print(
            f"  {line.end_on}  {line.number}  {line.customer}  {kind}  {amount}"
            f"  {status}{renewed}{owner}"
        )
