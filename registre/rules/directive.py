"""How a hand-written rule reads on a law-enforcement activity (Directive 2016/680).

The GDPR does not govern the police-justice activities of a commune (municipal police,
video-protection of public places): Directive 2016/680, transposed in loi 78-17, titre III, does.
A rule that applies to them cites the directive's counterpart of each GDPR article it names:
``directive_citations`` rewrites every « RGPD 30.1.e, 30.2.c » (« GDPR … » in English) of a text
as « directive (UE) 2016/680, art. 24.1.f, 24.2.c »; texts that cite the GDPR in another form
are given whole in ``LAW_ENFORCEMENT_TEXTS``.
"""

from __future__ import annotations

import dataclasses
import re

from registre.rules.base import Rule
from registre.schema import LAW_ENFORCEMENT_ARTICLES

GDPR_TO_DIRECTIVE: dict[str, str] = {
    **LAW_ENFORCEMENT_ARTICLES,
    "5.1.c": "4.1.c",  # data adequate, relevant and not excessive
    "5.1.e": "4.1.e",  # kept no longer than necessary
    "5.2": "4.4",  # the controller is responsible and able to demonstrate it
    "24.1": "19.1",  # the controller's measures, reviewed and updated
    "28": "22",  # processors
    "28.3": "22.3",  # the contract with a processor
    "30": "24",  # the record
    "32.1": "29.1",  # security of processing
    "35.1": "27.1",  # impact assessment
    "35.3": "27.1",
    "35.4": "27.1",
    "39.1": "34",  # tasks of the data protection officer
    "89": "4.3",  # archiving in the public interest
}
"""The article of Directive 2016/680 that answers a GDPR article a rule cites."""

# « 30.1.e » as French texts cite an article, « 30(1)(e) » as English ones do.
_ITEM = r"\d+(?:\.\d+)*(?:\.[a-z])?(?:\(\d+\))*(?:\([a-z]\))?"
_CITATION = re.compile(rf"\b(RGPD|GDPR) ({_ITEM}(?:(?:, | et | and ){_ITEM})*)")
_SEPARATOR = re.compile(r"(, | et | and )")


def _counterpart(item: str) -> str | None:
    """The directive's article for a GDPR ``item``, written as ``item`` is."""
    dotted = GDPR_TO_DIRECTIVE.get(re.sub(r"\((\w+)\)", r".\1", item))
    if dotted is None or "(" not in item:
        return dotted
    first, *rest = dotted.split(".")
    return first + "".join(f"({part})" for part in rest)


def _rewritten(match: re.Match[str]) -> str:
    parts = _SEPARATOR.split(match.group(2))
    items, separators = parts[::2], parts[1::2]
    counterparts = [_counterpart(item) for item in items]
    mapped: list[str] = []
    for counterpart in counterparts:
        if counterpart is None:
            return match.group(0)  # an article without a counterpart: the text says it as it is
        if counterpart not in mapped:
            mapped.append(counterpart)
    joined = mapped[0]
    for item, separator in zip(mapped[1:], separators, strict=False):
        joined += separator + item
    if match.group(1) == "GDPR":
        return f"Directive (EU) 2016/680, Art. {joined}"
    first = match.start() == 0
    return f"{'Directive' if first else 'directive'} (UE) 2016/680, art. {joined}"


def directive_citations(text: str) -> str:
    """``text`` with each « RGPD x, y » / « GDPR x, y » citing Directive 2016/680 instead."""
    return _CITATION.sub(_rewritten, text)


_DPIA_REFERENCE = "Directive (UE) 2016/680, art. 27.1 ; loi 78-17, art. 90"
_HIGH_RISK_FR = (
    "l'un des cas où le RGPD (art. 35.3) ou la liste de la CNIL (délibération n° 2018-327) "
    "imposent une analyse d'impact, signe du risque élevé qui l'impose aussi à un traitement "
    "police-justice (directive (UE) 2016/680, art. 27.1 ; loi 78-17, art. 90)"
)
_HIGH_RISK_EN = (
    "one of the cases where the GDPR (Art. 35(3)) or the CNIL's list (deliberation 2018-327) "
    "require an impact assessment, a sign of the high risk that requires one for "
    "law-enforcement processing too (Directive (EU) 2016/680, Art. 27(1); French law 78-17, "
    "Art. 90)"
)

