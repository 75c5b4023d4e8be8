"""Small widget helpers shared by the windows: labels that never interpret user text as HTML."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableView, QWidget

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


def configure_table_view(view: QTableView, accessible_name: str) -> None:
    """Row selection, sortable columns, no row numbers, last column filling the width."""
    view.setAccessibleName(accessible_name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setStretchLastSection(True)
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)
    view.setSortingEnabled(True)
