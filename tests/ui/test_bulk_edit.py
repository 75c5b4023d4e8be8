"""Bulk edit in the application: tick activities, pick a field, preview, apply, undo once."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from registre import services
from registre.batch import bulk_update
from registre.errors import RecordNotFound
from registre.storage import Register
from registre_ui.bulk_edit import ALL_ORGANISATIONS, BulkEditDialog
from registre_ui.main_window import RegisterWindow


@pytest.fixture
def communes(register: Register) -> dict[str, str]:
    """Two communes of three activities each; Arles' cantine already names its referent."""
    ids = {}
    for name in ("Commune d'Arles", "Commune de Brest"):
        org = services.create_organisation(register, name=name).id
        ids[name] = org
        for number, activity in enumerate(("Cantine", "État civil", "Urbanisme"), start=1):
            services.create_activity(
                register, organisation_id=org, name=activity, reference=f"T-00{number}"
            )
    [cantine] = [
        a for a in services.list_activities(register, ids["Commune d'Arles"]) if a.name == "Cantine"
    ]
    services.update_activity(register, cantine.id, referent="Service scolaire")
    return ids


def _referents(register: Register, organisation_id: str) -> dict[str, str | None]:
    return {
        a.name: services.record_of(register, "activity", a.id)["referent"]
        for a in services.list_activities(register, organisation_id)
    }


def test_bulk_edit_previews_applies_and_undoes_in_one_step(
    qtbot: QtBot, register: Register, communes: dict[str, str]
) -> None:
    arles = communes["Commune d'Arles"]
    window = RegisterWindow(register)
    qtbot.addWidget(window)
    window.select_organisation(arles)
    dialog = window.workspace.open_bulk_edit()
    qtbot.addWidget(dialog)
    assert dialog.organisation_combo.currentData() == arles
    assert dialog.activity_list.count() == 3
    entries = len(services.audit_entries(register, limit=1000))

    dialog.all_check.setChecked(True)
    dialog.choose_field("referent")
    assert dialog.value_input is not None
    editor = dialog.value_input.widget
    editor.setFocus()
    qtbot.keyClicks(editor, "Mme Durand, accueil de la mairie")
    qtbot.waitUntil(lambda: len(dialog.lines) == 3 and dialog.apply_button.isEnabled())
    table = dialog.preview_table
    rows = {
        table.item(r, 1).text(): (table.item(r, 2).text(), table.item(r, 3).text())
        for r in range(3)
    }
    assert rows["Cantine"] == ("Service scolaire", "Mme Durand, accueil de la mairie")
    assert rows["Urbanisme"] == ("—", "Mme Durand, accueil de la mairie")
    assert "3 traitement(s) changeront sur 3" in dialog.summary_label.text()
    # Looking and previewing wrote nothing.
    assert len(services.audit_entries(register, limit=1000)) == entries

    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert set(_referents(register, arles).values()) == {"Mme Durand, accueil de la mairie"}
    assert _referents(register, communes["Commune de Brest"]) == {
        "Cantine": None,
        "État civil": None,
        "Urbanisme": None,
    }
    assert len(services.audit_entries(register, limit=1000)) == entries + 3  # one per record
    assert "(inchangé)" in table.item(0, 3).text()  # applied: nothing left to change
    assert not dialog.apply_button.isEnabled()
    assert window.recorder.undo_text() == (
        "Annuler la modification de « Agent référent » sur 3 traitements"
    )

    window.recorder.undo()  # one step undoes the three
    assert _referents(register, arles) == {
        "Cantine": "Service scolaire",
        "État civil": None,
        "Urbanisme": None,
    }
    assert not window.recorder.stack.can_undo


def test_bulk_edit_across_organisations_with_a_choice_and_a_filter(
    qtbot: QtBot, register: Register, communes: dict[str, str]
) -> None:
    window = RegisterWindow(register)
    qtbot.addWidget(window)
    dialog = BulkEditDialog(window.recorder, organisation_id=None)
    qtbot.addWidget(dialog)
    dialog.organisation_combo.setCurrentIndex(dialog.organisation_combo.findData(ALL_ORGANISATIONS))
    assert dialog.activity_list.count() == 6
    dialog.search_edit.setText("cantine")
    dialog.all_check.setChecked(True)  # only those shown
    assert len(dialog.checked()) == 2
    dialog.choose_field("next_review_on")
    assert dialog.value_input is not None
    dialog.value_input.widget.setDate(QDate(2027, 3, 31))
    lines = dialog.refresh_preview()
    assert [line.after for line in lines] == ["31/03/2027", "31/03/2027"]
    assert dialog.apply() == 2
    cantines = [a for a in services.list_activities(register) if a.name == "Cantine"]
    assert {services.record_of(register, "activity", a.id)["next_review_on"] for a in cantines} == {
        dt.date(2027, 3, 31)
    }
    others = [a for a in services.list_activities(register) if a.name != "Cantine"]
    assert {services.record_of(register, "activity", a.id)["next_review_on"] for a in others} == {
        None
    }


def test_a_failure_midway_changes_nothing(
    qtbot: QtBot, register: Register, communes: dict[str, str]
) -> None:
    brest = communes["Commune de Brest"]
    window = RegisterWindow(register)
    qtbot.addWidget(window)
    dialog = BulkEditDialog(window.recorder, organisation_id=brest)
    qtbot.addWidget(dialog)
    dialog.all_check.setChecked(True)
    dialog.choose_field("uses_profiling")
    assert dialog.value_input is not None
    dialog.value_input.widget.setCurrentIndex(dialog.value_input.widget.findData(False))
    assert [line.after for line in dialog.refresh_preview()] == ["non", "non", "non"]
    # Another window deletes the last activity after the preview: the edit stops there.
    last = services.list_activities(register, brest)[-1]
    services.delete_activity(register, last.id)
    entries = len(services.audit_entries(register, limit=1000))
    ids = dialog.checked()
    with pytest.raises(RecordNotFound):
        bulk_update(register, activity_ids=ids, field_key="uses_profiling", value=False)
    assert len(services.audit_entries(register, limit=1000)) == entries
    assert {
        services.record_of(register, "activity", a.id)["uses_profiling"]
        for a in services.list_activities(register, brest)
    } == {None}
    assert dialog.apply() == 0  # the dialog reads again before writing: it says why
    assert "n'existe plus" in dialog.summary_label.text()
    assert len(services.audit_entries(register, limit=1000)) == entries
    assert not window.recorder.stack.can_undo
    assert dialog.activity_list.count() == 2  # the list read again, without the deleted one
