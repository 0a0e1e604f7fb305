"""Sync failures sorted by what the user can do about them."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication


class SyncProblem(StrEnum):
    NOT_CONNECTED = "not_connected"  # the profile has no server yet
    OFFLINE = "offline"  # server unreachable: keep working, try later
    AUTH = "auth"  # wrong or missing password: ask again
    CERTIFICATE = "certificate"  # TLS certificate not trusted
    UPGRADE = "upgrade"  # the server's schema is newer than this program
    SERVER = "server"  # anything else the server said


MESSAGES = {
    SyncProblem.NOT_CONNECTED: QT_TRANSLATE_NOOP(
        "SyncError", "This profile is not connected to a server; use Connect first."
    ),
    SyncProblem.OFFLINE: QT_TRANSLATE_NOOP(
        "SyncError", "The server cannot be reached; your changes are kept and sent later."
    ),
    SyncProblem.AUTH: QT_TRANSLATE_NOOP(
        "SyncError", "The server did not accept the user name or password."
    ),
    SyncProblem.CERTIFICATE: QT_TRANSLATE_NOOP(
        "SyncError",
        "The server's security certificate is not trusted; ask your administrator.",
    ),
    SyncProblem.UPGRADE: QT_TRANSLATE_NOOP(
        "SyncError",
        "The server was upgraded; please upgrade this program. Your changes are kept.",
    ),
    SyncProblem.SERVER: QT_TRANSLATE_NOOP("SyncError", "The server reported a problem: {detail}"),
}


class SyncError(Exception):
    """A sync that could not finish. Nothing local is lost: the outbox is kept."""

    def __init__(self, problem: SyncProblem, detail: str = "") -> None:
        self.problem = problem
        self.detail = detail
        super().__init__(self.text())

    def text(self) -> str:
        template = QCoreApplication.translate("SyncError", MESSAGES[self.problem])
        return template.format(detail=self.detail)
