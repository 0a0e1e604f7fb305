"""The real `crm-desktop` script on a damaged, a busy and an unreachable setup: the window's
plain sentences, a non-zero exit code and never a traceback; a bug points at the log file."""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

from crm_desktop.cli import NO_DATA
from crm_desktop.profile import open_profile
from crm_desktop.storage import backups
from crm_desktop.storage.errors import CORRUPT, LOCKED
from crm_desktop.storage.store import STORE_FILE
from crm_desktop.sync import link
from crm_desktop.sync.errors import MESSAGES, SyncProblem
from tests.commands.test_console_script import run


def assert_one_sentence(result, expected: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == f"crm-desktop: {expected}"


def test_a_damaged_data_file(tmp_path: Path) -> None:
    directory = tmp_path / "profile"
    directory.mkdir()
    (directory / STORE_FILE).write_bytes(b"\x00garbage, not SQLite\xff" * 4096)
    result = run("--profile", str(directory), "export", "--entity", "customers")
    expected = CORRUPT.format(path=directory / STORE_FILE, backups=directory / "backups")
    assert_one_sentence(result, expected)
    assert backups.check_due(directory) == "full"  # the window's next start repairs it


def test_a_data_file_held_by_another_program(profile_dir: Path) -> None:
    holder = sqlite3.connect(profile_dir / STORE_FILE, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program writing; the command waits, then says so
    try:
        result = run("--profile", str(profile_dir), "demo", "--customers", "1")
    finally:
        holder.rollback()
        holder.close()
    assert_one_sentence(result, LOCKED)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nobody listens once the probe is closed


def test_sync_with_the_server_down(profile_dir: Path) -> None:
    profile = open_profile(profile_dir)
    try:
        address = f"host=127.0.0.1 port={closed_port()} dbname=crm"
        profile.store.set_setting(link.SERVER_KEY, address)
        profile.store.set_setting(link.LOGIN_KEY, "rae")
    finally:
        profile.close()
    result = run("--profile", str(profile_dir), "sync")
    assert_one_sentence(result, MESSAGES[SyncProblem.OFFLINE])


def test_a_bug_is_logged_and_the_sentence_says_where(tmp_path: Path) -> None:
    directory = tmp_path / "profile"
    directory.mkdir()
    # A SQLite file of another program's making: migrating it fails in a way nobody planned.
    other = sqlite3.connect(directory / STORE_FILE)
    other.execute("CREATE TABLE local_settings (something_else INTEGER)")
    other.commit()
    other.close()
    result = run("--profile", str(directory), "export", "--entity", "customers")
    log_file = directory / "crm-desktop.log"
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Something went wrong" in result.stderr
    assert str(log_file) in result.stderr
    assert "Traceback" in log_file.read_text(encoding="utf-8")


def test_the_commands_do_not_import_the_program_that_runs_them() -> None:
    import subprocess
    import sys

    from crm_desktop.cli import COMMANDS

    modules = ", ".join(f"crm_desktop.commands.{name}" for name in COMMANDS.values())
    check = f"import sys, {modules}; print('crm_desktop.cli' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", check], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.strip() == "False"


def test_a_mistyped_profile_folder_is_said_and_not_made(tmp_path: Path) -> None:
    typo = tmp_path / "crm-profle"
    for command in (
        ["export", "--entity", "customers"],
        ["today"],
        ["renewals"],
        ["conflicts"],
        ["report", "pipeline", "--out", str(tmp_path / "p.pdf")],
    ):
        result = run("--profile", str(typo), *command)
        assert_one_sentence(result, NO_DATA.format(directory=typo))
    assert not typo.exists() and not (tmp_path / "p.pdf").exists()


def test_ctrl_c_in_an_export_says_it_stopped_and_leaves_the_old_file(
    profile_dir: Path, capsys, monkeypatch
) -> None:
    """Ctrl+C half-way through: exit 130, one sentence, and last week's file as it was."""
    from crm_desktop import cli
    from crm_desktop.transfer import exporting

    open_profile(profile_dir).writer().create("customers", {"name": "Acme"})
    target = profile_dir.parent / "customers.csv"
    target.write_text("last week's\n")

    def interrupted(store, entity, stream, progress=None):
        stream.write("name\nAcme, half")
        raise KeyboardInterrupt

    monkeypatch.setattr(exporting, "export_csv", interrupted)
    code = cli.main(
        ["--profile", str(profile_dir), "export", "--entity", "customers", "--out", str(target)]
    )
    assert code == 130
    assert capsys.readouterr().err.strip() == "crm-desktop: Stopped; nothing was left half-done."
    assert target.read_text() == "last week's\n"


def test_ctrl_c_while_an_import_rebuilds_its_indexes_says_it_stopped(
    profile_dir: Path, capsys, monkeypatch, caplog
) -> None:
    """Ctrl+C inside a statement of the load's end (SQLite building an index again): exit 130,
    the one sentence, nothing imported, every index still there, no fault in the log."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    from crm_desktop import cli
    from crm_desktop.transfer import importing

    monkeypatch.setattr(importing, "BULK_LOAD_FROM", 1)  # a small file loads in bulk too
    open_profile(profile_dir).close()
    with sqlite3.connect(profile_dir / STORE_FILE) as db:
        indexes = db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'index'").fetchone()
    source = profile_dir.parent / "customers.csv"
    source.write_text("name,phone\n甲公司,13800138000\n乙公司,13900139000\n", encoding="utf-8")

    def ctrl_c(_conn, _cursor, statement, _params, _context, _many) -> None:
        if statement.startswith("CREATE INDEX"):
            raise KeyboardInterrupt  # as the signal's handler raises it, inside the execute

    event.listen(Engine, "before_cursor_execute", ctrl_c)
    try:
        code = cli.main(
            ["--profile", str(profile_dir), "import", str(source), "--entity", "customers"]
        )
    finally:
        event.remove(Engine, "before_cursor_execute", ctrl_c)
    assert code == 130
    assert capsys.readouterr().err.strip() == "crm-desktop: Stopped; nothing was left half-done."
    assert not [record for record in caplog.records if record.levelname == "ERROR"]
    with sqlite3.connect(profile_dir / STORE_FILE) as db:
        assert db.execute("SELECT count(*) FROM customers").fetchone() == (0,)
        after = db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'index'").fetchone()
        assert after == indexes
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
