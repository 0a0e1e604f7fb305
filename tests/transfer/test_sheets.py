"""Workbooks of several sheets: their names listed, any one of them read and imported."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from crm_desktop.models.entities import Customer, Product
from crm_desktop.profile import Profile
from crm_desktop.transfer.errors import TransferError
from crm_desktop.transfer.importing import import_file
from crm_desktop.transfer.reading import read_table, sheet_names
from tests.transfer.conftest import Cli


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """An old system's workbook: customers on the first sheet, products on the second."""
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "客户"
    first.append(["客户名称", "手机", "等级", "备注（选填）"])
    first.append(["深圳市华强电子有限公司", 13800138000, "A", "老客户"])
    first.append(["杭州远航物流有限公司", "139 1234 5678", "B", None])
    second = book.create_sheet("产品")
    second.append(["产品编码", "产品名称", "单位", "单价(元)"])
    second.append(["P-001", "工业路由器", "台", 1280.5])
    second.append(["P-002", "网线", "米", 2])
    path = tmp_path / "资料.xlsx"
    book.save(path)
    return path


def test_sheet_names_in_order(workbook: Path) -> None:
    assert sheet_names(workbook) == ["客户", "产品"]


def test_the_first_sheet_by_default_and_any_by_name(workbook: Path) -> None:
    first = read_table(workbook)
    assert (first.sheet, first.header[0], first.place) == ("客户", "客户名称", "row")
    second = read_table(workbook, sheet="产品")
    assert second.sheet == "产品"
    assert second.header == ["产品编码", "产品名称", "单位", "单价(元)"]
    assert second.rows == [
        (2, ["P-001", "工业路由器", "台", "1280.5"]),
        (3, ["P-002", "网线", "米", "2"]),
    ]


def test_a_cover_sheet_in_front_is_passed_over_by_default(tmp_path: Path) -> None:
    """An old system's workbook often opens on a page of notes, or an empty sheet: the list
    is the first sheet with rows under its header."""
    book = Workbook()
    cover = book.active
    assert cover is not None
    cover.title = "说明"
    cover.append(["客户资料导出 2026-11-30"])
    cover.append(["请勿修改表头"])
    book.create_sheet("空白")
    data = book.create_sheet("客户")
    data.append(["客户名称", "手机"])
    data.append(["深圳市华强电子有限公司", 13800138000])
    path = tmp_path / "导出.xlsx"
    book.save(path)
    table = read_table(path)
    assert (table.sheet, table.header) == ("客户", ["客户名称", "手机"])
    assert table.rows == [(2, ["深圳市华强电子有限公司", "13800138000"])]
    # Asked for by name, the cover is read as it is.
    assert read_table(path, sheet="说明").header == ["客户资料导出 2026-11-30"]


def test_a_sheet_that_cannot_be_read_is_passed_over_for_the_next_list(tmp_path: Path) -> None:
    """A first sheet holding a number Excel cut short (an old tally, say) does not stop the
    list on the next one; alone, it is said in its sentence."""
    book = Workbook()
    tally = book.active
    assert tally is not None
    tally.title = "统计"
    tally.append(["编号", "身份证号"])
    tally.append([1, 4.40101199001011e17])
    book.create_sheet("客户").append(["客户名称", "手机"])
    book["客户"].append(["深圳市华强电子有限公司", "13800138000"])
    path = tmp_path / "两页.xlsx"
    book.save(path)
    assert read_table(path).sheet == "客户"
    del book["客户"]
    book.save(path)
    with pytest.raises(TransferError, match="longer than the 15 digits"):
        read_table(path)
    # Behind a page of notes, still: the list that cannot be read is what is said, not the
    # notes read as a list of one column.
    notes = book.create_sheet("说明", 0)
    notes.append(["客户资料导出 2026年11月"])
    notes.append(["请勿修改表头"])
    book.save(path)
    with pytest.raises(TransferError, match=r"Row 2, column B .* longer than the 15 digits"):
        read_table(path)


def test_a_workbook_of_headers_only_reads_its_first_sheet(tmp_path: Path) -> None:
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "客户"
    first.append(["客户名称", "手机"])
    book.create_sheet("产品").append(["产品名称"])
    path = tmp_path / "模板.xlsx"
    book.save(path)
    table = read_table(path)
    assert (table.sheet, table.header, table.rows) == ("客户", ["客户名称", "手机"], [])


