"""The window of an open register: lists, filters, the generated activity record, closing."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from registre import __version__, services
from registre.demo import create_demo_register
from registre.schema import ACTIVITY
from registre.storage import Register, open_register
from registre_ui.detail import SECTION_TITLE
from registre_ui.main_window import RegisterWindow
from tests.conftest import PASSPHRASE
from tests.ui.conftest import SampleRegister, unnamed_inputs


def _window(qtbot: QtBot, sample: SampleRegister) -> RegisterWindow:
    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _read_only_window(qtbot: QtBot, sample: SampleRegister) -> RegisterWindow:
    """A window on the sample register opened read-only: activities show as read-only records."""
    sample.register.close()
    register = open_register(sample.directory, PASSPHRASE, read_only=True)
    window = RegisterWindow(register)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _labels(widget: QWidget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]


def test_lists_the_organisation_records(qtbot: QtBot, sample: SampleRegister) -> None:
    window = _window(qtbot, sample)
    assert window.organisation_combo.currentText() == "Commune de Saint-Test"
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [
        "Traitements",
        "Logiciels",
        "Sous-traitants",
        "Violations",
        "Demandes de droits",
        "Analyses d'impact",
        "Contrats (art. 28)",
        "Référentiels",
        "Contrôle",
        "Historique",
    ]
    assert window.activity_proxy.rowCount() == 3
    assert window.processor_table.model().rowCount() == 1
    assert window.software_table.model().rowCount() == 1
    assert window.audit_table.model().rowCount() == 6
    assert window.count_label.text() == "3 traitements"
    assert window.register_label.text() == "Registre « Test »"
    assert window.windowTitle() == "Test"


def test_search_and_status_filter(qtbot: QtBot, sample: SampleRegister) -> None:
    window = _window(qtbot, sample)
    assert window.search_edit.placeholderText() == "Rechercher…"
    qtbot.keyClicks(window.search_edit, "ecole")
    assert window.activity_proxy.rowCount() == 1
    assert window.activity_proxy.index(0, 1).data() == "École maternelle"
    assert window.count_label.text() == "1 sur 3 traitements"
    window.search_edit.clear()
    statuses = [window.status_combo.itemText(i) for i in range(window.status_combo.count())]
    assert statuses == ["Tous", "Brouillon", "Complété", "Validé par le DPO"]
    window.status_combo.setCurrentIndex(statuses.index("Brouillon"))
    assert [window.activity_proxy.index(r, 1).data() for r in range(1)] == ["Cantine"]
    window.status_combo.setCurrentIndex(0)
    assert window.activity_proxy.rowCount() == 3


def test_keyboard_shortcuts(qtbot: QtBot, sample: SampleRegister) -> None:
    window = _window(qtbot, sample)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.software_page
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == 0
    assert window.search_edit.hasFocus()
    shortcuts = {
        action.text().replace("&", ""): action.shortcut().toString()
        for action in window.findChildren(QAction)
    }
    assert shortcuts["Fermer le registre"] == "Ctrl+W"
    assert shortcuts["Quitter"] == "Ctrl+Q"


def test_selecting_an_activity_shows_its_generated_record(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = _read_only_window(qtbot, sample)
    assert "Sélectionnez un traitement pour afficher sa fiche." in _labels(window.detail)
    assert window.select_activity(sample.activity_ids["École maternelle"])
    labels = _labels(window.detail)
    assert labels[0] == "École maternelle"
    titles = [label.text() for label in window.detail.findChildren(QLabel, SECTION_TITLE)]
    assert titles == [
        "Identification du traitement",
        "Acteurs (art. 30.1.a)",
        "Finalités et base légale (art. 30.1.b)",
        "Personnes et données concernées (art. 30.1.c)",
        "Destinataires (art. 30.1.d)",
        "Transferts hors de l'UE (art. 30.1.e)",
        "Durées de conservation (art. 30.1.f)",
        "Mesures de sécurité (art. 30.1.g)",
        "Analyse d'impact (AIPD) (art. 35)",
        "Suivi",
    ]  # the processor section (30.2) does not apply to a controller's activity

    def value_of(field_label: str) -> str:
        caption = next(
            label for label in window.detail.findChildren(QLabel) if label.text() == field_label
        )
        return next(
            label.text()
            for label in window.detail.findChildren(QLabel)
            if label.accessibleName() == field_label and label is not caption
        )

    base = ACTIVITY.field("legal_basis")
    assert value_of("Base légale") == "Mission d'intérêt public ou exercice de l'autorité publique"
    assert value_of("Données transférées hors de l'UE") == "Non"
    assert value_of("Date de création de la fiche") == "14/03/2026"
    assert value_of("Sous-traitants") == "Berger-Levrault"  # a reference shown by its name
    assert value_of("Logiciels utilisés") == "BL.enfance"
    assert value_of("Description") == "—"
    caption = next(
        label for label in window.detail.findChildren(QLabel) if label.text() == "Base légale"
    )
    assert caption.toolTip() == base.help_fr

    tables = {
        label.accessibleName(): label.text()
        for label in window.detail.findChildren(QLabel)
        if label.textFormat() == Qt.TextFormat.RichText
    }
    assert "Catégorie de données" in tables["Catégories de données"]
    assert "Destruction (élimination)" in tables["Catégories de données"]
    assert "nom, prénom, date de naissance, adresse" in tables["Catégories de données"]
    assert "Enfants et mineurs" in tables["Catégories de personnes"]


def test_missing_mandatory_items_say_so_in_words(qtbot: QtBot, sample: SampleRegister) -> None:
    window = _read_only_window(qtbot, sample)
    assert window.select_activity(sample.activity_ids["Cantine"])
    missing = [
        label.accessibleName()
        for label in window.detail.findChildren(QLabel)
        if label.text() == "— à compléter"
    ]
    assert missing == [
        "Finalité principale",
        "Catégories de personnes",
        "Catégories de données",
        "Destinataires",
        "Données transférées hors de l'UE",
    ]


def test_user_text_is_never_read_as_html(qtbot: QtBot, sample: SampleRegister) -> None:
    services.update_activity(
        sample.register, sample.activity_ids["Cantine"], description="<b>gras</b> & <img src=x>"
    )
    window = _read_only_window(qtbot, sample)
    window.select_activity(sample.activity_ids["Cantine"])
    assert "<b>gras</b> & <img src=x>" in _labels(window.detail)


def test_switching_organisation(qtbot: QtBot, sample: SampleRegister) -> None:
    ccas = services.create_organisation(sample.register, name="CCAS de Saint-Test").id
    services.create_activity(sample.register, organisation_id=ccas, name="Aide sociale facultative")
    window = _window(qtbot, sample)
    names = [window.organisation_combo.itemText(i) for i in range(2)]
    assert names == ["CCAS de Saint-Test", "Commune de Saint-Test"]
    assert window.organisation_combo.currentIndex() == 1  # the one with the most activities
    assert window.activity_proxy.rowCount() == 3
    window.organisation_combo.setCurrentIndex(0)
    assert window.activity_proxy.rowCount() == 1
    assert window.count_label.text() == "1 traitement"
    assert window.processor_table.model().rowCount() == 0


def test_read_only_register_is_announced(qtbot: QtBot, closed_sample: SampleRegister) -> None:
    register = open_register(closed_sample.directory, PASSPHRASE, read_only=True)
    window = RegisterWindow(register)
    qtbot.addWidget(window)
    window.show()
    assert window.read_only_label.text() == "lecture seule"
    assert window.read_only_label.isVisible()


def test_closing_the_window_closes_the_register(qtbot: QtBot, sample: SampleRegister) -> None:
    window = _window(qtbot, sample)
    with qtbot.waitSignal(window.closed):
        window.close()
    assert sample.register.closed


def test_every_input_has_a_name_for_screen_readers(qtbot: QtBot, sample: SampleRegister) -> None:
    window = _window(qtbot, sample)
    assert unnamed_inputs(window) == []


def test_reference_vocabularies_with_their_date_and_source(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = _window(qtbot, sample)
    page = window.references_page
    window.tabs.setCurrentWidget(page)
    position = page.combo.findData("legal_bases")
    page.combo.setCurrentIndex(position)
    assert page.model.rowCount() == 6
    assert page.proxy.index(0, 0).data() == "Consentement"
    assert page.proxy.index(0, 2).data() == "6.1.a"
    assert "source" in page.source_label.text() and "2026" in page.source_label.text()
    page.search_edit.setText("autorite publique")  # accents ignored
    assert page.proxy.index(0, 2).data() == "6.1.e"


def test_the_read_only_record_reads_a_retention_period_as_one_value(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = _read_only_window(qtbot, sample)
    assert window.select_activity(sample.activity_ids["École maternelle"])
    tables = [
        label.text()
        for label in window.detail.findChildren(QLabel)
        if label.textFormat() == Qt.TextFormat.RichText
    ]
    categories = next(table for table in tables if "Catégorie de données" in table)
    assert "<td>1 an</td>" in categories
    assert "Unité de durée" not in categories  # no separate unit column


def test_wizard_and_secretary_mode_are_reachable_from_the_dpo_workspace(qtbot, register) -> None:
    from registre import services
    from registre_ui.main_window import RegisterWindow

    services.create_organisation(register, name="Commune de Guidel")
    window = RegisterWindow(register)
    qtbot.addWidget(window)
    window.show()
    wizard = window.open_wizard()
    assert wizard is not None and wizard.isVisible()
    wizard.confirm_abandon = lambda: True  # type: ignore[method-assign]
    wizard.reject()
    secretary = window.open_secretary_mode()
    assert secretary.isVisible() and not window.isVisible()
    secretary.dpo_workspace_requested.emit()
    assert window.isVisible()


def _toolbar_texts(window: RegisterWindow) -> list[str]:
    return [
        action.text().replace("&", "")
        for action in window.toolbar.actions()
        if not action.isSeparator()
    ]


def test_the_toolbar_follows_the_tab(qtbot: QtBot, sample: SampleRegister) -> None:
    window = _window(qtbot, sample)
    assert _toolbar_texts(window)[:3] == [
        "Nouveau traitement",
        "Déclarer un traitement (assistant)…",
        "Supprimer le traitement…",
    ]
    window.tabs.setCurrentWidget(window.software_page)
    assert _toolbar_texts(window)[:2] == ["Nouveau logiciel", "Supprimer le logiciel…"]
    window.tabs.setCurrentWidget(window.processor_page)
    assert _toolbar_texts(window)[:2] == ["Nouveau sous-traitant", "Supprimer le sous-traitant…"]
    window.tabs.setCurrentWidget(window.history_page)
    assert _toolbar_texts(window)[0].startswith("Annuler")
    assert "Exporter en PDF" in _toolbar_texts(window)


def test_the_help_menu(qtbot: QtBot, sample: SampleRegister) -> None:
    window = _window(qtbot, sample)
    menu = window.help_menu
    assert menu.title() == "A&ide"
    assert [a.text() for a in menu.actions()] == [
        "&Guide de démarrage",
        "&Raccourcis clavier",
        "À &propos de Registre",
        "&Licence",
    ]
    guide = menu.show_guide()
    qtbot.addWidget(guide)
    assert "Premiers pas" in guide.browser.toPlainText()
    shortcuts = menu.show_shortcuts()
    qtbot.addWidget(shortcuts)
    text = shortcuts.browser.toPlainText()
    assert "Nouveau traitement" in text and "Ctrl+N" in text
    window.create_organisation("CCAS de Saint-Test")  # « Annuler » now names its step…
    text = menu.show_shortcuts().browser.toPlainText()
    assert re.search(r"^Annuler\s+Ctrl\+Z$", text, re.MULTILINE), text
    assert "création" not in text  # …but the list of shortcuts says « Annuler »
    about = menu.show_about()
    qtbot.addWidget(about)
    assert f"Registre {__version__}" in about.browser.toPlainText()
    assert "EUPL-1.2" in about.browser.toPlainText()
    licence = menu.show_licence()
    qtbot.addWidget(licence)
    assert "DejaVu changes are in public domain" in licence.browser.toPlainText()


def test_dates_references_and_scores_are_never_cut(qtbot: QtBot, tmp_path: Path) -> None:
    register, _key = create_demo_register(tmp_path / "Démo.registre")
    window = RegisterWindow(register)
    qtbot.addWidget(window)
    try:
        window.resize(1400, 860)  # a laptop at 100 %
        with qtbot.waitSignal(window.check_finished, timeout=60_000):  # a busy machine is slow
            window.show()
        table = window.activity_table
        qtbot.waitUntil(lambda: table._columns_fitted)
        model = table.model()
        metrics = table.fontMetrics()
        titles = [
            model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())
        ]
        for title in ("Référence", "Mis à jour", "Complétude"):
            column = titles.index(title)
            widest = max(
                metrics.horizontalAdvance(str(model.index(row, column).data()))
                for row in range(model.rowCount())
            )
            assert table.columnWidth(column) >= widest + 6, title
    finally:
        window.check_runner.stop()  # a check still running must not outlive its register
        register.close()


def test_an_empty_register_says_what_to_do_first(qtbot: QtBot, register: Register) -> None:
    window = RegisterWindow(register)
    qtbot.addWidget(window)
    window.show()
    assert window.activity_stack.currentWidget() is window.empty_page
    assert window.empty_title.text() == "Ce registre ne contient encore aucun organisme"
    assert window.empty_buttons["new_organisation"].isVisible()
    assert not window.empty_buttons["wizard"].isVisible()

    window.create_organisation("Commune de Plouguiel")
    assert window.empty_title.text() == "Aucun traitement pour l'instant"
    assert "fiche de l'organisme" in window.empty_text.text()
    assert window.empty_buttons["organisation"].isVisible()
    assert window.empty_buttons["wizard"].isVisible()
    window.empty_buttons["new"].click()
    assert window.activity_stack.currentWidget() is window.activity_table
    assert window.activity_proxy.rowCount() == 1


def test_an_import_says_it_cannot_be_undone_and_starts_the_history_again(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = _window(qtbot, sample)
    window.create_organisation("CCAS de Saint-Test")
    assert window.recorder.stack.can_undo
    dialog = window.open_import()
    qtbot.addWidget(dialog)
    dialog.imported.emit()  # what a finished import reports
    assert not window.recorder.stack.can_undo
    assert window.undo_action.text() == "Annuler" and not window.undo_action.isEnabled()
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("Import terminé. Un import ne s'annule pas avec Ctrl+Z")
    )
