"""The exported register as plain text blocks, independent of any renderer.

``build_document`` reads a register once and returns an ``ExportDocument``: the cover facts, one
``Sheet`` per processing activity (sections in Article 30 order, each a list of label/value
items and tables), the annexes and the summary rows. Every value is already formatted as French
text, and the export *profile* has already decided what is shown:

- ``full``: every field of the schema;
- ``art30``: only what Article 30 asks for (fields whose schema article starts with ``30.``,
  plus the identification of each record) — what the CNIL asks for in a control;
- ``communicable``: like ``full``, but every field the schema marks ``personal`` (names and
  direct contacts of agents) is replaced by « [masqué — article L311-6 du CRPA] », and the list
  of what was masked is part of the document.

The PDF renderer (``registre.pdf``) only lays these blocks out; another renderer (an accessible
one, for instance) can take the same model. Which fields appear is driven by
``registre.schema``: no label is written here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registre import __version__
from registre.errors import RegistreError
from registre.loader import Record, collector_paused, load_register
from registre.model import AuditEntry, Meta
from registre.schema import (
    ACTIVITY,
    BREACH,
    ORGANISATION,
    PROCESSOR,
    SOFTWARE,
    Collection,
    Entity,
    Field,
    Kind,
    Role,
    Section,
)
from registre.storage import Register
from registre.vocabularies import vocabulary

MASK_TEXT = "[masqué — article L311-6 du CRPA]"
SECURITY_MASK_TEXT = "[masqué — article L311-5 2° d du CRPA]"
MASK_REASON = (
    "Article L311-6 du code des relations entre le public et l'administration : ne sont "
    "communiqués qu'à l'intéressé les documents dont la communication porterait atteinte à la "
    "protection de la vie privée."
)
NBSP = "\u00a0"  # no-break space: before « : », inside « »
NNBSP = "\u202f"  # narrow no-break space: thousands, before ; ! ?
NOT_FILLED = "Non renseigné"


class Profile(StrEnum):
    """What an export shows (one code path, three audiences)."""

    FULL = "full"
    ART30 = "art30"
    COMMUNICABLE = "communicable"
    BREACHES = "breaches"

    @property
    def words(self) -> ProfileWords:
        """The titles the layout prints for this profile's register."""
        return BREACH_WORDS if self is Profile.BREACHES else ARTICLE_30_WORDS

    @property
    def label(self) -> str:
        """French name of the profile, as printed on the cover."""
        return _PROFILE_TITLES[self][0]

    @property
    def description(self) -> str:
        """One French sentence saying what the profile contains."""
        return _PROFILE_TITLES[self][1]


_PROFILE_TITLES = {
    Profile.FULL: (
        "Registre complet",
        "Toutes les informations tenues au registre.",
    ),
    Profile.ART30: (
        "Extrait de l'article 30",
        "Uniquement les mentions exigées par l'article 30 du RGPD, telles que la CNIL les "
        "demande lors d'un contrôle.",
    ),
    Profile.BREACHES: (
        "Registre des violations de données",
        "Toutes les violations de données à caractère personnel, notifiées ou non, avec les "
        "faits, leurs effets, les mesures prises, la notification à la CNIL (ou la décision "
        "motivée de ne pas notifier) et l'information des personnes (RGPD 33.5, 34).",
    ),
    Profile.COMMUNICABLE: (
        "Version communicable",
        "Version destinée à la communication de documents administratifs (CADA) : les noms et "
        "coordonnées directes des agents sont occultés ; la liste des éléments occultés figure "
        "en annexe.",
    ),
}


@dataclass(frozen=True)
class ProfileWords:
    """What the layout calls the register, its records and their parts."""

    kicker: str
    articles: str  # « article 30 », for the PDF metadata
    register_title: str
    records: str  # the cover's count of records
    summary_title: str
    no_record: str
    sheets_title: str
    export_reason: str  # reason of the PDF signature


ARTICLE_30_WORDS = ProfileWords(
    kicker="RÈGLEMENT GÉNÉRAL SUR LA PROTECTION DES DONNÉES — ARTICLE 30",
    articles="article 30",
    register_title="Registre des activités de traitement",
    records="Traitements",
    summary_title="Synthèse des traitements",
    no_record="Aucun traitement.",
    sheets_title="Fiches des traitements — responsable de traitement (article 30.1)",
    export_reason="Export officiel du registre des activités de traitement",
)

BREACH_WORDS = ProfileWords(
    kicker="RÈGLEMENT GÉNÉRAL SUR LA PROTECTION DES DONNÉES — ARTICLES 33 ET 34",
    articles="articles 33 et 34",
    register_title="Registre des violations de données",
    records="Violations consignées",
    summary_title="Synthèse des violations",
    no_record="Aucune violation consignée.",
    sheets_title="Fiches des violations de données (article 33.5)",
    export_reason="Export officiel du registre des violations de données",
)


class UnknownProfile(RegistreError):
    """The export profile named on the command line does not exist."""

    exit_code = 2
    text_fr = "Profil d'export inconnu « {profile} » (full, art30, communicable ou breaches)."
    text_en = "Unknown export profile “{profile}” (full, art30, communicable or breaches)."


