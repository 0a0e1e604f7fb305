"""The public pool's rules, read and changed from the window through the app's own connection.

The statements are the command line's (`server/admin.py`: `rules_on`, `change_rule`); here they
run as the signed-in user, so the server's policy lets every user read the rules and only an
administrator change them, and its CHECK constraints hold each value to its range. A refusal is
one sentence in the user's language. A preview changes the rules, grades and returns customers
to the pool as a save and the next syncs would, and rolls it all back: its counts are the
server's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from PySide6.QtCore import QT_TRANSLATE_NOOP

from crm_desktop.profile import Profile
from crm_desktop.sync import link as links
from crm_desktop.sync.ownership import OwnershipRefused, open_server
from crm_desktop.sync.server.admin import RULE_HELP, Rule, change_rule, rules_on
from crm_desktop.sync.server.grades import apply_grades

ONLY_ADMINS = QT_TRANSLATE_NOOP("Ownership", "Only an administrator may change the rules.")
OUT_OF_RANGE = QT_TRANSLATE_NOOP("Ownership", "{value} is out of range for {key}.")
NEEDS_VALUE = QT_TRANSLATE_NOOP(
    "Ownership", "{key} must have a value; only the per-grade overrides may be empty."
)
UNKNOWN_RULE = QT_TRANSLATE_NOOP("Ownership", "There is no rule named “{key}”.")


def read_rules(profile: Profile, password: str | None = None) -> list[Rule]:
    """Every rule as the server holds it now, in the order they are documented."""
    connection = open_server(profile, password)
    try:
        with connection.transaction():
            return rules_on(connection)
    except psycopg.OperationalError as error:
        raise links.classify_connect_error(error) from None
    finally:
        connection.close()


def save_rules(
    profile: Profile, values: dict[str, int | None], password: str | None = None
) -> list[Rule]:
    """Change the rules in `values` (None clears a per-grade override) in one transaction:
    one value the server refuses and none is changed. Returns the rules as they are after."""
    _check_keys(values)
    with _changing(profile, password) as connection, connection.transaction():
        _change(connection, values)
        return rules_on(connection)


@dataclass(frozen=True)
class RulesEffect:
    """What rules would do if they were saved now."""

    returned: int  # customers that would go back to the public pool
    graded: dict[str, int]  # new grade -> how many customers would take it

    @property
    def regraded(self) -> int:
        return sum(self.graded.values())


def preview_rules(
    profile: Profile, values: dict[str, int | None], password: str | None = None
) -> RulesEffect:
    """What the rules with `values` changed would do now: how many customers would go back
    to the public pool and how many would change grade. The server changes the rules, grades
    and returns them as a save and the next syncs would, in a transaction it then rolls back,
    so the counts are its own; nothing changes. Only an administrator may, as only he may change
    the rules (and grades rank all customers)."""
    _check_keys(values)
    with _changing(profile, password) as connection:
        with connection.transaction(force_rollback=True):
            _change(connection, values)
            graded = apply_grades(connection)
            returned = connection.execute("SELECT crm_return_due_customers()").fetchone()
        return RulesEffect(int(returned[0]) if returned else 0, graded)


@contextmanager
def _changing(profile: Profile, password: str | None) -> Iterator[psycopg.Connection]:
    """A connection for changing the rules, closed after; what the server refuses is said as
    one sentence (only an administrator may, the server cannot be reached)."""
    connection = open_server(profile, password)
    try:
        yield connection
    except psycopg.errors.InsufficientPrivilege:
        raise OwnershipRefused(ONLY_ADMINS) from None
    except psycopg.OperationalError as error:
        raise links.classify_connect_error(error) from None
    finally:
        connection.close()


def _check_keys(values: dict[str, int | None]) -> None:
    for key in values:
        if key not in RULE_HELP:
            raise OwnershipRefused(UNKNOWN_RULE, key=key)


def _change(connection: psycopg.Connection, values: dict[str, int | None]) -> None:
    """The rules in `values` changed within the caller's transaction (which a refusal ends)."""
    for key, value in values.items():
        try:
            changed = change_rule(connection, key, value)
        except psycopg.errors.CheckViolation:
            # Raised inside the transaction block: the rules changed before it roll back.
            if value is None:
                raise OwnershipRefused(NEEDS_VALUE, key=key) from None
            raise OwnershipRefused(OUT_OF_RANGE, value=value, key=key) from None
        if changed is None:  # the policy hid the row: not an administrator
            raise OwnershipRefused(ONLY_ADMINS)
