"""The calendar: a day, a week or a month of tasks and planned next steps, the user's own or,
for a manager, one of his team's (queries/calendar.py says which items count).

Week and Day are columns of days with a row per hour from 07:00 to 21:00, between a row for
earlier and one for later times; Month is six weeks of days. A cell of a week or a month shows
its first few items and "+N more", which opens that day (a day lists them all).
Double-clicking an empty hour (a day, in Month) opens a new task due then and assigned to the
person shown; double-clicking a task opens its form (moving it is editing its time); a next
step asks the window to open its customer (`open_record`).

Times are stored in UTC and shown on the user's clock. Reads run on the storage thread; the
calendar reads again when a write or a sync changes tasks, follow-ups or customers.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any

from PySide6.QtCore import QDate, QLocale, QRect, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.dates import is_day_only
from crm_desktop.models.fields import Kind
from crm_desktop.profile import Profile
from crm_desktop.queries.calendar import NEXT_STEP, TASK, CalendarItem
from crm_desktop.queries.reader import Reader
from crm_desktop.queries.work_logs import Team
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import Writer
from crm_desktop.views.cell_widgets import drop_cell_widgets
from crm_desktop.views.display import format_value, local_datetime
from crm_desktop.views.page import Page
from crm_desktop.views.record_form import RecordForm
from crm_desktop.views.runner import Runner

DAY, WEEK, MONTH = "day", "week", "month"
FIRST_HOUR, LAST_HOUR = 7, 21  # the hourly rows: 07:00 up to 21:00
HOURS = tuple(range(FIRST_HOUR, LAST_HOUR))
EARLIER_ROW, LATER_ROW = 0, len(HOURS) + 1  # before 07:00, from 21:00
SHOWN_PER_CELL = 3  # items listed in one cell before "+N more"
SHOWN_FROM = {"tasks", "followups", "customers", "users"}

# Colours of an item's stripe and text; overdue and done items also say so in words.
TASK_COLOUR = QColor("#1f6fb2")
NEXT_STEP_COLOUR = QColor("#2e7d32")
OVERDUE_COLOUR = QColor("#b00020")
DONE_COLOUR = QColor("#8a8a8a")
ITEM_BACKGROUND = QColor("#f3f6fa")
OVERDUE_BACKGROUND = QColor("#fdecee")
OTHER_MONTH_COLOUR = QColor("#9a9a9a")


def utc_of(local: datetime) -> datetime:
    """A naive time on the user's clock as the store keeps it (naive UTC)."""
    return local.astimezone(UTC).replace(tzinfo=None)


def week_start(day: date) -> date:
    """The first day of the week holding `day`, as the user's locale counts weeks."""
    first = QLocale().firstDayOfWeek().value  # Monday 1 ... Sunday 7, like isoweekday()
    return day - timedelta(days=(day.isoweekday() - first) % 7)


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class ItemChip(QWidget):
    """One item in a cell: a coloured stripe by kind, its time and title, elided to fit.

    Overdue items are red and start with "⚠"; done ones are grey, struck through, with "✓".
    Tab reaches each chip (a frame shows which) and Enter or Space opens it, as a double-click
    does.
    """

    activated = Signal(object)  # CalendarItem

    def __init__(self, item: CalendarItem, text: str, tip: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.item = item
        self._text = text
        self.setObjectName("calendarItem")
        self.setToolTip(tip)
        self.setAccessibleName(text)
        self.setFixedHeight(self.fontMetrics().height() + 6)
        self.setMinimumWidth(20)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def text(self) -> str:
        return self._text

    def paintEvent(self, _event: QPaintEvent) -> None:  # Qt override
        item = self.item
        painter = QPainter(self)
        rect = self.rect()
        if item.overdue:
            stripe, background, ink = OVERDUE_COLOUR, OVERDUE_BACKGROUND, OVERDUE_COLOUR
        elif item.done:
            stripe, background, ink = DONE_COLOUR, ITEM_BACKGROUND, DONE_COLOUR
        else:
            stripe = TASK_COLOUR if item.kind == TASK else NEXT_STEP_COLOUR
            background, ink = ITEM_BACKGROUND, self.palette().text().color()
        painter.fillRect(rect, background)
        painter.fillRect(QRect(0, 0, 3, rect.height()), stripe)
        font = QFont(self.font())
        font.setStrikeOut(item.done)
        painter.setFont(font)
        painter.setPen(ink)
        room = rect.adjusted(6, 0, -2, 0)
        shown = painter.fontMetrics().elidedText(
            self._text, Qt.TextElideMode.ElideRight, room.width()
        )
        painter.drawText(room, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, shown)
        if self.hasFocus():
            painter.setPen(QPen(self.palette().highlight().color(), 2))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # Qt override
        if event.button() == Qt.MouseButton.LeftButton:
            self.activated.emit(self.item)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.item)
            event.accept()
            return
        super().keyPressEvent(event)


