"""« Importer un fichier… »: a preview of what would be written, then one transaction."""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from registre import services
from registre.interchange import export_register
from registre.storage import Context, Register, create_register, open_register
from registre_ui.import_dialog import ImportDialog
from registre_ui.main_window import RegisterWindow
from tests.conftest import PASSPHRASE
from tests.ui.conftest import SampleRegister, unnamed_inputs
from tests.ui.test_browse import SettableClock, exported
from tests.ui.test_companions import _trail


@pytest.fixture
def target(tmp_path: Path) -> Iterator[tuple[Register, str]]:
    """A second, open register with one organisation and no activity."""
    register, _recovery = create_register(tmp_path / "Autre.registre", PASSPHRASE)
    organisation_id = services.create_organisation(
        register, name="Commune de Destination", kind="commune"
    ).id
    yield register, organisation_id
    register.close()


def _dialog(qtbot: QtBot, register: Register, organisation_id: str) -> ImportDialog:
    dialog = ImportDialog(register, organisation_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _names(register: Register) -> list[str]:
    return sorted(activity.name for activity in services.list_activities(register))


def test_json_preview_then_import(
    qtbot: QtBot, sample: SampleRegister, target: tuple[Register, str], tmp_path: Path
) -> None:
    exported = export_register(sample.register, tmp_path / "registre.json", "json")
    register, organisation_id = target
    dialog = _dialog(qtbot, register, organisation_id)
    assert not dialog.import_button.isEnabled()  # no plan yet
    assert not unnamed_inputs(dialog)

    plan = dialog.load_file(exported)
    assert plan is not None and len(plan.created) >= 3
    summary = dialog.summary_edit.toPlainText()
    assert summary.startswith("Import de « registre.json » (export JSON de Registre)")
    for name in ("École maternelle", "Cantine", "Listes électorales"):
        assert name in summary
    assert dialog.error_label.isHidden()
    assert dialog.columns_table.isHidden()  # a JSON export has no columns to map
    assert dialog.import_button.isEnabled()
    assert _names(register) == []  # the preview writes nothing

    with qtbot.waitSignal(dialog.imported):
        dialog.import_button.click()
    assert _names(register) == ["Cantine", "Listes électorales", "École maternelle"]
    assert dialog.report is not None and dialog.report_box is not None
    assert dialog.report_box.text().startswith("Import de « registre.json » terminé.")
    assert not dialog.isVisible()
    dialog.report_box.close()


def test_csv_preview_shows_the_column_mapping(
    qtbot: QtBot, target: tuple[Register, str], tmp_path: Path
) -> None:
    csv = tmp_path / "traitements.csv"
    csv.write_text(
        "Nom du traitement;Référence;Finalité principale;Couleur préférée\n"
        "État civil;T-010;Tenir les registres d'état civil;bleu\n",
        encoding="utf-8",
    )
    register, organisation_id = target
    dialog = _dialog(qtbot, register, organisation_id)
    plan = dialog.load_file(csv)
    assert plan is not None and [entry.label for entry in plan.created] == ["T-010 — État civil"]
    table = dialog.columns_table
    assert table.isVisible()
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert headers == ["Colonne du fichier", "Champ du registre"]
    rows = [
        (table.item(r, 0).text(), table.cellWidget(r, 1).currentText())
        for r in range(table.rowCount())
    ]
    assert rows == [
        ("Nom du traitement", "Nom du traitement"),
        ("Référence", "Référence"),
        ("Finalité principale", "Finalité principale"),
        ("Couleur préférée", "Garder en note"),
    ]
    assert "4 cellules non vides, 3 reprises dans des champs, 1 en notes, 0 perdues" in (
        dialog.summary_edit.toPlainText()
    )
    assert "Commune de Destination" in dialog.summary_edit.toPlainText()
    assert not unnamed_inputs(dialog)

    with qtbot.waitSignal(dialog.imported):
        dialog.import_button.click()
    assert _names(register) == ["État civil"]
    assert dialog.report_box is not None
    dialog.report_box.close()


@pytest.mark.parametrize(
    "content",
    [b'{"format": "registre", "organisations": [{"name": "Comm', b"\x00\x01garbage\xff\xfe" * 40],
    ids=["truncated-json", "garbage"],
)
def test_bad_file_shows_an_inline_error(
    qtbot: QtBot, sample: SampleRegister, tmp_path: Path, content: bytes
) -> None:
    before = services.list_activities(sample.register)
    bad = tmp_path / "abime.json"
    bad.write_bytes(content)
    dialog = _dialog(qtbot, sample.register, sample.organisation_id)
    assert dialog.load_file(bad) is None
    assert dialog.error_label.isVisible()
    text = dialog.error_label.text()
    assert text.startswith("Import impossible de « ")
    assert "Rien n'a été importé" in text  # the hint
    assert "Traceback" not in text
    assert not dialog.import_button.isEnabled()
    assert dialog.summary_edit.toPlainText() == ""
    dialog.import_button.click()
    assert services.list_activities(sample.register) == before


def test_a_text_file_named_xlsx_is_refused_as_not_a_spreadsheet(
    qtbot: QtBot, sample: SampleRegister, tmp_path: Path
) -> None:
    before = services.list_activities(sample.register)
    fake = tmp_path / "Registre de la mairie.xlsx"
    fake.write_text("Nom du traitement;Finalité\nCantine;Repas des élèves\n", encoding="utf-8")
    dialog = _dialog(qtbot, sample.register, sample.organisation_id)
    assert dialog.load_file(fake) is None
    assert dialog.error_label.isVisible()
    text = dialog.error_label.text()
    assert "porte l'extension .xlsx mais ce n'est pas un vrai classeur" in text
    assert "Rien n'a été importé" in text
    assert not dialog.import_button.isEnabled()
    assert dialog.summary_edit.toPlainText() == ""  # not read as CSV
    directory = Path(os.environ.get("REGISTRE_SCREENSHOT_DIR") or tmp_path)
    dialog.grab().save(str(directory / "import-fake-xlsx.png"))
    assert services.list_activities(sample.register) == before


def test_read_only_register_previews_but_cannot_import(
    qtbot: QtBot, sample: SampleRegister, tmp_path: Path
) -> None:
    exported = export_register(sample.register, tmp_path / "registre.json", "json")
    sample.register.close()
    register = open_register(sample.directory, PASSPHRASE, read_only=True)
    try:
        window = RegisterWindow(register)
        qtbot.addWidget(window)
        assert not window.import_action.isEnabled()
        dialog = _dialog(qtbot, register, sample.organisation_id)
        assert dialog.load_file(exported) is not None
        assert not dialog.import_button.isEnabled()
    finally:
        register.close()


def test_file_menu_action(qtbot: QtBot, sample: SampleRegister) -> None:
    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    actions = window.file_menu.actions()
    assert window.import_action in actions
    assert actions.index(window.import_action) == actions.index(window.export_menu.menuAction()) + 1
    assert window.import_action.text() == "&Importer un fichier…"
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    assert window.import_action.isEnabled()
    dialog = window.open_import()
    assert isinstance(dialog, ImportDialog) and dialog.organisation_id == sample.organisation_id
    dialog.reject()


def test_the_warning_comes_before_the_import_and_cancel_imports_nothing(
    qtbot: QtBot, sample: SampleRegister, tmp_path: Path
) -> None:
    """« ne peut pas être annulé » is read before « Importer » is pressed; « Annuler » then
    leaves the register as it was: its JSON export and its audit trail byte-identical."""
    exported_file = export_register(sample.register, tmp_path / "registre.json", "json")
    clock = SettableClock(dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC))
    context = Context(clock=clock, actor="secretaire")
    register, _recovery = create_register(tmp_path / "Cible.registre", PASSPHRASE, context=context)
    services.create_organisation(register, name="Commune de Destination", kind="commune")
    window = RegisterWindow(register)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    before, trail = exported(register), _trail(register)

    dialog = window.open_import()
    assert dialog.undo_warning.isHidden()  # nothing to import yet
    assert dialog.load_file(exported_file) is not None
    assert dialog.undo_warning.isVisible()
    assert dialog.undo_warning.text().startswith("Un import ne peut pas être annulé ensuite")
    assert dialog.import_button.isEnabled()
    dialog.cancel_button.click()
    assert not dialog.isVisible()

    window.commit_pending()
    assert exported(register) == before
    assert _trail(register) == trail
    assert _names(register) == []
    window.close()


