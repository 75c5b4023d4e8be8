"""Start-up of the application: arguments, translations, the demo register, the crash dialog."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from registre.demo import DEMO_FOLDER_NAME, DEMO_PASSPHRASE
from registre.errors import WrongPassphrase
from registre.paths import crash_log_directory, library_dir
from registre_ui.app import RegistreApplication, ensure_demo_register, parse_arguments
from registre_ui.crash import CrashDialog, CrashReporter
from registre_ui.i18n import install_translators
from tests.ui.conftest import SampleRegister, submit_passphrase


def test_arguments() -> None:
    options, qt_arguments = parse_arguments(
        ["Mairie.registre", "--demo", "--data-dir", "/tmp/d", "--lang", "en", "-style", "fusion"]
    )
    assert options.register == Path("Mairie.registre")
    assert options.demo is True
    assert options.data_dir == Path("/tmp/d")
    assert options.lang == "en"
    assert qt_arguments == ["-style", "fusion"]
    defaults, _rest = parse_arguments([])
    assert (defaults.register, defaults.demo, defaults.data_dir, defaults.lang) == (
        None,
        False,
        None,
        None,  # the language of the preferences (French unless chosen otherwise)
    )


def test_french_loads_qt_own_translation(qapp: QApplication) -> None:
    translators = install_translators(qapp, "fr")
    try:
        assert translators
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Annuler"
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)


def test_demo_opens_with_its_passphrase_shown(qtbot: QtBot) -> None:
    application = RegistreApplication()
    qtbot.addWidget(application.library_window)
    dialog = application.start(demo=True)
    assert (library_dir() / DEMO_FOLDER_NAME).is_dir()
    assert application.library_window.model.rowCount() == 1
    assert dialog is not None
    qtbot.waitUntil(dialog.demo_label.isVisible)  # once the demo passphrase is proven
    assert dialog.demo_label.text() == (
        f"Registre de démonstration — phrase de passe : {DEMO_PASSPHRASE}"
    )
    submit_passphrase(qtbot, dialog, DEMO_PASSPHRASE)
    assert len(application.register_windows) == 1
    window = application.register_windows[0]
    qtbot.addWidget(window)
    assert window.register.demo
    assert window.organisation_combo.count() == 2  # the commune and its CCAS
    assert window.organisation_combo.currentText().startswith("Commune")  # the larger one
    assert window.activity_proxy.rowCount() > 25
    assert ensure_demo_register() == library_dir() / DEMO_FOLDER_NAME  # not created twice


def test_unexpected_error_saves_details_and_shows_no_traceback(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[CrashDialog] = []

    def record(dialog: CrashDialog) -> int:
        shown.append(dialog)
        return 0

    monkeypatch.setattr(CrashDialog, "exec", record)
    try:
        raise ZeroDivisionError("division par zéro dans le calcul")
    except ZeroDivisionError as bug:
        CrashReporter()(ZeroDivisionError, bug, bug.__traceback__)
    logs = list(crash_log_directory().glob("crash-*.log"))
    assert len(logs) == 1
    details = logs[0].read_text(encoding="utf-8")
    assert "Traceback" in details and "ZeroDivisionError" in details
    assert len(shown) == 1
    dialog = shown[0]
    visible = dialog.text() + dialog.informativeText()
    assert "erreur inattendue" in visible
    assert str(logs[0]) in visible
    assert "Traceback" not in visible and "ZeroDivisionError" not in visible
    dialog.deleteLater()


def test_user_errors_reaching_the_hook_get_their_hint(qtbot: QtBot) -> None:
    error = WrongPassphrase(register="Mairie")
    CrashReporter()(WrongPassphrase, error, None)
    boxes = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]
    assert boxes
    box = boxes[-1]
    assert box.text() == "Phrase de passe incorrecte pour le registre « Mairie »."
    assert "clé de secours" in box.informativeText()
    box.close()
    assert not list(crash_log_directory().glob("crash-*.log"))


def test_quit_closes_every_register(
    qtbot: QtBot, sample: SampleRegister, monkeypatch: pytest.MonkeyPatch
) -> None:
    left: list[bool] = []
    monkeypatch.setattr(QApplication, "quit", lambda: left.append(True))
    application = RegistreApplication()
    qtbot.addWidget(application.library_window)
    application.start()
    window = application.show_register(sample.register)
    assert not application.library_window.isVisible()
    assert application.request_unlock(sample.directory) is None  # already open: no second dialog
    window.quit_requested.emit()  # « Quitter » (Ctrl+Q)
    assert sample.register.closed
    assert application.register_windows == []
    assert not application.library_window.isVisible()
    assert left == [True]
