"""Imports: detect the format, read and check the file, plan, then apply in one transaction.

``plan_import`` never writes: it reads the file (refusing anything damaged, protected, oversized
or of the wrong type with ``InvalidImportFile``), checks every value against the field schema
and matches the records against the register. ``apply_import`` writes the plan in a single
transaction with one audit entry per record created or changed: everything or nothing.

JSON imports match organisations, processors, software and activities by identifier (created
when absent, updated when different), so an export re-imported gives the same register. CNIL
template and CSV imports add activities to one organisation and leave aside those already in
the register (same reference or same name) or twice in the file.
"""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from registre import services, todos
from registre.audit import AuditTrail
from registre.errors import RecordNotFound
from registre.interchange import cnil_sheets, cnil_template, columns, csv_format, tables
from registre.interchange.companions import (
    CompanionChange,
    allowed_targets,
    apply_companions,
    resolve_companions,
)
from registre.interchange.errors import OrganisationRequired, invalid
from registre.interchange.json_format import (
    ActivityRecord,
    JsonPayload,
    OrganisationRecord,
    Record,
    read_document,
)
from registre.interchange.plan import (
    CREATE,
    IGNORE,
    UPDATE,
    ImportPlan,
    ImportReport,
    PlanEntry,
    TablePayload,
)
from registre.interchange.spreadsheets import OLE2_MAGIC, SheetData, cell_name, read_workbook
from registre.interchange.table_import import apply_table, resolve_table
from registre.interchange.writer import ActivityWriter, created_changes, full_row
from registre.model import (
    ROW_CLASSES,
    Activity,
    AuditEntry,
    Organisation,
    Processor,
    Software,
    Todo,
)
from registre.schema import ACTIVITY, ORGANISATION, PROCESSOR, SOFTWARE, Entity, Kind
from registre.storage import Register

MAX_FILE_BYTES = 100 * 1024 * 1024
CHUNK = 500
_NOW = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)  # a to-do's missing time, while comparing
ZIP_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods")  # workbooks that are ZIP archives
_FOREIGN_MAGIC = {
    b"%PDF": ("document PDF", "PDF document"),
    b"\x89PNG": ("image PNG", "PNG image"),
    b"\xff\xd8\xff": ("image JPEG", "JPEG image"),
    b"GIF8": ("image GIF", "GIF image"),
    b"\x1f\x8b": ("archive gzip", "gzip archive"),
    b"7z\xbc\xaf": ("archive 7-Zip", "7-Zip archive"),
    b"Rar!": ("archive RAR", "RAR archive"),
    b"SQLite format 3": ("base SQLite", "SQLite database"),
    b"{\\rtf": ("document RTF", "RTF document"),
}


# --------------------------------------------------------------------------------------------
# Reading the file
# --------------------------------------------------------------------------------------------


def read_input(path: Path, limit: int | None = None) -> bytes:
    """The bytes of ``path``, refusing missing, unreadable, empty and oversized files."""
    limit = limit or MAX_FILE_BYTES
    try:
        if not path.is_file():
            raise invalid(path, "fichier introuvable", "file not found")
        size = path.stat().st_size
        if size > limit:
            raise invalid(
                path,
                f"fichier trop volumineux ({size // (1024 * 1024)} Mo, au plus "
                f"{limit // (1024 * 1024)} Mo)",
                f"file too large ({size // (1024 * 1024)} MB, at most {limit // (1024 * 1024)} MB)",
            )
        with path.open("rb") as stream:
            data = stream.read(limit + 1)
    except OSError as exc:
        raise invalid(
            path, f"lecture impossible ({exc.strerror})", f"cannot read ({exc.strerror})"
        ) from None
    if len(data) > limit:
        raise invalid(path, "fichier trop volumineux", "file too large")
    if not data.strip():
        raise invalid(path, "fichier vide", "empty file")
    return data


