"""Writing live records to CSV (UTF-8 with a BOM, so Excel on Chinese Windows reads it) or .xlsx.

Rows are read in batches from one query, so 100,000 customers stream in a few seconds without
being held in memory at once. Times are written as stored: UTC.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy import null, select
from sqlalchemy.orm import Session

from crm_desktop.models.entities import ENTITIES, CustomerIdentifier
from crm_desktop.models.fields import Kind
from crm_desktop.storage.store import Store
from crm_desktop.transfer.cells import (
    CONVERTED_KINDS,
    NUMBER_KINDS,
    csv_cell,
    identifiers_text,
    sheet_value,
)
from crm_desktop.transfer.columns import IDENTIFIERS, TransferColumn, transfer_columns

BATCH_SIZE = 2000
# The order a person expects to find rows in; each is a live index, so no sort step.
ORDER_BY = {
    "customers": "name",
    "contacts": "name",
    "opportunities": "title",
    "tasks": "title",
    "followups": "happened_at",
}


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
        getattr(model, ORDER_BY[entity]), model.id
    )
    names = [column.name for column in table.columns]
    result = session.execute(statement.execution_options(yield_per=BATCH_SIZE))
    for partition in result.partitions():
        rows = [list(row) for row in partition]
        if IDENTIFIERS in names:
            _add_identifiers(session, rows, names.index("id"), names.index(IDENTIFIERS))
        yield rows


def _add_identifiers(session: Session, rows: list[list[Any]], id_at: int, put_at: int) -> None:
    wanted: dict[str, list[tuple[str, str]]] = {row[id_at]: [] for row in rows}
    found = session.execute(
        select(CustomerIdentifier.customer_id, CustomerIdentifier.kind, CustomerIdentifier.value)
        .where(
            CustomerIdentifier.customer_id.in_(list(wanted)),
            CustomerIdentifier.deleted_at.is_(None),
        )
        .order_by(CustomerIdentifier.customer_id, CustomerIdentifier.kind, CustomerIdentifier.id)
    )
    for customer_id, kind, value in found:
        wanted[customer_id].append((kind, value))
    for row in rows:
        row[put_at] = identifiers_text(wanted[row[id_at]])


def _converted(
    columns: tuple[TransferColumn, ...],
    batches: Iterator[list[list[Any]]],
    convert: Any,
    kinds: frozenset[Kind],
) -> Iterator[list[list[Any]]]:
    """Batches with `convert(kind, value)` applied to the columns whose kind is in `kinds`."""
    targets = [
        (position, column.kind) for position, column in enumerate(columns) if column.kind in kinds
    ]
    for rows in batches:
        for row in rows:
            for position, kind in targets:
                row[position] = convert(kind, row[position])
        yield rows


def _columns(entity: str) -> tuple[TransferColumn, ...]:
    return transfer_columns(entity).columns


def export_csv(store: Store, entity: str, stream: TextIO) -> int:
    """Write the header and every live row to an open text stream; returns the row count."""
    columns = _columns(entity)
    writer = csv.writer(stream)
    writer.writerow([column.name for column in columns])
    count = 0
    with store.read() as session:
        # Every column: csv_cell also guards text cells against running as formulas.
        for rows in _converted(columns, _batches(session, entity), csv_cell, frozenset(Kind)):
            # csv writes None as an empty cell and str()s numbers itself.
            writer.writerows(rows)
            count += len(rows)
    return count


def export_csv_file(store: Store, entity: str, path: Path) -> int:
    # utf-8-sig writes the BOM Excel needs to read UTF-8 rather than the system code page.
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        return export_csv(store, entity, stream)


def export_xlsx(store: Store, entity: str, path: Path) -> int:
    """Write an .xlsx workbook with one sheet named after the entity; returns the row count."""
    # Imported here: openpyxl is slow to load and only needed here.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES

    columns = _columns(entity)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(entity)
    sheet.append([column.name for column in columns])
    # A text cell in a workbook is shown as text, whatever it starts with (+86..., -5, @sum), so
    # unlike CSV it needs no mark. Only openpyxl itself guesses: a str starting with "=" becomes a
    # formula and "#N/A" an error value, so those are written as explicit string cells.
    texts = [position for position, column in enumerate(columns) if column.kind not in NUMBER_KINDS]

    def as_text(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value)
        cell.data_type = "s"
        return cell

    count = 0
    with store.read() as session:
        for rows in _converted(columns, _batches(session, entity), sheet_value, CONVERTED_KINDS):
            for row in rows:
                for position in texts:
                    value = row[position]
                    if value and value[0] in "=#" and (value[0] == "=" or value in ERROR_CODES):
                        row[position] = as_text(value)
                sheet.append(row)
            count += len(rows)
    workbook.save(path)
    return count
