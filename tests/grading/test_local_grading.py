"""A profile without a server grades its customers itself (grading.local): by what each paid
in the twelve months to today, through the write service, fixed grades kept, once a day."""

from __future__ import annotations

import json
from datetime import date, timedelta

from crm_desktop.grading.local import grade_changes, grade_customers, grading_due
from crm_desktop.grading.rule import Valued, proposed_grades
from crm_desktop.profile import Profile
from crm_desktop.storage.store import sqlite_connection

TODAY = date(2026, 12, 2)


def paid(profile: Profile, customer_id: str, amount: int, on: date, deleted: bool = False) -> None:
    writer = profile.writer()
    changes = writer.create(
        "payments",
        {"customer_id": customer_id, "paid_on": on, "amount_cents": amount, "method": "transfer"},
    )
    if deleted:
        writer.delete("payments", [changes.primary_id])


def customers(profile: Profile, count: int) -> list[str]:
    writer = profile.writer()
    return [writer.create("customers", {"name": f"客户{n:02d}"}).primary_id for n in range(count)]


def stored_grades(profile: Profile) -> dict[str, str | None]:
    with profile.store.read() as session:
        driver = sqlite_connection(session)
        return dict(driver.execute("SELECT id, grade FROM customers WHERE deleted_at IS NULL"))


def grade_edits(profile: Profile) -> dict[str, tuple[dict, dict]]:
    with profile.store.read() as session:
        rows = sqlite_connection(session).execute(
            "SELECT row_id, changes, base FROM outbox WHERE entity = 'customers' AND op = 'update'"
            " ORDER BY seq"
        )
        return {row_id: (json.loads(changes), json.loads(base)) for row_id, changes, base in rows}


def test_the_rule_rounds_a_share_up_and_leaves_customers_worth_nothing_at_c() -> None:
    start = date(2020, 1, 1)
    ranked = [Valued(f"c{n:02d}", 1000 - n, start) for n in range(30)]
    ranked += [Valued("nothing", 0, start)]
    grades = proposed_grades(ranked)
    # 31 customers: 5% is 1.55 places, so 2 A; 20% is 6.2, so 7 places in A and B.
    assert [grades[f"c{n:02d}"] for n in range(9)] == ["A", "A", "B", "B", "B", "B", "B", "C", "C"]
    assert grades["nothing"] == "C"
    # Worth nothing stays C even in a place that would be A.
    alone = proposed_grades([Valued("x", 0, start), Valued("y", 0, start)])
    assert alone == {"x": "C", "y": "C"}


def test_a_tie_goes_to_the_customer_entered_first_then_the_smaller_id() -> None:
    older, newer = date(2020, 1, 1), date(2021, 1, 1)
    tied = [Valued("b", 500, newer), Valued("c", 500, older), Valued("a", 500, older)]
    tied += [Valued(f"z{n:02d}", 1, older) for n in range(37)]  # 40 in all: 2 A
    grades = proposed_grades(tied)
    assert (grades["a"], grades["c"], grades["b"]) == ("A", "A", "B")


def test_customers_are_graded_by_what_they_paid_in_the_last_twelve_months(
    profile: Profile,
) -> None:
    ids = customers(profile, 40)  # 40 customers: 2 A, then 6 B
    for rank, customer_id in enumerate(ids[:5]):
        paid(profile, customer_id, 100_00 * (5 - rank), TODAY - timedelta(days=30))
    # Fortunes that do not count: twelve months ago to the day, next week, deleted.
    paid(profile, ids[20], 10**9, TODAY - timedelta(days=365))
    paid(profile, ids[21], 10**9, TODAY + timedelta(days=7))
    paid(profile, ids[22], 10**9, TODAY - timedelta(days=3), deleted=True)
    # The first day of the twelve months counts: one fen then is sixth by value.
    paid(profile, ids[23], 1, TODAY - timedelta(days=364))

    changes = grade_customers(profile.writer(), TODAY)

    grades = stored_grades(profile)
    assert [grades[i] for i in ids[:5]] == ["A", "A", "B", "B", "B"]
    assert grades[ids[23]] == "B"
    assert {grades[i] for i in ids[20:23]} == {"C"}
    assert {grades[i] for i in ids[5:20] + ids[24:]} == {"C"}
    # Every customer had no grade: each got one, as an ordinary edit the outbox keeps.
    assert changes.updated["customers"] == set(ids)
    edits = grade_edits(profile)
    assert edits[ids[0]] == ({"grade": "A"}, {"grade": None})
    assert edits[ids[39]] == ({"grade": "C"}, {"grade": None})
    # Graded already: nothing differs any more, and today's grading is done.
    with profile.store.read() as session:
        assert grade_changes(session, TODAY) == []
    assert not grading_due(profile.store, TODAY)
    assert grading_due(profile.store, TODAY + timedelta(days=1))


def test_a_fixed_grade_stays_and_still_takes_its_place(profile: Profile) -> None:
    ids = customers(profile, 20)  # 20 customers: 1 A, then 3 B
    for rank, customer_id in enumerate(ids[:5]):
        paid(profile, customer_id, 100_00 * (5 - rank), TODAY - timedelta(days=1))
    with profile.store.write() as session:
        sqlite_connection(session).execute(
            "UPDATE customers SET grade = 'C', grade_fixed = 1, grade_note = '经理定级'"
            " WHERE id = ?",
            (ids[0],),
        )

    grade_customers(profile.writer(), TODAY)

    grades = stored_grades(profile)
    # The top customer is fixed at C and still holds the one A place: nobody else moves up.
    assert grades[ids[0]] == "C"
    assert [grades[i] for i in ids[1:4]] == ["B", "B", "B"]
    assert grades[ids[4]] == "C"
    assert ids[0] not in grade_edits(profile)


def test_a_grade_typed_by_hand_is_graded_again_and_its_edit_says_what_it_was(
    profile: Profile,
) -> None:
    ids = customers(profile, 20)
    profile.writer().update("customers", ids[5], {"grade": "A"})  # worth nothing
    grade_customers(profile.writer(), TODAY)
    assert stored_grades(profile)[ids[5]] == "C"
    assert grade_edits(profile)[ids[5]] == ({"grade": "C"}, {"grade": "A"})


def test_a_grading_is_not_done_twice_a_day_nor_on_a_profile_linked_meanwhile(
    profile: Profile,
) -> None:
    """Looked at in the grading's own transaction: a profile linked while a grading waited on
    the storage thread leaves its grades to the server."""
    ids = customers(profile, 3)
    profile.store.set_setting("sync_server", "host=crm.example.com dbname=crm")
    changes = grade_customers(profile.writer(), TODAY, unless=("sync_server",))
    assert changes.is_empty()
    assert set(stored_grades(profile).values()) == {None}
    assert grading_due(profile.store, TODAY)
    profile.store.set_setting("sync_server", "")
    assert grade_customers(profile.writer(), TODAY, unless=("sync_server",)).updated
    profile.writer().update("customers", ids[0], {"grade": "A"})
    assert grade_customers(profile.writer(), TODAY).is_empty()  # done today already
    assert stored_grades(profile)[ids[0]] == "A"
