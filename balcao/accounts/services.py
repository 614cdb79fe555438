"""Every write to an account: registration, confirmations, passwords, profile, closing.

Side effects (e-mail) go out after commit through send_templated_email.
"""

import datetime
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.backends.base import SessionBase
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from balcao.accounts import tokens
from balcao.accounts.devices import describe_request
from balcao.accounts.models import AccountEvent, PasswordHistory, User, UserSession
from balcao.accounts.tokens import email_change_tokens
from balcao.core.links import absolute_url
from balcao.core.mail import count_hourly, count_unconfirmed_mail, send_templated_email
from balcao.core.models import Address

# How many earlier password hashes are kept to refuse reuse (manual section 4).
PASSWORD_HISTORY_DEPTH = 24
# Links asked for by anyone (reset, new confirmation): at most this many per address per hour,
# so that the forms cannot be used to flood someone's mailbox.
MAILS_PER_ADDRESS_PER_HOUR = 5


def mail_allowed(*, kind: str, address: str) -> bool:
    """Count one more message of this kind to this address; False once over the limit."""
    return count_hourly(f"accounts-mail:{kind}:{address.strip().lower()}") <= (
        MAILS_PER_ADDRESS_PER_HOUR
    )


def record_event(
    *, user: User, kind: str, request: HttpRequest | None = None, note: str = ""
) -> AccountEvent:
    return AccountEvent.objects.create(
        user=user, kind=kind, device=describe_request(request), note=note
    )


def send_confirmation_email(*, user: User, request: HttpRequest | None = None) -> None:
    link = absolute_url(
        reverse("accounts:confirm_email", args=[tokens.make_confirmation_token(user)]),
        request=request,
    )
    send_templated_email(
        to=user.email,
        template="accounts_confirm_email",
        context={"user": user, "link": link},
        language=user.language,
    )


class UsernameTaken(Exception):
    """Another registration took the username between the form's check and this one's insert."""


class EmailTaken(Exception):
    """The e-mail belongs to an account already (perhaps registered an instant ago)."""


@transaction.atomic
def register_user(
    *,
    personal: dict[str, Any],
    address: Address,
    email: str,
    username: str,
    password: str,
    request: HttpRequest | None = None,
) -> User:
    """Registo no Balcão Digital (manual section 2), stored only at "Finalizar".

    The account can sign in only after its e-mail address is confirmed through the
    single-use link sent now: that address receives activation links and resets.
    The terms accepted are recorded with their version and time.
    """
    address.full_clean()
    address.save()
    user = User(
        username=username,
        email=email,
        first_name=personal.get("first_name", ""),
        last_name=personal.get("last_name", ""),
        nif=personal.get("nif", ""),
        phone=personal.get("phone", ""),
        mobile=personal.get("mobile", ""),
        address=address,
        language=getattr(request, "LANGUAGE_CODE", None) or settings.LANGUAGE_CODE,
        terms_version=settings.TERMS_VERSION,
        terms_accepted_at=timezone.now(),
    )
    if user.language not in dict(settings.LANGUAGES):
        user.language = settings.LANGUAGE_CODE
    user.set_password(password)
    if User.objects.filter(email__iexact=email).exists():
        raise EmailTaken
    # Uniqueness is the database's to decide: two people may finish at the same instant.
    user.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:
        if User.objects.filter(username__iexact=username).exists():
            raise UsernameTaken from error
        raise EmailTaken from error
    record_event(user=user, kind=AccountEvent.Kind.REGISTERED, request=request)
    send_confirmation_email(user=user, request=request)
    return user


