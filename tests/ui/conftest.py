"""Fixtures of the desktop-application tests: a small commune register with realistic records."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QWidget,
)
from pytestqt.qtbot import QtBot

from registre import services
from registre.interchange.json_format import export_document
from registre.storage import Register
from registre_ui.exports import NO_OPEN_ENV
from registre_ui.main_window import RegisterWindow
from registre_ui.unlock import UnlockDialog


@dataclass(frozen=True)
class SampleRegister:
    """The register of « Commune de Saint-Test » and the ids of its records."""

    register: Register
    organisation_id: str
    activity_ids: dict[str, str]
    processor_id: str
    software_id: str

    @property
    def directory(self) -> Path:
        """Folder of the register."""
        return self.register.directory


def fill_register(register: Register) -> SampleRegister:
    """A commune with two processors' worth of records and three activities."""
    organisation_id = services.create_organisation(
        register, name="Commune de Saint-Test", kind="commune", email="mairie@saint-test.fr"
    ).id
    processor_id = services.create_processor(
        register,
        organisation_id=organisation_id,
        name="Berger-Levrault",
        siren="755800646",
        address="892 rue Yves Kermen\n92100 Boulogne-Billancourt",
        country="FR",
        contact_name="Service client collectivités",
        email="contact@example.fr",
        has_art28_contract=True,
        contract_end=dt.date(2027, 12, 31),
    ).id
    software_id = services.create_software(
        register,
        organisation_id=organisation_id,
        name="BL.enfance",
        publisher="Berger-Levrault",
        hosting="provider",
        hosting_country="FR",
        free_licence=False,
        processor_id=processor_id,
    ).id
    school = services.create_activity(
        register,
        organisation_id=organisation_id,
        name="École maternelle",
        reference="T-001",
        service="Affaires scolaires",
        status="completed",
        legal_basis="6.1.e",
        main_purpose="Inscrire les enfants à l'école maternelle de la commune.",
        has_transfers=False,
        processors=[processor_id],
        software=[software_id],
        purposes=[{"description": "Gestion des inscriptions"}],
        data_subjects=[{"category": "minors", "details": "enfants de 3 à 6 ans"}],
        data_categories=[
            {
                "category": "identity",
                "details": "nom, prénom, date de naissance, adresse",
                "retention_value": 1,
                "retention_unit": "years",
                "retention_start": "la fin de la scolarité",
                "final_disposition": "destruction",
            }
        ],
        recipients=[{"recipient_type": "internal_service", "name": "Service scolaire"}],
        security_measures=[{"measure_type": "user_access_control"}],
    ).id
    canteen = services.create_activity(
        register,
        organisation_id=organisation_id,
        name="Cantine",
        reference="T-002",
        service="Restauration scolaire",
        legal_basis="6.1.e",
    ).id
    validated = services.create_activity(
        register,
        organisation_id=organisation_id,
        name="Listes électorales",
        reference="T-003",
        service="Élections",
        status="validated",
        legal_basis="6.1.c",
    ).id
    return SampleRegister(
        register,
        organisation_id,
        {"École maternelle": school, "Cantine": canteen, "Listes électorales": validated},
        processor_id,
        software_id,
    )


@pytest.fixture(autouse=True)
def no_system_viewer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Exported files are not opened in the system's viewer during tests."""
    monkeypatch.setenv(NO_OPEN_ENV, "1")


@pytest.fixture
def sample(register: Register) -> Iterator[SampleRegister]:
    """The open sample register (closed at the end of the test, its checks ended first)."""
    yield fill_register(register)
    stop_background_checks()


def stop_background_checks() -> None:
    """End the checks the open register windows run in the background (before closing)."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, RegisterWindow):
            widget.check_runner.stop()


@pytest.fixture
def closed_sample(sample: SampleRegister) -> SampleRegister:
    """The sample register, closed so that a dialog can open it."""
    sample.register.close()
    return sample


def unnamed_inputs(window: QWidget) -> list[QWidget]:
    """Inputs of ``window`` that have neither an accessible name nor a label (buddy)."""
    buddies = {label.buddy() for label in window.findChildren(QLabel) if label.buddy()}
    inputs = [
        *window.findChildren(QLineEdit),
        *window.findChildren(QComboBox),
        *window.findChildren(QAbstractItemView),
        *window.findChildren(QProgressBar),
        *window.findChildren(QPlainTextEdit),
        *window.findChildren(QAbstractSpinBox),
    ]
    return [
        widget
        for widget in inputs
        if not widget.accessibleName() and widget not in buddies and not _inside_control(widget)
    ]


def _inside_control(widget: QWidget) -> bool:
    """True for the parts of a combo box, a spin box or a table (popup, editor, header…)."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox | QAbstractItemView | QAbstractSpinBox):
            return True
        parent = parent.parentWidget()
    return False


def submit_passphrase(qtbot: QtBot, dialog: UnlockDialog, passphrase: str) -> None:
    """Type ``passphrase`` and press « Ouvrir »; returns once the worker thread is done."""
    dialog.passphrase_edit.setText(passphrase)
    dialog.open_button.click()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)


def duplicate_mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Alt+letter shortcuts of ``window``'s visible buttons and labels used more than once."""
    texts = [
        widget.text()
        for widget in [*window.findChildren(QAbstractButton), *window.findChildren(QLabel)]
        if widget.isVisibleTo(window) and (not isinstance(widget, QLabel) or widget.buddy())
    ]
    letters: dict[str, list[str]] = {}
    for text in texts:
        match = re.search(r"&([^&\s])", text.replace("&&", ""))
        if match:
            letters.setdefault(match.group(1).lower(), []).append(text)
    return {letter: found for letter, found in letters.items() if len(found) > 1}


def export_past_drafts(window: RegisterWindow, kind: object, output: Path) -> None:
    """Start an export as a user would, answering « Exporter quand même » about drafts and
    keeping the communicable version's choices as they are offered."""
    window.exports.options_dialog = None
    if window.export(kind, output=output):  # type: ignore[arg-type]
        return
    if window.exports.options_dialog is None:
        box = window.drafts_box
        assert box is not None, "the export neither started nor asked about drafts"
        (button,) = [b for b in box.buttons() if b.text() == "&Exporter quand même"]
        button.click()
    dialog = window.exports.options_dialog
    if dialog is not None and not window.export_runner.busy:
        dialog.accept()


def shown_window(qtbot: QtBot, sample: SampleRegister) -> RegisterWindow:
    """The register window of ``sample``, shown."""
    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def register_content(register: Register) -> str:
    """The register's records as exported (without the export's own time)."""
    document = export_document(register)
    return json.dumps(document["organisations"], sort_keys=True, default=str)


def audit_count(register: Register) -> int:
    """Number of entries in the audit trail."""
    return services.register_info(register).counts["audit_entries"]
