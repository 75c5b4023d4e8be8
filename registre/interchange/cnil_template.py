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
template's wording and the recognition of its sheets are in ``cnil_sheets``; the reading is here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from registre.interchange.cnil_sheets import (
    ACTOR_COLUMNS,
    ACTOR_KINDS,
    DEFAULT_COLUMNS,
    DESCRIPTION,
    DETAILS,
    DETAILS_PREFIX,
    LIST_SHEET,
    MEASURE_TYPE,
    RECIPIENT_TYPE,
    REFERENCE_LABEL,
    RESPONSIBILITIES_LABEL,
    RETENTION,
    SECTION_HEADERS,
    SINGLE_LABELS,
    SUB_PURPOSE_LABEL,
    TEMPLATE_COLLECTIONS,
    TEMPLATE_FIELDS,
    TRANSFER_COLUMNS,
    has_sensitive_data,
    is_example,
    is_fiche,
    is_hint,
    is_lists,
    is_tutorial,
    list_header,
    records_entity,
    template_texts,
)
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
from registre.interchange.spreadsheets import SheetData, cell_name
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
    TRANSFER,
    Entity,
    Field,
    Kind,
)

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
                if value is None or is_hint(value):
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
                if value is not None and (index, column) not in sheet.used and not is_hint(value):
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
            if value is not None and not is_hint(value):
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
            if isinstance(value, str) and not is_hint(value):
                columns.setdefault(normalise(value), index)
        for title, index in DEFAULT_COLUMNS.get(section, {}).items():
            columns.setdefault(title, index)
        return columns

    @staticmethod
    def _cell(sheet: _Sheet, index: int, columns: dict[str, int], title: str) -> tuple[int, Any]:
        column = columns.get(normalise(title))
        row = sheet.rows[index]
        if column is None or column >= len(row) or is_hint(row[column]):
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
    sensitive = has_sensitive_data({"data_categories": activity.values.get("data_categories", [])})
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
