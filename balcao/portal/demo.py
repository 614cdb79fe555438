"""Demo users: the personas of the README, with their contracts already in the portal."""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from balcao.accounts.demo import DEMO_PASSWORD, demo_user
from balcao.contracts.demo import PERSONAS
from balcao.contracts.models import Contract, Customer, Subscription
from balcao.contracts.services.legacy import import_legacy_account


def _subscribe(user, contract_number, custom_name, activated_at):
    contract = Contract.objects.select_related("customer", "account", "installation").get(
        contract_number=contract_number
    )
    Subscription.objects.create(
        user=user,
        contract=contract,
        product=contract.product,
        cil=contract.installation.cil,
        customer_number=contract.customer.customer_number,
        account_number=contract.account.account_number,
        custom_name=custom_name,
        status=Subscription.Status.ACTIVE,
        activated_at=activated_at,
    )


def _profile_address(user, customer_number):
    """The profile's "Informação da morada" (manual 3): a copy of the holder's address, as the
    customer would have typed it at registration (the profile's row is the user's own)."""
    address = Customer.objects.get(customer_number=customer_number).correspondence_address
    address.pk = None
    address._state.adding = True
    address.save()
    user.address = address
    user.save(update_fields=["address"])


def seed(*, rng, today: datetime.date, stdout) -> None:
    since = timezone.now() - datetime.timedelta(days=400)
    ana = demo_user(
        "ana",
        email="ana.silva@example.pt",
        first_name="Ana",
        last_name="Silva",
        nif=PERSONAS["ana"]["nif"],
        phone="244123456",
        mobile="912345678",
    )
    _profile_address(ana, PERSONAS["ana"]["customer_number"])
    _subscribe(ana, "600001", "Casa", since)
    _subscribe(ana, "600002", "Loja", since)
    bruno = demo_user(
        "bruno",
        email="bruno.costa@example.pt",
        first_name="Bruno",
        last_name="Costa",
        nif=PERSONAS["bruno"]["nif"],
        mobile="936543210",
    )
    _profile_address(bruno, PERSONAS["bruno"]["customer_number"])
    _subscribe(bruno, "600003", "Casa", since)

    # The legacy portal's account: its NIF's contracts are attached by the legacy import.
    legado = import_legacy_account(
        username="legado",
        email=PERSONAS["legado"]["email"],
        nif=PERSONAS["legado"]["nif"],
        name=PERSONAS["legado"]["name"],
    )
    # The demo gives it the common password so that anyone can try it at once; a real
    # legacy account sets its password through the reset link.
    legado.set_password(DEMO_PASSWORD)
    legado.save(update_fields=["password"])

    clerk = demo_user(
        "atendimento",
        email="atendimento@smas-leiria.pt",
        first_name="Carla",
        last_name="Atendimento",
        is_staff=True,
    )
    clerk.groups.add(*Group.objects.filter(name__in=["Atendimento", "Leituras", "Faturação"]))
    demo_user(
        "admin",
        email="admin@smas-leiria.pt",
        first_name="Administração",
        last_name="SMAS",
        is_staff=True,
        is_superuser=True,
    )
    stdout.write("  utilizadores de demonstração: ana, bruno, legado, atendimento, admin")
