"""The secretary's window: the organisation's activities, « Déclarer un traitement », « À
compléter ».

Entry point: ``SecretaryWindow(register, parent=None, organisation_id=None)``. A simplified
workspace for a secretary who is not an IT person: big buttons, the list of the
organisation's activities (« Les traitements de la commune », « … du CCAS », after its kind)
with a plain status (« Complet », « À compléter (3 points) »), and the points to complete
(the questions noted for the DPO and the checker's errors and warnings, in plain words).
« Fiche en PDF… » writes the fiche with the register's PDF engine (the same file as
``registre export --activity``), says where and opens it to be printed or sent. « Passer à
l'espace DPO » asks first, then emits ``dpo_workspace_requested``: the application shows the
full register window.
``activity_created(str)`` relays the wizard's new activity.

Everything is read through service functions (``services``, ``checker.check_register``).
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QCloseEvent, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from registre import checker, services
from registre.checker import Finding
from registre.declaration import Fiche, saved_fiche, todo_text, write_fiche_pdf
from registre.errors import RegistreError
from registre.presentation import organisation_of
from registre.schema import ACTIVITY, ORGANISATION
from registre.storage import Register
from registre.todos import TodoItem, list_todos
from registre_ui.editing import ChangeRecorder
from registre_ui.exchange_send import SendFichesDialog
from registre_ui.i18n import language
from registre_ui.messages import show_error
from registre_ui.values import fold_text
from registre_ui.widgets import NOTICE_STYLE, plain_label
from registre_ui.wizard import (
    DeclarationWizard,
    finding_text,
    open_points,
    save_fiche_pdf,
)

BIG_BUTTON_HEIGHT = 48
SORT_ROLE = Qt.ItemDataRole.UserRole + 1  # names without accents: « École » sorts with « E »

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ActivityState:
    """One activity as the secretary sees it: its name and what remains to complete."""

    id: str
    name: str
    service: str
    status: str
    todos: list[str] = field(default_factory=list)  # open to-dos, as the interface shows them
    findings: list[Finding] = field(default_factory=list)  # open errors and warnings

    @property
    def points(self) -> int:
        """How many points remain to complete."""
        return len(self.todos) + len(self.findings)

    def point_texts(self) -> list[str]:
        """Each point in plain words."""
        lines = [
            QCoreApplication.translate("SecretaryWindow", "À voir avec le DPO : {question}").format(
                question=todo
            )
            for todo in self.todos
        ]
        return lines + [finding_text(finding) for finding in self.findings]


def activity_states(register: Register, organisation_id: str) -> list[ActivityState]:
    """The organisation's activities with their to-dos and open checker findings."""
    report = checker.check_register(register, organisation_id)
    open_todos: dict[str, list[TodoItem]] = {}
    for item in list_todos(register, organisation_id=organisation_id, open_only=True):
        open_todos.setdefault(item.activity_id, []).append(item)
    states = []
    for summary in services.list_activities(register, organisation_id):
        items = open_todos.get(summary.id, [])
        states.append(
            ActivityState(
                id=summary.id,
                name=summary.name,
                service=summary.service or "",
                status=summary.status,
                todos=[todo_text(item.question, item.text, language()) for item in items],
                findings=open_points(
                    report.findings_for(summary.id), [item.question or "" for item in items]
                ),
            )
        )
    return sorted(states, key=lambda state: fold_text(state.name))


