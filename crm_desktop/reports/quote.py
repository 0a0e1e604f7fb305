"""A quote for an opportunity: the company's letterhead and logo (set by an administrator),
who it is for, its product lines and their total."""

from __future__ import annotations

import io
import logging

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, HRFlowable, Image, Table, TableStyle
from sqlalchemy.orm import Session

from crm_desktop.models.phones import display_phone
from crm_desktop.queries.company import Letterhead, letterhead
from crm_desktop.queries.money import quote_lines
from crm_desktop.queries.records import record_names, record_values
from crm_desktop.reports import ReportError, ReportOptions
from crm_desktop.reports.document import (
    MARGIN,
    PAGE_SIZE,
    RULE,
    Align,
    Column,
    Report,
    details,
    heading,
    note,
    paragraph,
    space,
    styles,
    table,
)
from crm_desktop.reports.text import T, field, money, quantity, say

log = logging.getLogger(__name__)

LOGO_HEIGHT = 20 * mm  # at most; a wide logo is held to LOGO_WIDTH
LOGO_WIDTH = 50 * mm
R = Align.RIGHT


def quote_report_of(session: Session, options: ReportOptions) -> Report:
    """The quote with the letterhead this device last synced."""
    return quote_report(session, options, letterhead(session))


def quote_report(session: Session, options: ReportOptions, company: Letterhead | None) -> Report:
    """The quote of `options.opportunity_id`, under `company`'s letterhead (None: none)."""
    assert options.opportunity_id is not None
    opportunity = record_values(session, "opportunities", options.opportunity_id)
    if opportunity is None:
        raise ReportError(
            say(
                T("Reports", "No opportunity with the id “{id}” is on this device."),
                id=options.opportunity_id,
            )
        )
    customer = record_values(session, "customers", opportunity["customer_id"]) or {}
    contact = (
        record_values(session, "contacts", opportunity["contact_id"])
        if opportunity["contact_id"]
        else None
    )
    owner_key = ("users", opportunity["owner_id"] or "")
    owner = record_names(session, [owner_key]).get(owner_key, "")

    report = Report(say(T("Reports", "Quotation")), opportunity["title"])
    if company is not None:
        report.header.extend(_letterhead(company))
    contact_line = ""
    if contact is not None:
        phone = display_phone(contact["mobile"] or contact["phone"], options.region)
        contact_line = " · ".join(
            part for part in (contact["name"], contact["title"], phone, contact["email"]) if part
        )
    report.add(
        details(
            [
                (say(T("Reports", "To")), customer.get("name") or ""),
                (field("customers", "address"), customer.get("address") or ""),
                (field("opportunities", "contact_id"), contact_line),
                (say(T("Reports", "Date")), options.today.isoformat()),
                (say(T("Reports", "Prepared by")), owner),
            ]
        )
    )

    lines = quote_lines(session, options.opportunity_id)
    report.add(heading(say(T("Reports", "Products"))))
    rows = [
        [
            str(number),
            line.product,
            quantity(line.quantity),
            money(line.unit_price),
            f"{line.discount_percent}%" if line.discount_percent else "",
            money(line.total),
        ]
        for number, line in enumerate(lines, 1)
    ]
    total = sum(line.total for line in lines)
    report.add(
        table(
            [
                Column(say(T("Reports", "No.")), 0.06),
                Column(field("opportunity_lines", "product_id"), 0.4),
                Column(field("opportunity_lines", "quantity"), 0.1, R),
                Column(field("opportunity_lines", "unit_price_cents"), 0.15, R),
                Column(field("opportunity_lines", "discount_percent"), 0.11, R),
                Column(say(T("Reports", "Line total")), 0.18, R),
            ],
            rows,
            [say(T("Reports", "Total")), "", "", "", "", money(total)],
            empty=say(
                T("Reports", "No product lines: the amount quoted is {amount}."),
                amount=money(opportunity["amount_cents"]),
            ),
        )
    )
    if lines:
        report.add(note(say(T("Reports", "Amounts in yuan (CNY)."))))
    report.add(space())
    return report


def _letterhead(company: Letterhead) -> list[Flowable]:
    look = styles()
    text: list[Flowable] = [paragraph(company.name, look.heading)]
    for line in (
        company.address,
        " · ".join(part for part in (company.phone, company.email, company.website) if part),
        say(T("Reports", "Tax number: {number}"), number=company.tax_id)
        if company.tax_id
        else None,
    ):
        if line:
            text.append(paragraph(line, look.note))
    logo = _logo(company.logo)
    if logo is None:
        block = text
    else:
        beside = logo.drawWidth + 6 * mm
        block = [
            Table(
                [[logo, text]],
                colWidths=[beside, PAGE_SIZE[0] - 2 * MARGIN - beside],
                style=TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ]
                ),
                hAlign="LEFT",
            )
        ]
    return [*block, space(4), HRFlowable(width="100%", thickness=0.6, color=RULE), space(8)]


def _logo(data: bytes | None) -> Image | None:
    """The logo at its proportions within LOGO_WIDTH × LOGO_HEIGHT; None without one, or when
    it is not an image reportlab reads (the quote then prints without it)."""
    if not data:
        return None
    try:
        width, height = ImageReader(io.BytesIO(data)).getSize()
    except Exception:  # reportlab wraps PIL's errors in its own; a bad logo must not stop a quote
        log.warning("the letterhead's logo is not a PNG or JPEG image reportlab can read")
        return None
    scale = min(LOGO_HEIGHT / height, LOGO_WIDTH / width)
    return Image(io.BytesIO(data), width=width * scale, height=height * scale)
