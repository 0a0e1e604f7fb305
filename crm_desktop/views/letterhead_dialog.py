"""Company letterhead…: an administrator sets the header and logo that quotes printed as PDF
carry, on the server, for every device.

The letterhead is read from the server when the dialog opens (nothing of it is edited offline),
with who last changed it; Save sends the changed fields in one transaction, so a value the
server refuses keeps all of them as they were, and says why. The logo is read from its file and
checked off the GUI thread, and shown as the quote will print it.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.profile import Profile
from crm_desktop.sync import company
from crm_desktop.sync.server.admin import LETTERHEAD_LABELS, LETTERHEAD_LIMITS, ServerLetterhead
from crm_desktop.views.runner import Runner, describe_error
from crm_desktop.views.server_errors import describe_server_error
from crm_desktop.views.sync_controller import SyncController

# The logo's preview, about as large as it prints at the head of a quote.
LOGO_BOX = QSize(240, 96)
# Refusals in the colour the connect dialog uses for them; progress in the usual one.
ERROR_STYLE = "color: #b00020;"


class LetterheadDialog(QDialog):
    loaded = Signal()  # the letterhead arrived from the server
    logo_shown = Signal()  # a logo chosen from a file passed the checks and is shown
    saved = Signal()  # the server took the changes
    failed = Signal(str)  # the sentence shown

    def __init__(
        self,
        profile: Profile,
        network: Runner,
        sync: SyncController,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._profile, self._network, self._sync = profile, network, sync
        self._read: ServerLetterhead | None = None
        self._logo: bytes | None = None  # as it will be saved
        self.setObjectName("letterheadDialog")
        self.setWindowTitle(self.tr("Company letterhead"))
        self.setModal(True)
        self.resize(560, 440)

        intro = QLabel(
            self.tr(
                "Quotes printed as PDF carry this header and logo. It is kept on the server and "
                "is the same on every computer, which gets it at its next sync."
            )
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for key, label in LETTERHEAD_LABELS.items():
            field = QLineEdit()
            field.setObjectName(f"letterhead_{key}")
            field.setMaxLength(LETTERHEAD_LIMITS[key])  # the server's limit, refused before
            field.setEnabled(False)
            form.addRow(QCoreApplication.translate("Letterhead", label), field)
            self.fields[key] = field
        self.fields["name"].setPlaceholderText(self.tr("Without a name, quotes print no header"))

        self.logo_preview = QLabel()
        self.logo_preview.setObjectName("letterheadLogo")
        self.logo_preview.setFixedSize(LOGO_BOX)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.choose_logo_button = QPushButton(self.tr("Choose logo…"))
        self.choose_logo_button.setObjectName("letterheadChooseLogo")
        self.choose_logo_button.setToolTip(self.tr("A PNG or JPEG image of at most 512 KiB"))
        self.choose_logo_button.clicked.connect(self.choose_logo)
        self.remove_logo_button = QPushButton(self.tr("Remove logo"))
        self.remove_logo_button.setObjectName("letterheadRemoveLogo")
        self.remove_logo_button.clicked.connect(self.remove_logo)
        logo_buttons = QVBoxLayout()
        logo_buttons.addWidget(self.choose_logo_button)
        logo_buttons.addWidget(self.remove_logo_button)
        logo_buttons.addStretch(1)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_preview)
        logo_row.addLayout(logo_buttons)
        logo_row.addStretch(1)
        form.addRow(self.tr("Logo"), logo_row)
        self._show_logo(None)
        self._logo_enabled(False)

        self.changed_by = QLabel()
        self.changed_by.setObjectName("letterheadChanged")
        self.changed_by.setEnabled(False)  # drawn greyed: a note, not a field
        self.status = QLabel(self.tr("Reading the letterhead from the server…"))
        self.status.setObjectName("letterheadStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("letterheadSave")
        self.save_button.setEnabled(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.changed_by)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        work = partial(company.read_letterhead, profile, sync.password)
        network.submit(work, self._show, self._failed)

    # -- reading ------------------------------------------------------------------------------

    def _show(self, read: ServerLetterhead) -> None:
        self._read = read
        for key, field in self.fields.items():
            field.setText(getattr(read, key) or "")
            field.setEnabled(True)
        self._logo = read.logo
        self._show_logo(read.logo)
        self._logo_enabled(True)
        when = read.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")  # the user's clock
        self.changed_by.setText(
            self.tr("Last changed by %1, %2").replace("%1", read.updated_by).replace("%2", when)
        )
        self.status.setText("")
        self.save_button.setEnabled(True)
        self.fields["name"].setFocus()
        self.loaded.emit()

    # -- the logo -----------------------------------------------------------------------------

    def choose_logo(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Choose the company logo"),
            "",
            self.tr("Images (*.png *.jpg *.jpeg);;All files (*)"),
        )
        if chosen:
            self.use_logo_file(chosen)

    def use_logo_file(self, path: str) -> None:
        """Read and check the file off the GUI thread; shown when it passes."""
        self._logo_enabled(False)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Reading the logo…"))
        self._network.submit(
            partial(company.load_logo, path),
            partial(self._logo_loaded, Path(path).name),
            self._logo_failed,
        )

    def _logo_loaded(self, file: str, data: bytes) -> None:
        self._logo_enabled(True)
        # The server checks the signature; a file that has one but is damaged is caught here,
        # by the decoder the quotes are drawn with, before every device has to print it.
        if QImage.fromData(data).isNull():
            self._refuse(
                self.tr("The logo “%1” is damaged and cannot be shown.").replace("%1", file)
            )
            return
        self._logo = data
        self._show_logo(data)
        self.status.setText("")
        self.logo_shown.emit()

    def _logo_failed(self, error: BaseException) -> None:
        self._logo_enabled(True)
        self._refuse(describe_error(error))

    def remove_logo(self) -> None:
        self._logo = None
        self._show_logo(None)

    def _show_logo(self, data: bytes | None) -> None:
        pixmap = QPixmap()
        if data is not None and pixmap.loadFromData(data):
            box = self.logo_preview.contentsRect().size()
            self.logo_preview.setPixmap(
                pixmap.scaled(
                    box,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(self.tr("No logo"))
        self.remove_logo_button.setEnabled(data is not None and self._read is not None)

    def _logo_enabled(self, enabled: bool) -> None:
        ready = enabled and self._read is not None
        self.choose_logo_button.setEnabled(ready)
        self.remove_logo_button.setEnabled(ready and self._logo is not None)

    def has_logo(self) -> bool:
        """Whether a logo is shown (the one read, or one chosen since)."""
        return self._logo is not None

    # -- saving -------------------------------------------------------------------------------

    def changes(self) -> dict[str, object]:
        """The fields the user changed since the letterhead was read (the logo as "logo")."""
        if self._read is None:
            return {}
        values: dict[str, object] = {}
        for key, field in self.fields.items():
            text = field.text().strip()
            if text != (getattr(self._read, key) or ""):
                values[key] = text
        if self._logo != self._read.logo:
            values["logo"] = self._logo
        return values

    def save(self) -> None:
        values = self.changes()
        if not values:
            self.accept()
            return
        self.save_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Saving…"))
        work = partial(company.save_letterhead, self._profile, values, self._sync.password)
        self._network.submit(work, self._saved, self._failed)

    def _saved(self, _read: ServerLetterhead) -> None:
        self.status.setText("")
        self.saved.emit()
        # Quotes print the device's own copy, which a sync brings: this device's too.
        self._sync.sync_now()
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._refuse(describe_server_error(error))
        self.save_button.setEnabled(self._read is not None)

    def _refuse(self, sentence: str) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(sentence)
        self.failed.emit(sentence)
