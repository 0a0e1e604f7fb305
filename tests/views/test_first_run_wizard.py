"""The first-run wizard, driven like a user: the real wizard, a real profile, a real server."""

from __future__ import annotations

import select as selectors
import socket
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from PySide6.QtCore import SIGNAL, QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QApplication, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from crm_desktop import cli
from crm_desktop.app import build_main_window, first_run, switch_language
from crm_desktop.models.entities import Customer, OutboxEntry, User
from crm_desktop.models.validation import InvalidInput
from crm_desktop.profile import (
    FIRST_RUN_DONE,
    FIRST_RUN_KEY,
    FIRST_RUN_PENDING,
    LANGUAGE_KEY,
    Profile,
    finish_first_run,
    first_run_due,
    open_profile,
)
from crm_desktop.storage.store import Store
from crm_desktop.sync import link
from crm_desktop.sync.errors import SyncError, SyncProblem
from crm_desktop.views.first_run_wizard import (
    DEMO_CUSTOMERS,
    START_PAGE,
    WELCOME_PAGE,
    WORK_PAGE,
    FirstRunWizard,
    add_demo_data,
    run_first_run,
)
from crm_desktop.views.import_wizard import ImportWizard
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.runner import Runner
from tests.postgres import CrmDatabase
from tests.sync import tls_server
from tests.views.helpers import shown_window, wait_idle
from tests.views.test_sync_ui import server_address

no_keyring = tls_server.no_keyring
MakeWizard = Callable[..., FirstRunWizard]


@pytest.fixture
def make_wizard(qtbot: QtBot, profile: Profile) -> Iterator[MakeWizard]:
    """The wizard as run_gui shows it: before any window, on threads of its own."""
    runners: list[Runner] = []

    def make(switch: Callable[[str], None] | None = None) -> FirstRunWizard:
        runner = Runner(str(profile.store.path))
        network = Runner(str(profile.store.path), name="network")
        runners.extend((network, runner))
        wizard = FirstRunWizard(profile, runner, network, switch)
        qtbot.addWidget(wizard)
        wizard.show()
        qtbot.waitUntil(lambda: wizard.facts is not None)
        return wizard

    yield make
    for runner in runners:
        runner.shutdown()


@pytest.fixture
def chinese_then_english(qapp: QApplication) -> Iterator[Callable[[str], None]]:
    """The program's switch_language; English again afterwards, for the tests that follow."""
    yield partial(switch_language, qapp)
    switch_language(qapp, "en")


