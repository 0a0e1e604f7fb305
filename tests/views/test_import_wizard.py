"""File → Import… driven through its real pages offscreen: a GBK CSV from an old system with a
bad row and duplicates, a UTF-16 file, a workbook's second sheet, and business cards."""

from __future__ import annotations

import csv
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWizard
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from crm_desktop.duplicates import model as duplicates_model
from crm_desktop.models.entities import Contact, Customer
from crm_desktop.models.phones import DEFAULT_REGION
from crm_desktop.transfer import export_csv_file
from crm_desktop.transfer.staging import Decision
from crm_desktop.views.import_wizard import (
    CHECK_PAGE,
    COLUMNS_PAGE,
    DONE_PAGE,
    DUPLICATES_PAGE,
    RUN_PAGE,
    ImportWizard,
)
from crm_desktop.views.main_window import MainWindow
from tests.views.helpers import wait_idle

OLD_SYSTEM = (
    "客户名称,手机,邮箱,地址,负责人\n"
    "华强电子,138-0013-8000,sales@hq.cn,深圳市福田区华强北路,\n"
    "美的集团,12,,佛山市顺德区,\n"
    "新客户,13912345678,new@example.cn,北京市朝阳区,\n"
    "坏负责人,13712345678,,上海市,nobody\n"
)


def _names(window: MainWindow) -> dict[str, Customer]:
    with window.profile.store.read() as session:
        rows = session.scalars(select(Customer).where(Customer.deleted_at.is_(None))).all()
        for row in rows:
            session.expunge(row)
    return {row.name: row for row in rows}


def _open(qtbot: QtBot, window: MainWindow, path: Path, complete: bool = True) -> ImportWizard:
    window.import_action.trigger()
    (wizard,) = [w for w in window.findChildren(ImportWizard) if w.isVisible()]
    wizard.file_page.choose(str(path))
    wait_idle_runner(qtbot, wizard)
    if complete:
        qtbot.waitUntil(wizard.file_page.isComplete, timeout=10000)
    return wizard


def _next(qtbot: QtBot, wizard: ImportWizard, page: int) -> None:
    wizard.next()
    assert wizard.currentId() == page
    wait_idle_runner(qtbot, wizard)


def wait_idle_runner(qtbot: QtBot, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: wizard.runner.pending() == 0, timeout=20000)


def _through_columns(qtbot: QtBot, wizard: ImportWizard) -> None:
    _next(qtbot, wizard, COLUMNS_PAGE)
    qtbot.waitUntil(lambda: bool(wizard.columns_page.combos), timeout=10000)


def _checked(qtbot: QtBot, wizard: ImportWizard) -> None:
    _next(qtbot, wizard, CHECK_PAGE)
    qtbot.waitUntil(wizard.check_page.isComplete, timeout=20000)


def _until_done(qtbot: QtBot, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: wizard.currentId() == DONE_PAGE, timeout=20000)
    wait_idle_runner(qtbot, wizard)


