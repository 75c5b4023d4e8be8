"""How register values read, for every consumer: one text per field kind of the schema.

The application's lists, the exported PDF, the spreadsheets and the checker's messages all turn
stored values into words here, so a value reads the same everywhere. Three *styles* differ only
in typography:

- ``LIST``: a list cell or a form (« 14/03/2026 », items joined by « , »);
- ``DOCUMENT``: a printed register (« 14 mars 2026 », « ; » between items, digits in groups,
  legal bases followed by their article, control characters removed);
- ``SHEET``: a spreadsheet cell (one item per line).

The retention composite (« 5 ans à compter de la clôture du dossier ») and the one-line summary
of a collection's rows are written here too. Qt-free: the UI passes its interface language.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from registre.schema import (
    ACTIVITY,
    LAW_ENFORCEMENT,
    LAW_ENFORCEMENT_BASIS,
    LAW_ENFORCEMENT_BASIS_SHORT,
    Collection,
    Composite,
    Entity,
    Field,
    Kind,
)
from registre.vocabularies import vocabulary

NBSP = "\u00a0"  # no-break space: before « : », inside « », between a number and its unit
NNBSP = "\u202f"  # narrow no-break space: thousands, before ; ! ?

MONTHS = (
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

Names = Mapping[str, str] | Callable[[str], str]


@dataclass(frozen=True)
class Style:
    """The typography of one kind of output (the words are the same in every style)."""

    separator: str  # between the items of a list value
    long_dates: bool  # « 14 mars 2026 » rather than « 14/03/2026 »
    typographic: bool  # grouped digits, SIREN in groups, articles after legal bases, clean text


LIST = Style(separator=", ", long_dates=False, typographic=False)
DOCUMENT = Style(separator=" ; ", long_dates=True, typographic=True)
SHEET = Style(separator="\n", long_dates=False, typographic=False)

# Vocabularies whose terms are followed by their article in a document: « Mission publique
# (art. 6.1.e) ».
_WITH_ARTICLE = frozenset({"legal_bases", "art9_conditions", "transfer_safeguards"})

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """``value`` without control characters (newlines kept, tabs as spaces, CR dropped)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return _CONTROL.sub("", value)


def long_date(day: dt.date) -> str:
    """« 14 mars 2026 » (« 1er » for the first of the month)."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number}{NBSP}{MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date | str | None, lang: str = "fr") -> str:
    """« 14/03/2026 », or 2026-03-14 for an English reader (empty for None; an ISO text is
    read first). Every message naming a day writes it here."""
    if day is None or day == "":
        return ""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day)
    if isinstance(day, dt.datetime):
        day = day.date()
    if lang == "en":
        return day.isoformat()
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def local_time(moment: dt.datetime) -> tuple[dt.datetime, str]:
    """``moment`` in French legal time when the time zone data is available, with its label."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    try:
        from zoneinfo import ZoneInfo

        return moment.astimezone(ZoneInfo("Europe/Paris")), "heure de Paris"
    except (ImportError, KeyError, ValueError, OSError):  # no tz database (some Windows)
        return moment.astimezone(dt.UTC), "UTC"


def long_datetime(moment: dt.datetime) -> str:
    """« 14 mars 2026 à 10 h 30 (heure de Paris) »."""
    local, zone = local_time(moment)
    return f"{long_date(local.date())} à {local.hour}{NBSP}h{NBSP}{local.minute:02d} ({zone})"


def short_datetime(moment: dt.datetime) -> str:
    """« 14/03/2026 10:30 » in French legal time."""
    local, _zone = local_time(moment)
    return local.strftime("%d/%m/%Y %H:%M")


def clock_datetime(moment: dt.datetime | str) -> str:
    """« 14/03/2026 10:30 » on this computer's clock, as the application shows a stored moment
    (naive UTC, or an ISO text of it)."""
    if isinstance(moment, str):
        moment = dt.datetime.fromisoformat(moment)
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone().strftime("%d/%m/%Y %H:%M")


def group_digits(number: int) -> str:
    """« 12 345 » with narrow no-break spaces."""
    return f"{number:,}".replace(",", NNBSP)


def yes_no(value: bool, lang: str = "fr") -> str:
    """« Oui » or « Non » (“Yes”, “No”)."""
    if lang == "en":
        return "Yes" if value else "No"
    return "Oui" if value else "Non"


def lower_first(text: str) -> str:
    """``text`` with its first letter in lower case (acronyms such as « CNIL » kept)."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def organisation_of(kind: str | None, lang: str = "fr") -> str:
    """The organisation named by its kind's own noun, as in « Les traitements de la commune »:
    « de la commune », « du CCAS », « de l'office de tourisme » (the vocabulary's ``of_fr`` /
    ``of_en``); « de l'organisme » when its kind is unknown or has no noun (« Autre »)."""
    term = vocabulary("organisation_kinds").term(kind) if kind else None
    noun = term.extra.get(f"of_{'en' if lang == 'en' else 'fr'}") if term else None
    if isinstance(noun, str) and noun:
        return noun
    return "of the organisation" if lang == "en" else "de l'organisme"