LEGACY = Path(__file__).parents[1] / "fixtures" / "interchange" / "ancien-logiciel-2018.csv"


def test_each_column_can_go_to_a_field_a_note_or_nowhere(
    qtbot: QtBot, target: tuple[Register, str], tmp_path: Path
) -> None:
    register, organisation_id = target
    dialog = _dialog(qtbot, register, organisation_id)
    plan = dialog.load_file(LEGACY)
    assert plan is not None
    volume = dialog.column_choice("Volume (nb personnes)")
    assert volume.currentText() == "Garder en note"
    assert "0 perdues" in dialog.summary_edit.toPlainText()
    # Choose « ignorer » for one column, a field for another: the preview follows.
    volume.setCurrentIndex(volume.findData("ignore"))
    qtbot.waitUntil(lambda: "9 ignorées à votre demande" in dialog.summary_edit.toPlainText())
    assert dialog.column_choice("Volume (nb personnes)").currentText() == "Ignorer"
    location = dialog.column_choice("Localisation des données")
    location.setCurrentIndex(location.findData("description"))
    qtbot.waitUntil(
        lambda: (
            dialog.plan is not None
            and any(
                column.label == "Localisation des données" and column.target == "description"
                for column in dialog.plan.column_list
            )
        )
    )
    assert dialog.column_choice("Localisation des données").currentText() == "Description"
    assert not unnamed_inputs(dialog)
    saved = dialog.save_mapping(tmp_path / "correspondance.json")
    assert saved is not None
    document = json.loads(saved.read_text(encoding="utf-8"))
    assert document["columns"]["Volume (nb personnes)"] == "ignorer"
    assert document["columns"]["Localisation des données"] == "description"
    assert document["columns"]["Droit d'accès › Ce processus est-il en place ?"] == "note"
    dialog.grab().save(str(tmp_path / "import.png"))
    with qtbot.waitSignal(dialog.imported):
        dialog.import_button.click()
    records = {
        summary.reference: services.record_of(register, "activity", summary.id)
        for summary in services.list_activities(register)
    }
    assert records["REF_01"]["description"] == "Hébergé (SaaS)"
    assert "Volume" not in records["REF_01"]["legacy_notes"]
    assert dialog.report_box is not None
    assert "0 perdues" in dialog.report_box.text()
    dialog.report_box.close()


def test_the_note_of_an_imported_activity_is_in_its_editor_and_the_dpo_can_clear_it(
    qtbot: QtBot, sample: SampleRegister, tmp_path: Path
) -> None:
    from registre.interchange import apply_import, plan_import

    apply_import(sample.register, plan_import(sample.register, LEGACY))
    imported = next(
        summary
        for summary in services.list_activities(sample.register)
        if summary.reference == "REF_03"
    )
    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.select_activity(imported.id)
    editor = window.editor
    assert editor is not None
    note = editor.inputs["legacy_notes"]
    row = editor.rows["legacy_notes"]
    assert row.label.text().startswith("Informations reprises de l'ancien registre")
    text = note.widget.toPlainText()
    assert text.startswith("À vérifier : nom repris de la finalité")
    assert "Droit d'accès › Ce processus est-il en place ? : " in text
    window.grab().save(str(tmp_path / "editor-note.png"))
    note.widget.setPlainText("")
    note.finish()
    record = services.record_of(sample.register, "activity", imported.id)
    assert record["legacy_notes"] is None
    latest = services.audit_entries(sample.register, limit=1)[0]
    assert latest["action"] == "updated" and "legacy_notes" in latest["changes"]
