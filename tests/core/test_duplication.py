"""Duplicating activities, processors and software to other organisations, undone as one step."""

from __future__ import annotations

import io
import json

import pytest

from registre import services
from registre.cli import run
from registre.duplication import duplicate_records, duplication_text
from registre.errors import InvalidValue, RecordNotFound, UsageError
from registre.interchange.json_format import export_document
from registre.storage import Register
from registre.undo import UndoStack
from tests.conftest import PASSPHRASE


@pytest.fixture
def communes(register: Register) -> dict[str, str]:
    """A source commune with a well-made activity, two destinations (one with « Berger »)."""
    ids = {
        name: services.create_organisation(register, name=name).id
        for name in ("Commune d'Arles", "Commune de Brest", "Commune de Caen")
    }
    arles, brest = ids["Commune d'Arles"], ids["Commune de Brest"]
    berger = services.create_processor(
        register, organisation_id=arles, name="Berger-Levrault", country="FR"
    ).id
    cloud = services.create_processor(
        register, organisation_id=arles, name="Hébergeur", country="FR"
    ).id
    software = services.create_software(
        register, organisation_id=arles, name="Portail Famille", processor_id=cloud
    ).id
    services.create_activity(
        register,
        organisation_id=arles,
        name="Cantine scolaire",
        reference="T-007",
        status="validated",
        main_purpose="Inscrire les enfants à la cantine",
        legal_basis="6.1.e",
        processors=[berger],
        software=[software],
        data_subjects=[{"category": "users", "details": "enfants et parents"}],
        data_categories=[{"category": "identity", "retention_value": 1, "retention_unit": "years"}],
    )
    services.create_processor(register, organisation_id=brest, name="berger-levrault")
    services.create_activity(register, organisation_id=brest, name="État civil", reference="T-012")
    return ids


def _activity(register: Register, organisation_id: str, name: str) -> dict[str, object]:
    [summary] = [a for a in services.list_activities(register, organisation_id) if a.name == name]
    return services.record_of(register, "activity", summary.id)


def _names(register: Register, entity: str, organisation_id: str) -> list[str]:
    return sorted(str(r["name"]) for r in services.list_records(register, entity, organisation_id))


def test_an_activity_is_copied_with_a_new_reference_and_its_links(
    register: Register, communes: dict[str, str]
) -> None:
    arles, brest, caen = communes.values()
    [source] = services.list_activities(register, arles)
    result = duplicate_records(
        register, entity="activity", record_ids=[source.id], to_organisations=[brest, caen]
    )
    assert [(c.organisation, c.reference) for c in result.copies] == [
        ("Commune de Brest", "T-013"),
        ("Commune de Caen", "T-001"),
    ]
    brest_copy = _activity(register, brest, "Cantine scolaire")
    assert brest_copy["status"] == "draft"
    assert brest_copy["main_purpose"] == "Inscrire les enfants à la cantine"
    assert brest_copy["data_subjects"][0]["details"] == "enfants et parents"  # type: ignore[index]
    # Brest already had the processor (same name, other case): linked, not re-created.
    assert _names(register, "processor", brest) == ["Hébergeur", "berger-levrault"]
    # Caen had nothing: processor, software and the software's own processor re-created.
    assert _names(register, "processor", caen) == ["Berger-Levrault", "Hébergeur"]
    [portal] = services.list_records(register, "software", caen)
    hebergeur = next(
        r for r in services.list_records(register, "processor", caen) if r["name"] == "Hébergeur"
    )
    assert portal["processor_id"] == hebergeur["id"]
    caen_copy = _activity(register, caen, "Cantine scolaire")
    assert caen_copy["software"] == [portal["id"]]
    # The source is untouched.
    assert _activity(register, arles, "Cantine scolaire")["status"] == "validated"
    text = duplication_text(result)
    assert "lié à l'existant : Berger-Levrault\n" in text  # Brest's own, matched by name
    assert "recréé dans l'organisme : Berger-Levrault, Hébergeur, Portail Famille" in text
    assert "2 copies dans 2 organismes." in text


def test_the_whole_duplication_is_one_undo_step(
    register: Register, communes: dict[str, str]
) -> None:
    arles, brest, caen = communes.values()
    [source] = services.list_activities(register, arles)
    before = {org: services.list_activities(register, org) for org in (brest, caen)}
    processors_before = _names(register, "processor", caen)
    stack = UndoStack(register)
    result = duplicate_records(
        register, entity="activity", record_ids=[source.id], to_organisations=[brest, caen]
    )
    stack.push_group(result.changes, label_fr="la duplication", label_en="the duplication")
    assert len(stack) == 1 and stack.undo_text() == "Annuler la duplication"
    stack.undo()
    assert {org: services.list_activities(register, org) for org in (brest, caen)} == before
    assert _names(register, "processor", caen) == processors_before
    stack.redo()
    assert _activity(register, caen, "Cantine scolaire")["reference"] == "T-001"
    assert _names(register, "processor", caen) == ["Berger-Levrault", "Hébergeur"]
    assert services.verify_audit(register).intact


