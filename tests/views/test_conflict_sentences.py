"""Each kind of conflict reads as one plain sentence naming the record and what happened."""

from __future__ import annotations

from crm_desktop.sync.conflicts import ConflictView
from crm_desktop.sync.push import CLAIMED_FIRST, CUSTOMER_DELETED, MERGED_ELSEWHERE, NOT_ALLOWED
from crm_desktop.views.conflict_text import describe, names_wanted


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
        "The server did not accept your change to this contact “李雷”: it was part of a merge of a "
        "record someone had already merged into another one, so none of that merge was made."
    )


def refused(reason: str, lost: dict | None = None) -> ConflictView:
    return ConflictView(
        1, "customers", "row-1", None, "refused", None, lost or {}, reason, None, None
    )


def test_refusals_of_our_own_are_worded_in_the_users_language(qapp) -> None:
    assert describe(refused("not visible"), "Acme") == (
        "The server did not accept your change to this customer “Acme”: you may not see this "
        "record on the server (it was deleted there, or is not yours any more)"
    )
    assert describe(refused("you may not change this record"), "Acme").endswith(
        "“Acme”: you may not change this record"
    )
    assert describe(refused(NOT_ALLOWED), "Acme").endswith(
        "“Acme”: the server's access rules do not let you save it so (a record for a customer "
        "that is not yours, say, or someone you do not enter records for)"
    )
    assert describe(refused(CUSTOMER_DELETED), "Acme").endswith(
        "“Acme”: its customer was deleted meanwhile (restore the customer to enter it again)"
    )
    assert describe(refused(CLAIMED_FIRST), "Acme").endswith(
        "“Acme”: someone else claimed this customer from the pool first"
    )
    # What the program has no words for is said as the server said it.
    assert describe(refused("value too long for type character varying(200)")).endswith(
        "customer: value too long for type character varying(200)"
    )


def test_a_pool_rule_refusal_reads_as_the_online_claim_says_it(qapp, shanghai) -> None:
    # The server's words (its migration 0020), its times in UTC as a push asks for them.
    per_day = (
        "claim_per_day: 5 claimed in the last 24 hours; you may claim again from 2026-03-01 16:30"
    )
    assert describe(refused(per_day)).endswith(
        "customer: You have claimed as many customers as one may in 24 hours (rule "
        "claim_per_day); you may claim again from 2026-03-02 00:30."
    )
    off = "claim_per_day: claiming customers from the pool is switched off"
    assert describe(refused(off)).endswith(
        "customer: Claiming customers from the pool is switched off (rule claim_per_day)."
    )
    role = "owner_role: cal is a clerk and may not own customers"
    assert describe(refused(role)).endswith(
        "customer: “cal” is a clerk or an administrator: only a rep or a manager may own customers."
    )
    owned = "max_owned: rob already owns 200 customers, the most one may own"
    assert describe(refused(owned)).endswith(
        "customer: rob already owns 200 customers, the most one may own (rule max_owned)."
    )
    back = (
        "reclaim_block_days: it left you on 2026-02-20; you may claim it back from 2026-03-01 23:00"
    )
    assert describe(refused(back)).endswith(
        "customer: This customer left you recently; you may claim it back from 2026-03-02 07:00 "
        "(rule reclaim_block_days)."
    )


def test_a_refused_change_ends_with_its_values_after_a_full_stop(qapp) -> None:
    lost = {"op": "update", "changes": {"industry": "Glass", "list_price_cents": 5}}
    assert describe(refused("you may not change this record", lost), "Acme") == (
        "The server did not accept your change to this customer “Acme”: you may not change this "
        "record. Not saved: Industry: Glass."
    )
    new = {"op": "insert", "changes": {"title": "Pumps", "amount_cents": 123450, "stage": "lead"}}
    deal = ConflictView(1, "opportunities", "o-1", None, "refused", None, new, "x", None, None)
    assert describe(deal) == (
        "The server did not accept your change to this opportunity “Pumps”: x. Not saved: "
        "Title: Pumps; Stage: Lead; Amount: ¥1,234.50."
    )


def test_a_delete_over_a_change_the_server_made_names_the_server(qapp) -> None:
    over = ConflictView(
        1, "customers", "c-1", None, "deleted_over_edit", None, None, "", None, None
    )
    assert describe(over, "Acme") == (
        "You deleted the customer “Acme” after the server had changed it; restore it to bring "
        "back that change."
    )
    over = ConflictView(
        1, "customers", "c-1", None, "deleted_over_edit", None, None, "mia", None, None
    )
    assert "after mia had changed it" in describe(over, "Acme")


def same_field(entity: str, field: str, kept: object, lost: object) -> ConflictView:
    return ConflictView(1, entity, "row-1", field, "field", kept, lost, None, None, None)


def test_a_links_conflict_names_both_records_and_an_empty_side_says_so(qapp) -> None:
    """Not “aa99a5f2-…” for a contact, nor “” for a phone someone cleared."""
    contact = same_field("followups", "contact_id", "c-kept", "c-lost")
    names = {("contacts", "c-kept"): "李雷", ("contacts", "c-lost"): "韩梅梅"}
    assert set(names_wanted([contact])) == {
        ("followups", "row-1"),
        ("contacts", "c-kept"),
        ("contacts", "c-lost"),
    }
    assert describe(contact, "华强电子 2026-11-20", names) == (
        "Contact of this follow-up “华强电子 2026-11-20” was changed by someone else first: "
        "“李雷” was kept, your “韩梅梅” was not."
    )
    gone = describe(same_field("followups", "contact_id", "c-other", None), None, names)
    assert gone.endswith("“a record not on this computer” was kept, your “(empty)” was not.")
    cleared = describe(same_field("customers", "industry", None, "电子"), "Acme", {})
    assert "“(empty)” was kept, your “电子” was not." in cleared


def test_the_servers_own_refusals_are_worded_in_the_users_language(qapp) -> None:
    """Each server refusal the program words is one the server's migrations raise, word for
    word (a reworded RAISE would fall back to English unnoticed); in Chinese it reads Chinese."""
    import re
    from pathlib import Path

    from crm_desktop.sync.server import migrations
    from crm_desktop.translations import translated
    from crm_desktop.views.conflict_text import REASONS

    folder = Path(migrations.__file__).parent / "versions"
    sources = " ".join(path.read_text() for path in folder.glob("*.py"))
    raised = " ".join(re.sub(r"'\s+'", "", sources).split())
    ours = {"not visible", "you may not change this record", NOT_ALLOWED}
    for reason in REASONS.keys() - ours:
        assert f"'{reason}'" in raised or reason in (CUSTOMER_DELETED, CLAIMED_FIRST), reason
    pool = "a customer in the public pool must be claimed before it is changed"
    assert describe(refused(pool), "公海客户9").endswith(
        "“公海客户9”: this customer is in the public pool: claim it first (Claim, on its "
        "page), then change it"
    )
    with translated("zh_CN"):
        chinese = describe(refused(pool), "公海客户9")
    assert "公海" in chinese and "claim" not in chinese, chinese
