"""How the record form takes input besides typing: the mouse wheel rolled over it, Tab
through its tables, a phone number of the profile's own region checked as it is typed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QFocusEvent, QWheelEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from crm_desktop.models.entities import Payment
from crm_desktop.profile import REGION_KEY, open_profile
from crm_desktop.views.field_editors import AmountBox
from crm_desktop.views.main_window import MainWindow
from tests.views.helpers import shown_window, wait_idle
from tests.views.test_main_window import fill


def roll_wheel_over(widget: object) -> None:
    """One notch down, with the pointer over the widget (as on the way down a long form)."""
    event = QWheelEvent(
        QPointF(5, 5),
        QPointF(5, 5),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_changes_a_list_or_a_number_only_once_the_user_is_in_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    form = window.records.new_record()
    wait_idle(qtbot, window)
    grade, name = form.editors["grade"], form.editors["name"]
    name.input.setFocus()
    assert not grade.input.hasFocus()
    roll_wheel_over(grade.input)
    assert grade.value() is None
    assert not form.has_unsaved_changes()
    assert not grade.input.hasFocus()  # the wheel does not take the focus either
    grade.input.setFocus()
    roll_wheel_over(grade.input)
    assert grade.value() == "A"  # in it, the wheel picks as the arrow keys would


def test_tab_leaves_the_identifiers_table_for_the_next_field(
    qtbot: QtBot, window: MainWindow
) -> None:
    form = window.records.new_record()
    wait_idle(qtbot, window)
    table = form.identifiers
    assert table is not None
    table.add_row()
    table.setFocus()
    table.setCurrentCell(0, 1)
    seen = set()
    for _ in range(4):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.add(QApplication.focusWidget())
    assert seen - {table, table.cellWidget(0, 0)}  # it got out, to the buttons below


def test_a_phone_of_the_profiles_region_is_not_called_invalid_beside_the_field(
    qtbot: QtBot, profile_dir: Path
) -> None:
    profile = open_profile(profile_dir)
    profile.store.set_setting(REGION_KEY, "HK")
    profile.close()
    for window in shown_window(qtbot, profile_dir):
        form = window.records.new_record()
        fill(qtbot, form, "phone", "9123 4567")  # a Hong Kong mobile, typed as people there do
        form.editors["phone"].check_phone()  # as leaving the field does
        assert form.editors["phone"].error.isHidden()
        fill(qtbot, form, "name", "港岛贸易")
        with qtbot.waitSignal(form.saved, timeout=5000):
            form.save()
        wait_idle(qtbot, window)
        customer = window.models["customers"]
        window.go("customers")
        qtbot.waitUntil(lambda customer=customer: customer.rowCount() == 1, timeout=5000)


def test_a_new_record_starts_with_its_defaults_and_a_required_amount_empty(
    qtbot: QtBot, window: MainWindow
) -> None:
    customer = window.writer.create("customers", {"name": "Acme"}).primary_id
    page = window.records.open_customer(customer)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    deal = page.add("opportunities")
    wait_idle(qtbot, window)
    assert deal.editors["probability"].value() == 10  # the model's default, not 0
    assert not deal.has_unsaved_changes()
    deal.done(0)

    payment = page.record_payment()
    wait_idle(qtbot, window)
    amount = payment.editors["amount_cents"]
    assert amount.value() is None
    assert amount.input.text().strip() == ""  # shown empty, not ¥ 0.01
    with qtbot.assertNotEmitted(payment.saved, wait=200):
        payment.save()
    assert amount.error.text() == "Amount is required."
    amount.input.setValue(12.5)
    assert amount.value() == 1250
    with qtbot.waitSignal(payment.saved, timeout=5000):
        payment.save()
    page.close()


def _type_over(box: AmountBox, text: str) -> None:
    """Typed into an amount box key by key, as an input method delivers its characters."""
    line = box.lineEdit()
    line.setFocus()
    line.selectAll()
    line.del_()
    for character in text:
        line.insert(character)


def test_an_amount_is_read_as_typed_and_a_misplaced_comma_is_refused_not_guessed(
    qtbot: QtBot, window: MainWindow
) -> None:
    customer = window.writer.create("customers", {"name": "Acme"}).primary_id
    page = window.records.open_customer(customer)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    payment = page.record_payment()
    wait_idle(qtbot, window)
    amount = payment.editors["amount_cents"]
    box = amount.input
    assert isinstance(box, AmountBox)
    # A Chinese input method's full-width digits and full stop: 1234.5, not 12345.
    _type_over(box, "１２３４。５")
    assert amount.value() == 123450
    # 12,50 is refused, not read as 1,250; leaving the box keeps the text and says why.
    _type_over(box, "12,50")
    payment.editors["paid_on"].input.setFocus()
    box.focusOutEvent(QFocusEvent(QEvent.Type.FocusOut))
    assert box.lineEdit().text().endswith("12,50")
    assert amount.error.isVisibleTo(payment) and "between thousands" in amount.error.text()
    with qtbot.assertNotEmitted(payment.saved, wait=200):
        payment.save()
    assert "between thousands" in amount.error.text()
    # Enter saves the form: refused as well, the text kept, not the 12 typed on the way.
    _type_over(box, "12,50")
    with qtbot.assertNotEmitted(payment.saved, wait=200):
        qtbot.keyClick(box.lineEdit(), Qt.Key.Key_Return)
    assert box.lineEdit().text().endswith("12,50")
    assert "between thousands" in amount.error.text()
    _type_over(box, "12.50")
    assert amount.value() == 1250 and not amount.error.isVisibleTo(payment)
    with qtbot.waitSignal(payment.saved, timeout=5000):
        payment.save()
    with window.profile.store.read() as session:
        paid = session.scalars(select(Payment.amount_cents)).all()
    assert paid == [1250]
    page.close()


def test_enter_opens_a_row_of_a_customers_page_as_a_double_click_does(
    qtbot: QtBot, window: MainWindow
) -> None:
    from crm_desktop.views.record_form import RecordForm

    customer = window.writer.create("customers", {"name": "Acme"}).primary_id
    contact = window.writer.create("contacts", {"customer_id": customer, "name": "Emily"})
    page = window.records.open_customer(customer)
    qtbot.waitUntil(lambda: page.lists["contacts"].rowCount() == 1, timeout=5000)
    contacts = page.lists["contacts"]
    contacts.setFocus()
    contacts.setCurrentCell(0, 0)
    before = set(page.findChildren(RecordForm))
    qtbot.keyClick(contacts, Qt.Key.Key_Return)
    (form,) = set(page.findChildren(RecordForm)) - before
    assert (form.entity, form.row_id) == ("contacts", contact.primary_id)
    form.done(0)
    page.close()


def test_the_wheel_leaves_an_identifiers_kind_alone_until_the_user_is_in_it(
    qtbot: QtBot, window: MainWindow
) -> None:
    form = window.records.new_record()
    wait_idle(qtbot, window)
    table = form.identifiers
    assert table is not None
    table.add_row()
    kind = table.cellWidget(0, 0)
    before = kind.currentIndex()
    form.editors["name"].input.setFocus()
    roll_wheel_over(kind)
    assert kind.currentIndex() == before
