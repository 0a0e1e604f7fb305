"""`crm-desktop sync`: one sync round without a window."""

from __future__ import annotations

import argparse

from crm_desktop.profile import open_profile
from crm_desktop.sync.engine import sync_once


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    return subparsers.add_parser(
        name,
        help="send local changes to the server and bring everyone else's",
        description="Push the changes made on this device, then pull what changed on the "
        "server. Exits 0, or 1 with one sentence saying what went wrong.",
    )


def run(args: argparse.Namespace) -> int:
    profile = open_profile(args.profile)
    try:
        report = sync_once(profile)
    finally:
        profile.close()
    pushed, pulled = report.pushed, report.pulled
    sent = pushed.applied + pushed.conflicts + pushed.refused
    line = f"Sent {sent} change(s), received {pulled.received} record(s)"
    if pulled.full:
        line += " (full download)"
    if pushed.conflicts or pushed.refused:
        line += f"; {pushed.conflicts + pushed.refused} conflict(s): see `crm-desktop conflicts`"
    print(line + ".")
    return 0
