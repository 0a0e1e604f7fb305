"""`crm-desktop sync`: one sync round without a window."""

from __future__ import annotations

import argparse
from datetime import timedelta

from PySide6.QtCore import QCoreApplication

from crm_desktop.profile import open_profile
from crm_desktop.queries.pool import returning_soon
from crm_desktop.sync.engine import sync_once

translate = QCoreApplication.translate


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    return subparsers.add_parser(
        name,
        help=translate("CommandLine", "send local changes to the server and bring everyone else's"),
        description=translate(
            "CommandLine",
            "Push the changes made on this device, then pull what changed on the "
            "server. Exits 0, or 1 with one sentence saying what went wrong.",
        ),
    )


def run(args: argparse.Namespace) -> int:
    profile = open_profile(args.profile)
    try:
        report = sync_once(profile)
        warning_days = profile.pool_warning_days()
        returning = 0
        if warning_days:
            with profile.store.read() as session:
                returning = returning_soon(session, profile.user_id, timedelta(days=warning_days))
    finally:
        profile.close()
    translate = QCoreApplication.translate
    pushed, pulled = report.pushed, report.pulled
    sent = pushed.applied + pushed.conflicts + pushed.refused
    # Two counts in one sentence: named, not Qt's one plural %n.
    if pulled.full:
        said = translate(
            "SyncCommand", "Sent {sent} change(s), received {received} record(s) (full download)."
        )
    else:
        said = translate("SyncCommand", "Sent {sent} change(s), received {received} record(s).")
    line = said.format(sent=sent, received=pulled.received)
    if pushed.conflicts or pushed.refused:
        conflicts = translate("SyncCommand", "{count} conflict(s): see `crm-desktop conflicts`.")
        line += " " + conflicts.format(count=pushed.conflicts + pushed.refused)
    print(line)
    if report.returned_to_pool:
        # A plural: n by keyword, the message marked for lupdate in extra_sources.py.
        print(
            translate(
                "SyncCommand",
                "%n customer(s) not followed up in time returned to the pool.",
                "",
                n=report.returned_to_pool,
            )
        )
    if returning:
        print(
            translate(
                "SyncCommand", "{count} of your customers return to the pool within {days} days."
            ).format(count=returning, days=warning_days)
        )
    return 0