def detect_format(data: bytes, path: Path) -> str:
    """ "json", "workbook" or "csv", from the content (the extension is not trusted: a file
    named .xlsx or .ods that is not a ZIP archive is refused rather than read as text)."""
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", OLE2_MAGIC)):
        return "workbook"
    for magic, (name_fr, name_en) in _FOREIGN_MAGIC.items():
        if data.startswith(magic):
            raise invalid(
                path,
                f"type de fichier non pris en charge ({name_fr})",
                f"unsupported file type ({name_en})",
            )
    suffix = path.suffix.lower()
    if suffix in ZIP_WORKBOOK_SUFFIXES:  # a real one is a ZIP archive (or OLE2 when protected)
        raise invalid(
            path,
            f"le fichier porte l'extension {suffix} mais ce n'est pas un vrai classeur (un "
            f"classeur {suffix} est une archive ZIP, celui-ci n'en est pas une) : il est abîmé "
            "ou c'est un autre fichier renommé ; ouvrez-le dans votre tableur et enregistrez-le "
            f"de nouveau au format {suffix}, ou en CSV",
            f"the file is named {suffix} but is not a real spreadsheet (an {suffix} workbook is "
            "a ZIP archive, this one is not): it is damaged or another file renamed; open it in "
            f"your spreadsheet program and save it again as {suffix}, or as CSV",
        )
    start = data
    for bom in (codecs.BOM_UTF8,):
        if start.startswith(bom):
            start = start[len(bom) :]
    start = start.lstrip(b" \t\r\n")
    if start[:1] in (b"{", b"["):
        return "json"
    return "csv"


# --------------------------------------------------------------------------------------------
# Matching a payload against the register
# --------------------------------------------------------------------------------------------


