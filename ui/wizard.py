"""« Déclarer un traitement »: the guided declaration of a processing activity, for a secretary.

Entry point: ``DeclarationWizard(register, organisation_id, parent=None)``, a ``QWizard``. It
starts from a template of the catalogue (its answers are proposed on every page) or from
scratch, asks one question per page (``ui.wizard_pages``), lets the secretary answer « Je ne
sais pas » (the question is noted for the DPO instead of blocking), and ends on a summary: what
is filled in, what is still missing (the checker's findings on the declaration, before it is
saved) and what to see with the DPO, with a printable fiche (PDF).

The activity is created by **one** service call when the secretary presses « Enregistrer »
(``templates.create_from_template`` or ``services.create_activity``, the to-dos included): a
cancelled wizard leaves nothing behind. ``activity_created`` then carries the new activity's
id. The activity stays a draft (``status = "draft"``) until the DPO validates it.

The questions, how answers read, the checks before saving and the fiche's content come from
``registre.declaration`` (no Qt); this module and ``ui.wizard_pages`` only show them. Each
« Je ne sais pas » becomes a to-do for the DPO (``registre.todos``), created with the activity
in the same service call.
"""

from __future__ import annotations

import html
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QModelIndex, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from registre import declaration, services, templates, todos
from registre.checker import Finding
from registre.declaration import (
    QUESTIONS,
    Fiche,
    fiche_texts,
    overview_text,
    write_fiche,
)
from registre.errors import RegistreError
from registre.schema import ORGANISATION
from registre.storage import Register
from registre_ui.editing import ChangeRecorder
from registre_ui.i18n import language
from registre_ui.messages import show_error
from registre_ui.values import fold_text
from registre_ui.widgets import NOTICE_STYLE, plain_label
from registre_ui.wizard_pages import QuestionPage, make_page

NO_OPEN_ENV = "REGISTRE_NO_OPEN"  # the same switch as the exports: tests do not open viewers
START_ID = 0
SUMMARY_ID = len(QUESTIONS) + 1

# --------------------------------------------------------------------------------------------
# Findings in the interface language
# --------------------------------------------------------------------------------------------


def finding_text(finding: Finding) -> str:
    """A finding as a secretary reads it, in the interface language."""
    return declaration.finding_text(finding, language())


def open_points(findings: Iterable[Finding], todo_questions: Iterable[str]) -> list[Finding]:
    """Errors and warnings a secretary can act on, minus the questions noted for the DPO."""
    return declaration.open_points(findings, todo_questions)


# --------------------------------------------------------------------------------------------
# The fiche: the summary on screen and the printed sheet
# --------------------------------------------------------------------------------------------


def _items(lines: Iterable[str], css_class: str = "") -> str:
    attribute = f' class="{css_class}"' if css_class else ""
    body = "".join(f"<li{attribute}>{html.escape(line)}</li>" for line in lines)
    return f"<ul>{body}</ul>"


def _paragraph(text: str, css_class: str = "") -> str:
    attribute = f' class="{css_class}"' if css_class else ""
    return f"<p{attribute}>{html.escape(text)}</p>"


FICHE_STYLE = """
h1 { font-size: 17pt; margin-bottom: 2px; }
h2 { font-size: 13pt; margin-top: 14px; margin-bottom: 4px; }
td { padding: 4px 6px; vertical-align: top; }
td.question { font-weight: bold; width: 34%; }
p.note { color: #555555; }
p.overview { font-weight: bold; }
li { margin-bottom: 3px; }
"""


def _heading(text: str) -> str:
    return f"<h2>{html.escape(text)}</h2>"


def fiche_html(fiche: Fiche) -> str:
    """The fiche as HTML, for the wizard's summary on screen: every user string is escaped."""
    lang = language()
    texts = fiche_texts(lang)
    parts = [f"<html><head><style>{FICHE_STYLE}</style></head><body>"]
    parts.append(_paragraph(overview_text(fiche, lang), "overview"))
    parts.append(_heading(texts.todos_heading))
    if fiche.todos:
        parts.append(_paragraph(texts.todos_intro))
        parts.append(_items(fiche.todos))
    else:
        parts.append(_paragraph(texts.no_todo))
    parts.append(_heading(texts.missing_heading))
    if fiche.missing:
        parts.append(_items(fiche.missing))
        parts.append(_paragraph(texts.missing_note, "note"))
    else:
        parts.append(_paragraph(texts.nothing_missing))
    parts.append(_heading(texts.answers_heading))
    if fiche.answered:
        rows = "".join(
            f'<tr><td class="question" width="34%">{html.escape(question.title(lang))}</td>'
            f"<td>{'<br/>'.join(html.escape(line) for line in lines)}</td></tr>"
            for question, lines in fiche.answered
        )
        parts.append(f'<table width="100%" cellspacing="0" cellpadding="4">{rows}</table>')
    else:
        parts.append(_paragraph(texts.no_answer))
    parts.append("</body></html>")
    return "".join(parts)


