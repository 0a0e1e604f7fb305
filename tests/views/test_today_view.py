"""Today, through the real window: what a known store holds that is due, and nothing else; each
line opens, is done, postponed or delegated from there; a call is logged in one step; the
command line prints the same list."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from crm_desktop import cli
from crm_desktop.grading.local import GRADED_ON_KEY
from crm_desktop.models.base import utcnow
from crm_desktop.models.dates import end_of_local_day
from crm_desktop.models.entities import Customer, FollowUp, Task, User
from crm_desktop.profile import open_profile
from crm_desktop.queries.today import today
from crm_desktop.storage import pool_due
from crm_desktop.storage.store import sqlite_connection
from crm_desktop.views.customer_page import CustomerPage
from crm_desktop.views.record_form import RecordForm
from crm_desktop.views.today_view import PostponeDialog, _next_morning, day_text
from tests.views.helpers import cell, rows_loaded, shown_window, wait_idle

RAE = "00000000-0000-4000-8000-0000000000aa"


def a_rep_with_a_day(profile_dir: Path) -> dict[str, str]:
    """Tasks overdue, due today, later, done and someone else's; a customer whose next step is
    due and one whose is not; a customer about to return to the pool."""
    profile = open_profile(profile_dir)
    writer, me, now = profile.writer(), profile.user_id, utcnow()
    with profile.store.write() as session:
        session.add(User(id=RAE, login="rae", name="Rae"))
    made = {}
    made["acme"] = writer.create("customers", {"name": "Acme"}).primary_id
    made["quiet"] = writer.create("customers", {"name": "Quiet Ltd"}).primary_id
    made["leaving"] = writer.create("customers", {"name": "Leaving Co"}).primary_id

    def task(key: str, title: str, due: timedelta, **more: object) -> None:
        values = {"title": title, "due_at": now + due, "assignee_id": me, **more}
        made[key] = writer.create("tasks", values).primary_id

    task("overdue", "Send the quote", -timedelta(days=2), customer_id=made["acme"])
    task("soon", "Call back", timedelta(minutes=1))
    task("later", "Next month's visit", timedelta(days=30))
    task("done", "Already done", -timedelta(days=1), done=True)
    task("theirs", "Rae's task", -timedelta(days=1), assignee_id=RAE)
    made["call"] = writer.create(
        "followups",
        {
            "customer_id": made["acme"],
            "kind": "call",
            "text": "Talked prices",
            "happened_at": now - timedelta(days=3),
            "next_step": "Call again",
            "next_step_at": now - timedelta(hours=1),
        },
    ).primary_id
    writer.create(
        "followups",
        {
            "customer_id": made["quiet"],
            "kind": "call",
            "text": "Not now",
            "happened_at": now - timedelta(days=1),
            "next_step_at": now + timedelta(days=20),
        },
    )
    with profile.store.write() as session:
        driver = sqlite_connection(session)
        pool_due.adopt_rules(driver, {"pool_return_days": 30, "pool_warning_days": 3})
        driver.execute(
            "UPDATE customers SET owned_since = ?, owner_id = owner_id WHERE id = ?",
            ((now - timedelta(days=29)).isoformat(" "), made["leaving"]),
        )
    profile.close()
    return made


def lines(window) -> list[tuple[str, str]]:
    today = window.today.today
    return [
        (line.kind, line.title)
        for part in (today.tasks, today.next_steps, today.returning)
        for line in part.lines
    ]


def test_today_lists_what_is_due_and_nothing_else(qtbot: QtBot, profile_dir: Path) -> None:
    a_rep_with_a_day(profile_dir)
    for window in shown_window(qtbot, profile_dir):
        qtbot.waitUntil(lambda window=window: window.today.today is not None)
        assert window.pages.currentWidget() is window.today  # the first thing shown
        assert lines(window) == [
            ("task", "Send the quote"),
            ("task", "Call back"),
            ("next_step", "Call again"),  # what the follow-up promised
            ("pool_return", "Leaving Co"),
        ]
        assert window.navigation.item(0).text().endswith("(4)")
        shown = window.today.list
        overdue = shown.topLevelItem(0).child(0)
        assert "overdue" in overdue.text(0) and overdue.text(2) == "Acme"
        assert "overdue" not in shown.topLevelItem(0).child(1).text(0)
        step = shown.topLevelItem(1).child(0)
        assert (step.text(1), step.text(2)) == ("Call again", "Acme")
        returning = shown.topLevelItem(2).child(0)
        assert (returning.text(1), returning.text(2)) == ("Leaving Co", "")


def test_done_postpone_and_delegate_from_today(qtbot: QtBot, profile_dir: Path) -> None:
    made = a_rep_with_a_day(profile_dir)
    for window in shown_window(qtbot, profile_dir):
        view = window.today
        qtbot.waitUntil(lambda view=view: view.today is not None)
        assert view.select_line("tasks", made["overdue"])
        view.buttons["todayDone"].click()
        qtbot.waitUntil(lambda w=window: ("task", "Send the quote") not in lines(w))
        assert view.select_line("tasks", made["soon"])
        view.postpone(view.current_line(), date.today() + timedelta(days=2))
        qtbot.waitUntil(lambda view=view: view.today.tasks.total == 0)
        assert view.select_line("customers", made["acme"])
        view.postpone(view.current_line(), date.today() + timedelta(days=1))
        qtbot.waitUntil(lambda view=view: view.today.next_steps.total == 0)
        wait_idle(qtbot, window)
        with window.profile.store.read() as session:
            assert session.get(Task, made["overdue"]).done
            soon = session.get(Task, made["soon"]).due_at
            assert soon.date() >= (utcnow() + timedelta(days=1)).date()
            # The step moved with the follow-up that planned it: tomorrow it still says
            # what was promised.
            moved = session.get(Customer, made["acme"]).next_followup_at
            assert moved.date() >= (utcnow() + timedelta(days=1)).date()
            assert session.get(FollowUp, made["call"]).next_step_at == moved
            later = moved + timedelta(minutes=1)
            due = today(session, window.profile.user_id, later, end_of_local_day(later))
            assert [line.title for line in due.next_steps.lines] == ["Call again"]
        # Delegating hands the task over: it leaves this Today.
        window.runner.write(
            partial(window.writer.update, "tasks", made["later"], {"due_at": utcnow()})
        )
        qtbot.waitUntil(lambda view=view: view.select_line("tasks", made["later"]))
        view.delegate(view.current_line(), RAE)
        qtbot.waitUntil(lambda view=view: view.today.tasks.total == 0)
        with window.profile.store.read() as session:
            assert session.get(Task, made["later"]).assignee_id == RAE


def test_a_postponed_task_takes_its_reminder_with_it(qtbot: QtBot, profile_dir: Path) -> None:
    """An overdue task whose reminder rang an hour before it, postponed a week from Today: it
    leaves the reminders too, and will ring an hour before its new time. Days gone are not
    offered."""
    profile = open_profile(profile_dir)
    now = utcnow()
    task = (
        profile.writer()
        .create(
            "tasks",
            {
                "title": "Send the samples",
                "due_at": now - timedelta(days=1),
                "remind_at": now - timedelta(days=1, hours=1),
                "assignee_id": profile.user_id,
            },
        )
        .primary_id
    )
    profile.close()
    for window in shown_window(qtbot, profile_dir):
        view = window.today
        qtbot.waitUntil(lambda view=view: view.today is not None and view.today.reminders.total)
        assert view.select_line("tasks", task)
        view.postpone(view.current_line(), date.today() + timedelta(days=7))
        qtbot.waitUntil(lambda view=view: view.today.reminders.total == 0)
        assert view.today.tasks.total == 0
        with window.profile.store.read() as session:
            moved = session.get(Task, task)
            assert moved.due_at - moved.remind_at == timedelta(hours=1)
            assert moved.due_at.date() >= (now + timedelta(days=6)).date()
        dialog = PostponeDialog(view)
        assert dialog.calendar.minimumDate().toPython() == date.today()
        dialog.close()


def test_a_line_opens_and_a_call_is_logged_in_one_step(qtbot: QtBot, profile_dir: Path) -> None:
    made = a_rep_with_a_day(profile_dir)
    for window in shown_window(qtbot, profile_dir):
        view = window.today
        qtbot.waitUntil(lambda view=view: view.today is not None)
        assert view.select_line("customers", made["acme"])
        view.list.itemActivated.emit(view.list.currentItem(), 0)  # Enter
        page = window.findChild(CustomerPage)
        assert page is not None and page.customer_id == made["acme"]
        page.close()
        window.log_call_action.trigger()  # Ctrl+L
        form = next(f for f in window.findChildren(RecordForm) if f.entity == "followups")
        values = form.values()
        assert (values["customer_id"], values["kind"]) == (made["acme"], "call")
        assert values["happened_at"] is not None
        form.editors["text"].input.setPlainText("Called about the quote")
        with qtbot.waitSignal(form.saved, timeout=5000):
            form.save()
        # The call had no next step: Acme's is no longer due.
        qtbot.waitUntil(lambda view=view: view.today.next_steps.total == 0)
        # Where there is no customer to call about, Ctrl+L says what it needs.
        window.go("calendar")
        forms = len(window.findChildren(RecordForm))
        window.log_call_action.trigger()
        assert len(window.findChildren(RecordForm)) == forms
        assert window.statusBar().currentMessage().startswith("Log a call: first choose a line")
        # Nor on a task that is about no customer, chosen in its list.
        window.statusBar().clearMessage()
        window.go("tasks")
        tasks = window.models["tasks"]
        qtbot.waitUntil(lambda t=tasks: t.rowCount() > 0)
        rows_loaded(qtbot, window, tasks)
        row = next(r for r in range(tasks.rowCount()) if tasks.row_id(r) == made["soon"])
        window.views["tasks"].selectRow(row)
        window.log_call_action.trigger()
        wait_idle(qtbot, window)
        assert len(window.findChildren(RecordForm)) == forms
        assert window.statusBar().currentMessage().startswith("Log a call: first choose a line")


def test_a_long_title_leaves_the_customer_in_sight(qtbot: QtBot, profile_dir: Path) -> None:
    profile = open_profile(profile_dir)
    writer = profile.writer()
    customer = writer.create("customers", {"name": "青岛华强医疗器械"}).primary_id
    writer.create(
        "tasks",
        {
            "title": "与客户确认下季度的采购数量、交付时间、付款方式以及售后服务的全部细节" * 3,
            "due_at": utcnow(),
            "assignee_id": profile.user_id,
            "customer_id": customer,
        },
    )
    profile.close()
    for window in shown_window(qtbot, profile_dir):
        window.resize(1366, 768)
        view = window.today
        qtbot.waitUntil(lambda view=view: view.today is not None and view.today.tasks.total)
        view.reload()  # laid out at the window's new size
        wait_idle(qtbot, window)
        listing = view.list
        right_edge = listing.columnViewportPosition(2) + 50
        assert right_edge < listing.viewport().width()


def test_the_command_line_prints_the_same_list(
    profile_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = a_rep_with_a_day(profile_dir)
    assert cli.main(["--profile", str(profile_dir), "today", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["count"] == 4
    assert [line["id"] for line in printed["tasks"]["lines"]] == [made["overdue"], made["soon"]]
    assert printed["tasks"]["lines"][0]["overdue"] is True
    assert [line["id"] for line in printed["returning"]["lines"]] == [made["leaving"]]
    assert cli.main(["--profile", str(profile_dir), "today"]) == 0
    text = capsys.readouterr().out
    assert "Send the quote · Acme" in text and "Next month's visit" not in text


def test_the_command_line_prints_a_day_without_a_time_as_the_day(
    profile_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A task due today as a day (stored as the local midnight) reads as that day, as the
    window shows it, not as due at midnight."""
    profile = open_profile(profile_dir)
    midnight = end_of_local_day(utcnow(), -1)
    profile.writer().create(
        "tasks", {"title": "Visit", "due_at": midnight, "assignee_id": profile.user_id}
    )
    profile.close()
    assert cli.main(["--profile", str(profile_dir), "today"]) == 0
    line = next(row for row in capsys.readouterr().out.splitlines() if "Visit" in row)
    assert line.split()[:2] == [date.today().isoformat(), "Visit"]


