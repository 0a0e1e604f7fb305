"""What a duplicate search finds: groups of records that are likely one, each member with the
reasons it is there, and for an import the existing records (or earlier rows) a row matches."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from crm_desktop.models.phones import DEFAULT_REGION, display_phone

T = QT_TRANSLATE_NOOP
CONTEXT = "Duplicates"


class Why(StrEnum):
    """What two records share, the most telling first (the order reasons are listed in)."""

    IDENTIFIER = "identifier"
    PHONE = "phone"
    EMAIL = "email"
    NAME_AND_ADDRESS = "name_and_address"  # a person: the same name at the same address
    NAME_AT_CUSTOMER = "name_at_customer"  # a contact: the same name at the same customer
    NAME = "name"  # similar company names in one city


_RANK = {why: rank for rank, why in enumerate(Why)}


SAME_PHONE = T("Duplicates", "Same phone {phone}")
SAME_EMAIL = T("Duplicates", "Same email {email}")
SAME_IDENTIFIER = T("Duplicates", "Same identifier: {kind} {value}")
SAME_NAME_IN = T("Duplicates", "Same name in {city}")
SIMILAR_NAME_IN = T("Duplicates", "Similar name ({score}%) in {city}")
SAME_NAME = T("Duplicates", "Same name")
SIMILAR_NAME = T("Duplicates", "Similar name ({score}%)")
SAME_NAME_AND_ADDRESS = T("Duplicates", "Same name and address")
SAME_NAME_AT_CUSTOMER = T("Duplicates", "Same name at the same customer")
# An identifier's kind as the forms show it: the same labels, in the same context, as
# views/display.py marks (the one translation serves both).
IDENTIFIER_KINDS: dict[str, str] = {
    "tax_number": T("Choices", "Tax number"),
    "id_card": T("Choices", "ID card number"),
    "policy_number": T("Choices", "Policy number"),
    "licence_plate": T("Choices", "Licence plate"),
    "member_number": T("Choices", "Member number"),
    "other": T("Choices", "Other"),
}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a record is in its group: a value it shares with another member (phone in E.164,
    email, identifier as stored), or a name like another's (`score` 0-100, in `city`)."""

    why: Why
    value: str = ""
    identifier_kind: str = ""
    city: str = ""
    score: int = 100

    def order(self) -> tuple:
        """Where it is listed: by Why's order, then the best likeness, then by value."""
        return (_RANK[self.why], -self.score, self.value, self.identifier_kind, self.city)

    def text(self, region: str = DEFAULT_REGION) -> str:
        def tr(text: str) -> str:
            return QCoreApplication.translate(CONTEXT, text)

        if self.why is Why.PHONE:
            return tr(SAME_PHONE).format(phone=display_phone(self.value, region))
        if self.why is Why.EMAIL:
            return tr(SAME_EMAIL).format(email=self.value)
        if self.why is Why.IDENTIFIER:
            label = IDENTIFIER_KINDS.get(self.identifier_kind)
            kind = QCoreApplication.translate("Choices", label) if label else self.identifier_kind
            return tr(SAME_IDENTIFIER).format(kind=kind, value=self.value)
        if self.why is Why.NAME:
            if self.city:
                text = SAME_NAME_IN if self.score >= 100 else SIMILAR_NAME_IN
                return tr(text).format(city=self.city, score=self.score)
            text = SAME_NAME if self.score >= 100 else SIMILAR_NAME
            return tr(text).format(score=self.score)
        if self.why is Why.NAME_AND_ADDRESS:
            return tr(SAME_NAME_AND_ADDRESS)
        return tr(SAME_NAME_AT_CUSTOMER)


# Between two reasons on one line: "；" in Chinese.
REASONS_SEPARATOR = T("Duplicates", "; ")


def reasons_text(reasons: tuple[Reason, ...], region: str = DEFAULT_REGION) -> str:
    """The reasons as one line: "Same phone 138 0013 8000; Similar name (90%) in 深圳"."""
    separator = QCoreApplication.translate("Duplicates", REASONS_SEPARATOR)
    return separator.join(reason.text(region) for reason in reasons)


@dataclass(frozen=True, slots=True)
class Member:
    """One record of a group, with what the list shows of it."""

    id: str
    name: str
    phone: str | None  # E.164: a customer's first phone; a contact's mobile, else its phone
    email: str | None
    owner: str | None  # the owner's name (a contact's: its customer's owner)
    city: str | None
    reasons: tuple[Reason, ...]
    customer_id: str | None = None  # contacts: whose contact it is
    customer: str | None = None  # contacts: that customer's name


@dataclass(frozen=True)
class DuplicateGroup:
    """Records that are likely one: each is linked to another of them by a reason."""

    entity: str  # "customers" or "contacts"
    members: tuple[Member, ...]

    @property
    def ids(self) -> list[str]:
        return [member.id for member in self.members]


@dataclass(frozen=True)
class Match:
    """What an import row may duplicate: an existing record (`record_id`), or an earlier row
    of the same file (`row`, the key it was added with), and why."""

    name: str
    reasons: tuple[Reason, ...]
    record_id: str | None = None
    row: int | str | None = None
