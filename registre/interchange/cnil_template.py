"""The CNIL's simplified register template (« modèle de registre simplifié »): read and write.

The template is a workbook with a list sheet (« Liste des traitements »: the organisation's
contacts, then one row per activity) and one fiche sheet per activity (« Fiche de registre »:
rows for the actors, purposes, the ordinary and sensitive data categories with their retention
periods, data subjects, recipients, security measures and transfers).

**Export** (``cnil_export``) fills the CNIL's own file (``cnil_workbook``): its list sheet, one
copy of its model fiche per activity, then « Informations complémentaires (Registre) » at the
bottom of each fiche for the fields the template lacks, and the processors and software on
their own sheets.

**Import** reads that export back without a difference, and templates filled by hand in
LibreOffice or Excel: sheets are recognised by their content whatever they are called, rows by
their labels (renamed rows such as « Orientation sexuelle » or « Données bancaires » are matched
to their data categories), the « Acteurs » block fills the organisation. Every filled cell ends
in a field or in the activity's notes (« Informations reprises de l'ancien registre »). The
template's wording and the recognition of its sheets are in ``cnil_sheets``; the reading of
cells in ``cnil_cells``, of the list sheet in ``cnil_list``, of a fiche in ``cnil_fiche``; the
processors' and software sheets and the merging of fiches with their list rows are here.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from registre.interchange.cnil_cells import ReadActivity
from registre.interchange.cnil_fiche import FicheReader
from registre.interchange.cnil_list import ListReader
from registre.interchange.cnil_sheets import (
    LIST_SHEET,
    has_sensitive_data,
    is_example,
    is_fiche,
    is_lists,
    is_tutorial,
    list_header,
    records_entity,
)
from registre.interchange.ledger import FIELD, note_line
from registre.interchange.ledger import NOTE as NOTED_CELL
from registre.interchange.plan import (
    IGNORE,
    IncomingActivity,
    IncomingRecord,
    PlanEntry,
    TablePayload,
)
from registre.interchange.spreadsheets import SheetData
from registre.interchange.tables import name_if_missing
from registre.interchange.text import as_text, normalise
from registre.schema import ACTIVITY, PROCESSOR, Entity, Kind


class TemplateReader(ListReader, FicheReader):
    """Reads a CNIL-layout workbook into activities, organisation details and notes."""

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
        fiches: list[ReadActivity] = []
        listed: list[ReadActivity] = []
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
            elif (header := list_header(sheet)) is not None:
                listed.extend(self.read_list(sheet, header))
            elif (entity := records_entity(sheet)) is not None:
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


def _sensitive_consistent(activity: IncomingActivity) -> bool:
    """The list's « Données sensibles ? » agrees with the fiche's data categories."""
    said = next((line for line in activity.notes if line.startswith("Données sensibles ?")), "")
    answer = normalise(said.split(":", 1)[-1])
    sensitive = has_sensitive_data({"data_categories": activity.values.get("data_categories", [])})
    return answer in ("oui", "non") and (answer == "oui") == sensitive


def _identity(values: dict[str, Any]) -> tuple[str, str]:
    return normalise(str(values.get("reference") or "")), normalise(str(values.get("name") or ""))


def _merge(fiches: list[ReadActivity], listed: list[ReadActivity]) -> list[ReadActivity]:
    """Fiches completed by their row of the list; list rows without a fiche on their own."""
    by_reference: dict[str, ReadActivity] = {}
    by_name: dict[str, ReadActivity] = {}
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
