"""The CNIL simplified register template: import from ODS and XLSX, export to its layout."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from registre import services
from registre.demo import create_demo_register
from registre.interchange import apply_import, export_register, plan_import
from registre.interchange.json_format import load_organisations
from registre.schema import ACTIVITY
from registre.storage import Context, Register, create_register
from tests.conftest import PASSPHRASE

# The CNIL's template as published (« modèle de registre simplifié », ODS), unmodified.
TEMPLATE = (
    Path(__file__).parents[1]
    / "fixtures"
    / "interchange"
    / "cnil-registre-traitement-simplifie.ods"
)


def _template_sheets() -> list[tuple[str, list[list[Any]]]]:
    workbook = CalamineWorkbook.from_path(str(TEMPLATE))
    return [
        (name, [list(row) for row in workbook.get_sheet_by_name(name).to_python(False)])
        for name in workbook.sheet_names
    ]


def _xlsx(sheets: list[tuple[str, list[list[Any]]]], path: Path, serial_dates: bool) -> Path:
    """The sheets written by another program (openpyxl), dates as serial numbers if asked."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets:
        sheet = workbook.create_sheet(name[:31])
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value in ("", None):
                    continue
                written = value
                if isinstance(value, dt.date) and serial_dates:
                    written = (value - dt.date(1899, 12, 30)).days
                sheet.cell(row=r, column=c, value=written)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def _ods(sheets: list[tuple[str, list[list[Any]]]], path: Path) -> Path:
    """The sheets written by another program (odfpy), dates as dates."""
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    for name, rows in sheets:
        table = Table(name=name)
        for row in rows:
            table_row = TableRow()
            for value in row:
                if value in ("", None):
                    table_row.addElement(TableCell())
                elif isinstance(value, dt.date):
                    cell = TableCell(valuetype="date", datevalue=value.isoformat())
                    cell.addElement(P(text=value.isoformat()))
                    table_row.addElement(cell)
                elif isinstance(value, int | float):
                    cell = TableCell(valuetype="float", value=str(value))
                    cell.addElement(P(text=str(value)))
                    table_row.addElement(cell)
                else:
                    cell = TableCell(valuetype="string")
                    for line in str(value).split("\n"):
                        cell.addElement(P(text=line))
                    table_row.addElement(cell)
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def _register(
    directory: Path, context: Context | None = None, name: str = "Commune de Test"
) -> tuple[Register, str]:
    register, _recovery = create_register(directory, PASSPHRASE, context=context)
    organisation_id = services.create_organisation(register, name=name).id
    return register, organisation_id


def _state(register: Register) -> tuple[list[services.ActivitySummary], int]:
    return services.list_activities(register), services.verify_audit(register).entries


@pytest.fixture
def target(tmp_path: Path) -> Any:
    register, organisation_id = _register(tmp_path / "Target.registre")
    yield register, organisation_id
    register.close()


@pytest.mark.parametrize("variant", ["ods as published", "xlsx with serial dates"])
def test_the_blank_template_imports_without_error_and_creates_nothing(
    target: tuple[Register, str], tmp_path: Path, variant: str
) -> None:
    register, _organisation = target
    path = TEMPLATE
    if variant.startswith("xlsx"):
        path = _xlsx(_template_sheets(), tmp_path / "modele.xlsx", serial_dates=True)
    before = _state(register)
    plan = plan_import(register, path)
    assert plan.format.startswith("cnil-")
    assert plan.created == [] and plan.updated == [] and plan.not_understood == []
    ignored = {entry.label: entry.reason_en for entry in plan.ignored}
    assert "example" in ignored["4_-_Exemple_de_fiche"]
    assert "example" in ignored["(EXEMPLE) Gestion de la paie"]
    assert ignored["3_-_Modèle_de_fiche_de_registre"] == "empty fiche"
    report = apply_import(register, plan)
    assert report.changes == []
    assert _state(register) == before


def _row(rows: list[list[Any]], label: str, occurrence: int = 1) -> list[Any]:
    found = 0
    for row in rows:
        if isinstance(row[0], str) and row[0].strip().startswith(label):
            found += 1
            if found == occurrence:
                return row
    raise AssertionError(label)


