"""The window of a profile without a server grades its customers once a day (views/
local_grading.py over grading.local); a linked profile's grades are left to the server."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from crm_desktop.grading.local import GRADED_ON_KEY
from crm_desktop.profile import open_profile
from crm_desktop.storage.store import sqlite_connection
from crm_desktop.sync import link as links
from tests.views.helpers import cell, shown_window, wait_idle


def two_customers(profile_dir: Path, linked: bool = False) -> tuple[str, str]:
    """One customer that paid this month and one that never did, both typed in as grade B."""
    profile = open_profile(profile_dir)
    try:
        writer = profile.writer()
        paying = writer.create("customers", {"name": "华强电子", "grade": "B"}).primary_id
        idle = writer.create("customers", {"name": "百川印刷", "grade": "B"}).primary_id
        writer.create(
            "payments",
            {
                "customer_id": paying,
                "paid_on": date.today() - timedelta(days=3),
                "amount_cents": 5000_00,
                "method": "transfer",
            },
        )
        if linked:
            profile.store.set_setting(links.SERVER_KEY, "host=127.0.0.1 port=1 dbname=crm")
            profile.store.set_setting(links.LOGIN_KEY, "rep")
        return paying, idle
    finally:
        profile.close()


def grades_in_list(window) -> dict[str, str | None]:
    model = window.models["customers"]
    return {cell(model, row, "name"): cell(model, row, "grade") for row in range(model.rowCount())}


def test_the_window_grades_a_profile_on_its_own_once_a_day(qtbot: QtBot, profile_dir: Path) -> None:
    two_customers(profile_dir)
    for window in shown_window(qtbot, profile_dir):
        window.go("customers")
        wait_idle(qtbot, window)
        # Two customers: the one that paid is the top 5% (A), the other worth nothing (C).
        qtbot.waitUntil(
            lambda shown=window: (
                grades_in_list(shown) == {"华强电子": "A (top 5%)", "百川印刷": "C"}
            ),
            timeout=10000,
        )
        assert window.profile.store.setting(GRADED_ON_KEY) == date.today().isoformat()
        # Graded today already: a grade typed now stays until tomorrow's grading.
        window.writer.update("customers", window.models["customers"].row_id(0), {"grade": "B"})
        window.local_grading.check()
        wait_idle(qtbot, window)
        with window.profile.store.read() as session:
            typed = sqlite_connection(session).execute(
                "SELECT count(*) FROM customers WHERE grade = 'B'"
            )
            assert typed.fetchone()[0] == 1


def test_a_linked_profile_leaves_grading_to_the_server(qtbot: QtBot, profile_dir: Path) -> None:
    two_customers(profile_dir, linked=True)
    for window in shown_window(qtbot, profile_dir):
        window.local_grading.check()
        wait_idle(qtbot, window)
        with window.profile.store.read() as session:
            grades = sqlite_connection(session).execute("SELECT DISTINCT grade FROM customers")
            assert [row[0] for row in grades] == ["B"]
        assert window.profile.store.setting(GRADED_ON_KEY) is None
