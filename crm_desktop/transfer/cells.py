"""Stored values as file cells and back: yuan for fen, ISO dates, yes/no, identifier lists."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from crm_desktop.models.choices import IdentifierKind
from crm_desktop.models.fields import Kind
from crm_desktop.transfer.errors import TransferError

IDENTIFIER_SEPARATOR = "; "
BAD_IDENTIFIER = QT_TRANSLATE_NOOP(
    "Transfer",
    "“{value}” is not an identifier; write kind:number, for example licence_plate:粤B12345.",
)


# Kinds whose stored value is not already what a cell shows (others are text or plain numbers).
CONVERTED_KINDS = frozenset({Kind.MONEY, Kind.BOOL, Kind.DATE, Kind.DATETIME})


def cell_text(kind: Kind, value: Any) -> str:
    """A stored value as the text a CSV cell holds (and the import reads back unchanged)."""
    if value is None:
        return ""
    if kind is Kind.MONEY:
        return f"{Decimal(value).scaleb(-2):.2f}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def sheet_value(kind: Kind, value: Any) -> Any:
    """A stored value as an Excel cell: numbers stay numbers so a sheet can sum them."""
    if value is None:
        return None
    if kind is Kind.MONEY:
        return Decimal(value).scaleb(-2)
    if kind in (Kind.INTEGER, Kind.NUMBER) and not isinstance(value, bool):
        return value
    # Dates stay text: Excel keeps only milliseconds, and a re-import must not see a change.
    return cell_text(kind, value)


def text_of_sheet_cell(value: Any) -> str:
    """What an Excel cell holds, as the text a CSV cell would (money as yuan, never as fen)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def identifiers_text(pairs: list[tuple[str, str]]) -> str:
    return IDENTIFIER_SEPARATOR.join(f"{kind}:{value}" for kind, value in pairs)


def parse_identifiers(text: str) -> list[tuple[str, str]]:
    """ "tax_number:9144...; licence_plate:粤B12345" → [(kind, value), ...]."""
    pairs = []
    for item in text.split(";"):
        item = item.strip()
        if not item:
            continue
        kind, colon, value = item.partition(":")
        kind = kind.strip()
        if not colon or not value.strip() or kind not in IdentifierKind.__members__.values():
            raise TransferError(BAD_IDENTIFIER, value=item)
        pairs.append((kind, value.strip()))
    return pairs
