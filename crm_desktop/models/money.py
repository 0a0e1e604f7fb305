"""Money as the CRM counts it: integer fen, never a float, rounded half up where a price is
multiplied (a quote line's quantity and discount)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def line_total_cents(quantity: float, unit_price_cents: int, discount_percent: int = 0) -> int:
    """A quote line's total in fen: quantity × unit price, less the discount, rounded half up
    to the fen. The quantity is read as written (0.1, not its binary expansion)."""
    total = (
        Decimal(repr(float(quantity)))
        * Decimal(int(unit_price_cents))
        * (100 - int(discount_percent))
        / 100
    )
    return int(total.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def yuan(cents: int) -> Decimal:
    """Fen as exact yuan (123450 → 1234.50), for files and sheets."""
    return Decimal(int(cents)).scaleb(-2)


def yuan_text(cents: int) -> str:
    """Fen as yuan with two decimals and no grouping ("1234.50"), as files and the command
    line write money."""
    return f"{yuan(cents):.2f}"
