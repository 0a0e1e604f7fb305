"""A customer list's contact person (联系人, 职务, 联系人手机) comes in as a contact of the row's
customer: through the command line and the wizard's steps, refused with its row when it is
wrong, added once to a stored customer a row updates, and taken away again by undo."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from crm_desktop.models.base import utcnow
from crm_desktop.models.entities import Contact, Customer, ImportBatch
from crm_desktop.profile import Profile
from crm_desktop.queries.tables import CUSTOMERS, ListQuery, list_ids
from crm_desktop.transfer import staging
from crm_desktop.transfer.headers import guess_mapping
from crm_desktop.transfer.staging import Decision, Staging
from tests.transfer.conftest import Cli

HEADER = "客户名称,联系人,职务,联系人手机,联系电话,地址\n"
ROWS = (
    HEADER + "深圳市华强电子有限公司,张伟,采购经理,13800138000,0755-83001234,深圳市福田区\n"
    "广州白云贸易公司,,,,020-86001234,广州市\n"  # no contact person: none is made
    "北京测试科技,李娜,,139 1234 5678,010-12345678,北京市\n"
)


def _contacts(profile: Profile) -> dict[str, tuple]:
    """Live contacts by name: (their customer's name, title, mobile)."""
    with profile.store.read() as session:
        rows = session.execute(
            select(Contact.name, Customer.name, Contact.title, Contact.mobile)
            .join(Customer, Customer.id == Contact.customer_id)
            .where(Contact.deleted_at.is_(None))
        ).all()
    return {name: (customer, title, mobile) for name, customer, title, mobile in rows}


def _customers(profile: Profile) -> dict[str, str]:
    with profile.store.read() as session:
        rows = session.execute(
            select(Customer.name, Customer.id).where(Customer.deleted_at.is_(None))
        ).all()
    return dict(rows)


def _write(tmp_path: Path, text: str, name: str = "客户.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_headers_of_a_chinese_list_read_as_its_contact_person() -> None:
    header = ["客户名称", "联系人", "职务", "联系人手机", "联系人电话", "联系人邮箱", "联系电话"]
    assert list(guess_mapping("customers", header).values()) == [
        "name",
        "contact:name",
        "contact:title",
        "contact:mobile",
        "contact:phone",
        "contact:email",
        "phone",
    ]


def test_a_phone_after_the_contact_person_is_his_once_the_customer_has_one() -> None:
    """客户名称 | 电话 | 联系人 | 手机 | 邮箱: the customer's phone comes first; the mobile and
    the email beside the contact person's name are his, not the customer's second phone. The
    customer's own columns still come first when it has none yet."""
    header = ["客户名称", "电话", "联系人", "手机", "邮箱"]
    assert list(guess_mapping("customers", header).values()) == [
        "name",
        "phone",
        "contact:name",
        "contact:mobile",
        "email",
    ]
    header = ["客户名称", "电话", "邮箱", "联系人", "手机", "座机", "电子邮件"]
    assert list(guess_mapping("customers", header).values()) == [
        "name",
        "phone",
        "email",
        "contact:name",
        "contact:mobile",
        "contact:phone",
        "contact:email",
    ]
    # Without a contact person, a second phone is the customer's other phone, as before.
    assert list(guess_mapping("customers", ["客户名称", "电话", "手机"]).values()) == [
        "name",
        "phone",
        "phone2",
    ]


def test_the_command_line_adds_each_row_s_contact_to_its_customer(
    profile: Profile, cli: Cli, tmp_path: Path
) -> None:
    code, out, err = cli("import", str(_write(tmp_path, ROWS)), "--entity", "customers")
    assert code == 0, err
    assert "Added 2 contact persons with them." in out
    assert _contacts(profile) == {
        "张伟": ("深圳市华强电子有限公司", "采购经理", "+8613800138000"),
        "李娜": ("北京测试科技", None, "+8613912345678"),
    }
    # The customer's own phone stays the customer's; the contact's name finds the customer.
    with profile.store.read() as session:
        phone = session.scalar(select(Customer.phone).where(Customer.name == "北京测试科技"))
        found = list_ids(session, CUSTOMERS, ListQuery(search="李娜"))
    assert phone == "+861012345678"
    assert found == [_customers(profile)["北京测试科技"]]


def test_a_wrong_contact_refuses_its_row_and_the_file(
    profile: Profile, cli: Cli, tmp_path: Path
) -> None:
    wrong = ROWS.replace("139 1234 5678", "12345")
    code, _out, err = cli("import", str(_write(tmp_path, wrong)), "--entity", "customers")
    assert code == 1
    assert "line 4: contact person: Mobile: “12345” has 5 digits" in err
    assert _customers(profile) == {} and _contacts(profile) == {}


def test_a_contact_s_phone_without_his_name_is_refused(
    profile: Profile, cli: Cli, tmp_path: Path
) -> None:
    # A row without the name: the row is refused, naming what is missing.
    nameless = ROWS.replace(",李娜,", ",,")
    code, _out, err = cli("import", str(_write(tmp_path, nameless)), "--entity", "customers")
    assert code == 1
    assert "line 4: the contact person's name is empty" in err
    # A file without a column of names at all: the mapping, before any row.
    header = ["客户名称", "联系人手机"]
    problem = staging.mapping_problem("customers", header, {0: "name", 1: "contact:mobile"})
    assert "no column holds the contact's name" in problem and "“Contact's mobile”" in problem
    assert _customers(profile) == {}


def _staged(profile: Profile, tmp_path: Path, text: str) -> Staging:
    path = _write(tmp_path, text, "old system.csv")
    opened = staging.open_file(path)
    writer = profile.writer()
    mapping = staging.mapping_for(writer, "customers", opened.table.header)
    return staging.stage(writer, "customers", opened.table, mapping.columns, profile.region)


def test_the_check_marks_a_wrong_contact_in_its_cell_and_the_import_skips_it(
    profile: Profile, tmp_path: Path
) -> None:
    staged = _staged(profile, tmp_path, ROWS.replace("139 1234 5678", "12345"))
    by_line = {row.line: row for row in staged.rows}
    assert set(by_line[4].problems) == {"contact:mobile"}
    assert by_line[4].problems["contact:mobile"].startswith("contact person: Mobile: “12345”")
    assert not by_line[2].problems and not by_line[3].problems
    assert _contacts(profile) == {}  # a check writes nothing
    staging.run(profile.writer(), staged, "old system.csv")
    assert staged.outcome is not None
    assert (staged.outcome.added, staged.outcome.contacts_created) == (2, 1)
    assert "Added 1 contact person with them." in staged.outcome.text()
    assert set(_customers(profile)) == {"深圳市华强电子有限公司", "广州白云贸易公司"}
    assert set(_contacts(profile)) == {"张伟"}


def test_a_contact_s_cell_corrected_in_the_check_is_imported(
    profile: Profile, tmp_path: Path
) -> None:
    staged = _staged(profile, tmp_path, ROWS.replace("139 1234 5678", "12345"))
    bad = next(at for at, row in enumerate(staged.rows) if row.line == 4)
    column = staged.targets.index("contact:mobile")
    staging.recheck(profile.writer(), staged, bad, column, "13912345678", profile.region)
    assert staged.problem_rows() == []
    staging.run(profile.writer(), staged, "old system.csv")
    assert _contacts(profile)["李娜"] == ("北京测试科技", None, "+8613912345678")


def test_a_row_that_updates_a_stored_customer_adds_its_contact_once(
    profile: Profile, tmp_path: Path
) -> None:
    writer = profile.writer()
    stored = writer.create(
        "customers", {"name": "深圳市华强电子有限公司", "phone": "0755-83001234"}
    ).primary_id
    assert stored is not None
    writer.create("contacts", {"customer_id": stored, "name": "王芳"})
    for _ in range(2):  # the same list imported twice
        staged = _staged(profile, tmp_path, HEADER + ROWS.splitlines(keepends=True)[1])
        (row,) = staged.rows
        assert row.updatable
        staged.decide(row.line, Decision.FILL)
        staging.run(profile.writer(), staged, "old system.csv")
    assert staged.outcome is not None and staged.outcome.contacts_created == 0
    assert _contacts(profile) == {
        "王芳": ("深圳市华强电子有限公司", None, None),
        "张伟": ("深圳市华强电子有限公司", "采购经理", "+8613800138000"),
    }
    assert list(_customers(profile).values()) == [stored]


def test_undo_takes_the_contacts_away_but_one_edited_since(
    profile: Profile, tmp_path: Path
) -> None:
    staged = _staged(profile, tmp_path, ROWS)
    staging.run(profile.writer(), staged, "old system.csv")
    outcome = staged.outcome
    assert outcome is not None and outcome.contacts_created == 2
    with profile.store.read() as session:
        li_na = session.scalar(select(Contact.id).where(Contact.name == "李娜"))
    assert li_na is not None
    writer = profile.writer()
    writer.update("contacts", li_na, {"title": "总经理"})
    staging.undo(writer, outcome)
    # 张伟 and his company, untouched, are gone; 李娜, edited since, stays with hers.
    assert _contacts(profile) == {"李娜": ("北京测试科技", "总经理", "+8613912345678")}
    assert set(_customers(profile)) == {"北京测试科技"}
    with profile.store.read() as session:
        assert session.get(ImportBatch, outcome.batch_id).undone_at is not None


def _merged_sheet(tmp_path: Path) -> Path:
    """A company merged down over its three people, as such lists are laid out in Excel."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["客户名称", "联系人", "联系人手机", "地址"])
    sheet.append(["宁波海天塑机有限公司", "陈一", "13800000001", "宁波市北仑区"])
    sheet.append([None, "陈二", "13800000002", None])
    sheet.append([None, "陈三", "13800000003", None])
    sheet.append(["远航物流", "李四", "13900000004", "广州市"])
    sheet.merge_cells("A2:A4")
    sheet.merge_cells("D2:D4")
    path = tmp_path / "客户名单.xlsx"
    book.save(path)
    return path


def test_a_company_merged_over_its_people_is_one_customer_with_each_contact(
    profile: Profile, tmp_path: Path
) -> None:
    path = _merged_sheet(tmp_path)
    writer = profile.writer()
    opened = staging.open_file(path)
    mapping = staging.mapping_for(writer, "customers", opened.table.header)
    staged = staging.stage(writer, "customers", opened.table, mapping.columns, profile.region)
    # Rows 3 and 4 repeat row 2 (the same company at the same address): filling in the
    # record row 2 adds keeps one customer, and adds each row's contact person to it.
    assert [(row.line, [m.row for m in row.matches]) for row in staged.duplicate_rows()] == [
        (3, [2]),
        (4, [2, 3]),
    ]
    for line in (3, 4):
        staged.decide(line, Decision.FILL)
    staging.run(writer, staged, path.name)
    assert set(_customers(profile)) == {"宁波海天塑机有限公司", "远航物流"}
    assert _contacts(profile) == {
        "陈一": ("宁波海天塑机有限公司", None, "+8613800000001"),
        "陈二": ("宁波海天塑机有限公司", None, "+8613800000002"),
        "陈三": ("宁波海天塑机有限公司", None, "+8613800000003"),
        "李四": ("远航物流", None, "+8613900000004"),
    }
    assert staged.outcome is not None and staged.outcome.text().startswith(
        "Customer: Added 2, updated 2, skipped 0."
    )
    staging.undo(writer, staged.outcome)
    assert _customers(profile) == {} and _contacts(profile) == {}


def test_a_row_updating_an_earlier_row_that_was_skipped_is_skipped_saying_so(
    profile: Profile, tmp_path: Path
) -> None:
    """Row 3 repeats row 2 (its phone) and is skipped; row 4 repeats row 3 (its plate) and is
    to fill in the record row 3 would have added: there is none, and it says so."""
    text = (
        "客户名称,电话,车牌\n"
        "陈一,13800000001,粤B12345\n"
        "陈一,13800000001,粤B54321\n"
        "陈一,13800000009,粤B54321\n"
    )
    staged = _staged(profile, tmp_path, text)
    assert [(row.line, [m.row for m in row.matches]) for row in staged.duplicate_rows()] == [
        (3, [2]),
        (4, [3, 2]),  # its plate is row 3's: that one first
    ]
    staged.decide(4, Decision.FILL)
    staging.run(profile.writer(), staged, "old system.csv")
    assert staged.outcome is not None
    skipped = {line: why for line, why, _cells in staged.outcome.skipped}
    assert set(skipped) == {3, 4}
    assert skipped[4] == "it was to update the record of line 3, which was not imported."
    assert list(_customers(profile)) == ["陈一"]


def test_undo_keeps_each_customer_used_since_with_its_contact_person_and_says_so(
    profile: Profile, tmp_path: Path
) -> None:
    """A follow-up logged on one imported customer, the other's own field edited: both stay,
    each with the contact person the import gave it, and the user is told that two stay."""
    staged = _staged(profile, tmp_path, ROWS)
    staging.run(profile.writer(), staged, "old system.csv")
    outcome = staged.outcome
    assert outcome is not None and outcome.contacts_created == 2
    customers = _customers(profile)
    writer = profile.writer()
    writer.create(
        "followups",
        {
            "customer_id": customers["北京测试科技"],
            "kind": "call",
            "text": "回访",
            "happened_at": utcnow(),
        },
    )
    writer.update("customers", customers["深圳市华强电子有限公司"], {"industry": "电子"})
    undone = staging.undo(writer, outcome)
    assert set(_customers(profile)) == {"北京测试科技", "深圳市华强电子有限公司"}
    assert {name: company for name, (company, *_rest) in _contacts(profile).items()} == {
        "李娜": "北京测试科技",
        "张伟": "深圳市华强电子有限公司",
    }
    assert undone.kept == 2
    assert staging.undone_text(undone).startswith("The import was undone; 2 of the records")
