"""The shared DPO's workspace: the overview of every organisation, with its dialogs.

``OverviewWindow`` shows ``registre.workspace.register_overview`` as a sortable, filterable table
(one line per organisation) above the « à revoir » list; a double-click opens the organisation
in the register window. From there the DPO duplicates activities to other organisations
(``DuplicateDialog``, one undo step), reads what changed since the last publication
(``ChangesDialog``) and exports one signed PDF per organisation (``BatchExportDialog``, with
progress and cancel). Everything here calls ``registre`` service functions; looking writes
nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from registre import services
from registre.batch import BatchResult, Cancelled, export_all_organisations
from registre.duplication import duplicate_records, duplication_text
from registre.errors import RegistreError
from registre.exchange import (
    ExchangePreview,
    accept_exchange,
    match_text,
    preview_exchange,
    read_exchange,
)
from registre.presentation import short_date
from registre.publications import FieldChange, changes_since_publication, summary_line
from registre.services import Change
from registre.storage import Register
from registre.workspace import COLUMNS, Overview, cell_text, register_overview
from registre_ui.bulk_edit import BulkEditDialog
from registre_ui.editing import ChangeRecorder
from registre_ui.exchange_send import TO_COMMUNE, SendFichesDialog
from registre_ui.fiche_pdf import fiche_written_text, save_activity_fiche
from registre_ui.i18n import language
from registre_ui.messages import show_error
from registre_ui.models import Column, ReadOnlyTableModel, SearchFilterProxy, TableRow
from registre_ui.tasks import BackgroundTask, hand_over

if TYPE_CHECKING:
    from registre_ui.main_window import RegisterWindow

_NUMERIC = {
    "activities",
    "errors",
    "warnings",
    "completeness",
    "overdue_reviews",
    "drafts",
    "open_breaches",
    "overdue_requests",
}


translate = QCoreApplication.translate


class OverviewModel(ReadOnlyTableModel):
    """One row per organisation; numbers sort as numbers, exports by date."""

    def __init__(self, parent: QObject | None = None) -> None:
        lang = language()
        super().__init__([Column(en if lang == "en" else fr) for _key, fr, en in COLUMNS], parent)
        self.behind: set[str] = set()

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> object:
        """Numbers right-aligned; everything else as the base model shows it."""
        if role == Qt.ItemDataRole.TextAlignmentRole and index.isValid():
            if COLUMNS[index.column()][0] in _NUMERIC:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        return super().data(index, role)

    def set_overview(self, overview: Overview) -> None:
        """Show ``overview``'s lines."""
        lang = language()
        rows = []
        self.behind = set()
        for line in overview.lines:
            cells = [cell_text(line, key, lang) for key, _fr, _en in COLUMNS]
            keys: list[str | int | None] = []
            for key, _fr, _en in COLUMNS:
                if key in _NUMERIC:
                    keys.append(int(getattr(line, key)))
                elif key == "register_review_due":
                    due = line.register_review_due
                    keys.append(due.isoformat() if due is not None else "9999")
                elif key == "last_export":
                    mark = line.last_export
                    keys.append(mark.at.isoformat() if mark is not None else "")
                else:
                    keys.append(None)
            if (
                line.errors
                or line.overdue_reviews
                or line.overdue_requests
                or line.breaches_to_notify
                or line.register_review_overdue
            ):
                self.behind.add(line.id)
            rows.append(
                TableRow.build(
                    line.id, cells, keys, category="behind" if line.id in self.behind else ""
                )
            )
        self._replace_rows(rows)


class OverviewProxy(SearchFilterProxy):
    """Search by name, and optionally only the organisations that need attention."""

    def __init__(self, model: OverviewModel, parent: QObject | None = None) -> None:
        super().__init__(model, parent)
        self.only_behind = False

    def set_only_behind(self, only: bool) -> None:
        """Keep only organisations with errors, reviews due or overdue requests."""
        self._refilter(lambda: setattr(self, "only_behind", only))

    def _row_accepted(self, row: TableRow) -> bool:
        if self.only_behind and row.category != "behind":
            return False
        return super()._row_accepted(row)


