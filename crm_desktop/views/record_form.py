"""Create and edit a record in a dialog built from the entity's field list.

Keyboard-first: fields in reading order, Enter saves, "Save and new" keeps the dialog open for the
next record. Saving checks every field first and marks each bad one at once, with a plain
sentence beside it (gone as soon as that field is fixed); only then does the write run on the
storage thread, where a refusal comes back the same way, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.base import utcnow
from crm_desktop.models.choices import IdentifierKind
from crm_desktop.models.entities import (
    ENTERS_FOR_KEY,
    ENTITIES,
    entered_for,
    owner_of_new_record,
)
from crm_desktop.models.fields import FIELDS, FIELDS_BY_NAME, Kind
from crm_desktop.models.rules import problems
from crm_desktop.models.validation import InvalidInput
from crm_desktop.queries.reader import Reader
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import Writer
from crm_desktop.storage.store import Store
from crm_desktop.views import money_form_parts
from crm_desktop.views.customer_picker import CustomerPicker
from crm_desktop.views.display import choice_label, error_label
from crm_desktop.views.field_editors import FieldEditor, WheelGuardedComboBox
from crm_desktop.views.quote_lines import QuoteLines
from crm_desktop.views.runner import Runner, describe_error

# Window titles, marked for translation here (context "RecordForm") and translated on use.
T = QT_TRANSLATE_NOOP
NEW_TITLE = {
    "customers": T("RecordForm", "New customer"),
    "contacts": T("RecordForm", "New contact"),
    "opportunities": T("RecordForm", "New opportunity"),
    "tasks": T("RecordForm", "New task"),
    "followups": T("RecordForm", "New follow-up"),
    "products": T("RecordForm", "New product"),
    "opportunity_lines": T("RecordForm", "New quote line"),
    "contracts": T("RecordForm", "New contract"),
    "contract_instalments": T("RecordForm", "New instalment"),
    "payments": T("RecordForm", "Record a payment"),
}
EDIT_TITLE = {
    "customers": T("RecordForm", "Edit customer"),
    "contacts": T("RecordForm", "Edit contact"),
    "opportunities": T("RecordForm", "Edit opportunity"),
    "tasks": T("RecordForm", "Edit task"),
    "followups": T("RecordForm", "Edit follow-up"),
    "products": T("RecordForm", "Edit product"),
    "opportunity_lines": T("RecordForm", "Edit quote line"),
    "contracts": T("RecordForm", "Edit contract"),
    "contract_instalments": T("RecordForm", "Edit instalment"),
    "payments": T("RecordForm", "Edit payment"),
}
# The record a row belongs to, given when its form opens from there (a quote line from its
# opportunity, an instalment from its contract): not offered for change.
PARENT_REFS = {"opportunity_lines": "opportunity_id", "contract_instalments": "contract_id"}


# The customer field of a record opened without one (a task from the calendar), when what it
# holds is not a customer chosen.
CUSTOMER_UNCHOSEN = T(
    "RecordForm",
    "Choose the customer from the list under this field, or empty the field for a task about"
    " no customer.",
)
CUSTOMER_GONE = T(
    "RecordForm", "This customer was deleted or merged meanwhile: choose the customer again."
)

# Reference lists that hold one customer's records only.
CUSTOMER_LISTS = ("contacts", "opportunities", "contracts")


# What a new record starts with when its form opens, taken again for the next one after Save
# and new: a call logged now, a payment received today, not when the form first opened.
FRESH_DEFAULTS: dict[tuple[str, str], Callable[[], Any]] = {
    ("followups", "happened_at"): utcnow,
    ("payments", "paid_on"): date.today,
}


def customer_name(reader: Reader, entity: str, row_id: str) -> str | None:
    """On the storage thread: the name of a customer (`entity` "customers"), or of the customer
    a record belongs to (an opportunity's, a contract's); None when there is none any more."""
    if entity != "customers":
        record = reader.record(entity, row_id)
        row_id = record.get("customer_id") if record else None
    customer = reader.record("customers", row_id) if row_id else None
    return customer["name"] if customer else None


def default_owner(store: Store, user_id: str | None) -> str | None:
    """On the storage thread: whose a new record is unless the user names someone, as the
    writer decides it (the user's own; a clerk's, the one rep he enters for)."""
    if user_id is None:
        return None
    return owner_of_new_record(user_id, entered_for(store.setting(ENTERS_FOR_KEY)))


def _model_defaults(entity: str) -> dict[str, Any]:
    """What a new record of `entity` holds where nothing is typed (models/entities.py): a new
    deal's probability of 10%, not the 0 an empty number box would save. A required field keeps
    its empty state, so that the form asks for it."""
    columns = ENTITIES[entity].__table__.columns
    required = {field.name for field in FIELDS[entity] if field.required}
    return {
        column.key: column.default.arg
        for column in columns
        if column.default is not None and column.default.is_scalar and column.key not in required
    }


class IdentifierTable(QTableWidget):
    """The numbers a customer is known by: a kind chosen from a list, and the value typed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 2, parent)
        self.setObjectName("identifiersTable")
        self.setAccessibleName(self.tr("Identifiers"))
        self.setHorizontalHeaderLabels([self.tr("Kind"), self.tr("Number")])
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.verticalHeader().hide()
        self.setFixedHeight(110)
        # Tab leaves the table for the next field, as in the rest of the form; the arrow keys
        # move between its cells.
        self.setTabKeyNavigation(False)

    def add_row(self, kind: str = IdentifierKind.TAX_NUMBER.value, value: str = "") -> None:
        from PySide6.QtWidgets import QTableWidgetItem

        row = self.rowCount()
        self.insertRow(row)
        combo = WheelGuardedComboBox()  # rolled over on the way down the form, it stays
        for code in IdentifierKind:
            combo.addItem(choice_label(code.value), code.value)
        combo.setCurrentIndex(max(combo.findData(kind), 0))
        self.setCellWidget(row, 0, combo)
        self.setItem(row, 1, QTableWidgetItem(value))

    def set_pairs(self, pairs: list[tuple[str, str]]) -> None:
        self.setRowCount(0)
        for kind, value in pairs:
            self.add_row(kind, value)

    def pairs(self) -> list[tuple[str, str]]:
        result = []
        for row in range(self.rowCount()):
            combo = self.cellWidget(row, 0)
            item = self.item(row, 1)
            value = item.text().strip() if item else ""
            if value and isinstance(combo, QComboBox):
                result.append((combo.currentData(), value))
        return result


