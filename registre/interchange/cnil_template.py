"""The CNIL's simplified register template (« modèle de registre simplifié »): read and write.

The template is a workbook with a list sheet (« Liste des traitements »: the organisation's
contacts, then one row per activity) and one fiche sheet per activity (« Fiche de registre »:
rows for the actors, purposes, the ordinary and sensitive data categories with their retention
periods, data subjects, recipients, security measures and transfers).

**Export** fills the CNIL's own file (``cnil_workbook``): its list sheet, one copy of its model
fiche per activity, then « Informations complémentaires (Registre) » at the bottom of each fiche
for the fields the template lacks, and the processors and software on their own sheets.

**Import** reads that export back without a difference, and templates filled by hand in
LibreOffice or Excel: sheets are recognised by their content whatever they are called, rows by
their labels (renamed rows such as « Orientation sexuelle » or « Données bancaires » are matched
to their data categories), the « Acteurs » block fills the organisation. Every filled cell ends
in a field or in the activity's notes (« Informations reprises de l'ancien registre »).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import IO, Any

from registre.interchange import cnil_workbook
from registre.interchange.cnil_workbook import FICHE, LIST, LISTS, TUTORIAL, Layout
from registre.interchange.ledger import FIELD, PLACEHOLDER, Ledger, Tally, note_line
from registre.interchange.ledger import NOTE as NOTED_CELL
from registre.interchange.plan import (
    IGNORE,
    NOT_UNDERSTOOD,
    IncomingActivity,
    IncomingRecord,
    PlanEntry,
    TablePayload,
)
from registre.interchange.spreadsheets import SheetData, cell_name, safe_sheet_name
from registre.interchange.tables import name_if_missing, read_value
from registre.interchange.text import (
    NO_ITEM,
    NotUnderstood,
    Repairs,
    as_text,
    clean,
    join_nonempty,
    normalise,
    parse_retention,
    placeholder_kind,
    placeholder_rest,
    render_retention,
    render_value,
    resolver,
)
from registre.schema import (
    ACTIVITY,
    DATA_CATEGORY,
    DATA_SUBJECT,
    ORGANISATION,
    PROCESSOR,
    RECIPIENT,
    SECURITY_MEASURE,
    SOFTWARE,
    TRANSFER,
    Entity,
    Field,
    Kind,
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


def list_layout(organisation: dict[str, Any], activities: Sequence[dict[str, Any]]) -> Layout:
    """The « Liste des traitements » sheet: contacts, then one row per activity."""
    layout = Layout(LIST_SHEET, LIST, print_columns=9)
    org = organisation.get
    layout.add(1, {2: org("legal_representative_name"), 6: org("address"), 8: org("email")})
    layout.add(2, {6: org("phone")})
    layout.add(3, {2: org("eu_representative")})
    layout.add(4)
    layout.add(5, {2: org("dpo_name"), 6: org("dpo_organisation"), 8: org("dpo_address")})
    layout.add(6, {6: org("dpo_phone"), 8: org("dpo_email")})
    layout.add(7)
    layout.add(8)
    count = max(len(activities), LIST_ROWS)
    for index in range(count):
        source = LIST_LAST_ROW if index == count - 1 else LIST_FIRST_ROW + index % 2
        values: dict[int, Any] = {}
        if index < len(activities):
            activity = activities[index]
            values = {
                0: activity["name"],
                1: activity["reference"],
                2: activity["created_on"],
                3: activity["updated_on"],
                4: activity["main_purpose"],
                7: "Oui" if _sensitive(activity) else "Non",
            }
        layout.add(source, values)
    return layout


def _recipient_details(row: dict[str, Any]) -> str | None:
    """The « Précisions » of a recipient: its name, then « Précisions : » and its details."""
    details = f"{DETAILS_PREFIX} {row['details']}" if row.get("details") else None
    return join_nonempty([row.get("name"), details])


def _block(
    layout: Layout,
    rows: Sequence[int],
    items: Sequence[dict[str, Any]],
    label: str,
    values: Callable[[dict[str, Any]], dict[int, Any]],
) -> None:
    """The rows of one block: the template's rows, then copies of its last two for the rest."""
    count = max(len(items), len(rows))
    for index in range(count):
        cells = values(items[index]) if index < len(items) else {}
        if index < len(rows):
            layout.add(rows[index], cells)
            continue
        cells[0] = f"{label} {index + 1}"
        layout.add(rows[-2 + (index - len(rows)) % 2] if len(rows) > 1 else rows[0], cells)


def _categories(
    layout: Layout,
    fixed: Sequence[tuple[str, int]],
    rows: list[dict[str, Any]],
    others: Sequence[str],
) -> None:
    """Data category rows: the template's fixed rows, copies for more rows of a category and
    rows for the categories ``others`` the template lacks (placed in the vocabulary's order)."""
    terms = vocabulary("data_categories")
    rank = {term.key: position for position, term in enumerate(terms.terms)}
    order = [key for key, _row in fixed]
    for key in others:
        if any(row.get("category") == key for row in rows):
            position = next(
                (i for i, known in enumerate(order) if rank[known] > rank[key]), len(order)
            )
            order.insert(position, key)
    sources = dict(fixed)
    copies = 0
    for key in order:
        matching = [row for row in rows if row.get("category") == key]
        if key in sources:
            layout.add(sources[key], _category_values(matching[0]) if matching else {})
            matching = matching[1:]
        for row in matching:
            layout.add(27 + copies % 2, {0: terms.label(key), **_category_values(row)})
            copies += 1


def _category_values(row: dict[str, Any]) -> dict[int, Any]:
    return {1: row.get("details"), 4: render_retention(row)}


