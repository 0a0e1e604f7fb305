"""Stored values as file cells and back: yuan for fen, ISO dates, times by the user's clock,
yes/no, identifier lists, and text a spreadsheet would run as a formula kept as text."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from crm_desktop.models.choices import CHOICE_LABELS, IdentifierKind, choice_label
from crm_desktop.models.dates import is_day_only
from crm_desktop.models.fields import Kind
from crm_desktop.models.money import yuan, yuan_text
from crm_desktop.transfer.errors import TransferError
from crm_desktop.transfer.headers import IDENTIFIER_PREFIX, recognised

IDENTIFIER_SEPARATOR = "; "
# {example}: a licence plate as the user writes one, its kind by the name forms show it by.
BAD_IDENTIFIER = QT_TRANSLATE_NOOP(
    "Transfer", "“{value}” is not an identifier; write kind:number, for example {example}."
)
EXAMPLE_PLATE = "粤B12345"


# Kinds whose stored value is not already what a cell shows (others are text or plain numbers).
CONVERTED_KINDS = frozenset({Kind.MONEY, Kind.BOOL, Kind.DATE, Kind.DATETIME})
# Kinds a sheet shows as numbers; every other cell is text and may need guarding as a formula.
NUMBER_KINDS = frozenset({Kind.MONEY, Kind.INTEGER, Kind.NUMBER})

# Spreadsheet formula injection (OWASP "CSV injection"): Excel, WPS and LibreOffice run a CSV cell
# starting with one of these as a formula, so a customer named =HYPERLINK("http://x") becomes a
# live link, and a stored phone +8613800138000 turns into the number 8.61E+12. Such a CSV cell gets
# the usual defence, a leading apostrophe: the sheet keeps it as text, so a phone keeps its plus
# and every digit ('+8613800138000; some sheets show the apostrophe, the price of a cell that
# cannot run), and the import takes the mark off again. Values that already start with
# apostrophes before such a character get one more, so the import restores every value exactly.
FORMULA_STARTS = frozenset("=+-@\t\r")
TEXT_MARK = "'"
# The same mark keeps a sheet from reading text of digits alone as a number it changes: from 12
# digits it shows 2.02501E+17 and saves the CSV so (past 15 it keeps no more digits anyway: a
# bank reference 202501316125981620 would come back ...600), and a leading zero goes (a post
# code 010020, a number written 075588881234).
_NUMBER_A_SHEET_CHANGES = re.compile(r"0\d+|\d{12,}")
DIGITS = frozenset("0123456789")
_MARK_OR_FORMULA = FORMULA_STARTS | {TEXT_MARK} | DIGITS


def _needs_mark(text: str) -> bool:
    """Starts, after any apostrophes, with a character that makes a formula, or is digits a
    sheet would read as a number other than the text (see _NUMBER_A_SHEET_CHANGES)."""
    rest = text.lstrip(TEXT_MARK)
    return rest[:1] in FORMULA_STARTS or (
        rest[:1] in DIGITS and _NUMBER_A_SHEET_CHANGES.fullmatch(rest) is not None
    )


def cell_text(kind: Kind, value: Any) -> str:
    """A stored value as the text a CSV cell holds (and the import reads back unchanged)."""
    if value is None:
        return ""
    if kind is Kind.MONEY:
        return yuan_text(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return local_time_text(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def local_time_text(moment_utc: datetime) -> str:
    """A stored time (naive UTC) as the user's clock shows it, as forms and lists do: what the
    import reads back as the same time (importing._stored_time). A day given without a time
    (stored at its local midnight) is written as that day alone, so it comes back as one."""
    local = moment_utc.replace(tzinfo=UTC).astimezone().replace(tzinfo=None)
    if is_day_only(moment_utc):
        return local.date().isoformat()
    return local.isoformat(sep=" ")


def csv_text(text: str) -> str:
    """A text cell as written to CSV: marked with an apostrophe when a sheet would run it, or
    read it as a number that is not the text."""
    if text[:1] in _MARK_OR_FORMULA and _needs_mark(text):
        return TEXT_MARK + text
    return text


def csv_cell(kind: Kind, value: Any) -> Any:
    """A stored value as a CSV cell: `cell_text`, and text guarded against running as a formula.
    Numbers (a negative one included) are left alone: no formula is made of digits alone."""
    if value is None:
        return ""
    if kind in NUMBER_KINDS:
        return cell_text(kind, value) if kind is Kind.MONEY else value
    return csv_text(cell_text(kind, value))


def csv_row(kinds: Sequence[Kind]) -> Callable[[list[Any]], None]:
    """A function turning a row of stored values, in place, into what `csv_cell` makes of each,
    leaving alone the cells it would not change: empty ones (the csv module writes None as an
    empty cell) and text that cannot start a formula, which is nearly all of it."""
    return _row_function(kinds, csv_cell, _MARK_OR_FORMULA)


def unmarked_csv_text(text: str) -> str:
    """A CSV cell as the import reads it: the apostrophe `csv_text` added taken off again.

    Only before what the export marks: an apostrophe a person meant ('90s stock) stays."""
    if text[:1] == TEXT_MARK and _needs_mark(text[1:]):
        return text[1:]
    return text


def sheet_value(kind: Kind, value: Any) -> Any:
    """A stored value as an Excel cell: numbers stay numbers so a sheet can sum them."""
    if value is None:
        return None
    if kind is Kind.MONEY:
        return yuan(value)
    if kind in (Kind.INTEGER, Kind.NUMBER) and not isinstance(value, bool):
        return value
    # Dates stay text: Excel keeps only milliseconds, and a re-import must not see a change.
    return cell_text(kind, value)


def sheet_row(kinds: Sequence[Kind]) -> Callable[[list[Any]], None]:
    """A function turning a row of stored values, in place, into what `sheet_value` makes of
    each, leaving alone empty cells and text: they go in as they are."""
    return _row_function(kinds, sheet_value, frozenset())


def _row_function(
    kinds: Sequence[Kind], cell: Callable[[Kind, Any], Any], changed_starts: frozenset[str]
) -> Callable[[list[Any]], None]:
    """`cell(kind, value)` for a row, in place, called only where it may change something: on
    converted kinds, and on other values that are neither None nor text, or are text that starts
    with one of `changed_starts`. Calling it on each of a 100,000-row export's cells costs more
    than writing them."""
    converted = [(at, kind) for at, kind in enumerate(kinds) if kind in CONVERTED_KINDS]
    others = [(at, kind) for at, kind in enumerate(kinds) if kind not in CONVERTED_KINDS]

    def convert(row: list[Any]) -> None:
        for at, kind in converted:
            row[at] = cell(kind, row[at])
        for at, kind in others:
            value = row[at]
            if value is not None and (value.__class__ is not str or value[:1] in changed_starts):
                row[at] = cell(kind, value)

    return convert


# Significant digits a sheet shows and works to: its sums leave binary noise beyond them
# (=0.1+0.2 is stored as 0.30000000000000004), which would read as a part of a fen.
SHEET_DIGITS = 15
# From here on a number has more digits than a sheet keeps: an 18-digit ID card number typed
# into a General cell is stored as 440101199001011000 (Excel keeps 15 significant digits),
# and its last digits are gone.
LONG_NUMBER_FROM = 10.0**SHEET_DIGITS


class LongSheetNumber(ValueError):
    """A sheet's number too long to have kept all its digits (see LONG_NUMBER_FROM); `value`
    is the cell's value, `shown` it as a sheet shows it (4.40101199001011E+17)."""

    def __init__(self, value: float) -> None:
        self.value = value
        self.shown = f"{value:.{SHEET_DIGITS}G}"
        super().__init__(self.shown)


def text_of_sheet_cell(value: Any) -> str:
    """What an Excel cell holds, as the text a CSV cell would (money as yuan, never as fen).

    Raises LongSheetNumber for a number of LONG_NUMBER_FROM or more, which the sheet stored
    with digits made up: its text would look exact and be wrong (an ID number, an account)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and abs(value) >= LONG_NUMBER_FROM:
        raise LongSheetNumber(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return f"{value:.{SHEET_DIGITS}g}"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def identifiers_text(pairs: list[tuple[str, str]]) -> str:
    return IDENTIFIER_SEPARATOR.join(f"{kind}:{value}" for kind, value in pairs)


def identifier_example() -> str:
    """A "kind:number" item as an error suggests it: the kind by its name in the user's
    language (as the form's identifier list shows it), which parse_identifiers takes too."""
    return f"{choice_label(IdentifierKind.LICENCE_PLATE)}:{EXAMPLE_PLATE}"


def identifier_kind(named: str) -> str | None:
    """The kind a "kind:number" item names: its code (as the export writes it), its name in
    English or in the user's language (as forms show it), or any word a column of that kind
    may be headed by, in Chinese whatever the language (车牌, 身份证号, 税号); None for
    anything else."""
    named = named.strip()
    if named in _KIND_CODES:
        return named
    wanted = named.casefold()
    for kind in IdentifierKind:
        label = CHOICE_LABELS[kind.value]
        if wanted in (label.casefold(), choice_label(kind.value).casefold()):
            return kind.value
    headed = recognised("customers", named)
    if headed is not None and headed.startswith(IDENTIFIER_PREFIX):
        return headed.removeprefix(IDENTIFIER_PREFIX)
    return None


_KIND_CODES = frozenset(kind.value for kind in IdentifierKind)


def parse_identifiers(text: str) -> list[tuple[str, str]]:
    """ "tax_number:9144...; licence_plate:粤B12345" → [(kind, value), ...]; a kind may be
    named as forms name it, too ("Licence plate:粤B12345", "车牌：粤B12345": the full-width
    colon and semicolon of Chinese typing read as the others)."""
    pairs = []
    text = text.replace("：", ":").replace("；", ";")
    for item in text.split(";"):
        item = item.strip()
        if not item:
            continue
        named, colon, value = item.partition(":")
        kind = identifier_kind(named)
        if not colon or not value.strip() or kind is None:
            raise TransferError(BAD_IDENTIFIER, value=item, example=identifier_example())
        pairs.append((kind, value.strip()))
    return pairs


def matched_text(text: str) -> str:
    """A name or word as a file's cell is matched to a stored one: full-width as half-width,
    any case, no spaces ("深圳市华强电子 有限公司", "ＣＯＭＰＡＮＹ")."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())
