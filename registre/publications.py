"""Publications: what each official PDF export showed, and what changed since.

Every official export of the Article 30 register (profiles full, extract, communicable) keeps
one ``Publication`` per organisation it covered: when, which profile, the document's content
fingerprint and the file's SHA-256, and a **snapshot** — the organisation's fields and each
activity in canonical form (its fields, its rows without their technical identifiers, the names
of its processors and software). ``changes_since_publication`` compares today's records with the
last snapshot: activities added, removed, and changed field by field.

The snapshot is written in the same transaction as the export's audit entry
(``record_publications``); reading changes only reads.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from registre.audit import jsonable
from registre.loader import Record, collector_paused, load_register
from registre.model import Publication, table_of
from registre.presentation import short_date
from registre.schema import ACTIVITY, ORGANISATION, Entity, Field, Kind
from registre.vocabularies import vocabulary

PUBLICATION = table_of(Publication)  # recording one needs no mapper configuration

if TYPE_CHECKING:
    from registre.storage import Register

REGISTER_PROFILES = ("full", "art30", "communicable")
"""PDF profiles that publish the Article 30 register (the breach register is another book)."""

SNAPSHOT_VERSION = 1
IGNORED = frozenset({"created_on", "updated_on", "template_id", "template_version"})
"""Fields left out of a snapshot: stamps the services keep, and provenance."""


# --------------------------------------------------------------------------------------------
# Snapshots
# --------------------------------------------------------------------------------------------


def _names(items: Any) -> list[str]:
    return sorted(str(item["name"]) if isinstance(item, dict) else str(item) for item in items)


def canonical_row(entity: Entity, row: Record) -> dict[str, Any]:
    """A row of an activity's collection without its identifiers and position."""
    return {spec.key: jsonable(row.get(spec.key)) for spec in entity.fields}


def canonical_activity(activity: Record) -> dict[str, Any]:
    """An activity (a loaded record) as the snapshot keeps it: JSON values, no identifiers."""
    values: dict[str, Any] = {}
    for spec in ACTIVITY.fields:
        if spec.key in IGNORED:
            continue
        value = activity.get(spec.key)
        if spec.kind == Kind.REFERENCES:
            values[spec.key] = _names(value or [])
        else:
            values[spec.key] = jsonable(value)
    for collection in ACTIVITY.collections:
        values[collection.key] = [
            canonical_row(collection.entity, row) for row in activity.get(collection.key, [])
        ]
    return values


def canonical_organisation(organisation: Record) -> dict[str, Any]:
    """An organisation's own fields as the snapshot keeps them."""
    return {
        spec.key: jsonable(organisation.get(spec.key))
        for spec in ORGANISATION.fields
        if spec.kind != Kind.REFERENCES and spec.key not in IGNORED
    }


def snapshot_of(organisation: Record) -> dict[str, Any]:
    """What a publication keeps of one loaded organisation."""
    return {
        "version": SNAPSHOT_VERSION,
        "organisation": canonical_organisation(organisation),
        "activities": {
            activity["id"]: canonical_activity(activity) for activity in organisation["activities"]
        },
    }


def record_publications(
    session: Session,
    snapshots: Sequence[tuple[str, dict[str, Any]]],
    *,
    new_id: Callable[[], str],
    at: dt.datetime,
    profile: str,
    fingerprint: str,
    sha256: str,
    file: str,
) -> int:
    """Insert one publication per (organisation id, snapshot) in the caller's transaction.

    Only each organisation's latest publication keeps its snapshot (the changes view compares
    with no other): the snapshots of the earlier ones are emptied (``PRUNED``), their date,
    profile, fingerprint and file kept. A register does not grow by a whole copy of itself at
    every export.
    """
    at = at.astimezone(dt.UTC).replace(tzinfo=None) if at.tzinfo else at
    rows = [
        {
            "id": new_id(),
            "organisation_id": organisation_id,
            "exported_at": at,
            "profile": profile,
            "fingerprint": fingerprint,
            "sha256": sha256,
            "file": file,
            "snapshot": snapshot,
        }
        for organisation_id, snapshot in snapshots
    ]
    if rows:
        session.execute(insert(PUBLICATION), rows)
    for organisation_id in dict.fromkeys(organisation_id for organisation_id, _s in snapshots):
        _prune_snapshots(session, organisation_id)
    return len(rows)


