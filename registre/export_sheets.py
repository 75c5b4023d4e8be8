"""One activity's sheet, the records' cards and the masking of the communicable version.

Which fields appear is driven by ``registre.schema`` and the profile (``export_blocks``); each
value is written by ``registre.presentation`` in its document style. No label is written here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cache, partial
from typing import Any

from registre import presentation
from registre.export_blocks import (
    MASK_TEXT,
    SECURITY_MASK_TEXT,
    Block,
    Card,
    CommunicableOptions,
    Item,
    MaskedField,
    Profile,
    Sheet,
    Table,
    format_value,
    shows_collection,
    shows_field,
    shows_section,
)
from registre.loader import Record
from registre.presentation import (
    DOCUMENT,
    clean_text,
)
from registre.schema import (
    ACTIVITY,
    LAW_ENFORCEMENT,
    ORGANISATION,
    PROCESSOR,
    SOFTWARE,
    Collection,
    Composite,
    Entity,
    Field,
    Kind,
    Role,
    activity_article,
)
from registre.vocabularies import vocabulary

# Rows whose fields belong to another section of the sheet are shown twice: in their
# collection's table without those fields, and in that section's own table (the category, then
# its retention period, final disposition and reference in « 30.1.f »).
_SPLIT_TABLES = {
    "retention": (
        (ACTIVITY.collection("data_categories"), "Durée de conservation par catégorie de données"),
    ),
}
_SPLIT_SECTIONS = frozenset(_SPLIT_TABLES)

# The role is not shown as a field: the document groups activities by role.
_GROUPING_FIELDS = frozenset({"role"})


# Width weights of table columns by kind of field.
_KIND_WEIGHT = {
    Kind.LONGTEXT: 3.0,
    Kind.TEXT: 2.0,
    Kind.CHOICE: 2.0,
    Kind.MULTICHOICE: 2.5,
    Kind.REFERENCES: 2.0,
}


# --------------------------------------------------------------------------------------------
# Building the document
# --------------------------------------------------------------------------------------------


# Names of elected officials in their official capacity: communicable unless asked otherwise.
OFFICIAL_FIELDS = frozenset({("organisation", "legal_representative_name")})


class Masking:
    """Decides and counts what the communicable profile masks, by entity and field, for one
    document; writes the values it shows (``text``)."""

    def __init__(self, profile: Profile, options: CommunicableOptions | None = None) -> None:
        self.profile = profile
        self.options = options or CommunicableOptions()
        self.counts: dict[tuple[str, str], int] = {}
        # Many values repeat from sheet to sheet (choices, vocabulary terms, texts taken from
        # templates): each is written once per document. Keys: the field (schema fields live
        # as long as the process), the value's type and the value.
        self._texts: dict[tuple[int, type, Any], str | None] = {}

    def text(self, spec: Field, value: Any) -> str | None:
        """``format_value(spec, value)``, written once per field and value."""
        kind = type(value)
        if kind is list:  # several choices: a list of keys
            if not all(type(item) is str for item in value):
                return format_value(spec, value)  # related records: not kept
            value = tuple(value)
        key = (id(spec), kind, value)
        try:
            return self._texts[key]
        except KeyError:
            text = self._texts[key] = format_value(spec, value)
            return text

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


def field_items(
    entity: Entity,
    record: Any,
    specs: Iterable[Field],
    masking: Masking,
    *,
    names: Callable[[str], str] | None = None,
    keep_empty: Callable[[Field], bool] = lambda _spec: False,
) -> list[Item]:
    items = []
    for spec in specs:
        value = record.get(spec.key)
        text = masking.text(spec, value) if names is None else format_value(spec, value, names)
        text, masked = masking.value(entity, spec, text)
        if text is None and not keep_empty(spec):
            continue
        items.append(Item(spec.label_fr, text, masked))
    return items


def is_mandatory(spec: Field) -> bool:
    return spec.requirement == "mandatory"


_Columns = tuple[tuple[Field, Composite | None, float], ...]
_COLUMNS: dict[tuple[str, str, Profile, str | None], _Columns] = {}


def _table_columns(collection: Collection, profile: Profile, section: str | None) -> _Columns:
    """The columns of a table of ``collection``'s rows: (field, composite when the cell is
    one, width weight) — the fields of its entity in ``section`` only when given (with the
    entity's title field first), else the fields of no other section."""
    key = (collection.entity.name, collection.key, profile, section)
    found = _COLUMNS.get(key)
    if found is None:
        found = _COLUMNS[key] = _columns(collection.entity, profile, section)
    return found


def _columns(entity: Entity, profile: Profile, section: str | None) -> _Columns:
    specs = [s for s in entity.fields if shows_field(profile, s, entity)]
    if section is not None:
        specs = [s for s in specs if s.key == entity.title_field or s.section == section]
    else:
        specs = [s for s in specs if s.section not in _SPLIT_SECTIONS]
    # A composite (« Durée de conservation ») is one cell, titled by its first field's label.
    composite_of = {c.fields[0]: c for c in entity.composites}
    within = {key for c in entity.composites for key in c.fields[1:]}
    columns: list[tuple[Field, Composite | None, float]] = []
    for spec in specs:
        if spec.key in within:
            continue
        group = composite_of.get(spec.key)
        weight = 2.5 if group is not None else _KIND_WEIGHT.get(spec.kind, 1.5)
        columns.append((spec, group, weight))
    return tuple(columns)


def _table(
    collection: Collection,
    rows: Sequence[Any],
    profile: Profile,
    masking: Masking,
    *,
    section: str | None = None,
    title: str | None = None,
) -> Table:
    """``rows`` of ``collection`` as a table (columns as ``_table_columns`` says, without a
    column of a field given ``only_when_differs`` that no row fills)."""
    entity = collection.entity
    columns = _table_columns(collection, profile, section)
    if any(spec.only_when_differs for spec, _group, _weight in columns):
        columns = tuple(
            column
            for column in columns
            if not column[0].only_when_differs or any(row.get(column[0].key) for row in rows)
        )
    masked_columns = tuple(
        group is None and masking.mask_for(entity, spec) is not None
        for spec, group, _weight in columns
    )
    text = masking.text
    value = masking.value
    body = tuple(
        tuple(
            (presentation.composite_text(group, row, style=DOCUMENT) or None)
            if group is not None
            else value(entity, spec, text(spec, row.get(spec.key)))[0]
            for spec, group, _weight in columns
        )
        for row in rows
    )
    empty = ""
    if collection.requirement == "mandatory":
        empty = f"Aucun élément renseigné ({collection.label().lower()})."
    return Table(
        title or collection.label(),
        tuple(spec.label_fr for spec, _group, _weight in columns),
        tuple(weight for _spec, _group, weight in columns),
        body,
        empty,
        masked_columns,
    )


def actors(organisation: Record, role: str, masking: Masking) -> list[Item]:
    """The organisation's own 30.1.a / 30.2.a items, repeated on each sheet (CNIL fiche)."""
    name = format_value(ORGANISATION.field("name"), organisation["name"])
    label = "Responsable du traitement" if role == Role.CONTROLLER else "Sous-traitant"
    representative = joined_fields(
        organisation, ("legal_representative_name", "legal_representative_title"), masking
    )
    dpo = joined_fields(
        organisation, ("dpo_name", "dpo_organisation", "dpo_email", "dpo_phone"), masking
    )
    return [
        Item(label, name),
        Item(ORGANISATION.field("legal_representative_name").label_fr, *representative),
        Item(section_label(ORGANISATION, "dpo"), *dpo),
    ]


def section_label(entity: Entity, key: str) -> str:
    for section in entity.sections:
        if section.key == key:
            return section.label_fr
    raise KeyError(key)  # pragma: no cover - a schema section


def joined_fields(
    organisation: Record, keys: Sequence[str], masking: Masking
) -> tuple[str | None, bool]:
    """Several organisation fields on one line (each masked as the profile says)."""
    parts = []
    masked_all = True
    for key in keys:
        spec = ORGANISATION.field(key)
        text, masked = masking.value(ORGANISATION, spec, masking.text(spec, organisation.get(key)))
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


@cache
def _section_fields(
    profile: Profile, role: Role, section: str
) -> tuple[tuple[Field, ...], tuple[Field, ...]]:
    """The fields an activity's sheet shows in ``section``: its values, then its references
    to other records."""
    shown = [
        s
        for s in ACTIVITY.fields
        if s.section == section and role in s.roles and shows_field(profile, s, ACTIVITY)
    ]
    values = tuple(
        s
        for s in shown
        if not s.internal and s.key not in _GROUPING_FIELDS and s.kind != Kind.REFERENCES
    )
    return values, tuple(s for s in shown if s.kind == Kind.REFERENCES)


def activity_sheet(
    activity: Record,
    organisation: Record,
    profile: Profile,
    masking: Masking,
    score: int | None,
) -> Sheet:
    """``activity``'s sheet; its sections are written when first read (``Sheet.blocks``)."""
    role = Role(activity["role"]) if activity["role"] in set(Role) else Role.CONTROLLER
    legal = ""
    if shows_field(profile, ACTIVITY.field("legal_basis"), ACTIVITY):
        legal = presentation.legal_basis_text(activity["regime"], activity["legal_basis"])
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
        write_blocks=partial(_activity_blocks, activity, organisation, profile, masking, role),
        draft=activity["status"] == "draft",
        law_enforcement=activity["regime"] == LAW_ENFORCEMENT,
    )


