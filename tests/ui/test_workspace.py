"""The shared DPO's workspace in the application: overview, duplication, changes, batch export."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from registre import services
from registre.storage import Register
from registre_ui.editing import ChangeRecorder
from registre_ui.main_window import RegisterWindow
from registre_ui.workspace import (
    BatchExportDialog,
    ChangesDialog,
    DuplicateDialog,
    ExchangeImportDialog,
    OverviewWindow,
)


@pytest.fixture
def communes(register: Register) -> dict[str, str]:
    """Three communes; Brest is behind (a draft due for review since 2025)."""
    ids = {}
    for name in ("Commune d'Arles", "Commune de Brest", "Commune de Caen"):
        ids[name] = services.create_organisation(register, name=name).id
    services.create_activity(
        register,
        organisation_id=ids["Commune d'Arles"],
        name="Cantine scolaire",
        reference="T-001",
        main_purpose="Inscrire les enfants",
        legal_basis="6.1.e",
        next_review_on=dt.date(2027, 1, 1),
    )
    services.create_activity(
        register,
        organisation_id=ids["Commune de Brest"],
        name="État civil",
        reference="T-001",
        next_review_on=dt.date(2025, 6, 30),
    )
    return ids


def _cells(window: OverviewWindow, column: int) -> list[str]:
    proxy = window.proxy
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def test_the_overview_is_a_sortable_filterable_table(
    qtbot: QtBot, qtmodeltester: ModelTester, register: Register, communes: dict[str, str]
) -> None:
    window = OverviewWindow(register)
    qtbot.addWidget(window)
    qtmodeltester.check(window.model)
    qtmodeltester.check(window.proxy)
    assert _cells(window, 0) == ["Commune d'Arles", "Commune de Brest", "Commune de Caen"]
    window.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)  # activities, as numbers
    assert _cells(window, 1) == ["1", "1", "0"]
    window.search_edit.setText("brest")
    assert _cells(window, 0) == ["Commune de Brest"]
    window.search_edit.clear()
    window.behind_check.setChecked(True)
    assert "Commune de Brest" in _cells(window, 0)
    assert window.review_list.count() == 1
    assert "État civil" in window.review_list.item(0).text()
    with qtbot.waitSignal(window.organisation_requested) as opened:
        window.table.doubleClicked.emit(window.proxy.index(0, 0))
    assert opened.args == [window.organisation_at(0)]


def test_the_overview_opens_the_organisation_in_the_register_window(
    qtbot: QtBot, register: Register, communes: dict[str, str]
) -> None:
    main = RegisterWindow(register)
    qtbot.addWidget(main)
    overview = main.workspace.open_overview()
    overview.organisation_requested.emit(communes["Commune de Brest"])
    assert main.organisation_id() == communes["Commune de Brest"]
    assert main.tabs.currentWidget() is main.activities_page


def test_duplicating_is_one_undo_step(
    qtbot: QtBot, register: Register, communes: dict[str, str]
) -> None:
    recorder = ChangeRecorder(register)
    [source] = services.list_activities(register, communes["Commune d'Arles"])
    dialog = DuplicateDialog(
        recorder,
        entity="activity",
        record_ids=[source.id],
        source_organisation=communes["Commune d'Arles"],
    )
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 2  # not to itself
    assert not dialog.duplicate()  # nothing ticked
    dialog.all_check.setChecked(True)
    with qtbot.waitSignal(recorder.group_changed):
        assert dialog.duplicate()
    assert "2 copies dans 2 organismes." in dialog.report.toPlainText()
    assert recorder.undo_text().startswith("Annuler la duplication de « Cantine scolaire »")
    with qtbot.waitSignal(recorder.group_changed):
        recorder.undo()
    assert services.list_activities(register, communes["Commune de Caen"]) == []


def test_changes_since_the_publication_are_shown_as_a_tree(
    qtbot: QtBot, register: Register, communes: dict[str, str]
) -> None:
    dialog = ChangesDialog(register, communes["Commune d'Arles"])
    qtbot.addWidget(dialog)
    top = dialog.tree.topLevelItem(0)
    assert "jamais publié" in top.text(0)
    assert top.child(0).text(0) == "T-001 Cantine scolaire (ajouté)"


def test_batch_export_with_progress(
    qtbot: QtBot, register: Register, communes: dict[str, str], tmp_path: Path
) -> None:
    dialog = BatchExportDialog(register)
    qtbot.addWidget(dialog)
    assert not dialog.start()  # no folder yet
    with qtbot.waitSignal(dialog.finished_batch, timeout=120_000) as finished:
        assert dialog.start(tmp_path / "pdf")
    result = finished.args[0]
    assert len(result.written) == 3 and not result.failed
    assert dialog.progress.value() == 3
    assert "3 PDF écrits" in dialog.status.text()


def test_an_exchange_file_is_previewed_then_accepted(
    qtbot: QtBot, register: Register, communes: dict[str, str], tmp_path: Path
) -> None:
    from registre.exchange import write_exchange

    shared = "la phrase convenue entre la mairie et le délégué"
    brest = communes["Commune de Brest"]
    [etat_civil] = services.list_activities(register, brest)
    cemetery = services.create_activity(register, organisation_id=brest, name="Cimetière").id
    services.update_activity(register, etat_civil.id, main_purpose="Tenir l'état civil")
    path = tmp_path / "Brest.registre-fiche"
    write_exchange(register, path, shared, organisation_id=brest)
    services.delete_activity(register, cemetery)
    services.update_activity(register, etat_civil.id, main_purpose=None)
    recorder = ChangeRecorder(register)
    dialog = ExchangeImportDialog(recorder)
    qtbot.addWidget(dialog)
    dialog.passphrase_edit.setText(shared)
    assert dialog.open_file(path)
    assert dialog.passphrase_edit.text() == ""  # not kept on screen
    rows = [dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())]
    assert "T-001 État civil (modifications)" in rows and "Cimetière (nouvelle fiche)" in rows
    changed = next(
        dialog.tree.topLevelItem(i)
        for i in range(dialog.tree.topLevelItemCount())
        if "État civil" in dialog.tree.topLevelItem(i).text(0)
    )
    assert changed.child(0).text(0) == "rapprochée de T-001 par son identifiant"
    assert changed.child(1).text(0) == "Finalité principale"
    assert changed.child(1).text(2) == "Tenir l'état civil"
    dialog.set_checked([changed.data(0, Qt.ItemDataRole.UserRole)])
    assert dialog.accept_checked() == 1
    record = services.record_of(register, "activity", etat_civil.id)
    assert record["main_purpose"] == "Tenir l'état civil"
    assert [a.name for a in services.list_activities(register, brest)] == ["État civil"]


def test_accepting_before_ticking_says_what_to_do_and_keeps_the_buttons(
    qtbot: QtBot, register: Register, communes: dict[str, str], tmp_path: Path
) -> None:
    """« Accepter les fiches cochées » with nothing ticked writes nothing, says to tick first
    and leaves the buttons usable; the file's date reads as a French date."""
    from registre.exchange import write_exchange

    shared = "la phrase convenue entre la mairie et le délégué"
    brest = communes["Commune de Brest"]
    path = tmp_path / "Brest.registre-fiche"
    write_exchange(register, path, shared, organisation_id=brest)
    [etat_civil] = services.list_activities(register, brest)
    services.update_activity(register, etat_civil.id, main_purpose="Tenir l'état civil")
    entries = services.register_info(register).counts["audit_entries"]
    recorder = ChangeRecorder(register)
    dialog = ExchangeImportDialog(recorder)
    qtbot.addWidget(dialog)
    dialog.passphrase_edit.setText(shared)
    assert dialog.open_file(path)
    assert " le 14/03/2026 pour « Commune de Brest »" in dialog.summary.text()
    dialog.accept_button.click()
    assert "Cochez d'abord les fiches à accepter" in dialog.summary.text()
    assert "enregistrée" not in dialog.summary.text()
    assert dialog.accept_button.isEnabled() and dialog.edit_button.isEnabled()
    assert services.register_info(register).counts["audit_entries"] == entries
    assert recorder.stack.undo_step is None
    dialog.set_checked([dialog.tree.topLevelItem(0).data(0, Qt.ItemDataRole.UserRole)])
    dialog.accept_button.click()
    assert "1 modification(s) enregistrée(s)" in dialog.summary.text()
    assert services.record_of(register, "activity", etat_civil.id)["main_purpose"] is None


