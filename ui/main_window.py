"""The window of an open register: its organisations, activities, software, processors, history.

Every edit is saved at once through ``ChangeRecorder`` (one service call, one transaction) and
can be undone (Ctrl+Z) or redone (Ctrl+Shift+Z). Closing the window closes the register, which
drops its key from memory.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from registre import services
from registre.checker import Finding
from registre.errors import RecordNotFound, RegistreError
from registre.schema import ACTIVITY, ORGANISATION, PROCESSOR, SOFTWARE, Entity
from registre.services import ROW_COLLECTIONS
from registre.storage import Register
from registre_ui.checks import CheckResult, CheckRunner
from registre_ui.control import ControlPage, render_findings
from registre_ui.detail import ActivityDetailView
from registre_ui.editing import ChangeEvent, ChangeRecorder
from registre_ui.editor import Options, RecordEditor
from registre_ui.exports import (
    EXPORT_KINDS,
    ExportKind,
    ExportOutcome,
    ExportRunner,
    interchange_available,
    pdf_available,
    suggested_name,
)
from registre_ui.help import HELP_LABEL, HelpMenu
from registre_ui.history import HistoryPage
from registre_ui.i18n import language
from registre_ui.import_dialog import ImportDialog
from registre_ui.locking import InactivityWatcher
from registre_ui.messages import show_error
from registre_ui.models import (
    ActivityFilterProxy,
    ActivityTableModel,
    Completeness,
    activity_summary,
)
from registre_ui.pages import InventoryPage
from registre_ui.preferences import PreferencesDialog
from registre_ui.references import ReferencesPage
from registre_ui.secretary import SecretaryWindow
from registre_ui.settings import Settings
from registre_ui.team_open import is_team_register
from registre_ui.template_updates import TemplateUpdatesDialog
from registre_ui.unlock import UnlockDialog
from registre_ui.values import plural_label
from registre_ui.widgets import (
    NOTICE_STYLE,
    RecordTableView,
    heading_label,
    install_wheel_guard,
    plain_label,
)
from registre_ui.wizard import DeclarationWizard

PREFERRED_SIZE = (1440, 880)
DRAFTS_LISTED = 8  # drafts named before an official export; the others are counted


class OrganisationDialog(QDialog):
    """The organisation's own record (Article 30.1.a), saved field by field like the others."""

    def __init__(self, recorder: ChangeRecorder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Organisme"))
        self.resize(760, 640)
        self.editor = RecordEditor(ORGANISATION, recorder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor, 1)
        layout.addWidget(buttons)

    def load(self, organisation_id: str) -> None:
        """Show the organisation ``organisation_id``."""
        self.editor.load(
            services.record_of(self.editor.recorder.register, "organisation", organisation_id)
        )

    def done(self, result: int) -> None:
        """Save the field being typed into before closing."""
        self.editor.commit_pending()
        super().done(result)


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
        self._names: dict[str, str] = {}
        self._options: Options = {}
        self.organisation_dialog: OrganisationDialog | None = None
        self.unlock_dialog: UnlockDialog | None = None
        self._secretary: SecretaryWindow | None = None
        self.locked = False
        self.settings = Settings()
        self.inactivity = InactivityWatcher(self.settings.lock_minutes * 60_000, self)
        self.inactivity.timed_out.connect(self.lock)
        self.export_runner = ExportRunner(self)
        self.export_runner.finished.connect(self._export_finished)
        self.export_runner.failed.connect(self._export_failed)
        self.export_folder: Path | None = None
        self.drafts_box: QMessageBox | None = None  # the question before exporting drafts
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

        self.activity_model = ActivityTableModel(self)
        self.activity_proxy = ActivityFilterProxy(self.activity_model, self)
        self.detail = ActivityDetailView()
        self.editor: RecordEditor | None = None
        if not register.read_only:
            self.editor = RecordEditor(
                ACTIVITY,
                self.recorder,
                placeholder=self.tr(
                    "Sélectionnez un traitement pour afficher sa fiche, ou créez-en un avec "
                    "« Nouveau traitement » (Ctrl+N)."
                ),
            )

        self.software_page = InventoryPage(SOFTWARE, self.recorder)
        self.processor_page = InventoryPage(PROCESSOR, self.recorder)
        for page in (self.software_page, self.processor_page):
            page.new_requested.connect(partial(self.new_inventory_record, page.entity))
            page.delete_requested.connect(partial(self.delete_inventory_record, page.entity))
        self.software_table = self.software_page.table
        self.processor_table = self.processor_page.table
        self.processor_model = self.processor_page.model
        self.software_model = self.software_page.model

        self.control_page = ControlPage()
        self.control_page.open_requested.connect(self.open_finding)

        self.tabs = QTabWidget()
        self.activities_page = self._activities_page()
        self.history_page = HistoryPage()
        self.audit_model = self.history_page.model
        self.audit_table = self.history_page.table
        self.tabs.addTab(self.activities_page, plural_label(ACTIVITY))
        self.tabs.addTab(self.software_page, plural_label(SOFTWARE))
        self.tabs.addTab(self.processor_page, plural_label(PROCESSOR))
        self.references_page = ReferencesPage()
        self.tabs.addTab(self.references_page, self.tr("Référentiels"))
        self.tabs.addTab(self.control_page, self.tr("Contrôle"))
        self.tabs.addTab(self.history_page, self.tr("Historique"))

        self.content = QWidget()
        layout = QVBoxLayout(self.content)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.content)
        self.locked_page = self._locked_page()
        self.pages.addWidget(self.locked_page)
        self.setCentralWidget(self.pages)
        self._build_status_bar()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._update_history_actions()
        self._restore_window_state()
        self._load_organisations()
        self.inactivity.start()

    # -- construction ------------------------------------------------------------------------

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

    def _locked_page(self) -> QWidget:
        page = QWidget()
        title = heading_label(self.tr("Registre verrouillé"), scale=1.5)
        self.locked_label = plain_label(
            self.tr(
                "Le registre « {name} » est verrouillé : son contenu est masqué et sa clé a été "
                "effacée de la mémoire. Saisissez la phrase de passe pour continuer."
            ).format(name=self.register.name)
        )
        self.locked_label.setStyleSheet(NOTICE_STYLE)
        self.unlock_button = QPushButton(self.tr("&Déverrouiller…"))
        self.unlock_button.clicked.connect(self.request_unlock)
        close_button = QPushButton(self.tr("&Fermer le registre"))
        close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.unlock_button)
        buttons.addWidget(close_button)
        buttons.addStretch()
        layout = QVBoxLayout(page)
        layout.addStretch()
        layout.addWidget(title)
        layout.addWidget(self.locked_label)
        layout.addLayout(buttons)
        layout.addStretch(2)
        return page

    def _activities_page(self) -> QWidget:
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Rechercher…"))
        self.search_edit.setAccessibleName(self.tr("Rechercher un traitement"))
        self.search_edit.setToolTip(
            self.tr("Cherche dans toutes les colonnes, sans tenir compte des accents (Ctrl+F)")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.textChanged.connect(self._on_search_changed)

        self.status_combo = QComboBox()
        self.status_combo.addItem(self.tr("Tous"), None)
        status_field = ACTIVITY.field("status")
        for choice in status_field.choices:
            self.status_combo.addItem(status_field.choice_label(choice.key, language()), choice.key)
        self.status_combo.currentIndexChanged.connect(self._on_status_changed)
        status_label = QLabel(self.tr("É&tat :"))
        status_label.setBuddy(self.status_combo)

        self.service_combo = QComboBox()
        self.service_combo.setMinimumContentsLength(14)
        self.service_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.service_combo.currentIndexChanged.connect(self._on_service_changed)
        service_label = QLabel(self.tr("Ser&vice :"))
        service_label.setBuddy(self.service_combo)
        self.incomplete_check = QCheckBox(self.tr("&Incomplets seulement"))
        self.incomplete_check.setToolTip(
            self.tr("Seulement les fiches qui ne remplissent pas toutes les exigences (< 100 %)")
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
        splitter.addWidget(self.editor if self.editor is not None else self.detail)
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
        for key, text, slot in (
            (
                "organisation",
                self.tr("1. Compléter la fiche de l'organisme…"),
                self.edit_organisation,
            ),
            ("wizard", self.tr("2. Déclarer un premier traitement (assistant)…"), self.open_wizard),
            ("new", self.tr("Ou créer une fiche de traitement vide"), self.new_activity),
            ("new_organisation", self.tr("Ajouter un organisme…"), self.ask_new_organisation),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
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
        editable = not self.register.read_only
        no_organisation = self.organisation_combo.count() == 0
        if no_organisation:
            self.empty_title.setText(self.tr("Ce registre ne contient encore aucun organisme"))
            text = self.tr(
                "Ajoutez d'abord l'organisme dont vous tenez le registre (commune, CCAS, "
                "syndicat…) : ses traitements y seront rattachés."
            )
        else:
            self.empty_title.setText(self.tr("Aucun traitement pour l'instant"))
            text = self.tr(
                "Commencez par la fiche de l'organisme (nom, adresse, représentant, délégué à "
                "la protection des données), puis déclarez les traitements un par un : "
                "l'assistant pose une question par page, à partir d'un modèle de traitement "
                "courant des communes. L'onglet « Contrôle » dira ensuite ce qui manque."
            )
        if not editable:
            text = self.tr("Ce registre est ouvert en lecture seule : rien à afficher ici.")
        self.empty_text.setText(text)
        for key, button in self.empty_buttons.items():
            wanted = (key == "new_organisation") == no_organisation
            button.setVisible(editable and wanted)
        self.activity_stack.setCurrentWidget(self.empty_page)

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
        self.count_label = QLabel()
        bar.addPermanentWidget(self.count_label)

    def _action(
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
        self.new_activity_action = self._action(
            self.tr("&Nouveau traitement"), self.new_activity, ("Ctrl+N",)
        )
        self.wizard_action = self._action(
            self.tr("&Déclarer un traitement (assistant)…"),
            self.open_wizard,
            ("Ctrl+Shift+N",),
            self.tr("Questions simples, une par page, à partir d'un modèle ou de zéro"),
        )
        self.secretary_action = self._action(
            self.tr("Mode &secrétariat"),
            self.open_secretary_mode,
            ("Ctrl+Shift+M",),
            self.tr("Fenêtre simplifiée : traitements, assistant, points à compléter"),
        )
        self.delete_activity_action = self._action(
            self.tr("&Supprimer le traitement…"), self.delete_current_activity, ("Ctrl+Del",)
        )
        self.undo_action = self._action(
            self.tr("&Annuler"), self.undo, (QKeySequence.StandardKey.Undo,)
        )
        self.redo_action = self._action(
            self.tr("&Rétablir"),
            self.redo,
            ("Ctrl+Shift+Z", QKeySequence.StandardKey.Redo),
        )
        self.undo_action.setProperty(HELP_LABEL, self.tr("&Annuler"))
        self.redo_action.setProperty(HELP_LABEL, self.tr("&Rétablir"))
        self.organisation_action = self._action(
            self.tr("&Fiche de l'organisme…"), self.edit_organisation, ("Ctrl+Shift+O",)
        )
        self.new_organisation_action = self._action(
            self.tr("Nouvel &organisme…"), self.ask_new_organisation
        )
        self.template_updates_action = self._action(
            self.tr("Mises à jour du &catalogue…"),
            self.open_template_updates,
            tooltip=self.tr("Fiches dont le modèle a une version plus récente"),
        )
        self.new_software_action = self._action(
            self.tr("Nouveau &logiciel"), partial(self.new_inventory_record, SOFTWARE)
        )
        self.new_processor_action = self._action(
            self.tr("Nouveau so&us-traitant"), partial(self.new_inventory_record, PROCESSOR)
        )
        self.delete_software_action = self._action(
            self.tr("Supprimer le logiciel…"), self.software_page.request_delete
        )
        self.delete_processor_action = self._action(
            self.tr("Supprimer le sous-traitant…"), self.processor_page.request_delete
        )
        self.export_actions: dict[str, QAction] = {}
        for kind in EXPORT_KINDS:
            shortcuts: tuple[str, ...] = {
                "pdf-full": ("Ctrl+E",),
                "pdf-art30": ("Ctrl+Shift+E",),
            }.get(kind.key, ())
            action = self._action(kind.title(), partial(self.export, kind), shortcuts)
            available = pdf_available() if kind.format == "pdf" else interchange_available()
            if not available:
                action.setEnabled(False)
                action.setToolTip(self.tr("Cet export n'est pas disponible dans cette version."))
            self.export_actions[kind.key] = action
        self.pdf_toolbar_action = QAction(self.tr("Exporter en PDF"), self)
        self.pdf_toolbar_action.setToolTip(self.tr("Exporter le registre complet en PDF (Ctrl+E)"))
        self.pdf_toolbar_action.triggered.connect(partial(self.export, EXPORT_KINDS[0]))
        self.pdf_toolbar_action.setEnabled(pdf_available())
        self.import_action = self._action(
            self.tr("&Importer un fichier…"), self.open_import, ("Ctrl+I",)
        )
        self.verify_action = self._action(self.tr("&Vérifier un PDF exporté…"), self.verify_pdf)
        self.verify_action.setEnabled(pdf_available())
        self.lock_action = self._action(
            self.tr("&Verrouiller"),
            self.lock,
            ("Ctrl+L",),
            self.tr("Masque le registre et efface sa clé de la mémoire (Ctrl+L)"),
        )
        self.close_action = self._action(self.tr("&Fermer le registre"), self.close, ("Ctrl+W",))
        self.quit_action = self._action(self.tr("&Quitter"), self.quit_requested, ("Ctrl+Q",))
        self.preferences_action = self._action(
            self.tr("&Préférences…"), self.open_preferences, ("Ctrl+,",)
        )
        self.search_action = self._action(
            self.tr("&Rechercher un traitement"), self.focus_search, ("Ctrl+F",)
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
        ]
        for action in self.edit_actions:
            action.setEnabled(editable)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&Fichier"))
        file_menu.addAction(self.new_activity_action)
        file_menu.addAction(self.wizard_action)
        file_menu.addSeparator()
        self.file_menu = file_menu
        self.export_menu = file_menu.addMenu(self.tr("&Exporter"))
        for key, action in self.export_actions.items():
            if key == "json":
                self.export_menu.addSeparator()
            self.export_menu.addAction(action)
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.verify_action)
        file_menu.addSeparator()
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self.close_action)
        file_menu.addAction(self.quit_action)

        edit_menu = self.menuBar().addMenu(self.tr("É&dition"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.new_activity_action)
        edit_menu.addAction(self.delete_activity_action)
        edit_menu.addAction(self.new_software_action)
        edit_menu.addAction(self.new_processor_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.organisation_action)
        edit_menu.addAction(self.new_organisation_action)
        edit_menu.addAction(self.template_updates_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.preferences_action)
        self.edit_menu = edit_menu

        view_menu = self.menuBar().addMenu(self.tr("&Affichage"))
        view_menu.addAction(self.search_action)
        view_menu.addAction(self.secretary_action)
        view_menu.addSeparator()
        self.tab_actions: list[QAction] = []
        for position in range(self.tabs.count()):
            action = self._action(
                self.tabs.tabText(position),
                partial(self.show_tab, position),
                (f"Ctrl+{position + 1}",),
            )
            view_menu.addAction(action)
            self.tab_actions.append(action)
        self.view_menu = view_menu
        self.help_menu = HelpMenu(self)
        self.menuBar().addMenu(self.help_menu)

    def _build_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Barre d'outils"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar = toolbar
        self.tab_tools: dict[QWidget, list[QAction]] = {
            self.activities_page: [
                self.new_activity_action,
                self.wizard_action,
                self.delete_activity_action,
            ],
            self.software_page: [self.new_software_action, self.delete_software_action],
            self.processor_page: [self.new_processor_action, self.delete_processor_action],
        }
        self.tabs.currentChanged.connect(self._fill_toolbar)
        self._fill_toolbar()
        self.addToolBar(toolbar)

    def _fill_toolbar(self) -> None:
        """The tools of the tab shown, then undo, redo, export and lock."""
        toolbar = self.toolbar
        toolbar.clear()
        tools = self.tab_tools.get(self.tabs.currentWidget(), [])
        for action in tools:
            toolbar.addAction(action)
        if tools:
            toolbar.addSeparator()
        toolbar.addAction(self.undo_action)
        toolbar.addAction(self.redo_action)
        toolbar.addSeparator()
        toolbar.addAction(self.pdf_toolbar_action)
        toolbar.addSeparator()
        toolbar.addAction(self.lock_action)

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
        if self.editor is not None:
            self.editor.commit_pending()
        self.reload()

    def reload(self) -> None:
        """Read the selected organisation's records and history again."""
        organisation_id = self.organisation_id()
        try:
            if organisation_id is None:
                activities, processors, software = [], [], []
            else:
                activities = services.list_activities(self.register, organisation_id)
                processors = services.list_records(self.register, "processor", organisation_id)
                software = services.list_records(self.register, "software", organisation_id)
        except RegistreError as error:
            show_error(self, error)
            return
        self._names = {record["id"]: record["name"] for record in [*processors, *software]}
        self._options = {
            "processor": [(record["id"], record["name"]) for record in processors],
            "software": [(record["id"], record["name"]) for record in software],
        }
        self.activity_model.set_activities(activities)
        self._fill_services()
        self.control_page.set_organisation(organisation_id)
        self.processor_page.set_records(processors, self._names, self._options)
        self.software_page.set_records(software, self._names, self._options)
        self._names.update({activity.id: activity.name for activity in activities})
        self._reload_audit()
        self.detail.clear()
        if self.editor is not None:
            self.editor.clear()
        self._update_count()
        if self.check_runner.last is None:
            self.control_page.show_pending()
            self.check_runner.schedule()  # once the window is shown: it never waits for it
        else:
            self._apply_scores(self.check_runner.last)

    def _reload_inventory(self) -> None:
        """Read the processors and software again (their lists feed the activity form)."""
        organisation_id = self.organisation_id()
        if organisation_id is None:
            return
        processors = services.list_records(self.register, "processor", organisation_id)
        software = services.list_records(self.register, "software", organisation_id)
        names = {record["id"]: record["name"] for record in [*processors, *software]}
        self._names.update(names)
        self._options = {
            "processor": [(record["id"], record["name"]) for record in processors],
            "software": [(record["id"], record["name"]) for record in software],
        }
        self.processor_page.set_records(processors, names, self._options)
        self.software_page.set_records(software, names, self._options)
        if self.editor is not None and self.editor.record_id is not None:
            self._load_activity(self.editor.record_id, force=True)

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
        self.history_page.set_entries(entries, self._names)

    # -- activities --------------------------------------------------------------------------

    def focus_search(self) -> None:
        """Go to the activity search field (Ctrl+F)."""
        self.tabs.setCurrentWidget(self.activities_page)
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _on_search_changed(self, text: str) -> None:
        self.activity_proxy.set_search_text(text)
        self._update_count()

    def _on_status_changed(self) -> None:
        self.activity_proxy.set_status(self.status_combo.currentData())
        self._update_count()

    def _on_service_changed(self) -> None:
        self.activity_proxy.set_service(self.service_combo.currentData())
        self._update_count()

    def _on_incomplete_toggled(self, checked: bool) -> None:
        self.activity_proxy.set_incomplete_only(checked)
        self._update_count()

    def _fill_services(self) -> None:
        """The service filter lists the services named in the organisation's activities."""
        current = self.service_combo.currentData()
        services_named = self.activity_model.services()
        self.service_combo.blockSignals(True)
        self.service_combo.clear()
        self.service_combo.addItem(self.tr("Tous"), None)
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
            record = services.record_of(self.register, ACTIVITY.name, activity_id)
        except RegistreError as error:
            show_error(self, error)
            return
        if self.editor is not None:
            self.editor.load(record, self._options)
        else:
            self.detail.show_activity(record, self._names)

    def new_activity(self) -> str | None:
        """Create an activity « Nouveau traitement », show it and focus its name (Ctrl+N)."""
        organisation_id = self.organisation_id()
        if organisation_id is None or self.editor is None:
            return None
        self.editor.commit_pending()
        self.clear_filters()
        try:
            change = self.recorder.run(
                services.create_activity,
                organisation_id=organisation_id,
                name=self.tr("Nouveau traitement"),
            )
        except RegistreError as error:
            show_error(self, error)
            return None
        self.tabs.setCurrentWidget(self.activities_page)
        self.select_activity(change.id)
        self.editor.focus_title()
        return change.id

    def open_wizard(self) -> DeclarationWizard | None:
        """The « Déclarer un traitement » wizard for the selected organisation."""
        organisation_id = self.organisation_id()
        if organisation_id is None or self.register.read_only:
            return None
        if self.editor is not None:
            self.editor.commit_pending()
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
        self.clear_filters()
        self.tabs.setCurrentWidget(self.activities_page)
        self.select_activity(activity_id)

    def open_secretary_mode(self) -> SecretaryWindow:
        """Switch to the simplified window; « Passer à l'espace DPO » comes back here."""
        if self.editor is not None:
            self.editor.commit_pending()
        secretary = SecretaryWindow(
            self.register, organisation_id=self.organisation_id(), recorder=self.recorder
        )
        secretary.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        secretary.dpo_workspace_requested.connect(partial(self._back_from_secretary, secretary))
        self._secretary = secretary
        secretary.show()
        self.hide()
        return secretary

    def _back_from_secretary(self, secretary: SecretaryWindow) -> None:
        self._secretary = None
        secretary.close()
        self.reload()
        self.show()

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

    def delete_current_activity(self) -> bool:
        """Delete the selected activity after confirmation (« Annuler » brings it back)."""
        activity_id = self.current_activity_id()
        if activity_id is None or self.register.read_only:
            return False
        name = self._names.get(activity_id, "")
        if not self.confirm(
            self.tr("Supprimer le traitement"),
            self.tr(
                "Supprimer le traitement « {name} » et toutes ses lignes ? "
                "Vous pourrez l'annuler avec Édition › Annuler (Ctrl+Z)."
            ).format(name=name),
        ):
            return False
        if self.register.closed:  # locked while the question was asked
            return False
        if self.editor is not None:
            self.editor.commit_pending()
        try:
            self.recorder.delete(ACTIVITY.name, activity_id)
        except RegistreError as error:
            show_error(self, error)
            return False
        return True

    def _update_count(self) -> None:
        self._show_empty_guidance()
        total = self.activity_model.rowCount()
        shown = self.activity_proxy.rowCount()
        if total == 0:
            text = self.tr("Aucun traitement")
        elif shown != total:
            text = self.tr("{shown} sur {total} traitements").format(shown=shown, total=total)
        elif total == 1:
            text = self.tr("1 traitement")
        else:
            text = self.tr("{count} traitements").format(count=total)
        self.count_label.setText(text)

    # -- processors, software, organisations -------------------------------------------------

    def new_inventory_record(self, entity: Entity, _checked: bool = False) -> str | None:
        """Create a processor or software item and show its form with the name selected."""
        organisation_id = self.organisation_id()
        if organisation_id is None or self.register.read_only:
            return None
        page = self.processor_page if entity is PROCESSOR else self.software_page
        function = services.create_processor if entity is PROCESSOR else services.create_software
        name = (
            self.tr("Nouveau sous-traitant") if entity is PROCESSOR else self.tr("Nouveau logiciel")
        )
        try:
            change = self.recorder.run(function, organisation_id=organisation_id, name=name)
        except RegistreError as error:
            show_error(self, error)
            return None
        self.tabs.setCurrentWidget(page)
        page.select(change.id)
        page.editor.focus_title()
        return change.id

    def delete_inventory_record(self, entity: Entity, record_id: str) -> bool:
        """Delete a processor or software item after confirmation."""
        name = self._names.get(record_id, "")
        question = (
            self.tr(
                "Supprimer le sous-traitant « {name} » ? Les traitements et logiciels qui le "
                "citent ne le citeront plus. Vous pourrez l'annuler (Ctrl+Z)."
            )
            if entity is PROCESSOR
            else self.tr(
                "Supprimer le logiciel « {name} » ? Les traitements qui l'utilisent ne le "
                "citeront plus. Vous pourrez l'annuler (Ctrl+Z)."
            )
        ).format(name=name)
        if not self.confirm(self.tr("Supprimer"), question) or self.register.closed:
            return False
        try:
            self.recorder.delete(entity.name, record_id)
        except RegistreError as error:
            show_error(self, error)
            return False
        return True

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
            change = self.recorder.run(services.create_organisation, name=name)
        except RegistreError as error:
            show_error(self, error)
            return None
        self._load_organisations(select=change.id)
        return change.id

    # -- changes, undo and redo --------------------------------------------------------------

    def _commit_pending(self) -> None:
        editors = [self.editor, self.software_page.editor, self.processor_page.editor]
        if self.organisation_dialog is not None:
            editors.append(self.organisation_dialog.editor)
        for editor in editors:
            if editor is not None:
                editor.commit_pending()

    def undo(self) -> None:
        """Undo the last change (Ctrl+Z)."""
        self._commit_pending()
        try:
            self.recorder.undo()
        except RegistreError as error:
            show_error(self, error)

    def redo(self) -> None:
        """Redo the last undone change (Ctrl+Shift+Z)."""
        self._commit_pending()
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
        """Bring the lists, the forms and the history up to date after a change."""
        entity = event.change.entity
        if entity == ORGANISATION.name:
            self._organisation_changed(event)
        elif entity in (PROCESSOR.name, SOFTWARE.name):
            self._inventory_changed(event)
        else:
            self._activity_changed(event)
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

    def _inventory_changed(self, event: ChangeEvent) -> None:
        change = event.change
        page = self.processor_page if change.entity == PROCESSOR.name else self.software_page
        if change.action == "updated" and "name" not in change.fields and not event.from_history:
            return
        self._reload_inventory()
        if (event.from_history and change.action != "deleted") or change.action == "created":
            self.tabs.setCurrentWidget(page)
            page.select(change.id)
            page.reload_shown()
            if event.from_history and event.keys and change.action == "updated":
                page.editor.focus_field(event.keys[0])

    def _activity_changed(self, event: ChangeEvent) -> None:
        change = event.change
        owner_id = event.owner_id
        try:
            record = services.record_of(self.register, ACTIVITY.name, owner_id)
        except RecordNotFound:
            self.activity_model.remove_row(owner_id)
            self._names.pop(owner_id, None)
            if self.editor is not None and self.editor.record_id == owner_id:
                self.editor.clear()
            self._update_count()
            return
        if record["organisation_id"] != self.organisation_id():
            if not event.from_history:
                return
            self.select_organisation(record["organisation_id"])
        self.activity_model.upsert_activity(activity_summary(record))
        self._names[owner_id] = record["name"]
        if record.get("service") and self.service_combo.findData(record["service"]) < 0:
            self._fill_services()
        self._update_count()
        if event.from_history:
            self.tabs.setCurrentWidget(self.activities_page)
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

    # -- control -----------------------------------------------------------------------------

    def _on_check(self, result: CheckResult) -> None:
        """Show a finished check: findings, dashboard and the completeness column."""
        self.control_page.set_report(result.report, result.rows)
        self._apply_scores(result)
        self.check_finished.emit()

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

    def _apply_scores(self, result: CheckResult) -> None:
        self.activity_model.set_scores(
            {
                activity_id: Completeness(score.percent, score.met, score.applicable)
                for activity_id, score in result.report.activity_scores.items()
            }
        )
        self.activity_proxy.scores_changed()
        self._update_count()

    def _on_check_failed(self, error: RegistreError) -> None:
        show_error(self, error)

    def open_finding(self, finding: Finding) -> None:
        """Show the record of ``finding`` with the field to complete focused."""
        self.select_organisation(finding.organisation_id)
        if finding.entity == ORGANISATION.name:
            dialog = self.edit_organisation()
            if dialog is not None and not dialog.editor.focus_field(finding.field):
                self.tabs.setCurrentWidget(self.activities_page)
            return
        if finding.entity in (PROCESSOR.name, SOFTWARE.name):
            page = self.processor_page if finding.entity == PROCESSOR.name else self.software_page
            self.tabs.setCurrentWidget(page)
            if page.select(finding.record_id):
                page.editor.focus_field(finding.field)
            return
        self.tabs.setCurrentWidget(self.activities_page)
        if self.select_activity(finding.record_id) and self.editor is not None:
            self.editor.focus_field(finding.field, finding.row_id)

    # -- exports -----------------------------------------------------------------------------

    def export(
        self,
        kind: ExportKind,
        _checked: bool = False,
        *,
        output: Path | None = None,
        drafts_confirmed: bool = False,
    ) -> bool:
        """Export the organisation shown (or the whole register) to a file the user picks.

        Before an official PDF holding drafts, the user is asked first (``drafts_box``): the
        export starts only once « Exporter quand même » is chosen.
        """
        if self.locked or self.export_runner.busy:
            return False
        self._commit_pending()
        official = kind.format == "pdf" and not self.register.read_only
        if official and not drafts_confirmed and self._ask_about_drafts(kind, output):
            return False
        if output is None:
            folder = self.export_folder or Path.home()
            chosen, _filter = QFileDialog.getSaveFileName(
                self,
                self.tr("Exporter"),
                str(folder / suggested_name(self.register.name, kind)),
                f"*{kind.extension}",
            )
            if not chosen:
                return False
            output = Path(chosen)
            if output.suffix.lower() != kind.extension:
                output = output.with_name(output.name + kind.extension)
        self.export_folder = output.parent
        self.statusBar().showMessage(self.tr("Export en cours…"))
        self.export_runner.start(self.register, kind, output, self.organisation_id())
        return True

    def _ask_about_drafts(self, kind: ExportKind, output: Path | None) -> bool:
        """Before an official PDF, name the activities still drafts and ask (non-blocking);
        True when the question is asked (the export then waits for the answer)."""
        organisation_id = None if kind.whole_register else self.organisation_id()
        try:
            drafts = [
                activity
                for activity in services.list_activities(self.register, organisation_id)
                if activity.status == "draft"
            ]
        except RegistreError as error:
            show_error(self, error)
            return True
        if not drafts:
            return False
        names = "\n".join(
            "• " + " ".join(part for part in (activity.reference, activity.name) if part)
            for activity in drafts[:DRAFTS_LISTED]
        )
        if len(drafts) > DRAFTS_LISTED:
            names += "\n" + self.tr("… et {count} autres").format(count=len(drafts) - DRAFTS_LISTED)
        if len(drafts) == 1:
            question = self.tr(
                "1 traitement est encore un brouillon, non validé par le DPO. Il figurera "
                "dans le PDF avec la mention « Brouillon »."
            )
        else:
            question = self.tr(
                "{count} traitements sont encore des brouillons, non validés par le DPO. Ils "
                "figureront dans le PDF avec la mention « Brouillon »."
            ).format(count=len(drafts))
        box = QMessageBox(self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Exporter des brouillons ?"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(question)
        box.setInformativeText(names)
        export = box.addButton(self.tr("&Exporter quand même"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(self.tr("Annuler"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        export.clicked.connect(lambda: self.export(kind, output=output, drafts_confirmed=True))
        self.drafts_box = box
        box.open()
        return True

    def _export_finished(self, outcome: ExportOutcome) -> None:
        if outcome.cancelled:
            self.statusBar().showMessage(self.tr("Export annulé."), 10_000)
            return
        if outcome.pages:
            text = self.tr("Export enregistré : {file} ({pages} pages, SHA-256 {digest}…)").format(
                file=outcome.path, pages=outcome.pages, digest=outcome.sha256[:16]
            )
        else:
            text = self.tr("Export enregistré : {file}").format(file=outcome.path)
        self.statusBar().showMessage(text, 30_000)
        if not self.register.closed:
            self._reload_audit()

    def _export_failed(self, error: RegistreError) -> None:
        self.statusBar().clearMessage()
        show_error(self, error)

    def open_import(self) -> ImportDialog:
        """« Importer un fichier… » (Ctrl+I): preview, then import into the organisation shown."""
        self._commit_pending()
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
        self._commit_pending()
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

    def verify_pdf(self) -> None:
        """Tell whether a PDF is an intact export of a register (« Vérifier un PDF… »)."""
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            self.tr("Vérifier un PDF exporté"),
            str(self.export_folder or Path.home()),
            "*.pdf",
        )
        if chosen:
            self.show_verification(Path(chosen))

    def show_verification(self, path: Path) -> QMessageBox | None:
        """Show the verdict on ``path``."""
        from registre.signing import verify_pdf

        try:
            result = verify_pdf(path)
        except RegistreError as error:
            show_error(self, error)
            return None
        box = QMessageBox(self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setIcon(QMessageBox.Icon.Information if result.intact else QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Vérification du PDF"))
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(result.message(language()))
        box.setInformativeText(
            self.tr("Empreinte SHA-256 du fichier : {digest}").format(digest=result.sha256)
        )
        box.open()
        return box

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
        self._commit_pending()
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
        self.request_unlock()

    def _clear_content(self) -> None:
        """Forget every value read from the register."""
        self.activity_model.set_activities([])
        self.activity_model.set_scores({})
        self.processor_page.set_records([], {}, {})
        self.software_page.set_records([], {}, {})
        self.history_page.clear()
        self.control_page.clear()
        self.detail.clear()
        if self.editor is not None:
            self.editor.clear()
        self._names = {}
        self._options = {}
        self.organisation_combo.blockSignals(True)
        self.organisation_combo.clear()
        self.organisation_combo.blockSignals(False)
        self._update_count()

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
        dialog.unlocked.connect(self._unlocked)
        dialog.open()
        self.unlock_dialog = dialog
        return dialog

    def _unlocked(self, register: Register) -> None:
        """Show the register again, as it is now."""
        self.register = register
        self.recorder.set_register(register)
        self.locked = False
        self.unlock_dialog = None
        self.read_only_label.setVisible(register.read_only)
        editable = not register.read_only
        for editor in (self.editor, self.software_page.editor, self.processor_page.editor):
            if editor is not None:
                editor.set_editable(editable)
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
            self._commit_pending()
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
