"""Duplication of well-made records to other organisations of the same register.

A shared DPO writes an activity once (« Cantine scolaire ») and copies it to the communes that
run the same service. ``duplicate_records`` copies activities, or processors, or software, from
one organisation to several: an activity's copy takes the next free reference of its new
organisation (« T-036 »), starts as a draft (the commune confirms it, the DPO validates it), and
its processors and software are linked to the organisation's own ones of the same name, or
re-created there when it has none. Every creation goes through the service functions (one audit
entry each), all in one transaction (``registre.transaction``): if one copy is refused or the
disk fills up midway, nothing at all is kept, not even in the audit trail. The result lists the
changes so that the whole duplication is one undo step (``UndoStack.push_group``) and reports
what was done per organisation.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from registre import services
from registre.errors import UsageError
from registre.schema import ACTIVITY, ENTITIES, ORGANISATION
from registre.services import Change
from registre.transaction import one_transaction

if TYPE_CHECKING:
    from registre.storage import Register

DUPLICABLE = ("activity", "processor", "software")
_NUMBERED = re.compile(r"^(.*?)(\d+)$")
# Not carried to a copy: stamps and where it came from, its own status and reference.
_NOT_COPIED = frozenset({"created_on", "updated_on", "status", "reference"})


@dataclass(frozen=True)
class Copy:
    """One record copied to one organisation."""

    organisation_id: str
    organisation: str
    entity: str
    source_id: str
    name: str
    record_id: str
    reference: str | None = None
    linked: tuple[str, ...] = ()  # processors and software of the organisation it now uses
    created: tuple[str, ...] = ()  # processors and software re-created for it
    existing: bool = False  # a processor or software the organisation already had: not copied


@dataclass(frozen=True)
class Duplication:
    """What ``duplicate_records`` did: the copies, and every change in the order made."""

    entity: str
    copies: list[Copy]
    changes: list[Change] = field(default_factory=list)

    def label(self, lang: str = "fr") -> str:
        """« la duplication de « Cantine » vers 3 organismes »."""
        names = sorted({copy.name for copy in self.copies})
        organisations = len({copy.organisation_id for copy in self.copies})
        what = f"« {names[0]} »" if len(names) == 1 else f"{len(names)} fiches"
        what_en = f"“{names[0]}”" if len(names) == 1 else f"{len(names)} records"
        if lang == "en":
            return f"duplication of {what_en} to {organisations} organisation(s)"
        return f"la duplication de {what} vers {organisations} organisme(s)"


def _following(reference: str) -> str:
    """« T-036 » → « T-037 » (same width); a reference without a number gets « -2 »."""
    found = _NUMBERED.match(reference)
    if not found:
        return f"{reference}-2"
    prefix, digits = found.groups()
    return f"{prefix}{int(digits) + 1:0{len(digits)}d}"


class _Target:
    """One destination organisation: its processors and software by name, its references."""

    def __init__(self, register: Register, organisation_id: str, name: str) -> None:
        self.register = register
        self.id = organisation_id
        self.name = name
        self.by_name: dict[str, dict[str, str]] = {
            entity: {
                str(record["name"]).casefold(): str(record["id"])
                for record in services.list_records(register, entity, organisation_id)
            }
            for entity in ("processor", "software")
        }
        self.next_reference: str | None = None

    def reference(self) -> str:
        if self.next_reference is None:
            self.next_reference = services.next_activity_reference(self.register, self.id)
        reference = self.next_reference
        self.next_reference = _following(reference)
        return reference


def duplicate_records(
    register: Register,
    *,
    entity: str,
    record_ids: Sequence[str],
    to_organisations: Sequence[str],
) -> Duplication:
    """Copy ``record_ids`` (activities, processors or software of one organisation) to every
    organisation of ``to_organisations``.

    Raises UsageError for another entity, records of several organisations, or a destination
    that is the source itself; RecordNotFound for an unknown identifier.
    """
    if entity not in DUPLICABLE:
        raise UsageError(
            reason=f"seuls les traitements, sous-traitants et logiciels se dupliquent ({entity})",
            reason_en=f"only activities, processors and software can be duplicated ({entity})",
        )
    if not record_ids or not to_organisations:
        raise UsageError(
            reason="indiquez au moins une fiche et un organisme de destination",
            reason_en="give at least one record and one destination organisation",
        )
    sources = [services.record_of(register, entity, record_id) for record_id in record_ids]
    origins = {str(source["organisation_id"]) for source in sources}
    if len(origins) != 1:
        raise UsageError(
            reason="les fiches à dupliquer doivent venir d'un même organisme",
            reason_en="the records to duplicate must come from one organisation",
        )
    origin = origins.pop()
    names = {org.id: org.name for org in services.list_organisations(register)}
    destinations = list(dict.fromkeys(to_organisations))
    for organisation_id in destinations:
        if organisation_id not in names:
            services.record_of(register, "organisation", organisation_id)  # RecordNotFound
        if organisation_id == origin:
            raise UsageError(
                reason="un organisme de destination est l'organisme d'origine",
                reason_en="a destination organisation is the source organisation",
            )
    source_records = {
        kind: {str(r["id"]): r for r in services.list_records(register, kind, origin)}
        for kind in ("processor", "software")
    }
    result = Duplication(entity, [])
    with one_transaction(register) as joined:  # every copy, or none
        for organisation_id in destinations:
            target = _Target(joined, organisation_id, names[organisation_id])
            _copy_to(joined, entity, sources, source_records, target, result)
    return result


def _values(entity_name: str, record: dict[str, Any]) -> dict[str, Any]:
    spec = ENTITIES[entity_name]
    return {key: record.get(key) for key in spec.keys if key not in _NOT_COPIED}


def _counterpart(
    register: Register,
    kind: str,
    source_id: str,
    sources: dict[str, dict[str, dict[str, Any]]],
    target: _Target,
    result: Duplication,
    created: list[str],
    linked: list[str],
) -> str:
    """The destination's processor or software of the same name, re-created when missing."""
    source = sources[kind][source_id]
    name = str(source["name"])
    existing = target.by_name[kind].get(name.casefold())
    if existing is not None:
        linked.append(name)
        return existing
    values = _values(kind, source)
    if kind == "software" and values.get("processor_id"):
        values["processor_id"] = _counterpart(
            register,
            "processor",
            str(values["processor_id"]),
            sources,
            target,
            result,
            created,
            linked,
        )
    values.pop("name")
    creator = services.create_processor if kind == "processor" else services.create_software
    change = creator(register, organisation_id=target.id, name=name, **values)
    result.changes.append(change)
    target.by_name[kind][name.casefold()] = change.id
    created.append(name)
    return change.id


