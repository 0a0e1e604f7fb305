"""Importing a file: every row through one writer transaction, so a file goes in whole or not at
all. Rows without an id are new records; with `update`, rows with an id change only the
columns the file has; with `keep_ids`, a row whose id no record here has adds its record with
that id. A contract's number may stand for its id (a payment's `contract`), and a new payment
of a contract is its customer's when the file names none.

Every row is checked by the writer as a form's values are; new records are then written a
thousand at a time (see UnitOfWork.prepare/insert), so 100,000 rows take seconds, not minutes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_desktop.models.entities import ENTITIES, Contract, User
from crm_desktop.models.fields import FIELDS_BY_NAME, Kind, entity_label
from crm_desktop.models.validation import InvalidInput
from crm_desktop.services.writer import NewRow, Writer
from crm_desktop.storage.bulk import bulk_load
from crm_desktop.storage.store import sqlite_connection
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
NO_SUCH_CONTRACT = T("Transfer", "there is no contract numbered “{number}”.")
SEVERAL_CONTRACTS = T(
    "Transfer",
    "{count} contracts are numbered “{number}”; give the one you mean by its id in {column}.",
)
OTHER_CONTRACT = T("Transfer", "{ids} and {numbers} name different contracts; empty one of them.")
TAKEN = T("Transfer", "{field} “{value}” is already used by another {entity}.")
REPEATED_VALUE = T("Transfer", "{field} “{value}” is on {place} {line} too; it must be unique.")
NOT_AN_ID = T("Transfer", "“{id}” is not a record id; empty it to add the record with a new one.")
DELETED_ID = T("Transfer", "a deleted {entity} has this id; empty the id to add the record anew.")
REPEATED_ID = T("Transfer", "its id is on {place} {line} too; a record is added once.")

# New records written per statement: big enough that the statement costs nothing per row.
INSERT_BATCH = 1000
PROGRESS_EVERY = 1000
# From this many rows the file is written like a bulk load (see storage/bulk.py).
BULK_LOAD_FROM = 20_000
Progress = Callable[[int, int], None]
# Enough to show a pattern (a whole column in the wrong format) without flooding the terminal.
MAX_PROBLEMS = 20
# Ids looked up per statement (SQLite allows 32,766 parameters; a small IN list stays fast).
IDS_PER_QUERY = 500

# Values the server keeps unique (its migration 0014), and a product's code, unique in the
# store itself: (column, among live rows only). An import refuses a repeat before the server
# would refuse it at the next sync; a product's repeated code would not even be stored.
UNIQUE_COLUMNS: dict[str, tuple[tuple[str, bool], ...]] = {
    "customers": (("external_ref", False),),
    "products": (("code", False),),
    "contracts": (("number", True), ("external_ref", False)),
    "payments": (("external_ref", False),),
}


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
    keep_ids: bool = False,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import a CSV or .xlsx file; raises TransferError for the file, ImportFailed for rows.

    With `keep_ids`, a row whose id no record here has adds its record with that id, so files
    exported from another profile come in with their links (a contract's customer_id, a
    payment's contract_id) intact.

    `progress(rows done, rows in the file)` is called as the rows are checked and written."""
    table = read_table(path)
    columns = _checked_columns(entity, table)
    return _import_rows(
        writer, entity, table, columns, update=update, keep_ids=keep_ids, progress=progress
    )


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
    keep_ids: bool,
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
        session = unit.session
        logins = dict(session.execute(select(User.login, User.id)).all())
        contracts = _Contracts(session)
        unique = [
            _Unique(session, entity, name, live_only, table.place)
            for name, live_only in UNIQUE_COLUMNS.get(entity, ())
            if any(column.field == name for column in columns)
        ]
        # With keep_ids: whether each id of the file is a record's here (True: a live one).
        stored: dict[str, bool] = {}
        if keep_ids and id_position is not None:
            file_ids = [cells[id_position].strip() for _, cells in table.rows]
            stored = _stored_ids(session, entity, file_ids)
        contracts.hold(entity, columns, table)
        kept: dict[str, int] = {}  # ids this file adds records with, and their lines
        refs = [name for name, f in FIELDS_BY_NAME[entity].items() if f.kind is Kind.REF]
        # New records wait here, checked, and go in a batch at a time.
        new_rows: list[NewRow] = []
        waiting: set[str] = set()  # the kept ids among them

        def write_new_rows() -> None:
            nonlocal created, new_rows
            created += len(unit.insert(new_rows))
            new_rows = []
            waiting.clear()

        for done, (line, cells) in enumerate(table.rows, start=1):
            row_id = cells[id_position].strip() if id_position is not None else ""
            try:
                values = _values(entity, columns, cells, logins, contracts)
                adds_id = keep_ids and bool(row_id) and row_id not in stored
                creating = not row_id or adds_id
                if creating:
                    contracts.complete_payment(entity, values)
                for check in unique:
                    check.check(values, row_id or None, line)
                if row_id and not adds_id:
                    if keep_ids and not stored[row_id]:
                        raise _RowProblem(DELETED_ID, entity=entity_label(entity))
                    if not update:
                        raise _RowProblem(HAS_ID)
                    # A savepoint per change: a refused row leaves no trace, and checking goes on.
                    with session.begin_nested():
                        changed = unit.update(entity, row_id, values)
                    updated += changed
                    unchanged += not changed
                else:
                    if adds_id:
                        _check_kept_id(row_id, kept, table.place)
                    if waiting and any(values.get(name) in waiting for name in refs):
                        # It links to a record an earlier line adds: that one goes in first.
                        write_new_rows()
                    new_rows.append(unit.prepare(entity, values, row_id if adds_id else None))
                    if adds_id:
                        kept[row_id] = line
                        waiting.add(row_id)
            except (InvalidInput, TransferError, _RowProblem) as error:
                problems.append(
                    QCoreApplication.translate("Transfer", ROW_PROBLEM).format(
                        place=table.place, line=line, reason=error
                    )
                )
                if len(problems) >= MAX_PROBLEMS:
                    break
            if len(new_rows) >= INSERT_BATCH or done == total:
                # Once a row is refused nothing will be kept: the rest is only checked. Records
                # added with their ids still go in, as later lines may link to them (all is
                # undone at the end).
                if problems and not kept:
                    new_rows = []
                else:
                    write_new_rows()
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
    entity: str,
    columns: list[TransferColumn],
    cells: list[str],
    logins: dict[str, str],
    contracts: _Contracts,
) -> dict[str, Any]:
    """The writer's values for one row: cells as typed, logins as user ids, identifiers parsed,
    contract numbers as the contracts' ids."""
    values: dict[str, Any] = {}
    numbers: list[tuple[TransferColumn, str]] = []
    for column, cell in zip(columns, cells, strict=True):
        if column.number_of is not None:
            numbers.append((column, cell.strip()))
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
    for column, number in numbers:
        if number:
            contracts.take_number(values, column, number)
    return values


