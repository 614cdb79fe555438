"""The back office in correct Portuguese: no English leftover on any of our screens, and
messages whose words agree with the noun («A leitura … foi adicionada», not «O leitura …»).

It crosses every app's admin, so it lives in the top-level tests (docs/architecture.md).
"""

import datetime
import re

import pytest
import time_machine
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from balcao.accounts.tests.factories import UserFactory
from balcao.billing.services import create_mandate
from balcao.billing.tests.factories import issue_month_invoice
from balcao.contracts.models import Letter, Subscription
from balcao.contracts.tests.factories import ContractFactory, SubscriptionFactory
from balcao.core.admin import PortugueseAdminMixin
from balcao.core.roles import sync_staff_groups
from balcao.notices.tests.factories import NoticeFactory
from balcao.payments.tests.factories import pay_invoice
from balcao.readings.models import Reading, ReadingReminderPreference
from balcao.readings.tests.factories import ReadingFactory
from balcao.service_requests import services as request_services
from balcao.service_requests.models import Channel, RequestType, ServiceRequest

pytestmark = pytest.mark.django_db

# Words that Django's admin or our own columns left in English before (issue 11, item 15).
ENGLISH = [
    ">View<",
    "View ",
    ">Home<",
    'alt="True"',
    'alt="False"',
    'alt="None"',
    'alt="Search"',
    "Masked iban",
    "MASKED IBAN",
    "Back office",
    "Staff status",
    "Superuser status",
    "Status de equipa",
    "Status de superuser",
    ": water<",
    " feito.",
]


def our_admins():
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model.__module__.startswith("balcao.")
    ]


@pytest.fixture
def back_office(ana, clerk):
    """One row of every model the staff see, made the way the portal makes them."""
    sync_staff_groups()
    casa = ana.subscriptions.get(custom_name="Casa")
    contract = casa.contract
    SubscriptionFactory(user=ana, custom_name="Armazém", status=Subscription.Status.EVALUATING)
    Letter.objects.create(subscription=casa, recipient_name="Ana Silva", address_lines="Leiria")
    ReadingFactory(installation=contract.installation, taken_on=datetime.date(2026, 1, 5), index=7)
    ReadingReminderPreference.objects.create(user=ana, enabled=True)
    NoticeFactory()
    create_mandate(
        account=contract.account,
        debtor_name="Ana Silva",
        debtor_address="Rua Direita 1, 2400-001 Leiria",
        iban="PT50000201231234567890154",
        signed_at=datetime.date(2026, 4, 10),
        signed_place="Leiria",
        authorisation_text="Texto aceite.",
        actor=clerk,
    )
    request_services.submit_request(
        user=ana,
        request_type=RequestType.INFORMATION,
        contract=contract,
        channel=Channel.EMAIL,
        contact_value=ana.email,
        description="Qual é o horário do balcão?",
    )
    pay_invoice(issue_month_invoice(contract, datetime.date(2026, 9, 1)))  # a receipt


def pages_of(client):
    """Every changelist, add form and change form of our admins that this user may open."""
    yield reverse("admin:index")
    for model, _model_admin in our_admins():
        opts = model._meta
        name = f"admin:{opts.app_label}_{opts.model_name}"
        yield reverse(f"{name}_changelist")
        yield reverse(f"{name}_add")
        obj = model.objects.first()
        if obj is not None:
            yield reverse(f"{name}_change", args=[obj.pk])


@pytest.mark.parametrize("who", ["clerk", "superuser"])
def test_no_english_leftover_on_any_screen_of_the_back_office(who, back_office, client, clerk):
    user = clerk if who == "clerk" else UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    found, opened = {}, 0
    for url in pages_of(client):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="pt-pt")
        if response.status_code == 403:
            continue
        assert response.status_code == 200, url
        opened += 1
        html = response.content.decode()
        leftovers = [word for word in ENGLISH if word in html]
        if leftovers:
            found[url] = leftovers
    assert found == {}
    assert opened >= 20  # the walk really opened the screens


def test_every_admin_of_ours_says_its_nouns_gender():
    genderless = [
        model.__name__
        for model, model_admin in our_admins()
        if not isinstance(model_admin, PortugueseAdminMixin) or model_admin.gender not in ("m", "f")
    ]
    assert genderless == []


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


