"""Today: what the user has to do, the first thing the window shows.

Its parts, each soonest first (queries/today.py): tasks whose reminder time came (which can be
snoozed), open tasks overdue or due today, customers whose next step is due, customers about to
return to the public pool. A line opens its record
(Enter or double-click); a task can be marked done, postponed to a chosen day or delegated; a
customer's next step can be postponed, and any customer line can have a call logged at once.
The list is read on the storage thread and again after every write and every sync.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import partial

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCalendarWidget,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.base import utcnow
from crm_desktop.models.dates import end_of_local_day, is_day_only, local_to_utc
from crm_desktop.profile import Profile
from crm_desktop.queries.reader import Reader
from crm_desktop.queries.today import Today, TodayLine, TodayPart
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import Writer
from crm_desktop.views.display import local_datetime
from crm_desktop.views.page import Page
from crm_desktop.views.runner import Runner

LineRole = Qt.ItemDataRole.UserRole + 1
OVERDUE = QColor("#b00020")
# Writes that can change what Today shows.
SHOWN_FROM = frozenset(
    {"tasks", "customers", "followups", "notes", "work_logs", "work_log_comments", "contracts"}
)
MORNING = time(9, 0)  # "until tomorrow morning"
NIGHT_ENDS = time(5, 0)  # before this, "tomorrow morning" is the coming one
SHOWN_TEXT = 80  # characters of a note or comment shown on its line
# The most of the list's width the "What" or the "Customer" column takes.
WIDEST_SHARE = 0.45
# The parts whose whole list a page of the window shows ("and N more" opens it).
LISTED_ELSEWHERE = frozenset({"comment", "reminder", "task", "next_step", "pool_return", "renewal"})


def day_text(day: date | datetime, today: date) -> str:
    """A day as Today lists it: month and day, and the year too when it is not this year's (a
    task overdue since last June is not this June's)."""
    return day.strftime("%m-%d" if day.year == today.year else "%Y-%m-%d")


