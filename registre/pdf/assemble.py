"""Assembly of the rendered segments into the official PDF (pikepdf, a binding of qpdf).

The front matter (cover and contents) comes first, then the body segments in order. Once every
page has its number, the assembly writes what no segment could know:

- « Page x / y » at the foot of every page and the page number of every contents line, as a
  small content stream added to the page (in the font subset the page already uses);
- a link from every contents line to its heading, and the bookmarks (outline), shown when the
  file opens, with the document's title shown instead of its file name;
- the structure tree (tagged PDF, PDF/UA): the elements every segment recorded and wrote as
  the body of an object stream (in the process that laid it out), numbered and appended once
  the file is saved, under one ``Document`` element, with the parent tree that maps each page's
  marked content and each link to its element (``_with_structure``);
- the document information and language;
- when asked, the signature: a signature field whose value reserves room for a CMS signature,
  written once the file's bytes are known (``registre.signing.cms_signature``): the signed byte
  ranges cover the whole file but the signature itself.

Streams the segments compressed are copied as they are (never decoded and compressed again),
and the file is saved with a deterministic identifier: the same document gives the same bytes.

``tag_document`` does the tagging part alone for a document laid out in one piece (the fiche of
one activity).
"""

from __future__ import annotations

import array
import ctypes
import datetime as dt
import hashlib
import io
import itertools
import re
import sys
import warnings
import zlib
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import resources
from typing import Any

import pikepdf

from registre import __version__
from registre.export_model import ExportDocument, clean_text, local_time
from registre.pdf.engine import _rgb, one_line, text_width
from registre.pdf.navigation import TocMark
from registre.pdf.render import FOOTER_Y, RenderedPdf, RenderedSegment, Sign
from registre.pdf.story import SignerInfo
from registre.pdf.styles import FOOTER, MARGIN_X, TOC1
from registre.pdf.tagging import (
    FOOTER_ARTIFACT,
    Node,
    Structure,
    Tagger,
    fill_slots,
    write_structure,
)

SIGNATURE_FIELD = "Registre"
SIGNATURE_ROOM = 16_384  # bytes reserved for the DER signature (certificate chain included)
_RANGE_PLACEHOLDER = [0, 1_111_111_111, 2_222_222_222, 3_333_333_333]


def _show(glyphs: dict[str, tuple[str, str]], size: float, text: str) -> list[str]:
    """Operators showing ``text`` (characters of NUMBER_CHARACTERS) with ``glyphs``."""
    operators: list[str] = []
    font = ""
    for char in text:
        subset, chunk = glyphs[char]
        if subset != font:
            font = subset
            operators.append(f"{subset} {size:g} Tf")
        operators.append(f"({chunk}) Tj")
    return operators


def _overlay(
    glyphs: dict[str, tuple[str, str]],
    number: int,
    total: int,
    toc: Sequence[tuple[TocMark, int | None]],
    first_mcid: int,
) -> bytes:
    """The content stream of what the assembly writes on one page: the page number (an
    artifact) and the page numbers of its contents lines, each marked as content of its line's
    Link element (MCIDs from ``first_mcid``, in the order of ``toc``)."""
    label = f"Page {number} / {total}"
    operators = [
        "q BT",
        FOOTER_ARTIFACT,
        f"{_rgb(FOOTER.color)} rg",
        f"1 0 0 1 {MARGIN_X:.2f} {FOOTER_Y:.2f} Tm",
        *_show(glyphs, FOOTER.size, label),
        "EMC",
    ]
    if toc:
        operators.append(f"{_rgb(TOC1.color)} rg")
        for mcid, (mark, page) in enumerate(toc, first_mcid):
            text = str(page) if page else "—"
            x = mark.right - text_width(text, TOC1)
            operators.append(f"/Link <</MCID {mcid}>> BDC")
            operators.append(f"1 0 0 1 {x:.2f} {mark.baseline:.2f} Tm")
            operators += _show(glyphs, TOC1.size, text)
            operators.append("EMC")
    operators.append("ET Q")
    return "\n".join(operators).encode("latin-1")


