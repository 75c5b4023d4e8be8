"""End to end, as a secretary would: create a register, add an activity, check, undo, export.

Create a register → add an activity in the editor → the finding it fixes disappears from
« Contrôle » → « Annuler » brings it back → export the PDF → the file exists and verifies.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from registre import services
from registre.signing import verify_pdf
from registre_ui.app import RegistreApplication
from registre_ui.exports import EXPORT_KINDS, ExportOutcome
from registre_ui.fields import LongTextInput, TextInput
from registre_ui.library import RecoveryKeyDialog
from registre_ui.main_window import RegisterWindow
from tests.conftest import PASSPHRASE
from tests.ui.conftest import export_past_drafts

TIMEOUT = 30_000
NO_ACTIVITY = "org-no-activity"  # « L'organisme n'a déclaré aucun traitement »
MAIN_PURPOSE = "activity-main-purpose-missing"


def _findings(window: RegisterWindow, rule_id: str) -> int:
    page = window.control_page
    page.organisation_check.setChecked(True)
    return sum(
        1
        for row in range(page.proxy.rowCount())
        if page.proxy.finding(page.proxy.index(row, 0)).rule.id == rule_id
    )


def test_create_edit_check_undo_export(qtbot: QtBot, tmp_path: Path) -> None:
    application = RegistreApplication()
    library = application.library_window
    qtbot.addWidget(library)
    application.start()

    # 1. Create the register from the library window; the recovery key is shown once.
    dialog = library.create_new_register()
    dialog.organisation_edit.setText("Commune de Saint-Exemple")
    dialog.organisation_edit.textEdited.emit("Commune de Saint-Exemple")
    dialog.passphrase_edit.setText(PASSPHRASE)
    dialog.confirmation_edit.setText(PASSPHRASE)
    with qtbot.waitSignal(dialog.created, timeout=TIMEOUT):
        dialog.create_button.click()
    recovery = library.findChild(RecoveryKeyDialog)
    assert recovery is not None and recovery.key_label.text()
    recovery.noted_check.setChecked(True)
    recovery.close_button.click()
    assert len(application.register_windows) == 1
    window = application.register_windows[0]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.check_runner.last is not None, timeout=TIMEOUT)
    assert window.organisation_combo.currentText() == "Commune de Saint-Exemple"
    assert _findings(window, NO_ACTIVITY) == 1  # nothing declared yet

    # 2. Add an activity in the editor (Ctrl+N), name it and give its main purpose.
    with qtbot.waitSignal(window.check_finished, timeout=TIMEOUT):
        qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    editor = window.editor
    assert editor is not None
    name = editor.inputs["name"]
    assert isinstance(name, TextInput) and name.widget.hasFocus()
    name.widget.insert("État civil")  # typed over the selected « Nouveau traitement »
    qtbot.keyClick(name.widget, Qt.Key.Key_Tab)
    purpose = editor.inputs["main_purpose"]
    assert isinstance(purpose, LongTextInput)
    purpose.widget.setFocus()
    purpose.widget.insertPlainText("Tenir les actes de l'état civil.")  # (keyClicks: ASCII only)
    with qtbot.waitSignal(window.check_finished, timeout=TIMEOUT):
        qtbot.keyClick(purpose.widget, Qt.Key.Key_Tab)  # leaving the field saves it
    activity_id = editor.record_id
    assert activity_id is not None
    stored = services.record_of(window.register, "activity", activity_id)
    assert (stored["name"], stored["main_purpose"]) == (
        "État civil",
        "Tenir les actes de l'état civil.",
    )

    # 3. The finding the new activity fixes has left « Contrôle ».
    window.tabs.setCurrentWidget(window.control_page)
    assert _findings(window, NO_ACTIVITY) == 0
    assert _findings(window, MAIN_PURPOSE) == 0

    # 4. « Annuler » (Ctrl+Z) three times: purpose, name, creation; the finding is back.
    labels = []
    for _ in range(3):
        labels.append(window.undo_action.text())
        with qtbot.waitSignal(window.check_finished, timeout=TIMEOUT):
            window.undo_action.trigger()
    assert labels == [
        "Annuler la modification de « Finalité principale »",
        "Annuler la modification de « Nom du traitement »",
        "Annuler la création du traitement « Nouveau traitement »",
    ]
    assert window.activity_model.rowCount() == 0
    assert _findings(window, NO_ACTIVITY) == 1
    for _ in range(3):  # « Rétablir » (Ctrl+Shift+Z) brings everything back
        with qtbot.waitSignal(window.check_finished, timeout=TIMEOUT):
            window.redo_action.trigger()
    assert _findings(window, NO_ACTIVITY) == 0
    assert services.record_of(window.register, "activity", activity_id)["main_purpose"]

    # 5. Export the PDF in the background; the file exists and verifies.
    output = tmp_path / "registre-saint-exemple.pdf"
    with qtbot.waitSignal(window.export_runner.finished, timeout=TIMEOUT) as exported:
        export_past_drafts(window, EXPORT_KINDS[0], output)
    outcome: ExportOutcome = exported.args[0]
    assert output.is_file() and not outcome.cancelled
    verdict = verify_pdf(output)
    assert verdict.intact, verdict.reason
    assert verdict.sha256 == outcome.sha256

    register = window.register
    window.close()
    assert register.closed
    assert library.isVisible()
    assert QApplication.activeModalWidget() is None
