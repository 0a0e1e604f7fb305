"""The window tells the user when a sync brings a customer that may be a duplicate (another
laptop added the same company offline), lists it in Find duplicates for review, and keeps the
notice true to what happens before the click."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from crm_desktop.sync.engine import SyncReport
from crm_desktop.views.duplicates_view import DuplicatesView
from tests.sync.conftest import Device, Fleet, fleet  # noqa: F401 (the fixture)
from tests.views.helpers import shown_window, wait_idle


@dataclass
class Company:
    """华强电子 added on the office computer and, offline, on the laptop; the office's synced.
    A third laptop of the same rep is there too."""

    laptop: Device
    other: Device
    office: Device
    mine: str  # the office's
    theirs: str  # the laptop's


def added_twice(fleet: Fleet, laptop_name: str) -> Company:  # noqa: F811
    office, laptop, other = fleet.device("rob"), fleet.device("rob"), fleet.device("rob")
    for device in (office, laptop, other):
        device.sync()
    mine = office.writer.create("customers", {"name": "华强电子", "phone": "0755-8888 1234"})
    office.writer.create("customers", {"name": "远航环保", "phone": "13800138000"})
    theirs = laptop.writer.create("customers", {"name": laptop_name, "phone": "+86 755 8888 1234"})
    office.sync()
    laptop.profile.close()  # the window opens it
    return Company(laptop, other, office, mine.primary_id, theirs.primary_id)


def says(notice: QLabel, words: str) -> bool:
    return notice.isVisible() and words in notice.text()


def hidden(notice: QLabel) -> bool:
    return not notice.isVisible()


def brought_customers(reports: list[SyncReport]) -> bool:
    return any(report.pulled.arrived_customers for report in reports)


def test_a_customer_added_on_both_laptops_is_pointed_out_after_the_sync(
    qtbot: QtBot,
    fleet: Fleet,  # noqa: F811
) -> None:
    company = added_twice(fleet, "深圳市华强电子有限公司")
    directory, password = company.laptop.profile.directory, company.laptop.password
    for window in shown_window(qtbot, directory, session_password=password):
        notice = window.findChild(QLabel, "doublesNotice")
        window.sync.sync_now()
        qtbot.waitUntil(notice.isVisible, timeout=30000)
        assert "1 customer just received may be a duplicate" in notice.text()
        assert notice.toolTip() == "华强电子"  # not 远航环保, which came too

        notice.linkActivated.emit("doubles")  # what a click on the link does
        wait_idle(qtbot, window)
        page = window.findChild(DuplicatesView, "duplicatesView")
        assert page is not None and window.pages.currentWidget() is page
        assert [set(group.ids) for group in page.model.groups] == [{company.mine, company.theirs}]
        assert not notice.isVisible()

        # A sync that brings nothing alike says nothing.
        company.other.writer.create("customers", {"name": "北京新公司", "phone": "010-6666 1234"})
        company.other.sync()
        finished: list[SyncReport] = []
        window.sync.finished.connect(finished.append)
        window.sync.sync_now()
        qtbot.waitUntil(partial(brought_customers, finished), timeout=30000)
        wait_idle(qtbot, window)
        assert not notice.isVisible()


def test_the_notice_follows_what_happens_before_it_is_clicked(
    qtbot: QtBot,
    fleet: Fleet,  # noqa: F811
) -> None:
    """A third copy arriving at the next sync joins the pair (one group, not two); one of a
    pair merged away meanwhile takes the notice down, and a click then lists nothing."""
    company = added_twice(fleet, "深圳华强")
    directory, password = company.laptop.profile.directory, company.laptop.password
    for window in shown_window(qtbot, directory, session_password=password):
        notice = window.findChild(QLabel, "doublesNotice")
        window.sync.sync_now()
        qtbot.waitUntil(partial(says, notice, "1 customer just received"), timeout=30000)
        third = company.other.writer.create(
            "customers", {"name": "华强电子有限公司", "phone": "075588881234"}
        )
        company.other.sync()
        wait_idle(qtbot, window)
        window.sync.sync_now()
        qtbot.waitUntil(partial(says, notice, "2 customers just received"), timeout=30000)
        assert notice.toolTip() == "华强电子\n华强电子有限公司"

        notice.linkActivated.emit("doubles")
        wait_idle(qtbot, window)
        page = window.findChild(DuplicatesView, "duplicatesView")
        assert [set(group.ids) for group in page.model.groups] == [
            {company.mine, company.theirs, third.primary_id}
        ]

        # Two more copies: one typed here, one brought by the next sync; before the click, the
        # user deletes the one that came (the window's own write path, as a merge's).
        fourth = company.office.writer.create(
            "customers", {"name": "广州远航", "phone": "13900139000"}
        )
        company.office.sync()
        typed = {"name": "广州远航", "phone": "139 0013 9000"}
        window.runner.write(partial(window.writer.create, "customers", typed))
        wait_idle(qtbot, window)
        window.sync.sync_now()
        qtbot.waitUntil(partial(says, notice, "1 customer just received"), timeout=30000)
        window.runner.write(partial(window.writer.delete, "customers", [fourth.primary_id]))
        qtbot.waitUntil(partial(hidden, notice), timeout=10000)
        notice.linkActivated.emit("doubles")
        wait_idle(qtbot, window)
        assert page.model.groups == []
        assert page.status.text() == (
            "None of the customers just received looks like a duplicate any more."
        )
