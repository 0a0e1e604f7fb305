"""The page every report is printed on, and the pieces reports are made of.

A report is a title, a subtitle and a story of flowables (headings, notes, tables), laid out on
A4 with the report's title, the day it was printed and who printed it, and "page / pages" in
the footer of every page.

Tables are `DataTable`s rather than reportlab's `Table`: reportlab re-measures every remaining
row each time a table breaks across a page (2,000 rows take a second, 8,000 seven), and draws
each cell's text through a path that measures and escapes it again (~25 µs a string). A
pipeline of 100,000 customers has tens of thousands of lines. `DataTable` breaks each cell into
lines once, keeps the rows' running heights, splits in a bisection, and writes each page's text
as PDF operators in one go. Its header row is repeated on every page it runs onto, and a cell's
text wraps inside its column: between words, and between any two Chinese characters.
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from functools import partial
from typing import Any, BinaryIO
from weakref import WeakKeyDictionary
from xml.sax.saxutils import escape

from reportlab.lib.colors import Color, black
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Spacer

from crm_desktop.reports.fonts import FIGURES, FONT_NAME, Metrics, register_font
from crm_desktop.reports.text import T, say

PAGE_SIZE = A4
MARGIN = 15 * mm
FOOTER_SIZE = 7.5
BODY_SIZE = 9
TABLE_SIZE = 8
LEADING = 1.3  # line height, times the font size
PAD_X = 4  # points inside a cell, left and right
PAD_Y = 2.5  # above and below a cell's lines
# A cell never holds more lines: a row must fit on one page (a follow-up's text can be long).
MAX_CELL_LINES = 30
ELLIPSIS = "…"

INK = black
MUTED = Color(0.36, 0.38, 0.42)
HEADER_FILL = Color(0.87, 0.89, 0.92)
STRIPE_FILL = Color(0.96, 0.965, 0.975)
RULE = Color(0.55, 0.58, 0.62)

# Where a line may not break: before closing punctuation, after opening punctuation.
NO_BREAK_BEFORE = frozenset("，。、；：！？）】》」』〕…,.;:!?)]}%")
NO_BREAK_AFTER = frozenset("（【《「『〔([{¥$")
CJK_FROM = 0x2E80  # CJK radicals onwards: ideographs, kana, hangul, full-width forms


class Align(Enum):
    LEFT = "left"
    RIGHT = "right"
    CENTER = "center"


@dataclass(frozen=True)
class Column:
    label: str  # the header row's text, already translated
    share: float  # of the page's width; a table's shares add up to 1
    align: Align = Align.LEFT


@dataclass
class Report:
    """What a builder hands to `render`: the title block and the story below it."""

    title: str
    subtitle: str = ""
    # Above the title: a quote's letterhead.
    header: list[Flowable] = field(default_factory=list)
    story: list[Flowable] = field(default_factory=list)
    # A table of many columns (contract numbers, names, states) on the page turned sideways,
    # where its cells keep to one line.
    wide: bool = False

    def add(self, *flowables: Flowable) -> None:
        self.story.extend(flowables)


# -- text -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Styles:
    title: ParagraphStyle
    subtitle: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    note: ParagraphStyle


_styles: Styles | None = None


def styles() -> Styles:
    global _styles
    if _styles is None:
        register_font()

        def style(name: str, size: float, color: Color = INK, **more: Any) -> ParagraphStyle:
            # wordWrap "CJK" breaks between any two Chinese characters, as Chinese is written.
            return ParagraphStyle(
                name,
                fontName=FONT_NAME,
                fontSize=size,
                leading=size * LEADING,
                textColor=color,
                wordWrap="CJK",
                **more,
            )

        _styles = Styles(
            title=style("ReportTitle", 16, spaceAfter=3),
            subtitle=style("ReportSubtitle", 9.5, MUTED, spaceAfter=4),
            heading=style("ReportHeading", 11.5, spaceBefore=10, spaceAfter=4),
            body=style("ReportBody", BODY_SIZE),
            note=style("ReportNote", TABLE_SIZE, MUTED, spaceBefore=3),
        )
    return _styles


def paragraph(text: str, style: ParagraphStyle | None = None) -> Paragraph:
    """Plain text (a customer's name may hold "&" or "<") as a paragraph; lines kept."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style or styles().body)


def heading(text: str) -> Paragraph:
    return paragraph(text, styles().heading)


def note(text: str) -> Paragraph:
    return paragraph(text, styles().note)


def space(height: float = 6) -> Spacer:
    return Spacer(1, height)


def wrap_text(text: str, width: float, metrics: Metrics, size: float) -> list[str]:
    """The text broken into lines no wider than `width`: between words, between Chinese
    characters (not before closing punctuation), and inside a word only when it alone is
    wider than the line. Its own line breaks are kept; at most MAX_CELL_LINES lines."""
    limit = width * 1000 / size  # in the font's thousandths, as the advances are
    advance = metrics.advance
    lines: list[str] = []
    for part in text.split("\n"):
        part = part.rstrip()
        # Most cells fit: a bound first, then a measure, before breaking character by character.
        if len(part) * metrics.widest <= limit or metrics.units(part) <= limit:
            lines.append(part)
            continue
        start, used, breakable = 0, 0.0, -1
        index = 0
        while index < len(part):
            ch = part[index]
            if index > start and _may_break(part[index - 1], ch):
                breakable = index
            width = advance(ch)
            if used + width > limit and index > start:
                cut = breakable if breakable > start else index
                lines.append(part[start:cut].rstrip())
                start = cut
                while start < len(part) and part[start] == " ":
                    start += 1
                used = metrics.units(part[start:index])
                breakable = -1
                if start > index:  # the spaces skipped ran past this character
                    index = start
                continue
            used += width
            index += 1
        lines.append(part[start:])
    if len(lines) > MAX_CELL_LINES:
        last = lines[MAX_CELL_LINES - 1]
        while last and metrics.units(last + ELLIPSIS) > limit:
            last = last[:-1]  # room for the ellipsis saying there is more
        lines = [*lines[: MAX_CELL_LINES - 1], last + ELLIPSIS]
    return lines


def _may_break(before: str, after: str) -> bool:
    if after in NO_BREAK_BEFORE or before in NO_BREAK_AFTER or after == " ":
        return False
    if before == " ":
        return True
    return ord(before) >= CJK_FROM or ord(after) >= CJK_FROM


# -- tables ---------------------------------------------------------------------------------


# A piece of a cell a line never breaks inside: a word, a date, a number (Chinese text breaks
# between any two characters, so each of its characters is a piece of its own).
_UNBROKEN = re.compile(r"[^\s\u2e80-\uffff]+|[\u2e80-\uffff]")


def _column_widths(table: DataTable, width: float) -> list[float]:
    """Each column's share of the width, but a right-aligned one (money, counts) at least as
    wide as its widest number: a number broken over two lines is misread ("12,345,678.9"
    above "0"). What that takes comes from the left-aligned columns' room to spare, each
    keeping its longest word or date whole; a table that cannot make room keeps its shares."""
    widths = [column.share * width for column in table.columns]
    numbers = [n for n, column in enumerate(table.columns) if column.align is Align.RIGHT]
    metrics, size = table.metrics, table.size
    rows = [*table.rows, *([table.total] if table.total is not None else [])]
    wanted = list(widths)
    for n in numbers:
        longest = max(
            (len(row[n]) for row in rows if n < len(row) and not row[n].strip(FIGURES)),
            default=0,
        )
        wanted[n] = max(widths[n], longest * metrics.figure_width * size / 1000 + 2 * PAD_X)
    grow = sum(wanted[n] - widths[n] for n in numbers)
    if grow <= 0:
        return widths
    spare: dict[int, float] = {}
    for n, column in enumerate(table.columns):
        if column.align is Align.RIGHT:
            continue
        pieces = (piece for row in rows if n < len(row) for piece in _UNBROKEN.findall(row[n]))
        floor = max(map(metrics.units, pieces), default=0.0) * size / 1000 + 2 * PAD_X
        spare[n] = max(0.0, widths[n] - floor)
    room = sum(spare.values())
    if grow > room:
        return widths
    for n, left in spare.items():
        wanted[n] = widths[n] - grow * left / room
    return wanted


class _Layout:
    """A table's cells broken into lines for one width: shared by the parts it splits into,
    so each row is measured once however many pages the table runs over."""

    def __init__(self, table: DataTable, width: float) -> None:
        metrics = table.metrics
        size = table.size
        self.width = width
        self.widths = _column_widths(table, width)
        self.xs = [sum(self.widths[:n]) for n in range(len(self.widths))]
        self.leading = size * LEADING
        # The first baseline below a row's top: the padding, half the extra leading, ascent.
        self.baseline = PAD_Y + (self.leading - size) / 2 + metrics.ascent * size / 1000
        inner = [max(1.0, w - 2 * PAD_X) for w in self.widths]
        limits = [room * 1000 / size for room in inner]  # in the font's thousandths
        widest, figure_width = metrics.widest, metrics.figure_width
        wrapped: dict[tuple[int, str], list[str]] = {}

        def lines_of(row: Sequence[str]) -> list[list[str]]:
            # A quarter of a million cells at 100,000 customers: most fit their column, which
            # a bound on their width proves without measuring them (numbers and dates have a
            # narrower one); the others are broken once per column whatever rows repeat them.
            cells: list[list[str]] = []
            for n, text in enumerate(row):
                if not text:
                    cells.append([])
                elif "\n" not in text and (
                    len(text) * widest <= limits[n]
                    or (not text.strip(FIGURES) and len(text) * figure_width <= limits[n])
                ):
                    cells.append([text])
                else:
                    found = wrapped.get((n, text))
                    if found is None:
                        found = wrapped[(n, text)] = wrap_text(text, inner[n], metrics, size)
                    cells.append(found)
            return cells

        self.header = lines_of(table.header) if table.header else None
        self.header_height = self._height(self.header) if self.header else 0.0
        self.rows = [lines_of(row) for row in table.rows]
        # tops[n]: how far row n starts below the first row's top; tops[-1]: all rows' height.
        self.tops = [0.0]
        for row in self.rows:
            self.tops.append(self.tops[-1] + self._height(row))
        self.total = lines_of(table.total) if table.total is not None else None
        self.total_height = self._height(self.total) if self.total is not None else 0.0
        self.text_widths: dict[str, float] = {}

    def _height(self, row: list[list[str]]) -> float:
        lines = max((len(cell) for cell in row), default=0)
        return max(1, lines) * self.leading + 2 * PAD_Y


class DataTable(Flowable):
    """Rows of text under a header repeated on every page, with an optional total row kept
    with the last rows. Columns are shares of the page's width; cells wrap inside them."""

    def __init__(
        self,
        columns: Sequence[Column],
        rows: Sequence[Sequence[str]],
        total: Sequence[str] | None = None,
        *,
        header: bool = True,
        stripes: bool = True,
        rules: bool = True,
        size: float = TABLE_SIZE,
    ) -> None:
        super().__init__()
        self.columns = list(columns)
        self.header = [column.label for column in self.columns] if header else None
        self.rows = rows
        self.total = total
        self.stripes = stripes
        self.rules = rules  # the line under the header, above the total and at the bottom
        self.size = size
        self.metrics = register_font()
        self._layout: _Layout | None = None
        self._start, self._stop = 0, len(rows)  # the rows this part shows
        self.spaceAfter = 6  # platypus's name: the gap before whatever follows the table

    def _layout_for(self, width: float) -> _Layout:
        if self._layout is None or abs(self._layout.width - width) > 0.01:
            self._layout = _Layout(self, width)
        return self._layout

    @property
    def _last(self) -> bool:
        return self._stop == len(self.rows)

    def _rows_height(self, layout: _Layout) -> float:
        return layout.tops[self._stop] - layout.tops[self._start]

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        layout = self._layout_for(availWidth)
        self.width = availWidth
        self.height = layout.header_height + self._rows_height(layout)
        if self._last:
            self.height += layout.total_height
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        layout = self._layout_for(availWidth)
        room = availHeight - layout.header_height - 1e-6  # rounding never lets a row overflow
        # The last row that ends within the room (tops are increasing: a bisection).
        stop = bisect_right(layout.tops, layout.tops[self._start] + room, self._start) - 1
        if stop >= self._stop:
            # Everything fits but the total: it goes with at least the last row, never alone
            # at the top of a page.
            stop = self._stop - 1
        if stop <= self._start:
            return []  # not even one row fits here: the frame moves on to the next page
        return [self._part(self._start, stop), self._part(stop, self._stop)]

    def _part(self, start: int, stop: int) -> DataTable:
        """Rows [start, stop) of the same table. Only the table's own attributes are copied:
        platypus marks a flowable it had to move on (`_postponed`), and a part carrying that
        mark would be refused on the next page as too large."""
        part = DataTable(
            self.columns,
            self.rows,
            self.total,
            stripes=self.stripes,
            rules=self.rules,
            size=self.size,
        )
        part.header, part._layout = self.header, self._layout
        part._start, part._stop = start, stop
        return part

    def draw(self) -> None:
        # The page's rectangles, rules and text go out as PDF operators in one piece (see the
        # module's docstring): through the canvas, the stripes alone cost a second at 1,000
        # pages.
        layout = self._layout_for(self.width)
        width = self.width
        top = self.height
        ops = ["q", f"{_rgb(RULE)} RG 0.4 w"]
        boxes: list[tuple[float, list[list[str]]]] = []  # (top, cells) of each row drawn
        if layout.header is not None:
            ops.append(_band(HEADER_FILL, top - layout.header_height, width, layout.header_height))
            boxes.append((top, layout.header))
            top -= layout.header_height
            ops.append(_rule(top, width))
        base = layout.tops[self._start]
        stripes = []
        for index in range(self._start, self._stop):
            row_top = top - (layout.tops[index] - base)
            # Stripes by the row's place in the whole table, so they run on across pages.
            if self.stripes and index % 2:
                height = layout.tops[index + 1] - layout.tops[index]
                stripes.append(f"0 {row_top - height:.2f} {width:.2f} {height:.2f} re")
            boxes.append((row_top, layout.rows[index]))
        if stripes:
            ops.extend([f"{_rgb(STRIPE_FILL)} rg", *stripes, "f"])
        bottom = top - self._rows_height(layout)
        if self._last and layout.total is not None:
            ops.append(_band(HEADER_FILL, bottom - layout.total_height, width, layout.total_height))
            ops.append(_rule(bottom, width))
            boxes.append((bottom, layout.total))
            bottom -= layout.total_height
        if self.rules:
            ops.append(_rule(bottom, width))
        ops.append(f"{_rgb(INK)} rg")
        # The inner loop of a thousand-page report: names bound locally, no call per line for
        # a text already encoded or measured, and the numbers of a left-aligned cell's place
        # (its column's x, its line's y) formatted once for the row.
        encoder, size, leading = _encoder(self.canv, self.metrics), self.size, layout.leading
        encoded, widths = encoder.cache(size), layout.text_widths
        lefts = [f"1 0 0 1 {x + PAD_X:.2f} " for x in layout.xs]
        show = ops.append
        show("BT")
        for row_top, cells in boxes:
            first = row_top - layout.baseline
            ys = [f"{first - k * leading:.2f} Tm " for k in range(max(map(len, cells)))]
            for n, lines in enumerate(cells):
                align = self.columns[n].align
                for k, line in enumerate(lines):
                    if not line:
                        continue
                    shown = encoded.get(line) or encoder.encode(line, size)
                    if align is Align.LEFT:
                        show(lefts[n] + ys[k] + shown)
                        continue
                    width = widths.get(line)
                    if width is None:
                        width = widths[line] = self.metrics.width(line, size)
                    spare = layout.widths[n] - 2 * PAD_X - width
                    x = layout.xs[n] + PAD_X + (spare if align is Align.RIGHT else spare / 2)
                    show(f"1 0 0 1 {x:.2f} " + ys[k] + shown)
        show("ET")
        ops.append("Q")
        self.canv.addLiteral("\n".join(ops))


def _rgb(color: Color) -> str:
    return f"{color.red:.3f} {color.green:.3f} {color.blue:.3f}"


def _band(color: Color, y: float, width: float, height: float) -> str:
    return f"{_rgb(color)} rg 0 {y:.2f} {width:.2f} {height:.2f} re f"


def _rule(y: float, width: float) -> str:
    return f"0 {y:.2f} m {width:.2f} {y:.2f} l S"


class _Encoder:
    """Each text as the PDF operators showing it in the font's subsets, for one document.

    reportlab's TrueType embedding gives every character used a one-byte code in one of the
    font's subsets (256 characters each), in the order characters first appear; its ToUnicode
    maps, written at the end, are what keep the text searchable and copyable. `splitString`
    assigns the codes, at about a microsecond a character in Python. It is asked only about
    texts with a character not seen before in this document; what it assigned (one byte per
    character, in order) is remembered as a translation table, and every other text is encoded
    by `str.translate`. Each text's operators are kept, for stages, owners and dates repeat.
    """

    def __init__(self, metrics: Metrics, document: object) -> None:
        self._font = metrics.font
        self._document = document
        # Character code -> chr(subset * 256 + code in the subset): its UTF-16 form is then the
        # subset's number and the byte, two bytes a character. A font holds far fewer than the
        # 216 subsets (55,296 characters) that would reach the surrogates.
        self._codes: dict[int, str] = {}
        self._known: set[str] = set()
        self._names: dict[int, str] = {}
        self._ops: dict[float, dict[str, str]] = {}

    def cache(self, size: float) -> dict[str, str]:
        """The operators of each text encoded so far at this size."""
        return self._ops.setdefault(size, {})

    def encode(self, text: str, size: float) -> str:
        """The operators showing the text at this size (from then on in `cache(size)`)."""
        found = self._ops.setdefault(size, {})[text] = self._encode(text, size)
        return found

    def _encode(self, text: str, size: float) -> str:
        if not self._known.issuperset(text):
            self._learn(text)
        pairs = text.translate(self._codes).encode("utf-16-be")
        subsets, codes = pairs[0::2], pairs[1::2]
        return " ".join(
            f"{self._name(run.group()[0])} {size:g} Tf <{codes[run.start() : run.end()].hex()}> Tj"
            for run in _RUNS.finditer(subsets)
        )

    def _learn(self, text: str) -> None:
        offset = 0
        for subset, codes in self._font.splitString(text, self._document):
            for ch, code in zip(text[offset : offset + len(codes)], codes, strict=True):
                self._codes[ord(ch)] = chr(subset << 8 | code)
            offset += len(codes)
        self._known.update(text)

    def _name(self, subset: int) -> str:
        found = self._names.get(subset)
        if found is None:
            found = self._names[subset] = self._font.getSubsetInternalName(subset, self._document)
        return found


_RUNS = re.compile(rb"(.)\1*", re.DOTALL)  # runs of one subset
_encoders: WeakKeyDictionary[object, _Encoder] = WeakKeyDictionary()
_encoders_lock = threading.Lock()


def _encoder(canvas: Canvas, metrics: Metrics) -> _Encoder:
    # reportlab keeps a font's subsets per document (canvas._doc), and so does this.
    document = canvas._doc
    with _encoders_lock:
        found = _encoders.get(document)
        if found is None:
            found = _encoders[document] = _Encoder(metrics, document)
        return found


def table(
    columns: Sequence[Column],
    rows: Sequence[Sequence[str]],
    total: Sequence[str] | None = None,
    *,
    empty: str | None = None,
) -> Flowable:
    """A table of the rows under the columns' header (repeated on every page), with a total
    row when given; `empty`: the sentence shown instead when there are no rows."""
    if not rows and empty is not None:
        return note(empty)
    return DataTable(columns, rows, total)


def details(pairs: Sequence[tuple[str, str]], label_share: float = 0.26) -> Flowable:
    """Label and value lines (a customer's details): empty values left out."""
    shown = [(label, value) for label, value in pairs if value]
    columns = [Column("", label_share), Column("", 1 - label_share)]
    return DataTable(columns, shown, header=False, stripes=False, rules=False, size=BODY_SIZE)


# -- the page -------------------------------------------------------------------------------


class _NumberedCanvas(Canvas):
    """Writes the footer of every page once the last page is known, for "page / pages": each
    page is kept until `save`, then finished with its footer."""

    def __init__(self, *args: Any, title: str, printed: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._title = title
        self._printed = printed
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, 1):
            self.__dict__.update(state)
            self._draw_footer(number, total)
            super().showPage()
        super().save()

    def _draw_footer(self, number: int, total: int) -> None:
        width, _height = self._pagesize
        y = MARGIN / 2
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.4)
        self.line(MARGIN, y + FOOTER_SIZE * 1.4, width - MARGIN, y + FOOTER_SIZE * 1.4)
        self.setFont(FONT_NAME, FOOTER_SIZE)
        self.setFillColor(MUTED)
        pages = f"{number} / {total}"
        room = width - 2 * MARGIN - self.stringWidth(pages) - 2 * FOOTER_SIZE
        line = footer_line(self._title, self._printed, room, self.stringWidth)
        self.drawString(MARGIN, y, line)
        self.drawRightString(width - MARGIN, y, pages)
        self.restoreState()


