"""The template catalogue: every template is valid and clean, and template versions are tracked."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources

import pytest

from registre import services
from registre.checker import check_register
from registre.errors import InvalidValue
from registre.schema import ACTIVITY, CONTRACT_CLAUSES
from registre.storage import Register
from registre.templates import (
    SOURCE_TOPICS,
    Catalogue,
    NotFromTemplate,
    UnknownTemplate,
    apply_template_changes,
    catalogue_listing,
    catalogue_problems,
    create_from_template,
    load_catalogue,
    outdated_activities,
    parse_catalogue,
    template_differences,
    version_key,
)
from registre.vocabularies import vocabulary

CATALOGUE = load_catalogue()
TEMPLATE_IDS = [template.id for template in CATALOGUE]


@pytest.fixture
def org_id(register: Register) -> str:
    """An organisation whose own fields are all filled, as the checker expects."""
    return services.create_organisation(
        register,
        name="Commune de Saint-Modèle",
        kind="commune",
        siren="214509788",
        address="Mairie\n1 place de la République\n45999 Saint-Modèle",
        email="mairie@saint-modele.fr",
        phone="02 61 91 40 00",
        legal_representative_name="Mme Jeanne Durand",
        legal_representative_title="Maire",
        dpo_name="M. Paul Martin",
        dpo_organisation="Centre de gestion de la fonction publique territoriale",
        dpo_email="dpo@cdg-exemple.fr",
        dpo_designation_number="DPO-12345",
    ).id


# --------------------------------------------------------------------------------------------
# The catalogue as data
# --------------------------------------------------------------------------------------------


def test_catalogue_holds_at_least_40_templates_with_unique_ids() -> None:
    assert len(CATALOGUE) >= 40
    assert len(set(TEMPLATE_IDS)) == len(TEMPLATE_IDS)
    assert all(template.id == template.id.strip().lower() for template in CATALOGUE)


def test_catalogue_validates_against_the_field_schema() -> None:
    assert catalogue_problems(CATALOGUE) == []


def test_catalogue_is_read_through_importlib_resources_and_loaded_once() -> None:
    path = resources.files("registre_resources") / "templates" / "catalogue.json"
    document = json.loads(path.read_text(encoding="utf-8"))
    assert parse_catalogue(document) == CATALOGUE
    assert load_catalogue() is CATALOGUE


def test_the_checker_knows_each_templates_legal_basis_as_the_catalogue_gives_it() -> None:
    """The checker reads the bases from the catalogue's file itself (without the catalogue's
    module): the same basis for every template, so the consent rule compares with it."""
    from registre.rules.facts import facts

    bases = dict(facts().template_bases)
    assert bases == {t.id: str(t.activity.get("legal_basis") or "") for t in CATALOGUE}
    assert {"6.1.a", "6.1.c", "6.1.e"} <= set(bases.values())


def test_every_category_has_templates_and_an_english_name() -> None:
    groups = CATALOGUE.by_category()
    assert [category.name_fr for category, _ in groups] == [
        category.name_fr for category in CATALOGUE.categories
    ]
    assert all(category.name_en and items for category, items in groups)


def test_listing_gives_id_version_and_name_in_both_languages() -> None:
    french = catalogue_listing(CATALOGUE)
    english = catalogue_listing(CATALOGUE, lang="en")
    assert [row["id"] for row in french] == TEMPLATE_IDS
    assert french[0].keys() == {"id", "version", "name", "category"}
    state = next(row for row in english if row["id"] == "etat-civil")
    assert state["name"] == "Civil status registers"
    assert state["version"] == CATALOGUE.version


def test_problems_are_reported_for_keys_outside_the_schema_and_bad_values() -> None:
    template = CATALOGUE.get("etat-civil")
    broken = template.with_changes(
        version="2099.01",
        legal_basis="6.1.z",
        data_categories=[{"category": "identity", "colour": "blue"}],
    )
    problems = catalogue_problems(CATALOGUE.replacing(broken))
    assert any("etat-civil.legal_basis" in p for p in problems)
    assert any("unknown key 'colour'" in p for p in problems)
    assert any("no retention source" in p for p in problems)


def test_unknown_template_is_a_user_facing_error() -> None:
    with pytest.raises(UnknownTemplate) as raised:
        CATALOGUE.get("bibliotheque-de-babel")
    assert "registre templates" in raised.value.hint("fr")


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_template_cites_a_source_for_each_legal_statement(template_id: str) -> None:
    template = CATALOGUE.get(template_id)
    topics = {source.topic for source in template.sources}
    assert {"legal_basis", "retention"} <= topics
    assert topics <= set(SOURCE_TOPICS)
    activity = template.activity
    if activity.get("art9_condition"):
        assert "art9" in topics
    if activity.get("offence_data_authority"):
        assert "offence" in topics
    assert all(source.statement and source.reference for source in template.sources)
    assert all(
        source.url.startswith(("https://www.legifrance.gouv.fr/", "https://eur-lex.europa.eu/"))
        for source in template.sources
        if source.url
    )
    for row in activity["data_categories"]:
        assert row["retention_source"], row
        assert row["final_disposition"] in vocabulary("final_dispositions")
    # the legal basis statement names the basis it supports (or the law-enforcement regime)
    statements = [s.statement for s in template.sources_for("legal_basis")]
    if activity.get("regime") == "police_justice":
        assert "legal_basis" not in activity  # no GDPR basis under Directive 2016/680
        assert any("police-justice" in statement for statement in statements)
    else:
        assert any(activity["legal_basis"] in statement for statement in statements)
    if activity.get("dpia_exemption"):  # the CNIL's exemption list, cited
        assert any("2019-118" in s.reference for s in template.sources_for("dpia"))
    if any(row["category"] == "nir" for row in activity["data_categories"]):
        assert "2019-341" in activity["nir_authority"]


# --------------------------------------------------------------------------------------------
# One test per template: it creates a valid activity that the checker finds complete
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_template_creates_an_activity_the_checker_finds_complete(
    register: Register, org_id: str, template_id: str
) -> None:
    template = CATALOGUE.get(template_id)
    change = create_from_template(register, organisation_id=org_id, template_id=template_id)

    record = services.record_of(register, "activity", change.id)
    assert record["name"] == template.name_fr
    assert record["template_id"] == template_id
    assert record["template_version"] == template.version
    for collection in ("purposes", "data_subjects", "data_categories", "recipients"):
        assert len(record[collection]) == len(template.activity[collection])

    # filled as the template says: the processors it names are recorded, with their contract
    if any(row["recipient_type"] == "processors" for row in template.activity["recipients"]):
        name = template.usual_processors[0] if template.usual_processors else "Prestataire"
        processor = services.create_processor(
            register, organisation_id=org_id, name=name, country="FR", has_art28_contract=True
        ).id
        services.update_activity(register, change.id, processors=[processor])
        services.create_record(
            register,
            "contract",
            organisation_id=org_id,
            title=f"Contrat de sous-traitance — {name}",
            processor_id=processor,
            processing_countries=["FR"],
            subprocessing="forbidden",
            signed_on=dt.date(2025, 1, 10),  # signed: it binds the processor (Art. 28(3), 28(9))
            **dict.fromkeys(CONTRACT_CLAUSES, True),
        )

    report = check_register(register, org_id)
    findings = report.findings_for(change.id)
    # An activity needing an impact assessment waits for its record in the register of impact
    # assessments (dpia-record-missing): a template cannot carry out the assessment.
    errors = [f.rule.id for f in findings if f.severity.value == "error"]
    assert [rule for rule in errors if rule != "dpia-record-missing"] == []
    assert [f.rule.id for f in findings if f.severity.value == "warning"] == []
    assert template_differences(register, change.id) == []


def test_overrides_replace_template_values_but_not_its_identity(
    register: Register, org_id: str
) -> None:
    change = create_from_template(
        register,
        organisation_id=org_id,
        template_id="mediatheque",
        overrides={
            "name": "Médiathèque Louise-Michel",
            "service": "Culture",
            "template_id": "autre-chose",
        },
    )
    record = services.record_of(register, "activity", change.id)
    assert record["name"] == "Médiathèque Louise-Michel"
    assert record["service"] == "Culture"
    assert record["template_id"] == "mediatheque"


def test_an_invalid_override_is_refused_and_nothing_is_written(
    register: Register, org_id: str
) -> None:
    with pytest.raises(InvalidValue):
        create_from_template(
            register,
            organisation_id=org_id,
            template_id="paie",
            overrides={"legal_basis": "6.1.z"},
        )
    assert services.list_activities(register, org_id) == []


# --------------------------------------------------------------------------------------------
# Versions: an updated catalogue shows and applies its differences
# --------------------------------------------------------------------------------------------

NEW_PURPOSE = "Tenir la liste électorale de la commune dans le répertoire électoral unique."
NEW_ROWS = [
    {
        "category": "identity",
        "details": "Demandes d'inscription et pièces justificatives",
        "retention_value": 2,
        "retention_unit": "years",
        "retention_start": "la décision",
        "final_disposition": "destruction",
        "retention_source": "Durée révisée",
    },
    *CATALOGUE.get("listes-electorales").activity["data_categories"][1:],
]


def _updated_catalogue() -> Catalogue:
    template = CATALOGUE.get("listes-electorales")
    newer = template.with_changes(
        version="2027.03",
        note_fr="Finalité reformulée, durée des demandes révisée.",
        note_en="Purpose reworded, retention of applications revised.",
        main_purpose=NEW_PURPOSE,
        data_categories=NEW_ROWS,
    )
    return CATALOGUE.replacing(newer, version="2027.03")


def test_version_key_orders_versions_numerically() -> None:
    assert version_key("2026.11") < version_key("2027.03") < version_key("2027.10")
    assert version_key("2026.9") < version_key("2026.11")
    assert version_key("") < version_key("2026.11")


def test_updated_template_shows_differences_on_activities_of_the_older_version(
    register: Register, org_id: str
) -> None:
    activity_id = create_from_template(
        register, organisation_id=org_id, template_id="listes-electorales"
    ).id
    create_from_template(register, organisation_id=org_id, template_id="etat-civil")
    updated = _updated_catalogue()

    outdated = outdated_activities(register, updated)
    assert [(o.activity.id, o.template.version, o.from_version) for o in outdated] == [
        (activity_id, "2027.03", CATALOGUE.get("listes-electorales").version)
    ]
    assert outdated_activities(register) == []  # the shipped catalogue: nothing to update

    differences = {d.field_key: d for d in template_differences(register, activity_id, updated)}
    assert set(differences) == {"main_purpose", "data_categories"}
    purpose = differences["main_purpose"]
    assert purpose.template == NEW_PURPOSE
    assert purpose.current == CATALOGUE.get("listes-electorales").activity["main_purpose"]
    assert purpose.label("fr") == ACTIVITY.field("main_purpose").label_fr
    assert purpose.changed_in_template and not purpose.collection
    rows = differences["data_categories"]
    assert rows.collection and rows.changed_in_template
    assert all("id" not in row for row in rows.current)
    assert rows.template[0]["retention_value"] == 2


def test_local_edits_show_as_differences_not_changed_by_the_template(
    register: Register, org_id: str
) -> None:
    activity_id = create_from_template(
        register, organisation_id=org_id, template_id="listes-electorales"
    ).id
    services.update_activity(register, activity_id, service="Population et élections")
    differences = {
        d.field_key: d for d in template_differences(register, activity_id, _updated_catalogue())
    }
    assert differences["service"].current == "Population et élections"
    assert not differences["service"].changed_in_template


def test_applying_one_field_then_the_rest_brings_the_activity_up_to_date(
    register: Register, org_id: str
) -> None:
    activity_id = create_from_template(
        register, organisation_id=org_id, template_id="listes-electorales"
    ).id
    updated = _updated_catalogue()
    before = services.record_of(register, "activity", activity_id)
    kept_row = before["data_categories"][1]["id"]

    changes = apply_template_changes(register, activity_id, ["main_purpose"], updated)
    assert [c.fields for c in changes] == [{"main_purpose": (before["main_purpose"], NEW_PURPOSE)}]
    record = services.record_of(register, "activity", activity_id)
    assert record["main_purpose"] == NEW_PURPOSE
    shipped = CATALOGUE.get("listes-electorales").version
    assert record["template_version"] == shipped  # a difference remains
    assert [d.field_key for d in template_differences(register, activity_id, updated)] == [
        "data_categories"
    ]

    changes = apply_template_changes(register, activity_id, ["data_categories"], updated)
    assert [c.action for c in changes] == ["deleted", "created", "updated"]
    record = services.record_of(register, "activity", activity_id)
    assert record["template_version"] == "2027.03"
    assert kept_row in [row["id"] for row in record["data_categories"]]  # unchanged: kept
    assert sorted(row["retention_value"] for row in record["data_categories"]) == [2, 3]
    assert template_differences(register, activity_id, updated) == []
    assert outdated_activities(register, updated) == []
    assert services.verify_audit(register).intact


def test_applying_all_differences_at_once(register: Register, org_id: str) -> None:
    activity_id = create_from_template(
        register, organisation_id=org_id, template_id="listes-electorales"
    ).id
    updated = _updated_catalogue()
    keys = [d.field_key for d in template_differences(register, activity_id, updated)]
    apply_template_changes(register, activity_id, keys, updated)
    assert template_differences(register, activity_id, updated) == []
    assert services.record_of(register, "activity", activity_id)["template_version"] == "2027.03"


def test_dpo_can_keep_local_values_and_mark_the_activity_up_to_date(
    register: Register, org_id: str
) -> None:
    activity_id = create_from_template(
        register, organisation_id=org_id, template_id="listes-electorales"
    ).id
    updated = _updated_catalogue()
    apply_template_changes(register, activity_id, ["main_purpose"], updated, mark_up_to_date=True)
    record = services.record_of(register, "activity", activity_id)
    assert record["template_version"] == "2027.03"
    assert len(record["data_categories"]) == 2
    assert record["data_categories"][0]["retention_value"] == 3  # kept on purpose
    assert template_differences(register, activity_id, updated) == []


def test_a_field_removed_from_the_newer_template_is_proposed_for_removal(
    register: Register, org_id: str
) -> None:
    activity_id = create_from_template(
        register, organisation_id=org_id, template_id="restauration-scolaire"
    ).id
    template = CATALOGUE.get("restauration-scolaire")
    newer = template.with_changes(version="2027.03", dpia_conclusion=None)
    updated = CATALOGUE.replacing(newer)
    differences = template_differences(register, activity_id, updated)
    assert [(d.field_key, d.template) for d in differences] == [("dpia_conclusion", None)]
    apply_template_changes(register, activity_id, ["dpia_conclusion"], updated)
    record = services.record_of(register, "activity", activity_id)
    assert record["dpia_conclusion"] is None
    assert record["template_version"] == "2027.03"


def test_template_changes_need_a_template_activity_and_template_fields(
    register: Register, org_id: str
) -> None:
    plain = services.create_activity(register, organisation_id=org_id, name="Fichier maison").id
    assert template_differences(register, plain) == []
    with pytest.raises(NotFromTemplate):
        apply_template_changes(register, plain, ["main_purpose"])

    activity_id = create_from_template(
        register, organisation_id=org_id, template_id="listes-electorales"
    ).id
    with pytest.raises(ValueError, match="not a template field"):
        apply_template_changes(register, activity_id, ["name"], _updated_catalogue())
    # same version: nothing to apply
    assert apply_template_changes(register, activity_id, ["main_purpose"]) == []


def test_activities_of_a_template_no_longer_in_the_catalogue_are_left_alone(
    register: Register, org_id: str
) -> None:
    activity_id = create_from_template(register, organisation_id=org_id, template_id="affouage").id
    without = Catalogue(
        version="2027.03",
        source_note="",
        templates=tuple(t for t in CATALOGUE if t.id != "affouage"),
        categories=CATALOGUE.categories,
    )
    assert outdated_activities(register, without) == []
    assert template_differences(register, activity_id, without) == []
