"""Find duplicates: the groups of customers (or contacts) that are likely one record entered
more than once, each member with why it is there (duplicates/ finds them).

*Find duplicates* searches the whole store on the storage thread, with progress and *Cancel*;
the groups show as a tree, group → members. A double-click (or Enter) on a member opens its
customer; *Merge…* asks, by `mergeRequested`, to merge a group's records into one: the whole
group, or the members of one group the user selected (two or more) — the merge dialog that
answers it lives elsewhere. A record
deleted or merged away afterwards leaves the list at once; `refresh()` searches again.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import partial
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.duplicates import STEPS, DuplicateGroup, Member, find_duplicate_groups
from crm_desktop.duplicates.model import reasons_text
from crm_desktop.models.fields import FIELDS_BY_NAME
from crm_desktop.models.phones import DEFAULT_REGION, display_phone
from crm_desktop.profile import Profile
from crm_desktop.queries.reader import Reader
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import Writer
from crm_desktop.storage.store import Cancelled
from crm_desktop.views.line_pages import MESSAGE_STYLE
from crm_desktop.views.page import Page
from crm_desktop.views.record_tabs import tab_title
from crm_desktop.views.runner import Runner, describe_error
from crm_desktop.views.table_model import IdRole

T = QT_TRANSLATE_NOOP
Index = QModelIndex | QPersistentModelIndex
CONTEXT = "DuplicatesView"

ENTITIES = ("customers", "contacts")
NAME, PHONE, EMAIL, OWNER, CUSTOMER, WHY = "name", "phone", "email", "owner", "customer", "why"
# The columns are the forms' fields, labelled as the forms label them; and why.
FIELD_OF: dict[str, tuple[str, str]] = {
    NAME: ("customers", "name"),
    PHONE: ("customers", "phone"),
    EMAIL: ("customers", "email"),
    OWNER: ("customers", "owner_id"),
    CUSTOMER: ("contacts", "customer_id"),
}
WHY_LABEL = T("DuplicatesView", "Why")
# A contact's customer says more than its owner, who is the customer's.
COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": (NAME, PHONE, EMAIL, OWNER, WHY),
    "contacts": (NAME, PHONE, EMAIL, CUSTOMER, WHY),
}
# The groups are shown opened while they hold at most this many records in all: a tree of
# thousands of open groups takes long to lay out, and nobody reads that many at once.
EXPANDED_UP_TO = 500


def column_label(key: str) -> str:
    if key == WHY:
        return QCoreApplication.translate(CONTEXT, WHY_LABEL)
    entity, name = FIELD_OF[key]
    return FIELDS_BY_NAME[entity][name].display_label()


class DuplicatesModel(QAbstractItemModel):
    """Groups, and under each its members. Holds the groups whole (what a search returned);
    `data` reads only them. A member's index carries its group's serial number, which stays
    the same while groups before it are dropped."""

    def __init__(self, parent: QObject | None = None, region: str = DEFAULT_REGION) -> None:
        super().__init__(parent)
        self.entity = "customers"
        self.region = region
        self.columns = COLUMNS[self.entity]
        self.groups: list[DuplicateGroup] = []
        self._serials: list[int] = []  # each group's serial (>= 1), in the groups' order
        self._rows: dict[int, int] = {}  # serial → the group's row
        self._next_serial = 1

    # -- what it holds -----------------------------------------------------------------------

    def set_groups(self, entity: str, groups: Sequence[DuplicateGroup]) -> None:
        self.beginResetModel()
        self.entity = entity
        self.columns = COLUMNS[entity]
        self.groups = list(groups)
        self._serials = list(range(self._next_serial, self._next_serial + len(self.groups)))
        self._next_serial += len(self.groups)
        self._reindex()
        self.endResetModel()

    def drop(self, ids: set[str]) -> bool:
        """Take these records out; a group left with fewer than two goes whole. Returns
        whether anything shown changed."""
        changed = False
        for row in range(len(self.groups) - 1, -1, -1):
            group = self.groups[row]
            kept = tuple(m for m in group.members if m.id not in ids)
            if len(kept) == len(group.members):
                continue
            changed = True
            if len(kept) < 2:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self.groups[row], self._serials[row]
                self._reindex()
                self.endRemoveRows()
                continue
            parent = self.index(row, 0)
            for at in range(len(group.members) - 1, -1, -1):
                if group.members[at].id in ids:
                    self.beginRemoveRows(parent, at, at)
                    members = self.groups[row].members
                    self.groups[row] = DuplicateGroup(
                        group.entity, members[:at] + members[at + 1 :]
                    )
                    self.endRemoveRows()
        return changed

    def _reindex(self) -> None:
        self._rows = {serial: row for row, serial in enumerate(self._serials)}

    def member_count(self) -> int:
        return sum(len(group.members) for group in self.groups)

    def group_of(self, index: Index) -> int:
        """The row of the group an index is (or is in); -1 for none."""
        if not index.isValid():
            return -1
        serial = index.internalId()
        return index.row() if serial == 0 else self._rows.get(serial, -1)

    def member(self, index: Index) -> Member | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        row = self._rows.get(index.internalId(), -1)
        if row < 0 or not 0 <= index.row() < len(self.groups[row].members):
            return None
        return self.groups[row].members[index.row()]

    def column_of(self, key: str) -> int:
        return self.columns.index(key)

    # -- QAbstractItemModel ------------------------------------------------------------------

    # Qt's signatures: an invalid index as the default parent. A tree view asks for an index
    # of every group as it lays them out: bounds are checked here rather than by hasIndex,
    # which calls back into rowCount and columnCount (twice the time with 20,000 groups).
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if row < 0 or not 0 <= column < len(self.columns):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0) if row < len(self.groups) else QModelIndex()
        at = parent.row()
        if parent.internalId() != 0 or at >= len(self.groups):
            return QModelIndex()  # members have no children
        if row >= len(self.groups[at].members):
            return QModelIndex()
        return self.createIndex(row, column, self._serials[at])

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        # Every group has two members or more; members have none.
        if not parent.isValid():
            return bool(self.groups)
        return parent.internalId() == 0 and parent.column() == 0

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        row = self._rows.get(index.internalId(), -1)
        return self.createIndex(row, 0, 0) if row >= 0 else QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self.groups)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        return len(self.groups[parent.row()].members)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return column_label(self.columns[section])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        key = self.columns[index.column()]
        if index.internalId() == 0:
            return self._group_data(index.row(), key, role)
        member = self.member(index)
        if member is None:
            return None
        if role == IdRole:
            return member.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(member, key)
        return None

    def _group_data(self, row: int, key: str, role: int) -> Any:
        if not 0 <= row < len(self.groups):
            return None
        group = self.groups[row]
        if role == Qt.ItemDataRole.DisplayRole and key == NAME:
            return self.tr("%n record(s)", "", len(group.members))
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _text(self, member: Member, key: str) -> str:
        if key == NAME:
            return member.name
        if key == PHONE:
            return display_phone(member.phone, self.region)
        if key == EMAIL:
            return member.email or ""
        if key == OWNER:
            return member.owner or ""
        if key == CUSTOMER:
            return member.customer or ""
        return reasons_text(member.reasons, self.region)


class _Progress(QObject):
    """Carries the search's progress from the storage thread to this one (a queued signal)."""

    moved = Signal(int, int)

    def __init__(self) -> None:
        super().__init__()
        self._last = -1

    def report(self, done: int, total: int) -> None:
        if done != self._last:  # a signal per step, not per call
            self._last = done
            self.moved.emit(done, total)


