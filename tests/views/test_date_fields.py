"""Date and time fields as a clerk uses them (issue 8, defect 8): typed year first, picked on a
calendar that opens on today, set by a shortcut, left empty, or left alone."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from crm_desktop.profile import open_profile
from crm_desktop.views.date_edit import DateEdit
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.record_form import RecordForm
from tests.views.helpers import shown_window, wait_idle

# Seconds and microseconds too: a field the user did not touch must give back exactly this.
NEXT_STEP = datetime(2026, 12, 5, 1, 30, 45, 123456)

# The offscreen platform (tests only) says this for every popup shown; it is not our warning.
popup_shown = pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")


@pytest.fixture
def customer(profile_dir: Path) -> dict[str, str]:
    """A customer with one follow-up whose next step has a date."""
    profile = open_profile(profile_dir)
    try:
        writer = profile.writer()
        customer_id = writer.create("customers", {"name": "Acme"}).primary_id
        assert customer_id
        followup = writer.create(
            "followups",
            {
                "customer_id": customer_id,
                "kind": "call",
                "text": "Asked for a quote",
                "next_step_at": NEXT_STEP,
            },
        ).primary_id
        assert followup
    finally:
        profile.close()
    return {"customer": customer_id, "followup": followup}


@pytest.fixture
def main(qtbot: QtBot, profile_dir: Path, customer: dict[str, str]) -> Iterator[MainWindow]:
    yield from shown_window(qtbot, profile_dir)


def open_form(
    qtbot: QtBot,
    main: MainWindow,
    entity: str,
    row_id: str | None = None,
    preset: dict[str, Any] | None = None,
) -> RecordForm:
    form = RecordForm(
        entity, main.runner, main.reader, main.writer, row_id, preset=preset, parent=main
    )
    form.show()
    wait_idle(qtbot, main)
    return form


def date_editor(form: RecordForm, field: str) -> DateEdit:
    editor = form.editors[field].input
    assert isinstance(editor, DateEdit), f"{field} is a {type(editor).__name__}"
    return editor


def type_into(qtbot: QtBot, editor: DateEdit, text: str) -> None:
    if text.isascii():
        qtbot.keyClicks(editor.line_edit, text)
    else:
        # QTest can only type ASCII keys; Chinese arrives through the input method instead.
        editor.line_edit.insert(text)


def save(qtbot: QtBot, main: MainWindow, form: RecordForm) -> str:
    """Save with Ctrl+S's slot and return the saved record's id."""
    with qtbot.waitSignal(form.saved, timeout=5000) as saved:
        form.save()
    wait_idle(qtbot, main)
    row_id = saved.args[0].primary_id if form.row_id is None else form.row_id
    assert row_id
    return row_id


def stored(main: MainWindow, entity: str, row_id: str) -> dict[str, Any]:
    values = main.reader.record(entity, row_id)
    assert values is not None
    return values


def utc(local: datetime) -> datetime:
    """The stored (naive UTC) form of a time read on the user's clock."""
    return local.astimezone(UTC).replace(tzinfo=None)


def new_task(qtbot: QtBot, main: MainWindow, title: str = "Send quote") -> RecordForm:
    form = open_form(qtbot, main, "tasks")
    form.editors["title"].set_value(title)
    return form


def test_typed_date_and_time_is_saved_with_enter(
    qtbot: QtBot, main: MainWindow, customer: dict[str, str]
) -> None:
    form = open_form(qtbot, main, "followups", preset={"customer_id": customer["customer"]})
    form.editors["text"].set_value("Visited the plant")
    editor = date_editor(form, "next_step_at")
    assert editor.value() is None
    type_into(qtbot, editor, "2026-12-05 09:30")
    with qtbot.waitSignal(form.saved, timeout=5000) as saved:
        qtbot.keyClick(editor.line_edit, Qt.Key.Key_Return)  # ends typing, then saves
    wait_idle(qtbot, main)
    row_id = saved.args[0].primary_id
    assert stored(main, "followups", row_id)["next_step_at"] == utc(datetime(2026, 12, 5, 9, 30))


