"""One chart of the dashboard: a titled card holding a Qt Charts view, a line of notes under it,
and Save as PNG.

Charts are drawn from figures already read (queries/figures.py); a card knows nothing of the
store. A click on a bar or a slice is handed back as (series key, category index), so the
page can open the list behind it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCharts import (
    QAbstractBarSeries,
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QPieSeries,
    QPieSlice,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

# Colours that stay apart for the colour-blind and print well in grey (Okabe-Ito).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#999999")
CHART_HEIGHT = 260
LARGE = 10_000_000  # fen: from ¥100,000 on, money axes count in thousands
FEN_PER_YUAN, FEN_PER_THOUSAND_YUAN = 100.0, 100_000.0
CROWDED = 6  # categories beyond which their labels slant to fit

BAR, HORIZONTAL = "bar", "horizontal"
STACKED, HORIZONTAL_STACKED = "stacked", "horizontal_stacked"
_SERIES = {
    BAR: QBarSeries,
    HORIZONTAL: QHorizontalBarSeries,
    STACKED: QStackedBarSeries,
    HORIZONTAL_STACKED: QHorizontalStackedBarSeries,
}


class ChartCard(QFrame):
    """A chart with its title; `clicked(series, index)`: the user clicked the bar `index` of
    the series named `series` (a slice of a pie: its index)."""

    clicked = Signal(str, int)

    def __init__(self, object_name: str, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.title = QLabel(title)
        self.title.setObjectName(f"{object_name}Title")
        font = QFont(self.title.font())
        font.setBold(True)
        self.title.setFont(font)
        self.save_button = QToolButton()
        self.save_button.setObjectName(f"{object_name}Save")
        self.save_button.setText(self.tr("Save as PNG…"))
        self.save_button.setToolTip(self.tr("Save this chart as a picture"))
        self.save_button.clicked.connect(self.ask_save)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.save_button)

        self.chart = QChart()
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.view = QChartView(self.chart)
        self.view.setObjectName(f"{object_name}View")
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(CHART_HEIGHT)
        self.note = QLabel()
        self.note.setObjectName(f"{object_name}Note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(mid);")
        self.note.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.note)
        # What is drawn, as plain values: the chart's own items belong to the chart (C++), and a
        # Python reference to one outliving it is what a garbage collection can crash on.
        self.categories: list[str] = []
        self._values: dict[str, list[float]] = {}  # a bar chart's sets, by key
        self._keys: dict[str, str] = {}  # a set's key by its label
        self._slice_values: list[float] = []

    # -- drawing -----------------------------------------------------------------------------

    def _clear(self) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        self._values.clear()
        self._keys.clear()
        self._slice_values.clear()

    def show_bars(
        self,
        categories: Sequence[str],
        sets: Sequence[tuple[str, str, Sequence[int]]],
        kind: str = BAR,
        money: bool = False,
    ) -> None:
        """Bars per category; `sets` are (key, label, values), one value per category: counts,
        or with `money` amounts in fen, drawn in yuan (in thousands when they run large)."""
        self._clear()
        self.categories = list(categories)
        top = max((self._stack_top(sets, kind, i) for i in range(len(self.categories))), default=0)
        scale, unit = 1.0, ""
        if money and top >= LARGE:
            unit = self.tr("¥ thousand")
            scale = FEN_PER_THOUSAND_YUAN
        elif money:
            scale, unit = FEN_PER_YUAN, "¥"
        series: QAbstractBarSeries = _SERIES[kind]()
        for number, (key, label, values) in enumerate(sets):
            bar_set = QBarSet(label)
            bar_set.setColor(QColor(PALETTE[number % len(PALETTE)]))
            drawn = [value / scale for value in values]
            bar_set.append(drawn)
            series.append(bar_set)
            self._values[key] = drawn
            self._keys[label] = key
        # A bound method, not a lambda: PySide then holds no strong reference back to the card.
        series.clicked.connect(self._bar_clicked)
        self.chart.addSeries(series)
        category_axis = QBarCategoryAxis()
        category_axis.append(self.categories or [""])
        if len(self.categories) > CROWDED:
            category_axis.setLabelsAngle(-60)
            category_axis.setTruncateLabels(False)
        value_axis = QValueAxis()
        value_axis.setTitleText(unit)
        if money or top > 10:
            value_axis.setRange(0, max(top / scale, 1))
            value_axis.applyNiceNumbers()
            value_axis.setLabelFormat("%.0f" if value_axis.max() >= 10 else "%.1f")
        else:  # a handful: one tick per whole number
            value_axis.setRange(0, max(top, 4))
            value_axis.setTickCount(int(max(top, 4)) + 1)
            value_axis.setLabelFormat("%.0f")
        horizontal = kind in (HORIZONTAL, HORIZONTAL_STACKED)
        self.chart.addAxis(
            category_axis,
            Qt.AlignmentFlag.AlignLeft if horizontal else Qt.AlignmentFlag.AlignBottom,
        )
        self.chart.addAxis(
            value_axis, Qt.AlignmentFlag.AlignBottom if horizontal else Qt.AlignmentFlag.AlignLeft
        )
        series.attachAxis(category_axis)
        series.attachAxis(value_axis)
        self.chart.legend().setVisible(len(sets) > 1)

    @staticmethod
    def _stack_top(
        sets: Sequence[tuple[str, str, Sequence[float]]], kind: str, index: int
    ) -> float:
        values = [float(values[index]) for _key, _label, values in sets if index < len(values)]
        stacked = kind in (STACKED, HORIZONTAL_STACKED)
        return sum(values) if stacked else max(values, default=0)

    def show_pie(self, slices: Sequence[tuple[str, float]]) -> None:
        """A pie of (label, value); slices of 0 are left out of the drawing, not the index."""
        self._clear()
        self.categories = [label for label, _value in slices]
        series = QPieSeries()
        for number, (label, value) in enumerate(slices):
            piece = series.append(label, float(value))
            piece.setColor(QColor(PALETTE[number % len(PALETTE)]))
            piece.setLabelVisible(False)  # the legend says it; labels round a pie collide
            self._slice_values.append(float(value))
        series.clicked.connect(self._slice_clicked)
        self.chart.addSeries(series)
        self.chart.legend().setVisible(True)
        # Beside the pie its labels are cut short in a half-width card; below they have room.
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)

    def set_note(self, text: str) -> None:
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def _bar_clicked(self, index: int, bar_set: QBarSet) -> None:
        key = self._keys.get(bar_set.label())
        if key is not None:
            self.clicked.emit(key, index)

    def _slice_clicked(self, piece: QPieSlice) -> None:
        if piece.label() in self.categories:
            self.clicked.emit("slice", self.categories.index(piece.label()))

    # -- reading back (tests and accessibility) ----------------------------------------------

    def values(self, key: str) -> list[float]:
        """The bars of a set as drawn (money in the axis' unit)."""
        return list(self._values[key])

    def slice_values(self) -> list[float]:
        return list(self._slice_values)

    def click(self, key: str, index: int) -> None:
        """As a user's click on a bar (or a slice, key "slice"): the series says so."""
        series = self.chart.series()[0]
        if key == "slice":
            assert isinstance(series, QPieSeries)
            series.clicked.emit(series.slices()[index])
            return
        assert isinstance(series, QAbstractBarSeries)
        label = next(label for label, known in self._keys.items() if known == key)
        bar_set = next(found for found in series.barSets() if found.label() == label)
        series.clicked.emit(index, bar_set)

    # -- saving ------------------------------------------------------------------------------

    def ask_save(self) -> None:
        name = self.title.text().replace("/", "-") + ".png"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the chart"), str(Path.home() / name), self.tr("PNG image (*.png)")
        )
        if path:
            self.save_png(Path(path))

    def save_png(self, path: Path) -> bool:
        """The chart as the user sees it, title and notes included."""
        return self.grab().save(str(path), "PNG")