def _check_kept_id(row_id: str, kept: dict[str, int], place: str) -> None:
    """An id a record is added with: in the form ids are made in, and once in the file."""
    try:
        canonical = str(uuid.UUID(row_id))
    except ValueError:
        canonical = None
    if canonical != row_id:
        raise _RowProblem(NOT_AN_ID, id=row_id)
    if row_id in kept:
        raise _RowProblem(REPEATED_ID, place=place, line=kept[row_id])


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(items), IDS_PER_QUERY):
        yield items[start : start + IDS_PER_QUERY]


def _stored_ids(session: Session, entity: str, ids: list[str]) -> dict[str, bool]:
    """Which of these ids a record of `entity` has here: id → whether it is live."""
    table = ENTITIES[entity].__tablename__
    wanted = sorted({row_id for row_id in ids if row_id})
    stored: dict[str, bool] = {}
    connection = sqlite_connection(session)
    for chunk in _chunks(wanted):
        marks = ",".join("?" * len(chunk))
        sql = f"SELECT id, deleted_at IS NULL FROM {table} WHERE id IN ({marks})"
        stored.update((row_id, bool(live)) for row_id, live in connection.execute(sql, chunk))
    return stored


class _Contracts:
    """The live contracts by number, read once when a row first needs them: a contract's
    number in a file stands for its id, and a new payment of a contract is its customer's."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._by_id: dict[str, tuple[str, str]] | None = None  # id → (number, customer_id)
        self._by_number: dict[str, list[str]] = {}
        self._held: list[Contract] = []

    def _read(self) -> dict[str, tuple[str, str]]:
        if self._by_id is None:
            rows = self._session.execute(
                select(Contract.id, Contract.number, Contract.customer_id).where(
                    Contract.deleted_at.is_(None)
                )
            )
            self._by_id = {}
            for contract_id, number, customer_id in rows:
                self._by_id[contract_id] = (number, customer_id)
                self._by_number.setdefault(number, []).append(contract_id)
        return self._by_id

    def hold(self, entity: str, columns: list[TransferColumn], table: FileTable) -> None:
        """Load the live contracts the file's rows link to, by id or by number, and hold them
        for the whole import: the writer looks up a row's contract on every row (a payment's
        customer, an instalment's), and the session finds only records someone holds without
        a query."""
        fields = FIELDS_BY_NAME[entity]
        at = [
            (position, column.number_of is not None)
            for position, column in enumerate(columns)
            if column.number_of is not None
            or (column.field in fields and fields[column.field].ref == "contracts")
        ]
        if not at:
            return
        wanted: set[str] = set()
        for _, cells in table.rows:
            for position, is_number in at:
                cell = cells[position].strip()
                if cell:
                    wanted.update(self._ids_numbered(cell) if is_number else (cell,))
        for chunk in _chunks(sorted(wanted)):
            self._held.extend(
                self._session.scalars(
                    select(Contract).where(Contract.id.in_(chunk), Contract.deleted_at.is_(None))
                )
            )

    def _ids_numbered(self, number: str) -> list[str]:
        self._read()
        return self._by_number.get(number, [])

    def take_number(self, values: dict[str, Any], column: TransferColumn, number: str) -> None:
        """Set the contract `column` numbers as its field's id; when the file gives the id
        as well, they must name the same contract."""
        by_id = self._read()
        assert column.number_of is not None
        given = str(values.get(column.number_of) or "").strip()
        if given:
            # An id that is no live contract's is left to the writer, which says so.
            if given in by_id and by_id[given][0] != number:
                raise _RowProblem(OTHER_CONTRACT, ids=column.number_of, numbers=column.name)
            return
        found = self._by_number.get(number, [])
        if not found:
            raise _RowProblem(NO_SUCH_CONTRACT, number=number)
        if len(found) > 1:
            raise _RowProblem(
                SEVERAL_CONTRACTS, count=len(found), number=number, column=column.number_of
            )
        values[column.number_of] = found[0]

    def complete_payment(self, entity: str, values: dict[str, Any]) -> None:
        """A new payment of a contract, its customer left empty, is the contract's customer's
        (the writer then checks that a given customer is the contract's)."""
        if entity != "payments" or str(values.get("customer_id") or "").strip():
            return
        contract_id = str(values.get("contract_id") or "").strip()
        contract = self._read().get(contract_id)
        if contract is not None:
            values["customer_id"] = contract[1]


@dataclass
class _Unique:
    """A column whose values no two records share: refuses a value another record has, or one
    an earlier line of the file gives."""

    session: Session
    entity: str
    name: str
    live_only: bool
    place: str
    taken: dict[str, str] = field(init=False)  # value → the id of the record that has it
    seen: dict[str, int] = field(init=False, default_factory=dict)  # value → its line

    def __post_init__(self) -> None:
        model = ENTITIES[self.entity]
        column = getattr(model, self.name)
        statement = select(column, model.id).where(column.is_not(None))
        if self.live_only:
            statement = statement.where(model.deleted_at.is_(None))
        self.taken = dict(self.session.execute(statement).all())

    def check(self, values: dict[str, Any], row_id: str | None, line: int) -> None:
        value = str(values.get(self.name) or "").strip()
        if not value:
            return
        label = FIELDS_BY_NAME[self.entity][self.name].display_label()
        holder = self.taken.get(value)
        if holder is not None and holder != row_id:
            raise _RowProblem(TAKEN, field=label, value=value, entity=entity_label(self.entity))
        if value in self.seen:
            raise _RowProblem(
                REPEATED_VALUE, field=label, value=value, place=self.place, line=self.seen[value]
            )
        self.seen[value] = line
