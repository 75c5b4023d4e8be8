"""« Historique »: old and new values, filters by record, person and period, the sort arrow."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QStyle, QStyleFactory, QStyleOptionHeader
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from registre import services
from registre_ui.history import AuditFilterProxy, HistoryPage
from registre_ui.main_window import RegisterWindow
from registre_ui.widgets import SortArrowStyle
from tests.ui.conftest import SampleRegister


def _rows(page: HistoryPage) -> list[list[str]]:
    proxy = page.proxy
    return [
        [proxy.index(row, column).data() for column in range(proxy.columnCount())]
        for row in range(proxy.rowCount())
    ]


def test_each_change_shows_its_old_and_new_value(qtbot: QtBot, sample: SampleRegister) -> None:
    canteen = sample.activity_ids["Cantine"]
    services.update_activity(sample.register, canteen, service="Cuisine centrale")
    services.update_activity(sample.register, canteen, next_review_on=dt.date(2027, 1, 15))
    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    page = window.history_page
    newest, previous = _rows(page)[:2]
    assert newest[2:] == [
        "Modification",
        "Traitement « Cantine »",
        "Prochaine revue",
        "—",
        "15/01/2027",
    ]
    assert previous[4:] == ["Service concerné", "Restauration scolaire", "Cuisine centrale"]


def test_filters_by_record_person_and_period(
    qtbot: QtBot, qtmodeltester: ModelTester, sample: SampleRegister
) -> None:
    canteen = sample.activity_ids["Cantine"]
    services.update_activity(sample.register, canteen, service="Cuisine centrale")
    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    page = window.history_page
    qtmodeltester.check(page.proxy)
    everything = page.proxy.rowCount()
    page.show_record(canteen)
    assert [row[3] for row in _rows(page)] == ["Traitement « Cantine »"] * 2
    page.show_record(None)
    assert page.proxy.rowCount() == everything
    assert [page.actor_combo.itemText(i) for i in range(page.actor_combo.count())] == [
        "Tout le monde",
        "secretaire",
    ]
    page.actor_combo.setCurrentIndex(1)
    assert page.proxy.rowCount() == everything
    stored = services.audit_entries(sample.register, 1)[0]["at"]
    assert isinstance(page.proxy, AuditFilterProxy)
    page.proxy.set_filters(since=stored.astimezone().date() + dt.timedelta(days=1))
    assert page.proxy.rowCount() == 0
    page.period_combo.setCurrentIndex(0)  # « Toutes les dates »
    page.actor_combo.setCurrentIndex(0)
    page.proxy.set_filters()
    assert page.proxy.rowCount() == everything


def _arrow(style: QStyle, indicator: QStyleOptionHeader.SortIndicator) -> QImage:
    """The sort arrow ``style`` draws for ``indicator``."""
    image = QImage(16, 16, QImage.Format.Format_ARGB32)
    image.fill(0)
    option = QStyleOptionHeader()
    option.rect = image.rect()
    option.sortIndicator = indicator
    painter = QPainter(image)
    style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorHeaderArrow, option, painter)
    painter.end()
    return image


def test_the_newest_first_list_shows_a_downward_arrow(qtbot: QtBot, sample: SampleRegister) -> None:
    """Newest first is descending: ▼, which Qt would draw ▲ (and ▲ for ascending, A to Z)."""
    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    header = window.audit_table.horizontalHeader()
    style = header.style()
    assert isinstance(style, SortArrowStyle)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    plain = QStyleFactory.create(style.baseStyle().name())
    up, down = QStyleOptionHeader.SortIndicator.SortUp, QStyleOptionHeader.SortIndicator.SortDown
    # Qt gives descending as « SortUp »; the plain style draws it pointing up.
    assert _arrow(style, up) == _arrow(plain, down)
    assert _arrow(style, down) == _arrow(plain, up)
    assert _arrow(plain, up) != _arrow(plain, down)
    assert not _wider_below(_arrow(style, up))  # ▼: wide at the top, narrow below


def _wider_below(image: QImage) -> bool:
    """True for ▲ (its wide side is at the bottom), False for ▼."""

    def width(row: int) -> int:
        return sum(1 for x in range(image.width()) if image.pixelColor(x, row).alpha() > 0)

    rows = [width(row) for row in range(image.height())]
    drawn = [row for row, count in enumerate(rows) if count]
    top, bottom = rows[drawn[0]], rows[drawn[-1]]
    return bottom > top
