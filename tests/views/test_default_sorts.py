"""Each list opens in its intended order on a fresh profile, with empty values last
(issue 8, defect 9)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from crm_desktop.app import build_main_window
from crm_desktop.models.base import utcnow
from crm_desktop.profile import open_profile
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.record_tabs import TABS
from tests.views.helpers import cell, rows_loaded, wait_idle


@pytest.fixture
def main(qtbot: QtBot, profile_dir: Path) -> Iterator[MainWindow]:
    profile = open_profile(profile_dir)
    try:
        writer = profile.writer()
        customer = writer.create("customers", {"name": "Acme"}).primary_id
        soon = utcnow().replace(microsecond=0) + timedelta(days=1)
        for title, due in (("A no date", None), ("B later", soon + timedelta(days=1))):
            writer.create("tasks", {"title": title, "due_at": due})
        writer.create("tasks", {"title": "C sooner", "due_at": soon})
        for title, close in (
            ("A no date", None),
            ("B later", date(2027, 3, 1)),
            ("C sooner", date(2027, 1, 1)),
        ):
            writer.create(
                "opportunities",
                {"customer_id": customer, "title": title, "stage": "lead", "expected_close": close},
            )
    finally:
        profile.close()
    window = build_main_window(profile_dir)
    qtbot.addWidget(window)
    window.show()
    wait_idle(qtbot, window)
    yield window
    window.close()
    window.profile.close()


def titles_on_tab(qtbot: QtBot, main: MainWindow, entity: str) -> list[str | None]:
    main.tabs.setCurrentIndex([name for name, _ in TABS].index(entity))
    model = main.models[entity]
    qtbot.waitUntil(lambda: model.rowCount() == 3, timeout=5000)
    rows_loaded(qtbot, main, model)
    return [cell(model, row, "title") for row in range(model.rowCount())]


@pytest.mark.parametrize(
    ("entity", "key"), [("tasks", "due_at"), ("opportunities", "expected_close")]
)
def test_lists_open_in_their_intended_order(
    qtbot: QtBot, main: MainWindow, entity: str, key: str
) -> None:
    model = main.models[entity]
    header = main.views[entity].horizontalHeader()
    column = model.spec.column_keys().index(key)
    assert (model.query.sort, model.query.descending) == (key, False)
    assert header.sortIndicatorSection() == column
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert titles_on_tab(qtbot, main, entity) == ["C sooner", "B later", "A no date"]

    # Turned round, the dated rows swap and the undated one stays last.
    header.setSortIndicator(column, Qt.SortOrder.DescendingOrder)
    wait_idle(qtbot, main)
    assert titles_on_tab(qtbot, main, entity) == ["B later", "C sooner", "A no date"]
