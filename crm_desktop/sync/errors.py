"""Sync failures sorted by what the user can do about them."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication


class SyncProblem(StrEnum):
    NOT_CONNECTED = "not_connected"  # the profile has no server yet
    OFFLINE = "offline"  # server unreachable: keep working, try later
    # Connecting (no link made yet): no server answered there, so nothing is "sent later".
    UNREACHABLE = "unreachable"
    AUTH = "auth"  # wrong or missing password: ask again
    # The login exists but may not log in (deactivated): another password would not help.
    LOGIN_DISABLED = "login_disabled"
    CERTIFICATE = "certificate"  # TLS certificate not trusted
    NO_TLS = "no_tls"  # TLS required, but the server offers none
    CA_FILE = "ca_file"  # the CA certificate file given cannot be read
    NOT_A_CA_FILE = "not_a_ca_file"  # the file given as the CA certificate holds none
    ADDRESS = "address"  # the server address cannot be parsed
    UPGRADE = "upgrade"  # the server's schema is newer than this program
    # The server's schema is older than this program can sync with: the admin upgrades it.
    SERVER_OUTDATED = "server_outdated"
    # The user's office has not started using the CRM: he logs in but may see nothing yet.
    OFFICE_NOT_LIVE = "office_not_live"
    # The server answered, but has no database of the name the address gives.
    NO_DATABASE = "no_database"
    # The server answered, but lets no one in from this computer (its pg_hba.conf).
    HOST_NOT_ALLOWED = "host_not_allowed"
    SERVER = "server"  # anything else the server said


MESSAGES = {
    SyncProblem.NOT_CONNECTED: QT_TRANSLATE_NOOP(
        "SyncError", "This profile is not connected to a server; use Connect first."
    ),
    SyncProblem.OFFLINE: QT_TRANSLATE_NOOP(
        "SyncError",
        "The server cannot be reached; your changes are kept and sent at the next sync.",
    ),
    SyncProblem.UNREACHABLE: QT_TRANSLATE_NOOP(
        "SyncError",
        "The server cannot be reached; check the address and that the server is running.",
    ),
    SyncProblem.AUTH: QT_TRANSLATE_NOOP(
        "SyncError", "The server did not accept the user name or password."
    ),
    SyncProblem.LOGIN_DISABLED: QT_TRANSLATE_NOOP(
        "SyncError",
        "Your login has been switched off on the server, so this computer cannot sync; your "
        "changes are kept. Ask your administrator.",
    ),
    SyncProblem.CERTIFICATE: QT_TRANSLATE_NOOP(
        "SyncError",
        "The server's security certificate is not trusted; ask your administrator.",
    ),
    # Names the Connect dialog's checkbox (ConnectDialog's "Connect without encryption": keep
    # the two translations alike) and the command line's flag.
    SyncProblem.NO_TLS: QT_TRANSLATE_NOOP(
        "SyncError",
        "The server does not offer an encrypted connection; ask your administrator to turn TLS "
        "on, or, if this network is trusted, tick “Connect without encryption” (on the command "
        "line: --no-tls).",
    ),
    SyncProblem.CA_FILE: QT_TRANSLATE_NOOP(
        "SyncError", "The CA certificate file {detail} cannot be read."
    ),
    SyncProblem.NOT_A_CA_FILE: QT_TRANSLATE_NOOP(
        "SyncError",
        "The file {detail} holds no certificate; choose the CA certificate file (often "
        "ca.pem or ca.crt) your administrator gave you.",
    ),
    # No detail: libpq's parse error quotes the address, which may hold a password.
    SyncProblem.ADDRESS: QT_TRANSLATE_NOOP(
        "SyncError",
        "The server address is not valid; write it as HOST, HOST:PORT/DATABASE or "
        "postgresql://HOST:PORT/DATABASE.",
    ),
    SyncProblem.UPGRADE: QT_TRANSLATE_NOOP(
        "SyncError",
        "The server was upgraded; please upgrade this program. Your changes are kept.",
    ),
    SyncProblem.SERVER_OUTDATED: QT_TRANSLATE_NOOP(
        "SyncError",
        "The server has an older version of the CRM than this program; ask your administrator "
        "to run “crm-desktop server upgrade”. Your changes are kept.",
    ),
    SyncProblem.OFFICE_NOT_LIVE: QT_TRANSLATE_NOOP(
        "SyncError",
        "Your office “{detail}” is not using the CRM yet; your administrator will tell you when "
        "it starts. Your work stays on this computer.",
    ),
    SyncProblem.NO_DATABASE: QT_TRANSLATE_NOOP(
        "SyncError",
        "The server answered, but has no database “{detail}”; check the address (the part "
        "after the last /) with your administrator.",
    ),
    SyncProblem.HOST_NOT_ALLOWED: QT_TRANSLATE_NOOP(
        "SyncError",
        "The server answered, but does not let this computer in; ask your administrator to "
        "allow it (pg_hba.conf).",
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
