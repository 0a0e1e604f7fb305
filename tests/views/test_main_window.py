"""The real window, driven as a clerk would: type, press keys, click, confirm."""

from __future__ import annotations

import threading
from functools import partial

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QTableView
from pytestqt.qtbot import QtBot

from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.record_form import RecordForm
from tests.views.helpers import cell, rows_loaded, sqlite_statements, wait_idle


def fill(qtbot: QtBot, form: RecordForm, field: str, text: str) -> None:
    editor = form.editors[field].input
    assert isinstance(editor, QLineEdit)
    editor.clear()
    if text.isascii():
        qtbot.keyClicks(editor, text)
    else:
        # QTest can only type ASCII keys; Chinese arrives through the input method instead.
        editor.insert(text)


def create_customer(qtbot: QtBot, main: MainWindow, name: str, phone: str = "") -> None:
    form = main.records.new_record()
    fill(qtbot, form, "name", name)
    if phone:
        fill(qtbot, form, "phone", phone)
    with qtbot.waitSignal(form.saved, timeout=5000):
        qtbot.keyClick(form.editors["name"].input, Qt.Key.Key_Return)
    wait_idle(qtbot, main)


def test_testing_surface(window: MainWindow) -> None:
    for name in ("customersTable", "opportunitiesTable", "tasksTable", "contactsTable"):
        table = window.findChild(QTableView, name)
        assert table is not None and table.accessibleName()
    search = window.findChild(QLineEdit, "globalSearch")
    assert search is not None and search.accessibleName()


def test_create_edit_find_sort_delete_undo(qtbot: QtBot, window: MainWindow) -> None:
    model = window.models["customers"]
    create_customer(qtbot, window, "华为技术有限公司", "138-0013-8000")
    create_customer(qtbot, window, "Acme Steel", "+86 139 1234 5678")
    assert model.rowCount() == 2
    rows_loaded(qtbot, window, model)
    assert cell(model, 0, "name") == "Acme Steel"
    assert cell(model, 1, "phone") == "138 0013 8000"

    # Edit through the form opened on the customer's id.
    huawei = model.row_id(1)
    assert huawei
    form = RecordForm("customers", window.runner, window.reader, window.writer, huawei)
    qtbot.addWidget(form)
    wait_idle(qtbot, window)
    assert form.editors["name"].value() == "华为技术有限公司"
    fill(qtbot, form, "name", "华为技术")
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.save()
    wait_idle(qtbot, window)
    rows_loaded(qtbot, window, model)
    assert cell(model, 1, "name") == "华为技术"

    # Find it by the phone typed another way.
    qtbot.keyClicks(window.search, "+86 138 0013 8000")
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)
    assert model.row_id(0) == huawei
    window.search.clear()
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=5000)

    # Sort by clicking the Name header: descending puts 华为 first.
    view = window.views["customers"]
    header = view.horizontalHeader()
    name_column = model.spec.column_keys().index("name")
    header.setSortIndicator(name_column, Qt.SortOrder.DescendingOrder)
    wait_idle(qtbot, window)
    assert model.row_id(0) == huawei

    # Delete with confirmation, then undo.
    view.selectRow(0)
    qtbot.waitUntil(lambda: window.tabs.selected_ids() == [huawei])
    answers = iter([QMessageBox.StandardButton.Yes])
    original = QMessageBox.question
    QMessageBox.question = lambda *args, **kwargs: next(answers)  # type: ignore[method-assign]
    try:
        window.records.delete_action.trigger()
        wait_idle(qtbot, window)  # asked once what goes with it is read
    finally:
        QMessageBox.question = original  # type: ignore[method-assign]
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)
    assert huawei not in [model.row_id(0)]
    assert window.records.undo_action.isEnabled()
    window.records.undo_action.trigger()
    qtbot.waitUntil(lambda: model.rowCount() == 2, timeout=5000)
    assert huawei in {model.row_id(0), model.row_id(1)}


