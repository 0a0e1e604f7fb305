"""The columns of an exported or imported file, derived from the editable fields.

A file column is named after its field, except where a person reads it better otherwise: money
in yuan drops `_cents` (`amount`), a user is shown by login (`owner` for `owner_id`), a customer
reference gets a readable `customer` name column beside its `customer_id`, and a contract
reference its contract's number beside it (`contract` beside `contract_id`, `renewed_from`
beside `renewed_from_id`). A contract's number names one contract, so an import takes the
number in place of the id: a finance clerk's file of payments needs only contract numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy.orm import aliased

from crm_desktop.models.entities import ENTITIES, Contract, Customer, User
from crm_desktop.models.fields import FIELDS, Kind

TRANSFER_ENTITIES = (
    "customers",
    "contacts",
    "products",
    "opportunities",
    "tasks",
    "followups",
    "contracts",
    "contract_instalments",
    "payments",
)
IDENTIFIERS = "identifiers"
# Customers lead with what a spreadsheet user looks for first; the rest follow in field order.
LEADING_COLUMNS = {
    "customers": ("id", "name", "phone", "email", "address", "industry", "grade", "owner")
}


@dataclass(frozen=True)
class TransferColumn:
    name: str  # the header in the file
    expr: Any  # SQL expression read on export; None for identifiers, read separately
    kind: Kind
    field: str | None = None  # the writer's field set on import; None when export-only
    by_login: bool = False  # the cell holds a user's login, stored as that user's id
    # A contract's number standing for the contract id in this field, when the file leaves
    # that field's own column empty (or has none).
    number_of: str | None = None


@dataclass(frozen=True)
class TransferTable:
    columns: tuple[TransferColumn, ...]
    joins: tuple[tuple[Any, Any], ...]  # outer joins the export needs for readable columns

    def by_name(self) -> dict[str, TransferColumn]:
        return {column.name: column for column in self.columns}


@cache
def transfer_columns(entity: str) -> TransferTable:
    model = ENTITIES[entity]
    columns = [TransferColumn("id", model.id, Kind.TEXT)]
    joins: list[tuple[Any, Any]] = []
    for field in FIELDS[entity]:
        stored = getattr(model, field.name)
        if field.kind is Kind.MONEY:
            columns.append(
                TransferColumn(field.name.removesuffix("_cents"), stored, field.kind, field.name)
            )
        elif field.kind is Kind.REF and field.ref == "users":
            user = aliased(User, name=f"{field.name}_user")
            joins.append((user, user.id == stored))
            name = field.name.removesuffix("_id")
            columns.append(TransferColumn(name, user.login, Kind.TEXT, field.name, by_login=True))
        else:
            columns.append(TransferColumn(field.name, stored, field.kind, field.name))
        if field.kind is Kind.REF and field.ref == "customers":
            customer = aliased(Customer, name="referenced_customer")
            joins.append((customer, customer.id == stored))
            columns.append(TransferColumn("customer", customer.name, Kind.TEXT))
        if field.kind is Kind.REF and field.ref == "contracts":
            contract = aliased(Contract, name=f"{field.name}_contract")
            joins.append((contract, contract.id == stored))
            name = field.name.removesuffix("_id")
            columns.append(TransferColumn(name, contract.number, Kind.TEXT, number_of=field.name))
    if entity == "customers":
        columns.append(TransferColumn(IDENTIFIERS, None, Kind.TEXT, IDENTIFIERS))
        columns.append(TransferColumn("last_followup_at", Customer.last_followup_at, Kind.DATETIME))
    leading = LEADING_COLUMNS.get(entity, ())
    columns.sort(key=lambda c: leading.index(c.name) if c.name in leading else len(leading))
    return TransferTable(tuple(columns), tuple(joins))
