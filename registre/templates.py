"""The catalogue of typical processing activities of French communes, and template versions.

The catalogue lives in ``resources/templates/catalogue.json``: each template holds the values of
an activity keyed by the field schema (``registre.schema.ACTIVITY``), the sources a DPO can check
for every legal statement it makes, and the processors and software usually involved.

An activity created from a template records the template's id and version
(``template_id``, ``template_version``). When the catalogue is updated, ``outdated_activities``
lists the activities created from an older version, ``template_differences`` compares one of
them, field by field, with the current template, and ``apply_template_changes`` applies the
fields the DPO chooses, through the service functions (one audit entry per change).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

from sqlalchemy import select

from registre import services
from registre.errors import EXIT_USAGE, RegistreError
from registre.model import Activity
from registre.schema import ACTIVITY, Entity
from registre.storage import Register

CATALOGUE_FORMAT = 1

# Where a template's statement comes from: what a DPO checks it against.
SOURCE_TOPICS: dict[str, tuple[str, str]] = {
    "legal_basis": ("Base légale", "Legal basis"),
    "retention": ("Durées de conservation", "Retention periods"),
    "art9": ("Données sensibles (art. 9)", "Special categories (Art. 9)"),
    "offence": ("Données d'infraction (art. 10)", "Offence data (Art. 10)"),
    "dpia": ("Analyse d'impact", "Impact assessment"),
    "other": ("Autre", "Other"),
}

# Activity fields that belong to the organisation's own follow-up, never to a template.
NOT_FROM_TEMPLATE: frozenset[str] = frozenset(
    {
        "name",
        "reference",
        "role",
        "status",
        "created_on",
        "updated_on",
        "next_review_on",
        "template_id",
        "template_version",
        "processors",
        "software",
        "dpia_date",
        "processing_categories",
    }
)

# Collections every template describes (others are compared only when a template holds them).
TEMPLATE_COLLECTIONS: tuple[str, ...] = (
    "purposes",
    "data_subjects",
    "data_categories",
    "recipients",
    "security_measures",
)


# --------------------------------------------------------------------------------------------
# Errors the user can act on
# --------------------------------------------------------------------------------------------


class UnknownTemplate(RegistreError):
    """A template id that the catalogue does not hold."""

    exit_code = EXIT_USAGE
    text_fr = "Aucun modèle « {template_id} » dans le catalogue."
    text_en = "No template “{template_id}” in the catalogue."
    hint_fr = "La commande « registre templates » liste les modèles disponibles."
    hint_en = "The command “registre templates” lists the available templates."


class NotFromTemplate(RegistreError):
    """Template changes were asked for an activity that was not created from a template."""

    exit_code = EXIT_USAGE
    text_fr = "Le traitement « {name} » n'a pas été créé à partir d'un modèle du catalogue."
    text_en = "Activity “{name}” was not created from a catalogue template."


# --------------------------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """Where one legal statement of a template comes from."""

    topic: str  # a key of SOURCE_TOPICS
    statement: str  # what the template states, in French
    reference: str  # the text to check: code and articles, decree, archival instruction…
    url: str = ""  # where to read it (Légifrance, EUR-Lex), when known


@dataclass(frozen=True)
class ChangeNote:
    """What changed in a template version, and in which fields."""

    version: str
    note_fr: str
    note_en: str
    fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Category:
    """A family of templates (Population, Social…)."""

    name_fr: str
    name_en: str

    def name(self, lang: str = "fr") -> str:
        """Name in ``lang``."""
        return self.name_en if lang == "en" else self.name_fr


@dataclass(frozen=True)
class Template:
    """One typical activity: activity values by schema key, with its sources."""

    id: str
    version: str
    name_fr: str
    name_en: str
    category: str  # a Category.name_fr
    sources: tuple[Source, ...]
    activity: dict[str, Any] = field(hash=False)
    usual_processors: tuple[str, ...] = ()
    usual_software: tuple[str, ...] = ()
    changelog: tuple[ChangeNote, ...] = ()

    def name(self, lang: str = "fr") -> str:
        """Name in ``lang``."""
        return self.name_en if lang == "en" else self.name_fr

    def values(self) -> dict[str, Any]:
        """A copy of the activity values, ready for ``services.create_activity``."""
        return copy.deepcopy(self.activity)

    def sources_for(self, topic: str) -> list[Source]:
        """The sources of one topic (``legal_basis``, ``retention``…)."""
        return [source for source in self.sources if source.topic == topic]

    def changed_since(self, version: str) -> set[str]:
        """Keys the changelog says were changed in versions newer than ``version``."""
        after = version_key(version)
        return {
            key
            for note in self.changelog
            if version_key(note.version) > after
            for key in note.fields
        }

    def with_changes(
        self, *, version: str, note_fr: str = "", note_en: str = "", **values: Any
    ) -> Template:
        """A new version of this template with ``values`` changed (None removes a field).

        The changelog gains a note listing the changed keys: this is how the catalogue is
        updated, and how tests simulate an update.
        """
        activity = self.values()
        for key, value in values.items():
            if value is None:
                activity.pop(key, None)
            else:
                activity[key] = copy.deepcopy(value)
        note = ChangeNote(version, note_fr, note_en, tuple(values))
        return Template(
            id=self.id,
            version=version,
            name_fr=self.name_fr,
            name_en=self.name_en,
            category=self.category,
            sources=self.sources,
            activity=activity,
            usual_processors=self.usual_processors,
            usual_software=self.usual_software,
            changelog=(*self.changelog, note),
        )


@dataclass(frozen=True)
class Catalogue:
    """Every template, with the catalogue's own version and a note on its sources."""

    version: str
    source_note: str
    templates: tuple[Template, ...]
    categories: tuple[Category, ...] = ()

    def __iter__(self) -> Iterator[Template]:
        return iter(self.templates)

    def __len__(self) -> int:
        return len(self.templates)

    def find(self, template_id: str) -> Template | None:
        """The template called ``template_id``, or None."""
        for template in self.templates:
            if template.id == template_id:
                return template
        return None

    def get(self, template_id: str) -> Template:
        """The template called ``template_id``; UnknownTemplate when there is none."""
        template = self.find(template_id)
        if template is None:
            raise UnknownTemplate(template_id=template_id)
        return template

    def category(self, name_fr: str) -> Category:
        """The category called ``name_fr`` (a bare one when the catalogue does not list it)."""
        for category in self.categories:
            if category.name_fr == name_fr:
                return category
        return Category(name_fr, name_fr)

    def by_category(self) -> list[tuple[Category, list[Template]]]:
        """Templates grouped by category, in catalogue order."""
        groups: dict[str, list[Template]] = {c.name_fr: [] for c in self.categories}
        for template in self.templates:
            groups.setdefault(template.category, []).append(template)
        return [(self.category(name), items) for name, items in groups.items() if items]

    def replacing(self, *templates: Template, version: str | None = None) -> Catalogue:
        """A copy where ``templates`` replace (or join) those of the same id."""
        new = {template.id: template for template in templates}
        kept = tuple(new.pop(t.id, t) for t in self.templates)
        return Catalogue(
            version=version or self.version,
            source_note=self.source_note,
            templates=kept + tuple(new.values()),
            categories=self.categories,
        )


