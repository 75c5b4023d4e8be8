"""A tab of records owned by the organisation (processors, software…): list and form.

The same controller serves every such entity: its page (``InventoryPage``) is built from the
schema, its creations and deletions go through the window's ``ChangeRecorder`` as typed edits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject

from registre import services
from registre.schema import PROCESSOR, SOFTWARE, Entity, Kind
from registre_ui.editing import ChangeEvent, CreateRecord, DeleteRecord
from registre_ui.editor import Options, RecordEditor
from registre_ui.pages import InventoryPage
from registre_ui.tabs import RecordTab, References, TabHost, references_moved
from registre_ui.values import plural_label

translate = QCoreApplication.translate


@dataclass(frozen=True)
class RecordTexts:
    """What the tab says of its records: the name of a new one, the deletion question."""

    new_title: str
    delete_question: str  # with {name}


def record_texts(entity: Entity) -> RecordTexts:
    """The texts of ``entity``'s tab, in the interface language."""
    if entity is PROCESSOR:
        return RecordTexts(
            translate("RegisterWindow", "Nouveau sous-traitant"),
            translate(
                "RegisterWindow",
                "Supprimer le sous-traitant « {name} » ? Les traitements et logiciels qui le "
                "citent ne le citeront plus. Vous pourrez l'annuler (Ctrl+Z).",
            ),
        )
    if entity is SOFTWARE:
        return RecordTexts(
            translate("RegisterWindow", "Nouveau logiciel"),
            translate(
                "RegisterWindow",
                "Supprimer le logiciel « {name} » ? Les traitements qui l'utilisent ne le "
                "citeront plus. Vous pourrez l'annuler (Ctrl+Z).",
            ),
        )
    raise KeyError(entity.name)


class RecordsTab(RecordTab):
    """The records of one entity for the organisation shown."""

    def __init__(
        self,
        entity: Entity,
        host: TabHost,
        texts: RecordTexts,
        parent: QObject | None = None,
        *,
        inventory: InventoryPage | None = None,
    ) -> None:
        super().__init__(host, parent)
        self.entity = entity
        self.entities = frozenset({entity.name})
        self.texts = texts
        self.records: list[dict[str, Any]] = []
        self._options: Options = {}
        if inventory is None:
            inventory = InventoryPage(entity, host.recorder)
        self.inventory = inventory
        self.page = self.inventory
        self.inventory.new_requested.connect(self.new_record)
        self.inventory.delete_requested.connect(self.delete_record)
        self._targets = {
            spec.target
            for spec in entity.fields
            if spec.kind in (Kind.REFERENCE, Kind.REFERENCES) and spec.target
        }

    def title(self) -> str:
        """The entity's plural: « Sous-traitants »."""
        return plural_label(self.entity)

    # -- reading -----------------------------------------------------------------------------

    def fetch(self, organisation_id: str | None) -> None:
        """Read the organisation's records of the entity."""
        self.records = (
            []
            if organisation_id is None
            else services.list_records(self.host.register, self.entity.name, organisation_id)
        )

    def show_fetched(self, options: Options) -> None:
        """Show the records read (the one shown stays selected)."""
        self._options = options
        names = {name_id: name for records in options.values() for name_id, name in records}
        self.inventory.set_records(self.records, names, options)

    def references(self) -> References:
        """Each record by its title, for the reference fields pointing to this entity."""
        title = self.entity.title_field
        return {self.entity.name: [(str(r["id"]), str(r.get(title) or "")) for r in self.records]}

    def names(self) -> dict[str, str]:
        """Title of each record."""
        return dict(self.references()[self.entity.name])

    def set_options(self, options: Options) -> None:
        """Show new reference options in the form when they concern it."""
        moved = any(options.get(target) != self._options.get(target) for target in self._targets)
        self._options = options
        if not moved:
            return
        self.commit_pending()
        self.fetch(self.host.organisation_id())  # a deletion may have emptied a reference
        self.show_fetched(options)
        self.inventory.reload_shown()

    def clear(self) -> None:
        """Forget the records read."""
        self.records = []
        self._options = {}
        self.inventory.set_records([], {}, {})

    def editors(self) -> list[RecordEditor]:
        """The form of the tab."""
        return [self.inventory.editor]

    def open_record(self, record_id: str, key: str, row_id: str | None = None) -> bool:
        """Show ``record_id`` with field ``key`` focused."""
        self.host.show_page(self.page)
        if self.inventory.select(record_id):
            return self.inventory.editor.focus_field(key, row_id)
        return False

    # -- changes -----------------------------------------------------------------------------

    def new_record(self) -> str | None:
        """Create a record and show its form with the title selected."""
        organisation_id = self.host.organisation_id()
        if organisation_id is None or self.host.register.read_only:
            return None
        self.commit_pending()
        values = {**self._new_values(), self.entity.title_field: self.texts.new_title}
        change = self.save(CreateRecord(self.entity.name, values, organisation_id))
        if change is None:
            return None
        self.host.show_page(self.page)
        self.inventory.select(change.id)
        self.inventory.editor.focus_title()
        return change.id

    def _new_values(self) -> dict[str, Any]:
        """What a new record holds besides its title."""
        return {}

    def delete_record(self, record_id: str) -> bool:
        """Delete ``record_id`` after confirmation (« Annuler » brings it back)."""
        return self.delete_confirmed(
            DeleteRecord(self.entity.name, record_id),
            translate("RegisterWindow", "Supprimer"),
            self.texts.delete_question.format(name=self.names().get(record_id, "")),
        )

    def on_change(self, event: ChangeEvent) -> None:
        """Show the record created, or put back by « Annuler » / « Rétablir »."""
        change = event.change
        if not references_moved(event, self.entity.title_field):
            return
        self.fetch(self.host.organisation_id())
        self.show_fetched(self._options)
        if (event.from_history and change.action != "deleted") or change.action == "created":
            self.host.show_page(self.page)
            self.inventory.select(change.id)
            self.inventory.reload_shown()
            if event.from_history and event.keys and change.action == "updated":
                self.inventory.editor.focus_field(event.keys[0])
