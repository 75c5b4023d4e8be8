"""Reading back what the cover of an exported PDF prints (for ``registre verify``).

An auditor reads the signing certificate's fingerprint on the cover of the register; ``verify``
must compare the certificate that actually signed the file with *that* printed text, not with
metadata a forger could set apart. The text of the first page is decoded from its content
streams through each font's ``/ToUnicode`` map (pikepdf), in drawing order, which for Registre's
exports is the reading order (each table cell's lines follow its label).
"""

from __future__ import annotations

import io
import re
from typing import Any

FINGERPRINT_LABEL = "Empreinte du certificat (SHA-256)"
_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]+)>")


def _unicode_map(font: Any) -> dict[int, str]:
    """Character code -> text, from a simple font's ``/ToUnicode`` CMap."""
    mapping: dict[int, str] = {}
    stream = font.get("/ToUnicode")
    if stream is None:
        return mapping
    data = bytes(stream.read_bytes())
    for section in _BFCHAR.findall(data):
        values = _HEX.findall(section)
        for code, text in zip(values[::2], values[1::2], strict=False):
            mapping[int(code, 16)] = bytes.fromhex(text.decode("ascii")).decode("utf-16-be")
    for section in _BFRANGE.findall(data):
        values = _HEX.findall(section)
        for low, high, start in zip(values[::3], values[1::3], values[2::3], strict=False):
            first = int.from_bytes(bytes.fromhex(start.decode("ascii")), "big")
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping


def first_page_lines(data: bytes) -> list[str]:
    """The text lines of the first page of the PDF ``data``, in drawing order."""
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        resources: Any = page.obj.get("/Resources", {})
        fonts: Any = resources.get("/Font", {})
        maps: dict[str, dict[int, str]] = {}
        lines: list[str] = []
        current: list[str] = []
        mapping: dict[int, str] = {}
        for instruction in pikepdf.parse_content_stream(page):
            if not isinstance(instruction, pikepdf.ContentStreamInstruction):
                continue
            operands, name = instruction.operands, str(instruction.operator)
            if name == "Tf":
                key = str(operands[0])
                if key not in maps:
                    font = fonts.get(key)
                    maps[key] = _unicode_map(font) if font is not None else {}
                mapping = maps[key]
            elif name in ("Tj", "'", '"'):
                current.append("".join(mapping.get(b, "") for b in bytes(operands[-1])))
            elif name == "TJ":
                for item in operands[0]:
                    if isinstance(item, pikepdf.String):
                        current.append("".join(mapping.get(b, "") for b in bytes(item)))
            elif name in ("Tm", "T*", "Td", "TD", "ET") and current:
                lines.append("".join(current))
                current = []
        if current:
            lines.append("".join(current))
    return lines


_PRINTED = re.compile(
    r"Empreinte du certificat\s*\(SHA-256\)\s*:\s*((?:[0-9A-Fa-f]{4}\s*){16})(?![0-9A-Fa-f])"
)


def printed_fingerprint(data: bytes) -> str | None:
    """The certificate fingerprint the cover prints (64 lowercase hex digits), or None."""
    text = "\n".join(first_page_lines(data)).replace("\u00a0", " ")
    found = _PRINTED.search(text)
    return re.sub(r"\s+", "", found.group(1)).lower() if found else None


__all__ = ["FINGERPRINT_LABEL", "first_page_lines", "printed_fingerprint"]
