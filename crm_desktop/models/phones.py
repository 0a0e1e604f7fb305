"""Phone numbers: parsed, checked and stored in one form (E.164) so any spelling finds them.

An extension is kept after the number the RFC 3966 way: `+8675588881234;ext=5`.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from crm_desktop.models.validation import InvalidInput

DEFAULT_REGION = "CN"
_NOT_DIGITS = re.compile(r"\D+")
_PHONE_LIKE = re.compile(r"^\+?[\d\s\-().]+$")
_SPACING = re.compile(r"[\s\-]+")
# A mainland mobile as most lists hold it: 11 digits from 1, or +86 and those.
# Mainland numbers as typed most of the time: +86 and the national number (no trunk 0), a
# mobile of 11 digits from 1, a landline's area code with its trunk 0 (010, 020, 0755...).
# ASCII digits only: a full-width one (１３８…) goes the full way, which reads it as its digit.
_MAINLAND_WITH_CODE = re.compile(r"\+86([1-9]\d{8,10})", re.ASCII)
_MOBILE = re.compile(r"(1\d{10})", re.ASCII)
_TRUNK_LANDLINE = re.compile(r"0([2-9]\d{8,10}|10\d{7,9})", re.ASCII)
# How an extension is written in Chinese ("转5", "分机5"); phonenumbers reads "ext 5" and "x5"
# itself but not these, so they are spelled its way first.
_CHINESE_EXTENSION = re.compile(r"\s*(?:转|轉|分机|分機)\s*(?=\d)")
EXTENSION_MARK = ";ext="
# An extension at the end of a searched number, however it is written.
_QUERY_EXTENSION = re.compile(
    r"\s*(?:;ext=|ext\.?|x|转|轉|分机|分機)\s*\d{1,6}$", re.IGNORECASE | re.ASCII
)
# The phone columns (here and on the server) are varchar(32).
MAX_STORED = 32

# A number with its extension, as shown: Chinese writes 转 where English writes "ext.".
WITH_EXTENSION = QT_TRANSLATE_NOOP("Phones", "{number} ext. {extension}")
NOT_A_PHONE = QT_TRANSLATE_NOOP("Validation", "“{value}” is not a phone number.")
NOT_VALID = QT_TRANSLATE_NOOP("Validation", "{field}: “{value}” is not a valid phone number.")
BAD_MOBILE = QT_TRANSLATE_NOOP(
    "Validation", "{field}: “{value}” has {count} digits; a mobile number in China has 11."
)


# An import checks a row's phone, looks it up among the duplicates and writes it: the same
# text is normalised several times in a row, and parsing it is most of a row's cost.
@lru_cache(maxsize=4096)
def normalize_phone(
    raw: str | None, region: str = DEFAULT_REGION, field: str = "phone", label: str | None = None
) -> str | None:
    """Return the number as E.164 (`+8613800138000`, with an extension
    `+8675588881234;ext=5`), None for blank, or raise InvalidInput naming the field (by its
    `label`, as the user sees it)."""
    if raw is None or not raw.strip():
        return None
    typed = raw.strip()
    quick = _quick_mainland(typed, region)
    if quick is not None:
        return quick
    try:
        number = phonenumbers.parse(_CHINESE_EXTENSION.sub(" ext ", typed), region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_possible_number(number):
        raise InvalidInput(field, NOT_A_PHONE, value=typed)
    if not phonenumbers.is_valid_number(number):
        # Possible is only a length check: a mainland mobile of 10 or 12 digits passes it.
        national = phonenumbers.national_significant_number(number)
        name = label or field
        if number.country_code == 86 and national.startswith("1") and len(national) != 11:
            raise InvalidInput(field, BAD_MOBILE, field=name, value=typed, count=len(national))
        raise InvalidInput(field, NOT_VALID, field=name, value=typed)
    stored = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if number.extension:
        stored += EXTENSION_MARK + number.extension
    if len(stored) > MAX_STORED:
        raise InvalidInput(field, NOT_A_PHONE, value=typed)
    return stored


def _quick_mainland(typed: str, region: str) -> str | None:
    """The E.164 form of a plainly written valid mainland number (a mobile, or a landline with
    its trunk 0 or +86), without phonenumbers' ~35 µs of parsing: an import of 100,000
    customers has well over 100,000 numbers. None for anything else, which is parsed the full
    way and gets its sentence there; tests check the two agree."""
    compact = _SPACING.sub("", typed)
    found = _MAINLAND_WITH_CODE.fullmatch(compact)
    if found is None and region == DEFAULT_REGION:
        found = _MOBILE.fullmatch(compact) or _TRUNK_LANDLINE.fullmatch(compact)
    if found is None:
        return None
    national = found.group(1)
    if _mainland_pattern_valid(national):
        return "+86" + national
    number = phonenumbers.PhoneNumber(country_code=86, national_number=int(national))
    return "+86" + national if phonenumbers.is_valid_number(number) else None


@lru_cache(maxsize=1)
def _mainland_patterns() -> tuple[tuple[frozenset[int], re.Pattern[str]], ...]:
    """phonenumbers' own descriptions of a mainland number, of a mobile and of a landline:
    (possible lengths, national pattern) each."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(DEFAULT_REGION)
    general = metadata.general_desc
    return tuple(
        (
            frozenset(desc.possible_length or general.possible_length),
            re.compile(desc.national_number_pattern),
        )
        for desc in (general, metadata.mobile, metadata.fixed_line)
    )


