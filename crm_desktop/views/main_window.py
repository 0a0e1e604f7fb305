"""The main window: one search box, and tables of customers, contacts, opportunities and tasks."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QToolBar,
    QToolButton,
    QWidget,
)

from crm_desktop.profile import Profile
from crm_desktop.queries.reader import Reader
from crm_desktop.queries.tables import TABLES
from crm_desktop.services.changes import ChangeSet, UndoToken
from crm_desktop.sync.conflicts import count_open_conflicts
from crm_desktop.sync.connecting import Connected
from crm_desktop.sync.errors import SyncError, SyncProblem
from crm_desktop.views.conflicts_view import ConflictsView
from crm_desktop.views.connect_dialog import ConnectDialog
from crm_desktop.views.customer_page import CustomerPage
from crm_desktop.views.display import local_datetime
from crm_desktop.views.record_form import RecordForm
from crm_desktop.views.runner import Runner, describe_error
from crm_desktop.views.sync_controller import SyncController, is_offline
from crm_desktop.views.table_model import RecordTableModel

# Tab order and object names (tests and accessibility tools find the tables by these).
TABS = (
    ("customers", "customersTable"),
    ("contacts", "contactsTable"),
    ("opportunities", "opportunitiesTable"),
    ("tasks", "tasksTable"),
)
SEARCH_DELAY_MS = 30  # keys typed closer together than this start one query


def tab_title(entity: str) -> str:
    titles = {
        "customers": QCoreApplication.translate("MainWindow", "Customers"),
        "contacts": QCoreApplication.translate("MainWindow", "Contacts"),
        "opportunities": QCoreApplication.translate("MainWindow", "Opportunities"),
        "tasks": QCoreApplication.translate("MainWindow", "Tasks"),
    }
    return titles[entity]


class MainWindow(QMainWindow):
    def __init__(self, profile: Profile, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.profile = profile
        self.runner = Runner(str(profile.store.path), self)
        self.reader = Reader(profile.store)
        self.writer = profile.writer()
        self.settings = QSettings(
            str(Path(profile.directory) / "ui.ini"), QSettings.Format.IniFormat
        )
        self._undo: UndoToken | None = None
        # Building and restoring the headers emits the same signals a user's drag does; saving
        # then would overwrite the stored layout before it is read.
        self._layout_restored = False
        self.pages: dict[str, CustomerPage] = {}
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("Customers — CRM"))

        self.search = QLineEdit()
        self.search.setObjectName("globalSearch")
        self.search.setAccessibleName(self.tr("Search"))
        self.search.setPlaceholderText(
            self.tr("Find a customer by name, phone, email or any ID number…")
        )
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(380)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._search_entered)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("mainTabs")
        self.models: dict[str, RecordTableModel] = {}
        self.views: dict[str, QTableView] = {}
        for entity, object_name in TABS:
            spec = TABLES[entity]
            model = RecordTableModel(
                spec,
                self.runner,
                partial(self.reader.ids, spec),
                partial(self.reader.rows, spec),
                profile.region,
                self,
            )
            view = self._make_view(model, object_name)
            self.models[entity] = model
            self.views[entity] = view
            self.tabs.addTab(view, tab_title(entity))
            model.shown.connect(self._update_count)
            model.loaded.connect(self._update_count)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)

        self._build_actions()
        self.count_label = QLabel()
        self.count_label.setObjectName("rowCount")
        self.undo_button = QToolButton()
        self.undo_button.setObjectName("undoDeleteButton")
        self.undo_button.setDefaultAction(self.undo_action)
        self.undo_button.hide()
        self.statusBar().addPermanentWidget(self.undo_button)
        self.statusBar().addPermanentWidget(self.count_label)
        self.runner.failed.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self._build_sync()

        self._restore_layout()
        # Only the table on show is queried now; the others on their first showing.
        self.models[self.current_entity()].reload()
        self.search.setFocus()

    # -- construction ------------------------------------------------------------------------

    def _make_view(self, model: RecordTableModel, object_name: str) -> QTableView:
        view = QTableView()
        view.setObjectName(object_name)
        view.setAccessibleName(tab_title(model.spec.entity))
        view.setModel(model)
        # The indicator first: switching sorting on sorts by it, and the header's own default
        # (column 0) would replace the list's intended order.
        view.horizontalHeader().setSortIndicator(model.sort_column(), Qt.SortOrder.AscendingOrder)
        view.setSortingEnabled(True)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        vertical = view.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row measuring
        vertical.setDefaultSectionSize(view.fontMetrics().height() + 10)
        vertical.hide()
        header = view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(partial(self._column_menu, view))
        header.sortIndicatorChanged.connect(lambda *_: self._save_layout())
        header.sectionResized.connect(lambda *_: self._save_layout_later())
        header.sectionMoved.connect(lambda *_: self._save_layout_later())
        for column, spec_column in enumerate(model.spec.columns):
            view.setColumnHidden(column, not spec_column.visible)
            view.setColumnWidth(column, 160)
        view.doubleClicked.connect(partial(self._open_row, model.spec.entity))
        return view

    def _build_actions(self) -> None:
        toolbar = QToolBar(self.tr("Main"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(toolbar)

        self.new_action = QAction(self.tr("New customer"), self)
        self.new_action.setObjectName("newCustomerAction")
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self.new_customer)
        self.open_action = QAction(self.tr("Open"), self)
        self.open_action.triggered.connect(self.open_selected)
        self.delete_action = QAction(self.tr("Delete"), self)
        self.delete_action.setObjectName("deleteAction")
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.triggered.connect(self.delete_selected)
        self.undo_action = QAction(self.tr("Undo delete"), self)
        self.undo_action.setObjectName("undoDeleteAction")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setEnabled(False)
        self.undo_action.triggered.connect(self.undo_delete)
        find = QAction(self.tr("Find"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(lambda: (self.search.setFocus(), self.search.selectAll()))
        self.addAction(find)

        for action in (self.new_action, self.open_action, self.delete_action, self.undo_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addWidget(self.search)

        menu = self.menuBar().addMenu(self.tr("&File"))
        menu.addAction(self.new_action)
        menu.addAction(self.undo_action)
        menu.addSeparator()
        quit_action = menu.addAction(self.tr("Quit"))
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        settings_menu = self.menuBar().addMenu(self.tr("&Settings"))
        language_menu = settings_menu.addMenu(self.tr("Language"))
        for code, label in (
            ("system", self.tr("Same as the system")),
            ("en", "English"),
            ("zh_CN", "简体中文"),
        ):
            action = language_menu.addAction(label)
            action.triggered.connect(partial(self.set_language, code))

    # -- search and counts -------------------------------------------------------------------

    def current_entity(self) -> str:
        return TABS[self.tabs.currentIndex()][0]

    def _apply_search(self) -> None:
        self.models[self.current_entity()].set_search(self.search.text())

    def _tab_changed(self, _index: int) -> None:
        self._apply_search()
        self._update_count()
        # Tasks may stand alone; contacts and opportunities are added from their customer's page.
        tasks = self.current_entity() == "tasks"
        self.new_action.setText(self.tr("New task") if tasks else self.tr("New customer"))

    def _update_count(self) -> None:
        model = self.models[self.current_entity()]
        if model.started and not model.complete:
            self.count_label.setText(self.tr("Counting…"))
        else:
            self.count_label.setText(self.tr("%n record(s)", "", model.rowCount()))

    def _search_entered(self) -> None:
        self._search_timer.stop()
        self._apply_search()
        model = self.models["customers"]
        if self.current_entity() == "customers" and model.rowCount() == 1:
            row_id = model.row_id(0)
            if row_id:
                self.open_customer(row_id)

    # -- records -----------------------------------------------------------------------------

    def selected_ids(self, entity: str | None = None) -> list[str]:
        entity = entity or self.current_entity()
        view, model = self.views[entity], self.models[entity]
        rows = sorted({index.row() for index in view.selectionModel().selectedRows()})
        return [row_id for row in rows if (row_id := model.row_id(row))]

    def new_customer(self) -> RecordForm:
        entity = "tasks" if self.current_entity() == "tasks" else "customers"
        mine = {"customers": "owner_id", "tasks": "assignee_id"}[entity]
        preset = {mine: self.profile.user_id}
        if entity == "customers":
            preset["kind"] = "company"
        form = RecordForm(entity, self.runner, self.reader, self.writer, preset=preset, parent=self)
        form.setModal(True)
        form.show()
        return form

    def open_customer(self, customer_id: str) -> CustomerPage:
        page = self.pages.get(customer_id)
        if page is None:
            page = CustomerPage(customer_id, self.runner, self.reader, self.writer, self)
            page.closed.connect(lambda cid: self.pages.pop(cid, None))
            self.pages[customer_id] = page
        page.show()
        page.raise_()
        return page

    def open_selected(self) -> None:
        entity = self.current_entity()
        ids = self.selected_ids(entity)
        if ids:
            self._open_id(entity, ids[0])

    def _open_row(self, entity: str, index: Any) -> None:
        row_id = self.models[entity].row_id(index.row())
        if row_id:
            self._open_id(entity, row_id)

    def _open_id(self, entity: str, row_id: str) -> None:
        if entity == "customers":
            self.open_customer(row_id)
            return
        form = RecordForm(entity, self.runner, self.reader, self.writer, row_id, parent=self)
        form.setModal(True)
        form.show()

    def delete_selected(self) -> None:
        entity = self.current_entity()
        ids = self.selected_ids(entity)
        if not ids:
            return
        question = self.tr("Delete %n record(s)? You can undo this right after.", "", len(ids))
        answer = QMessageBox.question(
            self,
            self.tr("Delete"),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.runner.write(partial(self.writer.delete, entity, ids), self._deleted)

    def _deleted(self, changes: ChangeSet) -> None:
        self._undo = changes.undo
        self.undo_action.setEnabled(self._undo is not None)
        self.undo_button.setVisible(self._undo is not None)
        count = len(self._undo.ids) if self._undo else 0
        self.statusBar().showMessage(self.tr("Deleted %n record(s).", "", count), 15000)

    def undo_delete(self) -> None:
        token, self._undo = self._undo, None
        self.undo_action.setEnabled(False)
        self.undo_button.hide()
        if token is not None:
            self.runner.write(
                partial(self.writer.restore, token),
                lambda _changes: self.statusBar().showMessage(self.tr("Restored."), 5000),
            )

    # -- sync --------------------------------------------------------------------------------

    def _build_sync(self) -> None:
        self.sync = SyncController(self.profile, self.runner, self)
        self.sync_status = QLabel()
        self.sync_status.setObjectName("syncStatus")
        self.sync_status.setAccessibleName(self.tr("Sync status"))
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.setObjectName("syncButton")
        self.sync_button.setAccessibleName(self.tr("Sync now"))
        self.sync_button.clicked.connect(self.sync_now)
        self.statusBar().insertPermanentWidget(0, self.sync_status)
        self.statusBar().insertPermanentWidget(1, self.sync_button)
        self.conflicts_action = QAction(self.tr("Conflicts"), self)
        self.conflicts_action.setObjectName("conflictsAction")
        self.conflicts_action.triggered.connect(self.show_conflicts)
        connect_action = QAction(self.tr("Connect to a server…"), self)
        connect_action.setObjectName("connectAction")
        connect_action.triggered.connect(self.show_connect)
        menu = self.menuBar().addMenu(self.tr("S&erver"))
        menu.addAction(connect_action)
        menu.addAction(self.conflicts_action)
        self._pending = 0
        self._conflict_count = 0
        self._sync_error: BaseException | None = None
        self._sync_stage = ""
        self.sync.started.connect(self._sync_started)
        self.sync.progressed.connect(self._sync_progressed)
        self.sync.finished.connect(self._sync_finished)
        self.sync.failed.connect(self._sync_failed)
        self.runner.changed.connect(lambda _changes: self._count_pending())
        self._count_pending()
        self.sync.start()

    def sync_now(self) -> None:
        if not self.sync.connected():
            self.show_connect()
            return
        self.sync.sync_now()

    def _count_pending(self) -> None:
        def counts() -> tuple[int, int]:
            return self.writer.pending_changes(), count_open_conflicts(self.profile.store)

        self.runner.submit(counts, self._counted)

    def _counted(self, counts: tuple[int, int]) -> None:
        self._pending, self._conflict_count = counts
        label = self.tr("Conflicts")
        if self._conflict_count:
            label += f" ({self._conflict_count})"
        self.conflicts_action.setText(label)
        self._show_sync_status()

    def _sync_started(self) -> None:
        self._sync_stage = self.tr("Syncing…")
        self.sync_button.setEnabled(False)
        self._show_sync_status()

    def _sync_progressed(self, stage: str, done: int, total: int) -> None:
        if stage == "push":
            self._sync_stage = self.tr("Sending changes… %1 of %2").replace("%1", str(done))
            self._sync_stage = self._sync_stage.replace("%2", str(total))
        else:
            self._sync_stage = self.tr("Receiving… %1 records").replace("%1", str(done))
        self._show_sync_status()

    def _sync_finished(self, _report: object) -> None:
        self._sync_error = None
        self._sync_stage = ""
        self.sync_button.setEnabled(True)
        self._count_pending()

    def _sync_failed(self, error: BaseException) -> None:
        self._sync_error = error
        self._sync_stage = ""
        self.sync_button.setEnabled(True)
        if isinstance(error, SyncError) and error.problem is SyncProblem.AUTH:
            self.show_connect()
        self._count_pending()

    def _show_sync_status(self) -> None:
        unencrypted = self.sync.connected() and self.sync.unencrypted()
        if not self.sync.connected():
            text = self.tr("Working on this computer only (not connected to a server)")
        elif self._sync_stage:
            text = self._sync_stage
        else:
            parts = []
            error = self._sync_error
            if error is None:
                parts.append(self.tr("Online"))
            elif is_offline(error):
                parts.append(self.tr("Offline"))
            else:
                parts.append(describe_error(error))
            if unencrypted:
                parts.append(self.tr("not encrypted"))
            last = self.sync.last_success()
            if last is not None:
                when = local_datetime(last).strftime("%m-%d %H:%M")
                parts.append(self.tr("last synced %1").replace("%1", when))
            parts.append(self.tr("%n change(s) waiting", "", self._pending))
            if self._conflict_count:
                parts.append(self.tr("%n conflict(s)", "", self._conflict_count))
            text = " · ".join(parts)
        self.sync_status.setText(text)
        warning = self.tr(
            "The connection to the server is not encrypted: use it only on a trusted network."
        )
        self.sync_status.setToolTip(warning if unencrypted else "")

    def show_conflicts(self) -> ConflictsView:
        view = ConflictsView(self.profile.store, self.writer, self.runner, self)
        view.resolved.connect(self._count_pending)
        view.show()
        return view

    def _connected(self, result: Connected) -> None:
        # A new connection replaces the session's password (None where a keyring keeps it).
        self.sync.password = result.session_password
        self._show_sync_status()
        self.sync.start()

    def show_connect(self) -> ConnectDialog:
        dialog = ConnectDialog(self.profile.store, self.runner, self)
        dialog.connected.connect(self._connected)
        dialog.setModal(True)
        dialog.show()
        return dialog

    # -- settings ----------------------------------------------------------------------------

    def set_language(self, code: str) -> None:
        from crm_desktop.profile import LANGUAGE_KEY

        self.runner.submit(partial(self.profile.store.set_setting, LANGUAGE_KEY, code))
        QMessageBox.information(
            self,
            self.tr("Language"),
            self.tr("The new language is used from the next start of the program."),
        )

    def _column_menu(self, view: QTableView, position: Any) -> None:
        model = view.model()
        assert isinstance(model, RecordTableModel)
        menu = QMenu(self)
        for column in range(model.columnCount()):
            action = menu.addAction(str(model.headerData(column, Qt.Orientation.Horizontal)))
            action.setCheckable(True)
            action.setChecked(not view.isColumnHidden(column))
            action.toggled.connect(partial(self._toggle_column, view, column))
        menu.popup(view.horizontalHeader().mapToGlobal(position))

    def _toggle_column(self, view: QTableView, column: int, shown: bool) -> None:
        view.setColumnHidden(column, not shown)
        self._save_layout()

    def _settings_key(self, entity: str) -> str:
        return f"{self.profile.user_id}/tables/{entity}/header"

    def _save_layout_later(self) -> None:
        # Dragging a column edge resizes many times a second; write once it settles.
        if not hasattr(self, "_layout_timer"):
            self._layout_timer = QTimer(self, singleShot=True, interval=500)
            self._layout_timer.timeout.connect(self._save_layout)
        self._layout_timer.start()

    def _save_layout(self) -> None:
        if not self._layout_restored:
            return
        for entity, view in self.views.items():
            self.settings.setValue(self._settings_key(entity), view.horizontalHeader().saveState())
        self.settings.setValue(f"{self.profile.user_id}/window/geometry", self.saveGeometry())
        self.settings.sync()

    def _restore_layout(self) -> None:
        for entity, view in self.views.items():
            state = self.settings.value(self._settings_key(entity))
            if state is not None:
                header = view.horizontalHeader()
                header.restoreState(state)
                model = self.models[entity]
                model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        geometry = self.settings.value(f"{self.profile.user_id}/window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        self._layout_restored = True

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
        for page in list(self.pages.values()):
            page.close()
        self.runner.shutdown()
        super().closeEvent(event)
