"""`crm-desktop report KIND --out FILE.pdf`: a report as the window prints it.

    crm-desktop report customer --customer ID --out profile.pdf
    crm-desktop report quote --opportunity ID --out quote.pdf
    crm-desktop report pipeline|activity|renewals [--from DATE] [--to DATE] --out FILE.pdf
    crm-desktop report receivables --out FILE.pdf

Each covers what this device holds (the server already limits it to what the user may see),
`--owner LOGIN` one person's share of it; the activity report covers the user's team.
"""

from __future__ import annotations

import argparse
import io
import os
from datetime import date
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_desktop.commands.errors import UserError
from crm_desktop.models.dates import TypedDateError, parse_typed_datetime
from crm_desktop.models.entities import User
from crm_desktop.profile import open_profile
from crm_desktop.reports import KINDS, ReportError, ReportOptions, default_period
from crm_desktop.storage.errors import plain_reason
from crm_desktop.translations import language_for, translated

LANGUAGES = ("en", "zh_CN")
translate = QCoreApplication.translate
# Also said by `renewals`, which reads its dates and period as this command does.
TO_BEFORE_FROM = QT_TRANSLATE_NOOP("ReportCommand", "--to {end} is before --from {start}.")
NOT_A_DATE = QT_TRANSLATE_NOOP(
    "ReportCommand", "{option} “{typed}” is not a date; write it as YYYY-MM-DD."
)


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help=translate(
            "CommandLine",
            "write a report as a PDF: a customer, a quote, the pipeline, activity, renewals, "
            "receivables",
        ),
        description=translate(
            "CommandLine",
            "Write a report as a PDF file, in Chinese or English, with the names and "
            "figures the window shows. Periods: the pipeline forecasts this month and the next "
            "five, activity covers the last seven days, renewals today and the next thirty days, "
            "unless --from and --to say otherwise.",
        ),
    )
    parser.add_argument(
        "kind",
        choices=list(KINDS),
        metavar="KIND",
        help=translate("CommandLine", "one of {kinds}").format(kinds=", ".join(KINDS)),
    )
    parser.add_argument(
        "--customer", metavar="ID", help=translate("CommandLine", "the customer (for `customer`)")
    )
    parser.add_argument(
        "--opportunity",
        metavar="ID",
        help=translate("CommandLine", "the opportunity (for `quote`)"),
    )
    add_period_options(parser)
    parser.add_argument(
        "--owner", metavar="LOGIN", help=translate("CommandLine", "only this person's records")
    )
    parser.add_argument(
        "--language",
        choices=LANGUAGES,
        help=translate(
            "CommandLine",
            "the report's language (default: the one chosen in the window, else the system's)",
        ),
    )
    parser.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="FILE.pdf",
        help=translate("CommandLine", "the file"),
    )
    return parser


def run(args: argparse.Namespace) -> int:
    kind = KINDS[args.kind]
    start, end = typed_day(args.start, "--from"), typed_day(args.end, "--to")
    if start is not None and end is not None and end < start:
        raise UserError(translate("ReportCommand", TO_BEFORE_FROM).format(start=start, end=end))
    if (start or end) and not kind.period:
        raise UserError(
            translate(
                "ReportCommand",
                "The {kind} report has no period: leave out --from and --to "
                "(they are for pipeline, activity and renewals).",
            ).format(kind=args.kind)
        )
    if kind.needs == "customer_id" and not args.customer:
        raise UserError(translate("ReportCommand", "Say which customer: --customer ID."))
    if kind.needs == "opportunity_id" and not args.opportunity:
        raise UserError(
            translate("ReportCommand", "Say which opportunity to quote: --opportunity ID.")
        )
    if args.customer and kind.needs != "customer_id":
        raise UserError(translate("ReportCommand", "--customer is for the customer report only."))
    if args.opportunity and kind.needs != "opportunity_id":
        raise UserError(translate("ReportCommand", "--opportunity is for the quote only."))
    if args.owner and kind.needs is not None:
        raise UserError(
            translate(
                "ReportCommand", "--owner is not for the {kind} report: it is about one record."
            ).format(kind=args.kind)
        )
    today = date.today()
    if kind.period:
        start, end = period(args.kind, today, start, end)
    out = _checked_out(args.out)
    profile = open_profile(args.profile)
    try:
        from crm_desktop.reports import read_report, write_pdf, write_report

        pdf = io.BytesIO()
        with translated(args.language or language_for(profile.store)):
            with profile.store.read() as session:
                options = _options(
                    session, args, profile.user_id, profile.region, today, start, end
                )
                try:
                    report = read_report(args.kind, session, options)
                except ReportError as error:
                    raise UserError(str(error)) from None
            # The layout needs no store, but the language still: the footer is worded there.
            write_report(report, options, pdf)
    finally:
        profile.close()
    try:
        write_pdf(out, pdf.getvalue())
    except OSError as error:
        raise UserError(_could_not_write(out, plain_reason(error))) from None
    print(out)
    return 0


