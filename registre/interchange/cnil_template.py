"""The CNIL's simplified register template (« modèle de registre simplifié »): read and write.

The template is a workbook with a list sheet (« Liste des traitements »: the organisation's
contacts, then one row per activity) and one fiche sheet per activity (« Fiche de registre »:
fixed rows for the actors, purposes, the ordinary and sensitive data categories with their
retention periods, data subjects, recipients, security measures and transfers). People fill it
in LibreOffice or Excel, rename and duplicate sheets, type dates as text: the reader therefore
recognises sheets by their content and rows by their labels, never by position or sheet name.

The export writes the same layout, then the fields the template lacks under « Informations
complémentaires (Registre) », labelled from the field schema, so the file imports back without
loss for every field the template has (and most of the others).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from registre.interchange.plan import IGNORE, NOT_UNDERSTOOD, Collector, TablePayload
from registre.interchange.spreadsheets import Sheet, SheetData, cell_name, safe_sheet_name
from registre.interchange.text import (
    Repairs,
    as_text,
    clean,
    join_nonempty,
    normalise,
    parse_retention,
    render_retention,
    render_value,
    resolver,
)
from registre.schema import (
    ACTIVITY,
    DATA_CATEGORY,
    DATA_SUBJECT,
    JOINT_CONTROLLER,
    ORGANISATION,
    RECIPIENT,
    SECURITY_MEASURE,
    TRANSFER,
    Entity,
    Field,
)
from registre.vocabularies import vocabulary

# --------------------------------------------------------------------------------------------
# The template's own wording (fixed texts of the CNIL workbook, not field labels)
# --------------------------------------------------------------------------------------------

FICHE_TITLE = "Fiche de registre"
LIST_SHEET = "Liste des traitements"
EXTRA_SECTION = "Informations complémentaires (Registre)"
DESCRIPTION_SECTION = "Description  du traitement"
NAME_LABEL = "Nom du traitement"
REFERENCE_LABEL = "N° / RÉF"
CREATED_LABEL = "Date de création du traitement"
UPDATED_LABEL = "Mise à jour du traitement"
MAIN_PURPOSE_LABEL = "Finalité principale"
SUB_PURPOSE_LABEL = "Sous-finalité"
OTHER_DATA_LABEL = "Autres données"

TEMPLATE_SINGLE = {
    NAME_LABEL: "name",
    REFERENCE_LABEL: "reference",
    CREATED_LABEL: "created_on",
    UPDATED_LABEL: "updated_on",
    MAIN_PURPOSE_LABEL: "main_purpose",
    "Date de création de la fiche": "created_on",
    "Dernière mise à jour de la fiche": "updated_on",
    "Date de mise à jour": "updated_on",
    "N° / Réf.": "reference",
}

ACTORS = "Acteurs"
ACTOR_COLUMNS = ("Nom", "Adresse", "Code Postal", "Ville", "Pays", "Téléphone", "Adresse mél")
CONTROLLER_ROW = "Responsable du traitement"
DPO_ROW = "Délégué à la protection des données"
DPO_ORGANISATION_ROW = "Société du DPO (si celui-ci est externe)"
REPRESENTATIVE_ROW = "Représentant"
JOINT_ROW = "Responsable(s) conjoint(s)"
PURPOSES = "Finalité(s) du traitement effectué"
DATA = "Catégories de données personnelles concernées"
SENSITIVE = "Données sensibles"
SUBJECTS = "Catégories de personnes concernées"
RECIPIENTS = "Destinataires"
MEASURES = "Mesures de sécurité"
TRANSFERS = "Transferts hors UE"
DESCRIPTION = "Description"
RETENTION = "Durée de conservation"
DETAILS = "Précisions"
RECIPIENT_TYPE = "Type de destinataire"
MEASURE_TYPE = "Type de mesure de sécurité"
TRANSFER_COLUMNS = ("Destinataire", "Pays", "Type de Garanties", "", "Liens vers la documentation")

# The fixed rows of data categories, in the template's order, with its wording.
ORDINARY_ROWS = (
    ("identity", "État civil, identité, données d'identification, images…"),
    ("personal_life", "Vie personnelle (habitudes de vie, situation familiale, etc.)"),
    (
        "professional_life",
        "Vie professionnelle (CV, situation professionnelle, scolarité, formation, distinctions, "
        "diplômes, etc.)",
    ),
    (
        "economic_financial",
        "Informations d'ordre économique et financier (revenus, situation financière, situation "
        "fiscale, etc.)",
    ),
    ("connection", "Données de connexion (adresse IP, logs, etc.)"),
    ("location", "Données de localisation (déplacements, données GPS, GSM, etc.)"),
    ("nir", "Numéro de Sécurité Sociale (ou NIR)"),
)
SENSITIVE_ROWS = (
    ("racial_ethnic_origin", "Données révélant l'origine raciale ou ethnique"),
    ("political_opinions", "Données révélant les opinions politiques"),
    ("religious_beliefs", "Données révélant les convictions religieuses ou philosophiques"),
    ("trade_union", "Données révélant l'appartenance syndicale"),
    ("genetic", "Données génétiques"),
    (
        "biometric",
        "Données biométriques aux fins d'identifier une personne physique de manière unique",
    ),
    ("health", "Données concernant la santé"),
    ("sex_life", "Données concernant la vie sexuelle ou l'orientation sexuelle"),
    ("criminal_offences", "Données relatives à des condamnations pénales ou infractions"),
)

# Fields the template carries itself; every other activity field goes to the extra section.
TEMPLATE_FIELDS = frozenset({"name", "reference", "created_on", "updated_on", "main_purpose"})
TEMPLATE_COLLECTIONS = frozenset(
    {
        "joint_controllers",
        "purposes",
        "data_categories",
        "data_subjects",
        "recipients",
        "security_measures",
        "transfers",
    }
)
WIDTHS = [46.0, 28.0, 24.0, 14.0, 30.0, 14.0, 16.0, 24.0, 30.0]


def _cell(column: int, row: int) -> str:
    return cell_name(column, row)


def _is_hint(value: Any) -> bool:
    """The template's side notes: « ► Finalité du traitement », « Consulter les guides… »."""
    return isinstance(value, str) and (
        value.lstrip().startswith("►") or normalise(value).startswith("consulter les guides")
    )


# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------


def _sensitive(activity: dict[str, Any]) -> bool:
    categories = vocabulary("data_categories")
    for row in activity["data_categories"]:
        term = categories.term(row["category"]) if row.get("category") else None
        if term and term.extra.get("sensitivity") in ("art9", "art10"):
            return True
    return False


def _org_line(organisation: dict[str, Any], key: str) -> Any:
    return organisation.get(key) or None


def list_sheet(organisation: dict[str, Any], activities: Sequence[dict[str, Any]]) -> Sheet:
    """The « Liste des traitements » sheet: the organisation's contacts and one row each."""
    sheet = Sheet(LIST_SHEET, widths=[46, 16, 18, 18, 40, 16, 16, 18, 30])
    sheet.add(f"Registre des activités de traitement — {organisation['name']}", bold=True)
    sheet.add(
        "Coordonnées du responsable de l'organisme\n(responsable de traitement ou son "
        "représentant si le responsable est situé en dehors de l'UE)",
        "Nom :",
        _org_line(organisation, "legal_representative_name"),
        "Prénom :",
        None,
        "Adresse :",
        _org_line(organisation, "address"),
        "Adresse mél :",
        _org_line(organisation, "email"),
    )
    sheet.add(None, "Code postal :", None, "Ville :", None, "Téléphone :", organisation["phone"])
    sheet.add(
        "Coordonnées du représentant\n(responsable de traitement ou son représentant si le "
        "responsable est situé en dehors de l'UE)",
        "Nom :",
        _org_line(organisation, "eu_representative"),
        "Prénom :",
        None,
        "Adresse :",
        None,
        "Adresse mél :",
        None,
    )
    sheet.add(None, "Code postal :", None, "Ville :", None, "Téléphone :", None)
    sheet.add(
        "Coordonnées du délégué à la protection des données (DPO)",
        "Nom :",
        _org_line(organisation, "dpo_name"),
        "Prénom :",
        None,
        "Société (si DPO externe) :",
        _org_line(organisation, "dpo_organisation"),
        "Adresse :",
        _org_line(organisation, "dpo_address"),
    )
    sheet.add(
        None,
        "Code postal :",
        None,
        "Ville :",
        None,
        "Téléphone :",
        _org_line(organisation, "dpo_phone"),
        "Adresse mél :",
        _org_line(organisation, "dpo_email"),
    )
    sheet.add(
        "Identification du traitement",
        None,
        None,
        None,
        "Finalité du traitement",
        None,
        None,
        "Données sensibles ?",
        bold=True,
    )
    sheet.add(
        NAME_LABEL,
        REFERENCE_LABEL,
        "Date de création de la fiche",
        "Dernière mise à jour de la fiche",
        None,
        None,
        None,
        "Oui/non",
        bold=True,
    )
    for activity in activities:
        sheet.add(
            activity["name"],
            activity["reference"],
            activity["created_on"],
            activity["updated_on"],
            activity["main_purpose"],
            None,
            None,
            "Oui" if _sensitive(activity) else "Non",
        )
    return sheet


def _blank_rows(count: int, minimum: int) -> range:
    return range(max(count, minimum))


def _recipient_details(row: dict[str, Any]) -> str | None:
    """Name and details of a recipient in one « Précisions » cell (name on the first line)."""
    if row.get("details") and not row.get("name"):
        return "\n" + str(row["details"])
    return join_nonempty([row.get("name") or "", row.get("details")])


