"""Offline visits: « Emporter » organisations of a team register, « Rapporter » them later.

A DPO visiting communes without a network takes one or more organisations of the team register
into a new **local encrypted register** (``take_out``): the same records with the same
identifiers, created in the local audit trail, and — in the local register's ``meta`` table,
encrypted with it — where they came from and the records as they were when taken (the *base*).

Back at the office, ``bring_back`` merges the local changes into the team register field by
field, with the rules of ``registre.concurrency``:

* a field changed only here is saved on the server; a field changed only on the server stays;
* a field changed on both sides to different values is a **conflict**: nothing at all is
  written and ``VisitConflicts`` lists them (exit code 5), unless the user chose, knowingly,
  which side wins (``keep="server"`` or ``keep="local"``);
* records created here are created on the server with their identifiers; records deleted here
  are deleted there, unless someone changed them on the server meanwhile (a conflict too).

Each change is saved through the usual service functions (one audit entry per record, the
server's PostgreSQL role as actor) with the record's base as the edit's starting point, so a
change made on the server during the merge is refused, never overwritten. The audit entries of
the visit are then carried over into the server's single chain, each with its origin (the
local register, the entry's number, hash, author and time), as ``offline_visit`` entries that
the replay of the trail reads as history, not as changes. A merge interrupted half-way (the
network) is simply run again: what was saved already is equal on both sides and is skipped, and
no entry is carried over twice.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from registre import services
from registre.audit import AuditTrail, chain_head, jsonable
from registre.concurrency import EditConflict, Edition, conflicts_with, save_edit
from registre.context import Context
from registre.errors import EXIT_LOCKED, EXIT_USAGE, RecordNotFound, RegistreError
from registre.model import AuditEntry, Meta, Organisation
from registre.restoration import ROW_COLLECTIONS, record_snapshot, restore_record
from registre.schema import ACTIVITY, ENTITIES, ORGANISATION, Entity, Kind
from registre.signing import ensure_signing_identity
from registre.storage import (
    Register,
    check_new_passphrase,
    create_register,
    discard_new_register,
)

if TYPE_CHECKING:
    from registre.team.register import TeamRegister

VISIT_META = "team_visit"
"""Key of the visit's description in the local register's ``meta`` table."""
VISIT_ENTITY = "offline_visit"
"""Entity of the audit entries carried over from a visit into the server's chain."""
KEEP_CHOICES = ("server", "local")
_STAMPS = frozenset({"created_on", "updated_on"})  # kept up to date by the services themselves
# Creation order (owners first); deletions run the other way round.
_ORDER = ("organisation", "processor", "software", "activity", "row", "companion")


class NotAVisit(RegistreError):
    """The local register was not taken from a team register."""

    exit_code = EXIT_USAGE
    text_fr = "Le registre « {register} » n'a pas été emporté d'un registre d'équipe."
    text_en = "Register “{register}” was not taken out of a team register."
    hint_fr = "Seul un registre créé par « registre server checkout » se rapporte."
    hint_en = "Only a register created by “registre server checkout” can be brought back."


class AlreadyBroughtBack(RegistreError):
    """The visit was brought back already; a second merge would repeat it."""

    exit_code = EXIT_USAGE
    text_fr = "Le registre « {register} » a déjà été rapporté le {when}."
    text_en = "Register “{register}” was already brought back on {when}."
    hint_fr = "Emportez à nouveau les organismes pour une nouvelle visite."
    hint_en = "Take the organisations out again for a new visit."


class OtherTeamRegister(RegistreError):
    """The visit comes from another team register than the one named."""

    exit_code = EXIT_USAGE
    text_fr = "Ce registre a été emporté de « {origin} », pas de « {target} »."
    text_en = "This register was taken out of “{origin}”, not of “{target}”."
    hint_fr = "Rapportez-le au registre d'équipe d'où il vient."
    hint_en = "Bring it back to the team register it came from."


