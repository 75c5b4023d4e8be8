"""Table models and their filter proxies: Qt's model contract, search, status filter, speed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from registre import services
from registre.schema import PROCESSOR, SOFTWARE
from registre.services import ActivitySummary
from registre_ui.history import AuditTableModel
from registre_ui.i18n import set_language
from registre_ui.models import (
    ID_ROLE,
    ActivityFilterProxy,
    ActivityTableModel,
    LibraryModel,
    RecordTableModel,
    RegisterEntry,
    SearchFilterProxy,
)
from registre_ui.values import fold_text
from registre_ui.widgets import column_cap, fitted_widths
from tests.ui.conftest import SampleRegister

HORIZONTAL = Qt.Orientation.Horizontal


def _column(proxy: SearchFilterProxy, column: int = 1) -> list[str]:
    return [proxy.index(row, column).data() for row in range(proxy.rowCount())]


def _activities(sample: SampleRegister) -> tuple[ActivityTableModel, ActivityFilterProxy]:
    model = ActivityTableModel()
    model.set_activities(services.list_activities(sample.register, sample.organisation_id))
    return model, ActivityFilterProxy(model)


def test_activity_model_and_its_proxy_follow_the_model_contract(
    qtmodeltester: ModelTester, sample: SampleRegister
) -> None:
    model, proxy = _activities(sample)
    qtmodeltester.check(model)
    proxy.set_search_text("ecole")
    proxy.set_status("completed")
    qtmodeltester.check(proxy)


def test_activity_rows_show_labels_dates_and_ids(sample: SampleRegister) -> None:
    model, _proxy = _activities(sample)
    titles = [model.headerData(c, HORIZONTAL) for c in range(model.columnCount())]
    assert titles == [
        "Référence",
        "Nom",
        "Service",
        "Rôle",
        "Base légale",
        "État",
        "Mis à jour",
        "Complétude",
    ]
    assert "Ce qui autorise le traitement" in model.headerData(
        4, HORIZONTAL, Qt.ItemDataRole.ToolTipRole
    )
    row = model.row_of(sample.activity_ids["École maternelle"])
    cells = [model.index(row, column).data() for column in range(model.columnCount())]
    assert cells == [
        "T-001",
        "École maternelle",
        "Affaires scolaires",
        "Responsable",  # short labels; the whole label is the tooltip
        "Mission publique",
        "Complété",
        "14/03/2026",
        "…",  # no check yet
    ]
    assert model.index(row, 4).data(Qt.ItemDataRole.ToolTipRole) == (
        "Mission d'intérêt public ou exercice de l'autorité publique"
    )
    assert model.index(row, 0).data(ID_ROLE) == sample.activity_ids["École maternelle"]


def test_search_ignores_accents_and_case(sample: SampleRegister) -> None:
    _model, proxy = _activities(sample)
    assert sorted(_column(proxy)) == ["Cantine", "Listes électorales", "École maternelle"]
    proxy.set_search_text("ecole")
    assert _column(proxy) == ["École maternelle"]
    proxy.set_search_text("ÉCOLE Mater")
    assert _column(proxy) == ["École maternelle"]
    proxy.set_search_text("electorales")
    assert _column(proxy) == ["Listes électorales"]
    proxy.set_search_text("restauration")  # matches the service column
    assert _column(proxy) == ["Cantine"]
    proxy.set_search_text("piscine")
    assert _column(proxy) == []
    proxy.set_search_text("")
    assert proxy.rowCount() == 3


def test_status_filter_combines_with_search(sample: SampleRegister) -> None:
    _model, proxy = _activities(sample)
    proxy.set_status("draft")
    assert _column(proxy) == ["Cantine"]
    proxy.set_status("validated")
    assert _column(proxy) == ["Listes électorales"]
    proxy.set_search_text("ecole")
    assert _column(proxy) == []
    proxy.set_status(None)
    assert _column(proxy) == ["École maternelle"]


def test_sorting_uses_dates_and_accent_free_text(sample: SampleRegister) -> None:
    _model, proxy = _activities(sample)
    proxy.sort(1, Qt.SortOrder.AscendingOrder)
    assert _column(proxy) == ["Cantine", "École maternelle", "Listes électorales"]
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert _column(proxy, 0) == ["T-003", "T-002", "T-001"]


def test_fold_text_removes_accents_ligatures_and_case() -> None:
    assert fold_text("École Maternelle") == "ecole maternelle"
    assert fold_text("ŒUVRES SOCIALES") == "oeuvres sociales"
    assert fold_text("Préfecture d’Ille-et-Vilaine") == "prefecture d’ille-et-vilaine"


def test_ten_thousand_activities_filter_as_you_type() -> None:
    """What the search finds among 10,000 activities (its speed: bench/bench_ui.py)."""
    names = ["École maternelle", "Cantine scolaire", "Fichier électoral", "Paie des agents"]
    activities = [
        ActivitySummary(
            id=f"id-{index}",
            organisation_id="org",
            reference=f"T-{index:05d}",
            name=f"{names[index % 4]} n° {index}",
            service="Service à la population",
            role="controller",
            status=("draft", "completed", "validated")[index % 3],
            legal_basis="6.1.e",
            updated_on=dt.date(2026, 1, 1) + dt.timedelta(days=index % 300),
        )
        for index in range(10_000)
    ]
    model = ActivityTableModel()
    model.set_activities(activities)
    proxy = ActivityFilterProxy(model)
    found = {}
    for text in ["e", "ecole", "ecole ma", "", "cantine", "9999"]:
        proxy.set_search_text(text)
        found[text] = proxy.rowCount()
    assert found == {
        "e": 10_000,
        "ecole": 2_500,
        "ecole ma": 2_500,
        "": 10_000,
        "cantine": 2_500,
        "9999": 1,
    }


def test_record_models_take_headers_and_values_from_the_schema(
    qtmodeltester: ModelTester, sample: SampleRegister
) -> None:
    processors = services.list_records(sample.register, "processor", sample.organisation_id)
    software = services.list_records(sample.register, "software", sample.organisation_id)
    names = {record["id"]: record["name"] for record in [*processors, *software]}
    processor_model = RecordTableModel(PROCESSOR)
    processor_model.set_records(processors, names)
    software_model = RecordTableModel(SOFTWARE)
    software_model.set_records(software, names)
    for model in (processor_model, software_model):
        qtmodeltester.check(model)
        qtmodeltester.check(SearchFilterProxy(model))

    assert processor_model.headerData(0, HORIZONTAL) == "Nom du sous-traitant"
    row = {
        processor_model.headerData(c, HORIZONTAL): processor_model.index(0, c).data()
        for c in range(processor_model.columnCount())
    }
    assert row["Pays d'établissement"] == "France"
    assert row["Contrat conforme à l'article 28"] == "Oui"
    assert row["Fin du contrat"] == "31/12/2027"
    software_row = {
        software_model.headerData(c, HORIZONTAL): software_model.index(0, c).data()
        for c in range(software_model.columnCount())
    }
    assert software_row["Prestataire"] == "Berger-Levrault"  # a reference shown by its name
    assert software_row["Logiciel libre"] == "Non"
    assert software_row["Hébergement"] == "Chez un prestataire (SaaS, hébergeur)"


def test_audit_model_names_actions_elements_and_fields(
    qtmodeltester: ModelTester, sample: SampleRegister
) -> None:
    services.update_activity(
        sample.register, sample.activity_ids["Cantine"], status="completed", description="Repas"
    )
    model = AuditTableModel()
    model.set_entries(
        services.audit_entries(sample.register, organisation_id=sample.organisation_id), {}
    )
    qtmodeltester.check(model)
    qtmodeltester.check(SearchFilterProxy(model))
    titles = [model.headerData(c, HORIZONTAL) for c in range(model.columnCount())]
    assert titles == ["Date", "Qui", "Action", "Élément", "Champs modifiés", "Avant", "Après"]
    newest = [model.index(0, column).data() for column in range(model.columnCount())]
    assert newest[1] == "secretaire"
    assert newest[2] == "Modification"
    assert newest[3] == "Traitement"
    assert newest[4] == "État de la fiche, Description"
    assert newest[5] == "Brouillon ; —"
    assert newest[6] == "Complété ; Repas"
    first = model.rowCount() - 1
    assert model.index(first, 2).data() == "Création"
    assert model.index(first, 3).data() == "Organisme « Commune de Saint-Test »"
    assert model.index(first, 0).data().count("/") == 2  # dd/mm/yyyy hh:mm


def test_library_model(qtmodeltester: ModelTester, tmp_path: Path) -> None:
    model = LibraryModel()
    model.set_registers(
        [
            RegisterEntry(tmp_path / "A.registre", "A", dt.datetime(2026, 3, 1, 8, 5), False),
            RegisterEntry(tmp_path / "Démo.registre", "Démo", dt.datetime(2026, 3, 2), True),
        ]
    )
    qtmodeltester.check(model)
    assert [model.index(0, c).data() for c in range(5)] == ["A", "—", "—", "01/03/2026 08:05", ""]
    assert model.index(1, 4).data() == "démo"
    assert model.index(1, 0).data(ID_ROLE) == str(tmp_path / "Démo.registre")


def test_columns_share_the_width_and_the_name_comes_first() -> None:
    assert column_cap([50, 80, 100], 400) == 100  # everything fits
    assert column_cap([50, 300, 400], 450) == 200  # the two wide columns share what is left
    assert column_cap([300, 300, 300], 90) == 60  # never narrower than the minimum
    assert fitted_widths([50, 300, 400], 450) == [50, 200, 200]
    assert fitted_widths([50, 300, 400, 100], 600, priority=1) == [50, 210, 240, 100]


def test_short_columns_are_never_cut() -> None:
    """Reference, dates and percentages keep their width; the long texts share the rest."""
    widths = [70, 400, 200, 100, 120, 80, 85, 80]  # the activity list at 100 %
    fitted = fitted_widths(widths, 560, priority=1, whole={0, 6, 7})
    assert [fitted[column] for column in (0, 6, 7)] == [70, 85, 80]
    assert fitted[1] == 196  # the name: 35 % of the table
    assert fitted[2:6] == [60, 60, 60, 60]  # the others share what is left


def test_a_law_enforcement_activity_shows_its_basis_in_the_list(sample: SampleRegister) -> None:
    police = services.create_activity(
        sample.register,
        organisation_id=sample.organisation_id,
        name="Vidéoprotection de la voie publique",
        reference="T-009",
        regime="police_justice",
    ).id
    for lang, tooltip in (
        ("fr", "Directive (UE) 2016/680, art. 8 (police-justice)"),
        ("en", "Directive (EU) 2016/680, Art. 8 (law enforcement)"),
    ):
        set_language(lang)
        try:
            model, _proxy = _activities(sample)
        finally:
            set_language("fr")
        row = model.row_of(police)
        assert model.index(row, 4).data() == "Directive 2016/680"
        assert model.index(row, 4).data(Qt.ItemDataRole.ToolTipRole) == tooltip
        school = model.row_of(sample.activity_ids["École maternelle"])
        assert model.index(school, 4).data() in ("Mission publique", "Public task")
