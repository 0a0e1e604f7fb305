"""Forms opened from any tab keep the links of their record (issue 8, defect 7), and a customer
page shows the tasks added or edited on it at once (defect 3)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QLineEdit
from pytestqt.qtbot import QtBot

from crm_desktop.models.entities import Opportunity, Task
from crm_desktop.profile import open_profile
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.record_form import RecordForm
from tests.views.helpers import shown_window, wait_idle


@pytest.fixture
def seeded(profile_dir: Path) -> dict[str, str]:
    """A customer with a contact, an opportunity on that contact and a task on the opportunity."""
    profile = open_profile(profile_dir)
    try:
        writer = profile.writer()
        customer = writer.create("customers", {"name": "Acme"}).primary_id
        assert customer
        contact = writer.create("contacts", {"customer_id": customer, "name": "Emily Carter"})
        deal = writer.create(
            "opportunities",
            {
                "customer_id": customer,
                "contact_id": contact.primary_id,
                "title": "Steel order",
                "stage": "lead",
                "amount_cents": 100000,
                "expected_close": date(2027, 1, 15),
            },
        )
        task = writer.create(
            "tasks",
            {"customer_id": customer, "opportunity_id": deal.primary_id, "title": "Send quote"},
        )
        ids = {
            "customer": customer,
            "contact": contact.primary_id,
            "deal": deal.primary_id,
            "task": task.primary_id,
        }
    finally:
        profile.close()
    return {key: value for key, value in ids.items() if value}


@pytest.fixture
def main(qtbot: QtBot, profile_dir: Path, seeded: dict[str, str]) -> Iterator[MainWindow]:
    yield from shown_window(qtbot, profile_dir)


def open_from_tab(qtbot: QtBot, main: MainWindow, entity: str, row_id: str) -> RecordForm:
    """Select the row on its tab and open it, as Enter or a double click does."""
    main.go(entity)
    model = main.models[entity]
    qtbot.waitUntil(lambda: row_id in [model.row_id(r) for r in range(model.rowCount())])
    row = [model.row_id(r) for r in range(model.rowCount())].index(row_id)
    main.views[entity].selectRow(row)
    before = set(main.findChildren(RecordForm))
    main.records.open_selected()
    (form,) = set(main.findChildren(RecordForm)) - before
    wait_idle(qtbot, main)
    return form


def stored(main: MainWindow, model: type, row_id: str) -> object:
    with main.profile.store.read() as session:
        row = session.get(model, row_id)
        session.expunge(row)
        return row


def save(qtbot: QtBot, main: MainWindow, form: RecordForm) -> None:
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.save()
    wait_idle(qtbot, main)


def test_editing_the_amount_from_the_tab_keeps_the_contact(
    qtbot: QtBot, main: MainWindow, seeded: dict[str, str]
) -> None:
    form = open_from_tab(qtbot, main, "opportunities", seeded["deal"])
    contact = form.editors["contact_id"].input
    assert isinstance(contact, QComboBox)
    assert contact.currentText() == "Emily Carter"
    amount = form.editors["amount_cents"].input
    assert isinstance(amount, QDoubleSpinBox)
    amount.setValue(2500)
    save(qtbot, main, form)
    deal = stored(main, Opportunity, seeded["deal"])
    assert deal.amount_cents == 250000
    assert deal.contact_id == seeded["contact"]


def test_editing_a_task_from_the_tab_keeps_its_opportunity(
    qtbot: QtBot, main: MainWindow, seeded: dict[str, str]
) -> None:
    form = open_from_tab(qtbot, main, "tasks", seeded["task"])
    opportunity = form.editors["opportunity_id"].input
    assert isinstance(opportunity, QComboBox)
    assert opportunity.currentText() == "Steel order"
    title = form.editors["title"].input
    assert isinstance(title, QLineEdit)
    title.setText("Send the quote")
    save(qtbot, main, form)
    task = stored(main, Task, seeded["task"])
    assert task.title == "Send the quote"
    assert task.opportunity_id == seeded["deal"]
    assert task.customer_id == seeded["customer"]


def test_a_link_the_list_cannot_show_is_not_cleared(
    qtbot: QtBot, main: MainWindow, seeded: dict[str, str]
) -> None:
    # The contact is deleted: it is no longer offered, but the opportunity still names it.
    main.writer.delete("contacts", [seeded["contact"]])
    form = open_from_tab(qtbot, main, "opportunities", seeded["deal"])
    assert not form.has_unsaved_changes()
    form.editors["amount_cents"].set_value(300000)
    save(qtbot, main, form)
    deal = stored(main, Opportunity, seeded["deal"])
    assert deal.amount_cents == 300000
    assert deal.contact_id == seeded["contact"]


def test_only_changed_fields_are_written(
    qtbot: QtBot, main: MainWindow, seeded: dict[str, str]
) -> None:
    form = open_from_tab(qtbot, main, "opportunities", seeded["deal"])
    form.editors["title"].set_value("Steel order 2027")
    sent: list[dict] = []
    update = main.writer.update
    main.writer.update = lambda entity, row_id, values, **options: (  # type: ignore[method-assign]
        sent.append(dict(values)) or update(entity, row_id, values, **options)
    )
    try:
        save(qtbot, main, form)
    finally:
        main.writer.update = update  # type: ignore[method-assign]
    assert sent == [{"title": "Steel order 2027"}]


def test_customer_page_shows_a_task_added_or_edited_on_it_at_once(
    qtbot: QtBot, main: MainWindow, seeded: dict[str, str]
) -> None:
    page = main.records.open_customer(seeded["customer"])
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    tasks = page.lists["tasks"]
    assert tasks.rowCount() == 1

    form = page.add("tasks")
    form.editors["title"].set_value("Call back")
    save(qtbot, main, form)
    qtbot.waitUntil(lambda: tasks.rowCount() == 2, timeout=5000)
    titles = {tasks.item(row, 0).text() for row in range(tasks.rowCount())}
    assert titles == {"Send quote", "Call back"}

    row = [tasks.item(r, 0).text() for r in range(2)].index("Send quote")
    before = set(page.findChildren(RecordForm))
    tasks.doubleClicked.emit(tasks.model().index(row, 0))
    (edit,) = set(page.findChildren(RecordForm)) - before
    wait_idle(qtbot, main)
    opportunity = edit.editors["opportunity_id"].input
    assert isinstance(opportunity, QComboBox)
    assert opportunity.currentText() == "Steel order"
    edit.editors["title"].set_value("Send the revised quote")
    save(qtbot, main, edit)
    qtbot.waitUntil(
        lambda: "Send the revised quote" in {tasks.item(r, 0).text() for r in range(2)},
        timeout=5000,
    )
    assert stored(main, Task, seeded["task"]).opportunity_id == seeded["deal"]
    page.close()
