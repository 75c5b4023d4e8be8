"""The official PDF is a tagged PDF (PDF/UA-1 aimed at) that stays PDF/A-2b and signed.

Checked on real exports laid out in several segments by forked workers (the path of the command
line), with the PDF/UA checker ``pdfua`` (the machine-checkable subset of PDF/UA-1, on pikepdf),
poppler's ``pdfinfo`` and ``pdftotext``, and structural assertions of our own: every piece of
text shown is either an artifact or the content of exactly one structure element, the structure
tree reads in the order the text is printed, tables have header cells with a scope and rows of
equal width, headings never skip a level, and contents lines are tagged links.
"""

from __future__ import annotations

import itertools
import re
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from pdfua import validate

from registre import demo, services
from registre.cover_text import _unicode_map
from registre.official_export import export_pdf
from registre.signing import verify_pdf
from registre.storage import Context, create_register
from tests.conftest import PASSPHRASE, TEST_POLICY, FixedClock

PROFILES = ("full", "art30", "communicable")


def _context() -> Context:
    counter = itertools.count(1)
    return Context(
        clock=FixedClock(),
        new_id=lambda: str(uuid.UUID(int=next(counter))),
        actor="secretaire",
        policy=TEST_POLICY,
    )


@pytest.fixture(scope="module")
def tagged(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The demo register (plus a sheet whose long text splits a table row across pages),
    exported in every profile, its body cut into several segments laid out by two forked
    workers."""
    import registre.pdf.render as render
    import registre.pdf.story as story

    folder = tmp_path_factory.mktemp("tagged")
    register, _ = create_register(folder / "Demo.registre", PASSPHRASE, context=_context())
    demo.populate(register)
    commune = next(
        o.id for o in services.list_organisations(register) if o.name.startswith("Commune")
    )
    services.create_activity(
        register,
        organisation_id=commune,
        name="Fiche très longue",
        reference="Z-999",
        description="Une description détaillée qui ne tient pas sur une page. " * 250,
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(story, "SEGMENT_SHEETS", 6)
        patch.setattr(render, "worker_count", lambda segments: 2)
        paths = {}
        for profile in PROFILES:
            result = export_pdf(
                register, folder / f"{profile}.pdf", profile=profile, organisation_id=commune
            )
            paths[profile] = result.path
    register.close()
    yield paths


# --------------------------------------------------------------------------------------------
# Reading the marked content back
# --------------------------------------------------------------------------------------------


def _page_content(pdf: pikepdf.Pdf, page: Any) -> list[tuple[Any, str]]:
    """Text shown on ``page`` in drawing order, each piece with what marks it: ("mcid", n),
    "artifact", or None when it is neither."""
    fonts = page.obj.Resources.get("/Font", {})
    maps: dict[str, dict[int, str]] = {}
    mapping: dict[int, str] = {}
    stack: list[Any] = []
    shown: list[tuple[Any, str]] = []
    for instruction in pikepdf.parse_content_stream(page):
        operands, name = instruction.operands, str(instruction.operator)
        if name in ("BDC", "BMC"):
            tag = str(operands[0])
            properties = operands[1] if name == "BDC" else None
            if tag == "/Artifact":
                stack.append("artifact")
            elif properties is not None and "/MCID" in properties:
                stack.append(("mcid", int(properties.MCID)))
            else:
                stack.append(None)
        elif name == "EMC":
            stack.pop()
        elif name == "Tf":
            key = str(operands[0])
            if key not in maps:
                maps[key] = _unicode_map(fonts[key])
            mapping = maps[key]
        elif name == "Tj":
            text = "".join(mapping.get(b, "") for b in bytes(operands[0]))
            owner = next((mark for mark in reversed(stack) if mark is not None), None)
            shown.append((owner, text))
    assert not stack, "unbalanced marked content"
    return shown


def _tree(pdf: pikepdf.Pdf) -> tuple[list[tuple[int, int]], list[Any]]:
    """(page, MCID) pairs in structure-tree order, and the elements in that order."""
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    order: list[tuple[int, int]] = []
    elements: list[Any] = []

    def walk(element: Any) -> None:
        elements.append(element)
        kids = element.get("/K")
        if kids is None:
            return
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, int):
                order.append((pages[element.Pg.objgen], kid))
            elif kid.get("/Type") == "/MCR":
                order.append((pages[kid.Pg.objgen], int(kid.MCID)))
            elif kid.get("/Type") == "/OBJR":
                continue
            else:
                assert kid.P.objgen == element.objgen, "an element's /P is its parent"
                walk(kid)

    walk(pdf.Root.StructTreeRoot.K)
    return order, elements


def _first_content(pdf: pikepdf.Pdf, element: Any) -> tuple[int, int] | None:
    """(page, MCID) of the first content an element owns directly."""
    kids = element.get("/K")
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, int):
            page = next(i for i, p in enumerate(pdf.pages) if p.obj.objgen == element.Pg.objgen)
            return page, kid
    return None


def _pdftotext(path: Path, *options: str) -> str:
    return subprocess.run(
        ["pdftotext", *options, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------


def test_every_profile_is_tagged_and_passes_the_pdfua_checker(tagged: dict[str, Path]) -> None:
    for profile, path in tagged.items():
        pdfinfo = subprocess.run(
            ["pdfinfo", str(path)], capture_output=True, text=True, check=True
        ).stdout
        assert re.search(r"^Tagged:\s+yes$", pdfinfo, re.M), profile
        report = validate(str(path))
        assert [f"{f.rule_id} {f.message}" for f in report.findings] == [], profile
        with pikepdf.open(path) as pdf:
            root = pdf.Root
            assert bool(root.MarkInfo.Marked) and str(root.Lang) == "fr-FR"
            assert bool(root.ViewerPreferences.DisplayDocTitle)
            meta = pdf.open_metadata()
            assert meta["pdfuaid:part"] == "1"
            assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
            assert meta["dc:title"] == str(pdf.trailer.Info.Title)
            assert b"<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>" in root.Metadata.read_bytes()
            assert "/Filter" not in root.Metadata  # PDF/A: the XMP packet stays readable
            for index, page in enumerate(pdf.pages):
                assert page.obj.Tabs == "/S" and int(page.obj.StructParents) == index
        assert verify_pdf(path).intact, profile


def test_all_text_is_an_artifact_or_the_content_of_exactly_one_element(
    tagged: dict[str, Path],
) -> None:
    with pikepdf.open(tagged["full"]) as pdf:
        order, _elements = _tree(pdf)
        assert len(order) == len(set(order)), "content owned by two elements"
        shown: set[tuple[int, int]] = set()
        artifacts = ""
        for index, page in enumerate(pdf.pages):
            for owner, text in _page_content(pdf, page):
                assert owner is not None, f"page {index + 1}: untagged text {text!r}"
                if owner == "artifact":
                    artifacts += text
                else:
                    shown.add((index, owner[1]))
        assert shown == set(order)
        # Running headers, footers and page numbers are artifacts.
        assert "Page1/" in _squeezed(artifacts) and "Empreinte" in artifacts
        # The parent tree gives, for each page's MCIDs, the element that owns them.
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        for page, mcid in order:
            owner = parents[page][mcid]
            kids = owner.K if isinstance(owner.K, pikepdf.Array) else [owner.K]
            assert mcid in [k for k in kids if isinstance(k, int)] or any(
                isinstance(k, pikepdf.Dictionary) and k.get("/MCID") == mcid for k in kids
            )
        # A cell whose text runs over several pages stays one element (marked content
        # references on the following pages).
        spanning = [
            e
            for e in _tree(pdf)[1]
            if isinstance(e.get("/K"), pikepdf.Array)
            and any(isinstance(k, pikepdf.Dictionary) and k.get("/Type") == "/MCR" for k in e.K)
        ]
        assert any(str(e.S) == "/TD" for e in spanning)


def test_the_structure_tree_reads_in_the_printed_order(tagged: dict[str, Path]) -> None:
    path = tagged["full"]
    with pikepdf.open(path) as pdf:
        order, elements = _tree(pdf)
        contents = {
            index
            for index, page in enumerate(pdf.pages)
            if any(a.Subtype == "/Link" for a in page.obj.get("/Annots", []))
        }
        texts: dict[tuple[int, int], str] = {}
        for index, page in enumerate(pdf.pages):
            printed = _page_content(pdf, page)
            for owner, text in printed:
                if owner != "artifact":
                    key = (index, owner[1])
                    texts[key] = texts.get(key, "") + text
            # poppler reads the page in the order it is drawn: the same text as decoded here.
            if index in (0, len(pdf.pages) // 2, len(pdf.pages) - 1):
                raw = _pdftotext(path, "-raw", "-f", str(index + 1), "-l", str(index + 1))
                assert _squeezed(raw) == _squeezed("".join(text for _o, text in printed))
        # Elements come in the order their text starts on the pages (MCIDs are numbered in
        # drawing order). A row split across pages is read cell by cell: each cell's text on
        # both pages, then the next cell's.
        starts = [
            first
            for first in (_first_content(pdf, element) for element in elements)
            if first is not None and first[0] not in contents
        ]
        assert starts == sorted(starts)
        tree_text = _squeezed("".join(texts[item] for item in order))
    plain = _squeezed(_pdftotext(path))
    for title in ("Identificationdel'organisme", "Z-999—Fichetrèslongue"):
        assert title in tree_text and title in plain


def test_tables_have_scoped_headers_and_regular_rows_and_headings_do_not_skip(
    tagged: dict[str, Path],
) -> None:
    for profile, path in tagged.items():
        with pikepdf.open(path) as pdf:
            _order, elements = _tree(pdf)
        roles = [str(e.S) for e in elements]
        assert roles[0] == "/Document" and "/TOC" in roles and "/Sect" in roles
        tables = [e for e in elements if e.S == "/Table"]
        assert tables, profile
        for table in tables:
            widths = set()
            cells = []
            for row in table.K if isinstance(table.K, pikepdf.Array) else [table.K]:
                assert row.S == "/TR"
                row_cells = list(row.K) if isinstance(row.K, pikepdf.Array) else [row.K]
                cells += row_cells
                widths.add(sum(int(c.get("/A", {}).get("/ColSpan", 1)) for c in row_cells))
            assert len(widths) == 1, f"{profile}: rows of different widths {widths}"
            headers = [c for c in cells if c.S == "/TH"]
            assert headers, profile
            assert all(str(c.A.Scope) in ("/Column", "/Row") for c in headers)
        levels = [int(role[2]) for role in roles if re.fullmatch(r"/H[1-6]", role)]
        assert levels[0] == 1
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), profile


def test_contents_lines_are_tagged_links_with_their_page_number(tagged: dict[str, Path]) -> None:
    with pikepdf.open(tagged["full"]) as pdf:
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        parents = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        annotations = [
            (index, a)
            for index, page in enumerate(pdf.pages)
            for a in page.obj.get("/Annots", [])
            if a.Subtype == "/Link"
        ]
        assert len(annotations) > 30
        for index, annotation in annotations:
            link = parents[int(annotation.StructParent)]
            assert link.S == "/Link" and link.P.S == "/TOCI"
            assert str(annotation.Contents).startswith("Aller à la page ")
            references = [k for k in link.K if isinstance(k, pikepdf.Dictionary)]
            assert [r.Obj.objgen for r in references] == [annotation.objgen]
            assert link.Pg.objgen == pdf.pages[index].obj.objgen
            # The title and the page number written at assembly are both its content.
            assert len([k for k in link.K if isinstance(k, int)]) >= 2
        (field,) = pdf.Root.AcroForm.Fields
        form = parents[int(field.StructParent)]
        assert form.S == "/Form" and str(field.TU)
