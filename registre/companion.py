"""Companion registers: what is computed from them, and their summary per organisation.

The four registers kept beside Article 30 (breaches, rights requests, impact assessments and
processor contracts) are entities of the field schema (``registre.schema``) stored in the same
encrypted register and changed through ``services.create_record`` / ``update_record`` /
``delete_record``. This module computes, with the injected clock:

- the **72-hour clock** of a breach (Art. 33(1)): from its discovery until the CNIL is notified
  or a decision not to notify is documented with its reason;
- the **time limit** of a rights request (Art. 12(3)): one month from receipt (or from the
  confirmation of the requester's identity when proof was asked for), three months when the
  period was extended; a request still unanswered after it is overdue;
- the **state of a processor contract** (the eight clauses of Art. 28(3), its signature date,
  expired);
- the counts the dashboard and ``registre overview`` show per organisation.

Months are counted as Regulation 1182/71 counts them: from 31 January, one month ends on
28 (or 29) February. The due date is not moved past week-ends or public holidays, so it is
never later than the legal one.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from registre.presentation import short_date
from registre.schema import CONTRACT_CLAUSES

if TYPE_CHECKING:
    from registre.storage import Register

NOTIFICATION_DELAY = dt.timedelta(hours=72)
"""Article 33(1): notify the supervisory authority within 72 hours of becoming aware."""


def _t(lang: str, fr: str, en: str) -> str:
    return en if lang == "en" else fr


def _utc(moment: dt.datetime) -> dt.datetime:
    """``moment`` as stored: naive UTC."""
    if moment.tzinfo is not None:
        return moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def day_of(now: dt.datetime) -> dt.date:
    """The day the time limits are counted on at ``now`` (the day in UTC, as stored)."""
    return _utc(now).date()


def duration_text(delta: dt.timedelta, lang: str = "fr") -> str:
    """« 31 h 20 min », « 3 j 4 h » for a positive duration (to the minute)."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _t(lang, f"{days} j {hours} h", f"{days} d {hours} h")
    return f"{hours} h {minutes:02d} min"


# --------------------------------------------------------------------------------------------
# Breaches: the 72-hour clock
# --------------------------------------------------------------------------------------------


class ClockState(StrEnum):
    """Where a breach stands with respect to the 72 hours of Article 33(1)."""

    UNKNOWN = "unknown"  # no time of discovery recorded
    RUNNING = "running"  # less than 72 hours since discovery, nothing notified or decided
    OVERDUE = "overdue"  # more than 72 hours, nothing notified or decided
    NOTIFIED = "notified"  # notified within 72 hours
    NOTIFIED_LATE = "notified_late"  # notified after 72 hours
    DECIDED = "decided"  # a documented decision not to notify


@dataclass(frozen=True)
class BreachClock:
    """The 72-hour clock of one breach at a given moment (times in naive UTC)."""

    state: ClockState
    deadline: dt.datetime | None = None
    stopped_at: dt.datetime | None = None  # notification or decision time, when known
    remaining: dt.timedelta | None = None  # until the deadline; negative once it has passed
    elapsed: dt.timedelta | None = None  # from discovery to the notification or decision

    @property
    def needs_attention(self) -> bool:
        """True while the clock runs or once it has run out without notification or decision."""
        return self.state in (ClockState.RUNNING, ClockState.OVERDUE)

    def text(self, lang: str = "fr") -> str:
        """The clock in words: « Reste 31 h 20 min pour notifier la CNIL »."""
        state = self.state
        if state is ClockState.UNKNOWN:
            return _t(lang, "Date de découverte à renseigner", "Time of discovery to be recorded")
        if state is ClockState.RUNNING:
            assert self.remaining is not None
            left = duration_text(self.remaining, lang)
            return _t(
                lang, f"Reste {left} pour notifier la CNIL", f"{left} left to notify the CNIL"
            )
        if state is ClockState.OVERDUE:
            assert self.remaining is not None
            late = duration_text(self.remaining, lang)
            return _t(lang, f"Délai de 72 h dépassé de {late}", f"72-hour limit passed by {late}")
        after = (
            _t(
                lang,
                f", {duration_text(self.elapsed, lang)} après la découverte",
                f", {duration_text(self.elapsed, 'en')} after discovery",
            )
            if self.elapsed is not None
            else ""
        )
        if state is ClockState.DECIDED:
            return _t(lang, f"Non-notification décidée{after}", f"Decided not to notify{after}")
        if state is ClockState.NOTIFIED_LATE:
            return _t(lang, f"Notifiée en retard{after}", f"Notified late{after}")
        return _t(lang, f"Notifiée à la CNIL{after}", f"Notified to the CNIL{after}")