def printed_text(printed_by: str, printed_on: date) -> str:
    if printed_by:
        return say(T("Reports", "Printed on {date} by {name}"), date=printed_on, name=printed_by)
    return say(T("Reports", "Printed on {date}"), date=printed_on)


def footer_line(title: str, printed: str, room: float, width_of: Callable[[str], float]) -> str:
    """ "title · printed", the title cut short with "…" where the whole line would not fit in
    `room` points: a long customer name ran over the page number."""
    line = f"{title} · {printed}"
    if width_of(line) <= room:
        return line
    kept = title
    while kept and width_of(f"{kept.rstrip()}… · {printed}") > room:
        kept = kept[:-1]
    return f"{kept.rstrip()}… · {printed}"


def render(report: Report, out: BinaryIO, printed_by: str, printed_on: date) -> int:
    """Lay the report out on pages and write the PDF to `out`; the number of pages."""
    look = styles()
    document = BaseDocTemplate(
        out,
        pagesize=landscape(PAGE_SIZE) if report.wide else PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN + FOOTER_SIZE * 2,
        title=report.title,
        author=printed_by,
        subject=report.subtitle,
        creator="CRM Desktop",
    )
    frame = Frame(
        document.leftMargin,
        document.bottomMargin,
        document.width,
        document.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    document.addPageTemplates([PageTemplate("report", [frame])])
    story: list[Flowable] = [*report.header, paragraph(report.title, look.title)]
    if report.subtitle:
        story.append(paragraph(report.subtitle, look.subtitle))
    story.extend(report.story)
    printed = printed_text(printed_by, printed_on)
    document.build(story, canvasmaker=partial(_NumberedCanvas, title=report.title, printed=printed))
    return document.page
