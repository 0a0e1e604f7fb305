"""Linking a profile to a server: check the address and password, then remember them."""

from __future__ import annotations

from dataclasses import dataclass

from crm_desktop.storage.store import Store
from crm_desktop.sync import link as links
from crm_desktop.sync.engine import check_server


@dataclass(frozen=True)
class Connected:
    login: str
    password_saved: bool  # False: no keyring here, libpq's PGPASSWORD / .pgpass is used


def connect_profile(store: Store, server: str, login: str, password: str | None) -> Connected:
    """Raises SyncError (wrong password, unreachable, bad certificate...) and changes nothing."""
    link = links.ServerLink(server, login)
    connection = links.open_connection(link, password)
    try:
        check_server(connection)
    finally:
        connection.close()
    store.set_setting(links.SERVER_KEY, server)
    store.set_setting(links.LOGIN_KEY, login)
    saved = password is not None and links.save_password(link, password)
    return Connected(login, saved)