def test_overdue_rows_are_marked_in_the_tables_in_colour_and_with_an_icon(
    qtbot: QtBot, profile_dir: Path
) -> None:
    from PySide6.QtCore import Qt

    from tests.views.helpers import rows_loaded

    made = a_rep_with_a_day(profile_dir)
    profile = open_profile(profile_dir)
    contract = (
        profile.writer()
        .create(
            "contracts",
            {
                "customer_id": made["acme"],
                "number": "C-OLD",
                "status": "active",
                "start_on": date.today() - timedelta(days=400),
                "end_on": date.today() - timedelta(days=2),
            },
        )
        .primary_id
    )
    profile.close()
    for window in shown_window(qtbot, profile_dir):
        window.go("tasks")
        model = window.models["tasks"]
        rows_loaded(qtbot, window, model)
        marked = {
            model.row_id(row)
            for row in range(model.rowCount())
            if model.data(model.index(row, 0), Qt.ItemDataRole.DecorationRole) is not None
            and model.data(model.index(row, 1), Qt.ItemDataRole.ForegroundRole) is not None
        }
        # Past and open, whoever's: not the done one, not the ones still to come.
        assert marked == {made["overdue"], made["theirs"]}
        window.go("customers")
        model = window.models["customers"]
        rows_loaded(qtbot, window, model)
        marked = {
            model.row_id(row)
            for row in range(model.rowCount())
            if model.data(model.index(row, 0), Qt.ItemDataRole.DecorationRole) is not None
        }
        assert marked == {made["acme"]}  # its next step is past
        # The marked row says what overdue means in its list: for a contract, not money.
        for entity, row_id, meaning in (
            ("customers", made["acme"], "Overdue"),
            ("contracts", contract, "Running past its end, not renewed"),
        ):
            window.go(entity)
            model = window.models[entity]
            rows_loaded(qtbot, window, model)
            row = next(row for row in range(model.rowCount()) if model.row_id(row) == row_id)
            assert model.data(model.index(row, 0), Qt.ItemDataRole.ToolTipRole) == meaning


