"""One customer on one page: details, ID numbers, contacts, opportunities, tasks and the
follow-up timeline, with buttons for what a rep does next."""

from __future__ import annotations

import html
import re
from datetime import datetime
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.entities import ENTITIES
from crm_desktop.models.fields import FIELDS_BY_NAME, Kind
from crm_desktop.queries.reader import Reader
from crm_desktop.queries.records import CustomerDetail, OwnershipEvent
from crm_desktop.reports import ReportOptions
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import Writer
from crm_desktop.views.conflict_text import local_time
from crm_desktop.views.display import choice_label, format_money, format_value
from crm_desktop.views.grade_dialog import GradeDialog
from crm_desktop.views.ownership_buttons import OwnershipButtons
from crm_desktop.views.pdf_export import PdfExport
from crm_desktop.views.record_form import RecordForm
from crm_desktop.views.record_lists import fill_record_list, on_open, record_list
from crm_desktop.views.runner import Runner

# Columns of the small lists on the page: (entity, field names shown).
LISTS = {
    "contacts": ("name", "title", "mobile", "phone", "email"),
    "opportunities": ("title", "stage", "amount_cents", "expected_close", "probability"),
    "tasks": ("title", "due_at", "priority", "done"),
    "contracts": ("number", "kind", "end_on", "amount_cents", "status", "renewal_status"),
    "payments": ("paid_on", "amount_cents", "method", "contract_id", "reference"),
}
DETAIL_FIELDS = (
    "short_name",
    "kind",
    "grade",
    "industry",
    "source",
    "phone",
    "phone2",
    "email",
    "website",
    "address",
    "next_followup_at",
    "notes",
)


