"""Os meus dados (JSON and CSV) and Encerrar conta (RGPD; DOMAIN.md)."""

import csv
import io
import json
import zipfile

import pytest
from django.core import mail
from django.urls import reverse

from balcao.accounts import personal_data
from balcao.accounts.models import User
from balcao.accounts.tests.factories import PASSWORD
from balcao.contracts.models import Contract, Customer, Subscription

pytestmark = pytest.mark.django_db


def test_registry_collects_every_apps_section(ana):
    data = personal_data.collect(ana)
    assert {"perfil", "atividade", "contratos"} <= set(data)
    assert data["perfil"][0]["nome_de_utilizador"] == "ana"
    assert {row["nome_personalizado"] for row in data["contratos"]} == {"Casa", "Loja"}


def test_json_download(ana_client, ana, bruno):
    response = ana_client.get(reverse("accounts:export_json"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    sections = data["seccoes"]
    assert sections["perfil"][0]["email"] == "ana.silva@example.pt"
    assert len(sections["contratos"]) == 2
    assert "bruno" not in response.content.decode().lower()


def test_csv_download_is_a_zip_of_one_csv_per_section(ana_client):
    response = ana_client.get(reverse("accounts:export_csv"))
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert {"perfil.csv", "contratos.csv", "atividade.csv"} <= set(archive.namelist())
    rows = list(csv.DictReader(io.StringIO(archive.read("contratos.csv").decode("utf-8-sig"))))
    assert {row["nome_personalizado"] for row in rows} == {"Casa", "Loja"}


def test_my_data_page(ana_client):
    page = ana_client.get(reverse("accounts:my_data")).content.decode()
    assert "Descarregar em JSON" in page and "Descarregar em CSV" in page


def test_close_account_needs_the_password_and_keeps_the_utilitys_records(ana_client, ana):
    contracts = set(Contract.objects.filter(subscriptions__user=ana).values_list("pk", flat=True))
    url = reverse("accounts:close_account")
    response = ana_client.post(url, {"password": "errada"})
    assert "A password não está correta" in response.content.decode()
    assert User.objects.filter(pk=ana.pk).exists()

    response = ana_client.post(url, {"password": PASSWORD}, follow=True)
    assert "A sua conta no Balcão Digital foi encerrada" in response.content.decode()
    assert not User.objects.filter(username="ana").exists()
    assert not Subscription.objects.filter(user_id=ana.pk).exists()
    assert set(Contract.objects.filter(pk__in=contracts).values_list("pk", flat=True)) == contracts
    assert Customer.objects.filter(nif="232013969").exists()
    assert mail.outbox[-1].to == ["ana.silva@example.pt"]
    assert ana_client.get(reverse("accounts:profile")).status_code == 302