def test_declining_the_confirmation_deletes_nothing(qtbot: QtBot, window: MainWindow) -> None:
    create_customer(qtbot, window, "Keep Me Ltd")
    window.go("customers")
    window.views["customers"].selectRow(0)
    original = QMessageBox.question
    QMessageBox.question = lambda *a, **k: QMessageBox.StandardButton.No  # type: ignore[method-assign]
    try:
        window.records.delete_action.trigger()
        wait_idle(qtbot, window)  # asked once what goes with it is read
    finally:
        QMessageBox.question = original  # type: ignore[method-assign]
    wait_idle(qtbot, window)
    assert window.models["customers"].rowCount() == 1
    assert not window.records.undo_action.isEnabled()


def test_bad_input_shows_beside_the_field_and_saves_nothing(
    qtbot: QtBot, window: MainWindow
) -> None:
    form = window.records.new_record()
    fill(qtbot, form, "name", "Bad Phone Co")
    fill(qtbot, form, "phone", "12")
    form.save()
    qtbot.waitUntil(lambda: form.editors["phone"].error.isVisible(), timeout=5000)
    assert "is not a phone number" in form.editors["phone"].error.text()
    assert form.isVisible()

    fill(qtbot, form, "name", "")
    fill(qtbot, form, "phone", "")
    form.save()
    qtbot.waitUntil(lambda: form.editors["name"].error.isVisible(), timeout=5000)
    assert form.editors["name"].error.text() == "Name is required."
    wait_idle(qtbot, window)
    assert window.models["customers"].rowCount() == 0


def test_save_and_new_keeps_the_form_open(qtbot: QtBot, window: MainWindow) -> None:
    form = window.records.new_record()
    fill(qtbot, form, "name", "First Ltd")
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.save_new_button.click()
    assert form.isVisible()
    assert form.editors["name"].value() == ""
    fill(qtbot, form, "name", "Second Ltd")
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.save_new_button.click()
    wait_idle(qtbot, window)
    assert window.models["customers"].rowCount() == 2


def test_possible_duplicates_shown_while_typing(qtbot: QtBot, window: MainWindow) -> None:
    create_customer(qtbot, window, "深圳市华强电子有限公司", "13800138000")
    form = window.records.new_record()
    fill(qtbot, form, "name", "华强电子")
    qtbot.waitUntil(lambda: form.duplicates.isVisible(), timeout=5000)
    assert "深圳市华强电子有限公司" in form.duplicates.text()


def test_customer_page_shows_followups_and_contacts(qtbot: QtBot, window: MainWindow) -> None:
    create_customer(qtbot, window, "Acme")
    customer_id = window.models["customers"].row_id(0)
    assert customer_id
    window.writer.create("contacts", {"customer_id": customer_id, "name": "Emily Carter"})
    window.writer.create(
        "followups",
        {
            "customer_id": customer_id,
            "kind": "call",
            "text": "Asked for prices",
            "promise": "Quote by Friday\nSamples next week",
        },
    )
    page = window.records.open_customer(customer_id)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    assert page.title.text() == "Acme"
    assert page.lists["contacts"].item(0, 0).text() == "Emily Carter"
    assert "Asked for prices" in page.timeline.toPlainText()
    # A promise of several lines keeps them, as typed.
    assert "Quote by Friday\nSamples next week" in page.timeline.toPlainText()

    form = page.add("followups")
    form.editors["text"].input.setPlainText("Sent the quote")
    with qtbot.waitSignal(form.saved, timeout=5000):
        form.save()
    qtbot.waitUntil(lambda: "Sent the quote" in page.timeline.toPlainText(), timeout=5000)
    assert all(button.isEnabled() for button in page.changing)
    # Deleted meanwhile: the page says so and offers nothing that would fail.
    window.runner.write(partial(window.writer.delete, "customers", [customer_id]))
    qtbot.waitUntil(lambda: page.detail is None, timeout=5000)
    assert page.title.text() == "This customer was deleted."
    assert not any(button.isEnabled() for button in page.changing)
    # Ctrl+L there says why rather than opening a form that would fail.
    window.go(f"customer:{customer_id}")
    window.log_call_action.trigger()
    assert window.statusBar().currentMessage() == "This customer was deleted."
    assert not [f for f in window.findChildren(RecordForm) if f.isVisible()]
    page.close()


