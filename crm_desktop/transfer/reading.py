"""Reading a CSV or .xlsx file into a header and text rows, each with the line it came from.

Encodings are never guessed silently: a file that is not UTF-8 is refused with a sentence that
says so, naming GBK when it reads as GBK (what Excel on Chinese Windows saves by default).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP

from crm_desktop.transfer.cells import text_of_sheet_cell, unmarked_csv_text
from crm_desktop.transfer.errors import TransferError

T = QT_TRANSLATE_NOOP
NOT_FOUND = T("Transfer", "There is no file {path}.")
EMPTY = T("Transfer", "The file {path} is empty; its first line must name the columns.")
GBK = T(
    "Transfer",
    "The file is not UTF-8 text (it looks like GBK/GB18030); save it as UTF-8 and try again.",
)
NOT_UTF8 = T("Transfer", "The file is not UTF-8 text; save it as UTF-8 and try again.")
UNCLOSED_QUOTE = T("Transfer", "Line {line}: a quoted value is never closed.")
BAD_CSV = T("Transfer", "Line {line} is not valid CSV ({reason}).")
WRONG_WIDTH = T("Transfer", "{place} {line} has {count} values but the header has {width} columns.")
NOT_XLSX = T("Transfer", "The file {path} is not an Excel .xlsx workbook.")


@dataclass
class FileTable:
    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line or sheet row number, one text per header column)
    place: str  # "line" for CSV, "row" for a sheet: what a user looks for in their program


def read_table(path: Path) -> FileTable:
    if not path.is_file():
        raise TransferError(NOT_FOUND, path=path)
    table = _read_xlsx(path) if path.suffix.lower() == ".xlsx" else _read_csv(path)
    if table is None:
        raise TransferError(EMPTY, path=path)
    return table


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gbk")
    except UnicodeDecodeError:
        raise TransferError(NOT_UTF8) from None
    raise TransferError(GBK)


def _read_csv(path: Path) -> FileTable | None:
    reader = csv.reader(io.StringIO(_decoded(path.read_bytes()), newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            if "unexpected end of data" in str(error):
                raise TransferError(UNCLOSED_QUOTE, line=start) from None
            raise TransferError(BAD_CSV, line=reader.line_num, reason=error) from None
        # The apostrophe an export puts before a would-be formula (see cells.csv_text) comes off;
        # a sheet's cells need none, so what it holds is read as it is.
        records.append((start, [unmarked_csv_text(cell) for cell in record]))
    return _table(records, "line", pad=False)


def _read_xlsx(path: Path) -> FileTable | None:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError):
        raise TransferError(NOT_XLSX, path=path) from None
    try:
        sheet = workbook.worksheets[0]
        records = [
            (number, [text_of_sheet_cell(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()
    # A sheet stores no cells after a row's last value, so short rows are normal there.
    return _table(records, "row", pad=True)


def _table(records: list[tuple[int, list[str]]], place: str, *, pad: bool) -> FileTable | None:
    records = [(line, cells) for line, cells in records if any(c.strip() for c in cells)]
    if not records:
        return None
    (_, header), *body = records
    header = [name.strip() for name in header]
    while header and not header[-1]:
        header.pop()  # spreadsheets often carry empty columns after the last named one
    width = len(header)
    rows = []
    for line, cells in body:
        if pad and len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        # Extra cells are fine as long as they are empty, for the same reason.
        if len(cells) < width or any(cell.strip() for cell in cells[width:]):
            raise TransferError(
                WRONG_WIDTH, place=place.capitalize(), line=line, count=len(cells), width=width
            )
        rows.append((line, cells[:width]))
    return FileTable(header, rows, place)
