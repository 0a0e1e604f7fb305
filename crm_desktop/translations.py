"""The program's words in the user's language: Qt translators for our .qm files and Qt's own.

Imports no widgets, so the command line installs them without paying for the window's modules
(about half a second); app.py installs them for the window from here too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from crm_desktop.resources import resources_dir

if TYPE_CHECKING:
    from crm_desktop.storage.store import Store

__all__ = ["TRANSLATIONS", "install_translators", "language_for", "system_language", "translated"]

TRANSLATIONS = resources_dir() / "translations"
# Where the translators installed for the program's language are kept on the application
# object: the window's (app.py), or the command line's while a command runs.
INSTALLED = "_crm_translators"


def system_language() -> str:
    """The language of the system's locale, of those the program speaks."""
    return "zh_CN" if QLocale.system().name().startswith("zh") else "en"


def language_for(store: Store) -> str:
    """The profile's chosen language, or the system's when it chose none (or is new)."""
    from crm_desktop.profile import LANGUAGE_KEY  # the profile's modules, only when asked

    chosen = store.setting(LANGUAGE_KEY, "system") if store.revision() is not None else None
    if chosen and chosen != "system":
        return chosen
    return system_language()


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """Load our .qm (English has one too, for plural forms) and Qt's own for standard buttons."""
    translators = []
    ours = QTranslator(app)
    if ours.load(f"crm_desktop_{language}", str(TRANSLATIONS)):
        app.installTranslator(ours)
        translators.append(ours)
    qt_own = QTranslator(app)
    qt_path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if qt_own.load(f"qtbase_{language}", qt_path):
        app.installTranslator(qt_own)
        translators.append(qt_own)
    QLocale.setDefault(QLocale(language))
    return translators


@contextmanager
def translated(language: str) -> Iterator[None]:
    """The program's words in `language` while the block runs, with no window.

    Translators need an application object: the one there is (a test's), else one made here and
    shut down after. The program's translators installed before (the command line's, when a
    report is written in another language) are taken off meanwhile, or their words would answer
    where the other language's file has none (English has only plural forms), and put back
    after; the default locale is as it was.
    """
    existing = QCoreApplication.instance()
    app = existing or QCoreApplication([])
    locale = QLocale()
    outer = getattr(app, INSTALLED, None) or []
    for translator in outer:
        app.removeTranslator(translator)
    ours = install_translators(app, language)
    setattr(app, INSTALLED, ours)
    try:
        yield
    finally:
        for translator in ours:
            app.removeTranslator(translator)
            # Given back to Python and freed: a test session runs many commands on one app.
            translator.setParent(None)
        for translator in outer:
            app.installTranslator(translator)
        setattr(app, INSTALLED, outer)
        QLocale.setDefault(locale)
        if existing is None:
            # Ours: torn down now, not left to Python's finalisation, which may free objects
            # Qt still points at (a crash at exit; crm_desktop/app.py does the same).
            app.shutdown()
