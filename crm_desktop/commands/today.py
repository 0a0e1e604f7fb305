"""`crm-desktop today`: what the user has to do today, as the window's Today view lists it."""

from __future__ import annotations

import argparse
import json

from PySide6.QtCore import QCoreApplication

from crm_desktop.models.base import utcnow
from crm_desktop.models.dates import end_of_local_day, is_day_only
from crm_desktop.profile import open_profile
from crm_desktop.queries.today import Today, TodayPart, today
from crm_desktop.views.display import local_datetime, local_minute

translate = QCoreApplication.translate

# Every part of Today, in the window's order: a day whose only news is a colleague's note
# still says so. The JSON's keys.
PARTS = ("notes", "comments", "reminders", "tasks", "next_steps", "returning", "renewals")


def _titles() -> dict[str, str]:
    """Each part's title, in the window's words (TodayView's) where it has the same."""
    translate = QCoreApplication.translate
    return {
        "notes": translate("TodayView", "Notes from colleagues"),
        "comments": translate("TodayCommand", "Comments on your work logs"),
        "reminders": translate("TodayView", "Reminders"),
        "tasks": translate("TodayView", "Tasks due"),
        "next_steps": translate("TodayView", "Next steps due"),
        "returning": translate("TodayCommand", "Returning to the public pool"),
        "renewals": translate("TodayView", "Contracts to renew"),
    }


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help=translate("CommandLine", "list what is due today"),
        description=translate(
            "CommandLine",
            "List your open tasks overdue or due today, customers whose next step is "
            "due, and customers returning to the public pool within the warning days, soonest "
            "first (each part's first 100, with how many there are).",
        ),
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help=translate("CommandLine", "a JSON object, one list per part"),
    )
    return parser


def run(args: argparse.Namespace) -> int:
    profile = open_profile(args.profile)
    try:
        now = utcnow()
        with profile.store.read() as session:
            found = today(session, profile.user_id, now, end_of_local_day(now))
    finally:
        profile.close()
    if args.json:
        print(json.dumps(_as_json(found), ensure_ascii=False, indent=2))
    else:
        _print(found)
    return 0


def _as_json(found: Today) -> dict:
    parts: dict = {
        key: {"total": part.total, "lines": [line.as_json() for line in part.lines]}
        for key, part in ((key, getattr(found, key)) for key in PARTS)
    }
    return {"count": found.count, "warning_days": found.warning_days, **parts}


def _print(found: Today) -> None:
    translate = QCoreApplication.translate
    if not found.count:
        print(translate("TodayView", "Nothing due today."))
        return
    titles = _titles()
    for key in PARTS:
        part: TodayPart = getattr(found, key)
        if not part.total:
            continue
        print(f"{titles[key]} ({part.total}):")
        for line in part.lines:
            if line.kind == "renewal" and line.when:
                when = line.when.strftime("%Y-%m-%d")  # the day the contract ends
            elif line.when and is_day_only(line.when):
                when = local_datetime(line.when).strftime("%Y-%m-%d")  # a day, no time of it
            else:
                when = local_minute(line.when) if line.when else ""
            if line.overdue:
                when = translate("TodayView", "%1 (overdue)").replace("%1", when)
            about = f" · {customer}" if (customer := line.about()) else ""
            if line.by:
                about += f" — {line.by}"
            title = " ".join(line.title.split())  # a note of several lines on one
            print(f"  {when}  {title}{about}  [{line.entity} {line.id}]")
        if part.total > len(part.lines):
            # n as a keyword: lupdate reads a plural only from a tr() call (extra_sources.py), and
            # would file this one, with n given by position, as a second message of the same text.
            more = part.total - len(part.lines)
            print("  " + translate("TodayView", "and %n more…", "", n=more))