_SUBSET_NAME = re.compile(r"/[A-Z]{6}\+(.+)")
_TAG_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _subset_tag(digest: bytes) -> str:
    """Six capital letters drawn from ``digest``."""
    number = int.from_bytes(digest[:8], "big")
    letters = []
    for _ in range(6):
        number, index = divmod(number, 26)
        letters.append(_TAG_LETTERS[index])
    return "".join(letters)


def _distinct_subset_tags(pages: Sequence[Any]) -> None:
    """Give every embedded font subset of ``pages`` (page dictionaries) a tag of its own.

    ReportLab names the first subset of every face « AAAAAA+<face> », and each laid-out segment
    has its own subsets: a register holds many different subsets under one name, where PDF
    (ISO 32000-1, 9.6.4) wants one tag per subset. The tag is taken from the subset's embedded
    font program, so the same document still gives the same bytes.
    """
    done: set[tuple[int, int]] = set()
    owners: dict[str, bytes] = {}  # tag -> the font program that has it
    for page in pages:
        resources = page.get("/Resources")
        fonts = resources.get("/Font") if resources is not None else None
        if fonts is None or fonts.objgen in done:  # a segment's pages share one dictionary
            continue
        if fonts.objgen != (0, 0):
            done.add(fonts.objgen)
        for font in fonts.values():
            if font.objgen in done or font.objgen == (0, 0):
                continue
            done.add(font.objgen)
            named = _SUBSET_NAME.fullmatch(str(font.get("/BaseFont", "")))
            descriptor = font.get("/FontDescriptor")
            program = descriptor.get("/FontFile2") if descriptor is not None else None
            if named is None or program is None:
                continue
            face = named.group(1)
            digest = hashlib.sha256(program.read_raw_bytes() + face.encode()).digest()
            tag = _subset_tag(digest)
            while owners.setdefault(tag, digest) != digest:  # another subset has it
                digest = hashlib.sha256(digest).digest()
                tag = _subset_tag(digest)
            name = pikepdf.Name(f"/{tag}+{face}")
            font.BaseFont = name
            descriptor.FontName = name


def _pdf_date(moment: dt.datetime) -> str:
    local, _zone = local_time(moment)
    offset = local.utcoffset() or dt.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"D:{local:%Y%m%d%H%M%S}{sign}{minutes // 60:02d}'{minutes % 60:02d}'"


def _metadata(text: str) -> str:
    text = one_line(clean_text(text))
    return text if len(text) <= 300 else text[:299] + "…"


def _outline(
    pdf: pikepdf.Pdf, pages: Sequence[Any], entries: Sequence[tuple[int, str, int, float]]
) -> None:
    """Bookmarks from (level, title, page index, top) entries in document order; the first
    level is open (its children shown), deeper levels start closed."""
    root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
    families: list[tuple[Any, int, list[Any]]] = []  # (parent, parent level, children)
    family_of: dict[tuple[int, int], list[Any]] = {}
    stack: list[tuple[int, Any]] = []
    for level, title, page, top in entries:
        item = pdf.make_indirect(
            pikepdf.Dictionary(
                Title=pikepdf.String(title),
                Dest=[pages[page], pikepdf.Name.XYZ, 0, round(top + 6, 2), 0],
            )
        )
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent_level, parent = stack[-1] if stack else (-1, root)
        item.Parent = parent
        siblings = family_of.get(parent.objgen)
        if siblings is None:
            siblings = family_of[parent.objgen] = []
            families.append((parent, parent_level, siblings))
        siblings.append(item)
        stack.append((level, item))
    shown: dict[tuple[int, int], int] = {}  # visible descendants of open items
    for parent, parent_level, items in reversed(families):  # children before their parents
        for previous, following in itertools.pairwise(items):
            previous.Next = following
            following.Prev = previous
        parent.First = items[0]
        parent.Last = items[-1]
        if parent_level >= 1:  # closed: minus the number of its children
            parent.Count = -len(items)
        else:
            visible = len(items) + sum(shown.get(item.objgen, 0) for item in items)
            shown[parent.objgen] = visible
            parent.Count = visible
    pdf.Root.Outlines = root


