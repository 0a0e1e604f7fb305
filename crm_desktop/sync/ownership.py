"""Claiming, releasing, assigning, locking and handing over customers: asked of the server,
which decides at once.

A claim is first come, first served and held to the public pool's rules, so it is not queued
in the outbox like an edit: the device sends what it has first (so the server decides on the
latest), asks the server in one transaction, then syncs again so the answer shows here. An
answer the rules refuse comes back as a sentence naming the rule and when the claim will be
allowed, in the user's language (the server gives the rule and the time; the words are ours).

Who may do what is the server's to decide (its row-level rights and triggers); what the window
offers follows the role the server last gave this device (`current_role`), so a manager sees
Assign and a rep does not, but a stale offer is still refused by the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import psycopg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from sqlalchemy import select

from crm_desktop.models.choices import Role
from crm_desktop.models.entities import SCOPE_KEY, Customer, Scope, User
from crm_desktop.profile import Profile
from crm_desktop.storage.store import Store
from crm_desktop.sync import link as links
from crm_desktop.sync.engine import sync_once
from crm_desktop.sync.errors import SyncError, SyncProblem
from crm_desktop.sync.server.admin import Handover, HandoverRefused, hand_over

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
OWNER_ROLE = QT_TRANSLATE_NOOP(
    "Ownership",
    "“{who}” is a clerk or an administrator: only a rep or a manager may own customers.",
)
CLAIMS_OFF = QT_TRANSLATE_NOOP(
    "Ownership", "Claiming customers from the pool is switched off (rule claim_per_day)."
)
NOT_IN_POOL = QT_TRANSLATE_NOOP(
    "Ownership", "This customer is not in the pool any more; someone may have claimed it first."
)
NOT_YOURS = QT_TRANSLATE_NOOP("Ownership", "You can release only a customer you own.")
LOCKED_STAYS = QT_TRANSLATE_NOOP(
    "Ownership",
    "Your manager keeps this customer with you (locked): only a manager or an administrator "
    "may release it.",
)
JUST_RETURNED = QT_TRANSLATE_NOOP(
    "Ownership",
    "This customer has just gone back to the public pool (its ownership history says why). "
    "Claim it to make it yours again, if the rules let you.",
)
JUST_RETURNED_NO_LOCK = QT_TRANSLATE_NOOP(
    "Ownership",
    "This customer has just gone back to the public pool (its ownership history says why): it "
    "has no owner to keep it with now.",
)
# The server's word (0038) for the one refusal LOCKED_STAYS says; any other is NOT_YOURS.
LOCKED_RELEASE_REFUSED = "only a manager or an administrator may release a locked customer"
CANNOT_ASSIGN = QT_TRANSLATE_NOOP(
    "Ownership",
    "You may not give this customer to “{login}”: there is no such user in your team, or the "
    "customer is not yours to give.",
)
CANNOT_ASSIGN_MANY = QT_TRANSLATE_NOOP(
    "Ownership",
    "You may not give these customers to “{login}”: there is no such user in your team, or "
    "one of them is not yours to give. None of them was given.",
)
CANNOT_LOCK = QT_TRANSLATE_NOOP(
    "Ownership", "Only a manager or an administrator may keep a customer with its owner."
)
NOT_LOCKABLE = QT_TRANSLATE_NOOP(
    "Ownership",
    "This customer has no owner to keep it with, or is not one you may change.",
)
HANDOVER_SAME = QT_TRANSLATE_NOOP("Ownership", "A handover needs two different users.")
HANDOVER_UNKNOWN = QT_TRANSLATE_NOOP("Ownership", "There is no user named “{login}”.")
HANDOVER_INACTIVE = QT_TRANSLATE_NOOP(
    "Ownership", "“{login}” is deactivated and cannot receive customers."
)
CANNOT_HAND_OVER = QT_TRANSLATE_NOOP(
    "Ownership",
    "You may not hand “{leaver}”'s customers to “{receiver}”: only an administrator, or the "
    "manager of both, may. Nothing was moved.",
)
REFUSED = QT_TRANSLATE_NOOP("Ownership", "The server refused: {detail}")
# Roles that give customers to others (assign, lock, hand over).
LEADS = frozenset({Role.MANAGER.value, Role.ADMIN.value})
# Roles that may own customers, and so receive them.
OWNERS = frozenset({Role.REP.value, Role.MANAGER.value})


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
        when_forbidden=(LOCKED_RELEASE_REFUSED, OwnershipRefused(LOCKED_STAYS)),
        reason=reason,
        password=password,
        owned=(customer_id, OwnershipRefused(JUST_RETURNED)),
    )


def assign(
    profile: Profile,
    customer_id: str,
    login: str,
    reason: str = "",
    password: str | None = None,
) -> None:
    """Give a customer (from the pool or the team) to a member of the user's team."""
    assign_many(profile, [customer_id], login, reason, password)


