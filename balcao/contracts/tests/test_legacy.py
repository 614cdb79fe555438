"""Legacy accounts (manual section 5): imported, contracts of their NIF attached.

Here and not in accounts' tests: the entry point is a contracts service
(balcao.contracts.services.legacy), and accounts' tests never import contracts.
"""

import pytest
from django.core.management import call_command
from django.urls import reverse

from balcao.accounts.models import User
from balcao.accounts.tests.conftest import link_in_last_mail
from balcao.contracts.models import Contract, Subscription, SubscriptionEvent
from balcao.contracts.services.legacy import import_legacy_account
from balcao.contracts.tests.factories import ContractFactory, CustomerFactory
from balcao.core.models import Parish
from balcao.core.territory import ensure_territory
from balcao.core.tests.factories import AddressFactory

pytestmark = pytest.mark.django_db

NIF = "136695973"


@pytest.fixture
def contracts_of_nif():
    holder = CustomerFactory(nif=NIF, name="Luís Marques")
    casa = ContractFactory(
        customer=holder,
        installation__address=AddressFactory(street="Rua Mouzinho de Albuquerque", door="22"),
    )
    loja = ContractFactory(customer=holder)
    ended = ContractFactory(customer=holder, status=Contract.Status.ENDED)
    someone_else = ContractFactory(customer=CustomerFactory(nif="232013969"))
    return casa, loja, ended, someone_else


def test_import_attaches_the_active_contracts_of_the_nif(contracts_of_nif):
    casa, loja, ended, someone_else = contracts_of_nif
    user = import_legacy_account(
        username="luis", email="luis@example.pt", nif=NIF, name="Luís  Marques Pereira"
    )
    assert user.is_legacy and not user.has_usable_password() and user.email_confirmed
    assert (user.first_name, user.last_name) == ("Luís", "Marques Pereira")
    subs = {s.contract: s for s in Subscription.objects.filter(user=user)}
    assert set(subs) == {casa, loja}
    assert all(s.status == Subscription.Status.ACTIVE and s.activated_at for s in subs.values())
    assert subs[casa].custom_name == "Rua Mouzinho de Albuquerque 22"
    assert subs[casa].cil == casa.installation.cil
    assert subs[casa].customer_number == casa.customer.customer_number
    assert subs[casa].account_number == casa.account.account_number
    assert subs[casa].events.get().kind == SubscriptionEvent.Kind.ACTIVATED


def test_no_migration_for_registered_accounts(client, contracts_of_nif):
    municipality = ensure_territory()
    parish = Parish.objects.filter(municipality=municipality).order_by("name").first()
    client.post(
        reverse("accounts:register"),
        {
            "first_name": "Joana",
            "last_name": "Ferreira Lopes",
            "nif": NIF,
            "mobile": "912345678",
            "street": "Rua Barão de Viamonte",
            "door": "7",
            "postal_code": "2400-137",
            "postal_locality": "Leiria",
            "locality": "Leiria",
            "district": municipality.district_id,
            "municipality": municipality.pk,
            "parish": parish.pk,
        },
    )
    client.post(
        reverse("accounts:register_access"),
        {
            "email": "joana.lopes@example.pt",
            "username": "joana",
            "password1": "rio Lis corre devagar",
            "password2": "rio Lis corre devagar",
            "accept_terms": "on",
        },
    )
    user = User.objects.get(username="joana")
    assert user.nif == NIF and not user.is_legacy
    assert not Subscription.objects.filter(user=user).exists()


def test_legacy_user_sets_a_password_by_reset_then_sees_the_contracts(
    client, contracts_of_nif, django_capture_on_commit_callbacks
):
    import_legacy_account(username="luis", email="luis@example.pt", nif=NIF, name="Luís Marques")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "luis@example.pt"})
    response = client.get(link_in_last_mail("luis@example.pt"))
    client.post(
        response["Location"],
        {"new_password1": "moinho do papel 1", "new_password2": "moinho do papel 1"},
    )
    response = client.post(
        reverse("accounts:login"), {"username": "luis", "password": "moinho do papel 1"}
    )
    assert response.status_code == 302
    page = client.get(reverse("portal:home")).content.decode()
    assert "Rua Mouzinho de Albuquerque 22" in page


def test_command_imports_in_one_transaction_and_reports_rejected_lines(
    tmp_path, contracts_of_nif, capsys
):
    User.objects.create(username="existente", email="existe@example.pt")
    csv_file = tmp_path / "contas.csv"
    csv_file.write_text(
        "username,email,nif,name\n"
        f"luis,luis@example.pt,{NIF},Luís Marques\n"
        "velho,velho@example.pt,812345606,Conta Antiga\n"  # obsolete prefix 8: accepted here
        "maria,maria@example.pt,501964842,Maria Errada\n"
        "existente,outro@example.pt,501964843,Já Existe\n"
        "luis,outro2@example.pt,501964843,Repetido\n"
        "semmail,,501964843,Sem Mail\n",
        encoding="utf-8",
    )
    call_command("import_legacy_accounts", str(csv_file))
    out = capsys.readouterr().out
    assert "2 accounts imported, 4 lines rejected." in out
    assert "line 4 (maria): rejected: invalid NIF" in out
    assert "line 5 (existente): rejected: username already exists" in out
    assert "line 6 (luis): rejected: username already exists" in out
    assert "line 7 (semmail): rejected: empty email" in out
    assert set(User.objects.filter(is_legacy=True).values_list("username", flat=True)) == {
        "luis",
        "velho",
    }
    assert Subscription.objects.filter(user__username="luis").count() == 2


def test_command_dry_run_stores_nothing(tmp_path, capsys):
    csv_file = tmp_path / "contas.csv"
    csv_file.write_text(f"username,email,nif,name\nluis,luis@example.pt,{NIF},Luís\n")
    call_command("import_legacy_accounts", str(csv_file), "--dry-run")
    assert "1 accounts would be imported" in capsys.readouterr().out
    assert not User.objects.exists()


def test_creating_the_account_alone_attaches_nothing_no_signal_does_it(contracts_of_nif):
    """The contracts are attached by the explicit call of the entry point, not by a receiver."""
    from balcao.accounts.legacy import create_legacy_account

    user = create_legacy_account(username="luis", email="luis@example.pt", nif=NIF, name="Luís")
    assert not Subscription.objects.filter(user=user).exists()
