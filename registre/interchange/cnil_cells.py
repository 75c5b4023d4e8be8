"""Reading a CNIL-layout workbook, cell by cell: what every sheet reader shares.

A sheet is read into ``SheetCells`` (cleaned rows, the cells used and their tally); a cell
becomes a field value (``CellReader._value``), and when a sheet is done every filled cell nobody
used becomes a note line (``CellReader._close``), so no filled cell is lost. The list sheet is
read in ``cnil_list``, a fiche in ``cnil_fiche``, the whole workbook in ``cnil_template``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from registre.interchange.cnil_sheets import is_hint
from registre.interchange.ledger import FIELD, PLACEHOLDER, Ledger, Tally, note_line
from registre.interchange.ledger import NOTE as NOTED_CELL
from registre.interchange.plan import IncomingActivity, PlanEntry, TablePayload
from registre.interchange.spreadsheets import SheetData, cell_name
from registre.interchange.tables import read_value
from registre.interchange.text import (
    NotUnderstood,
    Repairs,
    as_text,
    clean,
    placeholder_kind,
    placeholder_rest,
)
from registre.schema import Field


@dataclass
class ReadActivity:
    """What one fiche (or list row) says about an activity, before merging."""

    activity: IncomingActivity
    listed: bool = False


@dataclass
class SheetCells:
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


class CellReader:
    """What every sheet reader of a CNIL-layout workbook shares: the payload it fills, the
    repairs and unread cells it reports, and the reading and closing of a sheet's cells."""

    def __init__(self, path: Path, kind: str) -> None:
        self.path = path
        self.payload = TablePayload(format=f"cnil-{kind}")
        self.payload.ledger = Ledger(path.name)
        self.repairs: Repairs = self.payload.repairs
        self.unread: list[PlanEntry] = []

    def _sheet(self, sheet: SheetData) -> SheetCells:
        rows = [[clean(value, self.repairs) for value in row] for row in sheet.rows]
        return SheetCells(sheet.name, rows, self.payload.ledger.tally())

    def _close(
        self, sheet: SheetCells, structural: Callable[[int, int, Any], bool], *, count: bool = True
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
    def _count(sheet: SheetCells) -> None:
        sheet.tally.close(sheet.filled, lambda cell: sheet.where(*cell))

    def _value(
        self,
        sheet: SheetCells,
        row: int,
        column: int,
        spec: Field,
        target: dict[str, Any],
        key: str,
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

