"""Migrating registers kept elsewhere: nothing typed is lost, columns read as a DPO would.

The fixtures are registers as they come from communes: the CSV export of a former tool (odd
titles, six columns with the same title, rows without a name, text encoded twice) and a
spreadsheet kept by hand (a title line, two « Finalité » columns, lists in one cell).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import ftfy
import pytest

from registre import services
from registre.errors import StorageFailure
from registre.interchange import InvalidImportFile, apply_import, plan_import
from registre.interchange.columns import guess_target, title_key
from registre.interchange.text import is_placeholder
from registre.storage import Context, Register, create_register
from tests.conftest import PASSPHRASE

FIXTURES = Path(__file__).parents[1] / "fixtures" / "interchange"
LEGACY = FIXTURES / "ancien-logiciel-2018.csv"
SPREADSHEET = FIXTURES / "tableur-mairie.xlsx"


@pytest.fixture
def target(tmp_path: Path, context: Context) -> Any:
    register, _recovery = create_register(tmp_path / "Cible.registre", PASSPHRASE, context=context)
    organisation_id = services.create_organisation(register, name="Commune de Saint-Aubin").id
    yield register, organisation_id
    register.close()


def _records(register: Register) -> dict[str, dict[str, Any]]:
    return {
        str(summary.reference): services.record_of(register, "activity", summary.id)
        for summary in services.list_activities(register)
    }


def _legacy_rows() -> list[list[str]]:
    text = ftfy.fix_encoding(LEGACY.read_bytes().decode("utf-8"))
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


# --------------------------------------------------------------------------------------------
# Nothing typed by a user is lost
# --------------------------------------------------------------------------------------------


def test_every_filled_cell_of_the_former_tools_export_ends_in_a_field_or_a_note(
    target: tuple[Register, str],
) -> None:
    register, _organisation = target
    plan = plan_import(register, LEGACY)
    rows = _legacy_rows()
    filled = [cell for row in rows[1:] for cell in row if cell.strip()]
    ledger = plan.ledger
    assert ledger is not None
    assert ledger.lost == 0
    # Each filled cell is data (in a field or a note) or a placeholder such as « Sans objet ».
    assert ledger.filled + ledger.counts["placeholder"] == len(filled)
    assert 0 < ledger.counts["placeholder"] <= sum(1 for cell in filled if is_placeholder(cell))
    summary = plan.summary("fr")
    assert (
        f"{ledger.filled} cellules non vides, {ledger.counts['field']} reprises dans des champs, "
        f"{ledger.counts['note']} en notes, 0 perdues"
    ) in summary
    report = apply_import(register, plan)
    assert "0 perdues" in report.summary("fr")
    assert "0 lost" in report.summary("en")
    records = _records(register)
    assert len(records) == len(rows) - 1 == 10
    # Every value of a column without a field is in its activity's note, under its title.
    header = rows[0]
    for row in rows[1:]:
        record = records[row[0]]
        for title in ("Commentaires", "Volume (nb personnes)", "Observations DPO", "Sort final"):
            value = row[header.index(title)]
            if value.strip():
                assert f"{title} : {value}" in record["legacy_notes"].split("\n")


def test_text_encoded_twice_is_repaired(target: tuple[Register, str]) -> None:
    register, _organisation = target
    plan = plan_import(register, LEGACY)
    assert plan.repairs.mojibake > 100
    apply_import(register, plan)
    record = _records(register)["REF_01"]
    assert record["name"] == "Tenue de l'état civil"
    assert record["main_purpose"].startswith("Établir et conserver les actes")
    assert "Ã" not in json.dumps(record, default=str, ensure_ascii=False)


def test_rows_without_a_name_are_named_from_their_purpose_or_reference_to_review(
    target: tuple[Register, str],
) -> None:
    register, _organisation = target
    plan = plan_import(register, LEGACY)
    reviewed = {entry.label for entry in plan.created if entry.reason_fr.startswith("à vérifier")}
    assert reviewed == {
        "REF_03 — Inscription des enfants à la cantine scolaire",
        "REF_04 — Gestion de la paie des agents",
        "REF_05 — Traitement REF_05",
        "REF_10 — Traitement REF_10",
    }
    apply_import(register, plan)
    records = _records(register)
    assert records["REF_03"]["name"] == "Inscription des enfants à la cantine scolaire"
    assert records["REF_03"]["service"] == "Enfance"
    assert records["REF_10"]["name"] == "Traitement REF_10"
    for reference in ("REF_03", "REF_04", "REF_05", "REF_10"):
        first = records[reference]["legacy_notes"].split("\n")[0]
        assert first.startswith("À vérifier : nom ")
    assert not (records["REF_01"]["legacy_notes"] or "").startswith("À vérifier")


def test_a_row_without_a_name_nor_a_reference_is_named_by_its_line(
    target: tuple[Register, str], tmp_path: Path
) -> None:
    register, _organisation = target
    path = tmp_path / "sans-nom.csv"
    path.write_text("Nom;Service\n;Voirie\n", encoding="utf-8")
    apply_import(register, plan_import(register, path))
    [summary] = services.list_activities(register)
    assert summary.name == "Traitement 2"


def test_same_name_with_another_reference_is_another_activity(
    target: tuple[Register, str],
) -> None:
    register, _organisation = target
    apply_import(register, plan_import(register, LEGACY))
    records = _records(register)
    assert records["REF_21"]["name"] == records["REF_22"]["name"] == "Gestion des demandes"
    assert records["REF_21"]["service"] == "Accueil"
    assert records["REF_22"]["service"] == "Services techniques"


# --------------------------------------------------------------------------------------------
# Columns understood like a DPO would
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "target"),
    [
        ("Durée de conservation des données", "general_retention"),
        ("Destinataire(s)", "recipients"),
        ("DESTINATAIRES", "recipients"),
        ("Sous- traitant(s)", "processors"),
        ("sous-traitants", "processors"),
        ("Pays", "transfers.country"),
        ("Type(s) de Garanties", "transfers.safeguard"),
        ("Mesures techniques", "security_measures"),
        ("Mesures organisationnelles", "security_measures"),
        ("Responsable du Traitement", "organisation.legal_representative_name"),
        ("Représentant", "organisation.eu_representative"),
        ("Détail de la finalité", "purposes"),
        ("Origine des données (flux d'entrée)", "data_source"),
        ("Finalité principale du traitement", "main_purpose"),
        ("Réf.", "reference"),
        ("N° / RÉF", "reference"),
        ("Lawful basis", "legal_basis"),
        ("Data subjects", "data_subjects"),
        ("Categories of personal data", "data_categories"),
        ("Informations reprises de l'ancien registre", "legacy_notes"),
    ],
)
def test_legacy_column_titles_find_their_fields(title: str, target: str) -> None:
    assert guess_target(title) == target


def test_titles_are_compared_without_case_accents_plurals_and_punctuation() -> None:
    assert title_key("Destinataire(s)") == title_key("destinataires") == "destinataire"
    assert title_key("Sous- traitant(s)") == title_key("SOUS-TRAITANTS")
    assert title_key("Catégories de données") == title_key("categorie donnee")


def test_legacy_columns_fill_their_fields(target: tuple[Register, str]) -> None:
    register, organisation_id = target
    plan = plan_import(register, LEGACY)
    assert plan.columns["Durée de conservation des données"] == "general_retention"
    assert plan.columns["Sous- traitant(s)"] == "processors"
    assert plan.columns["Type(s) de Garanties"] == "transfers.safeguard"
    apply_import(register, plan)
    records = _records(register)
    civil = records["REF_01"]
    assert civil["general_retention"] == "75 ans puis versement aux archives"
    assert civil["legal_basis"] == "6.1.c"
    assert civil["legal_basis_text"] == "Code civil, art. 34 à 54"
    assert civil["data_source"] == "data_subject"
    assert [p["description"] for p in civil["purposes"]] == [
        "Délivrance des copies et extraits",
        "Mentions marginales",
    ]
    assert [s["category"] for s in civil["data_subjects"]] == ["residents", "users"]
    assert [m["measure_type"] for m in civil["security_measures"]] == [
        "user_access_control",
        "backup",
        "other",
    ]
    assert civil["has_transfers"] is False
    requests = records["REF_21"]
    assert [(t["country"], t["safeguard"]) for t in requests["transfers"]] == [("US", "scc")]
    assert requests["has_transfers"] is True
    processors = {
        record["name"] for record in services.list_records(register, "processor", organisation_id)
    }
    assert "Berger-Levrault" in processors and "Non applicable" not in processors
    organisation = services.record_of(register, "organisation", organisation_id)
    assert organisation["dpo_name"] == "Centre de gestion de la Loire — DPO mutualisé"
    assert organisation["legal_representative_name"] == "Monsieur le Maire"
    # A different value in another row stays with that row's activity.
    assert "Responsable du Traitement : M. le Maire" in records["REF_02"]["legacy_notes"]


def test_columns_with_the_same_title_are_told_apart_by_their_neighbour(
    target: tuple[Register, str],
) -> None:
    register, _organisation = target
    plan = plan_import(register, LEGACY)
    labels = [column.label for column in plan.column_list if "processus" in column.title]
    assert labels == [
        "Information des personnes › Ce processus est-il en place ?",
        "Droit d'accès › Ce processus est-il en place ?",
        "Droit de rectification › Ce processus est-il en place ?",
        "Droit d'opposition › Ce processus est-il en place ?",
        "Droit à l'effacement › Ce processus est-il en place ?",
        "Droit à la portabilité › Ce processus est-il en place ?",
    ]
    apply_import(register, plan)
    notes = _records(register)["REF_01"]["legacy_notes"].split("\n")
    assert "Droit d'accès › Ce processus est-il en place ? : Oui" in notes
    assert "Information des personnes › Ce processus est-il en place ? : Non" in notes


def test_adjacent_columns_with_the_same_title_are_told_apart_by_their_letter(
    target: tuple[Register, str],
) -> None:
    register, _organisation = target
    plan = plan_import(register, SPREADSHEET)
    labels = [column.label for column in plan.column_list if column.title == "Commentaire"]
    assert labels == ["Commentaire (colonne N)", "Commentaire (colonne O)"]


def test_several_columns_for_one_field_are_joined_with_their_titles_and_lists_split(
    target: tuple[Register, str],
) -> None:
    register, _organisation = target
    plan = plan_import(register, SPREADSHEET)
    assert [entry.label for entry in plan.ignored] == [
        "Registre RGPD — Mairie de Bellecombe (mise à jour mars 2021)"
    ]
    assert plan.ledger is not None and plan.ledger.lost == 0
    apply_import(register, plan)
    records = _records(register)
    school = records["1"]
    assert school["main_purpose"] == (
        "Finalité : Inscrire les enfants dans les écoles de la commune\n"
        "Finalité (suite) : Affectation selon la carte scolaire"
    )
    assert [s["category"] for s in school["data_subjects"]] == ["minors", "legal_guardians"]
    assert [c["category"] for c in school["data_categories"]] == ["identity", "personal_life"]
    assert [r["name"] for r in school["recipients"]] == [
        "Directeurs d'école",
        "Inspection académique",
    ]
    assert [m["measure_type"] for m in school["security_measures"]] == [
        "backup",
        "user_access_control",
    ]
    assert school["legal_basis"] == "6.1.e"
    cemetery = records["2"]
    assert cemetery["main_purpose"] == "Gérer les concessions funéraires"
    assert cemetery["recipients"] == [] and cemetery["processors"] == []


def test_a_mapping_chooses_a_field_a_note_or_ignore_for_any_column(
    target: tuple[Register, str], tmp_path: Path
) -> None:
    register, _organisation = target
    mapping = tmp_path / "correspondance.json"
    mapping.write_text(
        json.dumps(
            {
                "columns": {
                    "Volume (nb personnes)": "ignorer",
                    "Droit d'accès › Ce processus est-il en place ?": "ignore",
                    "Ce processus est-il en place ?#1": "garder en note",
                    "colonne AS": "description",
                    "Observations DPO": "note",
                }
            }
        ),
        encoding="utf-8",
    )
    plan = plan_import(register, LEGACY, mapping_file=mapping)
    chosen = {column.label: column.target for column in plan.column_list if column.how == "chosen"}
    assert chosen == {
        "Volume (nb personnes)": "ignore",
        "Information des personnes › Ce processus est-il en place ?": "note",
        "Droit d'accès › Ce processus est-il en place ?": "ignore",
        "Localisation des données": "description",
        "Observations DPO": "note",
    }
    ignored = {entry.label for entry in plan.ignored if entry.entity == "column"}
    assert ignored == {"Volume (nb personnes)", "Droit d'accès › Ce processus est-il en place ?"}
    assert plan.ledger is not None and plan.ledger.counts["ignored"] == 18
    assert "18 ignorées à votre demande" in plan.summary("fr")
    apply_import(register, plan)
    record = _records(register)["REF_01"]
    assert record["description"] == "Hébergé (SaaS)"
    assert "Volume (nb personnes)" not in record["legacy_notes"]
    assert "Droit d'accès › Ce processus est-il en place ?" not in record["legacy_notes"]


# --------------------------------------------------------------------------------------------
# Placeholders are not data
# --------------------------------------------------------------------------------------------


PLACEHOLDERS = (
    "Nom;Responsables conjoints;Destinataires;Sous-traitants;Transferts;Pays;Garanties;"
    "Données sensibles;Texte de référence\n"
    "Cantine;Non applicable;-;/;Sans objet;N/A;NA;néant;Néant\n"
    "Piscine;Sans objet;Non concerné;Not applicable;Non concerné (pas de transfert);;;"
    "Non applicable (pas de données de santé);Aucun texte particulier\n"
)


def test_placeholders_are_not_data_in_french_or_english(
    target: tuple[Register, str], tmp_path: Path
) -> None:
    register, organisation_id = target
    path = tmp_path / "sans-objet.csv"
    path.write_text(PLACEHOLDERS, encoding="utf-8")
    plan = plan_import(register, path)
    assert plan.ledger is not None and plan.ledger.lost == 0
    apply_import(register, plan)
    records = {
        summary.name: services.record_of(register, "activity", summary.id)
        for summary in services.list_activities(register)
    }
    for record in records.values():
        assert record["joint_controllers"] == []
        assert record["recipients"] == []
        assert record["transfers"] == []
        assert record["data_categories"] == []
        assert record["processors"] == []
        assert record["has_transfers"] is False
    assert services.list_records(register, "processor", organisation_id) == []
    assert records["Cantine"]["legal_basis_text"] is None
    assert records["Cantine"]["legacy_notes"] is None
    # Text after a placeholder is kept where a DPO can read it.
    notes = records["Piscine"]["legacy_notes"].split("\n")
    assert "Transferts : Non concerné (pas de transfert)" in notes
    assert "Données sensibles : Non applicable (pas de données de santé)" in notes
    assert records["Piscine"]["legal_basis_text"] == "Aucun texte particulier"


# --------------------------------------------------------------------------------------------
# Re-import updates
# --------------------------------------------------------------------------------------------


def test_importing_again_shows_the_changes_field_by_field_then_applies_them(
    target: tuple[Register, str], tmp_path: Path
) -> None:
    register, _organisation = target
    apply_import(register, plan_import(register, LEGACY))
    unchanged = plan_import(register, LEGACY)
    assert not unchanged.created and not unchanged.updated
    assert unchanged.summary("fr").endswith("Rien ne serait écrit.")
    rows = _legacy_rows()
    header = rows[0]
    rows[1][header.index("Base légale")] = "Mission d'intérêt public"
    rows[1][header.index("Service")] = "État civil et citoyenneté"
    rows[2][header.index("Destinataire(s)")] += "; Préfecture"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    changed = tmp_path / "registre-corrige.csv"
    changed.write_text(buffer.getvalue(), encoding="utf-8")
    plan = plan_import(register, changed)
    assert not plan.created
    updates = {entry.label: entry.reason_fr for entry in plan.updated}
    assert set(updates) == {"REF_01 — Tenue de l'état civil", "REF_02 — Listes électorales"}
    assert updates["REF_01 — Tenue de l'état civil"] == (
        "Service concerné : « État civil » → « État civil et citoyenneté » ; "
        "Base légale : « Obligation légale » → "
        "« Mission d'intérêt public ou exercice de l'autorité publique »"
    )
    assert updates["REF_02 — Listes électorales"] == ("Destinataires : 2 élément(s) → 3 élément(s)")
    apply_import(register, plan)
    records = _records(register)
    assert records["REF_01"]["legal_basis"] == "6.1.e"
    assert [r["name"] for r in records["REF_02"]["recipients"]] == [
        "Service instructeur",
        "Trésorerie",
        "Préfecture",
    ]
    entries = services.audit_entries(register, limit=5)
    updated = [entry for entry in entries if entry["action"] == "updated"]
    assert {entry["entity_id"] for entry in updated} == {
        records["REF_01"]["id"],
        records["REF_02"]["id"],
    }
    assert not plan_import(register, changed).updated


def test_a_failing_update_writes_nothing(
    target: tuple[Register, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    register, _organisation = target
    apply_import(register, plan_import(register, LEGACY))
    before = _records(register)
    rows = _legacy_rows()
    rows[1][rows[0].index("Service")] = "Autre service"
    rows[5][rows[0].index("Service")] = "Encore un autre"
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    changed = tmp_path / "corrige.csv"
    changed.write_text(buffer.getvalue(), encoding="utf-8")
    plan = plan_import(register, changed)
    assert len(plan.updated) == 2
    from registre.interchange import table_import

    calls = []
    real = table_import._update

    def second_fails(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(table_import, "_update", second_fails)
    with pytest.raises(StorageFailure):
        apply_import(register, plan)
    assert _records(register) == before


# --------------------------------------------------------------------------------------------
# Names that cannot be names
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "code"), [("Paie\u202edes agents", "U+202E"), ("Paie\u2066", "U+2066")]
)
def test_names_with_invisible_direction_characters_are_refused(
    target: tuple[Register, str], tmp_path: Path, name: str, code: str
) -> None:
    register, _organisation = target
    path = tmp_path / "bidi.csv"
    path.write_text(f"Nom;Service\nCantine;Enfance\n{name};RH\n", encoding="utf-8")
    with pytest.raises(InvalidImportFile) as caught:
        plan_import(register, path)
    assert code in caught.value.message("fr")
    assert "nom refusé" in caught.value.message("fr")
    assert "bidi.csv:3" in caught.value.message("fr")
    assert services.list_activities(register) == []


def test_a_nul_character_in_a_name_is_refused_in_json_too(
    target: tuple[Register, str], tmp_path: Path
) -> None:
    register, organisation_id = target
    services.create_activity(register, organisation_id=organisation_id, name="Cantine")
    from registre.interchange import export_register

    exported = export_register(register, tmp_path / "registre.json", "json")
    document = json.loads(exported.read_text(encoding="utf-8"))
    document["organisations"][0]["activities"][0]["name"] = "Can\u0000tine"
    exported.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(InvalidImportFile, match="U\\+0000"):
        plan_import(register, exported)


def test_a_refused_import_leaves_the_register_byte_identical(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import hashlib

    from registre.cli import run

    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)
    directory = tmp_path / "Commune.registre"
    assert (
        run(
            ["init", str(directory), "--organisation", "Commune"],
            out=io.StringIO(),
            err=io.StringIO(),
        )
        == 0
    )
    bidi = tmp_path / "bidi.csv"
    bidi.write_text("Nom;Service\nPaie\u202e;RH\n", encoding="utf-8")
    truncated = tmp_path / "coupe.xlsx"
    truncated.write_bytes(SPREADSHEET.read_bytes()[:3000])

    def digest() -> dict[str, str]:
        return {
            path.name: hashlib.sha256(path.read_bytes()).hexdigest()
            for path in directory.iterdir()
            if path.is_file()
        }

    before = digest()
    for refused, reason in ((bidi, "U+202E"), (truncated, "endommagé")):
        out, err = io.StringIO(), io.StringIO()
        assert run(["import", str(directory), str(refused)], out=out, err=err) == 6
        assert reason in err.getvalue() and "Rien n'a été importé" in err.getvalue()
        assert digest() == before
    out, err = io.StringIO(), io.StringIO()
    assert run(["import", str(directory), str(LEGACY)], out=out, err=err) == 0
    assert "0 perdues" in out.getvalue()


def test_no_column_title_is_declared_for_two_fields() -> None:
    from registre.interchange.columns import title_conflicts

    assert title_conflicts() == []
