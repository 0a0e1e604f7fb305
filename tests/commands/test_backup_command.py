"""`crm-desktop backup` and `restore`: plain sentences, a question only at a terminal."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from crm_desktop.cli import main
from crm_desktop.profile import open_profile
from crm_desktop.storage import backups
from crm_desktop.storage.store import STORE_FILE
from tests.storage.test_backups import break_an_index, damage, names_in, page_count, settle

SCRIPT = Path(sys.executable).with_name("crm-desktop")


def add_customer(directory: Path, name: str) -> None:
    profile = open_profile(directory)
    try:
        profile.writer().create("customers", {"name": name})
    finally:
        profile.close()


def run(*args: str, stdin: int | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [str(SCRIPT), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
    )


def test_backup_list_and_restore(
    profile_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = ["--profile", str(profile_dir)]
    add_customer(profile_dir, "Before")
    assert main([*profile, "backup"]) == 0
    said = capsys.readouterr().out
    made = backups.list_backups(profile_dir)
    assert len(made) == 1 and said == f"Backed up to {made[0].path}.\n"
    out = tmp_path / "mine.sqlite3"
    assert main(["backup", *profile, "--out", str(out)]) == 0
    assert capsys.readouterr().out == f"Backed up to {out}.\n"
    add_customer(profile_dir, "After")

    assert main([*profile, "backup", "--list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert len(listed) == 1 and "manual" in listed[0] and str(made[0].path) in listed[0]

    # Not a terminal (pytest's stdin): no question.
    assert main([*profile, "restore", str(made[0].path)]) == 0
    said = capsys.readouterr().out
    assert said.startswith("Restored the copy of ")
    assert "The data it replaced is kept in " in said
    assert names_in(profile_dir) == {"Before"}
    kinds = [b.kind for b in backups.list_backups(profile_dir)]
    assert kinds == [backups.BEFORE_RESTORE, backups.MANUAL]


def test_plain_sentences_for_copies_that_cannot_be_restored(
    profile_dir: Path, tmp_path: Path
) -> None:
    profile = ["--profile", str(profile_dir)]
    add_customer(profile_dir, "Mine")
    missing = run(*profile, "restore", str(tmp_path / "nope.sqlite3"), "--yes")
    assert missing.returncode == 1
    assert missing.stderr == f"crm-desktop: There is no file {tmp_path / 'nope.sqlite3'}.\n"
    folder = run(*profile, "restore", str(tmp_path), "--yes")
    assert folder.returncode == 1
    assert folder.stderr == (
        f"crm-desktop: {tmp_path} is a folder; choose one of the backup files in it "
        "(crm-….sqlite3).\n"
    )
    text = tmp_path / "list.csv"
    text.write_text("name\nAcme\n" * 200)
    wrong = run(*profile, "restore", str(text), "--yes")
    assert wrong.returncode == 1
    assert wrong.stderr == f"crm-desktop: {text} is not a CRM Desktop data file.\n"
    newer = tmp_path / "newer.sqlite3"
    backups.back_up(profile_dir, out=newer)
    with closing(sqlite3.connect(newer)) as connection, connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
    refused = run(*profile, "restore", str(newer), "--yes")
    assert refused.returncode == 1
    assert "was made by a newer version of this program; please upgrade it first." in (
        refused.stderr
    )
    assert "Traceback" not in missing.stderr + wrong.stderr + refused.stderr
    assert names_in(profile_dir) == {"Mine"}


def test_at_a_terminal_restore_asks_first(profile_dir: Path, tmp_path: Path) -> None:
    profile = ["--profile", str(profile_dir)]
    add_customer(profile_dir, "Before")
    copy = backups.back_up(profile_dir)
    add_customer(profile_dir, "After")
    leader, follower = os.openpty()
    try:
        os.write(leader, b"n\n")
        declined = run(*profile, "restore", str(copy), stdin=follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert declined.returncode == 1
    assert "the current data is kept aside" in declined.stdout
    assert "Nothing was changed." in declined.stdout
    assert names_in(profile_dir) == {"Before", "After"}

    answered = run(*profile, "restore", str(copy), "--yes")
    assert answered.returncode == 0, answered.stderr
    assert "Restore?" not in answered.stdout
    assert names_in(profile_dir) == {"Before"}


def test_check_recovers_a_damaged_store(profile_dir: Path) -> None:
    profile = ["--profile", str(profile_dir)]
    sound = run(*profile, "backup", "--check")
    assert sound.stdout == "The data file is sound.\n"
    directory_store = profile_dir / STORE_FILE
    opened = open_profile(profile_dir)
    writer = opened.writer()
    for number in range(300):
        writer.create("customers", {"name": f"Firm {number:03}", "phone": "13800138000"})
    opened.close()
    settle(profile_dir)
    middle = page_count(directory_store) // 2
    damage(directory_store, [middle, middle + 1])

    checked = run(*profile, "backup", "--check")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("The data file was damaged and has been replaced")
    # English plural forms, from the program's English translation as the window's.
    assert re.search(r"\d+ records? (was|were) saved from the damaged file", checked.stdout)
    assert not backups.is_damaged(profile_dir)
    assert [b.kind for b in backups.list_backups(profile_dir)] == [backups.DAMAGED]


def test_check_rebuilds_indexes_the_quick_check_misses(profile_dir: Path) -> None:
    opened = open_profile(profile_dir)
    for number in range(50):
        opened.writer().create("customers", {"name": f"Firm {number:03}"})
    opened.close()
    settle(profile_dir)
    break_an_index(profile_dir)
    checked = run("--profile", str(profile_dir), "backup", "--check")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("The data file's indexes were damaged and have been rebuilt")
    assert not backups.is_damaged(profile_dir, full=True)
    assert backups.list_backups(profile_dir) == []  # nothing replaced


def test_a_copy_into_a_folder_or_a_place_that_cannot_take_it(
    profile_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_customer(profile_dir, "Kept")
    folder = tmp_path / "U盘"
    folder.mkdir()
    assert main(["--profile", str(profile_dir), "backup", "--out", str(folder)]) == 0
    (copy,) = folder.iterdir()
    assert capsys.readouterr().out == f"Backed up to {copy}.\n"
    assert copy.name.startswith("crm-") and copy.name.endswith("-manual.sqlite3")
    assert names_in_copy(copy) == {"Kept"}
    # Where no folder can be made (a file of that name is there): a sentence naming the place.
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder")
    target = blocked / "copy.sqlite3"
    result = run("--profile", str(profile_dir), "backup", "--out", str(target))
    assert result.returncode != 0
    assert result.stderr == (
        f"crm-desktop: The copy cannot be written to {target} (part of the path is a file, "
        "not a folder); choose another place.\n"
    )


def names_in_copy(copy: Path) -> set[str]:
    with closing(sqlite3.connect(copy)) as connection:
        return {name for (name,) in connection.execute("SELECT name FROM customers")}
