"""The review cycle of a record: when it is due, and whether it is overdue.

An activity's record goes Brouillon → Complété → Validé par le DPO (the schema's ``status``).
It is reviewed on its « Prochaine revue » date; when none is set, one year after the record
last changed (``DEFAULT_REVIEW_MONTHS``), so a register nobody looks at comes back into the
DPO's « à revoir » list on its own, offline, without any reminder service. The organisation's
whole register has its own « Prochaine revue du registre », by default a year after its last
official export.

« Validé par le DPO » is an attestation: when someone other than the person who validated the
record changes it, the record goes back to « Complété » (``drop_validation``, called by the
service functions that change an activity or its rows); its validator's own edits keep it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from registre.companion import add_months

DEFAULT_REVIEW_MONTHS = 12
"""A record with no review date is reviewed this long after its last change."""


def review_due_on(activity: Mapping[str, Any]) -> dt.date | None:
    """The day ``activity`` (a loaded record) is due for review; None when nothing dates it."""
    planned = activity.get("next_review_on")
    if planned is not None:
        return planned  # type: ignore[no-any-return]
    last = activity.get("updated_on") or activity.get("created_on")
    if last is None:
        return None
    return add_months(last, DEFAULT_REVIEW_MONTHS)


def review_overdue(activity: Mapping[str, Any], today: dt.date) -> bool:
    """True when the activity's review day has passed."""
    due = review_due_on(activity)
    return due is not None and due < today


def is_draft(activity: Mapping[str, Any]) -> bool:
    """True for a record still in draft (no status counts as draft)."""
    return activity.get("status") in (None, "draft")


def register_review_due_on(
    organisation: Mapping[str, Any], last_published: dt.date | None
) -> dt.date | None:
    """The day the organisation's whole register is due for review: its « Prochaine revue du
    registre », else one year after its last official export (None: never published)."""
    planned = organisation.get("next_review_on")
    if planned is not None:
        return planned  # type: ignore[no-any-return]
    if last_published is None:
        return None
    return add_months(last_published, DEFAULT_REVIEW_MONTHS)


def validated_by(session: Session, activity_id: str) -> str | None:
    """Who last marked the activity « Validé par le DPO », from the audit trail."""
    rows = session.execute(
        text(
            "SELECT actor, changes FROM audit_entry "
            "WHERE entity_id = :activity AND entity = 'activity' ORDER BY seq DESC"
        ),
        {"activity": activity_id},
    ).all()
    for actor, raw in rows:
        changes = json.loads(raw) if isinstance(raw, str) else raw
        status = (changes or {}).get("status")
        if isinstance(status, list) and len(status) == 2 and status[1] == "validated":
            return str(actor)
    return None


def drop_validation(session: Session, activity: Any, actor: str) -> tuple[str, str] | None:
    """A validated record changed by someone other than its validator goes back to
    « Complété »: returns the status change (old, new) made on ``activity``, or None."""
    if activity.status != "validated" or validated_by(session, activity.id) == actor:
        return None
    activity.status = "completed"
    return ("validated", "completed")
