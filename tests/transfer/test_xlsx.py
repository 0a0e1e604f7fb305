"""The streaming .xlsx writer: a workbook openpyxl opens, every value read back as written."""

from __future__ import annotations

import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from crm_desktop.transfer.reading import read_table
from crm_desktop.transfer.xlsx import SheetWriter, column_letters, xml_text

AWKWARD = [
    '=HYPERLINK("http://x")',
    "#N/A",
    "+86 138 0013 8000",
    "-5",
    "@SUM(A1)",
    "\tstarts with a tab",
    "a & b < c > d \"quoted\" 'single'",
    "</t></is></c><c><f>1+1</f></c>",
    "&amp; stays &amp;",
    "  spaces around  ",
    "line one\nline two\r\nline three\rend",
    "深圳市华强电子有限公司 粤B12345",
    "emoji 😀 and 𠀀 beyond the BMP",
    "]]> and <![CDATA[",
    "C1 controls \x85\x9f stay",
    "x" * 40_000,
]


def write(path: Path, rows: list[list[Any]], name: str = "sheet") -> Path:
    with SheetWriter(path, name) as sheet:
        sheet.write_rows(rows[:1])
        sheet.write_rows(rows[1:])
    return path


def cells(path: Path, *, read_only: bool) -> list[list[Any]]:
    workbook = load_workbook(path, read_only=read_only)
    try:
        return [list(row) for row in workbook.worksheets[0].iter_rows()]
    finally:
        workbook.close()


def test_text_comes_back_exactly_as_text_cells(tmp_path: Path) -> None:
    rows: list[list[Any]] = [["text"], *([value] for value in AWKWARD)]
    path = write(tmp_path / "awkward.xlsx", rows)
    header, *body = cells(path, read_only=False)
    assert [cell.value for cell in header] == ["text"]
    assert [row[0].value for row in body] == AWKWARD
    assert {row[0].data_type for row in body} == {"s"}  # never a formula, an error or a number
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_numbers_stay_numbers_and_empty_cells_keep_their_columns(tmp_path: Path) -> None:
    rows: list[list[Any]] = [
        ["a", "b", "c", "d"],
        [1234, Decimal("1234.50"), 0.1, None],
        [None, "", -7, Decimal("0.00")],
        ["only the first"],
    ]
    path = write(tmp_path / "numbers.xlsx", rows)
    values = [[cell.value for cell in row] for row in cells(path, read_only=False)]
    assert values == [
        ["a", "b", "c", "d"],
        [1234, 1234.5, 0.1, None],
        [None, None, -7, 0],
        ["only the first", None, None, None],
    ]


def test_our_import_reads_what_was_written(tmp_path: Path) -> None:
    rows = [["id", "notes"], *([str(n), value] for n, value in enumerate(AWKWARD))]
    table = read_table(write(tmp_path / "notes.xlsx", rows))
    assert table.header == ["id", "notes"]
    assert [cells for _, cells in table.rows] == rows[1:]
    assert [line for line, _ in table.rows] == list(range(2, len(AWKWARD) + 2))


def test_characters_xml_cannot_hold_are_left_out(tmp_path: Path) -> None:
    assert xml_text("a\x00b\x0bc\x1bd\ufffee\uffff\ud800f") == "abcdef"
    assert xml_text("a<b&c>d\re") == "a&lt;b&amp;c&gt;d&#13;e"
    path = write(tmp_path / "controls.xlsx", [["name"], ["乙\x00公司\x1b"]])
    assert [row[0].value for row in cells(path, read_only=True)] == ["name", "乙公司"]


def test_a_wide_sheet_names_its_columns_past_z(tmp_path: Path) -> None:
    assert [column_letters(n) for n in (0, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip
    header = [f"h{n}" for n in range(30)]
    path = write(tmp_path / "wide.xlsx", [header, list(range(30))])
    rows = cells(path, read_only=False)
    assert [cell.value for cell in rows[1]] == list(range(30))
    assert rows[1][29].coordinate == "AD2"


def test_the_sheet_is_named_and_escaped(tmp_path: Path) -> None:
    path = write(tmp_path / "named.xlsx", [["id"]], name='a&"b')
    workbook = load_workbook(path, read_only=True)
    try:
        assert workbook.sheetnames == ['a&"b']
    finally:
        workbook.close()


@pytest.mark.parametrize("value", [True, float("nan"), float("inf"), Decimal("NaN"), b"x"])
def test_a_value_that_is_neither_text_nor_a_finite_number_is_refused(
    tmp_path: Path, value: Any
) -> None:
    path = tmp_path / "refused.xlsx"
    with pytest.raises(TypeError), SheetWriter(path, "sheet") as sheet:
        sheet.write_rows([["ok"], [value]])
    assert not path.exists()  # no half-written workbook is left behind


def test_an_export_that_fails_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "failed.xlsx"
    with pytest.raises(RuntimeError), SheetWriter(path, "sheet") as sheet:
        sheet.write_rows([["id"], ["1"]])
        raise RuntimeError("the store went away")
    assert not path.exists()
