"""The public pool in the window: the customers list filtered by team, grade and return to the
pool through the real toolbar, the owner's warning of customers about to return (a click lists
them), and a customer page saying when it returns and how it changed hands."""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from pathlib import Path

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from crm_desktop.grading.local import GRADED_ON_KEY
from crm_desktop.models.base import utcnow
from crm_desktop.models.entities import SCOPE_KEY, Customer, User
from crm_desktop.models.fields import Kind
from crm_desktop.profile import open_profile
from crm_desktop.storage import pool_due
from crm_desktop.storage.store import sqlite_connection
from crm_desktop.views.display import format_value
from crm_desktop.views.list_filters import GradeFilter, PoolDueFilter
from crm_desktop.views.scope_filter import ScopeFilter
from tests.views.helpers import cell, rows_loaded, shown_window, wait_idle

RAE = "00000000-0000-4000-8000-0000000000aa"  # in the manager's team
SAM = "00000000-0000-4000-8000-0000000000bb"  # another office's rep: seen as a name only
MIA = "00000000-0000-4000-8000-0000000000cc"  # Rae's manager before this one


def customer_names(qtbot: QtBot, window) -> list[str]:
    model = window.models["customers"]
    rows_loaded(qtbot, window, model)
    return sorted(cell(model, row, "name") for row in range(model.rowCount()))


def a_synced_manager(profile_dir: Path) -> None:
    """A manager's device as a sync leaves it: his scope, the rules, dated customers."""
    profile = open_profile(profile_dir)
    writer = profile.writer()
    now = utcnow().replace(microsecond=0)
    customers = {
        # name: (owner, grade, owned days ago)
        "我的A客户": (profile.user_id, "A", 10),
        "我快到期的客户": (profile.user_id, "B", 29),
        "Rae的客户": (RAE, "B", 20),
        "Sam的客户": (SAM, "C", 29),
        "公海客户": (None, None, None),
    }
    with profile.store.write() as session:
        session.add_all(
            [User(id=RAE, login="rae", name="Rae"), User(id=SAM, login="sam", name="Sam")]
        )
    ids = {name: writer.create("customers", {"name": name}).primary_id for name in customers}
    with profile.store.write() as session:
        driver = sqlite_connection(session)
        pool_due.adopt_rules(driver, {"pool_return_days": 30, "pool_warning_days": 3})
        for name, (owner, grade, days) in customers.items():
            owned = None if days is None else (now - timedelta(days=days)).isoformat(" ")
            driver.execute(
                "UPDATE customers SET owner_id = ?, grade = ?, owned_since = ? WHERE id = ?",
                (owner, grade, owned, ids[name]),
            )
    profile.store.set_setting(SCOPE_KEY, f"manager {{{profile.user_id},{RAE}}}")
    # Its grades are as a server's grading left them: the window's own grading (for a
    # profile on its own) has nothing to do today.
    profile.store.set_setting(GRADED_ON_KEY, date.today().isoformat())
    profile.close()


def test_team_grade_and_return_filters(qtbot: QtBot, profile_dir: Path) -> None:
    a_synced_manager(profile_dir)
    for window in shown_window(qtbot, profile_dir):
        shown = partial(customer_names, qtbot, window)
        scope = window.findChild(ScopeFilter, "scopeFilter")
        grade = window.findChild(GradeFilter, "gradeFilter")
        due = window.findChild(PoolDueFilter, "poolDueFilter")
        assert len(shown()) == 5
        scope.set_scope("team")
        assert scope.scope() == "team"  # offered: he is a manager
        wait_idle(qtbot, window)
        assert shown() == sorted(["我的A客户", "我快到期的客户", "Rae的客户"])
        grade.setCurrentIndex(grade.findData("B"))
        wait_idle(qtbot, window)
        assert shown() == sorted(["我快到期的客户", "Rae的客户"])
        grade.setCurrentIndex(0)
        # The rules' warning days come first among the choices.
        assert due.itemData(1) == 3
        due.setCurrentIndex(1)
        wait_idle(qtbot, window)
        assert shown() == ["我快到期的客户"]
        scope.set_scope("all")
        wait_idle(qtbot, window)
        assert shown() == sorted(["我快到期的客户", "Sam的客户"])
        due.setCurrentIndex(0)
        grade.setCurrentIndex(grade.findData("none"))
        wait_idle(qtbot, window)
        assert shown() == ["公海客户"]
        # The column shows each date; the pool has none.
        model = window.models["customers"]
        assert cell(model, 0, "pool_due_at") in ("", None)


