"""`crm-desktop renewals`: the contracts ending in a period, as the window's renewal list
shows them."""

from __future__ import annotations

import argparse
import json
from datetime import date

from crm_desktop.commands.errors import UserError
from crm_desktop.models.choices import ContractKind, RenewalStatus
from crm_desktop.profile import open_profile
from crm_desktop.queries.money import RenewalLine, renewals
from crm_desktop.reports import RENEWAL_DAYS, default_period


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help="list the contracts ending in a period, with their renewal status",
        description="List the running or ended contracts (not drafts nor terminated ones) "
        "whose end date falls from --from to --to inclusive, soonest first. Without dates: "
        f"today and the next {RENEWAL_DAYS} days.",
    )
    parser.add_argument("--from", dest="start", metavar="DATE", help="first day, YYYY-MM-DD")
    parser.add_argument("--to", dest="end", metavar="DATE", help="last day, YYYY-MM-DD")
    parser.add_argument("--kind", choices=[k.value for k in ContractKind], help="only this kind")
    parser.add_argument(
        "--status",
        choices=[s.value for s in RenewalStatus],
        help="only this renewal status",
    )
    parser.add_argument("--json", action="store_true", help="a JSON list of objects")
    return parser


def _day(typed: str | None, option: str) -> date | None:
    if typed is None:
        return None
    try:
        return date.fromisoformat(typed.strip())
    except ValueError:
        raise UserError(f"{option} “{typed}” is not a date; write it as YYYY-MM-DD.") from None


def run(args: argparse.Namespace) -> int:
    try:
        # As `report renewals` reads them: --to alone means the days up to it.
        start, end = default_period(
            "renewals", date.today(), _day(args.start, "--from"), _day(args.end, "--to")
        )
    except OverflowError:
        raise UserError("The period runs past the last date there is.") from None
    if end < start:
        raise UserError(f"--to {end} is before --from {start}.")
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
        print(f"No contract ends from {start} to {end}.")
        return
    print(f"{len(lines)} contract(s) ending from {start} to {end}:")
    for line in lines:
        amount = line.as_json()["amount"]
        owner = f"  ({line.owner})" if line.owner else ""
        renewed = f" by {line.renewed_by}" if line.renewed_by else ""
        print(
            f"  {line.end_on}  {line.number}  {line.customer}  {line.kind}  {amount}"
            f"  {line.renewal_status}{renewed}{owner}"
        )