def parse_profile(value: str | Profile) -> Profile:
    """The profile called ``value``, or UnknownProfile."""
    try:
        return Profile(value)
    except ValueError:
        raise UnknownProfile(profile=str(value)) from None


# --------------------------------------------------------------------------------------------
# The model
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One label and its value (None: not filled in)."""

    label: str
    value: str | None
    masked: bool = False


@dataclass(frozen=True)
class Table:
    """A collection shown as a table: its title, column headings and rows of cell texts."""

    title: str
    columns: tuple[str, ...]
    weights: tuple[float, ...]
    rows: tuple[tuple[str | None, ...], ...]
    empty: str = ""  # shown instead of the table when it has no rows (empty: table omitted)
    masked_columns: tuple[bool, ...] = ()


@dataclass(frozen=True)
class Block:
    """A section of a sheet: an optional heading, then items and tables in order."""

    title: str
    article: str
    content: tuple[Item | Table, ...]


@dataclass(frozen=True)
class Sheet:
    """One processing activity (fiche de registre)."""

    id: str
    reference: str
    name: str
    role: str
    service: str
    status: str
    legal_basis: str
    sensitive: bool
    score: int | None
    blocks: tuple[Block, ...]
    summary: tuple[str, ...] = ()  # its summary-table cells, when not an activity's
    draft: bool = False  # a draft (« Brouillon »): marked as such on every page of its sheet

    @property
    def title(self) -> str:
        """Reference and name, as in the table of contents."""
        return f"{self.reference} — {self.name}" if self.reference else self.name


@dataclass(frozen=True)
class Card:
    """One record of an annex (a processor, a software item): a title and its items."""

    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Finding:
    """One line of the completeness report."""

    article: str
    article_title: str
    severity: str  # "error", "warning", "info"
    severity_label: str
    record: str
    message: str
    reference: str


@dataclass(frozen=True)
class Completeness:
    """What the checker says about one organisation."""

    percent: int
    counts: dict[str, int]
    counts_text: str
    activities_without_findings: int
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class MaskedField:
    """A field occulted in the communicable version, and how many values were masked."""

    entity: str
    label: str
    count: int


@dataclass(frozen=True)
class Part:
    """Everything exported about one organisation."""

    id: str
    name: str
    identity: tuple[Block, ...]  # organisation sections (identity, representative, DPO…)
    kind: Item
    siren: Item
    dpo: Item  # name, organisation and email of the DPO on one line (for the cover)
    controller_sheets: tuple[Sheet, ...]
    processor_sheets: tuple[Sheet, ...]
    processors: tuple[Card, ...] | None  # None: annex not part of the profile
    software: tuple[Card, ...] | None
    completeness: Completeness | None
    summary_columns: tuple[str, ...]
    summary_weights: tuple[float, ...]
    changes_since: str = ""  # on request, what changed since the last publication (the cover)

    @property
    def sheets(self) -> tuple[Sheet, ...]:
        """Every sheet, controller ones first."""
        return self.controller_sheets + self.processor_sheets


@dataclass(frozen=True)
class ExportDocument:
    """The whole export, ready to be laid out."""

    profile: Profile
    title: str
    generated_at: dt.datetime
    generated_text: str
    revision: int
    schema_version: int
    app_version: str
    parts: tuple[Part, ...]
    masked: tuple[MaskedField, ...]
    fingerprint: str  # SHA-256 of the canonical content (hex)
    register_name: str
    audit_entries: int = 0  # the audit trail's head when the export was made: its entries…
    audit_head: str = ""  # … and the hash of its last entry (the chain's head)
    options: CommunicableOptions | None = None  # the communicable version's choices

    @property
    def short_fingerprint(self) -> str:
        """First 16 hex digits of the content fingerprint (printed in every footer)."""
        return self.fingerprint[:16]

    @property
    def organisation_names(self) -> str:
        """Names of the exported organisations, for metadata and the audit trail."""
        return " ; ".join(part.name for part in self.parts)

    @property
    def sheet_count(self) -> int:
        """Number of activity sheets."""
        return sum(len(part.sheets) for part in self.parts)


# --------------------------------------------------------------------------------------------
# French formatting
# --------------------------------------------------------------------------------------------

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

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value: str) -> str:
    """``value`` without control characters (newlines kept, tabs as spaces, CR dropped)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")
    return _CONTROL.sub("", value)


def long_date(day: dt.date) -> str:
    """« 14 mars 2026 » (« 1er » for the first of the month)."""
    number = "1er" if day.day == 1 else str(day.day)
    return f"{number}{NBSP}{MONTHS[day.month - 1]} {day.year}"


def short_date(day: dt.date) -> str:
    """« 14/03/2026 »."""
    return day.strftime("%d/%m/%Y")


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


def yes_no(value: bool | None) -> str | None:
    """« Oui », « Non », or None when unknown."""
    if value is None:
        return None
    return "Oui" if value else "Non"


def group_digits(number: int) -> str:
    """« 12 345 » with narrow no-break spaces."""
    return f"{number:,}".replace(",", NNBSP)


def french_label(label: str) -> str:
    """A label followed by a no-break space and a colon: « Base légale : »."""
    return f"{label}{NBSP}:"


