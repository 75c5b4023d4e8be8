"""The register's signing identity and ``verify_pdf``: any changed byte is caught."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import select

from registre import services
from registre.errors import EXIT_DAMAGED
from registre.export_model import build_document
from registre.model import AuditEntry, Meta
from registre.official_export import export_pdf
from registre.pdf import SignerInfo, render_pdf
from registre.signing import (
    CERTIFICATE_META,
    KEY_META,
    Expected,
    SigningIdentity,
    SigningKeyMissing,
    UnreadableFile,
    WrongCertificatePassphrase,
    cms_signature,
    create_identity,
    ensure_signing_identity,
    load_pkcs12,
    load_signing_identity,
    normalised_fingerprint,
    read_certificate,
    sign_pdf,
    verify_pdf,
    verify_pdf_bytes,
)
from registre.storage import Register, open_register
from tests.conftest import PASSPHRASE


@pytest.fixture
def signed(register: Register, tmp_path: Path) -> bytes:
    """A small exported (signed) PDF."""
    org = services.create_organisation(register, name="Commune de Signy").id
    services.create_activity(
        register, organisation_id=org, name="État civil", reference="T-001", has_transfers=False
    )
    return export_pdf(register, tmp_path / "signe.pdf").path.read_bytes()


def test_identity_is_created_once_and_kept_in_the_register(register: Register) -> None:
    services.create_organisation(register, name="Commune de Clef")
    assert load_signing_identity(register) is None
    identity = ensure_signing_identity(register)
    again = ensure_signing_identity(register)
    assert again.fingerprint == identity.fingerprint
    key, certificate, chain = identity  # the register's own certificate has no issuer chain
    assert chain == ()
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"
    subject = certificate.subject
    assert subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == (
        "Registre — Commune de Clef"
    )
    assert subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Commune de Clef"
    assert certificate.issuer == subject  # self-signed
    validity = certificate.not_valid_after_utc - certificate.not_valid_before_utc
    assert dt.timedelta(days=3650) <= validity <= dt.timedelta(days=3660)
    usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    with register.read() as session:
        stored = dict(session.execute(select(Meta.key, Meta.value)).all())
        created = session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "signing_certificate")
        ).all()
        assert len(created) == 1
        assert created[0].changes["certificate_sha256"] == [None, identity.fingerprint]
    assert stored[KEY_META].startswith("-----BEGIN PRIVATE KEY-----")
    assert stored[CERTIFICATE_META].startswith("-----BEGIN CERTIFICATE-----")
    directory = register.directory
    register.close()
    with open_register(directory, PASSPHRASE, context=register.context) as reopened:
        assert ensure_signing_identity(reopened).fingerprint == identity.fingerprint


def test_read_only_register_without_key_cannot_sign(register: Register) -> None:
    services.create_organisation(register, name="Commune de Lecture")
    directory, context = register.directory, register.context
    register.close()
    with (
        open_register(directory, PASSPHRASE, read_only=True, context=context) as read_only,
        pytest.raises(SigningKeyMissing) as refused,
    ):
        ensure_signing_identity(read_only)
    assert refused.value.exit_code == 7
    assert "lecture seule" in refused.value.message("fr")
    assert "écriture" in refused.value.hint("fr")


def test_long_names_fit_in_the_certificate() -> None:
    identity = create_identity("x" * 500, "y" * 500, dt.datetime(2026, 3, 14, tzinfo=dt.UTC))
    assert len(identity.signer) <= 64
    assert identity.signer.startswith("Registre — x")


def test_intact_export_verifies_without_the_register(signed: bytes, tmp_path: Path) -> None:
    path = tmp_path / "copie.pdf"
    path.write_bytes(signed)
    result = verify_pdf(path)
    assert result.intact and result.exit_code == 0
    assert result.signer == "Registre — Commune de Signy"
    assert re.fullmatch(r"[0-9a-f]{64}", result.certificate_sha256)
    assert result.signed_at is not None
    assert "Commune de Signy" in result.message("fr")
    assert result.message("en").startswith("Intact")


def _byte_range(data: bytes) -> list[int]:
    found = re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", data)
    assert found is not None
    return [int(v) for v in found.groups()]


def _flipped(data: bytes, position: int) -> bytes:
    changed = bytearray(data)
    changed[position] ^= 0x01
    return bytes(changed)


def test_changing_any_single_byte_is_detected(signed: bytes) -> None:
    _start1, length1, start2, _length2 = _byte_range(signed)
    gap_end = start2 - 1  # the closing ">" of /Contents
    signature = signed[length1 + 1 : gap_end]
    padding = length1 + 1 + len(signature.rstrip(b"0")) + 5
    positions = {
        0,  # %PDF header
        6,
        len(signed) // 3,
        len(signed) // 2,
        length1 - 1,  # just before the signature
        length1,  # its opening "<"
        length1 + 10,  # inside the DER signature
        padding,  # inside the zero padding (parsers ignore it)
        gap_end,  # its closing ">"
        start2,
        signed.index(b"/ByteRange") + 12,  # the signed range itself
        len(signed) - 2,
        len(signed) - 1,  # the last byte
    }
    positions |= set(range(0, len(signed), max(1, len(signed) // 150)))
    # The signature itself is not covered by its digest: sample the whole of it.
    positions |= set(range(length1, length1 + len(signature.rstrip(b"0")), 37))
    for position in sorted(positions):
        result = verify_pdf_bytes(_flipped(signed, position))
        assert not result.intact, position
        assert result.exit_code == EXIT_DAMAGED
        assert result.reason and result.reason_en


def test_hex_case_change_in_the_signature_is_detected(signed: bytes) -> None:
    _start1, length1, start2, _length2 = _byte_range(signed)
    position = signed.index(b"A", length1, start2)
    changed = bytearray(signed)
    changed[position] = ord("a")  # same bytes once decoded, but not the exported file
    assert not verify_pdf_bytes(bytes(changed)).intact


def test_appended_removed_or_re_signed_files_are_not_intact(signed: bytes) -> None:
    for changed in (signed + b"\n", signed + b"%%EOF\n", signed[:-1], signed[: len(signed) // 2]):
        result = verify_pdf_bytes(changed)
        assert not result.intact
    # A further incremental update signed by someone else: no longer the exported file.
    other = create_identity("Intrus", None, dt.datetime.now(dt.UTC))
    resigned = sign_pdf(signed, other, reason="modifié", field_name="Autre")
    result = verify_pdf_bytes(resigned)
    assert not result.intact
    assert "plusieurs signatures" in result.reason


def test_unsigned_or_non_pdf_files_are_not_intact(tmp_path: Path) -> None:
    assert "pas un fichier PDF" in verify_pdf_bytes(b"hello").reason
    assert not verify_pdf_bytes(b"").intact
    assert not verify_pdf_bytes(b"%PDF-1.7\n%%EOF\n").intact
    with pytest.raises(UnreadableFile) as missing:
        verify_pdf(tmp_path / "absent.pdf")
    assert missing.value.exit_code == 2
    assert "introuvable" in missing.value.message("fr")


def test_unsigned_rendering_is_reported_unsigned(register: Register) -> None:
    from registre.export_model import build_document
    from registre.pdf import render_pdf

    services.create_organisation(register, name="Commune Sans Signature")
    data = render_pdf(build_document(register)).data
    result = verify_pdf_bytes(data)
    assert not result.intact
    assert "pas signé" in result.reason


# --------------------------------------------------------------------------------------------
# Who signed: the printed fingerprint, the expected signer
# --------------------------------------------------------------------------------------------


def _forged(register: Register, printed: SigningIdentity, signing: SigningIdentity) -> bytes:
    """The register rendered with ``printed``'s fingerprint on its cover, signed by
    ``signing`` (a forger re-signing a changed export)."""
    document = build_document(register)
    return render_pdf(
        document,
        signer=SignerInfo(printed.signer, printed.fingerprint),
        sign=lambda digest: cms_signature(signing, digest),
    ).data


def test_a_file_signed_by_another_certificate_than_the_printed_one_is_altered(
    register: Register, signed: bytes
) -> None:
    genuine = ensure_signing_identity(register)
    forger = create_identity("Commune de Signy", "Commune de Signy", dt.datetime.now(dt.UTC))
    result = verify_pdf_bytes(_forged(register, genuine, forger))
    assert not result.intact and result.exit_code == EXIT_DAMAGED
    assert genuine.fingerprint in result.reason and forger.fingerprint in result.reason
    # The genuine export names its own certificate and verifies, signer not yet verified.
    intact = verify_pdf_bytes(signed)
    assert intact.intact and intact.printed_sha256 == genuine.fingerprint
    assert intact.trusted is None and "NON vérifié" in intact.message("fr")


def test_an_expected_fingerprint_or_trusted_certificate_refuses_any_other_signer(
    register: Register, signed: bytes, tmp_path: Path
) -> None:
    genuine = ensure_signing_identity(register)
    # A forger's own consistent file, named like the register: intact, but not the expected one.
    forger = create_identity("Commune de Signy", "Commune de Signy", dt.datetime.now(dt.UTC))
    forged = _forged(register, forger, forger)
    assert verify_pdf_bytes(forged).intact
    grouped = " ".join(genuine.fingerprint[i : i + 4].upper() for i in range(0, 64, 4))
    expected = Expected(frozenset({normalised_fingerprint(grouped) or ""}))
    assert verify_pdf_bytes(signed, expected).trusted is True
    refused = verify_pdf_bytes(forged, expected)
    assert not refused.intact and "pas le signataire attendu" in refused.reason
    pem = tmp_path / "registre.pem"
    pem.write_bytes(genuine.certificate.public_bytes(serialization.Encoding.PEM))
    trusted = Expected(certificates=(read_certificate(pem),))
    assert verify_pdf_bytes(signed, trusted).message("fr").endswith("certificat attendu.")
    assert verify_pdf_bytes(forged, trusted).exit_code == EXIT_DAMAGED


# --------------------------------------------------------------------------------------------
# Signing with the organisation's own certificate (PKCS#12)
# --------------------------------------------------------------------------------------------


def _authority_and_p12(tmp_path: Path, password: bytes) -> tuple[Path, Path, x509.Certificate]:
    """A certification authority (RSA) and a PKCS#12 file of the mayor's certificate it issued,
    with the chain."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12

    now = dt.datetime.now(dt.UTC)

    def name(common: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])

    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("Autorité de test"))
        .issuer_name(name("Autorité de test"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    mayor = (
        x509.CertificateBuilder()
        .subject_name(name("Maire de Signy"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(ca_key, hashes.SHA256())
    )
    p12 = tmp_path / "maire.p12"
    p12.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"maire", key, mayor, [ca], serialization.BestAvailableEncryption(password)
        )
    )
    ca_pem = tmp_path / "autorite.pem"
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return p12, ca_pem, mayor


def test_export_signed_with_the_organisations_certificate_verifies_against_its_authority(
    register: Register, tmp_path: Path
) -> None:
    services.create_organisation(register, name="Commune de Signy")
    p12, ca_pem, mayor = _authority_and_p12(tmp_path, b"secret du maire")
    with pytest.raises(WrongCertificatePassphrase) as wrong:
        load_pkcs12(p12, "pas le bon")
    assert wrong.value.exit_code == 3
    identity = load_pkcs12(p12, "secret du maire")
    assert len(identity.chain) == 1
    result = export_pdf(register, tmp_path / "maire.pdf", signing=identity)
    checked = verify_pdf(result.path)
    assert checked.intact and checked.signer == "Maire de Signy"
    assert checked.certificate_sha256 == checked.printed_sha256 == identity.fingerprint
    assert result.certificate_sha256 == identity.fingerprint
    trusted = verify_pdf(result.path, Expected(certificates=(read_certificate(ca_pem),)))
    assert trusted.intact and trusted.trusted
    # The register's own exports are not issued by that authority.
    own = export_pdf(register, tmp_path / "registre.pdf")
    assert verify_pdf(own.path, Expected(certificates=(read_certificate(ca_pem),))).exit_code == 4
    assert mayor.subject != ensure_signing_identity(register).certificate.subject
