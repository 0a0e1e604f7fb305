"""The first-run wizard: three pages a new user answers in three clicks.

1. Welcome: the language (applied to the wizard at once, kept as the profile's) and the user's
   own name, which replaces the operating system's login name as the local user's name.
2. How you will work: on this computer only, or with the company's server (address, user name,
   password, *Test connection*; the Connect dialog's form and connecting, see connect_dialog.py).
3. Start with: an empty CRM, a file to import (the main window opens its import wizard), or
   demo data, only for a profile that works on this computer only (demo rows never go to a
   server).

`run_gui` shows it before the main window on a profile its start created (profile.first_run_due),
on storage and network threads of its own; Help → First-run setup… shows it again over the
window, on the window's. Nothing reaches the network or the store from the GUI thread: the name
is saved through the service layer on the storage thread, the server is checked on the network
thread and only linked at Finish, so a user who goes back and chooses this computer only leaves
no link behind.

Cancel never waits for the network: a check under way is left to end on its own (connect
timeout), and what it brings back after the wizard has closed is dropped. Finish, once pressed,
cannot be cancelled: a link stored behind a closed wizard would leave the first run due and
lose the session's password.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent, QLocale, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)
from sqlalchemy import select

from crm_desktop.demo import make_demo
from crm_desktop.models.entities import ENTITIES, Customer, User
from crm_desktop.models.rules import problems
from crm_desktop.models.validation import InvalidInput
from crm_desktop.profile import LANGUAGE_KEY, Profile, finish_first_run
from crm_desktop.services.changes import ChangeSet
from crm_desktop.storage.store import Store
from crm_desktop.sync import link as links
from crm_desktop.sync.connecting import Checked, Connected, remember
from crm_desktop.views.connect_dialog import ServerForm, ServerInput
from crm_desktop.views.runner import Runner, describe_error

WELCOME_PAGE, WORK_PAGE, START_PAGE = range(3)
LANGUAGES = (("zh_CN", "简体中文"), ("en", "English"))  # each in its own language, never translated
DEMO_CUSTOMERS = 300  # enough to try searching, sorting and Today; made in about two seconds
DEMO_ON_SERVER = QT_TRANSLATE_NOOP(
    "Validation",
    "Demo data is only for a profile that works on this computer: it must never reach a "
    "company server.",
)
ERROR_STYLE, GOOD_STYLE = "color: #b00020;", "color: #1b5e20;"
CHOICE_INDENT = 24  # a radio button's indicator and gap: notes line up with its text


@dataclass(frozen=True)
class Facts:
    """What the wizard shows depends on, read once on the storage thread."""

    name: str
    login: str
    link: links.ServerLink | None
    has_customers: bool
    language: str | None = None  # the profile's, when it has chosen one

    def chosen_name(self) -> str:
        """The name a person gave, or "" while it is still the login it was made with."""
        return "" if self.name == self.login else self.name


def read_facts(profile: Profile) -> Facts:
    with profile.store.read() as session:
        user = session.execute(
            select(User.name, User.login).where(User.id == profile.user_id)
        ).first()
        customer = session.scalar(select(Customer.id).where(Customer.deleted_at.is_(None)).limit(1))
    name, login = user if user is not None else ("", "")
    language = profile.store.setting(LANGUAGE_KEY)
    return Facts(name, login, links.link_of(profile.store), customer is not None, language)


def add_demo_data(profile: Profile) -> ChangeSet:
    """Demo customers with their contacts, deals, tasks and contracts (on the storage thread).

    Refused on a profile linked to a server: demo rows write no outbox entries, but edited later
    they would, and the company's server must never see made-up customers."""
    if links.link_of(profile.store) is not None:
        raise InvalidInput("demo", DEMO_ON_SERVER)
    make_demo(profile, DEMO_CUSTOMERS, workers=0)  # no worker processes for a few batches
    return ChangeSet.everything(set(ENTITIES))


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    return label


def _note_label(indent: int = 0) -> QLabel:
    """A line of explanation; `indent` lines it up with the text of the choice above it."""
    label = QLabel()
    label.setWordWrap(True)
    label.setContentsMargins(indent, 0, 0, 0)
    return label


