"""Points to see with the DPO: the to-dos of an activity.

A secretary who answers « Je ne sais pas » to a question of the declaration leaves a to-do on
the new activity (its question key and its text, who and when). The DPO closes it once the
answer is in the register; closing is one change, one audit entry, one undo step, and the
to-do stays in the register, closed, with who closed it and when.

To-dos belong to their activity: they are created with it (``"todos"`` in the values of
``services.create_activity``, ``bulk_create_activities`` and the JSON import), carried in its
creation's audit entry, its undo snapshot and the JSON export, and deleted with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from registre import services
from registre.audit import AuditTrail, jsonable
from registre.errors import InvalidValue, RecordNotFound
from registre.model import Activity, Todo
from registre.schema import Choice, Entity, Field, Kind
from registre.storage import Register

TODOS_KEY = "todos"
"""Key of an activity's to-dos in its values, audit entries, snapshots and JSON."""

OPEN, CLOSED = "open", "closed"
STATES = (OPEN, CLOSED)
ENTITY = "todo"
LABEL_FR, LABEL_EN = "Point à voir avec le DPO", "Point to check with the DPO"
STATE_CHOICES = (Choice(OPEN, "À voir", "To check"), Choice(CLOSED, "Vu", "Seen"))

TODO = Entity(
    ENTITY,
    LABEL_FR,
    LABEL_EN,
    "Points à voir avec le DPO",
    "Points to check with the DPO",
    (
        Field(
            "question",
            "Question",
            "Question",
            "La question du formulaire guidé (ou le champ) restée sans réponse.",
            "The guided form's question (or the field) left unanswered.",
            max_length=60,
        ),
        Field(
            "text",
            "Point",
            "Point",
            "Ce qu'il faut voir, tel que la question a été posée.",
            "What is to be seen, as the question was asked.",
            kind=Kind.LONGTEXT,
        ),
        Field(
            "state",
            "État",
            "Status",
            "À voir, ou vu par le DPO.",
            "To check, or seen by the DPO.",
            kind=Kind.CHOICE,
            choices=STATE_CHOICES,
        ),
        Field("created_by", "Noté par", "Noted by", "", ""),
        Field("created_at", "Noté le", "Noted on", "", "", kind=Kind.DATETIME),
        Field("closed_by", "Vu par", "Seen by", "", ""),
        Field("closed_at", "Vu le", "Seen on", "", "", kind=Kind.DATETIME),
    ),
    title_field="text",
)
"""The to-do's fields, for the JSON Schema, the history and the undo labels."""

FIELDS = TODO.keys
_MOMENTS = ("created_at", "closed_at")


@dataclass(frozen=True)
class TodoItem:
    """One to-do as the services return it."""

    id: str
    activity_id: str
    question: str | None
    text: str
    state: str
    created_by: str | None
    created_at: dt.datetime | None
    closed_by: str | None
    closed_at: dt.datetime | None

    @property
    def is_open(self) -> bool:
        """True until the DPO closes it."""
        return self.state == OPEN


def _refused(reason_fr: str, reason_en: str) -> InvalidValue:
    return InvalidValue(field=LABEL_FR, field_en=LABEL_EN, reason=reason_fr, reason_en=reason_en)


