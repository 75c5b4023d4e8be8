"""One input widget per field kind of the schema, each reporting a value once it is edited.

A ``FieldInput`` shows a stored value (``set_value``) and emits ``committed`` with the new value
when the user has finished editing it (focus leaves the field, Return, a choice is picked), and
only if it differs from the stored one. The editor saves it at once through a service function.

While a field holds text that is not saved yet, Ctrl+Z undoes the typing inside the field;
otherwise the shortcut reaches the window's « Annuler », which undoes the last saved change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QDateTime,
    QEvent,
    QKeyCombination,
    QObject,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QFocusEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QToolButton,
    QWidget,
)

from registre.errors import InvalidValue
from registre.schema import Field, Kind
from registre.services import coerce
from registre.vocabularies import vocabulary
from registre_ui.i18n import language

NO_DATE = QDate(1900, 1, 1)  # the minimum of a date field stands for « no date »
NO_NUMBER = -1  # likewise for a whole number
MAX_NUMBER = 999_999
LONG_TEXT_LINES = 3
LIST_VISIBLE_ROWS = 6
PARAGRAPH_SEPARATOR = "\u2029"  # how a text document separates its lines

Option = tuple[str, str]  # (stored key, label shown)
REDO_KEYS = QKeyCombination(
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier, Qt.Key.Key_Z
)


def field_options(spec: Field, lang: str | None = None) -> list[tuple[str, str, str]]:
    """(key, label, help) of each choice of a CHOICE or MULTICHOICE field."""
    lang = lang or language()
    if spec.choices:
        return [
            (choice.key, choice.label_en if lang == "en" else choice.label_fr, "")
            for choice in spec.choices
        ]
    if spec.vocabulary:
        return [
            (term.key, term.label(lang), term.help_en if lang == "en" else term.help_fr)
            for term in vocabulary(spec.vocabulary).terms
        ]
    return []


def empty_label() -> str:
    """What an empty choice reads: « — » with words for screen readers in its tooltip."""
    return "—"


class FieldInput(QObject):
    """The input of one schema field: a widget, its stored value, the value being edited.

    Only a change made by the user counts: showing a value (``set_value``, new options) never
    marks the input as edited, so a record that is merely looked at is never saved. An edited
    input is committed only when its value differs from the stored one as the service would
    store it (``services.coerce``); what is committed is the text exactly as typed.
    """

    committed = Signal(object)  # the new value

    def __init__(self, spec: Field, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._stored: Any = None
        self._loading = False
        self._edited = False
        self.widget: QWidget = self._make_widget()
        self.container: QWidget = self.widget
        self.widget.setAccessibleName(spec.label(language()))
        self.widget.setAccessibleDescription(spec.help(language()))
        self.widget.installEventFilter(self)

    # -- to be provided by each kind -----------------------------------------------------------

    def _make_widget(self) -> QWidget:
        raise NotImplementedError

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def value(self) -> Any:
        """The value the input holds now (None when empty)."""
        raise NotImplementedError

    # -- shared behaviour --------------------------------------------------------------------

    @property
    def stored(self) -> Any:
        """The value last saved (or loaded)."""
        return self._stored

    def set_value(self, value: Any) -> None:
        """Show ``value`` as the stored value (emits nothing; the input is not edited)."""
        self._stored = list(value or []) if _is_list(self.spec) else value
        self._redisplay(self._stored)

    def _redisplay(self, value: Any) -> None:
        """Show ``value`` without counting it as an edit."""
        self._loading = True
        try:
            self._show(value)
        finally:
            self._loading = False
        self._edited = False

    def _user_changed(self, *_args: object) -> None:
        """The widget changed: an edit, unless it is only showing a value."""
        if not self._loading:
            self._edited = True

    def revert(self) -> None:
        """Show the stored value again."""
        self.set_value(self._stored)

    def is_dirty(self) -> bool:
        """True when the user has typed or picked a value that is not saved."""
        return self._edited and not same_value(self.spec, self.value(), self._stored)

    def finish(self) -> None:
        """Emit ``committed`` if the user changed the value (compared with the stored one)."""
        if self._loading or not self._edited:
            return
        if self.is_dirty():
            self.committed.emit(self.value())

    def set_editable(self, editable: bool) -> None:
        """Allow or forbid editing (a read-only register)."""
        self.container.setEnabled(editable)

    def focus(self) -> None:
        """Give the keyboard focus to the input."""
        self.widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Let Ctrl+Z reach the window's « Annuler » when nothing is being typed."""
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            history_key = event.matches(QKeySequence.StandardKey.Undo) or event.matches(
                QKeySequence.StandardKey.Redo
            )
            redo_key = event.keyCombination() == REDO_KEYS
            if (history_key or redo_key) and not self.is_dirty():
                event.ignore()
                return True
        return super().eventFilter(watched, event)


