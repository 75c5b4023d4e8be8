"""How register values are shown and searched in the application.

Every value reads as ``registre.presentation`` writes it (list style, interface language);
this module adds what only a screen needs: folded search text, sort keys, one-line cells.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from registre import presentation
from registre.presentation import MONTHS
from registre.schema import Entity, Field, Kind
from registre_ui.i18n import language

# Ligatures that NFKD leaves alone but a French user types as two letters.
_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})
# The Unicode blocks of combining diacritical marks (what NFKD splits accents into).
_COMBINING_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@lru_cache(maxsize=16_384)  # lists repeat the same services, statuses and dates
def fold_text(text: str) -> str:
    """``text`` without accents, ligatures or case, for searching (« École » → « ecole »)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return _COMBINING_MARKS.sub("", decomposed).casefold()


ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_moment(value: dt.datetime | str) -> str:
    """A moment in local time, as a sentence says it: « le 2 décembre 2026 à 14 h 05 »
    ("2 December 2026 at 14:05"); an ISO text that cannot be read is given back as is."""
    if isinstance(value, str):
        text = value
        try:
            value = dt.datetime.fromisoformat(text)
        except ValueError:
            return text
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    local = aware.astimezone()
    if language() == "en":
        return f"{local.day} {ENGLISH_MONTHS[local.month - 1]} {local.year} at {local:%H:%M}"
    day = "1er" if local.day == 1 else str(local.day)
    month = MONTHS[local.month - 1]
    return f"le {day} {month} {local.year} à {local.hour} h {local.minute:02d}"


def format_value(spec: Field, value: Any, names: Mapping[str, str] | None = None) -> str:
    """``registre.presentation.format_value`` in the interface language (list style).

    ``names`` maps identifiers of referenced records (processors, software) to their names.
    """
    return presentation.format_value(spec, value, lang=language(), names=names)


def short_value(spec: Field, value: Any) -> str:
    """The short label a list column shows (« Mission publique »), declared in the schema;
    empty when there is none (the full label then stays in the tooltip)."""
    return presentation.short_choice_label(spec, value, language())


def typed_sort_key(spec: Field, value: Any) -> str | int | None:
    """What a column of ``spec`` sorts on when its text would sort wrongly (numbers, dates).

    None means: sort on the displayed text, without accents or case.
    """
    if spec.kind == Kind.INTEGER:
        return value if isinstance(value, int) else -1
    if spec.kind in (Kind.DATE, Kind.DATETIME):
        return value.isoformat() if isinstance(value, dt.date) else str(value or "")
    return None


def plural_label(entity: Entity) -> str:
    """Plural label of ``entity`` in the interface language."""
    return entity.plural_en if language() == "en" else entity.plural_fr


def one_line(text: str) -> str:
    """``text`` on one line, for table cells (line breaks become « · »)."""
    if "\n" not in text and "\r" not in text:
        return text.strip()
    return " · ".join(part.strip() for part in text.splitlines() if part.strip())
