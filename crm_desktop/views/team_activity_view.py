"""Team activity, for a manager: per person of his team, over a day or a week, the follow-ups
he logged, customers he added, tasks he finished and opportunities he changed
(queries/work_logs.py says what counts).

Only what this device holds is counted. When each person last synced comes from the server
(by its clock, as of this device's own last sync); the column before it is the latest of the
counted changes. Anyone who leads nobody sees his own row. Reads run on the storage thread,
again after each write or sync that touches what is counted.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import partial

from PySide6.QtCore import QLocale, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.dates import local_to_utc
from crm_desktop.profile import Profile
from crm_desktop.queries.reader import Reader
from crm_desktop.queries.work_logs import ActivityRow, Team
from crm_desktop.reports import ReportOptions
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import Writer
from crm_desktop.views.calendar_view import qdate, week_start
from crm_desktop.views.display import local_minute
from crm_desktop.views.page import Page
from crm_desktop.views.pdf_export import PdfExport
from crm_desktop.views.runner import Runner

DAY, WEEK = "day", "week"
COUNTS = ("followups", "customers_added", "tasks_done", "opportunities_changed")
SHOWN_FROM = frozenset({"followups", "customers", "tasks", "opportunities", "users"})


class TeamActivityView(Page):
    shown = Signal()  # each time the period's counts have been read and shown

    def __init__(
        self,
        profile: Profile,
        runner: Runner,
        reader: Reader,
        writer: Writer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("teamActivityView", profile, runner, reader, writer, parent)
        self.mode = DAY
        self.anchor = datetime.now().date()
        self.team: Team | None = None
        self.rows: list[ActivityRow] = []
        self._generation = 0

        self.mode_buttons: dict[str, QPushButton] = {}
        group = QButtonGroup(self)
        for mode, text in ((DAY, self.tr("Day")), (WEEK, self.tr("Week"))):
            button = QPushButton(text)
            button.setObjectName(f"activity{mode.title()}")
            button.setCheckable(True)
            button.clicked.connect(partial(self.set_mode, mode))
            group.addButton(button)
            self.mode_buttons[mode] = button
        self.mode_buttons[DAY].setChecked(True)
        self.previous_button, self.today_button, self.next_button = self._stepper(
            "activity",
            (self.tr("‹ Previous"), self.tr("Today"), self.tr("Next ›")),
            self.step,
            self.go_today,
        )
        self.pdf = PdfExport(writer, runner, self)
        self.pdf.warn_in_a_box()
        self.pdf_button = self.pdf.button("activityPdf")
        self.pdf_button.clicked.connect(self.export_pdf)
        self.period = QLabel()
        self.period.setObjectName("activityPeriod")
        font = self.period.font()
        font.setBold(True)
        self.period.setFont(font)
        bar = QHBoxLayout()
        for button in self.mode_buttons.values():
            bar.addWidget(button)
        bar.addSpacing(12)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.today_button)
        bar.addWidget(self.next_button)
        bar.addSpacing(12)
        bar.addWidget(self.period, 1)
        bar.addWidget(self.pdf_button)

        self.table = QTableWidget()
        self.table.setObjectName("activityTable")
        self.table.setAccessibleName(self.tr("Team activity"))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        headers = [
            self.tr("Person"),
            self.tr("Follow-ups logged"),
            self.tr("Customers added"),
            self.tr("Tasks done"),
            self.tr("Opportunities changed"),
            self.tr("Latest change"),
            self.tr("Last synced"),
        ]
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.note = QLabel(
            self.tr(
                "Counts what this device holds: your team's customers and what was done on "
                "them, as of your last sync. Someone who has not synced lately may have done "
                "more than shows here."
            )
        )
        self.note.setObjectName("activityNote")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #555555;")

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)

        runner.changed.connect(self._changed)
        self._read_team()

    # -- the period --------------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.mode_buttons[mode].setChecked(True)
        self.reload()

    def step(self, direction: int) -> None:
        self.anchor += timedelta(days=direction) if self.mode == DAY else timedelta(weeks=direction)
        self.reload()

    def go_today(self) -> None:
        self.show_day(datetime.now().date())

    def show_day(self, day: date, mode: str | None = None) -> None:
        self.anchor = day
        self.set_mode(mode or self.mode)

    def days(self) -> tuple[date, date]:
        """The first and last day of the period."""
        if self.mode == DAY:
            return self.anchor, self.anchor
        first = week_start(self.anchor)
        return first, first + timedelta(days=6)

    def export_pdf(self) -> None:
        first, last = self.days()
        self.pdf.ask("activity", ReportOptions(start=first, end=last), self.tr("activity.pdf"))

    def utc_range(self) -> tuple[datetime, datetime]:
        first, last = self.days()
        start = datetime.combine(first, time())
        end = datetime.combine(last + timedelta(days=1), time())
        return local_to_utc(start), local_to_utc(end)

    def _period_text(self) -> str:
        first, last = self.days()
        if self.mode == DAY:
            return QLocale().toString(qdate(first), QLocale.FormatType.LongFormat)
        return self.tr("{first} – {last}").format(first=first.isoformat(), last=last.isoformat())

    # -- reading -----------------------------------------------------------------------------

    def _read_team(self) -> None:
        self._runner.submit(partial(self._reader.team_of, self._profile.user_id), self._team)

    def _team(self, team: Team) -> None:
        self.team = team
        self.reload()

    def people(self) -> list[str]:
        """Whose activity is read: the team, and those who left (shown when they did some)."""
        if self.team is None:
            return [self._profile.user_id]
        return [user_id for user_id, _name in (*self.team.members, *self.team.departed)]

    def reload(self) -> None:
        self._generation += 1
        self.period.setText(self._period_text())
        start, end = self.utc_range()
        departed = self.team.departed_ids if self.team else frozenset()
        work = partial(self._reader.team_activity, self.people(), start, end, departed)
        self._runner.submit(work, partial(self._arrived, self._generation))

    def _changed(self, changes: ChangeSet) -> None:
        touched = changes.entities()
        if "users" in touched or changes.reload:
            self._read_team()
        elif touched & SHOWN_FROM:
            self.reload()

    def _arrived(self, generation: int, rows: list[ActivityRow]) -> None:
        if generation != self._generation:
            return
        self.rows = rows
        self._fill()
        self.shown.emit()

    def _fill(self) -> None:
        table = self.table
        rows = self.rows
        with_total = len(rows) > 1
        table.setRowCount(len(rows) + with_total)
        for row, activity in enumerate(rows):
            name = activity.name or activity.user_id
            if activity.user_id == self._profile.user_id:
                name = self.tr("{name} (me)").format(name=name)
            counts = [getattr(activity, key) for key in COUNTS]
            when = self._time_text(activity.latest, "—")
            synced = self._time_text(activity.last_sync, self.tr("never"))
            self._set_row(row, name, counts, when, synced)
            table.item(row, 0).setData(Qt.ItemDataRole.UserRole, activity.user_id)
        if with_total:
            totals = [sum(getattr(a, key) for a in rows) for key in COUNTS]
            self._set_row(len(rows), self.tr("Team total"), totals, "", "")
            for column in range(table.columnCount()):
                font = QFont(table.item(len(rows), column).font())
                font.setBold(True)
                table.item(len(rows), column).setFont(font)

    @staticmethod
    def _time_text(when: datetime | None, missing: str) -> str:
        return local_minute(when) if when else missing

    def _set_row(self, row: int, name: str, counts: list[int], when: str, synced: str) -> None:
        self.table.setItem(row, 0, QTableWidgetItem(name))
        for column, count in enumerate(counts, start=1):
            item = QTableWidgetItem(str(count))
            item.setData(Qt.ItemDataRole.UserRole, count)
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)
        self.table.setItem(row, len(counts) + 1, QTableWidgetItem(when))
        self.table.setItem(row, len(counts) + 2, QTableWidgetItem(synced))

    def counts_of(self, user_id: str) -> tuple[int, ...] | None:
        """The counts shown for one person, in column order (None: not shown)."""
        for activity in self.rows:
            if activity.user_id == user_id:
                return tuple(getattr(activity, key) for key in COUNTS)
        return None
