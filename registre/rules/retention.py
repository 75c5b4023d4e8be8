"""Rules on retention periods and the data of each category (30.1.c, 30.1.f)."""

from __future__ import annotations

from collections.abc import Sequence

from registre.loader import Record
from registre.presentation import duration_text
from registre.rules.base import (
    ACT,
    ERROR,
    INFO,
    WARNING,
    Hit,
    Rule,
    RuleSet,
)
from registre.rules.derived import field_hint
from registre.rules.facts import UNIT_DAYS, Context
from registre.schema import ACTIVITY, CONTROLLER_ONLY

_DC = ACTIVITY.collection("data_categories").entity
RULES = RuleSet()


def _has_retention(row: Record) -> bool:
    unit = row["retention_unit"]
    return unit == "unlimited" or (unit is not None and row["retention_value"] is not None)


# What each row-by-row retention rule finds, computed in one pass over the rows.
MISSING, UNLIMITED, NO_START, NO_DISPOSITION, NO_DETAILS = range(5)


def _row_hits(a: Record, ctx: Context) -> tuple[list[Hit], ...]:
    """Per rule (MISSING, UNLIMITED…), the rows it finds (remembered for the activity)."""
    found: tuple[list[Hit], ...] | None = ctx.memo.get("retention")
    if found is not None:
        return found
    found = ([], [], [], [], [])
    for index, row in enumerate(a["data_categories"], 1):
        unit = row["retention_unit"]
        if unit == "unlimited":
            kinds = [] if row["final_disposition"] == "archives" else [UNLIMITED]
        elif unit is None or row["retention_value"] is None:
            kinds = [MISSING]
        elif not row["retention_start"]:
            kinds = [NO_START]
        else:
            kinds = []
        if not row["final_disposition"]:
            kinds.append(NO_DISPOSITION)
        if not row["details"]:
            kinds.append(NO_DETAILS)
        if kinds:  # most rows have none: their details are not built
            hit = (row["id"], {"position": index, "category": row["category"]})
            for kind in kinds:
                found[kind].append(hit)
    ctx.memo["retention"] = found
    return found


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
        needs="data_categories",
    )
)
def _retention_missing(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not a["data_categories"] or a["general_retention"]:
        return None
    return _row_hits(a, ctx)[MISSING]


@RULES.check(
    Rule(
        id="retention-only-general",
        reference="RGPD 30.1.f (bonne pratique)",
        article="30.1.f",
        severity=INFO,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Seule la durée générale vaut pour « {category} ».",
        message_en="Only the general period applies to “{category}”.",
        detail_fr=(
            "Une durée unique qui couvre toutes les catégories de données satisfait l'article "
            "30.1.f ; la répéter dans la ligne {position} (« {category} »), avec son point de "
            "départ et son sort final, rend le registre plus clair et vérifiable."
        ),
        detail_en=(
            "One period covering every category of data meets Article 30(1)(f); repeating it "
            "in row {position} (“{category}”), with its starting point and final disposition, "
            "makes the record clearer and easier to check."
        ),
        hint_fr=(
            "Si la durée générale vaut aussi pour cette catégorie, reportez-la dans sa ligne ; "
            "sinon indiquez la durée propre à la catégorie."
        ),
        hint_en="If the general period applies to this category too, give it in its row.",
        field="data_categories.retention_value",
        needs="data_categories",
    )
)
def _retention_only_general(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not a["data_categories"] or not a["general_retention"]:
        return None
    return _row_hits(a, ctx)[MISSING]


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
        needs="data_categories",
    )
)
def _retention_unlimited(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not a["data_categories"]:
        return None
    return _row_hits(a, ctx)[UNLIMITED]


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
        needs="data_categories",
    )
)
def _retention_start(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not a["data_categories"]:
        return None
    return _row_hits(a, ctx)[NO_START]


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
        needs="data_categories",
    )
)
def _retention_disposition(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not a["data_categories"]:
        return None
    return _row_hits(a, ctx)[NO_DISPOSITION]


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
        needs="data_categories",
    )
)
def _category_details(a: Record, ctx: Context) -> Sequence[Hit] | None:
    if not a["data_categories"]:
        return None
    return _row_hits(a, ctx)[NO_DETAILS]