def _copy_to(
    register: Register,
    entity: str,
    records: list[dict[str, Any]],
    sources: dict[str, dict[str, dict[str, Any]]],
    target: _Target,
    result: Duplication,
) -> None:
    if entity in ("processor", "software"):
        for record in records:
            created: list[str] = []
            linked: list[str] = []
            sources[entity].setdefault(str(record["id"]), record)
            before = len(result.changes)
            record_id = _counterpart(
                register, entity, str(record["id"]), sources, target, result, created, linked
            )
            result.copies.append(
                Copy(
                    target.id,
                    target.name,
                    entity,
                    str(record["id"]),
                    str(record["name"]),
                    record_id,
                    created=tuple(name for name in created if name != record["name"]),
                    existing=len(result.changes) == before,  # same name there: nothing copied
                )
            )
        return
    pending: list[tuple[dict[str, Any], dict[str, Any], list[str], list[str]]] = []
    for record in records:
        created = []
        linked = []
        values = _values(ACTIVITY.name, record)
        for kind, key in (("processor", "processors"), ("software", "software")):
            values[key] = [
                _counterpart(register, kind, str(ref), sources, target, result, created, linked)
                for ref in record.get(key) or []
            ]
        for collection in ACTIVITY.collections:
            values[collection.key] = [
                {k: v for k, v in row.items() if k != "id"} for row in record[collection.key]
            ]
        values["reference"] = target.reference()
        values["status"] = "draft"
        pending.append((record, values, created, linked))
    changes = services.bulk_create_activities(
        register, organisation_id=target.id, activities=[values for _r, values, _c, _l in pending]
    )
    result.changes.extend(changes)
    for (record, values, created, linked), change in zip(pending, changes, strict=True):
        result.copies.append(
            Copy(
                target.id,
                target.name,
                entity,
                str(record["id"]),
                str(record["name"]),
                change.id,
                values["reference"],
                tuple(name for name in dict.fromkeys(linked) if name not in created),
                tuple(dict.fromkeys(created)),
            )
        )


