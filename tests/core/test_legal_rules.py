"""Legal correctness: each rule where the law puts it, no rule the law does not make.

Every case starts from the fully filled register of ``test_checker`` (no finding at all), makes
one legally meaningful change and asserts what a DPO would read: the finding that must appear,
and for its near miss (the lawful variant) that it does not.
"""

from __future__ import annotations

import re

import pytest

from registre.checker import CheckReport, check_register
from registre.rules import RULES_BY_ID, Severity, article_title
from registre.storage import Register
from tests.core.test_checker import (
    Spec,
    _category,
    _dpia,
    _police,
    _retention,
    _transfer,
    build,
    check,
)


def _rules_on(report: CheckReport, record_id: str | None) -> set[str]:
    return {f.rule.id for f in report.findings_for(record_id or "")}


def _controller_rules(register: Register, spec: Spec) -> set[str]:
    built = build(register, spec)
    return _rules_on(check_register(register), built.controller_id)


# --------------------------------------------------------------------------------------------
# False positives removed or softened
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("safeguard", "documented"),
    [
        ("art49_1_d", False),  # important reasons of public interest
        ("art49_1_e", False),  # legal claims
        ("art49_1_f", False),  # vital interests
        ("art49_1_g", False),  # public register
        ("art49_1_compelling_interests", True),  # second subparagraph of 49(1)
    ],
)
def test_art49_documentation_only_for_compelling_legitimate_interests(
    register: Register, safeguard: str, documented: bool
) -> None:
    spec = Spec()
    _transfer(spec, country="IN", safeguard=safeguard, documentation=None)
    rules = _controller_rules(register, spec)
    assert ("transfer-art49-documentation" in rules) is documented


def test_a_transfer_to_an_international_organisation_is_recordable(register: Register) -> None:
    spec = Spec()
    _transfer(spec, country=None, international_organisation="Organisation mondiale de la santé")
    _transfer(spec, safeguard="public_authorities_instrument")
    rules = _controller_rules(register, spec)
    assert not rules & {"transfers-country-missing", "transfer-no-safeguard"}
    # near miss: no safeguard — no international organisation has an adequacy decision
    spec = Spec()
    spec.org["name"] = "Commune de Lannion"
    _transfer(spec, country=None, international_organisation="OCDE", safeguard=None)
    report = check(register, spec)
    [finding] = [f for f in report.findings if f.rule.id == "transfer-no-safeguard"]
    assert finding.severity is Severity.ERROR
    assert "« OCDE »" in finding.detail("fr")


def test_one_general_period_lawfully_covering_every_category_costs_no_score(
    register: Register,
) -> None:
    spec = Spec()
    for index in (0, 1):
        _category(spec, index, retention_value=None, retention_unit=None)
    built = build(register, spec)
    report = check_register(register)
    score = report.activity_scores[built.controller_id or ""]
    assert score.percent == 100
    found = {f.rule.id: f for f in report.findings_for(built.controller_id or "")}
    assert found["retention-only-general"].severity is Severity.INFO
    # near miss: without the general period, each category lacks its period (a warning)
    spec = Spec()
    spec.org["name"] = "Commune de Perros"
    spec.controller.pop("general_retention")
    _category(spec, retention_value=None, retention_unit=None)
    built = build(register, spec)
    report = check_register(register)
    assert "retention-missing" in _rules_on(report, built.controller_id)
    assert report.activity_scores[built.controller_id or ""].percent < 100


def test_dpia_rules_do_not_apply_to_an_activity_kept_as_processor(register: Register) -> None:
    spec = Spec()
    risky = {
        "dpia_status": None,
        "dpia_criteria": ["large_scale", "systematic_monitoring", "matching_datasets"],
        "dpia_cnil_type": "employee_monitoring",
    }
    spec.processing.update(risky)
    built = build(register, spec)
    assert not {r for r in _rules_on(check_register(register), built.processing_id) if "dpia" in r}
    # near miss: the same content kept as controller
    spec = Spec()
    spec.org["name"] = "Commune de Lannion"
    spec.controller.update(risky)
    assert "dpia-required" in _controller_rules(register, spec)


