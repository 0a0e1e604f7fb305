"""Assign, the lock, the handover and the pool's rules in the real window, driven through its
widgets, against the real server: the server decides under each user's own rights and the
window shows its answer, or its refusal in plain words."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QToolBar
from pytestqt.qtbot import QtBot

from crm_desktop.app import build_main_window
from crm_desktop.models.entities import Customer
from crm_desktop.profile import open_profile
from crm_desktop.sync import link
from crm_desktop.sync.server import admin
from crm_desktop.views.assign_dialog import AssignDialog
from crm_desktop.views.handover_dialog import HandoverDialog
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.rules_dialog import RulesDialog
from tests.postgres import CrmDatabase, backdate_ownership
from tests.views.helpers import rows_loaded, wait_idle
from tests.views.test_sync_ui import server_address, wait_synced

ANSWER_MS = 30000
OpenWindow = Callable[[str], MainWindow]


@pytest.fixture
def team(crm_db: CrmDatabase) -> dict[str, str]:
    """ada the administrator; mia manages rob and ron; rae is on no team."""
    return {
        "ada": crm_db.add_user("ada", "admin"),
        "mia": crm_db.add_user("mia", "manager"),
        "rob": crm_db.add_user("rob", "rep", manager="mia"),
        "ron": crm_db.add_user("ron", "rep", manager="mia"),
        "rae": crm_db.add_user("rae", "rep"),
    }


@pytest.fixture
def window_as(
    qtbot: QtBot,
    crm_db: CrmDatabase,
    team: dict[str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[OpenWindow]:
    """The real window of one user's device, linked to the server and synced once."""
    opened: list[MainWindow] = []

    def open_window(login: str) -> MainWindow:
        # No keyring on a test machine: libpq's own PGPASSWORD, as the README says.
        monkeypatch.setenv("PGPASSWORD", crm_db.passwords[login])
        directory = tmp_path / login
        profile = open_profile(directory)
        profile.store.set_setting(link.SERVER_KEY, server_address(crm_db))
        profile.store.set_setting(link.LOGIN_KEY, login)
        profile.close()
        window = build_main_window(directory)
        qtbot.addWidget(window)
        window.show()
        opened.append(window)
        wait_synced(qtbot, window)
        return window

    yield open_window
    for window in opened:
        window.close()
        window.profile.close()


def add_customer(crm_db: CrmDatabase, name: str, owner: str | None = None) -> str:
    with crm_db.connect_admin() as connection:
        return connection.execute(
            "INSERT INTO customers (id, name, owner_id) VALUES (gen_random_uuid(), %s,"
            " (SELECT id FROM users WHERE login = %s)) RETURNING id::text",
            (name, owner),
        ).fetchone()[0]


def server(crm_db: CrmDatabase, statement: str, *parameters: object) -> list[tuple]:
    with crm_db.connect_admin() as connection:
        return connection.execute(statement, parameters).fetchall()


def owners(crm_db: CrmDatabase, *customers: str) -> list[str | None]:
    rows = dict(
        server(
            crm_db,
            "SELECT c.id::text, u.login FROM customers c LEFT JOIN users u ON u.id = c.owner_id"
            " WHERE c.id = ANY(%s::uuid[])",
            list(customers),
        )
    )
    return [rows[c] for c in customers]


def local_owner(window: MainWindow, customer: str) -> str | None:
    with window.profile.store.read() as session:
        row = session.get(Customer, customer)
        return row.owner_id if row is not None else None


