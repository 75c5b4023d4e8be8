"""The review cycle of a record: when it is due, and whether it is overdue.

An activity's record goes Brouillon → Complété → Validé par le DPO (the schema's ``status``).
It is reviewed on its « Prochaine revue » date; when none is set, one year after the record
last changed (``DEFAULT_REVIEW_MONTHS``), so a register nobody looks at comes back into the
DPO's « à revoir » list on its own, offline, without any reminder service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

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