def notify_existing_account(*, email: str, request: HttpRequest | None = None) -> None:
    """Someone tried to register with an address that has an account: its owner is told, with
    a link to set a new password, and the registration page answers as for a new account (so
    it never says who is registered). At most MAILS_PER_ADDRESS_PER_HOUR an hour."""
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None or not mail_allowed(kind="exists", address=user.email):
        return
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    send_templated_email(
        to=user.email,
        template="accounts_account_exists",
        context={
            "link": absolute_url(path, request=request),
            "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        },
        language=user.language,
    )


@transaction.atomic
def confirm_email(*, token: str, request: HttpRequest | None = None) -> User | None:
    """Open the single-use confirmation link: the address is the user's. None if not valid."""
    data = tokens.read_confirmation_token(token)
    if data is None:
        return None
    user = User.objects.select_for_update().filter(pk=data["u"]).first()
    if user is None or user.email.lower() != data["e"] or user.email_confirmed:
        return None
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email_confirmed_at"])
    record_event(user=user, kind=AccountEvent.Kind.EMAIL_CONFIRMED, request=request)
    return user


def resend_confirmation(*, email: str, request: HttpRequest | None = None) -> None:
    """Send a new confirmation link, if an unconfirmed account has this address.

    The page answers the same either way, so it reveals nothing about who is registered.
    """
    user = User.objects.filter(email__iexact=email.strip(), email_confirmed_at__isnull=True).first()
    if user is not None and user.is_active and mail_allowed(kind="confirm", address=user.email):
        send_confirmation_email(user=user, request=request)


def _remember_password(user: User) -> None:
    if user.has_usable_password():
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = user.password_history.values_list("pk", flat=True)[PASSWORD_HISTORY_DEPTH:]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()


def _notify_password_changed(user: User, request: HttpRequest | None) -> None:
    send_templated_email(
        to=user.email,
        template="accounts_password_changed",
        context={"user": user, "when": timezone.now(), "device": describe_request(request)},
        language=user.language,
    )


@transaction.atomic
def change_password(*, user: User, new_password: str, request: HttpRequest | None = None) -> None:
    """Modificar Password (manual section 4): keeps the earlier hash so it is never reused.

    The caller keeps its own session (update_session_auth_hash); every other session of
    the user ends (ASVS 5.0 V7), and an e-mail tells the user it happened.
    """
    _remember_password(user)
    user.set_password(new_password)
    user.save(update_fields=["password"])
    record_event(user=user, kind=AccountEvent.Kind.PASSWORD_CHANGED, request=request)
    _notify_password_changed(user, request)


@transaction.atomic
def reset_password(*, user: User, new_password: str, request: HttpRequest | None = None) -> None:
    """A password set through the single-use reset link (also a legacy account's first one).

    Following the link proves the address is the user's, so it counts as confirmed.
    Every session of the user ends.
    """
    _remember_password(user)
    user.set_password(new_password)
    fields = ["password"]
    if not user.email_confirmed:
        user.email_confirmed_at = timezone.now()
        fields.append("email_confirmed_at")
    user.save(update_fields=fields)
    record_event(user=user, kind=AccountEvent.Kind.PASSWORD_RESET, request=request)
    end_sessions(user=user)
    _notify_password_changed(user, request)


def _session_store() -> type[SessionBase]:
    return import_module(settings.SESSION_ENGINE).SessionStore


def remember_session(*, user: User, request: HttpRequest) -> None:
    """Index the current session under the user (called at login and after a key change)."""
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    UserSession.objects.update_or_create(
        session_key=key, defaults={"user": user, "device": describe_request(request)}
    )
    # Sessions past their absolute lifetime are gone from the store: forget them too.
    expired = timezone.now() - datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    UserSession.objects.filter(user=user, created_at__lt=expired).delete()


def rotate_session(*, request: HttpRequest) -> None:
    """A new session key after the second login step (no session fixation)."""
    old = request.session.session_key
    request.session.cycle_key()
    UserSession.objects.filter(session_key=old).update(session_key=request.session.session_key)


def end_sessions(*, user: User, keep: str | None = None) -> int:
    """End every session of the user except ``keep``; returns how many were ended."""
    store = _session_store()
    others = UserSession.objects.filter(user=user)
    if keep:
        others = others.exclude(session_key=keep)
    keys = list(others.values_list("session_key", flat=True))
    for key in keys:
        store(session_key=key).delete()
    UserSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


@transaction.atomic
def end_other_sessions(*, user: User, request: HttpRequest) -> int:
    """ "Terminar as outras sessões": every session but this one ends."""
    ended = end_sessions(user=user, keep=request.session.session_key)
    record_event(user=user, kind=AccountEvent.Kind.SESSIONS_ENDED, request=request)
    return ended


@transaction.atomic
def update_holder_data(
    *, user: User, data: dict[str, Any], request: HttpRequest | None = None
) -> None:
    """Dados do titular (manual section 3): the portal's data, not the contract's."""
    fields = ["first_name", "last_name", "nif", "language", "phone", "mobile"]
    for name in fields:
        setattr(user, name, data[name])
    user.full_clean(exclude=["password", "username", "email"])
    user.save(update_fields=fields)
    record_event(user=user, kind=AccountEvent.Kind.PROFILE_CHANGED, request=request)


@transaction.atomic
def update_address(*, user: User, address: Address, request: HttpRequest | None = None) -> None:
    """Informação da morada (manual section 3): the portal's copy, owned by the user."""
    address.full_clean()
    address.save()
    if user.address_id != address.pk:
        user.address = address
        user.save(update_fields=["address"])
    record_event(user=user, kind=AccountEvent.Kind.PROFILE_CHANGED, request=request)


@transaction.atomic
def request_email_change(*, user: User, new_email: str, request: HttpRequest | None = None) -> None:
    """A new e-mail takes effect only when its owner opens the link sent to it.

    The address is not yet the user's: the message carries nothing the customer wrote
    (not even the name), and counts against the hourly limits of core.mail.
    """
    user.pending_email = new_email
    user.save(update_fields=["pending_email"])
    link = absolute_url(
        reverse(
            "accounts:confirm_email_change",
            args=[
                urlsafe_base64_encode(force_bytes(user.pk)),
                email_change_tokens.make_token(user),
            ],
        ),
        request=request,
    )
    send_templated_email(
        to=new_email,
        template="accounts_email_change",
        context={
            "link": link,
            "new_email": new_email,
            "hours": settings.EMAIL_CHANGE_TIMEOUT // 3600,
        },
        language=user.language,
    )
    count_unconfirmed_mail(user, new_email)


@transaction.atomic
def confirm_email_change(
    *, uidb64: str, token: str, request: HttpRequest | None = None
) -> User | None:
    """Open the link sent to the new address: the account's e-mail becomes that one.

    The old address is told, so that a change nobody asked for does not go unnoticed.
    """
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    user = User.objects.select_for_update().filter(pk=pk).first()
    if user is None or not email_change_tokens.check_token(user, token):
        return None
    new_email = user.pending_email
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        return None
    old_email = user.email
    user.email = new_email
    user.pending_email = ""
    user.email_confirmed_at = timezone.now()
    user.save(update_fields=["email", "pending_email", "email_confirmed_at"])
    record_event(user=user, kind=AccountEvent.Kind.EMAIL_CHANGED, request=request, note=user.email)
    if old_email:
        send_templated_email(
            to=old_email,
            template="accounts_email_changed",
            context={"user": user, "new_email": user.email},
            language=user.language,
        )
    return user


@transaction.atomic
def close_account(*, user: User) -> None:
    """Encerrar conta (RGPD art. 17; DOMAIN.md): the login and the profile go.

    The user's subscriptions, events and sessions cascade with the user. Customers,
    contracts and invoices are the utility's records and stay, as the law requires.
    """
    email, language, name = user.email, user.language, user.full_name() or user.username
    end_sessions(user=user)
    address = user.address
    user.delete()
    if address is not None:
        address.delete()
    if email:
        send_templated_email(
            to=email,
            template="accounts_closed",
            context={"name": name},
            language=language,
        )
