"""Notices reach exactly their audience, inside their window (manual 6.1 ii)."""

import datetime

import pytest
from django.utils import timezone

from balcao.accounts.tests.factories import UserFactory
from balcao.contracts.models import Contract, Subscription
from balcao.contracts.tests.factories import ContractFactory, SubscriptionFactory
from balcao.core.tests.factories import AddressFactory
from balcao.notices.models import Notice, NoticeDismissal
from balcao.notices.selectors import notices_for_home, notices_for_user
from balcao.notices.tests.conftest import customer_in
from balcao.notices.tests.factories import NoticeFactory

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(datetime.datetime(2026, 3, 10, 9, 0))


def seen(user, now=NOW):
    return set(notices_for_user(user, now).values_list("title", flat=True))


def in_force(**kwargs):
    return NoticeFactory(
        starts_at=NOW - datetime.timedelta(days=1),
        ends_at=NOW + datetime.timedelta(days=1),
        **kwargs,
    )


def test_everyone_reaches_every_signed_in_customer(ana, bruno):
    in_force(title="Novo Balcão Digital")
    without_contract = UserFactory()
    assert seen(ana) == seen(bruno) == seen(without_contract) == {"Novo Balcão Digital"}


def test_municipality_reaches_installations_in_that_municipality(parishes, marinha_grande):
    first, _other = parishes
    in_leiria = customer_in(parish=first)
    in_marinha = customer_in(municipality=marinha_grande)
    in_force(title="Leiria", audience=Notice.Audience.MUNICIPALITY, municipality=first.municipality)
    in_force(title="Marinha", audience=Notice.Audience.MUNICIPALITY, municipality=marinha_grande)
    assert seen(in_leiria) == {"Leiria"}
    assert seen(in_marinha) == {"Marinha"}


def test_parish_reaches_only_installations_in_that_parish(parishes):
    first, other = parishes
    here, there = customer_in(parish=first), customer_in(parish=other)
    in_force(title="Corte programado", audience=Notice.Audience.PARISH, parish=other)
    assert seen(here) == set()
    assert seen(there) == {"Corte programado"}


def test_the_place_supplied_counts_not_the_billing_address(parishes):
    first, other = parishes
    user = customer_in(parish=first)
    account = user.subscriptions.get().contract.account
    account.billing_address = AddressFactory(parish=other)
    account.save()
    in_force(title="Corte programado", audience=Notice.Audience.PARISH, parish=other)
    assert seen(user) == set()


def test_contracts_reach_only_their_holders(ana, bruno):
    casa = ana.subscriptions.get(custom_name="Casa").contract
    in_force(title="Troca do contador", audience=Notice.Audience.CONTRACTS, contracts=[casa])
    assert seen(ana) == {"Troca do contador"}
    assert seen(bruno) == set()


def test_a_user_with_several_matching_contracts_sees_a_notice_once(ana):
    contracts = [s.contract for s in ana.subscriptions.all()]
    in_force(title="Troca do contador", audience=Notice.Audience.CONTRACTS, contracts=contracts)
    in_force(
        title="Leiria",
        audience=Notice.Audience.MUNICIPALITY,
        municipality=contracts[0].installation.address.municipality,
    )
    assert (
        list(notices_for_user(ana, NOW).values_list("title", flat=True)).count("Troca do contador")
        == 1
    )
    assert notices_for_user(ana, NOW).count() == 2


@pytest.mark.parametrize(
    ("moment", "shown"),
    [
        (datetime.timedelta(seconds=-1), False),  # before it starts
        (datetime.timedelta(0), True),  # the moment it starts
        (datetime.timedelta(days=2), True),
        (datetime.timedelta(days=3), False),  # its end is exclusive
        (datetime.timedelta(days=30), False),
    ],
)
def test_outside_the_window_nobody_sees_it(ana, moment, shown):
    NoticeFactory(title="Janela", starts_at=NOW, ends_at=NOW + datetime.timedelta(days=3))
    assert (seen(ana, NOW + moment) == {"Janela"}) is shown


def test_subscriptions_not_active_and_ended_contracts_receive_no_local_notice(parishes):
    first, _other = parishes
    waiting = customer_in(parish=first, status=Subscription.Status.EVALUATING, activated_at=None)
    ended = customer_in(parish=first)
    Contract.objects.filter(subscriptions__user=ended).update(status=Contract.Status.ENDED)
    in_force(title="Corte programado", audience=Notice.Audience.PARISH, parish=first)
    in_force(title="Todos")
    assert seen(waiting) == {"Todos"}
    assert seen(ended) == {"Todos"}


def test_a_dismissed_notice_is_hidden_for_that_user_only(ana, bruno):
    notice = in_force(title="Todos")
    NoticeDismissal.objects.create(notice=notice, user=ana)
    assert seen(ana) == set()
    assert seen(bruno) == {"Todos"}
    assert notices_for_user(ana, NOW, include_dismissed=True).get() == notice


def test_anonymous_visitors_see_none():
    from django.contrib.auth.models import AnonymousUser

    in_force(title="Todos")
    assert list(notices_for_user(AnonymousUser(), NOW)) == []


def test_two_queries_whatever_the_number_of_contracts(django_assert_num_queries, parishes):
    first, other = parishes
    user = customer_in(parish=first)
    for _ in range(20):
        SubscriptionFactory(user=user, contract=ContractFactory())
    for index in range(30):
        in_force(title=f"Freguesia {index}", audience=Notice.Audience.PARISH, parish=other)
        in_force(title=f"Todos {index}")
    with django_assert_num_queries(2):
        titles = seen(user)
    assert len(titles) == 30


def test_home_notices_say_which_contracts_they_concern(ana, parishes, django_assert_num_queries):
    casa = ana.subscriptions.get(custom_name="Casa").contract
    loja = ana.subscriptions.get(custom_name="Loja").contract
    first, other = parishes
    loja.installation.address.parish = other
    loja.installation.address.save()
    in_force(title="Todos")
    in_force(title="Freguesia da Loja", audience=Notice.Audience.PARISH, parish=other)
    in_force(
        title="Concelho", audience=Notice.Audience.MUNICIPALITY, municipality=first.municipality
    )
    in_force(title="Contador", audience=Notice.Audience.CONTRACTS, contracts=[casa, loja])
    with django_assert_num_queries(3):
        concerns = {n.title: n.concerns for n in notices_for_home(ana, NOW, limit=10)}
    assert concerns == {
        "Todos": [],
        "Freguesia da Loja": ["Loja"],
        "Concelho": ["Casa", "Loja"],
        "Contador": ["Casa", "Loja"],
    }


def test_home_notices_are_limited(ana):
    for index in range(12):
        in_force(title=f"Aviso {index}")
    assert len(notices_for_home(ana, NOW, limit=10)) == 10
