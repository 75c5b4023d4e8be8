"""The record editor, generated from the field schema (no hand-written form per entity).

Sections come in the schema's order (Article 30 order for an activity); each field has its
label (buddy of the input, « * » when Article 30 requires it), its help under the input and as
tooltip, and a line where a refused value is explained. Each field is saved as soon as it is
edited (one service call, one transaction); collections are editable tables. The fields and
sections that do not apply to an activity's role are hidden, not removed. An activity's
section headings cite the article its role and regime answer (``schema.activity_article``):
« 30.1.a », « 30.2.a » for a processor, « directive 2016/680, art. 24.1.a » for police-justice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from registre import services
from registre.concurrency import EditConflict, Edition
from registre.errors import InvalidValue, RegistreError
from registre.schema import (
    ACTIVITY,
    LAW_ENFORCEMENT,
    Collection,
    Entity,
    Field,
    Requirement,
    Role,
    Section,
    activity_article,
)
from registre_ui.conflict import ConflictDialog, value_text
from registre_ui.editing import ChangeRecorder, UpdateRecord
from registre_ui.fields import (
    FieldInput,
    ReferenceInput,
    ReferencesInput,
    TextInput,
    make_input,
    same_value,
)
from registre_ui.i18n import language
from registre_ui.messages import show_error
from registre_ui.rows import CollectionEditor
from registre_ui.team_open import is_team_register
from registre_ui.widgets import NOTICE_STYLE, WARNING_STYLE, heading_label, plain_label, secondary

LABEL_COLUMN_WIDTH = 190
SECTION_TITLE = "sectionTitle"  # object name of section headings
GENERAL = "general"

Options = Mapping[str, Sequence[tuple[str, str]]]  # target entity → (id, name) of its records


class FieldRow(QWidget):
    """One field: its label, its input, its help and the line explaining a refused value."""

    def __init__(self, field_input: FieldInput, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        spec = field_input.spec
        self.input = field_input
        mandatory = spec.requirement == Requirement.MANDATORY
        text = spec.label(language())
        self.label = QLabel(f"{text} *" if mandatory else text)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setFixedWidth(LABEL_COLUMN_WIDTH)
        self.label.setBuddy(field_input.widget)
        help_text = spec.help(language())
        self.label.setToolTip(help_text)
        field_input.widget.setToolTip(help_text)

        self.error_label = plain_label("", selectable=True)
        self.error_label.setStyleSheet(WARNING_STYLE)
        self.error_label.setAccessibleName(
            QCoreApplication.translate("RecordEditor", "Valeur refusée")
        )
        self.error_label.hide()

        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(field_input.container)
        if help_text:
            self.help_label = plain_label(help_text)
            secondary(self.help_label)
            column.addWidget(self.help_label)
        column.addWidget(self.error_label)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 2, 0, 2)
        layout.addWidget(self.label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(column, 1)

    def show_error(self, text: str) -> None:
        """Explain why the value was refused."""
        self.error_label.setText(text)
        self.error_label.show()

    def clear_error(self) -> None:
        """Hide the explanation."""
        self.error_label.hide()


class SectionBox(QWidget):
    """A section: its title (with its article) and its fields and collections."""

    def __init__(self, section: Section | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.section = section
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 8)
        self.layout_.setSpacing(2)
        self.title: QLabel | None = None
        if section is not None:
            self.title = heading_label(section_title(section), scale=1.1)
            self.title.setObjectName(SECTION_TITLE)
            self.title.setContentsMargins(0, 10, 0, 2)
            rule = QFrame()
            rule.setFrameShape(QFrame.Shape.HLine)
            rule.setFrameShadow(QFrame.Shadow.Sunken)
            self.layout_.addWidget(self.title)
            self.layout_.addWidget(rule)

    def add(self, widget: QWidget) -> None:
        """Add a field row or a collection."""
        self.layout_.addWidget(widget)

    def cite(self, role: Role, regime: str | None) -> None:
        """Head the section with the article it answers for an activity of ``role`` and
        ``regime`` (30.2 for a processor, Directive 2016/680 art. 24 for police-justice)."""
        if self.section is None or self.title is None or not self.section.article:
            return
        self.title.setText(section_title(self.section, role, regime))


def section_title(section: Section, role: str | None = None, regime: str | None = None) -> str:
    """« Acteurs (art. 30.1.a) », and for an activity of ``role`` and ``regime`` the article
    it answers (``schema.activity_article``): « Acteurs (directive 2016/680, art. 24.1.a) »."""
    title = section.label_en if language() == "en" else section.label_fr
    if not section.article:
        return title
    article = activity_article(section.article, role, regime)
    if regime == LAW_ENFORCEMENT:
        return QCoreApplication.translate(
            "RecordEditor", "{section} (directive 2016/680, art. {article})"
        ).format(section=title, article=article)
    return QCoreApplication.translate("RecordEditor", "{section} (art. {article})").format(
        section=title, article=article
    )


class RecordEditor(QStackedWidget):
    """Edits one record of ``entity``; every edit is saved at once through ``recorder``.

    ``record_saved`` is emitted after each field saved here (the window refreshes its lists
    from ``ChangeRecorder.changed``; this signal only tells that the form itself changed).
    """

    record_saved = Signal(str)  # the field key

    def __init__(
        self,
        entity: Entity,
        recorder: ChangeRecorder,
        parent: QWidget | None = None,
        *,
        placeholder: str = "",
    ) -> None:
        super().__init__(parent)
        self.entity = entity
        self.recorder = recorder
        self.record_id: str | None = None
        self.record: dict[str, Any] = {}
        self.role: Role | None = None
        self.editable = not recorder.register.read_only
        self._loading = False  # showing a record: nothing may be saved meanwhile
        self.conflict_dialog: ConflictDialog | None = None  # open while the user decides
        self.inputs: dict[str, FieldInput] = {}
        self.rows: dict[str, FieldRow] = {}
        self.collections: dict[str, CollectionEditor] = {}
        self.sections: list[SectionBox] = []
        self.setAccessibleName(
            QCoreApplication.translate("RecordEditor", "Fiche « {entity} »").format(
                entity=entity.label(language())
            )
        )

        hint = plain_label(
            placeholder
            or QCoreApplication.translate(
                "RecordEditor", "Sélectionnez un élément de la liste pour afficher sa fiche."
            )
        )
        hint.setStyleSheet(NOTICE_STYLE)
        self.placeholder = QWidget()
        placeholder_layout = QVBoxLayout(self.placeholder)
        placeholder_layout.addWidget(hint)
        placeholder_layout.addStretch()
        self.addWidget(self.placeholder)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.form = QWidget()
        self._build_form()
        self.scroll_area.setWidget(self.form)
        self.addWidget(self.scroll_area)
        self.setCurrentWidget(self.placeholder)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._keep_focus_visible)

    # -- construction ------------------------------------------------------------------------

    def _build_form(self) -> None:
        layout = QVBoxLayout(self.form)
        self.heading = heading_label("", scale=1.4)
        self.heading.setAccessibleName(QCoreApplication.translate("RecordEditor", "Nom"))
        self.legend = legend = plain_label(self._legend_text(law_enforcement=False))
        secondary(legend)
        layout.addWidget(self.heading)
        layout.addWidget(legend)
        sections: list[Section | None] = list(self.entity.sections) or [None]
        for section in sections:
            key = section.key if section is not None else GENERAL
            fields = [f for f in self.entity.fields if section is None or f.section == key]
            collections = [
                c for c in self.entity.collections if section is None or c.section == key
            ]
            if not fields and not collections:
                continue
            box = SectionBox(section)
            for spec in fields:
                box.add(self._field_row(spec))
            for collection in collections:
                box.add(self._collection_editor(collection))
            self.sections.append(box)
            layout.addWidget(box)
        layout.addStretch()

    @staticmethod
    def _legend_text(*, law_enforcement: bool) -> str:
        """What the asterisk means: Article 30 of the GDPR, or for a police-justice activity
        Article 24 of Directive 2016/680."""
        if law_enforcement:
            return QCoreApplication.translate(
                "RecordEditor",
                "Les éléments marqués d'un astérisque (*) sont exigés par l'article 24 de la "
                "directive 2016/680 (traitement police-justice). Chaque modification est "
                "enregistrée dès que vous quittez le champ.",
            )
        return QCoreApplication.translate(
            "RecordEditor",
            "Les éléments marqués d'un astérisque (*) sont exigés par l'article 30 du RGPD. "
            "Chaque modification est enregistrée dès que vous quittez le champ.",
        )

    def _field_row(self, spec: Field) -> FieldRow:
        field_input = make_input(spec, self)
        field_input.set_editable(self.editable)
        field_input.committed.connect(lambda value, key=spec.key: self.save_field(key, value))
        row = FieldRow(field_input)
        self.inputs[spec.key] = field_input
        self.rows[spec.key] = row
        return row

    def _collection_editor(self, collection: Collection) -> CollectionEditor:
        editor = CollectionEditor(collection, self.recorder)
        editor.set_editable(self.editable)
        self.collections[collection.key] = editor
        return editor

    def set_editable(self, editable: bool) -> None:
        """Allow or forbid changes (a register reopened read-only)."""
        self.editable = editable
        for field_input in self.inputs.values():
            field_input.set_editable(editable)
        for editor in self.collections.values():
            editor.set_editable(editable)

    # -- content -----------------------------------------------------------------------------

    def load(self, record: Mapping[str, Any], options: Options | None = None) -> None:
        """Show ``record`` (``services.record_of``); ``options`` lists referenced records.

        Showing is only showing: nothing is saved while the values are put in place.
        """
        if str(record["id"]) != self.record_id:
            self.scroll_area.verticalScrollBar().setValue(0)  # another record: from its top
        self._loading = True
        try:
            self.record_id = str(record["id"])
            self.record = dict(record)
            for key, field_input in self.inputs.items():
                field_input.set_value(record.get(key))
                if isinstance(field_input, ReferenceInput | ReferencesInput):
                    records = (options or {}).get(field_input.spec.target, [])
                    field_input.set_records(list(records))
            for row in self.rows.values():
                row.clear_error()
            for key, editor in self.collections.items():
                editor.load(self.record_id, record.get(key) or [])
            self._apply_role()
            self._update_heading()
        finally:
            self._loading = False
        self.setCurrentWidget(self.scroll_area)

    def refresh(self, record: Mapping[str, Any]) -> None:
        """Show the stored values of ``record`` again, except in fields being typed into."""
        if str(record.get("id")) != self.record_id:
            return
        self._loading = True
        try:
            self.record.update(record)
            for key, field_input in self.inputs.items():
                stored = record.get(key)
                if not field_input.is_dirty() and not same_value(
                    field_input.spec, field_input.stored, stored
                ):
                    field_input.set_value(stored)
            self._apply_role()
            self._update_heading()
        finally:
            self._loading = False

    def clear(self) -> None:
        """Show the invitation to pick a record; the form forgets every value shown."""
        self._loading = True
        try:
            self.record_id = None
            self.record = {}
            self.setCurrentWidget(self.placeholder)
            self.heading.clear()
            for key, field_input in self.inputs.items():
                field_input.set_value(None)
                if isinstance(field_input, ReferenceInput | ReferencesInput):
                    field_input.set_records([])
                self.rows[key].clear_error()
            for editor in self.collections.values():
                editor.activity_id = None
                editor.model.set_rows([])
        finally:
            self._loading = False

    def _apply_role(self) -> None:
        """Hide what does not apply to the activity's role (controller or processor); head the
        sections with the articles its role and regime answer (« 30.1.a », « 30.2.a », or
        « directive 2016/680, art. 24.1.a » for police-justice)."""
        if self.entity is not ACTIVITY:
            return
        role = Role(self.record.get("role") or Role.CONTROLLER)
        self.role = role
        regime = self.record.get("regime")
        self.legend.setText(self._legend_text(law_enforcement=regime == LAW_ENFORCEMENT))
        for box in self.sections:
            box.cite(role, regime)
        for spec in self.entity.fields:
            self.rows[spec.key].setVisible(role in spec.roles)
        for collection in self.entity.collections:
            self.collections[collection.key].setVisible(role in collection.roles)
        for box in self.sections:
            section = box.section
            if section is None:
                continue
            visible = any(
                role in f.roles for f in self.entity.fields if f.section == section.key
            ) or any(role in c.roles for c in self.entity.collections if c.section == section.key)
            box.setVisible(visible)

    def _update_heading(self) -> None:
        title = self.record.get(self.entity.title_field) or ""
        self.heading.setText(str(title))

    # -- saving ------------------------------------------------------------------------------

    def save_field(self, key: str, value: Any) -> bool:
        """Save one field at once; a refused value is explained under the field."""
        if self.record_id is None or self._loading:
            return False
        row = self.rows[key]
        field_input = self.inputs[key]
        try:
            edit = UpdateRecord(self.entity.name, self.record_id, {key: value}, self._edition())
            change = self.recorder.apply(edit)
        except EditConflict as conflict:
            self._resolve_conflict(conflict)
            return False
        except InvalidValue as error:
            stored = field_input.stored
            kept = (
                QCoreApplication.translate("RecordEditor", "La valeur enregistrée est conservée.")
                if stored in (None, [])
                else QCoreApplication.translate(
                    "RecordEditor", "La valeur enregistrée reste « {value} »."
                ).format(value=stored)
            )
            row.show_error(f"{error.message(language())} {kept}")
            return False
        except RegistreError as error:
            field_input.revert()
            show_error(self.window(), error)
            return False
        row.clear_error()
        new_value = change.fields[key][1] if key in change.fields else field_input.stored
        field_input.set_value(new_value)
        self.record[key] = new_value
        if key == self.entity.title_field:
            self._update_heading()
        if key in ("role", "regime"):
            self._apply_role()
        self._show_stored()
        self.record_saved.emit(key)
        return True

    # -- several people on a team register ------------------------------------------------------

    def _edition(self) -> Edition | None:
        """On a team register, what the form shows: the base a change is checked against
        (version 0: each field compared with what is shown, whatever changed elsewhere)."""
        if self.record_id is None or not is_team_register(self.recorder.register):
            return None
        shown = {key: field_input.stored for key, field_input in self.inputs.items()}
        return Edition(self.entity.name, self.record_id, 0, shown)

    def _show_stored(self) -> None:
        """On a team register, show what others saved meanwhile (merged with the user's)."""
        if self.record_id is not None and is_team_register(self.recorder.register):
            self.refresh(
                services.record_of(self.recorder.register, self.entity.name, self.record_id)
            )

    def _resolve_conflict(self, conflict: EditConflict) -> None:
        """Someone else changed the same field: show what they saved and ask the user."""
        record_id = self.record_id
        for found in conflict.conflicts:
            self.inputs[found.field].set_value(found.theirs)
        self._show_stored()
        dialog = ConflictDialog(
            conflict,
            self.window(),
            entity=self.entity.name,
            describe=lambda key, value: value_text(self.inputs[key], value),
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.finished.connect(lambda _result: self._conflict_decided(dialog, record_id))
        self.conflict_dialog = dialog
        dialog.open()

    def _conflict_decided(self, dialog: ConflictDialog, record_id: str | None) -> None:
        """Save the values the user chose over the other person's: one audit entry, one undo
        step (nothing when they kept the other person's)."""
        self.conflict_dialog = None
        dialog.deleteLater()
        values = dialog.values_to_save()
        if not values or record_id is None or record_id != self.record_id:
            return
        try:
            self.recorder.apply(
                UpdateRecord(self.entity.name, record_id, values, dialog.base(record_id))
            )
        except EditConflict as again:  # changed once more while the user was deciding
            self._resolve_conflict(again)
            return
        except RegistreError as error:
            show_error(self.window(), error)
        self._show_stored()
        for key in values:
            self.record_saved.emit(key)

    def commit_pending(self) -> None:
        """Save the field being typed into (before the record shown changes)."""
        if self.record_id is None:
            return
        for field_input in self.inputs.values():
            field_input.finish()

    # -- navigation --------------------------------------------------------------------------

    def focus_field(self, key: str, row_id: str | None = None) -> bool:
        """Put the focus on field ``key`` (``collection.field`` for a row's cell)."""
        if self.record_id is None:
            return False
        collection_key = key.partition(".")[0]
        if collection_key in self.collections:
            editor = self.collections[collection_key]
            editor.focus_cell(key, row_id)
            self.scroll_area.ensureWidgetVisible(editor, 0, 40)
            return True
        field_input = self.inputs.get(key)
        if field_input is None:
            return False
        field_input.focus()
        self.scroll_area.ensureWidgetVisible(self.rows[key], 0, 40)
        return True

    def focus_title(self) -> None:
        """Focus the name, text selected (a record just created)."""
        field_input = self.inputs.get(self.entity.title_field)
        if isinstance(field_input, TextInput):
            field_input.focus()
            field_input.select_all()
            self.scroll_area.ensureWidgetVisible(self.rows[self.entity.title_field])

    def input_widgets(self) -> list[QWidget]:
        """The visible inputs of the form, in the order they are shown."""
        widgets: list[QWidget] = []
        for box in self.sections:
            if box.isHidden():
                continue
            for index in range(box.layout_.count()):
                layout_item = box.layout_.itemAt(index)
                item = layout_item.widget() if layout_item is not None else None
                if isinstance(item, FieldRow) and not item.isHidden():
                    widgets.append(item.input.widget)
                elif isinstance(item, CollectionEditor) and not item.isHidden():
                    widgets.append(item.table)
        return widgets

    def _keep_focus_visible(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Scroll to the input the keyboard focus moves to."""
        if new is not None and self.form.isAncestorOf(new):
            self.scroll_area.ensureWidgetVisible(new, 0, 30)
