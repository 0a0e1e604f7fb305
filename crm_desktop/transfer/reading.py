"""Reading a CSV, .xlsx or vCard file into a header and text rows, each with the line it came from.

A CSV file may be in any encoding a Chinese or Taiwanese office program saves: UTF-8 (with or
without the byte-order mark Excel writes), GBK/GB18030 (Excel on mainland Windows), Big5 (Excel
in Taiwan and Hong Kong) or UTF-16 with its byte-order mark ("Unicode text" in Excel). The
encoding is detected (`detect_encoding`) and the caller may override it; a file that does not
decode in the chosen encoding is refused with the line that does not, never read as mojibake.
Its delimiter is sniffed as well: old Chinese systems export tab-separated .txt and .csv files.

A workbook's cells are read as the sheet shows them: a merged range's value (a company merged
down over its people) in each of its cells. A number too long for a sheet to have kept all its
digits (an ID number typed into a General cell) refuses the file, naming its cell.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from crm_desktop.duplicates.records import without_cyclic_gc
from crm_desktop.storage.errors import plain_reason
from crm_desktop.transfer.cells import LongSheetNumber, text_of_sheet_cell, unmarked_csv_text
from crm_desktop.transfer.errors import TransferError
from crm_desktop.transfer.headers import recognised_count
from crm_desktop.transfer.xlsx import column_letters

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook  # loaded only when a workbook is read

T = QT_TRANSLATE_NOOP
NOT_FOUND = T("Transfer", "There is no file {path}.")
A_FOLDER = T("Transfer", "{path} is a folder; choose a file in it.")
EMPTY = T("Transfer", "The file {path} is empty; its first line must name the columns.")
NOT_DECODABLE = T(
    "Transfer",
    "Line {line} of the file is not {encoding} text; choose the file's encoding, "
    "or save it as UTF-8 and try again.",
)
UNKNOWN_ENCODING = T("Transfer", "“{encoding}” is not the name of a text encoding.")
UNCLOSED_QUOTE = T("Transfer", "Line {line}: a quoted value is never closed.")
BAD_CSV = T("Transfer", "Line {line} is not valid CSV ({reason}).")
WRONG_WIDTH = T("Transfer", "{where} has {count} values but the header has {width} columns.")
# Where a row of a file is, as its reader counts: a CSV's line, a sheet's row (第 3 行).
AT_PLACE = {"line": T("Transfer", "line {line}"), "row": T("Transfer", "row {line}")}
NOT_XLSX = T("Transfer", "The file {path} is not an Excel .xlsx workbook.")
CANNOT_READ = T(
    "Transfer",
    "The file {path} cannot be read ({reason}); close it in the program that has it open, "
    "or check that you may read it.",
)
NO_SUCH_SHEET = T(
    "Transfer", "The workbook has no sheet named “{sheet}”; its sheets are: {sheets}."
)
LONG_NUMBER = T(
    "Transfer",
    "Row {row}, column {column} holds the number {value}, longer than the 15 digits Excel "
    "keeps, so its last digits are lost; format the column as text, type the number again "
    "and save the file.",
)

# The encodings offered to the user, in the order a window lists them (Python codec names).
ENCODINGS = ("utf-8", "gb18030", "big5", "utf-16")
VCARD_SUFFIXES = frozenset({".vcf", ".vcard"})
XLSX_SUFFIX = ".xlsx"
DELIMITERS = (",", "\t", ";")  # the first wins a tie: a one-column file is plain CSV

_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
# Legacy Chinese encodings a non-UTF-8 file is tried in. GB18030 reads every GBK and GB2312 file.
_LEGACY = ("gb18030", "big5")
# Enough text to judge an encoding or a delimiter by; decoding the whole file is the real test.
_SAMPLE_BYTES = 64 * 1024
# Below this many non-ASCII characters charset-normalizer guesses Big5 for most short GBK text
# (two-character names like 张伟 or 名称): it is asked only about longer samples.
_NORMALIZER_MIN_CHARS = 100
# Share of invalid sequences under which undecodable "UTF-8" is UTF-8 with a damaged line, not
# another encoding: GBK bytes read as UTF-8 are nearly all invalid.
_DAMAGED_UTF8_SHARE = 0.2
# A merged range as a sheet's XML lists it (<mergeCell ref="A2:A4"/>, its namespace prefix, if
# any, whatever a program chose); text in the XML cannot hold a "<", so this is only ever a tag.
_MERGE_CELL = re.compile(rb"<(?:[\w.-]+:)?mergeCell\s[^>]*?\bref\s*=\s*[\"']([^\"']+)[\"']")
_XML_CHUNK = 1 << 20


@dataclass
class FileTable:
    """A file's header and rows as text, before any column is given a meaning."""

    header: list[str]
    rows: list[tuple[int, list[str]]]  # (line or sheet row number, one text per header column)
    place: str  # "line" for CSV and vCard, "row" for a sheet: what a user looks for
    encoding: str | None = None  # the Python codec a text file was read in; None for a sheet
    sheet: str | None = None  # the sheet a workbook was read from
    source: str = "csv"  # "csv", "xlsx" or "vcard"


