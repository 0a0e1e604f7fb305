"""A profile: one folder holding one user's local store, settings and logs."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import select

from crm_desktop.models.choices import GRADE_SHARES_KEY, use_grade_shares
from crm_desktop.models.entities import (
    ENTERS_FOR_KEY,
    SCOPE_KEY,
    Scope,
    User,
    entered_for,
    owner_of_new_record,
)
from crm_desktop.models.phones import DEFAULT_REGION
from crm_desktop.services.writer import Writer
from crm_desktop.storage import backups, pool_due
from crm_desktop.storage.store import Store, sqlite_connection

APP_NAME = "crm-desktop"
USER_KEY = "current_user_id"
REGION_KEY = "phone_region"
LANGUAGE_KEY = "language"
# The first-run wizard: "pending" on a profile the program's start found without a user, until
# the wizard is finished ("done"). Absent on profiles made otherwise (the command line, tests,
# older versions), which never see the wizard unasked.
FIRST_RUN_KEY = "first_run"
FIRST_RUN_PENDING, FIRST_RUN_DONE = "pending", "done"


def default_profile_dir() -> Path:
    """`CRM_DESKTOP_PROFILE` if set, else the OS's per-user data folder."""
    override = os.environ.get("CRM_DESKTOP_PROFILE")
    if override:
        return Path(override)
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "profiles" / "default"


@dataclass
class Profile:
    store: Store
    user_id: str
    region: str
    # A clerk's reps (the sync keeps it up to date): whose his new records are.
    enters_for: list[str] = field(default_factory=list)

    def default_owner(self) -> str | None:
        """Whose a new record is unless the user names someone (None: he must choose)."""
        return owner_of_new_record(self.user_id, self.enters_for)

    def scope(self) -> Scope:
        """The user's role and whose customers he sees, as of the last sync."""
        return Scope.parse(self.store.setting(SCOPE_KEY))

    def pool_warning_days(self) -> int | None:
        """How many days ahead the owner is warned of a return to the pool (None: the rules
        never reached this device)."""
        with self.store.read() as session:
            return pool_due.warning_days(sqlite_connection(session))

    @property
    def directory(self) -> Path:
        return self.store.profile_dir

    def writer(self) -> Writer:
        return Writer(self.store, lambda: self.user_id, self.region)

    def close(self) -> None:
        self.store.close()


def open_profile(directory: Path | None = None) -> Profile:
    """Open a profile, creating its folder, store and local user on first use. Refused while
    another process restores or repairs it (what this one wrote would be lost)."""
    directory = directory or default_profile_dir()
    backups.check_not_restoring(directory)
    store = Store.open(directory)
    user_id = store.setting(USER_KEY)
    if user_id is None:
        user_id = _create_local_user(store)
    region = store.setting(REGION_KEY, DEFAULT_REGION) or DEFAULT_REGION
    use_grade_shares(store.setting(GRADE_SHARES_KEY))
    return Profile(store, user_id, region, entered_for(store.setting(ENTERS_FOR_KEY)))


def first_run_due(store: Store) -> bool:
    """Whether the window's start shows the first-run wizard; asked before open_profile makes
    the local user.

    A store without a first-run mark and without any user is one no start has finished making
    (every open_profile, the command line's included, makes its user straight after the store;
    a sync brings the server's), so it is marked pending here, before its user exists: a start
    killed anywhere on the way leaves either a store still without a user or the mark, and the
    wizard comes at the next start either way. Deciding by "the store file was not there when
    this start began" could not survive such a kill. A pending mark stays until the wizard is
    finished, so a wizard cancelled (or a program killed while it shows) comes back too."""
    mark = store.setting(FIRST_RUN_KEY)
    if mark is None:
        with store.read() as session:
            has_user = session.scalar(select(User.id).limit(1)) is not None
        if has_user:
            return False
        store.set_setting(FIRST_RUN_KEY, FIRST_RUN_PENDING)
        return True
    return mark == FIRST_RUN_PENDING


def finish_first_run(store: Store) -> None:
    store.set_setting(FIRST_RUN_KEY, FIRST_RUN_DONE)


def _create_local_user(store: Store) -> str:
    """Until a profile connects to a server, the person at the keyboard is its one admin user."""
    login = getpass.getuser() or "me"
    with store.write() as session:
        existing = session.scalar(select(User.id).where(User.login == login))
    if existing:
        store.set_setting(USER_KEY, existing)
        return existing
    changes = Writer(store, None).create("users", {"login": login, "name": login, "role": "admin"})
    assert changes.primary_id is not None
    store.set_setting(USER_KEY, changes.primary_id)
    return changes.primary_id
