"""Two-factor login with an authenticator app (TOTP) and recovery codes (django-otp).

Optional for customers; required for staff (ASVS 5.0 6.3.3) when OTP_REQUIRED_FOR_STAFF is
on, which it is by default in production (DEBUG off). OTP_EXEMPT_USERNAMES lists staff
accounts that may skip it (a public demo's back-office logins), and nobody else.
"""

import segno
from django.conf import settings
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from balcao.accounts.models import AccountEvent

# Session flag set at login: "verify" (the user has a device) or "setup" (must create one).
SESSION_FLAG = "otp_pending"
RECOVERY_CODES = 10
TOTP_NAME = "Aplicação de autenticação"


def otp_required(user) -> bool:
    """Must this user use two-factor login? Staff, when the setting says so."""
    return bool(
        settings.OTP_REQUIRED_FOR_STAFF
        and user.is_staff
        and user.username not in settings.OTP_EXEMPT_USERNAMES
    )


def pending_step(user) -> str:
    """What a user who has just given their password still owes: "verify", "setup" or ""."""
    if user_has_device(user, confirmed=True):
        return "verify"
    if otp_required(user):
        return "setup"
    return ""


def has_totp(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def setup_device(user) -> TOTPDevice:
    """The unconfirmed authenticator being set up (a new secret the first time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
    return device


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// link as an inline SVG QR code (no image request, no JavaScript)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, title="QR")


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into the app by hand."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


@transaction.atomic
def confirm_device(*, user, device: TOTPDevice, request=None) -> list[str]:
    """The first good code confirms the authenticator; returns fresh recovery codes.

    Every other session of the user ends: one opened by whoever knew the password before
    must not outlive the second step (ASVS 5.0 V7).
    """
    from balcao.accounts.services import end_sessions, record_event

    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = new_recovery_codes(user=user)
    record_event(user=user, kind=AccountEvent.Kind.OTP_ENABLED, request=request)
    end_sessions(user=user, keep=request.session.session_key if request is not None else None)
    return codes


def new_recovery_codes(*, user) -> list[str]:
    """Ten single-use codes, for when the phone is lost; the old ones stop working."""
    static, _ = StaticDevice.objects.get_or_create(
        user=user, name="Códigos de recuperação", defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


@transaction.atomic
def disable(*, user, request=None) -> None:
    from balcao.accounts.services import record_event

    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record_event(user=user, kind=AccountEvent.Kind.OTP_DISABLED, request=request)
