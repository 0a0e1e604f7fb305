"""Which server a profile syncs with, as whom, and how the password is found.

The password lives in the OS keyring, never in a file. Where no keyring exists (a headless
Linux box), libpq's own PGPASSWORD or ~/.pgpass is used instead. The stored address holds
neither a password nor a user name (the login is kept apart), but does hold the TLS settings
chosen at connect (see tls.py), so every sync is encrypted and verified the same way.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import threading
import unicodedata
import uuid
import weakref
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import keyring
import keyring.backend
import keyring.core
import keyring.errors
import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from crm_desktop.storage.store import Store
from crm_desktop.sync import tls
from crm_desktop.sync.errors import SyncError, SyncProblem

log = logging.getLogger(__name__)

KEYRING_SERVICE = "crm-desktop"
SERVER_KEY = "sync_server"
LOGIN_KEY = "sync_login"
DEVICE_KEY = "sync_device_id"
CONNECT_TIMEOUT_S = 10
# A connection that dies during a sync (a laptop's Wi-Fi gone, a NAT that forgot it) must fail
# within about a minute, not after the operating system's default of two hours and more. While
# the device waits for the server, TCP keepalives probe it: the first after KEEPALIVE_IDLE_S of
# silence, then every KEEPALIVE_INTERVAL_S, dead after KEEPALIVE_COUNT unanswered (50 s). While
# it sends (a push), data the server has not acknowledged within TCP_USER_TIMEOUT_MS ends it.
# A slow query on a live server is answered by its TCP stack, so neither cuts it short.
KEEPALIVE_IDLE_S = 20
KEEPALIVE_INTERVAL_S = 10
KEEPALIVE_COUNT = 3
TCP_USER_TIMEOUT_MS = 60_000
# How long asking the server to stop a running statement may take (see cancel_connections).
CANCEL_TIMEOUT_S = 2.0


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
        # An address written with its own keepalive settings keeps them.
        params.setdefault("keepalives", "1")
        params.setdefault("keepalives_idle", str(KEEPALIVE_IDLE_S))
        params.setdefault("keepalives_interval", str(KEEPALIVE_INTERVAL_S))
        params.setdefault("keepalives_count", str(KEEPALIVE_COUNT))
        params.setdefault("tcp_user_timeout", str(TCP_USER_TIMEOUT_MS))
        params.setdefault("application_name", "crm-desktop")
        if password:
            params["password"] = password
        return make_conninfo(**params)

    @property
    def unencrypted(self) -> bool:
        """Another computer reached without TLS (connected with --no-tls)."""
        return tls.is_unencrypted(self._params())

    @property
    def ca_file(self) -> str:
        """The CA file the server's certificate is verified with; "" for none."""
        root = self._params().get("sslrootcert", "")
        return "" if root == "system" else str(root)

    def _params(self) -> dict[str, str]:
        try:
            return conninfo_to_dict(self.server)
        except psycopg.ProgrammingError:
            return {}


DEFAULT_DATABASE = "crm"  # a plain address (no postgresql://, no key=value) without a database
_URL_SCHEMES = ("postgresql://", "postgres://")  # libpq's own test for a URL
_KEY_VALUE = re.compile(r"\s*\w+\s*=")  # `host=...`; a plain address may hold `?sslmode=` later
# Options libpq (or psycopg, for connect_timeout) reads as whole numbers; a word there fails
# only when connecting, and psycopg's own check raises ProgrammingError, not a connect error.
_INTEGER_OPTIONS = (
    "connect_timeout",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_count",
    "tcp_user_timeout",
)


def parse_address(server: str) -> tuple[dict[str, str], str | None]:
    """The address's libpq parameters without user or password, and the password it held.

    Takes the URL form (`postgresql://user:pw@host/db`, `?password=`), key=value strings, and a
    plain address as people write one: `HOST`, `HOST:PORT`, `[IPv6]:PORT`, with `/DATABASE`
    after it or else DEFAULT_DATABASE. Raises SyncError(ADDRESS) for anything libpq would
    refuse or misread (a port that is not a number, an empty `host=`, an unknown sslmode...).
    """
    text = server.strip()
    plain = not text.lower().startswith(_URL_SCHEMES) and not _KEY_VALUE.match(text)
    if plain:
        text = _as_meant(text)
    try:
        params = conninfo_to_dict(_plain_as_url(text) if plain else text)
    except psycopg.ProgrammingError:
        raise SyncError(SyncProblem.ADDRESS) from None
    password = params.pop("password", None) or None
    params.pop("user", None)  # the login is kept on its own (--user)
    found = {key: str(value) for key, value in params.items()}
    if plain:
        found.setdefault("dbname", DEFAULT_DATABASE)
    if not _valid(found):
        raise SyncError(SyncProblem.ADDRESS)
    return found, password


