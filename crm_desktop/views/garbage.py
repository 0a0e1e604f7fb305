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

from PySide6.QtCore import QCoreApplication, QObject, QThread, QTimer

# Often enough that a long first sync's cycles do not pile up; a young generation is cheap to
# walk.
INTERVAL_MS = 500


class GuiThreadCollector(QObject):
    """Installed once per process (see `install`); collects on its timer, on the GUI thread."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._thresholds = gc.get_threshold()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(INTERVAL_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> int:
        """Collect the oldest generation whose count is past its threshold, with the younger
        ones (as CPython would have); returns how many unreachable objects were found."""
        assert QThread.currentThread() is self.thread(), "collect on the GUI thread only"
        young, middle, old = gc.get_count()
        if young <= self._thresholds[0]:
            return 0
        generation = 0
        if middle > self._thresholds[1]:
            generation = 2 if old > self._thresholds[2] else 1
        return gc.collect(generation)


def install(app: QCoreApplication) -> GuiThreadCollector:
    """The process's collector, made on first call (the application owns it)."""
    existing = app.findChild(GuiThreadCollector)
    return existing if existing is not None else GuiThreadCollector(app)
