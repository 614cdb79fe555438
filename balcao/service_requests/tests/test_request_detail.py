"""A request's page, its resolution once closed, its attachments: the owner's and staff's."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from balcao.service_requests.models import RequestType
from balcao.service_requests.selectors import latest_request_for_user

pytestmark = pytest.mark.django_db


def pdf(name="fatura.pdf"):
    upload = SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    upload.checked_content_type = "application/pdf"
    return upload


def test_a_closed_request_shows_the_resolution(ana_client, ana, clerk, make_request):
    from balcao.service_requests import services

    service_request = make_request(ana, description="Posso pagar em prestações?")
    services.answer_and_close(
        service_request=service_request, actor=clerk, resolution="Sim, até 6 prestações."
    )

    html = ana_client.get(reverse("service_requests:detail", args=[service_request.number]))
    html = html.content.decode()

    assert f"Pedido n.º {service_request.number}" in html
    assert "Resolução" in html and "Sim, até 6 prestações." in html
    assert "Posso pagar em prestações?" in html
    assert "Fechado" in html
    # back to the list by the manual's words (6.1, 6.5)
    assert f'<a href="{reverse("service_requests:list")}">Ver todos os Pedidos</a>' in html


def test_an_open_request_has_no_resolution_panel(ana_client, ana, make_request):
    service_request = make_request(ana)

    html = ana_client.get(reverse("service_requests:detail", args=[service_request.number]))

    assert "Resolução" not in html.content.decode()


def test_bruno_cannot_open_anas_request_nor_its_attachment(
    bruno_client, ana, ana_contract, make_request
):
    service_request = make_request(
        ana, request_type=RequestType.COMPLAINT, contract=ana_contract, attachments=[pdf()]
    )
    attachment = service_request.attachments.get()

    assert (
        bruno_client.get(
            reverse("service_requests:detail", args=[service_request.number])
        ).status_code
        == 404
    )
    assert (
        bruno_client.get(
            reverse("service_requests:attachment", args=[service_request.number, attachment.token])
        ).status_code
        == 404
    )
    assert bruno_client.get(reverse("service_requests:detail", args=[999])).status_code == 404


def test_the_owner_and_the_clerk_download_the_attachment(
    ana_client, clerk, ana, ana_contract, make_request
):
    service_request = make_request(
        ana, request_type=RequestType.COMPLAINT, contract=ana_contract, attachments=[pdf()]
    )
    attachment = service_request.attachments.get()
    url = reverse("service_requests:attachment", args=[service_request.number, attachment.token])
    assert (
        url
        in ana_client.get(
            reverse("service_requests:detail", args=[service_request.number])
        ).content.decode()
    )

    response = ana_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="fatura.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")

    staff = Client()
    staff.force_login(clerk)
    assert staff.get(url).status_code == 200


def test_latest_request_for_user_per_contract(ana, ana_contract, bruno, make_request):
    other_contract = ana.subscriptions.exclude(contract=ana_contract).get().contract
    assert latest_request_for_user(ana) is None
    general = make_request(ana)
    about_casa = make_request(ana, request_type=RequestType.COMPLAINT, contract=ana_contract)
    make_request(bruno)

    assert latest_request_for_user(ana) == about_casa
    assert latest_request_for_user(ana, contract=ana_contract) == about_casa
    assert latest_request_for_user(ana, contract=other_contract) == general
