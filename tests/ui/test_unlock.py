"""The unlock dialog: one clear inline message per failure, and the register opens on success."""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from registre import services
from registre.backup import list_backups
from registre.demo import DEMO_PASSPHRASE
from registre.errors import (
    MistypedRecoveryKey,
    NewerRegister,
    NotARegister,
    RegisterDamaged,
    RegisterLocked,
    WrongPassphrase,
    WrongRecoveryKey,
)
from registre.model import Meta
from registre.storage import DB_NAME, LOCK_NAME, Register, create_register, open_register
from registre_ui.app import RegistreApplication
from registre_ui.unlock import UnlockDialog
from tests.conftest import PASSPHRASE
from tests.ui.conftest import (
    SampleRegister,
    duplicate_mnemonics,
    submit_passphrase,
    unnamed_inputs,
)


def _dialog(qtbot: QtBot, sample: SampleRegister) -> UnlockDialog:
    dialog = UnlockDialog(sample.directory)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_passphrase_field_hides_what_is_typed(qtbot: QtBot, closed_sample: SampleRegister) -> None:
    dialog = _dialog(qtbot, closed_sample)
    assert dialog.passphrase_edit.echoMode() == QLineEdit.EchoMode.Password
    assert dialog.passphrase_edit.accessibleName() == "Phrase de passe"
    assert dialog.open_button.text().replace("&", "") == "Ouvrir"
    assert dialog.cancel_button.text() == "Annuler"
    assert not dialog.demo_label.isVisible()


def test_wrong_passphrase_keeps_the_dialog_open_and_clears_the_field(
    qtbot: QtBot, closed_sample: SampleRegister
) -> None:
    dialog = _dialog(qtbot, closed_sample)
    with qtbot.assertNotEmitted(dialog.unlocked):
        submit_passphrase(qtbot, dialog, "mauvaise phrase")
    assert isinstance(dialog.last_error, WrongPassphrase)
    assert dialog.isVisible()
    assert "Phrase de passe incorrecte" in dialog.message_label.text()
    # The way out is the button of this dialog, named as it reads, not a command to type.
    assert "registre recover" not in dialog.message_label.text()
    assert "cliquez sur « Phrase de passe oubliée… »" in dialog.message_label.text()
    assert dialog.forgotten_button.text().replace("&", "") == "Phrase de passe oubliée…"
    assert dialog.forgotten_button.isVisible()
    assert dialog.passphrase_edit.text() == ""
    assert not dialog.read_only_button.isVisible()


def test_empty_passphrase_is_not_tried(qtbot: QtBot, closed_sample: SampleRegister) -> None:
    dialog = _dialog(qtbot, closed_sample)
    dialog.open_button.click()
    assert not dialog.busy
    assert dialog.message_label.text() == "Saisissez la phrase de passe du registre."


def test_correct_passphrase_opens_the_main_window(
    qtbot: QtBot, closed_sample: SampleRegister
) -> None:
    application = RegistreApplication()
    qtbot.addWidget(application.library_window)
    dialog = application.start(closed_sample.directory)
    assert dialog is not None
    submit_passphrase(qtbot, dialog, PASSPHRASE)
    assert len(application.register_windows) == 1
    window = application.register_windows[0]  # deleted once closed, below
    assert window.isVisible()
    assert not application.library_window.isVisible()
    assert window.activity_proxy.rowCount() == 3
    assert not window.register.read_only
    window.close()  # « Fermer le registre »: back to the library
    assert window.register.closed
    assert application.library_window.isVisible()


