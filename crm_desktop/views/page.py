"""What every page of the main window's sidebar (Today, Calendar, Work log, Team activity)
starts from: the profile it shows, the storage thread it reads on, the writer it saves with."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QPushButton, QWidget

from crm_desktop.profile import Profile
from crm_desktop.queries.reader import Reader
from crm_desktop.services.writer import Writer
from crm_desktop.views.runner import Runner


class Page(QWidget):
    def __init__(
        self,
        object_name: str,
        profile: Profile,
        runner: Runner,
        reader: Reader,
        writer: Writer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self._profile, self._runner, self._reader, self._writer = profile, runner, reader, writer

    def _stepper(
        self,
        prefix: str,
        texts: tuple[str, str, str],
        step: Callable[[int], None],
        today: Callable[[], None],
    ) -> tuple[QPushButton, QPushButton, QPushButton]:
        """Previous, Today and Next of a page that shows a period, named `<prefix>Previous`,
        `<prefix>Today`, `<prefix>Next` (`texts` in that order, already translated)."""
        previous, now, following = (QPushButton(text) for text in texts)
        for button, name in ((previous, "Previous"), (now, "Today"), (following, "Next")):
            button.setObjectName(prefix + name)
        previous.clicked.connect(lambda: step(-1))
        now.clicked.connect(today)
        following.clicked.connect(lambda: step(1))
        return previous, now, following
