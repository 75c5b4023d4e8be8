"""The register's signing identity and the PAdES signature of its exports.

Each register holds one signing key (ECDSA P-256) and its self-signed X.509 certificate, created
the first time something is exported and kept in the encrypted database (``meta`` table, keys
``signing_key_pem`` and ``signing_certificate_pem``): whoever can open the register can sign in
its name, nobody else can. Every exported PDF carries an embedded PAdES signature made with that
key; ``verify_pdf`` checks a file without the register: the signature must be intact and cover
every byte of the file, so changing, adding or removing a single byte makes it fail.

The certificate is self-signed: the signature proves the file was not changed since a holder of
the register's key produced it. *Who* that holder is comes from the certificate's SHA-256
fingerprint, printed on the cover of every export, shown by ``registre verify`` and which the
organisation can publish or send by another channel.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import io
import itertools
import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID
from sqlalchemy import select

from registre.audit import AuditTrail
from registre.errors import (
    EXIT_DAMAGED,
    EXIT_INVALID_INPUT,
    EXIT_OK,
    EXIT_STORAGE,
    EXIT_USAGE,
    EXIT_WRONG_SECRET,
    RegistreError,
    WrongPassphrase,
)
from registre.model import Meta, Organisation, table_of
from registre.storage import Register

KEY_META = "signing_key_pem"
CERTIFICATE_META = "signing_certificate_pem"
SIGNATURE_FIELD = "Registre"
VALIDITY = dt.timedelta(days=3653)  # ten years
NAME_LIMIT = 64  # RFC 5280 upper bound of a common name / organisation name


class SigningKeyMissing(RegistreError):
    """A read-only register has no signing key yet: it cannot sign an export."""

    exit_code = EXIT_STORAGE
    text_fr = (
        "Le registre « {register} » n'a pas encore de clé de signature et il est ouvert en "
        "lecture seule : l'export PDF signé est impossible."
    )
    text_en = (
        "Register “{register}” has no signing key yet and is open read-only: a signed PDF "
        "export is impossible."
    )
    hint_fr = (
        "Ouvrez le registre une fois en écriture (fermez les autres fenêtres qui l'utilisent) : "
        "la clé est créée au premier export, puis reste dans le registre."
    )
    hint_en = (
        "Open the register once for writing (close the other windows using it): the key is "
        "created at the first export and then stays in the register."
    )


class SigningIdentityDamaged(RegistreError):
    """The signing key or certificate stored in the register cannot be read."""

    exit_code = EXIT_DAMAGED
    text_fr = "La clé de signature du registre « {register} » est illisible ({reason})."
    text_en = "The signing key of register “{register}” is unreadable ({reason_en})."
    hint_fr = "Restaurez la dernière sauvegarde du registre."
    hint_en = "Restore the register's latest backup."


_READ_ERRORS = {
    errno.ENOENT: ("fichier introuvable", "file not found"),
    errno.EISDIR: ("c'est un dossier", "it is a folder"),
    errno.EACCES: ("permission refusée", "permission denied"),
    errno.EPERM: ("permission refusée", "permission denied"),
}


class UnreadableFile(RegistreError):
    """The file to verify cannot be read (missing, permission…)."""

    exit_code = EXIT_USAGE
    text_fr = "Impossible de lire « {path} » : {reason}."
    text_en = "Cannot read “{path}”: {reason_en}."


class SigningIdentity(NamedTuple):
    """A signing key and its certificate: the register's own (ECDSA P-256, self-signed), or an
    organisation's certificate with the chain of its issuers (``load_pkcs12``)."""

    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()

    @property
    def signer(self) -> str:
        """The certificate's common name: « Registre — Commune de … »."""
        return common_name(self.certificate)

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the DER certificate, lowercase hex."""
        return certificate_sha256(self.certificate)


def common_name(certificate: x509.Certificate) -> str:
    """The subject's common name (empty when it has none)."""
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    value = names[0].value if names else ""
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def certificate_sha256(certificate: x509.Certificate) -> str:
    """SHA-256 fingerprint of the DER encoding, lowercase hex."""
    return certificate.fingerprint(hashes.SHA256()).hex()