def duplication_text(result: Duplication, lang: str = "fr") -> str:
    """The report: one line per copy, with what it was linked to or re-created with."""
    entity = ENTITIES[result.entity]
    lines = []
    by_organisation: dict[str, list[Copy]] = {}
    for copy in result.copies:
        by_organisation.setdefault(copy.organisation, []).append(copy)
    for organisation, copies in by_organisation.items():
        lines.append(
            f"{ORGANISATION.label(lang)} « {organisation} » :"
            if lang != "en"
            else f"{ORGANISATION.label(lang)} “{organisation}”:"
        )
        for copy in copies:
            reference = f"{copy.reference} " if copy.reference else ""
            if copy.existing:
                lines.append(
                    f"  = {entity.label(lang)} {copy.name} : déjà présent, non copié"
                    if lang != "en"
                    else f"  = {entity.label(lang)} {copy.name}: already there, not copied"
                )
                continue
            lines.append(f"  + {entity.label(lang)} {reference}{copy.name}")
            if copy.linked:
                joined = ", ".join(copy.linked)
                lines.append(
                    f"      lié à l'existant : {joined}"
                    if lang != "en"
                    else f"      linked to existing: {joined}"
                )
            if copy.created:
                joined = ", ".join(copy.created)
                lines.append(
                    f"      recréé dans l'organisme : {joined}"
                    if lang != "en"
                    else f"      re-created in the organisation: {joined}"
                )
    count = sum(1 for copy in result.copies if not copy.existing)
    organisations = len({copy.organisation_id for copy in result.copies if not copy.existing})
    if lang == "en":
        lines.append(
            f"{count} cop{'y' if count == 1 else 'ies'} in {organisations} organisation(s)."
        )
    else:
        lines.append(
            f"{count} copie{'s' if count > 1 else ''} dans {organisations} "
            f"organisme{'s' if organisations > 1 else ''}."
        )
    if result.entity == ACTIVITY.name and count:
        lines.append(
            "Les copies sont des brouillons : faites-les relire par chaque organisme."
            if lang != "en"
            else "The copies are drafts: have each organisation review them."
        )
    return "\n".join(lines)


def duplication_json(result: Duplication) -> dict[str, Any]:
    """The report as JSON-ready data."""
    return {
        "format": "registre-duplication",
        "version": 1,
        "entity": result.entity,
        "copies": [
            {
                "organisation_id": copy.organisation_id,
                "organisation": copy.organisation,
                "source_id": copy.source_id,
                "id": copy.record_id,
                "name": copy.name,
                "reference": copy.reference,
                "linked": list(copy.linked),
                "created": list(copy.created),
                "existing": copy.existing,
            }
            for copy in result.copies
        ],
        "changes": len(result.changes),
    }


__all__ = [
    "DUPLICABLE",
    "Copy",
    "Duplication",
    "duplicate_records",
    "duplication_json",
    "duplication_text",
]
