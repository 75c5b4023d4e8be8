"""The CNIL template's layout: its fixed wording, the rows of its model fiche, and how its
sheets are recognised (list, fiche, lists, tutorial, example) whatever they are called.

``cnil_export`` writes the template from a register, ``cnil_template`` reads it back.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import Any

from registre.interchange import cnil_workbook
from registre.interchange.cnil_workbook import FICHE, LIST
from registre.interchange.spreadsheets import SheetData
from registre.interchange.text import (
    normalise,
)
from registre.schema import (
    ACTIVITY,
    PROCESSOR,
    SOFTWARE,
    Entity,
)
from registre.vocabularies import vocabulary

# --------------------------------------------------------------------------------------------
# The template's own wording (fixed texts of the CNIL workbook, not field labels)
# --------------------------------------------------------------------------------------------

FICHE_TITLE = "Fiche de registre"
LIST_SHEET = "Liste des traitements"
PROCESSORS_SHEET = "Sous-traitants"
SOFTWARE_SHEET = "Logiciels"
LISTS_SHEET = "Listes"
EXTRA_SECTION = "Informations complémentaires (Registre)"
DESCRIPTION_SECTION = "Description  du traitement"
NAME_LABEL = "Nom du traitement"
REFERENCE_LABEL = "N° / RÉF"
CREATED_LABEL = "Date de création du traitement"
UPDATED_LABEL = "Mise à jour du traitement"
MAIN_PURPOSE_LABEL = "Finalité principale"
SUB_PURPOSE_LABEL = "Sous-finalité"
OTHER_DATA_LABEL = "Autres données"
RESPONSIBILITIES_LABEL = "Répartition des obligations"

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
DETAILS_PREFIX = "Précisions :"

# Rows of the model fiche (1-based), by what they hold.
ORDINARY_ROWS = (
    ("identity", 25),
    ("personal_life", 26),
    ("economic_financial", 27),
    ("connection", 28),
    ("location", 29),
    ("nir", 30),
)
SENSITIVE_ROWS = (
    ("racial_ethnic_origin", 33),
    ("political_opinions", 34),
    ("religious_beliefs", 35),
    ("trade_union", 36),
    ("genetic", 37),
    ("biometric", 38),
    ("health", 39),
    ("sex_life", 40),
    ("criminal_offences", 41),
)
SUB_PURPOSE_ROWS = (18, 19, 20, 21, 22)
SUBJECT_ROWS = (44, 45)
RECIPIENT_ROWS = (48, 49, 50, 51)
MEASURE_ROWS = (54, 55, 56)
TRANSFER_ROWS = (59, 60, 61, 62)
LIST_FIRST_ROW = 10  # the list's activity rows alternate 10 and 11; 31 closes the table
LIST_LAST_ROW = 31
LIST_ROWS = 22

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
# Columns of the « Listes » sheet the drop-down lists use, as in the CNIL file.
LIST_COLUMNS = {
    "A": ("transfer_safeguards", "Garanties"),
    "C": ("countries", "Pays"),
    "F": ("data_subject_categories", "Catégories de personnes"),
    "H": ("recipient_types", "Destinataires"),
    "J": ("security_measures", "Mesures de sécurité"),
}
PROMPT = "Sélectionnez un élément dans cette liste déroulante ►"


def is_hint(value: Any) -> bool:
    """The template's side notes: « ► Finalité du traitement », « Consulter les guides… »."""
    return isinstance(value, str) and (
        value.lstrip().startswith("►") or normalise(value).startswith("consulter les guides")
    )


# --------------------------------------------------------------------------------------------
# Import: recognising sheets and rows
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


@cache
def template_texts() -> frozenset[str]:
    """Every text of the CNIL's blank list and model fiche (normalised): not user data."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_filelike(
        __import__("io").BytesIO(cnil_workbook.template_bytes(cnil_workbook.XLSX_TEMPLATE))
    )
    texts: set[str] = set()
    for name in (LIST, FICHE):
        for number, row in enumerate(workbook.get_sheet_by_name(name).to_python(), start=1):
            if name == LIST and number == 9:
                continue  # the example row
            texts.update(normalise(str(value)) for value in row if isinstance(value, str))
    texts.discard(normalise("ref-001"))
    texts.update(normalise(text) for text in (FICHE_TITLE, EXTRA_SECTION, OTHER_DATA_LABEL))
    return frozenset(texts)


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


def is_tutorial(sheet: SheetData) -> bool:
    """The template's tutorial sheet."""
    return normalise(_first_text(sheet.rows)).startswith("registre des traitements fiche tuto")


def is_lists(sheet: SheetData) -> bool:
    """The sheet of the drop-down lists (the CNIL's or ours)."""
    first = {
        normalise(value)
        for value in (sheet.rows[0] if sheet.rows else [])
        if isinstance(value, str)
    }
    return {"garanties", "pays"} <= first and normalise("Catégories de personnes") in first


def _column_zero(sheet: SheetData) -> set[str]:
    return {normalise(row[0]) for row in sheet.rows if row and isinstance(row[0], str)}


def is_fiche(sheet: SheetData) -> bool:
    """A « Fiche de registre » sheet: labels of the name and main purpose rows in column A."""
    labels = _column_zero(sheet)
    return normalise(NAME_LABEL) in labels and (
        normalise(MAIN_PURPOSE_LABEL) in labels or normalise(REFERENCE_LABEL) in labels
    )


def list_header(sheet: SheetData) -> int | None:
    for index, row in enumerate(sheet.rows):
        texts = {normalise(value) for value in row if isinstance(value, str)}
        if normalise(NAME_LABEL) in texts and (
            normalise(REFERENCE_LABEL) in texts or "ref" in texts or "reference" in texts
        ):
            return index
    return None


def records_entity(sheet: SheetData) -> Entity | None:
    """PROCESSOR or SOFTWARE when ``sheet`` is one of our processors or software sheets."""
    if not sheet.rows:
        return None
    first = [normalise(value) for value in sheet.rows[0] if isinstance(value, str)]
    for entity in (PROCESSOR, SOFTWARE):
        if first[:1] == [normalise(entity.fields[0].label_fr)]:
            return entity
    return None


def is_template(sheets: Sequence[SheetData]) -> bool:
    """True when the workbook follows the CNIL layout (a fiche or a list sheet)."""
    return any(is_fiche(sheet) or list_header(sheet) is not None for sheet in sheets)


def has_sensitive_data(activity: dict[str, Any]) -> bool:
    categories = vocabulary("data_categories")
    for row in activity["data_categories"]:
        term = categories.term(row["category"]) if row.get("category") else None
        if term and term.extra.get("sensitivity") in ("art9", "art10"):
            return True
    return False
