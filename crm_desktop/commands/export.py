"""`crm-desktop export`: live records of one kind to CSV (stdout or a file) or an .xlsx file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from crm_desktop.commands.errors import UserError
from crm_desktop.models.fields import entity_label
from crm_desktop.profile import open_profile
from crm_desktop.transfer import TRANSFER_ENTITIES, export_csv, export_csv_file, export_xlsx

PROGRESS = QT_TRANSLATE_NOOP("Transfer", "Exporting {entity} records: {done} of {total}")


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help="write customers, contacts, opportunities, tasks or follow-ups to a file",
        description="Export live records as UTF-8 CSV (with a BOM, for Excel) or .xlsx. "
        "The first column is the id, so the file can be edited and imported with --update.",
    )
    parser.add_argument("--entity", required=True, choices=TRANSFER_ENTITIES)
    parser.add_argument(
        "--format", choices=("csv", "xlsx"), help="default: from --out's extension, else csv"
    )
    parser.add_argument("--out", type=Path, metavar="FILE", help="default: standard output")
    return parser


class ProgressLine:
    """How far an export has got, on one terminal line rewritten after each batch
    ("Exporting customer records: 2,000 of 100,000"); `finish` ends the line."""

    def __init__(self, stream: TextIO, entity: str) -> None:
        self.stream = stream
        self.template = QCoreApplication.translate("Transfer", PROGRESS)
        self.entity = entity_label(entity)
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        line = self.template.format(entity=self.entity, done=f"{done:,}", total=f"{total:,}")
        # The counts only grow, so each line covers the one before it.
        self.stream.write(f"\r{line}")
        self.stream.flush()
        self.shown = True

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\n")
            self.stream.flush()


def _progress_line(args: argparse.Namespace) -> ProgressLine | None:
    """A progress line on stderr when a person watches it: never into a pipe or a log, and not
    while CSV rows scroll past on the same terminal."""
    if not sys.stderr.isatty() or (args.out is None and sys.stdout.isatty()):
        return None
    return ProgressLine(sys.stderr, args.entity)


def run(args: argparse.Namespace) -> int:
    file_format = args.format or (
        "xlsx" if args.out is not None and args.out.suffix.lower() == ".xlsx" else "csv"
    )
    if file_format == "xlsx" and args.out is None:
        raise UserError("An Excel export needs a file: add --out FILE.xlsx.")
    if args.out is not None and not args.out.parent.is_dir():
        raise UserError(f"The folder {args.out.parent} does not exist.")
    profile = open_profile(args.profile)
    line = _progress_line(args)
    try:
        if args.out is None:
            count = export_csv(profile.store, args.entity, sys.stdout, line)
        elif file_format == "xlsx":
            count = export_xlsx(profile.store, args.entity, args.out, line)
        else:
            count = export_csv_file(profile.store, args.entity, args.out, line)
    except OSError as error:
        raise UserError(f"Could not write {args.out}: {error.strerror}.") from None
    finally:
        if line is not None:
            line.finish()  # before any sentence that follows, error or summary
        profile.close()
    if args.out is not None:
        print(f"Exported {count} {args.entity} to {args.out}.")
    return 0
