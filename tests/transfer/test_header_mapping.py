"""Headers people's own lists have: guessed, remembered once confirmed, and imported by."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from crm_desktop.models.entities import (
    Contact,
    Customer,
    CustomerIdentifier,
    LocalSetting,
    Opportunity,
    User,
)
from crm_desktop.profile import Profile
from crm_desktop.transfer.columns import TRANSFER_ENTITIES, transfer_columns
from crm_desktop.transfer.errors import ImportFailed, TransferError
from crm_desktop.transfer.headers import (
    ENTITY_WORDS,
    default_mapping,
    guess_mapping,
    mapping_key,
    mapping_targets,
    normalized_header,
    remember_mapping,
    remembered_mapping,
)
from crm_desktop.transfer.importing import import_file
from tests.transfer.conftest import Cli


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def targets(entity: str, header: list[str]) -> list[str | None]:
    mapping = guess_mapping(entity, header)
    return [mapping[at] for at in range(len(header))]


@pytest.mark.parametrize(
    ("typed", "matched"),
    [
        ("客户名称（必填）", "客户名称"),
        ("*客户名称", "客户名称"),
        ("手机：", "手机"),
        ("E-Mail", "email"),
        ("ＥＭＡＩＬ", "email"),
        (" 单价(元) ", "单价"),
        ("Phone 2", "phone2"),
        ("list_price", "listprice"),
        ("聯絡電話", "联络电话"),
    ],
)
def test_what_matching_ignores(typed: str, matched: str) -> None:
    assert normalized_header(typed) == matched


def test_customer_headers() -> None:
    header = [
        "客户名称",
        "简称",
        "手机",
        "联系电话",
        "座机",
        "邮箱",
        "地址",
        "行业",
        "级别",
        "业务员",
        "身份证",
        "统一社会信用代码",
        "车牌号",
        "保单号",
        "来源",
        "网址",
        "备注",
    ]
    assert targets("customers", header) == [
        "name",
        "short_name",
        "phone",
        "phone2",  # a second phone-like column is the other phone
        None,  # and a third has nowhere to go
        "email",
        "address",
        "industry",
        "grade",
        "owner",
        "identifiers:id_card",
        "identifiers:tax_number",
        "identifiers:licence_plate",
        "identifiers:policy_number",
        "source",
        "website",
        "notes",
    ]


def test_english_headers_and_export_names_come_first() -> None:
    header = ["Company", "Tel", "phone", "E-mail", "Other phone", "Finance system key"]
    # "phone" is the export's own name: it takes phone, and Tel the overflow.
    assert targets("customers", header) == [
        "name",
        "phone2",
        "phone",
        "email",
        None,
        "external_ref",
    ]


def test_contact_headers() -> None:
    header = ["姓名", "职务", "手机", "电话", "微信", "公司", "地址", "邮箱", "QQ"]
    assert targets("contacts", header) == [
        "name",
        "title",
        "mobile",
        "phone",
        "messaging_id",
        "customer",
        "address",
        "email",
        None,  # WeChat took the one messaging ID
    ]
    # A landline column then a second one: the second becomes the mobile.
    assert targets("contacts", ["联系人", "电话1", "电话2", "单位"]) == [
        "name",
        "phone",
        "mobile",
        "customer",
    ]


def test_product_headers() -> None:
    header = ["产品编码", "产品名称", "单位", "单价（元）"]
    assert targets("products", header) == ["code", "name", "unit", "list_price"]
    assert targets("products", ["编码", "名称", "价格"]) == ["code", "name", "list_price"]


def test_other_entities_from_their_field_labels() -> None:
    assert targets("opportunities", ["商机名称", "客户名称", "阶段", "金额", "预计成交日期"]) == [
        "title",
        "customer",
        "stage",
        "amount",
        "expected_close",
    ]
    assert targets("payments", ["合同号", "回款日期", "金额", "付款方式", "凭证号"]) == [
        "contract",
        "paid_on",
        "amount",
        "method",
        "reference",
    ]
    assert targets("tasks", ["Title", "Due", "Assigned to", "Done"]) == [
        "title",
        "due_at",
        "assignee",
        "done",
    ]


@pytest.mark.parametrize("entity", TRANSFER_ENTITIES)
def test_every_export_name_reads_as_itself(entity: str) -> None:
    names = [column.name for column in transfer_columns(entity).columns]
    assert targets(entity, names) == names


@pytest.mark.parametrize("entity", sorted(ENTITY_WORDS))
def test_every_listed_word_is_a_target_of_its_entity(entity: str) -> None:
    assert set(ENTITY_WORDS[entity]) <= set(mapping_targets(entity))


def test_mapping_key_is_stable_across_what_matching_ignores() -> None:
    key = mapping_key(["客户名称", "手机"])
    assert len(key) == 16
    assert mapping_key([" 客户名称（必填）", "手机："]) == key
    assert mapping_key(["手机", "客户名称"]) != key
    assert mapping_key(["客户名称", "手机", "备注"]) != key


def test_a_confirmed_mapping_is_remembered_per_header(profile: Profile) -> None:
    header = ["单位名称", "联系人", "电话", "备注"]
    mapping = {0: "name", 1: None, 2: "phone2", 3: "notes"}
    with profile.store.read() as session:
        assert remembered_mapping(session, "customers", header) is None
        assert default_mapping(session, "customers", header).origin == "guessed"
    with profile.store.write() as session:
        remember_mapping(session, "customers", header, mapping)
    with profile.store.read() as session:
        assert remembered_mapping(session, "customers", header) == mapping
        # Same header as another month's export spells it; not for another entity.
        assert remembered_mapping(session, "customers", ["单位名称：", *header[1:]]) == mapping
        assert remembered_mapping(session, "contacts", header) is None
        found = default_mapping(session, "customers", header)
        keys = session.scalars(select(LocalSetting.key)).all()
    assert (found.columns, found.origin) == (mapping, "remembered")
    assert all(len(key) <= 64 for key in keys)
    # The export's own names need no memory.
    with profile.store.read() as session:
        assert default_mapping(session, "customers", ["name", "phone"]).origin == "exact"


def test_a_remembered_mapping_that_no_longer_fits_is_forgotten(profile: Profile) -> None:
    header = ["名称", "手机"]
    with profile.store.write() as session:
        remember_mapping(session, "customers", header, {0: "name", 1: "phone"})
        setting = session.scalars(select(LocalSetting)).all()[-1]
        setting.value = setting.value.replace('"phone"', '"fax"')
    with profile.store.read() as session:
        assert remembered_mapping(session, "customers", header) is None
    with pytest.raises(ValueError, match="not a target"), profile.store.write() as session:
        remember_mapping(session, "customers", header, {0: "name", 1: "fax"})


def test_longest_entity_key_fits_the_settings_column(profile: Profile) -> None:
    with profile.store.write() as session:
        remember_mapping(session, "contract_instalments", ["合同号", "到期日"], {0: "contract"})
    with profile.store.read() as session:
        found = remembered_mapping(session, "contract_instalments", ["合同号", "到期日"])
    assert found == {0: "contract", 1: None}


CHINESE_CUSTOMERS = (
    "客户名称（必填）,手机,联系电话,邮箱,身份证,车牌号,统一社会信用代码,证件号码,业务员,备注\n"
    "王建国,138 0013 8000,0755 8888 1234,wjg@example.com,44030519900101123X,粤B 12345,,"
    "91440300MA5FXXXX1Y,lina,个人客户\n"
    "深圳市南山科技有限公司,,0755 2666 8888,,,,91440300MA5G8K9Q23,licence_plate:粤B 88888,,\n"
)


def test_import_with_chinese_headers(seeded: Profile, tmp_path: Path) -> None:
    path = write(tmp_path / "客户.csv", CHINESE_CUSTOMERS, "gbk")
    summary = import_file(seeded.writer(), "customers", path, update=False)
    assert summary.created == 2
    with seeded.store.read() as session:
        wang = session.scalars(select(Customer).where(Customer.name == "王建国")).one()
        tech = session.scalars(select(Customer).where(Customer.name.like("深圳市南山%"))).one()
        lina = session.scalar(select(User.id).where(User.login == "lina"))
        ids = {
            customer_id: set(
                session.execute(
                    select(CustomerIdentifier.kind, CustomerIdentifier.value_key).where(
                        CustomerIdentifier.customer_id == customer_id
                    )
                ).all()
            )
            for customer_id in (wang.id, tech.id)
        }
    assert (wang.phone, wang.phone2, wang.email) == (
        "+8613800138000",
        "+8675588881234",
        "wjg@example.com",
    )
    assert (wang.owner_id, wang.notes) == (lina, "个人客户")
    assert ids[wang.id] == {
        ("id_card", "44030519900101123X"),
        ("licence_plate", "粤B12345"),
        # 证件号码 holds plain numbers: a unified social credit code is a tax number.
        ("tax_number", "91440300MA5FXXXX1Y"),
    }
    assert (tech.phone, tech.phone2) == (None, "+8675526668888")
    assert ids[tech.id] == {("tax_number", "91440300MA5G8K9Q23"), ("licence_plate", "粤B88888")}


def test_an_update_by_identifier_kind_keeps_the_other_kinds(
    seeded: Profile, tmp_path: Path
) -> None:
    with seeded.store.read() as session:
        customer_id = session.scalar(select(Customer.id).where(Customer.name.like("深圳市华强%")))
    path = write(tmp_path / "plates.csv", f"id,车牌号\n{customer_id},粤B 54321\n")
    import_file(seeded.writer(), "customers", path, update=True)
    with seeded.store.read() as session:
        pairs = set(
            session.execute(
                select(CustomerIdentifier.kind, CustomerIdentifier.value_key).where(
                    CustomerIdentifier.customer_id == customer_id,
                    CustomerIdentifier.deleted_at.is_(None),
                )
            ).all()
        )
    assert pairs == {("licence_plate", "粤B54321"), ("tax_number", "91440300ABC")}


def test_columns_the_guess_cannot_place_are_listed(seeded: Profile, tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "客户名称,传真,生日\nA公司,1,2\n")
    with pytest.raises(TransferError) as raised:
        import_file(seeded.writer(), "customers", path, update=False)
    text = str(raised.value)
    assert text.startswith(
        "The file has columns that a customer record does not have: “传真”, “生日”; leave each "
        "out with --leave-out, or head it as one of: Id (of a record here) (id), Name (name),"
    )
    assert "ID card number (identifiers:id_card)" in text


def test_two_columns_of_one_field_are_named(seeded: Profile, tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "客户名称,邮箱,电子邮件\nA公司,a@b.cn,c@d.cn\n")
    with pytest.raises(TransferError) as raised:
        import_file(seeded.writer(), "customers", path, update=False)
    assert str(raised.value) == (
        "The columns “邮箱” and “电子邮件” would both be read as Email; only one of them can be."
    )


def test_an_empty_unnamed_column_is_spacing_a_filled_one_is_not(
    seeded: Profile, tmp_path: Path
) -> None:
    spaced = write(tmp_path / "spaced.csv", "客户名称,,手机\nA公司,,13800000001\n")
    assert import_file(seeded.writer(), "customers", spaced, update=False).created == 1
    filled = write(tmp_path / "filled.csv", "客户名称,,手机\nB公司,x,13800000002\n")
    with pytest.raises(TransferError, match=r"^Column 2 of the header has no name\.$"):
        import_file(seeded.writer(), "customers", filled, update=False)


def test_a_given_mapping_leaves_out_what_it_does_not_name(seeded: Profile, tmp_path: Path) -> None:
    path = write(tmp_path / "x.csv", "单位,传真,电话\n杭州某某有限公司,0571 1,0571 5555 1234\n")
    mapping = {0: "name", 1: None, 2: "phone2"}
    import_file(seeded.writer(), "customers", path, update=False, mapping=mapping)
    with seeded.store.read() as session:
        stored = session.execute(
            select(Customer.phone, Customer.phone2).where(Customer.name == "杭州某某有限公司")
        ).one()
    assert tuple(stored) == (None, "+8657155551234")
    with pytest.raises(TransferError, match="would both be read as Name"):
        import_file(
            seeded.writer(), "customers", path, update=False, mapping={0: "name", 2: "name"}
        )
    with pytest.raises(ValueError, match="no mapping of customers"):
        import_file(seeded.writer(), "customers", path, update=False, mapping={0: "fax"})


def test_cli_leaves_out_row_numbers_by_itself_and_columns_it_is_told_to(
    seeded: Profile, cli: Cli, tmp_path: Path
) -> None:
    """序号 (1, 2…) is an old list's row numbers: left out, and said. 省份 is data the record has
    no field for: it stops the import until --leave-out names it. A 序号 column holding
    anything but whole numbers is data too."""
    path = write(
        tmp_path / "x.csv",
        "序号,客户名称,手机,省份\n1,宁波港务有限公司,13800000001,浙江\n2,远航物流,13900000002,广东\n",
    )
    code, _, stderr = cli("import", str(path), "--entity", "customers")
    assert code == 1
    assert "“省份”" in stderr and "“序号”" not in stderr and "--leave-out “省份”" in stderr
    # Named with a stray space, as a shell line is easily typed.
    code, stdout, stderr = cli("import", str(path), "--entity", "customers", "--leave-out", "省份 ")
    assert (code, stderr) == (0, "")
    assert "Leaving out the columns: “序号”, “省份”." in stdout
    with seeded.store.read() as session:
        names = set(session.scalars(select(Customer.name)))
    assert {"宁波港务有限公司", "远航物流"} <= names and "1" not in names
    code, _, stderr = cli("import", str(path), "--entity", "customers", "--leave-out", "城市")
    assert (code, stderr) == (1, "crm-desktop: The file has no column “城市” to leave out.\n")
    coded = write(tmp_path / "y.csv", "序号,客户名称\nA-1,华东公司\n")
    code, _, stderr = cli("import", str(coded), "--entity", "customers")
    assert code == 1 and "“序号”" in stderr


def test_cli_uses_the_remembered_mapping(seeded: Profile, cli: Cli, tmp_path: Path) -> None:
    path = write(
        tmp_path / "x.csv", "单位名称,传真,电话\n宁波港务有限公司,0574 8765 4322,0574 8765 4321\n"
    )
    code, _, stderr = cli("import", str(path), "--entity", "customers")
    assert code == 1  # 传真 (fax) is no customer field: the guess cannot place it
    assert "“传真” that a customer record does not have" in stderr
    with seeded.store.write() as session:
        remember_mapping(
            session, "customers", ["单位名称", "传真", "电话"], {0: "name", 2: "phone"}
        )
    code, stdout, stderr = cli("import", str(path), "--entity", "customers")
    assert (code, stderr) == (0, "")
    assert stdout.splitlines() == [
        "Reading the file's columns as: “单位名称” as Name, “电话” as Phone.",
        "Leaving out the columns: “传真”.",
        "Imported 1 new customer records, updated 0.",
    ]


def test_contacts_find_their_customer_by_name_or_create_it(seeded: Profile, tmp_path: Path) -> None:
    text = (
        "姓名,手机,公司\n"
        "刘洋,13500000001,深圳市华强电子 有限公司\n"  # the seeded customer, spaced otherwise
        "赵磊,13500000002,NORTHWIND trading ltd\n"
        "孙强,13500000003,成都新客户有限公司\n"
        "吴刚,13500000004,成都新客户有限公司\n"  # created once, for the line before
    )
    path = write(tmp_path / "联系人.csv", text)
    summary = import_file(seeded.writer(), "contacts", path, update=False)
    assert (summary.created, summary.customers_created) == (4, 1)
    with seeded.store.read() as session:
        rows = session.execute(
            select(Contact.name, Customer.name, Customer.kind)
            .join(Customer, Customer.id == Contact.customer_id)
            .where(Contact.name.in_(["刘洋", "赵磊", "孙强", "吴刚"]))
        ).all()
    assert {name: (customer, kind) for name, customer, kind in rows} == {
        "刘洋": ("深圳市华强电子有限公司", "company"),
        "赵磊": ("Northwind Trading Ltd", "company"),
        "孙强": ("成都新客户有限公司", "company"),
        "吴刚": ("成都新客户有限公司", "company"),
    }


def test_other_records_find_their_customer_by_name_only(seeded: Profile, tmp_path: Path) -> None:
    text = "商机名称,客户,阶段\n年度维保,Northwind Trading Ltd,lead\n新项目,不存在的公司,lead\n"
    path = write(tmp_path / "商机.csv", text)
    with pytest.raises(ImportFailed) as failed:
        import_file(seeded.writer(), "opportunities", path, update=False)
    assert failed.value.problems == ["line 3: there is no customer named “不存在的公司”."]
    path = write(tmp_path / "商机.csv", text.splitlines(keepends=True)[0] + text.splitlines()[1])
    import_file(seeded.writer(), "opportunities", path, update=False)
    with seeded.store.read() as session:
        customer = session.scalar(
            select(Customer.name)
            .join(Opportunity, Opportunity.customer_id == Customer.id)
            .where(Opportunity.title == "年度维保")
        )
    assert customer == "Northwind Trading Ltd"


def test_two_customers_of_one_name_are_a_row_problem(seeded: Profile, tmp_path: Path) -> None:
    with seeded.writer().transaction() as unit:
        unit.create("customers", {"name": "northwind trading ltd"})
    path = write(tmp_path / "c.csv", "姓名,公司\n赵磊,Northwind Trading Ltd\n")
    with pytest.raises(ImportFailed) as failed:
        import_file(seeded.writer(), "contacts", path, update=False)
    assert failed.value.problems == [
        "line 2: 2 customers are named “Northwind Trading Ltd”; "
        "give the one you mean by its id in customer_id."
    ]


def test_a_totals_row_is_refused_by_name_not_imported_as_a_customer(
    seeded: Profile, cli: Cli, tmp_path: Path
) -> None:
    """An old list ends on 合计：2家: no customer of that name, and a sentence saying which row
    it is; a company named "Total Solutions" is a company."""
    path = write(
        tmp_path / "x.csv",
        "客户名称,手机\n"
        "宁波港务有限公司,13800000001\n"
        "Total Solutions Ltd,13900000002\n"
        "合计：2家,\n",
    )
    code, _, stderr = cli("import", str(path), "--entity", "customers")
    assert code == 1
    assert "line 4" in stderr and "“合计：2家” is the list's totals row, not a record" in stderr
    with seeded.store.read() as session:
        names = set(session.scalars(select(Customer.name)))
    assert "宁波港务有限公司" not in names  # all rows or none
    assert cli("import", str(path), "--entity", "customers", "--dry-run")[0] == 1
