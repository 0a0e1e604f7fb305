"""A profile with a few known records, and a way to run the command line against it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from crm_desktop.cli import main
from crm_desktop.profile import Profile

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def seeded(profile: Profile) -> Profile:
    writer = profile.writer()
    with writer.transaction() as unit:
        unit.create("users", {"login": "lina", "name": "李娜", "role": "rep"})
        first = unit.create(
            "customers",
            {
                "name": "深圳市华强电子有限公司",
                "phone": "0755 8888 1234",
                "email": "info@huaqiang.com.cn",
                "grade": "A",
                "identifiers": [("licence_plate", "粤B12345"), ("tax_number", "91440300ABC")],
            },
        )
        unit.create("customers", {"name": "Northwind Trading Ltd", "phone": "13800138000"})
        unit.create("contacts", {"customer_id": first, "name": "张伟", "mobile": "13912345678"})
        unit.create(
            "opportunities",
            {
                "customer_id": first,
                "title": "年度采购",
                "stage": "proposal",
                "amount_cents": 123450,
            },
        )
    return profile


@pytest.fixture
def cli(profile_dir: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    """Run `crm-desktop --profile DIR ...` in-process; returns (exit code, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--profile", str(profile_dir), *args])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


# Text a spreadsheet would run as a formula, and text that only looks close to it.
FORMULA_LIKE = {
    '=HYPERLINK("http://x")': "=1+1",
    "+1 2": "+86 is China",
    "-5": "-",
    "@sum": "@SUM(A1)",
    "'=already marked": "''+two marks",
    "'90s stock": "it's fine",
}


@pytest.fixture
def formula_like(seeded: Profile) -> Profile:
    """The seeded profile plus customers whose names and notes start like formulas."""
    with seeded.writer().transaction() as unit:
        for name, notes in FORMULA_LIKE.items():
            unit.create("customers", {"name": name, "notes": notes, "phone": "+86 138 0013 8000"})
    return seeded
