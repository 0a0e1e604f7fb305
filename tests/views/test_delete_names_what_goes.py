"""Deleting a customer or a contract names what goes with it in the question (a contract's
payments, with the money received on them), read first on the storage thread; declined,
nothing goes; a record that takes nothing with it is asked about as before."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from crm_desktop.profile import open_profile
from crm_desktop.storage.store import sqlite_connection
from tests.views.helpers import rows_loaded, shown_window, wait_idle


def a_customer_with_a_paid_contract(profile_dir: Path) -> dict[str, str]:
    profile = open_profile(profile_dir)
    try:
        writer = profile.writer()
        acme = writer.create("customers", {"name": "艾克美"}).primary_id
        writer.create("contacts", {"customer_id": acme, "name": "李雷"})
        contract = writer.create(
            "contracts",
            {
                "number": "HT-1",
                "customer_id": acme,
                "kind": "sale",
                "start_on": date(2026, 1, 1),
                "amount_cents": 500_000,
                "status": "active",
            },
        ).primary_id
        for cents in (120_000, 80_000):
            writer.create(
                "payments",
                {
                    "customer_id": acme,
                    "contract_id": contract,
                    "paid_on": date(2026, 2, 1),
                    "amount_cents": cents,
                    "method": "transfer",
                },
            )
        plain = writer.create("customers", {"name": "Bolt"}).primary_id
        return {"acme": acme, "contract": contract, "plain": plain}
    finally:
        profile.close()


def questions_answered_no(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every question asked from now on is answered No; the list of their texts."""
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda _parent, _title, text, *_rest: asked.append(text) or QMessageBox.StandardButton.No,
    )
    return asked


def live(window, table: str) -> int:
    with window.profile.store.read() as session:
        driver = sqlite_connection(session)
        return driver.execute(f"SELECT count(*) FROM {table} WHERE deleted_at IS NULL").fetchone()[
            0
        ]


def test_a_contracts_payments_and_the_money_on_them_are_named_before_it_goes(
    qtbot: QtBot, profile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = a_customer_with_a_paid_contract(profile_dir)
    asked: list[str] = []
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])

    def question(_parent, _title, text, *_rest):
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", question)
    for window in shown_window(qtbot, profile_dir):
        window.go("contracts")
        model = window.models["contracts"]
        rows_loaded(qtbot, window, model)
        window.views["contracts"].selectRow(0)
        qtbot.waitUntil(lambda shown=window: shown.tabs.selected_ids() == [made["contract"]])
        window.records.delete_selected()  # declined
        wait_idle(qtbot, window)
        assert asked[0].splitlines()[2:] == [
            "Deleted with them:",
            "• payment: 2 (¥2,000.00 received)",
        ]
        assert (live(window, "contracts"), live(window, "payments")) == (1, 2)
        window.records.delete_selected()
        wait_idle(qtbot, window)
        assert (live(window, "contracts"), live(window, "payments")) == (0, 0)


def test_a_customer_names_its_records_and_one_with_none_is_asked_as_before(
    qtbot: QtBot, profile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = a_customer_with_a_paid_contract(profile_dir)
    asked = questions_answered_no(monkeypatch)
    for window in shown_window(qtbot, profile_dir):
        window.go("customers")
        model = window.models["customers"]
        rows_loaded(qtbot, window, model)
        for customer in ("acme", "plain"):
            row = [model.row_id(r) for r in range(model.rowCount())].index(made[customer])
            window.views["customers"].selectRow(row)
            qtbot.waitUntil(lambda shown=window, c=customer: shown.tabs.selected_ids() == [made[c]])
            window.records.delete_selected()
            wait_idle(qtbot, window)
        assert asked[0].splitlines()[2:] == [
            "Deleted with them:",
            "• contact: 1",
            "• contract: 1",
            "• payment: 2 (¥2,000.00 received)",
        ]
        assert asked[1] == "Delete 1 record? You can undo this right after."
        assert live(window, "customers") == 2


def test_payments_deleted_from_their_list_name_the_money_they_record(
    qtbot: QtBot, profile_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    a_customer_with_a_paid_contract(profile_dir)
    asked = questions_answered_no(monkeypatch)
    for window in shown_window(qtbot, profile_dir):
        window.go("payments")
        model = window.models["payments"]
        rows_loaded(qtbot, window, model)
        window.views["payments"].selectRow(0)
        qtbot.waitUntil(lambda shown=window: len(shown.tabs.selected_ids()) == 1)
        window.records.delete_selected()
        wait_idle(qtbot, window)
        window.views["payments"].selectAll()
        qtbot.waitUntil(lambda shown=window: len(shown.tabs.selected_ids()) == 2)
        window.records.delete_selected()
        wait_idle(qtbot, window)
        one = asked[0].splitlines()
        assert one[0] == "Delete 1 record? You can undo this right after."
        assert one[2] in (
            "Money received on these payments: ¥1,200.00.",
            "Money received on these payments: ¥800.00.",
        )
        assert asked[1].splitlines()[2] == "Money received on these payments: ¥2,000.00."
        assert live(window, "payments") == 2  # declined: nothing went
