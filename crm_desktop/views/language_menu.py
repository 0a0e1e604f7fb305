"""Settings → Language: the profile's language, used from the next start.

Its strings keep the main window's translation context (see sync_status.py).
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from crm_desktop.profile import LANGUAGE_KEY
from crm_desktop.storage.store import Store
from crm_desktop.views.runner import Runner


class LanguageMenu(QMenu):
    def __init__(self, store: Store, runner: Runner, parent: QWidget) -> None:
        super().__init__(QCoreApplication.translate("MainWindow", "Language"), parent)
        self._store, self._runner = store, runner
        for code, label in (
            ("system", QCoreApplication.translate("MainWindow", "Same as the system")),
            ("en", "English"),
            ("zh_CN", "简体中文"),
        ):
            action = self.addAction(label)
            action.triggered.connect(partial(self.set_language, code))

    def set_language(self, code: str) -> None:
        self._runner.submit(partial(self._store.set_setting, LANGUAGE_KEY, code))
        QMessageBox.information(
            self.parentWidget(),
            QCoreApplication.translate("MainWindow", "Language"),
            QCoreApplication.translate(
                "MainWindow", "The new language is used from the next start of the program."
            ),
        )