def test_an_unknown_sheet_is_a_sentence(workbook: Path) -> None:
    with pytest.raises(TransferError) as raised:
        read_table(workbook, sheet="合同")
    assert (
        str(raised.value)
        == "The workbook has no sheet named “合同”; its sheets are: “客户”, “产品”."
    )


def test_not_a_workbook_is_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("name\nA\n", encoding="utf-8")
    with pytest.raises(TransferError, match=r"is not an Excel \.xlsx workbook"):
        sheet_names(path)


def test_each_sheet_imports_as_its_entity(profile: Profile, workbook: Path) -> None:
    writer = profile.writer()
    assert import_file(writer, "customers", workbook, update=False).created == 2
    assert import_file(writer, "products", workbook, update=False, sheet="产品").created == 2
    with profile.store.read() as session:
        customers = dict(
            session.execute(
                select(Customer.name, Customer.phone).where(Customer.grade == "A")
            ).all()
        )
        products = session.execute(
            select(Product.code, Product.name, Product.unit, Product.list_price_cents).order_by(
                Product.code
            )
        ).all()
    assert customers == {"深圳市华强电子有限公司": "+8613800138000"}
    assert [tuple(row) for row in products] == [
        ("P-001", "工业路由器", "台", 128050),
        ("P-002", "网线", "米", 200),
    ]


def test_cli_sheet_option(seeded: Profile, cli: Cli, workbook: Path) -> None:
    code, stdout, stderr = cli("import", str(workbook), "--entity", "products", "--sheet", "产品")
    assert (code, stderr) == (0, "")
    assert stdout.splitlines()[-1] == "Imported 2 new product records, updated 0."
    assert "“单价(元)” as List price" in stdout  # the field as the forms name it
    code, _, stderr = cli("import", str(workbook), "--entity", "products", "--sheet", "价格表")
    assert code == 1
    assert stderr == (
        "crm-desktop: The workbook has no sheet named “价格表”; its sheets are: “客户”, “产品”.\n"
    )


def test_a_sheet_declaring_a_smaller_size_than_it_holds_is_read_whole(
    workbook: Path, tmp_path: Path
) -> None:
    """Programs that write workbooks (old systems' exports among them) often leave the sheet's
    declared size (`<dimension>`) stale; the cells are what counts."""
    stale = tmp_path / "stale.xlsx"
    with zipfile.ZipFile(workbook) as source, zipfile.ZipFile(stale, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:A2"', data)
                assert count == 1
            target.writestr(item, data)
    table = read_table(stale)
    assert table.header == ["客户名称", "手机", "等级", "备注（选填）"]
    assert [cells[:3] for _line, cells in table.rows] == [
        ["深圳市华强电子有限公司", "13800138000", "A"],
        ["杭州远航物流有限公司", "139 1234 5678", "B"],
    ]


def test_a_title_above_the_header_is_left_out(tmp_path: Path) -> None:
    """XX公司客户名单 merged across the sheet, then a date alone on its line, then the header:
    the header is the first line of several values, and the titles are no rows."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["宁波海天客户名单"])
    sheet.merge_cells("A1:C1")
    sheet.append(["导出日期：2026-11-30"])
    sheet.append(["客户名称", "手机", "地址"])
    sheet.append(["深圳市华强电子有限公司", "13800138000", "深圳市"])
    path = tmp_path / "名单.xlsx"
    book.save(path)
    table = read_table(path)
    assert table.header == ["客户名称", "手机", "地址"]
    assert table.rows == [(4, ["深圳市华强电子有限公司", "13800138000", "深圳市"])]
    csv_file = tmp_path / "名单.csv"
    csv_file.write_text("客户名单\n客户名称,手机\n远航物流,13912345678\n", encoding="utf-8")
    table = read_table(csv_file)
    assert (table.header, table.rows) == (["客户名称", "手机"], [(3, ["远航物流", "13912345678"])])
    # A file of one column is still one: its header alone on its line is the header.
    single = tmp_path / "一列.csv"
    single.write_text("客户名称\n远航物流\n", encoding="utf-8")
    assert read_table(single).header == ["客户名称"]
