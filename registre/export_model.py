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

The model's blocks and the profiles are in ``registre.export_blocks``, an activity's sheet and
the masking in ``registre.export_sheets``; this module assembles the parts of each
organisation, the summary, the completeness report and the breach register, and reads the
register once (``read_source``) with its content fingerprint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from registre import __version__
from registre.audit import AUDIT, chain_head
from registre.export_blocks import (
    ARTICLE_30_WORDS,
    MASK_REASON,
    MASK_TEXT,
    NOT_FILLED,
    SECURITY_MASK_TEXT,
    Block,
    Card,
    CommunicableOptions,
    Completeness,
    ExportDocument,
    Finding,
    Item,
    MaskedField,
    Part,
    Profile,
    Sheet,
    Table,
    UnknownProfile,
    format_value,
    french_label,
    grouped_hex,
    parse_profile,
    quoted,
    shows_annexes,
    shows_field,
)
from registre.export_sheets import (
    Masking,
    activity_sheet,
    field_items,
    is_mandatory,
    joined_fields,
    record_cards,
    section_label,
)
from registre.loader import Record, collector_paused, load_register
from registre.model import Meta, table_of
from registre.presentation import (
    NBSP,
    NNBSP,
    clean_text,
    local_time,
    long_datetime,
    short_datetime,
)
from registre.schema import (
    ACTIVITY,
    BREACH,
    ORGANISATION,
    PROCESSOR,
    SOFTWARE,
    Role,
)
from registre.storage import Register
from registre.vocabularies import vocabulary

if TYPE_CHECKING:
    from registre.companion import BreachClock


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
    organisation: Record, profile: Profile, masking: Masking
) -> tuple[Block, ...]:
    blocks = []
    for section in ORGANISATION.sections:
        specs = [
            s
            for s in ORGANISATION.fields
            if s.section == section.key and shows_field(profile, s, ORGANISATION)
        ]
        items = field_items(ORGANISATION, organisation, specs, masking, keep_empty=is_mandatory)
        if items:
            blocks.append(Block(section.label_fr, section.article, tuple(items)))
    return tuple(blocks)


def _part(organisation: Record, profile: Profile, masking: Masking, report: Any) -> Part:
    activities = organisation["activities"]
    scores: dict[str, int] = {}
    if report is not None:
        scores = {key: int(s.percent) for key, s in report.activity_scores.items()}
    with_scores = report is not None and shows_annexes(profile)
    controller: list[Sheet] = []
    processor: list[Sheet] = []
    for activity in activities:
        sheet = activity_sheet(
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
            section_label(ORGANISATION, "dpo"),
            *joined_fields(organisation, ("dpo_name", "dpo_organisation", "dpo_email"), masking),
        ),
        controller_sheets=tuple(controller),
        processor_sheets=tuple(processor),
        processors=record_cards(
            PROCESSOR,
            processors,
            profile,
            masking,
            None,
            processor_use,
        ),
        software=(
            record_cards(
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
    ("Découverte (heure de Paris)", 1.6),
    ("Notification à la CNIL", 2.6),
    ("Information des personnes", 2.0),
    ("État", 1.0),
)


def _clock_texts(clock: BreachClock) -> tuple[str, str]:
    """The 72-hour clock as a reader of the PDF needs it, long (the sheet) and short (the
    summary): a clock still running or run out names its deadline, and the time left or
    passed is said to be the export's."""
    text = clock.text("fr")
    if not clock.needs_attention or clock.deadline is None:
        return text, text
    return (
        f"Échéance de notification : {long_datetime(clock.deadline)}. À l'export : {text}.",
        f"Échéance {short_datetime(clock.deadline)} — à l'export : {text[:1].lower()}{text[1:]}",
    )


def _breach_part(organisation: Record, masking: Masking, now: dt.datetime) -> Part:
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
        clock, short_clock = _clock_texts(breach_clock(breach, now))
        blocks = []
        for section in BREACH.sections:
            specs = [spec for spec in BREACH.fields if spec.section == section.key]
            items = field_items(BREACH, shown, specs, masking, keep_empty=is_mandatory)
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
                status=short_clock,
                legal_basis="",
                sensitive=any(key in sensitive for key in breach["data_categories"]),
                score=None,
                write_blocks=partial(tuple, blocks),
                summary=(
                    clean_text(breach["reference"] or ""),
                    clean_text(breach["title"]),
                    short_datetime(discovered) if discovered else NOT_FILLED,
                    short_clock,
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
            section_label(ORGANISATION, "dpo"),
            *joined_fields(organisation, ("dpo_name", "dpo_organisation", "dpo_email"), masking),
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
        select(func.max(AUDIT.c.seq)).where(AUDIT.c.entity.not_in(TECHNICAL_ENTITIES))
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
        meta = table_of(Meta)  # Core statements: an export configures no mapper
        schema_version = session.scalar(select(meta.c.value).where(meta.c.key == "schema_version"))
        revision = register_revision(session)
        digest = hashlib.sha256(_canonical(organisations)).hexdigest()
        entries, head_hash = chain_head(session)
    if not entries:
        head_hash = ""
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
    masking = Masking(profile, options)
    with collector_paused():
        if profile is Profile.BREACHES:
            now = register.context.clock()
            parts = tuple(_breach_part(org, masking, now) for org in source.organisations)
        else:
            parts = tuple(_part(org, profile, masking, checked) for org in source.organisations)
        if profile is Profile.COMMUNICABLE:  # what it masks counts in the fingerprint
            for part in parts:
                for sheet in part.sheets:
                    sheet.blocks  # noqa: B018 - written now, counting what they mask
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


# The renderers and the export service read the whole model from here.
__all__ = [
    "ARTICLE_30_WORDS",
    "MASK_REASON",
    "MASK_TEXT",
    "NBSP",
    "NNBSP",
    "NOT_FILLED",
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
    "UnknownProfile",
    "build_document",
    "clean_text",
    "french_label",
    "grouped_hex",
    "local_time",
    "parse_profile",
    "quoted",
    "read_source",
    "short_datetime",
    "shows_annexes",
    "summary_row",
]
