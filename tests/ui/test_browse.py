"""Looking never writes: browsing the whole demo register leaves it byte-identical.

The real main window is driven on the demo register as a reader would: every row of every list
is clicked in a random (seeded) order, every tab is shown, the organisation record is opened,
and the mouse wheel is turned over every drop-down, spin box and date that does not have the
keyboard focus. The JSON export and the audit trail must not move. Then one real edit gives
exactly one audit entry and one changed field, and Ctrl+Z gives back the byte-identical export.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from registre import services
from registre.demo import create_demo_register
from registre.interchange.json_format import dumps, export_document
from registre.storage import Context, Register
from registre_ui.main_window import RegisterWindow

SEED = 20261202
CREATED = dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)
BROWSED = dt.datetime(2026, 12, 2, 14, 5, tzinfo=dt.UTC)  # months later: « Mis à jour » would move
CHECK_TIMEOUT = 20_000


class SettableClock:
    """A clock that stays where it is put (the export date stays the same between exports)."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[tuple[Register, SettableClock]]:
    """The demo register, created months before it is browsed."""
    clock = SettableClock(CREATED)
    counter = itertools.count(1)
    context = Context(clock=clock, new_id=lambda: str(uuid.UUID(int=next(counter))), actor="dpo")
    register, _key = create_demo_register(tmp_path / "Démo.registre", context=context)
    clock.now = BROWSED
    yield register, clock
    register.close()


def exported(register: Register) -> bytes:
    """The JSON export of the whole register."""
    return dumps(export_document(register))


def audit_count(register: Register) -> int:
    """Number of entries in the audit trail."""
    return services.register_info(register).counts["audit_entries"]


def wheel_state(widget: QWidget) -> object:
    """What a drop-down or spin box shows."""
    return widget.currentIndex() if isinstance(widget, QComboBox) else widget.text()


def wheel_over_inputs(window: QWidget) -> int:
    """Turn the mouse wheel over every drop-down and spin box on screen without the focus.

    The wheel is turned as a real one (through the window system), where the input is seen;
    none of them may change.
    """
    turned = 0
    tops = [window, *(w for w in QApplication.topLevelWidgets() if w.isVisible())]
    for top in dict.fromkeys(tops):
        handle = top.windowHandle()
        if handle is None:
            continue
        for widget in [*top.findChildren(QComboBox), *top.findChildren(QAbstractSpinBox)]:
            if not widget.isVisible() or widget.hasFocus() or not widget.isEnabled():
                continue
            centre = widget.mapTo(top, widget.rect().center())
            under = top.childAt(centre)
            if under is None or not (under is widget or widget.isAncestorOf(under)):
                continue  # scrolled out of sight or covered
            shown = wheel_state(widget)
            for steps in (-2, 1):
                QTest.wheelEvent(handle, QPointF(centre), QPoint(0, 120 * steps))
            assert wheel_state(widget) == shown, widget.accessibleName() or widget
            turned += 1
    return turned


def click_rows(
    qtbot: QtBot, view: QAbstractItemView, rng: random.Random, window: QWidget | None = None
) -> int:
    """Click every row of ``view`` once, in random order (turning the wheel over ``window``)."""
    model = view.model()
    if model is None:
        return 0
    rows = list(range(model.rowCount()))
    rng.shuffle(rows)
    for row in rows:
        index = model.index(row, 0)
        view.scrollTo(index)
        rect = view.visualRect(index)
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        if window is not None:
            wheel_over_inputs(window)
    return len(rows)


