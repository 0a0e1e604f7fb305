"""The daily work log (日志): the user's own log of a day and, for a manager or an
administrator, his team's logs of that day.

**My log**: what I did, tomorrow's plan, problems. A day with no log yet starts with a summary
of what the user did that day as this device knows it (follow-ups he logged, customers he
added, tasks he finished: queries/work_logs.py), for him to edit. Save writes the log in his
own name (only the author may write it) and the comments his readers wrote are listed under it.

**Team** (managers and administrators): each person whose logs the user reads, with his log of
the day or "no log yet"; choosing one shows it with its comments, and the user can add one.

Reads run on the storage thread and again after each write or sync that touches what is shown;
typing not yet saved is never overwritten by a reload, and changing the day asks first.
"""

from __future__ import annotations

import html
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.dates import local_to_utc
from crm_desktop.profile import Profile
from crm_desktop.queries.reader import Reader
from crm_desktop.queries.work_logs import Comment, DaySummary, MyDay, Team, TeamLog
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import Writer
from crm_desktop.views.display import choice_label, local_minute
from crm_desktop.views.page import Page
from crm_desktop.views.runner import Runner, describe_error

AuthorRole = Qt.ItemDataRole.UserRole + 1
# Writes that can change what the view shows (the summary reads follow-ups, customers, tasks).
SHOWN_FROM = frozenset(
    {"work_logs", "work_log_comments", "users", "followups", "customers", "tasks"}
)
ERROR_STYLE = "color: #b00020;"


def day_range(day: date) -> tuple[datetime, datetime]:
    """The day on the user's clock, midnight to midnight, in naive UTC as stored."""
    start = datetime.combine(day, time())
    return local_to_utc(start), local_to_utc(start + timedelta(days=1))


