"""`crm-desktop import FILE`: add records from a CSV, .xlsx or vCard file, or update them with
--update.

The whole file is one transaction: if any row is refused, the reasons are listed (with their
line numbers) and nothing at all is imported. With --keep-ids, records exported from another
profile come in under their own ids, so the files of linked records (customers, then their
contracts, then the contracts' payments) keep their links.

With --dry-run nothing is written: the command says what the import would add, update and
refuse, and which rows look like records already here (or like earlier rows), and why.

A file from another program needs no renaming of its columns: its header is read as the
window would read it (the mapping confirmed there for this header, else a guess from words
such as 客户名称 or 手机), and the command says how it read the columns before importing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from crm_desktop.commands.errors import UserError
from crm_desktop.commands.progress import records_progress_line
from crm_desktop.profile import Profile, open_profile
from crm_desktop.transfer import TRANSFER_ENTITIES, ImportFailed, TransferError
from crm_desktop.transfer.headers import exact_mapping
from crm_desktop.transfer.importing import file_mapping, import_table
from crm_desktop.transfer.reading import ENCODINGS, XLSX_SUFFIX, FileTable, located, read_table
from crm_desktop.transfer.staging import Staging, describe, stage, target_label
from crm_desktop.transfer.staging import run as run_staged
from crm_desktop.transfer.undo import BatchLog

translate = QCoreApplication.translate

T = QT_TRANSLATE_NOOP
PROGRESS = T("Transfer", "Checking and importing {entity} records: {done} of {total}")
READ_AS = T("Transfer", "Reading the file's columns as: {pairs}.")
READ_AS_PAIR = T("Transfer", "“{column}” as {target}")
LEFT_OUT = T("Transfer", "Leaving out the columns: {columns}.")
STOPPED_THERE = T("Transfer", "Checking stopped there; the rest of the file may have problems too.")
NOTHING_IMPORTED = T("Transfer", "Nothing was imported; fix these rows and try again.")
SKIPPED_LINE = T("Transfer", "Skipped {where}: {why}")


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help=translate(
            "CommandLine", "add or update records from a CSV, .xlsx or vCard (.vcf) file"
        ),
        description=translate(
            "CommandLine",
            "Rows without an id are added. With --update, rows with an id change "
            "only the columns the file has. With --keep-ids, a row whose id no record here has "
            "adds its record with that id. Any bad row stops the import; nothing is "
            "half-imported. Columns may have the export's names or the words people use "
            "(客户名称, 手机, 身份证...); a business card file is imported as contacts, each "
            "card's company as their customer.",
        ),
    )
    parser.add_argument(
        "file",
        type=Path,
        metavar="FILE",
        help=translate(
            "CommandLine",
            "a .csv or tab-separated .txt file, an .xlsx workbook or a .vcf file of cards",
        ),
    )
    parser.add_argument("--entity", required=True, choices=TRANSFER_ENTITIES)
    parser.add_argument(
        "--update",
        action="store_true",
        help=translate("CommandLine", "let rows with an id change existing records"),
    )
    parser.add_argument(
        "--keep-ids",
        action="store_true",
        help=translate(
            "CommandLine",
            "add rows whose id no record here has under that id (records from another "
            "profile: import customers first, then what links to them)",
        ),
    )
    parser.add_argument(
        "--encoding",
        metavar="NAME",
        help=translate(
            "CommandLine",
            "the text file's encoding, when the one detected is wrong (for example {names}; "
            "gbk reads as gb18030)",
        ).format(names=", ".join(ENCODINGS)),
    )
    parser.add_argument(
        "--sheet",
        metavar="NAME",
        help=translate(
            "CommandLine", "the workbook's sheet to read (default: the first with a list on it)"
        ),
    )
    parser.add_argument(
        "--leave-out",
        action="append",
        default=[],
        metavar="COLUMN",
        help=translate(
            "CommandLine",
            "a column of the file not to import, as its header names it (repeat for each; "
            "a column of row numbers such as 序号 is left out by itself)",
        ),
    )
    parser.add_argument(
        "--skip-duplicates",
        action="store_true",
        help=translate(
            "CommandLine",
            "leave out the rows that look like records already here or like earlier rows of "
            "the file, as the window does unless told otherwise (--dry-run lists them)",
        ),
    )
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help=translate(
            "CommandLine",
            "change nothing: say what would be added, updated and refused, and which rows "
            "look like records already here (and why)",
        ),
    )
    return parser


def run(args: argparse.Namespace) -> int:
    if args.sheet is not None and args.file.suffix.lower() != XLSX_SUFFIX:
        # Said before anything is read: a sheet asked of a CSV would otherwise be ignored.
        message = translate(
            "CommandLine", "--sheet names a sheet of an .xlsx workbook; {file} has no sheets."
        )
        raise UserError(message.format(file=args.file.name))
    profile = open_profile(args.profile)
    line = None
    try:
        table = read_table(args.file, encoding=args.encoding, sheet=args.sheet)
        mapping = file_mapping(profile.writer(), args.entity, table, args.leave_out)
        _say_how_columns_are_read(args.entity, table, mapping)
        if args.dry_run:
            return _dry_run(profile, args, table, mapping)
        if args.skip_duplicates:
            return _without_duplicates(profile, args, table, mapping)
        line = records_progress_line(PROGRESS, args.entity)
        summary = import_table(
            profile.writer(),
            args.entity,
            table,
            mapping=mapping,
            update=args.update,
            keep_ids=args.keep_ids,
            progress=line,
            # Listed in the window's File → Recent imports, which can undo it later.
            batch=BatchLog(args.entity, args.file.name),
        )
    except TransferError as error:
        raise UserError(str(error)) from None
    except ImportFailed as failure:
        for problem in failure.problems:
            print(problem, file=sys.stderr)
        if failure.more:
            print(translate("Transfer", STOPPED_THERE), file=sys.stderr)
        print(f"crm-desktop: {translate('Transfer', NOTHING_IMPORTED)}", file=sys.stderr)
        return 1
    finally:
        if line is not None:
            line.finish()  # before any sentence that follows, error or summary
        profile.close()
    print(summary.text())
    return 0


def _staged(
    profile: Profile, args: argparse.Namespace, table: FileTable, mapping: dict[int, str | None]
) -> Staging:
    """Every row checked as the import with the same options would, and the rows that look
    like records found; nothing written."""
    return stage(
        profile.writer(),
        args.entity,
        table,
        mapping,
        profile.region,
        update=args.update,
        keep_ids=args.keep_ids,
    )


def _dry_run(
    profile: Profile, args: argparse.Namespace, table: FileTable, mapping: dict[int, str | None]
) -> int:
    """Check every row as the import with the same options would, and look for duplicates;
    write nothing."""
    staged = _staged(profile, args, table, mapping)
    for sentence in describe(staged):
        print(sentence)
    # As the import itself would: a file with a row it would refuse does not pass.
    return 1 if staged.problem_rows() else 0


def _without_duplicates(
    profile: Profile, args: argparse.Namespace, table: FileTable, mapping: dict[int, str | None]
) -> int:
    """Check every row and find those that look like records (as --dry-run does), then import
    the others, as the window's import with its default decisions: a row refused stops it all,
    as any import from the command line."""
    writer = profile.writer()
    staged = _staged(profile, args, table, mapping)
    if staged.problem_rows():
        for sentence in describe(staged)[:-1]:
            print(sentence, file=sys.stderr)
        print(f"crm-desktop: {translate('Transfer', NOTHING_IMPORTED)}", file=sys.stderr)
        return 1
    run_staged(writer, staged, args.file.name, skip_bad=False)
    assert staged.outcome is not None
    print(staged.outcome.text())
    for line, why, _cells in staged.outcome.skipped:
        where = located(staged.table.place, line)
        print("  " + translate("Transfer", SKIPPED_LINE).format(where=where, why=why))
    return 0


def _say_how_columns_are_read(
    entity: str, table: FileTable, mapping: dict[int, str | None]
) -> None:
    """One line naming each column's target when the header is not the export's own, so a
    guess that went wrong is seen before it is imported, and one naming the columns left out
    (`mapping`: file_mapping's, which checked the guess)."""
    if table.source == "vcard":
        return  # its columns are the contact export's own (import_table checks the entity)
    exact = exact_mapping(entity, table.header) is not None  # the export's own header
    translate = QCoreApplication.translate
    pair = translate("Transfer", READ_AS_PAIR)
    pairs = [
        pair.format(column=table.header[at], target=target_label(entity, target))
        for at, target in sorted(mapping.items())
        if target is not None
    ]
    left_out = [
        f"“{table.header[at]}”"
        for at, target in sorted(mapping.items())
        if target is None and table.header[at]
    ]
    if pairs and not exact:
        print(translate("Transfer", READ_AS).format(pairs=", ".join(pairs)))
    if left_out:
        print(translate("Transfer", LEFT_OUT).format(columns=", ".join(left_out)))
