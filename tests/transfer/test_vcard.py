"""Business cards: vCard 2.1 as phones export them, 3.0 and 4.0 as address books do, several to a
file, imported as contacts of the customers their companies are (found or created)."""

from __future__ import annotations

import quopri
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crm_desktop.models.entities import Contact, Customer
from crm_desktop.profile import Profile
from crm_desktop.transfer.errors import ImportFailed, TransferError
from crm_desktop.transfer.importing import import_file
from crm_desktop.transfer.reading import read_table
from crm_desktop.transfer.vcard import VCARD_COLUMNS
from tests.transfer.conftest import Cli


def qp(text: str, encoding: str = "utf-8") -> str:
    """Quoted-printable as a phone writes it: soft line breaks at 76 characters, CRLF."""
    return quopri.encodestring(text.encode(encoding)).decode("ascii").replace("\n", "\r\n")


# A phone's 2.1 export: quoted-printable UTF-8 name and company (a long note folded with soft
# line breaks, its own line break encoded), bare TYPE parameters, a fax, a photo; then a card
# in GBK, two mobiles.
CARDS_21 = (
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    f"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp('张')};{qp('伟')};;;\r\n"
    f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp('张伟')}\r\n"
    f"ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp('广州明珠贸易有限公司')};{qp('采购部')}\r\n"
    f"TITLE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{qp('经理')}\r\n"
    "TEL;WORK;VOICE:020-5555-1234\r\n"
    "TEL;CELL;PREF:138 0013 8000\r\n"
    "TEL;HOME:020-8765-4321\r\n"
    "TEL;WORK;FAX:020-5555-9999\r\n"
    "EMAIL;PREF;INTERNET:zhangwei@mingzhu.cn\r\n"
    f"ADR;WORK;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;{qp('天河路1号')};{qp('广州')};"
    f"{qp('广东')};510000;{qp('中国')}\r\n"
    "NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:"
    f"{qp('每月结算, 季度对账; 周末不要打电话, 有事发微信或者邮件给他的助理小王')}=0D=0A"
    f"{qp('第二行')}\r\n"
    "PHOTO;ENCODING=BASE64;JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAMCAgICAgMCAgIDAwMDBAYEBAQE\r\n"
    "  BAgGBgUGCQgKCgkICQkKDA8MCgsOCwkJDRENDg8QEBEQCgwSExIQEw8QEBD\r\n"
    "\r\n"
    "END:VCARD\r\n"
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    f"FN;CHARSET=GBK;ENCODING=QUOTED-PRINTABLE:{qp('王芳', 'gbk')}\r\n"
    "TEL;CELL:13912345678\r\n"
    "TEL;CELL:13987654321\r\n"
    "END:VCARD\r\n"
)

# An address book's 3.0 export: escapes, TYPE lists, a preferred email second, a company
# already a customer (spelled with other spaces), an IM.
CARDS_30 = """BEGIN:VCARD
VERSION:3.0
FN:李娜
N:李;娜;;;
ORG:深圳市华强电子有限公司 ;销售部
TITLE:销售经理
TEL;TYPE=CELL:139 1234 5678
TEL;TYPE=WORK,VOICE:0755 8888 1234
TEL;TYPE=CELL:137 0000 1111
EMAIL;TYPE=INTERNET:lina@example.com
EMAIL;TYPE=INTERNET,PREF:li.na@huaqiang.com.cn
X-QQ:12345678
NOTE:老客户\\, 每年续约\\n第二行
URL:https://www.huaqiang.com.cn
END:VCARD
"""

