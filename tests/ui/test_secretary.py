"""The secretary's window: activities with a plain status, « À compléter », the wizard."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from registre import services, templates
from registre.storage import Register
from registre_ui.secretary import SecretaryWindow
from registre_ui.values import fold_text
from registre_ui.wizard import SUMMARY_ID, DeclarationWizard, description_with_todos
from tests.ui.conftest import SampleRegister, unnamed_inputs

TRANSFERS_QUESTION = "Les données sortent-elles de l'Union européenne ?"


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """Where the screenshots go."""
    directory = Path(os.environ.get("REGISTRE_SCREENSHOT_DIR") or tmp_path / "screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def civil_status(sample: SampleRegister) -> str:
    """An activity from the « état civil » template, its transfers question left to the DPO."""
    template = templates.load_catalogue().get("etat-civil")
    return templates.create_from_template(
        sample.register,
        organisation_id=sample.organisation_id,
        template_id="etat-civil",
        overrides={
            "has_transfers": None,
            "description": description_with_todos(
                template.activity["description"], [TRANSFERS_QUESTION]
            ),
        },
    ).id


@pytest.fixture
def window(qtbot: QtBot, sample: SampleRegister) -> SecretaryWindow:
    """The secretary window of the sample commune."""
    shown = SecretaryWindow(sample.register)
    qtbot.addWidget(shown)
    shown.resize(1100, 720)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_activities_are_listed_with_a_plain_status_and_their_to_dos(
    qtbot: QtBot, sample: SampleRegister, civil_status: str, screenshot_dir: Path
) -> None:
    complete = templates.create_from_template(
        sample.register,
        organisation_id=sample.organisation_id,
        template_id="etat-civil",
        overrides={"name": "État civil (registres anciens)"},
    ).id
    window = SecretaryWindow(sample.register)
    qtbot.addWidget(window)
    window.resize(1100, 720)
    window.show()
    qtbot.waitExposed(window)
    assert window.title_label.text() == "Commune de Saint-Test"
    assert window.model.rowCount() == 5
    names = [window.proxy.index(row, 0).data() for row in range(window.proxy.rowCount())]
    assert names == sorted(names, key=fold_text)  # « École » among the E

    assert window.status_of(civil_status) == "À compléter (1 point)"
    assert window.points_of(civil_status) == [f"À voir avec le DPO : {TRANSFERS_QUESTION}"]
    assert window.status_of(complete) == "Complet"
    assert window.points_of(complete) == []
    school = sample.activity_ids["École maternelle"]
    assert window.points_of(school) == [
        "Le texte qui fonde le traitement n'est pas cité "
        "— question « Sur quoi repose le traitement ? »"
    ]
    canteen = sample.activity_ids["Cantine"]
    canteen_points = window.points_of(canteen)
    assert window.status_of(canteen) == f"À compléter ({len(canteen_points)} points)"
    assert any("Finalité principale" in point for point in canteen_points)

    window.select_activity(civil_status)
    assert window.selected_activity_id() == civil_status
    assert "▶ Tenue des registres de l'état civil" in window.points_view.toPlainText()
    assert window.print_button.isEnabled()
    qtbot.wait(30)
    path = screenshot_dir / "secretary-window.png"
    assert window.grab().save(str(path))
    assert path.stat().st_size > 5_000


def test_the_model_follows_the_model_contract(
    qtmodeltester: ModelTester, window: SecretaryWindow
) -> None:
    qtmodeltester.check(window.model)
    qtmodeltester.check(window.proxy)


def test_every_input_has_a_name(window: SecretaryWindow) -> None:
    assert unnamed_inputs(window) == []


def test_passer_a_l_espace_dpo(qtbot: QtBot, window: SecretaryWindow) -> None:
    with qtbot.waitSignal(window.dpo_workspace_requested):
        qtbot.mouseClick(window.dpo_button, Qt.MouseButton.LeftButton)


def test_declaring_from_the_window_lists_the_new_activity(
    qtbot: QtBot, window: SecretaryWindow, sample: SampleRegister
) -> None:
    qtbot.mouseClick(window.declare_button, Qt.MouseButton.LeftButton)
    wizard = window.wizard
    assert isinstance(wizard, DeclarationWizard)
    qtbot.waitExposed(wizard)
    wizard.start_page.choose_template("listes-electorales")
    while wizard.currentId() != SUMMARY_ID:
        if wizard.currentPage() is wizard.page_for("security_measures"):
            wizard.page_for("security_measures").unknown_box.click()
        wizard.next()
    with qtbot.waitSignal(window.activity_created) as blocker:
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton
        )
    activity_id = str(blocker.args[0])
    assert window.model.rowCount() == 4
    assert window.selected_activity_id() == activity_id
    assert window.points_of(activity_id) == [
        "À voir avec le DPO : Comment les données sont-elles protégées ?"
    ]
    assert window.status_of(activity_id) == "À compléter (1 point)"


def test_the_fiche_of_a_saved_activity(
    window: SecretaryWindow, civil_status: str, tmp_path: Path
) -> None:
    window.refresh()
    path = window.write_fiche(civil_status, tmp_path / "fiche.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 5_000


def test_a_register_without_organisation(qtbot: QtBot, register: Register) -> None:
    window = SecretaryWindow(register)
    qtbot.addWidget(window)
    assert not window.declare_button.isEnabled()
    assert "pas encore d'organisme" in window.empty_label.text()
    assert window.open_wizard() is None


def test_several_organisations_can_be_chosen(qtbot: QtBot, sample: SampleRegister) -> None:
    ccas = services.create_organisation(sample.register, name="CCAS de Saint-Test").id
    window = SecretaryWindow(sample.register, organisation_id=ccas)
    qtbot.addWidget(window)
    assert window.organisation_combo.isVisibleTo(window)
    assert window.title_label.text() == "CCAS de Saint-Test"
    assert window.model.rowCount() == 0
    assert "Aucun traitement déclaré" in window.empty_label.text()
    window.organisation_combo.setCurrentIndex(
        window.organisation_combo.findData(sample.organisation_id)
    )
    assert window.model.rowCount() == 3