def choice_label(spec: Field, key: str, lang: str = "fr") -> str:
    """Label of ``key`` in the field's own choices or in its vocabulary (the key when unknown)."""
    if spec.choices:
        return spec.choice_label(key, lang)
    return vocabulary(spec.vocabulary).label(key, lang)


def short_choice_label(spec: Field, key: Any, lang: str = "fr") -> str:
    """The short label a list column shows for ``key`` (« Mission publique »); empty if none."""
    for choice in spec.short_choices:
        if choice.key == key:
            return choice.label_en if lang == "en" else choice.label_fr
    return ""


def legal_basis_text(
    regime: str | None, basis: str | None, lang: str = "fr", *, short: bool = False
) -> str:
    """The « Base légale » cell of an activity in a list, a summary table or a sheet.

    Its Article 6 basis (``short``: « Mission publique »); for a law-enforcement activity,
    which has none, « Directive (UE) 2016/680, art. 8 (police-justice) »
    (``schema.LAW_ENFORCEMENT_BASIS``); empty when neither is known.
    """
    spec = ACTIVITY.field("legal_basis")
    if basis:
        label = choice_label(spec, basis, lang)
        return (short_choice_label(spec, basis, lang) or label) if short else label
    if regime == LAW_ENFORCEMENT:
        choice = LAW_ENFORCEMENT_BASIS_SHORT if short else LAW_ENFORCEMENT_BASIS
        return choice.label_en if lang == "en" else choice.label_fr
    return ""


def no_legal_basis(text: str) -> bool:
    """True for a « Base légale » cell that says the activity has no Article 6 basis
    (``legal_basis_text`` of a law-enforcement activity, in either language)."""
    wanted = text.strip().casefold()
    return any(
        wanted in (choice.label_fr.casefold(), choice.label_en.casefold())
        for choice in (LAW_ENFORCEMENT_BASIS, LAW_ENFORCEMENT_BASIS_SHORT)
    )


def _document_term(spec: Field, key: str) -> str:
    if spec.choices:
        return spec.choice_label(key)
    term = vocabulary(spec.vocabulary).term(key)
    if term is None:
        return key
    article = term.extra.get("article")
    if article and spec.vocabulary in _WITH_ARTICLE:
        return f"{term.label_fr} (art.{NBSP}{article})"
    return term.label_fr


def _name(names: Names | None, identifier: str) -> str:
    if names is None:
        return identifier
    if callable(names):
        return names(identifier)
    return names.get(identifier, identifier)


def format_value(
    spec: Field,
    value: Any,
    *,
    lang: str = "fr",
    style: Style = LIST,
    names: Names | None = None,
) -> str:
    """``value`` of ``spec`` as a reader reads it; empty when there is no value.

    ``names`` gives the names of referenced records (processors, software) from their ids.
    A document is written in French whatever ``lang`` says (it is the register's language);
    a list shows a moment on this computer's clock, a document in French legal time.
    """
    if value is None or (isinstance(value, str | list | tuple) and not value):
        return ""
    kind = spec.kind
    typographic = style.typographic
    if kind == Kind.CHOICE:
        return _document_term(spec, str(value)) if typographic else choice_label(spec, value, lang)
    if kind == Kind.MULTICHOICE:
        if typographic:
            return style.separator.join(_document_term(spec, str(item)) for item in value)
        return style.separator.join(choice_label(spec, item, lang) for item in value)
    if kind == Kind.BOOL:
        return yes_no(bool(value), "fr" if typographic else lang)
    if kind == Kind.DATE:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return long_date(value) if style.long_dates else short_date(value)
        return clean_text(str(value)) if typographic else short_date(str(value))
    if kind == Kind.DATETIME and typographic:
        return long_datetime(value)
    if kind == Kind.DATETIME and style is LIST:
        return clock_datetime(value)
    if kind in (Kind.REFERENCE, Kind.REFERENCES):
        if kind == Kind.REFERENCE:
            text = _name(names, str(value))
        else:  # identifiers, or related records already read (with their name)
            items = [
                item["name"] if isinstance(item, dict) else getattr(item, "name", item)
                for item in value
            ]
            text = style.separator.join(_name(names, str(item)) for item in items)
        return clean_text(text) if typographic else text
    if typographic:
        if kind == Kind.INTEGER:
            return group_digits(int(value))
        text = clean_text(str(value))
        if kind == Kind.SIREN and len(text) == 9 and text.isdigit():
            return NNBSP.join((text[:3], text[3:6], text[6:]))
        return text
    return str(value)


# --------------------------------------------------------------------------------------------
# Composites: several fields read as one value
# --------------------------------------------------------------------------------------------

_DATA_CATEGORY = ACTIVITY.collection("data_categories").entity
UNLIMITED = "unlimited"

# Units read in the singular after « 1 » (« 1 an », "1 year").
_SINGULAR_UNITS = {"days": ("jour", "day"), "months": ("mois", "month"), "years": ("an", "year")}


