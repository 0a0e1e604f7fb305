"""The command line speaks the window's language: the one chosen in the profile, else the
system's; a report in another language is wholly in that one; the application's own
translators are as they were after a command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication

from crm_desktop.cli import main
from crm_desktop.profile import LANGUAGE_KEY, open_profile
from tests.reports.known_store import build_known, pdf_lines, squashed

SCRIPT = Path(sys.executable).with_name("crm-desktop")
NOTHING_DUE = "今天没有到期的事。"  # TodayView's "Nothing due today." in resources/translations


def choose(directory: Path, language: str) -> None:
    profile = open_profile(directory)
    try:
        profile.store.set_setting(LANGUAGE_KEY, language)
    finally:
        profile.close()


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(SCRIPT), *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_the_profiles_language(profile_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    choose(profile_dir, "zh_CN")
    assert main(["today", "--profile", str(profile_dir)]) == 0
    assert capsys.readouterr().out == f"{NOTHING_DUE}\n"
    # The test's application speaks English again.
    assert QCoreApplication.translate("TodayView", "Nothing due today.") == "Nothing due today."


def test_without_an_application_and_by_the_systems_language(profile_dir: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANG"))}
    env.update(QT_QPA_PLATFORM="offscreen", LANG="en_US.UTF-8")
    choose(profile_dir, "zh_CN")
    chosen = run(env, "today", "--profile", str(profile_dir))
    assert (chosen.returncode, chosen.stdout, chosen.stderr) == (0, f"{NOTHING_DUE}\n", "")
    # No language chosen: the system's.
    choose(profile_dir, "system")
    english = run(env, "today", "--profile", str(profile_dir))
    assert english.stdout == "Nothing due today.\n"
    chinese = {**env, "LANG": "zh_CN.UTF-8"}
    assert run(chinese, "today", "--profile", str(profile_dir)).stdout == f"{NOTHING_DUE}\n"


def test_a_report_in_another_language_than_the_profiles(
    profile_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = open_profile(profile_dir)
    try:
        build_known(profile)
        profile.store.set_setting(LANGUAGE_KEY, "zh_CN")
    finally:
        profile.close()
    out = tmp_path / "pipeline.pdf"
    argv = ["report", "pipeline", "--language", "en", "--out", str(out)]
    assert main([*argv, "--profile", str(profile_dir)]) == 0
    text = squashed(pdf_lines(out))
    # English words only: none of the profile's Chinese answers where English has no entry.
    assert "Proposal" in text and "方案报价" not in text
    assert capsys.readouterr().out == f"{out}\n"


def test_export_says_what_it_did_and_what_went_wrong_in_the_profiles_language(
    profile_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = open_profile(profile_dir)
    try:
        profile.writer().create("customers", {"name": "华强电子"})
        profile.store.set_setting(LANGUAGE_KEY, "zh_CN")
    finally:
        profile.close()
    out = tmp_path / "customers.xlsx"
    assert (
        main(["export", "--entity", "customers", "--out", str(out), "--profile", str(profile_dir)])
        == 0
    )
    assert capsys.readouterr().out == f"已将 1 条客户记录导出到 {out}。\n"
    nowhere = tmp_path / "missing" / "customers.csv"
    argv = ["export", "--entity", "customers", "--out", str(nowhere)]
    assert main([*argv, "--profile", str(profile_dir)]) != 0
    said = capsys.readouterr().err
    assert f"{nowhere}" in said and "不存在" in said and "does not exist" not in said
    assert (
        main(["export", "--entity", "customers", "--format", "xlsx", "--profile", str(profile_dir)])
        != 0
    )
    assert "导出 Excel 需要一个文件" in capsys.readouterr().err
