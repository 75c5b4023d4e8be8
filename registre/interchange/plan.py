"""What an import would do (``ImportPlan``) and what it did (``ImportReport``).

Readers of spreadsheets and CSV files turn cells into ``IncomingActivity`` values checked against
the field schema; whatever they cannot use is kept as a ``PlanEntry`` (ignored or not
understood) so the user sees it before anything is written.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from registre import services
from registre.interchange.columns import Column
from registre.interchange.ledger import Ledger
from registre.interchange.text import Repairs
from registre.schema import ENTITIES

CREATE = "create"
UPDATE = "update"
IGNORE = "ignore"
NOTED = "noted"
NOT_UNDERSTOOD = "not_understood"

FORMAT_LABELS = {
    "json": ("export JSON de Registre", "Registre JSON export"),
    "cnil-ods": ("modèle CNIL (ODS)", "CNIL template (ODS)"),
    "cnil-xlsx": ("modèle CNIL (XLSX)", "CNIL template (XLSX)"),
    "cnil-xls": ("modèle CNIL (XLS)", "CNIL template (XLS)"),
    "table-ods": ("tableau ODS", "ODS table"),
    "table-xlsx": ("tableau XLSX", "XLSX table"),
    "table-xls": ("tableau XLS", "XLS table"),
    "csv": ("CSV", "CSV"),
}


@dataclass(frozen=True)
class PlanEntry:
    """One line of the plan: a record to create or update, or something left aside."""

    action: str  # CREATE, UPDATE, IGNORE, NOTED or NOT_UNDERSTOOD
    entity: str  # an entity name of the schema, or "sheet" / "row" / "cell"
    label: str
    where: str = ""
    reason_fr: str = ""
    reason_en: str = ""

    def text(self, lang: str = "fr") -> str:
        """The entry as one line for a person."""
        en = lang == "en"
        entity = ENTITIES.get(self.entity)
        kind = entity.label(lang) if entity else _PLACES.get(self.entity, ("", ""))[en]
        quoted = f"“{self.label}”" if en else f"« {self.label} »"
        line = f"{kind} {quoted}".strip()
        if self.where:
            line += f" ({self.where})"
        reason = self.reason_en if en else self.reason_fr
        if reason:
            line += (": " if en else " : ") + reason
        return line


_PLACES = {
    "sheet": ("Feuille", "Sheet"),
    "row": ("Ligne", "Row"),
    "cell": ("Cellule", "Cell"),
    "column": ("Colonne", "Column"),
    "file": ("Fichier", "File"),
}


@dataclass
class IncomingActivity:
    """An activity read from a spreadsheet or CSV row, its values checked against the schema.

    ``values`` holds schema keys; collections are lists of row dicts and the REFERENCES fields
    (processors, software) hold names, matched to records when the plan is made. ``notes`` are
    the « Titre : valeur » lines of what found no field; ``carried`` the fields and collections
    the file gives for this activity (an existing activity is updated on those only);
    ``organisation`` the organisation details the row gives (key → value, note title, number
    of cells it was read from).
    """

    values: dict[str, Any]
    where: str
    notes: list[str] = field(default_factory=list)
    carried: set[str] = field(default_factory=set)
    review: str = ""
    organisation: dict[str, tuple[Any, str, int]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """The activity's name (and reference)."""
        name = str(self.values.get("name") or "")
        reference = self.values.get("reference")
        return f"{reference} — {name}" if reference else name


@dataclass
class TablePayload:
    """Activities and organisation details read from a spreadsheet or a CSV file."""

    format: str
    activities: list[IncomingActivity] = field(default_factory=list)
    organisation_values: dict[str, Any] = field(default_factory=dict)
    entries: list[PlanEntry] = field(default_factory=list)
    columns: dict[str, str | None] = field(default_factory=dict)
    repairs: Repairs = field(default_factory=Repairs)
    details: dict[str, str] = field(default_factory=dict)
    column_list: list[Column] = field(default_factory=list)
    ledger: Ledger = field(default_factory=lambda: Ledger(""))
    processors: list[IncomingRecord] = field(default_factory=list)
    software: list[IncomingRecord] = field(default_factory=list)
    notes_without_activity: list[str] = field(default_factory=list)
    organisation_cells: dict[str, int] = field(default_factory=dict)


@dataclass
class IncomingRecord:
    """A processor or software item read from its own sheet (matched by name)."""

    values: dict[str, Any]
    where: str
    carried: set[str] = field(default_factory=set)


def count_by(entries: list[PlanEntry]) -> dict[str, int]:
    """Number of entries per entity name."""
    return dict(Counter(entry.entity for entry in entries))


def _plural(entity: str, count: int, lang: str) -> str:
    spec = ENTITIES.get(entity)
    if spec is None:
        label = _PLACES.get(entity, (entity, entity))[lang == "en"].lower()
        return f"{count} {label}{'s' if count > 1 else ''}"
    if count > 1:
        return f"{count} {(spec.plural_en if lang == 'en' else spec.plural_fr).lower()}"
    return f"{count} {spec.label(lang).lower()}"


