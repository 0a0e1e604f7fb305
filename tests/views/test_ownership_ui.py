"""Claim and Release from a customer's page in the real window, against the real server."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from crm_desktop.views.main_window import MainWindow
from tests.postgres import CrmDatabase
from tests.views.helpers import wait_idle
from tests.views.test_sync_ui import connected_window, wait_synced  # noqa: F401

ANSWER_MS = 20000


def pool_customer(crm_db: CrmDatabase) -> str:
    with crm_db.connect_admin() as connection:
        return connection.execute(
            "INSERT INTO customers (id, name) VALUES (gen_random_uuid(), '公海里的客户')"
            " RETURNING id::text"
        ).fetchone()[0]


def owner_on_server(crm_db: CrmDatabase, customer: str) -> str | None:
    with crm_db.connect_admin() as connection:
        return connection.execute(
            "SELECT u.login FROM customers c LEFT JOIN users u ON u.id = c.owner_id"
            " WHERE c.id = %s",
            (customer,),
        ).fetchone()[0]


def test_claim_and_release_from_the_customer_page(
    qtbot: QtBot,
    connected_window: MainWindow,  # noqa: F811
    crm_db: CrmDatabase,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    customer = pool_customer(crm_db)
    window = connected_window
    wait_synced(qtbot, window)
    page = window.records.open_customer(customer)
    qtbot.waitUntil(lambda: page.detail is not None, timeout=5000)
    buttons = page.ownership
    assert buttons is not None
    assert buttons.claim_button.isVisible() and not buttons.release_button.isVisible()
    assert "public pool" in page.subtitle.text()
    # In the pool it is claimed before it is changed: the server would refuse the rest.
    names = {button.objectName() for button in page.changing}
    assert names == {"editCustomer", "addFollowUp", "addToCustomer", "recordCustomerPayment"}
    assert not any(button.isEnabled() for button in page.changing)
    assert "claim it first" in page.changing[0].toolTip()
    # Not offered to a clerk, whom the server would refuse.
    buttons.set_role("clerk")
    assert not buttons.claim_button.isVisible()
    buttons.set_role("rep")

    with qtbot.waitSignal(buttons.answered, timeout=ANSWER_MS) as answered:
        buttons.claim_button.click()
    assert answered.args == [True]
    assert owner_on_server(crm_db, customer) == "rob"
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "rob" in page.subtitle.text(), timeout=5000)
    assert buttons.release_button.isVisible() and not buttons.claim_button.isVisible()
    assert all(button.isEnabled() for button in page.changing)

    # OK with no reason asks again, saying one is needed.
    answers, questions = [("  ", True), ("客户要求换人", True)], []
    monkeypatch.setattr(
        QInputDialog, "getText", lambda *args: questions.append(args[2]) or answers.pop(0)
    )
    with qtbot.waitSignal(buttons.answered, timeout=ANSWER_MS):
        buttons.release_button.click()
    assert owner_on_server(crm_db, customer) is None
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: "public pool" in page.subtitle.text(), timeout=5000)
    with crm_db.connect_admin() as connection:
        reason = connection.execute(
            "SELECT reason FROM customer_ownership WHERE customer_id = %s AND kind = 'released'",
            (customer,),
        ).fetchone()[0]
    assert reason == "客户要求换人"
    assert len(questions) == 2 and "A reason is needed" in questions[1]

    # Claimed back at once: refused by the rule, said in words on the page.
    with qtbot.waitSignal(buttons.answered, timeout=ANSWER_MS) as answered:
        buttons.claim_button.click()
    assert answered.args == [False]
    (box,) = [b for b in page.findChildren(QMessageBox, "ownershipRefused") if b.isVisible()]
    assert "reclaim_block_days" in box.text() and "claim it back from" in box.text()
    box.close()
    assert owner_on_server(crm_db, customer) is None