def fiche_layout(
    name: str, organisation: dict[str, Any], activity: dict[str, Any], names: dict[str, str]
) -> Layout:
    """One copy of the model fiche, filled with ``activity``."""
    layout = Layout(name, FICHE, print_columns=8)
    layout.add(1, {0: FICHE_TITLE, 7: activity["reference"]})
    layout.add(2, {0: f"{organisation['name']} — registre des activités de traitement"})
    layout.add(3)
    layout.add(4, {1: activity["name"]})
    layout.add(5, {1: activity["reference"]})
    layout.add(6, {1: activity["created_on"]})
    layout.add(7, {1: activity["updated_on"]})
    layout.add(8)
    layout.add(9)
    org = organisation.get
    layout.add(10, {1: org("name"), 2: org("address"), 6: org("phone"), 7: org("email")})
    layout.add(
        11, {1: org("dpo_name"), 2: org("dpo_address"), 6: org("dpo_phone"), 7: org("dpo_email")}
    )
    layout.add(12, {1: org("dpo_organisation")})
    layout.add(13, {1: org("eu_representative")})
    for joint in activity["joint_controllers"] or [{}]:
        layout.add(14, {1: joint.get("name"), 2: joint.get("contact")})
    layout.add(15)
    layout.add(16)
    layout.add(17, {1: activity["main_purpose"]})
    _block(
        layout,
        SUB_PURPOSE_ROWS,
        activity["purposes"],
        SUB_PURPOSE_LABEL,
        lambda row: {1: row.get("description")},
    )
    layout.add(23)
    layout.add(24)
    categories = activity["data_categories"]
    _categories(layout, ORDINARY_ROWS, categories, ["professional_life"])
    for row in categories:
        if not row.get("category"):
            layout.add(28, {0: OTHER_DATA_LABEL, **_category_values(row)})
    layout.add(31)
    layout.add(32)
    _categories(layout, SENSITIVE_ROWS, categories, [])
    layout.add(42)
    layout.add(43)
    subject = DATA_SUBJECT.field("category")
    _block(
        layout,
        SUBJECT_ROWS,
        activity["data_subjects"],
        "Catégorie de personnes",
        lambda row: {1: render_value(subject, row.get("category")), 4: row.get("details")},
    )
    layout.add(46)
    layout.add(47)
    kind = RECIPIENT.field("recipient_type")
    _block(
        layout,
        RECIPIENT_ROWS,
        activity["recipients"],
        "Destinataire",
        lambda row: {1: render_value(kind, row.get("recipient_type")), 4: _recipient_details(row)},
    )
    layout.add(52, validations=False)
    layout.add(53)
    measure = SECURITY_MEASURE.field("measure_type")
    _block(
        layout,
        MEASURE_ROWS,
        activity["security_measures"],
        "Mesure de sécurité",
        lambda row: {1: render_value(measure, row.get("measure_type")), 4: row.get("details")},
    )
    layout.add(57, validations=False)
    layout.add(58)
    country, safeguard = TRANSFER.field("country"), TRANSFER.field("safeguard")
    _block(
        layout,
        TRANSFER_ROWS,
        activity["transfers"],
        "Organisme destinataire",
        lambda row: {
            1: row.get("recipient"),
            2: render_value(country, row.get("country")),
            3: render_value(safeguard, row.get("safeguard")),
            5: row.get("documentation"),
        },
    )
    _extra(layout, activity, names)
    return layout


def _extra(layout: Layout, activity: dict[str, Any], names: dict[str, str]) -> None:
    """« Informations complémentaires (Registre) »: the fields the template has no row for."""
    layout.add(15)
    layout.add(16, {0: EXTRA_SECTION})
    rows = [
        (spec.label_fr, render_value(spec, activity[spec.key], names))
        for spec in ACTIVITY.fields
        if spec.key not in TEMPLATE_FIELDS
    ]
    for joint in activity["joint_controllers"]:
        if joint.get("responsibilities"):
            label = f"{RESPONSIBILITIES_LABEL} — {joint.get('name') or ''}".rstrip(" —")
            rows.append((label, joint["responsibilities"]))
    for index, (label, value) in enumerate(rows):
        layout.add(18 + index % 2, {0: label, 1: value})
    for collection in ACTIVITY.collections:
        if collection.key in TEMPLATE_COLLECTIONS:
            continue
        if not activity[collection.key] and activity["role"] not in collection.roles:
            continue  # the controllers served of an activity kept as controller
        entity = collection.entity
        layout.add(15)
        header: dict[int, Any] = {0: collection.label("fr")}
        header.update({i: spec.label_fr for i, spec in enumerate(entity.fields, start=1)})
        header.update({i: None for i in range(len(entity.fields) + 1, 8)})
        layout.add(9, header)
        for index, row in enumerate(activity[collection.key] or [{}], start=1):
            values: dict[int, Any] = {0: f"{entity.label_fr} {index}"}
            values.update(
                {i: render_value(s, row.get(s.key)) for i, s in enumerate(entity.fields, start=1)}
            )
            layout.add(10 + (index + 1) % 2, values)


def records_layout(
    name: str, entity: Entity, records: Sequence[dict[str, Any]], names: dict[str, str]
) -> Layout:
    """Processors or software, one per row, every field in its own column."""
    layout = Layout(name, LIST, print_columns=len(entity.fields), flat=True)
    layout.add(8, {i: spec.label_fr for i, spec in enumerate(entity.fields)})
    for index, record in enumerate(records):
        layout.add(
            LIST_FIRST_ROW + index % 2,
            {
                i: render_value(spec, record.get(spec.key), names)
                for i, spec in enumerate(entity.fields)
            },
        )
    return layout


