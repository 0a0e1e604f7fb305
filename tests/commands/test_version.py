"""`crm-desktop --version`: the installed script names the version the package carries."""

from __future__ import annotations

from crm_desktop import __version__
from tests.commands.test_console_script import run


def test_the_installed_script_prints_its_version() -> None:
    shown = run("--version")
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == f"crm-desktop {__version__}\n"
    assert shown.stderr == ""
