"""Saving the user's edits through the service functions, with undo and redo.

``ChangeRecorder`` is the one place where the windows change a register. A screen reports what
the user changed as a typed edit (``CreateRecord``, ``UpdateRecord``, ``DeleteRecord``) given
to ``ChangeRecorder.apply``: one service function (one transaction, one audit entry), its
``Change`` goes to the core's ``UndoStack`` (one step) and ``changed`` tells every view what to
refresh (the window dispatches it to the tab showing that entity).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from registre import services
from registre.concurrency import Edition, save_edit
from registre.schema import COMPANION_REGISTERS
from registre.services import ROW_COLLECTIONS, Change
from registre.storage import Register
from registre.undo import UndoOutcome, UndoStack
from registre_ui.i18n import language

_UPDATE: dict[str, Callable[..., Change]] = {
    "organisation": services.update_organisation,
    "activity": services.update_activity,
    "processor": services.update_processor,
    "software": services.update_software,
}
_CREATE: dict[str, Callable[..., Change]] = {
    "activity": services.create_activity,
    "processor": services.create_processor,
    "software": services.create_software,
}


@dataclass(frozen=True)
class CreateRecord:
    """The user adds a record of ``entity`` to an organisation (an organisation: no owner)."""

    entity: str
    values: Mapping[str, Any]
    organisation_id: str | None = None


@dataclass(frozen=True)
class UpdateRecord:
    """The user changed fields of a record, or of a row of an activity's collection.

    ``edition`` is what the editor showed (a team register's editors give it): a field that
    someone else changed meanwhile is then refused with ``EditConflict`` instead of being
    overwritten, and fields they changed that the user did not touch are kept (merged).
    """

    entity: str
    record_id: str
    values: Mapping[str, Any]
    edition: Edition | None = None


@dataclass(frozen=True)
class DeleteRecord:
    """The user removes a record or a row (undoable)."""

    entity: str
    record_id: str


Edit = CreateRecord | UpdateRecord | DeleteRecord


@dataclass(frozen=True)
class ChangeEvent:
    """What ``ChangeRecorder.changed`` reports.

    ``owner_id`` is the record to show (the activity of a row); ``origin`` says whether the
    change comes from an edit (the editor is already up to date) or from « Annuler » /
    « Rétablir » (the views must read the record again).
    """

    change: Change
    owner_id: str
    origin: str  # "edit", "undo" or "redo"
    keys: tuple[str, ...] = ()  # fields of the step (for undo and redo: the ones to focus)

    @property
    def from_history(self) -> bool:
        """True for an undo or a redo."""
        return self.origin != "edit"


class ChangeRecorder(QObject):
    """Runs the service functions for the windows of one register and keeps its history."""

    changed = Signal(object)  # a ChangeEvent
    history_changed = Signal()
    group_changed = Signal()  # many records changed together (done, undone or redone): reload

    def __init__(self, register: Register, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stack = UndoStack(register)
        self.stack.listeners.append(self.history_changed.emit)

    @property
    def register(self) -> Register:
        """The register being edited."""
        return self.stack.register

    def set_register(self, register: Register) -> None:
        """Edit ``register`` from now on (after an unlock); the history is forgotten."""
        self.stack.register = register
        self.stack.clear()

    # -- changes -----------------------------------------------------------------------------

    def apply(self, edit: Edit) -> Change:
        """Save what the user changed: one service call, one audit entry, one undo step."""
        if isinstance(edit, UpdateRecord):
            if edit.edition is not None:
                return self.run(save_edit, edit.edition, **edit.values)
            return self.update(edit.entity, edit.record_id, dict(edit.values))
        if isinstance(edit, DeleteRecord):
            return self.delete(edit.entity, edit.record_id)
        values = dict(edit.values)
        if edit.entity == "organisation":
            return self.run(services.create_organisation, **values)
        if edit.organisation_id is None:
            raise ValueError(f"a {edit.entity} belongs to an organisation")
        if edit.entity in COMPANION_REGISTERS:
            return self.run(
                services.create_record, edit.entity, organisation_id=edit.organisation_id, **values
            )
        return self.run(_CREATE[edit.entity], organisation_id=edit.organisation_id, **values)

    def run(self, function: Callable[..., Change], *args: Any, **values: Any) -> Change:
        """Call the service ``function(register, *args, **values)`` and record its change."""
        change = function(self.register, *args, **values)
        self._record(change)
        return change

    def update(self, entity: str, record_id: str, values: dict[str, Any]) -> Change:
        """Change fields of a record or of an activity's row."""
        if entity in ROW_COLLECTIONS:
            return self.run(
                services.update_row, collection=ROW_COLLECTIONS[entity], row_id=record_id, **values
            )
        if entity in COMPANION_REGISTERS:
            return self.run(services.update_record, entity, record_id, **values)
        return self.run(_UPDATE[entity], record_id, **values)

    def delete(self, entity: str, record_id: str) -> Change:
        """Delete a record or a row (undoable)."""
        change = self.stack.delete(entity, record_id)
        step = self.stack.undo_step
        owner = step.owner_id if step is not None else record_id
        self.changed.emit(ChangeEvent(change, owner, "edit"))
        return change

    def _record(self, change: Change) -> None:
        step = self.stack.push(change)
        if step is None:
            return
        self.changed.emit(ChangeEvent(change, step.owner_id, "edit", step.keys))

    def push_group(self, changes: list[Change], *, label_fr: str, label_en: str) -> None:
        """Record changes made together (a duplication, a bulk edit) as one undo step."""
        if self.stack.push_group(changes, label_fr=label_fr, label_en=label_en) is not None:
            self.group_changed.emit()

    # -- history -----------------------------------------------------------------------------

    def undo(self) -> UndoOutcome | None:
        """Undo the last change (a RegistreError leaves the history as it was)."""
        outcome = self.stack.undo()
        self._announce(outcome, "undo")
        return outcome

    def redo(self) -> UndoOutcome | None:
        """Redo the last undone change."""
        outcome = self.stack.redo()
        self._announce(outcome, "redo")
        return outcome

    def _announce(self, outcome: UndoOutcome | None, origin: str) -> None:
        if outcome is not None and outcome.step.members:
            self.group_changed.emit()
        elif outcome is not None:
            step = outcome.step
            self.changed.emit(ChangeEvent(outcome.change, step.owner_id, origin, step.keys))

    def undo_text(self) -> str:
        """« Annuler la modification de « … » » in the interface language."""
        return self.stack.undo_text(language())

    def redo_text(self) -> str:
        """« Rétablir la modification de « … » » in the interface language."""
        return self.stack.redo_text(language())