def save_fiche_pdf(
    fiche: Fiche, parent: QWidget, done: Callable[[str], None], write: Callable[[Path], Path]
) -> Path | None:
    """« Enregistrer la fiche en PDF… »: ask where, ``write`` the fiche there (the register's
    PDF engine), tell ``done`` where it is and open it to be printed or sent."""
    translate = QCoreApplication.translate
    suggested = Path.home() / f"{safe_file_name(fiche.name)}.pdf"
    chosen, _filter = QFileDialog.getSaveFileName(
        parent,
        translate("DeclarationWizard", "Enregistrer la fiche en PDF"),
        str(suggested),
        translate("DeclarationWizard", "Fichiers PDF (*.pdf)"),
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".pdf":  # « v1.2 » is a name, not a suffix to replace
        path = path.with_name(path.name + ".pdf")
    try:
        write(path)
    except RegistreError as error:
        show_error(parent, error)
        return None
    done(
        translate(
            "DeclarationWizard",
            "La fiche « {name} » est enregistrée dans {file}. Elle s'ouvre dans votre lecteur "
            "de PDF : imprimez-la ou envoyez-la au DPO.",
        ).format(name=fiche.name, file=path)
    )
    if not os.environ.get(NO_OPEN_ENV):
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    return path


def safe_file_name(text: str) -> str:
    """``text`` usable as a file name on every system."""
    kept = "".join(char if char.isalnum() or char in " -_" else " " for char in text)
    return " ".join(kept.split())[:80] or "fiche"


# --------------------------------------------------------------------------------------------
# First page: a template or nothing
# --------------------------------------------------------------------------------------------


class StartPage(QWizardPage):
    """« Point de départ »: a template of the catalogue (searchable, by category) or scratch."""

    def __init__(self, catalogue: templates.Catalogue, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.catalogue = catalogue
        self.setTitle(self.tr("Par quoi voulez-vous commencer ?"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Choisissez le modèle qui ressemble le plus à ce que fait votre service : ses "
                "réponses vous seront proposées à chaque question, et vous pourrez les garder "
                "ou les changer."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.template_radio = QRadioButton(self.tr("Partir d'un &modèle (conseillé)"), self)
        self.template_radio.setChecked(True)
        layout.addWidget(self.template_radio)

        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(
            self.tr("Rechercher un modèle, par exemple « cantine »")
        )
        self.search_edit.setAccessibleName(self.tr("Rechercher un modèle"))
        self.search_edit.setClearButtonEnabled(True)
        search_label = QLabel(self.tr("&Rechercher :"), self)
        search_label.setBuddy(self.search_edit)
        search_row = QHBoxLayout()
        search_row.setContentsMargins(24, 0, 0, 0)
        search_row.addWidget(search_label)
        search_row.addWidget(self.search_edit, 1)
        layout.addLayout(search_row)

        self.tree = QTreeWidget(self)
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName(self.tr("Modèles de traitements, par thème"))
        self.tree.setRootIsDecorated(True)
        self._items: dict[str, QTreeWidgetItem] = {}
        # Each theme's item and its templates' items, with the folded text a search looks in.
        self._themes: list[tuple[QTreeWidgetItem, str, list[tuple[QTreeWidgetItem, str]]]] = []
        for category, items in catalogue.by_category():
            parent_item = QTreeWidgetItem(self.tree, [category.name(language())])
            parent_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = parent_item.font(0)
            font.setBold(True)
            parent_item.setFont(0, font)
            children = []
            for template in items:
                item = QTreeWidgetItem(parent_item, [template.name(language())])
                item.setData(0, Qt.ItemDataRole.UserRole, template.id)
                item.setToolTip(0, str(template.activity.get("main_purpose") or ""))
                self._items[template.id] = item
                searched = [item.text(0)] + [
                    str(template.activity.get(key) or "")
                    for key in ("service", "main_purpose", "description")
                ]
                children.append((item, fold_text(" ".join(searched))))
            self._themes.append((parent_item, fold_text(parent_item.text(0)), children))
        self.tree.expandAll()
        tree_row = QHBoxLayout()
        tree_row.setContentsMargins(24, 0, 0, 0)
        tree_row.addWidget(self.tree, 1)
        layout.addLayout(tree_row, 1)
        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.PlainText)
        self.preview.setIndent(24)
        self.preview.setMinimumHeight(self.preview.fontMetrics().lineSpacing() * 3)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.preview)

        self.scratch_radio = QRadioButton(
            self.tr("Partir de &zéro : aucune réponse proposée, pour un traitement sans modèle"),
            self,
        )
        layout.addWidget(self.scratch_radio)

        self.search_edit.textChanged.connect(self._filter)
        self.tree.currentItemChanged.connect(self._selection_changed)
        self.tree.itemDoubleClicked.connect(self._double_clicked)
        self.template_radio.toggled.connect(self._mode_changed)
        self._mode_changed()

    def template_id(self) -> str | None:
        """The chosen template, None when starting from scratch or when none is selected."""
        if self.scratch_radio.isChecked():
            return None
        item = self.tree.currentItem()
        value = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return str(value) if value else None

    def choose_template(self, template_id: str) -> None:
        """Select the template ``template_id``."""
        self.template_radio.setChecked(True)
        self.tree.setCurrentItem(self._items[template_id])

    def choose_scratch(self) -> None:
        """Start from scratch."""
        self.scratch_radio.setChecked(True)

    def isComplete(self) -> bool:
        """Scratch, or a template selected."""
        return self.scratch_radio.isChecked() or self.template_id() is not None

    def validatePage(self) -> bool:
        """Propose the chosen template's answers on the next pages."""
        wizard = self.wizard()
        if isinstance(wizard, DeclarationWizard):
            wizard.load_source(self.template_id())
        return True

    def _mode_changed(self) -> None:
        from_template = self.template_radio.isChecked()
        self.search_edit.setEnabled(from_template)
        self.tree.setEnabled(from_template)
        self._selection_changed()

    def _selection_changed(self) -> None:
        template_id = self.template_id()
        template = self.catalogue.find(template_id) if template_id else None
        if template is None:
            self.preview.setText("")
        else:
            self.preview.setText(
                self.tr("Ce modèle : {purpose}").format(
                    purpose=template.activity.get("main_purpose") or template.name(language())
                )
            )
        self.completeChanged.emit()

    def _double_clicked(self, item: QTreeWidgetItem) -> None:
        if item.data(0, Qt.ItemDataRole.UserRole) and self.wizard() is not None:
            self.wizard().next()

    def _filter(self, text: str) -> None:
        wanted = fold_text(text.strip())
        first_match: QTreeWidgetItem | None = None
        for category, category_text, children in self._themes:
            category_matches = bool(wanted) and wanted in category_text
            visible = 0
            for child, haystack in children:
                shown = not wanted or category_matches or wanted in haystack
                child.setHidden(not shown)
                if shown:
                    visible += 1
                    first_match = first_match or child
            category.setHidden(visible == 0)
        current = self.tree.currentItem()
        if wanted and first_match is not None and (current is None or current.isHidden()):
            self.tree.setCurrentItem(first_match)
        if first_match is None:
            self.tree.setCurrentIndex(QModelIndex())  # no template chosen
            self.preview.setText(
                self.tr(
                    "Aucun modèle ne correspond à « {text} ». Essayez un autre mot, ou partez "
                    "de zéro."
                ).format(text=text.strip())
            )
            self.completeChanged.emit()


# --------------------------------------------------------------------------------------------
# Last page: the summary
# --------------------------------------------------------------------------------------------


class SummaryPage(QWizardPage):
    """« Récapitulatif »: filled in, missing, to see with the DPO; the fiche in PDF."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Récapitulatif"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Relisez votre déclaration. Cliquez sur « Enregistrer » pour l'ajouter au "
                "registre : elle restera un brouillon jusqu'à ce que le DPO la valide. Pour "
                "changer une réponse, revenez en arrière avec « Précédent »."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName(self.tr("Récapitulatif de la déclaration"))
        layout.addWidget(self.browser, 1)
        self.pdf_button = QPushButton(self.tr("Enregistrer la fiche en P&DF…"), self)
        self.pdf_button.setAccessibleDescription(
            self.tr("Enregistre la fiche dans un fichier PDF, à imprimer ou à envoyer au DPO")
        )
        self.done_label = plain_label("", selectable=True)
        self.done_label.setStyleSheet(NOTICE_STYLE)
        self.done_label.hide()
        row = QHBoxLayout()
        row.addWidget(self.pdf_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.done_label)
        self.pdf_button.clicked.connect(self.save_pdf)
        self.fiche: Fiche | None = None

    def initializePage(self) -> None:
        """Check the declaration and show the summary."""
        self.refresh()

    def refresh(self) -> None:
        """Build the fiche from the answers and show it."""
        wizard = self.wizard()
        assert isinstance(wizard, DeclarationWizard)
        self.fiche = wizard.fiche()
        self.browser.setHtml(fiche_html(self.fiche))

    def write_fiche(self, path: Path) -> Path:
        """Write the fiche as it stands to ``path`` (PDF)."""
        return write_fiche(self._current_fiche(), path, language())

    def _current_fiche(self) -> Fiche:
        if self.fiche is None:
            self.refresh()
        assert self.fiche is not None
        return self.fiche

    def _saved(self, text: str) -> None:
        self.done_label.setText(text)
        self.done_label.show()

    def save_pdf(self) -> Path | None:
        """« Enregistrer la fiche en PDF… »."""
        return save_fiche_pdf(self._current_fiche(), self, self._saved, self.write_fiche)


# --------------------------------------------------------------------------------------------
# The wizard
# --------------------------------------------------------------------------------------------


class DeclarationWizard(QWizard):
    """« Déclarer un traitement »: from a template or from scratch, one question per page.

    ``activity_created(str)`` carries the id of the activity once it is saved.
    """

    activity_created = Signal(str)

    def __init__(
        self,
        register: Register,
        organisation_id: str,
        parent: QWidget | None = None,
        *,
        catalogue: templates.Catalogue | None = None,
        recorder: ChangeRecorder | None = None,
    ) -> None:
        super().__init__(parent)
        self.register = register
        self.organisation_id = organisation_id
        self.recorder = recorder  # with one, the creation is a step of « Annuler » (Ctrl+Z)
        self.created_reference = ""
        self.duplicate_question: QMessageBox | None = None
        self._duplicate_confirmed = False
        self.catalogue = catalogue or templates.load_catalogue()
        self.organisation_name = str(
            services.record_of(register, ORGANISATION.name, organisation_id).get("name") or ""
        )
        self.created_activity_id: str | None = None
        self._source: str | None = ""  # "" before the first page is left; None: scratch
        self._base: dict[str, Any] = {}

        self.setWindowTitle(
            self.tr("Déclarer un traitement — {organisation}").format(
                organisation=self.organisation_name
            )
        )
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< &Précédent"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Suivant >"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Enregistrer"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Annuler"))

        self.start_page = StartPage(self.catalogue, self)
        self.setPage(START_ID, self.start_page)
        self.question_pages: dict[str, QuestionPage] = {}
        for number, question in enumerate(QUESTIONS, 1):
            page = make_page(question, self)
            page.set_step(number, len(QUESTIONS))
            self.question_pages[question.key] = page
            self.setPage(number, page)
        self.summary_page = SummaryPage(self)
        self.setPage(SUMMARY_ID, self.summary_page)
        self.setStartId(START_ID)
        self.resize(960, 760)

    # -- answers -------------------------------------------------------------------------------

    def page_for(self, question_key: str) -> QuestionPage:
        """The page asking the question ``question_key`` (``"transfers"``…)."""
        return self.question_pages[question_key]

    def load_source(self, template_id: str | None) -> None:
        """Propose the answers of ``template_id`` (nothing when None) on every question page.

        Called when the first page is left; answers already given are kept when the same
        starting point is confirmed again.
        """
        if template_id == self._source:
            return
        self._source = template_id
        if template_id is None:
            self._base = {}
        else:
            template = self.catalogue.get(template_id)
            self._base = {**template.values(), "name": template.name_fr}
        for page in self.question_pages.values():
            page.reset(self._base)

    @property
    def template_id(self) -> str | None:
        """The template the declaration starts from (None: from scratch)."""
        return self._source or None

    def unknown(self) -> list[str]:
        """Keys of the questions answered « Je ne sais pas »."""
        return [key for key, page in self.question_pages.items() if page.is_unknown()]

    def answers(self) -> dict[str, Any]:
        """Every answer by schema key, and a to-do for each « Je ne sais pas »."""
        values: dict[str, Any] = {}
        for page in self.question_pages.values():
            values.update(page.values())
        values["status"] = "draft"
        values[todos.TODOS_KEY] = declaration.todos_for(self.unknown())
        return values

    def full_values(self) -> dict[str, Any]:
        """What the activity will hold: the template's values overridden by the answers."""
        return {**self._base, **self.answers()}

    def fiche(self) -> Fiche:
        """The summary of the declaration as it stands, checked by the register's rules."""
        return declaration.draft_fiche(
            self.register,
            self.organisation_id,
            self.full_values(),
            self.unknown(),
            organisation=self.organisation_name,
            template_id=self.template_id,
            lang=language(),
        )

    # -- saving --------------------------------------------------------------------------------

    def create_activity(self) -> str:
        """Create the activity in one service call (one undo step with a recorder), with the
        next reference of the organisation; returns its id."""
        values = self.answers()
        name = str(values.pop("name") or "")
        if not values.get("reference"):
            values["reference"] = services.next_activity_reference(
                self.register, self.organisation_id
            )
        self.created_reference = str(values["reference"])
        register = self.register

        def run(function: Callable[..., services.Change], **kwargs: Any) -> services.Change:
            if self.recorder is not None:
                return self.recorder.run(function, **kwargs)
            return function(register, **kwargs)

        if self.template_id is not None:
            change = run(
                templates.create_from_template,
                organisation_id=self.organisation_id,
                template_id=self.template_id,
                overrides={"name": name, **values},
                catalogue=self.catalogue,
            )
        else:
            values = {key: value for key, value in values.items() if value not in (None, [])}
            change = run(
                services.create_activity,
                organisation_id=self.organisation_id,
                name=name,
                **values,
            )
        return change.id

    def same_name(self) -> list[services.ActivitySummary]:
        """Activities of the organisation already named like the declaration (accents and case
        aside)."""
        name = fold_text(str(self.answers().get("name") or "").strip())
        return [
            activity
            for activity in services.list_activities(self.register, self.organisation_id)
            if fold_text(activity.name.strip()) == name
        ]

    def creation_text(self) -> str:
        """What the window says once the activity is created."""
        text = self.tr(
            "Le traitement « {name} » est enregistré sous la référence {reference}. Il reste "
            "un brouillon jusqu'à sa validation par le DPO."
        ).format(name=str(self.answers().get("name") or ""), reference=self.created_reference)
        if self.recorder is not None:
            text += " " + self.tr("Édition › Annuler (Ctrl+Z) le retire du registre.")
        return text

    def accept(self) -> None:
        """« Enregistrer »: create the activity, then close (stay open on a refused value).

        A second activity of the same name is created only once the secretary has said so.
        """
        if self.created_activity_id is None:
            if not self._duplicate_confirmed and self._ask_about_duplicate():
                return
            try:
                self.created_activity_id = self.create_activity()
            except RegistreError as error:
                show_error(self, error)
                return
            self.activity_created.emit(self.created_activity_id)
        super().accept()

    def _ask_about_duplicate(self) -> bool:
        """Ask before a second activity of the same name; True while the question is open."""
        existing = self.same_name()
        if not existing:
            return False
        first = existing[0]
        box = QMessageBox(self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Ce traitement existe déjà"))
        box.setText(
            self.tr(
                "Le registre contient déjà un traitement « {name} »{reference}. En créer un "
                "second du même nom ?"
            ).format(
                name=first.name,
                reference=f" ({first.reference})" if first.reference else "",
            )
        )
        box.setInformativeText(
            self.tr("Pour compléter celui qui existe, revenez en arrière et changez le nom.")
        )
        create = box.addButton(self.tr("&Créer quand même"), QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton(self.tr("&Revenir"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        box.setEscapeButton(back)
        create.clicked.connect(self._create_anyway)
        self.duplicate_question = box
        box.open()
        return True

    def _create_anyway(self) -> None:
        self._duplicate_confirmed = True
        self.accept()

    def reject(self) -> None:
        """« Annuler »: nothing is saved; asks first once questions have been answered."""
        started = self.created_activity_id is None and self.currentId() != START_ID
        if started and not self.confirm_abandon():
            return
        super().reject()

    def confirm_abandon(self) -> bool:
        """Ask whether to abandon the declaration (True: abandon)."""
        answer = QMessageBox.question(
            self,
            self.tr("Abandonner la déclaration ?"),
            self.tr("Vos réponses ne seront pas enregistrées. Abandonner la déclaration ?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes
