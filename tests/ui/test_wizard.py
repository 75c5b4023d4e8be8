"""The « Déclarer un traitement » wizard, driven end to end as a secretary would.

Every page is photographed (in $REGISTRE_SCREENSHOT_DIR, or a temporary folder) so that a
person can read the screens as a secretary would.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from registre import checker, services, templates, todos
from registre.declaration import QUESTIONS
from registre.interchange.json_format import dumps, export_document
from registre.storage import Register
from registre.vocabularies import vocabulary
from registre_ui.i18n import install_translators, set_language
from registre_ui.main_window import RegisterWindow
from registre_ui.wizard import (
    START_ID,
    SUMMARY_ID,
    DeclarationWizard,
    Fiche,
    fiche_html,
    finding_text,
    open_points,
)
from registre_ui.wizard_pages import DataPage, RowForm, TermGroup
from tests.ui.conftest import SampleRegister, unnamed_inputs

TRANSFERS_QUESTION = "Les données sortent-elles de l'Union européenne ?"
SECURITY_QUESTION = "Comment les données sont-elles protégées ?"
WIZARD_SIZE = (960, 760)


def todo_texts(register: Register, activity_id: str) -> list[str]:
    """The texts of the activity's open to-dos."""
    return [t.text for t in todos.list_todos(register, activity_id=activity_id, open_only=True)]


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """Where the screenshots go."""
    directory = Path(os.environ.get("REGISTRE_SCREENSHOT_DIR") or tmp_path / "screenshots")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


@pytest.fixture
def commune(register: Register) -> str:
    """A commune whose own record is complete (its findings do not blur the wizard's)."""
    return services.create_organisation(
        register,
        name="Commune de Saint-Test",
        kind="commune",
        address="1 place de la Mairie\n00000 Saint-Test",
        email="mairie@saint-test.fr",
        dpo_name="Centre de gestion",
        dpo_email="dpo@cdg.fr",
    ).id


@pytest.fixture
def wizard(qtbot: QtBot, register: Register, commune: str) -> Iterator[DeclarationWizard]:
    """The wizard, shown at a laptop size."""
    shown = DeclarationWizard(register, commune)
    shown.confirm_abandon = lambda: True  # type: ignore[method-assign] # no modal box at teardown
    qtbot.addWidget(shown)
    shown.resize(*WIZARD_SIZE)
    shown.show()
    qtbot.waitExposed(shown)
    yield shown


def shoot(qtbot: QtBot, wizard: DeclarationWizard, directory: Path, name: str) -> Path:
    """Save a picture of the wizard and check that it shows something."""
    qtbot.wait(20)
    path = directory / f"{name}.png"
    assert wizard.grab().save(str(path))
    assert path.stat().st_size > 5_000, path
    return path


def press_next(qtbot: QtBot, wizard: DeclarationWizard) -> None:
    """Click « Suivant » and check that the wizard moved on."""
    before = wizard.currentId()
    button = wizard.button(QWizard.WizardButton.NextButton)
    assert button.isEnabled(), f"« Suivant » is disabled on page {before}"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert wizard.currentId() == before + 1


def press_finish(qtbot: QtBot, wizard: DeclarationWizard) -> str:
    """Click « Enregistrer »; returns the created activity's id."""
    with qtbot.waitSignal(wizard.activity_created, timeout=5_000) as blocker:
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton
        )
    assert not wizard.isVisible()
    return str(blocker.args[0])


