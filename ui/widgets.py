"""Small widget helpers shared by the windows: labels that never interpret user text as HTML."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QCoreApplication,
    QEvent,
    QObject,
    Qt,
    QTimer,
)
from PySide6.QtGui import QCloseEvent, QColor, QFont, QPainter, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QProxyStyle,
    QStyle,
    QStyleFactory,
    QStyleOption,
    QStyleOptionHeader,
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
WEAK_COLOUR = "#c62828"  # the strength bar of a refused passphrase
WEAK_TEXT_COLOUR = "#a31515"  # 6.4:1 on white
STRONG_COLOUR = "#2e7d32"  # the strength bar of an accepted one


class BusyDialog(QDialog):
    """A dialog that cannot be closed (Échap, « Annuler », the window's close button) while
    ``busy``: work that cannot be interrupted, such as a key derivation, is running."""

    @property
    def busy(self) -> bool:
        """True while the dialog's work runs (subclasses say when)."""
        return False

    def reject(self) -> None:
        """Close, unless busy."""
        if not self.busy:
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Refuse to close while busy."""
        if self.busy:
            event.ignore()
        else:
            super().closeEvent(event)


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


MIN_CONTRAST = 4.5  # WCAG 2 AA, normal text


def _luminance(colour: QColor) -> float:
    """Relative luminance (WCAG 2)."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    light, dark = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def secondary_colour(palette: QPalette) -> QColor:
    """A colour for secondary text (help, notes): softer than the main text, yet readable.

    Halfway to the background at most, and never under ``MIN_CONTRAST`` against the window or
    the base colour (a dark theme gets a light grey, a light theme a dark grey).
    """
    text = palette.color(QPalette.ColorRole.WindowText)
    backgrounds = (palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.Base))
    for step in range(10, -1, -1):
        share = step / 20  # from half the way to the background down to none
        colour = QColor.fromRgbF(
            text.redF() * (1 - share) + backgrounds[0].redF() * share,
            text.greenF() * (1 - share) + backgrounds[0].greenF() * share,
            text.blueF() * (1 - share) + backgrounds[0].blueF() * share,
        )
        if all(contrast_ratio(colour, ground) >= MIN_CONTRAST + 0.1 for ground in backgrounds):
            return colour
    return text


def secondary(label: QLabel) -> QLabel:
    """Draw ``label`` as secondary text (``secondary_colour``); returns it."""
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, secondary_colour(palette))
    label.setPalette(palette)
    return label


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
CELL_SLACK = 2  # pixels a whole column keeps beyond its widest text (rounding, bold fonts)
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


def fitted_widths(
    widths: Sequence[int], available: int, priority: int = -1, whole: Collection[int] = ()
) -> list[int]:
    """Column widths fitting ``available`` pixels; column ``priority`` is served first.

    Columns in ``whole`` (dates, percentages, references) keep their width: a date is never
    cut. The priority column (an activity's name) keeps its width up to a share of the table;
    the other columns share the rest as ``column_cap`` does (the table scrolls sideways when
    even that does not fit).
    """
    shared = [column for column in range(len(widths)) if column not in whole]
    room = available - sum(widths[column] for column in range(len(widths)) if column in whole)
    fitted = list(widths)
    rest = [widths[column] for column in shared]
    if priority in shared:
        first = shared.index(priority)
        kept = min(rest[first], int(available * PRIORITY_COLUMN_SHARE))
        cap = column_cap([*rest[:first], *rest[first + 1 :]], room - kept)
        fitted[priority] = kept
    else:
        cap = column_cap(rest, room)
    for column in shared:
        if column != priority:
            fitted[column] = min(widths[column], cap)
    return fitted


class SortArrowStyle(QProxyStyle):
    """Sort arrows that point the way people read them: ▲ ascending (A to Z, oldest first),
    ▼ descending (newest first). Qt draws them the other way round."""

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        """Draw a header's sort arrow turned over; everything else as the base style."""
        if element == QStyle.PrimitiveElement.PE_IndicatorHeaderArrow and isinstance(
            option, QStyleOptionHeader
        ):
            turned = QStyleOptionHeader(option)
            up, down = (
                QStyleOptionHeader.SortIndicator.SortUp,
                QStyleOptionHeader.SortIndicator.SortDown,
            )
            if option.sortIndicator == up:
                turned.sortIndicator = down
            elif option.sortIndicator == down:
                turned.sortIndicator = up
            option = turned
        super().drawPrimitive(element, option, painter, widget)


def readable_sort_arrows(header: QHeaderView) -> None:
    """Give ``header`` the ``SortArrowStyle`` (one shared instance, on the current style)."""
    app = QApplication.instance()
    style = app.findChild(SortArrowStyle) if app is not None else None
    if style is None:
        base = QStyleFactory.create(QApplication.style().name())
        style = SortArrowStyle(base)
        style.setParent(app)
    header.setStyle(style)


