"""The small window shown while a store from an older version is brought up to date.

Upgrading a big store (a backup copy first, then the migrations) can take a minute; it runs on
the storage thread while this window says what is happening, so the app is never a frozen
nothing between a double-click and the main window.
"""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QVBoxLayout, QWidget

from crm_desktop.storage.store import Store
from crm_desktop.views.runner import Runner


class UpgradeWindow(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Dialog)
        self.setObjectName("upgradeWindow")
        self.setWindowTitle(self.tr("CRM Desktop"))
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        message = QLabel(
            self.tr(
                "Updating your data for this version of CRM Desktop.\n"
                "A backup copy is made first. On a large database this can take a minute;"
                " please leave the program open."
            )
        )
        message.setWordWrap(True)
        bar = QProgressBar()
        bar.setRange(0, 0)  # busy: the migrations don't report steps
        bar.setAccessibleName(self.tr("Updating data"))
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(bar)
        self.setMinimumWidth(420)


def upgrade_with_progress(store: Store) -> BaseException | None:
    """Bring the store to the current schema on a storage thread, showing UpgradeWindow
    meanwhile. Returns the error if it failed (the store is then as it was)."""
    window = UpgradeWindow()
    window.show()
    runner = Runner(str(store.path))
    loop = QEventLoop()
    outcome: list[BaseException | None] = []

    def finished(error: BaseException | None) -> None:
        outcome.append(error)
        loop.quit()

    runner.submit(store.migrate, lambda _backup: finished(None), finished)
    if not outcome:
        loop.exec()
    runner.shutdown()
    window.close()
    window.deleteLater()
    return outcome[0]
