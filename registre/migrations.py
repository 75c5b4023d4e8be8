"""Numbered schema migrations: step N turns a schema-N register into schema N+1.

Each step runs with the others in one transaction, after a verified backup of the register; a
register from a newer version is refused before anything is touched (``storage._probe``).
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, text

Step = Callable[[Connection], None]


def _add_template_provenance(connection: Connection) -> None:
    """Schema 2: an activity records the catalogue template (and version) it came from."""
    connection.execute(text("ALTER TABLE activity ADD COLUMN template_id VARCHAR(80)"))
    connection.execute(text("ALTER TABLE activity ADD COLUMN template_version VARCHAR(20)"))


STEPS: dict[int, Step] = {
    1: _add_template_provenance,
}

SCHEMA_VERSION = max(STEPS) + 1
"""The schema this version of Registre writes: one more than the last step's source."""
