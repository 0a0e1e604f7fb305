"""A real main window on a fresh profile, driven offscreen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from crm_desktop.profile import Profile, open_profile
from crm_desktop.sync import link
from crm_desktop.views import sync_controller
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.runner import Runner
from tests.views.helpers import FakeSync, shown_window


@pytest.fixture
def runner(profile: Profile) -> Iterator[Runner]:
    """A storage thread of its own, for a page tested without the main window."""
    runner = Runner(str(profile.store.path))
    yield runner
    runner.shutdown()


@pytest.fixture
def window(qtbot: QtBot, profile_dir: Path) -> Iterator[MainWindow]:
    yield from shown_window(qtbot, profile_dir)


@pytest.fixture
def fake_sync(monkeypatch: pytest.MonkeyPatch) -> FakeSync:
    """The sync controller's rounds run a FakeSync instead of talking to a server."""
    fake = FakeSync()
    monkeypatch.setattr(sync_controller, "sync_once", fake)
    return fake


@pytest.fixture
def linked_window(qtbot: QtBot, profile_dir: Path, fake_sync: FakeSync) -> Iterator[MainWindow]:
    """The real window on a profile linked to a server, its sync rounds run by `fake_sync`
    (the round the window starts runs the first script queued on it, if any)."""
    profile = open_profile(profile_dir)
    profile.store.set_setting(link.SERVER_KEY, "host=crm.example.com dbname=crm sslmode=require")
    profile.store.set_setting(link.LOGIN_KEY, "rob")
    profile.close()
    yield from shown_window(qtbot, profile_dir)
