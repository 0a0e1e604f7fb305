"""Coded values stored in the database, and the labels people read for them: marked here (for
lupdate, context "Choices") and translated when shown, the same on screen and on paper."""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

T = QT_TRANSLATE_NOOP


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    REP = "rep"
    CLERK = "clerk"


# Who may own a customer (server migration 0035): a rep or a manager. An administrator owns
# only those he enters himself; a clerk enters for a rep and owns none.
OWNER_ROLES: tuple[str, ...] = (Role.REP.value, Role.MANAGER.value)


class CustomerKind(StrEnum):
    COMPANY = "company"
    PERSON = "person"


class Grade(StrEnum):
    """Value grading: A = top 5 %, B = next 15 %, C = the rest."""

    A = "A"
    B = "B"
    C = "C"


class IdentifierKind(StrEnum):
    TAX_NUMBER = "tax_number"
    ID_CARD = "id_card"
    POLICY_NUMBER = "policy_number"
    LICENCE_PLATE = "licence_plate"
    MEMBER_NUMBER = "member_number"
    OTHER = "other"


class Stage(StrEnum):
    LEAD = "lead"
    QUALIFIED = "qualified"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    WON = "won"
    LOST = "lost"


OPEN_STAGES = (Stage.LEAD, Stage.QUALIFIED, Stage.PROPOSAL, Stage.NEGOTIATION)
CLOSED_STAGES = (Stage.WON, Stage.LOST)


class Priority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"


class FollowUpKind(StrEnum):
    CALL = "call"
    VISIT = "visit"
    EMAIL = "email"
    MESSAGE = "message"
    NOTE = "note"


class ContractKind(StrEnum):
    SALE = "sale"
    SERVICE = "service"
    POLICY = "policy"
    MEMBERSHIP = "membership"
    OTHER = "other"


class ContractStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    ENDED = "ended"
    TERMINATED = "terminated"


class RenewalStatus(StrEnum):
    UNDECIDED = "undecided"
    RENEWING = "renewing"
    NOT_RENEWING = "not_renewing"
    RENEWED = "renewed"


class PaymentMethod(StrEnum):
    TRANSFER = "transfer"
    CASH = "cash"
    CARD = "card"
    WECHAT = "wechat"
    ALIPAY = "alipay"
    CHEQUE = "cheque"
    OTHER = "other"


# Labels of coded values, translated when shown (context "Choices").
CHOICE_LABELS: dict[str, str] = {
    "admin": T("Choices", "Administrator"),
    "manager": T("Choices", "Manager"),
    "rep": T("Choices", "Sales rep"),
    "clerk": T("Choices", "Clerk"),
    "company": T("Choices", "Company"),
    "person": T("Choices", "Person"),
    "A": T("Choices", "A (top {percent}%)"),
    "B": T("Choices", "B (next {percent}%)"),
    "C": T("Choices", "C"),
    "tax_number": T("Choices", "Tax number"),
    "id_card": T("Choices", "ID card number"),
    "policy_number": T("Choices", "Policy number"),
    "licence_plate": T("Choices", "Licence plate"),
    "member_number": T("Choices", "Member number"),
    "other": T("Choices", "Other"),
    "lead": T("Choices", "Lead"),
    "qualified": T("Choices", "Qualified"),
    "proposal": T("Choices", "Proposal"),
    "negotiation": T("Choices", "Negotiation"),
    "won": T("Choices", "Won"),
    "lost": T("Choices", "Lost"),
    "low": T("Choices", "Low"),
    "normal": T("Choices", "Normal"),
    "high": T("Choices", "High"),
    "call": T("Choices", "Phone call"),
    "visit": T("Choices", "Visit"),
    "email": T("Choices", "Email"),
    "message": T("Choices", "Message"),
    "note": T("Choices", "Note"),
    "sale": T("Choices", "Sale"),
    "service": T("Choices", "Service"),
    "policy": T("Choices", "Policy"),
    "membership": T("Choices", "Membership"),
    "draft": T("Choices", "Draft"),
    "active": T("Choices", "Active"),
    "ended": T("Choices", "Ended"),
    "terminated": T("Choices", "Terminated"),
    "undecided": T("Choices", "Undecided"),
    "renewing": T("Choices", "Renewing"),
    "not_renewing": T("Choices", "Not renewing"),
    "renewed": T("Choices", "Renewed"),
    "transfer": T("Choices", "Bank transfer"),
    "cash": T("Choices", "Cash"),
    "card": T("Choices", "Card"),
    "wechat": T("Choices", "WeChat Pay"),
    "alipay": T("Choices", "Alipay"),
    "cheque": T("Choices", "Cheque"),
}


# The shares of customers graded A and B, in percent: the server's rules grade_a_percent and
# grade_b_percent as the last sync read them (kept under GRADE_SHARES_KEY as "5,15"), else their
# defaults (server migration 0015). A grade's label says its share.
GRADE_SHARES_KEY = "grade_shares"
DEFAULT_GRADE_SHARES = (5, 15)
_grade_shares = dict(zip("AB", DEFAULT_GRADE_SHARES, strict=True))


def use_grade_shares(setting: str | None) -> None:
    """Label grades A and B with the shares `setting` holds ("5,15"; None or anything else: the
    defaults). Called when a profile opens and when a sync brings the rules."""
    shares = DEFAULT_GRADE_SHARES
    parts = (setting or "").split(",")
    if len(parts) == 2 and all(part.isdigit() and int(part) <= 100 for part in parts):
        shares = (int(parts[0]), int(parts[1]))
    _grade_shares.update(zip("AB", shares, strict=True))


def filled_label(code: str, label: str, shares: tuple[int, int] | None = None) -> str:
    """`label` (of `code`, translated or not) as shown: a grade's with its share of customers,
    now held or as `shares` gives it."""
    if code not in _grade_shares:
        return label
    share = dict(zip("AB", shares, strict=True))[code] if shares else _grade_shares[code]
    return label.format(percent=share)


def choice_label(code: str | None) -> str:
    if code is None:
        return ""
    label = CHOICE_LABELS.get(code)
    return filled_label(code, QCoreApplication.translate("Choices", label)) if label else code