def quoted(text: str) -> str:
    """« text » with no-break spaces inside the guillemets."""
    return f"«{NBSP}{text}{NBSP}»"


def grouped_hex(hex_digits: str, group: int = 4) -> str:
    """« 1A2B 3C4D … »: a fingerprint readable aloud."""
    upper = hex_digits.upper()
    return " ".join(upper[i : i + group] for i in range(0, len(upper), group))


# --------------------------------------------------------------------------------------------
# Field values as text
# --------------------------------------------------------------------------------------------


def _term_label(spec: Field, key: str) -> str:
    if spec.choices:
        return spec.choice_label(key)
    term = vocabulary(spec.vocabulary).term(key)
    if term is None:
        return key
    article = term.extra.get("article")
    if article and spec.vocabulary in ("legal_bases", "art9_conditions", "transfer_safeguards"):
        return f"{term.label_fr} (art.{NBSP}{article})"
    return term.label_fr


def format_value(spec: Field, value: Any, names: Callable[[str], str] | None = None) -> str | None:
    """The French text of ``value`` for ``spec`` (None when empty)."""
    if value is None or (isinstance(value, str | list) and not value):
        return None
    kind = spec.kind
    if kind in (Kind.TEXT, Kind.LONGTEXT, Kind.EMAIL, Kind.PHONE):
        return clean_text(str(value))
    if kind == Kind.SIREN:
        text = str(value)
        if len(text) == 9 and text.isdigit():
            return NNBSP.join((text[:3], text[3:6], text[6:]))
        return clean_text(text)
    if kind == Kind.CHOICE:
        return _term_label(spec, str(value))
    if kind == Kind.MULTICHOICE:
        return " ; ".join(_term_label(spec, str(item)) for item in value)
    if kind == Kind.BOOL:
        return yes_no(bool(value))
    if kind == Kind.DATE:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return long_date(value)
        return clean_text(str(value))
    if kind == Kind.DATETIME:
        return long_datetime(value)
    if kind == Kind.INTEGER:
        return group_digits(int(value))
    if kind == Kind.REFERENCE:
        return clean_text(names(str(value)) if names else str(value))
    # Kind.REFERENCES: related records (their names) or identifiers
    items = [
        item["name"] if isinstance(item, dict) else getattr(item, "name", item) for item in value
    ]
    return clean_text(" ; ".join(str(item) for item in items))


def retention_text(row: Any) -> str | None:
    """« 100 ans à compter de la clôture du registre » from a data category row."""
    value, unit, start = row["retention_value"], row["retention_unit"], row["retention_start"]
    if unit == "unlimited":
        text = "Sans limite de durée"
    elif value is None and not unit:
        text = ""
    else:
        spec = _DATA_CATEGORY.field("retention_unit")
        unit_text = spec.choice_label(unit) if unit else "(unité non précisée)"
        if value == 1 and unit in _SINGULAR_UNITS:
            unit_text = _SINGULAR_UNITS[unit]
        amount = group_digits(value) if value is not None else "(durée non précisée)"
        text = f"{amount}{NBSP}{unit_text}"
    if start:
        start = clean_text(start)
        text = f"{text} à compter de {start}" if text else f"À compter de {start}"
    return text or None


_DATA_CATEGORY = ACTIVITY.collection("data_categories").entity
_SINGULAR_UNITS = {"years": "an", "days": "jour"}  # « 1 an », « 1 jour » (« mois » stays)
# Rows whose fields belong to another section of the sheet are shown twice: in their
# collection's table without those fields, and in that section's own table (the category, then
# its retention period, final disposition and reference in « 30.1.f »).
_SPLIT_TABLES = {
    "retention": (
        (ACTIVITY.collection("data_categories"), "Durée de conservation par catégorie de données"),
    ),
}
_SPLIT_SECTIONS = frozenset(_SPLIT_TABLES)

# Fields shown together as one « Durée de conservation » cell (the first key gives the label).
RETENTION_GROUP = ("retention_value", "retention_unit", "retention_start")

# Bookkeeping fields of the application itself, not part of the register's content.
INTERNAL_FIELDS = frozenset({"template_id", "template_version", "role"})

# Article 30.2 counterpart of a 30.1 section when the activity is kept as processor.
PROCESSOR_ARTICLES = {"30.1.a": "30.2.a", "30.1.e": "30.2.c", "30.1.g": "30.2.d"}

# Width weights of table columns by kind of field.
_KIND_WEIGHT = {
    Kind.LONGTEXT: 3.0,
    Kind.TEXT: 2.0,
    Kind.CHOICE: 2.0,
    Kind.MULTICHOICE: 2.5,
    Kind.REFERENCES: 2.0,
}

# --------------------------------------------------------------------------------------------
# What a profile shows
# --------------------------------------------------------------------------------------------

_IDENTIFICATION_SECTIONS = frozenset({"identification", "identity"})


def shows_field(profile: Profile, spec: Field, entity: Entity) -> bool:
    """Whether ``profile`` shows ``spec`` of ``entity``."""
    if profile != Profile.ART30:
        return True
    if spec.key == entity.title_field or spec.section in _IDENTIFICATION_SECTIONS:
        return True
    return spec.article.startswith("30.")


