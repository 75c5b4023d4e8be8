"""Rules on the companion registers: breaches (Art. 33, 34), rights requests (Art. 12), impact
assessments (Art. 35, 36) and processor contracts (Art. 28).

Rule ids start with ``breach-``, ``request-``, ``dpia-`` and ``contract-``. The 72-hour clock,
the time limit of a request and the state of a contract are computed by ``registre.companion``
(the same computation the application shows). Two activity rules use the companion records: an
activity needing an impact assessment without one completed is an error, and the processor
contracts of an activity count in its score.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from registre import companion
from registre.companion import ClockState, RequestState
from registre.loader import Record
from registre.presentation import short_date
from registre.rules.base import (
    ACT,
    ERROR,
    INFO,
    MET,
    WARNING,
    Hit,
    Rule,
    RuleSet,
    Scope,
    fire,
)
from registre.rules.derived import field_hint
from registre.rules.dpia import dpia_view
from registre.rules.facts import Context
from registre.schema import (
    BOTH_ROLES,
    BREACH,
    CONTRACT,
    CONTRACT_CLAUSES,
    CONTROLLER_ONLY,
    DPIA,
    RIGHTS_REQUEST,
    Entity,
    Requirement,
)

RULES = RuleSet()

BREACH_SCOPE, REQUEST, DPIA_SCOPE, CONTRACT_SCOPE = (
    Scope.BREACH,
    Scope.RIGHTS_REQUEST,
    Scope.DPIA,
    Scope.CONTRACT,
)


def _now(ctx: Context) -> dt.datetime:
    """The register's clock, or the end of ``ctx.today`` when the check was given a day only."""
    if ctx.now is not None:
        return ctx.now
    return dt.datetime.combine(ctx.today, dt.time(23, 59, 59))


# --------------------------------------------------------------------------------------------
# Mandatory fields of the companion registers, derived from the field schema
# --------------------------------------------------------------------------------------------

_DOCUMENTS: dict[str, tuple[str, str, str, Scope]] = {
    # entity name: (rule id prefix, what is documented (fr), (en), scope)
    "breach": (
        "breach",
        "La documentation d'une violation",
        "The documentation of a breach",
        BREACH_SCOPE,
    ),
    "rights_request": ("request", "Le suivi d'une demande", "The log of a request", REQUEST),
    "dpia": ("dpia-record", "Une analyse d'impact", "An impact assessment", DPIA_SCOPE),
    "contract": (
        "contract",
        "Le contrat de sous-traitance",
        "The processor contract",
        CONTRACT_SCOPE,
    ),
}


def _slug(key: str) -> str:
    return key.replace("_", "-")


def _mandatory_rule(entity: Entity, key: str) -> Rule:
    prefix, what_fr, what_en, scope = _DOCUMENTS[entity.name]
    spec = entity.field(key)
    reference = f"RGPD {spec.article}"

    def empty(record: Record, _ctx: Context) -> Sequence[Hit] | None:
        value = record[key]
        return fire() if value in (None, "", []) else MET

    return Rule(
        id=f"{prefix}-{_slug(key)}-missing",
        reference=reference,
        article=spec.article,
        severity=ERROR,
        scope=scope,
        roles=BOTH_ROLES,
        message_fr=f"À compléter : « {spec.label_fr} ».",
        message_en=f"Missing: “{spec.label_en}”.",
        detail_fr=f"{what_fr} indique « {spec.label_fr} » ({reference}) ; le champ est vide.",
        detail_en=(f"{what_en} gives “{spec.label_en}” (GDPR {spec.article}); the field is empty."),
        hint_fr=field_hint(spec, "fr"),
        hint_en=field_hint(spec, "en"),
        field=key,
        derived=True,
        check=empty,
    )


# The title of a record is required when it is saved, and the clauses of a contract are
# checked together by contract-clauses-missing: no derived rule for them.
for _entity in (BREACH, RIGHTS_REQUEST, DPIA, CONTRACT):
    for _spec in _entity.fields:
        if (
            _spec.requirement is Requirement.MANDATORY
            and _spec.key != _entity.title_field
            and _spec.key not in CONTRACT_CLAUSES
        ):
            RULES.add(_mandatory_rule(_entity, _spec.key))


# --------------------------------------------------------------------------------------------
# Breaches (Art. 33, 34)
# --------------------------------------------------------------------------------------------


Bilingual = dict[str, dict[str, str]]  # a detail given in both languages


def _clock_details(b: Record, ctx: Context) -> tuple[companion.BreachClock, Bilingual]:
    clock = companion.breach_clock(b, _now(ctx))
    return clock, {"clock": {"fr": clock.text("fr"), "en": clock.text("en")}}