def read_table(path: Path, *, encoding: str | None = None, sheet: str | None = None) -> FileTable:
    """Read a .csv (or tab-separated .txt), .xlsx or .vcf file; raises TransferError.

    `encoding` (a Python codec name) overrides detection for a text file; `sheet` names the
    sheet of a workbook to read (default: the first that holds a list, see _first_list). A
    workbook has no encoding and a text file no sheets, so each is ignored where it does not
    apply: a window may pass both."""
    _check_file(path)
    suffix = path.suffix.lower()
    # A row is a list of strings and the file a list of rows: 100,000 rows of live objects
    # that Python's cycle collector would walk again at each full collection (most of a CSV's
    # reading time). A workbook's cells and sheets refer to each other: that garbage is
    # collected at the first collection after the reading.
    with without_cyclic_gc():
        if suffix == XLSX_SUFFIX:
            table = _read_xlsx(path, sheet)
        elif suffix in VCARD_SUFFIXES:
            # Imported here, as openpyxl is: vobject is loaded only when a card file is read.
            from crm_desktop.transfer.vcard import read_vcard

            table = read_vcard(path, encoding=encoding)
        else:
            table = _read_csv(path, encoding)
    if table is None:
        raise TransferError(EMPTY, path=path)
    return table


def _check_file(path: Path) -> None:
    """That `path` is a file to read; TransferError saying what it is otherwise."""
    if path.is_dir():
        raise TransferError(A_FOLDER, path=path)
    if not path.is_file():
        raise TransferError(NOT_FOUND, path=path)


def detect_encoding(path: Path) -> str:
    """The Python codec a text file is most likely in: "utf-8", "utf-8-sig", "utf-16-le",
    "utf-16-be", "gb18030" or "big5". Raises TransferError when there is no such file."""
    _check_file(path)
    return encoding_of(file_bytes(path))


