"""Server → Company letterhead… in the real window, driven through its widgets, against the real
server: an administrator sets the header and a logo chosen from a file, the server keeps them
signed with his name, and his device gets them at the sync that follows; a logo that is not a
PNG or JPEG, too large or damaged is refused in plain words, and so is anyone who is no longer
an administrator by the time he saves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from crm_desktop.app import build_main_window
from crm_desktop.profile import open_profile
from crm_desktop.queries.company import Letterhead, letterhead
from crm_desktop.sync import link, ownership
from crm_desktop.views.letterhead_dialog import LetterheadDialog
from crm_desktop.views.main_window import MainWindow
from tests.postgres import CrmDatabase
from tests.views.test_sync_ui import server_address, wait_synced

ANSWER_MS = 30000
# A 1×1 GIF: a real image, of a type quotes do not take.
GIF = (
    b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04\x01\x00\x00"
    b"\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
)
OpenWindow = Callable[[str], MainWindow]


@pytest.fixture
def window_as(
    qtbot: QtBot, crm_db: CrmDatabase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[OpenWindow]:
    """The real window of one user's device, linked to the server and synced once."""
    crm_db.add_user("ada", "admin")
    crm_db.add_user("rob", "rep")
    opened: list[MainWindow] = []

    def open_window(login: str) -> MainWindow:
        # No keyring on a test machine: libpq's own PGPASSWORD, as the README says.
        monkeypatch.setenv("PGPASSWORD", crm_db.passwords[login])
        directory = tmp_path / login
        profile = open_profile(directory)
        profile.store.set_setting(link.SERVER_KEY, server_address(crm_db))
        profile.store.set_setting(link.LOGIN_KEY, login)
        profile.close()
        window = build_main_window(directory)
        qtbot.addWidget(window)
        window.show()
        opened.append(window)
        wait_synced(qtbot, window)
        return window

    yield open_window
    for window in opened:
        window.close()
        window.profile.close()


def server_row(crm_db: CrmDatabase) -> tuple:
    with crm_db.connect_admin() as connection:
        return connection.execute(
            "SELECT name, address, tax_id, logo, logo_type, updated_by FROM crm_company"
        ).fetchone()


def image_file(path: Path, image_format: str) -> Path:
    """A real logo: a small red and white image, written by Qt's own encoder."""
    image = QImage(120, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    for x in range(40):
        for y in range(48):
            image.setPixelColor(x, y, QColor("red"))
    assert image.save(str(path), image_format)
    return path


def choose_logo(
    qtbot: QtBot, dialog: LetterheadDialog, monkeypatch: pytest.MonkeyPatch, path: Path
) -> None:
    """Click Choose logo… and pick `path` in the file dialog."""
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *_args: (str(path), ""))
    )
    qtbot.mouseClick(dialog.choose_logo_button, Qt.MouseButton.LeftButton)


def local_letterhead(window: MainWindow) -> Letterhead | None:
    with window.profile.store.read() as session:
        return letterhead(session)


