"""The e-invoice's conditions, which its form asks to accept, are one link away (issue 11,
item 6)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_checkbox_links_to_the_conditions_which_state_them(ana_client, ana):
    casa = ana.subscriptions.get(custom_name="Casa").contract
    form = ana_client.get(
        reverse("service_requests:change", args=[casa.contract_number, "e_invoice_on"])
    ).text
    assert "Li e aceito as condições de adesão à fatura eletrónica" in form
    link = re.search(r'<a href="([^"]+)"[^>]*>Ler as condições de adesão', form)
    assert link and link.group(1) == reverse("portal:e_invoice_terms")

    conditions = Client().get(link.group(1))  # public: readable before signing in too
    assert conditions.status_code == 200
    html = conditions.text
    assert "<h1>Condições de adesão à fatura eletrónica</h1>" in html
    for said in ("36.º do Código do IVA", "28/2019", "Minhas faturas", "Desativar", "e-mail"):
        assert said in html
