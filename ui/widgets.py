"""Small widget helpers shared by the windows: labels that never interpret user text as HTML."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QTableView,
    QWidget,
)

from registre import passphrase as passphrase_policy
from registre_ui.i18n import language

# Boxed messages: the text says what happened; the colour only supports it.
WARNING_STYLE = (
    "QLabel { background: #fdf0e6; color: #5c2a00; border: 1px solid #e8b48a;"
    " border-radius: 4px; padding: 8px; }"
)
NOTICE_STYLE = (
    "QLabel { background: #e8f1fb; color: #0b3a66; border: 1px solid #a9c8eb;"
    " border-radius: 4px; padding: 8px; }"
)
MISSING_STYLE = "QLabel { color: #9a4d00; font-style: italic; }"


class WheelGuard(QObject):
    """The mouse wheel changes a drop-down, spin box or date only when it has the focus.

    Turned over one of them while scrolling a form, the wheel scrolls the form instead (the
    event goes on to the parent); they no longer take the focus from the wheel either.
    """

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Pass an unfocused input's wheel event on to its parent."""
        kind = event.type()
        if kind not in (QEvent.Type.Wheel, QEvent.Type.Polish):
            return False
        if not isinstance(watched, QComboBox | QAbstractSpinBox):
            return False
        if kind == QEvent.Type.Polish:
            if watched.focusPolicy() == Qt.FocusPolicy.WheelFocus:
                watched.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            return False
        if watched.hasFocus():
            return False
        event.ignore()
        return True


def install_wheel_guard() -> None:
    """Install the ``WheelGuard`` on the application (once)."""
    app = QApplication.instance()
    if app is None or app.findChild(WheelGuard) is not None:
        return
    app.installEventFilter(WheelGuard(app))


def plain_label(text: str, *, selectable: bool = False, parent: QWidget | None = None) -> QLabel:
    """A word-wrapped label showing ``text`` literally (register and user data may contain <)."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def heading_label(text: str, *, scale: float = 1.3, parent: QWidget | None = None) -> QLabel:
    """A bold, larger plain-text label."""
    label = plain_label(text, parent=parent)
    font = QFont(label.font())
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label


MIN_COLUMN_WIDTH = 60
PRIORITY_COLUMN_SHARE = 0.35  # at most this share of the width for the column that matters most


def column_cap(widths: Sequence[int], available: int, minimum: int = MIN_COLUMN_WIDTH) -> int:
    """The widest a column may be so that ``widths`` fit in ``available`` pixels.

    Narrow columns keep their width; the widest ones share what is left (never below
    ``minimum``: past that point the table scrolls sideways).
    """
    remaining = available
    ordered = sorted(widths)
    for position, width in enumerate(ordered):
        columns_left = len(ordered) - position
        if width * columns_left >= remaining:
            return max(remaining // columns_left, minimum)
        remaining -= width
    return max(ordered, default=minimum)


def fitted_widths(widths: Sequence[int], available: int, priority: int = -1) -> list[int]:
    """Column widths fitting ``available`` pixels; column ``priority`` is served first.

    The priority column (an activity's name) keeps its width up to a share of the table; the
    other columns share the rest as ``column_cap`` does.
    """
    if not 0 <= priority < len(widths):
        cap = column_cap(widths, available)
        return [min(width, cap) for width in widths]
    kept = min(widths[priority], int(available * PRIORITY_COLUMN_SHARE))
    cap = column_cap([*widths[:priority], *widths[priority + 1 :]], available - kept)
    return [kept if column == priority else min(width, cap) for column, width in enumerate(widths)]


class RecordTableView(QTableView):
    """A read-only, sortable table of records whose columns fit its width when data arrive.

    Cells too narrow for their text are elided; the model gives the full text as a tooltip.
    """

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns_fitted = False
        self._fit_scheduled = False
        self.priority_column = -1  # a column (the name) that keeps its width before the others
        self.setAccessibleName(accessible_name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSortingEnabled(True)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        """Show ``model``; its columns are fitted again each time it is reset."""
        super().setModel(model)
        if model is not None:
            model.modelReset.connect(self.refit_columns)

    def refit_columns(self) -> None:
        """Fit the columns to the contents and the width once the layout has settled."""
        self._columns_fitted = False
        if self.isVisible():
            self._schedule_fit()

    def _schedule_fit(self) -> None:
        if not self._fit_scheduled:
            self._fit_scheduled = True
            QTimer.singleShot(0, self, self._fit_columns)  # cancelled if the view goes

    def _fit_columns(self) -> None:
        self._fit_scheduled = False
        model = self.model()
        if model is None or model.columnCount() == 0 or not self.isVisible():
            return
        self._columns_fitted = True
        header = self.horizontalHeader()
        widths = [
            max(self.sizeHintForColumn(column), header.sectionSizeHint(column))
            for column in range(model.columnCount())
        ]
        # The vertical scroll bar may appear once rows are laid out: leave room for it.
        available = (
            self.width() - 2 * self.frameWidth() - self.verticalScrollBar().sizeHint().width()
        )
        for column, width in enumerate(fitted_widths(widths, available, self.priority_column)):
            self.setColumnWidth(column, width)
        header.setStretchLastSection(False)  # stretch the last column again, from its new width
        header.setStretchLastSection(True)

    def showEvent(self, event: QShowEvent) -> None:
        """Fit the columns the first time the table is seen with its data."""
        super().showEvent(event)
        if not self._columns_fitted:
            self._schedule_fit()


class StrengthMeter(QObject):
    """The strength bar and advice of the passphrase policy, following a passphrase field."""

    def __init__(self, edit: QLineEdit, parent: QWidget) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(parent)
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(8)
        self.bar.setAccessibleName(self.tr("Robustesse de la phrase de passe"))
        self.label = plain_label("")
        edit.textChanged.connect(self.show_strength)
        self.show_strength("")

    def show_strength(self, passphrase: str) -> None:
        """Update the bar and the advice as the user types."""
        assessment = passphrase_policy.assess(passphrase)
        self.bar.setValue(round(assessment.strength * 100))
        if not passphrase:
            text = ""
        elif assessment.acceptable:
            text = self.tr("Phrase de passe assez robuste.")
        else:
            text = assessment.advice(language())
        self.label.setText(text)
        self.label.setVisible(bool(text))
