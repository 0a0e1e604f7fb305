"""Turning what a user typed (in a form or a CSV cell) into stored values, or refusing it."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

# Dates are parsed there, and their sentences (BAD_DATE, YEAR_FIRST, DAY_COUNT) are written there.
from crm_desktop.models.choices import choice_label
from crm_desktop.models.dates import TypedDateError, parse_typed_datetime
from crm_desktop.models.fields import FIELDS_BY_NAME, Field, Kind
from crm_desktop.models.limits import MAX_LONG_TEXT
from crm_desktop.models.numbers import plain_number
from crm_desktop.models.phones import normalize_phone
from crm_desktop.models.validation import InvalidInput

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")
_TRUE = {"1", "true", "yes", "y", "是", "x", "✓"}
_FALSE = {"0", "false", "no", "n", "否", ""}
# Control characters (Unicode category Cc: C0, DEL, C1). The server cannot store NUL at all, and
# the others are invisible in a form or a cell: a value holding one is a paste or export accident.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Long text keeps its tabs and line breaks (checked after carriage returns become "\n").
_CONTROL_IN_LONG_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CARRIAGE_RETURN = re.compile(r"\r\n?")
# What a spreadsheet or a web page leaves around a value copied from it.
_AROUND_A_LINE = " \t\r\n"
# Characters that show nothing in a one-line value: zero-width spaces and joiners, marks of
# direction, the bidirectional embeddings, overrides and isolates, invisible operators, the
# byte order mark. A paste from a chat or a web page brings them; nobody can see them to remove
# them; and an override can make a name read as another one. One-line text is kept without
# them (the server refuses them there: its migration 0027). Long text keeps them (an emoji's
# joiner, right-to-left script in a note).
INVISIBLE_IN_ONE_LINE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

REQUIRED = QT_TRANSLATE_NOOP("Validation", "{field} is required.")
TOO_LONG = QT_TRANSLATE_NOOP("Validation", "{field} is longer than {limit} characters.")
BAD_EMAIL = QT_TRANSLATE_NOOP("Validation", "“{value}” is not an email address.")
BAD_CHOICE = QT_TRANSLATE_NOOP("Validation", "{field} cannot be “{value}”; use one of: {allowed}.")
BAD_NUMBER = QT_TRANSLATE_NOOP("Validation", "{field} must be a number, not “{value}”.")
BAD_GROUPING = QT_TRANSLATE_NOOP(
    "Validation",
    "{field} “{value}” is split where no thousands end: a comma or a space goes only "
    "between thousands (1,250.00), and the decimal point is a dot (12.50).",
)
OUT_OF_RANGE = QT_TRANSLATE_NOOP("Validation", "{field} must be between {low} and {high}.")
PART_OF_A_FEN = QT_TRANSLATE_NOOP(
    "Validation", "{field} “{value}” has more than two decimals; money is counted to the fen."
)
TOO_SMALL = QT_TRANSLATE_NOOP("Validation", "{field} cannot be less than {low}.")
BAD_BOOL = QT_TRANSLATE_NOOP("Validation", "{field} must be yes or no, not “{value}”.")
UNKNOWN_FIELD = QT_TRANSLATE_NOOP("Validation", "There is no field called “{value}”.")
CONTROL_CHARACTER = QT_TRANSLATE_NOOP(
    "Validation", "{field} contains a control character ({code}); remove it."
)


def _fail(field: Field, message: str, **params: Any) -> InvalidInput:
    return InvalidInput(field.name, message, field=field.display_label(), **params)


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _checked_text(field: Field, text: str) -> str:
    """The text, long text's carriage returns made line feeds; InvalidInput for a control one.

    Line breaks and tabs around a one-line value are taken off first: a cell copied from a
    spreadsheet pastes with the line break after it, which nobody can see to remove."""
    if field.kind is Kind.LONG_TEXT:
        text = _CARRIAGE_RETURN.sub("\n", text)
        found = _CONTROL_IN_LONG_TEXT.search(text)
    else:
        text = text.strip(_AROUND_A_LINE)
        found = _CONTROL.search(text)
    if found:
        raise _fail(field, CONTROL_CHARACTER, code=f"U+{ord(found.group()):04X}")
    return text


def _number(value: Any, field: Field, *, currency: bool = False) -> Decimal:
    """A finite Decimal from typed text ("1,234.5", "１２３４。５", with `currency` also "¥99"
    and "100元": models/numbers.py), an int, a float or a Decimal, or InvalidInput naming the
    field. Exact, so no size can overflow here."""
    if isinstance(value, bool):  # an int to Python, never a number a user meant
        raise _fail(field, BAD_NUMBER, value=value)
    if isinstance(value, float):
        value = repr(value)  # the float as written (0.1), not its binary expansion
    if isinstance(value, int | Decimal):
        number = Decimal(value)
    else:
        text = plain_number(_text(value), currency=currency)
        if text is None:
            raise _fail(field, BAD_GROUPING, value=_text(value))
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise _fail(field, BAD_NUMBER, value=_text(value)) from None
    if not number.is_finite():
        raise _fail(field, BAD_NUMBER, value=_text(value))
    return number


def parse_money(value: Any, field: Field) -> int:
    """Yuan as typed ("1,234.50", "¥99"), a Decimal or a float → integer fen, within range.

    Plain ints never get here: in the service layer an int money value already is fen.
    """
    yuan = _number(value, field, currency=True)
    if _part_of_a_fen(yuan):
        # 1.005 stored in fen would be rounded away without a word.
        raise _fail(field, PART_OF_A_FEN, value=_text(value))
    # Checked before scaling: 1e999999999 yuan would be a billion-digit integer.
    _check_range(field, yuan)
    return int(yuan.scaleb(2))


def _part_of_a_fen(yuan: Decimal) -> bool:
    """A non-zero digit past the second decimal, read from the digits themselves: no
    arithmetic on the number, whose size is not checked yet."""
    _sign, digits, exponent = yuan.as_tuple()
    if not isinstance(exponent, int) or exponent >= -2:
        return False
    past_fen = digits[max(0, len(digits) + exponent + 2) :]
    return any(past_fen)


def _parse_datetime(value: Any, field: Field) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, date):
        return datetime.combine(value, time())
    try:
        return parse_typed_datetime(_text(value))
    except TypedDateError as error:
        raise _fail(field, error.message, value=error.value) from None


def _parse_date(value: Any, field: Field) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _parse_datetime(value, field).date()


def clean_value(field: Field, value: Any, region: str) -> Any:
    """One field's value as stored, None for blank, or InvalidInput naming the field."""
    if isinstance(value, str) and field.kind is not Kind.LONG_TEXT:
        # Invisible, so nobody could remove them: a value of them alone is blank.
        value = INVISIBLE_IN_ONE_LINE.sub("", value)
    blank = value is None or (isinstance(value, str) and not value.strip())
    if blank:
        if field.required:
            raise _fail(field, REQUIRED)
        return False if field.kind is Kind.BOOL else None
    if isinstance(value, str):
        # Before anything trims it: a control character is refused wherever it stands.
        value = _checked_text(field, value)
    kind = field.kind
    if kind in (Kind.TEXT, Kind.LONG_TEXT, Kind.REF):
        text = _text(value)
        if kind is Kind.TEXT and len(text) > field.max_length:
            raise _fail(field, TOO_LONG, limit=field.max_length)
        if kind is Kind.LONG_TEXT and len(text) > MAX_LONG_TEXT:
            raise _fail(field, TOO_LONG, limit=f"{MAX_LONG_TEXT:,}")
        return text
    if kind is Kind.PHONE:
        return normalize_phone(_text(value), region, field=field.name, label=field.display_label())
    if kind is Kind.EMAIL:
        text = _text(value).lower()
        if not _EMAIL.match(text) or len(text) > field.max_length:
            raise InvalidInput(field.name, BAD_EMAIL, value=_text(value))
        return text
    if kind is Kind.CHOICE:
        text = _text(value)
        if text not in field.choices:
            allowed = ", ".join(choice_label(code) for code in field.choices)
            raise _fail(field, BAD_CHOICE, value=text, allowed=allowed)
        return text
    if kind is Kind.MONEY:
        if isinstance(value, int) and not isinstance(value, bool):
            _check_range(field, Decimal(value).scaleb(-2))  # already fen, from the service layer
            return value
        return parse_money(value, field)
    if kind in (Kind.INTEGER, Kind.NUMBER):
        number = _number(value, field)
        if kind is Kind.INTEGER and number != number.to_integral_value():
            raise _fail(field, BAD_NUMBER, value=_text(value))
        # Before int(): the bound keeps 1e999999999 from becoming a billion-digit integer.
        _check_range(field, number)
        return int(number) if kind is Kind.INTEGER else float(number)
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


