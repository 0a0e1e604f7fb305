"""The one font reports are printed in: WenQuanYi Micro Hei, shipped in resources/fonts.

Chinese must show on any viewer, and stay searchable and copyable: the PDF embeds a subset of a
TrueType font with its glyphs (reportlab writes each subset's ToUnicode map), never a font the
reader's machine may lack. One face serves Chinese and Latin alike, so a line never switches
fonts in the middle of a name.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from crm_desktop.resources import resources_dir

FONT_FILE = resources_dir() / "fonts" / "wqy-microhei.ttc"
FONT_NAME = "CRM-WenQuanYiMicroHei"
_SUBFONT = 0  # the collection's proportional face (1 is its monospaced one)
BMP = 0x10000
# What amounts, counts, percentages and dates are written with: narrower than most characters.
FIGURES = "0123456789.,-+%:/ "

_lock = threading.Lock()  # reports are built on the storage thread, the command line on main


@dataclass(frozen=True)
class Metrics:
    """What the table layout measures text with, read once from the font."""

    font: TTFont
    # The advance of each character of the Basic Multilingual Plane by code, in thousandths
    # of the font size: a list, so a text is measured by map() without a Python loop.
    advances: list[float]
    default_width: float
    widest: float  # of any character: a text of n characters is never wider than n × widest
    figure_width: float  # the widest of FIGURES
    ascent: float  # above the baseline, in thousandths of the font size

    def advance(self, ch: str) -> float:
        code = ord(ch)
        return self.advances[code] if code < BMP else self.default_width

    def units(self, text: str) -> float:
        """The text's width in thousandths of the font size."""
        try:
            return sum(map(self.advances.__getitem__, map(ord, text)))
        except IndexError:  # a character beyond the BMP (a rare ideograph, an emoji)
            return sum(map(self.advance, text))

    def width(self, text: str, size: float) -> float:
        return self.units(text) * size / 1000


_metrics: Metrics | None = None


def register_font() -> Metrics:
    """Register the font with reportlab (once per process; reading it takes a fifth of a
    second) and return its metrics."""
    global _metrics
    with _lock:
        if _metrics is None:
            font = TTFont(FONT_NAME, str(FONT_FILE), subfontIndex=_SUBFONT)
            pdfmetrics.registerFont(font)
            face = font.face
            advances = [face.defaultWidth] * BMP
            for code, width in face.charWidths.items():
                if code < BMP:
                    advances[code] = width
            # Reports only: ASCII85 on top of compression makes every page's stream a quarter
            # bigger and costs a third of a second per hundred pages, for 7-bit mail of 1990.
            rl_config.useA85 = 0
            _metrics = Metrics(
                font=font,
                advances=advances,
                default_width=face.defaultWidth,
                widest=max(face.charWidths.values(), default=face.defaultWidth),
                figure_width=max(advances[ord(ch)] for ch in FIGURES),
                ascent=face.ascent,
            )
        return _metrics
