"""Undo and redo of the changes made through the service functions (no Qt here).

The interface calls a service function, then hands the ``Change`` it returned to an
``UndoStack``. Undoing applies the inverse through the service functions again, so each undo or
redo is one transaction with its own audit entry:

- « updated » → the same update function with the old values (redo: with the new ones);
- « created » → the record is saved (``services.record_snapshot``) then deleted; redo
  re-creates it with the same identifier (``services.restore_record``);
- « deleted » → the record is re-created from the snapshot taken before the deletion (use
  ``UndoStack.delete``, which takes it; the change of an activity's deletion carries enough to
  do without); redo deletes it again.

Every step has readable labels in French and English: « Annuler la modification de
« Finalité principale » », "Undo change to “Main purpose”".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from registre import services, todos
from registre.schema import ACTIVITY, COMPANION_REGISTERS, ENTITIES, Entity
from registre.services import ROW_COLLECTIONS, Change
from registre.storage import Register
from registre.transaction import one_transaction

DEFAULT_LIMIT = 200

# « la création du traitement », "creation of the processing activity"
_OF_ENTITY: dict[str, tuple[str, str]] = {
    "organisation": ("de l'organisme", "the organisation"),
    "activity": ("du traitement", "the processing activity"),
    "processor": ("du sous-traitant", "the processor"),
    "software": ("du logiciel", "the software"),
    "breach": ("de la violation", "the breach"),
    "rights_request": ("de la demande", "the rights request"),
    "dpia": ("de l'analyse d'impact", "the impact assessment"),
    "contract": ("du contrat", "the contract"),
}


def _companion_update(entity: str) -> Callable[..., Change]:
    def update(register: Register, record_id: str, **values: Any) -> Change:
        return services.update_record(register, entity, record_id, **values)

    return update


def _companion_delete(entity: str) -> Callable[[Register, str], Change]:
    def delete(register: Register, record_id: str) -> Change:
        return services.delete_record(register, entity, record_id)

    return delete


_UPDATE: dict[str, Callable[..., Change]] = {
    "organisation": services.update_organisation,
    "activity": services.update_activity,
    "processor": services.update_processor,
    "software": services.update_software,
    **{entity: _companion_update(entity) for entity in COMPANION_REGISTERS},
    todos.ENTITY: todos.update_todo,
}

_DELETE: dict[str, Callable[[Register, str], Change]] = {
    "organisation": services.delete_organisation,
    "activity": services.delete_activity,
    "processor": services.delete_processor,
    "software": services.delete_software,
    **{entity: _companion_delete(entity) for entity in COMPANION_REGISTERS},
}


def _entity(name: str) -> Entity:
    entity = ENTITIES.get(name)
    if entity is None:
        raise ValueError(f"no entity {name!r} in the schema")
    return entity


def item_label(entity: Entity, key: str, lang: str = "fr") -> str:
    """Label of a field or collection of ``entity`` (the key itself when unknown)."""
    for spec in entity.fields:
        if spec.key == key:
            return spec.label(lang)
    for collection in entity.collections:
        if collection.key == key:
            return collection.label(lang)
    return key


def _t(lang: str, fr: str, en: str) -> str:
    return en if lang == "en" else fr


def _quoted(text: str, lang: str) -> str:
    return f"“{text}”" if lang == "en" else f"« {text} »"


@dataclass
class UndoStep:
    """One undoable change, with what is needed to undo and redo it.

    ``owner_id`` is the record the interface should show once the step is undone or redone:
    the activity of a row, otherwise the record itself.
    """

    change: Change
    owner_id: str
    name: str = ""  # the record's name when the change was made (for labels)
    snapshot: dict[str, Any] | None = None  # the record before its deletion (or after undo)
    members: list[UndoStep] = field(default_factory=list)  # a group: changes made together
    label: tuple[str, str] | None = None  # a group's description, French and English

    @property
    def entity(self) -> str:
        """Entity name of the changed record."""
        return self.change.entity

    @property
    def record_id(self) -> str:
        """Identifier of the changed record."""
        return self.change.id

    @property
    def is_row(self) -> bool:
        """True for a row of an activity's collection (a data category…)."""
        return self.change.entity in ROW_COLLECTIONS

    @property
    def keys(self) -> tuple[str, ...]:
        """Schema keys of the changed fields."""
        return tuple(self.change.fields)

    def description(self, lang: str = "fr") -> str:
        """What the step did, as the complement of « Annuler » / "Undo"."""
        if self.label is not None:
            return self.label[1] if lang == "en" else self.label[0]
        change = self.change
        if change.entity == todos.ENTITY:
            closing = change.fields.get("state", (None, None))[1] == todos.CLOSED
            return _t(
                lang,
                f"la {'clôture' if closing else 'réouverture'} d'un point à voir avec le DPO",
                f"{'closing' if closing else 'reopening'} of a point to check with the DPO",
            )
        if self.is_row:
            collection = ACTIVITY.collection(ROW_COLLECTIONS[change.entity])
            plural = _quoted(collection.label(lang), lang)
            if change.action == "created":
                return _t(lang, f"l'ajout d'une ligne à {plural}", f"addition of a row to {plural}")
            if change.action == "deleted":
                return _t(
                    lang,
                    f"la suppression d'une ligne de {plural}",
                    f"removal of a row from {plural}",
                )
            update = self._update_phrase(collection.entity, lang)
            return _t(lang, f"{update} dans {plural}", f"{update} in {plural}")
        if change.action == "updated":
            return self._update_phrase(_entity(change.entity), lang)
        of_fr, of_en = _OF_ENTITY.get(change.entity, ("de l'élément", "the item"))
        name = f" {_quoted(self.name, lang)}" if self.name else ""
        if change.action == "created":
            return _t(lang, f"la création {of_fr}{name}", f"creation of {of_en}{name}")
        return _t(lang, f"la suppression {of_fr}{name}", f"deletion of {of_en}{name}")

    def _update_phrase(self, entity: Entity, lang: str) -> str:
        keys = self.keys
        if len(keys) == 1:
            label = _quoted(item_label(entity, keys[0], lang), lang)
            return f"change to {label}" if lang == "en" else f"la modification de {label}"
        if lang == "en":
            return f"change to {len(keys)} fields"
        return f"la modification de {len(keys)} champs"

    def undo_text(self, lang: str = "fr") -> str:
        """« Annuler la modification de « Finalité principale » »."""
        return f"{'Undo' if lang == 'en' else 'Annuler'} {self.description(lang)}"

    def redo_text(self, lang: str = "fr") -> str:
        """« Rétablir la modification de « Finalité principale » »."""
        return f"{'Redo' if lang == 'en' else 'Rétablir'} {self.description(lang)}"


