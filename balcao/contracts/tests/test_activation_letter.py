"""The letter path (manual section 2, 3b): the clerk prints, the user types the code."""

import datetime
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from balcao.contracts.models import Letter, Subscription, SubscriptionEvent
from balcao.contracts.tests.conftest import codes_in, numbers, pdf_text

Kind = SubscriptionEvent.Kind


@pytest.fixture
def requested(carla_client, carla, letter_contract):
    """Carla asked for the demo's letter contract: approved at once, letter queued."""
    response = carla_client.post(reverse("contracts:add"), numbers(letter_contract))
    assert response.status_code == 302
    subscription = carla.subscriptions.get()
    assert subscription.status == Subscription.Status.AWAITING_ACTIVATION
    assert subscription.activation_channel == Subscription.Channel.LETTER
    return subscription


def test_letter_code_from_pdf_activates_the_contract(
    carla_client, carla, requested, print_letters, settings, letter_contract
):
    letter = Letter.objects.get(subscription=requested)
    assert letter.recipient_name == "Rosa Marques"
    pdf = print_letters()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf_text(pdf)
    assert "SMAS de Leiria" in text and "680012773" in text
    assert "Rosa Marques" in text and "600007" in text
    valid_until = (timezone.localdate() + datetime.timedelta(days=30)).strftime("%d/%m/%Y")
    assert f"Válido até {valid_until}" in text
    [code] = codes_in(pdf)

    letter.refresh_from_db()
    assert letter.printed_at is not None and letter.key is not None
    assert (settings.LETTERS_DIR / letter.file).read_bytes().startswith(b"%PDF")
    assert code not in str(letter.key.digest)  # only the digest is stored

    page = carla_client.get(reverse("contracts:request", args=[requested.reference]))
    assert "Código de ativação" in page.content.decode()
    response = carla_client.post(
        reverse("contracts:activate_code", args=[requested.reference]),
        {"code": f"{code[:5]} {code[5:].lower()}"},
        follow=True,
    )
    assert "Contrato ativado com sucesso" in response.content.decode()
    assert response.request["PATH_INFO"] == reverse("contracts:detail", args=["600007"])
    requested.refresh_from_db()
    assert requested.status == Subscription.Status.ACTIVE
    assert requested.contract == letter_contract
    kinds = list(requested.events.values_list("kind", flat=True))
    assert kinds == [
        Kind.CREATED,
        Kind.APPROVED,
        Kind.LETTER_QUEUED,
        Kind.LETTER_SENT,
        Kind.ACTIVATED,
    ]

    # Single use: the same code again does nothing (the subscription is active now).
    again = carla_client.post(
        reverse("contracts:activate_code", args=[requested.reference]), {"code": code}
    )
    assert again.status_code == 302


def test_five_wrong_codes_lock_and_a_new_letter_can_be_asked_weekly(
    carla_client, carla, requested, print_letters
):
    [code] = codes_in(print_letters())
    url = reverse("contracts:activate_code", args=[requested.reference])
    for left in (4, 3, 2, 1):
        response = carla_client.post(url, {"code": "AAAAACCCCC"})
        html = response.content.decode()
        assert response.status_code == 200
        assert "Erro:" in html and f"pode tentar mais {left} vezes" in html
    response = carla_client.post(url, {"code": "AAAAACCCCC"}, follow=True)
    assert "ficou bloqueado" in response.content.decode()
    requested.refresh_from_db()
    assert requested.status == Subscription.Status.LOCKED
    # Locked: even the right code does nothing now.
    carla_client.post(url, {"code": code})
    requested.refresh_from_db()
    assert requested.status == Subscription.Status.LOCKED

    new_code_url = reverse("contracts:request_code", args=[requested.reference])
    response = carla_client.post(new_code_url, follow=True)
    assert "Só pode pedir um novo código a partir de" in response.content.decode()
    assert Letter.objects.filter(subscription=requested).count() == 1

    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        carla_client.force_login(carla)  # a week later: a new session
        response = carla_client.post(new_code_url, follow=True)
        assert "nova carta" in response.content.decode()
        requested.refresh_from_db()
        assert requested.status == Subscription.Status.AWAITING_ACTIVATION
        assert requested.failed_code_attempts == 0
        [new_code] = codes_in(print_letters())
        assert new_code != code
        carla_client.post(url, {"code": code})  # the old letter's code no longer works
        requested.refresh_from_db()
        assert requested.status == Subscription.Status.AWAITING_ACTIVATION
        response = carla_client.post(url, {"code": new_code}, follow=True)
        assert "Contrato ativado com sucesso" in response.content.decode()


def test_expired_code_is_refused(carla_client, carla, requested, print_letters):
    [code] = codes_in(print_letters())
    url = reverse("contracts:activate_code", args=[requested.reference])
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        carla_client.force_login(carla)
        response = carla_client.post(url, {"code": code})
    assert "já expirou" in response.content.decode()
    requested.refresh_from_db()
    assert requested.status == Subscription.Status.AWAITING_ACTIVATION
    assert requested.events.filter(kind=Kind.EXPIRED_CODE).exists()


def test_code_of_one_subscription_never_activates_another(
    carla_client, carla, requested, print_letters, email_contract
):
    # A second subscription of the same user, also by letter (carla's e-mail is not on record).
    carla_client.post(reverse("contracts:add"), numbers(email_contract, custom_name="Loja"))
    other = carla.subscriptions.get(custom_name="Loja")
    assert other.activation_channel == Subscription.Channel.LETTER
    # One page per letter, in the order they were asked for.
    requested_code, other_code = codes_in(print_letters())
    url = reverse("contracts:activate_code", args=[other.reference])
    response = carla_client.post(url, {"code": requested_code})
    assert "não está certo" in response.content.decode()
    other.refresh_from_db()
    assert other.status == Subscription.Status.AWAITING_ACTIVATION
    assert other.failed_code_attempts == 1
    response = carla_client.post(url, {"code": other_code}, follow=True)
    assert "Contrato ativado com sucesso" in response.content.decode()
    requested.refresh_from_db()
    assert requested.status == Subscription.Status.AWAITING_ACTIVATION


def test_malformed_code_is_explained_next_to_the_field(carla_client, requested):
    response = carla_client.post(
        reverse("contracts:activate_code", args=[requested.reference]), {"code": "ACDEF"}
    )
    html = response.content.decode()
    assert "Erro:" in html and "tem 10 letras e algarismos" in html
    requested.refresh_from_db()
    assert requested.failed_code_attempts == 0
