"""Adicionar um contrato → "Enviar para avaliação" (manual section 2, point 2)."""

import datetime
import re

import time_machine
from django.urls import reverse
from django.utils import timezone

from balcao.contracts.models import Letter, Subscription, SubscriptionEvent
from balcao.contracts.tests.conftest import numbers

SENT = "O seu pedido foi enviado para avaliação"


def test_form_has_the_manuals_fields_and_button(carla_client):
    html = carla_client.get(reverse("contracts:add")).content.decode()
    for label in (
        "Produto contratado",
        "Água e/ou Saneamento",
        "Instalação (CIL)",
        "Número de cliente",
        "Número de conta",
        "Nome personalizado",
        "Enviar para avaliação",
        "Cancelar",
    ):
        assert label in html


def test_empty_form_says_what_is_missing_next_to_each_field(carla_client, carla):
    response = carla_client.post(reverse("contracts:add"), {"product": "water_sanitation"})
    html = response.content.decode()
    assert "<title>Erro:" in html and "Há um problema" in html
    assert "Indique o código da instalação (CIL)." in html
    assert 'href="#id_customer_number"' in html
    assert not carla.subscriptions.exists()


def test_matching_numbers_pass_the_evaluation_automatically(carla_client, carla, letter_contract):
    response = carla_client.post(
        reverse("contracts:add"),
        numbers(letter_contract, cil=" 400-002 ", custom_name="Casa da avó"),
        follow=True,
    )
    html = response.content.decode()
    assert SENT in html
    subscription = carla.subscriptions.get()
    assert subscription.cil == "400002"
    assert subscription.contract == letter_contract
    assert subscription.status == Subscription.Status.AWAITING_ACTIVATION
    assert Letter.objects.filter(subscription=subscription, printed_at__isnull=True).exists()
    event = subscription.events.get(kind=SubscriptionEvent.Kind.APPROVED)
    assert event.actor is None and "automática" in event.note
    # To the user it still reads "Em avaliação": nothing tells that the numbers matched.
    assert "Em avaliação" in html and "A aguardar ativação" not in html


@time_machine.travel("2026-11-20 10:00 +0000", tick=False)
def test_the_answer_never_tells_whether_the_numbers_exist(carla_client, carla, letter_contract):
    matched = carla_client.post(
        reverse("contracts:add"), numbers(letter_contract, custom_name="Um"), follow=True
    )
    unmatched = carla_client.post(
        reverse("contracts:add"),
        numbers(letter_contract, account_number="999999", custom_name="Um"),
        follow=True,
    )
    first, second = carla.subscriptions.order_by("pk")
    assert first.contract is not None and second.contract is None
    assert second.status == Subscription.Status.EVALUATING

    def visible(response, subscription):
        html = response.content.decode()
        html = html.replace(str(subscription.reference), "REF")
        for value in (subscription.account_number,):
            html = html.replace(value, "NUM")
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return html[html.index("<main") :]

    assert visible(matched, first) == visible(unmatched, second)


def test_with_auto_evaluation_off_a_clerk_decides(carla_client, carla, letter_contract, settings):
    settings.SUBSCRIPTION_AUTO_EVALUATION = False
    carla_client.post(reverse("contracts:add"), numbers(letter_contract))
    subscription = carla.subscriptions.get()
    assert subscription.status == Subscription.Status.EVALUATING
    assert subscription.contract is None
    assert not Letter.objects.exists()


def test_asking_for_a_new_letter_answers_the_same_whether_or_not_approved(
    carla_client, carla, letter_contract
):
    carla_client.post(reverse("contracts:add"), numbers(letter_contract, custom_name="Um"))
    carla_client.post(
        reverse("contracts:add"),
        numbers(letter_contract, account_number="999999", custom_name="Um"),
    )
    approved, unmatched = carla.subscriptions.order_by("pk")
    answers = []
    for subscription in (approved, unmatched):
        url = reverse("contracts:request_code", args=[subscription.reference])
        too_soon = carla_client.post(url, follow=True).content.decode()
        assert "Só pode pedir um novo código a partir de" in too_soon
        with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
            carla_client.force_login(carla)
            done = carla_client.post(url, follow=True).content.decode()
        answers.append(re.search(r'<div class="message[^>]*>(.*?)</div>', done, re.S).group(1))
    assert answers[0] == answers[1]
    assert "Se os dados corresponderem a um contrato" in answers[0]


def test_the_same_numbers_twice_are_refused(carla_client, carla, letter_contract):
    carla_client.post(reverse("contracts:add"), numbers(letter_contract))
    response = carla_client.post(reverse("contracts:add"), numbers(letter_contract))
    assert "Já tem um pedido ou um contrato com estes números" in response.content.decode()
    assert carla.subscriptions.count() == 1


def test_the_request_appears_in_os_meus_contratos(carla_client, carla, letter_contract):
    carla_client.post(reverse("contracts:add"), numbers(letter_contract, custom_name="Armazém"))
    html = carla_client.get(reverse("contracts:list")).content.decode()
    assert "Pedidos de adesão" in html and "Armazém" in html and "Em avaliação" in html
    assert reverse("contracts:request", args=[carla.subscriptions.get().reference]) in html


def test_home_links_to_add_a_contract(carla_client):
    assert reverse("contracts:add") == "/contratos/adicionar/"


def test_withdrawing_and_adding_again_prints_no_second_letter_within_a_week(
    carla_client, carla, letter_contract, print_letters
):
    """Issue 9, item 5: the weekly letter rule counts per user and contract, across
    withdrawals; the user is told the same, and may ask for a new letter after a week."""
    start = timezone.make_aware(datetime.datetime(2026, 11, 2, 10, 0))
    with time_machine.travel(start, tick=False):
        carla_client.post(reverse("contracts:add"), numbers(letter_contract))
        first = carla.subscriptions.get()
        print_letters()
        carla_client.post(reverse("contracts:cancel", args=[first.reference]))
        response = carla_client.post(
            reverse("contracts:add"), numbers(letter_contract), follow=True
        )
        assert SENT in response.content.decode()
        second = carla.subscriptions.exclude(pk=first.pk).get()
        assert second.status == Subscription.Status.AWAITING_ACTIVATION
        assert not second.letters.exists()
        carla_client.post(reverse("contracts:request_code", args=[second.reference]))
        assert not second.letters.exists()
    with time_machine.travel(start + datetime.timedelta(days=7, minutes=1), tick=False):
        carla_client.post(reverse("contracts:request_code", args=[second.reference]))
        assert second.letters.filter(printed_at__isnull=True).count() == 1
    assert Letter.objects.count() == 2


def test_withdrawing_before_the_letter_is_printed_queues_the_letter_again(
    carla_client, carla, letter_contract
):
    """A letter deleted before printing never went out: adding again queues one at once."""
    carla_client.post(reverse("contracts:add"), numbers(letter_contract))
    first = carla.subscriptions.get()
    carla_client.post(reverse("contracts:cancel", args=[first.reference]))
    carla_client.post(reverse("contracts:add"), numbers(letter_contract))
    assert Letter.objects.filter(printed_at__isnull=True).count() == 1