@dataclass(frozen=True)
class UndoOutcome:
    """What an undo or redo did: the step, and the change the service function returned."""

    step: UndoStep
    change: Change


@dataclass
class UndoStack:
    """The undo and redo history of one open register, fed with the service functions' changes.

    ``listeners`` are called (without arguments) whenever the history changes, so an interface
    can update its « Annuler » and « Rétablir » actions.
    """

    register: Register
    limit: int = DEFAULT_LIMIT
    listeners: list[Callable[[], None]] = field(default_factory=list)
    _done: list[UndoStep] = field(default_factory=list)
    _undone: list[UndoStep] = field(default_factory=list)

    # -- feeding -----------------------------------------------------------------------------

    def push(
        self, change: Change, *, snapshot: Mapping[str, Any] | None = None, name: str = ""
    ) -> UndoStep | None:
        """Record ``change`` (just made by a service function) as the next step to undo.

        A deletion needs the ``snapshot`` taken before it (``UndoStack.delete`` does both),
        except an activity's, whose change holds the whole record. An update that changed
        nothing is ignored (None). The redo history is dropped.
        """
        if change.action == "updated" and not change.fields:
            return None
        if change.action not in ("created", "updated", "deleted"):
            raise ValueError(f"unknown action {change.action!r}")
        saved = dict(snapshot) if snapshot is not None else None
        if change.action == "deleted" and saved is None:
            if change.entity != ACTIVITY.name:
                raise ValueError(
                    f"the deletion of a {change.entity} needs its snapshot: use UndoStack.delete"
                )
            saved = _activity_snapshot_from_change(change)
        owner_id = change.id
        if change.entity == todos.ENTITY:
            owner_id = todos.activity_of(self.register, change.id)
        elif change.entity in ROW_COLLECTIONS:
            owner_id = str(
                saved["activity_id"]
                if saved is not None
                else services.record_snapshot(self.register, change.entity, change.id)[
                    "activity_id"
                ]
            )
        step = UndoStep(change, owner_id, name or _name_in(change, saved), saved)
        self._done.append(step)
        del self._done[: -self.limit]
        self._undone.clear()
        self._notify()
        return step

    def push_group(
        self,
        changes: list[Change],
        *,
        label_fr: str,
        label_en: str,
        snapshots: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> UndoStep | None:
        """Record changes made together (a duplication, a bulk edit, an exchange file accepted)
        as one step, undone and redone as a whole, newest first; None when empty.

        A deleted record or row needs its snapshot taken before the deletion (``snapshots``, by
        identifier), except an activity, whose change holds the whole record.
        """
        members = []
        for change in changes:
            if change.action == "updated" and not change.fields:
                continue
            saved = snapshots.get(change.id) if snapshots is not None else None
            snapshot = dict(saved) if saved is not None else None
            if change.action == "deleted" and snapshot is None:
                if change.entity != ACTIVITY.name:
                    raise ValueError(f"the deletion of a {change.entity} needs its snapshot")
                snapshot = _activity_snapshot_from_change(change)
            members.append(UndoStep(change, change.id, _name_in(change, snapshot), snapshot))
        if not members:
            return None
        step = UndoStep(members[0].change, members[0].owner_id, members=members)
        step.label = (label_fr, label_en)
        self._done.append(step)
        del self._done[: -self.limit]
        self._undone.clear()
        self._notify()
        return step

    def delete(self, entity: str, record_id: str) -> Change:
        """Delete a record through its service function and record the step (snapshot first)."""
        snapshot = services.record_snapshot(self.register, entity, record_id)
        change = _delete(self.register, entity, record_id)
        self.push(change, snapshot=snapshot)
        return change

    # -- state -------------------------------------------------------------------------------

    @property
    def can_undo(self) -> bool:
        """True when there is a step to undo."""
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        """True when there is an undone step to redo."""
        return bool(self._undone)

    @property
    def undo_step(self) -> UndoStep | None:
        """The step ``undo`` would undo."""
        return self._done[-1] if self._done else None

    @property
    def redo_step(self) -> UndoStep | None:
        """The step ``redo`` would redo."""
        return self._undone[-1] if self._undone else None

    def undo_text(self, lang: str = "fr") -> str:
        """Label of the undo action: « Annuler … », or « Annuler » when there is nothing."""
        step = self.undo_step
        if step is None:
            return "Undo" if lang == "en" else "Annuler"
        return step.undo_text(lang)

    def redo_text(self, lang: str = "fr") -> str:
        """Label of the redo action: « Rétablir … », or « Rétablir » when there is nothing."""
        step = self.redo_step
        if step is None:
            return "Redo" if lang == "en" else "Rétablir"
        return step.redo_text(lang)

    def __len__(self) -> int:
        return len(self._done)

    def clear(self) -> None:
        """Forget the whole history (the register is being closed or reloaded)."""
        self._done.clear()
        self._undone.clear()
        self._notify()

    # -- undo and redo -----------------------------------------------------------------------

    def undo(self) -> UndoOutcome | None:
        """Undo the last step; None when there is none.

        When the service function refuses (a ``RegistreError``), the step stays where it was
        and the error propagates.
        """
        step = self.undo_step
        if step is None:
            return None
        change = self._apply(step, forward=False)
        self._undone.append(self._done.pop())
        self._notify()
        return UndoOutcome(step, change)

    def redo(self) -> UndoOutcome | None:
        """Redo the last undone step; None when there is none."""
        step = self.redo_step
        if step is None:
            return None
        change = self._apply(step, forward=True)
        self._done.append(self._undone.pop())
        self._notify()
        return UndoOutcome(step, change)

    def _apply(self, step: UndoStep, *, forward: bool, register: Register | None = None) -> Change:
        """Make the record match the state after (``forward``) or before the step's change.

        The activity's « Dernière mise à jour », when the change moved it, goes back (or
        forward) with it, so that an undo leaves the register exactly as it was. The members of
        a group are undone (or redone) in one transaction: all of them, or none.
        """
        if step.members:
            ordered = step.members if forward else list(reversed(step.members))
            with one_transaction(self.register) as joined:
                done = [self._apply(member, forward=forward, register=joined) for member in ordered]
            return done[-1]
        register = register or self.register
        change = step.change
        side = 1 if forward else 0
        updated_on: services.UpdatedOn = (
            change.updated_on[side] if change.updated_on is not None else services.TODAY
        )
        if change.action == "updated":
            values = {key: pair[side] for key, pair in change.fields.items()}
            if change.entity in ROW_COLLECTIONS:
                return services.update_row(
                    register,
                    collection=ROW_COLLECTIONS[change.entity],
                    row_id=change.id,
                    activity_updated_on=updated_on,
                    **values,
                )
            if change.updated_on is not None:
                values["updated_on"] = updated_on
            return _UPDATE[change.entity](register, change.id, **values)
        exists_after = change.action == "created"
        if forward == exists_after:  # re-create the record
            if step.snapshot is None:
                raise ValueError("nothing saved to re-create the record from")
            return services.restore_record(register, step.snapshot, activity_updated_on=updated_on)
        step.snapshot = services.record_snapshot(register, change.entity, change.id)
        if change.entity in ROW_COLLECTIONS:
            return services.delete_row(
                register,
                collection=ROW_COLLECTIONS[change.entity],
                row_id=change.id,
                activity_updated_on=updated_on,
            )
        return _delete(register, change.entity, change.id)

    def _notify(self) -> None:
        for listener in list(self.listeners):
            listener()


def _delete(register: Register, entity: str, record_id: str) -> Change:
    if entity in ROW_COLLECTIONS:
        return services.delete_row(register, collection=ROW_COLLECTIONS[entity], row_id=record_id)
    if entity not in _DELETE:
        raise ValueError(f"no entity {entity!r} in the schema")
    return _DELETE[entity](register, record_id)


def _name_in(change: Change, snapshot: Mapping[str, Any] | None) -> str:
    """The record's name, from its change or its snapshot (empty for a row or an update)."""
    entity = ENTITIES.get(change.entity)
    if entity is None or change.entity in ROW_COLLECTIONS:
        return ""
    pair = change.fields.get(entity.title_field)
    if pair is not None:
        value = pair[1] if change.action == "created" else pair[0]
        if isinstance(value, str):
            return value
    if snapshot is not None:
        value = snapshot.get("values", {}).get(entity.title_field)
        if isinstance(value, str):
            return value
    return ""


def _activity_snapshot_from_change(change: Change) -> dict[str, Any]:
    """The snapshot of a deleted activity, from the change of ``services.delete_activity``."""
    old = {key: pair[0] for key, pair in change.fields.items()}
    return {
        "entity": ACTIVITY.name,
        "id": change.id,
        "organisation_id": old["organisation_id"],
        "values": {key: old.get(key) for key in ACTIVITY.keys},
        "rows": {
            collection.key: [
                {
                    "id": row["id"],
                    "position": position,
                    "values": {key: row.get(key) for key in collection.entity.keys},
                }
                for position, row in enumerate(old.get(collection.key) or [])
            ]
            for collection in ACTIVITY.collections
        },
        todos.TODOS_KEY: old.get(todos.TODOS_KEY) or [],
    }
