"""Rules on the organisation's own record: its representative, its DPO, its activities."""

from __future__ import annotations

from collections.abc import Sequence

from registre.loader import Record
from registre.rules.base import (
    INFO,
    MET,
    ORG,
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
        id="org-legal-representative-missing",
        reference="RGPD 30.1.a (bonne pratique)",
        article="30.1.a",
        severity=INFO,
        scope=ORG,
        roles=BOTH_ROLES,
        message_fr="Le représentant légal (maire, président) n'est pas indiqué.",
        message_en="The legal representative (mayor, chair) is not given.",
        detail_fr=(
            "L'article 30 ne l'exige pas, mais le modèle de registre de la CNIL mentionne le "
            "représentant légal, qui engage la responsabilité de l'organisme (RGPD 24)."
        ),
        detail_en=(
            "Article 30 does not require it, but the CNIL's model register names the legal "
            "representative, who is accountable for the organisation (GDPR 24)."
        ),
        hint_fr="Renseignez « Représentant légal » et sa qualité, par exemple « Maire ».",
        hint_en="Fill in “Legal representative” and their title, for example “Mayor”.",
        field="legal_representative_name",
    )
)
def _legal_representative(org: Record, _ctx: Context) -> Sequence[Hit] | None:
    return MET if org["legal_representative_name"] else fire()


@RULES.check(
    Rule(
        id="org-dpo-designation-number-missing",
        reference="RGPD 37.7",
        article="37.7",
        severity=INFO,
        scope=ORG,
        roles=BOTH_ROLES,
        message_fr="Le numéro de désignation du délégué auprès de la CNIL n'est pas indiqué.",
        message_en="The CNIL designation number of the DPO is not given.",
        detail_fr=(
            "La désignation du délégué est communiquée à la CNIL (RGPD 37.7) ; noter le numéro "
            "de l'accusé de réception prouve qu'elle a été faite."
        ),
        detail_en=(
            "The DPO's designation is notified to the CNIL (GDPR 37.7); recording the "
            "acknowledgement number proves it was done."
        ),
        hint_fr=(
            "Reportez le numéro de l'accusé de réception de la CNIL dans « Numéro de "
            "désignation CNIL »."
        ),
        hint_en="Copy the number of the CNIL's acknowledgement into “CNIL designation number”.",
        field="dpo_designation_number",
    )
)
def _dpo_designation(org: Record, _ctx: Context) -> Sequence[Hit] | None:
    if not org["dpo_name"]:
        return None
    return MET if org["dpo_designation_number"] else fire()


@RULES.check(
    Rule(
        id="org-no-activity",
        reference="RGPD 30.1",
        article="30.1",
        severity=INFO,
        scope=ORG,
        roles=BOTH_ROLES,
        message_fr="Aucun traitement n'est encore déclaré pour cet organisme.",
        message_en="No processing activity is recorded for this organisation yet.",
        detail_fr=(
            "Le registre recense toutes les activités de traitement (RGPD 30.1) ; un organisme "
            "public en compte en général plusieurs dizaines."
        ),
        detail_en=(
            "The record lists every processing activity (GDPR 30.1); a public body usually has "
            "several dozen."
        ),
        hint_fr="Ajoutez les traitements des services, par exemple à partir des modèles.",
        hint_en="Add the departments' processing activities, for example from the templates.",
        field="activities",
    )
)
def _no_activity(org: Record, _ctx: Context) -> Sequence[Hit] | None:
    return MET if org["activities"] else fire()
