"""Rules on the description of security measures (30.1.g, 30.2.d)."""

from __future__ import annotations

from collections.abc import Sequence

from registre.loader import Record
from registre.rules.base import (
    ACT,
    MET,
    WARNING,
    Hit,
    Rule,
    RuleSet,
    fire,
)
from registre.rules.facts import Context
from registre.schema import BOTH_ROLES

RULES = RuleSet()


@RULES.check(
    Rule(
        id="security-missing",
        reference="RGPD 30.1.g, 30.2.d",
        article="30.1.g",
        article_processor="30.2.d",
        severity=WARNING,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Aucune mesure de sécurité n'est décrite.",
        message_en="No security measure is described.",
        detail_fr=(
            "Le registre comporte, dans la mesure du possible, une description générale des "
            "mesures de sécurité techniques et organisationnelles (RGPD 30.1.g, 30.2.d, 32.1) ; "
            "ni « Mesures de sécurité » ni « Description générale de la sécurité » ne sont "
            "remplis."
        ),
        detail_en=(
            "The record gives, where possible, a general description of the technical and "
            "organisational security measures (GDPR 30.1.g, 30.2.d, 32.1); neither “Security "
            "measures” nor “General description of security” is filled in."
        ),
        hint_fr=(
            "Ajoutez les mesures en place (contrôle d'accès, sauvegarde…) ou décrivez-les en "
            "quelques mots."
        ),
        hint_en="Add the measures in place (access control, backup…) or describe them briefly.",
        field="security_measures",
        counts_for_score=True,
    )
)
def _security_missing(a: Record, _ctx: Context) -> Sequence[Hit] | None:
    return MET if a["security_measures"] or a["security_overview"] else fire()
