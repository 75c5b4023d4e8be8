"""Shared fixtures: tiny Argon2 parameters, a fixed clock, registers in temporary folders."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from registre import services
from registre.storage import Context, Register, create_register
from tests.kdf import TEST_POLICY, default_policy

__all__ = ["PASSPHRASE", "TEST_POLICY", "FixedClock"]
PASSPHRASE = "le registre de la commune est tenu avec soin"


@pytest.fixture(autouse=True)
def tiny_kdf(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """Every test uses tiny Argon2 parameters (``tests.kdf``) and a private data folder."""
    monkeypatch.setenv("REGISTRE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("REGISTRE_PASSPHRASE", raising=False)
    with default_policy(TEST_POLICY):
        yield


class FixedClock:
    """A clock that advances one second per reading, from a fixed start."""

    def __init__(self, start: dt.datetime = dt.datetime(2026, 3, 14, 9, 30, tzinfo=dt.UTC)):
        self._ticks = itertools.count()
        self.start = start

    def __call__(self) -> dt.datetime:
        return self.start + dt.timedelta(seconds=next(self._ticks))


@pytest.fixture
def context() -> Context:
    """A context with a fixed clock, predictable ids and a known actor."""
    counter = itertools.count(1)
    return Context(
        clock=FixedClock(),
        new_id=lambda: str(uuid.UUID(int=next(counter))),
        actor="secretaire",
    )


@pytest.fixture
def closed_register(tmp_path: Path, context: Context) -> Path:
    """A register with one organisation, closed cleanly (its folder)."""
    directory = tmp_path / "Commune.registre"
    register, _ = create_register(directory, PASSPHRASE, context=context)
    with register:
        services.create_organisation(register, name="Commune de Sèvres-Anxaumont")
    return directory


@pytest.fixture
def register(tmp_path: Path, context: Context) -> Iterator[Register]:
    """An empty, open register (passphrase ``PASSPHRASE``)."""
    opened, _recovery = create_register(tmp_path / "Test.registre", PASSPHRASE, context=context)
    yield opened
    opened.close()