PRUNED: dict[str, Any] = {}
"""The snapshot left to a publication that is no longer its organisation's latest."""


def _prune_snapshots(session: Session, organisation_id: str) -> None:
    latest = session.scalar(
        select(PUBLICATION.c.id)
        .where(PUBLICATION.c.organisation_id == organisation_id)
        .order_by(PUBLICATION.c.exported_at.desc(), PUBLICATION.c.id.desc())
        .limit(1)
    )
    session.execute(
        update(PUBLICATION)
        .where(PUBLICATION.c.organisation_id == organisation_id, PUBLICATION.c.id != latest)
        .values(snapshot=PRUNED)
    )


@dataclass(frozen=True)
class PublicationMark:
    """When and how an organisation was last published (without its snapshot)."""

    id: str
    organisation_id: str
    at: dt.datetime
    profile: str
    fingerprint: str
    sha256: str
    file: str


def _datetime(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def latest_publications(session: Session) -> dict[str, PublicationMark]:
    """The latest publication of each organisation, by organisation identifier."""
    rows = session.execute(
        text(
            "SELECT id, organisation_id, exported_at, profile, fingerprint, sha256, file "
            "FROM publication ORDER BY exported_at, id"
        )
    ).all()
    return {row[1]: _mark(row) for row in rows}


def _mark(row: Any) -> PublicationMark:
    return PublicationMark(row[0], row[1], _datetime(row[2]), row[3], row[4], row[5], row[6] or "")


def _latest_snapshot(
    session: Session, organisation_id: str
) -> tuple[PublicationMark, dict[str, Any]] | None:
    row = session.execute(
        text(
            "SELECT id, organisation_id, exported_at, profile, fingerprint, sha256, file, "
            "snapshot FROM publication WHERE organisation_id = :organisation "
            "ORDER BY exported_at DESC, id DESC LIMIT 1"
        ),
        {"organisation": organisation_id},
    ).first()
    if row is None:
        return None
    snapshot = row[7]  # the latest publication always has its snapshot (never PRUNED)
    return _mark(row), json.loads(snapshot) if isinstance(snapshot, str) else snapshot


# --------------------------------------------------------------------------------------------
# Changes since the last publication
# --------------------------------------------------------------------------------------------


def _t(lang: str, fr: str, en: str) -> str:
    return en if lang == "en" else fr


def _choice_text(spec: Field, key: Any, lang: str) -> str:
    if spec.choices:
        return spec.choice_label(str(key), lang)
    if spec.vocabulary:
        return vocabulary(spec.vocabulary).label(str(key), lang)
    return str(key)


def value_text(spec: Field, value: Any, lang: str = "fr") -> str:
    """A snapshot value in words (« — » when empty)."""
    if value is None or value in ("", []):
        return "—"
    if spec.kind == Kind.BOOL:
        return _t(lang, "oui", "yes") if value else _t(lang, "non", "no")
    if spec.kind == Kind.CHOICE:
        return _choice_text(spec, value, lang)
    if spec.kind == Kind.MULTICHOICE:
        return " ; ".join(_choice_text(spec, item, lang) for item in value)
    if spec.kind == Kind.REFERENCES:
        return " ; ".join(str(item) for item in value)
    if spec.kind == Kind.DATE and lang != "en":
        try:
            return short_date(str(value))
        except ValueError:
            return str(value)
    return str(value)


def row_text(entity: Entity, row: dict[str, Any], lang: str = "fr") -> str:
    """One row of a collection in words: its non-empty values, joined."""
    parts = [
        value_text(spec, row.get(spec.key), lang)
        for spec in entity.fields
        if row.get(spec.key) not in (None, "", [])
    ]
    return ", ".join(parts) or "—"


@dataclass(frozen=True)
class FieldChange:
    """One field (or collection) whose value changed since the publication, in words in French
    (``before``, ``after``…) and in English (``before_en``…): read them with ``before_text``,
    ``after_text``, ``added`` and ``removed`` in the reader's language."""

    key: str
    label_fr: str
    label_en: str
    before: str
    after: str
    added_rows: tuple[str, ...] = ()  # collections: rows present now only
    removed_rows: tuple[str, ...] = ()  # collections: rows present then only
    before_en: str = ""
    after_en: str = ""
    added_rows_en: tuple[str, ...] = ()
    removed_rows_en: tuple[str, ...] = ()

    def label(self, lang: str = "fr") -> str:
        """The field's label in ``lang``."""
        return self.label_en if lang == "en" else self.label_fr

    def before_text(self, lang: str = "fr") -> str:
        """The value at the publication, in words in ``lang``."""
        return self.before_en if lang == "en" else self.before

    def after_text(self, lang: str = "fr") -> str:
        """The value now, in words in ``lang``."""
        return self.after_en if lang == "en" else self.after

    def added(self, lang: str = "fr") -> tuple[str, ...]:
        """Rows present now only, in words in ``lang``."""
        return self.added_rows_en if lang == "en" else self.added_rows

    def removed(self, lang: str = "fr") -> tuple[str, ...]:
        """Rows present then only, in words in ``lang``."""
        return self.removed_rows_en if lang == "en" else self.removed_rows


@dataclass(frozen=True)
class ActivityChange:
    """An activity added, removed or changed since the publication."""

    kind: str  # "added", "removed", "changed"
    activity_id: str
    reference: str | None
    name: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class OrganisationChanges:
    """What changed in one organisation's register since it was last published."""

    organisation_id: str
    name: str
    publication: PublicationMark | None  # None: never published
    organisation_fields: tuple[FieldChange, ...] = ()
    activities: tuple[ActivityChange, ...] = field(default_factory=tuple)

    @property
    def added(self) -> list[ActivityChange]:
        """Activities created since the publication."""
        return [a for a in self.activities if a.kind == "added"]

    @property
    def removed(self) -> list[ActivityChange]:
        """Activities deleted since the publication."""
        return [a for a in self.activities if a.kind == "removed"]

    @property
    def changed(self) -> list[ActivityChange]:
        """Activities whose fields changed since the publication."""
        return [a for a in self.activities if a.kind == "changed"]

    @property
    def unchanged(self) -> bool:
        """True when the register is as it was published."""
        return not self.activities and not self.organisation_fields


def field_changes(entity: Entity, old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """The fields and collections whose values differ between two canonical records."""
    changes: list[FieldChange] = []
    for spec in entity.fields:
        if spec.key in IGNORED or (spec.key not in new and spec.key not in old):
            continue
        before, after = old.get(spec.key), new.get(spec.key)
        if before != after and not (before in (None, "", []) and after in (None, "", [])):
            changes.append(
                FieldChange(
                    spec.key,
                    spec.label_fr,
                    spec.label_en,
                    value_text(spec, before, "fr"),
                    value_text(spec, after, "fr"),
                    before_en=value_text(spec, before, "en"),
                    after_en=value_text(spec, after, "en"),
                )
            )
    for collection in entity.collections:
        before_rows = old.get(collection.key) or []
        after_rows = new.get(collection.key) or []
        if before_rows == after_rows:
            continue
        row_entity = collection.entity
        texts = {}
        for lang in ("fr", "en"):
            then = [row_text(row_entity, row, lang) for row in before_rows]
            now = [row_text(row_entity, row, lang) for row in after_rows]
            texts[lang] = (
                "\n".join(then) or "—",
                "\n".join(now) or "—",
                tuple(text for text in now if text not in then),
                tuple(text for text in then if text not in now),
            )
        french, english = texts["fr"], texts["en"]
        changes.append(
            FieldChange(
                collection.key,
                row_entity.plural_fr,
                row_entity.plural_en,
                *french,
                *english,
            )
        )
    return changes


def compare(
    organisation: Record, snapshot: dict[str, Any] | None, publication: PublicationMark | None
) -> OrganisationChanges:
    """What changed between ``snapshot`` (None: never published) and ``organisation`` now."""
    current = snapshot_of(organisation)
    then: dict[str, Any] = (snapshot or {}).get("activities", {})
    now: dict[str, Any] = current["activities"]
    activities: list[ActivityChange] = []
    for activity_id, values in now.items():
        old = then.get(activity_id)
        if old is None:
            activities.append(
                ActivityChange("added", activity_id, values.get("reference"), values["name"])
            )
            continue
        fields = field_changes(ACTIVITY, old, values)
        if fields:
            activities.append(
                ActivityChange(
                    "changed", activity_id, values.get("reference"), values["name"], tuple(fields)
                )
            )
    for activity_id, old in then.items():
        if activity_id not in now:
            activities.append(
                ActivityChange("removed", activity_id, old.get("reference"), old.get("name", ""))
            )
    order = {"added": 0, "changed": 1, "removed": 2}
    activities.sort(key=lambda a: (order[a.kind], a.reference or "", a.name))
    organisation_fields: list[FieldChange] = []
    if snapshot is not None:
        organisation_fields = field_changes(
            ORGANISATION, snapshot.get("organisation", {}), current["organisation"]
        )
    return OrganisationChanges(
        organisation["id"],
        organisation["name"],
        publication,
        tuple(organisation_fields),
        tuple(activities),
    )


def changes_since_publication(
    register: Register, organisation_id: str | None = None
) -> list[OrganisationChanges]:
    """Per organisation (or only ``organisation_id``), what changed since its last official
    export (RecordNotFound for an unknown organisation)."""
    with collector_paused(), register.read() as session:
        return changes_from_source(session, load_register(session, organisation_id))


def changes_from_source(session: Session, organisations: list[Record]) -> list[OrganisationChanges]:
    """``changes_since_publication`` for records already loaded in ``session``."""
    results = []
    for org in organisations:
        latest = _latest_snapshot(session, org["id"])
        if latest is None:
            results.append(compare(org, None, None))
        else:
            mark, snapshot = latest
            results.append(compare(org, snapshot, mark))
    return results


# --------------------------------------------------------------------------------------------
# Writing it out
# --------------------------------------------------------------------------------------------


def _title(change: ActivityChange) -> str:
    reference = f"{change.reference} " if change.reference else ""
    return f"{reference}{change.name}"


def summary_line(changes: OrganisationChanges, lang: str = "fr") -> str:
    """« 2 traitements ajoutés, 1 modifié, 0 supprimé »."""
    added, changed, removed = len(changes.added), len(changes.changed), len(changes.removed)
    if lang == "en":
        return f"{added} activities added, {changed} changed, {removed} removed"
    return (
        f"{added} traitement{'s' if added > 1 else ''} ajouté{'s' if added > 1 else ''}, "
        f"{changed} modifié{'s' if changed > 1 else ''}, "
        f"{removed} supprimé{'s' if removed > 1 else ''}"
    )


def cover_summary(changes: OrganisationChanges, limit: int = 8) -> str:
    """What the cover of the next PDF says of the changes (French, like the PDF)."""
    mark = changes.publication
    if mark is None:
        return "Première publication du registre de cet organisme."
    since = f"Depuis la publication du {short_date(mark.at)} ({mark.fingerprint[:16]}) : "
    if changes.unchanged:
        return since + "aucun changement."
    parts = [summary_line(changes, "fr")]

    def listed(items: list[ActivityChange], word: str, fields: bool = False) -> None:
        if not items:
            return
        names = []
        for item in items[:limit]:
            text = _title(item)
            if fields and item.fields:
                text += " (" + ", ".join(f.label_fr for f in item.fields) + ")"
            names.append(text)
        more = f" et {len(items) - limit} autre(s)" if len(items) > limit else ""
        parts.append(f"{word} : " + " ; ".join(names) + more)

    listed(changes.added, "Ajoutés")
    listed(changes.changed, "Modifiés", fields=True)
    listed(changes.removed, "Supprimés")
    if changes.organisation_fields:
        parts.append(
            "Fiche de l'organisme : " + ", ".join(f.label_fr for f in changes.organisation_fields)
        )
    return since + ". ".join(parts) + "."


def changes_text(results: list[OrganisationChanges], lang: str = "fr") -> str:
    """The changes per organisation, for people."""
    lines: list[str] = []
    for changes in results:
        if lines:
            lines.append("")
        lines += [changes.name, "=" * min(len(changes.name), 100)]
        mark = changes.publication
        if mark is None:
            lines.append(
                _t(
                    lang,
                    "Jamais publié : aucun export PDF officiel n'a été fait.",
                    "Never published: no official PDF export was made.",
                )
            )
        else:
            day = mark.at.strftime("%d/%m/%Y à %H:%M UTC") if lang != "en" else mark.at.isoformat()
            lines.append(
                _t(
                    lang,
                    f"Depuis la publication du {day} (profil {mark.profile}, empreinte "
                    f"{mark.fingerprint[:16]}) :",
                    f"Since the publication of {day} (profile {mark.profile}, fingerprint "
                    f"{mark.fingerprint[:16]}):",
                )
            )
        if changes.unchanged:
            lines.append(_t(lang, "Aucun changement.", "No change."))
            continue
        lines.append(summary_line(changes, lang))
        for field_change in changes.organisation_fields:
            lines.append(
                _t(lang, "  Organisme, ", "  Organisation, ")
                + f"{field_change.label(lang)} : {_one_line(field_change.before_text(lang))} → "
                f"{_one_line(field_change.after_text(lang))}"
            )
        for activity in changes.activities:
            mark_char = {"added": "+", "removed": "−", "changed": "~"}[activity.kind]
            word = {
                "added": _t(lang, "ajouté", "added"),
                "removed": _t(lang, "supprimé", "removed"),
                "changed": _t(lang, "modifié", "changed"),
            }[activity.kind]
            lines.append(f"  {mark_char} {_title(activity)} ({word})")
            for field_change in activity.fields:
                lines.append(
                    f"      {field_change.label(lang)} :"
                    if lang != "en"
                    else f"      {field_change.label(lang)}:"
                )
                if field_change.key in _COLLECTION_KEYS:
                    added, removed = field_change.added(lang), field_change.removed(lang)
                    lines += [f"        + {row}" for row in added]
                    lines += [f"        − {row}" for row in removed]
                    if not added and not removed:
                        lines.append(_t(lang, "        (ordre modifié)", "        (order changed)"))
                else:
                    before = _one_line(field_change.before_text(lang))
                    after = _one_line(field_change.after_text(lang))
                    lines.append(f"        {before} → {after}")
    return "\n".join(lines)


_COLLECTION_KEYS = frozenset(
    collection.key for entity in (ORGANISATION, ACTIVITY) for collection in entity.collections
)


def _one_line(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def changes_json(results: list[OrganisationChanges], lang: str = "fr") -> dict[str, Any]:
    """The changes as JSON-ready data with stable keys (values in words in ``lang``)."""

    def field_json(change: FieldChange) -> dict[str, Any]:
        return {
            "field": change.key,
            "label": {"fr": change.label_fr, "en": change.label_en},
            "before": change.before_text(lang),
            "after": change.after_text(lang),
            "added_rows": list(change.added(lang)),
            "removed_rows": list(change.removed(lang)),
        }

    def publication_json(mark: PublicationMark | None) -> dict[str, Any] | None:
        if mark is None:
            return None
        return {
            "at": mark.at.isoformat(),
            "profile": mark.profile,
            "fingerprint": mark.fingerprint,
            "sha256": mark.sha256,
            "file": mark.file,
        }

    return {
        "format": "registre-changes",
        "version": 1,
        "organisations": [
            {
                "id": changes.organisation_id,
                "name": changes.name,
                "since": publication_json(changes.publication),
                "organisation_fields": [field_json(f) for f in changes.organisation_fields],
                "activities": [
                    {
                        "change": activity.kind,
                        "id": activity.activity_id,
                        "reference": activity.reference,
                        "name": activity.name,
                        "fields": [field_json(f) for f in activity.fields],
                    }
                    for activity in changes.activities
                ],
            }
            for changes in results
        ],
    }
