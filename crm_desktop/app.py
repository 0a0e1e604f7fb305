"""The application shell: translations, fonts, logging, and the main window."""

from __future__ import annotations

import linecache
import logging
import os
import sys
from functools import partial
from logging.handlers import RotatingFileHandler
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from crm_desktop.profile import (
    default_profile_dir,
    first_run_due,
    open_profile,
)
from crm_desktop.resources import resources_dir
from crm_desktop.storage.errors import profile_folder_problem
from crm_desktop.storage.store import BACKUP_DIR, STORE_FILE, Store
from crm_desktop.translations import install_translators, language_for, system_language
from crm_desktop.views import garbage
from crm_desktop.views.backups_dialog import after_window_closed, check_at_start
from crm_desktop.views.first_run_wizard import FirstRunOutcome, run_first_run
from crm_desktop.views.main_window import MainWindow
from crm_desktop.views.runner import describe_error, known_error
from crm_desktop.views.sync_controller import syncs_still_running
from crm_desktop.views.upgrade_window import upgrade_with_progress

ICON = resources_dir() / "icons" / "crm-desktop.png"
log = logging.getLogger(__name__)
# Families with Chinese glyphs, best first, for systems whose default font has none.
CJK_FAMILIES = (
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Droid Sans Fallback",
)


def prepare_application(app: QApplication, store: Store) -> None:
    """Translations, fonts and the cycle collector, once per process, before any window is
    made."""
    garbage.install(app)
    if not getattr(app, "_crm_translators", None):
        app._crm_translators = install_translators(app, language_for(store))  # type: ignore[attr-defined]
        ensure_cjk_font(app)


def ensure_cjk_font(app: QApplication) -> None:
    """Chinese text must never show as boxes: fall back to a family that has the glyphs."""
    families = set(QFontDatabase.families())
    for family in CJK_FAMILIES:
        if family in families:
            font = app.font()
            font.setFamilies([font.family(), family])
            app.setFont(font)
            return
    chinese = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    if chinese:
        font = QFont(app.font())
        font.setFamilies([font.family(), chinese[0]])
        app.setFont(font)


def setup_logging(profile_dir: Path) -> Path:
    log_path = Path(profile_dir) / "crm-desktop.log"
    handler = RotatingFileHandler(log_path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    existing = [h for h in root.handlers if isinstance(h, RotatingFileHandler)]
    if not existing:
        root.addHandler(handler)
    else:
        handler.close()
        # One log per process: the file already written to is where the details are.
        log_path = Path(existing[0].baseFilename)
    root.setLevel(logging.INFO)
    return log_path


def switch_language(app: QCoreApplication, language: str) -> None:
    """The program's language, changed now (the first-run wizard's choice): every widget gets
    a LanguageChange event, and those that can retranslate themselves do."""
    for translator in getattr(app, "_crm_translators", None) or []:
        app.removeTranslator(translator)
    app._crm_translators = install_translators(app, language)  # type: ignore[attr-defined]


def first_run(app: QApplication, directory: Path) -> FirstRunOutcome | None:
    """The first-run wizard, before the main window, on a profile whose first run is due;
    None when it is not due."""
    store = Store.open(directory)
    try:
        # Before open_profile makes the local user: a store without one is due (first_run_due).
        due = first_run_due(store)
    finally:
        store.close()
    if not due:
        return None
    profile = open_profile(directory)
    try:
        return run_first_run(profile, partial(switch_language, app))
    finally:
        profile.close()


def build_main_window(
    profile_dir: Path | None = None, session_password: str | None = None
) -> MainWindow:
    """The main window on a profile (created on first use). A QApplication must exist.

    `session_password`: typed in the first-run wizard where no keyring could keep it, for
    this session's syncs (the window's first sync included)."""
    app = QApplication.instance()
    assert isinstance(app, QApplication), "create the QApplication first"
    profile = open_profile(profile_dir)
    try:
        prepare_application(app, profile.store)
        setup_logging(profile.directory)
        window = MainWindow(profile, session_password=session_password)
    except BaseException:
        profile.close()  # not left open behind the message that says what went wrong
        raise
    window.destroyed.connect(profile.close)
    # The window's modules are in: what PySide6's import hook read of their sources (see cli.py)
    # is not needed.
    linecache.clearcache()
    return window


def say_start_failed(app: QApplication, directory: Path, error: Exception) -> None:
    """What stopped the start, in a message: a known failure (the data file busy in another
    program, the disk full, the folder read-only, a restore under way) in its plain sentence; a
    bug logged with its traceback and apologised for, naming the log file."""
    known = known_error(error, str(directory / STORE_FILE), str(directory / BACKUP_DIR))
    known = known or profile_folder_problem(error, directory)
    if known is None:
        log.exception("the program could not start")
    QMessageBox.critical(None, app.applicationName(), describe_error(known or error))


def exit_past_a_stuck_sync(code: int) -> int:
    """The window's exit code, once it has closed; but if a sync it stopped waiting for still
    runs (a connection being made to a server that does not answer, or a network gone
    silent), the process ends now rather than when the network gives up, up to a minute
    later: until then it would hold the profile, and the program opened again could not use
    it. Everything of the window is closed by then, and a sync killed halfway leaves both
    stores whole (its local writes are transactions; the server rolls its own back). Only for
    the program's own process: in a test it would end the test run."""
    stuck = syncs_still_running()
    if not stuck:
        return code
    log.warning("the window closed with %d sync(s) still waiting on the network", len(stuck))
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def run_gui(profile_dir: Path | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("CRM Desktop")
    app.setWindowIcon(QIcon(str(ICON)))
    directory = profile_dir or default_profile_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        setup_logging(directory)
    except OSError as failure:  # a read-only share, a folder of someone else's: said, not logged
        if not getattr(app, "_crm_translators", None):  # no profile to say the language
            app._crm_translators = install_translators(app, system_language())  # type: ignore[attr-defined]
        say_start_failed(app, directory, failure)
        return 1
    # Before the store is opened: a restore chosen in the window, and a damaged store repaired.
    if not check_at_start(directory, partial(prepare_application, app)):
        return 1
    store = Store(directory)
    try:
        prepare_application(app, store)
        error = upgrade_with_progress(store) if store.needs_upgrade() else None
    finally:
        store.close()
    if error is not None:
        QMessageBox.critical(None, app.applicationName(), describe_error(error))
        return 1
    try:
        welcome = first_run(app, directory)
        connected = welcome.connected if welcome is not None else None
        window = build_main_window(directory, connected.session_password if connected else None)
    except Exception as failure:  # a windowed program has no console to say it on
        say_start_failed(app, directory, failure)
        return 1
    window.show()
    log.info("main window shown")
    if welcome is not None and welcome.wants_import:
        window.open_import()
    code = app.exec()
    # Closed before the restore chosen in the window, or the daily backup (closing is idempotent).
    window.profile.close()
    after_window_closed(directory)
    window.deleteLater()
    app.processEvents()
    # Tear Qt down before Python's own finalisation frees objects Qt still points at.
    app.shutdown()
    return code