class OverviewWindow(QMainWindow):
    """Every organisation of the register at a glance (the shared DPO's home)."""

    organisation_requested = Signal(str)  # open this organisation in the register window
    activity_requested = Signal(str, str)  # organisation id, activity id
    bulk_edit_requested = Signal(str)  # organisation id ("" when none is selected)

    def __init__(
        self,
        register: Register,
        recorder: ChangeRecorder | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.register = register
        self.recorder = recorder
        self.setWindowTitle(translate("Workspace", "Vue d'ensemble — {}").format(register.name))
        self.resize(1280, 760)
        self.model = OverviewModel(self)
        self.proxy = OverviewProxy(self.model, self)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._open_row)
        self.table.setAccessibleName(translate("Workspace", "Organismes"))

        self.search_edit = QLineEdit()
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(translate("Workspace", "Rechercher un organisme…"))
        self.search_edit.textChanged.connect(self.proxy.set_search_text)
        self.behind_check = QCheckBox(translate("Workspace", "Seulement les organismes à suivre"))
        self.behind_check.setToolTip(
            translate(
                "Workspace", "Erreurs, fiches à revoir, violations à notifier ou demandes en retard"
            )
        )
        self.behind_check.toggled.connect(self.proxy.set_only_behind)
        self.refresh_button = QPushButton(translate("Workspace", "Actualiser"))
        self.refresh_button.clicked.connect(self.refresh)
        self.changes_button = QPushButton(
            translate("Workspace", "Changements depuis la publication…")
        )
        self.changes_button.clicked.connect(self.show_changes)
        self.batch_button = QPushButton(
            translate("Workspace", "Exporter tous les organismes en PDF…")
        )
        self.batch_button.clicked.connect(self.open_batch_export)
        self.bulk_button = QPushButton(translate("Workspace", "Modifier en lot…"))
        self.bulk_button.setToolTip(
            translate("Workspace", "Un champ sur plusieurs traitements de l'organisme choisi")
        )
        self.bulk_button.clicked.connect(
            lambda: self.bulk_edit_requested.emit(self.selected_organisation() or "")
        )
        self.bulk_button.setEnabled(recorder is not None and not register.read_only)
        self.summary_label = QLabel()

        tools = QHBoxLayout()
        tools.addWidget(self.search_edit, 1)
        tools.addWidget(self.behind_check)
        tools.addWidget(self.refresh_button)
        tools.addWidget(self.changes_button)
        tools.addWidget(self.bulk_button)
        tools.addWidget(self.batch_button)

        self.review_list = QListWidget()
        self.review_list.itemDoubleClicked.connect(self._open_review_item)
        self.review_list.setAccessibleName(translate("Workspace", "Fiches à revoir"))
        self.review_list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.open_review_action = QAction(translate("Workspace", "Ouvrir la fiche"), self)
        self.open_review_action.triggered.connect(self._open_current_review_item)
        self.fiche_pdf_action = QAction(translate("Workspace", "Fiche en PDF…"), self)
        self.fiche_pdf_action.triggered.connect(self._save_current_fiche)
        self.review_list.addAction(self.open_review_action)
        self.review_list.addAction(self.fiche_pdf_action)
        self.review_label = QLabel()
        self.fiche_button = QPushButton(translate("Workspace", "Fiche en PDF…"))
        self.fiche_button.setToolTip(
            translate("Workspace", "La fiche du traitement choisi dans la liste, en PDF")
        )
        self.fiche_button.clicked.connect(self._save_current_fiche)
        review_top = QHBoxLayout()
        review_top.addWidget(self.review_label, 1)
        review_top.addWidget(self.fiche_button)
        review = QWidget()
        review_layout = QVBoxLayout(review)
        review_layout.setContentsMargins(0, 0, 0, 0)
        review_layout.addLayout(review_top)
        review_layout.addWidget(self.review_list)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(review)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addLayout(tools)
        layout.addWidget(self.summary_label)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.overview: Overview | None = None
        self.changes_dialog: ChangesDialog | None = None
        self.batch_dialog: BatchExportDialog | None = None
        self.refresh()

    def refresh(self) -> None:
        """Read the overview again (one read of the register)."""
        try:
            overview = register_overview(self.register)
        except RegistreError as error:
            show_error(self, error)
            return
        self.overview = overview
        self.model.set_overview(overview)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, min(self.table.columnWidth(0), 320))
        lang = language()
        total = len(overview.lines)
        activities = sum(line.activities for line in overview.lines)
        self.summary_label.setText(
            translate("Workspace", "{} organismes, {} traitements ; {} organismes à suivre").format(
                total, activities, len(self.model.behind)
            )
        )
        self.review_label.setText(
            translate("Workspace", "À revoir : {} fiche(s)").format(len(overview.to_review))
        )
        self.review_list.clear()
        for item in overview.to_review:
            reference = f"{item.reference} " if item.reference else ""
            entry = QListWidgetItem(
                f"{short_date(item.due_on, lang)}   {item.organisation} — {reference}{item.name}"
            )
            entry.setData(Qt.ItemDataRole.UserRole, (item.organisation_id, item.activity_id))
            self.review_list.addItem(entry)

    def organisation_at(self, row: int) -> str:
        """Identifier of the organisation shown on ``row`` of the table."""
        return self.proxy.record_id(self.proxy.index(row, 0))

    def selected_organisation(self) -> str | None:
        """The organisation selected in the table, if any."""
        selected = self.table.selectionModel().selectedRows()
        return self.proxy.record_id(selected[0]) if selected else None

    def _open_row(self, index: QModelIndex) -> None:
        self.organisation_requested.emit(self.proxy.record_id(index))

    def _open_review_item(self, item: QListWidgetItem) -> None:
        organisation_id, activity_id = item.data(Qt.ItemDataRole.UserRole)
        self.activity_requested.emit(organisation_id, activity_id)

    def _open_current_review_item(self) -> None:
        if self.review_list.currentRow() >= 0:
            self._open_review_item(self.review_list.currentItem())

    def _save_current_fiche(self) -> None:
        self.save_fiche()

    def save_fiche(self, path: Path | None = None) -> Path | None:
        """The fiche of the activity chosen in the « à revoir » list, as PDF (asks where)."""
        if self.review_list.currentRow() < 0:  # said below, « À revoir : n fiche(s) » stays
            self.statusBar().showMessage(
                translate("Workspace", "Choisissez d'abord une fiche dans la liste."), 8000
            )
            return None
        item = self.review_list.currentItem()
        _organisation_id, activity_id = item.data(Qt.ItemDataRole.UserRole)
        written = save_activity_fiche(self, self.register, activity_id, path)
        if written is not None:
            self.statusBar().showMessage(fiche_written_text(written), 15_000)
        return written

    def show_changes(self) -> ChangesDialog:
        """The changes since the last publication of the selected organisation (or all)."""
        self.changes_dialog = ChangesDialog(self.register, self.selected_organisation(), self)
        self.changes_dialog.show()
        return self.changes_dialog

    def open_batch_export(self) -> BatchExportDialog:
        """The dialog that exports one PDF per organisation."""
        self.batch_dialog = BatchExportDialog(self.register, self)
        self.batch_dialog.finished_batch.connect(lambda _result: self.refresh())
        self.batch_dialog.show()
        return self.batch_dialog


