"""« Mises à jour du catalogue… »: activities whose template has a newer version, field by field."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from registre import services
from registre.storage import Register, open_register
from registre.templates import Catalogue, create_from_template, load_catalogue
from registre_ui.main_window import RegisterWindow
from registre_ui.template_updates import TemplateUpdatesDialog
from tests.conftest import PASSPHRASE
from tests.ui.conftest import SampleRegister, unnamed_inputs

TEMPLATE_ID = "inscriptions-scolaires"
NEW_PURPOSE = "Inscrire les enfants dans les écoles publiques de la commune (version révisée)."
NEW_VERSION = "2027.01"


def _updated_catalogue() -> Catalogue:
    catalogue = load_catalogue()
    newer = catalogue.get(TEMPLATE_ID).with_changes(
        version=NEW_VERSION, note_fr="Finalité reformulée.", main_purpose=NEW_PURPOSE
    )
    return catalogue.replacing(newer, version=NEW_VERSION)


def _from_template(register: Register, organisation_id: str) -> str:
    return create_from_template(
        register,
        organisation_id=organisation_id,
        template_id=TEMPLATE_ID,
        overrides={"reference": "T-004", "name": "Inscriptions scolaires"},
    ).id


def _dialog(
    qtbot: QtBot, register: Register, organisation_id: str, **kwargs
) -> TemplateUpdatesDialog:
    dialog = TemplateUpdatesDialog(register, organisation_id, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _row(dialog: TemplateUpdatesDialog, label: str) -> int:
    labels = [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]
    return labels.index(label)


def test_outdated_activity_is_listed_and_its_checked_fields_applied(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    register = sample.register
    activity_id = _from_template(register, sample.organisation_id)
    old_purpose = services.record_of(register, "activity", activity_id)["main_purpose"]
    dialog = _dialog(qtbot, register, sample.organisation_id, catalogue=_updated_catalogue())

    assert dialog.activity_list.count() == 1
    text = dialog.activity_list.item(0).text()
    assert text == f"T-004 Inscriptions scolaires — modèle {TEMPLATE_ID} 2026.11 → {NEW_VERSION}"
    assert dialog.up_to_date_label.isHidden()
    assert "Finalité reformulée." in dialog.notes_label.text()

    row = _row(dialog, "Finalité principale")
    assert dialog.table.item(row, 1).text() == old_purpose
    assert dialog.table.item(row, 2).text() == NEW_PURPOSE
    # the field the template changed is ticked by default; the dialog applies what is ticked
    assert dialog.checked_keys() == ["main_purpose"]
    dialog.set_checked("main_purpose", False)
    assert not dialog.apply_button.isEnabled()
    dialog.set_checked("main_purpose")
    assert dialog.apply_button.isEnabled()

    with qtbot.waitSignal(dialog.changed):
        dialog.apply_button.click()
    record = services.record_of(register, "activity", activity_id)
    assert record["main_purpose"] == NEW_PURPOSE
    assert record["template_version"] == NEW_VERSION
    assert dialog.activity_list.count() == 0
    assert dialog.up_to_date_label.isVisible()
    assert unnamed_inputs(dialog) == []


def test_marking_up_to_date_keeps_the_local_value(qtbot: QtBot, sample: SampleRegister) -> None:
    register = sample.register
    activity_id = _from_template(register, sample.organisation_id)
    services.update_activity(register, activity_id, main_purpose="Notre finalité à nous.")
    dialog = _dialog(qtbot, register, sample.organisation_id, catalogue=_updated_catalogue())
    dialog.set_checked("main_purpose", False)

    with qtbot.waitSignal(dialog.changed):
        dialog.mark_button.click()
    record = services.record_of(register, "activity", activity_id)
    assert record["main_purpose"] == "Notre finalité à nous."
    assert record["template_version"] == NEW_VERSION
    assert dialog.activity_list.count() == 0


def test_collection_values_are_summarised_readably(qtbot: QtBot, sample: SampleRegister) -> None:
    register = sample.register
    activity_id = _from_template(register, sample.organisation_id)
    services.update_activity(register, activity_id, legal_basis="6.1.e")
    record = services.record_of(register, "activity", activity_id)
    services.delete_row(register, collection="purposes", row_id=record["purposes"][0]["id"])
    dialog = _dialog(qtbot, register, sample.organisation_id, catalogue=_updated_catalogue())

    basis = _row(dialog, "Base légale")
    assert dialog.table.item(basis, 0).checkState() == Qt.CheckState.Unchecked  # a local edit
    assert "6.1.e" not in dialog.table.item(basis, 1).text()  # the label, not the key
    purposes = dialog.table.item(_row(dialog, "Sous-finalités"), 2).text().split("\n")
    assert len(purposes) == 4
    assert purposes[0] == "• Délivrance du certificat d'inscription"
    assert len(dialog.table.item(_row(dialog, "Sous-finalités"), 1).text().split("\n")) == 3


def test_an_up_to_date_register_says_so(qtbot: QtBot, sample: SampleRegister) -> None:
    _from_template(sample.register, sample.organisation_id)
    dialog = _dialog(qtbot, sample.register, sample.organisation_id)
    assert dialog.activity_list.count() == 0
    assert dialog.up_to_date_label.isVisible()
    assert dialog.up_to_date_label.text() == "Toutes les fiches sont à jour du catalogue."
    assert dialog.splitter.isHidden()


def test_read_only_register_applies_nothing(qtbot: QtBot, sample: SampleRegister) -> None:
    _from_template(sample.register, sample.organisation_id)
    sample.register.close()
    register = open_register(sample.directory, PASSPHRASE, read_only=True)
    try:
        dialog = _dialog(qtbot, register, sample.organisation_id, catalogue=_updated_catalogue())
        assert dialog.activity_list.count() == 1
        assert dialog.table.rowCount() >= 1
        assert not dialog.apply_button.isEnabled()
        assert not dialog.mark_button.isEnabled()
        assert dialog.checked_keys() == []
        assert dialog.read_only_label.isVisible()
    finally:
        register.close()


def test_the_edit_menu_opens_the_dialog(qtbot: QtBot, sample: SampleRegister) -> None:
    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    texts = [action.text() for action in window.edit_menu.actions()]
    assert "Mises à jour du &catalogue…" in texts
    assert window.template_updates_action in window.edit_actions
    assert window.template_updates_action.isEnabled()
    dialog = window.open_template_updates()
    assert isinstance(dialog, TemplateUpdatesDialog)
    assert dialog.organisation_id == window.organisation_id()
    dialog.close()
