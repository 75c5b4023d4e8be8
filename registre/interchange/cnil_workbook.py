"""The CNIL's own workbook, filled: ODS and XLSX written from the shipped template files.

``resources/cnil`` holds the CNIL's blank « registre-traitement-simplifie » (ODS, as published)
and an XLSX made from it (see its README for provenance and licence). An export is a list of
``Layout`` sheets, each a sequence of ``Row`` copies of template rows with values put in some
cells: a row copied keeps its height, its cells' styles (colours, borders, fonts, number
formats), merged cells, comments and drop-down lists; an activity with more items than the
template has rows gets more copies of the same rows. Everything else comes from the template
unchanged: styles, column widths, page set-up (with a print area per sheet, fitted to the page
width).

Both formats are written directly as XML, one row at a time, from rows parsed once from the
template: a register of 20,000 activities (20,000 fiche sheets) is streamed into the ZIP file
without building the workbook in memory. This module holds the shape both share; ``cnil_ods``
and ``cnil_xlsx`` write each format.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

ODS_TEMPLATE = "registre-traitement-simplifie.ods"
XLSX_TEMPLATE = "registre-traitement-simplifie.xlsx"

# Sheets of the template, by their names in the CNIL file.
TUTORIAL = "Tutoriel"
LIST = "2_-_Liste_des_traitements"
FICHE = "3_-_Modèle_de_fiche_de_registre"
LISTS = "5_-_Listes"
WIDTH = 26  # columns A…Z: the template styles no cell beyond
MAX_TEMPLATE_ROWS = 200  # rows of a template sheet worth copying (the rest only repeat styles)
# Characters XML 1.0 cannot hold: dropped from cell text.
_ILLEGAL = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF])


@dataclass
class Row:
    """One output row: a copy of template row ``source`` (1-based) of the layout's sheet.

    ``values`` maps a 0-based column to what the cell shows: text, a date, a number, or None to
    clear the template's text there. Columns not named keep the template's cell as it is.
    """

    source: int
    values: dict[int, Any] = field(default_factory=dict)
    validations: bool = True  # keep the cells' drop-down lists


@dataclass
class Layout:
    """One output sheet."""

    name: str
    template: str  # the template sheet whose rows, columns and page style it copies
    rows: list[Row] = field(default_factory=list)
    print_columns: int = 0  # print area A1:<column><last row>; 0 for none
    hidden: bool = False
    flat: bool = False  # a plain table: no merged cells, extra columns styled as the first
    verbatim: bool = False  # the template sheet copied as it is (the tutorial)

    def add(self, source: int, values: dict[int, Any] | None = None, **options: Any) -> int:
        """Append a copy of template row ``source``; returns its 1-based number."""
        self.rows.append(Row(source, values or {}, **options))
        return len(self.rows)


def template_bytes(name: str) -> bytes:
    return (resources.files("registre_resources") / "cnil" / name).read_bytes()


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def attrs(text: str) -> list[tuple[str, str]]:
    return re.findall(r'([\w:.-]+)="([^"]*)"', text)


def attrs_text(attributes: Iterable[tuple[str, str]]) -> str:
    return "".join(f' {name}="{value}"' for name, value in attributes)


_NEEDS_ESCAPING = re.compile("[&<>\"'\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape_xml(text: str) -> str:
    if _NEEDS_ESCAPING.search(text) is None:
        return text
    return html.escape(text.translate(_ILLEGAL), quote=True)


def sheet_ref(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


# --------------------------------------------------------------------------------------------
# Template cells and rows (shared shape for both formats)
# --------------------------------------------------------------------------------------------


@dataclass
class TCell:
    """A template cell: its style, merge, drop-down list and verbatim XML."""

    column: int
    covered: bool
    span: int
    style: str
    validation: str | None  # letter of the « Listes » column its drop-down offers
    xml: str  # the cell as written in the template (position-free)
    empty_xml: str  # the cell with its style, merge and list but no content
    comment: Any = None  # format-specific comment of the cell


@dataclass
class TRow:
    """A template row: its attributes (height, style) and cells A…Z."""

    attrs: str
    cells: list[TCell]


# The column of a drop-down list in its validation formula (« $Listes.$B$2:… »).
LIST_COLUMN = re.compile(r"\$([A-Z]+)\$\d+:")
