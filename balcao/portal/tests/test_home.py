"""Início / Resumo (manual 6.1): last invoice, notices and last request of the chosen contract."""

import datetime

import pytest
import time_machine
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from balcao.accounts.tests.factories import UserFactory
from balcao.contracts.models import Subscription
from balcao.contracts.tests.factories import ContractFactory, SubscriptionFactory
from balcao.notices.models import Notice, NoticeDismissal
from balcao.notices.tests.factories import NoticeFactory
from balcao.service_requests import services as requests_services
from balcao.service_requests.models import Channel, RequestType, ServiceRequest

HOME = reverse("portal:home")


def url_or_none(name):
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def submit(user, request_type, contract=None, **kwargs):
    """A request made the way "Novo pedido" makes it (the requests area's own service)."""
    return requests_services.submit_request(
        user=user,
        request_type=request_type,
        contract=contract,
        channel=Channel.EMAIL,
        contact_value=user.email,
        description="Pedido de teste.",
        **kwargs,
    )


def choose(client, subscription):
    client.post(
        reverse("portal:choose_contract"), {"contract": subscription.contract.contract_number}
    )


def test_summary_of_the_chosen_contract(ana_client, ana):
    html = ana_client.get(HOME).content.decode()
    casa = ana.subscriptions.get(custom_name="Casa")
    assert f"Resumo do contrato Casa (n.º {casa.contract.contract_number})." in html
    assert "Última fatura" in html
    assert "Ainda não há faturas para este contrato." in html
    assert f'<a href="{reverse("portal:invoices")}">Ver todas as Faturas</a>' in html
    assert "Notificações" in html and "Não há notificações." in html
    assert "Último pedido" in html and "Ainda não fez pedidos." in html
    assert f'<a href="{reverse("service_requests:list")}">Ver todos os Pedidos</a>' in html
    new_request = url_or_none("service_requests:new")
    if new_request:
        assert f'<a href="{new_request}">Novo pedido</a>' in html
    assert "Adicionar um contrato" not in html


def test_notices_that_reach_the_user_are_listed_with_dismiss(ana_client, ana, bruno):
    NoticeFactory(title="Novo Balcão Digital", text="Bem-vindo.\nExperimente.")
    NoticeFactory(
        title="Troca do contador",
        audience=Notice.Audience.CONTRACTS,
        contracts=[ana.subscriptions.get(custom_name="Loja").contract],
    )
    NoticeFactory(
        title="Só do Bruno",
        audience=Notice.Audience.CONTRACTS,
        contracts=[bruno.subscriptions.get().contract],
    )
    dismissed = NoticeFactory(title="Já dispensado")
    NoticeDismissal.objects.create(notice=dismissed, user=ana)

    html = ana_client.get(HOME).content.decode()

    assert "<h3>Novo Balcão Digital</h3>" in html and "Bem-vindo.<br>Experimente." in html
    assert "<h3>Troca do contador</h3>" in html
    # which of her contracts it is about, since the summary is the chosen contract's (Casa)
    assert "Contrato: Loja" in html
    assert "Só do Bruno" not in html and "Já dispensado" not in html
    assert html.count(">Dispensar<") == 2
    assert "Não há notificações." not in html


def test_a_local_notice_names_the_contracts_it_is_about(ana_client, ana):
    leiria = ana.subscriptions.first().contract.installation.address.municipality
    NoticeFactory(title="Leituras", audience=Notice.Audience.MUNICIPALITY, municipality=leiria)
    NoticeFactory(title="Para todos")
    html = ana_client.get(HOME).content.decode()
    assert "Contratos: Casa, Loja" in html
    assert html.count('class="notice-concerns"') == 1  # not on the notice to everyone


def test_a_notice_shows_its_publication_date_in_lisbon(ana_client):
    start = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)  # 1 July in Lisbon
    NoticeFactory(title="Corte", starts_at=start, ends_at=start + datetime.timedelta(days=2))
    with time_machine.travel(start + datetime.timedelta(hours=1), tick=False):
        html = ana_client.get(HOME).content.decode()
    assert "Publicado em 01/07/2026" in html


def test_last_request_of_the_chosen_contract(ana_client, ana):
    casa = ana.subscriptions.get(custom_name="Casa")
    loja = ana.subscriptions.get(custom_name="Loja")
    with time_machine.travel(datetime.datetime(2026, 2, 3, 10, 0, tzinfo=datetime.UTC)):
        older = submit(ana, RequestType.LOW_PRESSURE, casa.contract)
    with time_machine.travel(datetime.datetime(2026, 2, 5, 10, 0, tzinfo=datetime.UTC)):
        submit(ana, RequestType.NO_WATER, casa.contract)
    with time_machine.travel(datetime.datetime(2026, 2, 9, 10, 0, tzinfo=datetime.UTC)):
        loja_request = submit(ana, RequestType.WATER_QUALITY, loja.contract)
    latest_casa = ServiceRequest.objects.get(request_type=RequestType.NO_WATER)

    html = ana_client.get(HOME).content.decode()
    assert "Falta de água" in html and str(latest_casa.number) in html
    assert "Submetido" in html and "05/02/2026" in html
    assert str(older.number) not in html and str(loja_request.number) not in html
    assert "Ainda não fez pedidos." not in html

    choose(ana_client, loja)
    html = ana_client.get(HOME).content.decode()
    assert "Qualidade da água" in html and str(loja_request.number) in html
    assert "09/02/2026" in html and str(latest_casa.number) not in html


