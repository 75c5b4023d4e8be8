"""Exchange files between a commune's secretary and the shared DPO (``.registre-fiche``).

The secretary, on her own computer, declares activities (the wizard's answers, her « Je ne sais
pas » to-dos noted in the record) and saves them to an exchange file for the DPO; the DPO opens
it in the register of that commune, sees field by field what it would add or change, accepts
what is right (then edits in the register as usual), and the audit trail records where it came
from. The DPO sends a commune its validated records the same way.

**Encryption: a passphrase shared by the two sides.** The file is the JSON payload sealed with
AES-256-GCM under a key derived by Argon2id (the register's own KDF, its bounds checked before
any derivation) from a passphrase; the header (format, version, KDF parameters) is the
associated data, so nothing in it can be altered unnoticed. A passphrase was chosen over a
public key (X25519) because the exchange goes both ways between people who are not IT staff
and have no key to manage: one phrase, agreed once between the commune and its DPO and given by
another channel than the file (by phone, on paper), opens files in both directions, and a lost
laptop holds no private key. The passphrase must pass the register's strength policy.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from registre import crypto, services
from registre.audit import AuditTrail, jsonable
from registre.errors import RegistreError, UsageError
from registre.files import write_atomic
from registre.interchange.errors import InvalidImportFile
from registre.loader import read_register
from registre.publications import FieldChange, canonical_activity, field_changes
from registre.schema import ACTIVITY, Kind
from registre.transaction import one_transaction

if TYPE_CHECKING:
    from registre.storage import Register

FORMAT = "registre-fiche"
VERSION = 1
SUFFIX = ".registre-fiche"
MAX_BYTES = 50 * 1024 * 1024
DIRECTIONS = ("to_dpo", "to_commune")


class WrongExchangePassphrase(RegistreError):
    """The exchange file does not open with this passphrase (or was altered)."""

    exit_code = 3
    text_fr = "La phrase de passe n'ouvre pas la fiche d'échange « {path} »."
    text_en = "The passphrase does not open the exchange file “{path}”."
    hint_fr = (
        "Vérifiez la phrase convenue avec l'autre partie. Un fichier modifié depuis son "
        "envoi ne s'ouvre pas non plus : demandez-en un nouvel envoi."
    )
    hint_en = (
        "Check the phrase agreed with the other side. A file altered since it was sent does "
        "not open either: ask for it again."
    )


class InvalidExchangeFile(InvalidImportFile):
    """The file is not a readable exchange file (nothing was read into the register)."""

    hint_fr = (
        "Rien n'a été importé, le registre n'a pas été modifié. Demandez à l'expéditeur un "
        "nouvel envoi du fichier « .registre-fiche » tel que Registre l'a écrit."
    )
    hint_en = (
        "Nothing was imported, the register was not changed. Ask the sender for the "
        "“.registre-fiche” file again, as Registre wrote it."
    )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _header_bytes(header: dict[str, Any]) -> bytes:
    return json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def write_exchange(
    register: Register,
    path: Path | str,
    passphrase: str,
    *,
    organisation_id: str,
    activity_ids: Collection[str] | None = None,
    direction: str = "to_dpo",
) -> int:
    """Seal the organisation's activities (all, or ``activity_ids``) into ``path``.

    Returns the number of activities written. Only reads the register.
    """
    from registre.storage import check_new_passphrase

    if direction not in DIRECTIONS:
        raise UsageError(
            reason=f"sens inconnu {direction}", reason_en=f"unknown direction {direction}"
        )
    check_new_passphrase(passphrase)
    [organisation] = read_register(register, organisation_id)
    chosen = [
        a for a in organisation["activities"] if activity_ids is None or a["id"] in activity_ids
    ]
    if activity_ids is not None and len(chosen) != len(set(activity_ids)):
        raise UsageError(
            reason="une fiche demandée n'appartient pas à cet organisme",
            reason_en="a requested record does not belong to this organisation",
        )
    payload = {
        "direction": direction,
        "organisation": {"id": organisation["id"], "name": organisation["name"]},
        "written_at": register.context.clock().isoformat(),
        "written_by": register.context.actor,
        "register": register.name,
        "activities": [
            {"id": a["id"], **canonical_activity(a), "todos": _open_todos(register, a["id"])}
            for a in chosen
        ],
    }
    params = crypto.calibrate(register.context.kdf_policy)
    salt = register.context.random_bytes(crypto.SALT_BYTES)
    nonce = register.context.random_bytes(crypto.NONCE_BYTES)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "kdf": {
            "algorithm": "argon2id",
            "salt": _b64(salt),
            "memory_kib": params.memory_kib,
            "iterations": params.iterations,
            "lanes": params.lanes,
        },
        "nonce": _b64(nonce),
    }
    key = crypto.derive_passphrase_key(passphrase, salt, params)
    sealed = AESGCM(key).encrypt(
        nonce,
        json.dumps(jsonable(payload), ensure_ascii=False).encode("utf-8"),
        _header_bytes(header),
    )
    document = {**header, "ciphertext": _b64(sealed)}
    write_atomic(Path(path), json.dumps(document, indent=1).encode("utf-8"))
    return len(chosen)


def _open_todos(register: Register, activity_id: str) -> list[dict[str, Any]]:
    """The activity's points still to see with the DPO (« Je ne sais pas »)."""
    from registre import todos

    return [
        {"question": item.question, "text": item.text}
        for item in todos.list_todos(register, activity_id=activity_id, open_only=True)
    ]


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExchangeFile:
    """An opened exchange file: who wrote it, for which organisation, and its activities."""

    path: Path
    direction: str
    organisation_id: str
    organisation_name: str
    written_at: str
    written_by: str
    activities: list[dict[str, Any]]


