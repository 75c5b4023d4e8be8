"""The shared DPO's overview: one line per organisation of a register.

``register_overview`` reads the register once (``registre.loader``), checks every organisation
with the same records (``registre.checker.check_organisations``) and adds what the DPO follows
from one commune to the next: drafts, records due for review (``registre.review``), the last
official export, open breaches and overdue rights requests (``registre.companion``). It only
reads: the register stays byte-identical.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from registre.checker import check_organisations
from registre.companion import breach_clock, breach_is_open, request_time_limit
from registre.loader import Record, collector_paused, load_register
from registre.presentation import short_date
from registre.publications import REGISTER_PROFILES, latest_publications
from registre.review import is_draft, register_review_due_on, review_due_on
from registre.rules import Severity

if TYPE_CHECKING:
    from registre.storage import Register


@dataclass(frozen=True)
class ExportMark:
    """The last official export of an organisation's register."""

    at: dt.datetime
    profile: str
    fingerprint: str
    sha256: str
    file: str


@dataclass(frozen=True)
class ReviewItem:
    """An activity whose review day has passed (the « à revoir » list)."""

    organisation_id: str
    organisation: str
    activity_id: str
    reference: str | None
    name: str
    status: str | None
    due_on: dt.date


@dataclass(frozen=True)
class OrganisationLine:
    """One line of the overview."""

    id: str
    name: str
    activities: int
    errors: int
    warnings: int
    completeness: int  # percent, rounded down
    overdue_reviews: int
    drafts: int
    validated: int
    last_export: ExportMark | None
    register_review_due: dt.date | None  # the whole register's next review
    register_review_overdue: bool
    open_breaches: int
    breaches_to_notify: int
    overdue_requests: int


@dataclass(frozen=True)
class Overview:
    """Every organisation of a register on one screen, with the records due for review."""

    checked_on: dt.date
    lines: list[OrganisationLine]
    to_review: list[ReviewItem]


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def _json_value(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _datetime(value: Any) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))


def last_exports(session: Session, organisations: list[Record]) -> dict[str, ExportMark]:
    """The latest official PDF export of each organisation (by identifier).

    Published snapshots (``registre.publications``) are authoritative; exports recorded only in
    the audit trail (before snapshots existed) count too, an export of the whole register for
    every organisation in it.
    """
    marks: dict[str, ExportMark] = {}
    ids = [org["id"] for org in organisations]
    rows = session.execute(
        text(
            "SELECT at, organisation_id, changes FROM audit_entry "
            "WHERE action = 'exported' AND entity = 'export' ORDER BY seq"
        )
    ).all()
    for at, organisation_id, raw in rows:
        changes = _json_value(raw) or {}
        if changes.get("format") != "pdf" or changes.get("profile") not in REGISTER_PROFILES:
            continue
        mark = ExportMark(
            _datetime(at),
            str(changes.get("profile")),
            str(changes.get("fingerprint") or ""),
            str(changes.get("sha256") or ""),
            str(changes.get("file") or ""),
        )
        for org_id in [organisation_id] if organisation_id else ids:
            marks[org_id] = mark
    for org_id, publication in latest_publications(session).items():
        known = marks.get(org_id)
        if known is None or publication.at >= known.at:
            marks[org_id] = ExportMark(
                publication.at,
                publication.profile,
                publication.fingerprint,
                publication.sha256,
                publication.file,
            )
    return marks


def register_overview(register: Register) -> Overview:
    """The overview of every organisation of ``register``, in one read."""
    now = register.context.clock()
    with collector_paused():
        with register.read() as session:
            organisations = load_register(session)
            exports = last_exports(session, organisations)
        return overview_of(organisations, exports, now)


def overview_of(
    organisations: list[Record], exports: dict[str, ExportMark], now: dt.datetime
) -> Overview:
    """The overview of loaded organisations (``registre.loader``) at ``now``."""
    today = now.date()
    report = check_organisations(organisations, today, now, information=False)  # counts only
    errors: dict[str, int] = {}
    warnings: dict[str, int] = {}
    for finding in report.findings:
        severity = finding.rule.severity
        if severity is Severity.ERROR:
            errors[finding.organisation_id] = errors.get(finding.organisation_id, 0) + 1
        elif severity is Severity.WARNING:
            warnings[finding.organisation_id] = warnings.get(finding.organisation_id, 0) + 1
    lines: list[OrganisationLine] = []
    to_review: list[ReviewItem] = []
    for org in organisations:
        org_id = org["id"]
        overdue = 0
        for activity in org["activities"]:
            due = review_due_on(activity)
            if due is not None and due < today:
                overdue += 1
                to_review.append(
                    ReviewItem(
                        org_id,
                        org["name"],
                        activity["id"],
                        activity.get("reference"),
                        activity["name"],
                        activity.get("status"),
                        due,
                    )
                )
        breaches = org.get("breaches", [])
        limits = [request_time_limit(r, today) for r in org.get("rights_requests", [])]
        score = report.organisation_scores.get(org_id)
        export = exports.get(org_id)
        register_due = register_review_due_on(org, export.at.date() if export else None)
        lines.append(
            OrganisationLine(
                id=org_id,
                name=org["name"],
                activities=len(org["activities"]),
                errors=errors.get(org_id, 0),
                warnings=warnings.get(org_id, 0),
                completeness=score.percent if score is not None else 100,
                overdue_reviews=overdue,
                drafts=sum(1 for a in org["activities"] if is_draft(a)),
                validated=sum(1 for a in org["activities"] if a.get("status") == "validated"),
                last_export=export,
                register_review_due=register_due,
                register_review_overdue=register_due is not None and register_due < today,
                open_breaches=sum(1 for b in breaches if breach_is_open(b)),
                breaches_to_notify=sum(1 for b in breaches if breach_clock(b, now).needs_attention),
                overdue_requests=sum(1 for lim in limits if lim.needs_attention),
            )
        )
    to_review.sort(key=lambda item: (item.due_on, item.organisation, item.reference or ""))
    return Overview(today, lines, to_review)


