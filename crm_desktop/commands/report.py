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
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_desktop.commands.errors import UserError
from crm_desktop.models.dates import TypedDateError, parse_typed_datetime
from crm_desktop.models.entities import User
from crm_desktop.profile import open_profile
from crm_desktop.reports import KINDS, ReportError, ReportOptions, default_period

LANGUAGES = ("en", "zh_CN")


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help="write a report as a PDF: a customer, a quote, the pipeline, activity, renewals, "
        "receivables",
        description="Write a report as a PDF file, in Chinese or English, with the names and "
        "figures the window shows. Periods: the pipeline forecasts this month and the next "
        "five, activity covers the last seven days, renewals today and the next thirty days, "
        "unless --from and --to say otherwise.",
    )
    parser.add_argument("kind", choices=list(KINDS), metavar="KIND", help=", ".join(KINDS))
    parser.add_argument("--customer", metavar="ID", help="the customer (for `customer`)")
    parser.add_argument("--opportunity", metavar="ID", help="the opportunity (for `quote`)")
    parser.add_argument("--from", dest="start", metavar="DATE", help="first day, YYYY-MM-DD")
    parser.add_argument("--to", dest="end", metavar="DATE", help="last day, YYYY-MM-DD")
    parser.add_argument("--owner", metavar="LOGIN", help="only this person's records")
    parser.add_argument(
        "--language",
        choices=LANGUAGES,
        help="the report's language (default: the one chosen in the window, else the system's)",
    )
    parser.add_argument("--out", required=True, type=Path, metavar="FILE.pdf", help="the file")
    return parser


def run(args: argparse.Namespace) -> int:
    kind = KINDS[args.kind]
    start, end = _day(args.start, "--from"), _day(args.end, "--to")
    if start is not None and end is not None and end < start:
        raise UserError(f"--to {end} is before --from {start}.")
    if (start or end) and not kind.period:
        raise UserError(
            f"The {args.kind} report has no period: leave out --from and --to "
            "(they are for pipeline, activity and renewals)."
        )
    if kind.needs == "customer_id" and not args.customer:
        raise UserError("Say which customer: --customer ID.")
    if kind.needs == "opportunity_id" and not args.opportunity:
        raise UserError("Say which opportunity to quote: --opportunity ID.")
    if args.customer and kind.needs != "customer_id":
        raise UserError("--customer is for the customer report only.")
    if args.opportunity and kind.needs != "opportunity_id":
        raise UserError("--opportunity is for the quote only.")
    if args.owner and kind.needs is not None:
        raise UserError(f"--owner is not for the {args.kind} report: it is about one record.")
    out = _checked_out(args.out)
    profile = open_profile(args.profile)
    try:
        from crm_desktop.app import language_for
        from crm_desktop.reports import read_report, write_pdf, write_report

        pdf = io.BytesIO()
        with _language(args.language or language_for(profile.store)):
            with profile.store.read() as session:
                options = _options(session, args, profile.user_id, profile.region, start, end)
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
        raise UserError(f"Could not write {out}: {error.strerror or error}.") from None
    print(out)
    return 0


def _options(
    session: Session,
    args: argparse.Namespace,
    user_id: str,
    region: str,
    start: date | None,
    end: date | None,
) -> ReportOptions:
    today = date.today()
    if KINDS[args.kind].period:
        start, end = default_period(args.kind, today, start, end)
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
        raise UserError(f"No user has the login “{login}” on this device.")
    return found


def _day(typed: str | None, option: str) -> date | None:
    """A day as the window's date fields take it: 2026-01-05, 2026/1/5, 2026年1月5日."""
    if typed is None:
        return None
    try:
        return parse_typed_datetime(typed).date()
    except TypedDateError:
        raise UserError(f"{option} “{typed}” is not a date; write it as YYYY-MM-DD.") from None


def _checked_out(out: Path) -> Path:
    """The file to write, refused before a report is built when it could not be written."""
    out = out.expanduser().absolute()
    try:
        if out.is_dir():
            raise UserError(f"--out {out} is a folder; name the PDF file to write.")
        if not out.parent.is_dir():
            raise UserError(f"Could not write {out}: the folder {out.parent} does not exist.")
        if not os.access(out.parent, os.W_OK) or (out.exists() and not os.access(out, os.W_OK)):
            raise UserError(f"Could not write {out}: permission denied.")
    except OSError as error:  # a name the file system refuses even to look up (too long)
        raise UserError(f"Could not write {out}: {error.strerror or error}.") from None
    return out


@contextmanager
def _language(language: str) -> Iterator[None]:
    """The report's words in `language` while it is built; what was installed before (a test's
    application, say) is as it was after."""
    from PySide6.QtCore import QCoreApplication, QLocale

    from crm_desktop.app import install_translators

    # Translators need an application object: a window's (or a test's) when there is one.
    existing = QCoreApplication.instance()
    app = existing or QCoreApplication([])
    before = QLocale()
    translators = install_translators(app, language)
    try:
        yield
    finally:
        for translator in translators:
            app.removeTranslator(translator)
        QLocale.setDefault(before)
        if existing is None:
            # Ours: torn down now, not left to Python's finalisation, which may free objects
            # Qt still points at (a crash at exit; crm_desktop/app.py does the same).
            app.shutdown()