@dataclass
class ImportPlan:
    """What importing a file would create, update, ignore and fail to understand."""

    path: Path
    format: str
    organisation_id: str | None
    organisation_name: str | None
    entries: list[PlanEntry]
    payload: Any = field(repr=False)
    resolution: Any = field(repr=False)
    state: tuple[int, str] = field(repr=False, default=(0, ""))
    columns: dict[str, str | None] = field(default_factory=dict)
    repairs: Repairs = field(default_factory=Repairs)
    column_list: list[Column] = field(default_factory=list)
    ledger: Ledger | None = None

    def _select(self, action: str) -> list[PlanEntry]:
        return [entry for entry in self.entries if entry.action == action]

    @property
    def created(self) -> list[PlanEntry]:
        """Records the import would create."""
        return self._select(CREATE)

    @property
    def updated(self) -> list[PlanEntry]:
        """Records the import would change."""
        return self._select(UPDATE)

    @property
    def ignored(self) -> list[PlanEntry]:
        """Records and sheets left aside (duplicates, examples, identical records…)."""
        return self._select(IGNORE)

    @property
    def not_understood(self) -> list[PlanEntry]:
        """Cells, rows and columns that could not be read (their values are kept as notes)."""
        return self._select(NOT_UNDERSTOOD)

    @property
    def noted(self) -> list[PlanEntry]:
        """Columns without a matching field, whose values are kept as notes."""
        return self._select(NOTED)

    @property
    def has_changes(self) -> bool:
        """True when applying the plan would write something."""
        return bool(self.created or self.updated)

    def counts(self) -> dict[str, dict[str, int]]:
        """Entries per action and entity, e.g. {"create": {"activity": 12}}."""
        return {
            action: count_by(self._select(action))
            for action in (CREATE, UPDATE, IGNORE, NOTED, NOT_UNDERSTOOD)
        }

    def summary(self, lang: str = "fr", *, limit: int = 50) -> str:
        """The plan as text for a person, in French or English."""
        en = lang == "en"
        kind = FORMAT_LABELS.get(self.format, (self.format, self.format))[en]
        target = f" → {self.organisation_name}" if self.organisation_name else ""
        lines = [
            f"Import of “{self.path.name}” ({kind}){target}"
            if en
            else f"Import de « {self.path.name} » ({kind}){target}"
        ]
        if self.ledger is not None:
            lines.append(self.ledger.text(lang))
        headings = (
            (CREATE, "To create", "À créer"),
            (UPDATE, "To update", "À mettre à jour"),
            (IGNORE, "Ignored", "Ignoré"),
            (NOTED, "Kept as notes", "Gardé en note"),
            (NOT_UNDERSTOOD, "Not understood (kept as notes)", "Non compris (gardé en note)"),
        )
        for action, heading_en, heading_fr in headings:
            selected = self._select(action)
            counts = count_by(selected)
            total = ", ".join(_plural(entity, n, lang) for entity, n in counts.items())
            if en:
                lines.append(f"{heading_en}: {total or 'nothing'}")
            else:
                lines.append(f"{heading_fr} : {total or 'rien'}")
            if action in (CREATE, UPDATE) and len(selected) > limit:
                continue
            for entry in selected[:limit]:
                lines.append(f"  - {entry.text(lang)}")
            if len(selected) > limit:
                more = len(selected) - limit
                lines.append(f"  … and {more} more" if en else f"  … et {more} de plus")
        if self.repairs.mojibake:
            lines.append(
                f"Repaired: {self.repairs.mojibake} cells with doubly encoded accents"
                if en
                else f"Réparé : {self.repairs.mojibake} cellules aux accents doublement encodés"
            )
        if not self.has_changes:
            lines.append("Nothing would be written." if en else "Rien ne serait écrit.")
        return "\n".join(lines)


@dataclass
class ImportReport:
    """What an applied import wrote, in one transaction."""

    path: Path
    format: str
    changes: list[services.Change]
    ignored: int
    not_understood: int
    ledger: Ledger | None = None

    def counts(self) -> dict[str, dict[str, int]]:
        """Changes per action ("created", "updated") and entity."""
        result: dict[str, Counter[str]] = {"created": Counter(), "updated": Counter()}
        for change in self.changes:
            result.setdefault(change.action, Counter())[change.entity] += 1
        return {action: dict(counter) for action, counter in result.items()}

    def summary(self, lang: str = "fr") -> str:
        """The report as text for a person."""
        en = lang == "en"
        counts = self.counts()
        created = ", ".join(_plural(e, n, lang) for e, n in counts["created"].items())
        updated = ", ".join(_plural(e, n, lang) for e, n in counts["updated"].items())
        nothing = "nothing" if en else "rien"
        cells = f" {self.ledger.text(lang)}." if self.ledger is not None else ""
        if en:
            return (
                f"Imported “{self.path.name}”. Created: {created or nothing}. Updated: "
                f"{updated or nothing}. Ignored: {self.ignored}. Not understood: "
                f"{self.not_understood}.{cells}"
            )
        return (
            f"Import de « {self.path.name} » terminé. Créé : {created or nothing}. Mis à "
            f"jour : {updated or nothing}. Ignoré : {self.ignored}. Non compris : "
            f"{self.not_understood}.{cells}"
        )
