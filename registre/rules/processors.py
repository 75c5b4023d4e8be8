"""Rules on processor mode (30.2), processors (Art. 28) and the software inventory."""

from __future__ import annotations

from collections.abc import Sequence

from registre.loader import Record
from registre.rules.base import (
    ACT,
    INFO,
    MET,
    PROC,
    SOFT,
    WARNING,
    Hit,
    Rule,
    RuleSet,
    fire,
)
from registre.rules.facts import Context
from registre.schema import BOTH_ROLES, CONTROLLER_ONLY, PROCESSOR_ONLY

RULES = RuleSet()


@RULES.check(
    Rule(
        id="controllers-served-dpo-missing",
        reference="RGPD 30.2.a",
        article="30.2.a",
        severity=INFO,
        scope=ACT,
        roles=PROCESSOR_ONLY,
        message_fr="Délégué non indiqué pour le responsable « {name} ».",
        message_en="No DPO given for the controller “{name}”.",
        detail_fr=(
            "Le registre du sous-traitant indique, le cas échéant, les coordonnées du délégué "
            "de chaque responsable pour lequel il agit (RGPD 30.2.a) ; un organisme public en a "
            "toujours un (37.1.a)."
        ),
        detail_en=(
            "The processor's record gives, where applicable, the contact details of the DPO of "
            "each controller it acts for (GDPR 30.2.a); a public body always has one (37.1.a)."
        ),
        hint_fr="Renseignez « Délégué du responsable » dans la ligne de ce responsable.",
        hint_en="Fill in “Controller's DPO” in this controller's row.",
        field="controllers_served.dpo_contact",
        needs="controllers_served",
    )
)
def _controller_dpo(a: Record, _ctx: Context) -> Sequence[Hit] | None:
    if not a["controllers_served"]:
        return None
    return [
        (row["id"], {"position": index, "name": row["name"]})
        for index, row in enumerate(a["controllers_served"], 1)
        if not row["dpo_contact"]
    ]


@RULES.check(
    Rule(
        id="recipient-processor-not-recorded",
        reference="RGPD 28, 30.1.d",
        article="30.1.d",
        severity=WARNING,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Destinataire « sous-traitant » sans sous-traitant lié au traitement ({name}).",
        message_en="A “processor” recipient but no processor linked to the activity ({name}).",
        detail_fr=(
            "La ligne {position} des destinataires (« {name} ») est un sous-traitant, mais "
            "aucun sous-traitant n'est lié au traitement : son contrat (RGPD 28.3), son pays "
            "et ses garanties ne peuvent pas être vérifiés."
        ),
        detail_en=(
            "Row {position} of the recipients (“{name}”) is a processor, but no processor is "
            "linked to the activity: its contract (GDPR 28(3)), country and safeguards cannot be "
            "checked."
        ),
        hint_fr=(
            "Créez la fiche du sous-traitant si besoin et choisissez-le dans « Sous-traitants »."
        ),
        hint_en="Create the processor's record if needed and choose it in “Processors”.",
        field="processors",
        needs="recipients",
    )
)
def _recipient_processor(a: Record, _ctx: Context) -> Sequence[Hit] | None:
    rows = [
        (index, row)
        for index, row in enumerate(a["recipients"], 1)
        if row["recipient_type"] == "processors"
    ]
    if not rows:
        return None
    if a["processors"]:
        return MET
    return [(row["id"], {"position": index, "name": row["name"]}) for index, row in rows]


@RULES.check(
    Rule(
        id="processor-art28-contract",
        reference="RGPD 28.3",
        article="28",
        severity=WARNING,
        scope=PROC,
        roles=BOTH_ROLES,
        message_fr="Contrat de sous-traitance (article 28) non confirmé pour « {processor} ».",
        message_en="Processing contract (Article 28) not confirmed for “{processor}”.",
        detail_fr=(
            "Le traitement par un sous-traitant est régi par un contrat comportant les clauses "
            "de l'article 28.3 du RGPD ; aucun contrat de ce sous-traitant n'est au registre "
            "des contrats et « Contrat conforme à l'article 28 » : {answer}."
        ),
        detail_en=(
            "Processing by a processor is governed by a contract with the clauses of "
            "Article 28(3) GDPR; no contract of this processor is in the contracts register and "
            "“Art. 28 contract”: {answer}."
        ),
        hint_fr=(
            "Vérifiez le contrat (ou faites signer un avenant reprenant l'article 28), puis "
            "répondez oui."
        ),
        hint_en="Check the contract (or have an Article 28 amendment signed), then answer yes.",
        field="has_art28_contract",
    )
)
def _art28(p: Record, _ctx: Context) -> Sequence[Hit] | None:
    if p.get("contracts"):
        return None  # the contracts register holds its contract: the contract rules judge it
    if p["has_art28_contract"] is True:
        return MET
    answer = "unknown" if p["has_art28_contract"] is None else "no"
    return fire(processor=p["name"], answer=answer)