class TodayView(Page):
    open_record = Signal(str, str)  # entity, id
    log_call = Signal(str)  # customer id: a follow-up form for it, now
    show_more = Signal(str)  # a part's kind: the whole list is in its table
    open_work_log = Signal(object)  # the day (a date) of the work log a comment is on
    count_changed = Signal(int)
    read = Signal(object)  # Today, each time it is read

    def __init__(
        self,
        profile: Profile,
        runner: Runner,
        reader: Reader,
        writer: Writer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("todayView", profile, runner, reader, writer, parent)
        self.today: Today | None = None

        self.heading = QLabel()
        self.heading.setObjectName("todayHeading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.heading.setFont(font)
        self.list = QTreeWidget()
        self.list.setObjectName("todayList")
        self.list.setAccessibleName(self.tr("Today's list"))
        self.list.setHeaderLabels([self.tr("When"), self.tr("What"), self.tr("Customer")])
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setRootIsDecorated(False)
        self.list.setUniformRowHeights(True)
        self.list.itemActivated.connect(lambda item, _column: self._activated(item))
        self.list.currentItemChanged.connect(lambda *_: self._offer_actions())

        self.buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for name, text, handler in (
            ("todayOpen", self.tr("Open"), self.open_current),
            ("todayLogCall", self.tr("Log a call"), self.log_call_current),
            ("todayDone", self.tr("Done"), self.done_current),
            ("todayPostpone", self.tr("Postpone…"), self.ask_postpone),
            ("todayDelegate", self.tr("Delegate…"), self.ask_delegate),
            ("todaySnooze", self.tr("Snooze"), self._show_snooze_menu),
            ("todayMarkRead", self.tr("Mark read"), self.mark_read_current),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(handler)
            actions.addWidget(button)
            self.buttons[name] = button
        actions.addStretch(1)
        self.snooze_menu = QMenu(self)
        for text, wait in (
            (self.tr("For 10 minutes"), timedelta(minutes=10)),
            (self.tr("For an hour"), timedelta(hours=1)),
            (self.tr("Until tomorrow morning"), None),
        ):
            self.snooze_menu.addAction(text, partial(self.snooze_current, wait))

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(actions)
        layout.addWidget(self.list, 1)
        runner.changed.connect(self._changed)
        self._offer_actions()

    # -- reading -----------------------------------------------------------------------------

    def reload(self) -> None:
        now = utcnow()
        work = partial(self._reader.today, self._profile.user_id, now, end_of_local_day(now))
        self._runner.submit(work, self._show)

    def _changed(self, changes: ChangeSet) -> None:
        if SHOWN_FROM & changes.entities():
            self.reload()

    def _show(self, today: Today) -> None:
        self.today = today
        chosen = self.current_line()
        self.list.clear()
        self.heading.setText(
            self.tr("Today, %1: %n thing(s) to do", "", today.count).replace(
                "%1", datetime.now().strftime("%Y-%m-%d")
            )
        )
        parts = [
            ("note", self.tr("Notes from colleagues"), today.notes),
            ("comment", self.tr("Comments on your work log"), today.comments),
            ("reminder", self.tr("Reminders"), today.reminders),
            ("task", self.tr("Tasks due"), today.tasks),
            ("next_step", self.tr("Next steps due"), today.next_steps),
        ]
        if today.warning_days is not None:
            title = self.tr("Returning to the public pool within %n day(s)", "", today.warning_days)
            parts.append(("pool_return", title, today.returning))
        parts.append(("renewal", self.tr("Contracts to renew"), today.renewals))
        for kind, title, part in parts:
            self._add_part(kind, title, part)
        if not today.count:
            empty = QTreeWidgetItem(self.list, ["", self.tr("Nothing due today.")])
            empty.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.list.expandAll()
        for column in range(self.list.columnCount()):
            self.list.resizeColumnToContents(column)
        # A long title is cut short (whole in its tooltip) rather than pushing the customer
        # out of sight behind a scroll bar.
        widest = int(self.list.viewport().width() * WIDEST_SHARE)
        for column in (1, 2):
            if widest > 0 and self.list.columnWidth(column) > widest:
                self.list.setColumnWidth(column, widest)
        self._select(chosen)
        self._offer_actions()
        self.count_changed.emit(today.count)
        self.read.emit(today)

    def _add_part(self, kind: str, title: str, part: TodayPart) -> None:
        if not part.total:
            return
        section = QTreeWidgetItem(self.list, [f"{title} ({part.total})"])
        section.setFirstColumnSpanned(True)
        section.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = section.font(0)
        font.setBold(True)
        section.setFont(0, font)
        today = datetime.now().date()
        for line in part.lines:
            if line.kind == "renewal" and line.when:
                when = day_text(line.when, today)  # the day a contract ends, not a moment
            elif line.when and is_day_only(line.when):
                when = day_text(local_datetime(line.when), today)  # a day given without a time
            elif line.when:
                local = local_datetime(line.when)
                when = f"{day_text(local, today)} {local:%H:%M}"
            else:
                when = ""
            if line.overdue:
                # Said in words as well as in colour.
                when = self.tr("%1 (overdue)").replace("%1", when)
            item = QTreeWidgetItem(section, [when, self._what(line), line.about() or ""])
            item.setToolTip(1, line.title)
            item.setData(0, LineRole, line)
            if line.overdue:
                for column in range(3):
                    item.setForeground(column, QBrush(OVERDUE))
        if part.total > len(part.lines):
            more = QTreeWidgetItem(
                section, ["", self.tr("and %n more…", "", part.total - len(part.lines))]
            )
            if kind in LISTED_ELSEWHERE:
                more.setData(0, LineRole, kind)
            else:
                # Notes have no list of their own: the next ones come as these are read.
                more.setFlags(Qt.ItemFlag.ItemIsEnabled)

    def _what(self, line: TodayLine) -> str:
        """The line's text: a note or comment as "who: its first words", a next step by its
        first words (its tooltip has them all)."""
        if line.kind not in ("note", "comment", "next_step"):
            return line.title
        first = line.title.strip().splitlines()[0] if line.title.strip() else ""
        if len(first) > SHOWN_TEXT:
            first = first[: SHOWN_TEXT - 1] + "…"
        if line.kind == "next_step":
            return first
        return self.tr("%1: %2").replace("%1", line.by or self.tr("someone")).replace("%2", first)

    def _select(self, wanted: TodayLine | None) -> None:
        """Keep the line the user was on; else the first, so the keys act on something."""
        if wanted is not None and self.select_line(wanted.entity, wanted.id):
            return
        for section in range(self.list.topLevelItemCount()):
            top = self.list.topLevelItem(section)
            if top.childCount() and isinstance(top.child(0).data(0, LineRole), TodayLine):
                self.list.setCurrentItem(top.child(0))
                return

    # -- acting on a line --------------------------------------------------------------------

    def current_line(self) -> TodayLine | None:
        item = self.list.currentItem()
        data = item.data(0, LineRole) if item is not None else None
        return data if isinstance(data, TodayLine) else None

    def select_line(self, entity: str, row_id: str) -> bool:
        """Make the line of that record current (for tests and keyboard users' callers)."""
        for section in range(self.list.topLevelItemCount()):
            top = self.list.topLevelItem(section)
            for row in range(top.childCount()):
                line = top.child(row).data(0, LineRole)
                if isinstance(line, TodayLine) and (line.entity, line.id) == (entity, row_id):
                    self.list.setCurrentItem(top.child(row))
                    return True
        return False

    def _offer_actions(self) -> None:
        line = self.current_line()
        task = line is not None and line.entity == "tasks"
        self.buttons["todayOpen"].setEnabled(line is not None)
        self.buttons["todayLogCall"].setEnabled(line is not None and line.customer_id is not None)
        self.buttons["todayDone"].setEnabled(task)
        self.buttons["todayPostpone"].setEnabled(
            line is not None and line.kind in ("task", "next_step")
        )
        self.buttons["todayDelegate"].setEnabled(task)
        self.buttons["todaySnooze"].setEnabled(line is not None and line.kind == "reminder")
        self.buttons["todayMarkRead"].setEnabled(
            line is not None and line.kind in ("note", "comment")
        )

    def _activated(self, item: QTreeWidgetItem) -> None:
        data = item.data(0, LineRole)
        if isinstance(data, TodayLine):
            self._open(data)
        elif isinstance(data, str):
            self.show_more.emit(data)

    def open_current(self) -> None:
        line = self.current_line()
        if line is not None:
            self._open(line)

    def _open(self, line: TodayLine) -> None:
        if line.kind == "note":
            self._read_note(line)
        elif line.kind == "comment" and line.log_day is not None:
            self.open_work_log.emit(line.log_day)  # where it is read, with the others
            self.mark_read(line)
        else:
            self.open_record.emit(line.entity, line.id)

    def _read_note(self, line: TodayLine) -> None:
        """The whole note; reading it marks it read, and its customer opens from there."""
        box = QMessageBox(self)
        box.setObjectName("noteBox")
        box.setWindowTitle(self.tr("Note from %1").replace("%1", line.by or self.tr("someone")))
        shown, cut = _note_start(line.title)
        box.setText(shown)
        about = []
        if line.customer_name:
            about.append(self.tr("About %1").replace("%1", line.customer_name))
        if cut:
            # A box as tall as the note would put its buttons below the screen: the rest of a
            # long note is in the box's own scrolling details.
            box.setDetailedText(line.title)
            about.append(self.tr("The whole note is under Show Details."))
        if about:
            box.setInformativeText("\n".join(about))
        opener = None
        if line.customer_id is not None:
            opener = box.addButton(self.tr("Open the customer"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        self.mark_read(line)
        if opener is not None and box.clickedButton() is opener:
            self.open_record.emit("customers", line.customer_id)

    def mark_read(self, line: TodayLine) -> None:
        if line.kind == "comment":
            self._runner.write(partial(self._writer.mark_comments_read, [line.id]))
            return
        self._runner.write(partial(self._writer.update, "notes", line.id, {"read_at": utcnow()}))

    def mark_read_current(self) -> None:
        line = self.current_line()
        if line is not None and line.kind in ("note", "comment"):
            self.mark_read(line)

    def log_call_current(self) -> None:
        line = self.current_line()
        if line is not None and line.customer_id is not None:
            self.log_call.emit(line.customer_id)

    def done_current(self) -> None:
        line = self.current_line()
        if line is not None and line.entity == "tasks":
            self._runner.write(partial(self._writer.update, "tasks", line.id, {"done": True}))

    def postpone(self, line: TodayLine, day: date) -> None:
        """Move a task's due time, or a customer's next step, to `day` (same time of day)."""
        at = local_datetime(line.when).time() if line.when else time(9, 0)
        moved = local_to_utc(datetime.combine(day, at))
        if line.entity == "tasks":
            self._runner.write(partial(self._writer.postpone_task, line.id, moved))
        else:
            self._runner.write(
                partial(self._writer.move_next_step, line.id, line.planned_by, moved)
            )

    def snooze(self, line: TodayLine, wait: timedelta | None) -> None:
        """Remind again after `wait`, or (None) the next morning at nine by the user's clock."""
        if wait is None:
            later = local_to_utc(datetime.combine(_next_morning(datetime.now()), MORNING))
        else:
            later = utcnow() + wait
        self._runner.write(partial(self._writer.update, "tasks", line.id, {"remind_at": later}))

    def snooze_current(self, wait: timedelta | None) -> None:
        line = self.current_line()
        if line is not None and line.kind == "reminder":
            self.snooze(line, wait)

    def _show_snooze_menu(self) -> None:
        button = self.buttons["todaySnooze"]
        self.snooze_menu.popup(button.mapToGlobal(button.rect().bottomLeft()))

    def delegate(self, line: TodayLine, user_id: str) -> None:
        self._runner.write(partial(self._writer.update, "tasks", line.id, {"assignee_id": user_id}))

    def ask_postpone(self) -> None:
        line = self.current_line()
        if line is None or line.kind not in ("task", "next_step"):
            return
        dialog = PostponeDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.postpone(line, dialog.day())

    def ask_delegate(self) -> None:
        line = self.current_line()
        if line is None or line.entity != "tasks":
            return
        work = partial(self._reader.delegates, line.id, self._profile.user_id)
        self._runner.submit(work, partial(self._chosen, line))

    def _chosen(self, line: TodayLine, others: list[tuple[str, str]]) -> None:
        if not others:
            QMessageBox.information(
                self,
                self.tr("Delegate"),
                self.tr(
                    "Nobody else would see “%1”: the server shows a task only to those who "
                    "see its customer (for a task on no customer, to whoever made it)."
                ).replace("%1", line.title),
            )
            return
        labels = [label for _, label in others]  # unique: namesakes carry their logins
        label, ok = QInputDialog.getItem(
            self,
            self.tr("Delegate"),
            self.tr("Give “%1” to:").replace("%1", line.title),
            labels,
            0,
            False,
        )
        if ok:
            self.delegate(line, others[labels.index(label)][0])


# A note longer than this shows its start in the box and the whole in its details.
NOTE_LINES_SHOWN = 12
NOTE_CHARACTERS_SHOWN = 600


def _note_start(text: str) -> tuple[str, bool]:
    """The start of a note that fits a box on a laptop's screen, and whether it is cut."""
    lines = text.splitlines()
    if len(lines) <= NOTE_LINES_SHOWN and len(text) <= NOTE_CHARACTERS_SHOWN:
        return text, False
    start = "\n".join(lines[:NOTE_LINES_SHOWN])[:NOTE_CHARACTERS_SHOWN]
    return start.rstrip() + "…", True


class PostponeDialog(QDialog):
    """Pick the day a task or next step moves to (tomorrow unless chosen otherwise)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("postponeDialog")
        self.setWindowTitle(QCoreApplication.translate("TodayView", "Postpone to"))
        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("postponeDay")
        self.calendar.setMinimumDate(QDate.currentDate())  # a day gone is no postponement
        self.calendar.setSelectedDate(QDate(_tomorrow()))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.calendar)
        layout.addWidget(buttons)

    def day(self) -> date:
        return self.calendar.selectedDate().toPython()


def _tomorrow() -> date:
    return date.today() + timedelta(days=1)


def _next_morning(now: datetime) -> date:
    """The day of "tomorrow morning" said at `now` (local): after midnight and before
    NIGHT_ENDS it is the morning coming, not the one after."""
    return now.date() if now.time() < NIGHT_ENDS else now.date() + timedelta(days=1)
