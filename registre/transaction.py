"""Several service calls as one transaction: all of them are kept, or none.

A service function owns its transaction (``register.write()``). An action made of several of
them (a duplication to many organisations, a bulk edit, the acceptance of an exchange file) must
not leave half its work behind when one call is refused or the disk fills up midway.
``one_transaction(register)`` opens one write transaction and yields a stand-in for the register
whose ``write()`` and ``read()`` join it: the service functions called with the stand-in run
unchanged (each still writes its audit entries, chained in order) and see each other's work; the
whole is committed when the block ends, and rolled back, audit entries included, if anything in
it raises.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from registre.storage import Register


class _Joined:
    """The register, as seen from inside one open write transaction."""

    def __init__(self, register: Register, session: Session) -> None:
        self._register = register
        self._session = session

    def __getattr__(self, name: str) -> Any:
        return getattr(self._register, name)

    @contextmanager
    def write(self) -> Iterator[Session]:
        """The open transaction (committed or rolled back by ``one_transaction``)."""
        yield self._session

    @contextmanager
    def read(self) -> Iterator[Session]:
        """The open transaction too: reads see what the block already wrote."""
        yield self._session


@contextmanager
def one_transaction(register: Register) -> Iterator[Register]:
    """Yield a register whose service calls all run in one transaction, kept or dropped whole."""
    if isinstance(cast(Any, register), _Joined):  # already inside one: join it
        yield register
        return
    with register.write() as session:
        yield cast("Register", _Joined(register, session))


__all__ = ["one_transaction"]