def _filled_template() -> list[tuple[str, list[list[Any]]]]:
    """The template with its model fiche filled as a secretary would, placeholders included."""
    sheets = _template_sheets()
    name, rows = sheets[2]
    assert name.startswith("3_")
    _row(rows, "Nom du traitement")[1] = "Inscriptions à la cantine"
    _row(rows, "N° / RÉF")[1] = "T-042"
    _row(rows, "Date de création")[1] = "13/05/2019"
    _row(rows, "Mise à jour")[1] = dt.date(2024, 9, 2)
    _row(rows, "Responsable du traitement")[1:8] = [
        "Commune de Test",
        "1 place de la Mairie",
        45000.0,
        "Orléans",
        "France",
        "02 38 00 00 00",
        "mairie@test.fr",
    ]
    _row(rows, "Délégué à la protection")[1:8] = [
        "Julie Martin",
        "12 rue des Tanneurs",
        "45100",
        "Orléans",
        "France",
        "—",
        "dpo@cdg.fr",
    ]
    _row(rows, "Responsable(s) conjoint(s)")[1] = "Caisse des écoles"
    _row(rows, "Finalité principale")[1] = "Gérer les inscriptions à la restauration scolaire"
    _row(rows, "Sous-finalité 1")[1] = "Facturation des repas"
    _row(rows, "Sous-finalité 2")[1] = "Régimes alimentaires"
    _row(rows, "Sous-finalité 5")[1] = "A définir"
    identity = _row(rows, "État civil")
    identity[1], identity[4] = "Nom, prénom de l'enfant", "3 ans à compter de la fin de l'année"
    finance = _row(rows, "Informations d'ordre économique")
    finance[1], finance[4] = "Quotient familial", "10 ans\nSort final : destruction"
    _row(rows, "Données de localisation")[1] = "Non concerné"
    _row(rows, "Numéro de Sécurité Sociale")[4] = "—"
    health = _row(rows, "Données concernant la santé")
    health[1], health[4] = "Allergies (PAI)", "1 an après la fin de scolarité"
    _row(rows, "Catégorie de personnes 1")[1:5] = ["Enfants", None, None, "Élèves"]
    _row(rows, "Catégorie de personnes 2")[1] = "Parents"
    _row(rows, "Destinataire 1")[1:5] = [
        "Service interne qui traite les données",
        None,
        None,
        "Service scolaire",
    ]
    _row(rows, "Destinataire 2")[1] = "Sans objet"
    _row(rows, "Mesure de sécurité 1")[1:5] = ["Sauvegarde des données", None, None, "Quotidienne"]
    _row(rows, "Organisme destinataire 1")[1:6] = [
        "Hébergeur",
        "Etats-Unis",
        "Clauses contractuelles types (CCT)",
        None,
        "Contrat 2023",
    ]
    _row(rows, "Organisme destinataire 2")[1:4] = [
        "Ancien prestataire",
        "Andorre",
        "Privacy shield",
    ]
    return sheets


@pytest.mark.parametrize("kind", ["xlsx", "ods"])
def test_a_filled_fiche_is_read_with_its_fixed_rows_dates_and_placeholders(
    target: tuple[Register, str], tmp_path: Path, kind: str
) -> None:
    register, organisation_id = target
    sheets = _filled_template()
    if kind == "xlsx":
        path = _xlsx(sheets, tmp_path / "rempli.xlsx", serial_dates=True)
    else:
        path = _ods(sheets, tmp_path / "rempli.ods")
    plan = plan_import(register, path)
    assert [entry.label for entry in plan.created] == ["T-042 — Inscriptions à la cantine"]
    not_understood = {entry.label: entry.reason_en for entry in plan.not_understood}
    assert "Privacy shield" in not_understood["Garantie"]
    apply_import(register, plan)
    [summary] = services.list_activities(register, organisation_id)
    record = services.record_of(register, "activity", summary.id)
    assert record["reference"] == "T-042"
    assert record["created_on"] == dt.date(2019, 5, 13)
    assert record["updated_on"] == dt.date(2024, 9, 2)
    assert record["main_purpose"] == "Gérer les inscriptions à la restauration scolaire"
    assert [p["description"] for p in record["purposes"]] == [
        "Facturation des repas",
        "Régimes alimentaires",
    ]
    categories = {row["category"]: row for row in record["data_categories"]}
    assert set(categories) == {"identity", "economic_financial", "health"}
    assert categories["identity"]["retention_value"] == 3
    assert categories["identity"]["retention_unit"] == "years"
    assert categories["identity"]["retention_start"] == "la fin de l'année"
    assert categories["economic_financial"]["final_disposition"] == "destruction"
    assert categories["health"]["details"] == "Allergies (PAI)"
    assert [(s["category"], s["details"]) for s in record["data_subjects"]] == [
        ("minors", "Élèves"),
        ("legal_guardians", None),
    ]
    assert [(r["recipient_type"], r["name"]) for r in record["recipients"]] == [
        ("internal_service", "Service scolaire")
    ]
    assert [(m["measure_type"], m["details"]) for m in record["security_measures"]] == [
        ("backup", "Quotidienne")
    ]
    transfers = record["transfers"]
    assert (transfers[0]["country"], transfers[0]["safeguard"]) == ("US", "scc")
    assert transfers[1]["country"] == "AD" and transfers[1]["safeguard"] is None
    assert "Privacy shield" in transfers[1]["documentation"]
    assert record["joint_controllers"][0]["name"] == "Caisse des écoles"
    organisation = services.record_of(register, "organisation", organisation_id)
    assert organisation["dpo_name"] == "Julie Martin"
    assert organisation["dpo_address"] == "12 rue des Tanneurs\n45100 Orléans"
    assert organisation["dpo_phone"] is None
    assert organisation["address"] == "1 place de la Mairie\n45000 Orléans"


