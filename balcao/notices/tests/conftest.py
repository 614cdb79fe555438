"""Places and customers for the audience tests: contracts in different parishes and towns."""

import pytest

from balcao.accounts.tests.factories import UserFactory
from balcao.contracts.tests.factories import (
    ContractFactory,
    InstallationFactory,
    SubscriptionFactory,
)
from balcao.core.models import Municipality, Parish
from balcao.core.territory import ensure_territory
from balcao.core.tests.factories import AddressFactory


@pytest.fixture
def leiria(db):
    return ensure_territory()


@pytest.fixture
def parishes(leiria):
    """Two Leiria parishes in force: ``first`` (the factories' addresses) and ``other``."""
    in_force = Parish.objects.filter(municipality=leiria, valid_to__isnull=True).order_by("name")
    first = Parish.objects.filter(municipality=leiria).order_by("name").first()
    other = in_force.exclude(pk=first.pk).first()
    return first, other


@pytest.fixture
def marinha_grande(leiria):
    return Municipality.objects.get(code="1010")


def customer_in(*, parish=None, municipality=None, **subscription):
    """A portal user with one active contract whose installation is at this place."""
    address = {"parish": parish}
    if municipality is not None:
        address.update(municipality=municipality, district=municipality.district)
    installation = InstallationFactory(address=AddressFactory(**address))
    contract = ContractFactory(installation=installation)
    user = UserFactory()
    SubscriptionFactory(user=user, contract=contract, **subscription)
    return user