def lists_layout() -> tuple[Layout, dict[str, int]]:
    """The hidden « Listes » sheet of the drop-down lists, from Registre's vocabularies."""
    layout = Layout(LISTS_SHEET, LISTS, hidden=True, flat=True)
    columns = {ord(letter) - 65: name for letter, (name, _title) in LIST_COLUMNS.items()}
    terms = {index: vocabulary(name).terms for index, name in columns.items()}
    layout.add(1, {index: LIST_COLUMNS[chr(65 + index)][1] for index in columns})
    layout.add(3, {index: PROMPT for index in columns})
    height = max(len(items) for items in terms.values())
    for position in range(height):
        layout.add(
            3,
            {
                index: items[position].label_fr if position < len(items) else None
                for index, items in terms.items()
            },
        )
    lists = {letter: 2 + len(terms[ord(letter) - 65]) for letter in LIST_COLUMNS}
    return layout, lists


def workbook_layouts(organisation: dict[str, Any]) -> tuple[Iterator[Layout], dict[str, int]]:
    """Every sheet of the export, one at a time (20,000 fiches are never all in memory)."""
    names = {item["id"]: item["name"] for item in organisation["processors"]}
    names.update({item["id"]: item["name"] for item in organisation["software"]})
    activities = organisation["activities"]
    lists, bounds = lists_layout()

    def sheets() -> Iterator[Layout]:
        yield Layout(TUTORIAL, TUTORIAL, verbatim=True)
        yield list_layout(organisation, activities)
        taken = {LIST_SHEET.casefold(), PROCESSORS_SHEET.casefold(), SOFTWARE_SHEET.casefold()}
        taken |= {LISTS_SHEET.casefold(), TUTORIAL.casefold()}
        for index, activity in enumerate(activities, start=1):
            label = f"{activity['reference'] or index} {activity['name']}"
            yield fiche_layout(safe_sheet_name(label, taken), organisation, activity, names)
        yield records_layout(PROCESSORS_SHEET, PROCESSOR, organisation["processors"], names)
        yield records_layout(SOFTWARE_SHEET, SOFTWARE, organisation["software"], names)
        yield lists

    return sheets(), bounds


def write_workbook(organisation: dict[str, Any], fmt: str, stream: IO[bytes]) -> None:
    """The CNIL workbook of ``organisation`` in ``fmt`` ("ods" or "xlsx"), into ``stream``."""
    layouts, lists = workbook_layouts(organisation)
    if fmt == "xlsx":
        cnil_workbook.write_xlsx(layouts, stream, lists)
    else:
        cnil_workbook.write_ods(layouts, stream, lists)


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
        __import__("io").BytesIO(cnil_workbook._template_bytes(cnil_workbook.XLSX_TEMPLATE))
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


def _list_header(sheet: SheetData) -> int | None:
    for index, row in enumerate(sheet.rows):
        texts = {normalise(value) for value in row if isinstance(value, str)}
        if normalise(NAME_LABEL) in texts and (
            normalise(REFERENCE_LABEL) in texts or "ref" in texts or "reference" in texts
        ):
            return index
    return None


def _records_entity(sheet: SheetData) -> Entity | None:
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
    return any(is_fiche(sheet) or _list_header(sheet) is not None for sheet in sheets)


# --------------------------------------------------------------------------------------------
# Import: reading
# --------------------------------------------------------------------------------------------


@dataclass
class _Fiche:
    """What one fiche (or list row) says about an activity, before merging."""

    activity: IncomingActivity
    listed: bool = False


@dataclass
class _Sheet:
    """One sheet being read: its cleaned rows and the tally of its cells."""

    name: str
    rows: list[list[Any]]
    tally: Tally
    used: set[tuple[int, int]] = field(default_factory=set)
    filled: list[tuple[int, int]] = field(default_factory=list)

    def where(self, row: int, column: int | None = None) -> str:
        return (
            f"{self.name}!{row + 1}" if column is None else f"{self.name}!{cell_name(column, row)}"
        )

    def mark(self, row: int, column: int, disposition: str) -> None:
        self.tally.mark((row, column), disposition)
        self.used.add((row, column))


