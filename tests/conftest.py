"""Fixtures shared by the whole suite: a fresh profile per test, copied from a migrated template."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from crm_desktop.profile import Profile, open_profile
from crm_desktop.storage.store import STORE_FILE

# The throwaway PostgreSQL server (started only when a test asks for it).
pytest_plugins = ["tests.postgres"]


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