def period(kind: str, today: date, start: date | None, end: date | None) -> tuple[date, date]:
    """The period a report (or the renewals list) covers, as default_period makes it; refused,
    naming the option, when it would run past the first or last day there is."""
    try:
        return default_period(kind, today, start, end)
    except (OverflowError, ValueError):  # days past date.max, months past year 9999
        if start is not None:
            raise UserError(
                translate(
                    "ReportCommand",
                    "--from {start}: the period from it runs past the last day there is "
                    "(9999-12-31); give --to as well.",
                ).format(start=start)
            ) from None
        raise UserError(
            translate(
                "ReportCommand",
                "--to {end}: the period up to it starts before the first day there is "
                "(0001-01-01); give --from as well.",
            ).format(end=end)
        ) from None


def _options(
    session: Session,
    args: argparse.Namespace,
    user_id: str,
    region: str,
    today: date,
    start: date | None,
    end: date | None,
) -> ReportOptions:
    me = session.get(User, user_id)
    return ReportOptions(
        customer_id=args.customer,
        opportunity_id=args.opportunity,
        start=start,
        end=end,
        today=today,
        printed_by=me.name if me is not None else "",
        user_id=user_id,
        owner_ids=(_user_id(session, args.owner),) if args.owner else None,
        region=region,
    )


def _user_id(session: Session, login: str) -> str:
    found = session.scalar(select(User.id).where(User.login == login.strip()))
    if found is None:
        raise UserError(
            translate("ReportCommand", "No user has the login “{login}” on this device.").format(
                login=login
            )
        )
    return found


def add_period_options(parser: argparse.ArgumentParser) -> None:
    """--from and --to, read by typed_day (`report` and `renewals`)."""
    parser.add_argument(
        "--from",
        dest="start",
        metavar="DATE",
        help=translate("CommandLine", "first day, YYYY-MM-DD"),
    )
    parser.add_argument(
        "--to", dest="end", metavar="DATE", help=translate("CommandLine", "last day, YYYY-MM-DD")
    )


def typed_day(typed: str | None, option: str) -> date | None:
    """A day as the window's date fields take it: 2026-01-05, 2026/1/5, 2026年1月5日."""
    if typed is None:
        return None
    try:
        return parse_typed_datetime(typed).date()
    except TypedDateError:
        raise UserError(
            translate("ReportCommand", NOT_A_DATE).format(option=option, typed=typed)
        ) from None


def _could_not_write(out: Path, why: str) -> str:
    return translate("ReportCommand", "Could not write {path}: {why}.").format(path=out, why=why)


def _checked_out(out: Path) -> Path:
    """The file to write, refused before a report is built when it could not be written."""
    out = out.expanduser().absolute()
    try:
        if out.is_dir():
            raise UserError(
                translate(
                    "ReportCommand", "--out {path} is a folder; name the PDF file to write."
                ).format(path=out)
            )
        if not out.parent.is_dir():
            raise UserError(
                translate(
                    "ReportCommand", "Could not write {path}: the folder {folder} does not exist."
                ).format(path=out, folder=out.parent)
            )
        if not os.access(out.parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
            raise UserError(
                translate("ReportCommand", "Could not write {path}: permission denied.").format(
                    path=out
                )
            )
    except OSError as error:  # a name the file system refuses even to look up (too long)
        raise UserError(_could_not_write(out, plain_reason(error))) from None
    return out
