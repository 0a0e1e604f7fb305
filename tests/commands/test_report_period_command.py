"""`crm-desktop report` and `renewals` with a day so near the calendar's end that the period
from it (or up to it) would leave the calendar: one sentence naming the option, no file."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_desktop.cli import main

PAST_THE_END = (
    "--from 9999-12-20: the period from it runs past the last day there is (9999-12-31); "
    "give --to as well."
)


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (["report", "renewals", "--from", "9999-12-20"], PAST_THE_END),
        (["report", "pipeline", "--from", "9999-12-20"], PAST_THE_END),
        (
            ["report", "pipeline", "--to", "0001-01-15"],
            "--to 0001-01-15: the period up to it starts before the first day there is "
            "(0001-01-01); give --from as well.",
        ),
        (
            ["report", "activity", "--to", "0001-01-03"],
            "--to 0001-01-03: the period up to it starts before the first day there is "
            "(0001-01-01); give --from as well.",
        ),
        (["renewals", "--from", "9999-12-20"], PAST_THE_END),
    ],
)
def test_a_period_off_the_calendar_is_one_sentence(
    profile_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    sentence: str,
) -> None:
    out = tmp_path / "report.pdf"
    where = ["--out", str(out)] if args[0] == "report" else []
    assert main([*args, *where, "--profile", str(profile_dir)]) == 1
    printed = capsys.readouterr()
    assert (printed.out, printed.err) == ("", f"crm-desktop: {sentence}\n")
    assert not out.exists()
    assert not (profile_dir / "crm-desktop.log").exists()  # not taken for a bug
