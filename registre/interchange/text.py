"""Reading and writing field values as spreadsheet or CSV text, driven by the field schema.

Everything a person types in a cell goes through here: placeholders (« Non concerné », « — »…)
become empty, doubly encoded UTF-8 is repaired, dates written as text or as spreadsheet serial
numbers become dates, and choice labels (French, English, the CNIL template's own wording) become
vocabulary keys. The reverse direction renders values with their French labels, so an export
reads naturally and imports back to the same keys.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import ftfy

from registre.presentation import (
    MONTHS,
    SHEET,
    choice_label,
    format_value,
    no_legal_basis,
    retention_text,
)
from registre.schema import DATA_CATEGORY, Field, Kind
from registre.synonyms import NO_ITEM_WORDINGS, TERM_WORDINGS, UNFILLED_WORDINGS
from registre.vocabularies import vocabulary

# --------------------------------------------------------------------------------------------
# Normalisation
# --------------------------------------------------------------------------------------------

_NON_WORD = re.compile(r"[^0-9a-z]+")
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_STOPWORDS = frozenset(
    [
        "l",
        "d",
        "le",
        "la",
        "les",
        "de",
        "du",
        "des",
        "a",
        "au",
        "aux",
        "en",
        "un",
        "une",
        "the",
        "of",
        "for",
        "to",
        "and",
        "et",
        "ou",
        "or",
        "sa",
        "son",
        "ses",
    ]
)


# Text our CSV export prefixes with « ' » so spreadsheets never take it for a formula.
FORMULA_GUARDED = ("=", "+", "-", "@", "'", "\t", "\r")


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """Lower case, no accents, punctuation as single spaces: « N° / RÉF » → « n ref ».

    Cached: an imported file repeats the same values on many rows.
    """
    if text.isascii():
        return _NON_WORD.sub(" ", text.lower()).strip()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    return _NON_WORD.sub(" ", stripped).strip()


@lru_cache(maxsize=65536)
def match_key(text: str) -> str:
    """``normalise`` without articles and small words, for lenient label comparison."""
    return " ".join(word for word in normalise(text).split() if word not in _STOPWORDS)


def without_parentheses(text: str) -> str:
    """``text`` with its parenthesised asides removed."""
    return _PARENTHESES.sub(" ", text)


# --------------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------------

NO_ITEM = "no_item"
UNFILLED = "unfilled"
_MARKERS = re.compile(r"\((?:e|s|es|x|e\)\(s)\)", re.IGNORECASE)  # « concerné(e)(s) »
_NO_ITEM = frozenset(normalise(_MARKERS.sub("", text)) for text in NO_ITEM_WORDINGS)
_UNFILLED = frozenset(normalise(_MARKERS.sub("", text)) for text in UNFILLED_WORDINGS)
_NO_ITEM_MARKS = frozenset("-–—/\\.?")
# One-word placeholders that may start a longer « nothing » sentence (« Aucun transfert »);
# other single words (« NA », « NC ») need punctuation after them (« NA - voir contrat »).
_OPENING_WORDS = frozenset({"aucun", "aucune", "neant", "none", "nil"})
_FOLLOWER = re.compile(r"^\s*[(\[:;,.\-–—/]")
_FIRST_TOKEN = re.compile(r"[^\s/.()\[\]:;,\-–—]+")
_FIRST_WORDS = frozenset(key.split()[0] for key in _NO_ITEM | _UNFILLED if key)
_TOKEN = re.compile(r"\S+")


# A UTF-8 lead byte read as Windows-1252 followed by a continuation byte read the same way:
# the trace of text encoded twice (« donnÃ©es »). Only such cells are handed to ftfy.
_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
    "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)


@dataclass
class Repairs:
    """Counts what cleaning changed, to be reported to the user."""

    mojibake: int = 0
    examples: list[tuple[str, str]] = field(default_factory=list)


def repair_text(text: str, repairs: Repairs | None = None) -> str:
    """``text`` with doubly encoded UTF-8 repaired (« donnÃ©es » → « données »)."""
    if not _MOJIBAKE.search(text):
        return text
    fixed = ftfy.fix_encoding(text)
    if fixed != text and repairs is not None:
        repairs.mojibake += 1
        if len(repairs.examples) < 3:
            repairs.examples.append((text[:60], fixed[:60]))
    return fixed


def placeholder_kind(text: str) -> str | None:
    """NO_ITEM for « Non applicable », « Sans objet », « - »…; UNFILLED for « À compléter » or
    the template's « Sélectionnez un élément… »; None for real content.

    A placeholder followed by more text (« Non concerné (aucun transfert) ») is a placeholder
    too: ``placeholder_rest`` gives what follows it.
    """
    stripped = (_MARKERS.sub("", text) if "(" in text else text).strip()
    if not stripped:
        return None
    if all(char in _NO_ITEM_MARKS or char.isspace() for char in stripped):
        return NO_ITEM
    first = _FIRST_TOKEN.match(stripped)
    if first is None or normalise(first.group(0)) not in _FIRST_WORDS:
        return None  # no placeholder starts with this word: the usual case, decided quickly
    key = normalise(stripped)
    if key in _NO_ITEM:
        return NO_ITEM
    if key in _UNFILLED:
        return UNFILLED
    found = _leading_placeholder(stripped)
    return found[0] if found else None


def _leading_placeholder(text: str) -> tuple[str, str] | None:
    """(kind, the rest) when ``text`` starts with a placeholder followed by more words."""
    tokens = list(_TOKEN.finditer(text))
    for count in range(min(len(tokens), 5), 0, -1):
        key = normalise(text[: tokens[count - 1].end()])
        kind = NO_ITEM if key in _NO_ITEM else UNFILLED if key in _UNFILLED else None
        if kind is None:
            continue
        rest = text[tokens[count - 1].end() :]
        if " " in key or key in _OPENING_WORDS or _FOLLOWER.match(rest):
            return kind, rest.strip(" \t\n:;,.-–—()[]/")
    return None


def placeholder_rest(text: str) -> str | None:
    """What follows a leading placeholder (« Sans objet - hébergé en France » → « hébergé en
    France »; « Néant » → « »), or None when ``text`` is not a placeholder."""
    stripped = _MARKERS.sub("", text).strip()
    if placeholder_kind(stripped) is None:
        return None
    found = _leading_placeholder(stripped)
    return found[1] if found else ""


def is_placeholder(text: str) -> bool:
    """True for text that only means "nothing here" (no text after the placeholder)."""
    return placeholder_rest(text) == ""


def clean(value: Any, repairs: Repairs | None = None) -> Any:
    """A cell value, with text trimmed and repaired; empty text becomes None.

    Placeholders are kept (``placeholder_kind`` tells them apart), so whoever reads the cell
    decides what « Sans objet » means where it stands.
    """
    if value is None or value == "":
        return None
    if isinstance(value, str):
        text = repair_text(value.replace("\r\n", "\n").replace("\r", "\n"), repairs).strip()
        if text.startswith("'") and text[1:2] in FORMULA_GUARDED:
            text = text[1:]  # the guard our CSV export puts before formula-like text
        return text or None
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def as_text(value: Any) -> str | None:
    """A cleaned cell value as text (numbers without a useless ".0")."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------------------------
