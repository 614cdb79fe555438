"""Comunicar leitura (manual 6.3 points 1-2): every branch of the form, with time frozen."""

import datetime
import re
import uuid

import pytest
from django.core import mail
from django.urls import reverse

from balcao.readings.models import Reading, ReadingEvent
from balcao.readings.services import record_company_reading
from balcao.readings.tests.factories import ReadingFactory

OUT_OF_RANGE = "Leitura fora dos valores esperados"
OUT_OF_WINDOW = "Leitura submetida fora das datas esperadas"
ACCEPT = "Aceito enviar a leitura com os valores"


def submit_url(contract):
    return reverse("readings:submit", args=[contract.contract_number])


def form_key(html):
    return re.search(r'name="submission_key" value="([^"]+)"', html).group(1)


def open_form(client, contract):
    response = client.get(submit_url(contract))
    assert response.status_code == 200
    return form_key(response.content.decode())


def shown_warnings(response):
    """The signed warnings the page showed, carried by the confirmation step."""
    return re.search(r'name="shown_warnings" value="([^"]+)"', response.content.decode()).group(1)


def send(client, contract, index, key=None, *, confirming=False, accept=False, after=None):
    """Post the form; ``after`` is the page that showed the warnings (the confirmation step)."""
    data = {"index": index, "submission_key": key or open_form(client, contract)}
    if confirming:
        data["confirming"] = "True"
    if after is not None:
        data["shown_warnings"] = shown_warnings(after)
    if accept:
        data["accept_warnings"] = "on"
    return client.post(submit_url(contract), data)


def customer_readings(installation):
    return Reading.objects.filter(installation=installation, origin=Reading.Origin.CUSTOMER)


def test_page_shows_window_last_reading_and_form(ana_client, casa, casa_history, travel):
    travel(2026, 4, 5)
    html = ana_client.get(submit_url(casa)).content.decode()
    assert "Comunique as suas leituras entre o dia 02 e o dia 08." in html
    assert "Comunicar regularmente a sua leitura evita estimativas." in html
    assert "160 m³ em 06/03/2026 (SMAS)" in html
    assert "Leitura de Água (m³)" in html and ">Submeter</button>" in html
    assert ACCEPT not in html  # the box appears only with a warning


def test_reading_inside_window_counts_for_billing(
    ana_client, ana, casa, casa_history, travel, django_capture_on_commit_callbacks
):
    travel(2026, 4, 5)
    with django_capture_on_commit_callbacks(execute=True):
        response = send(ana_client, casa, "190")
    reading = customer_readings(casa_history).get()
    assert reading.index == 190 and reading.taken_on == datetime.date(2026, 4, 5)
    assert reading.status == Reading.Status.BILLABLE and reading.submitted_by == ana
    assert re.fullmatch(r"L2026-\d{7}", reading.receipt_number)
    assert list(reading.events.values_list("kind", flat=True)) == ["received", "billable"]
    assert response.status_code == 302
    page = ana_client.get(response["Location"]).content.decode()
    assert f"Comprovativo de leitura n.º {reading.receipt_number}" in page
    assert "Validada para faturação" in page and "Recebida" in page
    assert f"Leitura recebida. Comprovativo n.º {reading.receipt_number}." in page
    # The e-mail confirms it, with the receipt number.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ana.email] and reading.receipt_number in message.subject
    assert "Validada para faturação" in message.body and "190" in message.body


def test_out_of_range_warns_and_stores_only_after_acceptance(
    ana_client, casa, casa_history, travel
):
    travel(2026, 4, 5)
    key = open_form(ana_client, casa)
    response = send(ana_client, casa, "400", key)
    html = response.content.decode()
    assert response.status_code == 200
    assert OUT_OF_RANGE in html and OUT_OF_WINDOW not in html and ACCEPT in html
    assert 'value="400"' in html  # the value typed is kept
    assert not customer_readings(casa_history).exists()

    response = send(ana_client, casa, "400", key, confirming=True, accept=True, after=response)
    assert response.status_code == 302
    reading = customer_readings(casa_history).get()
    assert reading.index == 400 and reading.status == Reading.Status.BILLABLE


def test_too_low_consumption_warns_too(ana_client, casa, casa_history, travel):
    travel(2026, 4, 5)
    html = send(ana_client, casa, "162").content.decode()  # 2 m³ where 30 were expected
    assert OUT_OF_RANGE in html and ACCEPT in html
    assert not customer_readings(casa_history).exists()


