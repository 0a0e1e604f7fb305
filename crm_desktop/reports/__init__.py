"""PDF reports: a customer's profile, a quote, the pipeline and forecast, the team's activity,
the renewal list and the receivables.

Every figure a report prints comes from the query functions the screens use (queries/records,
queries/money, queries/work_logs, queries/figures), so "overdue", "pipeline" and "forecast"
mean the same on paper. Reports read through a session and write a PDF; they touch no widget
and may run on the storage thread:

    with store.read() as session:
        pages = build_report("pipeline", session, ReportOptions(printed_by="张三"), path)

or, to keep the storage thread only for the reads, `read_report` there and `write_report`
(layout and PDF, no session) on another thread.

This module loads no reportlab: the command line imports it to list the kinds.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from sqlalchemy.orm import Session

from crm_desktop.models.contracts import add_months
from crm_desktop.models.phones import DEFAULT_REGION
from crm_desktop.storage.files import written_whole

if TYPE_CHECKING:  # reportlab loads only when a report is built
    from crm_desktop.reports.document import Report


@dataclass(frozen=True)
class ReportOptions:
    """What a report is about, and for whom it is printed."""

    customer_id: str | None = None  # the customer report's
    opportunity_id: str | None = None  # the quote's
    start: date | None = None  # the period (both days included); None: the kind's default
    end: date | None = None
    today: date = field(default_factory=date.today)  # the day money is due by, and printed on
    printed_by: str = ""  # the name in every page's footer
    user_id: str | None = None  # whose team the activity report covers (the profile's user)
    owner_ids: tuple[str, ...] | None = None  # only these people's records (None: all held)
    # Whether owner_ids was chosen (named under the title), not merely everyone the viewer
    # may see (the dashboard's scope when nobody is chosen: a manager's whole team).
    owners_chosen: bool = True
    # The dashboard's own filters on customers (None: any), so its PDF is what it shows.
    grade: str | None = None
    industry: str | None = None
    # The renewal list's own filters, as its screen sets them (None: any).
    contract_kind: str | None = None
    renewal_status: str | None = None
    region: str = DEFAULT_REGION  # how phone numbers are written


class ReportError(Exception):
    """A report that cannot be built from this store; the message is one plain sentence in the
    user's language (the customer or opportunity is not on this device)."""

    def text(self) -> str:
        """The sentence, as the window's known errors give theirs."""
        return str(self)


@dataclass(frozen=True)
class Kind:
    needs: str | None  # the option it cannot do without: "customer_id", "opportunity_id"
    period: bool  # covers a period (--from, --to)


KINDS: dict[str, Kind] = {
    "customer": Kind("customer_id", period=False),
    "quote": Kind("opportunity_id", period=False),
    "pipeline": Kind(None, period=True),
    "activity": Kind(None, period=True),
    "renewals": Kind(None, period=True),
    "receivables": Kind(None, period=False),
}

FORECAST_MONTHS = 6  # the pipeline's forecast: this month and the next five
ACTIVITY_DAYS = 7  # the activity report: the last seven days, today included
RENEWAL_DAYS = 30  # the renewal list: today and the next thirty days, as `crm-desktop renewals`


def default_period(
    kind: str, today: date, start: date | None = None, end: date | None = None
) -> tuple[date, date]:
    """The period a kind covers: the days given, or its default span from the one given (or
    around today when neither is)."""
    if start is not None and end is not None:
        return start, end
    if kind == "pipeline":  # whole months, from this one
        if start is None and end is None:
            start = today.replace(day=1)
        if start is not None:
            after = add_months(start, FORECAST_MONTHS)
            # Six months from the 31st end on the sixth month's last day (30 April), not on
            # the day before it: that month has no 31st to be the first day after the period.
            return start, after if after.day != start.day else after - timedelta(days=1)
        assert end is not None
        return add_months(end + timedelta(days=1), -FORECAST_MONTHS), end
    span = timedelta(days=ACTIVITY_DAYS - 1 if kind == "activity" else RENEWAL_DAYS)
    if start is None and end is None:
        # Activity looks back to today, renewals ahead from it.
        return (today - span, today) if kind == "activity" else (today, today + span)
    if start is not None:
        return start, start + span
    assert end is not None
    return end - span, end


def build_report(
    kind: str, session: Session, options: ReportOptions, out: Path | str | BinaryIO
) -> int:
    """Build a report of this kind (a key of KINDS) and write it as a PDF to a path (see
    write_pdf) or a binary stream; the number of pages. ReportError when its customer or
    opportunity is not on this device; OSError when the file cannot be written."""
    return write_report(read_report(kind, session, options), options, out)


def read_report(kind: str, session: Session, options: ReportOptions) -> Report:
    """The report's reads, worded in the user's language: what needs the session (a second
    for the pipeline of 100,000 customers). ReportError as build_report."""
    # reportlab loads here, when a report is built, not whenever the command line starts.
    from crm_desktop.reports import activity, customer, money, pipeline, quote

    if kind not in KINDS:
        raise ValueError(f"no report kind {kind!r}")
    needs = KINDS[kind].needs
    if needs is not None and not getattr(options, needs):
        raise ValueError(f"the {kind} report needs {needs}")
    builders = {
        "customer": customer.customer_report,
        "quote": quote.quote_report_of,
        "pipeline": pipeline.pipeline_report,
        "activity": activity.activity_report,
        "renewals": money.renewals_report,
        "receivables": money.receivables_report,
    }
    return builders[kind](session, options)


def write_report(report: Report, options: ReportOptions, out: Path | str | BinaryIO) -> int:
    """Lay a report read by read_report out on pages and write it, as build_report; needs no
    session, so it may run off the storage thread (three seconds for a thousand pages)."""
    from crm_desktop.reports.document import render

    if not isinstance(out, (str, Path)):
        return render(report, out, options.printed_by, options.today)
    buffer = io.BytesIO()
    pages = render(report, buffer, options.printed_by, options.today)
    write_pdf(Path(out), buffer.getvalue())
    return pages


def write_pdf(path: Path, data: bytes) -> None:
    """Written whole or not at all (storage/files.py): a viewer showing the old report, or a
    disk that fills up, never sees half a PDF. OSError when it cannot be written."""
    with written_whole(path) as partial:
        partial.write_bytes(data)