# Dates, numbers, yes/no
# --------------------------------------------------------------------------------------------

_EXCEL_EPOCH = dt.date(1899, 12, 30)
MAX_INTEGER = 1_000_000
_MONTHS = {
    **{normalise(name): index for index, name in enumerate(MONTHS, start=1)},
    **{
        name: index
        for index, name in enumerate(
            [
                "january",
                "february",
                "march",
                "april",
                "may",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
            ],
            start=1,
        )
    },
    **{
        name: index
        for index, name in enumerate(
            [
                "janv",
                "fevr",
                "mars",
                "avr",
                "mai",
                "juin",
                "juil",
                "aout",
                "sept",
                "oct",
                "nov",
                "dec",
            ],
            start=1,
        )
    },
    **{
        name: index
        for index, name in enumerate(
            ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
            start=1,
        )
    },
}
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_WORDS = re.compile(r"^(\d{1,2})(?:er)?\s+([a-z]+)\.?\s+(\d{4})$")


def serial_to_date(serial: float) -> dt.date:
    """A spreadsheet serial day number (1900 date system) as a date."""
    if not 1 <= serial < 2958466:
        raise ValueError("serial out of range")
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def parse_date(value: Any) -> dt.date:
    """A date from a date cell, a serial number or text (ISO, 13/05/2019, 13 mai 2019)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError("not a date")
    if isinstance(value, int | float):
        return serial_to_date(float(value))
    text = str(value).strip()
    if re.fullmatch(r"\d{5}(?:\.\d+)?", text):
        return serial_to_date(float(text))
    if found := _ISO.match(text):
        year, month, day = (int(part) for part in found.groups())
        return dt.date(year, month, day)
    if found := _DMY.match(text):
        day, month = int(found.group(1)), int(found.group(2))
        year_text = found.group(3)
        year = int(year_text)
        if len(year_text) == 2:
            year += 2000 if year < 70 else 1900
        return dt.date(year, month, day)
    if found := _WORDS.match(normalise(text).replace(" er ", "er ")):
        month_number = _MONTHS.get(found.group(2))
        if month_number:
            return dt.date(int(found.group(3)), month_number, int(found.group(1)))
    raise ValueError("not a date")


def parse_integer(value: Any) -> int:
    """A whole number from a number cell or text."""
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise ValueError("not a whole number")
        if not 0 <= value <= MAX_INTEGER:
            raise ValueError("out of range")
        return int(value)
    text = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if re.fullmatch(r"\d{1,7}(?:[.,]0+)?", text):
        number = int(re.split(r"[.,]", text)[0])
        if number <= MAX_INTEGER:
            return number
    raise ValueError("not a whole number")


_TRUE = frozenset({"oui", "o", "yes", "y", "vrai", "true", "1", "x"})
_FALSE = frozenset({"non", "n", "no", "faux", "false", "0"})


def parse_bool(value: Any) -> bool:
    """Yes or no from a boolean cell or text (oui / non / yes / no / vrai / faux / 1 / 0)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    key = normalise(str(value))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError("not yes or no")


