"""Rules on retention periods and the data of each category (30.1.c, 30.1.f)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from registre.loader import Record
from registre.rules.base import (
    ACT,
    INFO,
    WARNING,
    Hit,
    Rule,
    RuleSet,
)
from registre.rules.derived import field_hint
from registre.rules.facts import Context
from registre.schema import ACTIVITY, CONTROLLER_ONLY

_DC = ACTIVITY.collection("data_categories").entity
RULES = RuleSet()


def _has_retention(row: Record) -> bool:
    unit = row["retention_unit"]
    return unit == "unlimited" or (unit is not None and row["retention_value"] is not None)


def _category_hits(a: Record, test: Callable[[Record], bool]) -> list[Hit]:
    return [
        (row["id"], {"position": index, "category": row["category"]})
        for index, row in enumerate(a["data_categories"], 1)
        if test(row)
    ]


def _without_retention(row: Record) -> bool:
    return not _has_retention(row)


@RULES.check(
    Rule(
        id="retention-missing",
        reference="RGPD 30.1.f",
        article="30.1.f",
        severity=WARNING,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Durée de conservation non indiquée pour « {category} ».",
        message_en="No retention period for “{category}”.",
        detail_fr=(
            "Le registre indique, dans la mesure du possible, les délais d'effacement des "
            "différentes catégories de données (RGPD 30.1.f) ; la ligne {position} "
            "(« {category} ») n'a pas de durée complète (nombre et unité)."
        ),
        detail_en=(
            "The record gives, where possible, the time limits for erasure of the different "
            "categories of data (GDPR 30.1.f); row {position} (“{category}”) has no complete "
            "period (number and unit)."
        ),
        hint_fr=(
            "Indiquez la durée (nombre et unité) et son point de départ ; les instructions de "
            "tri des Archives de France donnent les durées d'utilité administrative."
        ),
        hint_en=(
            "Give the period (number and unit) and when it starts; the French archives' sorting "
            "instructions give the administrative retention periods."
        ),
        field="data_categories.retention_value",
        counts_for_score=True,
    )
)
def _retention_missing(a: Record, _ctx: Context) -> Sequence[Hit] | None:
    if not a["data_categories"] or a["general_retention"]:
        return None
    return _category_hits(a, _without_retention)


@RULES.check(
    Rule(
        id="retention-only-general",
        reference="RGPD 30.1.f",
        article="30.1.f",
        severity=WARNING,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Durée générale indiquée, mais pas pour « {category} ».",
        message_en="A general period is given, but not one for “{category}”.",
        detail_fr=(
            "L'article 30.1.f demande les délais d'effacement des différentes catégories de "
            "données : la durée générale du traitement ne suffit pas pour la ligne {position} "
            "(« {category} »)."
        ),
        detail_en=(
            "Article 30.1.f asks for the time limits of the different categories of data: the "
            "activity's general period is not enough for row {position} (“{category}”)."
        ),
        hint_fr=(
            "Reportez la durée dans la ligne de cette catégorie, même si elle est identique à la "
            "durée générale."
        ),
        hint_en="Give the period in this category's row, even if it equals the general one.",
        field="data_categories.retention_value",
        counts_for_score=True,
    )
)
def _retention_only_general(a: Record, _ctx: Context) -> Sequence[Hit] | None:
    if not a["data_categories"] or not a["general_retention"]:
        return None
    return _category_hits(a, _without_retention)


@RULES.check(
    Rule(
        id="retention-unlimited",
        reference="RGPD 30.1.f, 5.1.e, 89 ; code du patrimoine, art. L212-2",
        article="30.1.f",
        severity=WARNING,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Conservation sans limite pour « {category} ».",
        message_en="Unlimited retention for “{category}”.",
        detail_fr=(
            "Une durée illimitée n'est pas un délai d'effacement (RGPD 30.1.f, limitation de la "
            "conservation 5.1.e), sauf pour des archives publiques conservées à titre définitif "
            "dans l'intérêt public (RGPD 5.1.e et 89 ; code du patrimoine, art. L211-2 et "
            "L212-2) : le sort final le dit alors (« conservation définitive »)."
        ),
        detail_en=(
            "An unlimited period is not a time limit for erasure (GDPR 30.1.f, storage "
            "limitation 5.1.e), except for public records kept permanently in the public "
            "interest (GDPR 5.1.e and 89; French Heritage Code, Art. L211-2 and L212-2): the "
            "final disposition then says so (“permanent keeping”)."
        ),
        hint_fr=(
            "Remplacez « sans limite » par la durée d'utilité administrative et choisissez le "
            "« Sort final » ; pour des archives conservées à titre définitif, choisissez ce sort "
            "final."
        ),
        hint_en=(
            "Replace “unlimited” with the administrative retention period and choose the "
            "“Final disposition”; for records kept permanently, choose that disposition."
        ),
        field="data_categories.retention_unit",
        counts_for_score=True,
    )
)
def _retention_unlimited(a: Record, _ctx: Context) -> Sequence[Hit] | None:
    if not a["data_categories"]:
        return None
    return _category_hits(
        a,
        lambda row: row["retention_unit"] == "unlimited" and row["final_disposition"] != "archives",
    )


@RULES.check(
    Rule(
        id="retention-start-missing",
        reference="RGPD 30.1.f (bonne pratique)",
        article="30.1.f",
        severity=INFO,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Point de départ de la durée non indiqué pour « {category} ».",
        message_en="No starting point for the period of “{category}”.",
        detail_fr=(
            "Une durée sans point de départ (« à compter de la clôture du dossier »…) ne "
            "permet pas de dater l'effacement (RGPD 30.1.f, 5.1.e)."
        ),
        detail_en=(
            "A period without a starting point (“from the closing of the file”…) does not "
            "date the erasure (GDPR 30.1.f, 5.1.e)."
        ),
        hint_fr=field_hint(_DC.field("retention_start"), "fr"),
        hint_en=field_hint(_DC.field("retention_start"), "en"),
        field="data_categories.retention_start",
    )
)
def _retention_start(a: Record, _ctx: Context) -> Sequence[Hit] | None:
    if not a["data_categories"]:
        return None
    return _category_hits(
        a,
        lambda row: (
            _has_retention(row)
            and row["retention_unit"] != "unlimited"
            and not row["retention_start"]
        ),
    )


@RULES.check(
    Rule(
        id="retention-disposition-missing",
        reference="RGPD 30.1.f ; code du patrimoine, art. L212-2",
        article="30.1.f",
        severity=INFO,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Sort final non indiqué pour « {category} ».",
        message_en="No final disposition for “{category}”.",
        detail_fr=(
            "À l'issue de la durée d'utilité administrative, une archive publique est détruite "
            "(avec le visa des Archives départementales), triée ou versée aux archives (code du "
            "patrimoine, art. L212-2 et suivants) : le registre le précise."
        ),
        detail_en=(
            "When the administrative retention period ends, a public record is destroyed (with "
            "the approval of the departmental archives), sorted or transferred to the archives "
            "(French Heritage Code, Art. L212-2 ff.): the record says which."
        ),
        hint_fr=field_hint(_DC.field("final_disposition"), "fr"),
        hint_en=field_hint(_DC.field("final_disposition"), "en"),
        field="data_categories.final_disposition",
    )
)
def _retention_disposition(a: Record, _ctx: Context) -> Sequence[Hit] | None:
    if not a["data_categories"]:
        return None
    return _category_hits(a, lambda row: not row["final_disposition"])


@RULES.check(
    Rule(
        id="data-categories-details-missing",
        reference="RGPD 30.1.c (bonne pratique)",
        article="30.1.c",
        severity=INFO,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Données précises non indiquées pour « {category} ».",
        message_en="The exact data are not listed for “{category}”.",
        detail_fr=(
            "Lister les données réellement collectées, comme le fait le modèle de registre de "
            "la CNIL, précise la description exigée par l'article 30.1.c et permet de contrôler "
            "la minimisation (RGPD 5.1.c)."
        ),
        detail_en=(
            "Listing the data actually collected, as the CNIL's model register does, makes the "
            "description required by Article 30.1.c precise and allows checking data "
            "minimisation (GDPR 5.1.c)."
        ),
        hint_fr=field_hint(_DC.field("details"), "fr"),
        hint_en=field_hint(_DC.field("details"), "en"),
        field="data_categories.details",
    )
)
def _category_details(a: Record, _ctx: Context) -> Sequence[Hit] | None:
    if not a["data_categories"]:
        return None
    return _category_hits(a, lambda row: not row["details"])
