"""The register window's tabs: each user change, reported as a typed edit, is one service call,
one audit entry and one undo step, and the window hands it to the tab showing its entity."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from registre_ui.editing import CreateRecord, DeleteRecord, UpdateRecord
from registre_ui.fields import ReferencesInput, TextInput
from tests.ui.conftest import SampleRegister, audit_count, register_content, shown_window


def test_each_typed_edit_is_one_audit_entry_and_one_undo_step(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = shown_window(qtbot, sample)
    recorder = window.recorder
    before = register_content(sample.register)
    entries = audit_count(sample.register)
    created = recorder.apply(CreateRecord("software", {"name": "Logitud"}, sample.organisation_id))
    recorder.apply(UpdateRecord("software", created.id, {"publisher": "Logitud Solutions"}))
    recorder.apply(DeleteRecord("software", created.id))
    assert audit_count(sample.register) == entries + 3
    for _step in range(3):
        assert recorder.stack.can_undo
        window.undo()
    assert register_content(sample.register) == before
    assert not recorder.stack.can_undo


def test_a_processor_renamed_in_its_tab_is_renamed_in_the_activity_form(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = shown_window(qtbot, sample)
    assert window.select_activity(sample.activity_ids["École maternelle"])
    assert window.editor is not None
    processors = window.editor.inputs["processors"]
    assert isinstance(processors, ReferencesInput)
    assert "Berger-Levrault" in processors.widget.item(0).text()

    window.show_tab(window.tabs.indexOf(window.processors.page))
    assert window.processor_page.select(sample.processor_id)
    name = window.processor_page.editor.inputs["name"]
    assert isinstance(name, TextInput)
    name.widget.setText("Berger-Levrault SA")
    name.finish()

    assert window.processor_page.model.index(0, 0).data() == "Berger-Levrault SA"
    assert "Berger-Levrault SA" in processors.widget.item(0).text()
    audit = window.audit_model
    assert any(
        "Berger-Levrault SA" in str(audit.index(row, column).data())
        for row in range(audit.rowCount())
        for column in range(audit.columnCount())
    )
    # Ctrl+Z goes back to the processor's tab with the old name, everywhere.
    window.show_tab(0)
    window.undo()
    assert window.tabs.currentWidget() is window.processors.page
    assert "Berger-Levrault SA" not in processors.widget.item(0).text()
