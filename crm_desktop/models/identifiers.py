"""The numbers a customer is found by that carry their own check: a mainland resident ID card
number (GB 11643: 17 digits and a check character, or the first generation's 15 digits) and a
unified social credit code (GB 32100: 18 characters, the last a check character), which is what
a company's tax number has been since 2015.

A number that fails its check is refused with a sentence naming it, as a phone that is not one
is: it was mistyped or cut short, and a customer looked up by it would not be found. Older tax
numbers (the 15 digits of a tax registration, an individual's 18 or 20 built on his ID card)
are taken as they are when they are not credit codes. Other kinds (plates, policies, member
numbers) have no rule of their own.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP

from crm_desktop.models.choices import IdentifierKind
from crm_desktop.models.validation import InvalidInput

ID_CARD_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CARD_CHECK = "10X98765432"  # by the weighted sum modulo 11
CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

BAD_ID_CARD = QT_TRANSLATE_NOOP(
    "Validation",
    "“{value}” is not an ID card number: it has 18 characters (17 digits, then a digit or X) "
    "or, on the oldest cards, 15 digits.",
)
WRONG_ID_CARD = QT_TRANSLATE_NOOP(
    "Validation",
    "“{value}” is not a valid ID card number: its birth date or its last character does not "
    "fit the others; check the digits.",
)
WRONG_CREDIT_CODE = QT_TRANSLATE_NOOP(
    "Validation",
    "“{value}” is not a valid tax number: its last character does not fit the others; check "
    "the characters.",
)

_ID_CARD_SHAPE = re.compile(r"\d{17}[\dX]|\d{15}")
_CREDIT_CODE_SHAPE = re.compile(f"[{CREDIT_CODE_CHARS}]{{18}}")


def id_card_check(body: str) -> str:
    """The check character of an ID card number's first 17 digits."""
    total = sum(int(digit) * weight for digit, weight in zip(body, ID_CARD_WEIGHTS, strict=True))
    return ID_CARD_CHECK[total % 11]


def credit_code_check(body: str) -> str:
    """The check character of a unified social credit code's first 17 characters."""
    total = sum(
        CREDIT_CODE_CHARS.index(char) * weight
        for char, weight in zip(body, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def check_identifier(kind: str, value: str, field: str = "identifiers") -> None:
    """Refuse (InvalidInput on `field`) a number of a kind with a check of its own that fails
    it; `value` as the writer stores it (cleaned, any case)."""
    number = value.upper()
    if kind == IdentifierKind.ID_CARD:
        if not _ID_CARD_SHAPE.fullmatch(number):
            raise InvalidInput(field, BAD_ID_CARD, value=value)
        if not _valid_id_card(number):
            raise InvalidInput(field, WRONG_ID_CARD, value=value)
    elif (
        kind == IdentifierKind.TAX_NUMBER
        and _CREDIT_CODE_SHAPE.fullmatch(number)
        and credit_code_check(number[:17]) != number[17]
        # An individual's old tax number is his ID card number: 18 characters as well.
        and not _valid_id_card(number)
    ):
        raise InvalidInput(field, WRONG_CREDIT_CODE, value=value)


def _valid_id_card(number: str) -> bool:
    if len(number) == 15:
        born = "19" + number[6:12]
    elif len(number) == 18 and number[:17].isdigit():
        if id_card_check(number[:17]) != number[17]:
            return False
        born = number[6:14]
    else:
        return False
    try:
        birthday = date(int(born[:4]), int(born[4:6]), int(born[6:8]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= birthday <= date.today()
