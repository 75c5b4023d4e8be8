"""The count at the right of the register window's status bar: what the tab shown lists.

« 35 traitements » on the activities tab (its own label, ``ActivitiesTab.count_label``),
« Violations de données : 3 » on the breaches tab, « Historique : 12 sur 240 » when a filter
narrows the audit trail; nothing on the tabs that list no records (vocabularies, checks, whose
page counts its own findings).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QCoreApplication, QObject
from PySide6.QtWidgets import QLabel, QWidget

from registre_ui.values import plural_label

if TYPE_CHECKING:
    from registre_ui.main_window import RegisterWindow

translate = QCoreApplication.translate


def count_text(what: str, shown: int, total: int) -> str:
    """« Violations de données : 3 », « … : 1 sur 3 » when a search hides some."""
    if shown != total:
        return translate("TabCount", "{what} : {shown} sur {total}").format(
            what=what, shown=shown, total=total
        )
    return translate("TabCount", "{what} : {count}").format(what=what, count=total)


class TabCount(QObject):
    """Shows in ``window``'s status bar the count of what the current tab lists."""

    def __init__(self, window: RegisterWindow) -> None:
        super().__init__(window)
        self.window = window
        self.label = QLabel()
        self.label.setAccessibleName(translate("TabCount", "Nombre d'éléments affichés"))
        # Each listing tab: its page, the title of what it lists, the list shown and the whole.
        self.lists: dict[QWidget, tuple[str, QAbstractItemModel, QAbstractItemModel]] = {
            tab.page: (plural_label(tab.entity), tab.inventory.proxy, tab.inventory.model)
            for tab in (window.software, window.processors, *window.companions)
        }
        history = window.history_page
        self.lists[history] = (
            translate("TabCount", "Historique"),
            history.proxy,
            history.model,
        )
        for _title, shown, _whole in self.lists.values():
            for signal in (shown.modelReset, shown.rowsInserted, shown.rowsRemoved):
                signal.connect(self.update)
            shown.layoutChanged.connect(self.update)
        window.statusBar().addPermanentWidget(window.activities.count_label)
        window.statusBar().addPermanentWidget(self.label)
        window.tabs.currentChanged.connect(self.update)
        self.update()

    def update(self, *_args: object) -> None:
        """Show the count of the tab shown (the activities tab shows its own)."""
        page = self.window.tabs.currentWidget()
        self.window.activities.count_label.setVisible(page is self.window.activities.page)
        listed = self.lists.get(page)
        if listed is None:
            self.label.hide()
            return
        what, shown, whole = listed
        self.label.setText(count_text(what, shown.rowCount(), whole.rowCount()))
        self.label.show()
