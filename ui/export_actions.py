"""The register window's exports: choosing the file, the question about drafts, the verdict on
a PDF. The export itself runs in the background (``ExportRunner``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox

from registre import services
from registre.errors import RegistreError
from registre_ui.export_options import (
    CommunicableOptions,
    CommunicableOptionsDialog,
    ask_communicable_options,
)
from registre_ui.exports import ExportKind, ExportOutcome, ExportRunner, suggested_name
from registre_ui.i18n import language
from registre_ui.messages import ask, message_box, show_error

if TYPE_CHECKING:
    from registre_ui.main_window import RegisterWindow

DRAFTS_LISTED = 8  # drafts named before an official export; the others are counted

translate = QCoreApplication.translate


class ExportController(QObject):
    """Exports of the window's register, one at a time."""

    def __init__(self, window: RegisterWindow, on_exported: Callable[[], None]) -> None:
        super().__init__(window)
        self.window = window
        self.on_exported = on_exported  # the history shows the export's entry
        self.runner = ExportRunner(window)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.folder: Path | None = None
        self.drafts_box: QMessageBox | None = None  # the question before exporting drafts
        self.options_dialog: CommunicableOptionsDialog | None = None  # the communicable's

    def export(
        self,
        kind: ExportKind,
        *,
        output: Path | None = None,
        drafts_confirmed: bool = False,
        options: CommunicableOptions | None = None,
    ) -> bool:
        """Export the organisation shown (or the whole register) to a file the user picks.

        Before an official PDF holding drafts, the user is asked first (``drafts_box``): the
        export starts only once « Exporter quand même » is chosen. Before a communicable
        version, what it shows is asked (``options_dialog``).
        """
        window = self.window
        if window.locked or self.runner.busy:
            return False
        window.commit_pending()
        official = kind.format == "pdf" and not window.register.read_only
        if official and not drafts_confirmed and self._ask_about_drafts(kind, output):
            return False
        if kind.profile == "communicable" and options is None:  # what the public may read
            self.options_dialog = ask_communicable_options(
                window,
                window.settings.path,
                window.register.directory,
                lambda chosen: self.export(
                    kind, output=output, drafts_confirmed=True, options=chosen
                ),
            )
            return False
        if output is None:
            folder = self.folder or Path.home()
            chosen, _filter = QFileDialog.getSaveFileName(
                window,
                translate("RegisterWindow", "Exporter"),
                str(folder / suggested_name(window.register.name, kind)),
                f"*{kind.extension}",
            )
            if not chosen:
                return False
            output = Path(chosen)
            if output.suffix.lower() != kind.extension:
                output = output.with_name(output.name + kind.extension)
        self.folder = output.parent
        window.statusBar().showMessage(translate("RegisterWindow", "Export en cours…"))
        self.runner.start(window.register, kind, output, window.organisation_id(), options)
        return True

    def _ask_about_drafts(self, kind: ExportKind, output: Path | None) -> bool:
        """Before an official PDF, name the activities still drafts and ask (non-blocking);
        True when the question is asked (the export then waits for the answer)."""
        window = self.window
        organisation_id = None if kind.whole_register else window.organisation_id()
        try:
            drafts = [
                activity
                for activity in services.list_activities(window.register, organisation_id)
                if activity.status == "draft"
            ]
        except RegistreError as error:
            show_error(window, error)
            return True
        if not drafts:
            return False
        names = "\n".join(
            "• " + " ".join(part for part in (activity.reference, activity.name) if part)
            for activity in drafts[:DRAFTS_LISTED]
        )
        if len(drafts) > DRAFTS_LISTED:
            names += "\n" + translate("RegisterWindow", "… et {count} autres").format(
                count=len(drafts) - DRAFTS_LISTED
            )
        if len(drafts) == 1:
            question = translate(
                "RegisterWindow",
                "1 traitement est encore un brouillon, non validé par le DPO. Il figurera "
                "dans le PDF avec la mention « Brouillon ».",
            )
        else:
            question = translate(
                "RegisterWindow",
                "{count} traitements sont encore des brouillons, non validés par le DPO. Ils "
                "figureront dans le PDF avec la mention « Brouillon ».",
            ).format(count=len(drafts))
        self.drafts_box = ask(
            window,
            translate("RegisterWindow", "Exporter des brouillons ?"),
            question,
            names,
            translate("RegisterWindow", "&Exporter quand même"),
            translate("RegisterWindow", "Annuler"),
            lambda: self.export(kind, output=output, drafts_confirmed=True),
        )
        return True

    def _finished(self, outcome: ExportOutcome) -> None:
        bar = self.window.statusBar()
        if outcome.cancelled:
            bar.showMessage(translate("RegisterWindow", "Export annulé."), 10_000)
            return
        if outcome.pages:
            text = translate(
                "RegisterWindow", "Export enregistré : {file} ({pages} pages, SHA-256 {digest}…)"
            ).format(file=outcome.path, pages=outcome.pages, digest=outcome.sha256[:16])
        else:
            text = translate("RegisterWindow", "Export enregistré : {file}").format(
                file=outcome.path
            )
        bar.showMessage(text, 30_000)
        if not self.window.register.closed:
            self.on_exported()

    def _failed(self, error: RegistreError) -> None:
        self.window.statusBar().clearMessage()
        show_error(self.window, error)

    def verify_pdf(self) -> None:
        """Tell whether a PDF is an intact export of a register (« Vérifier un PDF… »)."""
        chosen, _filter = QFileDialog.getOpenFileName(
            self.window,
            translate("RegisterWindow", "Vérifier un PDF exporté"),
            str(self.folder or Path.home()),
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
            show_error(self.window, error)
            return None
        box = message_box(
            self.window,
            QMessageBox.Icon.Information if result.intact else QMessageBox.Icon.Warning,
            translate("RegisterWindow", "Vérification du PDF"),
            result.message(language()),
            translate("RegisterWindow", "Empreinte SHA-256 du fichier : {digest}").format(
                digest=result.sha256
            ),
        )
        box.open()
        return box