def _keyed_rows(
    sheet: Sheet,
    title: str,
    column: str,
    label: str,
    rows: list[dict[str, Any]],
    spec: Field,
    minimum: int,
    *,
    details: Callable[[dict[str, Any]], Any] = lambda row: row.get("details"),
) -> None:
    """A block of the fiche whose rows are a vocabulary term and its « Précisions »."""
    sheet.add(title, column, None, None, DETAILS, bold=True)
    for index in _blank_rows(len(rows), minimum):
        row = rows[index] if index < len(rows) else {}
        sheet.add(
            f"{label} {index + 1}", render_value(spec, row.get(spec.key)), None, None, details(row)
        )
    sheet.add()


def fiche_sheet(
    name: str,
    organisation: dict[str, Any],
    activity: dict[str, Any],
    names: dict[str, str],
) -> Sheet:
    """One « Fiche de registre » sheet for ``activity``."""
    sheet = Sheet(name, widths=list(WIDTHS))
    sheet.add(FICHE_TITLE, None, None, None, None, None, None, activity["reference"], bold=True)
    sheet.add(DESCRIPTION_SECTION, bold=True)
    sheet.add(NAME_LABEL, activity["name"])
    sheet.add(REFERENCE_LABEL, activity["reference"])
    sheet.add(CREATED_LABEL, activity["created_on"])
    sheet.add(UPDATED_LABEL, activity["updated_on"])
    sheet.add()
    responsibilities = JOINT_CONTROLLER.field("responsibilities").label_fr
    sheet.add(ACTORS, *ACTOR_COLUMNS, responsibilities, bold=True)
    sheet.add(
        CONTROLLER_ROW,
        organisation["name"],
        organisation["address"],
        None,
        None,
        None,
        organisation["phone"],
        organisation["email"],
    )
    sheet.add(
        DPO_ROW,
        organisation["dpo_name"],
        organisation["dpo_address"],
        None,
        None,
        None,
        organisation["dpo_phone"],
        organisation["dpo_email"],
    )
    sheet.add(DPO_ORGANISATION_ROW, organisation["dpo_organisation"])
    sheet.add(REPRESENTATIVE_ROW, organisation["eu_representative"])
    joint = activity["joint_controllers"] or [{}]
    for row in joint:
        sheet.add(
            JOINT_ROW,
            row.get("name"),
            row.get("contact"),
            None,
            None,
            None,
            None,
            None,
            row.get("responsibilities"),
        )
    sheet.add()
    sheet.add(PURPOSES, bold=True)
    sheet.add(MAIN_PURPOSE_LABEL, activity["main_purpose"])
    purposes = activity["purposes"]
    for index in _blank_rows(len(purposes), 5):
        description = purposes[index]["description"] if index < len(purposes) else None
        sheet.add(f"{SUB_PURPOSE_LABEL} {index + 1}", description)
    sheet.add()
    categories = activity["data_categories"]
    for title, fixed in ((DATA, ORDINARY_ROWS), (SENSITIVE, SENSITIVE_ROWS)):
        sheet.add(title, DESCRIPTION, None, None, RETENTION, bold=True)
        for key, label in fixed:
            matching = [row for row in categories if row.get("category") == key] or [{}]
            for row in matching:
                sheet.add(label, row.get("details"), None, None, render_retention(row))
        if title == DATA:
            for row in categories:
                if not row.get("category"):
                    sheet.add(
                        OTHER_DATA_LABEL, row.get("details"), None, None, render_retention(row)
                    )
        sheet.add()
    _keyed_rows(
        sheet,
        SUBJECTS,
        DESCRIPTION,
        "Catégorie de personnes",
        activity["data_subjects"],
        DATA_SUBJECT.field("category"),
        2,
    )
    _keyed_rows(
        sheet,
        RECIPIENTS,
        RECIPIENT_TYPE,
        "Destinataire",
        activity["recipients"],
        RECIPIENT.field("recipient_type"),
        4,
        details=_recipient_details,
    )
    _keyed_rows(
        sheet,
        MEASURES,
        MEASURE_TYPE,
        "Mesure de sécurité",
        activity["security_measures"],
        SECURITY_MEASURE.field("measure_type"),
        3,
    )
    sheet.add(TRANSFERS, *TRANSFER_COLUMNS, bold=True)
    transfers = activity["transfers"]
    for index in _blank_rows(len(transfers), 4):
        row = transfers[index] if index < len(transfers) else {}
        sheet.add(
            f"Organisme destinataire {index + 1}",
            row.get("recipient"),
            render_value(TRANSFER.field("country"), row.get("country")),
            render_value(TRANSFER.field("safeguard"), row.get("safeguard")),
            None,
            row.get("documentation"),
        )
    sheet.add()
    sheet.add(EXTRA_SECTION, bold=True)
    for spec in ACTIVITY.fields:
        if spec.key in TEMPLATE_FIELDS:
            continue
        sheet.add(spec.label_fr, render_value(spec, activity[spec.key], names))
    for collection in ACTIVITY.collections:
        if collection.key in TEMPLATE_COLLECTIONS:
            continue
        entity = collection.entity
        sheet.add()
        sheet.add(collection.label("fr"), *(s.label_fr for s in entity.fields), bold=True)
        for index, row in enumerate(activity[collection.key] or [{}], start=1):
            values = [render_value(s, row.get(s.key)) for s in entity.fields]
            sheet.add(f"{entity.label_fr} {index}", *values)
    return sheet