def test_column_layout_persists_per_user(qtbot: QtBot, window: MainWindow, profile_dir) -> None:
    view = window.views["customers"]
    view.setColumnHidden(window.models["customers"].spec.column_keys().index("email"), True)
    view.setColumnWidth(0, 333)
    window.close()
    window.profile.close()
    from crm_desktop.app import build_main_window

    again = build_main_window(profile_dir)
    qtbot.addWidget(again)
    try:
        email = again.models["customers"].spec.column_keys().index("email")
        assert again.views["customers"].isColumnHidden(email)
        assert again.views["customers"].columnWidth(0) == 333
    finally:
        again.close()
        wait_idle(qtbot, again)
        again.profile.close()


def test_new_customer_form_starts_with_sensible_defaults(qtbot: QtBot, window: MainWindow) -> None:
    form = window.records.new_record()
    wait_idle(qtbot, window)
    assert form.editors["kind"].value() == "company"
    assert form.editors["owner_id"].value() == window.profile.user_id


def open_question(form: RecordForm) -> QMessageBox:
    shown = [q for q in form.findChildren(QMessageBox, "discardQuestion") if q.isVisible()]
    assert len(shown) == 1
    return shown[0]


def test_closing_a_form_with_typed_input_asks_first(qtbot: QtBot, window: MainWindow) -> None:
    untouched = window.records.new_record()
    untouched.reject()  # nothing typed: closes without a question
    assert not untouched.isVisible()

    form = window.records.new_record()
    form.editors["name"].input.setText("半途而废有限公司")
    form.reject()
    question = open_question(form)
    keep = next(b for b in question.buttons() if b.text() == "Keep editing")
    keep.click()
    assert form.isVisible()
    assert form.editors["name"].value() == "半途而废有限公司"

    # Closing the main window asks too, and stays open until the user decides.
    window.close()
    assert window.isVisible()
    question = open_question(form)
    discard = next(b for b in question.buttons() if b.text() == "Close without saving")
    discard.click()
    assert not form.isVisible()
    window.close()
    assert not window.isVisible()


