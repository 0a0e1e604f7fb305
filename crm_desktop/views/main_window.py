"""The main window: one search box, and tables of customers, contacts, opportunities and tasks.

The window only assembles its parts, each a widget of its own:

- `SearchBox` (search_box.py): the search at the top, for whichever table is showing;
- `RecordTabs` (record_tabs.py): the tables, one tab each;
- `RecordActions` (record_actions.py): new, open, delete and undo, with their forms and pages;
- `SyncStatusArea` (sync_status.py): where sync stands and *Sync now*, in the status bar;
- `ServerMenu` (server_menu.py) and `LanguageMenu` (language_menu.py);

and the count of rows in the table on show, beside them in the status bar. The window's title,
the toolbar's New, the filter bar and that count follow the page shown: the filters and the count
are there only over a record list they apply to.

Storage work runs on the runner's storage thread; connecting to a server on a network thread
of its own; sync on the sync controller's thread.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.duplicates.model import DuplicateGroup
from crm_desktop.models.base import utcnow
from crm_desktop.models.dates import end_of_local_day
from crm_desktop.profile import Profile
from crm_desktop.queries.reader import Reader
from crm_desktop.queries.tables import AtMost
from crm_desktop.views.about_dialog import AboutDialog
from crm_desktop.views.backups_dialog import open_backups
from crm_desktop.views.calendar_view import CalendarView
from crm_desktop.views.customer_page import CustomerPage
from crm_desktop.views.dashboard_view import DashboardView
from crm_desktop.views.duplicates_view import DuplicatesView
from crm_desktop.views.first_run_wizard import FirstRunWizard
from crm_desktop.views.import_wizard import ImportWizard
from crm_desktop.views.imports_dialog import ImportsDialog
from crm_desktop.views.language_menu import LanguageMenu
from crm_desktop.views.list_filters import (
    GradeFilter,
    OverdueFilter,
    PaidInFilter,
    PoolDueFilter,
    filters,
    scoped,
)
from crm_desktop.views.local_grading import LocalGrading
from crm_desktop.views.navigation import Navigation
from crm_desktop.views.payments_total import PaymentsTotal
from crm_desktop.views.receivables_view import ReceivablesView
from crm_desktop.views.record_actions import STATUS_MESSAGE_MS, RecordActions
from crm_desktop.views.record_form import RecordForm
from crm_desktop.views.record_tabs import TABS, DrillBanner, RecordTabs, tab_title
from crm_desktop.views.reminders import ReminderBanner, Reminders
from crm_desktop.views.renewals_view import RenewalsView
from crm_desktop.views.runner import Runner
from crm_desktop.views.scope_filter import MINE, ScopeFilter
from crm_desktop.views.search_box import SearchBox
from crm_desktop.views.server_menu import ServerMenu
from crm_desktop.views.sync_controller import SyncController
from crm_desktop.views.sync_status import SyncStatusArea
from crm_desktop.views.team_activity_view import TeamActivityView
from crm_desktop.views.today_view import TodayView
from crm_desktop.views.work_log_view import WorkLogView

# The sidebar's keys for the pages that are not record lists (those go by their entity).
TODAY, CALENDAR, WORK_LOG, ACTIVITY = "today", "calendar", "work_log", "activity"
RENEWALS, RECEIVABLES, DUPLICATES = "renewals", "receivables", "duplicates"
DASHBOARD = "dashboard"
PAGES = (TODAY, CALENDAR, WORK_LOG, ACTIVITY, RENEWALS, RECEIVABLES, DUPLICATES, DASHBOARD)
CUSTOMER = "customer:"  # an open customer's page: the prefix of its key


class MainWindow(QMainWindow):
    def __init__(
        self,
        profile: Profile,
        parent: QWidget | None = None,
        session_password: str | None = None,
    ) -> None:
        """`session_password`: the server's, typed before the window where no keyring kept it
        (the first-run wizard), for this session's syncs from the first one on."""
        super().__init__(parent)
        self.profile = profile
        self.runner = Runner(str(profile.store.path), self)
        self.network = Runner(str(profile.store.path), self, name="network")
        self.reader = Reader(profile.store)
        self.writer = profile.writer()
        self.settings = QSettings(
            str(Path(profile.directory) / "ui.ini"), QSettings.Format.IniFormat
        )
        self.setObjectName("mainWindow")

        self.search = SearchBox()
        self.tabs = RecordTabs(self.runner, self.reader, profile.region)
        self.models, self.views = self.tabs.models, self.tabs.views  # the tables, by entity
        self.sync = SyncController(profile, self.runner, self)
        self.sync.password = session_password
        self.records = RecordActions(
            self, self.tabs, profile, self.runner, self.reader, self.writer, self.sync
        )
        self.sync_area = SyncStatusArea(profile, self.writer, self.runner, self.sync)
        self.server_menu = ServerMenu(
            profile, self.writer, self.runner, self.network, self.sync, self.sync_area, self
        )
        self.scope = ScopeFilter()
        self.scope.scope_changed.connect(
            lambda scope: self.tabs.set_scope(
                scope, self.profile.user_id, self.profile.scope().team
            )
        )
        self.grade_filter = GradeFilter()
        self.pool_due_filter = PoolDueFilter()
        self.overdue_filter = OverdueFilter()
        self.paid_in_filter = PaidInFilter()
        self.payments_total = PaymentsTotal(self.models["payments"], self.runner, self.reader)
        self.paid_in_filter.new_day.connect(self.payments_total.refresh)
        for chooser in (
            self.grade_filter,
            self.pool_due_filter,
            self.overdue_filter,
            self.paid_in_filter,
        ):
            chooser.changed.connect(self.tabs.set_filter)
        self.sync.finished.connect(lambda _report: self._offer_filters())
        self.sync_area.returning_requested.connect(self.show_returning_soon)
        self.sync_area.doubles_requested.connect(self.show_arrived_doubles)
        self._offer_filters()
        self.search.searched.connect(self.tabs.set_search)
        self.search.entered.connect(self.records.open_only_result)
        self.tabs.layout_changed.connect(self._save_layout)
        self.today = TodayView(profile, self.runner, self.reader, self.writer)
        self.today.open_record.connect(self.records.open_record)
        self.today.log_call.connect(self.records.log_call)
        self.today.show_more.connect(self._show_more)
        self.today.open_work_log.connect(self.show_work_log)
        self._build_pages()
        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()
        # Everything around the page follows the one shown, from the first.
        self.pages.currentChanged.connect(self._page_shown)
        self.tabs.currentChanged.connect(self._page_shown)
        self._page_shown()

        self._restore_layout()
        self.sync_area.refresh()
        self.tabs.current_model().reload()
        self.today.reload()
        self.sync.finished.connect(lambda _report: self.today.reload())
        self.search.setFocus()
        self.sync.start()

    # -- where the user is -------------------------------------------------------------------

    def _build_pages(self) -> None:
        """The sidebar and the page it shows: Today first, then each record list."""
        self._history: list[str] = []  # the pages shown, for Back and Forward
        self._at = -1
        self.back_action = QAction(self.tr("Back"), self)
        self.back_action.setObjectName("backAction")
        self.back_action.setShortcut(QKeySequence.StandardKey.Back)
        self.back_action.triggered.connect(self.back)
        self.forward_action = QAction(self.tr("Forward"), self)
        self.forward_action.setObjectName("forwardAction")
        self.forward_action.setShortcut(QKeySequence.StandardKey.Forward)
        self.forward_action.triggered.connect(self.forward)
        self.navigation = Navigation()
        self._titles: dict[str, str] = {}  # the sidebar's places, by key: the window's title
        self.pages = QStackedWidget()
        self.pages.setObjectName("mainPages")
        self.pages.addWidget(self.today)
        self.pages.addWidget(self.tabs)
        # The sidebar chooses the list: the tabs' own bar would say it twice.
        self.tabs.tabBar().hide()
        icons = QStyle.StandardPixmap
        self._add_place(TODAY, self.tr("Today"), icons.SP_FileDialogInfoView)
        for (entity, _name), icon in zip(
            TABS,
            (
                icons.SP_DirHomeIcon,
                icons.SP_FileDialogContentsView,
                icons.SP_FileDialogDetailedView,
                icons.SP_DialogApplyButton,
                icons.SP_FileIcon,
                icons.SP_DialogYesButton,
                icons.SP_DriveHDIcon,
            ),
            strict=True,
        ):
            self._add_place(entity, tab_title(entity), icon)
        self._add_place(RENEWALS, self.tr("Renewals"), icons.SP_BrowserReload)
        self._add_place(RECEIVABLES, self.tr("Receivables"), icons.SP_MessageBoxWarning)
        self._add_place(DUPLICATES, self.tr("Find duplicates"), icons.SP_FileLinkIcon)
        self._add_place(CALENDAR, self.tr("Calendar"), icons.SP_FileDialogListView)
        self._add_place(WORK_LOG, self.tr("Work log"), icons.SP_FileDialogDetailedView)
        self._add_place(ACTIVITY, self.tr("Team activity"), icons.SP_ComputerIcon)
        self._add_place(DASHBOARD, self.tr("Dashboard"), icons.SP_FileDialogContentsView)
        # Made when first shown: each reads the store as it starts.
        self.calendar: CalendarView | None = None
        self.work_log: WorkLogView | None = None
        self.activity: TeamActivityView | None = None
        self.renewals: RenewalsView | None = None
        self.receivables: ReceivablesView | None = None
        self.duplicates: DuplicatesView | None = None
        self.dashboard: DashboardView | None = None
        self.navigation.chosen.connect(self.go)
        self.records.customer_page_made.connect(self._customer_page_made)
        self.records.customer_page_shown.connect(lambda page: self.go(CUSTOMER + page.customer_id))
        self.tabs.currentChanged.connect(self._tab_shown)
        self.today.count_changed.connect(partial(self.navigation.set_count, TODAY))
        self.search.searched.connect(self._searched)
        self.search.installEventFilter(self)
        self.reminder_banner = ReminderBanner()
        self.reminders = Reminders(self.today, self.reminder_banner, self)
        self.reminders.show_today.connect(self._show_today)
        self.sync.finished.connect(lambda _report: self.reminders.arm())
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.drill_banner = DrillBanner()
        self.drill_banner.show_all.connect(self.tabs.clear_drill)
        self.tabs.drill_changed.connect(self._drill_changed)
        column.addWidget(self.reminder_banner)
        column.addWidget(self.drill_banner)
        column.addWidget(self.pages, 1)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.navigation)
        layout.addWidget(right, 1)
        self.setCentralWidget(central)
        self.navigation.go(TODAY)
        self.local_grading = LocalGrading(self.profile, self.runner, self.writer, self)
        # Once the window's first reads are asked for: they go before it on the storage thread.
        QTimer.singleShot(0, self.local_grading.check)

    def _add_place(self, key: str, title: str, icon: QStyle.StandardPixmap) -> None:
        self.navigation.add(key, title, icon)
        self._titles[key] = title

    def shown_key(self) -> str:
        """The key of the page shown (as `go` takes it): Today, a list's entity, another page
        of the sidebar, or "customer:<id>"."""
        shown = self.pages.currentWidget()
        if shown is self.tabs:
            return self.tabs.current_entity()
        if isinstance(shown, CustomerPage):
            return CUSTOMER + shown.customer_id
        pages = {
            TODAY: self.today,
            CALENDAR: self.calendar,
            WORK_LOG: self.work_log,
            ACTIVITY: self.activity,
            RENEWALS: self.renewals,
            RECEIVABLES: self.receivables,
            DUPLICATES: self.duplicates,
            DASHBOARD: self.dashboard,
        }
        return next((key for key, page in pages.items() if page is shown), "")

    def _page_shown(self, _index: int = -1) -> None:
        """The toolbar, the filters, the count, the reminder banner and the title describe the
        page shown, never a list behind it."""
        key = self.shown_key()
        # New on a page that is no list: Today is where the user starts, with a customer; the
        # calendar's entries are tasks; the other pages add nothing of their own (a customer's
        # page has its own Add buttons).
        self.records.set_page(key in self.models, {TODAY: "customers", CALENDAR: "tasks"}.get(key))
        self.reminder_banner.set_today_shown(key == TODAY)
        self._offer_list_tools()
        self._update_count()
        self._update_title()

    def _update_title(self) -> None:
        shown = self.pages.currentWidget()
        place = (
            shown.windowTitle()
            if isinstance(shown, CustomerPage)
            else self._titles.get(self.shown_key(), "")
        )
        self.setWindowTitle(
            self.tr("{page} — CRM Desktop").format(page=place) if place else self.tr("CRM Desktop")
        )

    def _show_today(self) -> None:
        self.go(TODAY)
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()

    def go(self, key: str, remember: bool = True) -> None:
        """Show Today, a record list (by its entity), another page of the sidebar or an open
        customer ("customer:<id>"); Back and Forward walk the pages shown."""
        if remember and (not self._history or self._history[self._at] != key):
            del self._history[self._at + 1 :]
            self._history.append(key)
            self._at = len(self._history) - 1
        self._offer_history()
        if key.startswith(CUSTOMER):
            page = self.records.pages.get(key.removeprefix(CUSTOMER))
            if page is not None:
                self.pages.setCurrentWidget(page)
                self.navigation.setCurrentRow(-1)  # not a place of the sidebar
            return
        if key == TODAY:
            self.pages.setCurrentWidget(self.today)
        elif key == CALENDAR:
            self.pages.setCurrentWidget(self._calendar())
        elif key == WORK_LOG:
            self.pages.setCurrentWidget(self._work_log())
        elif key == ACTIVITY:
            self.pages.setCurrentWidget(self._activity())
        elif key == RENEWALS:
            self.pages.setCurrentWidget(self._renewals())
        elif key == RECEIVABLES:
            self.pages.setCurrentWidget(self._receivables())
        elif key == DUPLICATES:
            self.pages.setCurrentWidget(self._duplicates())
        elif key == DASHBOARD:
            self.pages.setCurrentWidget(self._dashboard())
        else:
            self.pages.setCurrentWidget(self.tabs)
            self.tabs.setCurrentIndex([entity for entity, _ in TABS].index(key))
        self.navigation.go(key)
        self._drill_changed()

    def open_drill(self, entity: str, filters: Any, caption: str) -> None:
        """The list of the records behind a chart's bar."""
        self.go(entity)
        self.tabs.show_drill(entity, filters, caption)

    def _drill_changed(self, caption: str | None = None) -> None:
        """The banner over a list opened from a chart: there while that list shows."""
        if caption:
            self.drill_banner.tell(caption)
        drilled = self.tabs.drilled()
        showing = self.pages.currentWidget() is self.tabs
        self.drill_banner.setVisible(bool(drilled) and showing)

    def back(self) -> None:
        if self._at > 0:
            self._at -= 1
            self.go(self._history[self._at], remember=False)

    def forward(self) -> None:
        if self._at < len(self._history) - 1:
            self._at += 1
            self.go(self._history[self._at], remember=False)

    def _offer_history(self) -> None:
        self.back_action.setEnabled(self._at > 0)
        self.forward_action.setEnabled(self._at < len(self._history) - 1)

    def _customer_page_made(self, page: CustomerPage) -> None:
        self.pages.addWidget(page)
        # Its title is the customer's name once read.
        page.windowTitleChanged.connect(lambda _title: self._update_title())
        page.closed.connect(partial(self._customer_page_closed, page))

    def _customer_page_closed(self, page: CustomerPage, customer_id: str) -> None:
        """A closed customer leaves the pages and the history; the window goes back."""
        key = CUSTOMER + customer_id
        showing = self.pages.currentWidget() is page
        # Where the user was, or the nearest place before it that is still there.
        before = [k for k in self._history[: self._at + 1] if k != key]
        self._history = [k for k in self._history if k != key] or [TODAY]
        self._at = max(0, len(before) - 1)
        self.pages.removeWidget(page)
        # Python owns it from here: it goes when nothing refers to it any more, so a read of
        # the storage thread still on its way to it finds it (deleteLater would not wait).
        page.setParent(None)
        if showing:
            self.go(self._history[self._at], remember=False)
        self._offer_history()

    def _calendar(self) -> CalendarView:
        if self.calendar is None:
            self.calendar = CalendarView(self.profile, self.runner, self.reader, self.writer)
            self.calendar.open_record.connect(self.records.open_record)
            self.pages.addWidget(self.calendar)
        return self.calendar

    def _work_log(self) -> WorkLogView:
        if self.work_log is None:
            self.work_log = WorkLogView(self.profile, self.runner, self.reader, self.writer)
            self.pages.addWidget(self.work_log)
        return self.work_log

    def _activity(self) -> TeamActivityView:
        if self.activity is None:
            self.activity = TeamActivityView(self.profile, self.runner, self.reader, self.writer)
            self.pages.addWidget(self.activity)
        return self.activity

    def _renewals(self) -> RenewalsView:
        if self.renewals is None:
            self.renewals = RenewalsView(self.profile, self.runner, self.reader, self.writer)
            self.renewals.open_record.connect(self.records.open_record)
            self.pages.addWidget(self.renewals)
        return self.renewals

    def _receivables(self) -> ReceivablesView:
        if self.receivables is None:
            self.receivables = ReceivablesView(self.profile, self.runner, self.reader, self.writer)
            self.receivables.open_record.connect(self.records.open_record)
            self.pages.addWidget(self.receivables)
        return self.receivables

    def _duplicates(self) -> DuplicatesView:
        if self.duplicates is None:
            self.duplicates = DuplicatesView(self.profile, self.runner, self.reader, self.writer)
            self.duplicates.open_record.connect(self.records.open_record)
            self.duplicates.mergeRequested.connect(self.records.merge)
            self.pages.addWidget(self.duplicates)
        return self.duplicates

    def _dashboard(self) -> DashboardView:
        if self.dashboard is None:
            self.dashboard = DashboardView(self.profile, self.runner, self.reader, self.writer)
            self.dashboard.open_list.connect(self.open_drill)
            self.pages.addWidget(self.dashboard)
        return self.dashboard

    def _tab_shown(self, _index: int) -> None:
        # A list chosen by other means (a test, a link) shows itself and its sidebar entry.
        if self.pages.currentWidget() is self.tabs or self.navigation.key() not in PAGES:
            self.go(self.tabs.current_entity())

    def eventFilter(self, watched: Any, event: Any) -> bool:  # Qt override
        # Tab or Down from the search box goes to its results.
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Down)
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            self.focus_results()
            return True
        return super().eventFilter(watched, event)

    def focus_results(self) -> None:
        """The keyboard to the list on show, on its first row unless one is chosen."""
        if self.pages.currentWidget() is self.today:
            self.today.list.setFocus()
            return
        if self.pages.currentWidget() is not self.tabs:
            self.go(self.tabs.current_entity())
        view = self.views[self.tabs.current_entity()]
        view.setFocus()
        if not view.currentIndex().isValid() and view.model().rowCount() > 0:
            view.setCurrentIndex(view.model().index(0, 0))

    def log_call(self) -> None:
        """Log a call about what is in front of the user: a line of Today, the customer of
        the page shown, or the customer of a list's selected row."""
        shown = self.pages.currentWidget()
        if isinstance(shown, CustomerPage):
            if shown.refused_change:  # its Log a follow-up is greyed out, and says why
                self.statusBar().showMessage(shown.refused_change, STATUS_MESSAGE_MS)
            else:
                self.records.log_call(shown.customer_id)
            return
        line = self.today.current_line() if shown is self.today else None
        if line is not None and line.customer_id is not None:
            self.today.log_call_current()
        elif shown is self.tabs and self.tabs.selected_ids():
            self.records.log_call_selected()
        else:
            self.records.say_no_customer_to_call()

    def _searched(self, text: str) -> None:
        # Typing a search means looking for a record: show the list it filters.
        if text.strip() and self.pages.currentWidget() is self.today:
            self.go(self.tabs.current_entity())

    def _show_more(self, kind: str) -> None:
        """Today's "and N more": the whole list, in its table."""
        if kind in ("task", "reminder"):
            self._show_due_tasks(kind == "reminder")
        elif kind == "comment":
            self.go(WORK_LOG)
        elif kind == "renewal":
            self.go(RENEWALS)
        elif kind == "pool_return":
            self.show_returning_soon()
        elif kind == "next_step":
            # The user's customers, the next steps soonest first.
            self.go("customers")
            self.scope.set_scope(MINE)
            model = self.models["customers"]
            column = model.spec.column_keys().index("next_followup_at")
            self.tabs.bring_beside_first("customers", "next_followup_at")
            self.views["customers"].sortByColumn(column, Qt.SortOrder.AscendingOrder)

    def _show_due_tasks(self, reminded: bool) -> None:
        """The user's open tasks that Today counts: due by the end of his day, or (`reminded`)
        whose reminder time has come; not the whole list of tasks, done ones first."""
        now = utcnow()
        if reminded:
            when = ("remind_at", AtMost(now))
            caption = self.tr("Your open tasks whose reminder time has come")
        else:
            # Before the day's end: a task of tomorrow given as a day is stored at its midnight.
            when = ("due_at", AtMost(end_of_local_day(now) - timedelta(microseconds=1)))
            caption = self.tr("Your open tasks due by the end of today")
        mine = (("assignee_id", self.profile.user_id), ("done", False), when)
        self.open_drill("tasks", mine, caption)

    def show_work_log(self, day: date) -> None:
        """The user's work log of that day (where a comment on it opens)."""
        self.go(WORK_LOG)
        self._work_log().set_day(day)

    def _offer_filters(self) -> None:
        """What the user's role and the server's rules (as of the last sync) make useful."""
        self.scope.offer_team(self.profile.scope().role == "manager")
        self.pool_due_filter.set_warning_days(self.profile.pool_warning_days())

    def show_returning_soon(self) -> None:
        """The user's own customers that return to the pool within the warning days."""
        self.go("customers")
        self.scope.set_scope(MINE)
        days = self.pool_due_filter.warning_days  # as of the last sync, no read here
        if days:
            self.pool_due_filter.choose(days)

    def show_arrived_doubles(self, groups: list[DuplicateGroup]) -> None:
        """The likely duplicates of customers the last syncs brought, in Find duplicates."""
        self.go(DUPLICATES)
        self._duplicates().show_groups("customers", groups)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Main"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(toolbar)
        toolbar.addAction(self.back_action)
        toolbar.addAction(self.forward_action)
        toolbar.addSeparator()
        for action in self.records.toolbar_actions():
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addWidget(self.search)
        self.addAction(self.search.find_action)
        # The filters on a line of their own: on one line with the actions, a narrow window
        # would push actions out of sight into the toolbar's overflow menu.
        self.addToolBarBreak()
        self.filter_bar = QToolBar(self.tr("Filters"))
        self.filter_bar.setObjectName("filterToolbar")
        self.filter_bar.setMovable(False)
        # Shown only while the list shown is one they filter (_offer_list_tools).
        self.filter_bar.toggleViewAction().setVisible(False)
        self.addToolBar(self.filter_bar)
        # A widget in a toolbar is shown and hidden by its action.
        self._filter_actions = {
            chooser: self.filter_bar.addWidget(chooser)
            for chooser in (
                self.scope,
                self.grade_filter,
                self.pool_due_filter,
                self.overdue_filter,
                self.paid_in_filter,
            )
        }
        self._total_action = self.filter_bar.addWidget(self.payments_total)

    def _offer_list_tools(self) -> None:
        """The filters over a list that has what they filter by; none over another page."""
        key = self.shown_key()
        spec = self.models[key].spec if key in self.models else None
        for chooser, action in self._filter_actions.items():
            if spec is None:
                action.setVisible(False)
            elif chooser is self.scope:
                action.setVisible(scoped(spec))
            else:
                action.setVisible(filters(spec, chooser.key))
        self._total_action.setVisible(spec is self.payments_total.spec)
        self.filter_bar.setVisible(any(a.isVisible() for a in self._filter_actions.values()))

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&File"))
        menu.addAction(self.records.new_action)
        self.log_call_action = menu.addAction(self.tr("Log a call"))
        self.log_call_action.setObjectName("logCallAction")
        self.log_call_action.setShortcut(QKeySequence("Ctrl+L"))
        self.log_call_action.setToolTip(
            self.tr("A follow-up for the customer of the selected line, now (Ctrl+L)")
        )
        self.log_call_action.triggered.connect(self.log_call)
        self.import_action = menu.addAction(self.tr("Import…"))
        self.import_action.setObjectName("importAction")
        self.import_action.setToolTip(
            self.tr(
                "Add customers, contacts or other records from a spreadsheet, CSV or business cards"
            )
        )
        self.import_action.triggered.connect(self.open_import)
        self.imports_action = menu.addAction(self.tr("Recent imports…"))
        self.imports_action.setObjectName("recentImportsAction")
        self.imports_action.setToolTip(self.tr("The imports made here, and Undo for any of them"))
        self.imports_action.triggered.connect(self.open_recent_imports)
        note_action = menu.addAction(self.tr("Send a note…"))
        note_action.setObjectName("sendNoteAction")
        note_action.triggered.connect(lambda: self.records.send_note())
        menu.addAction(self.records.merge_action)
        menu.addAction(self.records.undo_action)
        menu.addSeparator()
        self.backups_action = menu.addAction(self.tr("Backups…"))
        self.backups_action.setObjectName("backupsAction")
        self.backups_action.triggered.connect(
            lambda: open_backups(self, self.profile.directory, self.runner)
        )
        quit_action = menu.addAction(self.tr("Quit"))
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        settings_menu = self.menuBar().addMenu(self.tr("&Settings"))
        settings_menu.addMenu(LanguageMenu(self.profile.store, self.runner, self))
        self.menuBar().addMenu(self.server_menu)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.about_action = help_menu.addAction(self.tr("About CRM Desktop…"))
        self.about_action.setObjectName("aboutAction")
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)  # macOS: in the app menu
        self.about_action.triggered.connect(self.show_about)
        self.first_run_action = help_menu.addAction(self.tr("First-run setup…"))
        self.first_run_action.setObjectName("firstRunAction")
        self.first_run_action.triggered.connect(self.show_first_run)

    def show_about(self) -> AboutDialog:
        """Help → About: the version, and where the profile and its log are (for support)."""
        dialog = AboutDialog(self.profile.directory, self)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def show_first_run(self) -> FirstRunWizard:
        """Help → First-run setup…: the first-run wizard again, over the window (its language
        choice, as Settings → Language, takes effect at the next start)."""
        wizard = FirstRunWizard(self.profile, self.runner, self.network, parent=self)
        wizard.linked.connect(self.server_menu.adopt_connection)
        wizard.import_requested.connect(self.open_import)
        wizard.setModal(True)
        wizard.show()
        return wizard

    def open_import(self) -> ImportWizard:
        """File → Import…: the import wizard, over the window."""
        wizard = ImportWizard(self.profile, self.runner, self)
        wizard.setModal(True)
        wizard.show()
        return wizard

    def open_recent_imports(self) -> ImportsDialog:
        """File → Recent imports…: the imports made here, any of them undone from the list."""
        dialog = ImportsDialog(self.reader, self.writer, self.runner, self)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def _build_status_bar(self) -> None:
        # How many rows the table on show holds ("Counting…" while its list is arriving). Kept
        # in the window's own class: lupdate reads a plural only from a tr() call, under the
        # class it is written in, and this one's translations are the window's.
        self.count_label = QLabel()
        self.count_label.setObjectName("rowCount")
        for model in self.models.values():
            model.shown.connect(self._update_count)
            model.loaded.connect(self._update_count)
        self.tabs.currentChanged.connect(self._update_count)
        status_bar = self.statusBar()
        status_bar.addPermanentWidget(self.sync_area)
        status_bar.addPermanentWidget(self.records.undo_button)
        status_bar.addPermanentWidget(self.count_label)
        self.records.message.connect(status_bar.showMessage)
        self.runner.failed.connect(lambda text: status_bar.showMessage(text, 10000))

    def _update_count(self) -> None:
        # Only a record list has a count here: the other pages say what they show themselves.
        showing = self.pages.currentWidget() is self.tabs
        self.count_label.setVisible(showing)
        if not showing:
            self.count_label.clear()
            return
        model = self.tabs.current_model()
        if model.started and not model.complete:
            self.count_label.setText(self.tr("Counting…"))
        else:
            self.count_label.setText(self.tr("%n record(s)", "", model.rowCount()))

    # -- layout ------------------------------------------------------------------------------

    def _layout_prefix(self) -> str:
        return f"{self.profile.user_id}/tables"

    def _save_layout(self) -> None:
        self.tabs.save_layout(self.settings, self._layout_prefix())
        self.settings.setValue(f"{self.profile.user_id}/window/geometry", self.saveGeometry())
        self.settings.sync()

    def _restore_layout(self) -> None:
        self.tabs.restore_layout(self.settings, self._layout_prefix())
        geometry = self.settings.value(f"{self.profile.user_id}/window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)

    def closeEvent(self, event: Any) -> None:  # Qt override
        forms = [form for form in self.findChildren(RecordForm) if form.isVisible()]
        unsaved = [form for form in forms if form.has_unsaved_changes()]
        if unsaved:
            # Typed input is never thrown away unasked: the window stays until it is saved
            # or the user says to discard it.
            event.ignore()
            unsaved[0].raise_()
            unsaved[0].ask_to_discard()
            return
        if self.work_log is not None and self.work_log.has_unsaved_input():
            self.go(WORK_LOG)
            answer = QMessageBox.question(
                self,
                self.tr("Work log"),
                self.tr("Your work log has text you have not saved. Close and lose it?"),
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        wizards = [wizard for wizard in self.findChildren(ImportWizard) if wizard.isVisible()]
        if any(wizard.importing() for wizard in wizards):
            answer = QMessageBox.question(
                self,
                self.tr("Import"),
                self.tr("An import is running. Stop it and close? Nothing of it will be kept."),
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        for wizard in wizards:
            wizard.stop()  # the storage thread's shutdown would wait for it to the end
        for form in forms:
            form.done(QDialog.DialogCode.Rejected)
        self._save_layout()
        if self.duplicates is not None:
            self.duplicates.cancel()  # the storage thread's shutdown would wait for a search
        self.sync.shutdown()
        self.records.close_pages()
        self.network.shutdown()
        self.runner.shutdown()
        super().closeEvent(event)