def _is_list(spec: Field) -> bool:
    return spec.kind in (Kind.MULTICHOICE, Kind.REFERENCES)


def same_value(spec: Field, shown: Any, stored: Any) -> bool:
    """True when saving ``shown`` would store ``stored`` again (the service's own rules).

    Lists compare as sets (the form cannot reorder them); a value the service refuses differs.
    """
    if _is_list(spec):
        return set(shown or []) == set(stored or [])
    try:
        return bool(coerce(spec, shown) == coerce(spec, stored))
    except InvalidValue:
        return False


# ---- text -----------------------------------------------------------------------------------


class TextInput(FieldInput):
    """One line of text (also e-mail, telephone, SIREN)."""

    widget: QLineEdit

    def _make_widget(self) -> QWidget:
        edit = QLineEdit()
        if self.spec.max_length:
            edit.setMaxLength(self.spec.max_length + 50)  # the service explains the limit
        edit.textChanged.connect(self._user_changed)
        edit.editingFinished.connect(self.finish)
        return edit

    def _show(self, value: Any) -> None:
        self.widget.setText("" if value is None else str(value))
        self.widget.setCursorPosition(0)

    def value(self) -> Any:
        """The typed text."""
        return self.widget.text()

    def select_all(self) -> None:
        """Select the whole text (a new record's name)."""
        self.widget.selectAll()


class _PlainTextEdit(QPlainTextEdit):
    """A multi-line text field reporting when the focus leaves it; Tab moves on."""

    focus_left = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        lines = self.fontMetrics().lineSpacing() * LONG_TEXT_LINES
        self.setFixedHeight(lines + 2 * self.frameWidth() + 10)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        """Report the end of editing."""
        super().focusOutEvent(event)
        self.focus_left.emit()


class LongTextInput(FieldInput):
    """Several lines of text."""

    widget: _PlainTextEdit

    def _make_widget(self) -> QWidget:
        edit = _PlainTextEdit()
        edit.textChanged.connect(self._user_changed)
        edit.focus_left.connect(self.finish)
        return edit

    def _show(self, value: Any) -> None:
        self.widget.setPlainText("" if value is None else str(value))

    def value(self) -> Any:
        """The typed text, exactly (``toPlainText`` would turn non-breaking spaces into spaces)."""
        return self.widget.document().toRawText().replace(PARAGRAPH_SEPARATOR, "\n")


# ---- choices ---------------------------------------------------------------------------------


class _ComboInput(FieldInput):
    """A closed list with an empty entry « — »."""

    widget: QComboBox

    def _make_widget(self) -> QWidget:
        combo = QComboBox()
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(24)
        combo.activated.connect(self._picked)
        return combo

    def _picked(self, _index: int) -> None:
        self._user_changed()
        self.finish()

    def set_options(self, options: Sequence[tuple[Any, str, str]]) -> None:
        """(value, label, help) of each entry, after the empty one (the stored value is kept)."""
        combo = self.widget
        self._loading = True
        try:
            combo.clear()
            combo.addItem(empty_label(), None)
            combo.setItemData(
                0,
                QCoreApplication.translate("FieldInput", "Non renseigné"),
                Qt.ItemDataRole.ToolTipRole,
            )
            for key, label, help_text in options:
                combo.addItem(label, key)
                if help_text:
                    combo.setItemData(combo.count() - 1, help_text, Qt.ItemDataRole.ToolTipRole)
        finally:
            self._loading = False
        self._redisplay(self._stored)

    def _show(self, value: Any) -> None:
        combo = self.widget
        position = combo.findData(value) if value is not None else 0
        if position < 0:  # a key the list no longer has: shown as stored
            combo.addItem(str(value), value)
            position = combo.count() - 1
        combo.setCurrentIndex(position)

    def value(self) -> Any:
        """The chosen key (None for « — »)."""
        return self.widget.currentData()

    def choose(self, key: Any) -> None:
        """Pick ``key`` as a user would (emits ``committed``)."""
        self.widget.setCurrentIndex(max(self.widget.findData(key), 0) if key is not None else 0)
        self._user_changed()
        self.finish()


