"""Tiny Argon2 parameters for the test suite and the benchmarks.

Production code takes its KDF policy from the ``Context`` it is given, whose default is
``crypto.PRODUCTION_POLICY``. A test process makes every ``Context`` built without an explicit
policy use ``TEST_POLICY`` instead — a change to the default argument, made here and only here.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager

from registre import crypto
from registre.context import Context

TEST_POLICY = crypto.KdfPolicy(min_memory_kib=64, min_iterations=1, calibrate=False)
_PRODUCTION_INIT = Context.__init__


def use_default_policy(policy: crypto.KdfPolicy = TEST_POLICY) -> None:
    """From now on in this process, a ``Context()`` gets ``policy`` unless told otherwise."""
    Context.__init__ = functools.partialmethod(_PRODUCTION_INIT, policy=policy)  # type: ignore[assignment,method-assign]


def restore_production_default() -> None:
    """Undo ``use_default_policy``."""
    Context.__init__ = _PRODUCTION_INIT  # type: ignore[method-assign]


@contextmanager
def default_policy(policy: crypto.KdfPolicy = TEST_POLICY) -> Iterator[None]:
    """``use_default_policy`` for the duration of a block (module-scoped fixtures)."""
    use_default_policy(policy)
    try:
        yield
    finally:
        restore_production_default()
