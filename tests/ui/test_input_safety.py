"""Input safety: the mouse wheel scrolls forms instead of changing what it passes over, and no
shortcut letter (Alt+letter) is used twice in a window or dialog."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QWidget
from pytestqt.qtbot import QtBot

from registre import services
from registre.paths import library_dir
from registre_ui.library import LibraryWindow, NewRegisterDialog
from registre_ui.main_window import RegisterWindow
from registre_ui.preferences import PreferencesDialog
from registre_ui.settings import Settings
from registre_ui.wizard import SUMMARY_ID, DeclarationWizard
from tests.ui.conftest import SampleRegister, duplicate_mnemonics


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
    editor.scroll_area.ensureWidgetVisible(combo)
    window.search_edit.setFocus()
    scroll_bar = editor.scroll_area.verticalScrollBar()
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


def test_no_shortcut_letter_is_used_twice_in_a_window_or_dialog(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = _window(qtbot, sample)
    for tab in range(window.tabs.count()):
        window.tabs.setCurrentIndex(tab)
        assert duplicate_mnemonics(window) == {}, window.tabs.tabText(tab)
    organisation = window.edit_organisation()
    assert organisation is not None and duplicate_mnemonics(organisation) == {}
    for dialog in (
        LibraryWindow(),
        NewRegisterDialog(library_dir()),
        PreferencesDialog(Settings()),
    ):
        qtbot.addWidget(dialog)
        dialog.show()
        assert duplicate_mnemonics(dialog) == {}, type(dialog).__name__
    wizard = DeclarationWizard(sample.register, sample.organisation_id)
    wizard.confirm_abandon = lambda: True  # type: ignore[method-assign]
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.start_page.choose_scratch()
    while True:
        assert duplicate_mnemonics(wizard) == {}, wizard.currentPage().title()
        if wizard.currentId() == SUMMARY_ID:
            break
        wizard.next()
