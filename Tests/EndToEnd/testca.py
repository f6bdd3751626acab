"""A throwaway PKI made on the fly with `cryptography`, for submitting to the log.

Hierarchy (all ECDSA P-256, SHA-256):

    root ── intermediate ── leaves / precertificates
                        └── PSC (EKU 1.3.6.1.4.1.11129.2.4.4) ── precertificates

Every issued certificate gets a random serial and a unique DNS SAN, so no two
submissions collide unless a test resubmits on purpose.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
import uuid
from dataclasses import dataclass
from typing import Sequence

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID, ObjectIdentifier

OID_PRECERT_SIGNING = ObjectIdentifier("1.3.6.1.4.1.11129.2.4.4")

UTC = dt.timezone.utc


def _name(cn: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Vigil End-to-End Tests"),
        x509.NameAttribute(NameOID.COMMON_NAME, cn),
    ])


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.DER)


def pem(certs) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


@dataclass
class Issued:
    """A certificate or precertificate plus the chain to submit with it."""
    cert: x509.Certificate
    chain: list[x509.Certificate]     # cert first, then issuers; root included
    precert: bool
    final: x509.Certificate | None = None  # for precerts: the matching final certificate

    def ders(self, include_root: bool = True) -> list[bytes]:
        chain = self.chain if include_root else self.chain[:-1]
        return [der(c) for c in chain]

    @property
    def der(self) -> bytes:
        return der(self.cert)


class CA:
    """One signing authority: a name, a key and its certificate."""

    def __init__(self, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey,
                 issuers: list[x509.Certificate]):
        self.cert = cert
        self.key = key
        self.issuers = issuers        # from this CA's issuer up to the root

    @property
    def chain(self) -> list[x509.Certificate]:
        return [self.cert] + self.issuers

    @property
    def ski(self) -> x509.SubjectKeyIdentifier:
        return self.cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value


class TestPKI:
    """Root, intermediate and PSC, plus a factory for leaves and precertificates."""

    __test__ = False  # not a pytest test class

    def __init__(self, label: str = "Root"):
        self.label = label
        now = dt.datetime.now(UTC).replace(microsecond=0)
        self.not_before = now - dt.timedelta(days=1)
        self.default_not_after = now + dt.timedelta(days=90)
        self._leaf_key = ec.generate_private_key(ec.SECP256R1())
        self._counter = itertools.count()
        self._lock = threading.Lock()
        self._run = uuid.uuid4().hex[:12]

        root_key = ec.generate_private_key(ec.SECP256R1())
        root_cert = self._ca_cert(_name(f"Vigil Test {label} {self._run}"), root_key.public_key(),
                                  None, root_key, path_len=None)
        self.root = CA(root_cert, root_key, [])

        int_key = ec.generate_private_key(ec.SECP256R1())
        int_cert = self._ca_cert(_name(f"Vigil Test Intermediate {self._run}"),
                                 int_key.public_key(), self.root, root_key, path_len=1)
        self.intermediate = CA(int_cert, int_key, [root_cert])

        psc_key = ec.generate_private_key(ec.SECP256R1())
        psc_cert = self._ca_cert(_name(f"Vigil Test Precert Signer {self._run}"),
                                 psc_key.public_key(), self.intermediate, int_key, path_len=0,
                                 eku=[OID_PRECERT_SIGNING])
        self.psc = CA(psc_cert, psc_key, [int_cert, root_cert])

    # ------------------------------------------------------------ building blocks

    def _ca_cert(self, subject, public_key, issuer: CA | None, signing_key, path_len, eku=None):
        b = (x509.CertificateBuilder()
             .subject_name(subject)
             .issuer_name(issuer.cert.subject if issuer else subject)
             .public_key(public_key)
             .serial_number(x509.random_serial_number())
             .not_valid_before(self.not_before)
             .not_valid_after(self.not_before + dt.timedelta(days=3650))
             .add_extension(x509.BasicConstraints(ca=True, path_length=path_len), critical=True)
             .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False,
                                          key_encipherment=False, data_encipherment=False,
                                          key_agreement=False, key_cert_sign=True, crl_sign=True,
                                          encipher_only=False, decipher_only=False), critical=True)
             .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False))
        if issuer is not None:
            b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
                issuer.ski), critical=False)
        if eku:
            b = b.add_extension(x509.ExtendedKeyUsage(eku), critical=True)
        return b.sign(signing_key, hashes.SHA256())

    def _unique(self) -> tuple[int, str]:
        with self._lock:
            n = next(self._counter)
        return n, f"e2e-{self._run}-{n}.{self.label.lower()}.vigil.test"

    def _leaf_builder(self, issuer_name: x509.Name, aki_source: CA, not_after, serial, dns,
                      not_before=None, subject: x509.Name | None = None):
        return (x509.CertificateBuilder()
                .subject_name(subject or _name(dns))
                .issuer_name(issuer_name)
                .public_key(self._leaf_key.public_key())
                .serial_number(serial)
                .not_valid_before(not_before or self.not_before)
                .not_valid_after(not_after or self.default_not_after)
                .add_extension(x509.SubjectAlternativeName([x509.DNSName(dns)]), critical=False)
                .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                               critical=False)
                .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(
                    aki_source.ski), critical=False))

    # ------------------------------------------------------------ issuance

    def leaf(self, via_intermediate: bool = True, not_after: dt.datetime | None = None,
             organization: str | None = None, policies: Sequence[str] = (), cn_only: bool = False) -> Issued:
        """A certificate issued by the intermediate (default) or straight by the root. `cn_only`
        leaves the organization out of the subject (a DV subject); `organization` sets it and
        `policies` adds certificatePolicies OIDs (OV, EV)."""
        issuer = self.intermediate if via_intermediate else self.root
        _, dns = self._unique()
        subject = None
        if organization or cn_only:
            attributes = [x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization)] if organization else []
            subject = x509.Name(attributes + [x509.NameAttribute(NameOID.COMMON_NAME, dns)])
        builder = self._leaf_builder(issuer.cert.subject, issuer, not_after, x509.random_serial_number(), dns,
                                     subject=subject)
        if policies:
            builder = builder.add_extension(x509.CertificatePolicies(
                [x509.PolicyInformation(x509.ObjectIdentifier(oid), None) for oid in policies]), critical=False)
        cert = builder.sign(issuer.key, hashes.SHA256())
        return Issued(cert, [cert] + issuer.chain, precert=False)

    def precert(self, via_psc: bool = False, via_intermediate: bool = True,
                not_after: dt.datetime | None = None) -> Issued:
        """A precertificate (critical poison) and the final certificate it stands for.

        via_psc: signed by the Precertificate Signing Certificate, which the
        intermediate issued; the final certificate is the intermediate's.
        """
        final_ca = self.intermediate if via_intermediate or via_psc else self.root
        signer = self.psc if via_psc else final_ca
        serial = x509.random_serial_number()
        _, dns = self._unique()
        pre = (self._leaf_builder(signer.cert.subject, signer, not_after, serial, dns)
               .add_extension(x509.PrecertPoison(), critical=True)
               .sign(signer.key, hashes.SHA256()))
        final = (self._leaf_builder(final_ca.cert.subject, final_ca, not_after, serial, dns)
                 .sign(final_ca.key, hashes.SHA256()))
        return Issued(pre, [pre] + signer.chain, precert=True, final=final)

    # ------------------------------------------------------------ broken inputs

    def leaf_bad_signature(self) -> Issued:
        """Names the intermediate as issuer but is signed by an unrelated key."""
        _, dns = self._unique()
        rogue = ec.generate_private_key(ec.SECP256R1())
        cert = self._leaf_builder(self.intermediate.cert.subject, self.intermediate, None,
                                  x509.random_serial_number(), dns).sign(rogue, hashes.SHA256())
        return Issued(cert, [cert] + self.intermediate.chain, precert=False)

    def misordered_chain(self) -> list[bytes]:
        """A valid leaf whose chain lists the root before the intermediate."""
        issued = self.leaf()
        return [der(issued.cert), der(self.root.cert), der(self.intermediate.cert)]

    def precert_bad_signature(self) -> Issued:
        _, dns = self._unique()
        rogue = ec.generate_private_key(ec.SECP256R1())
        pre = (self._leaf_builder(self.intermediate.cert.subject, self.intermediate, None,
                                  x509.random_serial_number(), dns)
               .add_extension(x509.PrecertPoison(), critical=True)
               .sign(rogue, hashes.SHA256()))
        return Issued(pre, [pre] + self.intermediate.chain, precert=True)
