"""A task planned from the calendar or the Tasks list is tied to its customer by typing what one
knows of it (part of the name, its pinyin, a phone) and choosing among the matches; its list of
deals then holds that customer's. Unchosen again, the task is about nobody."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from crm_desktop.models.entities import SCOPE_KEY, Customer, Task
from crm_desktop.profile import Profile
from crm_desktop.queries.reader import Reader
from crm_desktop.views.customer_picker import CustomerPicker
from crm_desktop.views.record_form import RecordForm
from crm_desktop.views.runner import Runner
from tests.views.helpers import idle
from tests.views.test_calendar_view import WEDNESDAY, WEEK, at, open_calendar, show

# The drop-down of matches is a popup: the offscreen platform cannot give it the keyboard.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")


def seed(profile: Profile) -> dict[str, str]:
    writer = profile.writer()
    ids: dict[str, str] = {}
    with writer.transaction() as unit:
        ids["huaqiang"] = unit.create(
            "customers", {"name": "深圳市华强电子有限公司", "phone": "13800138000"}
        )
        ids["huanan"] = unit.create("customers", {"name": "华南电器", "phone": "0755 8888 1234"})
        ids["scanners"] = unit.create(
            "opportunities", {"customer_id": ids["huaqiang"], "title": "扫描仪", "stage": "lead"}
        )
        ids["fridges"] = unit.create(
            "opportunities", {"customer_id": ids["huanan"], "title": "冰柜", "stage": "lead"}
        )
    return ids


def typed(qtbot: QtBot, runner: Runner, picker: CustomerPicker, text: str) -> list[str]:
    """Type into the field as a user does; the lines the drop-down then shows."""
    picker.setFocus()
    picker.selectAll()
    if text.isascii():
        qtbot.keyClicks(picker, text)
    else:
        # As a Chinese input method gives a finished word (QTest types ASCII keys only).
        word = QInputMethodEvent()
        word.setCommitString(text)
        QApplication.sendEvent(picker, word)
    qtbot.wait(300)  # the typing pause
    idle(qtbot, runner)
    model = picker.matches
    return [model.item(row).text() for row in range(model.rowCount())]


def choose(qtbot: QtBot, picker: CustomerPicker, line: int) -> None:
    popup = picker.completer_popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    for _ in range(line + 1):
        qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)


def deal_titles(form: RecordForm) -> list[str]:
    combo = form.editors["opportunity_id"].input
    return [combo.itemText(at) for at in range(combo.count()) if combo.itemData(at)]


def new_task_from_the_calendar(qtbot: QtBot, profile: Profile, runner: Runner) -> RecordForm:
    view = open_calendar(qtbot, profile, runner)
    show(qtbot, view, runner, WEDNESDAY, WEEK)
    form = view.new_task(at(WEDNESDAY + timedelta(days=1), 10))
    idle(qtbot, runner)
    return form


def calendar_picker(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> tuple[RecordForm, CustomerPicker]:
    """A new task's form from the calendar, and its customer field."""
    form = new_task_from_the_calendar(qtbot, profile, runner)
    assert form.customer_picker is not None
    return form, form.customer_picker


