"""The Find duplicates page on a real profile, offscreen: a search shows the groups with their
members and reasons, Merge… asks for the group (or the members chosen of one group) by
`mergeRequested`, double-click opens the customer, progress and Cancel while searching, a
record merged away leaves the list, and refresh() searches again."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from pytestqt.qtbot import QtBot

from crm_desktop.duplicates import find_duplicate_groups
from crm_desktop.profile import Profile
from crm_desktop.queries.reader import Reader
from crm_desktop.views import duplicates_view
from crm_desktop.views.duplicates_view import DuplicatesView
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.runner import Runner
from tests.views.helpers import idle, wait_idle


def make(profile: Profile, entity: str = "customers", **values: object) -> str:
    changes = profile.writer().create(entity, values)
    assert changes.primary_id is not None
    return changes.primary_id


@pytest.fixture
def records(profile: Profile) -> dict[str, str]:
    """Two groups: 华强 three times (a phone, then a similar name in 深圳), Bolt twice (an
    email); and a customer like none of them."""
    profile.writer().update("users", profile.user_id, {"name": "Max"})
    ids = {
        "hq1": make(profile, name="深圳市华强电子有限公司", phone="0755-8888 1234"),
        "hq2": make(profile, name="华强电子股份有限公司", address="深圳市福田区"),
        "hq3": make(profile, name="HQ Trading", phone="+86 755 88881234"),
        "bolt1": make(profile, name="Bolt", email="ops@bolt.cn"),
        "bolt2": make(profile, name="Thunder Motors", email="OPS@bolt.cn"),
        "other": make(profile, name="Cato"),
    }
    acme = make(profile, name="Acme")
    ids["lei1"] = make(profile, "contacts", customer_id=acme, name="李雷", mobile="13800138000")
    ids["lei2"] = make(profile, "contacts", customer_id=acme, name="Li Lei", mobile="138 0013 8000")
    ids["acme"] = acme
    return ids


@pytest.fixture
def view(
    qtbot: QtBot, profile: Profile, runner: Runner, records: dict[str, str]
) -> Iterator[DuplicatesView]:
    page = DuplicatesView(profile, runner, Reader(profile.store), profile.writer())
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    idle(qtbot, runner)
    yield page
    page.cancel()


def scanned(qtbot: QtBot, view: DuplicatesView) -> None:
    with qtbot.waitSignal(view.shown, timeout=10000):
        qtbot.mouseClick(view.scan_button, Qt.MouseButton.LeftButton)


def shown(view: DuplicatesView) -> list[list[tuple[str, ...]]]:
    """Each group's members as the tree shows them, column by column."""
    model = view.model
    groups = []
    for row in range(model.rowCount()):
        parent = model.index(row, 0)
        groups.append(
            [
                tuple(
                    model.index(at, column, parent).data() for column in range(model.columnCount())
                )
                for at in range(model.rowCount(parent))
            ]
        )
    return groups


def select(view: DuplicatesView, *indexes: QModelIndex) -> None:
    selection = view.tree.selectionModel()
    selection.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for index in indexes:
        selection.select(index, flags)


def test_before_a_search_the_page_says_what_it_does(view: DuplicatesView) -> None:
    assert view.objectName() == "duplicatesView"
    assert view.empty.isVisible() and not view.tree.isVisible()
    assert view.empty.text().startswith("Find duplicates looks through all records")
    assert not view.merge_button.isEnabled()


