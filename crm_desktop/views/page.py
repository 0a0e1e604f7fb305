"""What every page of the main window's sidebar (Today, Calendar, Work log, Team activity)
starts from: the profile it shows, the storage thread it reads on, the writer it saves with."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

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
