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


def _add_legacy_notes(connection: Connection) -> None:
    """Schema 3: an activity keeps what an import found no field for (« Titre : valeur »)."""
    connection.execute(text("ALTER TABLE activity ADD COLUMN legacy_notes TEXT"))


_LEGAL_COLUMNS = (
    ("organisation", "staff_count INTEGER"),
    ("activity", "regime VARCHAR(20)"),
    ("activity", "nir_authority TEXT"),
    ("activity", "uses_profiling BOOLEAN"),
    ("activity", "data_subjects_count INTEGER"),
    ("activity", "dpia_exemption VARCHAR(60)"),
    ("purpose", "legal_basis VARCHAR(10)"),
    ("transfer", "international_organisation TEXT"),
    ("transfer", "adequacy_covered BOOLEAN"),
    ("processor", "adequacy_covered BOOLEAN"),
    ("software", "adequacy_covered BOOLEAN"),
)


def _add_legal_details(connection: Connection) -> None:
    """Schema 4: what the law asks beyond Article 30's list.

    The regime (GDPR or law enforcement), the text authorising the NIR, profiling, the number
    of data subjects, the CNIL's DPIA exemption, a legal basis per purpose, transfers to an
    international organisation, and whether a recipient is covered by a limited adequacy
    decision; the organisation's headcount.
    """
    for table, column in _LEGAL_COLUMNS:
        connection.execute(text(f"ALTER TABLE {table} ADD COLUMN {column}"))


STEPS: dict[int, Step] = {
    1: _add_template_provenance,
    2: _add_legacy_notes,
    3: _add_legal_details,
}
