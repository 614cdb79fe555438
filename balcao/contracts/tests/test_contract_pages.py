"""Os meus contratos and the contract's detail (manual 6.2); rename and remove."""

import pytest
from django.urls import reverse

from balcao.accounts.tests.factories import UserFactory
from balcao.contracts.models import Contract, Subscription, SubscriptionEvent
from balcao.contracts.tests.factories import ContractFactory, SubscriptionFactory


def test_list_shows_contract_cil_address_and_last_invoice(ana_client, ana):
    casa = ana.subscriptions.get(custom_name="Casa")
    html = ana_client.get(reverse("contracts:list")).content.decode()
    assert "<caption>" in html
    for column in ("Contrato", "CIL", "Morada", "Última fatura"):
        assert f">{column}</th>" in html
    assert "Casa" in html and "Loja" in html
    assert casa.contract.installation.cil in html
    assert str(casa.contract.installation.address) in html
    assert "Sem faturas" in html
    assert reverse("contracts:detail", args=[casa.contract.contract_number]) in html
    assert reverse("contracts:add") in html and "Adicionar um contrato" in html


def test_list_row_has_the_manuals_arrow_to_the_contract_details(ana_client, ana):
    """Manual 6.2: "Na seta" of a row opens the panel "Detalhes do Contrato"."""
    casa = ana.subscriptions.get(custom_name="Casa")
    url = reverse("contracts:detail", args=[casa.contract.contract_number])
    html = ana_client.get(reverse("contracts:list")).content.decode()
    assert f'<a href="{url}">Casa <span aria-hidden="true">→</span></a>' in html
    detail = ana_client.get(url).content.decode()
    assert '<p class="steps">Detalhes do contrato</p>' in detail


def test_detail_shows_product_holder_and_payment_data(ana_client, ana):
    casa = ana.subscriptions.get(custom_name="Casa")
    contract = casa.contract
    contract.customer.phone = ""
    contract.customer.mobile = ""
    contract.customer.save()
    contract.account.e_invoice = True
    contract.account.save()
    response = ana_client.get(reverse("contracts:detail", args=[contract.contract_number]))
    html = response.content.decode()
    assert response.context["subscription"] == casa
    assert response.context["contract"] == contract
    for heading in ("Dados de produto", "Titular do contrato", "Dados de pagamento"):
        assert f">{heading}</h2>" in html
    for label in (
        "Plano",
        "Morada de contrato",
        "Nome personalizado",
        "Tarifa",
        "Número de contrato",
        "Data de início",
        "Nome",
        "Morada",
        "E-mail",
        "Telefone",
        "NIF",
        "Fatura eletrónica",
        "Débito direto",
    ):
        assert f"<dt>{label}</dt>" in html
    assert "Água, Saneamento e Resíduos" in html and "Doméstica" in html
    assert "15/01/2020" in html
    assert "Ana Silva" in html and "232013969" in html and "ana.silva@example.pt" in html
    assert "Sem informação" in html  # no phone on record
    assert str(contract.account.billing_address) in html
    assert "Ativo" in html and "Inativo" in html  # e-invoice on, direct debit off
    assert "Remover contrato" in html


def test_rename_changes_the_custom_name_everywhere(ana_client, ana):
    casa = ana.subscriptions.get(custom_name="Casa")
    url = reverse("contracts:rename", args=[casa.contract.contract_number])
    response = ana_client.post(url, {"custom_name": ""})
    assert "Indique um nome para este contrato" in response.content.decode()
    response = ana_client.post(url, {"custom_name": "Casa de férias"}, follow=True)
    html = response.content.decode()
    assert "Nome personalizado alterado." in html
    assert ">Casa de férias</option>" in html  # the header's selector too
    casa.refresh_from_db()
    assert casa.custom_name == "Casa de férias"
    assert casa.events.filter(kind=SubscriptionEvent.Kind.RENAMED, actor=ana).exists()


def test_remove_takes_the_contract_off_the_portal_only(ana_client, ana):
    casa = ana.subscriptions.get(custom_name="Casa")
    number = casa.contract.contract_number
    url = reverse("contracts:remove", args=[number])
    assert "Quer remover o contrato" in ana_client.get(url).content.decode()
    response = ana_client.post(url, follow=True)
    assert "foi removido" in response.content.decode()
    casa.refresh_from_db()
    assert casa.status == Subscription.Status.REMOVED
    assert Contract.objects.get(contract_number=number).status == Contract.Status.ACTIVE
    assert ana_client.get(reverse("contracts:detail", args=[number])).status_code == 404


def test_another_user_may_hold_the_same_contract_through_their_own_subscription(ana, bruno):
    contract = ana.subscriptions.get(custom_name="Casa").contract
    SubscriptionFactory(user=bruno, contract=contract, custom_name="Casa da Ana")
    assert contract.subscriptions.filter(status=Subscription.Status.ACTIVE).count() == 2


@pytest.fixture
def many_contracts_client(client, db):
    """A user holding 20 contracts, and requests waiting in every state."""
    user = UserFactory(username="empresa")
    for n in range(20):
        SubscriptionFactory(user=user, custom_name=f"Loja {n:02d}")
    for status in (
        Subscription.Status.EVALUATING,
        Subscription.Status.AWAITING_ACTIVATION,
        Subscription.Status.LOCKED,
        Subscription.Status.REJECTED,
    ):
        SubscriptionFactory(
            user=user,
            contract=None,
            status=status,
            custom_name=status,
            activated_at=None,
            cil="1",
            customer_number="2",
            account_number="3",
        )
    client.force_login(user)
    client.user = user
    return client


def test_list_query_count_does_not_grow_with_contracts(
    many_contracts_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        response = many_contracts_client.get(reverse("contracts:list"))
    assert response.content.decode().count("Sem faturas") == 20


def test_detail_query_count_does_not_grow_with_contracts(
    many_contracts_client, django_assert_max_num_queries
):
    subscription = many_contracts_client.user.subscriptions.filter(status="active").first()
    url = reverse("contracts:detail", args=[subscription.contract.contract_number])
    with django_assert_max_num_queries(10):
        response = many_contracts_client.get(url)
    assert response.status_code == 200


def test_detail_of_a_contract_number_that_does_not_exist_is_404(ana_client):
    ContractFactory(contract_number="999111")  # exists, but not ana's
    assert ana_client.get(reverse("contracts:detail", args=["999111"])).status_code == 404
    assert ana_client.get(reverse("contracts:detail", args=["000000"])).status_code == 404