def workbook_sheets(organisation: dict[str, Any]) -> list[Sheet]:
    """The list sheet and one fiche per activity of ``organisation`` (plain data)."""
    names = {item["id"]: item["name"] for item in organisation["processors"]}
    names.update({item["id"]: item["name"] for item in organisation["software"]})
    activities = organisation["activities"]
    taken = {LIST_SHEET.casefold()}
    sheets = [list_sheet(organisation, activities)]
    for index, activity in enumerate(activities, start=1):
        label = activity["reference"] or activity["name"]
        name = safe_sheet_name(f"Fiche {index:03d} {label}", taken)
        sheets.append(fiche_sheet(name, organisation, activity, names))
    return sheets


# --------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------


def _index(labels: dict[str, str]) -> dict[str, str]:
    return {normalise(label): key for label, key in labels.items()}


def _single_labels() -> dict[str, str]:
    """Row label (normalised) → activity field, for rows holding one value."""
    index: dict[str, str] = {}
    for spec in ACTIVITY.fields:
        index.setdefault(normalise(spec.label_fr), spec.key)
        index.setdefault(normalise(spec.label_en), spec.key)
    index.update(_index(TEMPLATE_SINGLE))
    return index


SINGLE_LABELS = _single_labels()
SECTION_HEADERS = {
    normalise(ACTORS): "actors",
    normalise(PURPOSES): "purposes",
    normalise(DATA): "data",
    normalise(SENSITIVE): "data",
    normalise(SUBJECTS): "subjects",
    normalise(RECIPIENTS): "recipients",
    normalise(MEASURES): "measures",
    normalise(TRANSFERS): "transfers",
    normalise(DESCRIPTION_SECTION): "description",
    normalise(EXTRA_SECTION): "extra",
}
for _collection in ACTIVITY.collections:
    if _collection.key not in TEMPLATE_COLLECTIONS:
        SECTION_HEADERS[normalise(_collection.label("fr"))] = _collection.key
        SECTION_HEADERS[normalise(_collection.label("en"))] = _collection.key
# Default columns when a section's header row lost its titles.
DEFAULT_COLUMNS = {
    "actors": {normalise(label): index for index, label in enumerate(ACTOR_COLUMNS, start=1)},
    "data": {normalise(DESCRIPTION): 1, normalise(RETENTION): 4},
    "subjects": {normalise(DESCRIPTION): 1, normalise(DETAILS): 4},
    "recipients": {normalise(RECIPIENT_TYPE): 1, normalise(DETAILS): 4},
    "measures": {normalise(MEASURE_TYPE): 1, normalise(DETAILS): 4},
    "transfers": {
        normalise(label): index for index, label in enumerate(TRANSFER_COLUMNS, start=1) if label
    },
}
ACTOR_KINDS = {
    normalise(CONTROLLER_ROW): "controller",
    normalise(DPO_ROW): "dpo",
    normalise(DPO_ORGANISATION_ROW): "dpo_organisation",
    normalise("Société du DPO"): "dpo_organisation",
    normalise(REPRESENTATIVE_ROW): "representative",
    normalise(JOINT_ROW): "joint",
    normalise("Responsables conjoints"): "joint",
    normalise("Responsable conjoint"): "joint",
}


def _first_text(rows: list[list[Any]]) -> str:
    for row in rows[:5]:
        for value in row:
            if isinstance(value, str) and value.strip():
                return value
    return ""


def is_example(sheet: SheetData) -> bool:
    """The template's example sheet (« 4 - Exemple de fiche »), whatever it was renamed."""
    name = normalise(sheet.name.replace("_", " "))
    return bool(re.match(r"^(\d+\s*)?exemple", name)) or normalise(
        _first_text(sheet.rows)
    ).startswith("exemple de fiche")


def _column_zero(sheet: SheetData) -> set[str]:
    return {normalise(row[0]) for row in sheet.rows if row and isinstance(row[0], str)}


def is_fiche(sheet: SheetData) -> bool:
    """A « Fiche de registre » sheet: labels of the name and main purpose rows in column A."""
    labels = _column_zero(sheet)
    return normalise(NAME_LABEL) in labels and (
        normalise(MAIN_PURPOSE_LABEL) in labels or normalise(REFERENCE_LABEL) in labels
    )


