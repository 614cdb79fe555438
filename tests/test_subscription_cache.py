"""The customers' subscription lists kept in the cache between requests (issue 14,
balcao/contracts/subscription_cache.py): used while nothing changed, never after a change,
however the change is written."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from balcao.contracts import subscription_cache
from balcao.contracts.models import Contract, Subscription
from balcao.contracts.tests.factories import SubscriptionFactory

pytestmark = pytest.mark.django_db


def _subscription_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, [
        q["sql"] for q in captured.captured_queries if 'FROM "contracts_subscription"' in q["sql"]
    ]


def test_a_page_reuses_the_list_until_a_subscription_changes(ana_client, ana):
    subscription = ana.subscriptions.order_by("pk").first()
    detail = reverse("contracts:detail", args=[subscription.contract.contract_number])
    assert ana_client.get(detail).status_code == 200

    response, queries = _subscription_queries(ana_client, detail)
    assert response.status_code == 200 and queries == []  # the list came from the cache

    subscription.custom_name = "Casa da praia"
    subscription.save()
    response, queries = _subscription_queries(ana_client, detail)
    assert len(queries) == 1 and "Casa da praia" in response.content.decode()


def test_a_queryset_update_without_signals_ends_the_kept_lists(ana_client, ana):
    home = reverse("portal:home")
    ana_client.get(home)
    Subscription.objects.filter(user=ana).update(custom_name="Escritório")
    assert "Escritório" in ana_client.get(home).content.decode()


def test_a_contract_withdrawn_by_the_customer_answers_404_at_once(ana_client, ana):
    """The access check reads the kept list: after the subscription ends, the contract's
    pages are gone on the very next request."""
    subscription = ana.subscriptions.order_by("pk").first()
    detail = reverse("contracts:detail", args=[subscription.contract.contract_number])
    assert ana_client.get(detail).status_code == 200
    remove = reverse("contracts:remove", args=[subscription.contract.contract_number])
    assert ana_client.post(remove).status_code == 302  # "Remover contrato", as she would
    assert ana_client.get(detail).status_code == 404
    header = ana_client.get(reverse("portal:home")).content.decode()
    assert f'<option value="{subscription.contract.contract_number}"' not in header


def test_a_change_to_the_contract_or_its_account_ends_the_kept_lists(ana_client, ana):
    subscription = ana.subscriptions.order_by("pk").first()
    detail = reverse("contracts:detail", args=[subscription.contract.contract_number])
    ana_client.get(detail)
    Contract.objects.filter(pk=subscription.contract_id).update(status=Contract.Status.ENDED)
    _response, queries = _subscription_queries(ana_client, detail)
    assert len(queries) >= 1  # read again, not the list kept before the change


def test_another_customers_new_contract_is_theirs_only(ana_client, ana, bruno):
    """Lists are kept per user: bruno's new subscription moves the version (everyone's
    next page reads again) but never shows in ana's header."""
    home = reverse("portal:home")
    ana_client.get(home)
    SubscriptionFactory(user=bruno, custom_name="Armazém do Bruno")
    assert "Armazém do Bruno" not in ana_client.get(home).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_version_moves_again_when_the_write_commits():
    """A page that read the old rows while the write was in flight kept them under the
    version of before the commit: the commit moves it past that."""
    subscription_cache.bump()
    with transaction.atomic():
        SubscriptionFactory(custom_name="Nova")
        during = subscription_cache.cache.get(subscription_cache.VERSION_KEY)
    assert subscription_cache.cache.get(subscription_cache.VERSION_KEY) != during


def test_without_a_shared_cache_every_page_queries(ana_client, ana, settings):
    settings.SUBSCRIPTIONS_CACHE = False
    home = reverse("portal:home")
    ana_client.get(home)
    _response, queries = _subscription_queries(ana_client, home)
    assert len(queries) == 1
