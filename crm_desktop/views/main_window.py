"""The main window: one search box, and tables of customers, contacts, opportunities and tasks.

The window only assembles its parts, each a widget of its own:

- `SearchBox` (search_box.py): the search at the top, for whichever table is showing;
- `RecordTabs` (record_tabs.py): the tables, one tab each;
- `RecordActions` (record_actions.py): new, open, delete and undo, with their forms and pages;
- `SyncStatusArea` (sync_status.py): where sync stands and *Sync now*, in the status bar;
- `ServerMenu` (server_menu.py) and `LanguageMenu` (language_menu.py);

and the count of rows in the table on show, beside them in the status bar.

Storage work runs on the runner's storage thread; connecting to a server on a network thread
of its own; sync on the sync controller's thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QToolBar, QWidget

from crm_desktop.profile import Profile
from crm_desktop.queries.reader import Reader
from crm_desktop.views.language_menu import LanguageMenu
from crm_desktop.views.list_filters import GradeFilter, PoolDueFilter
from crm_desktop.views.record_actions import RecordActions
from crm_desktop.views.record_form import RecordForm
from crm_desktop.views.record_tabs import RecordTabs
from crm_desktop.views.runner import Runner
from crm_desktop.views.scope_filter import MINE, ScopeFilter
from crm_desktop.views.search_box import SearchBox
from crm_desktop.views.server_menu import ServerMenu
from crm_desktop.views.sync_controller import SyncController
from crm_desktop.views.sync_status import SyncStatusArea


class MainWindow(QMainWindow):
    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
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
        self.setWindowTitle(self.tr("Customers — CRM"))

        self.search = SearchBox()
        self.tabs = RecordTabs(self.runner, self.reader, profile.region)
        self.models, self.views = self.tabs.models, self.tabs.views  # the tables, by entity
        self.sync = SyncController(profile, self.runner, self)
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
        for chooser in (self.grade_filter, self.pool_due_filter):
            chooser.changed.connect(self.tabs.set_filter)
        self.sync.finished.connect(lambda _report: self._offer_filters())
        self.sync_area.returning_requested.connect(self.show_returning_soon)
        self._offer_filters()
        self.search.searched.connect(self.tabs.set_search)
        self.search.entered.connect(self.records.open_only_result)
        self.tabs.layout_changed.connect(self._save_layout)
        self.setCentralWidget(self.tabs)
        self._build_toolbar()
        self._build_menus()
        self._build_status_bar()

        self._restore_layout()
        self.sync_area.refresh()
        self.tabs.current_model().reload()
        self.search.setFocus()
        self.sync.start()

    def _offer_filters(self) -> None:
        """What the user's role and the server's rules (as of the last sync) make useful."""
        self.scope.offer_team(self.profile.scope().role == "manager")
        self.pool_due_filter.set_warning_days(self.profile.pool_warning_days())

    def show_returning_soon(self) -> None:
        """The user's own customers that return to the pool within the warning days."""
        self.tabs.setCurrentIndex(0)
        self.scope.set_scope(MINE)
        days = self.profile.pool_warning_days()
        if days:
            self.pool_due_filter.choose(days)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Main"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(toolbar)
        for action in self.records.toolbar_actions():
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addWidget(self.scope)
        toolbar.addWidget(self.grade_filter)
        toolbar.addWidget(self.pool_due_filter)
        toolbar.addWidget(self.search)
        self.addAction(self.search.find_action)

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu(self.tr("&File"))
        menu.addAction(self.records.new_action)
        menu.addAction(self.records.undo_action)
        menu.addSeparator()
        quit_action = menu.addAction(self.tr("Quit"))
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        settings_menu = self.menuBar().addMenu(self.tr("&Settings"))
        settings_menu.addMenu(LanguageMenu(self.profile.store, self.runner, self))
        self.menuBar().addMenu(self.server_menu)

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
        for form in forms:
            form.done(QDialog.DialogCode.Rejected)
        self._save_layout()
        self.sync.shutdown()
        self.records.close_pages()
        self.network.shutdown()
        self.runner.shutdown()
        super().closeEvent(event)
