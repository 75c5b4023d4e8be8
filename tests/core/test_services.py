"""Service functions: validation against the schema, transactions, the audit chain."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from registre import services
from registre.errors import InvalidValue, RecordNotFound
from registre.storage import Register


@pytest.fixture
def org_id(register: Register) -> str:
    return services.create_organisation(register, name="Commune de Trébeurden").id


def _audit_count(register: Register) -> int:
    return services.verify_audit(register).entries


def test_each_mutation_leaves_exactly_one_audit_entry_and_the_chain_verifies(
    register: Register, org_id: str
) -> None:
    ids: dict[str, str] = {}

    def activity_row() -> str:
        record = services.record_of(register, "activity", ids["activity"])
        return str(record["data_categories"][0]["id"])

    steps = [
        lambda: services.update_organisation(register, org_id, dpo_name="Luc Bernard"),
        lambda: ids.setdefault(
            "processor",
            services.create_processor(register, organisation_id=org_id, name="Hébergis").id,
        ),
        lambda: ids.setdefault(
            "software",
            services.create_software(
                register, organisation_id=org_id, name="Logimairie", processor_id=ids["processor"]
            ).id,
        ),
        lambda: ids.setdefault(
            "activity",
            services.create_activity(
                register, organisation_id=org_id, name="État civil", processors=[ids["processor"]]
            ).id,
        ),
        lambda: services.update_activity(register, ids["activity"], legal_basis="6.1.c"),
        lambda: services.add_row(
            register,
            activity_id=ids["activity"],
            collection="data_categories",
            category="identity",
            retention_value=75,
            retention_unit="years",
        ),
        lambda: services.update_row(
            register,
            collection="data_categories",
            row_id=activity_row(),
            final_disposition="archives",
        ),
        lambda: services.delete_row(register, collection="data_categories", row_id=activity_row()),
        lambda: services.update_software(register, ids["software"], version="2026.1"),
        lambda: services.delete_software(register, ids["software"]),
        lambda: services.delete_activity(register, ids["activity"]),
        lambda: services.update_processor(register, ids["processor"], country="FR"),
        lambda: services.delete_processor(register, ids["processor"]),
        lambda: services.delete_organisation(register, org_id),
    ]
    for step in steps:
        before = _audit_count(register)
        step()
        assert _audit_count(register) == before + 1
    report = services.verify_audit(register)
    assert report.intact and report.entries == 1 + len(steps)


def test_audit_entry_records_who_when_what_and_old_to_new(register: Register, org_id: str) -> None:
    activity = services.create_activity(register, organisation_id=org_id, name="Cantine")
    services.update_activity(register, activity.id, service="Scolaire")
    services.update_activity(register, activity.id, service="Enfance")
    newest = services.audit_entries(register, limit=1)[0]
    assert newest["actor"] == "secretaire"
    assert newest["entity"] == "activity" and newest["entity_id"] == activity.id
    assert newest["changes"] == {"service": ["Scolaire", "Enfance"]}
    assert newest["at"].year == 2026


def test_tampering_with_an_audit_entry_breaks_the_chain(register: Register, org_id: str) -> None:
    for name in ("A", "B", "C"):
        services.create_activity(register, organisation_id=org_id, name=name)
    with register.write() as session:
        session.execute(text("UPDATE audit_entry SET actor = 'intrus' WHERE seq = 2"))
    report = services.verify_audit(register)
    assert not report.intact and report.first_broken_seq == 2


def test_update_without_change_records_nothing(register: Register, org_id: str) -> None:
    before = _audit_count(register)
    change = services.update_organisation(register, org_id, name="Commune de Trébeurden")
    assert change.fields == {} and _audit_count(register) == before


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"legal_basis": "6.1.z"}, "choix inconnu"),
        ({"status": "archived"}, "choix inconnu"),
        ({"dpia_criteria": ["evaluation_scoring", "telepathy"]}, "choix inconnu"),
        ({"has_transfers": "oui"}, "oui ou non"),
        ({"next_review_on": "31/02/2026"}, "date invalide"),
        ({"reference": "x" * 51}, "50 caractères"),
        ({"unknown_field": 1}, "champ inconnu"),
    ],
)
def test_invalid_values_are_refused_with_a_french_reason_and_nothing_is_saved(
    register: Register, org_id: str, values: dict[str, object], reason: str
) -> None:
    activity = services.create_activity(register, organisation_id=org_id, name="Cimetière")
    before = services.record_of(register, "activity", activity.id)
    with pytest.raises(InvalidValue) as caught:
        services.update_activity(register, activity.id, **values)
    assert reason in caught.value.message("fr")
    assert services.record_of(register, "activity", activity.id) == before


@pytest.mark.parametrize(
    ("siren", "valid"), [("217500016", True), ("217500017", False), ("21750001", False)]
)
def test_siren_is_checked(register: Register, org_id: str, siren: str, valid: bool) -> None:
    if valid:
        services.update_organisation(register, org_id, siren=siren)
        assert services.record_of(register, "organisation", org_id)["siren"] == siren
    else:
        with pytest.raises(InvalidValue):
            services.update_organisation(register, org_id, siren=siren)


def test_failed_bulk_creation_creates_nothing(register: Register, org_id: str) -> None:
    items = [{"name": "Urbanisme"}, {"name": "Police", "legal_basis": "nonsense"}]
    with pytest.raises(InvalidValue):
        services.bulk_create_activities(register, organisation_id=org_id, activities=items)
    assert services.list_activities(register) == []


def test_references_must_belong_to_the_same_organisation(register: Register, org_id: str) -> None:
    other = services.create_organisation(register, name="CCAS").id
    foreign = services.create_processor(register, organisation_id=other, name="Prestataire").id
    with pytest.raises(InvalidValue):
        services.create_activity(
            register, organisation_id=org_id, name="Paie", processors=[foreign]
        )


def test_unknown_record_is_a_clear_error(register: Register) -> None:
    with pytest.raises(RecordNotFound):
        services.update_activity(register, "00000000-0000-0000-0000-000000000000", name="X")


def test_activity_with_all_collections_round_trips(register: Register, org_id: str) -> None:
    processor = services.create_processor(
        register, organisation_id=org_id, name="Paie Services", has_art28_contract=True
    ).id
    change = services.create_activity(
        register,
        organisation_id=org_id,
        name="Paie des agents",
        reference="T-010",
        legal_basis="6.1.c",
        legal_basis_text="Code général de la fonction publique",
        dpia_criteria=["sensitive_data"],
        next_review_on=dt.date(2027, 1, 31),
        has_transfers=False,
        processors=[processor],
        purposes=[{"description": "Calcul des rémunérations"}],
        data_subjects=[{"category": "staff", "details": "Agents titulaires et contractuels"}],
        data_categories=[
            {
                "category": "nir",
                "retention_value": 5,
                "retention_unit": "years",
                "retention_start": "la fin de l'exercice",
                "final_disposition": "destruction",
            }
        ],
        recipients=[{"recipient_type": "internal_service", "name": "Service RH"}],
        security_measures=[{"measure_type": "user_access_control"}],
    )
    record = services.record_of(register, "activity", change.id)
    assert record["processors"] == [processor]
    assert record["data_categories"][0]["retention_value"] == 5
    assert record["next_review_on"] == dt.date(2027, 1, 31)
    assert record["created_on"] == dt.date(2026, 3, 14)
    assert [r["name"] for r in record["recipients"]] == ["Service RH"]


UNICODE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=200
).filter(lambda s: s.strip() == s and s.strip() != "")


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    description=st.sampled_from(
        [
            "Œuvres d'été — 15 €",
            "😀 fête 🎉",
            "مرحبا بالعالم",
            "שלום עולם",
            "a\u0301ccent décomposé",
        ]
    )
    | UNICODE_TEXT,
)
def test_unicode_round_trips_exactly(register: Register, description: str) -> None:
    org = services.create_organisation(register, name=description[:200]).id
    activity = services.create_activity(
        register,
        organisation_id=org,
        name="Traitement",
        description=description,
        purposes=[{"description": description}],
    )
    record = services.record_of(register, "activity", activity.id)
    assert record["description"] == description
    assert record["purposes"][0]["description"] == description
    assert services.record_of(register, "organisation", org)["name"] == description[:200].strip()


def test_the_next_reference_follows_the_organisation_numbering(register: Register) -> None:
    organisation = services.create_organisation(register, name="Commune de Lannion").id
    assert services.next_activity_reference(register, organisation) == "T-001"
    for reference in ("T-009", "T-034", "RH-7", None):
        services.create_activity(
            register, organisation_id=organisation, name="Fiche", reference=reference
        )
    assert services.next_activity_reference(register, organisation) == "T-035"
    other = services.create_organisation(register, name="CCAS").id
    assert services.next_activity_reference(register, other) == "T-001"
