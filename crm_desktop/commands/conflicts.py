"""`crm-desktop conflicts`: the values that lost at the server, kept for the user."""

from __future__ import annotations

import argparse
import json

from PySide6.QtCore import QCoreApplication

from crm_desktop.profile import open_profile
from crm_desktop.queries.records import record_names
from crm_desktop.sync.conflicts import as_it_stands, open_conflicts
from crm_desktop.views.conflict_text import describe, names_wanted
from crm_desktop.views.display import local_minute

translate = QCoreApplication.translate


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help=translate("CommandLine", "list sync conflicts"),
        description=translate(
            "CommandLine",
            "List the values that lost to another change at the server (or that the "
            "server refused), with the value kept and the one that lost.",
        ),
    )
    parser.add_argument(
        "--json", action="store_true", help=translate("CommandLine", "a JSON list of objects")
    )
    return parser


def run(args: argparse.Namespace) -> int:
    profile = open_profile(args.profile)
    try:
        conflicts = open_conflicts(profile.store)
        with profile.store.read() as session:
            conflicts = as_it_stands(session, conflicts)
            # The records' own names, and those a refused change's values point at.
            names = record_names(session, names_wanted(conflicts))
    finally:
        profile.close()
    if args.json:
        print(json.dumps([c.as_json() for c in conflicts], ensure_ascii=False, indent=2))
        return 0
    if not conflicts:
        print(QCoreApplication.translate("ConflictsView", "No conflicts."))
    for c in conflicts:
        # The window's sentence (values as the forms show them, fen as yuan; a refused
        # change's values listed to type again), with the local time of the change and the
        # record's id to find it by.
        when = local_minute(c.when) if c.when else ""
        sentence = describe(c, names.get((c.entity, c.row_id)), names)
        print(f"{when}  {sentence}  [{c.entity} {c.row_id}]".lstrip())
    return 0