def assemble(
    document: ExportDocument,
    front: RenderedSegment,
    body: Sequence[RenderedSegment],
    *,
    signer: SignerInfo | None,
    sign: Sign | None,
) -> RenderedPdf:
    """Join ``front`` and ``body`` into one PDF, numbered, linked, described and signed."""
    # The joined document is saved and all its objects released before the structure tree is
    # added: the two never take memory at the same time.
    joined = _joined(document, front, body, signer=signer, signed=sign is not None)
    _return_freed_memory()
    tagger = front.tagger
    assert tagger is not None, "the front matter is laid out by this process"
    link_positions = {id(node): index for index, (_key, node) in enumerate(tagger.links)}
    structures = [
        write_structure(tagger, front.pages),
        *(segment.structure for segment in body if segment.structure is not None),
    ]
    data = _with_structure(
        joined.data,
        structures,
        joined.firsts,
        [link_positions[id(link)] for link in joined.linked],
        sign is not None,
    )
    joined.data = b""
    if sign is not None:
        _sign_in_place(data, sign)
    outline = tuple((level, title, page + 1) for level, title, page, _top in joined.headings)
    return RenderedPdf(bytes(data), joined.pages, outline)


def tag_document(data: bytes, tagger: Tagger, lang: str) -> bytes:
    """A document laid out in one piece (``data``, ReportLab's output) whose flowables recorded
    their structure in ``tagger``, made a tagged PDF: its structure tree, the marks a tagged PDF
    carries (``/MarkInfo``, each page's parent-tree key and tab order), its language ``lang``,
    its title shown rather than its file name, and XMP metadata naming PDF/UA-1."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = len(pdf.pages)
        root = pdf.Root
        root.MarkInfo = pikepdf.Dictionary(Marked=True)
        root.Lang = pikepdf.String(lang)
        root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
        _distinct_subset_tags([page.obj for page in pdf.pages])
        for number, page in enumerate(pdf.pages):
            page.obj.StructParents = number
            page.obj.Tabs = pikepdf.Name.S
        with (
            pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp,
            warnings.catch_warnings(),
        ):
            warnings.simplefilter("ignore")  # ReportLab's /Trapped has no XMP equivalent
            xmp.load_from_docinfo(pdf.trailer.Info)
            xmp["pdfuaid:part"] = "1"
            xmp["dc:language"] = [lang]
        output = io.BytesIO()
        pdf.save(
            output,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
            deterministic_id=True,
            min_version="1.7",
        )
    structure = write_structure(tagger, pages)
    return bytes(_with_structure(output.getvalue(), [structure], [0], [], False))


def _return_freed_memory() -> None:
    """Give the memory the joined documents freed back to the system (glibc keeps it for the
    process otherwise, and the file's buffers that follow would be counted on top of it)."""
    if sys.platform != "linux":
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # another C library (musl): nothing to give back
        return


@dataclass
class _Joined:
    """The segments joined and saved: the file, its page count, the first page of each segment,
    the bookmarks (level, title, page, top) and the Link element of each link annotation."""

    data: bytes
    pages: int
    firsts: list[int]
    headings: list[tuple[int, str, int, float]]
    linked: list[Node]


def _joined(
    document: ExportDocument,
    front: RenderedSegment,
    body: Sequence[RenderedSegment],
    *,
    signer: SignerInfo | None,
    signed: bool,
) -> _Joined:
    """The segments joined behind the front matter, numbered, linked and described, saved."""
    pdf = _open(front.data)
    sources: list[pikepdf.Pdf] = []  # kept open until the file is saved: pages copied lazily
    segments = [front, *body]
    firsts = [0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pages = _append_pages(pdf, sources, [segment.data for segment in body], firsts)
    _distinct_subset_tags([page.obj for page in pages])
    total = len(pages)
    expected = sum(segment.pages for segment in segments)
    if total != expected:
        raise AssertionError(f"{total} pages assembled, {expected} laid out")

    headings: list[tuple[int, str, int, float]] = []
    targets: dict[str, tuple[int, float]] = {}
    for segment, first in zip(segments, firsts, strict=True):
        for heading in segment.headings:
            headings.append((heading.level, heading.title, first + heading.page, heading.top))
            targets[heading.key] = (first + heading.page, heading.top)
    # The front matter comes first in the file but its headings (cover, contents) were drawn
    # last: bookmarks follow the pages.
    headings.sort(key=lambda entry: entry[2])

    toc_by_page: dict[int, list[tuple[TocMark, int | None]]] = {}
    for mark in front.toc:
        target = targets.get(mark.key)
        toc_by_page.setdefault(mark.page, []).append(
            (mark, target[0] + 1 if target is not None else None)
        )
    for segment, first in zip(segments, firsts, strict=True):
        for index in range(segment.pages):
            number = first + index
            stream = pikepdf.Stream(
                pdf,
                _overlay(
                    segment.glyphs,
                    number + 1,
                    total,
                    toc_by_page.get(number, ()),
                    segment.marks[index],
                ),
            )
            pages[number].contents_add(stream, prepend=False)

    tagger = front.tagger
    assert tagger is not None, "the front matter is laid out by this process"
    links = dict(tagger.links)
    linked: list[Any] = []  # the Link element of each link annotation, in their order
    for page_index, marks in toc_by_page.items():
        annotations = []
        for mark, _number in marks:
            link = links[mark.key]
            tagger.mark(link, page_index)  # the page number the overlay drew
            target = targets.get(mark.key)
            if target is None:
                continue
            annotation = pdf.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Annot,
                    Subtype=pikepdf.Name.Link,
                    Rect=[round(value, 2) for value in mark.rect],
                    Border=[0, 0, 0],
                    F=4,
                    Dest=[pages[target[0]].obj, pikepdf.Name.XYZ, 0, target[1] + 6, 0],
                    Contents=pikepdf.String(f"Aller à la page {target[0] + 1}"),
                )
            )
            annotation.StructParent = total + len(linked)
            link.kids.append(len(linked))  # the annotation, as an object reference
            linked.append(link)
            annotations.append(annotation)
        if annotations:
            pages[page_index].obj.Annots = pikepdf.Array(annotations)

    _outline(pdf, [page.obj for page in pages], headings)
    names = document.organisation_names or document.register_name
    words = document.profile.words
    title = _metadata(f"{words.register_title} — {names}")
    root = pdf.Root
    root.PageMode = pikepdf.Name.UseOutlines
    root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=True)
    root.Lang = pikepdf.String("fr-FR")
    created = _pdf_date(document.generated_at)
    pdf.trailer.Info = pdf.make_indirect(
        pikepdf.Dictionary(
            Title=pikepdf.String(title),
            Author=pikepdf.String(_metadata(names)),
            Subject=pikepdf.String(f"RGPD {words.articles} — {words.register_title.lower()}"),
            Keywords=pikepdf.String(f"RGPD, {words.articles}, {words.register_title.lower()}"),
            Creator=pikepdf.String(f"Registre {__version__}"),
            Producer=pikepdf.String(f"Registre {__version__} (ReportLab, qpdf)"),
            CreationDate=pikepdf.String(created),
            ModDate=pikepdf.String(created),
        )
    )
    _archival(pdf)
    if document.audit_head:  # the audit trail's head, readable without the register
        pdf.trailer.Info.RegistreAuditEntries = document.audit_entries
        pdf.trailer.Info.RegistreAuditHead = pikepdf.String(document.audit_head)
    if signed:
        _add_signature_field(pdf, pages[0].obj, document, signer, total + len(linked))
    for number, page in enumerate(pages):
        page.obj.StructParents = number
        page.obj.Tabs = pikepdf.Name.S  # annotations in structure order
    root.MarkInfo = pikepdf.Dictionary(Marked=True)
    output = io.BytesIO()
    pdf.save(
        output,
        compress_streams=False,  # streams stay as the segments compressed them
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        # A cross-reference stream, like the update that adds the structure tree.
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        deterministic_id=True,
        min_version="1.7",
    )
    for each in (*sources, pdf):  # their objects are freed now, not by a later collection
        each.close()
    return _Joined(output.getvalue(), total, firsts, headings, linked)


