"""Electronic seals (PAdES B-B, SHA-256) on the PDFs of the public record, and their check: next to
core/pdf.py, the only module that imports pyHanko.

What is sealed: final annual reports (when the worker archives them, reports/tasks.py), signed minutes
and their excerpts (by the worker, once, when the minutes are locked: council/sealing.py). The seal is
made with the region's certificate: a PKCS#12 file named by `DGR_SEAL_PKCS12` with its passphrase in
`DGR_SEAL_PASSPHRASE`.
For development and tests `manage.py seal_test_certificate` (or `development_certificate_create`) makes a
self-signed one; it is never committed.

Without a certificate DGR does not refuse to hand out the record: the PDF goes out unsealed, the log says
so (`dgr.seal`, a warning per document) and `check --deploy` warns (dgr.W010). Refusing would stop
minutes and reports from being read at all for want of a certificate; an unsealed copy is still matched
by its SHA-256 against DGR's archive on the public check page.

B-B only: B-T needs a timestamp authority, and none is reachable offline (FIELD-NOTES). The signed file
is an incremental update, so WeasyPrint's PDF/A-3a declaration stays in it.
"""

import concurrent.futures
import datetime
import functools
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

logger = logging.getLogger("dgr.seal")

FIELD_NAME = "DGR-sigill"


class SealNotConfigured(Exception):
    pass


def _outside_event_loop(function, *args, **kwargs):
    """pyHanko's synchronous API runs its own event loop (asyncio.run), which fails in a thread that
    already runs one (an ASGI server, Playwright's sync API in the browser tests): there it runs in a
    thread of its own."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(function, *args, **kwargs).result()


def seal_configured() -> bool:
    return bool(getattr(settings, "DGR_SEAL_PKCS12", ""))


@functools.lru_cache(maxsize=4)
def _signer(path: str, passphrase: str):
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load_pkcs12(path, passphrase=passphrase.encode() if passphrase else None)
    if signer is None:
        raise SealNotConfigured(f"Could not read the seal certificate {path} (wrong passphrase?)")
    return signer


def seal_signer():
    if not seal_configured():
        raise SealNotConfigured("DGR_SEAL_PKCS12 is not set")
    return _signer(str(settings.DGR_SEAL_PKCS12), settings.DGR_SEAL_PASSPHRASE)


def seal_pdf(pdf: bytes, *, reason: str) -> bytes:
    """The PDF with DGR's seal (PAdES B-B, SHA-256) over the whole file; unchanged (logged) without a
    configured certificate. `reason` names the document in the signature (signed with it)."""
    if not seal_configured():
        logger.warning("PDF not sealed (no DGR_SEAL_PKCS12 configured): %s", reason[:200])
        return pdf
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason[:200],
        location="Region Värmland",
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    return _outside_event_loop(signers.sign_pdf, writer, metadata, signer=seal_signer()).getvalue()


@dataclass(frozen=True)
class SealCheck:
    """What the check found. `valid`: a seal over the whole file, unchanged since it was made, by the
    configured certificate."""

    has_seal: bool
    intact: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str = ""
    reason: str = ""
    signed_at: datetime.datetime | None = None
    readable: bool = True

    @property
    def valid(self) -> bool:
        return self.has_seal and self.intact and self.trusted and self.whole_file


def _signer_name(certificate) -> str:
    """ "DGR testsigill (Region Värmland (TEST, ej giltigt))": the certificate's holder as people read it."""
    if certificate is None:
        return ""
    subject = certificate.subject.native
    name, organisation = subject.get("common_name", ""), subject.get("organization_name", "")
    return f"{name} ({organisation})" if name and organisation else name or organisation


def seal_check(pdf: bytes) -> SealCheck:
    """Check the last seal of a PDF against the configured certificate (the only trusted root)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    # The PDF comes from anyone (the public check page): whatever the parser trips on (broken xref,
    # bad compressed streams raise zlib.error …) means "not readable", never a server error.
    except Exception as error:
        logger.info("seal check: unreadable PDF (%s: %s)", type(error).__name__, str(error)[:200])
        return SealCheck(has_seal=False, readable=False)
    if not signatures:
        return SealCheck(has_seal=False)
    signature = signatures[-1]
    roots = [seal_signer().signing_cert] if seal_configured() else []
    try:  # as above: a signature the validator cannot read is a broken seal, not a server error
        status = _outside_event_loop(validate_pdf_signature, signature, ValidationContext(trust_roots=roots))
    except Exception as error:
        logger.info("seal check: signature not validated (%s: %s)", type(error).__name__, str(error)[:200])
        return SealCheck(has_seal=True)
    return SealCheck(
        has_seal=True,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted) and bool(roots),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=_signer_name(status.signing_cert),
        reason=str(signature.sig_object.get("/Reason", "")),
        signed_at=status.signer_reported_dt,
    )


def development_certificate_create(
    path: Path, passphrase: str, *, common_name: str = "DGR testsigill"
) -> Path:
    """A self-signed seal certificate for development and tests (RSA 2048, ten years), as PKCS#12."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "SE"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Region Värmland (TEST, ej giltigt)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode())
        if passphrase
        else serialization.NoEncryption()
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(
        pkcs12.serialize_key_and_certificates(common_name.encode(), key, certificate, None, encryption)
    )
    path.chmod(0o600)
    return path