def assign_many(
    profile: Profile,
    customer_ids: list[str],
    login: str,
    reason: str = "",
    password: str | None = None,
) -> None:
    """Give customers (from the pool or the team) to a member of the user's team, all in one
    transaction: if the server refuses one of them, none is given."""
    ids = sorted(set(customer_ids))
    if not ids:
        return
    refusal = CANNOT_ASSIGN if len(ids) == 1 else CANNOT_ASSIGN_MANY
    _decide(
        profile,
        "WITH receiver AS (SELECT id FROM users WHERE login = %(login)s AND active"
        " AND deleted_at IS NULL) UPDATE customers SET owner_id = receiver.id FROM receiver"
        " WHERE customers.id = ANY(%(ids)s::uuid[]) AND customers.deleted_at IS NULL"
        " RETURNING customers.id",
        {"ids": ids, "login": login},
        OwnershipRefused(refusal, login=login),
        expected=len(ids),
        reason=reason,
        password=password,
    )


def lock(profile: Profile, customer_id: str, locked: bool, password: str | None = None) -> None:
    """Keep a customer with its owner (it then never returns to the pool), or let it go again;
    managers and administrators only, which the server checks (migration 0009)."""
    _decide(
        profile,
        "UPDATE customers SET pool_locked = %(locked)s WHERE id = %(id)s"
        " AND owner_id IS NOT NULL AND deleted_at IS NULL RETURNING id",
        {"id": customer_id, "locked": locked},
        OwnershipRefused(NOT_LOCKABLE),
        when_forbidden=OwnershipRefused(CANNOT_LOCK),
        password=password,
        owned=(customer_id, OwnershipRefused(JUST_RETURNED_NO_LOCK)),
    )


def handover(
    profile: Profile,
    leaver: str,
    receiver: str,
    dry_run: bool = False,
    password: str | None = None,
) -> Handover:
    """Give a leaving user's customers, open opportunities, open tasks and running contracts to
    another, in one transaction on the server, under the user's own rights (`admin.hand_over`,
    which the command line shares); with `dry_run`, only count what would move. The move syncs
    first and after, like a claim; a preview only reads."""
    if not dry_run:
        sync_once(profile, password=password)
    connection = open_server(profile, password)
    try:
        with connection.transaction():
            moved = hand_over(connection, leaver, receiver, dry_run=dry_run)
    except HandoverRefused as refused:
        raise _handover_refusal(refused) from None
    except psycopg.errors.CheckViolation as error:
        raise _refusal(error) from None
    except psycopg.errors.InsufficientPrivilege:
        raise OwnershipRefused(CANNOT_HAND_OVER, leaver=leaver, receiver=receiver) from None
    except psycopg.OperationalError as error:
        raise links.classify_connect_error(error) from None
    finally:
        connection.close()
    if not dry_run:
        sync_once(profile, password=password)
    return moved


def _handover_refusal(refused: HandoverRefused) -> OwnershipRefused:
    if refused.reason == "same":
        return OwnershipRefused(HANDOVER_SAME)
    if refused.reason == "inactive":
        return OwnershipRefused(HANDOVER_INACTIVE, login=refused.login)
    return OwnershipRefused(HANDOVER_UNKNOWN, login=refused.login)


def open_server(profile: Profile, password: str | None = None) -> psycopg.Connection:
    """A connection to the profile's server as its user (his own rights apply)."""
    link = links.link_of(profile.store)
    if link is None:
        raise SyncError(SyncProblem.NOT_CONNECTED)
    return links.open_connection(link, password)


# -- what the window offers, from what the device knows -----------------------------------------


@dataclass(frozen=True)
class Member:
    """A user the signed-in user may give customers to or take them from."""

    id: str
    login: str
    name: str
    role: str
    active: bool

    def label(self) -> str:
        return self.name if self.name == self.login else f"{self.name} ({self.login})"


