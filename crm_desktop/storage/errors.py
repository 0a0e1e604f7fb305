"""Storage failures sorted into the ones a user can act on and the ones that are bugs."""

from __future__ import annotations

import errno
import logging
import sqlite3
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)


class StoreError(Exception):
    """A known storage failure with a plain sentence for the user (untranslated English)."""

    def __init__(self, message: str, **params: object) -> None:
        self.message = message
        self.params = params
        super().__init__(self.text())

    def text(self) -> str:
        return QCoreApplication.translate("StoreError", self.message).format(**self.params)


# Why a file or folder could not be read or written, in the user's language, by the system's
# error number: the system's own words are in English whatever the user reads.
_OS_REASONS = {
    errno.EROFS: QT_TRANSLATE_NOOP("StoreError", "the disk or folder is read-only"),
    errno.EACCES: QT_TRANSLATE_NOOP("StoreError", "you do not have permission"),
    errno.EPERM: QT_TRANSLATE_NOOP("StoreError", "you do not have permission"),
    errno.ENOSPC: QT_TRANSLATE_NOOP("StoreError", "the disk is full"),
    errno.ENOENT: QT_TRANSLATE_NOOP("StoreError", "it does not exist"),
    errno.ENOTDIR: QT_TRANSLATE_NOOP("StoreError", "part of the path is a file, not a folder"),
    errno.EEXIST: QT_TRANSLATE_NOOP("StoreError", "part of the path is a file, not a folder"),
    errno.EISDIR: QT_TRANSLATE_NOOP("StoreError", "it is a folder, not a file"),
    errno.ENAMETOOLONG: QT_TRANSLATE_NOOP("StoreError", "the name is too long"),
}


def plain_reason(error: OSError) -> str:
    """Why a file operation failed, as a few words for a sentence about the file: the user's
    language for the common reasons, the system's words for a rare one."""
    known = _OS_REASONS.get(error.errno or 0)
    if known:
        return QCoreApplication.translate("StoreError", known)
    return error.strerror or str(error)


DISK_FULL = QT_TRANSLATE_NOOP("StoreError", "The disk is full; free some space and try again.")
LOCKED = QT_TRANSLATE_NOOP(
    "StoreError", "The data file is busy in another program; close it and try again."
)
CORRUPT = QT_TRANSLATE_NOOP(
    "StoreError", "The data file {path} is damaged; restore it from a backup in {backups}."
)
READ_ONLY = QT_TRANSLATE_NOOP("StoreError", "The data file {path} cannot be written to.")
FILE_PROBLEM = QT_TRANSLATE_NOOP("StoreError", "{path} could not be used: {reason}.")
NEWER_STORE = QT_TRANSLATE_NOOP(
    "StoreError",
    "The data in {path} was made by a newer version of this program; please upgrade it.",
)


# SQLite's primary result codes (the low byte of an extended code such as SQLITE_BUSY_SNAPSHOT).
# Sorted by code, never by message text: the text is English today and may change tomorrow.
_KNOWN_CODES = {
    sqlite3.SQLITE_FULL: "full",
    sqlite3.SQLITE_BUSY: "locked",
    sqlite3.SQLITE_LOCKED: "locked",
    sqlite3.SQLITE_CORRUPT: "corrupt",
    sqlite3.SQLITE_NOTADB: "corrupt",
    sqlite3.SQLITE_READONLY: "read_only",
    sqlite3.SQLITE_CANTOPEN: "read_only",  # the folder cannot be written (or the file opened)
    sqlite3.SQLITE_PERM: "read_only",
}


def sqlite_code(error: BaseException) -> int | None:
    """The primary SQLite result code of a raw or SQLAlchemy-wrapped error, if it has one."""
    original = error.orig if isinstance(error, DBAPIError) else error
    if not isinstance(original, sqlite3.Error):
        return None
    code = getattr(original, "sqlite_errorcode", None)  # Python 3.11+
    return None if code is None else code & 0xFF


def classify(error: BaseException, path: str, backups: str = "") -> StoreError | None:
    """Map a raw SQLite error to a StoreError, or None if it is a bug to be logged."""
    if isinstance(error, StoreError):
        return error
    code = sqlite_code(error)
    kind = None if code is None else _KNOWN_CODES.get(code)
    if kind == "full":
        return StoreError(DISK_FULL)
    if kind == "locked":
        return StoreError(LOCKED)
    if kind == "corrupt":
        _check_in_full_at_next_start(path)
        return StoreError(CORRUPT, path=path, backups=backups)
    if kind == "read_only":
        return StoreError(READ_ONLY, path=path)
    return None


def profile_folder_problem(error: BaseException, directory: Path) -> StoreError | None:
    """The profile's folder (or a file in it, or a folder above it) refused by the system: a
    read-only share, someone else's folder, a file where the folder should be. Said with what
    and why; any other failure is left to the caller (a missing file elsewhere is a bug)."""
    if not isinstance(error, OSError) or error.errno not in _OS_REASONS or not error.filename:
        return None
    where, folder = Path(str(error.filename)).absolute(), Path(directory).absolute()
    if where != folder and folder not in where.parents and where not in folder.parents:
        return None
    log.info("%s", error, exc_info=error)
    return StoreError(FILE_PROBLEM, path=where, reason=plain_reason(error))


def _check_in_full_at_next_start(store_file: str) -> None:
    """Damage met while the program runs (a read that fails half-way through a table): the
    next start runs the full check and repairs the store from its backups, as after a daily
    backup that failed its check. The quick check alone may not see what a read ran into."""
    if not store_file:
        return
    # Imported when used: backups imports this module.
    from crm_desktop.storage import backups

    try:
        backups.request_full_check(Path(store_file).parent)
    except OSError:
        log.warning("could not ask for a full check of %s", store_file, exc_info=True)
