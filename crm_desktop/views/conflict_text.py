"""A sync conflict in one sentence a rep understands, for the Conflicts window and the
command line alike (no widgets here).

A change the server refused is kept whole in its conflict (`lost`: the outbox entry's op and
changes); its sentence names the record (from the changes when the record never reached the
server and so left this computer) and lists the values that were not saved, so they can be
typed again."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from crm_desktop.models.fields import FIELDS, FIELDS_BY_NAME, Kind, entity_label, links_of
from crm_desktop.models.validation import run_on
from crm_desktop.sync.codec import from_json
from crm_desktop.sync.conflicts import ConflictView
from crm_desktop.sync.ownership import CLAIMS_OFF, OWNER_ROLE, RULE_SENTENCES
from crm_desktop.sync.push import CLAIMED_FIRST, CUSTOMER_DELETED, MERGED_ELSEWHERE, grant_ended
from crm_desktop.views.display import format_value

# What each (entity, id) is called: a record's name, or a user's for an Owner value.
Names = Mapping[tuple[str, str], str]

REFUSED = QT_TRANSLATE_NOOP(
    "ConflictsView", "The server did not accept your change to this {what}: {reason}"
)
EDITED_DELETED = QT_TRANSLATE_NOOP(
    "ConflictsView", "The {what} was deleted meanwhile; your {field} “{lost}” was not saved."
)
NAMED_RECORD = QT_TRANSLATE_NOOP("ConflictsView", "{kind} “{name}”")
# A side of a conflict that holds nothing (the field cleared), and a linked record this
# computer does not hold (so has no name for).
EMPTY = QT_TRANSLATE_NOOP("ConflictsView", "(empty)")
NOT_HERE = QT_TRANSLATE_NOOP("ConflictsView", "a record not on this computer")
DELETED_OVER_EDIT = QT_TRANSLATE_NOOP(
    "ConflictsView",
    "You deleted the {what} after {who} had changed it, or something of it this computer had"
    " not received yet; restore it to bring back their work.",
)
# The change deleted over was the server's own (a grade computed, a customer returned to the
# pool): it names nobody.
DELETED_OVER_SERVER_EDIT = QT_TRANSLATE_NOOP(
    "ConflictsView",
    "You deleted the {what} after the server had changed it; restore it to bring back that change.",
)
LOST_TO_OTHER = QT_TRANSLATE_NOOP(
    "ConflictsView",
    "{field} of this {what} was changed by someone else first: “{kept}” was kept, "
    "your “{lost}” was not.",
)

UNREACHABLE_LINK = QT_TRANSLATE_NOOP(
    "ConflictsView",
    "The {what} points at a record you cannot see ({target}); that link was left out on this "
    "computer (the server keeps it).",
)
UNREACHABLE_ROW = QT_TRANSLATE_NOOP(
    "ConflictsView",
    "The {what} belongs to a record you cannot see ({target}); it was left off this computer "
    "(the server keeps it).",
)


GRANT_ENDED_TEXT = QT_TRANSLATE_NOOP(
    "ConflictsView",
    "The server did not accept your change to this {what}: your time entering records for {rep} "
    "ended on {until}. Ask your administrator to extend it, or give the change to {rep}.",
)


MERGED_ELSEWHERE_TEXT = QT_TRANSLATE_NOOP(
    "ConflictsView",
    "The server did not accept your change to this {what}: it was part of a merge of a record "
    "someone had already merged into another one, so none of that merge was made.",
)


# The values of a refused change, after its sentence: "Not saved: Name: Acme; Phone: …".
NOT_SAVED = QT_TRANSLATE_NOOP("ConflictsView", "Not saved: {values}.")
FIELD_VALUE = QT_TRANSLATE_NOOP("ConflictsView", "{field}: {value}")
# Between two "{field}: {value}" of NOT_SAVED (Chinese: "；").
VALUES_SEPARATOR = QT_TRANSLATE_NOOP("ConflictsView", "; ")
# A sentence that ended in a reason of the server's, before NOT_SAVED (Chinese: "{sentence}。").
FULL_STOP = QT_TRANSLATE_NOOP("ConflictsView", "{sentence}.")
_ENDS = (".", "。", "!", "！", "?", "？")

# The refusals push.py words itself, as reasons.
NOT_VISIBLE = "not visible"
NOT_WRITABLE = "you may not change this record"
NOT_ALLOWED = "not allowed by the access rules"  # push.NOT_ALLOWED
REASONS = {
    CUSTOMER_DELETED: QT_TRANSLATE_NOOP(
        "ConflictsView",
        "its customer was deleted meanwhile (restore the customer to enter it again)",
    ),
    CLAIMED_FIRST: QT_TRANSLATE_NOOP(
        "ConflictsView", "someone else claimed this customer from the pool first"
    ),
    NOT_VISIBLE: QT_TRANSLATE_NOOP(
        "ConflictsView",
        "you may not see this record on the server (it was deleted there, or is not yours any "
        "more)",
    ),
    NOT_WRITABLE: QT_TRANSLATE_NOOP("ConflictsView", "you may not change this record"),
    # The server's own refusals a user's change can meet at a push (its RAISE EXCEPTIONs), in
    # the user's language: they reached a Chinese reader in English.
    "a customer in the public pool must be claimed before it is changed": QT_TRANSLATE_NOOP(
        "ConflictsView",
        "this customer is in the public pool: claim it first (Claim, on its page), then change it",
    ),
    "a clerk cannot hand a customer to someone else": QT_TRANSLATE_NOOP(
        "ConflictsView",
        "a clerk may not give a customer to someone else; ask a manager to assign it",
    ),
    "only a manager or an administrator may release a locked customer": QT_TRANSLATE_NOOP(
        "ConflictsView",
        "your manager keeps this customer with you (locked): only a manager or an "
        "administrator may release it",
    ),
    "only a manager or an administrator may lock a customer with its owner": QT_TRANSLATE_NOOP(
        "ConflictsView", "only a manager or an administrator may lock a customer with its owner"
    ),
    "only a manager or an administrator may fix a customer": QT_TRANSLATE_NOOP(
        "ConflictsView", "only a manager or an administrator may fix a customer's grade"
    ),
    "only an administrator grades customers": QT_TRANSLATE_NOOP(
        "ConflictsView", "grades are computed on the server; only an administrator sets them"
    ),
    "the customer was claimed by someone else before this follow-up reached it": (
        QT_TRANSLATE_NOOP(
            "ConflictsView",
            "someone else claimed this customer from the pool before this follow-up reached "
            "the server",
        )
    ),
    "a note can only be about a customer you see": QT_TRANSLATE_NOOP(
        "ConflictsView", "a note can only be about a customer you see"
    ),
    "a note that was read can no longer be changed, only deleted": QT_TRANSLATE_NOOP(
        "ConflictsView", "a note that was read can no longer be changed, only deleted"
    ),
    "a customer can only be merged into a live customer you may change": QT_TRANSLATE_NOOP(
        "ConflictsView",
        "a customer can only be merged into one you may change, and that is not deleted",
    ),
    "a customer can only be merged into a live customer you can see": QT_TRANSLATE_NOOP(
        "ConflictsView", "a customer can only be merged into one you see, and that is not deleted"
    ),
    "a contact can only be merged into a live contact of the same customer": QT_TRANSLATE_NOOP(
        "ConflictsView",
        "a contact can only be merged into another of the same customer, not deleted",
    ),
    NOT_ALLOWED: QT_TRANSLATE_NOOP(
        "ConflictsView",
        "the server's access rules do not let you save it so (a record for a customer that is "
        "not yours, say, or someone you do not enter records for)",
    ),
}
# A pool rule's refusal as the server raises it (its migration 0020): "rule: words", the time
# at the end in UTC (a push runs in UTC). The rule's name is the server's code for it.
_RULE = re.compile(r"^(?P<rule>[a-z_]+):\s*(?P<words>.*)$", re.DOTALL)
_UNTIL = re.compile(r"from (?P<day>\d{4}-\d{2}-\d{2}) (?P<time>\d{2}:\d{2})\s*$")
_OWNS = re.compile(r"^(?P<who>\S+) already owns (?P<count>\d+) ")
_WHO = re.compile(r"^(?P<who>\S+) is a ")  # owner_role (server 0035): "cal is a clerk and ..."
# Fields whose value names the record itself, in the order they are tried.
NAME_FIELDS = ("name", "title")


def describe(conflict: ConflictView, name: str | None = None, names: Names | None = None) -> str:
    """One sentence a rep understands; `name` is what the record is called, if known, and
    `names` what the records a refused change's values point at are called (see
    names_wanted). A refused change's sentence ends with the values that were not saved."""
    if conflict.kind != "refused":
        return _sentence(conflict, name, names or {})
    name = name or lost_name(conflict)
    values = lost_values(conflict, names or {})
    sentence = _sentence(conflict, name, names or {})
    if not values:
        return sentence
    if not sentence.endswith(_ENDS):
        sentence = QCoreApplication.translate("ConflictsView", FULL_STOP).format(sentence=sentence)
    return run_on(sentence, _not_saved(values))


