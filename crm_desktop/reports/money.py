"""The money lists on paper: the renewal list of a period and the receivables, as the Renewals
and Receivables screens show them (queries/money.renewals and receivables)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from crm_desktop.queries.money import receivables, renewals
from crm_desktop.reports import ReportOptions, default_period
from crm_desktop.reports.chosen import narrowed
from crm_desktop.reports.document import Align, Column, Report, note, table
from crm_desktop.reports.text import T, choice, day, field, money, say

R = Align.RIGHT


def renewals_report(session: Session, options: ReportOptions) -> Report:
    start, end = default_period("renewals", options.today, options.start, options.end)
    owners = options.owner_ids
    # The query takes one owner; several (a manager's choice) are kept here.
    one = owners[0] if owners is not None and len(owners) == 1 else None
    lines = renewals(
        session,
        start,
        end,
        owner_id=one,
        kind=options.contract_kind,
        renewal_status=options.renewal_status,
    )
    if owners is not None:
        lines = [line for line in lines if line.owner_id in owners]
    report = Report(
        say(T("Reports", "Renewals")),
        narrowed(
            say(T("Reports", "Contracts ending from {start} to {end}"), start=start, end=end),
            session,
            options,
        ),
        wide=True,
    )
    rows = [
        [
            day(line.end_on),
            line.number,
            line.customer,
            choice(line.kind),
            money(line.amount),
            # The note the renewals list shows beside it (客户已口头同意续签), under it here.
            "\n".join(filter(None, (choice(line.renewal_status), line.renewal_note))),
            line.renewed_by or "",
            line.owner or "",
        ]
        for line in lines
    ]
    total = [
        say(T("Reports", "Total ({count})"), count=len(rows)),
        "",
        "",
        "",
        money(sum(line.amount for line in lines)),
        "",
        "",
        "",
    ]
    report.add(
        table(
            [
                Column(field("contracts", "end_on"), 0.08),
                Column(field("contracts", "number"), 0.16),
                Column(field("contracts", "customer_id"), 0.2),
                Column(field("contracts", "kind"), 0.05),
                Column(field("contracts", "amount_cents"), 0.09, R),
                Column(field("contracts", "renewal_status"), 0.16),
                Column(say(T("Reports", "Renewed by")), 0.16),
                Column(field("contracts", "owner_id"), 0.1),
            ],
            rows,
            total,
            empty=say(T("Reports", "No contract ends in this period.")),
        )
    )
    return report


def receivables_report(session: Session, options: ReportOptions) -> Report:
    lines = receivables(session, options.today, options.owner_ids)
    report = Report(
        say(T("Reports", "Receivables")),
        narrowed(
            say(T("Reports", "Customers with money overdue on {date}"), date=options.today),
            session,
            options,
        ),
    )
    rows = [
        [
            line.customer,
            line.owner or "",
            money(line.overdue),
            day(line.overdue_since),
            money(line.outstanding),
            str(line.contracts),
        ]
        for line in lines
    ]
    total = [
        say(T("Reports", "Total ({count})"), count=len(rows)),
        "",
        money(sum(line.overdue for line in lines)),
        "",
        money(sum(line.outstanding for line in lines)),
        str(sum(line.contracts for line in lines)),
    ]
    report.add(
        table(
            [
                Column(field("contracts", "customer_id"), 0.3),
                Column(field("customers", "owner_id"), 0.14),
                Column(say(T("Reports", "Overdue")), 0.14, R),
                Column(say(T("Reports", "Overdue since")), 0.13),
                Column(say(T("Reports", "Outstanding")), 0.16, R),
                Column(say(T("Reports", "Contracts overdue")), 0.13, R),
            ],
            rows,
            total,
            empty=say(T("Reports", "No customer has money overdue.")),
        )
    )
    if rows:
        report.add(
            note(
                say(
                    T(
                        "Reports",
                        "Outstanding: what the customers' signed contracts hold beyond what "
                        "was paid; overdue: what fell due before {date} and is not paid.",
                    ),
                    date=options.today,
                )
            )
        )
    return report
