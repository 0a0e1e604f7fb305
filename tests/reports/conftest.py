"""The reports' known store, fresh for each test."""

from __future__ import annotations

import pytest

from crm_desktop.profile import Profile
from tests.reports.known_store import Known, build_known


@pytest.fixture
def known(profile: Profile) -> Known:
    return build_known(profile)
