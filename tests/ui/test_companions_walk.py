"""A DPO's walk through the companion registers of the demo, through the real widgets: a rights
request that becomes overdue then is extended with its reason, an impact assessment that
satisfies the checker, a processor contract whose Art. 28(3) checklist moves the activity's
score; each change undone, the register as it was."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from registre.checker import CheckReport
from registre.demo import create_demo_register
from registre.storage import Context, Register
from registre_ui.companion_tab import CompanionTab
from registre_ui.fields import (
    BoolInput,
    DateInput,
    LongTextInput,
    MultiChoiceInput,
    ReferenceInput,
    ReferencesInput,
    TextInput,
)
from registre_ui.main_window import RegisterWindow
from tests.ui.conftest import audit_count, register_content

CHECK_TIMEOUT = 30_000


@pytest.fixture
def demo(tmp_path: Path, context: Context) -> Iterator[Register]:
    """The demo register, dated by the test clock (14 March 2026)."""
    register, _recovery_key = create_demo_register(tmp_path / "Demo.registre", context=context)
    yield register
    register.close()


def _window(qtbot: QtBot, register: Register) -> RegisterWindow:
    window = RegisterWindow(register)
    qtbot.addWidget(window)
    window.resize(1400, 860)
    window.show()
    qtbot.waitExposed(window)
    return window


def _tab(window: RegisterWindow, entity: str) -> CompanionTab:
    (tab,) = [tab for tab in window.companions if tab.entity.name == entity]
    window.show_tab(window.tabs.indexOf(tab.page))
    return tab


def _type(field_input: object, text: str) -> None:
    """Replace the text and leave the field, as a user would."""
    if isinstance(field_input, TextInput):
        field_input.widget.setText(text)
    else:
        assert isinstance(field_input, LongTextInput)
        field_input.widget.setPlainText(text)
    field_input.finish()


def _check(qtbot: QtBot, window: RegisterWindow) -> CheckReport:
    with qtbot.waitSignal(window.check_finished, timeout=CHECK_TIMEOUT):
        window.check_runner.schedule()
    result = window.check_runner.last
    assert result is not None
    return result.report


def _rule_hits(report: CheckReport, rule_id: str) -> list[str]:
    return [f.record_name for f in report.findings if f.rule.id == rule_id]


def _activity(window: RegisterWindow, prefix: str) -> str:
    (found,) = [i for i, name in window.activities.names().items() if name.startswith(prefix)]
    return found


def test_a_request_becomes_overdue_then_is_extended_with_its_reason(
    qtbot: QtBot, demo: Register
) -> None:
    window = _window(qtbot, demo)
    before, entries = register_content(demo), audit_count(demo)
    tab = _tab(window, "rights_request")
    tab.inventory.new_button.click()
    editor = tab.inventory.editor
    assert editor.record["status"] == "open"  # a new request is being handled
    assert "(art. 12)" in editor.legend.text()  # not « l'article 30 » on this form
    _type(editor.inputs["requester"], "M. Jacques Petit")
    received = editor.inputs["received_on"]
    assert isinstance(received, DateInput)
    received.set_date(dt.date(2026, 2, 2))  # over a month ago: overdue
    rights = editor.inputs["rights"]
    assert isinstance(rights, MultiChoiceInput)
    rights.set_checked(["access"])
    assert tab.status_label.text() == "En retard de 12 j (échéance 02/03/2026)"
    assert "M. Jacques Petit — En retard de 12 j" in tab.alert_label.text()

    extended = editor.inputs["extended"]
    assert isinstance(extended, BoolInput)
    extended.choose(True)
    _type(editor.inputs["extension_reason"], "Demande portant sur dix ans d'archives papier.")
    assert tab.status_label.text() == "Réponse due le 02/05/2026 (dans 49 j)"
    assert "M. Jacques Petit" not in tab.alert_label.text()
    assert audit_count(demo) == entries + 6  # one entry per change

    while window.recorder.stack.can_undo:
        window.undo()
    assert register_content(demo) == before


def test_an_impact_assessment_linked_to_its_activity_satisfies_the_checker(
    qtbot: QtBot, demo: Register
) -> None:
    window = _window(qtbot, demo)
    before = register_content(demo)
    report = _check(qtbot, window)
    assert "Restauration scolaire" in _rule_hits(report, "dpia-record-missing")

    tab = _tab(window, "dpia")
    tab.inventory.new_button.click()
    editor = tab.inventory.editor
    assert editor.record["status"] == "planned"
    assert tab.status_label.text() == "À terminer"
    _type(editor.inputs["title"], "AIPD restauration scolaire")
    covered = editor.inputs["activities"]
    assert isinstance(covered, ReferencesInput)
    covered.set_checked([_activity(window, "Restauration scolaire")])
    # The ticked activity is in view, though far down the list.
    checked = [
        covered.widget.item(row)
        for row in range(covered.widget.count())
        if covered.widget.item(row).text() == "Restauration scolaire"
    ]
    assert covered.widget.visualItemRect(checked[0]).intersects(covered.widget.viewport().rect())
    assert "Restauration scolaire" in _rule_hits(_check(qtbot, window), "dpia-record-missing")

    status = editor.inputs["status"]
    status.choose("completed")  # type: ignore[attr-defined]
    assert tab.status_label.text() == "Terminée"
    assert "Restauration scolaire" not in _rule_hits(_check(qtbot, window), "dpia-record-missing")

    while window.recorder.stack.can_undo:
        window.undo()
    assert register_content(demo) == before
    window.check_runner.stop()


def test_a_contract_checklist_counts_in_the_activity_score(qtbot: QtBot, demo: Register) -> None:
    window = _window(qtbot, demo)
    before = register_content(demo)
    site = _activity(window, "Site internet")
    report = _check(qtbot, window)
    assert "Site internet et lettre d'information" in _rule_hits(report, "contract-missing")
    score = window.activity_model.score(site)
    assert score is not None and score.percent < 100

    tab = _tab(window, "contract")
    tab.inventory.new_button.click()
    editor = tab.inventory.editor
    _type(editor.inputs["title"], "Contrat d'hébergement du site n° AWL-2024-07")
    processor = editor.inputs["processor_id"]
    assert isinstance(processor, ReferenceInput)
    combo = processor.widget
    (web,) = [combo.itemData(i) for i in range(combo.count()) if combo.itemText(i) == (
        "Atelier Web Ligérien"
    )]
    processor.choose(web)
    undated = "dates de signature et de fin à renseigner"
    assert tab.status_label.text() == f"8 clause(s) de l'art. 28.3 manquante(s) ; {undated}"
    _check(qtbot, window)
    assert window.activity_model.score(site) == score  # an empty checklist is no contract

    for letter in "abcdefgh":
        clause = editor.inputs[f"clause_{letter}"]
        assert isinstance(clause, BoolInput)
        clause.choose(True)
    # Every clause ticked, yet nothing shows the contract was signed: not complete yet.
    assert tab.status_label.text() == f"Clauses de l'art. 28.3 complètes ; {undated}"
    report = _check(qtbot, window)
    assert "Contrat d'hébergement du site n° AWL-2024-07" in _rule_hits(
        report, "contract-dates-missing"
    )
    # nor does it cover the processor for the activity's score (Art. 28(3), 28(9))
    assert "Site internet et lettre d'information" in _rule_hits(report, "contract-not-sound")
    assert window.activity_model.score(site) == score
    signed = editor.inputs["signed_on"]
    assert isinstance(signed, DateInput)
    signed.set_date(dt.date(2024, 7, 1))
    assert tab.status_label.text() == "Clauses de l'art. 28.3 complètes"
    report = _check(qtbot, window)
    assert not _rule_hits(report, "contract-dates-missing")
    assert "Site internet et lettre d'information" not in _rule_hits(report, "contract-not-sound")
    sound = window.activity_model.score(site)
    assert sound is not None and sound.percent > score.percent

    while window.recorder.stack.can_undo:
        window.undo()
    assert register_content(demo) == before
    window.check_runner.stop()
