"""« Référentiels »: the reference vocabularies the pick-lists come from, with date and source."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from registre.schema import vocabularies_used
from registre.vocabularies import Vocabulary, vocabulary
from registre_ui.i18n import language
from registre_ui.models import Column, ReadOnlyTableModel, SearchFilterProxy, TableRow
from registre_ui.values import fold_text
from registre_ui.widgets import RecordTableView, plain_label, secondary


def _columns() -> list[Column]:
    translate = QCoreApplication.translate
    return [
        Column(translate("VocabularyModel", "Libellé")),
        Column(translate("VocabularyModel", "Explication")),
        Column(
            translate("VocabularyModel", "Clé"),
            translate("VocabularyModel", "Code enregistré dans le registre et les exports"),
        ),
    ]


class VocabularyModel(ReadOnlyTableModel):
    """The terms of one vocabulary."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(_columns(), parent)

    def set_vocabulary(self, terms: Vocabulary) -> None:
        """Show the terms of ``terms``."""
        english = language() == "en"
        self._replace_rows(
            [
                TableRow.build(
                    term.key,
                    [term.label(language()), term.help_en if english else term.help_fr, term.key],
                )
                for term in terms.terms
            ]
        )


class ReferencesPage(QWidget):
    """Pick a vocabulary, read its terms, its version and its source."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        translate = QCoreApplication.translate
        self.combo = QComboBox()
        names = sorted(vocabularies_used(), key=lambda name: fold_text(self._title(name)))
        for name in names:
            self.combo.addItem(self._title(name), name)
        self.combo.currentIndexChanged.connect(self._show)
        label = QLabel(translate("ReferencesPage", "&Référentiel :"))
        label.setBuddy(self.combo)
        self.search_edit = QLineEdit()
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(translate("ReferencesPage", "Rechercher…"))
        self.search_edit.setAccessibleName(translate("ReferencesPage", "Rechercher un terme"))
        self.source_label = plain_label("", selectable=True)
        secondary(self.source_label)
        self.model = VocabularyModel(self)
        self.proxy = SearchFilterProxy(self.model, self)
        self.search_edit.textChanged.connect(self.proxy.set_search_text)
        self.table = RecordTableView(translate("ReferencesPage", "Termes du référentiel"))
        self.table.priority_column = 0
        self.table.setModel(self.proxy)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the vocabulary's own order
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.combo, 1)
        top.addWidget(self.search_edit, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.source_label)
        layout.addWidget(self.table, 1)
        self._show()

    @staticmethod
    def _title(name: str) -> str:
        terms = vocabulary(name)
        return terms.label_en if language() == "en" else terms.label_fr

    def _show(self) -> None:
        name = self.combo.currentData()
        if not isinstance(name, str):
            return
        terms = vocabulary(name)
        self.model.set_vocabulary(terms)
        self.source_label.setText(
            QCoreApplication.translate(
                "ReferencesPage", "Version du {version} — source : {source}"
            ).format(version=terms.version, source=terms.source)
        )