class NothingToTakeOut(RegistreError):
    """No organisation was named."""

    exit_code = EXIT_USAGE
    text_fr = "Indiquez au moins un organisme à emporter."
    text_en = "Name at least one organisation to take out."
    hint_fr = "« registre info ADRESSE » liste les organismes et leurs identifiants."
    hint_en = "“registre info URL” lists the organisations and their identifiers."


@dataclass(frozen=True)
class VisitConflict:
    """A field (or a whole record) changed both here and on the server since the visit began."""

    organisation: str
    entity: str
    record_id: str
    record: str  # the record's name
    field: str | None  # None: the record was deleted on one side and changed on the other
    label_fr: str
    label_en: str
    base: Any
    server: Any
    local: Any

    def line(self, lang: str = "fr") -> str:
        """One line for the user: where, which field, both values."""
        label = self.label_en if lang == "en" else self.label_fr
        entity = ENTITIES.get(self.entity) or _row_entity(self.entity)
        kind = entity.label(lang) if entity is not None else self.entity
        where = (
            f"{self.organisation} · {kind} “{self.record}”"
            if lang == "en"
            else f"{self.organisation} · {kind} « {self.record} »"
        )
        if self.field is None:
            return f"{where} : {label}" if lang == "fr" else f"{where}: {label}"
        if lang == "en":
            return (
                f"{where} · {label}: server "
                f"{_text(self.server, lang)} / here {_text(self.local, lang)} "
                f"(at take-out: {_text(self.base, lang)})"
            )
        return (
            f"{where} · {label} : serveur "
            f"{_text(self.server, lang)} / ici {_text(self.local, lang)} "
            f"(à l'emport : {_text(self.base, lang)})"
        )


class VisitConflicts(RegistreError):
    """Fields changed on both sides: nothing was written to the server."""

    exit_code = EXIT_LOCKED
    text_fr = (
        "{count} modification(s) faite(s) pendant la visite touchent ce qui a aussi été modifié "
        "sur le serveur : rien n'a été rapporté."
    )
    text_en = (
        "{count} change(s) made during the visit touch what was also changed on the server: "
        "nothing was brought back."
    )
    hint_fr = (
        "Reportez dans ce registre les valeurs du serveur que vous acceptez, ou choisissez en "
        "connaissance de cause : --keep server (garder celles du serveur) ou --keep local "
        "(les remplacer par les vôtres)."
    )
    hint_en = (
        "Copy into this register the server's values you accept, or choose knowingly: "
        "--keep server (keep the server's) or --keep local (replace them with yours)."
    )

    def __init__(self, conflicts: Sequence[VisitConflict]) -> None:
        self.conflicts = tuple(conflicts)
        super().__init__(count=len(self.conflicts))