class ChoiceInput(_ComboInput):
    """One key of the field's choices or vocabulary."""

    def _make_widget(self) -> QWidget:
        combo = super()._make_widget()
        assert isinstance(combo, QComboBox)
        combo.addItem(empty_label(), None)
        for key, label, help_text in field_options(self.spec):
            combo.addItem(label, key)
            if help_text:
                combo.setItemData(combo.count() - 1, help_text, Qt.ItemDataRole.ToolTipRole)
        return combo


class BoolInput(_ComboInput):
    """Oui / Non / — (not answered yet)."""

    def _make_widget(self) -> QWidget:
        combo = super()._make_widget()
        assert isinstance(combo, QComboBox)
        combo.setMinimumContentsLength(8)
        combo.addItem(empty_label(), None)
        combo.setItemData(
            0, QCoreApplication.translate("FieldInput", "Sans réponse"), Qt.ItemDataRole.ToolTipRole
        )
        combo.addItem(QCoreApplication.translate("FieldInput", "Oui"), True)
        combo.addItem(QCoreApplication.translate("FieldInput", "Non"), False)
        return combo

    def _show(self, value: Any) -> None:
        self.widget.setCurrentIndex({None: 0, True: 1, False: 2}.get(value, 0))


class ReferenceInput(_ComboInput):
    """One record of another list (the processor behind a software item)."""

    def set_records(self, records: Sequence[Option]) -> None:
        """The records that may be chosen, as (id, name)."""
        self.set_options([(record_id, name, "") for record_id, name in records])


class _CheckList(FieldInput):
    """Several keys, as a list of check boxes."""

    widget: QListWidget

    def _make_widget(self) -> QWidget:
        widget = QListWidget()
        widget.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        widget.itemChanged.connect(self._ticked)
        # A long label brings a horizontal scroll bar: the box grows by its height rather than
        # letting it hide a row (three natures of a breach at 200 %).
        widget.horizontalScrollBar().rangeChanged.connect(self._fit_height)
        return widget

    def _ticked(self, _item: QListWidgetItem) -> None:
        if not self._loading:
            self._user_changed()
            self.finish()

    def set_options(self, options: Sequence[tuple[str, str, str]]) -> None:
        """(key, label, help) of each check box."""
        widget = self.widget
        self._loading = True
        try:
            widget.clear()
            for key, label, help_text in options:
                item = QListWidgetItem(label)
                item.setData(Qt.ItemDataRole.UserRole, key)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                if help_text:
                    item.setToolTip(help_text)
                widget.addItem(item)
            self._fit_height()
        finally:
            self._loading = False
        self._redisplay(self._stored)

    def _fit_height(self, *_range: int) -> None:
        """As many rows as ``LIST_VISIBLE_ROWS`` allows, whole, plus the horizontal scroll bar
        when a label is wider than the box."""
        widget = self.widget
        rows = min(max(widget.count(), 1), LIST_VISIBLE_ROWS)
        height = widget.sizeHintForRow(0) if widget.count() else widget.fontMetrics().height()
        bar = widget.horizontalScrollBar()
        extra = bar.sizeHint().height() if bar.maximum() > bar.minimum() else 0
        widget.setFixedHeight(rows * max(height, 1) + 2 * widget.frameWidth() + 4 + extra)

    def _show(self, value: Any) -> None:
        chosen = set(value or [])
        widget = self.widget
        first: QListWidgetItem | None = None
        for row in range(widget.count()):
            item = widget.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            if checked and first is None:
                first = item
        # What is ticked is in view, even far down a long list (the activities concerned).
        if first is None:
            widget.scrollToTop()
        else:
            widget.scrollToItem(first, QAbstractItemView.ScrollHint.PositionAtTop)

    def value(self) -> Any:
        """The checked keys: those stored first, in their stored order, then the new ones.

        A stored key that is not among the check boxes (not listed) is kept.
        """
        widget = self.widget
        listed = {widget.item(row).data(Qt.ItemDataRole.UserRole) for row in range(widget.count())}
        checked = [
            widget.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(widget.count())
            if widget.item(row).checkState() == Qt.CheckState.Checked
        ]
        kept = [key for key in self._stored or [] if key in checked or key not in listed]
        return kept + [key for key in checked if key not in kept]

    def set_checked(self, keys: Sequence[str]) -> None:
        """Check exactly ``keys`` as a user would (emits ``committed`` once)."""
        self._loading = True
        try:
            self._show(list(keys))
        finally:
            self._loading = False
        self._user_changed()
        self.finish()


