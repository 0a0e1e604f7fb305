"""Help → About CRM Desktop: which version this is, what it runs on, and where its files are,
so a user can tell support all of it in one paste ("Copy details")."""

from __future__ import annotations

import logging
import platform
from logging.handlers import RotatingFileHandler
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from crm_desktop import __version__
from crm_desktop.resources import resources_dir

LOG_FILE = "crm-desktop.log"  # app.setup_logging's name, for a window made without it
LICENCE = "GPL-3.0-or-later"


def log_file(profile_dir: Path) -> Path:
    """The file this process logs to: the one app.setup_logging opened (in the first profile
    the process opened), else the profile's, where it will be."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, RotatingFileHandler):  # setup_logging's kind, not a test's
            return Path(handler.baseFilename)
    return Path(profile_dir) / LOG_FILE


class AboutDialog(QDialog):
    def __init__(self, profile_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # a new one each time it is asked
        self.setWindowTitle(self.tr("About CRM Desktop"))
        icon = QLabel()
        icon.setPixmap(QIcon(str(resources_dir() / "icons" / "crm-desktop.png")).pixmap(64, 64))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        name = QLabel("<b>CRM Desktop</b>")
        name.setTextFormat(Qt.TextFormat.RichText)
        font = name.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        name.setFont(font)
        self.version = QLabel(self.tr("Version {version}").format(version=__version__))
        self.version.setObjectName("aboutVersion")
        summary = QLabel(self.tr("Offline-first CRM for field sales teams."))
        summary.setWordWrap(True)
        licence = QLabel(
            self.tr(
                "Free software under the GNU General Public License, version 3 or later"
                " ({licence}): you may share and change it under its terms. It comes with"
                " no warranty."
            ).format(licence=LICENCE)
        )
        licence.setWordWrap(True)

        # What support asks for, each selectable: the runtime and the user's own files.
        # Product names are the same in every language: not for translation.
        self.details = {
            "Qt": qVersion(),
            "PySide6": PySide6.__version__,
            "Python": platform.python_version(),
            self.tr("System"): platform.platform(terse=True),
        }
        self.profile_label = self._selectable(
            str(Path(profile_dir).resolve()), "aboutProfileFolder"
        )
        self.log_label = self._selectable(str(log_file(profile_dir).resolve()), "aboutLogFile")
        form = QFormLayout()
        for label, value in self.details.items():
            form.addRow(label, self._selectable(value))
        form.addRow(self.tr("Profile folder"), self.profile_label)
        form.addRow(self.tr("Log file"), self.log_label)
        self.details[self.tr("Profile folder")] = self.profile_label.text()
        self.details[self.tr("Log file")] = self.log_label.text()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton(
            self.tr("Copy details"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.copy_button.setObjectName("copyAboutDetails")
        self.copy_button.setToolTip(self.tr("For a message to support: version, system, files"))
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)

        text = QVBoxLayout()
        for widget in (name, self.version, summary, licence):
            text.addWidget(widget)
        text.addSpacing(8)
        text.addLayout(form)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(buttons)

    @staticmethod
    def _selectable(text: str, name: str = "") -> QLabel:
        label = QLabel(text)
        label.setObjectName(name)
        label.setTextFormat(Qt.TextFormat.PlainText)  # a path is never markup
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return label

    def details_text(self) -> str:
        lines = [f"CRM Desktop {__version__}"]
        lines += [f"{label}: {value}" for label, value in self.details.items()]
        return "\n".join(lines)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text())
