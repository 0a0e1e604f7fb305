"""A customer's profile on paper: details and ID numbers, money, contacts, open opportunities,
the last follow-ups and the contracts, as the customer page shows them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from crm_desktop.models.choices import OPEN_STAGES
from crm_desktop.models.phones import display_phone
from crm_desktop.queries.money import contract_money, customer_money
from crm_desktop.queries.records import customer_detail, record_names
from crm_desktop.reports import ReportError, ReportOptions
from crm_desktop.reports.document import (
    Align,
    Column,
    Report,
    details,
    heading,
    note,
    space,
    table,
)
from crm_desktop.reports.text import T, choice, day, field, moment, money, percent, say

# A field's name and its value on one line of a cell.
LABELLED = T("Reports", "{label}: {value}")
# The customer page's details, in its order (crm_desktop/views/customer_page.py).
DETAIL_FIELDS = (
    "short_name",
    "kind",
    "grade",
    "industry",
    "source",
    "phone",
    "phone2",
    "email",
    "website",
    "address",
    "next_followup_at",
    "notes",
)
FOLLOWUPS = 10  # the last follow-ups a profile prints
OPEN = frozenset(stage.value for stage in OPEN_STAGES)
R = Align.RIGHT


def customer_report(session: Session, options: ReportOptions) -> Report:
    assert options.customer_id is not None
    detail = customer_detail(session, options.customer_id)
    if detail is None:
        raise ReportError(
            say(
                T("Reports", "No customer with the id “{id}” is on this device."),
                id=options.customer_id,
            )
        )
    customer = detail.customer
    report = Report(customer["name"], say(T("Reports", "Customer profile")))
    report.add(details(_details(customer, detail.owner_name, options.region)))

    if detail.identifiers:
        report.add(heading(say(T("Reports", "ID numbers"))))
        report.add(details([(choice(item["kind"]), item["value"]) for item in detail.identifiers]))

    # The money as of the report's day (customer_detail's is as of the clock's).
    held = customer_money(session, options.customer_id, options.today)
    report.add(heading(say(T("Reports", "Money as of {date}"), date=options.today)))
    report.add(
        details(
            [
                (say(T("Reports", "Contracted")), money(held.contracted)),
                (say(T("Reports", "Paid")), money(held.paid)),
                (say(T("Reports", "Paid in the last 12 months")), money(held.paid_last_year)),
                (say(T("Reports", "Outstanding")), money(held.outstanding)),
                (say(T("Reports", "Overdue")), money(held.overdue)),
            ]
        )
    )

    report.add(heading(say(T("Reports", "Contacts"))))
    report.add(
        table(
            [
                Column(field("contacts", "name"), 0.2),
                Column(field("contacts", "title"), 0.18),
                Column(field("contacts", "phone"), 0.17),
                Column(field("contacts", "mobile"), 0.17),
                Column(field("contacts", "email"), 0.28),
            ],
            [
                [
                    contact["name"],
                    contact["title"] or "",
                    display_phone(contact["phone"], options.region),
                    display_phone(contact["mobile"], options.region),
                    contact["email"] or "",
                ]
                for contact in detail.contacts
            ],
            empty=say(T("Reports", "No contacts.")),
        )
    )

    _opportunities(session, report, [o for o in detail.opportunities if o["stage"] in OPEN])
    _followups(report, detail.followups)
    _contracts(session, report, detail.contracts, options)
    return report


def _details(customer: dict[str, Any], owner: str | None, region: str) -> list[tuple[str, str]]:
    pairs = [(field("customers", "owner_id"), owner or say(T("Reports", "Public pool")))]
    for name in DETAIL_FIELDS:
        value = customer.get(name)
        if name in ("phone", "phone2"):
            shown = display_phone(value, region)
        elif name in ("kind", "grade"):
            shown = choice(value)
        elif name == "next_followup_at":
            shown = moment(value)
        else:
            shown = str(value or "")
        if name == "grade" and shown and customer.get("grade_fixed"):
            shown = say(T("Reports", "{grade}, fixed by hand"), grade=shown)
            if customer.get("grade_note"):
                shown += f" ({customer['grade_note']})"
        pairs.append((field("customers", name), shown))
    return pairs


def _opportunities(session: Session, report: Report, opportunities: list[dict]) -> None:
    report.add(heading(say(T("Reports", "Open opportunities"))))
    owners = record_names(
        session, [("users", o["owner_id"]) for o in opportunities if o["owner_id"]]
    )
    rows = [
        [
            o["title"],
            choice(o["stage"]),
            money(o["amount_cents"]),
            percent(o["probability"]),
            day(o["expected_close"]),
            owners.get(("users", o["owner_id"]), ""),
        ]
        for o in opportunities
    ]
    total = [
        say(T("Reports", "Total ({count})"), count=len(rows)),
        "",
        money(sum(o["amount_cents"] for o in opportunities)),
        "",
        "",
        "",
    ]
    report.add(
        table(
            [
                Column(field("opportunities", "title"), 0.34),
                Column(field("opportunities", "stage"), 0.12),
                Column(field("opportunities", "amount_cents"), 0.14, R),
                Column(field("opportunities", "probability"), 0.1, R),
                Column(field("opportunities", "expected_close"), 0.14),
                Column(field("opportunities", "owner_id"), 0.16),
            ],
            rows,
            total,
            empty=say(T("Reports", "No open opportunities.")),
        )
    )


def _followups(report: Report, followups: list[dict]) -> None:
    report.add(heading(say(T("Reports", "Last follow-ups"))))
    shown = followups[:FOLLOWUPS]  # customer_detail lists the latest first
    rows = []
    for item in shown:
        said = item["text"] or ""
        labelled = [(name, item.get(name)) for name in ("promise", "next_step")]
        labelled.append(("next_step_at", item.get("next_step_at") and moment(item["next_step_at"])))
        for name, value in labelled:
            if value:
                # A language writes its own colon (Chinese ：).
                said += "\n" + say(LABELLED, label=field("followups", name), value=value)
        by = item.get("logged_by") or ""
        if by and item.get("logged_for"):
            by = say(T("Reports", "{clerk} for {rep}"), clerk=by, rep=item["logged_for"])
        rows.append([moment(item["happened_at"]), choice(item["kind"]), by, said])
    report.add(
        table(
            [
                Column(field("followups", "happened_at"), 0.16),
                Column(field("followups", "kind"), 0.1),
                Column(say(T("Reports", "Logged by")), 0.14),
                Column(field("followups", "text"), 0.6),
            ],
            rows,
            empty=say(T("Reports", "No follow-ups yet.")),
        )
    )
    if len(followups) > len(shown):
        report.add(
            note(
                say(
                    T("Reports", "The latest {shown} of {total} follow-ups."),
                    shown=len(shown),
                    total=len(followups),
                )
            )
        )


def _contracts(
    session: Session, report: Report, contracts: list[dict], options: ReportOptions
) -> None:
    report.add(heading(say(T("Reports", "Contracts"))))
    held = contract_money(session, [c["id"] for c in contracts], options.today)
    rows = []
    for contract in contracts:
        figures = held.get(contract["id"])
        rows.append(
            [
                contract["number"],
                choice(contract["kind"]),
                day(contract["start_on"]),
                day(contract["end_on"]),
                choice(contract["status"]),
                money(contract["amount_cents"]),
                money(figures.outstanding) if figures else "",
                money(figures.overdue) if figures else "",
            ]
        )
    # Outstanding and overdue add up (a draft's are zero); amounts would count drafts too.
    total = [
        say(T("Reports", "Total ({count})"), count=len(rows)),
        "",
        "",
        "",
        "",
        "",
        money(sum(m.outstanding for m in held.values())),
        money(sum(m.overdue for m in held.values())),
    ]
    report.add(
        table(
            [
                Column(field("contracts", "number"), 0.2),
                Column(field("contracts", "kind"), 0.08),
                Column(field("contracts", "start_on"), 0.11),
                Column(field("contracts", "end_on"), 0.11),
                Column(field("contracts", "status"), 0.08),
                Column(field("contracts", "amount_cents"), 0.14, R),
                Column(say(T("Reports", "Outstanding")), 0.14, R),
                Column(say(T("Reports", "Overdue")), 0.14, R),
            ],
            rows,
            total,
            empty=say(T("Reports", "No contracts.")),
        )
    )
    report.add(space())