def encoding_of(data: bytes) -> str:
    """The Python codec `data` is most likely in (see `detect_encoding`).

    UTF-8 wins whenever the bytes are valid UTF-8, and so does a byte-order mark. Bytes that
    decode both as GB18030 and as Big5 (most Big5 text is valid GB18030 and much GBK text
    valid Big5) go by the decoding whose header a CRM file would have, then by which one reads
    as common characters (the other reads as rare ones, kana or Cyrillic), then, for longer
    text, by charset-normalizer restricted to the two; a tie is GB18030, this program's users'
    own. Never anything else: unrestricted, charset-normalizer takes short Chinese text for
    Korean (cp949) or Japanese."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    if _damaged_utf8(data):
        return "utf-8"  # reading it then names the damaged line
    decoded: dict[str, str] = {}
    for name in _LEGACY:
        with contextlib.suppress(UnicodeDecodeError):
            decoded[name] = data.decode(name)
    if len(decoded) == 1:
        return next(iter(decoded))
    if not decoded:
        # Neither reads the whole file: the one that reads further names the first bad line.
        return max(_LEGACY, key=lambda name: _decodable_length(data, name))
    return _likelier_legacy(data, decoded)


def _damaged_utf8(data: bytes) -> bool:
    """UTF-8 text with a few bytes that are not: mostly valid multi-byte sequences."""
    text = data[:_SAMPLE_BYTES].decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    wide = sum(1 for char in text if char > "\x7f") - bad
    return bad <= _DAMAGED_UTF8_SHARE * (wide + bad)


def _decodable_length(data: bytes, encoding: str) -> int:
    try:
        data.decode(encoding)
    except UnicodeDecodeError as error:
        return error.start
    return len(data)


def _likelier_legacy(data: bytes, decoded: dict[str, str]) -> str:
    gb, big5 = decoded["gb18030"], decoded["big5"]
    header_gb = recognised_count(_first_record(gb))
    header_big5 = recognised_count(_first_record(big5))
    if header_gb != header_big5:
        return "gb18030" if header_gb > header_big5 else "big5"
    sample_gb, sample_big5 = gb[: _SAMPLE_BYTES // 2], big5[: _SAMPLE_BYTES // 2]
    common_gb = _common_share(sample_gb, "gb2312", _common_gb2312)
    common_big5 = _common_share(sample_big5, "big5", _common_big5)
    if abs(common_gb - common_big5) >= 0.1:
        return "gb18030" if common_gb > common_big5 else "big5"
    if sum(1 for char in sample_gb if char > "\x7f") >= _NORMALIZER_MIN_CHARS:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:_SAMPLE_BYTES], cp_isolation=list(_LEGACY)).best()
        if best is not None and best.encoding == "big5":
            return "big5"
    return "gb18030"


def _common_gb2312(code: bytes) -> float:
    """How common a GB2312 character is: level-1 hanzi (the 3,755 everyday ones) and Chinese
    punctuation count whole, level-2 hanzi half; kana, Greek and Cyrillic (what Big5 bytes
    read as GB18030 often give) nothing."""
    lead = code[0]
    if 0xB0 <= lead <= 0xD7 or lead in (0xA1, 0xA3):
        return 1.0
    return 0.5 if 0xD8 <= lead <= 0xF7 else 0.0


def _common_big5(code: bytes) -> float:
    """How common a Big5 character is: its frequent hanzi (A440–C67E) and punctuation count
    whole, the less frequent ones (C940–F9D5) half."""
    value = int.from_bytes(code[:2], "big")
    if 0xA440 <= value <= 0xC67E or 0xA140 <= value <= 0xA3BF:
        return 1.0
    return 0.5 if 0xC940 <= value <= 0xF9D5 else 0.0


def _common_share(text: str, codec: str, weight: Callable[[bytes], float]) -> float:
    chars = [char for char in text if char > "\x7f"]
    if not chars:
        return 0.0
    total = 0.0
    for char in chars:
        try:
            code = char.encode(codec)
        except UnicodeEncodeError:
            continue  # outside the everyday set: counts nothing
        total += weight(code)
    return total / len(chars)


def _first_record(text: str) -> list[str]:
    head = text[:_SAMPLE_BYTES].lstrip("\ufeff")
    delimiter = _delimiter(head)
    try:
        return next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), [])
    except csv.Error:
        return []


def decoded_text(data: bytes, encoding: str | None) -> tuple[str, str]:
    """`data` as text in `encoding` (detected when None), with the codec used; raises
    TransferError naming the first line that is not text in it."""
    if encoding is None:
        if not data.startswith(_BOMS):
            # Most files are UTF-8: decoding them is the whole test, done once.
            with contextlib.suppress(UnicodeDecodeError):
                return data.decode("utf-8"), "utf-8"
        encoding = encoding_of(data)
    else:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise TransferError(UNKNOWN_ENCODING, encoding=encoding) from None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        before = data[: error.start].decode(encoding, errors="replace")
        raise TransferError(
            NOT_DECODABLE, line=before.count("\n") + 1, encoding=_display_name(encoding)
        ) from None
    # A byte-order mark read by a codec that keeps it (utf-16-le, a user's "utf-8") is no text.
    return text.removeprefix("\ufeff"), encoding


def _display_name(encoding: str) -> str:
    """A codec as people call it: GB18030, UTF-8, Big5."""
    names = {"utf-8-sig": "UTF-8", "big5": "Big5", "cp936": "GBK"}
    return names.get(encoding, encoding.upper())


def _delimiter(text: str) -> str:
    """The delimiter that splits the first record into the most columns (quotes respected)."""
    text = text.lstrip("\r\n")  # blank lines before the header are skipped by the reading too
    first = text[: text.find("\n") + 1 or len(text)]
    best, width = DELIMITERS[0], 0
    for delimiter in DELIMITERS:
        try:
            record = next(csv.reader(io.StringIO(first, newline=""), delimiter=delimiter), [])
        except csv.Error:
            continue
        if len(record) > width:
            best, width = delimiter, len(record)
    return best


def file_bytes(path: Path) -> bytes:
    """A text file's bytes; TransferError when the system will not give them (a file Excel
    holds open on Windows, one the user may not read)."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise TransferError(CANNOT_READ, path=path, reason=plain_reason(error)) from None