def current_role(store: Store) -> str:
    """The user's role as the server gave it at the last sync ("" before the first one, or
    with no server): what decides which ownership actions the window offers."""
    return Scope.parse(store.setting(SCOPE_KEY)).role or ""


def team(store: Store) -> list[Member]:
    """The reps and managers the user may give customers to, as his device knows them: a
    manager's own team (and himself), an administrator's everyone; nobody for the rest.
    Deactivated users are listed too (a handover takes from them); receivers must be active."""
    scope = Scope.parse(store.setting(SCOPE_KEY))
    if scope.role not in LEADS:
        return []
    query = select(User).where(User.deleted_at.is_(None), User.role.in_(OWNERS))
    if scope.role != Role.ADMIN.value:
        # Whose customers the server lets a manager see: his own and his team's.
        query = query.where(User.id.in_(scope.team))
    with store.read() as session:
        users = session.scalars(query.order_by(User.name, User.login)).all()
        return [Member(u.id, u.login, u.name, u.role, bool(u.active)) for u in users]


def _decide(
    profile: Profile,
    statement: str,
    parameters: dict[str, object],
    when_nothing: OwnershipRefused,
    *,
    when_forbidden: OwnershipRefused | tuple[str, OwnershipRefused] | None = None,
    expected: int = 1,
    reason: str = "",
    password: str | None = None,
    owned: tuple[str, OwnershipRefused] | None = None,
) -> None:
    """Run one change on the server after a sync, and sync again to bring its answer home.
    Fewer rows than `expected` changed means the server would not change them all: nothing
    is kept (`when_nothing`); a policy or trigger refusing is `when_forbidden` (given with
    the server's message, only that refusal; any other is `when_nothing`). `owned`: a
    customer the change needs an owner for (a release, a lock), which that first sync may
    have sent to the pool, and what to say then."""
    # The server decides on what this device has, its overdue customers back in the pool
    # first (they count towards what a rep may own, and may not be locked or released).
    had_owner = owned is not None and not _in_the_pool(profile, owned[0])
    sync_once(profile, password=password, check_pool=True)
    if owned is not None and had_owner and _in_the_pool(profile, owned[0]):
        # Not "not yours": it was his a moment ago, and the rules have just taken it.
        raise owned[1]
    connection = open_server(profile, password)
    try:
        with connection.transaction():
            if reason.strip():
                connection.execute(
                    "SELECT set_config(%s, %s, true)", (REASON_SETTING, reason.strip())
                )
            changed = connection.execute(statement, parameters).fetchall()
            if len(changed) < expected:
                raise when_nothing  # leaving the block rolls the rest back: all or nothing
    except psycopg.errors.CheckViolation as error:
        raise _refusal(error) from None
    except psycopg.errors.InsufficientPrivilege as error:
        # A policy or guard said no (a customer outside the user's team, say): to him it is
        # the same as not finding one he may change, unless the caller has a better word.
        if isinstance(when_forbidden, tuple):
            said, refusal = when_forbidden
            raise (refusal if error.diag.message_primary == said else when_nothing) from None
        raise (when_forbidden or when_nothing) from None
    except psycopg.OperationalError as error:
        raise links.classify_connect_error(error) from None
    finally:
        connection.close()
    # Bring the answer home; a customer it leaves overdue (unlocked) returns to the pool now.
    sync_once(profile, password=password, check_pool=True)


def _in_the_pool(profile: Profile, customer_id: str) -> bool:
    """Whether this device holds the customer, live and without an owner."""
    with profile.store.read() as session:
        customer = session.get(Customer, customer_id)
        return customer is not None and customer.deleted_at is None and customer.owner_id is None


def _refusal(error: psycopg.errors.CheckViolation) -> OwnershipRefused:
    """The server's refusal by one of the pool's rules, in words of our own."""
    message = error.diag.message_primary or ""
    rule = message.split(":", 1)[0]
    detail = error.diag.message_detail or ""
    if rule == "claim_per_day" and not detail:
        return OwnershipRefused(CLAIMS_OFF)
    if rule == "owner_role":  # server 0035: the receiver's login as the detail
        return OwnershipRefused(OWNER_ROLE, who=detail)
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
