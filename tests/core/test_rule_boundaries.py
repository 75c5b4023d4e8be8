"""Rules with a number in them, at their limit and one step past it.

The near misses of ``test_checker`` stay well inside each limit; here each limit is met exactly
(no finding) and passed by the smallest step (a finding whose message says the limit).
"""

from __future__ import annotations

import pytest

from registre.checker import check_register
from registre.errors import InvalidValue
from registre.storage import Register
from tests.core.test_checker import Spec, _category, build

FILMED = {"category": "visitors_filmed"}  # video images: one month at most


def _filmed_for(value: int, unit: str) -> Spec:
    spec = Spec()
    spec.controller["data_subjects"].append(FILMED)
    _category(spec, retention_value=value, retention_unit=unit)
    _category(spec, 1, retention_value=value, retention_unit=unit)
    return spec


@pytest.mark.parametrize(
    ("value", "unit", "fires"),
    [
        (31, "days", False),  # one month, counted as 31 days: the maximum itself
        (32, "days", True),
        (1, "months", False),
        (2, "months", True),
        (5, "weeks", None),  # not a unit of the register: refused before any check
    ],
)
def test_retention_maximum_at_its_limit(
    register: Register, value: int, unit: str, fires: bool | None
) -> None:
    if fires is None:
        with pytest.raises(InvalidValue):
            build(register, _filmed_for(value, unit))
        return
    build(register, _filmed_for(value, unit))
    found = [f for f in check_register(register).findings if f.rule.id == "retention-over-maximum"]
    assert bool(found) is fires
    if fires:
        assert "au plus 1 mois" in found[0].detail("fr")
        assert "at most 1 month" in found[0].detail("en")  # the singular, in both languages
