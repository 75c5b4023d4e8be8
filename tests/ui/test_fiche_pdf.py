"""One activity's fiche as PDF from the DPO's workspace (register window and overview)."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from registre import services
from registre.interchange.json_format import export_document
from registre.storage import Register
from registre_ui.exports import NO_OPEN_ENV
from registre_ui.fiche_pdf import suggested_fiche_name
from registre_ui.main_window import RegisterWindow
from registre_ui.secretary import SecretaryWindow
from tests.ui.conftest import SampleRegister


@pytest.fixture(autouse=True)
def no_viewer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NO_OPEN_ENV, "1")


@pytest.fixture
def communes(register: Register) -> dict[str, str]:
    ids = {}
    for name in ("Commune d'Arles", "Commune de Brest"):
        ids[name] = services.create_organisation(register, name=name).id
    services.create_activity(
        register,
        organisation_id=ids["Commune de Brest"],
        name="Cimetière communal",
        reference="T-007",
        main_purpose="Gérer les concessions funéraires",
        next_review_on=dt.date(2025, 6, 30),
    )
    return ids


def _text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def _looked_only(register: Register) -> tuple[object, object]:
    return export_document(register)["organisations"], services.audit_entries(register, limit=1000)


def test_the_selected_activity_s_fiche_from_the_register_window(
    qtbot: QtBot, register: Register, communes: dict[str, str], tmp_path: Path
) -> None:
    window = RegisterWindow(register)
    qtbot.addWidget(window)
    assert window.workspace.fiche_action in window.export_menu.actions()
    window.select_organisation(communes["Commune de Brest"])
    [cemetery] = services.list_activities(register, communes["Commune de Brest"])
    window.select_activity(cemetery.id)
    before = _looked_only(register)
    written = window.workspace.save_fiche(tmp_path / "la fiche")
    assert written == tmp_path / "la fiche.pdf"
    text = _text(written)
    assert "Cimetière communal" in text and "Gérer les concessions funéraires" in text
    assert "Commune de Brest" in text
    assert _looked_only(register) == before  # a working paper: the register is left as it was
    assert "Fiche enregistrée" in window.statusBar().currentMessage()


def test_the_fiche_of_a_record_to_review_from_the_overview(
    qtbot: QtBot, register: Register, communes: dict[str, str], tmp_path: Path
) -> None:
    window = RegisterWindow(register)
    qtbot.addWidget(window)
    overview = window.workspace.open_overview()
    assert overview.save_fiche(tmp_path / "x.pdf") is None  # nothing chosen yet
    assert "Choisissez d'abord" in overview.statusBar().currentMessage()
    assert overview.review_label.text() == "À revoir : 1 fiche(s)"  # the count stays
    overview.review_list.setCurrentRow(0)
    assert overview.fiche_pdf_action in overview.review_list.actions()
    written = overview.save_fiche(tmp_path / "revue.pdf")
    assert written is not None and "Cimetière communal" in _text(written)


def test_the_suggested_name_says_which_fiche() -> None:
    assert suggested_fiche_name("T-007", "Cimetière / concessions") == (
        "Fiche T-007 Cimetière concessions.pdf"
    )
    assert suggested_fiche_name("", "Cantine") == "Fiche Cantine.pdf"


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("Cantine v1.2", "Cantine v1.2.pdf"),  # a version number is part of the name
        ("compte-rendu.final", "compte-rendu.final.pdf"),
        ("Cantine.PDF", "Cantine.PDF"),
    ],
)
def test_the_secretary_s_fiche_keeps_the_whole_name_typed(
    qtbot: QtBot,
    sample: SampleRegister,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    typed: str,
    written: str,
) -> None:
    window = SecretaryWindow(sample.register)
    qtbot.addWidget(window)
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_args, **_kw: (str(tmp_path / typed), "*.pdf")
    )
    window.select_activity(sample.activity_ids["Cantine"])
    path = window.save_selected_pdf()
    assert path == tmp_path / written
    assert [p.name for p in tmp_path.iterdir() if p.is_file()] == [written]
    assert "Cantine" in _text(path)
    assert str(path) in window.notice_label.text()