def browse_everything(qtbot: QtBot, window: RegisterWindow, rng: random.Random) -> int:
    """Every organisation, every tab, every row of every list; returns the rows clicked."""
    clicked = 0
    for organisation in range(window.organisation_combo.count()):
        window.organisation_combo.setCurrentIndex(organisation)
        tabs = list(range(window.tabs.count()))
        rng.shuffle(tabs)
        for tab in tabs:
            window.tabs.setCurrentIndex(tab)
            page = window.tabs.currentWidget()
            wheel_over_inputs(window)
            if page is window.references_page:
                combo = window.references_page.combo
                for position in range(combo.count()):
                    combo.setCurrentIndex(position)
                    clicked += click_rows(qtbot, window.references_page.table, rng)
                continue
            record_lists = (
                window.activity_table,
                window.software_table,
                window.processor_table,
                *(tab.inventory.table for tab in window.companions),
            )
            for view in page.findChildren(QTableView):
                if view.isVisible():
                    wheeled = window if view in record_lists else None
                    clicked += click_rows(qtbot, view, rng, wheeled)
        dialog = window.edit_organisation()
        assert dialog is not None
        qtbot.waitExposed(dialog)
        wheel_over_inputs(dialog)
        dialog.close()
    return clicked


def changed_fields(before: bytes, after: bytes) -> dict[str, dict[str, tuple[Any, Any]]]:
    """Records whose fields differ between two exports: {record id: {field: (old, new)}}."""
    records: list[dict[str, dict[str, Any]]] = []
    for document in (json.loads(before), json.loads(after)):
        flat: dict[str, Any] = {}
        for organisation in document["organisations"]:
            flat[organisation["id"]] = organisation
            for key in ("activities", "processors", "software"):
                for record in organisation[key]:
                    flat[record["id"]] = record
        records.append(flat)
    old, new = records
    differences: dict[str, dict[str, tuple[Any, Any]]] = {}
    for record_id in old.keys() | new.keys():
        a, b = old.get(record_id, {}), new.get(record_id, {})
        fields = {
            key: (a.get(key), b.get(key))
            for key in a.keys() | b.keys()
            if key not in ("activities", "processors", "software") and a.get(key) != b.get(key)
        }
        if fields:
            differences[record_id] = fields
    return differences


def test_browsing_the_demo_changes_nothing_and_one_edit_is_one_undoable_change(
    qtbot: QtBot, demo: tuple[Register, SettableClock]
) -> None:
    register, _clock = demo
    before = exported(register)
    entries = audit_count(register)

    window = RegisterWindow(register)
    qtbot.addWidget(window)
    window.resize(1400, 860)
    with qtbot.waitSignal(window.check_finished, timeout=CHECK_TIMEOUT):
        window.show()
    qtbot.waitExposed(window)

    clicked = browse_everything(qtbot, window, random.Random(SEED))
    assert clicked > 100  # every activity, processor, software item, finding, term, entry
    window.organisation_combo.setCurrentIndex(0)
    window._commit_pending()  # what leaving the window would save

    assert audit_count(register) == entries
    assert window.recorder.stack.can_undo is False  # no phantom step either
    assert exported(register) == before

    # One real edit: the service of one activity, typed and confirmed with Return.
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.tabs.setCurrentWidget(window.activities_page)
    activity = services.list_activities(register, window.organisation_id())[3]
    assert window.select_activity(activity.id)
    editor = window.editor
    assert editor is not None
    service_input = editor.inputs["service"]
    assert isinstance(service_input.widget, QLineEdit)
    service_input.widget.setFocus()
    service_input.widget.selectAll()
    qtbot.keyClicks(service_input.widget, "Service des elections")
    qtbot.keyClick(service_input.widget, Qt.Key.Key_Return)

    assert audit_count(register) == entries + 1
    last = services.audit_entries(register, 1)[0]
    assert last["entity_id"] == activity.id
    assert last["changes"] == {"service": [activity.service, "Service des elections"]}
    edited = exported(register)
    assert changed_fields(before, edited) == {
        activity.id: {
            "service": (activity.service, "Service des elections"),
            "updated_on": (
                activity.updated_on.isoformat() if activity.updated_on else None,
                BROWSED.date().isoformat(),
            ),
        }
    }

    # Ctrl+Z (the focus stays in the field, which holds nothing unsaved) gives it all back.
    qtbot.keyClick(service_input.widget, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert exported(register) == before
    assert window.recorder.stack.can_undo is False
    # Ctrl+Shift+Z applies it again, exactly.
    qtbot.keyClick(
        service_input.widget,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert exported(register) == edited
    window.check_runner.stop()
