"""The CNIL workbook written as OpenDocument (ODS), row by row from the shipped template.

The shared shape (``Layout``, ``Row``, template cells) is in ``cnil_workbook``.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from functools import cache
from typing import IO, Any

from registre.interchange.cnil_workbook import (
    LIST_COLUMN,
    ODS_TEMPLATE,
    WIDTH,
    Layout,
    Row,
    TCell,
    TRow,
    attrs,
    attrs_text,
    column_letter,
    escape_xml,
    sheet_ref,
    template_bytes,
)
from registre.interchange.cnil_xlsx import LINE_HEIGHT, MAX_LINES, layout_width, needed_height

# --------------------------------------------------------------------------------------------
# ODS
# --------------------------------------------------------------------------------------------

_ODS_ROW = re.compile(r"<table:table-row\b([^>]*?)(?:/>|>(.*?)</table:table-row>)", re.S)
_ODS_CELL = re.compile(
    r"<table:(table-cell|covered-table-cell)\b([^>]*?)(?:/>|>(.*?)</table:\1>)", re.S
)
_ODS_TABLE = re.compile(r"<table:table\b([^>]*)>(.*?)</table:table>", re.S)
_ODS_VALUE_ATTRS = ("office:", "calcext:", "table:formula")


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
            attributes = dict(attrs(found.group(1)))
            self.validations[attributes["table:name"]] = (found.group(1), found.group(2) or "")
        self.tables: dict[str, tuple[dict[str, str], str, list[TRow], str]] = {}
        for found in _ODS_TABLE.finditer(body):
            attributes = dict(attrs(found.group(1)))
            name = attributes["table:name"]
            self.tables[name] = (attributes, found.group(2), *self._rows(found.group(2)))
        self.date_styles: dict[str, str] = {}

    def _list_of(self, validation: str | None) -> str | None:
        if validation is None or validation not in self.validations:
            return None
        condition = dict(attrs(self.validations[validation][0])).get("table:condition", "")
        found = LIST_COLUMN.search(condition)
        return found.group(1) if found else None

    def _rows(self, table: str) -> tuple[list[TRow], str]:
        rows: list[TRow] = []
        filler = ""
        for found in _ODS_ROW.finditer(table):
            attributes = attrs(found.group(1))
            repeat = int(dict(attributes).get("table:number-rows-repeated", "1"))
            kept = [(k, v) for k, v in attributes if k != "table:number-rows-repeated"]
            cells = self._cells(found.group(2) or "")
            if repeat > 50:
                filler = found.group(0)
                break
            rows.extend(TRow(attrs_text(kept), list(cells)) for _ in range(repeat))
        return rows, filler

    def _cells(self, row: str) -> list[TCell]:
        cells: list[TCell] = []
        for found in _ODS_CELL.finditer(row):
            kind, attributes, inner = found.group(1), attrs(found.group(2)), found.group(3)
            values = dict(attributes)
            repeat = int(values.get("table:number-columns-repeated", "1"))
            kept = [(k, v) for k, v in attributes if k != "table:number-columns-repeated"]
            bare = [(k, v) for k, v in kept if not k.startswith(_ODS_VALUE_ATTRS)]
            tag = f"table:{kind}"
            xml = (
                f"<{tag}{attrs_text(kept)}>{inner}</{tag}>"
                if inner
                else f"<{tag}{attrs_text(kept)}/>"
            )
            empty = f"<{tag}{attrs_text(bare)}/>"
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
            return f"<table:table-cell{attrs_text(attributes)}/>"
        if isinstance(value, dt.date):
            day = value.date() if isinstance(value, dt.datetime) else value
            attributes[0] = ("table:style-name", self.variant(style, "date"))
            attributes += [
                ("office:value-type", "date"),
                ("office:date-value", day.isoformat()),
                ("calcext:value-type", "date"),
            ]
            return (
                f"<table:table-cell{attrs_text(attributes)}>"
                f"<text:p>{day.strftime('%d/%m/%Y')}</text:p></table:table-cell>"
            )
        if isinstance(value, int | float) and not isinstance(value, bool):
            attributes += [
                ("office:value-type", "float"),
                ("office:value", str(value)),
                ("calcext:value-type", "float"),
            ]
            text = f"<text:p>{value}</text:p>"
            return f"<table:table-cell{attrs_text(attributes)}>{text}</table:table-cell>"
        attributes[0] = ("table:style-name", self.variant(style, "wrap"))
        attributes += [("office:value-type", "string"), ("calcext:value-type", "string")]
        paragraphs = "".join(
            f"<text:p>{_odf_text(line)}</text:p>" for line in str(value).split("\n")
        )
        return f"<table:table-cell{attrs_text(attributes)}>{paragraphs}</table:table-cell>"

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
            return f"<table:table{attrs_text(list(attributes.items()))}>{raw}</table:table>"
        columns = raw[: raw.index("<table:table-row")]
        head = [
            ("table:name", escape_xml(layout.name)),
            ("table:style-name", attributes["table:style-name"]),
        ]
        if layout.print_columns and layout.rows:
            reference = "$" + escape_xml(sheet_ref(layout.name))
            last = column_letter(layout.print_columns - 1)
            head.append(("table:print-ranges", f"{reference}.$A$1:.${last}${len(layout.rows)}"))
        parts = [f"<table:table{attrs_text(head)}>", columns]
        width = layout_width(layout)
        for row in layout.rows:
            parts.append(self.row(layout, rows[row.source - 1], row, width))
        parts.append(filler)
        parts.append("</table:table>")
        return "".join(parts)


def _odf_text(line: str) -> str:
    """One line of text for a <text:p>: runs of spaces and tabs kept as ODF writes them."""
    text = escape_xml(line).replace("\t", "<text:tab/>")

    def spaces(found: re.Match[str]) -> str:
        run = len(found.group(0))
        if found.start() == 0:
            return f'<text:s text:c="{run}"/>'
        return " " + (f'<text:s text:c="{run - 1}"/>' if run > 1 else "")

    return re.sub(r"^ +| {2,}", spaces, text)


@cache
def ods_template() -> OdsTemplate:
    """The shipped ODS template, parsed."""
    return OdsTemplate(template_bytes(ODS_TEMPLATE))


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
        attributes = dict(attrs(source[0])) if source else {}
        attributes["table:name"] = f"liste-{column}"
        attributes["table:condition"] = (
            f"of:cell-content-is-in-list([$'Listes'.${column}$2:.${column}${last}])"
        )
        attributes["table:base-cell-address"] = "$'Listes'.$A$1"
        attributes.setdefault("table:allow-empty-cell", "true")
        attributes.setdefault("table:display-list", "unsorted")
        inner = source[1] if source else ""
        validations.append(
            f"<table:content-validation{attrs_text(attributes.items())}>{inner}"
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
