"""What the user does to records from the main window: new, open, delete, merge two, and undo
the delete or the merge; for a manager, assign the selected customers to his team.

Forms and customer pages open over the window; a delete asks first, runs on the storage thread,
and can be undone right after (the undo button in the status bar). Assign to… is offered by
the role the server gave at the last sync (read again after each one) and asks the server.
Its strings keep the main window's translation context, its plurals listed for lupdate as
sync_status.py says.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QToolButton

from crm_desktop.models.entities import ENTITIES
from crm_desktop.profile import Profile
from crm_desktop.queries.reader import Reader
from crm_desktop.services.changes import ChangeSet, MergedGroup, MergeUndo, UndoToken
from crm_desktop.services.merging import MERGEABLE, unmerge_records
from crm_desktop.services.writer import Writer
from crm_desktop.sync import ownership
from crm_desktop.views.assign_dialog import AssignDialog
from crm_desktop.views.contract_page import ContractPage
from crm_desktop.views.customer_page import CustomerPage
from crm_desktop.views.deleting import delete_rows
from crm_desktop.views.merge_dialog import MergeDialog
from crm_desktop.views.note_dialog import NoteDialog
from crm_desktop.views.ownership_buttons import OwnershipButtons
from crm_desktop.views.record_form import RecordForm
from crm_desktop.views.record_tabs import RecordTabs
from crm_desktop.views.runner import Runner
from crm_desktop.views.sync_controller import SyncController

STATUS_MESSAGE_MS = 6000  # how long a passing word stays in the status bar


class RecordActions(QObject):
    message = Signal(str, int)  # a sentence for the status bar, and for how many ms
    # A customer page was made: the window puts it among its pages (before it is shown).
    customer_page_made = Signal(object)
    customer_page_shown = Signal(object)

    def __init__(
        self,
        window: QMainWindow,
        tabs: RecordTabs,
        profile: Profile,
        runner: Runner,
        reader: Reader,
        writer: Writer,
        sync: SyncController | None = None,
    ) -> None:
        """`sync`: how a customer page and Assign to… ask the server (Claim, Release, Assign)."""
        super().__init__(window)
        self._window, self._tabs, self._profile = window, tabs, profile
        self._runner, self._reader, self._writer = runner, reader, writer
        self._sync = sync
        self._undo: UndoToken | MergeUndo | MergedGroup | None = None
        self.role = ""  # the user's role as the server last gave it ("" before any sync)
        # Whether the record lists are the page shown: the list actions act on their selection,
        # which a customer page, Today or the calendar hides (set_page).
        self._lists_shown = True
        # What New adds on the page shown when it is not a list (None: nothing; set_page).
        self._page_adds: str | None = "customers"
        self.pages: dict[str, CustomerPage] = {}  # open customer pages, by customer id
        self.contracts: dict[str, ContractPage] = {}  # open contract windows, by contract id

        self.new_action = QAction(self._new_text("customers"), self)
        self.new_action.setObjectName("newCustomerAction")
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self.new_record)
        self.open_action = QAction(QCoreApplication.translate("MainWindow", "Open"), self)
        self.open_action.triggered.connect(self.open_selected)
        self.delete_action = QAction(QCoreApplication.translate("MainWindow", "Delete"), self)
        self.delete_action.setObjectName("deleteAction")
        self.delete_action.setShortcut(QKeySequence.StandardKey.Delete)
        self.delete_action.triggered.connect(self.delete_selected)
        self.undo_action = QAction(QCoreApplication.translate("MainWindow", "Undo delete"), self)
        self.undo_action.setObjectName("undoDeleteAction")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setEnabled(False)
        self.undo_action.triggered.connect(self.undo_delete)
        self.undo_button = QToolButton()
        self.undo_button.setObjectName("undoDeleteButton")
        self.undo_button.setDefaultAction(self.undo_action)
        self.undo_button.hide()
        self.assign_action = QAction(QCoreApplication.translate("MainWindow", "Assign to…"), self)
        self.assign_action.setObjectName("assignAction")
        self.assign_action.setToolTip(
            QCoreApplication.translate(
                "MainWindow", "Give the selected customers to a member of your team"
            )
        )
        self.assign_action.triggered.connect(self.assign_selected)
        self.assign_action.setVisible(False)
        self.merge_action = QAction(QCoreApplication.translate("MainWindow", "Merge…"), self)
        self.merge_action.setObjectName("mergeAction")
        self.merge_action.setToolTip(
            QCoreApplication.translate(
                "MainWindow", "Merge the two selected records of one customer or person into one"
            )
        )
        self.merge_action.triggered.connect(self.merge_selected)
        # Right-click on a customer: what the toolbar offers for the selected rows.
        customers = tabs.views["customers"]
        customers.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        customers.addActions(
            [self.open_action, self.assign_action, self.merge_action, self.delete_action]
        )
        contacts = tabs.views["contacts"]
        contacts.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        contacts.addActions([self.open_action, self.merge_action, self.delete_action])

        # Open and Delete act on the selected rows: offered while there are some. A reload
        # or removed rows can take the selection without a selectionChanged.
        for entity, view in tabs.views.items():
            view.selectionModel().selectionChanged.connect(lambda *_: self._offer())
            model = tabs.models[entity]
            model.modelReset.connect(self._offer)
            model.rowsRemoved.connect(lambda *_: self._offer())
            model.layoutChanged.connect(lambda *_: self._offer())

        tabs.currentChanged.connect(self._tab_changed)
        tabs.activated.connect(self.open_record)
        if sync is not None:
            sync.finished.connect(lambda _report: self.read_role())
            self.read_role()
        self._offer()

    def toolbar_actions(self) -> tuple[QAction, ...]:
        return (
            self.new_action,
            self.open_action,
            self.delete_action,
            self.undo_action,
            self.assign_action,
        )

    def _tab_changed(self, _index: int) -> None:
        self._offer()

    def set_page(self, lists_shown: bool, adds: str | None = None) -> None:
        """The window shows the record lists (`lists_shown`) or another page, on which New
        adds `adds` (an entity; None where the page has nothing to add). Open, Delete, Merge
        and Assign act on the lists' selection, so they are offered only while it can be
        seen; New says what it adds on the page shown."""
        self._lists_shown = lists_shown
        self._page_adds = adds
        self._offer()

    # -- the user's role ---------------------------------------------------------------------

    def read_role(self) -> None:
        """Read the role the last sync brought (on the storage thread), for what is offered."""
        self._runner.submit(partial(ownership.current_role, self._profile.store), self._role_read)

    def _role_read(self, role: str) -> None:
        self.role = role
        self._offer()
        for page in self.pages.values():
            page.set_role(role)
            if page.ownership is not None:
                page.ownership.set_role(role)

    def _offer(self) -> None:
        """Offer what the page shown, its list's selection and the user's role allow."""
        self.assign_action.setVisible(
            self._sync is not None
            and self.role in ownership.LEADS
            and self._tabs.current_entity() == "customers"
        )
        for action in (self.merge_action, self.assign_action):
            action.setEnabled(self._lists_shown)
        view = self._tabs.views[self._tabs.current_entity()]
        selected = self._lists_shown and view.selectionModel().hasSelection()
        self.open_action.setEnabled(selected)
        # The product list is the company's: read by all, kept by managers and administrators
        # (the server refuses anyone else). Before any sync the profile's user is its own.
        keeps_products = self.role in ("", *ownership.LEADS)
        on_products = self._lists_shown and self._tabs.current_entity() == "products"
        self.delete_action.setEnabled(selected and (keeps_products or not on_products))
        entity = self._new_entity()
        self.new_action.setText(self._new_text(entity))
        self.new_action.setEnabled(entity is not None and self.may_change(entity))
        if entity is None:
            tip = QCoreApplication.translate(
                "MainWindow",
                "Nothing to add on this page; to add a record, choose its list on the left.",
            )
        elif not self.may_change(entity):
            tip = QCoreApplication.translate(
                "MainWindow", "Only managers and administrators change the product list."
            )
        else:
            tip = ""
        self.new_action.setToolTip(tip)

    def may_change(self, entity: str) -> bool:
        """Whether the user's role lets him change records of this entity at all."""
        return entity != "products" or self.role in ("", *ownership.LEADS)

    def _new_entity(self) -> str | None:
        """What New adds on the page shown: on a list, tasks and products stand alone, and
        contacts, opportunities and contracts are added from their customer's page (so New
        adds a customer); another page says what it adds (set_page)."""
        if not self._lists_shown:
            return self._page_adds
        current = self._tabs.current_entity()
        return current if current in ("tasks", "products") else "customers"

    @staticmethod
    def _new_text(entity: str | None) -> str:
        if entity == "tasks":
            return QCoreApplication.translate("MainWindow", "New task")
        if entity == "products":
            return QCoreApplication.translate("MainWindow", "New product")
        if entity == "customers":
            return QCoreApplication.translate("MainWindow", "New customer")
        return QCoreApplication.translate("MainWindow", "New")

    # -- new and open ------------------------------------------------------------------------

    def new_record(self) -> RecordForm:
        """A form for a new customer (a new task on the Tasks tab), owned by the user (a
        clerk's by the rep he enters for; serving several, he chooses)."""
        # Asked for where New is not offered (a test, a script): a customer, as on Today.
        entity = self._new_entity() or "customers"
        owner, default = ENTITIES[entity].OWNER, self._profile.default_owner()
        preset = {owner: default} if owner and default else {}
        if entity == "customers":
            preset["kind"] = "company"
        if entity == "products":
            preset["active"] = True  # a new product is one to sell
        return self._show_form(entity, None, preset)

    def _show_form(self, entity: str, row_id: str | None, preset: dict | None = None) -> RecordForm:
        form = RecordForm(
            entity, self._runner, self._reader, self._writer, row_id, preset, parent=self._window
        )
        if not self.may_change(entity):
            form.read_only(
                QCoreApplication.translate(
                    "MainWindow", "Only managers and administrators change the product list."
                )
            )
        form.setModal(True)
        form.show()
        return form

    def open_customer(self, customer_id: str) -> CustomerPage:
        page = self.pages.get(customer_id)
        if page is None:
            buttons = None
            if self._sync is not None:
                buttons = OwnershipButtons(
                    self._profile, self._sync, customer_id, self._runner, self.role
                )
            page = CustomerPage(
                customer_id,
                self._runner,
                self._reader,
                self._writer,
                self._window,
                buttons,
                embedded=True,
            )
            page.closed.connect(lambda cid: self.pages.pop(cid, None))
            page.note_requested.connect(lambda cid, name: self.send_note((cid, name)))
            page.contract_requested.connect(self.open_contract)
            page.set_role(self.role)
            self.pages[customer_id] = page
            self.customer_page_made.emit(page)
        self.customer_page_shown.emit(page)
        return page

    def send_note(self, customer: tuple[str, str] | None = None) -> NoteDialog:
        """A note to a colleague, about `customer` (id, name) if given."""
        dialog = NoteDialog(
            self._profile, self._runner, self._reader, self._writer, customer, self._window
        )
        dialog.sent.connect(
            lambda _changes: self.message.emit(
                QCoreApplication.translate("MainWindow", "The note was sent."), 5000
            )
        )
        dialog.setModal(True)
        dialog.show()
        return dialog

    def log_call(self, customer_id: str) -> RecordForm:
        """A follow-up form for the customer in one step: a call, now, the cursor in the text."""
        preset = {"customer_id": customer_id, "kind": "call"}  # happened now: FRESH_DEFAULTS
        form = self._show_form("followups", None, preset)
        form.editors["text"].setFocus()
        return form

    def log_call_selected(self) -> RecordForm | None:
        """Log a call about the selected row's customer (a customer, or the customer of a
        contact, opportunity or task)."""
        entity = self._tabs.current_entity()
        ids = self._tabs.selected_ids(entity) if self._lists_shown else []
        if not ids:
            return None
        if entity == "customers":
            return self.log_call(ids[0])
        self._runner.submit(partial(self._reader.record, entity, ids[0]), self._log_call_for)
        return None

    def _log_call_for(self, values: dict | None) -> None:
        if values and values.get("customer_id"):
            self.log_call(values["customer_id"])
        else:  # a task on no customer, a product
            self.say_no_customer_to_call()

    def say_no_customer_to_call(self) -> None:
        """Said, not silently nothing: Ctrl+L is pressed without looking at the menu."""
        self._window.statusBar().showMessage(
            QCoreApplication.translate(
                "MainWindow",
                "Log a call: first choose a line about a customer (in Today or a list), or open "
                "the customer.",
            ),
            STATUS_MESSAGE_MS,
        )

    def open_record(self, entity: str, row_id: str) -> None:
        if entity == "customers":
            self.open_customer(row_id)
        elif entity == "contracts":
            self.open_contract(row_id)
        else:
            self._show_form(entity, row_id)

    def open_contract(self, contract_id: str) -> ContractPage:
        """A contract in its own window (one per contract: asked again, it comes forward)."""
        page = self.contracts.get(contract_id)
        if page is None:
            page = ContractPage(contract_id, self._runner, self._reader, self._writer, self._window)
            page.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            page.open_customer.connect(self.open_customer)
            page.destroyed.connect(lambda: self.contracts.pop(contract_id, None))
            self.contracts[contract_id] = page
        page.show()
        page.raise_()
        page.activateWindow()
        return page

    def open_selected(self) -> None:
        entity = self._tabs.current_entity()
        ids = self._tabs.selected_ids(entity) if self._lists_shown else []
        if ids:
            self.open_record(entity, ids[0])

    def open_only_result(self) -> None:
        """Enter in the search box: a search that found one customer opens it."""
        model = self._tabs.models["customers"]
        if self._tabs.current_entity() == "customers" and model.rowCount() == 1:
            row_id = model.row_id(0)
            if row_id:
                self.open_customer(row_id)

    def assign_selected(self) -> AssignDialog | None:
        """Assign to… for the customers selected in the table (a manager's)."""
        ids = self._tabs.selected_ids("customers") if self._lists_shown else []
        if self._sync is None or not ids:
            self.message.emit(
                QCoreApplication.translate("MainWindow", "Select the customers to assign first."),
                5000,
            )
            return None
        dialog = AssignDialog(self._profile, self._runner, self._sync, ids, self._window)
        dialog.answered.connect(self._assigned)
        dialog.open()
        return dialog

    def _assigned(self, given: bool) -> None:
        if given:
            self.message.emit(
                QCoreApplication.translate("MainWindow", "The customers were assigned."), 5000
            )

    def close_pages(self) -> None:
        for page in list(self.pages.values()):
            page.close()

    # -- delete and undo ---------------------------------------------------------------------

    def delete_selected(self) -> None:
        entity = self._tabs.current_entity()
        ids = self._tabs.selected_ids(entity) if self._lists_shown else []
        delete_rows(
            self._window, self._runner, self._writer, self._reader, entity, ids, self._deleted
        )

    def _deleted(self, changes: ChangeSet) -> None:
        self._offer_undo(changes.undo, QCoreApplication.translate("MainWindow", "Undo delete"))
        token = changes.undo if isinstance(changes.undo, UndoToken) else None
        deleted = QCoreApplication.translate(
            "MainWindow", "Deleted %n record(s).", "", len(token.ids) if token else 0
        )
        self.message.emit(deleted, 15000)

    def _offer_undo(self, undo: UndoToken | MergeUndo | MergedGroup | None, text: str) -> None:
        self._undo = undo
        self.undo_action.setText(text)
        self.undo_action.setEnabled(undo is not None)
        self.undo_button.setVisible(undo is not None)

    def undo_delete(self) -> None:
        """Undo the last delete or merge."""
        token, self._undo = self._undo, None
        self.undo_action.setEnabled(False)
        self.undo_button.hide()
        if isinstance(token, MergeUndo | MergedGroup):
            self._runner.write(partial(unmerge_records, self._writer, token), self._restored)
        elif token is not None:
            self._runner.write(partial(self._writer.restore, token), self._restored)

    # -- merge -------------------------------------------------------------------------------

    def merge_selected(self) -> MergeDialog | None:
        entity = self._tabs.current_entity()
        ids = self._tabs.selected_ids(entity) if self._lists_shown else []
        if entity not in MERGEABLE or len(ids) < 2:
            self.message.emit(
                QCoreApplication.translate(
                    "MainWindow", "Select two customers or more, or two contacts or more, to merge."
                ),
                5000,
            )
            return None
        return self.merge(entity, ids)

    def merge(self, entity: str, ids: list[str]) -> MergeDialog:
        """The merge dialog for two records or more (from the lists, or Find duplicates)."""
        dialog = MergeDialog(entity, ids, self._runner, self._reader, self._writer, self._window)
        dialog.merged.connect(self._merged)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def _merged(self, changes: ChangeSet) -> None:
        self._offer_undo(changes.undo, QCoreApplication.translate("MainWindow", "Undo merge"))
        undo = changes.undo
        gone = undo.merged_ids if isinstance(undo, MergeUndo | MergedGroup) else ()
        for merged_id in gone:
            page = self.pages.get(merged_id)
            if page is not None:
                page.close()  # a merged-away customer's page shows a deleted record
        said = QCoreApplication.translate(
            "MainWindow", "%n record(s) merged into one.", "", len(gone) + 1
        )
        self.message.emit(said, 15000)

    def _restored(self, _changes: ChangeSet) -> None:
        self.message.emit(QCoreApplication.translate("MainWindow", "Restored."), 5000)
