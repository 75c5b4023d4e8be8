"""The Article 30 checker: every rule fires when it should and stays quiet when it should not.

Each rule has a case that makes it fire and a near-miss case that must not (the nuances of
Article 30: "le cas échéant", "dans la mesure du possible", processor mode…). Both start from a
register where everything is filled in, which produces no finding at all and scores 100 %.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from registre import services
from registre.check_report import report_json, report_text
from registre.checker import CheckReport, check_organisations, check_register
from registre.demo import create_demo_register
from registre.errors import RecordNotFound
from registre.loader import read_register
from registre.model import ROW_CLASSES
from registre.rules import NOT_DERIVED, RULES, RULES_BY_ID, Rule, Scope, Severity, format_text
from registre.rules.score import SCORED_ARTICLES
from registre.schema import (
    ACTIVITY,
    COMPANION_REGISTERS,
    ENTITIES,
    ORGANISATION,
    PROCESSOR,
    SOFTWARE,
    Requirement,
    Role,
)
from registre.storage import Context, Register
from tests.core.companion_cases import (
    COMPANION_FIRES,
    COMPANION_QUIET,
    CONTROLLER_REF,
    full_companions,
)

TODAY = dt.date(2026, 3, 14)  # the fixed clock of tests/conftest.py

# --------------------------------------------------------------------------------------------
# A fully filled register: one organisation, one processor, one software, one activity kept
# as controller and one kept as processor.
# --------------------------------------------------------------------------------------------

PROCESSOR_REF = "@processor"
SOFTWARE_REF = "@software"


def _retention(category: str, details: str, value: int) -> dict[str, Any]:
    return {
        "category": category,
        "details": details,
        "retention_value": value,
        "retention_unit": "years",
        "retention_start": "la clôture du dossier",
        "final_disposition": "destruction",
        "retention_source": "Instruction de tri DAF/DPACI/RES/2009/018",
    }


def full_organisation() -> dict[str, Any]:
    return {
        "name": "Commune de Trébeurden",
        "kind": "commune",
        "siren": "214509788",
        "address": "Place de la Mairie\n22560 Trébeurden",
        "email": "mairie@trebeurden.fr",
        "phone": "02 96 15 44 00",
        "legal_representative_name": "Mme Anne Le Goff",
        "legal_representative_title": "Maire",
        "dpo_name": "M. Luc Bernard",
        "dpo_organisation": "Centre de gestion des Côtes-d'Armor",
        "dpo_email": "dpo@cdg22.fr",
        "dpo_designation_number": "DPO-12345",
    }


def full_processor() -> dict[str, Any]:
    return {
        "name": "Hébergis",
        "country": "FR",
        "email": "contact@hebergis.fr",
        "has_art28_contract": True,
        "contract_reference": "Marché 2025-14",
        "contract_end": "2028-12-31",
    }


def full_software() -> dict[str, Any]:
    return {
        "name": "Logimairie",
        "publisher": "Hébergis",
        "hosting": "provider",
        "hosting_country": "FR",
        "processor_id": PROCESSOR_REF,
    }


def full_controller_activity() -> dict[str, Any]:
    """An activity kept as controller with every Article 30.1 item and more."""
    return {
        "name": "Restauration scolaire",
        "reference": "T-005",
        "role": "controller",
        "service": "Affaires scolaires",
        "status": "validated",
        "main_purpose": "Inscrire les enfants à la cantine et facturer les repas.",
        "legal_basis": "6.1.e",
        "legal_basis_text": "Code de l'éducation, art. L131-13",
        "art9_condition": "9.2.g",
        "data_source": "data_subject",
        "has_transfers": True,
        "general_retention": "Durée de la scolarité en élémentaire",
        "security_overview": "Accès nominatif, sauvegarde quotidienne chiffrée.",
        "dpia_status": "done",
        "dpia_date": "2025-09-01",
        "dpia_conclusion": "Risques résiduels acceptables.",
        "next_review_on": "2027-01-15",
        "processors": [PROCESSOR_REF],
        "software": [SOFTWARE_REF],
        "joint_controllers": [
            {
                "name": "Caisse des écoles de Trébeurden",
                "contact": "caisse.ecoles@trebeurden.fr",
                "responsibilities": "La caisse facture, la commune inscrit.",
            }
        ],
        "purposes": [{"description": "Facturation des repas"}],
        "data_subjects": [{"category": "legal_guardians"}, {"category": "users"}],
        "data_categories": [
            _retention("identity", "nom, prénom, classe", 1),
            _retention("health", "allergies (projet d'accueil individualisé)", 1),
        ],
        "recipients": [
            {"recipient_type": "internal_service", "name": "Service scolaire"},
            {"recipient_type": "processors", "name": "Hébergis"},
        ],
        "transfers": [
            {
                "recipient": "Sauvegarde Helvétique SA",
                "country": "CH",
                "safeguard": "adequacy",
                "documentation": "Décision 2000/518/CE ; contrat de sauvegarde, annexe 3",
            }
        ],
        "security_measures": [
            {"measure_type": "user_access_control", "details": "comptes nominatifs"},
            {"measure_type": "backup"},
        ],
    }


def full_processor_activity() -> dict[str, Any]:
    """An activity kept as processor (30.2) with every item."""
    return {
        "name": "Hébergement du site de Val-Fleuri",
        "reference": "T-035",
        "role": "processor",
        "status": "validated",
        "processing_categories": "Hébergement et maintenance du site internet.",
        "has_transfers": False,
        "dpia_status": "not_needed",
        "next_review_on": "2027-01-15",
        "controllers_served": [
            {
                "name": "Commune de Val-Fleuri",
                "contact": "mairie@val-fleuri.fr",
                "dpo_contact": "dpo@cdg22.fr",
            }
        ],
        "security_measures": [{"measure_type": "server_security"}],
    }


@dataclass
class Spec:
    """What to create: start from everything filled in, then break one thing."""

    org: dict[str, Any] = field(default_factory=full_organisation)
    processor: dict[str, Any] = field(default_factory=full_processor)
    software: dict[str, Any] = field(default_factory=full_software)
    controller: dict[str, Any] = field(default_factory=full_controller_activity)
    processing: dict[str, Any] = field(default_factory=full_processor_activity)
    companions: dict[str, list[dict[str, Any]]] = field(default_factory=full_companions)
    with_activities: bool = True


@dataclass
class Built:
    org_id: str
    processor_id: str
    software_id: str
    controller_id: str | None
    processing_id: str | None


def _resolve(values: dict[str, Any], refs: dict[str, str]) -> dict[str, Any]:
    resolved = copy.deepcopy(values)
    for key in ("processors", "software", "activities"):
        if key in resolved:
            resolved[key] = [refs.get(item, item) for item in resolved[key]]
    if resolved.get("processor_id") in refs:
        resolved["processor_id"] = refs[resolved["processor_id"]]
    return resolved


def build(register: Register, spec: Spec) -> Built:
    org_id = services.create_organisation(register, **spec.org).id
    processor_id = services.create_processor(register, organisation_id=org_id, **spec.processor).id
    refs = {PROCESSOR_REF: processor_id}
    software_id = services.create_software(
        register, organisation_id=org_id, **_resolve(spec.software, refs)
    ).id
    refs[SOFTWARE_REF] = software_id
    controller_id = processing_id = None
    if spec.with_activities:
        controller_id = services.create_activity(
            register, organisation_id=org_id, **_resolve(spec.controller, refs)
        ).id
        processing_id = services.create_activity(
            register, organisation_id=org_id, **_resolve(spec.processing, refs)
        ).id
        refs[CONTROLLER_REF] = controller_id
        for entity, records in spec.companions.items():
            for values in records:
                services.create_record(
                    register, entity, organisation_id=org_id, **_resolve(values, refs)
                )
    return Built(org_id, processor_id, software_id, controller_id, processing_id)


def check(register: Register, spec: Spec) -> CheckReport:
    build(register, spec)
    return check_register(register)


# --------------------------------------------------------------------------------------------
# One case per rule that fires, one near miss that must not
# --------------------------------------------------------------------------------------------

Mutation = Callable[[Spec], object]


def _no_activities(s: Spec) -> None:
    s.with_activities = False


def _transfer(s: Spec, **values: Any) -> None:
    row = s.controller["transfers"][0]
    for key, value in values.items():
        if value is None:
            row.pop(key, None)
        else:
            row[key] = value


def _no_transfer(s: Spec, answer: bool | None) -> None:
    s.controller["transfers"] = []
    s.controller["has_transfers"] = answer


def _category(s: Spec, index: int = 0, **values: Any) -> None:
    row = s.controller["data_categories"][index]
    for key, value in values.items():
        if value is None:
            row.pop(key, None)
        else:
            row[key] = value


def _offence_data(s: Spec, authority: str | None) -> None:
    s.controller["data_categories"].append(_retention("criminal_offences", "infractions", 1))
    if authority:
        s.controller["offence_data_authority"] = authority


def _police(s: Spec, profiling: bool | None) -> None:
    """The law-enforcement regime: no GDPR basis, the legal text kept."""
    s.controller.update(regime="police_justice", uses_profiling=profiling)
    for key in ("legal_basis", "art9_condition"):
        s.controller.pop(key, None)
    s.controller["data_categories"].pop(1)  # health data


def _dpia(s: Spec, **values: Any) -> None:
    for key, value in values.items():
        if value is None:
            s.controller.pop(key, None)
        else:
            s.controller[key] = value


FIRES: dict[str, Mutation] = {
    # organisation
    "org-address-missing": lambda s: s.org.pop("address"),
    "org-email-missing": lambda s: s.org.pop("email"),
    "org-dpo-name-missing": lambda s: s.org.pop("dpo_name"),
    "org-dpo-email-missing": lambda s: s.org.pop("dpo_email"),
    "org-legal-representative-missing": lambda s: s.org.pop("legal_representative_name"),
    "org-dpo-designation-number-missing": lambda s: s.org.pop("dpo_designation_number"),
    "org-no-activity": _no_activities,
    "org-dpo-recommended": lambda s: (
        s.org.update(kind="association"),
        s.org.pop("dpo_name"),
        s.org.pop("dpo_email"),
    ),
    # mandatory items derived from the schema
    "activity-main-purpose-missing": lambda s: s.controller.pop("main_purpose"),
    "activity-processing-categories-missing": lambda s: s.processing.pop("processing_categories"),
    "activity-controllers-served-missing": lambda s: s.processing.update(controllers_served=[]),
    "activity-data-subjects-missing": lambda s: s.controller.update(data_subjects=[]),
    "activity-data-categories-missing": lambda s: s.controller.update(data_categories=[]),
    "activity-recipients-missing": lambda s: s.controller.update(recipients=[]),
    "joint-controllers-name-missing": lambda s: s.controller["joint_controllers"][0].pop("name"),
    "joint-controllers-contact-missing": (
        lambda s: s.controller["joint_controllers"][0].pop("contact")
    ),
    "controllers-served-name-missing": lambda s: s.processing["controllers_served"][0].pop("name"),
    "controllers-served-contact-missing": (
        lambda s: s.processing["controllers_served"][0].pop("contact")
    ),
    "purposes-description-missing": lambda s: s.controller["purposes"].append({}),
    "data-subjects-category-missing": (
        lambda s: s.controller["data_subjects"].append({"details": "voisins"})
    ),
    "data-categories-category-missing": lambda s: _category(s, category=None),
    "recipients-recipient-type-missing": (
        lambda s: s.controller["recipients"][0].pop("recipient_type")
    ),
    "recipients-name-missing": lambda s: s.controller["recipients"][0].pop("name"),
    "transfers-recipient-missing": lambda s: _transfer(s, recipient=None),
    "transfers-country-missing": lambda s: _transfer(s, country=None),
    "security-measures-measure-type-missing": (
        lambda s: s.controller["security_measures"].append({"details": "armoire fermée"})
    ),
    # 30.1.e / 30.2.c transfers
    "transfers-undeclared": lambda s: _no_transfer(s, None),
    "transfers-missing": lambda s: _no_transfer(s, True),
    "transfers-contradiction": lambda s: s.controller.update(has_transfers=False),
    "transfer-no-safeguard": lambda s: _transfer(s, country="IN", safeguard=None),
    "transfer-adequacy-mismatch": lambda s: _transfer(s, country="IN", safeguard="adequacy"),
    "transfer-partial-adequacy": lambda s: _transfer(s, country="US"),
    "transfer-art49-documentation": lambda s: _transfer(
        s, country="IN", safeguard="art49_1_compelling_interests", documentation=None
    ),
    "transfer-art49-public-authority": (
        lambda s: _transfer(s, country="IN", safeguard="art49_1_a")
    ),
    "transfer-inside-eu": lambda s: _transfer(s, country="DE", safeguard=None),
    "software-outside-eu": lambda s: s.software.update(hosting_country="US"),
    "processor-outside-eu": lambda s: s.processor.update(country="US"),
    # 30.1.f retention
    "retention-missing": lambda s: (
        s.controller.pop("general_retention"),
        _category(s, retention_value=None),
    ),
    "retention-only-general": lambda s: _category(s, retention_unit=None),
    "retention-unlimited": lambda s: _category(s, retention_unit="unlimited"),
    "retention-start-missing": lambda s: _category(s, retention_start=None),
    "retention-disposition-missing": lambda s: _category(s, final_disposition=None),
    "data-categories-details-missing": lambda s: _category(s, details=None),
    "retention-over-maximum": lambda s: s.controller["data_subjects"].append(
        {"category": "visitors_filmed"}
    ),  # images kept one year, where the law says one month at most
    "data-category-other-unspecified": lambda s: s.controller["data_categories"].append(
        _retention("other", "", 1)
    ),
    # 30.1.g / 30.2.d security
    "security-missing": lambda s: (
        s.controller.pop("security_overview"),
        s.controller.update(security_measures=[]),
    ),
    # lawfulness
    "legal-basis-missing": lambda s: s.controller.pop("legal_basis"),
    "legal-basis-text-missing": lambda s: s.controller.pop("legal_basis_text"),
    "legitimate-interest-public-authority": lambda s: s.controller.update(legal_basis="6.1.f"),
    "art9-condition-missing": lambda s: s.controller.pop("art9_condition"),
    "art9-condition-unused": lambda s: s.controller["data_categories"].pop(1),
    "offence-authority-missing": lambda s: _offence_data(s, None),
    "purpose-legal-basis-missing": lambda s: (
        s.controller.pop("legal_basis"),
        s.controller["purposes"].append({"description": "Lettre d'information"}),
        s.controller["purposes"][0].update(legal_basis="6.1.e"),
    ),
    "consent-public-authority": lambda s: (
        s.controller.update(legal_basis="6.1.a"),
        s.controller["data_subjects"].append({"category": "staff"}),
    ),
    "nir-authority-missing": lambda s: s.controller["data_categories"].append(
        _retention("nir", "NIR des agents", 5)
    ),
    # the law-enforcement regime
    "police-legal-text-missing": lambda s: (
        _police(s, profiling=False),
        s.controller.pop("legal_basis_text"),
    ),
    "police-profiling-unanswered": lambda s: _police(s, profiling=None),
    "police-regime-suggested": lambda s: (
        _offence_data(s, "Code de procédure pénale, art. 21"),
        s.controller["data_subjects"].append({"category": "offenders"}),
    ),
    # DPIA: health data (inferred criterion) + matching datasets = two criteria
    "dpia-likely-needed": lambda s: _dpia(s, dpia_status=None, dpia_criteria=["matching_datasets"]),
    "dpia-not-needed-contradiction": lambda s: _dpia(
        s, dpia_status="not_needed", dpia_criteria=["matching_datasets"], dpia_conclusion=None
    ),
    "dpia-required": lambda s: _dpia(s, dpia_status="not_needed", dpia_cnil_type="social_support"),
    "dpia-exemption-not-applicable": lambda s: (
        s.org.update(staff_count=250),
        _dpia(s, dpia_exemption="hr_under_250"),
    ),
    "dpia-not-assessed": lambda s: _dpia(s, dpia_status=None),
    # follow-up
    "review-overdue": lambda s: s.controller.update(next_review_on="2026-03-13"),
    "todos-open": lambda s: s.controller.update(
        todos=[{"question": "transfers", "text": "Les données sortent-elles de l'UE ?"}]
    ),
    "validated-incomplete": lambda s: s.controller.pop("main_purpose"),
    # processor mode
    "controllers-served-dpo-missing": (
        lambda s: s.processing["controllers_served"][0].pop("dpo_contact")
    ),
    # processors and software
    "processor-art28-contract": lambda s: (  # only the processor form speaks of a contract
        s.processor.update(has_art28_contract=False),
        s.companions.update(contract=[]),
    ),
    "recipient-processor-not-recorded": lambda s: s.controller.update(processors=[]),
    "processor-contract-expired": lambda s: (
        s.processor.update(contract_end="2026-03-13"),
        s.companions.update(contract=[]),
    ),
    "software-hosting-country-missing": lambda s: s.software.pop("hosting_country"),
    "software-provider-missing": lambda s: s.software.pop("processor_id"),
}


FIRES.update(COMPANION_FIRES)


def _unchanged(_s: Spec) -> None:
    """The fully filled register itself is the near miss."""


QUIET: dict[str, Mutation] = {
    "org-address-missing": _unchanged,
    "org-email-missing": _unchanged,
    "org-dpo-name-missing": _unchanged,
    "org-dpo-email-missing": _unchanged,
    "org-legal-representative-missing": _unchanged,
    # no DPO at all: the designation number is not asked for (the DPO itself is)
    "org-dpo-designation-number-missing": lambda s: (
        s.org.pop("dpo_name"),
        s.org.pop("dpo_designation_number"),
    ),
    "org-no-activity": _unchanged,
    # a private-law body with a DPO
    "org-dpo-recommended": lambda s: s.org.update(kind="association"),
    # processor-mode items are not asked of a controller activity, and the reverse
    "activity-main-purpose-missing": lambda s: s.processing.pop("main_purpose", None),
    "activity-processing-categories-missing": _unchanged,
    "activity-controllers-served-missing": _unchanged,
    "activity-data-subjects-missing": _unchanged,
    "activity-data-categories-missing": _unchanged,
    "activity-recipients-missing": _unchanged,
    # joint controllers only "where applicable": none is fine
    "joint-controllers-name-missing": lambda s: s.controller.update(joint_controllers=[]),
    "joint-controllers-contact-missing": lambda s: s.controller.update(joint_controllers=[]),
    "controllers-served-name-missing": _unchanged,
    "controllers-served-contact-missing": _unchanged,
    "purposes-description-missing": lambda s: s.controller.update(purposes=[]),
    "data-subjects-category-missing": _unchanged,
    "data-categories-category-missing": _unchanged,
    "recipients-recipient-type-missing": _unchanged,
    "recipients-name-missing": _unchanged,
    # a transfer field left empty is not an error when the activity declares no transfer
    "transfers-recipient-missing": lambda s: _no_transfer(s, False),
    # a transfer to an international organisation has no country
    "transfers-country-missing": lambda s: _transfer(
        s, country=None, international_organisation="OCDE", safeguard="scc"
    ),
    "security-measures-measure-type-missing": lambda s: s.controller.update(security_measures=[]),
    "transfers-undeclared": lambda s: _no_transfer(s, False),
    "transfers-missing": lambda s: _no_transfer(s, None),
    "transfers-contradiction": lambda s: _no_transfer(s, False),
    # an adequacy decision makes a safeguard unnecessary
    "transfer-no-safeguard": lambda s: _transfer(s, country="JP", safeguard=None),
    "transfer-adequacy-mismatch": lambda s: _transfer(s, country="JP", safeguard="adequacy"),
    "transfer-partial-adequacy": lambda s: _transfer(s, country="US", adequacy_covered=True),
    # 49.1.d needs no documentation in the record: only the second subparagraph does (49.6)
    "transfer-art49-documentation": lambda s: _transfer(
        s, country="IN", safeguard="art49_1_d", documentation=None
    ),
    "transfer-art49-public-authority": (
        lambda s: _transfer(s, country="IN", safeguard="art49_1_d")
    ),
    "transfer-inside-eu": _unchanged,
    # Guadeloupe is inside the GDPR territory: not a transfer
    "software-outside-eu": lambda s: s.software.update(hosting_country="GP"),
    # established in the US, but the transfer to the US is declared
    "processor-outside-eu": lambda s: (
        s.processor.update(country="US"),
        _transfer(s, country="US", safeguard="scc"),
    ),
    # retention given for the whole activity: the per-category rule fires instead
    "retention-missing": lambda s: _category(s, retention_value=None),
    "retention-only-general": _unchanged,
    # public records kept permanently (état civil): no time limit is due
    "retention-unlimited": lambda s: _category(
        s, retention_unit="unlimited", final_disposition="archives"
    ),
    "retention-start-missing": lambda s: _category(s, retention_unit="unlimited"),
    "retention-disposition-missing": _unchanged,
    "data-categories-details-missing": _unchanged,
    "retention-over-maximum": lambda s: (
        s.controller["data_subjects"].append({"category": "visitors_filmed"}),
        _category(s, retention_value=31, retention_unit="days"),
        _category(s, 1, retention_value=31, retention_unit="days"),
    ),  # 31 days is one month, the maximum
    "data-category-other-unspecified": lambda s: s.controller["data_categories"].append(
        _retention("other", "numéro de badge", 1)
    ),
    # a general description is enough for 30.1.g
    "security-missing": lambda s: s.controller.update(security_measures=[]),
    "legal-basis-missing": _unchanged,
    # consent needs no legal text
    "legal-basis-text-missing": lambda s: (
        s.controller.update(legal_basis="6.1.a"),
        s.controller.pop("legal_basis_text"),
    ),
    "legitimate-interest-public-authority": _unchanged,
    "art9-condition-missing": lambda s: (
        s.controller["data_categories"].pop(1),
        s.controller.pop("art9_condition"),
    ),
    "art9-condition-unused": _unchanged,
    "offence-authority-missing": lambda s: _offence_data(s, "Code de la sécurité intérieure"),
    # the purposes without a basis of their own take the activity's
    "purpose-legal-basis-missing": lambda s: (
        s.controller["purposes"].append({"description": "Lettre d'information"}),
        s.controller["purposes"][0].update(legal_basis="6.1.e"),
    ),
    # consent of families for an optional service (no compulsory task, no staff)
    "consent-public-authority": lambda s: s.controller.update(legal_basis="6.1.a"),
    "nir-authority-missing": lambda s: (
        s.controller["data_categories"].append(_retention("nir", "NIR des agents", 5)),
        s.controller.update(nir_authority="Décret n° 2019-341, annexe, 2° (paie)"),
    ),
    "police-legal-text-missing": lambda s: _police(s, profiling=False),
    "police-profiling-unanswered": lambda s: _police(s, profiling=False),
    "police-regime-suggested": lambda s: (
        _offence_data(s, "Code de procédure pénale, art. 21"),
        s.controller["data_subjects"].append({"category": "offenders"}),
        _police(s, profiling=False),
    ),
    # one criterion only: no DPIA presumed
    "dpia-likely-needed": lambda s: _dpia(s, dpia_status=None),
    # two criteria, but the reasons for not doing a DPIA are written down
    "dpia-not-needed-contradiction": lambda s: _dpia(
        s, dpia_status="not_needed", dpia_criteria=["matching_datasets"]
    ),
    # a type of the CNIL's list, and the DPIA is planned
    "dpia-required": lambda s: _dpia(s, dpia_status="planned", dpia_cnil_type="social_support"),
    "dpia-exemption-not-applicable": lambda s: (
        s.org.update(staff_count=249),
        _dpia(s, dpia_exemption="hr_under_250"),
    ),
    "dpia-not-assessed": _unchanged,
    "review-overdue": lambda s: s.controller.update(next_review_on="2026-03-14"),
    "todos-open": lambda s: s.controller.update(  # seen by the DPO: closed
        todos=[{"text": "Les données sortent-elles de l'UE ?", "state": "closed"}]
    ),
    "validated-incomplete": lambda s: (
        s.controller.pop("main_purpose"),
        s.controller.update(status="completed"),
    ),
    "controllers-served-dpo-missing": _unchanged,
    "processor-art28-contract": _unchanged,
    "recipient-processor-not-recorded": _unchanged,
    "processor-contract-expired": lambda s: s.processor.update(contract_end="2026-03-14"),
    "software-hosting-country-missing": lambda s: (
        s.software.update(hosting="on_premises"),
        s.software.pop("hosting_country"),
    ),
    "software-provider-missing": lambda s: (
        s.software.update(hosting="on_premises"),
        s.software.pop("processor_id"),
    ),
}

QUIET.update(COMPANION_QUIET)

ENTITY_OF_SCOPE = {
    Scope.ORGANISATION: "organisation",
    Scope.ACTIVITY: "activity",
    Scope.PROCESSOR: "processor",
    Scope.SOFTWARE: "software",
    Scope.BREACH: "breach",
    Scope.RIGHTS_REQUEST: "rights_request",
    Scope.DPIA: "dpia",
    Scope.CONTRACT: "contract",
}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_rule_has_a_predicate_a_firing_case_and_a_near_miss() -> None:
    ids = [rule.id for rule in RULES]
    assert len(ids) == len(set(ids))
    assert all(rule.check is not None for rule in RULES)
    assert set(FIRES) == set(ids)
    assert set(QUIET) == set(ids)


@pytest.mark.parametrize("rule_id", list(FIRES))
def test_rule_fires(register: Register, rule_id: str) -> None:
    spec = Spec()
    FIRES[rule_id](spec)
    built = build(register, spec)
    report = check_register(register)
    found = [f for f in report.findings if f.rule.id == rule_id]
    assert found, f"{rule_id} did not fire; found {sorted(report.rule_ids)}"
    rule = RULES_BY_ID[rule_id]
    for finding in found:
        assert finding.entity == ENTITY_OF_SCOPE[rule.scope]
        assert finding.organisation_id == built.org_id
        assert finding.field == rule.field
        for lang in ("fr", "en"):
            for template in (rule.message(lang), rule.detail(lang), rule.hint(lang)):
                assert _placeholders(template) <= set(finding.details), template
            assert "{" not in finding.message(lang) + finding.detail(lang) + finding.hint(lang)
    if rule.scope is Scope.ACTIVITY:
        expected = (
            built.processing_id
            if Role.PROCESSOR in rule.roles and (Role.CONTROLLER not in rule.roles)
            else None
        )
        if expected:
            assert {f.record_id for f in found} == {expected}


@pytest.mark.parametrize("rule_id", list(QUIET))
def test_rule_does_not_fire_on_its_near_miss(register: Register, rule_id: str) -> None:
    spec = Spec()
    QUIET[rule_id](spec)
    report = check(register, spec)
    assert rule_id not in report.rule_ids, [
        f.message() for f in report.findings if f.rule.id == rule_id
    ]


# --------------------------------------------------------------------------------------------
# The fully filled register, the nuances and the scores
# --------------------------------------------------------------------------------------------


def test_fully_filled_activities_produce_no_finding_and_score_100(register: Register) -> None:
    built = build(register, Spec())
    report = check_register(register)
    assert report.findings == []
    assert not report.has_errors
    assert report.counts == {"error": 0, "warning": 0, "info": 0}
    for activity_id in (built.controller_id, built.processing_id):
        assert activity_id is not None
        score = report.activity_scores[activity_id]
        assert score.met == score.applicable > 10
        assert score.score == 1.0 and score.percent == 100
    org_score = report.organisation_scores[built.org_id]
    assert org_score.score == 1.0 and org_score.percent == 100
    assert org_score.met == org_score.applicable == 4


def test_an_activity_without_transfers_is_complete_without_transfer_rows(
    register: Register,
) -> None:
    spec = Spec()
    _no_transfer(spec, False)
    built = build(register, spec)
    report = check_register(register)
    assert report.findings == []
    assert built.controller_id is not None
    assert report.activity_scores[built.controller_id].percent == 100


def test_unanswered_transfers_and_missing_retention_are_warnings_not_errors(
    register: Register,
) -> None:
    spec = Spec()
    _no_transfer(spec, None)
    spec.controller.pop("general_retention")
    _category(spec, retention_value=None, retention_unit=None)
    spec.controller.pop("security_overview")
    spec.controller["security_measures"] = []
    report = check(register, spec)
    assert {"transfers-undeclared", "retention-missing", "security-missing"} <= report.rule_ids
    assert not report.has_errors
    assert report.counts["error"] == 0


def test_announced_but_undescribed_transfers_are_an_error(register: Register) -> None:
    spec = Spec()
    _no_transfer(spec, True)
    report = check(register, spec)
    assert report.has_errors
    [finding] = [f for f in report.findings if f.severity is Severity.ERROR]
    assert finding.rule.id == "transfers-missing"
    assert finding.article == "30.1.e"


def test_processor_activity_findings_are_grouped_under_article_30_2(register: Register) -> None:
    spec = Spec()
    spec.processing["has_transfers"] = True
    spec.processing["security_measures"] = []
    built = build(register, spec)
    report = check_register(register)
    articles = {f.rule.id: f.article for f in report.findings_for(built.processing_id or "")}
    assert articles["transfers-missing"] == "30.2.c"
    assert articles["security-missing"] == "30.2.d"
    assert articles["validated-incomplete"] == "30"  # validated, yet an item is missing


def test_a_software_hosted_outside_the_eu_is_fine_when_the_transfer_is_declared(
    register: Register,
) -> None:
    spec = Spec()
    spec.software["hosting_country"] = "US"
    _transfer(spec, country="US", safeguard="scc")
    report = check(register, spec)
    assert "software-outside-eu" not in report.rule_ids


def test_dpia_criteria_are_inferred_from_the_content(register: Register) -> None:
    spec = Spec()
    _dpia(spec, dpia_status=None)
    spec.controller["data_subjects"].append({"category": "minors"})  # vulnerable + health
    report = check(register, spec)
    [finding] = [f for f in report.findings if f.rule.id == "dpia-likely-needed"]
    assert set(finding.details["criteria"]) == {"sensitive_data", "vulnerable_subjects"}
    assert "Personnes vulnérables" in finding.detail("fr")


def test_score_counts_applicable_requirements_not_fields(register: Register) -> None:
    full = check(register, Spec())
    assert full.activity_scores
    by_name = {s.name: s for s in full.activity_scores.values()}
    reference = by_name["Restauration scolaire"]

    spec = Spec()
    spec.org["name"] = "Commune de Lannion"
    spec.controller.pop("main_purpose")  # one requirement unmet
    spec.controller.pop("legal_basis")  # not an Article 30 item: no effect on the score
    spec.controller["data_categories"].append(_retention("location", "adresse", 2))  # more rows
    built = build(register, spec)
    report = check_register(register)
    assert built.controller_id is not None
    score = report.activity_scores[built.controller_id]
    assert score.applicable == reference.applicable
    assert score.met == reference.met - 1
    assert 0 < score.score < 1

    # "transfers described" applies only when transfers are announced
    spec = Spec()
    spec.org["name"] = "Commune de Perros"
    _no_transfer(spec, False)
    built = build(register, spec)
    report = check_register(register)
    assert built.controller_id is not None
    assert report.activity_scores[built.controller_id].applicable < reference.applicable


def test_organisation_score_is_the_mean_of_its_activities(register: Register) -> None:
    spec = Spec()
    spec.controller.pop("main_purpose")
    spec.org.pop("dpo_email")
    built = build(register, spec)
    report = check_register(register)
    assert built.controller_id and built.processing_id
    controller = report.activity_scores[built.controller_id]
    processing = report.activity_scores[built.processing_id]
    # the organisation's missing DPO email counts in every activity's record
    assert processing.met == processing.applicable - 1
    assert controller.met == controller.applicable - 2
    org_score = report.organisation_scores[built.org_id]
    assert org_score.score == pytest.approx((controller.score + processing.score) / 2)
    assert (org_score.met, org_score.applicable, org_score.activities) == (3, 4, 2)


def test_organisation_without_activities_scores_its_own_requirements(register: Register) -> None:
    spec = Spec(with_activities=False)
    spec.org.pop("dpo_name")
    spec.org.pop("dpo_email")
    built = build(register, spec)
    report = check_register(register)
    assert report.organisation_scores[built.org_id].score == 0.5
    assert report.organisation_scores[built.org_id].percent == 50


def test_percent_is_rounded_down_so_100_means_everything_is_met(register: Register) -> None:
    spec = Spec()
    spec.controller.pop("main_purpose")
    built = build(register, spec)
    score = check_register(register).activity_scores[built.controller_id or ""]
    assert score.score > 0.95
    assert score.percent < 100


# --------------------------------------------------------------------------------------------
# Checking a register: organisations, dates, errors
# --------------------------------------------------------------------------------------------


def test_check_one_organisation_and_refuse_an_unknown_one(register: Register) -> None:
    first = build(register, Spec())
    spec = Spec()
    spec.org["name"] = "CCAS de Trébeurden"
    spec.org.pop("address")
    second = build(register, spec)
    assert check_register(register).has_errors
    report = check_register(register, organisation_id=first.org_id)
    assert list(report.organisation_scores) == [first.org_id]
    assert len(report.activity_scores) == 2
    assert not report.has_errors
    report = check_register(register, organisation_id=second.org_id)
    assert {f.organisation_id for f in report.findings} == {second.org_id}
    with pytest.raises(RecordNotFound):
        check_register(register, organisation_id="no-such-organisation")


def test_today_defaults_to_the_register_clock_and_can_be_given(register: Register) -> None:
    spec = Spec()
    spec.controller["next_review_on"] = "2026-04-01"
    build(register, spec)
    assert "review-overdue" not in check_register(register).rule_ids  # clock: 2026-03-14
    later = check_register(register, today=dt.date(2026, 4, 2))
    assert "review-overdue" in later.rule_ids
    assert later.checked_on == dt.date(2026, 4, 2)


def test_row_findings_point_at_the_row_to_open(register: Register) -> None:
    spec = Spec()
    _category(spec, 1, retention_unit="unlimited")
    built = build(register, spec)
    report = check_register(register)
    [finding] = report.findings
    record = services.record_of(register, "activity", built.controller_id or "")
    assert finding.row_id == record["data_categories"][1]["id"]
    assert finding.field == "data_categories.retention_unit"
    assert finding.details["position"] == 2
    assert finding.message("fr") == "Conservation sans limite pour « Données concernant la santé »."
    assert finding.message("en") == "Unlimited retention for “Data concerning health”."


# --------------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------------


def test_text_report_groups_by_organisation_activity_and_article(register: Register) -> None:
    spec = Spec()
    spec.controller.pop("main_purpose")
    _category(spec, retention_unit="unlimited")
    spec.org.pop("dpo_email")
    spec.processor["has_art28_contract"] = None
    spec.companions["contract"] = []  # the processor form alone speaks of its contract
    report = check(register, spec)
    text = report_text(report)
    assert text.startswith("Contrôle du registre au 14/03/2026\n3 erreurs, 3 avertissements")
    org = text.index("Commune de Trébeurden\n")
    org_block = text.index("Organisme « Commune de Trébeurden »")
    activity = text.index("Traitement T-005 « Restauration scolaire » (responsable de traitement)")
    article_b = text.index("  Art. 30.1.b — Finalités")
    article_f = text.index("  Art. 30.1.f — Durées de conservation")
    processor = text.index("Sous-traitant « Hébergis »")
    assert org < org_block < activity < article_b < article_f < processor
    assert "[erreur] À compléter : « Finalité principale »." in text
    assert "Pour le DPO (RGPD 30.1.b ; règle activity-main-purpose-missing)" in text
    assert "« Contrat conforme à l'article 28 » : sans réponse." in text
    assert "T-035" not in text  # activities without findings are only counted
    assert "dont 1 sans remarque" in text

    english = report_text(report, lang="en")
    assert english.startswith("Register check as of 2026-03-14\n3 errors, 3 warnings")
    assert "[error] Missing: “Main purpose”." in english
    assert "For the DPO (GDPR 30.1.b; rule activity-main-purpose-missing)" in english
    assert "Activity T-005 “Restauration scolaire” (controller)" in english


def test_text_report_of_a_complete_register(register: Register) -> None:
    report = check(register, Spec())
    text = report_text(report)
    assert "0 erreur, 0 avertissement, 0 conseil" in text
    # The figure the application and the PDF call « Complétude (article 30) », named alike.
    assert "Complétude (article 30) : 100 % (2 traitements, dont 2 sans remarque)" in text
    assert "onformité" not in text
    assert "Aucune remarque." in text


def test_json_report_has_stable_keys_and_both_languages(register: Register) -> None:
    spec = Spec()
    _transfer(spec, country="IN", safeguard="art49_1_compelling_interests", documentation=None)
    built = build(register, spec)
    document = report_json(check_register(register))
    assert json.loads(json.dumps(document, ensure_ascii=False)) == document
    assert set(document) == {
        "format",
        "version",
        "checked_on",
        "has_errors",
        "counts",
        "organisations",
        "findings",
    }
    assert document["has_errors"] is True
    assert document["checked_on"] == "2026-03-14"
    [org] = document["organisations"]
    assert org["id"] == built.org_id and org["percent"] < 100
    assert {a["id"] for a in org["activities"]} == {built.controller_id, built.processing_id}
    by_rule = {f["rule"]: f for f in document["findings"]}
    assert set(by_rule) == {
        "transfer-art49-documentation",
        "transfer-art49-public-authority",
        "validated-incomplete",
    }
    finding = by_rule["transfer-art49-documentation"]
    assert set(finding) == {
        "rule",
        "reference",
        "reference_en",
        "article",
        "severity",
        "scope",
        "organisation_id",
        "entity",
        "record_id",
        "record_name",
        "row_id",
        "field",
        "counts_for_score",
        "message",
        "detail",
        "hint",
        "details",
    }
    assert finding["severity"] == "error"
    assert finding["record_id"] == built.controller_id
    assert finding["field"] == "transfers.documentation"
    assert finding["details"]["country"] == "IN"
    assert "Inde" in finding["message"]["fr"] and "India" in finding["message"]["en"]
    assert (
        "Dérogation : intérêts légitimes impérieux (art. 49.1 al. 2)"
        in (by_rule["transfer-art49-public-authority"]["detail"]["fr"])
    )


def test_format_text_fills_labels_dates_and_unknowns() -> None:
    details = {"country": "US", "date": "2026-03-13", "recipient": None, "criteria": []}
    template = "{country} {date} {recipient} {criteria} {missing}"
    assert format_text(template, details) == "États-Unis 13/03/2026 non précisé aucun ?"
    assert format_text(template, details, "en") == "United States 2026-03-13 not given none ?"


# --------------------------------------------------------------------------------------------
# The rules as data
# --------------------------------------------------------------------------------------------


def _field_exists(rule: Rule) -> bool:
    entity = {
        Scope.ORGANISATION: ORGANISATION,
        Scope.ACTIVITY: ACTIVITY,
        Scope.PROCESSOR: PROCESSOR,
        Scope.SOFTWARE: SOFTWARE,
        **{Scope(name): ENTITIES[name] for name in COMPANION_REGISTERS},
    }[rule.scope]
    if rule.field == "activities" and rule.scope is Scope.ORGANISATION:
        return True
    if "." in rule.field:
        collection, key = rule.field.split(".", 1)
        return key in ACTIVITY.collection(collection).entity.keys
    return rule.field in entity.keys or rule.field in ROW_CLASSES


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rules_are_fully_declared(rule: Rule) -> None:
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.id)
    assert rule.reference.startswith(("RGPD ", "Directive "))
    assert rule.article and rule.roles
    for text in (rule.message_fr, rule.message_en, rule.detail_fr, rule.detail_en):
        assert text and text.strip() == text
    assert rule.hint_fr and rule.hint_en
    assert _field_exists(rule), rule.field
    for fr, en in (
        (rule.message_fr, rule.message_en),
        (rule.detail_fr, rule.detail_en),
        (rule.hint_fr, rule.hint_en),
    ):
        assert _placeholders(fr) == _placeholders(en)
    if rule.id.startswith(COMPANION_PREFIXES):
        return  # errors of the companion registers are obligations of other articles
    if rule.severity is Severity.ERROR:
        # a missing item of the record, or a transfer without legal ground: an error lowers the
        # score (so that « 100 % » never sits beside an error)
        assert rule.counts_for_score, rule.id
    if rule.counts_for_score:
        # Article 30 (or Art. 24 of the law-enforcement directive), Art. 28 contracts, and the
        # legal ground of transfers (Art. 44 to 46)
        assert rule.article.startswith(SCORED_ARTICLES), rule.id


COMPANION_PREFIXES = ("breach-", "request-", "dpia-record-", "contract-")


def test_every_mandatory_item_of_the_schema_has_its_derived_rule() -> None:
    derived = {
        (r.scope, r.field)
        for r in RULES
        if r.derived and r.scope in (Scope.ORGANISATION, Scope.ACTIVITY)
    }
    expected = set()
    for entity, scope in ((ORGANISATION, Scope.ORGANISATION), (ACTIVITY, Scope.ACTIVITY)):
        for spec in entity.fields:
            mandatory = spec.requirement is Requirement.MANDATORY
            if mandatory and f"{entity.name}.{spec.key}" not in NOT_DERIVED:
                expected.add((scope, spec.key))
    for collection in ACTIVITY.collections:
        if collection.requirement is Requirement.MANDATORY:
            expected.add((Scope.ACTIVITY, collection.key))
        for spec in collection.entity.fields:
            if spec.requirement is Requirement.MANDATORY:
                expected.add((Scope.ACTIVITY, f"{collection.key}.{spec.key}"))
    assert derived == expected
    # a derived rule speaks the schema's words
    rule = RULES_BY_ID["activity-main-purpose-missing"]
    assert ACTIVITY.field("main_purpose").label_fr in rule.message_fr


def test_article_30_items_are_all_covered() -> None:
    counted = {r.article for r in RULES if r.counts_for_score}
    counted |= {r.article_processor for r in RULES if r.counts_for_score and r.article_processor}
    for item in [f"30.1.{letter}" for letter in "abcdefg"] + [
        f"30.2.{letter}" for letter in "abcd"
    ]:
        assert item in counted, item


# --------------------------------------------------------------------------------------------
# The demo register
# --------------------------------------------------------------------------------------------


def test_demo_register_exercises_at_least_ten_rules(tmp_path: Path, context: Context) -> None:
    register, _ = create_demo_register(tmp_path / "Demo.registre", context=context)
    try:
        report = check_register(register)
    finally:
        register.close()
    assert len(report.rule_ids) >= 10, sorted(report.rule_ids)
    assert report.has_errors
    assert {s.value for s in Severity} <= {f.severity.value for f in report.findings}
    # most activities of the demo are complete; a few are deliberately not
    complete = [s for s in report.activity_scores.values() if s.percent == 100]
    assert len(complete) > len(report.activity_scores) / 2
    assert any(s.percent < 100 for s in report.activity_scores.values())
    text = report_text(report)
    assert "Commune de Saint-Exemple-sur-Loire" in text


def test_a_rule_skipped_for_an_empty_key_would_not_have_applied(register: Register) -> None:
    """The checker skips a rule whose ``needs`` key is empty: its predicate agrees."""
    from registre.loader import read_register
    from registre.rules.facts import Context, facts

    build(register, Spec())
    [organisation] = read_register(register)
    ctx = Context(today=TODAY, facts=facts())
    ctx.enter_organisation(organisation)
    gated = [rule for rule in RULES if rule.needs and rule.scope is not Scope.ORGANISATION]
    assert len(gated) > 30
    records = [*organisation["activities"], *organisation["processors"]]
    for rule in gated:
        for record in records:
            if rule.needs not in record:
                continue
            empty = {**record, rule.needs: [] if isinstance(record[rule.needs], list) else None}
            ctx.enter_activity()
            assert rule.check is not None
            hits = rule.check(empty, ctx)
            assert hits is None or (not rule.counts_for_score and not hits), rule.id


def test_a_check_without_information_rules_counts_the_same(
    tmp_path: Path, context: Context
) -> None:
    """The overview skips the rules that only inform: same errors, warnings and scores."""
    register, _ = create_demo_register(tmp_path / "Demo.registre", context=context)
    try:
        organisations = read_register(register)
    finally:
        register.close()
    today = dt.date(2026, 3, 14)
    full = check_organisations(organisations, today)
    counting = check_organisations(organisations, today, information=False)
    assert full.counts["info"] > 0 and counting.counts["info"] == 0
    assert [f for f in full.findings if f.severity is not Severity.INFO] == counting.findings
    assert counting.activity_scores == full.activity_scores
    assert counting.organisation_scores == full.organisation_scores
