"""User-facing errors (``RegistreError``) shown as their message and what to do about it."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from registre.errors import RegistreError
from registre_ui.i18n import language


def error_text(error: RegistreError) -> str:
    """The error's message followed by its hint, in the interface language."""
    hint = error.hint(language())
    message = error.message(language())
    return f"{message}\n{hint}" if hint else message


def show_error(parent: QWidget | None, error: RegistreError) -> QMessageBox:
    """Open a warning box with the error's message and hint (never a traceback)."""
    box = QMessageBox(parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(QCoreApplication.translate("messages", "Opération impossible"))
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(error.message(language()))
    box.setInformativeText(error.hint(language()))
    box.open()
    return box
