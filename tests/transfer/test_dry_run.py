"""`crm-desktop import --dry-run`: it passes exactly the files the import with the same
options would import, says what that import would do, and changes nothing."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import func, select

from crm_desktop.models.entities import Customer, OutboxEntry
from crm_desktop.profile import Profile
from tests.transfer.conftest import Cli


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _state(profile: Profile) -> tuple[int, list[str]]:
    with profile.store.read() as session:
        outbox = session.scalar(select(func.count()).select_from(OutboxEntry)) or 0
        names = sorted(session.scalars(select(Customer.name)))
    return outbox, names


def _huaqiang(profile: Profile) -> str:
    with profile.store.read() as session:
        found = session.scalar(select(Customer.id).where(Customer.name.like("深圳市华强%")))
    assert found is not None
    return found


def test_rows_with_ids_need_update_in_the_dry_run_too(
    seeded: Profile, cli: Cli, tmp_path: Path
) -> None:
    path = _write(tmp_path / "renamed.csv", f"id,name\n{_huaqiang(seeded)},华强电子\n")
    before = _state(seeded)
    code, out, _err = cli("import", str(path), "--entity", "customers", "--dry-run")
    assert code == 1
    assert "add --update to allow that" in out
    assert out.splitlines()[-1] == (
        "Would add 0, update 0 and refuse 1 of the file's customer records "
        "(0 of those it adds look like a record here or an earlier row of the file); nothing "
        "was changed."
    )
    assert cli("import", str(path), "--entity", "customers")[0] == 1  # as the import says
    code, out, _err = cli("import", str(path), "--entity", "customers", "--update", "--dry-run")
    assert code == 0
    assert out.splitlines()[-1] == (
        "Would add 0, update 1 and refuse 0 of the file's customer records "
        "(0 of those it adds look like a record here or an earlier row of the file); nothing "
        "was changed."
    )
    assert _state(seeded) == before


def test_kept_ids_are_added_in_the_dry_run_as_in_the_import(
    seeded: Profile, cli: Cli, tmp_path: Path
) -> None:
    path = _write(tmp_path / "other profile.csv", f"id,name\n{uuid.uuid4()},远航物流\n")
    before = _state(seeded)
    code, out, _err = cli(
        "import", str(path), "--entity", "customers", "--keep-ids", "--update", "--dry-run"
    )
    assert code == 0, out
    assert out.splitlines()[-1] == (
        "Would add 1, update 0 and refuse 0 of the file's customer records "
        "(0 of those it adds look like a record here or an earlier row of the file); nothing "
        "was changed."
    )
    assert _state(seeded) == before
    assert cli("import", str(path), "--entity", "customers", "--keep-ids", "--update")[0] == 0
    assert "远航物流" in _state(seeded)[1]


def test_a_column_the_import_cannot_place_stops_the_dry_run_alike(
    seeded: Profile, cli: Cli, tmp_path: Path
) -> None:
    path = _write(tmp_path / "fax.csv", "客户名称,传真\nA公司,1\n")
    dry = cli("import", str(path), "--entity", "customers", "--dry-run")
    real = cli("import", str(path), "--entity", "customers")
    assert dry[0] == real[0] != 0
    assert dry[2] == real[2]
    assert "“传真”" in dry[2]
    assert _state(seeded)[1] == ["Northwind Trading Ltd", "深圳市华强电子有限公司"]


def test_the_dry_run_counts_what_the_import_would_change(
    seeded: Profile, cli: Cli, tmp_path: Path
) -> None:
    with seeded.store.read() as session:
        ids = dict(session.execute(select(Customer.name, Customer.id)).all())
    path = _write(
        tmp_path / "grades.csv",
        f"id,grade\n{ids['深圳市华强电子有限公司']},A\n{ids['Northwind Trading Ltd']},B\n",
    )
    code, out, _err = cli("import", str(path), "--entity", "customers", "--update", "--dry-run")
    assert code == 0
    # 华强 is graded A already: the import would change Northwind only, and says so.
    assert out.splitlines()[-1] == (
        "Would add 0, update 1 and refuse 0 of the file's customer records "
        "(0 of those it adds look like a record here or an earlier row of the file); nothing "
        "was changed."
    )
    assert cli("import", str(path), "--entity", "customers", "--update")[1] == (
        "Imported 0 new customer records, updated 1.\n"
    )
    cards = _write(
        tmp_path / "cards.vcf",
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王芳\r\nORG:远航物流\r\nEND:VCARD\r\n",
    )
    code, out, _err = cli("import", str(cards), "--entity", "contacts", "--dry-run")
    assert code == 0
    assert out.splitlines()[-1] == (
        "Would add 1, update 0 and refuse 0 of the file's contact records "
        "(0 of those it adds look like a record here or an earlier row of the file); nothing "
        "was changed. "
        "The contacts would add 1 new customer records."
    )


def test_the_dry_run_counts_rows_that_look_like_records_not_their_likenesses(
    seeded: Profile, cli: Cli, tmp_path: Path
) -> None:
    """Row 2 looks like 华强 by its name and by its phone, row 3 like row 2: two rows, though
    more likenesses are listed."""
    path = _write(
        tmp_path / "again.csv",
        "客户名称,电话\n"
        "深圳市华强电子有限公司,0755 8888 1234\n"
        "深圳市华强电子有限公司,0755 8888 1234\n"
        "远航物流,13900139000\n",
    )
    code, out, _err = cli("import", str(path), "--entity", "customers", "--dry-run")
    assert code == 0
    listed = [line for line in out.splitlines() if line.startswith("Line ")]
    assert len(listed) > 2  # likenesses, more than the rows
    assert out.splitlines()[-1].startswith(
        "Would add 3, update 0 and refuse 0 of the file's customer records (2 of those it adds"
    )


def test_skip_duplicates_imports_only_the_rows_that_look_like_nothing_here(
    seeded: Profile, cli: Cli, tmp_path: Path
) -> None:
    """The monthly file run again: its rows like stored records, or like an earlier row, are
    left out and said; the new one goes in. Without the option every row goes in, as ever."""
    path = _write(
        tmp_path / "monthly.csv",
        "客户名称,电话\n"
        "深圳市华强电子有限公司,0755 8888 1234\n"
        "远航物流,13900139000\n"
        "远航物流,13900139000\n",
    )
    code, out, err = cli("import", str(path), "--entity", "customers", "--skip-duplicates")
    assert (code, err) == (0, "")
    assert "Customer: Added 1, updated 0, skipped 2." in out
    assert "Skipped line 2: It looks like 深圳市华强电子有限公司" in out
    assert "Skipped line 4: It looks like" in out
    assert _state(seeded)[1].count("远航物流") == 1
    assert _state(seeded)[1].count("深圳市华强电子有限公司") == 1