# --------------------------------------------------------------------------------------------
# Writing it out
# --------------------------------------------------------------------------------------------


def _t(lang: str, fr: str, en: str) -> str:
    return en if lang == "en" else fr


def export_text(mark: ExportMark | None, lang: str = "fr") -> str:
    """« 14/03/2026 (complet, 3f2a…) » or « jamais »."""
    if mark is None:
        return _t(lang, "jamais", "never")
    profile = PROFILE_NAMES.get(mark.profile, (mark.profile, mark.profile))
    name = profile[1] if lang == "en" else profile[0]
    return f"{short_date(mark.at.date(), lang)} ({name}, {mark.fingerprint[:8]})"


PROFILE_NAMES = {
    "full": ("complet", "full"),
    "art30": ("extrait art. 30", "Art. 30 extract"),
    "communicable": ("communicable", "communicable"),
}

COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("name", "Organisme", "Organisation"),
    ("activities", "Traitements", "Activities"),
    ("errors", "Erreurs", "Errors"),
    ("warnings", "Avert.", "Warnings"),
    ("completeness", "Complétude", "Completeness"),
    ("overdue_reviews", "À revoir", "To review"),
    ("drafts", "Brouillons", "Drafts"),
    ("open_breaches", "Violations ouvertes", "Open breaches"),
    ("overdue_requests", "Demandes en retard", "Overdue requests"),
    ("register_review_due", "Revue du registre", "Register review"),
    ("last_export", "Dernier export officiel", "Last official export"),
)
"""The overview's columns: key, French and English titles (the CLI and the application)."""


def cell_text(line: OrganisationLine, key: str, lang: str = "fr") -> str:
    """What the overview shows in column ``key`` for ``line``."""
    if key == "last_export":
        return export_text(line.last_export, lang)
    if key == "completeness":
        return f"{line.completeness} %"
    if key == "register_review_due":
        due = line.register_review_due
        if due is None:
            return "—"
        late = _t(lang, " (dépassée)", " (overdue)") if line.register_review_overdue else ""
        return short_date(due, lang) + late
    return str(getattr(line, key))


def overview_text(overview: Overview, lang: str = "fr") -> str:
    """The overview as an aligned table, then the « à revoir » list."""
    titles = [en if lang == "en" else fr for _key, fr, en in COLUMNS]
    rows = [[cell_text(line, key, lang) for key, _fr, _en in COLUMNS] for line in overview.lines]
    widths = [max(len(str(cell)) for cell in column) for column in zip(titles, *rows, strict=False)]
    widths[0] = min(widths[0], 40)

    def render(cells: list[str]) -> str:
        first = cells[0] if len(cells[0]) <= widths[0] else cells[0][: widths[0] - 1] + "…"
        parts = [first.ljust(widths[0])]
        parts += [cell.rjust(width) for cell, width in zip(cells[1:-1], widths[1:-1], strict=True)]
        parts.append(cells[-1])
        return "  ".join(parts).rstrip()

    day = short_date(overview.checked_on, lang)
    lines = [
        _t(lang, f"Vue d'ensemble au {day}", f"Overview as of {day}"),
        "",
        render(titles),
    ]
    lines += [render(row) for row in rows]
    lines.append("")
    if not overview.to_review:
        lines.append(_t(lang, "À revoir : aucune fiche.", "To review: no record."))
    else:
        count = len(overview.to_review)
        lines.append(
            _t(
                lang,
                f"À revoir ({count} fiche{'s' if count > 1 else ''}) :",
                f"To review ({count} record{'s' if count != 1 else ''}):",
            )
        )
        for item in overview.to_review:
            reference = f"{item.reference} " if item.reference else ""
            lines.append(
                f"  {short_date(item.due_on, lang)}  {item.organisation} — {reference}{item.name}"
            )
    return "\n".join(lines)


def overview_json(overview: Overview) -> dict[str, Any]:
    """The overview as JSON-ready data with stable keys."""

    def mark(value: ExportMark | None) -> dict[str, Any] | None:
        if value is None:
            return None
        return {
            "at": value.at.isoformat(),
            "profile": value.profile,
            "fingerprint": value.fingerprint,
            "sha256": value.sha256,
            "file": value.file,
        }

    return {
        "format": "registre-overview",
        "version": 1,
        "checked_on": overview.checked_on.isoformat(),
        "organisations": [
            {
                "id": line.id,
                "name": line.name,
                "activities": line.activities,
                "errors": line.errors,
                "warnings": line.warnings,
                "completeness": line.completeness,
                "overdue_reviews": line.overdue_reviews,
                "drafts": line.drafts,
                "validated": line.validated,
                "last_export": mark(line.last_export),
                "register_review_due": (
                    line.register_review_due.isoformat() if line.register_review_due else None
                ),
                "register_review_overdue": line.register_review_overdue,
                "open_breaches": line.open_breaches,
                "breaches_to_notify": line.breaches_to_notify,
                "overdue_requests": line.overdue_requests,
            }
            for line in overview.lines
        ],
        "to_review": [
            {
                "organisation_id": item.organisation_id,
                "organisation": item.organisation,
                "activity_id": item.activity_id,
                "reference": item.reference,
                "name": item.name,
                "status": item.status,
                "due_on": item.due_on.isoformat(),
            }
            for item in overview.to_review
        ],
    }
