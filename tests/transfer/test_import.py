"""Imports: all or nothing, line numbers for bad rows, --update touches only the given columns."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from crm_desktop.models.dates import local_to_utc
from crm_desktop.models.entities import (
    Customer,
    CustomerIdentifier,
    Opportunity,
    OutboxEntry,
    Task,
)
from crm_desktop.models.limits import MAX_MONEY_CENTS
from crm_desktop.profile import Profile
from crm_desktop.queries.tables import TABLES, ListQuery, list_ids
from crm_desktop.transfer import importing
from crm_desktop.transfer.importing import import_file
from tests.commands.test_console_script import run as run_script
from tests.transfer.conftest import FORMULA_LIKE, Cli


def snapshot(profile: Profile) -> list[tuple]:
    with profile.store.read() as session:
        customers = session.execute(select(Customer).order_by(Customer.id)).scalars().all()
        outbox = session.scalar(select(func.count()).select_from(OutboxEntry))
        return [(c.id, c.name, c.phone, c.email, c.updated_at) for c in customers] + [outbox]


def customer_by_name(profile: Profile, name: str) -> Customer:
    with profile.store.read() as session:
        customer = session.scalars(select(Customer).where(Customer.name == name)).one()
        session.expunge(customer)
        return customer


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_update_changes_only_the_columns_in_the_file(
    seeded: Profile, cli: Cli, tmp_path: Path
) -> None:
    before = customer_by_name(seeded, "深圳市华强电子有限公司")
    untouched = customer_by_name(seeded, "Northwind Trading Ltd")
    exported = tmp_path / "all.csv"
    assert cli("export", "--entity", "customers", "--out", str(exported))[0] == 0
    # The unedited export goes back in without changing anything.
    code, stdout, stderr = cli("import", str(exported), "--entity", "customers", "--update")
    assert (code, stderr) == (0, "")
    assert stdout.strip() == "Imported 0 new customer records, updated 0."
    edited = write(tmp_path / "edit.csv", f"id,phone,grade\n{before.id},13700001111,B\n")
    code, stdout, _ = cli("import", str(edited), "--entity", "customers", "--update")
    assert (code, stdout.strip()) == (0, "Imported 0 new customer records, updated 1.")
    after = customer_by_name(seeded, "深圳市华强电子有限公司")
    assert (after.phone, after.grade) == ("+8613700001111", "B")
    assert (after.name, after.email, after.owner_id) == (before.name, before.email, before.owner_id)
    assert "13700001111" in after.search_text and "8888" not in after.search_text
    assert customer_by_name(seeded, "Northwind Trading Ltd").updated_at == untouched.updated_at


def test_identifiers_and_owner_login_are_read_back(
    seeded: Profile, cli: Cli, tmp_path: Path
) -> None:
    customer = customer_by_name(seeded, "Northwind Trading Ltd")
    file = write(
        tmp_path / "ids.csv",
        f"id,owner,identifiers\n{customer.id},lina,licence_plate:粤b 54321; member_number:VIP1\n",
    )
    code, _, stderr = cli("import", str(file), "--entity", "customers", "--update")
    assert (code, stderr) == (0, "")
    with seeded.store.read() as session:
        pairs = set(
            session.execute(
                select(CustomerIdentifier.kind, CustomerIdentifier.value_key).where(
                    CustomerIdentifier.customer_id == customer.id
                )
            ).all()
        )
        owner_login = session.execute(
            select(Customer.owner_id).where(Customer.id == customer.id)
        ).scalar()
    assert pairs == {("licence_plate", "粤B54321"), ("member_number", "VIP1")}
    assert owner_login != customer.owner_id


def test_new_rows_without_id(seeded: Profile, cli: Cli, tmp_path: Path) -> None:
    file = write(
        tmp_path / "new.csv",
        "name,phone,owner,grade\n"
        "杭州远航物流有限公司,0571 5555 1234,lina,C\n"
        '"Pacific Foods, Inc.",+852 2345 6789,,\n',
    )
    code, stdout, _ = cli("import", str(file), "--entity", "customers")
    assert (code, stdout.strip()) == (0, "Imported 2 new customer records, updated 0.")
    pacific = customer_by_name(seeded, "Pacific Foods, Inc.")
    assert pacific.phone == "+85223456789"
    assert pacific.owner_id == seeded.user_id  # a blank owner means "me", as in the form


def test_money_columns_take_yuan(seeded: Profile, cli: Cli, tmp_path: Path) -> None:
    customer = customer_by_name(seeded, "Northwind Trading Ltd")
    file = write(
        tmp_path / "deals.csv",
        f'title,customer_id,stage,amount\n续约,{customer.id},lead,"1,250.5"\n',
    )
    assert cli("import", str(file), "--entity", "opportunities")[0] == 0
    with seeded.store.read() as session:
        amount = session.scalar(select(Opportunity.amount_cents).where(Opportunity.title == "续约"))
    assert amount == 125050


def test_one_bad_phone_imports_nothing_and_names_its_line(
    seeded: Profile, cli: Cli, tmp_path: Path
) -> None:
    before = snapshot(seeded)
    file = write(
        tmp_path / "bad.csv",
        "name,phone\n甲公司,13800000001\n乙公司,13800000002\n丙公司,13800000003\n丁公司,12\n",
    )
    code, stdout, stderr = cli("import", str(file), "--entity", "customers")
    assert code == 1
    assert stdout == ""
    assert "line 5: “12” is not a phone number." in stderr.splitlines()
    assert "Nothing was imported" in stderr
    assert snapshot(seeded) == before


def test_every_bad_row_is_listed(seeded: Profile, cli: Cli, tmp_path: Path) -> None:
    file = write(tmp_path / "bad.csv", "name,email,grade\n,a@b.cn,A\nX,not-mail,A\nY,,Z\n")
    code, _, stderr = cli("import", str(file), "--entity", "customers")
    assert code == 1
    assert [line.split(":")[0] for line in stderr.splitlines()[:3]] == [
        "line 2",
        "line 3",
        "line 4",
    ]


def test_row_with_id_needs_update(seeded: Profile, cli: Cli, tmp_path: Path) -> None:
    customer = customer_by_name(seeded, "Northwind Trading Ltd")
    file = write(tmp_path / "x.csv", f"id,name\n{customer.id},Renamed\n")
    code, _, stderr = cli("import", str(file), "--entity", "customers")
    assert code == 1
    assert "line 2: it has an id" in stderr and "--update" in stderr
    assert customer_by_name(seeded, "Northwind Trading Ltd").id == customer.id


def test_a_file_not_in_the_chosen_encoding_is_refused_with_the_encoding_sentence(
    seeded: Profile, cli: Cli, tmp_path: Path
) -> None:
    # GBK is detected now (tests/transfer/test_encodings.py); told it is UTF-8, it is refused.
    before = snapshot(seeded)
    file = write(tmp_path / "gbk.csv", "name,phone\n广州市明珠贸易有限公司,020 5555 1234\n", "gbk")
    code, _, stderr = cli("import", str(file), "--entity", "customers", "--encoding", "utf-8")
    assert code == 1
    assert stderr == (
        "crm-desktop: Line 2 of the file is not UTF-8 text; choose the file's encoding, "
        "or save it as UTF-8 and try again.\n"
    )
    assert snapshot(seeded) == before


def test_bom_is_accepted(seeded: Profile, cli: Cli, tmp_path: Path) -> None:
    file = write(tmp_path / "bom.csv", "name\n新客户\n", "utf-8-sig")
    assert cli("import", str(file), "--entity", "customers")[0] == 0
    assert customer_by_name(seeded, "新客户").name == "新客户"


def test_malformed_csv_names_the_line(seeded: Profile, cli: Cli, tmp_path: Path) -> None:
    before = snapshot(seeded)
    unclosed = write(tmp_path / "quote.csv", 'name,phone\nA公司,13800000001\n"B公司,13800000002\n')
    code, _, stderr = cli("import", str(unclosed), "--entity", "customers")
    assert (code, stderr) == (1, "crm-desktop: Line 3: a quoted value is never closed.\n")
    ragged = write(tmp_path / "ragged.csv", "name,phone\nA公司,13800000001\nB公司,1,2\n")
    code, _, stderr = cli("import", str(ragged), "--entity", "customers")
    assert code == 1
    assert stderr == "crm-desktop: Line 3 has 3 values but the header has 2 columns.\n"
    assert snapshot(seeded) == before


def test_unknown_column_is_named(seeded: Profile, cli: Cli, tmp_path: Path) -> None:
    file = write(tmp_path / "x.csv", "name,fax\nA公司,123\n")
    code, _, stderr = cli("import", str(file), "--entity", "customers")
    assert code == 1
    assert stderr.startswith(
        "crm-desktop: The file has a column “fax” that a customer record does not have"
    )
    assert stderr.count("\n") == 1


def test_xlsx_round_trip(seeded: Profile, cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "customers.xlsx"
    assert cli("export", "--entity", "customers", "--out", str(file))[0] == 0
    workbook = load_workbook(file)
    try:
        sheet = workbook.active
        header = [cell.value for cell in sheet[1]]
        for row in sheet.iter_rows(min_row=2):
            if row[header.index("name")].value == "Northwind Trading Ltd":
                row[header.index("email")].value = "Sales@Northwind.example"
        workbook.save(file)
    finally:
        workbook.close()
    code, stdout, stderr = cli("import", str(file), "--entity", "customers", "--update")
    assert (code, stderr, stdout.strip()) == (0, "", "Imported 0 new customer records, updated 1.")
    assert customer_by_name(seeded, "Northwind Trading Ltd").email == "sales@northwind.example"


def test_opportunities_round_trip_unchanged(seeded: Profile, cli: Cli, tmp_path: Path) -> None:
    file = tmp_path / "deals.xlsx"
    assert cli("export", "--entity", "opportunities", "--out", str(file))[0] == 0
    code, stdout, stderr = cli("import", str(file), "--entity", "opportunities", "--update")
    assert stderr == ""
    assert (code, stdout.strip()) == (0, "Imported 0 new opportunity records, updated 0.")


def customers_as_stored(profile: Profile) -> list[tuple]:
    with profile.store.read() as session:
        return session.execute(
            select(
                Customer.id, Customer.name, Customer.notes, Customer.phone, Customer.updated_at
            ).order_by(Customer.id)
        ).all()


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_text_that_looks_like_a_formula_comes_back_unchanged(
    formula_like: Profile, cli: Cli, tmp_path: Path, suffix: str
) -> None:
    before = customers_as_stored(formula_like)
    file = tmp_path / f"customers{suffix}"
    assert cli("export", "--entity", "customers", "--out", str(file))[0] == 0
    code, stdout, stderr = cli("import", str(file), "--entity", "customers", "--update")
    assert (code, stderr, stdout.strip()) == (0, "", "Imported 0 new customer records, updated 0.")
    assert customers_as_stored(formula_like) == before
    stored = {name: notes for _, name, notes, _, _ in before}
    assert {name: stored[name] for name in FORMULA_LIKE} == FORMULA_LIKE


def test_a_cell_marked_as_text_is_read_without_its_mark(
    seeded: Profile, cli: Cli, tmp_path: Path
) -> None:
    file = write(
        tmp_path / "new.csv",
        "name,phone,notes\n'=SUM(A1),'+86 138 0013 8000,'90s stock\n'-5,,''@x\n",
    )
    code, _, stderr = cli("import", str(file), "--entity", "customers")
    assert (code, stderr) == (0, "")
    marked = customer_by_name(seeded, "=SUM(A1)")
    assert (marked.phone, marked.notes) == ("+8613800138000", "'90s stock")
    assert customer_by_name(seeded, "-5").notes == "'@x"


def refused_whole(seeded: Profile, cli: Cli, file: Path, entity: str) -> list[str]:
    """Import a file that must be refused; returns its problem lines after checking nothing
    changed (no customer, no outbox entry: every write has one) and no exception escaped."""
    before = snapshot(seeded)
    code, stdout, stderr = cli("import", str(file), "--entity", entity)
    assert (code, stdout) == (1, "")
    *problems, last = stderr.splitlines()
    assert last == "crm-desktop: Nothing was imported; fix these rows and try again."
    assert snapshot(seeded) == before
    return problems


def control(label: str, code: str) -> str:
    return f"{label} contains a control character (U+{code}); remove it."


@pytest.mark.parametrize(
    ("entity", "text", "problem"),
    [
        ("customers", "name\n甲公司\n乙\x00公司\n", control("Name", "0000")),
        ("customers", 'name\n甲公司\n"乙\n公司"\n', control("Name", "000A")),
        ("customers", "name,notes\n甲公司,\n乙公司,note\x00\n", control("Notes", "0000")),
        (
            "customers",
            "name,identifiers\n甲公司,\n乙公司,tax_number:9144\x000300\n",
            control("Number", "0000"),
        ),
        ("contacts", "customer_id,name\n{id},张三\n{id},李\x1b娜\n", control("Name", "001B")),
    ],
)
def test_a_control_character_refuses_the_whole_file_naming_line_and_field(
    seeded: Profile, cli: Cli, tmp_path: Path, entity: str, text: str, problem: str
) -> None:
    customer_id = customer_by_name(seeded, "Northwind Trading Ltd").id
    file = write(tmp_path / "bad.csv", text.format(id=customer_id))
    assert refused_whole(seeded, cli, file, entity) == [f"line 3: {problem}"]


def test_notes_keep_tabs_and_line_breaks_through_an_import(
    seeded: Profile, cli: Cli, tmp_path: Path
) -> None:
    file = write(tmp_path / "notes.csv", 'name,notes\n乙公司,"Called:\tno answer\r\nEmailed\r"\n')
    code, _, stderr = cli("import", str(file), "--entity", "customers")
    assert (code, stderr) == (0, "")
    assert customer_by_name(seeded, "乙公司").notes == "Called:\tno answer\nEmailed"


@pytest.mark.parametrize(
    ("amount", "problem"),
    [
        ("1e30", "Amount must be between 0 and 1,000,000,000,000."),
        ("99999999999999999999", "Amount must be between 0 and 1,000,000,000,000."),
        ("1e400", "Amount must be between 0 and 1,000,000,000,000."),
        ("1000000000000.01", "Amount must be between 0 and 1,000,000,000,000."),
        ("nan", "Amount must be a number, not “nan”."),
        ("12abc", "Amount must be a number, not “12abc”."),
    ],
)
def test_a_huge_or_bad_amount_refuses_the_whole_file(
    seeded: Profile, cli: Cli, tmp_path: Path, amount: str, problem: str
) -> None:
    customer = customer_by_name(seeded, "Northwind Trading Ltd")
    rows = f"续约,{customer.id},lead,100\n扩容,{customer.id},lead,{amount}\n"
    file = write(tmp_path / "deals.csv", "title,customer_id,stage,amount\n" + rows)
    assert refused_whole(seeded, cli, file, "opportunities") == [f"line 3: {problem}"]


def test_the_largest_amount_is_imported(seeded: Profile, cli: Cli, tmp_path: Path) -> None:
    customer = customer_by_name(seeded, "Northwind Trading Ltd")
    file = write(
        tmp_path / "deal.csv",
        f'title,customer_id,stage,amount\n巨单,{customer.id},lead,"1,000,000,000,000.00"\n',
    )
    assert cli("import", str(file), "--entity", "opportunities")[0] == 0
    with seeded.store.read() as session:
        amount = session.scalar(select(Opportunity.amount_cents).where(Opportunity.title == "巨单"))
    assert amount == MAX_MONEY_CENTS


def test_the_installed_command_refuses_bad_input_without_a_traceback(
    seeded: Profile, tmp_path: Path
) -> None:
    customer = customer_by_name(seeded, "Northwind Trading Ltd")
    before = snapshot(seeded)
    profile = ["--profile", str(seeded.directory)]
    names = write(tmp_path / "names.csv", "name\n甲公司\n乙\x00公司\n")
    deals = write(
        tmp_path / "deals.csv", f"title,customer_id,stage,amount\n续约,{customer.id},lead,1e30\n"
    )
    for file, entity, problem in [
        (names, "customers", f"line 3: {control('Name', '0000')}"),
        (deals, "opportunities", "line 2: Amount must be between 0 and 1,000,000,000,000."),
    ]:
        refused = run_script(*profile, "import", str(file), "--entity", entity)
        assert refused.returncode == 1
        assert refused.stderr.splitlines()[0] == problem
        assert "Traceback" not in refused.stderr
    assert snapshot(seeded) == before


def test_a_file_problem_never_repeats_a_control_character() -> None:
    from crm_desktop.transfer.errors import TransferError

    assert TransferError("No “{value}”.", value="line\nbreak").text() == "No “lineU+000Abreak”."


def table_file(path: Path, rows: list[list[str]]) -> Path:
    """A CSV or, by its suffix, an .xlsx file holding the rows as text cells."""
    if path.suffix == ".csv":
        return write(path, "".join(",".join(row) + "\n" for row in rows))
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_dates_are_read_year_first_as_people_type_them(
    seeded: Profile, cli: Cli, tmp_path: Path, suffix: str
) -> None:
    typed = ["2026-01-05 09:30", "2026/1/5 9:30", "2026.1.5 9:30", "2026年1月5日 9:30"]
    rows = [["title", "due_at"]] + [[f"task {n}", text] for n, text in enumerate(typed)]
    file = table_file(tmp_path / f"tasks{suffix}", rows)
    code, _, stderr = cli("import", str(file), "--entity", "tasks")
    assert (code, stderr) == (0, "")
    with seeded.store.read() as session:
        due = session.scalars(select(Task.due_at).where(Task.title.like("task %"))).all()
    # Read as the user's clock (tests/transfer/test_local_times.py), stored as UTC.
    assert due == [local_to_utc(datetime(2026, 1, 5, 9, 30))] * len(typed)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_day_before_the_year_refuses_the_file_rather_than_guess(
    seeded: Profile, cli: Cli, tmp_path: Path, suffix: str
) -> None:
    rows = [["title", "due_at"], ["ok", "2026/1/5"], ["guess", "05/01/2026"], ["bad", "2026-02-30"]]
    file = table_file(tmp_path / f"tasks{suffix}", rows)
    place = "line" if suffix == ".csv" else "row"
    assert refused_whole(seeded, cli, file, "tasks") == [
        f"{place} 3: Due must start with the year, like 2026-01-05; "
        "“05/01/2026” could mean two different days.",
        f"{place} 4: Due must be a date like 2024-03-31, not “2026-02-30”.",
    ]


def test_a_big_file_goes_in_batches_keeping_every_rule(
    seeded: Profile, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches of two, and the bulk-load path (indexes rebuilt at the end) from three rows.
    monkeypatch.setattr(importing, "INSERT_BATCH", 2)
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 1)
    monkeypatch.setattr(importing, "BULK_LOAD_FROM", 3)
    lines = ["name,phone,identifiers"]
    lines += [f"批量公司{n},1380013800{n},licence_plate: 粤B 1234{n}" for n in range(5)]
    file = write(tmp_path / "five.csv", "\n".join(lines) + "\n")
    calls: list[tuple[int, int]] = []
    writer = seeded.writer()
    outbox_before = writer.pending_changes()
    summary = import_file(
        writer, "customers", file, update=False, progress=lambda *call: calls.append(call)
    )
    assert (summary.created, calls) == (5, [(n, 5) for n in range(1, 6)])
    with seeded.store.read() as session:
        made = {c.name: c for c in session.scalars(select(Customer)) if c.name.startswith("批量")}
        assert sorted(made) == [f"批量公司{n}" for n in range(5)]
        plates = dict(
            session.execute(
                select(CustomerIdentifier.customer_id, CustomerIdentifier.value_key)
            ).all()
        )
        entries = session.scalars(select(OutboxEntry).order_by(OutboxEntry.seq)).all()
    for n in range(5):
        customer = made[f"批量公司{n}"]
        assert customer.phone == f"+861380013800{n}"
        assert plates[customer.id] == f"粤B1234{n}"
        # The search text is composed and indexed as for one record made in a form.
        assert f"粤b1234{n}" in customer.search_text and f"1380013800{n}" in customer.search_text
    new_entries = entries[outbox_before:]
    assert [e.entity for e in new_entries] == ["customers"] * 2 + ["customer_identifiers"] * 2 + [
        "customers"
    ] * 2 + ["customer_identifiers"] * 2 + ["customers", "customer_identifiers"]
    assert {e.row_id for e in new_entries if e.entity == "customers"} == {
        c.id for c in made.values()
    }
    with seeded.store.read() as session:
        indexes = session.connection().exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customers'"
        )
        assert indexes.scalar() > 5  # rebuilt after the bulk load
    assert customer_ids_found(seeded, "粤B12342") == {made["批量公司2"].id}


def customer_ids_found(profile: Profile, query: str) -> set[str]:
    with profile.store.read() as session:
        return set(list_ids(session, TABLES["customers"], ListQuery(search=query)))


def test_a_refused_row_in_a_later_batch_undoes_the_earlier_batches(
    seeded: Profile, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(importing, "INSERT_BATCH", 2)
    before = snapshot(seeded)
    lines = ["name,phone"] + [f"先行公司{n},1380013800{n}" for n in range(5)] + ["坏公司,12"]
    code, _, stderr = cli(
        "import", str(write(tmp_path / "six.csv", "\n".join(lines))), "--entity", "customers"
    )
    assert code == 1 and "line 7: “12” is not a phone number." in stderr.splitlines()
    assert snapshot(seeded) == before
