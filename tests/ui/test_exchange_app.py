"""Secretary ↔ DPO exchange files in the application: send, preview, accept as one undo step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from registre import services, todos
from registre.exchange import read_exchange
from registre.interchange.json_format import export_document
from registre.storage import Register
from registre_ui.editing import ChangeRecorder
from registre_ui.exchange_send import TO_COMMUNE
from registre_ui.main_window import RegisterWindow
from registre_ui.secretary import SecretaryWindow
from registre_ui.workspace import ExchangeImportDialog
from tests.kdf import TEST_POLICY

SHARED = "la phrase convenue entre la mairie et le délégué"


@pytest.fixture
def brest(register: Register) -> str:
    """A commune with a validated record, a draft with an open point and a completed one."""
    org = services.create_organisation(register, name="Commune de Brest").id
    services.create_activity(
        register, organisation_id=org, name="État civil", reference="T-001", status="validated"
    )
    services.create_activity(
        register,
        organisation_id=org,
        name="Cimetière communal",
        reference="T-002",
        todos=[{"text": "Combien de temps garder les concessions ?"}],
    )
    services.create_activity(
        register, organisation_id=org, name="Cantine", reference="T-003", status="completed"
    )
    return org


def _organisations(register: Register) -> object:
    return export_document(register)["organisations"]


def test_the_secretary_saves_her_declarations_for_the_dpo(
    qtbot: QtBot, register: Register, brest: str, tmp_path: Path
) -> None:
    window = SecretaryWindow(register, organisation_id=brest)
    qtbot.addWidget(window)
    dialog = window.send_to_dpo()
    assert dialog is not None
    qtbot.addWidget(dialog)
    rows = [dialog.list.item(row).text() for row in range(dialog.list.count())]
    assert "T-002 Cimetière communal — Brouillon — 1 point(s) à voir" in rows
    names = {services.record_of(register, "activity", i)["name"] for i in dialog.checked()}
    assert names == {"Cimetière communal", "Cantine"}  # the validated one stays home
    before = _organisations(register), services.audit_entries(register, limit=1000)

    dialog.passphrase_edit.setText(SHARED)
    dialog.confirm_edit.setText(SHARED + " ")
    assert dialog.save(tmp_path / "Brest") == 0
    assert dialog.status.text() == "Les deux phrases de passe saisies sont différentes."
    assert dialog.passphrase_edit.text() == SHARED  # only the confirmation is typed again
    dialog.passphrase_edit.setText("1234")
    assert dialog.strength.label.isVisibleTo(dialog)  # the policy's advice, while typing
    assert "7 mots" in dialog.strength.label.text()
    dialog.confirm_edit.setText("1234")
    assert dialog.save(tmp_path / "Brest") == 0  # too weak: said beside the fields
    assert "plus robuste" in dialog.status.text()
    assert dialog.passphrase_edit.text() == "1234" and dialog.confirm_edit.text() == ""
    assert not [w for w in dialog.findChildren(QMessageBox) if w.isVisible()]
    assert not (tmp_path / "Brest.registre-fiche").exists()

    dialog.passphrase_edit.setText(SHARED)
    dialog.confirm_edit.setText(SHARED)
    assert dialog.save(tmp_path / "Brest") == 2
    assert dialog.passphrase_edit.text() == "" and dialog.confirm_edit.text() == ""
    exchange = read_exchange(tmp_path / "Brest.registre-fiche", SHARED, TEST_POLICY)
    assert exchange.direction == "to_dpo"
    [cemetery] = [a for a in exchange.activities if a["name"] == "Cimetière communal"]
    assert [t["text"] for t in cemetery["todos"]] == ["Combien de temps garder les concessions ?"]
    assert (_organisations(register), services.audit_entries(register, limit=1000)) == before


def test_the_dpo_previews_accepts_in_one_undo_step_and_edits(
    qtbot: QtBot, register: Register, brest: str, tmp_path: Path
) -> None:
    window = SecretaryWindow(register, organisation_id=brest)
    qtbot.addWidget(window)
    [cantine] = [a for a in services.list_activities(register, brest) if a.name == "Cantine"]
    services.update_activity(register, cantine.id, main_purpose="Inscrire les enfants")
    dialog = window.send_to_dpo()
    assert dialog is not None
    qtbot.addWidget(dialog)
    dialog.passphrase_edit.setText(SHARED)
    dialog.confirm_edit.setText(SHARED)
    path = tmp_path / "Brest.registre-fiche"
    assert dialog.save(path) == 2
    # The DPO's register knew the cantine without its purpose, and no cemetery yet.
    services.update_activity(register, cantine.id, main_purpose=None)
    [cemetery] = [a for a in services.list_activities(register, brest) if a.reference == "T-002"]
    services.delete_activity(register, cemetery.id)
    before = _organisations(register)

    main = RegisterWindow(register)
    qtbot.addWidget(main)
    importer = main.workspace.open_exchange()
    qtbot.addWidget(importer)
    importer.passphrase_edit.setText("pas la bonne phrase, vraiment pas")
    assert not importer.open_file(path)
    assert importer.tree.topLevelItemCount() == 0 and not importer.accept_button.isEnabled()
    importer.passphrase_edit.setText(SHARED)
    assert importer.open_file(path)
    importer.set_checked([p.source_id for p in importer.preview.proposals])
    with qtbot.waitSignal(importer.edit_requested) as opened:
        assert importer.accept_and_edit() is not None
    organisation_id, activity_id = opened.args
    assert organisation_id == brest and main.current_activity_id() == activity_id
    assert services.record_of(register, "activity", cantine.id)["main_purpose"] == (
        "Inscrire les enfants"
    )
    [received] = [
        e for e in services.audit_entries(register, limit=1000) if e["action"] == "received"
    ]
    assert received["changes"]["file"] == "Brest.registre-fiche"
    assert main.recorder.undo_text() == (
        "Annuler la réception de la fiche d'échange « Brest.registre-fiche »"
    )
    main.recorder.undo()  # one step: the new record and the changed field together
    assert _organisations(register) == before
    assert todos.list_todos(register, organisation_id=brest, open_only=True) == []


def test_the_dpo_sends_the_commune_its_validated_records(
    qtbot: QtBot, register: Register, brest: str, tmp_path: Path
) -> None:
    window = RegisterWindow(register)
    qtbot.addWidget(window)
    window.select_organisation(brest)
    dialog = window.workspace.send_fiches()
    assert dialog is not None and dialog.direction == TO_COMMUNE
    qtbot.addWidget(dialog)
    assert [services.record_of(register, "activity", i)["name"] for i in dialog.checked()] == [
        "État civil"
    ]
    dialog.passphrase_edit.setText(SHARED)
    dialog.confirm_edit.setText(SHARED)
    assert dialog.save(tmp_path / "retour.registre-fiche") == 1
    exchange = read_exchange(tmp_path / "retour.registre-fiche", SHARED, TEST_POLICY)
    assert exchange.direction == "to_commune"
    assert [a["name"] for a in exchange.activities] == ["État civil"]
    receiving = ExchangeImportDialog(ChangeRecorder(register))
    qtbot.addWidget(receiving)
    receiving.passphrase_edit.setText(SHARED)
    assert receiving.open_file(tmp_path / "retour.registre-fiche")
    assert receiving.tree.topLevelItem(0).text(0) == "T-001 État civil (identique)"


def test_the_receive_dialog_says_what_each_record_was_matched_to(
    qtbot: QtBot, register: Register, brest: str, tmp_path: Path
) -> None:
    """The commune's register does not share the DPO's identifiers: a record of the same name as
    the DPO's is matched by its name only when that is sure, and the DPO sees how before
    accepting."""
    from registre.exchange import write_exchange
    from registre.storage import create_register
    from tests.conftest import PASSPHRASE

    mairie, _key = create_register(tmp_path / "Mairie.registre", PASSPHRASE)
    with mairie:
        org = services.create_organisation(mairie, name="Commune de Brest").id
        for name, reference in (
            ("État civil", None),  # her first record of it
            ("État civil", None),  # « Créer quand même »: a second one of the same name
            ("Cantine", None),
            ("Cimetière communal", "T-002"),
        ):
            services.create_activity(
                mairie, organisation_id=org, name=name, reference=reference, main_purpose="Mairie"
            )
        path = tmp_path / "Brest.registre-fiche"
        write_exchange(mairie, path, SHARED, organisation_id=org)
    [civil] = [a.id for a in services.list_activities(register, brest) if a.reference == "T-001"]
    kept = services.record_of(register, "activity", civil)
    dialog = ExchangeImportDialog(ChangeRecorder(register))
    qtbot.addWidget(dialog)
    dialog.passphrase_edit.setText(SHARED)
    assert dialog.open_file(path)
    records = [dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())]
    twice = "non rapprochée de T-001 : plusieurs fiches reçues portent ce nom"
    assert sorted((item.text(0), item.child(0).text(0)) for item in records) == [
        ("T-002 Cimetière communal (modifications)", "rapprochée de T-002 par sa référence"),
        ("T-003 Cantine (modifications)", "rapprochée de T-003 par son nom"),
        ("État civil (nouvelle fiche)", twice),
        ("État civil (nouvelle fiche)", twice),
    ]
    dialog.set_checked([p.source_id for p in dialog.preview.proposals])
    assert dialog.accept_checked() > 0
    assert services.record_of(register, "activity", civil) == kept  # the DPO's own, untouched
    assert sorted(
        (a.reference or "", a.status) for a in services.list_activities(register, brest)
    ) == [
        ("", "draft"),
        ("", "draft"),
        ("T-001", "validated"),
        ("T-002", "draft"),
        ("T-003", "completed"),
    ]