class WorkLogView(Page):
    saved = Signal(str)  # the id of the log just saved
    shown = Signal()  # each time a day's log has been read and shown

    def __init__(
        self,
        profile: Profile,
        runner: Runner,
        reader: Reader,
        writer: Writer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("workLogView", profile, runner, reader, writer, parent)
        self.day = datetime.now().date()
        self._follows_today = True  # the day shown is "today", whichever day that is
        self.log: dict[str, Any] | None = None  # the shown day's stored log
        self.team: Team | None = None
        self.team_logs: list[TeamLog] = []
        self._loaded: tuple[str, str, str] = ("", "", "")  # the boxes as last filled or saved
        self._shown_day: date | None = None
        self._generation = 0

        self.previous_button, self.today_button, self.next_button = self._stepper(
            "workLog",
            (self.tr("‹ Previous day"), self.tr("Today"), self.tr("Next day ›")),
            self.step,
            lambda: self.set_day(datetime.now().date()),
        )
        self.day_edit = QDateEdit()
        self.day_edit.setObjectName("workLogDay")
        self.day_edit.setAccessibleName(self.tr("Day of the log"))
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("yyyy-MM-dd")
        self.day_edit.setMaximumDate(QDate.currentDate())
        self.day_edit.setDate(QDate(self.day.year, self.day.month, self.day.day))
        self.day_edit.dateChanged.connect(lambda value: self.set_day(value.toPython()))
        bar = QHBoxLayout()
        day_label = QLabel(self.tr("Day"))
        day_label.setBuddy(self.day_edit)
        bar.addWidget(day_label)
        bar.addWidget(self.day_edit)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.today_button)
        bar.addWidget(self.next_button)
        bar.addStretch(1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("workLogTabs")
        self.tabs.addTab(self._build_mine(), self.tr("My log"))
        self.team_tab: QWidget | None = None  # added once the user is known to lead a team
        self.tabs.tabBar().setVisible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)

        runner.changed.connect(self._changed)
        self._read_team()
        self.reload()

    # -- building ----------------------------------------------------------------------------

    def _build_mine(self) -> QWidget:
        page = QWidget()
        page.setObjectName("workLogMine")
        self.state = QLabel()
        self.state.setObjectName("workLogState")
        self.state.setWordWrap(True)
        self.done_edit = self._text_box("workLogDone", self.tr("What I did"))
        self.plan_edit = self._text_box("workLogPlan", self.tr("Tomorrow's plan"))
        self.problems_edit = self._text_box("workLogProblems", self.tr("Problems"))
        form = QFormLayout()
        form.addRow(self.tr("What I did"), self.done_edit)
        form.addRow(self.tr("Tomorrow's plan"), self.plan_edit)
        form.addRow(self.tr("Problems"), self.problems_edit)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("workLogSave")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.message = QLabel()
        self.message.setObjectName("workLogMessage")
        self.message.setWordWrap(True)
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addWidget(self.message, 1)
        self.comments = QListWidget()
        self.comments.setObjectName("workLogComments")
        self.comments.setAccessibleName(self.tr("Comments on my log"))
        self.comments.setWordWrap(True)
        self.comments.setMaximumHeight(140)

        layout = QVBoxLayout(page)
        layout.addWidget(self.state)
        layout.addLayout(form, 1)
        layout.addLayout(actions)
        layout.addWidget(QLabel(self.tr("Comments")))
        layout.addWidget(self.comments)
        return page

    def _text_box(self, name: str, accessible: str) -> QPlainTextEdit:
        box = QPlainTextEdit()
        box.setObjectName(name)
        box.setAccessibleName(accessible)
        box.setTabChangesFocus(True)
        return box

    def _build_team(self) -> QWidget:
        page = QWidget()
        page.setObjectName("workLogTeam")
        self.missing = QLabel()
        self.missing.setObjectName("workLogMissing")
        self.missing.setWordWrap(True)
        self.members = QTreeWidget()
        self.members.setObjectName("workLogMembers")
        self.members.setAccessibleName(self.tr("Team's logs"))
        self.members.setHeaderLabels([self.tr("Person"), self.tr("Log")])
        self.members.setRootIsDecorated(False)
        self.members.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.members.currentItemChanged.connect(lambda *_: self._member_chosen())
        self.member_log = QTextBrowser()
        self.member_log.setObjectName("workLogMemberLog")
        self.member_comments = QListWidget()
        self.member_comments.setObjectName("workLogMemberComments")
        self.member_comments.setWordWrap(True)
        self.comment_edit = QPlainTextEdit()
        self.comment_edit.setObjectName("workLogCommentEdit")
        self.comment_edit.setAccessibleName(self.tr("Your comment"))
        self.comment_edit.setPlaceholderText(self.tr("Your comment on this log"))
        self.comment_edit.setTabChangesFocus(True)
        self.comment_edit.setMaximumHeight(80)
        self.comment_button = QPushButton(self.tr("Add comment"))
        self.comment_button.setObjectName("workLogAddComment")
        self.comment_button.clicked.connect(self.add_comment)
        self.comment_message = QLabel()
        self.comment_message.setObjectName("workLogCommentMessage")
        self.comment_message.setWordWrap(True)

        detail = QWidget()
        right = QVBoxLayout(detail)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.member_log, 2)
        right.addWidget(QLabel(self.tr("Comments")))
        right.addWidget(self.member_comments, 1)
        right.addWidget(self.comment_edit)
        row = QHBoxLayout()
        row.addWidget(self.comment_button)
        row.addWidget(self.comment_message, 1)
        right.addLayout(row)
        splitter = QSplitter()
        splitter.addWidget(self.members)
        splitter.addWidget(detail)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(page)
        layout.addWidget(self.missing)
        layout.addWidget(splitter, 1)
        self._show_member()
        return page

    # -- the day -----------------------------------------------------------------------------

    def step(self, days: int) -> None:
        self.set_day(self.day + timedelta(days=days))

    def set_day(self, day: date) -> bool:
        """Show another day's log (a day still ahead has none: today's is shown); asks first
        when typing would be lost. False if kept."""
        day = min(day, datetime.now().date())
        if day == self.day:
            return True
        if self.has_unsaved_input() and not self._may_discard():
            self._show_day_in_editor(self.day)
            return False
        self.day = day
        self._follows_today = day == datetime.now().date()
        self._show_day_in_editor(day)
        self.reload()
        return True

    def showEvent(self, event: QShowEvent) -> None:  # Qt override
        # Opened on today's log, the page stays on "today": left open overnight, it shows the
        # new day's log the next morning (not yesterday's, to be saved into by mistake).
        today = datetime.now().date()
        if self._follows_today and self.day != today and not self.has_unsaved_input():
            self.set_day(today)
        super().showEvent(event)

    def _show_day_in_editor(self, day: date) -> None:
        self.day_edit.blockSignals(True)
        self.day_edit.setMaximumDate(QDate.currentDate())
        self.day_edit.setDate(QDate(day.year, day.month, day.day))
        self.day_edit.blockSignals(False)

    def _may_discard(self) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Work log not saved"),
            self.tr("Your log of {day} is not saved. Leave it and lose what you typed?").format(
                day=self.day.isoformat()
            ),
        )
        return answer == QMessageBox.StandardButton.Yes

    def has_unsaved_input(self) -> bool:
        return self._texts() != self._loaded

    def _texts(self) -> tuple[str, str, str]:
        return (
            self.done_edit.toPlainText(),
            self.plan_edit.toPlainText(),
            self.problems_edit.toPlainText(),
        )

    # -- reading -----------------------------------------------------------------------------

    def _read_team(self) -> None:
        work = partial(self._reader.team_of, self._profile.user_id, True)
        self._runner.submit(work, self._team_arrived)

    def _team_arrived(self, team: Team) -> None:
        self.team = team
        if team.leads and self.team_tab is None:
            self.team_tab = self._build_team()
            self.tabs.addTab(self.team_tab, self.tr("Team"))
        elif not team.leads and self.team_tab is not None:
            self.tabs.removeTab(self.tabs.indexOf(self.team_tab))
            self.team_tab.deleteLater()
            self.team_tab = None
        self.tabs.tabBar().setVisible(self.tabs.count() > 1)
        self._read_team_logs(self._generation)

    def reload(self) -> None:
        """Read the day's own log and, for a team's reader, the team's logs."""
        self._generation += 1
        generation = self._generation
        start, end = day_range(self.day)
        work = partial(self._reader.work_log_day, self._profile.user_id, self.day, start, end)
        self._runner.submit(work, partial(self._my_day_arrived, generation, self.day))
        self._read_team_logs(generation)

    def _read_team_logs(self, generation: int) -> None:
        if self.team is None or not self.team.leads:
            return
        others = [user_id for user_id, _name in self.team.members[1:]]
        work = partial(self._reader.team_logs, others, self.day)
        self._runner.submit(work, partial(self._team_logs_arrived, generation))

    def _changed(self, changes: ChangeSet) -> None:
        touched = changes.entities()
        if "users" in touched or changes.reload:
            self._read_team()
        if touched & SHOWN_FROM:
            self.reload()

    def _my_day_arrived(self, generation: int, day: date, mine: MyDay) -> None:
        if generation != self._generation:
            return
        same_day = day == self._shown_day
        self._shown_day = day
        self.log = mine.log
        # Typing not yet saved stays as it is; only the comments change under it.
        if not (same_day and self.has_unsaved_input()):
            if mine.log is not None:
                texts = (mine.log["done"] or "", mine.log["plan"] or "", mine.log["problems"] or "")
            else:
                texts = (self.summary_text(mine.summary or DaySummary()), "", "")
            self.done_edit.setPlainText(texts[0])
            self.plan_edit.setPlainText(texts[1])
            self.problems_edit.setPlainText(texts[2])
            self._loaded = texts
        if mine.log is None and (mine.summary is None or mine.summary.is_empty()):
            # Nothing to fill in: an empty box is not "filled in from the records".
            self.state.setText(
                self.tr(
                    "No log for {day} yet, and this computer has no follow-ups, new customers "
                    "or finished tasks of yours that day to fill in: write what you did, your "
                    "plan and problems, then save."
                ).format(day=day.isoformat())
            )
        elif mine.log is None:
            self.state.setText(
                self.tr(
                    "No log for {day} yet. What you did is filled in from this device's "
                    "records: edit it, add your plan and problems, then save."
                ).format(day=day.isoformat())
            )
        else:
            when = local_minute(mine.log["updated_at"])
            self.state.setText(
                self.tr("Your log of {day}, last saved {when}.").format(
                    day=day.isoformat(), when=when
                )
            )
        self._fill_comments(self.comments, mine.comments)
        if not mine.comments:
            self.comments.addItem(self.tr("No comments yet."))
        self.shown.emit()

    def _team_logs_arrived(self, generation: int, logs: list[TeamLog]) -> None:
        if generation != self._generation or self.team_tab is None:
            return
        chosen = self.current_member()
        self.team_logs = logs
        self.members.blockSignals(True)
        self.members.clear()
        for entry in logs:
            status = self.tr("Written") if entry.log is not None else self.tr("No log yet")
            if entry.comments:
                status += " · " + self.tr("%n comment(s)", "", len(entry.comments))
            item = QTreeWidgetItem([entry.author_name or entry.author_id, status])
            item.setData(0, AuthorRole, entry.author_id)
            if entry.log is None:
                item.setForeground(1, self.palette().placeholderText())
            self.members.addTopLevelItem(item)
            if entry.author_id == chosen:
                self.members.setCurrentItem(item)
        if self.members.currentItem() is None and self.members.topLevelItemCount():
            self.members.setCurrentItem(self.members.topLevelItem(0))
        self.members.blockSignals(False)
        self.members.resizeColumnToContents(0)
        missing = [e.author_name or e.author_id for e in logs if e.log is None]
        if not logs:
            self.missing.setText(self.tr("Nobody's logs reach this device yet."))
        elif missing:
            self.missing.setText(
                self.tr("No log yet for {day}: {names}").format(
                    day=self.day.isoformat(), names=", ".join(missing)
                )
            )
        else:
            self.missing.setText(
                self.tr("Everyone wrote a log for {day}.").format(day=self.day.isoformat())
            )
        self._show_member()

    # -- showing -----------------------------------------------------------------------------

    def summary_text(self, summary: DaySummary) -> str:
        """The day's summary in the user's language: what pre-fills a new log."""
        lines: list[str] = []

        def more(shown: int, total: int) -> None:
            if total > shown:
                lines.append(self.tr("…and %n more", "", total - shown))

        if summary.followups_total:
            lines.append(self.tr("Follow-ups (%n):", "", summary.followups_total))
            # The brackets and the colon as the user's language writes them (（拜访）：).
            said_as = self.tr("- {customer} ({kind}): {text}")
            plain_as = self.tr("- {customer} ({kind})")
            for line in summary.followups:
                template = said_as if line.text else plain_as
                lines.append(
                    template.format(
                        customer=line.customer_name, kind=choice_label(line.kind), text=line.text
                    )
                )
            more(len(summary.followups), summary.followups_total)
        if summary.new_customers_total:
            lines.append(self.tr("New customers (%n):", "", summary.new_customers_total))
            lines.extend(f"- {name}" for name in summary.new_customers)
            more(len(summary.new_customers), summary.new_customers_total)
        if summary.tasks_done_total:
            lines.append(self.tr("Tasks done (%n):", "", summary.tasks_done_total))
            for task in summary.tasks_done:
                template = self.tr("- {task} ({customer})") if task.customer_name else "- {task}"
                lines.append(template.format(task=task.title, customer=task.customer_name))
            more(len(summary.tasks_done), summary.tasks_done_total)
        return "\n".join(lines)

    def _fill_comments(self, widget: QListWidget, comments: list[Comment]) -> None:
        widget.clear()
        for comment in comments:
            when = local_minute(comment.created_at)
            who = comment.author_name or comment.author_id
            item = QListWidgetItem(
                self.tr("{who}, {when}: {text}").format(who=who, when=when, text=comment.text)
            )
            item.setToolTip(comment.text)
            widget.addItem(item)

    def current_member(self) -> str | None:
        if self.team_tab is None:
            return None
        item = self.members.currentItem()
        return item.data(0, AuthorRole) if item is not None else None

    def choose_member(self, author_id: str) -> bool:
        """Select one person's log in the Team tab; False if he is not listed."""
        if self.team_tab is None:
            return False
        for row in range(self.members.topLevelItemCount()):
            item = self.members.topLevelItem(row)
            if item.data(0, AuthorRole) == author_id:
                self.members.setCurrentItem(item)
                return True
        return False

    def _member_entry(self) -> TeamLog | None:
        chosen = self.current_member()
        return next((e for e in self.team_logs if e.author_id == chosen), None)

    def _member_chosen(self) -> None:
        self.comment_message.clear()
        self._show_member()

    def _show_member(self) -> None:
        entry = self._member_entry()
        has_log = entry is not None and entry.log is not None
        self.comment_edit.setEnabled(has_log)
        self.comment_button.setEnabled(has_log)
        if entry is None:
            self.member_log.clear()
            self.member_comments.clear()
            return
        name = html.escape(entry.author_name or entry.author_id)
        if entry.log is None:
            self.member_log.setHtml(
                f"<h3>{name}</h3><p>"
                + html.escape(self.tr("No log yet for {day}.").format(day=self.day.isoformat()))
                + "</p>"
            )
            self.member_comments.clear()
            return
        parts = [f"<h3>{name}</h3>"]
        for title, key in (
            (self.tr("What I did"), "done"),
            (self.tr("Tomorrow's plan"), "plan"),
            (self.tr("Problems"), "problems"),
        ):
            text = html.escape(entry.log.get(key) or "—").replace("\n", "<br>")
            parts.append(f"<p><b>{html.escape(title)}</b><br>{text}</p>")
        self.member_log.setHtml("".join(parts))
        self._fill_comments(self.member_comments, entry.comments)

    # -- writing -----------------------------------------------------------------------------

    def save(self) -> None:
        """Write the shown day's log: a new one in the user's name, or the fields changed."""
        done, plan, problems = self._texts()
        values = {"done": done, "plan": plan or None, "problems": problems or None}
        if self.log is None:
            work = partial(
                self._writer.create,
                "work_logs",
                {"author_id": self._profile.user_id, "day": self.day, **values},
            )
        else:
            changed = {k: v for k, v in values.items() if (self.log.get(k) or None) != v}
            if not changed:
                self._say(self.tr("Nothing changed."))
                return
            work = partial(self._writer.update, "work_logs", self.log["id"], changed)
        self.save_button.setEnabled(False)
        self._say(self.tr("Saving…"))
        self._runner.write(work, partial(self._saved, self._texts()), self._save_failed)

    def _saved(self, texts: tuple[str, str, str], changes: ChangeSet) -> None:
        self.save_button.setEnabled(True)
        self._loaded = texts  # before the reload the write sets off: nothing is unsaved now
        self._say(self.tr("Saved."))
        if changes.primary_id:
            self.saved.emit(changes.primary_id)

    def _save_failed(self, error: BaseException) -> None:
        self.save_button.setEnabled(True)
        self._say(describe_error(error), error=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    def add_comment(self) -> None:
        """Comment, in the user's own name, on the chosen team member's log."""
        entry = self._member_entry()
        text = self.comment_edit.toPlainText()
        if entry is None or entry.log is None:
            return
        values = {"log_id": entry.log["id"], "author_id": self._profile.user_id, "text": text}
        self.comment_button.setEnabled(False)
        self._runner.write(
            partial(self._writer.create, "work_log_comments", values),
            self._commented,
            self._comment_failed,
        )

    def _commented(self, _changes: ChangeSet) -> None:
        self.comment_edit.clear()
        self.comment_button.setEnabled(True)
        self.comment_message.setStyleSheet("")
        self.comment_message.setText(self.tr("Comment added."))

    def _comment_failed(self, error: BaseException) -> None:
        self.comment_button.setEnabled(True)
        self.comment_message.setStyleSheet(ERROR_STYLE)
        self.comment_message.setText(describe_error(error))