class CustomerPage(QWidget):
    """Shown in its own window; refreshes itself when a write touches this customer."""

    closed = Signal(str)
    note_requested = Signal(str, str)  # customer id, name: a note to a colleague about it
    contract_requested = Signal(str)  # a contract's id: open its page

    def __init__(
        self,
        customer_id: str,
        runner: Runner,
        reader: Reader,
        writer: Writer,
        parent: QWidget | None = None,
        ownership: OwnershipButtons | None = None,
        embedded: bool = False,
    ) -> None:
        """`ownership`: Claim and Release, where the profile has a server to ask. `embedded`:
        a page of the main window (with a Close button) rather than a window of its own."""
        if embedded:
            super().__init__(parent)
        else:
            super().__init__(parent, Qt.WindowType.Window)
        self.customer_id = customer_id
        self.ownership = ownership
        self._runner = runner
        self._reader = reader
        self._writer = writer
        self.detail: CustomerDetail | None = None
        # Why nothing may be changed or added here now (a customer of the pool, one deleted).
        self.refused_change: str | None = None
        self.setObjectName("customerPage")
        self.setWindowTitle(self.tr("Customer"))
        self.resize(980, 720)

        self.title = QLabel()
        self.title.setObjectName("customerTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("customerSubtitle")
        # Shown to everybody who sees the customer, not only to those who may change the lock.
        self.lock_line = QLabel(self.tr("Locked with its owner: never returns to the pool"))
        self.lock_line.setObjectName("poolLockedLine")
        self.lock_line.hide()
        self.due_line = QLabel()
        self.due_line.setObjectName("poolDueLine")
        self.due_line.hide()
        self.money_line = QLabel()
        self.money_line.setObjectName("customerMoney")
        self.money_line.hide()

        # What a rep does most, as buttons in one row that fits a 1024-pixel screen; adding a
        # contact, deal, task or contract is one "Add" button with a short list.
        actions = QHBoxLayout()
        for name, text, handler in (
            ("editCustomer", self.tr("Edit"), self.edit),
            ("addFollowUp", self.tr("Log a follow-up"), partial(self.add, "followups")),
        ):
            actions.addWidget(self._button(name, text, handler))
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setObjectName("addToCustomer")
        self.add_button.setToolTip(self.tr("Add a contact, opportunity, task or contract"))
        self.add_button.setProperty("offeredTip", self.add_button.toolTip())
        add_menu = QMenu(self.add_button)
        add_menu.setObjectName("addToCustomerMenu")
        for name, text, entity in (
            ("addContact", self.tr("Add contact"), "contacts"),
            ("addOpportunity", self.tr("Add opportunity"), "opportunities"),
            ("addTask", self.tr("Add task"), "tasks"),
            ("addContract", self.tr("Add contract"), "contracts"),
        ):
            action = add_menu.addAction(text)
            action.setObjectName(name)
            action.triggered.connect(partial(self.add, entity))
        self.add_button.setMenu(add_menu)
        actions.addWidget(self.add_button)
        for name, text, handler in (
            ("recordCustomerPayment", self.tr("Record a payment"), self.record_payment),
            ("noteAboutCustomer", self.tr("Send a note…"), self._ask_note),
        ):
            actions.addWidget(self._button(name, text, handler))
        # What changes the customer or adds to it: not offered where the server would refuse
        # it at the next sync (a customer of the pool, one deleted meanwhile).
        self.changing = [
            widget
            for index in range(actions.count())
            if isinstance(widget := actions.itemAt(index).widget(), QPushButton)
            and widget.objectName()
            in ("editCustomer", "addFollowUp", "addToCustomer", "recordCustomerPayment")
        ]
        self.pdf = PdfExport(writer, runner, self)
        self.pdf.warn_in_a_box()
        self.pdf_button = self.pdf.button("customerPdf")
        self.pdf_button.setToolTip(
            self.tr(
                "The customer's profile to print before a visit: details, contacts, open "
                "opportunities, the last follow-ups and contracts"
            )
        )
        self.pdf_button.clicked.connect(self.export_pdf)
        actions.addWidget(self.pdf_button)
        actions.addStretch(1)
        if embedded:
            actions.addWidget(self._button("closeCustomer", self.tr("Close"), self.close))

        # Changing the grade or the owner sits beside the line that shows them.
        self.fix_grade_button = QPushButton(self.tr("Fix grade…"))
        self.fix_grade_button.setObjectName("fixGrade")
        self.fix_grade_button.clicked.connect(self.fix_grade)
        self.fix_grade_button.hide()  # for managers and administrators (set_role)
        self.subtitle.setWordWrap(True)
        owner_row = QHBoxLayout()
        owner_row.addWidget(self.subtitle, 1)
        owner_row.addWidget(self.fix_grade_button)
        if ownership is not None:
            owner_row.addWidget(ownership)

        self.details = QFormLayout()
        details_box = QGroupBox(self.tr("Details"))
        details_box.setLayout(self.details)

        self.lists: dict[str, QTableWidget] = {}
        # One list at a time, each with the whole height: five stacked lists left each a row.
        self.list_tabs = QTabWidget()
        self.list_tabs.setObjectName("customerLists")
        left = QVBoxLayout()
        left.addWidget(details_box)
        left.addWidget(self.list_tabs, 1)
        for entity, fields in LISTS.items():
            table = record_list(entity, fields, f"page_{entity}")
            on_open(table, partial(self._edit_child, entity))
            self.list_tabs.addTab(table, self._list_title(entity))
            self.lists[entity] = table
        left_widget = QWidget()
        left_widget.setLayout(left)

        self.timeline = QTextBrowser()
        self.timeline.setObjectName("followUpTimeline")
        self.timeline.setAccessibleName(self.tr("Follow-up timeline"))
        timeline_box = QGroupBox(self.tr("Follow-ups"))
        QVBoxLayout(timeline_box).addWidget(self.timeline)
        self.history = QTextBrowser()
        self.history.setObjectName("ownershipHistory")
        self.history.setAccessibleName(self.tr("Ownership history"))
        history_box = QGroupBox(self.tr("Ownership history"))
        QVBoxLayout(history_box).addWidget(self.history)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(timeline_box)
        right.addWidget(history_box)
        right.setStretchFactor(0, 3)
        right.setStretchFactor(1, 1)

        splitter = QSplitter()
        splitter.addWidget(left_widget)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(owner_row)
        layout.addWidget(self.lock_line)
        layout.addWidget(self.due_line)
        layout.addWidget(self.money_line)
        layout.addLayout(actions)
        layout.addWidget(splitter, 1)

        runner.changed.connect(self._changes)
        self.reload()

    def _offer_changes(self, refused: str | None) -> None:
        """Offer the changes, or (`refused`: why not) grey them out and say why on them."""
        self.refused_change = refused
        for widget in self.changing:
            widget.setEnabled(refused is None)
            widget.setToolTip(refused or widget.property("offeredTip") or "")

    @staticmethod
    def _button(name: str, text: str, handler: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.clicked.connect(handler)
        return button

    @staticmethod
    def _list_title(entity: str) -> str:
        titles = {
            "contacts": QCoreApplication.translate("CustomerPage", "Contacts"),
            "opportunities": QCoreApplication.translate("CustomerPage", "Opportunities"),
            "tasks": QCoreApplication.translate("CustomerPage", "Tasks"),
            "contracts": QCoreApplication.translate("CustomerPage", "Contracts"),
            "payments": QCoreApplication.translate("CustomerPage", "Payments"),
        }
        return titles[entity]

    def reload(self) -> None:
        self._runner.submit(partial(self._reader.customer_detail, self.customer_id), self._show)

    def _changes(self, changes: ChangeSet) -> None:
        # Every write to a record hanging off the customer names the customer as updated.
        if self.customer_id in changes.ids("customers") or "customers" in changes.reload:
            self.reload()

    def _show(self, detail: CustomerDetail | None) -> None:
        self.detail = detail
        if detail is None:
            self.title.setText(self.tr("This customer was deleted."))
            self.lock_line.hide()
            self.due_line.hide()
            self._offer_changes(self.tr("This customer was deleted."))
            return
        in_pool = (
            self.ownership is not None
            and detail.customer["owner_id"] is None
            and self.ownership.role != "admin"
        )
        self._offer_changes(
            self.tr("This customer is in the public pool: claim it first, then change it.")
            if in_pool
            else None
        )
        customer = detail.customer
        self.setWindowTitle(customer["name"])
        self.title.setText(customer["name"])
        grade = choice_label(customer["grade"]) if customer["grade"] else self.tr("not graded")
        if customer.get("grade_fixed"):
            grade = self.tr("%1, fixed by hand").replace("%1", grade)
            if customer.get("grade_note"):
                grade += f" ({customer['grade_note']})"
        owner = detail.owner_name or self.tr("public pool")
        locked = bool(customer.get("pool_locked")) and customer["owner_id"] is not None
        self.lock_line.setVisible(locked)
        if self.ownership is not None:
            self.ownership.show_owner(customer["owner_id"], locked=locked)
        subtitle = self.tr("Grade: %1 · Owner: %2").replace("%1", grade).replace("%2", owner)
        if detail.entered_by and detail.entered_for:
            subtitle += " · " + self.tr("entered by %1 for %2").replace(
                "%1", detail.entered_by
            ).replace("%2", detail.entered_for)
        self.subtitle.setText(subtitle)
        while self.details.rowCount():
            self.details.removeRow(0)
        fields = FIELDS_BY_NAME["customers"]
        for name in DETAIL_FIELDS:
            value = format_value(fields[name].kind, customer.get(name))
            if value:
                label = QLabel(value)
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                label.setWordWrap(True)
                self.details.addRow(fields[name].display_label(), label)
        for identifier in detail.identifiers:
            self.details.addRow(choice_label(identifier["kind"]), QLabel(identifier["value"]))
        self._fill(self.lists["contacts"], "contacts", detail.contacts)
        self._fill(self.lists["opportunities"], "opportunities", detail.opportunities)
        self._fill(self.lists["tasks"], "tasks", detail.tasks)
        self._fill(self.lists["contracts"], "contracts", detail.contracts)
        numbers = {row["id"]: row["number"] for row in detail.contracts}
        payments = [
            {**row, "contract_id": numbers.get(row["contract_id"], row.get("contract_number"))}
            for row in detail.payments
        ]
        self._fill(self.lists["payments"], "payments", payments)
        self._show_money(detail)
        self.timeline.setHtml(self._timeline_html(detail))
        self.history.setHtml(self._history_html(detail.ownership))
        self._show_due(customer.get("pool_due_at"), detail.returns_soon)

    def _show_money(self, detail: CustomerDetail) -> None:
        money = detail.money
        if money is None or not (money.contracts or money.paid):
            self.money_line.hide()
            return
        text = (
            self.tr("Paid in the last 12 months: %1 · Outstanding: %2 · Overdue: %3")
            .replace("%1", format_money(money.paid_last_year))
            .replace("%2", format_money(money.outstanding))
            .replace("%3", format_money(money.overdue))
        )
        if money.on_account:
            # Paid without a contract: it pays off none of them, which the figures before it
            # would otherwise leave unexplained.
            text += self.tr(" · Paid for no contract: %1").replace(
                "%1", format_money(money.on_account)
            )
        self.money_line.setText(text)
        self.money_line.setStyleSheet("color: #b00020; font-weight: bold;" if money.overdue else "")
        self.money_line.show()

    def _show_due(self, due: datetime | None, soon: bool) -> None:
        """When the customer returns to the pool unless followed up; in red when it is soon."""
        self.due_line.setVisible(due is not None)
        if due is None:
            return
        when = format_value(Kind.DATETIME, due)
        text = self.tr("Returns to the public pool on %1 unless followed up before")
        self.due_line.setText(text.replace("%1", when))
        self.due_line.setStyleSheet("color: #b00020; font-weight: bold;" if soon else "")

    def _history_html(self, events: list[OwnershipEvent]) -> str:
        if not events:
            nothing = self.tr("No ownership history on this computer yet.")
            return f"<p>{html.escape(nothing)}</p>"
        lines = []
        for event in reversed(events):  # the latest first, like the follow-ups
            when = format_value(Kind.DATETIME, event.changed_at)
            line = f"<b>{html.escape(when)}</b> · {html.escape(self._history_sentence(event))}"
            if event.reason:
                line += f"<br><i>{html.escape(history_reason(event.reason))}</i>"
            lines.append(f"<p>{line}</p>")
        return "".join(lines)

    def _history_sentence(self, event: OwnershipEvent) -> str:
        someone = self.tr("someone")
        by, before, after = (
            event.by or someone,
            event.previous_owner or someone,
            event.owner or someone,
        )
        if event.kind == "entered":
            if event.owner is None:
                text = self.tr("Entered into the public pool by %1")
            elif event.by and event.by != event.owner:
                text = self.tr("Entered by %1 for %3")
            else:
                text = self.tr("Entered by %1")
        elif event.kind == "claimed":
            text = self.tr("Claimed from the public pool by %3")
        elif event.kind == "released" and not event.by_previous_owner and event.by:
            # Taken from its owner by his manager or an administrator (server migration 0021).
            text = self.tr("Moved to the public pool from %2 by %1")
        elif event.kind == "released":
            text = self.tr("Released to the public pool by %2")
        elif event.kind == "returned":
            text = self.tr("Returned to the public pool from %2: not followed up in time")
        elif event.kind == "handed_over":
            text = self.tr("Handed over from %2 to %3 by %1")
        elif event.kind == "graded":
            # The reason says from which grade to which (server migration 0015).
            text = (
                self.tr("Grade changed by %1")
                if event.by
                else self.tr("Graded by value (what it paid in the last 12 months)")
            )
        elif event.kind == "merged":
            # The reason names the customer merged into this one (server migration 0017).
            text = self.tr("Another customer merged into this one by %1")
        elif event.by is None:
            text = self.tr("Given back to %3 for a follow-up made in time")
        elif event.previous_owner is None:
            text = self.tr("Given by %1 to %3 from the public pool")
        else:
            text = self.tr("Given by %1 to %3 (from %2)")
        return text.replace("%1", by).replace("%2", before).replace("%3", after)

    def _fill(self, table: QTableWidget, entity: str, rows: list[dict[str, Any]]) -> None:
        title = self._list_title(entity)
        self.list_tabs.setTabText(
            self.list_tabs.indexOf(table), f"{title} ({len(rows)})" if rows else title
        )
        fill_record_list(table, entity, LISTS[entity], rows)

    def _timeline_html(self, detail: CustomerDetail) -> str:
        if not detail.followups:
            return f"<p>{html.escape(self.tr('No follow-ups yet.'))}</p>"
        fields = FIELDS_BY_NAME["followups"]
        parts = []
        for item in detail.followups:
            when = format_value(Kind.DATETIME, item["happened_at"])
            head = f"<b>{html.escape(when)}</b> · {html.escape(choice_label(item['kind']))}"
            if item.get("logged_by"):
                head += " · " + html.escape(self._logged_by(item))
            lines = [head, html.escape(item["text"] or "").replace("\n", "<br>")]
            for name in ("promise", "next_step"):
                if item.get(name):
                    label = html.escape(fields[name].display_label())
                    said = html.escape(item[name]).replace("\n", "<br>")  # as typed, lines kept
                    lines.append(f"<i>{label}:</i> {said}")
            if item.get("next_step_at"):
                label = html.escape(fields["next_step_at"].display_label())
                lines.append(f"<i>{label}:</i> {format_value(Kind.DATETIME, item['next_step_at'])}")
            parts.append("<p>" + "<br>".join(lines) + "</p>")
        return "<hr>".join(parts)

    def _logged_by(self, item: dict[str, Any]) -> str:
        if item.get("logged_for"):
            text = self.tr("logged by %1 for %2").replace("%2", item["logged_for"])
        else:
            text = self.tr("logged by %1")
        return text.replace("%1", item["logged_by"])

    # -- actions -----------------------------------------------------------------------------

    def _open_form(
        self, entity: str, row_id: str | None, preset: dict[str, Any] | None = None
    ) -> RecordForm:
        parent = ENTITIES[entity].PARENT
        preset = {**(preset or {}), **({parent: self.customer_id} if parent else {})}
        form = RecordForm(
            entity, self._runner, self._reader, self._writer, row_id, preset, parent=self
        )
        form.setModal(True)
        form.show()
        return form

    def _ask_note(self) -> None:
        if self.detail is not None:
            self.note_requested.emit(self.customer_id, self.detail.customer["name"])

    def export_pdf(self) -> None:
        name = (self.detail.customer.get("name") if self.detail else None) or self.tr("customer")
        file_name = name.replace("/", "-") + ".pdf"
        self.pdf.ask("customer", ReportOptions(customer_id=self.customer_id), file_name)

    def edit(self) -> RecordForm:
        return self._open_form("customers", self.customer_id)

    def add(self, entity: str) -> RecordForm:
        return self._open_form(entity, None)

    def _edit_child(self, entity: str, index: Any) -> None:
        item = self.lists[entity].item(index.row(), 0)
        if item is None:
            return
        if entity == "contracts":
            self.contract_requested.emit(item.data(Qt.ItemDataRole.UserRole))
        else:
            self._open_form(entity, item.data(Qt.ItemDataRole.UserRole))

    def record_payment(self) -> RecordForm:
        """Received today (FRESH_DEFAULTS). When a payment is due on one contract of the
        customer, it is for that one, of what its own page proposes; with several, the user
        chooses the contract in the form."""
        preset: dict[str, Any] = {}
        money = self.detail.money if self.detail is not None else None
        if money is not None and len(money.owing) == 1:
            ((contract_id, proposed),) = money.owing
            preset = {"contract_id": contract_id, "amount_cents": proposed}
        return self._open_form("payments", None, preset)

    def set_role(self, role: str) -> None:
        """What the user's role offers here: fixing a grade, for managers and administrators."""
        self.fix_grade_button.setVisible(role in ("manager", "admin"))

    def fix_grade(self) -> GradeDialog | None:
        if self.detail is None:
            return None
        dialog = GradeDialog(self.detail.customer, self._runner, self._writer, self)
        dialog.setModal(True)
        dialog.show()
        return dialog

    def closeEvent(self, event: Any) -> None:  # Qt override
        self.closed.emit(self.customer_id)
        super().closeEvent(event)


# The reasons the server writes itself into the ownership history (server migrations 0008 and
# the handover of sync/server/admin.py), in English with its UTC clock: said again in the
# user's language and time. A reason a person typed is shown as typed.
_KEPT_BY_FOLLOW_UP = re.compile(
    r"^a follow-up of (?P<when>\d{4}-\d{2}-\d{2} \d{2}:\d{2}) happened before the return$"
)
_HANDED_OVER = re.compile(r"^handover from (?P<leaver>\S+) to (?P<receiver>\S+)$")


def history_reason(reason: str) -> str:
    if found := _KEPT_BY_FOLLOW_UP.match(reason):
        return QCoreApplication.translate(
            "CustomerPage",
            "a follow-up of {when} was logged before the customer returned to the pool",
        ).format(when=local_time(found["when"]))
    if found := _HANDED_OVER.match(reason):
        return QCoreApplication.translate(
            "CustomerPage", "handed over from {leaver} to {receiver}"
        ).format(leaver=found["leaver"], receiver=found["receiver"])
    return reason