def _check_range(field: Field, number: Decimal) -> None:
    # The bounds as written (0.01, not the float just above it), compared exactly.
    low, high = (None if b is None else Decimal(str(b)) for b in (field.minimum, field.maximum))
    if low is not None and high is not None and not low <= number <= high:
        raise _fail(field, OUT_OF_RANGE, low=_plain(low), high=_plain(high))
    if low is not None and number < low:
        raise _fail(field, TOO_SMALL, low=_plain(low))


def _plain(number: Decimal) -> str:
    """A bound as a sentence shows it: 1,000,000,000,000 rather than 1e+12."""
    return f"{int(number):,}" if float(number).is_integer() else f"{number:,}"


def _cleaned(
    entity: str, values: dict[str, Any], region: str, creating: bool
) -> tuple[dict[str, Any], dict[str, InvalidInput]]:
    """The given fields cleaned, and the problem of each field that could not be, in the order
    the fields were given (then missing required ones, when creating)."""
    fields = FIELDS_BY_NAME[entity]
    cleaned: dict[str, Any] = {}
    found: dict[str, InvalidInput] = {}
    for name, value in values.items():
        field = fields.get(name)
        if field is None:
            found[name] = InvalidInput(name, UNKNOWN_FIELD, value=name)
            continue
        try:
            cleaned[name] = clean_value(field, value, region)
        except InvalidInput as error:
            found[name] = error
    if creating:
        for field in fields.values():
            if field.required and field.name not in values:
                found[field.name] = _fail(field, REQUIRED)
    return cleaned, found


def clean_values(
    entity: str, values: dict[str, Any], region: str, *, creating: bool
) -> dict[str, Any]:
    """Every given field cleaned; when creating, missing required fields are refused too.
    Raises the first problem only: `problems` gives all of them."""
    cleaned, found = _cleaned(entity, values, region, creating)
    if found:
        raise next(iter(found.values()))
    return cleaned


def problems(
    entity: str, values: dict[str, Any], region: str, *, creating: bool
) -> dict[str, InvalidInput]:
    """Every problem `clean_values` would find in these values, by field name: a form marks
    them all at once. Pure and fast (no store), so it may run on the GUI thread."""
    return _cleaned(entity, values, region, creating)[1]
