"""The demo's direct debits: ana's "Loja" has a debit returned with AM04, its alert on
Início, and the pain.008 file of that past due date is kept."""

from io import StringIO
from pathlib import Path

import pytest
import sepaxml
import xmlschema
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from balcao.accounts.models import User
from balcao.billing.models import Invoice
from balcao.payments.models import DirectDebitCollection

XSD = Path(sepaxml.__file__).parent / "schemas" / "pain.008.001.02.xsd"


@pytest.mark.django_db
def test_loja_has_a_debit_returned_with_am04_and_its_alert(client):
    out = StringIO()
    call_command("seed_demo", customers=5, stdout=out)
    assert "1 devolvido (AM04)" in out.getvalue()
    collection = DirectDebitCollection.objects.select_related("invoice", "batch").get()
    assert collection.status == DirectDebitCollection.Status.RETURNED
    assert collection.reason_code == "AM04"
    assert collection.invoice.contract.contract_number == "600002"
    assert collection.invoice.status == Invoice.Status.ISSUED
    assert collection.batch.due_date < timezone.localdate()
    xmlschema.XMLSchema(XSD).validate(collection.batch.file.path)
    client.force_login(User.objects.get(username="ana"))
    home = client.get(reverse("portal:home")).content.decode()
    assert f"O débito direto da fatura {collection.invoice.number} foi devolvido" in home
