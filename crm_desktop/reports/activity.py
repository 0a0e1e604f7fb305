"""The team's activity over a period: per person, the counts the Team activity screen shows
(queries/work_logs.team_activity), then what each one did (day_summary: the follow-ups he
logged, the customers he added, the tasks he finished)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from crm_desktop.queries.figures import Period
from crm_desktop.queries.work_logs import DaySummary, day_summary, team_activity, team_of
from crm_desktop.reports import ReportOptions, default_period
from crm_desktop.reports.document import Align, Column, Report, heading, note, table
from crm_desktop.reports.text import T, choice, field, moment, say

R = Align.RIGHT


def activity_report(session: Session, options: ReportOptions) -> Report:
    start, end = default_period("activity", options.today, options.start, options.end)
    # Local days, as the user reads them, as the stored UTC times' bounds.
    since, until = Period(start, end).utc_bounds()
    departed: frozenset[str] = frozenset()
    if options.owner_ids is not None:
        people = list(options.owner_ids)
    else:
        assert options.user_id is not None, "the activity report is of a user's team"
        team = team_of(session, options.user_id)
        people = [person for person, _name in (*team.members, *team.departed)]
        departed = team.departed_ids
    rows = team_activity(session, people, since, until, departed)
    report = Report(
        say(T("Reports", "Team activity")),
        say(T("Reports", "From {start} to {end}"), start=start, end=end),
    )
    report.add(
        table(
            [
                Column(say(T("Reports", "Person")), 0.28),
                Column(say(T("Reports", "Follow-ups")), 0.18, R),
                Column(say(T("Reports", "Customers added")), 0.18, R),
                Column(say(T("Reports", "Tasks done")), 0.18, R),
                Column(say(T("Reports", "Opportunities changed")), 0.18, R),
            ],
            [
                [
                    row.name,
                    str(row.followups),
                    str(row.customers_added),
                    str(row.tasks_done),
                    str(row.opportunities_changed),
                ]
                for row in rows
            ],
            [
                say(T("Reports", "Total ({count})"), count=len(rows)),
                str(sum(row.followups for row in rows)),
                str(sum(row.customers_added for row in rows)),
                str(sum(row.tasks_done for row in rows)),
                str(sum(row.opportunities_changed for row in rows)),
            ],
            empty=say(T("Reports", "Nobody to report on.")),
        )
    )
    for row in rows:
        summary = day_summary(session, row.user_id, since, until)
        if not summary.is_empty():
            _person(report, row.name, summary)
    return report


def _person(report: Report, name: str, summary: DaySummary) -> None:
    report.add(heading(name))
    if summary.followups:
        report.add(
            table(
                [
                    Column(field("followups", "happened_at"), 0.17),
                    Column(field("followups", "customer_id"), 0.25),
                    Column(field("followups", "kind"), 0.1),
                    Column(field("followups", "text"), 0.48),
                ],
                [
                    [moment(line.happened_at), line.customer_name, choice(line.kind), line.text]
                    for line in summary.followups
                ],
            )
        )
        _more(report, len(summary.followups), summary.followups_total)
    if summary.new_customers:
        report.add(
            table(
                [Column(say(T("Reports", "Customers added")), 1.0)],
                [[customer] for customer in summary.new_customers],
            )
        )
        _more(report, len(summary.new_customers), summary.new_customers_total)
    if summary.tasks_done:
        report.add(
            table(
                [
                    Column(say(T("Reports", "Tasks done")), 0.6),
                    Column(field("tasks", "customer_id"), 0.4),
                ],
                [[task.title, task.customer_name or ""] for task in summary.tasks_done],
            )
        )
        _more(report, len(summary.tasks_done), summary.tasks_done_total)


def _more(report: Report, shown: int, total: int) -> None:
    if total > shown:
        report.add(
            note(say(T("Reports", "The first {shown} of {total}."), shown=shown, total=total))
        )
