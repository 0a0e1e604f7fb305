"""`crm-desktop today`: what the user has to do today, as the window's Today view lists it."""

from __future__ import annotations

import argparse
import json

from crm_desktop.models.base import utcnow
from crm_desktop.models.dates import end_of_local_day
from crm_desktop.profile import open_profile
from crm_desktop.queries.today import Today, TodayPart, today
from crm_desktop.views.display import local_datetime

# Every part of Today, in the window's order: a day whose only news is a colleague's note
# still says so.
PARTS = (
    ("notes", "Notes from colleagues"),
    ("comments", "Comments on your work logs"),
    ("reminders", "Reminders"),
    ("tasks", "Tasks due"),
    ("next_steps", "Next steps due"),
    ("returning", "Returning to the public pool"),
    ("renewals", "Contracts to renew"),
)


def add_parser(subparsers: argparse._SubParsersAction, name: str) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        name,
        help="list what is due today",
        description="List your open tasks overdue or due today, customers whose next step is "
        "due, and customers returning to the public pool within the warning days, soonest "
        "first (each part's first 100, with how many there are).",
    )
    parser.add_argument("--json", action="store_true", help="a JSON object, one list per part")
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
        for key, part in ((key, getattr(found, key)) for key, _ in PARTS)
    }
    return {"count": found.count, "warning_days": found.warning_days, **parts}


def _print(found: Today) -> None:
    if not found.count:
        print("Nothing due today.")
        return
    for key, title in PARTS:
        part: TodayPart = getattr(found, key)
        if not part.total:
            continue
        print(f"{title} ({part.total}):")
        for line in part.lines:
            if line.kind == "renewal" and line.when:
                when = line.when.strftime("%Y-%m-%d")  # the day the contract ends
            else:
                when = local_datetime(line.when).strftime("%Y-%m-%d %H:%M") if line.when else ""
            late = " (overdue)" if line.overdue else ""
            about = (
                f" · {line.customer_name}"
                if line.kind in ("task", "renewal", "note") and line.customer_name
                else ""
            )
            if line.by:
                about += f" — {line.by}"
            title = " ".join(line.title.split())  # a note of several lines on one
            print(f"  {when}{late}  {title}{about}  [{line.entity} {line.id}]")
        if part.total > len(part.lines):
            print(f"  … and {part.total - len(part.lines)} more")
