"""Import and export in open formats: JSON (complete), CNIL template (ODS/XLSX), CSV, W3C DPV.

The command line and the desktop application call four functions:

- ``export_register(register, output, fmt, organisation_id=None)`` writes an export atomically;
- ``export_bytes(register, fmt, organisation_id=None)`` returns it (to hash or preview it);
- ``plan_import(register, path, mapping_file=None, organisation_id=None)`` reads a file, format
  detected from its content, and says what importing it would create, update, ignore and fail
  to understand, without writing anything (``--dry-run``);
- ``apply_import(register, plan)`` writes that plan in one transaction.

Every problem with the file is an ``InvalidImportFile`` (exit code 6) raised before anything is
written. Details: ``docs/interchange.md``.
"""

from __future__ import annotations

import io
from pathlib import Path

from registre import services
from registre.errors import RecordNotFound
from registre.files import write_atomic, write_atomic_stream
from registre.interchange import cnil_export, csv_format, dpv, json_format
from registre.interchange.errors import InvalidImportFile, OrganisationRequired, UnsupportedFormat
from registre.interchange.importer import (
    MAX_FILE_BYTES,
    ImportFile,
    apply_import,
    plan_import,
    read_import,
)
from registre.interchange.json_format import FORMAT_VERSION, json_schema, json_schema_text
from registre.interchange.plan import ImportPlan, ImportReport, PlanEntry
from registre.schema import ORGANISATION
from registre.storage import Register

EXPORT_FORMATS = ("json", "csv", "xlsx", "ods", "dpv")
EXTENSIONS = {"json": ".json", "csv": ".csv", "xlsx": ".xlsx", "ods": ".ods", "dpv": ".jsonld"}

__all__ = [
    "EXPORT_FORMATS",
    "EXTENSIONS",
    "FORMAT_VERSION",
    "MAX_FILE_BYTES",
    "ImportFile",
    "ImportPlan",
    "ImportReport",
    "InvalidImportFile",
    "OrganisationRequired",
    "PlanEntry",
    "UnsupportedFormat",
    "apply_import",
    "export_bytes",
    "export_register",
    "json_schema",
    "json_schema_text",
    "plan_import",
    "read_import",
]


def single_organisation(register: Register, organisation_id: str | None) -> str:
    """The organisation a one-organisation export (CSV, CNIL template) is about."""
    organisations = services.list_organisations(register)
    if organisation_id is not None:
        if any(organisation.id == organisation_id for organisation in organisations):
            return organisation_id
        raise RecordNotFound(entity=ORGANISATION.label_fr, id=organisation_id)
    if len(organisations) == 1:
        return organisations[0].id
    listing = "; ".join(f"{o.name} : {o.id}" for o in organisations)
    raise OrganisationRequired(
        reason=f"{len(organisations)} organismes dans ce registre — {listing}",
        reason_en=f"{len(organisations)} organisations in this register — {listing}",
    )


def export_bytes(register: Register, fmt: str, *, organisation_id: str | None = None) -> bytes:
    """The export of ``register`` (or one organisation) in ``fmt``, built in memory.

    JSON and DPV cover every organisation unless one is given; CSV, XLSX and ODS (the CNIL
    template layout) cover one organisation: the only one, or ``organisation_id``.
    """
    if fmt == "json":
        if organisation_id is not None:
            single_organisation(register, organisation_id)
        return json_format.dumps(json_format.export_document(register, organisation_id))
    if fmt == "dpv":
        if organisation_id is not None:
            single_organisation(register, organisation_id)
        return dpv.dpv_bytes(register, organisation_id)
    if fmt not in EXPORT_FORMATS:
        raise UnsupportedFormat(format=fmt, choices=", ".join(EXPORT_FORMATS))
    target = single_organisation(register, organisation_id)
    organisation = json_format.load_organisations(register, target)[0]
    if fmt == "csv":
        return csv_format.csv_bytes(organisation)
    buffer = io.BytesIO()
    cnil_export.write_workbook(organisation, fmt, buffer)
    return buffer.getvalue()


def export_register(
    register: Register, output: Path, fmt: str, *, organisation_id: str | None = None
) -> Path:
    """Write the export to ``output`` atomically (temporary file, fsync, replace).

    The CNIL workbooks (XLSX, ODS) are streamed into the temporary file sheet by sheet.
    """
    output = Path(output)
    if fmt in ("xlsx", "ods"):
        target = single_organisation(register, organisation_id)
        organisation = json_format.load_organisations(register, target)[0]
        write_atomic_stream(
            output, lambda stream: cnil_export.write_workbook(organisation, fmt, stream)
        )
        return output
    data = export_bytes(register, fmt, organisation_id=organisation_id)
    write_atomic(output, data)
    return output