# --------------------------------------------------------------------------------------------
# Choices: labels, keys, synonyms → keys
# --------------------------------------------------------------------------------------------


def _aliases(name: str) -> dict[str, str]:
    """Wordings of ``name``'s terms declared in ``registre.synonyms`` (match key → term)."""
    found: dict[str, str] = {}
    for key, wordings in TERM_WORDINGS.get(name, {}).items():
        for wording in wordings:
            for variant in (wording, without_parentheses(wording)):
                if match_key(variant):
                    found.setdefault(match_key(variant), key)
    return found


# Article references written freely: « art. 6.1.c », « 6-1-c », « 9(2)(a) ».
_ARTICLE = {
    "legal_bases": (re.compile(r"\b6\D{0,3}1\D{0,3}([a-f])\b"), "6.1.{}"),
    "art9_conditions": (re.compile(r"\b9\D{0,3}2\D{0,3}([a-j])\b"), "9.2.{}"),
}


@dataclass(frozen=True)
class Option:
    """One allowed key with the labels it may be written as."""

    key: str
    label_fr: str
    label_en: str
    extra_names: tuple[str, ...] = ()


class Resolver:
    """Turns what a person wrote into one key of a closed list, or None."""

    def __init__(self, name: str, options: Sequence[Option]) -> None:
        self.name = name
        self.options = tuple(options)
        self.keys = {option.key.casefold(): option.key for option in self.options}
        self.resolved: dict[str, str | None] = {}
        self.exact: dict[str, str] = {}
        self.labels: list[tuple[str, str]] = []  # (match key of a label, key)
        for option in self.options:
            for text in (option.label_fr, option.label_en, *option.extra_names):
                for variant in (text, without_parentheses(text)):
                    key = match_key(variant)
                    if key:
                        self.exact.setdefault(key, option.key)
                        self.labels.append((key, option.key))
        for alias, key in _aliases(name).items():
            self.exact.setdefault(alias, key)

    def resolve(self, text: str) -> str | None:
        """The key ``text`` designates, or None when it is not understood."""
        if text in self.resolved:
            return self.resolved[text]
        key = self._resolve(text)
        if len(self.resolved) < 50_000:  # a file repeats the same wordings on many rows
            self.resolved[text] = key
        return key

    def _resolve(self, text: str) -> str | None:
        raw = text.strip()
        if raw.casefold() in self.keys:
            return self.keys[raw.casefold()]
        if self.name in _ARTICLE:
            pattern, shape = _ARTICLE[self.name]
            article = pattern.search(normalise(raw).replace(" ", "."))
            if article:
                return shape.format(article.group(1))
        for candidate in (raw, without_parentheses(raw)):
            key = match_key(candidate)
            if key in self.exact:
                return self.exact[key]
        key = match_key(without_parentheses(raw)) or match_key(raw)
        if not key:
            return None
        return self._closest(key)

    def _closest(self, key: str) -> str | None:
        """A label the text starts, contains or mostly covers, when only one key fits."""
        words = set(key.split())
        prefix = {k for label, k in self.labels if len(key) >= 5 and label.startswith(key + " ")}
        if len(prefix) == 1:
            return prefix.pop()
        contained = {
            k for label, k in self.labels if len(label) >= 8 and f" {label} " in f" {key} "
        }
        if len(contained) == 1:
            return contained.pop()
        best: dict[str, float] = {}
        for label, k in self.labels:
            label_words = set(label.split())
            if len(label_words) < 3:
                continue
            coverage = len(words & label_words) / len(label_words)
            precision = len(words & label_words) / len(words)
            score = min(coverage, precision)
            if score >= 0.75:
                best[k] = max(best.get(k, 0.0), score)
        if len(best) == 1:
            return next(iter(best))
        if len(best) > 1:
            ranked = sorted(best.values(), reverse=True)
            if ranked[0] - ranked[1] >= 0.1:
                return max(best, key=lambda k: best[k])
        return None


