"""Customers' grades, computed by the server from what each paid (server migration 0015).

The ranking needs every customer, so the server grades only for an administrator (a CRM user
whose role is admin, or the deployment owner): `crm-desktop server apply-rules`, the daily job,
and an administrator's sync. Everything here runs inside the caller's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from crm_desktop.sync.server.schema import has_object

# What the history and the command line show for a customer without a grade.
NO_GRADE = "–"


@dataclass(frozen=True)
class GradeChange:
    """One customer whose grade the rule changes (or would change, in a preview)."""

    customer_id: str
    name: str
    old: str | None
    new: str


def grading_available(connection: psycopg.Connection) -> bool:
    """Whether the server grades at all (a server older than its migration 0015 does not)."""
    return has_object(connection, "crm_apply_grades()")


def proposed_changes(connection: psycopg.Connection) -> list[GradeChange]:
    """Each customer whose grade the rule would change now, by rank (highest value first);
    changes nothing. The server refuses anyone but an administrator (InsufficientPrivilege)."""
    rows = connection.execute(
        "SELECT g.customer_id::text, c.name, g.grade, g.proposed"
        " FROM crm_proposed_grades() g JOIN customers c ON c.id = g.customer_id"
        " WHERE NOT g.fixed AND g.grade IS DISTINCT FROM g.proposed ORDER BY g.rank"
    ).fetchall()
    return [GradeChange(*row) for row in rows]


def apply_grades(connection: psycopg.Connection) -> dict[str, int]:
    """Grade every customer that is not fixed by the rule; how many took each new grade.
    The server refuses anyone but an administrator (InsufficientPrivilege)."""
    rows = connection.execute(
        "SELECT new_grade, count(*) FROM crm_apply_grades() GROUP BY new_grade ORDER BY new_grade"
    ).fetchall()
    return {grade: int(count) for grade, count in rows}


def grade_on_sync(connection: psycopg.Connection) -> int:
    """An administrator's sync grades every customer after sending his changes, so the pull
    brings him (and later everyone else) the new grades; anyone else's sync grades nothing.
    Returns how many customers changed grade."""
    with connection.transaction():
        if not grading_available(connection):
            return 0
        admin = connection.execute("SELECT crm_is_admin()").fetchone()
        if not (admin and admin[0]):
            return 0
        return sum(apply_grades(connection).values())
