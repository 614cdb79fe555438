"""The request's page on the letter path says what happens, without telling whether the
numbers matched a contract (issue 11, item 4)."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from balcao.contracts.models import Subscription
from balcao.contracts.tests.conftest import numbers

ON_ITS_WAY = "a carta com o código de ativação já foi enviada para a morada de correspondência"
NEW_LETTER_BUTTON = re.compile(r"<button[^>]*>Pedir nova carta</button>")


@pytest.fixture
def approved(carla_client, carla, letter_contract, print_letters):
    """Carla's request matched the letter contract: approved, its letter printed."""
    carla_client.post(reverse("contracts:add"), numbers(letter_contract))
    print_letters()
    subscription = carla.subscriptions.get()
    assert subscription.status == Subscription.Status.AWAITING_ACTIVATION
    return subscription


@pytest.fixture
def unmatched(carla_client, carla):
    """Carla's other request matches nothing: it waits in the clerk's queue."""
    carla_client.post(
        reverse("contracts:add"),
        {
            "product": "water_sanitation",
            "cil": "499999",
            "customer_number": "299999",
            "account_number": "399999",
            "custom_name": "Armazém",
        },
    )
    subscription = carla.subscriptions.get(custom_name="Armazém")
    assert subscription.status == Subscription.Status.EVALUATING
    return subscription


def _page(client, subscription):
    html = client.get(reverse("contracts:request", args=[subscription.reference])).text
    main = html[html.index("<main") :]
    # Without the title and the numbers the user typed, which differ, and the CSRF tokens.
    return re.sub(
        r"<dl.*?</dl>|<h1>.*?</h1>|name=\"csrfmiddlewaretoken\" value=\"\w+\"", "", main, flags=re.S
    )


def test_after_the_letter_time_the_page_speaks_of_the_letter_the_same_for_both(
    carla_client, carla, approved, unmatched
):
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3, minutes=1)):
        carla_client.force_login(carla)
        listing = carla_client.get(reverse("contracts:list")).text  # (the adds' messages gone)
        seen = [_page(carla_client, s) for s in (approved, unmatched)]
    assert ON_ITS_WAY in seen[0]
    # Nothing tells a matching request from one that matched nothing.
    assert seen[0].replace(str(approved.reference), "") == seen[1].replace(
        str(unmatched.reference), ""
    )
    assert listing.count("A aguardar a carta") == 2 and "Em avaliação" not in listing


def test_new_letter_is_offered_only_when_it_can_be_asked_and_says_from_when(
    carla_client, carla, approved
):
    html = _page(carla_client, approved)
    assert "Em avaliação" in carla_client.get(reverse("contracts:list")).text
    assert not NEW_LETTER_BUTTON.search(html)
    allowed = timezone.localtime(approved.created_at + datetime.timedelta(days=7))
    assert f"pode pedir uma nova carta a partir de {allowed:%d/%m/%Y %H:%M}" in html

    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        carla_client.force_login(carla)
        html = _page(carla_client, approved)
        assert NEW_LETTER_BUTTON.search(html)
        assert "pode pedir uma nova carta a partir de" not in html
        response = carla_client.post(
            reverse("contracts:request_code", args=[approved.reference]), follow=True
        )
    assert "vai receber uma nova carta" in response.text


def test_a_code_with_characters_outside_the_alphabet_says_which(carla_client, approved):
    response = carla_client.post(
        reverse("contracts:activate_code", args=[approved.reference]), {"code": "ACDEB 1HJK5"}
    )
    html = response.text
    assert "Erro:" in html
    assert "O código de ativação não tem «B», «1», «5»." in html
    assert "A C D E F H J K M N P R T U V W X Y" in html and "3 4 7 9" in html
    assert "O código de ativação tem 10 letras" not in html
    approved.refresh_from_db()
    assert approved.failed_code_attempts == 0
