"""Input safety: the mouse wheel scrolls forms instead of changing what it passes over."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QWidget
from pytestqt.qtbot import QtBot

from registre import services
from registre_ui.main_window import RegisterWindow
from tests.ui.conftest import SampleRegister


def _window(qtbot: QtBot, sample: SampleRegister) -> RegisterWindow:
    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    window.resize(1000, 500)  # a short window: the form scrolls
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _turn_wheel_over(window: QWidget, widget: QWidget, notches: int) -> None:
    """Turn a real wheel (through the window system) with the pointer over ``widget``."""
    handle = window.windowHandle()
    assert handle is not None
    centre = widget.mapTo(window, widget.rect().center())
    assert widget is window.childAt(centre) or widget.isAncestorOf(window.childAt(centre))
    QTest.wheelEvent(handle, QPointF(centre), QPoint(0, 120 * notches))


def test_the_wheel_scrolls_the_form_over_an_unfocused_drop_down(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = _window(qtbot, sample)
    assert window.select_activity(sample.activity_ids["Cantine"])
    editor = window.editor
    assert editor is not None
    legal_basis = editor.inputs["legal_basis"]
    combo = legal_basis.widget
    assert isinstance(combo, QComboBox)
    editor.scroll.ensureWidgetVisible(combo)
    window.search_edit.setFocus()
    scroll_bar = editor.scroll.verticalScrollBar()
    position, shown = scroll_bar.value(), combo.currentIndex()
    entries = services.register_info(sample.register).counts["audit_entries"]

    _turn_wheel_over(window, combo, -1)  # towards the user: further down the form
    assert combo.currentIndex() == shown
    assert not combo.hasFocus()  # the wheel does not take the focus either
    assert scroll_bar.value() > position  # the form scrolled instead
    assert services.register_info(sample.register).counts["audit_entries"] == entries


def test_the_wheel_changes_a_drop_down_that_has_the_focus(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = _window(qtbot, sample)
    combo = window.status_combo
    combo.setFocus(Qt.FocusReason.TabFocusReason)
    assert combo.currentIndex() == 0
    _turn_wheel_over(window, combo, -1)
    assert combo.currentIndex() == 1  # the user chose to use the wheel on it


def test_the_organisation_and_filters_ignore_a_passing_wheel(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    services.create_organisation(sample.register, name="CCAS de Saint-Test")
    window = _window(qtbot, sample)
    window._load_organisations()
    window.search_edit.setFocus()
    for combo in (window.organisation_combo, window.status_combo, window.service_combo):
        shown = combo.currentIndex()
        _turn_wheel_over(window, combo, -1)
        _turn_wheel_over(window, combo, 1)
        assert combo.currentIndex() == shown
