"""How raw stored values read on screen: translated choice labels, local times, money."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale

from crm_desktop.models.fields import Kind
from crm_desktop.models.phones import DEFAULT_REGION, display_phone

T = QT_TRANSLATE_NOOP

# Labels of coded values, marked here and translated when shown (context "Choices").
CHOICE_LABELS: dict[str, str] = {
    "admin": T("Choices", "Administrator"),
    "manager": T("Choices", "Manager"),
    "rep": T("Choices", "Sales rep"),
    "clerk": T("Choices", "Clerk"),
    "company": T("Choices", "Company"),
    "person": T("Choices", "Person"),
    "A": T("Choices", "A (top 5%)"),
    "B": T("Choices", "B (next 15%)"),
    "C": T("Choices", "C"),
    "tax_number": T("Choices", "Tax number"),
    "id_card": T("Choices", "ID card number"),
    "policy_number": T("Choices", "Policy number"),
    "licence_plate": T("Choices", "Licence plate"),
    "member_number": T("Choices", "Member number"),
    "other": T("Choices", "Other"),
    "lead": T("Choices", "Lead"),
    "qualified": T("Choices", "Qualified"),
    "proposal": T("Choices", "Proposal"),
    "negotiation": T("Choices", "Negotiation"),
    "won": T("Choices", "Won"),
    "lost": T("Choices", "Lost"),
    "low": T("Choices", "Low"),
    "normal": T("Choices", "Normal"),
    "high": T("Choices", "High"),
    "call": T("Choices", "Phone call"),
    "visit": T("Choices", "Visit"),
    "email": T("Choices", "Email"),
    "message": T("Choices", "Message"),
    "note": T("Choices", "Note"),
    "sale": T("Choices", "Sale"),
    "service": T("Choices", "Service"),
    "policy": T("Choices", "Policy"),
    "membership": T("Choices", "Membership"),
    "draft": T("Choices", "Draft"),
    "active": T("Choices", "Active"),
    "ended": T("Choices", "Ended"),
    "terminated": T("Choices", "Terminated"),
    "undecided": T("Choices", "Undecided"),
    "renewing": T("Choices", "Renewing"),
    "not_renewing": T("Choices", "Not renewing"),
    "renewed": T("Choices", "Renewed"),
    "transfer": T("Choices", "Bank transfer"),
    "cash": T("Choices", "Cash"),
    "card": T("Choices", "Card"),
    "wechat": T("Choices", "WeChat Pay"),
    "alipay": T("Choices", "Alipay"),
    "cheque": T("Choices", "Cheque"),
}


def choice_label(code: str | None) -> str:
    if code is None:
        return ""
    label = CHOICE_LABELS.get(code)
    return QCoreApplication.translate("Choices", label) if label else code


def local_datetime(value: datetime) -> datetime:
    """Stored times are naive UTC; people read their own clock."""
    return value.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


CURRENCY_SIGN = "¥"  # amounts are in yuan (CNY)


def format_money(cents: int | None) -> str:
    """Fen as yuan in the locale's digits and separators ("¥1,234.50"), exactly: the whole
    yuan and the fen are formatted apart, never through a float."""
    if cents is None:
        return ""
    locale = QLocale()
    sign = "-" if cents < 0 else ""
    yuan, fen = divmod(abs(int(cents)), 100)
    return f"{sign}{CURRENCY_SIGN}{locale.toString(yuan)}{locale.decimalPoint()}{fen:02d}"


def format_value(kind: Kind, value: Any, region: str = DEFAULT_REGION) -> str:
    """Display text of a raw value of the given kind ("" for nothing)."""
    if value is None:
        return ""
    if kind is Kind.PHONE:
        return display_phone(value, region)
    if kind is Kind.CHOICE:
        return choice_label(value)
    if kind is Kind.MONEY:
        return format_money(value)
    if kind is Kind.BOOL:
        return "✓" if value else ""
    if kind is Kind.DATETIME and isinstance(value, datetime):
        return local_datetime(value).strftime("%Y-%m-%d %H:%M")
    if kind is Kind.DATE and isinstance(value, date):
        return value.isoformat()
    return str(value)
