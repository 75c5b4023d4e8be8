"""The companion registers in the application: breaches, rights requests, impact assessments
and processor contracts, each a tab built from the schema like the inventory tabs."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
import uuid
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QFontMetrics
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from registre import services
from registre.demo import create_demo_register
from registre.schema import BREACH, CONTRACT_CLAUSES, ENTITIES
from registre.storage import Context, Register
from registre_ui.companion_tab import (
    CompanionTab,
    CompanionTableModel,
    legend_text,
    next_reference,
)
from registre_ui.editor import SECTION_TITLE
from registre_ui.fields import DateInput, DateTimeInput
from registre_ui.i18n import install_translators, set_language
from registre_ui.main_window import RegisterWindow
from registre_ui.values import format_value
from registre_ui.window_menus import mnemonic
from tests.ui.conftest import SampleRegister, audit_count, register_content, shown_window
from tests.ui.test_browse import SettableClock, click_rows, exported

NOW = dt.datetime(2026, 3, 14, 9, 30)


def _tab(window: RegisterWindow, entity: str) -> CompanionTab:
    (tab,) = [tab for tab in window.companions if tab.entity.name == entity]
    return tab


def _add_records(sample: SampleRegister) -> None:
    """A breach still inside its 72 hours, a notified one, an overdue request, a sound one."""
    register, organisation = sample.register, sample.organisation_id
    services.create_record(
        register,
        "breach",
        organisation_id=organisation,
        title="Clé USB perdue",
        discovered_at=NOW - dt.timedelta(hours=20),
    )
    services.create_record(
        register,
        "breach",
        organisation_id=organisation,
        title="Courriel mal adressé",
        discovered_at=NOW - dt.timedelta(days=30),
        notification="notify",
        notified_at=NOW - dt.timedelta(days=29),
        status="closed",
    )
    services.create_record(
        register,
        "rights_request",
        organisation_id=organisation,
        requester="Mme Durand",
        received_on=dt.date(2026, 1, 2),
        rights=["access"],
    )
    services.create_record(
        register,
        "rights_request",
        organisation_id=organisation,
        requester="M. Martin",
        received_on=dt.date(2026, 3, 10),
        rights=["erasure"],
    )
    services.create_record(
        register,
        "dpia",
        organisation_id=organisation,
        title="AIPD cantine",
        activities=[sample.activity_ids["Cantine"]],
        status="completed",
        next_review_on=dt.date(2026, 1, 31),
    )
    services.create_record(
        register,
        "contract",
        organisation_id=organisation,
        title="Contrat BL.enfance n° 2024-17",
        processor_id=sample.processor_id,
        ends_on=dt.date(2027, 12, 31),
    )


def test_the_next_reference_follows_the_highest_of_the_year() -> None:
    assert next_reference("V-2026-", []) == "V-2026-01"
    assert next_reference("V-2026-", ["V-2026-04", "V-2025-09", "V-2026-x", ""]) == "V-2026-05"


def test_companion_models_follow_the_model_contract(
    qtmodeltester: ModelTester, sample: SampleRegister
) -> None:
    _add_records(sample)
    for entity in ("breach", "rights_request"):
        model = CompanionTableModel(ENTITIES[entity], lambda: NOW)
        model.set_records(services.list_records(sample.register, entity, sample.organisation_id))
        assert model.rowCount() == 2
        qtmodeltester.check(model)


def test_the_72_hour_clock_and_overdue_requests_stand_out(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    _add_records(sample)
    window = shown_window(qtbot, sample)
    breaches = _tab(window, "breach")
    model = breaches.companion_model
    column = model.status_column
    texts = {
        model.index(row, 1).data(): model.index(row, column).data()
        for row in range(model.rowCount())
    }
    assert texts["Clé USB perdue"].startswith("Reste ")  # the clock runs from discovery
    assert "Notifiée à la CNIL" in texts["Courriel mal adressé"]
    assert "1 violation(s) sans notification ni décision" in breaches.alert_label.text()
    assert "Clé USB perdue" in breaches.alert_label.text()
    # The one needing attention comes first, in bold with an icon, and its state is words.
    assert model.index(0, 1).data() == "Clé USB perdue"
    assert model.index(0, column).data(Qt.ItemDataRole.DecorationRole) is not None
    assert model.index(1, column).data(Qt.ItemDataRole.DecorationRole) is None

    requests = _tab(window, "rights_request")
    first = requests.companion_model
    assert first.index(0, 1).data() == "Mme Durand"
    assert first.index(0, first.status_column).data().startswith("En retard de ")
    assert "1 demande(s) en retard" in requests.alert_label.text()

    window.show_tab(window.tabs.indexOf(window.control_page))
    with qtbot.waitSignal(window.check_finished, timeout=20_000):
        window.check_runner.schedule()
    dashboard = window.control_page.companions_label.text()
    assert "Violations : 1 en cours, 1 à notifier" in dashboard
    assert "Demandes de droits : 2 en cours, 1 en retard" in dashboard
    window.check_runner.stop()


def test_a_breach_created_in_its_tab_is_one_entry_and_one_undo_step(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = shown_window(qtbot, sample)
    before = register_content(sample.register)
    entries = audit_count(sample.register)
    tab = _tab(window, "breach")
    window.show_tab(window.tabs.indexOf(tab.page))
    tab.inventory.new_button.click()

    assert audit_count(sample.register) == entries + 1
    editor = tab.inventory.editor
    assert editor.record_id is not None
    assert editor.record["reference"] == "V-2026-01"  # the year of the register's clock
    assert window.tabs.currentWidget() is tab.page
    assert tab.companion_model.rowCount() == 1
    assert tab.status_label.text() == "Reste 2 j 23 h pour notifier la CNIL"  # 72 h from now
    discovered = editor.inputs["discovered_at"]
    assert isinstance(discovered, DateTimeInput)
    assert discovered.widget.text() != "—"

    # Notifying the CNIL stops the clock; the moment is typed in local time, stored in UTC.
    notified = editor.inputs["notified_at"]
    assert isinstance(notified, DateTimeInput)
    moment = dt.datetime(2026, 3, 15, 10, 0).astimezone()
    notified.set_moment(moment)
    stored = services.record_of(sample.register, "breach", editor.record_id)["notified_at"]
    assert stored == moment.astimezone(dt.UTC).replace(tzinfo=None)
    assert format_value(BREACH.field("notified_at"), stored) == "15/03/2026 10:00"
    assert "Notifiée" in tab.status_label.text()
    assert audit_count(sample.register) == entries + 2

    window.undo()
    window.undo()
    assert register_content(sample.register) == before
    assert tab.companion_model.rowCount() == 0
    assert not window.recorder.stack.can_undo


def _trail(register: Register) -> bytes:
    """The whole audit trail, and the head of its hash chain."""
    entries = services.audit_entries(register, 1_000_000)
    head = services.verify_audit(register)
    return json.dumps([entries, repr(head)], sort_keys=True, default=str).encode()


def test_looking_at_every_companion_record_writes_nothing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """Every row of the four tabs of the demo clicked, the wheel turned over every input of
    each form, the clocks read again days later (a breach's 72 hours run out, a request
    becomes overdue): the JSON export and the audit trail stay byte-identical."""
    start = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)
    clock = SettableClock(start)
    counter = itertools.count(1)
    context = Context(clock=clock, new_id=lambda: str(uuid.UUID(int=next(counter))), actor="dpo")
    register, _key = create_demo_register(tmp_path / "Demo.registre", context=context)
    try:
        before, trail = exported(register), _trail(register)
        window = RegisterWindow(register)
        qtbot.addWidget(window)
        window.resize(1400, 860)
        window.show()
        qtbot.waitExposed(window)
        rng = random.Random(20261203)
        clicked = 0
        for later in (0, 5):  # today, then five days later
            clock.now += dt.timedelta(days=later)
            for tab in window.companions:
                window.show_tab(window.tabs.indexOf(tab.page))
                tab.refresh_clock()  # what the minute timer does
                assert tab.inventory.proxy.rowCount() > 0, tab.title()
                clicked += click_rows(qtbot, tab.inventory.table, rng, window)
                assert tab.inventory.editor.record_id is not None
        assert clicked >= 2 * 20
        breaches = next(tab for tab in window.companions if tab.entity.name == "breach")
        assert "Délai de 72 h dépassé" in breaches.alert_label.text()  # the clock has moved
        window.commit_pending()
        clock.now = start  # the export says when it was made: the same moment as before
        assert exported(register) == before
        assert _trail(register) == trail
        assert not window.recorder.stack.can_undo
        window.check_runner.stop()
    finally:
        register.close()


def test_long_titles_and_states_wrap_in_the_list_rather_than_being_cut(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    _add_records(sample)
    services.create_record(
        sample.register,
        "breach",
        organisation_id=sample.organisation_id,
        title="Relance de cantine envoyée avec les adresses des parents en copie visible",
        discovered_at=NOW - dt.timedelta(days=40),
        notification="not_required",
        no_notification_reason="Adresses internes à la commune.",
        status="closed",
    )
    window = shown_window(qtbot, sample)
    window.resize(1400, 860)
    tab = _tab(window, "breach")
    window.show_tab(window.tabs.indexOf(tab.page))
    table = tab.inventory.table
    qtbot.waitUntil(lambda: table.columnWidth(1) > 0)
    qtbot.wait(50)
    model = tab.inventory.proxy
    for row in range(model.rowCount()):
        for column in (1, tab.companion_model.status_column):
            index = model.index(row, column)
            text = index.data()
            font = index.data(Qt.ItemDataRole.FontRole) or table.font()
            room = table.visualRect(index).adjusted(3, 0, -3, 0)  # the cell's own margins
            needed = QFontMetrics(font).boundingRect(
                room, int(Qt.TextFlag.TextWordWrap), text
            )
            assert needed.width() <= room.width() and needed.height() <= room.height(), text


def test_the_status_bar_counts_what_the_tab_shown_lists(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    _add_records(sample)
    window = shown_window(qtbot, sample)
    count = window.tab_count.label
    assert window.count_label.isVisible() and window.count_label.text() == "3 traitements"
    assert not count.isVisible()
    window.show_tab(window.tabs.indexOf(_tab(window, "breach").page))
    assert not window.count_label.isVisible()
    assert count.isVisible() and count.text() == "Violations de données : 2"
    requests = _tab(window, "rights_request")
    window.show_tab(window.tabs.indexOf(requests.page))
    assert count.text() == "Demandes d'exercice de droits : 2"
    requests.inventory.search_edit.setText("Durand")
    assert count.text() == "Demandes d'exercice de droits : 1 sur 2"
    window.show_tab(window.tabs.indexOf(window.history_page))
    assert count.text().startswith("Historique : ")
    window.show_tab(window.tabs.indexOf(window.control_page))
    assert not count.isVisible() and not window.count_label.isVisible()
    window.check_runner.stop()


def test_every_tab_has_its_shortcut_and_letter_in_the_view_menu(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = shown_window(qtbot, sample)
    actions = window.menus.tab_actions
    assert len(actions) == window.tabs.count() == 10
    shortcuts = [action.shortcut().toString() for action in actions]
    assert shortcuts == [f"Ctrl+{n}" for n in range(1, 10)] + ["Ctrl+H"]
    window.menus.view_menu.aboutToShow.emit()
    entries = window.menus.view_menu.actions()
    letters = [mnemonic(action.text()) for action in entries if not action.isSeparator()]
    assert "" not in letters and len(letters) == len(set(letters)), letters
    assert actions[-1].text().replace("&", "") == "Historique"
    everywhere = [
        key.toString() for action in window.findChildren(QAction) for key in action.shortcuts()
    ]
    assert len(everywhere) == len(set(everywhere)), "two actions share a shortcut"
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is window.history_page
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentWidget() is _tab(window, "breach").page
    window.check_runner.stop()


def test_an_impact_assessment_past_its_review_stands_out_like_an_overdue_request(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    _add_records(sample)
    window = shown_window(qtbot, sample)
    tab = _tab(window, "dpia")
    model = tab.companion_model
    review = model.review_column
    assert model.index(0, review).data() == "31/01/2026"
    assert model.index(0, review).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert model.index(0, review).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(0, model.status_column).data() == "Revue dépassée (31/01/2026)"
    assert model.index(0, model.status_column).data(Qt.ItemDataRole.DecorationRole) is not None
    assert "AIPD cantine — Revue dépassée (31/01/2026)" in tab.alert_label.text()

    # Moving the review forward in the form: nothing stands out any more.
    tab.inventory.select(model.row_id(0))
    review_input = tab.inventory.editor.inputs["next_review_on"]
    assert isinstance(review_input, DateInput)
    review_input.set_date(dt.date(2027, 1, 31))
    assert model.index(0, review).data() == "31/01/2027"
    assert model.index(0, review).data(Qt.ItemDataRole.ForegroundRole) is None
    assert not tab.alert_label.isVisibleTo(window)


def test_the_dashboard_counts_impact_assessments_to_review(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    _add_records(sample)
    window = shown_window(qtbot, sample)
    window.show_tab(window.tabs.indexOf(window.control_page))
    with qtbot.waitSignal(window.check_finished, timeout=20_000):
        window.check_runner.schedule()
    assert "Analyses d'impact : 1 à revoir (revue dépassée)" in (
        window.control_page.companions_label.text()
    )
    window.check_runner.stop()


def test_the_legend_of_each_form_names_the_article_requiring_its_starred_elements(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    window = shown_window(qtbot, sample)
    legends = {tab.entity.name: tab.inventory.editor.legend.text() for tab in window.companions}
    assert "exigés par le RGPD (art. 33.5)" in legends["breach"]
    assert "(art. 12)" in legends["rights_request"]
    assert "(art. 35.7)" in legends["dpia"] and "(art. 28.3)" in legends["contract"]
    assert not any("article 30" in legend for legend in legends.values())
    set_language("en")
    try:
        assert "(art. 33(5))" in legend_text("breach")  # English cites 33(5), not 33.5
    finally:
        set_language("fr")


def test_each_heading_of_the_companion_forms_cites_its_article_once(
    qtbot: QtBot, qapp: QApplication, sample: SampleRegister
) -> None:
    _add_records(sample)
    for lang, clauses in (
        ("fr", "Clauses obligatoires (art. 28.3)"),
        ("en", "Mandatory clauses (Art. 28.3)"),
    ):
        installed = install_translators(qapp, lang)
        set_language(lang)
        try:
            window = shown_window(qtbot, sample)
            headings: list[str] = []
            for tab in window.companions:
                editor = tab.inventory.editor
                if tab.entity.name == "contract":
                    tab.inventory.select(tab.companion_model.row_id(0))
                titles = [label.text() for label in editor.findChildren(QLabel, SECTION_TITLE)]
                for section in tab.entity.sections:
                    if section.article:
                        label = section.label_en if lang == "en" else section.label_fr
                        (title,) = [t for t in titles if t.startswith(label)]
                        assert title.count(section.article.split(".")[0]) == 1, title
                headings += titles
            assert clauses in headings
            window.check_runner.stop()
        finally:
            set_language("fr")
            for translator in installed:
                qapp.removeTranslator(translator)


def test_a_contract_with_every_clause_but_no_date_stands_out_in_the_list_and_the_form(
    qtbot: QtBot, sample: SampleRegister
) -> None:
    _add_records(sample)  # its contract has an end date, no signature date
    window = shown_window(qtbot, sample)
    tab = _tab(window, "contract")
    model = tab.companion_model
    (contract,) = tab.records
    tab.inventory.select(str(contract["id"]))
    clauses = tab.inventory.editor.inputs
    for key in CONTRACT_CLAUSES:
        clauses[key].choose(True)
    expected = "Clauses de l'art. 28.3 complètes ; date de signature à renseigner"
    assert model.index(0, model.status_column).data() == expected
    assert model.index(0, model.status_column).data(Qt.ItemDataRole.DecorationRole) is not None
    assert tab.status_label.text() == expected
    assert f"Contrat BL.enfance n° 2024-17 — {expected}" in tab.alert_label.text()

    date_input = clauses["signed_on"]
    assert isinstance(date_input, DateInput)
    date_input.set_date(dt.date(2024, 9, 2))
    assert model.index(0, model.status_column).data() == "Clauses de l'art. 28.3 complètes"
    assert tab.status_label.text() == "Clauses de l'art. 28.3 complètes"
    assert not tab.alert_label.isVisibleTo(window)
