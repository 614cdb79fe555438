"""The header's contract selector on a page about one contract (issue 11, item 1): "Mudar"
goes to the same page for the chosen contract, never the old contract under the new name."""

from django.urls import reverse

from balcao.contracts.models import Subscription


def _numbers(ana):
    subs = {
        s.custom_name: s.contract.contract_number for s in Subscription.objects.filter(user=ana)
    }
    return subs["Casa"], subs["Loja"]


def _switch(client, contract_number, next_url):
    return client.post(
        reverse("portal:choose_contract"), {"contract": contract_number, "next": next_url}
    )


def test_switching_on_the_contract_page_opens_the_chosen_contracts_page(ana_client, ana):
    casa, loja = _numbers(ana)
    response = _switch(ana_client, loja, reverse("contracts:detail", args=[casa]))
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:detail", args=[loja])
    page = ana_client.get(response["Location"])
    assert f"n.º {loja}" in page.text


def test_switching_on_consumos_keeps_the_page_and_its_query(ana_client, ana):
    casa, loja = _numbers(ana)
    url = reverse("readings:consumption", args=[casa]) + "?ano=2025"
    response = _switch(ana_client, loja, url)
    assert response["Location"] == reverse("readings:consumption", args=[loja]) + "?ano=2025"
    assert ana_client.get(response["Location"]).status_code == 200


def test_a_page_of_one_object_of_the_old_contract_goes_to_the_new_contracts_page(ana_client, ana):
    casa, loja = _numbers(ana)
    url = reverse("readings:receipt", args=[casa, "L2026-0000001"])
    response = _switch(ana_client, loja, url)
    assert response["Location"] == reverse("contracts:detail", args=[loja])


def test_a_page_of_no_contract_stays_where_it_was(ana_client, ana):
    _casa, loja = _numbers(ana)
    response = _switch(ana_client, loja, reverse("service_requests:list"))
    assert response["Location"] == reverse("service_requests:list")


def test_someone_elses_contract_is_not_chosen_and_the_page_stays(ana_client, ana, bruno):
    casa, _loja = _numbers(ana)
    other = Subscription.objects.get(user=bruno).contract.contract_number
    url = reverse("contracts:detail", args=[casa])
    response = _switch(ana_client, other, url)
    assert response["Location"] == url
