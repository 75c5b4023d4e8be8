"""A banner across the top of a register's window when its automatic backup failed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QSizePolicy, QToolBar

from registre.backup import failure_notice
from registre.storage import Register
from registre_ui.i18n import language

BANNER_NAME = "backup-failure-banner"


def show_backup_failure(window: QMainWindow, register: Register) -> QToolBar | None:
    """Add the banner to ``window`` when ``register``'s automatic backup failed; else None."""
    if register.backup_failure is None:
        return None
    label = QLabel(failure_notice(register.backup_failure, language()))
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    label.setFixedHeight(label.fontMetrics().lineSpacing() * 3 + 18)  # wraps on narrow windows
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setStyleSheet(
        "QLabel { background: #fdecea; color: #611a15; border: 1px solid #f5c2c0; padding: 8px; }"
    )
    label.setAccessibleName(label.text())
    bar = QToolBar(window)
    bar.setObjectName(BANNER_NAME)
    bar.setMovable(False)
    bar.setFloatable(False)
    bar.addWidget(label)
    window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
    window.insertToolBarBreak(bar)
    return bar
