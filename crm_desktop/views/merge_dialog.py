"""Merge customers (or contacts of one customer) that are one: the user picks the record to
keep and, for each field where they differ, the value it keeps. Everything of the others moves
to the kept one (services/merging.py), a group of any size in one step; the main window offers
to undo it."""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.fields import FIELDS_BY_NAME, Kind
from crm_desktop.queries.reader import Reader
from crm_desktop.services.changes import ChangeSet
from crm_desktop.services.merging import merge_fields, merge_group
from crm_desktop.services.writer import Writer
from crm_desktop.views.display import format_value
from crm_desktop.views.runner import Runner, describe_error

# A customer's owner's name, read with the record (no column of its own).
OWNER_NAME = "_owner_name"
# Wider than this many records, the columns scroll sideways rather than grow the dialog.
COLUMNS_SHOWN = 4


class MergeDialog(QDialog):
    """`ids`: two records or more; the one entered first is kept unless the user chooses
    another."""

    merged = Signal(object)  # ChangeSet, its undo a MergeUndo (a MergedGroup for more than two)

    def __init__(
        self,
        entity: str,
        ids: list[str],
        runner: Runner,
        reader: Reader,
        writer: Writer,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        assert len(ids) >= 2, ids
        self.entity, self.ids = entity, list(ids)
        self._runner, self._reader, self._writer = runner, reader, writer
        self.records: list[dict[str, Any]] = []
        self.setObjectName("mergeDialog")
        count = len(self.ids)
        self.setWindowTitle(
            self.tr("Merge %n customer(s)", "", count)
            if entity == "customers"
            else self.tr("Merge %n contact(s)", "", count)
        )
        self.resize(480 + 200 * min(count, COLUMNS_SHOWN), 520)
        explanation = QLabel(
            self.tr(
                "Choose the record to keep and, where they differ, the value it keeps. "
                "Everything of the others (contacts, opportunities, tasks, follow-ups, "
                "contracts and payments) moves to the kept one, and the others are deleted. "
                "You can undo the merge right after."
            )
            if entity == "customers"
            else self.tr(
                "Choose the contact to keep and, where they differ, the value it keeps. The "
                "opportunities and follow-ups of the others move to the kept one, and the "
                "others are deleted. You can undo the merge right after."
            )
        )
        explanation.setWordWrap(True)
        self.keep_group = QButtonGroup(self)
        self.keep_buttons = [QRadioButton() for _ in self.ids]
        for number, button in enumerate(self.keep_buttons):
            button.setObjectName(f"keepRecord{number}")
            self.keep_group.addButton(button, number)
        self.keep_buttons[0].setChecked(True)
        self.keep_group.idToggled.connect(self._keep_changed)
        self.grid = QGridLayout()
        for column in range(count):
            self.grid.setColumnStretch(column + 1, 1)
        holder = QWidget()
        holder.setLayout(self.grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(holder)
        # field name -> the group of its choices, one a record (only fields where they differ)
        self.choices: dict[str, QButtonGroup] = {}
        self.message = QLabel()
        self.message.setObjectName("mergeMessage")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.merge_button = buttons.addButton(
            self.tr("Merge"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.setEnabled(False)
        self.merge_button.clicked.connect(self.merge)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self._runner.submit(self._read_all, self._loaded)

    def _read_all(self) -> list[dict[str, Any] | None]:
        """The records, a customer's with its owner's name (under OWNER_NAME)."""
        records = [self._reader.record(self.entity, row_id) for row_id in self.ids]
        for record in records:
            owner = record.get("owner_id") if record is not None else None
            if record is not None and owner:
                user = self._reader.record("users", owner)
                record[OWNER_NAME] = (user or {}).get("name") or owner
        return records

    def _loaded(self, records: list[dict[str, Any] | None]) -> None:
        if any(record is None for record in records):
            self._show_problem(self.tr("One of the records was deleted meanwhile."))
            return
        self.records = [record for record in records if record is not None]
        fields = FIELDS_BY_NAME[self.entity]
        keep = QLabel(self.tr("Keep"))
        keep.setStyleSheet("font-weight: bold;")
        self.grid.addWidget(keep, 0, 0)
        for number, button in enumerate(self.keep_buttons):
            button.setText(str(self.records[number].get("name") or ""))
            self.grid.addWidget(button, 0, number + 1)
        row = 1
        if self.entity == "customers":
            # Not chosen here (the kept one keeps its owner): said, so that a rep's customer is
            # not kept as a newer import of the clerk's without anyone seeing it.
            for label, values in (
                (self.tr("Owner"), [record.get(OWNER_NAME) for record in self.records]),
                (
                    self.tr("Entered"),
                    [format_value(Kind.DATETIME, r.get("created_at")) for r in self.records],
                ),
            ):
                self.grid.addWidget(QLabel(label), row, 0)
                for number, value in enumerate(values):
                    shown = QLabel(str(value) if value else self.tr("(none)"))
                    shown.setObjectName(f"mergeInfo{row}_{number}")
                    self.grid.addWidget(shown, row, number + 1)
                row += 1
        for name in merge_fields(self.entity):
            values = [record.get(name) for record in self.records]
            if all(value == values[0] for value in values):
                continue
            field = fields[name]
            group = QButtonGroup(self)
            self.grid.addWidget(QLabel(field.display_label()), row, 0)
            for number, value in enumerate(values):
                text = format_value(field.kind, value) or self.tr("(empty)")
                choice = QRadioButton(text)
                choice.setObjectName(f"merge_{name}_{number}")
                group.addButton(choice, number)
                self.grid.addWidget(choice, row, number + 1)
            self.choices[name] = group
            row += 1
        self.grid.setRowStretch(row + 1, 1)  # the rows stay together at the top
        if not self.choices:
            self.grid.addWidget(
                QLabel(self.tr("The records hold the same values.")),
                row,
                0,
                1,
                len(self.records) + 1,
            )
        # The record entered first is kept unless the user chooses another: it carries the
        # history, and its owner has been working it (a newer import takes its place in
        # nothing); a field it has empty takes the value of the next one entered that has one.
        self.keep_buttons[self._entry_order()[0]].setChecked(True)
        self._keep_changed(self.keep_group.checkedId(), True)
        self.merge_button.setEnabled(True)

    def _entry_order(self) -> list[int]:
        """The records' places, the one entered first first (the list's order for a tie)."""
        entered = [str(record.get("created_at") or "") for record in self.records]
        return sorted(range(len(self.records)), key=lambda at: entered[at])

    def _keep_changed(self, kept: int, checked: bool) -> None:
        """Each field starts with the kept record's value, or, where it has none, the value of
        the record entered first that has one."""
        if not checked or not self.records:
            return
        order = [kept, *(at for at in self._entry_order() if at != kept)]
        for name, group in self.choices.items():
            filled = [at for at in order if self.records[at].get(name) not in (None, "")]
            group.button(filled[0] if filled else kept).setChecked(True)

    def kept_and_merged(self) -> tuple[str, list[str]]:
        kept = self.keep_group.checkedId()
        return self.ids[kept], [row_id for at, row_id in enumerate(self.ids) if at != kept]

    def chosen_of(self) -> dict[str, dict[str, Any]]:
        """Each record merged away, in the list's order, with the values the kept record takes
        from it."""
        kept = self.keep_group.checkedId()
        chosen: dict[str, dict[str, Any]] = {
            row_id: {} for at, row_id in enumerate(self.ids) if at != kept
        }
        for name, group in self.choices.items():
            source = group.checkedId()
            if source != kept:
                chosen[self.ids[source]][name] = self.records[source].get(name)
        return chosen

    def chosen_values(self) -> dict[str, Any]:
        """The values the kept record takes from the others."""
        return {
            name: value for values in self.chosen_of().values() for name, value in values.items()
        }

    def merge(self) -> None:
        kept, _merged = self.kept_and_merged()
        work = partial(merge_group, self._writer, self.entity, kept, self.chosen_of())
        self.merge_button.setEnabled(False)
        self._runner.write(work, self._done, self._failed)

    def _done(self, changes: ChangeSet) -> None:
        self.merged.emit(changes)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.merge_button.setEnabled(True)
        self._show_problem(describe_error(error))

    def _show_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()
