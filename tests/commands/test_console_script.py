"""The installed `crm-desktop` script: plain sentences and exit codes, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from crm_desktop.profile import open_profile

SCRIPT = Path(sys.executable).with_name("crm-desktop")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_demo_export_and_a_refused_import(profile_dir: Path, tmp_path: Path) -> None:
    profile = ["--profile", str(profile_dir)]
    demo = run(*profile, "demo", "--customers", "30", "--seed", "5")
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.startswith("Added demo data: 30 customers,")
    exported = run(*profile, "export", "--entity", "contacts")
    assert exported.returncode == 0
    assert exported.stdout.splitlines()[0].startswith("id,customer_id,customer,name,")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,grade\nA公司,A\nB公司,Q\n", encoding="utf-8")
    refused = run(*profile, "import", str(bad), "--entity", "customers")
    assert refused.returncode == 1
    assert "line 3: Grade cannot be “Q”" in refused.stderr
    assert "Traceback" not in refused.stderr
    again = run(*profile, "export", "--entity", "customers")
    assert len(again.stdout.splitlines()) == 31  # header + the demo's 30: nothing imported


def test_an_export_to_a_full_disk_or_a_closed_pipe(profile_dir: Path, tmp_path: Path) -> None:
    profile = ["--profile", str(profile_dir)]
    assert run(*profile, "demo", "--customers", "300", "--seed", "5").returncode == 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # One customer: the whole CSV fits in the output's buffer, written when it is flushed.
    small = tmp_path / "small"
    made = open_profile(small)
    made.writer().create("customers", {"name": "Acme"})
    made.close()
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [str(SCRIPT), "--profile", str(small), "export", "--entity", "customers"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
    assert result.returncode == 1
    assert result.stderr == ("crm-desktop: Could not write standard output: the disk is full.\n")
    # A reader that stops early (`| head -1`): no traceback, no sentence.
    piped = subprocess.run(
        f"'{SCRIPT}' --profile '{profile_dir}' export --entity customers | head -1",
        shell=True,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert piped.stdout.startswith("id,")
    assert piped.stderr == ""


# Ctrl+C as the program loads: the import of SQLAlchemy (a second or two in) is cut short.
CUT_WHILE_LOADING = """
import sys

class CtrlC:
    def find_spec(self, name, path=None, target=None):
        if name == "sqlalchemy":
            raise KeyboardInterrupt

sys.meta_path.insert(0, CtrlC())
from crm_desktop.launch import main
sys.exit(main())
"""


def test_ctrl_c_while_the_program_loads_ends_it_without_a_traceback() -> None:
    assert "crm_desktop.launch" in SCRIPT.read_text(encoding="utf-8")  # what the script runs
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    cut = subprocess.run(
        [sys.executable, "-c", CUT_WHILE_LOADING, "version"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert cut.returncode == 130
    assert cut.stderr == "crm-desktop: Stopped while starting; nothing was changed.\n"


# Ctrl+C once the command has ended, while Python waits for a thread still running (the one
# of an import's worker processes, say).
CTRL_C_AT_THE_END = """
import os, signal, sys, threading, time

def late():
    time.sleep(0.5)  # the command has ended: Python is waiting for this thread
    os.kill(os.getpid(), signal.SIGINT)
    time.sleep(0.5)

from crm_desktop.launch import main
sys.argv = ["crm-desktop", "--profile", sys.argv[1], "export", "--entity", "products"]
code = main()
threading.Thread(target=late).start()
sys.exit(code)
"""


def test_ctrl_c_after_the_command_ended_changes_nothing_of_how_it_ended(
    profile_dir: Path,
) -> None:
    open_profile(profile_dir).close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    ended = subprocess.run(
        [sys.executable, "-c", CTRL_C_AT_THE_END, str(profile_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert ended.returncode == 0, ended.stderr  # not ended by the signal
    assert ended.stdout.splitlines()[0].startswith("id,")  # the export's header
    assert "Traceback" not in ended.stderr
