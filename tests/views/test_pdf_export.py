"""Export PDF… from the real window, offscreen: the button asks where (the file dialog answers
for the user here), the report is built on the storage thread and its text is the store's;
a file that cannot be written is said in one sentence on the screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from crm_desktop.models.entities import User
from crm_desktop.views.main_window import MainWindow
from tests.views.helpers import wait_idle


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


@pytest.fixture
def save_as(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Path]:
    """The save dialog, answered with the next path of the list (a native dialog cannot be
    driven offscreen); returns the list to fill."""
    answers: list[Path] = []
    asked: list[str] = []

    def answer(_parent, _title, suggested, _filter):
        asked.append(suggested)
        return str(answers.pop(0)), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    return answers


def test_a_customer_page_exports_its_profile(
    qtbot: QtBot, window: MainWindow, save_as: list[Path], tmp_path: Path
) -> None:
    with window.profile.store.write() as session:
        session.get(User, window.profile.user_id).name = "王经理"
    customer = window.writer.create(
        "customers", {"name": "华强电子有限公司", "phone": "13800138000"}
    )
    window.writer.create(
        "contacts", {"customer_id": customer.primary_id, "name": "李娜", "title": "采购经理"}
    )
    page = window.records.open_customer(customer.primary_id)
    wait_idle(qtbot, window)
    page.pdf.open_after = False
    save_as.append(tmp_path / "华强 2026.03")  # no suffix typed: .pdf is added to the name
    with qtbot.waitSignal(page.pdf.written, timeout=20000) as written:
        page.pdf_button.click()
    path = Path(written.args[0])
    assert path == tmp_path / "华强 2026.03.pdf"
    text = pdf_text(path)
    assert "华强电子有限公司" in text
    assert "李娜" in text
    assert "王经理" in text  # printed by


def test_the_dashboard_exports_the_pipeline(
    qtbot: QtBot, window: MainWindow, save_as: list[Path], tmp_path: Path
) -> None:
    customer = window.writer.create("customers", {"name": "远大物流"}).primary_id
    window.writer.create(
        "opportunities",
        {
            "customer_id": customer,
            "title": "仓储系统",
            "stage": "proposal",
            "amount_cents": 123_456,
        },
    )
    window.go("dashboard")
    board = window.dashboard
    wait_idle(qtbot, window)
    board.pdf.open_after = False
    save_as.append(tmp_path / "pipeline.pdf")
    with qtbot.waitSignal(board.pdf.written, timeout=20000):
        board.pdf_button.click()
    text = pdf_text(tmp_path / "pipeline.pdf")
    assert "仓储系统" in text and "远大物流" in text
    assert "1,234.56" in text  # yuan, grouped as the reports write amounts


def test_a_file_that_cannot_be_written_is_said_on_the_page(
    qtbot: QtBot, window: MainWindow, save_as: list[Path], tmp_path: Path
) -> None:
    window.go("receivables")
    view = window.receivables
    wait_idle(qtbot, window)
    view.pdf.open_after = False
    save_as.append(tmp_path / "no such folder" / "receivables.pdf")
    with qtbot.waitSignal(view.pdf.failed, timeout=20000):
        view.pdf_button.click()
    assert view.message.isVisible()
    assert "no such folder" in view.message.text()
    assert not (tmp_path / "no such folder").exists()