def test_an_undo_refused_midway_undoes_nothing(
    register: Register, communes: dict[str, str]
) -> None:
    arles, brest, caen = communes.values()
    [source] = services.list_activities(register, arles)
    stack = UndoStack(register)
    result = duplicate_records(
        register, entity="activity", record_ids=[source.id], to_organisations=[brest, caen]
    )
    stack.push_group(result.changes, label_fr="la duplication", label_en="the duplication")
    # Someone deletes the Brest copy by hand; the group is undone newest first (Caen's copies,
    # then Brest's): the undo is refused when it reaches the Brest copy.
    services.delete_activity(register, str(_activity(register, brest, "Cantine scolaire")["id"]))
    before = export_document(register)
    trail = services.audit_entries(register, limit=1000)
    with pytest.raises(RecordNotFound):
        stack.undo()
    assert _activity(register, caen, "Cantine scolaire")["reference"] == "T-001"  # still there
    assert _names(register, "processor", caen) == ["Berger-Levrault", "Hébergeur"]
    before.pop("exported_at")
    after = export_document(register)
    after.pop("exported_at")
    assert after == before
    assert services.audit_entries(register, limit=1000) == trail
    assert stack.undo_text() == "Annuler la duplication"  # the step is still there


def test_a_processor_alone_is_copied_once_and_an_existing_one_is_kept(
    register: Register, communes: dict[str, str]
) -> None:
    arles, brest, caen = communes.values()
    berger = next(
        r
        for r in services.list_records(register, "processor", arles)
        if r["name"] == "Berger-Levrault"
    )
    result = duplicate_records(
        register, entity="processor", record_ids=[berger["id"]], to_organisations=[brest, caen]
    )
    assert [(c.organisation, c.existing) for c in result.copies] == [
        ("Commune de Brest", True),
        ("Commune de Caen", False),
    ]
    assert len(result.changes) == 1
    assert "déjà présent, non copié" in duplication_text(result)


def test_refusals_copy_nothing(register: Register, communes: dict[str, str]) -> None:
    arles, brest, caen = communes.values()
    [source] = services.list_activities(register, arles)
    with pytest.raises(UsageError):
        duplicate_records(
            register, entity="activity", record_ids=[source.id], to_organisations=[arles]
        )
    with pytest.raises(RecordNotFound):
        duplicate_records(
            register, entity="activity", record_ids=[source.id], to_organisations=["nope"]
        )
    # A copy refused in the second destination (or a disk full there): one transaction, so
    # the first destination's copies and their audit entries are never kept.
    services.update_organisation(register, caen, name="Commune de Caen (Calvados)")
    trail = services.audit_entries(register, limit=1000)
    document = export_document(register)["organisations"]
    original = services.bulk_create_activities

    def refuse_in_caen(register: Register, *, organisation_id: str, activities: object) -> object:
        if organisation_id == caen:
            raise InvalidValue(field="Nom", field_en="Name", reason="refusé", reason_en="refused")
        return original(register, organisation_id=organisation_id, activities=activities)  # type: ignore[arg-type]

    pytest.MonkeyPatch().setattr(services, "bulk_create_activities", refuse_in_caen)
    try:
        with pytest.raises(InvalidValue):
            duplicate_records(
                register, entity="activity", record_ids=[source.id], to_organisations=[brest, caen]
            )
    finally:
        pytest.MonkeyPatch().setattr(services, "bulk_create_activities", original)
    assert [a.name for a in services.list_activities(register, brest)] == ["État civil"]
    assert _names(register, "processor", caen) == []
    assert services.audit_entries(register, limit=1000) == trail  # nothing created, nothing undone
    assert export_document(register)["organisations"] == document


def test_duplicate_command(
    register: Register, communes: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    register.close()
    monkeypatch.setenv("REGISTRE_PASSPHRASE", PASSPHRASE)
    path = str(register.directory)
    out, err = io.StringIO(), io.StringIO()
    code = run(
        [
            "duplicate",
            path,
            "--activity",
            "T-007",
            "--organisation",
            "Commune d'Arles",
            "--to",
            "Commune de Brest",
            "Commune de Caen",
            "--json",
        ],
        out=out,
        err=err,
    )
    assert code == 0, err.getvalue()
    report = json.loads(out.getvalue())
    assert [c["reference"] for c in report["copies"]] == ["T-013", "T-001"]
    out, err = io.StringIO(), io.StringIO()
    code = run(
        [
            "duplicate",
            path,
            "--activity",
            "T-999",
            "--organisation",
            "Commune d'Arles",
            "--to",
            "Commune de Brest",
            "--lang",
            "en",
        ],
        out=out,
        err=err,
    )
    assert code == 2 and "does not name exactly one record" in err.getvalue()
    out, err = io.StringIO(), io.StringIO()
    code = run(
        ["duplicate", path, "--activity", "T-007", "--organisation", "Arles", "--to", "x"],
        out=out,
        err=err,
    )
    assert code == 2 and "aucun organisme « Arles »" in err.getvalue() and out.getvalue() == ""