class TemplateReader:
    """Reads a CNIL-layout workbook into activities, organisation details and notes."""

    def __init__(self, path: Path, kind: str) -> None:
        self.path = path
        self.payload = TablePayload(format=f"cnil-{kind}")
        self.payload.ledger = Ledger(path.name)
        self.repairs: Repairs = self.payload.repairs
        self.unread: list[PlanEntry] = []

    def _sheet(self, sheet: SheetData) -> _Sheet:
        rows = [[clean(value, self.repairs) for value in row] for row in sheet.rows]
        return _Sheet(sheet.name, rows, self.payload.ledger.tally())

    def _close(
        self, sheet: _Sheet, structural: Callable[[int, int, Any], bool], *, count: bool = True
    ) -> list[str]:
        """Note lines for every filled cell nobody used; then count the sheet's cells."""
        lines: list[str] = []
        sheet.filled = []
        for row_index, row in enumerate(sheet.rows):
            for column, value in enumerate(row):
                if value is None or _is_hint(value):
                    continue
                if (row_index, column) not in sheet.used:
                    if structural(row_index, column, value):
                        continue
                    title = f"{sheet.name}, {cell_name(column, row_index)}"
                    label = row[0] if column and isinstance(row[0], str) else None
                    if label:
                        title = f"{label} ({cell_name(column, row_index)})"
                    lines.append(note_line(title, as_text(value) or ""))
                    sheet.mark(row_index, column, NOTED_CELL)
                sheet.filled.append((row_index, column))
        if count:
            self._count(sheet)
        return lines

    @staticmethod
    def _count(sheet: _Sheet) -> None:
        sheet.tally.close(sheet.filled, lambda cell: sheet.where(*cell))

    def _value(
        self, sheet: _Sheet, row: int, column: int, spec: Field, target: dict[str, Any], key: str
    ) -> None:
        """Read one cell into ``target[key]``; what cannot be read goes to the notes later."""
        raw = sheet.rows[row][column]
        if raw is None:
            return
        if isinstance(raw, str) and placeholder_kind(raw) is not None:
            if not placeholder_rest(raw):
                sheet.mark(row, column, PLACEHOLDER)
            return  # with text after it, the cell is kept in the notes
        try:
            value = read_value(spec, raw)
        except NotUnderstood:
            return
        if value not in (None, []):
            target[key] = value
            sheet.mark(row, column, FIELD)

    # -- the list sheet ----------------------------------------------------------------------

    def read_list(self, data: SheetData, header: int) -> list[_Fiche]:
        sheet = self._sheet(data)
        rows = sheet.rows
        self._read_contacts(sheet, header)
        titles: dict[int, str] = {}
        for column, value in enumerate(rows[header]):
            text = value if isinstance(value, str) else None
            if text is None and header > 0 and column < len(rows[header - 1]):
                above = rows[header - 1][column]
                text = above if isinstance(above, str) else None
            if text:
                titles[column] = normalise(text)
        columns: dict[int, str] = {}
        sensitive: int | None = None
        for column, title in titles.items():
            key = SINGLE_LABELS.get(title)
            if title in (normalise("Finalité du traitement"), normalise("Finalités")):
                key = "main_purpose"
            if title.startswith("oui non") or title.startswith("donnees sensibles"):
                sensitive = column
            if key in TEMPLATE_FIELDS:
                columns[column] = key
        found = []
        examples: set[int] = set()
        for index in range(header + 1, len(rows)):
            row = rows[index]
            cells = {key: row[column] for column, key in columns.items() if column < len(row)}
            if not any(value is not None for value in cells.values()):
                continue
            name = as_text(cells.get("name")) or ""
            if normalise(name).startswith("exemple") or "exemple" in normalise(
                as_text(cells.get("reference")) or ""
            ):
                examples.add(index)
                self.payload.entries.append(
                    PlanEntry(
                        IGNORE,
                        "activity",
                        name,
                        sheet.where(index),
                        "exemple du modèle CNIL",
                        "CNIL template example",
                    )
                )
                continue
            activity = IncomingActivity({}, sheet.where(index))
            for column, key in columns.items():
                if column < len(row):
                    self._value(sheet, index, column, ACTIVITY.field(key), activity.values, key)
                    activity.carried.add(key)
            if sensitive is not None and sensitive < len(row) and row[sensitive] is not None:
                activity.notes.append(
                    note_line("Données sensibles ?", as_text(row[sensitive]) or "")
                )
                activity.review = "sensitive"
                sheet.mark(index, sensitive, FIELD)
            for column, value in enumerate(row):
                if value is not None and (index, column) not in sheet.used and not _is_hint(value):
                    title = (titles.get(column) and str(rows[header][column] or "")) or cell_name(
                        column, header
                    )
                    activity.notes.append(
                        note_line(f"{LIST_SHEET} — {title}", as_text(value) or "")
                    )
                    sheet.mark(index, column, NOTED_CELL)
            found.append(_Fiche(activity, listed=True))
        texts = template_texts()
        lines = self._close(
            sheet,
            lambda r, c, v: (
                (r <= header and normalise(str(v)) in texts) or r == header or r in examples
            ),
        )
        self.payload.notes_without_activity += lines
        return found

    def _read_contacts(self, sheet: _Sheet, header: int) -> None:
        """The three contact blocks above the list: organisation, representative, DPO."""
        blocks: dict[str, dict[str, tuple[Any, tuple[int, int]]]] = {
            "controller": {},
            "representative": {},
            "dpo": {},
        }
        block: str | None = None
        for row_index, row in enumerate(sheet.rows[:header]):
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
                    blocks[block][key] = (value, (row_index, column + 1))
        self._contacts(sheet, blocks)

    def _contacts(
        self, sheet: _Sheet, blocks: dict[str, dict[str, tuple[Any, tuple[int, int]]]]
    ) -> None:
        def take(block: str, *keys: str) -> tuple[str | None, list[tuple[int, int]]]:
            values, cells = [], []
            for key in keys:
                found = blocks[block].get(key) or next(
                    (item for name, item in blocks[block].items() if name.startswith(key)), None
                )
                if found is None:
                    continue
                value, cell = found
                text = as_text(value) or ""
                if placeholder_kind(text) is not None and not placeholder_rest(text):
                    sheet.mark(*cell, PLACEHOLDER)
                    continue
                values.append(text)
                cells.append(cell)
            return join_nonempty(values, " "), cells

        def joined(
            *parts: tuple[str | None, list[tuple[int, int]]],
        ) -> tuple[str | None, list[tuple[int, int]]]:
            return join_nonempty([text for text, _cells in parts]), [
                cell for _text, cells in parts for cell in cells
            ]

        organisation = self.payload.organisation_values

        def give(key: str, found: tuple[str | None, list[tuple[int, int]]]) -> None:
            value, cells = found
            if not value:
                return
            try:
                stored = read_value(ORGANISATION.field(key), value)
            except NotUnderstood:
                return  # left unmarked: kept in the notes
            if key in organisation:
                return
            organisation[key] = stored
            self.payload.organisation_cells[key] = len(cells)
            for cell in cells:
                sheet.mark(*cell, FIELD)

        give("legal_representative_name", take("controller", "prenom", "nom"))
        give(
            "address",
            joined(take("controller", "adresse"), take("controller", "code postal", "ville")),
        )
        give("email", take("controller", "adresse mel"))
        give("phone", take("controller", "telephone"))
        give("dpo_name", take("dpo", "prenom", "nom"))
        give("dpo_organisation", take("dpo", "societe"))
        give("dpo_address", joined(take("dpo", "adresse"), take("dpo", "code postal", "ville")))
        give("dpo_email", take("dpo", "adresse mel"))
        give("dpo_phone", take("dpo", "telephone"))
        give(
            "eu_representative",
            joined(
                take("representative", "prenom", "nom"),
                take("representative", "adresse"),
                take("representative", "code postal", "ville"),
                take("representative", "telephone"),
                take("representative", "adresse mel"),
            ),
        )

    # -- a fiche -------------------------------------------------------------------------------

    def read_fiche(self, data: SheetData) -> _Fiche | None:
        sheet = self._sheet(data)
        activity = IncomingActivity({}, data.name)
        activity.carried |= TEMPLATE_FIELDS | TEMPLATE_COLLECTIONS
        collections: dict[str, list[dict[str, Any]]] = {c.key: [] for c in ACTIVITY.collections}
        responsibilities: dict[str, str] = {}
        section: str | None = None
        columns: dict[str, int] = {}
        headers: set[int] = set()
        no_transfer = False
        for index, row in enumerate(sheet.rows):
            if not row:
                continue
            label = row[0] if isinstance(row[0], str) else None
            key = normalise(label) if label else ""
            if key in SECTION_HEADERS:
                section = SECTION_HEADERS[key]
                columns = self._columns(section, row)
                headers.add(index)
                continue
            if key.startswith(normalise(SUB_PURPOSE_LABEL)):
                self._purpose(sheet, index, collections)
                continue
            if key.startswith(normalise(RESPONSIBILITIES_LABEL)):
                column = self._single_column(row)
                if column is not None:
                    name = label.split("—", 1)[1].strip() if label and "—" in label else ""
                    responsibilities[normalise(name)] = as_text(row[column]) or ""
                    sheet.mark(index, column, FIELD)
                continue
            if key in SINGLE_LABELS and section not in (
                "data",
                "subjects",
                "recipients",
                "measures",
                "transfers",
                "actors",
            ):
                spec = ACTIVITY.field(SINGLE_LABELS[key])
                column = self._single_column(row)
                if column is not None and spec.key not in activity.values:
                    self._value(sheet, index, column, spec, activity.values, spec.key)
                    activity.carried.add(spec.key)
                elif column is None and section == "extra":
                    activity.carried.add(spec.key)
                continue
            if index == 0 and len(row) > 7 and row[7] is not None:
                reference = as_text(row[7])
                if normalise(reference or "") == normalise(
                    as_text(_find(sheet.rows, REFERENCE_LABEL)) or ""
                ):
                    sheet.mark(index, 7, FIELD)
                continue
            if not label or section is None:
                continue
            where = sheet.where(index)
            if section == "actors":
                self._actor(sheet, index, label, columns, activity, collections)
            elif section == "data":
                self._data_category(sheet, index, label, columns, collections)
            elif section == "subjects":
                spec = DATA_SUBJECT.field("category")
                self._keyed(sheet, index, columns, DESCRIPTION, collections["data_subjects"], spec)
            elif section == "recipients":
                self._recipient(sheet, index, columns, collections)
            elif section == "measures":
                spec = SECURITY_MEASURE.field("measure_type")
                rows = collections["security_measures"]
                self._keyed(sheet, index, columns, MEASURE_TYPE, rows, spec)
            elif section == "transfers":
                no_transfer |= self._transfer(sheet, index, columns, collections)
            elif section in collections:
                self._extra_row(sheet, index, section, columns, collections, where)
        for joint in collections["joint_controllers"]:
            text = responsibilities.pop(normalise(joint.get("name") or ""), None)
            if text:
                joint["responsibilities"] = text
        for name, text in responsibilities.items():
            activity.notes.append(note_line(f"{RESPONSIBILITIES_LABEL} — {name}", text))
        if no_transfer and not collections["transfers"]:
            activity.values.setdefault("has_transfers", False)
            activity.carried.add("has_transfers")
        texts = template_texts()

        def structural(row: int, column: int, value: Any) -> bool:
            if row in headers or normalise(str(value)) in texts or (row < 2 and column == 0):
                return True
            if column == 0:
                return (
                    any(sheet.rows[row][c] is not None for c in range(1, len(sheet.rows[row])))
                    or section_of(sheet.rows, row) is not None
                )
            return False

        for collection in ACTIVITY.collections:
            rows = [row for row in collections[collection.key] if row]
            if rows:
                activity.values[collection.key] = rows
        reference = normalise(str(activity.values.get("reference") or ""))
        if set(activity.values) <= {"reference"} and reference in ("", "ref 001"):
            leftovers = self._close(sheet, structural, count=False)
            if not leftovers:  # the blank model fiche: its « ref-001 » is not data
                sheet.tally.marks.clear()
                self.payload.entries.append(
                    PlanEntry(IGNORE, "sheet", data.name, "", "fiche vide", "empty fiche")
                )
                return None
            activity.notes += leftovers
            self._count(sheet)
            return _Fiche(activity)
        activity.notes += self._close(sheet, structural)
        return _Fiche(activity)

    @staticmethod
    def _single_column(row: list[Any]) -> int | None:
        for column, value in enumerate(row[1:9], start=1):
            if value is not None and not _is_hint(value):
                return column
        return None

    def _purpose(
        self, sheet: _Sheet, index: int, collections: dict[str, list[dict[str, Any]]]
    ) -> None:
        column = self._single_column(sheet.rows[index])
        if column is None:
            return
        row: dict[str, Any] = {}
        self._value(
            sheet,
            index,
            column,
            ACTIVITY.collection("purposes").entity.field("description"),
            row,
            "description",
        )
        if row:
            collections["purposes"].append(row)

    @staticmethod
    def _columns(section: str, row: list[Any]) -> dict[str, int]:
        columns: dict[str, int] = {}
        for index, value in enumerate(row[1:], start=1):
            if isinstance(value, str) and not _is_hint(value):
                columns.setdefault(normalise(value), index)
        for title, index in DEFAULT_COLUMNS.get(section, {}).items():
            columns.setdefault(title, index)
        return columns

    @staticmethod
    def _cell(sheet: _Sheet, index: int, columns: dict[str, int], title: str) -> tuple[int, Any]:
        column = columns.get(normalise(title))
        row = sheet.rows[index]
        if column is None or column >= len(row) or _is_hint(row[column]):
            return -1, None
        return column, row[column]

    def _text(
        self, sheet: _Sheet, index: int, columns: dict[str, int], title: str
    ) -> tuple[int, str | None]:
        """A cell's text, placeholders counted and left out."""
        column, value = self._cell(sheet, index, columns, title)
        if value is None:
            return column, None
        text = as_text(value)
        if text is not None and placeholder_kind(text) is not None:
            if not placeholder_rest(text):
                sheet.mark(index, column, PLACEHOLDER)
            return column, None
        return column, text

    def _actor(
        self,
        sheet: _Sheet,
        index: int,
        label: str,
        columns: dict[str, int],
        activity: IncomingActivity,
        collections: dict[str, list[dict[str, Any]]],
    ) -> None:
        key = normalise(label)
        kind = ACTOR_KINDS.get(key) or next(
            (candidate for prefix, candidate in ACTOR_KINDS.items() if key.startswith(prefix)), None
        )
        if kind is None:
            return
        parts = {title: self._text(sheet, index, columns, title) for title in ACTOR_COLUMNS}
        country_column, country = parts["Pays"]
        if country is not None and normalise(country) == "france":
            sheet.mark(index, country_column, FIELD)
            parts["Pays"] = (country_column, None)

        def used(*titles: str) -> tuple[str | None, list[int]]:
            texts, cells = [], []
            for title in titles:
                column, text = parts[title]
                if text is not None:
                    texts.append(text)
                    cells.append(column)
            return join_nonempty(texts, " "), cells

        name = used("Nom")
        street, town, land = used("Adresse"), used("Code Postal", "Ville"), used("Pays")
        address = (join_nonempty([street[0], town[0], land[0]]), street[1] + town[1] + land[1])
        phone, email = used("Téléphone"), used("Adresse mél")
        offers: dict[str, tuple[str | None, list[int]]] = {}
        if kind == "controller":
            offers = {
                "legal_representative_name": name,
                "address": address,
                "phone": phone,
                "email": email,
            }
        elif kind == "dpo":
            offers = {
                "dpo_name": name,
                "dpo_address": address,
                "dpo_phone": phone,
                "dpo_email": email,
            }
        elif kind == "dpo_organisation":
            together = join_nonempty([name[0], address[0]])
            offers = {"dpo_organisation": (together, name[1] + address[1])}
        elif kind == "representative":
            cells = name[1] + address[1] + phone[1] + email[1]
            offers = {
                "eu_representative": (
                    join_nonempty([name[0], address[0], phone[0], email[0]]),
                    cells,
                )
            }
        elif kind == "joint":
            contact = join_nonempty([address[0], phone[0], email[0]])
            if name[0] or contact:
                for column in name[1] + address[1] + phone[1] + email[1]:
                    sheet.mark(index, column, FIELD)
                collections["joint_controllers"].append({"name": name[0], "contact": contact})
            return
        title = label.strip()
        for key, (value, cells) in offers.items():
            if value is None:
                continue
            spec = ORGANISATION.field(key)
            try:
                stored = read_value(spec, value)
            except NotUnderstood:
                continue  # left unmarked: the cells go to the notes
            for column in cells:
                sheet.mark(index, column, FIELD)
            activity.organisation.setdefault(
                key, (stored, f"{title} — {spec.label_fr}", len(cells))
            )

    def _data_category(
        self,
        sheet: _Sheet,
        index: int,
        label: str,
        columns: dict[str, int],
        collections: dict[str, list[dict[str, Any]]],
    ) -> None:
        details_column, details = self._text(sheet, index, columns, DESCRIPTION)
        retention_column, retention = self._cell(sheet, index, columns, RETENTION)
        if isinstance(retention, str) and placeholder_kind(retention) is not None:
            if not placeholder_rest(retention):
                sheet.mark(index, retention_column, PLACEHOLDER)
            retention = None
        if details is None and retention is None:
            return
        row: dict[str, Any] = {"details": details}
        if details is not None:
            sheet.mark(index, details_column, FIELD)
        category = resolver(DATA_CATEGORY.field("category")).resolve(label)
        if category:
            row["category"] = category
        elif not normalise(label).startswith("autre"):
            row["details"] = join_nonempty([label, details], " : ")
            self.unread.append(
                PlanEntry(
                    NOT_UNDERSTOOD,
                    "cell",
                    label,
                    sheet.where(index),
                    "catégorie de données non reconnue, gardée dans les précisions",
                    "unrecognised data category, kept in the details",
                )
            )
        if retention is not None:
            sheet.mark(index, retention_column, FIELD)
        if isinstance(retention, str):
            found, leftovers = parse_retention(retention)
            row.update(found)
            if leftovers:
                row["retention_start"] = join_nonempty(
                    [found.get("retention_start"), *leftovers], " "
                )
        elif isinstance(retention, int | float) and not isinstance(retention, bool):
            row["retention_value"] = int(retention)
        elif retention is not None:
            row["retention_start"] = as_text(retention)
        collections["data_categories"].append(self._checked(DATA_CATEGORY, row, sheet, index))

    def _checked(
        self, entity: Entity, row: dict[str, Any], sheet: _Sheet, index: int
    ) -> dict[str, Any]:
        """``row`` with every value valid for its field; what is not goes to the notes."""
        checked: dict[str, Any] = {}
        for key, value in row.items():
            if value in (None, ""):
                continue
            spec = entity.field(key)
            try:
                checked[key] = read_value(spec, value) if spec.kind != Kind.CHOICE else value
            except NotUnderstood:
                self.unread.append(
                    PlanEntry(
                        NOT_UNDERSTOOD,
                        "cell",
                        spec.label_fr,
                        sheet.where(index),
                        f"« {value} »",
                        f"“{value}”",
                    )
                )
        return checked

    def _keyed(
        self,
        sheet: _Sheet,
        index: int,
        columns: dict[str, int],
        title: str,
        rows: list[dict[str, Any]],
        spec: Field,
    ) -> None:
        """A row keyed by a vocabulary term; an unknown term is kept as « other » + details."""
        column, text = self._text(sheet, index, columns, title)
        details_column, details = self._text(sheet, index, columns, DETAILS)
        if text is None and details is None:
            return
        key = resolver(spec).resolve(text) if text else None
        if text and key is None:
            key, details = "other", join_nonempty([text, details], " — ")
        if text is not None:
            sheet.mark(index, column, FIELD)
        if (
            details_column >= 0
            and sheet.rows[index][details_column] is not None
            and details is not None
        ):
            sheet.mark(index, details_column, FIELD)
        rows.append({spec.key: key, "details": details})

    def _recipient(
        self,
        sheet: _Sheet,
        index: int,
        columns: dict[str, int],
        collections: dict[str, list[dict[str, Any]]],
    ) -> None:
        column, kind = self._text(sheet, index, columns, RECIPIENT_TYPE)
        details_column, precisions = self._text(sheet, index, columns, DETAILS)
        if kind is None and precisions is None:
            return
        name, details = None, None
        if precisions is not None:
            sheet.mark(index, details_column, FIELD)
            lines = precisions.split("\n")
            if lines[0].startswith(DETAILS_PREFIX):
                details = "\n".join([lines[0][len(DETAILS_PREFIX) :].strip(), *lines[1:]])
            else:
                name = lines[0].strip() or None
                rest = "\n".join(lines[1:])
                if rest.startswith(DETAILS_PREFIX):
                    rest = rest[len(DETAILS_PREFIX) :].strip()
                details = rest.strip() or None
        key = resolver(RECIPIENT.field("recipient_type")).resolve(kind) if kind else None
        if kind is not None:
            sheet.mark(index, column, FIELD)
            if key is None:
                key, details = "other", join_nonempty([kind, details], " — ")
        collections["recipients"].append({"recipient_type": key, "name": name, "details": details})

    def _transfer(
        self,
        sheet: _Sheet,
        index: int,
        columns: dict[str, int],
        collections: dict[str, list[dict[str, Any]]],
    ) -> bool:
        """One transfer row; True when it only says there is none (« Sans objet »)."""
        cells = {}
        none = False
        for title in (
            TRANSFER_COLUMNS[0],
            TRANSFER_COLUMNS[1],
            TRANSFER_COLUMNS[2],
            TRANSFER_COLUMNS[4],
        ):
            column, value = self._cell(sheet, index, columns, title)
            text = as_text(value)
            if text is not None and placeholder_kind(text) is not None:
                none |= placeholder_kind(text) == NO_ITEM
                if not placeholder_rest(text):
                    sheet.mark(
                        index, column, FIELD if placeholder_kind(text) == NO_ITEM else PLACEHOLDER
                    )
                text = None
            cells[title] = (column, text)
        recipient = cells[TRANSFER_COLUMNS[0]][1]
        documentation = cells[TRANSFER_COLUMNS[4]][1]
        if not any(text for _column, text in cells.values()):
            return none
        row: dict[str, Any] = {"recipient": recipient}
        extra: list[str] = []
        for key, title in (("country", TRANSFER_COLUMNS[1]), ("safeguard", TRANSFER_COLUMNS[2])):
            column, text = cells[title]
            if not text:
                continue
            spec = TRANSFER.field(key)
            found = resolver(spec).resolve(text)
            if found:
                row[key] = found
            else:
                extra.append(f"{spec.label_fr} : {text}")
                self.unread.append(
                    PlanEntry(
                        NOT_UNDERSTOOD,
                        "cell",
                        spec.label_fr,
                        sheet.where(index),
                        f"« {text} » non reconnu, gardé dans la documentation",
                        f"“{text}” not recognised, kept in the documentation",
                    )
                )
            sheet.mark(index, column, FIELD)
        for title in (TRANSFER_COLUMNS[0], TRANSFER_COLUMNS[4]):
            column, text = cells[title]
            if text:
                sheet.mark(index, column, FIELD)
        row["documentation"] = join_nonempty([documentation, *extra])
        collections["transfers"].append(row)
        return False

    def _extra_row(
        self,
        sheet: _Sheet,
        index: int,
        key: str,
        columns: dict[str, int],
        collections: dict[str, list[dict[str, Any]]],
        where: str,
    ) -> None:
        entity = ACTIVITY.collection(key).entity
        row: dict[str, Any] = {}
        for spec in entity.fields:
            column, _value = self._cell(sheet, index, columns, spec.label_fr)
            if column >= 0:
                self._value(sheet, index, column, spec, row, spec.key)
        if row:
            collections[key].append(row)

    # -- processors and software -----------------------------------------------------------------

    def read_records(self, data: SheetData, entity: Entity) -> None:
        """Our processors or software sheet: one record per row, columns titled by field."""
        sheet = self._sheet(data)
        titles = [normalise(value) if isinstance(value, str) else "" for value in sheet.rows[0]]
        fields = {
            column: spec
            for column, title in enumerate(titles)
            for spec in entity.fields
            if normalise(spec.label_fr) == title
        }
        target = self.payload.processors if entity is PROCESSOR else self.payload.software
        for index in range(1, len(sheet.rows)):
            values: dict[str, Any] = {}
            for column, spec in fields.items():
                if column < len(sheet.rows[index]):
                    if spec.kind == Kind.REFERENCE:
                        text = as_text(sheet.rows[index][column])
                        if text:
                            values[spec.key] = text
                            sheet.mark(index, column, FIELD)
                    else:
                        self._value(sheet, index, column, spec, values, spec.key)
            if values.get("name"):
                target.append(
                    IncomingRecord(
                        values, sheet.where(index), {spec.key for spec in fields.values()}
                    )
                )
        lines = self._close(sheet, lambda row, column, value: row == 0)
        self.payload.notes_without_activity += lines

    # -- the whole workbook -------------------------------------------------------------------

    def read(self, sheets: Sequence[SheetData]) -> TablePayload:
        fiches: list[_Fiche] = []
        listed: list[_Fiche] = []
        for sheet in sheets:
            if is_example(sheet):
                self.payload.entries.append(
                    PlanEntry(
                        IGNORE,
                        "sheet",
                        sheet.name,
                        "",
                        "exemple du modèle CNIL, non importé",
                        "CNIL template example, not imported",
                    )
                )
            elif is_tutorial(sheet) or is_lists(sheet):
                continue
            elif is_fiche(sheet):
                fiche = self.read_fiche(sheet)
                if fiche is not None:
                    fiches.append(fiche)
            elif (header := _list_header(sheet)) is not None:
                listed.extend(self.read_list(sheet, header))
            elif (entity := _records_entity(sheet)) is not None:
                self.read_records(sheet, entity)
            elif any(any(value not in (None, "") for value in row) for row in sheet.rows):
                self.payload.entries.append(
                    PlanEntry(
                        IGNORE,
                        "sheet",
                        sheet.name,
                        "",
                        "feuille sans fiche ni liste de traitements, non reprise",
                        "sheet with neither a fiche nor a list of activities, not imported",
                    )
                )
                count = sum(1 for row in sheet.rows for value in row if value not in (None, ""))
                self.payload.ledger.lost += count
                self.payload.ledger.lost_places.append(sheet.name)
        for fiche in _merge(fiches, listed):
            activity = fiche.activity
            if activity.review == "sensitive":
                activity.review = ""
                if _sensitive_consistent(activity):
                    activity.notes = [
                        line
                        for line in activity.notes
                        if not line.startswith("Données sensibles ?")
                    ]
            name_if_missing(activity, activity.where)
            self.payload.activities.append(activity)
        notes = self.payload.notes_without_activity
        if notes and self.payload.activities:
            first = self.payload.activities[0]
            first.notes += [f"Hors traitement — {line}" for line in notes]
            self.payload.notes_without_activity = []
        elif notes:  # nowhere to keep them: say so
            self.payload.ledger.counts[NOTED_CELL] -= len(notes)
            self.payload.ledger.lost += len(notes)
            self.payload.ledger.lost_places.append(LIST_SHEET)
        self.payload.entries += self.unread
        return self.payload


