"""Cyclic garbage holding a widget is freed on the GUI thread, never on the storage thread that
happened to allocate past the collector's threshold (which crashed the suite once)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from crm_desktop.views import garbage


@pytest.fixture
def collector(qapp: QCoreApplication) -> Iterator[garbage.GuiThreadCollector]:
    yield garbage.install(qapp)


def widget_in_a_cycle(destroyed_on: list[int]) -> None:
    """A widget kept alive only by a reference cycle once this returns."""
    widget = QWidget()
    widget.itself = widget  # type: ignore[attr-defined]
    widget.destroyed.connect(
        lambda: destroyed_on.append(threading.get_ident()), Qt.ConnectionType.DirectConnection
    )


def allocate_on_another_thread() -> list[dict[int, int]]:
    """Far past the young generation's threshold, the way a storage job allocates."""
    kept: list[list[dict[int, int]]] = []
    worker = threading.Thread(target=lambda: kept.append([{n: n} for n in range(50_000)]))
    worker.start()
    worker.join()
    return kept[0]


def test_a_widget_in_a_cycle_is_freed_on_the_gui_thread(
    collector: garbage.GuiThreadCollector,
) -> None:
    gc.collect()
    destroyed_on: list[int] = []
    widget_in_a_cycle(destroyed_on)
    allocations = allocate_on_another_thread()
    assert destroyed_on == [], "the other thread collected the widget"
    assert collector.collect_due() > 0
    assert destroyed_on == [threading.get_ident()]
    del allocations


def test_the_timer_collects_without_being_asked(
    qtbot: QtBot, collector: garbage.GuiThreadCollector
) -> None:
    gc.collect()
    destroyed_on: list[int] = []
    widget_in_a_cycle(destroyed_on)
    allocations = allocate_on_another_thread()
    qtbot.waitUntil(lambda: destroyed_on != [], timeout=5 * garbage.INTERVAL_MS)
    assert destroyed_on == [threading.get_ident()]
    del allocations


def test_nothing_is_collected_before_the_young_generation_is_due(
    collector: garbage.GuiThreadCollector,
) -> None:
    gc.collect()
    destroyed_on: list[int] = []
    widget_in_a_cycle(destroyed_on)
    assert collector.collect_due() == 0
    assert destroyed_on == []
    gc.collect()
    assert len(destroyed_on) == 1


def test_installed_once_per_process(qapp: QCoreApplication) -> None:
    assert garbage.install(qapp) is garbage.install(qapp)
    assert not gc.isenabled()


def past_the_young_threshold() -> list[dict[int, int]]:
    return [{n: n} for n in range(gc.get_threshold()[0] * 2)]


def test_generations_are_collected_as_cpython_would_and_full_ones_spaced(qapp) -> None:
    # One of the test's own: the process's may have made a full collection a moment ago.
    collector = garbage.GuiThreadCollector()

    def collections() -> list[int]:
        return [generation["collections"] for generation in gc.get_stats()]

    gc.collect()
    for _ in range(gc.get_threshold()[2] + 1):
        gc.collect(1)  # each counts towards the oldest generation's threshold
    kept = past_the_young_threshold()
    before = collections()
    collector.collect_due()
    assert collections()[2] == before[2] + 1  # the oldest was due: a full collection

    for _ in range(gc.get_threshold()[2] + 1):
        gc.collect(1)
    for _ in range(gc.get_threshold()[1] + 1):
        gc.collect(0)  # and towards the middle one's
    kept += past_the_young_threshold()
    before = collections()
    collector.collect_due()
    after = collections()
    # Due again at once, but a full collection just ran: the middle generation instead.
    assert (after[1], after[2]) == (before[1] + 1, before[2])
    assert kept