def _list_header(sheet: SheetData) -> int | None:
    for index, row in enumerate(sheet.rows):
        texts = {normalise(value) for value in row if isinstance(value, str)}
        if normalise(NAME_LABEL) in texts and (
            normalise(REFERENCE_LABEL) in texts or "ref" in texts or "reference" in texts
        ):
            return index
    return None


def is_template(sheets: Sequence[SheetData]) -> bool:
    """True when the workbook follows the CNIL layout (a fiche or a list sheet)."""
    return any(is_fiche(sheet) or _list_header(sheet) is not None for sheet in sheets)


@dataclass
class _Fiche:
    """What one fiche (or list row) says about an activity, before merging."""

    values: dict[str, Any]
    where: str
    organisation: dict[str, Any] = field(default_factory=dict)


class TemplateReader:
    """Reads a CNIL-layout workbook into activities, organisation details and notes."""

    def __init__(self, path: Path, kind: str) -> None:
        self.path = path
        self.payload = TablePayload(format=f"cnil-{kind}")
        self.collect = Collector(self.payload)
        self.repairs: Repairs = self.payload.repairs
        self.organisation: dict[str, Any] = {}

    # -- helpers ------------------------------------------------------------------------------

    def _clean_rows(self, sheet: SheetData) -> list[list[Any]]:
        return [[clean(value, self.repairs) for value in row] for row in sheet.rows]

    def _organisation(self, key: str, raw: Any, where: str) -> None:
        if raw in (None, "") or key in self.organisation:
            return
        value = self.collect.value(ORGANISATION.field(key), raw, where)
        if value not in (None, ""):
            self.organisation[key] = value

    # -- the list sheet ----------------------------------------------------------------------

    def read_list(self, sheet: SheetData, header: int) -> list[_Fiche]:
        rows = self._clean_rows(sheet)
        self._read_contacts(sheet.name, rows[:header])
        titles: dict[int, str] = {}
        for column, value in enumerate(rows[header]):
            text = value if isinstance(value, str) else None
            if text is None and header > 0 and column < len(rows[header - 1]):
                above = rows[header - 1][column]
                text = above if isinstance(above, str) else None
            if text:
                titles[column] = normalise(text)
        columns: dict[int, str] = {}
        for column, title in titles.items():
            key = SINGLE_LABELS.get(title)
            if title in (normalise("Finalité du traitement"), normalise("Finalités")):
                key = "main_purpose"
            if key in ("name", "reference", "created_on", "updated_on", "main_purpose"):
                columns[column] = key
        found = []
        for index in range(header + 1, len(rows)):
            row = rows[index]
            cells = {key: row[column] for column, key in columns.items() if column < len(row)}
            if not any(value is not None for value in cells.values()):
                continue
            where = f"{sheet.name}!{index + 1}"
            name = as_text(cells.get("name")) or ""
            if normalise(name).startswith("exemple") or "exemple" in normalise(
                as_text(cells.get("reference")) or ""
            ):
                self.collect.note(
                    IGNORE,
                    "activity",
                    name,
                    where,
                    "exemple du modèle CNIL",
                    "CNIL template example",
                )
                continue
            values = {
                key: self.collect.value(ACTIVITY.field(key), cell, where)
                for key, cell in cells.items()
            }
            found.append(_Fiche({k: v for k, v in values.items() if v is not None}, where))
        return found

    def _read_contacts(self, sheet_name: str, rows: list[list[Any]]) -> None:
        """The three contact blocks above the list: organisation, representative, DPO."""
        blocks: dict[str, dict[str, Any]] = {"controller": {}, "representative": {}, "dpo": {}}
        block: str | None = None
        for row_index, row in enumerate(rows):
            first = normalise(row[0]) if row and isinstance(row[0], str) else ""
            if first.startswith("coordonnees du responsable"):
                block = "controller"
            elif first.startswith(("coordonnees du representant", "representant")):
                block = "representative"
            elif first.startswith("coordonnees du") and ("delegue" in first or "dpo" in first):
                block = "dpo"
            elif first:
                block = None
            if block is None:
                continue
            for column in range(1, len(row) - 1):
                label = row[column]
                if not (isinstance(label, str) and label.rstrip().endswith(":")):
                    continue
                value = row[column + 1]
                if isinstance(value, str) and value.rstrip().endswith(":"):
                    continue
                if value is not None:
                    key = normalise(label.rstrip(" :"))
                    blocks[block][key] = (value, f"{sheet_name}!{_cell(column + 1, row_index)}")
        self._contacts(blocks)

    def _contacts(self, blocks: dict[str, dict[str, Any]]) -> None:
        def get(block: str, key: str) -> Any:
            found = blocks[block].get(key)
            return found[0] if found else None

        def where(block: str) -> str:
            return next(iter(blocks[block].values()))[1] if blocks[block] else ""

        person = join_nonempty([get("controller", "prenom"), get("controller", "nom")], " ")
        self._organisation("legal_representative_name", person, where("controller"))
        town = join_nonempty([get("controller", "code postal"), get("controller", "ville")], " ")
        address = join_nonempty([get("controller", "adresse"), town])
        self._organisation("address", address, where("controller"))
        self._organisation("email", get("controller", "adresse mel"), where("controller"))
        self._organisation("phone", get("controller", "telephone"), where("controller"))
        dpo = join_nonempty([get("dpo", "prenom"), get("dpo", "nom")], " ")
        self._organisation("dpo_name", dpo, where("dpo"))
        company = next(
            (value[0] for key, value in blocks["dpo"].items() if key.startswith("societe")), None
        )
        self._organisation("dpo_organisation", company, where("dpo"))
        town = join_nonempty([get("dpo", "code postal"), get("dpo", "ville")], " ")
        self._organisation(
            "dpo_address", join_nonempty([get("dpo", "adresse"), town]), where("dpo")
        )
        self._organisation("dpo_email", get("dpo", "adresse mel"), where("dpo"))
        self._organisation("dpo_phone", get("dpo", "telephone"), where("dpo"))
        representative = join_nonempty(
            [
                join_nonempty([get("representative", "prenom"), get("representative", "nom")], " "),
                get("representative", "adresse"),
                join_nonempty(
                    [get("representative", "code postal"), get("representative", "ville")], " "
                ),
                get("representative", "telephone"),
                get("representative", "adresse mel"),
            ]
        )
        self._organisation("eu_representative", representative, where("representative"))

    # -- a fiche -------------------------------------------------------------------------------

    def read_fiche(self, sheet: SheetData) -> _Fiche | None:
        rows = self._clean_rows(sheet)
        values: dict[str, Any] = {}
        collections: dict[str, list[dict[str, Any]]] = {c.key: [] for c in ACTIVITY.collections}
        section: str | None = None
        columns: dict[str, int] = {}
        for index, row in enumerate(rows):
            if not row:
                continue
            label = row[0] if isinstance(row[0], str) else None
            where = f"{sheet.name}!{index + 1}"
            key = normalise(label) if label else ""
            if key in SECTION_HEADERS:
                section = SECTION_HEADERS[key]
                columns = self._columns(section, row)
                continue
            if key.startswith(normalise(SUB_PURPOSE_LABEL)):
                text = self._single(row)
                if text is not None:
                    collections["purposes"].append(
                        {"description": text, "_where": f"{sheet.name}!{_cell(1, index)}"}
                    )
                continue
            if key in SINGLE_LABELS:
                spec = ACTIVITY.field(SINGLE_LABELS[key])
                raw = self._single(row)
                if raw is not None and spec.key not in values:
                    value = self.collect.value(spec, raw, f"{sheet.name}!{_cell(1, index)}")
                    if value not in (None, []):
                        values[spec.key] = value
                continue
            if not label or section is None:
                continue
            self._section_row(section, label, row, columns, where, collections)
        if not values.get("name"):
            if set(values) - {"reference"} or any(collections.values()):
                self.collect.note(
                    IGNORE,
                    "sheet",
                    sheet.name,
                    "",
                    "fiche sans nom de traitement, non importée",
                    "fiche without a processing name, not imported",
                )
            else:
                self.collect.note(IGNORE, "sheet", sheet.name, "", "fiche vide", "empty fiche")
            return None
        for collection in ACTIVITY.collections:
            rows_found = []
            for raw_row in collections[collection.key]:
                raw_where = raw_row.pop("_where", sheet.name)
                checked = self.collect.row(collection.entity, raw_row, raw_where)
                if checked:
                    rows_found.append(checked)
            if rows_found:
                values[collection.key] = rows_found
        return _Fiche(values, sheet.name)

    @staticmethod
    def _single(row: list[Any]) -> Any:
        for value in row[1:9]:
            if value is not None and not _is_hint(value):
                return value
        return None

    @staticmethod
    def _columns(section: str, row: list[Any]) -> dict[str, int]:
        columns: dict[str, int] = {}
        for index, value in enumerate(row[1:], start=1):
            if isinstance(value, str) and not _is_hint(value):
                columns.setdefault(normalise(value), index)
        defaults = DEFAULT_COLUMNS.get(section, {})
        for title, index in defaults.items():
            columns.setdefault(title, index)
        return columns

    def _section_row(
        self,
        section: str,
        label: str,
        row: list[Any],
        columns: dict[str, int],
        where: str,
        collections: dict[str, list[dict[str, Any]]],
    ) -> None:
        def cell(title: str) -> Any:
            index = columns.get(normalise(title))
            if index is None or index >= len(row):
                return None
            value = row[index]
            return None if _is_hint(value) else value

        sheet_row = where
        handlers: dict[str, Callable[[], None]] = {
            "actors": lambda: self._actor(label, cell, sheet_row, collections),
            "data": lambda: self._data_category(label, cell, sheet_row, collections),
            "subjects": lambda: self._subject(cell, sheet_row, collections),
            "recipients": lambda: self._recipient(cell, sheet_row, collections),
            "measures": lambda: self._measure(cell, sheet_row, collections),
            "transfers": lambda: self._transfer(cell, sheet_row, collections),
        }
        if section in handlers:
            handlers[section]()
        elif section in collections:
            self._extra_row(section, cell, sheet_row, collections)

    def _actor(
        self,
        label: str,
        cell: Callable[[str], Any],
        where: str,
        collections: dict[str, list[dict[str, Any]]],
    ) -> None:
        kind = ACTOR_KINDS.get(normalise(label))
        if kind is None:
            for prefix, candidate in ACTOR_KINDS.items():
                if normalise(label).startswith(prefix):
                    kind = candidate
                    break
        name, address = cell("Nom"), cell("Adresse")
        town = join_nonempty([cell("Code Postal"), cell("Ville")], " ")
        country = cell("Pays")
        if isinstance(country, str) and normalise(country) == "france":
            country = None
        phone, email = cell("Téléphone"), cell("Adresse mél")
        full_address = join_nonempty([address, town, country])
        if kind == "controller":
            self._organisation("address", full_address, where)
            self._organisation("phone", phone, where)
            self._organisation("email", email, where)
        elif kind == "dpo":
            self._organisation("dpo_name", name, where)
            self._organisation("dpo_address", full_address, where)
            self._organisation("dpo_phone", phone, where)
            self._organisation("dpo_email", email, where)
        elif kind == "dpo_organisation":
            self._organisation("dpo_organisation", join_nonempty([name, full_address]), where)
        elif kind == "representative":
            representative = join_nonempty([name, full_address, phone, email])
            self._organisation("eu_representative", representative, where)
        elif kind == "joint":
            responsibilities = cell(JOINT_CONTROLLER.field("responsibilities").label_fr)
            contact = join_nonempty([address, town, country, phone, email])
            if name or contact or responsibilities:
                collections["joint_controllers"].append(
                    {
                        "name": name,
                        "contact": contact,
                        "responsibilities": responsibilities,
                        "_where": where,
                    }
                )

    def _data_category(
        self,
        label: str,
        cell: Callable[[str], Any],
        where: str,
        collections: dict[str, list[dict[str, Any]]],
    ) -> None:
        details, retention = cell(DESCRIPTION), cell(RETENTION)
        if details is None and retention is None:
            return
        row: dict[str, Any] = {"details": as_text(details), "_where": where}
        key = normalise(label)
        category = resolver(DATA_CATEGORY.field("category")).resolve(label)
        if category:
            row["category"] = category
        elif not key.startswith("autre"):
            row["details"] = join_nonempty([label, as_text(details)], " : ")
            self.collect.note(
                NOT_UNDERSTOOD,
                "cell",
                label,
                where,
                "catégorie de données non reconnue, gardée dans les précisions",
                "unrecognised data category, kept in the details",
            )
        if isinstance(retention, str):
            found, leftovers = parse_retention(retention)
            row.update(found)
            if leftovers:
                row["retention_start"] = join_nonempty(
                    [found.get("retention_start"), *leftovers], " "
                )
                if "retention_value" not in found:
                    self.collect.note(
                        NOT_UNDERSTOOD,
                        "cell",
                        DATA_CATEGORY.field("retention_value").label_fr,
                        where,
                        f"durée non reconnue « {retention[:80]} », gardée en texte",
                        f"unrecognised period “{retention[:80]}”, kept as text",
                    )
        elif isinstance(retention, int | float) and not isinstance(retention, bool):
            row["retention_value"] = retention
        elif retention is not None:
            row["retention_start"] = as_text(retention)
        collections["data_categories"].append(row)

    def _subject(
        self,
        cell: Callable[[str], Any],
        where: str,
        collections: dict[str, list[dict[str, Any]]],
    ) -> None:
        self._keyed_row(
            cell(DESCRIPTION),
            cell(DETAILS),
            where,
            collections["data_subjects"],
            DATA_SUBJECT.field("category"),
        )

    def _keyed_row(
        self, label: Any, precisions: Any, where: str, rows: list[dict[str, Any]], spec: Field
    ) -> None:
        """A row keyed by a vocabulary term; an unknown term is kept as « other » + details."""
        text, details = as_text(label), as_text(precisions)
        if text is None and details is None:
            return
        key = resolver(spec).resolve(text) if text else None
        if text and key is None:
            key, details = "other", join_nonempty([text, details], " — ")
        rows.append({spec.key: key, "details": details, "_where": where})

    def _recipient(
        self,
        cell: Callable[[str], Any],
        where: str,
        collections: dict[str, list[dict[str, Any]]],
    ) -> None:
        kind, precisions = as_text(cell(RECIPIENT_TYPE)), as_text(cell(DETAILS))
        if kind is None and precisions is None:
            return
        name, _newline, details = (precisions or "").partition("\n")
        key = resolver(RECIPIENT.field("recipient_type")).resolve(kind) if kind else None
        if kind and key is None:
            key, details = "other", join_nonempty([kind, details], " — ") or ""
        collections["recipients"].append(
            {
                "recipient_type": key,
                "name": name.strip() or None,
                "details": details.strip() or None,
                "_where": where,
            }
        )

    def _measure(
        self,
        cell: Callable[[str], Any],
        where: str,
        collections: dict[str, list[dict[str, Any]]],
    ) -> None:
        self._keyed_row(
            cell(MEASURE_TYPE),
            cell(DETAILS),
            where,
            collections["security_measures"],
            SECURITY_MEASURE.field("measure_type"),
        )

    def _transfer(
        self,
        cell: Callable[[str], Any],
        where: str,
        collections: dict[str, list[dict[str, Any]]],
    ) -> None:
        recipient = as_text(cell(TRANSFER_COLUMNS[0]))
        country_text = as_text(cell(TRANSFER_COLUMNS[1]))
        safeguard_text = as_text(cell(TRANSFER_COLUMNS[2]))
        documentation = as_text(cell(TRANSFER_COLUMNS[4]))
        if not any((recipient, country_text, safeguard_text, documentation)):
            return
        row: dict[str, Any] = {"recipient": recipient, "_where": where}
        extra: list[str] = []
        for key, text in (("country", country_text), ("safeguard", safeguard_text)):
            if not text:
                continue
            spec = TRANSFER.field(key)
            found = resolver(spec).resolve(text)
            if found:
                row[key] = found
            else:
                extra.append(f"{spec.label_fr} : {text}")
                self.collect.note(
                    NOT_UNDERSTOOD,
                    "cell",
                    spec.label_fr,
                    where,
                    f"« {text} » non reconnu, gardé dans la documentation",
                    f"“{text}” not recognised, kept in the documentation",
                )
        row["documentation"] = join_nonempty([documentation, *extra])
        collections["transfers"].append(row)

    def _extra_row(
        self,
        key: str,
        cell: Callable[[str], Any],
        where: str,
        collections: dict[str, list[dict[str, Any]]],
    ) -> None:
        entity = ACTIVITY.collection(key).entity
        raw = {spec.key: cell(spec.label_fr) for spec in entity.fields}
        if any(value is not None for value in raw.values()):
            collections[key].append({**_as_keys(entity, raw), "_where": where})

    # -- the whole workbook -------------------------------------------------------------------

    def read(self, sheets: Sequence[SheetData]) -> TablePayload:
        fiches: list[_Fiche] = []
        listed: list[_Fiche] = []
        for sheet in sheets:
            if is_example(sheet):
                self.collect.note(
                    IGNORE,
                    "sheet",
                    sheet.name,
                    "",
                    "exemple du modèle CNIL, non importé",
                    "CNIL template example, not imported",
                )
            elif is_fiche(sheet):
                fiche = self.read_fiche(sheet)
                if fiche is not None:
                    fiches.append(fiche)
            elif (header := _list_header(sheet)) is not None:
                listed.extend(self.read_list(sheet, header))
            elif any(any(value not in (None, "") for value in row) for row in sheet.rows):
                self.collect.note(
                    IGNORE,
                    "sheet",
                    sheet.name,
                    "",
                    "feuille sans fiche ni liste de traitements",
                    "sheet with neither a fiche nor a list of activities",
                )
        for fiche in _merge(fiches, listed):
            self.collect.activity(fiche.values, fiche.where)
        self.payload.organisation_values = self.organisation
        return self.payload


