"""Unexpected errors: details saved for the team, a plain crash dialog for the user.

User-facing errors (``RegistreError``) that escape a window are shown with their hint instead;
anything else is a bug. The traceback goes to a private log file, never on screen.
"""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from types import TracebackType

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from registre import paths
from registre.errors import RegistreError
from registre_ui.messages import show_error


def write_crash_log(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
) -> Path | None:
    """Save the Qt versions and the traceback through the core's crash log."""
    versions = f"Qt {qVersion()} · PySide6 {PySide6.__version__}\n"
    return paths.write_crash_log(versions + "".join(traceback.format_exception(exc_type, exc, tb)))


class CrashDialog(QMessageBox):
    """Tells the user something went wrong and where the details were saved."""

    def __init__(self, log_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(self.tr("Erreur inattendue"))
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(
            self.tr(
                "Registre a rencontré une erreur inattendue. "
                "Les modifications déjà enregistrées sont conservées."
            )
        )
        if log_path is None:
            self.setInformativeText(self.tr("Les détails n'ont pas pu être enregistrés."))
        else:
            self.setInformativeText(
                self.tr(
                    "Les détails techniques ont été enregistrés dans le fichier « {file} ». "
                    "Transmettez-le à l'équipe de Registre pour qu'elle corrige le problème."
                ).format(file=log_path)
            )
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setStandardButtons(QMessageBox.StandardButton.Close)


class CrashReporter:
    """``sys.excepthook`` of the application."""

    def __init__(self) -> None:
        self._reporting = False

    def __call__(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        """Show the error to the user; save the details of a bug."""
        if issubclass(exc_type, KeyboardInterrupt) or QApplication.instance() is None:
            sys.__excepthook__(exc_type, exc, tb)
            return
        parent = QApplication.activeWindow()
        if isinstance(exc, RegistreError):
            show_error(parent, exc)
            return
        traceback.print_exception(exc_type, exc, tb)  # for a developer's terminal
        log_path = write_crash_log(exc_type, exc, tb)
        if self._reporting:  # the dialog itself failed: the log is all we can do
            return
        self._reporting = True
        try:
            CrashDialog(log_path, parent).exec()
        finally:
            self._reporting = False


def install_crash_handler() -> CrashReporter:
    """Route every uncaught exception to the crash dialog."""
    reporter = CrashReporter()
    sys.excepthook = reporter
    return reporter
