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
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

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
from registre.publications import (
    REGISTER_PROFILES,
    changes_from_source,
    cover_summary,
    record_publications,
    snapshot_of,
)
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


@dataclass(frozen=True)
class WrittenExport:
    """A signed PDF written to disk and not yet recorded (``record_exports`` records it)."""

    result: ExportResult
    organisation_id: str | None  # the organisation the audit entry names, when only one
    organisation_names: str
    steps: int  # progress steps of the layout, plus one for the recording
    snapshots: tuple[tuple[str, dict[str, Any]], ...] = ()  # what it published, per organisation


def export_pdf(
    register: Register,
    output: Path | str,
    *,
    profile: str | Profile = "full",
    organisation_id: str | None = None,
    progress: Progress | None = None,
    signing: SigningIdentity | None = None,
    options: CommunicableOptions | None = None,
    with_changes: bool = False,
) -> ExportResult:
    """Export the register (or one organisation) as a signed PDF written atomically to ``output``.

    ``progress(done, total)`` is called as activity sheets are laid out. ``signing`` is an
    organisation's certificate to sign with (``registre.signing.load_pkcs12``) instead of the
    register's own key. ``options`` are the communicable version's choices (completeness report,
    masking of security measures and of elected officials' names). The file's SHA-256 is
    recorded in the audit trail (action « exported », entity « export ») unless the register is
    read-only (``recorded=False``). Raises SigningKeyMissing on a read-only register without a
    key, RecordNotFound for an unknown organisation, UnknownProfile, StorageFailure when the
    file cannot be written. ``with_changes`` prints on the cover, per organisation, what changed
    since its last publication.
    """
    written = write_export(
        register,
        output,
        profile=profile,
        organisation_id=organisation_id,
        progress=progress,
        signing=signing,
        options=options,
        with_changes=with_changes,
    )
    if not register.read_only:  # read-only media: the signed file stands, its hash unrecorded
        try:
            record_exports(register, [written])
        except BaseException:
            with suppress(OSError):
                written.result.path.unlink()  # no official export without its audit record
            raise
    if progress is not None:
        progress(written.steps, written.steps)
    if register.read_only:
        return replace(written.result, recorded=False)
    return written.result


def write_export(
    register: Register,
    output: Path | str,
    *,
    profile: str | Profile = "full",
    organisation_id: str | None = None,
    progress: Progress | None = None,
    signing: SigningIdentity | None = None,
    options: CommunicableOptions | None = None,
    with_changes: bool = False,
) -> WrittenExport:
    """Lay out, sign and write the PDF atomically, recording nothing (``export_pdf`` records
    it; a batch records in the process holding the register what its workers wrote)."""
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
    if with_changes and chosen.value in REGISTER_PROFILES:
        document = _with_changes(register, document, source.organisations)
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
    snapshots: tuple[tuple[str, dict[str, Any]], ...] = ()
    if chosen.value in REGISTER_PROFILES:  # what was published, to list the changes since
        snapshots = tuple((org["id"], snapshot_of(org)) for org in source.organisations)
    return WrittenExport(
        ExportResult(
            path=output,
            sha256=digest,
            pages=rendered.pages,
            profile=chosen.value,
            fingerprint=document.fingerprint,
            certificate_sha256=identity.fingerprint,
        ),
        organisation_id or (document.parts[0].id if len(document.parts) == 1 else None),
        document.organisation_names,
        document.sheet_count + 1,
        snapshots,
    )


def _with_changes(register: Register, document: Any, organisations: Any) -> Any:
    """``document`` whose cover says, per organisation, what changed since its last
    publication (the content and its fingerprint are unchanged)."""
    with register.read() as session:
        summaries = {
            changes.organisation_id: cover_summary(changes)
            for changes in changes_from_source(session, list(organisations))
        }
    parts = tuple(
        replace(part, changes_since=summaries.get(part.id, "")) for part in document.parts
    )
    return replace(document, parts=parts)


def record_exports(register: Register, exports: Sequence[WrittenExport]) -> None:
    """Record written exports in one transaction: per file an audit entry with its SHA-256
    (action « exported », entity « export ») and the publication snapshots."""
    context = register.context
    with register.write() as session, AuditTrail(session, context.actor) as trail:
        for written in exports:
            result = written.result
            at = context.clock()
            trail.append(
                at=at,
                action="exported",
                entity="export",
                entity_id=context.new_id(),
                organisation_id=written.organisation_id,
                changes={
                    "file": result.path.name,
                    "format": "pdf",
                    "sha256": result.sha256,
                    "profile": result.profile,
                    "organisation": written.organisation_names,
                    "pages": result.pages,
                    "fingerprint": result.fingerprint,
                    "certificate_sha256": result.certificate_sha256,
                },
            )
            record_publications(
                session,
                written.snapshots,
                new_id=context.new_id,
                at=at,
                profile=result.profile,
                fingerprint=result.fingerprint,
                sha256=result.sha256,
                file=result.path.name,
            )


__all__ = ["ExportResult", "WrittenExport", "export_pdf", "record_exports", "write_export"]