def breach_clock(breach: Mapping[str, Any], now: dt.datetime) -> BreachClock:
    """The clock of ``breach`` (a record with the schema's keys) at ``now``."""
    discovered = breach.get("discovered_at")
    if discovered is None:
        return BreachClock(ClockState.UNKNOWN)
    discovered = _utc(discovered)
    deadline = discovered + NOTIFICATION_DELAY
    notified = breach.get("notified_at")
    if notified is not None:
        notified = _utc(notified)
        state = ClockState.NOTIFIED if notified <= deadline else ClockState.NOTIFIED_LATE
        return BreachClock(state, deadline, notified, elapsed=notified - discovered)
    if breach.get("notification") == "not_required" and breach.get("no_notification_reason"):
        decided = breach.get("decided_at")
        decided = _utc(decided) if decided is not None else None
        elapsed = decided - discovered if decided is not None else None
        return BreachClock(ClockState.DECIDED, deadline, decided, elapsed=elapsed)
    remaining = deadline - _utc(now)
    state = ClockState.RUNNING if remaining > dt.timedelta(0) else ClockState.OVERDUE
    return BreachClock(state, deadline, remaining=remaining)


def breach_is_open(breach: Mapping[str, Any]) -> bool:
    """True until the breach is closed."""
    return breach.get("status") != "closed"


