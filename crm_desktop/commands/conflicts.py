"""`crm-desktop conflicts`: the values that lost at the server, kept for the user."""

from __future__ import annotations

import argparse
import json

from crm_desktop.profile import open_profile
from crm_desktop.sync.conflicts import open_conflicts
from crm_desktop.sync.push import grant_ended


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help="list sync conflicts",
        description="List the values that lost to another change at the server (or that the "
        "server refused), with the value kept and the one that lost.",
    )
    parser.add_argument("--json", action="store_true", help="a JSON list of objects")
    return parser


def run(args: argparse.Namespace) -> int:
    profile = open_profile(args.profile)
    try:
        conflicts = open_conflicts(profile.store)
    finally:
        profile.close()
    if args.json:
        print(json.dumps([c.as_json() for c in conflicts], ensure_ascii=False, indent=2))
        return 0
    if not conflicts:
        print("No conflicts.")
    for c in conflicts:
        what = f"{c.entity} {c.row_id}" + (f" field {c.field}" if c.field else "")
        ended = grant_ended(c.reason) if c.kind == "refused" else None
        if ended is not None:
            print(
                f"{what}: refused: your time entering records for {ended[1]} ended at"
                f" {ended[0]} (UTC); kept here: {c.lost}"
            )
        elif c.kind == "refused":
            print(f"{what}: the server refused the change ({c.reason}); kept here: {c.lost}")
        elif c.kind == "unreachable":
            print(f"{what}: {c.reason}")
        else:
            print(f"{what}: kept {c.kept!r}, yours was {c.lost!r} ({c.who}, {c.when})")
    return 0