@RULES.check(
    Rule(
        id="breach-72h-elapsed",
        reference="RGPD 33.1",
        article="33",
        severity=ERROR,
        scope=BREACH_SCOPE,
        roles=BOTH_ROLES,
        message_fr="Plus de 72 heures depuis la découverte, sans notification ni décision.",
        message_en="More than 72 hours since discovery, with no notification or decision.",
        detail_fr=(
            "Une violation est notifiée à la CNIL dans les 72 heures après en avoir pris "
            "connaissance, sauf si elle n'est pas susceptible d'engendrer un risque : cette "
            "décision est alors consignée avec ses motifs (RGPD 33.1, 33.5). {clock}."
        ),
        detail_en=(
            "A breach is notified to the CNIL within 72 hours of becoming aware of it, unless "
            "it is unlikely to result in a risk: that decision is then recorded with its "
            "reasons (GDPR 33(1), 33(5)). {clock}."
        ),
        hint_fr=(
            "Notifiez la violation sur le téléservice de la CNIL (et indiquez les motifs du "
            "retard), ou consignez la décision de ne pas notifier avec son motif."
        ),
        hint_en=(
            "Notify the breach on the CNIL's online service (with the reasons for the delay), "
            "or record the decision not to notify with its reason."
        ),
        field="notification",
    )
)
def _breach_overdue(b: Record, ctx: Context) -> Sequence[Hit] | None:
    clock, details = _clock_details(b, ctx)
    if clock.state is ClockState.UNKNOWN:
        return None
    return [(None, details)] if clock.state is ClockState.OVERDUE else MET


@RULES.check(
    Rule(
        id="breach-72h-running",
        reference="RGPD 33.1",
        article="33",
        severity=WARNING,
        scope=BREACH_SCOPE,
        roles=BOTH_ROLES,
        message_fr="Délai de notification en cours : {clock}.",
        message_en="Notification period running: {clock}.",
        detail_fr=(
            "Le délai de 72 heures de l'article 33.1 court depuis la découverte ; ni "
            "notification ni décision de ne pas notifier n'est encore consignée."
        ),
        detail_en=(
            "The 72 hours of Article 33(1) run from discovery; neither a notification nor a "
            "decision not to notify is recorded yet."
        ),
        hint_fr="Évaluez le risque, puis notifiez la CNIL ou consignez la décision motivée.",
        hint_en="Assess the risk, then notify the CNIL or record the reasoned decision.",
        field="notification",
    )
)
def _breach_running(b: Record, ctx: Context) -> Sequence[Hit] | None:
    clock, details = _clock_details(b, ctx)
    if clock.state is ClockState.UNKNOWN:
        return None
    return [(None, details)] if clock.state is ClockState.RUNNING else MET


@RULES.check(
    Rule(
        id="breach-late-without-reasons",
        reference="RGPD 33.1",
        article="33",
        severity=ERROR,
        scope=BREACH_SCOPE,
        roles=BOTH_ROLES,
        message_fr="Notification tardive sans les motifs du retard.",
        message_en="Late notification without the reasons for the delay.",
        detail_fr=(
            "Une notification faite après 72 heures est accompagnée des motifs du retard "
            "(RGPD 33.1). {clock}."
        ),
        detail_en=(
            "A notification made after 72 hours comes with the reasons for the delay "
            "(GDPR 33(1)). {clock}."
        ),
        hint_fr="Renseignez « Motifs du retard ».",
        hint_en="Fill in “Reasons for the delay”.",
        field="late_reason",
    )
)
def _breach_late(b: Record, ctx: Context) -> Sequence[Hit] | None:
    clock, details = _clock_details(b, ctx)
    if clock.state is not ClockState.NOTIFIED_LATE:
        return None
    return MET if b["late_reason"] else [(None, details)]


@RULES.check(
    Rule(
        id="breach-no-notification-without-reason",
        reference="RGPD 33.1, 33.5",
        article="33.5",
        severity=ERROR,
        scope=BREACH_SCOPE,
        roles=BOTH_ROLES,
        message_fr="Décision de ne pas notifier sans motif.",
        message_en="Decision not to notify without a reason.",
        detail_fr=(
            "Ne pas notifier n'est possible que si la violation n'est pas susceptible "
            "d'engendrer un risque ; la documentation doit permettre à la CNIL de vérifier ce "
            "choix (RGPD 33.5)."
        ),
        detail_en=(
            "Not notifying is only allowed when the breach is unlikely to result in a risk; "
            "the documentation must let the CNIL verify that choice (GDPR 33(5))."
        ),
        hint_fr="Renseignez « Motif de la non-notification » et « Décision prise le ».",
        hint_en="Fill in “Reason for not notifying” and “Decision taken”.",
        field="no_notification_reason",
    )
)
def _breach_no_reason(b: Record, _ctx: Context) -> Sequence[Hit] | None:
    if b["notification"] != "not_required":
        return None
    return MET if b["no_notification_reason"] else fire()