def select_customers(qtbot: QtBot, window: MainWindow, customers: list[str]) -> None:
    """Select the customers' rows in the customers table, as ctrl-clicks would."""
    window.go("customers")
    model, view = window.models["customers"], window.views["customers"]
    qtbot.waitUntil(lambda: model.rowCount() >= len(customers), timeout=10000)
    rows_loaded(qtbot, window, model)
    view.setFocus()
    view.clearSelection()
    for row in range(model.rowCount()):
        if model.row_id(row) in customers:
            view.selectionModel().select(
                model.index(row, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )
    assert sorted(window.tabs.selected_ids("customers")) == sorted(customers)


def toolbar_click(window: MainWindow, action_name: str) -> None:
    # Wide enough that no action sits in the toolbar's overflow menu, as on a real screen.
    window.resize(max(window.width(), 1400), window.height())
    QApplication.processEvents()
    toolbar = window.findChild(QToolBar, "mainToolbar")
    (action,) = [a for a in toolbar.actions() if a.objectName() == action_name]
    button = toolbar.widgetForAction(action)
    assert button is not None and button.isVisible()
    button.click()


def shown_dialog(qtbot: QtBot, window: MainWindow, kind: type) -> object:
    qtbot.waitUntil(lambda: any(d.isVisible() for d in window.findChildren(kind)), timeout=5000)
    (dialog,) = [d for d in window.findChildren(kind) if d.isVisible()]
    return dialog


def test_a_manager_assigns_two_selected_customers_to_a_rep(
    qtbot: QtBot, window_as: OpenWindow, crm_db: CrmDatabase, team: dict[str, str]
) -> None:
    first, second = add_customer(crm_db, "甲公司"), add_customer(crm_db, "乙公司")
    other = add_customer(crm_db, "丙公司")
    window = window_as("mia")
    actions = window.records
    qtbot.waitUntil(lambda: actions.assign_action.isVisible(), timeout=5000)
    assert actions.assign_action in window.views["customers"].actions()  # right-click too
    assert window.server_menu.handover_action.isVisible()
    assert not window.server_menu.rules_action.isVisible()  # administrators only

    select_customers(qtbot, window, [first, second])
    toolbar_click(window, "assignAction")
    dialog = shown_dialog(qtbot, window, AssignDialog)
    assert isinstance(dialog, AssignDialog)
    qtbot.waitUntil(lambda: dialog.members.count() == 3, timeout=5000)
    shown = [dialog.members.item(row).text() for row in range(dialog.members.count())]
    assert shown == ["mia", "rob", "ron"]  # his team (and himself), nobody else
    assert not dialog.assign_button.isEnabled()
    item = dialog.members.findItems("rob", Qt.MatchFlag.MatchExactly)[0]
    qtbot.mouseClick(
        dialog.members.viewport(),
        Qt.MouseButton.LeftButton,
        pos=dialog.members.visualItemRect(item).center(),
    )
    dialog.reason.insert("新区域")  # QTest types Latin-1 only; this is what an input method does
    with qtbot.waitSignal(dialog.answered, timeout=ANSWER_MS) as answered:
        qtbot.mouseClick(dialog.assign_button, Qt.MouseButton.LeftButton)
    assert answered.args == [True]
    assert not dialog.isVisible()
    assert owners(crm_db, first, second, other) == ["rob", "rob", None]
    reasons = server(
        crm_db,
        "SELECT kind, reason FROM customer_ownership WHERE customer_id = ANY(%s::uuid[])"
        " AND kind = 'assigned'",
        [first, second],
    )
    assert reasons == [("assigned", "新区域")] * 2
    wait_idle(qtbot, window)
    # The device has the answer: both are rob's here too, the third still in the pool.
    assert [local_owner(window, c) for c in (first, second, other)] == [
        team["rob"],
        team["rob"],
        None,
    ]


def test_an_assignment_the_server_refuses_says_why_and_changes_nothing(
    qtbot: QtBot, window_as: OpenWindow, crm_db: CrmDatabase
) -> None:
    first, second = add_customer(crm_db, "甲公司"), add_customer(crm_db, "乙公司")
    server(
        crm_db,
        "UPDATE users SET manager_id = (SELECT id FROM users WHERE login = 'mia')"
        " WHERE login = 'rae' RETURNING id",
    )
    window = window_as("mia")  # his device learns rae is on his team...
    qtbot.waitUntil(lambda: window.records.assign_action.isVisible(), timeout=5000)
    server(crm_db, "UPDATE users SET manager_id = NULL WHERE login = 'rae' RETURNING id")
    # ...and she has left it since his last sync.
    select_customers(qtbot, window, [first, second])
    toolbar_click(window, "assignAction")
    dialog = shown_dialog(qtbot, window, AssignDialog)
    assert isinstance(dialog, AssignDialog)
    qtbot.waitUntil(lambda: dialog.members.count() == 4, timeout=5000)
    dialog.select("rae")
    with qtbot.waitSignal(dialog.answered, timeout=ANSWER_MS) as answered:
        dialog.assign_button.click()
    assert answered.args == [False]
    assert dialog.isVisible()  # open for another choice
    assert dialog.status.text() == (
        "You may not give these customers to “rae”: there is no such user in your team, or "
        "one of them is not yours to give. None of them was given."
    )
    # The ask synced: she is no longer offered.
    qtbot.waitUntil(lambda: dialog.members.count() == 3, timeout=5000)
    assert not dialog.members.findItems("rae", Qt.MatchFlag.MatchExactly)
    assert owners(crm_db, first, second) == [None, None]
    wait_idle(qtbot, window)
    assert [local_owner(window, c) for c in (first, second)] == [None, None]


def test_a_manager_locks_and_assigns_from_the_customer_page(
    qtbot: QtBot, window_as: OpenWindow, crm_db: CrmDatabase, team: dict[str, str]
) -> None:
    customer = add_customer(crm_db, "老客户", owner="rob")
    window = window_as("mia")
    qtbot.waitUntil(lambda: window.records.role == "manager", timeout=5000)
    page = window.records.open_customer(customer)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    buttons = page.ownership
    assert buttons is not None
    assert buttons.assign_button.isVisible() and buttons.lock_button.isVisible()
    assert buttons.lock_button.text() == "Keep with owner (lock)"
    assert not page.lock_line.isVisible()

    with qtbot.waitSignal(buttons.answered, timeout=ANSWER_MS) as answered:
        buttons.lock_button.click()
    assert answered.args == [True]
    assert server(crm_db, "SELECT pool_locked FROM customers WHERE id = %s", customer) == [(True,)]
    qtbot.waitUntil(lambda: page.lock_line.isVisible(), timeout=5000)
    assert page.lock_line.text() == "Locked with its owner: never returns to the pool"
    assert buttons.lock_button.text() == "Unlock"

    with qtbot.waitSignal(buttons.answered, timeout=ANSWER_MS):
        buttons.lock_button.click()
    assert server(crm_db, "SELECT pool_locked FROM customers WHERE id = %s", customer) == [(False,)]
    qtbot.waitUntil(lambda: not page.lock_line.isVisible(), timeout=5000)

    buttons.assign_button.click()
    dialog = shown_dialog(qtbot, window, AssignDialog)
    assert isinstance(dialog, AssignDialog)
    assert "1 customer" in dialog.intro.text()
    qtbot.waitUntil(lambda: dialog.members.count() == 3, timeout=5000)
    dialog.select("ron")
    with qtbot.waitSignal(buttons.answered, timeout=ANSWER_MS) as answered:
        dialog.assign_button.click()
    assert answered.args == [True]
    assert owners(crm_db, customer) == ["ron"]
    qtbot.waitUntil(lambda: "ron" in page.subtitle.text(), timeout=5000)


def test_a_rep_sees_the_lock_but_may_not_change_it(
    qtbot: QtBot, window_as: OpenWindow, crm_db: CrmDatabase
) -> None:
    customer = add_customer(crm_db, "老客户", owner="rob")
    server(crm_db, "UPDATE customers SET pool_locked = true WHERE id = %s RETURNING id", customer)
    window = window_as("rob")
    qtbot.waitUntil(lambda: window.records.role == "rep", timeout=5000)
    assert not window.records.assign_action.isVisible()
    assert not window.server_menu.handover_action.isVisible()
    assert not window.server_menu.rules_action.isVisible()
    page = window.records.open_customer(customer)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    buttons = page.ownership
    assert buttons is not None
    assert page.lock_line.isVisible()  # everybody is told
    assert not buttons.lock_button.isVisible() and not buttons.assign_button.isVisible()

    # Offered anyway (say his device still thought him a manager), the server refuses.
    buttons.set_role("manager")
    assert buttons.lock_button.isVisible() and buttons.lock_button.text() == "Unlock"
    with qtbot.waitSignal(buttons.answered, timeout=ANSWER_MS) as answered:
        buttons.lock_button.click()
    assert answered.args == [False]
    (box,) = [b for b in page.findChildren(QMessageBox, "ownershipRefused") if b.isVisible()]
    assert box.text() == "Only a manager or an administrator may keep a customer with its owner."
    box.close()
    assert server(crm_db, "SELECT pool_locked FROM customers WHERE id = %s", customer) == [(True,)]


def leaver_s_book(crm_db: CrmDatabase, leaver: str) -> list[str]:
    """Two customers of the leaver's, with an open and a won deal, an open and a done task."""
    customers = [add_customer(crm_db, f"{leaver}的客户{n}", owner=leaver) for n in (1, 2)]
    owner = "(SELECT id FROM users WHERE login = %s)"
    for stage in ("proposal", "won"):
        server(
            crm_db,
            "INSERT INTO opportunities (id, customer_id, title, stage, owner_id)"
            f" VALUES (gen_random_uuid(), %s, %s, %s, {owner}) RETURNING id",
            customers[0],
            f"deal {stage}",
            stage,
            leaver,
        )
    for done in (False, True):
        server(
            crm_db,
            "INSERT INTO tasks (id, customer_id, title, done, assignee_id)"
            f" VALUES (gen_random_uuid(), %s, %s, %s, {owner}) RETURNING id",
            customers[1],
            f"task {done}",
            done,
            leaver,
        )
    server(
        crm_db,
        "INSERT INTO contracts (id, number, customer_id, amount_cents, status, owner_id)"
        f" VALUES (gen_random_uuid(), %s, %s, 100000, 'active', {owner}) RETURNING id",
        f"HT-{leaver}",
        customers[0],
        leaver,
    )
    return customers


def test_a_manager_previews_a_handover_then_moves_everything(
    qtbot: QtBot, window_as: OpenWindow, crm_db: CrmDatabase, team: dict[str, str]
) -> None:
    book = leaver_s_book(crm_db, "rob")
    window = window_as("mia")
    menu = window.server_menu
    qtbot.waitUntil(lambda: menu.handover_action.isVisible(), timeout=5000)
    menu.handover_action.trigger()
    dialog = shown_dialog(qtbot, window, HandoverDialog)
    assert isinstance(dialog, HandoverDialog)
    qtbot.waitUntil(lambda: dialog.receiver.count() == 3, timeout=5000)
    dialog.choose("rob", "ron")
    assert not dialog.confirm_button.isEnabled()  # nothing moves before a preview

    with qtbot.waitSignal(dialog.previewed, timeout=ANSWER_MS):
        qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    summary = dialog.summary.text()
    assert re.search(
        r"2 customer.*1 open opportunit.*1 open task.*1 running contract.* from rob to ron", summary
    )
    assert owners(crm_db, *book) == ["rob", "rob"]  # a preview moves nothing
    assert dialog.confirm_button.isEnabled()

    with qtbot.waitSignal(dialog.handed_over, timeout=ANSWER_MS):
        qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert dialog.summary.text().startswith("Handed over 2 customer")
    assert "not live" not in dialog.summary.text()
    assert owners(crm_db, *book) == ["ron", "ron"]
    assert server(
        crm_db,
        "SELECT o.stage, u.login FROM opportunities o JOIN users u ON u.id = o.owner_id"
        " ORDER BY o.stage",
    ) == [("proposal", "ron"), ("won", "rob")]
    assert server(
        crm_db,
        "SELECT t.done, u.login FROM tasks t JOIN users u ON u.id = t.assignee_id ORDER BY t.done",
    ) == [(False, "ron"), (True, "rob")]
    history = server(
        crm_db,
        "SELECT kind, reason FROM customer_ownership WHERE customer_id = %s ORDER BY id",
        book[0],
    )
    assert history[-1] == ("assigned", "handover from rob to ron")
    assert not dialog.confirm_button.isEnabled()  # done: not twice
    wait_idle(qtbot, window)
    assert [local_owner(window, c) for c in book] == [team["ron"], team["ron"]]


def test_a_handover_to_a_rep_whose_office_waits_says_he_cannot_work_them_yet(
    qtbot: QtBot, window_as: OpenWindow, crm_db: CrmDatabase
) -> None:
    book = leaver_s_book(crm_db, "rob")
    admin.add_office(crm_db.admin_dsn, "广州分公司")
    admin.move_user(crm_db.admin_dsn, "ron", "广州分公司")
    window = window_as("mia")
    qtbot.waitUntil(lambda: window.server_menu.handover_action.isVisible(), timeout=5000)
    dialog = window.server_menu.show_handover()
    qtbot.waitUntil(lambda: dialog.receiver.count() == 3, timeout=5000)
    dialog.choose("rob", "ron")
    with qtbot.waitSignal(dialog.previewed, timeout=ANSWER_MS) as previewed:
        dialog.preview_button.click()
    assert previewed.args[0].receiver_office_waiting == "广州分公司"
    waiting = (
        "ron works at 广州分公司, which is not live yet: he can neither sync nor see what he "
        "receives until an administrator switches it live."
    )
    assert dialog.summary.text().endswith(". Hand over to move it now. " + waiting)
    with qtbot.waitSignal(dialog.handed_over, timeout=ANSWER_MS):
        dialog.confirm_button.click()
    assert dialog.summary.text().endswith(waiting)
    assert owners(crm_db, *book) == ["ron", "ron"]


def test_a_handover_the_server_refuses_is_one_plain_sentence(
    qtbot: QtBot, window_as: OpenWindow, crm_db: CrmDatabase
) -> None:
    book = leaver_s_book(crm_db, "rob")
    window = window_as("mia")
    qtbot.waitUntil(lambda: window.server_menu.handover_action.isVisible(), timeout=5000)
    dialog = window.server_menu.show_handover()
    qtbot.waitUntil(lambda: dialog.receiver.count() == 3, timeout=5000)
    dialog.choose("rob", "ron")
    with qtbot.waitSignal(dialog.previewed, timeout=ANSWER_MS):
        dialog.preview_button.click()
    # ron leaves mia's team before she confirms: the server refuses the whole move.
    server(crm_db, "UPDATE users SET manager_id = NULL WHERE login = 'ron' RETURNING id")
    with qtbot.waitSignal(dialog.failed, timeout=ANSWER_MS) as failed:
        dialog.confirm_button.click()
    assert failed.args == [
        "You may not hand “rob”'s customers to “ron”: only an administrator, or the manager "
        "of both, may. Nothing was moved."
    ]
    assert dialog.summary.text() == failed.args[0]
    assert owners(crm_db, *book) == ["rob", "rob"]


def test_an_administrator_changes_the_pool_rules(
    qtbot: QtBot, window_as: OpenWindow, crm_db: CrmDatabase
) -> None:
    window = window_as("ada")
    menu = window.server_menu
    qtbot.waitUntil(lambda: menu.rules_action.isVisible(), timeout=5000)
    menu.rules_action.trigger()
    dialog = shown_dialog(qtbot, window, RulesDialog)
    assert isinstance(dialog, RulesDialog)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=ANSWER_MS)
    assert dialog.spins["claim_per_day"].value() == 5
    assert dialog.spins["pool_return_days_A"].text() == "not set"
    assert dialog.changed_by["claim_per_day"].text().startswith("crm_admin, ")

    for key, typed in (("claim_per_day", "8"), ("pool_return_days_A", "60")):
        spin = dialog.spins[key]
        spin.setFocus()
        spin.selectAll()
        qtbot.keyClicks(spin, typed)
    assert dialog.changes() == {"claim_per_day": 8, "pool_return_days_A": 60}
    with qtbot.waitSignal(dialog.saved, timeout=ANSWER_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    rules = dict(server(crm_db, "SELECT key, value FROM crm_rules"))
    assert rules["claim_per_day"] == 8 and rules["pool_return_days_A"] == 60
    assert server(crm_db, "SELECT updated_by FROM crm_rules WHERE key = 'claim_per_day'") == [
        ("ada",)
    ]

    # No longer an administrator by the time he saves: the server refuses, nothing changes.
    dialog = menu.show_rules()
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=ANSWER_MS)
    assert dialog.spins["claim_per_day"].value() == 8
    server(crm_db, "UPDATE users SET role = 'manager' WHERE login = 'ada' RETURNING id")
    dialog.spins["max_owned"].setValue(50)
    with qtbot.waitSignal(dialog.failed, timeout=ANSWER_MS) as failed:
        dialog.save_button.click()
    assert failed.args == ["Only an administrator may change the rules."]
    assert dialog.status.text() == failed.args[0] and dialog.isVisible()
    assert dict(server(crm_db, "SELECT key, value FROM crm_rules"))["max_owned"] == 1000