class MultiChoiceInput(_CheckList):
    """Several keys of a vocabulary."""

    def _make_widget(self) -> QWidget:
        widget = super()._make_widget()
        self.widget = widget  # type: ignore[assignment]
        self.set_options(field_options(self.spec))
        return widget


class ReferencesInput(_CheckList):
    """Several records of another list (processors, software)."""

    def set_records(self, records: Sequence[Option]) -> None:
        """The records that may be checked, as (id, name)."""
        self.set_options([(record_id, name, "") for record_id, name in records])


# ---- dates and numbers ---------------------------------------------------------------------


class _DateEdit(QDateEdit):
    """A date field that Tab leaves, like any other input.

    Qt's own walks the day, month and year, and never leaves while « — » is shown (a keyboard
    trap); the arrow keys still move between the parts.
    """

    def focusNextPrevChild(self, next: bool) -> bool:
        """Move the focus to the next or previous input."""
        return QWidget.focusNextPrevChild(self, next)


class _DateTimeEdit(QDateTimeEdit):
    """A date-and-time field that Tab leaves (see ``_DateEdit``)."""

    def focusNextPrevChild(self, next: bool) -> bool:
        """Move the focus to the next or previous input."""
        return QWidget.focusNextPrevChild(self, next)


class DateInput(FieldInput):
    """A date, or none (« — »), with a button clearing it."""

    widget: QDateTimeEdit  # a QDateEdit; a DateTimeInput's shows the time as well

    def __init__(self, spec: Field, parent: QObject | None = None) -> None:
        super().__init__(spec, parent)
        self.clear_button = QToolButton()
        self.clear_button.setText("✕")
        self.clear_button.setToolTip(QCoreApplication.translate("FieldInput", "Effacer la date"))
        self.clear_button.setAccessibleName(
            QCoreApplication.translate("FieldInput", "Effacer « {field} »").format(
                field=spec.label(language())
            )
        )
        self.clear_button.clicked.connect(self.clear)
        container = QWidget()
        layout = QHBoxLayout(container)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.widget)
        layout.addWidget(self.clear_button)
        layout.addStretch()
        self.container = container

    def _make_widget(self) -> QWidget:
        edit = _DateEdit()
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setMinimumDate(NO_DATE)
        edit.setSpecialValueText(empty_label())
        edit.setCalendarPopup(True)
        edit.setDate(NO_DATE)
        edit.dateChanged.connect(self._user_changed)
        edit.editingFinished.connect(self.finish)
        edit.calendarWidget().clicked.connect(lambda _date: self.finish())
        edit.calendarWidget().activated.connect(lambda _date: self.finish())
        return edit

    def _show(self, value: Any) -> None:
        if isinstance(value, dt.date):
            self.widget.setDate(QDate(value.year, value.month, value.day))
        else:
            self.widget.setDate(NO_DATE)

    def value(self) -> Any:
        """The date (None for « — »)."""
        date = self.widget.date()
        if date == NO_DATE:
            return None
        return dt.date(date.year(), date.month(), date.day())

    def set_date(self, value: dt.date | None) -> None:
        """Type ``value`` as a user would (emits ``committed``)."""
        self._show(value)
        self._user_changed()
        self.finish()

    def clear(self) -> None:
        """Remove the date (« Effacer »)."""
        self.set_date(None)