@pytest.fixture
def paris_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The computer's clock set to Paris time for the test."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("paris_time")
def test_locked_register_offers_read_only(qtbot: QtBot, closed_sample: SampleRegister) -> None:
    holder = {
        "user": "agent-accueil",
        "host": socket.gethostname(),
        "pid": os.getppid(),  # alive, and not us
        "since": "2026-12-02T13:05:00+00:00",
    }
    (closed_sample.directory / LOCK_NAME).write_text(json.dumps(holder), encoding="utf-8")
    dialog = _dialog(qtbot, closed_sample)
    submit_passphrase(qtbot, dialog, PASSPHRASE)
    assert isinstance(dialog.last_error, RegisterLocked)
    message = dialog.message_label.text()
    assert "agent-accueil" in message
    assert socket.gethostname() in message
    assert "depuis le 2 décembre 2026 à 14 h 05" in message  # local time, in words
    assert str(os.getppid()) not in message and "processus" not in message
    assert "lecture seule" in message
    assert dialog.read_only_button.isVisible()
    assert dialog.passphrase_edit.text() == PASSPHRASE  # kept for the read-only attempt

    with qtbot.waitSignal(dialog.unlocked, timeout=10_000) as opened:
        dialog.read_only_button.click()
    register: Register = opened.args[0]
    try:
        assert register.read_only
    finally:
        register.close()


def test_damaged_register_says_so_with_a_hint(qtbot: QtBot, closed_sample: SampleRegister) -> None:
    database = closed_sample.directory / DB_NAME
    content = bytearray(database.read_bytes())
    content[4096:] = b"\xa5" * (len(content) - 4096)  # every page after the first
    database.write_bytes(bytes(content))
    dialog = _dialog(qtbot, closed_sample)
    submit_passphrase(qtbot, dialog, PASSPHRASE)
    assert isinstance(dialog.last_error, RegisterDamaged)
    assert "endommagé" in dialog.message_label.text()
    assert "Restaurez la dernière sauvegarde" in dialog.message_label.text()
    assert not dialog.read_only_button.isVisible()
    assert dialog.isVisible()


def test_register_from_a_newer_version_is_refused(qtbot: QtBot, sample: SampleRegister) -> None:
    with sample.register.write() as session:
        session.merge(Meta(key="schema_version", value="99"))
    sample.register.close()
    dialog = _dialog(qtbot, sample)
    submit_passphrase(qtbot, dialog, PASSPHRASE)
    assert isinstance(dialog.last_error, NewerRegister)
    assert "version plus récente" in dialog.message_label.text()


def test_folder_that_is_not_a_register(qtbot: QtBot, tmp_path: pytest.TempPathFactory) -> None:
    folder = tmp_path / "Documents"  # type: ignore[operator]
    folder.mkdir()
    dialog = UnlockDialog(folder)
    qtbot.addWidget(dialog)
    assert isinstance(dialog.last_error, NotARegister)
    assert "n'est pas un registre" in dialog.message_label.text()
    assert not dialog.open_button.isEnabled()


def test_dialog_cannot_be_closed_while_opening(qtbot: QtBot, closed_sample: SampleRegister) -> None:
    dialog = _dialog(qtbot, closed_sample)
    dialog.passphrase_edit.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.unlocked, timeout=10_000) as opened:
        dialog.open_button.click()
        assert dialog.busy
        dialog.reject()
        assert not dialog.close()  # nor through the window's close button
        assert dialog.isVisible()
    opened.args[0].close()
    assert not dialog.isVisible()


