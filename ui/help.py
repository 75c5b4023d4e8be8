"""The « Aide » menu: a short guide, the keyboard shortcuts, about Registre and its licences.

Everything is shown from the application itself (it works offline); the shortcuts are read
from the window's actions, so the list never goes stale.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from importlib import resources

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import QCoreApplication, Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMenu,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from registre import __version__

translate = QCoreApplication.translate

LICENCE_NAME = "EUPL-1.2"
HELP_LABEL = "help_label"  # an action's name in the shortcuts list when its text changes
LICENCE_URL = "https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12"


def _paragraphs(*texts: str) -> str:
    return "".join(f"<p>{html.escape(text)}</p>" for text in texts)


def guide_html() -> str:
    """The short guide: what Registre keeps and the first steps."""
    steps = [
        translate(
            "HelpMenu",
            "Complétez la fiche de l'organisme (Édition › Fiche de l'organisme, Ctrl+Maj+O) : "
            "nom, adresse, représentant légal et délégué à la protection des données.",
        ),
        translate(
            "HelpMenu",
            "Ajoutez les traitements : « Déclarer un traitement » (Ctrl+Maj+N) pose une question "
            "par page à partir d'un modèle ; « Nouveau traitement » (Ctrl+N) ouvre une fiche vide.",
        ),
        translate(
            "HelpMenu",
            "Décrivez les logiciels et les sous-traitants dans leurs onglets : les traitements "
            "y renvoient.",
        ),
        translate(
            "HelpMenu",
            "Ouvrez l'onglet « Contrôle » : chaque constat ouvre la fiche sur le champ à "
            "compléter (double-clic ou Entrée).",
        ),
        translate(
            "HelpMenu",
            "Exportez le registre en PDF (Ctrl+E) : il est daté, signé et son empreinte est "
            "inscrite dans l'historique.",
        ),
    ]
    notes = [
        translate(
            "HelpMenu",
            "Chaque modification est enregistrée dès que vous quittez le champ ; Ctrl+Z "
            "l'annule, Ctrl+Maj+Z la rétablit. Regarder une fiche ne la modifie jamais.",
        ),
        translate(
            "HelpMenu",
            "Le registre est chiffré. Ctrl+L le verrouille ; il se verrouille seul après "
            "quelques minutes sans activité (Préférences).",
        ),
    ]
    title = translate("HelpMenu", "Premiers pas")
    items = "".join(f"<li>{html.escape(step)}</li>" for step in steps)
    return f"<h2>{html.escape(title)}</h2><ol>{items}</ol>" + _paragraphs(*notes)


def shortcut_rows(actions: Iterable[QAction]) -> list[tuple[str, str]]:
    """(what, keys) of every action with a shortcut, in French key names, by label."""
    rows: dict[str, str] = {}
    for action in actions:
        keys = [
            shortcut.toString(QKeySequence.SequenceFormat.NativeText)
            for shortcut in action.shortcuts()
            if not shortcut.isEmpty()
        ]
        text = action.property(HELP_LABEL) or action.text()  # undo's text names its step
        label = str(text).replace("&&", "\0").replace("&", "").replace("\0", "&")
        if keys and label:
            rows[label.removesuffix("…")] = ", ".join(dict.fromkeys(keys))
    return sorted(rows.items(), key=lambda row: row[0].casefold())


def shortcuts_html(actions: Iterable[QAction]) -> str:
    """The table of keyboard shortcuts."""
    title = translate("HelpMenu", "Raccourcis clavier")
    note = translate("HelpMenu", "Alt et la lettre soulignée activent un bouton ou un champ.")
    body = "".join(
        f"<tr><td>{html.escape(label)}</td><td><b>{html.escape(keys)}</b></td></tr>"
        for label, keys in shortcut_rows(actions)
    )
    return f'<h2>{html.escape(title)}</h2><table cellpadding="4">{body}</table>' + _paragraphs(note)


def about_html() -> str:
    """Version, purpose and licence of Registre, with the versions it runs on."""
    purpose = translate(
        "HelpMenu",
        "Registre des activités de traitement (RGPD, article 30) des collectivités, tenu hors "
        "ligne dans un fichier chiffré.",
    )
    licence = translate("HelpMenu", "Licence : {licence}").format(licence=LICENCE_NAME)
    versions = translate("HelpMenu", "Qt {qt} · PySide6 {pyside}").format(
        qt=qVersion(), pyside=pyside_version
    )
    return f"<h2>Registre {html.escape(__version__)}</h2>" + _paragraphs(purpose, licence, versions)


def licence_html() -> str:
    """Registre's licence and those of what it ships (the DejaVu fonts, Qt)."""
    fonts_folder = resources.files("registre_resources") / "fonts"
    fonts = (fonts_folder / "LICENSE-DejaVu.txt").read_text("utf-8")
    title = translate("HelpMenu", "Licence de Registre")
    terms = translate(
        "HelpMenu",
        "Registre est un logiciel libre, distribué sous la licence publique de l'Union "
        "européenne (EUPL) version 1.2. Vous pouvez l'utiliser, l'étudier, le modifier et le "
        "redistribuer selon ses termes.",
    )
    official = translate("HelpMenu", "Texte officiel, dans toutes les langues de l'Union : {url}")
    fonts_title = translate("HelpMenu", "Polices DejaVu")
    qt = translate("HelpMenu", "Qt et PySide6 sont utilisés sous la licence LGPL version 3.")
    return (
        f"<h2>{html.escape(title)}</h2>"
        + _paragraphs(terms, official.format(url=LICENCE_URL))
        + f"<h2>{html.escape(fonts_title)}</h2><pre>{html.escape(fonts)}</pre>"
        + "<h2>Qt</h2>"
        + _paragraphs(qt)
    )


class HelpDialog(QDialog):
    """One page of help, in a scrollable, selectable text."""

    def __init__(self, title: str, body: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.resize(640, 520)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setHtml(body)
        self.browser.setAccessibleName(title)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)


class HelpMenu(QMenu):
    """« Aide »: guide (F1), shortcuts, about, licence; each opens a ``HelpDialog``."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(translate("HelpMenu", "A&ide"), window)
        self.window_ = window
        self.dialog: HelpDialog | None = None
        entries = (
            (translate("HelpMenu", "&Guide de démarrage"), self.show_guide, "F1"),
            (translate("HelpMenu", "&Raccourcis clavier"), self.show_shortcuts, ""),
            (translate("HelpMenu", "À &propos de Registre"), self.show_about, ""),
            (translate("HelpMenu", "&Licence"), self.show_licence, ""),
        )
        for text, slot, shortcut in entries:
            action = self.addAction(text)
            action.triggered.connect(slot)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
                window.addAction(action)

    def _show(self, title: str, body: str) -> HelpDialog:
        dialog = HelpDialog(title, body, self.window_)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.dialog = dialog
        return dialog

    def show_guide(self) -> HelpDialog:
        """« Guide de démarrage » (F1)."""
        return self._show(translate("HelpMenu", "Guide de démarrage"), guide_html())

    def show_shortcuts(self) -> HelpDialog:
        """« Raccourcis clavier », read from the window's actions."""
        return self._show(
            translate("HelpMenu", "Raccourcis clavier"), shortcuts_html(self.window_.actions())
        )

    def show_about(self) -> HelpDialog:
        """« À propos de Registre »."""
        return self._show(translate("HelpMenu", "À propos de Registre"), about_html())

    def show_licence(self) -> HelpDialog:
        """« Licence »."""
        return self._show(translate("HelpMenu", "Licence"), licence_html())
