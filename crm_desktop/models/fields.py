"""What each editable field is: its label, its kind, and whether it is required.

One table serves the forms, the column headers, the import/export columns and the validation
messages, so a field is named the same everywhere. Labels are marked for translation here and
translated where they are shown (context "Fields").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from crm_desktop.models import choices
from crm_desktop.models.limits import (
    MAX_DISCOUNT_PERCENT,
    MAX_MONEY_CENTS,
    MAX_PROBABILITY,
    MAX_QUANTITY,
)


class Kind(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    PHONE = "phone"
    EMAIL = "email"
    CHOICE = "choice"
    MONEY = "money"  # stored in integer cents
    INTEGER = "integer"
    NUMBER = "number"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"
    REF = "ref"  # id of another record


@dataclass(frozen=True)
class Field:
    name: str
    label: str
    kind: Kind = Kind.TEXT
    required: bool = False
    max_length: int = 200
    choices: tuple[str, ...] = ()
    ref: str | None = None  # entity a REF points at
    # A REF to users: the roles its list offers (none given: every user).
    ref_roles: tuple[str, ...] = ()
    minimum: float | None = None  # money in yuan, though it is stored in fen
    maximum: float | None = None
    # Shown in the record's form; False for what a dialog of its own sets (a fixed grade).
    in_form: bool = True
    # The translation context of the label: "Person" for a person's name, which Chinese calls
    # 姓名 where a company's or a product's is 名称.
    context: str = "Fields"

    def display_label(self) -> str:
        return QCoreApplication.translate(self.context, self.label)


def _codes(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


F = Field
T = QT_TRANSLATE_NOOP
# A money field's bounds are in yuan, as typed and as messages show them; it stores fen.
_MAX_YUAN = MAX_MONEY_CENTS // 100
# A note to a colleague is a message, not a document (the server's CHECK, migration 0012).
MAX_NOTE_TEXT = 2000

FIELDS: dict[str, tuple[Field, ...]] = {
    "users": (
        F("login", T("Fields", "Login"), required=True, max_length=63),
        F("name", T("Person", "Name"), required=True, context="Person"),
        F("role", T("Fields", "Role"), Kind.CHOICE, required=True, choices=_codes(choices.Role)),
        F("manager_id", T("Fields", "Manager"), Kind.REF, ref="users"),
        F("active", T("Fields", "Active"), Kind.BOOL),
    ),
    "customers": (
        F("name", T("Fields", "Name"), required=True),
        F("short_name", T("Fields", "Short name"), max_length=100),
        F("kind", T("Fields", "Kind"), Kind.CHOICE, choices=_codes(choices.CustomerKind)),
        F("grade", T("Fields", "Grade"), Kind.CHOICE, choices=_codes(choices.Grade)),
        F("industry", T("Fields", "Industry"), max_length=100),
        F("source", T("Fields", "Source"), max_length=100),
        F("phone", T("Fields", "Phone"), Kind.PHONE),
        F("phone2", T("Fields", "Other phone"), Kind.PHONE),
        F("email", T("Fields", "Email"), Kind.EMAIL, max_length=254),
        F("website", T("Fields", "Website"), max_length=300),
        F("address", T("Fields", "Address"), max_length=300),
        F("owner_id", T("Fields", "Owner"), Kind.REF, ref="users", ref_roles=choices.OWNER_ROLES),
        F("next_followup_at", T("Fields", "Next follow-up"), Kind.DATETIME),
        F("external_ref", T("Fields", "Finance system key"), max_length=100),
        F("notes", T("Fields", "Notes"), Kind.LONG_TEXT),
        # A manager's hand-set grade (the server takes it from managers and administrators).
        F("grade_fixed", T("Fields", "Grade fixed by hand"), Kind.BOOL, in_form=False),
        F("grade_note", T("Fields", "Why the grade is fixed"), max_length=300, in_form=False),
    ),
    "customer_identifiers": (
        F("customer_id", T("Fields", "Customer"), Kind.REF, required=True, ref="customers"),
        F(
            "kind",
            T("Fields", "Kind"),
            Kind.CHOICE,
            required=True,
            choices=_codes(choices.IdentifierKind),
        ),
        F("value", T("Fields", "Number"), required=True, max_length=100),
    ),
    "contacts": (
        F("customer_id", T("Fields", "Customer"), Kind.REF, required=True, ref="customers"),
        F("name", T("Person", "Name"), required=True, context="Person"),
        F("title", T("Fields", "Job title"), max_length=100),
        F("phone", T("Fields", "Phone"), Kind.PHONE),
        F("mobile", T("Fields", "Mobile"), Kind.PHONE),
        F("email", T("Fields", "Email"), Kind.EMAIL, max_length=254),
        F("messaging_id", T("Fields", "WeChat / messaging ID"), max_length=100),
        F("notes", T("Fields", "Notes"), Kind.LONG_TEXT),
    ),
    "products": (
        F("code", T("Fields", "Code"), required=True, max_length=64),
        F("name", T("Fields", "Name"), required=True),
        F("unit", T("Fields", "Unit"), max_length=32),
        F("list_price_cents", T("Fields", "List price"), Kind.MONEY, minimum=0, maximum=_MAX_YUAN),
        F("active", T("Fields", "Active"), Kind.BOOL),
    ),
    "opportunities": (
        F("title", T("Fields", "Title"), required=True),
        F("customer_id", T("Fields", "Customer"), Kind.REF, required=True, ref="customers"),
        F("contact_id", T("Fields", "Contact"), Kind.REF, ref="contacts"),
        F("stage", T("Fields", "Stage"), Kind.CHOICE, required=True, choices=_codes(choices.Stage)),
        F("amount_cents", T("Fields", "Amount"), Kind.MONEY, minimum=0, maximum=_MAX_YUAN),
        F("expected_close", T("Fields", "Expected close"), Kind.DATE),
        F(
            "probability",
            T("Fields", "Probability %"),
            Kind.INTEGER,
            minimum=0,
            maximum=MAX_PROBABILITY,
        ),
        F("owner_id", T("Fields", "Owner"), Kind.REF, ref="users"),
        F("close_reason", T("Fields", "Won/lost reason"), max_length=300),
        F("notes", T("Fields", "Notes"), Kind.LONG_TEXT),
    ),
    "opportunity_lines": (
        F(
            "opportunity_id",
            T("Fields", "Opportunity"),
            Kind.REF,
            required=True,
            ref="opportunities",
        ),
        F("product_id", T("Fields", "Product"), Kind.REF, required=True, ref="products"),
        F("quantity", T("Fields", "Quantity"), Kind.NUMBER, minimum=0, maximum=MAX_QUANTITY),
        F("unit_price_cents", T("Fields", "Unit price"), Kind.MONEY, minimum=0, maximum=_MAX_YUAN),
        F(
            "discount_percent",
            T("Fields", "Discount %"),
            Kind.INTEGER,
            minimum=0,
            maximum=MAX_DISCOUNT_PERCENT,
        ),
    ),
    "tasks": (
        F("title", T("Fields", "Title"), required=True),
        F("due_at", T("Fields", "Due"), Kind.DATETIME),
        F("priority", T("Fields", "Priority"), Kind.CHOICE, choices=_codes(choices.Priority)),
        F("assignee_id", T("Fields", "Assigned to"), Kind.REF, ref="users"),
        F("customer_id", T("Fields", "Customer"), Kind.REF, ref="customers"),
        F("opportunity_id", T("Fields", "Opportunity"), Kind.REF, ref="opportunities"),
        F("done", T("Fields", "Done"), Kind.BOOL),
        F("remind_at", T("Fields", "Remind me at"), Kind.DATETIME),
        F("notes", T("Fields", "Notes"), Kind.LONG_TEXT),
    ),
    "followups": (
        F("customer_id", T("Fields", "Customer"), Kind.REF, required=True, ref="customers"),
        F("contact_id", T("Fields", "Contact"), Kind.REF, ref="contacts"),
        F(
            "kind",
            T("Fields", "Kind"),
            Kind.CHOICE,
            required=True,
            choices=_codes(choices.FollowUpKind),
        ),
        F("happened_at", T("Fields", "When"), Kind.DATETIME),
        F("text", T("Fields", "What was said"), Kind.LONG_TEXT, required=True),
        F("promise", T("Fields", "What was promised"), Kind.LONG_TEXT),
        F("next_step", T("Fields", "Next step"), Kind.LONG_TEXT),
        F("next_step_at", T("Fields", "Next step date"), Kind.DATETIME),
    ),
    # The author is the one writing: the server refuses a log in anyone else's name. Filled in
    # by the writer as a record's owner; a form passes the user himself (a clerk's default
    # owner is his rep) and does not offer to change it.
    "work_logs": (
        F("author_id", T("Fields", "Author"), Kind.REF, ref="users"),
        F("day", T("Fields", "Day"), Kind.DATE, required=True),
        F("done", T("Fields", "What I did"), Kind.LONG_TEXT, required=True),
        F("plan", T("Fields", "Tomorrow's plan"), Kind.LONG_TEXT),
        F("problems", T("Fields", "Problems"), Kind.LONG_TEXT),
    ),
    "work_log_comments": (
        F("log_id", T("Fields", "Work log"), Kind.REF, required=True, ref="work_logs"),
        F("author_id", T("Fields", "Author"), Kind.REF, ref="users"),
        F("text", T("Fields", "Comment"), Kind.LONG_TEXT, required=True),
    ),
    # The sender is the one writing (as for a log's author); the server takes at most
    # MAX_NOTE_TEXT characters.
    "notes": (
        F("sender_id", T("Fields", "From"), Kind.REF, ref="users"),
        F("recipient_id", T("Fields", "To"), Kind.REF, required=True, ref="users"),
        F("text", T("Fields", "Note"), Kind.LONG_TEXT, required=True, max_length=MAX_NOTE_TEXT),
        F("customer_id", T("Fields", "About customer"), Kind.REF, ref="customers"),
        F("opportunity_id", T("Fields", "About opportunity"), Kind.REF, ref="opportunities"),
        # Set by the recipient when he reads it (the server takes it from nobody else).
        F("read_at", T("Fields", "Read"), Kind.DATETIME),
    ),
    "contracts": (
        F("number", T("Fields", "Contract number"), required=True, max_length=64),
        F("customer_id", T("Fields", "Customer"), Kind.REF, required=True, ref="customers"),
        F("opportunity_id", T("Fields", "From opportunity"), Kind.REF, ref="opportunities"),
        F(
            "kind",
            T("Fields", "Kind"),
            Kind.CHOICE,
            choices=_codes(choices.ContractKind),
        ),
        F("start_on", T("Fields", "Starts"), Kind.DATE),
        F("end_on", T("Fields", "Ends"), Kind.DATE),
        F("amount_cents", T("Fields", "Amount"), Kind.MONEY, minimum=0, maximum=_MAX_YUAN),
        F(
            "status",
            T("Fields", "Status"),
            Kind.CHOICE,
            choices=_codes(choices.ContractStatus),
        ),
        F(
            "renewal_status",
            T("Fields", "Renewal"),
            Kind.CHOICE,
            choices=_codes(choices.RenewalStatus),
        ),
        F("renewal_note", T("Fields", "Renewal note"), max_length=300),
        F("renewed_from_id", T("Fields", "Renews contract"), Kind.REF, ref="contracts"),
        F("owner_id", T("Fields", "Owner"), Kind.REF, ref="users"),
        F("external_ref", T("Fields", "Finance system key"), max_length=100),
        F("notes", T("Fields", "Notes"), Kind.LONG_TEXT),
    ),
    "contract_instalments": (
        F("contract_id", T("Fields", "Contract"), Kind.REF, required=True, ref="contracts"),
        F("due_on", T("Fields", "Due on"), Kind.DATE, required=True),
        F("amount_cents", T("Fields", "Amount"), Kind.MONEY, minimum=0, maximum=_MAX_YUAN),
        F("note", T("Fields", "Remarks"), max_length=300),
    ),
    "payments": (
        F("customer_id", T("Fields", "Customer"), Kind.REF, required=True, ref="customers"),
        F("contract_id", T("Fields", "Contract"), Kind.REF, ref="contracts"),
        F("paid_on", T("Fields", "Paid on"), Kind.DATE, required=True),
        F(
            "amount_cents",
            T("Fields", "Amount"),
            Kind.MONEY,
            required=True,
            minimum=0.01,  # one fen: a payment is money received
            maximum=_MAX_YUAN,
        ),
        F(
            "method",
            T("Fields", "Method"),
            Kind.CHOICE,
            choices=_codes(choices.PaymentMethod),
        ),
        F("reference", T("Fields", "Reference"), max_length=100),
        F("external_ref", T("Fields", "Finance system key"), max_length=100),
        F("notes", T("Fields", "Notes"), Kind.LONG_TEXT),
    ),
}

# What a record of each entity is called in sentences ("No customer with id ... exists").
ENTITY_LABELS: dict[str, str] = {
    "users": T("Entities", "user"),
    "customers": T("Entities", "customer"),
    "customer_identifiers": T("Entities", "ID number"),
    "contacts": T("Entities", "contact"),
    "products": T("Entities", "product"),
    "opportunities": T("Entities", "opportunity"),
    "opportunity_lines": T("Entities", "opportunity line"),
    "tasks": T("Entities", "task"),
    "followups": T("Entities", "follow-up"),
    "work_logs": T("Entities", "work log"),
    "work_log_comments": T("Entities", "comment"),
    "notes": T("Entities", "note"),
    "contracts": T("Entities", "contract"),
    "contract_instalments": T("Entities", "instalment"),
    "payments": T("Entities", "payment"),
}


def entity_label(entity: str) -> str:
    return QCoreApplication.translate("Entities", ENTITY_LABELS.get(entity, entity))


FIELDS_BY_NAME: dict[str, dict[str, Field]] = {
    entity: {field.name: field for field in fields} for entity, fields in FIELDS.items()
}


def links_of(entity: str, values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(entity, id) of each record these values of an `entity` record point at: its customer,
    contact, deal, owner... (its REF fields given a value)."""
    return [
        (field.ref, value)
        for field in FIELDS.get(entity, ())
        if field.kind is Kind.REF and field.ref and isinstance(value := values.get(field.name), str)
    ]
