"""A record's form names the customer it belongs to (its customer field is not in the form),
starts a new deal, task or contract as the user's, puts the notes box beside its label, and
shows a phone field an example of its kind."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.record_form import RecordForm
from tests.views.helpers import wait_idle

NAME = "青岛市华强医疗器械有限公司"


def a_customer(window: MainWindow) -> str:
    customer = window.writer.create("customers", {"name": NAME}).primary_id
    assert customer
    return customer


def opened(qtbot: QtBot, window: MainWindow, form: RecordForm) -> RecordForm:
    wait_idle(qtbot, window)
    return form


def names_the_customer(form: RecordForm, title: str) -> bool:
    return (
        form.windowTitle() == f"{title} — {NAME}"
        and form.customer_line.isVisible()
        and form.customer_line.text() == f"Customer: {NAME}"
    )


def test_every_form_of_a_customers_record_names_the_customer(
    qtbot: QtBot, window: MainWindow
) -> None:
    customer = a_customer(window)
    page = window.records.open_customer(customer)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    for entity, title in (
        ("followups", "New follow-up"),
        ("contacts", "New contact"),
        ("opportunities", "New opportunity"),
        ("tasks", "New task"),
        ("contracts", "New contract"),
    ):
        form = opened(qtbot, window, page.add(entity))
        assert names_the_customer(form, title), form.windowTitle()
        form.done(0)
    payment = opened(qtbot, window, page.record_payment())
    assert names_the_customer(payment, "Record a payment")
    payment.done(0)
    # Logging a call from a list or from Today (Ctrl+L): the form says for whom.
    call = opened(qtbot, window, window.records.log_call(customer))
    assert names_the_customer(call, "New follow-up")
    call.done(0)
    # The customer's own form needs no such line.
    edit = opened(qtbot, window, page.edit())
    assert edit.windowTitle() == "Edit customer" and not edit.customer_line.isVisible()
    edit.done(0)
    page.close()


def test_a_saved_record_opened_from_its_list_names_its_customer(
    qtbot: QtBot, window: MainWindow
) -> None:
    customer = a_customer(window)
    deal = window.writer.create(
        "opportunities", {"customer_id": customer, "title": "Scanners", "stage": "lead"}
    ).primary_id
    contract = window.writer.create(
        "contracts", {"customer_id": customer, "number": "HT-7", "amount_cents": 5000}
    ).primary_id
    assert deal and contract
    window.records.open_record("opportunities", deal)
    wait_idle(qtbot, window)
    (form,) = [f for f in window.findChildren(RecordForm) if f.isVisible()]
    assert names_the_customer(form, "Edit opportunity")
    form.done(0)
    # An instalment's customer is its contract's.
    contract_page = window.records.open_contract(contract)
    qtbot.waitUntil(lambda: contract_page.sheet is not None, timeout=5000)
    instalment = opened(qtbot, window, contract_page.add_instalment())
    assert names_the_customer(instalment, "New instalment")
    instalment.done(0)
    contract_page.close()


def test_a_new_deal_task_or_contract_from_a_customer_page_is_the_users(
    qtbot: QtBot, window: MainWindow
) -> None:
    customer = a_customer(window)
    page = window.records.open_customer(customer)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    me = window.profile.user_id
    for entity, owner in (
        ("opportunities", "owner_id"),
        ("tasks", "assignee_id"),
        ("contracts", "owner_id"),
    ):
        form = opened(qtbot, window, page.add(entity))
        assert form.editors[owner].value() == me, entity
        assert form.editors[owner].input.currentText() != ""  # his name, shown
        assert not form.has_unsaved_changes()  # set for him: closing asks nothing
        form.done(0)

    # Save and new: the next task is his too.
    form = opened(qtbot, window, page.add("tasks"))
    form.editors["title"].set_value("Call back")
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.save(and_new=True)
    wait_idle(qtbot, window)
    assert form.editors["assignee_id"].value() == me
    form.done(0)
    page.close()


def test_an_owner_given_to_the_form_is_kept(qtbot: QtBot, window: MainWindow) -> None:
    customer = a_customer(window)
    other = "00000000-0000-4000-8000-0000000000aa"
    form = RecordForm(
        "contracts",
        window.runner,
        window.reader,
        window.writer,
        None,
        {"customer_id": customer, "owner_id": other},
    )
    qtbot.addWidget(form)
    wait_idle(qtbot, window)
    assert form.editors["owner_id"].value() == other
    form.done(0)


def test_the_notes_label_stands_beside_its_box(qtbot: QtBot, window: MainWindow) -> None:
    customer = a_customer(window)
    page = window.records.open_customer(customer)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    forms = [page.add(entity) for entity in ("contacts", "opportunities", "tasks")]
    forms.append(page.record_payment())
    wait_idle(qtbot, window)
    for form in forms:
        form.resize(560, 640)
        qtbot.waitUntil(lambda f=form: f.height() == 640, timeout=5000)
        notes = form.editors["notes"]
        layout = notes.parentWidget().layout()
        assert isinstance(layout, QFormLayout)
        label = layout.labelForField(notes)
        assert isinstance(label, QLabel)
        box = notes.input
        box_top = box.mapTo(form, box.rect().topLeft()).y()
        label_top = label.mapTo(form, label.rect().topLeft()).y()
        assert abs(box_top - label_top) <= 8, (form.entity, box_top, label_top)
        form.done(0)
    page.close()


def test_a_desk_phone_shows_a_landline_example(qtbot: QtBot, window: MainWindow) -> None:
    customer = a_customer(window)
    page = window.records.open_customer(customer)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    form = opened(qtbot, window, page.add("contacts"))
    examples = {}
    for name in ("phone", "mobile"):
        line = form.editors[name].input
        assert isinstance(line, QLineEdit)
        examples[name] = line.placeholderText()
    assert examples == {"phone": "010 1234 5678", "mobile": "138 0013 8000"}
    form.done(0)
    edit = opened(qtbot, window, page.edit())
    assert edit.editors["phone"].input.placeholderText() == "010 1234 5678"
    edit.done(0)
    page.close()


def offered(form: RecordForm, field: str) -> list[str]:
    combo = form.editors[field].input
    return [combo.itemText(row) for row in range(combo.count()) if combo.itemData(row)]


def test_a_customers_owner_is_chosen_among_reps_and_managers(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Only a rep or a manager may own a customer (the server refuses a clerk or another
    administrator, 0035); the administrator using this profile may own what he enters. A
    task's assignee is anyone's to choose."""
    for login, role in (("li", "rep"), ("wang", "manager"), ("zhao", "clerk"), ("qian", "admin")):
        window.writer.create("users", {"login": login, "name": login, "role": role})
    me = window.reader.record("users", window.profile.user_id)["name"]
    form = opened(qtbot, window, window.records.new_record())
    assert sorted(offered(form, "owner_id")) == sorted(["li", "wang", me])
    form.done(0)
    page = window.records.open_customer(a_customer(window))
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    task = opened(qtbot, window, page.add("tasks"))
    assert sorted(offered(task, "assignee_id")) == sorted(["li", "wang", "zhao", "qian", me])
    task.done(0)
    page.close()


def test_an_owner_the_list_leaves_out_is_still_shown_and_kept(
    qtbot: QtBot, window: MainWindow
) -> None:
    """A customer owned, from before the rule, by a user who is a clerk now: its form shows him
    as the owner (not an empty box), and saving another field keeps him."""
    clerk = window.writer.create("users", {"login": "zhao", "name": "赵文员", "role": "clerk"})
    customer = window.writer.create(
        "customers", {"name": "老客户", "owner_id": clerk.primary_id}
    ).primary_id
    page = window.records.open_customer(customer)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    form = opened(qtbot, window, page.edit())
    owner = form.editors["owner_id"]
    qtbot.waitUntil(lambda: owner.input.currentText() == "赵文员", timeout=5000)
    assert "赵文员" in offered(form, "owner_id")
    form.editors["industry"].set_value("电子")
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.save()
    wait_idle(qtbot, window)
    assert window.reader.record("customers", customer)["owner_id"] == clerk.primary_id
    page.close()