@RULES.check(
    Rule(
        id="breach-risk-not-notified",
        reference="RGPD 33.1",
        article="33",
        severity=WARNING,
        scope=BREACH_SCOPE,
        roles=BOTH_ROLES,
        message_fr="Un risque pour les personnes est retenu, mais la violation n'est pas notifiée.",
        message_en="A risk to people is recorded, yet the breach is not notified.",
        detail_fr=(
            "Seule une violation qui n'est pas susceptible d'engendrer un risque échappe à la "
            "notification (RGPD 33.1) ; le niveau de risque indiqué la contredit."
        ),
        detail_en=(
            "Only a breach unlikely to result in a risk escapes notification (GDPR 33(1)); "
            "the recorded risk level contradicts the decision."
        ),
        hint_fr="Notifiez la CNIL, ou corrigez le niveau de risque après réévaluation.",
        hint_en="Notify the CNIL, or correct the risk level after a new assessment.",
        field="risk_level",
    )
)
def _breach_risk_not_notified(b: Record, _ctx: Context) -> Sequence[Hit] | None:
    if b["notification"] != "not_required" or b["risk_level"] is None:
        return None
    return fire() if b["risk_level"] in ("risk", "high") else MET


@RULES.check(
    Rule(
        id="breach-high-risk-people-not-informed",
        reference="RGPD 34.1, 34.3",
        article="34",
        severity=ERROR,
        scope=BREACH_SCOPE,
        roles=BOTH_ROLES,
        message_fr="Risque élevé : les personnes concernées doivent être informées.",
        message_en="High risk: the people concerned must be informed.",
        detail_fr=(
            "Quand une violation est susceptible d'engendrer un risque élevé, les personnes "
            "sont informées dans les meilleurs délais (RGPD 34.1), sauf l'une des trois "
            "exceptions de l'article 34.3, à indiquer."
        ),
        detail_en=(
            "When a breach is likely to result in a high risk, the people are informed without "
            "undue delay (GDPR 34(1)), unless one of the three exceptions of Article 34(3) "
            "applies, to be stated."
        ),
        hint_fr="Informez les personnes et renseignez « Information des personnes ».",
        hint_en="Inform the people and fill in “Communication to people”.",
        field="communication",
    )
)
def _breach_people(b: Record, _ctx: Context) -> Sequence[Hit] | None:
    if b["risk_level"] != "high":
        return None
    return fire() if b["communication"] in (None, "not_required") else MET


@RULES.check(
    Rule(
        id="breach-notification-number-missing",
        reference="RGPD 33.5",
        article="33.5",
        severity=INFO,
        scope=BREACH_SCOPE,
        roles=BOTH_ROLES,
        message_fr="Le numéro de la notification à la CNIL n'est pas noté.",
        message_en="The number of the CNIL notification is not recorded.",
        detail_fr=(
            "Le numéro donné par le téléservice de la CNIL permet de compléter la notification "
            "et de la retrouver (RGPD 33.4, 33.5)."
        ),
        detail_en=(
            "The number given by the CNIL's online service lets you complete the notification "
            "and find it again (GDPR 33(4), 33(5))."
        ),
        hint_fr="Reportez le numéro dans « Numéro de notification ».",
        hint_en="Copy the number into “Notification number”.",
        field="notification_reference",
    )
)
def _breach_number(b: Record, _ctx: Context) -> Sequence[Hit] | None:
    if b["notified_at"] is None:
        return None
    return MET if b["notification_reference"] else fire()


# --------------------------------------------------------------------------------------------
# Rights requests (Art. 12)
# --------------------------------------------------------------------------------------------


def _limit_details(r: Record, ctx: Context) -> tuple[companion.RequestTimeLimit, Bilingual]:
    limit = companion.request_time_limit(r, ctx.today)
    return limit, {"limit": {"fr": limit.text("fr"), "en": limit.text("en")}}


@RULES.check(
    Rule(
        id="request-overdue",
        reference="RGPD 12.3",
        article="12",
        severity=ERROR,
        scope=REQUEST,
        roles=BOTH_ROLES,
        message_fr="Demande sans réponse après le délai : {limit}.",
        message_en="Request unanswered past its time limit: {limit}.",
        detail_fr=(
            "La réponse est donnée dans le mois qui suit la réception, délai prolongeable de "
            "deux mois en informant la personne dans le premier mois (RGPD 12.3)."
        ),
        detail_en=(
            "The answer is given within one month of receipt, extendable by two months if "
            "the person is told within the first month (GDPR 12(3))."
        ),
        hint_fr="Répondez sans attendre, puis renseignez « Réponse envoyée le ».",
        hint_en="Answer without delay, then fill in “Answered on”.",
        field="answered_on",
    )
)
def _request_overdue(r: Record, ctx: Context) -> Sequence[Hit] | None:
    limit, details = _limit_details(r, ctx)
    if limit.state not in (RequestState.OPEN, RequestState.OVERDUE):
        return None
    return [(None, details)] if limit.state is RequestState.OVERDUE else MET


