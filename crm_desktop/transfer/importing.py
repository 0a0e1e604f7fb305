"""Importing a file: every row through one writer transaction, so a file goes in whole or not at
all. Rows without an id are new records; with `update`, rows with an id change only the
columns the file has.

Every row is checked by the writer as a form's values are; new records are then written a
thousand at a time (see UnitOfWork.prepare/insert), so 100,000 rows take seconds, not minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from sqlalchemy import select

from crm_desktop.models.entities import User
from crm_desktop.models.fields import entity_label
from crm_desktop.models.validation import InvalidInput
from crm_desktop.services.writer import NewRow, Writer
from crm_desktop.storage.bulk import bulk_load
from crm_desktop.transfer.cells import parse_identifiers
from crm_desktop.transfer.columns import IDENTIFIERS, TransferColumn, transfer_columns
from crm_desktop.transfer.errors import ImportFailed, TransferError
from crm_desktop.transfer.reading import FileTable, read_table

T = QT_TRANSLATE_NOOP
UNKNOWN_COLUMN = T(
    "Transfer",
    "The file has a column “{column}” that a {entity} record does not have; use: {allowed}.",
)
BLANK_COLUMN = T("Transfer", "Column {number} of the header has no name.")
REPEATED_COLUMN = T("Transfer", "The column “{column}” appears twice in the header.")
HAS_ID = T(
    "Transfer",
    "it has an id, so it changes an existing record: add --update to allow that, "
    "or empty the id to add a new one.",
)
NO_SUCH_LOGIN = T("Transfer", "there is no user with the login “{login}”.")
ROW_PROBLEM = T("Transfer", "{place} {line}: {reason}")

# New records written per statement: big enough that the statement costs nothing per row.
INSERT_BATCH = 1000
PROGRESS_EVERY = 1000
# From this many rows the file is written like a bulk load (see storage/bulk.py).
BULK_LOAD_FROM = 20_000
Progress = Callable[[int, int], None]
# Enough to show a pattern (a whole column in the wrong format) without flooding the terminal.
MAX_PROBLEMS = 20


@dataclass(frozen=True)
class ImportSummary:
    entity: str
    created: int
    updated: int
    unchanged: int

    def text(self) -> str:
        return QCoreApplication.translate(
            "Transfer", "Imported {created} new {entity} records, updated {updated}."
        ).format(created=self.created, entity=entity_label(self.entity), updated=self.updated)


class _RowProblem(Exception):
    """A row-level refusal that is not a field's InvalidInput."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__(QCoreApplication.translate("Transfer", message).format(**params))


def import_file(
    writer: Writer,
    entity: str,
    path: Path,
    *,
    update: bool,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import a CSV or .xlsx file; raises TransferError for the file, ImportFailed for rows.

    `progress(rows done, rows in the file)` is called as the rows are checked and written."""
    table = read_table(path)
    columns = _checked_columns(entity, table)
    return _import_rows(writer, entity, table, columns, update=update, progress=progress)


def _checked_columns(entity: str, table: FileTable) -> list[TransferColumn]:
    known = transfer_columns(entity).by_name()
    seen: set[str] = set()
    for number, name in enumerate(table.header, start=1):
        if not name:
            raise TransferError(BLANK_COLUMN, number=number)
        if name not in known:
            allowed = ", ".join(known)
            raise TransferError(
                UNKNOWN_COLUMN, column=name, entity=entity_label(entity), allowed=allowed
            )
        if name in seen:
            raise TransferError(REPEATED_COLUMN, column=name)
        seen.add(name)
    return [known[name] for name in table.header]


def _import_rows(
    writer: Writer,
    entity: str,
    table: FileTable,
    columns: list[TransferColumn],
    *,
    update: bool,
    progress: Progress | None,
) -> ImportSummary:
    id_position = table.header.index("id") if "id" in table.header else None
    created = updated = unchanged = 0
    problems: list[str] = []
    total = len(table.rows)
    with (
        writer.transaction() as unit,
        bulk_load(unit.session, _written_tables(entity), enabled=total >= BULK_LOAD_FROM),
    ):
        logins = dict(unit.session.execute(select(User.login, User.id)).all())
        # New records wait here, checked, and go in a batch at a time.
        new_rows: list[NewRow] = []
        for done, (line, cells) in enumerate(table.rows, start=1):
            row_id = cells[id_position].strip() if id_position is not None else ""
            try:
                values = _values(columns, cells, logins)
                if row_id and not update:
                    raise _RowProblem(HAS_ID)
                if row_id:
                    # A savepoint per change: a refused row leaves no trace, and checking goes on.
                    with unit.session.begin_nested():
                        changed = unit.update(entity, row_id, values)
                    updated += changed
                    unchanged += not changed
                else:
                    new_rows.append(unit.prepare(entity, values))
            except (InvalidInput, TransferError, _RowProblem) as error:
                problems.append(
                    QCoreApplication.translate("Transfer", ROW_PROBLEM).format(
                        place=table.place, line=line, reason=error
                    )
                )
                if len(problems) >= MAX_PROBLEMS:
                    break
            if len(new_rows) >= INSERT_BATCH or done == total:
                # Once a row is refused nothing will be kept: the rest is only checked.
                if not problems:
                    created += len(unit.insert(new_rows))
                new_rows = []
            if progress is not None and (done % PROGRESS_EVERY == 0 or done == total):
                progress(done, total)
        if problems:
            # Raising inside the transaction rolls the whole file back.
            more = len(problems) >= MAX_PROBLEMS
            raise ImportFailed(problems, more)
    return ImportSummary(entity, created, updated, unchanged)


def _written_tables(entity: str) -> tuple[str, ...]:
    """The tables an import of `entity` writes: the records, a customer's identifiers, the
    customer a follow-up updates, and the outbox."""
    extra = {"customers": ("customer_identifiers",), "followups": ("customers",)}
    return (entity, *extra.get(entity, ()), "outbox")


def _values(
    columns: list[TransferColumn], cells: list[str], logins: dict[str, str]
) -> dict[str, Any]:
    """The writer's values for one row: cells as typed, logins as user ids, identifiers parsed."""
    values: dict[str, Any] = {}
    for column, cell in zip(columns, cells, strict=True):
        if column.field is None:
            continue  # id, and readable columns such as a customer's name next to customer_id
        if column.field == IDENTIFIERS:
            values[IDENTIFIERS] = parse_identifiers(cell)
        elif column.by_login:
            login = cell.strip()
            if login and login not in logins:
                raise _RowProblem(NO_SUCH_LOGIN, login=login)
            values[column.field] = logins.get(login)
        else:
            values[column.field] = cell
    return values
