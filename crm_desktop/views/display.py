"""How raw stored values read on screen: translated choice labels, local times, money."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QLabel

from crm_desktop.models.choices import CHOICE_LABELS, choice_label
from crm_desktop.models.dates import is_day_only
from crm_desktop.models.fields import Kind
from crm_desktop.models.phones import DEFAULT_REGION, display_phone

__all__ = [
    "CHOICE_LABELS",
    "ERROR_STYLE",
    "choice_label",
    "error_label",
    "format_money",
    "format_value",
    "local_datetime",
    "local_minute",
]

ERROR_STYLE = "color: #b00020;"


def local_datetime(value: datetime) -> datetime:
    """Stored times are naive UTC; people read their own clock."""
    return value.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)


def local_minute(value: datetime) -> str:
    """A stored time (naive UTC) as the user's clock shows it, to the minute."""
    return local_datetime(value).strftime("%Y-%m-%d %H:%M")


def error_label(name: str) -> QLabel:
    """A hidden label for a sentence about what is wrong, in the forms' red."""
    label = QLabel()
    label.setObjectName(name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


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
        # A day given without a time (stored at its local midnight) is shown as that day.
        shown = "%Y-%m-%d" if is_day_only(value) else "%Y-%m-%d %H:%M"
        return local_datetime(value).strftime(shown)
    if kind is Kind.DATE and isinstance(value, date):
        return value.isoformat()
    return str(value)