@pytest.mark.parametrize(
    ("exemption", "subjects", "problem"),
    [
        ("school_childcare", ["minors", "legal_guardians"], False),
        ("electoral_roll", ["voters"], False),
        ("hr_under_250", ["staff"], False),
    ],
)
def test_an_exempted_activity_marked_not_needed_is_correct(
    register: Register, exemption: str, subjects: list[str], problem: bool
) -> None:
    spec = Spec()
    spec.controller["data_subjects"] = [{"category": c} for c in subjects]
    _dpia(spec, dpia_status="not_needed", dpia_conclusion=None, dpia_exemption=exemption)
    rules = _controller_rules(register, spec)
    assert not {r for r in rules if r.startswith("dpia-")}, rules
    # near miss: the same record without the exemption (two criteria, no reasons)
    spec = Spec()
    spec.org["name"] = "Commune de Perros"
    spec.controller["data_subjects"] = [{"category": c} for c in subjects]
    _dpia(spec, dpia_status="not_needed", dpia_conclusion=None)
    spec.controller["dpia_criteria"] = ["matching_datasets"]
    assert "dpia-not-needed-contradiction" in _controller_rules(register, spec)


def test_the_exemption_cites_its_source_and_its_conditions(register: Register) -> None:
    spec = Spec()
    spec.org["staff_count"] = 420
    spec.controller["data_subjects"] = [{"category": "staff"}]
    _dpia(spec, dpia_status="not_needed", dpia_conclusion=None, dpia_exemption="hr_under_250")
    report = check(register, spec)
    [finding] = [f for f in report.findings if f.rule.id == "dpia-exemption-not-applicable"]
    assert "2019-118" in finding.rule.reference
    assert "420 agents" in finding.detail("fr")
    # the exemption no longer holds: two criteria (staff, health) without reasons
    assert "dpia-not-needed-contradiction" in report.rule_ids


def test_a_dpo_is_required_of_public_bodies_only(register: Register) -> None:
    spec = Spec(with_activities=False)
    spec.org.update(kind="sem")
    for key in ("dpo_name", "dpo_email", "dpo_designation_number"):
        spec.org.pop(key)
    report = check(register, spec)
    assert not report.has_errors
    assert "org-dpo-recommended" in report.rule_ids
    assert "org-dpo-name-missing" not in report.rule_ids
    # near miss: a commune without a DPO (37.1.a)
    spec = Spec(with_activities=False)
    spec.org["name"] = "Commune de Lannion"
    spec.org.pop("dpo_name")
    report = check(register, spec)
    assert "org-dpo-name-missing" in report.rule_ids
    assert RULES_BY_ID["org-dpo-name-missing"].reference.startswith("RGPD 37.1.a")


def test_public_authority_rules_spare_a_private_law_body(register: Register) -> None:
    spec = Spec()
    spec.org["kind"] = "association"
    spec.controller.update(legal_basis="6.1.f")
    _transfer(spec, country="IN", safeguard="art49_1_a")
    rules = _controller_rules(register, spec)
    assert not rules & {"legitimate-interest-public-authority", "transfer-art49-public-authority"}
    spec = Spec()
    spec.org["name"] = "Commune de Perros"
    spec.controller.update(legal_basis="6.1.f")
    _transfer(spec, country="IN", safeguard="art49_1_a")
    rules = _controller_rules(register, spec)
    assert {"legitimate-interest-public-authority", "transfer-art49-public-authority"} <= rules


# --------------------------------------------------------------------------------------------
# False negatives caught
# --------------------------------------------------------------------------------------------


def _videoprotection(spec: Spec, people: int | None) -> None:
    spec.controller["data_subjects"] = [{"category": "visitors_filmed"}]
    spec.controller["data_categories"] = [
        {**_retention("identity", "images", 30), "retention_unit": "days"}
    ]
    spec.controller.pop("art9_condition")
    _dpia(
        spec,
        dpia_status="not_needed",
        dpia_criteria=["systematic_monitoring"],
        data_subjects_count=people,
    )