def test_outside_window_warns_then_keeps_for_history(ana_client, casa, casa_history, travel):
    travel(2026, 4, 15)
    key = open_form(ana_client, casa)
    shown = send(ana_client, casa, "200", key)
    html = shown.content.decode()
    assert OUT_OF_WINDOW in html and OUT_OF_RANGE not in html
    assert not customer_readings(casa_history).exists()

    send(ana_client, casa, "200", key, confirming=True, accept=True, after=shown)
    reading = customer_readings(casa_history).get()
    assert reading.status == Reading.Status.HISTORY
    assert reading.history_reason == Reading.HistoryReason.OUTSIDE_WINDOW
    history = ana_client.get(reverse("readings:history", args=[casa.contract_number]))
    assert (
        "Apenas para histórico (comunicada fora do período de leitura)" in history.content.decode()
    )


def test_both_warnings_are_shown_together(ana_client, casa, casa_history, travel):
    travel(2026, 4, 15)
    html = send(ana_client, casa, "900").content.decode()
    assert OUT_OF_RANGE in html and OUT_OF_WINDOW in html
    assert html.index(OUT_OF_RANGE) < html.index(ACCEPT)
    assert not customer_readings(casa_history).exists()


def test_acceptance_missing_is_an_error_and_stores_nothing(ana_client, casa, casa_history, travel):
    travel(2026, 4, 15)
    key = open_form(ana_client, casa)
    shown = send(ana_client, casa, "900", key)
    response = send(ana_client, casa, "900", key, confirming=True, accept=False, after=shown)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Erro:" in html and "Há um problema" in html
    assert "marque «Aceito enviar a leitura com os valores»" in html
    assert 'href="#id_accept_warnings"' in html
    assert not customer_readings(casa_history).exists()


def test_a_crafted_acceptance_without_the_warnings_shown_stores_nothing(
    ana_client, casa, casa_history, travel
):
    """confirming=True&accept_warnings=on, posted straight away: the warning is shown first."""
    travel(2026, 4, 15)  # outside the window
    key = open_form(ana_client, casa)

    response = send(ana_client, casa, "200", key, confirming=True, accept=True)

    html = response.content.decode()
    assert response.status_code == 200
    assert OUT_OF_WINDOW in html and ACCEPT in html
    assert 'name="accept_warnings" id="id_accept_warnings" checked' not in html
    assert not customer_readings(casa_history).exists()
    # Accepting what the page then showed stores it.
    send(ana_client, casa, "200", key, confirming=True, accept=True, after=response)
    assert customer_readings(casa_history).get().status == Reading.Status.HISTORY


def test_an_acceptance_counts_only_for_the_warnings_shown_for_that_submission(
    ana_client, casa, casa_history, travel
):
    travel(2026, 4, 15)
    key = open_form(ana_client, casa)
    # The page showed "outside the window" for 200 m³ of this submission...
    shown_for_200 = send(ana_client, casa, "200", key)
    # ...which accepts neither another index (900 is also out of range) nor another submission.
    other_index = send(
        ana_client, casa, "900", key, confirming=True, accept=True, after=shown_for_200
    )
    assert OUT_OF_RANGE in other_index.content.decode()
    other_key = open_form(ana_client, casa)
    send(ana_client, casa, "200", other_key, confirming=True, accept=True, after=shown_for_200)
    # A forged token is no better than none.
    forged = ana_client.post(
        submit_url(casa),
        {
            "index": "900",
            "submission_key": key,
            "confirming": "True",
            "accept_warnings": "on",
            "shown_warnings": shown_warnings(shown_for_200)[:-2] + "xx",
        },
    )
    assert forged.status_code == 200
    assert not customer_readings(casa_history).exists()


def test_lower_than_last_valid_index_is_refused(ana_client, casa, casa_history, travel):
    travel(2026, 4, 5)
    response = send(ana_client, casa, "150")
    html = response.content.decode()
    assert "<title>Erro:" in html
    assert "não pode ser inferior à última leitura válida (160 m³ em 06/03/2026)" in html
    assert "Se o contador foi substituído, faça um pedido em «Meus pedidos»" in html
    assert ACCEPT not in html  # refused: no acceptance can send it
    assert not customer_readings(casa_history).exists()


@pytest.mark.parametrize("typed", ["190,5", "190.5", "abc", "-3", ""])
def test_only_whole_cubic_metres(ana_client, casa, casa_history, travel, typed):
    travel(2026, 4, 5)
    html = send(ana_client, casa, typed).content.decode()
    assert "<title>Erro:" in html
    assert 'aria-invalid="true"' in html
    assert not customer_readings(casa_history).exists()


def test_double_submit_stores_one_reading(
    ana_client, casa, casa_history, travel, django_capture_on_commit_callbacks
):
    travel(2026, 4, 5)
    key = open_form(ana_client, casa)
    with django_capture_on_commit_callbacks(execute=True):
        first = send(ana_client, casa, "190", key)
        second = send(ana_client, casa, "190", key)
    assert customer_readings(casa_history).count() == 1
    assert first["Location"] == second["Location"]
    assert len(mail.outbox) == 1