def test_the_sidebar_goes_to_each_page_and_the_calendar_opens_records(
    qtbot: QtBot, profile_dir: Path
) -> None:
    made = a_rep_with_a_day(profile_dir)
    for window in shown_window(qtbot, profile_dir):
        for key, shown in (("customers", window.tabs), ("calendar", None), ("today", window.today)):
            window.navigation.go(key)
            assert window.navigation.key() == key
            if shown is not None:
                assert window.pages.currentWidget() is shown
        for key, name in (("work_log", "workLogView"), ("activity", "teamActivityView")):
            window.navigation.go(key)
            assert window.pages.currentWidget().objectName() == name
        window.navigation.go("calendar")
        calendar = window.pages.currentWidget()
        assert calendar.objectName() == "calendarView"
        calendar.open_record.emit("customers", made["acme"])
        page = window.findChild(CustomerPage)
        assert page is not None and page.customer_id == made["acme"]
        page.close()
        # Typing a search from Today shows the list it filters.
        window.navigation.go("today")
        window.search.searched.emit("Acme")
        assert window.pages.currentWidget() is window.tabs


def test_an_empty_list_says_what_to_do_and_enter_opens_a_row(
    qtbot: QtBot, profile_dir: Path
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from tests.views.helpers import rows_loaded

    for window in shown_window(qtbot, profile_dir):
        window.go("customers")
        empty = window.findChild(QLabel, "customersTableEmpty")
        qtbot.waitUntil(empty.isVisible)
        assert "Ctrl+N" in empty.text()
        window.runner.write(partial(window.writer.create, "customers", {"name": "Acme"}))
        qtbot.waitUntil(lambda e=empty: not e.isVisible())
        window.search.searched.emit("nothing like it")
        qtbot.waitUntil(empty.isVisible)
        assert "Nothing matches" in empty.text()
        window.search.searched.emit("")
        model, view = window.models["customers"], window.views["customers"]
        rows_loaded(qtbot, window, model)
        view.setFocus()
        view.setCurrentIndex(model.index(0, 0))
        qtbot.keyClick(view, Qt.Key.Key_Return)
        page = window.findChild(CustomerPage)
        assert page is not None and page.customer_id == model.row_id(0)
        page.close()


def test_a_customer_opens_inside_the_window_and_back_and_forward_walk_the_pages(
    qtbot: QtBot, profile_dir: Path
) -> None:
    from PySide6.QtWidgets import QPushButton

    made = a_rep_with_a_day(profile_dir)
    for window in shown_window(qtbot, profile_dir):
        assert not window.back_action.isEnabled()
        window.go("tasks")
        page = window.records.open_customer(made["acme"])
        assert window.pages.currentWidget() is page and page.window() is window
        window.back_action.trigger()
        assert window.pages.currentWidget() is window.tabs
        assert window.tabs.current_entity() == "tasks"
        window.back_action.trigger()
        assert window.pages.currentWidget() is window.today
        window.forward_action.trigger()
        window.forward_action.trigger()
        assert window.pages.currentWidget() is page
        # Closing it goes back to where the user was, and it leaves the history.
        page.findChild(QPushButton, "closeCustomer").click()
        assert window.pages.currentWidget() is window.tabs
        assert not window.forward_action.isEnabled()
        window.back_action.trigger()
        assert window.pages.currentWidget() is window.today


def test_overdue_only_in_every_list(qtbot: QtBot, profile_dir: Path) -> None:
    from crm_desktop.views.list_filters import OverdueFilter
    from tests.views.helpers import rows_loaded

    made = a_rep_with_a_day(profile_dir)
    profile = open_profile(profile_dir)
    contact = profile.writer().create("contacts", {"customer_id": made["quiet"], "name": "Li"})
    profile.close()
    for window in shown_window(qtbot, profile_dir):
        window.findChild(OverdueFilter, "overdueFilter").setChecked(True)
        for entity, expected in (
            ("tasks", {made["overdue"], made["theirs"]}),
            ("customers", {made["acme"]}),
            ("contacts", {contact.primary_id}),  # a contact is never overdue: all stay
        ):
            window.go(entity)
            model = window.models[entity]
            wait_idle(qtbot, window)
            rows_loaded(qtbot, window, model)
            assert {model.row_id(row) for row in range(model.rowCount())} == expected
        window.findChild(OverdueFilter, "overdueFilter").setChecked(False)
        window.go("tasks")
        wait_idle(qtbot, window)
        assert window.models["tasks"].rowCount() == 5


def test_tab_from_the_search_box_reaches_the_results(qtbot: QtBot, profile_dir: Path) -> None:
    from PySide6.QtCore import Qt

    from tests.views.helpers import rows_loaded

    made = a_rep_with_a_day(profile_dir)
    for window in shown_window(qtbot, profile_dir):
        window.activateWindow()
        window.search.setFocus()
        qtbot.keyClicks(window.search, "Acme")
        window.search.searched.emit("Acme")  # without waiting for the typing pause
        model, view = window.models["customers"], window.views["customers"]
        wait_idle(qtbot, window)
        rows_loaded(qtbot, window, model)
        qtbot.keyClick(window.search, Qt.Key.Key_Tab)
        assert view.hasFocus() or window.focusWidget() is view
        assert model.row_id(view.currentIndex().row()) == made["acme"]
        qtbot.keyClick(view, Qt.Key.Key_Return)
        assert window.pages.currentWidget().objectName() == "customerPage"


def test_the_grade_filter_applies_to_every_list_by_its_customer(
    qtbot: QtBot, profile_dir: Path
) -> None:
    from crm_desktop.views.list_filters import GradeFilter
    from tests.views.helpers import rows_loaded

    made = a_rep_with_a_day(profile_dir)
    profile = open_profile(profile_dir)
    profile.writer().update("customers", made["acme"], {"grade": "A"})
    contact = profile.writer().create("contacts", {"customer_id": made["acme"], "name": "Li"})
    profile.writer().create("contacts", {"customer_id": made["quiet"], "name": "Wang"})
    # The grade typed stays for the day: today's grading of this profile is done.
    profile.store.set_setting(GRADED_ON_KEY, date.today().isoformat())
    profile.close()
    for window in shown_window(qtbot, profile_dir):
        grade = window.findChild(GradeFilter, "gradeFilter")
        grade.setCurrentIndex(grade.findData("A"))
        for entity, expected in (
            ("customers", {made["acme"]}),
            ("tasks", {made["overdue"]}),
            ("contacts", {contact.primary_id}),
        ):
            window.go(entity)
            wait_idle(qtbot, window)
            model = window.models[entity]
            rows_loaded(qtbot, window, model)
            assert {model.row_id(row) for row in range(model.rowCount())} == expected


def more_item(view, title_start: str):
    for section in range(view.list.topLevelItemCount()):
        top = view.list.topLevelItem(section)
        if top.text(0).startswith(title_start):
            return top.child(top.childCount() - 1)
    raise AssertionError(f"no part {title_start}")


def shown_titles(qtbot: QtBot, window, entity: str) -> set[str]:
    model = window.models[entity]
    wait_idle(qtbot, window)
    rows_loaded(qtbot, window, model)
    return {cell(model, row, "title") for row in range(model.rowCount())}


def test_and_n_more_opens_the_list_each_part_comes_from(
    qtbot: QtBot, profile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("crm_desktop.queries.today.LIMIT", 1)
    made = a_rep_with_a_day(profile_dir)
    profile = open_profile(profile_dir)
    writer, hour_ago = profile.writer(), utcnow() - timedelta(hours=1)
    for title in ("Ring Acme", "Ring Quiet"):
        writer.create(
            "tasks", {"title": title, "remind_at": hour_ago, "assignee_id": profile.user_id}
        )
    writer.update("customers", made["quiet"], {"next_followup_at": hour_ago})
    profile.close()
    for window in shown_window(qtbot, profile_dir):
        view = window.today
        qtbot.waitUntil(lambda v=view: v.today is not None and v.today.reminders.total == 2)
        view._activated(more_item(view, "Reminders"))
        assert window.pages.currentWidget() is window.tabs
        assert window.tabs.current_entity() == "tasks"
        # The tasks the part counted, not the whole list with done ones first.
        assert shown_titles(qtbot, window, "tasks") == {"Ring Acme", "Ring Quiet"}
        assert window.drill_banner.isVisibleTo(window)
        window.go("today")
        view._activated(more_item(view, "Tasks due"))
        assert shown_titles(qtbot, window, "tasks") == {"Send the quote", "Call back"}
        window.go("today")
        view._activated(more_item(view, "Next steps due"))
        assert window.tabs.current_entity() == "customers"
        model = window.models["customers"]
        assert model.query.sort == "next_followup_at" and not model.query.descending
        # The step's date beside the names, in sight on a screen 1366 pixels wide, even after
        # the user had hidden it.
        table, column = (
            window.views["customers"],
            model.spec.column_keys().index("next_followup_at"),
        )
        assert table.horizontalHeader().visualIndex(column) == 1
        window.go("today")
        table.setColumnHidden(column, True)
        table.horizontalHeader().moveSection(1, model.columnCount() - 1)
        window.resize(1366, 768)
        view._activated(more_item(view, "Next steps due"))
        assert not table.isColumnHidden(column)
        assert table.horizontalHeader().visualIndex(column) == 1
        right = table.columnViewportPosition(column) + table.columnWidth(column)
        assert 0 < right <= table.viewport().width()


def test_until_tomorrow_morning_after_midnight_is_the_coming_morning() -> None:
    night = datetime(2026, 12, 1, 0, 30)
    assert _next_morning(night) == date(2026, 12, 1)
    assert _next_morning(datetime(2026, 12, 1, 22, 0)) == date(2026, 12, 2)
    assert _next_morning(datetime(2026, 12, 1, 9, 30)) == date(2026, 12, 2)


def test_a_task_is_offered_only_to_those_it_would_reach(
    qtbot: QtBot, profile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A task of his own on no customer: to anyone who can still log in. A task on his own
    customer: to those who see the customer (his manager, administrators); Rae does not, and
    the user is told nobody would see it rather than handing it into the void."""
    made = a_rep_with_a_day(profile_dir)
    profile = open_profile(profile_dir)
    with profile.store.write() as session:
        session.add(User(login="old", name="Left Last Year", active=False))
    profile.close()
    offered: list[list[str]] = []

    def pick(*args: object) -> tuple[str, bool]:
        offered.append(list(args[3]))
        return "", False

    told: list[str] = []
    monkeypatch.setattr(QInputDialog, "getItem", pick)
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(args[2]))
    for window in shown_window(qtbot, profile_dir):
        view = window.today
        qtbot.waitUntil(lambda v=view: v.today is not None)
        assert view.select_line("tasks", made["soon"])
        view.ask_delegate()
        qtbot.waitUntil(lambda: bool(offered))
        assert view.select_line("tasks", made["overdue"])  # on Acme, his own customer
        view.ask_delegate()
        qtbot.waitUntil(lambda: bool(told))
    assert offered == [["Rae"]]
    assert told == [
        "Nobody else would see “Send the quote”: the server shows a task only to those who "
        "see its customer (for a task on no customer, to whoever made it)."
    ]


def test_a_day_of_another_year_shows_its_year() -> None:
    today = date(2026, 12, 1)
    assert day_text(datetime(2026, 6, 24, 22, 11), today) == "06-24"
    # Overdue since last year: "06-24" alone would read as this June.
    assert day_text(datetime(2025, 6, 24, 22, 11), today) == "2025-06-24"
    assert day_text(date(2027, 1, 5), today) == "2027-01-05"  # a contract ending next year


def test_a_long_next_step_shows_its_first_words_on_its_line(
    qtbot: QtBot, profile_dir: Path
) -> None:
    """A next step is long text: its line shows the first line's first words, as a note's;
    the tooltip has all of it."""
    step = "寄送报价单\n" + "并附上样品清单、交货期和付款条件，" * 10
    profile = open_profile(profile_dir)
    writer, now = profile.writer(), utcnow()
    customer = writer.create("customers", {"name": "华强电子"}).primary_id
    writer.create(
        "followups",
        {
            "customer_id": customer,
            "kind": "call",
            "text": "谈了价格",
            "happened_at": now - timedelta(days=3),
            "next_step": step,
            "next_step_at": now - timedelta(hours=1),
        },
    )
    profile.close()
    for window in shown_window(qtbot, profile_dir):
        qtbot.waitUntil(lambda window=window: window.today.today is not None)
        assert window.today.select_line("customers", customer)
        item = window.today.list.currentItem()
        assert (item.text(1), item.text(2)) == ("寄送报价单", "华强电子")
        assert item.toolTip(1) == step.strip()


def test_of_two_colleagues_of_one_name_the_one_chosen_gets_the_task(
    qtbot: QtBot, profile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two 王伟 in one company: each is offered with his login, and the second one chosen is
    the one the task goes to."""
    made = a_rep_with_a_day(profile_dir)
    profile = open_profile(profile_dir)
    with profile.store.write() as session:
        first = User(login="wangwei", name="王伟")
        second = User(login="wangwei2", name="王伟")
        session.add_all([first, second])
        session.flush()
        second_id = second.id
    profile.close()
    offered: list[list[str]] = []

    def pick_the_last(*args: object) -> tuple[str, bool]:
        offered.append(list(args[3]))
        return offered[-1][-1], True

    monkeypatch.setattr(QInputDialog, "getItem", pick_the_last)
    for window in shown_window(qtbot, profile_dir):
        view = window.today
        qtbot.waitUntil(lambda v=view: v.today is not None)
        assert view.select_line("tasks", made["soon"])  # his own, on no customer
        view.ask_delegate()
        qtbot.waitUntil(lambda: bool(offered))
        wait_idle(qtbot, window)
        with window.profile.store.read() as session:
            assert session.get(Task, made["soon"]).assignee_id == second_id
    assert offered == [["Rae", "王伟 (wangwei)", "王伟 (wangwei2)"]]


def test_a_task_moved_in_its_form_takes_its_reminder_along(qtbot: QtBot, profile_dir: Path) -> None:
    """As the calendar moves a task: its form, a new due time typed, the reminder an hour
    before it still."""
    profile = open_profile(profile_dir)
    due = utcnow().replace(microsecond=0) + timedelta(days=2)
    values = {"title": "送样品", "due_at": due, "remind_at": due - timedelta(hours=1)}
    task_id = profile.writer().create("tasks", values).primary_id
    profile.close()
    for window in shown_window(qtbot, profile_dir):
        window.records.open_record("tasks", task_id)
        form = next(f for f in window.findChildren(RecordForm) if f.entity == "tasks")
        wait_idle(qtbot, window)
        later = due + timedelta(days=3)
        form.editors["due_at"].set_value(later)
        with qtbot.waitSignal(form.saved, timeout=5000):
            form.save()
        wait_idle(qtbot, window)
        with window.profile.store.read() as session:
            task = session.get(Task, task_id)
            assert (task.due_at, task.remind_at) == (later, later - timedelta(hours=1))
