"""The signature chain of Portaria 363/2010 (art. 6) and its printed characters.

Each document of a series is signed with RSA-SHA1 (PKCS#1 v1.5) and the producer's private
key over ``InvoiceDate;SystemEntryDate;InvoiceNo;GrossTotal;<hash of the previous document
of the series>`` (empty for the first), encoded in base64. The document prints characters
1, 11, 21 and 31 of its hash, then "Processado por programa certificado n.º NNNN/AT". The
formats are SAF-T (PT)'s: InvoiceDate ``YYYY-MM-DD``, SystemEntryDate ``YYYY-MM-DDThh:mm:ss``
(local time, no zone), GrossTotal with 2 decimals and a dot.

The key is read from ``settings.BILLING_PRIVATE_KEY_PATH`` (PEM, unencrypted, readable only
by the application); the demo makes its own pair with ``manage.py create_signing_key``.
"""

import base64
import datetime
import functools
from decimal import Decimal
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from balcao.core.money import round_money

# The AT's rules (Despacho n.º 8632/2014 and the SAF-T schema: Hash is at most 172
# characters, the base64 of 128 bytes) fix a 1024-bit RSA key; a longer key's hash does not
# fit SAF-T's Hash and the AT's validation rejects the file.
KEY_SIZE = 1024
# HashControl in SAF-T: the version of the private key that signed the document.
HASH_CONTROL = "1"


def signing_message(
    *,
    invoice_date: datetime.date,
    system_entry: datetime.datetime,
    number: str,
    gross_total: Decimal,
    previous_hash: str,
) -> str:
    """The text that is signed, in the Portaria's order and SAF-T's formats."""
    return ";".join(
        [
            f"{invoice_date:%Y-%m-%d}",
            f"{system_entry:%Y-%m-%dT%H:%M:%S}",
            number,
            f"{round_money(gross_total):.2f}",
            previous_hash,
        ]
    )


def sign(message: str, private_key: rsa.RSAPrivateKey) -> str:
    """RSA-SHA1, PKCS#1 v1.5, base64: the document's ``Hash``."""
    # SHA-1 is what the Portaria and the AT's validation require; it is not our choice.
    signature = private_key.sign(message.encode("utf-8"), padding.PKCS1v15(), hashes.SHA1())  # noqa: S303  # nosec B303
    return base64.b64encode(signature).decode("ascii")


def verify(message: str, signature: str, public_key: rsa.RSAPublicKey) -> bool:
    try:
        public_key.verify(
            base64.b64decode(signature),
            message.encode("utf-8"),
            padding.PKCS1v15(),
            hashes.SHA1(),  # noqa: S303  # nosec B303
        )
    except InvalidSignature:
        return False
    return True


def printed_characters(document_hash: str) -> str:
    """Characters 1, 11, 21 and 31 of the hash (counted from 1), printed on the document."""
    return "".join(document_hash[position - 1] for position in (1, 11, 21, 31))


def certificate_sentence(certificate_number: str | None = None) -> str:
    """The sentence the document prints, not translated: it is the AT's wording."""
    number = certificate_number or settings.BILLING_CERTIFICATE_NUMBER
    return f"Processado por programa certificado n.º {number}/AT"


@functools.lru_cache(maxsize=4)
def _load_private_key(path: str, modified: float) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ImproperlyConfigured(f"{path} is not an RSA private key.")
    if key.key_size != KEY_SIZE:
        raise ImproperlyConfigured(
            f"{path} is a {key.key_size}-bit key; the AT requires {KEY_SIZE} bits (SAF-T's Hash "
            "has 172 characters). For the demo, delete it and run `manage.py create_signing_key`."
        )
    return key


def private_key() -> rsa.RSAPrivateKey:
    """The producer's key from settings.BILLING_PRIVATE_KEY_PATH (cached while unchanged)."""
    path = Path(settings.BILLING_PRIVATE_KEY_PATH)
    try:
        modified = path.stat().st_mtime
    except FileNotFoundError:
        raise ImproperlyConfigured(
            f"No signing key at BILLING_PRIVATE_KEY_PATH ({path}): invoices cannot be signed. "
            "For the demo, run `manage.py create_signing_key`."
        ) from None
    return _load_private_key(str(path), modified)


def generate_key_pair(path: Path) -> rsa.RSAPrivateKey:
    """Write a new private key (PEM, mode 600) at ``path`` and its public key beside it
    (``.pub.pem``: the one the AT receives with the certification request)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.touch(mode=0o600)
    path.write_bytes(pem)
    path.with_suffix(".pub.pem").write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return key
