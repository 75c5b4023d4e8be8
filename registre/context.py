"""What the core takes from the outside world: clock, randomness, identity, KDF policy."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from registre import crypto
from registre.lock import current_user


def new_id() -> str:
    """A fresh random UUID as text (the identifier of a new record)."""
    return str(uuid.uuid4())


def utc_now() -> dt.datetime:
    """The current time, timezone-aware UTC."""
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Context:
    """Injected into every storage and service call, so dates, ids and costs are testable."""

    clock: Callable[[], dt.datetime] = utc_now
    random_bytes: Callable[[int], bytes] = os.urandom
    new_id: Callable[[], str] = new_id
    actor: str = field(default_factory=current_user)
    policy: crypto.KdfPolicy = crypto.PRODUCTION_POLICY

    @property
    def kdf_policy(self) -> crypto.KdfPolicy:
        """The Argon2id bounds and creation target to apply."""
        return self.policy
