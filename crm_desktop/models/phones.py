"""Phone numbers: parsed, checked and stored in one form (E.164) so any spelling finds them."""

from __future__ import annotations

import re

import phonenumbers
from PySide6.QtCore import QT_TRANSLATE_NOOP

from crm_desktop.models.validation import InvalidInput

DEFAULT_REGION = "CN"
_NOT_DIGITS = re.compile(r"\D+")
_PHONE_LIKE = re.compile(r"^\+?[\d\s\-().]+$")


def normalize_phone(
    raw: str | None, region: str = DEFAULT_REGION, field: str = "phone"
) -> str | None:
    """Return the number as E.164 (`+8613800138000`), None for blank, or raise InvalidInput."""
    if raw is None or not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise InvalidInput(
            field,
            QT_TRANSLATE_NOOP("Validation", "“{value}” is not a phone number."),
            value=raw.strip(),
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str | None, region: str = DEFAULT_REGION) -> str:
    """National format for numbers of the user's own region, international for the rest."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_search_keys(e164: str | None) -> list[str]:
    """Digit strings a user might type for this number: with the country code, and in the
    national form (trunk 0 included), so the start of either finds it ("86...", "138...")."""
    if not e164:
        return []
    if len(e164) == 14 and e164.startswith("+861") and e164[1:].isdigit():
        # A mainland mobile (+86 1xx xxxx xxxx): its national form is its last 11 digits.
        # Most numbers are these, and phonenumbers' parsing costs ~60 µs a number, which is
        # most of a first sync's search-text work at 100,000 customers.
        return [e164[1:], e164[3:]]
    keys = [_NOT_DIGITS.sub("", e164)]
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return keys
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    national_digits = _NOT_DIGITS.sub("", national)
    if national_digits and national_digits != keys[0]:
        keys.append(national_digits)
    return keys


def phone_query_digits(query: str) -> str | None:
    """The digits of a query that looks like a phone number (at least 3 digits), else None."""
    if not _PHONE_LIKE.match(query.strip()):
        return None
    digits = _NOT_DIGITS.sub("", query)
    return digits if len(digits) >= 3 else None