def _comparable(organisation: dict[str, Any], activity: dict[str, Any]) -> dict[str, Any]:
    names = {item["id"]: item["name"] for item in organisation["processors"]}
    names.update({item["id"]: item["name"] for item in organisation["software"]})
    result: dict[str, Any] = {}
    for spec in ACTIVITY.fields:
        value = activity[spec.key]
        result[spec.key] = (
            sorted(names[i] for i in value) if spec.key in ("processors", "software") else value
        )
    for collection in ACTIVITY.collections:
        rows = [{k: v for k, v in row.items() if k != "id"} for row in activity[collection.key]]
        if collection.key == "data_categories":
            rows.sort(key=lambda row: json.dumps(row, default=str, sort_keys=True))
        result[collection.key] = rows
    return result


@pytest.mark.parametrize("fmt", ["xlsx", "ods"])
def test_a_cnil_layout_export_of_the_demo_reimports_with_the_same_activities_and_fields(
    tmp_path: Path, context: Context, fmt: str
) -> None:
    demo, _recovery = create_demo_register(tmp_path / "Demo.registre", context=context)
    commune = next(o for o in services.list_organisations(demo) if o.kind == "commune")
    exported = export_register(demo, tmp_path / f"registre.{fmt}", fmt, organisation_id=commune.id)
    target, organisation_id = _register(tmp_path / "Copy.registre", name=commune.name)
    plan = plan_import(target, exported)
    assert plan.not_understood == [] and plan.ignored == []
    apply_import(target, plan)
    source = load_organisations(demo, commune.id)[0]
    copy = load_organisations(target, organisation_id)[0]
    by_reference = {a["reference"]: a for a in copy["activities"]}
    assert len(by_reference) == len(source["activities"]) == 35
    for activity in source["activities"]:
        assert _comparable(copy, by_reference[activity["reference"]]) == _comparable(
            source, activity
        )
    for key in ("address", "email", "phone", "dpo_name", "dpo_email", "dpo_address"):
        assert copy[key] == source[key]
    # Processors and software come back with every detail, from their own sheets.
    for key in ("processors", "software"):
        names = {item["id"]: item["name"] for item in source["processors"]}
        copied_names = {item["id"]: item["name"] for item in copy["processors"]}
        assert len(copy[key]) == len(source[key]) > 0
        for original, imported in zip(source[key], copy[key], strict=True):
            for field_key, value in original.items():
                if field_key == "processor_id":
                    assert names.get(value) == copied_names.get(imported[field_key])
                elif field_key != "id":
                    assert imported[field_key] == value, (key, field_key)
    again = plan_import(target, exported)
    assert not again.created and not again.updated
    assert {entry.reason_en for entry in again.ignored} == {"already in the register, identical"}
    demo.close()
    target.close()


def _overflowing(register: Register, organisation_id: str) -> str:
    """An activity with more items than the template has rows for."""
    return services.create_activity(
        register,
        organisation_id=organisation_id,
        name="Accueil de loisirs",
        reference="ENF-3",
        main_purpose="Accueillir les enfants le mercredi",
        purposes=[{"description": f"Sous-finalité n° {i}"} for i in range(1, 9)],
        data_subjects=[{"category": key} for key in ("minors", "legal_guardians", "staff")],
        recipients=[
            {"recipient_type": "internal_service", "name": f"Service {i}"} for i in range(6)
        ],
        transfers=[{"recipient": f"Hébergeur {i}", "country": "US"} for i in range(5)],
        data_categories=[
            {"category": "identity", "details": "Nom"},
            {"category": "identity", "details": "Photo"},
            {"category": "professional_life", "details": "Diplômes des animateurs"},
            {"category": "health", "details": "Allergies"},
            {"details": "Régime alimentaire"},
        ],
    ).id


