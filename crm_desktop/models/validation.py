"""Bad input is refused with one plain sentence that names the field; nothing is written."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


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
        return template.format(**self.params)
