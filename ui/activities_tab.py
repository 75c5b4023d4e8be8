"""The « Traitements » tab: the organisation's activities, their filters and the activity form.

A read-only register shows the activity as a read-only record (``ActivityDetailView``) instead
of the form. An organisation without activities shows what to do first.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from registre import services, todos
from registre.errors import RecordNotFound, RegistreError
from registre.schema import ACTIVITY
from registre.services import ROW_COLLECTIONS, ActivitySummary
from registre_ui.detail import ActivityDetailView
from registre_ui.editing import ChangeEvent, CreateRecord, DeleteRecord
from registre_ui.editor import Options, RecordEditor
from registre_ui.i18n import language
from registre_ui.messages import show_error
from registre_ui.models import (
    ActivityFilterProxy,
    ActivityTableModel,
    Completeness,
    activity_summary,
)
from registre_ui.tabs import RecordTab, References, TabHost
from registre_ui.todo_panel import TodoPanel, with_todos
from registre_ui.values import plural_label
from registre_ui.widgets import RecordTableView, heading_label, plain_label

translate = QCoreApplication.translate


class ActivitiesTab(RecordTab):
    """The activities of the organisation shown: list, filters, form (or read-only record)."""

    entities = frozenset({ACTIVITY.name, *ROW_COLLECTIONS, todos.ENTITY})
    organisation_requested = Signal()  # « Compléter la fiche de l'organisme »
    wizard_requested = Signal()
    new_organisation_requested = Signal()

    def __init__(self, host: TabHost, parent: QObject | None = None) -> None:
        super().__init__(host, parent)
        self._names: dict[str, str] = {}
        self._options: Options = {}
        self._activities: list[ActivitySummary] = []
        self.activity_model = ActivityTableModel(self)
        self.activity_proxy = ActivityFilterProxy(self.activity_model, self)
        self.detail = ActivityDetailView()
        self.editor: RecordEditor | None = None
        if not host.register.read_only:
            self.editor = RecordEditor(
                ACTIVITY,
                host.recorder,
                placeholder=translate(
                    "RegisterWindow",
                    "Sélectionnez un traitement pour afficher sa fiche, ou créez-en un avec "
                    "« Nouveau traitement » (Ctrl+N).",
                ),
            )
        self.todo_panel = TodoPanel(host.recorder)
        self.count_label = QLabel()  # shown in the window's status bar
        self.page = self._build_page()

    def title(self) -> str:
        """« Traitements »."""
        return plural_label(ACTIVITY)

    # -- construction ------------------------------------------------------------------------

    def _build_page(self) -> QWidget:
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(translate("RegisterWindow", "Rechercher…"))
        self.search_edit.setAccessibleName(translate("RegisterWindow", "Rechercher un traitement"))
        self.search_edit.setToolTip(
            translate(
                "RegisterWindow",
                "Cherche dans toutes les colonnes, sans tenir compte des accents (Ctrl+F)",
            )
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._on_search_changed)

        self.status_combo = QComboBox()
        self.status_combo.addItem(translate("RegisterWindow", "Tous"), None)
        status_field = ACTIVITY.field("status")
        for choice in status_field.choices:
            self.status_combo.addItem(status_field.choice_label(choice.key, language()), choice.key)
        self.status_combo.currentIndexChanged.connect(self._on_status_changed)
        status_label = QLabel(translate("RegisterWindow", "É&tat :"))
        status_label.setBuddy(self.status_combo)

        self.service_combo = QComboBox()
        self.service_combo.setMinimumContentsLength(14)
        self.service_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.service_combo.currentIndexChanged.connect(self._on_service_changed)
        service_label = QLabel(translate("RegisterWindow", "Ser&vice :"))
        service_label.setBuddy(self.service_combo)
        self.incomplete_check = QCheckBox(translate("RegisterWindow", "&Incomplets seulement"))
        self.incomplete_check.setToolTip(
            translate(
                "RegisterWindow",
                "Seulement les fiches qui ne remplissent pas toutes les exigences (< 100 %)",
            )
        )
        self.incomplete_check.toggled.connect(self._on_incomplete_toggled)

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 1)
        filters.addWidget(service_label)
        filters.addWidget(self.service_combo)
        filters.addWidget(status_label)
        filters.addWidget(self.status_combo)
        filters.addWidget(self.incomplete_check)

        self.activity_table = RecordTableView(plural_label(ACTIVITY))
        self.activity_table.priority_column = self.activity_model.name_column
        self.activity_table.stretch_column = self.activity_model.name_column
        self.activity_table.whole_columns = self.activity_model.whole_columns()
        self.activity_table.setModel(self.activity_proxy)
        self.activity_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.activity_table.selectionModel().currentRowChanged.connect(self._on_current_activity)

        self.activity_stack = QStackedWidget()
        self.activity_stack.addWidget(self.activity_table)
        self.empty_page = self._empty_register_page()
        self.activity_stack.addWidget(self.empty_page)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.activity_stack, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        form = self.editor if self.editor is not None else self.detail
        splitter.addWidget(with_todos(self.todo_panel, form))
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([600, 400])  # proportions, whatever the window's width
        return splitter

    def _empty_register_page(self) -> QWidget:
        """What to do first in a register without activities (or without organisation)."""
        page = QWidget()
        self.empty_title = heading_label("", scale=1.2)
        self.empty_text = plain_label("")
        self.empty_buttons: dict[str, QPushButton] = {}
        buttons = QVBoxLayout()
        for key, text, signal in (
            (
                "organisation",
                translate("RegisterWindow", "1. Compléter la fiche de l'organisme…"),
                self.organisation_requested,
            ),
            (
                "wizard",
                translate("RegisterWindow", "2. Déclarer un premier traitement (assistant)…"),
                self.wizard_requested,
            ),
            ("new", translate("RegisterWindow", "Ou créer une fiche de traitement vide"), None),
            (
                "new_organisation",
                translate("RegisterWindow", "Ajouter un organisme…"),
                self.new_organisation_requested,
            ),
        ):
            button = QPushButton(text)
            if signal is None:
                button.clicked.connect(self.new_activity)
            else:
                button.clicked.connect(signal)
            buttons.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            self.empty_buttons[key] = button
        layout = QVBoxLayout(page)
        layout.addWidget(self.empty_title)
        layout.addWidget(self.empty_text)
        layout.addLayout(buttons)
        layout.addStretch()
        return page

    def _show_empty_guidance(self) -> None:
        """The list, or what to do first when the organisation has no activity yet."""
        if self.activity_model.rowCount() > 0:
            self.activity_stack.setCurrentWidget(self.activity_table)
            return
        editable = not self.host.register.read_only
        no_organisation = self.host.organisation_id() is None
        if no_organisation:
            self.empty_title.setText(
                translate("RegisterWindow", "Ce registre ne contient encore aucun organisme")
            )
            text = translate(
                "RegisterWindow",
                "Ajoutez d'abord l'organisme dont vous tenez le registre (commune, CCAS, "
                "syndicat…) : ses traitements y seront rattachés.",
            )
        else:
            self.empty_title.setText(translate("RegisterWindow", "Aucun traitement pour l'instant"))
            text = translate(
                "RegisterWindow",
                "Commencez par la fiche de l'organisme (nom, adresse, représentant, délégué à "
                "la protection des données), puis déclarez les traitements un par un : "
                "l'assistant pose une question par page, à partir d'un modèle de traitement "
                "courant des communes. L'onglet « Contrôle » dira ensuite ce qui manque.",
            )
        if not editable:
            text = translate(
                "RegisterWindow", "Ce registre est ouvert en lecture seule : rien à afficher ici."
            )
        self.empty_text.setText(text)
        for key, button in self.empty_buttons.items():
            wanted = (key == "new_organisation") == no_organisation
            button.setVisible(editable and wanted)
        self.activity_stack.setCurrentWidget(self.empty_page)

    # -- reading -----------------------------------------------------------------------------

    def fetch(self, organisation_id: str | None) -> None:
        """Read the organisation's activities."""
        register = self.host.register
        self._activities = (
            [] if organisation_id is None else services.list_activities(register, organisation_id)
        )
        self._names = {activity.id: activity.name for activity in self._activities}

    def show_fetched(self, options: Options) -> None:
        """Show the activities read, none selected."""
        self._options = options
        self.activity_model.set_activities(self._activities)
        self._activities = []
        self._fill_services()
        self.detail.clear()
        self.todo_panel.show_activity(None)
        if self.editor is not None:
            self.editor.clear()
        self.update_count()

    def references(self) -> References:
        """The activities a breach or a request may concern, by name."""
        return {
            ACTIVITY.name: sorted(
                self._names.items(), key=lambda item: (item[1].casefold(), item[0])
            )
        }

    def names(self) -> dict[str, str]:
        """Name of each activity of the organisation."""
        return dict(self._names)

    def set_options(self, options: Options) -> None:
        """Show the new processors and software in the form (its record read again)."""
        targets = ("processor", "software")
        moved = any(options.get(key) != self._options.get(key) for key in targets)
        self._options = options
        if moved and self.editor is not None and self.editor.record_id is not None:
            self._load_activity(self.editor.record_id, force=True)

    def clear(self) -> None:
        """Forget every activity read."""
        self.activity_model.set_activities([])
        self.activity_model.set_scores({})
        self.detail.clear()
        self.todo_panel.show_activity(None)
        if self.editor is not None:
            self.editor.clear()
        self._names = {}
        self._options = {}
        self.update_count()

    def editors(self) -> list[RecordEditor]:
        """The activity form (none in a read-only register)."""
        return [self.editor] if self.editor is not None else []

    def set_scores(self, scores: dict[str, Completeness]) -> None:
        """Show the completeness of each activity (a check has finished)."""
        self.activity_model.set_scores(scores)
        self.activity_proxy.scores_changed()
        self.update_count()

    # -- filters -----------------------------------------------------------------------------

    def focus_search(self) -> None:
        """Go to the activity search field (Ctrl+F)."""
        self.host.show_page(self.page)
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _on_search_changed(self, text: str) -> None:
        self.activity_proxy.set_search_text(text)
        self.update_count()

    def _on_status_changed(self) -> None:
        self.activity_proxy.set_status(self.status_combo.currentData())
        self.update_count()

    def _on_service_changed(self) -> None:
        self.activity_proxy.set_service(self.service_combo.currentData())
        self.update_count()

    def _on_incomplete_toggled(self, checked: bool) -> None:
        self.activity_proxy.set_incomplete_only(checked)
        self.update_count()

    def _fill_services(self) -> None:
        """The service filter lists the services named in the organisation's activities."""
        current = self.service_combo.currentData()
        services_named = self.activity_model.services()
        self.service_combo.blockSignals(True)
        self.service_combo.clear()
        self.service_combo.addItem(translate("RegisterWindow", "Tous"), None)
        for service in services_named:
            self.service_combo.addItem(service, service)
        position = self.service_combo.findData(current) if current is not None else 0
        self.service_combo.setCurrentIndex(max(position, 0))
        self.service_combo.blockSignals(False)
        self._on_service_changed()

    def clear_filters(self) -> None:
        """Show every activity of the organisation."""
        self.search_edit.clear()
        self.status_combo.setCurrentIndex(0)
        self.service_combo.setCurrentIndex(0)
        self.incomplete_check.setChecked(False)

    def update_count(self) -> None:
        """« 12 traitements », « 3 sur 12 traitements » in the status bar."""
        self._show_empty_guidance()
        total = self.activity_model.rowCount()
        shown = self.activity_proxy.rowCount()
        if total == 0:
            text = translate("RegisterWindow", "Aucun traitement")
        elif shown != total:
            text = translate("RegisterWindow", "{shown} sur {total} traitements").format(
                shown=shown, total=total
            )
        elif total == 1:
            text = translate("RegisterWindow", "1 traitement")
        else:
            text = translate("RegisterWindow", "{count} traitements").format(count=total)
        self.count_label.setText(text)

    # -- selection ---------------------------------------------------------------------------

    def select_activity(self, activity_id: str) -> bool:
        """Select the activity ``activity_id`` (filters cleared if they hide it)."""
        source_row = self.activity_model.row_of(activity_id)
        if source_row < 0:
            return False
        index = self.activity_proxy.mapFromSource(self.activity_model.index(source_row, 0))
        if not index.isValid():
            self.clear_filters()
            index = self.activity_proxy.mapFromSource(self.activity_model.index(source_row, 0))
            if not index.isValid():
                return False
        self.activity_table.setCurrentIndex(index)
        self.activity_table.selectRow(index.row())
        self.activity_table.scrollTo(index)
        self._load_activity(activity_id)
        return True

    def current_activity_id(self) -> str | None:
        """The activity selected in the list."""
        index = self.activity_table.currentIndex()
        return self.activity_proxy.record_id(index) if index.isValid() else None

    def _on_current_activity(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        self._load_activity(self.activity_proxy.record_id(current))

    def _load_activity(self, activity_id: str, *, force: bool = False) -> None:
        shown = self.editor.record_id if self.editor is not None else self.detail.activity_id
        if activity_id == shown and not force:
            return
        if self.editor is not None:
            self.editor.commit_pending()
        try:
            record = services.record_of(self.host.register, ACTIVITY.name, activity_id)
        except RegistreError as error:
            show_error(self.page.window(), error)
            return
        if self.editor is not None:
            self.editor.load(record, self._options)
        else:
            self.detail.show_activity(record, self._names_with_inventory())
        self.todo_panel.show_activity(activity_id)

    def _names_with_inventory(self) -> dict[str, str]:
        names = dict(self._names)
        for records in self._options.values():
            names.update(records)
        return names

    def open_record(self, record_id: str, key: str, row_id: str | None = None) -> bool:
        """Show the activity ``record_id`` with ``key`` (of the row ``row_id``) focused."""
        self.host.show_page(self.page)
        if self.select_activity(record_id) and self.editor is not None:
            return self.editor.focus_field(key, row_id)
        return False

    # -- changes -----------------------------------------------------------------------------

    def new_activity(self) -> str | None:
        """Create an activity « Nouveau traitement », show it and focus its name (Ctrl+N)."""
        organisation_id = self.host.organisation_id()
        if organisation_id is None or self.editor is None:
            return None
        self.editor.commit_pending()
        self.clear_filters()
        name = translate("RegisterWindow", "Nouveau traitement")
        change = self.save(CreateRecord(ACTIVITY.name, {"name": name}, organisation_id))
        if change is None:
            return None
        self.host.show_page(self.page)
        self.select_activity(change.id)
        self.editor.focus_title()
        return change.id

    def delete_current_activity(self) -> bool:
        """Delete the selected activity after confirmation (« Annuler » brings it back)."""
        activity_id = self.current_activity_id()
        if activity_id is None or self.host.register.read_only:
            return False
        return self.delete_confirmed(
            DeleteRecord(ACTIVITY.name, activity_id),
            translate("RegisterWindow", "Supprimer le traitement"),
            translate(
                "RegisterWindow",
                "Supprimer le traitement « {name} » et toutes ses lignes ? "
                "Vous pourrez l'annuler avec Édition › Annuler (Ctrl+Z).",
            ).format(name=self._names.get(activity_id, "")),
        )

    def on_change(self, event: ChangeEvent) -> None:
        """An activity or one of its rows changed: its list line, and its form on undo."""
        change = event.change
        owner_id = event.owner_id
        try:
            record = services.record_of(self.host.register, ACTIVITY.name, owner_id)
        except RecordNotFound:
            self.activity_model.remove_row(owner_id)
            self._names.pop(owner_id, None)
            if self.editor is not None and self.editor.record_id == owner_id:
                self.editor.clear()
            self.update_count()
            return
        if record["organisation_id"] != self.host.organisation_id():
            if not event.from_history:
                return
            self.host.select_organisation(record["organisation_id"])
        self.activity_model.upsert_activity(activity_summary(record))
        self._names[owner_id] = record["name"]
        if record.get("service") and self.service_combo.findData(record["service"]) < 0:
            self._fill_services()
        self.update_count()
        if event.from_history:
            self.host.show_page(self.page)
            self.select_activity(owner_id)
            if self.editor is not None:
                self.editor.load(record, self._options)
                row_id = change.id if change.entity in ROW_COLLECTIONS else None
                key = event.keys[0] if event.keys else ""
                if row_id is not None:
                    collection = ROW_COLLECTIONS[change.entity]
                    key = f"{collection}.{key}" if key else collection
                if key:
                    self.editor.focus_field(key, row_id)
        elif self.editor is not None and self.editor.record_id == owner_id:
            self.editor.refresh(record)