class RecordTableView(QTableView):
    """A read-only, sortable table of records whose columns fit its width when data arrive.

    Cells too narrow for their text are elided; the model gives the full text as a tooltip.
    """

    def __init__(self, accessible_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns_fitted = False
        self._fit_scheduled = False
        self.priority_column = -1  # a column (the name) that keeps its width before the others
        self.whole_columns: set[int] = set()  # columns never cut (dates, percentages…)
        # A column (the name) that takes the width left, rather than the last one
        self.stretch_column = -1
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
        readable_sort_arrows(header)
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
            max(self.sizeHintForColumn(column), self._header_width(column))
            for column in range(model.columnCount())
        ]
        for column in self.whole_columns:  # measured on every row, not only those on screen
            if column < len(widths):
                widths[column] = max(widths[column], self._widest_cell(column))
        # The vertical scroll bar may appear once rows are laid out: leave room for it.
        available = (
            self.width() - 2 * self.frameWidth() - self.verticalScrollBar().sizeHint().width()
        )
        for column, width in enumerate(
            fitted_widths(widths, available, self.priority_column, self.whole_columns)
        ):
            self.setColumnWidth(column, width)
        header.setStretchLastSection(False)  # stretch the last column again, from its new width
        if 0 <= self.stretch_column < model.columnCount():
            header.setSectionResizeMode(self.stretch_column, QHeaderView.ResizeMode.Stretch)
        else:
            header.setStretchLastSection(True)

    def _widest_cell(self, column: int) -> int:
        """The width the widest text of ``column`` needs among all the rows of the model
        (``sizeHintForColumn`` looks at the rows on screen only: a « Sous-traitant » further
        down would be cut); 0 when the model does not hand its rendered rows."""
        source = self.model()
        while isinstance(source, QAbstractProxyModel):
            source = source.sourceModel()
        rows = getattr(source, "rows", None)
        if not callable(rows):
            return 0
        texts = {row.display[column] for row in rows() if column < len(row.display)}
        if not texts:
            return 0
        metrics = self.fontMetrics()
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self)
        widest = max(metrics.horizontalAdvance(text) for text in texts)
        return widest + 2 * (margin + 1) + (1 if self.showGrid() else 0) + CELL_SLACK

    def _header_width(self, column: int) -> int:
        """What the column's title needs: its text and margins, and the sort arrow's room only
        on the column sorted by (every header leaving room for an arrow costs a name column
        its words on a laptop screen)."""
        header = self.horizontalHeader()
        if self.isSortingEnabled() and header.sortIndicatorSection() == column:
            return header.sectionSizeHint(column)
        model = self.model()
        text = str(model.headerData(column, Qt.Orientation.Horizontal) or "") if model else ""
        margin = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
        return min(
            header.fontMetrics().horizontalAdvance(text) + 4 * margin,
            header.sectionSizeHint(column),
        )

    def showEvent(self, event: QShowEvent) -> None:
        """Fit the columns the first time the table is seen with its data."""
        super().showEvent(event)
        if not self._columns_fitted:
            self._schedule_fit()


class StrengthMeter(QObject):
    """The strength bar and advice of the passphrase policy, following a passphrase field.

    The bar's colour follows the verdict, not its length: red while the passphrase is refused
    (however long the bar), green once it is accepted; the text says the same in words.
    """

    def __init__(self, edit: QLineEdit, parent: QWidget) -> None:
        super().__init__(parent)
        self.bar = QProgressBar(parent)
        self.bar.setRange(0, 100)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(8)
        self.bar.setAccessibleName(self.tr("Robustesse de la phrase de passe"))
        self.label = plain_label("")
        self.acceptable = False
        edit.textChanged.connect(self.show_strength)
        self.show_strength("")

    def show_strength(self, passphrase: str) -> None:
        """Update the bar and the advice as the user types."""
        assessment = passphrase_policy.assess(passphrase)
        self.acceptable = assessment.acceptable
        self.bar.setValue(round(assessment.strength * 100))
        colour = STRONG_COLOUR if assessment.acceptable else WEAK_COLOUR
        self.bar.setStyleSheet(
            f"QProgressBar {{ border: 1px solid #8a8a8a; border-radius: 2px; }}"
            f"QProgressBar::chunk {{ background: {colour}; }}"
        )
        if not passphrase:
            text = ""
        elif assessment.acceptable:
            text = self.tr("Phrase de passe assez robuste.")
        else:
            text = assessment.advice(language())
        self.label.setText(text)
        self.label.setStyleSheet(
            "" if assessment.acceptable else f"QLabel {{ color: {WEAK_TEXT_COLOUR}; }}"
        )
        self.label.setVisible(bool(text))
        self.bar.setAccessibleDescription(text)


FORBIDDEN_FOLDER_CHARACTERS = '/\\:*?"<>|'


def usable_folder_name(folder: str) -> bool:
    """``folder`` can name a register's folder on every system: not empty, not hidden, none of
    the characters Windows refuses."""
    return (
        bool(folder)
        and not folder.startswith(".")
        and not any(char in FORBIDDEN_FOLDER_CHARACTERS for char in folder)
    )


def new_passphrase_problem(passphrase: str, confirmation: str) -> str:
    """What stops ``passphrase``, typed twice, from becoming a passphrase; ``""`` when nothing.

    Every screen choosing a new passphrase asks this, beside its ``StrengthMeter`` (whose advice
    the refusal of a weak passphrase points to): empty, refused by the passphrase policy, or
    not the same in the confirmation field.
    """
    if not passphrase:
        return QCoreApplication.translate("StrengthMeter", "Choisissez une phrase de passe.")
    if not passphrase_policy.assess(passphrase).acceptable:
        return QCoreApplication.translate(
            "StrengthMeter",
            "Choisissez une phrase de passe plus robuste (voir le conseil ci-dessus).",
        )
    if passphrase != confirmation:
        return QCoreApplication.translate(
            "StrengthMeter", "Les deux phrases de passe saisies sont différentes."
        )
    return ""
