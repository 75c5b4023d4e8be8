"""The Qt binding in use does not lose references to None (the application would abort).

PySide6 6.12.0 drops one reference to None each time a model method written in Python returns
None to Qt; on Python 3.11, where None is not immortal, the application aborted with « Fatal
Python error: none_dealloc » after a few thousand cells were painted. pyproject.toml excludes
that release; this test fails on any release with the same defect.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

CALLS = 2_000


class _EmptyCells(QAbstractTableModel):
    """Cells with no data, as most roles of most cells are."""

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        return None


def test_none_returned_to_qt_keeps_its_references(qtbot: QtBot) -> None:
    model = _EmptyCells()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    index = model.index(1, 1)
    before = sys.getrefcount(None)
    for _ in range(CALLS):
        index.data(Qt.ItemDataRole.DisplayRole)
        view.setColumnWidth(0, 50)  # asks the header's data
    assert sys.getrefcount(None) - before > -CALLS // 10