def test_no_store_statement_on_the_gui_thread_after_writes(
    qtbot: QtBot, linked_window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a write changed (the table, the changes waiting, the link) is read on the storage
    thread and comes back by signal: a save, a delete, its undo and a sync round run no SQLite
    statement at all on the GUI thread."""
    window = linked_window
    gui = threading.get_ident()
    status = window.sync_area.label
    qtbot.waitUntil(lambda: not window.sync.running, timeout=10000)
    wait_idle(qtbot, window)
    assert status.text().startswith("Offline")  # the round the window started
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    form = window.records.new_record()
    fill(qtbot, form, "name", "Acme Steel")
    model = window.models["customers"]
    # The local user's own record waits in the outbox too (the window's sync found no server).
    before = window.profile.writer().pending_changes()
    assert before >= 1

    with sqlite_statements(window.profile.store) as seen:
        with qtbot.waitSignal(form.saved, timeout=5000):
            form.save()
        qtbot.waitUntil(lambda: f"{before + 1} changes waiting" in status.text(), timeout=5000)
        qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)
        rows_loaded(qtbot, window, model)
        assert cell(model, 0, "name") == "Acme Steel"

        window.go("customers")
        window.views["customers"].selectRow(0)
        window.records.delete_action.trigger()
        qtbot.waitUntil(lambda: model.rowCount() == 0, timeout=5000)
        window.records.undo_action.trigger()
        qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=5000)
        qtbot.waitUntil(lambda: f"{before + 3} changes waiting" in status.text(), timeout=5000)

        with qtbot.waitSignal(window.sync.failed, timeout=5000):
            window.sync_area.button.click()
        wait_idle(qtbot, window)

    assert [sql for thread, sql in seen if thread == gui] == []
    # The trace did see the work, on the other threads.
    assert any(sql.startswith("INSERT INTO customers") for _thread, sql in seen)
    assert any("outbox" in sql for _thread, sql in seen)


@pytest.mark.parametrize("reps", [1, 2])
def test_a_clerks_new_customer_form_names_the_rep_he_enters_for(
    qtbot: QtBot, profile_dir, reps: int
) -> None:
    from crm_desktop.models.entities import ENTERS_FOR_KEY, User
    from crm_desktop.profile import open_profile
    from tests.views.helpers import shown_window

    profile = open_profile(profile_dir)
    ids = [f"00000000-0000-4000-8000-00000000000{n}" for n in range(reps)]
    with profile.store.write() as session:
        for n, rep in enumerate(ids):
            session.add(User(id=rep, login=f"rep{n}", name=f"Rep {n}", role="rep"))
    profile.store.set_setting(ENTERS_FOR_KEY, ",".join(ids))
    profile.close()

    for window in shown_window(qtbot, profile_dir):
        form = window.records.new_record()
        wait_idle(qtbot, window)
        # One rep: his, shown in the form; several: the clerk chooses (nothing preset).
        assert form.editors["owner_id"].value() == (ids[0] if reps == 1 else None)
        assert form.editors["owner_id"].value() != window.profile.user_id


def customer_names(qtbot: QtBot, window: MainWindow) -> list[str]:
    model = window.models["customers"]
    rows_loaded(qtbot, window, model)
    return sorted(cell(model, row, "name") for row in range(model.rowCount()))


def test_the_scope_filter_shows_mine_the_pool_or_all(qtbot: QtBot, profile_dir) -> None:
    from crm_desktop.models.entities import Customer, User
    from crm_desktop.profile import open_profile
    from crm_desktop.views.scope_filter import ScopeFilter
    from tests.views.helpers import shown_window

    profile = open_profile(profile_dir)
    writer = profile.writer()
    mine = writer.create("customers", {"name": "我的客户"}).primary_id
    pool = writer.create("customers", {"name": "公海客户"}).primary_id
    others = writer.create("customers", {"name": "同事的客户"}).primary_id
    task = writer.create("tasks", {"title": "我的任务"}).primary_id
    my_contact = writer.create("contacts", {"customer_id": mine, "name": "我的联系人"}).primary_id
    pool_contact = writer.create("contacts", {"customer_id": pool, "name": "公海联系人"}).primary_id
    writer.create("contacts", {"customer_id": others, "name": "同事的联系人"})
    # A deal of mine on the pool's customer (made before it went), and one on my customer.
    deal = {"stage": "lead"}
    pool_deal = writer.create(
        "opportunities", {"customer_id": pool, "title": "公海商机", **deal}
    ).primary_id
    writer.create("opportunities", {"customer_id": mine, "title": "我的商机", **deal})
    with profile.store.write() as session:
        session.add(User(id="00000000-0000-4000-8000-0000000000aa", login="rae", name="Rae"))
        session.get(Customer, pool).owner_id = None
        session.get(Customer, others).owner_id = "00000000-0000-4000-8000-0000000000aa"
    profile.close()

    for window in shown_window(qtbot, profile_dir):
        scope = window.findChild(ScopeFilter, "scopeFilter")
        shown = partial(customer_names, qtbot, window)
        assert shown() == sorted(["我的客户", "公海客户", "同事的客户"])
        scope.set_scope("mine")
        wait_idle(qtbot, window)
        assert shown() == ["我的客户"]
        scope.set_scope("pool")
        wait_idle(qtbot, window)
        assert shown() == ["公海客户"]
        # Another tab takes the scope when shown: the pool's tasks are those on its customers,
        # not this user's task on no customer.
        window.tabs.setCurrentIndex(list(window.models).index("tasks"))
        wait_idle(qtbot, window)
        assert window.models["tasks"].rowCount() == 0
        scope.set_scope("mine")
        wait_idle(qtbot, window)
        assert window.models["tasks"].row_id(0) == task
        # The contacts (no owner of their own) follow their customers' owners.
        window.tabs.setCurrentIndex(list(window.models).index("contacts"))
        contacts = window.models["contacts"]
        wait_idle(qtbot, window)
        assert [contacts.row_id(row) for row in range(contacts.rowCount())] == [my_contact]
        scope.set_scope("pool")
        wait_idle(qtbot, window)
        assert [contacts.row_id(row) for row in range(contacts.rowCount())] == [pool_contact]
        # And the pool's deals are its customers' deals, whoever owns them.
        window.tabs.setCurrentIndex(list(window.models).index("opportunities"))
        deals = window.models["opportunities"]
        wait_idle(qtbot, window)
        assert [deals.row_id(row) for row in range(deals.rowCount())] == [pool_deal]
        window.tabs.setCurrentIndex(0)
        scope.set_scope("all")
        wait_idle(qtbot, window)
        assert len(shown()) == 3 and mine


def test_each_follow_up_says_who_logged_it_and_for_whom_a_clerk_did(
    qtbot: QtBot, profile_dir
) -> None:
    from crm_desktop.models.entities import Customer, FollowUp, User
    from crm_desktop.profile import open_profile
    from tests.views.helpers import shown_window

    profile = open_profile(profile_dir)
    writer = profile.writer()
    rob, cal = "00000000-0000-4000-8000-0000000000b0", "00000000-0000-4000-8000-0000000000c0"
    with profile.store.write() as session:
        session.add_all(
            [
                User(id=rob, login="rob", name="Rob", role="rep"),
                User(id=cal, login="cal", name="Cal", role="clerk"),
            ]
        )
    customer = writer.create("customers", {"name": "Acme"}).primary_id
    for text in ("by the clerk", "by me"):
        writer.create("followups", {"customer_id": customer, "kind": "call", "text": text})
    with profile.store.write() as session:
        session.get(Customer, customer).owner_id = rob
        session.query(FollowUp).filter_by(text="by the clerk").one().created_by = cal
    with profile.store.read() as session:
        me = session.get(User, profile.user_id).name
    profile.close()
    for window in shown_window(qtbot, profile_dir):
        page = window.records.open_customer(customer)
        qtbot.waitUntil(lambda p=page: p.detail is not None)
        timeline = page.timeline.toPlainText()
        assert "logged by Cal for Rob" in timeline
        assert f"logged by {me}" in timeline and f"{me} for" not in timeline
        page.close()


def test_list_actions_do_not_reach_a_hidden_lists_selection(
    qtbot: QtBot, window: MainWindow
) -> None:
    """On a customer page the list behind it still has its selection: Delete must not take
    that customer, and Ctrl+L logs a call for the page's customer, not the list's."""
    create_customer(qtbot, window, "Acme")
    create_customer(qtbot, window, "Bolt")
    model = window.models["customers"]
    rows_loaded(qtbot, window, model)
    window.go("customers")
    acme, bolt = model.row_id(0), model.row_id(1)
    window.views["customers"].selectRow(0)
    qtbot.waitUntil(lambda: window.tabs.selected_ids() == [acme])
    assert window.records.delete_action.isEnabled()

    page = window.records.open_customer(bolt)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is page)
    assert not window.records.delete_action.isEnabled()
    asked: list[object] = []
    original = QMessageBox.question
    QMessageBox.question = lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Yes  # type: ignore[method-assign]
    try:
        window.records.delete_selected()  # as the Delete key would, were the action offered
        wait_idle(qtbot, window)
    finally:
        QMessageBox.question = original  # type: ignore[method-assign]
    wait_idle(qtbot, window)
    assert asked == []
    assert model.rowCount() == 2

    window.log_call_action.trigger()  # Ctrl+L on Bolt's page
    form = next(f for f in window.findChildren(RecordForm) if f.entity == "followups")
    assert form.values()["customer_id"] == bolt

    window.go("customers")
    assert window.records.delete_action.isEnabled()
