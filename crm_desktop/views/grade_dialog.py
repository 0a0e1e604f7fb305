"""A manager fixes a customer's grade by hand, with the reason, or lets the server compute it
again. The server takes the change from managers and administrators only; a refusal comes
back at the next sync as a conflict, like any other."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.choices import Grade
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.writer import Writer
from crm_desktop.views.display import choice_label
from crm_desktop.views.runner import Runner, describe_error

MAX_REASON = 300  # characters, as customers.grade_note holds


class GradeDialog(QDialog):
    def __init__(
        self,
        customer: dict[str, Any],
        runner: Runner,
        writer: Writer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.customer_id = customer["id"]
        self._runner, self._writer = runner, writer
        self.setObjectName("gradeDialog")
        self.setWindowTitle(self.tr("Fix the grade of %1").replace("%1", customer["name"]))
        explanation = QLabel(
            self.tr(
                "Grades are computed from what customers paid in the last 12 months. A grade "
                "fixed here stays as it is until you let it be computed again."
            )
        )
        explanation.setWordWrap(True)
        self.grade = QComboBox()
        self.grade.setObjectName("fixedGrade")
        for grade in Grade:
            self.grade.addItem(choice_label(grade.value), grade.value)
        current = self.grade.findData(customer.get("grade"))
        self.grade.setCurrentIndex(max(current, 0))
        self.reason = QLineEdit(customer.get("grade_note") or "")
        self.reason.setObjectName("fixedGradeReason")
        self.reason.setMaxLength(MAX_REASON)
        self.reason.setPlaceholderText(self.tr("Why, for whoever reads it later"))
        self.message = QLabel()
        self.message.setObjectName("gradeMessage")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.message.hide()
        form = QFormLayout()
        form.addRow(self.tr("Grade"), self.grade)
        form.addRow(self.tr("Reason"), self.reason)
        buttons = QDialogButtonBox()
        self.fix_button = buttons.addButton(
            self.tr("Fix this grade"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.fix_button.setObjectName("fixGradeButton")
        self.fix_button.clicked.connect(self.fix)
        self.unfix_button: QPushButton | None = None
        if customer.get("grade_fixed"):
            self.unfix_button = buttons.addButton(
                self.tr("Compute it again"), QDialogButtonBox.ButtonRole.ActionRole
            )
            self.unfix_button.setObjectName("unfixGradeButton")
            self.unfix_button.clicked.connect(self.unfix)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Cancel"))
        cancel.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def fix(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self._show(self.tr("Say why the grade is fixed; a manager reading it later will ask."))
            self.reason.setFocus()
            return
        self._save({"grade": self.grade.currentData(), "grade_fixed": True, "grade_note": reason})

    def unfix(self) -> None:
        self._save({"grade_fixed": False, "grade_note": None})

    def _save(self, values: dict[str, Any]) -> None:
        self._show(None)
        self.fix_button.setEnabled(False)
        work = partial(self._writer.update, "customers", self.customer_id, values)
        self._runner.write(work, self._saved, self._refused)

    def _saved(self, _changes: ChangeSet) -> None:
        self.accept()

    def _refused(self, error: BaseException) -> None:
        self.fix_button.setEnabled(True)
        self._show(describe_error(error))

    def _show(self, text: str | None) -> None:
        self.message.setText(text or "")
        self.message.setVisible(bool(text))
