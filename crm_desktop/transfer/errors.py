"""What goes wrong moving files in and out: one plain sentence each, translated when shown."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from crm_desktop.models.validation import printable


class TransferError(Exception):
    """A file the user can fix; the message is untranslated English (context "Transfer")."""

    def __init__(self, message: str, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(self.text())

    def text(self) -> str:
        params = {key: printable(value) for key, value in self.params.items()}
        return QCoreApplication.translate("Transfer", self.message).format(**params)


class ImportFailed(Exception):
    """Some rows were refused, so nothing was imported; `problems` has one sentence per row."""

    def __init__(self, problems: list[str], more: bool) -> None:
        self.problems = problems
        self.more = more  # True when checking stopped before the end of the file
        super().__init__("\n".join(problems))
