"""Claiming, releasing and assigning customers: asked of the server, which decides at once.

A claim is first come, first served and held to the public pool's rules, so it is not queued
in the outbox like an edit: the device sends what it has first (so the server decides on the
latest), asks the server in one transaction, then syncs again so the answer shows here. An
answer the rules refuse comes back as a sentence naming the rule and when the claim will be
allowed, in the user's language (the server gives the rule and the time; the words are ours).
"""

from __future__ import annotations

from datetime import datetime

import psycopg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from crm_desktop.profile import Profile
from crm_desktop.sync import link as links
from crm_desktop.sync.engine import sync_once
from crm_desktop.sync.errors import SyncError, SyncProblem

# Why the owner changed, for the customer's ownership history (migration 0006).
REASON_SETTING = "crm.owner_change_reason"

RULE_SENTENCES = {
    "claim_per_day": QT_TRANSLATE_NOOP(
        "Ownership",
        "You have claimed as many customers as one may in 24 hours (rule claim_per_day); "
        "you may claim again from {when}.",
    ),
    "max_owned": QT_TRANSLATE_NOOP(
        "Ownership",
        "{who} already owns {count} customers, the most one may own (rule max_owned).",
    ),
    "reclaim_block_days": QT_TRANSLATE_NOOP(
        "Ownership",
        "This customer left you recently; you may claim it back from {when} "
        "(rule reclaim_block_days).",
    ),
}
CLAIMS_OFF = QT_TRANSLATE_NOOP(
    "Ownership", "Claiming customers from the pool is switched off (rule claim_per_day)."
)
NOT_IN_POOL = QT_TRANSLATE_NOOP(
    "Ownership", "This customer is not in the pool any more; someone may have claimed it first."
)
NOT_YOURS = QT_TRANSLATE_NOOP("Ownership", "You can release only a customer you own.")
CANNOT_ASSIGN = QT_TRANSLATE_NOOP(
    "Ownership",
    "You may not give this customer to “{login}”: there is no such user in your team, or the "
    "customer is not yours to give.",
)
REFUSED = QT_TRANSLATE_NOOP("Ownership", "The server refused: {detail}")


class OwnershipRefused(Exception):
    """The server said no; `text()` says why, in the user's language."""

    def __init__(self, template: str, **values: object) -> None:
        self.template = template
        self.values = values
        super().__init__(self.text())

    def text(self) -> str:
        return QCoreApplication.translate("Ownership", self.template).format(**self.values)


def claim(profile: Profile, customer_id: str, password: str | None = None) -> None:
    """Make a customer of the public pool the user's own."""
    _decide(
        profile,
        "UPDATE customers SET owner_id = crm_current_user_id()"
        " WHERE id = %(id)s AND owner_id IS NULL AND deleted_at IS NULL RETURNING id",
        {"id": customer_id},
        OwnershipRefused(NOT_IN_POOL),
        password=password,
    )


def release(profile: Profile, customer_id: str, reason: str, password: str | None = None) -> None:
    """Give one of the user's customers back to the public pool, saying why."""
    _decide(
        profile,
        "UPDATE customers SET owner_id = NULL WHERE id = %(id)s"
        " AND owner_id = crm_current_user_id() AND deleted_at IS NULL RETURNING id",
        {"id": customer_id},
        OwnershipRefused(NOT_YOURS),
        reason=reason,
        password=password,
    )


def assign(
    profile: Profile,
    customer_id: str,
    login: str,
    reason: str = "",
    password: str | None = None,
) -> None:
    """Give a customer (from the pool or the team) to a member of the user's team."""
    _decide(
        profile,
        "WITH receiver AS (SELECT id FROM users WHERE login = %(login)s AND active"
        " AND deleted_at IS NULL) UPDATE customers SET owner_id = receiver.id FROM receiver"
        " WHERE customers.id = %(id)s AND customers.deleted_at IS NULL RETURNING customers.id",
        {"id": customer_id, "login": login},
        OwnershipRefused(CANNOT_ASSIGN, login=login),
        reason=reason,
        password=password,
    )


def _decide(
    profile: Profile,
    statement: str,
    parameters: dict[str, str],
    when_nothing: OwnershipRefused,
    *,
    reason: str = "",
    password: str | None = None,
) -> None:
    sync_once(profile, password=password)  # the server decides on what this device has
    link = links.link_of(profile.store)
    if link is None:
        raise SyncError(SyncProblem.NOT_CONNECTED)
    connection = links.open_connection(link, password)
    try:
        with connection.transaction():
            if reason.strip():
                connection.execute(
                    "SELECT set_config(%s, %s, true)", (REASON_SETTING, reason.strip())
                )
            changed = connection.execute(statement, parameters).fetchone()
    except psycopg.errors.CheckViolation as error:
        raise _refusal(error) from None
    except psycopg.errors.InsufficientPrivilege:
        # A policy or guard said no (a customer outside the user's team, say): to him it is
        # the same as not finding one he may change.
        raise when_nothing from None
    except psycopg.OperationalError as error:
        raise links.classify_connect_error(error) from None
    finally:
        connection.close()
    if changed is None:
        raise when_nothing
    sync_once(profile, password=password)  # bring the answer home


def _refusal(error: psycopg.errors.CheckViolation) -> OwnershipRefused:
    """The server's refusal by one of the pool's rules, in words of our own."""
    message = error.diag.message_primary or ""
    rule = message.split(":", 1)[0]
    detail = error.diag.message_detail or ""
    if rule == "claim_per_day" and not detail:
        return OwnershipRefused(CLAIMS_OFF)
    if rule == "max_owned":
        who = message.split(":", 1)[1].split()[0] if ":" in message else ""
        return OwnershipRefused(RULE_SENTENCES[rule], who=who, count=detail)
    if rule in RULE_SENTENCES:
        return OwnershipRefused(RULE_SENTENCES[rule], when=_local_time(detail))
    return OwnershipRefused(REFUSED, detail=message)


def _local_time(iso_utc: str) -> str:
    """A UTC time from the server as the user's clock shows it."""
    try:
        moment = datetime.fromisoformat(iso_utc.replace("Z", "+00:00"))
    except ValueError:
        return iso_utc
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment.tzinfo else iso_utc