@RULES.check(
    Rule(
        id="processor-contract-expired",
        reference="RGPD 28.3",
        article="28",
        severity=WARNING,
        scope=PROC,
        roles=BOTH_ROLES,
        message_fr="Le contrat avec « {processor} » a pris fin le {date}.",
        message_en="The contract with “{processor}” ended on {date}.",
        detail_fr=(
            "Le contrat de sous-traitance a pris fin le {date} ; si le prestataire traite encore "
            "des données, il le fait sans le contrat exigé par l'article 28.3."
        ),
        detail_en=(
            "The processing contract ended on {date}; if the provider still processes data, it "
            "does so without the contract required by Article 28(3)."
        ),
        hint_fr=(
            "Renouvelez le contrat et mettez à jour « Fin du contrat », ou retirez ce "
            "sous-traitant des traitements."
        ),
        hint_en=(
            "Renew the contract and update “Contract end”, or remove this processor from the "
            "activities."
        ),
        field="contract_end",
        needs="contract_end",
    )
)
def _contract_expired(p: Record, ctx: Context) -> Sequence[Hit] | None:
    end = p["contract_end"]
    if end is None or p.get("contracts"):
        return None  # a contract in the contracts register: « contract-ended » dates it
    return fire(processor=p["name"], date=end) if end < ctx.today else MET


@RULES.check(
    Rule(
        id="software-hosting-country-missing",
        reference="RGPD 30.1.e (bonne pratique)",
        article="44",
        severity=INFO,
        scope=SOFT,
        roles=BOTH_ROLES,
        message_fr="Pays d'hébergement non indiqué pour le logiciel « {software} ».",
        message_en="No hosting country for the software “{software}”.",
        detail_fr=(
            "Le logiciel est hébergé chez un prestataire : sans le pays d'hébergement, on ne "
            "peut pas vérifier qu'aucune donnée ne quitte l'UE (RGPD 30.1.e, chapitre V)."
        ),
        detail_en=(
            "The software is hosted by a provider: without the hosting country, nobody can "
            "check that no data leave the EU (GDPR 30.1.e, Chapter V)."
        ),
        hint_fr="Renseignez « Pays d'hébergement » (demandez-le au prestataire).",
        hint_en="Fill in “Hosting country” (ask the provider).",
        field="hosting_country",
    )
)
def _software_country(s: Record, _ctx: Context) -> Sequence[Hit] | None:
    if s["hosting"] != "provider":
        return None
    return MET if s["hosting_country"] else fire(software=s["name"])


@RULES.check(
    Rule(
        id="software-provider-missing",
        reference="RGPD 28, 30.1.d",
        article="28",
        severity=INFO,
        scope=SOFT,
        roles=BOTH_ROLES,
        message_fr="Prestataire non indiqué pour le logiciel « {software} ».",
        message_en="No provider given for the software “{software}”.",
        detail_fr=(
            "Un logiciel hébergé chez un prestataire implique un sous-traitant (RGPD 28), qui "
            "figure parmi les destinataires des traitements qui l'utilisent (30.1.d)."
        ),
        detail_en=(
            "Software hosted by a provider implies a processor (GDPR 28), which is among the "
            "recipients of the activities using it (30.1.d)."
        ),
        hint_fr="Créez le sous-traitant si besoin et choisissez-le dans « Prestataire ».",
        hint_en="Create the processor if needed and choose it in “Provider”.",
        field="processor_id",
    )
)
def _software_provider(s: Record, _ctx: Context) -> Sequence[Hit] | None:
    if s["hosting"] != "provider":
        return None
    return MET if s["processor_id"] else fire(software=s["name"])
