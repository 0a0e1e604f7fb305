"""An import in steps, for the window's wizard and the command line's --dry-run: read the file,
choose what each column is, check every row and look for duplicates (writing nothing), then
import with the user's decisions, and undo it.

Every function that touches the store or the file runs on the storage thread; `mapping_problem`
is pure and may run on the GUI thread.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from crm_desktop.duplicates import DuplicateIndex, Match, reasons_text
from crm_desktop.duplicates.records import without_cyclic_gc
from crm_desktop.models.fields import entity_label
from crm_desktop.models.validation import run_on
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.derived import CleanedRow
from crm_desktop.services.writer import Writer
from crm_desktop.storage.files import written_whole
from crm_desktop.transfer.columns import transfer_columns
from crm_desktop.transfer.contact_persons import (
    contacts_added_text,
)
from crm_desktop.transfer.errors import TransferError
from crm_desktop.transfer.headers import (
    CUSTOMER_NAME,
    RECORD_ID,
    default_mapping,
    mapping_targets,
    remember_mapping,
)
from crm_desktop.transfer.importing import (
    ROW_PROBLEM,
    Decision,
    ImportCancelled,
    ImportSummary,
    RowPlan,
    RowReport,
    import_table,
    mapped_table,
)
from crm_desktop.transfer.labels import target_label
from crm_desktop.transfer.reading import (
    FileTable,
    detect_encoding,
    located,
    read_table,
    sheet_names,
)
from crm_desktop.transfer.undo import BatchLog, ImportUndone, undo_import

__all__ = [
    "Decision",
    "ImportCancelled",
    "ImportOutcome",
    "ImportUndone",
    "MappingChoice",
    "OpenedFile",
    "StagedRow",
    "Staging",
    "mapping_for",
    "mapping_problem",
    "open_file",
    "remember",
    "run",
    "save_problems",
    "save_skipped",
    "stage",
    "undo",
    "undo_batch",
    "undone_text",
]

T = QT_TRANSLATE_NOOP
NOTHING_CHOSEN = T("Transfer", "Choose at least one column to import.")
SUMMARY = T("Transfer", "Added {added}, updated {updated}, skipped {skipped}.")
ADDED_CUSTOMERS = T("Transfer", "Added {count} new customer records for them.")
LINE_HEADER = T("Transfer", "Line")
ROW_HEADER = T("Transfer", "Row")
WHY_HEADER = T("Transfer", "Why it was skipped")
TO_CORRECT_HEADER = T("Transfer", "What to correct")
DUPLICATE_SKIPPED = T("Transfer", "It looks like {name}, which you chose to keep as it is.")
UPDATE_SKIPPED = T(
    "Transfer", "It would change a record you already have, which you chose to keep as it is."
)
OF_THIS_FILE = {
    "line": T("Transfer", "line {line} of this file"),
    "row": T("Transfer", "row {line} of this file"),
}
# A name and what is said of it, as one line: a language writes its own colon (Chinese ：).
NAMED = T("Transfer", "{name}: {reason}")
NAMED_AT = T("Transfer", "{name} ({place}): {reason}")
# Decisions a row that looks like a stored record starts with: nothing is changed unasked.
DEFAULT_DECISION = Decision.SKIP
UNDONE = T("Transfer", "The import was undone.")
# With a count: lupdate reads the plural from resources/translations/extra_sources.py.
UNDONE_KEPT = (
    "The import was undone; %n of the records it added stay, because they were changed or "
    "had something added to them since."
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Transfer", text)


# -- the file ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenedFile:
    table: FileTable
    detected: str | None  # the encoding a text file was found to be in
    sheets: list[str]  # a workbook's sheets


def open_file(path: Path, encoding: str | None = None, sheet: str | None = None) -> OpenedFile:
    """Read a file for the wizard: its table, and what the user may change about the reading."""
    if path.suffix.lower() == ".xlsx":
        # Without a sheet, read_table's own choice: the first with a list, past a cover page.
        return OpenedFile(read_table(path, sheet=sheet), None, sheet_names(path))
    table = read_table(path, encoding=encoding, sheet=sheet)
    return OpenedFile(table, detect_encoding(path), [])


# -- the columns ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MappingChoice:
    columns: dict[int, str | None]
    origin: str  # "exact", "remembered" or "guessed"
    targets: list[tuple[str, str]]  # (target, what a person reads) for each possible target


def _imported(entity: str, target: str) -> bool:
    """Whether an import reads a column read as `target`: not one the export writes for
    reading only (a customer's last follow-up, which its follow-ups set)."""
    column = transfer_columns(entity).by_name().get(target)
    return (
        column is None
        or column.field is not None
        or column.number_of is not None
        or (target in (RECORD_ID, CUSTOMER_NAME))
    )


def mapping_for(
    writer: Writer,
    entity: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]] | None = None,
) -> MappingChoice:
    """The columns as last remembered for this header, else as guessed; `rows` (the file's
    cells) let an "ID" column be read as records' ids only when it holds this program's."""
    with writer.store.read() as session:
        found = default_mapping(session, entity, header, rows)
    # A column only the export writes (for reading) is shown as left out: it is.
    columns = {
        at: target if target is None or _imported(entity, target) else None
        for at, target in found.columns.items()
    }
    targets = [
        (target, target_label(entity, target))
        for target in mapping_targets(entity)
        if _imported(entity, target)
    ]
    return MappingChoice(columns, found.origin, targets)