def section_of(rows: list[list[Any]], index: int) -> str | None:
    """The section a row of a fiche belongs to."""
    for row in reversed(rows[: index + 1]):
        if row and isinstance(row[0], str) and normalise(row[0]) in SECTION_HEADERS:
            return SECTION_HEADERS[normalise(row[0])]
    return None


def _find(rows: list[list[Any]], label: str) -> Any:
    for row in rows:
        if row and isinstance(row[0], str) and normalise(row[0]) == normalise(label):
            return next((value for value in row[1:9] if value is not None), None)
    return None


def _sensitive_consistent(activity: IncomingActivity) -> bool:
    """The list's « Données sensibles ? » agrees with the fiche's data categories."""
    said = next((line for line in activity.notes if line.startswith("Données sensibles ?")), "")
    answer = normalise(said.split(":", 1)[-1])
    sensitive = _sensitive({"data_categories": activity.values.get("data_categories", [])})
    return answer in ("oui", "non") and (answer == "oui") == sensitive


def _identity(values: dict[str, Any]) -> tuple[str, str]:
    return normalise(str(values.get("reference") or "")), normalise(str(values.get("name") or ""))


def _merge(fiches: list[_Fiche], listed: list[_Fiche]) -> list[_Fiche]:
    """Fiches completed by their row of the list; list rows without a fiche on their own."""
    by_reference: dict[str, _Fiche] = {}
    by_name: dict[str, _Fiche] = {}
    for item in listed:
        reference, name = _identity(item.activity.values)
        if reference:
            by_reference.setdefault(reference, item)
        elif name:
            by_name.setdefault(name, item)
    used: set[int] = set()
    merged = []
    for fiche in fiches:
        reference, name = _identity(fiche.activity.values)
        row = by_reference.get(reference) if reference else by_name.get(name)
        if row is not None and id(row) not in used:
            used.add(id(row))
            values = fiche.activity.values
            for key, value in row.activity.values.items():
                if key not in values:
                    values[key] = value
                elif value != values[key]:
                    title = ACTIVITY.field(key).label_fr
                    fiche.activity.notes.append(
                        note_line(f"{LIST_SHEET} — {title}", as_text(value) or "")
                    )
            fiche.activity.notes += row.activity.notes
            if row.activity.review:
                fiche.activity.review = row.activity.review
        merged.append(fiche)
    merged.extend(item for item in listed if id(item) not in used)
    return merged


def read_template(sheets: Sequence[SheetData], path: Path, kind: str) -> TablePayload:
    """Activities and organisation details of a CNIL-layout workbook."""
    return TemplateReader(path, kind).read(sheets)
