"""The secrets that activate a subscription: e-mail link tokens and letter codes.

Both are made with ``secrets`` and only their HMAC-SHA256 digest (keyed with
SECRET_KEY) is stored: a copy of the database activates nothing, and rotating
SECRET_KEY voids every pending link and code (the user asks for a new one).
"""

import hashlib
import hmac
import secrets

from django.conf import settings

# No look-alikes: no B/8, G/6, I/1/L, O/0/Q, S/5, Z/2 — a letter's code is typed by hand.
CODE_ALPHABET = "ACDEFHJKMNPRTUVWXY3479"
CODE_LENGTH = 10


def new_code() -> str:
    """A letter's activation code: 10 characters, ~44 bits of entropy."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def new_token() -> str:
    """An e-mail link's token: 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


def normalise_code(typed: str) -> str:
    """What the user typed, as it was printed: capitals, without spaces or hyphens."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")


def format_code(code: str) -> str:
    """The code as printed on a letter, in two groups of five ("ACDEF HJKMN")."""
    return f"{code[:5]} {code[5:]}"


def digest(secret: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(),
        b"balcao.contracts.activation:" + secret.encode(),
        hashlib.sha256,
    ).hexdigest()


def matches(secret: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(secret), stored_digest)