def _open(data: bytes) -> pikepdf.Pdf:
    """A PDF written by ReportLab or by the assembly, opened as it is stored: their page trees
    carry nothing for pages to inherit, so qpdf's pass pushing inherited attributes down to
    every page (pikepdf's default; a tenth of the assembly's time) is skipped."""
    return pikepdf.open(io.BytesIO(data), inherit_page_attributes=False)


def _append_pages(
    pdf: pikepdf.Pdf, sources: list[pikepdf.Pdf], segments: Sequence[bytes], firsts: list[int]
) -> list[pikepdf.Page]:
    """Every page of ``pdf`` once the pages of ``segments`` (PDFs) are appended to its page
    tree; the first page of each segment is recorded in ``firsts``, each opened source kept in
    ``sources``.

    ReportLab writes flat page trees: each page is copied (what it uses is copied once per
    source) and added to the kids of the tree's root, which gives the same file as
    ``pdf.pages.extend`` in a fifth of the time (that one updates qpdf's list of pages at every
    page). qpdf's list of pages (``pdf.pages``) is then out of date: the pages returned here
    are the ones to use."""
    tree = pdf.Root.Pages
    kids = tree.Kids
    objects = list(kids)
    for data in segments:
        source = _open(data)
        sources.append(source)
        firsts.append(len(objects))
        for page in source.Root.Pages.Kids:
            copied = pdf.copy_foreign(page)
            copied.Parent = tree
            kids.append(copied)
            objects.append(copied)
    tree.Count = len(objects)
    if any(page.get("/Type") != pikepdf.Name.Page for page in objects):
        raise AssertionError("a page tree that is not flat")
    return [pikepdf.Page(page) for page in objects]