def _refuse(path: Path, fr: str, en: str) -> InvalidExchangeFile:
    return InvalidExchangeFile(path=path.name, reason=fr, reason_en=en)


def read_exchange(
    path: Path | str, passphrase: str, policy: crypto.KdfPolicy = crypto.PRODUCTION_POLICY
) -> ExchangeFile:
    """Open ``path`` with ``passphrase`` (WrongExchangePassphrase, InvalidImportFile)."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise _refuse(path, "fichier trop volumineux", "file too large")
        document = json.loads(path.read_bytes())
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        if isinstance(exc, InvalidImportFile):
            raise
        raise _refuse(
            path, "ce n'est pas une fiche d'échange lisible", "not a readable exchange file"
        ) from exc
    try:
        if document.get("format") != FORMAT:
            raise _refuse(path, "ce n'est pas une fiche d'échange", "not an exchange file")
        if document.get("version") != VERSION:
            raise _refuse(path, "version de fiche inconnue", "unknown exchange file version")
        kdf = document["kdf"]
        params = crypto.KdfParams(int(kdf["memory_kib"]), int(kdf["iterations"]), int(kdf["lanes"]))
        policy.check(params)
        salt = base64.b64decode(kdf["salt"], validate=True)
        nonce = base64.b64decode(document["nonce"], validate=True)
        sealed = base64.b64decode(document["ciphertext"], validate=True)
        header = {key: document[key] for key in ("format", "version", "kdf", "nonce")}
    except InvalidImportFile:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, crypto.SlotFileInvalid) as exc:
        raise _refuse(path, "en-tête de fiche invalide", "invalid exchange file header") from exc
    if len(salt) != crypto.SALT_BYTES or len(nonce) != crypto.NONCE_BYTES:
        raise _refuse(path, "en-tête de fiche invalide", "invalid exchange file header")
    key = crypto.derive_passphrase_key(passphrase, salt, params)
    try:
        plain = AESGCM(key).decrypt(nonce, sealed, _header_bytes(header))
    except InvalidTag:
        raise WrongExchangePassphrase(path=path.name) from None
    try:
        payload = json.loads(plain)
        organisation = payload["organisation"]
        activities = payload["activities"]
        if payload["direction"] not in DIRECTIONS or not isinstance(activities, list):
            raise ValueError("payload")
        return ExchangeFile(
            path,
            payload["direction"],
            str(organisation["id"]),
            str(organisation["name"]),
            str(payload["written_at"]),
            str(payload["written_by"]),
            [dict(activity) for activity in activities],
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise _refuse(path, "contenu de fiche invalide", "invalid exchange file content") from exc


# --------------------------------------------------------------------------------------------
# Preview and acceptance
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """One activity of the file: new, or an existing one with the fields it would change.

    ``matched_by`` says how ``target_id`` was found (« id », « reference » or « name »), and
    ``target`` names that activity as the register does (reference, name). A record of the
    file left new although an activity bears its name or reference says why in ``unmatched``
    (a key of ``UNMATCHED``) and names those activities in ``namesakes``. ``match_text`` writes
    it for people.
    """

    source_id: str
    reference: str | None
    name: str
    target_id: str | None  # the matching activity of the register, None: a new one
    fields: tuple[FieldChange, ...] = ()
    values: dict[str, Any] = field(default_factory=dict)
    todos: tuple[str, ...] = ()  # points the sender left « à voir avec le DPO »
    matched_by: str | None = None
    target: tuple[str | None, str] = (None, "")
    unmatched: str | None = None
    namesakes: tuple[tuple[str | None, str], ...] = ()

    @property
    def kind(self) -> str:
        """« new », « changed » or « same »."""
        if self.target_id is None:
            return "new"
        return "changed" if self.fields else "same"


@dataclass(frozen=True)
class ExchangePreview:
    """What accepting an exchange file would do in one organisation."""

    exchange: ExchangeFile
    organisation_id: str
    organisation_name: str
    proposals: list[Proposal]


@dataclass
class _Match:
    """How one record of the file was matched (or why it was not)."""

    target: dict[str, Any] | None = None
    by: str | None = None
    unmatched: str | None = None
    namesakes: tuple[tuple[str | None, str], ...] = ()


def _label(activity: dict[str, Any]) -> tuple[str | None, str]:
    """An activity as ``Proposal.target`` and ``namesakes`` keep it: (reference, name)."""
    return _text(activity.get("reference")) or None, str(activity["name"])


def _text(value: Any) -> str:
    return str(value).strip() if value not in (None, "") else ""


def _match_records(
    activities: list[dict[str, Any]], incoming: list[dict[str, Any]], elsewhere: set[str]
) -> list[_Match]:
    """Match each record of the file to at most one activity of the organisation, each activity
    to at most one record: by identifier, else by its reference when exactly one activity bears
    it under the same name, else by its name when exactly one activity bears it, no other record
    of the file claims it and the record's own identifier or reference does not point elsewhere.
    Whatever is doubtful is left new: accepting it then changes nothing that exists."""
    by_id = {a["id"]: a for a in activities}
    by_reference: dict[str, list[dict[str, Any]]] = {}
    by_name: dict[str, list[dict[str, Any]]] = {}
    for activity in activities:
        if _text(activity.get("reference")):
            by_reference.setdefault(_text(activity["reference"]), []).append(activity)
        by_name.setdefault(str(activity["name"]).casefold(), []).append(activity)
    found = [_Match() for _ in incoming]
    for match, record in zip(found, incoming, strict=True):
        if str(record.get("id")) in by_id:
            match.target, match.by = by_id[str(record.get("id"))], "id"
    claimed = {m.target["id"] for m in found if m.target is not None}

    def settle(wanted: dict[str, list[_Match]], by: str, shared: str) -> None:
        for target_id, matches in wanted.items():
            target = by_id[target_id]
            for match in matches:
                if len(matches) == 1:
                    match.target, match.by = target, by
                else:  # several records of the file would update the same activity
                    match.unmatched, match.namesakes = shared, (_label(target),)
            if len(matches) == 1:
                claimed.add(target_id)

    wanted: dict[str, list[_Match]] = {}
    for match, record in zip(found, incoming, strict=True):
        reference = _text(record.get("reference"))
        if match.target is not None or reference not in by_reference:
            continue
        bearers = by_reference[reference]
        if len(bearers) > 1:
            match.unmatched = "register_references"
            match.namesakes = tuple(_label(a) for a in bearers)
        elif bearers[0]["id"] in claimed:
            match.unmatched, match.namesakes = "claimed", (_label(bearers[0]),)
        elif _text(record.get("name")).casefold() != _text(bearers[0]["name"]).casefold():
            # Two registers number their records each on its own: the same reference under
            # another name is another record, not a renaming to apply.
            match.unmatched, match.namesakes = "other_name", (_label(bearers[0]),)
        else:
            wanted.setdefault(bearers[0]["id"], []).append(match)
    settle(wanted, "reference", "file_references")

    wanted = {}
    for match, record in zip(found, incoming, strict=True):
        if match.target is not None or match.unmatched is not None:
            continue
        bearers = by_name.get(str(record.get("name") or "").casefold(), [])
        if not bearers:
            continue
        target = bearers[0]
        reference = _text(record.get("reference"))
        match.namesakes = tuple(_label(a) for a in bearers)
        if len(bearers) > 1:
            match.unmatched = "register_names"
        elif target["id"] in claimed:
            match.unmatched = "claimed"
        elif reference and _text(target.get("reference")) not in ("", reference):
            match.unmatched = "other_reference"
        elif str(record.get("id")) in elsewhere:
            match.unmatched = "other_organisation"
        else:
            wanted.setdefault(target["id"], []).append(match)
    settle(wanted, "name", "file_names")
    return found


def _elsewhere(register: Register, organisation_id: str, ids: list[str]) -> set[str]:
    """The identifiers of ``ids`` that are activities of another organisation."""
    from sqlalchemy import select

    from registre.model import Activity

    if not ids:
        return set()
    with register.read() as session:
        return set(
            session.scalars(
                select(Activity.id).where(
                    Activity.id.in_(ids), Activity.organisation_id != organisation_id
                )
            )
        )


def preview_exchange(
    register: Register, exchange: ExchangeFile, organisation_id: str | None = None
) -> ExchangePreview:
    """Compare the file's activities with the organisation's (the file's own by default, found
    by identifier or name): matched by identifier, else by reference, else by name, each only
    when it designates one activity (``_match_records``). Only reads.

    A record matched by its name keeps the activity's reference. The status of a record in the
    DPO's register is the DPO's: a file from a commune never sets it; the review rule applies
    as to any change (``review.drop_validation``: a record validated by someone other than the
    person accepting goes back to « Complété », shown in the preview).
    """
    from registre.review import validated_by

    if organisation_id is None:
        organisation_id = _organisation_of(register, exchange)
    [organisation] = read_register(register, organisation_id)
    incoming_ids = [str(a.get("id")) for a in exchange.activities]
    matches = _match_records(
        organisation["activities"],
        exchange.activities,
        _elsewhere(register, organisation["id"], incoming_ids),
    )
    proposals = []
    for incoming, match in zip(exchange.activities, matches, strict=True):
        values = {k: v for k, v in incoming.items() if k not in ("id", "todos")}
        todo_items = [t for t in incoming.get("todos") or [] if isinstance(t, dict)]
        todo_texts = tuple(str(t.get("text") or "") for t in todo_items)
        values_todos = [{"question": t.get("question"), "text": t.get("text")} for t in todo_items]
        name = str(values.get("name") or "")
        target = match.target
        if target is None:
            values["todos"] = values_todos
            proposals.append(
                Proposal(
                    str(incoming.get("id")),
                    values.get("reference"),
                    name,
                    None,
                    (),
                    values,
                    todo_texts,
                    unmatched=match.unmatched,
                    namesakes=match.namesakes,
                )
            )
            continue
        existing = canonical_activity(target)
        if match.by == "name":  # the name says which record, not which reference it has
            values["reference"] = existing["reference"]
        if exchange.direction == "to_dpo":
            values["status"] = existing["status"]
        changes = field_changes(ACTIVITY, existing, values)
        if exchange.direction == "to_dpo" and changes and existing["status"] == "validated":
            with register.read() as session:
                validator = validated_by(session, target["id"])
            if validator != register.context.actor:
                values["status"] = "completed"
                changes = field_changes(ACTIVITY, existing, values)
        proposals.append(
            Proposal(
                str(incoming.get("id")),
                values.get("reference"),
                name,
                target["id"],
                tuple(changes),
                values,
                todo_texts,
                matched_by=match.by,
                target=_label(target),
            )
        )
    return ExchangePreview(exchange, organisation["id"], organisation["name"], proposals)


def _organisation_of(register: Register, exchange: ExchangeFile) -> str:
    """The file's organisation in this register: same identifier, else same name."""
    organisations = services.list_organisations(register)
    for org in organisations:
        if org.id == exchange.organisation_id:
            return org.id
    named = [
        o.id for o in organisations if o.name.casefold() == exchange.organisation_name.casefold()
    ]
    if len(named) == 1:
        return named[0]
    raise UsageError(
        reason=f"aucun organisme « {exchange.organisation_name} » dans ce registre : indiquez "
        "celui où recevoir la fiche",
        reason_en=f"no organisation “{exchange.organisation_name}” in this register: say which "
        "one receives the file",
    )


