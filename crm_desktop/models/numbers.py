"""Numbers and amounts as people type them: 1234.5, 1,234.50, 1 000, ¥99, 100元, and what a
Chinese input method writes in its own mode (１２３４。５: full-width digits, its full stop).

A comma is read only between groups of three digits. "12,50" and "1.234,50" are refused, never
guessed: a comma written for the decimal point, read as a thousands separator, makes an amount a
hundred times too large, and nothing would show it. Used by the rules (forms and imports) and by
the window's amount boxes, so both read the same text the same way.
"""

from __future__ import annotations

import re
import unicodedata

# Digits in groups of three after the first one to three, by commas or by spaces; any decimals.
_GROUPED = re.compile(r"\d{1,3}(?:(?:,\d{3})+|(?: \d{3})+)(?:\.\d*)?")
# What a Chinese input method types for "." and ",", which NFKC leaves as they are.
_IDEOGRAPHIC = str.maketrans({"。": ".", "、": ","})


def typed_digits(text: str) -> str:
    """Full-width digits, points and commas as their ASCII selves (NFKC), an input method's
    full stop and enumeration comma as a point and a comma; nothing else changed."""
    return unicodedata.normalize("NFKC", text).translate(_IDEOGRAPHIC)


def plain_number(text: str, *, currency: bool = False) -> str | None:
    """The text as Python's Decimal reads it ("1,234.50" → "1234.50"; with `currency` also
    "¥99" and "100元"), or None when it groups its digits otherwise than by thousands. Text
    that is no number at all is returned for Decimal to refuse."""
    typed = typed_digits(text).strip()
    if currency:
        # NFKC has made the full-width ￥ the yen sign ¥, as the Chinese keyboard types it.
        typed = typed.removeprefix("¥").removesuffix("元").strip()
    sign = typed[:1] if typed[:1] in ("+", "-") else ""
    digits = typed[len(sign) :].strip()
    if "," in digits or " " in digits:
        if not _GROUPED.fullmatch(digits):
            return None
        digits = digits.replace(",", "").replace(" ", "")
    return sign + digits
