"""Rules on keeping a record up to date: reviews and validation."""

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
        id="review-overdue",
        reference="RGPD 24.1, 5.2",
        article="30",
        severity=WARNING,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="La date de revue de la fiche est dépassée ({date}).",
        message_en="The record's review date has passed ({date}).",
        detail_fr=(
            "Prochaine revue prévue le {date} : les mesures sont réexaminées et actualisées si "
            "nécessaire (RGPD 24.1), et le registre doit rester exact."
        ),
        detail_en=(
            "Next review planned on {date}: measures are reviewed and updated where necessary "
            "(GDPR 24(1)), and the record must stay accurate."
        ),
        hint_fr="Relisez la fiche avec le service, puis fixez une nouvelle « Prochaine revue ».",
        hint_en="Review the record with the department, then set a new “Next review”.",
        field="next_review_on",
        needs="next_review_on",
    )
)
def _review_overdue(a: Record, ctx: Context) -> Sequence[Hit] | None:
    due = a["next_review_on"]
    if due is None:
        return None
    return fire(date=due) if due < ctx.today else MET


@RULES.check(
    Rule(
        id="validated-incomplete",
        reference="RGPD 30, 5.2",
        article="30",
        severity=WARNING,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="Fiche validée alors que le contrôle y relève des erreurs.",
        message_en="Record validated although the check finds errors in it.",
        detail_fr=(
            "La fiche est « validée par le DPO » mais le contrôle y relève {count} erreur(s) : "
            "la validation ne correspond plus au contenu."
        ),
        detail_en=(
            "The record is “validated by the DPO” but the check finds {count} error(s) in it: "
            "the validation no longer matches the content."
        ),
        hint_fr="Corrigez les erreurs de la fiche, puis faites-la valider à nouveau.",
        hint_en="Fix the record's errors, then have it validated again.",
        field="status",
    )
)
def _validated_incomplete(a: Record, ctx: Context) -> Sequence[Hit] | None:
    # Runs last for each activity: ctx.errors counts the errors found on it.
    if a["status"] != "validated":
        return None
    return fire(count=ctx.errors) if ctx.errors else MET
