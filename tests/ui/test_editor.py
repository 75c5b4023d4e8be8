"""The schema-generated editors: inputs per field kind, saving at once, refusals, undo and redo."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from registre import services
from registre.schema import (
    ACTIVITY,
    LAW_ENFORCEMENT,
    LAW_ENFORCEMENT_ARTICLES,
    ORGANISATION,
    PROCESSOR,
    SOFTWARE,
    Kind,
)
from registre_ui.editing import ChangeRecorder
from registre_ui.editor import SECTION_TITLE, RecordEditor
from registre_ui.fields import (
    BoolInput,
    ChoiceInput,
    DateInput,
    IntegerInput,
    LongTextInput,
    MultiChoiceInput,
    ReferenceInput,
    ReferencesInput,
    TextInput,
)
from registre_ui.main_window import RegisterWindow
from registre_ui.rows import RowTableModel
from tests.ui.conftest import SampleRegister, unnamed_inputs


def _window(qtbot: QtBot, sample: SampleRegister) -> RegisterWindow:
    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _open(window: RegisterWindow, sample: SampleRegister, name: str) -> RecordEditor:
    assert window.select_activity(sample.activity_ids[name])
    assert window.editor is not None
    return window.editor


def _stored(sample: SampleRegister, name: str) -> dict[str, object]:
    return services.record_of(sample.register, "activity", sample.activity_ids[name])


def _type(field_input: TextInput | LongTextInput, text: str) -> None:
    """Replace the text and leave the field, as a user would."""
    if isinstance(field_input, TextInput):
        field_input.widget.setText(text)
    else:
        field_input.widget.setPlainText(text)
    field_input.finish()


def test_one_input_per_field_kind_with_sections_in_article_30_order(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = _window(qtbot, sample)
    editor = _open(window, sample, "École maternelle")
    expected = {
        Kind.TEXT: TextInput,
        Kind.LONGTEXT: LongTextInput,
        Kind.CHOICE: ChoiceInput,
        Kind.BOOL: BoolInput,
        Kind.DATE: DateInput,
        Kind.INTEGER: IntegerInput,
        Kind.MULTICHOICE: MultiChoiceInput,
        Kind.REFERENCES: ReferencesInput,
    }
    for spec in ACTIVITY.fields:
        assert isinstance(editor.inputs[spec.key], expected[spec.kind]), spec.key
    titles = [
        label.text()
        for label in editor.findChildren(QLabel, SECTION_TITLE)
        if label.isVisibleTo(editor)
    ]
    assert titles == [
        "Identification du traitement",
        "Acteurs (art. 30.1.a)",
        "Finalités et base légale (art. 30.1.b)",
        "Personnes et données concernées (art. 30.1.c)",
        "Destinataires (art. 30.1.d)",
        "Transferts hors de l'UE (art. 30.1.e)",
        "Durées de conservation (art. 30.1.f)",
        "Mesures de sécurité (art. 30.1.g)",
        "Analyse d'impact (AIPD) (art. 35)",
        "Suivi",
    ]
    row = editor.rows["main_purpose"]
    assert row.label.text() == "Finalité principale *"  # required by Article 30, in words
    assert row.label.buddy() is editor.inputs["main_purpose"].widget
    assert row.help_label.text() == ACTIVITY.field("main_purpose").help_fr
    assert editor.inputs["main_purpose"].widget.toolTip() == ACTIVITY.field("main_purpose").help_fr
    assert editor.inputs["legal_basis"].widget.currentText().startswith("Mission d'intérêt public")
    assert editor.inputs["has_transfers"].widget.currentText() == "Non"
    assert editor.inputs["processors"].value() == [sample.processor_id]
    legal_basis = editor.inputs["legal_basis"].widget
    assert legal_basis.itemText(0) == "—"  # the empty entry comes first


@pytest.mark.parametrize("entity", [ACTIVITY, ORGANISATION, PROCESSOR, SOFTWARE])
def test_every_input_has_an_accessible_name_and_tab_follows_the_form(
    qtbot: QtBot, sample: SampleRegister, entity: object
) -> None:
    recorder = ChangeRecorder(sample.register)
    editor = RecordEditor(entity, recorder)  # type: ignore[arg-type]
    qtbot.addWidget(editor)
    record_id = {
        ACTIVITY: sample.activity_ids["École maternelle"],
        ORGANISATION: sample.organisation_id,
        PROCESSOR: sample.processor_id,
        SOFTWARE: sample.software_id,
    }[entity]
    editor.load(services.record_of(sample.register, editor.entity.name, record_id))
    editor.resize(900, 700)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    assert unnamed_inputs(editor) == []
    inputs = editor.input_widgets()
    assert all(widget.accessibleName() for widget in inputs)
    inputs[0].setFocus(Qt.FocusReason.TabFocusReason)
    visited: list[QWidget] = []
    for _ in range(len(inputs) * 6):
        focused = QApplication.focusWidget()
        owner = next((w for w in inputs if w is focused or w.isAncestorOf(focused)), None)
        if owner is not None and owner not in visited:
            visited.append(owner)
        if len(visited) == len(inputs):
            break
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert [w.accessibleName() for w in visited] == [w.accessibleName() for w in inputs]


def test_a_field_is_saved_when_left_and_the_list_follows(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = _window(qtbot, sample)
    editor = _open(window, sample, "Cantine")
    entries = window.audit_model.rowCount()
    _type(editor.inputs["service"], "  Restauration collective ")
    assert _stored(sample, "Cantine")["service"] == "Restauration collective"
    assert editor.inputs["service"].widget.text() == "Restauration collective"
    row = window.activity_model.row_of(sample.activity_ids["Cantine"])
    assert window.activity_model.index(row, 2).data() == "Restauration collective"
    assert window.audit_model.rowCount() == entries + 1
    _type(editor.inputs["name"], "Cantine scolaire")
    assert editor.heading.text() == "Cantine scolaire"
    assert window.activity_model.index(row, 1).data() == "Cantine scolaire"


def test_choices_yes_no_dates_numbers_and_lists_are_saved(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = _window(qtbot, sample)
    editor = _open(window, sample, "Cantine")
    legal_basis = editor.inputs["legal_basis"]
    assert isinstance(legal_basis, ChoiceInput)
    legal_basis.choose("6.1.c")
    transfers = editor.inputs["has_transfers"]
    assert isinstance(transfers, BoolInput)
    transfers.choose(False)
    review = editor.inputs["next_review_on"]
    assert isinstance(review, DateInput)
    review.set_date(dt.date(2027, 6, 30))
    assert review.widget.text() == "30/06/2027"
    criteria = editor.inputs["dpia_criteria"]
    assert isinstance(criteria, MultiChoiceInput)
    criteria.set_checked(["sensitive_data", "vulnerable_subjects"])
    processors = editor.inputs["processors"]
    assert isinstance(processors, ReferencesInput)
    processors.set_checked([sample.processor_id])
    stored = _stored(sample, "Cantine")
    assert stored["legal_basis"] == "6.1.c"
    assert stored["has_transfers"] is False
    assert stored["next_review_on"] == dt.date(2027, 6, 30)
    assert stored["dpia_criteria"] == ["sensitive_data", "vulnerable_subjects"]
    assert stored["processors"] == [sample.processor_id]
    review.clear()
    transfers.choose(None)  # back to « — »: not answered
    stored = _stored(sample, "Cantine")
    assert stored["next_review_on"] is None
    assert stored["has_transfers"] is None
    assert review.widget.text() == "—"


def test_a_refused_value_is_explained_next_to_the_field(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = _window(qtbot, sample)
    window.show_tab(2)
    page = window.processor_page
    assert page.select(sample.processor_id)
    email = page.editor.inputs["email"]
    assert isinstance(email, TextInput)
    _type(email, "contact-sans-arobase")
    row = page.editor.rows["email"]
    assert row.error_label.isVisibleTo(page.editor)
    assert row.error_label.text() == (
        "Valeur refusée pour « Courriel » : adresse de courriel invalide. "
        "La valeur enregistrée reste « contact@example.fr »."
    )
    assert services.record_of(sample.register, "processor", sample.processor_id)["email"] == (
        "contact@example.fr"
    )
    assert not window.recorder.stack.can_undo
    _type(email, "support@example.fr")
    assert not row.error_label.isVisibleTo(page.editor)

    window.show_tab(0)
    editor = _open(window, sample, "Cantine")
    _type(editor.inputs["reference"], "T" * 60)
    assert "50 caractères au plus" in editor.rows["reference"].error_label.text()
    assert _stored(sample, "Cantine")["reference"] == "T-002"


def test_undo_and_redo_with_readable_labels(qtbot: QtBot, sample: SampleRegister) -> None:
    window = _window(qtbot, sample)
    editor = _open(window, sample, "Cantine")
    assert not window.undo_action.isEnabled()
    assert window.undo_action.text() == "Annuler"
    _type(editor.inputs["main_purpose"], "Servir les repas aux élèves.")
    assert window.undo_action.isEnabled()
    assert window.undo_action.text() == "Annuler la modification de « Finalité principale »"
    assert window.undo_action.shortcut().toString() == "Ctrl+Z"
    assert "Ctrl+Shift+Z" in [shortcut.toString() for shortcut in window.redo_action.shortcuts()]

    window.undo_action.trigger()
    assert _stored(sample, "Cantine")["main_purpose"] is None
    assert editor.inputs["main_purpose"].value() == ""
    assert window.redo_action.text() == "Rétablir la modification de « Finalité principale »"
    assert QApplication.focusWidget() is editor.inputs["main_purpose"].widget

    window.redo_action.trigger()
    assert _stored(sample, "Cantine")["main_purpose"] == "Servir les repas aux élèves."
    assert editor.inputs["main_purpose"].value() == "Servir les repas aux élèves."


def test_ctrl_z_undoes_typing_in_a_field_before_the_register(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = _window(qtbot, sample)
    editor = _open(window, sample, "Cantine")
    _type(editor.inputs["service"], "Cuisine centrale")
    field = editor.inputs["service"].widget
    field.setFocus()
    qtbot.keyClicks(field, " bis")
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert field.text() != "Cuisine centrale bis"  # the field's own undo took the key
    assert _stored(sample, "Cantine")["service"] == "Cuisine centrale"
    field.setText("Cuisine centrale")  # nothing left to save: Ctrl+Z reaches the register
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert _stored(sample, "Cantine")["service"] == "Restauration scolaire"


def test_typing_is_saved_before_another_activity_is_shown(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = _window(qtbot, sample)
    editor = _open(window, sample, "Cantine")
    editor.inputs["description"].widget.setPlainText("Repas du midi")  # not left yet
    assert window.select_activity(sample.activity_ids["Listes électorales"])
    assert _stored(sample, "Cantine")["description"] == "Repas du midi"


def test_new_activity_then_delete_with_confirmation_and_undo(
    qtbot: QtBot, sample: SampleRegister, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window(qtbot, sample)
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.activity_model.rowCount() == 4
    assert window.editor is not None
    new_id = window.editor.record_id
    assert new_id is not None and window.current_activity_id() == new_id
    name = window.editor.inputs["name"].widget
    assert name.text() == "Nouveau traitement" and name.selectedText() == "Nouveau traitement"
    assert name.hasFocus()
    assert window.undo_action.text() == "Annuler la création du traitement « Nouveau traitement »"
    assert window.count_label.text() == "4 traitements"

    answers = iter([False, True])
    questions: list[str] = []

    def confirm(_title: str, text: str) -> bool:
        questions.append(text)
        return next(answers)

    monkeypatch.setattr(window, "confirm", confirm)
    assert window.select_activity(sample.activity_ids["Cantine"])
    assert not window.delete_current_activity()  # « Non »: nothing happens
    assert window.activity_model.rowCount() == 4
    assert window.delete_current_activity()
    assert "« Cantine »" in questions[0]
    assert window.activity_model.row_of(sample.activity_ids["Cantine"]) < 0
    assert window.editor.record_id != sample.activity_ids["Cantine"]  # the next one is shown
    assert window.undo_action.text() == "Annuler la suppression du traitement « Cantine »"

    window.undo_action.trigger()
    assert window.activity_model.row_of(sample.activity_ids["Cantine"]) >= 0
    assert window.editor.record_id == sample.activity_ids["Cantine"]
    assert _stored(sample, "Cantine")["reference"] == "T-002"
    window.undo_action.trigger()
    window.undo_action.trigger()  # the creation of « Nouveau traitement »
    assert window.activity_model.rowCount() == 3
    assert window.activity_model.row_of(new_id) < 0


def test_rows_are_edited_in_tables_with_a_number_and_its_unit_together(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = _window(qtbot, sample)
    editor = _open(window, sample, "École maternelle")
    categories = editor.collections["data_categories"]
    model = categories.model
    duration = model.column_of("retention_value")
    assert model.column_of("retention_unit") == duration
    assert model.headerData(duration, Qt.Orientation.Horizontal) == "Durée de conservation"
    assert model.index(0, duration).data() == "1 an"
    assert model.setData(model.index(0, duration), [5, "years"])
    assert model.index(0, duration).data() == "5 ans"
    rows = _stored(sample, "École maternelle")["data_categories"]
    assert isinstance(rows, list) and rows[0]["retention_value"] == 5
    assert window.undo_action.text() == (
        "Annuler la modification de « Durée de conservation » dans « Catégories de données »"
    )

    row_id = categories.add_row()
    assert row_id is not None and model.rowCount() == 2
    assert not model.setData(model.index(1, duration), [-3, "years"])  # refused
    assert "nombre positif attendu" in categories.error_label.text()
    assert model.setData(model.index(1, model.column_of("category")), "health")
    assert model.index(1, model.column_of("category")).data() == "Données concernant la santé"
    categories.table.setCurrentIndex(model.index(1, 0))
    categories.remove_current_row()
    assert model.rowCount() == 1

    window.undo_action.trigger()  # the row is back
    assert editor.collections["data_categories"].model.rowCount() == 2
    assert editor.collections["data_categories"].table.hasFocus()


def test_row_table_model_follows_the_model_contract(
    qtmodeltester: ModelTester, sample: SampleRegister
) -> None:
    record = _stored(sample, "École maternelle")
    model = RowTableModel(ACTIVITY.collection("data_categories").entity, lambda _id, v: dict(v))
    rows = record["data_categories"]
    assert isinstance(rows, list)
    model.set_rows(rows)
    qtmodeltester.check(model)


def test_role_decides_which_sections_are_shown(qtbot: QtBot, sample: SampleRegister) -> None:
    window = _window(qtbot, sample)
    editor = _open(window, sample, "Cantine")
    assert editor.rows["main_purpose"].isVisibleTo(editor)
    assert not editor.collections["controllers_served"].isVisibleTo(editor)
    role = editor.inputs["role"]
    assert isinstance(role, ChoiceInput)
    role.choose("processor")
    assert not editor.rows["main_purpose"].isVisibleTo(editor)
    assert editor.collections["controllers_served"].isVisibleTo(editor)
    assert editor.rows["processing_categories"].isVisibleTo(editor)
    window.undo_action.trigger()
    assert editor.rows["main_purpose"].isVisibleTo(editor)


def _section_titles(editor: QWidget) -> list[str]:
    return [
        label.text()
        for label in editor.findChildren(QLabel, SECTION_TITLE)
        if label.isVisibleTo(editor)
    ]


def test_a_police_justice_activity_s_sections_cite_the_directive_s_article_24(
    qtbot: QtBot, sample: SampleRegister, tmp_path: Path
) -> None:
    window = _window(qtbot, sample)
    window.resize(1280, 800)
    editor = _open(window, sample, "Cantine")
    gdpr = _section_titles(editor)
    assert "Acteurs (art. 30.1.a)" in gdpr
    assert "article 30 du RGPD" in editor.legend.text()
    regime = editor.inputs["regime"]
    assert isinstance(regime, ChoiceInput)
    regime.choose(LAW_ENFORCEMENT)  # the user changes the regime in the form
    assert _stored(sample, "Cantine")["regime"] == LAW_ENFORCEMENT
    titles = _section_titles(editor)
    assert titles[1:4] == [
        "Acteurs (directive 2016/680, art. 24.1.a)",
        "Finalités et base légale (directive 2016/680, art. 24.1.b)",
        "Personnes et données concernées (directive 2016/680, art. 24.1.d)",
    ]
    # every heading follows the schema's mapping, none cites the GDPR's Article 30 any more
    expected = [
        f"{section.label_fr} (directive 2016/680, art. "
        f"{LAW_ENFORCEMENT_ARTICLES[section.article]})"
        if section.article
        else section.label_fr
        for section in ACTIVITY.sections
        if section.key != "processor"  # a controller's activity
    ]
    assert titles == expected
    assert not [title for title in titles if "30.1" in title]
    assert "article 24 de la directive 2016/680" in editor.legend.text()
    qtbot.wait(50)  # the longer legend wraps once the layout has run
    window.grab().save(str(_shots(tmp_path) / "editor-police-justice.png"))
    actors = editor.sections[1].title
    assert actors is not None
    editor.scroll_area.verticalScrollBar().setValue(actors.mapTo(editor.form, actors.pos()).y())
    qtbot.wait(50)
    window.grab().save(str(_shots(tmp_path) / "editor-police-justice-sections.png"))
    # the read-only record says the same
    window.detail.show_activity(_stored(sample, "Cantine"), {})
    assert _section_titles(window.detail) == expected
    # back to the GDPR (undo): Article 30 again
    window.undo_action.trigger()
    assert _section_titles(editor) == gdpr
    assert "article 30 du RGPD" in editor.legend.text()
    # kept as processor: the sections cite Article 30.2 as the PDF does
    role = editor.inputs["role"]
    assert isinstance(role, ChoiceInput)
    role.choose("processor")
    assert "Transferts hors de l'UE (art. 30.2.c)" in _section_titles(editor)
    assert "Mesures de sécurité (art. 30.2.d)" in _section_titles(editor)
    assert "Traitement en tant que sous-traitant (art. 30.2)" in _section_titles(editor)
    regime.choose(LAW_ENFORCEMENT)
    assert "Traitement en tant que sous-traitant (directive 2016/680, art. 24.2)" in (
        _section_titles(editor)
    )


def _shots(tmp_path: Path) -> Path:
    directory = Path(os.environ.get("REGISTRE_SCREENSHOT_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def test_processors_software_and_organisation_use_the_same_editor(
    qtbot: QtBot, sample: SampleRegister, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window(qtbot, sample)
    new_id = window.software.new_record()
    assert new_id is not None
    page = window.software_page
    assert window.tabs.currentWidget() is page
    assert page.editor.record_id == new_id
    hosting = page.editor.inputs["hosting"]
    assert isinstance(hosting, ChoiceInput)
    hosting.choose("provider")
    provider = page.editor.inputs["processor_id"]
    assert isinstance(provider, ReferenceInput)
    provider.choose(sample.processor_id)
    stored = services.record_of(sample.register, "software", new_id)
    assert (stored["hosting"], stored["processor_id"]) == ("provider", sample.processor_id)
    _type(page.editor.inputs["name"], "Cantine+")
    assert page.model.index(page.model.row_of(new_id), 0).data() == "Cantine+"

    monkeypatch.setattr(window, "confirm", lambda _title, _text: True)
    assert window.processors.delete_record(sample.processor_id)
    assert window.processor_page.model.rowCount() == 0
    window.undo()
    assert window.processor_page.model.rowCount() == 1
    assert services.record_of(sample.register, "software", new_id)["processor_id"] == (
        sample.processor_id
    )

    dialog = window.edit_organisation()
    assert dialog is not None
    _type(dialog.editor.inputs["dpo_name"], "Claire Martin")
    assert (
        services.record_of(sample.register, "organisation", sample.organisation_id)["dpo_name"]
        == "Claire Martin"
    )
    _type(dialog.editor.inputs["name"], "Commune de Saint-Test-sur-Mer")
    assert window.organisation_combo.currentText() == "Commune de Saint-Test-sur-Mer"
    window.undo()
    assert window.organisation_combo.currentText() == "Commune de Saint-Test"
    dialog.close()


def test_integer_input_reads_no_number_as_empty(qtbot: QtBot) -> None:
    spec = ACTIVITY.collection("data_categories").entity.field("retention_value")
    field_input = IntegerInput(spec)
    qtbot.addWidget(field_input.widget)
    field_input.set_value(None)
    assert field_input.widget.text() == "—"
    assert field_input.value() is None
    field_input.set_value(7)
    assert field_input.value() == 7 and not field_input.is_dirty()


def _audit_count(sample: SampleRegister) -> int:
    return services.register_info(sample.register).counts["audit_entries"]


def test_showing_records_one_after_another_saves_nothing(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    """Texts with non-breaking spaces, lists of processors that differ from one record to the
    next: showing them, leaving them, showing them again writes nothing."""
    services.update_activity(
        sample.register,
        sample.activity_ids["Cantine"],
        main_purpose="Servir les repas\u00a0; facturer les familles.\r\nDeux lignes",
        legal_basis_text="Code de l'éducation, art.\u00a0L131-13",
    )
    entries = _audit_count(sample)
    stored = {name: _stored(sample, name) for name in sample.activity_ids}
    window = _window(qtbot, sample)
    for name in ["École maternelle", "Cantine", "Listes électorales", "École maternelle"]:
        editor = _open(window, sample, name)
    editor.inputs["main_purpose"].focus()
    for name in ["Cantine", "École maternelle", "Cantine"]:
        editor = _open(window, sample, name)
        editor.inputs["main_purpose"].focus()
        editor.inputs["processors"].focus()
    window._commit_pending()
    assert _audit_count(sample) == entries
    assert {name: _stored(sample, name) for name in sample.activity_ids} == stored
    assert not window.recorder.stack.can_undo


def test_text_is_saved_exactly_as_typed(qtbot: QtBot, sample: SampleRegister) -> None:
    window = _window(qtbot, sample)
    editor = _open(window, sample, "Cantine")
    typed = "Servir les repas\u00a0: « menus » et régimes\u202f!\nSeconde ligne"
    _type(editor.inputs["main_purpose"], typed)
    assert _stored(sample, "Cantine")["main_purpose"] == typed
    _type(editor.inputs["service"], "Restauration\u00a0scolaire")
    assert _stored(sample, "Cantine")["service"] == "Restauration\u00a0scolaire"
    last = services.audit_entries(sample.register, 1)[0]
    assert last["changes"] == {"service": ["Restauration scolaire", "Restauration\u00a0scolaire"]}


def test_ticking_back_what_was_stored_saves_nothing(qtbot: QtBot, sample: SampleRegister) -> None:
    window = _window(qtbot, sample)
    editor = _open(window, sample, "École maternelle")
    processors = editor.inputs["processors"]
    assert isinstance(processors, ReferencesInput)
    entries = _audit_count(sample)
    item = processors.widget.item(0)
    item.setCheckState(Qt.CheckState.Unchecked)  # one click…
    assert _audit_count(sample) == entries + 1
    item.setCheckState(Qt.CheckState.Checked)  # …and back: two edits, two entries
    assert _audit_count(sample) == entries + 2
    assert _stored(sample, "École maternelle")["processors"] == [sample.processor_id]


def test_a_cell_opened_and_left_without_a_change_saves_nothing(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    rows = _stored(sample, "École maternelle")["data_categories"]
    assert isinstance(rows, list)
    services.update_row(
        sample.register,
        collection="data_categories",
        row_id=rows[0]["id"],
        details="nom,\u00a0prénom\r\ndate de naissance",
        retention_start="la fin de l'année\u00a0scolaire",
    )
    window = _window(qtbot, sample)
    editor = _open(window, sample, "École maternelle")
    table = editor.collections["data_categories"].table
    model = editor.collections["data_categories"].model
    entries = _audit_count(sample)
    for column in range(model.columnCount()):
        index = model.index(0, column)
        table.setCurrentIndex(index)
        table.edit(index)
        editor_widget = table.indexWidget(index) or QApplication.focusWidget()
        assert editor_widget is not None
        table.setFocus()  # the cell editor closes: what it shows goes back to the model
        qtbot.keyClick(table, Qt.Key.Key_Escape)
    table.clearFocus()
    assert _audit_count(sample) == entries