def _read_csv(path: Path, encoding: str | None) -> FileTable | None:
    text, used = decoded_text(file_bytes(path), encoding)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=_delimiter(text))
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
    table = table_of(records, "line", pad=False)
    if table is not None:
        table.encoding = used
    return table


def sheet_names(path: Path) -> list[str]:
    """The names of an .xlsx workbook's sheets, in their order; raises TransferError."""
    _check_file(path)
    workbook = _workbook(path)
    try:
        return list(workbook.sheetnames)
    finally:
        workbook.close()


def _workbook(path: Path) -> Workbook:
    from zipfile import BadZipFile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError):
        raise TransferError(NOT_XLSX, path=path) from None
    except OSError as error:
        raise TransferError(CANNOT_READ, path=path, reason=plain_reason(error)) from None


def _read_xlsx(path: Path, sheet: str | None) -> FileTable | None:
    """The named sheet, or by default the first that holds a list (_first_list)."""
    workbook = _workbook(path)
    try:
        if sheet is None:
            return _first_list(path, workbook.worksheets)
        if sheet not in workbook.sheetnames:
            sheets = ", ".join(f"“{name}”" for name in workbook.sheetnames)
            raise TransferError(NO_SUCH_SHEET, sheet=sheet, sheets=sheets)
        return _read_sheet(path, workbook[sheet])
    finally:
        workbook.close()


def _first_list(path: Path, worksheets: list[Any]) -> FileTable | None:
    """The first sheet with rows under a header of two columns or more. An old system's
    workbook often opens on a page of notes (说明, a title and a date, one value a line) or an
    empty sheet, and a clerk would not think of choosing the next one. Failing that, the first
    sheet with a header of several columns, then the first with anything on it. A sheet that
    cannot be read is passed over for a list on another; with no list on any, its sentence is
    said (it is the list, most likely, not the page of notes before it)."""
    found: list[FileTable] = []
    refused: TransferError | None = None
    for worksheet in worksheets:
        try:
            table = _read_sheet(path, worksheet)
        except TransferError as error:
            refused = refused or error
            continue
        if table is None:
            continue
        if len(table.header) > 1 and table.rows:
            return table
        found.append(table)
    if refused is not None:
        raise refused
    return next((table for table in found if len(table.header) > 1), found[0] if found else None)


def _read_sheet(path: Path, worksheet: Any) -> FileTable | None:
    # A read-only sheet stops at the size the file declares, which programs that write
    # workbooks often leave stale: the cells themselves say where the sheet ends.
    worksheet.reset_dimensions()
    rows = worksheet.iter_rows(values_only=True)
    try:
        records = _sheet_records(rows)
    finally:
        rows.close()  # the sheet's XML, when a cell stops the reading before its end
    _fill_merged(records, _merged_ranges(path, worksheet))
    # A sheet stores no cells after a row's last value, so short rows are normal there.
    table = table_of(records, "row", pad=True)
    if table is not None:
        table.sheet, table.source = worksheet.title, "xlsx"
    return table


def _sheet_records(rows: Any) -> list[tuple[int, list[str]]]:
    """A sheet's rows as text, numbered from 1 as the sheet numbers them; TransferError for a
    number the sheet could not keep whole (cells.LongSheetNumber), naming its cell."""
    records: list[tuple[int, list[str]]] = []
    for number, values in enumerate(rows, start=1):
        try:
            records.append((number, [text_of_sheet_cell(value) for value in values]))
        except LongSheetNumber as error:
            at = next(at for at, value in enumerate(values) if value is error.value)
            raise TransferError(
                LONG_NUMBER, row=number, column=column_letters(at), value=error.shown
            ) from None
    return records