def _service_values(values: dict[str, Any], names: dict[str, dict[str, str]]) -> dict[str, Any]:
    """Snapshot values as the service functions take them (processors and software by id)."""
    result: dict[str, Any] = {}
    for spec in ACTIVITY.fields:
        if spec.key not in values:
            continue
        value = values[spec.key]
        if spec.kind == Kind.REFERENCES:
            known = names[spec.target]
            result[spec.key] = [known[n.casefold()] for n in value or [] if n.casefold() in known]
        else:
            result[spec.key] = value
    for collection in ACTIVITY.collections:
        if collection.key in values:
            result[collection.key] = values[collection.key]
    if values.get("todos"):
        result["todos"] = values["todos"]
    return result


@dataclass(frozen=True)
class Acceptance:
    """What accepting records of an exchange file changed, ready to be one undo step.

    ``snapshots`` holds, by identifier, the rows that were replaced, as they were (the undo
    re-creates them from it).
    """

    changes: list[services.Change]
    snapshots: dict[str, dict[str, Any]] = field(default_factory=dict)
    file_name: str = ""

    def label(self, lang: str = "fr") -> str:
        """« la réception de la fiche d'échange « Brest.registre-fiche » »."""
        name = self.file_name
        if lang == "en":
            return f"receiving the exchange file “{name}”"
        return f"la réception de la fiche d'échange « {name} »"


