"""Translations: every interface string has its English translation; Qt's French is loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from registre_ui import translations
from registre_ui.i18n import install_translators, set_language
from registre_ui.main_window import RegisterWindow
from tests.ui.conftest import SampleRegister


def test_the_english_catalogue_is_complete() -> None:
    ts = translations.ts_path("en")
    assert translations.messages(ts), "no message in the catalogue"
    assert translations.unfinished(ts) == []
    assert translations.placeholder_mismatches(ts) == []


def test_every_string_of_the_code_is_in_the_catalogue(tmp_path: Path) -> None:
    """Collect the strings again: a new string left untranslated makes this test fail."""
    copy = tmp_path / "registre_en.ts"
    shutil.copy(translations.ts_path("en"), copy)
    translations.update("en", copy)
    assert translations.unfinished(copy) == [], "run: python -m registre_ui.translations update"


def test_the_catalogue_compiles_and_translates(tmp_path: Path) -> None:
    compiled = translations.compile_catalogue("en", tmp_path / "registre_en.qm")
    translator = QTranslator()
    assert translator.load(str(compiled))
    assert translator.translate("RegisterWindow", "Historique") == "History"
    assert translator.translate("FieldInput", "Oui") == "Yes"


def test_the_window_speaks_english_when_asked(
    qtbot: QtBot, qapp: QApplication, sample: SampleRegister
) -> None:
    installed = install_translators(qapp, "en")
    set_language("en")
    try:
        window = RegisterWindow(sample.register)
        qtbot.addWidget(window)
        tabs = [window.tabs.tabText(i) for i in range(window.tabs.count())]
        assert tabs == [
            "Processing activities",  # from the schema, in English
            "Software",
            "Processors",
            "Breaches",
            "Rights requests",
            "Impact assessments",
            "Contracts (Art. 28)",
            "Vocabularies",
            "Check",
            "History",
        ]
        assert window.undo_action.text() == "Undo"
        assert window.search_edit.placeholderText() == "Search…"
    finally:
        set_language("fr")
        for translator in installed:
            qapp.removeTranslator(translator)
    assert QCoreApplication.translate("RegisterWindow", "Historique") == "Historique"


def test_the_build_step(capsys: pytest.CaptureFixture[str]) -> None:
    assert translations.main(["check"]) == 0
    assert translations.main(["nonsense"]) == 2
    capsys.readouterr()


def test_qt_own_dialogs_speak_french(qtbot: QtBot, qapp: QApplication) -> None:
    """The file dialog and the standard buttons come from Qt's own catalogue (qtbase_fr)."""
    installed = install_translators(qapp, "fr")
    try:
        dialog = QFileDialog(None, "Exporter")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        qtbot.addWidget(dialog)
        labels = {label.text() for label in dialog.findChildren(QLabel)}
        assert {"&Voir dans\u00a0:", "Fichiers de &type\u00a0:"} <= labels
        assert not {"&Look in:", "Files of &type:"} & labels
        folder = QCoreApplication.translate("QAbstractFileIconProvider", "Folder")
        assert folder == "Dossier"  # the « Type » of a folder in the list
        box = QMessageBox(QMessageBox.Icon.Question, "?", "?")
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        qtbot.addWidget(box)
        texts = {button.text().replace("&", "") for button in box.buttons()}
        assert texts == {"Oui", "Non"}
    finally:
        for translator in installed:
            qapp.removeTranslator(translator)
