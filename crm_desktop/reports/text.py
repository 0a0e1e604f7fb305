"""The words and figures of the reports, in the user's language.

A report's own messages are marked `T("Reports", "...")` where they are written (so lupdate
finds them; update.sh aliases T) and translated by `say`, which fills their `{placeholders}`
after translation, so a translator may move them. Field names ("Fields") and coded values
("Choices") are the ones the window shows, translated in the window's contexts: the same word
on the screen and on paper, translated once.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from crm_desktop.models.choices import choice_label
from crm_desktop.models.fields import FIELDS
from crm_desktop.models.money import yuan

T = QT_TRANSLATE_NOOP


def say(message: str, **values: object) -> str:
    """A "Reports" message in the user's language, with its placeholders filled."""
    translated = QCoreApplication.translate("Reports", message)
    return translated.format(**values) if values else translated


# Coded values as the window names them ("" for none; an unknown code as stored).
choice = choice_label


def field(entity: str, name: str) -> str:
    """A field's label as the forms and column headers show it."""
    for found in FIELDS[entity]:
        if found.name == name:
            return found.display_label()
    raise KeyError(f"{entity}.{name}")


def money(cents: int | None) -> str:
    """Fen as yuan, exact, grouped by thousands as a printed quote or statement shows money
    ("1,234.50"); the report says once that amounts are in yuan."""
    return "" if cents is None else f"{yuan(cents):,.2f}"


def day(value: date | None) -> str:
    return value.isoformat() if value is not None else ""


def moment(value: datetime | None) -> str:
    """A stored time (naive UTC) on the user's own clock, to the minute."""
    if value is None:
        return ""
    return value.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def percent(value: int | None) -> str:
    return "" if value is None else f"{value}%"


def quantity(value: float | None) -> str:
    """A quantity as typed: 2, 1.5, 0.1 (not 2.0 nor 0.1000000000000000055)."""
    if value is None:
        return ""
    exact = Decimal(repr(float(value))).normalize()
    return f"{exact:f}"


def month(first: date) -> str:
    return first.strftime("%Y-%m")
