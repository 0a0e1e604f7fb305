"""Importing a file: every row through one writer transaction, so a file goes in whole or not at
all. Rows without an id are new records; with `update`, rows with an id change only the
columns the file has; with `keep_ids`, a row whose id no record here has adds its record with
that id. A contract's number may stand for its id (a payment's `contract`), and a new payment
of a contract is its customer's when the file names none.

A file's columns need not carry the export's names: a mapping (see headers.py) says which
column holds which field, guessed from the header's words unless one is given or was confirmed
for this header before. A customer may be named rather than given by id (the `customer`
column beside customer_id); a contact's customer is then found by its name or, when there is
none by that name, created, as a business card's company is: cards come in as contacts. A
customer list's contact person (联系人) comes in as a contact of its customer
(contact_persons.py).

Date-time cells are the user's own clock, as a form's times are (the export writes them so):
stored as UTC, a day without a time as his local midnight.

Every row is checked by the writer as a form's values are; new records are then written a
thousand at a time (see UnitOfWork.prepare/insert), so 100,000 rows take seconds, not minutes.
The window checks a file before importing it (staging.py): the check keeps what the writer made
of each row (RowPlan.prepared) and the import prepares the row from it, so that each value is
parsed, validated and looked up once.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from sqlalchemy import select
from sqlalchemy.orm import Session

from crm_desktop.duplicates import DuplicateIndex, Match
from crm_desktop.duplicates.records import without_cyclic_gc
from crm_desktop.models.choices import CustomerKind, IdentifierKind
from crm_desktop.models.dates import TypedDateError, local_to_utc, parse_typed_datetime
from crm_desktop.models.entities import ENTITIES, UNIQUE_COLUMNS, Contract, User
from crm_desktop.models.fields import FIELDS_BY_NAME, Kind, entity_label
from crm_desktop.models.rules import problems as field_problems
from crm_desktop.models.validation import InvalidInput, run_on
from crm_desktop.services.derived import CleanedRow
from crm_desktop.services.writer import NewRow, UnitOfWork, Writer
from crm_desktop.storage.bulk import bulk_load
from crm_desktop.storage.store import Cancelled, sqlite_connection
from crm_desktop.storage.values import in_parts
from crm_desktop.transfer.ahead import DerivedAhead
from crm_desktop.transfer.cells import matched_text, parse_identifiers
from crm_desktop.transfer.choice_words import choice_code
from crm_desktop.transfer.columns import IDENTIFIERS, TransferColumn, transfer_columns
from crm_desktop.transfer.contact_persons import (
    CONTACT_VALUES,
    ContactPersons,
    ContactProblem,
    check_contact_columns,
    contacts_added_text,
    is_contact_target,
)
from crm_desktop.transfer.errors import ImportFailed, TransferError
from crm_desktop.transfer.headers import (
    CUSTOMER_ADDRESS,
    CUSTOMER_NAME,
    IDENTIFIER_PREFIX,
    RECORD_ID,
    default_mapping,
    foreign_id_column,
    mapping_targets,
    recognised,
    row_number_column,
)
from crm_desktop.transfer.labels import target_label
from crm_desktop.transfer.reading import FileTable, located, read_table
from crm_desktop.transfer.undo import BatchLog, live_identifiers
from crm_desktop.transfer.vcard import ADDRESS_NOTE

T = QT_TRANSLATE_NOOP
UNKNOWN_COLUMN = T(
    "Transfer",
    "The file has a column “{column}” that a {entity} record does not have; leave it out with "
    "--leave-out “{column}”, or head it as one of: {allowed}.",
)
BLANK_COLUMN = T("Transfer", "Column {number} of the header has no name.")
REPEATED_COLUMN = T("Transfer", "The column “{column}” appears twice in the header.")
UNKNOWN_COLUMNS = T(
    "Transfer",
    "The file has columns that a {entity} record does not have: {columns}; leave each out with "
    "--leave-out, or head it as one of: {allowed}.",
)
SAME_TARGET = T(
    "Transfer",
    "The columns “{first}” and “{second}” would both be read as {column}; only one of them can be.",
)
NO_COLUMN_TO_LEAVE_OUT = T("Transfer", "The file has no column “{column}” to leave out.")
NOT_CONTACTS = T("Transfer", "A business card file holds contacts: import it as contacts.")
NO_SUCH_CUSTOMER = T("Transfer", "there is no customer named “{name}”.")
SEVERAL_CUSTOMERS = T(
    "Transfer",
    "{count} customers are named “{name}”; give the one you mean by its id in customer_id.",
)
NO_NAME = T("Transfer", "it has neither a name nor a customer (company).")
HAS_ID = T(
    "Transfer",
    "it has an id, so it changes an existing record: add --update to allow that, "
    "or empty the id to add a new one.",
)
NO_SUCH_LOGIN = T("Transfer", "there is no user with the login or name “{login}”.")
SEVERAL_USERS = T(
    "Transfer", "several users are named “{name}”; give the one you mean by his login."
)
ROW_PROBLEM = T("Transfer", "{where}: {reason}")
NO_SUCH_CONTRACT = T("Transfer", "there is no contract numbered “{number}”.")
SEVERAL_CONTRACTS = T(
    "Transfer",
    "{count} contracts are numbered “{number}”; give the one you mean by its id in {column}.",
)
OTHER_CONTRACT = T("Transfer", "{ids} and {numbers} name different contracts; empty one of them.")
TAKEN = T("Transfer", "{field} “{value}” is already used by another {entity}.")
REPEATED_VALUE = T("Transfer", "{field} “{value}” is on {where} too; it must be unique.")
NOT_AN_ID = T("Transfer", "“{id}” is not a record id; empty it to add the record with a new one.")
DELETED_ID = T("Transfer", "a deleted {entity} has this id; empty the id to add the record anew.")
NO_SUCH_ID = T(
    "Transfer",
    "no {entity} here has the id “{id}” of the column “{column}”; "
    "empty that cell to add the row as a new record.",
)
REPEATED_ID = T("Transfer", "its id is on {where} too; a record is added once.")
TOTALS_ROW = T(
    "Transfer",
    "“{value}” is the list's totals row, not a record; delete that row from the file.",
)
# A name cell that is a list's totals: 合计：133家, 总计 133, Total: 133 (a company named
# "Total Solutions" is a name).
_TOTALS = re.compile(
    r"(?:合计|总计|共计|小计)(?:$|[:：\s\d].*)|(?:total|subtotal|sum)\s*(?:[:：]\s*[\d,.]*\s*\w*)?",
    re.IGNORECASE,
)
EXCEL_SHORTENED = T(
    "Transfer",
    "“{value}” is a long number Excel shortened when it saved the file, and its digits are "
    "lost; format the column as text in Excel (or import the .xlsx file itself) and save "
    "again.",
)
EARLIER_NOT_IMPORTED = T(
    "Transfer", "it was to update the record of {where}, which was not imported."
)

# Values the store does not keep unique but an import takes once (column, among live rows
# only): a payment's bank reference (流水号) names one transfer, so a payments file imported
# twice would book the money twice.
ONCE: dict[str, tuple[tuple[str, bool], ...]] = {"payments": (("reference", True),)}
# New records written per statement: big enough that the statement costs nothing per row.
INSERT_BATCH = 1000
PROGRESS_EVERY = 1000
# From this many rows the file is written like a bulk load (see storage/bulk.py).
BULK_LOAD_FROM = 20_000
Progress = Callable[[int, int], None]
# Enough to show a pattern (a whole column in the wrong format) without flooding the terminal.
MAX_PROBLEMS = 20


# A plain ID number's kind, told from its form when its column does not say (证件号码): a
# resident ID card (18 characters, or the old 15 digits), a unified social credit code (the
# tax number of a company since 2015), a licence plate; anything else is "other".
_ID_CARD = re.compile(r"\d{17}[\dX]|\d{15}")
_CREDIT_CODE = re.compile(r"[0-9A-HJ-NP-RTUW-Y]{2}\d{6}[0-9A-HJ-NP-RTUW-Y]{10}")
_PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][A-Z0-9]{5,6}"
)
_PLATE_NOISE = re.compile(r"[\s\-_.·]+")
# A long number as Excel writes it to CSV once it has shortened it: 1.10105E+17.
_SHORTENED = re.compile(r"[+-]?\d(?:\.\d+)?[eE]\+\d+")
IDENTIFIER_KINDS = frozenset(kind.value for kind in IdentifierKind)


@dataclass(frozen=True)
class ImportSummary:
    entity: str
    created: int
    updated: int
    unchanged: int
    # Customers added for the rows' sake: a contact's company that was not in the store yet.
    customers_created: int = 0
    # Contacts added for the rows' contact persons (a customer list's 联系人 column).
    contacts_created: int = 0

    def text(self) -> str:
        text = QCoreApplication.translate(
            "Transfer", "Imported {created} new {entity} records, updated {updated}."
        ).format(created=self.created, entity=entity_label(self.entity), updated=self.updated)
        customers = QCoreApplication.translate(
            "Transfer", "Added {count} new customer records for them."
        ).format(count=self.customers_created)
        return run_on(
            text,
            customers if self.customers_created else "",
            contacts_added_text(self.contacts_created) if self.contacts_created else "",
        )


class _RowProblem(Exception):
    """A row-level refusal that is not a field's InvalidInput; `at`: the field (or file
    column) it is about, when it is about one."""

    def __init__(self, message: str, at: str = "", **params: object) -> None:
        super().__init__(QCoreApplication.translate("Transfer", message).format(**params))
        self.at = at


class ImportCancelled(Cancelled):
    """The user cancelled: nothing of the import was kept."""


class Decision(StrEnum):
    """What happens to a row that looks like a record already here."""

    ADD = "add"  # add it anyway
    SKIP = "skip"
    FILL = "fill"  # update that record: fill in its empty fields
    OVERWRITE = "overwrite"  # update that record with every value of the row


@dataclass
class RowReport:
    """A row as the check saw it: its problems by file column ("" for the row as a whole) and
    the records (or earlier rows) it looks like."""

    line: int
    problems: dict[str, str] = field(default_factory=dict)
    matches: list[Match] = field(default_factory=list)
    # It names a stored record by its id (rather than adding one): True when it changes it,
    # False when the record already holds the row's values; None for a row that adds one.
    updates: bool | None = None


@dataclass
class RowPlan:
    """How the window imports a file (transfer/staging.py), where the command line stops at
    the first refused row:

    - `check`: every row is checked and looked up among the store's records and the earlier
      rows, and nothing is kept; `reports` says what was found, and `prepared` holds what the
      writer made of each new record's values (line → CleanedRow);
    - otherwise rows are written, except those in `skip` (line → why); a row in `updates`
      updates that record (line → (record id, overwrite?)) instead of adding one; a row refused
      while writing is skipped too, its reason kept in `skipped`; a row in `file_updates`
      updates the record an earlier row of the file adds or updates (line → (that row's line,
      overwrite?)): a company merged down over its people, each row one more contact of it;
      `batch` remembers what was
      added and changed, for undo. A row in `prepared` (the check's) is prepared from it: its
      values, checked already, are not cleaned again unless they changed (a corrected cell).
      `customers_prepared` is the same for the customers a card's company adds (by name).
    """

    region: str
    check: bool = False
    skip: dict[int, str] = field(default_factory=dict)
    updates: dict[int, tuple[str, bool]] = field(default_factory=dict)
    file_updates: dict[int, tuple[int, bool]] = field(default_factory=dict)
    cancelled: Callable[[], bool] | None = None
    batch: BatchLog | None = None
    reports: list[RowReport] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    prepared: dict[int, CleanedRow] = field(default_factory=dict)
    customers_prepared: dict[str, CleanedRow] = field(default_factory=dict)


class _Skipped(Exception):
    """A row the plan skips, with why."""


class _CheckDone(Exception):
    """Ends a check's transaction: what it wrote to see the rows through is rolled back."""


def import_file(
    writer: Writer,
    entity: str,
    path: Path,
    *,
    update: bool,
    keep_ids: bool = False,
    encoding: str | None = None,
    sheet: str | None = None,
    mapping: Mapping[int, str | None] | None = None,
    progress: Progress | None = None,
) -> ImportSummary:
    """Import a CSV, .xlsx or vCard file; raises TransferError for the file, ImportFailed for
    rows. `encoding` and `sheet` are read_table's; `mapping` is import_table's.

    With `keep_ids`, a row whose id no record here has adds its record with that id, so files
    exported from another profile come in with their links (a contract's customer_id, a
    payment's contract_id) intact.

    `progress(rows done, rows in the file)` is called as the rows are checked and written."""
    table = read_table(path, encoding=encoding, sheet=sheet)
    return import_table(
        writer,
        entity,
        table,
        update=update,
        keep_ids=keep_ids,
        mapping=mapping,
        progress=progress,
    )


def import_table(
    writer: Writer,
    entity: str,
    table: FileTable,
    *,
    update: bool,
    keep_ids: bool = False,
    mapping: Mapping[int, str | None] | None = None,
    progress: Progress | None = None,
    plan: RowPlan | None = None,
    batch: BatchLog | None = None,
) -> ImportSummary:
    """Import a table read_table read (a window reads it once, to show it and then import it).

    `mapping` says which file column is which target (headers.mapping_targets): a column it
    maps to None, or leaves out, is ignored. Without one, the header's default_mapping is
    used: the export's names, a mapping confirmed for this header, or a guess, of which
    every named column with values must place somewhere. `batch` (the plan's own, when there
    is a plan) records what the import adds and changes, for its undo. Raises as import_file
    does."""
    _check_source(entity, table)
    chosen = file_mapping(writer, entity, table) if mapping is None else dict(mapping)
    # The id column as the file heads it ("ID", say), for a sentence about a row's id.
    id_column = next(
        (table.header[at] for at, target in sorted(chosen.items()) if target == RECORD_ID),
        RECORD_ID,
    )
    table, columns = mapped_table(entity, table, chosen)
    # Python's cycle collector paused, as for a duplicates search: a file's rows become
    # hundreds of thousands of live objects (values, cleaned rows, reports), none of them
    # cyclic garbage, and each full collection would walk them all again (a tenth of the
    # time at 100,000 rows). What is dropped is still freed; the few cycles a refused row
    # makes (an exception and its frames) wait for the next collection after the import.
    with without_cyclic_gc():
        return _import_rows(
            writer,
            entity,
            table,
            columns,
            update=update,
            keep_ids=keep_ids,
            progress=progress,
            plan=plan,
            batch=plan.batch if plan is not None else batch,
            id_column=id_column,
        )


def file_mapping(
    writer: Writer, entity: str, table: FileTable, left_out: Collection[str] = ()
) -> dict[int, str | None]:
    """The mapping an import without one uses: the export's names, a mapping confirmed for
    this header, or a guess, of which every named column with values must place somewhere
    (TransferError otherwise), but the columns named in `left_out` (the command line's
    --leave-out) and a column of row numbers (序号 1, 2, 3…), which are left out."""
    _check_source(entity, table)
    rows = [cells for _, cells in table.rows]
    with writer.store.read() as session:
        found = default_mapping(session, entity, table.header, rows)
    columns = dict(found.columns)
    skipped: set[int] = set()
    for name in (name.strip() for name in left_out):
        places = [at for at, heading in enumerate(table.header) if heading.strip() == name]
        if not places:
            raise TransferError(NO_COLUMN_TO_LEAVE_OUT, column=name)
        columns.update(dict.fromkeys(places))
        skipped.update(places)
    if found.origin != "guessed":
        return columns  # the export's own names, or what the user chose to leave out
    skipped |= {at for at in range(len(table.header)) if row_number_column(table.header, at, rows)}
    return _checked_guess(entity, table, columns, skipped)


def _check_source(entity: str, table: FileTable) -> None:
    if table.source == "vcard" and entity != "contacts":
        raise TransferError(NOT_CONTACTS)


def _checked_guess(
    entity: str, table: FileTable, mapping: dict[int, str | None], skipped: Collection[int]
) -> dict[int, str | None]:
    """A guessed mapping, checked: every named column but the `skipped` ones must have a
    target, and an unnamed one no values."""
    unplaced: list[int] = []
    id_taken = RECORD_ID in mapping.values()
    for at, name in enumerate(table.header):
        if mapping.get(at) is not None or at in skipped:
            continue
        if not id_taken and foreign_id_column(entity, table.header, at):
            continue  # an old system's own numbers, left out on purpose (see guess_mapping)
        if not name:
            # An unnamed column nobody filled in is a spreadsheet's spacing, not data.
            if any(cells[at].strip() for _, cells in table.rows):
                raise TransferError(BLANK_COLUMN, number=at + 1)
        else:
            unplaced.append(at)
    if not unplaced:
        return mapping
    for at in unplaced:
        # A word recognised, but its target taken by another column: say which.
        wanted = recognised(entity, table.header[at])
        holder = next((other for other, target in mapping.items() if target == wanted), None)
        if wanted is not None and holder is not None:
            first, second = table.header[holder], table.header[at]
            if first == second:
                raise TransferError(REPEATED_COLUMN, column=first)
            raise TransferError(
                SAME_TARGET, first=first, second=second, column=target_label(entity, wanted)
            )
    allowed = ", ".join(
        f"{target_label(entity, target)} ({target})" for target in mapping_targets(entity)
    )
    label = entity_label(entity)
    if len(unplaced) == 1:
        column = table.header[unplaced[0]]
        raise TransferError(UNKNOWN_COLUMN, column=column, entity=label, allowed=allowed)
    columns = ", ".join(f"“{table.header[at]}”" for at in unplaced)
    raise TransferError(UNKNOWN_COLUMNS, columns=columns, entity=label, allowed=allowed)


def mapped_table(
    entity: str, table: FileTable, mapping: dict[int, str | None]
) -> tuple[FileTable, list[TransferColumn]]:
    """The table with only its mapped columns, headed by their targets, and their columns."""
    targets = mapping_targets(entity)
    known = transfer_columns(entity).by_name()
    chosen: dict[str, int] = {}
    for at, target in sorted(mapping.items()):
        if target is None:
            continue
        if target not in targets or not 0 <= at < len(table.header):
            raise ValueError(f"column {at} → {target!r} is no mapping of {entity}")
        if target in chosen:
            first, second = table.header[chosen[target]], table.header[at]
            raise TransferError(
                SAME_TARGET, first=first, second=second, column=target_label(entity, target)
            )
        chosen[target] = at
    positions = list(chosen.values())
    header = list(chosen)
    check_contact_columns(header)
    columns = [known.get(target) or _extra_column(target) for target in header]
    if positions == list(range(len(table.header))):
        rows = table.rows  # every column, in order: a 100,000-row file is not copied
    else:
        rows = [(line, [cells[at] for at in positions]) for line, cells in table.rows]
    return FileTable(header, rows, table.place, table.encoding, table.sheet, table.source), columns


def _extra_column(target: str) -> TransferColumn:
    """An import-only target: identifiers of one kind, a contact's customer's address."""
    if target.startswith(IDENTIFIER_PREFIX):
        return TransferColumn(target, None, Kind.TEXT, IDENTIFIERS)
    return TransferColumn(target, None, Kind.TEXT)


def _import_rows(
    writer: Writer,
    entity: str,
    table: FileTable,
    columns: list[TransferColumn],
    *,
    update: bool,
    keep_ids: bool,
    progress: Progress | None,
    plan: RowPlan | None = None,
    batch: BatchLog | None = None,
    id_column: str = RECORD_ID,
) -> ImportSummary:
    id_position = table.header.index(RECORD_ID) if RECORD_ID in table.header else None
    created = updated = unchanged = 0
    problems: list[str] = []
    total = len(table.rows)
    checking = plan is not None and plan.check
    try:
        with (
            writer.transaction() as unit,
            bulk_load(
                unit.session,
                _written_tables(entity),
                enabled=total >= BULK_LOAD_FROM and not checking,
            ),
            ExitStack() as stack,
        ):
            session = unit.session
            logins = _user_ids(session)
            prepared = plan.prepared if plan is not None else {}
            ahead = stack.enter_context(
                _derived_ahead(entity, columns, table, logins, unit.region, bool(prepared))
            )
            contracts = _Contracts(session)
            unique = [
                _Unique(session, entity, name, live_only, table.place)
                for name, live_only in (*UNIQUE_COLUMNS.get(entity, ()), *ONCE.get(entity, ()))
                if any(column.field == name for column in columns)
            ]
            # With keep_ids: whether each id of the file is a record's here (True: a live one).
            stored: dict[str, bool] = {}
            if keep_ids and id_position is not None:
                file_ids = [cells[id_position].strip() for _, cells in table.rows]
                stored = _stored_ids(session, entity, file_ids)
            contracts.hold(entity, columns, table)
            customers = _Customers(
                unit,
                entity,
                columns,
                plan.customers_prepared if plan is not None else None,
                batch,
            )
            contacts = ContactPersons(unit, columns, None if checking else batch)
            # Identifier columns of given kinds only (身份证, 车牌): an update replaces those kinds.
            kinds = _identifier_kinds(columns)
            kept: dict[str, int] = {}  # ids this file adds records with, and their lines
            refs = [name for name, f in FIELDS_BY_NAME[entity].items() if f.kind is Kind.REF]
            at_column = {column.field: column.name for column in columns if column.field}
            duplicates = _duplicate_index(session, entity, plan) if checking else None
            # The record each line added or updated, for a later line updating it.
            line_ids: dict[int, str] = {}
            # New records wait here, checked, and go in a batch at a time.
            new_rows: list[NewRow] = []
            new_lines: list[int] = []
            waiting: set[str] = set()  # the kept ids among them

            def write_new_rows() -> None:
                nonlocal created, new_rows, new_lines
                if checking and not waiting:
                    new_rows, new_lines = [], []  # checked; nothing later needs them stored
                    contacts.drop_waiting()
                    return
                customers.insert_added()  # the companies these rows' contacts are of
                ids = unit.insert(new_rows)
                contacts.insert_waiting()  # the contact persons of these customers
                created += len(ids)
                if batch is not None:
                    batch.note_added(ids)
                new_rows, new_lines = [], []
                waiting.clear()

            for done, (line, cells) in enumerate(table.rows, start=1):
                row_id = cells[id_position].strip() if id_position is not None else ""
                report = RowReport(line)
                values: dict[str, Any] | None = None
                contact: dict[str, str] | None = None
                creating = True
                # Set once the row is to be looked up among the duplicates, until it has been.
                lookup = False
                try:
                    if plan is not None and line in plan.skip:
                        raise _Skipped(plan.skip[line])
                    values = _values(entity, columns, cells, logins, contracts)
                    contact = contacts.take(values) if contacts.active else None
                    adds_id = keep_ids and bool(row_id) and row_id not in stored
                    creating = not row_id or adds_id
                    target = plan.updates.get(line) if plan is not None else None
                    if target is None and plan is not None and line in plan.file_updates:
                        target = _earlier_record(plan, line, line_ids, table.place)
                        if any(new.id == target[0] for new in new_rows):
                            write_new_rows()  # the record it updates goes in first
                    # Filling in a stored contact keeps its customer: a company the row names
                    # and the store lacks is not made for it.
                    customers.link(
                        values,
                        creating and target is None,
                        may_create=target is None or target[1],
                    )
                    # After link: a card's contact is looked for at its company. Looked up once
                    # the writer has cleaned the row (its phones parsed once), or, when it
                    # refuses the row, as it stands.
                    lookup = duplicates is not None and creating
                    if creating and target is None:
                        contracts.complete_payment(entity, values)
                    for check in unique:
                        check.check(values, (target[0] if target else row_id) or None, line)
                    if target is not None:
                        line_ids[line] = target[0]
                        customers.insert_added()  # the row may name one
                        # A row without an id was matched as a duplicate: its empty cells say
                        # nothing of the record, and erase none of its values.
                        updated += _update_existing(
                            unit,
                            entity,
                            target,
                            values,
                            batch,
                            kinds,
                            (contacts, contact),
                            blanks_erase=bool(row_id),
                        )
                    elif row_id and not adds_id:
                        report.updates = False
                        if keep_ids and not stored[row_id]:
                            raise _RowProblem(DELETED_ID, entity=entity_label(entity))
                        # Before anything reads the record: an id no record here has (an old
                        # system's row number) is the row's mistake, not a record to change.
                        _check_stored(unit, entity, row_id, id_column)
                        if not update:
                            raise _RowProblem(HAS_ID)
                        customers.insert_added()  # the row may name one
                        changed = _update_existing(
                            unit, entity, (row_id, True), values, batch, kinds, (contacts, contact)
                        )
                        updated += changed
                        unchanged += not changed
                        report.updates = changed
                    else:
                        if adds_id:
                            _check_kept_id(row_id, kept, table.place)
                        if waiting and any(values.get(name) in waiting for name in refs):
                            # It links to a record an earlier line adds: that one goes in first.
                            write_new_rows()
                        new_row = unit.prepare(
                            entity,
                            values,
                            row_id if adds_id else None,
                            prepared.get(line) or ahead.for_row(done - 1),
                        )
                        if contact:
                            # Before the customer is kept: a refused contact refuses the row.
                            contacts.prepare_for_new(new_row, contact)
                        new_rows.append(new_row)
                        line_ids[line] = new_row.id
                        new_lines.append(line)
                        if checking and new_row.cleaned is not None:
                            prepared[line] = new_row.cleaned
                        if duplicates is not None:
                            if lookup:
                                # Its phones as the writer stored them, when read alike.
                                same = unit.region == duplicates.region
                                stored_values = new_row.values if same else None
                                report.matches = duplicates.matches(values, stored_values)
                                lookup = False
                            # Only a row that will be imported is one a later row may repeat.
                            duplicates.add(values, line)
                        if adds_id:
                            kept[row_id] = line
                            waiting.add(row_id)
                except _Skipped as skipped:
                    assert plan is not None
                    plan.skipped.append((line, str(skipped)))
                except (InvalidInput, TransferError, _RowProblem, ContactProblem) as error:
                    if lookup:
                        assert duplicates is not None and values is not None
                        report.matches = duplicates.matches(values)
                    if plan is not None:
                        report.problems[_problem_column(error, at_column)] = str(error)
                        if checking and isinstance(error, InvalidInput) and values is not None:
                            # The writer stops at a row's first problem; a check shows them all.
                            report.problems.update(
                                _field_problems(entity, values, creating, plan.region, at_column)
                            )
                        if checking:
                            report.problems.update(contacts.problems(contact, plan.region))
                        if not checking:
                            plan.skipped.append((line, str(error)))
                    else:
                        problems.append(
                            QCoreApplication.translate("Transfer", ROW_PROBLEM).format(
                                where=located(table.place, line), reason=error
                            )
                        )
                        if len(problems) >= MAX_PROBLEMS:
                            break
                finally:
                    if checking:
                        plan.reports.append(report)
                if len(new_rows) >= INSERT_BATCH or done == total:
                    # Once a row is refused nothing will be kept: the rest is only checked.
                    # Records added with their ids still go in, as later lines may link to
                    # them (all is undone at the end).
                    if problems and not kept:
                        new_rows, new_lines = [], []
                        contacts.drop_waiting()
                    else:
                        write_new_rows()
                if done % PROGRESS_EVERY == 0 or done == total:
                    if plan is not None and plan.cancelled is not None and plan.cancelled():
                        raise ImportCancelled
                    if progress is not None:
                        progress(done, total)
            if new_rows:
                write_new_rows()  # the last rows, when the file's last line was skipped
            if not checking:
                # The last write above inserts them already; whatever became of the last rows,
                # a company added for a card is kept, as when each was inserted at once.
                customers.insert_added()
            if problems:
                # Raising inside the transaction rolls the whole file back.
                more = len(problems) >= MAX_PROBLEMS
                raise ImportFailed(problems, more)
            if checking:
                raise _CheckDone
            if batch is not None and not checking:
                batch.skipped = len(plan.skipped) if plan is not None else 0
                batch.write(session, unit.user_id)
    except _CheckDone:
        pass
    return ImportSummary(entity, created, updated, unchanged, customers.created, contacts.created)


def _earlier_record(
    plan: RowPlan, line: int, line_ids: dict[int, str], place: str
) -> tuple[str, bool]:
    """(record id, overwrite?) of the record the earlier line a row repeats added or updated;
    _Skipped when that line was not imported (skipped, or refused)."""
    earlier, overwrite = plan.file_updates[line]
    record_id = line_ids.get(earlier)
    if record_id is None:
        message = QCoreApplication.translate("Transfer", EARLIER_NOT_IMPORTED)
        raise _Skipped(message.format(where=located(place, earlier)))
    return record_id, overwrite


def _duplicate_index(session: Session, entity: str, plan: RowPlan | None) -> DuplicateIndex | None:
    """The store's customers or contacts, for a check to find the rows that look like them."""
    if entity not in ("customers", "contacts") or plan is None:
        return None
    return DuplicateIndex.build(session, entity, plan.region, plan.cancelled)


def _field_problems(
    entity: str, values: dict[str, Any], creating: bool, region: str, at_column: dict[str, str]
) -> dict[str, str]:
    """Every field problem of a row, by file column ("" for a field no column holds)."""
    plain = {k: v for k, v in values.items() if k in FIELDS_BY_NAME[entity]}
    found = field_problems(entity, plain, region, creating=creating)
    return {at_column.get(name, ""): str(problem) for name, problem in found.items()}


def _problem_column(error: Exception, at_column: dict[str, str]) -> str:
    if isinstance(error, InvalidInput):
        return at_column.get(error.field, "")
    return getattr(error, "at", "")


def _update_existing(
    unit: UnitOfWork,
    entity: str,
    target: tuple[str, bool],
    values: dict[str, Any],
    batch: BatchLog | None,
    kinds: frozenset[str] | None,
    person: tuple[ContactPersons, dict[str, str] | None],
    *,
    blanks_erase: bool = True,
) -> bool:
    """Update a record with a row's values (all of them, or, not `overwrite`, only those its
    empty fields take), and add the row's contact person to it (`person`: the import's
    ContactPersons and the row's contact cells, see ContactPersons.prepare_for_stored); True
    when anything changed. A savepoint per row: a refused row leaves no trace, and the rest
    goes on. Without `blanks_erase` (a row matched to the record as a
    duplicate, not one carrying its id), an empty cell leaves the field as it is: another
    system's list that lacks an email knows nothing of the one stored.

    A customer's identifiers: filling in keeps every one the record has and adds the row's;
    overwriting replaces those of the kinds the file's columns hold (`kinds`: a 车牌 column
    replaces plates, never the tax number), or all of them from the general column (None)."""
    row_id, overwrite = target
    model = ENTITIES[entity]
    if not blanks_erase:
        values = {name: value for name, value in values.items() if _given(value)}
    # Looked up before anything reads it: InvalidInput when it is not here (any more).
    row = unit.get_live(entity, row_id)
    contacts, cells = person
    # Checked before the record changes: a refused contact refuses the row.
    contact = contacts.prepare_for_stored(row_id, cells)
    if not overwrite:
        values = {
            name: value
            for name, value in values.items()
            if name == IDENTIFIERS or getattr(row, name, None) in (None, "")
        }
        kinds = frozenset()
    if IDENTIFIERS in values and kinds is not None:
        values[IDENTIFIERS] = _other_identifiers(unit.session, row_id, kinds) + list(
            values[IDENTIFIERS]
        )
    before = _recorded_values(unit, model, row_id, values)
    with unit.session.begin_nested():
        changed = unit.update(entity, row_id, values)
    if changed and batch is not None:
        after = _recorded_values(unit, model, row_id, values)
        batch.note_updated(row_id, before, after)
    if contact is not None:
        contacts.insert([contact])
    return changed or contact is not None


def _given(value: Any) -> bool:
    """Whether a row's value says something: not an empty or blank cell, nor no identifiers."""
    if isinstance(value, list):
        return bool(value)
    return value is not None and bool(str(value).strip())


def _check_stored(unit: UnitOfWork, entity: str, row_id: str, column: str) -> None:
    """A row's id names a live record of `entity`; _RowProblem otherwise."""
    row = unit.session.get(ENTITIES[entity], row_id)
    if row is None:
        raise _RowProblem(
            NO_SUCH_ID, RECORD_ID, entity=entity_label(entity), id=row_id, column=column
        )
    if row.deleted_at is not None:
        raise _RowProblem(DELETED_ID, RECORD_ID, entity=entity_label(entity))


def _recorded_values(
    unit: UnitOfWork, model: Any, row_id: str, values: dict[str, Any]
) -> dict[str, Any]:
    """The stored values of the fields a row sets (and a customer's identifiers), for undo."""
    row = unit.session.get(model, row_id)
    recorded = {name: getattr(row, name) for name in values if hasattr(model, name)}
    if IDENTIFIERS in values:
        recorded[IDENTIFIERS] = sorted(live_identifiers(unit.session, row_id))
    return recorded


def _written_tables(entity: str) -> tuple[str, ...]:
    """The tables an import of `entity` writes: the records, a customer's identifiers, the
    customer a follow-up updates, and the outbox."""
    extra = {"customers": ("customer_identifiers",), "followups": ("customers",)}
    return (entity, *extra.get(entity, ()), "outbox")


def _values(
    entity: str,
    columns: list[TransferColumn],
    cells: Sequence[str],
    logins: dict[str, str],
    contracts: _Contracts | None,
) -> dict[str, Any]:
    """The writer's values for one row: cells as typed, logins as user ids, identifiers parsed,
    contract numbers as the contracts' ids."""
    values: dict[str, Any] = {}
    numbers: list[tuple[TransferColumn, str]] = []
    for column, cell in zip(columns, cells, strict=True):
        if (
            column.field == "name"
            and entity in ("customers", "contacts")
            and _TOTALS.fullmatch(cell.strip())
        ):
            raise _RowProblem(TOTALS_ROW, at=column.name, value=cell.strip())
        if column.number_of is not None:
            numbers.append((column, cell.strip()))
        if column.field is None:
            # A customer by name, and a contact's customer's address, for _Customers.link;
            # the id and other readable columns (a contract's number) are not values.
            if column.name in _LINK_COLUMNS:
                values[column.name] = cell
            elif is_contact_target(column.name):
                contact = values.setdefault(CONTACT_VALUES, {})
                contact[column.name.removeprefix(CONTACT_VALUES)] = cell
            continue
        if (column.field == IDENTIFIERS or column.kind is Kind.PHONE) and _SHORTENED.fullmatch(
            cell.strip()
        ):
            raise _RowProblem(EXCEL_SHORTENED, at=column.name, value=cell.strip())
        if column.field == IDENTIFIERS:
            pairs = _identifier_pairs(cell, column.name)
            if IDENTIFIERS in values:
                values[IDENTIFIERS] += pairs  # a 身份证 column and a 车牌 column, say
            else:
                values[IDENTIFIERS] = pairs
        elif column.by_login:
            login = cell.strip()
            found = logins.get(login) or logins.get(matched_text(login))
            if login and found is None:
                raise _RowProblem(NO_SUCH_LOGIN, at=column.name, login=login)
            if found == _SEVERAL:
                raise _RowProblem(SEVERAL_USERS, at=column.name, name=login)
            values[column.field] = found
        elif column.kind is Kind.DATETIME:
            values[column.field] = _stored_time(cell)
        elif column.kind is Kind.CHOICE:
            # 企业, 转账, "Bank transfer": a sheet names a coded value by its label.
            choices = FIELDS_BY_NAME[entity][column.field].choices
            values[column.field] = choice_code(choices, cell.strip()) if cell.strip() else cell
        else:
            values[column.field] = cell
    for column, number in numbers:
        if number:
            assert contracts is not None, "a contract's number is read in the store"
            contracts.take_number(values, column, number)
    return values


def _derived_ahead(
    entity: str,
    columns: list[TransferColumn],
    table: FileTable,
    logins: dict[str, str],
    region: str,
    prepared: bool,
) -> DerivedAhead:
    """Workers deriving a large file's rows ahead of the import; none when the check derived
    them already (`prepared`), or when a row's values need the store (a contract's number)."""
    wanted = not prepared and not any(column.number_of for column in columns)
    rows = [cells for _line, cells in table.rows] if wanted else []
    # The columns' SQL expressions are the export's, and need not go to a worker.
    plain = [replace(column, expr=None) for column in columns]
    return DerivedAhead(entity, region, rows, partial(_values_ahead, entity, plain, logins))


def _values_ahead(
    entity: str, columns: list[TransferColumn], logins: dict[str, str], cells: Sequence[str]
) -> dict[str, Any]:
    """A row's values as the import gives them to the writer, as far as they are known without
    the store: a contact's cells and the customer a row names are the import's to link."""
    values = _values(entity, columns, cells, logins, None)
    values.pop(CONTACT_VALUES, None)
    for column in columns:
        if column.field is None and column.name in _LINK_COLUMNS:
            values.pop(column.name, None)
    return values


# A name several users share: it says nobody in particular.
_SEVERAL = ""


def _user_ids(session: Session) -> dict[str, str]:
    """Users' ids by login, and by display name (as matched_text matches it) where no login is
    the same text: an old system's sheet names its 负责人 as people call him, 张伟, not by
    the login he was given here. A name two users share maps to _SEVERAL."""
    users = session.execute(select(User.login, User.name, User.id)).all()
    ids = {login: user_id for login, _name, user_id in users}
    by_name: dict[str, str] = {}
    for _login, name, user_id in users:
        key = matched_text(name or "")
        if key and key not in ids:
            by_name[key] = _SEVERAL if by_name.get(key, user_id) != user_id else user_id
    return {**by_name, **ids}


def _stored_time(cell: str) -> Any:
    """A date-time cell as stored (naive UTC), read as the user's own clock, as a form reads
    what he types (and as the export writes it: cells.cell_text): a task due 2026-01-05 17:00
    in Shanghai is due at 09:00 UTC, and a day alone is his local midnight, which stays a day
    without a time (models/dates.is_day_only). Text that is no date is left for the writer to
    refuse with its sentence."""
    if not cell.strip():
        return cell
    try:
        return local_to_utc(parse_typed_datetime(cell))
    except TypedDateError:
        return cell


def _identifier_pairs(text: str, column: str) -> list[tuple[str, str]]:
    """A cell's identifiers: "kind:number" items as the export writes them, or plain numbers,
    of the column's kind (a 身份证 column's, `identifiers:id_card`) or, in the general column,
    of the kind their form tells."""
    kind = None if column == IDENTIFIERS else column.removeprefix(IDENTIFIER_PREFIX)
    if kind is None and "；" not in text and "：" not in text:
        # The export's own form, nearly every cell of a 100,000-row file, parsed in one go
        # (no contextlib.suppress: a context manager per cell is a tenth of the cost).
        try:
            return parse_identifiers(text)
        except TransferError:
            pass  # a plain number among the items: they are read one by one below
    pairs: list[tuple[str, str]] = []
    for item in re.split(r"[;；]", text):
        item = item.strip()
        if not item:
            continue
        named, colon, _ = item.replace("：", ":").partition(":")
        if colon and (named.strip() in IDENTIFIER_KINDS or kind is None):
            pairs.extend(parse_identifiers(item.replace("：", ":")))
        else:
            pairs.append((kind or _kind_of(item), item))
    return pairs


def _kind_of(number: str) -> str:
    key = _PLATE_NOISE.sub("", unicodedata.normalize("NFKC", number)).upper()
    if _ID_CARD.fullmatch(key):
        return IdentifierKind.ID_CARD.value
    if _CREDIT_CODE.fullmatch(key):
        return IdentifierKind.TAX_NUMBER.value
    if _PLATE.fullmatch(key):
        return IdentifierKind.LICENCE_PLATE.value
    return IdentifierKind.OTHER.value


def _identifier_kinds(columns: list[TransferColumn]) -> frozenset[str] | None:
    """The kinds a file's identifier columns hold, when none is the general column (which,
    as the export writes it, lists all of a customer's identifiers); None otherwise."""
    names = [column.name for column in columns if column.field == IDENTIFIERS]
    if not names or IDENTIFIERS in names:
        return None
    return frozenset(name.removeprefix(IDENTIFIER_PREFIX) for name in names)


def _other_identifiers(
    session: Session, customer_id: str, kinds: frozenset[str]
) -> list[tuple[str, str]]:
    """A customer's identifiers of other kinds than `kinds`: an update keeps them."""
    return [pair for pair in live_identifiers(session, customer_id) if pair[0] not in kinds]


def _check_kept_id(row_id: str, kept: dict[str, int], place: str) -> None:
    """An id a record is added with: in the form ids are made in, and once in the file."""
    try:
        canonical = str(uuid.UUID(row_id))
    except ValueError:
        canonical = None
    if canonical != row_id:
        raise _RowProblem(NOT_AN_ID, id=row_id)
    if row_id in kept:
        raise _RowProblem(REPEATED_ID, where=located(place, kept[row_id]))


def _stored_ids(session: Session, entity: str, ids: list[str]) -> dict[str, bool]:
    """Which of these ids a record of `entity` has here: id → whether it is live."""
    table = ENTITIES[entity].__tablename__
    wanted = sorted({row_id for row_id in ids if row_id})
    stored: dict[str, bool] = {}
    connection = sqlite_connection(session)
    for chunk in in_parts(wanted):
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
        for chunk in in_parts(sorted(wanted)):
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


_LINK_COLUMNS = frozenset({CUSTOMER_NAME, CUSTOMER_ADDRESS})


class _Customers:
    """The customer a row names in its `customer` column, when it leaves customer_id empty:
    the live customer of that name. A contact's customer is created when there is none,
    with the row's `address` (a business card's company); a new contact naming no customer
    at all is a private person's contact, and gets a customer of kind person of its name."""

    def __init__(
        self,
        unit: UnitOfWork,
        entity: str,
        columns: list[TransferColumn],
        prepared: dict[str, CleanedRow] | None = None,
        batch: BatchLog | None = None,
    ) -> None:
        self._unit = unit
        self._batch = batch  # remembers the customers made, for undo
        # What the writer made of each customer this file adds (by name), kept from the check
        # for the import: see RowPlan.
        self._prepared = prepared if prepared is not None else {}
        self._contacts = entity == "contacts"
        names = {column.name for column in columns}
        self._active = self._contacts or CUSTOMER_NAME in names
        self._by_name: dict[str, list[str]] | None = None
        self._addresses: dict[str, str | None] = {}
        self.created = 0
        # Customers added and not inserted yet: see insert_added.
        self._added: list[NewRow] = []

    def _read(self) -> dict[str, list[str]]:
        """Read once, when a row first names a customer: a 100,000-row file names many."""
        if self._by_name is None:
            self._by_name = {}
            # Straight from sqlite3: SQLAlchemy's rows cost more than the reading itself.
            rows = sqlite_connection(self._unit.session).execute(
                "SELECT id, name, address FROM customers WHERE deleted_at IS NULL"
            )
            for customer_id, name, address in rows:
                self._by_name.setdefault(matched_text(name), []).append(customer_id)
                self._addresses[customer_id] = address
        return self._by_name

    def link(self, values: dict[str, Any], creating: bool, may_create: bool = True) -> None:
        """Set the row's customer_id from the customer it names; raises _RowProblem. Without
        `may_create`, a company the store lacks is left unnamed instead of made."""
        if not self._active:
            return
        name = str(values.pop(CUSTOMER_NAME, None) or "").strip()
        address = str(values.pop(CUSTOMER_ADDRESS, None) or "").strip()
        given = str(values.get("customer_id") or "").strip()
        if given:
            customer_id = given  # an id says which customer; a name beside it is for reading
        elif name:
            found = self._read().get(matched_text(name), [])
            if len(found) > 1:
                raise _RowProblem(SEVERAL_CUSTOMERS, CUSTOMER_NAME, count=len(found), name=name)
            if found:
                customer_id = found[0]
            elif self._contacts and not may_create:
                return
            elif self._contacts:
                customer_id = self._create(name, CustomerKind.COMPANY, address)
                self._read()[matched_text(name)] = [customer_id]  # later rows find it
            else:
                raise _RowProblem(NO_SUCH_CUSTOMER, CUSTOMER_NAME, name=name)
        elif self._contacts and creating:
            person = str(values.get("name") or "").strip()
            if not person:
                raise _RowProblem(NO_NAME)
            # A person's name says nothing of which person: never matched to a customer.
            customer_id = self._create(person, CustomerKind.PERSON, address)
        else:
            return
        values["customer_id"] = customer_id
        if address and creating:
            self._read()  # the store's customers' addresses too
            if address != (self._addresses.get(customer_id) or ""):
                # The customer has another address, or none, which an import of contacts
                # does not change: the contact keeps it in its notes rather than lose it.
                note = QCoreApplication.translate("Transfer", ADDRESS_NOTE)
                note = note.format(address=address)
                notes = str(values.get("notes") or "").strip()
                values["notes"] = f"{notes}\n{note}" if notes else note

    def _create(self, name: str, kind: CustomerKind, address: str) -> str:
        """A new customer, the importing user's as a form's would be."""
        values = {"name": name, "kind": kind.value, "address": address or None}
        key = f"{kind.value}:{name}"
        new_row = self._unit.prepare("customers", values, reuse=self._prepared.get(key))
        if new_row.cleaned is not None:
            self._prepared[key] = new_row.cleaned
        # Inserted with the next rows written, before them: one statement for the companies of
        # a thousand cards rather than one each (and none in a check, which writes no rows).
        self._unit.expect([new_row])
        self._added.append(new_row)
        self._addresses[new_row.id] = address or None
        self.created += 1
        return new_row.id

    def insert_added(self) -> None:
        """Insert the customers added since last time: before any row that may refer to them
        is written."""
        if self._added:
            ids = self._unit.insert(self._added)
            if self._batch is not None:
                self._batch.note_made_customers(ids)
            self._added = []


@dataclass
class _Unique:
    """A column whose values no two records share: refuses a value another record has, or one
    an earlier line of the file gives."""

    session: Session
    entity: str
    name: str
    live_only: bool
    place: str
    # value → the ids of the records that have it (the store itself does not keep a
    # reference unique: two records entered by hand may share one)
    taken: dict[str, set[str]] = field(init=False)
    seen: dict[str, int] = field(init=False, default_factory=dict)  # value → its line

    def __post_init__(self) -> None:
        model = ENTITIES[self.entity]
        column = getattr(model, self.name)
        statement = select(column, model.id).where(column.is_not(None))
        if self.live_only:
            statement = statement.where(model.deleted_at.is_(None))
        self.taken = {}
        for value, record_id in self.session.execute(statement):
            self.taken.setdefault(value, set()).add(record_id)

    def check(self, values: dict[str, Any], row_id: str | None, line: int) -> None:
        value = str(values.get(self.name) or "").strip()
        if not value:
            return
        label = FIELDS_BY_NAME[self.entity][self.name].display_label()
        holders = self.taken.get(value, set())
        if row_id in holders:
            # Its own record has it already (an export imported back, say): nothing is booked
            # twice, whoever else shares it.
            return
        if holders:
            raise _RowProblem(
                TAKEN, self.name, field=label, value=value, entity=entity_label(self.entity)
            )
        if value in self.seen:
            raise _RowProblem(
                REPEATED_VALUE,
                self.name,
                field=label,
                value=value,
                where=located(self.place, self.seen[value]),
            )
        self.seen[value] = line