def test_an_old_systems_gbk_file_with_problems_and_duplicates(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    stored = (
        window.profile.writer()
        .create("customers", {"name": "深圳华强电子有限公司", "phone": "13800138000"})
        .primary_id
    )
    path = tmp_path / "客户.csv"
    path.write_bytes(OLD_SYSTEM.encode("gbk"))
    wizard = _open(qtbot, window, path)
    page = wizard.file_page
    assert page.encoding.currentData() == "gb18030"
    assert page.first_lines.item(0, 0).text() == "华强电子"
    assert page.entity.currentData() == "customers"

    _through_columns(qtbot, wizard)
    chosen = wizard.columns_page.chosen()
    assert chosen == {0: "name", 1: "phone", 2: "email", 3: "address", 4: "owner"}
    # Two columns read as one field cannot go on.
    combo = wizard.columns_page.combos[2]
    combo.setCurrentIndex(combo.findData("phone"))
    assert wizard.columns_page.error.isVisible() and not wizard.columns_page.isComplete()
    combo.setCurrentIndex(combo.findData("email"))
    assert wizard.columns_page.isComplete()

    _checked(qtbot, wizard)
    check = wizard.check_page
    preview = check.preview
    assert preview.rowCount() == 4
    assert "problems" in check.status.text()
    # The rows with problems first (lines 3 and 5), then the others in the file's order.
    assert [preview.item(row, 0).text() for row in range(4)] == ["3", "5", "2", "4"]
    phone_cell = preview.item(0, 2)
    assert phone_cell.toolTip() == "“12” is not a phone number."
    owner_cell = preview.item(1, 5)
    assert "nobody" in owner_cell.toolTip()
    # Stopping to correct the file: the rows with problems and what to correct in each are
    # saved to a file to work from, as the tooltips say it.
    assert check.save_problems.isVisible() and check.saved.text() == ""
    check.stop.setChecked(True)
    assert "correct the file" in check.saved.text()
    target = tmp_path / "to correct.csv"
    check.save(str(target))
    wait_idle_runner(qtbot, wizard)
    assert check.saved.text() == f"Saved to {target}."
    with target.open(encoding="utf-8-sig", newline="") as saved:
        listed = list(csv.reader(saved))
    assert [row[:2] for row in listed[1:]] == [["3", "美的集团"], ["5", "坏负责人"]]
    assert listed[1][-1] == phone_cell.toolTip() and "nobody" in listed[2][-1]
    check.skip_bad.setChecked(True)
    # The user corrects the phone in its cell; the row is checked again.
    phone_cell.setText("0757-2233 4455")
    wait_idle_runner(qtbot, wizard)
    assert preview.item(0, 2).toolTip() == ""
    check.stop.setChecked(True)
    assert not check.isComplete()  # one row still has a problem
    check.skip_bad.setChecked(True)
    assert check.isComplete()

    _next(qtbot, wizard, DUPLICATES_PAGE)
    duplicates = wizard.duplicates_page
    shown = duplicates.table.model()
    assert shown.rowCount() == 1
    assert "深圳华强电子有限公司" in shown.index(0, 2).data()
    assert shown.index(0, 3).data(Qt.ItemDataRole.UserRole) == Decision.SKIP
    duplicates.table.selectRow(0)
    duplicates.buttons[Decision.FILL].click()
    assert shown.index(0, 3).data(Qt.ItemDataRole.UserRole) == Decision.FILL

    wizard.next()
    assert wizard.currentId() in (RUN_PAGE, DONE_PAGE)
    _until_done(qtbot, wizard)
    outcome = wizard.outcome
    assert outcome is not None
    assert (outcome.added, outcome.updated, len(outcome.skipped)) == (2, 1, 1)
    assert "Added 2, updated 1, skipped 1." in wizard.done_page.summary.text()
    skipped = wizard.done_page.skipped.model()
    assert skipped.rowCount() == 1 and skipped.index(0, 0).data() == "5"
    assert "nobody" in skipped.index(0, 1).data()
    names = _names(window)
    assert set(names) == {"深圳华强电子有限公司", "美的集团", "新客户"}
    assert names["深圳华强电子有限公司"].email == "sales@hq.cn"  # filled in
    assert names["美的集团"].phone == "+867572233 4455".replace(" ", "")

    target = tmp_path / "skipped.csv"
    wizard.done_page.save(str(target))
    wait_idle_runner(qtbot, wizard)
    with target.open(encoding="utf-8-sig", newline="") as saved:
        rows = list(csv.reader(saved))
    assert rows[1][:2] == ["5", "坏负责人"] and "nobody" in rows[1][-1]

    wizard.done_page.undo_import(ask=False)
    wait_idle_runner(qtbot, wizard)
    wait_idle(qtbot, window)
    assert wizard.done_page.message.text() == "The import was undone."
    names = _names(window)
    assert set(names) == {"深圳华强电子有限公司"}
    assert names["深圳华强电子有限公司"].email is None
    assert names["深圳华强电子有限公司"].id == stored
    wizard.accept()


def test_a_utf16_file_and_the_remembered_columns(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("公司\t电话\t备注\n远大空调\t010-6012 3456\t老客户\n".encode("utf-16"))
    wizard = _open(qtbot, window, path)
    assert wizard.file_page.encoding.currentData().startswith("utf-16")
    _through_columns(qtbot, wizard)
    # "备注" read as notes; the user leaves it out, and that is remembered.
    notes = wizard.columns_page.combos[2]
    assert notes.currentData() == "notes"
    notes.setCurrentIndex(notes.findData(None))
    _checked(qtbot, wizard)
    wizard.next()
    _until_done(qtbot, wizard)
    assert _names(window)["远大空调"].notes is None
    wizard.accept()

    again = _open(qtbot, window, path)
    _through_columns(qtbot, again)
    assert again.columns_page.chosen() == {0: "name", 1: "phone", 2: None}
    assert "before" in again.columns_page.origin.text()
    again.reject()


def test_the_second_sheet_of_a_workbook(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    book = Workbook()
    first = book.active
    first.title = "说明"
    first.append(["这是说明页"])
    first.append(["请勿修改表头"])  # two lines of notes: one reads as a header over a row
    second = book.create_sheet("客户")
    second.append(["客户名称", "手机", "等级"])
    second.append(["格力电器", "13600136000", "A"])
    path = tmp_path / "book.xlsx"
    third = book.create_sheet("供应商")
    third.append(["客户名称", "手机"])
    third.append(["供应商甲", "13500135000"])
    book.save(path)
    wizard = _open(qtbot, window, path)
    page = wizard.file_page
    # The first sheet holds only notes: the first one with a list is shown.
    assert page.sheet.isVisibleTo(page) and page.sheet.count() == 3
    assert page.sheet.currentText() == "客户"
    assert not page.encoding.isVisibleTo(page)
    page.sheet.setCurrentIndex(2)
    page.sheet.activated.emit(2)
    qtbot.waitUntil(lambda: page.first_lines.item(0, 0).text() == "供应商甲", timeout=10000)
    page.sheet.setCurrentIndex(1)
    page.sheet.activated.emit(1)
    qtbot.waitUntil(lambda: page.first_lines.columnCount() == 3, timeout=10000)
    _through_columns(qtbot, wizard)
    _checked(qtbot, wizard)
    wizard.next()
    _until_done(qtbot, wizard)
    assert _names(window)["格力电器"].grade == "A"
    wizard.accept()


def test_business_cards_come_in_as_contacts(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    cards = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:王芳\r\nORG:海尔集团\r\n"
        "TEL;TYPE=CELL:13512345678\r\nTEL;TYPE=WORK:0532-8888 1234\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:陈明\r\nORG:海尔集团\r\n"
        "TEL;TYPE=cell:13612345678\r\nEMAIL:chen@haier.com\r\nEND:VCARD\r\n"
    )
    path = tmp_path / "名片.vcf"
    path.write_text(cards, encoding="utf-8")
    wizard = _open(qtbot, window, path)
    assert wizard.file_page.entity.currentData() == "contacts"
    _through_columns(qtbot, wizard)
    _checked(qtbot, wizard)
    # Said before anything is written: the company is no customer yet, and will be added.
    assert "1 company not among your customers will be added as a customer: “海尔集团”." in (
        wizard.check_page.status.text()
    )
    wizard.next()
    _until_done(qtbot, wizard)
    assert wizard.outcome is not None and wizard.outcome.added == 2
    with window.profile.store.read() as session:
        contacts = {c.name: c for c in session.scalars(select(Contact))}
        haier = session.scalars(select(Customer).where(Customer.name == "海尔集团")).one()
    assert contacts["王芳"].mobile == "+8613512345678"
    assert contacts["王芳"].customer_id == contacts["陈明"].customer_id == haier.id
    wizard.accept()


def _many_rows(path: Path, count: int) -> Path:
    """A file of `count` numbered companies, each with its own phone."""
    lines = "客户名称,手机\n" + "".join(f"公司{n:05d},1391{n:07d}\n" for n in range(count))
    path.write_text(lines, encoding="utf-8")
    return path


def _ready_to_import(qtbot: QtBot, window: MainWindow, path: Path, count: int) -> ImportWizard:
    """A file of `count` numbered companies, checked, its look-alikes added all the same: the
    next page runs the import."""
    wizard = _open(qtbot, window, _many_rows(path, count))
    _through_columns(qtbot, wizard)
    _checked(qtbot, wizard)
    assert wizard.staging is not None
    if wizard.staging.duplicate_rows():
        # Numbered names look alike: the user adds them all anyway.
        _next(qtbot, wizard, DUPLICATES_PAGE)
        wizard.duplicates_page.buttons[Decision.ADD].click()
    return wizard


def test_cancel_while_importing_keeps_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    wizard = _ready_to_import(qtbot, window, tmp_path / "many.csv", 3000)
    # The import waits behind other storage work; the user presses Cancel meanwhile.
    gate = threading.Event()
    wizard.runner.submit(gate.wait)
    wizard.next()
    assert wizard.currentId() == RUN_PAGE and wizard.run_page.running
    wizard.reject()
    assert wizard.isVisible()  # it closes once the import has rolled back
    gate.set()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=20000)
    assert wizard.result() == QWizard.DialogCode.Rejected
    assert _names(window) == {}


def test_back_is_off_while_importing_and_the_rows_go_in_once(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    wizard = _ready_to_import(qtbot, window, tmp_path / "once.csv", 300)
    back = wizard.button(QWizard.WizardButton.BackButton)
    assert back.isEnabled()
    gate = threading.Event()
    wizard.runner.submit(gate.wait)
    try:
        wizard.next()
        assert wizard.currentId() == RUN_PAGE and wizard.run_page.running
        # Back would show the page that hands these rows on to a second run.
        assert not back.isEnabled()
        qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
        assert wizard.currentId() == RUN_PAGE
    finally:
        gate.set()
    _until_done(qtbot, wizard)
    assert len(_names(window)) == 300
    wizard.accept()


def _check_held_back(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> tuple[ImportWizard, threading.Event]:
    """A wizard on the check page of 3,000 rows, its check waiting behind other storage work
    until the event is set."""
    wizard = _open(qtbot, window, _many_rows(tmp_path / "many.csv", 3000))
    _through_columns(qtbot, wizard)
    gate = threading.Event()
    wizard.runner.submit(gate.wait)
    wizard.next()
    assert wizard.currentId() == CHECK_PAGE and not wizard.check_page.isComplete()
    return wizard, gate


def test_cancel_while_checking_stops_the_check(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    wizard, gate = _check_held_back(qtbot, window, tmp_path)  # the user presses Cancel
    caplog.set_level("DEBUG", logger="crm_desktop.views.runner")
    wizard.reject()
    assert not wizard.isVisible()  # a check writes nothing: the wizard closes at once
    gate.set()
    wait_idle_runner(qtbot, wizard)
    # The check stopped at its first thousand rows rather than ran to the end; no fault.
    said = [(record.levelname, record.getMessage()) for record in caplog.records]
    assert ("DEBUG", "storage job cancelled") in said
    assert not [message for level, message in said if level == "ERROR"]
    assert wizard.staging is None and _names(window) == {}


def test_back_while_checking_stops_that_check(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    wizard, gate = _check_held_back(qtbot, window, tmp_path)
    caplog.set_level("DEBUG", logger="crm_desktop.views.runner")
    wizard.back()
    gate.set()
    wait_idle_runner(qtbot, wizard)
    assert "storage job cancelled" in caplog.messages
    assert wizard.currentId() == COLUMNS_PAGE and wizard.staging is None
    _checked(qtbot, wizard)  # checked again, to the end
    assert wizard.staging is not None and len(wizard.staging.rows) == 3000
    wizard.reject()


def test_closing_the_window_during_an_import_asks_and_then_keeps_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard = _ready_to_import(qtbot, window, tmp_path / "many.csv", 3000)
    gate = threading.Event()
    wizard.runner.submit(gate.wait)
    wizard.next()
    assert wizard.run_page.running
    asked: list[str] = []

    def answer(button: QMessageBox.StandardButton) -> Callable[..., QMessageBox.StandardButton]:
        def question(_parent: object, _title: str, text: str) -> QMessageBox.StandardButton:
            asked.append(text)
            return button

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    window.close()
    assert window.isVisible() and wizard.run_page.running  # kept on: the user said No
    assert asked == ["An import is running. Stop it and close? Nothing of it will be kept."]
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    # The window's close waits for the storage thread; the work before the import ends soon.
    threading.Timer(0.5, gate.set).start()
    window.close()
    assert not window.isVisible()
    assert _names(window) == {}  # rolled back, not committed on the way out


def test_a_failed_import_lets_the_user_go_back(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "few.csv"
    path.write_text("客户名称,手机\n甲公司,13912345678\n", encoding="utf-8")
    wizard = _open(qtbot, window, path)
    _through_columns(qtbot, wizard)
    _checked(qtbot, wizard)
    previous = wizard.currentId()
    # The store refuses the rows (as a full disk would): the import fails, nothing is written.
    with window.profile.store.write() as session:
        session.connection().exec_driver_sql(
            "CREATE TRIGGER refuse_rows BEFORE INSERT ON customers "
            "BEGIN SELECT RAISE(ABORT, 'refused'); END"
        )
    wizard.next()
    assert wizard.currentId() == RUN_PAGE
    qtbot.waitUntil(lambda: not wizard.run_page.running, timeout=20000)
    with window.profile.store.write() as session:
        session.connection().exec_driver_sql("DROP TRIGGER refuse_rows")
    back = wizard.button(QWizard.WizardButton.BackButton)
    assert wizard.run_page.error.isVisible()
    assert _names(window) == {}
    assert back.isEnabled()
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    assert wizard.currentId() == previous
    # Once the store takes rows again, the same checked rows go in, once.
    wizard.next()
    _until_done(qtbot, wizard)
    assert list(_names(window)) == ["甲公司"]
    wizard.accept()


def test_a_file_problem_is_said_in_its_own_sentence(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "broken.csv"
    path.write_text('客户名称,手机\n"华强电子,13800138000\n', encoding="utf-8")
    wizard = _open(qtbot, window, path, complete=False)
    page = wizard.file_page
    qtbot.waitUntil(lambda: page.error.isVisibleTo(page), timeout=10000)
    assert page.error.text() == "Line 2: a quoted value is never closed."
    assert not page.isComplete()
    wizard.reject()


def test_another_typed_file_has_its_own_encoding_detected(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    first = tmp_path / "old system.csv"
    first.write_bytes(OLD_SYSTEM.encode("gbk"))
    second = tmp_path / "export.csv"
    second.write_bytes("公司\t电话\n远大空调\t010-6012 3456\n".encode("utf-16"))
    wizard = _open(qtbot, window, first)
    page = wizard.file_page
    assert page.encoding.currentData() == "gb18030"
    # The user types the second file's name rather than browsing to it.
    page.path.setText(str(second))
    page.path.editingFinished.emit()
    wait_idle_runner(qtbot, wizard)
    assert not page.error.isVisibleTo(page)
    assert page.encoding.currentData().startswith("utf-16")
    assert page.encoding.currentText() == "UTF-16 (detected)"
    assert page.first_lines.item(0, 0).text() == "远大空调"
    wizard.reject()


def test_another_typed_workbook_has_its_own_sheets(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["这是说明页"])
    book.create_sheet("客户").append(["客户名称", "手机"])
    book["客户"].append(["格力电器", "13600136000"])
    first = tmp_path / "first.xlsx"
    book.save(first)
    other = Workbook()
    other.active.title = "Customers"
    other.active.append(["客户名称", "手机"])
    other.active.append(["美的集团", "13700137000"])
    second = tmp_path / "second.xlsx"
    other.save(second)
    wizard = _open(qtbot, window, first)
    page = wizard.file_page
    assert page.sheet.currentText() == "客户"
    page.path.setText(str(second))
    page.path.editingFinished.emit()
    wait_idle_runner(qtbot, wizard)
    assert not page.error.isVisibleTo(page)
    assert [page.sheet.itemText(at) for at in range(page.sheet.count())] == ["Customers"]
    assert page.first_lines.item(0, 0).text() == "美的集团"
    assert page.isComplete()
    wizard.reject()


def test_only_the_latest_check_lets_the_user_go_on(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "few.csv"
    path.write_text("客户名称,手机,备注\n甲公司,13912345678,老客户\n", encoding="utf-8")
    wizard = _open(qtbot, window, path)
    _through_columns(qtbot, wizard)
    check = wizard.check_page
    # The first check waits behind other storage work; meanwhile the user goes back and
    # leaves the notes out.
    first_gate, second_gate = threading.Event(), threading.Event()
    wizard.runner.submit(first_gate.wait)
    wizard.next()
    assert wizard.currentId() == CHECK_PAGE and not check.isComplete()
    wizard.back()
    notes = wizard.columns_page.combos[2]
    notes.setCurrentIndex(notes.findData(None))
    # Answers come in order: once this one's has come, the first check's has too.
    first_answered = threading.Event()
    wizard.runner.submit(lambda: None, lambda _none: first_answered.set())
    wizard.runner.submit(second_gate.wait)
    wizard.next()
    assert wizard.currentId() == CHECK_PAGE
    try:
        first_gate.set()
        qtbot.waitUntil(first_answered.is_set, timeout=10000)
        # The first check has answered, with the notes: it is not the one on show.
        assert wizard.staging is None and not check.isComplete()
        assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    finally:
        first_gate.set()
        second_gate.set()
    wait_idle_runner(qtbot, wizard)
    assert check.isComplete()
    assert wizard.staging is not None and wizard.staging.targets == ["name", "phone"]
    wizard.next()
    _until_done(qtbot, wizard)
    assert _names(window)["甲公司"].notes is None
    wizard.accept()


def _export_then_edit(window: MainWindow, path: Path) -> str:
    """Two customers exported to `path`; then one of them edited in the program: its industry
    changed and its email cleared."""
    writer = window.profile.writer()
    edited = writer.create(
        "customers", {"name": "华强电子", "email": "sales@hq.cn", "industry": "电子"}
    ).primary_id
    writer.create("customers", {"name": "美的集团", "industry": "家电"})
    assert edited is not None
    export_csv_file(window.profile.store, "customers", path)
    writer.update("customers", edited, {"industry": "教育", "email": None})
    return edited


@pytest.mark.parametrize(
    ("decision", "industry", "email"),
    [
        (Decision.SKIP, "教育", None),  # the record as it was edited
        (Decision.FILL, "教育", "sales@hq.cn"),  # only the cleared email comes back
        (Decision.OVERWRITE, "电子", "sales@hq.cn"),  # the file's values, every one
    ],
)
def test_an_older_export_changes_records_only_as_the_user_chooses(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    decision: Decision,
    industry: str,
    email: str | None,
) -> None:
    path = tmp_path / "customers.csv"
    edited = _export_then_edit(window, path)
    wizard = _open(qtbot, window, path)
    _through_columns(qtbot, wizard)
    assert "id" in wizard.columns_page.chosen().values()
    _next(qtbot, wizard, CHECK_PAGE)
    check = wizard.check_page
    qtbot.waitUntil(lambda: wizard.staging is not None, timeout=20000)
    # Nothing is chosen for the user: he cannot go on until he says.
    assert not check.isComplete()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    # One row would change the record edited since (the other holds its values already).
    assert check.updates_box.isVisibleTo(check)
    assert check.updates_note.text().startswith("1 row")
    assert not any(button.isChecked() for button in check.update_buttons.values())

    check.update_buttons[decision].click()
    assert check.isComplete()
    wizard.next()
    _until_done(qtbot, wizard)
    outcome = wizard.outcome
    assert outcome is not None and outcome.added == 0
    if decision is Decision.SKIP:
        assert outcome.updated == 0
        assert [why for _line, why, _cells in outcome.skipped] == [
            "It would change a record you already have, which you chose to keep as it is."
        ]
    else:
        assert (outcome.updated, outcome.skipped) == (1, [])
    names = _names(window)
    assert set(names) == {"华强电子", "美的集团"}
    assert names["华强电子"].id == edited
    assert (names["华强电子"].industry, names["华强电子"].email) == (industry, email)
    wizard.accept()


def test_the_duplicates_page_formats_only_the_rows_it_shows(
    qtbot: QtBot,
    window: MainWindow,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtmodeltester: ModelTester,
) -> None:
    """Each row repeats an earlier one's phone in another spelling: every later row is a
    possible duplicate whose reason shows the phone. Building the page formats only the phones
    on screen, not one per row (a file of 100,000 such rows froze the window for 20 s)."""
    count = 400
    lines = "客户名称,手机\n" + "".join(
        f"甲{n:04d}号商行,1391{n:07d}\n乙{n:04d}号工厂,+86 1391{n:07d}\n" for n in range(count)
    )
    path = tmp_path / "twice.csv"
    path.write_text(lines, encoding="utf-8")
    wizard = _open(qtbot, window, path)
    _through_columns(qtbot, wizard)
    _checked(qtbot, wizard)
    assert wizard.staging is not None
    rows = wizard.staging.duplicate_rows()
    assert len(rows) >= count

    gui = threading.get_ident()
    formatted: list[str] = []
    real = duplicates_model.display_phone

    def counted(phone: str | None, region: str = DEFAULT_REGION) -> str:
        if threading.get_ident() == gui:
            formatted.append(phone or "")
        return real(phone, region)

    monkeypatch.setattr(duplicates_model, "display_phone", counted)
    _next(qtbot, wizard, DUPLICATES_PAGE)
    page = wizard.duplicates_page
    shown = page.table.model()
    qtbot.waitExposed(page.table)
    qtbot.wait(50)  # the view lays out and paints what it shows
    assert shown.rowCount() == len(rows)
    assert 0 < len(formatted) < 100  # the rows on screen, not one per row of the file
    assert shown.index(0, 2).data().startswith("甲0000号商行")
    assert shown.index(len(rows) - 1, 0).data() == str(rows[-1].line)

    # A decision for all rows reads at once in every row, without a row formatted more.
    before = len(formatted)
    page.buttons[Decision.ADD].click()
    assert shown.index(len(rows) - 1, 3).data(Qt.ItemDataRole.UserRole) == Decision.ADD
    qtbot.wait(50)
    assert len(formatted) - before < 100
    qtmodeltester.check(page.model)
    wizard.reject()


def test_rows_like_an_earlier_row_fill_in_the_record_it_adds(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """A company written again on each of its people's rows: on the duplicates page, "fill in"
    makes them one customer with each row's contact, not three customers nor two lost people."""
    path = tmp_path / "客户.csv"
    path.write_bytes(
        (
            "客户名称,联系人,地址\n"
            "宁波海天塑机有限公司,陈一,宁波市北仑区\n"
            "宁波海天塑机有限公司,陈二,宁波市北仑区\n"
            "宁波海天塑机有限公司,陈三,宁波市北仑区\n"
        ).encode("gbk")
    )
    wizard = _open(qtbot, window, path)
    _through_columns(qtbot, wizard)
    _checked(qtbot, wizard)
    _next(qtbot, wizard, DUPLICATES_PAGE)
    duplicates = wizard.duplicates_page
    shown = duplicates.table.model()
    assert shown.rowCount() == 2
    duplicates.buttons[Decision.FILL].click()  # no row selected: every row
    assert [shown.index(row, 3).data(Qt.ItemDataRole.UserRole) for row in range(2)] == [
        Decision.FILL,
        Decision.FILL,
    ]
    wizard.next()
    _until_done(qtbot, wizard)
    assert set(_names(window)) == {"宁波海天塑机有限公司"}
    with window.profile.store.read() as session:
        people = session.scalars(select(Contact.name).where(Contact.deleted_at.is_(None)))
        assert sorted(people) == ["陈一", "陈三", "陈二"]
    wizard.accept()


def test_rows_with_problems_far_down_a_long_file_are_shown_first(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """A 300-line file whose two bad rows are lines 250 and 290: the preview (200 rows) shows
    them first, and a correction there checks that very row again."""
    lines = [f"客户{n:03d},139{n:08d}" for n in range(2, 302)]
    lines[248] = "客户250,12"  # line 250
    lines[288] = "客户290,34"  # line 290
    path = tmp_path / "长名单.csv"
    path.write_bytes(("客户名称,手机\n" + "\n".join(lines) + "\n").encode("gbk"))
    wizard = _open(qtbot, window, path)
    _through_columns(qtbot, wizard)
    _checked(qtbot, wizard)
    check = wizard.check_page
    preview = check.preview
    assert preview.rowCount() == 200
    assert [preview.item(row, 0).text() for row in range(3)] == ["250", "290", "2"]
    assert "They are shown first" in check.status.text()
    preview.item(1, 2).setText("13900000290")
    wait_idle_runner(qtbot, wizard)
    assert preview.item(1, 2).toolTip() == ""
    staged = wizard.staging
    assert staged is not None
    assert [row.line for row in staged.problem_rows()] == [250]
    wizard.reject()
