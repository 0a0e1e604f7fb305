"""The calendar on a real profile, offscreen: items in their day and hour on the user's clock
(Shanghai here, eight hours ahead of the stored UTC), weeks and months, a manager's team, a
new task made by double-clicking an hour, and overdue items marked in words as well as red."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from crm_desktop.models.entities import SCOPE_KEY, Task, User
from crm_desktop.profile import Profile
from crm_desktop.queries.reader import Reader
from crm_desktop.services import writer as writer_module
from crm_desktop.views.calendar_view import (
    DAY,
    EARLIER_ROW,
    MONTH,
    WEEK,
    CalendarView,
    ItemChip,
    SlotCell,
    utc_of,
)
from crm_desktop.views.record_form import RecordForm
from crm_desktop.views.runner import Runner
from tests.views.helpers import idle

RAE = "00000000-0000-4000-8000-0000000000aa"
WEDNESDAY = date(2031, 3, 5)  # in the future: nothing there is overdue


def writer_clock_at(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    """The writer's clock on `day`: follow-ups of the days before WEDNESDAY are in the past
    for it (it refuses one after its today)."""
    monkeypatch.setattr(writer_module, "utcnow", lambda: datetime.combine(day, time(12)))


def open_calendar(qtbot: QtBot, profile: Profile, runner: Runner) -> CalendarView:
    view = CalendarView(profile, runner, Reader(profile.store), profile.writer())
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    idle(qtbot, runner)
    return view


def show(qtbot: QtBot, view: CalendarView, runner: Runner, day: date, mode: str) -> None:
    view.show_day(day, mode)
    idle(qtbot, runner)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A time on the user's clock."""
    return datetime(day.year, day.month, day.day, hour, minute)


def add_task(profile: Profile, title: str, local: datetime, who: str | None = None, **more) -> str:
    values = {"title": title, "due_at": utc_of(local), "assignee_id": who or profile.user_id}
    return profile.writer().create("tasks", {**values, **more}).primary_id


def chips_in(view: CalendarView, row: int, column: int) -> list[ItemChip]:
    cell = view.grid.cellWidget(row, column)
    return list(cell.chips) if isinstance(cell, SlotCell) else []


def titles_in(view: CalendarView, local: datetime) -> list[str]:
    place = view.cell_of(local)
    assert place is not None, f"{local} is not on the grid"
    return [chip.item.title for chip in chips_in(view, *place)]


def all_titles(view: CalendarView) -> set[str]:
    return {chip.item.title for chip in view.grid.findChildren(ItemChip)}


