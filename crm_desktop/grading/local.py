"""Grading the customers of a profile without a server: what each paid in the twelve months
to today (as the dashboard and the server count it), ranked by grading.rule, written through
the write service as ordinary edits of the grades that change. Fixed grades (a manager's, with
his note) stay as they are. Run at most once a day: `grading_due` says whether today's is done.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from crm_desktop.grading.rule import Valued, proposed_grades
from crm_desktop.queries.money import value_window
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import Writer
from crm_desktop.storage.store import Store, sqlite_connection
from crm_desktop.storage.values import put_settings

# local_settings: the day (ISO) this profile last graded its customers itself.
GRADED_ON_KEY = "local_grades_on"


def grade_changes(session: Session, today: date) -> list[tuple[str, str | None, str]]:
    """(customer id, its grade, the rule's grade) of each live customer whose grade is not
    fixed and differs from the rule's."""
    since, until = value_window(today)
    # Straight to sqlite3, times as the stored text: 100,000 rows through SQLAlchemy's
    # result processing (a time parsed for each) took seconds.
    rows = (
        sqlite_connection(session)
        .execute(
            "SELECT c.id, c.created_at, c.grade, c.grade_fixed, coalesce(paid.value, 0)"
            " FROM customers c LEFT JOIN (SELECT customer_id, sum(amount_cents) AS value"
            "  FROM payments WHERE deleted_at IS NULL AND paid_on > ? AND paid_on <= ?"
            "  GROUP BY customer_id) paid ON paid.customer_id = c.id"
            " WHERE c.deleted_at IS NULL",
            (since.isoformat(), until.isoformat()),
        )
        .fetchall()
    )
    # Fixed customers take their places in the ranking too, as on the server: fixing one
    # never regrades another.
    proposed = proposed_grades(Valued(row[0], row[4], row[1]) for row in rows)
    return [
        (customer_id, grade, proposed[customer_id])
        for customer_id, _entered, grade, fixed, _value in rows
        if not fixed and grade != proposed[customer_id]
    ]


def grade_customers(writer: Writer, today: date, unless: Sequence[str] = ()) -> ChangeSet:
    """Grade every customer by the rule and note that today's grading is done, in one
    transaction, unless today's is done already or one of the local settings `unless` is set
    (a server's address: a profile linked meanwhile leaves its grades to the server). Looked
    at in the same transaction, so no link made while a grading waits lets it through. The
    ChangeSet names the customers whose grade changed."""
    with writer.transaction() as unit:
        driver = sqlite_connection(unit.session)
        keys = [GRADED_ON_KEY, *unless]
        marks = ", ".join("?" * len(keys))
        held = dict(
            driver.execute(
                f"SELECT key, value FROM local_settings WHERE key IN ({marks})", keys
            ).fetchall()
        )
        if held.get(GRADED_ON_KEY) == today.isoformat() or any(held.get(k) for k in unless):
            return unit.changes
        unit.regrade(grade_changes(unit.session, today))
        put_settings(driver, {GRADED_ON_KEY: today.isoformat()})
    return unit.changes


def grading_due(store: Store, today: date) -> bool:
    """Whether the profile has not graded its customers today yet."""
    return store.setting(GRADED_ON_KEY) != today.isoformat()
