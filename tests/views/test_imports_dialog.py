"""File → Recent imports…: an import made in the wizard, closed since, is listed with what it
did and undone from the list; an import undone already cannot be undone again."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from crm_desktop.models.entities import Customer
from crm_desktop.transfer import staging
from crm_desktop.views.imports_dialog import ADDED, FILE, SKIPPED, STATE, WHAT, ImportsDialog
from crm_desktop.views.main_window import MainWindow
from tests.views.helpers import wait_idle


def _imported(window: MainWindow, tmp_path: Path) -> None:
    path = tmp_path / "老系统客户.csv"
    path.write_bytes("客户名称,手机\n远航物流,13900139000\n华南电器,12\n".encode("gbk"))
    writer = window.profile.writer()
    opened = staging.open_file(path)
    mapping = staging.mapping_for(writer, "customers", opened.table.header)
    staged = staging.stage(
        writer, "customers", opened.table, mapping.columns, window.profile.region
    )
    staging.run(writer, staged, path.name)  # 华南电器's phone is refused: skipped


def _live_names(window: MainWindow) -> set[str]:
    with window.profile.store.read() as session:
        return set(session.scalars(select(Customer.name).where(Customer.deleted_at.is_(None))))


def test_an_import_is_undone_from_the_list_of_recent_imports(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    _imported(window, tmp_path)
    assert _live_names(window) == {"远航物流"}
    window.imports_action.trigger()
    dialog = window.findChild(ImportsDialog, "importsDialog")
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=5000)
    cells = [dialog.table.item(0, column).text() for column in (WHAT, FILE, ADDED, SKIPPED)]
    assert cells == ["Customer", "老系统客户.csv", "1", "1"]
    assert dialog.table.item(0, STATE).text() == ""
    assert not dialog.undo_button.isEnabled()  # nothing chosen yet
    dialog.table.selectRow(0)
    assert dialog.undo_button.isEnabled()
    dialog.undo_selected(ask=False)
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: dialog.table.item(0, STATE).text() != "", timeout=5000)
    assert _live_names(window) == set()
    assert dialog.message.text() == "The import was undone."
    dialog.table.selectRow(0)
    assert not dialog.undo_button.isEnabled()  # undone already
    dialog.close()


def test_no_import_yet_says_so(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.open_recent_imports()
    wait_idle(qtbot, window)
    assert dialog.table.rowCount() == 0
    assert dialog.message.text() == "No import has been made on this computer yet."
    dialog.close()
