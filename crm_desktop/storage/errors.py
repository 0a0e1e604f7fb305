"""Storage failures sorted into the ones a user can act on and the ones that are bugs."""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from sqlalchemy.exc import DBAPIError


class StoreError(Exception):
    """A known storage failure with a plain sentence for the user (untranslated English)."""

    def __init__(self, message: str, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(self.text())

    def text(self) -> str:
        return QCoreApplication.translate("StoreError", self.message).format(**self.params)


DISK_FULL = QT_TRANSLATE_NOOP("StoreError", "The disk is full; free some space and try again.")
LOCKED = QT_TRANSLATE_NOOP(
    "StoreError", "The data file is busy in another program; close it and try again."
)
CORRUPT = QT_TRANSLATE_NOOP(
    "StoreError", "The data file {path} is damaged; restore it from a backup in {backups}."
)
READ_ONLY = QT_TRANSLATE_NOOP("StoreError", "The data file {path} cannot be written to.")
NEWER_STORE = QT_TRANSLATE_NOOP(
    "StoreError",
    "The data in {path} was made by a newer version of this program; please upgrade it.",
)


def classify(error: BaseException, path: str, backups: str = "") -> StoreError | None:
    """Map a raw SQLite error to a StoreError, or None if it is a bug to be logged."""
    original = error.orig if isinstance(error, DBAPIError) else error
    if not isinstance(original, sqlite3.Error):
        return None
    text = str(original).lower()
    if "disk is full" in text or "database or disk is full" in text:
        return StoreError(DISK_FULL)
    if "locked" in text or "busy" in text:
        return StoreError(LOCKED)
    if "malformed" in text or "not a database" in text or "corrupt" in text:
        return StoreError(CORRUPT, path=path, backups=backups)
    if "readonly" in text or "read-only" in text:
        return StoreError(READ_ONLY, path=path)
    return None
