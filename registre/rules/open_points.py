"""Rules on the points left to see with the DPO (« Je ne sais pas » in the declaration)."""

from __future__ import annotations

from collections.abc import Sequence

from registre.loader import Record
from registre.rules.base import ACT, MET, WARNING, Hit, Rule, RuleSet, fire
from registre.rules.facts import Context
from registre.schema import BOTH_ROLES

RULES = RuleSet()


@RULES.check(
    Rule(
        id="todos-open",
        reference="RGPD 30, 39.1",
        article="30",
        severity=WARNING,
        scope=ACT,
        roles=BOTH_ROLES,
        message_fr="{count} point(s) à voir avec le DPO reste(nt) ouvert(s).",
        message_en="{count} point(s) to check with the DPO remain open.",
        detail_fr=(
            "La déclaration a laissé des questions au DPO (« Je ne sais pas ») : {questions}. "
            "Tant qu'elles restent ouvertes, la fiche n'est pas confirmée sur ces points."
        ),
        detail_en=(
            "The declaration left questions to the DPO (“I don't know”): {questions}. While "
            "they stay open, the record is not confirmed on these points."
        ),
        hint_fr=(
            "Répondez à chaque question dans la fiche, puis marquez le point comme vu dans "
            "« Points à voir avec le DPO »."
        ),
        hint_en=(
            "Answer each question in the record, then mark the point as seen under “Points "
            "to check with the DPO”."
        ),
        field="description",
    )
)
def _todos_open(a: Record, ctx: Context) -> Sequence[Hit] | None:
    texts = a.get("open_todos")
    if texts is None:
        return None  # a record that does not carry its to-dos (a declaration being written)
    questions = " ; ".join(f"« {text} »" for text in texts)
    return fire(count=len(texts), questions=questions) if texts else MET
