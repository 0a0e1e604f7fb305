"""`crm-desktop connect` reads a piped password's first line without its line end, a Windows
one ("\r\n") included, and keeps every other character, spaces too."""

from __future__ import annotations

import io

import pytest

from crm_desktop.commands.connect import read_password


@pytest.mark.parametrize(
    ("piped", "password"),
    [
        ("s3cret\n", "s3cret"),
        ("s3cret\r\n", "s3cret"),  # a file saved by Notepad
        ("s3cret", "s3cret"),  # no line end at all
        (" pass word \r\n", " pass word "),
        ("tab\t\r\nsecond line\r\n", "tab\t"),
        ("\n", ""),  # nothing given: the address's own, if it has one
    ],
)
def test_a_piped_password_loses_only_its_line_end(
    monkeypatch: pytest.MonkeyPatch, piped: str, password: str
) -> None:
    # As sys.stdin reads a pipe: no newline translation, "\r" kept.
    stdin = io.TextIOWrapper(io.BytesIO(piped.encode()), encoding="utf-8", newline="\n")
    monkeypatch.setattr("sys.stdin", stdin)
    assert read_password() == password
