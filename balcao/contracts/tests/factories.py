import datetime

import factory
from django.utils import timezone

from balcao.accounts.tests.factories import UserFactory
from balcao.contracts.models import (
    BillingAccount,
    Contract,
    Customer,
    Installation,
    Meter,
    Subscription,
)
from balcao.core.tests.factories import AddressFactory


class CustomerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Customer

    customer_number = factory.Sequence(lambda n: f"{100000 + n}")
    name = "Maria Santos"
    nif = "123456789"
    email = factory.Sequence(lambda n: f"titular{n}@example.pt")
    phone = "244000000"
    correspondence_address = factory.SubFactory(AddressFactory)


class BillingAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BillingAccount

    account_number = factory.Sequence(lambda n: f"{500000 + n}")
    customer = factory.SubFactory(CustomerFactory)
    billing_address = factory.SubFactory(AddressFactory)


class InstallationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Installation

    cil = factory.Sequence(lambda n: f"{700000 + n}")
    address = factory.SubFactory(AddressFactory)


class MeterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meter

    serial = factory.Sequence(lambda n: f"SN{900000 + n}")
    installation = factory.SubFactory(InstallationFactory)
    installed_on = datetime.date(2020, 1, 15)
    initial_index = 0


class ContractFactory(factory.django.DjangoModelFactory):
    """A contract with its own customer, account, installation and current meter."""

    class Meta:
        model = Contract
        skip_postgeneration_save = True

    contract_number = factory.Sequence(lambda n: f"{800000 + n}")
    customer = factory.SubFactory(CustomerFactory)
    account = factory.SubFactory(
        BillingAccountFactory, customer=factory.SelfAttribute("..customer")
    )
    installation = factory.SubFactory(InstallationFactory)
    product = Contract.Product.WATER_SANITATION_WASTE
    tariff_type = Contract.TariffType.DOMESTIC
    start_date = datetime.date(2020, 1, 15)
    meter = factory.RelatedFactory(
        MeterFactory,
        factory_related_name=None,
        installation=factory.SelfAttribute("..installation"),
    )


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """An active subscription: the user holds the contract in the portal."""

    class Meta:
        model = Subscription

    user = factory.SubFactory(UserFactory)
    contract = factory.SubFactory(ContractFactory)
    cil = factory.LazyAttribute(lambda s: s.contract.installation.cil)
    customer_number = factory.LazyAttribute(lambda s: s.contract.customer.customer_number)
    account_number = factory.LazyAttribute(lambda s: s.contract.account.account_number)
    custom_name = factory.Sequence(lambda n: f"Contrato {n}")
    status = Subscription.Status.ACTIVE
    activated_at = factory.LazyFunction(timezone.now)