def mapping_problem(entity: str, header: Sequence[str], mapping: dict[int, str | None]) -> str:
    """Why a mapping cannot be used ("" when it can): two columns read as one field, or none."""
    if not any(target is not None for target in mapping.values()):
        return _tr(NOTHING_CHOSEN)
    try:
        mapped_table(entity, FileTable(list(header), [], "line"), mapping)
    except TransferError as error:
        return str(error)
    return ""


def remember(
    writer: Writer, entity: str, header: Sequence[str], mapping: dict[int, str | None]
) -> None:
    with writer.store.write() as session:
        remember_mapping(session, entity, header, mapping)


# -- checking ---------------------------------------------------------------------------------


@dataclass
class StagedRow:
    line: int
    cells: list[str]  # one per Staging.targets
    problems: dict[str, str]  # target ("" for the row as a whole) → why
    matches: list[Match]
    title: str  # what the row is called (its name), for the duplicates list
    updates: bool | None = None  # as RowReport.updates: changes, leaves, or (None) adds one

    @property
    def updatable(self) -> bool:
        """Whether the row looks like a stored record (which it could update)."""
        return any(match.record_id for match in self.matches)


@dataclass
class Staging:
    """A file checked against the store, with what the user decided about its rows."""

    writer_region: str
    entity: str
    table: FileTable  # the file as read, every column
    mapping: dict[int, str | None]
    targets: list[str]  # the mapped targets, in file order
    labels: list[str]  # what a person reads for each target
    rows: list[StagedRow]
    decisions: dict[int, Decision] = field(default_factory=dict)
    # What the rows that name a stored record by its id (an export brought back) do to it when
    # they would change it: OVERWRITE, FILL, or SKIP; None (not chosen) skips them too, as a
    # file from last month would otherwise undo this month's edits unasked.
    updating: Decision | None = None
    outcome: ImportOutcome | None = None
    _by_line: dict[int, StagedRow] = field(default_factory=dict, repr=False)
    # What the writer made of each new record's values in the check (line → CleanedRow), and
    # of the customers the cards' companies add (see RowPlan): the import cleans again only
    # what changed since.
    prepared: dict[int, CleanedRow] = field(default_factory=dict, repr=False)
    customers_prepared: dict[str, CleanedRow] = field(default_factory=dict, repr=False)
    customers_created: int = 0  # the customers the check found the rows would add (a card's)

    def place_label(self) -> str:
        return _tr(LINE_HEADER if self.table.place == "line" else ROW_HEADER)

    def new_companies(self) -> list[str]:
        """The companies the rows without problems name that are not among the customers,
        which the import adds (a card's company): one written otherwise than the stored
        customer's name (有限责任公司 for 有限公司) shows here before it is added beside it."""
        if CUSTOMER_NAME not in self.targets:
            return []
        made = {
            cleaned.given["name"]
            for key, cleaned in self.customers_prepared.items()
            if key.startswith("company:")
        }
        at = self.targets.index(CUSTOMER_NAME)
        named = {row.cells[at].strip() for row in self.rows if not row.problems}
        return sorted(made & named)

    def problem_rows(self) -> list[StagedRow]:
        return [row for row in self.rows if row.problems]

    def duplicate_rows(self, skip_bad: bool = True) -> list[StagedRow]:
        return [row for row in self.rows if row.matches and not (skip_bad and row.problems)]

    def updating_rows(self) -> list[StagedRow]:
        """The rows without problems that name a stored record by its id and would change it."""
        return [row for row in self.rows if row.updates and not row.problems]

    def row_at(self, line: int) -> StagedRow:
        if len(self._by_line) != len(self.rows):
            self._by_line = {row.line: row for row in self.rows}
        return self._by_line[line]

    def decision(self, line: int) -> Decision:
        return self.decisions.get(line, DEFAULT_DECISION)

    def decide(self, line: int, decision: Decision) -> None:
        self.decisions[line] = decision

    def match_text(self, match: Match) -> str:
        reasons = reasons_text(match.reasons, self.writer_region)
        if match.record_id is None:
            place = _tr(OF_THIS_FILE[self.table.place]).format(line=match.row)
            return _tr(NAMED_AT).format(name=match.name, place=place, reason=reasons)
        return _tr(NAMED).format(name=match.name, reason=reasons)