def test_a_search_shows_the_groups_and_why(qtbot: QtBot, view: DuplicatesView) -> None:
    scanned(qtbot, view)
    assert view.tree.isVisible() and not view.empty.isVisible()
    # Plurals as the English translation words them ("2 groups…") once it has them.
    assert view.status.text() == view.tr("%n group(s) of likely duplicates", "", 2)
    headers = [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers == ["Name", "Phone", "Email", "Owner", "Why"]
    assert view.model.index(0, 0).data() == view.model.tr("%n record(s)", "", 3)
    assert view.tree.isExpanded(view.model.index(0, 0))
    assert shown(view) == [
        [
            ("HQ Trading", "0755 8888 1234", "", "Max", "Same phone 0755 8888 1234"),
            ("华强电子股份有限公司", "", "", "Max", "Same name in 深圳"),
            (
                "深圳市华强电子有限公司",
                "0755 8888 1234",
                "",
                "Max",
                "Same phone 0755 8888 1234; Same name in 深圳",
            ),
        ],
        [
            ("Bolt", "", "ops@bolt.cn", "Max", "Same email ops@bolt.cn"),
            ("Thunder Motors", "", "ops@bolt.cn", "Max", "Same email ops@bolt.cn"),
        ],
    ]


def test_merge_asks_for_a_whole_group(
    qtbot: QtBot, view: DuplicatesView, records: dict[str, str]
) -> None:
    scanned(qtbot, view)
    view.select_group(1)
    assert view.merge_button.isEnabled()
    with qtbot.waitSignal(view.mergeRequested) as asked:
        qtbot.mouseClick(view.merge_button, Qt.MouseButton.LeftButton)
    assert asked.args == ["customers", [records["bolt1"], records["bolt2"]]]


def test_merge_asks_for_the_members_chosen_of_one_group(
    qtbot: QtBot, view: DuplicatesView, records: dict[str, str]
) -> None:
    scanned(qtbot, view)
    first = view.model.index(0, 0)
    hq3, hq2, hq1 = (view.model.index(at, 0, first) for at in range(3))
    select(view, hq3)
    assert not view.merge_button.isEnabled()  # one record is nothing to merge
    select(view, hq3, hq1)
    assert view.merge_button.isEnabled()
    with qtbot.waitSignal(view.mergeRequested) as asked:
        qtbot.mouseClick(view.merge_button, Qt.MouseButton.LeftButton)
    assert asked.args == ["customers", [records["hq3"], records["hq1"]]]
    # Members of two groups are no one merge.
    select(view, hq2, view.model.index(0, 0, view.model.index(1, 0)))
    assert not view.merge_button.isEnabled()
    with qtbot.assertNotEmitted(view.mergeRequested):
        view.request_merge()


def test_double_click_opens_the_customer(
    qtbot: QtBot, view: DuplicatesView, records: dict[str, str]
) -> None:
    scanned(qtbot, view)
    member = view.model.index(1, 1, view.model.index(1, 0))  # Thunder Motors
    rect = view.tree.visualRect(member)
    with qtbot.waitSignal(view.open_record) as opened:
        qtbot.mouseClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == ["customers", records["bolt2"]]


def test_contacts_show_their_customer(
    qtbot: QtBot, view: DuplicatesView, records: dict[str, str]
) -> None:
    view.choose_entity("contacts")
    scanned(qtbot, view)
    headers = [view.model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers[3] == "Customer"
    assert [row[0] for row in shown(view)[0]] == ["Li Lei", "李雷"]
    assert {row[3] for row in shown(view)[0]} == {"Acme"}
    view.select_group(0)
    with qtbot.waitSignal(view.mergeRequested) as asked:
        view.request_merge()
    assert asked.args == ["contacts", [records["lei2"], records["lei1"]]]
    # A contact opens its customer's page.
    with qtbot.waitSignal(view.open_record) as opened:
        view.tree.activated.emit(view.model.index(0, 0, view.model.index(0, 0)))
    assert opened.args == ["customers", records["acme"]]


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """The page's searches, each waiting for `go` before it starts; `found` has the groups of
    each that ran to its end."""
    state: dict[str, Any] = {"started": threading.Event(), "go": threading.Event(), "found": []}

    def search(*args: Any, **kwargs: Any) -> Any:
        state["started"].set()
        state["go"].wait(10)
        groups = find_duplicate_groups(*args, **kwargs)
        state["found"].append(groups)
        return groups

    monkeypatch.setattr(duplicates_view, "find_duplicate_groups", search)
    return state


def test_cancel_while_searching(
    qtbot: QtBot, view: DuplicatesView, runner: Runner, searches: dict[str, Any]
) -> None:
    qtbot.mouseClick(view.scan_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(searches["started"].is_set)
    assert view.scanning()
    assert view.progress.isVisible() and view.cancel_button.isVisible()
    assert not view.scan_button.isEnabled() and not view.status.isVisible()
    with qtbot.assertNotEmitted(view.shown, wait=200):
        qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
        searches["go"].set()
        idle(qtbot, runner)
    assert searches["found"] == []  # the search itself stopped, not only the page
    assert not view.scanning()
    assert view.status.text() == "Stopped."
    assert not view.progress.isVisible() and view.scan_button.isEnabled()
    assert view.model.rowCount() == 0


def test_cancel_before_the_search_has_its_turn(
    qtbot: QtBot, view: DuplicatesView, runner: Runner, searches: dict[str, Any]
) -> None:
    release = threading.Event()
    runner.submit(lambda: release.wait(10))  # the storage thread busy with something else
    searches["go"].set()
    qtbot.mouseClick(view.scan_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.cancel_button, Qt.MouseButton.LeftButton)
    release.set()
    idle(qtbot, runner)
    assert not searches["started"].is_set()  # it never ran
    assert view.status.text() == "Stopped."


def test_progress_reaches_the_end(qtbot: QtBot, view: DuplicatesView, runner: Runner) -> None:
    seen: list[int] = []
    view.progress.valueChanged.connect(seen.append)
    scanned(qtbot, view)
    assert seen and seen[-1] == view.progress.maximum()


def test_a_record_merged_away_leaves_the_list(
    qtbot: QtBot, view: DuplicatesView, runner: Runner, profile: Profile, records: dict[str, str]
) -> None:
    scanned(qtbot, view)
    writer = profile.writer()
    runner.write(lambda: writer.delete("customers", [records["hq2"]]))
    idle(qtbot, runner)
    assert [len(group) for group in shown(view)] == [2, 2]
    runner.write(lambda: writer.delete("customers", [records["bolt1"]]))
    idle(qtbot, runner)
    assert [[row[0] for row in group] for group in shown(view)] == [
        ["HQ Trading", "深圳市华强电子有限公司"]
    ]
    assert view.status.text() == view.tr("%n group(s) of likely duplicates", "", 1)


def test_refresh_searches_again(
    qtbot: QtBot, view: DuplicatesView, profile: Profile, records: dict[str, str]
) -> None:
    view.refresh()  # nothing searched yet: nothing to refresh
    assert not view.scanning()
    scanned(qtbot, view)
    make(profile, name="Catto", email="x@cato.cn")
    make(profile, name="Cato Ltd", email="X@cato.cn")
    with qtbot.waitSignal(view.shown, timeout=10000):
        view.refresh()
    assert len(shown(view)) == 3


def test_nothing_found(qtbot: QtBot, profile: Profile, runner: Runner) -> None:
    make(profile, name="Acme")
    page = DuplicatesView(profile, runner, Reader(profile.store), profile.writer())
    qtbot.addWidget(page)
    page.show()
    scanned(qtbot, page)
    assert page.status.text() == "No likely duplicates found."
    assert page.empty.isVisible() and page.empty.text().startswith("No two records share")


def test_the_model_passes_qts_model_tester(
    qtbot: QtBot, qtmodeltester, view: DuplicatesView
) -> None:
    scanned(qtbot, view)
    assert view.model.rowCount() == 2
    qtmodeltester.check(view.model)


def test_the_window_has_the_page_in_its_sidebar(qtbot: QtBot, window: MainWindow) -> None:
    window.go("duplicates")
    wait_idle(qtbot, window)
    page = window.findChild(DuplicatesView, "duplicatesView")
    assert page is not None and window.pages.currentWidget() is page
    assert window.navigation.key() == "duplicates"


def test_a_group_of_three_is_merged_in_one_step(
    qtbot: QtBot, view: DuplicatesView, records: dict[str, str]
) -> None:
    """Merge… asks for the whole group, or for the members of one group the user selected."""
    scanned(qtbot, view)
    view.select_group(0)  # 华强, three records
    assert view.merge_button.isEnabled()
    assert "the whole group" in view.merge_button.toolTip()
    with qtbot.waitSignal(view.mergeRequested) as asked:
        qtbot.mouseClick(view.merge_button, Qt.MouseButton.LeftButton)
    group = view.model.groups[0]
    assert asked.args == ["customers", group.ids] and len(group.ids) == 3
    first = view.model.index(0, 0)
    hq3, hq2, hq1 = (view.model.index(at, 0, first) for at in range(3))
    select(view, hq2, hq1)
    with qtbot.waitSignal(view.mergeRequested) as asked:
        qtbot.mouseClick(view.merge_button, Qt.MouseButton.LeftButton)
    assert asked.args == ["customers", [records["hq2"], records["hq1"]]]
    select(view, hq3)  # one record is nothing to merge
    assert not view.merge_button.isEnabled()
    with qtbot.assertNotEmitted(view.mergeRequested):
        view.request_merge()
    view.select_group(1)  # Bolt: a group of two is merged as it is
    assert view.merge_button.isEnabled()
