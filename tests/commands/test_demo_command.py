"""`crm-desktop demo`: never on a profile linked to a company server, and a second demo on the
same profile adds new records instead of failing on the first one's ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from crm_desktop.cli import main
from crm_desktop.commands import demo
from crm_desktop.models.entities import Customer
from crm_desktop.profile import open_profile
from crm_desktop.sync import link


def customers(directory: Path) -> int:
    profile = open_profile(directory)
    try:
        with profile.store.read() as session:
            return session.scalar(select(func.count()).select_from(Customer)) or 0
    finally:
        profile.close()


def test_the_window_and_the_command_line_refuse_in_the_same_words() -> None:
    from crm_desktop.views.first_run_wizard import DEMO_ON_SERVER

    assert demo.DEMO_ON_SERVER == DEMO_ON_SERVER


def test_no_demo_on_a_profile_linked_to_a_server(
    profile_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = open_profile(profile_dir)
    try:
        profile.store.set_setting(link.SERVER_KEY, "host=crm.example.com dbname=crm")
        profile.store.set_setting(link.LOGIN_KEY, "rob")
    finally:
        profile.close()
    assert main(["demo", "--customers", "5", "--profile", str(profile_dir)]) == 1
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err == f"crm-desktop: {demo.DEMO_ON_SERVER}\n"
    assert customers(profile_dir) == 0


def test_a_second_demo_takes_the_next_seed(
    profile_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = ["--profile", str(profile_dir)]
    assert main(["demo", "--customers", "5", *profile]) == 0
    assert capsys.readouterr().out.startswith("Added demo data: 5 customers,")
    assert main(["demo", "--customers", "5", *profile]) == 0
    printed = capsys.readouterr()
    assert printed.out.startswith("Added demo data: 5 customers,")
    assert "Made with --seed 2: " in printed.out
    assert printed.err == ""
    assert customers(profile_dir) == 10
    # A bigger demo of a seed already here clashes at its first customer, not at its sixth.
    assert main(["demo", "--customers", "12", *profile]) == 0
    assert "Made with --seed 3: " in capsys.readouterr().out
    assert customers(profile_dir) == 22


def test_a_seed_whose_demo_is_here_is_refused_and_nothing_is_added(
    profile_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = ["--profile", str(profile_dir)]
    assert main(["demo", "--customers", "5", "--seed", "7", *profile]) == 0
    capsys.readouterr()
    assert main(["demo", "--customers", "9", "--seed", "7", *profile]) == 1
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err == (
        "crm-desktop: This profile holds the demo data of --seed 7 already; give another "
        "--seed, or leave it out for the next one it does not hold.\n"
    )
    assert customers(profile_dir) == 5
    assert not (profile_dir / "crm-desktop.log").exists()  # not a bug: nothing logged