def _srgb_profile() -> bytes:
    return (resources.files("registre_resources") / "color" / "sRGB.icc").read_bytes()


def _archival(pdf: pikepdf.Pdf) -> None:
    """What PDF/A-2 asks for beyond embedded fonts and no encryption: an sRGB output intent
    (the colours are device RGB) and XMP metadata agreeing with the document information."""
    profile = pikepdf.Stream(pdf, _srgb_profile())
    profile.N = 3
    pdf.Root.OutputIntents = pikepdf.Array(
        [
            pikepdf.Dictionary(
                Type=pikepdf.Name.OutputIntent,
                S=pikepdf.Name.GTS_PDFA1,
                OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
                Info=pikepdf.String("sRGB IEC61966-2.1"),
                DestOutputProfile=pdf.make_indirect(profile),
            )
        ]
    )
    info = pdf.trailer.Info
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp.load_from_docinfo(info)
        xmp["pdfaid:part"] = "2"
        xmp["pdfaid:conformance"] = "B"
        xmp["pdfuaid:part"] = "1"
        xmp["dc:language"] = ["fr-FR"]
    # PDF/A accepts properties outside its predefined schemas only when the packet describes
    # them: the PDF/UA identification schema is declared as an extension schema.
    packet = pdf.Root.Metadata.read_bytes()
    closing = packet.rfind(b"</rdf:RDF>")
    if closing < 0:
        raise AssertionError("XMP packet without rdf:RDF")
    pdf.Root.Metadata.write(packet[:closing] + _PDFUA_EXTENSION + packet[closing:])


_PDFUA_EXTENSION = b"""<rdf:Description rdf:about="" \
xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" \
xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" \
xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed\
</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
"""


def _add_signature_field(
    pdf: pikepdf.Pdf,
    first: pikepdf.Object,
    document: ExportDocument,
    signer: SignerInfo | None,
    key: int,
) -> None:
    """An invisible signature field on the ``first`` page, its value reserving room for the
    signature (``/Contents``) and for the signed byte ranges (``/ByteRange``)."""
    reason = f"{document.profile.words.export_reason} ({document.profile.label})"
    value = pikepdf.Dictionary(
        Type=pikepdf.Name.Sig,
        Filter=pikepdf.Name("/Adobe.PPKLite"),
        SubFilter=pikepdf.Name("/ETSI.CAdES.detached"),
        ByteRange=_RANGE_PLACEHOLDER,
        Contents=pikepdf.String(b"\0" * SIGNATURE_ROOM),
        M=pikepdf.String(_pdf_date(document.generated_at)),
        Reason=pikepdf.String(reason),
    )
    if signer is not None:
        value.Name = pikepdf.String(signer.name)
    field = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget,
            FT=pikepdf.Name.Sig,
            T=pikepdf.String(SIGNATURE_FIELD),
            V=pdf.make_indirect(value),
            Rect=[0, 0, 0, 0],
            F=132,  # print, locked
            P=first,
            TU=pikepdf.String("Signature électronique du registre"),
            StructParent=key,  # its Form element, in the parent tree
        )
    )
    annotations = first.get("/Annots")
    first.Annots = pikepdf.Array([*(annotations or []), field])
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[field], SigFlags=3)


