"""A sync conflict in one sentence a rep understands, for the Conflicts window and the
command line alike (no widgets here)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from crm_desktop.models.fields import FIELDS_BY_NAME, entity_label
from crm_desktop.sync.codec import from_json
from crm_desktop.sync.conflicts import ConflictView
from crm_desktop.sync.push import MERGED_ELSEWHERE, grant_ended
from crm_desktop.views.display import format_value

REFUSED = QT_TRANSLATE_NOOP(
    "ConflictsView", "The server did not accept your change to a {what}: {reason}"
)
EDITED_DELETED = QT_TRANSLATE_NOOP(
    "ConflictsView", "The {what} was deleted meanwhile; your {field} “{lost}” was not saved."
)
DELETED_OVER_EDIT = QT_TRANSLATE_NOOP(
    "ConflictsView",
    "You deleted the {what} after {who} had changed it; restore it to bring back their changes.",
)
LOST_TO_OTHER = QT_TRANSLATE_NOOP(
    "ConflictsView",
    "{field} of a {what} was changed by someone else first: “{kept}” was kept, "
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
    "The server did not accept your change to a {what}: your time entering records for {rep} "
    "ended on {until}. Ask your administrator to extend it, or give the change to {rep}.",
)


MERGED_ELSEWHERE_TEXT = QT_TRANSLATE_NOOP(
    "ConflictsView",
    "The server did not accept your change to a {what}: it was part of a merge of a record "
    "someone had already merged into another one, so none of that merge was made.",
)


def describe(conflict: ConflictView, name: str | None = None) -> str:
    """One sentence a rep understands; `name` is what the record is called, if known."""
    what = entity_label(conflict.entity) + (f" “{name}”" if name else "")
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
            what=what, reason=conflict.reason or ""
        )
    if conflict.kind == "unreachable":
        lost = conflict.lost if isinstance(conflict.lost, dict) else {}
        template = UNREACHABLE_LINK if lost.get("cleared") else UNREACHABLE_ROW
        return QCoreApplication.translate("ConflictsView", template).format(
            what=what, target=entity_label(str(lost.get("target", "")))
        )
    if conflict.kind == "deleted_over_edit":
        return QCoreApplication.translate("ConflictsView", DELETED_OVER_EDIT).format(
            what=what, who=conflict.reason or "?"
        )
    field = FIELDS_BY_NAME.get(conflict.entity, {}).get(conflict.field or "")
    label = field.display_label() if field else (conflict.field or "")
    kept = _shown(conflict, conflict.kept)
    lost = _shown(conflict, conflict.lost)
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


def _shown(conflict: ConflictView, value: Any) -> str:
    field = FIELDS_BY_NAME.get(conflict.entity, {}).get(conflict.field or "")
    if field is None or value is None:
        return "" if value is None else str(value)
    return format_value(field.kind, from_json(conflict.entity, field.name, value))
