"""What every service shares: the results it returns, the validation of values against the
field schema, and the setting of values on a record with its audit entry.

``registre.services`` (changes), ``registre.queries`` (readers) and ``registre.restoration``
(snapshots for undo) build on it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from registre.audit import AuditTrail, ChainReport
from registre.errors import InvalidValue, RecordNotFound
from registre.model import (
    ENTITY_CLASSES,
    Activity,
    Base,
)
from registre.schema import (
    Entity,
    Field,
    Kind,
)
from registre.storage import (
    Register,
)
from registre.vocabularies import vocabulary

# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """What a service function changed: one record, its action and its fields (old, new).

    ``updated_on`` is the owning activity's « Dernière mise à jour » (old, new) when the change
    moved it by itself (an edit of the activity or of one of its rows), so that an undo can
    put it back.
    """

    action: str  # "created", "updated" or "deleted"
    entity: str
    id: str
    fields: dict[str, tuple[Any, Any]]
    updated_on: tuple[dt.date | None, dt.date | None] | None = None


class Today:
    """The default « Dernière mise à jour » of a changed activity: the day of the change."""

    def __repr__(self) -> str:
        return "TODAY"


TODAY = Today()
UpdatedOn = dt.date | None | Today


@dataclass(frozen=True)
class ActivitySummary:
    """One line of the activity list."""

    id: str
    organisation_id: str
    reference: str | None
    name: str
    service: str | None
    role: str
    status: str
    legal_basis: str | None
    updated_on: dt.date | None
    others: Mapping[str, Any] = field(default_factory=dict)  # the schema's other list columns
    regime: str | None = None  # « police_justice »: the « Base légale » cell says so

    def value(self, key: str) -> Any:
        """The value of the list column ``key`` (``ACTIVITY.list_columns``)."""
        return self.others[key] if key in self.others else getattr(self, key)


@dataclass(frozen=True)
class OrganisationSummary:
    """One organisation of the register with its activity count."""

    id: str
    name: str
    kind: str | None
    activities: int


@dataclass(frozen=True)
class RegisterInfo:
    """What ``registre info`` reports."""

    register_id: str
    schema_version: int
    created_at: str
    organisations: list[OrganisationSummary]
    counts: dict[str, int]
    last_change_at: dt.datetime | None
    last_change_by: str | None
    audit: ChainReport


# --------------------------------------------------------------------------------------------
# Validation against the field schema
# --------------------------------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+().\s/-]{4,30}$")
_LINE_BREAKS = re.compile(r"[\r\n\t]+")
_EDGE_SPACE = " \t\r\n"  # non-breaking spaces are typography: kept


def siren_is_valid(siren: str) -> bool:
    """True for 9 digits passing the Luhn check used by INSEE."""
    if len(siren) != 9 or not siren.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(siren)):
        digit = int(char) * (2 if index % 2 else 1)
        total += digit - 9 if digit > 9 else digit
    return total % 10 == 0


def name_problem(text: str) -> tuple[str, str] | None:
    """Why ``text`` cannot be a name, in French and English (a NUL or an invisible direction
    control: such a character makes a name print or sort as another one), or None."""
    for char in text:
        code = ord(char)
        if code == 0:
            return "caractère nul (U+0000)", "NUL character (U+0000)"
        if 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
            return (
                f"caractère invisible de sens d'écriture (U+{code:04X})",
                f"invisible text-direction character (U+{code:04X})",
            )
    return None


def refuse(spec: Field, reason: str, reason_en: str) -> InvalidValue:
    return InvalidValue(
        field=spec.label_fr, field_en=spec.label_en, reason=reason, reason_en=reason_en
    )


def _allowed_keys(spec: Field) -> Sequence[str]:
    if spec.choices:
        return [choice.key for choice in spec.choices]
    return vocabulary(spec.vocabulary).keys


def coerce(spec: Field, value: Any) -> Any:
    """``value`` converted to what ``spec`` stores, or InvalidValue with a plain reason."""
    if value is None:
        return [] if spec.kind in (Kind.MULTICHOICE, Kind.REFERENCES) else None
    kind = spec.kind
    if kind in (Kind.TEXT, Kind.LONGTEXT, Kind.EMAIL, Kind.PHONE, Kind.SIREN, Kind.REFERENCE):
        if not isinstance(value, str):
            raise refuse(spec, "texte attendu", "text expected")
        text = value.strip(_EDGE_SPACE)
        if kind != Kind.LONGTEXT:
            text = _LINE_BREAKS.sub(" ", text)
        if not text:
            return None
        if spec.max_length and len(text) > spec.max_length:
            raise refuse(
                spec,
                f"{spec.max_length} caractères au plus",
                f"at most {spec.max_length} characters",
            )
        if spec.key == "name" and (problem := name_problem(text)):
            raise refuse(spec, f"il contient un {problem[0]}", f"it contains a {problem[1]}")
        if kind == Kind.EMAIL and not _EMAIL.match(text):
            raise refuse(spec, "adresse de courriel invalide", "invalid email address")
        if kind == Kind.PHONE and not _PHONE.match(text):
            raise refuse(spec, "numéro de téléphone invalide", "invalid telephone number")
        if kind == Kind.SIREN:
            text = text.replace(" ", "")
            if not siren_is_valid(text):
                raise refuse(
                    spec, "un SIREN compte 9 chiffres valides", "a SIREN is 9 valid digits"
                )
        return text
    if kind == Kind.CHOICE:
        if value == "":
            return None
        if value not in _allowed_keys(spec):
            raise refuse(spec, f"choix inconnu « {value} »", f"unknown choice “{value}”")
        return value
    if kind in (Kind.MULTICHOICE, Kind.REFERENCES):
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise refuse(spec, "liste attendue", "list expected")
        items = list(dict.fromkeys(value))
        if kind == Kind.MULTICHOICE:
            allowed = set(_allowed_keys(spec))
            unknown = [item for item in items if item not in allowed]
            if unknown:
                raise refuse(
                    spec, f"choix inconnu « {unknown[0]} »", f"unknown choice “{unknown[0]}”"
                )
        return items
    if kind == Kind.BOOL:
        if not isinstance(value, bool):
            raise refuse(spec, "oui ou non attendu", "yes or no expected")
        return value
    if kind == Kind.DATETIME:
        return _moment(spec, value)
    if kind == Kind.DATE:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            if not value.strip():
                return None
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                raise refuse(
                    spec, "date invalide (AAAA-MM-JJ)", "invalid date (YYYY-MM-DD)"
                ) from None
        raise refuse(spec, "date attendue", "date expected")
    if kind == Kind.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            raise refuse(spec, "nombre entier attendu", "whole number expected")
        if value < 0:
            raise refuse(spec, "nombre positif attendu", "positive number expected")
        return value
    raise AssertionError(f"unhandled kind {kind}")


def _moment(spec: Field, value: Any) -> dt.datetime | None:
    """A DATETIME value as stored: naive UTC, to the second (naive input is taken as UTC)."""
    if isinstance(value, str):
        if not value.strip():
            return None
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise refuse(
                spec,
                "date et heure invalides (AAAA-MM-JJTHH:MM)",
                "invalid date and time (YYYY-MM-DDTHH:MM)",
            ) from None
    if not isinstance(value, dt.datetime):
        raise refuse(spec, "date et heure attendues", "date and time expected")
    moment: dt.datetime = value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment.replace(microsecond=0)


def unknown_field(entity: Entity, key: str) -> InvalidValue:
    return InvalidValue(
        field=key,
        field_en=key,
        reason=f"champ inconnu pour « {entity.label_fr} »",
        reason_en=f"unknown field for “{entity.label_en}”",
    )


# --------------------------------------------------------------------------------------------
# Generic record handling
# --------------------------------------------------------------------------------------------


def get_record(session: Session, cls: type[Base], record_id: str, entity: str) -> Any:
    record = session.get(cls, record_id)
    if record is None:
        raise RecordNotFound(entity=entity, id=record_id)
    return record


def stored_value(record: Any, spec: Field) -> Any:
    """Current value of ``spec`` on ``record`` (reference lists as ids)."""
    value = getattr(record, spec.key)
    if spec.kind == Kind.REFERENCES:
        return [item.id for item in value]
    if spec.kind == Kind.MULTICHOICE:
        return list(value or [])
    return value


def resolve_references(
    session: Session, spec: Field, ids: list[str], organisation_id: str
) -> list[Any]:
    cls = ENTITY_CLASSES[spec.target]
    found = []
    for record_id in ids:
        record = session.get(cls, record_id)
        if record is None or record.organisation_id != organisation_id:  # type: ignore[attr-defined]
            raise refuse(
                spec, f"élément introuvable « {record_id} »", f"record not found “{record_id}”"
            )
        found.append(record)
    return found


def apply_values(
    session: Session,
    record: Any,
    entity: Entity,
    values: Mapping[str, Any],
    organisation_id: str | None,
) -> dict[str, tuple[Any, Any]]:
    """Validate and set ``values`` on ``record``; returns the fields that really changed."""
    changed: dict[str, tuple[Any, Any]] = {}
    for key, raw in values.items():
        spec = schema_field(entity, key)
        new = coerce(spec, raw)
        old = stored_value(record, spec)
        if spec.kind == Kind.REFERENCE and new is not None and organisation_id is not None:
            resolve_references(session, spec, [new], organisation_id)
        if new == old:
            continue
        if spec.kind == Kind.REFERENCES:
            assert organisation_id is not None
            setattr(record, key, resolve_references(session, spec, new, organisation_id))
        else:
            setattr(record, key, new)
        changed[key] = (old, new)
    return changed


def field_snapshot(record: Any, entity: Entity) -> dict[str, Any]:
    return {spec.key: stored_value(record, spec) for spec in entity.fields}


def record_change(
    trail: AuditTrail, register: Register, change: Change, organisation_id: str | None
) -> None:
    trail.append(
        at=register.context.clock(),
        action=change.action,
        entity=change.entity,
        entity_id=change.id,
        organisation_id=organisation_id,
        changes={key: list(pair) for key, pair in change.fields.items()},
    )


def today(register: Register) -> dt.date:
    return register.context.clock().date()


def touch_activity(
    register: Register, activity: Activity, updated_on: UpdatedOn
) -> tuple[dt.date | None, dt.date | None]:
    """Set the activity's « Dernière mise à jour » (today by default); returns (old, new)."""
    old = activity.updated_on
    new = today(register) if isinstance(updated_on, Today) else updated_on
    activity.updated_on = new
    return old, new


def schema_field(entity: Entity, key: str) -> Field:
    try:
        return entity.field(key)
    except KeyError:
        raise unknown_field(entity, key) from None


def validated(entity: Entity, values: Mapping[str, Any]) -> dict[str, Any]:
    """Every field of ``entity`` (None when absent), validated against the schema."""
    unknown = set(values) - set(entity.keys)
    if unknown:
        raise unknown_field(entity, sorted(unknown)[0])
    return {spec.key: coerce(spec, values.get(spec.key)) for spec in entity.fields}