@RULES.check(
    Rule(
        id="request-answered-late",
        reference="RGPD 12.3",
        article="12",
        severity=WARNING,
        scope=REQUEST,
        roles=BOTH_ROLES,
        message_fr="Réponse envoyée après le délai.",
        message_en="Answer sent after the time limit.",
        detail_fr="{limit} : le délai de l'article 12.3 n'a pas été tenu.",
        detail_en="{limit}: the time limit of Article 12(3) was not met.",
        hint_fr=(
            "Rien à corriger dans la fiche ; examinez pourquoi, pour tenir le délai la "
            "prochaine fois."
        ),
        hint_en="Nothing to correct in the record; look at why, to meet the limit next time.",
        field="answered_on",
    )
)
def _request_late(r: Record, ctx: Context) -> Sequence[Hit] | None:
    limit, details = _limit_details(r, ctx)
    if limit.state not in (RequestState.ANSWERED, RequestState.ANSWERED_LATE):
        return None
    return [(None, details)] if limit.state is RequestState.ANSWERED_LATE else MET


@RULES.check(
    Rule(
        id="request-extension-without-reason",
        reference="RGPD 12.3",
        article="12",
        severity=ERROR,
        scope=REQUEST,
        roles=BOTH_ROLES,
        message_fr="Délai prolongé sans motif.",
        message_en="Period extended without a reason.",
        detail_fr=(
            "La prolongation de deux mois tient à la complexité ou au nombre des demandes ; "
            "la personne en est informée avec les motifs du report (RGPD 12.3)."
        ),
        detail_en=(
            "The two-month extension depends on the complexity or number of requests; the "
            "person is told the reasons for the delay (GDPR 12(3))."
        ),
        hint_fr="Renseignez « Motif de la prolongation ».",
        hint_en="Fill in “Reason for the extension”.",
        field="extension_reason",
    )
)
def _request_extension_reason(r: Record, _ctx: Context) -> Sequence[Hit] | None:
    if not r["extended"]:
        return None
    return MET if r["extension_reason"] else fire()


@RULES.check(
    Rule(
        id="request-extension-not-told",
        reference="RGPD 12.3",
        article="12",
        severity=WARNING,
        scope=REQUEST,
        roles=BOTH_ROLES,
        message_fr="Le demandeur n'a pas été informé de la prolongation dans le premier mois.",
        message_en="The requester was not told of the extension within the first month.",
        detail_fr=(
            "La personne est informée de la prolongation et de ses motifs dans un délai d'un "
            "mois à compter de la réception de la demande (RGPD 12.3), soit au plus tard le "
            "{date}."
        ),
        detail_en=(
            "The person is told of the extension and its reasons within one month of receipt "
            "of the request (GDPR 12(3)), that is by {date}."
        ),
        hint_fr="Renseignez « Demandeur informé de la prolongation le ».",
        hint_en="Fill in “Requester informed of the extension on”.",
        field="extension_informed_on",
    )
)
def _request_extension_told(r: Record, ctx: Context) -> Sequence[Hit] | None:
    if not r["extended"]:
        return None
    limit = companion.request_time_limit(r, ctx.today)
    if limit.first_due_on is None:
        return None
    told = r["extension_informed_on"]
    if told is not None and told <= limit.first_due_on:
        return MET
    return fire(date=limit.first_due_on)


@RULES.check(
    Rule(
        id="request-refusal-without-reasons",
        reference="RGPD 12.4",
        article="12",
        severity=WARNING,
        scope=REQUEST,
        roles=BOTH_ROLES,
        message_fr="Refus sans motif ni voies de recours consignés.",
        message_en="Refusal without recorded reasons or remedies.",
        detail_fr=(
            "Quand une demande n'est pas satisfaite, la personne est informée des motifs et de "
            "la possibilité de saisir la CNIL ou un juge (RGPD 12.4)."
        ),
        detail_en=(
            "When a request is not acted on, the person is told the reasons and the "
            "possibility of complaining to the CNIL or a court (GDPR 12(4))."
        ),
        hint_fr="Résumez la réponse envoyée dans « Réponse ».",
        hint_en="Summarise the answer sent in “Answer”.",
        field="answer",
    )
)
def _request_refusal(r: Record, _ctx: Context) -> Sequence[Hit] | None:
    if r["outcome"] not in ("refused", "partial"):
        return None
    return MET if r["answer"] else fire()


# --------------------------------------------------------------------------------------------
# Impact assessments (Art. 35, 36)
# --------------------------------------------------------------------------------------------


