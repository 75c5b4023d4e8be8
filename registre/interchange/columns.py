"""Which register field each column of a table holds, as a DPO would read its title.

A title is compared once normalised: case, accents, plurals, « (s) » and « (e) » markers,
punctuation and small words do not matter, so « Sous- traitant(s) », « Destinataire(s) » and
« Durée de conservation des données » find their fields among the wordings declared in
``registre.synonyms``. Columns with the same title are told apart by the column before them
(« Droit d'accès › Ce processus est-il en place ? »), or by their letter. A mapping file or the
import dialog chooses for any column: a field, « garder en note » or « ignorer ».
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from registre.interchange.errors import invalid
from registre.synonyms import targets, titles_of

NOTE = "note"
IGNORE = "ignore"
CHOICE_WORDS = {
    NOTE: ("note", "garder en note", "en note", "keep as a note", "keep in notes"),
    IGNORE: ("ignore", "ignorer", "skip", ""),
}
AUTO = "auto"
CHOSEN = "chosen"
UNKNOWN = "unknown"

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
        "par",
        "pour",
        "sur",
        "dans",
        "with",
        "by",
    ]
)
_MARKERS = re.compile(r"\((?:e|s|es|x|e\)\(s)\)", re.IGNORECASE)
_ASIDES = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_GENERIC = frozenset({"traitement", "activite", "fiche", "processing", "activity"})
_LETTER = re.compile(r"^(?:colonne|column|col\.?)\s+([A-Za-z]{1,3})$", re.IGNORECASE)


def _words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", _MARKERS.sub("", text).casefold())
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    plain = plain.replace("œ", "oe").replace("æ", "ae")
    words = []
    for word in re.split(r"[^0-9a-z]+", plain):
        if word and word not in _STOPWORDS:
            words.append(word[:-1] if len(word) > 3 and word[-1] in "sx" else word)
    return words


def title_key(text: str) -> str:
    """A column title reduced to what identifies it: « Destinataire(s) » → « destinataire »,
    « Durée de conservation des données » → « duree conservation donnee »."""
    return " ".join(_words(text))


def title_variants(text: str) -> list[str]:
    """Keys to try for a title: as written, without asides in parentheses, without a final
    « du traitement »."""
    variants = [title_key(text), title_key(_ASIDES.sub(" ", text))]
    for base in list(variants):
        words = base.split()
        trimmed = [word for word in words if word not in _GENERIC]
        if trimmed and trimmed != words:
            variants.append(" ".join(trimmed))
    return [variant for variant in dict.fromkeys(variants) if variant]


@cache
def title_index() -> dict[str, str]:
    """Normalised title → target, for every wording of every target."""
    index: dict[str, str] = {}
    for variant in (0, 1):  # every title as written first, then without its asides
        for target in targets():
            for title in titles_of(target):
                variants = title_variants(title)
                if variant < len(variants):
                    index.setdefault(variants[variant], target)
    return index


def title_conflicts() -> list[tuple[str, str, str]]:
    """(title, first target, second target) for wordings declared for two targets."""
    seen: dict[str, str] = {}
    conflicts = []
    for target in targets():
        for title in titles_of(target):
            key = title_key(title)
            if key in seen and seen[key] != target:
                conflicts.append((title, seen[key], target))
            seen.setdefault(key, target)
    return conflicts


def guess_target(title: str) -> str | None:
    """The target a column title designates, or None."""
    index = title_index()
    for key in title_variants(title):
        if key in index:
            return index[key]
    return None


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column: 0 → A, 27 → AB."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass
class Column:
    """One column of a table and what the import does with it."""

    index: int
    title: str  # as written in the file ("" when the header cell is empty)
    label: str  # unique: the title, « previous › title » for repeated titles, « Colonne F »
    target: str | None  # a target of registre.synonyms, NOTE or IGNORE
    how: str = AUTO  # AUTO (found from the title), CHOSEN (mapping or dialog), UNKNOWN

    @property
    def letter(self) -> str:
        """Spreadsheet letter of the column."""
        return column_letter(self.index)

    @property
    def note_title(self) -> str:
        """The title a note line starts with."""
        return self.label


def _labels(titles: Sequence[str]) -> list[str]:
    """Unique labels: a repeated title is told apart by the nearest different title before it
    (« Droit d'accès › Ce processus est-il en place ? »), or else by its letter."""
    keys = [title_key(title) for title in titles]
    counts: dict[str, int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    labels = []
    for index, title in enumerate(titles):
        if not title:
            labels.append(f"Colonne {column_letter(index)}")
        elif counts[keys[index]] == 1:
            labels.append(title)
        else:
            before = next(
                (
                    titles[i]
                    for i in range(index - 1, -1, -1)
                    if titles[i] and keys[i] != keys[index]
                ),
                None,
            )
            labels.append(f"{before} › {title}" if before else title)
    totals: dict[str, int] = {}
    for label in labels:
        totals[label] = totals.get(label, 0) + 1
    return [
        label if totals[label] == 1 else f"{titles[index]} (colonne {column_letter(index)})"
        for index, label in enumerate(labels)
    ]


def identify_columns(titles: Sequence[str], choices: Mapping[str, str | None]) -> list[Column]:
    """The columns of a table from its header titles and the user's choices.

    ``choices`` maps a column (its letter as « colonne F », its label, its title, or its title
    followed by « #2 » for the second of that title) to a target, NOTE or IGNORE; see
    ``read_mapping``. Unchosen columns are matched by title; unknown ones go to the notes.
    """
    normalised = {_choice_key(key): value for key, value in choices.items()}
    labels = _labels(titles)
    occurrence: dict[str, int] = {}
    columns = []
    for index, (title, label) in enumerate(zip(titles, labels, strict=True)):
        key = title_key(title)
        occurrence[key] = occurrence.get(key, 0) + 1
        candidates = [
            f"colonne {column_letter(index).lower()}",
            _choice_key(label),
            f"{key}#{occurrence[key]}",
        ]
        if occurrence[key] == 1:
            candidates.append(key)
        chosen = next((normalised[c] for c in candidates if c in normalised), None)
        if chosen is None and any(c in normalised for c in candidates):
            chosen = IGNORE
        if chosen is not None:
            columns.append(Column(index, title, label, chosen, CHOSEN))
            continue
        target = guess_target(title) if title else None
        if target is None:
            columns.append(Column(index, title, label, NOTE, UNKNOWN))
        else:
            columns.append(Column(index, title, label, target, AUTO))
    return columns


def _choice_key(text: str) -> str:
    text = text.strip()
    letter = _LETTER.match(text)
    if letter:
        return f"colonne {letter.group(1).lower()}"
    title, hash_sign, number = text.rpartition("#")
    if hash_sign and number.strip().isdigit():
        return f"{title_key(title)}#{int(number)}"
    if "›" in text:
        return " › ".join(title_key(part) for part in text.split("›"))
    return title_key(text)


def choice_of(value: Any) -> str | None:
    """A mapping value as a target, NOTE or IGNORE; None when it is not one."""
    if value is None:
        return IGNORE
    if not isinstance(value, str):
        return None
    text = value.strip()
    for choice, words in CHOICE_WORDS.items():
        if text.casefold() in words:
            return choice
    return text if text in targets() else None


def read_mapping(path: Path) -> dict[str, str | None]:
    """A mapping file: JSON ``{"columns": {"column": "choice"}}`` (or the inner object alone).

    A column is named by its title, its letter (« colonne F »), « Titre#2 » for the second
    column of that title, or its label in the import preview (« Droit d'accès › Ce processus
    est-il en place ? »). A choice is a field key (``name``, ``recipients``,
    ``transfers.country``, ``organisation.dpo_name``…), « note » / « garder en note », or
    « ignorer » / ``null``.
    """
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        raise invalid(
            path,
            "fichier de correspondance illisible (JSON attendu)",
            "unreadable mapping file (JSON expected)",
        ) from None
    if isinstance(document, dict) and isinstance(document.get("columns"), dict):
        document = document["columns"]
    if not isinstance(document, dict):
        raise invalid(
            path,
            "le fichier de correspondance doit être un objet « colonne » : « champ »",
            "the mapping file must be an object “column”: “field”",
        )
    mapping: dict[str, str | None] = {}
    for column, value in document.items():
        choice = choice_of(value)
        if choice is None:
            raise invalid(
                path,
                f"choix inconnu « {str(value)[:60]} » pour la colonne « {str(column)[:60]} » "
                "(un champ du registre, « garder en note » ou « ignorer »)",
                f"unknown choice “{str(value)[:60]}” for column “{str(column)[:60]}” "
                "(a register field, “keep as a note” or “ignore”)",
            )
        mapping[str(column)] = choice
    return mapping


def mapping_document(columns: Sequence[Column]) -> dict[str, Any]:
    """The mapping file that reproduces ``columns`` (to save what the dialog chose)."""
    return {
        "format": "registre-correspondance-colonnes",
        "columns": {
            column.label: column.target if column.target not in (None, IGNORE) else "ignorer"
            for column in columns
        },
    }
