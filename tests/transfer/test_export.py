"""Exports: UTF-8 CSV with a BOM, readable columns, only live rows, .xlsx, and progress."""

from __future__ import annotations

import csv
import io
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from crm_desktop.cli import main
from crm_desktop.models.entities import Customer
from crm_desktop.models.fields import Kind
from crm_desktop.profile import Profile
from crm_desktop.transfer import exporting
from crm_desktop.transfer.cells import (
    csv_cell,
    csv_row,
    csv_text,
    sheet_row,
    sheet_value,
    unmarked_csv_text,
)
from crm_desktop.transfer.exporting import export_csv, export_csv_file, export_xlsx
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
    assert "Exported 2 customer records" in stdout
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
        # Digits a sheet would read as a number that is not the text: a leading zero, 12 or
        # more digits (shown 2.02501E+17, and from 16 digits rounded).
        ("010020", "'010020"),
        ("202501316125981620", "'202501316125981620"),
        ("123456789012", "'123456789012"),
        ("'0123", "''0123"),
        ("12345678901", "12345678901"),
        ("0", "0"),
        ("0.5", "0.5"),
        ("2026-01-05", "2026-01-05"),
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


# Values of every kind a row converter meets, stored or odd (a number in a text column).
STORED = [None, "", "plain", "=1+1", "+8613800138000", "-5", "'=x", "'90s", "\tx", 0, -5, 1.5, True]
STORED_BY_KIND = {
    Kind.MONEY: [None, 0, 123450, -1],
    Kind.BOOL: [None, True, False],
    Kind.DATE: [None, date(2026, 1, 5)],
    Kind.DATETIME: [None, datetime(2026, 1, 5, 9, 30), datetime(2026, 1, 5, 9, 30, 1, 5)],
}


@pytest.mark.parametrize("kind", list(Kind))
def test_row_converters_make_what_the_cell_functions_make(kind: Kind) -> None:
    values = STORED_BY_KIND.get(kind, STORED)
    for convert_row, convert_cell in ((csv_row, csv_cell), (sheet_row, sheet_value)):
        row = list(values)
        convert_row([kind] * len(row))(row)
        expected = [convert_cell(kind, value) for value in values]
        # The csv module writes None as an empty cell, as csv_cell does itself.
        if convert_row is csv_row:
            row = ["" if value is None else value for value in row]
        assert row == expected, (kind, convert_row.__name__)


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_progress_counts_up_to_the_live_rows(
    formula_like: Profile, tmp_path: Path, file_format: str
) -> None:
    with formula_like.store.read() as session:
        northwind = session.scalar(select(Customer.id).where(Customer.name.like("North%")))
    formula_like.writer().delete("customers", [northwind])
    calls: list[tuple[int, int]] = []
    out = tmp_path / f"customers.{file_format}"
    export = export_xlsx if file_format == "xlsx" else export_csv_file
    count = export(formula_like.store, "customers", out, lambda *call: calls.append(call))
    live = 1 + len(FORMULA_LIKE)  # the deleted Northwind is neither written nor counted
    assert count == live
    assert calls[0] == (0, live) and calls[-1] == (live, live)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert {total for _, total in calls} == {live}


def test_progress_of_many_batches(seeded: Profile, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exporting, "BATCH_SIZE", 1)
    calls: list[tuple[int, int]] = []
    export_csv(seeded.store, "customers", io.StringIO(), lambda *call: calls.append(call))
    assert calls == [(0, 2), (1, 2), (2, 2)]


def test_the_command_shows_progress_only_on_a_terminal(
    seeded: Profile, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "customers.xlsx"
    code, stdout, stderr = cli("export", "--entity", "customers", "--out", str(out))
    assert (code, stderr) == (0, "")  # a pipe or a test: not a character of progress
    assert stdout == f"Exported 2 customer records to {out}.\n"

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    code, stdout, _ = cli("export", "--entity", "customers", "--out", str(out))
    assert (code, stdout) == (0, f"Exported 2 customer records to {out}.\n")
    assert terminal.getvalue() == (
        "\rExporting customer records: 0 of 2\rExporting customer records: 2 of 2\n"
    )
    # CSV scrolling past on the same terminal would tear the line: no progress then.
    monkeypatch.setattr(sys, "stdout", Terminal())
    terminal.truncate(0)
    assert main(["--profile", str(seeded.directory), "export", "--entity", "customers"]) == 0
    assert terminal.getvalue() == ""


def test_awkward_text_goes_through_xlsx_and_back_unchanged(
    formula_like: Profile, cli: Cli, tmp_path: Path
) -> None:
    notes = {
        "甲 & 乙 <公司>": 'Called:\tno answer\nEmailed <b>&amp;</b> "quoted"',
        "Emoji 😀 𠀀 Ltd": "two  spaces,\n\n  an indented line, \t a tab",
        "]]> Trading": "</t></is></c><c><f>1+1</f></c>",
    }
    with formula_like.writer().transaction() as unit:
        for name, note in notes.items():
            unit.create("customers", {"name": name, "notes": note})
    with formula_like.store.read() as session:
        before = session.execute(select(Customer.name, Customer.notes).order_by(Customer.id)).all()
    assert {name: note for name, note in before if name in notes} == notes
    file = tmp_path / "customers.xlsx"
    assert cli("export", "--entity", "customers", "--out", str(file))[0] == 0
    code, stdout, stderr = cli("import", str(file), "--entity", "customers", "--update")
    assert (code, stderr, stdout.strip()) == (0, "", "Imported 0 new customer records, updated 0.")
    with formula_like.store.read() as session:
        after = session.execute(select(Customer.name, Customer.notes).order_by(Customer.id)).all()
    assert after == before


@pytest.mark.parametrize("write", [export_csv_file, export_xlsx])
def test_an_export_stopped_half_way_leaves_last_weeks_file_as_it_was(
    seeded: Profile, tmp_path: Path, write: object
) -> None:
    """Exported again to the same name and stopped part-way (Ctrl+C, a full disk): the file
    that was there is still whole, and nothing half-written is left beside it."""
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "customers.out"
    target.write_bytes(b"last week's export")

    def stopped(done: int, total: int) -> None:
        if done:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write(seeded.store, "customers", target, stopped)  # type: ignore[operator]
    assert target.read_bytes() == b"last week's export"
    assert [path.name for path in folder.iterdir()] == ["customers.out"]
    # Done whole, it takes the old one's place.
    count = write(seeded.store, "customers", target)  # type: ignore[operator]
    assert count > 0 and target.read_bytes() != b"last week's export"
    assert [path.name for path in folder.iterdir()] == ["customers.out"]


def test_an_export_to_a_device_writes_to_it(seeded: Profile) -> None:
    assert export_csv_file(seeded.store, "customers", Path("/dev/null")) > 0
    assert Path("/dev/null").exists()


def test_an_export_through_a_link_replaces_the_file_it_names_and_keeps_its_permissions(
    seeded: Profile, tmp_path: Path
) -> None:
    """A shared folder's link to last week's file: the link stays, the file is the new one, and
    whoever could read it before still can (and nobody more)."""
    real = tmp_path / "shared" / "customers.csv"
    real.parent.mkdir()
    real.write_text("last week's\n")
    real.chmod(0o640)
    link = tmp_path / "customers.csv"
    link.symlink_to(real)
    assert export_csv_file(seeded.store, "customers", link) > 0
    assert link.is_symlink() and real.read_text() != "last week's\n"
    assert real.stat().st_mode & 0o777 == 0o640
