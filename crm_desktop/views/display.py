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
}


def choice_label(code: str | None) -> str:
    if code is None:
        return ""
    label = CHOICE_LABELS.get(code)
    return QCoreApplication.translate("Choices", label) if label else code


def local_datetime(value: datetime) -> datetime:
    """Stored times are naive UTC; people read their own clock."""
    return value.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def format_money(cents: int | None) -> str:
    if cents is None:
        return ""
    return "¥" + QLocale().toString(cents / 100, "f", 2)


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