def _not_saved(values: list[tuple[str, str]]) -> str:
    pair = QCoreApplication.translate("ConflictsView", FIELD_VALUE)
    separator = QCoreApplication.translate("ConflictsView", VALUES_SEPARATOR)
    listed = separator.join(pair.format(field=label, value=value) for label, value in values)
    return QCoreApplication.translate("ConflictsView", NOT_SAVED).format(values=listed)


def lost_changes(conflict: ConflictView) -> dict[str, Any]:
    """The fields and values of a refused change, as the outbox kept them ({} for others)."""
    lost = conflict.lost if conflict.kind == "refused" else None
    changes = lost.get("changes") if isinstance(lost, dict) else None
    return changes if isinstance(changes, dict) else {}


def lost_name(conflict: ConflictView) -> str | None:
    """What a refused change calls its record: a new record refused never reached the
    server, and the sync after took it off this computer, so only its changes (or, for an
    edit, the name the push kept beside them) still name it."""
    changes = lost_changes(conflict)
    for field in NAME_FIELDS:
        value = changes.get(field)
        if isinstance(value, str) and value.strip():
            return value.strip()
    # An edit's changes may not name the record: the push kept its name beside them.
    kept = conflict.lost.get("name") if isinstance(conflict.lost, dict) else None
    return kept.strip() if isinstance(kept, str) and kept.strip() else None