class SlotCell(QWidget):
    """What one cell of the grid shows: (a day's number,) its first items, "+N more"."""

    empty_double_clicked = Signal()
    more_clicked = Signal()

    def __init__(self, heading: str | None = None, faded: bool = False) -> None:
        super().__init__()
        self.setObjectName("calendarCell")
        self.chips: list[ItemChip] = []
        self.more: QPushButton | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(2, 2, 2, 2)
        self._layout.setSpacing(2)
        if heading is not None:
            label = QLabel(heading)
            label.setObjectName("calendarDayNumber")
            if faded:
                label.setStyleSheet(f"color: {OTHER_MONTH_COLOUR.name()};")
            self._layout.addWidget(label)
        self._layout.addStretch(1)

    def add_chip(self, chip: ItemChip) -> None:
        chip.setParent(self)
        self.chips.append(chip)
        self._layout.insertWidget(self._layout.count() - 1, chip)

    def add_more(self, text: str) -> None:
        self.more = QPushButton(text)
        self.more.setObjectName("calendarMore")
        self.more.setFlat(True)
        self.more.setCursor(Qt.CursorShape.PointingHandCursor)
        self.more.setStyleSheet("text-align: left; padding: 0 4px;")
        self.more.clicked.connect(self.more_clicked)
        self._layout.insertWidget(self._layout.count() - 1, self.more)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # Qt override
        # Only the cell's own empty space comes here: a chip takes its own double-clicks.
        if event.button() == Qt.MouseButton.LeftButton:
            self.empty_double_clicked.emit()
            event.accept()
            return
        super().mouseDoubleClickEvent(event)


