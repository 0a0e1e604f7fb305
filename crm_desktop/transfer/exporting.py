"""Writing live records to CSV (UTF-8 with a BOM, so Excel on Chinese Windows reads it) or .xlsx.

Rows are read in batches from one query inside one read transaction, so 100,000 customers
stream in a few seconds without being held in memory at once, and the count a progress report
gives is the number of rows written. Times are written by the user's clock, as the window
shows them and the import reads them (cells.local_time_text), a day without a time as the day.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import func, null, select
from sqlalchemy.orm import Session

from crm_desktop.models.entities import ENTITIES, CustomerIdentifier
from crm_desktop.models.fields import Kind
from crm_desktop.storage.files import written_whole
from crm_desktop.storage.store import Store, sqlite_connection
from crm_desktop.transfer.cells import csv_row, identifiers_text, sheet_row
from crm_desktop.transfer.columns import IDENTIFIERS, transfer_columns
from crm_desktop.transfer.xlsx import SheetWriter

BATCH_SIZE = 2000
# The order a person expects to find rows in, then the id; each is a live index, so no sort step
# (products are a short price list). Contracts go by end date, as a renewal list does: a
# contract then comes after the one it renews, so an import of the file finds that one made.
ORDER_BY = {
    "customers": ("name",),
    "contacts": ("name",),
    "products": ("code",),
    "opportunities": ("title",),
    "tasks": ("title",),
    "followups": ("happened_at",),
    "contracts": ("end_on",),
    "contract_instalments": ("contract_id", "due_on"),
    "payments": ("paid_on",),
}
# A batch's identifiers in one statement straight to the driver: through SQLAlchemy, rendering
# 2,000 ids into the IN list cost more than SQLite's work. Kind then id: the order they were added.
_IDENTIFIERS_SQL = (
    "SELECT customer_id, kind, value FROM {table} "
    "WHERE deleted_at IS NULL AND customer_id IN ({marks}) ORDER BY customer_id, kind, id"
)

Progress = Callable[[int, int], None]
"""Told (rows written, rows to write) before the first batch and after each one."""


def _batches(session: Session, entity: str) -> Iterator[list[list[Any]]]:
    """Live rows in batches, each row a list of raw values in column order."""
    table = transfer_columns(entity)
    model = ENTITIES[entity]
    # Identifiers are read per batch; a NULL keeps their place in the row.
    statement = select(
        *(null() if column.expr is None else column.expr for column in table.columns)
    ).select_from(model)
    for target, on in table.joins:
        statement = statement.outerjoin(target, on)
    statement = statement.where(model.deleted_at.is_(None)).order_by(
        *(getattr(model, name) for name in ORDER_BY[entity]), model.id
    )
    names = [column.name for column in table.columns]
    # Core rather than the ORM session: plain rows, without building ORM results for each.
    result = session.connection().execute(statement.execution_options(yield_per=BATCH_SIZE))
    for partition in result.partitions():
        rows = [list(row) for row in partition]
        if IDENTIFIERS in names:
            _add_identifiers(session, rows, names.index("id"), names.index(IDENTIFIERS))
        yield rows


def _add_identifiers(session: Session, rows: list[list[Any]], id_at: int, put_at: int) -> None:
    wanted: dict[str, list[tuple[str, str]]] = {row[id_at]: [] for row in rows}
    sql = _IDENTIFIERS_SQL.format(
        table=CustomerIdentifier.__tablename__, marks=",".join("?" * len(wanted))
    )
    for customer_id, kind, value in sqlite_connection(session).execute(sql, list(wanted)):
        wanted[customer_id].append((kind, value))
    for row in rows:
        row[put_at] = identifiers_text(wanted[row[id_at]])


def _live_count(session: Session, entity: str) -> int:
    model = ENTITIES[entity]
    live = select(func.count()).select_from(model).where(model.deleted_at.is_(None))
    return session.scalar(live) or 0


def _export(
    store: Store,
    entity: str,
    convert: Callable[[list[Any]], None],
    write: Callable[[list[list[Any]]], object],
    progress: Progress | None,
) -> int:
    """Every live row, in batches, through `convert` (a row in place) and then `write`."""
    report = progress or _unreported
    count = 0
    # One read transaction: the count and the rows come from the same snapshot.
    with store.read() as session:
        total = _live_count(session, entity)
        report(0, total)
        for rows in _batches(session, entity):
            for row in rows:
                convert(row)
            write(rows)
            count += len(rows)
            report(count, total)
    return count


def _unreported(done: int, total: int) -> None:
    pass


def _kinds(entity: str) -> list[Kind]:
    return [column.kind for column in transfer_columns(entity).columns]


def _header(entity: str) -> list[str]:
    return [column.name for column in transfer_columns(entity).columns]


def export_csv(store: Store, entity: str, stream: TextIO, progress: Progress | None = None) -> int:
    """Write the header and every live row to an open text stream; returns the row count."""
    writer = csv.writer(stream)
    writer.writerow(_header(entity))
    # csv_row guards text cells against running as formulas; csv writes None as an empty cell
    # and str()s numbers itself.
    return _export(store, entity, csv_row(_kinds(entity)), writer.writerows, progress)


def export_csv_file(store: Store, entity: str, path: Path, progress: Progress | None = None) -> int:
    """The CSV written whole or not at all (storage/files.py): an export stopped half-way, or
    failing on a full disk, leaves last week's file of that name as it was."""
    # utf-8-sig writes the BOM Excel needs to read UTF-8 rather than the system code page.
    with written_whole(path) as partial, partial.open("w", encoding="utf-8-sig", newline="") as out:
        return export_csv(store, entity, out, progress)


def export_xlsx(store: Store, entity: str, path: Path, progress: Progress | None = None) -> int:
    """Write an .xlsx workbook with one sheet named after the entity; returns the row count.

    Text goes in as text cells, which a sheet shows as text whatever they start with (+86...,
    -5, =1+1, @sum), so unlike CSV they need no mark; money, integers and numbers go in as
    numbers a sheet can sum; dates stay text (see `cells.sheet_value`). Written whole or not
    at all (storage/files.py): a failed export leaves the file it was to replace as it was.
    """
    with written_whole(path) as partial, SheetWriter(partial, entity) as sheet:
        sheet.write_rows([_header(entity)])
        return _export(store, entity, sheet_row(_kinds(entity)), sheet.write_rows, progress)