def _choice(name: str) -> QRadioButton:
    button = QRadioButton()
    button.setObjectName(name)
    font = QFont(button.font())
    font.setPointSizeF(font.pointSizeF() * 1.1)  # the page's one question: easy to hit
    button.setFont(font)
    return button


class _Page(QWizardPage):
    """A page whose texts are set in `retranslate`, again whenever the language changes."""

    def wizard_(self) -> FirstRunWizard:
        wizard = self.wizard()
        assert isinstance(wizard, FirstRunWizard)
        return wizard

    def retranslate(self) -> None:
        raise NotImplementedError

    def changeEvent(self, event: Any) -> None:  # Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class FirstRunWelcomePage(_Page):
    """The language and the user's name."""

    def __init__(self, can_switch: bool) -> None:
        super().__init__()
        self.setObjectName("firstRunWelcome")
        self.language_label = QLabel()
        self.languages = QButtonGroup(self)
        row = QHBoxLayout()
        self.language_buttons: dict[str, QRadioButton] = {}
        current = "zh_CN" if QLocale().name().startswith("zh") else "en"
        for code, label in LANGUAGES:
            button = _choice("language_" + code)
            button.setText(label)
            button.setChecked(code == current)
            self.languages.addButton(button)
            self.language_buttons[code] = button
            row.addWidget(button)
            button.toggled.connect(partial(self._language_toggled, code))
        row.addStretch(1)
        # Over a running window the language changes at the next start, as Settings → Language.
        self.later_note = _note_label()
        self.later_note.setVisible(not can_switch)
        self.name_label = QLabel()
        self.name = QLineEdit()
        self.name.setObjectName("firstRunName")
        self.name_label.setBuddy(self.name)
        self.name_hint = _note_label()
        self.message = _error_label("firstRunNameMessage")
        self.name.textEdited.connect(lambda _text: self.message.clear())
        layout = QVBoxLayout(self)
        layout.addWidget(self.language_label)
        layout.addLayout(row)
        layout.addWidget(self.later_note)
        layout.addSpacing(16)
        layout.addWidget(self.name_label)
        layout.addWidget(self.name)
        layout.addWidget(self.name_hint)
        layout.addWidget(self.message)
        layout.addStretch(1)
        self._saved_name: str | None = None  # the name in the store, once known
        self._linked = False
        self._saving = False
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Welcome to CRM Desktop"))
        self.setSubTitle(self.tr("Three questions, and you can start."))
        self.language_label.setText(self.tr("Language:"))
        self.later_note.setText(
            QCoreApplication.translate(
                "MainWindow", "The new language is used from the next start of the program."
            )
        )
        self.name_label.setText(self.tr("Your name:"))
        self.name.setAccessibleName(self.tr("Your name"))
        if self._linked:
            self.name_hint.setText(
                self.tr("Your name comes from your company's server; your administrator sets it.")
            )
        else:
            self.name_hint.setText(
                self.tr(
                    "Your full name, as your colleagues know you. It is shown on the customers, "
                    "tasks and notes you add."
                )
            )

    def _language_toggled(self, code: str, checked: bool) -> None:
        if checked:
            self.wizard_().choose_language(code)

    def show_facts(self, facts: Facts) -> None:
        chosen = self.language_buttons.get(facts.language or "")
        if chosen is not None and not chosen.isChecked():
            # The language the profile has (reopened, it need not be the system's); shown, not
            # chosen again.
            for button in self.language_buttons.values():
                button.blockSignals(True)
            chosen.setChecked(True)
            for button in self.language_buttons.values():
                button.blockSignals(False)
        self._saved_name = facts.name
        self._linked = facts.link is not None
        # A profile linked to a server has the server's user: his name is the server's.
        self.name.setReadOnly(self._linked)
        if not self.name.isModified():
            self.name.setText(facts.chosen_name())
        self.retranslate()

    def validatePage(self) -> bool:  # Qt override
        if self.wizard_().facts is None:
            return False  # a moment after opening: whose name this is is not known yet
        if self._linked:
            return True
        name = self.name.text().strip()
        # The users.name rule (too long, a control character); an empty name gets a sentence
        # of its own, since the rule's "Name is required." speaks of a record's name.
        problem = problems("users", {"name": name}, self.wizard_().profile.region, creating=False)
        if not name or "name" in problem:
            self.message.setText(problem["name"].text() if name else self.tr("Type your name."))
            self.name.setFocus()
            return False
        if name == self._saved_name:
            return True
        if not self._saving:
            self._saving = True
            self.wizard_().save_name(name, self._name_saved, self._name_failed)
        return False

    def _name_saved(self, name: str) -> None:
        self._saving = False
        self._saved_name = name
        self.wizard_().next()

    def _name_failed(self, error: BaseException) -> None:
        self._saving = False
        self.message.setText(describe_error(error))