def _xlsx_parts(path: Path) -> dict[str, str]:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8", "replace") for name in archive.namelist()}


def test_the_export_is_the_cnil_template_filled(tmp_path: Path, context: Context) -> None:
    import re

    register, organisation_id = _register(tmp_path / "Test.registre", context)
    _overflowing(register, organisation_id)
    services.create_processor(register, organisation_id=organisation_id, name="Éditeur SA")
    exported = export_register(register, tmp_path / "registre.xlsx", "xlsx")
    parts = _xlsx_parts(exported)
    template = _xlsx_parts(
        Path(__file__).parents[2] / "resources" / "cnil" / "registre-traitement-simplifie.xlsx"
    )
    workbook = CalamineWorkbook.from_path(str(exported))
    assert workbook.sheet_names == [
        "Tutoriel",
        "Liste des traitements",
        "ENF-3 Accueil de loisirs",
        "Sous-traitants",
        "Logiciels",
        "Listes",
    ]
    assert 'state="hidden"' in re.search(
        r'<sheet name="Listes"[^>]*>', parts["xl/workbook.xml"]
    ).group(0)
    # The template's styles (colours, borders, fonts) are all there, with the same numbers.
    xfs = re.findall(r"<xf\b", template["xl/styles.xml"])
    assert len(re.findall(r"<xf\b", parts["xl/styles.xml"])) >= len(xfs)
    assert parts["xl/styles.xml"].startswith(template["xl/styles.xml"][:2000])
    fiche = parts["xl/worksheets/sheet3.xml"]
    model = template["xl/worksheets/sheet3.xml"]
    # Same column widths, merged cells, drop-down lists, print area, comments.
    assert re.search(r"<cols>.*?</cols>", fiche).group(0) == re.search(
        r"<cols>.*?</cols>", model
    ).group(0)
    assert fiche.count("<mergeCell ") > model.count("<mergeCell ")
    lists = re.findall(r'<dataValidation [^>]*sqref="([^"]+)"[^>]*><formula1>([^<]+)<', fiche)
    assert {formula.split("!")[0] for _sqref, formula in lists} == {"Listes"}
    assert "_xlnm.Print_Area" in parts["xl/workbook.xml"]
    assert "<legacyDrawing" in fiche and "Responsable du traitement" in parts["xl/comments3.xml"]
    rows = workbook.get_sheet_by_name("ENF-3 Accueil de loisirs").to_python(skip_empty_area=False)
    labels = [str(row[0]).strip() for row in rows]
    # Rows added for the items the template has no room for, named like the template's.
    for label in (
        "Sous-finalité 8",
        "Catégorie de personnes 3",
        "Destinataire 6",
        "Organisme destinataire 5",
        "Vie professionnelle",
        "Autres données",
    ):
        assert label in labels, label
    assert labels.count("État civil, identité, données d'identification, images") == 1
    # An added row copies the style of the template's rows of its block (same cell formats).
    styles = {}
    for number, row in enumerate(re.findall(r"<row [^>]*>(.*?)</row>", fiche), start=1):
        styles[number] = re.findall(r'<c(?: r="[A-Z]+\d+")? s="(\d+)"', row)
    added = labels.index("Sous-finalité 8") + 1
    fifth = labels.index("Sous-finalité 5") + 1
    # Cells the export does not write into keep the template's formats: C…H of the block.
    assert styles[added][2:8] in (styles[fifth][2:8], styles[fifth - 1][2:8])
    merged = re.findall(r'<mergeCell ref="B(\d+):H\1"/>', fiche)
    assert str(added) in merged
    register.close()


def test_libreoffice_prints_the_filled_template_a_fiche_on_a_few_pages(
    tmp_path: Path, context: Context
) -> None:
    import subprocess

    register, organisation_id = _register(tmp_path / "Test.registre", context)
    for index in range(3):
        services.create_activity(
            register,
            organisation_id=organisation_id,
            name=f"Traitement {index}",
            reference=f"T-{index}",
            main_purpose="Une finalité",
        )
    for fmt in ("ods", "xlsx"):
        exported = export_register(register, tmp_path / f"registre.{fmt}", fmt)
        subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation=file://{tmp_path}/lo",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path / fmt),
                str(exported),
            ],
            check=True,
            capture_output=True,
            timeout=240,
        )
        pdf = tmp_path / fmt / "registre.pdf"
        info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
        pages = int(re.search(r"Pages:\s+(\d+)", info.stdout).group(1))
        assert pages <= 2 + 2 + 3 * 4, (fmt, pages)  # tutorial, list, then a few per fiche
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        assert text.count("Fiche de registre") == 3
        for label in (
            "Nom du traitement",
            "Catégories de données personnelles concernées",
            "Transferts hors UE",
            "Traitement 2",
            "Une finalité",
        ):
            assert label in text, (fmt, label)
    register.close()