def test_a_task_from_the_calendar_is_tied_to_the_customer_chosen_by_typing(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> None:
    ids = seed(profile)
    form, picker = calendar_picker(qtbot, profile, runner)
    assert picker.customer_id() is None
    assert deal_titles(form) == []  # no customer yet: nobody's deals

    # By its pinyin, by a phone as people say it, by part of its name.
    assert typed(qtbot, runner, picker, "huaqiang") == ["深圳市华强电子有限公司    138 0013 8000"]
    assert typed(qtbot, runner, picker, "0755 8888") == ["华南电器    0755 8888 1234"]
    assert typed(qtbot, runner, picker, "华") == [
        "华南电器    0755 8888 1234",
        "深圳市华强电子有限公司    138 0013 8000",
    ]
    assert typed(qtbot, runner, picker, "没有这家") == ["No customer matches “没有这家”."]

    typed(qtbot, runner, picker, "华")
    with qtbot.waitSignal(picker.picked, timeout=3000) as picked:
        choose(qtbot, picker, 1)
    assert picked.args == [ids["huaqiang"]]
    assert picker.text() == "深圳市华强电子有限公司"
    idle(qtbot, runner)
    assert deal_titles(form) == ["扫描仪"]
    assert form.windowTitle() == "New task — 深圳市华强电子有限公司"
    form.editors["opportunity_id"].set_value(ids["scanners"])
    form.editors["title"].set_value("带样品去华强")
    with qtbot.waitSignal(form.saved, timeout=10000):
        form.save_button.click()
    idle(qtbot, runner)
    with profile.store.read() as session:
        task = session.scalars(select(Task).where(Task.title == "带样品去华强")).one()
        assert (task.customer_id, task.opportunity_id) == (ids["huaqiang"], ids["scanners"])


def test_a_task_whose_customer_is_unchosen_is_about_nobody(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> None:
    ids = seed(profile)
    task_id = (
        profile.writer()
        .create(
            "tasks",
            {"title": "回访", "customer_id": ids["huanan"], "opportunity_id": ids["fridges"]},
        )
        .primary_id
    )
    form = RecordForm("tasks", runner, Reader(profile.store), profile.writer(), task_id)
    qtbot.addWidget(form)
    form.show()
    idle(qtbot, runner)
    picker = form.customer_picker
    assert picker is not None
    assert (picker.customer_id(), picker.text()) == (ids["huanan"], "华南电器")
    assert deal_titles(form) == ["冰柜"]
    assert not form.has_unsaved_changes()

    # Another customer: its deals, and the first one's deal is no longer offered.
    typed(qtbot, runner, picker, "13800138000")
    with qtbot.waitSignal(picker.picked, timeout=3000):
        choose(qtbot, picker, 0)
    idle(qtbot, runner)
    assert deal_titles(form) == ["扫描仪"]
    assert form.editors["opportunity_id"].value() is None

    # Emptied: nobody.
    picker.clear()
    idle(qtbot, runner)
    assert picker.customer_id() is None and deal_titles(form) == []
    assert form.windowTitle() == "Edit task"
    with qtbot.waitSignal(form.saved, timeout=10000):
        form.save_button.click()
    idle(qtbot, runner)
    with profile.store.read() as session:
        task = session.get(Task, task_id)
        assert task is not None and (task.customer_id, task.opportunity_id) == (None, None)


def test_a_form_opened_for_a_customer_offers_no_other(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> None:
    ids = seed(profile)
    form = RecordForm(
        "tasks",
        runner,
        Reader(profile.store),
        profile.writer(),
        None,
        {"customer_id": ids["huanan"]},
    )
    qtbot.addWidget(form)
    idle(qtbot, runner)
    assert form.customer_picker is None
    assert form.customer_line.text() == "Customer: 华南电器"
    # Records that always belong to a customer are opened from it: no field to choose one.
    follow_up = RecordForm("followups", runner, Reader(profile.store), profile.writer())
    qtbot.addWidget(follow_up)
    assert follow_up.customer_picker is None


def saved_titles(profile: Profile) -> list[str]:
    with profile.store.read() as session:
        return list(session.scalars(select(Task.title).order_by(Task.title)))


def test_a_name_typed_but_not_chosen_is_never_saved_as_a_task_about_nobody(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> None:
    seed(profile)
    form, picker = calendar_picker(qtbot, profile, runner)
    form.editors["title"].set_value("送报价单")
    problem = form.customer_problem

    # Typed, and Enter at once: no save; the matches are asked for and shown.
    picker.setFocus()
    qtbot.keyClicks(picker, "huanan")
    qtbot.keyClick(picker, Qt.Key.Key_Return)
    idle(qtbot, runner)
    assert saved_titles(profile) == [] and form.isVisible()
    assert picker.matches.rowCount() == 1 and picker.completer_popup().isVisible()

    # Typed, then Save without choosing: refused, said beside the field, nothing written.
    picker.completer_popup().hide()
    form.save_button.click()
    idle(qtbot, runner)
    assert saved_titles(profile) == []
    assert problem.isVisible() and "Choose the customer from the list" in problem.text()
    assert picker.hasFocus()
    # Closing asks first: what was typed is not thrown away unasked.
    assert form.has_unsaved_changes()

    # Chosen: the sentence goes, and the task is saved about that customer.
    typed(qtbot, runner, picker, "huanan")
    with qtbot.waitSignal(picker.picked, timeout=3000):
        choose(qtbot, picker, 0)
    assert not problem.isVisible()
    with qtbot.waitSignal(form.saved, timeout=10000):
        form.save_button.click()
    assert saved_titles(profile) == ["送报价单"]


def test_a_chosen_name_edited_afterwards_is_no_longer_a_customer(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> None:
    ids = seed(profile)
    task_id = profile.writer().create("tasks", {"title": "回访", "customer_id": ids["huanan"]})
    form = RecordForm("tasks", runner, Reader(profile.store), profile.writer(), task_id.primary_id)
    qtbot.addWidget(form)
    form.show()
    idle(qtbot, runner)
    picker = form.customer_picker
    assert picker is not None and picker.text() == "华南电器"
    picker.setFocus()
    picker.end(False)
    qtbot.keyClick(picker, Qt.Key.Key_Backspace)
    assert picker.customer_id() is None
    form.save_button.click()
    idle(qtbot, runner)
    assert form.customer_problem.isVisible()
    with profile.store.read() as session:
        task = session.get(Task, task_id.primary_id)
        assert task is not None and task.customer_id == ids["huanan"]  # unchanged
    # Emptied on purpose, the sentence goes: a task about no customer is the user's to make.
    picker.clear()
    assert not form.customer_problem.isVisible()


def test_what_was_typed_before_is_not_offered_for_what_is_typed_now(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> None:
    seed(profile)
    _form, picker = calendar_picker(qtbot, profile, runner)
    assert len(typed(qtbot, runner, picker, "华")) == 2
    assert picker.completer_popup().isVisible()
    word = QInputMethodEvent()
    word.setCommitString("南")  # on, before the pause: the old matches go at once
    QApplication.sendEvent(picker, word)
    assert picker.matches.rowCount() == 0 and not picker.completer_popup().isVisible()
    qtbot.keyClick(picker, Qt.Key.Key_Return)  # not the first of the old matches
    assert picker.customer_id() is None
    idle(qtbot, runner)
    assert [picker.matches.item(0).text()] == ["华南电器    0755 8888 1234"]


def test_the_customer_named_exactly_so_comes_first_and_namesakes_show_their_address(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> None:
    writer = profile.writer()
    with writer.transaction() as unit:
        # Sorted before her by pinyin, and many more of them than the drop-down shows.
        for number in range(250):
            unit.create("customers", {"name": f"安徽张艳贸易{number:03d}有限公司"})
        unit.create("customers", {"name": "张艳华"})
        unit.create("customers", {"name": "张艳", "address": "上海市浦东新区世纪大道100号"})
        unit.create("customers", {"name": "张艳", "address": "杭州市西湖区文三路"})
    _form, picker = calendar_picker(qtbot, profile, runner)
    lines = typed(qtbot, runner, picker, "张艳")
    # The namesakes (in no order of theirs), then the name that begins so, then the rest.
    assert sorted(lines[:2]) == [
        "张艳    上海市浦东新区世纪大道100号",
        "张艳    杭州市西湖区文三路",
    ]
    assert lines[2] == "张艳华"
    assert lines[3].startswith("安徽张艳贸易") and len(lines) == 12
    tips = {picker.matches.item(row).toolTip() for row in range(2)}
    assert tips == {"上海市浦东新区世纪大道100号", "杭州市西湖区文三路"}
    long = "广东省深圳市南山区科技园南区高新南七道数字技术园3栋1201室（近地铁站）"
    writer.create("customers", {"name": "张艳", "address": long})
    picker.setFixedWidth(200)  # a narrow window
    shown = typed(qtbot, runner, picker, "张艳")
    line = f"张艳    {long[:29]}…"
    assert line in shown
    # The drop-down is as wide as its lines need, not cut off again by the field's width.
    needed = picker.fontMetrics().horizontalAdvance(line)
    assert picker.completer_popup().width() > needed > picker.width()


def test_namesakes_with_nothing_else_show_when_each_was_entered(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> None:
    writer = profile.writer()
    # Stored in UTC; noon is the same day in every zone the tests may run in.
    entered = [datetime(2025, 3, 1, 12), datetime(2026, 5, 9, 12), datetime(2026, 5, 9, 12, 30)]
    ids = [writer.create("customers", {"name": "张伟"}).primary_id for _ in entered]
    with profile.store.write() as session:
        for customer_id, moment in zip(ids, entered, strict=True):
            row = session.get(Customer, customer_id)
            assert row is not None
            row.created_at = moment
    _form, picker = calendar_picker(qtbot, profile, runner)

    def minute(moment: datetime) -> str:  # the user's own clock
        return moment.replace(tzinfo=UTC).astimezone().strftime("%Y-%m-%d %H:%M")

    # The day, or the minute for two of one day.
    assert sorted(typed(qtbot, runner, picker, "张伟")) == [
        "张伟    entered 2025-03-01",
        f"张伟    entered {minute(entered[1])}",
        f"张伟    entered {minute(entered[2])}",
    ]


def test_a_rep_is_offered_no_customer_of_the_public_pool(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> None:
    ids = seed(profile)
    with profile.writer().transaction() as unit:
        # Many of the pool's sort before the rep's own by pinyin.
        pool = [unit.create("customers", {"name": f"阿里巴巴{n:03d}"}) for n in range(250)]
        unit.create("customers", {"name": "巴巴食品店"})
    with profile.store.write() as session:
        for customer_id in [ids["huanan"], *pool]:
            pooled = session.get(Customer, customer_id)
            assert pooled is not None
            pooled.owner_id = None
    profile.store.set_setting(SCOPE_KEY, f"rep {{{profile.user_id}}}")
    _form, picker = calendar_picker(qtbot, profile, runner)
    # Claimed first, then planned for: the server refuses a task on a customer in the pool.
    assert typed(qtbot, runner, picker, "华") == ["深圳市华强电子有限公司    138 0013 8000"]
    assert typed(qtbot, runner, picker, "巴巴") == ["巴巴食品店"]
    profile.store.set_setting(SCOPE_KEY, f"admin {{{profile.user_id}}}")
    assert len(typed(qtbot, runner, picker, "华")) == 2  # an administrator may


def test_a_customer_deleted_meanwhile_is_asked_for_again(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> None:
    ids = seed(profile)
    form, picker = calendar_picker(qtbot, profile, runner)
    typed(qtbot, runner, picker, "huanan")
    with qtbot.waitSignal(picker.picked, timeout=3000):
        choose(qtbot, picker, 0)
    profile.writer().delete("customers", [ids["huanan"]])  # on another window, say
    form.editors["title"].set_value("回访")
    form.save_button.click()
    idle(qtbot, runner)
    assert saved_titles(profile) == []
    assert "deleted or merged meanwhile" in form.customer_problem.text()
    assert picker.customer_id() is None and picker.text() == "华南电器"
    assert not form.message.isVisible()  # no id in a sentence for the user
