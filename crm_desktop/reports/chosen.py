"""What a report was narrowed to, said under its title: a pipeline printed for one rep, one
grade or one industry (the dashboard's filters), or a renewal list of one kind or status, must
not read as the whole company's."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_desktop.models.entities import User
from crm_desktop.reports import ReportOptions
from crm_desktop.reports.text import T, choice, field, say


def chosen_filters(session: Session, options: ReportOptions) -> str:
    """ "Owner: 李娜 · Grade: A (top 5%)", or "" for a report of everything held."""
    parts: list[tuple[str, str]] = []
    if options.owner_ids is not None and options.owners_chosen:
        names = session.scalars(
            select(User.name).where(User.id.in_(options.owner_ids)).order_by(User.name_sort)
        ).all()
        # The list's own separator: "、" in Chinese.
        parts.append((field("customers", "owner_id"), say(T("Reports", ", ")).join(names) or "–"))
    if options.grade is not None:
        parts.append((field("customers", "grade"), choice(options.grade)))
    if options.industry is not None:
        parts.append((field("customers", "industry"), options.industry))
    if options.contract_kind is not None:
        parts.append((field("contracts", "kind"), choice(options.contract_kind)))
    if options.renewal_status is not None:
        parts.append((field("contracts", "renewal_status"), choice(options.renewal_status)))
    return " · ".join(
        say(T("Reports", "{label}: {value}"), label=label, value=value) for label, value in parts
    )


def narrowed(subtitle: str, session: Session, options: ReportOptions) -> str:
    """The subtitle, with what the report was narrowed to after it."""
    chosen = chosen_filters(session, options)
    return f"{subtitle} · {chosen}" if chosen else subtitle