def _as_keys(entity: Entity, raw: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in raw.items() if key in entity.keys}


def _identity(values: dict[str, Any]) -> tuple[str, str]:
    return normalise(str(values.get("reference") or "")), normalise(str(values.get("name") or ""))


def _merge(fiches: list[_Fiche], listed: list[_Fiche]) -> list[_Fiche]:
    """Fiches completed by their row of the list; list rows without a fiche on their own."""
    by_reference: dict[str, _Fiche] = {}
    by_name: dict[str, _Fiche] = {}
    for item in listed:
        reference, name = _identity(item.values)
        if reference:
            by_reference.setdefault(reference, item)
        if name:
            by_name.setdefault(name, item)
    used: set[int] = set()
    merged = []
    for fiche in fiches:
        reference, name = _identity(fiche.values)
        row: _Fiche | None = by_reference.get(reference) if reference else None
        row = row or by_name.get(name)
        if row is not None and id(row) not in used:
            used.add(id(row))
            for key, value in row.values.items():
                fiche.values.setdefault(key, value)
        merged.append(fiche)
    merged.extend(item for item in listed if id(item) not in used)
    return merged


def read_template(sheets: Sequence[SheetData], path: Path, kind: str) -> TablePayload:
    """Activities and organisation details of a CNIL-layout workbook."""
    return TemplateReader(path, kind).read(sheets)