def _as_meant(text: str) -> str:
    """The host, port and database of a plain address as a Chinese input method types them
    read as meant: full-width "：", "／" and digits, "。" for a dot. Only those: a password
    before the "@" or a file's path after the "?" is kept exactly as typed."""
    login, at, rest = text.rpartition("@")
    place, question, options = rest.partition("?")
    place = unicodedata.normalize("NFKC", place).replace("。", ".")
    return f"{login}{at}{place}{question}{options}"


def _plain_as_url(text: str) -> str:
    """`HOST[:PORT][/DATABASE]` read the way libpq reads the same after postgresql://."""
    if not text or any(character.isspace() for character in text):
        raise SyncError(SyncProblem.ADDRESS)
    try:
        if ipaddress.ip_address(text).version == 6:  # `::1` alone: its colons are no port
            text = f"[{text}]"
    except ValueError:
        pass
    return f"postgresql://{text}"


def _valid(params: dict[str, str]) -> bool:
    # Written but empty: libpq would quietly fall back to this computer's socket.
    if any(params.get(key) == "" for key in ("host", "hostaddr", "port", "dbname")):
        return False
    if params.get("host", "").startswith("["):  # `host=[::1]`: brackets belong to URLs only
        return False
    ports = params.get("port", "").split(",") if "port" in params else []
    if not all(_valid_port(port, len(ports) > 1) for port in ports):
        return False
    for hostaddr in params.get("hostaddr", "").split(",") if "hostaddr" in params else []:
        try:
            ipaddress.ip_address(hostaddr.strip())
        except ValueError:
            return False
    if "sslmode" in params and params["sslmode"] not in tls.SSLMODES:
        return False
    return all(_is_integer(params[key]) for key in _INTEGER_OPTIONS if key in params)


def _valid_port(port: str, one_of_many: bool) -> bool:
    port = port.strip()
    if not port:  # in a list of hosts, an empty port is that host's default
        return one_of_many
    return port.isascii() and port.isdigit() and 0 < int(port) < 65536


def _is_integer(value: str) -> bool:
    try:
        int(value.strip())
    except ValueError:
        return False
    return True


def address(params: dict[str, str]) -> str:
    return make_conninfo(**params)


def as_url(server: str) -> str:
    """The stored address the way people write it, postgresql://HOST:PORT/DB?sslmode=..., for
    showing; it reads back as the same parameters. A socket path or an unreadable address is
    shown as stored."""
    try:
        params = {key: str(value) for key, value in conninfo_to_dict(server).items()}
    except psycopg.ProgrammingError:
        return server
    host = params.pop("host", "")
    if host.startswith("/") or "," in host:
        return server
    port = params.pop("port", "")
    dbname = params.pop("dbname", "")
    where = (f"[{host}]" if ":" in host else quote(host)) + (f":{port}" if port else "")
    query = f"?{urlencode(params)}" if params else ""
    return f"postgresql://{where}/{quote(dbname)}{query}"


def keyring_available() -> bool:
    """A keyring that keeps passwords safe: the OS's own, or one the user chose himself.

    keyring ranks the OS keyrings at 1 and above; below are fallbacks such as keyrings.alt's
    files (plain text, or one that asks for its password on the terminal), used only when named
    in PYTHON_KEYRING_BACKEND or keyringrc.cfg, never because they happen to be installed.
    """
    backend = keyring.get_keyring()
    priority = getattr(backend, "priority", 0)
    if priority <= 0 or "fail" in type(backend).__module__:
        return False
    return priority >= 1 or _chosen_by_user(backend)


def _chosen_by_user(backend: keyring.backend.KeyringBackend) -> bool:
    try:
        chosen = keyring.core.load_env() or keyring.core.load_config()
    except Exception:  # a broken keyring configuration: treat it as no choice
        return False
    return chosen is not None and type(chosen) is type(backend)


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
    """The profile's server, never with a password (an old profile's is left out here; the next
    sync moves it, see move_stored_password)."""
    server, login = store.setting(SERVER_KEY), store.setting(LOGIN_KEY)
    if not (server and login):
        return None
    try:
        params, _password = parse_address(server)
    except SyncError:  # unreadable: libpq will say so when it connects
        return ServerLink(server, login)
    if "sslmode" not in params:
        # Linked by an older version, which left libpq's `prefer`: that falls back to plain
        # text without a word. Another computer is reached with TLS only, as at connect.
        params = tls.with_tls(params)
    return ServerLink(address(params), login)


def move_stored_password(store: Store) -> str | None:
    """Older versions stored the address as typed, password included: move that password into
    the keyring (where there is one) and store the address without it or a user name.

    Returns the password only where no keyring could take it, for this one sync to use.
    """
    server, login = store.setting(SERVER_KEY), store.setting(LOGIN_KEY)
    if not (server and login):
        return None
    try:
        raw = conninfo_to_dict(server)
    except psycopg.ProgrammingError:
        return None
    if "password" not in raw and "user" not in raw:
        return None
    params, password = parse_address(server)
    link = ServerLink(address(params), login)
    dropped = None
    # A password already in the keyring is the one the old version used: it overrode this one.
    if password and stored_password(link) is None and not save_password(link, password):
        log.warning("the stored server address held a password; there is no keyring to keep it")
        dropped = password
    store.set_setting(SERVER_KEY, link.server)
    return dropped


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
        connection = psycopg.connect(link.dsn(password), prepare_threshold=None)
    except psycopg.OperationalError as error:
        raise classify_connect_error(error) from None
    # Each transaction says it: the server takes changes only in READ COMMITTED (revision
    # 0021), whatever default an administrator gave the database. The pull's read asks for
    # its own snapshot (REPEATABLE READ, READ ONLY) in its first statement.
    connection.isolation_level = psycopg.IsolationLevel.READ_COMMITTED
    _remember(connection)
    return connection