def shows_collection(profile: Profile, collection: Collection) -> bool:
    """Whether ``profile`` shows an activity's collection."""
    return profile != Profile.ART30 or collection.article.startswith("30.")


def shows_section(profile: Profile, section: Section) -> bool:
    """Whether ``profile`` shows an activity section."""
    if profile != Profile.ART30:
        return True
    return section.key in _IDENTIFICATION_SECTIONS or section.article.startswith("30.")


def shows_annexes(profile: Profile) -> bool:
    """Whether the inventory annexes and the completeness report are part of ``profile``."""
    return profile not in (Profile.ART30, Profile.BREACHES)


# --------------------------------------------------------------------------------------------
# Building the document
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CommunicableOptions:
    """Choices of the communicable version (they change nothing in the other profiles).

    ``completeness``: include the completeness report (off by default: it is the DPO's working
    document). ``mask_security``: mask the security measures (article L311-5 2° d of the CRPA:
    their communication could harm the security of information systems). ``mask_officials``:
    also mask the names of elected officials acting in their official capacity (the mayor as
    the controller's legal representative), which are communicable by default.
    """

    completeness: bool = False
    mask_security: bool = False
    mask_officials: bool = False


# Names of elected officials in their official capacity: communicable unless asked otherwise.
OFFICIAL_FIELDS = frozenset({("organisation", "legal_representative_name")})


class _Masking:
    """Decides and counts what the communicable profile masks, by entity and field."""

    def __init__(self, profile: Profile, options: CommunicableOptions | None = None) -> None:
        self.profile = profile
        self.options = options or CommunicableOptions()
        self.counts: dict[tuple[str, str], int] = {}

    def mask_for(self, entity: Entity, spec: Field) -> str | None:
        """The text replacing values of ``spec`` in ``entity``, or None when shown."""
        if self.profile != Profile.COMMUNICABLE:
            return None
        if self.options.mask_security and (
            entity is SECURITY_ENTITY or (entity is ACTIVITY and spec.section == "security")
        ):
            return SECURITY_MASK_TEXT
        if not spec.personal:
            return None
        if (entity.name, spec.key) in OFFICIAL_FIELDS and not self.options.mask_officials:
            return None
        return MASK_TEXT

    def value(self, entity: Entity, spec: Field, text: str | None) -> tuple[str | None, bool]:
        mask = self.mask_for(entity, spec)
        if mask is None:
            return text, False
        key = (entity.name, spec.key)
        self.counts.setdefault(key, 0)
        if text is None:
            return None, False
        self.counts[key] += 1
        return mask, True

    def summary(self) -> tuple[MaskedField, ...]:
        if self.profile != Profile.COMMUNICABLE:
            return ()
        result = []
        for entity in _MASKABLE_ENTITIES:
            for spec in entity.fields:
                if self.mask_for(entity, spec) is not None:
                    result.append(
                        MaskedField(
                            entity.label_fr,
                            spec.label_fr,
                            self.counts.get((entity.name, spec.key), 0),
                        )
                    )
        return tuple(result)


SECURITY_ENTITY = ACTIVITY.collection("security_measures").entity

_MASKABLE_ENTITIES = (
    ORGANISATION,
    ACTIVITY,
    *(c.entity for c in ACTIVITY.collections),
    PROCESSOR,
    SOFTWARE,
)


def _items(
    entity: Entity,
    record: Any,
    specs: Iterable[Field],
    masking: _Masking,
    *,
    names: Callable[[str], str] | None = None,
    keep_empty: Callable[[Field], bool] = lambda _spec: False,
) -> list[Item]:
    items = []
    for spec in specs:
        text = format_value(spec, record.get(spec.key), names)
        text, masked = masking.value(entity, spec, text)
        if text is None and not keep_empty(spec):
            continue
        items.append(Item(spec.label_fr, text, masked))
    return items


def _mandatory(spec: Field) -> bool:
    return spec.requirement == "mandatory"


def _table(
    collection: Collection,
    rows: Sequence[Any],
    profile: Profile,
    masking: _Masking,
    *,
    section: str | None = None,
    title: str | None = None,
) -> Table:
    """``rows`` of ``collection`` as a table: the fields of its entity in ``section`` only when
    given (with the entity's title field first), else the fields of no other section."""
    entity = collection.entity
    specs = [s for s in entity.fields if shows_field(profile, s, entity)]
    if section is not None:
        specs = [s for s in specs if s.key == entity.title_field or s.section == section]
    else:
        specs = [s for s in specs if s.section not in _SPLIT_SECTIONS]
    columns: list[str] = []
    weights: list[float] = []
    masked_columns: list[bool] = []
    getters: list[Callable[[Any], tuple[str | None, bool]]] = []
    for spec in specs:
        if spec.key in RETENTION_GROUP[1:]:
            continue
        if spec.key == RETENTION_GROUP[0]:
            columns.append(spec.label_fr)
            weights.append(2.5)
            masked_columns.append(False)
            getters.append(lambda row: (retention_text(row), False))
            continue
        columns.append(spec.label_fr)
        weights.append(_KIND_WEIGHT.get(spec.kind, 1.5))
        masked_columns.append(masking.mask_for(entity, spec) is not None)

        def getter(row: Any, spec: Field = spec) -> tuple[str | None, bool]:
            return masking.value(entity, spec, format_value(spec, row.get(spec.key)))

        getters.append(getter)
    body = tuple(tuple(get(row)[0] for get in getters) for row in rows)
    empty = ""
    if collection.requirement == "mandatory":
        empty = f"Aucun élément renseigné ({collection.label().lower()})."
    return Table(
        title or collection.label(),
        tuple(columns),
        tuple(weights),
        body,
        empty,
        tuple(masked_columns),
    )


