"""The import in steps (transfer/staging.py), as the wizard and --dry-run use it: every problem
in its cell, duplicates against the store and inside the file, the user's decisions, skipped
rows with their reasons, cancel, and undo of exactly what the import did."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crm_desktop.models.entities import Contact, Customer, FollowUp, ImportBatch, OutboxEntry
from crm_desktop.profile import Profile
from crm_desktop.services.merging import merge_records
from crm_desktop.transfer import staging
from crm_desktop.transfer.staging import Decision, ImportCancelled, Staging
from crm_desktop.transfer.undo import live_identifiers

ROWS = (
    "客户名称,手机,邮箱,地址,行业\n"
    "华强电子,138-0013-8000,,深圳市福田区华强北路,电子\n"  # the stored 华强 by phone
    "美的集团,12,bad,佛山市顺德区,家电\n"  # two bad cells
    "新客户,13912345678,new@example.cn,北京市朝阳区,\n"
    "新客户二,139 1234 5678,,北京市朝阳区,\n"  # like the row above
    "Acme Trading,,sales@acme.cn,,贸易\n"
)


@pytest.fixture
def stored(profile: Profile) -> str:
    made = profile.writer().create(
        "customers",
        {"name": "深圳华强电子有限公司", "phone": "13800138000", "address": "深圳市福田区"},
    )
    assert made.primary_id is not None
    return made.primary_id


def _staged(profile: Profile, tmp_path: Path, text: str = ROWS) -> Staging:
    path = tmp_path / "old system.csv"
    path.write_bytes(text.encode("gbk"))
    opened = staging.open_file(path)
    assert opened.detected == "gb18030"
    writer = profile.writer()
    mapping = staging.mapping_for(writer, "customers", opened.table.header)
    return staging.stage(writer, "customers", opened.table, mapping.columns, profile.region)


def _outbox(profile: Profile) -> int:
    with profile.store.read() as session:
        return session.scalar(select(func.count()).select_from(OutboxEntry)) or 0


def _customers(profile: Profile) -> dict[str, Customer]:
    with profile.store.read() as session:
        rows = session.scalars(select(Customer).where(Customer.deleted_at.is_(None))).all()
        for row in rows:
            session.expunge(row)
    return {row.name: row for row in rows}


def test_the_check_finds_every_problem_in_its_cell_and_writes_nothing(
    profile: Profile, stored: str, tmp_path: Path
) -> None:
    before = _outbox(profile)
    staged = _staged(profile, tmp_path)
    assert staged.targets == ["name", "phone", "email", "address", "industry"]
    by_line = {row.line: row for row in staged.rows}
    assert set(by_line[3].problems) == {"phone", "email"}
    assert "“12” is not a phone number" in by_line[3].problems["phone"]
    assert [row.line for row in staged.problem_rows()] == [3]
    # The stored customer by its phone in another spelling; the later row by the earlier one.
    (like_stored,) = by_line[2].matches
    assert like_stored.record_id == stored and by_line[2].updatable
    (like_row,) = by_line[5].matches
    assert like_row.record_id is None and like_row.row == 4 and not by_line[5].updatable
    assert by_line[4].matches == [] and by_line[6].matches == []
    assert [row.line for row in staged.duplicate_rows()] == [2, 5]
    assert _outbox(profile) == before
    assert set(_customers(profile)) == {"深圳华强电子有限公司"}


def test_an_import_with_decisions_then_undo(profile: Profile, stored: str, tmp_path: Path) -> None:
    staged = _staged(profile, tmp_path)
    staged.decide(2, Decision.FILL)  # fill the stored record's empty fields
    staged.decide(5, Decision.ADD)
    done: list[tuple[int, int]] = []
    staging.run(profile.writer(), staged, "old system.csv", lambda d, t: done.append((d, t)))
    outcome = staged.outcome
    assert outcome is not None
    assert (outcome.added, outcome.updated) == (3, 1)
    assert [(line, cells[0]) for line, _why, cells in outcome.skipped] == [(3, "美的集团")]
    assert done[-1] == (5, 5)
    customers = _customers(profile)
    assert set(customers) == {"深圳华强电子有限公司", "新客户", "新客户二", "Acme Trading"}
    huaqiang = customers["深圳华强电子有限公司"]
    # Its empty industry was filled; its own address was kept.
    assert (huaqiang.industry, huaqiang.address) == ("电子", "深圳市福田区")

    # Someone edits an added customer and the updated one after the import: undo keeps that,
    # the edited customer with it.
    writer = profile.writer()
    writer.update("customers", customers["新客户"].id, {"industry": "教育"})
    writer.update("customers", stored, {"address": "深圳市南山区"})
    staging.undo(writer, outcome)
    after = _customers(profile)
    assert set(after) == {"深圳华强电子有限公司", "新客户"}
    assert after["新客户"].industry == "教育"
    assert after["深圳华强电子有限公司"].industry is None
    assert after["深圳华强电子有限公司"].address == "深圳市南山区"
    with profile.store.read() as session:
        assert session.get(ImportBatch, outcome.batch_id).undone_at is not None
    with pytest.raises(Exception, match="undone already"):
        staging.undo(writer, outcome)


def test_undo_leaves_an_added_record_that_work_was_added_to_since(
    profile: Profile, stored: str, tmp_path: Path
) -> None:
    """A follow-up logged on an imported customer, a payment recorded on an imported contract:
    undo would take them with the record. They are someone's later work: the record stays,
    with them; the others the import added go."""
    staged = _staged(profile, tmp_path)
    staged.decide(5, Decision.ADD)
    staging.run(profile.writer(), staged, "old system.csv")
    outcome = staged.outcome
    assert outcome is not None
    added = _customers(profile)["新客户"].id
    writer = profile.writer()
    called = writer.create(
        "followups",
        {"customer_id": added, "kind": "call", "text": "Called after the import"},
    ).primary_id
    staging.undo(writer, outcome)
    assert set(_customers(profile)) == {"深圳华强电子有限公司", "新客户"}
    with profile.store.read() as session:
        assert session.get(FollowUp, called).deleted_at is None


def test_overwrite_and_skip(profile: Profile, stored: str, tmp_path: Path) -> None:
    staged = _staged(profile, tmp_path)
    staged.decide(2, Decision.OVERWRITE)
    staging.run(profile.writer(), staged, "old system.csv")
    huaqiang = _customers(profile)["华强电子"]
    assert huaqiang.id == stored  # renamed as the file says
    assert huaqiang.address == "深圳市福田区华强北路"
    assert staged.outcome is not None
    # Row 5 was left at its default: skipped, saying why.
    skipped = {line: why for line, why, _cells in staged.outcome.skipped}
    assert set(skipped) == {3, 5} and "新客户" in skipped[5]


def test_overwriting_a_duplicate_keeps_what_the_file_leaves_empty(
    profile: Profile, stored: str, tmp_path: Path
) -> None:
    """Another system's list matched by phone: its empty email and industry cells know nothing
    of the stored ones, and erase neither; what it does give overwrites."""
    profile.writer().update(
        "customers",
        stored,
        {
            "email": "sales@huaqiang.cn",
            "industry": "电子元件",
            "identifiers": [("id_card", "11010519491231002X")],
        },
    )
    text = "客户名称,手机,邮箱,地址,行业,身份证\n华强电子,138-0013-8000,, 深圳市南山区 ,,\n"
    staged = _staged(profile, tmp_path, text)
    staged.decide(2, Decision.OVERWRITE)
    staging.run(profile.writer(), staged, "old system.csv")
    huaqiang = _customers(profile)["华强电子"]
    assert huaqiang.id == stored
    assert (huaqiang.address, huaqiang.email, huaqiang.industry) == (
        "深圳市南山区",
        "sales@huaqiang.cn",
        "电子元件",
    )
    assert _identifiers(profile, stored) == {("id_card", "11010519491231002X")}


def _identifiers(profile: Profile, customer_id: str) -> set[tuple[str, str]]:
    with profile.store.read() as session:
        return set(live_identifiers(session, customer_id))


def test_overwrite_from_a_plate_column_keeps_the_other_kinds(
    profile: Profile, stored: str, tmp_path: Path
) -> None:
    writer = profile.writer()
    writer.update(
        "customers",
        stored,
        {"identifiers": [("tax_number", "91440300ABC"), ("licence_plate", "粤B11111")]},
    )
    text = "客户名称,手机,车牌\n华强电子,138-0013-8000,粤B 22222\n华强二,13800138000,\n"
    for decision, expected in (
        # The file's plate replaces the stored one; the tax number is not in the file.
        (Decision.OVERWRITE, {("tax_number", "91440300ABC"), ("licence_plate", "粤B 22222")}),
        # Filling in adds the file's plate beside what is there.
        (
            Decision.FILL,
            {
                ("tax_number", "91440300ABC"),
                ("licence_plate", "粤B11111"),
                ("licence_plate", "粤B 22222"),
            },
        ),
    ):
        staged = _staged(profile, tmp_path, text)
        staged.decide(2, decision)
        staging.run(writer, staged, "old system.csv")
        assert _identifiers(profile, stored) == expected, decision
        assert staged.outcome is not None
        staging.undo(writer, staged.outcome)
        assert _identifiers(profile, stored) == {
            ("tax_number", "91440300ABC"),
            ("licence_plate", "粤B11111"),
        }
    # An empty plate cell, overwriting, says nothing of the plates: they stay.
    staged = _staged(profile, tmp_path, text)
    staged.decide(3, Decision.OVERWRITE)
    staging.run(writer, staged, "old system.csv")
    assert _identifiers(profile, stored) == {
        ("tax_number", "91440300ABC"),
        ("licence_plate", "粤B11111"),
    }


def test_the_skipped_rows_are_saved_for_excel(
    profile: Profile, stored: str, tmp_path: Path
) -> None:
    staged = _staged(profile, tmp_path)
    staging.run(profile.writer(), staged, "old system.csv")
    assert staged.outcome is not None
    target = tmp_path / "skipped.csv"
    staging.save_skipped(staged.outcome, target)
    with target.open(encoding="utf-8-sig", newline="") as saved:
        rows = list(csv.reader(saved))
    assert rows[0] == ["Line", "客户名称", "手机", "邮箱", "地址", "行业", "Why it was skipped"]
    assert [row[0] for row in rows[1:]] == ["2", "3", "5"]
    assert rows[2][1:6] == ["美的集团", "12", "bad", "佛山市顺德区", "家电"]
    assert "phone number" in rows[2][6]


def test_the_rows_with_problems_are_saved_to_correct_the_file_from(
    profile: Profile, stored: str, tmp_path: Path
) -> None:
    """Before anything is imported: each row's cells as the check holds them (a cell corrected
    there as corrected), and every problem left in the row, one a line, by column."""
    before = _outbox(profile)
    staged = _staged(
        profile, tmp_path, ROWS + "Bad Mail Ltd,0755 8888 9999,x@,,\nFixed Ltd,,y@,,\n"
    )
    # The user corrects the last row's email in the check: it has nothing left to correct.
    staging.recheck(profile.writer(), staged, 6, 2, "y@fixed.cn", profile.region)
    target = tmp_path / "to correct.csv"
    staging.save_problems(staged, target)
    with target.open(encoding="utf-8-sig", newline="") as saved:
        rows = list(csv.reader(saved))
    assert rows[0] == ["Line", "客户名称", "手机", "邮箱", "地址", "行业", "What to correct"]
    assert [row[:6] for row in rows[1:]] == [
        ["3", "美的集团", "12", "bad", "佛山市顺德区", "家电"],
        ["7", "Bad Mail Ltd", "0755 8888 9999", "x@", "", ""],
    ]
    problems = staged.row_at(3).problems
    assert rows[1][6].splitlines() == [problems["phone"], problems["email"]]
    assert rows[2][6] == staged.row_at(7).problems["email"]
    assert _outbox(profile) == before


def test_a_cancelled_import_leaves_nothing(profile: Profile, stored: str, tmp_path: Path) -> None:
    lines = "客户名称,手机\n" + "".join(f"客户{n},1391234{n:04d}\n" for n in range(2500))
    staged = _staged(profile, tmp_path, lines)
    before = _outbox(profile)
    asked = []

    def cancelled() -> bool:
        asked.append(True)
        return len(asked) > 1  # after the first thousand rows

    with pytest.raises(ImportCancelled):
        staging.run(profile.writer(), staged, "old system.csv", cancelled=cancelled)
    assert _outbox(profile) == before
    assert set(_customers(profile)) == {"深圳华强电子有限公司"}
    with profile.store.read() as session:
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_a_corrected_cell_is_checked_again(profile: Profile, stored: str, tmp_path: Path) -> None:
    staged = _staged(profile, tmp_path)
    bad = next(at for at, row in enumerate(staged.rows) if row.line == 3)
    staging.recheck(profile.writer(), staged, bad, 1, "0757-2233 4455", profile.region)
    assert set(staged.rows[bad].problems) == {"email"}
    staging.recheck(profile.writer(), staged, bad, 2, "info@midea.com", profile.region)
    assert staged.problem_rows() == []
    staging.run(profile.writer(), staged, "old system.csv")
    assert _customers(profile)["美的集团"].email == "info@midea.com"


def test_a_corrected_row_is_looked_up_among_the_files_other_rows_again(
    profile: Profile, tmp_path: Path
) -> None:
    """Row 3 repeats row 2 (its phone spelled otherwise) but was refused for its email; row 5
    repeats row 4, which was refused for its owner. Corrected, each pair is a duplicate again,
    as the check of the whole file would have said: neither copy goes in unflagged."""
    text = (
        "客户名称,手机,邮箱,负责人\n"
        "宁德时代新能源有限公司,13800138000,,\n"
        "宁德时代新能源,+86 138 0013 8000,bad,\n"
        "远航物流,13912345678,,nobody\n"
        "远航物流有限公司,139-1234-5678,,\n"
    )
    staged = _staged(profile, tmp_path, text)
    by_line = {row.line: at for at, row in enumerate(staged.rows)}
    assert staged.duplicate_rows(skip_bad=False) == [staged.rows[by_line[3]]]
    assert staged.rows[by_line[5]].matches == []  # row 4, refused, is no row to repeat
    staging.recheck(profile.writer(), staged, by_line[3], 2, "", profile.region)
    staging.recheck(profile.writer(), staged, by_line[4], 3, "", profile.region)
    assert staged.problem_rows() == []
    assert [(row.line, [m.row for m in row.matches]) for row in staged.duplicate_rows()] == [
        (3, [2]),
        (5, [4]),
    ]
    staging.run(profile.writer(), staged, "old system.csv")  # duplicates skipped by default
    assert set(_customers(profile)) == {"宁德时代新能源有限公司", "远航物流"}


def test_a_mapping_reading_two_columns_as_one_field_is_refused() -> None:
    header = ["客户名称", "手机", "电话"]
    assert staging.mapping_problem("customers", header, {0: "name", 1: "phone", 2: None}) == ""
    assert "“手机” and “电话”" in staging.mapping_problem(
        "customers", header, {0: "name", 1: "phone", 2: "phone"}
    )
    assert "at least one column" in staging.mapping_problem("customers", header, {0: None})


def test_a_card_of_someone_already_at_that_company_is_flagged(
    profile: Profile, tmp_path: Path
) -> None:
    writer = profile.writer()
    haier = writer.create("customers", {"name": "海尔集团"}).primary_id
    writer.create("contacts", {"customer_id": haier, "name": "王芳", "title": "采购"})
    cards = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王芳\r\nORG:海尔集团\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:陈明\r\nORG:海尔集团\r\nEND:VCARD\r\n"
    )
    path = tmp_path / "cards.vcf"
    path.write_text(cards, encoding="utf-8")
    table = staging.open_file(path).table
    mapping = staging.mapping_for(writer, "contacts", table.header)
    staged = staging.stage(writer, "contacts", table, mapping.columns, profile.region)
    flagged = {row.title: [m.name for m in row.matches] for row in staged.rows}
    assert flagged == {"王芳": ["王芳"], "陈明": []}


def _stage_cards(profile: Profile, tmp_path: Path, cards: str) -> Staging:
    path = tmp_path / "cards.vcf"
    path.write_text(cards, encoding="utf-8")
    table = staging.open_file(path).table
    writer = profile.writer()
    mapping = staging.mapping_for(writer, "contacts", table.header)
    return staging.stage(writer, "contacts", table, mapping.columns, profile.region)


def test_undoing_cards_takes_away_the_customers_made_for_them(
    profile: Profile, tmp_path: Path
) -> None:
    writer = profile.writer()
    haier = writer.create("customers", {"name": "海尔集团"}).primary_id
    old_twin = writer.create("customers", {"name": "远航物流（旧）"}).primary_id
    assert old_twin is not None
    staged = _stage_cards(
        profile,
        tmp_path,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王芳\r\nORG:远航物流\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:陈明\r\nEND:VCARD\r\n"  # a private person
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:李雷\r\nORG:星河科技\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:韩梅\r\nORG:北辰贸易\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:赵敏\r\nORG:海尔集团\r\nEND:VCARD\r\n",
    )
    staging.run(writer, staged, "cards.vcf")
    assert staged.outcome is not None
    made = _customers(profile)
    assert set(made) == {"海尔集团", "远航物流（旧）", "远航物流", "陈明", "星河科技", "北辰贸易"}
    # Since: an opportunity for one company the cards brought, a phone typed into the person's
    # customer, and an older duplicate merged into another company. Those three stay.
    writer.create(
        "opportunities",
        {"customer_id": made["星河科技"].id, "title": "年度框架", "stage": "lead"},
    )
    writer.update("customers", made["陈明"].id, {"phone": "13912345678"})
    merge_records(writer, "customers", made["远航物流"].id, old_twin, {})
    staging.undo(writer, staged.outcome)
    assert set(_customers(profile)) == {"海尔集团", "星河科技", "陈明", "远航物流"}
    assert _customers(profile)["海尔集团"].id == haier
    with profile.store.read() as session:
        live = session.scalars(select(Contact.name).where(Contact.deleted_at.is_(None))).all()
    assert live == []


def test_filling_in_a_stored_contact_makes_no_company(profile: Profile, tmp_path: Path) -> None:
    writer = profile.writer()
    haier = writer.create("customers", {"name": "海尔集团"}).primary_id
    writer.create("contacts", {"customer_id": haier, "name": "王芳", "mobile": "13912345678"})
    staged = _stage_cards(
        profile,
        tmp_path,
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王芳\r\nORG:Acme Ltd\r\nTEL;TYPE=CELL:13912345678\r\n"
        "EMAIL:wf@acme.cn\r\nEND:VCARD\r\n",
    )
    (row,) = staged.rows
    assert row.updatable
    staged.decide(row.line, Decision.FILL)
    staging.run(writer, staged, "cards.vcf")
    assert staged.outcome is not None and staged.outcome.updated == 1
    assert set(_customers(profile)) == {"海尔集团"}
    with profile.store.read() as session:
        wang = session.scalars(select(Contact).where(Contact.name == "王芳")).one()
    assert (wang.customer_id, wang.email) == (haier, "wf@acme.cn")


def test_undo_after_two_rows_updated_one_record_puts_back_the_first_value(
    profile: Profile, stored: str, tmp_path: Path
) -> None:
    profile.writer().update("customers", stored, {"email": "old@hq.cn"})
    text = "客户名称,手机,邮箱\n华强电子,138-0013-8000,a@hq.cn\n华强电子二,13800138000,b@hq.cn\n"
    staged = _staged(profile, tmp_path, text)
    staged.decide(2, Decision.OVERWRITE)
    staged.decide(3, Decision.OVERWRITE)
    staging.run(profile.writer(), staged, "old system.csv")
    assert staged.outcome is not None
    assert _customers(profile)["华强电子二"].email == "b@hq.cn"
    staging.undo(profile.writer(), staged.outcome)
    (huaqiang,) = _customers(profile).values()
    assert (huaqiang.name, huaqiang.email) == ("深圳华强电子有限公司", "old@hq.cn")


def test_undo_of_cards_imported_by_the_previous_version(profile: Profile, tmp_path: Path) -> None:
    """A batch written before customers' values were kept names them without values: they
    still go when nothing uses them."""
    writer = profile.writer()
    staged = _stage_cards(
        profile, tmp_path, "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王芳\r\nORG:远航物流\r\nEND:VCARD\r\n"
    )
    staging.run(writer, staged, "cards.vcf")
    assert staged.outcome is not None
    with profile.store.write() as session:
        forgotten = session.connection().exec_driver_sql(
            "UPDATE import_batch_rows SET before = NULL WHERE action = 'customer'"
        )
        assert forgotten.rowcount == 1
    staging.undo(writer, staged.outcome)
    assert _customers(profile) == {}


def test_the_column_lists_name_every_choice_and_offer_none_that_imports_nothing(
    profile: Profile,
) -> None:
    """The wizard's lists: a contract by its number is named so (not `contract`), and the
    customer's last follow-up, which the export writes for reading and an import cannot set,
    is not offered: an exported file's column of it shows as left out."""
    writer = profile.writer()
    header = ["id", "name", "phone", "last_followup_at"]
    customers = staging.mapping_for(writer, "customers", header)
    assert "last_followup_at" not in dict(customers.targets)
    assert customers.columns == {0: "id", 1: "name", 2: "phone", 3: None}
    payments = dict(staging.mapping_for(writer, "payments", ["contract"]).targets)
    assert payments["contract"] == "Contract (by number)"
    contracts = dict(staging.mapping_for(writer, "contracts", ["number"]).targets)
    assert contracts["renewed_from"] == "Renews contract (by number)"
    assert all(label != target for target, label in customers.targets if target != "id")


def test_the_companies_a_contacts_file_adds_are_those_of_rows_it_imports(
    profile: Profile, stored: str, tmp_path: Path
) -> None:
    """A company named only by a refused row is not added, so the check does not say it is;
    the stored customer, named as it is, is no new company either."""
    path = tmp_path / "联系人.csv"
    path.write_text(
        "姓名,手机,公司\n"
        "刘洋,13500000001,深圳华强电子有限责任公司\n"
        "赵磊,12,宁波港务有限公司\n"
        "孙强,13500000003,深圳华强电子有限公司\n",
        encoding="utf-8",
    )
    writer = profile.writer()
    opened = staging.open_file(path)
    mapping = staging.mapping_for(writer, "contacts", opened.table.header)
    staged = staging.stage(writer, "contacts", opened.table, mapping.columns, profile.region)
    assert [row.line for row in staged.problem_rows()] == [3]
    assert staged.new_companies() == ["深圳华强电子有限责任公司"]
