"""Alterar e-mail: an opaque link for 24 hours, voided by use, by a new password or another
request; the message to the new address carries nothing the customer wrote, within limits."""

import base64
import datetime

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from balcao.accounts.tests.conftest import link_in_last_mail
from balcao.accounts.tests.factories import PASSWORD
from balcao.core.mail import (
    UNCONFIRMED_MAILS_PER_ADDRESS_PER_HOUR,
    UNCONFIRMED_MAILS_PER_USER_PER_HOUR,
)

pytestmark = pytest.mark.django_db

CHANGE = reverse("accounts:change_email")
LIMIT = "tente de novo daqui a uma hora"


def _ask(client, email):
    return client.post(CHANGE, {"email": email, "password": PASSWORD})


def _open(client, link):
    return client.get(link, follow=True).content.decode()


def test_the_link_is_opaque_and_says_nothing_of_the_account(ana_client, ana):
    _ask(ana_client, "ana@novo.pt")
    link = link_in_last_mail("ana@novo.pt")
    for part in link.strip("/").split("/"):
        padded = part + "=" * (-len(part) % 4)
        try:
            decoded = base64.urlsafe_b64decode(padded).decode("utf-8", "replace")
        except ValueError:
            continue
        assert "ana.silva" not in decoded and "ana@novo" not in decoded
    assert "ana.silva" not in link and "novo" not in link


def test_the_link_works_once(ana_client, ana):
    _ask(ana_client, "ana@novo.pt")
    link = link_in_last_mail("ana@novo.pt")
    assert "O seu e-mail passou a ser ana@novo.pt" in _open(ana_client, link)
    ana.refresh_from_db()
    assert ana.email == "ana@novo.pt" and ana.pending_email == ""
    assert "O seu e-mail passou a ser" not in _open(ana_client, link)


def test_a_password_change_voids_the_link(ana_client, ana):
    _ask(ana_client, "ana@novo.pt")
    link = link_in_last_mail("ana@novo.pt")
    response = ana_client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a barragem do Lis",
            "new_password2": "a barragem do Lis",
        },
    )
    assert response.status_code == 302
    assert "O seu e-mail passou a ser" not in _open(ana_client, link)
    ana.refresh_from_db()
    assert ana.email == "ana.silva@example.pt"


def test_asking_for_another_address_voids_the_first_link(ana_client, ana):
    _ask(ana_client, "ana@novo.pt")
    first = link_in_last_mail("ana@novo.pt")
    _ask(ana_client, "ana@outro.pt")
    assert "O seu e-mail passou a ser" not in _open(ana_client, first)
    assert "O seu e-mail passou a ser ana@outro.pt" in _open(
        ana_client, link_in_last_mail("ana@outro.pt")
    )


def test_the_link_lives_24_hours(client, ana):
    start = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
    client.force_login(ana)
    with time_machine.travel(start, tick=False):
        _ask(client, "ana@novo.pt")
    link = link_in_last_mail("ana@novo.pt")
    with time_machine.travel(start + datetime.timedelta(hours=24, minutes=1), tick=False):
        assert "O seu e-mail passou a ser" not in _open(client, link)
    with time_machine.travel(start + datetime.timedelta(hours=23), tick=False):
        assert "O seu e-mail passou a ser ana@novo.pt" in _open(client, link)


def test_the_message_to_the_new_address_carries_no_customer_text(ana_client, ana):
    ana.first_name = "Cliente, a sua conta foi suspensa. Reative em https://mal.example"
    ana.last_name = "Suporte"
    ana.save()
    _ask(ana_client, "vitima@example.org")
    message = mail.outbox[-1]
    assert message.to == ["vitima@example.org"]
    for part in (message.subject, message.body, message.alternatives[0].content):
        assert "suspensa" not in part and "mal.example" not in part and "Suporte" not in part


def test_new_addresses_are_limited_per_address_and_per_user(ana_client, ana):
    for _ in range(UNCONFIRMED_MAILS_PER_ADDRESS_PER_HOUR):
        assert _ask(ana_client, "vitima@example.org").status_code == 302
    sent = len(mail.outbox)
    response = _ask(ana_client, "vitima@example.org")
    assert response.status_code == 200
    assert LIMIT in response.content.decode()
    assert len(mail.outbox) == sent

    extra = UNCONFIRMED_MAILS_PER_USER_PER_HOUR - UNCONFIRMED_MAILS_PER_ADDRESS_PER_HOUR
    for number in range(extra):
        assert _ask(ana_client, f"outra{number}@example.org").status_code == 302
    response = _ask(ana_client, "mais-uma@example.org")
    assert LIMIT in response.content.decode()
    assert len(mail.outbox) == sent + extra
