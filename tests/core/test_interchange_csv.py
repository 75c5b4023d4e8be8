"""CSV: column mapping from French and English titles, encodings, repairs, duplicates, export."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from registre import services
from registre.demo import create_demo_register
from registre.interchange import InvalidImportFile, apply_import, export_register, plan_import
from registre.interchange.csv_format import COLUMNS
from registre.interchange.text import normalise
from registre.schema import ACTIVITY
from registre.storage import Context, Register, create_register
from tests.conftest import PASSPHRASE

FRENCH = (
    "Nom du traitement;Référence;Finalité principale;Base légale;Catégories de personnes;"
    "Catégories de données;Date de création de la fiche;Données transférées hors de l'UE\r\n"
    "État civil;T-001;Établir les actes;Obligation légale;Administrés et habitants;"
    '"État civil, identité, données d\'identification, images";13/05/2019;Non\r\n'
    "Cantine scolaire;T-002;Gérer les inscriptions;Mission d'intérêt public;"
    '"Enfants\nParents";Données concernant la santé;2020-09-01;non\r\n'
)
ENGLISH = (
    "Processing activity,Reference,Purpose,Lawful basis,Data subjects,Recipients\n"
    "Payroll,P-1,Pay the staff,Legal obligation,Staff (civil servants and contract staff),"
    '"Internal department processing the data | Finance"\n'
    "Newsletter,P-2,Send news,Consent,Residents,\n"
)


@pytest.fixture
def target(tmp_path: Path, context: Context) -> Any:
    register, _recovery = create_register(tmp_path / "Target.registre", PASSPHRASE, context=context)
    organisation_id = services.create_organisation(register, name="Commune de Test").id
    yield register, organisation_id
    register.close()


def _import(register: Register, path: Path, **options: Any) -> dict[str, dict[str, Any]]:
    apply_import(register, plan_import(register, path, **options))
    records = {}
    for summary in services.list_activities(register):
        records[summary.name] = services.record_of(register, "activity", summary.id)
    return records


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (FRENCH, "cp1252"),
        (FRENCH, "utf-8-sig"),
        (FRENCH.replace(";", ","), "utf-8"),
        (FRENCH.replace(";", "\t"), "mac_roman"),
    ],
)
def test_french_csv_in_any_encoding_and_delimiter(
    target: tuple[Register, str], tmp_path: Path, text: str, encoding: str
) -> None:
    register, _organisation = target
    path = tmp_path / "registre.csv"
    path.write_bytes(text.encode(encoding))
    plan = plan_import(register, path)
    assert plan.format == "csv"
    assert plan.not_understood == []
    assert plan.columns["Base légale"] == "legal_basis"
    records = _import(register, path)
    civil = records["État civil"]
    assert civil["reference"] == "T-001"
    assert civil["legal_basis"] == "6.1.c"
    assert civil["created_on"] == dt.date(2019, 5, 13)
    assert civil["has_transfers"] is False
    assert civil["data_subjects"][0]["category"] == "residents"
    assert civil["data_categories"][0]["category"] == "identity"
    canteen = records["Cantine scolaire"]
    assert canteen["legal_basis"] == "6.1.e"
    assert [s["category"] for s in canteen["data_subjects"]] == ["minors", "legal_guardians"]
    assert canteen["data_categories"][0]["category"] == "health"


def test_english_headers_and_row_items(target: tuple[Register, str], tmp_path: Path) -> None:
    register, _organisation = target
    path = tmp_path / "ropa.csv"
    path.write_text(ENGLISH, encoding="utf-8")
    records = _import(register, path)
    payroll = records["Payroll"]
    assert payroll["main_purpose"] == "Pay the staff"
    assert payroll["data_subjects"][0]["category"] == "staff"
    assert payroll["recipients"][0] | {"id": None} == {
        "id": None,
        "recipient_type": "internal_service",
        "name": "Finance",
        "details": None,
    }
    assert records["Newsletter"]["legal_basis"] == "6.1.a"


def test_doubly_encoded_utf8_is_repaired(target: tuple[Register, str], tmp_path: Path) -> None:
    register, _organisation = target
    garbled = FRENCH.encode("utf-8").decode("cp1252", errors="replace")
    path = tmp_path / "double.csv"
    path.write_text(garbled, encoding="utf-8")
    plan = plan_import(register, path)
    assert plan.repairs.mojibake > 0
    assert "doublement encodés" in plan.summary("fr")
    records = _import(register, path)
    assert set(records) == {"État civil", "Cantine scolaire"}
    assert records["État civil"]["main_purpose"] == "Établir les actes"


def test_a_mapping_file_names_the_other_columns(
    target: tuple[Register, str], tmp_path: Path
) -> None:
    register, _organisation = target
    path = tmp_path / "maison.csv"
    path.write_text(
        "Intitulé interne;Code dossier;Pourquoi;Colonne inutile\n"
        "Urbanisme;U-1;Instruire les permis;x\n",
        encoding="utf-8",
    )
    with pytest.raises(InvalidImportFile, match="no column gives the name"):
        plan_import(register, path)
    mapping = tmp_path / "correspondance.json"
    mapping.write_text(
        json.dumps(
            {
                "columns": {
                    "Intitulé interne": "name",
                    "Code dossier": "reference",
                    "Pourquoi": "main_purpose",
                    "Colonne inutile": None,
                }
            }
        ),
        encoding="utf-8",
    )
    plan = plan_import(register, path, mapping_file=mapping)
    assert plan.not_understood == []
    records = _import(register, path, mapping_file=mapping)
    assert records["Urbanisme"]["main_purpose"] == "Instruire les permis"
    mapping.write_text(json.dumps({"Pourquoi": "pourquoi_pas"}), encoding="utf-8")
    with pytest.raises(InvalidImportFile, match="unknown field"):
        plan_import(register, path, mapping_file=mapping)


def test_unknown_columns_and_bad_cells_are_reported_not_fatal(
    target: tuple[Register, str], tmp_path: Path
) -> None:
    register, _organisation = target
    path = tmp_path / "notes.csv"
    path.write_text(
        "Nom du traitement;Base légale;Prochaine revue;Couleur préférée\n"
        "Cimetière;Bon sens;le 31 février;bleu\n",
        encoding="utf-8",
    )
    plan = plan_import(register, path)
    reasons = {entry.label: entry.reason_en for entry in plan.not_understood}
    assert "unrecognised column" in reasons["Couleur préférée"]
    assert "unrecognised choice" in reasons["Base légale"]
    assert "unreadable date" in reasons["Prochaine revue"]
    assert [entry.label for entry in plan.created] == ["Cimetière"]


def test_duplicates_in_the_file_and_in_the_register_are_ignored(
    target: tuple[Register, str], tmp_path: Path
) -> None:
    register, organisation_id = target
    services.create_activity(register, organisation_id=organisation_id, name="Etat Civil")
    path = tmp_path / "doublons.csv"
    path.write_text(
        "Nom du traitement;Référence\n"
        "État civil;T-9\n"
        "Élections;T-1\n"
        "Listes électorales;T-1\n"
        "Cantine;\n"
        "CANTINE;\n",
        encoding="utf-8",
    )
    plan = plan_import(register, path)
    assert [entry.label for entry in plan.created] == ["T-1 — Élections", "Cantine"]
    reasons = {entry.label: entry.reason_en for entry in plan.ignored}
    assert reasons == {
        "T-9 — État civil": "same name as a record",
        "T-1 — Listes électorales": "duplicated in the file",
        "CANTINE": "duplicated in the file",
    }


def test_the_export_opens_in_french_excel_and_imports_back(
    tmp_path: Path, context: Context
) -> None:
    demo, _recovery = create_demo_register(tmp_path / "Demo.registre", context=context)
    commune = next(o for o in services.list_organisations(demo) if o.kind == "commune")
    services.update_activity(
        demo,
        services.list_activities(demo, commune.id)[0].id,
        description='=HYPERLINK("http://example.org")',
    )
    exported = export_register(demo, tmp_path / "registre.csv", "csv", organisation_id=commune.id)
    data = exported.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header = data[3:].split(b"\r\n", 1)[0].decode("utf-8")
    assert header.split(";")[:3] == [spec.label_fr for spec in ACTIVITY.fields[:3]]
    assert "'=HYPERLINK" in data.decode("utf-8-sig")
    register, _recovery = create_register(tmp_path / "Copy.registre", PASSPHRASE)
    organisation_id = services.create_organisation(register, name="Copie").id
    plan = plan_import(register, exported)
    assert plan.not_understood == [] and plan.ignored == []
    apply_import(register, plan)
    source = {a.reference: a for a in services.list_activities(demo, commune.id)}
    copy = {a.reference: a for a in services.list_activities(register, organisation_id)}
    assert set(copy) == set(source)
    for reference, summary in source.items():
        original = services.record_of(demo, "activity", summary.id)
        imported = services.record_of(register, "activity", copy[reference].id)
        for spec in ACTIVITY.fields:
            if spec.key not in ("processors", "software"):
                assert imported[spec.key] == original[spec.key], (reference, spec.key)
        assert len(imported["data_categories"]) == len(original["data_categories"])
    demo.close()
    register.close()


def test_every_field_has_column_titles_in_french_and_english_that_map_back_to_it() -> None:
    for spec in ACTIVITY.fields:
        assert COLUMNS[normalise(spec.label_fr)] == spec.key
        assert COLUMNS[normalise(spec.label_en)] == spec.key
    for collection in ACTIVITY.collections:
        assert COLUMNS[normalise(collection.label("fr"))] == collection.key
        assert COLUMNS[normalise(collection.label("en"))] == collection.key
    titles = [spec.label_fr for spec in ACTIVITY.fields]
    titles += [collection.label("fr") for collection in ACTIVITY.collections]
    assert len(set(titles)) == len(titles)
