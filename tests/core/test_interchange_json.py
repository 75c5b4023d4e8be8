"""JSON interchange: complete, versioned, schema-checked, lossless round trip."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registre import services
from registre.demo import create_demo_register
from registre.errors import InvalidValue
from registre.interchange import (
    FORMAT_VERSION,
    InvalidImportFile,
    apply_import,
    export_bytes,
    export_register,
    json_schema,
    json_schema_text,
    plan_import,
)
from registre.interchange.text import options_of
from registre.records import name_problem
from registre.schema import (
    ACTIVITY,
    ENTITIES,
    ORGANISATION,
    PROCESSOR,
    SOFTWARE,
    Entity,
    Field,
    Kind,
)
from registre.storage import Context, Register, create_register
from tests.conftest import PASSPHRASE


def _fresh(directory: Path, context: Context | None = None) -> Register:
    register, _recovery = create_register(directory, PASSPHRASE, context=context)
    return register


def _state(register: Register) -> tuple[list[services.ActivitySummary], int]:
    return services.list_activities(register), services.verify_audit(register).entries


def _organisations(data: bytes) -> Any:
    return json.loads(data)["organisations"]


@pytest.fixture
def demo(tmp_path: Path, context: Context) -> Register:
    register, _recovery = create_demo_register(tmp_path / "Demo.registre", context=context)
    yield register
    register.close()


@pytest.fixture
def demo_file(demo: Register, tmp_path: Path) -> Path:
    return export_register(demo, tmp_path / "registre.json", "json")


def test_the_committed_json_schema_is_the_one_generated_from_the_field_schema() -> None:
    committed = resources.files("registre_resources") / "schemas" / "registre-export.schema.json"
    assert committed.read_text(encoding="utf-8") == json_schema_text()


def test_the_schema_lists_every_entity_and_field_of_the_field_schema() -> None:
    definitions = json_schema()["$defs"]
    for entity in ENTITIES.values():
        properties = definitions[entity.name]["properties"]
        assert set(entity.keys) <= set(properties)
    assert set(definitions["activity"]["properties"]) >= {c.key for c in ACTIVITY.collections}


def test_an_export_carries_every_field_and_a_format_version(demo: Register) -> None:
    document = json.loads(export_bytes(demo, "json"))
    assert document["format"] == "registre"
    assert document["format_version"] == FORMAT_VERSION
    assert document["register_id"] == demo.register_id
    organisation = document["organisations"][0]
    assert set(organisation) == {
        "id",
        *ORGANISATION.keys,
        "processors",
        "software",
        "activities",
        "breaches",
        "rights_requests",
        "dpias",
        "contracts",
    }
    assert set(organisation["processors"][0]) == {"id", *PROCESSOR.keys}
    assert set(organisation["software"][0]) == {"id", *SOFTWARE.keys}
    activity = organisation["activities"][0]
    assert set(activity) == {
        "id",
        *ACTIVITY.keys,
        *(c.key for c in ACTIVITY.collections),
        "todos",
    }
    for collection in ACTIVITY.collections:
        for row in activity[collection.key]:
            assert set(row) == {"id", *collection.entity.keys}
    dates = [a["created_on"] for o in document["organisations"] for a in o["activities"]]
    assert all(isinstance(d, str) and dt.date.fromisoformat(d) for d in dates)


def test_export_import_into_a_new_register_export_again_gives_identical_data(
    demo: Register, demo_file: Path, tmp_path: Path
) -> None:
    target = _fresh(tmp_path / "New.registre")
    plan = plan_import(target, demo_file)
    assert plan.format == "json"
    assert not plan.ignored and not plan.not_understood
    report = apply_import(target, plan)
    assert report.counts()["created"]["activity"] == 40
    assert _organisations(export_bytes(target, "json")) == _organisations(demo_file.read_bytes())
    assert services.verify_audit(target).intact
    target.close()


def test_importing_the_same_file_again_changes_nothing(demo: Register, demo_file: Path) -> None:
    before = _state(demo)
    plan = plan_import(demo, demo_file)
    assert not plan.has_changes
    assert len(plan.ignored) == 2 + 12 + 16 + 40 + 28  # with the companion records
    assert "identique" in plan.ignored[0].reason_fr
    apply_import(demo, plan)
    assert _state(demo) == before


def test_a_changed_record_is_updated_by_its_identifier(demo: Register, demo_file: Path) -> None:
    original = _organisations(demo_file.read_bytes())
    activity_id = original[1]["activities"][0]["id"]
    services.update_activity(demo, activity_id, name="Nom modifié", legal_basis="6.1.a")
    row_id = original[1]["activities"][0]["purposes"][0]["id"]
    services.delete_row(demo, collection="purposes", row_id=row_id)
    plan = plan_import(demo, demo_file)
    assert [entry.label for entry in plan.updated] == [original[1]["activities"][0]["name"]]
    assert "Sous-finalités" in plan.updated[0].reason_fr
    apply_import(demo, plan)
    assert _organisations(export_bytes(demo, "json")) == original
    assert services.verify_audit(demo).intact


def test_dry_run_writes_nothing(demo_file: Path, tmp_path: Path) -> None:
    target = _fresh(tmp_path / "Dry.registre")
    before = _state(target)
    plan = plan_import(target, demo_file)
    assert plan.created
    assert _state(target) == before
    assert "À créer" in plan.summary("fr") and "To create" in plan.summary("en")
    target.close()


def _edit(path: Path, change: Any) -> Path:
    document = json.loads(path.read_bytes())
    change(document)
    edited = path.with_name("edited.json")
    edited.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return edited


def _set(path: list[Any], value: Any) -> Any:
    def change(document: Any) -> None:
        target = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_set(["format"], "autre"), "pas un export de Registre"),
        (_set(["format_version"], FORMAT_VERSION + 1), "plus récente"),
        (_set(["surprise"], 1), "clé inconnue"),
        (_set(["organisations", 0, "email"], "pas un courriel"), "courriel invalide"),
        (_set(["organisations", 0, "activities", 0, "legal_basis"], "6.1.z"), "choix inconnu"),
        (_set(["organisations", 0, "activities", 0, "id"], "abc"), "identifiant invalide"),
        (_set(["organisations", 0, "activities", 0, "name"], ""), "obligatoire"),
        (_set(["organisations", 0, "activities", 0, "colour"], "bleu"), "champ inconnu"),
        (_set(["organisations", 0, "activities", 0, "processors"], [1]), "liste de textes"),
        (_set(["organisations", 0, "activities", 0, "dpia_date"], "31/02/2024"), "date"),
        (
            _set(
                ["organisations", 0, "activities", 0, "data_categories", 0, "retention_value"],
                10**30,
            ),
            "trop grand",
        ),
        (
            _set(
                ["organisations", 0, "activities", 0, "processors"],
                ["00000000-0000-0000-0000-00000000dead"],
            ),
            "introuvable",
        ),
        (
            lambda d: d["organisations"][0]["processors"].append(
                d["organisations"][0]["processors"][0]
            ),
            "en double",
        ),
        (_set(["organisations"], {"a": 1}), "organisations"),
    ],
)
def test_an_invalid_document_is_refused_with_a_clear_message_and_nothing_written(
    demo_file: Path, tmp_path: Path, change: Any, message: str
) -> None:
    target = _fresh(tmp_path / "Target.registre")
    before = _state(target)
    with pytest.raises(InvalidImportFile) as raised:
        plan_import(target, _edit(demo_file, change))
    assert raised.value.exit_code == 6
    assert message in raised.value.message("fr")
    assert raised.value.message("en")
    assert _state(target) == before
    target.close()


def test_an_identifier_of_another_organisation_is_a_conflict(
    demo: Register, demo_file: Path
) -> None:
    document = json.loads(demo_file.read_bytes())
    ccas, commune = document["organisations"]
    ccas["activities"].append(commune["activities"][0] | {"processors": [], "software": []})
    commune["activities"] = commune["activities"][1:]
    edited = demo_file.with_name("moved.json")
    edited.write_text(json.dumps(document), encoding="utf-8")
    before = _state(demo)
    with pytest.raises(InvalidImportFile, match="another organisation"):
        plan_import(demo, edited)
    assert _state(demo) == before


def test_a_lone_surrogate_is_refused(demo_file: Path, tmp_path: Path) -> None:
    text = demo_file.read_text(encoding="utf-8").replace(
        "Commune de Saint-Exemple-sur-Loire", "Commune \\ud800", 1
    )
    broken = tmp_path / "surrogate.json"
    broken.write_text(text, encoding="utf-8")
    target = _fresh(tmp_path / "Target.registre")
    with pytest.raises(InvalidImportFile, match="surrogate"):
        plan_import(target, broken)
    target.close()


# --------------------------------------------------------------------------------------------
# Property: any register survives export → import into a new register → export
# --------------------------------------------------------------------------------------------

_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Co", "Cn")), max_size=25
)
_LONG = st.lists(_TEXT, max_size=3).map("\n".join)


def _siren(digits: str) -> str:
    for last in "0123456789":
        candidate = digits + last
        if services.siren_is_valid(candidate):
            return candidate
    raise AssertionError(digits)


def _value(spec: Field) -> st.SearchStrategy[Any]:
    kind = spec.kind
    if kind == Kind.TEXT:
        text = _TEXT if not spec.max_length else _TEXT.map(lambda t: t[: spec.max_length])
        return st.none() | text
    if kind == Kind.LONGTEXT:
        return st.none() | _LONG
    if kind == Kind.EMAIL:
        return st.none() | st.from_regex(r"[a-z]{1,8}@[a-z]{1,8}\.fr", fullmatch=True)
    if kind == Kind.PHONE:
        return st.none() | st.from_regex(r"0[1-9]( [0-9]{2}){4}", fullmatch=True)
    if kind == Kind.SIREN:
        return st.none() | st.from_regex(r"[0-9]{8}", fullmatch=True).map(_siren)
    if kind == Kind.CHOICE:
        return st.none() | st.sampled_from([option.key for option in options_of(spec)])
    if kind == Kind.MULTICHOICE:
        keys = [option.key for option in options_of(spec)]
        return st.lists(st.sampled_from(keys), unique=True, max_size=3)
    if kind == Kind.BOOL:
        return st.none() | st.booleans()
    if kind == Kind.DATE:
        return st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2200, 12, 31))
    if kind == Kind.INTEGER:
        return st.none() | st.integers(0, 100_000)
    raise AssertionError(kind)


def _values(entity: Entity, title: str | None = None) -> st.SearchStrategy[dict[str, Any]]:
    plain = {
        spec.key: _value(spec)
        for spec in entity.fields
        if spec.kind not in (Kind.REFERENCE, Kind.REFERENCES)
    }
    if "name" in plain:  # a name with a direction control is refused when typed (test below)
        plain["name"] = plain["name"].filter(lambda name: not name or not name_problem(name))
    if title:
        plain[title] = st.text(
            st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=20
        )
    return st.fixed_dictionaries(plain)


def _activity() -> st.SearchStrategy[dict[str, Any]]:
    rows = {
        collection.key: st.lists(_values(collection.entity), max_size=2)
        for collection in ACTIVITY.collections
    }
    return st.tuples(_values(ACTIVITY, "name"), st.fixed_dictionaries(rows)).map(
        lambda pair: {**pair[0], **pair[1]}
    )


_REGISTERS = st.fixed_dictionaries(
    {
        "organisation": _values(ORGANISATION, "name"),
        "processors": st.lists(_values(PROCESSOR, "name"), max_size=2),
        "software": st.lists(_values(SOFTWARE, "name"), max_size=2),
        "activities": st.lists(_activity(), max_size=3),
        "links": st.lists(st.integers(0, 7), min_size=8, max_size=8),
    }
)


def _populate(register: Register, content: dict[str, Any]) -> None:
    organisation_id = services.create_organisation(register, **content["organisation"]).id
    processors = [
        services.create_processor(register, organisation_id=organisation_id, **values).id
        for values in content["processors"]
    ]
    software = []
    for index, values in enumerate(content["software"]):
        provider = processors[index % len(processors)] if processors and index % 2 else None
        software.append(
            services.create_software(
                register, organisation_id=organisation_id, processor_id=provider, **values
            ).id
        )
    activities = []
    links = content["links"]
    for index, values in enumerate(content["activities"]):
        chosen = dict(values)
        chosen["processors"] = processors[: links[index] % (len(processors) + 1)]
        chosen["software"] = software[: links[index + 3] % (len(software) + 1)]
        activities.append(chosen)
    services.bulk_create_activities(
        register, organisation_id=organisation_id, activities=activities
    )


def test_a_name_the_import_would_refuse_is_refused_when_typed(tmp_path: Path) -> None:
    """A name holding an invisible text-direction control is refused by the import (it would
    print as another name): typed in the application, it is refused too, with the reason, so
    that every register exported to JSON imports again."""
    register = _fresh(tmp_path / "Source.registre")
    try:
        org = services.create_organisation(register, name="Commune de Brest").id
        with pytest.raises(InvalidValue) as refused:
            services.create_activity(
                register,
                organisation_id=org,
                name="Cantine",
                joint_controllers=[{"name": "\u202aSyndicat"}],
            )
        assert "caractère invisible de sens d'écriture (U+202A)" in refused.value.message("fr")
        assert "invisible text-direction character (U+202A)" in refused.value.message("en")
        with pytest.raises(InvalidValue):
            services.create_organisation(register, name="Commune\u2067 de Brest")
        assert [a.name for a in services.list_activities(register, org)] == []
        services.create_activity(register, organisation_id=org, name="مطعم Cantine")  # RTL text
    finally:
        register.close()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=_REGISTERS)
def test_json_round_trip_is_lossless_for_generated_registers(content: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        source = _fresh(root / "Source.registre")
        target = _fresh(root / "Target.registre")
        try:
            _populate(source, content)
            exported = export_register(source, root / "export.json", "json")
            apply_import(target, plan_import(target, exported))
            assert _organisations(export_bytes(target, "json")) == _organisations(
                exported.read_bytes()
            )
            again = plan_import(target, exported)
            assert not again.has_changes
        finally:
            source.close()
            target.close()
