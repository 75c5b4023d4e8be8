"""The field schema, the ORM model and the vocabularies agree with each other."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import inspect

from registre.model import ENTITY_CLASSES, ROW_CLASSES
from registre.schema import ACTIVITY, ENTITIES, Kind, Requirement, Role, vocabularies_used
from registre.vocabularies import vocabulary

TECHNICAL_COLUMNS = {"id", "organisation_id", "activity_id", "position", "row_version"}


def _mapped_class(entity_name: str) -> type:
    for collection in ACTIVITY.collections:
        if collection.entity.name == entity_name:
            return ROW_CLASSES[collection.key]
    return ENTITY_CLASSES[entity_name]


@pytest.mark.parametrize("entity", ENTITIES.values(), ids=lambda e: e.name)
def test_every_field_has_its_column_and_no_column_escapes_the_schema(entity) -> None:
    mapper = inspect(_mapped_class(entity.name))
    columns = {column.key for column in mapper.column_attrs}
    relations = {rel.key for rel in mapper.relationships}
    declared = set(entity.keys)
    stored = {f.key for f in entity.fields if f.kind != Kind.REFERENCES}
    assert stored <= columns, f"fields without a column: {stored - columns}"
    references = {f.key for f in entity.fields if f.kind == Kind.REFERENCES}
    assert references <= relations
    assert columns - TECHNICAL_COLUMNS <= declared, (
        f"columns outside the schema: {columns - declared}"
    )


@pytest.mark.parametrize("entity", ENTITIES.values(), ids=lambda e: e.name)
def test_fields_are_fully_declared(entity) -> None:
    keys = [f.key for f in entity.fields]
    assert len(keys) == len(set(keys))
    for spec in entity.fields:
        assert spec.label_fr and spec.label_en
        if spec.requirement is not Requirement.RECOMMENDED:
            assert spec.help_fr and spec.help_en, f"{entity.name}.{spec.key} needs help text"
        if spec.kind in (Kind.CHOICE, Kind.MULTICHOICE):
            assert bool(spec.vocabulary) != bool(spec.choices), spec.key
        if spec.kind in (Kind.REFERENCE, Kind.REFERENCES):
            assert spec.target in ENTITIES
        if spec.article.startswith("30.2"):
            assert Role.PROCESSOR in spec.roles
    if entity.sections:
        section_keys = {s.key for s in entity.sections}
        assert {f.section for f in entity.fields} <= section_keys


def test_every_article_30_item_is_served_by_the_schema() -> None:
    served = {f.article for e in ENTITIES.values() for f in e.fields}
    served |= {c.article for c in ACTIVITY.collections}
    for item in [
        "30.1.a",
        "30.1.b",
        "30.1.c",
        "30.1.d",
        "30.1.e",
        "30.1.f",
        "30.1.g",
        "30.2.a",
        "30.2.b",
    ]:
        assert item in served, item


@pytest.mark.parametrize("name", sorted(vocabularies_used() | {"transfer_safeguards"}))
def test_vocabularies_are_complete_dated_and_sourced(name: str) -> None:
    vocab = vocabulary(name)
    assert vocab.id == name
    assert vocab.version and vocab.source
    assert len(vocab.keys) == len(set(vocab.keys)) > 0
    for term in vocab.terms:
        assert term.label_fr and term.label_en


def test_cnil_data_categories_six_ordinary_and_nine_sensitive() -> None:
    terms = vocabulary("data_categories").terms
    by_kind: dict[str, int] = {}
    for term in terms:
        by_kind[term.extra["sensitivity"]] = by_kind.get(term.extra["sensitivity"], 0) + 1
    assert by_kind["ordinary"] == 8  # the CNIL model's six, « Internet » and « Autres »
    assert by_kind["art9"] + by_kind["art10"] == 9


def test_adequacy_list_is_dated_and_has_no_privacy_shield() -> None:
    countries = vocabulary("countries")
    assert countries.extra["adequacy_as_of"]
    adequate = {t.key for t in countries.terms if t.extra.get("adequacy")}
    assert {"CH", "GB", "JP", "CA"} <= adequate
    us_scope = json.dumps(countries.term("US").extra, ensure_ascii=False)  # type: ignore[union-attr]
    assert "US" in adequate and "Data Privacy Framework" in us_scope
    assert sum(1 for t in countries.terms if t.extra.get("eea")) == 30
    for term in vocabulary("transfer_safeguards").terms:
        assert "privacy shield" not in (term.label_fr + term.label_en).lower()


def test_legal_bases_are_article_6_1_a_to_f() -> None:
    assert vocabulary("legal_bases").keys == tuple(f"6.1.{x}" for x in "abcdef")