def _mainland_pattern_valid(national: str) -> bool:
    """True when phonenumbers would call this mainland number valid because it is a mobile or
    a landline: its validity is "matches the general description and one type's", and these
    are the two types nearly every number is; matching two patterns instead of the eleven
    types in turn is a third of the time. False says nothing (the caller asks phonenumbers)."""
    (general_lengths, general), *types = _mainland_patterns()
    if len(national) not in general_lengths or general.fullmatch(national) is None:
        return False
    return any(
        len(national) in lengths and pattern.fullmatch(national) is not None
        for lengths, pattern in types
    )


def display_phone(e164: str | None, region: str = DEFAULT_REGION) -> str:
    """National format for numbers of the user's own region, international for the rest."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    extension, number.extension = number.extension, None
    if phonenumbers.region_code_for_number(number) == region:
        shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    else:
        shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    if not extension:
        return shown
    template = QCoreApplication.translate("Phones", WITH_EXTENSION)
    return template.format(number=shown, extension=extension)


# A stored mainland landline (Beijing 10, the 2x cities, three-digit area codes), leaving out
# service numbers (400, 800, 95xxx) and the 1010 carriers, whose national forms have no trunk 0.
# Tests check it against phonenumbers' national format over every kind of valid number.
_MAINLAND_LANDLINE = re.compile(r"\+86((?!400|800|95)(?:10[2-9]|2\d|[3-9]\d)\d{6,9})")


def phone_search_keys(e164: str | None) -> list[str]:
    """Digit strings a user might type for this number: with the country code, and in the
    national form (trunk 0 included), so the start of either finds it ("86...", "138...")."""
    if not e164:
        return []
    # The extension is no part of the number anyone searches by.
    e164 = e164.split(EXTENSION_MARK, 1)[0]
    if len(e164) == 14 and e164.startswith("+861") and e164[1:].isdigit():
        # A mainland mobile (+86 1xx xxxx xxxx): its national form is its last 11 digits.
        # Most numbers are these, and phonenumbers' parsing costs ~60 µs a number, which is
        # most of a first sync's search-text work at 100,000 customers.
        return [e164[1:], e164[3:]]
    landline = _MAINLAND_LANDLINE.fullmatch(e164)
    if landline is not None:
        # An area code and number: nationally dialled with the trunk 0 in front.
        return [e164[1:], "0" + landline.group(1)]
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
    """The digits of a query that looks like a phone number (at least 3 digits), else None.
    An extension after it ("ext. 5" as the window shows one, "转5", ";ext=5") is left out: the
    search text holds numbers without theirs."""
    query = _QUERY_EXTENSION.sub("", query.strip())
    if not _PHONE_LIKE.match(query):
        return None
    digits = _NOT_DIGITS.sub("", query)
    return digits if len(digits) >= 3 else None
