"""Account pages with contracts in the picture: O Meu Perfil, Encerrar conta.

They live here, not in accounts' tests, because they need contracts' models and factories
and accounts' tests import nothing from the apps above accounts (docs/architecture.md).
"""

import pytest
from django.core import mail
from django.urls import reverse

from balcao.accounts.models import User
from balcao.accounts.tests.factories import PASSWORD
from balcao.contracts.models import Contract, Customer, Subscription
from balcao.contracts.tests.factories import SubscriptionFactory
from balcao.core.tests.factories import AddressFactory

pytestmark = pytest.mark.django_db

PROFILE = reverse("accounts:profile")


def test_profile_shows_both_blocks_and_the_note(ana_client, ana, django_assert_max_num_queries):
    ana.address = AddressFactory(street="Rua Direita", door="5")
    ana.save()
    for _ in range(20):  # many contracts do not make the page heavier
        SubscriptionFactory(user=ana)
    with django_assert_max_num_queries(10):
        response = ana_client.get(PROFILE)
    page = response.content.decode()
    for label in (
        "Dados do titular",
        "Informação da morada",
        "Nome de utilizador",
        "Idioma",
        "Contacto telefónico",
        "Telemóvel",
        "Código postal",
        "Freguesia",
    ):
        assert label in page
    assert "Rua Direita" in page and "232013969" in page
    assert "não estão associados ao seu contrato" in page
    assert reverse("service_requests:new") in page
    assert page.count(">Editar<") == 2


def test_close_account_needs_the_password_and_keeps_the_utilitys_records(
    ana_client, ana, django_capture_on_commit_callbacks
):
    contracts = set(Contract.objects.filter(subscriptions__user=ana).values_list("pk", flat=True))
    url = reverse("accounts:close_account")
    response = ana_client.post(url, {"password": "errada"})
    assert "A password não está correta" in response.content.decode()
    assert User.objects.filter(pk=ana.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = ana_client.post(url, {"password": PASSWORD}, follow=True)
    assert "A sua conta no Balcão Digital foi encerrada" in response.content.decode()
    assert not User.objects.filter(username="ana").exists()
    assert not Subscription.objects.filter(user_id=ana.pk).exists()
    assert set(Contract.objects.filter(pk__in=contracts).values_list("pk", flat=True)) == contracts
    assert Customer.objects.filter(nif="232013969").exists()
    assert mail.outbox[-1].to == ["ana.silva@example.pt"]
    assert ana_client.get(reverse("accounts:profile")).status_code == 302