def _compress_fast(data: bytes) -> bytes:
    """Flate at its fastest level: the structure's text is repetitive, the larger level would
    cost four times the time for a fifth less."""
    return zlib.compress(data, 1)


def _compressed_entries(stream: int, count: int) -> bytes:
    """Cross-reference entries (type 2, 9 bytes each) of ``count`` objects stored in the object
    stream ``stream``, built by slices rather than one by one."""
    entries = bytearray(9 * count)
    entries[0::9] = b"\x02" * count
    for index, byte in enumerate(stream.to_bytes(4)):
        entries[1 + index :: 9] = bytes([byte]) * count
    positions = array.array("I", range(count))
    if sys.byteorder == "little":
        positions.byteswap()
    raw = positions.tobytes()
    for index in range(4):
        entries[5 + index :: 9] = raw[index::4]
    return bytes(entries)


_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")


def _with_structure(
    data: bytes,
    structures: Sequence[Structure],
    firsts: Sequence[int],
    linked: Sequence[int],
    form: bool,
) -> bytearray:
    """``data`` (the saved document) with its structure tree appended as an update.

    The segments' elements become compressed object streams, numbered after the saved file's
    objects; the document element, the structure tree root, the parent tree, the signature
    field's Form element and the catalog (now pointing to the tree) follow, then a
    cross-reference stream. ``linked``: for each link annotation, in order, the position of
    its Link element among the front matter's."""
    saved = _open(data)
    pages = [page.obj.objgen[0] for page in saved.pages]
    front_pages = firsts[1] if len(firsts) > 1 else len(pages)  # the contents' links
    annotations = [
        annotation.objgen[0]
        for page in saved.pages[:front_pages]
        for annotation in page.obj.get("/Annots", ())
        if annotation.get("/Subtype") == "/Link"
    ]
    size = int(saved.trailer.Size)
    root = saved.Root.objgen[0]
    catalog = saved.Root.unparse(resolved=True)
    widget = saved.Root.AcroForm.Fields[0].objgen[0] if form else 0  # the signature field
    info, identifier = saved.trailer.Info.objgen[0], saved.trailer.ID.unparse()
    saved.close()
    found = _STARTXREF.search(data)
    if found is None or len(annotations) != len(linked) or not catalog.endswith(b">>"):
        raise AssertionError("unexpected saved document")
    update: list[bytes] = [] if data.endswith(b"\n") else [b"\n"]  # what follows ``data``
    written = len(data) + len(update)
    # First object number of a run -> its cross-reference entries (9 bytes each).
    entries: dict[int, bytes] = {}

    def plain(number: int, body: bytes) -> None:
        nonlocal written
        entries[number] = b"\x01" + written.to_bytes(4) + bytes(4)
        update.append(b"%d 0 obj\n%s\nendobj\n" % (number, body))
        written += len(update[-1])

    document, tree_root, parent_tree = size, size + 1, size + 2
    number = size + 3
    tops: list[int] = []
    owners: list[int] = []
    link_elements: list[int] = []
    jobs: list[tuple[Structure, int, Sequence[int]]] = []
    for index, structure in enumerate(structures):
        first = number + 1
        number = first + structure.objects
        jobs.append((structure, first, pages[firsts[index] : firsts[index] + structure.pages]))
        tops += [first + top for top in structure.tops]
        owners += [first + structure.elements + page for page in range(structure.pages)]
        if index == 0:
            link_elements = [first + structure.links[position] for position in linked]

    def stream_content(job: tuple[Structure, int, Sequence[int]]) -> bytes:
        structure, first, segment_pages = job
        return _compress_fast(fill_slots(structure, first, segment_pages, annotations, document))

    # zlib lets two threads run together; each filled body is freed once compressed.
    with ThreadPoolExecutor(2) as pool:
        contents = list(pool.map(stream_content, jobs))
    stream = size + 3
    for structure, content in zip(structures, contents, strict=True):
        plain(
            stream,
            b"<</Type/ObjStm/N %d/First %d/Filter/FlateDecode/Length %d>>\nstream\n%s\nendstream"
            % (structure.objects, structure.first, len(content), content),
        )
        entries[stream + 1] = _compressed_entries(stream, structure.objects)
        stream += structure.objects + 1
    if len(owners) != len(pages):
        raise AssertionError(f"{len(owners)} pages of marked content for {len(pages)} pages")
    keys = [b"%d %d 0 R" % (key, owner) for key, owner in enumerate(owners)]
    keys += [b"%d %d 0 R" % (len(pages) + i, link) for i, link in enumerate(link_elements)]
    if form:  # the signature field, tagged as a form field
        plain(
            number,
            b"<</S/Form/P %d 0 R/K [<</Type/OBJR/Obj %d 0 R/Pg %d 0 R>>]>>"
            % (document, widget, pages[0]),
        )
        tops.append(number)
        keys.append(b"%d %d 0 R" % (len(keys), number))
        number += 1
    plain(
        document,
        b"<</S/Document/P %d 0 R/K [%s]>>"
        % (tree_root, b" ".join(b"%d 0 R" % top for top in tops)),
    )
    plain(
        tree_root,
        b"<</Type/StructTreeRoot/K %d 0 R/ParentTree %d 0 R/ParentTreeNextKey %d>>"
        % (document, parent_tree, len(keys)),
    )
    plain(parent_tree, b"<</Nums [%s]>>" % b" ".join(keys))
    plain(root, catalog[:-2] + b" /StructTreeRoot %d 0 R >>" % tree_root)
    xref, xref_offset = number, written
    entries[xref] = b"\x01" + xref_offset.to_bytes(4) + bytes(4)
    table = _compress_fast(b"".join(entries[n] for n in sorted(entries)))
    update.append(
        b"%d 0 obj\n<</Type/XRef/Size %d/Index [%d 1 %d %d]/W [1 4 4]/Root %d 0 R/Info %d 0 R"
        b"/ID %s/Prev %s/Filter/FlateDecode/Length %d>>\nstream\n%s\nendstream\nendobj\n"
        b"startxref\n%d\n%%%%EOF\n"
        % (
            xref,
            xref + 1,
            root,
            size,
            xref + 1 - size,
            root,
            info,
            identifier,
            found.group(1),
            len(table),
            table,
            xref_offset,
        )
    )
    result = bytearray(data)
    for chunk in update:
        result += chunk
    return result


