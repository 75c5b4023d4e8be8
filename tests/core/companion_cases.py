"""Firing cases and near misses of the companion registers' rules, for ``test_checker.py``.

The fully filled register of ``test_checker`` holds one record of each companion register,
complete and in order on the fixed test day (14 March 2026, 09:30 UTC); each case breaks one
thing, each near miss stays just on the right side of the rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from registre.schema import CONTRACT_CLAUSES

CONTROLLER_REF = "@controller"


def full_companions() -> dict[str, list[dict[str, Any]]]:
    """One complete record of each companion register."""
    return {
        "breach": [
            {
                "title": "Courriel envoyé au mauvais destinataire",
                "discovered_at": "2026-03-01T08:00:00",
                "nature": ["confidentiality"],
                "description": "Une facture de cantine envoyée à une autre famille.",
                "subject_categories": ["legal_guardians"],
                "subjects_count": 1,
                "data_categories": ["identity", "economic_financial"],
                "activities": [CONTROLLER_REF],
                "consequences": "Une famille connaît le montant dû par une autre.",
                "risk_level": "unlikely",
                "measures_taken": "Courriel rappelé ; le destinataire l'a supprimé.",
                "notification": "not_required",
                "decided_at": "2026-03-01T11:00:00",
                "no_notification_reason": "Une seule personne, destinataire de confiance.",
                "communication": "not_required",
                "status": "closed",
            }
        ],
        "rights_request": [
            {
                "requester": "Mme Roux",
                "received_on": "2026-03-01",
                "rights": ["access"],
                "activities": [CONTROLLER_REF],
                "status": "open",
            }
        ],
        "dpia": [
            {
                "title": "AIPD restauration scolaire",
                "activities": [CONTROLLER_REF],
                "status": "completed",
                "method": "cnil_pia",
                "dpo_advice": "Avis favorable.",
                "dpo_advice_followed": True,
                "residual_risk": "limited",
                "prior_consultation": "not_needed",
                "next_review_on": "2027-01-15",
            }
        ],
        "contract": [
            {
                "title": "Marché 2025-14",
                "processor_id": "@processor",
                "signed_on": "2025-01-10",
                "ends_on": "2028-12-31",
                "processing_countries": ["FR"],
                "subprocessing": "forbidden",
                **dict.fromkeys(CONTRACT_CLAUSES, True),
            }
        ],
    }


def _set(entity: str, **values: Any) -> Callable[[Any], None]:
    """A mutation of the spec's first record of ``entity`` (None removes a value)."""

    def mutate(spec: Any) -> None:
        record = spec.companions[entity][0]
        for key, value in values.items():
            if value is None:
                record.pop(key, None)
            else:
                record[key] = value

    return mutate


def _undecided(**values: Any) -> Callable[[Any], None]:
    cleared: dict[str, Any] = {"notification": None, "decided_at": None}
    return _set("breach", **{**cleared, "no_notification_reason": None, **values})


def _notified(at: str, **values: Any) -> Callable[[Any], None]:
    return _undecided(**{"notification": "notify", "notified_at": at, **values})


def _needs_dpia(status: str) -> Callable[[Any], None]:
    def mutate(spec: Any) -> None:
        spec.controller["dpia_criteria"] = ["large_scale"]  # with health data: two criteria
        spec.companions["dpia"][0]["status"] = status

    return mutate


def _unchanged(_spec: Any) -> None:
    """The fully filled register itself is the near miss."""


_DERIVED = {
    "breach-discovered-at-missing": _set("breach", discovered_at=None),
    "breach-nature-missing": _set("breach", nature=None),
    "breach-description-missing": _set("breach", description=None),
    "breach-subject-categories-missing": _set("breach", subject_categories=None),
    "breach-subjects-count-missing": _set("breach", subjects_count=None),
    "breach-data-categories-missing": _set("breach", data_categories=None),
    "breach-consequences-missing": _set("breach", consequences=None),
    "breach-risk-level-missing": _set("breach", risk_level=None),
    "breach-measures-taken-missing": _set("breach", measures_taken=None),
    "request-received-on-missing": _set("rights_request", received_on=None),
    "request-rights-missing": _set("rights_request", rights=None),
    "dpia-record-activities-missing": _set("dpia", activities=None),
    "dpia-record-status-missing": _set("dpia", status=None),
    "contract-processor-id-missing": _set("contract", processor_id=None),
}

