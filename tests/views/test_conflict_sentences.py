"""Each kind of conflict reads as one plain sentence naming the record and what happened."""

from __future__ import annotations

from crm_desktop.sync.conflicts import ConflictView
from crm_desktop.sync.push import MERGED_ELSEWHERE
from crm_desktop.views.conflict_text import describe


def unreachable(entity: str, cleared: bool, target: str) -> ConflictView:
    lost = {"column": "contact_id", "target": target, "points_at": "c-1", "cleared": cleared}
    return ConflictView(1, entity, "row-1", None, "unreachable", None, lost, "", None, None)


def test_a_link_left_out_names_the_record_and_what_it_pointed_at(qapp) -> None:
    text = describe(unreachable("opportunities", True, "contacts"), "Pumps")
    assert text.startswith("The opportunity “Pumps” points at a record you cannot see (contact)")
    assert "link was left out" in text


def test_a_row_left_off_says_so(qapp) -> None:
    text = describe(unreachable("opportunity_lines", False, "opportunities"))
    assert text.startswith("The opportunity line belongs to a record you cannot see (opportunity)")
    assert "left off this computer" in text


def test_a_merge_refused_for_a_record_merged_elsewhere_says_why(qapp) -> None:
    refused = ConflictView(
        1, "contacts", "row-1", None, "refused", None, {}, MERGED_ELSEWHERE, None, None
    )
    text = describe(refused, "李雷")
    assert text == (
        "The server did not accept your change to a contact “李雷”: it was part of a merge of a "
        "record someone had already merged into another one, so none of that merge was made."
    )
