"""E-mail delivery: templates with a text and an HTML part, sent after commit; hourly limits.

Mail to an address that is not the user's confirmed e-mail (a request's contact e-mail, a new
e-mail waiting for confirmation) is the utility's mailer writing to whomever a customer names:
it carries none of the customer's own text, and goes out at most
UNCONFIRMED_MAILS_PER_USER_PER_HOUR times per user and UNCONFIRMED_MAILS_PER_ADDRESS_PER_HOUR
times per address.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_tasks import task

UNCONFIRMED_MAILS_PER_USER_PER_HOUR = 5
UNCONFIRMED_MAILS_PER_ADDRESS_PER_HOUR = 3
HOUR = 3600
TOO_MANY_MAILS = _(
    "Já enviámos várias mensagens para endereços que ainda não confirmou. Por segurança, "
    "tente de novo daqui a uma hora, ou use o e-mail da sua conta."
)


class EmlFileBackend(BaseEmailBackend):
    """Writes each message to its own .eml file, so the demo's mail can be opened."""

    def send_messages(self, email_messages):
        folder = Path(settings.EMAIL_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
            path = folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            path.write_bytes(message.message().as_bytes())
        return len(email_messages)


def render_email(template: str, context: dict, language: str | None = None):
    """Render ``templates/emails/<template>_subject.txt``, ``.txt`` and ``.html``."""
    with translation.override(language or settings.LANGUAGE_CODE):
        full = {"utility": settings.UTILITY, "site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"emails/{template}_subject.txt", full).strip()
        text = render_to_string(f"emails/{template}.txt", full)
        html = render_to_string(f"emails/{template}.html", full)
    return " ".join(subject.split()), text, html


@task()
def deliver_email(*, to: list[str], subject: str, text: str, html: str) -> None:
    message = EmailMultiAlternatives(subject=subject, body=text, to=to)
    message.attach_alternative(html, "text/html")
    message.send()


def send_templated_email(
    *, to: str | list[str], template: str, context: dict, language: str | None = None
) -> None:
    """Queue an e-mail for when the current transaction commits (never for a rollback).

    The message is rendered now, in the recipient's language, so that the task only
    carries text: no model instances, no secrets beyond what the message says.
    """
    recipients = [to] if isinstance(to, str) else list(to)
    subject, text, html = render_email(template, context, language)
    transaction.on_commit(
        lambda: deliver_email.enqueue(to=recipients, subject=subject, text=text, html=html)
    )


def count_hourly(key: str) -> int:
    """One more under ``key`` in the cache's counter for the coming hour; returns the count."""
    cache.add(key, 0, timeout=HOUR)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=HOUR)
        return 1


def is_confirmed_address(user, address: str) -> bool:
    """Is ``address`` the e-mail this user has proven to be theirs?"""
    email = getattr(user, "email", "") or ""
    confirmed = getattr(user, "email_confirmed", False)
    return bool(confirmed and email and email.strip().lower() == address.strip().lower())


def _unconfirmed_keys(user, address: str) -> list[tuple[str, int]]:
    return [
        (f"mail-unconfirmed:user:{user.pk}", UNCONFIRMED_MAILS_PER_USER_PER_HOUR),
        (f"mail-unconfirmed:to:{address.strip().lower()}", UNCONFIRMED_MAILS_PER_ADDRESS_PER_HOUR),
    ]


def unconfirmed_mail_allowed(user, address: str) -> bool:
    """May the portal write once more, for this user, to this address (not yet counted)?"""
    if is_confirmed_address(user, address):
        return True
    return all(cache.get(key, 0) < limit for key, limit in _unconfirmed_keys(user, address))


def count_unconfirmed_mail(user, address: str) -> None:
    """Count a message sent for this user to an address that is not their confirmed one."""
    if not is_confirmed_address(user, address):
        for key, _limit in _unconfirmed_keys(user, address):
            count_hourly(key)