def duration_text(value: Any, unit: Any, lang: str = "fr", *, style: Style = LIST) -> str:
    """« 5 ans », « 1 an », « sans limite », « 5 » or « ans » (empty when neither is known)."""
    unit_spec = _DATA_CATEGORY.field("retention_unit")
    if unit == UNLIMITED:
        return choice_label(unit_spec, UNLIMITED, lang)
    unit_text = choice_label(unit_spec, unit, lang) if unit else ""
    if value == 1 and unit in _SINGULAR_UNITS:
        french, english = _SINGULAR_UNITS[unit]
        unit_text = english if lang == "en" else french
    amount = ""
    if value is not None:
        amount = group_digits(int(value)) if style.typographic else str(value)
    space = NBSP if style.typographic else " "
    return space.join(part for part in (amount, unit_text) if part)


_RETENTION_WORDS = {
    "fr": {
        "unlimited": "Sans limite de durée",
        "no_unit": "(unité non précisée)",
        "no_value": "(durée non précisée)",
        "from": "{period} à compter de {start}",
        "from_alone": "À compter de {start}",
        "then": "{period}, puis {disposition}",
    },
    "en": {
        "unlimited": "No time limit",
        "no_unit": "(unit not given)",
        "no_value": "(period not given)",
        "from": "{period} from {start}",
        "from_alone": "From {start}",
        "then": "{period}, then {disposition}",
    },
}


def retention_text(
    row: Mapping[str, Any], lang: str = "fr", *, style: Style = DOCUMENT, disposition: bool = False
) -> str:
    """A data category's retention as one sentence (empty when nothing is known).

    « 100 ans à compter de la clôture du registre », « Sans limite de durée », « 5 (unité non
    précisée) »; with ``disposition``, followed by its final disposition (« , puis
    destruction »).
    """
    words = _RETENTION_WORDS["en" if lang == "en" else "fr"]
    value, unit, start = (
        row.get("retention_value"),
        row.get("retention_unit"),
        row.get("retention_start"),
    )
    if unit == UNLIMITED:
        text = words["unlimited"]
    elif value is None and not unit:
        text = ""
    else:
        space = NBSP if style.typographic else " "
        text = duration_text(value, unit, lang, style=style)
        if not unit:
            text = f"{text}{space}{words['no_unit']}"
        elif value is None:
            text = f"{words['no_value']}{space}{text}"
    if start:
        start = clean_text(str(start)) if style.typographic else str(start)
        text = (
            words["from"].format(period=text, start=start)
            if text
            else words["from_alone"].format(start=start)
        )
    final = row.get("final_disposition")
    if disposition and final and text:
        label = lower_first(choice_label(_DATA_CATEGORY.field("final_disposition"), final, lang))
        text = words["then"].format(period=text, disposition=label)
    return text


def composite_text(
    composite: Composite, row: Mapping[str, Any], lang: str = "fr", *, style: Style = DOCUMENT
) -> str:
    """The one value of a composite (``Entity.composites``) of ``row``.

    In a list, the retention is followed by its final disposition (« , puis destruction »).
    """
    if composite.key == "retention":
        return retention_text(row, lang, style=style, disposition=style is LIST)
    raise KeyError(composite.key)  # pragma: no cover - a composite declared without its text


# --------------------------------------------------------------------------------------------
# Collections in a few words
# --------------------------------------------------------------------------------------------


def row_summary(
    entity: Entity, row: Mapping[str, Any], lang: str = "fr", names: Names | None = None
) -> str:
    """One row of a collection on one line: its title value, then its details in brackets.

    « Données d'identification (nom, prénom) — 5 ans à compter de la fin de la scolarité,
    puis destruction » for a data category; a row's composite follows a dash.
    """
    title_spec = entity.field(entity.title_field)
    title = format_value(title_spec, row.get(title_spec.key), lang=lang, names=names) or "—"
    details = row.get("details") if "details" in entity.keys else None
    text = f"{title} ({details})" if details else title
    for composite in entity.composites:
        extra = composite_text(composite, row, lang, style=LIST)
        if extra:
            text = f"{text} — {extra}"
    return text


def collection_summary(
    collection: Collection,
    rows: Sequence[Mapping[str, Any]],
    lang: str = "fr",
    names: Names | None = None,
) -> list[str]:
    """The rows of ``collection``, one line each (``row_summary``)."""
    return [row_summary(collection.entity, row, lang, names) for row in rows]


__all__ = [
    "DOCUMENT",
    "LIST",
    "NBSP",
    "NNBSP",
    "SHEET",
    "Style",
    "choice_label",
    "clean_text",
    "clock_datetime",
    "collection_summary",
    "composite_text",
    "duration_text",
    "format_value",
    "group_digits",
    "legal_basis_text",
    "local_time",
    "long_date",
    "long_datetime",
    "lower_first",
    "no_legal_basis",
    "retention_text",
    "row_summary",
    "short_choice_label",
    "short_date",
    "short_datetime",
    "yes_no",
]