def stage(
    writer: Writer,
    entity: str,
    table: FileTable,
    mapping: dict[int, str | None],
    region: str,
    cancelled: Callable[[], bool] | None = None,
    *,
    update: bool = True,
    keep_ids: bool = False,
) -> Staging:
    """Check every row of the file as the import would, and find the rows that look like
    stored records or earlier rows; nothing is written. `update` and `keep_ids` as the import
    will have them (the window's import updates the records a row's id names, as the user
    chooses: Staging.updating)."""
    plan = RowPlan(region=region, check=True, cancelled=cancelled)
    summary = import_table(
        writer, entity, table, update=update, keep_ids=keep_ids, mapping=mapping, plan=plan
    )
    mapped, _columns = mapped_table(entity, table, mapping)
    targets = list(mapped.header)
    reports = {report.line: report for report in plan.reports}
    with without_cyclic_gc():  # a row each: see import_table
        rows = [
            _staged_row(line, cells, reports.get(line, RowReport(line)), targets)
            for line, cells in mapped.rows
        ]
    labels = [target_label(entity, target) for target in targets]
    staged = Staging(region, entity, table, dict(mapping), targets, labels, rows)
    staged.prepared = plan.prepared
    staged.customers_prepared = plan.customers_prepared
    staged.customers_created = summary.customers_created
    return staged


def _staged_row(line: int, cells: list[str], report: RowReport, targets: list[str]) -> StagedRow:
    title = ""
    for wanted in ("name", "title", "number", "code", "customer"):
        if wanted in targets:
            title = cells[targets.index(wanted)].strip()
            if title:
                break
    # The report's own problems and matches: each report is made for its row alone and
    # dropped after the check (a copy each would be 200,000 more objects at 100,000 rows).
    return StagedRow(line, list(cells), report.problems, report.matches, title, report.updates)


def recheck(
    writer: Writer, staged: Staging, row: int, column: int, text: str, region: str
) -> StagedRow:
    """A cell corrected in the preview: the row's cell changes, and the row is checked again
    (in the file's context: the store, not the other rows)."""
    target = staged.rows[row]
    target.cells[column] = text
    positions = [at for at, chosen in sorted(staged.mapping.items()) if chosen is not None]
    line, cells = next((line, cells) for line, cells in staged.table.rows if line == target.line)
    cells[positions[column]] = text
    single = FileTable(staged.table.header, [(line, cells)], staged.table.place)
    plan = RowPlan(region=region, check=True)
    import_table(writer, staged.entity, single, update=True, mapping=staged.mapping, plan=plan)
    report = plan.reports[0] if plan.reports else RowReport(line)
    # What the import will reuse: the row as it is now (prepare compares the values anyway).
    staged.prepared.pop(line, None)
    if line in plan.prepared:
        staged.prepared[line] = plan.prepared[line]
    target.problems = dict(report.problems)
    target.matches = [match for match in report.matches if match.record_id is not None]
    target.updates = report.updates  # a corrected id, or a row no longer refused
    _rematch_in_file(staged, row)
    return target


