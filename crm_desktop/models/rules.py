"""Turning what a user typed (in a form or a CSV cell) into stored values, or refusing it."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from crm_desktop.models.fields import FIELDS_BY_NAME, Field, Kind
from crm_desktop.models.phones import normalize_phone
from crm_desktop.models.validation import InvalidInput

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_TRUE = {"1", "true", "yes", "y", "是", "x", "✓"}
_FALSE = {"0", "false", "no", "n", "否", ""}

REQUIRED = QT_TRANSLATE_NOOP("Validation", "{field} is required.")
TOO_LONG = QT_TRANSLATE_NOOP("Validation", "{field} is longer than {limit} characters.")
BAD_EMAIL = QT_TRANSLATE_NOOP("Validation", "“{value}” is not an email address.")
BAD_CHOICE = QT_TRANSLATE_NOOP("Validation", "{field} cannot be “{value}”; use one of: {allowed}.")
BAD_NUMBER = QT_TRANSLATE_NOOP("Validation", "{field} must be a number, not “{value}”.")
OUT_OF_RANGE = QT_TRANSLATE_NOOP("Validation", "{field} must be between {low} and {high}.")
TOO_SMALL = QT_TRANSLATE_NOOP("Validation", "{field} cannot be less than {low}.")
BAD_DATE = QT_TRANSLATE_NOOP("Validation", "{field} must be a date like 2024-03-31, not “{value}”.")
BAD_BOOL = QT_TRANSLATE_NOOP("Validation", "{field} must be yes or no, not “{value}”.")
UNKNOWN_FIELD = QT_TRANSLATE_NOOP("Validation", "There is no field called “{value}”.")


def _fail(field: Field, message: str, **params: Any) -> InvalidInput:
    return InvalidInput(field.name, message, field=field.display_label(), **params)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def parse_money(value: Any, field: Field) -> int:
    """Yuan as typed ("1,234.50", "¥99"), a Decimal or a float → integer fen.

    Plain ints never get here: in the service layer an int money value already is fen.
    """
    if isinstance(value, bool):
        raise _fail(field, BAD_NUMBER, value=value)
    if isinstance(value, Decimal):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    else:
        cleaned = _text(value).replace(",", "").replace("¥", "").replace("￥", "").strip()
        try:
            amount = Decimal(cleaned)
        except InvalidOperation:
            raise _fail(field, BAD_NUMBER, value=_text(value)) from None
    if not amount.is_finite():
        raise _fail(field, BAD_NUMBER, value=_text(value))
    return int((amount * 100).quantize(Decimal(1)))


def _parse_datetime(value: Any, field: Field) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime.combine(value, time())
    try:
        return datetime.fromisoformat(_text(value).replace("/", "-"))
    except ValueError:
        raise _fail(field, BAD_DATE, value=_text(value)) from None


def _parse_date(value: Any, field: Field) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _parse_datetime(value, field).date()


def clean_value(field: Field, value: Any, region: str) -> Any:
    """One field's value as stored, None for blank, or InvalidInput naming the field."""
    blank = value is None or (isinstance(value, str) and not value.strip())
    if blank:
        if field.required:
            raise _fail(field, REQUIRED)
        return False if field.kind is Kind.BOOL else None
    kind = field.kind
    if kind in (Kind.TEXT, Kind.LONG_TEXT, Kind.REF):
        text = _text(value)
        if kind is Kind.TEXT and len(text) > field.max_length:
            raise _fail(field, TOO_LONG, limit=field.max_length)
        return text
    if kind is Kind.PHONE:
        return normalize_phone(_text(value), region, field=field.name)
    if kind is Kind.EMAIL:
        text = _text(value).lower()
        if not _EMAIL.match(text) or len(text) > field.max_length:
            raise InvalidInput(field.name, BAD_EMAIL, value=_text(value))
        return text
    if kind is Kind.CHOICE:
        text = _text(value)
        if text not in field.choices:
            raise _fail(field, BAD_CHOICE, value=text, allowed=", ".join(field.choices))
        return text
    if kind is Kind.MONEY:
        cents = value if isinstance(value, int) and not isinstance(value, bool) else None
        cents = cents if cents is not None else parse_money(value, field)
        _check_range(field, cents / 100)
        return cents
    if kind in (Kind.INTEGER, Kind.NUMBER):
        try:
            number = (
                float(_text(value).replace(",", "")) if isinstance(value, str) else float(value)
            )
        except (TypeError, ValueError):
            raise _fail(field, BAD_NUMBER, value=_text(value)) from None
        if kind is Kind.INTEGER and not number.is_integer():
            raise _fail(field, BAD_NUMBER, value=_text(value))
        _check_range(field, number)
        return int(number) if kind is Kind.INTEGER else number
    if kind is Kind.BOOL:
        if isinstance(value, bool):
            return value
        text = _text(value).lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise _fail(field, BAD_BOOL, value=_text(value))
    if kind is Kind.DATE:
        return _parse_date(value, field)
    if kind is Kind.DATETIME:
        return _parse_datetime(value, field)
    raise AssertionError(f"unhandled field kind {kind}")


def _check_range(field: Field, number: float) -> None:
    low, high = field.minimum, field.maximum
    if low is not None and high is not None and not low <= number <= high:
        raise _fail(field, OUT_OF_RANGE, low=_plain(low), high=_plain(high))
    if low is not None and number < low:
        raise _fail(field, TOO_SMALL, low=_plain(low))


def _plain(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def clean_values(
    entity: str, values: dict[str, Any], region: str, *, creating: bool
) -> dict[str, Any]:
    """Every given field cleaned; when creating, missing required fields are refused too."""
    fields = FIELDS_BY_NAME[entity]
    cleaned: dict[str, Any] = {}
    for name, value in values.items():
        field = fields.get(name)
        if field is None:
            raise InvalidInput(name, UNKNOWN_FIELD, value=name)
        cleaned[name] = clean_value(field, value, region)
    if creating:
        for field in fields.values():
            if field.required and field.name not in cleaned:
                raise _fail(field, REQUIRED)
    return cleaned