LAW_ENFORCEMENT_TEXTS: dict[str, dict[str, str]] = {
    "retention-unlimited": {
        "detail_fr": (
            "Une durée illimitée n'est pas un délai d'effacement (directive (UE) 2016/680, "
            "art. 24.1.h ; conservation limitée, art. 4.1.e et 5), sauf pour des archives "
            "publiques conservées à titre définitif dans l'intérêt public (directive (UE) "
            "2016/680, art. 4.3 ; code du patrimoine, art. L211-2 et L212-2) : le sort final le "
            "dit alors (« conservation définitive »)."
        ),
        "detail_en": (
            "An unlimited period is not a time limit for erasure (Directive (EU) 2016/680, "
            "Art. 24(1)(h); storage limitation, Art. 4(1)(e) and 5), except for public records "
            "kept permanently in the public interest (Directive (EU) 2016/680, Art. 4(3); "
            "French Heritage Code, Art. L211-2 and L212-2): the final disposition then says so "
            "(“permanent keeping”)."
        ),
    },
    "data-categories-details-missing": {
        "detail_fr": (
            "Lister les données réellement collectées, comme le fait le modèle de registre de "
            "la CNIL, précise la description qu'exige la directive (UE) 2016/680 (art. 24.1.d) "
            "et permet de contrôler la minimisation (art. 4.1.c)."
        ),
        "detail_en": (
            "Listing the data actually collected, as the CNIL's model register does, makes the "
            "description required by Directive (EU) 2016/680 (Art. 24(1)(d)) precise and "
            "allows checking data minimisation (Art. 4(1)(c))."
        ),
    },
    "dpia-required": {
        "reference": f"{_DPIA_REFERENCE} ; CNIL, délibération n° 2018-327",
        "detail_fr": (
            f"La fiche relève de {_HIGH_RISK_FR} : {{reasons}} ; « Analyse d'impact » dit "
            "qu'elle n'est pas nécessaire ou ne dit rien. Une exemption de la liste de la CNIL "
            "(délibération n° 2019-118) n'est retenue que justifiée dans « Conclusion de "
            "l'analyse »."
        ),
        "detail_en": (
            f"The record falls under {_HIGH_RISK_EN}: {{reasons}}; “Impact assessment” says it "
            "is not needed or says nothing. An exemption of the CNIL's list (deliberation "
            "2019-118) is accepted only with its reasons in “Assessment conclusion”."
        ),
    },
    "dpia-record-missing": {
        "reference": _DPIA_REFERENCE,
        "detail_fr": (
            "Critères du CEPD relevés : {criteria} ; type de la liste de la CNIL : {cnil_type}. "
            "Aucune analyse d'impact terminée (ni exemption référencée) ne couvre ce traitement "
            "dans le registre des analyses d'impact (directive (UE) 2016/680, art. 27.1 ; "
            "loi 78-17, art. 90)."
        ),
        "detail_en": (
            "EDPB criteria met: {criteria}; type on the CNIL's list: {cnil_type}. No completed "
            "impact assessment (nor referenced exemption) covers this processing in the "
            "register of impact assessments (Directive (EU) 2016/680, Art. 27(1); French law "
            "78-17, Art. 90)."
        ),
    },
    "contract-not-sound": {
        "detail_fr": (
            "Le contrat est signé (écrit, art. 22.4), comporte les clauses qu'exige l'article "
            "22.3 de la directive (UE) 2016/680 (celles de l'article 28.3 a) à h) du RGPD les "
            "couvrent) et est en vigueur ; « {contract} » : {problem}."
        ),
        "detail_en": (
            "The contract is signed (in writing, Art. 22(4)), contains the clauses Article "
            "22(3) of Directive (EU) 2016/680 requires (those of GDPR Article 28(3)(a) to (h) "
            "cover them) and is in force; “{contract}”: {problem}."
        ),
    },
}
"""Texts of a rule, by rule and field, where the GDPR is cited in a form
``directive_citations`` does not rewrite, or where the directive asks something else."""


_GROUPS = {
    "30": "24 (directive 2016/680)",
    "28": "22 (directive 2016/680)",
    "35": "27 (directive 2016/680)",
}
"""Report groups of a law-enforcement activity's findings: the directive's article, apart from
the GDPR article of the same number."""


def _group(article: str) -> str:
    return _GROUPS.get(article) or LAW_ENFORCEMENT_ARTICLES.get(article, article)


def directive_rule(rule: Rule) -> Rule:
    """``rule`` (written by hand) as it reads on a law-enforcement activity: its texts cite
    Directive 2016/680 and its findings are grouped under the directive's articles."""
    given = LAW_ENFORCEMENT_TEXTS.get(rule.id, {})

    def cited(name: str) -> str:
        return given.get(name) or directive_citations(str(getattr(rule, name)))

    processor = _group(rule.article_processor) if rule.article_processor else ""
    return dataclasses.replace(
        rule,
        reference=cited("reference"),
        message_fr=cited("message_fr"),
        message_en=cited("message_en"),
        detail_fr=cited("detail_fr"),
        detail_en=cited("detail_en"),
        hint_fr=cited("hint_fr"),
        hint_en=cited("hint_en"),
        article=_group(rule.article),
        article_processor=processor,
    )