@time_machine.travel(datetime.datetime(2026, 4, 20, 10, tzinfo=datetime.UTC), tick=False)
def test_adding_a_reading_says_it_in_the_feminine(client):
    sync_staff_groups()
    reader = UserFactory(username="leitor", is_staff=True)
    reader.groups.add(Group.objects.get(name="Leituras"))
    client.force_login(reader)
    installation = ContractFactory().installation

    response = client.post(
        reverse("admin:readings_reading_add"),
        {"cil": installation.cil, "taken_on": "2026-04-14", "index": "321", "reader": "Rui"},
        follow=True,
    )

    reading = Reading.objects.get()
    assert messages_of(response) == [f"A leitura «{reading}» foi adicionada."]


def hidden_inputs(html):
    """The form's hidden fields as the browser sends them (the inlines' management forms)."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def test_changing_a_notice_says_it_in_the_masculine(clerk_client):
    sync_staff_groups()
    notice = NoticeFactory(title="Corte de água")
    url = reverse("admin:notices_notice_change", args=[notice.pk])
    starts, ends = (timezone.localtime(moment) for moment in (notice.starts_at, notice.ends_at))
    data = {
        **hidden_inputs(clerk_client.get(url).content.decode()),
        "title": "Corte de água adiado",
        "text": notice.text,
        "starts_at_0": f"{starts:%d/%m/%Y}",
        "starts_at_1": f"{starts:%H:%M}",
        "ends_at_0": f"{ends:%d/%m/%Y}",
        "ends_at_1": f"{ends:%H:%M}",
        "audience": notice.audience,
        "_save": "Gravar",
    }

    response = clerk_client.post(url, data, follow=True)

    assert messages_of(response) == ["O aviso «Corte de água adiado» foi alterado."]


def test_saving_a_subscription_says_it_in_the_feminine(clerk_client, ana):
    sync_staff_groups()
    subscription = ana.subscriptions.get(custom_name="Casa")
    url = reverse("admin:contracts_subscription_change", args=[subscription.pk])

    data = {**hidden_inputs(clerk_client.get(url).content.decode()), "_save": "Gravar"}

    response = clerk_client.post(url, data, follow=True)

    assert messages_of(response) == [f"A subscrição de contrato «{subscription}» foi alterada."]


def test_each_request_action_says_what_was_done(clerk_client, ana):
    sync_staff_groups()
    service_request = request_services.submit_request(
        user=ana,
        request_type=RequestType.INFORMATION,
        contract=None,
        channel=Channel.EMAIL,
        contact_value=ana.email,
        description="Qual é o horário do balcão?",
    )
    number = service_request.number

    def act(action, data=None):
        url = reverse(
            "admin:service_requests_servicerequest_action", args=[service_request.pk, action]
        )
        return messages_of(clerk_client.post(url, data or {}, follow=True))

    assert act("em-resolucao") == [f"O pedido n.º {number} passou a «Em resolução»."]
    assert act("responder", {"resolution": "Das 9h às 16h."}) == [
        f"O pedido n.º {number} foi respondido e fechado."
    ]


def test_the_bulk_action_counts_in_correct_portuguese(clerk_client, ana):
    sync_staff_groups()
    made = [
        request_services.submit_request(
            user=ana,
            request_type=RequestType.INFORMATION,
            contract=None,
            channel=Channel.EMAIL,
            contact_value=ana.email,
            description=f"Pergunta {n}",
        )
        for n in range(2)
    ]
    url = reverse("admin:service_requests_servicerequest_changelist")

    def run(requests):
        data = {"action": "mark_in_progress", "_selected_action": [r.pk for r in requests]}
        return messages_of(clerk_client.post(url, data, follow=True))

    assert run(made[:1]) == ["1 pedido passou a «Em resolução»."]
    assert run(made) == ["1 pedido passou a «Em resolução»."]  # the first one had moved
    assert run(made) == ["Nenhum pedido mudou: só um pedido «Submetido» passa a «Em resolução»."]
    assert set(ServiceRequest.objects.values_list("status", flat=True)) == {"in_progress"}
