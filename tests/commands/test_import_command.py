"""The installed `crm-desktop import` with the files people have: a GBK list with Chinese
headers, a workbook's second sheet, a phone's business cards."""

from __future__ import annotations

import csv
import io
import quopri
from pathlib import Path

from openpyxl import Workbook

from crm_desktop.profile import open_profile
from crm_desktop.transfer.undo import recent_imports, undo_import
from tests.commands.test_console_script import run


def exported(profile: list[str], entity: str) -> list[dict[str, str]]:
    result = run(*profile, "export", "--entity", entity)
    assert result.returncode == 0, result.stderr
    return list(csv.DictReader(io.StringIO(result.stdout.removeprefix("\ufeff"))))


def test_gbk_list_sheet_and_cards(profile_dir: Path, tmp_path: Path) -> None:
    profile = ["--profile", str(profile_dir)]
    gbk = tmp_path / "客户.csv"
    gbk.write_bytes("客户名称\t手机\t备注\n宁波港务有限公司\t13800138000\t老客户\n".encode("gbk"))
    # A sheet asked of a CSV is a mistake said at once, not a request quietly ignored.
    result = run(*profile, "import", str(gbk), "--entity", "customers", "--sheet", "产品")
    assert result.returncode != 0 and result.stdout == ""
    assert result.stderr == (
        "crm-desktop: --sheet names a sheet of an .xlsx workbook; 客户.csv has no sheets.\n"
    )
    result = run(*profile, "import", str(gbk), "--entity", "customers")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout.splitlines()[-1] == "Imported 1 new customer records, updated 0."

    book = Workbook()
    assert book.active is not None
    book.active.append(["说明：第二页是产品"])
    products = book.create_sheet("产品")
    products.append(["产品编码", "产品名称", "单价"])
    products.append(["P-9", "集装箱锁", 35.5])
    workbook = tmp_path / "资料.xlsx"
    book.save(workbook)
    result = run(*profile, "import", str(workbook), "--entity", "products", "--sheet", "产品")
    assert (result.returncode, result.stderr) == (0, "")

    name = quopri.encodestring("陈静".encode()).decode()
    cards = tmp_path / "cards.vcf"
    cards.write_text(
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{name}\r\n"
        "ORG:宁波港务有限公司\r\nTEL;CELL:13912345678\r\nTEL;WORK:0574 8765 4321\r\n"
        "END:VCARD\r\n",
        encoding="utf-8",
    )
    result = run(*profile, "import", str(cards), "--entity", "contacts")
    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "Imported 1 new contact records, updated 0.\n"

    [customer] = exported(profile, "customers")
    assert (customer["name"], customer["phone"], customer["notes"]) == (
        "宁波港务有限公司",
        "'+8613800138000",  # an export guards a leading plus against spreadsheet formulas
        "老客户",
    )
    [product] = exported(profile, "products")
    assert (product["code"], product["name"], product["list_price"]) == ("P-9", "集装箱锁", "35.50")
    [contact] = exported(profile, "contacts")
    assert (contact["name"], contact["customer"], contact["mobile"], contact["phone"]) == (
        "陈静",
        "宁波港务有限公司",
        "'+8613912345678",
        "'+8657487654321",
    )


def test_an_import_from_the_command_line_can_be_undone_in_the_window(
    profile_dir: Path, tmp_path: Path
) -> None:
    """The window's File → Recent imports lists it, and its undo takes away what it added."""
    profile = ["--profile", str(profile_dir)]
    listed = tmp_path / "客户.csv"
    listed.write_text("客户名称,手机\n宁波港务有限公司,13800138000\n温州鞋业,13900139000\n")
    result = run(*profile, "import", str(listed), "--entity", "customers")
    assert (result.returncode, result.stderr) == (0, "")

    opened = open_profile(profile_dir)
    try:
        with opened.store.read() as session:
            [record] = recent_imports(session)
        assert (record.entity, record.file_name, record.added) == ("customers", "客户.csv", 2)
        undo_import(opened.writer(), record.id)
    finally:
        opened.close()
    assert exported(profile, "customers") == []
