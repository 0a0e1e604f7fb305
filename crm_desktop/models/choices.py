"""Coded values stored in the database. Display labels live with the views (translated there)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    REP = "rep"
    CLERK = "clerk"


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