def _section_article(section_article: str, role: str) -> str:
    if role == Role.PROCESSOR:
        return PROCESSOR_ARTICLES.get(section_article, section_article)
    return section_article


def _actors(organisation: Record, role: str, masking: _Masking) -> list[Item]:
    """The organisation's own 30.1.a / 30.2.a items, repeated on each sheet (CNIL fiche)."""
    name = format_value(ORGANISATION.field("name"), organisation["name"])
    label = "Responsable du traitement" if role == Role.CONTROLLER else "Sous-traitant"
    representative = _joined(
        organisation, ("legal_representative_name", "legal_representative_title"), masking
    )
    dpo = _joined(organisation, ("dpo_name", "dpo_organisation", "dpo_email", "dpo_phone"), masking)
    return [
        Item(label, name),
        Item(ORGANISATION.field("legal_representative_name").label_fr, *representative),
        Item(_section_label(ORGANISATION, "dpo"), *dpo),
    ]


def _section_label(entity: Entity, key: str) -> str:
    for section in entity.sections:
        if section.key == key:
            return section.label_fr
    raise KeyError(key)  # pragma: no cover - a schema section


def _joined(
    organisation: Record, keys: Sequence[str], masking: _Masking
) -> tuple[str | None, bool]:
    """Several organisation fields on one line (each masked as the profile says)."""
    parts = []
    masked_all = True
    for key in keys:
        spec = ORGANISATION.field(key)
        text, masked = masking.value(ORGANISATION, spec, format_value(spec, organisation.get(key)))
        if text:
            masked_all = masked_all and masked
            parts.append(text.replace("\n", ", "))
    return (" — ".join(parts) or None), bool(parts) and masked_all


def _sensitive(activity: Record) -> bool:
    categories = vocabulary("data_categories")
    for row in activity["data_categories"]:
        term = categories.term(row["category"] or "")
        if term is not None and term.extra.get("sensitivity", "ordinary") != "ordinary":
            return True
    return False


def _sheet(
    activity: Record,
    organisation: Record,
    profile: Profile,
    masking: _Masking,
    score: int | None,
) -> Sheet:
    role = Role(activity["role"]) if activity["role"] in set(Role) else Role.CONTROLLER
    blocks: list[Block] = []
    for section in ACTIVITY.sections:
        if not shows_section(profile, section):
            continue
        if section.key == "processor" and role != Role.PROCESSOR:
            continue
        content: list[Item | Table] = []
        if section.key == "actors":
            content += _actors(organisation, role, masking)
        specs = [
            s
            for s in ACTIVITY.fields
            if s.section == section.key
            and role in s.roles
            and s.key not in INTERNAL_FIELDS
            and s.kind != Kind.REFERENCES
            and shows_field(profile, s, ACTIVITY)
        ]
        content += _items(ACTIVITY, activity, specs, masking, keep_empty=_mandatory)
        refs = [
            s
            for s in ACTIVITY.fields
            if s.section == section.key
            and role in s.roles
            and s.kind == Kind.REFERENCES
            and shows_field(profile, s, ACTIVITY)
        ]
        content += _items(ACTIVITY, activity, refs, masking)
        for collection in ACTIVITY.collections:
            if collection.section != section.key or role not in collection.roles:
                continue
            if not shows_collection(profile, collection):
                continue
            table = _table(collection, activity[collection.key], profile, masking)
            if table.rows or table.empty:
                content.append(table)
        for collection, title in _SPLIT_TABLES.get(section.key, ()):
            if role not in collection.roles or not shows_collection(profile, collection):
                continue
            table = _table(
                collection,
                activity[collection.key],
                profile,
                masking,
                section=section.key,
                title=title,
            )
            if table.rows or table.empty:
                content.append(table)
        if section.key == "identification":
            content = [c for c in content if not (isinstance(c, Item) and c.label == _NAME_LABEL)]
        if not content:
            continue
        article = _section_article(section.article, role)
        blocks.append(Block(section.label_fr, article, tuple(content)))
    legal = ""
    if activity["legal_basis"] and shows_field(profile, ACTIVITY.field("legal_basis"), ACTIVITY):
        legal = vocabulary("legal_bases").label(activity["legal_basis"])
    status_spec = ACTIVITY.field("status")
    return Sheet(
        id=activity["id"],
        reference=clean_text(activity["reference"] or ""),
        name=clean_text(activity["name"]),
        role=role.value,
        service=clean_text(activity["service"] or ""),
        status=status_spec.choice_label(activity["status"]) if activity["status"] else "",
        legal_basis=legal,
        sensitive=_sensitive(activity),
        score=score,
        blocks=tuple(blocks),
        draft=activity["status"] == "draft",
    )


