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
