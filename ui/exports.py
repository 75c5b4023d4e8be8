"""Exports from the register window: PDF profiles and interchange formats, in a worker thread.

A progress dialog follows the export and can cancel it (the PDF between two pages; the other
formats, written in one go, are discarded when done). The finished file opens in the system's
viewer, unless ``REGISTRE_NO_OPEN`` is set (tests, automation).
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QProgressDialog, QWidget

from registre.errors import RegistreError
from registre.storage import Register
from registre_ui.tasks import BackgroundTask, hand_over

NO_OPEN_ENV = "REGISTRE_NO_OPEN"


def pdf_available() -> bool:
    """True when the PDF export of the core is installed."""
    return importlib.util.find_spec("registre.pdf") is not None


def interchange_available() -> bool:
    """True when the interchange exports of the core are installed."""
    return importlib.util.find_spec("registre.interchange") is not None


@dataclass(frozen=True)
class ExportKind:
    """One entry of the « Exporter » menu."""

    key: str  # "pdf-full", "json"…
    format: str  # "pdf", "json", "csv", "xlsx", "ods", "dpv"
    profile: str = ""  # PDF profile
    whole_register: bool = False  # every organisation, or the one shown

    @property
    def extension(self) -> str:
        """File name extension, with its dot."""
        return {"dpv": ".jsonld"}.get(self.format, f".{self.format}")

    def title(self) -> str:
        """Menu text."""
        translate = QCoreApplication.translate
        return {
            "pdf-full": translate("Exports", "Registre &complet (PDF)…"),
            "pdf-art30": translate("Exports", "Extrait de l'&article 30 (PDF)…"),
            "pdf-communicable": translate("Exports", "Version co&mmunicable (PDF)…"),
            "json": translate("Exports", "&JSON complet (sauvegarde d'échange)…"),
            "csv": translate("Exports", "&CSV…"),
            "xlsx": translate("Exports", "Classeur &XLSX (modèle CNIL)…"),
            "ods": translate("Exports", "Classeur &ODS (modèle CNIL)…"),
            "dpv": translate("Exports", "&DPV (JSON-LD, W3C)…"),
        }[self.key]

    def file_label(self) -> str:
        """Part of the suggested file name."""
        return {
            "pdf-full": "registre",
            "pdf-art30": "extrait-art30",
            "pdf-communicable": "version-communicable",
        }.get(self.key, "registre")


EXPORT_KINDS = (
    ExportKind("pdf-full", "pdf", "full"),
    ExportKind("pdf-art30", "pdf", "art30"),
    ExportKind("pdf-communicable", "pdf", "communicable"),
    ExportKind("json", "json", whole_register=True),
    ExportKind("csv", "csv"),
    ExportKind("xlsx", "xlsx"),
    ExportKind("ods", "ods"),
    ExportKind("dpv", "dpv", whole_register=True),
)


def suggested_name(register_name: str, kind: ExportKind, today: dt.date | None = None) -> str:
    """« Commune-de-X - registre - 2026-03-14.pdf »."""
    day = (today or dt.date.today()).isoformat()
    return f"{register_name} - {kind.file_label()} - {day}{kind.extension}"


class ExportCancelled(Exception):
    """The user pressed « Annuler » during the export."""


@dataclass(frozen=True)
class ExportOutcome:
    """A finished export: its file, and for a PDF its pages and fingerprint."""

    path: Path
    kind: ExportKind
    pages: int = 0
    sha256: str = ""
    cancelled: bool = False


def run_export(
    register: Register,
    kind: ExportKind,
    output: Path,
    organisation_id: str | None,
    progress: Callable[[int, int], None],
    options: Any = None,
) -> ExportOutcome:
    """Write the export (in the worker thread); ``options``: the communicable version's
    choices (``registre.export_model.CommunicableOptions``)."""
    organisation = None if kind.whole_register else organisation_id
    if kind.format == "pdf":
        from registre.official_export import export_pdf

        result: Any = export_pdf(
            register,
            output,
            profile=kind.profile,
            organisation_id=organisation,
            progress=progress,
            options=options,
        )
        return ExportOutcome(Path(result.path), kind, int(result.pages), str(result.sha256))
    from registre.interchange import export_register

    progress(0, 0)
    path = export_register(register, output, kind.format, organisation_id=organisation)
    return ExportOutcome(Path(path), kind)


class ExportRunner(QObject):
    """Runs one export at a time under a progress dialog that can cancel it."""

    progressed = Signal(int, int)  # done, total (from the worker thread)
    finished = Signal(object)  # an ExportOutcome
    failed = Signal(object)  # a RegistreError

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._parent = parent
        self._task: BackgroundTask | None = None
        self._cancel = threading.Event()
        self._register: Register | None = None
        self._output: Path | None = None
        self.dialog: QProgressDialog | None = None
        self.progressed.connect(self._show_progress)
        self.last: ExportOutcome | None = None

    @property
    def busy(self) -> bool:
        """True while an export runs."""
        return self._task is not None

    def start(
        self,
        register: Register,
        kind: ExportKind,
        output: Path,
        organisation_id: str | None,
        options: Any = None,
    ) -> None:
        """Export in the background; ``finished`` or ``failed`` tells the end."""
        if self._task is not None:
            return
        translate = QCoreApplication.translate
        self._cancel.clear()
        self._register = register
        self._output = output
        dialog = QProgressDialog(
            translate("Exports", "Export de « {file} »…").format(file=output.name),
            translate("Exports", "Annuler"),
            0,
            0,
            self._parent,
        )
        dialog.setWindowTitle(translate("Exports", "Export"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        dialog.setAccessibleName(translate("Exports", "Avancement de l'export"))
        self.dialog = dialog
        cancel = self._cancel
        emit = self.progressed.emit

        def progress(done: int, total: int) -> None:
            if cancel.is_set() and not (total and done >= total):  # the last step is done
                raise ExportCancelled
            emit(done, total)

        def work() -> ExportOutcome:
            try:
                return run_export(register, kind, output, organisation_id, progress, options)
            except ExportCancelled:
                return ExportOutcome(output, kind, cancelled=True)

        task = BackgroundTask(work, self)
        task.succeeded.connect(self._succeeded)
        task.failed.connect(self._failed)
        self._task = task
        dialog.show()
        task.start()

    def cancel(self) -> None:
        """Stop the export as soon as possible (« Annuler »)."""
        self._cancel.set()
        if self.dialog is not None:
            self.dialog.setLabelText(QCoreApplication.translate("Exports", "Annulation…"))

    def _show_progress(self, done: int, total: int) -> None:
        if self.dialog is None:
            return
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(min(done, total) if total else 0)

    def _end(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.wait()
            task.deleteLater()
        if self._register is not None and not self._register.closed:
            hand_over(self._register)  # the worker's connection must not outlive the export
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)  # closing it would say « cancelled »
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None

    def _succeeded(self, outcome: ExportOutcome) -> None:
        self._end()
        if self._cancel.is_set() and not outcome.cancelled and outcome.kind.format != "pdf":
            # done before the cancel was seen; an official PDF is kept: it is signed and its
            # export is already in the audit trail
            outcome.path.unlink(missing_ok=True)
            outcome = ExportOutcome(outcome.path, outcome.kind, cancelled=True)
        self.last = outcome
        if not outcome.cancelled:
            open_in_viewer(outcome.path)
        self.finished.emit(outcome)

    def _failed(self, error: RegistreError) -> None:
        self._end()
        self.failed.emit(error)


def open_in_viewer(path: Path) -> bool:
    """Open ``path`` with the system's viewer (not when ``REGISTRE_NO_OPEN`` is set)."""
    if os.environ.get(NO_OPEN_ENV):
        return False
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