def test_an_administrator_sets_the_letterhead_and_his_device_gets_it(
    qtbot: QtBot,
    window_as: OpenWindow,
    crm_db: CrmDatabase,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = window_as("ada")
    menu = window.server_menu
    qtbot.waitUntil(lambda: menu.letterhead_action.isVisible(), timeout=5000)
    menu.letterhead_action.trigger()
    qtbot.waitUntil(
        lambda: any(d.isVisible() for d in window.findChildren(LetterheadDialog)), timeout=5000
    )
    (dialog,) = [d for d in window.findChildren(LetterheadDialog) if d.isVisible()]
    assert dialog.objectName() == "letterheadDialog"
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=ANSWER_MS)
    assert dialog.fields["name"].text() == "" and not dialog.has_logo()
    assert dialog.logo_preview.text() == "No logo"
    assert dialog.changed_by.text().startswith(f"Last changed by {crm_db.admin_login}, ")

    for key, typed in (("name", " Huaqiang Electronics "), ("tax_id", "91440300MA5XXXXX1X")):
        dialog.fields[key].setFocus()
        qtbot.keyClicks(dialog.fields[key], typed)
    # Chinese arrives whole from the input method (QTest types ASCII only).
    dialog.fields["address"].setText("深圳市福田区华强北路 1 号")
    logo = image_file(tmp_path / "logo.png", "PNG")
    with qtbot.waitSignal(dialog.logo_shown, timeout=ANSWER_MS):
        choose_logo(qtbot, dialog, monkeypatch, logo)
    assert not dialog.logo_preview.pixmap().isNull() and dialog.status.text() == ""
    assert dialog.changes() == {
        "name": "Huaqiang Electronics",
        "address": "深圳市福田区华强北路 1 号",
        "tax_id": "91440300MA5XXXXX1X",
        "logo": logo.read_bytes(),
    }

    with qtbot.waitSignal(dialog.saved, timeout=ANSWER_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert server_row(crm_db) == (
        "Huaqiang Electronics",
        "深圳市福田区华强北路 1 号",
        "91440300MA5XXXXX1X",
        logo.read_bytes(),
        "image/png",
        "ada",
    )
    # The save starts a sync, which brings the letterhead to the device the quotes print from.
    qtbot.waitUntil(lambda: local_letterhead(window) is not None, timeout=ANSWER_MS)
    assert local_letterhead(window) == Letterhead(
        "Huaqiang Electronics",
        "深圳市福田区华强北路 1 号",
        None,
        None,
        None,
        "91440300MA5XXXXX1X",
        logo.read_bytes(),
    )
    wait_synced(qtbot, window)

    # Opened again: what the server holds, and files that are no logo, each refused in words.
    dialog = menu.show_letterhead()
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=ANSWER_MS)
    assert dialog.fields["name"].text() == "Huaqiang Electronics" and dialog.has_logo()
    assert not dialog.logo_preview.pixmap().isNull()
    assert dialog.changed_by.text().startswith("Last changed by ada, ")
    gif = tmp_path / "logo.gif"
    gif.write_bytes(GIF)
    text_file = tmp_path / "logo.png.txt"
    text_file.write_text("not a picture")
    big = tmp_path / "big.jpg"
    big.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * (512 * 1024 - 3))
    damaged = tmp_path / "damaged.png"
    damaged.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    expected = [
        *[
            (path, f"The logo must be a PNG or JPEG image, and “{path.name}” is neither.")
            for path in (gif, text_file)
        ],
        (big, "The logo “big.jpg” is 513 KiB; a logo may be at most 512 KiB."),
        (damaged, "The logo “damaged.png” is damaged and cannot be shown."),
    ]
    for path, sentence in expected:
        with qtbot.waitSignal(dialog.failed, timeout=ANSWER_MS) as failed:
            choose_logo(qtbot, dialog, monkeypatch, path)
        assert failed.args == [sentence]
        assert dialog.status.text() == sentence
    assert dialog.changes() == {}  # the logo read stays

    # No logo, no address; but no longer an administrator by the time he saves.
    qtbot.mouseClick(dialog.remove_logo_button, Qt.MouseButton.LeftButton)
    assert not dialog.has_logo() and dialog.logo_preview.text() == "No logo"
    dialog.fields["address"].setText("")
    with crm_db.connect_admin() as connection:
        connection.execute("UPDATE users SET role = 'manager' WHERE login = 'ada'")
    with qtbot.waitSignal(dialog.failed, timeout=ANSWER_MS) as failed:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert failed.args == ["Only an administrator may change the company letterhead."]
    assert dialog.isVisible() and dialog.save_button.isEnabled()
    assert server_row(crm_db)[1:5] == (
        "深圳市福田区华强北路 1 号",
        "91440300MA5XXXXX1X",
        logo.read_bytes(),
        "image/png",
    )
    dialog.reject()


def test_only_administrators_are_offered_the_letterhead(
    qtbot: QtBot, window_as: OpenWindow
) -> None:
    window = window_as("rob")
    menu = window.server_menu
    qtbot.waitUntil(lambda: menu.conflicts_action.isVisible(), timeout=5000)
    wait_synced(qtbot, window)
    assert ownership.current_role(window.profile.store) == "rep"  # the role was read
    assert not menu.letterhead_action.isVisible()
    assert not menu.rules_action.isVisible()
