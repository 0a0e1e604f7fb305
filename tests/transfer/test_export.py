"""Exports: UTF-8 CSV with a BOM, readable columns, only live rows, and .xlsx via openpyxl."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from crm_desktop.profile import Profile
from crm_desktop.transfer.cells import csv_text, unmarked_csv_text
from tests.transfer.conftest import FORMULA_LIKE, Cli


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_customers_csv_has_a_bom_and_readable_columns(
    seeded: Profile, cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "customers.csv"
    code, stdout, _ = cli("export", "--entity", "customers", "--out", str(out))
    assert code == 0
    assert "Exported 2 customers" in stdout
    assert out.read_bytes().startswith(b"\xef\xbb\xbfid,name,phone,email,address,industry,grade")
    rows = {row["name"]: row for row in read_csv(out)}
    huaqiang = rows["深圳市华强电子有限公司"]
    assert huaqiang["phone"] == "'+8675588881234"  # marked as text: see the formula tests
    assert huaqiang["owner"] == huaqiang["owner"].strip() and huaqiang["owner"]
    assert huaqiang["identifiers"] == "licence_plate:粤B12345; tax_number:91440300ABC"
    assert "owner_id" not in huaqiang


def test_deleted_rows_are_left_out_and_money_is_yuan(seeded: Profile, cli: Cli) -> None:
    with seeded.store.read() as session:
        from sqlalchemy import select

        from crm_desktop.models.entities import Customer

        northwind = session.scalar(select(Customer.id).where(Customer.name.like("North%")))
    assert northwind is not None
    seeded.writer().delete("customers", [northwind])
    code, stdout, _ = cli("export", "--entity", "customers")
    assert code == 0
    assert "Northwind" not in stdout and "华强" in stdout
    assert not stdout.startswith("\ufeff")
    code, stdout, _ = cli("export", "--entity", "opportunities")
    row = next(csv.DictReader(stdout.splitlines()))
    assert (row["amount"], row["customer"], row["stage"]) == (
        "1234.50",
        "深圳市华强电子有限公司",
        "proposal",
    )
    assert row["customer_id"]


def test_xlsx_export_opens_in_openpyxl(seeded: Profile, cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "deals.xlsx"
    assert cli("export", "--entity", "opportunities", "--out", str(out))[0] == 0
    workbook = load_workbook(out, read_only=True)
    try:
        header, first = list(workbook.active.iter_rows(values_only=True))[:2]
    finally:
        workbook.close()
    assert header[0] == "id"
    assert first[header.index("amount")] == 1234.5  # a number a sheet can sum
    assert first[header.index("title")] == "年度采购"


def test_xlsx_needs_a_file(seeded: Profile, cli: Cli) -> None:
    code, _, stderr = cli("export", "--entity", "customers", "--format", "xlsx")
    assert code == 1
    assert stderr.strip() == "crm-desktop: An Excel export needs a file: add --out FILE.xlsx."


def test_csv_cells_a_sheet_would_run_are_marked_as_text(
    formula_like: Profile, cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "customers.csv"
    assert cli("export", "--entity", "customers", "--out", str(out))[0] == 0
    rows = read_csv(out)
    cells = {(row["name"], row["notes"]) for row in rows}
    assert cells >= {
        ('\'=HYPERLINK("http://x")', "'=1+1"),
        ("'+1 2", "'+86 is China"),
        ("'-5", "'-"),
        ("'@sum", "'@SUM(A1)"),
        ("''=already marked", "'''+two marks"),  # one more mark, so the import restores it
        ("'90s stock", "it's fine"),  # no formula: left as it is
    }
    # A stored phone keeps its plus and every digit instead of becoming 8.61E+12.
    phones = {row["phone"] for row in rows if unmarked_csv_text(row["name"]) in FORMULA_LIKE}
    assert phones == {"'+8613800138000"}


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+86", "'+86"),
        ("-5", "'-5"),
        ("@sum", "'@sum"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),
        ("'x", "'x"),
        ("'", "'"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_the_text_mark_comes_off_exactly_as_it_went_on(text: str, cell: str) -> None:
    assert csv_text(text) == cell
    assert unmarked_csv_text(cell) == text


def test_xlsx_text_that_looks_like_a_formula_is_a_text_cell(
    formula_like: Profile, cli: Cli, tmp_path: Path
) -> None:
    out = tmp_path / "customers.xlsx"
    assert cli("export", "--entity", "customers", "--out", str(out))[0] == 0
    with zipfile.ZipFile(out) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml  # no formula anywhere
    workbook = load_workbook(out)
    try:
        header, *rows = list(workbook.active.iter_rows())
    finally:
        workbook.close()
    names = [cell.value for cell in header]
    by_name = {row[names.index("name")].value: row for row in rows}
    link = by_name['=HYPERLINK("http://x")']
    assert (link[names.index("notes")].value, link[names.index("notes")].data_type) == ("=1+1", "s")
    # A workbook shows a text cell as text, so a phone needs no mark there.
    phone = by_name["+1 2"][names.index("phone")]
    assert (phone.value, phone.data_type) == ("+8613800138000", "s")
    assert by_name["-5"][names.index("name")].data_type == "s"
