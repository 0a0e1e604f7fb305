"""Which server a profile syncs with, as whom, and how the password is found.

The password lives in the OS keyring, never in a file. Where no keyring exists (a headless
Linux box), libpq's own PGPASSWORD or ~/.pgpass is used instead.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import keyring
import keyring.errors
import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from crm_desktop.storage.store import Store
from crm_desktop.sync.errors import SyncError, SyncProblem

KEYRING_SERVICE = "crm-desktop"
SERVER_KEY = "sync_server"
LOGIN_KEY = "sync_login"
DEVICE_KEY = "sync_device_id"
CONNECT_TIMEOUT_S = 10


@dataclass(frozen=True)
class ServerLink:
    server: str  # libpq URL or key=value string, without a password
    login: str

    @property
    def keyring_name(self) -> str:
        params = conninfo_to_dict(self.server)
        where = f"{params.get('host', 'localhost')}:{params.get('port', 5432)}"
        return f"{self.login}@{where}/{params.get('dbname', '')}"

    def dsn(self, password: str | None) -> str:
        params = conninfo_to_dict(self.server)
        params["user"] = self.login
        params.setdefault("connect_timeout", str(CONNECT_TIMEOUT_S))
        params.setdefault("application_name", "crm-desktop")
        if password:
            params["password"] = password
        return make_conninfo(**params)


def keyring_available() -> bool:
    backend = keyring.get_keyring()
    return getattr(backend, "priority", 0) > 0 and "fail" not in type(backend).__module__


def save_password(link: ServerLink, password: str) -> bool:
    """Keep the password in the OS keyring; False where there is none (use PGPASSWORD)."""
    if not keyring_available():
        return False
    try:
        keyring.set_password(KEYRING_SERVICE, link.keyring_name, password)
    except keyring.errors.KeyringError:
        return False
    return True


def stored_password(link: ServerLink) -> str | None:
    if not keyring_available():
        return None
    try:
        return keyring.get_password(KEYRING_SERVICE, link.keyring_name)
    except keyring.errors.KeyringError:
        return None


def link_of(store: Store) -> ServerLink | None:
    server, login = store.setting(SERVER_KEY), store.setting(LOGIN_KEY)
    return ServerLink(server, login) if server and login else None


def device_id(store: Store) -> str:
    """This profile's id for push receipts; made once."""
    existing = store.setting(DEVICE_KEY)
    if existing:
        return existing
    made = str(uuid.uuid4())
    store.set_setting(DEVICE_KEY, made)
    return made


def open_connection(link: ServerLink, password: str | None = None) -> psycopg.Connection:
    """Connect as the user; failures become a SyncError saying what to do."""
    password = password if password is not None else stored_password(link)
    try:
        # No server-side prepared statements: pgbouncer's transaction pooling would break them.
        return psycopg.connect(link.dsn(password), prepare_threshold=None)
    except psycopg.OperationalError as error:
        raise classify_connect_error(error) from None


def classify_connect_error(error: psycopg.Error) -> SyncError:
    text = str(error).lower()
    if "password" in text or "authentication" in text or ("role" in text and "exist" in text):
        return SyncError(SyncProblem.AUTH)
    if "certificate" in text or ("ssl" in text and "verify" in text):
        return SyncError(SyncProblem.CERTIFICATE)
    return SyncError(SyncProblem.OFFLINE)