def test_forgotten_passphrase_through_the_recovery_key(qtbot: QtBot, tmp_path: Path) -> None:
    register, recovery_key = create_register(tmp_path / "Mairie.registre", PASSPHRASE)
    register.close()
    other, other_key = create_register(tmp_path / "Autre.registre", PASSPHRASE)
    other.close()
    dialog = UnlockDialog(tmp_path / "Mairie.registre")
    qtbot.addWidget(dialog)
    dialog.show()
    recovery = dialog.recover()
    assert unnamed_inputs(recovery) == []
    new_passphrase = "une nouvelle phrase de passe pour la mairie du village"

    def submit(key: str) -> None:
        recovery.key_edit.setText(key)
        recovery.passphrase_edit.setText(new_passphrase)
        recovery.confirmation_edit.setText(new_passphrase)
        recovery.save_button.click()
        qtbot.waitUntil(lambda: not recovery.busy, timeout=10_000)

    typo = recovery_key[:-1] + ("A" if recovery_key[-1] != "A" else "B")
    submit(typo)
    assert isinstance(recovery.last_error, MistypedRecoveryKey)
    assert "faute de frappe" in recovery.message_label.text()
    submit(other_key)
    assert isinstance(recovery.last_error, WrongRecoveryKey)
    assert "n'ouvre pas" in recovery.message_label.text()
    with qtbot.waitSignal(dialog.unlocked, timeout=10_000) as opened:
        recovery.key_edit.setText(recovery_key)
        recovery.save_button.click()
        assert recovery.busy
        recovery.reject()
        assert not recovery.close()  # the new passphrase is being set: it cannot be stopped
        assert recovery.isVisible()
        qtbot.waitUntil(lambda: not recovery.busy, timeout=10_000)
    reopened: Register = opened.args[0]
    reopened.close()
    open_register(tmp_path / "Mairie.registre", new_passphrase).close()
    with pytest.raises(WrongPassphrase):
        open_register(tmp_path / "Mairie.registre", PASSPHRASE)


def test_damaged_register_can_be_restored_from_a_backup(
    qtbot: QtBot, closed_sample: SampleRegister
) -> None:
    open_register(closed_sample.directory, PASSPHRASE).close()  # takes the daily backup
    assert list_backups(closed_sample.directory)
    database = closed_sample.directory / DB_NAME
    content = bytearray(database.read_bytes())
    content[4096:] = b"\xa5" * (len(content) - 4096)
    database.write_bytes(bytes(content))
    dialog = _dialog(qtbot, closed_sample)
    submit_passphrase(qtbot, dialog, PASSPHRASE)
    assert isinstance(dialog.last_error, RegisterDamaged)
    assert dialog.restore_button.isVisible()
    backups = dialog.choose_backup()
    assert backups is not None and backups.list.count() >= 1
    with qtbot.waitSignal(dialog.unlocked, timeout=10_000) as opened:
        backups.accept()
    register: Register = opened.args[0]
    try:
        assert len(services.list_activities(register)) == 3
    finally:
        register.close()


def test_return_in_the_passphrase_field_opens_and_escape_cancels(
    qtbot: QtBot, closed_sample: SampleRegister
) -> None:
    dialog = _dialog(qtbot, closed_sample)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.passphrase_edit.setFocus()
    qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
    with qtbot.waitSignal(dialog.unlocked, timeout=10_000) as opened:
        qtbot.keyClick(dialog.passphrase_edit, Qt.Key.Key_Return)
    opened.args[0].close()
    assert not dialog.isVisible()

    again = _dialog(qtbot, closed_sample)
    again.activateWindow()
    qtbot.waitUntil(again.isActiveWindow)
    with qtbot.waitSignal(again.rejected):
        qtbot.keyClick(again.passphrase_edit, Qt.Key.Key_Escape)
    assert not again.isVisible()


def test_no_shortcut_letter_is_used_twice(qtbot: QtBot, closed_sample: SampleRegister) -> None:
    dialog = _dialog(qtbot, closed_sample)
    for button in (dialog.read_only_button, dialog.restore_button):
        button.show()
    assert duplicate_mnemonics(dialog) == {}
    recovery = dialog.recover()
    qtbot.addWidget(recovery)
    assert duplicate_mnemonics(recovery) == {}


def test_the_demo_passphrase_is_shown_only_when_it_opens_the_register(
    qtbot: QtBot, tmp_path: Path
) -> None:
    demo, _key = create_register(tmp_path / "Démo.registre", DEMO_PASSPHRASE, demo=True)
    demo.close()
    dialog = UnlockDialog(demo.directory)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.demo_label.isVisible)

    changed, _key = create_register(tmp_path / "Changée.registre", PASSPHRASE, demo=True)
    changed.close()  # a demo register whose passphrase is no longer the demo one
    other = UnlockDialog(changed.directory)
    qtbot.addWidget(other)
    with qtbot.waitSignal(other.demo_checked, timeout=10_000):
        other.show()
    assert not other.demo_label.isVisible()
