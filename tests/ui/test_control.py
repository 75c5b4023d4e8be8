"""« Contrôle »: findings filtered by severity and article, opening a record, the dashboard."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QIcon
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from registre import services
from registre.checker import check_register
from registre.demo import create_demo_register
from registre.rules import article_sort_key
from registre.storage import Register
from registre_ui.control import FindingsModel, FindingsProxy, render_findings
from registre_ui.main_window import RegisterWindow
from tests.ui.conftest import SampleRegister

CHECK_TIMEOUT = 10_000


def _checked_window(qtbot: QtBot, sample: SampleRegister) -> RegisterWindow:
    window = RegisterWindow(sample.register)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.check_finished, timeout=CHECK_TIMEOUT):
        window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _rule_rows(window: RegisterWindow, rule_id: str, record_id: str) -> int:
    return window.control_page.row_of_rule(rule_id, record_id)


def test_findings_model_and_proxy_follow_the_model_contract(
    qtmodeltester: ModelTester, sample: SampleRegister
) -> None:
    report = check_register(sample.register)
    model = FindingsModel()
    model.set_findings(report, render_findings(report))
    qtmodeltester.check(model)
    proxy = FindingsProxy(model)
    proxy.set_severity("error")
    proxy.set_article("30.1.c")
    qtmodeltester.check(proxy)
    assert proxy.rowCount() > 0


def test_completeness_column_and_incomplete_filter(qtbot: QtBot, sample: SampleRegister) -> None:
    window = _checked_window(qtbot, sample)
    model = window.activity_model
    report = window.check_runner.last
    assert report is not None
    for name, activity_id in sample.activity_ids.items():
        row = model.row_of(activity_id)
        percent = report.report.activity_scores[activity_id].percent
        assert model.index(row, model.score_column).data() == f"{percent} %", name
    window.incomplete_check.setChecked(True)
    assert window.activity_proxy.rowCount() == sum(
        1 for score in report.report.activity_scores.values() if score.percent < 100
    )
    window.incomplete_check.setChecked(False)
    services_listed = [
        window.service_combo.itemText(i) for i in range(window.service_combo.count())
    ]
    assert services_listed == ["Tous", "Affaires scolaires", "Élections", "Restauration scolaire"]
    window.service_combo.setCurrentIndex(services_listed.index("Élections"))
    assert [window.activity_proxy.index(r, 1).data() for r in range(1)] == ["Listes électorales"]
    assert window.count_label.text() == "1 sur 3 traitements"
    window.activity_proxy.sort(model.score_column)  # sorts on the numbers
    window.clear_filters()
    assert window.activity_proxy.rowCount() == 3


def test_findings_filter_by_severity_and_article(qtbot: QtBot, sample: SampleRegister) -> None:
    window = _checked_window(qtbot, sample)
    page = window.control_page
    window.show_tab(window.tabs.indexOf(page))
    total = page.proxy.rowCount()
    assert total > 0
    severities = [page.severity_combo.itemText(i) for i in range(page.severity_combo.count())]
    assert severities == ["Toutes", "Erreur", "Avertissement", "Conseil"]
    page.severity_combo.setCurrentIndex(1)
    errors = page.proxy.rowCount()
    assert 0 < errors < total
    assert {page.proxy.index(r, 0).data() for r in range(errors)} == {"Erreur"}
    articles = [page.article_combo.itemData(i) for i in range(page.article_combo.count())]
    assert articles[0] is None and "30.1.b" in articles
    assert articles[1:] == sorted(articles[1:], key=article_sort_key)  # Article 30 first
    page.article_combo.setCurrentIndex(articles.index("30.1.b"))
    assert {page.proxy.index(r, 1).data() for r in range(page.proxy.rowCount())} == {"30.1.b"}
    assert page.article_combo.currentText() == "30.1.b — Finalités"
    page.severity_combo.setCurrentIndex(0)
    page.article_combo.setCurrentIndex(0)
    assert page.proxy.rowCount() == total
    page.search_edit.setText("finalite principale")  # accents ignored
    assert page.proxy.rowCount() >= 1


def test_opening_a_finding_focuses_the_field_then_fixing_it_clears_it_until_undone(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = _checked_window(qtbot, sample)
    canteen = sample.activity_ids["Cantine"]
    page = window.control_page
    window.show_tab(window.tabs.indexOf(page))
    row = _rule_rows(window, "activity-main-purpose-missing", canteen)
    assert row >= 0
    assert page.proxy.index(row, 4).data() == "Finalité principale"
    page.table.activated.emit(page.proxy.index(row, 0))  # double-click or Enter
    assert window.tabs.currentWidget() is window.activities_page
    assert window.current_activity_id() == canteen
    assert window.editor is not None
    field = window.editor.inputs["main_purpose"]
    assert QApplication.focusWidget() is field.widget

    field.widget.setPlainText("Servir les repas aux élèves.")
    with qtbot.waitSignal(window.check_finished, timeout=CHECK_TIMEOUT):
        field.finish()
    assert _rule_rows(window, "activity-main-purpose-missing", canteen) < 0
    with qtbot.waitSignal(window.check_finished, timeout=CHECK_TIMEOUT):
        window.undo_action.trigger()
    assert _rule_rows(window, "activity-main-purpose-missing", canteen) >= 0


def test_a_row_finding_opens_the_row_cell(qtbot: QtBot, sample: SampleRegister) -> None:
    school = sample.activity_ids["École maternelle"]
    record = services.record_of(sample.register, "activity", school)
    services.add_row(
        sample.register, activity_id=school, collection="recipients", name="Trésor public"
    )  # its type is missing
    window = _checked_window(qtbot, sample)
    page = window.control_page
    row = next(
        r
        for r in range(page.proxy.rowCount())
        if page.proxy.finding(page.proxy.index(r, 0)).field == "recipients.recipient_type"
    )
    assert "Destinataires (ligne 2)" in page.proxy.index(row, 4).data()
    page.table.activated.emit(page.proxy.index(row, 0))
    assert window.editor is not None
    recipients = window.editor.collections["recipients"]
    assert recipients.table.hasFocus()
    current = recipients.table.currentIndex()
    assert current.row() == 1 and current.column() == 0
    assert len(record["recipients"]) == 1


def test_dashboard_scores_counts_gaps_and_chart(qtbot: QtBot, sample: SampleRegister) -> None:
    ccas = services.create_organisation(sample.register, name="CCAS de Saint-Test").id
    services.create_activity(sample.register, organisation_id=ccas, name="Aide sociale")
    window = _checked_window(qtbot, sample)
    page = window.control_page
    report = window.check_runner.last
    assert report is not None
    scores = report.report.organisation_scores
    assert page.score_label.text() == f"{scores[sample.organisation_id].percent} %"
    assert page.counts_label.text().startswith("Constats : ")
    assert "erreur" in page.counts_label.text()
    assert " × " in page.gaps_label.text()
    assert "{" not in page.gaps_label.text()  # templates are filled or shortened
    bars = page.chart.bars
    assert [bar.label for bar in bars] == ["CCAS de Saint-Test", "Commune de Saint-Test"]
    assert [bar.current for bar in bars] == [False, True]
    assert page.chart.accessibleDescription() == "; ".join(
        f"{bar.label} : {scores[org].percent} %"
        for bar, org in zip(bars, [ccas, sample.organisation_id], strict=True)
    )
    findings_here = page.proxy.rowCount()
    page.organisation_check.setChecked(False)
    assert page.proxy.rowCount() > findings_here  # the CCAS's findings too
    window.select_organisation(ccas)
    assert page.score_label.text() == f"{scores[ccas].percent} %"
    assert [bar.current for bar in page.chart.bars] == [True, False]


def test_an_organisation_finding_opens_its_record(qtbot: QtBot, sample: SampleRegister) -> None:
    window = _checked_window(qtbot, sample)
    page = window.control_page
    row = next(
        r
        for r in range(page.proxy.rowCount())
        if page.proxy.finding(page.proxy.index(r, 0)).field == "address"
    )
    page.table.activated.emit(page.proxy.index(row, 0))
    dialog = window.organisation_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.focusWidget() is dialog.editor.inputs["address"].widget
    dialog.close()


def test_the_dashboard_names_real_gaps_and_severities_read_without_colour(
    qtbot: QtBot, tmp_path: Path
) -> None:
    register, _key = create_demo_register(tmp_path / "Démo.registre")
    try:
        window = RegisterWindow(register)
        qtbot.addWidget(window)
        with qtbot.waitSignal(window.check_finished, timeout=CHECK_TIMEOUT):
            window.show()
        page = window.control_page
        gaps = page.gaps_label.text()
        assert gaps.count(" × ") == 5
        assert "…" not in gaps and "{" not in gaps
        messages = {
            finding.message("fr")
            for finding in page.report.findings  # type: ignore[union-attr]
            if finding.organisation_id == window.organisation_id()
        }
        for line in gaps.splitlines():  # « 3 × <a finding's own message> (article) »
            message = line.split(" × ", 1)[1].rsplit(" (", 1)[0]
            assert message in messages, line
        assert page.score_label.text().endswith(" %")
        model = page.model
        severities = {model.index(row, 0).data() for row in range(model.rowCount())}
        assert severities == {"Erreur", "Avertissement", "Conseil"}
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            icon = index.data(Qt.ItemDataRole.DecorationRole)
            assert isinstance(icon, QIcon) and not icon.isNull()
            assert isinstance(index.data(Qt.ItemDataRole.ForegroundRole), QBrush)
        assert page.count_label.text() == f"{page.proxy.rowCount()} constats affichés"
        window.check_runner.stop()
    finally:
        register.close()


def test_fifty_organisations_leave_the_window_its_size(qtbot: QtBot, register: Register) -> None:
    """A shared DPO's register of fifty communes: the chart scrolls inside the dashboard
    instead of stretching the window beyond the screen, and shows the commune at hand."""
    ids = [
        services.create_organisation(register, name=f"Commune n° {number:02d}").id
        for number in range(1, 51)
    ]
    window = RegisterWindow(register)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    with qtbot.waitSignal(window.check_finished, timeout=CHECK_TIMEOUT):
        window.show()
    qtbot.waitExposed(window)
    window.select_organisation(ids[39])
    window.tabs.setCurrentWidget(window.control_page)
    qtbot.wait(50)
    assert window.minimumSizeHint().height() <= 800
    assert window.height() == 800
    page = window.control_page
    assert len(page.chart.bars) == 50
    viewport = page.chart_area.viewport()
    shown_top = -page.chart.y()
    current_top = page.chart.bar_top(39)
    assert page.chart.bars[39].current
    assert shown_top <= current_top < shown_top + viewport.height()  # « Commune n° 40 » in view
    assert page.chart_area.height() < 400
    if window.workspace.overview is not None:  # five organisations or more: it opens too
        window.workspace.overview.close()
