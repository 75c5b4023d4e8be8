"""« Changer la phrase de passe… »: the register is re-encrypted and opens with the new
passphrase only; a wrong current passphrase, a weak or mistyped new one, a full disk change
nothing."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from registre import services
from registre.errors import ReplacementPending, StorageFailure, WrongPassphrase, WrongRecoveryKey
from registre.keys import unlock_key, unlock_key_with_recovery
from registre.storage import DB_NAME, SLOTS_NAME, create_register, open_register
from registre_ui.i18n import install_translators, set_language
from registre_ui.library import RecoveryKeyDialog
from registre_ui.main_window import RegisterWindow
from registre_ui.passphrase_change import ChangePassphraseDialog
from registre_ui.widgets import new_passphrase_problem
from registre_ui.window_menus import mnemonic
from tests.conftest import PASSPHRASE
from tests.core.failing_disk import FailingDisk
from tests.core.test_reliability import _make_first_version_slots
from tests.ui.conftest import (
    SampleRegister,
    audit_count,
    duplicate_mnemonics,
    register_content,
    shown_window,
    unnamed_inputs,
)

NEW_PASSPHRASE = "la nouvelle phrase du secrétariat de mairie reste bien secrète"


def _open_dialog(window: RegisterWindow) -> ChangePassphraseDialog:
    """Choose « Changer la phrase de passe… » in the File menu, as a user would."""
    (action,) = [
        action
        for action in window.file_menu.actions()
        if action.text() == "Changer la &phrase de passe…"
    ]
    assert action.isEnabled()
    others = [mnemonic(other.text()) for other in window.file_menu.actions() if other is not action]
    assert mnemonic(action.text()) not in others  # Alt+F, P opens it
    action.trigger()
    assert window.passphrase_change is not None
    dialog = window.passphrase_change.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def _submit(qtbot: QtBot, dialog: ChangePassphraseDialog, current: str, new: str, again: str):
    dialog.current_edit.setText(current)
    dialog.passphrase_edit.setText(new)
    dialog.confirmation_edit.setText(again)
    dialog.change_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=20_000)


def _last_audit_entry(window: RegisterWindow) -> dict[str, object]:
    return services.audit_entries(window.register, 1)[0]


def test_the_register_opens_with_the_new_passphrase_only(
    qtbot: QtBot, sample: SampleRegister, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    window = shown_window(qtbot, sample)
    content, entries = register_content(window.register), audit_count(window.register)
    dialog = _open_dialog(window)
    assert not unnamed_inputs(dialog)
    assert not duplicate_mnemonics(dialog)
    for edit in (dialog.current_edit, dialog.passphrase_edit, dialog.confirmation_edit):
        assert edit.echoMode() == QLineEdit.EchoMode.Password
    assert "Votre clé de secours reste valable." in dialog.explanation.text()
    assert "l'ancienne qu'il faudra saisir" in dialog.explanation.text()

    _submit(qtbot, dialog, PASSPHRASE, NEW_PASSPHRASE, NEW_PASSPHRASE)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    box = dialog.result_box
    assert box is not None
    assert box.text() == "La phrase de passe du registre « Test » est changée."
    assert "Votre clé de secours reste valable." in box.informativeText()
    box.close()

    # The window shows the register again, reopened under its new key, as it was.
    assert not window.locked and not window.register.closed
    assert window.pages.currentWidget() is window.content
    assert window.organisation_combo.currentText() == "Commune de Saint-Test"
    assert register_content(window.register) == content
    assert audit_count(window.register) == entries + 1  # one entry: keys_changed
    last = _last_audit_entry(window)
    assert last["action"] == "keys_changed" and last["actor"] == "secretaire"
    assert PASSPHRASE not in str(last) and NEW_PASSPHRASE not in str(last)
    assert dialog.outcome is not None and dialog.outcome.change is not None
    assert dialog.outcome.change.data_key_renewed
    directory = window.register.directory
    window.close()

    with pytest.raises(WrongPassphrase):
        open_register(directory, PASSPHRASE)
    reopened = open_register(directory, NEW_PASSPHRASE)
    assert register_content(reopened) == content
    reopened.close()
    assert PASSPHRASE not in caplog.text and NEW_PASSPHRASE not in caplog.text


def test_a_wrong_current_passphrase_changes_nothing(qtbot: QtBot, sample: SampleRegister) -> None:
    window = shown_window(qtbot, sample)
    register = window.register
    content, entries = register_content(register), audit_count(register)
    slots = (register.directory / SLOTS_NAME).read_bytes()
    dialog = _open_dialog(window)

    _submit(qtbot, dialog, "une autre phrase", NEW_PASSPHRASE, NEW_PASSPHRASE)
    assert isinstance(dialog.last_error, WrongPassphrase)
    assert dialog.isVisible()
    assert dialog.message_label.text() == (
        "La phrase de passe actuelle est incorrecte. Rien n'a été changé."
    )
    assert dialog.current_edit.text() == ""
    # The register was never let go: same object, open, the same content and trail.
    assert window.register is register and not register.closed and not window.locked
    assert register_content(register) == content and audit_count(register) == entries
    assert (register.directory / SLOTS_NAME).read_bytes() == slots


def test_a_weak_or_mistyped_new_passphrase_is_refused_before_anything_runs(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = shown_window(qtbot, sample)
    register = window.register
    dialog = _open_dialog(window)

    dialog.passphrase_edit.setText("court")
    assert dialog.strength.label.text().startswith("Trop faible. Utilisez au moins 7 mots")
    _submit(qtbot, dialog, PASSPHRASE, "court", "court")
    assert dialog.message_label.text() == (
        "Choisissez une phrase de passe plus robuste (voir le conseil ci-dessus)."
    )

    _submit(qtbot, dialog, PASSPHRASE, NEW_PASSPHRASE, NEW_PASSPHRASE + " !")
    assert dialog.message_label.text() == "Les deux phrases de passe saisies sont différentes."

    _submit(qtbot, dialog, "", NEW_PASSPHRASE, NEW_PASSPHRASE)
    assert dialog.message_label.text() == "Saisissez la phrase de passe actuelle."

    _submit(qtbot, dialog, PASSPHRASE, PASSPHRASE, PASSPHRASE)
    assert dialog.message_label.text() == (
        "La nouvelle phrase de passe est la même que l'actuelle."
    )
    assert window.register is register and not register.closed
    dialog.reject()
    register.close()
    window.close()
    open_register(sample.directory, PASSPHRASE).close()  # still the passphrase


def test_a_full_disk_loses_nothing_and_the_current_passphrase_still_opens(
    qtbot: QtBot, sample: SampleRegister, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = shown_window(qtbot, sample)
    content, entries = register_content(window.register), audit_count(window.register)
    directory = window.register.directory
    dialog = _open_dialog(window)

    # The first write of the change (its staging folder) fails as on a full disk.
    disk = FailingDisk(directory, fail_at=1, only=".pending")
    with disk.installed(monkeypatch):
        _submit(qtbot, dialog, PASSPHRASE, NEW_PASSPHRASE, NEW_PASSPHRASE)
        qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20_000)
    assert disk.failed is not None
    assert isinstance(dialog.last_error, StorageFailure)
    message = dialog.message_label.text()
    assert message.startswith("Écriture impossible")
    assert "disque plein" in message
    assert message.endswith(
        "La phrase de passe n'a pas été changée : l'actuelle ouvre toujours le registre, "
        "dont rien n'est perdu."
    )
    assert dialog.isVisible() and dialog.change_button.isEnabled()  # free space, try again
    # The window took the register back, reopened with the current passphrase.
    assert not window.locked and not window.register.closed
    assert register_content(window.register) == content
    assert audit_count(window.register) == entries
    assert not (directory / ".pending").exists()
    dialog.reject()
    window.close()
    with pytest.raises(WrongPassphrase):
        open_register(directory, NEW_PASSPHRASE)
    open_register(directory, PASSPHRASE).close()


def test_a_change_interrupted_after_its_commit_point_is_finished_and_said(
    qtbot: QtBot, sample: SampleRegister, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fails as the re-encrypted database is moved into place (past the core's commit
    point): reopening finishes the change, and the dialog says the new passphrase opens it."""
    window = shown_window(qtbot, sample)
    content = register_content(window.register)
    directory = window.register.directory
    dialog = _open_dialog(window)

    # Only the move of the staged database onto the register's own is counted, and refused.
    disk = FailingDisk(directory, fail_at=1, only=f"{directory.name}/{DB_NAME}")
    with disk.installed(monkeypatch):
        _submit(qtbot, dialog, PASSPHRASE, NEW_PASSPHRASE, NEW_PASSPHRASE)
        qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=20_000)
    assert disk.failed is not None and disk.failed.startswith("replace")
    assert isinstance(dialog.last_error, ReplacementPending)
    assert dialog.message_label.text().endswith(
        "Le changement est enregistré : désormais, c'est la nouvelle phrase de passe qui ouvre "
        "ce registre."
    )
    assert not dialog.change_button.isEnabled()
    assert not window.locked and register_content(window.register) == content
    dialog.reject()
    window.close()
    with pytest.raises(WrongPassphrase):
        open_register(directory, PASSPHRASE)
    open_register(directory, NEW_PASSPHRASE).close()


