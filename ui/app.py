"""The desktop application (``registre-app``) once started, and the controller of its windows.

``registre-app [REGISTER | BACKUP] [--demo] [--data-dir DIR] [--lang fr|en]`` (options in
``ui.launcher``): the library window comes first; a REGISTER argument or ``--demo``
goes straight to the unlock dialog of that register, a backup file to the dialog that restores
it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from registre import __version__
from registre.backup import BACKUP_SUFFIX
from registre.demo import DEMO_FOLDER_NAME, create_demo_register
from registre.errors import RegistreError
from registre.paths import library_dir, make_data_dir_private, set_data_dir, start_logging
from registre.storage import Register, is_register
from registre_ui.backup_banner import show_backup_failure
from registre_ui.crash import install_crash_handler
from registre_ui.i18n import install_translators, set_language
from registre_ui.launcher import parse_arguments
from registre_ui.library import LibraryWindow
from registre_ui.main_window import RegisterWindow
from registre_ui.messages import show_error
from registre_ui.settings import Settings
from registre_ui.team_open import is_team_register
from registre_ui.unlock import UnlockDialog
from registre_ui.widgets import install_wheel_guard

STARTUP_PROBE_ENV = "REGISTRE_STARTUP_PROBE"
DESKTOP_FILE_NAME = "fr.registre.Registre"  # packaging/linux/fr.registre.Registre.desktop

__all__ = ["RegistreApplication", "ensure_demo_register", "main", "parse_arguments", "run"]


def ensure_demo_register() -> Path:
    """The demo register of the library, created (then closed) when missing."""
    path = library_dir() / DEMO_FOLDER_NAME
    if not is_register(path):
        register, _recovery_key = create_demo_register(path)
        register.close()
    return path


class RegistreApplication(QObject):
    """Shows the library, the unlock dialogs and one window per open register."""

    def __init__(self, library: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        install_wheel_guard()
        self.library_window = LibraryWindow(library)
        self.library_window.open_requested.connect(self.request_unlock)
        self.library_window.register_created.connect(self.show_register)
        self.library_window.quit_requested.connect(self.quit)
        self.library_window.preferences_changed.connect(self.apply_preferences)
        self.register_windows: list[RegisterWindow] = []
        self._quitting = False

    def start(self, register: Path | None = None, *, demo: bool = False) -> UnlockDialog | None:
        """Show the library, then the unlock dialog of ``register`` or of the demo; a backup
        file (``*.registre-backup``) opens the dialog that restores it into the library."""
        self.library_window.show()
        if register is not None and register.name.endswith(BACKUP_SUFFIX) and register.is_file():
            self.library_window.import_backup(register)
            return None
        if demo:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                register = ensure_demo_register()
            except RegistreError as error:
                show_error(self.library_window, error)
                return None
            finally:
                QApplication.restoreOverrideCursor()
            self.library_window.refresh()
        return None if register is None else self.request_unlock(register)

    def request_unlock(self, directory: Path) -> UnlockDialog | None:
        """Ask for the passphrase of ``directory`` (or bring its window forward if open)."""
        for window in self.register_windows:
            if is_team_register(window.register):
                continue
            if window.register.directory.resolve() == Path(directory).resolve():
                window.raise_()
                window.activateWindow()
                return None
        dialog = UnlockDialog(directory, self.library_window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.unlocked.connect(self.show_register)
        dialog.open()
        return dialog

    def show_register(self, register: Register) -> RegisterWindow:
        """Open the window of an unlocked register."""
        window = RegisterWindow(register)
        show_backup_failure(window, register)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.closed.connect(partial(self._forget_window, window))
        window.quit_requested.connect(self.quit)
        window.preferences_changed.connect(self.apply_preferences)
        if is_team_register(register):  # no local key to lock away: the server's roles guard it
            window.inactivity.timed_out.disconnect(window.lock)
            window.lock_action.setVisible(False)
        else:
            settings = Settings()
            settings.add_recent(register.directory)
            settings.sync()
        self.register_windows.append(window)
        window.show()
        self.library_window.hide()
        return window

    def apply_preferences(self) -> None:
        """Preferences saved in one window apply to every window."""
        self.library_window.apply_preferences()
        for window in self.register_windows:
            window.apply_preferences()

    def _forget_window(self, window: RegisterWindow) -> None:
        if window in self.register_windows:
            self.register_windows.remove(window)
        if not self._quitting and not self.register_windows:
            self.library_window.refresh()
            self.library_window.show()

    def quit(self) -> None:
        """Close every register, then leave the application."""
        self._quitting = True
        for window in list(self.register_windows):
            window.close()
        self.library_window.close()
        QApplication.quit()


def run(argv: Sequence[str]) -> int:
    """Start the application with command-line arguments ``argv``; returns its exit code."""
    options, qt_arguments = parse_arguments(argv)
    if options.data_dir is not None:
        set_data_dir(options.data_dir)
    make_data_dir_private()
    start_logging()
    app = QApplication([sys.argv[0] if sys.argv else "registre-app", *qt_arguments])
    lang = options.lang or Settings().language
    set_language(lang)
    app.setApplicationName("Registre")
    app.setApplicationDisplayName("Registre")
    app.setApplicationVersion(__version__)
    QGuiApplication.setDesktopFileName(DESKTOP_FILE_NAME)
    app.setWindowIcon(application_icon())
    translators = install_translators(app, lang)
    install_crash_handler()
    application = RegistreApplication()
    application.start(options.register, demo=options.demo)
    if os.environ.get(STARTUP_PROBE_ENV):  # benchmarks: leave once the first window is up
        QTimer.singleShot(0, app.quit)
    exit_code = app.exec()
    del translators, application
    return exit_code


def application_icon() -> QIcon:
    """Registre's icon in every shipped size (window frames, task bar, Alt+Tab)."""
    from importlib.resources import files

    icons = files("registre_resources") / "icons"
    icon = QIcon()
    for size in (16, 32, 48, 64, 128, 256, 512):
        icon.addFile(str(icons / f"registre-{size}.png"))
    return icon


def main() -> None:
    """Start the application with the process's arguments."""
    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