def test_public_space_monitoring_on_a_large_scale_requires_a_dpia(register: Register) -> None:
    spec = Spec()
    _videoprotection(spec, people=20_000)
    report = check(register, spec)
    [finding] = [f for f in report.findings if f.rule.id == "dpia-required"]
    assert finding.severity is Severity.WARNING
    assert "art. 35.3.c" in finding.detail("fr")
    # near miss: a few people filmed (one criterion, no large scale)
    spec = Spec()
    spec.org["name"] = "Commune de Lannion"
    _videoprotection(spec, people=40)
    assert not {r for r in _controller_rules(register, spec) if r.startswith("dpia-")}


@pytest.mark.parametrize(
    ("people", "large"),
    [(9_999, False), (10_000, True)],  # the declared threshold, boundary included
)
def test_large_scale_is_inferred_from_the_number_of_people(
    register: Register, people: int, large: bool
) -> None:
    spec = Spec()  # health data: special categories
    _dpia(spec, dpia_status=None, data_subjects_count=people)
    report = check(register, spec)
    assert ("dpia-required" in report.rule_ids) is large  # 35.3.b
    if large:
        [finding] = [f for f in report.findings if f.rule.id == "dpia-required"]
        assert "art. 35.3.b" in finding.detail("fr")


@pytest.mark.parametrize(
    ("categories", "subjects", "cnil_type"),
    [
        (["biometric"], ["minors"], "biometric_vulnerable"),
        (["genetic"], ["staff"], "genetic_vulnerable"),
        (["location"], ["users"], "large_scale_location"),
    ],
)
def test_types_of_the_cnil_list_are_recognised_from_the_content(
    register: Register, categories: list[str], subjects: list[str], cnil_type: str
) -> None:
    spec = Spec()
    spec.controller["data_categories"] = [_retention(c, c, 1) for c in categories]
    spec.controller["data_subjects"] = [{"category": s} for s in subjects]
    spec.controller["art9_condition"] = "9.2.g" if categories != ["location"] else None
    criteria = ["large_scale"] if cnil_type == "large_scale_location" else []
    _dpia(spec, dpia_status=None, dpia_criteria=criteria)
    report = check(register, spec)
    [finding] = [f for f in report.findings if f.rule.id == "dpia-required"]
    assert finding.details["reasons"]["fr"].startswith("liste de la CNIL")
    # near miss: the DPIA is under way
    spec = Spec()
    spec.org["name"] = "Commune de Perros"
    spec.controller["data_categories"] = [_retention(c, c, 1) for c in categories]
    spec.controller["data_subjects"] = [{"category": s} for s in subjects]
    spec.controller["art9_condition"] = "9.2.g" if categories != ["location"] else None
    _dpia(spec, dpia_status="in_progress", dpia_criteria=criteria)
    assert not {r for r in _controller_rules(register, spec) if r.startswith("dpia-")}


def test_staff_are_vulnerable_data_subjects(register: Register) -> None:
    spec = Spec()
    spec.controller["data_subjects"] = [{"category": "staff"}]
    _dpia(spec, dpia_status=None)  # health data + staff: two criteria
    report = check(register, spec)
    [finding] = [f for f in report.findings if f.rule.id == "dpia-likely-needed"]
    assert set(finding.details["criteria"]) == {"sensitive_data", "vulnerable_subjects"}
    spec = Spec()
    spec.org["name"] = "Commune de Lannion"
    spec.controller["data_subjects"] = [{"category": "users"}]
    _dpia(spec, dpia_status=None)
    assert "dpia-likely-needed" not in _controller_rules(register, spec)


