"""One editor widget per field kind, with a plain-words error line beside it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QValidator, QWheelEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from crm_desktop.models.dates import TypedDateError
from crm_desktop.models.fields import Field, Kind
from crm_desktop.models.numbers import plain_number, typed_digits
from crm_desktop.models.phones import DEFAULT_REGION, display_phone, normalize_phone
from crm_desktop.models.rules import clean_value
from crm_desktop.models.validation import InvalidInput
from crm_desktop.views.date_edit import DateEdit
from crm_desktop.views.display import choice_label, local_datetime

# What a phone field shows until something is typed: a landline's example for a desk phone
# ("phone", models/fields.py), a mobile's for the others (a mobile, another phone).
LANDLINE_FIELDS = frozenset({"phone"})
LANDLINE_EXAMPLE = "010 1234 5678"
MOBILE_EXAMPLE = "138 0013 8000"


def phone_example(name: str) -> str:
    return LANDLINE_EXAMPLE if name in LANDLINE_FIELDS else MOBILE_EXAMPLE


class _WheelOnlyWhenFocused:
    """A list or number box that the mouse wheel changes only once the user is in it: rolled
    over on the way down a form, the wheel scrolls the form, as everywhere else, instead of
    changing a grade or an amount unseen. Mixed in before the Qt class it guards."""

    def __init__(self) -> None:
        super().__init__()
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # type: ignore[attr-defined]

    def wheelEvent(self, event: QWheelEvent) -> None:  # Qt override
        if self.hasFocus():  # type: ignore[attr-defined]
            super().wheelEvent(event)  # type: ignore[misc]
        else:
            event.ignore()  # to the form that holds it


class WheelGuardedComboBox(_WheelOnlyWhenFocused, QComboBox):
    pass


class AmountBox(_WheelOnlyWhenFocused, QDoubleSpinBox):
    """A number or an amount, read as models/numbers.py reads typed text: full-width digits and
    the full stop of a Chinese input method become the digits and point they are
    (１２３４。５ is 1234.5, not 12345), and a comma counts only between thousands.

    Text it cannot read (12,50) is not taken for the last amount it could: the box keeps it,
    `typed()` gives it to the form, whose saving then says what is wrong, and leaving the box or
    pressing Enter says so at once (`unreadable`)."""

    unreadable = Signal(str)  # the text as typed, without the prefix

    def _body(self, text: str) -> str:
        """The text without the box's prefix (¥)."""
        return text.removeprefix(self.prefix()).strip()

    def validate(self, text: str, position: int) -> object:
        plain = typed_digits(text)
        state, fixed, position = super().validate(plain, position)
        if state == QValidator.State.Acceptable and plain_number(self._body(fixed)) is None:
            state = QValidator.State.Intermediate  # 12,5 on its way to 12,500
        return state, fixed, position

    def valueFromText(self, text: str) -> float:
        return super().valueFromText(typed_digits(text))

    def fixup(self, text: str) -> str:
        # Qt's own fixup drops every group separator, making 12,50 the 1,250 it must not be;
        # left as it is, the box goes back to its last amount instead.
        if plain_number(self._body(text)) is None:
            return text
        return super().fixup(text)

    def typed(self) -> str | None:
        """What is typed, when the box cannot read it as an amount; None when it can."""
        if self.hasAcceptableInput():
            return None
        return self._body(self.lineEdit().text())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        # Enter makes Qt's spin box put its last amount back too, then the form saves that:
        # the text stays, and the key goes on to the form, whose saving refuses it.
        typed = self.typed()
        if typed and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.unreadable.emit(typed)
            event.ignore()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # Qt override
        typed = self.typed()
        if not typed:
            super().focusOutEvent(event)
            return
        # Qt's spin box would put its last amount back (12, typed on the way to 12,50), which
        # saving would then store: the text stays, for the user to correct, and saving refuses.
        self.unreadable.emit(typed)
        QWidget.focusOutEvent(self, event)
        self.lineEdit().event(event)  # the cursor stops blinking, as in any other field


class _SpinBox(_WheelOnlyWhenFocused, QSpinBox):
    pass