def test_a_closed_request_shows_when_it_was_concluded(ana_client, ana, clerk):
    casa = ana.subscriptions.get(custom_name="Casa").contract
    with time_machine.travel(datetime.datetime(2026, 2, 3, 10, 0, tzinfo=datetime.UTC)):
        request = submit(ana, RequestType.COMPLAINT, casa)
    with time_machine.travel(datetime.datetime(2026, 2, 6, 10, 0, tzinfo=datetime.UTC)):
        requests_services.answer_and_close(
            service_request=request, actor=clerk, resolution="Resolvido."
        )
    html = ana_client.get(HOME).content.decode()
    assert "Reclamação" in html and "Fechado" in html
    assert "Concluído" in html and "06/02/2026" in html


def test_someone_elses_request_is_never_the_last_one(ana_client, bruno):
    brunos = submit(bruno, RequestType.NO_WATER, bruno.subscriptions.get().contract)
    html = ana_client.get(HOME).content.decode()
    assert str(brunos.number) not in html
    assert "Ainda não fez pedidos." in html


@pytest.mark.django_db
def test_a_user_without_contracts_is_invited_to_add_one(client):
    user = UserFactory()
    for name, status in (
        ("Casa da praia", Subscription.Status.EVALUATING),
        ("Armazém", Subscription.Status.AWAITING_ACTIVATION),
        ("Recusado", Subscription.Status.REJECTED),
    ):
        SubscriptionFactory(
            user=user,
            custom_name=name,
            status=status,
            contract=None,
            activated_at=None,
            cil="712345",
            customer_number="100999",
            account_number="500999",
        )
    NoticeFactory(title="Novo Balcão Digital")
    client.force_login(user)

    html = client.get(HOME).content.decode()

    assert '<h2 id="add-contract-heading">Adicionar um contrato</h2>' in html
    add_url = url_or_none("contracts:add")
    if add_url:
        assert f'<a class="button" href="{add_url}">Adicionar um contrato</a>' in html
    assert "Contratos a aguardar" in html
    assert "Casa da praia" in html and "712345" in html and "Em avaliação" in html
    waiting = user.subscriptions.get(custom_name="Casa da praia")
    detail = reverse("contracts:request", kwargs={"reference": waiting.reference})
    assert f'<a href="{detail}">Casa da praia</a>' in html  # where to type the letter's code
    assert "Armazém" in html and "A aguardar ativação" in html
    assert "Recusado" not in html
    assert "Última fatura" not in html
    assert "Novo Balcão Digital" in html


@pytest.mark.django_db
def test_a_new_user_sees_no_waiting_table(client):
    user = UserFactory()
    client.force_login(user)
    html = client.get(HOME).content.decode()
    assert "Adicionar um contrato" in html
    assert "Adicione um novo contrato" in html  # the manual's words on this screen (section 2)
    assert "Contratos a aguardar" not in html


def test_query_count_is_flat_with_many_notices_and_requests(
    ana_client, ana, bruno, django_assert_max_num_queries
):
    casa = ana.subscriptions.get(custom_name="Casa").contract
    for _ in range(8):  # more contracts in the header
        SubscriptionFactory(user=ana, contract=ContractFactory(customer=casa.customer))
    for index in range(60):
        NoticeFactory(title=f"Para todos {index}")
        NoticeFactory(
            title=f"Contrato {index}", audience=Notice.Audience.CONTRACTS, contracts=[casa]
        )
        NoticeFactory(
            title=f"Do Bruno {index}",
            audience=Notice.Audience.CONTRACTS,
            contracts=[bruno.subscriptions.get().contract],
        )
    submit(ana, RequestType.INFORMATION)
    last = ServiceRequest.objects.order_by("-number").first().number
    now = timezone.now() - datetime.timedelta(days=1)
    ServiceRequest.objects.bulk_create(
        ServiceRequest(
            number=last + index + 1,
            user=ana,
            contract=casa,
            request_type=RequestType.COMPLAINT,
            channel=Channel.NONE,
            submitted_at=now - datetime.timedelta(hours=index),
        )
        for index in range(199)
    )

    # session, user, subscriptions (header), the user's places, last request, notices, the
    # contracts notices' targets, and the session's save (3): the same with 10 contracts,
    # 180 notices and 200 requests.
    with django_assert_max_num_queries(10):
        response = ana_client.get(HOME)

    html = response.content.decode()
    assert html.count(">Dispensar<") == 10  # the newest ten; dismissing one makes room
    assert "Do Bruno" not in html
    assert "Informação" in html  # the newest request, made without a contract
