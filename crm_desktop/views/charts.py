"""One chart of the dashboard: a titled card holding a Qt Charts view, a line of notes under it,
and Save as PNG.

Charts are drawn from figures already read (queries/figures.py); a card knows nothing of the
store. A click on a bar or a slice is handed back as (series key, category index), so the
page can open the list behind it. A chart with nothing to show says so in words instead of
drawing empty axes.
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
from PySide6.QtCore import QLocale, QMargins, Qt, Signal
from PySide6.QtGui import QColor, QCursor, QFont, QPainter
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

# Colours that stay apart for the colour-blind and print well in grey (Okabe-Ito).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#999999")
CHART_HEIGHT = 260
FEN_PER_YUAN = 100
# A money axis counts in the largest unit its tallest bar reaches, the way readers of the
# user's language count large sums: English in thousands and millions, Chinese in 万 (ten
# thousand) and 亿 (a hundred million). Each step: (the unit in yuan, from how many yuan on).
THOUSANDS = ((1, 0), (1_000, 10_000), (1_000_000, 10_000_000), (1_000_000_000, 10_000_000_000))
MYRIADS = ((1, 0), (10_000, 10_000), (100_000_000, 100_000_000))
CROWDED = 6  # categories beyond which their labels slant to fit

BAR, HORIZONTAL = "bar", "horizontal"
STACKED, HORIZONTAL_STACKED = "stacked", "horizontal_stacked"
_SERIES = {
    BAR: QBarSeries,
    HORIZONTAL: QHorizontalBarSeries,
    STACKED: QStackedBarSeries,
    HORIZONTAL_STACKED: QHorizontalStackedBarSeries,
}


def counts_in_myriads(locale: QLocale) -> bool:
    """Whether readers of this language count large sums by ten thousands (万, 亿)."""
    return locale.language() == QLocale.Language.Chinese


def money_unit(top_yuan: float, locale: QLocale | None = None) -> int:
    """The unit, in yuan, of a money axis whose largest value is `top_yuan` (the user's
    language's, by default)."""
    steps = MYRIADS if counts_in_myriads(locale or QLocale()) else THOUSANDS
    return max(unit for unit, start in steps if top_yuan >= start)


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
        # The white ground is the area's, not the chart's (the light theme's, a gradient of
        # white): a pie's key beside the chart sits on it too, in the legend's ink.
        self._ink = self.chart.legend().labelColor().name()
        self.chart.setBackgroundVisible(False)
        self.view = QChartView(self.chart)
        self.view.setObjectName(f"{object_name}View")
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(CHART_HEIGHT)
        self.view.setFrameShape(QFrame.Shape.NoFrame)
        self.view.setStyleSheet("background: transparent;")
        # A pie's key, of labels that wrap: the chart's own legend cuts long ones short.
        self.key = QWidget()
        self.key.setObjectName(f"{object_name}Key")
        self._key_rows = QVBoxLayout(self.key)
        self._key_rows.setContentsMargins(0, 8, 8, 8)
        # Its labels wrap to the room the pie leaves, rather than ask for a wider card.
        self.key.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.key.hide()
        self._area = QFrame()
        self._area.setObjectName(f"{object_name}Area")
        self._area.setStyleSheet(f"#{object_name}Area {{ background: white; border-radius: 6px; }}")
        drawing = QHBoxLayout(self._area)
        drawing.setContentsMargins(0, 0, 0, 0)
        drawing.addWidget(self.view, 3)
        drawing.addWidget(self.key, 2)
        self.empty = QLabel(self.tr("No data yet"))
        self.empty.setObjectName(f"{object_name}Empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: palette(mid);")
        self.empty.setMinimumHeight(CHART_HEIGHT)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._area)
        self.stack.addWidget(self.empty)
        self.note = QLabel()
        self.note.setObjectName(f"{object_name}Note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(mid);")
        self.note.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.note)
        # What is drawn, as plain values: the chart's own items belong to the chart (C++), and a
        # Python reference to one outliving it is what a garbage collection can crash on.
        self.categories: list[str] = []
        self._values: dict[str, list[float]] = {}  # a bar chart's sets, by key
        self._keys: dict[str, str] = {}  # a set's key by its label
        self._slice_values: list[float] = []
        self.unit = ""  # the value axis' title: its unit, said once

    # -- drawing -----------------------------------------------------------------------------

    def _clear(self) -> None:
        self.chart.removeAllSeries()
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
        self._values.clear()
        self._keys.clear()
        self._slice_values.clear()
        while self._key_rows.count():
            row = self._key_rows.takeAt(0).widget()
            if row is not None:
                row.hide()
                row.deleteLater()
        self.key.hide()

    def _show(self, anything: bool) -> None:
        """The chart, or in its place the words that there is nothing to draw."""
        self.stack.setCurrentWidget(self._area if anything else self.empty)
        self.save_button.setEnabled(anything)

    def is_empty(self) -> bool:
        """Whether the card says there is nothing to show instead of a chart."""
        return self.stack.currentWidget() is self.empty

    def _money_units(self) -> tuple[tuple[int, str], ...]:
        """(unit in yuan, axis title) of each step of money_unit's, in the user's language."""
        if counts_in_myriads(QLocale()):
            return (
                (1, self.tr("yuan")),
                (10_000, self.tr("10,000 yuan")),
                (100_000_000, self.tr("100 million yuan")),
            )
        return (
            (1, "¥"),
            (1_000, self.tr("¥ thousand")),
            (1_000_000, self.tr("¥ million")),
            (1_000_000_000, self.tr("¥ billion")),
        )

    def show_bars(
        self,
        categories: Sequence[str],
        sets: Sequence[tuple[str, str, Sequence[int]]],
        kind: str = BAR,
        money: bool = False,
    ) -> None:
        """Bars per category; `sets` are (key, label, values), one value per category: counts,
        or with `money` amounts in fen, drawn in the unit money_unit picks for the user's
        language (元, 万元, 亿元; ¥, thousands, millions). Nothing but zeros: words instead."""
        self._clear()
        self.categories = list(categories)
        top = max((self._stack_top(sets, kind, i) for i in range(len(self.categories))), default=0)
        scale, self.unit = 1.0, ""
        if money:
            unit = money_unit(top / FEN_PER_YUAN)
            scale = float(unit * FEN_PER_YUAN)
            self.unit = dict(self._money_units())[unit]
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
        value_axis.setTitleText(self.unit)
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
        self._show(top > 0)

    @staticmethod
    def _stack_top(
        sets: Sequence[tuple[str, str, Sequence[float]]], kind: str, index: int
    ) -> float:
        values = [float(values[index]) for _key, _label, values in sets if index < len(values)]
        stacked = kind in (STACKED, HORIZONTAL_STACKED)
        return sum(values) if stacked else max(values, default=0)

    def show_pie(self, slices: Sequence[tuple[str, float]]) -> None:
        """A pie of (label, value) with its key beside it; slices of 0 are left out of the
        drawing, not the index. Nothing but zeros: words instead."""
        self._clear()
        self.categories = [label for label, _value in slices]
        series = QPieSeries()
        self._key_rows.addStretch(1)
        for number, (label, value) in enumerate(slices):
            colour = PALETTE[number % len(PALETTE)]
            piece = series.append(label, float(value))
            piece.setColor(QColor(colour))
            piece.setLabelVisible(False)  # the key says it; labels round a pie collide
            self._slice_values.append(float(value))
            self._key_rows.addWidget(self._key_row(colour, label))
        self._key_rows.addStretch(1)
        series.clicked.connect(self._slice_clicked)
        series.hovered.connect(self._slice_hovered)
        self.chart.addSeries(series)
        # In a half-width card the chart's legend cuts the labels short, beside the pie or
        # under it: the key shows them whole, wrapped.
        self.chart.legend().setVisible(False)
        self.key.show()
        self._show(any(value for _label, value in slices))

    def _key_row(self, colour: str, label: str) -> QWidget:
        swatch = QLabel()
        swatch.setFixedSize(12, 12)
        swatch.setStyleSheet(f"background: {colour};")
        text = QLabel(label)
        text.setObjectName("keyLabel")
        text.setWordWrap(True)
        text.setStyleSheet(f"color: {self._ink};")
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(swatch, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(text, 1)
        return row

    def key_labels(self) -> list[QLabel]:
        """The labels of the pie's key, in the order of its slices."""
        rows = (self._key_rows.itemAt(n).widget() for n in range(self._key_rows.count()))
        return [row.findChild(QLabel, "keyLabel") for row in rows if row is not None]

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

    def _slice_hovered(self, piece: QPieSlice, state: bool) -> None:
        """The slice's label at the pointer: a pie has none drawn on it."""
        if state:
            QToolTip.showText(QCursor.pos(), piece.label(), self.view)
        else:
            QToolTip.hideText()

    # -- reading back (tests and accessibility) ----------------------------------------------

    def values(self, key: str) -> list[float]:
        """The bars of a set as drawn (money in the axis' unit, `unit`)."""
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
