"""Export PDF… on a screen: ask where, build the report on the storage thread, then open it in
the system's PDF viewer (which prints it).

Every screen with a report (a customer page, an opportunity, the dashboard, renewals,
receivables, team activity) hands over the report's kind and options (crm_desktop.reports);
the footer's "printed by" is the writer's user, read with the report.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QWidget

from crm_desktop.models.entities import User
from crm_desktop.reports import ReportError, ReportOptions, build_report
from crm_desktop.services.writer import Writer
from crm_desktop.storage.errors import plain_reason
from crm_desktop.views.runner import Runner, describe_error


class PdfExport(QObject):
    """One screen's Export PDF…; `written(path)` once saved, `failed(sentence)` if not."""

    written = Signal(str)
    failed = Signal(str)

    def __init__(self, writer: Writer, runner: Runner, parent: QWidget) -> None:
        """`writer`: whose store and user the screen works as."""
        super().__init__(parent)
        self._writer, self._runner, self._parent = writer, runner, parent
        self.open_after = True  # tests keep the viewer closed

    def warn_in_a_box(self) -> None:
        """Say failures in a message box (for a screen without a message line of its own)."""
        self.failed.connect(self._warn)

    def _warn(self, sentence: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning, self.tr("Export PDF"), sentence, parent=self._parent
        )
        box.setObjectName("pdfExportProblem")
        box.open()  # not exec(): the window keeps working

    def button(self, object_name: str) -> QPushButton:
        """The screen's button, named `object_name`, for the screen to connect and place."""
        button = QPushButton(self.tr("Export PDF…"), self._parent)
        button.setObjectName(object_name)
        button.setToolTip(self.tr("Save as a PDF to print or send; it opens when saved"))
        return button

    def ask(self, kind: str, options: ReportOptions, file_name: str) -> None:
        """Ask where to save the report (`file_name` suggested), then export it there."""
        chosen, _filter = QFileDialog.getSaveFileName(
            self._parent,
            self.tr("Export PDF"),
            str(Path.home() / file_name),
            self.tr("PDF documents (*.pdf)"),
        )
        if chosen:
            path = Path(chosen)
            if path.suffix.lower() != ".pdf":
                # Added, never put in place of what follows a dot: "报价 2026.03" is a name,
                # and "报价 2026.pdf" may be another file the dialog never asked about.
                path = path.with_name(path.name + ".pdf")
            self.export_to(path, kind, options)

    def export_to(self, path: Path, kind: str, options: ReportOptions) -> None:
        store, user_id = self._writer.store, self._writer.user_id
        chosen = replace(options, user_id=user_id, region=self._writer.region)

        def build() -> int:
            with store.read() as session:
                me = session.get(User, user_id)
                signed = replace(chosen, printed_by=me.name if me is not None else "")
                return build_report(kind, session, signed, path)

        self._runner.submit(build, partial(self._built, path), self._refused)

    def _built(self, path: Path, _pages: Any) -> None:
        self.written.emit(str(path))
        if self.open_after:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def _refused(self, error: BaseException) -> None:
        """A sentence for the screen: the report's own, the file's, or the runner's."""
        if isinstance(error, ReportError):
            self.failed.emit(error.text())
        elif isinstance(error, OSError):
            self.failed.emit(
                self.tr("Could not write %1: %2")
                .replace("%1", str(getattr(error, "filename", "") or ""))
                .replace("%2", plain_reason(error))
            )
        else:
            self.failed.emit(describe_error(error))