COMPANION_FIRES: dict[str, Callable[[Any], object]] = {
    **_DERIVED,
    "breach-72h-elapsed": _undecided(discovered_at="2026-03-11T09:00:00"),
    "breach-72h-running": _undecided(discovered_at="2026-03-13T09:00:00"),
    "breach-late-without-reasons": _notified("2026-03-04T08:01:00", notification_reference="N"),
    "breach-no-notification-without-reason": _set("breach", no_notification_reason=None),
    "breach-risk-not-notified": _set("breach", risk_level="risk"),
    "breach-high-risk-people-not-informed": _notified(
        "2026-03-02T08:00:00", notification_reference="N", risk_level="high"
    ),
    "breach-notification-number-missing": _notified("2026-03-02T08:00:00"),
    "request-overdue": _set("rights_request", received_on="2026-02-13"),
    "request-answered-late": _set(
        "rights_request", received_on="2026-01-10", answered_on="2026-02-11", status="answered"
    ),
    "request-extension-without-reason": _set("rights_request", extended=True),
    "request-extension-not-told": _set(
        "rights_request",
        extended=True,
        extension_reason="Archives à consulter.",
        extension_informed_on="2026-04-02",
    ),
    "request-refusal-without-reasons": _set("rights_request", outcome="refused"),
    "dpia-record-exemption-reference-missing": _set("dpia", status="exempt"),
    "dpia-record-dpo-advice-missing": _set("dpia", dpo_advice=None),
    "dpia-record-advice-departure-unexplained": _set("dpia", dpo_advice_followed=False),
    "dpia-record-prior-consultation-missing": _set(
        "dpia", residual_risk="significant", prior_consultation=None
    ),
    "dpia-record-review-overdue": _set("dpia", next_review_on="2026-03-13"),
    "dpia-record-missing": _needs_dpia("in_progress"),
    "contract-missing": lambda s: s.companions.update(contract=[]),
    "contract-not-sound": _set("contract", clause_h=None),
    "contract-clauses-missing": _set("contract", clause_c=None),
    "contract-dates-missing": _set("contract", signed_on=None),
    "contract-ended": _set("contract", ends_on="2026-03-13"),
    "contract-us-without-dpf": _set("contract", processing_countries=["US"]),
    "contract-outside-eu-without-adequacy": _set("contract", processing_countries=["IN"]),
    "contract-subprocessors-unlisted": _set("contract", subprocessing="general"),
}

COMPANION_QUIET: dict[str, Callable[[Any], object]] = {
    **dict.fromkeys(_DERIVED, _unchanged),
    # discovered 72 h before 10:00 today: still running at 09:30
    "breach-72h-elapsed": _undecided(discovered_at="2026-03-11T10:00:00"),
    "breach-72h-running": _notified(
        "2026-03-13T12:00:00", notification_reference="N", discovered_at="2026-03-13T09:00:00"
    ),
    "breach-late-without-reasons": _notified("2026-03-04T08:00:00", notification_reference="N"),
    "breach-no-notification-without-reason": _unchanged,
    "breach-risk-not-notified": _unchanged,
    "breach-high-risk-people-not-informed": _notified(
        "2026-03-02T08:00:00",
        notification_reference="N",
        risk_level="high",
        communication="exempt_34_3_a",
    ),
    "breach-notification-number-missing": _notified(
        "2026-03-02T08:00:00", notification_reference="CNIL-2026-1"
    ),
    "request-overdue": _set("rights_request", received_on="2026-02-14"),
    "request-answered-late": _set(
        "rights_request", received_on="2026-01-10", answered_on="2026-02-10", status="answered"
    ),
    "request-extension-without-reason": _set(
        "rights_request", extended=True, extension_reason="Demande complexe."
    ),
    "request-extension-not-told": _set(
        "rights_request",
        extended=True,
        extension_reason="Archives à consulter.",
        extension_informed_on="2026-04-01",
    ),
    "request-refusal-without-reasons": _set(
        "rights_request", outcome="refused", answer="Demande infondée ; recours : CNIL."
    ),
    "dpia-record-exemption-reference-missing": _set(
        "dpia", status="exempt", exemption_reference="Délibération n° 2019-118"
    ),
    "dpia-record-dpo-advice-missing": _set("dpia", status="in_progress", dpo_advice=None),
    "dpia-record-advice-departure-unexplained": _set(
        "dpia", dpo_advice_followed=False, dpo_advice_departure="Coût du chiffrement."
    ),
    "dpia-record-prior-consultation-missing": _set(
        "dpia", residual_risk="significant", prior_consultation="requested"
    ),
    "dpia-record-review-overdue": _set("dpia", next_review_on="2026-03-14"),
    "dpia-record-missing": _needs_dpia("completed"),
    "contract-missing": _set("contract", activities=[CONTROLLER_REF]),
    "contract-not-sound": _unchanged,
    "contract-clauses-missing": _unchanged,
    "contract-dates-missing": _set("contract", ends_on=None),  # signed, open-ended
    "contract-ended": _set("contract", ends_on="2026-03-14"),
    "contract-us-without-dpf": _set("contract", processing_countries=["US"], dpf_certified=True),
    "contract-outside-eu-without-adequacy": _set("contract", processing_countries=["CH"]),
    "contract-subprocessors-unlisted": _set(
        "contract", subprocessing="general", subprocessors="Hébergis — hébergement — France"
    ),
}