@RULES.check(
    Rule(
        id="dpia-record-exemption-reference-missing",
        reference="RGPD 35.5",
        article="35",
        severity=ERROR,
        scope=DPIA_SCOPE,
        roles=BOTH_ROLES,
        message_fr="Exemption d'analyse d'impact sans sa référence.",
        message_en="Exemption from an impact assessment without its reference.",
        detail_fr=(
            "Seuls les traitements de la liste publiée par la CNIL (RGPD 35.5, délibération "
            "n° 2019-118) sont dispensés d'analyse ; l'exemption cite le point de la liste."
        ),
        detail_en=(
            "Only the operations on the CNIL's published list (GDPR 35(5), deliberation "
            "2019-118) are exempt; the exemption cites the item of the list."
        ),
        hint_fr="Renseignez « Référence de l'exemption ».",
        hint_en="Fill in “Exemption reference”.",
        field="exemption_reference",
    )
)
def _dpia_exemption(d: Record, _ctx: Context) -> Sequence[Hit] | None:
    if d["status"] != "exempt":
        return None
    return MET if d["exemption_reference"] else fire()


@RULES.check(
    Rule(
        id="dpia-record-dpo-advice-missing",
        reference="RGPD 35.2",
        article="35",
        severity=WARNING,
        scope=DPIA_SCOPE,
        roles=BOTH_ROLES,
        message_fr="L'avis du délégué sur l'analyse d'impact n'est pas consigné.",
        message_en="The DPO's advice on the impact assessment is not recorded.",
        detail_fr=(
            "Le responsable demande conseil au délégué lorsqu'il effectue une analyse d'impact "
            "(RGPD 35.2) ; l'avis et la suite donnée sont documentés."
        ),
        detail_en=(
            "The controller seeks the DPO's advice when carrying out an impact assessment "
            "(GDPR 35(2)); the advice and what was done with it are documented."
        ),
        hint_fr="Renseignez « Avis du délégué » et « Avis suivi ».",
        hint_en="Fill in “DPO's advice” and “Advice followed”.",
        field="dpo_advice",
    )
)
def _dpia_advice(d: Record, _ctx: Context) -> Sequence[Hit] | None:
    if d["status"] != "completed":
        return None
    return MET if d["dpo_advice"] else fire()


@RULES.check(
    Rule(
        id="dpia-record-advice-departure-unexplained",
        reference="RGPD 35.2, 39.1.c",
        article="35",
        severity=WARNING,
        scope=DPIA_SCOPE,
        roles=BOTH_ROLES,
        message_fr="L'avis du délégué n'est pas suivi, sans explication.",
        message_en="The DPO's advice is not followed, without explanation.",
        detail_fr=(
            "Quand le responsable s'écarte de l'avis du délégué sur une analyse d'impact, il "
            "en documente les raisons (RGPD 35.2, 39.1.c ; lignes directrices du CEPD)."
        ),
        detail_en=(
            "When the controller departs from the DPO's advice on an impact assessment, it "
            "documents why (GDPR 35(2), 39(1)(c); EDPB guidelines)."
        ),
        hint_fr="Renseignez « Raisons de ne pas suivre l'avis ».",
        hint_en="Fill in “Reasons for not following the advice”.",
        field="dpo_advice_departure",
    )
)
def _dpia_departure(d: Record, _ctx: Context) -> Sequence[Hit] | None:
    if d["dpo_advice_followed"] is not False:
        return None
    return MET if d["dpo_advice_departure"] else fire()


@RULES.check(
    Rule(
        id="dpia-record-prior-consultation-missing",
        reference="RGPD 36.1",
        article="36",
        severity=ERROR,
        scope=DPIA_SCOPE,
        roles=BOTH_ROLES,
        message_fr="Risque résiduel élevé : la CNIL doit être consultée avant le traitement.",
        message_en="High residual risk: the CNIL must be consulted before processing.",
        detail_fr=(
            "Quand l'analyse montre un risque élevé que les mesures ne suffisent pas à "
            "réduire, le responsable consulte la CNIL avant le traitement (RGPD 36.1)."
        ),
        detail_en=(
            "When the assessment shows a high risk the measures do not mitigate, the "
            "controller consults the CNIL prior to processing (GDPR 36(1))."
        ),
        hint_fr=(
            "Consultez la CNIL et renseignez « Consultation préalable de la CNIL », ou "
            "réduisez le risque et mettez à jour « Risque résiduel »."
        ),
        hint_en=(
            "Consult the CNIL and fill in “Prior consultation of the CNIL”, or reduce the risk "
            "and update “Residual risk”."
        ),
        field="prior_consultation",
    )
)
def _dpia_consultation(d: Record, _ctx: Context) -> Sequence[Hit] | None:
    if d["residual_risk"] not in ("significant", "maximum"):
        return None
    return MET if d["prior_consultation"] in ("requested", "done") else fire()


