"""CSV: column mapping from French and English titles, encodings, repairs, duplicates, export."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

from registre import services
from registre.demo import create_demo_register
from registre.interchange import InvalidImportFile, apply_import, export_register, plan_import
from registre.interchange.columns import guess_target
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
    with pytest.raises(InvalidImportFile, match="no header row names register fields"):
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
    assert [entry.label for entry in plan.ignored] == ["Colonne inutile"]
    assert "1 ignorées à votre demande" in plan.summary("fr")
    records = _import(register, path, mapping_file=mapping)
    assert records["Urbanisme"]["main_purpose"] == "Instruire les permis"
    assert records["Urbanisme"]["legacy_notes"] is None
    mapping.write_text(json.dumps({"Pourquoi": "pourquoi_pas"}), encoding="utf-8")
    with pytest.raises(InvalidImportFile, match="unknown choice"):
        plan_import(register, path, mapping_file=mapping)


def test_unknown_columns_and_unreadable_cells_are_kept_as_notes(
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
    assert [entry.label for entry in plan.noted] == ["Couleur préférée"]
    reasons = {entry.label: entry.reason_en for entry in plan.not_understood}
    assert "kept as notes" in reasons["Base légale"]
    assert "kept as notes" in reasons["Prochaine revue"]
    assert [entry.label for entry in plan.created] == ["Cimetière"]
    assert plan.ledger is not None and plan.ledger.lost == 0
    record = _import(register, path)["Cimetière"]
    assert record["legal_basis"] is None and record["next_review_on"] is None
    assert record["legacy_notes"].split("\n") == [
        "Base légale : Bon sens",
        "Prochaine revue : le 31 février",
        "Couleur préférée : bleu",
    ]


def test_same_reference_updates_and_same_name_with_another_reference_is_another_activity(
    target: tuple[Register, str], tmp_path: Path
) -> None:
    register, organisation_id = target
    services.create_activity(
        register, organisation_id=organisation_id, name="Etat Civil", reference="T-9"
    )
    path = tmp_path / "doublons.csv"
    path.write_text(
        "Nom du traitement;Référence;Service\n"
        "État civil;T-9;Mairie\n"
        "Élections;T-1;Élections\n"
        "Élections;T-2;Élections\n"
        "Listes électorales;T-1;Élections\n"
        "Cantine;;Enfance\n"
        "CANTINE;;Enfance\n",
        encoding="utf-8",
    )
    plan = plan_import(register, path)
    assert [entry.label for entry in plan.updated] == ["T-9 — Etat Civil"]
    assert "Service concerné : (vide) → « Mairie »" in plan.updated[0].reason_fr
    assert "Nom du traitement" in plan.updated[0].reason_fr
    created = {entry.label: entry.reason_en for entry in plan.created}
    assert created == {
        "T-1 — Élections": "",
        "T-2 — Élections": "",
        "T-1 — Listes électorales": "to review: même référence qu'une autre ligne du fichier",
        "Cantine": "",
        "CANTINE": "to review: même nom qu'une autre ligne du fichier, sans référence",
    }
    records = _import(register, path)
    assert records["État civil"]["service"] == "Mairie"
    assert records["Listes électorales"]["legacy_notes"].startswith("À vérifier : même référence")


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
        assert guess_target(spec.label_fr) == spec.key
        assert guess_target(spec.label_en) == spec.key
    for collection in ACTIVITY.collections:
        assert guess_target(collection.label("fr")) == collection.key
        assert guess_target(collection.label("en")) == collection.key
    titles = [spec.label_fr for spec in ACTIVITY.fields]
    titles += [collection.label("fr") for collection in ACTIVITY.collections]
    assert len(set(titles)) == len(titles)


TRICKY = [
    "=SOMME(A1:A2)",
    "-5 ans",
    "'déjà entre apostrophes",
    "Nom | prénom",
    "C:\\dossiers\\new",
    "deux\nlignes",
    "@mention + 1",
]


def test_list_items_survive_a_round_trip_exactly(tmp_path: Path, context: Context) -> None:
    source, _recovery = create_register(tmp_path / "Source.registre", PASSPHRASE, context=context)
    organisation_id = services.create_organisation(source, name="Commune").id
    services.create_activity(
        source,
        organisation_id=organisation_id,
        name="Épreuve",
        purposes=[{"description": text} for text in TRICKY],
        recipients=[{"recipient_type": "other", "name": text, "details": text} for text in TRICKY],
        data_subjects=[{"category": "other", "details": "Usagers | abonnés"}],
        security_measures=[{"measure_type": "other", "details": text} for text in TRICKY],
    )
    exported = export_register(source, tmp_path / "registre.csv", "csv")
    assert "'Nom" not in exported.read_text(encoding="utf-8-sig")
    copy, _recovery = create_register(tmp_path / "Copie.registre", PASSPHRASE)
    services.create_organisation(copy, name="Commune")
    plan = plan_import(copy, exported)
    assert plan.ledger is not None and plan.ledger.counts["note"] == 0
    apply_import(copy, plan)
    [summary] = services.list_activities(copy)
    record = services.record_of(copy, "activity", summary.id)
    [original] = services.list_activities(source)
    expected = services.record_of(source, "activity", original.id)
    for key in ("purposes", "recipients", "data_subjects", "security_measures"):
        rows = [{k: v for k, v in row.items() if k != "id"} for row in record[key]]
        assert rows == [{k: v for k, v in row.items() if k != "id"} for row in expected[key]]
    assert [(r["name"], r["details"]) for r in record["recipients"]][:5] == [
        (t, t) for t in TRICKY[:5]
    ]
    assert [m["details"] for m in record["security_measures"]] == TRICKY
    assert record["data_subjects"][0]["details"] == "Usagers | abonnés"
    source.close()
    copy.close()


def test_the_csv_says_where_processor_and_software_details_are(
    tmp_path: Path, context: Context
) -> None:
    demo, _recovery = create_demo_register(tmp_path / "Demo.registre", context=context)
    commune = next(o for o in services.list_organisations(demo) if o.kind == "commune")
    exported = export_register(demo, tmp_path / "registre.csv", "csv", organisation_id=commune.id)
    header = next(csv.reader(io.StringIO(exported.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert (
        "Sous-traitants (noms seulement ; leurs détails sont dans les exports XLSX, ODS et JSON)"
        in header
    )
    assert guess_target(header[[h.startswith("Logiciels") for h in header].index(True)]) == (
        "software"
    )
    demo.close()