# --------------------------------------------------------------------------------------------
# Rights requests: the time limit of Article 12(3)
# --------------------------------------------------------------------------------------------


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` calendar months, on the last day of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class RequestState(StrEnum):
    """Where a rights request stands with respect to its time limit."""

    UNKNOWN = "unknown"  # no date of receipt
    OPEN = "open"  # within its time limit, not answered
    OVERDUE = "overdue"  # past its time limit, not answered
    ANSWERED = "answered"  # answered within its time limit
    ANSWERED_LATE = "answered_late"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class RequestTimeLimit:
    """The time limit of one rights request on a given day."""

    state: RequestState
    starts_on: dt.date | None = None
    due_on: dt.date | None = None
    first_due_on: dt.date | None = None  # one month after the start: the extension's deadline
    days_left: int | None = None  # negative once overdue

    @property
    def needs_attention(self) -> bool:
        """True for an overdue request."""
        return self.state is RequestState.OVERDUE

    def text(self, lang: str = "fr") -> str:
        """The time limit in words: « Réponse due le 14/04/2025 (dans 5 j) »."""
        if self.state is RequestState.UNKNOWN:
            return _t(lang, "Date de réception à renseigner", "Date of receipt to be recorded")
        if self.state is RequestState.WITHDRAWN:
            return _t(lang, "Demande abandonnée", "Request withdrawn")
        assert self.due_on is not None
        due = short_date(self.due_on, lang)
        if self.state is RequestState.ANSWERED:
            return _t(lang, "Répondue dans le délai", "Answered in time")
        if self.state is RequestState.ANSWERED_LATE:
            return _t(lang, f"Répondue après l'échéance du {due}", f"Answered after {due}")
        assert self.days_left is not None
        if self.state is RequestState.OVERDUE:
            return _t(
                lang,
                f"En retard de {-self.days_left} j (échéance {due})",
                f"{-self.days_left} d overdue (due {due})",
            )
        return _t(
            lang,
            f"Réponse due le {due} (dans {self.days_left} j)",
            f"Answer due {due} (in {self.days_left} d)",
        )


def request_time_limit(request: Mapping[str, Any], today: dt.date) -> RequestTimeLimit:
    """The time limit of ``request`` (a record with the schema's keys) on ``today``."""
    received = request.get("received_on")
    if received is None:
        return RequestTimeLimit(RequestState.UNKNOWN)
    start = received
    confirmed = request.get("identity_confirmed_on")
    if request.get("identity_check") in ("requested", "verified") and confirmed is not None:
        start = max(received, confirmed)
    first_due = add_months(start, 1)
    due = add_months(start, 3) if request.get("extended") else first_due
    if request.get("status") == "withdrawn":
        return RequestTimeLimit(RequestState.WITHDRAWN, start, due, first_due)
    answered = request.get("answered_on")
    if answered is not None or request.get("status") == "answered":
        late = answered is not None and answered > due
        state = RequestState.ANSWERED_LATE if late else RequestState.ANSWERED
        return RequestTimeLimit(state, start, due, first_due)
    days_left = (due - today).days
    state = RequestState.OPEN if days_left >= 0 else RequestState.OVERDUE
    return RequestTimeLimit(state, start, due, first_due, days_left)


# --------------------------------------------------------------------------------------------
# Processor contracts and impact assessments
# --------------------------------------------------------------------------------------------


def missing_clauses(contract: Mapping[str, Any]) -> list[str]:
    """Keys of the Article 28(3) clauses not ticked as present in ``contract``."""
    return [key for key in CONTRACT_CLAUSES if contract.get(key) is not True]


_CONTRACT_DATES = ("signed_on", "ends_on")


def missing_dates(contract: Mapping[str, Any]) -> list[str]:
    """Keys of the dates ``contract`` still lacks: its signature date, without which nothing
    shows it was concluded, and then its end date if it has none either. A signed contract
    without an end date (open-ended) lacks nothing."""
    if contract.get("signed_on") is not None:
        return []
    return [key for key in _CONTRACT_DATES if contract.get(key) is None]


def missing_dates_text(contract: Mapping[str, Any], lang: str = "fr") -> str:
    """« date de signature à renseigner » (« dates de signature et de fin… »); empty when the
    contract lacks no date."""
    missing = missing_dates(contract)
    if not missing:
        return ""
    if len(missing) == 1:
        return _t(lang, "date de signature à renseigner", "signature date to be filled in")
    return _t(
        lang,
        "dates de signature et de fin à renseigner",
        "signature and end dates to be filled in",
    )


def contract_in_force(contract: Mapping[str, Any], today: dt.date) -> bool:
    """True unless the contract has ended before ``today``."""
    ends = contract.get("ends_on")
    return ends is None or ends >= today


def contract_is_sound(contract: Mapping[str, Any], today: dt.date) -> bool:
    """True for a contract signed (its date recorded), in force and with the eight clauses of
    Article 28(3). Without its signature date nothing shows that the processor is bound by it
    (Art. 28(3), 28(9)): a draft or an unsigned copy does not cover the processing."""
    return (
        contract.get("signed_on") is not None
        and contract_in_force(contract, today)
        and not missing_clauses(contract)
    )


def dpia_review_overdue(dpia: Mapping[str, Any], today: dt.date) -> bool:
    """True for an assessment whose next review date has passed (Art. 35(11))."""
    review = dpia.get("next_review_on")
    return review is not None and review < today


def dpia_covers(dpia: Mapping[str, Any]) -> bool:
    """True for an assessment that settles the question for its activities: completed, or an
    exemption recorded with its reference."""
    status = dpia.get("status")
    if status == "completed":
        return True
    return status == "exempt" and bool(dpia.get("exemption_reference"))


# --------------------------------------------------------------------------------------------
# Status of a record and summary per organisation
# --------------------------------------------------------------------------------------------


def record_status(
    entity: str, record: Mapping[str, Any], now: dt.datetime, lang: str = "fr"
) -> tuple[str, bool]:
    """What the lists show in their « Délai / état » column, and whether it needs attention."""
    today = day_of(now)
    if entity == "breach":
        clock = breach_clock(record, now)
        if not breach_is_open(record) and not clock.needs_attention:
            return _t(lang, "Clôturée", "Closed") + " — " + clock.text(lang), False
        return clock.text(lang), clock.needs_attention
    if entity == "rights_request":
        limit = request_time_limit(record, today)
        return limit.text(lang), limit.needs_attention
    if entity == "contract":
        if not contract_in_force(record, today):
            return _t(lang, "Contrat échu", "Contract ended"), True
        missing = len(missing_clauses(record))
        clauses = (
            _t(
                lang,
                f"{missing} clause(s) de l'art. 28.3 manquante(s)",
                f"{missing} Art. 28(3) clause(s) missing",
            )
            if missing
            else _t(lang, "Clauses de l'art. 28.3 complètes", "Art. 28(3) clauses complete")
        )
        dates = missing_dates_text(record, lang)
        if dates:
            clauses += _t(lang, f" ; {dates}", f"; {dates}")
        return clauses, bool(missing or dates)
    if entity == "dpia":
        if dpia_covers(record):
            if dpia_review_overdue(record, today):
                when = short_date(record["next_review_on"], lang)
                return _t(lang, f"Revue dépassée ({when})", f"Review overdue ({when})"), True
            status = record.get("status")
            return (
                _t(lang, "Exemptée", "Exempt")
                if status == "exempt"
                else _t(lang, "Terminée", "Completed")
            ), False
        return _t(lang, "À terminer", "To be completed"), True
    raise ValueError(f"{entity!r} is not a companion register")


@dataclass(frozen=True)
class CompanionSummary:
    """What the dashboard shows of an organisation's companion registers."""

    organisation_id: str
    open_breaches: int = 0
    breaches_to_notify: int = 0  # 72-hour clock running or run out
    open_requests: int = 0
    overdue_requests: int = 0
    reviews_overdue: int = 0  # impact assessments past their next review date


def companion_summary(register: Register, organisation_id: str) -> CompanionSummary:
    """Open breaches, breaches whose 72-hour clock needs attention, open and overdue requests,
    impact assessments past their review date."""
    from registre import services

    now = register.context.clock()
    breaches = services.list_records(register, "breach", organisation_id)
    requests = services.list_records(register, "rights_request", organisation_id)
    dpias = services.list_records(register, "dpia", organisation_id)
    today = day_of(now)
    limits = [request_time_limit(r, today) for r in requests]
    return CompanionSummary(
        organisation_id,
        open_breaches=sum(1 for b in breaches if breach_is_open(b)),
        breaches_to_notify=sum(1 for b in breaches if breach_clock(b, now).needs_attention),
        open_requests=sum(
            1 for lim in limits if lim.state in (RequestState.OPEN, RequestState.OVERDUE)
        ),
        overdue_requests=sum(1 for lim in limits if lim.needs_attention),
        reviews_overdue=sum(1 for d in dpias if dpia_review_overdue(d, today)),
    )