@pytest.mark.parametrize("country", ["US", "CA", "JP", "KR"])
def test_a_limited_adequacy_decision_needs_a_covered_recipient(
    register: Register, country: str
) -> None:
    spec = Spec()
    _transfer(spec, country=country, safeguard="adequacy", documentation=None)
    report = check(register, spec)
    [finding] = [f for f in report.findings if f.rule.id == "transfer-partial-adequacy"]
    assert finding.severity is Severity.ERROR
    # near misses: an Article 46 safeguard, or the recipient marked covered
    for name, change in (
        ("Commune de Lannion", {"safeguard": "scc"}),
        ("Commune de Perros", {"safeguard": "adequacy", "adequacy_covered": True}),
    ):
        spec = Spec()
        spec.org["name"] = name
        _transfer(spec, country=country, **change)
        assert "transfer-partial-adequacy" not in _controller_rules(register, spec)


def test_dpf_certification_recorded_on_the_processor_covers_its_transfer(
    register: Register,
) -> None:
    spec = Spec()
    spec.processor.update(name="LetterWave Inc.", country="US", adequacy_covered=True)
    _transfer(spec, recipient="LetterWave Inc.", country="US", safeguard="adequacy")
    assert "transfer-partial-adequacy" not in _controller_rules(register, spec)
    # near miss: the processor is not certified
    spec = Spec()
    spec.org["name"] = "Commune de Lannion"
    spec.processor.update(name="LetterWave Inc.", country="US", adequacy_covered=False)
    _transfer(spec, recipient="LetterWave Inc.", country="US", safeguard="adequacy")
    assert "transfer-partial-adequacy" in _controller_rules(register, spec)


def test_software_hosted_by_a_certified_host_covers_its_transfer(register: Register) -> None:
    spec = Spec()
    spec.software.update(name="Nuage Courriel", hosting_country="US", adequacy_covered=True)
    _transfer(spec, recipient="Nuage Courriel", country="US", safeguard=None)
    assert "transfer-partial-adequacy" not in _controller_rules(register, spec)


@pytest.mark.parametrize(
    ("value", "unit", "over"),
    [(31, "days", False), (1, "months", False), (32, "days", True), (1, "years", True)],
)
def test_videoprotection_recordings_are_kept_one_month_at_most(
    register: Register, value: int, unit: str, over: bool
) -> None:
    spec = Spec()
    _videoprotection(spec, people=None)
    _category(spec, retention_value=value, retention_unit=unit)
    report = check(register, spec)
    found = [f for f in report.findings if f.rule.id == "retention-over-maximum"]
    assert bool(found) is over
    if over:
        assert "L252-5" in found[0].detail("fr")


def test_unlimited_videoprotection_recordings_exceed_the_maximum(register: Register) -> None:
    spec = Spec()
    _videoprotection(spec, people=None)
    _category(spec, retention_value=None, retention_unit="unlimited")
    assert "retention-over-maximum" in _controller_rules(register, spec)


def test_consent_for_a_compulsory_task_comes_from_the_template_too(register: Register) -> None:
    spec = Spec()
    spec.controller.update(legal_basis="6.1.a", template_id="inscriptions-scolaires")
    spec.controller.pop("legal_basis_text")
    assert "consent-public-authority" in _controller_rules(register, spec)
    spec = Spec()  # near miss: a template that relies on consent itself
    spec.org["name"] = "Commune de Lannion"
    spec.controller.update(legal_basis="6.1.a", template_id="communication-institutionnelle")
    spec.controller.pop("legal_basis_text")
    assert "consent-public-authority" not in _controller_rules(register, spec)


def test_explicit_consent_to_special_categories_by_a_public_authority(
    register: Register,
) -> None:
    spec = Spec()
    spec.controller["art9_condition"] = "9.2.a"
    spec.controller["data_subjects"].append({"category": "staff"})  # sick leave, say
    assert "consent-public-authority" in _controller_rules(register, spec)
    spec = Spec()  # near miss: parents' explicit consent for a child's allergies
    spec.org["name"] = "Commune de Lannion"
    spec.controller["art9_condition"] = "9.2.a"
    assert "consent-public-authority" not in _controller_rules(register, spec)


