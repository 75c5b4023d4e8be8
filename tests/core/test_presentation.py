"""Values read the same in the lists, the PDF, the spreadsheets and the checker's messages."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from registre.presentation import (
    DOCUMENT,
    LIST,
    NBSP,
    NNBSP,
    SHEET,
    collection_summary,
    duration_text,
    format_value,
    retention_text,
    short_choice_label,
)
from registre.schema import (
    ACTIVITY,
    BREACH,
    COMPANION_REGISTERS,
    ENTITIES,
    ORGANISATION,
    PROCESSOR,
    SOFTWARE,
)

CATEGORY = ACTIVITY.collection("data_categories")


def test_one_value_in_each_style() -> None:
    basis = ACTIVITY.field("legal_basis")
    assert (
        format_value(basis, "6.1.e")
        == "Mission d'intérêt public ou exercice de l'autorité publique"
    )
    assert format_value(basis, "6.1.e", style=DOCUMENT).endswith(f"(art.{NBSP}6.1.e)")
    assert (
        format_value(basis, "6.1.e", lang="en") == "Public task or exercise of official authority"
    )
    day = ACTIVITY.field("updated_on")
    assert format_value(day, dt.date(2026, 3, 1)) == "01/03/2026"
    assert format_value(day, "2026-03-01") == "01/03/2026"
    assert format_value(day, dt.date(2026, 3, 1), style=DOCUMENT) == f"1er{NBSP}mars 2026"
    siren = ORGANISATION.field("siren")
    assert format_value(siren, "213105554") == "213105554"
    assert format_value(siren, "213105554", style=DOCUMENT) == NNBSP.join(("213", "105", "554"))
    assert format_value(ORGANISATION.field("staff_count"), 12345, style=DOCUMENT) == (
        f"12{NNBSP}345"
    )
    contract = PROCESSOR.field("has_art28_contract")
    assert format_value(contract, True) == "Oui"
    assert format_value(contract, False, lang="en") == "No"
    assert format_value(contract, None) == ""
    assert format_value(ACTIVITY.field("name"), "") == ""


def test_a_moment_reads_on_this_computer_s_clock_in_a_list(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    try:
        discovered = BREACH.field("discovered_at")
        moment = dt.datetime(2026, 3, 14, 9, 30)  # stored in naive UTC
        assert format_value(discovered, moment) == "14/03/2026 10:30"
        assert format_value(discovered, "2026-07-14T09:30:00") == "14/07/2026 11:30"
        assert format_value(discovered, moment, style=DOCUMENT) == (
            f"14{NBSP}mars 2026 à 10{NBSP}h{NBSP}30 (heure de Paris)"
        )
        assert format_value(discovered, moment, style=SHEET) == str(moment)  # ISO in a sheet
    finally:
        monkeypatch.undo()
        time.tzset()


def test_lists_and_references_join_items_by_style() -> None:
    criteria = ACTIVITY.field("dpia_criteria")
    keys = ["evaluation", "sensitive"]
    assert ", " in format_value(criteria, keys)
    assert " ; " in format_value(criteria, keys, style=DOCUMENT)
    assert "\n" in format_value(criteria, keys, style=SHEET)
    processor = SOFTWARE.field("processor_id")
    assert format_value(processor, "p-1", names={"p-1": "Berger-Levrault"}) == "Berger-Levrault"
    assert format_value(processor, "p-2", names={"p-1": "Berger-Levrault"}) == "p-2"
    assert format_value(processor, "p-1", names=str.upper) == "P-1"
    processors = ACTIVITY.field("processors")
    assert format_value(processors, [{"name": "A"}, {"name": "B"}], style=DOCUMENT) == "A ; B"


@pytest.mark.parametrize(
    ("value", "unit", "fr", "en"),
    [
        (5, "years", "5 ans", "5 years"),
        (1, "years", "1 an", "1 year"),
        (1, "months", "1 mois", "1 month"),
        (1, "days", "1 jour", "1 day"),
        (None, "unlimited", "sans limite", "unlimited"),
        (5, None, "5", "5"),
        (None, "years", "ans", "years"),
        (None, None, "", ""),
    ],
)
def test_a_duration_reads_in_the_singular_after_one(value, unit, fr, en) -> None:
    assert duration_text(value, unit) == fr
    assert duration_text(value, unit, "en") == en


def test_retention_is_one_sentence_for_every_consumer() -> None:
    row = {"retention_value": 5, "retention_unit": "years", "retention_start": "la clôture"}
    assert retention_text(row, style=SHEET) == "5 ans à compter de la clôture"
    assert retention_text(row) == f"5{NBSP}ans à compter de la clôture"
    assert retention_text(row, "en", style=LIST) == "5 years from la clôture"
    one = {"retention_value": 1, "retention_unit": "years"}
    assert retention_text(one, style=SHEET) == "1 an"
    assert retention_text({"retention_unit": "unlimited"}) == "Sans limite de durée"
    assert retention_text({"retention_value": 5}, style=SHEET) == "5 (unité non précisée)"
    assert retention_text({"retention_unit": "years"}, style=SHEET) == "(durée non précisée) ans"
    assert retention_text({"retention_start": "la fin"}) == "À compter de la fin"
    assert retention_text({}) == ""
    kept = {"retention_value": 3, "retention_unit": "months", "final_disposition": "destruction"}
    assert (
        retention_text(kept, style=LIST, disposition=True)
        == "3 mois, puis destruction (élimination)"
    )
    assert retention_text(kept, style=LIST) == "3 mois"


def test_a_document_retention_keeps_large_numbers_readable() -> None:
    row = {"retention_value": 3650, "retention_unit": "days"}
    assert retention_text(row) == f"3{NNBSP}650{NBSP}jours"


def test_short_labels_are_declared_in_the_schema() -> None:
    assert short_choice_label(ACTIVITY.field("legal_basis"), "6.1.e") == "Mission publique"
    assert short_choice_label(ACTIVITY.field("legal_basis"), "6.1.e", "en") == "Public task"
    assert short_choice_label(ACTIVITY.field("role"), "processor") == "Sous-traitant"
    assert short_choice_label(ACTIVITY.field("name"), "x") == ""
    assert short_choice_label(ACTIVITY.field("status"), None) == ""
    assert ACTIVITY.field("updated_on").short_label() == "Mis à jour"
    assert ACTIVITY.field("updated_on").short_label("en") == "Updated"
    assert ACTIVITY.field("reference").short_label() == "Référence"  # no shorter one
    companions = [ENTITIES[name] for name in COMPANION_REGISTERS]
    for entity in (ACTIVITY, PROCESSOR, SOFTWARE, *companions):
        assert entity.list_columns
        for key in entity.list_columns:
            assert not entity.field(key).internal


def test_a_collection_in_a_few_lines() -> None:
    rows = [
        {
            "category": "identity",
            "details": "nom, prénom",
            "retention_value": 1,
            "retention_unit": "years",
            "final_disposition": "destruction",
        },
        {"category": "other"},
    ]
    lines = collection_summary(CATEGORY, rows)
    assert lines[0].endswith("(nom, prénom) — 1 an, puis destruction (élimination)")
    assert " — " not in lines[1]
    subjects = collection_summary(ACTIVITY.collection("data_subjects"), [{"category": None}])
    assert subjects == ["—"]


def test_an_organisation_is_named_by_its_kind_s_own_noun() -> None:
    from registre.presentation import organisation_of
    from registre.vocabularies import vocabulary

    assert organisation_of("commune") == "de la commune"
    assert organisation_of("ccas") == "du CCAS"
    assert organisation_of("office_de_tourisme") == "de l'office de tourisme"
    assert organisation_of("ccas", "en") == "of the CCAS"
    assert organisation_of("other") == organisation_of(None) == "de l'organisme"
    assert organisation_of("inconnu", "en") == "of the organisation"
    for term in vocabulary("organisation_kinds").terms:  # every kind but « Autre » has its noun
        if term.key != "other":
            assert str(term.extra["of_fr"]).startswith(("de la ", "du ", "de l'")), term.key
            assert str(term.extra["of_en"]).startswith("of the "), term.key