@RULES.check(
    Rule(
        id="dpia-record-review-overdue",
        reference="RGPD 35.11",
        article="35",
        severity=WARNING,
        scope=DPIA_SCOPE,
        roles=BOTH_ROLES,
        message_fr="La revue de l'analyse d'impact prévue le {date} n'a pas été faite.",
        message_en="The review of the impact assessment due on {date} has not been done.",
        detail_fr=(
            "L'analyse est revue au moins quand le risque évolue (RGPD 35.11) ; la date de "
            "revue fixée est passée."
        ),
        detail_en=(
            "The assessment is reviewed at least when the risk changes (GDPR 35(11)); the "
            "review date set has passed."
        ),
        hint_fr="Revoyez l'analyse, puis reportez « Prochaine revue ».",
        hint_en="Review the assessment, then move “Next review” forward.",
        field="next_review_on",
    )
)
def _dpia_review(d: Record, ctx: Context) -> Sequence[Hit] | None:
    review = d["next_review_on"]
    if review is None:
        return None
    return fire(date=review) if review < ctx.today else MET


def _needs_dpia(a: Record, ctx: Context) -> dict[str, object] | None:
    """Why ``a`` needs an impact assessment, or None: as the DPIA rules judge it
    (``registre.rules.dpia``: an Art. 35(3) case or a type of the CNIL's list, or two EDPB
    criteria neither ruled out in writing nor covered by an exemption of the CNIL's list)."""
    view = dpia_view(a, ctx)
    exempted = bool(a["dpia_exemption"]) and view.exemption_problem is None
    justified = a["dpia_status"] == "not_needed" and bool(a["dpia_conclusion"])
    if view.mandatory and not (exempted and justified):
        return {"criteria": list(view.criteria), "cnil_type": a["dpia_cnil_type"]}
    if view.likely and not exempted and not justified:
        return {"criteria": list(view.criteria), "cnil_type": a["dpia_cnil_type"]}
    return None


@RULES.check(
    Rule(
        id="dpia-record-missing",
        reference="RGPD 35.1, 35.3, 35.4",
        article="35",
        severity=ERROR,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Ce traitement demande une analyse d'impact terminée, absente du registre.",
        message_en="This processing needs a completed impact assessment, not in the register.",
        detail_fr=(
            "Critères du CEPD relevés : {criteria} ; type de la liste de la CNIL : {cnil_type}. "
            "Aucune analyse d'impact terminée (ni exemption référencée) ne couvre ce traitement "
            "dans le registre des analyses d'impact (RGPD 35.1, 35.4)."
        ),
        detail_en=(
            "EDPB criteria met: {criteria}; type on the CNIL's list: {cnil_type}. No completed "
            "impact assessment (nor referenced exemption) covers this processing in the "
            "register of impact assessments (GDPR 35(1), 35(4))."
        ),
        hint_fr=(
            "Dans l'onglet « Analyses d'impact », ajoutez l'analyse de ce traitement et "
            "passez-la à « Terminée » une fois faite."
        ),
        hint_en=(
            "In the “Impact assessments” tab, add this processing's assessment and set it to "
            "“Completed” once done."
        ),
        field="dpia_status",
    )
)
def _dpia_record_missing(a: Record, ctx: Context) -> Sequence[Hit] | None:
    details = _needs_dpia(a, ctx)
    if details is None:
        return None
    if any(companion.dpia_covers(record) for record in a.get("dpia_records", ())):
        return MET
    return [(None, details)]


# --------------------------------------------------------------------------------------------
# Processor contracts (Art. 28)
# --------------------------------------------------------------------------------------------


def _covering(processor: Record, activity_id: str) -> list[Record]:
    """The contracts of ``processor`` that cover the activity (all of them when none is
    limited to some activities)."""
    return [
        contract
        for contract in processor.get("contracts", ())
        if not contract["activities"] or activity_id in contract["activities"]
    ]


@RULES.check(
    Rule(
        id="contract-missing",
        reference="RGPD 28.3",
        article="28",
        severity=ERROR,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Pas de contrat de sous-traitance au registre pour « {processor} ».",
        message_en="No processor contract in the register for “{processor}”.",
        detail_fr=(
            "Le traitement par un sous-traitant est régi par un contrat ou un autre acte "
            "juridique (RGPD 28.3) ; aucun contrat de « {processor} » couvrant ce traitement "
            "n'est enregistré."
        ),
        detail_en=(
            "Processing by a processor is governed by a contract or other legal act (GDPR "
            "28(3)); no contract of “{processor}” covering this processing is recorded."
        ),
        hint_fr="Dans l'onglet « Contrats », ajoutez le contrat de ce sous-traitant.",
        hint_en="In the “Contracts” tab, add this processor's contract.",
        field="processors",
        counts_for_score=True,
    )
)
def _contract_missing(a: Record, _ctx: Context) -> Sequence[Hit] | None:
    if not a["processors"]:
        return None
    return [(None, {"processor": p["name"]}) for p in a["processors"] if not _covering(p, a["id"])]


