"""Bruno can never see or act on Ana's contracts or requests: everything answers 404."""

import pytest
from django.urls import reverse

from balcao.contracts.models import Subscription
from balcao.contracts.tests.conftest import numbers


@pytest.fixture
def ana_request(client, ana, letter_contract):
    client.force_login(ana)
    client.post(reverse("contracts:add"), numbers(letter_contract, custom_name="Garagem"))
    return ana.subscriptions.get(custom_name="Garagem")


def test_bruno_cannot_reach_anas_contracts(client, ana, bruno):
    number = ana.subscriptions.get(custom_name="Casa").contract.contract_number
    client.force_login(bruno)
    for name in ("contracts:detail", "contracts:rename", "contracts:remove"):
        assert client.get(reverse(name, args=[number])).status_code == 404, name
    assert (
        client.post(reverse("contracts:rename", args=[number]), {"custom_name": "X"}).status_code
        == 404
    )
    assert client.post(reverse("contracts:remove", args=[number])).status_code == 404
    assert ana.subscriptions.get(custom_name="Casa").status == Subscription.Status.ACTIVE
    assert number not in client.get(reverse("contracts:list")).content.decode()


def test_bruno_cannot_reach_anas_requests(client, ana_request, bruno):
    client.force_login(bruno)
    ref = ana_request.reference
    assert client.get(reverse("contracts:request", args=[ref])).status_code == 404
    assert (
        client.post(
            reverse("contracts:activate_code", args=[ref]), {"code": "ACDEFHJKMN"}
        ).status_code
        == 404
    )
    assert client.post(reverse("contracts:request_code", args=[ref])).status_code == 404
    assert client.get(reverse("contracts:cancel", args=[ref])).status_code == 404
    assert client.post(reverse("contracts:cancel", args=[ref])).status_code == 404
    ana_request.refresh_from_db()
    assert ana_request.failed_code_attempts == 0
    assert ana_request.status == Subscription.Status.AWAITING_ACTIVATION
    assert "Garagem" not in client.get(reverse("contracts:list")).content.decode()


def test_a_withdrawn_request_is_gone(client, ana, ana_request):
    url = reverse("contracts:cancel", args=[ana_request.reference])
    response = client.post(url, follow=True)
    assert "O pedido foi retirado." in response.content.decode()
    ana_request.refresh_from_db()
    assert ana_request.status == Subscription.Status.REMOVED
    assert not ana_request.letters.exists()  # the pending letter is not printed any more
    assert client.get(reverse("contracts:request", args=[ana_request.reference])).status_code == 404
