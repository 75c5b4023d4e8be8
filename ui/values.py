"""How register values are shown and searched: one rendering per field kind of the schema."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from functools import cache, lru_cache
from typing import Any

from PySide6.QtCore import QCoreApplication

from registre.schema import Entity, Field, Kind
from registre.vocabularies import vocabulary
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


def format_date(value: dt.date | str | None) -> str:
    """A date as dd/mm/yyyy (empty for None)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


def format_timestamp(value: dt.datetime) -> str:
    """A stored UTC time shown in local time as dd/mm/yyyy hh:mm."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return aware.astimezone().strftime("%d/%m/%Y %H:%M")


FRENCH_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
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
    month = FRENCH_MONTHS[local.month - 1]
    return f"le {day} {month} {local.year} à {local.hour} h {local.minute:02d}"


def lower_first(text: str) -> str:
    """``text`` with its first letter in lower case (acronyms such as « CNIL » kept)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def yes_no(value: bool | None) -> str:
    """« Oui », « Non », or empty when unknown."""
    if value is None:
        return ""
    if value:
        return QCoreApplication.translate("values", "Oui")
    return QCoreApplication.translate("values", "Non")


def choice_label(spec: Field, key: str) -> str:
    """Label of ``key`` in the field's own choices or in its vocabulary."""
    if spec.choices:
        return spec.choice_label(key, language())
    return vocabulary(spec.vocabulary).label(key, language())


def format_value(spec: Field, value: Any, names: Mapping[str, str] | None = None) -> str:
    """``value`` of ``spec`` as the user reads it; empty when there is no value.

    ``names`` maps identifiers of referenced records (processors, software) to their names.
    """
    if value in (None, "", []):
        return ""
    kind = spec.kind
    if kind == Kind.CHOICE:
        return choice_label(spec, value)
    if kind == Kind.MULTICHOICE:
        return ", ".join(choice_label(spec, key) for key in value)
    if kind == Kind.BOOL:
        return yes_no(value)
    if kind == Kind.DATE:
        return format_date(value)
    if kind == Kind.DATETIME:
        moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
        return format_timestamp(moment)
    if kind in (Kind.REFERENCE, Kind.REFERENCES):
        identifiers = [value] if kind == Kind.REFERENCE else value
        known = names or {}
        return ", ".join(known.get(identifier, identifier) for identifier in identifiers)
    return str(value)


_SHORTENED = frozenset({"role", "legal_basis", "status"})


@cache
def _short_labels(_lang: str) -> dict[tuple[str, str], str]:
    """Short list labels of long choices (the full label stays in the tooltip)."""
    translate = QCoreApplication.translate
    return {
        ("role", "controller"): translate("values", "Responsable"),
        ("role", "processor"): translate("values", "Sous-traitant"),
        ("legal_basis", "6.1.a"): translate("values", "Consentement"),
        ("legal_basis", "6.1.b"): translate("values", "Contrat"),
        ("legal_basis", "6.1.c"): translate("values", "Obligation légale"),
        ("legal_basis", "6.1.d"): translate("values", "Intérêts vitaux"),
        ("legal_basis", "6.1.e"): translate("values", "Mission publique"),
        ("legal_basis", "6.1.f"): translate("values", "Intérêts légitimes"),
        ("status", "validated"): translate("values", "Validé DPO"),
    }


def short_value(spec: Field, value: Any) -> str:
    """A short label for a list column (« Mission publique »); empty when there is none."""
    if not isinstance(value, str):
        return ""
    if spec.key not in _SHORTENED:
        return ""
    return _short_labels(language()).get((spec.key, value), "")


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
