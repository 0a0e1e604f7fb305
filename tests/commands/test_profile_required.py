"""Commands that work with the profile's server, given a folder that holds no profile (a typo
in --profile): one sentence saying so, and no empty profile made there."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm_desktop.cli import NO_PROFILE, main

CUSTOMER = "0b6e4a44-4ad4-4b4e-9d0e-0c6f3c1d2e3f"


@pytest.mark.parametrize(
    "command",
    [
        ["sync"],
        ["claim", CUSTOMER],
        ["release", CUSTOMER, "--reason", "moved away"],
        ["assign", CUSTOMER, "--to", "rob"],
    ],
)
def test_no_profile_is_said_and_none_is_made(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    typo = tmp_path / "profiel"
    assert main([*command, "--profile", str(typo)]) == 1
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err == f"crm-desktop: {NO_PROFILE.format(directory=typo)}\n"
    assert not typo.exists()