def test_week_month_and_next_week(
    qtbot: QtBot,
    profile: Profile,
    runner: Runner,
    shanghai: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    writer = profile.writer()
    writer_clock_at(monkeypatch, WEDNESDAY)
    customer = writer.create(
        "customers", {"name": "华强电子", "owner_id": profile.user_id}
    ).primary_id
    add_task(profile, "Call 华强", at(WEDNESDAY, 9, 30), customer_id=customer)
    add_task(profile, "Early breakfast", at(WEDNESDAY, 6, 15))  # before the hourly rows
    writer.create(
        "followups",
        {
            "customer_id": customer,
            "kind": "visit",
            "text": "Met the buyer",
            "happened_at": utc_of(at(WEDNESDAY - timedelta(days=10), 10)),
            "next_step": "Send the quote",
            "next_step_at": utc_of(at(WEDNESDAY + timedelta(days=1), 15)),
        },
    )
    add_task(profile, "Next week's visit", at(WEDNESDAY + timedelta(days=7), 10))
    view = open_calendar(qtbot, profile, runner)

    show(qtbot, view, runner, WEDNESDAY, WEEK)
    assert len(view.days()) == 7 and WEDNESDAY in view.days()
    # 09:30 Shanghai is 01:30 UTC the same day: shown on Wednesday, in the 09:00 row.
    column = view.days().index(WEDNESDAY)
    assert [c.item.title for c in chips_in(view, 9 - 7 + 1, column)] == ["Call 华强"]
    assert view.grid.verticalHeaderItem(9 - 7 + 1).text() == "09:00"
    assert [c.item.title for c in chips_in(view, EARLIER_ROW, column)] == ["Early breakfast"]
    thursday = titles_in(view, at(WEDNESDAY + timedelta(days=1), 15))
    assert thursday == ["Send the quote"]
    (step,) = [c for c in view.grid.findChildren(ItemChip) if c.item.kind == "next_step"]
    assert step.text() == "15:00 华强电子: Send the quote"
    assert "Next week's visit" not in all_titles(view)
    assert "2031-03" in view.period.text()

    view.mode_buttons[MONTH].click()
    idle(qtbot, runner)
    assert len(view.days()) == 42
    assert titles_in(view, at(WEDNESDAY, 9, 30)) == ["Early breakfast", "Call 华强"]
    assert titles_in(view, at(WEDNESDAY + timedelta(days=7), 10)) == ["Next week's visit"]
    assert "Send the quote" in all_titles(view)

    view.mode_buttons[WEEK].click()
    idle(qtbot, runner)
    view.next_button.click()
    idle(qtbot, runner)
    assert all_titles(view) == {"Next week's visit"}
    view.previous_button.click()
    idle(qtbot, runner)
    assert all_titles(view) == {"Call 华强", "Early breakfast", "Send the quote"}


def test_a_full_cell_offers_more_which_opens_the_day(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> None:
    for minute in range(5):
        add_task(profile, f"Call {minute}", at(WEDNESDAY, 10, minute * 10))
    view = open_calendar(qtbot, profile, runner)
    show(qtbot, view, runner, WEDNESDAY, MONTH)
    row, column = view.cell_of(at(WEDNESDAY, 10))
    cell = view.grid.cellWidget(row, column)
    assert [chip.item.title for chip in cell.chips] == ["Call 0", "Call 1", "Call 2"]
    assert cell.more is not None and "2" in cell.more.text()
    cell.more.click()
    idle(qtbot, runner)
    assert view.mode == DAY and view.days() == [WEDNESDAY]
    assert titles_in(view, at(WEDNESDAY, 10)) == [f"Call {n}" for n in range(5)]


def test_a_manager_sees_his_teams_calendars(qtbot: QtBot, profile: Profile, runner: Runner) -> None:
    with profile.store.write() as session:
        session.add(User(id=RAE, login="rae", name="Rae"))
    profile.store.set_setting(SCOPE_KEY, f"manager {{{profile.user_id},{RAE}}}")
    add_task(profile, "Mine", at(WEDNESDAY, 9))
    add_task(profile, "Rae's", at(WEDNESDAY, 11), RAE)
    view = open_calendar(qtbot, profile, runner)
    show(qtbot, view, runner, WEDNESDAY, WEEK)
    offered = [view.person.itemText(n) for n in range(view.person.count())]
    assert offered == ["Me", "Rae", "My whole team"]
    assert all_titles(view) == {"Mine"}
    assert view.choose_person(RAE)
    idle(qtbot, runner)
    assert all_titles(view) == {"Rae's"}
    assert [chip.text() for chip in view.grid.findChildren(ItemChip)] == ["11:00 Rae's"]
    view.person.setCurrentIndex(2)
    idle(qtbot, runner)
    assert all_titles(view) == {"Mine", "Rae's"}
    # Side by side, each says whose it is.
    me = view._names[profile.user_id]
    assert sorted(chip.text() for chip in view.grid.findChildren(ItemChip)) == [
        f"09:00 {me} · Mine",
        "11:00 Rae · Rae's",
    ]


def test_a_rep_is_offered_only_himself(qtbot: QtBot, profile: Profile, runner: Runner) -> None:
    with profile.store.write() as session:
        session.add(User(id=RAE, login="rae", name="Rae"))
    profile.store.set_setting(SCOPE_KEY, f"rep {{{profile.user_id}}}")
    add_task(profile, "Rae's", at(WEDNESDAY, 11), RAE)
    view = open_calendar(qtbot, profile, runner)
    show(qtbot, view, runner, WEDNESDAY, WEEK)
    assert view.person.count() == 1
    assert not view.choose_person(RAE)
    assert all_titles(view) == set()


def test_a_profile_on_its_own_offers_its_administrator_everyone(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> None:
    """Never synced, the profile's user is its administrator (the demo's reps are his people):
    he may look at each one's calendar, and at everyone's together, as on the dashboard."""
    with profile.store.write() as session:
        session.add(User(id=RAE, login="rae", name="Rae", role="rep"))
    add_task(profile, "Rae's", at(WEDNESDAY, 11), RAE)
    view = open_calendar(qtbot, profile, runner)
    show(qtbot, view, runner, WEDNESDAY, WEEK)
    offered = [view.person.itemText(n) for n in range(view.person.count())]
    assert offered == ["Me", "Rae", "My whole team"]
    assert view.choose_person(RAE)
    idle(qtbot, runner)
    assert all_titles(view) == {"Rae's"}


def test_double_clicking_an_empty_hour_makes_a_task_then(
    qtbot: QtBot, profile: Profile, runner: Runner, shanghai: None
) -> None:
    view = open_calendar(qtbot, profile, runner)
    show(qtbot, view, runner, WEDNESDAY, WEEK)
    thursday_two = at(WEDNESDAY + timedelta(days=1), 14)
    row, column = view.cell_of(thursday_two)
    assert view.grid.cellWidget(row, column) is None  # empty
    grid = view.grid
    grid.scrollTo(grid.model().index(row, column))
    spot = grid.visualRect(grid.model().index(row, column)).center()
    # A real double-click starts with a click: QTest's double-click alone sends no first
    # press, and an item view answers a double-click only on the index it saw pressed.
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    qtbot.mouseDClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    (form,) = view.findChildren(RecordForm)
    assert form.row_id is None and form.isVisible()
    idle(qtbot, runner)
    assert form.editors["due_at"].value() == utc_of(thursday_two)
    assert form.editors["assignee_id"].value() == profile.user_id
    form.editors["title"].set_value("Visit the factory")
    with qtbot.waitSignal(form.saved, timeout=10000):
        form.save_button.click()
    idle(qtbot, runner)
    with profile.store.read() as session:
        task = session.scalars(select(Task).where(Task.title == "Visit the factory")).one()
        assert (task.due_at, task.assignee_id) == (utc_of(thursday_two), profile.user_id)
    # The calendar read again when the write announced itself.
    assert titles_in(view, thursday_two) == ["Visit the factory"]


def test_double_clicking_items(
    qtbot: QtBot, profile: Profile, runner: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    writer = profile.writer()
    writer_clock_at(monkeypatch, WEDNESDAY)
    customer = writer.create("customers", {"name": "Northwind", "owner_id": profile.user_id})
    task_id = add_task(profile, "Call back", at(WEDNESDAY, 9))
    writer.create(
        "followups",
        {
            "customer_id": customer.primary_id,
            "kind": "call",
            "text": "Talked",
            "happened_at": utc_of(at(WEDNESDAY - timedelta(days=2), 9)),
            "next_step": "Send samples",
            "next_step_at": utc_of(at(WEDNESDAY, 16)),
        },
    )
    view = open_calendar(qtbot, profile, runner)
    show(qtbot, view, runner, WEDNESDAY, WEEK)
    chips = {chip.item.title: chip for chip in view.grid.findChildren(ItemChip)}
    with qtbot.waitSignal(view.open_record, timeout=1000) as opened:
        qtbot.mouseDClick(chips["Send samples"], Qt.MouseButton.LeftButton)
    assert opened.args == ["customers", customer.primary_id]
    assert view.findChildren(RecordForm) == []
    qtbot.mouseDClick(chips["Call back"], Qt.MouseButton.LeftButton)
    (form,) = view.findChildren(RecordForm)
    assert form.row_id == task_id
    idle(qtbot, runner)
    assert form.editors["title"].value() == "Call back"


def test_items_open_from_the_keyboard(qtbot: QtBot, profile: Profile, runner: Runner) -> None:
    first = add_task(profile, "Call back", at(WEDNESDAY, 9))
    second = add_task(profile, "Visit", at(WEDNESDAY, 11))
    add_task(profile, "Breakfast", at(WEDNESDAY + timedelta(days=1), 8))
    view = open_calendar(qtbot, profile, runner)
    show(qtbot, view, runner, WEDNESDAY, WEEK)
    view.activateWindow()
    chips = {chip.item.title: chip for chip in view.grid.findChildren(ItemChip)}
    chips["Call back"].setFocus()
    assert chips["Call back"].hasFocus()
    # Tab goes day by day, hour by hour, then out of the grid (it was a trap before).
    visited = []
    for _ in range(3):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        focused = QApplication.focusWidget()
        visited.append(focused.item.title if isinstance(focused, ItemChip) else None)
    assert visited == ["Visit", "Breakfast", None]
    chips["Call back"].setFocus()
    qtbot.keyClick(chips["Call back"], Qt.Key.Key_Return)
    (form,) = view.findChildren(RecordForm)
    assert form.row_id == first
    form.close()
    form.deleteLater()
    idle(qtbot, runner)
    qtbot.keyClick(chips["Visit"], Qt.Key.Key_Space)
    assert [f.row_id for f in view.findChildren(RecordForm) if f.isVisible()] == [second]


def test_overdue_items_say_so(qtbot: QtBot, profile: Profile, runner: Runner) -> None:
    last_week = datetime.now().date() - timedelta(days=7)
    add_task(profile, "Late call", at(last_week, 10))
    add_task(profile, "Done call", at(last_week, 11), done=True)
    add_task(profile, "Future call", at(last_week + timedelta(days=30), 11))
    view = open_calendar(qtbot, profile, runner)
    show(qtbot, view, runner, last_week, WEEK)
    chips = {chip.item.title: chip for chip in view.grid.findChildren(ItemChip)}
    late, done = chips["Late call"], chips["Done call"]
    assert late.item.overdue and late.text().startswith("⚠ ")
    assert "Overdue" in late.toolTip()
    assert done.item.done and not done.item.overdue and done.text().startswith("✓ ")
    assert "Done" in done.toolTip()
    show(qtbot, view, runner, last_week + timedelta(days=30), DAY)
    (future,) = view.grid.findChildren(ItemChip)
    assert not future.item.overdue and future.text()[0].isdigit()


def test_a_day_without_a_time_shows_as_the_day_not_at_midnight(
    qtbot: QtBot, profile: Profile, runner: Runner, shanghai: None
) -> None:
    """A task set for a day ("tomorrow") is stored at that day's local midnight: the calendar
    puts it in the day's first row, which says it is for the whole day, with no "00:00"; the
    tables show the date alone."""
    from crm_desktop.models.fields import Kind
    from crm_desktop.views.display import format_value

    whole_day = add_task(profile, "Send the contract", at(WEDNESDAY, 0))
    add_task(profile, "Early call", at(WEDNESDAY, 6, 30))
    view = open_calendar(qtbot, profile, runner)
    show(qtbot, view, runner, WEDNESDAY, WEEK)
    column = view.cell_of(at(WEDNESDAY, 12))[1]
    chips = {chip.item.title: chip for chip in chips_in(view, EARLIER_ROW, column)}
    assert chips["Send the contract"].text() == "Send the contract"
    assert chips["Early call"].text() == "06:30 Early call"
    assert chips["Send the contract"].toolTip().splitlines()[1] == WEDNESDAY.isoformat()
    assert view.grid.verticalHeaderItem(EARLIER_ROW).text() == "All day, earlier"
    with profile.store.read() as session:
        due = session.get(Task, whole_day).due_at
    assert format_value(Kind.DATETIME, due) == WEDNESDAY.isoformat()
    assert format_value(Kind.DATETIME, utc_of(at(WEDNESDAY, 9, 5))) == f"{WEDNESDAY} 09:05"


def test_the_all_day_row_and_a_day_of_the_month_make_a_task_for_the_day(
    qtbot: QtBot, profile: Profile, runner: Runner, shanghai: None
) -> None:
    """A visit planned for Thursday, no hour yet: due by the end of that day, shown as the
    day (its midnight, models/dates.is_day_only), in the week's first row."""
    from crm_desktop.models.dates import is_day_only
    from crm_desktop.views.calendar_view import EARLIER_ROW, MONTH

    view = open_calendar(qtbot, profile, runner)
    show(qtbot, view, runner, WEDNESDAY, WEEK)
    thursday = WEDNESDAY + timedelta(days=1)
    column = view.cell_of(at(thursday, 14))[1]
    grid = view.grid
    spot = grid.visualRect(grid.model().index(EARLIER_ROW, column)).center()
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    qtbot.mouseDClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    (form,) = view.findChildren(RecordForm)
    idle(qtbot, runner)
    due = form.editors["due_at"].value()
    assert due == utc_of(at(thursday, 0)) and is_day_only(due)
    form.done(0)
    show(qtbot, view, runner, WEDNESDAY, MONTH)
    row, column = view.cell_of(at(thursday, 14))
    assert view.slot_time(row, column) == at(thursday, 0)
    # The steps say what a click moves by.
    assert (view.previous_button.text(), view.next_button.text()) == (
        "Previous month",
        "Next month",
    )
