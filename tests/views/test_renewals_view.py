"""The renewal list on a real profile, offscreen: which contracts each period shows, the
filters, the renewal status and note set in the list (and put back when refused), Renew…
making the linked follow-on contract, export of the rows shown, and double-click."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from crm_desktop.models.entities import SCOPE_KEY, Contract, User
from crm_desktop.profile import Profile
from crm_desktop.queries.reader import Reader
from crm_desktop.views.display import format_money
from crm_desktop.views.renew_dialog import RenewDialog, cents_of, proposed_number
from crm_desktop.views.renewals_view import RenewalsView, period_days
from crm_desktop.views.runner import Runner
from tests.views.helpers import idle

TODAY = date(2031, 6, 15)  # a Sunday; +30 days: 15 July, +60: 14 August, +90: 13 September
RAE = "00000000-0000-4000-8000-0000000000aa"
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def make(profile: Profile, entity: str, **values) -> str:
    return profile.writer().create(entity, values).primary_id


@pytest.fixture
def book(profile: Profile) -> dict[str, str]:
    """A manager (the profile's user) and Rae, of his team. Contracts by end date: C-PAST
    10 June, C-JUN 30 June, B-JUL 10 July (Rae's), C-AUG 10 August, C-SEP 10 September,
    C-OCT 1 October; a draft and a terminated one ending in June, which no list shows."""
    me = profile.user_id
    with profile.store.write() as session:
        session.add(User(id=RAE, login="rae", name="Rae"))
    profile.store.set_setting(SCOPE_KEY, f"manager {{{me},{RAE}}}")
    acme = make(profile, "customers", name="Acme")
    bolt = make(profile, "customers", name="Bolt", owner_id=RAE)
    ids = {"acme": acme, "bolt": bolt}
    for number, customer, kind, start, end, cents, status, owner in (
        ("C-PAST", acme, "sale", date(2030, 6, 11), date(2031, 6, 10), 100_000, "ended", me),
        ("C-JUN", acme, "service", date(2030, 7, 1), date(2031, 6, 30), 200_000, "active", me),
        ("B-JUL", bolt, "policy", date(2030, 7, 11), date(2031, 7, 10), 300_050, "active", RAE),
        ("C-AUG", acme, "sale", date(2031, 2, 11), date(2031, 8, 10), 5, "active", me),
        ("C-SEP", acme, "membership", None, date(2031, 9, 10), 12_345, "active", me),
        ("C-OCT", acme, "service", date(2030, 10, 2), date(2031, 10, 1), 70_000, "active", me),
        ("C-DRAFT", acme, "sale", None, date(2031, 6, 20), 1_000, "draft", me),
        ("C-TERM", acme, "sale", None, date(2031, 6, 25), 2_000, "terminated", me),
    ):
        ids[number] = make(
            profile,
            "contracts",
            number=number,
            customer_id=customer,
            kind=kind,
            start_on=start,
            end_on=end,
            amount_cents=cents,
            status=status,
            owner_id=owner,
        )
    return ids


@pytest.fixture
def view(qtbot: QtBot, profile: Profile, runner: Runner, book: dict[str, str]) -> RenewalsView:
    page = RenewalsView(
        profile, runner, Reader(profile.store), profile.writer(), today=lambda: TODAY
    )
    qtbot.addWidget(page)
    page.resize(1366, 768)
    page.show()
    idle(qtbot, runner)
    return page


def numbers(view: RenewalsView) -> list[str]:
    return [line.number for line in view.shown_lines()]


def cell(view: RenewalsView, number: str, key: str) -> str:
    row = numbers(view).index(number)
    return view.model.index(row, view.model.column_of(key)).data()


def stored(profile: Profile, contract_id: str) -> Contract:
    with profile.store.read() as session:
        row = session.get(Contract, contract_id)
        session.expunge(row)
        return row


def sheet_rows(path: Path) -> list[list[tuple[str, str]]]:
    """Each row's cells as (kind, text): ("s", text) for text cells, ("n", value) for numbers,
    exactly as written (so "3000.50" is not read back through a float)."""
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


def test_periods_are_counted_from_today() -> None:
    assert period_days("month", TODAY) == (date(2031, 6, 1), date(2031, 6, 30))
    assert period_days("30", TODAY) == (TODAY, date(2031, 7, 15))
    assert period_days("90", date(2031, 12, 15)) == (date(2031, 12, 15), date(2032, 3, 14))


def test_the_period_chooser_lists_the_contracts_ending_in_it(
    qtbot: QtBot, view: RenewalsView, runner: Runner
) -> None:
    assert view.period.currentData() == "30"  # the default
    assert not view.range_from.isVisible()
    assert numbers(view) == ["C-JUN", "B-JUL"]
    assert view.count_label.text() == f"2 contracts, {format_money(500_050)} in all"

    expected = {
        "month": ["C-PAST", "C-JUN"],
        "60": ["C-JUN", "B-JUL", "C-AUG"],
        "90": ["C-JUN", "B-JUL", "C-AUG", "C-SEP"],
    }
    for period, wanted in expected.items():
        view.set_period(period)
        idle(qtbot, runner)
        assert numbers(view) == wanted, period

    view.set_period("range")
    idle(qtbot, runner)
    assert view.range_from.isVisible() and view.range_to.isVisible()
    # The range starts as the period shown before it.
    assert view.days() == (date(2031, 6, 15), date(2031, 9, 13))
    view.set_range(date(2031, 9, 1), date(2031, 12, 31))
    idle(qtbot, runner)
    assert numbers(view) == ["C-SEP", "C-OCT"]
    view.range_to.setDate(date(2031, 9, 30))  # typed in the date field
    idle(qtbot, runner)
    assert numbers(view) == ["C-SEP"]

    view.set_range(date(2031, 6, 1), date(2031, 6, 30))
    idle(qtbot, runner)
    assert numbers(view) == ["C-PAST", "C-JUN"]  # never the draft nor the terminated one


def test_the_owner_kind_and_status_filters_narrow_the_list(
    qtbot: QtBot, view: RenewalsView, runner: Runner, profile: Profile, book: dict[str, str]
) -> None:
    owners = [view.owner_filter.itemText(i) for i in range(view.owner_filter.count())]
    assert owners == ["Everyone I see", "Me", "Rae"]
    view.set_period("90")
    idle(qtbot, runner)

    assert view.owner_filter.choose(RAE)
    idle(qtbot, runner)
    assert numbers(view) == ["B-JUL"]
    assert cell(view, "B-JUL", "owner") == "Rae"
    view.owner_filter.choose(profile.user_id)
    idle(qtbot, runner)
    assert numbers(view) == ["C-JUN", "C-AUG", "C-SEP"]

    view.kind_filter.setCurrentIndex(view.kind_filter.findData("sale"))
    idle(qtbot, runner)
    assert numbers(view) == ["C-AUG"]
    assert cell(view, "C-AUG", "kind") == "Sale"

    view.owner_filter.choose(None)
    view.kind_filter.setCurrentIndex(0)
    profile.writer().update("contracts", book["C-JUN"], {"renewal_status": "renewing"})
    view.status_filter.setCurrentIndex(view.status_filter.findData("renewing"))
    idle(qtbot, runner)
    assert numbers(view) == ["C-JUN"]
    view.status_filter.setCurrentIndex(view.status_filter.findData("undecided"))
    idle(qtbot, runner)
    assert numbers(view) == ["B-JUL", "C-AUG", "C-SEP"]
    assert view.count_label.text() == f"3 contracts, {format_money(312_400)} in all"


def test_the_renewal_status_chosen_in_the_list_is_saved(
    qtbot: QtBot, view: RenewalsView, runner: Runner, profile: Profile, book: dict[str, str]
) -> None:
    assert cell(view, "B-JUL", "renewal_status") == "Undecided"
    index = view.model.index(numbers(view).index("B-JUL"), view.model.column_of("renewal_status"))
    view.table.setCurrentIndex(index)
    view.table.edit(index)
    editor = view.table.indexWidget(index)
    assert isinstance(editor, QComboBox)
    position = editor.findData("not_renewing")
    editor.setCurrentIndex(position)
    editor.activated.emit(position)  # as the user picking it
    assert cell(view, "B-JUL", "renewal_status") == "Not renewing"  # at once
    idle(qtbot, runner)
    assert stored(profile, book["B-JUL"]).renewal_status == "not_renewing"
    assert cell(view, "B-JUL", "renewal_status") == "Not renewing"
    assert not view.message.isVisibleTo(view)

    note = view.model.index(numbers(view).index("C-JUN"), view.model.column_of("renewal_note"))
    view.table.setCurrentIndex(note)
    view.table.edit(note)
    line = view.table.indexWidget(note)
    assert isinstance(line, QLineEdit)
    line.setText("  Call after the budget meeting ")
    view.table.commitData(line)
    idle(qtbot, runner)
    assert stored(profile, book["C-JUN"]).renewal_note == "Call after the budget meeting"
    assert cell(view, "C-JUN", "renewal_note") == "Call after the budget meeting"


def test_a_refused_edit_says_why_and_puts_the_cell_back(
    qtbot: QtBot, view: RenewalsView, runner: Runner, profile: Profile, book: dict[str, str]
) -> None:
    # Deleted by another window (or a sync) behind the list's back.
    profile.writer().delete("contracts", [book["C-JUN"]])
    with qtbot.assertNotEmitted(runner.changed):
        assert view.set_renewal_status(book["C-JUN"], "renewing")
        assert cell(view, "C-JUN", "renewal_status") == "Renewing"
        idle(qtbot, runner)
    assert view.message.isVisibleTo(view)
    assert "contract" in view.message.text() and book["C-JUN"] in view.message.text()
    assert "C-JUN" not in numbers(view)  # the list now shows what the store holds
    assert stored(profile, book["C-JUN"]).renewal_status == "undecided"


def test_a_refused_edit_of_a_row_still_shown_puts_its_old_value_back(
    qtbot: QtBot,
    view: RenewalsView,
    runner: Runner,
    profile: Profile,
    book: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    view.set_renewal_note(book["B-JUL"], "first")
    idle(qtbot, runner)
    # The cell goes back by itself, not by the list being read again.
    monkeypatch.setattr(view, "reload", lambda: None)
    too_long = "x" * 301  # the field holds 300; the editor would stop there, the writer says so
    view.set_renewal_note(book["B-JUL"], too_long)
    assert cell(view, "B-JUL", "renewal_note") == too_long
    idle(qtbot, runner)
    assert view.message.isVisibleTo(view) and "300" in view.message.text()
    assert cell(view, "B-JUL", "renewal_note") == "first"
    assert stored(profile, book["B-JUL"]).renewal_note == "first"


def test_renew_makes_the_linked_contract_with_the_next_term(
    qtbot: QtBot, view: RenewalsView, runner: Runner, profile: Profile, book: dict[str, str]
) -> None:
    assert not view.renew_button.isEnabled()  # nothing chosen
    assert view.select_contract(book["C-JUN"])
    assert view.renew_button.isEnabled()
    view.renew_button.click()
    dialog = view.dialog
    assert isinstance(dialog, RenewDialog)
    # Proposed: the number with a suffix, the next term (a year: 1 July 2031 - 30 June 2032),
    # the same amount.
    assert dialog.values() == {
        "number": "C-JUN-R1",
        "start_on": date(2031, 7, 1),
        "end_on": date(2032, 6, 30),
        "amount_cents": 200_000,
    }
    dialog.number.setText("C-JUN-2032")
    dialog.amount.setValue(2100.1)
    with qtbot.waitSignal(dialog.renewed, timeout=10000) as renewed:
        dialog.ok_button.click()
    idle(qtbot, runner)
    new_id = renewed.args[0]
    assert not dialog.isVisible()

    new = stored(profile, new_id)
    assert (new.number, new.renewed_from_id, new.customer_id) == (
        "C-JUN-2032",
        book["C-JUN"],
        book["acme"],
    )
    assert (new.start_on, new.end_on, new.amount_cents) == (
        date(2031, 7, 1),
        date(2032, 6, 30),
        210_010,
    )
    assert (new.kind, new.status, new.owner_id) == ("service", "active", profile.user_id)
    assert stored(profile, book["C-JUN"]).renewal_status == "renewed"
    assert cell(view, "C-JUN", "renewal_status") == "Renewed"
    assert cell(view, "C-JUN", "renewed_by") == "C-JUN-2032"
    assert view.selected_line().id == book["C-JUN"]  # still the chosen one
    assert not view.renew_button.isEnabled()  # renewed already
    assert view.renew_selected() is None


def test_a_refused_renewal_is_said_in_the_dialog(
    qtbot: QtBot, view: RenewalsView, runner: Runner, profile: Profile, book: dict[str, str]
) -> None:
    view.select_contract(book["B-JUL"])
    dialog = view.renew_selected()
    assert dialog is not None
    dialog.end.setValue(date(2031, 7, 1))  # before the start, 11 July
    with qtbot.assertNotEmitted(dialog.renewed):
        dialog.ok_button.click()
        idle(qtbot, runner)
    assert dialog.isVisible()
    assert dialog.message.text() == "The end date is before the start date."
    assert dialog.ok_button.isEnabled()
    assert stored(profile, book["B-JUL"]).renewal_status == "undecided"
    dialog.reject()


def test_proposed_numbers_and_exact_amounts() -> None:
    assert proposed_number("C-7") == "C-7-R1"
    assert proposed_number("C-7-R1") == "C-7-R2"
    assert proposed_number("C-7-R9") == "C-7-R10"
    assert cents_of(0.29) == 29  # 0.29 * 100 is 28.999999999999996 as a float
    assert cents_of(12345678901.01) == 1_234_567_890_101


def test_export_writes_the_rows_shown(
    qtbot: QtBot, view: RenewalsView, runner: Runner, tmp_path: Path, book: dict[str, str]
) -> None:
    view.set_period("90")
    view.kind_filter.setCurrentIndex(view.kind_filter.findData("policy"))
    idle(qtbot, runner)
    path = tmp_path / "renewals.xlsx"
    assert view.export_to(path) == 1
    rows = sheet_rows(path)
    assert [text for _kind, text in rows[0]] == [
        "Ends",
        "Contract",
        "Customer",
        "Kind",
        "Amount",
        "Renewal",
        "Renewal note",
        "Owner",
        "Renewed by",
    ]
    assert rows[1] == [
        ("s", "2031-07-10"),
        ("s", "B-JUL"),
        ("s", "Bolt"),
        ("s", "Policy"),
        ("n", "3000.50"),
        ("s", "Undecided"),
        ("s", "Rae"),
    ]
    # The amounts' total under their column, after a blank row.
    sheet = load_workbook(path).active
    assert sheet.max_row == 4 and all(cell.value is None for cell in sheet[3])
    assert [cell.value for cell in sheet[4]][:5] == ["Total", None, None, None, 3000.5]

    view.kind_filter.setCurrentIndex(0)
    idle(qtbot, runner)
    assert view.export_to(path) == 4
    rows = sheet_rows(path)
    assert rows[-2:] == [[], [("s", "Total"), ("n", "5124.00")]]
    contracts = rows[1:-2]
    assert [row[1][1] for row in contracts] == ["C-JUN", "B-JUL", "C-AUG", "C-SEP"]
    assert [row[4] for row in contracts] == [
        ("n", "2000.00"),
        ("n", "3000.50"),
        ("n", "0.05"),
        ("n", "123.45"),
    ]


def test_an_export_that_cannot_be_written_says_so(view: RenewalsView, tmp_path: Path) -> None:
    assert view.export_to(tmp_path / "missing" / "renewals.xlsx") == -1
    assert view.message.isVisibleTo(view)
    assert "renewals.xlsx" in view.message.text()


def test_double_click_opens_the_contract_and_edits_the_renewal(
    qtbot: QtBot, view: RenewalsView, book: dict[str, str]
) -> None:
    row = numbers(view).index("B-JUL")
    number_cell = view.table.visualRect(view.model.index(row, view.model.column_of("number")))
    with qtbot.waitSignal(view.open_record) as opened:
        qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, pos=number_cell.center())
        qtbot.mouseDClick(
            view.table.viewport(), Qt.MouseButton.LeftButton, pos=number_cell.center()
        )
    assert opened.args == ["contracts", book["B-JUL"]]

    status = view.model.index(row, view.model.column_of("renewal_status"))
    with qtbot.assertNotEmitted(view.open_record):
        qtbot.mouseClick(
            view.table.viewport(),
            Qt.MouseButton.LeftButton,
            pos=view.table.visualRect(status).center(),
        )
        qtbot.mouseDClick(
            view.table.viewport(),
            Qt.MouseButton.LeftButton,
            pos=view.table.visualRect(status).center(),
        )
    assert isinstance(view.table.indexWidget(status), QComboBox)


def test_a_write_elsewhere_reloads_the_list(
    qtbot: QtBot, view: RenewalsView, runner: Runner, profile: Profile, book: dict[str, str]
) -> None:
    values = {
        "number": "C-NEW",
        "customer_id": book["acme"],
        "end_on": date(2031, 7, 1),
        "amount_cents": 1,
        "status": "active",
    }
    with qtbot.waitSignal(view.shown, timeout=10000):
        runner.write(lambda: profile.writer().create("contracts", values))
    assert numbers(view) == ["C-JUN", "C-NEW", "B-JUL"]

    with qtbot.waitSignal(view.shown, timeout=10000):
        runner.write(
            lambda: profile.writer().update("customers", book["bolt"], {"name": "Bolt Co"})
        )
    assert cell(view, "B-JUL", "customer") == "Bolt Co"


def test_the_model_passes_qts_model_tester(qtmodeltester, view: RenewalsView) -> None:
    assert view.model.rowCount() == 2
    qtmodeltester.check(view.model)
