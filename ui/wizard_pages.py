"""The question pages of the « Déclarer un traitement » wizard (``ui.wizard``).

Each page asks one question in plain French, shows an example, explains « Pourquoi cette
question ? » with what the law asks (the Article 30 item the schema ties to it, in words), and
offers « Je ne sais pas »: the question is then left empty and noted for the DPO, and the
secretary goes on.

The questions, their examples, « Pourquoi cette question ? » and how an answer reads come from
``registre.declaration``; labels, help texts and closed lists from ``registre.schema`` and the
reference vocabularies, the help as the secretary reads it (``plain_help``: the same advice
without the article numbers the DPO's form keeps). This module holds the widgets only. A page never
writes to the register: it returns its answers (schema keys → values) to the wizard, which
creates the activity in one service call at the end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from registre.declaration import Question, answer_lines, empty_value, why_text
from registre.schema import ACTIVITY, Entity, Field, Kind
from registre.vocabularies import Term, vocabulary
from registre_ui.i18n import language
from registre_ui.widgets import secondary

# --------------------------------------------------------------------------------------------
# Small widgets
# --------------------------------------------------------------------------------------------

TEXT_LINES = 3


def hint_label(text: str, parent: QWidget | None = None) -> QLabel:
    """A small grey explanation under an input (plain text, wrapped)."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    secondary(label)
    return label


def text_edit(spec: Field, accessible: str, lines: int = TEXT_LINES) -> QPlainTextEdit:
    """A multi-line input for ``spec`` where Tab moves to the next input."""
    edit = QPlainTextEdit()
    edit.setTabChangesFocus(True)
    edit.setAccessibleName(accessible)
    edit.setAccessibleDescription(spec.plain_help(language()))
    edit.setPlaceholderText(spec.plain_help(language()))
    height = edit.fontMetrics().lineSpacing() * lines + 14
    edit.setFixedHeight(height)
    return edit


def line_edit(spec: Field, accessible: str) -> QLineEdit:
    """A one-line input for ``spec``."""
    edit = QLineEdit()
    edit.setAccessibleName(accessible)
    edit.setAccessibleDescription(spec.plain_help(language()))
    edit.setPlaceholderText(spec.plain_help(language()))
    if spec.max_length:
        edit.setMaxLength(spec.max_length)
    return edit


def options_of(spec: Field) -> list[tuple[str, str, str]]:
    """(key, label, help) of each choice of a CHOICE field, from the schema or a vocabulary."""
    lang = language()
    if spec.choices:
        return [(c.key, c.label_en if lang == "en" else c.label_fr, "") for c in spec.choices]
    return [
        (term.key, term.label(lang), term.plain_help(lang))
        for term in vocabulary(spec.vocabulary).terms
    ]


def choice_combo(spec: Field, accessible: str) -> QComboBox:
    """A drop-down list of the field's choices, with « — » for no answer."""
    combo = QComboBox()
    combo.setAccessibleName(accessible)
    combo.setAccessibleDescription(spec.plain_help(language()))
    combo.addItem("—", None)
    for key, label, help_text in options_of(spec):
        combo.addItem(label, key)
        if help_text:
            combo.setItemData(combo.count() - 1, help_text, Qt.ItemDataRole.ToolTipRole)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def set_combo_key(combo: QComboBox, key: str | None) -> None:
    """Select the item whose data is ``key`` (« — » when absent)."""
    index = combo.findData(key) if key is not None else 0
    combo.setCurrentIndex(max(index, 0))


def text_of(widget: QLineEdit | QPlainTextEdit) -> str | None:
    """The stripped text of an input, None when empty."""
    text = widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
    return text.strip() or None


