"""What each target of an import's columns is called, as the forms call it: "Phone", "ID card
number", "Owner", for the wizard's column choices and the sentences about columns."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from crm_desktop.duplicates.model import IDENTIFIER_KINDS
from crm_desktop.models.fields import FIELDS_BY_NAME
from crm_desktop.transfer.columns import IDENTIFIERS, transfer_columns
from crm_desktop.transfer.contact_persons import contact_label, is_contact_target
from crm_desktop.transfer.headers import CUSTOMER_ADDRESS, IDENTIFIER_PREFIX

T = QT_TRANSLATE_NOOP
IDENTIFIERS_LABEL = T("Transfer", "Identifiers (kind: number)")
ID_LABEL = T("Transfer", "Id (of a record here)")
COMPANY_ADDRESS_LABEL = T("Transfer", "Company address")
CUSTOMER_BY_NAME_LABEL = T("Transfer", "Customer (by name)")
# A contract named by its number, in the column beside its id's (a payment's `contract`).
BY_NUMBER_LABEL = T("Transfer", "{field} (by number)")


def _tr(text: str) -> str:
    return QCoreApplication.translate("Transfer", text)


def target_label(entity: str, target: str) -> str:
    """A target as the forms name it: "Phone", "ID card number", "Owner"."""
    if target.startswith(IDENTIFIER_PREFIX):
        kind = target.removeprefix(IDENTIFIER_PREFIX)
        label = IDENTIFIER_KINDS.get(kind)
        return QCoreApplication.translate("Choices", label) if label else kind
    if is_contact_target(target):
        return contact_label(target)
    special = {IDENTIFIERS: IDENTIFIERS_LABEL, "id": ID_LABEL, "customer": CUSTOMER_BY_NAME_LABEL}
    if entity == "contacts":
        special[CUSTOMER_ADDRESS] = COMPANY_ADDRESS_LABEL  # the card's company's, not the person's
    if target in special:
        return _tr(special[target])
    column = transfer_columns(entity).by_name().get(target)
    fields = FIELDS_BY_NAME[entity]
    if column is not None and column.field in fields:
        return fields[column.field].display_label()
    if column is not None and column.number_of in fields:
        field = fields[column.number_of].display_label()
        return _tr(BY_NUMBER_LABEL).format(field=field)
    return target
