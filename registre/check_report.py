"""A check report written for people (``report_text``) and for machines (``report_json``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from registre.audit import jsonable
from registre.rules import SEVERITY_LABELS, SEVERITY_ORDER, article_sort_key, article_title
from registre.rules.base import display_date, in_lang
from registre.schema import COMPANION_REGISTERS, ENTITIES, Role

if TYPE_CHECKING:
    from registre.checker import CheckReport, Finding


def _plural(count: int, lang: str, fr: tuple[str, str], en: tuple[str, str]) -> str:
    singular, plural = en if lang == "en" else fr
    # French uses the singular for 0 and 1 ("0 erreur"), English only for 1.
    one = count == 1 if lang == "en" else count <= 1
    return f"{count} {singular if one else plural}"


def counts_text(counts: dict[str, int], lang: str = "fr") -> str:
    """The counts by severity in words: « 2 erreurs, 1 avertissement, 0 conseil »."""
    return ", ".join(
        (
            _plural(counts["error"], lang, ("erreur", "erreurs"), ("error", "errors")),
            _plural(
                counts["warning"],
                lang,
                ("avertissement", "avertissements"),
                ("warning", "warnings"),
            ),
            _plural(
                counts["info"],
                lang,
                ("conseil", "conseils"),
                ("piece of advice", "pieces of advice"),
            ),
        )
    )


_ROLE_TEXT = {
    Role.CONTROLLER.value: ("responsable de traitement", "controller"),
    Role.PROCESSOR.value: ("sous-traitant", "processor"),
}


def _record_heading(finding: Finding, report: CheckReport, lang: str) -> str:
    name = finding.record_name
    if finding.entity == "organisation":
        return in_lang(lang, f"Organisme « {name} »", f"Organisation “{name}”")
    if finding.entity == "processor":
        return in_lang(lang, f"Sous-traitant « {name} »", f"Processor “{name}”")
    if finding.entity == "software":
        return in_lang(lang, f"Logiciel « {name} »", f"Software “{name}”")
    if finding.entity in COMPANION_REGISTERS:
        entity = ENTITIES[finding.entity]
        return in_lang(lang, f"{entity.label_fr} « {name} »", f"{entity.label_en} “{name}”")
    score = report.activity_scores[finding.record_id]
    fr_role, en_role = _ROLE_TEXT.get(score.role, (score.role, score.role))
    reference = f"{score.reference} " if score.reference else ""
    return in_lang(
        lang,
        f"Traitement {reference}« {name} » ({fr_role}) — complétude {score.percent} %",
        f"Activity {reference}“{name}” ({en_role}) — completeness {score.percent} %",
    )


def _finding_lines(finding: Finding, lang: str) -> list[str]:
    label_fr, label_en = SEVERITY_LABELS[finding.rule.severity]
    rule = finding.rule
    return [
        f"    [{in_lang(lang, label_fr, label_en)}] {finding.message(lang)}",
        "      "
        + in_lang(
            lang,
            f"Pour le DPO ({rule.reference} ; règle {rule.id}) : ",
            f"For the DPO ({rule.reference_en}; rule {rule.id}): ",
        )
        + finding.detail(lang),
        "      " + in_lang(lang, "À faire : ", "To do: ") + finding.hint(lang),
    ]


def report_text(report: CheckReport, lang: str = "fr") -> str:
    """The human-readable report: by organisation, then record, then article."""
    day = display_date(report.checked_on.isoformat(), lang)
    lines = [
        in_lang(lang, f"Contrôle du registre au {day}", f"Register check as of {day}"),
        counts_text(report.counts, lang),
    ]
    by_org: dict[str, dict[tuple[str, str], list[Finding]]] = {}
    for finding in report.findings:
        records = by_org.setdefault(finding.organisation_id, {})
        records.setdefault((finding.entity, finding.record_id), []).append(finding)

    for org_id, org_score in report.organisation_scores.items():
        records = by_org.get(org_id, {})
        org_activities = report.activities_of(org_id)
        clean = sum(1 for s in org_activities if ("activity", s.activity_id) not in records)
        lines += ["", org_score.name, "=" * min(len(org_score.name), 100)]
        count = _plural(
            org_score.activities, lang, ("traitement", "traitements"), ("activity", "activities")
        )
        lines.append(
            in_lang(
                lang,
                f"Complétude (article 30) : {org_score.percent} % "
                f"({count}, dont {clean} sans remarque)",
                f"Completeness (Article 30): {org_score.percent} % "
                f"({count}, {clean} without findings)",
            )
        )
        if not records:
            lines.append(in_lang(lang, "Aucune remarque.", "No findings."))
        for record_findings in records.values():
            lines += ["", _record_heading(record_findings[0], report, lang)]
            by_article: dict[str, list[Finding]] = {}
            for finding in record_findings:
                by_article.setdefault(finding.article, []).append(finding)
            for article in sorted(by_article, key=article_sort_key):
                title = article_title(article, lang)
                heading = f"  {in_lang(lang, 'Art.', 'Art.')} {article}"
                lines.append(f"{heading} — {title}" if title else heading)
                ordered = sorted(by_article[article], key=lambda f: SEVERITY_ORDER[f.severity])
                for finding in ordered:
                    lines += _finding_lines(finding, lang)
    lines += [
        "",
        in_lang(
            lang,
            "Erreur : mention obligatoire de l'article 30 absente. Avertissement : mention "
            "demandée « dans la mesure du possible » ou « le cas échéant », ou incohérence. "
            "Conseil : bonne pratique.",
            "Error: a mandatory Article 30 item is missing. Warning: an item asked for “where "
            "possible” or “where applicable”, or an inconsistency. Advice: good practice.",
        ),
    ]
    return "\n".join(lines) + "\n"


def _finding_json(finding: Finding) -> dict[str, Any]:
    rule = finding.rule
    return {
        "rule": rule.id,
        "reference": rule.reference,
        "reference_en": rule.reference_en,
        "article": finding.article,
        "severity": rule.severity.value,
        "scope": rule.scope.value,
        "organisation_id": finding.organisation_id,
        "entity": finding.entity,
        "record_id": finding.record_id,
        "record_name": finding.record_name,
        "row_id": finding.row_id,
        "field": finding.field,
        "counts_for_score": rule.counts_for_score,
        "message": {"fr": finding.message("fr"), "en": finding.message("en")},
        "detail": {"fr": finding.detail("fr"), "en": finding.detail("en")},
        "hint": {"fr": finding.hint("fr"), "en": finding.hint("en")},
        "details": jsonable(finding.details),  # dates as ISO text
    }


JSON_FORMAT_VERSION = 1


def report_json(report: CheckReport) -> dict[str, Any]:
    """The report as JSON-ready data with stable keys (``json.dumps`` it)."""
    organisations = []
    for org_id, org_score in report.organisation_scores.items():
        activities = [
            {
                "id": s.activity_id,
                "name": s.name,
                "reference": s.reference,
                "role": s.role,
                "score": round(s.score, 4),
                "percent": s.percent,
                "met": s.met,
                "applicable": s.applicable,
            }
            for s in report.activities_of(org_id)
        ]
        organisations.append(
            {
                "id": org_id,
                "name": org_score.name,
                "score": round(org_score.score, 4),
                "percent": org_score.percent,
                "organisation_requirements": {
                    "met": org_score.met,
                    "applicable": org_score.applicable,
                },
                "activities": activities,
            }
        )
    return {
        "format": "registre-check",
        "version": JSON_FORMAT_VERSION,
        "checked_on": report.checked_on.isoformat(),
        "has_errors": report.has_errors,
        "counts": report.counts,
        "organisations": organisations,
        "findings": [_finding_json(f) for f in report.findings],
    }
