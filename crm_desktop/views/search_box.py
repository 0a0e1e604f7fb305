"""The search box at the top of the window: one query for whichever table is showing.

Its strings keep the main window's translation context (see sync_status.py).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLineEdit, QWidget

SEARCH_DELAY_MS = 30  # keys typed closer together than this start one query


class SearchBox(QLineEdit):
    searched = Signal(str)  # the text to search for, once typing pauses or Enter is pressed
    entered = Signal()  # Enter, after `searched`

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("globalSearch")
        self.setAccessibleName(QCoreApplication.translate("MainWindow", "Search"))
        self.setPlaceholderText(
            QCoreApplication.translate(
                "MainWindow", "Find a customer by name, phone, email or any ID number…"
            )
        )
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(380)
        self.timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self.timer.timeout.connect(self._search)
        self.textChanged.connect(self.timer.start)
        self.returnPressed.connect(self._entered)
        # Ctrl+F anywhere in the window: the window adds this action to itself.
        self.find_action = QAction(QCoreApplication.translate("MainWindow", "Find"), self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self._find)

    def _search(self) -> None:
        self.searched.emit(self.text())

    def _entered(self) -> None:
        self.timer.stop()
        self._search()
        self.entered.emit()

    def _find(self) -> None:
        self.setFocus()
        self.selectAll()
