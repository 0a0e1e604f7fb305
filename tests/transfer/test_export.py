"""Exports: UTF-8 CSV with a BOM, readable columns, only live rows, and .xlsx via openpyxl."""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import load_workbook

from crm_desktop.profile import Profile
from tests.transfer.conftest import Cli


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
    assert huaqiang["phone"] == "+8675588881234"
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