def test_fiche_pdf_without_a_chosen_fiche_keeps_the_count(
    qtbot: QtBot, register: Register, communes: dict[str, str]
) -> None:
    """« Fiche en PDF… » before choosing a fiche says to choose one in the status bar; the
    « À revoir » count above the list stays."""
    window = OverviewWindow(register)
    qtbot.addWidget(window)
    assert window.review_label.text() == "À revoir : 1 fiche(s)"
    window.fiche_button.click()
    assert window.review_label.text() == "À revoir : 1 fiche(s)"
    assert window.statusBar().currentMessage() == "Choisissez d'abord une fiche dans la liste."


def test_the_overview_follows_an_edit_made_in_the_register_window(
    qtbot: QtBot, register: Register, communes: dict[str, str]
) -> None:
    """An activity validated in the register window: the overview's « Brouillons » of its
    commune drops without « Actualiser »."""
    main = RegisterWindow(register)
    qtbot.addWidget(main)
    overview = main.workspace.open_overview()
    qtbot.addWidget(overview)
    headers = [
        overview.proxy.headerData(column, Qt.Orientation.Horizontal)
        for column in range(overview.proxy.columnCount())
    ]
    drafts = headers.index("Brouillons")

    def brest_drafts() -> str:
        row = _cells(overview, 0).index("Commune de Brest")
        return str(overview.proxy.index(row, drafts).data())

    assert brest_drafts() == "1"
    [etat_civil] = services.list_activities(register, communes["Commune de Brest"])
    main.recorder.update("activity", etat_civil.id, {"status": "completed"})
    qtbot.waitUntil(lambda: brest_drafts() == "0", timeout=5000)


