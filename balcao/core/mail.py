"""E-mail delivery: templates with a text and an HTML part, sent after commit."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task


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