def test_company_reading_in_the_window_keeps_customer_reading_for_history(
    ana_client, casa, casa_history, travel
):
    ReadingFactory(installation=casa_history, taken_on=datetime.date(2026, 4, 3), index=188)
    travel(2026, 4, 5)
    send(ana_client, casa, "190")
    reading = customer_readings(casa_history).get()
    assert reading.status == Reading.Status.HISTORY
    assert reading.history_reason == Reading.HistoryReason.COMPANY_READING


def test_company_reading_after_the_customer_one_takes_over(ana_client, casa, casa_history, travel):
    travel(2026, 4, 3, hour=9)
    send(ana_client, casa, "188")
    travel(2026, 4, 6)
    record_company_reading(installation=casa_history, taken_on=datetime.date(2026, 4, 6), index=191)
    reading = customer_readings(casa_history).get()
    assert reading.status == Reading.Status.HISTORY
    assert reading.history_reason == Reading.HistoryReason.COMPANY_READING
    assert ReadingEvent.objects.filter(reading=reading, kind="history").exists()


def test_later_reading_in_the_same_window_replaces_the_earlier(
    ana_client, ana, casa, casa_history, travel
):
    travel(2026, 4, 3)
    send(ana_client, casa, "188")
    travel(2026, 4, 7)
    ana_client.force_login(ana)  # a new session, days later
    send(ana_client, casa, "192")
    earlier, later = customer_readings(casa_history).order_by("taken_on")
    assert earlier.status == Reading.Status.HISTORY
    assert earlier.history_reason == Reading.HistoryReason.REPLACED
    assert later.status == Reading.Status.BILLABLE
    html = ana_client.get(reverse("readings:history", args=[casa.contract_number])).content.decode()
    assert earlier.receipt_number in html and later.receipt_number in html


def test_bruno_cannot_read_or_submit_on_anas_contract(bruno_client, casa, casa_history, travel):
    travel(2026, 4, 5)
    number = casa.contract_number
    for name in ("submit", "history", "consumption"):
        assert bruno_client.get(reverse(f"readings:{name}", args=[number])).status_code == 404
    response = bruno_client.post(
        reverse("readings:submit", args=[number]),
        {"index": "190", "submission_key": str(uuid.uuid4())},
    )
    assert response.status_code == 404
    assert not customer_readings(casa_history).exists()


def test_receipt_of_another_contract_is_404(ana_client, ana, casa, casa_history, travel, bruno):
    travel(2026, 4, 5)
    send(ana_client, casa, "190")
    receipt = customer_readings(casa_history).get().receipt_number
    loja = ana.subscriptions.get(custom_name="Loja").contract
    for contract in (loja, bruno.subscriptions.get().contract):
        url = reverse("readings:receipt", args=[contract.contract_number, receipt])
        assert ana_client.get(url).status_code == 404


def test_menu_goes_to_the_selected_contract(ana_client, ana):
    loja = ana.subscriptions.get(custom_name="Loja").contract
    ana_client.post(reverse("portal:choose_contract"), {"contract": loja.contract_number})
    response = ana_client.get(reverse("readings:index"))
    assert response["Location"] == submit_url(loja)


def test_without_a_contract_the_page_says_so(client, django_user_model):
    from balcao.accounts.tests.factories import UserFactory

    client.force_login(UserFactory())
    html = client.get(reverse("readings:index")).content.decode()
    assert "precisa de ter um contrato ativo" in html


def test_the_window_follows_lisbon_time(ana_client, ana, casa, casa_history):
    import time_machine

    # 23:30 UTC on 1 April is 00:30 on 2 April in Lisbon (summer time): inside the window.
    with time_machine.travel(
        datetime.datetime(2026, 4, 1, 23, 30, tzinfo=datetime.UTC), tick=False
    ):
        ana_client.force_login(ana)
        send(ana_client, casa, "186")
    reading = customer_readings(casa_history).get()
    assert reading.taken_on == datetime.date(2026, 4, 2)
    assert reading.status == Reading.Status.BILLABLE


def test_page_in_english(ana_client, ana, casa, casa_history, travel):
    travel(2026, 4, 15)
    ana.language = "en"
    ana.save(update_fields=["language"])
    response = send(ana_client, casa, "900")
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()


@pytest.mark.parametrize("typed", ["00 190", "0 190", " 190 "])
def test_an_index_typed_with_spaces_is_taken(ana_client, casa, casa_history, travel, typed):
    """As "01 520" is read off a meter's drums: the spaces are ignored."""
    travel(2026, 4, 5)

    response = send(ana_client, casa, typed)

    assert response.status_code == 302, response.content.decode()
    assert customer_readings(casa_history).get().index == 190
