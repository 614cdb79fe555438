"""A direct debit mandate in force is replaced, never edited: the old one is cancelled, and the
cancellation is on record (who, when, for which new mandate)."""

import datetime

import pytest
from django.urls import reverse

from balcao.billing.models import DirectDebitMandate, MandateEvent
from balcao.billing.services import create_mandate

pytestmark = pytest.mark.django_db


def sign(account, actor, iban="PT50000201231234567890154"):
    return create_mandate(
        account=account,
        debtor_name="Ana Silva",
        debtor_address="Rua Direita 1, 2400-001 Leiria",
        iban=iban,
        signed_at=datetime.date(2026, 4, 10),
        signed_place="Leiria",
        authorisation_text="Texto aceite.",
        actor=actor,
    )


def test_a_new_mandate_cancels_the_old_one_and_records_it(ana, clerk, client):
    account = ana.subscriptions.first().contract.account
    old = sign(account, clerk)
    assert not old.events.exists()

    new = sign(account, clerk, iban="PT50003300004555698867005")

    old.refresh_from_db()
    assert old.status == DirectDebitMandate.Status.CANCELLED
    assert old.cancelled_at is not None
    event = old.events.get()
    assert (event.kind, event.actor) == (MandateEvent.Kind.CANCELLED, clerk)
    assert new.reference in event.note
    assert new.status == DirectDebitMandate.Status.ACTIVE
    assert not new.events.exists()
    # The staff see it in the mandate's history.
    client.force_login(clerk)
    page = client.get(reverse("admin:billing_directdebitmandate_change", args=[old.pk]))
    assert "Autorização cancelada" in page.content.decode()
    assert new.reference in page.content.decode()
