"""What every record tab of the register window offers the window (one controller per tab).

A tab controller owns its page (list and form), reads its records when the organisation shown
changes, saves what the user changes through the window's ``ChangeRecorder`` (typed edits, see
``registre_ui.editing``) and brings itself up to date when the window hands it a
``ChangeEvent`` about one of its ``entities``. The window knows tabs only through this class:
a new screen is a new controller registered in ``RegisterWindow`` with a few lines.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from registre.errors import RegistreError
from registre.services import Change
from registre.storage import Register
from registre_ui.editing import ChangeEvent, ChangeRecorder, DeleteRecord, Edit
from registre_ui.editor import Options, RecordEditor
from registre_ui.messages import show_error

References = dict[str, list[tuple[str, str]]]  # target entity → (id, title) of its records


class TabHost(Protocol):
    """What a tab asks of the window around it."""

    @property
    def register(self) -> Register:
        """The open register."""
        ...

    @property
    def recorder(self) -> ChangeRecorder:
        """Where every user change goes (one audit entry, one undo step)."""
        ...

    def organisation_id(self) -> str | None:
        """The organisation shown."""
        ...

    def select_organisation(self, organisation_id: str) -> None:
        """Show another organisation (undoing a change made in it)."""
        ...

    def show_page(self, page: QWidget) -> None:
        """Bring ``page`` to the front."""
        ...

    def confirm(self, title: str, text: str) -> bool:
        """Ask a yes/no question, « Non » by default."""
        ...


class RecordTab(QObject):
    """Base of the tab controllers: each method a window-wide moment of the tab's life."""

    entities: frozenset[str] = frozenset()  # the entities whose changes this tab shows
    page: QWidget

    def __init__(self, host: TabHost, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.host = host

    def title(self) -> str:
        """The tab's label."""
        raise NotImplementedError

    def fetch(self, organisation_id: str | None) -> None:
        """Read the organisation's records (nothing shown yet); may raise ``RegistreError``."""
        raise NotImplementedError

    def show_fetched(self, options: Options) -> None:
        """Show what ``fetch`` read; ``options`` lists what references may point to."""
        raise NotImplementedError

    def references(self) -> References:
        """What this tab's records offer to the reference fields of the others."""
        return {}

    def names(self) -> dict[str, str]:
        """Title of each record shown (the history names the records it lists)."""
        return {}

    def set_options(self, options: Options) -> None:
        """The records references may point to have changed (a name, a creation…)."""

    def clear(self) -> None:
        """Forget every value read from the register (it is being locked)."""
        raise NotImplementedError

    def editors(self) -> list[RecordEditor]:
        """The forms of the tab (their pending typing is saved before the window moves on)."""
        return []

    def commit_pending(self) -> None:
        """Save the field being typed into."""
        for editor in self.editors():
            editor.commit_pending()

    def set_editable(self, editable: bool) -> None:
        """Allow or forbid changes (a register reopened read-only)."""
        for editor in self.editors():
            editor.set_editable(editable)

    def on_change(self, event: ChangeEvent) -> None:
        """Bring the tab up to date after a change of one of its ``entities``."""
        raise NotImplementedError

    def save(self, edit: Edit) -> Change | None:
        """Save what the user changed (one audit entry, one undo step); a refusal is shown
        and gives None."""
        try:
            return self.host.recorder.apply(edit)
        except RegistreError as error:
            show_error(self.page.window(), error)
            return None

    def delete_confirmed(self, edit: DeleteRecord, title: str, question: str) -> bool:
        """Delete after the user said yes to ``question`` (« Annuler » brings it back)."""
        if not self.host.confirm(title, question):
            return False
        if self.host.register.closed:  # locked while the question was asked
            return False
        self.commit_pending()
        return self.save(edit) is not None

    def open_record(self, record_id: str, key: str, row_id: str | None = None) -> bool:
        """Show ``record_id`` with field ``key`` focused (a finding of the check)."""
        raise NotImplementedError


def references_moved(event: ChangeEvent, title_field: str) -> bool:
    """True when a change may alter what reference fields offer: a record created, deleted,
    renamed, or put back by « Annuler » / « Rétablir »."""
    change = event.change
    return change.action != "updated" or title_field in change.fields or event.from_history