def _days(row: Record) -> float:
    """The row's period in days (unlimited: infinite); None values are never compared."""
    if row["retention_unit"] == "unlimited":
        return float("inf")
    return float(row["retention_value"]) * UNIT_DAYS[row["retention_unit"]]


@RULES.check(
    Rule(
        id="retention-over-maximum",
        reference="RGPD 5.1.e, 30.1.f ; durée maximale fixée par un texte (voir la règle)",
        article="30.1.f",
        severity=WARNING,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="Durée plus longue que le maximum légal pour « {category} » ({limit}).",
        message_en="Period longer than the legal maximum for “{category}” ({limit}).",
        detail_fr=(
            "{limit} : au plus {maximum} ({source}) ; la ligne {position} (« {category} ») "
            "indique une durée plus longue."
        ),
        detail_en=(
            "{limit}: at most {maximum} ({source}); row {position} (“{category}”) gives a "
            "longer period."
        ),
        hint_fr="Ramenez la durée au maximum fixé par le texte (ou en deçà).",
        hint_en="Bring the period down to the maximum set by the text (or below).",
        field="data_categories.retention_value",
        needs="data_categories",
    )
)
def _retention_over_maximum(a: Record, ctx: Context) -> Sequence[Hit] | None:
    limits = ctx.facts.retention_limits
    if not a["data_categories"] or not limits:
        return None
    subjects = {row["category"] for row in a["data_subjects"]}
    categories = {row["category"] for row in a["data_categories"]}
    kind = ctx.organisation.get("kind")
    applying = [
        limit
        for limit in limits
        if limit.condition.holds(a["dpia_criteria"] or (), subjects, categories, kind)
    ]
    if not applying:
        return None
    hits: list[Hit] = []
    for index, row in enumerate(a["data_categories"], 1):
        if not _has_retention(row):
            continue
        for limit in applying:
            if row["category"] in limit.categories and _days(row) > limit.max_days:
                hits.append(
                    (
                        row["id"],
                        {
                            "position": index,
                            "category": row["category"],
                            "limit": limit.label,
                            "maximum": {
                                lang: duration_text(limit.max_value, limit.max_unit, lang)
                                for lang in ("fr", "en")
                            },
                            "source": limit.reference,
                        },
                    )
                )
    return hits


@RULES.check(
    Rule(
        id="data-category-other-unspecified",
        reference="RGPD 30.1.c",
        article="30.1.c",
        severity=ERROR,
        scope=ACT,
        roles=CONTROLLER_ONLY,
        message_fr="« Autres données » sans précision, ligne {position}.",
        message_en="“Other data” without details, row {position}.",
        detail_fr=(
            "Le registre décrit les catégories de données (RGPD 30.1.c) : la catégorie « Autres "
            "données (à préciser) » de la ligne {position} ne dit pas lesquelles."
        ),
        detail_en=(
            "The record describes the categories of data (GDPR 30.1.c): the category “Other "
            "data (to be specified)” of row {position} does not say which."
        ),
        hint_fr=field_hint(_DC.field("details"), "fr"),
        hint_en=field_hint(_DC.field("details"), "en"),
        field="data_categories.details",
        counts_for_score=True,
        needs="data_categories",
    )
)
def _other_unspecified(a: Record, _ctx: Context) -> Sequence[Hit] | None:
    rows = [(i, row) for i, row in enumerate(a["data_categories"], 1) if row["category"] == "other"]
    if not rows:
        return None
    return [(row["id"], {"position": i}) for i, row in rows if not row["details"]]
