"""How far a long command has got, on one terminal line rewritten as it goes."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TextIO

from PySide6.QtCore import QCoreApplication

from crm_desktop.models.fields import entity_label


class ProgressLine:
    """ "Exporting customer records: 2,000 of 100,000", rewritten in place; `finish` ends the
    line. `text(done, total)` words it (translated by the caller)."""

    def __init__(self, stream: TextIO, text: Callable[[str, str], str]) -> None:
        self.stream = stream
        self.text = text
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        # The counts only grow, so each line covers the one before it.
        self.stream.write(f"\r{self.text(f'{done:,}', f'{total:,}')}")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def progress_line(text: Callable[[str, str], str]) -> ProgressLine | None:
    """A progress line on stderr when a person watches it, never into a pipe or a log."""
    return ProgressLine(sys.stderr, text) if sys.stderr.isatty() else None


def records_progress_line(template: str, entity: str) -> ProgressLine | None:
    """A progress line worded by a "Transfer" `template` with {entity}, {done} and {total}
    ("Exporting customer records: 2,000 of 100,000")."""
    words = QCoreApplication.translate("Transfer", template)
    label = entity_label(entity)
    return progress_line(lambda done, total: words.format(entity=label, done=done, total=total))