class WhyBox(QWidget):
    """« Pourquoi cette question ? »: a button that shows or hides one sentence."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        translate = QCoreApplication.translate
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.button = QToolButton(self)
        self.button.setText(translate("WizardPages", "Pourquoi cette question ?"))
        self.button.setCheckable(True)
        self.button.setAutoRaise(True)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setArrowType(Qt.ArrowType.RightArrow)
        self.button.setAccessibleDescription(text)
        self.label = QLabel(text, self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setIndent(22)
        self.label.setVisible(False)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.label)
        self.button.toggled.connect(self._toggle)

    def _toggle(self, shown: bool) -> None:
        self.label.setVisible(shown)
        self.button.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)


# --------------------------------------------------------------------------------------------
# One row of a collection (a data category, a recipient…) as a small form
# --------------------------------------------------------------------------------------------


class RowForm(QFrame):
    """The inputs of one row of a collection; keeps the row's other values (sources…)."""

    remove_requested = Signal(object)

    def __init__(
        self,
        entity: Entity,
        field_keys: Sequence[str],
        values: Mapping[str, Any],
        context: str,
        removable: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        translate = QCoreApplication.translate
        self.entity = entity
        self.field_keys = tuple(field_keys)
        self._kept = {key: value for key, value in values.items() if key != "id"}
        self._inputs: dict[str, QWidget] = {}
        lang = language()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        form = QFormLayout(self)
        form.setContentsMargins(8, 6, 8, 6)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for key in self.field_keys:
            spec = entity.field(key)
            accessible = f"{spec.label(lang)} — {context}" if context else spec.label(lang)
            label = QLabel(spec.label(lang), self)
            if key == "retention_value":
                field_widget, buddy = self._retention(spec, values, context)
            elif spec.kind == Kind.CHOICE:
                combo = choice_combo(spec, accessible)
                set_combo_key(combo, values.get(key))
                field_widget = buddy = combo
            elif spec.kind == Kind.LONGTEXT:
                edit = text_edit(spec, accessible, lines=2)
                edit.setPlainText(str(values.get(key) or ""))
                field_widget = buddy = edit
            else:
                line = line_edit(spec, accessible)
                line.setText(str(values.get(key) or ""))
                field_widget = buddy = line
            self._inputs.setdefault(key, buddy)
            label.setBuddy(buddy)
            form.addRow(label, field_widget)
        self.remove_button: QPushButton | None = None
        if removable:
            remove = QPushButton(translate("WizardPages", "Retirer cette ligne"), self)
            self.remove_button = remove
            remove.setAccessibleName(
                translate("WizardPages", "Retirer cette ligne — {context}").format(context=context)
            )
            remove.clicked.connect(lambda: self.remove_requested.emit(self))
            form.addRow("", remove)

    def _retention(
        self, spec: Field, values: Mapping[str, Any], context: str
    ) -> tuple[QWidget, QWidget]:
        """The period: a number and its unit side by side."""
        translate = QCoreApplication.translate
        lang = language()
        box = QWidget(self)
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        spin = QSpinBox(box)
        spin.setRange(0, 999)
        spin.setSpecialValueText("—")
        spin.setAccessibleName(f"{spec.label(lang)} — {context}")
        spin.setAccessibleDescription(spec.plain_help(lang))
        spin.setValue(int(values.get("retention_value") or 0))
        unit_spec = self.entity.field("retention_unit")
        unit = choice_combo(unit_spec, f"{unit_spec.label(lang)} — {context}")
        set_combo_key(unit, values.get("retention_unit"))
        row.addWidget(spin)
        row.addWidget(unit)
        row.addStretch(1)
        unit.currentIndexChanged.connect(lambda: spin.setEnabled(unit.currentData() != "unlimited"))
        spin.setEnabled(unit.currentData() != "unlimited")
        spin.setToolTip(translate("WizardPages", "Le nombre de jours, de mois ou d'années"))
        self._inputs["retention_value"] = spin
        self._inputs["retention_unit"] = unit
        return box, spin

    def input(self, key: str) -> QWidget:
        """The input of field ``key`` (for tests and focus)."""
        return self._inputs[key]

    def focus_widgets(self) -> list[QWidget]:
        """The row's inputs and buttons, in the order Tab should visit them."""
        widgets = list(self._inputs.values())
        if self.remove_button is not None:
            widgets.append(self.remove_button)
        return widgets

    def place_in_tab_order(self, after: QWidget) -> QWidget:
        """Make Tab go from ``after`` through this row; returns the row's last widget."""
        previous = after
        for widget in self.focus_widgets():
            QWidget.setTabOrder(previous, widget)
            previous = widget
        return previous

    def value(self) -> dict[str, Any]:
        """The row's values: what the inputs hold, over the values it was loaded with."""
        row = dict(self._kept)
        for key, widget in self._inputs.items():
            if isinstance(widget, QSpinBox):
                unlimited = self._inputs["retention_unit"]
                assert isinstance(unlimited, QComboBox)
                row[key] = (
                    None
                    if widget.value() == 0 or unlimited.currentData() == "unlimited"
                    else widget.value()
                )
            elif isinstance(widget, QComboBox):
                row[key] = widget.currentData()
            elif isinstance(widget, QLineEdit | QPlainTextEdit):
                row[key] = text_of(widget)
        return row


# --------------------------------------------------------------------------------------------
# A checkable vocabulary whose checked terms hold rows
# --------------------------------------------------------------------------------------------


class TermGroup(QWidget):
    """One term of a vocabulary: its check box, its help and, once checked, its rows."""

    def __init__(
        self,
        term: Term,
        entity: Entity,
        term_key: str,
        row_fields: Sequence[str],
        add_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        lang = language()
        self.term = term
        self.entity = entity
        self.term_key = term_key
        self.row_fields = tuple(row_fields)
        self.forms: list[RowForm] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 2)
        layout.setSpacing(0)
        self.check = QCheckBox(term.label(lang), self)
        help_text = term.plain_help(lang)
        self.check.setAccessibleDescription(help_text)
        self.check.setToolTip(help_text)
        layout.addWidget(self.check)
        self.help = hint_label(help_text, self)
        self.help.setIndent(24)
        layout.addWidget(self.help)
        self.rows_box = QWidget(self)
        self.rows_layout = QVBoxLayout(self.rows_box)
        self.rows_layout.setContentsMargins(24, 4, 0, 4)
        layout.addWidget(self.rows_box)
        self.add_button: QPushButton | None = None
        if self.row_fields and add_text:
            self.add_button = QPushButton(add_text, self)
            self.add_button.setAccessibleName(f"{add_text} — {term.label(lang)}")
            self.add_button.clicked.connect(lambda: self.add_row({}, focus=True))
            holder = QHBoxLayout()
            holder.setContentsMargins(24, 0, 0, 4)
            holder.addWidget(self.add_button)
            holder.addStretch(1)
            layout.addLayout(holder)
        self.check.toggled.connect(self._toggled)
        self._toggled(False)

    def _toggled(self, checked: bool) -> None:
        if checked and self.row_fields and not self.forms:
            self.add_row({})
        self.rows_box.setVisible(checked)
        self.help.setVisible(not checked or not self.row_fields)
        if self.add_button is not None:
            self.add_button.setVisible(checked)

    def add_row(self, values: Mapping[str, Any], focus: bool = False) -> RowForm:
        """Add a row form (the first row of a term cannot be removed, only unchecked)."""
        form = RowForm(
            self.entity,
            self.row_fields,
            values,
            self.term.label(language()),
            removable=bool(self.forms),
            parent=self.rows_box,
        )
        form.remove_requested.connect(self._remove)
        anchor = self.forms[-1].focus_widgets()[-1] if self.forms else self.check
        self.forms.append(form)
        self.rows_layout.addWidget(form)
        form.place_in_tab_order(anchor)
        if focus and self.row_fields:
            form.input(self.row_fields[0]).setFocus()
        return form

    def _remove(self, form: RowForm) -> None:
        self.forms.remove(form)
        form.hide()
        form.deleteLater()
        self.check.setFocus()

    def clear(self) -> None:
        """Uncheck the term and drop its rows."""
        for form in self.forms:
            form.hide()
            form.deleteLater()
        self.forms = []
        self.check.setChecked(False)

    def rows(self) -> list[dict[str, Any]]:
        """The term's rows when it is checked (one bare row when it has no row fields)."""
        if not self.check.isChecked():
            return []
        if not self.row_fields:
            return [{self.term_key: self.term.key}]
        return [{**form.value(), self.term_key: self.term.key} for form in self.forms]


class TermRowsEditor(QWidget):
    """A collection edited as a checkable vocabulary: check what applies, then say more."""

    def __init__(
        self,
        collection_key: str,
        term_key: str,
        row_fields: Sequence[str],
        add_text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.collection_key = collection_key
        self.entity = ACTIVITY.collection(collection_key).entity
        self.term_key = term_key
        spec = self.entity.field(term_key)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.groups: dict[str, TermGroup] = {}
        for term in vocabulary(spec.vocabulary).terms:
            group = TermGroup(term, self.entity, term_key, row_fields, add_text, self)
            self.groups[term.key] = group
            layout.addWidget(group)
        self._other_rows: list[dict[str, Any]] = []

    def load(self, rows: Sequence[Mapping[str, Any]]) -> None:
        """Check the terms of ``rows`` and show each row."""
        for group in self.groups.values():
            group.clear()
        self._other_rows = []
        for row in rows:
            term_group = self.groups.get(str(row.get(self.term_key)))
            if term_group is None:
                self._other_rows.append(dict(row))
                continue
            if term_group.row_fields:
                term_group.add_row(row)
            term_group.check.setChecked(True)

    def set_checked(self, key: str, checked: bool = True) -> None:
        """Check or uncheck the term ``key``."""
        self.groups[key].check.setChecked(checked)

    def forms_of(self, key: str) -> list[RowForm]:
        """The row forms of the term ``key``."""
        return list(self.groups[key].forms)

    def checked_keys(self) -> list[str]:
        """Keys of the checked terms, in vocabulary order."""
        return [key for key, group in self.groups.items() if group.check.isChecked()]

    def rows(self) -> list[dict[str, Any]]:
        """Every row of the checked terms, in vocabulary order (unknown terms kept last)."""
        rows = [row for group in self.groups.values() for row in group.rows()]
        return rows + [dict(row) for row in self._other_rows]


# --------------------------------------------------------------------------------------------
# The question page
# --------------------------------------------------------------------------------------------


class QuestionPage(QWizardPage):
    """A page asking one question: example, « Pourquoi cette question ? », « Je ne sais pas »."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        translate = QCoreApplication.translate
        self.question = question
        self.setTitle(question.title(language()))
        outer = QVBoxLayout(self)
        self.step_label = QLabel(self)
        secondary(self.step_label)
        outer.addWidget(self.step_label)
        self.example_label = QLabel(question.example_text(language()), self)
        self.example_label.setTextFormat(Qt.TextFormat.PlainText)
        self.example_label.setWordWrap(True)
        font = self.example_label.font()
        font.setItalic(True)
        self.example_label.setFont(font)
        outer.addWidget(self.example_label)
        self.why = WhyBox(why_text(question.why, language()), self)
        outer.addWidget(self.why)

        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.body = QWidget(self.scroll_area)
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 6, 12, 6)
        self.build(self.body_layout)
        self.body_layout.addStretch(1)
        self.scroll_area.setWidget(self.body)
        outer.addWidget(self.scroll_area, 1)

        self.unknown_box = QCheckBox(translate("WizardPages", "Je ne sais pas"), self)
        note = translate(
            "WizardPages",
            "La question restera vide et sera notée « À voir avec le DPO ». Vous pouvez continuer.",
        )
        self.unknown_box.setAccessibleDescription(note)
        self.unknown_note = hint_label(note, self)
        unknown_row = QHBoxLayout()
        unknown_row.setContentsMargins(0, 6, 0, 0)
        unknown_row.addWidget(self.unknown_box)
        unknown_row.addWidget(self.unknown_note, 1)
        outer.addLayout(unknown_row)
        self.unknown_box.setVisible(question.allow_unknown)
        self.unknown_note.setVisible(question.allow_unknown)
        self.unknown_box.toggled.connect(self._unknown_toggled)

    # -- to be provided by each page -------------------------------------------------------

    def build(self, layout: QVBoxLayout) -> None:
        """Create the page's inputs in ``layout``."""
        raise NotImplementedError

    def load(self, values: Mapping[str, Any]) -> None:
        """Show the answers held in ``values`` (a template's values, or nothing)."""
        raise NotImplementedError

    def answers(self) -> dict[str, Any]:
        """The answers the inputs hold, by schema key."""
        raise NotImplementedError

    # -- shared behaviour ------------------------------------------------------------------

    def set_step(self, number: int, total: int) -> None:
        """Show « Question n sur N »."""
        self.step_label.setText(
            QCoreApplication.translate("WizardPages", "Question {number} sur {total}").format(
                number=number, total=total
            )
        )

    def reset(self, values: Mapping[str, Any]) -> None:
        """Load ``values`` and forget a previous « Je ne sais pas »."""
        self.unknown_box.setChecked(False)
        self.load(values)

    def is_unknown(self) -> bool:
        """True when the secretary answered « Je ne sais pas »."""
        return self.question.allow_unknown and self.unknown_box.isChecked()

    def values(self) -> dict[str, Any]:
        """What the activity receives from this page (empty values after « Je ne sais pas »)."""
        if self.is_unknown():
            return {key: empty_value(key) for key in self.question.keys}
        return self.answers()

    def answer_lines(self) -> list[str]:
        """The answers as the secretary reads them, one line each (empty when none)."""
        return answer_lines(self.question.key, self.answers(), language())

    def is_answered(self) -> bool:
        """True when the page holds an answer."""
        return not self.is_unknown() and bool(self.answer_lines())

    def _unknown_toggled(self, unknown: bool) -> None:
        self.body.setEnabled(not unknown)


# --------------------------------------------------------------------------------------------
# The pages
# --------------------------------------------------------------------------------------------


def _label(key: str) -> str:
    return ACTIVITY.field(key).label(language())


class NamePage(QuestionPage):
    """Name of the activity and the department that runs it (the name is required)."""

    def build(self, layout: QVBoxLayout) -> None:
        translate = QCoreApplication.translate
        form = QFormLayout()
        name_spec = ACTIVITY.field("name")
        self.name_edit = line_edit(name_spec, _label("name"))
        name_label = QLabel(
            translate("WizardPages", "{label} (obligatoire)").format(label=_label("name")), self
        )
        name_label.setBuddy(self.name_edit)
        form.addRow(name_label, self.name_edit)
        service_spec = ACTIVITY.field("service")
        self.service_edit = line_edit(service_spec, _label("service"))
        service_label = QLabel(_label("service"), self)
        service_label.setBuddy(self.service_edit)
        form.addRow(service_label, self.service_edit)
        layout.addLayout(form)
        self.name_edit.textChanged.connect(self.completeChanged)

    def load(self, values: Mapping[str, Any]) -> None:
        self.name_edit.setText(str(values.get("name") or ""))
        self.service_edit.setText(str(values.get("service") or ""))

    def answers(self) -> dict[str, Any]:
        return {"name": text_of(self.name_edit), "service": text_of(self.service_edit)}

    def isComplete(self) -> bool:
        """The wizard goes on once the activity has a name."""
        return bool(self.name_edit.text().strip())


class PurposesPage(QuestionPage):
    """The main purpose and, one per line, the more precise purposes."""

    def build(self, layout: QVBoxLayout) -> None:
        translate = QCoreApplication.translate
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.main_edit = text_edit(ACTIVITY.field("main_purpose"), _label("main_purpose"))
        main_label = QLabel(_label("main_purpose"), self)
        main_label.setBuddy(self.main_edit)
        form.addRow(main_label, self.main_edit)
        purpose_spec = ACTIVITY.collection("purposes").entity.field("description")
        plural = ACTIVITY.collection("purposes").label(language())
        self.sub_edit = text_edit(purpose_spec, plural, lines=6)
        self.sub_edit.setPlaceholderText(
            translate("WizardPages", "Une par ligne. {help}").format(
                help=purpose_spec.plain_help(language())
            )
        )
        sub_label = QLabel(
            translate("WizardPages", "{label} (facultatif, une par ligne)").format(label=plural),
            self,
        )
        sub_label.setBuddy(self.sub_edit)
        form.addRow(sub_label, self.sub_edit)
        layout.addLayout(form)

    def load(self, values: Mapping[str, Any]) -> None:
        self.main_edit.setPlainText(str(values.get("main_purpose") or ""))
        lines = [
            str(row.get("description") or "").replace("\n", " ")
            for row in values.get("purposes") or []
        ]
        self.sub_edit.setPlainText("\n".join(line for line in lines if line))

    def _sub_purposes(self) -> list[str]:
        return [line.strip() for line in self.sub_edit.toPlainText().splitlines() if line.strip()]

    def answers(self) -> dict[str, Any]:
        return {
            "main_purpose": text_of(self.main_edit),
            "purposes": [{"description": line} for line in self._sub_purposes()],
        }


class LegalBasisPage(QuestionPage):
    """The legal basis (Art. 6.1), in plain words, and the text that provides for it."""

    def build(self, layout: QVBoxLayout) -> None:
        translate = QCoreApplication.translate
        spec = ACTIVITY.field("legal_basis")
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        for key, label, help_text in options_of(spec):
            button = QRadioButton(label, self)
            button.setAccessibleDescription(help_text)
            self.group.addButton(button)
            self.buttons[key] = button
            layout.addWidget(button)
            hint = hint_label(help_text, self)
            hint.setIndent(24)
            layout.addWidget(hint)
        text_spec = ACTIVITY.field("legal_basis_text")
        self.text_edit = text_edit(text_spec, _label("legal_basis_text"), lines=2)
        text_label = QLabel(
            translate("WizardPages", "{label} (si vous le connaissez)").format(
                label=_label("legal_basis_text")
            ),
            self,
        )
        text_label.setBuddy(self.text_edit)
        layout.addSpacing(8)
        layout.addWidget(text_label)
        layout.addWidget(self.text_edit)

    def choose(self, key: str | None) -> None:
        """Select the legal basis ``key`` (none when None)."""
        self.group.setExclusive(False)
        for button_key, button in self.buttons.items():
            button.setChecked(button_key == key)
        self.group.setExclusive(True)

    def chosen(self) -> str | None:
        """The selected legal basis."""
        for key, button in self.buttons.items():
            if button.isChecked():
                return key
        return None

    def load(self, values: Mapping[str, Any]) -> None:
        self.choose(values.get("legal_basis"))
        self.text_edit.setPlainText(str(values.get("legal_basis_text") or ""))

    def answers(self) -> dict[str, Any]:
        return {"legal_basis": self.chosen(), "legal_basis_text": text_of(self.text_edit)}


class TermRowsPage(QuestionPage):
    """A page whose answer is a collection edited as a checkable vocabulary."""

    collection_key = ""
    term_key = ""
    row_fields: tuple[str, ...] = ()
    add_text = ""

    def build(self, layout: QVBoxLayout) -> None:
        translate = QCoreApplication.translate
        layout.addWidget(QLabel(translate("WizardPages", "Cochez tout ce qui s'applique."), self))
        add_text = translate("WizardPages", self.add_text) if self.add_text else ""
        self.editor = TermRowsEditor(
            self.collection_key, self.term_key, self.row_fields, add_text, self
        )
        self.editor.setAccessibleName(ACTIVITY.collection(self.collection_key).label(language()))
        layout.addWidget(self.editor)

    def load(self, values: Mapping[str, Any]) -> None:
        self.editor.load(values.get(self.collection_key) or [])

    def answers(self) -> dict[str, Any]:
        return {self.collection_key: self.editor.rows()}


class SubjectsPage(TermRowsPage):
    """Categories of data subjects (Art. 30.1.c)."""

    collection_key = "data_subjects"
    term_key = "category"
    row_fields = ("details",)


class DataPage(TermRowsPage):
    """Categories of personal data, each with its retention period and final disposition."""

    collection_key = "data_categories"
    term_key = "category"
    row_fields = ("details", "retention_value", "retention_start", "final_disposition")
    add_text = str(QT_TRANSLATE_NOOP("WizardPages", "Ajouter une autre ligne pour ces données"))


class RecipientsPage(TermRowsPage):
    """Who receives the data: one row per recipient, grouped by type (Art. 30.1.d)."""

    collection_key = "recipients"
    term_key = "recipient_type"
    row_fields = ("name", "details")
    add_text = str(QT_TRANSLATE_NOOP("WizardPages", "Ajouter un autre destinataire de ce type"))


class SecurityPage(TermRowsPage):
    """Security measures (Art. 30.1.g)."""

    collection_key = "security_measures"
    term_key = "measure_type"
    row_fields = ("details",)


class TransfersPage(QuestionPage):
    """Transfers outside the EU: yes or no, and when yes, where and with what safeguard."""

    row_fields = ("recipient", "country", "safeguard", "documentation")

    def build(self, layout: QVBoxLayout) -> None:
        translate = QCoreApplication.translate
        self.no_button = QRadioButton(
            translate("WizardPages", "Non, les données restent dans l'Union européenne"), self
        )
        self.yes_button = QRadioButton(
            translate("WizardPages", "Oui, des données sont envoyées ou hébergées hors de l'UE"),
            self,
        )
        self.group = QButtonGroup(self)
        for button in (self.no_button, self.yes_button):
            self.group.addButton(button)
            layout.addWidget(button)
        layout.addWidget(
            hint_label(
                translate(
                    "WizardPages",
                    "Pensez aux logiciels en ligne : où sont hébergées leurs données ? Le "
                    "contrat ou l'éditeur l'indique.",
                ),
                self,
            )
        )
        self.rows_box = QWidget(self)
        self.rows_layout = QVBoxLayout(self.rows_box)
        self.rows_layout.setContentsMargins(24, 4, 0, 4)
        layout.addWidget(self.rows_box)
        self.add_button = QPushButton(translate("WizardPages", "Ajouter un autre transfert"), self)
        self.add_button.clicked.connect(lambda: self.add_transfer({}, focus=True))
        holder = QHBoxLayout()
        holder.setContentsMargins(24, 0, 0, 0)
        holder.addWidget(self.add_button)
        holder.addStretch(1)
        layout.addLayout(holder)
        self.forms: list[RowForm] = []
        self.entity = ACTIVITY.collection("transfers").entity
        self.group.buttonToggled.connect(self._answer_changed)
        self._answer_changed()

    def _answer_changed(self, *_args: QAbstractButton | bool) -> None:
        yes = self.yes_button.isChecked()
        if yes and not self.forms:
            self.add_transfer({})
        self.rows_box.setVisible(yes)
        self.add_button.setVisible(yes)

    def add_transfer(self, values: Mapping[str, Any], focus: bool = False) -> RowForm:
        """Add the form of one transfer."""
        context = QCoreApplication.translate("WizardPages", "transfert {number}").format(
            number=len(self.forms) + 1
        )
        form = RowForm(
            self.entity, self.row_fields, values, context, bool(self.forms), self.rows_box
        )
        form.remove_requested.connect(self._remove)
        anchor = self.forms[-1].focus_widgets()[-1] if self.forms else self.yes_button
        self.forms.append(form)
        self.rows_layout.addWidget(form)
        form.place_in_tab_order(anchor)
        if focus:
            form.input("recipient").setFocus()
        return form

    def _remove(self, form: RowForm) -> None:
        self.forms.remove(form)
        form.hide()
        form.deleteLater()

    def set_answer(self, has_transfers: bool | None) -> None:
        """Select « Oui », « Non » or neither."""
        self.group.setExclusive(False)
        self.yes_button.setChecked(has_transfers is True)
        self.no_button.setChecked(has_transfers is False)
        self.group.setExclusive(True)
        self._answer_changed()

    def load(self, values: Mapping[str, Any]) -> None:
        for form in self.forms:
            form.hide()
            form.deleteLater()
        self.forms = []
        for row in values.get("transfers") or []:
            self.add_transfer(row)
        has_transfers = values.get("has_transfers")
        self.set_answer(has_transfers if isinstance(has_transfers, bool) else None)

    def _answer(self) -> bool | None:
        if self.yes_button.isChecked():
            return True
        if self.no_button.isChecked():
            return False
        return None

    def answers(self) -> dict[str, Any]:
        answer = self._answer()
        rows = [form.value() for form in self.forms] if answer else []
        return {"has_transfers": answer, "transfers": rows}


PAGE_CLASSES: dict[str, type[QuestionPage]] = {
    "name": NamePage,
    "purposes": PurposesPage,
    "legal_basis": LegalBasisPage,
    "data_subjects": SubjectsPage,
    "data_categories": DataPage,
    "recipients": RecipientsPage,
    "transfers": TransfersPage,
    "security_measures": SecurityPage,
}


def make_page(question: Question, parent: QWidget | None = None) -> QuestionPage:
    """The page that asks ``question``."""
    page = PAGE_CLASSES[question.key](question, parent)
    page.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return page