def test_a_workbook_that_is_not_the_template_is_read_as_a_table(
    target: tuple[Register, str], tmp_path: Path
) -> None:
    register, _organisation = target
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Reference", "Processing activity", "Purpose", "Lawful basis", "Created on"])
    sheet.append(
        ["A-1", "Electoral roll", "Keep the roll", "Legal obligation", dt.date(2020, 1, 2)]
    )
    sheet.append(["A-2", "Library loans", "Lend books", "Public task", "2021-03-04"])
    path = tmp_path / "table.xlsx"
    workbook.save(path)
    plan = plan_import(register, path)
    assert plan.format == "table-xlsx"
    assert plan.columns["Lawful basis"] == "legal_basis"
    apply_import(register, plan)
    activities = {a.reference: a for a in services.list_activities(register)}
    assert activities["A-1"].legal_basis == "6.1.c"
    assert activities["A-2"].legal_basis == "6.1.e"


FILLED = Path(__file__).parents[1] / "fixtures" / "interchange"


@pytest.mark.parametrize("name", ["modele-cnil-rempli.xlsx", "modele-cnil-rempli.ods"])
def test_a_template_filled_by_hand_keeps_its_actors_renamed_rows_and_remarks(
    target: tuple[Register, str], name: str
) -> None:
    register, organisation_id = target
    plan = plan_import(register, FILLED / name)
    assert plan.ledger is not None
    assert plan.ledger.lost == 0 and plan.ledger.filled > 90
    assert sorted(entry.label for entry in plan.created) == [
        "ADM-07 — Location des salles municipales",
        "CCAS-02 — Accompagnement social",
        "RH-01 — Gestion de la paie",
    ]
    apply_import(register, plan)
    records = {
        summary.reference: services.record_of(register, "activity", summary.id)
        for summary in services.list_activities(register)
    }
    # The « Acteurs » block and the list's contacts fill the organisation.
    organisation = services.record_of(register, "organisation", organisation_id)
    assert organisation["dpo_name"] == "Julie Martin"
    assert organisation["dpo_organisation"] == "Centre de gestion de l'Isère"
    assert organisation["dpo_email"] == "dpo@cdg38.fr"
    assert organisation["address"] == "2 place de l'Église\n38470 Bellecombe"
    assert organisation["legal_representative_name"] == "Marie Dupont"
    assert organisation["eu_representative"] is None  # « Non applicable »
    payroll = records["RH-01"]
    categories = {row["category"]: row for row in payroll["data_categories"]}
    assert categories["economic_financial"]["details"] == "RIB"  # row renamed « Données bancaires »
    assert categories["nir"]["final_disposition"] == "destruction"
    assert "connection" not in categories  # « Non concerné »
    assert payroll["joint_controllers"] == []  # « Non applicable »
    assert payroll["transfers"] == [] and payroll["has_transfers"] is False  # « Sans objet »
    assert [p["description"] for p in payroll["purposes"]] == [
        "Calcul des rémunérations",
        "Déclarations sociales (DSN)",
    ]
    assert [(r["recipient_type"], r["name"]) for r in payroll["recipients"]] == [
        ("internal_service", "Service des ressources humaines"),
        ("other", "Trésorerie"),
    ]
    assert "Voir avec la trésorerie pour les archives" in payroll["legacy_notes"]
    social = records["CCAS-02"]
    sensitive = {row["category"] for row in social["data_categories"]}
    assert "sex_life" in sensitive  # row renamed « Orientation sexuelle »: Art. 9 data
    assert social["joint_controllers"][0]["name"] == "Département de l'Isère"
    assert "Non concerné (aucun transfert)" in social["legacy_notes"]
    from registre.checker import check_register

    findings = check_register(register)
    art9 = [
        f
        for f in findings.findings
        if f.record_id == social["id"] and f.rule.id == "art9-condition-missing"
    ]
    assert art9, "the special category data of the renamed row is checked"
    assert records["ADM-07"]["main_purpose"] == "Gérer les réservations des salles"
