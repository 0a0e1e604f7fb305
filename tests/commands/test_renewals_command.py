"""`crm-desktop renewals` through the installed script: the period's contracts as lines or
JSON objects, the filters, and a bad date as one sentence."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from crm_desktop.profile import LANGUAGE_KEY, open_profile
from tests.commands.test_console_script import run


def contracts(profile_dir: Path) -> None:
    profile = open_profile(profile_dir)
    try:
        writer = profile.writer()
        acme = writer.create("customers", {"name": "艾克美"}).primary_id
        for number, end, kind, status in (
            ("P-1", date(2031, 3, 31), "policy", "renewing"),
            ("S-1", date(2031, 4, 15), "service", "undecided"),
            ("S-2", date(2031, 6, 1), "service", "undecided"),  # after the period
        ):
            writer.create(
                "contracts",
                {
                    "number": number,
                    "customer_id": acme,
                    "kind": kind,
                    "start_on": date(2030, 4, 1),
                    "end_on": end,
                    "amount_cents": "1234.50",
                    "status": "active",
                    "renewal_status": status,
                },
            )
    finally:
        profile.close()


def test_the_renewal_list_as_json_and_as_lines(profile_dir: Path) -> None:
    contracts(profile_dir)
    period = ["--from", "2031-03-01", "--to", "2031-04-30", "--profile", str(profile_dir)]
    found = run("renewals", *period, "--json")
    assert found.returncode == 0, found.stderr
    lines = json.loads(found.stdout)
    assert [(x["number"], x["end_on"], x["renewal_status"]) for x in lines] == [
        ("P-1", "2031-03-31", "renewing"),
        ("S-1", "2031-04-15", "undecided"),
    ]
    assert lines[0]["customer"] == "艾克美" and lines[0]["amount"] == "1234.50"
    only = run("renewals", *period, "--kind", "service", "--json")
    assert [x["number"] for x in json.loads(only.stdout)] == ["S-1"]
    shown = run("renewals", *period)
    assert shown.stdout.splitlines()[0] == "2 contracts ending from 2031-03-01 to 2031-04-30:"
    # Kind and status in the user's words, not their codes.
    assert "P-1  艾克美  Policy  1234.50  Renewing" in shown.stdout
    profile = open_profile(profile_dir)
    profile.store.set_setting(LANGUAGE_KEY, "zh_CN")
    profile.close()
    chinese = run("renewals", *period).stdout
    assert "P-1  艾克美  保单  1234.50  续约中" in chinese
    assert "policy" not in chinese and "renewing" not in chinese
    # Days as people type them, as the window's date fields and `report` take them.
    typed = ["--from", "2031/3/1", "--to", "2031年4月30日", "--profile", str(profile_dir)]
    assert json.loads(run("renewals", *typed, "--json").stdout) == lines


def test_a_bad_date_is_one_sentence(profile_dir: Path) -> None:
    result = run("renewals", "--from", "31/03/2031", "--profile", str(profile_dir))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "crm-desktop: --from “31/03/2031” is not a date; write it as YYYY-MM-DD."
    )


def test_to_alone_means_the_days_up_to_it_and_no_date_overflows(profile_dir: Path) -> None:
    contracts(profile_dir)
    found = run("renewals", "--to", "2031-04-20", "--profile", str(profile_dir))
    assert found.returncode == 0, found.stderr
    # The thirty days before it, as `report renewals --to` reads them.
    assert found.stdout.splitlines()[0] == "2 contracts ending from 2031-03-21 to 2031-04-20:"
    assert "S-1" in found.stdout and "S-2" not in found.stdout
    late = run("renewals", "--from", "9999-12-31", "--profile", str(profile_dir))
    assert late.returncode != 0
    assert late.stderr.strip() == (
        "crm-desktop: --from 9999-12-31: the period from it runs past the last day there is "
        "(9999-12-31); give --to as well."
    )
