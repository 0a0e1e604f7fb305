"""A workbook's cells as the sheet shows them: a merged range's value in each of its cells, and a
number too long for the sheet to have kept refused rather than read with made-up digits."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from crm_desktop.models.entities import Contact, Customer
from crm_desktop.profile import Profile
from crm_desktop.transfer import reading
from crm_desktop.transfer.errors import TransferError
from crm_desktop.transfer.importing import import_file
from crm_desktop.transfer.reading import read_table
from tests.transfer.conftest import Cli


def _book(path: Path, rows: list[list[object]], merged: tuple[str, ...] = ()) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for cells in merged:
        sheet.merge_cells(cells)
    book.save(path)
    return path


PEOPLE = [
    ["公司", "姓名", "电话"],
    ["远航物流有限公司", "王芳", "13900139000"],
    [None, "陈明", "13900139001"],
    [None, "李雷", "13900139002"],
    ["华南电器有限公司", "韩梅", "13712345678"],
]


@pytest.fixture
def people(tmp_path: Path) -> Path:
    """A contacts sheet as people lay it out: the company merged down over its three people."""
    return _book(tmp_path / "通讯录.xlsx", PEOPLE, merged=("A2:A4",))


def test_a_merged_range_is_read_in_each_of_its_cells(tmp_path: Path) -> None:
    # The header's phone merged over two columns, as well: a landline beside the mobile.
    rows = [[*row, None] for row in PEOPLE]
    rows[1][3] = "0755-2233 4455"
    table = read_table(_book(tmp_path / "通讯录.xlsx", rows, merged=("A2:A4", "C1:D1")))
    assert table.header == ["公司", "姓名", "电话", "电话"]
    companies = [cells[0] for _line, cells in table.rows]
    assert companies == ["远航物流有限公司"] * 3 + ["华南电器有限公司"]
    assert [line for line, _cells in table.rows] == [2, 3, 4, 5]
    assert table.rows[0][1][2:] == ["13900139000", "0755-2233 4455"]


def test_merged_ranges_are_found_across_the_pieces_the_sheet_is_read_in(
    people: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = read_table(people)
    assert whole.rows[2] == (4, ["远航物流有限公司", "李雷", "13900139002"])
    for size in (5, 7, 64):  # tags cut anywhere: in the name, in the range, at the "<"
        monkeypatch.setattr(reading, "_XML_CHUNK", size)
        assert read_table(people) == whole


def test_people_under_a_merged_company_are_its_contacts(profile: Profile, people: Path) -> None:
    summary = import_file(profile.writer(), "contacts", people, update=False)
    assert (summary.created, summary.customers_created) == (4, 2)
    with profile.store.read() as session:
        of = dict(
            session.execute(
                select(Contact.name, Customer.name).join(
                    Customer, Customer.id == Contact.customer_id
                )
            ).all()
        )
        customers = set(session.scalars(select(Customer.name)))
    assert of == {
        "王芳": "远航物流有限公司",
        "陈明": "远航物流有限公司",
        "李雷": "远航物流有限公司",
        "韩梅": "华南电器有限公司",
    }
    assert customers == {"远航物流有限公司", "华南电器有限公司"}  # nobody's private customer


def test_a_number_the_sheet_cut_short_refuses_the_file(
    profile: Profile, cli: Cli, tmp_path: Path
) -> None:
    """An 18-digit ID card number typed into a General cell: Excel keeps 15 digits, so the
    cell holds 4.40101199001011e+17, and its whole-number text (440101199001011008) would be
    a number nobody has."""
    file = _book(
        tmp_path / "客户.xlsx",
        [
            ["客户名称", "手机", "身份证号"],
            ["陈明", 13900139000, "440101199001011234"],  # typed as text: kept whole
            ["王芳", 13900139001, 4.40101199001011e17],
        ],
    )
    sentence = (
        "Row 3, column C holds the number 4.40101199001011E+17, longer than the 15 digits "
        "Excel keeps, so its last digits are lost; format the column as text, type the number "
        "again and save the file."
    )
    with pytest.raises(TransferError) as raised:
        read_table(file)
    assert str(raised.value) == sentence
    code, _stdout, stderr = cli("import", str(file), "--entity", "customers")
    assert (code, stderr) == (1, f"crm-desktop: {sentence}\n")
    with profile.store.read() as session:
        assert session.scalars(select(Customer.name)).all() == []


def test_numbers_a_sheet_keeps_whole_are_read_as_they_are(tmp_path: Path) -> None:
    file = _book(
        tmp_path / "numbers.xlsx",
        [["code", "amount"], [999999999999999.0, -12.5], [13800138000, 123456789012345]],
    )
    assert read_table(file).rows == [
        (2, ["999999999999999", "-12.5"]),
        (3, ["13800138000", "123456789012345"]),
    ]
