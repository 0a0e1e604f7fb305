"""The tables of customers, contacts, opportunities, tasks, contracts, payments and products,
one tab each.

Each table is a view over a RecordTableModel (ids and a page cache, filled on the storage
thread). The user's column choice, widths and sort order are kept per table in the window's
settings. Its strings keep the main window's translation context (see sync_status.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QEvent, QModelIndex, QSettings, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QWidget,
)

from crm_desktop.models.entities import ENTITIES
from crm_desktop.queries.reader import Reader
from crm_desktop.queries.tables import TABLES, OwnedCustomers
from crm_desktop.views.menu_words import menu_path
from crm_desktop.views.record_lists import on_open
from crm_desktop.views.runner import Runner
from crm_desktop.views.table_model import ANY, CUSTOMER_REFERENCE, RecordTableModel

# Tab order and object names (tests and accessibility tools find the tables by these).
TABS = (
    ("customers", "customersTable"),
    ("contacts", "contactsTable"),
    ("opportunities", "opportunitiesTable"),
    ("tasks", "tasksTable"),
    ("contracts", "contractsTable"),
    ("payments", "paymentsTable"),
    ("products", "productsTable"),
)
FIRST_COLUMN_WIDTH = 280
LAYOUT_SETTLES_MS = 500  # dragging a column edge resizes many times a second; save once after


def tab_title(entity: str) -> str:
    titles = {
        "customers": QCoreApplication.translate("MainWindow", "Customers"),
        "contacts": QCoreApplication.translate("MainWindow", "Contacts"),
        "opportunities": QCoreApplication.translate("MainWindow", "Opportunities"),
        "tasks": QCoreApplication.translate("MainWindow", "Tasks"),
        "contracts": QCoreApplication.translate("MainWindow", "Contracts"),
        "payments": QCoreApplication.translate("MainWindow", "Payments"),
        "products": QCoreApplication.translate("MainWindow", "Products"),
    }
    return titles[entity]


class RecordTabs(QTabWidget):
    """Only the table on show is queried; the others on their first showing."""

    activated = Signal(str, str)  # entity, id: a row was double-clicked
    layout_changed = Signal()  # a column was sorted, shown, hidden, moved or resized
    drill_changed = Signal(str)  # what a list opened from a chart shows; "" when none is

    def __init__(
        self, runner: Runner, reader: Reader, region: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainTabs")
        self.models: dict[str, RecordTableModel] = {}
        self.views: dict[str, QTableView] = {}
        self._search = ""
        self._scope: tuple[str, str, tuple[str, ...]] | None = None
        self._filters: dict[str, Any] = {}
        self._drill: tuple[str, tuple[str, ...]] | None = None  # entity, the keys it filters
        # Building and restoring the headers emits the same signals a user's drag does; saving
        # then would overwrite the stored layout before it is read.
        self._restored = False
        self._empty_notes: dict[str, EmptyNote] = {}
        self._layout_timer = QTimer(self, singleShot=True, interval=LAYOUT_SETTLES_MS)
        self._layout_timer.timeout.connect(self._layout_changed)
        for entity, object_name in TABS:
            spec = TABLES[entity]
            model = RecordTableModel(
                spec,
                runner,
                partial(reader.ids, spec),
                partial(reader.rows, spec),
                region,
                self,
            )
            self.models[entity] = model
            self.views[entity] = self._make_view(model, object_name)
            self.addTab(self.views[entity], tab_title(entity))
        self.currentChanged.connect(self._tab_changed)

    def _make_view(self, model: RecordTableModel, object_name: str) -> QTableView:
        view = QTableView()
        view.setObjectName(object_name)
        view.setAccessibleName(tab_title(model.spec.entity))
        view.setModel(model)
        # The indicator first: switching sorting on sorts by it, and the header's own default
        # (column 0) would replace the list's intended order.
        order = (
            Qt.SortOrder.DescendingOrder if model.query.descending else Qt.SortOrder.AscendingOrder
        )
        view.horizontalHeader().setSortIndicator(model.sort_column(), order)
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
        header.sortIndicatorChanged.connect(lambda *_: self._layout_changed())
        header.sectionResized.connect(lambda *_: self._layout_timer.start())
        header.sectionMoved.connect(lambda *_: self._layout_timer.start())
        for column, spec_column in enumerate(model.spec.columns):
            view.setColumnHidden(column, not spec_column.visible)
            # Company names are long: the first column (a name or title) gets the room, unless
            # the list says otherwise (a date first, then the customer).
            width = FIRST_COLUMN_WIDTH if column == 0 else 160
            view.setColumnWidth(column, spec_column.width or width)
        on_open(view, partial(self._double_clicked, model))
        self._empty_notes[model.spec.entity] = EmptyNote(view, model)
        return view

    # -- what is showing ---------------------------------------------------------------------

    def current_entity(self) -> str:
        return TABS[self.currentIndex()][0]

    def current_model(self) -> RecordTableModel:
        return self.models[self.current_entity()]

    def set_search(self, text: str) -> None:
        """Search the table on show; another tab takes the same search when it is shown."""
        self._search = text
        self.current_model().set_search(text)

    def set_scope(self, scope: str, user_id: str, team: Sequence[str] = ()) -> None:
        """Whose records every table shows (all, mine, the team's, the pool); each takes it
        when shown."""
        self._scope = (scope, user_id, tuple(team))
        if self._drill is not None:
            self.clear_drill()  # the user chose the toolbar's list again: it applies whole
        else:
            self.current_model().set_scope(*self._scope)

    def set_filter(self, key: str, value: Any) -> None:
        """A filter for every table that has the column (table_model.RecordTableModel)."""
        self._filters[key] = value
        if self._drill is not None:
            self.clear_drill()
        else:
            self.current_model().set_filter(key, value)

    def _tab_changed(self, _index: int) -> None:
        if self._drill is not None and self._drill[0] != self.current_entity():
            self.clear_drill()
        model = self.current_model()
        self._apply_common(model)
        model.set_search(self._search)

    def _apply_common(self, model: RecordTableModel) -> None:
        """The scope and filters every table shares (the toolbar's)."""
        if self._scope is not None:
            model.set_scope(*self._scope)
        for key, value in self._filters.items():
            model.set_filter(key, value)

    # -- a list opened from a chart ----------------------------------------------------------

    def show_drill(self, entity: str, filters: Sequence[tuple[str, Any]], caption: str) -> None:
        """Show the table of `entity` with exactly these filters (the records behind a
        dashboard's bar) until the user asks for all or goes to another list. The toolbar's
        scope and filters step aside meanwhile: the chart already applied its own."""
        self.clear_drill()
        self.setCurrentIndex([e for e, _ in TABS].index(entity))
        model = self.models[entity]
        owner = ENTITIES[entity].OWNER
        for key in {*self._filters, *([owner] if owner else []), CUSTOMER_REFERENCE}:
            model.set_filter(key, ANY)
        for key, value in filters:
            model.set_filter(key, value)
        self._drill = (entity, tuple(key for key, _ in filters))
        self.drill_changed.emit(caption)

    def clear_drill(self) -> None:
        """Back to the table as the toolbar says."""
        if self._drill is None:
            return
        entity, keys = self._drill
        self._drill = None
        model = self.models[entity]
        for key in keys:
            model.set_filter(key, ANY)
        self._apply_common(model)
        self.drill_changed.emit("")

    def drilled(self) -> str | None:
        """The entity whose table shows a chart's records, if one does."""
        return self._drill[0] if self._drill else None

    def selected_ids(self, entity: str | None = None) -> list[str]:
        entity = entity or self.current_entity()
        view, model = self.views[entity], self.models[entity]
        rows = sorted({index.row() for index in view.selectionModel().selectedRows()})
        return [row_id for row in rows if (row_id := model.row_id(row))]

    def _double_clicked(self, model: RecordTableModel, index: QModelIndex) -> None:
        row_id = model.row_id(index.row())
        if row_id:
            self.activated.emit(model.spec.entity, row_id)

    # -- columns -----------------------------------------------------------------------------

    def bring_beside_first(self, entity: str, key: str) -> None:
        """Show a column right after the list's first one (the name), unhidden, when it is
        anywhere else: a list opened for that column's sake ("the next steps") shows it beside
        the names it belongs to, not past the right edge of a 1366-pixel screen. The place is
        the user's layout from then on, as if he had dragged it there."""
        view = self.views[entity]
        header = view.horizontalHeader()
        column = self.models[entity].spec.column_keys().index(key)
        first = header.logicalIndex(0)
        view.setColumnHidden(column, False)
        if header.visualIndex(column) != 1 and column != first:
            header.moveSection(header.visualIndex(column), 1)
        view.scrollTo(view.model().index(0, first))  # back to the left edge
        self._layout_changed()

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
        self._layout_changed()

    def _layout_changed(self) -> None:
        if self._restored:
            self.layout_changed.emit()

    def save_layout(self, settings: QSettings, prefix: str) -> None:
        for entity, view in self.views.items():
            settings.setValue(f"{prefix}/{entity}/header", view.horizontalHeader().saveState())

    def restore_layout(self, settings: QSettings, prefix: str) -> None:
        for entity, view in self.views.items():
            state = settings.value(f"{prefix}/{entity}/header")
            if state is not None:
                header = view.horizontalHeader()
                header.restoreState(state)
                self.models[entity].sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._restored = True


class EmptyNote(QLabel):
    """What to do next, over a list that shows nothing: add, import or connect, or (when a
    search or filter hides everything) that nothing matches."""

    def __init__(self, view: QTableView, model: RecordTableModel) -> None:
        super().__init__(view.viewport())
        self.setObjectName(f"{view.objectName()}Empty")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("color: palette(mid); padding: 24px;")
        self._view, self._model = view, model
        for signal in (model.shown, model.loaded, model.modelReset):
            signal.connect(self.refresh)
        view.viewport().installEventFilter(self)
        self.hide()

    def refresh(self) -> None:
        empty = self._model.rowCount() == 0 and self._model.complete
        if empty:
            self.setText(self._text())
            self.setGeometry(self._view.viewport().rect())
        self.setVisible(empty)

    def eventFilter(self, watched: Any, event: Any) -> bool:  # Qt override
        if event.type() == QEvent.Type.Resize and self.isVisible():
            self.setGeometry(self._view.viewport().rect())
        return False

    def _text(self) -> str:
        query = self._model.query
        entity = self._model.spec.entity
        pool = _pool_filters(entity)
        others = [item for item in query.filters if item not in pool]
        if query.search.strip() or others:
            return QCoreApplication.translate(
                "MainWindow", "Nothing matches this search or filter. Clear it to see all."
            )
        if query.filters:  # the public pool, and nothing else asked
            if entity == "customers":
                return QCoreApplication.translate(
                    "MainWindow",
                    "The public pool is empty: no customer is waiting for someone to claim it.",
                )
            return QCoreApplication.translate(
                "MainWindow", "The customers of the public pool have nothing here."
            )
        if entity == "customers":
            return QCoreApplication.translate(
                "MainWindow",
                "No customers yet. Add one with New customer (Ctrl+N), bring in a list with "
                "{import_menu}, or connect to your company's server (Server menu) to receive "
                "yours.",
            ).format(import_menu=import_menu_path())
        if entity == "products":
            return QCoreApplication.translate(
                "MainWindow",
                "No products yet. A manager or an administrator adds them with New product "
                "(Ctrl+N); everyone then quotes from the same list and prices.",
            )
        if entity == "contracts":
            return QCoreApplication.translate(
                "MainWindow",
                "No contracts yet. Open a customer and choose Add contract, or mark an "
                "opportunity won and create its contract from there.",
            )
        if entity == "payments":
            return QCoreApplication.translate(
                "MainWindow",
                "No payments yet. Open a customer or a contract and choose Record a payment.",
            )
        return QCoreApplication.translate(
            "MainWindow",
            "Nothing here yet. Open a customer to add its contacts, opportunities and tasks.",
        )


def _pool_filters(entity: str) -> tuple[tuple[str, Any], ...]:
    """The filters the scope "public pool" sets on a list (RecordTableModel.set_scope)."""
    if entity == "customers":
        return ((ENTITIES[entity].OWNER, None),)
    return ((CUSTOMER_REFERENCE, OwnedCustomers((None,))),)


def import_menu_path() -> str:
    """File → Import…, in the words of the window's menu (main_window.py)."""
    return menu_path("&File", "Import…")


class DrillBanner(QWidget):
    """ "Showing: <what a chart's bar counted>. Show all" above a list opened from a chart."""

    show_all = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("drillBanner")
        self.setStyleSheet("#drillBanner { background: #e8f1fb; }")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.text = QLabel()
        self.text.setObjectName("drillText")
        self.text.setWordWrap(True)
        self.all_button = QPushButton(QCoreApplication.translate("MainWindow", "Show all"))
        self.all_button.setObjectName("drillShowAll")
        self.all_button.clicked.connect(self.show_all)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.all_button)
        self.hide()

    def tell(self, caption: str) -> None:
        self.text.setText(
            QCoreApplication.translate("MainWindow", "Showing: {what}").format(what=caption)
        )