def _rematch_in_file(staged: Staging, at: int) -> None:
    """The file's own duplicates around a row checked again alone: the earlier rows it repeats
    (the check of the whole file found those, and a check of the row alone cannot), and the
    later rows that repeat it. A row refused before was never one a later row could repeat,
    so correcting it must look again both ways, or its copy goes in unflagged."""
    if staged.entity not in ("customers", "contacts"):
        return
    target = staged.rows[at]
    for other in staged.rows:
        other.matches = [match for match in other.matches if match.row != target.line]
    mine = None if target.problems else _row_values(staged, target.line)
    if mine is None:
        return
    earlier = DuplicateIndex(staged.entity, staged.writer_region)
    for row in staged.rows[:at]:
        values = None if row.problems else _row_values(staged, row.line)
        if values is not None:
            earlier.add(values, row.line)
    target.matches += [match for match in earlier.matches(mine) if match.record_id is None]
    alone = DuplicateIndex(staged.entity, staged.writer_region)
    alone.add(mine, target.line)
    for row in staged.rows[at + 1 :]:
        values = None if row.problems else _row_values(staged, row.line)
        if values is not None:
            row.matches += alone.matches(values)


def _row_values(staged: Staging, line: int) -> dict[str, Any] | None:
    """The writer's values of a row the check found importable as a new record (None for
    another row): as the check looked it up among the duplicates."""
    cleaned = staged.prepared.get(line)
    if cleaned is None:
        return None
    values = dict(cleaned.given)
    if cleaned.identifiers_given is not None:
        values["identifiers"] = cleaned.identifiers_given
    return values


# -- importing --------------------------------------------------------------------------------


@dataclass
class ImportOutcome:
    entity: str
    batch_id: str
    added: int
    updated: int
    customers_created: int
    # (line, why, the row's cells as in the file) for every row not imported
    skipped: list[tuple[int, str, list[str]]]
    header: list[str]
    place: str
    # Contacts added for the rows' contact persons (a customer list's 联系人 column).
    contacts_created: int = 0

    def text(self) -> str:
        text = _tr(SUMMARY).format(
            added=self.added, updated=self.updated, skipped=len(self.skipped)
        )
        text = run_on(
            text,
            _tr(ADDED_CUSTOMERS).format(count=self.customers_created)
            if self.customers_created
            else "",
            contacts_added_text(self.contacts_created) if self.contacts_created else "",
        )
        return _tr(NAMED).format(name=entity_label(self.entity).capitalize(), reason=text)


def plan_for(staged: Staging, skip_bad: bool, region: str) -> RowPlan:
    """The rows to skip (with why) and to update, from the check and the user's decisions."""
    plan = RowPlan(region=region)
    for row in staged.rows:
        if row.problems:
            if skip_bad:
                plan.skip[row.line] = " ".join(row.problems.values())
            continue
        if row.updates:
            _plan_update(plan, staged, row)
            continue
        if not row.matches:
            continue
        decision = staged.decision(row.line)
        stored = next((match for match in row.matches if match.record_id), None)
        if decision is Decision.SKIP:
            plan.skip[row.line] = _tr(DUPLICATE_SKIPPED).format(name=row.matches[0].name)
        elif decision in (Decision.FILL, Decision.OVERWRITE) and stored is not None:
            assert stored.record_id is not None
            plan.updates[row.line] = (stored.record_id, decision is Decision.OVERWRITE)
        elif decision in (Decision.FILL, Decision.OVERWRITE):
            # Like an earlier row only: the record that row adds is the one to update.
            earlier = next(match.row for match in row.matches if isinstance(match.row, int))
            plan.file_updates[row.line] = (earlier, decision is Decision.OVERWRITE)
    return plan


def _plan_update(plan: RowPlan, staged: Staging, row: StagedRow) -> None:
    """A row naming a stored record it would change: as `staged.updating` says."""
    decision = staged.updating
    if decision in (Decision.FILL, Decision.OVERWRITE):
        row_id = row.cells[staged.targets.index("id")].strip()
        plan.updates[row.line] = (row_id, decision is Decision.OVERWRITE)
    else:
        plan.skip[row.line] = _tr(UPDATE_SKIPPED)


def run(
    writer: Writer,
    staged: Staging,
    file_name: str,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    skip_bad: bool = True,
) -> ChangeSet:
    """Import the checked file with the user's decisions, in one transaction; the outcome is
    left on `staged.outcome`. Raises ImportCancelled (nothing kept) when cancelled."""
    plan = plan_for(staged, skip_bad, staged.writer_region)
    plan.cancelled = cancelled
    plan.prepared = staged.prepared
    plan.customers_prepared = staged.customers_prepared
    plan.batch = BatchLog(staged.entity, file_name)
    summary: ImportSummary = import_table(
        writer,
        staged.entity,
        staged.table,
        update=True,
        mapping=staged.mapping,
        progress=progress,
        plan=plan,
    )
    cells = dict(staged.table.rows)
    staged.outcome = ImportOutcome(
        staged.entity,
        plan.batch.id,
        summary.created,
        summary.updated,
        summary.customers_created,
        sorted((line, why, cells.get(line, [])) for line, why in plan.skipped),
        list(staged.table.header),
        staged.table.place,
        summary.contacts_created,
    )
    changes = ChangeSet.everything({staged.entity, "customers", "contacts"})
    changes.primary_id = plan.batch.id
    return changes


