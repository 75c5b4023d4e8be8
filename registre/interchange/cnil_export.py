"""The CNIL template filled from a register: its list sheet, one copy of its model fiche per
activity (with « Informations complémentaires (Registre) » for the fields the template lacks),
the processors and software on their own sheets, streamed by ``cnil_ods`` or ``cnil_xlsx``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import IO, Any

from registre.interchange import cnil_ods, cnil_xlsx
from registre.interchange.cnil_sheets import (
    DETAILS_PREFIX,
    EXTRA_SECTION,
    FICHE_TITLE,
    LIST_COLUMNS,
    LIST_FIRST_ROW,
    LIST_LAST_ROW,
    LIST_ROWS,
    LIST_SHEET,
    LISTS_SHEET,
    MEASURE_ROWS,
    ORDINARY_ROWS,
    OTHER_DATA_LABEL,
    PROCESSORS_SHEET,
    PROMPT,
    RECIPIENT_ROWS,
    RESPONSIBILITIES_LABEL,
    SENSITIVE_ROWS,
    SOFTWARE_SHEET,
    SUB_PURPOSE_LABEL,
    SUB_PURPOSE_ROWS,
    SUBJECT_ROWS,
    TEMPLATE_COLLECTIONS,
    TEMPLATE_FIELDS,
    TRANSFER_ROWS,
    has_sensitive_data,
)
from registre.interchange.cnil_workbook import FICHE, LIST, LISTS, TUTORIAL, Layout
from registre.interchange.spreadsheets import safe_sheet_name
from registre.interchange.text import (
    join_nonempty,
    render_retention,
    render_value,
)
from registre.schema import (
    ACTIVITY,
    DATA_SUBJECT,
    PROCESSOR,
    RECIPIENT,
    SECURITY_MEASURE,
    SOFTWARE,
    TRANSFER,
    Entity,
)
from registre.vocabularies import vocabulary

# --------------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------------


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
                7: "Oui" if has_sensitive_data(activity) else "Non",
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
        cnil_xlsx.write_xlsx(layouts, stream, lists)
    else:
        cnil_ods.write_ods(layouts, stream, lists)