def test_a_first_version_recovery_key_is_replaced_and_the_new_one_shown(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """A register whose recovery slot predates resealing: the dialog says beforehand that its
    recovery key will no longer work, and shows the new one once the change is made."""
    directory = tmp_path / "Ancien.registre"
    register, recovery_key = create_register(directory, PASSPHRASE)
    register.close()
    _make_first_version_slots(directory, recovery_key)
    window = RegisterWindow(open_register(directory, PASSPHRASE))
    qtbot.addWidget(window)
    window.show()
    dialog = _open_dialog(window)
    assert "d'un format ancien : elle ne vaudra plus" in dialog.explanation.text()
    assert "reste valable" not in dialog.explanation.text()

    _submit(qtbot, dialog, PASSPHRASE, NEW_PASSPHRASE, NEW_PASSPHRASE)
    qtbot.waitUntil(lambda: dialog.recovery_dialog is not None, timeout=20_000)
    shown = dialog.recovery_dialog
    assert isinstance(shown, RecoveryKeyDialog) and shown.isVisible()
    assert dialog.outcome is not None and dialog.outcome.change is not None
    assert shown.recovery_key == dialog.outcome.change.new_recovery_key != recovery_key
    assert dialog.result_box is not None
    assert "L'ancienne clé de secours ne vaut plus" in dialog.result_box.informativeText()
    shown.noted_check.setChecked(True)
    shown.close_button.click()
    dialog.result_box.close()
    window.close()
    with pytest.raises(WrongRecoveryKey):
        unlock_key_with_recovery(directory, recovery_key)
    assert unlock_key_with_recovery(directory, shown.recovery_key) == unlock_key(
        directory, NEW_PASSPHRASE
    )


def test_the_passphrase_fields_cannot_be_copied(
    qtbot: QtBot, sample: SampleRegister, qapp: QApplication
) -> None:
    window = shown_window(qtbot, sample)
    dialog = _open_dialog(window)
    clipboard = qapp.clipboard()
    clipboard.setText("avant")
    for edit in (dialog.current_edit, dialog.passphrase_edit, dialog.confirmation_edit):
        edit.setText(PASSPHRASE)
        edit.selectAll()
        edit.copy()
        edit.cut()
        assert clipboard.text() == "avant"
    dialog.reject()


def test_a_read_only_register_cannot_change_its_passphrase(
    qtbot: QtBot, closed_sample: SampleRegister
) -> None:
    register = open_register(closed_sample.directory, PASSPHRASE, read_only=True)
    window = RegisterWindow(register)
    qtbot.addWidget(window)
    assert window.passphrase_change is not None
    assert not window.passphrase_change.action.isEnabled()


def test_new_passphrase_problem_speaks_french_and_english(qapp: QApplication) -> None:
    strong = NEW_PASSPHRASE
    cases = {
        ("", ""): ("Choisissez une phrase de passe.", "Choose a passphrase."),
        ("court", "court"): (
            "Choisissez une phrase de passe plus robuste (voir le conseil ci-dessus).",
            "Choose a stronger passphrase (see the advice above).",
        ),
        (strong, strong + "x"): (
            "Les deux phrases de passe saisies sont différentes.",
            "The two passphrases typed are different.",
        ),
        (strong, strong): ("", ""),
    }
    for (passphrase, confirmation), (french, _english) in cases.items():
        assert new_passphrase_problem(passphrase, confirmation) == french
    installed = install_translators(qapp, "en")
    set_language("en")
    try:
        for (passphrase, confirmation), (_french, english) in cases.items():
            assert new_passphrase_problem(passphrase, confirmation) == english
    finally:
        set_language("fr")
        for translator in installed:
            qapp.removeTranslator(translator)
    assert QCoreApplication.translate("StrengthMeter", "Choisissez une phrase de passe.") == (
        "Choisissez une phrase de passe."
    )


def test_the_dialog_speaks_english(
    qtbot: QtBot, sample: SampleRegister, qapp: QApplication
) -> None:
    installed = install_translators(qapp, "en")
    set_language("en")
    try:
        window = shown_window(qtbot, sample)
        (action,) = [a for a in window.file_menu.actions() if a.text() == "Change &passphrase…"]
        action.trigger()
        assert window.passphrase_change is not None
        dialog = window.passphrase_change.dialog
        assert dialog is not None
        assert dialog.windowTitle() == "Change passphrase"
        assert "Your recovery key remains valid." in dialog.explanation.text()
        _submit(qtbot, dialog, "une autre phrase", NEW_PASSPHRASE, NEW_PASSPHRASE)
        assert dialog.message_label.text() == (
            "The current passphrase is wrong. Nothing was changed."
        )
        dialog.reject()
    finally:
        set_language("fr")
        for translator in installed:
            qapp.removeTranslator(translator)
