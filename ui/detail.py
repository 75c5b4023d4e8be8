"""Read-only record of one activity, generated from ``registre.schema.ACTIVITY``.

Sections come in schema order; each field shows its label (help as tooltip) and its value
rendered by kind; collections are small tables headed by their entity's field labels. An empty
mandatory item reads « — à compléter », in words and not only in colour.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from registre.schema import (
    ACTIVITY,
    Collection,
    Entity,
    Field,
    Requirement,
    Role,
    Section,
)
from registre_ui.editor import section_title
from registre_ui.i18n import language
from registre_ui.rows import cell_text, row_columns
from registre_ui.values import format_value
from registre_ui.widgets import MISSING_STYLE, NOTICE_STYLE, heading_label, plain_label

LABEL_COLUMN_WIDTH = 210
SECTION_TITLE = "sectionTitle"  # object name of the section headings
TABLE_STYLE = (
    "<style>table { border-collapse: collapse; font-size: small; }"
    " th { background: #e6e9ee; text-align: left; font-weight: 600; }"
    " th, td { border: 1px solid #c4c9d1; padding: 2px 4px; vertical-align: top; }</style>"
)


def collection_html(
    entity: Entity, rows: Sequence[Mapping[str, Any]], names: Mapping[str, str]
) -> str:
    """An HTML table of ``rows`` headed by the field labels of ``entity`` (user text escaped)."""

    def cell(tag: str, text: str) -> str:
        return f"<{tag}>{html.escape(text).replace(chr(10), '<br/>')}</{tag}>"

    columns = row_columns(entity)  # a number and its unit share a column: « 5 ans »
    header = "".join(cell("th", column.title()) for column in columns)
    body = "".join(
        "<tr>"
        + "".join(
            cell(
                "td",
                cell_text(column, row)
                if len(column.fields) > 1
                else format_value(column.fields[0], row.get(column.key), names),
            )
            for column in columns
        )
        + "</tr>"
        for row in rows
    )
    return f'{TABLE_STYLE}<table width="100%" cellspacing="0"><tr>{header}</tr>{body}</table>'


class ActivityDetailView(QScrollArea):
    """Shows one activity record (``services.record_of(register, "activity", id)``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setAccessibleName(self.tr("Fiche du traitement"))
        self.activity_id: str | None = None
        self.clear()

    def clear(self) -> None:
        """Show the invitation to select an activity."""
        self.activity_id = None
        hint = plain_label(self.tr("Sélectionnez un traitement pour afficher sa fiche."))
        hint.setStyleSheet(NOTICE_STYLE)
        self._set_content([hint])

    def show_activity(self, record: Mapping[str, Any], names: Mapping[str, str]) -> None:
        """Show ``record``; ``names`` maps referenced processors and software to their names."""
        self.activity_id = record["id"]
        role = Role(record["role"])
        widgets: list[QWidget] = [heading_label(record["name"], scale=1.4)]
        for section in ACTIVITY.sections:
            fields = [f for f in ACTIVITY.fields if f.section == section.key and role in f.roles]
            collections = [
                c for c in ACTIVITY.collections if c.section == section.key and role in c.roles
            ]
            if fields or collections:
                widgets.append(self._section_title(section, role, record.get("regime")))
                widgets.append(self._section_body(fields, collections, record, names))
        self._set_content(widgets)

    def _set_content(self, widgets: Sequence[QWidget]) -> None:
        content = QWidget()
        layout = QVBoxLayout(content)
        for widget in widgets:
            layout.addWidget(widget)
        layout.addStretch()
        self.setWidget(content)  # the previous content is deleted

    def _section_title(self, section: Section, role: Role, regime: str | None) -> QLabel:
        """The section's label and the article it answers for this role and regime."""
        label = heading_label(section_title(section, role, regime), scale=1.1)
        label.setObjectName(SECTION_TITLE)
        label.setContentsMargins(0, 10, 0, 2)
        return label

    def _section_body(
        self,
        fields: Sequence[Field],
        collections: Sequence[Collection],
        record: Mapping[str, Any],
        names: Mapping[str, str],
    ) -> QWidget:
        body = QWidget()
        grid = QGridLayout(body)
        grid.setContentsMargins(12, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setColumnMinimumWidth(0, LABEL_COLUMN_WIDTH)
        grid.setColumnStretch(1, 1)
        for spec in fields:
            value = format_value(spec, record.get(spec.key), names)
            self._add_row(
                grid, spec.label(language()), spec.help(language()), spec.requirement, value
            )
        for collection in collections:
            rows = record.get(collection.key) or []
            help_text = collection.help_en if language() == "en" else collection.help_fr
            caption = self._caption(collection.label(language()), help_text)
            if not rows:
                self._add_row(
                    grid, collection.label(language()), help_text, collection.requirement, ""
                )
                continue
            table = QLabel(collection_html(collection.entity, rows, names))
            table.setTextFormat(Qt.TextFormat.RichText)
            table.setWordWrap(True)
            table.setAccessibleName(collection.label(language()))
            table.setToolTip(
                "\n".join(
                    f"{spec.label(language())} : {spec.help(language())}"
                    for spec in collection.entity.fields
                    if spec.help(language())
                )
            )
            row = grid.rowCount()
            grid.addWidget(caption, row, 0, 1, 2)
            grid.addWidget(table, row + 1, 0, 1, 2)
        return body

    def _add_row(
        self, grid: QGridLayout, label: str, help_text: str, requirement: Requirement, value: str
    ) -> None:
        row = grid.rowCount()
        grid.addWidget(self._caption(label, help_text), row, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(
            self._value_label(label, requirement, value), row, 1, Qt.AlignmentFlag.AlignTop
        )

    @staticmethod
    def _caption(text: str, help_text: str) -> QLabel:
        label = plain_label(text)
        label.setToolTip(help_text)
        label.setFixedWidth(LABEL_COLUMN_WIDTH)
        return label

    def _value_label(self, name: str, requirement: Requirement, value: str) -> QLabel:
        """The value, or « — à compléter » for a missing mandatory item and « — » otherwise."""
        if value:
            label = plain_label(value, selectable=True)
        elif requirement == Requirement.MANDATORY:
            label = plain_label(self.tr("— à compléter"))
            label.setStyleSheet(MISSING_STYLE)
            label.setToolTip(self.tr("Exigé par l'article 30 et non renseigné."))
        else:
            label = plain_label("—")
        label.setAccessibleName(name)
        return label