CARDS_40 = """BEGIN:VCARD
VERSION:4.0
FN:Wang Fang
N:Wang;Fang;;;
ORG:Northwind Trading Ltd
TEL;VALUE=uri;TYPE=work:tel:+86-755-1111-2222
TEL;VALUE=uri;TYPE="cell,voice";PREF=1:tel:+86-139-0000-1111
EMAIL;TYPE=work:wf@northwind.example
IMPP;PREF=1:xmpp:wf@northwind.example
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:陈静
TEL;VALUE=uri;TYPE=home:tel:+86-10-6543-2100
ADR;TYPE=home:;;朝阳路8号;北京;北京;100020;中国
END:VCARD
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def contacts(profile: Profile) -> dict[str, tuple]:
    """name → (customer name, customer kind, customer address, title, mobile, phone, email,
    messaging id, notes)."""
    with profile.store.read() as session:
        rows = session.execute(
            select(
                Contact.name,
                Customer.name,
                Customer.kind,
                Customer.address,
                Contact.title,
                Contact.mobile,
                Contact.phone,
                Contact.email,
                Contact.messaging_id,
                Contact.notes,
            )
            .join(Customer, Customer.id == Contact.customer_id)
            .where(Contact.deleted_at.is_(None))
        ).all()
    return {row[0]: tuple(row[1:]) for row in rows}


def customer_count(profile: Profile) -> int:
    with profile.store.read() as session:
        return session.scalar(
            select(func.count()).select_from(Customer).where(Customer.deleted_at.is_(None))
        )


def test_version_21_cards_read_as_contact_rows(tmp_path: Path) -> None:
    table = read_table(write(tmp_path / "phone.vcf", CARDS_21, "ascii"))
    assert (table.header, table.place, table.source) == (list(VCARD_COLUMNS), "line", "vcard")
    (first_line, first), (second_line, second) = table.rows
    cells = dict(zip(VCARD_COLUMNS, first, strict=True))
    # Each card's row is numbered by the line of its BEGIN:VCARD.
    begins = [n for n, line in enumerate(CARDS_21.splitlines(), 1) if line == "BEGIN:VCARD"]
    assert [first_line, second_line] == begins == [1, 22]
    assert cells["name"] == "张伟"
    assert cells["customer"] == "广州明珠贸易有限公司"
    assert cells["title"] == "采购部 经理"
    assert (cells["mobile"], cells["phone"]) == ("138 0013 8000", "020-5555-1234")
    assert cells["address"] == "广东广州天河路1号 510000"
    assert cells["notes"].splitlines() == [
        "每月结算, 季度对账; 周末不要打电话, 有事发微信或者邮件给他的助理小王",
        "第二行",
        "Other phones: 020-8765-4321",
        "Fax: 020-5555-9999",
    ]
    # The GBK card's name, and its second mobile as the phone.
    assert dict(zip(VCARD_COLUMNS, second, strict=True)) == dict.fromkeys(VCARD_COLUMNS, "") | {
        "name": "王芳",
        "mobile": "13912345678",
        "phone": "13987654321",
    }


def test_a_byte_order_mark_stays_out_of_the_values(tmp_path: Path) -> None:
    """Phones save cards as UTF-8 with a byte-order mark too: it belongs to the file, and must
    not reach each quoted-printable name (which would then match no stored company)."""
    plain = read_table(write(tmp_path / "plain.vcf", CARDS_21, "ascii"))
    marked = read_table(write(tmp_path / "marked.vcf", CARDS_21, "utf-8-sig"))
    assert marked.rows == plain.rows
    assert dict(zip(VCARD_COLUMNS, marked.rows[0][1], strict=True))["name"] == "张伟"


def test_version_21_cards_import_with_their_companies(profile: Profile, tmp_path: Path) -> None:
    path = write(tmp_path / "phone.vcf", CARDS_21, "ascii")
    summary = import_file(profile.writer(), "contacts", path, update=False)
    assert (summary.created, summary.customers_created) == (2, 2)
    assert summary.text() == (
        "Imported 2 new contact records, updated 0. Added 2 new customer records for them."
    )
    stored = contacts(profile)
    zhang = stored["张伟"]
    # The company is created with the card's address, and is the user's own.
    assert zhang[:3] == ("广州明珠贸易有限公司", "company", "广东广州天河路1号 510000")
    assert zhang[3:8] == (
        "采购部 经理",
        "+8613800138000",
        "+862055551234",
        "zhangwei@mingzhu.cn",
        None,
    )
    assert "Fax: 020-5555-9999" in zhang[8]
    # No company: a private person's contact, under a customer of kind person.
    assert stored["王芳"][:3] == ("王芳", "person", None)
    assert stored["王芳"][4:6] == ("+8613912345678", "+8613987654321")
    with profile.store.read() as session:
        owners = set(session.scalars(select(Customer.owner_id)))
    assert owners == {profile.user_id}


def test_a_whole_file_in_gbk(profile: Profile, tmp_path: Path) -> None:
    # Older phones write the cards in GBK, names unencoded.
    text = (
        "BEGIN:VCARD\nVERSION:2.1\nN:赵;磊\nORG:成都天府软件有限公司\n"
        "TEL;CELL:13600001111\nEND:VCARD\n"
    )
    path = write(tmp_path / "old.vcf", text, "gbk")
    assert read_table(path).encoding == "gb18030"
    import_file(profile.writer(), "contacts", path, update=False)
    assert contacts(profile)["赵磊"][:2] == ("成都天府软件有限公司", "company")


def test_version_30_card_joins_the_existing_customer(seeded: Profile, tmp_path: Path) -> None:
    before = customer_count(seeded)
    path = write(tmp_path / "book.vcf", CARDS_30)
    summary = import_file(seeded.writer(), "contacts", path, update=False)
    assert (summary.created, summary.customers_created) == (1, 0)
    assert customer_count(seeded) == before
    lina = contacts(seeded)["李娜"]
    assert lina[0] == "深圳市华强电子有限公司"
    assert lina[3:8] == (
        "销售部 销售经理",
        "+8613912345678",
        "+8675588881234",
        "li.na@huaqiang.com.cn",
        "12345678",
    )
    assert lina[8].splitlines() == [
        "老客户, 每年续约",
        "第二行",
        "Other phones: 137 0000 1111",
        "Other emails: lina@example.com",
        "Website: https://www.huaqiang.com.cn",
    ]


def test_version_40_cards(profile: Profile, tmp_path: Path) -> None:
    path = write(tmp_path / "v4.vcf", CARDS_40)
    summary = import_file(profile.writer(), "contacts", path, update=False)
    assert (summary.created, summary.customers_created) == (2, 2)
    stored = contacts(profile)
    assert stored["Wang Fang"][:2] == ("Northwind Trading Ltd", "company")
    assert stored["Wang Fang"][4:8] == (
        "+8613900001111",
        "+8675511112222",
        "wf@northwind.example",
        "wf@northwind.example",
    )
    # A home number of a person without a company; her address goes to her own customer.
    assert stored["陈静"][:6] == (
        "陈静",
        "person",
        "北京北京朝阳路8号 100020",
        None,
        None,
        "+861065432100",
    )


def test_an_existing_customers_other_address_stays_with_the_contact(
    seeded: Profile, tmp_path: Path
) -> None:
    card = (
        "BEGIN:VCARD\nVERSION:3.0\nFN:周杰\nORG:Northwind Trading Ltd\n"
        "ADR:;;1 Harbour Rd;Hong Kong;;;\nEND:VCARD\n"
    )
    import_file(seeded.writer(), "contacts", write(tmp_path / "c.vcf", card), update=False)
    zhou = contacts(seeded)["周杰"]
    assert zhou[2] is None  # the customer is not changed by a contact's card
    assert zhou[8] == "Address: 1 Harbour Rd, Hong Kong"


def test_a_card_with_neither_name_nor_company_is_a_row_problem(
    profile: Profile, tmp_path: Path
) -> None:
    text = CARDS_40 + "BEGIN:VCARD\nVERSION:3.0\nTEL:13800000000\nEND:VCARD\n"
    path = write(tmp_path / "bad.vcf", text)
    with pytest.raises(ImportFailed) as failed:
        import_file(profile.writer(), "contacts", path, update=False)
    assert failed.value.problems == ["line 17: it has neither a name nor a customer (company)."]
    assert contacts(profile) == {}  # nothing imported, the good cards' customers neither
    assert customer_count(profile) == 0


def test_a_company_card_without_a_person_is_named_after_the_company(
    profile: Profile, tmp_path: Path
) -> None:
    text = "BEGIN:VCARD\nVERSION:3.0\nORG:上海申通快递\nTEL;TYPE=WORK:021 6666 8888\nEND:VCARD\n"
    import_file(profile.writer(), "contacts", write(tmp_path / "org.vcf", text), update=False)
    assert contacts(profile)["上海申通快递"][:2] == ("上海申通快递", "company")


def test_unended_card_and_other_entities_are_sentences(profile: Profile, tmp_path: Path) -> None:
    cut = write(tmp_path / "cut.vcf", CARDS_30.replace("END:VCARD\n", ""))
    with pytest.raises(TransferError) as raised:
        read_table(cut)
    assert str(raised.value) == "Line 1: the card that starts here has no END:VCARD."
    cards = write(tmp_path / "cards.vcf", CARDS_40)
    with pytest.raises(TransferError) as raised:
        import_file(profile.writer(), "customers", cards, update=False)
    assert str(raised.value) == "A business card file holds contacts: import it as contacts."
    empty = write(tmp_path / "empty.vcf", "just text\n")
    with pytest.raises(TransferError, match="holds no business cards"):
        read_table(empty)


def test_cli_imports_cards(seeded: Profile, cli: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "cards.vcf", CARDS_21.replace("\r\n", "\n"), "ascii")
    code, stdout, stderr = cli("import", str(path), "--entity", "contacts")
    assert (code, stderr) == (0, "")
    assert stdout == (
        "Imported 2 new contact records, updated 0. Added 2 new customer records for them.\n"
    )
    with seeded.store.read() as session:
        names = session.scalars(
            select(Contact.name)
            .join(Customer, Customer.id == Contact.customer_id)
            .where(Customer.name == "广州明珠贸易有限公司")
        ).all()
    assert names == ["张伟"]
    code, _, stderr = cli("import", str(path), "--entity", "products")
    assert (code, stderr) == (
        1,
        "crm-desktop: A business card file holds contacts: import it as contacts.\n",
    )
