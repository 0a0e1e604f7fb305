"""`crm-desktop --help` and each command's help speak the window's language too: every
command's and option's words, argparse's own ("usage:", "options"), and Chinese lines wrapped
by the columns they take in a terminal."""

from __future__ import annotations

import argparse
import gettext
import inspect
import re
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest

from crm_desktop import cli
from crm_desktop.translations import translated
from tests.commands.test_command_language import choose


def help_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 0
    return capsys.readouterr().out


def every_parser(parser: argparse.ArgumentParser) -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield parser.prog, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                yield from every_parser(sub)


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def columns(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def test_the_help_is_in_the_profiles_language(
    profile_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    choose(profile_dir, "zh_CN")
    said = help_of(["--profile", str(profile_dir), "--help"], capsys)
    assert said.startswith("用法：crm-desktop")
    for words in ("选项", "显示本帮助并退出", "把本机更改发送到服务器，并取回其他人的更改"):
        assert words in said
    server = help_of(["--profile", str(profile_dir), "server", "add-user", "--help"], capsys)
    assert "为 CRM 用户创建登录角色" in server and "可选 admin" in server
    # Wrapped by columns: no Chinese line runs past the terminal's 80 (argparse leaves 2).
    lines = [line for text in (said, server) for line in text.splitlines() if has_chinese(line)]
    assert lines and max(columns(line) for line in lines) <= 78

    choose(profile_dir, "en")
    english = help_of(["--profile", str(profile_dir), "--help"], capsys)
    assert english.startswith("usage: crm-desktop")
    assert "show this help and exit" in english and not has_chinese(english)


def test_every_command_and_option_has_chinese_words() -> None:
    """Each command's description and each option's help, through every sub-command (the
    server's actions included): none left in English."""
    with translated("zh_CN"):
        parser = cli._parser()
    untranslated = []
    for prog, each in every_parser(parser):
        if each.description and not has_chinese(each.description):
            untranslated.append(f"{prog}: {each.description}")
        for action in each._actions:
            if action.help not in (None, argparse.SUPPRESS) and not has_chinese(action.help):
                untranslated.append(f"{prog} {action.option_strings or action.dest}: {action.help}")
    assert len(list(every_parser(parser))) > 40  # the server's actions are in it
    assert untranslated == []


def test_a_missing_profile_folder_is_said_by_the_whole_parser(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """--profile without its folder: the command's own usage and error, not a stub's."""
    with pytest.raises(SystemExit) as exited:
        cli.main(["today", "--profile"])
    assert exited.value.code == 2
    said = capsys.readouterr().err
    assert said.startswith("usage: crm-desktop today"), said
    assert "--profile: expected one argument" in said


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("一二三四五），六七", 10),  # closing marks at the edge
        ("导入一个名片 .vcf 文件", 12),  # a Latin word after a space
        ("使用 --keep-ids 时，id 在本机没有对应记录的行以该 id 添加记录。", 20),
        ("'postgresql://crm_admin@db.example.com/crm?sslmode=verify-full' 例如", 30),
    ],
)
def test_chinese_lines_fit_their_width_and_keep_every_word(text: str, width: int) -> None:
    lines = cli._wrapped(text, width)
    assert "".join("".join(lines).split()) == "".join(text.split())  # nothing lost or doubled
    for line in lines:
        # Only a word longer than the width stands past it, alone on its line.
        assert columns(line) <= width or " " not in line, lines
        assert line[:1] not in "，。；：）", lines


def test_the_chinese_help_of_every_command_fits_80_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    with translated("zh_CN"):
        parser = cli._parser()
        helps = [each.format_help() for _prog, each in every_parser(parser)]
    too_wide = [
        line
        for text in helps
        for line in text.splitlines()
        if has_chinese(line) and columns(line) > 78
    ]
    assert too_wide == []


def usage_error_of(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exited:
        cli.main(argv)
    assert exited.value.code == 2
    return capsys.readouterr().err


def test_argparse_own_errors_are_in_the_profiles_language(
    profile_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A command line argparse cannot read (an unknown option or command, a missing value) is
    said in the profile's language too, names and values as typed."""
    profile = ["--profile", str(profile_dir)]
    choose(profile_dir, "zh_CN")
    said = usage_error_of([*profile, "sync", "--bogus"], capsys)
    assert said.startswith("用法：crm-desktop")
    assert "crm-desktop：错误：无法识别的参数：--bogus" in said
    said = usage_error_of([*profile, "nosuch"], capsys)
    assert "无效的选择：'nosuch'（可选：" in said and "'sync'" in said
    said = usage_error_of([*profile, "import"], capsys)
    assert "crm-desktop import：错误：缺少必需的参数：" in said
    said = usage_error_of([*profile, "renewals", "--kind"], capsys)
    assert "参数 --kind：需要给出一个值" in said

    choose(profile_dir, "en")
    said = usage_error_of([*profile, "sync", "--bogus"], capsys)
    assert "crm-desktop: error: unrecognized arguments: --bogus" in said
    assert not has_chinese(said)
    # Handed back once the command line is read: argparse elsewhere speaks its own words.
    assert (argparse._, argparse.ngettext) == (gettext.gettext, gettext.ngettext)


def test_a_value_of_the_wrong_kind_is_said_in_plain_words(
    profile_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Not argparse's "invalid int value", which means nothing to a clerk, in either language."""
    profile = ["--profile", str(profile_dir)]
    choose(profile_dir, "zh_CN")
    said = usage_error_of([*profile, "demo", "--customers", "abc"], capsys)
    assert "参数 --customers：“abc”不是整数" in said
    said = usage_error_of([*profile, "demo", "--customers", "0"], capsys)
    assert "参数 --customers：客户数至少为 1" in said
    said = usage_error_of([*profile, "server", "trim-log", "--older-than-days", "x"], capsys)
    assert "参数 --older-than-days：“x”不是整数" in said
    choose(profile_dir, "en")
    said = usage_error_of([*profile, "demo", "--customers", "1", "--seed", "x"], capsys)
    assert "argument --seed: “x” is not a whole number" in said


PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sr]")


def test_argparse_messages_are_argparse_s_and_keep_their_placeholders() -> None:
    """Each message is argparse's own wording in this Python (a new wording would stay
    English), and its translation fills in the same names and values."""
    source = inspect.getsource(argparse)
    with translated("zh_CN"):
        for message in cli.ARGPARSE_MESSAGES:
            assert repr(message) in source or f'"{message}"' in source, message
            chinese = cli.translate("CommandLine", message)
            assert has_chinese(chinese), message
            assert sorted(PLACEHOLDER.findall(chinese)) == sorted(PLACEHOLDER.findall(message))
            # No other "%": argparse's formatting would stop at it with a traceback.
            assert chinese.count("%") == message.count("%"), chinese
