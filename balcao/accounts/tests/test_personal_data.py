"""Os meus dados (JSON and CSV) and Encerrar conta (RGPD; DOMAIN.md)."""

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse

from balcao.accounts import personal_data

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
