"""Preferences in QSettings: language, lock delay, library, window state, recent registers."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from registre.paths import data_dir, library_dir
from registre.storage import create_register
from registre_ui.app import RegistreApplication
from registre_ui.library import LibraryWindow
from registre_ui.main_window import RegisterWindow
from registre_ui.preferences import PreferencesDialog
from registre_ui.settings import SETTINGS_FILE, Settings
from tests.conftest import PASSPHRASE
from tests.ui.conftest import SampleRegister, unnamed_inputs


def test_defaults_and_bounds() -> None:
    settings = Settings()
    assert settings.path == data_dir() / SETTINGS_FILE  # never inside a register
    assert (settings.language, settings.lock_minutes) == ("fr", 10)
    assert settings.library_folder == library_dir()
    assert settings.recent_registers == []
    settings.lock_minutes = 0
    assert settings.lock_minutes == 1
    settings.language = "de"
    assert settings.language == "fr"


def test_the_dialog_saves_and_the_windows_follow(
    qtbot: QtBot, sample: SampleRegister, tmp_path: Path
) -> None:
    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    dialog = window.open_preferences()
    assert unnamed_inputs(dialog) == []
    assert dialog.lock_spin.value() == 10
    dialog.language_combo.setCurrentIndex(dialog.language_combo.findData("en"))
    assert dialog.language_note.isVisibleTo(dialog)  # applies at the next start
    dialog.lock_spin.setValue(5)
    other = tmp_path / "Registres du syndicat"
    other.mkdir()
    dialog.library_edit.setText(str(other))
    with qtbot.waitSignal(window.preferences_changed):
        dialog.accept()
    saved = Settings()
    assert (saved.language, saved.lock_minutes, saved.library_folder) == ("en", 5, other)
    assert window.inactivity.delay_ms == 5 * 60_000
    library = LibraryWindow()
    qtbot.addWidget(library)
    assert library.directory == other
    assert str(other) in library.location_label.text()


def test_window_state_and_recent_registers(qtbot: QtBot, closed_sample: SampleRegister) -> None:
    other, _key = create_register(library_dir() / "CCAS.registre", PASSPHRASE)
    application = RegistreApplication()
    qtbot.addWidget(application.library_window)
    window = application.show_register(other)
    window.resize(1000, 700)
    window.close()
    assert Settings().recent_registers == [other.directory.resolve()]
    geometry, state = Settings().window_state("register")
    assert geometry is not None and state is not None
    application.library_window._fill_recent_menu()
    recent = [action.text() for action in application.library_window.recent_menu.actions()]
    assert recent == [str(other.directory.resolve())]
    application.library_window.close()


def test_preferences_dialog_alone(qtbot: QtBot) -> None:
    dialog = PreferencesDialog()
    qtbot.addWidget(dialog)
    dialog.default_button.click()
    assert dialog.library_edit.text() == str(library_dir())
    dialog.accept()
    assert Settings().library_folder == library_dir()
