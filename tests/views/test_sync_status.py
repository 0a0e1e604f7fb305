"""The sync area of the real window: progress reported from the sync thread reaches the status
line in words and grouped numbers, a few times a second at most."""

from __future__ import annotations

import queue
import threading
import time

import pytest
from PySide6.QtCore import QLocale
from pytestqt.qtbot import QtBot

from crm_desktop.models.entities import ENTITIES
from crm_desktop.sync.engine import Progress, SyncReport
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.sync_status import PROGRESS_EVERY_MS, RECEIVING, progress_text
from tests.views.helpers import FakeSync, wait_idle

Step = list[tuple[str, int, int]]


class ScriptedRound:
    """A sync round that reports what the test hands it, step by step, from the sync thread,
    and ends when handed None (`end`). Left waiting by a test that failed half-way, it gives up
    after a while, so that the window can close."""

    def __init__(self) -> None:
        self.steps: queue.Queue[Step | None] = queue.Queue()
        self.threads: set[int] = set()

    def __call__(self, progress: Progress) -> SyncReport:
        while (step := self.steps.get(timeout=20)) is not None:
            self.threads.add(threading.get_ident())
            for stage, done, total in step:
                progress(stage, done, total)
        return SyncReport()

    def end(self, qtbot: QtBot, window: MainWindow) -> None:
        with qtbot.waitSignal(window.sync.finished, timeout=5000):
            self.steps.put(None)
        wait_idle(qtbot, window)


@pytest.fixture
def scripted(fake_sync: FakeSync) -> ScriptedRound:
    """The round the window starts is scripted."""
    round_ = ScriptedRound()
    fake_sync.rounds.put(round_)
    return round_


@pytest.fixture
def syncing(
    qtbot: QtBot, scripted: ScriptedRound, linked_window: MainWindow
) -> tuple[MainWindow, ScriptedRound]:
    """The window, its first round under way (the test ends it)."""
    window = linked_window
    qtbot.waitUntil(lambda: window.sync_area.label.text() == "Syncing…", timeout=5000)
    assert not window.sync_area.button.isEnabled()
    return window, scripted


def test_progress_from_the_sync_thread_shows_in_words(
    qtbot: QtBot, syncing: tuple[MainWindow, ScriptedRound]
) -> None:
    window, round_ = syncing
    label = window.sync_area.label

    def shows(step: Step, text: str) -> None:
        round_.steps.put(step)
        qtbot.waitUntil(lambda: label.text() == text, timeout=5000)

    shows([("push", n, 100_000) for n in (500, 1000, 1200)], "Sending changes: 1,200 of 100,000")
    shows([("pull:customers", n, 0) for n in (5000, 35_000)], "Receiving customers: 35,000")
    shows([("pull:followups", 250, 0)], "Receiving follow-ups: 250")
    # Stages the sync may add later read as plain syncing, never as nothing.
    shows([("pull:apply", 10, 20)], "Syncing…: 10 of 20")
    shows([("verify", 7, 0)], "Syncing…: 7")
    assert round_.threads and threading.get_ident() not in round_.threads

    round_.end(qtbot, window)
    assert label.text() == "Online · 1 change waiting"  # the profile's own user, never sent
    assert window.sync_area.button.isEnabled()


def test_a_flood_of_progress_changes_the_line_a_few_times_a_second(
    qtbot: QtBot, syncing: tuple[MainWindow, ScriptedRound], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, round_ = syncing
    label = window.sync_area.label
    wait_idle(qtbot, window)
    shown: list[str] = []
    set_text = label.setText
    monkeypatch.setattr(label, "setText", lambda text: (shown.append(text), set_text(text)))

    rows = 20_000
    started = time.monotonic()
    round_.steps.put([("pull:customers", n, 0) for n in range(1, rows + 1)])
    qtbot.waitUntil(lambda: label.text() == "Receiving customers: 20,000", timeout=10000)
    elapsed_ms = (time.monotonic() - started) * 1000

    # The first report shows at once, the latest one at the end; between them the line
    # changes at most once per PROGRESS_EVERY_MS (Qt's coarse timers may fire 5% early).
    assert shown[-1] == "Receiving customers: 20,000"
    assert len(shown) <= 2 + elapsed_ms / (0.9 * PROGRESS_EVERY_MS), (len(shown), elapsed_ms)
    assert len(shown) < rows / 100
    round_.end(qtbot, window)


def test_numbers_are_grouped_the_way_the_language_groups_them(qapp: object) -> None:
    before = QLocale()
    try:
        QLocale.setDefault(QLocale("zh_CN"))
        assert progress_text("push", 1200, 100_000) == "Sending changes: 1,200 of 100,000"
        QLocale.setDefault(QLocale("de_DE"))
        assert progress_text("pull:customers", 35_000, 0) == "Receiving customers: 35.000"
    finally:
        QLocale.setDefault(before)


def test_every_synced_table_has_words_for_its_rows_arriving() -> None:
    assert set(RECEIVING) == {*ENTITIES, "ownership_history"}


def test_a_first_sync_says_when_it_prepares_search() -> None:
    assert progress_text("pull:search", 5000, 100_000) == "Preparing search: 5,000 of 100,000"