@RULES.check(
    Rule(
        id="contract-not-sound",
        reference="RGPD 28.3",
        article="28",
        severity=ERROR,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Le contrat de « {processor} » est incomplet ou échu.",
        message_en="The contract of “{processor}” is incomplete or has ended.",
        detail_fr=(
            "Le contrat est signé, comporte les clauses de l'article 28.3 a) à h) et est en "
            "vigueur ; « {contract} » : {problem}."
        ),
        detail_en=(
            "The contract is signed, contains the clauses of Article 28(3)(a) to (h) and is in "
            "force; “{contract}”: {problem}."
        ),
        hint_fr="Faites signer un avenant ou un nouveau contrat, puis mettez la fiche à jour.",
        hint_en="Have an amendment or a new contract signed, then update the record.",
        field="processors",
        counts_for_score=True,
    )
)
def _contract_not_sound(a: Record, ctx: Context) -> Sequence[Hit] | None:
    hits: list[Hit] = []
    applicable = False
    for processor in a["processors"]:
        contracts = _covering(processor, a["id"])
        if not contracts:
            continue
        applicable = True
        if any(companion.contract_is_sound(c, ctx.today) for c in contracts):
            continue
        contract = contracts[0]
        fr, en = _contract_problem(contract, ctx.today)
        hits.append(
            (
                None,
                {
                    "processor": processor["name"],
                    "contract": contract["title"],
                    "problem": {"fr": fr, "en": en},
                },
            )
        )
    return hits if applicable else None


def _contract_problem(contract: Record, today: dt.date) -> tuple[str, str]:
    """What keeps ``contract`` from covering the processing: ended, clauses, no signature."""
    if not companion.contract_in_force(contract, today):
        ended = contract["ends_on"]
        return f"échu le {short_date(ended)}", f"ended on {short_date(ended, 'en')}"
    problems: list[tuple[str, str]] = []
    missing = companion.missing_clauses(contract)
    if missing:
        letters = ", ".join(key[-1] for key in missing)
        problems.append((f"clauses manquantes : {letters}", f"missing clauses: {letters}"))
    if contract.get("signed_on") is None:
        problems.append(
            (
                "date de signature à renseigner, rien ne montre qu'il a été signé",
                "signature date to be filled in, nothing shows it was signed",
            )
        )
    return "; ".join(fr for fr, _en in problems), "; ".join(en for _fr, en in problems)


@RULES.check(
    Rule(
        id="contract-clauses-missing",
        reference="RGPD 28.3",
        article="28",
        severity=ERROR,
        scope=CONTRACT_SCOPE,
        roles=BOTH_ROLES,
        message_fr="Clauses de l'article 28.3 absentes du contrat : {letters}.",
        message_en="Clauses of Article 28(3) missing from the contract: {letters}.",
        detail_fr=(
            "Le contrat prévoit notamment les points a) à h) de l'article 28.3 (instructions "
            "documentées, confidentialité, sécurité, sous-traitance ultérieure, aide pour les "
            "droits et pour les articles 32 à 36, sort des données, audits) ; manquent : "
            "{letters}."
        ),
        detail_en=(
            "The contract stipulates in particular points (a) to (h) of Article 28(3) "
            "(documented instructions, confidentiality, security, sub-processing, assistance "
            "with rights and Articles 32 to 36, end of the contract, audits); missing: "
            "{letters}."
        ),
        hint_fr="Vérifiez le contrat et cochez les clauses présentes ; sinon, faites un avenant.",
        hint_en="Check the contract and tick the clauses present; otherwise, amend it.",
        field=CONTRACT_CLAUSES[0],
    )
)
def _contract_clauses(c: Record, _ctx: Context) -> Sequence[Hit] | None:
    missing = companion.missing_clauses(c)
    return fire(letters=", ".join(key[-1] for key in missing)) if missing else MET


@RULES.check(
    Rule(
        id="contract-dates-missing",
        reference="RGPD 28.3, 28.9",
        article="28",
        severity=WARNING,
        scope=CONTRACT_SCOPE,
        roles=BOTH_ROLES,
        message_fr="Contrat sans date : {dates}.",
        message_en="Undated contract: {dates}.",
        detail_fr=(
            "Le contrat est écrit (RGPD 28.9) et fixe la durée du traitement (RGPD 28.3) ; "
            "sans sa date de signature, le registre ne montre ni qu'il est conclu ni depuis "
            "quand il s'applique, même si ses clauses sont complètes."
        ),
        detail_en=(
            "The contract is in writing (GDPR 28(9)) and sets out the duration of the "
            "processing (GDPR 28(3)); without its signature date, the register shows neither "
            "that it was concluded nor since when it applies, even with complete clauses."
        ),
        hint_fr="Reportez « Signé le » et, s'il en a une, la « Fin » du contrat signé.",
        hint_en="Copy “Signed on” and, if it has one, the “End” of the signed contract.",
        field="signed_on",
    )
)
def _contract_dates(c: Record, _ctx: Context) -> Sequence[Hit] | None:
    if not companion.missing_dates(c):
        return MET
    return fire(dates={lang: companion.missing_dates_text(c, lang) for lang in ("fr", "en")})