class CalendarView(Page):
    """`open_record(entity, id)`: the user asked to open a record the calendar does not edit
    itself (a next step's customer)."""

    open_record = Signal(str, str)
    shown = Signal()  # the items of the period on show have arrived and are in the grid

    def __init__(
        self,
        profile: Profile,
        runner: Runner,
        reader: Reader,
        writer: Writer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("calendarView", profile, runner, reader, writer, parent)
        self.mode = WEEK
        self.anchor = datetime.now().date()  # a day of the period shown, on the user's clock
        self.items: list[CalendarItem] = []
        self.cells: dict[tuple[int, int], list[CalendarItem]] = {}
        self._names: dict[str, str] = {}  # user id -> name, for the people offered
        self._generation = 0
        self._days: list[date] = []  # the grid's days, in cell order

        self.mode_buttons: dict[str, QPushButton] = {}
        self._mode_group = QButtonGroup(self)
        for mode, name, text in (
            (DAY, "calendarDay", self.tr("Day")),
            (WEEK, "calendarWeek", self.tr("Week")),
            (MONTH, "calendarMonth", self.tr("Month")),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.setCheckable(True)
            button.setChecked(mode == self.mode)
            button.clicked.connect(partial(self.set_mode, mode))
            self._mode_group.addButton(button)
            self.mode_buttons[mode] = button
        self.previous_button, self.today_button, self.next_button = self._stepper(
            "calendar",
            (self.tr("Previous"), self.tr("Today"), self.tr("Next")),
            self.step,
            self.go_today,
        )
        self._name_steps()
        self.period = QLabel()
        self.period.setObjectName("calendarPeriod")
        font = self.period.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.period.setFont(font)
        self.person = QComboBox()
        self.person.setObjectName("calendarPerson")
        self.person.setAccessibleName(self.tr("Whose calendar"))
        # Item data: the ids of the people shown, separated by commas.
        self.person.addItem(self.tr("Me"), profile.user_id)
        self.person.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.person.currentIndexChanged.connect(lambda _index: self.reload())
        self.legend = QLabel(
            self.tr("⚠ overdue    ✓ done    blue: task    green: planned next step of a customer")
        )
        self.legend.setObjectName("calendarLegend")
        self.legend.setStyleSheet("color: #555555;")

        bar = QHBoxLayout()
        for button in self.mode_buttons.values():
            bar.addWidget(button)
        bar.addSpacing(12)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.today_button)
        bar.addWidget(self.next_button)
        bar.addSpacing(12)
        bar.addWidget(self.period, 1)
        person_label = QLabel(self.tr("Calendar of"))
        person_label.setBuddy(self.person)
        bar.addWidget(person_label)
        bar.addWidget(self.person)

        self.grid = QTableWidget()
        self.grid.setObjectName("calendarGrid")
        self.grid.setAccessibleName(self.tr("Calendar"))
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.setWordWrap(False)
        # Tab moves between the items (and out of the grid), not from cell to empty cell.
        self.grid.setTabKeyNavigation(False)
        self.grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.grid.cellDoubleClicked.connect(self._empty_double_clicked)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.legend)

        runner.changed.connect(self._changes)
        self._read_people()
        self.reload()

    # -- whose calendar ----------------------------------------------------------------------

    def _read_people(self) -> None:
        """The people whose calendars the user may look at, as the dashboard and the work log
        offer them (queries/work_logs.team_of): a manager's team, an administrator's everyone
        (on a profile never synced too), a clerk's reps; read on the storage thread."""
        work = partial(self._reader.team_of, self._profile.user_id)
        self._runner.submit(work, self._people_arrived)

    def _people_arrived(self, team: Team) -> None:
        self._names = dict(team.members)
        me = self._profile.user_id
        members = [user_id for user_id, _name in team.members if user_id != me]
        current = self.person.currentData()
        self.person.blockSignals(True)
        while self.person.count() > 1:
            self.person.removeItem(1)
        for user_id in sorted(members, key=lambda u: self._names.get(u, u)):
            self.person.addItem(self._names.get(user_id, user_id), user_id)
        if members:
            everyone = ",".join(dict.fromkeys([me, *members]))
            self.person.addItem(self.tr("My whole team"), everyone)
        position = self.person.findData(current)
        self.person.setCurrentIndex(max(position, 0))
        self.person.blockSignals(False)
        if position < 0:
            self.reload()

    def people(self) -> tuple[str, ...]:
        """The users whose items are shown."""
        return tuple((self.person.currentData() or self._profile.user_id).split(","))

    def choose_person(self, user_id: str) -> bool:
        """Show one person's calendar, if he is offered; False otherwise."""
        position = self.person.findData(user_id)
        if position >= 0:
            self.person.setCurrentIndex(position)
        return position >= 0

    # -- the period --------------------------------------------------------------------------

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.mode_buttons[mode].setChecked(True)
        self._name_steps()
        self.reload()

    def _name_steps(self) -> None:
        """ "Previous week" and "Next week", not a bare "Previous": what a click moves by."""
        previous, following = {
            DAY: (self.tr("Previous day"), self.tr("Next day")),
            WEEK: (self.tr("Previous week"), self.tr("Next week")),
            MONTH: (self.tr("Previous month"), self.tr("Next month")),
        }[self.mode]
        self.previous_button.setText(previous)
        self.next_button.setText(following)

    def step(self, direction: int) -> None:
        """The previous (-1) or next (+1) day, week or month."""
        if self.mode == DAY:
            self.anchor += timedelta(days=direction)
        elif self.mode == WEEK:
            self.anchor += timedelta(weeks=direction)
        else:
            month = self.anchor.year * 12 + self.anchor.month - 1 + direction
            self.anchor = date(month // 12, month % 12 + 1, 1)
        self.reload()

    def go_today(self) -> None:
        self.show_day(datetime.now().date(), self.mode)

    def show_day(self, day: date, mode: str | None = None) -> None:
        self.anchor = day
        self.set_mode(mode or self.mode)

    def days(self) -> list[date]:
        """The days of the grid, in order (Month: six whole weeks around the month)."""
        if self.mode == DAY:
            return [self.anchor]
        if self.mode == WEEK:
            first = week_start(self.anchor)
            return [first + timedelta(days=n) for n in range(7)]
        first = week_start(self.anchor.replace(day=1))
        return [first + timedelta(days=n) for n in range(42)]

    def utc_range(self) -> tuple[datetime, datetime]:
        """The grid's days, from the first's midnight to the day after the last's, in UTC."""
        days = self.days()
        start = datetime.combine(days[0], time())
        end = datetime.combine(days[-1] + timedelta(days=1), time())
        return utc_of(start), utc_of(end)

    def _period_text(self) -> str:
        locale = QLocale()
        if self.mode == DAY:
            return locale.toString(qdate(self.anchor), QLocale.FormatType.LongFormat)
        if self.mode == WEEK:
            days = self.days()
            return self.tr("{first} – {last}").format(
                first=days[0].isoformat(), last=days[-1].isoformat()
            )
        # A QLocale date format, translated: Chinese writes 2026年12月, not 2026年十二月.
        return locale.toString(qdate(self.anchor), self.tr("MMMM yyyy", "month title"))

    # -- reading -----------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the period's items again; an answer for an older period is dropped."""
        self._generation += 1
        generation = self._generation
        self._days = self.days()
        self.period.setText(self._period_text())
        start, end = self.utc_range()
        work = partial(self._reader.calendar_items, self.people(), start, end)
        self._runner.submit(work, partial(self._arrived, generation))

    def _arrived(self, generation: int, items: list[CalendarItem]) -> None:
        if generation != self._generation:
            return
        self.items = items
        self._fill()
        self.shown.emit()

    def _changes(self, changes: ChangeSet) -> None:
        touched = changes.entities()
        if "users" in touched:
            self._read_people()
        if touched & SHOWN_FROM:
            self.reload()

    # -- the grid ----------------------------------------------------------------------------

    def cell_of(self, local: datetime) -> tuple[int, int] | None:
        """The (row, column) where a time on the user's clock is shown, None if off the grid."""
        try:
            column = self._days.index(local.date())
        except ValueError:
            return None
        if self.mode == MONTH:
            return divmod(column, 7)
        if local.hour < FIRST_HOUR:
            return EARLIER_ROW, column
        if local.hour >= LAST_HOUR:
            return LATER_ROW, column
        return local.hour - FIRST_HOUR + 1, column

    def slot_time(self, row: int, column: int) -> datetime | None:
        """The time on the user's clock a new task made in this cell is due (None: no day).
        The "All day, earlier" row and a day of the month make a task for the day as a whole
        (its midnight: models/dates.is_day_only); the later row one at its first hour."""
        if self.mode == MONTH:
            position = row * 7 + column
            if not 0 <= position < len(self._days):
                return None
            return datetime.combine(self._days[position], time())
        if not 0 <= column < len(self._days):
            return None
        day = self._days[column]
        if row == EARLIER_ROW:
            return datetime.combine(day, time())
        if row == LATER_ROW:
            return datetime.combine(day, time(LAST_HOUR))
        return datetime.combine(day, time(HOURS[row - 1]))

    def _fill(self) -> None:
        grid = self.grid
        drop_cell_widgets(grid)
        grid.setRowCount(0)
        self.cells = defaultdict(list)
        for item in self.items:
            place = self.cell_of(local_datetime(item.when))
            if place is not None:
                self.cells[place].append(item)
        locale = QLocale()
        today = datetime.now().date()
        if self.mode == MONTH:
            grid.setRowCount(6)
            grid.setColumnCount(7)
            heads = [
                locale.dayName(day.isoweekday(), QLocale.FormatType.ShortFormat)
                for day in self._days[:7]
            ]
            rows = [str(n + 1) for n in range(6)]
        else:
            grid.setRowCount(len(HOURS) + 2)
            grid.setColumnCount(len(self._days))
            heads = [
                f"{locale.dayName(day.isoweekday(), QLocale.FormatType.ShortFormat)}"
                f" {day.month}/{day.day}"
                for day in self._days
            ]
            # A day given without a time is stored at midnight: its row is the first, which
            # says so, and its chip shows no time.
            rows = [
                self.tr("All day, earlier"),
                *(f"{hour:02d}:00" for hour in HOURS),
                self.tr("Later"),
            ]
        for column, text in enumerate(heads):
            head = QTableWidgetItem(text)
            if self.mode != MONTH and self._days[column] == today:
                font = head.font()
                font.setBold(True)
                head.setFont(font)
                head.setText(self.tr("{day} (today)").format(day=text))
            grid.setHorizontalHeaderItem(column, head)
        grid.setVerticalHeaderLabels(rows)
        if self.mode == MONTH:
            grid.verticalHeader().hide()
        else:
            grid.verticalHeader().show()

        line = grid.fontMetrics().height() + 8
        heights = [line + 8] * grid.rowCount()
        # Made in the order of their days and hours: Tab goes from item to item in that order
        # (the focus chain follows creation), then on out of the grid.
        places = [(r, c) for r in range(grid.rowCount()) for c in range(grid.columnCount())]
        if self.mode != MONTH:
            places.sort(key=lambda place: (place[1], place[0]))  # day by day
        for row, column in places:
            cell = self._make_cell(row, column, today)
            if cell is None:
                continue
            grid.setCellWidget(row, column, cell)
            lines = len(cell.chips) + (cell.more is not None) + (self.mode == MONTH)
            heights[row] = max(heights[row], lines * line + 6)
        if self.mode == MONTH:
            heights = [max(heights[row], (SHOWN_PER_CELL + 2) * line) for row in range(6)]
        for row, height in enumerate(heights):
            grid.setRowHeight(row, height)

    def _make_cell(self, row: int, column: int, today: date) -> SlotCell | None:
        # Open items first, so done ones never crowd out what is still to do.
        items = sorted(self.cells.get((row, column), []), key=lambda item: item.done)
        if self.mode == MONTH:
            day = self._days[row * 7 + column]
            heading = str(day.day)
            if day == today:
                heading = self.tr("{day} (today)").format(day=heading)
            cell = SlotCell(heading, faded=day.month != self.anchor.month)
        elif items:
            day = self._days[column]
            cell = SlotCell()
        else:
            return None  # an empty hour: the table's own double-click makes a task there
        # A day has the width to list them all; "+N more" opens the day.
        shown = items if self.mode == DAY else items[:SHOWN_PER_CELL]
        for item in shown:
            chip = ItemChip(item, self._chip_text(item), self._chip_tip(item), cell)
            chip.activated.connect(self.open_item)
            cell.add_chip(chip)
        hidden = len(items) - len(shown)
        if hidden > 0:
            cell.add_more(self.tr("+%n more", "", hidden))
            cell.more_clicked.connect(partial(self.show_day, day, DAY))
        cell.empty_double_clicked.connect(partial(self._empty_double_clicked, row, column))
        return cell

    def _chip_text(self, item: CalendarItem) -> str:
        when = local_datetime(item.when)
        title = item.title or self.tr("Follow up")
        if item.kind == NEXT_STEP and item.customer_name:
            title = f"{item.customer_name}: {title}"
        if len(self.people()) > 1 and item.person_id:
            # Several people's items side by side: whose each is, before what it is.
            who = self._names.get(item.person_id, "")
            title = self.tr("{person} · {title}").format(person=who, title=title) if who else title
        marks = "⚠ " if item.overdue else "✓ " if item.done else ""
        if is_day_only(item.when):
            return f"{marks}{title}"
        return f"{marks}{when:%H:%M} {title}"

    def _chip_tip(self, item: CalendarItem) -> str:
        kind = self.tr("Task") if item.kind == TASK else self.tr("Next step")
        lines = [f"{kind}: {item.title or self.tr('Follow up')}"]
        lines.append(format_value(Kind.DATETIME, item.when))
        if item.customer_name:
            lines.append(self.tr("Customer: {name}").format(name=item.customer_name))
        if len(self.people()) > 1 and item.person_id:
            who = self._names.get(item.person_id, item.person_id)
            lines.append(self.tr("For: {name}").format(name=who))
        if item.overdue:
            lines.append(self.tr("Overdue"))
        elif item.done:
            lines.append(self.tr("Done"))
        return "\n".join(lines)

    # -- acting on the grid ------------------------------------------------------------------

    def _empty_double_clicked(self, row: int, column: int) -> None:
        local = self.slot_time(row, column)
        if local is not None:
            self.new_task(local)

    def new_task(self, local: datetime) -> RecordForm:
        """The form of a new task due at `local` (the user's clock), assigned to the person
        shown (the user himself when the whole team is)."""
        people = self.people()
        assignee = people[0] if len(people) == 1 else self._profile.user_id
        preset = {"due_at": utc_of(local), "assignee_id": assignee}
        return self._show_form(None, preset)

    def open_item(self, item: CalendarItem) -> RecordForm | None:
        """A task opens in its form; a next step asks the window for its customer."""
        if item.kind == TASK:
            return self._show_form(item.id)
        if item.customer_id:
            self.open_record.emit("customers", item.customer_id)
        return None

    def _show_form(self, row_id: str | None, preset: dict[str, Any] | None = None) -> RecordForm:
        form = RecordForm(
            "tasks", self._runner, self._reader, self._writer, row_id, preset, parent=self
        )
        form.setModal(True)
        form.show()
        return form
