"""The Conflicts window on real devices synced with the real server: a refused change shows the
record and the values that were not saved, and a record a delete won over can be restored."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from crm_desktop import cli
from crm_desktop.sync.server.admin import assign_clerk
from crm_desktop.views.conflicts_view import ConflictsView
from crm_desktop.views.runner import Runner
from tests.sync.conftest import Device, Fleet, fleet  # noqa: F401 (the fixture)
from tests.views.helpers import idle


@pytest.fixture
def open_window(qtbot: QtBot) -> Iterator:
    """Opens the Conflicts window on a device, with a storage thread of its own."""
    runners: list[Runner] = []

    def open_on(device: Device) -> ConflictsView:
        runner = Runner(str(device.profile.store.path))
        runners.append(runner)
        view = ConflictsView(device.profile.store, device.writer, runner)
        qtbot.addWidget(view)
        idle(qtbot, runner)
        return view

    yield open_on
    for runner in runners:
        runner.shutdown()


def button(view: ConflictsView, name: str) -> QPushButton | None:
    return view.findChild(QPushButton, name)


def sentences(view: ConflictsView) -> list[str]:
    return [view.table.item(row, 0).text() for row in range(view.table.rowCount())]


def clerk_whose_time_ended(fleet: Fleet) -> Device:  # noqa: F811
    """cal enters records for rob; his time ends while he works offline."""
    fleet.db.add_user("cal", "clerk")
    rob, cal = fleet.device("rob"), fleet.device("cal")
    rob.writer.create("customers", {"name": "Rob's first"})
    rob.sync()
    assign_clerk(fleet.db.admin_dsn, "cal", "rob", datetime.now(UTC) + timedelta(days=1))
    cal.sync()
    fleet.admin("UPDATE clerk_assignments SET valid_until = now() - interval '1 minute'")
    return cal


def test_a_refused_new_customer_is_listed_with_its_name_and_typed_values(
    qtbot: QtBot,
    fleet: Fleet,  # noqa: F811
    open_window,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    cal = clerk_whose_time_ended(fleet)
    typed = {
        "name": "Acme Pumps",
        "phone": "13800138000",
        "industry": "Steel",
        "notes": "Wants a quote\nby Friday",
    }
    customer_id = cal.writer.create("customers", typed).primary_id
    report = cal.sync()
    assert report.pushed.refused == 1
    # Never on the server, and taken off this computer by the pull: only the conflict has it.
    assert fleet.server_row("customers", customer_id) is None
    assert cal.row("customers", customer_id) is None

    view = open_window(cal)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=5000)
    (sentence,) = sentences(view)
    assert sentence.startswith(
        "The server did not accept your change to this customer “Acme Pumps”"
    )
    assert "your time entering records for rob ended" in sentence
    for shown in (
        "Name: Acme Pumps",
        "Phone: 138 0013 8000",
        "Industry: Steel",
        "Notes: Wants a quote by Friday",
        "Owner: rob",
    ):
        assert shown in sentence, (shown, sentence)
    assert customer_id not in sentence  # an id means nothing to the user

    # The command line says the same.
    capsys.readouterr()
    assert cli.main(["conflicts", "--profile", str(cal.directory)]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert "“Acme Pumps”" in line and "Phone: 138 0013 8000" in line and "Owner: rob" in line

    # The values can be copied, one a line, to type them again.
    conflict_id = view.conflicts[0].id
    copy = button(view, f"copy_{conflict_id}")
    assert copy is not None
    copy.click()
    copied = QGuiApplication.clipboard().text().splitlines()
    assert "Name: Acme Pumps" in copied and "Industry: Steel" in copied
    # Keeping it as it is asks first: the values are kept nowhere else.
    asked: list[str] = []

    def answer(reply: QMessageBox.StandardButton):
        def question(_parent, _title, text, *args):
            asked.append(text)
            return reply

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    button(view, f"dismiss_{conflict_id}").click()
    idle(qtbot, view._runner)
    assert asked and view.table.rowCount() == 1 and cal.conflicts()
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    button(view, f"dismiss_{conflict_id}").click()
    qtbot.waitUntil(lambda: view.table.rowCount() == 0, timeout=5000)
    assert cal.conflicts() == []


def test_a_refused_edit_lists_the_values_it_changed(
    qtbot: QtBot,
    fleet: Fleet,  # noqa: F811
    open_window,
) -> None:
    fleet.db.add_user("cal", "clerk")
    rob, cal = fleet.device("rob"), fleet.device("cal")
    customer_id = rob.writer.create("customers", {"name": "代录客户"}).primary_id
    rob.sync()
    assign_clerk(fleet.db.admin_dsn, "cal", "rob", datetime.now(UTC) + timedelta(days=1))
    cal.sync()
    fleet.admin("UPDATE clerk_assignments SET valid_until = now() - interval '1 minute'")
    cal.writer.update("customers", customer_id, {"industry": "Glass", "email": "a@b.cn"})
    cal.sync()

    view = open_window(cal)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=5000)
    (sentence,) = sentences(view)
    # The customer left this computer with the clerk's time: its name was kept with the
    # refused change, and its values are there to type again.
    assert "代录客户" in sentence
    assert sentence.endswith("give the change to rob. Not saved: Industry: Glass; Email: a@b.cn.")


def two_robs(fleet: Fleet) -> tuple[Device, Device, str]:  # noqa: F811
    laptop, desktop = fleet.device("rob"), fleet.device("rob")
    customer_id = laptop.writer.create(
        "customers", {"name": "Acme", "industry": "Paper"}
    ).primary_id
    laptop.writer.create("contacts", {"customer_id": customer_id, "name": "Zhang"})
    laptop.sync()
    desktop.sync()
    return laptop, desktop, customer_id


def test_an_edit_that_lost_to_a_delete_is_restored_with_the_record(
    qtbot: QtBot,
    fleet: Fleet,  # noqa: F811
    open_window,
) -> None:
    laptop, desktop, customer_id = two_robs(fleet)
    laptop.writer.delete("customers", [customer_id])
    desktop.writer.update("customers", customer_id, {"industry": "Steel"})
    laptop.sync()  # the delete reaches the server first
    desktop.sync()
    (conflict,) = desktop.conflicts()
    assert conflict.kind == "edited_deleted"
    assert desktop.row("customers", customer_id).deleted_at is not None

    view = open_window(desktop)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=5000)
    # Putting the value into a deleted record cannot work: not offered; restoring is.
    assert button(view, f"reapply_{conflict.id}") is None
    restore = button(view, f"restore_{conflict.id}")
    assert restore is not None and restore.text() == "Restore the record"
    restore.click()
    qtbot.waitUntil(lambda: view.table.rowCount() == 0, timeout=5000)
    assert view.message.text() == "No conflicts."

    row = desktop.row("customers", customer_id)
    assert (row.deleted_at, row.industry) == (None, "Steel")
    (contact_id,) = desktop.ids("contacts")
    assert desktop.row("contacts", contact_id).deleted_at is None  # what the delete took
    desktop.sync()
    laptop.sync()
    server = fleet.server_row("customers", customer_id)
    assert (server["deleted_at"], server["industry"]) == (None, "Steel")
    assert fleet.server_row("contacts", contact_id)["deleted_at"] is None
    row = laptop.row("customers", customer_id)
    assert (row.deleted_at, row.industry) == (None, "Steel")


def test_a_delete_over_someone_elses_edit_can_be_restored_from_the_window(
    qtbot: QtBot,
    fleet: Fleet,  # noqa: F811
    open_window,
) -> None:
    laptop, desktop, customer_id = two_robs(fleet)
    desktop.writer.update("customers", customer_id, {"industry": "Steel"})
    laptop.writer.delete("customers", [customer_id])
    desktop.sync()  # the edit reaches the server first
    laptop.sync()
    (conflict,) = laptop.conflicts()
    assert conflict.kind == "deleted_over_edit"

    view = open_window(laptop)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=5000)
    assert sentences(view) == [
        "You deleted the customer “Acme” after rob had changed it, or something of it this "
        "computer had not received yet; restore it to bring back their work."
    ]
    button(view, f"restore_{conflict.id}").click()
    qtbot.waitUntil(lambda: view.table.rowCount() == 0, timeout=5000)
    laptop.sync()
    desktop.sync()
    for device in (laptop, desktop):
        row = device.row("customers", customer_id)
        assert (row.deleted_at, row.industry) == (None, "Steel")


def test_a_delete_over_the_servers_own_change_says_the_server(
    qtbot: QtBot,
    fleet: Fleet,  # noqa: F811
    open_window,
) -> None:
    rob = fleet.device("rob")
    customer_id = rob.writer.create("customers", {"name": "Acme"}).primary_id
    rob.sync()
    # A change the server makes itself names nobody (as its grading does: migration 0015).
    fleet.admin("UPDATE customers SET grade = 'A', updated_by = NULL WHERE id = %s", (customer_id,))
    rob.writer.delete("customers", [customer_id])
    rob.sync()

    view = open_window(rob)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=5000)
    assert sentences(view) == [
        "You deleted the customer “Acme” after the server had changed it; restore it to bring "
        "back that change."
    ]


def test_many_conflicts_are_kept_as_they_are_in_one_go_but_a_deleted_record_stays(
    qtbot: QtBot,
    fleet: Fleet,  # noqa: F811
    open_window,
) -> None:
    """Keep all settles the values lost to another edit; a record deleted over someone's edit
    stays listed, its Restore the only way back to it."""
    laptop, desktop, customer_id = two_robs(fleet)
    other = laptop.writer.create("customers", {"name": "Bolt"}).primary_id
    laptop.sync()
    desktop.sync()
    for field, theirs, mine in (("industry", "Steel", "Wood"), ("email", "a@x.cn", "b@x.cn")):
        desktop.writer.update("customers", customer_id, {field: theirs})
        laptop.writer.update("customers", customer_id, {field: mine})
    desktop.writer.update("customers", other, {"industry": "Glass"})
    laptop.writer.delete("customers", [other])
    desktop.sync()
    laptop.sync()
    assert sorted(c.kind for c in laptop.conflicts()) == [
        "deleted_over_edit",
        "same_field",
        "same_field",
    ]
    view = open_window(laptop)
    qtbot.waitUntil(lambda: view.table.rowCount() == 3, timeout=5000)
    assert view.keep_all_button.isEnabled()
    view.keep_all(ask=False)
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=5000)
    (left,) = laptop.conflicts()
    assert (left.kind, left.row_id) == ("deleted_over_edit", other)
    assert not view.keep_all_button.isEnabled()
    assert button(view, f"restore_{left.id}") is not None
    row = laptop.row("customers", customer_id)
    assert (row.industry, row.email) == ("Steel", "a@x.cn")
