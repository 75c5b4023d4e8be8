"""PDF export: what an auditor opening the file would notice, checked with poppler's own tools.

pdffonts, pdftotext and pdfinfo (poppler-utils) read the files as a PDF viewer would. They are
required on CI; on a developer machine without them the tests that need them are skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from sqlalchemy import select

from registre import __version__, demo, export_model, services
from registre.audit import verify_chain
from registre.errors import RecordNotFound, StorageFailure
from registre.export_model import MASK_TEXT, UnknownProfile, build_document, clean_text
from registre.model import AuditEntry
from registre.official_export import export_pdf
from registre.pdf import (
    SignerInfo,
    para_text,
    render_pdf,
    reportlab_accelerated,
    text_width,
    wrap_text,
)
from registre.pdf.styles import BODY as BODY_STYLE
from registre.publications import changes_since_publication
from registre.signing import ensure_signing_identity, verify_pdf
from registre.storage import Context, Register, create_register, open_register
from tests.conftest import PASSPHRASE, TEST_POLICY, FixedClock

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "pdf_structure.json"
TOOLS = ("pdffonts", "pdftotext", "pdfinfo")


def _tools_missing() -> bool:
    return any(shutil.which(tool) is None for tool in TOOLS)


needs_poppler = pytest.mark.skipif(
    _tools_missing() and not os.environ.get("CI"),
    reason="poppler-utils (pdffonts, pdftotext, pdfinfo) is not installed",
)


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def pdftext(path: Path, first: int | None = None, last: int | None = None) -> str:
    """The text pdftotext extracts (whole document, or pages first..last)."""
    command = ["pdftotext", "-enc", "UTF-8"]
    if first is not None:
        command += ["-f", str(first), "-l", str(last or first)]
    return _run(*command, str(path), "-")


def flat(text: str) -> str:
    """Whitespace collapsed, so text wrapped over several lines can be searched."""
    return " ".join(text.split())


def squeeze(text: str) -> str:
    """Text without any whitespace (words cut at the end of a narrow column join again)."""
    return re.sub(r"\s+", "", text)


def fonts(path: Path) -> list[dict[str, str]]:
    """pdffonts rows: name, type and whether the font is embedded."""
    lines = _run("pdffonts", str(path)).splitlines()[2:]
    return [{"name": line.split()[0], "emb": line.split()[-5], "line": line} for line in lines]


def _context() -> Context:
    counter = itertools.count(1)
    return Context(
        clock=FixedClock(),
        new_id=lambda: str(uuid.UUID(int=next(counter))),
        actor="secretaire",
        policy=TEST_POLICY,
    )


# --------------------------------------------------------------------------------------------
# The demo commune, exported once per profile for the whole module
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_register(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Register]:
    path = tmp_path_factory.mktemp("demo") / "Demo.registre"
    register, _ = create_register(path, PASSPHRASE, context=_context())
    demo.populate(register)
    yield register
    register.close()


@pytest.fixture(scope="module")
def commune_id(demo_register: Register) -> str:
    organisations = services.list_organisations(demo_register)
    return next(o.id for o in organisations if o.name.startswith("Commune"))


@pytest.fixture(scope="module")
def exports(
    demo_register: Register, commune_id: str, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("exports")
    results = {}
    for profile in ("full", "art30", "communicable"):
        calls: list[tuple[int, int]] = []
        result = export_pdf(
            demo_register,
            folder / f"registre-{profile}.pdf",
            profile=profile,
            organisation_id=commune_id,
            progress=lambda done, total, calls=calls: calls.append((done, total)),
        )
        results[profile] = {"result": result, "progress": calls}
    return results


def _commune_data() -> dict[str, Any]:
    return next(o for o in demo.demo_data()["organisations"] if o["name"].startswith("Commune"))


@needs_poppler
def test_full_export_embeds_only_dejavu_and_shows_every_activity(
    exports: dict[str, Any],
) -> None:
    path = exports["full"]["result"].path
    rows = fonts(path)
    assert rows, "no font listed"
    assert all(row["emb"] == "yes" for row in rows), rows
    assert all("DejaVuSans" in row["name"] for row in rows), rows
    assert "Helvetica" not in path.read_bytes().decode("latin-1")
    text = flat(pdftext(path))
    data = _commune_data()
    assert flat(data["name"]) in text
    for activity in data["activities"]:
        assert flat(activity["name"]) in text, activity["name"]
    assert "214 509 788" in text.replace("\u202f", " ")  # SIREN on the cover
    assert "Julien Lefèvre" in text  # the DPO, named in the full register


@needs_poppler
def test_metadata_language_and_page_format(exports: dict[str, Any]) -> None:
    path = exports["full"]["result"].path
    info = _run("pdfinfo", str(path))
    fields = dict(line.split(":", 1) for line in info.splitlines() if ":" in line)
    organisation = _commune_data()["name"]
    assert fields["Title"].strip() == f"Registre des activités de traitement — {organisation}"
    assert fields["Author"].strip() == organisation
    assert "RGPD article 30" in fields["Subject"]
    assert fields["Creator"].strip() == f"Registre {__version__}"
    assert "595.276 x 841.89" in fields["Page size"]  # A4
    for person in ("Claire Martin", "Julien Lefèvre"):  # no person in the metadata
        assert person not in info
    from pyhanko.pdf_utils.reader import PdfFileReader

    with path.open("rb") as handle:
        reader = PdfFileReader(handle, strict=False)
        assert str(reader.root["/Lang"]) == "fr-FR"


@needs_poppler
def test_every_page_has_its_footer(exports: dict[str, Any]) -> None:
    result = exports["full"]["result"]
    text = pdftext(result.path)
    pages = text.split("\f")[: result.pages]
    assert len(pages) == result.pages
    fingerprint = result.fingerprint[:16]
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} / {result.pages}" in page, number
        assert f"Empreinte {fingerprint}" in page, number
        assert "Exporté le 14/03/2026" in page and "registre révision" in page, number


@needs_poppler
def test_cover_shows_identity_export_and_signature(
    exports: dict[str, Any], demo_register: Register
) -> None:
    result = exports["full"]["result"]
    cover = flat(pdftext(result.path, 1))
    assert "Registre des activités de traitement" in cover
    assert "Commune de Saint-Exemple-sur-Loire" in cover
    assert "Délégué à la protection des données" in cover
    assert re.search(r"14 mars 2026 à 10 h 3\d \(heure de Paris\)", cover.replace("\xa0", " "))
    assert "révision" in cover and "schéma" in cover
    assert "Complétude (article 30)" in cover and "%" in cover
    grouped = " ".join(result.certificate_sha256.upper()[i : i + 4] for i in range(0, 64, 4))
    assert flat(grouped) in cover  # the certificate fingerprint, for the auditor
    verification = verify_pdf(result.path)
    assert verification.intact
    assert verification.certificate_sha256 == result.certificate_sha256


@needs_poppler
def test_table_of_contents_page_numbers_match_the_bookmarks(exports: dict[str, Any]) -> None:
    result = exports["full"]["result"]
    document_pages = pdftext(result.path).split("\f")
    from pyhanko.pdf_utils.reader import PdfFileReader

    with result.path.open("rb") as handle:
        reader = PdfFileReader(handle, strict=False)
        outline = _outline_titles(reader)
    assert outline[:2] == ["Page de garde", "Sommaire"]
    names = [a["name"] for a in _commune_data()["activities"]]
    for name in names:
        assert any(flat(name) in flat(title) for title in outline), name
    toc = _run("pdftotext", "-layout", "-f", "2", "-l", "2", str(result.path), "-")
    for heading in ("T-004 — Inscriptions scolaires", "Synthèse des traitements", "Annexe 2"):
        page = next(
            number
            for number, text in enumerate(document_pages, start=1)
            if number > 2 and heading in flat(text)
        )
        assert re.search(rf"{re.escape(heading)}.*\s{page}$", toc, re.MULTILINE), heading


def _outline_titles(reader: Any) -> list[str]:
    titles = []
    outlines = reader.root.get("/Outlines")
    stack = [outlines.get_object()["/First"]] if outlines is not None else []
    while stack:
        node = stack.pop().get_object()
        titles.append(str(node["/Title"]))
        if "/Next" in node:
            stack.append(node["/Next"])
        if "/First" in node:
            stack.append(node["/First"])
    return titles


def test_progress_reports_each_sheet_then_completion(exports: dict[str, Any]) -> None:
    calls = exports["full"]["progress"]
    total = calls[0][1]
    assert total == len(_commune_data()["activities"]) + 1
    assert calls[0] == (0, total) and calls[-1] == (total, total)
    done = [d for d, _ in calls]
    assert done == sorted(done) and len(calls) >= total


def test_each_export_is_recorded_in_the_audit_trail(
    exports: dict[str, Any], demo_register: Register, commune_id: str
) -> None:
    with demo_register.read() as session:
        recorded = {
            e.changes["sha256"]: (e.entity, e.organisation_id, e.changes)
            for e in session.scalars(select(AuditEntry).where(AuditEntry.action == "exported"))
        }
    for profile, export in exports.items():
        result = export["result"]
        digest = hashlib.sha256(result.path.read_bytes()).hexdigest()
        assert digest == result.sha256
        entity, organisation_id, changes = recorded[digest]
        assert entity == "export"
        assert organisation_id == commune_id
        assert changes["profile"] == profile
        assert changes["file"] == result.path.name
        assert changes["organisation"] == "Commune de Saint-Exemple-sur-Loire"
        assert changes["certificate_sha256"] == result.certificate_sha256
    assert services.verify_audit(demo_register).intact


# --------------------------------------------------------------------------------------------
# Profiles
# --------------------------------------------------------------------------------------------


@needs_poppler
def test_art30_profile_keeps_only_article_30(exports: dict[str, Any]) -> None:
    full = flat(pdftext(exports["full"]["result"].path))
    art30 = flat(pdftext(exports["art30"]["result"].path))
    assert "Extrait de l'article 30" in art30
    for kept in ("Finalité principale", "Catégories de données", "Destinataires", "30.1.g"):
        assert kept in art30, kept
    # Not required by Article 30: impact assessment, legal basis, follow-up, annexes.
    for dropped in (
        "Analyse d'impact (AIPD)",
        "Texte fondant le traitement",
        "Prochaine revue",
        "Inventaire des logiciels",
        "Rapport de complétude",
    ):
        assert dropped in full, dropped
        assert dropped not in art30, dropped
    for activity in _commune_data()["activities"]:
        assert flat(activity["name"]) in art30
    assert exports["art30"]["result"].pages < exports["full"]["result"].pages


@needs_poppler
def test_communicable_profile_masks_agents_and_lists_what_is_masked(
    exports: dict[str, Any],
) -> None:
    path = exports["communicable"]["result"].path
    text = flat(pdftext(path))
    data = _commune_data()
    full = flat(pdftext(exports["full"]["result"].path))
    # Values of the fields the schema marks personal (names, direct contacts of agents).
    people = [p["contact_name"] for p in data["processors"] if p.get("contact_name")]
    people += [p["email"] for p in data["processors"] if p.get("email")]
    for person in people:
        assert squeeze(person) in squeeze(full), person
        assert squeeze(person) not in squeeze(text), person
    # The DPO's name is masked where it is the DPO field (free text is not analysed).
    assert full.count(data["dpo_name"]) > text.count(data["dpo_name"])
    assert data["dpo_name"] not in flat(pdftext(path, 1))
    assert MASK_TEXT in text
    annex = text[text.rindex("Éléments occultés") :]
    for label in ("Nom du délégué (DPO)", "Contact", "Courriel", "Téléphone"):
        assert label in annex, label
    assert "L311-6" in annex
    # The mayor, legal representative in her official capacity, is not masked by default.
    assert squeeze(data["legal_representative_name"]) in squeeze(text)
    assert "n'est pas occulté" in annex
    # The organisation's own contacts are not an agent's: they stay.
    assert data["email"] in text and data["dpo_email"] in text
    for activity in data["activities"]:
        assert flat(activity["name"]) in text


def test_unknown_profile_and_organisation_are_refused(
    demo_register: Register, tmp_path: Path
) -> None:
    with pytest.raises(UnknownProfile) as refused:
        export_pdf(demo_register, tmp_path / "x.pdf", profile="secret")
    assert refused.value.exit_code == 2
    with pytest.raises(RecordNotFound):
        export_pdf(demo_register, tmp_path / "x.pdf", organisation_id="nope")
    assert not (tmp_path / "x.pdf").exists()


@needs_poppler
def test_whole_register_exports_each_organisation(demo_register: Register, tmp_path: Path) -> None:
    result = export_pdf(demo_register, tmp_path / "tout.pdf")
    text = flat(pdftext(result.path))
    for organisation in demo.demo_data()["organisations"]:
        assert organisation["name"] in text
        for activity in organisation["activities"]:
            assert flat(activity["name"]) in text


# --------------------------------------------------------------------------------------------
# Hostile and huge content
# --------------------------------------------------------------------------------------------

HOSTILE = [
    "<b>gras</b> & <i>italique</i>",
    '<a href="javascript:alert(1)">clic</a>',
    '<img src="/etc/passwd"/>',
    '<font name="x" size="99">police</font>',
    "AT&T &amp; &lt;b&gt; &#60;",
    "</para><para>",
    "contrôle\x00\x01\x07\x1b[31m\x7f\x85 fin",
]
CONTROL_FREE = [clean_text(value) for value in HOSTILE]


def _hostile_register(register: Register) -> str:
    org = services.create_organisation(
        register,
        name=HOSTILE[0],
        address="\n".join(HOSTILE),
        dpo_name=HOSTILE[1],
        email="mairie@exemple.fr",
    ).id
    processor = services.create_processor(
        register, organisation_id=org, name=HOSTILE[2], notes="\n".join(HOSTILE)
    ).id
    services.create_software(
        register, organisation_id=org, name=HOSTILE[3], notes=HOSTILE[4], processor_id=processor
    )
    services.create_activity(
        register,
        organisation_id=org,
        name=HOSTILE[1],
        reference=HOSTILE[5],
        description="\n".join(HOSTILE),
        main_purpose=HOSTILE[6],
        processors=[processor],
        recipients=[
            {"recipient_type": "internal_service", "name": HOSTILE[2], "details": HOSTILE[3]}
        ],
        data_categories=[
            {"category": "identity", "details": HOSTILE[4], "retention_start": HOSTILE[0]}
        ],
        purposes=[{"description": value} for value in HOSTILE],
    )
    return org


@needs_poppler
def test_markup_in_any_field_is_printed_literally(register: Register, tmp_path: Path) -> None:
    _hostile_register(register)
    result = export_pdf(register, tmp_path / "hostile.pdf")
    with pikepdf.open(result.path) as pdf:  # every object written out, none compressed
        expanded = io.BytesIO()
        pdf.save(
            expanded,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            compress_streams=False,
        )
    raw = expanded.getvalue()
    for forbidden in (b"/URI", b"/JavaScript", b"/JS", b"/Launch", b"/GoToR"):
        assert forbidden not in raw, forbidden
    # « /A » only introduces the table attributes of structure elements, never an action.
    assert re.findall(rb"/A\s*<<\s*(/\w+)", raw) and {
        key for key in re.findall(rb"/A\s*<<\s*(/\w+)", raw)
    } == {b"/O"}
    assert not re.search(rb"/A\s*\d+ 0 R", raw)
    with pikepdf.open(result.path) as pdf:  # the only links: contents lines to their pages
        page_objects = {page.obj.objgen for page in pdf.pages}
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                if annotation.Subtype == "/Link":
                    assert set(annotation.keys()) <= {
                        "/Type",
                        "/Subtype",
                        "/Rect",
                        "/Border",
                        "/F",
                        "/Dest",
                        "/StructParent",
                        "/Contents",
                    }
                    assert annotation.Dest[0].objgen in page_objects
    assert re.search(rb"/Subtype\s*/Image", raw) is None  # no <img> became an image
    assert all(row["emb"] == "yes" and "DejaVuSans" in row["name"] for row in fonts(result.path))
    text = flat(pdftext(result.path))
    for value in CONTROL_FREE:
        for line in value.split("\n"):
            assert flat(line) in text, line
    assert "root:" not in text  # /etc/passwd was not read
    assert verify_pdf(result.path).intact


def test_para_text_escapes_markup_and_control_characters() -> None:
    assert para_text('<a href="x">&</a>') == '&lt;a href="x"&gt;&amp;&lt;/a&gt;'
    assert para_text("a\nb\x00\x1bc\td") == "a<br/>bc    d"
    from reportlab.platypus import Paragraph

    Paragraph(para_text("".join(HOSTILE)))  # parses without error


@needs_poppler
def test_huge_field_and_huge_word_export_without_error(register: Register, tmp_path: Path) -> None:
    org = services.create_organisation(register, name="Commune de Longtexte").id
    sentence = "Le traitement des demandes est assuré par le service instructeur. "
    long_text = (sentence * (30_000 // len(sentence) + 1))[:30_000]
    word = "".join(chr(ord("a") + i % 26) for i in range(5_000))
    services.create_processor(register, organisation_id=org, name="Prestataire", notes=long_text)
    services.create_activity(
        register,
        organisation_id=org,
        name="Traitement aux champs immenses",
        description=long_text,
        main_purpose=word,
        recipients=[
            {"recipient_type": "internal_service", "name": word[:300], "details": long_text}
        ],
        data_categories=[{"category": "identity", "details": long_text, "retention_source": word}],
    )
    for profile in ("full", "art30", "communicable"):
        result = export_pdf(register, tmp_path / f"long-{profile}.pdf", profile=profile)
        assert verify_pdf(result.path).intact
    result = export_pdf(register, tmp_path / "long.pdf")
    squeezed = re.sub(r"\s+", "", pdftext(result.path))
    # The word is cut into lines (and pages, whose header and footer come in between).
    pieces = [run for run in re.findall(r"[a-z]{20,}", squeezed) if run in word * 2]
    assert word in "".join(pieces)
    assert result.pages > 20


def test_wrap_text_never_exceeds_the_width() -> None:
    width = 120.0
    text = "a" * 5_000 + " court " + "mot " * 50 + "\n\nfin\u00a0: oui"

    lines = wrap_text(text, BODY_STYLE, width)
    assert all(text_width(line, BODY_STYLE) <= width + 0.01 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")
    assert "fin\u00a0: oui" in lines  # no break at a no-break space


# --------------------------------------------------------------------------------------------
# Refusals and files
# --------------------------------------------------------------------------------------------


def test_read_only_register_exports_a_signed_file_without_recording_it(
    demo_register: Register, tmp_path: Path
) -> None:
    with open_register(
        demo_register.directory, PASSPHRASE, read_only=True, context=_context()
    ) as read_only:
        result = export_pdf(read_only, tmp_path / "ro.pdf")
    assert result.recorded is False
    assert verify_pdf(tmp_path / "ro.pdf").intact


def test_export_replaces_the_file_atomically(register: Register, tmp_path: Path) -> None:
    services.create_organisation(register, name="Commune d'Atomique")
    folder = tmp_path / "exports"
    folder.mkdir()
    target = folder / "registre.pdf"
    target.write_bytes(b"ancienne version")
    result = export_pdf(register, target)
    assert target.read_bytes().startswith(b"%PDF-")
    assert sorted(p.name for p in folder.iterdir()) == ["registre.pdf"]  # no temporary left
    assert result.sha256 == hashlib.sha256(target.read_bytes()).hexdigest()
    with pytest.raises(StorageFailure) as failed:
        export_pdf(register, tmp_path / "absent" / "registre.pdf")
    assert failed.value.exit_code == 7


# --------------------------------------------------------------------------------------------
# Golden structure (unsigned, invariant rendering of a small fixed register)
# --------------------------------------------------------------------------------------------


def _golden_register(register: Register) -> None:
    org = services.create_organisation(
        register,
        name="Commune de Golden-sur-Mer",
        kind="commune",
        siren="214509788",
        address="1 place de la Mairie\n99999 Golden-sur-Mer",
        email="mairie@golden.example",
        legal_representative_name="Mme Anne Maire",
        legal_representative_title="Maire",
        dpo_name="M. Paul Délégué",
        dpo_email="dpo@golden.example",
    ).id
    processor = services.create_processor(
        register, organisation_id=org, name="Hébergeur SAS", has_art28_contract=True
    ).id
    services.create_software(
        register, organisation_id=org, name="Logiciel X", processor_id=processor, free_licence=False
    )
    services.create_activity(
        register,
        organisation_id=org,
        name="État civil",
        reference="T-001",
        service="État civil",
        status="validated",
        main_purpose="Tenir les registres de l'état civil.",
        legal_basis="6.1.c",
        has_transfers=False,
        processors=[processor],
        purposes=[{"description": "Délivrance des copies"}],
        data_subjects=[{"category": "residents"}],
        data_categories=[
            {
                "category": "identity",
                "details": "Nom, prénoms",
                "retention_value": 100,
                "retention_unit": "years",
                "retention_start": "la clôture du registre",
                "final_disposition": "archives",
            }
        ],
        recipients=[{"recipient_type": "internal_service", "name": "Service état civil"}],
        security_measures=[{"measure_type": "backup"}],
    )
    services.create_activity(
        register,
        organisation_id=org,
        name="Hébergement pour une autre commune",
        reference="T-002",
        role="processor",
        processing_categories="Hébergement du site internet.",
        controllers_served=[{"name": "Commune voisine", "contact": "mairie@voisine.example"}],
        has_transfers=False,
    )


def _structure(rendered: Any, folder: Path) -> dict[str, Any]:
    path = folder / "golden.pdf"  # kept in the test's folder to look at
    path.write_bytes(rendered.data)
    texts = []
    for page in (1, 2, 3):
        text = pdftext(path, page).replace(__version__, "<version>")
        texts.append([line for line in (flat(x) for x in text.splitlines()) if line])
    return {
        "pages": rendered.pages,
        "outline": [list(entry) for entry in rendered.outline],
        "text": texts,
    }


@needs_poppler
def test_golden_page_structure(register: Register, tmp_path: Path) -> None:
    # Without the checker's report: the golden file does not change with its rules, and the
    # export is shown to work without it (no scores, no completeness annex).
    _golden_register(register)
    document = build_document(register, profile="full")
    assert all(part.completeness is None for part in document.parts)
    signer = SignerInfo("Registre — Commune de Golden-sur-Mer", "ab" * 32)
    rendered = render_pdf(document, signer=signer)
    again = render_pdf(document, signer=signer)
    assert rendered.data == again.data  # invariant output
    structure = _structure(rendered, tmp_path)
    if os.environ.get("REGISTRE_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(
            json.dumps(structure, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert structure == expected, "run with REGISTRE_UPDATE_GOLDEN=1 after checking the pages"


def test_rendering_is_independent_of_the_signature(register: Register) -> None:
    _golden_register(register)
    document = build_document(register, profile="art30")
    rendered = render_pdf(document)
    assert rendered.data.startswith(b"%PDF-")
    assert b"/ByteRange" not in rendered.data


def test_fingerprint_depends_on_content_only(register: Register) -> None:
    _golden_register(register)
    first = build_document(register, profile="full")
    second = build_document(register, profile="full")
    assert first.generated_at != second.generated_at
    assert first.fingerprint == second.fingerprint
    assert build_document(register, profile="communicable").fingerprint != first.fingerprint
    org = services.list_organisations(register)[0].id
    services.update_organisation(register, org, phone="01 02 03 04 05")
    assert build_document(register, profile="full").fingerprint != first.fingerprint


def test_reportlab_runs_its_c_accelerator() -> None:
    # rl_accel is a dependency: without it number formatting and escaping run in pure Python.
    assert reportlab_accelerated()


@needs_poppler
def test_every_page_of_a_draft_sheet_says_brouillon(register: Register, tmp_path: Path) -> None:
    org = services.create_organisation(register, name="Commune de Brouillon-le-Bourg").id
    long_text = "Description détaillée du traitement, encore à relire. " * 400
    services.create_activity(
        register,
        organisation_id=org,
        name="Fiche en cours",
        reference="D-1",
        status="draft",
        description=long_text,
    )
    services.create_activity(
        register, organisation_id=org, name="Fiche terminée", reference="V-2", status="validated"
    )
    result = export_pdf(register, tmp_path / "brouillon.pdf")
    pages = pdftext(result.path).split("\f")[: result.pages]
    # Each title is in the table of contents first, then heads its sheet (then the annexes).
    draft = [i for i, page in enumerate(pages) if "D-1 — Fiche en cours" in page][1]
    final = [i for i, page in enumerate(pages) if "V-2 — Fiche terminée" in page][1]
    sheet_pages = range(draft, final)  # the draft's sheet, up to the next sheet
    assert len(sheet_pages) >= 3
    for index in sheet_pages:
        assert "BROUILLON" in pages[index], index + 1
    assert "BROUILLON — fiche en cours de rédaction" in flat(pages[draft])
    assert "BROUILLON" not in pages[final]
    assert all("BROUILLON" not in page for page in pages[:draft])


@needs_poppler
def test_cover_and_metadata_carry_the_audit_chain_head(register: Register, tmp_path: Path) -> None:
    services.create_organisation(register, name="Commune d'Ancre")
    ensure_signing_identity(register)  # its creation is an audit entry too
    with register.read() as session:
        seq, head = session.execute(
            select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).one()
    result = export_pdf(register, tmp_path / "ancre.pdf")
    cover = flat(pdftext(result.path, 1))
    grouped = " ".join(head[i : i + 4].upper() for i in range(0, len(head), 4))
    assert f"{seq} entrées ; dernière entrée (tête de chaîne, SHA-256) {grouped}" in cover
    with pikepdf.open(result.path) as pdf:
        assert int(pdf.trailer.Info.RegistreAuditEntries) == seq
        assert str(pdf.trailer.Info.RegistreAuditHead) == head
    # The export's own entry lengthens the chain: the next export shows one entry more.
    again = export_pdf(register, tmp_path / "ancre-2.pdf")
    assert f"{seq + 1} entrées" in flat(pdftext(again.path, 1))


def test_contents_lines_link_to_their_pages_and_bookmarks_open_with_the_title(
    exports: dict[str, Any],
) -> None:
    result = exports["full"]["result"]
    with pikepdf.open(result.path) as pdf:
        root = pdf.Root
        assert root.PageMode == "/UseOutlines" and bool(root.ViewerPreferences.DisplayDocTitle)
        assert str(root.Lang) == "fr-FR"
        assert str(pdf.trailer.Info.Title).startswith("Registre des activités de traitement — ")
        numbers = {page.obj.objgen: index + 1 for index, page in enumerate(pdf.pages)}
        links = [
            annotation
            for page in pdf.pages[1:4]
            for annotation in page.obj.get("/Annots", [])
            if annotation.Subtype == "/Link"
        ]
        outline_pages = {}
        with pdf.open_outline() as outline:
            for item in outline.root:
                for child in [item, *item.children]:
                    outline_pages[str(child.title)] = numbers[child.destination[0].objgen]
    toc = _run("pdftotext", "-layout", "-f", "2", "-l", "3", str(result.path), "-")
    assert len(links) >= len(_commune_data()["activities"])  # one per contents line
    targets = sorted(numbers[link.Dest[0].objgen] for link in links)
    assert targets == sorted(targets) and targets[0] >= 3
    # The outline's page of each part heading is the number printed in the contents.
    for title, page in outline_pages.items():
        if title in ("Page de garde", "Sommaire"):
            continue
        plain = title.replace("\u00a0", " ")
        assert re.search(rf"{re.escape(plain)}.*\s{page}$", toc.replace("\u00a0", " "), re.M), title


def test_every_profile_is_pdf_a_2b_with_srgb_output_intent(exports: dict[str, Any]) -> None:
    for profile in ("full", "art30", "communicable"):
        path = exports[profile]["result"].path
        assert path.read_bytes().startswith(b"%PDF-1.7\n")
        with pikepdf.open(path) as pdf:
            assert not pdf.is_encrypted
            (intent,) = pdf.Root.OutputIntents
            assert intent.S == "/GTS_PDFA1" and int(intent.DestOutputProfile.N) == 3
            assert intent.DestOutputProfile.read_bytes()[36:40] == b"acsp"  # an ICC profile
            meta = pdf.open_metadata()
            assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
            info = pdf.trailer.Info
            assert meta["dc:title"] == str(info.Title)
            assert meta["pdf:Producer"] == str(info.Producer)
            assert meta["xmp:CreateDate"].startswith("2026-03-14T")
        assert all(row["emb"] == "yes" for row in fonts(path))
        assert verify_pdf(path).intact  # the PAdES signature sits on the PDF/A file



def subset_tags(path: Path) -> dict[str, set[bytes]]:
    """Each subset tag of the file's embedded fonts (« ABCDEF » of « ABCDEF+DejaVuSans ») with
    the font programs that bear it."""
    tags: dict[str, set[bytes]] = {}
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for font in page.Resources.Font.values():
                tag, _plus, _face = str(font.BaseFont)[1:].partition("+")
                assert re.fullmatch("[A-Z]{6}", tag) and str(font.FontDescriptor.FontName) == str(
                    font.BaseFont
                )
                program = font.FontDescriptor.FontFile2.read_raw_bytes()
                tags.setdefault(tag, set()).add(hashlib.sha256(program).digest())
    return tags


def test_every_font_subset_has_a_tag_of_its_own(exports: dict[str, Any]) -> None:
    """PDF (ISO 32000-1, 9.6.4): different subsets in one file have different tags. A register
    is laid out in several segments, each with its own subsets of the same faces."""
    path = exports["full"]["result"].path
    tags = subset_tags(path)
    assert len(tags) >= 6  # three faces, in the front matter and in the body at least
    assert all(len(programs) == 1 for programs in tags.values()), tags


EXPORT_IMPORTS = """
import json, sys
sys.path.insert(0, sys.argv[1])
from tests.kdf import use_default_policy
use_default_policy()
from registre.cli import run
code = run(["export", sys.argv[2], "--format", "pdf", "--output", sys.argv[3]])
from registre.model import Base
configured = any(mapper.configured for mapper in Base.registry.mappers)
print(json.dumps({"code": code, "modules": sorted(sys.modules), "configured": configured}))
"""


def test_an_export_loads_only_what_it_needs_and_is_recorded(tmp_path: Path) -> None:
    """No network or timestamp client, not the services (a check reads the templates' legal
    bases from the catalogue's file) nor the mapper configuration (the audit entry and the
    publication are written with table statements): the export is recorded all the same, and
    the consent rule still compares an activity with its template."""
    path = tmp_path / "Leger.registre"
    register, _ = create_register(path, PASSPHRASE, context=_context())
    org = services.create_organisation(register, name="Commune de Léger").id
    services.create_activity(
        register,
        organisation_id=org,
        name="Inscriptions scolaires",
        legal_basis="6.1.a",
        template_id="inscriptions-scolaires",  # whose basis is a legal obligation
    )
    ensure_signing_identity(register)  # created by the first export: this is a later one
    register.close()
    root = str(Path(__file__).resolve().parents[2])
    completed = subprocess.run(
        [sys.executable, "-c", EXPORT_IMPORTS, root, str(path), str(tmp_path / "x.pdf")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "REGISTRE_PASSPHRASE": PASSPHRASE},
    )
    report = json.loads(completed.stdout.strip().splitlines()[-1])
    assert report["code"] == 0
    modules = set(report["modules"])
    assert not {m for m in modules if m.split(".")[0] in ("aiohttp", "requests", "pyhanko")}
    assert "_rl_accel" in modules and "PySide6" not in modules
    assert "registre.services" not in modules
    assert not report["configured"]
    digest = hashlib.sha256((tmp_path / "x.pdf").read_bytes()).hexdigest()
    with open_register(path, PASSPHRASE, read_only=True, context=_context()) as register:
        with register.read() as session:
            entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
            assert entry is not None and entry.changes["sha256"] == digest
            assert verify_chain(session).intact
        (changes,) = changes_since_publication(register)
        assert changes.unchanged  # the publication was recorded with the export
    assert "Le consentement convient mal à une mission obligatoire" in flat(
        pdftext(tmp_path / "x.pdf")
    )


def test_same_register_and_time_give_the_same_bytes_in_any_number_of_processes(
    demo_register: Register, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import registre.pdf.render as render
    import registre.pdf.story as story

    ensure_signing_identity(demo_register)
    moment = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)
    constant = Context(clock=lambda: moment, policy=TEST_POLICY)
    monkeypatch.setattr(story, "SEGMENT_SHEETS", 4)  # several segments even for the demo
    outputs = []
    for workers in (1, 2, 1):
        monkeypatch.setattr(render, "worker_count", lambda segments, n=workers: n)
        directory = demo_register.directory
        with open_register(directory, PASSPHRASE, read_only=True, context=constant) as ro:
            result = export_pdf(ro, tmp_path / f"pareil-{len(outputs)}.pdf")
        assert not result.recorded and verify_pdf(result.path).intact
        outputs.append(result.path.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


@needs_poppler
def test_retention_has_its_own_block_and_split_rows_repeat_their_label(
    register: Register, tmp_path: Path
) -> None:
    org = services.create_organisation(register, name="Commune de Coupure").id
    details = "Précisions sur ce destinataire, qui reçoit les dossiers complets. " * 120
    services.create_activity(
        register,
        organisation_id=org,
        name="Traitement aux longues lignes",
        recipients=[{"recipient_type": "internal_service", "name": "Service", "details": details}],
        data_categories=[
            {
                "category": "identity",
                "details": "Nom, prénom",
                "retention_value": 5,
                "retention_unit": "years",
                "retention_start": "la fin du dossier",
                "final_disposition": "archives",
            }
        ],
    )
    result = export_pdf(register, tmp_path / "coupure.pdf")
    text = flat(pdftext(result.path))
    assert "30.1.f · Durées de conservation" in text
    assert "Durée de conservation par catégorie de données (1)" in text
    assert "5 ans à compter de la fin du dossier" in text
    # The data table of 30.1.c no longer repeats the retention columns.
    data_table = text.split("Catégories de données (1)")[1].split("30.1.d")[0]
    assert "Durée de conservation" not in data_table
    # The recipient's row runs over several pages; each continuation names its row.
    assert text.count("Service interne qui traite les données (suite)") >= 2


@needs_poppler
def test_communicable_options_completeness_security_and_elected_officials(
    demo_register: Register, commune_id: str, tmp_path: Path
) -> None:
    default = export_pdf(
        demo_register, tmp_path / "c.pdf", profile="communicable", organisation_id=commune_id
    )
    text = flat(pdftext(default.path))
    assert "Rapport de complétude" not in text  # off by default in the communicable version
    assert "Mme Claire Martin" in text  # the mayor, in her official capacity
    assert "L311-5" not in text
    chosen = export_pdf(
        demo_register,
        tmp_path / "c2.pdf",
        profile="communicable",
        organisation_id=commune_id,
        options=export_model.CommunicableOptions(
            completeness=True, mask_security=True, mask_officials=True
        ),
    )
    text = flat(pdftext(chosen.path))
    assert "Rapport de complétude" in text
    assert "Mme Claire Martin" not in text
    assert "[masqué — article L311-5 2° d du CRPA]" in text
    annex = text.split("Éléments occultés")[-1]
    assert "L311-5" in annex and "Représentant légal" in annex