class FirstRunWorkPage(_Page):
    """On this computer only, or with the company's server."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("firstRunWork")
        self.local = _choice("workLocal")
        self.local.setChecked(True)
        self.server = _choice("workServer")
        self.ways = QButtonGroup(self)
        self.ways.addButton(self.local)
        self.ways.addButton(self.server)
        self.local_note = _note_label(CHOICE_INDENT)
        self.server_note = _note_label()
        self.form = ServerForm(None, self)
        self.form.set_security_shown(False)
        self.more = QCheckBox()
        self.more.setObjectName("serverMoreOptions")
        self.more.toggled.connect(self.form.set_security_shown)
        self.test_button = QPushButton()
        self.test_button.setObjectName("testConnection")
        self.test_button.clicked.connect(self.test_connection)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        buttons.addWidget(self.more)
        self.server_part = QWidget()
        server_layout = QVBoxLayout(self.server_part)
        server_layout.setContentsMargins(CHOICE_INDENT, 0, 0, 0)
        server_layout.addWidget(self.server_note)
        server_layout.addWidget(self.form)
        server_layout.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.local)
        layout.addWidget(self.local_note)
        layout.addSpacing(8)
        layout.addWidget(self.server)
        layout.addWidget(self.server_part)
        layout.addStretch(1)
        self.server.toggled.connect(self._way_chosen)
        for field in (self.form.server, self.form.user, self.form.password, self.form.ca_file):
            field.textEdited.connect(self._typed)
        self.form.no_tls.toggled.connect(self._typed)
        self.checked: Checked | None = None  # the last check that passed...
        self._checked_input: ServerInput | None = None  # ...and what was typed for it
        self._advance = False  # a check asked for by Next goes on to the next page
        self._busy = False
        self._way_chosen(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("How will you work?"))
        self.setSubTitle(self.tr("You can connect to a server later too, from the Server menu."))
        self.local.setText(self.tr("Work on this computer only"))
        self.local_note.setText(
            self.tr("Your customers stay on this computer. Nothing else to set up.")
        )
        self.server.setText(self.tr("Connect to our company server"))
        self.server_note.setText(
            self.tr(
                "Your administrator gives you the server's address, your user name and password."
            )
        )
        self.test_button.setText(self.tr("Test connection"))
        self.more.setText(self.tr("Security options"))
        if self.checked is not None:
            self._say_checked()

    def uses_server(self) -> bool:
        return self.server.isChecked()

    def _way_chosen(self, server: bool) -> None:
        self.server_part.setEnabled(server)
        self.form.message.clear()
        if server:
            self.form.server.setFocus()

    def _typed(self, *_args: object) -> None:
        """Anything changed after a check passed must be checked again."""
        self.checked, self._checked_input = None, None
        self.form.message.clear()

    def test_connection(self) -> None:
        self._check(advance=False)

    def validatePage(self) -> bool:  # Qt override
        if not self.uses_server():
            return True
        if self.checked is not None and self._checked_input == self.form.typed():
            return True
        self._check(advance=True)
        return False

    def _check(self, advance: bool) -> None:
        if self._busy:
            return
        typed = self.form.typed()
        self.form.message.setStyleSheet(ERROR_STYLE)
        if typed is None:
            return
        self._busy, self._advance = True, advance
        self.test_button.setEnabled(False)
        self.wizard_().set_busy(True)
        self.form.message.setStyleSheet("")
        self.form.message.setText(QCoreApplication.translate("ConnectDialog", "Connecting…"))
        wizard = self.wizard_()
        wizard.network.submit(
            typed.check,
            wizard.while_open(partial(self._check_passed, typed)),
            wizard.while_open(self._check_failed),
        )

    def _check_passed(self, typed: ServerInput, checked: Checked) -> None:
        self._end_check()
        self.checked, self._checked_input = checked, typed
        self._say_checked()
        if self._advance:
            self.wizard_().next()

    def _say_checked(self) -> None:
        self.form.message.setStyleSheet(GOOD_STYLE)
        self.form.message.setText(
            self.tr("The server answered: your user name and password are right.")
        )

    def _check_failed(self, error: BaseException) -> None:
        self._end_check()
        self.form.message.setStyleSheet(ERROR_STYLE)
        self.form.message.setText(describe_error(error))

    def _end_check(self) -> None:
        self._busy = False
        self.test_button.setEnabled(True)
        self.wizard_().set_busy(False)


class FirstRunStartPage(_Page):
    """An empty CRM, a file to import, or demo data; Finish does what was chosen."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("firstRunStart")
        self.empty = _choice("startEmpty")
        self.empty.setChecked(True)
        self.import_file = _choice("startImport")
        self.demo = _choice("startDemo")
        self.starts = QButtonGroup(self)
        for button in (self.empty, self.import_file, self.demo):
            self.starts.addButton(button)
        self.import_note = _note_label(CHOICE_INDENT)
        self.demo_note = _note_label(CHOICE_INDENT)
        self.progress = QProgressBar()
        self.progress.setObjectName("demoProgress")
        self.progress.setRange(0, 0)  # the demo is made in one go: busy, not counted
        self.progress.setVisible(False)
        self.progress_label = QLabel()  # a busy bar shows no text of its own in every style
        self.progress_label.setVisible(False)
        self.message = _error_label("firstRunStartMessage")
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addSpacing(8)
        layout.addWidget(self.import_file)
        layout.addWidget(self.import_note)
        layout.addSpacing(8)
        layout.addWidget(self.demo)
        layout.addWidget(self.demo_note)
        layout.addStretch(1)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        self._done = False
        self._busy = False
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("What do you want to start with?"))
        self.setSubTitle(self.tr("Press Finish to open the program."))
        self.empty.setText(self.tr("An empty CRM"))
        self.import_file.setText(self.tr("Import a file I have"))
        self.import_note.setText(
            self.tr("A spreadsheet, a CSV file from another program, or business cards.")
        )
        self.demo.setText(self.tr("Demo data to try things out"))
        self.progress_label.setText(self.tr("Adding demo customers…"))
        self.update_demo_note()

    def initializePage(self) -> None:  # Qt override
        self.message.clear()
        self.update_demo_note()

    def update_demo_note(self) -> None:
        """Demo data only for a profile that stays on this computer and has no customers yet."""
        wizard = self.wizard()
        reason = ""
        if isinstance(wizard, FirstRunWizard):
            if wizard.work.uses_server() or (wizard.facts and wizard.facts.link):
                reason = self.tr("Not with a company server: demo customers must never reach it.")
            elif wizard.facts is not None and wizard.facts.has_customers:
                reason = self.tr("Not offered: you already have customers.")
        self.demo.setEnabled(not reason)
        if reason and self.demo.isChecked():
            self.empty.setChecked(True)
        self.demo_note.setText(
            reason
            or self.tr("About {count} made-up customers, only on this computer.").format(
                count=DEMO_CUSTOMERS
            )
        )

    def choice(self) -> str:
        if self.import_file.isChecked():
            return "import"
        return "demo" if self.demo.isChecked() and self.demo.isEnabled() else "empty"

    def validatePage(self) -> bool:  # Qt override
        if self._done:
            return True
        if not self._busy:
            self._busy = True
            self.message.clear()
            self.wizard_().finish(self._finished, self._failed)
        return False

    def show_progress(self, shown: bool) -> None:
        self.progress.setVisible(shown)
        self.progress_label.setVisible(shown)

    def _finished(self) -> None:
        self._busy, self._done = False, True
        self.wizard_().accept()

    def _failed(self, error: BaseException) -> None:
        self._busy = False
        self.show_progress(False)
        self.message.setText(describe_error(error))