def lost_values(conflict: ConflictView, names: Names) -> list[tuple[str, str]]:
    """(field label, value as the forms show it) of each value a refused change held, in the
    form's order: what the user typed and has to type again. Empty values are left out, and
    so are links to records whose name this computer does not know (an id means nothing)."""
    changes = lost_changes(conflict)
    linked = _linked_names(conflict)
    found = []
    for field in FIELDS.get(conflict.entity, ()):
        if field.name not in changes:
            if field.name == "customer_id" and (customer := _own_customer(linked)):
                found.append((field.display_label(), customer))  # an edit's: whose it was
            continue
        value = from_json(conflict.entity, field.name, changes[field.name])
        if field.kind is Kind.REF:
            key = (field.ref or "", str(value))
            text = names.get(key) or linked.get(":".join(key), "") if value is not None else ""
        else:
            text = format_value(field.kind, value)
        text = " ".join(text.split())  # one line: a note's line breaks as spaces
        if text:
            found.append((field.display_label(), text))
    return found


def _linked_names(conflict: ConflictView) -> dict[str, str]:
    """The names the push kept of the records a refused change linked to ("entity:id" →
    name), for when they have left this computer since."""
    linked = conflict.lost.get("linked") if isinstance(conflict.lost, dict) else None
    if not isinstance(linked, dict):
        return {}
    return {str(k): str(v) for k, v in linked.items() if isinstance(v, str) and v.strip()}


def _own_customer(linked: dict[str, str]) -> str | None:
    """The one customer a refused change's record belonged to, when the push kept its name."""
    customers = [name for key, name in linked.items() if key.startswith("customers:")]
    return customers[0] if len(customers) == 1 else None


def names_wanted(conflicts: Iterable[ConflictView]) -> list[tuple[str, str]]:
    """The records whose names the sentences of `conflicts` use: each conflict's own, and
    those a refused change's values point at (its owner, its customer...)."""
    wanted = []
    for conflict in conflicts:
        wanted.append((conflict.entity, conflict.row_id))
        wanted += links_of(conflict.entity, lost_changes(conflict))
        field = FIELDS_BY_NAME.get(conflict.entity, {}).get(conflict.field or "")
        if field is not None and field.kind is Kind.REF and field.ref:
            # Both sides of a link's conflict: the contacts by their names, not their ids.
            wanted += [(field.ref, v) for v in (conflict.kept, conflict.lost) if isinstance(v, str)]
    return list(dict.fromkeys(wanted))