def accept_exchange(
    register: Register, preview: ExchangePreview, accepted: Sequence[str]
) -> Acceptance:
    """Apply the proposals whose ``source_id`` is in ``accepted``, in one transaction.

    New activities are created (as drafts when the file comes from a commune); changed ones
    get the file's fields, their rows replaced where they differ. An audit entry (action
    « received », entity « exchange ») records the file, its author and date, and the records it
    touched. Processors and software are linked by name when the organisation has them. All of
    it is kept, or nothing.
    """
    organisation_id = preview.organisation_id
    chosen = [p for p in preview.proposals if p.source_id in set(accepted) and p.kind != "same"]
    acceptance = Acceptance([], {}, preview.exchange.path.name)
    if not chosen:
        return acceptance
    changes = acceptance.changes
    with one_transaction(register) as joined:
        names = {
            kind: {
                str(r["name"]).casefold(): str(r["id"])
                for r in services.list_records(joined, kind, organisation_id)
            }
            for kind in ("processor", "software")
        }
        new = [p for p in chosen if p.kind == "new"]
        if new:
            values = []
            for proposal in new:
                item = _service_values(proposal.values, names)
                if preview.exchange.direction == "to_dpo":
                    item["status"] = "draft"
                values.append(item)
            changes += services.bulk_create_activities(
                joined, organisation_id=organisation_id, activities=values
            )
        for proposal in chosen:
            if proposal.kind != "changed":
                continue
            assert proposal.target_id is not None
            wanted = _service_values(proposal.values, names)
            keys = {f.key for f in proposal.fields}
            simple = {k: v for k, v in wanted.items() if k in keys and k not in _COLLECTIONS}
            if proposal.matched_by == "name":  # its name found it: the reference stays
                simple.pop("reference", None)
            if simple:
                changes.append(services.update_activity(joined, proposal.target_id, **simple))
            for key in sorted(keys & _COLLECTIONS):
                record = services.record_of(joined, "activity", proposal.target_id)
                row_entity = ACTIVITY.collection(key).entity.name
                for row in record[key]:
                    acceptance.snapshots[row["id"]] = services.record_snapshot(
                        joined, row_entity, row["id"]
                    )
                    changes.append(services.delete_row(joined, collection=key, row_id=row["id"]))
                for row in wanted.get(key) or []:
                    changes.append(
                        services.add_row(
                            joined, activity_id=proposal.target_id, collection=key, **row
                        )
                    )
        if changes:
            _record_origin(joined, preview, changes)
    return acceptance