class DuplicatesView(Page):
    mergeRequested = Signal(str, list)  # entity, ids: the merge dialog is someone else's
    open_record = Signal(str, str)  # entity, id
    shown = Signal()  # each time a search's groups have been shown (or it stopped)

    def __init__(
        self,
        profile: Profile,
        runner: Runner,
        reader: Reader,
        writer: Writer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("duplicatesView", profile, runner, reader, writer, parent)
        self._generation = 0
        self._stop: threading.Event | None = None
        self._searched = False  # what the list shows is a search's answer

        self.entity_choice = QComboBox()
        self.entity_choice.setObjectName("duplicatesEntity")
        self.entity_choice.setAccessibleName(self.tr("Look among"))
        for entity in ENTITIES:
            self.entity_choice.addItem(tab_title(entity), entity)
        self.entity_choice.currentIndexChanged.connect(lambda _: self._entity_chosen())
        self.scan_button = QPushButton(self.tr("Find duplicates"))
        self.scan_button.setObjectName("duplicatesScan")
        self.scan_button.setToolTip(
            self.tr(
                "Look through all records for the same phone, email or ID number, "
                "or a similar name in the same city"
            )
        )
        self.scan_button.clicked.connect(self.scan)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setObjectName("duplicatesCancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.progress = QProgressBar()
        self.progress.setObjectName("duplicatesProgress")
        self.progress.setRange(0, STEPS)
        self.progress.setAccessibleName(self.tr("Looking for duplicates"))
        self.progress.hide()
        self.merge_button = QPushButton(self.tr("Merge…"))
        self.merge_button.setObjectName("duplicatesMerge")
        self.merge_button.setToolTip(
            self.tr(
                "Merge a group's records into one: the whole group, or the records you "
                "selected in it"
            )
        )
        self.merge_button.setEnabled(False)
        self.merge_button.clicked.connect(self.request_merge)
        self.status = QLabel()
        self.status.setObjectName("duplicatesStatus")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Look among")))
        bar.addWidget(self.entity_choice)
        bar.addWidget(self.scan_button)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.merge_button)

        self.message = QLabel()
        self.message.setObjectName("duplicatesMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(MESSAGE_STYLE)
        self.message.hide()

        self.model = DuplicatesModel(self, profile.region)
        self.tree = QTreeView()
        self.tree.setObjectName("duplicatesTree")
        self.tree.setAccessibleName(self.tr("Likely duplicates"))
        self.tree.setModel(self.model)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 280)
        self.tree.activated.connect(self._activated)
        self.tree.selectionModel().selectionChanged.connect(lambda *_: self._offer_merge())
        self.model.modelReset.connect(self._offer_merge)
        self.model.rowsRemoved.connect(lambda *_: self._offer_merge())

        self.empty = QLabel()
        self.empty.setObjectName("duplicatesEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #555555;")

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty, 1)

        runner.changed.connect(self._changed)
        self._show_state()

    # -- searching ---------------------------------------------------------------------------

    def entity(self) -> str:
        return str(self.entity_choice.currentData())

    def choose_entity(self, entity: str) -> None:
        self.entity_choice.setCurrentIndex(self.entity_choice.findData(entity))

    def scanning(self) -> bool:
        return self._stop is not None

    def scan(self) -> None:
        """Search the whole store on the storage thread; a search under way is given up."""
        self.cancel()
        self._generation += 1
        stop = threading.Event()
        self._stop = stop
        progress = _Progress()
        progress.moved.connect(self._moved)
        entity = self.entity()
        work = partial(self._find, entity, stop, progress)
        self._runner.submit(
            work,
            partial(self._arrived, self._generation, entity, progress),
            partial(self._failed, self._generation, progress),
        )
        self.progress.setValue(0)
        self.message.hide()
        self._show_state()

    def show_groups(self, entity: str, groups: list[DuplicateGroup]) -> None:
        """List groups found elsewhere (the likely duplicates of customers a sync brought)
        instead of a search's; *Find duplicates* still searches the whole store."""
        self.cancel()
        self.choose_entity(entity)
        self._generation += 1
        self._searched = False
        self.model.set_groups(entity, groups)
        self.tree.expandAll()
        if groups:
            found = self.tr(
                "%n group(s) of likely duplicates among customers just received", "", len(groups)
            )
        else:  # merged or deleted between the notice and the click
            found = self.tr("None of the customers just received looks like a duplicate any more.")
        self.status.setText(found)
        self._show_state()

    def _find(
        self, entity: str, stop: threading.Event, progress: _Progress
    ) -> list[DuplicateGroup] | None:
        """On the storage thread: the groups, or None when cancelled."""
        if stop.is_set():
            return None
        try:
            with self._profile.store.read() as session:
                return find_duplicate_groups(session, entity, progress.report, stop.is_set)
        except Cancelled:
            return None

    def cancel(self) -> None:
        """Give up the search under way (it stops within a fraction of a second)."""
        if self._stop is not None:
            self._stop.set()
            self._stop = None
            self._generation += 1
            self.status.setText(self.tr("Stopped."))
            self._show_state()

    def refresh(self) -> None:
        """Search again (after a merge, say), if a search has been made."""
        if self._searched or self.scanning():
            self.scan()

    def _moved(self, done: int, total: int) -> None:
        if self.scanning():
            self.progress.setMaximum(total)
            self.progress.setValue(done)

    def _arrived(
        self,
        generation: int,
        entity: str,
        _progress: _Progress,
        groups: list[DuplicateGroup] | None,
    ) -> None:
        if generation != self._generation:
            return  # cancelled, or searched again meanwhile
        self._stop = None
        if groups is None:
            self.status.setText(self.tr("Stopped."))
        else:
            self._searched = True
            self.model.set_groups(entity, groups)
            if self.model.member_count() <= EXPANDED_UP_TO:
                self.tree.expandAll()
            self._show_count()
        self._show_state()
        self.shown.emit()

    def _failed(self, generation: int, _progress: _Progress, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._stop = None
        self.message.setText(describe_error(error))
        self.message.show()
        self.status.clear()
        self._show_state()
        self.shown.emit()

    def _entity_chosen(self) -> None:
        """Another kind of record: what was found for the other goes."""
        self.cancel()
        self._searched = False
        self.model.set_groups(self.entity(), [])
        self.status.clear()
        self._show_state()

    def _show_count(self) -> None:
        groups = len(self.model.groups)
        if groups:
            self.status.setText(self.tr("%n group(s) of likely duplicates", "", groups))
        else:
            self.status.setText(self.tr("No likely duplicates found."))

    def _show_state(self) -> None:
        scanning = self.scanning()
        self.scan_button.setEnabled(not scanning)
        self.cancel_button.setVisible(scanning)
        self.progress.setVisible(scanning)
        self.status.setVisible(not scanning)
        if scanning:
            self.status.clear()
        has_groups = bool(self.model.groups)
        self.tree.setVisible(has_groups)
        self.empty.setVisible(not has_groups)
        if scanning:
            self.empty.setText(self.tr("Looking for duplicates…"))
        elif self._searched:
            self.empty.setText(
                self.tr(
                    "No two records share a phone, an email or an ID number, and no company "
                    "names are alike in the same city."
                )
            )
        else:
            self.empty.setText(
                self.tr(
                    "Find duplicates looks through all records for the same phone number in "
                    "any spelling, the same email or ID number, or a similar company name in "
                    "the same city."
                )
            )
        self._offer_merge()

    # -- after a change ----------------------------------------------------------------------

    def _changed(self, changes: ChangeSet) -> None:
        """A record deleted or merged away leaves the list; anything else waits for the next
        search (searching again after every edit would hold up the storage thread)."""
        deleted = changes.deleted.get(self.model.entity, set())
        if deleted and self.model.drop(deleted):
            self._show_count()
            self._show_state()

    # -- choosing and merging ----------------------------------------------------------------

    def chosen_ids(self) -> list[str]:
        """The records selected of one group: all its members when the group itself is
        selected; [] when the selection spans groups or is empty."""
        rows = self.tree.selectionModel().selectedRows()
        groups = {self.model.group_of(index) for index in rows}
        if len(groups) != 1 or -1 in groups:
            return []
        group = self.model.groups[groups.pop()]
        if any(index.internalId() == 0 for index in rows):
            return group.ids
        chosen = {member.id for index in rows if (member := self.model.member(index))}
        return [member.id for member in group.members if member.id in chosen]

    def selected_ids(self) -> list[str]:
        """The records Merge… would merge into one (the dialog keeps one and takes the others
        into it): two or more of one group; [] for anything else."""
        ids = self.chosen_ids()
        return ids if len(ids) >= 2 else []

    def _offer_merge(self) -> None:
        self.merge_button.setEnabled(not self.scanning() and bool(self.selected_ids()))

    def request_merge(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.mergeRequested.emit(self.model.entity, ids)

    def select_group(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.tree.selectionModel().clearSelection()
        self.tree.selectionModel().select(
            index,
            self.tree.selectionModel().SelectionFlag.Select
            | self.tree.selectionModel().SelectionFlag.Rows,
        )
        self.tree.setCurrentIndex(index)

    def _activated(self, index: QModelIndex) -> None:
        member = self.model.member(index)
        if member is None:
            return
        if self.model.entity == "contacts":
            if member.customer_id:
                self.open_record.emit("customers", member.customer_id)
            return
        self.open_record.emit("customers", member.id)
