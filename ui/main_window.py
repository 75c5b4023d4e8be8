"""The window of an open register: the organisation chosen, its tabs, menus and toolbar.

Each record tab is a controller (``registre_ui.tabs.RecordTab``): the activities
(``activities_tab``), processors and software (``records_tab``). A tab saves what the user
changes as a typed edit through the window's ``ChangeRecorder`` (one service call, one audit
entry, one undo step); the recorder's ``changed`` comes back here and is handed to the tab
showing that entity (``_on_changed``). Exports live in ``export_actions``. Closing the window
closes the register, which drops its key from memory.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from registre import services
from registre.checker import Finding
from registre.companion import companion_summary
from registre.errors import RegistreError
from registre.schema import COMPANION_REGISTERS, ENTITIES, ORGANISATION, PROCESSOR, SOFTWARE
from registre.services import ROW_COLLECTIONS
from registre.storage import Register
from registre_ui.activities_tab import ActivitiesTab
from registre_ui.checks import CheckResult, CheckRunner
from registre_ui.companion_tab import CompanionTab
from registre_ui.control import ControlPage, render_findings
from registre_ui.editing import ChangeEvent, ChangeRecorder, CreateRecord
from registre_ui.editor import Options
from registre_ui.export_actions import ExportController
from registre_ui.exports import EXPORT_KINDS, ExportKind, interchange_available, pdf_available
from registre_ui.help import HELP_LABEL
from registre_ui.history import HistoryPage
from registre_ui.import_dialog import ImportDialog
from registre_ui.locking import InactivityWatcher, LockedPage
from registre_ui.messages import show_error
from registre_ui.models import Completeness
from registre_ui.organisations import OrganisationDialog
from registre_ui.passphrase_change import PassphraseChangeAction
from registre_ui.preferences import PreferencesDialog
from registre_ui.records_tab import RecordsTab, record_texts
from registre_ui.references import ReferencesPage
from registre_ui.secretary import SecretaryWindow
from registre_ui.settings import Settings
from registre_ui.tab_count import TabCount
from registre_ui.tabs import RecordTab, References, references_moved
from registre_ui.team_open import is_team_register
from registre_ui.team_visit import TeamVisitActions
from registre_ui.template_updates import TemplateUpdatesDialog
from registre_ui.unlock import UnlockDialog
from registre_ui.widgets import install_wheel_guard
from registre_ui.window_menus import WindowMenus
from registre_ui.wizard import DeclarationWizard
from registre_ui.workspace import WorkspaceActions

PREFERRED_SIZE = (1440, 880)


class RegisterWindow(QMainWindow):
    """Browses and edits one open register; ``closed`` is emitted once the register is closed."""

    closed = Signal()
    quit_requested = Signal()
    check_finished = Signal()
    locked_changed = Signal(bool)
    preferences_changed = Signal()

    def __init__(self, register: Register, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        install_wheel_guard()
        self.register = register
        self.recorder = ChangeRecorder(register, self)
        self.check_runner = CheckRunner(lambda: self.register, render_findings, self)
        self.check_runner.finished.connect(self._on_check)
        self.check_runner.failed.connect(self._on_check_failed)
        self.recorder.changed.connect(self._on_changed)
        self.recorder.history_changed.connect(self._update_history_actions)
        self.organisation_dialog: OrganisationDialog | None = None
        self.unlock_dialog: UnlockDialog | None = None
        self._secretary: SecretaryWindow | None = None
        self.locked = False
        self.settings = Settings()
        self.inactivity = InactivityWatcher(self.settings.lock_minutes * 60_000, self)
        self.inactivity.timed_out.connect(self.lock)
        self.exports = ExportController(self, self._reload_audit)
        self.export_runner = self.exports.runner
        self.setWindowTitle(register.name)
        self._fit_to_screen()

        self.organisation_combo = QComboBox()
        self.organisation_combo.setMinimumContentsLength(30)
        self.organisation_combo.currentIndexChanged.connect(self._on_organisation_changed)
        organisation_label = QLabel(self.tr("&Organisme :"))
        organisation_label.setBuddy(self.organisation_combo)
        self.organisation_button = QPushButton(self.tr("Fiche de l'organisme…"))
        self.organisation_button.clicked.connect(self.edit_organisation)
        top = QHBoxLayout()
        top.addWidget(organisation_label)
        top.addWidget(self.organisation_combo)
        top.addWidget(self.organisation_button)
        top.addStretch()

        # The record tabs, each a controller (registre_ui.tabs.RecordTab) told of the changes
        # of its entities; then the pages that look at the whole register.
        self.activities = ActivitiesTab(self, self)
        self.activities.organisation_requested.connect(self.edit_organisation)
        self.activities.wizard_requested.connect(self.open_wizard)
        self.activities.new_organisation_requested.connect(self.ask_new_organisation)
        self.software = RecordsTab(SOFTWARE, self, record_texts(SOFTWARE), self)
        self.processors = RecordsTab(PROCESSOR, self, record_texts(PROCESSOR), self)
        self.companions = [CompanionTab(entity, self, self) for entity in COMPANION_REGISTERS]
        self.record_tabs: list[RecordTab] = [
            self.activities,
            self.software,
            self.processors,
            *self.companions,
        ]
        self._tab_of_entity = {entity: tab for tab in self.record_tabs for entity in tab.entities}
        self.control_page = ControlPage()
        self.control_page.open_requested.connect(self.open_finding)
        self.references_page = ReferencesPage()
        self.history_page = HistoryPage()

        self.tabs = QTabWidget()
        for tab in self.record_tabs:
            self.tabs.addTab(tab.page, tab.title())
        self.tabs.addTab(self.references_page, self.tr("Référentiels"))
        self.tabs.addTab(self.control_page, self.tr("Contrôle"))
        self.tabs.addTab(self.history_page, self.tr("Historique"))
        self._alias_widgets()

        self.content = QWidget()
        layout = QVBoxLayout(self.content)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.content)
        self.locked_page = LockedPage(register.name)
        self.unlock_button = self.locked_page.unlock_button
        self.unlock_button.clicked.connect(self.request_unlock)
        self.locked_page.close_button.clicked.connect(self.close)
        self.pages.addWidget(self.locked_page)
        self.setCentralWidget(self.pages)
        self._build_status_bar()
        self._build_actions()
        self.menus = WindowMenus(self)
        self.file_menu = self.menus.file_menu
        self.export_menu = self.menus.export_menu
        self.edit_menu = self.menus.edit_menu
        self.help_menu = self.menus.help_menu
        self.toolbar = self.menus.toolbar
        self._update_history_actions()
        self._restore_window_state()
        self._load_organisations()
        self.workspace = WorkspaceActions(self)  # overview, duplication, publications, batch
        self.team_visits = TeamVisitActions(self) if is_team_register(register) else None
        self.passphrase_change = (
            None if is_team_register(register) else PassphraseChangeAction(self)
        )
        self.inactivity.start()

    # -- construction ------------------------------------------------------------------------

    def _alias_widgets(self) -> None:
        """Short names for the widgets of the tabs (tests, the help, other screens)."""
        activities = self.activities
        self.activities_page = activities.page
        self.editor = activities.editor
        self.detail = activities.detail
        self.activity_model = activities.activity_model
        self.activity_proxy = activities.activity_proxy
        self.activity_table = activities.activity_table
        self.activity_stack = activities.activity_stack
        self.search_edit = activities.search_edit
        self.status_combo = activities.status_combo
        self.service_combo = activities.service_combo
        self.incomplete_check = activities.incomplete_check
        self.empty_page = activities.empty_page
        self.empty_title = activities.empty_title
        self.empty_text = activities.empty_text
        self.empty_buttons = activities.empty_buttons
        self.count_label = activities.count_label
        self.software_page = self.software.inventory
        self.processor_page = self.processors.inventory
        self.software_table = self.software_page.table
        self.processor_table = self.processor_page.table
        self.software_model = self.software_page.model
        self.processor_model = self.processor_page.model
        self.audit_model = self.history_page.model
        self.audit_table = self.history_page.table

    def _restore_window_state(self) -> None:
        geometry, state = self.settings.window_state("register")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)

    def open_preferences(self) -> PreferencesDialog:
        """Language, delay before the automatic lock, library folder (Ctrl+,)."""
        dialog = PreferencesDialog(self.settings, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.applied.connect(self.apply_preferences)
        dialog.applied.connect(self.preferences_changed)
        dialog.open()
        return dialog

    def apply_preferences(self) -> None:
        """Take the saved preferences into account (the lock delay at once)."""
        self.settings = Settings()
        self.set_lock_delay(self.settings.lock_minutes * 60_000)

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.register_label = QLabel(self.tr("Registre « {name} »").format(name=self.register.name))
        self.register_label.setTextFormat(Qt.TextFormat.PlainText)
        bar.addWidget(self.register_label)
        self.read_only_label = QLabel(self.tr("lecture seule"))
        self.read_only_label.setStyleSheet("QLabel { font-weight: bold; }")
        self.read_only_label.setToolTip(
            self.tr("Le registre est ouvert en lecture seule : aucune modification possible.")
        )
        bar.addWidget(self.read_only_label)
        self.read_only_label.setVisible(self.register.read_only)
        if self.register.demo:
            bar.addWidget(QLabel(self.tr("démonstration")))
        self.tab_count = TabCount(self)  # what the tab shown lists

    def make_action(
        self,
        text: str,
        slot: object,
        shortcuts: tuple[QKeySequence | str | QKeySequence.StandardKey, ...] = (),
        tooltip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts([QKeySequence(shortcut) for shortcut in shortcuts])
        if tooltip:
            action.setToolTip(tooltip)
        action.triggered.connect(slot)
        self.addAction(action)  # shortcuts work even when the menu bar is hidden
        return action

    def _build_actions(self) -> None:
        editable = not self.register.read_only
        self.new_activity_action = self.make_action(
            self.tr("&Nouveau traitement"), self.activities.new_activity, ("Ctrl+N",)
        )
        self.wizard_action = self.make_action(
            self.tr("&Déclarer un traitement (assistant)…"),
            self.open_wizard,
            ("Ctrl+Shift+N",),
            self.tr("Questions simples, une par page, à partir d'un modèle ou de zéro"),
        )
        self.secretary_action = self.make_action(
            self.tr("Mode &secrétariat"),
            self.open_secretary_mode,
            ("Ctrl+Shift+M",),
            self.tr("Fenêtre simplifiée : traitements, assistant, points à compléter"),
        )
        self.delete_activity_action = self.make_action(
            self.tr("&Supprimer le traitement…"),
            self.activities.delete_current_activity,
            ("Ctrl+Del",),
        )
        self.undo_action = self.make_action(
            self.tr("&Annuler"), self.undo, (QKeySequence.StandardKey.Undo,)
        )
        self.redo_action = self.make_action(
            self.tr("&Rétablir"),
            self.redo,
            ("Ctrl+Shift+Z", QKeySequence.StandardKey.Redo),
        )
        self.undo_action.setProperty(HELP_LABEL, self.tr("&Annuler"))
        self.redo_action.setProperty(HELP_LABEL, self.tr("&Rétablir"))
        self.organisation_action = self.make_action(
            self.tr("&Fiche de l'organisme…"), self.edit_organisation, ("Ctrl+Shift+O",)
        )
        self.new_organisation_action = self.make_action(
            self.tr("Nouvel &organisme…"), self.ask_new_organisation
        )
        self.template_updates_action = self.make_action(
            self.tr("Mises à jour du &catalogue…"),
            self.open_template_updates,
            tooltip=self.tr("Fiches dont le modèle a une version plus récente"),
        )
        self.new_software_action = self.make_action(
            self.tr("Nouveau &logiciel"), self.software.new_record
        )
        self.new_processor_action = self.make_action(
            self.tr("Nouveau so&us-traitant"), self.processors.new_record
        )
        self.delete_software_action = self.make_action(
            self.tr("Supprimer le logiciel…"), self.software_page.request_delete
        )
        self.delete_processor_action = self.make_action(
            self.tr("Supprimer le sous-traitant…"), self.processor_page.request_delete
        )
        # The tools of each record tab: its « Nouveau… » first, then its « Supprimer… ».
        self.record_tools: dict[RecordTab, list[QAction]] = {
            self.software: [self.new_software_action, self.delete_software_action],
            self.processors: [self.new_processor_action, self.delete_processor_action],
        }
        for tab in self.companions:
            self.record_tools[tab] = [
                self.make_action(tab.inventory.new_button.text(), tab.new_record),
                self.make_action(tab.inventory.delete_button.text(), tab.inventory.request_delete),
            ]
        self.tab_tools: dict[QWidget, list[QAction]] = {
            self.activities.page: [
                self.new_activity_action,
                self.wizard_action,
                self.delete_activity_action,
            ],
            **{tab.page: tools for tab, tools in self.record_tools.items()},
        }
        self.export_actions: dict[str, QAction] = {}
        for kind in EXPORT_KINDS:
            shortcuts: tuple[str, ...] = {
                "pdf-full": ("Ctrl+E",),
                "pdf-art30": ("Ctrl+Shift+E",),
            }.get(kind.key, ())
            action = self.make_action(kind.title(), partial(self.exports.export, kind), shortcuts)
            available = pdf_available() if kind.format == "pdf" else interchange_available()
            if not available:
                action.setEnabled(False)
                action.setToolTip(self.tr("Cet export n'est pas disponible dans cette version."))
            self.export_actions[kind.key] = action
        self.pdf_toolbar_action = QAction(self.tr("Exporter en PDF"), self)
        self.pdf_toolbar_action.setToolTip(self.tr("Exporter le registre complet en PDF (Ctrl+E)"))
        self.pdf_toolbar_action.triggered.connect(partial(self.exports.export, EXPORT_KINDS[0]))
        self.pdf_toolbar_action.setEnabled(pdf_available())
        self.import_action = self.make_action(
            self.tr("&Importer un fichier…"), self.open_import, ("Ctrl+I",)
        )
        self.verify_action = self.make_action(
            self.tr("&Vérifier un PDF exporté…"), self.exports.verify_pdf
        )
        self.verify_action.setEnabled(pdf_available())
        self.lock_action = self.make_action(
            self.tr("&Verrouiller"),
            self.lock,
            ("Ctrl+L",),
            self.tr("Masque le registre et efface sa clé de la mémoire (Ctrl+L)"),
        )
        self.close_action = self.make_action(
            self.tr("&Fermer le registre"), self.close, ("Ctrl+W",)
        )
        self.quit_action = self.make_action(self.tr("&Quitter"), self.quit_requested, ("Ctrl+Q",))
        self.preferences_action = self.make_action(
            self.tr("&Préférences…"), self.open_preferences, ("Ctrl+,",)
        )
        self.search_action = self.make_action(
            self.tr("&Rechercher un traitement"), self.activities.focus_search, ("Ctrl+F",)
        )
        self.edit_actions = [
            self.new_activity_action,
            self.wizard_action,
            self.delete_activity_action,
            self.new_organisation_action,
            self.template_updates_action,
            self.new_software_action,
            self.new_processor_action,
            self.delete_software_action,
            self.delete_processor_action,
            self.import_action,
            *(action for tab in self.companions for action in self.record_tools[tab]),
        ]
        for action in self.edit_actions:
            action.setEnabled(editable)

    def _fit_to_screen(self) -> None:
        """A comfortable size, never larger than the screen."""
        width, height = PREFERRED_SIZE
        screen = self.screen()
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, int(available.width() * 0.95))
            height = min(height, int(available.height() * 0.92))
        self.resize(width, height)

    def show_tab(self, position: int, _checked: bool = False) -> None:
        """Show the tab at ``position`` (Ctrl+1…)."""
        self.tabs.setCurrentIndex(position)

    # -- data --------------------------------------------------------------------------------

    def _load_organisations(self, select: str | None = None) -> None:
        try:
            organisations = services.list_organisations(self.register)
        except RegistreError as error:
            show_error(self, error)
            return
        wanted = select or self.organisation_id()
        self.organisation_combo.blockSignals(True)
        self.organisation_combo.clear()
        for organisation in organisations:
            self.organisation_combo.addItem(organisation.name, organisation.id)
        ids = [organisation.id for organisation in organisations]
        if wanted in ids:
            self.organisation_combo.setCurrentIndex(ids.index(wanted))
        elif organisations:  # start with the organisation that has the most activities
            largest = max(organisations, key=lambda organisation: organisation.activities)
            self.organisation_combo.setCurrentIndex(organisations.index(largest))
        self.organisation_combo.blockSignals(False)
        self.reload()

    def organisation_id(self) -> str | None:
        """The selected organisation."""
        value = self.organisation_combo.currentData()
        return value if isinstance(value, str) else None

    def select_organisation(self, organisation_id: str) -> None:
        """Show the organisation ``organisation_id``."""
        position = self.organisation_combo.findData(organisation_id)
        if position >= 0 and position != self.organisation_combo.currentIndex():
            self.organisation_combo.setCurrentIndex(position)

    def _on_organisation_changed(self) -> None:
        self.commit_pending()
        self.reload()

    def reload(self) -> None:
        """Read the selected organisation's records and history again."""
        organisation_id = self.organisation_id()
        try:
            for tab in self.record_tabs:
                tab.fetch(organisation_id)
        except RegistreError as error:
            show_error(self, error)
            return
        options = self._reference_options()
        for tab in self.record_tabs:
            tab.show_fetched(options)
        self.control_page.set_organisation(organisation_id)
        self._reload_audit()
        if self.check_runner.last is None:
            self.control_page.show_pending()
            self.check_runner.schedule()  # once the window is shown: it never waits for it
        else:
            self._apply_scores(self.check_runner.last)

    def _reference_options(self) -> Options:
        """What the reference fields of every form may point to (processors, software…)."""
        options: References = {}
        for tab in self.record_tabs:
            options.update(tab.references())
        return options

    def _reload_audit(self) -> None:
        organisation_id = self.organisation_id()
        try:
            entries = (
                services.audit_entries(self.register, organisation_id=organisation_id)
                if organisation_id is not None
                else []
            )
        except RegistreError as error:
            show_error(self, error)
            return
        names: dict[str, str] = {}
        for tab in self.record_tabs:
            names.update(tab.names())
        self.history_page.set_entries(entries, names)

    # -- the activities tab, by its short names ----------------------------------------------

    def select_activity(self, activity_id: str) -> bool:
        """Select the activity ``activity_id`` (filters cleared if they hide it)."""
        return self.activities.select_activity(activity_id)

    def current_activity_id(self) -> str | None:
        """The activity selected in the list."""
        return self.activities.current_activity_id()

    def clear_filters(self) -> None:
        """Show every activity of the organisation."""
        self.activities.clear_filters()

    def new_activity(self) -> str | None:
        """Create an activity and show its form (Ctrl+N)."""
        return self.activities.new_activity()

    def delete_current_activity(self) -> bool:
        """Delete the selected activity after confirmation."""
        return self.activities.delete_current_activity()

    def show_page(self, page: QWidget) -> None:
        """Bring the tab ``page`` to the front."""
        self.tabs.setCurrentWidget(page)

    def confirm(self, title: str, text: str) -> bool:
        """Ask a yes/no question; « Non » is the default answer."""
        answer = QMessageBox.question(
            self,
            title,
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    # -- activities --------------------------------------------------------------------------

    def open_wizard(self) -> DeclarationWizard | None:
        """The « Déclarer un traitement » wizard for the selected organisation."""
        organisation_id = self.organisation_id()
        if organisation_id is None or self.register.read_only:
            return None
        self.commit_pending()
        wizard = DeclarationWizard(self.register, organisation_id, self, recorder=self.recorder)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.activity_created.connect(self._show_declared_activity)
        wizard.activity_created.connect(
            lambda _activity_id: self.statusBar().showMessage(wizard.creation_text(), 30_000)
        )
        wizard.open()
        return wizard

    def _show_declared_activity(self, activity_id: str) -> None:
        self.reload()
        self.activities.clear_filters()
        self.show_page(self.activities.page)
        self.activities.select_activity(activity_id)

    def open_secretary_mode(self) -> SecretaryWindow:
        """Switch to the simplified window; « Passer à l'espace DPO » comes back here."""
        self.commit_pending()
        secretary = SecretaryWindow(
            self.register, organisation_id=self.organisation_id(), recorder=self.recorder
        )
        secretary.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        secretary.dpo_workspace_requested.connect(partial(self._back_from_secretary, secretary))
        secretary.closed.connect(partial(self._secretary_closed, secretary))
        self._secretary = secretary
        secretary.show()
        self.hide()
        return secretary

    def _back_from_secretary(self, secretary: SecretaryWindow) -> None:
        self._secretary = None
        secretary.close()
        self.reload()
        self.show()

    def _secretary_closed(self, secretary: SecretaryWindow) -> None:
        """The secretary closed her window: close the register as closing this window does
        (lock released, file left self-contained), rather than keep it open behind no window."""
        if self._secretary is not secretary:  # left through « Passer à l'espace DPO »
            return
        self._secretary = None
        self.close()
        if not self.register.closed:  # kept open (an export is finishing): show where it is
            self.show()

    # -- organisations -------------------------------------------------------------------------

    def edit_organisation(self) -> OrganisationDialog | None:
        """Open the organisation's record (Ctrl+Shift+O)."""
        organisation_id = self.organisation_id()
        if organisation_id is None:
            return None
        if self.organisation_dialog is None:
            self.organisation_dialog = OrganisationDialog(self.recorder, self)
        self.organisation_dialog.load(organisation_id)
        self.organisation_dialog.show()
        self.organisation_dialog.raise_()
        self.organisation_dialog.activateWindow()
        return self.organisation_dialog

    def ask_new_organisation(self) -> None:
        """Ask for a name, then add an organisation to the register."""
        name, accepted = QInputDialog.getText(
            self, self.tr("Nouvel organisme"), self.tr("Nom du nouvel organisme :")
        )
        if accepted and name.strip():
            self.create_organisation(name.strip())

    def create_organisation(self, name: str) -> str | None:
        """Add the organisation ``name`` and show it."""
        try:
            change = self.recorder.apply(CreateRecord(ORGANISATION.name, {"name": name}))
        except RegistreError as error:
            show_error(self, error)
            return None
        self._load_organisations(select=change.id)
        return change.id

    # -- changes, undo and redo --------------------------------------------------------------

    def commit_pending(self) -> None:
        """Save the field being typed into, wherever it is."""
        for tab in self.record_tabs:
            tab.commit_pending()
        if self.organisation_dialog is not None:
            self.organisation_dialog.editor.commit_pending()

    _commit_pending = commit_pending

    def undo(self) -> None:
        """Undo the last change (Ctrl+Z)."""
        self.commit_pending()
        try:
            self.recorder.undo()
        except RegistreError as error:
            show_error(self, error)

    def redo(self) -> None:
        """Redo the last undone change (Ctrl+Shift+Z)."""
        self.commit_pending()
        try:
            self.recorder.redo()
        except RegistreError as error:
            show_error(self, error)

    def _update_history_actions(self) -> None:
        editable = not self.register.read_only
        self.undo_action.setText(self.recorder.undo_text())
        self.redo_action.setText(self.recorder.redo_text())
        self.undo_action.setEnabled(editable and self.recorder.stack.can_undo)
        self.redo_action.setEnabled(editable and self.recorder.stack.can_redo)

    def _on_changed(self, event: ChangeEvent) -> None:
        """Hand a change to the tab showing its entity, then bring the reference lists of the
        other forms, the history and the check up to date."""
        entity = event.change.entity
        if entity == ORGANISATION.name:
            self._organisation_changed(event)
        else:
            tab = self._tab_of_entity[entity]
            tab.on_change(event)
            spec = ENTITIES.get(entity)  # None for a to-do: nothing refers to it
            if (
                spec is not None
                and entity not in ROW_COLLECTIONS
                and references_moved(event, spec.title_field)
            ):
                options = self._reference_options()
                for other in self.record_tabs:
                    other.set_options(options)
        self._reload_audit()
        self.check_runner.schedule()

    def _organisation_changed(self, event: ChangeEvent) -> None:
        change = event.change
        if change.action == "updated" and "name" not in change.fields and not event.from_history:
            return
        self._load_organisations(select=change.id if change.action != "deleted" else None)
        dialog = self.organisation_dialog
        if dialog is not None and dialog.isVisible():
            if change.action == "deleted":
                dialog.close()
            elif event.from_history:
                dialog.load(change.id)
                if event.keys:
                    dialog.editor.focus_field(event.keys[0])

    # -- control -----------------------------------------------------------------------------

    def _on_check(self, result: CheckResult) -> None:
        """Show a finished check: findings, dashboard and the completeness column."""
        self.control_page.set_report(result.report, result.rows)
        self._apply_scores(result)
        self._show_companion_summaries()
        self.check_finished.emit()

    def _show_companion_summaries(self) -> None:
        """Open breaches and overdue requests of every organisation, on the dashboard."""
        combo = self.organisation_combo
        try:
            summaries = [
                (
                    str(combo.itemData(position)),
                    combo.itemText(position),
                    companion_summary(self.register, str(combo.itemData(position))),
                )
                for position in range(combo.count())
            ]
        except RegistreError as error:
            show_error(self, error)
            return
        self.control_page.set_companions(summaries)

    def _remember_summary(self) -> None:
        """What the library shows of this register once closed: organisations and score."""
        result = self.check_runner.last
        if result is None or self.register.read_only or is_team_register(self.register):
            return
        scores = sorted(result.report.organisation_scores.values(), key=lambda s: s.name)
        if not scores:
            return
        self.settings.save_register_summary(
            self.register.directory,
            [(score.name, score.percent) for score in scores],
            result.report.checked_on.isoformat(),
        )

    def _on_check_failed(self, error: RegistreError) -> None:
        show_error(self, error)

    def open_finding(self, finding: Finding) -> None:
        """Show the record of ``finding`` with the field to complete focused."""
        self.select_organisation(finding.organisation_id)
        if finding.entity == ORGANISATION.name:
            dialog = self.edit_organisation()
            if dialog is not None and not dialog.editor.focus_field(finding.field):
                self.show_page(self.activities.page)
            return
        tab = self._tab_of_entity.get(finding.entity, self.activities)
        tab.open_record(finding.record_id, finding.field, finding.row_id)

    def _apply_scores(self, result: CheckResult) -> None:
        self.activities.set_scores(
            {
                activity_id: Completeness(score.percent, score.met, score.applicable)
                for activity_id, score in result.report.activity_scores.items()
            }
        )

    # -- exports and imports -----------------------------------------------------------------

    def export(
        self,
        kind: ExportKind,
        _checked: bool = False,
        *,
        output: Path | None = None,
        drafts_confirmed: bool = False,
    ) -> bool:
        """Export the organisation shown (or the whole register): see ``ExportController``."""
        return self.exports.export(kind, output=output, drafts_confirmed=drafts_confirmed)

    @property
    def drafts_box(self) -> QMessageBox | None:
        """The question asked before exporting drafts, while it is asked."""
        return self.exports.drafts_box

    def show_verification(self, path: Path) -> QMessageBox | None:
        """Show whether ``path`` is an intact export."""
        return self.exports.show_verification(path)

    def open_import(self) -> ImportDialog:
        """« Importer un fichier… » (Ctrl+I): preview, then import into the organisation shown."""
        self.commit_pending()
        dialog = ImportDialog(self.register, self.organisation_id(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.imported.connect(self._load_organisations)
        dialog.imported.connect(
            lambda: self._history_boundary(
                self.tr(
                    "Import terminé. Un import ne s'annule pas avec Ctrl+Z : les modifications "
                    "faites avant lui ne peuvent plus être annulées non plus."
                )
            )
        )
        dialog.open()
        return dialog

    def _history_boundary(self, message: str) -> None:
        """After a change made outside « Annuler » (an import, a template update), the steps
        before it may no longer apply: the history starts again from here, and says so."""
        self.recorder.stack.clear()
        self.statusBar().showMessage(message, 30_000)

    def open_template_updates(self) -> TemplateUpdatesDialog:
        """« Mises à jour du catalogue… »: activities whose template has a newer version."""
        self.commit_pending()
        dialog = TemplateUpdatesDialog(self.register, self.organisation_id(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.changed.connect(self.reload)
        dialog.changed.connect(
            lambda: self._history_boundary(
                self.tr(
                    "Mise à jour du modèle appliquée. Elle ne s'annule pas avec Ctrl+Z ; "
                    "l'historique du registre garde les anciennes valeurs."
                )
            )
        )
        dialog.open()
        return dialog

    # -- locking -----------------------------------------------------------------------------

    def set_lock_delay(self, delay_ms: int) -> None:
        """Lock after ``delay_ms`` milliseconds without user input (preferences, tests)."""
        self.inactivity.set_delay(delay_ms)

    def lock(self) -> None:
        """Hide the register, drop its key and connections; ask for the passphrase (Ctrl+L)."""
        if self.locked or self.register.closed:
            return
        if self.export_runner.busy:  # the export needs the register: lock once it is done
            self.inactivity.start()
            return
        if self.release_register():
            self.request_unlock()

    def release_register(self) -> bool:
        """Close the register and show the locked page (locking, changing the passphrase);
        False when it cannot be let go now (already locked, an export running)."""
        if self.locked or self.register.closed or self.export_runner.busy:
            return False
        self.commit_pending()
        self.inactivity.stop()
        self._remember_summary()
        self.check_runner.stop()
        if self.organisation_dialog is not None:
            self.organisation_dialog.close()
        if self._secretary is not None:  # back to this window, which shows the locked page
            self._back_from_secretary(self._secretary)
        self.recorder.stack.clear()  # the history holds register content
        self._clear_content()
        self.register.close()  # the key leaves memory; every connection is closed
        self.locked = True
        self.pages.setCurrentWidget(self.locked_page)
        self._set_actions_enabled(False)
        self.locked_changed.emit(True)
        return True

    def _clear_content(self) -> None:
        """Forget every value read from the register."""
        for tab in self.record_tabs:
            tab.clear()
        self.history_page.clear()
        self.control_page.clear()
        self.organisation_combo.blockSignals(True)
        self.organisation_combo.clear()
        self.organisation_combo.blockSignals(False)
        self.activities.update_count()

    def _set_actions_enabled(self, enabled: bool) -> None:
        for action in self.actions():
            if action not in (self.close_action, self.quit_action):
                action.setEnabled(enabled)
        self.menuBar().setEnabled(True)
        self.pdf_toolbar_action.setEnabled(enabled and pdf_available())
        if enabled:
            editable = not self.register.read_only
            for action in self.edit_actions:
                action.setEnabled(editable)
            for kind in EXPORT_KINDS:
                available = pdf_available() if kind.format == "pdf" else interchange_available()
                self.export_actions[kind.key].setEnabled(available)
            self.verify_action.setEnabled(pdf_available())
            self._update_history_actions()

    def request_unlock(self) -> UnlockDialog | None:
        """Show the unlock dialog of the locked register."""
        if not self.locked:
            return None
        if self.unlock_dialog is not None and self.unlock_dialog.isVisible():
            self.unlock_dialog.raise_()
            return self.unlock_dialog
        dialog = UnlockDialog(self.register.directory, self)
        dialog.read_only = self.register.read_only
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.unlocked.connect(self.resume)
        dialog.open()
        self.unlock_dialog = dialog
        return dialog

    def resume(self, register: Register) -> None:
        """Show the register again, as it is now (unlocked, or reopened under a new key)."""
        self.register = register
        self.recorder.set_register(register)
        self.locked = False
        self.unlock_dialog = None
        self.read_only_label.setVisible(register.read_only)
        editable = not register.read_only
        for tab in self.record_tabs:
            tab.set_editable(editable)
        self.pages.setCurrentWidget(self.content)
        self._set_actions_enabled(True)
        self._load_organisations()
        self.inactivity.start()
        self.locked_changed.emit(False)

    # -- closing -----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the field being typed into, close the register and tell the application."""
        was_open = not self.register.closed or self.locked
        if not self.register.closed:
            self.commit_pending()
        if self.export_runner.busy:  # the export writes to the register: let it end first
            event.ignore()
            return
        self.inactivity.stop()
        if not self.locked:
            self._remember_summary()
        self.check_runner.stop()
        self.register.close()
        self.settings.save_window_state("register", self.saveGeometry(), self.saveState())
        self.settings.sync()
        super().closeEvent(event)
        if was_open:
            self.closed.emit()