_COLLECTIONS = frozenset(c.key for c in ACTIVITY.collections)


def _record_origin(
    register: Register, preview: ExchangePreview, changes: list[services.Change]
) -> None:
    exchange = preview.exchange
    context = register.context
    touched = {c.id for c in changes if c.entity == "activity"}
    with register.write() as session, AuditTrail(session, context.actor) as trail:
        trail.append(
            at=context.clock(),
            action="received",
            entity="exchange",
            entity_id=context.new_id(),
            organisation_id=preview.organisation_id,
            changes={
                "file": exchange.path.name,
                "direction": exchange.direction,
                "written_by": exchange.written_by,
                "written_at": exchange.written_at,
                "records": sorted({c.id for c in changes if c.entity == "activity"}),
                "matched": {
                    p.target_id: p.matched_by
                    for p in preview.proposals
                    if p.target_id is not None and p.target_id in touched
                },
            },
        )


# --------------------------------------------------------------------------------------------
# Writing it out
# --------------------------------------------------------------------------------------------


UNMATCHED = {
    "register_names": (
        "non rapprochée : plusieurs traitements de l'organisme portent ce nom ({namesakes})",
        "not matched: several activities of the organisation bear this name ({namesakes})",
    ),
    "register_references": (
        "non rapprochée : plusieurs traitements de l'organisme portent cette référence "
        "({namesakes})",
        "not matched: several activities of the organisation bear this reference ({namesakes})",
    ),
    "claimed": (
        "non rapprochée de {namesakes} : une autre fiche reçue y est déjà rapprochée",
        "not matched to {namesakes}: another record of the file is already matched to it",
    ),
    "file_names": (
        "non rapprochée de {namesakes} : plusieurs fiches reçues portent ce nom",
        "not matched to {namesakes}: several records of the file bear this name",
    ),
    "file_references": (
        "non rapprochée de {namesakes} : plusieurs fiches reçues portent cette référence",
        "not matched to {namesakes}: several records of the file bear this reference",
    ),
    "other_name": (
        "non rapprochée de {namesakes}, de même référence : elle porte un autre nom (les deux "
        "registres numérotent chacun leurs fiches)",
        "not matched to {namesakes}, of the same reference: it bears another name (each register "
        "numbers its own records)",
    ),
    "other_reference": (
        "non rapprochée de {namesakes}, du même nom : elle porte une autre référence",
        "not matched to {namesakes}, of the same name: it bears another reference",
    ),
    "other_organisation": (
        "non rapprochée de {namesakes}, du même nom : elle vient d'un traitement d'un autre "
        "organisme de ce registre",
        "not matched to {namesakes}, of the same name: it comes from an activity of another "
        "organisation of this register",
    ),
}
"""Why a record of the file was left new although an activity bears its name or reference."""

