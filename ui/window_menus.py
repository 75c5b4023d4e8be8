"""The menus and the toolbar of the register window, built from the window's actions.

The toolbar follows the tab shown: that tab's tools first (``RegisterWindow.tab_tools``), then
undo, redo, export and lock.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QToolBar

from registre_ui.help import HelpMenu

if TYPE_CHECKING:
    from registre_ui.main_window import RegisterWindow

translate = QCoreApplication.translate
TAB_SHORTCUTS = 9  # Ctrl+1 … Ctrl+9 (Ctrl+0 opens the overview of the organisations)
HISTORY_SHORTCUT = "Ctrl+H"  # the history, as in web browsers


def mnemonic(text: str) -> str:
    """The Alt+letter of a menu text (``""`` when it has none)."""
    match = re.search(r"&([^&\s])", text.replace("&&", ""))
    return match.group(1).casefold() if match else ""


def with_mnemonic(text: str, taken: Collection[str]) -> str:
    """``text`` with the first of its letters not in ``taken`` marked as its Alt+letter
    (« Ré&férentiels » when R is taken); unchanged when every letter is taken."""
    plain = text.replace("&", "&&")
    for position, character in enumerate(plain):
        letter = character.casefold()
        if character.isascii() and character.isalpha() and letter not in taken:
            return plain[:position] + "&" + plain[position:]
    return plain


class WindowMenus:
    """Fichier, Édition, Affichage, Aide and the toolbar of ``window``."""

    def __init__(self, window: RegisterWindow) -> None:
        self.window = window
        bar = window.menuBar()
        file_menu = bar.addMenu(translate("RegisterWindow", "&Fichier"))
        file_menu.addAction(window.new_activity_action)
        file_menu.addAction(window.wizard_action)
        file_menu.addSeparator()
        self.file_menu = file_menu
        self.export_menu = file_menu.addMenu(translate("RegisterWindow", "&Exporter"))
        for key, action in window.export_actions.items():
            if key == "json":
                self.export_menu.addSeparator()
            self.export_menu.addAction(action)
        file_menu.addAction(window.import_action)
        file_menu.addAction(window.verify_action)
        file_menu.addSeparator()
        file_menu.addAction(window.lock_action)
        file_menu.addAction(window.close_action)
        file_menu.addAction(window.quit_action)

        edit_menu = bar.addMenu(translate("RegisterWindow", "É&dition"))
        edit_menu.addAction(window.undo_action)
        edit_menu.addAction(window.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(window.new_activity_action)
        edit_menu.addAction(window.delete_activity_action)
        for tools in window.record_tools.values():
            edit_menu.addAction(tools[0])  # « Nouveau logiciel »…
        edit_menu.addSeparator()
        edit_menu.addAction(window.organisation_action)
        edit_menu.addAction(window.new_organisation_action)
        edit_menu.addAction(window.template_updates_action)
        edit_menu.addSeparator()
        edit_menu.addAction(window.preferences_action)
        self.edit_menu = edit_menu

        view_menu = bar.addMenu(translate("RegisterWindow", "&Affichage"))
        view_menu.addAction(window.search_action)
        view_menu.addAction(window.secretary_action)
        view_menu.addSeparator()
        # Every tab: Ctrl+1 … Ctrl+9, Ctrl+H for the history, and an Alt+letter in the menu.
        self.tab_actions: list[QAction] = []
        tabs = window.tabs
        for position in range(tabs.count()):
            if tabs.widget(position) is window.history_page:
                shortcuts: tuple[str, ...] = (HISTORY_SHORTCUT,)
            else:
                shortcuts = (f"Ctrl+{position + 1}",) if position < TAB_SHORTCUTS else ()
            action = window.make_action(
                tabs.tabText(position), partial(window.show_tab, position), shortcuts
            )
            view_menu.addAction(action)
            self.tab_actions.append(action)
        self.view_menu = view_menu
        self.letter_tabs()
        view_menu.aboutToShow.connect(self.letter_tabs)  # after the actions added later
        self.help_menu = HelpMenu(window)
        bar.addMenu(self.help_menu)

        toolbar = QToolBar(translate("RegisterWindow", "Barre d'outils"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.toolbar = toolbar
        tabs.currentChanged.connect(self.fill_toolbar)
        self.fill_toolbar()
        window.addToolBar(toolbar)

    def letter_tabs(self) -> None:
        """Give each tab of the « Affichage » menu a letter no other entry of the menu uses."""
        tabs = self.window.tabs
        taken = {
            mnemonic(action.text())
            for action in self.view_menu.actions()
            if action not in self.tab_actions
        }
        for position, action in enumerate(self.tab_actions):
            text = with_mnemonic(tabs.tabText(position), taken)
            taken.add(mnemonic(text))
            action.setText(text)

    def fill_toolbar(self) -> None:
        """The tools of the tab shown, then undo, redo, export and lock."""
        window = self.window
        toolbar = self.toolbar
        toolbar.clear()
        tools = window.tab_tools.get(window.tabs.currentWidget(), [])
        for action in tools:
            toolbar.addAction(action)
        if tools:
            toolbar.addSeparator()
        toolbar.addAction(window.undo_action)
        toolbar.addAction(window.redo_action)
        toolbar.addSeparator()
        toolbar.addAction(window.pdf_toolbar_action)
        toolbar.addSeparator()
        toolbar.addAction(window.lock_action)