def test_a_processor_without_contract_lowers_the_activity_score(register: Register) -> None:
    reference = build(register, Spec())
    full = check_register(register).activity_scores[reference.controller_id or ""]
    spec = Spec()
    spec.org["name"] = "Commune de Lannion"
    spec.companions["contract"] = []  # the processor's contract is not in the register
    built = build(register, spec)
    report = check_register(register)
    score = report.activity_scores[built.controller_id or ""]
    assert "contract-missing" in _rules_on(report, built.controller_id)
    assert full.met == full.applicable
    assert score.met == score.applicable - 1  # one requirement of the activity unmet
    assert score.percent < 100


def test_an_undated_contract_does_not_cover_the_processor_in_the_activity_score(
    register: Register,
) -> None:
    """Art. 28(3) and 28(9): the processor is bound by a written contract; without its
    signature date the register shows no signed contract (a draft, an unsigned copy)."""
    spec = Spec()
    spec.companions["contract"][0]["signed_on"] = None  # eight clauses, in force, undated
    built = build(register, spec)
    report = check_register(register)
    assert {"contract-not-sound", "contract-dates-missing"} <= {
        f.rule.id for f in report.findings
    }
    [finding] = [f for f in report.findings_for(built.controller_id or "")
                 if f.rule.id == "contract-not-sound"]
    assert "date de signature à renseigner, rien ne montre qu'il a été signé" in (
        finding.detail("fr")
    )
    assert "nothing shows it was signed" in finding.detail("en")
    assert "clauses manquantes" not in finding.detail("fr")  # the eight clauses are there
    score = report.activity_scores[built.controller_id or ""]
    assert score.met == score.applicable - 1
    # near miss: the same contract with its signature date covers the processor
    spec = Spec()
    spec.org["name"] = "Commune de Lannion"
    built = build(register, spec)
    report = check_register(register)
    assert "contract-not-sound" not in _rules_on(report, built.controller_id)
    score = report.activity_scores[built.controller_id or ""]
    assert score.met == score.applicable


def test_the_contracts_register_speaks_for_a_processor_s_contract(register: Register) -> None:
    spec = Spec()  # its contract is in the contracts register, complete and in force
    spec.processor.update(has_art28_contract=None, contract_end="2026-03-13")
    built = build(register, spec)
    report = check_register(register)
    assert _rules_on(report, built.processor_id) == set()
    # near miss: without the register's contract, the processor form's answers are all there is
    spec = Spec()
    spec.org["name"] = "Commune de Lannion"
    spec.processor.update(has_art28_contract=None, contract_end="2026-03-13")
    spec.companions["contract"] = []
    built = build(register, spec)
    report = check_register(register)
    assert _rules_on(report, built.processor_id) == {
        "processor-art28-contract",
        "processor-contract-expired",
    }


def test_the_law_enforcement_regime_forces_no_gdpr_basis(register: Register) -> None:
    spec = Spec()
    _police(spec, profiling=False)
    built = build(register, spec)
    report = check_register(register)
    assert _rules_on(report, built.controller_id) == set()
    assert report.activity_scores[built.controller_id or ""].percent == 100
    # near miss: the same record under the GDPR needs its Article 6 basis
    spec = Spec()
    spec.org["name"] = "Commune de Lannion"
    _police(spec, profiling=False)
    spec.controller["regime"] = "gdpr"
    assert "legal-basis-missing" in _controller_rules(register, spec)


def test_a_law_enforcement_record_s_gaps_cite_the_directive_s_article_24(
    register: Register,
) -> None:
    """A police-justice activity's record answers Directive 2016/680, art. 24, not Article 30
    of the GDPR: a missing item is named by its article-24 letter, in the report's own group."""
    spec = Spec()
    _police(spec, profiling=False)
    spec.controller["data_subjects"] = []
    report = check(register, spec)
    [finding] = [f for f in report.findings if f.rule.id == "activity-data-subjects-missing"]
    assert finding.article == "24.1.d"
    assert finding.detail("fr") == (
        "Le registre doit comporter une description des catégories de personnes concernées et "
        "des catégories de données à caractère personnel (Directive (UE) 2016/680, art. "
        "24.1.d) ; aucune ligne dans « Catégories de personnes »."
    )
    assert "(Directive (EU) 2016/680, Art. 24.1.d)" in finding.detail("en")
    assert article_title(finding.article) == (
        "Registre police-justice du responsable de traitement (directive 2016/680)"
    )
    # near miss: the same gap under the GDPR is Article 30.1.c
    spec = Spec()
    spec.org["name"] = "Commune de Lannion"
    spec.controller["data_subjects"] = []
    built = build(register, spec)
    [finding] = [
        f
        for f in check_register(register).findings_for(built.controller_id or "")
        if f.rule.id == "activity-data-subjects-missing"
    ]
    assert finding.article == "30.1.c" and "(RGPD 30.1.c)" in finding.detail("fr")



