"""`crm-desktop sync`: one sync round without a window."""

from __future__ import annotations

import argparse
from datetime import timedelta

from crm_desktop.profile import open_profile
from crm_desktop.queries.pool import returning_soon
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
        warning_days = profile.pool_warning_days()
        returning = 0
        if warning_days:
            with profile.store.read() as session:
                returning = returning_soon(session, profile.user_id, timedelta(days=warning_days))
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
    if report.returned_to_pool:
        returned = report.returned_to_pool
        print(f"{returned} customer(s) not followed up in time returned to the pool.")
    if returning:
        print(f"{returning} of your customers return to the pool within {warning_days} days.")
    return 0