def options_of(spec: Field) -> list[Option]:
    """The allowed keys of a CHOICE / MULTICHOICE field with their labels."""
    if spec.choices:
        return [Option(c.key, c.label_fr, c.label_en) for c in spec.choices]
    options = []
    for term in vocabulary(spec.vocabulary).terms:
        extra = tuple(
            str(term.extra[name])
            for name in ("code",)
            if isinstance(term.extra.get(name), str) and len(str(term.extra[name])) > 1
        )
        options.append(Option(term.key, term.label_fr, term.label_en, extra))
    return options


_RESOLVERS: dict[str, Resolver] = {}


def resolver(spec: Field) -> Resolver:
    """The resolver for ``spec``'s closed list (shared by every field using the same list)."""
    name = spec.vocabulary or spec.key
    if name not in _RESOLVERS:
        _RESOLVERS[name] = Resolver(name, options_of(spec))
    return _RESOLVERS[name]


# --------------------------------------------------------------------------------------------
# A value of any kind, from a cell and back
# --------------------------------------------------------------------------------------------


class NotUnderstood(ValueError):
    """A cell whose content cannot be turned into a value of its field."""

    def __init__(self, reason_fr: str, reason_en: str) -> None:
        super().__init__(reason_en)
        self.reason_fr = reason_fr
        self.reason_en = reason_en


_LIST_SPLIT = re.compile(r"\s*(?:\n|;|•)\s*")


def split_items(text: str) -> list[str]:
    """Items of a list written in one cell, one per line or separated by semicolons."""
    return [item for item in (part.strip(" -–—\t") for part in _LIST_SPLIT.split(text)) if item]


def parse_value(spec: Field, value: Any) -> Any:
    """The value ``spec`` stores for a cleaned cell, or NotUnderstood.

    REFERENCE / REFERENCES fields return names (resolved to records by the importer).
    """
    if value is None:
        return [] if spec.kind in (Kind.MULTICHOICE, Kind.REFERENCES) else None
    kind = spec.kind
    if kind == Kind.DATE:
        try:
            return parse_date(value)
        except (ValueError, OverflowError):
            raise NotUnderstood(
                f"date illisible « {as_text(value)} »", f"unreadable date “{as_text(value)}”"
            ) from None
    if kind == Kind.INTEGER:
        try:
            return parse_integer(value)
        except ValueError:
            raise NotUnderstood(
                f"nombre entier attendu, « {as_text(value)} »",
                f"whole number expected, “{as_text(value)}”",
            ) from None
    if kind == Kind.BOOL:
        try:
            return parse_bool(value)
        except ValueError:
            raise NotUnderstood(
                f"oui ou non attendu, « {as_text(value)} »",
                f"yes or no expected, “{as_text(value)}”",
            ) from None
    text = as_text(value) or ""
    if kind == Kind.CHOICE:
        if spec.key == "legal_basis" and no_legal_basis(text):
            return None  # a law-enforcement activity's « Base légale », as exported
        key = resolver(spec).resolve(text)
        if key is None:
            raise NotUnderstood(f"choix non reconnu « {text} »", f"unrecognised choice “{text}”")
        return key
    if kind == Kind.MULTICHOICE:
        keys = []
        for item in split_items(text):
            key = resolver(spec).resolve(item)
            if key is None:
                raise NotUnderstood(
                    f"choix non reconnu « {item} »", f"unrecognised choice “{item}”"
                )
            keys.append(key)
        return list(dict.fromkeys(keys))
    if kind == Kind.REFERENCES:
        return list(dict.fromkeys(split_items(text)))
    return text


def render_value(spec: Field, value: Any, names: dict[str, str] | None = None) -> Any:
    """A stored value as a cell: labels for choices, Oui/Non, dates kept as dates.

    ``names`` maps record ids to names for REFERENCE / REFERENCES fields.
    """
    if value is None or value == []:
        return None
    if spec.kind in (Kind.CHOICE, Kind.MULTICHOICE, Kind.BOOL, Kind.REFERENCE, Kind.REFERENCES):
        return format_value(spec, value, style=SHEET, names=names)
    return value