class RecordForm(QDialog):
    """The form of one entity. `saved` carries the ChangeSet of each successful save."""

    saved = Signal(object)

    def __init__(
        self,
        entity: str,
        runner: Runner,
        reader: Reader,
        writer: Writer,
        row_id: str | None = None,
        preset: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.entity = entity
        self.row_id = row_id
        self._runner = runner
        self._reader = reader
        self._writer = writer
        self._preset = dict(preset or {})
        self._save_and_new = False
        self._choices_customer: str | None = None  # whose contacts/opportunities the lists hold
        self._customer_asked: tuple[str, str] | None = None  # whose name was asked for
        self._default_owner: str | None = None  # a new record's owner, once read
        self.setObjectName(f"{entity}Form")
        title = EDIT_TITLE[entity] if row_id else NEW_TITLE[entity]
        self._title = QCoreApplication.translate("RecordForm", title)
        self.setWindowTitle(self._title)
        # Which customer the record is for: its field is not in the form (see below), and a
        # call logged against the wrong customer is easily missed.
        self.customer_line = QLabel()
        self.customer_line.setObjectName("formCustomer")
        self.customer_line.setWordWrap(True)
        self.customer_line.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        bold = self.customer_line.font()
        bold.setBold(True)
        self.customer_line.setFont(bold)
        self.customer_line.hide()

        self.editors: dict[str, FieldEditor] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # A record that may be about a customer, opened without one (a task planned from the
        # calendar or the Tasks list): its customer is chosen by typing what one knows of it.
        self.customer_picker: CustomerPicker | None = None
        about = FIELDS_BY_NAME[entity].get("customer_id")
        if about is not None and not about.required and "customer_id" not in self._preset:
            self.customer_picker = CustomerPicker(runner, reader)
            self.customer_picker.setAccessibleName(about.display_label())
            self.customer_picker.picked.connect(self._customer_picked)
            self.customer_picker.textChanged.connect(
                lambda text: text.strip() or self._show_customer_problem(None)
            )
            self.customer_problem = error_label("customerProblem")
            about_box = QVBoxLayout()
            about_box.setContentsMargins(0, 0, 0, 0)
            about_box.addWidget(self.customer_picker)
            about_box.addWidget(self.customer_problem)
            form.addRow(about.display_label(), about_box)
        for field in FIELDS[entity]:
            if not field.in_form:
                continue
            if field.kind is Kind.REF and field.ref == "customers":
                continue  # forms for other records are opened from the customer they belong to
            if PARENT_REFS.get(entity) == field.name and field.name in self._preset:
                continue
            editor = FieldEditor(field, region=writer.region)
            label = field.display_label() + (" *" if field.required else "")
            form.addRow(label, editor)
            self.editors[field.name] = editor
            editor.edited.connect(partial(self._recheck, field.name))
        self.identifiers: IdentifierTable | None = None
        if entity == "customers":
            self.identifiers = IdentifierTable()
            add = QPushButton(self.tr("Add a number"))
            add.setObjectName("addIdentifier")
            add.clicked.connect(lambda: self.identifiers and self.identifiers.add_row())
            box = QVBoxLayout()
            box.addWidget(self.identifiers)
            box.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
            form.addRow(self.tr("ID numbers"), box)
        self.quote: QuoteLines | None = None  # an opportunity's lines (money_form_parts.py)
        # A payment larger than its contract still owes (money_form_parts.py).
        self.overpayment_hint: QLabel | None = None
        self._sent: dict[str, Any] = {}  # what the last save sent
        self._read_only = False

        self.duplicates = QLabel()
        self.duplicates.setObjectName("possibleDuplicates")
        self.duplicates.setWordWrap(True)
        self.duplicates.setStyleSheet("color: #8a5300;")
        self.duplicates.hide()
        self.message = error_label("formMessage")

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            self.tr("Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        self.save_new_button = buttons.addButton(
            self.tr("Save and new"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.save_new_button.setObjectName("saveAndNewButton")
        self.save_new_button.setVisible(row_id is None)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Cancel"))
        self.save_button.clicked.connect(partial(self.save, False))
        self.save_new_button.clicked.connect(partial(self.save, True))
        cancel.clicked.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=partial(self.save, False))

        inner = QWidget()
        inner.setLayout(form)
        # The customer's line starts where the labels below it start.
        self.customer_line.setContentsMargins(form.contentsMargins().left(), 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addWidget(self.customer_line)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.duplicates)
        layout.addWidget(self.message)
        bottom = QHBoxLayout()
        bottom.addWidget(buttons)
        layout.addLayout(bottom)
        self.resize(560, 640 if entity == "customers" else 480)

        self._duplicate_timer = QTimer(self, singleShot=True, interval=250)
        self._duplicate_timer.timeout.connect(self._look_for_duplicates)
        if entity == "customers":
            for name in ("name", "phone"):
                self.editors[name].edited.connect(self._duplicate_timer.start)
        money_form_parts.extend(self, form)
        self._load_choices()
        self._ask_customer_name(self._preset)
        self._baseline = self.values()  # what the form held before the user typed
        if row_id:
            self._set_busy(True)
            runner.submit(partial(reader.record, entity, row_id), self._loaded)
        else:
            self._fill_defaults()
            self._ask_default_owner()
        first = next(iter(self.editors.values()), None)
        if first is not None:
            first.setFocus()

    # -- loading -----------------------------------------------------------------------------

    def _load_choices(self) -> None:
        for editor in self.editors.values():
            field = editor.field
            if field.kind is Kind.REF and field.ref not in ("customers", *CUSTOMER_LISTS):
                job = partial(
                    self._reader.choices, field.ref, None, field.ref_roles, self._writer.user_id
                )
                self._runner.submit(job, partial(self._choices_arrived, editor))
        self._load_customer_choices(self._preset.get("customer_id"))

    def _load_customer_choices(self, customer_id: str | None) -> None:
        """Fill the lists of one customer's records (contact, opportunity) for that customer.

        Opened from the customer's page the customer is given; opened from a tab it is known
        once the record has loaded.
        """
        if customer_id == self._choices_customer:
            return
        self._choices_customer = customer_id
        if not customer_id:  # a customer unchosen: no one's contacts or deals to choose from
            for editor in self.editors.values():
                if editor.field.kind is Kind.REF and editor.field.ref in CUSTOMER_LISTS:
                    self._choices_arrived(editor, [])
            return
        for editor in self.editors.values():
            field = editor.field
            if field.kind is Kind.REF and field.ref in CUSTOMER_LISTS:
                job = partial(self._reader.choices, field.ref, customer_id)
                self._runner.submit(job, partial(self._choices_arrived, editor))

    def _ask_customer_name(self, values: dict[str, Any]) -> None:
        """Read the name of the customer the record belongs to: by its customer, or by the
        record it hangs off (a quote line's opportunity, an instalment's contract)."""
        if self.entity == "customers":
            return
        asked: tuple[str, str] | None = None
        if values.get("customer_id"):
            asked = ("customers", values["customer_id"])
        elif (parent := PARENT_REFS.get(self.entity)) and values.get(parent):
            ref = FIELDS_BY_NAME[self.entity][parent].ref
            assert ref is not None
            asked = (ref, values[parent])
        if asked is None or asked == self._customer_asked:
            return
        self._customer_asked = asked
        job = partial(customer_name, self._reader, *asked)
        self._runner.submit(job, self._customer_name_arrived)

    def _customer_name_arrived(self, name: str | None) -> None:
        if not name:
            return
        self.setWindowTitle(self.tr("{form} — {customer}").format(form=self._title, customer=name))
        if self.customer_picker is not None:
            if not self.customer_picker.text():  # the record's own customer, just loaded
                self.customer_picker.setText(name)
            return  # the field names it
        self.customer_line.setText(self.tr("Customer: {name}").format(name=name))
        self.customer_line.show()

    def _customer_picked(self, customer_id: str | None) -> None:
        if customer_id:
            self._show_customer_problem(None)
        for editor in self.editors.values():
            if editor.field.kind is Kind.REF and editor.field.ref in CUSTOMER_LISTS:
                editor.set_value(None)  # the other customer's deal is none of this one's
        self._load_customer_choices(customer_id)
        if customer_id:
            self._ask_customer_name({"customer_id": customer_id})
        else:
            self._customer_asked = None
            self.setWindowTitle(self._title)

    def _ask_default_owner(self) -> None:
        """A new record's owner (a task's assignee) starts as the user, as a new customer's
        does, unless the form was opened with one."""
        owner = ENTITIES[self.entity].OWNER
        if owner not in self.editors or self._preset.get(owner) is not None:
            return
        job = partial(default_owner, self._writer.store, self._writer.user_id)
        self._runner.submit(job, self._default_owner_arrived)

    def _default_owner_arrived(self, owner_id: str | None) -> None:
        self._default_owner = owner_id
        self._preset_owner()

    def _preset_owner(self) -> None:
        owner = ENTITIES[self.entity].OWNER
        editor = self.editors.get(owner) if owner else None
        if editor is None or self._default_owner is None or editor.value() is not None:
            return
        editor.set_value(self._default_owner)
        self.forget_change(editor.field.name)  # set for the user, not typed: nothing to ask

    def _held_user_arrived(
        self, editor: FieldEditor, user_id: str, user: dict[str, Any] | None
    ) -> None:
        editor.hold_choice(user_id, (user or {}).get("name") or user_id)

    def _choices_arrived(self, editor: FieldEditor, options: list[tuple[str, str]]) -> None:
        clean = not self.has_unsaved_changes()
        editor.set_choices(options, allow_blank=not editor.field.required)
        if clean:
            self._baseline = self.values()
        money_form_parts.choices_arrived(self, editor.field.name)

    def has_unsaved_changes(self) -> bool:
        picker = self.customer_picker
        return self.values() != self._baseline or (picker is not None and picker.unresolved())

    def read_only(self, why: str) -> None:
        """Shown to read, not to change (the user's role may not): saving is off, and why."""
        self._read_only = True
        for editor in self.editors.values():
            editor.setEnabled(False)
        self.save_button.setEnabled(False)
        self.save_new_button.setEnabled(False)
        self._show_message(why)

    def forget_change(self, name: str) -> None:
        """What a field shows now is what it holds: set by the program, not typed."""
        if name in self.editors:
            self._baseline[name] = self.editors[name].value()

    def reject(self) -> None:  # Qt override: Esc, Cancel and the close button all come here
        if self.has_unsaved_changes():
            self.ask_to_discard()
            return
        super().reject()

    def ask_to_discard(self) -> QMessageBox:
        """Ask (without blocking) before throwing away what the user typed."""
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.windowTitle(),
            self.tr("Close without saving? What you typed in this form will be lost."),
            parent=self,
        )
        box.setObjectName("discardQuestion")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        discard = box.addButton(
            self.tr("Close without saving"), QMessageBox.ButtonRole.DestructiveRole
        )
        keep = box.addButton(self.tr("Keep editing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.buttonClicked.connect(
            lambda button: self.done(QDialog.DialogCode.Rejected) if button is discard else None
        )
        box.open()
        return box

    def _fill_defaults(self) -> None:
        for name, value in self._preset.items():
            if name in self.editors:
                self.editors[name].set_value(value)
        if self.row_id is None:
            for name, value in _model_defaults(self.entity).items():
                if name in self.editors and name not in self._preset:
                    self.editors[name].set_value(value)
        for (entity, name), default in FRESH_DEFAULTS.items():
            if entity == self.entity and name in self.editors and name not in self._preset:
                self.editors[name].set_value(default())
        self._baseline = self.values()
        self._preset_owner()  # again after Save and new, once it has been read
        money_form_parts.fill_defaults(self)

    def _loaded(self, values: dict[str, Any] | None) -> None:
        self._set_busy(False)
        if values is None:
            self._show_message(self.tr("This record no longer exists; it may have been deleted."))
            self.save_button.setEnabled(False)
            return
        for name, editor in self.editors.items():
            editor.set_value(values.get(name))
            if editor.field.ref_roles and values.get(name) is not None:
                # A user the list leaves out by role may still be the one the record names.
                job = partial(self._reader.record, editor.field.ref or "users", values[name])
                self._runner.submit(job, partial(self._held_user_arrived, editor, values[name]))
        if self.identifiers is not None:
            self.identifiers.set_pairs(values.get("identifiers", []))
        if self.customer_picker is not None:
            self.customer_picker.show_customer(values.get("customer_id"))  # its name follows
        self._baseline = self.values()
        self._load_customer_choices(values.get("customer_id"))
        self._ask_customer_name(values)

    # -- saving ------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        values = {name: editor.value() for name, editor in self.editors.items()}
        for name, value in self._preset.items():
            if name not in self.editors:
                values[name] = value
        if self.customer_picker is not None:
            values["customer_id"] = self.customer_picker.customer_id()
        if self.identifiers is not None:
            values["identifiers"] = self.identifiers.pairs()
        return values

    def save(self, and_new: bool = False) -> None:
        if not self.save_button.isEnabled():
            return
        self._save_and_new = and_new
        self._show_message(None)
        values = self.values()
        if self.row_id:
            # Only what the user changed: a field shown differently from how it is stored (a
            # list still loading, a value it cannot show) is then never written back.
            values = {k: v for k, v in values.items() if self._baseline.get(k, v) != v}
        if self._mark_problems(values):
            return
        if self.row_id:
            # A task moved here takes its reminder along (services/writer.py).
            work = partial(
                self._writer.update,
                self.entity,
                self.row_id,
                values,
                move_reminder=self.entity == "tasks",
            )
        else:
            work = partial(self._writer.create, self.entity, values)
        self._set_busy(True)
        self._sent = values
        self._runner.write(work, self._saved, self._refused)

    def _saved(self, changes: ChangeSet) -> None:
        self._set_busy(False)
        self.saved.emit(changes)
        money_form_parts.after_save(self, self._sent, changes.primary_id)
        if self._save_and_new:
            for editor in self.editors.values():
                editor.show_error(None)
                editor.set_value(None)
            if self.identifiers is not None:
                self.identifiers.set_pairs([])
            self._fill_defaults()
            self.duplicates.hide()
            next(iter(self.editors.values())).setFocus()
            self._show_message(None)
        else:
            self._baseline = self.values()
            self.accept()

    def _refused(self, error: BaseException) -> None:
        self._set_busy(False)
        picker = self.customer_picker
        if isinstance(error, InvalidInput) and error.field == "customer_id" and picker:
            picker.forget_choice()
            self._show_customer_problem(QCoreApplication.translate("RecordForm", CUSTOMER_GONE))
            picker.setFocus()
        elif isinstance(error, InvalidInput) and error.field in self.editors:
            editor = self.editors[error.field]
            editor.show_error(error.text())
            editor.setFocus()
        else:
            self._show_message(describe_error(error))

    # -- checking ----------------------------------------------------------------------------

    def _problems(self, values: dict[str, Any], creating: bool) -> dict[str, InvalidInput]:
        """What the writer would refuse in these values, every field at once. The same rules
        the writer runs (it still refuses the first one itself): pure, no store, so here."""
        fields = FIELDS_BY_NAME[self.entity]
        own = {k: v for k, v in values.items() if k in fields}  # not the identifiers table
        return problems(self.entity, own, self._writer.region, creating=creating)

    def _mark_problems(self, values: dict[str, Any]) -> bool:
        """Show every problem beside its field (the first one focused); True if any."""
        found = self._problems(values, creating=self.row_id is None)
        first = None
        for name, editor in self.editors.items():
            error = found.get(name)
            editor.show_error(error.text() if error else None)
            if error is not None and first is None:
                first = editor
        others = [error for name, error in found.items() if name not in self.editors]
        if others:
            self._show_message(others[0].text())
        picker = self.customer_picker
        unchosen = picker is not None and picker.unresolved()
        if picker is not None:
            self._show_customer_problem(
                QCoreApplication.translate("RecordForm", CUSTOMER_UNCHOSEN) if unchosen else None
            )
            if unchosen and first is None:
                first = picker
        if first is not None:
            first.setFocus()
        return bool(found) or unchosen

    def _recheck(self, name: str) -> None:
        """A field showing a message, edited: the message goes as soon as the field is right,
        and follows what is typed until then. Fields without one are left alone while typed."""
        editor = self.editors[name]
        if not editor.error.text():
            return
        found = self._problems({name: editor.value()}, creating=False).get(name)
        editor.show_error(found.text() if found else None)

    def _show_customer_problem(self, text: str | None) -> None:
        self.customer_problem.setText(text or "")
        self.customer_problem.setVisible(bool(text))

    def _set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy and not self._read_only)
        self.save_new_button.setEnabled(not busy and not self._read_only)

    def _show_message(self, text: str | None) -> None:
        self.message.setText(text or "")
        self.message.setVisible(bool(text))

    # -- duplicates --------------------------------------------------------------------------

    def _look_for_duplicates(self) -> None:
        name = self.editors["name"].value() or ""
        phone = self.editors["phone"].value() or ""
        job = partial(self._reader.possible_duplicates, name, phone, self.row_id)
        self._runner.submit(job, self._duplicates_arrived)

    def _duplicates_arrived(self, matches: list) -> None:
        if not matches:
            self.duplicates.hide()
            return
        from crm_desktop.models.phones import display_phone

        names = "; ".join(
            f"{m.name} ({display_phone(m.phone)})" if m.phone else m.name for m in matches
        )
        self.duplicates.setText(self.tr("May already exist: %1").replace("%1", names))
        self.duplicates.show()

    def keyPressEvent(self, event: Any) -> None:
        # Enter saves from any single-line field; the default button would too, but only when
        # focus isn't in a widget (like a combo box) that swallows Enter.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers():
            self.save(False)
            return
        super().keyPressEvent(event)
