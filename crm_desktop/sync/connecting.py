"""Linking a profile to a server: check the address and password, then remember them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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


def connect_profile(
    store: Store,
    server: str,
    login: str,
    password: str | None,
    ca: str | None = None,
    no_tls: bool = False,
) -> Connected:
    """Raises SyncError (wrong password, unreachable, bad certificate...) and changes nothing.

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
    connection = links.open_connection(link, password)
    try:
        check_server(connection)
    finally:
        connection.close()
    store.set_setting(links.SERVER_KEY, link.server)
    store.set_setting(links.LOGIN_KEY, login)
    saved = password is not None and links.save_password(link, password)
    return Connected(login, saved, password is not None, None if saved else password)


def _readable_ca(ca: str) -> str:
    path = Path(ca).expanduser().absolute()
    try:
        with path.open("rb"):
            pass
    except OSError:
        raise SyncError(SyncProblem.CA_FILE, str(path)) from None
    return str(path)