def _bounded(text: str) -> str:
    """``text`` on one line, cut to the 64 UTF-8 bytes X.509 allows a name."""
    text = " ".join(re.sub(r"[\x00-\x1f\x7f-\x9f]", " ", text).split()) or "Registre"
    if len(text.encode("utf-8")) <= NAME_LIMIT:
        return text
    while len((text + "…").encode("utf-8")) > NAME_LIMIT:
        text = text[:-1]
    return text.rstrip() + "…"


def create_identity(
    subject_name: str, organisation: str | None, now: dt.datetime
) -> SigningIdentity:
    """A fresh P-256 key and its self-signed certificate, valid ten years from ``now``."""
    key = ec.generate_private_key(ec.SECP256R1())
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, _bounded(f"Registre — {subject_name}"))]
    if organisation:
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, _bounded(organisation)))
    attributes.append(x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"))
    name = x509.Name(attributes)
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    public = key.public_key()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    return SigningIdentity(key, certificate)


def _decode(register: Register, key_pem: str, certificate_pem: str) -> SigningIdentity:
    secret = register.signing_key_secret()
    try:
        key = serialization.load_pem_private_key(key_pem.encode("ascii"), password=secret)
        certificate = x509.load_pem_x509_certificate(certificate_pem.encode("ascii"))
    except (ValueError, TypeError, UnicodeError) as exc:
        if secret is not None and "ENCRYPTED" in key_pem:
            raise WrongPassphrase(register=register.name) from exc
        raise SigningIdentityDamaged(
            register=register.name, reason="format invalide", reason_en="invalid format"
        ) from exc
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise SigningIdentityDamaged(
            register=register.name, reason="type de clé inattendu", reason_en="unexpected key type"
        )
    return SigningIdentity(key, certificate)


def load_signing_identity(register: Register) -> SigningIdentity | None:
    """The identity stored in the register, or None when it has none yet."""
    meta = table_of(Meta)  # no mapper configuration for an export
    with register.read() as session:
        stored = dict(
            session.execute(
                select(meta.c.key, meta.c.value).where(
                    meta.c.key.in_((KEY_META, CERTIFICATE_META))
                )
            ).all()
        )
    if KEY_META not in stored or CERTIFICATE_META not in stored:
        return None
    return _decode(register, stored[KEY_META], stored[CERTIFICATE_META])


class SigningCertificateUnusable(RegistreError):
    """The certificate file given to sign with cannot be used."""

    exit_code = EXIT_INVALID_INPUT
    text_fr = "Le certificat de signature « {path} » est inutilisable : {reason}."
    text_en = "The signing certificate “{path}” cannot be used: {reason_en}."


class WrongCertificatePassphrase(RegistreError):
    """The passphrase does not open the PKCS#12 file."""

    exit_code = EXIT_WRONG_SECRET
    text_fr = "Phrase de passe incorrecte pour le certificat « {path} »."
    text_en = "Wrong passphrase for the certificate “{path}”."
    hint_fr = "Elle se donne dans la variable d'environnement REGISTRE_SIGNING_PASSPHRASE."
    hint_en = "It is given in the REGISTRE_SIGNING_PASSPHRASE environment variable."


def load_pkcs12(path: Path, passphrase: str | None) -> SigningIdentity:
    """An organisation's signing identity from a PKCS#12 file (``.p12``, ``.pfx``): its key
    (RSA or ECDSA), its certificate and the chain of issuers the file holds."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        data = path.read_bytes()
    except OSError as exc:
        reason, reason_en = _READ_ERRORS.get(exc.errno or 0, ("erreur de lecture", "read error"))
        raise UnreadableFile(path=str(path), reason=reason, reason_en=reason_en) from exc
    secret = passphrase.encode("utf-8") if passphrase else None
    try:
        key, certificate, others = pkcs12.load_key_and_certificates(data, secret)
    except ValueError as exc:
        if data[:1] == b"\x30":  # a DER structure that did not open: the passphrase is wrong
            raise WrongCertificatePassphrase(path=str(path)) from exc
        raise SigningCertificateUnusable(
            path=str(path),
            reason="fichier PKCS#12 illisible ou phrase de passe incorrecte",
            reason_en="unreadable PKCS#12 file or wrong passphrase",
        ) from exc
    if certificate is None or not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise SigningCertificateUnusable(
            path=str(path),
            reason="il ne contient pas une clé RSA ou ECDSA et son certificat",
            reason_en="it does not hold an RSA or ECDSA key and its certificate",
        )
    chain = _chain(certificate, list(others))
    return SigningIdentity(key, certificate, tuple(chain))


def _chain(certificate: x509.Certificate, others: list[x509.Certificate]) -> list[x509.Certificate]:
    """The issuers of ``certificate`` among ``others``, nearest first."""
    chain: list[x509.Certificate] = []
    current = certificate
    while current.issuer != current.subject:
        issuer = next(
            (c for c in others if c.subject == current.issuer and c not in chain), None
        )
        if issuer is None:
            break
        chain.append(issuer)
        current = issuer
    return chain


def ensure_signing_identity(register: Register) -> SigningIdentity:
    """The register's signing identity, created and stored on first use.

    Creation needs the register open for writing (SigningKeyMissing otherwise); it is recorded in
    the audit trail with the certificate's fingerprint.
    """
    found = load_signing_identity(register)
    if found is not None:
        return found
    if register.read_only:
        raise SigningKeyMissing(register=register.name)
    with register.write() as session, AuditTrail(session, register.context.actor) as trail:
        stored = dict(
            session.execute(
                select(Meta.key, Meta.value).where(Meta.key.in_((KEY_META, CERTIFICATE_META)))
            ).all()
        )
        if KEY_META in stored and CERTIFICATE_META in stored:  # created meanwhile
            return _decode(register, stored[KEY_META], stored[CERTIFICATE_META])
        names = list(session.scalars(select(Organisation.name).order_by(Organisation.name)))
        organisation = names[0] if len(names) == 1 else None
        now = register.context.clock()
        identity = create_identity(organisation or register.name, organisation, now)
        secret = register.signing_key_secret()
        key_pem = identity.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(secret)
            if secret
            else serialization.NoEncryption(),
        ).decode("ascii")
        certificate_pem = identity.certificate.public_bytes(serialization.Encoding.PEM).decode(
            "ascii"
        )
        session.add_all(
            [Meta(key=KEY_META, value=key_pem), Meta(key=CERTIFICATE_META, value=certificate_pem)]
        )
        trail.append(
            at=now,
            action="created",
            entity="signing_certificate",
            entity_id=register.context.new_id(),
            organisation_id=None,
            changes={
                "subject": [None, identity.signer],
                "certificate_sha256": [None, identity.fingerprint],
            },
        )
    return identity


# --------------------------------------------------------------------------------------------
# Signing
# --------------------------------------------------------------------------------------------


def cms_signature(identity: SigningIdentity, digest: bytes) -> bytes:
    """A detached CMS (CAdES baseline) signature by ``identity`` of the SHA-256 ``digest``.

    Signed attributes: content type, message digest and the signing certificate (ESS
    signing-certificate-v2), as PAdES asks; the signing time is the signature dictionary's
    ``/M``. The certificate comes first, then its issuers. ECDSA signs deterministically
    (RFC 6979), as RSA PKCS#1 v1.5 does: the same document signed at the same time by the same
    key gives the same bytes.
    """
    from asn1crypto import algos, cms, core, tsp  # type: ignore[import-untyped]
    from asn1crypto import x509 as asn1_x509

    certificate_der = identity.certificate.public_bytes(serialization.Encoding.DER)
    certificate = asn1_x509.Certificate.load(certificate_der)
    issuer_serial = {
        "issuer": certificate.issuer,
        "serial_number": certificate.serial_number,
    }
    signed_attributes = cms.CMSAttributes(
        [
            cms.CMSAttribute({"type": "content_type", "values": ["data"]}),
            cms.CMSAttribute({"type": "message_digest", "values": [digest]}),
            cms.CMSAttribute(
                {
                    "type": "signing_certificate_v2",
                    "values": [
                        tsp.SigningCertificateV2(
                            {
                                "certs": [
                                    tsp.ESSCertIDv2(
                                        {
                                            "hash_algorithm": {"algorithm": "sha256"},
                                            "cert_hash": hashlib.sha256(certificate_der).digest(),
                                            "issuer_serial": {
                                                "issuer": [
                                                    asn1_x509.GeneralName(
                                                        name="directory_name",
                                                        value=certificate.issuer,
                                                    )
                                                ],
                                                "serial_number": certificate.serial_number,
                                            },
                                        }
                                    )
                                ]
                            }
                        )
                    ],
                }
            ),
        ]
    )
    to_sign = signed_attributes.dump()
    if isinstance(identity.key, rsa.RSAPrivateKey):
        value = identity.key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
        algorithm = "sha256_rsa"
    else:
        value = identity.key.sign(to_sign, ec.ECDSA(hashes.SHA256(), deterministic_signing=True))
        algorithm = "sha256_ecdsa"
    signer_info = cms.SignerInfo(
        {
            "version": "v1",
            "sid": cms.SignerIdentifier(
                name="issuer_and_serial_number", value=cms.IssuerAndSerialNumber(issuer_serial)
            ),
            "digest_algorithm": algos.DigestAlgorithm({"algorithm": "sha256"}),
            "signed_attrs": signed_attributes,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": algorithm}),
            "signature": core.OctetString(value),
        }
    )
    signed_data = cms.SignedData(
        {
            "version": "v1",
            "digest_algorithms": [algos.DigestAlgorithm({"algorithm": "sha256"})],
            "encap_content_info": {"content_type": "data"},
            "certificates": [
                certificate,
                *(
                    asn1_x509.Certificate.load(issuer.public_bytes(serialization.Encoding.DER))
                    for issuer in identity.chain
                ),
            ],
            "signer_infos": [signer_info],
        }
    )
    return bytes(cms.ContentInfo({"content_type": "signed_data", "content": signed_data}).dump())


def _pyhanko_signer(identity: SigningIdentity) -> object:
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    certificate = asn1_x509.Certificate.load(
        identity.certificate.public_bytes(serialization.Encoding.DER)
    )
    key = asn1_keys.PrivateKeyInfo.load(
        identity.key.private_bytes(
            serialization.Encoding.DER,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return signers.SimpleSigner(
        signing_cert=certificate,
        signing_key=key,
        cert_registry=SimpleCertificateStore(),  # type: ignore[no-untyped-call]
    )


def sign_pdf(
    data: bytes,
    identity: SigningIdentity,
    *,
    reason: str,
    location: str = "",
    field_name: str = SIGNATURE_FIELD,
) -> bytes:
    """``data`` (a PDF) with a PAdES signature by ``identity``, added as an incremental update."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    signer = _pyhanko_signer(identity)
    metadata = signers.PdfSignatureMetadata(
        field_name=field_name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason or None,
        location=location or None,
        name=identity.signer,
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    output = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyHanko notes about the unsigned input are not errors
        signers.sign_pdf(writer, metadata, signer=signer, output=output)  # type: ignore[arg-type]
    return output.getvalue()


# --------------------------------------------------------------------------------------------
# Verification (no register needed)
# --------------------------------------------------------------------------------------------


_UNSIGNED = (
    "NON vérifiable : le fichier n'est pas signé, rien ne permet donc d'établir qu'il est "
    "intact. Seul un registre officiel exporté par Registre porte une signature (la fiche d'un "
    "traitement, document de travail, n'en porte pas).",
    "NOT verifiable: the file is not signed, so nothing can show that it is intact. Only an "
    "official register exported by Registre carries a signature (the fiche of one activity, a "
    "working paper, does not).",
)


@dataclass(frozen=True)
class VerificationResult:
    """What ``verify_pdf`` found; ``intact`` when a valid signature covers every byte and the
    signing certificate is the one the document prints (and the one expected, when asked)."""

    intact: bool
    signer: str
    certificate_sha256: str
    signed_at: dt.datetime | None
    reason: str  # French, for people
    reason_en: str
    sha256: str  # of the whole file, as recorded in the register's audit trail
    trusted: bool | None = None  # None: no expected signer given; True: the expected one
    printed_sha256: str | None = None  # the certificate fingerprint printed on the cover
    signed: bool = True  # False: no signature at all, nothing to say intact or altered

    @property
    def exit_code(self) -> int:
        """0 when intact, 4 otherwise (the CLI contract)."""
        return EXIT_OK if self.intact else EXIT_DAMAGED

    def message(self, lang: str = "fr") -> str:
        """What ``registre verify`` prints."""
        if not self.signed:  # a working paper (a fiche) is never signed: not « altered »
            return _UNSIGNED[1] if lang == "en" else _UNSIGNED[0]
        if lang == "en":
            if not self.intact:
                return f"NOT intact: {self.reason_en}."
            text = (
                f"Intact: signed by “{self.signer}”, certificate SHA-256 "
                f"{self.certificate_sha256}, the fingerprint printed in the document."
            )
            if self.trusted:
                return text + "\nSigner verified: this is the expected certificate."
            return text + (
                "\nSigner NOT verified: compare this fingerprint with the one the organisation "
                "publishes, or run again with --expect-fingerprint FINGERPRINT or "
                "--trust CERTIFICATE.pem."
            )
        if not self.intact:
            return f"NON intègre : {self.reason}."
        text = (
            f"Intact : signé par « {self.signer} », certificat SHA-256 "
            f"{self.certificate_sha256}, l'empreinte imprimée dans le document."
        )
        if self.trusted:
            return text + "\nSignataire vérifié : c'est le certificat attendu."
        return text + (
            "\nSignataire NON vérifié : comparez cette empreinte à celle que publie l'organisme, "
            "ou relancez avec --expect-fingerprint EMPREINTE ou --trust CERTIFICAT.pem."
        )

    def as_json(self) -> dict[str, object]:
        """The result for ``registre verify --json``."""
        return {
            "intact": self.intact,
            "signed": self.signed,
            "signer": self.signer or None,
            "fingerprint": self.certificate_sha256 or None,
            "printed_fingerprint": self.printed_sha256,
            "trusted": bool(self.trusted),
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "sha256": self.sha256,
            "reason": self.reason,
            "reason_en": self.reason_en,
        }


@dataclass(frozen=True)
class Expected:
    """The signer the person verifying expects: fingerprints they were given, certificates
    they trust (the signer itself, or the authority that issued its certificate)."""

    fingerprints: frozenset[str] = frozenset()
    certificates: tuple[x509.Certificate, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.fingerprints or self.certificates)

    def accepts(self, certificate: x509.Certificate) -> bool:
        """Whether ``certificate`` is an expected signer."""
        if certificate_sha256(certificate) in self.fingerprints:
            return True
        for trusted in self.certificates:
            if trusted.public_bytes(serialization.Encoding.DER) == certificate.public_bytes(
                serialization.Encoding.DER
            ):
                return True
            try:
                certificate.verify_directly_issued_by(trusted)
            except (ValueError, TypeError, InvalidSignature):
                continue
            return True
        return False


def normalised_fingerprint(text: str) -> str | None:
    """``text`` as 64 lowercase hex digits (spaces and colons ignored), or None."""
    digits = re.sub(r"[\s:]", "", text).lower()
    return digits if re.fullmatch(r"[0-9a-f]{64}", digits) else None


def read_certificate(path: Path) -> x509.Certificate:
    """A certificate from a PEM or DER file (UnreadableFile when it is none)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason, reason_en = _READ_ERRORS.get(exc.errno or 0, ("erreur de lecture", "read error"))
        raise UnreadableFile(path=str(path), reason=reason, reason_en=reason_en) from exc
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return x509.load_pem_x509_certificate(data)
        return x509.load_der_x509_certificate(data)
    except ValueError as exc:
        raise UnreadableFile(
            path=str(path), reason="ce n'est pas un certificat", reason_en="not a certificate"
        ) from exc


def _failed(
    sha256: str, reason: str, reason_en: str, signer: str = "", fingerprint: str = ""
) -> VerificationResult:
    return VerificationResult(False, signer, fingerprint, None, reason, reason_en, sha256)


_BYTE_RANGE = re.compile(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]")


def _der_length(content: bytes) -> int:
    """Length of the DER element at the start of ``content`` (0 when malformed)."""
    if len(content) < 2 or content[0] != 0x30:
        return 0
    first = content[1]
    if first < 0x80:
        return 2 + first
    count = first & 0x7F
    if count == 0 or count > 4 or len(content) < 2 + count:
        return 0
    return 2 + count + int.from_bytes(content[2 : 2 + count], "big")


def _check_layout(data: bytes, byte_range: list[int]) -> tuple[str, str] | None:
    """Why the signed layout of ``data`` is not canonical, or None when every byte is bound.

    The signature covers everything but the /Contents hex string. That string must therefore be
    exactly the uppercase hex (as pyHanko writes it) of the DER signature followed by zero
    padding, and the two covered ranges must meet it and end at the last byte of the file.
    (Parsers ignore bytes after the DER and accept either case of hex digit: without this
    check such a change would go unnoticed.)
    """
    if len(byte_range) != 4:
        return "plage signée non standard", "non-standard signed range"
    start1, length1, start2, length2 = byte_range
    if start1 != 0 or start2 + length2 != len(data):
        return (
            "des octets ont été ajoutés ou retirés après la signature",
            "bytes were added or removed after signing",
        )
    if not 0 < length1 < start2 <= len(data):
        return "plage signée incohérente", "inconsistent signed range"
    gap = data[length1:start2]
    if len(gap) < 4 or gap[:1] != b"<" or gap[-1:] != b">":
        return "signature déplacée ou altérée", "signature moved or altered"
    digits = gap[1:-1]
    if re.fullmatch(rb"[0-9A-F]*", digits) is None or len(digits) % 2:
        return "signature altérée", "signature altered"
    content = bytes.fromhex(digits.decode("ascii"))
    used = _der_length(content)
    if used == 0 or used > len(content) or any(content[used:]):
        return "signature altérée", "signature altered"
    return None


def _signature_der(data: bytes, byte_range: list[int]) -> bytes:
    """The DER signature in the /Contents gap (after ``_check_layout`` accepted it)."""
    content = bytes.fromhex(data[byte_range[1] + 1 : byte_range[2] - 1].decode("ascii"))
    return content[: _der_length(content)]


_ALTERED = ("signature altérée", "signature altered")


def _check_cms(der: bytes) -> tuple[str, str] | None:
    """Why the CMS signature is not exactly as Registre writes it, or None.

    Parts of a CMS structure are not covered by the signature value (its version numbers, the
    embedded certificates, the algorithm identifiers): each must be the canonical DER of what
    Registre writes — the signing certificate first, then its issuers, each issued by the next,
    the last one verifying itself when it is self-signed.
    """
    from asn1crypto import cms

    try:
        info = cms.ContentInfo.load(der, strict=True)
        if info.dump(force=True) != der or info["content_type"].native != "signed_data":
            return _ALTERED
        signed = info["content"]
        digests = [item["algorithm"].native for item in signed["digest_algorithms"]]
        certificates = signed["certificates"]
        signer_infos = signed["signer_infos"]
        if (
            signed["version"].native != "v1"
            or digests != ["sha256"]
            or signed["encap_content_info"].native != {"content_type": "data", "content": None}
            or not 1 <= len(certificates) <= 8
            or signed["crls"].native is not None
            or len(signer_infos) != 1
        ):
            return _ALTERED
        signer = signer_infos[0]
        certificate_der = certificates[0].chosen.dump()
        certificate = x509.load_der_x509_certificate(certificate_der)
        sid = signer["sid"]
        if (
            signer["version"].native != "v1"
            or sid.name != "issuer_and_serial_number"
            or sid.chosen["serial_number"].native != certificate.serial_number
            or sid.chosen["issuer"].dump() != certificates[0].chosen.issuer.dump()
            or signer["digest_algorithm"]["algorithm"].native != "sha256"
            or signer["unsigned_attrs"].native is not None
        ):
            return _ALTERED
        algorithm = signer["signature_algorithm"]["algorithm"].native
        public = certificate.public_key()
        if not (
            (algorithm == "sha256_ecdsa" and isinstance(public, ec.EllipticCurvePublicKey))
            or (algorithm == "sha256_rsa" and isinstance(public, rsa.RSAPublicKey))
        ):
            return _ALTERED
        chain = [x509.load_der_x509_certificate(c.chosen.dump()) for c in certificates]
        if any(c.issuer == c.subject for c in chain[:-1]):  # a self-signed one ends the chain
            return _ALTERED
        for subject, issuer in itertools.pairwise(chain):
            subject.verify_directly_issued_by(issuer)
        last = chain[-1]
        if last.issuer == last.subject:
            last.verify_directly_issued_by(last)
    except Exception:  # malformed DER, bad self-signature: not what was exported
        return _ALTERED
    return None


def verify_pdf_bytes(data: bytes, expected: Expected | None = None) -> VerificationResult:
    """Check that ``data`` is a PDF whose every byte is covered by an intact signature, made
    with the certificate its cover prints (and an ``expected`` one, when given)."""
    digest = hashlib.sha256(data).hexdigest()
    if not data.startswith(b"%PDF-"):
        return _failed(digest, "ce n'est pas un fichier PDF", "not a PDF file")
    try:
        return _verify(data, digest, expected or Expected())
    except Exception as exc:  # any parser failure means "not intact"
        return _failed(
            digest,
            f"fichier PDF illisible ou altéré ({type(exc).__name__})",
            f"unreadable or altered PDF ({type(exc).__name__})",
        )


@contextmanager
def _quiet_pyhanko() -> Iterator[None]:
    """pyHanko logs each problem of a damaged file with a traceback: the result says it all."""
    loggers = [logging.getLogger(name) for name in ("pyhanko", "pyhanko_certvalidator")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _verify(data: bytes, digest: str, expected: Expected) -> VerificationResult:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    with warnings.catch_warnings(), _quiet_pyhanko():
        warnings.simplefilter("ignore")
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
        if not signatures:
            unsigned = _failed(digest, "le fichier n'est pas signé", "the file is not signed")
            return replace(unsigned, signed=False)
        if len(signatures) != 1:
            return _failed(
                digest,
                "le fichier porte plusieurs signatures (modifié après l'export)",
                "the file has several signatures (changed after export)",
            )
        embedded = signatures[0]
        certificate = embedded.signer_cert
        signer = str(certificate.subject.native.get("common_name", ""))
        fingerprint = hashlib.sha256(certificate.dump()).hexdigest()
        byte_range = [int(v) for v in embedded.byte_range]
        layout = _check_layout(data, byte_range)
        if layout is not None:
            return _failed(digest, *layout, signer=signer, fingerprint=fingerprint)
        context = ValidationContext(trust_roots=[certificate], allow_fetching=False)
        status = validate_pdf_signature(embedded, signer_validation_context=context)
    if not status.intact:
        return _failed(
            digest,
            "le contenu a été modifié après la signature",
            "the content was changed after signing",
            signer,
            fingerprint,
        )
    if not status.valid:
        return _failed(
            digest, "la signature est invalide", "the signature is invalid", signer, fingerprint
        )
    if status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        return _failed(
            digest,
            "la signature ne couvre pas tout le fichier",
            "the signature does not cover the whole file",
            signer,
            fingerprint,
        )
    cms_problem = _check_cms(_signature_der(data, byte_range))
    if cms_problem is not None:
        return _failed(digest, *cms_problem, signer=signer, fingerprint=fingerprint)
    from registre.cover_text import printed_fingerprint

    printed = printed_fingerprint(data)
    if printed is None:
        return _failed(
            digest,
            "la page de garde n'imprime pas l'empreinte du certificat de signature",
            "the cover does not print the signing certificate's fingerprint",
            signer,
            fingerprint,
        )
    if printed != fingerprint:
        return _failed(
            digest,
            f"le document imprime l'empreinte de certificat {printed}, mais il a été signé "
            f"par un autre certificat ({fingerprint})",
            f"the document prints certificate fingerprint {printed} but was signed by another "
            f"certificate ({fingerprint})",
            signer,
            fingerprint,
        )
    trusted = None
    if expected:
        signing_certificate = x509.load_der_x509_certificate(certificate.dump())
        if not expected.accepts(signing_certificate):
            return _failed(
                digest,
                f"signé par « {signer} » ({fingerprint}), qui n'est pas le signataire attendu",
                f"signed by “{signer}” ({fingerprint}), not the expected signer",
                signer,
                fingerprint,
            )
        trusted = True
    return VerificationResult(
        intact=True,
        signer=signer,
        certificate_sha256=fingerprint,
        signed_at=status.signer_reported_dt,
        reason="signature intacte couvrant tout le fichier",
        reason_en="intact signature covering the whole file",
        sha256=digest,
        trusted=trusted,
        printed_sha256=printed,
    )


def verify_pdf(path: Path | str, expected: Expected | None = None) -> VerificationResult:
    """Verify an exported PDF without its register (``registre verify FILE``).

    Raises UnreadableFile when the file cannot be read; any other problem is a result with
    ``intact`` False and its reason.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason, reason_en = _READ_ERRORS.get(exc.errno or 0, ("erreur de lecture", "read error"))
        raise UnreadableFile(path=str(path), reason=reason, reason_en=reason_en) from exc
    return verify_pdf_bytes(data, expected)
