"""The pipeline and its forecast: the open opportunities by stage, the forecast by month of
expected close over the period, and every open opportunity, with the dashboard's figures
(queries/figures: one definition of "pipeline", "weighted" and "forecast")."""

from __future__ import annotations

from sqlalchemy.orm import Session

from crm_desktop.queries.figures import (
    Filters,
    Period,
    forecast_by_month,
    open_opportunities,
    pipeline_by_stage,
)
from crm_desktop.reports import ReportOptions, default_period
from crm_desktop.reports.chosen import narrowed
from crm_desktop.reports.document import Align, Column, Report, heading, note, table
from crm_desktop.reports.text import T, choice, day, field, money, month, percent, say

R = Align.RIGHT


def pipeline_report(session: Session, options: ReportOptions) -> Report:
    start, end = default_period("pipeline", options.today, options.start, options.end)
    filters = Filters(options.owner_ids, options.grade, options.industry)
    stages = pipeline_by_stage(session, filters)
    months = forecast_by_month(session, filters, Period(start, end))
    # Every open one, so the lines add up to the stages' total above them.
    lines = open_opportunities(session, filters)
    report = Report(
        say(T("Reports", "Pipeline and forecast")),
        narrowed(
            say(
                T("Reports", "Open opportunities on {date}; forecast from {start} to {end}"),
                date=options.today,
                start=start,
                end=end,
            ),
            session,
            options,
        ),
    )
    count = say(T("Reports", "Opportunities"))
    amount = field("opportunities", "amount_cents")
    weighted = say(T("Reports", "Weighted"))

    report.add(heading(say(T("Reports", "By stage"))))
    report.add(
        table(
            [
                Column(field("opportunities", "stage"), 0.4),
                Column(count, 0.2, R),
                Column(amount, 0.2, R),
                Column(weighted, 0.2, R),
            ],
            [[choice(s.stage), str(s.count), money(s.amount), money(s.weighted)] for s in stages],
            [
                say(T("Reports", "Total")),
                str(sum(s.count for s in stages)),
                money(sum(s.amount for s in stages)),
                money(sum(s.weighted for s in stages)),
            ],
        )
    )

    report.add(heading(say(T("Reports", "Forecast by month of expected close"))))
    report.add(
        table(
            [
                Column(say(T("Reports", "Month")), 0.4),
                Column(count, 0.2, R),
                Column(amount, 0.2, R),
                Column(weighted, 0.2, R),
            ],
            [[month(m.month), str(m.count), money(m.amount), money(m.weighted)] for m in months],
            [
                say(T("Reports", "Total")),
                str(sum(m.count for m in months)),
                money(sum(m.amount for m in months)),
                money(sum(m.weighted for m in months)),
            ],
        )
    )

    report.add(heading(say(T("Reports", "Open opportunities"))))
    report.add(
        table(
            [
                Column(field("opportunities", "customer_id"), 0.19),
                Column(field("opportunities", "title"), 0.17),
                Column(field("opportunities", "stage"), 0.12),  # 需求确认 on one line
                Column(field("opportunities", "amount_cents"), 0.12, R),
                Column(say(T("Reports", "Prob.")), 0.06, R),
                Column(weighted, 0.12, R),
                Column(field("opportunities", "expected_close"), 0.12),
                Column(field("opportunities", "owner_id"), 0.1),
            ],
            [
                [
                    line.customer,
                    line.title,
                    choice(line.stage),
                    money(line.amount),
                    percent(line.probability),
                    money(line.weighted),
                    day(line.expected_close),
                    line.owner or "",
                ]
                for line in lines
            ],
            [
                say(T("Reports", "Total ({count})"), count=len(lines)),
                "",
                "",
                money(sum(line.amount for line in lines)),
                "",
                money(sum(line.weighted for line in lines)),
                "",
                "",
            ],
            empty=say(T("Reports", "No open opportunities.")),
        )
    )
    report.add(
        note(
            say(
                T(
                    "Reports",
                    "Weighted: each amount times its probability, to the fen. Amounts in "
                    "yuan (CNY).",
                )
            )
        )
    )
    return report
