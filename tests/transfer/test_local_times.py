"""Times in files are the user's own clock, as in the forms: an import reads them as local time,
an export writes them so, and a day without a time stays a day; export then import changes
nothing. Run eight hours ahead of UTC (the `shanghai` fixture), where a missed conversion shows."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from crm_desktop.models.dates import is_day_only
from crm_desktop.models.entities import Customer, Task
from crm_desktop.profile import Profile
from crm_desktop.transfer.importing import import_file
from tests.transfer.conftest import Cli

pytestmark = pytest.mark.usefixtures("shanghai")


def _due(profile: Profile) -> dict[str, datetime | None]:
    with profile.store.read() as session:
        return dict(session.execute(select(Task.title, Task.due_at)).all())


def test_a_csv_time_is_the_users_clock(profile: Profile, tmp_path: Path) -> None:
    file = tmp_path / "tasks.csv"
    file.write_text(
        "title,due_at\n回电话,2026-01-05 17:00\n送样品,2026-01-05\n开会,2026年1月6日 9点30分\n",
        encoding="utf-8",
    )
    import_file(profile.writer(), "tasks", file, update=False)
    due = _due(profile)
    # Stored as UTC: 17:00 in Shanghai is 09:00 UTC, and the day alone its local midnight.
    assert due == {
        "回电话": datetime(2026, 1, 5, 9, 0),
        "送样品": datetime(2026, 1, 4, 16, 0),
        "开会": datetime(2026, 1, 6, 1, 30),
    }
    assert is_day_only(due["送样品"]) and not is_day_only(due["回电话"])


def test_a_workbooks_time_cell_is_the_users_clock(profile: Profile, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["任务", "截止时间"])
    sheet.append(["回电话", datetime(2026, 1, 5, 17, 0)])  # a date-time cell, as Excel keeps it
    sheet.append(["送样品", datetime(2026, 1, 5)])
    sheet.append(["开会", "2026/1/6 9:30"])  # typed as text
    file = tmp_path / "tasks.xlsx"
    book.save(file)
    import_file(profile.writer(), "tasks", file, update=False)
    due = _due(profile)
    assert due == {
        "回电话": datetime(2026, 1, 5, 9, 0),
        "送样品": datetime(2026, 1, 4, 16, 0),
        "开会": datetime(2026, 1, 6, 1, 30),
    }
    assert is_day_only(due["送样品"])


@pytest.fixture
def timed(profile: Profile) -> Profile:
    """Tasks due at 17:00 local, on a day, and to the microsecond; a customer's next follow-up."""
    writer = profile.writer()
    with writer.transaction() as unit:
        unit.create("tasks", {"title": "回电话", "due_at": datetime(2026, 1, 5, 9, 0)})
        unit.create("tasks", {"title": "送样品", "due_at": datetime(2026, 1, 4, 16, 0)})
        unit.create("tasks", {"title": "秒", "due_at": datetime(2026, 1, 5, 9, 0, 1, 5)})
        unit.create(
            "customers", {"name": "远航物流", "next_followup_at": datetime(2026, 2, 1, 2, 0)}
        )
    return profile


def test_an_export_writes_the_users_clock(timed: Profile, cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "tasks.csv"
    assert cli("export", "--entity", "tasks", "--out", str(out))[0] == 0
    with out.open(encoding="utf-8-sig", newline="") as stream:
        rows = {row["title"]: row["due_at"] for row in csv.DictReader(stream)}
    assert rows == {
        "回电话": "2026-01-05 17:00:00",
        "送样品": "2026-01-05",  # a day without a time, as the window shows it
        "秒": "2026-01-05 17:00:01.000005",
    }
    sheet_file = tmp_path / "customers.xlsx"
    assert cli("export", "--entity", "customers", "--out", str(sheet_file))[0] == 0
    sheet = load_workbook(sheet_file).active
    assert sheet is not None
    header, row = list(sheet.iter_rows(values_only=True))
    assert row[header.index("next_followup_at")] == "2026-02-01 10:00:00"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_then_import_changes_nothing(
    timed: Profile, cli: Cli, tmp_path: Path, suffix: str
) -> None:
    before = _due(timed)
    with timed.store.read() as session:
        followup = session.scalars(select(Customer.next_followup_at)).one()
    for entity in ("tasks", "customers"):
        out = tmp_path / f"{entity}{suffix}"
        assert cli("export", "--entity", entity, "--out", str(out))[0] == 0
        code, stdout, stderr = cli("import", str(out), "--entity", entity, "--update")
        assert (code, stderr) == (0, "")
        assert stdout.strip().endswith("updated 0."), stdout
    assert _due(timed) == before
    with timed.store.read() as session:
        assert session.scalars(select(Customer.next_followup_at)).one() == followup
