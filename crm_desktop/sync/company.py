"""The company letterhead, read and changed from the window through the app's own connection.

The statements are the command line's (`server/admin.py`: `letterhead_on`,
`change_letterhead`); here they run as the signed-in user, so the server's policy lets every
user read the letterhead and only an administrator change it, and its CHECK constraints hold
each value to what a quote can print. A refusal is one sentence in the user's language.

The device prints quotes from its own copy, which each sync brings (sync/pull.py); these
functions are for the administrator's dialog only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

import psycopg
from PySide6.QtCore import QCoreApplication

from crm_desktop.profile import Profile
from crm_desktop.sync import link as links
from crm_desktop.sync.ownership import OwnershipRefused, open_server
from crm_desktop.sync.server.admin import (
    LETTERHEAD_LABELS,
    LetterheadRefused,
    ServerLetterhead,
    change_letterhead,
    check_letterhead,
    letterhead_on,
    read_logo,
)

T = TypeVar("T")


def read_letterhead(profile: Profile, password: str | None = None) -> ServerLetterhead:
    """The letterhead as the server holds it now, with who changed it last and when."""
    return _on_server(profile, password, letterhead_on)


def save_letterhead(
    profile: Profile, changes: Mapping[str, object], password: str | None = None
) -> ServerLetterhead:
    """Change the fields in `changes` (text by name; "logo": bytes, or None to remove it) in one
    transaction: a value the server refuses and none is changed. Returns it as it is after."""
    _refusal_in_words(check_letterhead, changes)  # before connecting: costs no login
    return _on_server(profile, password, lambda connection: change_letterhead(connection, changes))


def load_logo(path: str | Path) -> bytes:
    """A logo file's bytes, checked as the server will check them (PNG or JPEG by its own first
    bytes, at most 512 KiB); read off the GUI thread, as the file may sit on a network share."""
    return _refusal_in_words(read_logo, path)


def _on_server(
    profile: Profile,
    password: str | None,
    work: Callable[[psycopg.Connection], T],
) -> T:
    connection = open_server(profile, password)
    try:
        with connection.transaction():
            return _refusal_in_words(work, connection)
    except psycopg.OperationalError as error:
        raise links.classify_connect_error(error) from None
    finally:
        connection.close()


def _refusal_in_words(work: Callable[..., T], *args: object) -> T:
    """`work(*args)`, a LetterheadRefused raised as the window's known refusal, in the user's
    language (its field's label too)."""
    try:
        return work(*args)
    except LetterheadRefused as refused:
        values = dict(refused.values)
        if refused.field is not None:
            label = LETTERHEAD_LABELS[refused.field]
            values["field"] = QCoreApplication.translate("Letterhead", label)
        raise OwnershipRefused(refused.template, **values) from None
