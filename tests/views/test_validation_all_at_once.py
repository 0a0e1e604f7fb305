"""Saving a form marks every bad field at once, and a fixed field's message goes at once."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from crm_desktop.views.main_window import MainWindow
from tests.views.helpers import wait_idle
from tests.views.test_main_window import fill


def test_every_bad_field_is_marked_on_save_and_each_clears_when_fixed(
    qtbot: QtBot, window: MainWindow
) -> None:
    form = window.records.new_record()
    editors = form.editors
    fill(qtbot, form, "phone", "1380013800")  # ten digits
    fill(qtbot, form, "email", "nobody-at-example")
    # The name, required, is left empty.
    with qtbot.assertNotEmitted(form.saved, wait=200):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
        # All three at once, without waiting on the storage thread.
        assert editors["name"].error.isVisible()
        assert editors["phone"].error.isVisible()
        assert editors["email"].error.isVisible()
    assert editors["name"].error.text() == "Name is required."
    assert editors["phone"].error.text() == (
        "Phone: “1380013800” has 10 digits; a mobile number in China has 11."
    )
    assert editors["email"].error.text() == "“nobody-at-example” is not an email address."
    assert form.isVisible()
    wait_idle(qtbot, window)
    assert window.models["customers"].rowCount() == 0

    # Fixing the email takes its message away at once; the others stay.
    fill(qtbot, form, "email", "sales@example.cn")
    assert not editors["email"].error.isVisible()
    assert editors["name"].error.isVisible()
    assert editors["name"].error.text() == "Name is required."
    assert editors["phone"].error.isVisible()

    # So does fixing the phone; the name's stays until it is typed.
    fill(qtbot, form, "phone", "13800138000")
    assert not editors["phone"].error.isVisible()
    assert editors["name"].error.isVisible()
    fill(qtbot, form, "name", "Acme")
    assert not editors["name"].error.isVisible()

    with qtbot.waitSignal(form.saved, timeout=5000):
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    assert window.models["customers"].rowCount() == 1


def test_a_field_without_a_message_is_not_checked_while_typed(
    qtbot: QtBot, window: MainWindow
) -> None:
    form = window.records.new_record()
    fill(qtbot, form, "email", "half-typed")
    assert not form.editors["email"].error.isVisible()


def test_a_phone_with_an_extension_is_saved_with_it(qtbot: QtBot, window: MainWindow) -> None:
    form = window.records.new_record()
    fill(qtbot, form, "name", "Acme")
    fill(qtbot, form, "phone", "0755-8888 1234 ext 5")
    with qtbot.waitSignal(form.saved, timeout=5000) as saved:
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, window)
    customer_id = saved.args[0].primary_id
    assert window.reader.record("customers", customer_id)["phone"] == "+8675588881234;ext=5"
