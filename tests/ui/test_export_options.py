"""The communicable version's choices, asked before the export and remembered per register."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from registre import services
from registre.export_model import CommunicableOptions
from registre_ui.export_options import CommunicableOptionsDialog, remembered_options
from registre_ui.exports import EXPORT_KINDS
from registre_ui.main_window import RegisterWindow
from tests.ui.conftest import SampleRegister

COMMUNICABLE = next(kind for kind in EXPORT_KINDS if kind.key == "pdf-communicable")
MAYOR = "Jeanne Maire-Exemple"
SECURITY = "Badge nominatif pour entrer dans la salle des archives"


def _pdftext(path: Path) -> str:
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def _export(qtbot: QtBot, window: RegisterWindow, output: Path, **choices: bool) -> None:
    """Ask for the communicable version, answer the drafts question, tick ``choices`` in the
    options dialog and press « Exporter »."""
    assert not window.export(COMMUNICABLE, output=output)
    if window.drafts_box is not None and window.drafts_box.isVisible():
        (go,) = [b for b in window.drafts_box.buttons() if b.text() == "&Exporter quand même"]
        go.click()
    dialog = window.exports.options_dialog
    assert isinstance(dialog, CommunicableOptionsDialog) and dialog.isVisible()
    for name, checked in choices.items():
        getattr(dialog, name).setChecked(checked)
    with qtbot.waitSignal(window.export_runner.finished, timeout=60_000) as done:
        dialog.accept()
    assert not done.args[0].cancelled


def test_the_options_dialog_masks_what_is_ticked_and_remembers_it_per_register(
    qtbot: QtBot, sample: SampleRegister, tmp_path: Path
) -> None:
    register = sample.register
    services.update_organisation(register, sample.organisation_id, legal_representative_name=MAYOR)
    services.create_activity(
        register,
        organisation_id=sample.organisation_id,
        name="Archives municipales",
        status="completed",
        security_measures=[{"measure_type": "physical_security", "details": SECURITY}],
    )
    window = RegisterWindow(register)
    qtbot.addWidget(window)
    window.show()

    # By default: the mayor's name and the security measures are shown, no completeness report.
    plain = tmp_path / "communicable.pdf"
    _export(qtbot, window, plain)
    text = _pdftext(plain)
    assert MAYOR in text and SECURITY in text and "Rapport de complétude" not in text

    # Ticked: both are masked and the report is joined; the PDF says why.
    before = services.audit_entries(register, 1000)
    masked = tmp_path / "communicable-masque.pdf"
    _export(qtbot, window, masked, mask_security=True, mask_officials=True, completeness=True)
    text = _pdftext(masked)
    assert MAYOR not in text and SECURITY not in text
    assert "[masqué — article L311-5 2° d du CRPA]" in text
    assert "Rapport de complétude" in text
    # The choices are a preference of this register, not a change of it: only the export's
    # own audit entry was added.
    after = services.audit_entries(register, 1000)
    assert [entry["action"] for entry in after[: len(after) - len(before)]] == ["exported"]
    assert after[0]["changes"]["profile"] == "communicable"
    remembered = remembered_options(window.settings.path, register.directory)
    assert remembered == CommunicableOptions(
        completeness=True, mask_security=True, mask_officials=True
    )
    assert remembered_options(window.settings.path, tmp_path / "Autre.registre") == (
        CommunicableOptions()
    )

    # Next time the dialog opens on these choices, each explained in plain French.
    assert not window.export(COMMUNICABLE, output=tmp_path / "encore.pdf")
    if window.drafts_box is not None and window.drafts_box.isVisible():
        (go,) = [b for b in window.drafts_box.buttons() if b.text() == "&Exporter quand même"]
        go.click()
    dialog = window.exports.options_dialog
    assert isinstance(dialog, CommunicableOptionsDialog)
    assert dialog.mask_security.isChecked() and dialog.mask_officials.isChecked()
    assert dialog.completeness.isChecked()
    explanations = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "CADA" in explanations and "protégées" in explanations and "élu" in explanations
    dialog.reject()
    assert not (tmp_path / "encore.pdf").exists()
