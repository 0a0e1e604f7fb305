"""A profile without a server grades its customers itself once a day, while the window is
open: at start, then looked at every hour (a window left open overnight grades the next day).
The check and the grading run on the storage thread; the lists hear of the grades changed as
of any write. A linked profile's grades are the server's and are left to it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QObject, QTimer

from crm_desktop.grading.local import grade_customers, grading_due
from crm_desktop.profile import Profile
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import Writer
from crm_desktop.sync import link as links
from crm_desktop.views.runner import Runner

CHECK_EVERY_MS = 60 * 60 * 1000


class LocalGrading(QObject):
    def __init__(
        self, profile: Profile, runner: Runner, writer: Writer, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._profile = profile
        self._runner = runner
        self._writer = writer
        self._timer = QTimer(self, interval=CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)
        self._timer.start()

    def check(self) -> None:
        """Grade on the storage thread if this profile grades itself and has not today."""
        store, writer, today = self._profile.store, self._writer, date.today()

        def grade_if_due() -> ChangeSet:
            if not grading_due(store, today):  # the hourly look: a read, no write lock
                return ChangeSet()
            # Asked again in the grading's own transaction, with the link.
            return grade_customers(writer, today, unless=(links.SERVER_KEY,))

        # A failure is the runner's to report (the status bar): the next check tries again.
        self._runner.write(grade_if_due)
