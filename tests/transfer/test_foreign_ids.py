"""A file's "ID" column: an old system's own row numbers are no record ids, and a row naming an id
no record here has is refused in a sentence, never a crash."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from crm_desktop.models.entities import Customer
from crm_desktop.profile import Profile
from crm_desktop.transfer import staging
from crm_desktop.transfer.errors import ImportFailed
from crm_desktop.transfer.headers import guess_mapping
from crm_desktop.transfer.importing import import_file
from tests.transfer.conftest import Cli

OLD_SYSTEM = "ID,客户名称,手机\n1,远航物流有限公司,13900139000\n2,华南电器有限公司,13712345678\n"


def _names(profile: Profile) -> dict[str, Customer]:
    with profile.store.read() as session:
        rows = session.scalars(select(Customer).where(Customer.deleted_at.is_(None))).all()
        for row in rows:
            session.expunge(row)
    return {row.name: row for row in rows}


@pytest.mark.parametrize("options", [("--update",), ("--update", "--dry-run"), ()])
def test_an_old_systems_id_column_is_left_out(
    seeded: Profile, cli: Cli, tmp_path: Path, options: tuple[str, ...]
) -> None:
    file = tmp_path / "old system.csv"
    file.write_text(OLD_SYSTEM, encoding="utf-8")
    before = _names(seeded)
    code, stdout, stderr = cli("import", str(file), "--entity", "customers", *options)
    assert (code, stderr) == (0, "")
    if "--dry-run" in options:
        assert set(_names(seeded)) == set(before)
        return
    assert stdout.splitlines()[-1] == "Imported 2 new customer records, updated 0."
    after = _names(seeded)
    assert set(after) == set(before) | {"远航物流有限公司", "华南电器有限公司"}
    assert after["远航物流有限公司"].phone == "+8613900139000"
    for name, customer in before.items():  # the row numbers named none of them
        assert after[name].updated_at == customer.updated_at


def test_an_id_column_of_this_programs_ids_is_read_as_ids(seeded: Profile, cli: Cli) -> None:
    northwind = _names(seeded)["Northwind Trading Ltd"]
    header = ["ID", "客户名称", "手机"]
    rows = [[northwind.id, "Northwind Trading Ltd", "13700001111"], ["", "新客户", ""]]
    assert guess_mapping("customers", header, rows) == {0: "id", 1: "name", 2: "phone"}
    # Row numbers, or no cells to tell by (the window's first guess): left out.
    numbered = [["1", "Northwind Trading Ltd", ""]]
    assert guess_mapping("customers", header, numbered)[0] is None
    assert guess_mapping("customers", header)[0] is None
    # The export's own name is the id column whatever it holds.
    assert guess_mapping("customers", ["id", "客户名称"], numbered)[0] == "id"


def test_this_programs_ids_under_id_update_their_records(
    seeded: Profile, cli: Cli, tmp_path: Path
) -> None:
    northwind = _names(seeded)["Northwind Trading Ltd"]
    file = tmp_path / "edited.csv"
    file.write_text(f"ID,客户名称,手机\n{northwind.id},Northwind Trading Ltd,13700001111\n")
    code, stdout, stderr = cli("import", str(file), "--entity", "customers", "--update")
    assert (code, stderr) == (0, "")
    assert stdout.splitlines()[-1] == "Imported 0 new customer records, updated 1."
    assert _names(seeded)["Northwind Trading Ltd"].phone == "+8613700001111"


def test_an_unknown_id_is_refused_naming_line_and_column(
    seeded: Profile, cli: Cli, tmp_path: Path
) -> None:
    unknown = str(uuid.uuid4())
    file = tmp_path / "export.csv"
    file.write_text(f"id,name,phone\n{unknown},远航物流有限公司,13900139000\n")
    before = _names(seeded)
    for options in (("--update",), ("--update", "--dry-run"), ()):
        code, stdout, stderr = cli("import", str(file), "--entity", "customers", *options)
        assert code == 1, options
        # A dry run says it among what it found (stdout); an import as why it stopped.
        said = stdout if "--dry-run" in options else stderr
        assert (
            f"line 2: no customer here has the id “{unknown}” of the column “id”; "
            "empty that cell to add the row as a new record."
        ) in said.splitlines(), options
        assert "AttributeError" not in stdout + stderr
    assert set(_names(seeded)) == set(before)


def test_an_id_column_chosen_by_hand_names_the_files_column(
    seeded: Profile, tmp_path: Path
) -> None:
    """The window lets the user read "ID" as the record id: a row number then names no record,
    which the row's id cell says, and the import refuses in the same words."""
    file = tmp_path / "old system.csv"
    file.write_text(OLD_SYSTEM, encoding="utf-8")
    writer = seeded.writer()
    mapping = {0: "id", 1: "name", 2: "phone"}
    with pytest.raises(ImportFailed) as failed:
        import_file(writer, "customers", file, update=True, mapping=mapping)
    assert failed.value.problems == [
        f"line {line}: no customer here has the id “{number}” of the column “ID”; "
        "empty that cell to add the row as a new record."
        for line, number in ((2, 1), (3, 2))
    ]
    table = staging.open_file(file).table
    staged = staging.stage(writer, "customers", table, mapping, seeded.region)
    assert [row.problems for row in staged.rows] == [
        {
            "id": f"no customer here has the id “{number}” of the column “ID”; "
            "empty that cell to add the row as a new record."
        }
        for number in (1, 2)
    ]
