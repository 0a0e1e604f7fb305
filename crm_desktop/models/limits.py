"""The largest numbers a field accepts, in one place for the fields, the rules and the tests.

The bounds sit far inside what SQLite and the server's columns hold (fen in a 64-bit integer,
quantities in a double), so a value accepted on the device is never refused later by the server,
and totals over many records cannot overflow either.
"""

from __future__ import annotations

MAX_MONEY_CENTS = 10**14  # one trillion yuan, in fen: money is stored as integer fen
MAX_QUANTITY = 10**9
MAX_PROBABILITY = 100  # a percentage
MAX_DISCOUNT_PERCENT = 100  # a whole percentage off a quote line's price
MAX_LONG_TEXT = 100_000  # characters in a note: pages of text, not a way to fill the server's disk