def _moment(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value and value.tzinfo else value
    try:
        return _moment(dt.datetime.fromisoformat(str(value)))
    except ValueError:
        raise _refused(
            f"date et heure illisibles « {value} »", f"unreadable time “{value}”"
        ) from None


def _text(value: Any) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


# --------------------------------------------------------------------------------------------
# Rows, for the activity's own service functions (creation, snapshot, restore)
# --------------------------------------------------------------------------------------------


def new_rows(
    items: Iterable[Mapping[str, Any]] | None,
    activity_id: str,
    *,
    actor: str,
    at: dt.datetime,
    new_id: Any,
) -> list[dict[str, Any]]:
    """Validated rows for the to-dos ``items`` of a new activity.

    An item holds ``text`` (required) and ``question``; an imported one may also hold its
    state, who created and closed it and when. InvalidValue when an item cannot be stored.
    """
    rows = []
    for position, item in enumerate(items or []):
        if not isinstance(item, Mapping):
            raise _refused("un point doit être un objet", "a to-do must be an object")
        unknown = set(item) - {"id", *FIELDS}
        if unknown:
            name = sorted(unknown)[0]
            raise _refused(f"propriété inconnue « {name} »", f"unknown property “{name}”")
        text = _text(item.get("text"))
        if text is None:
            raise _refused("le texte du point est vide", "the to-do's text is empty")
        state = str(item.get("state") or OPEN)
        if state not in STATES:
            raise _refused(f"état inconnu « {state} »", f"unknown state “{state}”")
        rows.append(
            {
                "id": str(item.get("id") or new_id()),
                "activity_id": activity_id,
                "position": position,
                "question": _text(item.get("question")),
                "text": text,
                "state": state,
                "created_by": _text(item.get("created_by")) or actor,
                "created_at": _moment(item.get("created_at")) or _moment(at),
                "closed_by": _text(item.get("closed_by")) if state == CLOSED else None,
                "closed_at": _moment(item.get("closed_at")) if state == CLOSED else None,
            }
        )
    return rows


def insert_rows(session: Session, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert rows made by ``new_rows`` (or taken from a snapshot)."""
    if rows:
        session.execute(insert(Todo), [{**row, **_moments(row)} for row in rows])


def _moments(row: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _moment(row.get(key)) for key in _MOMENTS}


def _utc_text(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        moment = _moment(value)
        assert moment is not None
        return moment.replace(tzinfo=dt.UTC).isoformat()
    return value


def recorded(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows as an audit entry, a snapshot or the JSON export carries them (no empty values;
    times as ISO 8601 text in UTC)."""
    return [
        jsonable(
            {
                key: _utc_text(row[key]) if key in _MOMENTS else row[key]
                for key in ("id", *FIELDS)
                if row.get(key) is not None
            }
        )
        for row in rows
    ]


def rows_of(session: Session, activity_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """The to-dos of ``activity_ids`` as plain rows, oldest first, by activity."""
    ids = list(activity_ids)
    found: dict[str, list[dict[str, Any]]] = {activity_id: [] for activity_id in ids}
    for start in range(0, len(ids), 500):
        statement = (
            select(Todo)
            .where(Todo.activity_id.in_(ids[start : start + 500]))
            .order_by(Todo.activity_id, Todo.position)
        )
        for todo in session.scalars(statement):
            found[todo.activity_id].append(
                {"id": todo.id, **{key: getattr(todo, key) for key in FIELDS}}
            )
    return {key: recorded(rows) for key, rows in found.items()}


def restore_rows(
    session: Session, activity_id: str, rows: Iterable[Mapping[str, Any]] | None
) -> dict[str, tuple[Any, Any]]:
    """Re-create the to-dos of a restored activity; their creation change (empty if none)."""
    kept = [
        {**row, "activity_id": activity_id, "position": position}
        for position, row in enumerate(rows or [])
    ]
    insert_rows(session, kept)
    return {TODOS_KEY: (None, recorded(kept))} if kept else {}


# --------------------------------------------------------------------------------------------
# Service functions
# --------------------------------------------------------------------------------------------


def _item(todo: Todo) -> TodoItem:
    return TodoItem(
        id=todo.id,
        activity_id=todo.activity_id,
        question=todo.question,
        text=todo.text,
        state=todo.state,
        created_by=todo.created_by,
        created_at=todo.created_at,
        closed_by=todo.closed_by,
        closed_at=todo.closed_at,
    )


def list_todos(
    register: Register,
    *,
    activity_id: str | None = None,
    organisation_id: str | None = None,
    open_only: bool = False,
) -> list[TodoItem]:
    """To-dos of one activity or of one organisation's activities, oldest first."""
    statement = select(Todo).order_by(Todo.activity_id, Todo.position)
    if activity_id is not None:
        statement = statement.where(Todo.activity_id == activity_id)
    if organisation_id is not None:
        statement = statement.join(Activity, Activity.id == Todo.activity_id).where(
            Activity.organisation_id == organisation_id
        )
    if open_only:
        statement = statement.where(Todo.state == OPEN)
    with register.read() as session:
        return [_item(todo) for todo in session.scalars(statement)]


def close_todo(register: Register, todo_id: str) -> services.Change:
    """The DPO closes a to-do: one transaction, one audit entry (who closed it, when)."""
    return update_todo(
        register,
        todo_id,
        state=CLOSED,
        closed_by=register.context.actor,
        closed_at=register.context.clock(),
    )


def reopen_todo(register: Register, todo_id: str) -> services.Change:
    """Open a closed to-do again (who closed it and when are forgotten)."""
    return update_todo(register, todo_id, state=OPEN, closed_by=None, closed_at=None)


def update_todo(register: Register, todo_id: str, **values: Any) -> services.Change:
    """Change the state of a to-do and who closed it when (the undo of a closing uses it)."""
    unknown = set(values) - {"state", "closed_by", "closed_at"}
    if unknown:
        name = sorted(unknown)[0]
        raise _refused(f"propriété inconnue « {name} »", f"unknown property “{name}”")
    if "state" in values and values["state"] not in STATES:
        raise _refused(f"état inconnu « {values['state']} »", f"unknown state “{values['state']}”")
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        todo = session.get(Todo, todo_id)
        if todo is None:
            raise RecordNotFound(entity=LABEL_FR, id=todo_id)
        changed: dict[str, tuple[Any, Any]] = {}
        for key, value in values.items():
            new = _moment(value) if key in _MOMENTS else value
            old = getattr(todo, key)
            if old != new:
                changed[key] = (old, new)
                setattr(todo, key, new)
        change = services.Change("updated", ENTITY, todo_id, changed)
        if changed:
            organisation_id = session.scalar(
                select(Activity.organisation_id).where(Activity.id == todo.activity_id)
            )
            trail.append(
                at=register.context.clock(),
                action="updated",
                entity=ENTITY,
                entity_id=todo_id,
                organisation_id=organisation_id,
                changes={key: list(pair) for key, pair in changed.items()},
            )
        return change


def activity_of(register: Register, todo_id: str) -> str:
    """The activity a to-do belongs to."""
    with register.read() as session:
        activity_id = session.scalar(select(Todo.activity_id).where(Todo.id == todo_id))
    if activity_id is None:
        raise RecordNotFound(entity=LABEL_FR, id=todo_id)
    return str(activity_id)