class DateTimeInput(DateInput):
    """A moment (a breach's discovery…), typed and shown in local time, stored in UTC."""

    def _make_widget(self) -> QWidget:
        edit = _DateTimeEdit()
        edit.setDisplayFormat("dd/MM/yyyy HH:mm")
        edit.setMinimumDateTime(QDateTime(NO_DATE, QTime(0, 0)))
        edit.setSpecialValueText(empty_label())
        edit.setCalendarPopup(True)
        edit.setDateTime(edit.minimumDateTime())
        edit.dateTimeChanged.connect(self._user_changed)
        edit.editingFinished.connect(self.finish)
        edit.calendarWidget().clicked.connect(lambda _date: self.finish())
        edit.calendarWidget().activated.connect(lambda _date: self.finish())
        return edit

    def _show(self, value: Any) -> None:
        if isinstance(value, dt.datetime):
            local = local_moment(value)
            self.widget.setDateTime(
                QDateTime(
                    QDate(local.year, local.month, local.day), QTime(local.hour, local.minute)
                )
            )
        else:
            self.widget.setDateTime(self.widget.minimumDateTime())

    def value(self) -> Any:
        """The moment typed, as an aware local time (None for « — »)."""
        shown = self.widget.dateTime()
        if shown == self.widget.minimumDateTime():
            return None
        date, time = shown.date(), shown.time()
        naive = dt.datetime(date.year(), date.month(), date.day(), time.hour(), time.minute())
        return naive.astimezone()  # the computer's time zone: what the user reads and types

    def set_moment(self, value: dt.datetime | None) -> None:
        """Type ``value`` as a user would (emits ``committed``)."""
        self._show(value)
        self._user_changed()
        self.finish()


def local_moment(value: dt.datetime) -> dt.datetime:
    """A stored moment (naive UTC) in the computer's time zone."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return aware.astimezone()


class IntegerInput(FieldInput):
    """A whole number, or none (« — »)."""

    widget: QSpinBox

    def _make_widget(self) -> QWidget:
        spin = QSpinBox()
        spin.setRange(NO_NUMBER, MAX_NUMBER)
        spin.setSpecialValueText(empty_label())
        spin.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("0000000") + 40)
        spin.valueChanged.connect(self._user_changed)
        spin.editingFinished.connect(self.finish)
        return spin

    def _show(self, value: Any) -> None:
        self.widget.setValue(value if isinstance(value, int) else NO_NUMBER)

    def value(self) -> Any:
        """The number (None for « — »)."""
        number = self.widget.value()
        return None if number == NO_NUMBER else number

    def set_number(self, value: int | None) -> None:
        """Type ``value`` as a user would (emits ``committed``)."""
        self._show(value)
        self._user_changed()
        self.finish()


_INPUTS: dict[Kind, type[FieldInput]] = {
    Kind.TEXT: TextInput,
    Kind.EMAIL: TextInput,
    Kind.PHONE: TextInput,
    Kind.SIREN: TextInput,
    Kind.LONGTEXT: LongTextInput,
    Kind.CHOICE: ChoiceInput,
    Kind.BOOL: BoolInput,
    Kind.DATE: DateInput,
    Kind.DATETIME: DateTimeInput,
    Kind.INTEGER: IntegerInput,
    Kind.MULTICHOICE: MultiChoiceInput,
    Kind.REFERENCE: ReferenceInput,
    Kind.REFERENCES: ReferencesInput,
}


def make_input(spec: Field, parent: QObject | None = None) -> FieldInput:
    """The input for ``spec``, by its kind."""
    return _INPUTS[spec.kind](spec, parent)