def save_skipped(outcome: ImportOutcome, path: Path) -> None:
    """The skipped rows as a CSV that opens in Excel: the file's own columns, then why."""
    place = _tr(LINE_HEADER if outcome.place == "line" else ROW_HEADER)
    _write_rows(path, [place, *outcome.header, _tr(WHY_HEADER)], outcome.skipped)


def save_problems(staged: Staging, path: Path) -> None:
    """The rows with problems as a CSV that opens in Excel, for a user who stops to correct
    the file: each row's line, its cells as the check holds them (a cell the user corrected
    in the check as he typed it, which the file still lacks), and what is left to correct, one
    problem a line (the row's own first, then by column)."""
    cells = dict(staged.table.rows)
    order = {target: at for at, target in enumerate(["", *staged.targets])}

    def what_to_correct(row: StagedRow) -> str:
        keys = sorted(row.problems, key=lambda key: order.get(key, len(order)))
        return "\n".join(row.problems[key] for key in keys)

    problems = [(row.line, what_to_correct(row), cells[row.line]) for row in staged.problem_rows()]
    header = [staged.place_label(), *staged.table.header, _tr(TO_CORRECT_HEADER)]
    _write_rows(path, header, problems)


def _write_rows(path: Path, header: list[str], rows: list[tuple[int, str, list[str]]]) -> None:
    """(line, why, cells) rows under a header, UTF-8 with the mark Excel needs to read it."""
    with written_whole(path) as partial, partial.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for line, why, cells in rows:
            writer.writerow([line, *cells, why])


def undo(writer: Writer, outcome: ImportOutcome) -> ImportUndone:
    return undo_batch(writer, outcome.batch_id, outcome.entity)


def undone_text(undone: ImportUndone) -> str:
    """What the user is told once an import is undone: how many of its records stay, when any
    do, and why."""
    if not undone.kept:
        return _tr(UNDONE)
    return QCoreApplication.translate("Transfer", UNDONE_KEPT, "", undone.kept)


def undo_batch(writer: Writer, batch_id: str, entity: str) -> ImportUndone:
    """Undo the import `batch_id` of `entity` records (also from the list of recent imports,
    after its wizard is closed)."""
    changes = undo_import(writer, batch_id)
    changes.reload |= {entity, "customers", "contacts"}
    return changes


def describe(staged: Staging) -> list[str]:
    """What an import of the checked file would do, line by line (the command line's
    --dry-run): rows refused and why, rows like a stored record and which, and the totals."""
    lines = []
    place = staged.table.place
    refused = added = updated = alike = 0
    for row in staged.rows:
        if row.problems:
            refused += 1
            reason = " ".join(row.problems.values())
            where = located(place, row.line)
            lines.append(_tr(ROW_PROBLEM).format(where=where, reason=reason))
            continue
        if row.updates is not None:
            updated += row.updates  # one that holds the row's values already is left alone
            continue
        added += 1
        alike += bool(row.matches)  # a row, however many records it looks like
        for match in row.matches:
            lines.append(
                _tr(LOOKS_LIKE[staged.table.place]).format(
                    line=row.line, what=staged.match_text(match)
                )
            )
    lines.append(
        _tr(WOULD).format(
            added=added,
            updated=updated,
            refused=refused,
            alike=alike,
            entity=entity_label(staged.entity),
        )
    )
    if staged.customers_created:
        lines[-1] = run_on(
            lines[-1], _tr(WOULD_ADD_CUSTOMERS).format(count=staged.customers_created)
        )
    return lines


LOOKS_LIKE = {
    "line": T("Transfer", "Line {line} looks like {what}"),
    "row": T("Transfer", "Row {line} looks like {what}"),
}
WOULD = T(
    "Transfer",
    "Would add {added}, update {updated} and refuse {refused} of the file's {entity} records "
    "({alike} of those it adds look like a record here or an earlier row of the file); nothing "
    "was changed.",
)
WOULD_ADD_CUSTOMERS = T("Transfer", "The contacts would add {count} new customer records.")
