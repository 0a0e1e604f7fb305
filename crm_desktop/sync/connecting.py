"""Linking a profile to a server: check the address and password, then remember them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from crm_desktop.storage.store import Store
from crm_desktop.sync import link as links
from crm_desktop.sync import tls
from crm_desktop.sync.engine import check_server
from crm_desktop.sync.errors import SyncError, SyncProblem


@dataclass(frozen=True)
class Connected:
    login: str
    password_saved: bool  # False: no keyring here, libpq's PGPASSWORD / .pgpass is used
    had_password: bool = False  # typed, or found in the address
    # The password when no keyring took it: for this session's syncs, held in memory only.
    session_password: str | None = field(default=None, repr=False)
    # The user's office when it is not live yet: linked, but his syncs wait until it is.
    office_waiting: str | None = None


@dataclass(frozen=True)
class Checked:
    """A server that let this login in, not remembered yet: what `remember` stores."""

    link: links.ServerLink
    login: str
    password: str | None = field(repr=False)
    office_waiting: str | None = None


def connect_profile(
    store: Store,
    server: str,
    login: str,
    password: str | None,
    ca: str | None = None,
    no_tls: bool = False,
) -> Connected:
    """Check the server (`check_connection`), then link the profile to it (`remember`).
    Raises SyncError and changes nothing when the check fails."""
    return remember(store, check_connection(server, login, password, ca, no_tls))


def check_connection(
    server: str,
    login: str,
    password: str | None,
    ca: str | None = None,
    no_tls: bool = False,
) -> Checked:
    """Connect and check the server, storing nothing (the first-run wizard's *Test connection*
    asks before the user has decided to link). Raises SyncError (wrong password, unreachable,
    bad certificate...). A user whose office is not live yet passes (`Checked.office_waiting`).

    `server` is a postgresql:// URL, a key=value string or a plain HOST[:PORT][/DATABASE]
    (database `crm` when none is named; see links.parse_address). A server that cannot be
    reached is UNREACHABLE here, not OFFLINE: there is no link yet to send changes over.

    A password inside `server` is used when none was typed (a typed one wins) and goes to the
    keyring like a typed one; the address is stored without it. `ca` (a CA certificate file)
    makes the link verify the server's certificate and name; `no_tls` turns encryption off.
    Without either, another computer is reached with TLS only (tls.with_tls).
    """
    params, password_in_address = links.parse_address(server)
    password = password or password_in_address
    if ca:
        ca = _readable_ca(ca)
    elif params.get("sslrootcert", "system") != "system":
        # Stored absolute, so a later sync from another working directory checks the same file.
        params["sslrootcert"] = str(Path(params["sslrootcert"]).expanduser().absolute())
    link = links.ServerLink(links.address(tls.with_tls(params, ca, no_tls)), login)
    waiting = None
    try:
        connection = _open(link, password)
        try:
            check_server(connection)
        except SyncError as error:
            if error.problem is not SyncProblem.OFFICE_NOT_LIVE:
                raise
            # Login and password are right; only his office has not started. Let through: once
            # linked, the first sync after it goes live just works, with nothing more to type.
            waiting = error.detail
        except psycopg.OperationalError as error:  # the connection was lost while checking
            raise links.classify_connect_error(error) from None
        except psycopg.Error as error:
            # Anything else the server refused while checking: a login `server add-user` did
            # not make, with no right to read the schema's version, is refused there.
            raise SyncError(SyncProblem.SERVER, error.diag.message_primary or str(error)) from None
        finally:
            connection.close()
    except SyncError as error:
        raise _first_connect(error) from None
    return Checked(link, login, password, waiting)


def remember(store: Store, checked: Checked) -> Connected:
    """Link the profile to a server that passed `check_connection`: its address and login in
    the store, the password in the keyring where there is one."""
    store.set_setting(links.SERVER_KEY, checked.link.server)
    store.set_setting(links.LOGIN_KEY, checked.login)
    password = checked.password
    saved = password is not None and links.save_password(checked.link, password)
    return Connected(
        checked.login,
        saved,
        password is not None,
        None if saved else password,
        checked.office_waiting,
    )


def _open(link: links.ServerLink, password: str | None) -> psycopg.Connection:
    try:
        return links.open_connection(link, password)
    except psycopg.ProgrammingError:  # psycopg's own reading of an option parse_address let by
        raise SyncError(SyncProblem.ADDRESS) from None


def _first_connect(error: SyncError) -> SyncError:
    """OFFLINE promises that changes are sent later, which holds for a linked profile; here
    nothing was linked, so say what to check instead."""
    if error.problem is SyncProblem.OFFLINE:
        return SyncError(SyncProblem.UNREACHABLE)
    return error


# libpq reads a CA file as PEM certificates; a PEM file says so near its start (a comment or a
# bundle's header may come before the first one).
PEM_CERTIFICATE = b"-----BEGIN CERTIFICATE-----"
CA_FILE_LOOKED_AT = 64 * 1024


def _readable_ca(ca: str) -> str:
    """The CA file's path, once it reads as certificates: a wrong file chosen (a key, a
    document) is said as such, not as the server's certificate not being trusted."""
    path = Path(ca).expanduser().absolute()
    try:
        with path.open("rb") as file:
            start = file.read(CA_FILE_LOOKED_AT)
    except OSError:
        raise SyncError(SyncProblem.CA_FILE, str(path)) from None
    if PEM_CERTIFICATE not in start:
        raise SyncError(SyncProblem.NOT_A_CA_FILE, str(path))
    return str(path)
