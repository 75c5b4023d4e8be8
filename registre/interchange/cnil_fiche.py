"""A fiche sheet of a CNIL-layout workbook (« Fiche de registre »): one activity.

The fiche is read section by section (actors, purposes, ordinary and sensitive data with their
retention, data subjects, recipients, security measures, transfers, then « Informations
complémentaires (Registre) »); rows are recognised by their labels, columns by their titles.
"""

from __future__ import annotations

from typing import Any

from registre.interchange.cnil_cells import CellReader, ReadActivity, SheetCells
from registre.interchange.cnil_sheets import (
    ACTOR_COLUMNS,
    ACTOR_KINDS,
    DEFAULT_COLUMNS,
    DESCRIPTION,
    DETAILS,
    DETAILS_PREFIX,
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
    is_hint,
    template_texts,
)
from registre.interchange.ledger import FIELD, PLACEHOLDER, note_line
from registre.interchange.plan import IGNORE, NOT_UNDERSTOOD, IncomingActivity, PlanEntry
from registre.interchange.spreadsheets import SheetData
from registre.interchange.tables import read_value
from registre.interchange.text import (
    NO_ITEM,
    NotUnderstood,
    as_text,
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
    RECIPIENT,
    SECURITY_MEASURE,
    TRANSFER,
    Entity,
    Field,
    Kind,
)


class FicheReader(CellReader):
    """Reads one fiche sheet into an activity, the organisation details it gives and notes."""

    def read_fiche(self, data: SheetData) -> ReadActivity | None:
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
            return ReadActivity(activity)
        activity.notes += self._close(sheet, structural)
        return ReadActivity(activity)

    @staticmethod
    def _single_column(row: list[Any]) -> int | None:
        for column, value in enumerate(row[1:9], start=1):
            if value is not None and not is_hint(value):
                return column
        return None

    def _purpose(
        self, sheet: SheetCells, index: int, collections: dict[str, list[dict[str, Any]]]
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
    def _cell(
        sheet: SheetCells, index: int, columns: dict[str, int], title: str
    ) -> tuple[int, Any]:
        column = columns.get(normalise(title))
        row = sheet.rows[index]
        if column is None or column >= len(row) or is_hint(row[column]):
            return -1, None
        return column, row[column]

    def _text(
        self, sheet: SheetCells, index: int, columns: dict[str, int], title: str
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
        sheet: SheetCells,
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
        sheet: SheetCells,
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
        self, entity: Entity, row: dict[str, Any], sheet: SheetCells, index: int
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
        sheet: SheetCells,
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
        sheet: SheetCells,
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
        sheet: SheetCells,
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
        sheet: SheetCells,
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