_NAME_LABEL = ACTIVITY.field("name").label_fr


def _cards(
    entity: Entity,
    records: Sequence[Any],
    profile: Profile,
    masking: _Masking,
    names: Callable[[str], str] | None,
    used_by: dict[str, list[str]],
) -> tuple[Card, ...]:
    specs = [
        s for s in entity.fields if s.key != entity.title_field and shows_field(profile, s, entity)
    ]
    cards = []
    for record in records:
        items = _items(entity, record, specs, masking, names=names, keep_empty=_mandatory)
        if record["id"] in used_by:
            items.append(Item(ACTIVITY.plural_fr + " concernés", " ; ".join(used_by[record["id"]])))
        cards.append(Card(clean_text(record.get(entity.title_field) or ""), tuple(items)))
    return tuple(cards)


def _completeness(
    report: Any, organisation_id: str, sheets: Sequence[Sheet]
) -> Completeness | None:
    if report is None:
        return None
    from registre.checker import counts_text
    from registre.rules import SEVERITY_LABELS, SEVERITY_ORDER, article_sort_key, article_title

    org_score = report.organisation_scores.get(organisation_id)
    if org_score is None:
        return None
    findings = [f for f in report.findings if f.organisation_id == organisation_id]
    counts = {severity: 0 for severity in ("error", "warning", "info")}
    for finding in findings:
        counts[str(finding.severity.value)] = counts.get(str(finding.severity.value), 0) + 1
    with_findings = {f.record_id for f in findings if f.entity == "activity"}
    titles = {sheet.id: sheet.title for sheet in sheets}
    ordered = sorted(
        findings,
        key=lambda f: (
            article_sort_key(f.article or "~"),
            SEVERITY_ORDER[f.severity],
            titles.get(f.record_id, f.record_name),
        ),
    )
    lines = tuple(
        Finding(
            article=f.article,
            article_title=article_title(f.article, "fr"),
            severity=str(f.severity.value),
            severity_label=SEVERITY_LABELS[f.severity][0].capitalize(),
            record=clean_text(_record_label(f, titles)),
            message=clean_text(f.message("fr")),
            reference=clean_text(f.rule.reference),
        )
        for f in ordered
    )
    return Completeness(
        percent=int(org_score.percent),
        counts=counts,
        counts_text=counts_text(counts, "fr"),
        activities_without_findings=sum(1 for s in sheets if s.id not in with_findings),
        findings=lines,
    )


_ENTITY_WORDS = {"organisation": "Organisme", "processor": "Sous-traitant", "software": "Logiciel"}


def _record_label(finding: Any, titles: dict[str, str]) -> str:
    if finding.entity == "activity":
        return str(titles.get(finding.record_id, finding.record_name))
    word = _ENTITY_WORDS.get(finding.entity, finding.entity)
    return f"{word} {quoted(finding.record_name)}"


def _summary_columns(
    profile: Profile, with_scores: bool
) -> tuple[tuple[str, ...], tuple[float, ...]]:
    columns = [
        (ACTIVITY.field("reference"), 1.0),
        (ACTIVITY.field("name"), 3.6),
        (ACTIVITY.field("service"), 1.8),
        (ACTIVITY.field("legal_basis"), 2.8),
        (None, 1.0),  # sensitive data (from the data categories, 30.1.c)
        (ACTIVITY.field("status"), 1.5),
    ]
    labels: list[str] = []
    weights: list[float] = []
    for spec, weight in columns:
        if spec is None:
            labels.append("Données sensibles")
        elif not shows_field(profile, spec, ACTIVITY):
            continue
        else:
            labels.append(spec.label_fr)
        weights.append(weight)
    if with_scores:
        labels.append("Score")
        weights.append(0.8)
    return tuple(labels), tuple(weights)


def summary_row(part: Part, sheet: Sheet) -> tuple[str, ...]:
    """The summary-table cells of ``sheet`` (same columns as ``part.summary_columns``)."""
    if sheet.summary:
        return sheet.summary
    values = {
        ACTIVITY.field("reference").label_fr: sheet.reference,
        ACTIVITY.field("name").label_fr: sheet.name,
        ACTIVITY.field("service").label_fr: sheet.service,
        ACTIVITY.field("legal_basis").label_fr: sheet.legal_basis,
        "Données sensibles": "Oui" if sheet.sensitive else "Non",
        ACTIVITY.field("status").label_fr: sheet.status,
        "Score": f"{sheet.score}{NNBSP}%" if sheet.score is not None else "—",
    }
    return tuple(values[column] for column in part.summary_columns)


def _organisation_blocks(
    organisation: Record, profile: Profile, masking: _Masking
) -> tuple[Block, ...]:
    blocks = []
    for section in ORGANISATION.sections:
        specs = [
            s
            for s in ORGANISATION.fields
            if s.section == section.key and shows_field(profile, s, ORGANISATION)
        ]
        items = _items(ORGANISATION, organisation, specs, masking, keep_empty=_mandatory)
        if items:
            blocks.append(Block(section.label_fr, section.article, tuple(items)))
    return tuple(blocks)


