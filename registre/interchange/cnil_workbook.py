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
without building the workbook in memory.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import IO, Any

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


def _template_bytes(name: str) -> bytes:
    return (resources.files("registre_resources") / "cnil" / name).read_bytes()


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _attrs(text: str) -> list[tuple[str, str]]:
    return re.findall(r'([\w:.-]+)="([^"]*)"', text)


def _attrs_text(attributes: Iterable[tuple[str, str]]) -> str:
    return "".join(f' {name}="{value}"' for name, value in attributes)


_NEEDS_ESCAPING = re.compile("[&<>\"'\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _escape(text: str) -> str:
    if _NEEDS_ESCAPING.search(text) is None:
        return text
    return html.escape(text.translate(_ILLEGAL), quote=True)


def _sheet_ref(name: str) -> str:
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


# --------------------------------------------------------------------------------------------
# ODS
# --------------------------------------------------------------------------------------------

_ODS_ROW = re.compile(r"<table:table-row\b([^>]*?)(?:/>|>(.*?)</table:table-row>)", re.S)
_ODS_CELL = re.compile(
    r"<table:(table-cell|covered-table-cell)\b([^>]*?)(?:/>|>(.*?)</table:\1>)", re.S
)
_ODS_TABLE = re.compile(r"<table:table\b([^>]*)>(.*?)</table:table>", re.S)
_ODS_VALUE_ATTRS = ("office:", "calcext:", "table:formula")
_LIST_COLUMN = re.compile(r"\$([A-Z]+)\$\d+:")


class OdsTemplate:
    """The ODS template parsed once: styles, tables, validations."""

    def __init__(self, data: bytes) -> None:
        archive = zipfile.ZipFile(io.BytesIO(data))
        self.members = {name: archive.read(name) for name in archive.namelist()}
        content = self.members["content.xml"].decode("utf-8")
        start = content.index("<office:automatic-styles>")
        end = content.index("</office:automatic-styles>")
        self.head = content[:start]
        self.styles = content[start + len("<office:automatic-styles>") : end]
        body = content[content.index("<office:spreadsheet>") + len("<office:spreadsheet>") :]
        self.calculation = re.search(
            r"<table:calculation-settings.*?</table:calculation-settings>", body, re.S
        )
        self.validations: dict[str, tuple[str, str]] = {}  # name → (attributes, inner)
        for found in re.finditer(
            r"<table:content-validation\b([^>]*?)(?:/>|>(.*?)</table:content-validation>)",
            body,
            re.S,
        ):
            attributes = dict(_attrs(found.group(1)))
            self.validations[attributes["table:name"]] = (found.group(1), found.group(2) or "")
        self.tables: dict[str, tuple[dict[str, str], str, list[TRow], str]] = {}
        for found in _ODS_TABLE.finditer(body):
            attributes = dict(_attrs(found.group(1)))
            name = attributes["table:name"]
            self.tables[name] = (attributes, found.group(2), *self._rows(found.group(2)))
        self.date_styles: dict[str, str] = {}

    def _list_of(self, validation: str | None) -> str | None:
        if validation is None or validation not in self.validations:
            return None
        condition = dict(_attrs(self.validations[validation][0])).get("table:condition", "")
        found = _LIST_COLUMN.search(condition)
        return found.group(1) if found else None

    def _rows(self, table: str) -> tuple[list[TRow], str]:
        rows: list[TRow] = []
        filler = ""
        for found in _ODS_ROW.finditer(table):
            attributes = _attrs(found.group(1))
            repeat = int(dict(attributes).get("table:number-rows-repeated", "1"))
            kept = [(k, v) for k, v in attributes if k != "table:number-rows-repeated"]
            cells = self._cells(found.group(2) or "")
            if repeat > 50:
                filler = found.group(0)
                break
            rows.extend(TRow(_attrs_text(kept), list(cells)) for _ in range(repeat))
        return rows, filler

    def _cells(self, row: str) -> list[TCell]:
        cells: list[TCell] = []
        for found in _ODS_CELL.finditer(row):
            kind, attributes, inner = found.group(1), _attrs(found.group(2)), found.group(3)
            values = dict(attributes)
            repeat = int(values.get("table:number-columns-repeated", "1"))
            kept = [(k, v) for k, v in attributes if k != "table:number-columns-repeated"]
            bare = [(k, v) for k, v in kept if not k.startswith(_ODS_VALUE_ATTRS)]
            tag = f"table:{kind}"
            xml = (
                f"<{tag}{_attrs_text(kept)}>{inner}</{tag}>"
                if inner
                else f"<{tag}{_attrs_text(kept)}/>"
            )
            empty = f"<{tag}{_attrs_text(bare)}/>"
            for _ in range(repeat):
                if len(cells) >= WIDTH:
                    break
                cells.append(
                    TCell(
                        column=len(cells),
                        covered=kind == "covered-table-cell",
                        span=int(values.get("table:number-columns-spanned", "1")),
                        style=values.get("table:style-name", "Default"),
                        validation=self._list_of(values.get("table:content-validation-name")),
                        xml=xml,
                        empty_xml=empty,
                    )
                )
        while len(cells) < WIDTH:
            cells.append(
                TCell(
                    len(cells),
                    False,
                    1,
                    "Default",
                    None,
                    "<table:table-cell/>",
                    "<table:table-cell/>",
                )
            )
        return cells

    # -- writing ---------------------------------------------------------------------------------

    def variant(self, style: str, kind: str) -> str:
        """A copy of cell style ``style`` that shows dates as DD/MM/YYYY (``kind`` "date") or
        wraps its text (``kind`` "wrap")."""
        name = f"{style}-{kind}"
        if name not in self.date_styles:
            found = re.search(
                rf'<style:style style:name="{re.escape(style)}"([^>]*)>(.*?)</style:style>',
                self.styles,
                re.S,
            )
            attributes = found.group(1) if found else ' style:family="table-cell"'
            inner = found.group(2) if found else ""
            if kind == "date":
                attributes = re.sub(r'\s*style:data-style-name="[^"]*"', "", attributes)
                attributes += ' style:data-style-name="N125"'
            elif 'fo:wrap-option="' in inner:
                inner = re.sub(r'fo:wrap-option="[^"]*"', 'fo:wrap-option="wrap"', inner)
                inner = inner.replace('style:shrink-to-fit="true"', 'style:shrink-to-fit="false"')
            else:
                inner = '<style:table-cell-properties fo:wrap-option="wrap"/>' + inner
            self.date_styles[name] = (
                f'<style:style style:name="{name}"{attributes}>{inner}</style:style>'
            )
        return name

    def row_style(self, height: float) -> str:
        """The row style (written beforehand) whose height holds ``height`` points."""
        lines = min(MAX_LINES, max(1, round((height - 4) / LINE_HEIGHT)))
        return f"ro-lines-{lines}"

    def added_styles(self) -> str:
        """The styles exports may use beyond the template's, written before any table (the
        tables are streamed): every cell style showing dates or wrapping text, and row
        heights for 1 to MAX_LINES lines of text."""
        for name in re.findall(
            r'<style:style style:name="([^"]+)" style:family="table-cell"', self.styles
        ):
            self.variant(name, "date")
            self.variant(name, "wrap")
        rows = [
            f'<style:style style:name="ro-lines-{lines}" style:family="table-row">'
            f'<style:table-row-properties style:row-height="{lines * LINE_HEIGHT + 4:g}pt" '
            'fo:break-before="auto" style:use-optimal-row-height="false"/></style:style>'
            for lines in range(1, MAX_LINES + 1)
        ]
        return "".join(self.date_styles.values()) + "".join(rows)

    def cell(self, tcell: TCell, value: Any, flat: bool, first_style: str) -> str:
        """A cell with ``value`` (None: emptied), keeping style, merge and drop-down list."""
        style = tcell.style if not (flat and tcell.style == "Default") else first_style
        attributes: list[tuple[str, str]] = [("table:style-name", style)]
        if tcell.span > 1 and not flat:
            attributes += [
                ("table:number-columns-spanned", str(tcell.span)),
                ("table:number-rows-spanned", "1"),
            ]
        if tcell.validation and not flat:
            attributes.append(("table:content-validation-name", f"liste-{tcell.validation}"))
        if value is None or value == "":
            return f"<table:table-cell{_attrs_text(attributes)}/>"
        if isinstance(value, dt.date):
            day = value.date() if isinstance(value, dt.datetime) else value
            attributes[0] = ("table:style-name", self.variant(style, "date"))
            attributes += [
                ("office:value-type", "date"),
                ("office:date-value", day.isoformat()),
                ("calcext:value-type", "date"),
            ]
            return (
                f"<table:table-cell{_attrs_text(attributes)}>"
                f"<text:p>{day.strftime('%d/%m/%Y')}</text:p></table:table-cell>"
            )
        if isinstance(value, int | float) and not isinstance(value, bool):
            attributes += [
                ("office:value-type", "float"),
                ("office:value", str(value)),
                ("calcext:value-type", "float"),
            ]
            text = f"<text:p>{value}</text:p>"
            return f"<table:table-cell{_attrs_text(attributes)}>{text}</table:table-cell>"
        attributes[0] = ("table:style-name", self.variant(style, "wrap"))
        attributes += [("office:value-type", "string"), ("calcext:value-type", "string")]
        paragraphs = "".join(
            f"<text:p>{_odf_text(line)}</text:p>" for line in str(value).split("\n")
        )
        return f"<table:table-cell{_attrs_text(attributes)}>{paragraphs}</table:table-cell>"

    def row(self, layout: Layout, trow: TRow, row: Row, width: int) -> str:
        """One output row."""
        first = trow.cells[0].style
        attributes = trow.attrs
        height = needed_height(layout, row)
        if height is not None:
            attributes = re.sub(
                r'table:style-name="[^"]*"',
                f'table:style-name="{self.row_style(height)}"',
                attributes,
            )
        parts = [f"<table:table-row{attributes}>"]
        for tcell in trow.cells[:width]:
            column = tcell.column
            if layout.flat:  # a plain table: every cell styled as the row's first
                plain = TCell(column, False, 1, first, None, "", "")
                parts.append(self.cell(plain, row.values.get(column), True, first))
            elif tcell.covered:
                parts.append(tcell.xml)
            elif column in row.values:
                parts.append(self.cell(tcell, row.values[column], False, first))
            elif tcell.validation is None or not row.validations:
                parts.append(re.sub(r' table:content-validation-name="[^"]*"', "", tcell.xml))
            else:
                parts.append(
                    re.sub(
                        r'table:content-validation-name="[^"]*"',
                        f'table:content-validation-name="liste-{tcell.validation}"',
                        tcell.xml,
                    )
                )
        parts.append("</table:table-row>")
        return "".join(parts)

    def table(self, layout: Layout) -> str:
        """One output table (sheet)."""
        attributes, raw, rows, filler = self.tables[layout.template]
        if layout.verbatim:
            return f"<table:table{_attrs_text(list(attributes.items()))}>{raw}</table:table>"
        columns = raw[: raw.index("<table:table-row")]
        head = [
            ("table:name", _escape(layout.name)),
            ("table:style-name", attributes["table:style-name"]),
        ]
        if layout.print_columns and layout.rows:
            reference = "$" + _escape(_sheet_ref(layout.name))
            last = column_letter(layout.print_columns - 1)
            head.append(("table:print-ranges", f"{reference}.$A$1:.${last}${len(layout.rows)}"))
        parts = [f"<table:table{_attrs_text(head)}>", columns]
        width = layout_width(layout)
        for row in layout.rows:
            parts.append(self.row(layout, rows[row.source - 1], row, width))
        parts.append(filler)
        parts.append("</table:table>")
        return "".join(parts)


def _odf_text(line: str) -> str:
    """One line of text for a <text:p>: runs of spaces and tabs kept as ODF writes them."""
    text = _escape(line).replace("\t", "<text:tab/>")

    def spaces(found: re.Match[str]) -> str:
        run = len(found.group(0))
        if found.start() == 0:
            return f'<text:s text:c="{run}"/>'
        return " " + (f'<text:s text:c="{run - 1}"/>' if run > 1 else "")

    return re.sub(r"^ +| {2,}", spaces, text)


def layout_width(layout: Layout) -> int:
    """Columns written for each row: A…K (the template's and its guidance links), or as many
    as a plain table has."""
    if layout.flat:
        return max((max(row.values, default=0) + 1 for row in layout.rows), default=1)
    return 11


LINE_HEIGHT = 12.8  # points per line of the template's 9-10 pt text
MAX_LINES = 400  # the tallest row written (a cell of 400 lines of text)
CHARACTERS_PER_WIDTH = 0.85  # characters of that text per unit of column width (bold labels)


@cache
def _geometry(template: str) -> tuple[list[list[int]], list[int], list[float]]:
    """Characters per line of each cell (merges counted), of each column alone, and the
    height of each template row."""
    sheet = xlsx_template().sheets[template]
    widths = [8.43] * WIDTH
    for found in re.finditer(r"<col\b([^>]*)/>", sheet.prefix):
        attributes = dict(_attrs(found.group(1)))
        for column in range(int(attributes["min"]) - 1, min(int(attributes["max"]), WIDTH)):
            widths[column] = float(attributes.get("width", "8.43"))

    def characters(first: int, span: int) -> int:
        return max(1, int(sum(widths[first : first + span]) * CHARACTERS_PER_WIDTH))

    merged = [[characters(cell.column, cell.span) for cell in row.cells] for row in sheet.rows]
    single = [characters(column, 1) for column in range(WIDTH)]
    heights = [float(dict(_attrs(row.attrs)).get("ht", "15")) for row in sheet.rows]
    return merged, single, heights


def needed_height(layout: Layout, row: Row) -> float | None:
    """The height a copied row needs for the text put in it (None: the template's suffices)."""
    if layout.verbatim:
        return None
    merged, single, heights = _geometry(layout.template)
    per_line = single if layout.flat else merged[row.source - 1]
    lines = 1
    for column, value in row.values.items():
        if not isinstance(value, str) or column >= WIDTH:
            continue
        width = per_line[column]
        if len(value) <= width and "\n" not in value:
            continue
        count = sum(max(1, -(-len(line) // width)) for line in value.split("\n"))
        lines = max(lines, count)
    if lines == 1:
        return None
    height = lines * LINE_HEIGHT + 4
    return round(height, 1) if height > heights[row.source - 1] else None


@cache
def ods_template() -> OdsTemplate:
    """The shipped ODS template, parsed."""
    return OdsTemplate(_template_bytes(ODS_TEMPLATE))


def write_ods(layouts: Iterable[Layout], stream: IO[bytes], lists: dict[str, int]) -> None:
    """Write the layouts as an ODS workbook; ``lists`` gives the last row of each list column."""
    template = ods_template()
    validations = []
    for column, last in lists.items():
        # The template's own definition of a list of that column, its messages included.
        source = next(
            (
                (attributes, inner)
                for name, (attributes, inner) in template.validations.items()
                if template._list_of(name) == column
            ),
            None,
        )
        attributes = dict(_attrs(source[0])) if source else {}
        attributes["table:name"] = f"liste-{column}"
        attributes["table:condition"] = (
            f"of:cell-content-is-in-list([$'Listes'.${column}$2:.${column}${last}])"
        )
        attributes["table:base-cell-address"] = "$'Listes'.$A$1"
        attributes.setdefault("table:allow-empty-cell", "true")
        attributes.setdefault("table:display-list", "unsorted")
        inner = source[1] if source else ""
        validations.append(
            f"<table:content-validation{_attrs_text(attributes.items())}>{inner}"
            "</table:content-validation>"
        )
    calculation = template.calculation.group(0) if template.calculation else ""
    head = (
        template.head
        + "<office:automatic-styles>"
        + template.styles
        + template.added_styles()
        + "</office:automatic-styles><office:body><office:spreadsheet>"
        + calculation
        + "<table:content-validations>"
        + "".join(validations)
        + "</table:content-validations>"
    )
    styles = template.members["styles.xml"].decode("utf-8")
    styles = _fit_to_width(styles)
    archive = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED)
    archive.writestr(
        zipfile.ZipInfo("mimetype"), template.members["mimetype"], compress_type=zipfile.ZIP_STORED
    )
    pictures = [name for name in template.members if name.startswith("Pictures/")]
    manifest = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">',
        ' <manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>',
    ]
    for name, media in (
        ("content.xml", "text/xml"),
        ("styles.xml", "text/xml"),
        ("meta.xml", "text/xml"),
        ("settings.xml", "text/xml"),
        *((picture, "image/png") for picture in pictures),
    ):
        manifest.append(
            f' <manifest:file-entry manifest:full-path="{name}" manifest:media-type="{media}"/>'
        )
    manifest.append("</manifest:manifest>")
    with archive.open("content.xml", "w") as part:  # one table at a time
        part.write(head.encode("utf-8"))
        for layout in layouts:
            part.write(template.table(layout).encode("utf-8"))
        part.write(b"</office:spreadsheet></office:body></office:document-content>")
    archive.writestr("styles.xml", styles.encode("utf-8"))
    archive.writestr("meta.xml", _ods_meta())
    archive.writestr("settings.xml", template.members["settings.xml"])
    for picture in pictures:
        archive.writestr(picture, template.members[picture])
    archive.writestr("META-INF/manifest.xml", "\n".join(manifest).encode("utf-8"))
    archive.close()


def _fit_to_width(styles: str) -> str:
    """Page styles of the fiches and the list fitted to one page width (no manual breaks)."""
    return re.sub(r'style:scale-to="\d+%"', 'style:scale-to-X="1"', styles)


def _ods_meta() -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" office:version="1.2">'
        "<office:meta><meta:generator>Registre (modèle de registre simplifié de la CNIL)"
        "</meta:generator></office:meta></office:document-meta>"
    ).encode()


# --------------------------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------------------------

_XLSX_ROW = re.compile(r"<row\b([^>]*?)(?:/>|>(.*?)</row>)", re.S)
_XLSX_CELL = re.compile(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", re.S)
_REF = re.compile(r"([A-Z]+)(\d+)")
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def _shape_template(shape: str) -> tuple[str, tuple[int, int]]:
    """A comment's VML shape as a format string (row, top and bottom anchor rows) and the
    template's anchor rows."""
    anchor = re.search(r"<x:Anchor>([^<]*)</x:Anchor>", shape)
    parts = [part.strip() for part in anchor.group(1).split(",")] if anchor else []
    rows = (int(parts[2]), int(parts[6])) if len(parts) == 8 else (0, 0)
    text = shape.replace("{", "{{").replace("}", "}}")
    text = re.sub(r"<x:Row>\d+</x:Row>", "<x:Row>{row}</x:Row>", text)
    if len(parts) == 8:
        parts[2], parts[6] = "{top}", "{bottom}"
        text = re.sub(
            r"<x:Anchor>[^<]*</x:Anchor>",
            lambda _m: "<x:Anchor>" + ", ".join(parts) + "</x:Anchor>",
            text,
        )
    shapetype = (
        '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
        'path="m,l,21600l21600,21600l21600,xe"><v:stroke joinstyle="miter"/>'
        '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
    )
    return shapetype.replace("{", "{{").replace("}", "}}") + text, rows


def _column_index(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number - 1


def _cells_of(reference: str) -> Iterator[tuple[int, int]]:
    """(row, column) of every cell of « B4 » or « B4:H4 » (rows 1-based, columns 0-based)."""
    first, _colon, last = reference.partition(":")
    top = _REF.fullmatch(first)
    bottom = _REF.fullmatch(last or first)
    if top is None or bottom is None:
        return
    for row in range(int(top.group(2)), int(bottom.group(2)) + 1):
        for column in range(_column_index(top.group(1)), _column_index(bottom.group(1)) + 1):
            yield row, column


@dataclass
class RowPlan:
    """A template row ready to copy: its cells written once, what to add per copy."""

    attrs: str
    bare_attrs: str  # without its height
    cells: list[str]
    text: str
    tcells: list[TCell]
    styles: list[str]
    covered: list[bool]
    merges: list[tuple[str, str]]  # first and last letters of each merge
    lists: list[tuple[str, str]]  # (cell letter, « Listes » column) of each drop-down
    comments: list[tuple[int, str, Any]]  # (column, comment, shape)


@dataclass
class XlsxSheet:
    """A template worksheet: rows, the parts around them, comments."""

    name: str
    path: str
    prefix: str  # <worksheet …> up to <sheetData>
    rows: list[TRow]
    suffix: str  # after </sheetData>, merges and lists removed
    rels: str  # its relationships file (verbatim sheets only)
    shapes_head: str = ""


class XlsxTemplate:
    """The XLSX template parsed once: shared strings, styles, sheets and their comments."""

    def __init__(self, data: bytes) -> None:
        archive = zipfile.ZipFile(io.BytesIO(data))
        self.members = {name: archive.read(name) for name in archive.namelist()}
        strings = self.members["xl/sharedStrings.xml"].decode("utf-8")
        self.strings = [m.group(1) for m in re.finditer(r"<si>(.*?)</si>", strings, re.S)]
        self.styles = self.members["xl/styles.xml"].decode("utf-8")
        workbook = self.members["xl/workbook.xml"].decode("utf-8")
        rels = self.members["xl/_rels/workbook.xml.rels"].decode("utf-8")
        targets = {
            m.group(1): m.group(2) for m in re.finditer(r'Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)
        }
        targets.update(
            {
                m.group(2): m.group(1)
                for m in re.finditer(r'Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)
            }
        )
        self.sheets: dict[str, XlsxSheet] = {}
        for found in re.finditer(r'<sheet name="([^"]+)"[^>]*?r:id="([^"]+)"', workbook):
            name = html.unescape(found.group(1))
            path = "xl/" + targets[found.group(2)]
            self.sheets[name] = self._sheet(name, path)
        self.date_styles: dict[str, str] = {}
        self.extra_xfs: list[str] = []
        self._plans: dict[tuple[str, int], list[RowPlan]] = {}
        xfs = re.search(r"<cellXfs count=\"(\d+)\">(.*?)</cellXfs>", self.styles, re.S)
        assert xfs is not None
        self.xfs = re.findall(r"<xf\b[^>]*?(?:/>|>.*?</xf>)", xfs.group(2), re.S)
        self.date_format = self._date_format()

    def _date_format(self) -> str:
        found = re.search(r'<numFmt numFmtId="(\d+)" formatCode="dd/mm/yyyy"/>', self.styles)
        return found.group(1) if found else "14"

    def _sheet(self, name: str, path: str) -> XlsxSheet:
        xml = self.members[path].decode("utf-8")
        start = xml.index("<sheetData>")
        end = xml.index("</sheetData>")
        prefix, body, suffix = xml[:start], xml[start + 11 : end], xml[end + 12 :]
        spans: dict[tuple[int, int], int] = {}
        covered: set[tuple[int, int]] = set()
        for found in re.finditer(r'<mergeCell ref="([^"]+)"/>', suffix):
            merged = list(_cells_of(found.group(1)))
            if merged and all(row == merged[0][0] for row, _column in merged):
                spans[merged[0]] = len(merged)
                covered.update(merged[1:])
        lists: dict[tuple[int, int], str] = {}
        for found in re.finditer(
            r'<dataValidation\b[^>]*?sqref="([^"]+)"[^>]*>.*?<formula1>([^<]*)</formula1>',
            suffix,
            re.S,
        ):
            column = _LIST_COLUMN.search(html.unescape(found.group(2)).replace("!", "."))
            if column is None:
                continue
            for reference in found.group(1).split():
                for cell in _cells_of(reference):
                    lists[cell] = column.group(1)
        rels_path = path.replace("worksheets/", "worksheets/_rels/") + ".rels"
        rels = self.members.get(rels_path, b"").decode("utf-8")
        comments = self._comments(rels)
        rows: list[TRow] = []
        for found in _XLSX_ROW.finditer(body):
            number = int(dict(_attrs(found.group(1)))["r"])
            if number > MAX_TEMPLATE_ROWS:
                break
            attributes = [
                (k, v)
                for k, v in _attrs(found.group(1))
                if k in ("ht", "customHeight", "s", "customFormat") and v != "false"
            ]
            while len(rows) < number - 1:
                rows.append(TRow("", self._empty_cells()))
            cells = self._cells(found.group(2) or "", number, spans, covered, lists, comments)
            rows.append(TRow(_attrs_text(attributes), cells))
        suffix = re.sub(r"<mergeCells\b.*?</mergeCells>", "", suffix, flags=re.S)
        suffix = re.sub(r"<dataValidations\b.*?</dataValidations>", "", suffix, flags=re.S)
        suffix = re.sub(r"<(row|col)Breaks\b.*?</\1Breaks>", "", suffix, flags=re.S)
        sheet = XlsxSheet(name, path, prefix, rows, suffix, rels)
        if comments:
            vml = self.members[comments["__vml__"]].decode("utf-8")
            sheet.shapes_head = vml[: vml.index("<v:shapetype")]
        return sheet

    def _comments(self, rels: str) -> dict[Any, Any]:
        """Cell → (comment XML, VML shape) of a sheet, plus the VML part's name."""
        target = re.search(r'Target="\.\./(comments\d+\.xml)"', rels)
        vml = re.search(r'Target="\.\./(drawings/vmlDrawing\d+\.vml)"', rels)
        if target is None or vml is None:
            return {}
        comments = self.members["xl/" + target.group(1)].decode("utf-8")
        drawing = self.members["xl/" + vml.group(1)].decode("utf-8")
        shapes: dict[tuple[int, int], tuple[str, tuple[int, int]]] = {}
        for found in re.finditer(
            r"(<v:shapetype.*?</v:shapetype>)?(<v:shape\b.*?</v:shape>)", drawing, re.S
        ):
            shape = found.group(2)
            row = re.search(r"<x:Row>(\d+)</x:Row>", shape)
            column = re.search(r"<x:Column>(\d+)</x:Column>", shape)
            if row and column:
                shapes[(int(row.group(1)) + 1, int(column.group(1)))] = _shape_template(shape)
        found_comments: dict[Any, Any] = {"__vml__": "xl/" + vml.group(1)}
        for found in re.finditer(
            r'<comment ref="([A-Z]+\d+)"[^>]*>(.*?)</comment>', comments, re.S
        ):
            cell = next(_cells_of(found.group(1)))
            found_comments[cell] = (found.group(2), shapes.get(cell, ("", (0, 0))))
        return found_comments

    def _empty_cells(self) -> list[TCell]:
        return [TCell(i, False, 1, "0", None, "<c/>", "<c/>") for i in range(WIDTH)]

    def _cells(
        self,
        row: str,
        number: int,
        spans: dict[tuple[int, int], int],
        covered: set[tuple[int, int]],
        lists: dict[tuple[int, int], str],
        comments: dict[Any, Any],
    ) -> list[TCell]:
        cells = self._empty_cells()
        for found in _XLSX_CELL.finditer(row):
            attributes = dict(_attrs(found.group(1)))
            reference = _REF.fullmatch(attributes.get("r", ""))
            if reference is None:
                continue
            column = _column_index(reference.group(1))
            if column >= WIDTH:
                continue
            style = attributes.get("s", "0")
            inner = found.group(2) or ""
            if attributes.get("t") == "s":
                index = int(re.search(r"<v>(\d+)</v>", inner).group(1))  # type: ignore[union-attr]
                xml = f'<c s="{style}" t="inlineStr"><is>{self.strings[index]}</is></c>'
            elif inner:
                kind = f' t="{attributes["t"]}"' if "t" in attributes else ""
                xml = f'<c s="{style}"{kind}>{inner}</c>'
            else:
                xml = f'<c s="{style}"/>'
            cells[column] = TCell(
                column=column,
                covered=(number, column) in covered,
                span=spans.get((number, column), 1),
                style=style,
                validation=lists.get((number, column)),
                xml=xml,
                empty_xml=f'<c s="{style}"/>',
                comment=comments.get((number, column)),
            )
        return cells

    # -- writing ---------------------------------------------------------------------------------

    def plans(self, sheet: XlsxSheet, width: int) -> list[RowPlan]:
        """The rows of ``sheet``, each prepared once for copying (first ``width`` columns)."""
        key = (sheet.name, width)
        if key not in self._plans:
            plans = []
            for trow in sheet.rows:
                tcells = trow.cells[:width]
                cells = [cell.empty_xml if cell.covered else cell.xml for cell in tcells]
                bare = re.sub(r'\s*(?:ht|customHeight)="[^"]*"', "", trow.attrs)
                plans.append(
                    RowPlan(
                        attrs=trow.attrs,
                        bare_attrs=bare,
                        cells=cells,
                        text="".join(cells),
                        tcells=tcells,
                        styles=[cell.style for cell in tcells],
                        covered=[cell.covered for cell in tcells],
                        merges=[
                            (column_letter(c.column), column_letter(c.column + c.span - 1))
                            for c in tcells
                            if c.span > 1 and not c.covered
                        ],
                        lists=[
                            (column_letter(c.column), c.validation)
                            for c in tcells
                            if c.validation and not c.covered
                        ],
                        comments=[
                            (c.column, *c.comment)
                            for c in tcells
                            if c.comment is not None and not c.covered
                        ],
                    )
                )
            self._plans[key] = plans
        return self._plans[key]

    def variant(self, style: str, kind: str) -> str:
        """An added cell format: ``style`` showing dates as DD/MM/YYYY (``kind`` "date") or
        wrapping its text (``kind`` "wrap")."""
        name = f"{style}-{kind}"
        if name not in self.date_styles:
            xf = self.xfs[int(style)]
            if kind == "date":
                xf = re.sub(r'numFmtId="\d+"', f'numFmtId="{self.date_format}"', xf, count=1)
                xf = xf.replace("<xf ", '<xf applyNumberFormat="true" ', 1)
            elif "<alignment" in xf:
                xf = re.sub(r'wrapText="\w+"', 'wrapText="true"', xf)
                xf = xf.replace('shrinkToFit="true"', 'shrinkToFit="false"')
                if "wrapText" not in xf:
                    xf = xf.replace("<alignment", '<alignment wrapText="true"', 1)
            else:
                xf = xf.replace("/>", '><alignment wrapText="true"/></xf>', 1)
            xf = re.sub(r'applyNumberFormat="\w+" (applyNumberFormat)', r"\1", xf)
            self.extra_xfs.append(xf)
            self.date_styles[name] = str(len(self.xfs) + len(self.extra_xfs) - 1)
        return self.date_styles[name]

    def styles_xml(self) -> str:
        """The template's styles with the added date formats."""
        total = len(self.xfs) + len(self.extra_xfs)
        return re.sub(
            r"<cellXfs count=\"\d+\">(.*?)</cellXfs>",
            lambda m: f'<cellXfs count="{total}">{m.group(1)}{"".join(self.extra_xfs)}</cellXfs>',
            self.styles,
            count=1,
            flags=re.S,
        )

    def cell(self, tcell: TCell, value: Any, style: str) -> str:
        """A cell holding ``value`` (None: emptied) with the template cell's style."""
        if value is None or value == "":
            return f'<c s="{style}"/>'
        if isinstance(value, dt.date):
            day = value.date() if isinstance(value, dt.datetime) else value
            serial = (day - dt.date(1899, 12, 30)).days
            return f'<c s="{self.variant(style, "date")}"><v>{serial}</v></c>'
        if isinstance(value, int | float) and not isinstance(value, bool):
            return f'<c s="{style}"><v>{value}</v></c>'
        style = self.variant(style, "wrap")
        return (
            f'<c s="{style}" t="inlineStr"><is><t xml:space="preserve">{_escape(str(value))}'
            "</t></is></c>"
        )


@cache
def xlsx_template() -> XlsxTemplate:
    """The shipped XLSX template, parsed."""
    return XlsxTemplate(_template_bytes(XLSX_TEMPLATE))


class XlsxWriter:
    """Streams layouts into an XLSX workbook, sheet by sheet."""

    def __init__(self, stream: IO[bytes], lists: dict[str, int]) -> None:
        self.template = xlsx_template()
        self.template.date_styles = {}
        self.template.extra_xfs = []
        self.archive = zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self.lists = lists
        self.sheets: list[tuple[str, str, bool, str | None]] = []  # name, path, hidden, print
        self.overrides: list[tuple[str, str]] = []
        self.extra: dict[str, bytes] = {}

    def add(self, layout: Layout) -> None:
        """Write one sheet."""
        number = len(self.sheets) + 1
        path = f"xl/worksheets/sheet{number}.xml"
        source = self.template.sheets[layout.template]
        print_area = None
        if layout.print_columns and layout.rows:
            last = column_letter(layout.print_columns - 1)
            print_area = f"{_escape(_sheet_ref(layout.name))}!$A$1:${last}${len(layout.rows)}"
        self.sheets.append((layout.name, path, layout.hidden, print_area))
        self.overrides.append(
            (path, "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml")
        )
        with self.archive.open(path, "w") as part:
            if layout.verbatim:
                self._verbatim(part, source, number)
            else:
                self._sheet(part, source, layout, number)
        # The sheet's own parts (comments, drawings) go in now: nothing waits in memory.
        for name, data in self.extra.items():
            self.archive.writestr(name, data)
        self.extra.clear()

    def _verbatim(self, part: IO[bytes], source: XlsxSheet, number: int) -> None:
        rows = [
            f'<row r="{index}"{trow.attrs}>{"".join(cell.xml for cell in trow.cells)}</row>'
            for index, trow in enumerate(source.rows[:40], start=1)
        ]
        prefix = source.prefix.replace('tabSelected="true"', 'tabSelected="false"')
        part.write(
            (prefix + "<sheetData>" + "".join(rows) + "</sheetData>" + source.suffix).encode()
        )
        rels = f"xl/worksheets/_rels/sheet{number}.xml.rels"
        self.extra[rels] = source.rels.encode("utf-8")
        for target in re.findall(r'Target="\.\./(drawings/drawing\d+\.xml)"', source.rels):
            self.extra["xl/" + target] = self.template.members["xl/" + target]
            drawing_rels = "xl/" + target.replace("drawings/", "drawings/_rels/") + ".rels"
            self.extra[drawing_rels] = self.template.members[drawing_rels]
            self.overrides.append(
                ("xl/" + target, "application/vnd.openxmlformats-officedocument.drawing+xml")
            )
            for media in re.findall(
                r'Target="\.\./(media/[^"]+)"', self.template.members[drawing_rels].decode()
            ):
                self.extra["xl/" + media] = self.template.members["xl/" + media]

    def _sheet(self, part: IO[bytes], source: XlsxSheet, layout: Layout, number: int) -> None:
        template = self.template
        prefix = re.sub(
            r"<dimension [^>]*/>",
            f'<dimension ref="A1:Z{max(1, len(layout.rows))}"/>',
            source.prefix,
        )
        prefix = prefix.replace('tabSelected="true"', 'tabSelected="false"')
        if number == 2:
            prefix = prefix.replace('tabSelected="false"', 'tabSelected="true"', 1)
        prefix = re.sub(
            r'<pageSetUpPr fitToPage="\w+"/>', '<pageSetUpPr fitToPage="true"/>', prefix
        )
        if layout.hidden:
            prefix = prefix.replace('tabSelected="true"', 'tabSelected="false"')
        part.write(prefix.encode("utf-8"))
        part.write(b"<sheetData>")
        merges: list[str] = []
        lists: dict[str, list[str]] = {}
        comments: list[tuple[str, Any, int, int, int]] = []
        chunk: list[str] = []
        width = layout_width(layout)
        plans = template.plans(source, width)
        for index, row in enumerate(layout.rows, start=1):
            if layout.flat:
                chunk.append(self._flat_row(source, layout, row, index, width))
                continue
            plan = plans[row.source - 1]
            values = row.values
            if values:
                cells = list(plan.cells)
                for column, value in values.items():
                    if column >= width or plan.covered[column]:
                        continue
                    if value is None or value == "":
                        cells[column] = plan.tcells[column].empty_xml
                    else:
                        style = plan.styles[column]
                        cells[column] = template.cell(plan.tcells[column], value, style)
                text = "".join(cells)
            else:
                text = plan.text
            attributes = plan.attrs
            height = needed_height(layout, row) if values else None
            if height is not None:
                attributes = plan.bare_attrs + f' ht="{height:g}" customHeight="1"'
            chunk.append(f'<row r="{index}"{attributes}>{text}</row>')
            for start, end in plan.merges:
                merges.append(f"{start}{index}:{end}{index}")
            if row.validations:
                for letter, listed in plan.lists:
                    lists.setdefault(listed, []).append(f"{letter}{index}")
            for column, note, shape in plan.comments:
                if column not in values:
                    comments.append((note, shape, index, row.source, column))
            if len(chunk) >= 200:
                part.write("".join(chunk).encode("utf-8"))
                chunk = []
        part.write("".join(chunk).encode("utf-8"))
        part.write(b"</sheetData>")
        tail = []
        if merges:
            tail.append(f'<mergeCells count="{len(merges)}">')
            tail += [f'<mergeCell ref="{merge}"/>' for merge in merges]
            tail.append("</mergeCells>")
        if lists:
            tail.append(f'<dataValidations count="{len(lists)}">')
            for letter, references in lists.items():
                last = self.lists.get(letter, 2)
                tail.append(
                    '<dataValidation type="list" allowBlank="true" showDropDown="false" '
                    'showErrorMessage="false" showInputMessage="false" '
                    f'sqref="{" ".join(references)}"><formula1>Listes!${letter}$2:${letter}${last}'
                    "</formula1></dataValidation>"
                )
            tail.append("</dataValidations>")
        suffix = source.suffix
        suffix = re.sub(
            r"<legacyDrawing [^>]*/>|<drawing [^>]*/>|<hyperlinks>.*?</hyperlinks>",
            "",
            suffix,
            flags=re.S,
        )
        suffix = re.sub(
            r'fitToWidth="\d+" fitToHeight="\d+"', 'fitToWidth="1" fitToHeight="0"', suffix
        )
        if comments:
            suffix = suffix.replace("</worksheet>", '<legacyDrawing r:id="rId1"/></worksheet>')
            self._comments(number, source, comments)
        part.write(("".join(tail) + suffix).encode("utf-8"))

    def _flat_row(
        self, source: XlsxSheet, layout: Layout, row: Row, index: int, width: int
    ) -> str:
        """A row of a plain table: every cell styled, no merges, no lists."""
        trow = source.rows[row.source - 1]
        first = trow.cells[0].style
        cells = []
        for tcell in trow.cells[:width]:  # every cell styled as the row's first
            cells.append(self.template.cell(tcell, row.values.get(tcell.column), first))
        attributes = trow.attrs
        height = needed_height(layout, row)
        if height is not None:
            attributes = re.sub(r'\s*(?:ht|customHeight)="[^"]*"', "", attributes)
            attributes += f' ht="{height:g}" customHeight="1"'
        return f'<row r="{index}"{attributes}>{"".join(cells)}</row>'

    def _comments(
        self, number: int, source: XlsxSheet, comments: list[tuple[str, Any, int, int, int]]
    ) -> None:
        xml = [
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
            f'<comments xmlns="{NS_MAIN}"><authors><author> </author></authors><commentList>',
        ]
        shapes = [source.shapes_head]
        for text, shape, row, source_row, column in comments:
            xml.append(f'<comment ref="{column_letter(column)}{row}" authorId="0">{text}</comment>')
            top, bottom = shape[1]
            shift = row - source_row
            shapes.append(shape[0].format(row=row - 1, top=top + shift, bottom=bottom + shift))
        xml.append("</commentList></comments>")
        shapes.append("</xml>")
        self.extra[f"xl/comments{number}.xml"] = "".join(xml).encode("utf-8")
        self.extra[f"xl/drawings/vmlDrawing{number}.vml"] = "".join(shapes).encode("utf-8")
        self.extra[f"xl/worksheets/_rels/sheet{number}.xml.rels"] = (
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<Relationships xmlns="{PACKAGE_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/vmlDrawing" '
            f'Target="../drawings/vmlDrawing{number}.vml"/>'
            f'<Relationship Id="rId2" Type="{REL}/comments" Target="../comments{number}.xml"/>'
            "</Relationships>"
        ).encode()
        self.overrides.append(
            (
                f"xl/comments{number}.xml",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml",
            )
        )

    def close(self) -> None:
        """Write the workbook's own parts and finish the file."""
        archive = self.archive
        sheets = []
        rels = [f'<Relationship Id="rIdStyles" Type="{REL}/styles" Target="styles.xml"/>']
        names = []
        for index, (name, path, hidden, print_area) in enumerate(self.sheets):
            state = ' state="hidden"' if hidden else ""
            number = index + 1
            sheets.append(
                f'<sheet name="{_escape(name)}" sheetId="{number}"{state} r:id="rId{number}"/>'
            )
            rels.append(
                f'<Relationship Id="rId{index + 1}" Type="{REL}/worksheet" Target="{path[3:]}"/>'
            )
            if print_area:
                names.append(
                    f'<definedName name="_xlnm.Print_Area" localSheetId="{index}">'
                    f"{print_area}</definedName>"
                )
        active = 1 if len(self.sheets) > 1 else 0
        workbook = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_R}"><workbookPr date1904="false"/>'
            f'<bookViews><workbookView activeTab="{active}" firstSheet="0"/></bookViews>'
            f"<sheets>{''.join(sheets)}</sheets>"
            + (f"<definedNames>{''.join(names)}</definedNames>" if names else "")
            + '<calcPr fullCalcOnLoad="false"/></workbook>'
        )
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<Relationships xmlns="{PACKAGE_REL}">{"".join(rels)}</Relationships>',
        )
        archive.writestr("xl/styles.xml", self.template.styles_xml())
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?>'
            f'<Relationships xmlns="{PACKAGE_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            f'<Relationship Id="rId2" Type="{PACKAGE_REL}/metadata/core-properties" '
            'Target="docProps/core.xml"/></Relationships>',
        )
        archive.writestr(
            "docProps/core.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
            'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            "<dc:title>Registre des activités de traitement</dc:title>"
            "<dc:creator>Registre</dc:creator></cp:coreProperties>",
        )
        types = [
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="png" ContentType="image/png"/>'
            '<Default Extension="vml" ContentType="application/vnd.openxmlformats-'
            'officedocument.vmlDrawing"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.'
            'openxmlformats-package.core-properties+xml"/>'
        ]
        types += [
            f'<Override PartName="/{path}" ContentType="{content}"/>'
            for path, content in self.overrides
        ]
        types.append("</Types>")
        archive.writestr("[Content_Types].xml", "".join(types))
        archive.close()


def write_xlsx(layouts: Iterable[Layout], stream: IO[bytes], lists: dict[str, int]) -> None:
    """Stream the layouts into an XLSX workbook (one sheet at a time)."""
    writer = XlsxWriter(stream, lists)
    for layout in layouts:
        writer.add(layout)
    writer.close()


Writer = Callable[[Iterable[Layout], IO[bytes], dict[str, int]], None]