def test_an_administrator_previews_what_new_rules_would_do(
    qtbot: QtBot, window_as: OpenWindow, crm_db: CrmDatabase, team: dict[str, str]
) -> None:
    recent = add_customer(crm_db, "上周联系的客户", owner="rob")
    idle = add_customer(crm_db, "久未联系的客户", owner="rob")
    with crm_db.connect_admin() as connection:
        backdate_ownership(connection, 20, idle)
    window = window_as("ada")
    qtbot.waitUntil(lambda: window.server_menu.rules_action.isVisible(), timeout=5000)
    dialog = window.server_menu.show_rules()
    qtbot.waitUntil(lambda: dialog.preview_button.isEnabled(), timeout=ANSWER_MS)
    days = dialog.spins["pool_return_days"].value()
    grades = server(crm_db, "SELECT id, grade FROM customers ORDER BY id")
    assert days > 20  # as the server holds the rules, nobody is due yet
    with qtbot.waitSignal(dialog.previewed, timeout=ANSWER_MS) as previewed:
        dialog.preview_button.click()
    assert previewed.args[0].returned == 0

    dialog.spins["pool_return_days"].setValue(14)
    with qtbot.waitSignal(dialog.previewed, timeout=ANSWER_MS) as previewed:
        qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    effect = previewed.args[0]
    assert effect.returned == 1
    # The grades it counts are those the command line's dry run counts (the pool's days
    # change no grade).
    assert effect.graded == admin.apply_rules(crm_db.admin_dsn, dry_run=True).graded
    assert dialog.status.text().startswith(
        "With these values, now: 1 customer would go back to the public pool, and "
    )
    assert dialog.status.text().endswith("Nothing is saved until you click Save.")
    # A preview changes nothing: the rule, the owners and the grades are as they were.
    assert server(crm_db, "SELECT value FROM crm_rules WHERE key = 'pool_return_days'") == [(days,)]
    assert owners(crm_db, recent, idle) == ["rob", "rob"]
    assert server(crm_db, "SELECT id, grade FROM customers ORDER BY id") == grades
    assert dialog.isVisible() and dialog.save_button.isEnabled()

    # A value the server refuses is refused for a preview too, in the same words.
    dialog.spins["pool_return_days"].setValue(1)
    server(crm_db, "UPDATE users SET role = 'manager' WHERE login = 'ada' RETURNING id")
    with qtbot.waitSignal(dialog.failed, timeout=ANSWER_MS) as failed:
        dialog.preview_button.click()
    assert failed.args == ["Only an administrator may change the rules."]
