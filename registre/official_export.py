"""The official export: the register as a signed PDF, written atomically and recorded.

``export_pdf`` is the one service behind ``registre export --format pdf`` and the application's
export: it makes sure the register has its signing identity (``registre.signing``), reads the
register once (``registre.export_model.read_source``), runs the checker on those records for the
profiles that show the completeness report, builds the export model from the same records
(``registre.export_model``), renders it (``registre.pdf``), signs it, writes the file atomically
and records its SHA-256 in the audit trail (with a snapshot of what it published,
``registre.publications``) — or, on a read-only register, says it could not.
"""

from __future__ import annotations

import hashlib
import logging
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from registre.audit import AuditTrail
from registre.checker import check_organisations
from registre.export_model import (
    CommunicableOptions,
    Profile,
    build_document,
    parse_profile,
    read_source,
    shows_annexes,
)
from registre.files import write_atomic
from registre.pdf import Progress, SignerInfo, render_pdf, reportlab_accelerated
from registre.publications import REGISTER_PROFILES, record_publications
from registre.signing import SigningIdentity, cms_signature, ensure_signing_identity
from registre.storage import Register

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ExportResult:
    """What ``export_pdf`` wrote."""

    path: Path
    sha256: str
    pages: int
    profile: str
    fingerprint: str
    certificate_sha256: str
    recorded: bool = True  # False when read-only: the audit trail could not take the SHA-256


def export_pdf(
    register: Register,
    output: Path | str,
    *,
    profile: str | Profile = "full",
    organisation_id: str | None = None,
    progress: Progress | None = None,
    signing: SigningIdentity | None = None,
    options: CommunicableOptions | None = None,
) -> ExportResult:
    """Export the register (or one organisation) as a signed PDF written atomically to ``output``.

    ``progress(done, total)`` is called as activity sheets are laid out. ``signing`` is an
    organisation's certificate to sign with (``registre.signing.load_pkcs12``) instead of the
    register's own key. ``options`` are the communicable version's choices (completeness report,
    masking of security measures and of elected officials' names). The file's SHA-256 is
    recorded in the audit trail (action « exported », entity « export ») unless the register is
    read-only (``recorded=False``). Raises SigningKeyMissing on a read-only register without a
    key, RecordNotFound for an unknown organisation, UnknownProfile, StorageFailure when the
    file cannot be written.
    """
    chosen = parse_profile(profile)
    output = Path(output)
    if not reportlab_accelerated():
        log.warning("ReportLab runs without its C accelerator (rl_accel): exports are slower")
    # The organisation's own certificate when given, else the register's key (created at the
    # first export; SigningKeyMissing if read-only and none).
    identity = signing or ensure_signing_identity(register)
    source = read_source(register, organisation_id)  # one read, for the checker and the PDF
    report = None
    communicable = chosen == Profile.COMMUNICABLE
    if shows_annexes(chosen) and (not communicable or (options and options.completeness)):
        report = check_organisations(source.organisations, register.context.clock().date())
    document = build_document(
        register, profile=chosen, checked=report, source=source, options=options
    )
    if progress is not None:
        progress(0, document.sheet_count + 1)
    rendered = render_pdf(
        document,
        signer=SignerInfo(identity.signer, identity.fingerprint),
        progress=progress,
        sign=lambda content_digest: cms_signature(identity, content_digest),
    )
    signed = rendered.data
    digest = hashlib.sha256(signed).hexdigest()
    write_atomic(output, signed)
    if register.read_only:  # read-only media: the signed file stands, its hash goes unrecorded
        if progress is not None:
            progress(document.sheet_count + 1, document.sheet_count + 1)
        return ExportResult(
            output,
            digest,
            rendered.pages,
            chosen.value,
            document.fingerprint,
            identity.fingerprint,
            recorded=False,
        )
    try:
        with register.write() as session, AuditTrail(session, register.context.actor) as trail:
            trail.append(
                at=register.context.clock(),
                action="exported",
                entity="export",
                entity_id=register.context.new_id(),
                organisation_id=organisation_id
                or (document.parts[0].id if len(document.parts) == 1 else None),
                changes={
                    "file": output.name,
                    "format": "pdf",
                    "sha256": digest,
                    "profile": chosen.value,
                    "organisation": document.organisation_names,
                    "pages": rendered.pages,
                    "fingerprint": document.fingerprint,
                    "certificate_sha256": identity.fingerprint,
                },
            )
            if chosen.value in REGISTER_PROFILES:  # what was published, to list changes since
                record_publications(
                    session,
                    list(source.organisations),
                    new_id=register.context.new_id,
                    at=register.context.clock(),
                    profile=chosen.value,
                    fingerprint=document.fingerprint,
                    sha256=digest,
                    file=output.name,
                )
    except BaseException:
        with suppress(OSError):
            output.unlink()  # no official export without its audit record
        raise
    if progress is not None:
        progress(document.sheet_count + 1, document.sheet_count + 1)
    return ExportResult(
        path=output,
        sha256=digest,
        pages=rendered.pages,
        profile=chosen.value,
        fingerprint=document.fingerprint,
        certificate_sha256=identity.fingerprint,
    )


__all__ = ["ExportResult", "export_pdf"]