def test_a_law_enforcement_record_s_other_findings_cite_the_directive(register: Register) -> None:
    """Rules written by hand too: on a police-justice activity, a missing retention period, an
    unlinked processor contract, no security measures or an overdue review cite Directive
    2016/680 (art. 24.1.h, 22.3, 24.1.i, 19.1), never the GDPR, which does not govern it."""
    spec = Spec()
    _police(spec, profiling=False)
    spec.controller["data_categories"][0]["retention_value"] = None
    spec.controller.update(security_measures=[], security_overview="", general_retention="")
    spec.controller["next_review_on"] = "2026-03-13"
    spec.companions["contract"] = []
    built = build(register, spec)
    findings = check_register(register).findings_for(built.controller_id or "")
    by_rule = {f.rule.id: f for f in findings}
    assert {"retention-missing", "contract-missing", "security-missing", "review-overdue"} <= set(
        by_rule
    )
    retention = by_rule["retention-missing"]
    assert retention.article == "24.1.h"
    assert retention.rule.reference == "Directive (UE) 2016/680, art. 24.1.h"
    assert "(directive (UE) 2016/680, art. 24.1.h)" in retention.detail("fr")
    contract = by_rule["contract-missing"]
    assert contract.article == "22 (directive 2016/680)"
    assert article_title(contract.article, "en") == "Processors (Directive 2016/680)"
    assert "(Directive (EU) 2016/680, Art. 22(3))" in contract.detail("en")
    assert by_rule["security-missing"].article == "24.1.i"
    assert "Art. 19(1)" in by_rule["review-overdue"].detail("en")
    for finding in findings:
        for lang in ("fr", "en"):
            cited = f"{finding.rule.reference} {finding.detail(lang)} {finding.hint(lang)}"
            assert not re.search(r"\b(?:RGPD|GDPR) \d", cited), (finding.rule.id, cited)
    # near miss: the same activity under the GDPR cites its Article 28
    spec.org["name"] = "Commune de Lannion"
    spec.controller.update(regime="gdpr", legal_basis="6.1.e")
    built = build(register, spec)
    findings = check_register(register).findings_for(built.controller_id or "")
    [contract] = [f for f in findings if f.rule.id == "contract-missing"]
    assert contract.article == "28" and "(RGPD 28.3)" in contract.detail("fr")


def test_internet_data_is_a_category_and_other_data_must_be_described(
    register: Register,
) -> None:
    spec = Spec()
    spec.controller["data_categories"].append(_retention("internet", "cookies de mesure", 1))
    assert _controller_rules(register, spec) == set()
    spec = Spec()
    spec.org["name"] = "Commune de Lannion"
    spec.controller["data_categories"].append(_retention("other", "", 1))
    report = check(register, spec)
    [finding] = [f for f in report.findings if f.rule.id == "data-category-other-unspecified"]
    assert finding.severity is Severity.ERROR and finding.details["position"] == 3


def test_a_legal_basis_per_purpose(register: Register) -> None:
    spec = Spec()
    spec.controller.pop("legal_basis")
    spec.controller["purposes"] = [
        {"description": "Publication des informations municipales", "legal_basis": "6.1.e"},
        {"description": "Lettre d'information", "legal_basis": "6.1.a"},
    ]
    rules = _controller_rules(register, spec)
    assert not rules & {"legal-basis-missing", "purpose-legal-basis-missing"}
    assert "consent-public-authority" not in rules  # consent for the optional purpose only
