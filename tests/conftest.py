"""Fixtures shared by the whole suite: a fresh profile per test, copied from a migrated template."""

from __future__ import annotations

import os
import shutil
import time as clock
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from crm_desktop.profile import Profile, open_profile
from crm_desktop.storage.store import STORE_FILE
from crm_desktop.views import garbage

# The throwaway PostgreSQL server and pgbouncer (started only when a test asks for them).
pytest_plugins = ["tests.postgres", "tests.pgbouncer"]


@pytest.fixture(scope="session")
def template_profile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A profile migrated once per run; each test copies it instead of migrating again."""
    directory = tmp_path_factory.mktemp("template-profile")
    open_profile(directory).close()
    return directory


@pytest.fixture
def profile_dir(tmp_path: Path, template_profile_dir: Path) -> Path:
    directory = tmp_path / "profile"
    directory.mkdir()
    shutil.copyfile(template_profile_dir / STORE_FILE, directory / STORE_FILE)
    return directory


@pytest.fixture
def profile(profile_dir: Path) -> Iterator[Profile]:
    opened = open_profile(profile_dir)
    yield opened
    opened.close()


@pytest.fixture(scope="session", autouse=True)
def english_translations(qapp: object) -> None:
    """The program's English translation (its plural forms: "2 contracts", not "2 contract(s)")
    for every test, as the window installs it, so no test depends on a window test running
    first."""
    from crm_desktop.app import install_translators

    install_translators(qapp, "en")  # type: ignore[arg-type]


@pytest.fixture(scope="session", autouse=True)
def collector_on_the_gui_thread(qapp: QApplication) -> garbage.GuiThreadCollector:
    """Cycles collected on the GUI thread, as the window does (see views/garbage.py): never on a
    storage thread that happens to allocate while a test's pages are being torn down."""
    return garbage.install(qapp)


@pytest.fixture(autouse=True)
def collect_due_garbage(
    collector_on_the_gui_thread: garbage.GuiThreadCollector,
) -> Iterator[None]:
    """Between tests, which may not run the event loop long enough for the collector's timer."""
    yield
    collector_on_the_gui_thread.collect_due()


@pytest.fixture
def shanghai(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The user's clock eight hours ahead of UTC, so a wrong conversion shows."""
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    clock.tzset()
    yield
    monkeypatch.undo()
    clock.tzset()
