"""« Fiche en PDF… » in the DPO's workspace: one activity's fiche, where the DPO chooses.

The same file as ``registre export REGISTRE --activity REF --format pdf`` (the register's PDF
engine, ``registre.declaration.write_fiche``): the activity's answers, what the checker still
finds missing and its open points. A working paper: it only reads the register (not signed,
not recorded as a publication).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from registre.declaration import saved_fiche, write_fiche
from registre.errors import RegistreError
from registre.storage import Register
from registre_ui.exports import open_in_viewer
from registre_ui.i18n import language
from registre_ui.messages import show_error
from registre_ui.wizard import safe_file_name

translate = QCoreApplication.translate
_FOLDER_KEY = "workspace/fiche_folder"


def suggested_fiche_name(reference: str, name: str) -> str:
    """« Fiche T-003 Cantine scolaire.pdf »."""
    label = f"{reference} {name}" if reference else name
    return f"{safe_file_name(translate('FichePdf', 'Fiche {}').format(label))}.pdf"


def save_activity_fiche(
    parent: QWidget, register: Register, activity_id: str, path: Path | None = None
) -> Path | None:
    """Ask where (unless ``path`` is given), write the activity's fiche there, open it.

    Returns the file written, None when the user cancelled or writing failed (said in a box).
    """
    lang = language()
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        fiche = saved_fiche(register, activity_id, lang)
    except RegistreError as error:
        show_error(parent, error)
        return None
    finally:
        QApplication.restoreOverrideCursor()
    if path is None:
        settings = QSettings()
        folder = Path(str(settings.value(_FOLDER_KEY, str(Path.home()))))
        chosen, _filter = QFileDialog.getSaveFileName(
            parent,
            translate("FichePdf", "Enregistrer la fiche en PDF"),
            str(folder / suggested_fiche_name(fiche.reference, fiche.name)),
            translate("FichePdf", "Fichiers PDF (*.pdf)"),
        )
        if not chosen:
            return None
        path = Path(chosen)
        settings.setValue(_FOLDER_KEY, str(path.parent))
    if path.suffix.lower() != ".pdf":
        path = path.with_suffix(".pdf")
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        written = write_fiche(fiche, path, lang)
    except RegistreError as error:
        show_error(parent, error)
        return None
    finally:
        QApplication.restoreOverrideCursor()
    open_in_viewer(written)
    return written


def fiche_written_text(path: Path) -> str:
    """The status line once the fiche is written."""
    return translate("FichePdf", "Fiche enregistrée : {}").format(path)