_MATCHED_BY = {
    "id": ("rapprochée de {target} par son identifiant", "matched to {target} by its identifier"),
    "reference": (
        "rapprochée de {target} par sa référence",
        "matched to {target} by its reference",
    ),
    "name": ("rapprochée de {target} par son nom", "matched to {target} by its name"),
}


def _designation(reference: str | None, name: str, lang: str, *, with_name: bool) -> str:
    """« T-001 », « T-001 « Cantine » » with its name, « « Cantine » » without a reference."""
    quoted = f"“{name}”" if lang == "en" else f"« {name} »"
    if reference is None:
        return quoted
    return f"{reference} {quoted}" if with_name else reference


def match_text(proposal: Proposal, lang: str = "fr") -> str:
    """What the record of the file was matched to in the register, and how: « rapprochée de
    T-001 par son nom »; for a new one kept apart from a namesake, why (« non rapprochée de
    T-001 : plusieurs fiches reçues portent ce nom »); empty for a plainly new record."""
    index = 1 if lang == "en" else 0
    if proposal.target_id is not None and proposal.matched_by in _MATCHED_BY:
        reference, name = proposal.target
        renamed = name.casefold() != proposal.name.casefold()
        target = _designation(reference, name, lang, with_name=renamed)
        return _MATCHED_BY[proposal.matched_by][index].format(target=target)
    if proposal.unmatched in UNMATCHED:
        shared_reference = proposal.unmatched in (
            "register_references",
            "file_references",
            "other_name",
        )
        namesakes = ", ".join(
            _designation(reference, name, lang, with_name=shared_reference)
            for reference, name in proposal.namesakes
        )
        return UNMATCHED[proposal.unmatched][index].format(namesakes=namesakes)
    return ""


