"""TrueType faces parsed once, then read back: an export does not parse DejaVu Sans again.

ReportLab reads a whole TTF file and walks its tables in Python (about 20 ms a face) for the
widths, the character map and the glyph positions its subsets need. What it found is saved
once per font file and ReportLab version in the data folder (``cache/fonts``, with ``marshal``:
numbers, strings and containers only, as Python's own bytecode cache) and read back by the next
process. A missing, unreadable or unexpected entry means parsing the file, as without a cache;
an entry that cannot be written is simply not kept; a new entry replaces the font's older ones.
"""

from __future__ import annotations

import hashlib
import io
import marshal
from contextlib import suppress
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from reportlab import Version
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from registre.errors import RegistreError
from registre.files import make_private_directory, write_atomic
from registre.paths import data_dir

CACHE_FORMAT = 1
_FACE_NOT_KEPT = ("_ttf_data", "_pdfScale")  # the file itself; a function of unitsPerEm
_FONT_NOT_KEPT = ("face", "encoding", "state")  # made anew, as ReportLab makes them


def cache_folder() -> Path:
    """Where parsed faces are kept."""
    return data_dir() / "cache" / "fonts"


def load_font(name: str, data: bytes) -> TTFont:
    """The ReportLab font ``name`` of the TTF file ``data``, parsed or read from the cache."""
    key = hashlib.sha256(
        f"{CACHE_FORMAT}|{Version}|{marshal.version}|{name}|".encode() + data
    ).hexdigest()
    path = cache_folder() / f"{name}-{key[:32]}.marshal"
    with suppress(Exception):  # not kept yet, or not as expected: parsed below
        # Written by this function into the private data folder, like Python's bytecode cache.
        return _restore(marshal.loads(path.read_bytes()), data)  # noqa: S302
    font = TTFont(name, io.BytesIO(data))
    try:
        blob = marshal.dumps(_state(font))
        make_private_directory(path.parent)
        for older in path.parent.glob(f"{name}-*.marshal"):  # another file or ReportLab version
            if older.stem.rpartition("-")[0] == name:
                older.unlink(missing_ok=True)
        write_atomic(path, blob)
    except (OSError, ValueError, RegistreError):
        pass  # an attribute marshal cannot write, or no room: parsed again next time
    return font


def _state(font: TTFont) -> tuple[dict[str, Any], dict[str, Any], dict[str, tuple[bytes, str]]]:
    face = vars(font.face)
    names = {k: (bytes(v), v.ustr) for k, v in face.items() if isinstance(v, TTFNameBytes)}
    face_state = {k: v for k, v in face.items() if k not in _FACE_NOT_KEPT and k not in names}
    font_state = {k: v for k, v in vars(font).items() if k not in _FONT_NOT_KEPT}
    return font_state, face_state, names


def _restore(state: Any, data: bytes) -> TTFont:
    font_state, face_state, names = state
    face = TTFontFace.__new__(TTFontFace)
    vars(face).update(face_state)
    for key, (raw, text) in names.items():
        value = TTFNameBytes(raw)
        if value.ustr != text:
            raise ValueError("name changed")
        setattr(face, key, value)
    face._ttf_data = data
    units = face.unitsPerEm
    face._pdfScale = (lambda x: x) if units == 1000 else (lambda x, m=1000 / units: x * m)
    font = TTFont.__new__(TTFont)
    vars(font).update(font_state)
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    return font
