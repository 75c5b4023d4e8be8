"""Exports from the window: a worker thread, a progress dialog that cancels, verified PDFs."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from registre import services
from registre.signing import verify_pdf
from registre.storage import open_register
from registre_ui.exports import (
    EXPORT_KINDS,
    NO_OPEN_ENV,
    ExportOutcome,
    open_in_viewer,
    suggested_name,
)
from registre_ui.main_window import RegisterWindow
from tests.conftest import PASSPHRASE
from tests.ui.conftest import SampleRegister, export_past_drafts

KINDS = {kind.key: kind for kind in EXPORT_KINDS}
EXPORT_TIMEOUT = 60_000


def _window(qtbot: QtBot, sample: SampleRegister) -> RegisterWindow:
    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _export(qtbot: QtBot, window: RegisterWindow, key: str, output: Path) -> ExportOutcome:
    with qtbot.waitSignal(window.export_runner.finished, timeout=EXPORT_TIMEOUT) as done:
        export_past_drafts(window, KINDS[key], output)
        assert window.export_runner.dialog is not None  # the progress dialog, with « Annuler »
    outcome: ExportOutcome = done.args[0]
    return outcome


def test_pdf_export_runs_in_the_background_and_verifies(
    qtbot: QtBot, sample: SampleRegister, tmp_path: Path
) -> None:
    window = _window(qtbot, sample)
    output = tmp_path / "registre.pdf"
    outcome = _export(qtbot, window, "pdf-full", output)
    assert not outcome.cancelled and outcome.pages >= 2
    assert output.is_file()
    result = verify_pdf(output)
    assert result.intact and result.sha256 == outcome.sha256
    assert window.export_runner.dialog is None
    assert "Export enregistré" in window.statusBar().currentMessage()
    actions = [window.audit_model.index(r, 2).data() for r in range(window.audit_model.rowCount())]
    assert "Export" in actions  # the fingerprint is in the history
    assert [a.text() for a in window.export_menu.actions() if a.text()][:3] == [
        "Registre &complet (PDF)…",
        "Extrait de l'&article 30 (PDF)…",
        "Version co&mmunicable (PDF)…",
    ]
    assert window.export_actions["pdf-full"].shortcut().toString() == "Ctrl+E"


def test_cancelling_leaves_no_file(qtbot: QtBot, sample: SampleRegister, tmp_path: Path) -> None:
    window = _window(qtbot, sample)
    output = tmp_path / "annule.pdf"
    with qtbot.waitSignal(window.export_runner.finished, timeout=EXPORT_TIMEOUT) as done:
        export_past_drafts(window, KINDS["pdf-art30"], output)
        assert window.export_runner.dialog is not None
        cancel_button = window.export_runner.dialog.findChild(QPushButton)
        assert cancel_button is not None and cancel_button.text() == "Annuler"
        cancel_button.click()
    if done.args[0].cancelled:
        assert not output.exists()
        assert window.statusBar().currentMessage() == "Export annulé."
    else:  # finished, signed and recorded before the cancel reached it: kept
        assert output.is_file()


def test_a_cancel_after_the_last_step_keeps_the_recorded_pdf(
    qtbot: QtBot, sample: SampleRegister, tmp_path: Path
) -> None:
    window = _window(qtbot, sample)
    output = tmp_path / "trop-tard.pdf"
    runner = window.export_runner

    def cancel_at_the_end(done: int, total: int) -> None:
        if total and done >= total:  # the file is written and its export recorded
            runner.cancel()

    runner.progressed.connect(cancel_at_the_end)
    with qtbot.waitSignal(runner.finished, timeout=EXPORT_TIMEOUT) as done:
        export_past_drafts(window, KINDS["pdf-art30"], output)
    assert not done.args[0].cancelled
    assert output.is_file()  # never « Export annulé » with the file and its audit entry left
    [entry] = [
        e for e in services.audit_entries(sample.register, limit=50) if e["action"] == "exported"
    ]
    assert entry["changes"]["sha256"] == hashlib.sha256(output.read_bytes()).hexdigest()


@pytest.mark.parametrize("key", ["json", "csv", "xlsx", "ods", "dpv"])
def test_interchange_formats(
    qtbot: QtBot, sample: SampleRegister, tmp_path: Path, key: str
) -> None:
    window = _window(qtbot, sample)
    kind = KINDS[key]
    output = tmp_path / f"export{kind.extension}"
    outcome = _export(qtbot, window, key, output)
    assert not outcome.cancelled
    assert output.is_file() and output.stat().st_size > 100
    if key == "json":
        assert "Cantine" in json.dumps(json.loads(output.read_text(encoding="utf-8")))


def test_a_read_only_register_explains_why_no_official_pdf(
    qtbot: QtBot, closed_sample: SampleRegister, tmp_path: Path
) -> None:
    register = open_register(closed_sample.directory, PASSPHRASE, read_only=True)
    window = RegisterWindow(register)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.export_runner.failed, timeout=EXPORT_TIMEOUT):
        window.export(KINDS["pdf-full"], output=tmp_path / "refuse.pdf")
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]
    texts = " ".join(box.text() for box in boxes if box.isVisible())
    assert "lecture seule" in texts and "Traceback" not in texts
    for box in boxes:
        box.close()


def test_verifying_a_pdf_from_the_window(
    qtbot: QtBot, sample: SampleRegister, tmp_path: Path
) -> None:
    window = _window(qtbot, sample)
    output = tmp_path / "a-verifier.pdf"
    _export(qtbot, window, "pdf-communicable", output)
    box = window.show_verification(output)
    assert box is not None and box.text().startswith("Intact")
    box.close()
    data = bytearray(output.read_bytes())
    data[len(data) // 2] ^= 0xFF
    output.write_bytes(bytes(data))
    box = window.show_verification(output)
    assert box is not None and box.text().startswith("NON intègre")
    box.close()


def test_files_open_in_the_system_viewer_unless_told_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    path = tmp_path / "r.pdf"
    assert not open_in_viewer(path)  # REGISTRE_NO_OPEN is set for the tests
    monkeypatch.delenv(NO_OPEN_ENV)
    assert open_in_viewer(path)
    assert opened == [QUrl.fromLocalFile(str(path))]


def test_suggested_file_names() -> None:
    kind = KINDS["pdf-art30"]
    import datetime as dt

    assert suggested_name("Commune-de-X", kind, dt.date(2026, 3, 14)) == (
        "Commune-de-X - extrait-art30 - 2026-03-14.pdf"
    )
    assert KINDS["dpv"].extension == ".jsonld"
    assert services  # the window exports through the core's services only


def test_exporting_drafts_asks_first(qtbot: QtBot, sample: SampleRegister, tmp_path: Path) -> None:
    window = _window(qtbot, sample)
    output = tmp_path / "brouillons.pdf"
    assert not window.export(KINDS["pdf-full"], output=output)  # a question first
    box = window.drafts_box
    assert box is not None and box.isVisible()
    assert box.text() == (
        "1 traitement est encore un brouillon, non validé par le DPO. Il figurera dans le PDF "
        "avec la mention « Brouillon »."
    )
    assert box.informativeText() == "• T-002 Cantine"
    assert box.defaultButton().text() == "Annuler"
    box.defaultButton().click()  # Annuler: nothing is written
    assert not output.exists() and not window.export_runner.busy

    services.update_activity(sample.register, sample.activity_ids["Cantine"], status="completed")
    with qtbot.waitSignal(window.export_runner.finished, timeout=EXPORT_TIMEOUT):
        assert window.export(KINDS["pdf-full"], output=output)  # no draft: no question
    assert output.is_file()