class ActivityStatesModel(QAbstractTableModel):
    """The activity list of the secretary window: name, department, plain status."""

    NAME, SERVICE, STATUS = range(3)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.states: list[ActivityState] = []

    def set_states(self, states: list[ActivityState]) -> None:
        """Replace the rows."""
        self.beginResetModel()
        self.states = list(states)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Number of activities (0 under an item: the model is flat)."""
        return 0 if parent.isValid() else len(self.states)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        """Three columns (0 under an item)."""
        return 0 if parent.isValid() else 3

    def status_text(self, state: ActivityState) -> str:
        """« Complet » or « À compléter (n points) »."""
        if state.points == 0:
            if state.status == "validated":
                return self.tr("Complet, validé par le DPO")
            return self.tr("Complet")
        if state.points == 1:
            return self.tr("À compléter (1 point)")
        return self.tr("À compléter ({count} points)").format(count=state.points)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Text, sort key and tooltip of a cell."""
        if not index.isValid() or not 0 <= index.row() < len(self.states):
            return None
        state = self.states[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (state.name, state.service, self.status_text(state))[column]
        if role == Qt.ItemDataRole.UserRole:
            return state.id
        if role == SORT_ROLE:
            return (fold_text(state.name), fold_text(state.service), state.points)[column]
        if role == Qt.ItemDataRole.ToolTipRole and column == self.STATUS and state.points:
            return "\n".join(state.point_texts())
        if role == Qt.ItemDataRole.FontRole and column == self.STATUS and state.points:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        """Column titles (labels of the schema where there is one)."""
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        if not 0 <= section < 3:
            return None
        return (
            ACTIVITY.field("name").label(language()),
            ACTIVITY.field("service").label(language()),
            self.tr("État"),
        )[section]


class SecretaryWindow(QMainWindow):
    """The secretary's workspace: declare, see what is declared, see what remains to do."""

    dpo_workspace_requested = Signal()
    activity_created = Signal(str)
    closed = Signal()  # the window was closed (its title bar's cross, Alt+F4)

    def __init__(
        self,
        register: Register,
        parent: QWidget | None = None,
        *,
        organisation_id: str | None = None,
        recorder: ChangeRecorder | None = None,
    ) -> None:
        super().__init__(parent)
        self.register = register
        self.recorder = recorder  # shared with the DPO's window: Ctrl+Z undoes a declaration
        self.organisations = services.list_organisations(register)
        known = {organisation.id for organisation in self.organisations}
        if organisation_id not in known:
            organisation_id = self.organisations[0].id if self.organisations else None
        self.organisation_id: str | None = organisation_id
        self.wizard: DeclarationWizard | None = None
        self.setWindowTitle(self.tr("Registre — Espace secrétariat"))

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(10)

        header = QHBoxLayout()
        self.title_label = QLabel(self)
        title_font = self.title_label.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.6)
        title_font.setBold(True)
        self.title_label.setFont(title_font)
        header.addWidget(self.title_label, 1)
        self.organisation_combo = QComboBox(self)
        self.organisation_combo.setAccessibleName(ORGANISATION.label(language()))
        for organisation in self.organisations:
            self.organisation_combo.addItem(organisation.name, organisation.id)
        organisation_label = QLabel(self.tr("&Organisme :"), self)
        organisation_label.setBuddy(self.organisation_combo)
        several = len(self.organisations) > 1
        organisation_label.setVisible(several)
        self.organisation_combo.setVisible(several)
        header.addWidget(organisation_label)
        header.addWidget(self.organisation_combo)
        layout.addLayout(header)

        self.intro_label = QLabel(
            self.tr(
                "Déclarez ici les traitements de données personnelles de votre service. "
                "Répondez aux questions ; quand vous ne savez pas, le délégué à la protection "
                "des données (DPO) complétera."
            ),
            self,
        )
        self.intro_label.setWordWrap(True)
        layout.addWidget(self.intro_label)

        buttons = QHBoxLayout()
        self.declare_button = self._big_button(self.tr("&Déclarer un traitement"), primary=True)
        self.pdf_button = self._big_button(self.tr("&Fiche en PDF…"))
        self.pdf_button.setAccessibleDescription(
            self.tr(
                "Enregistre la fiche du traitement choisi dans un fichier PDF et l'ouvre, pour "
                "l'imprimer ou l'envoyer au DPO"
            )
        )
        self.dpo_button = self._big_button(self.tr("Passer à l'e&space DPO…"))
        self.dpo_button.setAccessibleDescription(
            self.tr("Ouvre le registre complet, tel que le délégué le tient")
        )
        buttons.addWidget(self.declare_button)
        buttons.addWidget(self.pdf_button)
        self.send_button = self._big_button(self.tr("En&voyer au DPO…"))
        self.send_button.setAccessibleDescription(
            self.tr("Vos déclarations et vos questions au DPO, dans un fichier chiffré")
        )
        buttons.addWidget(self.send_button)
        buttons.addStretch(1)
        buttons.addWidget(self.dpo_button)
        layout.addLayout(buttons)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(splitter)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self.model = ActivityStatesModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView(left)
        self.table.setModel(self.proxy)

        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.horizontalHeader().setSectionResizeMode(
            2, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table_label = QLabel(left)  # « Les traitements du CCAS »: see refresh()
        self.table_label.setBuddy(self.table)
        left_layout.addWidget(self.table_label)
        left_layout.addWidget(self.table, 1)

        right = QWidget(splitter)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.points_view = QTextBrowser(right)
        self.points_view.setOpenLinks(False)
        self.points_view.setAccessibleName(self.tr("À compléter"))
        todo_label_widget = QLabel(self.tr("<b>À &compléter</b>"), right)
        todo_label_widget.setBuddy(self.points_view)
        right_layout.addWidget(todo_label_widget)
        right_layout.addWidget(self.points_view, 1)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout.addWidget(splitter, 1)

        self.empty_label = QLabel(self)
        self.empty_label.setWordWrap(True)
        layout.addWidget(self.empty_label)
        self.notice_label = plain_label("", selectable=True)
        self.notice_label.setStyleSheet(NOTICE_STYLE)
        self.notice_label.setAccessibleName(self.tr("Message"))
        self.notice_label.hide()
        layout.addWidget(self.notice_label)
        self.dpo_question: QMessageBox | None = None
        self.setCentralWidget(central)
        self.resize(1100, 720)

        self.declare_button.clicked.connect(self.open_wizard)
        self.undo_action = QAction(self.tr("Annuler"), self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.triggered.connect(self.undo)
        self.undo_action.setEnabled(recorder is not None)
        self.addAction(self.undo_action)
        self.pdf_button.clicked.connect(self.save_selected_pdf)
        self.send_button.clicked.connect(self.send_to_dpo)
        self.dpo_button.clicked.connect(self.ask_dpo_workspace)
        self.organisation_combo.currentIndexChanged.connect(self._organisation_changed)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(self._focus_points)
        if self.organisation_id is not None:
            self.organisation_combo.setCurrentIndex(
                self.organisation_combo.findData(self.organisation_id)
            )
        self.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Say the window is closed (the register window then closes the register)."""
        super().closeEvent(event)
        self.closed.emit()

    def _big_button(self, text: str, primary: bool = False) -> QPushButton:
        button = QPushButton(text, self)
        button.setMinimumHeight(BIG_BUTTON_HEIGHT)
        button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        font = button.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(primary)
        button.setFont(font)
        button.setDefault(primary)
        return button

    # -- content -------------------------------------------------------------------------------

    def organisation_kind(self) -> str | None:
        """Kind of the organisation shown (« commune », « ccas »…), None when not given."""
        for organisation in self.organisations:
            if organisation.id == self.organisation_id:
                return organisation.kind
        return None

    def _name_table(self) -> None:
        """« Les traitements de la commune », « … du CCAS », « … de l'organisme »: the list
        named after the kind of organisation shown."""
        of = organisation_of(self.organisation_kind(), language())
        self.table.setAccessibleName(self.tr("Les traitements {of}").format(of=of))
        self.table_label.setText(
            self.tr("<b>Les &traitements {of}</b>").format(of=html.escape(of))
        )

    def organisation_name(self) -> str:
        """Name of the organisation shown."""
        for organisation in self.organisations:
            if organisation.id == self.organisation_id:
                return organisation.name
        return ""

    def refresh(self) -> None:
        """Read the activities and their points again."""
        selected = self.selected_activity_id()
        if self.organisation_id is None:
            states: list[ActivityState] = []
            self.title_label.setText(self.tr("Aucun organisme"))
            self.empty_label.setText(
                self.tr(
                    "Ce registre ne contient pas encore d'organisme : demandez au DPO de le créer."
                )
            )
        else:
            states = activity_states(self.register, self.organisation_id)
            self.title_label.setText(self.organisation_name())
            self.empty_label.setText(
                ""
                if states
                else self.tr(
                    "Aucun traitement déclaré pour l'instant. Commencez par « Déclarer un "
                    "traitement »."
                )
            )
        self.empty_label.setVisible(bool(self.empty_label.text()))
        self._name_table()
        self.declare_button.setEnabled(
            self.organisation_id is not None and not self.register.read_only
        )
        if self.register.read_only:  # why « Déclarer un traitement » is greyed, and what to do
            self.declare_button.setToolTip(self.read_only_text())
            self._done(self.read_only_text())
        self.model.set_states(states)
        self.proxy.sort(ActivityStatesModel.NAME, Qt.SortOrder.AscendingOrder)
        self._fill_points(states)
        if selected:
            self.select_activity(selected)
        self._selection_changed()

    def read_only_text(self) -> str:
        """Why nothing can be declared in a register opened read-only, and what to do."""
        return self.tr(
            "Le registre est ouvert en lecture seule (il est ouvert sur un autre poste, ou "
            "par une autre fenêtre) : vous pouvez consulter les traitements et leurs fiches, "
            "pas en déclarer. Fermez-le là-bas, puis rouvrez-le ici pour déclarer."
        )

    def _fill_points(self, states: list[ActivityState]) -> None:
        self._points = {state.id: state.point_texts() for state in states if state.points}
        self._show_points()

    def _show_points(self) -> None:
        """« À compléter »: the points of every activity, the selected one highlighted."""
        selected = self.selected_activity_id()
        parts = []
        for state in self.model.states:
            points = self._points.get(state.id)
            if not points:
                continue
            marker = "▶ " if state.id == selected else ""
            parts.append(
                f'<a name="{html.escape(state.id)}"></a>'
                f"<h3>{html.escape(marker + state.name)}</h3>"
                + "<ul>"
                + "".join(f"<li>{html.escape(point)}</li>" for point in points)
                + "</ul>"
            )
        if not parts and self.model.states:
            parts.append(f"<p>{html.escape(self.tr('Rien à compléter : bravo !'))}</p>")
        self.points_view.setHtml("".join(parts))
        if selected and selected in self._points:
            self.points_view.scrollToAnchor(selected)

    def points_of(self, activity_id: str) -> list[str]:
        """The points listed under ``activity_id`` in « À compléter »."""
        return list(self._points.get(activity_id, []))

    def state_of(self, activity_id: str) -> ActivityState | None:
        """The listed state of an activity."""
        for state in self.model.states:
            if state.id == activity_id:
                return state
        return None

    def status_of(self, activity_id: str) -> str:
        """The status text shown for an activity."""
        state = self.state_of(activity_id)
        return self.model.status_text(state) if state is not None else ""

    # -- selection -----------------------------------------------------------------------------

    def selected_activity_id(self) -> str | None:
        """The activity selected in the list."""
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        value = rows[0].data(Qt.ItemDataRole.UserRole)
        return str(value) if value else None

    def select_activity(self, activity_id: str) -> None:
        """Select ``activity_id`` in the list and show its points."""
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(Qt.ItemDataRole.UserRole) == activity_id:
                self.table.selectRow(row)
                self.table.scrollTo(index)
                return

    def _selection_changed(self) -> None:
        activity_id = self.selected_activity_id()
        self.pdf_button.setEnabled(activity_id is not None)
        self._show_points()

    def _focus_points(self) -> None:
        if self.selected_activity_id() in self._points:
            self.points_view.setFocus()

    def _organisation_changed(self) -> None:
        value = self.organisation_combo.currentData()
        if value and value != self.organisation_id:
            self.organisation_id = str(value)
            self.refresh()

    # -- actions -------------------------------------------------------------------------------

    def open_wizard(self) -> DeclarationWizard | None:
        """Open « Déclarer un traitement » (window-modal); returns the wizard."""
        if self.organisation_id is None:
            return None
        wizard = DeclarationWizard(
            self.register, self.organisation_id, self, recorder=self.recorder
        )
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.setWindowModality(Qt.WindowModality.WindowModal)
        wizard.activity_created.connect(self._activity_created)
        wizard.destroyed.connect(self._wizard_closed)
        self.wizard = wizard
        wizard.open()
        return wizard

    def _wizard_closed(self) -> None:
        self.wizard = None

    def _activity_created(self, activity_id: str) -> None:
        self.refresh()
        self.select_activity(activity_id)
        if self.wizard is not None:
            self._done(self.wizard.creation_text())
        self.activity_created.emit(activity_id)

    def undo(self) -> None:
        """Ctrl+Z: undo the last change (a declaration just saved), and say so."""
        step = self.recorder.stack.undo_step if self.recorder is not None else None
        if self.recorder is None or step is None:
            return
        what = step.description(language())
        try:
            self.recorder.undo()
        except RegistreError as error:
            show_error(self, error)
            return
        self.refresh()
        self._done(self.tr("Annulé : {what}.").format(what=what))

    def fiche_of(self, activity_id: str) -> Fiche:
        """The fiche of a saved activity, with its open points."""
        return saved_fiche(self.register, activity_id, language())

    def write_fiche(self, activity_id: str, path: Path) -> Path:
        """Write the fiche of a saved activity to ``path`` (PDF, the register's engine)."""
        return write_fiche_pdf(self.register, activity_id, path, language())

    def _done(self, text: str) -> None:
        """Confirm what was saved, where."""
        self.notice_label.setText(text)
        self.notice_label.show()

    def save_selected_pdf(self) -> Path | None:
        """« Fiche en PDF… »: the fiche of the selected activity in a PDF file, opened."""
        activity_id = self.selected_activity_id()
        if activity_id is None:
            return None
        try:
            fiche = self.fiche_of(activity_id)
        except RegistreError as error:
            show_error(self, error)
            return None
        return save_fiche_pdf(
            fiche, self, self._done, lambda path: self.write_fiche(activity_id, path)
        )

    def send_to_dpo(self) -> SendFichesDialog | None:
        """« Envoyer au DPO… »: the declarations and open points in an exchange file."""
        if self.organisation_id is None:
            return None
        dialog = SendFichesDialog(self.register, self.organisation_id, parent=self)
        dialog.show()
        return dialog

    def ask_dpo_workspace(self) -> QMessageBox:
        """« Passer à l'espace DPO »: asked first, « Rester ici » being the default answer."""
        box = QMessageBox(self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Passer à l'espace DPO ?"))
        box.setText(
            self.tr(
                "L'espace DPO montre tout le registre et permet d'en modifier chaque fiche, "
                "ses contrôles et ses exports. Il est fait pour le délégué à la protection des "
                "données."
            )
        )
        go = box.addButton(self.tr("&Passer à l'espace DPO"), QMessageBox.ButtonRole.AcceptRole)
        stay = box.addButton(self.tr("&Rester ici"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)
        box.setEscapeButton(stay)
        go.clicked.connect(self.dpo_workspace_requested)
        self.dpo_question = box
        box.open()
        return box
