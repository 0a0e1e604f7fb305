"""A real main window on a fresh profile, driven offscreen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from crm_desktop.app import build_main_window
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.record_form import RecordForm
from tests.views.helpers import wait_idle


@pytest.fixture
def window(qtbot: QtBot, profile_dir: Path) -> Iterator[MainWindow]:
    main = build_main_window(profile_dir)
    qtbot.addWidget(main)
    main.show()
    wait_idle(qtbot, main)
    yield main
    for form in main.findChildren(RecordForm):
        form.done(0)  # a test may leave typed input behind; closing would ask about it
    main.close()
    main.profile.close()
