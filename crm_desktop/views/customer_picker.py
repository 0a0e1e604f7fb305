"""A customer chosen by typing what one knows of it: part of its name or pinyin, a phone, an ID
or plate number. The matches come from the customers list's own search (on the storage thread)
and drop down under the field; choosing one picks that customer. A task planned from the
calendar or the Tasks list is tied to its customer so.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from crm_desktop.models.phones import display_phone
from crm_desktop.queries.reader import Reader
from crm_desktop.views.runner import Runner

# Matches shown under the field: enough to find one among namesakes, few enough to read.
SHOWN_MATCHES = 12
TYPING_PAUSE_MS = 200
_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_NAME_ROLE = Qt.ItemDataRole.UserRole + 2


class CustomerPicker(QLineEdit):
    """`picked` carries the chosen customer's id, or None once the text no longer names one."""

    picked = Signal(object)

    def __init__(self, runner: Runner, reader: Reader, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner, self._reader = runner, reader
        self._customer_id: str | None = None
        self.setObjectName("customerPicker")
        self.setClearButtonEnabled(True)
        self.setPlaceholderText(self.tr("Type a name, phone or number, then choose the customer"))
        self.matches = QStandardItemModel(self)
        self._completer = QCompleter(self)
        self._completer.setModel(self.matches)
        # The search index decides what matches (pinyin, any identifier): the popup shows all.
        self._completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self._completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._completer.setWidget(self)
        self._completer.activated[QModelIndex].connect(self._chosen)
        self._timer = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._timer.timeout.connect(self._ask)
        self.textEdited.connect(self._typed)
        # The clear button empties the field without a textEdited.
        self.textChanged.connect(lambda text: text or self._forget())

    def customer_id(self) -> str | None:
        return self._customer_id

    def completer_popup(self) -> QWidget:
        """The drop-down of matches (for the keyboard, and the tests)."""
        return self._completer.popup()

    def show_customer(self, customer_id: str | None) -> None:
        """Hold the record's own customer (None: none) as chosen, without telling anyone; the
        form sets its name once read."""
        self._timer.stop()
        self.setText("")  # (forgets any other one first)
        self._customer_id = customer_id

    def _typed(self, _text: str) -> None:
        self._forget()
        self._timer.start()

    def _forget(self) -> None:
        if self._customer_id is not None:
            self._customer_id = None
            self.picked.emit(None)

    def _ask(self) -> None:
        typed = self.text().strip()
        if not typed:
            self.matches.clear()
            return
        job = partial(self._reader.find_customers, typed, SHOWN_MATCHES)
        self._runner.submit(job, partial(self._found, typed))

    def _found(self, typed: str, found: list[tuple[str, str, str | None]]) -> None:
        if typed != self.text().strip() or self._customer_id is not None:
            return  # typed on, or chosen meanwhile: an older answer
        self.matches.clear()
        for customer_id, name, phone in found:
            shown = f"{name}    {display_phone(phone)}" if phone else name
            item = QStandardItem(shown)
            item.setData(customer_id, _ID_ROLE)
            item.setData(name, _NAME_ROLE)
            item.setEditable(False)
            self.matches.appendRow(item)
        if not found:
            item = QStandardItem(self.tr("No customer matches “%1”.").replace("%1", typed))
            item.setEnabled(False)
            item.setSelectable(False)
            self.matches.appendRow(item)
        if self.hasFocus():
            self._completer.complete()

    def _chosen(self, index: QModelIndex) -> None:
        customer_id = index.data(_ID_ROLE)
        if not customer_id:
            return
        self._timer.stop()
        self._customer_id = str(customer_id)
        self.setText(str(index.data(_NAME_ROLE)))  # the name alone, not the phone beside it
        self.picked.emit(self._customer_id)
