"""Identifiers in paths have their real shape: anything else is a 404 before any query.

On PostgreSQL a NUL byte in a contract number used to reach the database (DataError, 500).
"""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/contratos/%00/",
        "/contratos/600001%00/",
        "/contratos/%00/nome/",
        "/leituras/%00/leituras/",
        "/leituras/600001/comprovativo/L2026-0000001%00/",
        "/leituras/600001/comprovativo/%00/",
        "/pedidos/contrato/%00/billing_address/",
        "/pedidos/99999999999999999999999999/",
        "/contratos/ativar/%00/",
        "/conta/confirmar-email/%00/",
        "/conta/perfil/email/%00/",
        "/contratos/" + "9" * 21 + "/",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_malformed_identifier_is_not_found(ana_client, path, method):
    assert getattr(ana_client, method)(path).status_code == 404


def test_real_identifiers_still_resolve(ana_client, ana):
    contract = ana.subscriptions.first().contract
    assert (
        ana_client.get(reverse("contracts:detail", args=[contract.contract_number])).status_code
        == 200
    )
    assert reverse("readings:receipt", args=["600001", "L2026-0123456"]).endswith(
        "/comprovativo/L2026-0123456/"
    )
    assert reverse("service_requests:detail", args=[2026000001]) == "/pedidos/2026000001/"
