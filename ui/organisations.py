"""The organisation's own record (Article 30.1.a), opened from the register window."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from registre import services
from registre.schema import ORGANISATION
from registre_ui.editing import ChangeRecorder
from registre_ui.editor import RecordEditor


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
