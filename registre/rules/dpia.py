"""Rules on the data protection impact assessment (Art. 35)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from registre.loader import Record
from registre.rules.base import (
    ACT,
    INFO,
    MET,
    WARNING,
    Hit,
    Rule,
    RuleSet,
    fire,
)
from registre.rules.facts import Context, Facts
from registre.schema import BOTH_ROLES

RULES = RuleSet()


def dpia_criteria(a: Record, known: Facts) -> list[str]:
    """EDPB criteria of an activity: those ticked, plus those its content shows.

    Special-category, offence or NIR data make "sensitive data"; a vulnerable category of data
    subjects (minors, social aid applicants…) makes "vulnerable subjects".
    """
    criteria = list(a["dpia_criteria"] or [])
    if "sensitive_data" not in criteria and any(
        row["category"] in known.sensitive for row in a["data_categories"]
    ):
        criteria.append("sensitive_data")
    if "vulnerable_subjects" not in criteria and any(
        row["category"] in known.vulnerable_subjects for row in a["data_subjects"]
    ):
        criteria.append("vulnerable_subjects")
    return criteria


def _dpia_details(a: Record, facts: Facts) -> tuple[bool, dict[str, Any]]:
    criteria = dpia_criteria(a, facts)
    likely = len(criteria) >= 2 or bool(a["dpia_cnil_type"])
    return likely, {"criteria": criteria, "cnil_type": a["dpia_cnil_type"]}


@RULES.check(
    Rule(
        id="dpia-likely-needed",
        reference="RGPD 35.1, 35.4",
        article="35",
        severity=WARNING,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Une analyse d'impact (AIPD) est probablement nécessaire.",
        message_en="A data protection impact assessment (DPIA) is probably required.",
        detail_fr=(
            "Critères du CEPD relevés : {criteria} ; type de la liste de la CNIL : {cnil_type}. "
            "Deux critères ou plus, ou un type de la liste de la CNIL (RGPD 35.4), rendent en "
            "principe une AIPD obligatoire ; aucune évaluation n'est enregistrée."
        ),
        detail_en=(
            "EDPB criteria met: {criteria}; type on the CNIL's list: {cnil_type}. Two criteria "
            "or more, or a type on the CNIL's list (GDPR 35.4), normally make a DPIA mandatory; "
            "no assessment is recorded."
        ),
        hint_fr=(
            "Renseignez « Analyse d'impact » : réalisée, en cours, à réaliser, ou non nécessaire "
            "avec la justification dans « Conclusion de l'analyse »."
        ),
        hint_en=(
            "Fill in “Impact assessment”: carried out, in progress, to be done, or not needed "
            "with the reasons in “Assessment conclusion”."
        ),
        field="dpia_status",
    )
)
def _dpia_likely(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if a["dpia_status"]:
        return None
    likely, details = _dpia_details(a, ctx.facts)
    return [(None, details)] if likely else MET


@RULES.check(
    Rule(
        id="dpia-not-needed-contradiction",
        reference="RGPD 35.1, 35.4",
        article="35",
        severity=WARNING,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="L'analyse d'impact est jugée inutile malgré des critères de risque.",
        message_en="The impact assessment is deemed unnecessary despite risk criteria.",
        detail_fr=(
            "Critères du CEPD relevés : {criteria} ; type de la liste de la CNIL : {cnil_type}. "
            "Un type de la liste de la CNIL rend l'AIPD obligatoire ; avec deux critères ou "
            "plus, l'écarter demande une justification écrite, absente de « Conclusion de "
            "l'analyse »."
        ),
        detail_en=(
            "EDPB criteria met: {criteria}; type on the CNIL's list: {cnil_type}. A type on the "
            "CNIL's list makes a DPIA mandatory; with two criteria or more, ruling it out needs "
            "written reasons, missing from “Assessment conclusion”."
        ),
        hint_fr=(
            "Réalisez l'AIPD, ou justifiez dans « Conclusion de l'analyse » pourquoi elle n'est "
            "pas nécessaire."
        ),
        hint_en="Carry out the DPIA, or explain in “Assessment conclusion” why it is not needed.",
        field="dpia_status",
    )
)
def _dpia_contradiction(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if a["dpia_status"] != "not_needed":
        return None
    _likely, details = _dpia_details(a, ctx.facts)
    if details["cnil_type"] or (len(details["criteria"]) >= 2 and not a["dpia_conclusion"]):
        return [(None, details)]
    return MET


@RULES.check(
    Rule(
        id="dpia-not-assessed",
        reference="RGPD 35, 5.2",
        article="35",
        severity=INFO,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Le besoin d'une analyse d'impact n'a pas été évalué.",
        message_en="The need for an impact assessment has not been assessed.",
        detail_fr=(
            "Rien n'indique un risque élevé, mais noter l'évaluation (même « non nécessaire ») "
            "montre qu'elle a été faite (RGPD 35, 5.2)."
        ),
        detail_en=(
            "Nothing points to a high risk, but recording the assessment (even “not needed”) "
            "shows it was made (GDPR 35, 5.2)."
        ),
        hint_fr="Renseignez « Analyse d'impact » et, le cas échéant, « Critères de risque ».",
        hint_en="Fill in “Impact assessment” and, where relevant, “Risk criteria”.",
        field="dpia_status",
    )
)
def _dpia_not_assessed(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if a["dpia_status"]:
        return None
    likely, _details = _dpia_details(a, ctx.facts)
    return None if likely else fire()
