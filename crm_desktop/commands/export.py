"""`crm-desktop export`: live records of one kind to CSV (stdout or a file) or an .xlsx file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from crm_desktop.commands.errors import UserError
from crm_desktop.commands.progress import ProgressLine, records_progress_line
from crm_desktop.models.fields import entity_label
from crm_desktop.profile import open_profile
from crm_desktop.storage.errors import plain_reason
from crm_desktop.transfer import TRANSFER_ENTITIES, export_csv, export_csv_file, export_xlsx

translate = QCoreApplication.translate

PROGRESS = QT_TRANSLATE_NOOP("Transfer", "Exporting {entity} records: {done} of {total}")


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help=translate(
            "CommandLine",
            "write customers, contacts, products, opportunities, tasks, follow-ups, "
            "contracts, their instalments or payments to a file",
        ),
        description=translate(
            "CommandLine",
            "Export live records as UTF-8 CSV (with a BOM, for Excel) or .xlsx. "
            "The first column is the id, so the file can be edited and imported with --update.",
        ),
    )
    parser.add_argument("--entity", required=True, choices=TRANSFER_ENTITIES)
    parser.add_argument(
        "--format",
        choices=("csv", "xlsx"),
        help=translate("CommandLine", "default: from --out's extension, else csv"),
    )
    parser.add_argument(
        "--out",
        type=Path,
        metavar="FILE",
        help=translate("CommandLine", "default: standard output"),
    )
    return parser


def _progress_line(args: argparse.Namespace) -> ProgressLine | None:
    """Not while CSV rows scroll past on the same terminal."""
    if args.out is None and sys.stdout.isatty():
        return None
    return records_progress_line(PROGRESS, args.entity)


def run(args: argparse.Namespace) -> int:
    file_format = args.format or (
        "xlsx" if args.out is not None and args.out.suffix.lower() == ".xlsx" else "csv"
    )
    if file_format == "xlsx" and args.out is None:
        raise UserError(
            translate("ExportCommand", "An Excel export needs a file: add --out FILE.xlsx.")
        )
    if args.out is not None and not args.out.parent.is_dir():
        # The report command's sentence (and its translation): the same mistake, said alike.
        raise UserError(
            translate(
                "ReportCommand", "Could not write {path}: the folder {folder} does not exist."
            ).format(path=args.out, folder=args.out.parent)
        )
    profile = open_profile(args.profile)
    line = _progress_line(args)
    try:
        if args.out is None:
            count = export_csv(profile.store, args.entity, sys.stdout, line)
            sys.stdout.flush()  # here, where a full disk or a closed pipe is answered
        elif file_format == "xlsx":
            count = export_xlsx(profile.store, args.entity, args.out, line)
        else:
            count = export_csv_file(profile.store, args.entity, args.out, line)
    except BrokenPipeError:
        if args.out is None:
            raise  # the reader stopped early (`| head`): cli.main ends quietly, as for any command
        raise UserError(
            translate("ExportCommand", "Could not write {path}: the pipe was closed.").format(
                path=args.out
            )
        ) from None
    except OSError as error:
        where = args.out if args.out is not None else translate("ExportCommand", "standard output")
        raise UserError(
            translate("ReportCommand", "Could not write {path}: {why}.").format(
                path=where, why=plain_reason(error)
            )
        ) from None
    finally:
        if line is not None:
            line.finish()  # before any sentence that follows, error or summary
        profile.close()
    if args.out is not None:
        print(
            translate("ExportCommand", "Exported {count} {entity} records to {path}.").format(
                count=count, entity=entity_label(args.entity), path=args.out
            )
        )
    return 0
