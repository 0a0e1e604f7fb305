"""`crm-desktop import FILE`: add records from a CSV or .xlsx file, or update them with --update.

The whole file is one transaction: if any row is refused, the reasons are listed (with their
line numbers) and nothing at all is imported. With --keep-ids, records exported from another
profile come in under their own ids, so the files of linked records (customers, then their
contracts, then the contracts' payments) keep their links.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP

from crm_desktop.commands.errors import UserError
from crm_desktop.commands.progress import records_progress_line
from crm_desktop.profile import open_profile
from crm_desktop.transfer import TRANSFER_ENTITIES, ImportFailed, TransferError, import_file

PROGRESS = QT_TRANSLATE_NOOP(
    "Transfer", "Checking and importing {entity} records: {done} of {total}"
)


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help="add or update records from a CSV or .xlsx file",
        description="Rows without an id are added. With --update, rows with an id change "
        "only the columns the file has. With --keep-ids, a row whose id no record here has "
        "adds its record with that id. Any bad row stops the import; nothing is half-imported.",
    )
    parser.add_argument("file", type=Path, metavar="FILE", help="a .csv (UTF-8) or .xlsx file")
    parser.add_argument("--entity", required=True, choices=TRANSFER_ENTITIES)
    parser.add_argument(
        "--update", action="store_true", help="let rows with an id change existing records"
    )
    parser.add_argument(
        "--keep-ids",
        action="store_true",
        help="add rows whose id no record here has under that id (records from another "
        "profile: import customers first, then what links to them)",
    )
    return parser


def run(args: argparse.Namespace) -> int:
    profile = open_profile(args.profile)
    line = records_progress_line(PROGRESS, args.entity)
    try:
        summary = import_file(
            profile.writer(),
            args.entity,
            args.file,
            update=args.update,
            keep_ids=args.keep_ids,
            progress=line,
        )
    except TransferError as error:
        raise UserError(str(error)) from None
    except ImportFailed as failure:
        for problem in failure.problems:
            print(problem, file=sys.stderr)
        if failure.more:
            print(
                "Checking stopped there; the rest of the file may have problems too.",
                file=sys.stderr,
            )
        print("crm-desktop: Nothing was imported; fix these rows and try again.", file=sys.stderr)
        return 1
    finally:
        if line is not None:
            line.finish()  # before any sentence that follows, error or summary
        profile.close()
    print(summary.text())
    return 0