_RANGE = re.compile(rb"/ByteRange\s*\[\s*0\s+1111111111\s+2222222222\s+3333333333\s*\]")


def _sign_in_place(data: bytearray, sign: Sign) -> None:
    """Write ``data``'s byte ranges and signature in the room reserved for them (in place:
    the file is not copied again)."""
    hole = b"<" + b"00" * SIGNATURE_ROOM + b">"
    start = data.find(hole)
    found = _RANGE.search(data)
    if start < 0 or found is None or data.find(hole, start + 1) >= 0:
        raise AssertionError("signature placeholder not found once")
    end = start + len(hole)
    ranges = f"/ByteRange [0 {start} {end} {len(data) - end}]".encode("ascii")
    width = found.end() - found.start()
    if len(ranges) > width:
        raise AssertionError("byte range does not fit its placeholder")
    data[found.start() : found.end()] = ranges[:-1] + b" " * (width - len(ranges)) + b"]"
    digest = hashlib.sha256()
    with memoryview(data) as view:
        digest.update(view[:start])
        digest.update(view[end:])
    signature = sign(digest.digest())
    if len(signature) > SIGNATURE_ROOM:
        raise AssertionError("signature larger than the room reserved for it")
    contents = b"<" + signature.hex().upper().encode("ascii")
    data[start:end] = contents + b"0" * (len(hole) - len(contents) - 1) + b">"


__all__ = ["SIGNATURE_FIELD", "assemble", "tag_document"]