def _part(organisation: Record, profile: Profile, masking: _Masking, report: Any) -> Part:
    activities = organisation["activities"]
    scores: dict[str, int] = {}
    if report is not None:
        scores = {key: int(s.percent) for key, s in report.activity_scores.items()}
    with_scores = report is not None and shows_annexes(profile)
    controller: list[Sheet] = []
    processor: list[Sheet] = []
    for activity in activities:
        sheet = _sheet(
            activity,
            organisation,
            profile,
            masking,
            scores.get(activity["id"]) if with_scores else None,
        )
        (processor if sheet.role == Role.PROCESSOR else controller).append(sheet)
    processors = organisation["processors"]
    software = organisation["software"]
    processor_names = {p["id"]: p["name"] for p in processors}
    processor_use: dict[str, list[str]] = {}
    software_use: dict[str, list[str]] = {}
    for activity in activities:
        label = clean_text(activity["reference"] or activity["name"])
        for used in activity["processors"]:
            processor_use.setdefault(used["id"], []).append(label)
        for tool in activity["software"]:
            software_use.setdefault(tool["id"], []).append(label)
    sheets = controller + processor
    annexes = shows_annexes(profile)
    kind = ORGANISATION.field("kind")
    siren = ORGANISATION.field("siren")
    columns, weights = _summary_columns(profile, with_scores)
    return Part(
        id=organisation["id"],
        name=clean_text(organisation["name"]),
        identity=_organisation_blocks(organisation, profile, masking),
        kind=Item(kind.label_fr, format_value(kind, organisation["kind"])),
        siren=Item(siren.label_fr, format_value(siren, organisation["siren"])),
        dpo=Item(
            _section_label(ORGANISATION, "dpo"),
            *_joined(organisation, ("dpo_name", "dpo_organisation", "dpo_email"), masking),
        ),
        controller_sheets=tuple(controller),
        processor_sheets=tuple(processor),
        processors=_cards(
            PROCESSOR,
            processors,
            profile,
            masking,
            None,
            processor_use,
        ),
        software=(
            _cards(
                SOFTWARE,
                software,
                profile,
                masking,
                lambda key: processor_names.get(key, key),
                software_use,
            )
            if annexes
            else None
        ),
        completeness=_completeness(report, organisation["id"], sheets) if annexes else None,
        summary_columns=columns,
        summary_weights=weights,
    )


BREACH_COLUMNS = (
    ("Référence", 1.0),
    ("Violation", 3.4),
    ("Découverte", 1.6),
    ("Notification à la CNIL", 2.6),
    ("Information des personnes", 2.0),
    ("État", 1.0),
)


def _breach_part(organisation: Record, masking: _Masking, now: dt.datetime) -> Part:
    """One organisation's breach register: one sheet per breach, oldest discovery first."""
    from registre.companion import breach_clock

    names = {a["id"]: a["name"] for a in organisation["activities"]}
    names.update({s["id"]: s["name"] for s in organisation["software"]})
    sensitive = {
        term.key
        for term in vocabulary("data_categories").terms
        if term.extra.get("sensitivity") != "ordinary"
    }
    never = dt.datetime.max
    breaches = sorted(
        organisation.get("breaches", ()),
        key=lambda b: (b["discovered_at"] or never, b["reference"] or "", b["id"]),
    )
    communication = BREACH.field("communication")
    sheets = []
    for breach in breaches:
        shown = dict(breach)
        for key in ("activities", "software"):
            shown[key] = [names.get(ref, ref) for ref in breach[key]]
        clock = breach_clock(breach, now).text("fr")
        blocks = []
        for section in BREACH.sections:
            specs = [spec for spec in BREACH.fields if spec.section == section.key]
            items = _items(BREACH, shown, specs, masking, keep_empty=_mandatory)
            if section.key == "notification":
                items.insert(0, Item("Délai de 72 heures (art. 33.1)", clock))
            if items:
                blocks.append(Block(section.label_fr, section.article, tuple(items)))
        discovered = breach["discovered_at"]
        sheets.append(
            Sheet(
                id=breach["id"],
                reference=clean_text(breach["reference"] or ""),
                name=clean_text(breach["title"]),
                role="breach",
                service="",
                status=clock,
                legal_basis="",
                sensitive=any(key in sensitive for key in breach["data_categories"]),
                score=None,
                blocks=tuple(blocks),
                summary=(
                    clean_text(breach["reference"] or ""),
                    clean_text(breach["title"]),
                    short_datetime(discovered) if discovered else NOT_FILLED,
                    clock,
                    format_value(communication, breach["communication"]) or NOT_FILLED,
                    format_value(BREACH.field("status"), breach["status"]) or "",
                ),
            )
        )
    kind = ORGANISATION.field("kind")
    siren = ORGANISATION.field("siren")
    return Part(
        id=organisation["id"],
        name=clean_text(organisation["name"]),
        identity=_organisation_blocks(organisation, Profile.BREACHES, masking),
        kind=Item(kind.label_fr, format_value(kind, organisation["kind"])),
        siren=Item(siren.label_fr, format_value(siren, organisation["siren"])),
        dpo=Item(
            _section_label(ORGANISATION, "dpo"),
            *_joined(organisation, ("dpo_name", "dpo_organisation", "dpo_email"), masking),
        ),
        controller_sheets=tuple(sheets),
        processor_sheets=(),
        processors=None,
        software=None,
        completeness=None,
        summary_columns=tuple(label for label, _weight in BREACH_COLUMNS),
        summary_weights=tuple(weight for _label, weight in BREACH_COLUMNS),
    )


