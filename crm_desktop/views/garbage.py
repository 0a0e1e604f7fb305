"""Python's cycle collector, run on the GUI thread only.

CPython collects cyclic garbage in whichever thread happens to allocate past the collector's
threshold. When that is the storage thread and the garbage holds the wrapper of a widget (a page
closed a moment ago, still in a cycle with its signal connections), Qt destroys the widget on the
storage thread while the GUI thread is painting, and the process crashes. The suite met this as
a segmentation fault during a page's reload.

So automatic collection is switched off and a timer on the GUI thread collects the generations
that are due, by CPython's own thresholds. Reference counting still frees everything that is
not in a cycle at once, on whichever thread drops it; only cycles wait for the timer. Anki runs
its collector the same way, for the same reason.
"""

from __future__ import annotations

import gc
import time

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

# Often enough that a long first sync's cycles do not pile up; a young generation is cheap to
# walk.
INTERVAL_MS = 500
# A full collection at most every this many times as long as the last one took (2% of the time).
FULL_SPACING = 50


class GuiThreadCollector(QObject):
    """Installed once per process (see `install`); collects on its timer, on the GUI thread."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        self._next_full = 0.0  # time.monotonic() from which a full collection may run
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> int:
        """Collect what CPython would collect now: the oldest generation whose count is past
        its threshold, with the younger ones. Returns how many unreachable objects were found.

        A full collection walks every object of the program (a few hundred milliseconds with
        a big profile open), so, as CPython spaces them by how much the heap has grown, one
        comes at most every FULL_SPACING times as long as the last one took; until then the
        middle generation is collected instead."""
        assert QThread.currentThread() is self.thread(), "collect on the GUI thread only"
        young, middle, old = gc.get_count()
        if young <= self._thresholds[0]:
            return 0
        if old > self._thresholds[2] and time.monotonic() >= self._next_full:
            started = time.monotonic()
            found = gc.collect(2)
            self._next_full = time.monotonic() + FULL_SPACING * (time.monotonic() - started)
            return found
        return gc.collect(1 if middle > self._thresholds[1] else 0)


def install(app: QCoreApplication) -> GuiThreadCollector:
    """The process's collector, made on first call (the application owns it)."""
    existing = app.findChild(GuiThreadCollector)
    return existing if existing is not None else GuiThreadCollector(app)