class FieldEditor(QWidget):
    """A labelled field: the input widget, and an error line shown only when something's wrong.

    `region`: the profile's phone region, by which a phone typed without its country code is
    read and shown (the writer saves it by the same)."""

    edited = Signal()

    def __init__(
        self, field: Field, parent: QWidget | None = None, region: str = DEFAULT_REGION
    ) -> None:
        super().__init__(parent)
        self.field = field
        self.region = region
        self.input = self._make_input()
        self.input.setObjectName(f"field_{field.name}")
        self.input.setAccessibleName(field.display_label())
        self.error = QLabel()
        self.error.setObjectName(f"error_{field.name}")
        self.error.setStyleSheet("color: #b00020;")
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.input, 1)
        if field.kind in (Kind.DATE, Kind.DATETIME) and not field.required:
            clear = QToolButton()
            clear.setText("✕")
            clear.setToolTip(self.tr("Clear the date"))
            clear.setAccessibleName(self.tr("Clear the date"))
            clear.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            clear.clicked.connect(lambda: self.set_value(None))
            row.addWidget(clear)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.setFocusProxy(self.input)
        # A list's value that none of its options holds: a reference whose options arrive from
        # the storage thread after its value is set, or one the list cannot offer (a deleted
        # contact). It stays the field's value until the user picks another option, so a list
        # that cannot be filled never turns into a NULL on save.
        self._awaited_choice: Any = None
        # Values a record holds that its list does not offer (a customer owned by a user who
        # is no rep or manager now): shown as they are, kept through a new list.
        self._held_choices: dict[Any, str] = {}

    def _make_input(self) -> QWidget:
        kind = self.field.kind
        if kind is Kind.LONG_TEXT:
            widget: QWidget = QPlainTextEdit()
            widget.setTabChangesFocus(True)
            widget.setFixedHeight(64)
            # Its form row as high as the box: an expanding box of fixed height took a
            # stretched row and sat in its middle, far below its label.
            widget.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            widget.textChanged.connect(self.edited)
        elif kind in (Kind.CHOICE, Kind.REF):
            widget = WheelGuardedComboBox()
            if kind is Kind.CHOICE:
                if not self.field.required:
                    widget.addItem("", None)
                for code in self.field.choices:
                    widget.addItem(choice_label(code), code)
            widget.currentIndexChanged.connect(self._choice_picked)
            # Picking the option already showing (the blank one, under a value it cannot
            # show) changes no index, but is a choice all the same.
            widget.activated.connect(self._choice_picked)
        elif kind is Kind.MONEY or kind is Kind.NUMBER:
            widget = AmountBox()
            widget.unreadable.connect(self._amount_unreadable)
            widget.setRange(self.field.minimum or 0, self.field.maximum or 1e12)
            widget.setDecimals(2)
            if self.field.required:
                # A hundredth below the least it takes stands for "not filled in yet": shown
                # empty, read as no value, so saving says the field is required (rather than
                # saving the least amount the box starts at).
                widget.setMinimum(widget.minimum() - 0.01)
                widget.setSpecialValueText(" ")
                widget.setValue(widget.minimum())
            widget.setGroupSeparatorShown(True)
            if kind is Kind.MONEY:
                widget.setPrefix("¥ ")
            widget.valueChanged.connect(self.edited)
        elif kind is Kind.INTEGER:
            widget = _SpinBox()
            widget.setRange(int(self.field.minimum or 0), int(self.field.maximum or 2**31 - 1))
            widget.valueChanged.connect(self.edited)
        elif kind is Kind.BOOL:
            widget = QCheckBox()
            widget.toggled.connect(self.edited)
        elif kind in (Kind.DATE, Kind.DATETIME):
            widget = DateEdit(with_time=kind is Kind.DATETIME)
            widget.line_edit.setAccessibleName(self.field.display_label())
            widget.edited.connect(self.edited)
            widget.checked.connect(self._date_checked)
        else:
            widget = QLineEdit()
            widget.setMaxLength(self.field.max_length)
            widget.textChanged.connect(self.edited)
            if kind is Kind.PHONE:
                widget.setPlaceholderText(phone_example(self.field.name))
                widget.editingFinished.connect(self.check_phone)
        return widget

    def _choice_picked(self) -> None:
        self._awaited_choice = None
        self.edited.emit()

    def set_choices(self, options: list[tuple[str, str]], allow_blank: bool = True) -> None:
        """Fill a reference field's list with (id, label) pairs, keeping the current value."""
        combo = self.input
        assert isinstance(combo, QComboBox)
        current = self.value()
        combo.blockSignals(True)
        combo.clear()
        if allow_blank:
            combo.addItem("", None)
        for value, label in options:
            combo.addItem(label, value)
        for value, label in self._held_choices.items():
            if combo.findData(value) < 0:
                combo.addItem(label, value)
        combo.blockSignals(False)
        self.set_value(current)

    def hold_choice(self, value: Any, label: str) -> None:
        """Show `value`, which the record holds, under `label` though the list does not offer
        it, and keep it through a new list."""
        combo = self.input
        assert isinstance(combo, QComboBox)
        self._held_choices[value] = label
        if combo.findData(value) < 0:
            combo.blockSignals(True)
            combo.addItem(label, value)
            combo.blockSignals(False)
        if self._awaited_choice == value:
            self.set_value(value)

    def value(self) -> Any:
        widget, kind = self.input, self.field.kind
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, QComboBox):
            if self._awaited_choice is not None:
                return self._awaited_choice
            return widget.currentData()
        if isinstance(widget, AmountBox) and widget.typed() is not None:
            return widget.typed()  # for saving to refuse with its sentence, not an old amount
        if isinstance(widget, QDoubleSpinBox):
            amount = widget.value()
            if widget.specialValueText() and amount == widget.minimum():
                return None  # the empty state of a required amount
            return round(amount * 100) if kind is Kind.MONEY else amount
        if isinstance(widget, QSpinBox):
            return widget.value()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, DateEdit):
            picked = widget.value()
            if isinstance(picked, datetime) and kind is Kind.DATETIME:
                # The user reads and types local time; the store keeps UTC.
                return picked.astimezone(UTC).replace(tzinfo=None)
            # A date, None for no date, or text that is not a date: saving refuses that with
            # its sentence rather than storing no date.
            return picked
        assert isinstance(widget, QLineEdit)
        return widget.text()

    def set_value(self, value: Any) -> None:
        widget, kind = self.input, self.field.kind
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value or "")
        elif isinstance(widget, QComboBox):
            position = widget.findData(value)
            widget.setCurrentIndex(max(position, 0))  # clears what was awaited (_choice_picked)
            self._awaited_choice = value if position < 0 else None
        elif isinstance(widget, QDoubleSpinBox):
            if value is None and widget.specialValueText():
                widget.setValue(widget.minimum())
            else:
                widget.setValue((value or 0) / 100 if kind is Kind.MONEY else (value or 0))
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value or 0))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, DateEdit):
            if isinstance(value, datetime) and kind is Kind.DATETIME:
                value = local_datetime(value)  # stored as UTC, shown as the user's clock
            widget.setValue(value if isinstance(value, date | str) else None)
        elif isinstance(widget, QLineEdit):
            phone = kind is Kind.PHONE and value
            widget.setText(str(display_phone(value, self.region) if phone else value or ""))

    def show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))

    def _amount_unreadable(self, typed: str) -> None:
        """Say beside the field why what was typed is no amount, as saving would."""
        try:
            clean_value(self.field, typed, self.region)
        except InvalidInput as problem:
            self.show_error(problem.text())

    def _date_checked(self, problem: TypedDateError | None) -> None:
        """Say at once, beside the field, when typed text is not a date."""
        if problem is None:
            self.show_error(None)
        else:
            label = self.field.display_label()
            self.show_error(
                InvalidInput(
                    self.field.name, problem.message, field=label, value=problem.value
                ).text()
            )

    def check_phone(self) -> None:
        """Say at once, beside the field, when a typed phone number can't be a number."""
        try:
            normalize_phone(
                self.value(), self.region, field=self.field.name, label=self.field.display_label()
            )
        except InvalidInput as error:
            self.show_error(error.text())
        else:
            self.show_error(None)