def type_into(qtbot: QtBot, widget: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Type ``text`` key by key (QTest types ASCII only: other letters are inserted)."""
    widget.setFocus()
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
        elif isinstance(widget, QLineEdit):
            widget.insert(char)
        else:
            widget.insertPlainText(char)


def form_of(wizard: DeclarationWizard, question: str, term: str, index: int = 0) -> RowForm:
    page = wizard.page_for(question)
    return page.editor.forms_of(term)[index]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------------------
# End to end
# --------------------------------------------------------------------------------------------


def test_from_a_template_with_one_unknown_answer(
    qtbot: QtBot,
    wizard: DeclarationWizard,
    register: Register,
    commune: str,
    screenshot_dir: Path,
    tmp_path: Path,
) -> None:
    template = templates.load_catalogue().get("etat-civil")
    shoot(qtbot, wizard, screenshot_dir, "wizard-00-depart")
    qtbot.keyClicks(wizard.start_page.search_edit, "etat civil")  # accents optional
    assert wizard.start_page.template_id() == "etat-civil"  # the first match is selected
    shoot(qtbot, wizard, screenshot_dir, "wizard-00-depart-recherche")
    press_next(qtbot, wizard)

    for number, question in enumerate(QUESTIONS, 1):
        page = wizard.page_for(question.key)
        assert wizard.currentPage() is page
        assert page.title() == question.title()
        assert page.example_label.text().startswith("Par exemple")
        if question.key == "transfers":
            page.unknown_box.click()  # « Je ne sais pas »
            assert not page.body.isEnabled()
        if question.key == "data_subjects":
            page.why.button.click()  # show « Pourquoi cette question ? » on one picture
            assert page.why.label.isVisible()
        assert page.is_answered() != (question.key == "transfers")  # the template answers
        shoot(qtbot, wizard, screenshot_dir, f"wizard-{number:02d}-{question.key}")
        press_next(qtbot, wizard)

    assert wizard.currentId() == SUMMARY_ID
    shoot(qtbot, wizard, screenshot_dir, f"wizard-{SUMMARY_ID:02d}-recapitulatif")
    summary = wizard.summary_page.browser.toPlainText()
    assert "À voir avec le DPO" in summary
    assert TRANSFERS_QUESTION in summary
    assert "7 questions sur 8 ont une réponse" in summary
    fiche = wizard.summary_page.write_fiche(tmp_path / "fiche.pdf")
    assert fiche.read_bytes().startswith(b"%PDF")

    activity_id = press_finish(qtbot, wizard)
    activities = services.list_activities(register, commune)
    assert [a.id for a in activities] == [activity_id]
    record = services.record_of(register, "activity", activity_id)
    assert record["template_id"] == "etat-civil"
    assert record["template_version"] == template.version
    assert record["name"] == template.name_fr
    assert record["service"] == "État civil"
    assert record["legal_basis"] == "6.1.c"
    assert record["legal_basis_text"] == template.activity["legal_basis_text"]
    assert [row["category"] for row in record["data_categories"]] == [
        "identity",
        "identity",
        "personal_life",
    ]
    first = record["data_categories"][0]
    # the registers are kept permanently (Code du patrimoine, art. L212-11)
    assert (first["retention_unit"], first["final_disposition"]) == ("unlimited", "archives")
    assert first["retention_source"]  # kept from the template, though not shown
    assert record["has_transfers"] is None  # « Je ne sais pas »: no answer recorded
    assert record["status"] == "draft"
    assert todo_texts(register, activity_id) == [TRANSFERS_QUESTION]
    assert record["description"] == template.activity["description"]


def test_from_scratch_with_typed_answers(
    qtbot: QtBot,
    wizard: DeclarationWizard,
    register: Register,
    commune: str,
    screenshot_dir: Path,
) -> None:
    wizard.start_page.scratch_radio.click()
    press_next(qtbot, wizard)

    name_page = wizard.page_for("name")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # a name is needed
    type_into(qtbot, name_page.name_edit, "Prêt de vélos électriques")  # type: ignore[attr-defined]
    type_into(qtbot, name_page.service_edit, "Services techniques")  # type: ignore[attr-defined]
    shoot(qtbot, wizard, screenshot_dir, "scratch-01-name")
    press_next(qtbot, wizard)

    purposes = wizard.page_for("purposes")
    type_into(qtbot, purposes.main_edit, "Prêter des vélos aux habitants")  # type: ignore[attr-defined]
    type_into(qtbot, purposes.sub_edit, "Réservation")  # type: ignore[attr-defined]
    qtbot.keyClick(purposes.sub_edit, Qt.Key.Key_Return)  # type: ignore[attr-defined]
    type_into(qtbot, purposes.sub_edit, "Suivi des prêts")  # type: ignore[attr-defined]
    press_next(qtbot, wizard)

    legal = wizard.page_for("legal_basis")
    legal.buttons["6.1.e"].click()  # type: ignore[attr-defined]
    shoot(qtbot, wizard, screenshot_dir, "scratch-03-legal-basis")
    press_next(qtbot, wizard)

    subjects = wizard.page_for("data_subjects")
    subjects.editor.set_checked("residents")  # type: ignore[attr-defined]
    press_next(qtbot, wizard)

    data = wizard.page_for("data_categories")
    assert isinstance(data, DataPage)
    data.editor.groups["identity"].check.click()
    row = form_of(wizard, "data_categories", "identity")
    details = row.input("details")
    assert isinstance(details, QPlainTextEdit)
    type_into(qtbot, details, "nom, prénom, adresse, téléphone")
    period = row.input("retention_value")
    assert isinstance(period, QSpinBox)
    period.setValue(3)
    unit = row.input("retention_unit")
    assert isinstance(unit, QComboBox)
    unit.setCurrentIndex(unit.findData("years"))
    start = row.input("retention_start")
    assert isinstance(start, QLineEdit)
    type_into(qtbot, start, "la fin du dernier prêt")
    disposition = row.input("final_disposition")
    assert isinstance(disposition, QComboBox)
    disposition.setCurrentIndex(disposition.findData("destruction"))
    shoot(qtbot, wizard, screenshot_dir, "scratch-05-data")
    data.why.button.setChecked(True)  # « Pourquoi cette question ? » and « Autres données »
    data.scroll_area.ensureWidgetVisible(data.editor.groups["other"], 50, 200)
    shoot(qtbot, wizard, screenshot_dir, "scratch-05-data-other")
    press_next(qtbot, wizard)

    recipients = wizard.page_for("recipients")
    recipients.editor.groups["internal_service"].check.click()  # type: ignore[attr-defined]
    name = form_of(wizard, "recipients", "internal_service").input("name")
    assert isinstance(name, QLineEdit)
    type_into(qtbot, name, "Services techniques")
    press_next(qtbot, wizard)

    transfers = wizard.page_for("transfers")
    transfers.no_button.click()  # type: ignore[attr-defined]
    press_next(qtbot, wizard)

    security = wizard.page_for("security_measures")
    security.unknown_box.click()
    shoot(qtbot, wizard, screenshot_dir, "scratch-08-security-unknown")
    press_next(qtbot, wizard)
    shoot(qtbot, wizard, screenshot_dir, "scratch-09-recapitulatif")
    missing_before = list(wizard.summary_page.fiche.missing)  # type: ignore[union-attr]

    activity_id = press_finish(qtbot, wizard)
    record = services.record_of(register, "activity", activity_id)
    assert record["template_id"] is None
    assert record["name"] == "Prêt de vélos électriques"
    assert record["service"] == "Services techniques"
    assert record["main_purpose"] == "Prêter des vélos aux habitants"
    assert [p["description"] for p in record["purposes"]] == ["Réservation", "Suivi des prêts"]
    assert record["legal_basis"] == "6.1.e"
    assert [s["category"] for s in record["data_subjects"]] == ["residents"]
    (category,) = record["data_categories"]
    assert category["category"] == "identity"
    assert category["details"] == "nom, prénom, adresse, téléphone"
    assert (category["retention_value"], category["retention_unit"]) == (3, "years")
    assert category["retention_start"] == "la fin du dernier prêt"
    assert category["final_disposition"] == "destruction"
    assert [(r["recipient_type"], r["name"]) for r in record["recipients"]] == [
        ("internal_service", "Services techniques")
    ]
    assert record["has_transfers"] is False
    assert record["security_measures"] == []
    assert todo_texts(register, activity_id) == [SECURITY_QUESTION]
    assert record["description"] is None

    # The summary checked the declaration before it was saved: the register agrees.
    findings = checker.check_register(register, commune).findings_for(activity_id)
    after = [finding_text(f) for f in open_points(findings, ["security_measures"])]
    assert missing_before == after
    assert after == [
        "Sur quoi repose le traitement ? — Le texte qui fonde le traitement n'est pas cité."
    ]
    assert len(open_points(findings, [])) == 2  # and the security finding, the DPO's to-do


def test_cancelling_creates_nothing(
    qtbot: QtBot, wizard: DeclarationWizard, register: Register, commune: str
) -> None:
    wizard.start_page.choose_template("restauration-scolaire")
    press_next(qtbot, wizard)
    press_next(qtbot, wizard)
    cancel = wizard.button(QWizard.WizardButton.CancelButton)

    wizard.confirm_abandon = lambda: False  # type: ignore[method-assign]
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert wizard.isVisible()  # « Non »: the answers are still there

    wizard.confirm_abandon = lambda: True  # type: ignore[method-assign]
    with qtbot.waitSignal(wizard.rejected):
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert wizard.created_activity_id is None
    assert services.list_activities(register, commune) == []


def test_a_search_without_match_says_so(qtbot: QtBot, wizard: DeclarationWizard) -> None:
    qtbot.keyClicks(wizard.start_page.search_edit, "zzz")
    assert wizard.start_page.template_id() is None
    assert "Aucun modèle ne correspond" in wizard.start_page.preview.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.start_page.search_edit.clear()
    qtbot.keyClicks(wizard.start_page.search_edit, "cantine")
    assert wizard.start_page.template_id() == "restauration-scolaire"
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_the_start_page_can_be_left_without_confirmation(
    qtbot: QtBot, wizard: DeclarationWizard
) -> None:
    assert wizard.currentId() == START_ID
    with qtbot.waitSignal(wizard.rejected):
        wizard.reject()


# --------------------------------------------------------------------------------------------
# Templates, answers and what the pages say
# --------------------------------------------------------------------------------------------


def test_changing_the_template_proposes_its_answers(
    qtbot: QtBot, wizard: DeclarationWizard
) -> None:
    wizard.start_page.choose_template("etat-civil")
    press_next(qtbot, wizard)
    name_edit = wizard.page_for("name").name_edit  # type: ignore[attr-defined]
    assert name_edit.text() == "Tenue des registres de l'état civil"
    name_edit.setText("État civil de Saint-Test")
    wizard.back()
    press_next(qtbot, wizard)  # same template: the typed name stays
    assert name_edit.text() == "État civil de Saint-Test"
    wizard.back()
    wizard.start_page.choose_template("restauration-scolaire")
    press_next(qtbot, wizard)
    assert name_edit.text() == templates.load_catalogue().get("restauration-scolaire").name_fr
    wizard.back()
    wizard.start_page.choose_scratch()
    press_next(qtbot, wizard)
    assert name_edit.text() == ""
    assert wizard.page_for("data_categories").answers() == {"data_categories": []}


def test_every_input_has_a_name_and_multiline_fields_let_tab_through(
    qtbot: QtBot, wizard: DeclarationWizard
) -> None:
    wizard.start_page.choose_template("etat-civil")
    wizard.page_for("transfers").load(
        {"has_transfers": True, "transfers": [{"recipient": "Hébergeur", "country": "US"}]}
    )
    assert unnamed_inputs(wizard) == []
    for edit in wizard.findChildren(QPlainTextEdit):
        assert edit.tabChangesFocus(), edit.accessibleName()


def test_transfers_yes_records_the_country_and_safeguard(
    qtbot: QtBot, wizard: DeclarationWizard, register: Register, screenshot_dir: Path
) -> None:
    wizard.start_page.choose_template("site-web-lettre")
    press_next(qtbot, wizard)
    while wizard.currentPage() is not wizard.page_for("transfers"):
        press_next(qtbot, wizard)
    page = wizard.page_for("transfers")
    page.yes_button.click()  # type: ignore[attr-defined]
    (form,) = page.forms  # type: ignore[attr-defined]
    recipient = form.input("recipient")
    assert isinstance(recipient, QLineEdit)
    type_into(qtbot, recipient, "Service d'envoi de lettres")
    country = form.input("country")
    assert isinstance(country, QComboBox)
    country.setCurrentIndex(country.findData("US"))
    safeguard = form.input("safeguard")
    assert isinstance(safeguard, QComboBox)
    safeguard.setCurrentIndex(safeguard.findData("scc"))
    shoot(qtbot, wizard, screenshot_dir, "transfers-yes")
    while wizard.currentId() != SUMMARY_ID:
        press_next(qtbot, wizard)
    activity_id = press_finish(qtbot, wizard)
    record = services.record_of(register, "activity", activity_id)
    assert record["has_transfers"] is True
    assert [(t["recipient"], t["country"], t["safeguard"]) for t in record["transfers"]] == [
        ("Service d'envoi de lettres", "US", "scc")
    ]
    assert todo_texts(register, activity_id) == []


# --------------------------------------------------------------------------------------------
# To-dos and the fiche
# --------------------------------------------------------------------------------------------


def test_the_summary_escapes_user_text(tmp_path: Path) -> None:
    fiche = Fiche(
        organisation="Commune <de> Test",
        name="Cantine",
        prepared_on=dt.date(2026, 3, 14),
        answers=[(QUESTIONS[0], ['<a href="javascript:alert(1)">x</a>', "<img src=x>"])],
        missing=["<script>"],
        todos=[TRANSFERS_QUESTION],
    )
    text = fiche_html(fiche)
    assert "<img" not in text and "<a href" not in text and "<script>" not in text
    assert "&lt;a href=&quot;javascript:alert(1)&quot;&gt;x&lt;/a&gt;" in text
    assert TRANSFERS_QUESTION.replace("'", "&#x27;") in text


def test_tab_goes_from_a_checked_term_into_its_row(qtbot: QtBot, wizard: DeclarationWizard) -> None:
    wizard.start_page.choose_scratch()
    while wizard.currentPage() is not wizard.page_for("data_categories"):
        wizard.next()
    wizard.activateWindow()
    qtbot.waitActive(wizard)
    group = wizard.page_for("data_categories").editor.groups["health"]  # type: ignore[attr-defined]
    group.check.setFocus()
    qtbot.keyClick(group.check, Qt.Key.Key_Space)
    assert group.check.isChecked()
    row = group.forms[0]
    visited = []
    for _ in row.focus_widgets():
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert visited == row.focus_widgets()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is group.add_button


ARTICLE_NUMBER = re.compile(
    r"\b(?:art(?:icle)?s?\.?|Art\.)\s*\(?\d|\b\d{1,2}\.\d(?:\.[a-z])?\b|\b\d{2}\(\d\)",
    re.IGNORECASE,
)
# What the secretary is asked to type may itself cite a code's article (an example answer)
EXAMPLE_ANSWERS = ("Code civil, art. 34 à 54",)


def wizard_texts(wizard: DeclarationWizard) -> list[str]:
    """Every text a wizard shows or reads aloud: labels, buttons, help under the choices,
    tooltips, placeholders, accessible descriptions and the tooltips of list items."""
    texts: list[str] = []
    for widget in [wizard, *wizard.findChildren(QWidget)]:
        texts += [widget.toolTip(), widget.accessibleDescription(), widget.accessibleName()]
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        if isinstance(widget, QLineEdit | QPlainTextEdit):
            texts.append(widget.placeholderText())
        if isinstance(widget, QComboBox):
            for index in range(widget.count()):
                texts.append(widget.itemText(index))
                texts.append(str(widget.itemData(index, Qt.ItemDataRole.ToolTipRole) or ""))
    return [text for text in texts if text]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_secretary_reads_no_article_number(
    qtbot: QtBot, qapp: QApplication, register: Register, commune: str, lang: str
) -> None:
    """« Autres données », the sensitive data, the processors, the archives, the transfer
    safeguards, « Pourquoi cette question ? »: plain words; the DPO's form keeps the articles."""
    installed = install_translators(qapp, "en") if lang == "en" else []
    set_language(lang)
    try:
        shown = DeclarationWizard(register, commune)
        shown.confirm_abandon = lambda: True  # type: ignore[method-assign]
        qtbot.addWidget(shown)
        shown.resize(*WIZARD_SIZE)
        for question in QUESTIONS:  # every choice checked: every row form is built
            page = shown.page_for(question.key)
            for group in page.findChildren(TermGroup):
                group.check.setChecked(True)
        shown.page_for("transfers").yes_button.setChecked(True)  # type: ignore[attr-defined]
        cited = [
            text
            for text in wizard_texts(shown)
            if ARTICLE_NUMBER.search(text) and not any(e in text for e in EXAMPLE_ANSWERS)
        ]
        assert cited == []
        other = shown.page_for("data_categories").editor.groups["other"]  # type: ignore[attr-defined]
        expected = {
            "fr": "le registre doit dire quelles données sont traitées.",
            "en": "the record must say which data are processed.",
        }[lang]
        assert other.check.toolTip().endswith(expected)
        assert other.help.text().endswith(expected)
        # the DPO's own reference keeps the article
        dpo_help = vocabulary("data_categories").term("other")
        assert dpo_help is not None and "(art. 30.1.c)" in dpo_help.help_fr
    finally:
        set_language("fr")
        for translator in installed:
            qapp.removeTranslator(translator)


def test_the_wizard_speaks_english_when_asked(
    qtbot: QtBot, qapp: QApplication, register: Register, commune: str
) -> None:
    installed = install_translators(qapp, "en")
    set_language("en")
    try:
        english = DeclarationWizard(register, commune)
        qtbot.addWidget(english)
        legal = english.page_for("legal_basis")
        assert legal.buttons["6.1.c"].text() == "Legal obligation"  # type: ignore[attr-defined]
        assert english.page_for("data_subjects").why.label.text().startswith(
            "The GDPR asks the record to state"
        )  # plain words, no article number
        english.start_page.choose_template("etat-civil")
        english.start_page.validatePage()
        assert english.unknown() == []
        english.page_for("transfers").unknown_box.setChecked(True)
        assert english.answers()["todos"] == [
            {"question": "transfers", "text": TRANSFERS_QUESTION}  # stored in French
        ]
    finally:
        set_language("fr")
        for translator in installed:
            qapp.removeTranslator(translator)


def _declare_from_template(qtbot: QtBot, wizard: DeclarationWizard, template: str) -> None:
    """Go through the wizard from ``template``, leaving the security question to the DPO."""
    wizard.start_page.choose_template(template)
    while wizard.currentId() != SUMMARY_ID:
        if wizard.currentPage() is wizard.page_for("security_measures"):
            wizard.page_for("security_measures").unknown_box.click()
        wizard.next()


def _exported(register: Register) -> bytes:
    """The JSON export, whatever the time of export (the test clock moves at each reading)."""
    document = export_document(register)
    document["exported_at"] = ""
    return dumps(document)


def test_a_declaration_gets_the_next_reference_is_confirmed_and_can_be_undone(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    window.show()
    before = _exported(sample.register)
    wizard = window.open_wizard()
    assert wizard is not None
    wizard.confirm_abandon = lambda: True  # type: ignore[method-assign]
    _declare_from_template(qtbot, wizard, "listes-electorales")
    activity_id = press_finish(qtbot, wizard)
    record = services.record_of(sample.register, "activity", activity_id)
    assert record["reference"] == "T-004"  # after T-001 … T-003
    assert window.statusBar().currentMessage() == (
        f"Le traitement « {record['name']} » est enregistré sous la référence T-004. Il reste "
        "un brouillon jusqu'à sa validation par le DPO. Édition › Annuler (Ctrl+Z) le retire "
        "du registre."
    )
    assert window.current_activity_id() == activity_id
    assert window.undo_action.text() == f"Annuler la création du traitement « {record['name']} »"
    window.undo_action.trigger()
    assert _exported(sample.register) == before  # as if never declared
    window.redo_action.trigger()
    assert services.record_of(sample.register, "activity", activity_id)["reference"] == "T-004"


def test_a_second_activity_of_the_same_name_is_asked_first(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    wizard = DeclarationWizard(sample.register, sample.organisation_id)
    wizard.confirm_abandon = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.start_page.choose_scratch()
    wizard.next()
    name = wizard.page_for("name")
    name_edit = name.findChild(QLineEdit)
    assert isinstance(name_edit, QLineEdit)
    name_edit.setText("cantine")  # « Cantine » exists (T-002): case aside, the same name
    while wizard.currentId() != SUMMARY_ID:
        wizard.next()
    activities = len(services.list_activities(sample.register))
    with qtbot.assertNotEmitted(wizard.activity_created):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    box = wizard.duplicate_question
    assert box is not None and box.isVisible()
    assert box.text() == (
        "Le registre contient déjà un traitement « Cantine » (T-002). En créer un second du "
        "même nom ?"
    )
    assert box.defaultButton().text() == "&Revenir"
    box.defaultButton().click()
    assert wizard.isVisible() and len(services.list_activities(sample.register)) == activities
    wizard.button(QWizard.WizardButton.FinishButton).click()
    box = wizard.duplicate_question
    assert box is not None
    (create,) = [b for b in box.buttons() if b.text() == "&Créer quand même"]
    with qtbot.waitSignal(wizard.activity_created):
        create.click()
    assert len(services.list_activities(sample.register)) == activities + 1
