"""CSV files as Chinese and Taiwanese office programs save them: their encoding detected (or
chosen), their delimiter sniffed, their Chinese headers read, their rows imported."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from sqlalchemy import select

from crm_desktop.models.entities import Customer
from crm_desktop.profile import Profile
from crm_desktop.transfer.errors import TransferError
from crm_desktop.transfer.importing import import_file
from crm_desktop.transfer.reading import detect_encoding, encoding_of, file_bytes, read_table
from tests.transfer.conftest import Cli

# A mainland list as Excel saves it, Chinese headers and all.
MAINLAND = (
    "客户名称,联系电话,地址,备注\n"
    "深圳市华强电子有限公司,0755 8888 1234,深圳市福田区华强北路1号,老客户\n"
    "杭州远航物流有限公司,13800138000,杭州市西湖区文三路2号,\n"
)
MAINLAND_STORED = {
    "深圳市华强电子有限公司": ("+8675588881234", "深圳市福田区华强北路1号", "老客户"),
    "杭州远航物流有限公司": ("+8613800138000", "杭州市西湖区文三路2号", None),
}
# A Taiwanese one, in traditional characters (what Big5 holds).
TAIWAN = (
    "客戶名稱,聯絡電話,地址,備註\n"
    "台北貿易股份有限公司,+886 2 2345 6789,台北市信義區信義路五段7號,重要客戶\n"
    "高雄電子有限公司,+886 7 123 4567,高雄市前鎮區,\n"
)
TAIWAN_STORED = {
    "台北貿易股份有限公司": ("+886223456789", "台北市信義區信義路五段7號", "重要客戶"),
    "高雄電子有限公司": ("+88671234567", "高雄市前鎮區", None),
}
# 𡈼 is beyond GBK: only GB18030 (four bytes) has it.
GB18030_ONLY = MAINLAND.replace("杭州远航", "杭州𡈼鑫")
GB18030_STORED = {
    name.replace("杭州远航", "杭州𡈼鑫"): stored for name, stored in MAINLAND_STORED.items()
}


def stored_customers(profile: Profile) -> dict[str, tuple[str | None, str | None, str | None]]:
    """By name; of two customers with one name (the seeded 华强 and an imported one), the
    later."""
    with profile.store.read() as session:
        rows = session.execute(
            select(Customer.name, Customer.phone, Customer.address, Customer.notes)
            .where(Customer.deleted_at.is_(None))
            .order_by(Customer.created_at, Customer.id)
        ).all()
    return {name: (phone, address, notes) for name, phone, address, notes in rows}


@pytest.mark.parametrize(
    ("data", "detected", "expected"),
    [
        pytest.param(MAINLAND.encode("utf-8"), "utf-8", MAINLAND_STORED, id="utf-8"),
        pytest.param(MAINLAND.encode("utf-8-sig"), "utf-8-sig", MAINLAND_STORED, id="utf-8-bom"),
        pytest.param(MAINLAND.encode("gbk"), "gb18030", MAINLAND_STORED, id="gbk"),
        pytest.param(GB18030_ONLY.encode("gb18030"), "gb18030", GB18030_STORED, id="gb18030"),
        pytest.param(TAIWAN.encode("big5"), "big5", TAIWAN_STORED, id="big5"),
        pytest.param(
            codecs.BOM_UTF16_LE + MAINLAND.encode("utf-16-le"),
            "utf-16-le",
            MAINLAND_STORED,
            id="utf-16-le",
        ),
        pytest.param(
            codecs.BOM_UTF16_BE + TAIWAN.encode("utf-16-be"),
            "utf-16-be",
            TAIWAN_STORED,
            id="utf-16-be",
        ),
    ],
)
def test_each_encoding_is_detected_and_its_rows_imported(
    profile: Profile,
    tmp_path: Path,
    data: bytes,
    detected: str,
    expected: dict[str, tuple[str, str, str | None]],
) -> None:
    path = tmp_path / "客户.csv"
    path.write_bytes(data)
    assert detect_encoding(path) == detected
    table = read_table(path)
    assert table.encoding == detected
    assert table.header[0] in ("客户名称", "客戶名稱")  # no byte-order mark left on it
    summary = import_file(profile.writer(), "customers", path, update=False)
    assert (summary.created, summary.updated) == (2, 0)
    stored = stored_customers(profile)
    assert {name: stored[name] for name in expected} == expected


def test_excel_crlf_gbk_file_with_a_trailing_empty_column(profile: Profile, tmp_path: Path) -> None:
    # Excel on Chinese Windows: GBK, CRLF, and a stray comma after the last named column.
    text = MAINLAND.replace(",备注\n", ",备注,\n").replace("\n", "\r\n")
    path = tmp_path / "excel.csv"
    path.write_bytes(text.encode("gbk"))
    assert import_file(profile.writer(), "customers", path, update=False).created == 2
    assert stored_customers(profile)["深圳市华强电子有限公司"][2] == "老客户"


@pytest.mark.parametrize("delimiter", ["\t", ";"])
def test_tab_and_semicolon_separated_files(
    profile: Profile, tmp_path: Path, delimiter: str
) -> None:
    # Old systems export tab-separated .txt files; a comma inside a value stays in it.
    text = (
        f"客户名称{delimiter}电话{delimiter}备注\n"
        f"广州明珠贸易有限公司{delimiter}020 5555 1234{delimiter}每月结算, 季度对账\n"
    )
    path = tmp_path / "export.txt"
    path.write_bytes(text.encode("gbk"))
    table = read_table(path)
    assert table.header == ["客户名称", "电话", "备注"]
    assert table.rows == [(2, ["广州明珠贸易有限公司", "020 5555 1234", "每月结算, 季度对账"])]
    import_file(profile.writer(), "customers", path, update=False)
    assert stored_customers(profile)["广州明珠贸易有限公司"] == (
        "+862055551234",
        None,
        "每月结算, 季度对账",
    )


def test_a_quoted_comma_does_not_make_a_file_semicolon_separated(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text('name,notes\n"Pacific; Foods",a;b;c\n', encoding="utf-8")
    assert read_table(path).rows == [(2, ["Pacific; Foods", "a;b;c"])]


# Short texts, where charset-normalizer alone guesses Big5 for most GBK: two-character names.
SIMPLIFIED = [
    "张伟",
    "王芳",
    "李娜",
    "刘洋",
    "赵磊",
    "周杰",
    "吴刚",
    "徐丽",
    "孙强",
    "朱红",
    "谢娜",
    "宋佳",
    "唐宇",
    "备注",
    "地址",
    "邮箱",
]
TRADITIONAL = [
    "張偉",
    "劉洋",
    "陳靜",
    "楊帆",
    "趙磊",
    "周傑",
    "吳剛",
    "徐麗",
    "孫強",
    "朱紅",
    "胡軍",
    "林濤",
    "謝娜",
]


@pytest.mark.parametrize("text", SIMPLIFIED)
def test_short_gbk_text_reads_as_gb18030(text: str) -> None:
    assert encoding_of(f"name\n{text}\n".encode("gbk")) == "gb18030"


@pytest.mark.parametrize("text", TRADITIONAL)
def test_short_big5_text_reads_as_big5(text: str) -> None:
    assert encoding_of(f"name\n{text}\n".encode("big5")) == "big5"


def test_a_recognised_header_decides_between_gb18030_and_big5() -> None:
    # 名称 in GBK is valid Big5 for two everyday characters too; the header says which it is.
    assert encoding_of("名称,电话\n华强,1\n".encode("gbk")) == "gb18030"
    assert encoding_of("名稱,電話\n華強,1\n".encode("big5")) == "big5"


def test_the_chosen_encoding_overrides_the_detected_one(tmp_path: Path) -> None:
    path = tmp_path / "big5.csv"
    path.write_bytes("name\n陳靜\n".encode("big5"))
    assert read_table(path, encoding="big5").rows == [(2, ["陳靜"])]
    assert read_table(path, encoding="BIG5").encoding == "big5"
    # Read as GB18030 the same bytes are other characters: the caller asked for them.
    assert read_table(path, encoding="gbk").rows != [(2, ["陳靜"])]


def test_a_file_not_in_the_chosen_encoding_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "gbk.csv"
    path.write_bytes("name\nA公司\n深圳公司\n".encode("gbk"))
    with pytest.raises(TransferError) as raised:
        read_table(path, encoding="utf-8")
    assert str(raised.value) == (
        "Line 2 of the file is not UTF-8 text; choose the file's encoding, "
        "or save it as UTF-8 and try again."
    )


def test_damaged_utf8_is_refused_not_read_as_another_encoding(tmp_path: Path) -> None:
    # One bad byte in a UTF-8 file: read as GB18030 it would all be mojibake.
    good = "客户名称,备注\n深圳市华强电子有限公司,老客户\n杭州远航物流有限公司,新客户\n"
    path = tmp_path / "damaged.csv"
    path.write_bytes(good.encode("utf-8") + b"\xff\xfe bad\n" + "广州,好\n".encode())
    assert detect_encoding(path) == "utf-8"
    with pytest.raises(TransferError, match=r"^Line 4 of the file is not UTF-8 text"):
        read_table(path)


def test_an_unknown_encoding_name_is_a_sentence(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("name\nA\n", encoding="utf-8")
    with pytest.raises(TransferError) as raised:
        read_table(path, encoding="klingon-8")
    assert str(raised.value) == "“klingon-8” is not the name of a text encoding."


def test_cli_imports_a_gbk_file_and_says_how_it_read_the_columns(
    seeded: Profile, cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "客户资料.csv"
    path.write_bytes(MAINLAND.encode("gbk"))
    code, stdout, stderr = cli("import", str(path), "--entity", "customers")
    assert (code, stderr) == (0, "")
    assert stdout.splitlines() == [
        "Reading the file's columns as: “客户名称” as Name, “联系电话” as Phone, "
        "“地址” as Address, “备注” as Notes.",
        "Imported 2 new customer records, updated 0.",
    ]
    stored = stored_customers(seeded)
    assert {name: stored[name] for name in MAINLAND_STORED} == MAINLAND_STORED


def test_cli_encoding_option(seeded: Profile, cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "tw.csv"
    path.write_bytes(TAIWAN.encode("big5"))
    code, _, stderr = cli("import", str(path), "--entity", "customers", "--encoding", "utf-8")
    assert code == 1
    assert stderr.startswith("crm-desktop: Line 1 of the file is not UTF-8 text")
    assert "台北貿易股份有限公司" not in stored_customers(seeded)
    code, _, stderr = cli("import", str(path), "--entity", "customers", "--encoding", "big5")
    assert (code, stderr) == (0, "")
    stored = stored_customers(seeded)
    assert {name: stored[name] for name in TAIWAN_STORED} == TAIWAN_STORED


def test_a_file_the_system_will_not_read_is_one_sentence(tmp_path: Path) -> None:
    """A CSV that Excel holds open on Windows, or one the user may not read: the system's
    refusal (here: a folder where a file was expected, refused even to root) is a sentence."""
    path = tmp_path / "客户.csv"
    path.mkdir()
    with pytest.raises(TransferError) as raised:
        file_bytes(path)
    assert str(raised.value) == (
        f"The file {path} cannot be read (it is a folder, not a file); close it in the program "
        "that has it open, or check that you may read it."
    )


def test_a_folder_or_a_missing_file_is_said_for_what_it_is(tmp_path: Path) -> None:
    with pytest.raises(TransferError) as folder:
        read_table(tmp_path)
    assert str(folder.value) == f"{tmp_path} is a folder; choose a file in it."
    with pytest.raises(TransferError) as missing:
        detect_encoding(tmp_path / "nope.csv")
    assert str(missing.value) == f"There is no file {tmp_path / 'nope.csv'}."
