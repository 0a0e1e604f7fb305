"""The paged table model: Qt's model tester, ids in SQL order, in-place refresh of edits."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.table_model import IdRole, RawValueRole
from tests.views.helpers import cell, rows_loaded, wait_idle


def test_passes_qt_model_tester(qtbot: QtBot, qtmodeltester, window: MainWindow) -> None:
    for name in ("Zeta", "Alpha", "Mid"):
        window.writer.create("customers", {"name": name, "phone": "13800138000"})
    model = window.models["customers"]
    model.reload()
    wait_idle(qtbot, window)
    rows_loaded(qtbot, window, model)
    qtmodeltester.check(model)


def test_edit_refreshes_only_that_row(qtbot: QtBot, window: MainWindow) -> None:
    model = window.models["customers"]
    ids = [window.writer.create("customers", {"name": n}).primary_id for n in ("A", "B", "C")]
    model.reload()
    wait_idle(qtbot, window)
    rows_loaded(qtbot, window, model)
    assert model.data(model.index(1, 0), IdRole) == ids[1]

    resets = []
    model.modelReset.connect(lambda: resets.append(1))
    with qtbot.waitSignal(model.dataChanged, timeout=5000):
        window.runner.write(lambda: window.writer.update("customers", ids[1], {"grade": "A"}))
    rows_loaded(qtbot, window, model)
    assert resets == []
    assert model.data(model.index(1, model.spec.column_keys().index("grade")), RawValueRole) == "A"
    assert cell(model, 1, "name") == "B"


def test_queries_typed_past_are_skipped(qtbot: QtBot, window: MainWindow) -> None:
    for name in ("Alpha Ltd", "Beta Ltd", "Gamma Co"):
        window.writer.create("customers", {"name": name})
    model = window.models["customers"]
    asked: list[str] = []
    real = model._list_ids

    def spying(query, limit, stop):
        asked.append(query.search)
        return real(query, limit, stop)

    model._list_ids = spying
    gate = threading.Event()
    window.runner.submit(gate.wait)  # hold the storage thread while the user types
    for typed in ("Al", "Alp", "Alph", "Gam"):
        model.set_search(typed)
    gate.set()
    wait_idle(qtbot, window)
    assert asked == ["Gam"]
    assert model.rowCount() == 1


def test_first_screen_shows_at_once_and_the_rest_is_appended(
    qtbot: QtBot, qtmodeltester, window: MainWindow
) -> None:
    from crm_desktop.demo.generator import make_demo
    from crm_desktop.views.table_model import PAGE_SIZE

    make_demo(window.profile, PAGE_SIZE + 50, workers=0)
    model = window.models["customers"]
    qtmodeltester.check(model)  # and it keeps checking every signal below
    events: list[tuple[str, int]] = []
    model.modelReset.connect(lambda: events.append(("reset", model.rowCount())))
    model.rowsInserted.connect(lambda _parent, first, last: events.append(("insert", last)))
    model.shown.connect(lambda: events.append(("shown", model.rowCount())))

    def first_row_readable() -> None:
        # The first screen's rows came with its ids: readable without another trip.
        events.append(("first row", model.data(model.index(0, 0)) is not None))

    model.shown.connect(first_row_readable)
    with qtbot.waitSignal(model.loaded, timeout=10000):
        model.reload()
    wait_idle(qtbot, window)
    assert events == [
        ("reset", PAGE_SIZE),
        ("shown", PAGE_SIZE),
        ("first row", True),
        ("insert", PAGE_SIZE + 49),
    ]
    assert model.complete
    assert model.rowCount() == PAGE_SIZE + 50


def test_a_write_elsewhere_keeps_the_selection_and_the_scroll(
    qtbot: QtBot, qtmodeltester, window: MainWindow
) -> None:
    """Marking a task done touches its customer too; the Tasks list, long past its first
    screen, keeps the selected task selected and current, and stays where it was scrolled,
    with every row showing its values meanwhile."""
    from crm_desktop.views.table_model import PAGE_SIZE

    customer = window.writer.create("customers", {"name": "Acme"}).primary_id
    for number in range(PAGE_SIZE * 2):
        window.writer.create("tasks", {"title": f"Task {number:04d}", "customer_id": customer})
    window.go("tasks")
    model, view = window.models["tasks"], window.views["tasks"]
    model.sort(model.spec.column_keys().index("title"))
    qtbot.waitUntil(lambda: model.complete and model.rowCount() == PAGE_SIZE * 2, timeout=10000)
    rows_loaded(qtbot, window, model)
    qtmodeltester.check(model)
    target = PAGE_SIZE + 100
    chosen = model.row_id(target)
    view.selectRow(target)
    view.scrollTo(model.index(target, 0))
    scrolled = view.verticalScrollBar().value()
    assert scrolled > 0

    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    blanks: list[int] = []
    model.layoutChanged.connect(
        lambda: blanks.extend(
            r for r in range(model.rowCount()) if model.data(model.index(r, 0)) is None
        )
    )
    other = model.row_id(3)
    with qtbot.waitSignal(model.loaded, timeout=5000):
        window.runner.write(lambda: window.writer.update("tasks", other, {"done": True}))
    wait_idle(qtbot, window)
    assert resets == []
    assert blanks == []
    assert window.tabs.selected_ids("tasks") == [chosen]
    assert model.row_id(view.currentIndex().row()) == chosen
    assert view.verticalScrollBar().value() == scrolled
    # A new task arrives above the selected one: the selection follows its record.
    with qtbot.waitSignal(model.loaded, timeout=5000):
        window.runner.write(lambda: window.writer.create("tasks", {"title": "Task 0000a"}))
    wait_idle(qtbot, window)
    assert model.rowCount() == PAGE_SIZE * 2 + 1
    assert window.tabs.selected_ids("tasks") == [chosen]
    assert model.row_id(view.currentIndex().row()) == chosen


def test_money_and_numbers_are_right_aligned(qtbot: QtBot, window: MainWindow) -> None:
    """As in Receivables and Renewals: amounts line up by their last digit."""
    customer = window.writer.create("customers", {"name": "Acme"}).primary_id
    window.writer.create(
        "opportunities",
        {
            "customer_id": customer,
            "title": "Pumps",
            "stage": "lead",
            "amount_cents": 123456,
            "probability": 40,
        },
    )
    window.writer.create("products", {"code": "P-1", "name": "Pump", "list_price_cents": 9900})
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    for entity, numbers, texts in (
        ("opportunities", ("amount_cents", "probability"), ("title",)),
        ("products", ("list_price_cents",), ("code", "name")),
    ):
        window.go(entity)
        model = window.models[entity]
        model.reload()
        wait_idle(qtbot, window)
        rows_loaded(qtbot, window, model)
        keys = model.spec.column_keys()
        for key in numbers:
            index = model.index(0, keys.index(key))
            assert model.data(index, Qt.ItemDataRole.TextAlignmentRole) == right, key
        for key in texts:
            index = model.index(0, keys.index(key))
            assert model.data(index, Qt.ItemDataRole.TextAlignmentRole) is None, key
