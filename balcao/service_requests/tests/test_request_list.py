"""Meus pedidos (manual 6.5): Estado, Tipo, Nº, Submetido, Concluído; only the user's own."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from balcao.service_requests import services
from balcao.service_requests.models import RequestType, ServiceRequest

pytestmark = pytest.mark.django_db

URL = reverse("service_requests:list")


def test_the_list_shows_each_request_with_status_type_number_and_dates(
    ana_client, ana, ana_contract, clerk, make_request
):
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)):
        open_one = make_request(ana, request_type=RequestType.NO_WATER, contract=ana_contract)
    with time_machine.travel(datetime.datetime(2026, 3, 5, 10, tzinfo=datetime.UTC)):
        closed = make_request(ana)
        services.answer_and_close(service_request=closed, actor=clerk, resolution="Das 9h às 16h.")

    response = ana_client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Utilize a área de pedidos para pedir informações" in html
    for heading in ("Estado", "Tipo", "Nº", "Submetido", "Concluído"):
        assert f'<th scope="col">{heading}</th>' in html
    assert str(open_one.number) in html and "Falta de água" in html and "02/03/2026" in html
    assert str(closed.number) in html and "Fechado" in html and "05/03/2026" in html
    assert html.index(str(closed.number)) < html.index(str(open_one.number))  # newest first
    assert reverse("service_requests:new") in html


def test_another_customers_requests_are_not_listed(ana_client, bruno, make_request):
    theirs = make_request(bruno, description="Pedido do Bruno")

    html = ana_client.get(URL).content.decode()

    assert str(theirs.number) not in html
    assert "Ainda não fez pedidos" in html


def test_query_count_stays_flat_with_two_hundred_requests(
    ana_client, ana, ana_contract, django_assert_max_num_queries
):
    now = timezone.now()
    ServiceRequest.objects.bulk_create(
        ServiceRequest(
            number=5_000_000 + n,
            user=ana,
            contract=ana_contract if n % 2 else None,
            request_type=RequestType.COMPLAINT if n % 2 else RequestType.INFORMATION,
            channel="email",
            contact_value=ana.email,
            submitted_at=now - datetime.timedelta(days=n),
        )
        for n in range(200)
    )
    ana_client.get(URL)  # warm the session and the selector's caches

    with django_assert_max_num_queries(8):
        response = ana_client.get(URL)
    with django_assert_max_num_queries(8):
        ana_client.get(URL, {"page": 4})

    assert response.status_code == 200
    assert "Página 1 de 4" in response.content.decode()


def test_the_caption_needs_no_article_for_the_utility(ana_client, ana, make_request):
    """The caption names no utility: "SMAS" is plural ("os SMAS"), "Águas de …" feminine, so
    it never reads «ao SMAS de Leiria»."""
    make_request(ana)

    page = ana_client.get(reverse("service_requests:list")).content.decode()

    assert "<caption>Os seus pedidos</caption>" in page
