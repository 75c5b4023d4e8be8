"""The secretary's window: activities with a plain status, « À compléter », the wizard."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QWizard
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from registre import services, templates
from registre.declaration import QUESTIONS
from registre.demo import create_demo_register
from registre.interchange.json_format import export_document
from registre.layout import LOCK_NAME
from registre.storage import Register, open_register
from registre_ui.editing import ChangeRecorder
from registre_ui.i18n import install_translators, set_language
from registre_ui.main_window import RegisterWindow
from registre_ui.secretary import SecretaryWindow
from registre_ui.values import fold_text
from registre_ui.wizard import SUMMARY_ID, DeclarationWizard
from tests.conftest import PASSPHRASE
from tests.ui.conftest import SampleRegister, duplicate_mnemonics, unnamed_inputs

TRANSFERS_QUESTION = "Les données sortent-elles de l'Union européenne ?"


def stored(register: Register) -> tuple[object, object]:
    """What the register holds (its JSON export, without the export's time) and its trail."""
    document = export_document(register)
    document.pop("exported_at", None)
    return document, services.audit_entries(register, limit=10_000)


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """Where the screenshots go."""
    directory = Path(os.environ.get("REGISTRE_SCREENSHOT_DIR") or tmp_path / "screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def civil_status(sample: SampleRegister) -> str:
    """An activity from the « état civil » template, its transfers question left to the DPO."""
    return templates.create_from_template(
        sample.register,
        organisation_id=sample.organisation_id,
        template_id="etat-civil",
        overrides={
            "has_transfers": None,
            "todos": [{"question": "transfers", "text": TRANSFERS_QUESTION}],
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
        "Sur quoi repose le traitement ? — Le texte qui fonde le traitement n'est pas cité.",
        "À voir avec le DPO : le contrat avec le prestataire.",
    ]
    canteen = sample.activity_ids["Cantine"]
    canteen_points = window.points_of(canteen)
    assert window.status_of(canteen) == f"À compléter ({len(canteen_points)} points)"
    assert any("Finalité principale" in point for point in canteen_points)

    window.select_activity(civil_status)
    assert window.selected_activity_id() == civil_status
    assert "▶ Tenue des registres de l'état civil" in window.points_view.toPlainText()
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


def test_passer_a_l_espace_dpo_is_asked_first(qtbot: QtBot, window: SecretaryWindow) -> None:
    with qtbot.assertNotEmitted(window.dpo_workspace_requested):
        qtbot.mouseClick(window.dpo_button, Qt.MouseButton.LeftButton)
        box = window.dpo_question
        assert box is not None and box.isVisible()
        assert box.defaultButton().text() == "&Rester ici"
        box.defaultButton().click()  # Rester ici
    qtbot.mouseClick(window.dpo_button, Qt.MouseButton.LeftButton)
    box = window.dpo_question
    assert box is not None
    (go,) = [b for b in box.buttons() if b.text() == "&Passer à l'espace DPO"]
    with qtbot.waitSignal(window.dpo_workspace_requested):
        go.click()


def test_saving_the_fiche_as_pdf_confirms_where(
    qtbot: QtBot,
    window: SecretaryWindow,
    civil_status: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chosen = tmp_path / "fiche etat civil"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_args, **_kw: (str(chosen), "*.pdf")
    )
    window.refresh()
    window.select_activity(civil_status)
    path = window.save_selected_pdf()
    assert path == tmp_path / "fiche etat civil.pdf" and path.read_bytes().startswith(b"%PDF")
    assert window.notice_label.text() == (
        f"La fiche « Tenue des registres de l'état civil » est enregistrée dans {path}. Elle "
        "s'ouvre dans votre lecteur de PDF : imprimez-la ou envoyez-la au DPO."
    )
    assert duplicate_mnemonics(window) == {}


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
    before = stored(window.register)
    path = window.write_fiche(civil_status, tmp_path / "fiche.pdf")
    assert stored(window.register) == before  # looking never writes
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "DejaVuSans" in fonts and "Helvetica" not in fonts
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Fiche de traitement" in text
    assert "Tenue des registres de l'état civil" in text
    assert "Les données sortent-elles de l'Union européenne ?" in text  # the to-do
    assert "page 1 / " in text


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


def test_the_list_is_named_after_the_kind_of_organisation(
    qtbot: QtBot, qapp: QApplication, sample: SampleRegister, screenshot_dir: Path
) -> None:
    """« Les traitements de la commune » only for a commune: a CCAS's secretary reads « du
    CCAS », an organisation of no known kind « de l'organisme »; in English too."""
    ccas = services.create_organisation(
        sample.register, name="CCAS de Saint-Test", kind="ccas"
    ).id
    unknown = services.create_organisation(sample.register, name="Régie des eaux").id
    window = SecretaryWindow(sample.register, organisation_id=ccas)
    qtbot.addWidget(window)
    window.resize(1100, 720)
    label = window.table_label

    def shown() -> tuple[str, str]:
        return label.text(), window.table.accessibleName()

    assert shown() == ("<b>Les &traitements du CCAS</b>", "Les traitements du CCAS")
    assert label.buddy() is window.table
    window.grab().save(str(screenshot_dir / "secretary-ccas.png"))
    window.organisation_combo.setCurrentIndex(
        window.organisation_combo.findData(sample.organisation_id)
    )
    assert shown() == ("<b>Les &traitements de la commune</b>", "Les traitements de la commune")
    window.organisation_combo.setCurrentIndex(window.organisation_combo.findData(unknown))
    assert shown()[1] == "Les traitements de l'organisme"
    installed = install_translators(qapp, "en")
    set_language("en")
    try:
        english = SecretaryWindow(sample.register, organisation_id=ccas)
        qtbot.addWidget(english)
        assert english.table_label.text() == "<b>Processing &activities of the CCAS</b>"
        assert english.table.accessibleName() == "Processing activities of the CCAS"
    finally:
        set_language("fr")
        for translator in installed:
            qapp.removeTranslator(translator)


def test_every_point_is_a_plain_question_or_for_the_dpo(qtbot: QtBot, tmp_path: Path) -> None:
    """No article numbers or DPO jargon without « À voir avec le DPO »: each point is one of
    the wizard's plain questions (what is missing after it) or is left to the DPO."""
    register, _key = create_demo_register(tmp_path / "Démo.registre")
    try:
        shown = SecretaryWindow(register)
        qtbot.addWidget(shown)
        questions = tuple(question.title() for question in QUESTIONS)
        points = []
        for organisation in range(shown.organisation_combo.count()):
            shown.organisation_combo.setCurrentIndex(organisation)
            points += [point for state in shown.model.states for point in state.point_texts()]
        assert len(points) > 10
        for point in points:
            assert point.startswith(("À voir avec le DPO : ", *questions)), point
            if not point.startswith("À voir avec le DPO"):
                assert not re.search(r"\b(art\.|article|9\.2|analyse d'impact)", point), point
        assert any("analyse d'impact" in point for point in points)  # the DPO's, in words
        assert not any(re.search(r"\b\d+\.\d", point) for point in points)  # no article number
    finally:
        register.close()


def test_a_declaration_is_confirmed_and_ctrl_z_takes_it_back(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    shown = SecretaryWindow(sample.register, recorder=ChangeRecorder(sample.register))
    qtbot.addWidget(shown)
    shown.show()
    wizard = shown.open_wizard()
    assert wizard is not None
    wizard.start_page.choose_template("listes-electorales")
    while wizard.currentId() != SUMMARY_ID:
        if wizard.currentPage() is wizard.page_for("security_measures"):
            wizard.page_for("security_measures").unknown_box.click()
        wizard.next()
    with qtbot.waitSignal(shown.activity_created) as created:
        wizard.button(QWizard.WizardButton.FinishButton).click()
    activity_id = str(created.args[0])
    name = services.record_of(sample.register, "activity", activity_id)["name"]
    assert shown.notice_label.isVisible()
    assert shown.notice_label.text().startswith(
        f"Le traitement « {name} » est enregistré sous la référence T-004."
    )
    assert shown.model.rowCount() == 4
    shown.undo_action.trigger()  # Ctrl+Z
    assert shown.model.rowCount() == 3
    assert shown.notice_label.text() == f"Annulé : la création du traitement « {name} »."


def test_closing_the_secretary_window_closes_the_register(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    """The secretary's window is the only one shown: closing it closes the register (its lock
    released) as closing the register window would, instead of leaving it open behind no
    window; « Passer à l'espace DPO » still comes back to the register window."""
    main = RegisterWindow(sample.register)
    qtbot.addWidget(main)
    main.show()
    first = main.open_secretary_mode()
    assert not main.isVisible()
    first.dpo_workspace_requested.emit()  # « Passer à l'espace DPO », confirmed
    assert main.isVisible() and not sample.register.closed
    secretary = main.open_secretary_mode()
    with qtbot.waitSignal(main.closed):
        secretary.close()
    assert sample.register.closed
    assert not (sample.directory / LOCK_NAME).exists()


def test_a_read_only_register_says_why_nothing_can_be_declared(
    qtbot: QtBot, closed_sample: SampleRegister
) -> None:
    """Opened read-only (the register is open on another computer): « Déclarer un traitement »
    is greyed and the window says why and what to do, instead of a button that does nothing."""
    register = open_register(closed_sample.directory, PASSPHRASE, read_only=True)
    try:
        window = SecretaryWindow(register)
        qtbot.addWidget(window)
        window.show()
        assert not window.declare_button.isEnabled()
        assert window.notice_label.isVisibleTo(window)
        notice = window.notice_label.text()
        assert "lecture seule" in notice and "rouvrez-le ici pour déclarer" in notice
        assert window.declare_button.toolTip() == notice
    finally:
        register.close()
