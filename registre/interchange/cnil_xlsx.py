"""The CNIL workbook written as Office Open XML (XLSX), row by row from the shipped template.

The shared shape (``Layout``, ``Row``, template cells) is in ``cnil_workbook``.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import IO, Any

from registre.interchange.cnil_workbook import (
    LIST_COLUMN,
    MAX_TEMPLATE_ROWS,
    WIDTH,
    XLSX_TEMPLATE,
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
            column = LIST_COLUMN.search(html.unescape(found.group(2)).replace("!", "."))
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
            number = int(dict(attrs(found.group(1)))["r"])
            if number > MAX_TEMPLATE_ROWS:
                break
            attributes = [
                (k, v)
                for k, v in attrs(found.group(1))
                if k in ("ht", "customHeight", "s", "customFormat") and v != "false"
            ]
            while len(rows) < number - 1:
                rows.append(TRow("", self._empty_cells()))
            cells = self._cells(found.group(2) or "", number, spans, covered, lists, comments)
            rows.append(TRow(attrs_text(attributes), cells))
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
            attributes = dict(attrs(found.group(1)))
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
            f'<c s="{style}" t="inlineStr"><is><t xml:space="preserve">{escape_xml(str(value))}'
            "</t></is></c>"
        )


@cache
def xlsx_template() -> XlsxTemplate:
    """The shipped XLSX template, parsed."""
    return XlsxTemplate(template_bytes(XLSX_TEMPLATE))


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
            print_area = f"{escape_xml(sheet_ref(layout.name))}!$A$1:${last}${len(layout.rows)}"
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

    def _flat_row(self, source: XlsxSheet, layout: Layout, row: Row, index: int, width: int) -> str:
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
                f'<sheet name="{escape_xml(name)}" sheetId="{number}"{state} r:id="rId{number}"/>'
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

# --------------------------------------------------------------------------------------------
# Row heights for both formats, from the XLSX template's geometry
# --------------------------------------------------------------------------------------------


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
        attributes = dict(attrs(found.group(1)))
        for column in range(int(attributes["min"]) - 1, min(int(attributes["max"]), WIDTH)):
            widths[column] = float(attributes.get("width", "8.43"))

    def characters(first: int, span: int) -> int:
        return max(1, int(sum(widths[first : first + span]) * CHARACTERS_PER_WIDTH))

    merged = [[characters(cell.column, cell.span) for cell in row.cells] for row in sheet.rows]
    single = [characters(column, 1) for column in range(WIDTH)]
    heights = [float(dict(attrs(row.attrs)).get("ht", "15")) for row in sheet.rows]
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
