"""The activities list on a laptop screen (1280 × 800): the short columns are whole, the name
takes the width left and long texts are elided, with no sideways scrolling."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStyle
from pytestqt.qtbot import QtBot

from registre.demo import create_demo_register
from registre.storage import Context, Register
from registre_ui.main_window import RegisterWindow

CHECK_TIMEOUT = 30_000


@pytest.fixture
def demo(tmp_path: Path, context: Context) -> Iterator[Register]:
    """The demo register, dated by the test clock (14 March 2026)."""
    register, _recovery_key = create_demo_register(tmp_path / "Demo.registre", context=context)
    yield register
    register.close()


def _shots(tmp_path: Path) -> Path:
    directory = Path(os.environ.get("REGISTRE_SCREENSHOT_DIR") or tmp_path)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def test_role_legal_basis_and_status_are_whole_at_1280_by_800(
    qtbot: QtBot, demo: Register, tmp_path: Path
) -> None:
    window = RegisterWindow(demo)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    with qtbot.waitSignal(window.check_finished, timeout=CHECK_TIMEOUT):
        window.show()
        qtbot.waitExposed(window)
    qtbot.wait(50)  # the columns are fitted once the rows are laid out
    table = window.activity_table
    model = table.model()
    titles = [
        model.headerData(column, Qt.Orientation.Horizontal) for column in range(model.columnCount())
    ]
    metrics = table.fontMetrics()
    # what a cell's text has, as Qt's delegate lays it out: its margins and the grid line
    margin = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table)
    padding = 2 * (margin + 1) + 1

    def cut(title: str) -> list[str]:
        """The texts of the column that its width cuts."""
        column = titles.index(title)
        texts = {str(model.index(row, column).data() or "") for row in range(model.rowCount())}
        room = table.columnWidth(column) - padding
        return sorted(text for text in texts if metrics.horizontalAdvance(text) > room)

    for title in ("Rôle", "Base légale", "État", "Référence", "Mis à jour", "Complétude"):
        assert cut(title) == [], title
    assert "Directive 2016/680" in {
        model.index(row, titles.index("Base légale")).data() for row in range(model.rowCount())
    }  # the widest basis of the demo, whole
    assert not table.horizontalScrollBar().isVisible()  # no sideways scrolling
    assert sum(table.columnWidth(c) for c in range(len(titles))) <= table.viewport().width()
    name = titles.index("Nom")
    assert table.columnWidth(name) == max(table.columnWidth(c) for c in range(len(titles)))
    assert cut("Nom")  # the long names are elided…
    full = model.index(0, name).data(Qt.ItemDataRole.ToolTipRole)
    assert full and metrics.horizontalAdvance(full) > table.columnWidth(name)  # …whole in the tip
    window.grab().save(str(_shots(tmp_path) / "activities-1280x800.png"))

    narrow = table.columnWidth(name)
    others = [table.columnWidth(c) for c in range(len(titles)) if c != name]
    window.resize(1600, 900)  # a wider window: the name takes the room, not the completeness
    qtbot.waitUntil(lambda: table.columnWidth(name) > narrow)
    assert [table.columnWidth(c) for c in range(len(titles)) if c != name] == others
    window.check_runner.stop()
