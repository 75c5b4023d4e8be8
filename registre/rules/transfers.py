"""Rules on transfers outside the EU (30.1.e, 30.2.c; GDPR Chapter V)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from registre.loader import Record
from registre.rules.base import (
    ACT,
    ERROR,
    MET,
    WARNING,
    Hit,
    Rule,
    RuleSet,
    fire,
)
from registre.rules.facts import Context, Facts
from registre.schema import BOTH_ROLES
from registre.vocabularies import vocabulary

TRANSFERS_REF = "RGPD 30.1.e, 30.2.c"
RULES = RuleSet()


def _transfer_details(row: Record, index: int) -> dict[str, Any]:
    country, organisation = row["country"], row["international_organisation"]
    if country:
        countries = vocabulary("countries")
        destination: Any = {lang: countries.label(country, lang) for lang in ("fr", "en")}
    else:
        destination = organisation
    return {
        "position": index,
        "country": country,
        "international_organisation": organisation,
        "destination": destination,
        "recipient": row["recipient"],
        "safeguard": row["safeguard"],
    }


def _abroad(row: Record, facts: Facts) -> bool:
    """A real transfer: to a country outside the GDPR's territory, or to an international
    organisation (none has an adequacy decision)."""
    if row["country"]:
        return _outside(row["country"], facts)
    return bool(row["international_organisation"])


def _adequate(row: Record, facts: Facts) -> bool:
    """The destination country has an adequacy decision (possibly of limited scope)."""
    return bool(row["country"]) and row["country"] in facts.adequacy


def _same_name(first: str | None, second: str | None) -> bool:
    if not first or not second:
        return False
    a, b = " ".join(first.casefold().split()), " ".join(second.casefold().split())
    return a == b or a in b or b in a


def _covered(row: Record, activity: Record) -> bool:
    """The recipient is shown covered by a limited adequacy decision: on the transfer row, or
    on the processor or software of the same name the activity uses in that country."""
    if row["adequacy_covered"] is True:
        return True
    country, recipient = row["country"], row["recipient"]
    for processor in activity["processors"]:
        if (
            processor["country"] == country
            and processor["adequacy_covered"] is True
            and _same_name(processor["name"], recipient)
        ):
            return True
    return any(
        software["hosting_country"] == country
        and software["adequacy_covered"] is True
        and _same_name(software["name"], recipient)
        for software in activity["software"]
    )


def _outside(country: str | None, facts: Facts) -> bool:
    """A known country outside the area where the GDPR applies."""
    return bool(country) and country not in facts.gdpr_territory


@RULES.check(
    Rule(
        id="transfers-undeclared",
        reference=TRANSFERS_REF,
        article="30.1.e",
        article_processor="30.2.c",
        severity=WARNING,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Indiquez si des données sont envoyées ou hébergées hors de l'Union européenne.",
        message_en="State whether any data are sent to or hosted outside the European Union.",
        detail_fr=(
            "Le registre mentionne, le cas échéant, les transferts vers un pays tiers "
            "(RGPD 30.1.e, 30.2.c) ; la question « Transferts hors de l'UE » est sans réponse : "
            "on ne peut pas savoir si la mention manque."
        ),
        detail_en=(
            "The record lists, where applicable, transfers to a third country (GDPR 30.1.e, "
            "30.2.c); “Transfers outside the EU” is unanswered, so nobody can tell whether the "
            "item is missing."
        ),
        hint_fr=(
            "Répondez oui ou non à « Transferts hors de l'UE » ; pensez aux logiciels en ligne "
            "et à leurs hébergeurs."
        ),
        hint_en=(
            "Answer yes or no to “Transfers outside the EU”; think of online software and its "
            "hosting providers."
        ),
        field="has_transfers",
        counts_for_score=True,
    )
)
def _transfers_undeclared(a: Record, _ctx: Context) -> Sequence[Hit] | None:
    return fire() if a["has_transfers"] is None and not a["transfers"] else MET


@RULES.check(
    Rule(
        id="transfers-missing",
        reference=TRANSFERS_REF,
        article="30.1.e",
        article_processor="30.2.c",
        severity=ERROR,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Des transferts hors de l'UE sont annoncés, mais aucun n'est décrit.",
        message_en="Transfers outside the EU are announced, but none is described.",
        detail_fr=(
            "« Transferts hors de l'UE » vaut oui, mais aucune ligne n'identifie le pays tiers "
            "ou l'organisation internationale destinataire (RGPD 30.1.e, 30.2.c)."
        ),
        detail_en=(
            "“Transfers outside the EU” is yes, but no row identifies the third country or "
            "international organisation (GDPR 30.1.e, 30.2.c)."
        ),
        hint_fr=(
            "Ajoutez une ligne par transfert (destinataire, pays, garantie), ou répondez non si "
            "aucune donnée ne quitte l'UE."
        ),
        hint_en=(
            "Add one row per transfer (recipient, country, safeguard), or answer no if no data "
            "leave the EU."
        ),
        field="transfers",
        counts_for_score=True,
        needs="has_transfers",
    )
)
def _transfers_missing(a: Record, _ctx: Context) -> Sequence[Hit] | None:
    if a["has_transfers"] is not True:
        return None
    return MET if a["transfers"] else fire()


@RULES.check(
    Rule(
        id="transfers-country-missing",
        reference=TRANSFERS_REF,
        article="30.1.e",
        article_processor="30.2.c",
        severity=ERROR,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Ni pays ni organisation internationale, ligne {position} des transferts.",
        message_en="No country or international organisation, row {position} of the transfers.",
        detail_fr=(
            "Le registre identifie le pays tiers ou l'organisation internationale destinataire "
            "de chaque transfert (RGPD 30.1.e, 30.2.c) ; ni « Pays » ni « Organisation "
            "internationale » ne sont remplis pour le transfert à « {recipient} »."
        ),
        detail_en=(
            "The record identifies the third country or international organisation of each "
            "transfer (GDPR 30.1.e, 30.2.c); neither “Country” nor “International organisation” "
            "is filled in for the transfer to “{recipient}”."
        ),
        hint_fr="Choisissez le « Pays », ou nommez l'« Organisation internationale » destinataire.",
        hint_en="Choose the “Country”, or name the “International organisation”.",
        field="transfers.country",
        counts_for_score=True,
        needs="transfers",
    )
)
def _transfers_country_missing(a: Record, _ctx: Context) -> Sequence[Hit] | None:
    if not a["transfers"]:
        return None
    return [
        (row["id"], _transfer_details(row, index))
        for index, row in enumerate(a["transfers"], 1)
        if not row["country"] and not row["international_organisation"]
    ]


@RULES.check(
    Rule(
        id="transfers-contradiction",
        reference=TRANSFERS_REF,
        article="30.1.e",
        article_processor="30.2.c",
        severity=WARNING,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="La réponse « pas de transfert hors de l'UE » contredit le reste de la fiche.",
        message_en="The answer “no transfer outside the EU” contradicts the rest of the record.",
        detail_fr=(
            "« Transferts hors de l'UE » vaut non, alors que la fiche compte {transfers} "
            "ligne(s) de transfert et {third_country_recipients} destinataire(s) dans un pays "
            "tiers (RGPD 30.1.e, 30.2.c)."
        ),
        detail_en=(
            "“Transfers outside the EU” is no, yet the record has {transfers} transfer row(s) "
            "and {third_country_recipients} recipient(s) in a third country (GDPR 30.1.e, "
            "30.2.c)."
        ),
        hint_fr="Répondez oui à « Transferts hors de l'UE », ou retirez les lignes en trop.",
        hint_en="Answer yes to “Transfers outside the EU”, or remove the stray rows.",
        field="has_transfers",
    )
)
def _transfers_contradiction(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if a["has_transfers"] is not False:
        return None
    types = ctx.facts.third_country_recipients
    recipients = sum(1 for r in a["recipients"] if r["recipient_type"] in types)
    if a["transfers"] or recipients:
        return fire(transfers=len(a["transfers"]), third_country_recipients=recipients)
    return MET


@RULES.check(
    Rule(
        id="transfer-no-safeguard",
        reference="RGPD 44, 45, 46, 49",
        article="44",
        severity=ERROR,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Transfert hors UE ({destination}) sans garantie indiquée.",
        message_en="Transfer outside the EU ({destination}) with no safeguard given.",
        detail_fr=(
            "« {destination} » ne bénéficie d'aucune décision d'adéquation (RGPD 45 ; aucune "
            "organisation internationale n'en a) : le transfert à « {recipient} » n'est licite "
            "qu'avec une garantie appropriée (art. 46) ou, à titre exceptionnel, une dérogation "
            "de l'art. 49 (RGPD 44)."
        ),
        detail_en=(
            "“{destination}” has no adequacy decision (GDPR 45; no international organisation "
            "has one): the transfer to “{recipient}” is lawful only with an appropriate "
            "safeguard (Art. 46) or, exceptionally, an Art. 49 derogation (GDPR 44)."
        ),
        hint_fr=(
            "Choisissez la « Garantie » (le plus souvent les clauses contractuelles types) et "
            "indiquez où trouver le document signé."
        ),
        hint_en=(
            "Choose the “Safeguard” (usually the standard contractual clauses) and say where "
            "the signed document is kept."
        ),
        field="transfers.safeguard",
        needs="transfers",
        counts_for_score=True,
    )
)
def _transfer_no_safeguard(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not a["transfers"]:
        return None
    facts = ctx.facts
    return [
        (row["id"], _transfer_details(row, index))
        for index, row in enumerate(a["transfers"], 1)
        if _abroad(row, facts) and not _adequate(row, facts) and not row["safeguard"]
    ]


@RULES.check(
    Rule(
        id="transfer-adequacy-mismatch",
        reference="RGPD 45",
        article="44",
        severity=WARNING,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="La garantie « décision d'adéquation » ne vaut pas pour « {destination} ».",
        message_en="The “adequacy decision” safeguard does not apply to “{destination}”.",
        detail_fr=(
            "Aucune décision d'adéquation de la Commission européenne ne couvre "
            "« {destination} » (liste au {adequacy_as_of}) : la garantie indiquée pour le "
            "transfert à « {recipient} » est sans effet (RGPD 45)."
        ),
        detail_en=(
            "No adequacy decision of the European Commission covers “{destination}” (list as "
            "of {adequacy_as_of}): the safeguard given for the transfer to “{recipient}” has "
            "no effect (GDPR 45)."
        ),
        hint_fr="Vérifiez le pays, ou choisissez une garantie de l'article 46.",
        hint_en="Check the country, or choose an Article 46 safeguard.",
        field="transfers.safeguard",
        needs="transfers",
    )
)
def _transfer_adequacy_mismatch(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not a["transfers"]:
        return None
    facts = ctx.facts
    return [
        (row["id"], {**_transfer_details(row, index), "adequacy_as_of": facts.adequacy_as_of})
        for index, row in enumerate(a["transfers"], 1)
        if row["safeguard"] in facts.adequacy_safeguards
        and _abroad(row, facts)
        and not _adequate(row, facts)
    ]


@RULES.check(
    Rule(
        id="transfer-partial-adequacy",
        reference="RGPD 44, 45 ; décisions d'exécution (UE) 2023/1795, 2019/419, 2022/254",
        article="45",
        severity=ERROR,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr=(
            "Transfert vers « {country} » : rien ne montre que « {recipient} » est couvert par "
            "la décision d'adéquation."
        ),
        message_en=(
            "Transfer to “{country}”: nothing shows that “{recipient}” is covered by the "
            "adequacy decision."
        ),
        detail_fr=(
            "La décision d'adéquation visant « {country} » ne couvre que certains destinataires "
            "({scope}) ; ni le transfert, ni un sous-traitant ou un logiciel du même nom établi "
            "dans ce pays ne sont indiqués comme couverts, et aucune garantie de l'article 46 "
            "n'est choisie : le transfert n'a pas de base (RGPD 44)."
        ),
        detail_en=(
            "The adequacy decision for “{country}” covers only some recipients ({scope}); "
            "neither the transfer nor a processor or software of the same name in that country "
            "is marked as covered, and no Article 46 safeguard is chosen: the transfer has no "
            "legal ground (GDPR 44)."
        ),
        hint_fr=(
            "Vérifiez que le destinataire est couvert (pour les États-Unis, sa présence sur la "
            "liste du Data Privacy Framework), puis cochez « Destinataire couvert par la "
            "décision d'adéquation » ; sinon, choisissez une garantie (clauses types)."
        ),
        hint_en=(
            "Check that the recipient is covered (for the United States, its presence on the "
            "Data Privacy Framework list), then tick “Recipient covered by the adequacy "
            "decision”; otherwise choose a safeguard (standard clauses)."
        ),
        field="transfers.adequacy_covered",
        needs="transfers",
        counts_for_score=True,
    )
)
def _transfer_partial_adequacy(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not a["transfers"]:
        return None
    facts = ctx.facts
    hits: list[Hit] = []
    for index, row in enumerate(a["transfers"], 1):
        if (
            row["country"] in facts.limited_adequacy
            and (not row["safeguard"] or row["safeguard"] in facts.adequacy_safeguards)
            and not _covered(row, a)
        ):
            decision = facts.adequacy[row["country"]]
            details = _transfer_details(row, index)
            details["scope"] = {"fr": decision.get("scope_fr", ""), "en": decision.get("scope", "")}
            hits.append((row["id"], details))
    return hits


@RULES.check(
    Rule(
        id="transfer-art49-documentation",
        reference="RGPD 30.1.e, 49.6",
        article="30.1.e",
        article_processor="30.2.c",
        severity=ERROR,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Intérêts légitimes impérieux sans documentation (transfert : {destination}).",
        message_en="Compelling legitimate interests without documentation ({destination}).",
        detail_fr=(
            "Un transfert fondé sur le second alinéa de l'article 49.1 ({safeguard}) est "
            "documenté dans le registre : l'évaluation de toutes les circonstances et les "
            "garanties appropriées (RGPD 30.1.e, 49.6) ; « Documentation des garanties » est "
            "vide pour le transfert à « {recipient} ». Les dérogations du 49.1 a) à g) ne "
            "demandent pas cette mention."
        ),
        detail_en=(
            "A transfer under the second subparagraph of Article 49(1) ({safeguard}) is "
            "documented in the record: the assessment of all the circumstances and the suitable "
            "safeguards (GDPR 30.1.e, 49.6); “Safeguard documentation” is empty for the "
            "transfer to “{recipient}”. The derogations of 49(1)(a) to (g) do not require it."
        ),
        hint_fr=(
            "Décrivez dans « Documentation des garanties » l'évaluation faite et les garanties "
            "prises, et où se trouvent les pièces."
        ),
        hint_en=(
            "Describe in “Safeguard documentation” the assessment made and the safeguards "
            "taken, and where the evidence is kept."
        ),
        field="transfers.documentation",
        counts_for_score=True,
        needs="transfers",
    )
)
def _transfer_art49_documentation(a: Record, ctx: Context) -> Sequence[Hit] | None:
    derogations = ctx.facts.documented_safeguards
    rows = [
        (index, row)
        for index, row in enumerate(a["transfers"], 1)
        if row["safeguard"] in derogations
    ]
    if not rows:
        return None
    return [
        (row["id"], _transfer_details(row, index))
        for index, row in rows
        if not row["documentation"]
    ]


@RULES.check(
    Rule(
        id="transfer-art49-public-authority",
        reference="RGPD 49.3",
        article="44",
        severity=WARNING,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Cette dérogation de l'article 49 n'est pas ouverte à un organisme public.",
        message_en="This Article 49 derogation is not available to a public body.",
        detail_fr=(
            "Les dérogations du 49.1 a), b), c) et du second alinéa ne s'appliquent pas aux "
            "autorités publiques dans l'exercice de leurs prérogatives (RGPD 49.3) ; "
            "« {safeguard} » est choisie pour le transfert à « {recipient} »."
        ),
        detail_en=(
            "The derogations of 49.1(a), (b), (c) and of the second subparagraph do not apply "
            "to public authorities exercising their public powers (GDPR 49.3); “{safeguard}” "
            "is given for the transfer to “{recipient}”."
        ),
        hint_fr=(
            "Fondez le transfert sur une garantie de l'article 46 (instrument entre autorités "
            "publiques, clauses types) ou sur un motif important d'intérêt public (49.1.d)."
        ),
        hint_en=(
            "Base the transfer on an Article 46 safeguard (instrument between public "
            "authorities, standard clauses) or on important reasons of public interest (49.1.d)."
        ),
        field="transfers.safeguard",
        needs="transfers",
    )
)
def _transfer_art49_public_authority(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not a["transfers"] or not ctx.public_body:
        return None
    forbidden = ctx.facts.public_forbidden_safeguards
    return [
        (row["id"], _transfer_details(row, index))
        for index, row in enumerate(a["transfers"], 1)
        if row["safeguard"] in forbidden
    ]


@RULES.check(
    Rule(
        id="transfer-inside-eu",
        reference="RGPD 44",
        article="44",
        severity=WARNING,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="« {country} » relève du RGPD : ce n'est pas un transfert hors UE.",
        message_en="“{country}” is under the GDPR: this is not a transfer outside the EU.",
        detail_fr=(
            "« {country} » fait partie du territoire où le RGPD s'applique (EEE ou région "
            "ultrapériphérique) : la ligne vers « {recipient} » n'est pas un transfert au sens "
            "du chapitre V."
        ),
        detail_en=(
            "“{country}” is part of the territory where the GDPR applies (EEA or outermost "
            "region): the row to “{recipient}” is not a transfer under Chapter V."
        ),
        hint_fr=(
            "Retirez cette ligne des transferts ; le destinataire figure (ou doit figurer) dans "
            "« Destinataires »."
        ),
        hint_en=("Remove this row from the transfers; the recipient belongs in “Recipients”."),
        field="transfers.country",
        needs="transfers",
    )
)
def _transfer_inside_eu(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not a["transfers"]:
        return None
    territory = ctx.facts.gdpr_territory
    return [
        (row["id"], _transfer_details(row, index))
        for index, row in enumerate(a["transfers"], 1)
        if row["country"] in territory
    ]


@RULES.check(
    Rule(
        id="software-outside-eu",
        reference=TRANSFERS_REF,
        article="30.1.e",
        article_processor="30.2.c",
        severity=WARNING,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr=(
            "Le logiciel « {software} » est hébergé hors de l'UE ({country}), sans transfert "
            "déclaré."
        ),
        message_en=(
            "The software “{software}” is hosted outside the EU ({country}), with no transfer "
            "declared."
        ),
        detail_fr=(
            "Le logiciel « {software} » est hébergé en dehors de l'EEE ({country}) ; le "
            "traitement l'utilise mais ne déclare aucun transfert vers ce pays (RGPD 30.1.e, "
            "30.2.c, chapitre V)."
        ),
        detail_en=(
            "The software “{software}” is hosted outside the EEA ({country}); the activity uses "
            "it but declares no transfer to that country (GDPR 30.1.e, 30.2.c, Chapter V)."
        ),
        hint_fr=(
            "Si les données y sont hébergées, déclarez le transfert (pays, garantie) ; sinon "
            "corrigez le pays d'hébergement du logiciel."
        ),
        hint_en=(
            "If the data are hosted there, declare the transfer (country, safeguard); "
            "otherwise correct the software's hosting country."
        ),
        field="transfers",
        needs="software",
    )
)
def _software_outside_eu(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not a["software"]:
        return None
    declared = {row["country"] for row in a["transfers"]}
    return [
        (None, {"software": s["name"], "software_id": s["id"], "country": s["hosting_country"]})
        for s in a["software"]
        if _outside(s["hosting_country"], ctx.facts) and s["hosting_country"] not in declared
    ]


@RULES.check(
    Rule(
        id="processor-outside-eu",
        reference=TRANSFERS_REF,
        article="30.1.e",
        article_processor="30.2.c",
        severity=WARNING,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr=(
            "Le sous-traitant « {processor} » est établi hors de l'UE ({country}), sans "
            "transfert déclaré."
        ),
        message_en=(
            "The processor “{processor}” is established outside the EU ({country}), with no "
            "transfer declared."
        ),
        detail_fr=(
            "Le sous-traitant « {processor} » est établi en dehors de l'EEE ({country}) ; un "
            "accès aux données depuis ce pays est un transfert, mais le traitement n'en déclare "
            "aucun vers ce pays (RGPD 30.1.e, 30.2.c, chapitre V)."
        ),
        detail_en=(
            "The processor “{processor}” is established outside the EEA ({country}); access to "
            "the data from that country is a transfer, yet the activity declares none to that "
            "country (GDPR 30.1.e, 30.2.c, Chapter V)."
        ),
        hint_fr=(
            "Demandez au sous-traitant où les données sont traitées et déclarez le transfert, "
            "ou corrigez son pays d'établissement."
        ),
        hint_en=(
            "Ask the processor where the data are processed and declare the transfer, or "
            "correct its country of establishment."
        ),
        field="transfers",
        needs="processors",
    )
)
def _processor_outside_eu(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not a["processors"]:
        return None
    declared = {row["country"] for row in a["transfers"]}
    return [
        (None, {"processor": p["name"], "processor_id": p["id"], "country": p["country"]})
        for p in a["processors"]
        if _outside(p["country"], ctx.facts) and p["country"] not in declared
    ]
