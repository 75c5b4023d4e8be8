"""Readable text: help and secondary notes keep a contrast of at least 4.5:1 (WCAG AA)."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from registre_ui.main_window import RegisterWindow
from registre_ui.preferences import PreferencesDialog
from registre_ui.settings import Settings
from registre_ui.unlock import UnlockDialog
from registre_ui.widgets import MIN_CONTRAST, contrast_ratio
from tests.ui.conftest import SampleRegister


def _poor_contrast(window: QWidget) -> list[tuple[str, float]]:
    """Visible labels (without a style sheet of their own) under ``MIN_CONTRAST``."""
    found = []
    for label in window.findChildren(QLabel):
        if not label.isVisibleTo(window) or not label.text() or label.styleSheet():
            continue
        palette = label.palette()
        group = QPalette.ColorGroup.Active if label.isEnabled() else QPalette.ColorGroup.Disabled
        text = palette.color(group, label.foregroundRole())
        ratio = contrast_ratio(text, palette.color(group, QPalette.ColorRole.Window))
        if ratio < MIN_CONTRAST:
            found.append((label.text()[:40], round(ratio, 2)))
    return found


def test_help_texts_of_the_forms_are_readable(qtbot: QtBot, sample: SampleRegister) -> None:
    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    window.show()
    assert window.select_activity(sample.activity_ids["Cantine"])
    assert window.editor is not None
    help_label = window.editor.rows["main_purpose"].help_label
    assert help_label.isEnabled() and help_label.isVisibleTo(window)
    assert _poor_contrast(window) == []
    for page in (window.software_page, window.processor_page, window.control_page):
        window.tabs.setCurrentWidget(page)
        assert _poor_contrast(window) == []


def test_notes_of_the_dialogs_are_readable(qtbot: QtBot, closed_sample: SampleRegister) -> None:
    unlock = UnlockDialog(closed_sample.directory)
    preferences = PreferencesDialog(Settings())
    for dialog in (unlock, preferences):
        qtbot.addWidget(dialog)
        dialog.show()
        assert _poor_contrast(dialog) == []
