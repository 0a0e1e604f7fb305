"""The contact person a customer list names beside each customer (联系人, 联系人手机, 职务: the
`contact:<field>` columns of headers.py), imported as a contact of the row's customer.

A new customer gets its contact with it, in the same batch (the contacts after their
customers). A row that updates a stored customer adds the contact unless that customer has a
live contact of the same name already: a list imported again does not add its people twice.
A contact the writer refuses (a mobile that is no phone number) refuses the whole row, as any
field of the customer would: nothing of it is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from sqlalchemy import select

from crm_desktop.models.entities import Contact
from crm_desktop.models.rules import problems as field_problems
from crm_desktop.models.validation import InvalidInput
from crm_desktop.services.writer import NewRow, UnitOfWork
from crm_desktop.transfer.cells import matched_text
from crm_desktop.transfer.columns import TransferColumn
from crm_desktop.transfer.errors import TransferError
from crm_desktop.transfer.headers import CONTACT_FIELDS, CONTACT_NAME, CONTACT_PREFIX
from crm_desktop.transfer.undo import BatchLog

T = QT_TRANSLATE_NOOP
# The key a row's contact cells travel under among its values: no field has a colon.
CONTACT_VALUES = CONTACT_PREFIX
NAME_TARGET = CONTACT_NAME
CONTACT_PROBLEM = T("Transfer", "contact person: {reason}")
NO_CONTACT_NAME = T(
    "Transfer", "the contact person's name is empty, though other columns of the contact are not."
)
CONTACT_NAME_COLUMN_MISSING = T(
    "Transfer",
    "The columns {columns} describe a contact person, but no column holds the contact's "
    "name: choose that column, or leave those columns out.",
)
# A plural: marked in resources/translations/extra_sources.py, as lupdate reads plurals only
# from tr() calls.
CONTACTS_ADDED = "Added %n contact person(s) with them."
# What the wizard's column lists call each contact:<field> target.
CONTACT_LABELS = dict(
    zip(
        CONTACT_FIELDS,  # name, title, mobile, phone, email: headers.py's targets
        (
            T("Transfer", "Contact person"),
            T("Transfer", "Contact's job title"),
            T("Transfer", "Contact's mobile"),
            T("Transfer", "Contact's phone"),
            T("Transfer", "Contact's email"),
        ),
        strict=True,
    )
)


class ContactProblem(Exception):
    """A row's contact person refused; `at`: the file column (target) it is about."""

    def __init__(self, message: str, at: str, **params: object) -> None:
        super().__init__(QCoreApplication.translate("Transfer", message).format(**params))
        self.at = at


def is_contact_target(target: str) -> bool:
    return target.startswith(CONTACT_PREFIX)


def contact_label(target: str) -> str:
    return QCoreApplication.translate("Transfer", CONTACT_LABELS[target[len(CONTACT_PREFIX) :]])


def contacts_added_text(count: int) -> str:
    """What an import's summary says of the contacts it added for the rows' contact persons."""
    return QCoreApplication.translate("Transfer", CONTACTS_ADDED, "", count)


def check_contact_columns(header: Iterable[str]) -> None:
    """TransferError when a mapped header has contact columns but none of the contact's name."""
    contact = [target for target in header if is_contact_target(target)]
    if contact and NAME_TARGET not in contact:
        columns = ", ".join(f"“{contact_label(target)}”" for target in contact)
        raise TransferError(CONTACT_NAME_COLUMN_MISSING, columns=columns)


class ContactPersons:
    """The contacts an import of customers adds for its rows' contact columns."""

    def __init__(
        self, unit: UnitOfWork, columns: list[TransferColumn], batch: BatchLog | None
    ) -> None:
        self._unit = unit
        self._batch = batch  # remembers the contacts made, for undo
        self.active = any(is_contact_target(column.name) for column in columns)
        self._waiting: list[NewRow] = []  # for new customers not inserted yet
        self.created = 0

    def take(self, values: dict[str, Any]) -> dict[str, str] | None:
        """The row's contact cells, taken out of its values; None when they are all empty."""
        cells = values.pop(CONTACT_VALUES, None)
        if not cells or not any(str(cell).strip() for cell in cells.values()):
            return None
        if not str(cells.get("name") or "").strip():
            raise ContactProblem(NO_CONTACT_NAME, NAME_TARGET)
        return cells

    def prepare_for_new(self, customer: NewRow, cells: dict[str, str]) -> None:
        """Check the contact of a customer the import adds; it goes in after its customer
        (insert_waiting). Raises ContactProblem, before anything of the row is kept."""
        self._unit.expect([customer])  # its contact refers to it before it is written
        self._waiting.append(self._prepared(customer.id, cells))

    def prepare_for_stored(self, customer_id: str, cells: dict[str, str] | None) -> NewRow | None:
        """The contact to add to a stored customer a row updates: None when the row names
        none, or the customer has a live contact of that name already. Raises ContactProblem."""
        if not cells:
            return None
        wanted = matched_text(str(cells["name"]))
        names = self._unit.session.scalars(
            select(Contact.name).where(
                Contact.customer_id == customer_id, Contact.deleted_at.is_(None)
            )
        )
        if any(matched_text(name) == wanted for name in names):
            return None
        return self._prepared(customer_id, cells)

    def insert(self, rows: list[NewRow]) -> None:
        if not rows:
            return
        ids = self._unit.insert(rows)
        self.created += len(ids)
        if self._batch is not None:
            self._batch.note_made_contacts(ids)

    def insert_waiting(self) -> None:
        """Insert the contacts of the new customers just inserted."""
        rows, self._waiting = self._waiting, []
        self.insert(rows)

    def drop_waiting(self) -> None:
        """Forget the contacts of new customers that will not be written (a check)."""
        self._waiting = []

    def problems(self, cells: dict[str, str] | None, region: str) -> dict[str, str]:
        """Every problem of a row's contact, by its column's target, for a check to show."""
        if not cells:
            return {}
        found = field_problems("contacts", dict(cells), region, creating=False)
        said = QCoreApplication.translate("Transfer", CONTACT_PROBLEM)
        # Said of the contact: a "Mobile" alone would read as the customer's.
        return {
            CONTACT_PREFIX + name: said.format(reason=problem) for name, problem in found.items()
        }

    def _prepared(self, customer_id: str, cells: dict[str, str]) -> NewRow:
        try:
            return self._unit.prepare("contacts", {**cells, "customer_id": customer_id})
        except InvalidInput as error:
            at = CONTACT_PREFIX + error.field
            raise ContactProblem(CONTACT_PROBLEM, at, reason=error) from None
