"""A streaming .xlsx writer: one sheet of text and number cells, written batch by batch straight
into the zip, so 100,000 rows take seconds and never sit in memory together.

openpyxl's write-only mode builds an element per cell in pure Python (there is no lxml here) and
spent nine tenths of a 100,000-customer export doing so. A workbook this simple is a zip of six
short XML parts, so this writes them itself, and openpyxl stays for reading.

Every str becomes an inline text cell (`t="inlineStr"`), which a sheet shows as text whatever it
starts with (=, +86 138..., -5, @sum, #N/A): no cell can run as a formula, and none needs a mark.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Sequence
from contextlib import suppress
from decimal import Decimal
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO
from xml.sax.saxutils import quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
SHEET_PART = "xl/worksheets/sheet1.xml"

CONTENT_TYPES = f"""{DECLARATION}\
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" ContentType="{OFFICE}.sheet.main+xml"/>\
<Override PartName="/{SHEET_PART}" ContentType="{OFFICE}.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" ContentType="{OFFICE}.styles+xml"/>\
</Types>"""
PACKAGE_RELS = f"""{DECLARATION}\
<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">\
<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/>\
</Relationships>"""
WORKBOOK_RELS = f"""{DECLARATION}\
<Relationships xmlns="{PACKAGE_RELATIONSHIPS}">\
<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="{RELATIONSHIPS}/styles" Target="styles.xml"/>\
</Relationships>"""
# The least a sheet program accepts without offering to repair the file: one font, the two
# fills every workbook has, one border and one cell format.
STYLES = f"""{DECLARATION}\
<styleSheet xmlns="{MAIN}">\
<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""
SHEET_START = f'{DECLARATION}<worksheet xmlns="{MAIN}"><sheetData>'
SHEET_END = "</sheetData></worksheet>"

# XML 1.0 cannot hold C0 controls other than tab, line feed and carriage return, nor U+FFFE,
# U+FFFF or a lone surrogate, even as &#...;: they are dropped (the import refuses control
# characters anyway). A carriage return is written as &#13;, since a parser turns a literal
# one into a line feed.
_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_REPLACEMENTS = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
# Level 1: for 100,000 customers a file a fifth larger than zlib's default level 6 makes
# (14.5 MB against 12.1), and a second sooner.
COMPRESSION_LEVEL = 1


def _replacement(match: re.Match[str]) -> str:
    return _REPLACEMENTS.get(match.group(), "")


def xml_text(text: str) -> str:
    """Text as XML element content: &, < and > escaped, characters XML forbids left out."""
    return _SPECIAL.sub(_replacement, text) if _SPECIAL.search(text) else text


def column_letters(number: int) -> str:
    """A 0-based column index as a sheet names it: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _number_text(value: Any) -> str | None:
    """A finite number as a cell's value; None for anything else."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    if isinstance(value, Decimal) and value.is_finite():
        return str(value)
    return None


class SheetWriter:
    """An .xlsx file with one sheet, filled by `write_rows`, finished by `close`.

    A row is a sequence of cells: str for text, int, float or Decimal for a number, None (or "")
    for an empty cell. Use it as a context manager: leaving the block finishes the file, and an
    exception instead removes the half-written one.
    """

    def __init__(self, path: Path, sheet_name: str) -> None:
        self.path = Path(path)
        self._rows = 0
        self._cell_starts: list[str] = []
        self._archive = zipfile.ZipFile(
            self.path, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSION_LEVEL
        )
        try:
            for name, text in (
                ("[Content_Types].xml", CONTENT_TYPES),
                ("_rels/.rels", PACKAGE_RELS),
                ("xl/workbook.xml", _workbook(sheet_name)),
                ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
                ("xl/styles.xml", STYLES),
            ):
                self._archive.writestr(name, text)
            # zip64: a sheet's XML may pass 4 GB before compression.
            self._sheet: BinaryIO = self._archive.open(SHEET_PART, "w", force_zip64=True)
            self._sheet.write(SHEET_START.encode())
        except BaseException:
            self.abandon()
            raise

    def write_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        """Append rows after those already written."""
        widest = max((len(row) for row in rows), default=0)
        while len(self._cell_starts) < widest:
            self._cell_starts.append(f'<c r="{column_letters(len(self._cell_starts))}')
        parts: list[str] = []
        append = parts.append
        number = self._rows
        for row in rows:
            number += 1
            append(f'<row r="{number}">')
            # Not strict: a row may be shorter than the widest one written so far.
            for start, value in zip(self._cell_starts, row, strict=False):
                if value.__class__ is str:
                    if value:
                        if _SPECIAL.search(value):
                            value = _SPECIAL.sub(_replacement, value)
                        # preserve: a sheet program would trim leading and trailing spaces.
                        append(
                            f'{start}{number}" t="inlineStr"><is><t xml:space="preserve">'
                            f"{value}</t></is></c>"
                        )
                elif value is not None:
                    append(self._other_cell(start, number, value))
            append("</row>")
        self._sheet.write("".join(parts).encode())
        self._rows = number

    @staticmethod
    def _other_cell(start: str, number: int, value: Any) -> str:
        text = _number_text(value)
        if text is None:
            raise TypeError(f"a sheet cell holds text or a finite number, not {value!r}")
        return f'{start}{number}"><v>{text}</v></c>'

    def close(self) -> None:
        """Finish the sheet and the zip."""
        try:
            self._sheet.write(SHEET_END.encode())
            self._sheet.close()
        finally:
            self._archive.close()

    def abandon(self) -> None:
        """Close without finishing and remove the file, which would not open anyway."""
        # The error that stopped the export is the one to report, not one closing adds to it
        # (the disk that was full is still full).
        with suppress(Exception):
            self._sheet.close()
        with suppress(Exception):
            self._archive.close()
        # Only a file: a device such as /dev/null is written to, never removed.
        if self.path.is_file():
            with suppress(OSError):
                self.path.unlink()

    def __enter__(self) -> SheetWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is not None:
            self.abandon()
            return
        try:
            self.close()
        except BaseException:
            self.abandon()
            raise


def _workbook(sheet_name: str) -> str:
    return (
        f'{DECLARATION}<workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
        f'<sheet name={quoteattr(sheet_name)} sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
