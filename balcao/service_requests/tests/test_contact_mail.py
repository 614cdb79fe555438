"""A request's contact e-mail: the utility's mailer writes to an address the customer has not
confirmed only with the request's number and state, and only a few times an hour."""

import pytest
from django.core import mail
from django.urls import reverse

from balcao.core.mail import (
    UNCONFIRMED_MAILS_PER_ADDRESS_PER_HOUR,
    UNCONFIRMED_MAILS_PER_USER_PER_HOUR,
)
from balcao.service_requests.models import ServiceRequest

pytestmark = pytest.mark.django_db

URL = reverse("service_requests:new_of_type", args=["information"])
LIMIT = "tente de novo daqui a uma hora"


def _submit(client, contact, captured):
    with captured(execute=True):
        return client.post(
            URL,
            {
                "contract": "",
                "description": "Reative em https://mal.example/entrar",
                "channel": "email",
                "contact_value": contact,
            },
        )


def test_mail_to_another_address_carries_only_the_number(
    ana_client, ana, django_capture_on_commit_callbacks
):
    ana.first_name = "Cliente, a sua conta foi suspensa. Reative em https://mal.example"
    ana.save()
    _submit(ana_client, "vitima@example.org", django_capture_on_commit_callbacks)
    number = str(ServiceRequest.objects.get().number)
    message = mail.outbox[-1]
    assert message.to == ["vitima@example.org"]
    for part in (message.subject, message.body, message.alternatives[0][0]):
        assert number in part
        assert "suspensa" not in part and "mal.example" not in part


def test_mail_to_the_confirmed_address_still_greets_by_name(
    ana_client, ana, django_capture_on_commit_callbacks
):
    _submit(ana_client, "ana.silva@example.pt", django_capture_on_commit_callbacks)
    assert "Olá Ana" in mail.outbox[-1].body


def test_requests_to_other_addresses_are_limited_per_address_and_per_user(
    ana_client, ana, django_capture_on_commit_callbacks
):
    for _ in range(UNCONFIRMED_MAILS_PER_ADDRESS_PER_HOUR):
        response = _submit(ana_client, "vitima@example.org", django_capture_on_commit_callbacks)
        assert response.status_code == 302
    response = _submit(ana_client, "vitima@example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert LIMIT in response.content.decode()
    assert ServiceRequest.objects.count() == UNCONFIRMED_MAILS_PER_ADDRESS_PER_HOUR

    extra = UNCONFIRMED_MAILS_PER_USER_PER_HOUR - UNCONFIRMED_MAILS_PER_ADDRESS_PER_HOUR
    for number in range(extra):
        response = _submit(
            ana_client, f"outra{number}@example.org", django_capture_on_commit_callbacks
        )
        assert response.status_code == 302
    response = _submit(ana_client, "mais-uma@example.org", django_capture_on_commit_callbacks)
    assert LIMIT in response.content.decode()
    assert len(mail.outbox) == UNCONFIRMED_MAILS_PER_USER_PER_HOUR

    # The customer's own confirmed address is not limited.
    response = _submit(ana_client, "ana.silva@example.pt", django_capture_on_commit_callbacks)
    assert response.status_code == 302