def _chunks(items: Sequence[str], size: int = CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _state(session: Session) -> tuple[int, str]:
    """The audit chain's head: it moves with every change, so it dates the register's state."""
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    return (last[0], last[1]) if last else (0, "")


def _label(values: dict[str, Any], entity: Entity) -> str:
    return str(values.get(entity.title_field) or values.get("name") or "?")


def _fields_text(keys: Iterable[str], entity: Entity, lang: str) -> str:
    labels = []
    for key in keys:
        if key == todos.TODOS_KEY:
            labels.append(todos.LABEL_EN if lang == "en" else todos.LABEL_FR)
            continue
        try:
            labels.append(entity.field(key).label(lang))
        except KeyError:
            labels.append(entity.collection(key).label(lang))
    return ", ".join(labels)


@dataclass
class JsonResolution:
    """What a JSON import creates and changes, record by record."""

    organisations: list[tuple[OrganisationRecord, bool, dict[str, tuple[Any, Any]]]] = field(
        default_factory=list
    )
    processors: list[tuple[str, Record, bool, dict[str, tuple[Any, Any]]]] = field(
        default_factory=list
    )
    software: list[tuple[str, Record, bool, dict[str, tuple[Any, Any]]]] = field(
        default_factory=list
    )
    new_activities: list[tuple[str, ActivityRecord]] = field(default_factory=list)
    changed_activities: list[tuple[str, ActivityRecord, dict[str, tuple[Any, Any]]]] = field(
        default_factory=list
    )
    companions: list[CompanionChange] = field(default_factory=list)
    entries: list[PlanEntry] = field(default_factory=list)


def _normalised_activity(record: ActivityRecord) -> None:
    """Defaults of NOT NULL columns for values the file gave as null."""
    if "role" in record.values and record.values["role"] is None:
        record.values["role"] = "controller"
    if "status" in record.values and record.values["status"] is None:
        record.values["status"] = "draft"


def _comparable(spec_kind: Kind, value: Any) -> Any:
    return sorted(value) if spec_kind == Kind.REFERENCES and value is not None else value


class _JsonMatcher:
    """Matches a validated JSON payload with the register, inside one session."""

    def __init__(self, session: Session, path: Path) -> None:
        self.session = session
        self.path = path
        self.result = JsonResolution()

    def fail(self, where: str, reason: str, reason_en: str) -> Exception:
        return invalid(self.path, f"{where} : {reason}", f"{where}: {reason_en}")

    def _existing(self, cls: Any, ids: Sequence[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for chunk in _chunks(ids):
            for record in self.session.scalars(select(cls).where(cls.id.in_(chunk))):
                found[record.id] = record
        return found

    def _simple(
        self,
        entity: Entity,
        record: Record,
        existing: Any,
    ) -> tuple[bool, dict[str, tuple[Any, Any]]]:
        if existing is None:
            self.result.entries.append(
                PlanEntry(CREATE, entity.name, _label(record.values, entity), record.where)
            )
            return False, {}
        changes = {
            key: (getattr(existing, key), value)
            for key, value in record.values.items()
            if getattr(existing, key) != value
        }
        action = UPDATE if changes else IGNORE
        reason = (
            (
                "champs : " + _fields_text(changes, entity, "fr"),
                "fields: " + _fields_text(changes, entity, "en"),
            )
            if changes
            else ("identique au registre", "identical to the register")
        )
        self.result.entries.append(
            PlanEntry(action, entity.name, _label(record.values, entity), record.where, *reason)
        )
        return True, changes

    def organisation(self, organisation: OrganisationRecord) -> None:
        existing = self.session.get(Organisation, organisation.id)
        exists, changes = self._simple(ORGANISATION, organisation, existing)
        self.result.organisations.append((organisation, exists, changes))
        allowed_processors = self._owned(Processor, organisation, organisation.processors)
        for record in organisation.software:
            target = record.values.get("processor_id")
            if target is not None and target not in allowed_processors:
                raise self.fail(
                    f"{record.where}.processor_id",
                    f"sous-traitant introuvable « {target} »",
                    f"processor not found “{target}”",
                )
        allowed_software = self._owned(Software, organisation, organisation.software)
        self._activities(organisation, allowed_processors, allowed_software)
        self._companions(organisation)

    def _companions(self, organisation: OrganisationRecord) -> None:
        in_file = {
            "activity": [record.id for record in organisation.activities],
            "software": [record.id for record in organisation.software],
            "processor": [record.id for record in organisation.processors],
        }
        allowed = allowed_targets(self.session, organisation.id, in_file)
        resolved = resolve_companions(
            self.session, organisation.id, organisation.companions, allowed, self.fail
        )
        wheres = {
            item.id: item.where for items in organisation.companions.values() for item in items
        }
        for item in resolved:
            label = _label(item.values, item.entity)
            where = wheres[item.id]
            if not item.exists:
                self.result.entries.append(PlanEntry(CREATE, item.entity.name, label, where))
            elif item.changes:
                self.result.entries.append(
                    PlanEntry(
                        UPDATE,
                        item.entity.name,
                        label,
                        where,
                        "champs : " + _fields_text(item.changes, item.entity, "fr"),
                        "fields: " + _fields_text(item.changes, item.entity, "en"),
                    )
                )
            else:
                self.result.entries.append(
                    PlanEntry(
                        IGNORE,
                        item.entity.name,
                        label,
                        where,
                        "identique au registre",
                        "identical to the register",
                    )
                )
        self.result.companions += resolved

    def _owned(self, cls: Any, organisation: OrganisationRecord, records: list[Record]) -> set[str]:
        """Create/update processors or software; returns the ids references may use."""
        entity = PROCESSOR if cls is Processor else SOFTWARE
        existing = self._existing(cls, [record.id for record in records])
        target = self.result.processors if cls is Processor else self.result.software
        for record in records:
            found = existing.get(record.id)
            if found is not None and found.organisation_id != organisation.id:
                raise self.fail(
                    record.where,
                    "cet identifiant appartient à un autre organisme du registre",
                    "this identifier belongs to another organisation of the register",
                )
            exists, changes = self._simple(entity, record, found)
            target.append((organisation.id, record, exists, changes))
        owned = set(
            self.session.scalars(select(cls.id).where(cls.organisation_id == organisation.id))
        )
        return owned | {record.id for record in records}

    def _activities(
        self,
        organisation: OrganisationRecord,
        processors: set[str],
        software: set[str],
    ) -> None:
        records = organisation.activities
        owners: dict[str, str] = {}
        for chunk in _chunks([record.id for record in records]):
            query = select(Activity.id, Activity.organisation_id).where(Activity.id.in_(chunk))
            for activity_id, owner_id in self.session.execute(query):
                owners[activity_id] = owner_id
        allowed = {"processors": processors, "software": software}
        existing_ids = []
        for record in records:
            _normalised_activity(record)
            owner = owners.get(record.id)
            if owner is not None and owner != organisation.id:
                raise self.fail(
                    record.where,
                    "cet identifiant appartient à un autre organisme du registre",
                    "this identifier belongs to another organisation of the register",
                )
            for key in ("processors", "software"):
                for target in record.values.get(key, []):
                    if target not in allowed[key]:
                        raise self.fail(
                            f"{record.where}.{key}",
                            f"élément introuvable « {target} »",
                            f"record not found “{target}”",
                        )
            if owner is None:
                self.result.new_activities.append((organisation.id, record))
                self.result.entries.append(
                    PlanEntry(CREATE, ACTIVITY.name, _label(record.values, ACTIVITY), record.where)
                )
            else:
                existing_ids.append(record.id)
        if existing_ids:
            self._changed(organisation, [r for r in records if r.id in set(existing_ids)])
        self._check_rows(records)

    def _changed(self, organisation: OrganisationRecord, records: list[ActivityRecord]) -> None:
        options = [selectinload(getattr(Activity, c.key)) for c in ACTIVITY.collections]
        options += [selectinload(Activity.processors), selectinload(Activity.software)]
        current: dict[str, dict[str, Any]] = {}
        for chunk in _chunks([record.id for record in records]):
            query = select(Activity).options(*options).where(Activity.id.in_(chunk))
            for activity in self.session.scalars(query):
                current[activity.id] = services.activity_record(activity)
        for record in records:
            old = current[record.id]
            changes: dict[str, tuple[Any, Any]] = {}
            for spec in ACTIVITY.fields:
                if spec.key not in record.values:
                    continue
                before = _comparable(spec.kind, old[spec.key])
                after = _comparable(spec.kind, record.values[spec.key])
                if before != after:
                    changes[spec.key] = (old[spec.key], record.values[spec.key])
            for collection in ACTIVITY.collections:
                if collection.key not in record.rows:
                    continue
                rows = [full_row(collection.entity, row) for row in record.rows[collection.key]]
                if rows != old[collection.key]:
                    changes[collection.key] = (old[collection.key], rows)
            if record.todos is not None:
                stored = todos.rows_of(self.session, [record.id])[record.id]
                incoming = todos.recorded(
                    todos.new_rows(record.todos, record.id, actor="", at=_NOW, new_id=str)
                )
                if incoming != stored:
                    changes[todos.TODOS_KEY] = (stored, incoming)
            label = _label(record.values, ACTIVITY) if "name" in record.values else old["name"]
            if changes:
                self.result.changed_activities.append((organisation.id, record, changes))
                self.result.entries.append(
                    PlanEntry(
                        UPDATE,
                        ACTIVITY.name,
                        label,
                        record.where,
                        "champs : " + _fields_text(changes, ACTIVITY, "fr"),
                        "fields: " + _fields_text(changes, ACTIVITY, "en"),
                    )
                )
            else:
                self.result.entries.append(
                    PlanEntry(
                        IGNORE,
                        ACTIVITY.name,
                        label,
                        record.where,
                        "identique au registre",
                        "identical to the register",
                    )
                )

    def _check_rows(self, records: list[ActivityRecord]) -> None:
        """A row or to-do identifier may not already belong to another activity."""
        todo_owner = {
            str(item["id"]): (record.id, record.where)
            for record in records
            for item in record.todos or []
        }
        for chunk in _chunks(list(todo_owner)):
            query = select(Todo.id, Todo.activity_id).where(Todo.id.in_(chunk))
            for todo_id, activity_id in self.session.execute(query):
                expected, where = todo_owner[todo_id]
                if activity_id != expected:
                    raise self.fail(
                        where,
                        "un point à voir avec le DPO de ce fichier appartient à un autre "
                        "traitement",
                        "a to-do of this file belongs to another activity",
                    )
        for collection in ACTIVITY.collections:
            owner_in_file = {
                row.id: (record.id, row.where)
                for record in records
                for row in record.rows.get(collection.key, [])
            }
            if not owner_in_file:
                continue
            table = ROW_CLASSES[collection.key].__table__
            for chunk in _chunks(list(owner_in_file)):
                query = select(table.c.id, table.c.activity_id).where(table.c.id.in_(chunk))
                for row_id, activity_id in self.session.execute(query):
                    expected, where = owner_in_file[row_id]
                    if activity_id != expected:
                        raise self.fail(
                            where,
                            "cet identifiant de ligne appartient à un autre traitement",
                            "this row identifier belongs to another activity",
                        )


def resolve_json(session: Session, payload: JsonPayload, path: Path) -> JsonResolution:
    """Records of a JSON export to create, update or leave as they are."""
    matcher = _JsonMatcher(session, path)
    for organisation in payload.organisations:
        matcher.organisation(organisation)
    return matcher.result


# --------------------------------------------------------------------------------------------
# Planning
# --------------------------------------------------------------------------------------------


def target_organisation(register: Register, organisation_id: str | None) -> tuple[str, str]:
    """(id, name) of the organisation a spreadsheet or CSV import goes into."""
    organisations = services.list_organisations(register)
    if organisation_id is not None:
        for organisation in organisations:
            if organisation.id == organisation_id:
                return organisation.id, organisation.name
        raise RecordNotFound(entity=ORGANISATION.label_fr, id=organisation_id)
    if len(organisations) == 1:
        return organisations[0].id, organisations[0].name
    if not organisations:
        raise OrganisationRequired(
            reason="le registre ne contient aucun organisme",
            reason_en="the register holds no organisation",
        )
    listing = "; ".join(f"{o.name} : {o.id}" for o in organisations)
    raise OrganisationRequired(
        reason=f"{len(organisations)} organismes dans ce registre — {listing}",
        reason_en=f"{len(organisations)} organisations in this register — {listing}",
    )


@dataclass
class ImportFile:
    """A file read and checked, not yet matched against a register."""

    path: Path
    format: str
    payload: JsonPayload | TablePayload


def _table_payload(data: bytes, path: Path, choices: Mapping[str, str | None]) -> TablePayload:
    kind = detect_format(data, path)
    if kind == "csv":
        payload = csv_format.read_csv(data, path, choices)
    else:
        workbook_kind, sheets = read_workbook(data, path)
        if cnil_sheets.is_template(sheets) and not choices:
            payload = cnil_template.read_template(sheets, path, workbook_kind)
        else:
            payload = _first_table(sheets, path, workbook_kind, choices)
    check_names(path, payload)
    return payload


def _first_table(
    sheets: Sequence[SheetData], path: Path, workbook_kind: str, choices: Mapping[str, str | None]
) -> TablePayload:
    """The first non-empty sheet of a workbook that is not in the CNIL layout, as a table."""
    for sheet in sheets:
        if any(any(cell not in (None, "") for cell in row) for row in sheet.rows):
            payload = TablePayload(format=f"table-{workbook_kind}")
            name = sheet.name

            def where_of(row: int, column: int | None, name: str = name) -> str:
                if column is None:
                    return f"{name}!{row + 1}"
                return f"{name}!{cell_name(column, row)}"

            payload = tables.read_table(sheet.rows, path, payload, choices, where_of)
            others = [
                other.name
                for other in sheets
                if other is not sheet
                and any(any(cell not in (None, "") for cell in row) for row in other.rows)
            ]
            for other in others:
                payload.entries.append(
                    PlanEntry(
                        IGNORE,
                        "sheet",
                        other,
                        "",
                        "seule la première feuille d'un tableau est importée",
                        "only the first sheet of a table is imported",
                    )
                )
            return payload
    raise invalid(path, "classeur vide", "empty workbook")


def check_names(path: Path, payload: TablePayload) -> None:
    """Refuse names holding a NUL or an invisible text-direction character."""
    for activity in payload.activities:
        tables.check_name(path, activity.values.get("name"), activity.where)
        for key in ("processors", "software"):
            for name in activity.values.get(key, []):
                tables.check_name(path, name, activity.where)
        for collection in ACTIVITY.collections:
            for row in activity.values.get(collection.key, []):
                tables.check_name(path, row.get("name"), activity.where)
    for record in (*payload.processors, *payload.software):
        tables.check_name(path, record.values.get("name"), record.where)


def read_import(
    path: Path,
    *,
    mapping_file: Path | None = None,
    choices: Mapping[str, str | None] | None = None,
) -> ImportFile:
    """Read and check ``path`` (format detected from its content) without any register.

    ``choices`` (column → field, « note » or « ignore », as in a mapping file) override the
    mapping file's. Raises InvalidImportFile for a file that cannot be imported: commands call
    this before opening the register, so a refused file never touches it.
    """
    path = Path(path)
    data = read_input(path)
    merged: dict[str, str | None] = {}
    if mapping_file:
        merged.update(columns.read_mapping(Path(mapping_file)))
    merged.update(choices or {})
    if detect_format(data, path) == "json":
        document = read_document(data, path)
        check_json_names(path, document)
        return ImportFile(path, "json", document)
    table = _table_payload(data, path, merged)
    return ImportFile(path, table.format, table)


def check_json_names(path: Path, payload: JsonPayload) -> None:
    """Refuse names holding a NUL or an invisible text-direction character (JSON)."""
    for organisation in payload.organisations:
        tables.check_name(path, organisation.values.get("name"), organisation.where)
        for record in (*organisation.processors, *organisation.software, *organisation.activities):
            tables.check_name(path, record.values.get("name"), record.where)
        for activity in organisation.activities:
            for rows in activity.rows.values():
                for row in rows:
                    tables.check_name(path, row.values.get("name"), row.where)


def plan_import(
    register: Register,
    path: Path | ImportFile,
    *,
    mapping_file: Path | None = None,
    choices: Mapping[str, str | None] | None = None,
    organisation_id: str | None = None,
) -> ImportPlan:
    """Say what importing ``path`` (or a file already read) would do. Nothing is written.

    Raises InvalidImportFile for a file that cannot be imported, and OrganisationRequired when a
    spreadsheet or CSV import has no single target organisation.
    """
    source = (
        path
        if isinstance(path, ImportFile)
        else read_import(Path(path), mapping_file=mapping_file, choices=choices)
    )
    if isinstance(source.payload, JsonPayload):
        payload = source.payload
        if organisation_id is not None:
            payload.organisations = [o for o in payload.organisations if o.id == organisation_id]
            if not payload.organisations:
                raise invalid(
                    source.path,
                    f"l'organisme {organisation_id} n'est pas dans ce fichier",
                    f"organisation {organisation_id} is not in this file",
                )
        with register.read() as session:
            state = _state(session)
            resolution = resolve_json(session, payload, source.path)
        names = [str(o.values.get("name")) for o in payload.organisations]
        return ImportPlan(
            path=source.path,
            format="json",
            organisation_id=organisation_id,
            organisation_name=", ".join(names) or None,
            entries=resolution.entries,
            payload=payload,
            resolution=resolution,
            state=state,
        )
    table = source.payload
    target, target_name = target_organisation(register, organisation_id)
    with register.read() as session:
        state = _state(session)
        resolved = resolve_table(session, table, target)
    return ImportPlan(
        path=source.path,
        format=table.format,
        organisation_id=target,
        organisation_name=target_name,
        entries=resolved.entries + table.entries,
        payload=table,
        resolution=resolved,
        state=state,
        columns=dict(table.columns),
        repairs=table.repairs,
        column_list=list(table.column_list),
        ledger=resolved.ledger,
    )


# --------------------------------------------------------------------------------------------
# Applying
# --------------------------------------------------------------------------------------------

Recorded = list[tuple[services.Change, str]]


def _apply_owned(session: Session, resolution: JsonResolution) -> Recorded:
    """Create or update the organisations, processors and software of a JSON import."""
    recorded: Recorded = []
    for organisation, exists, changes in resolution.organisations:
        if not exists:
            session.add(Organisation(id=organisation.id, **organisation.values))
            created = created_changes(organisation.values)
            change = services.Change("created", ORGANISATION.name, organisation.id, created)
            recorded.append((change, organisation.id))
        elif changes:
            found = session.get(Organisation, organisation.id)
            for key, (_old, new) in changes.items():
                setattr(found, key, new)
            change = services.Change("updated", ORGANISATION.name, organisation.id, changes)
            recorded.append((change, organisation.id))
    session.flush()
    for owned, cls, entity in (
        (resolution.processors, Processor, PROCESSOR),
        (resolution.software, Software, SOFTWARE),
    ):
        for organisation_id, item, exists, changes in owned:
            if not exists:
                session.add(cls(id=item.id, organisation_id=organisation_id, **item.values))
                created = created_changes(item.values)
                recorded.append(
                    (services.Change("created", entity.name, item.id, created), organisation_id)
                )
            elif changes:
                record = session.get(cls, item.id)
                for key, (_old, new) in changes.items():
                    setattr(record, key, new)
                recorded.append(
                    (services.Change("updated", entity.name, item.id, changes), organisation_id)
                )
        session.flush()
    return recorded


def _apply_json(session: Session, register: Register, resolution: JsonResolution) -> Recorded:
    recorded = _apply_owned(session, resolution)
    writer = ActivityWriter(session, register.context.clock().date(), register.context)
    for organisation_id, record in resolution.new_activities:
        recorded.append((writer.create(organisation_id, record), organisation_id))
    for organisation_id, record, changes in resolution.changed_activities:
        writer.update(record, changes)
        change = services.Change("updated", ACTIVITY.name, record.id, changes)
        recorded.append((change, organisation_id))
    writer.flush()
    recorded += apply_companions(session, resolution.companions)
    return recorded


def apply_import(register: Register, plan: ImportPlan) -> ImportReport:
    """Write ``plan`` in one transaction (all or nothing), one audit entry per record.

    When the register changed since the plan was made, the matching is done again inside the
    transaction, so duplicates and identifiers are checked against what is really there.
    """
    ledger = plan.ledger
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        fresh = (trail.seq, trail.head if trail.seq else "") != plan.state
        try:
            if plan.format == "json":
                resolution = (
                    resolve_json(session, plan.payload, plan.path) if fresh else plan.resolution
                )
                recorded = _apply_json(session, register, resolution)
            else:
                if fresh:
                    assert plan.organisation_id is not None
                    resolution = resolve_table(session, plan.payload, plan.organisation_id)
                    ledger = resolution.ledger
                else:
                    resolution = plan.resolution
                recorded = apply_table(session, register, resolution)
            session.flush()
        except IntegrityError:
            raise invalid(
                plan.path,
                "le contenu contredit le registre (identifiants en conflit)",
                "the content conflicts with the register (conflicting identifiers)",
            ) from None
        for change, organisation_id in recorded:
            # As services.record_change does; the audit trail turns the (old, new) tuples
            # into lists itself, so the changes are handed over without another copy.
            trail.append(
                at=register.context.clock(),
                action=change.action,
                entity=change.entity,
                entity_id=change.id,
                organisation_id=organisation_id,
                changes=change.fields,
            )
    return ImportReport(
        path=plan.path,
        format=plan.format,
        changes=[change for change, _organisation in recorded],
        ignored=len(plan.ignored),
        not_understood=len(plan.not_understood),
        ledger=ledger,
    )