def reason_text(reason: str | None) -> str:
    """Why the server refused a change, in the user's language where the reason is one this
    program knows: its own (push.py's) or a pool rule's, worded as the online claims word it
    (sync/ownership.py); anything else as the server said it."""
    reason = (reason or "").strip()
    if reason in REASONS:
        return QCoreApplication.translate("ConflictsView", REASONS[reason])
    found = _RULE.match(reason)
    if found is None:
        return reason
    rule, words = found["rule"], found["words"]
    until = _UNTIL.search(words)
    if rule == "claim_per_day" and until is None:
        return QCoreApplication.translate("Ownership", CLAIMS_OFF)
    if rule == "owner_role" and (who := _WHO.match(words)) is not None:
        return QCoreApplication.translate("Ownership", OWNER_ROLE).format(who=who["who"])
    if rule == "max_owned" and (owns := _OWNS.match(words)) is not None:
        return QCoreApplication.translate("Ownership", RULE_SENTENCES[rule]).format(
            who=owns["who"], count=owns["count"]
        )
    if rule in ("claim_per_day", "reclaim_block_days") and until is not None:
        when = local_time(f"{until['day']} {until['time']}")
        return QCoreApplication.translate("Ownership", RULE_SENTENCES[rule]).format(when=when)
    return reason


def local_time(utc: str) -> str:
    """A server time written in its reasons (UTC, "YYYY-MM-DD HH:MM") as the user's clock
    shows it."""
    moment = datetime.strptime(utc, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _sentence(conflict: ConflictView, name: str | None, names: Names) -> str:
    what = entity_label(conflict.entity)
    if name:
        # A language writes its own space, or none (客户“华强”), before the quoted name.
        what = QCoreApplication.translate("ConflictsView", NAMED_RECORD).format(
            kind=what, name=name
        )
    if conflict.kind == "refused" and conflict.reason == MERGED_ELSEWHERE:
        return QCoreApplication.translate("ConflictsView", MERGED_ELSEWHERE_TEXT).format(what=what)
    ended = grant_ended(conflict.reason) if conflict.kind == "refused" else None
    if ended is not None:
        until, rep = ended
        return QCoreApplication.translate("ConflictsView", GRANT_ENDED_TEXT).format(
            what=what, rep=rep, until=_local_day(until)
        )
    if conflict.kind == "refused":
        return QCoreApplication.translate("ConflictsView", REFUSED).format(
            what=what, reason=reason_text(conflict.reason)
        )
    if conflict.kind == "unreachable":
        lost = conflict.lost if isinstance(conflict.lost, dict) else {}
        template = UNREACHABLE_LINK if lost.get("cleared") else UNREACHABLE_ROW
        return QCoreApplication.translate("ConflictsView", template).format(
            what=what, target=entity_label(str(lost.get("target", "")))
        )
    if conflict.kind == "deleted_over_edit":
        # `reason` names who had changed the record; nobody (empty) when the server did.
        if not conflict.reason:
            return QCoreApplication.translate("ConflictsView", DELETED_OVER_SERVER_EDIT).format(
                what=what
            )
        return QCoreApplication.translate("ConflictsView", DELETED_OVER_EDIT).format(
            what=what, who=conflict.reason
        )
    field = FIELDS_BY_NAME.get(conflict.entity, {}).get(conflict.field or "")
    label = field.display_label() if field else (conflict.field or "")
    kept = _shown(conflict, conflict.kept, names)
    lost = _shown(conflict, conflict.lost, names)
    if conflict.kind == "edited_deleted":
        return QCoreApplication.translate("ConflictsView", EDITED_DELETED).format(
            what=what, field=label, lost=lost
        )
    return QCoreApplication.translate("ConflictsView", LOST_TO_OTHER).format(
        field=label, what=what, kept=kept, lost=lost
    )


def _local_day(iso_time: str) -> str:
    """The day a server time falls on by the user's clock."""
    try:
        moment = datetime.fromisoformat(iso_time)
    except ValueError:
        return iso_time
    return (moment.astimezone() if moment.tzinfo else moment).date().isoformat()


def _shown(conflict: ConflictView, value: Any, names: Names) -> str:
    """A value as the forms show it: a linked record by its name, nothing as "(empty)" (a
    value cleared on one side), never an id or a pair of empty quotes."""
    field = FIELDS_BY_NAME.get(conflict.entity, {}).get(conflict.field or "")
    if field is None:
        shown = "" if value is None else str(value)
    elif field.kind is Kind.REF and value is not None:
        shown = names.get((field.ref or "", str(value))) or QCoreApplication.translate(
            "ConflictsView", NOT_HERE
        )
    else:
        shown = (
            ""
            if value is None
            else format_value(field.kind, from_json(conflict.entity, field.name, value))
        )
    return shown if shown.strip() else QCoreApplication.translate("ConflictsView", EMPTY)
