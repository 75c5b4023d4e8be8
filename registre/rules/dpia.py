"""Rules on the data protection impact assessment (Art. 35), for activities kept as controller.

A DPIA is the controller's duty (35.1); a processor only assists it (28.3.f), so none of these
rules looks at an activity kept as processor. What the record shows is read once per activity
(``dpia_view``): the EDPB criteria ticked or shown by the content, the Art. 35(3) cases and the
types of the CNIL's list (délibération n° 2018-327) it matches, and whether the exemption it
cites (CNIL list of délibération n° 2019-118) holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from registre.loader import Record
from registre.rules.base import ACT, INFO, MET, WARNING, Hit, Rule, RuleSet, fire
from registre.rules.facts import Context, Facts
from registre.schema import CONTROLLER_ONLY
from registre.vocabularies import vocabulary

RULES = RuleSet()

NEEDS_ANSWER = (None, "not_needed")  # statuses under which a needed DPIA is missing


class DpiaView(NamedTuple):
    """What an activity's record says about the need for a DPIA (a named tuple: one per
    activity checked)."""

    criteria: tuple[str, ...]  # EDPB criteria ticked or shown by the content
    cases: tuple[str, ...]  # Art. 35(3) cases the content shows
    cnil_types: tuple[str, ...]  # types of the CNIL's list, chosen or shown by the content
    exemption_problem: dict[str, str] | None  # why the exemption cited does not hold

    @property
    def mandatory(self) -> bool:
        """A DPIA is required whatever the criteria count (35.3 or the CNIL's list)."""
        return bool(self.cases or self.cnil_types)

    @property
    def likely(self) -> bool:
        """Two EDPB criteria or more: a DPIA is presumed necessary."""
        return len(self.criteria) >= 2


def dpia_criteria(
    a: Record,
    known: Facts,
    subjects: frozenset[str] | None = None,
    categories: frozenset[str] | None = None,
) -> list[str]:
    """EDPB criteria of an activity: those ticked, plus those its content shows.

    Special-category, offence or NIR data make "sensitive data"; a vulnerable category of data
    subjects (minors, social aid applicants, staff towards their employer…) makes "vulnerable
    subjects"; a number of data subjects at or above the declared threshold makes "large
    scale". ``subjects`` and ``categories`` are the categories of the activity's rows, when the
    caller has them already.
    """
    if subjects is None:
        subjects = frozenset([row["category"] for row in a["data_subjects"]])
    if categories is None:
        categories = frozenset([row["category"] for row in a["data_categories"]])
    criteria = list(a["dpia_criteria"] or [])
    if "sensitive_data" not in criteria and not known.sensitive.isdisjoint(categories):
        criteria.append("sensitive_data")
    if "vulnerable_subjects" not in criteria and not known.vulnerable_subjects.isdisjoint(subjects):
        criteria.append("vulnerable_subjects")
    count = a["data_subjects_count"]
    if "large_scale" not in criteria and count is not None and count >= known.large_scale_threshold:
        criteria.append("large_scale")
    return criteria


def _exemption_problem(a: Record, ctx: Context, criteria: Sequence[str]) -> dict[str, str] | None:
    terms = ctx.facts.exemptions.get(a["dpia_exemption"] or "")
    if terms is None:
        return None
    staff = ctx.organisation.get("staff_count")
    if "max_staff" in terms and staff is not None and staff > terms["max_staff"]:
        return {
            "fr": f"l'organisme compte {staff} agents, 250 ou plus",
            "en": f"the organisation has {staff} staff, 250 or more",
        }
    if any(c in criteria for c in terms.get("not_with_criteria", ())):
        return {
            "fr": "la fiche indique une évaluation ou une décision automatisée (profilage)",
            "en": "the record shows an evaluation or an automated decision (profiling)",
        }
    categories = {row["category"] for row in a["data_categories"]}
    sensitive = ctx.facts.art9 | ctx.facts.art10
    if terms.get("not_with_sensitive_data") and categories & sensitive:
        return {
            "fr": "la fiche déclare des données sensibles",
            "en": "the record declares special-category data",
        }
    excluded = categories & set(terms.get("not_with_categories", ()))
    if excluded:
        return {
            "fr": "la fiche déclare des données biométriques",
            "en": "the record declares biometric data",
        }
    return None


_Profile = tuple[frozenset[str], frozenset[str], frozenset[str], str | None]
_MATCHES: dict[_Profile, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _matches(known: Facts, profile: _Profile) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The Art. 35(3) cases and CNIL types a content profile matches (remembered: registers
    repeat the same few profiles)."""
    found = _MATCHES.get(profile)
    if found is None:
        criteria, subjects, categories, kind = profile
        cases = tuple(
            key
            for key, condition in known.mandatory_cases
            if condition.holds(criteria, subjects, categories, kind)
        )
        types = tuple(
            key
            for key, condition in known.cnil_types
            if condition.holds(criteria, subjects, categories, kind)
        )
        if len(_MATCHES) > 4096:
            _MATCHES.clear()
        found = _MATCHES[profile] = (cases, types)
    return found


def dpia_view(a: Record, ctx: Context) -> DpiaView:
    """What ``a`` says about the need for a DPIA (computed once per activity)."""
    view: DpiaView | None = ctx.memo.get("dpia")
    if view is not None:
        return view
    known = ctx.facts
    subjects = frozenset([row["category"] for row in a["data_subjects"]])
    categories = frozenset([row["category"] for row in a["data_categories"]])
    criteria = dpia_criteria(a, known, subjects, categories)
    profile = (frozenset(criteria), subjects, categories, ctx.organisation.get("kind"))
    cases, inferred = _matches(known, profile)
    chosen = a["dpia_cnil_type"]
    types = (chosen, *(t for t in inferred if t != chosen)) if chosen else inferred
    problem = _exemption_problem(a, ctx, criteria) if a["dpia_exemption"] else None
    view = DpiaView(tuple(criteria), cases, types, problem)
    ctx.memo["dpia"] = view
    return view


def _exempted(a: Record, view: DpiaView) -> bool:
    """The record cites an exemption of the CNIL's list, and nothing shows it does not hold."""
    return bool(a["dpia_exemption"]) and view.exemption_problem is None


def _reasons(view: DpiaView) -> dict[str, str]:
    cases = vocabulary("dpia_mandatory_cases")
    types = vocabulary("dpia_cnil_types")
    texts: dict[str, list[str]] = {"fr": [], "en": []}
    for key in view.cases:
        texts["fr"].append(f"art. {key} : {cases.label(key, 'fr').lower()}")
        texts["en"].append(f"Art. {key}: {cases.label(key, 'en').lower()}")
    for key in view.cnil_types:
        texts["fr"].append(f"liste de la CNIL : {types.label(key, 'fr').lower()}")
        texts["en"].append(f"CNIL list: {types.label(key, 'en').lower()}")
    return {"fr": " ; ".join(texts["fr"]), "en": "; ".join(texts["en"])}


@RULES.check(
    Rule(
        id="dpia-required",
        reference="RGPD 35.1, 35.3, 35.4 ; CNIL, délibération n° 2018-327",
        article="35",
        severity=WARNING,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Une analyse d'impact (AIPD) est obligatoire pour ce traitement.",
        message_en="A data protection impact assessment (DPIA) is mandatory for this activity.",
        detail_fr=(
            "La fiche relève d'un cas où l'AIPD est obligatoire ({reasons}) : article 35.3 du "
            "RGPD, ou liste des traitements pour lesquels la CNIL l'exige (délibération "
            "n° 2018-327, art. 35.4) ; « Analyse d'impact » dit qu'elle n'est pas nécessaire "
            "ou ne dit rien. Une exemption de la liste de la CNIL (délibération n° 2019-118) "
            "n'est retenue que justifiée dans « Conclusion de l'analyse »."
        ),
        detail_en=(
            "The record falls under a case where a DPIA is mandatory ({reasons}): GDPR "
            "Article 35(3), or the CNIL's list of processing requiring one (deliberation "
            "2018-327, Art. 35(4)); “Impact assessment” says it is not needed or says nothing. "
            "An exemption of the CNIL's list (deliberation 2019-118) is accepted only with its "
            "reasons in “Assessment conclusion”."
        ),
        hint_fr=(
            "Réalisez l'AIPD avant la mise en œuvre (ou dès que possible) et choisissez « À "
            "réaliser », « En cours » ou « Réalisée »."
        ),
        hint_en=(
            "Carry out the DPIA before the processing starts (or as soon as possible) and "
            "choose “To be carried out”, “In progress” or “Carried out”."
        ),
        field="dpia_status",
    )
)
def _dpia_required(a: Record, ctx: Context) -> Sequence[Hit] | None:
    status = a["dpia_status"]
    if status not in NEEDS_ANSWER:
        return None
    view = dpia_view(a, ctx)
    if not view.mandatory:
        return MET
    if status == "not_needed" and _exempted(a, view) and a["dpia_conclusion"]:
        return MET
    return fire(reasons=_reasons(view))


@RULES.check(
    Rule(
        id="dpia-likely-needed",
        reference="RGPD 35.1 ; CEPD, lignes directrices WP248 rév.01",
        article="35",
        severity=WARNING,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Une analyse d'impact (AIPD) est probablement nécessaire.",
        message_en="A data protection impact assessment (DPIA) is probably required.",
        detail_fr=(
            "Critères du CEPD relevés : {criteria}. Deux critères ou plus rendent en principe "
            "une AIPD nécessaire (lignes directrices WP248 rév.01) ; aucune évaluation n'est "
            "enregistrée."
        ),
        detail_en=(
            "EDPB criteria met: {criteria}. Two criteria or more normally make a DPIA necessary "
            "(WP248 rev.01 guidelines); no assessment is recorded."
        ),
        hint_fr=(
            "Renseignez « Analyse d'impact » : réalisée, en cours, à réaliser, ou non nécessaire "
            "avec la justification dans « Conclusion de l'analyse » (ou l'exemption de la liste "
            "de la CNIL qui s'applique)."
        ),
        hint_en=(
            "Fill in “Impact assessment”: carried out, in progress, to be done, or not needed "
            "with the reasons in “Assessment conclusion” (or the CNIL exemption that applies)."
        ),
        field="dpia_status",
    )
)
def _dpia_likely(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if a["dpia_status"]:
        return None
    view = dpia_view(a, ctx)
    if view.mandatory or not view.likely or _exempted(a, view):
        return MET
    return fire(criteria=list(view.criteria))


@RULES.check(
    Rule(
        id="dpia-not-needed-contradiction",
        reference="RGPD 35.1, 5.2 ; CEPD, lignes directrices WP248 rév.01",
        article="35",
        severity=WARNING,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="L'analyse d'impact est jugée inutile malgré des critères de risque.",
        message_en="The impact assessment is deemed unnecessary despite risk criteria.",
        detail_fr=(
            "Critères du CEPD relevés : {criteria}. Avec deux critères ou plus, écarter l'AIPD "
            "demande une justification écrite (lignes directrices WP248 rév.01 ; RGPD 5.2), "
            "absente de « Conclusion de l'analyse », et aucune exemption de la liste de la CNIL "
            "n'est citée."
        ),
        detail_en=(
            "EDPB criteria met: {criteria}. With two criteria or more, ruling out a DPIA needs "
            "written reasons (WP248 rev.01 guidelines; GDPR 5.2), missing from “Assessment "
            "conclusion”, and no exemption of the CNIL's list is cited."
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
    view = dpia_view(a, ctx)
    if view.mandatory or not view.likely or a["dpia_conclusion"] or _exempted(a, view):
        return MET
    return fire(criteria=list(view.criteria))


@RULES.check(
    Rule(
        id="dpia-exemption-not-applicable",
        reference="RGPD 35.5 ; CNIL, délibération n° 2019-118",
        article="35",
        severity=WARNING,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="L'exemption d'analyse d'impact citée ne s'applique pas à cette fiche.",
        message_en="The impact assessment exemption cited does not apply to this record.",
        detail_fr=(
            "« {exemption} » figure sur la liste des traitements pour lesquels la CNIL n'exige "
            "pas d'AIPD (délibération n° 2019-118), sous conditions ; ici {reason}."
        ),
        detail_en=(
            "“{exemption}” is on the CNIL's list of processing for which no DPIA is required "
            "(deliberation 2019-118), under conditions; here {reason}."
        ),
        hint_fr=(
            "Retirez l'exemption et évaluez le besoin d'une AIPD avec les critères du CEPD, ou "
            "corrigez la fiche si elle se trompe."
        ),
        hint_en=(
            "Remove the exemption and assess the need for a DPIA with the EDPB criteria, or "
            "correct the record if it is wrong."
        ),
        field="dpia_exemption",
        needs="dpia_exemption",
    )
)
def _dpia_exemption(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not a["dpia_exemption"]:
        return None
    problem = dpia_view(a, ctx).exemption_problem
    return fire(exemption=a["dpia_exemption"], reason=problem) if problem else MET


@RULES.check(
    Rule(
        id="dpia-not-assessed",
        reference="RGPD 35, 5.2",
        article="35",
        severity=INFO,
        scope=ACT,
        roles=CONTROLLER_ONLY,
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
    view = dpia_view(a, ctx)
    if view.mandatory or (view.likely and not _exempted(a, view)):
        return None
    return fire()