# Audit entries that do not change the register's content (exports, the signing identity).
TECHNICAL_ENTITIES = ("export", "signing_certificate")


def register_revision(session: Session) -> int:
    """The register's revision: the audit entry number of its last change of content.

    Exports and the creation of the signing key are not changes of content: two exports of an
    unchanged register show the same revision.
    """
    value = session.scalar(
        select(func.max(AuditEntry.seq)).where(AuditEntry.entity.not_in(TECHNICAL_ENTITIES))
    )
    return int(value or 0)


def _plain(value: Any) -> Any:
    """``value`` as JSON-ready data (dataclasses as dicts), without ``asdict``'s deep copies."""
    fields = getattr(value, "__dataclass_fields__", None)
    if fields is not None:
        return {name: _plain(getattr(value, name)) for name in fields}
    if isinstance(value, tuple | list):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    return value


def _canonical(value: Any) -> bytes:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return unicodedata.normalize("NFC", text).encode("utf-8")


def content_fingerprint(
    profile: Profile, content_digest: str, parts: Sequence[Part], masked: Sequence[MaskedField]
) -> str:
    """SHA-256 of what the document is made of: the profile, the register's content as read
    (``ExportSource.digest``), the completeness report and the masked-field counts (no date, no
    signature). Two exports of an unchanged register with the same profile have the same
    fingerprint; any change of content changes it.
    """
    report = [_plain(part.completeness) for part in parts]
    extra = _canonical({"report": report, "masked": _plain(masked)})
    return hashlib.sha256(
        f"{profile.value}\n{content_digest}\n".encode("ascii") + extra
    ).hexdigest()


@dataclass(frozen=True)
class ExportSource:
    """What an export reads from the register, in one read session: its organisations as
    plain records (``registre.loader``), shared by the checker and the document, its revision
    and its schema version."""

    organisations: list[Record]
    revision: int
    schema_version: int
    digest: str  # SHA-256 of the canonical JSON of the records, computed as they are read
    audit_entries: int = 0
    audit_head: str = ""


def read_source(register: Register, organisation_id: str | None = None) -> ExportSource:
    """Read what an export shows (RecordNotFound for an unknown organisation)."""
    with collector_paused(), register.read() as session:
        organisations = load_register(session, organisation_id)
        schema_version = session.scalar(select(Meta.value).where(Meta.key == "schema_version"))
        revision = register_revision(session)
        digest = hashlib.sha256(_canonical(organisations)).hexdigest()
        head = session.execute(
            select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
        ).first()
    entries, head_hash = (int(head[0]), str(head[1])) if head else (0, "")
    return ExportSource(
        organisations, revision, int(schema_version or 0), digest, entries, head_hash
    )


def build_document(
    register: Register,
    *,
    profile: Profile | str = Profile.FULL,
    organisation_id: str | None = None,
    checked: Any = None,
    source: ExportSource | None = None,
    options: CommunicableOptions | None = None,
) -> ExportDocument:
    """Build the export model for ``profile``.

    ``organisation_id`` None exports every organisation of the register (one part each).
    ``source`` is what ``read_source`` read (read here when not given). ``checked`` is the
    checker's report of the same organisations: it gives each sheet its score and the
    completeness annex (without it, neither is shown).
    """
    profile = parse_profile(profile)
    if source is None:
        source = read_source(register, organisation_id)
    masking = _Masking(profile, options)
    with collector_paused():
        if profile is Profile.BREACHES:
            now = register.context.clock()
            parts = tuple(_breach_part(org, masking, now) for org in source.organisations)
        else:
            parts = tuple(_part(org, profile, masking, checked) for org in source.organisations)
    masked = masking.summary()
    generated_at = register.context.clock()
    names = " ; ".join(part.name for part in parts) or register.name
    return ExportDocument(
        profile=profile,
        title=f"{profile.words.register_title} — {names}",
        generated_at=generated_at,
        generated_text=long_datetime(generated_at),
        revision=source.revision,
        schema_version=source.schema_version,
        app_version=__version__,
        parts=parts,
        masked=masked,
        fingerprint=content_fingerprint(profile, source.digest, parts, masked),
        register_name=register.name,
        audit_entries=source.audit_entries,
        audit_head=source.audit_head,
        options=(options or CommunicableOptions()) if profile == Profile.COMMUNICABLE else None,
    )


__all__ = [
    "MASK_TEXT",
    "SECURITY_MASK_TEXT",
    "Block",
    "Card",
    "CommunicableOptions",
    "Completeness",
    "ExportDocument",
    "ExportSource",
    "Finding",
    "Item",
    "MaskedField",
    "Part",
    "Profile",
    "Sheet",
    "Table",
    "build_document",
    "clean_text",
    "read_source",
]