class ChangesDialog(QDialog):
    """What changed since each organisation's last official export, as a tree."""

    def __init__(
        self, register: Register, organisation_id: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("Workspace", "Changements depuis la dernière publication"))
        self.resize(900, 600)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [
                translate("Workspace", "Élément"),
                translate("Workspace", "Avant"),
                translate("Workspace", "Maintenant"),
            ]
        )
        self.tree.setAlternatingRowColors(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        lang = language()
        try:
            results = changes_since_publication(register, organisation_id)
        except RegistreError as error:
            show_error(self, error)
            results = []
        words = {
            "added": translate("Workspace", "ajouté"),
            "removed": translate("Workspace", "supprimé"),
            "changed": translate("Workspace", "modifié"),
        }
        for changes in results:
            mark = changes.publication
            since = (
                translate("Workspace", "publié le {}").format(short_date(mark.at.date(), lang))
                if mark is not None
                else translate("Workspace", "jamais publié")
            )
            top = QTreeWidgetItem([f"{changes.name} — {since}", "", summary_line(changes, lang)])
            self.tree.addTopLevelItem(top)
            for field_change in changes.organisation_fields:
                top.addChild(_change_item(field_change, lang))
            for activity in changes.activities:
                reference = f"{activity.reference} " if activity.reference else ""
                item = QTreeWidgetItem([f"{reference}{activity.name} ({words[activity.kind]})"])
                top.addChild(item)
                for field_change in activity.fields:
                    item.addChild(_change_item(field_change, lang))
            top.setExpanded(True)
        self.tree.expandToDepth(1)
        self.tree.setColumnWidth(0, 420)
        self.tree.setColumnWidth(1, 260)


def _change_item(change: FieldChange, lang: str) -> QTreeWidgetItem:
    """A changed field as a tree line: label, value before, value after (in ``lang``)."""
    return QTreeWidgetItem([change.label(lang), change.before_text(lang), change.after_text(lang)])


class DuplicateDialog(QDialog):
    """Copy activities (or a processor, a software) of one organisation to others."""

    def __init__(
        self,
        recorder: ChangeRecorder,
        *,
        entity: str,
        record_ids: list[str],
        source_organisation: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.recorder = recorder
        self.entity = entity
        self.record_ids = record_ids
        self.setWindowTitle(translate("Workspace", "Dupliquer vers d'autres organismes"))
        self.resize(560, 520)
        register = recorder.register
        self.intro = QLabel(
            translate(
                "Workspace", "{} fiche(s) à copier. Cochez les organismes de destination :"
            ).format(len(record_ids))
        )
        self.list = QListWidget()
        for org in services.list_organisations(register):
            if org.id == source_organisation:
                continue
            item = QListWidgetItem(org.name)
            item.setData(Qt.ItemDataRole.UserRole, org.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.all_check = QCheckBox(translate("Workspace", "Tous les organismes"))
        self.all_check.toggled.connect(self._check_all)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setPlaceholderText(
            translate(
                "Workspace",
                "Les copies prennent la référence suivante de chaque organisme et restent des "
                "brouillons ; les sous-traitants et logiciels de même nom sont réutilisés, les "
                "autres recréés. « Annuler » défait toute la duplication.",
            )
        )
        self.buttons = QDialogButtonBox()
        self.duplicate_button = self.buttons.addButton(
            translate("Workspace", "Dupliquer"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.all_check)
        layout.addWidget(self.list, 2)
        layout.addWidget(self.report, 1)
        layout.addWidget(self.buttons)

    def _check_all(self, checked: bool) -> None:
        state = Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        for row in range(self.list.count()):
            self.list.item(row).setCheckState(state)

    def set_checked(self, organisation_ids: list[str]) -> None:
        """Tick the given destinations."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) in organisation_ids:
                item.setCheckState(Qt.CheckState.Checked)

    def checked(self) -> list[str]:
        """The destinations ticked."""
        return [
            self.list.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def duplicate(self) -> bool:
        """Copy to the ticked organisations; the whole duplication is one undo step."""
        targets = self.checked()
        if not targets:
            self.report.setPlainText(translate("Workspace", "Cochez au moins un organisme."))
            return False
        try:
            result = duplicate_records(
                self.recorder.register,
                entity=self.entity,
                record_ids=self.record_ids,
                to_organisations=targets,
            )
        except RegistreError as error:
            show_error(self, error)
            return False
        self.recorder.push_group(
            result.changes, label_fr=result.label("fr"), label_en=result.label("en")
        )
        self.report.setPlainText(duplication_text(result, language()))
        self.duplicate_button.setEnabled(False)
        return True


FAILURES_SHOWN = 5
"""A batch export's failures named one by one in its dialog; the others counted."""


class BatchExportDialog(QDialog):
    """One signed PDF per organisation, in a folder, with progress and cancel."""

    finished_batch = Signal(object)  # BatchResult
    progressed = Signal(int, int, str)  # from the worker thread

    def __init__(self, register: Register, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.register = register
        self.setWindowTitle(translate("Workspace", "Exporter tous les organismes en PDF"))
        self.resize(620, 260)
        self.folder_edit = QLineEdit()
        self.folder_edit.setPlaceholderText(translate("Workspace", "Dossier où écrire les PDF"))
        browse = QPushButton(translate("Workspace", "Choisir…"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        self.progress = QProgressBar()
        self.progress.setFormat(translate("Workspace", "%v / %m organismes"))
        self.status = QLabel(
            translate("Workspace", "Un PDF signé par organisme, mis en page sur tous les cœurs.")
        )
        self.status.setWordWrap(True)
        self.start_button = QPushButton(translate("Workspace", "Exporter"))
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(translate("Workspace", "Arrêter"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        close = QPushButton(translate("Workspace", "Fermer"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(folder_row)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.task: BackgroundTask | None = None
        self.cancelled = Cancelled()
        self.progressed.connect(self._progressed)
        self.batch_result: BatchResult | None = None  # not « result », QDialog's own method

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, translate("Workspace", "Dossier des PDF"))
        if folder:
            self.folder_edit.setText(folder)

    def start(self, folder: Path | None = None) -> bool:
        """Start the batch into ``folder`` (the field's folder by default)."""
        chosen = folder or (Path(self.folder_edit.text()) if self.folder_edit.text() else None)
        if chosen is None:
            self.status.setText(translate("Workspace", "Choisissez d'abord un dossier."))
            return False
        if self.task is not None:
            return False
        self.folder_edit.setText(str(chosen))
        self.cancelled = Cancelled()
        register, cancelled, emit = self.register, self.cancelled, self.progressed.emit

        def work() -> BatchResult:
            return export_all_organisations(register, chosen, progress=emit, cancelled=cancelled)

        self.task = BackgroundTask(work, self)
        self.task.succeeded.connect(self._done)
        self.task.failed.connect(self._failed)
        self.task.finished.connect(self._thread_ended)
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.status.setText(translate("Workspace", "Export en cours…"))
        self.task.start()
        return True

    def _end(self) -> None:
        task, self.task = self.task, None
        if task is not None:
            task.wait()
            task.deleteLater()
        if not self.register.closed:
            hand_over(self.register)  # the worker's connection must not outlive the batch
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def done(self, result: int) -> None:
        """Closing the dialog stops the batch after the PDFs under way."""
        if self.task is not None:
            self.cancelled.set()
            self._end()
        super().done(result)

    def cancel(self) -> None:
        """Stop after the organisations already being laid out."""
        self.cancelled.set()
        self.cancel_button.setEnabled(False)
        self.status.setText(
            translate("Workspace", "Arrêt demandé : les PDF en cours se terminent…")
        )

    def _progressed(self, done: int, total: int, name: str) -> None:
        self.progress.setMaximum(total)
        self.progress.setValue(done)
        if name:
            self.status.setText(translate("Workspace", "Dernier exporté : {}").format(name))

    def _done(self, result: BatchResult) -> None:
        self._end()
        self.batch_result = result
        text = translate("Workspace", "{} PDF écrits dans {}.").format(
            len(result.written), self.folder_edit.text()
        )
        if result.cancelled:
            text += " " + translate("Workspace", "Export arrêté avant la fin.")
        lang = language()
        hints: dict[str, None] = {}  # each hint once, in order
        for name, error in result.failed[:FAILURES_SHOWN]:
            text += "\n" + translate("Workspace", "Échec pour « {name} » : {reason}").format(
                name=name, reason=error.message(lang)
            )
            hints.setdefault(error.hint(lang))
        more = len(result.failed) - FAILURES_SHOWN
        if more > 0:
            text += "\n" + translate("Workspace", "… et {count} autre(s) échec(s).").format(
                count=more
            )
        text += "".join(f"\n{hint}" for hint in hints if hint)
        self.status.setText(text)
        self.finished_batch.emit(result)

    def _failed(self, error: RegistreError) -> None:
        self._end()
        show_error(self, error)

    def _thread_ended(self) -> None:
        """The batch's thread ended without a result (a bug, reported by the crash dialog):
        the dialog is usable again; the PDFs already written are kept."""
        if self.task is None:  # ended normally: ``_done`` or ``_failed`` ran first
            return
        self._end()
        self.status.setText(
            translate(
                "Workspace",
                "L'export s'est interrompu sur une erreur inattendue. Les PDF déjà écrits sont "
                "gardés ; relancez l'export pour les autres.",
            )
        )


OVERVIEW_REFRESH_DELAY_MS = 800


class WorkspaceActions(QObject):
    """The workspace's menu entries in a register window, and the windows they open.

    The register window creates one (``window.workspace``); a register of
    ``AUTO_OVERVIEW_ORGANISATIONS`` organisations or more opens on its overview.
    """

    AUTO_OVERVIEW_ORGANISATIONS = 5

    def __init__(self, window: RegisterWindow) -> None:
        super().__init__(window)
        self.window = window
        self.overview: OverviewWindow | None = None
        self.duplicate_dialog: DuplicateDialog | None = None
        self.bulk_dialog: BulkEditDialog | None = None
        self.overview_action = QAction(
            translate("Workspace", "&Vue d'ensemble des organismes"), window
        )
        self.overview_action.setShortcut(QKeySequence("Ctrl+0"))
        self.overview_action.triggered.connect(self.open_overview)
        self.duplicate_action = QAction(
            translate("Workspace", "D&upliquer vers d'autres organismes…"), window
        )
        self.duplicate_action.triggered.connect(self.open_duplicate)
        self.duplicate_action.setEnabled(not window.register.read_only)
        self.bulk_action = QAction(
            translate("Workspace", "Modifier un champ sur plusieurs traitements…"), window
        )
        self.bulk_action.triggered.connect(self._bulk_edit_here)
        self.bulk_action.setEnabled(not window.register.read_only)
        self.changes_action = QAction(
            translate("Workspace", "Changements depuis la dernière &publication…"), window
        )
        self.changes_action.triggered.connect(self.show_changes)
        self.exchange_action = QAction(
            translate("Workspace", "Recevoir une fiche d'é&change…"), window
        )
        self.exchange_action.triggered.connect(self.open_exchange)
        self.exchange_action.setEnabled(not window.register.read_only)
        self.send_action = QAction(
            translate("Workspace", "Envoyer des fiches validées à la commune…"), window
        )
        self.send_action.triggered.connect(self._send_here)
        self.batch_action = QAction(
            translate("Workspace", "Tous les organismes en PDF (un fichier chacun)…"), window
        )
        self.batch_action.triggered.connect(self.open_batch_export)
        self.fiche_action = QAction(
            translate("Workspace", "Fiche du traitement sélectionné en PDF…"), window
        )
        self.fiche_action.triggered.connect(self._save_fiche_here)
        view_actions = window.menus.view_menu.actions()
        _insert_before(
            window.menus.view_menu,
            view_actions[0] if view_actions else None,
            [self.overview_action, self.changes_action],
        )
        window.edit_menu.addAction(self.duplicate_action)
        window.edit_menu.addAction(self.bulk_action)
        window.export_menu.addAction(self.fiche_action)
        window.export_menu.addAction(self.batch_action)
        file_actions = window.file_menu.actions()
        after_import = file_actions.index(window.import_action) + 1
        _insert_before(
            window.file_menu,
            file_actions[after_import] if after_import < len(file_actions) else None,
            [self.exchange_action, self.send_action],
        )
        window.recorder.group_changed.connect(self._group_changed)
        # One edit in the register window (an activity validated…) changes the overview's
        # figures too: it reads them again once the edits pause, when it is shown.
        self.overview_timer = QTimer(self)
        self.overview_timer.setSingleShot(True)
        self.overview_timer.setInterval(OVERVIEW_REFRESH_DELAY_MS)
        self.overview_timer.timeout.connect(self._refresh_overview)
        window.recorder.changed.connect(lambda _event: self.overview_timer.start())
        window.locked_changed.connect(self._locked)
        if len(services.list_organisations(window.register)) >= self.AUTO_OVERVIEW_ORGANISATIONS:
            QTimer.singleShot(0, self.open_overview)

    def open_overview(self) -> OverviewWindow:
        """Show (or bring forward) the overview of every organisation."""
        if self.overview is None or self.overview.register is not self.window.register:
            self.overview = OverviewWindow(self.window.register, self.window.recorder)
            self.overview.organisation_requested.connect(self.open_organisation)
            self.overview.activity_requested.connect(self.open_activity)
            self.overview.bulk_edit_requested.connect(
                lambda organisation_id: self.open_bulk_edit(organisation_id or None)
            )
        self.overview.show()
        self.overview.raise_()
        return self.overview

    def open_organisation(self, organisation_id: str) -> None:
        """Show the organisation's activities in the register window."""
        window = self.window
        window.select_organisation(organisation_id)
        window.tabs.setCurrentWidget(window.activities_page)
        window.raise_()
        window.activateWindow()

    def open_activity(self, organisation_id: str, activity_id: str) -> None:
        """Show one activity of an organisation (from the « à revoir » list)."""
        self.open_organisation(organisation_id)
        self.window.select_activity(activity_id)

    def open_duplicate(self) -> DuplicateDialog | None:
        """Duplicate the selected activity (or processor, software) to other organisations."""
        window = self.window
        source = window.organisation_id()
        page = window.tabs.currentWidget()
        entity, record_id = "activity", window.current_activity_id()
        if page is window.processor_page or page is window.software_page:
            entity = "processor" if page is window.processor_page else "software"
            record_id = page.current_id()
        if source is None or record_id is None:
            window.statusBar().showMessage(
                translate("Workspace", "Sélectionnez d'abord la fiche à dupliquer."), 5000
            )
            return None
        self.duplicate_dialog = DuplicateDialog(
            window.recorder,
            entity=entity,
            record_ids=[record_id],
            source_organisation=source,
            parent=window,
        )
        self.duplicate_dialog.show()
        return self.duplicate_dialog

    def open_bulk_edit(self, organisation_id: str | None = None) -> BulkEditDialog:
        """Set one field on several activities (the selected one ticked to begin with)."""
        window = self.window
        window.commit_pending()
        shown = window.organisation_id()
        current = window.current_activity_id() if organisation_id in (None, shown) else None
        self.bulk_dialog = BulkEditDialog(
            window.recorder,
            organisation_id=organisation_id or shown,
            selected=[current] if current else [],
            parent=window,
        )
        self.bulk_dialog.show()
        return self.bulk_dialog

    def _bulk_edit_here(self) -> None:
        self.open_bulk_edit()

    def _save_fiche_here(self) -> None:
        self.save_fiche()

    def save_fiche(self, path: Path | None = None) -> Path | None:
        """The selected activity's fiche as PDF, where the DPO chooses (only reads)."""
        window = self.window
        window.commit_pending()
        activity_id = window.current_activity_id()
        if activity_id is None:
            window.statusBar().showMessage(
                translate("Workspace", "Sélectionnez d'abord un traitement."), 5000
            )
            return None
        written = save_activity_fiche(window, window.register, activity_id, path)
        if written is not None:
            window.statusBar().showMessage(fiche_written_text(written), 15_000)
        return written

    def show_changes(self) -> ChangesDialog:
        """What changed in the selected organisation since its last publication."""
        dialog = ChangesDialog(self.window.register, self.window.organisation_id(), self.window)
        dialog.show()
        return dialog

    def open_exchange(self) -> ExchangeImportDialog:
        """Receive an exchange file from a commune (or from the DPO)."""
        dialog = ExchangeImportDialog(self.window.recorder, self.window)
        dialog.edit_requested.connect(self.open_activity)
        dialog.show()
        return dialog

    def _send_here(self) -> None:
        self.send_fiches()

    def send_fiches(self) -> SendFichesDialog | None:
        """Send the selected organisation its validated records (an exchange file)."""
        organisation_id = self.window.organisation_id()
        if organisation_id is None:
            return None
        dialog = SendFichesDialog(
            self.window.register, organisation_id, direction=TO_COMMUNE, parent=self.window
        )
        dialog.show()
        return dialog

    def open_batch_export(self) -> BatchExportDialog:
        """One PDF per organisation."""
        dialog = BatchExportDialog(self.window.register, self.window)
        dialog.show()
        return dialog

    def _group_changed(self) -> None:
        self.window.reload()
        self._refresh_overview()

    def _refresh_overview(self) -> None:
        self.overview_timer.stop()
        if (
            self.overview is not None
            and self.overview.isVisible()
            and not self.window.register.closed
        ):
            self.overview.refresh()

    def _locked(self, locked: bool) -> None:
        if locked and self.overview is not None:
            self.overview.close()
            self.overview = None


def _insert_before(menu: QMenu, before: QAction | None, actions: list[QAction]) -> None:
    """Put ``actions`` in ``menu`` before ``before`` (at the end when None)."""
    for action in actions:
        if before is None:
            menu.addAction(action)
        else:
            menu.insertAction(before, action)


class ExchangeImportDialog(QDialog):
    """Open an exchange file (``.registre-fiche``), preview it field by field, accept parts.

    Accepting is one transaction and one undo step (« Annuler la réception… »); « Accepter puis
    modifier » also opens the first accepted record in the register window, to edit it there.
    """

    edit_requested = Signal(str, str)  # organisation id, activity id

    def __init__(self, recorder: ChangeRecorder, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.recorder = recorder
        self.setWindowTitle(translate("Workspace", "Recevoir une fiche d'échange"))
        self.resize(980, 640)
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText(translate("Workspace", "Fichier .registre-fiche"))
        browse = QPushButton(translate("Workspace", "Choisir…"))
        browse.clicked.connect(self._browse)
        self.passphrase_edit = QLineEdit()
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setPlaceholderText(
            translate("Workspace", "Phrase de passe convenue avec l'autre partie")
        )
        self.passphrase_edit.setAccessibleName(translate("Workspace", "Phrase de passe"))
        open_button = QPushButton(translate("Workspace", "Ouvrir"))
        open_button.clicked.connect(self.open_file)
        top = QHBoxLayout()
        top.addWidget(self.file_edit, 2)
        top.addWidget(browse)
        top.addWidget(self.passphrase_edit, 2)
        top.addWidget(open_button)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [
                translate("Workspace", "Fiche / champ"),
                translate("Workspace", "Dans le registre"),
                translate("Workspace", "Dans la fiche reçue"),
            ]
        )
        self.tree.setColumnWidth(0, 360)
        self.tree.setColumnWidth(1, 280)
        self.accept_button = QPushButton(translate("Workspace", "Accepter les fiches cochées"))
        self.accept_button.setEnabled(False)
        self.accept_button.clicked.connect(self.accept_checked)
        self.edit_button = QPushButton(translate("Workspace", "Accepter puis modifier…"))
        self.edit_button.setToolTip(
            translate(
                "Workspace", "Accepte les fiches cochées et ouvre la première dans le registre"
            )
        )
        self.edit_button.setEnabled(False)
        self.edit_button.clicked.connect(self.accept_and_edit)
        close = QPushButton(translate("Workspace", "Fermer"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self.preview: ExchangePreview | None = None
        self.file_summary = ""

    def _browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            translate("Workspace", "Fiche d'échange"),
            "",
            translate("Workspace", "Fiches d'échange (*.registre-fiche)"),
        )
        if chosen:
            self.file_edit.setText(chosen)

    def open_file(self, path: Path | None = None) -> bool:
        """Read the file with the passphrase typed and show what it would change."""
        target = path or Path(self.file_edit.text())
        self.file_edit.setText(str(target))
        passphrase = self.passphrase_edit.text()
        try:
            exchange = read_exchange(target, passphrase, self.recorder.register.context.kdf_policy)
            self.preview = preview_exchange(self.recorder.register, exchange)
        except RegistreError as error:
            show_error(self, error)
            return False
        finally:
            self.passphrase_edit.clear()
        preview = self.preview
        self.file_summary = translate(
            "Workspace", "Envoyée par {} le {} pour « {} » : {} fiche(s)."
        ).format(
            exchange.written_by,
            short_date(exchange.written_at[:10], language()),
            preview.organisation_name,
            len(preview.proposals),
        )
        self.summary.setText(self.file_summary)
        words = {
            "new": translate("Workspace", "nouvelle fiche"),
            "changed": translate("Workspace", "modifications"),
            "same": translate("Workspace", "identique"),
        }
        lang = language()
        self.tree.clear()
        for proposal in preview.proposals:
            reference = f"{proposal.reference} " if proposal.reference else ""
            item = QTreeWidgetItem([f"{reference}{proposal.name} ({words[proposal.kind]})"])
            item.setData(0, Qt.ItemDataRole.UserRole, proposal.source_id)
            if proposal.kind != "same":
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(0, Qt.CheckState.Unchecked)
            how = match_text(proposal, lang)  # « rapprochée de T-001 par son nom »
            matched = None
            if how:  # first, across the columns: which record of the register, and how
                matched = QTreeWidgetItem([how])
                font = matched.font(0)
                font.setItalic(True)
                matched.setFont(0, font)
                item.addChild(matched)
                item.setToolTip(0, how)
            for change in proposal.fields:
                item.addChild(_change_item(change, lang))
            for todo in proposal.todos:
                item.addChild(
                    QTreeWidgetItem([translate("Workspace", "À voir avec le DPO"), "", todo])
                )
            self.tree.addTopLevelItem(item)
            if matched is not None:
                matched.setFirstColumnSpanned(True)
            item.setExpanded(True)
        self.accept_button.setEnabled(not self.recorder.register.read_only)
        self.edit_button.setEnabled(not self.recorder.register.read_only)
        return True

    def _records(self) -> list[QTreeWidgetItem]:
        found = []
        for row in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(row)
            if item is not None:
                found.append(item)
        return found

    def checked(self) -> list[str]:
        """Source identifiers of the records ticked."""
        return [
            str(item.data(0, Qt.ItemDataRole.UserRole))
            for item in self._records()
            if item.checkState(0) == Qt.CheckState.Checked
        ]

    def set_checked(self, source_ids: list[str]) -> None:
        """Tick the given records."""
        for item in self._records():
            if item.data(0, Qt.ItemDataRole.UserRole) in source_ids:
                item.setCheckState(0, Qt.CheckState.Checked)

    def accept_checked(self) -> int:
        """Apply the ticked records as one undo step (their origin goes to the audit trail);
        returns how many changes were made."""
        return len(self._accept())

    def accept_and_edit(self) -> str | None:
        """Accept the ticked records, then open the first one in the register window."""
        changes = self._accept()
        activities = [c.id for c in changes if c.entity == "activity"]
        if not activities or self.preview is None:
            return None
        self.edit_requested.emit(self.preview.organisation_id, activities[0])
        self.accept()
        return activities[0]

    def _accept(self) -> list[Change]:
        if self.preview is None:
            return []
        if not self.checked():  # nothing to accept yet: say what to do, keep the buttons
            self.summary.setText(
                self.file_summary
                + "\n"
                + translate(
                    "Workspace",
                    "Cochez d'abord les fiches à accepter (la case devant chaque fiche nouvelle "
                    "ou modifiée), puis cliquez de nouveau.",
                )
            )
            return []
        try:
            acceptance = accept_exchange(self.recorder.register, self.preview, self.checked())
        except RegistreError as error:
            show_error(self, error)
            return []
        if (
            self.recorder.stack.push_group(
                acceptance.changes,
                label_fr=acceptance.label("fr"),
                label_en=acceptance.label("en"),
                snapshots=acceptance.snapshots,
            )
            is not None
        ):
            self.recorder.group_changed.emit()
        self.summary.setText(
            translate(
                "Workspace",
                "{} modification(s) enregistrée(s) ; l'origine est notée au journal. Relisez "
                "puis validez les fiches dans le registre ; « Annuler » défait toute la "
                "réception.",
            ).format(len(acceptance.changes))
        )
        self.accept_button.setEnabled(False)
        self.edit_button.setEnabled(False)
        return acceptance.changes
