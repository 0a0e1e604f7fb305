"""Bad input is refused with one plain sentence that names the field; nothing is written."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QCoreApplication


def printable(value: object) -> object:
    """A value safe to repeat in a one-line message: control characters (a terminal escape, a
    line break) shown as their code, U+001B, instead of acting on the screen."""
    if not isinstance(value, str):
        return value
    return "".join(f"U+{ord(c):04X}" if unicodedata.category(c) == "Cc" else c for c in value)


# Sentence ends after which the next sentence follows without a space (Chinese, Japanese).
_WIDE_ENDS = ("。", "！", "？", "；", "）")


def run_on(*sentences: str) -> str:
    """Sentences one after another, the empty ones left out: a space after an English full
    stop, none after a Chinese one (。), as each language writes them."""
    text = ""
    for sentence in filter(None, sentences):
        text += sentence if not text or text.endswith(_WIDE_ENDS) else " " + sentence
    return text


class InvalidInput(ValueError):
    """Input a user can fix. `field` names the form field; `message` is untranslated English.

    Messages are marked with QT_TRANSLATE_NOOP("Validation", ...) where they are written and
    translated when shown, so the same error reads right in the window and on the command line.
    """

    def __init__(self, field_name: str, message: str, **params: object) -> None:
        self.field = field_name
        self.message = message
        self.params = params
        super().__init__(self.text())

    def text(self) -> str:
        template = QCoreApplication.translate("Validation", self.message)
        return template.format(**{k: printable(v) for k, v in self.params.items()})