# --------------------------------------------------------------------------------------------
# Retention periods written as one sentence
# --------------------------------------------------------------------------------------------

_DURATION = re.compile(
    r"^\s*(\d{1,6})\s*(jours?|j|semaines?|mois|ans?|ann[ée]es?|days?|weeks?|months?|years?)\b"
    r"[\s,.;:]*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_UNLIMITED = re.compile(
    r"^\s*(sans limite(?: de dur[ée]e)?|no time limit|illimit[ée]e?|conservation d[ée]finitive|"
    r"d[ée]finitive?|permanente?|unlimited|indefinitely)\b[\s,.;:]*(.*)$",
    re.IGNORECASE | re.DOTALL,
)
_START = re.compile(
    r"^(?:à|a)\s+compter\s+(?:de\s+(?=\S))?|^(?:à|a)\s+partir\s+(?:de\s+(?=\S))?|^apr[èe]s\s+|"
    r"^from\s+|^after\s+",
    re.IGNORECASE,
)
_UNITS = {
    "j": "days",
    "jour": "days",
    "jours": "days",
    "day": "days",
    "days": "days",
    "mois": "months",
    "month": "months",
    "months": "months",
    "an": "years",
    "ans": "years",
    "annee": "years",
    "annees": "years",
    "year": "years",
    "years": "years",
}


def render_retention(row: dict[str, Any]) -> str | None:
    """The retention of a data category as the sentence the CNIL template expects.

    « 5 ans à compter de la fin de l'année scolaire », then on separate lines the final
    disposition and the reference, each introduced by its field label.
    """
    first = retention_text(row, style=SHEET)
    lines = [first] if first else []
    if row.get("final_disposition"):
        spec = DATA_CATEGORY.field("final_disposition")
        lines.append(f"{spec.label_fr} : {choice_label(spec, row['final_disposition'])}")
    if row.get("retention_source"):
        spec = DATA_CATEGORY.field("retention_source")
        lines.append(f"{spec.label_fr} : {row['retention_source']}")
    return "\n".join(lines) or None


def _labelled(line: str, spec: Field, *synonyms: str) -> str | None:
    """The rest of ``line`` when it starts with ``spec``'s label (or a synonym) and a colon."""
    head, colon, rest = line.partition(":")
    if not colon:
        return None
    if match_key(head) in {match_key(spec.label_fr), match_key(spec.label_en), *synonyms}:
        return rest.strip()
    return None


def parse_retention(text: str) -> tuple[dict[str, Any], list[str]]:
    """Retention fields from the sentence of ``render_retention``; unreadable lines apart.

    Returns the fields found and the lines that could not be read (kept by the caller as text).
    """
    found: dict[str, Any] = {}
    leftovers: list[str] = []
    disposition = DATA_CATEGORY.field("final_disposition")
    source = DATA_CATEGORY.field("retention_source")
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if not line:
            continue
        rest = _labelled(line, disposition, "sort final")
        if rest is not None:
            key = resolver(disposition).resolve(rest)
            if key:
                found["final_disposition"] = key
            else:
                leftovers.append(line)
            continue
        rest = _labelled(line, source, "reference", "source")
        if rest is not None:
            found["retention_source"] = rest or None
            continue
        if "retention_value" in found or "retention_unit" in found:
            leftovers.append(line)
            continue
        if duration := _DURATION.match(line):
            unit_word = normalise(duration.group(2))
            number = int(duration.group(1))
            if unit_word.startswith(("semaine", "week")):
                number, unit_word = number * 7, "jours"
            found["retention_value"] = number
            found["retention_unit"] = _UNITS.get(unit_word, "years")
            start = _START.sub("", duration.group(3).strip()).strip(" ,.;")
            if start:
                found["retention_start"] = start
        elif unlimited := _UNLIMITED.match(line):
            found["retention_unit"] = "unlimited"
            start = _START.sub("", unlimited.group(2).strip()).strip(" ,.;")
            if start:
                found["retention_start"] = start
        elif _START.match(line):
            found["retention_start"] = _START.sub("", line).strip(" ,.;") or None
        else:
            leftovers.append(line)
    return found, leftovers


def join_nonempty(parts: Iterable[Any], separator: str = "\n") -> str | None:
    """The non-empty parts as text joined by ``separator``, or None."""
    texts = [as_text(part) for part in parts]
    joined = separator.join(text for text in texts if text)
    return joined or None