def _merged_ranges(path: Path, worksheet: Any) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges, (first column, first row, last column, last row) from 1.

    openpyxl's read-only sheets skip them (a full load, which reads them, takes many times the
    time and memory of a big sheet), so they are found in the sheet's XML, where they follow
    the cells: a scan for the tags, without parsing the cells a second time."""
    from openpyxl.utils.cell import range_boundaries

    # ReadOnlyWorksheet keeps where its XML is in the zip; it has no public name for it.
    member = getattr(worksheet, "_worksheet_path", None)
    if member is None:
        return []
    ranges: list[tuple[int, int, int, int]] = []
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member) as source:
            pending = b""
            while chunk := source.read(_XML_CHUNK):
                data = pending + chunk
                end = 0
                for found in _MERGE_CELL.finditer(data):
                    end = found.end()
                    with contextlib.suppress(ValueError):
                        first_column, first_row, last_column, last_row = range_boundaries(
                            found.group(1).decode("ascii", "replace")
                        )
                        if first_column and first_row and last_column and last_row:
                            ranges.append((first_column, first_row, last_column, last_row))
                # A tag the chunk cut in two is read whole with the next chunk.
                cut = data.rfind(b"<", end)
                pending = data[cut:] if cut >= 0 else b""
    except (OSError, KeyError, zipfile.BadZipFile) as error:
        raise TransferError(CANNOT_READ, path=path, reason=error) from None
    return ranges


def _fill_merged(
    records: list[tuple[int, list[str]]], ranges: list[tuple[int, int, int, int]]
) -> None:
    """Each merged range's value in every cell of it, as the sheet shows it: the sheet stores
    it in the range's first cell only, and a company merged down over its three people is
    the company of each of them, not of the first alone."""
    by_number = {number: cells for number, cells in records}
    for first_column, first_row, last_column, last_row in ranges:
        top = by_number.get(first_row)
        if top is None or first_column > len(top) or not top[first_column - 1]:
            continue
        value = top[first_column - 1]
        for number in range(first_row, last_row + 1):
            cells = by_number.get(number)
            if cells is None:
                continue  # past the sheet's last row: nothing there to read
            if len(cells) < last_column:
                cells.extend([""] * (last_column - len(cells)))
            cells[first_column - 1 : last_column] = [value] * (last_column - first_column + 1)


def located(place: str, line: int) -> str:
    """A row's place in its file as its reader counts it, in his language: "line 3", "row 3",
    第 3 行."""
    return QCoreApplication.translate("Transfer", AT_PLACE[place]).format(line=line)


# How many lines of one value above the header are read as titles: more, and the file is a
# list of one column whose later line happens to hold two values.
MAX_TITLE_LINES = 3


def _one_value(cells: list[str]) -> bool:
    """Whether a line holds a single value, once or merged across it."""
    return len({cell.strip() for cell in cells if cell.strip()}) == 1


def table_of(records: list[tuple[int, list[str]]], place: str, *, pad: bool) -> FileTable | None:
    """The first non-blank record as the header and the rest as rows; None when all are blank.
    Title lines above the header (XX公司客户名单, merged across the sheet, or a date alone on
    its line) are left out: a line of one value over a line of several is not the header.

    With `pad`, short rows are filled with empty cells; otherwise a row must be as wide as
    the header, extra cells allowed only when empty."""
    records = [(line, cells) for line, cells in records if any(c.strip() for c in cells)]
    wide = next((at for at, (_, cells) in enumerate(records) if not _one_value(cells)), 0)
    if wide <= MAX_TITLE_LINES:
        records = records[wide:]
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
            where = located(place, line)
            where = where[:1].upper() + where[1:]  # it begins the sentence
            raise TransferError(WRONG_WIDTH, where=where, count=len(cells), width=width)
        rows.append((line, cells[:width]))
    return FileTable(header, rows, place)
