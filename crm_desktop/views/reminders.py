"""Telling the user something became due: at start, after every sync, and when a task's
reminder time comes, with the count and a way to Today.

Where the desktop has a system tray the message is the tray's; otherwise (and on the offscreen
platform the tests use) it is a banner across the top of the window. Each line is told once while
it stays on Today: a line told before does not make a new message, but one that left Today and
came back (a snoozed reminder) or whose time moved is told again. Today is read again every
minute so a reminder time that comes while the window is open is told when it comes. While Today
is the page shown the banner stays away: the lines it would point to are in front of the user.
"""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QStyle,
    QSystemTrayIcon,
    QToolButton,
    QWidget,
)

from crm_desktop.queries.today import Today
from crm_desktop.views.today_view import TodayView

CHECK_EVERY_MS = 60_000  # reminder times are told within a minute


class ReminderBanner(QWidget):
    """ "3 things are due: show Today" across the window, until shown or closed; never over
    Today itself (set_today_shown)."""

    show_today = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reminderBanner")
        self.setStyleSheet("#reminderBanner { background: #fff4ce; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.text = QLabel()
        self.text.setObjectName("reminderText")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.linkActivated.connect(lambda _link: self._show_today())
        close = QToolButton()
        close.setObjectName("reminderClose")
        close.setAccessibleName(self.tr("Close"))
        close.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_TitleBarCloseButton))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(close)
        self._today_shown = False
        self.hide()

    def set_today_shown(self, shown: bool) -> None:
        """The window shows Today (True) or another page: over Today the banner goes, and
        what becomes due meanwhile is not told by it (Today lists it)."""
        self._today_shown = shown
        if shown:
            self.hide()

    def tell(self, sentence: str) -> None:
        link = html.escape(self.tr("Show Today"))
        self.text.setText(f'{html.escape(sentence)} <a href="today">{link}</a>')
        if not self._today_shown:
            self.show()

    def _show_today(self) -> None:
        self.hide()
        self.show_today.emit()


class Reminders(QObject):
    show_today = Signal()

    def __init__(self, today: TodayView, banner: ReminderBanner, parent: QObject) -> None:
        super().__init__(parent)
        self._today, self._banner = today, banner
        self._told: set[tuple[str, str, str, datetime | None]] = set()
        self._armed = True  # the first reading, at start, tells what is due
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation)
            self.tray = QSystemTrayIcon(icon, self)
            self.tray.messageClicked.connect(self.show_today.emit)
            self.tray.show()
        banner.show_today.connect(self.show_today.emit)
        today.read.connect(self._read)
        self._timer = QTimer(self, interval=CHECK_EVERY_MS)
        self._timer.timeout.connect(today.reload)
        self._timer.start()

    def arm(self) -> None:
        """A sync ended: tell at the next reading what became due."""
        self._armed = True

    def _read(self, today: Today) -> None:
        # A line with its time: a reminder snoozed, moved in the form or by a sync is a new
        # one when its new time comes.
        lines = {
            (line.kind, line.entity, line.id, line.when)
            for part in today.parts()
            for line in part.lines
        }
        new = lines - self._told
        # Outside a start or a sync, only a reminder time coming is news (a task the user just
        # typed in, due today, is not).
        if not self._armed:
            new = {line for line in new if line[0] == "reminder"}
        self._armed = False
        # Only what is on Today now: a line that leaves it (snoozed) is told when it is back.
        # A part shown cut short (more than its LIMIT lines) may have pushed a line out rather
        # than seen it go: those of its kind stay remembered.
        cut_short = {
            line.kind
            for part in today.parts()
            if part.total > len(part.lines)
            for line in part.lines
        }
        self._told = lines | {told for told in self._told if told[0] in cut_short}
        # A task both due and reminded of is one thing to do.
        things = {(entity, row_id) for _kind, entity, row_id, _when in new}
        if things:
            self.tell(len(things))

    def tell(self, count: int) -> None:
        sentence = self.tr("%n thing(s) to do became due.", "", count)
        if self.tray is not None:
            self.tray.showMessage(self.tr("CRM: Today"), sentence)
        else:
            self._banner.tell(sentence)