# The connections open_connection made, by the thread that made them, so that the window can
# stop a sync that waits on the server (a lock another session holds) when it closes: the
# sync engine opens and closes its own connection and hands it to nobody. Held weakly: a
# closed and forgotten connection leaves on its own.
_opened: dict[int, weakref.WeakSet[psycopg.Connection]] = {}
_opened_lock = threading.Lock()


def _remember(connection: psycopg.Connection) -> None:
    thread = threading.get_ident()
    with _opened_lock:
        for other in [key for key, found in _opened.items() if not found]:
            del _opened[other]  # threads whose connections are all gone
        _opened.setdefault(thread, weakref.WeakSet()).add(connection)


def cancel_connections(thread: int, timeout: float = CANCEL_TIMEOUT_S) -> int:
    """Ask the server to stop whatever the open connections made on `thread` are running;
    returns how many were asked. Safe from any thread. The statement stopped fails on its
    own thread (QueryCanceled) and its transaction is rolled back, so nothing is half done:
    a push cut short is answered from its receipts at the next sync. A server that does not
    answer within `timeout` is not waited for."""
    with _opened_lock:
        found = [connection for connection in _opened.get(thread, ()) if not connection.closed]
    for connection in found:
        try:
            connection.cancel_safe(timeout=timeout)
        except (psycopg.Error, OSError):  # unreachable: the keepalives end it soon enough
            log.info("could not ask the server to stop a running statement", exc_info=True)
    return len(found)


# SQLSTATE classes a failed connection can carry when the server answered. Class 28 is
# invalid_authorization_specification (28000: no such role, no pg_hba entry) and
# invalid_password (28P01).
_AUTH_SQLSTATE_CLASS = "28"
_OFFLINE_SQLSTATE_CLASSES = ("08", "57", "53")  # connection lost, shutting down, out of room


# FATAL 3D000 as the server words it, in English or Chinese: the database the address names.
_NO_DATABASE = re.compile(r'(?:database|数据库) "(?P<name>[^"]+)" (?:does not exist|不存在)')


def classify_connect_error(error: psycopg.Error) -> SyncError:
    """Sort a failed connection by its SQLSTATE first: the server's words are in its own
    language (lc_messages: a Chinese server answers in Chinese), its codes are not."""
    code = error.sqlstate or ""
    if code.startswith(_AUTH_SQLSTATE_CLASS):
        return SyncError(SyncProblem.AUTH)
    if code.startswith(_OFFLINE_SQLSTATE_CLASSES):
        return SyncError(SyncProblem.OFFLINE)
    if code:  # the server answered, with a refusal of its own (out of memory, a lock...)
        return SyncError(SyncProblem.SERVER, error.diag.message_primary or str(error))
    # Fallback on libpq's own words, only for what has no code: libpq's client-side failures
    # (no TLS offered, certificate not verified, refused, timed out, "no password supplied")
    # are never given an SQLSTATE, and psycopg (3.3) leaves `sqlstate` None for every error
    # raised while connecting, the server's FATAL 28P01 included: libpq keeps that code in a
    # result it does not hand out. These client-side messages are libpq's, in English unless
    # libpq itself was built with translations and the client's locale asks for them.
    # The server's own FATAL words are in its language: English, or (lc_messages) those of
    # PostgreSQL's catalogue for it, of which Chinese is matched here too.
    text = str(error).lower()
    if "not permitted to log in" in text or ("不允许角色" in text and "登录" in text):
        return SyncError(SyncProblem.LOGIN_DISABLED)  # FATAL 28000 for a login switched off
    if "does not support ssl" in text:  # "server does not support SSL, but SSL was required"
        return SyncError(SyncProblem.NO_TLS)
    if missing := _NO_DATABASE.search(str(error)):
        return SyncError(SyncProblem.NO_DATABASE, missing["name"])
    if "pg_hba.conf" in text:
        return SyncError(SyncProblem.HOST_NOT_ALLOWED)
    if (
        "password" in text
        or "authentication" in text
        or ("role" in text and "exist" in text)
        or "认证失败" in text
        or ("角色" in text and "不存在" in text)
    ):
        return SyncError(SyncProblem.AUTH)
    if "certificate" in text or ("ssl" in text and "verify" in text):
        return SyncError(SyncProblem.CERTIFICATE)
    return SyncError(SyncProblem.OFFLINE)
