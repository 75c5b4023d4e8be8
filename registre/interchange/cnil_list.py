"""The list sheet of a CNIL-layout workbook (« Liste des traitements »).

Above the list, the organisation's contact blocks (controller, representative, DPO) fill the
organisation; below its header row, one activity per row, the CNIL's own example rows left out.
"""

from __future__ import annotations

from typing import Any

from registre.interchange.cnil_cells import CellReader, ReadActivity, SheetCells
from registre.interchange.cnil_sheets import (
    LIST_SHEET,
    SINGLE_LABELS,
    TEMPLATE_FIELDS,
    is_hint,
    template_texts,
)
from registre.interchange.ledger import FIELD, PLACEHOLDER, note_line
from registre.interchange.ledger import NOTE as NOTED_CELL
from registre.interchange.plan import IGNORE, IncomingActivity, PlanEntry
from registre.interchange.spreadsheets import SheetData, cell_name
from registre.interchange.tables import read_value
from registre.interchange.text import (
    NotUnderstood,
    as_text,
    join_nonempty,
    normalise,
    placeholder_kind,
    placeholder_rest,
)
from registre.schema import ACTIVITY, ORGANISATION


class ListReader(CellReader):
    """Reads the list sheet: its contact blocks and one activity per row."""

    def read_list(self, data: SheetData, header: int) -> list[ReadActivity]:
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
            found.append(ReadActivity(activity, listed=True))
        texts = template_texts()
        lines = self._close(
            sheet,
            lambda r, c, v: (
                (r <= header and normalise(str(v)) in texts) or r == header or r in examples
            ),
        )
        self.payload.notes_without_activity += lines
        return found

    def _read_contacts(self, sheet: SheetCells, header: int) -> None:
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
        self, sheet: SheetCells, blocks: dict[str, dict[str, tuple[Any, tuple[int, int]]]]
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

