"""The blocks of an exported register, and what each export profile shows.

``registre.export_model.build_document`` fills these plain dataclasses (cover facts, one
``Sheet`` per processing activity, annexes, summary rows) with text already written in French;
a renderer (``registre.pdf``) only lays them out. The *profile* (full register, Article 30
extract, communicable version) decides here which fields, collections and sections appear.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Any

from registre import presentation
from registre.errors import RegistreError
from registre.presentation import (
    DOCUMENT,
    NBSP,
)
from registre.schema import (
    Collection,
    Entity,
    Field,
    Section,
)

MASK_TEXT = "[masqué — article L311-6 du CRPA]"
SECURITY_MASK_TEXT = "[masqué — article L311-5 2° d du CRPA]"
MASK_REASON = (
    "Article L311-6 du code des relations entre le public et l'administration : ne sont "
    "communiqués qu'à l'intéressé les documents dont la communication porterait atteinte à la "
    "protection de la vie privée."
)
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
        "Registre complet des violations",
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
    """One processing activity (fiche de registre).

    Its sections (``blocks``) are written when first read, by ``write_blocks``: the PDF export
    reads them in the process that lays the sheet out, so the sheets of a large register are
    written by the layout processes, side by side, rather than all before them."""

    id: str
    reference: str
    name: str
    role: str
    service: str
    status: str
    legal_basis: str
    sensitive: bool
    score: int | None
    write_blocks: Callable[[], tuple[Block, ...]] = field(repr=False, compare=False)
    summary: tuple[str, ...] = ()  # its summary-table cells, when not an activity's
    draft: bool = False  # a draft (« Brouillon »): marked as such on every page of its sheet
    law_enforcement: bool = False  # its record answers Directive 2016/680, art. 24, not the GDPR

    @cached_property
    def blocks(self) -> tuple[Block, ...]:
        """Its sections, in Article 30 order."""
        return self.write_blocks()

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
# Field values as French text (the words are ``registre.presentation``'s)
# --------------------------------------------------------------------------------------------


def yes_no(value: bool | None) -> str | None:
    """« Oui », « Non », or None when unknown."""
    return None if value is None else presentation.yes_no(value)


def format_value(spec: Field, value: Any, names: Callable[[str], str] | None = None) -> str | None:
    """The French text of ``value`` for ``spec`` in a document (None when empty)."""
    return presentation.format_value(spec, value, style=DOCUMENT, names=names) or None


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