def _activity_blocks(
    activity: Record, organisation: Record, profile: Profile, masking: Masking, role: Role
) -> tuple[Block, ...]:
    """The sections of ``activity``'s sheet."""
    blocks: list[Block] = []
    for section in ACTIVITY.sections:
        if not shows_section(profile, section):
            continue
        if section.key == "processor" and role != Role.PROCESSOR:
            continue
        content: list[Item | Table] = []
        if section.key == "actors":
            content += actors(organisation, role, masking)
        specs, refs = _section_fields(profile, role, section.key)
        content += field_items(ACTIVITY, activity, specs, masking, keep_empty=is_mandatory)
        content += field_items(ACTIVITY, activity, refs, masking)
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
        article = activity_article(section.article, role, activity["regime"])
        blocks.append(Block(section.label_fr, article, tuple(content)))
    return tuple(blocks)


_NAME_LABEL = ACTIVITY.field("name").label_fr


def record_cards(
    entity: Entity,
    records: Sequence[Any],
    profile: Profile,
    masking: Masking,
    names: Callable[[str], str] | None,
    used_by: dict[str, list[str]],
) -> tuple[Card, ...]:
    specs = [
        s for s in entity.fields if s.key != entity.title_field and shows_field(profile, s, entity)
    ]
    cards = []
    for record in records:
        items = field_items(entity, record, specs, masking, names=names, keep_empty=is_mandatory)
        if record["id"] in used_by:
            items.append(Item(ACTIVITY.plural_fr + " concernés", " ; ".join(used_by[record["id"]])))
        cards.append(Card(clean_text(record.get(entity.title_field) or ""), tuple(items)))
    return tuple(cards)