def test_the_owner_is_warned_and_the_warning_lists_his_customers_returning_soon(
    qtbot: QtBot, profile_dir: Path
) -> None:
    a_synced_manager(profile_dir)
    for window in shown_window(qtbot, profile_dir):
        warning = window.findChild(QLabel, "poolWarning")
        qtbot.waitUntil(warning.isVisible)
        assert "1" in warning.text() and "3" in warning.text()
        warning.linkActivated.emit("returning")
        wait_idle(qtbot, window)
        assert window.findChild(ScopeFilter, "scopeFilter").scope() == "mine"
        assert customer_names(qtbot, window) == ["我快到期的客户"]


def test_a_rep_is_not_offered_a_team_and_a_device_without_rules_no_warning(
    qtbot: QtBot, profile_dir: Path
) -> None:
    profile = open_profile(profile_dir)
    customer = profile.writer().create("customers", {"name": "客户"}).primary_id
    with profile.store.write() as session:
        session.get(Customer, customer).owned_since = utcnow() - timedelta(days=100)
    profile.store.set_setting(SCOPE_KEY, f"rep {{{profile.user_id}}}")
    profile.close()
    for window in shown_window(qtbot, profile_dir):
        scope = window.findChild(ScopeFilter, "scopeFilter")
        assert scope.findData("team") < 0
        due = window.findChild(PoolDueFilter, "poolDueFilter")
        assert [due.itemData(i) for i in range(due.count())] == [0, 7, 30]
        assert not window.findChild(QLabel, "poolWarning").isVisible()


def test_the_customer_page_says_when_it_returns_and_how_it_changed_hands(
    qtbot: QtBot, profile_dir: Path
) -> None:
    a_synced_manager(profile_dir)
    profile = open_profile(profile_dir)
    with profile.store.read() as session:
        soon = session.query(Customer).filter_by(name="我快到期的客户").one()
        customer_id, owned, due = soon.id, soon.owned_since, soon.pool_due_at
    with profile.store.write() as session:
        session.add(User(id=MIA, login="mia", name="Mia"))
        sqlite_connection(session).executemany(
            "INSERT INTO ownership_history (id, customer_id, previous_owner_id, owner_id, kind,"
            " reason, changed_at, changed_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (1, customer_id, None, RAE, "entered", None, "2026-01-05 09:00:00", RAE),
                (2, customer_id, RAE, None, "released", "太忙了", "2026-02-01 10:00:00", RAE),
                (3, customer_id, None, profile.user_id, "claimed", None, owned, profile.user_id),
                # Her manager took one from her: his doing, not hers.
                (4, customer_id, RAE, None, "released", None, "2026-01-20 10:00:00", MIA),
            ],
        )
    profile.close()
    for window in shown_window(qtbot, profile_dir):
        page = window.records.open_customer(customer_id)
        qtbot.waitUntil(lambda page=page: page.detail is not None, timeout=5000)
        history = page.history.toPlainText()
        # The latest first, each with who and why.
        assert history.index("Claimed") < history.index("Released") < history.index("Entered")
        assert "Released to the public pool by Rae" in history and "太忙了" in history
        assert "Moved to the public pool from Rae by Mia" in history
        assert "Entered by Rae" in history
        line = page.findChild(QLabel, "poolDueLine")
        assert line.isVisible() and format_value(Kind.DATETIME, due) in line.text()
        assert "bold" in line.styleSheet()  # within the warning days
        page.close()
