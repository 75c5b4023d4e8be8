"""Security in the window: automatic lock after inactivity, Ctrl+L, nothing left once locked."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from registre import services
from registre.errors import ReadOnlyRegister
from registre_ui.main_window import RegisterWindow
from registre_ui.settings import DEFAULT_LOCK_MINUTES, Settings
from tests.conftest import PASSPHRASE
from tests.ui.conftest import SampleRegister, submit_passphrase


def _window(qtbot: QtBot, sample: SampleRegister) -> RegisterWindow:
    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _visible_texts(window: RegisterWindow) -> list[str]:
    texts = [label.text() for label in window.findChildren(QLabel)]
    texts += [edit.text() for edit in window.findChildren(QLineEdit)]
    texts += [edit.toPlainText() for edit in window.findChildren(QPlainTextEdit)]
    return texts


def test_the_default_delay_is_ten_minutes(qtbot: QtBot, sample: SampleRegister) -> None:
    window = _window(qtbot, sample)
    assert DEFAULT_LOCK_MINUTES == 10
    assert window.inactivity.delay_ms == 10 * 60_000
    assert window.inactivity.active


def test_inactivity_locks_drops_the_key_and_hides_the_content(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = _window(qtbot, sample)
    assert window.select_activity(sample.activity_ids["École maternelle"])
    assert window.editor is not None
    window.editor.inputs["description"].widget.setPlainText("Inscriptions en mairie")  # not left
    with qtbot.waitSignal(window.locked_changed, timeout=5_000) as locked:
        window.set_lock_delay(150)
    assert locked.args == [True]
    window.set_lock_delay(60_000)  # a slow machine must not lock again before the checks below
    register = sample.register
    assert register.closed
    with pytest.raises(ReadOnlyRegister):
        register.data_key  # noqa: B018 - the key is gone
    assert window.pages.currentWidget() is window.locked_page
    assert window.activity_model.rowCount() == 0
    assert window.control_page.model.rowCount() == 0
    assert window.audit_model.rowCount() == 0
    assert not window.recorder.stack.can_undo
    assert window.organisation_combo.count() == 0
    texts = " ".join(_visible_texts(window))
    for secret in ("École maternelle", "Cantine", "Berger-Levrault", "Inscriptions en mairie"):
        assert secret not in texts
    assert not window.new_activity_action.isEnabled()
    assert window.close_action.isEnabled()
    dialog = window.unlock_dialog
    assert dialog is not None and dialog.isVisible()

    submit_passphrase(qtbot, dialog, "pas la bonne phrase")
    assert window.locked and "Phrase de passe incorrecte" in dialog.message_label.text()
    with qtbot.waitSignal(window.locked_changed, timeout=10_000) as unlocked:
        submit_passphrase(qtbot, dialog, PASSPHRASE)
    assert unlocked.args == [False]
    assert not window.register.closed
    assert window.pages.currentWidget() is window.content
    assert window.activity_model.rowCount() == 3
    assert window.new_activity_action.isEnabled()
    record = services.record_of(
        window.register, "activity", sample.activity_ids["École maternelle"]
    )
    assert record["description"] == "Inscriptions en mairie"  # saved before locking


def test_user_input_postpones_the_lock(qtbot: QtBot, sample: SampleRegister) -> None:
    window = _window(qtbot, sample)
    window.set_lock_delay(400)
    for _ in range(6):
        qtbot.wait(150)
        qtbot.keyClick(window.search_edit, Qt.Key.Key_A)
    assert not window.locked
    qtbot.waitUntil(lambda: window.locked, timeout=3_000)
    window.unlock_dialog.close()  # type: ignore[union-attr]


def test_ctrl_l_locks_at_once(qtbot: QtBot, sample: SampleRegister) -> None:
    window = _window(qtbot, sample)
    assert window.lock_action.shortcut().toString() == "Ctrl+L"
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked and sample.register.closed
    assert window.unlock_dialog is not None
    window.unlock_dialog.close()
    window.unlock_button.click()  # the locked page offers to unlock again
    assert window.unlock_dialog is not None and window.unlock_dialog.isVisible()
    window.unlock_dialog.close()
    with qtbot.waitSignal(window.closed):
        window.close()  # closing a locked window is always possible


def test_the_delay_comes_from_the_preferences(qtbot: QtBot, sample: SampleRegister) -> None:
    settings = Settings()
    settings.lock_minutes = 3
    settings.sync()
    window = _window(qtbot, sample)
    assert window.inactivity.delay_ms == 3 * 60_000
