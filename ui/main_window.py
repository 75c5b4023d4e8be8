"""The window of an open register: its organisations, activities, processors, software, history.

Closing the window closes the register, which drops its key from memory.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from registre import services
from registre.errors import RegistreError
from registre.schema import ACTIVITY, PROCESSOR, SOFTWARE
from registre.storage import Register
from ui.detail import ActivityDetailView
from ui.messages import show_error
from ui.models import (
    ActivityFilterProxy,
    ActivityTableModel,
    AuditTableModel,
    ReadOnlyTableModel,
    RecordTableModel,
    SearchFilterProxy,
)
from ui.values import plural_label
from ui.widgets import RecordTableView

PREFERRED_SIZE = (1440, 880)


class RegisterWindow(QMainWindow):
    """Browses one open register; ``closed`` is emitted once the register is closed."""

    closed = Signal()
    quit_requested = Signal()

    def __init__(self, register: Register, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.register = register
        self._names: dict[str, str] = {}
        self.setWindowTitle(register.name)
        self._fit_to_screen()

        self.organisation_combo = QComboBox()
        self.organisation_combo.setMinimumContentsLength(30)
        self.organisation_combo.currentIndexChanged.connect(self.reload)
        organisation_label = QLabel(self.tr("&Organisme :"))
        organisation_label.setBuddy(self.organisation_combo)
        top = QHBoxLayout()
        top.addWidget(organisation_label)
        top.addWidget(self.organisation_combo)
        top.addStretch()

        self.activity_model = ActivityTableModel(self)
        self.activity_proxy = ActivityFilterProxy(self.activity_model, self)
        self.processor_model = RecordTableModel(PROCESSOR, parent=self)
        self.software_model = RecordTableModel(SOFTWARE, parent=self)
        self.audit_model = AuditTableModel(self)
        self.detail = ActivityDetailView()

        self.tabs = QTabWidget()
        self.tabs.addTab(self._activities_page(), plural_label(ACTIVITY))
        self.processor_table = self._record_table(self.processor_model, plural_label(PROCESSOR))
        self.software_table = self._record_table(self.software_model, plural_label(SOFTWARE))
        self.audit_table = self._record_table(self.audit_model, self.tr("Historique"))
        self.audit_table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.tabs.addTab(self.processor_table, plural_label(PROCESSOR))
        self.tabs.addTab(self.software_table, plural_label(SOFTWARE))
        self.tabs.addTab(self.audit_table, self.tr("Historique"))

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)
        self._build_status_bar()
        self._build_menus()
        self._load_organisations()

    # -- construction ------------------------------------------------------------------------

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
            self.status_combo.addItem(status_field.choice_label(choice.key), choice.key)
        self.status_combo.currentIndexChanged.connect(self._on_status_changed)
        status_label = QLabel(self.tr("É&tat :"))
        status_label.setBuddy(self.status_combo)

        filters = QHBoxLayout()
        filters.addWidget(self.search_edit, 1)
        filters.addWidget(status_label)
        filters.addWidget(self.status_combo)

        self.activity_table = RecordTableView(plural_label(ACTIVITY))
        self.activity_table.priority_column = self.activity_model.name_column
        self.activity_table.setModel(self.activity_proxy)
        self.activity_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.activity_table.selectionModel().currentRowChanged.connect(self._on_current_activity)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.activity_table, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([500, 500])  # proportions, whatever the window's width
        return splitter

    @staticmethod
    def _record_table(model: ReadOnlyTableModel, accessible_name: str) -> RecordTableView:
        view = RecordTableView(accessible_name)
        view.setModel(SearchFilterProxy(model, view))
        view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        return view

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.register_label = QLabel(self.tr("Registre « {name} »").format(name=self.register.name))
        self.register_label.setTextFormat(Qt.TextFormat.PlainText)
        bar.addWidget(self.register_label)
        if self.register.read_only:
            self.read_only_label = QLabel(self.tr("lecture seule"))
            self.read_only_label.setStyleSheet("QLabel { font-weight: bold; }")
            self.read_only_label.setToolTip(
                self.tr("Le registre est ouvert en lecture seule : aucune modification possible.")
            )
            bar.addWidget(self.read_only_label)
        if self.register.demo:
            bar.addWidget(QLabel(self.tr("démonstration")))
        self.count_label = QLabel()
        bar.addPermanentWidget(self.count_label)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&Fichier"))
        close_action = QAction(self.tr("&Fermer le registre"), self)
        close_action.setShortcut(QKeySequence("Ctrl+W"))
        close_action.triggered.connect(self.close)
        quit_action = QAction(self.tr("&Quitter"), self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.quit_requested)
        file_menu.addAction(close_action)
        file_menu.addSeparator()
        file_menu.addAction(quit_action)

        view_menu = self.menuBar().addMenu(self.tr("&Affichage"))
        search_action = QAction(self.tr("&Rechercher un traitement"), self)
        search_action.setShortcut(QKeySequence("Ctrl+F"))
        search_action.triggered.connect(self.focus_search)
        view_menu.addAction(search_action)
        view_menu.addSeparator()
        for position in range(self.tabs.count()):
            action = QAction(self.tabs.tabText(position), self)
            action.setShortcut(QKeySequence(f"Ctrl+{position + 1}"))
            action.triggered.connect(partial(self.show_tab, position))
            view_menu.addAction(action)

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
        """Show the tab at ``position`` (Ctrl+1 to Ctrl+4)."""
        self.tabs.setCurrentIndex(position)

    # -- data --------------------------------------------------------------------------------

    def _load_organisations(self) -> None:
        try:
            organisations = services.list_organisations(self.register)
        except RegistreError as error:
            show_error(self, error)
            return
        self.organisation_combo.blockSignals(True)
        self.organisation_combo.clear()
        for organisation in organisations:
            self.organisation_combo.addItem(organisation.name, organisation.id)
        if organisations:  # start with the organisation that has the most activities
            largest = max(organisations, key=lambda organisation: organisation.activities)
            self.organisation_combo.setCurrentIndex(organisations.index(largest))
        self.organisation_combo.blockSignals(False)
        self.reload()

    def organisation_id(self) -> str | None:
        """The selected organisation."""
        value = self.organisation_combo.currentData()
        return value if isinstance(value, str) else None

    def reload(self) -> None:
        """Read the selected organisation's records and the history again."""
        organisation_id = self.organisation_id()
        try:
            if organisation_id is None:
                activities, processors, software = [], [], []
            else:
                activities = services.list_activities(self.register, organisation_id)
                processors = services.list_records(self.register, "processor", organisation_id)
                software = services.list_records(self.register, "software", organisation_id)
            entries = services.audit_entries(self.register)
        except RegistreError as error:
            show_error(self, error)
            return
        self._names = {record["id"]: record["name"] for record in [*processors, *software]}
        self._names.update({activity.id: activity.name for activity in activities})
        self.activity_model.set_activities(activities)
        self.processor_model.set_records(processors, self._names)
        self.software_model.set_records(software, self._names)
        self.audit_model.set_entries(entries, self._names)
        self.detail.clear()
        self._update_count()

    # -- activities --------------------------------------------------------------------------

    def focus_search(self) -> None:
        """Go to the activity search field (Ctrl+F)."""
        self.tabs.setCurrentIndex(0)
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _on_search_changed(self, text: str) -> None:
        self.activity_proxy.set_search_text(text)
        self._update_count()

    def _on_status_changed(self) -> None:
        self.activity_proxy.set_status(self.status_combo.currentData())
        self._update_count()

    def select_activity(self, activity_id: str) -> bool:
        """Select the activity ``activity_id`` if it is listed; True when it is."""
        source_row = self.activity_model.row_of(activity_id)
        if source_row < 0:
            return False
        index = self.activity_proxy.mapFromSource(self.activity_model.index(source_row, 0))
        if not index.isValid():
            return False
        self.activity_table.selectRow(index.row())
        self.activity_table.scrollTo(index)
        return True

    def _on_current_activity(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.detail.clear()
            return
        activity_id = self.activity_proxy.record_id(current)
        if activity_id == self.detail.activity_id:
            return
        try:
            record = services.record_of(self.register, ACTIVITY.name, activity_id)
        except RegistreError as error:
            show_error(self, error)
            return
        self.detail.show_activity(record, self._names)

    def _update_count(self) -> None:
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

    # -- closing -----------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        """Close the register (its key leaves memory) and tell the application."""
        was_open = not self.register.closed
        self.register.close()
        super().closeEvent(event)
        if was_open:
            self.closed.emit()