class FirstRunWizard(QWizard):
    linked = Signal(object)  # Connected: Finish linked the profile to a server
    import_requested = Signal()  # Finish with "Import a file I have"

    def __init__(
        self,
        profile: Profile,
        runner: Runner,
        network: Runner,
        switch_language: Callable[[str], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`runner` is the storage thread, `network` the connecting's; `switch_language(code)`
        changes the program's language at once (None: over a running window, the new language
        waits for the next start)."""
        super().__init__(parent)
        self.setObjectName("firstRunWizard")
        self.profile, self.runner, self.network = profile, runner, network
        self._switch_language = switch_language
        self._chosen_language: str | None = None  # reopened over the window: kept till Finish
        self.facts: Facts | None = None
        self.connected: Connected | None = None
        self._open = _Open()
        self._finishing = False  # Finish is storing what was chosen: no Cancel until it is done
        self.welcome = FirstRunWelcomePage(switch_language is not None)
        self.work = FirstRunWorkPage()
        self.start = FirstRunStartPage()
        self.setPage(WELCOME_PAGE, self.welcome)
        self.setPage(WORK_PAGE, self.work)
        self.setPage(START_PAGE, self.start)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.resize(640, 480)
        self.retranslate()
        self.accepted.connect(self._accepted)
        # Every way the wizard closes (not done(): QWizard's Finish calls it and may stay open).
        self.finished.connect(self._open.close)
        runner.submit(partial(read_facts, profile), self.while_open(self._facts_read))

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Welcome to CRM Desktop"))
        # Qt 6's QWizard keeps its buttons' first texts through a LanguageChange; buttonText()
        # gives the translated default (no custom texts are set here), so put that on them.
        for which in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.FinishButton,
            QWizard.WizardButton.CancelButton,
        ):
            self.button(which).setText(self.buttonText(which))

    def changeEvent(self, event: Any) -> None:  # Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def while_open(self, callback: Callable[[Any], None]) -> Callable[[Any], None]:
        """`callback` for work this wizard hands to a runner, dropped if the wizard has closed
        by the time the work ends (a cancelled server check comes back seconds later, when the
        wizard's widgets may be gone)."""
        state = self._open  # a plain object: still readable once the widgets are deleted

        def call(result: Any) -> None:
            if state.open:
                callback(result)

        return call

    def reject(self) -> None:  # Qt override: Cancel, Escape and the title bar's close button
        if self._finishing:
            return  # half a Finish must not stay behind a closed wizard (see finish)
        super().reject()

    def nextId(self) -> int:  # Qt override
        # A linked profile has its server already: the Server menu changes it, not this.
        if self.currentId() == WELCOME_PAGE and self.facts is not None and self.facts.link:
            return START_PAGE
        return super().nextId()

    def _facts_read(self, facts: Facts) -> None:
        self.facts = facts
        self.welcome.show_facts(facts)
        self.start.update_demo_note()

    # -- what the pages ask for ------------------------------------------------------------

    def choose_language(self, code: str) -> None:
        """Before the window, the program speaks the chosen language at once, and the profile
        keeps it whatever closes the wizard (what the user read is what he gets next time).
        Reopened over the window (Help), the choice is stored only by Finish: Cancel changes
        nothing."""
        if self._switch_language is None:
            self._chosen_language = code
            return
        self.runner.submit(partial(self.profile.store.set_setting, LANGUAGE_KEY, code))
        self._switch_language(code)

    def save_name(
        self,
        name: str,
        on_done: Callable[[str], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        """The local user's name, through the service layer.

        Only the name: the login stays the operating system's. It is a key, not a name anyone
        reads (no screen shows it; open_profile finds the local user by it if the profile's
        user setting is ever lost), and at the first sync adopt_server_user sets it aside for
        the server's login in any case, so a typed 王小明 as a login would buy nothing."""
        self.set_busy(True)
        work = partial(self.profile.writer().update, "users", self.profile.user_id, {"name": name})

        def done(_changes: ChangeSet) -> None:
            self.set_busy(False)
            on_done(name)

        def failed(error: BaseException) -> None:
            self.set_busy(False)
            on_error(error)

        self.runner.write(work, self.while_open(done), self.while_open(failed))

    def finish(
        self, on_done: Callable[[], None], on_error: Callable[[BaseException], None]
    ) -> None:
        """Link to the server that passed its check, or add the demo data, then mark the first
        run done; `on_done` once all of it is stored.

        Not cancellable until then: cancelled after the link was stored, the first run would
        stay due on a linked profile and the password typed for this session (no keyring here)
        would be lost. Storing the link touches the network only for the keyring."""
        self.set_busy(True)
        self._set_finishing(True)

        def failed(error: BaseException) -> None:
            self.set_busy(False)
            self._set_finishing(False)
            on_error(error)

        def marked(_result: object) -> None:
            self.set_busy(False)
            self._set_finishing(False)
            on_done()

        def mark_done(_result: object = None) -> None:
            self.runner.submit(
                partial(_finish_first_run, self.profile.store, self._chosen_language),
                self.while_open(marked),
                self.while_open(failed),
            )

        def was_linked(result: Connected) -> None:
            self.connected = result
            self.linked.emit(result)
            mark_done()

        if self.work.uses_server() and self.work.checked is not None:
            # The check passed on the previous page; storing the link is the only step left.
            self.network.submit(
                partial(remember, self.profile.store, self.work.checked),
                self.while_open(was_linked),
                self.while_open(failed),
            )
        elif self.start.choice() == "demo":
            self.start.show_progress(True)
            self.runner.write(
                partial(add_demo_data, self.profile),
                self.while_open(mark_done),
                self.while_open(failed),
            )
        else:
            mark_done()

    def _set_finishing(self, finishing: bool) -> None:
        self._finishing = finishing
        self.button(QWizard.WizardButton.CancelButton).setEnabled(not finishing)

    def set_busy(self, busy: bool) -> None:
        """While something is stored or checked, no page change and no second click. Cancel
        stays (but during Finish, see finish): a server that does not answer must not hold the
        user for the connect timeout (the check ends behind the closed wizard, its answer is
        dropped, and the first run stays due)."""
        for which in (
            QWizard.WizardButton.BackButton,
            QWizard.WizardButton.NextButton,
            QWizard.WizardButton.FinishButton,
        ):
            self.button(which).setEnabled(not busy)

    def wants_import(self) -> bool:
        return self.result() == QDialog.DialogCode.Accepted and self.start.choice() == "import"

    def _accepted(self) -> None:
        if self.wants_import():
            self.import_requested.emit()


class _Open:
    """Whether the wizard is still open, for callbacks that may outlive its widgets."""

    def __init__(self) -> None:
        self.open = True

    def close(self, _result: int = 0) -> None:
        self.open = False


@dataclass(frozen=True)
class FirstRunOutcome:
    finished: bool  # False: cancelled or closed, shown again at the next start
    connected: Connected | None  # the link Finish made, with the session's password
    wants_import: bool


def _finish_first_run(store: Store, language: str | None) -> None:
    """The language chosen in a wizard reopened over the window, then the first run marked
    done."""
    if language is not None:
        store.set_setting(LANGUAGE_KEY, language)
    finish_first_run(store)


def run_first_run(
    profile: Profile, switch_language: Callable[[str], None] | None
) -> FirstRunOutcome:
    """The wizard before the main window exists, modal, on threads of its own. The storage
    thread is stopped before this returns (its work is short: a name, a language), so the window
    opens the profile alone; the network thread is not waited for (let_check_end)."""
    runner = Runner(str(profile.store.path))
    network = Runner(str(profile.store.path), name="network")
    wizard = FirstRunWizard(profile, runner, network, switch_language)
    try:
        finished = wizard.exec() == QDialog.DialogCode.Accepted
        return FirstRunOutcome(finished, wizard.connected, finished and wizard.wants_import())
    finally:
        runner.shutdown()
        let_check_end(network)
        wizard.deleteLater()
        runner.deleteLater()


def let_check_end(network: Runner) -> None:
    """Stop the wizard's network thread without waiting for a server check the user cancelled.

    Such a check runs until the server answers or the connect timeout ends (longer if a query
    blocks); the wizard drops its answer (while_open). Until then the thread's runner belongs to
    the application, which waits for it only when its event loop ends (aboutToQuit, before
    run_gui's app.shutdown): a worker still delivering into a Qt being torn down must not outlive
    the program's end, and that wait is at most the rest of one connect timeout."""
    if not network.pending():
        network.shutdown()  # nothing under way: returns at once
        network.deleteLater()
        return
    app = QCoreApplication.instance()
    assert app is not None
    network.setParent(app)
    app.aboutToQuit.connect(network.shutdown)