def version_key(version: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key of a version such as ``2026.11`` or ``2027.02.1`` (numbers compare as numbers)."""
    parts = re.split(r"[.\-]", version.strip()) if version else []
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def _source(data: Mapping[str, Any]) -> Source:
    return Source(
        topic=str(data["topic"]),
        statement=str(data["statement"]),
        reference=str(data["reference"]),
        url=str(data.get("url", "")),
    )


def _template(data: Mapping[str, Any]) -> Template:
    return Template(
        id=str(data["id"]),
        version=str(data["version"]),
        name_fr=str(data["name_fr"]),
        name_en=str(data["name_en"]),
        category=str(data["category"]),
        sources=tuple(_source(s) for s in data.get("sources", [])),
        activity=dict(data["activity"]),
        usual_processors=tuple(data.get("usual_processors", [])),
        usual_software=tuple(data.get("usual_software", [])),
        changelog=tuple(
            ChangeNote(
                version=str(note["version"]),
                note_fr=str(note.get("note_fr", "")),
                note_en=str(note.get("note_en", "")),
                fields=tuple(note.get("fields", [])),
            )
            for note in data.get("changelog", [])
        ),
    )


def parse_catalogue(document: Mapping[str, Any]) -> Catalogue:
    """A Catalogue from its JSON document (ValueError when the format is not known)."""
    if document.get("format") != CATALOGUE_FORMAT:
        raise ValueError(f"unknown catalogue format {document.get('format')!r}")
    return Catalogue(
        version=str(document["version"]),
        source_note=str(document.get("source_note", "")),
        templates=tuple(_template(t) for t in document["templates"]),
        categories=tuple(
            Category(str(c["name_fr"]), str(c["name_en"])) for c in document.get("categories", [])
        ),
    )


@cache
def load_catalogue() -> Catalogue:
    """The catalogue shipped in ``resources/templates/catalogue.json`` (loaded once)."""
    path = resources.files("registre_resources") / "templates" / "catalogue.json"
    return parse_catalogue(json.loads(path.read_text(encoding="utf-8")))


def catalogue_listing(catalogue: Catalogue | None = None, lang: str = "fr") -> list[dict[str, str]]:
    """One line per template (id, version, name, category): what ``registre templates`` shows."""
    catalogue = catalogue or load_catalogue()
    return [
        {
            "id": template.id,
            "version": template.version,
            "name": template.name(lang),
            "category": catalogue.category(template.category).name(lang),
        }
        for template in catalogue
    ]


# --------------------------------------------------------------------------------------------
# Validation of the catalogue against the field schema (used by the tests)
# --------------------------------------------------------------------------------------------


def _row_problems(where: str, entity: Entity, row: Any) -> list[str]:
    if not isinstance(row, Mapping):
        return [f"{where}: a row must be an object"]
    problems = [f"{where}: unknown key {key!r}" for key in row if key not in entity.keys]
    for spec in entity.fields:
        try:
            services.coerce(spec, row.get(spec.key))
        except RegistreError as exc:
            problems.append(f"{where}.{spec.key}: {exc.message('en')}")
    return problems


def template_problems(template: Template) -> list[str]:
    """What is wrong with a template: keys outside the schema, refused values, missing sources."""
    where = template.id
    problems: list[str] = []
    collections = {c.key: c for c in ACTIVITY.collections}
    for key, value in template.activity.items():
        if key in collections:
            if not isinstance(value, list):
                problems.append(f"{where}.{key}: a list of rows is expected")
                continue
            entity = collections[key].entity
            for index, row in enumerate(value, 1):
                problems += _row_problems(f"{where}.{key}[{index}]", entity, row)
        elif key in ACTIVITY.keys:
            if key in NOT_FROM_TEMPLATE - {"role", "status"}:
                problems.append(f"{where}.{key}: not a template field")
                continue
            try:
                services.coerce(ACTIVITY.field(key), value)
            except RegistreError as exc:
                problems.append(f"{where}.{key}: {exc.message('en')}")
        else:
            problems.append(f"{where}: unknown activity key {key!r}")
    topics = {source.topic for source in template.sources}
    problems += [f"{where}: unknown source topic {t!r}" for t in topics - set(SOURCE_TOPICS)]
    needed = {"legal_basis", "retention"}
    if template.activity.get("art9_condition"):
        needed.add("art9")
    if template.activity.get("offence_data_authority"):
        needed.add("offence")
    problems += [f"{where}: no source for {topic}" for topic in sorted(needed - topics)]
    for index, row in enumerate(template.activity.get("data_categories", []), 1):
        if isinstance(row, Mapping) and not row.get("retention_source"):
            problems.append(f"{where}.data_categories[{index}]: no retention source")
    if version_key(template.version) == ():
        problems.append(f"{where}: no version")
    return problems


def catalogue_problems(catalogue: Catalogue) -> list[str]:
    """Every problem of every template, plus duplicate ids and unknown categories."""
    problems: list[str] = []
    seen: set[str] = set()
    categories = {c.name_fr for c in catalogue.categories}
    for template in catalogue:
        if template.id in seen:
            problems.append(f"{template.id}: duplicate id")
        seen.add(template.id)
        if categories and template.category not in categories:
            problems.append(f"{template.id}: unknown category {template.category!r}")
        problems += template_problems(template)
    return problems


# --------------------------------------------------------------------------------------------
# Creating an activity from a template
# --------------------------------------------------------------------------------------------


def create_from_template(
    register: Register,
    *,
    organisation_id: str,
    template_id: str,
    overrides: Mapping[str, Any] | None = None,
    catalogue: Catalogue | None = None,
) -> services.Change:
    """Create an activity from a template; ``overrides`` replace template values (and the name).

    The activity records the template's id and version. Values are validated by the service
    function like any others.
    """
    template = (catalogue or load_catalogue()).get(template_id)
    values = template.values()
    extra = dict(overrides or {})
    name = str(extra.pop("name", None) or template.name_fr)
    values.update(copy.deepcopy(extra))
    values["template_id"] = template.id
    values["template_version"] = template.version
    return services.create_activity(register, organisation_id=organisation_id, name=name, **values)


# --------------------------------------------------------------------------------------------
# Comparing an activity with the current version of its template
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldDifference:
    """One field (or collection) whose current value differs from the newer template's."""

    field_key: str
    label_fr: str
    label_en: str
    current: Any  # a value, or a list of rows (dicts without ids) for a collection
    template: Any
    collection: bool = False
    changed_in_template: bool = False  # the changelog lists it since the activity's version

    def label(self, lang: str = "fr") -> str:
        """Label of the field in ``lang``."""
        return self.label_en if lang == "en" else self.label_fr


class OutdatedActivity(NamedTuple):
    """An activity created from an older version of a template."""

    activity: services.ActivitySummary
    template: Template
    from_version: str


def _collection_entity(key: str) -> Entity | None:
    for collection in ACTIVITY.collections:
        if collection.key == key:
            return collection.entity
    return None


def _normal_row(entity: Entity, row: Mapping[str, Any]) -> dict[str, Any]:
    """Every field of ``row`` as the schema stores it (None when absent), without its id."""
    return {spec.key: services.coerce(spec, row.get(spec.key)) for spec in entity.fields}


def _row_key(row: Mapping[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, default=str, ensure_ascii=False)


def _shown(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in row.items() if value is not None}


def _compared_keys(template: Template, from_version: str) -> list[str]:
    """Template keys, plus keys a newer version changed or removed, in schema order."""
    wanted = set(template.activity) | template.changed_since(from_version)
    wanted |= set(TEMPLATE_COLLECTIONS)
    order = [f.key for f in ACTIVITY.fields] + [c.key for c in ACTIVITY.collections]
    return [key for key in order if key in wanted and key not in NOT_FROM_TEMPLATE]


def _differences(record: Mapping[str, Any], template: Template) -> list[FieldDifference]:
    from_version = str(record.get("template_version") or "")
    changed = template.changed_since(from_version)
    differences: list[FieldDifference] = []
    for key in _compared_keys(template, from_version):
        entity = _collection_entity(key)
        if entity is not None:
            current_rows = [_normal_row(entity, row) for row in record.get(key) or []]
            template_rows = [_normal_row(entity, row) for row in template.activity.get(key) or []]
            same = sorted(map(_row_key, current_rows)) == sorted(map(_row_key, template_rows))
            if not same:
                collection = ACTIVITY.collection(key)
                differences.append(
                    FieldDifference(
                        key,
                        collection.label("fr"),
                        collection.label("en"),
                        [_shown(row) for row in current_rows],
                        [_shown(row) for row in template_rows],
                        collection=True,
                        changed_in_template=key in changed,
                    )
                )
            continue
        spec = ACTIVITY.field(key)
        current = services.coerce(spec, record.get(key))
        wanted = services.coerce(spec, template.activity.get(key))
        if isinstance(current, list) and isinstance(wanted, list):
            same = sorted(current) == sorted(wanted)
        else:
            same = current == wanted
        if not same:
            differences.append(
                FieldDifference(
                    key,
                    spec.label_fr,
                    spec.label_en,
                    current,
                    wanted,
                    changed_in_template=key in changed,
                )
            )
    return differences


def _template_of(record: Mapping[str, Any], catalogue: Catalogue) -> Template | None:
    template_id = record.get("template_id")
    return catalogue.find(str(template_id)) if template_id else None


def _is_outdated(activity_version: str | None, template: Template) -> bool:
    return version_key(activity_version or "") < version_key(template.version)


def template_differences(
    register: Register, activity_id: str, catalogue: Catalogue | None = None
) -> list[FieldDifference]:
    """How the activity differs from the current version of its template.

    Empty when the activity was not created from a template, when its template is no longer
    in the catalogue, or when it already records the current version. Local changes show too
    (``changed_in_template`` is False for them): the DPO decides field by field.
    """
    catalogue = catalogue or load_catalogue()
    record = services.record_of(register, ACTIVITY.name, activity_id)
    template = _template_of(record, catalogue)
    if template is None or not _is_outdated(record.get("template_version"), template):
        return []
    return _differences(record, template)


def _replace_rows(
    register: Register,
    activity_id: str,
    key: str,
    current: Sequence[Mapping[str, Any]],
    wanted: Sequence[Mapping[str, Any]],
) -> list[services.Change]:
    """Make a collection hold ``wanted``: rows already equal stay, others are removed or added."""
    entity = ACTIVITY.collection(key).entity
    wanted_rows = [_normal_row(entity, row) for row in wanted]  # refuse bad values first
    pending = [_row_key(row) for row in wanted_rows]
    changes: list[services.Change] = []
    for row in current:
        row_key = _row_key(_normal_row(entity, row))
        if row_key in pending:
            pending.remove(row_key)
        else:
            changes.append(services.delete_row(register, collection=key, row_id=str(row["id"])))
    for row in wanted_rows:
        row_key = _row_key(row)
        if row_key in pending:
            pending.remove(row_key)
            changes.append(
                services.add_row(register, activity_id=activity_id, collection=key, **_shown(row))
            )
    return changes


def apply_template_changes(
    register: Register,
    activity_id: str,
    field_keys: Sequence[str],
    catalogue: Catalogue | None = None,
    *,
    mark_up_to_date: bool = False,
) -> list[services.Change]:
    """Apply the chosen fields of the current template to an activity; returns the changes.

    A field takes the template's value (``update_activity``); a collection is made equal to
    the template's rows (rows already equal are kept, the others deleted or added). When no
    difference remains, or when ``mark_up_to_date`` is set (the DPO keeps the other local
    values on purpose), the activity records the current template version.
    """
    catalogue = catalogue or load_catalogue()
    record = services.record_of(register, ACTIVITY.name, activity_id)
    if not record.get("template_id"):
        raise NotFromTemplate(name=record.get("name") or activity_id)
    template = catalogue.get(str(record["template_id"]))
    if not _is_outdated(record.get("template_version"), template):
        return []
    from_version = str(record.get("template_version") or "")
    comparable = set(_compared_keys(template, from_version))
    unknown = [key for key in field_keys if key not in comparable]
    if unknown:
        raise ValueError(f"not a template field: {', '.join(unknown)}")
    differences = {d.field_key: d for d in _differences(record, template)}
    chosen = [key for key in dict.fromkeys(field_keys) if key in differences]

    changes: list[services.Change] = []
    fields = {
        key: copy.deepcopy(template.activity.get(key))
        for key in chosen
        if not differences[key].collection
    }
    if fields:
        changes.append(services.update_activity(register, activity_id, **fields))
    for key in chosen:
        if differences[key].collection:
            changes += _replace_rows(
                register, activity_id, key, record.get(key) or [], template.activity.get(key) or []
            )
    remaining = set(differences) - set(chosen)
    if mark_up_to_date or not remaining:
        changes.append(
            services.update_activity(register, activity_id, template_version=template.version)
        )
    return changes


def outdated_activities(
    register: Register, catalogue: Catalogue | None = None, organisation_id: str | None = None
) -> list[OutdatedActivity]:
    """Activities created from an older version of a template still in the catalogue."""
    catalogue = catalogue or load_catalogue()
    query = select(Activity.id, Activity.template_id, Activity.template_version).where(
        Activity.template_id.is_not(None)
    )
    if organisation_id is not None:
        query = query.where(Activity.organisation_id == organisation_id)
    outdated: dict[str, tuple[Template, str]] = {}
    with register.read() as session:
        for activity_id, template_id, template_version in session.execute(query):
            template = catalogue.find(template_id) if template_id else None
            if template is not None and _is_outdated(template_version, template):
                outdated[activity_id] = (template, template_version or "")
    if not outdated:
        return []
    return [
        OutdatedActivity(summary, *outdated[summary.id])
        for summary in services.list_activities(register, organisation_id)
        if summary.id in outdated
    ]