def test_chinese_date_is_read_and_shown_year_first(qtbot: QtBot, main: MainWindow) -> None:
    form = new_task(qtbot, main)
    editor = date_editor(form, "due_at")
    type_into(qtbot, editor, "2026年1月5日")
    editor.line_edit.editingFinished.emit()  # as leaving the field does
    assert editor.line_edit.text() == "2026-01-05 00:00"
    assert not form.editors["due_at"].error.isVisible()
    row_id = save(qtbot, main, form)
    assert stored(main, "tasks", row_id)["due_at"] == utc(datetime(2026, 1, 5))


def test_day_before_year_is_refused_beside_the_field(qtbot: QtBot, main: MainWindow) -> None:
    form = new_task(qtbot, main, "Never saved")
    editor = date_editor(form, "due_at")
    error = form.editors["due_at"].error
    type_into(qtbot, editor, "05/01/2026")
    qtbot.keyClick(editor.line_edit, Qt.Key.Key_Return)  # ends typing and tries to save
    qtbot.waitUntil(lambda: error.isVisible() and form.save_button.isEnabled(), timeout=5000)
    wait_idle(qtbot, main)
    assert "start with the year" in error.text() and "05/01/2026" in error.text()
    # The text stays as typed, not silently turned into no date.
    assert editor.line_edit.text() == "05/01/2026"
    assert form.editors["due_at"].value() == "05/01/2026"
    assert main.models["tasks"].rowCount() == 0


@popup_shown
def test_calendar_of_an_empty_field_opens_on_today(qtbot: QtBot, main: MainWindow) -> None:
    form = new_task(qtbot, main)
    editor = date_editor(form, "due_at")
    qtbot.mouseClick(editor.calendar_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(editor.popup.isVisible)
    today = date.today()
    assert (editor.calendar.yearShown(), editor.calendar.monthShown()) == (today.year, today.month)
    assert editor.calendar.selectedDate().toPython() == today
    editor.popup.hide()
    assert editor.value() is None  # looking is not choosing


def test_arrow_up_on_an_empty_field_starts_from_today(qtbot: QtBot, main: MainWindow) -> None:
    form = new_task(qtbot, main)
    editor = date_editor(form, "due_at")
    qtbot.keyClick(editor.line_edit, Qt.Key.Key_Up)
    today = datetime.combine(date.today(), datetime.min.time())
    assert editor.value() == today
    qtbot.keyClick(editor.line_edit, Qt.Key.Key_Up)
    assert editor.value() == today + timedelta(days=1)


@popup_shown
def test_tomorrow_shortcut(qtbot: QtBot, main: MainWindow) -> None:
    form = new_task(qtbot, main)
    editor = date_editor(form, "due_at")
    editor.open_calendar()
    tomorrow = editor.shortcut_buttons["tomorrow"]
    assert tomorrow.text() == "Tomorrow"
    qtbot.mouseClick(tomorrow, Qt.MouseButton.LeftButton)
    assert not editor.popup.isVisible()
    expected = datetime.combine(date.today() + timedelta(days=1), datetime.min.time())
    assert editor.value() == expected
    row_id = save(qtbot, main, form)
    assert stored(main, "tasks", row_id)["due_at"] == utc(expected)


def test_empty_field_shows_no_date_and_saves_none(qtbot: QtBot, main: MainWindow) -> None:
    form = new_task(qtbot, main)
    editor = date_editor(form, "due_at")
    assert editor.line_edit.text() == "" and editor.line_edit.placeholderText() == "No date"
    row_id = save(qtbot, main, form)
    assert stored(main, "tasks", row_id)["due_at"] is None


def test_cleared_field_saves_none(qtbot: QtBot, main: MainWindow, customer: dict[str, str]) -> None:
    form = open_form(qtbot, main, "followups", customer["followup"])
    editor = date_editor(form, "next_step_at")
    assert editor.value() is not None
    editor.line_edit.clear()
    editor.line_edit.editingFinished.emit()
    save(qtbot, main, form)
    assert stored(main, "followups", customer["followup"])["next_step_at"] is None


def test_editing_another_field_leaves_the_date_alone(
    qtbot: QtBot, main: MainWindow, customer: dict[str, str]
) -> None:
    form = open_form(qtbot, main, "followups", customer["followup"])
    assert date_editor(form, "next_step_at").line_edit.text()
    form.editors["next_step"].set_value("Send the quote")
    save(qtbot, main, form)
    values = stored(main, "followups", customer["followup"])
    assert values["next_step"] == "Send the quote"
    assert values["next_step_at"] == NEXT_STEP