@dataclass(frozen=True)
class Visit:
    """What a local register remembers of the team register it was taken from."""

    register_id: str
    server: str
    team_name: str
    organisations: tuple[str, ...]
    taken_at: str
    taken_by: str
    audit_seq: int  # the local chain's head once everything was taken
    base: dict[str, dict[str, Any]]  # "entity:id" → group, owner, organisation, values
    brought_back_at: str | None = None

    def to_json(self) -> str:
        """As stored in ``meta``."""
        return json.dumps(self.__dict__, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Visit:
        """Read back what ``to_json`` wrote."""
        data = json.loads(text)
        data["organisations"] = tuple(data["organisations"])
        return cls(**data)


@dataclass
class Summary:
    """What a take-out or a bring-back did."""

    created: list[str] = field(default_factory=list)  # "entity:id"
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    carried: int = 0  # audit entries carried over into the server's chain
    conflicts_kept: tuple[VisitConflict, ...] = ()  # conflicts settled by ``keep``


@dataclass(frozen=True)
class _Record:
    """One record of a register, flattened out of an organisation's snapshot."""

    entity: str
    id: str
    group: str  # _ORDER entry
    owner: str | None  # the organisation, or the activity of a row
    organisation: str  # its id
    organisation_name: str
    values: dict[str, Any]
    snapshot: dict[str, Any]


# -- taking out -------------------------------------------------------------------------------


def take_out(
    team: TeamRegister,
    organisations: Iterable[str],
    directory: Path,
    passphrase: str,
    *,
    context: Context | None = None,
) -> tuple[Register, str]:
    """Create the local register ``directory`` holding ``organisations`` (ids or exact names)
    of ``team``; returns it open and its recovery key. All or nothing."""
    wanted = _organisation_ids(team, organisations)
    snapshots = [record_snapshot(team, ORGANISATION.name, org) for org in wanted]
    check_new_passphrase(passphrase)
    local, recovery_key = create_register(directory, passphrase, context=context)
    try:
        for snapshot in snapshots:
            restore_record(local, snapshot)
        ensure_signing_identity(local)
        base = {key: _base_entry(record) for key, record in _flatten(local, wanted).items()}
        with local.write() as session:
            visit = Visit(
                register_id=team.register_id,
                server=team.address.display,
                team_name=team.team_name,
                organisations=tuple(wanted),
                taken_at=local.context.clock().isoformat(timespec="seconds"),
                taken_by=team.context.actor,
                audit_seq=chain_head(session)[0],
                base=base,
            )
            session.add(Meta(key=VISIT_META, value=visit.to_json()))
    except BaseException:
        local.close()
        discard_new_register(directory)
        raise
    return local, recovery_key


def _organisation_ids(team: TeamRegister, organisations: Iterable[str]) -> list[str]:
    named = [name.strip() for name in organisations if name.strip()]
    if not named:
        raise NothingToTakeOut()
    with team.read() as session:
        visible = list(session.execute(select(Organisation.id, Organisation.name)))
    found: list[str] = []
    for name in named:
        match = [org_id for org_id, org_name in visible if name in (org_id, org_name)]
        if len(match) != 1:
            raise RecordNotFound(entity=ORGANISATION.label_fr, id=name)
        if match[0] not in found:
            found.append(match[0])
    return found


def read_visit(local: Register) -> Visit:
    """The visit a local register comes from; NotAVisit for any other register."""
    with local.read() as session:
        text = session.scalar(select(Meta.value).where(Meta.key == VISIT_META))
    if text is None:
        raise NotAVisit(register=local.name)
    return Visit.from_json(text)


# -- bringing back ----------------------------------------------------------------------------


def bring_back(local: Register, team: TeamRegister, *, keep: str | None = None) -> Summary:
    """Merge the visit's changes into ``team``, carry its audit entries over, and mark the
    local register as brought back. VisitConflicts (nothing written) when a field changed on
    both sides, unless ``keep`` ("server" or "local") settles every conflict."""
    visit = read_visit(local)
    if visit.brought_back_at is not None:
        when = dt.datetime.fromisoformat(visit.brought_back_at)
        raise AlreadyBroughtBack(register=local.name, when=f"{when:%d/%m/%Y %H:%M} UTC")
    if visit.register_id != team.register_id:
        raise OtherTeamRegister(origin=visit.team_name, target=team.team_name)
    with local.read() as session:
        local_orgs = list(session.scalars(select(Organisation.id)))
    mine = _flatten(local, local_orgs)
    theirs = _flatten(team, _existing(team, [*visit.organisations, *local_orgs]))
    plan = _plan(visit.base, mine, theirs, keep)
    if plan.conflicts and keep is None:
        raise VisitConflicts(plan.conflicts)
    summary = Summary(conflicts_kept=tuple(plan.conflicts))
    _apply(plan, local, team, summary)
    summary.carried = _carry_over(local, team, visit)
    with local.write() as session:
        done = Visit(**{**visit.__dict__, "brought_back_at": _now(local)})
        stored = session.get(Meta, VISIT_META)
        assert stored is not None
        stored.value = done.to_json()
    return summary


@dataclass
class _Plan:
    creations: list[_Record] = field(default_factory=list)
    updates: list[tuple[_Record, _Record, dict[str, Any]]] = field(default_factory=list)
    deletions: list[_Record] = field(default_factory=list)
    conflicts: list[VisitConflict] = field(default_factory=list)


def _plan(
    base: Mapping[str, Mapping[str, Any]],
    mine: Mapping[str, _Record],
    theirs: Mapping[str, _Record],
    keep: str | None,
) -> _Plan:
    """What to do on the server, record by record and field by field."""
    plan = _Plan()
    created_here = {key for key in mine if key not in base}
    deleted_here = {key for key in base if key not in mine}
    for key in sorted(set(base) | set(mine), key=lambda k: _rank(base, mine, k)):
        was, now, there = base.get(key), mine.get(key), theirs.get(key)
        if now is not None and was is None:
            if there is None and not _owner_in(now, created_here):
                plan.creations.append(now)
            elif there is not None:
                _merge_fields(plan, now, there, _stored(there), keep)
        elif now is None and was is not None:
            if there is None or was["owner"] in deleted_here:
                continue  # gone on both sides, or taken away with its owner
            if _stored(there) != was["values"]:
                plan.conflicts.append(_record_conflict(there, deleted_here=True))
                if keep == "local":
                    plan.deletions.append(there)
            else:
                plan.deletions.append(there)
        elif now is not None and was is not None:
            if there is None:
                if _stored(now) != was["values"]:
                    plan.conflicts.append(_record_conflict(now, deleted_here=False))
                    if keep == "local" and not _owner_in(now, deleted_here):
                        plan.creations.append(now)
                continue
            _merge_fields(plan, now, there, was["values"], keep)
    # A record whose owner is not on the server is created with its owner (as it is here).
    creations: list[_Record] = []
    for record in plan.creations:
        owner: _Record | None = record
        while owner is not None and _owner_key(owner) and _owner_key(owner) not in theirs:
            owner = mine.get(_owner_key(owner))
        if owner is not None and owner not in creations:
            creations.append(owner)
    plan.creations = sorted(creations, key=lambda r: _ORDER.index(r.group))
    return plan


def _merge_fields(
    plan: _Plan, now: _Record, there: _Record, was: Mapping[str, Any], keep: str | None
) -> None:
    """Fields changed here go to the server; a field changed on both sides is a conflict."""
    mine, theirs = _stored(now), _stored(there)
    changes: dict[str, Any] = {}
    for key, value in mine.items():
        base = was.get(key)
        if value == base or value == theirs.get(key):
            continue
        if theirs.get(key) != base:
            spec = _spec(now.entity).field(key)
            plan.conflicts.append(
                VisitConflict(
                    now.organisation_name,
                    now.entity,
                    now.id,
                    _title(now),
                    key,
                    spec.label("fr"),
                    spec.label("en"),
                    base,
                    theirs.get(key),
                    value,
                )
            )
            if keep != "local":
                continue
        changes[key] = now.values[key]
    if changes:
        plan.updates.append((now, there, changes))


def _record_conflict(record: _Record, *, deleted_here: bool) -> VisitConflict:
    """A record deleted on one side and changed on the other."""
    if deleted_here:
        text_fr, text_en = (
            "supprimé ici, modifié sur le serveur",
            "deleted here, changed on the server",
        )
        server, local = "modifié", None
    else:
        text_fr, text_en = (
            "modifié ici, supprimé sur le serveur",
            "changed here, deleted on the server",
        )
        server, local = None, "modifié"
    return VisitConflict(
        record.organisation_name,
        record.entity,
        record.id,
        _title(record),
        None,
        text_fr,
        text_en,
        None,
        server,
        local,
    )


def _apply(plan: _Plan, local: Register, team: TeamRegister, summary: Summary) -> None:
    """Save the plan on the server, owners first; a change made there meanwhile is refused."""
    for record in plan.creations:
        restore_record(team, record_snapshot(local, record.entity, record.id))
        summary.created.append(f"{record.entity}:{record.id}")
    for now, there, changes in plan.updates:
        edition = Edition(now.entity, now.id, 0, {k: there.values[k] for k in changes})
        try:
            save_edit(team, edition, **changes)
        except EditConflict as conflict:  # changed on the server during the merge
            raise VisitConflicts(
                [
                    VisitConflict(
                        now.organisation_name,
                        now.entity,
                        now.id,
                        _title(now),
                        found.field,
                        found.label_fr,
                        found.label_en,
                        found.base,
                        found.theirs,
                        found.yours,
                    )
                    for found in conflict.conflicts
                ]
            ) from conflict
        summary.updated.append(f"{now.entity}:{now.id}")
    for there in sorted(plan.deletions, key=lambda r: -_ORDER.index(r.group)):
        _delete(team, there)
        summary.deleted.append(f"{there.entity}:{there.id}")


def _delete(team: TeamRegister, there: _Record) -> None:
    """Delete ``there`` unless it changed on the server since it was read."""
    expected = dict(there.values)
    edition = Edition(there.entity, there.id, 0, expected)

    def unchanged(session: Any) -> None:
        _, found = conflicts_with(session, edition, expected)
        if found:
            raise VisitConflicts(
                [
                    VisitConflict(
                        there.organisation_name,
                        there.entity,
                        there.id,
                        _title(there),
                        c.field,
                        c.label_fr,
                        c.label_en,
                        c.base,
                        c.theirs,
                        None,
                    )
                    for c in found
                ]
            )

    deletions: dict[str, Callable[[], Any]] = {
        "organisation": lambda: services.delete_organisation(team, there.id),
        "processor": lambda: services.delete_processor(team, there.id),
        "software": lambda: services.delete_software(team, there.id),
        "activity": lambda: services.delete_activity(team, there.id),
        "companion": lambda: services.delete_record(team, there.entity, there.id),
        "row": lambda: services.delete_row(
            team, collection=ROW_COLLECTIONS[there.entity], row_id=there.id
        ),
    }
    with team.guarded(unchanged):
        deletions[there.group]()


def _carry_over(local: Register, team: TeamRegister, visit: Visit) -> int:
    """Append the visit's audit entries to the server's chain, each with its origin (once)."""
    with local.read() as session:
        entries = [
            _Entry(
                e.seq,
                e.at,
                e.actor,
                e.action,
                e.entity,
                e.entity_id,
                e.organisation_id,
                dict(e.changes or {}),
                e.hash,
            )
            for e in session.scalars(
                select(AuditEntry)
                .where(AuditEntry.seq > visit.audit_seq)
                .where(AuditEntry.organisation_id.is_not(None))
                .order_by(AuditEntry.seq)
            )
        ]
    if not entries:
        return 0
    with team.write() as session:
        carried = {
            str((changes or {}).get("origin", {}).get("hash"))
            for changes in session.scalars(
                select(AuditEntry.changes).where(AuditEntry.entity == VISIT_ENTITY)
            )
        }
        fresh = [entry for entry in entries if entry.hash not in carried]
        with AuditTrail(session, team.context.actor) as trail:
            for entry in fresh:
                trail.append(
                    at=team.context.clock(),
                    action=entry.action,
                    entity=VISIT_ENTITY,
                    entity_id=entry.entity_id,
                    organisation_id=entry.organisation_id,
                    changes={
                        "entity": entry.entity,
                        "changes": entry.changes,
                        "origin": {
                            "register_id": local.register_id,
                            "register": local.name,
                            "seq": entry.seq,
                            "hash": entry.hash,
                            "actor": entry.actor,
                            "at": entry.at.isoformat(timespec="seconds"),
                        },
                    },
                )
    return len(fresh)


@dataclass(frozen=True)
class _Entry:
    """An audit entry of the visit, read out of the local register."""

    seq: int
    at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    organisation_id: str | None
    changes: dict[str, Any]
    hash: str


# -- records, flattened -------------------------------------------------------------------------


def _existing(team: TeamRegister, organisations: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(organisations))
    with team.read() as session:
        found = set(session.scalars(select(Organisation.id).where(Organisation.id.in_(wanted))))
    return [org for org in wanted if org in found]


def _flatten(register: Register, organisations: Iterable[str]) -> dict[str, _Record]:
    """Every record of ``organisations`` in ``register``, keyed "entity:id"."""
    records: dict[str, _Record] = {}

    name = ""

    def add(entity: str, group: str, owner: str | None, org: str, snapshot: dict[str, Any]) -> None:
        values = snapshot["values"]
        record = _Record(entity, snapshot["id"], group, owner, org, name, values, snapshot)
        records[f"{entity}:{record.id}"] = record

    for org in organisations:
        snapshot = record_snapshot(register, ORGANISATION.name, org)
        name = str(snapshot["values"].get("name") or org)
        add(ORGANISATION.name, "organisation", None, org, snapshot)
        for key in ("processors", "software"):
            for item in snapshot[key]:
                add(item["entity"], key.rstrip("s"), org, org, item)
        for item in snapshot["companions"]:
            add(item["entity"], "companion", org, org, item)
        for activity in snapshot["activities"]:
            add(ACTIVITY.name, "activity", org, org, activity)
            for collection in ACTIVITY.collections:
                for row in activity["rows"].get(collection.key) or []:
                    row_snapshot = {
                        "entity": collection.entity.name,
                        "id": row["id"],
                        "collection": collection.key,
                        "activity_id": activity["id"],
                        "position": row["position"],
                        "values": row["values"],
                    }
                    add(collection.entity.name, "row", activity["id"], org, row_snapshot)
    return records


def _spec(entity: str) -> Entity:
    spec = ENTITIES.get(entity) or _row_entity(entity)
    if spec is None:
        raise KeyError(entity)
    return spec


def _row_entity(entity: str) -> Entity | None:
    collection = ROW_COLLECTIONS.get(entity)
    return ACTIVITY.collection(collection).entity if collection else None


def _stored(record: _Record) -> dict[str, Any]:
    """The record's values in comparable form (JSON types, reference lists sorted), without
    the dates the services keep up to date."""
    spec = _spec(record.entity)
    values: dict[str, Any] = {}
    for field_spec in spec.fields:
        if field_spec.key in _STAMPS:
            continue
        value = jsonable(record.values.get(field_spec.key))
        if field_spec.kind == Kind.REFERENCES:
            value = sorted(value or [])
        elif field_spec.kind == Kind.MULTICHOICE:
            value = list(value or [])
        values[field_spec.key] = value
    return values


def _title(record: _Record) -> str:
    title = record.values.get(_spec(record.entity).title_field)
    return str(title) if title else record.id


def _owner_key(record: _Record) -> str:
    """Key of what owns the record: a row's activity, a record's organisation (empty for an
    organisation)."""
    if record.group == "row" and record.owner:
        return f"{ACTIVITY.name}:{record.owner}"
    if record.group == "organisation":
        return ""
    return f"{ORGANISATION.name}:{record.organisation}"


def _owner_in(record: _Record, keys: set[str]) -> bool:
    """True when the record's owner (its activity, or its organisation) is among ``keys``."""
    owners = {_owner_key(record), f"{ORGANISATION.name}:{record.organisation}"}
    owners.discard(f"{record.entity}:{record.id}")
    return bool(owners & keys)


def _base_entry(record: _Record) -> dict[str, Any]:
    """A record as the visit remembers it."""
    return {"group": record.group, "owner": _owner_key(record), "values": _stored(record)}


def _rank(
    base: Mapping[str, Mapping[str, Any]], mine: Mapping[str, _Record], key: str
) -> tuple[int, str]:
    record = mine.get(key)
    group = record.group if record is not None else str(base[key]["group"])
    return (_ORDER.index(group), key)


def _text(value: Any, lang: str) -> str:
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, bool):
        return ("yes" if value else "no") if lang == "en" else ("oui" if value else "non")
    return f"« {value} »" if lang == "fr" else f"“{value}”"


def _now(register: Register) -> str:
    return register.context.clock().astimezone(dt.UTC).isoformat(timespec="seconds")
