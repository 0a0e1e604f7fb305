"""A reader that stops early (`crm-desktop today | head -1`): any command ends quietly, with the
exit a shell gives a command killed by SIGPIPE, and nothing in the log."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crm_desktop.cli import BROKEN_PIPE_EXIT

SCRIPT = Path(sys.executable).with_name("crm-desktop")


@pytest.mark.parametrize(
    "command",
    [["today"], ["renewals", "--from", "2020-01-01"], ["export", "--entity", "customers"]],
)
def test_a_reader_gone_before_the_output(profile_dir: Path, command: list[str]) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with subprocess.Popen(
        [str(SCRIPT), *command, "--profile", str(profile_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        # Gone long before the command (which takes a second or two to start) writes a line.
        process.stdout.close()
        errors = process.stderr.read()
        code = process.wait(timeout=120)
    assert (code, errors) == (BROKEN_PIPE_EXIT, b"")
    assert not (profile_dir / "crm-desktop.log").exists()