@RULES.check(
    Rule(
        id="contract-ended",
        reference="RGPD 28.3",
        article="28",
        severity=WARNING,
        scope=CONTRACT_SCOPE,
        roles=BOTH_ROLES,
        message_fr="Le contrat a pris fin le {date}.",
        message_en="The contract ended on {date}.",
        detail_fr=(
            "Un sous-traitant qui traite encore des données doit être lié par un contrat en "
            "vigueur (RGPD 28.3)."
        ),
        detail_en="A processor still processing data must be bound by a contract in force.",
        hint_fr="Renouvelez le contrat, ou retirez ce sous-traitant des traitements.",
        hint_en="Renew the contract, or remove the processor from the activities.",
        field="ends_on",
    )
)
def _contract_ended(c: Record, ctx: Context) -> Sequence[Hit] | None:
    if c["ends_on"] is None:
        return None
    return MET if companion.contract_in_force(c, ctx.today) else fire(date=c["ends_on"])


@RULES.check(
    Rule(
        id="contract-us-without-dpf",
        reference="RGPD 45, 46",
        article="44",
        severity=WARNING,
        scope=CONTRACT_SCOPE,
        roles=BOTH_ROLES,
        message_fr="Traitement aux États-Unis sans certification Data Privacy Framework.",
        message_en="Processing in the United States without Data Privacy Framework certification.",
        detail_fr=(
            "La décision d'adéquation du 10 juillet 2023 ne couvre que les organisations "
            "certifiées au titre du Data Privacy Framework ; à défaut, des clauses "
            "contractuelles types ou une autre garantie de l'article 46 sont nécessaires."
        ),
        detail_en=(
            "The adequacy decision of 10 July 2023 only covers organisations certified under "
            "the Data Privacy Framework; otherwise standard contractual clauses or another "
            "Article 46 safeguard are needed."
        ),
        hint_fr=(
            "Vérifiez la certification sur la liste du Data Privacy Framework, ou documentez "
            "les clauses types dans le transfert du traitement."
        ),
        hint_en=(
            "Check the certification on the Data Privacy Framework list, or document the "
            "standard clauses in the activity's transfer."
        ),
        field="dpf_certified",
    )
)
def _contract_dpf(c: Record, _ctx: Context) -> Sequence[Hit] | None:
    if "US" not in c["processing_countries"]:
        return None
    return MET if c["dpf_certified"] is True else fire()


@RULES.check(
    Rule(
        id="contract-outside-eu-without-adequacy",
        reference="RGPD 44, 46",
        article="44",
        severity=WARNING,
        scope=CONTRACT_SCOPE,
        roles=BOTH_ROLES,
        message_fr="Données traitées hors de l'UE sans décision d'adéquation : {countries}.",
        message_en="Data processed outside the EU without an adequacy decision: {countries}.",
        detail_fr=(
            "Un transfert vers un pays sans décision d'adéquation exige une garantie de "
            "l'article 46 (clauses contractuelles types…), à décrire dans les transferts du "
            "traitement (RGPD 30.1.e)."
        ),
        detail_en=(
            "A transfer to a country without an adequacy decision requires an Article 46 "
            "safeguard (standard contractual clauses…), described in the activity's transfers "
            "(GDPR 30(1)(e))."
        ),
        hint_fr="Vérifiez les garanties du contrat et déclarez le transfert dans le traitement.",
        hint_en="Check the contract's safeguards and declare the transfer in the activity.",
        field="processing_countries",
    )
)
def _contract_outside(c: Record, ctx: Context) -> Sequence[Hit] | None:
    countries = [x for x in c["processing_countries"] if x != "US"]
    if not countries:
        return None
    facts = ctx.facts
    outside = [x for x in countries if x not in facts.gdpr_territory and x not in facts.adequacy]
    return fire(countries=", ".join(outside)) if outside else MET


@RULES.check(
    Rule(
        id="contract-subprocessors-unlisted",
        reference="RGPD 28.2, 28.4",
        article="28",
        severity=INFO,
        scope=CONTRACT_SCOPE,
        roles=BOTH_ROLES,
        message_fr="Sous-traitance ultérieure autorisée, sous-traitants ultérieurs non listés.",
        message_en="Sub-processing allowed, but the sub-processors are not listed.",
        detail_fr=(
            "Le sous-traitant informe le responsable de tout recrutement d'un sous-traitant "
            "ultérieur (RGPD 28.2) ; les garder à jour permet d'exercer le droit d'objection."
        ),
        detail_en=(
            "The processor informs the controller of any sub-processor engaged (GDPR 28(2)); "
            "keeping the list up to date lets you object."
        ),
        hint_fr="Renseignez « Sous-traitants ultérieurs ».",
        hint_en="Fill in “Sub-processors”.",
        field="subprocessors",
    )
)
def _contract_subprocessors(c: Record, _ctx: Context) -> Sequence[Hit] | None:
    if c["subprocessing"] not in ("general", "specific"):
        return None
    return MET if c["subprocessors"] else fire()
