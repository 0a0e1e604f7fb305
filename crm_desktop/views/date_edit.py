"""A date (or date and time) field that may be empty: type it, pick it, or take a shortcut.

Text is typed the ways `models.dates.parse_typed_datetime` reads (2026-01-05, 2026/1/5,
2026.1.5, 2026年1月5日, each with an optional time) and checked when typing ends. An empty field
starts from today as soon as it is used: the calendar opens on today, the arrow keys step from
today. Text that is not a date stays as typed, so it is refused with its sentence rather than
silently becoming no date.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.dates import TypedDateError, parse_typed_datetime

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M"


class DateLineEdit(QLineEdit):
    """The typing part: Up and Down step a day, Alt+Down or F4 opens the calendar."""

    step = Signal(int)
    popup_asked = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        key, modifiers = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not (
            modifiers & Qt.KeyboardModifier.AltModifier
        ):
            self.step.emit(1 if key == Qt.Key.Key_Up else -1)
            return
        if key == Qt.Key.Key_F4 or (
            key == Qt.Key.Key_Down and modifiers & Qt.KeyboardModifier.AltModifier
        ):
            self.popup_asked.emit()
            return
        super().keyPressEvent(event)


class DatePopup(QFrame):
    """The calendar with the shortcuts under it, shown as a popup below the field."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("dateCalendar")
        self.calendar.setGridVisible(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.calendar)
        self.shortcuts = QHBoxLayout()
        layout.addLayout(self.shortcuts)


class DateEdit(QWidget):
    """An optional date, or date and time when `with_time`. value() is a date (a naive local
    datetime with time), None when empty, or the typed text itself when it is not a date."""

    edited = Signal()
    # After typing ends: the TypedDateError of text that is not a date, or None.
    checked = Signal(object)

    def __init__(self, with_time: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.with_time = with_time
        # The value last set or committed, and the text it was shown as: while the text is
        # unchanged the value is returned exactly (seconds included), so an untouched field
        # reads back what it was given.
        self._value: date | datetime | None = None
        self._shown = ""
        self.line_edit = DateLineEdit()
        self.line_edit.setObjectName("dateText")
        self.line_edit.setPlaceholderText(self.tr("No date"))
        self.line_edit.setToolTip(
            self.tr("Type a date year first, like 2026-01-05 or 2026年1月5日")
            if not with_time
            else self.tr("Type a date year first, with a time if you like: 2026-01-05 09:30")
        )
        self.line_edit.textChanged.connect(self.edited)
        self.line_edit.editingFinished.connect(self.commit)
        self.line_edit.step.connect(self.step)
        self.line_edit.popup_asked.connect(self.open_calendar)
        self.calendar_button = QToolButton()
        self.calendar_button.setObjectName("calendarButton")
        # An arrow, not an emoji: every font draws it (a calendar emoji is a box without one).
        self.calendar_button.setArrowType(Qt.ArrowType.DownArrow)
        self.calendar_button.setToolTip(self.tr("Pick a date"))
        self.calendar_button.setAccessibleName(self.tr("Pick a date"))
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calendar_button.clicked.connect(self.open_calendar)

        self.popup = DatePopup(self)
        self.calendar = self.popup.calendar
        self.calendar.clicked.connect(self._calendar_picked)
        self.calendar.activated.connect(self._calendar_picked)
        self.shortcut_buttons: dict[str, QPushButton] = {}
        for key, label, days in (
            ("today", self.tr("Today"), 0),
            ("tomorrow", self.tr("Tomorrow"), 1),
            ("next_week", self.tr("Next week"), 7),
        ):
            button = QPushButton(label)
            button.setObjectName(f"date_{key}")
            button.clicked.connect(lambda _=False, days=days: self._shortcut(days))
            self.popup.shortcuts.addWidget(button)
            self.shortcut_buttons[key] = button

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.line_edit, 1)
        layout.addWidget(self.calendar_button)
        self.setFocusProxy(self.line_edit)

    # -- value -------------------------------------------------------------------------------

    def value(self) -> date | datetime | str | None:
        text = self.line_edit.text().strip()
        if text == self._shown:
            return self._value
        if not text:
            return None
        try:
            return self._parse(text)
        except TypedDateError:
            return self.line_edit.text()

    def setValue(self, value: Any) -> None:
        if isinstance(value, str) and value.strip():
            try:
                value = self._parse(value)
            except TypedDateError:
                self._value, self._shown = None, ""
                self.line_edit.setText(value)
                return
        if isinstance(value, datetime):
            moment: date | datetime | None = value if self.with_time else value.date()
        elif isinstance(value, date):
            moment = datetime.combine(value, time()) if self.with_time else value
        else:
            moment = None
        self._value = moment
        self._shown = self._format(moment)
        self.line_edit.setText(self._shown)
        self.checked.emit(None)

    def error(self) -> TypedDateError | None:
        """Why the typed text is not a date, or None when it is one (or is empty)."""
        text = self.line_edit.text().strip()
        if not text or text == self._shown:
            return None
        try:
            self._parse(text)
        except TypedDateError as error:
            return error
        return None

    def commit(self) -> None:
        """Typing ended: a date is shown the one way dates are written; other text stays, and
        `checked` says why it is not a date."""
        problem = self.error()
        if problem is None:
            current = self.value()
            if current != self._value or self._format(current) != self.line_edit.text():
                self.setValue(current)
        self.checked.emit(problem)

    # -- using it ----------------------------------------------------------------------------

    def current_or_today(self) -> date | datetime | None:
        """Where using the field starts: its value, today when empty, None when not a date."""
        current = self.value()
        if isinstance(current, str):
            return None
        if current is None:
            today = date.today()
            return datetime.combine(today, time()) if self.with_time else today
        return current

    def step(self, days: int) -> None:
        """Up and Down: an empty field shows today first, a date moves by a day."""
        start = self.current_or_today()
        if start is None:
            self.commit()  # says why the text is not a date
            return
        if self.value() is None:
            self.setValue(start)
        else:
            self.setValue(start + timedelta(days=days))

    def pick_day(self, day: date) -> None:
        """Set the day, keeping the time of day already there."""
        current = self.value()
        if self.with_time:
            clock = current.time() if isinstance(current, datetime) else time()
            self.setValue(datetime.combine(day, clock))
        else:
            self.setValue(day)

    def _shortcut(self, days: int) -> None:
        self.pick_day(date.today() + timedelta(days=days))
        self.popup.hide()
        self.line_edit.setFocus()

    def _calendar_picked(self, picked: QDate) -> None:
        self.pick_day(date(picked.year(), picked.month(), picked.day()))
        self.popup.hide()
        self.line_edit.setFocus()

    def open_calendar(self) -> None:
        """Show the calendar on the field's date, or on today when it has none."""
        start = self.current_or_today()
        if start is None:
            start = date.today()
        day = QDate(start.year, start.month, start.day)
        self.calendar.setSelectedDate(day)
        self.calendar.setCurrentPage(day.year(), day.month())
        self.popup.adjustSize()
        self.popup.move(self.mapToGlobal(QPoint(0, self.height())))
        self.popup.show()
        self.calendar.setFocus()

    # -- text --------------------------------------------------------------------------------

    def _parse(self, text: str) -> date | datetime:
        moment = parse_typed_datetime(text)
        return moment if self.with_time else moment.date()

    def _format(self, value: date | datetime | None) -> str:
        if value is None:
            return ""
        return value.strftime(DATETIME_FORMAT if self.with_time else DATE_FORMAT)
