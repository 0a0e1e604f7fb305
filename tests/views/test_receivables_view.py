"""The receivables page on a real profile, offscreen: customers with money overdue against
amounts worked out by hand, the owner filter, sorting by a header, export of the rows shown,
the empty state, and double-click."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QHeaderView
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from crm_desktop.models.entities import SCOPE_KEY, Contract, User
from crm_desktop.profile import Profile
from crm_desktop.queries.reader import Reader
from crm_desktop.views.display import format_money
from crm_desktop.views.receivables_view import ReceivablesView
from crm_desktop.views.runner import Runner
from tests.views.helpers import idle

TODAY = date(2031, 6, 15)
RAE = "00000000-0000-4000-8000-0000000000aa"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def make(profile: Profile, entity: str, **values) -> str:
    return profile.writer().create(entity, values).primary_id


def contract(profile: Profile, number: str, customer: str, start: date, cents: int, **more) -> str:
    values = {"status": "active", "kind": "sale", "end_on": date(2031, 12, 31), **more}
    return make(
        profile,
        "contracts",
        number=number,
        customer_id=customer,
        start_on=start,
        amount_cents=cents,
        **values,
    )


def pay(profile: Profile, customer: str, contract_id: str | None, day: date, cents: int) -> None:
    make(
        profile,
        "payments",
        customer_id=customer,
        contract_id=contract_id,
        paid_on=day,
        amount_cents=cents,
        method="transfer",
    )


@pytest.fixture
def ledger(profile: Profile) -> dict[str, str]:
    """As of 15 June 2031, worked out by hand:

    - Acme (mine, Max's): C-1, ¥12,000.00 in four instalments of ¥3,000.00 on 1 Jan, 1 Apr, 1 Jul,
      1 Oct, ¥4,500.00 paid: ¥1,500.00 overdue since 1 Apr, ¥7,500.00 outstanding; C-2,
      ¥800.00 without a plan from 10 May, unpaid: ¥800.00 overdue and outstanding; a draft
      from 2030 that counts for nothing. Acme: ¥2,300.00 overdue, ¥8,300.00 outstanding,
      since 1 April, on 2 contracts.
    - Bolt (Rae's): B-1, ¥1,000.00 from 1 June, ¥600.00 paid: ¥400.00 overdue and outstanding.
    - Cato (Rae's): K-1, ¥500.55 from 14 June, unpaid: ¥500.55.
    - Dune (mine): paid in full; not listed. Payments on account count against no contract.
    """
    me = profile.user_id
    with profile.store.write() as session:
        session.add(User(id=RAE, login="rae", name="Rae"))
    profile.store.set_setting(SCOPE_KEY, f"manager {{{me},{RAE}}}")
    profile.writer().update("users", me, {"name": "Max"})
    acme = make(profile, "customers", name="Acme")
    bolt = make(profile, "customers", name="Bolt", owner_id=RAE)
    cato = make(profile, "customers", name="Cato", owner_id=RAE)
    dune = make(profile, "customers", name="Dune")
    big = contract(profile, "C-1", acme, date(2031, 1, 1), 1_200_000, kind="service")
    for month in (1, 4, 7, 10):
        make(
            profile,
            "contract_instalments",
            contract_id=big,
            due_on=date(2031, month, 1),
            amount_cents=300_000,
        )
    pay(profile, acme, big, date(2031, 1, 3), 300_000)
    pay(profile, acme, big, date(2031, 4, 20), 150_000)
    contract(profile, "C-2", acme, date(2031, 5, 10), 80_000)
    contract(profile, "C-3", acme, date(2030, 1, 1), 9_900, status="draft")
    pay(profile, acme, None, date(2031, 2, 1), 99_999)  # on account
    b1 = contract(profile, "B-1", bolt, date(2031, 6, 1), 100_000, owner_id=RAE)
    pay(profile, bolt, b1, date(2031, 6, 2), 60_000)
    contract(profile, "K-1", cato, date(2031, 6, 14), 50_055, owner_id=RAE)
    d1 = contract(profile, "D-1", dune, date(2031, 3, 1), 70_000)
    pay(profile, dune, d1, date(2031, 3, 1), 70_000)
    return {"acme": acme, "bolt": bolt, "cato": cato, "dune": dune}


@pytest.fixture
def view(qtbot: QtBot, profile: Profile, runner: Runner, ledger: dict[str, str]) -> ReceivablesView:
    page = ReceivablesView(
        profile, runner, Reader(profile.store), profile.writer(), today=lambda: TODAY
    )
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    idle(qtbot, runner)
    return page


def customers(view: ReceivablesView) -> list[str]:
    return [line.customer for line in view.shown_lines()]


def section_centre(header: QHeaderView, section: int) -> QPoint:
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    return QPoint(x, header.height() // 2)


def shown_row(view: ReceivablesView, row: int) -> list[str]:
    model = view.model
    return [model.index(row, column).data() for column in range(model.columnCount())]


def sheet_rows(path: Path) -> list[list[tuple[str, str]]]:
    """Each row's cells as (kind, text), numbers exactly as written."""
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in root.iter(f"{MAIN}row"):
        cells = []
        for c in row.iter(f"{MAIN}c"):
            if c.get("t") == "inlineStr":
                cells.append(("s", c.find(f"{MAIN}is/{MAIN}t").text or ""))
            else:
                cells.append(("n", c.find(f"{MAIN}v").text))
        rows.append(cells)
    return rows


def test_customers_with_money_overdue_most_overdue_first(view: ReceivablesView) -> None:
    assert customers(view) == ["Acme", "Cato", "Bolt"]
    assert shown_row(view, 0) == [
        "Acme",
        "Max",
        format_money(230_000),
        format_money(830_000),
        "2031-04-01",
        "2",
    ]
    assert shown_row(view, 1) == [
        "Cato",
        "Rae",
        format_money(50_055),
        format_money(50_055),
        "2031-06-14",
        "1",
    ]
    assert shown_row(view, 2)[2:] == [
        format_money(40_000),
        format_money(40_000),
        "2031-06-01",
        "1",
    ]
    assert view.sums() == (320_055, 920_055)
    assert view.totals.text() == (
        f"3 customers with money overdue: {format_money(320_055)} overdue, "
        f"{format_money(920_055)} outstanding in all"
    )
    assert view.table.isVisibleTo(view) and not view.empty.isVisibleTo(view)
    header = view.table.horizontalHeader()
    assert header.sortIndicatorSection() == view.model.column_of("overdue")
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_the_owner_filter_shows_one_persons_customers(
    qtbot: QtBot, view: ReceivablesView, runner: Runner, profile: Profile
) -> None:
    owners = [view.owner_filter.itemText(i) for i in range(view.owner_filter.count())]
    assert owners == ["Everyone I see", "Me", "Rae"]
    view.owner_filter.choose(RAE)
    idle(qtbot, runner)
    assert customers(view) == ["Cato", "Bolt"]
    assert view.sums() == (90_055, 90_055)
    view.owner_filter.choose(profile.user_id)
    idle(qtbot, runner)
    assert customers(view) == ["Acme"]
    assert view.sums() == (230_000, 830_000)


def test_clicking_a_header_sorts_the_rows(qtbot: QtBot, view: ReceivablesView) -> None:
    header = view.table.horizontalHeader()
    customer = view.model.column_of("customer")
    view.table.selectRow(1)  # Cato: the selection follows the row
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=section_centre(header, customer)
    )
    assert header.sortIndicatorSection() == customer
    assert customers(view) == ["Acme", "Bolt", "Cato"]
    assert view.selected_line().customer == "Cato"
    view.sort_by("customer", Qt.SortOrder.DescendingOrder)
    assert customers(view) == ["Cato", "Bolt", "Acme"]
    view.sort_by("overdue_since", Qt.SortOrder.AscendingOrder)
    assert customers(view) == ["Acme", "Bolt", "Cato"]
    view.sort_by("overdue", Qt.SortOrder.AscendingOrder)
    assert customers(view) == ["Bolt", "Cato", "Acme"]
    assert shown_row(view, 0)[0] == "Bolt"  # what the table shows, not only the list held


def test_a_reload_keeps_the_chosen_sort(
    qtbot: QtBot, view: ReceivablesView, runner: Runner, profile: Profile, ledger: dict[str, str]
) -> None:
    view.sort_by("customer", Qt.SortOrder.AscendingOrder)
    with qtbot.waitSignal(view.shown, timeout=10000):
        # Cato pays in full: he leaves the list.
        runner.write(
            lambda: profile.writer().create(
                "payments",
                {
                    "customer_id": ledger["cato"],
                    "paid_on": TODAY,
                    "amount_cents": 50_055,
                    "method": "cash",
                    "contract_id": contract_of(profile, ledger["cato"]),
                },
            )
        )
    assert customers(view) == ["Acme", "Bolt"]
    assert view.sums() == (270_000, 870_000)


def contract_of(profile: Profile, customer_id: str) -> str:
    with profile.store.read() as session:
        return session.scalar(select(Contract.id).where(Contract.customer_id == customer_id))


def test_export_writes_the_rows_shown_in_their_order(
    qtbot: QtBot, view: ReceivablesView, runner: Runner, tmp_path: Path
) -> None:
    view.owner_filter.choose(RAE)
    idle(qtbot, runner)
    path = tmp_path / "receivables.xlsx"
    assert view.export_to(path) == 2
    assert sheet_rows(path) == [
        [
            ("s", "Customer"),
            ("s", "Owner"),
            ("s", "Overdue"),
            ("s", "Outstanding"),
            ("s", "Overdue since"),
            ("s", "Contracts overdue"),
        ],
        [
            ("s", "Cato"),
            ("s", "Rae"),
            ("n", "500.55"),
            ("n", "500.55"),
            ("s", "2031-06-14"),
            ("n", "1"),
        ],
        [
            ("s", "Bolt"),
            ("s", "Rae"),
            ("n", "400.00"),
            ("n", "400.00"),
            ("s", "2031-06-01"),
            ("n", "1"),
        ],
        [],
        [("s", "Total"), ("n", "900.55"), ("n", "900.55"), ("n", "2")],
    ]
    # The total under the columns it adds up, after a blank row.
    sheet = load_workbook(path).active
    assert [cell.value for cell in sheet[5]] == ["Total", None, 900.55, 900.55, None, 2]
    assert all(cell.value is None for cell in sheet[4])


def test_nothing_overdue_says_so_instead_of_a_blank_grid(
    qtbot: QtBot, profile: Profile, runner: Runner
) -> None:
    page = ReceivablesView(
        profile, runner, Reader(profile.store), profile.writer(), today=lambda: TODAY
    )
    qtbot.addWidget(page)
    page.show()
    idle(qtbot, runner)
    assert page.model.rowCount() == 0
    assert page.empty.isVisible()
    assert page.empty.text().startswith("Nothing is overdue.")
    assert not page.table.isVisible()
    assert not page.export_button.isEnabled()
    assert page.totals.text() == ""


def test_double_click_opens_the_customer(
    qtbot: QtBot, view: ReceivablesView, ledger: dict[str, str]
) -> None:
    rect = view.table.visualRect(view.model.index(1, view.model.column_of("overdue")))
    with qtbot.waitSignal(view.open_record) as opened:
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == ["customers", ledger["cato"]]


def test_the_model_passes_qts_model_tester(qtmodeltester, view: ReceivablesView) -> None:
    assert view.model.rowCount() == 3
    qtmodeltester.check(view.model)


def test_shown_again_on_a_later_day_it_reads_again(
    qtbot: QtBot, profile: Profile, runner: Runner, ledger: dict[str, str]
) -> None:
    """Money falls overdue at midnight, without any write: a page read yesterday and shown
    again today reads again (K-1, due on its start day the 14th, is overdue from the 15th)."""
    today = date(2031, 6, 14)

    def clock() -> date:
        return today

    page = ReceivablesView(profile, runner, Reader(profile.store), profile.writer(), today=clock)
    qtbot.addWidget(page)
    page.show()
    idle(qtbot, runner)
    before = customers(page)
    page.hide()
    today = date(2031, 6, 20)
    page.show()
    idle(qtbot, runner)
    assert "Cato" not in before and "Cato" in customers(page)