def preview_text(preview: ExchangePreview, lang: str = "fr") -> str:
    """The preview, field by field, for people."""
    exchange = preview.exchange

    def t(fr: str, en: str) -> str:
        return en if lang == "en" else fr

    lines = [
        t(
            f"Fiche d'échange de {exchange.written_by} ({exchange.organisation_name}), "
            f"écrite le {exchange.written_at[:10]}, pour « {preview.organisation_name} » :",
            f"Exchange file from {exchange.written_by} ({exchange.organisation_name}), "
            f"written on {exchange.written_at[:10]}, for “{preview.organisation_name}”:",
        )
    ]
    words = {
        "new": t("nouvelle fiche", "new record"),
        "changed": t("modifications", "changes"),
        "same": t("identique", "identical"),
    }
    for proposal in preview.proposals:
        reference = f"{proposal.reference} " if proposal.reference else ""
        how = match_text(proposal, lang)
        lines.append(
            f"  [{words[proposal.kind]}] {reference}{proposal.name}" + (f" — {how}" if how else "")
        )
        for change in proposal.fields:
            before = " ".join(change.before_text(lang).split())[:100]
            after = " ".join(change.after_text(lang).split())[:100]
            colon = ":" if lang == "en" else " :"
            lines.append(f"      {change.label(lang)}{colon} {before} → {after}")
        for todo in proposal.todos:
            lines.append(
                t(f"      À voir avec le DPO : {todo}", f"      To check with the DPO: {todo}")
            )
    return "\n".join(lines)


def default_file_name(organisation: str, when: dt.date) -> str:
    """« Commune de Brest - 2026-03-14.registre-fiche »."""
    cleaned = "".join(c if c.isalnum() or c in " -_" else " " for c in organisation)
    return f"{' '.join(cleaned.split())[:80]} - {when.isoformat()}{SUFFIX}"
