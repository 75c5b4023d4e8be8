"""« Points à voir avec le DPO » in the DPO's window: listed on the activity, closed, undone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from registre import services, todos
from registre.declaration import todos_for
from registre.presentation import clock_datetime
from registre_ui.main_window import RegisterWindow
from tests.ui.conftest import SampleRegister, duplicate_mnemonics, unnamed_inputs

TRANSFERS = "Les données sortent-elles de l'Union européenne ?"


@pytest.fixture
def declared(sample: SampleRegister) -> str:
    """An activity declared with two « Je ne sais pas »."""
    return services.create_activity(
        sample.register,
        organisation_id=sample.organisation_id,
        name="Prêt de vélos",
        todos=todos_for(["transfers", "security_measures"]),
    ).id


@pytest.fixture
def window(qtbot: QtBot, sample: SampleRegister, declared: str) -> RegisterWindow:
    shown = RegisterWindow(sample.register)
    qtbot.addWidget(shown)
    shown.resize(1280, 800)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def _shoot(window: RegisterWindow, name: str) -> None:
    directory = os.environ.get("REGISTRE_SCREENSHOT_DIR")
    if directory:
        window.grab().save(str(Path(directory) / f"{name}.png"))


def test_the_dpo_sees_the_todos_of_the_activity_and_closes_one(
    qtbot: QtBot, window: RegisterWindow, sample: SampleRegister, declared: str
) -> None:
    panel = window.activities.todo_panel
    assert window.select_activity(sample.activity_ids["Cantine"])
    assert not panel.isVisible()  # an activity without to-dos: no panel
    assert window.select_activity(declared)
    assert panel.isVisible()
    assert panel.title.text() == "Points à voir avec le DPO : 2 ouvert(s) sur 2"
    ModelTester(qtbot).check(panel.model)
    questions = [panel.model.index(row, 0).data() for row in range(panel.model.rowCount())]
    assert questions == [TRANSFERS, "Comment les données sont-elles protégées ?"]
    assert panel.model.index(0, 1).data() == "À voir"
    assert not panel.close_button.isEnabled()  # nothing selected yet
    assert unnamed_inputs(panel) == [] and duplicate_mnemonics(window) == {}
    _shoot(window, "dpo-todos-open")

    entries = len(services.audit_entries(sample.register, limit=1000))
    panel.view.selectRow(0)
    assert panel.close_button.isEnabled()
    panel.close_button.click()
    assert len(services.audit_entries(sample.register, limit=1000)) == entries + 1
    assert panel.title.text() == "Points à voir avec le DPO : 1 ouvert(s) sur 2"
    closed = [t for t in todos.list_todos(sample.register, activity_id=declared) if not t.is_open]
    assert [t.text for t in closed] == [TRANSFERS]
    assert panel.model.index(1, 1).data() == "Vu le 14/03/2026"  # closed ones go last
    assert "vu par secretaire le 14/03/2026" in panel.model.index(1, 1).data(
        Qt.ItemDataRole.ToolTipRole
    )
    _shoot(window, "dpo-todos-one-closed")

    assert window.undo_action.text() == "Annuler la clôture d'un point à voir avec le DPO"
    window.undo_action.trigger()
    assert panel.title.text() == "Points à voir avec le DPO : 2 ouvert(s) sur 2"
    assert all(t.is_open for t in todos.list_todos(sample.register, activity_id=declared))
    window.redo_action.trigger()
    assert panel.title.text() == "Points à voir avec le DPO : 1 ouvert(s) sur 2"


def test_the_history_names_a_closed_todo_and_its_fields(
    qtbot: QtBot, window: RegisterWindow, sample: SampleRegister, declared: str
) -> None:
    panel = window.activities.todo_panel
    assert window.select_activity(declared)
    panel.view.selectRow(0)
    panel.close_button.click()
    (closed_at,) = [t.closed_at for t in todos.list_todos(sample.register) if t.closed_at]
    model = window.history_page.model
    newest = [model.index(0, column).data() for column in range(model.columnCount())]
    assert newest[2:7] == [
        "Modification",
        "Point à voir avec le DPO",
        "État, Vu par, Vu le",
        "À voir ; — ; —",
        f"Vu ; secretaire ; {clock_datetime(closed_at)}",
    ]
