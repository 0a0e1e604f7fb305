"""One contract in a window of its own: its terms, its payment plan, the payments received, and
what is paid, outstanding and overdue (queries/money.py says how each is counted).

Instalments and payments are added and changed through their forms; a selected one can be
deleted, once the user confirms, and the delete undone from the page right after. The page
reads again whenever a write touches the contract, its plan or its payments.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.choices import ContractStatus
from crm_desktop.models.fields import Kind
from crm_desktop.queries.money import ContractSheet
from crm_desktop.queries.reader import Reader
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import Writer
from crm_desktop.views.deleting import UndoDeleteButton, delete_rows
from crm_desktop.views.display import choice_label, format_money, format_value
from crm_desktop.views.record_form import RecordForm
from crm_desktop.views.record_lists import fill_record_list, on_open, record_list
from crm_desktop.views.runner import Runner

# The page's two lists: (entity, fields shown).
LISTS = {
    "contract_instalments": ("due_on", "amount_cents", "note"),
    "payments": ("paid_on", "amount_cents", "method", "reference"),
}
WATCHED = frozenset({"contracts", "contract_instalments", "payments", "customers"})


class ContractPage(QWidget):
    """`open_customer(id)`: the user asked for the contract's customer."""

    open_customer = Signal(str)

    def __init__(
        self,
        contract_id: str,
        runner: Runner,
        reader: Reader,
        writer: Writer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.contract_id = contract_id
        self._runner, self._reader, self._writer = runner, reader, writer
        self.sheet: ContractSheet | None = None
        self.setObjectName("contractPage")
        self.setWindowTitle(self.tr("Contract"))
        self.resize(820, 620)

        self.title = QLabel()
        self.title.setObjectName("contractTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.terms = QLabel()
        self.terms.setObjectName("contractTerms")
        self.terms.setWordWrap(True)
        self.money = QLabel()
        self.money.setObjectName("contractMoney")
        self.money.setWordWrap(True)

        self.undo_button = UndoDeleteButton(runner, writer)
        actions = QHBoxLayout()
        for name, text, handler in (
            ("editContract", self.tr("Edit contract"), self.edit),
            ("addInstalment", self.tr("Add instalment"), self.add_instalment),
            ("recordPayment", self.tr("Record a payment"), self.record_payment),
            ("openContractCustomer", self.tr("Open customer"), self._open_customer),
        ):
            button = QPushButton(text)
            button.setObjectName(name)
            button.clicked.connect(handler)
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.undo_button)

        self.lists: dict[str, QTableWidget] = {}
        self.delete_buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.terms)
        layout.addWidget(self.money)
        layout.addLayout(actions)
        for entity, fields in LISTS.items():
            table = record_list(entity, fields, f"contract_{entity}")
            on_open(table, partial(self._edit_row, entity))
            delete = QPushButton(self.tr("Delete selected"))
            delete.setObjectName(f"delete_{entity}")
            delete.clicked.connect(partial(self.delete_selected, entity))
            box = QGroupBox(self._list_title(entity))
            inner = QVBoxLayout(box)
            inner.addWidget(table)
            inner.addWidget(delete, 0, Qt.AlignmentFlag.AlignRight)
            layout.addWidget(box, 1)
            self.lists[entity] = table
            self.delete_buttons[entity] = delete

        runner.changed.connect(self._changes)
        self.reload()

    @staticmethod
    def _list_title(entity: str) -> str:
        if entity == "payments":
            return QCoreApplication.translate("ContractPage", "Payments received")
        return QCoreApplication.translate("ContractPage", "Payment plan")

    # -- reading -----------------------------------------------------------------------------

    def reload(self) -> None:
        work = partial(self._reader.contract_sheet, self.contract_id, date.today())
        self._runner.submit(work, self._show)

    def _changes(self, changes: ChangeSet) -> None:
        if changes.entities() & WATCHED:
            self.reload()

    def _show(self, sheet: ContractSheet | None) -> None:
        self.sheet = sheet
        if sheet is None:
            self.title.setText(self.tr("This contract was deleted."))
            for button in self.findChildren(QPushButton):
                button.setEnabled(False)
            return
        contract = sheet.contract
        self.setWindowTitle(self.tr("Contract %1").replace("%1", contract["number"]))
        self.title.setText(
            self.tr("Contract %1 · %2")
            .replace("%1", contract["number"])
            .replace("%2", sheet.customer)
        )
        start, end = (
            format_value(Kind.DATE, contract[name]) or "…" for name in ("start_on", "end_on")
        )
        term = self.tr("%1 to %2").replace("%1", start).replace("%2", end)
        parts = [
            choice_label(contract["kind"]),
            term,
            choice_label(contract["status"]),
            self.tr("renewal: %1").replace("%1", choice_label(contract["renewal_status"])),
        ]
        if contract.get("renewal_note"):
            parts.append(contract["renewal_note"])
        if sheet.renews:
            parts.append(self.tr("renews %1").replace("%1", sheet.renews))
        if sheet.renewed_by:
            parts.append(self.tr("renewed by %1").replace("%1", ", ".join(sheet.renewed_by)))
        self.terms.setText(" · ".join(parts))
        self.money.setText(self.money_text(sheet))
        overdue = sheet.money.overdue > 0
        self.money.setStyleSheet("color: #b00020; font-weight: bold;" if overdue else "")
        self._fill("contract_instalments", sheet.instalments)
        self._fill("payments", sheet.payments)

    def money_text(self, sheet: ContractSheet) -> str:
        money = sheet.money
        planned = (
            self.tr("Plan: %1") if money.has_plan else self.tr("Amount (no plan): %1")
        ).replace("%1", format_money(money.planned))
        text = " · ".join(
            [
                planned,
                self.tr("Paid: %1").replace("%1", format_money(money.paid)),
                self.tr("Outstanding: %1").replace("%1", format_money(money.outstanding)),
                self.tr("Overdue: %1").replace("%1", format_money(money.overdue)),
            ]
        )
        if money.overdue_since is not None:
            text += " " + self.tr("(since %1)").replace("%1", money.overdue_since.isoformat())
        if sheet.contract.get("status") == ContractStatus.DRAFT.value:
            text += "\n" + self.tr(
                "A draft: nothing of it is owed or overdue until its status is Active (signed)."
            )
        later = sum(row["amount_cents"] for row in sheet.payments if row["paid_on"] > date.today())
        if later:
            # A transfer promised and booked ahead: counted as paid, but not in yet.
            text += "\n" + self.tr("%1 of what is paid is dated after today.").replace(
                "%1", format_money(later)
            )
        if money.has_plan and money.planned != sheet.contract["amount_cents"]:
            text += "\n" + self.tr(
                "The plan's instalments add up to %1, not the contract's amount %2."
            ).replace("%1", format_money(money.planned)).replace(
                "%2", format_money(sheet.contract["amount_cents"])
            )
        return text

    def _fill(self, entity: str, rows: list[dict[str, Any]]) -> None:
        fill_record_list(self.lists[entity], entity, LISTS[entity], rows)

    # -- actions -----------------------------------------------------------------------------

    def _form(self, entity: str, row_id: str | None, preset: dict[str, Any]) -> RecordForm:
        form = RecordForm(
            entity, self._runner, self._reader, self._writer, row_id, preset, parent=self
        )
        form.setModal(True)
        form.show()
        return form

    def edit(self) -> RecordForm:
        customer = self.sheet.contract["customer_id"] if self.sheet else None
        return self._form("contracts", self.contract_id, {"customer_id": customer})

    def add_instalment(self) -> RecordForm:
        preset: dict[str, Any] = {"contract_id": self.contract_id}
        if self.sheet is not None:
            left = self.sheet.contract["amount_cents"] - self.sheet.money.planned
            if self.sheet.money.has_plan and left > 0:
                preset["amount_cents"] = left  # what the plan still lacks
        return self._form("contract_instalments", None, preset)

    def record_payment(self) -> RecordForm:
        preset: dict[str, Any] = {
            "contract_id": self.contract_id,
            "method": "transfer",
        }
        if self.sheet is not None:
            preset["customer_id"] = self.sheet.contract["customer_id"]
            due = self.sheet.money.proposed_payment
            if due:
                preset["amount_cents"] = due
        return self._form("payments", None, preset)

    def _edit_row(self, entity: str, index: Any) -> None:
        item = self.lists[entity].item(index.row(), 0)
        if item is None:
            return
        preset: dict[str, Any] = {"contract_id": self.contract_id}
        if entity == "payments" and self.sheet is not None:
            preset["customer_id"] = self.sheet.contract["customer_id"]
        self._form(entity, item.data(Qt.ItemDataRole.UserRole), preset)

    def delete_selected(self, entity: str) -> None:
        table = self.lists[entity]
        rows = sorted({index.row() for index in table.selectionModel().selectedRows()})
        ids = [table.item(row, 0).data(Qt.ItemDataRole.UserRole) for row in rows]
        delete_rows(
            self, self._runner, self._writer, self._reader, entity, ids, self.undo_button.offer
        )

    def _open_customer(self) -> None:
        if self.sheet is not None:
            self.open_customer.emit(self.sheet.contract["customer_id"])