@pytest.fixture
def only_typed_passwords(no_keyring: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No keyring, no PGPASSWORD, no .pgpass: only the password typed into the wizard."""
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "no-such-pgpass"))


def click(wizard: FirstRunWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    assert button.isVisible() and button.isEnabled(), which
    button.click()


def next_page(qtbot: QtBot, wizard: FirstRunWizard, page: int) -> None:
    click(wizard, QWizard.WizardButton.NextButton)
    qtbot.waitUntil(lambda: wizard.currentId() == page, timeout=20000)


def finish(qtbot: QtBot, wizard: FirstRunWizard) -> None:
    click(wizard, QWizard.WizardButton.FinishButton)
    qtbot.waitUntil(lambda: wizard.result() == QWizard.DialogCode.Accepted, timeout=20000)


def cannot_cancel(qtbot: QtBot, wizard: FirstRunWizard) -> None:
    """Finish is under way: Cancel, Escape and the close button all leave the wizard open."""
    assert not wizard.button(QWizard.WizardButton.CancelButton).isEnabled()
    with qtbot.assertNotEmitted(wizard.rejected, wait=0):
        qtbot.keyClick(wizard, Qt.Key.Key_Escape)
        wizard.close()
        wizard.reject()
    assert wizard.isVisible()


def user_row(profile: Profile) -> tuple[str, str]:
    with profile.store.read() as session:
        row = session.execute(select(User.name, User.login).where(User.id == profile.user_id)).one()
    return row.name, row.login


def customer_count(store: Store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(Customer)) or 0


# -- the simple path ---------------------------------------------------------------------------


def test_three_clicks_on_this_computer(
    qtbot: QtBot, make_wizard: MakeWizard, profile: Profile
) -> None:
    _os_name, login = user_row(profile)
    wizard = make_wizard()
    assert wizard.welcome.name.text() == ""  # never the login name it was made with
    wizard.welcome.name.insert("  王小明 ")  # as typed (keyClicks cannot type Chinese)
    next_page(qtbot, wizard, WORK_PAGE)
    assert wizard.work.local.isChecked()
    next_page(qtbot, wizard, START_PAGE)
    assert wizard.start.empty.isChecked()
    finish(qtbot, wizard)

    assert user_row(profile) == ("王小明", login)  # the name trimmed; the login kept
    assert profile.store.setting(FIRST_RUN_KEY) == FIRST_RUN_DONE
    assert not first_run_due(profile.store)  # not shown at the next start
    assert link.link_of(profile.store) is None
    assert customer_count(profile.store) == 0
    assert not wizard.wants_import()


def test_the_language_switch_retranslates_the_wizard_at_once(
    qtbot: QtBot,
    make_wizard: MakeWizard,
    profile: Profile,
    chinese_then_english: Callable[[str], None],
) -> None:
    wizard = make_wizard(chinese_then_english)
    address_label = wizard.work.form.form.labelForField(wizard.work.form.server)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    assert address_label.text() == "Server address"
    assert "Next" in next_button.text()

    wizard.welcome.language_buttons["zh_CN"].click()
    qtbot.waitUntil(lambda: address_label.text() == "服务器地址")  # LanguageChange is posted
    assert next_button.text() == "下一步(&N) >"
    # Every text of the pages is read again from the translations, not only Qt's own.
    title = QCoreApplication.translate("FirstRunWelcomePage", "Welcome to CRM Desktop")
    assert wizard.welcome.title() == title
    qtbot.waitUntil(lambda: wizard.runner.pending() == 0)
    assert profile.store.setting(LANGUAGE_KEY) == "zh_CN"

    wizard.welcome.language_buttons["en"].click()
    qtbot.waitUntil(lambda: address_label.text() == "Server address")
    qtbot.waitUntil(lambda: wizard.runner.pending() == 0)
    assert profile.store.setting(LANGUAGE_KEY) == "en"


@pytest.mark.parametrize(
    ("typed", "sentence"), [("   ", "Type your name."), ("王" * 201, "longer than 200")]
)
def test_a_missing_or_too_long_name_is_refused_with_a_sentence(
    qtbot: QtBot, make_wizard: MakeWizard, profile: Profile, typed: str, sentence: str
) -> None:
    before = user_row(profile)
    wizard = make_wizard()
    wizard.welcome.name.setText(typed)
    click(wizard, QWizard.WizardButton.NextButton)
    qtbot.waitUntil(lambda: wizard.runner.pending() == 0)
    assert wizard.currentId() == WELCOME_PAGE
    assert sentence in wizard.welcome.message.text()
    assert user_row(profile) == before


def test_demo_data_is_loaded_and_the_window_shows_it(
    qtbot: QtBot, make_wizard: MakeWizard, profile: Profile, profile_dir: Path
) -> None:
    wizard = make_wizard()
    wizard.welcome.name.setText("王小明")
    next_page(qtbot, wizard, WORK_PAGE)
    next_page(qtbot, wizard, START_PAGE)
    assert wizard.start.demo.isEnabled()
    wizard.start.demo.click()
    click(wizard, QWizard.WizardButton.FinishButton)
    assert wizard.start.progress.isVisible()  # made on the storage thread, with a busy bar
    cannot_cancel(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.result() == QWizard.DialogCode.Accepted, timeout=30000)

    assert customer_count(profile.store) == DEMO_CUSTOMERS
    with profile.store.read() as session:  # nothing of it waits to go to a server
        assert not session.scalar(
            select(func.count()).select_from(OutboxEntry).where(OutboxEntry.entity != "users")
        )
    assert profile.store.setting(FIRST_RUN_KEY) == FIRST_RUN_DONE
    for window in shown_window(qtbot, profile_dir):
        model = window.models["customers"]
        qtbot.waitUntil(lambda model=model: model.rowCount() == DEMO_CUSTOMERS, timeout=10000)


def test_cancel_leaves_the_first_run_due(
    qtbot: QtBot, make_wizard: MakeWizard, profile: Profile
) -> None:
    profile.store.set_setting(FIRST_RUN_KEY, FIRST_RUN_PENDING)  # as run_gui's start marks it
    wizard = make_wizard()
    click(wizard, QWizard.WizardButton.CancelButton)
    assert wizard.result() == QWizard.DialogCode.Rejected
    assert first_run_due(profile.store)


@pytest.fixture
def silent_server() -> Iterator[socket.socket]:
    """A port on this computer that takes connections and never says a word, as a server
    behind a firewall that drops replies: a check waits there for its whole connect timeout."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    yield listener
    listener.close()


def test_cancel_during_a_server_check_returns_at_once(
    qtbot: QtBot, qapp: QApplication, profile: Profile, silent_server: socket.socket
) -> None:
    port = silent_server.getsockname()[1]
    accepted: list[socket.socket] = []
    cancelled_at: list[float] = []
    wizards: list[FirstRunWizard] = []

    def answer() -> None:
        """Plays the user at the modal wizard: a name, Next, the server, Test connection, and
        Cancel once the server has the check's connection."""
        wizard = QApplication.activeModalWidget()
        if cancelled_at:
            return
        if not isinstance(wizard, FirstRunWizard) or wizard.facts is None:
            QTimer.singleShot(20, answer)
            return
        wizards[:] = [wizard]
        if wizard.currentId() == WELCOME_PAGE:
            if not wizard.welcome.name.text():
                wizard.welcome.name.setText("王小明")
                click(wizard, QWizard.WizardButton.NextButton)
        elif not wizard.work.uses_server():
            wizard.work.server.click()
            wizard.work.form.server.setText(f"127.0.0.1:{port}")
            wizard.work.form.user.setText("rae")
            wizard.work.form.password.setText("secret")
            wizard.work.test_button.click()
        elif selectors.select([silent_server], [], [], 0)[0]:
            accepted.append(silent_server.accept()[0])  # the check waits for its answer now
            assert wizard.network.pending() == 1
            cancelled_at.append(time.monotonic())
            click(wizard, QWizard.WizardButton.CancelButton)
            return
        QTimer.singleShot(20, answer)

    QTimer.singleShot(0, answer)
    outcome = run_first_run(profile, None)
    returned_at = time.monotonic()
    assert cancelled_at, "the wizard never got to the check"
    assert returned_at - cancelled_at[0] < 1.0  # not the 10 s connect timeout
    assert not outcome.finished and outcome.connected is None
    network = wizards[0].network
    assert network.pending() == 1  # the check still waits, behind the closed wizard
    assert link.link_of(profile.store) is None

    # The server hangs up: the check ends, and its answer finds no wizard to go to (a callback
    # reaching the deleted wizard would raise here, and pytest-qt fails the test on it).
    for connection in [*accepted, silent_server]:  # no second try (without TLS) either
        connection.close()
    qtbot.waitUntil(lambda: network.pending() == 0, timeout=15000)
    qapp.processEvents()
    # Kept by the application, which shuts it down (waiting) when its event loop ends.
    assert network.parent() is qapp
    assert qapp.receivers(SIGNAL("aboutToQuit()")) >= 1
    network.shutdown()
    network.setParent(None)
    network.deleteLater()


# -- over the main window (Help → First-run setup…) ------------------------------------------


def test_reopened_it_shows_the_name_offers_no_demo_over_customers_and_opens_the_import(
    qtbot: QtBot, window: MainWindow
) -> None:
    writer = window.profile.writer()
    writer.update("users", window.profile.user_id, {"name": "王小明"})
    writer.create("customers", {"name": "深圳市华强电子有限公司"})
    help_menu = window.first_run_action.associatedObjects()[0]
    assert window.first_run_action in help_menu.actions()
    window.first_run_action.trigger()
    wizard = window.findChild(FirstRunWizard, "firstRunWizard")
    assert wizard is not None and wizard.isVisible()
    qtbot.waitUntil(lambda: wizard.facts is not None)
    assert wizard.welcome.name.text() == "王小明"
    next_page(qtbot, wizard, WORK_PAGE)
    next_page(qtbot, wizard, START_PAGE)
    assert not wizard.start.demo.isEnabled()
    assert "already have customers" in wizard.start.demo_note.text()
    wizard.start.import_file.click()
    finish(qtbot, wizard)
    importer = window.findChild(ImportWizard)
    assert importer is not None and importer.isVisible()
    importer.reject()
    wait_idle(qtbot, window)


# -- with the company's server ---------------------------------------------------------------


def fill_server(wizard: FirstRunWizard, db: CrmDatabase, login: str, password: str) -> None:
    wizard.work.server.click()
    wizard.work.form.server.setText(server_address(db))
    wizard.work.form.user.setText(login)
    wizard.work.form.password.setText(password)


def test_a_wrong_password_is_said_in_plain_words(
    qtbot: QtBot,
    make_wizard: MakeWizard,
    profile: Profile,
    crm_db: CrmDatabase,
    only_typed_passwords: None,
) -> None:
    crm_db.add_user("rae", "rep")
    wizard = make_wizard()
    wizard.welcome.name.setText("王小明")
    next_page(qtbot, wizard, WORK_PAGE)
    fill_server(wizard, crm_db, "rae", "not-her-password")
    click(wizard, QWizard.WizardButton.NextButton)
    sentence = SyncError(SyncProblem.AUTH).text()
    qtbot.waitUntil(lambda: wizard.work.form.message.text() == sentence, timeout=20000)
    assert wizard.currentId() == WORK_PAGE
    assert link.link_of(profile.store) is None


def test_the_right_password_links_the_profile_and_the_window_syncs_first(
    qtbot: QtBot,
    make_wizard: MakeWizard,
    profile: Profile,
    profile_dir: Path,
    crm_db: CrmDatabase,
    only_typed_passwords: None,
) -> None:
    server_user = crm_db.add_user("rae", "rep")
    wizard = make_wizard()
    wizard.welcome.name.setText("王小明")
    next_page(qtbot, wizard, WORK_PAGE)
    fill_server(wizard, crm_db, "rae", crm_db.passwords["rae"])
    next_page(qtbot, wizard, START_PAGE)
    assert link.link_of(profile.store) is None  # checked, not linked until Finish
    assert not wizard.start.demo.isEnabled()  # demo data never goes near a server
    assert wizard.start.empty.isChecked()
    click(wizard, QWizard.WizardButton.FinishButton)
    cannot_cancel(qtbot, wizard)  # the link is being stored: all of Finish, or nothing
    qtbot.waitUntil(lambda: wizard.result() == QWizard.DialogCode.Accepted, timeout=20000)
    assert profile.store.setting(FIRST_RUN_KEY) == FIRST_RUN_DONE

    linked = link.link_of(profile.store)
    assert linked is not None and linked.login == "rae"
    assert f"dbname={crm_db.name}" in linked.server
    assert wizard.connected is not None
    password = wizard.connected.session_password
    assert password == crm_db.passwords["rae"]  # no keyring here: held for the session
    with pytest.raises(InvalidInput):  # and the demo refuses a linked profile outright
        add_demo_data(profile)
    assert customer_count(profile.store) == 0

    window = build_main_window(profile_dir, password)
    qtbot.addWidget(window)
    with qtbot.assertNotEmitted(window.sync.failed, wait=0):
        with qtbot.waitSignal(window.sync.finished, timeout=20000):
            window.show()
        qtbot.waitUntil(lambda: not window.sync.running, timeout=20000)
    wait_idle(qtbot, window)
    assert window.profile.user_id == server_user  # the first sync adopted the server's user
    window.close()
    window.profile.close()


def test_test_connection_checks_without_linking(
    qtbot: QtBot,
    make_wizard: MakeWizard,
    profile: Profile,
    crm_db: CrmDatabase,
    only_typed_passwords: None,
) -> None:
    crm_db.add_user("rae", "rep")
    wizard = make_wizard()
    wizard.welcome.name.setText("王小明")
    next_page(qtbot, wizard, WORK_PAGE)
    fill_server(wizard, crm_db, "rae", crm_db.passwords["rae"])
    wizard.work.test_button.click()
    qtbot.waitUntil(lambda: wizard.work.checked is not None, timeout=20000)
    assert "password are right" in wizard.work.form.message.text()
    assert wizard.currentId() == WORK_PAGE
    # Changed their mind: this computer only, and nothing of the server is left behind.
    wizard.work.local.click()
    next_page(qtbot, wizard, START_PAGE)
    assert wizard.start.demo.isEnabled()
    finish(qtbot, wizard)
    assert link.link_of(profile.store) is None


# -- when run_gui shows it -------------------------------------------------------------------


def test_a_new_profile_is_due_until_the_wizard_is_finished(tmp_path: Path) -> None:
    new = tmp_path / "new"
    store = Store.open(new)  # what run_gui's first_run does before the local user exists
    assert first_run_due(store)
    store.close()
    profile = open_profile(new)
    assert first_run_due(profile.store)  # cancelled: again next start, though it has a user now
    finish_first_run(profile.store)
    assert not first_run_due(profile.store)  # done stays done
    profile.close()


def test_a_start_killed_before_the_mark_still_shows_the_wizard_next_time(tmp_path: Path) -> None:
    # The store made (its schema in one transaction), then the process killed before anything
    # else: no mark, no user. Nothing told the next start that this one created it.
    killed = tmp_path / "killed"
    Store.open(killed).close()
    store = Store.open(killed)
    assert store.setting(FIRST_RUN_KEY) is None
    assert first_run_due(store)
    assert store.setting(FIRST_RUN_KEY) == FIRST_RUN_PENDING  # marked before the user is made
    store.close()
    # Killed again, now after the user was made: the mark is there first.
    open_profile(killed).close()
    store = Store.open(killed)
    assert first_run_due(store)
    store.close()


def test_profiles_made_elsewhere_or_in_use_never_show_it(tmp_path: Path) -> None:
    # `crm-desktop demo` on a folder that had nothing.
    demo_dir = tmp_path / "demo"
    assert cli.main(["demo", "--profile", str(demo_dir), "--customers", "3"]) == 0
    # Any other command, a test, or an older version: open_profile made the local user.
    made_elsewhere = tmp_path / "cli"
    open_profile(made_elsewhere).close()
    # Someone's profile from before the wizard existed, with his customers.
    in_use = open_profile(tmp_path / "in-use")
    in_use.writer().create("customers", {"name": "深圳市华强电子有限公司"})
    in_use.close()
    for directory in (demo_dir, made_elsewhere, tmp_path / "in-use"):
        store = Store.open(directory)
        assert not first_run_due(store), directory
        assert store.setting(FIRST_RUN_KEY) is None  # and nothing written to it
        store.close()


def test_run_guis_hook_shows_the_wizard_on_a_new_profile_only(
    qtbot: QtBot, qapp: QApplication, tmp_path: Path
) -> None:
    directory = tmp_path / "new"
    directory.mkdir()
    store = Store(directory)  # run_gui's upgrade step: an empty file, no schema yet
    assert not store.needs_upgrade()
    store.close()
    returned: list[bool] = []

    def answer() -> None:
        """Plays the user at the modal wizard: a name, then Next, Next, Finish."""
        if returned:
            return
        wizard = QApplication.activeModalWidget()
        if not isinstance(wizard, FirstRunWizard) or wizard.facts is None:
            QTimer.singleShot(20, answer)
            return
        if wizard.currentId() == WELCOME_PAGE and not wizard.welcome.name.text():
            wizard.welcome.name.setText("王小明")
        button = wizard.button(
            QWizard.WizardButton.FinishButton
            if wizard.currentId() == START_PAGE
            else QWizard.WizardButton.NextButton
        )
        if button.isEnabled():
            button.click()
        QTimer.singleShot(20, answer)

    QTimer.singleShot(0, answer)
    outcome = first_run(qapp, directory)
    returned.append(True)
    assert outcome is not None and outcome.finished and outcome.connected is None
    assert not outcome.wants_import
    # The next start: nothing is shown, and nothing waits for an answer.
    assert first_run(qapp, directory) is None
    profile = open_profile(directory)
    assert user_row(profile)[0] == "王小明"
    profile.close()


def test_reopened_its_language_is_kept_by_finish_and_not_by_cancel(
    qtbot: QtBot, window: MainWindow
) -> None:
    """Over the window the new language waits for the next start; a Cancel keeps the one
    there was, a Finish stores the new one."""
    from crm_desktop.profile import LANGUAGE_KEY

    store = window.profile.store
    store.set_setting(LANGUAGE_KEY, "zh_CN")
    for close, kept in ((FirstRunWizard.reject, "zh_CN"), (None, "en")):
        window.first_run_action.trigger()
        wizard = window.findChild(FirstRunWizard, "firstRunWizard")
        assert wizard is not None and wizard.isVisible()
        qtbot.waitUntil(lambda w=wizard: w.facts is not None)
        wizard.welcome.language_buttons["en"].click()
        if close is not None:
            close(wizard)
        else:
            wizard.welcome.name.setText("王小明")
            next_page(qtbot, wizard, WORK_PAGE)
            next_page(qtbot, wizard, START_PAGE)
            finish(qtbot, wizard)
        wait_idle(qtbot, window)
        assert store.setting(LANGUAGE_KEY) == kept
        wizard.deleteLater()
        qtbot.waitUntil(lambda: window.findChild(FirstRunWizard, "firstRunWizard") is None)
