"""The fiche of one activity is a tagged PDF (PDF/UA-1 aimed at), like the register.

Checked on a real fiche whose list of missing points runs over two pages and whose answers are
a table: poppler's ``pdfinfo``, the PDF/UA checker ``pdfua`` and the structure read back with
pikepdf (every piece of text is an artifact or the content of one element, in reading order).
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from pathlib import Path

import pikepdf
from pdfua import validate

from registre.declaration import QUESTIONS, Fiche, write_fiche
from tests.core.test_pdf_tagging import _page_content, _tree


def _fiche(tmp_path: Path, lang: str = "fr") -> Path:
    long_point = " ".join(f"mot{index}" for index in range(1500)) + " fin-du-point"
    fiche = Fiche(
        organisation="Commune de Saint-Test",
        name="Cantine <scolaire>",
        prepared_on=dt.date(2026, 3, 14),
        answers=[(QUESTIONS[0], ["Cantine"]), (QUESTIONS[1], ["Inscrire", "Facturer"])],
        missing=[long_point, "Court"],
        todos=["Qui est concerné ?"],
    )
    return write_fiche(fiche, tmp_path / f"fiche-{lang}.pdf", lang)


def test_the_fiche_is_tagged_and_passes_the_pdfua_checker(tmp_path: Path) -> None:
    for lang, expected in (("fr", "fr-FR"), ("en", "en")):
        path = _fiche(tmp_path, lang)
        info = subprocess.run(
            ["pdfinfo", str(path)], capture_output=True, text=True, check=True
        ).stdout
        assert re.search(r"^Tagged:\s+yes$", info, re.M)
        assert "Cantine" not in info  # nothing of the content in the metadata
        report = validate(str(path))
        assert [f"{f.rule_id} {f.message}" for f in report.findings] == []
        with pikepdf.open(path) as pdf:
            root = pdf.Root
            assert bool(root.MarkInfo.Marked) and str(root.Lang) == expected
            assert bool(root.ViewerPreferences.DisplayDocTitle)
            meta = pdf.open_metadata()
            assert meta["pdfuaid:part"] == "1"
            assert meta["dc:title"] == str(pdf.trailer.Info.Title)
            for index, page in enumerate(pdf.pages):
                assert page.obj.Tabs == "/S" and int(page.obj.StructParents) == index


def test_every_text_of_the_fiche_is_an_artifact_or_one_elements_content(tmp_path: Path) -> None:
    with pikepdf.open(_fiche(tmp_path)) as pdf:
        assert len(pdf.pages) == 3
        order, elements = _tree(pdf)
        assert len(order) == len(set(order)), "content owned by two elements"
        shown: list[tuple[int, int]] = []
        artifacts = ""
        for index, page in enumerate(pdf.pages):
            for owner, text in _page_content(pdf, page):
                assert owner is not None, f"page {index + 1}: untagged text {text!r}"
                if owner == "artifact":
                    artifacts += text
                elif (index, owner[1]) not in shown:
                    shown.append((index, owner[1]))
        assert shown == order  # the structure tree reads in the printed order
        assert "page 1 / 3" in artifacts and "Commune de Saint-Test" in artifacts  # the foot
        roles = [str(element.S) for element in elements]
        # Title and section titles are headings, never skipping a level.
        headings = [role for role in roles if re.fullmatch(r"/H\d", role)]
        assert headings[:2] == ["/H1", "/H2"] and set(headings) == {"/H1", "/H2"}
        # The to-dos and missing points are lists: each item a label (the bullet) and a body;
        # the long point running over two pages stays one item.
        items = [element for element in elements if str(element.S) == "/LI"]
        assert len(items) == 3
        assert all([str(kid.S) for kid in item.K] == ["/Lbl", "/LBody"] for item in items)
        long_body = items[1].K[1]
        assert any(
            isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR"
            for kid in long_body.K
        ), "the part on the next page is a marked-content reference of the same body"
        # The answers are a table whose questions head their rows.
        (table,) = [element for element in elements if str(element.S) == "/Table"]
        rows = list(table.K)
        assert len(rows) == 2
        for row in rows:
            header, data = row.K
            assert str(header.S) == "/TH" and str(header.A.Scope) == "/Row"
            assert str(data.S) == "/TD"