def test_a_killed_worker_lets_the_batch_dialog_finish_and_names_the_organisation(
    register: Register, communes: dict[str, str], tmp_path: Path
) -> None:
    """The dialog, in a process of its own whose worker exporting « Commune de Brest » is
    killed (``tests/core/batch_runner.py``): it ends, says which one failed and why, keeps the
    others, and closes."""
    register.close()
    folder = tmp_path / "pdf"
    runner = Path(__file__).parents[1] / "core" / "batch_runner.py"
    done = subprocess.run(
        [sys.executable, str(runner), "dialog", str(register.directory), str(folder), ""],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    shown = json.loads(done.stdout.splitlines()[-1])
    assert shown["status"].splitlines() == [
        f"2 PDF écrits dans {folder}.",
        "Échec pour « Commune de Brest » : Le processus qui mettait en page le PDF de cet "
        "organisme s'est arrêté brutalement, même relancé seul (arrêté par le système, par "
        "manque de mémoire par exemple) : ce PDF n'a pas été écrit.",
        "Les PDF déjà écrits pour les autres organismes sont gardés. Exportez cet organisme "
        "seul, après avoir fermé d'autres applications ; si l'arrêt se reproduit, signalez-le.",
    ]
    assert shown["progress"] == [3, 3]
    assert shown["start_enabled"] and not shown["cancel_enabled"] and shown["close_enabled"]
    assert shown["open_after_close"] is False
    assert sorted(path.name for path in folder.iterdir()) == [
        "Registre - Commune d Arles.pdf",
        "Registre - Commune de Caen.pdf",
    ]
