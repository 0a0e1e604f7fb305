"""A customer chosen by typing what one knows of it: part of its name or pinyin, a phone, an ID
or plate number. The matches come from the customers list's own search (on the storage thread)
and drop down under the field; choosing one picks that customer. A task planned from the
calendar or the Tasks list is tied to its customer so.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial

from PySide6.QtCore import QModelIndex, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLineEdit, QWidget

from crm_desktop.models.dates import local_date
from crm_desktop.models.phones import display_phone
from crm_desktop.queries.reader import Reader
from crm_desktop.queries.tables import FoundCustomer
from crm_desktop.views.display import local_minute
from crm_desktop.views.runner import Runner

# Matches shown under the field: enough to find one among namesakes, few enough to read.
SHOWN_MATCHES = 12
TYPING_PAUSE_MS = 200
# Of an address, what a line of the drop-down shows (the whole of it in the line's tooltip).
SHOWN_ADDRESS = 30
# The drop-down's widest (pixels): wider than the field where its lines need it.
MOST_POPUP_WIDTH = 720
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

    def unresolved(self) -> bool:
        """Something typed that names no customer chosen: saved so, the record would be about
        nobody, which the user did not ask for."""
        return bool(self.text().strip()) and self._customer_id is None

    def forget_choice(self) -> None:
        """The customer chosen is gone (deleted or merged meanwhile): its name stays typed, to
        be chosen again."""
        self._forget()

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
        # The matches of what was typed before are not offered for what is typed now: Enter
        # would choose the first of them.
        self._completer.popup().hide()
        self.matches.clear()
        self._timer.start()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        # Enter before the matches came: they are asked for at once, rather than the form saved
        # with a customer half typed. (With the matches shown, Enter chooses the one marked:
        # the drop-down's own, once this field has passed the key on.)
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and self.unresolved() and not self.completer_popup().isVisible():
            self._timer.stop()
            self._ask()
            return
        super().keyPressEvent(event)

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

    def _found(self, typed: str, found: list[FoundCustomer]) -> None:
        if typed != self.text().strip() or self._customer_id is not None:
            return  # typed on, or chosen meanwhile: an older answer
        self.matches.clear()
        for customer, line in zip(found, self._lines(found), strict=True):
            item = QStandardItem(line)
            item.setData(customer.id, _ID_ROLE)
            item.setData(customer.name, _NAME_ROLE)
            if customer.address:
                item.setToolTip(customer.address)
            item.setEditable(False)
            self.matches.appendRow(item)
        if not found:
            item = QStandardItem(self.tr("No customer matches “%1”.").replace("%1", typed))
            item.setEnabled(False)
            item.setSelectable(False)
            self.matches.appendRow(item)
        if self.hasFocus():
            self._completer.complete(self._popup_area())

    def _popup_area(self) -> QRect:
        """Under the field, as wide as its longest line needs (up to MOST_POPUP_WIDTH), so an
        address is not cut off again by the field's width."""
        metrics = self.fontMetrics()
        texts = [self.matches.item(row).text() for row in range(self.matches.rowCount())]
        needed = max((metrics.horizontalAdvance(text) for text in texts), default=0)
        scroll_bar = self._completer.popup().verticalScrollBar().sizeHint().width()
        width = max(self.width(), min(needed + scroll_bar + 24, MOST_POPUP_WIDTH))
        return QRect(0, 0, width, self.height())

    def _lines(self, found: list[FoundCustomer]) -> list[str]:
        """The drop-down's lines: namesakes with nothing else to tell them apart say when each
        was entered (the day, or the minute for two of one day)."""
        lines = [self._line(customer) for customer in found]
        for when in (_entered_day, local_minute):
            alike = [at for at, line in enumerate(lines) if lines.count(line) > 1]
            for at in alike:
                entered = when(found[at].created_at)
                lines[at] = (
                    self._line(found[at]) + "    " + self.tr("entered %1").replace("%1", entered)
                )
        return lines

    @staticmethod
    def _line(customer: FoundCustomer) -> str:
        """A customer as the drop-down shows it: its name, then its phone and (the start of)
        its address, which tell namesakes apart."""
        parts = [customer.name]
        if customer.phone:
            parts.append(display_phone(customer.phone))
        if customer.address:
            address = customer.address
            if len(address) > SHOWN_ADDRESS:
                address = address[: SHOWN_ADDRESS - 1] + "…"
            parts.append(address)
        return "    ".join(parts)

    def _chosen(self, index: QModelIndex) -> None:
        customer_id = index.data(_ID_ROLE)
        if not customer_id:
            return
        self._timer.stop()
        self._customer_id = str(customer_id)
        self.setText(str(index.data(_NAME_ROLE)))  # the name alone, not the phone beside it
        self.picked.emit(self._customer_id)


def _entered_day(created_at: datetime) -> str:
    return local_date(created_at).isoformat()
